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
    "subprocess": {"Popen", "run", "call", "check_call", "check_output", "getoutput"}
    | {"getstatusoutput"},
    "os": {"system", "popen", "startfile", "posix_spawn", "posix_spawnp", "fork", "forkpty"},
    "asyncio": {"create_subprocess_exec", "create_subprocess_shell"},
    "multiprocessing": {"Process", "Pool"},
}
STARTER_PREFIXES = {"os": ("exec", "spawn")}


def _starts_processes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {  # "import subprocess as sp": sp is subprocess
        alias.asname or alias.name: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in STARTERS:
            found += [f"from {node.module} import {a.name}" for a in node.names if
                      _starter(node.module, a.name)]  # fmt: skip
        elif isinstance(node, ast.Name | ast.Attribute) and "QProcess" in (
            getattr(node, "id", None),
            getattr(node, "attr", None),
        ):
            found.append(f"line {node.lineno}: QProcess")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            module = aliases.get(owner.id, owner.id) if isinstance(owner, ast.Name) else ""
            if _starter(module, node.func.attr):
                found.append(f"line {node.lineno}: {module}.{node.func.attr}")
    return found


def _starter(module: str, name: str) -> bool:
    return name in STARTERS.get(module, ()) or name.startswith(STARTER_PREFIXES.get(module, ()))


def test_the_starter_check_sees_every_form(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import subprocess as sp\nimport os\nfrom PySide6 import QtCore\n"
        "sp.run(['x'])\nos.execv('x', [])\nQtCore.QProcess()\n"
        "from subprocess import check_output\n",
        encoding="utf-8",
    )
    assert len(_starts_processes(sample)) == 4


def test_every_child_process_starts_in_one_place() -> None:
    starting = {
        name: found
        for name in _modules()
        if name != "io/children.py" and (found := _starts_processes(PACKAGE / name))
    }
    assert starting == {}
    assert _starts_processes(PACKAGE / "io" / "children.py")  # the check sees a real starter


def test_analysis_and_render_never_import_each_other() -> None:
    """The analyses prepare pictures, the render reads them by the keys in model/prepared.py,
    and only the facade (app/render.py) runs one before the other."""
    for name, imports in _modules("analysis").items():
        assert not any(i.startswith("studio.render") for i in imports), name
    for name, imports in _modules("render").items():
        assert not any(i.startswith("studio.analysis") for i in imports), name
