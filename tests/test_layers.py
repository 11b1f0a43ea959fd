"""The layering the architecture promises, read from the imports of every module."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "studio"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
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
        text = (PACKAGE / name).read_text()
        if name not in ("cli/__init__.py", "gui/app.py", "settings.py"):
            assert "os.environ" not in text and "getenv" not in text, name
