"""Never lose work: autosave after changes, recovery after a real kill -9, and a damaged
autosave that is reported once and never loops."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from studio.app import load_project, save_project
from studio.gui.autosave import SUFFIX, newer_recovery
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.timeline import Canvas, Project, Track
from tests.helpers import REPO, make_clip

EDITOR = """
import sys, time
from fractions import Fraction
from studio.gui.qt import QApplication
from studio.gui.app import Launcher
from studio.model import edits
app = QApplication([])
launcher = Launcher(ask=lambda _: None, warn=print, autosave_ms=200)
window = launcher.open_project(sys.argv[1])
window.document.apply("Split", edits.split_clip, Fraction(1, 2))
recovery = window.autosaver.path
while not recovery.exists():
    app.processEvents()
    time.sleep(0.01)
print("autosaved", flush=True)
while True:  # keeps editing, until killed
    app.processEvents()
    time.sleep(0.05)
"""


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    clips = tuple(
        clip_of(probe(make_clip(tmp_path / f"{c}.mp4", 1, source=f"color=c={c}", audio=False)))
        for c in ("red", "blue")
    )
    return save_project(Project(Canvas(), Track(clips)), tmp_path / "edit.studio.json")


def _killed_mid_edit(project_file: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    editor = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(project_file)],
        stdout=subprocess.DEVNULL,
        cwd=REPO,
        env=env,
    )
    recovery = project_file.with_name(project_file.name + SUFFIX)
    deadline = time.monotonic() + 30
    while not recovery.exists() and time.monotonic() < deadline and editor.poll() is None:
        time.sleep(0.05)
    time.sleep(0.2)
    editor.kill()  # SIGKILL; TerminateProcess on Windows
    editor.wait()
    assert recovery.exists(), "the app wrote no autosave"


def test_a_killed_app_leaves_an_autosave_that_the_next_start_recovers(
    qtbot: Any, project_file: Path
) -> None:
    from studio.gui.app import Launcher

    _killed_mid_edit(project_file)
    assert len(load_project(project_file).main.clips) == 2  # the saved file is untouched
    recovery = newer_recovery(project_file)
    assert recovery == project_file.with_name(project_file.name + SUFFIX)
    asked: list[Path] = []
    launcher = Launcher(ask=lambda path: asked.append(path) or True, warn=pytest.fail)
    window = launcher.open_project(str(project_file))
    assert window is not None and asked == [recovery]
    assert len(window.document.project.main.clips) == 3 and window.document.dirty
    window.document.undo_stack.undo()  # the recovery is an undoable step
    assert len(window.document.project.main.clips) == 2
    window.document.undo_stack.redo()
    window.document.save()
    assert not recovery.exists() and len(load_project(project_file).main.clips) == 3
    window.close()


def test_declining_keeps_the_saved_file_and_asks_no_more(qtbot: Any, project_file: Path) -> None:
    from studio.gui.app import Launcher

    _killed_mid_edit(project_file)
    launcher = Launcher(ask=lambda _: False, warn=pytest.fail)
    window = launcher.open_project(str(project_file))
    assert window is not None and len(window.document.project.main.clips) == 2
    assert not window.document.dirty and newer_recovery(project_file) is None
    window.close()


def test_a_damaged_autosave_is_reported_once_and_set_aside(qtbot: Any, project_file: Path) -> None:
    from studio.gui.app import Launcher

    recovery = project_file.with_name(project_file.name + SUFFIX)
    recovery.write_text("{ not json", encoding="utf-8")
    warnings: list[str] = []
    launcher = Launcher(ask=lambda _: True, warn=warnings.append)
    window = launcher.open_project(str(project_file))
    assert window is not None and len(window.document.project.main.clips) == 2
    assert len(warnings) == 1 and "could not be read" in warnings[0]
    assert not recovery.exists() and recovery.with_name(recovery.name + ".corrupt").exists()
    again = launcher.open_project(str(project_file))  # no loop: nothing is offered again
    assert again is not None and len(warnings) == 1
    window.close()
    again.close()


def test_a_clean_close_removes_the_autosave(qtbot: Any, project_file: Path) -> None:
    from fractions import Fraction

    from studio.gui.app import Launcher
    from studio.model import edits

    launcher = Launcher(ask=lambda _: True, warn=pytest.fail, autosave_ms=50)
    window = launcher.open_project(str(project_file))
    assert window is not None
    window.document.apply("Split", edits.split_clip, Fraction(1, 2))
    qtbot.waitUntil(window.autosaver.path.exists, timeout=5000)
    window.document.save()
    assert not window.autosaver.path.exists()
    window.close()
