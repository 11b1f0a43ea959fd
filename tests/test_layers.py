"""The layering the architecture promises, read from the imports of every module."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "studio"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _modules(folder: str = "") -> dict[str, set[str]]:
    root = PACKAGE / folder
    return {str(p.relative_to(PACKAGE)): _imports(p) for p in root.rglob("*.py")}


def test_the_model_imports_only_the_model_and_errors() -> None:
    for name, imports in _modules("model").items():
        ours = {i for i in imports if i.startswith("studio")}
        assert ours <= {"studio.errors"} | {i for i in ours if i.startswith("studio.model")}, name


def test_qt_is_imported_only_under_gui_and_only_through_its_shim() -> None:
    for name, imports in _modules().items():
        if name != "gui/qt.py":
            assert not any(i.startswith("PySide6") for i in imports), name
        if not name.startswith(("gui", "cli")):  # the command line may start the app
            assert not any(i.startswith("studio.gui") for i in imports), name


def test_io_does_not_import_the_layers_above_it() -> None:
    above = ("studio.render", "studio.analysis", "studio.app", "studio.cli")
    for name, imports in _modules("io").items():
        assert not any(i.startswith(above) for i in imports), name


def test_only_the_faces_read_the_environment_where_they_start() -> None:
    for name, _ in _modules().items():
        text = (PACKAGE / name).read_text(encoding="utf-8")
        if name not in ("cli/__init__.py", "gui/app.py", "settings.py"):
            assert "os.environ" not in text and "getenv" not in text, name


# What starts a process: subprocess's starters, os's exec/spawn/system family, Qt's QProcess,
# asyncio's and multiprocessing's. Only studio.io.children may call them, so every child is tied
# to studio's life and none flashes a console window on Windows.
STARTERS = {
    "subprocess": {"Popen", "run", "call", "check_call", "check_output", "getoutput"},
    "os": {"system", "popen", "startfile", "posix_spawn", "posix_spawnp", "fork", "forkpty"},
    "asyncio": {"create_subprocess_exec", "create_subprocess_shell"},
    "multiprocessing": {"Process", "Pool"},
}
STARTER_PREFIXES = {"os": ("exec", "spawn")}


def _starts_processes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        call = node.func if isinstance(node, ast.Call) else None
        if isinstance(call, ast.Attribute) and isinstance(call.value, ast.Name):
            module, name = call.value.id, call.attr
        elif isinstance(node, ast.ImportFrom) and node.module in STARTERS:
            found += [f"from {node.module} import {a.name}" for a in node.names if
                      _starter(node.module, a.name)]  # fmt: skip
            continue
        elif isinstance(node, ast.Name) and node.id == "QProcess":
            found.append(f"line {node.lineno}: QProcess")
            continue
        else:
            continue
        if _starter(module, name):
            found.append(f"line {node.lineno}: {module}.{name}")
    return found


def _starter(module: str, name: str) -> bool:
    return name in STARTERS.get(module, ()) or name.startswith(STARTER_PREFIXES.get(module, ()))


def test_every_child_process_starts_in_one_place() -> None:
    starting = {
        name: found
        for name in _modules()
        if name != "io/children.py" and (found := _starts_processes(PACKAGE / name))
    }
    assert starting == {}
    assert _starts_processes(PACKAGE / "io" / "children.py")  # the check sees a real starter
