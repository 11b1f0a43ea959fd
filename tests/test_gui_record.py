"""The record screen with the test source: segments, a retake, the length limit, and "Done"
joining the kept segments into a take that joins the project's track."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.gui.document import Document
from studio.gui.jobs import Jobs
from studio.io.probe import probe
from studio.model.timeline import Project
from tests.helpers import all_frames


def _record(qtbot: Any, dialog: Any, seconds: float) -> None:
    dialog.record.click()
    assert dialog.record.text() == "Stop"
    qtbot.wait(round(seconds * 1000))
    dialog.record.click()
    assert dialog.record.text() == "Record"


def test_segments_a_retake_and_done_make_one_take_in_the_project(
    qtbot: Any, tmp_path: Path
) -> None:
    from studio.gui.main_window import MainWindow

    document = Document(Project())
    document.path = tmp_path / "edit.studio.json"
    window = MainWindow(document, Jobs())
    qtbot.addWidget(window)
    dialog = window.open_record()
    assert not dialog.done_button.isEnabled()  # nothing recorded yet
    _record(qtbot, dialog, 1.0)
    _record(qtbot, dialog, 0.6)
    dialog.retake.click()  # the second segment was bad
    _record(qtbot, dialog, 0.8)
    kept = [seconds for _, seconds in dialog.parts]
    assert len(kept) == 2 and dialog.ring.share > 0
    dialog.done_button.click()
    qtbot.waitUntil(lambda: len(document.project.main.clips) == 1, timeout=20_000)
    clip = document.project.main.clips[0]
    take = Path(clip.media.path)
    assert take.parent == tmp_path / "takes" and take.name == "take-001.mp4"
    frames = len(all_frames(take, (36, 64)))
    print(f"kept {kept}: {frames} frames, {float(probe(take).duration):.3f} s")
    assert frames == round(sum(kept) * 30)
    assert not list((tmp_path / "takes").glob("*.mkv"))  # the segments are gone
    window.jobs.wait()


def test_recording_stops_at_the_length_limit(qtbot: Any, tmp_path: Path) -> None:
    from studio.gui.capture.dialog import RecordDialog

    dialog = RecordDialog(tmp_path, size=(180, 320))
    qtbot.addWidget(dialog)
    dialog.limit.setCurrentText("15 s")
    dialog.parts.append((tmp_path / "x.mkv", 14.5))  # 14.5 s already recorded
    dialog.record.click()
    qtbot.waitUntil(lambda: dialog.recording is None, timeout=5000)
    assert 14.9 <= dialog.recorded <= 15.05 and dialog.ring.share >= 0.99
