"""Export from the app, in the background: progress, a finished file, and a cancel that keeps
the previous file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.app import Progress
from studio.gui.export_dialog import ExportDialog, progress_text
from studio.gui.jobs import Jobs
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.timeline import Canvas, Project, Track
from tests.helpers import inspect_output, make_clip


def _project(path: Path) -> Project:
    return Project(Canvas(), Track((clip_of(probe(path)),)))


def test_progress_text_counts_frames_and_time() -> None:
    text = progress_text(Progress(0.25, "rendering", 12.4), 480, 4.2)
    assert text == "rendering · frame 120 of 480 · 4 s elapsed · 12 s left"


def test_export_runs_in_the_background_and_reports_the_file(qtbot: Any, tmp_path: Path) -> None:
    project = _project(make_clip(tmp_path / "in.mp4", 2))
    dialog = ExportDialog(project, Jobs(), tmp_path / "out.mp4")
    qtbot.addWidget(dialog)
    dialog.preset.setCurrentText("draft")
    texts: list[str] = []
    with qtbot.waitSignal(dialog.exported, timeout=60000) as exported:
        dialog.start()
        assert dialog.cancel_button.isEnabled() and not dialog.start_button.isEnabled()
        dialog.bar.valueChanged.connect(lambda _: texts.append(dialog.status.text()))
    assert Path(exported.args[0]) == tmp_path / "out.mp4"
    found = inspect_output(tmp_path / "out.mp4")
    assert (found.width, found.height, found.frames) == (540, 960, 60)
    assert any("frame" in text and "elapsed" in text for text in texts)
    assert dialog.reveal_button.isEnabled() and dialog.start_button.isEnabled()


def test_cancel_stops_the_export_and_keeps_the_previous_file(qtbot: Any, tmp_path: Path) -> None:
    project = _project(make_clip(tmp_path / "long.mp4", 20, size="1280x720"))
    (tmp_path / "out.mp4").write_bytes(b"the previous export")
    dialog = ExportDialog(project, Jobs(), tmp_path / "out.mp4")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.stopped, timeout=30000) as stopped:
        dialog.start()
        qtbot.waitUntil(
            lambda: dialog.bar.value() > 0 or "rendering" in dialog.status.text(), timeout=20000
        )
        dialog.cancel_button.click()
    assert "cancelled" in stopped.args[0]
    assert (tmp_path / "out.mp4").read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.mp4", "out.mp4"]
