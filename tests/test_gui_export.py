"""Export from the app: presets by platform, an estimated size, and a queue that renders one
export after another in the background from the snapshot each was given.

The size estimate's figures (studio/app/export_size.py) come from exporting 3 s of 14 clips of
the shared media with each preset; here it is checked against real exports of generated media
(testsrc2 and a tone), where the estimate must land within 0.5x-2x of the file written.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from studio.app import Progress
from studio.app.export_size import check_target, estimate_size, size_text
from studio.errors import RenderError
from studio.gui.export_dialog import ExportDialog, progress_text
from studio.gui.export_queue import queue_of
from studio.gui.export_rows import ExportRow
from studio.gui.jobs import Jobs
from studio.gui.qt import Qt
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.timeline import Canvas, Project, Track
from tests.helpers import inspect_output, make_clip

FACTOR = 2.0  # the estimate is within this factor of the real size, either way


def _project(*paths: Path, canvas: Canvas | None = None) -> Project:
    return Project(canvas or Canvas(), Track(tuple(clip_of(probe(p)) for p in paths)))


def _rows(dialog: ExportDialog) -> list[ExportRow]:
    """The queue's rows as shown, top to bottom."""
    found = (dialog.rows.itemAt(i).widget() for i in range(dialog.rows.count()))
    return [row for row in found if isinstance(row, ExportRow)]


def test_progress_text_counts_frames_and_time() -> None:
    text = progress_text(Progress(0.25, "rendering", 12.4), 480, 4.2)
    assert text == "rendering · frame 120 of 480 · 4 s elapsed · 12 s left"


def test_the_estimate_follows_size_rate_length_and_sound(tmp_path: Path) -> None:
    loud = _project(make_clip(tmp_path / "loud.mp4", 1))
    quiet = _project(make_clip(tmp_path / "quiet.mp4", 1, audio=False))
    longer = _project(tmp_path / "loud.mp4", tmp_path / "loud.mp4")
    square = _project(tmp_path / "loud.mp4", canvas=Canvas(1080, 1080))
    tiktok = estimate_size(loud, "tiktok")
    assert estimate_size(loud, "draft").likely < tiktok.likely < tiktok.busy
    assert estimate_size(longer, "tiktok").likely == pytest.approx(2 * tiktok.likely, rel=0.01)
    assert estimate_size(quiet, "tiktok").likely < tiktok.likely - 20_000  # no 192 kbps sound
    assert estimate_size(square, "tiktok").likely < tiktok.likely
    # A 30 fps source at 60 fps repeats its frames, which cost almost nothing.
    assert estimate_size(loud, "tiktok60").likely == tiktok.likely
    assert [size_text(n) for n in (850, 12_400, 5_240_000, 48_000_000)] == [
        "1 kB",
        "12 kB",
        "5.2 MB",
        "48 MB",
    ]


def test_presets_are_shown_by_platform_and_the_estimate_follows_the_choice(
    qtbot: Any, tmp_path: Path
) -> None:
    project = _project(make_clip(tmp_path / "in.mp4", 1, rate="24"), canvas=Canvas(fps=24))
    dialog = ExportDialog(project, Jobs(), tmp_path / "out.mp4")
    qtbot.addWidget(dialog)
    texts = [dialog.preset.item(row).text().strip() for row in range(dialog.preset.count())]
    assert texts == [
        "TikTok",
        "1080x1920 · 30 fps",
        "1080x1920 · 60 fps",
        "Instagram Reels",
        "1080x1920 · 30 fps",
        "YouTube Shorts",
        "1080x1920 · 24 fps (the edit's rate)",
        "Draft",
        "540x960 · 24 fps (the edit's rate)",
    ]
    assert dialog.preset.currentText() == "tiktok"
    assert dialog.summary.text() == "TikTok · 1080x1920 · 30 fps · 0:01"
    tiktok = dialog.estimate.text()
    heading = dialog.preset.visualItemRect(dialog.preset.item(3)).center()
    qtbot.mouseClick(dialog.preset.viewport(), Qt.MouseButton.LeftButton, pos=heading)
    assert dialog.preset.currentText() == "tiktok"  # a heading is not a choice
    draft = dialog.preset.visualItemRect(dialog.preset.item(8)).center()
    qtbot.mouseClick(dialog.preset.viewport(), Qt.MouseButton.LeftButton, pos=draft)
    assert dialog.preset.currentText() == "draft"
    assert dialog.summary.text() == "Draft · 540x960 · 24 fps · 0:01"
    assert dialog.estimate.text().startswith("about ") and dialog.estimate.text() != tiktok
    assert dialog.busy.text().startswith("Grainy, handheld camera footage runs larger, up to ")


def test_two_queued_exports_render_in_turn_each_from_its_own_snapshot(
    qtbot: Any, tmp_path: Path
) -> None:
    clip = make_clip(tmp_path / "in.mp4", 1)
    edit = {"now": _project(clip)}
    dialog = ExportDialog(edit["now"], Jobs(), tmp_path / "trip.mp4", lambda: edit["now"])
    qtbot.addWidget(dialog)
    seen: list[tuple[str, str]] = []
    dialog.queue.changed.connect(lambda e: seen.append((e.target.name, e.state)))
    exported: list[str] = []
    dialog.exported.connect(exported.append)
    dialog.preset.setCurrentText("draft")
    assert dialog.start_button.text() == "Export"
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    edit["now"] = _project(clip, clip)  # editing goes on: the first export keeps its 1 s edit
    dialog.preset.setCurrentText("shorts")
    assert dialog.start_button.text() == "Add to queue"
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    first, second = dialog.queue.entries
    assert second.target == tmp_path / "trip-shorts.mp4"  # never over the first one's file
    assert [row.name.text() for row in _rows(dialog)] == ["trip-shorts.mp4", "trip.mp4"]
    qtbot.waitUntil(lambda: not first.open and not second.open, timeout=180000)
    assert (first.state, second.state) == ("done", "done"), (first.status, second.status)
    assert exported == [str(first.target), str(second.target)]
    states = [state for _, state in dict.fromkeys(seen)]
    assert states == ["exporting", "done", "exporting", "done"]  # one after the other
    assert [name for name, _ in dict.fromkeys(seen)] == ["trip.mp4"] * 2 + ["trip-shorts.mp4"] * 2
    found = inspect_output(first.target), inspect_output(second.target)
    assert [(f.width, f.height, round(f.fps, 2), f.frames) for f in found] == [
        (540, 960, 30, 30),
        (1080, 1920, 30, 60),
    ]
    for entry in (first, second):
        real = entry.target.stat().st_size
        assert 1 / FACTOR < real / entry.estimate.likely < FACTOR, (real, entry.estimate)
    row = next(r for r in _rows(dialog) if r.entry is first)
    assert row.reveal_button.isVisibleTo(dialog) and not row.cancel_button.isVisibleTo(dialog)
    assert row.state.text() == f"done · {size_text(first.size)}"


def test_cancel_stops_the_export_and_keeps_the_previous_file(qtbot: Any, tmp_path: Path) -> None:
    project = _project(make_clip(tmp_path / "long.mp4", 20, size="1280x720"))
    (tmp_path / "out.mp4").write_bytes(b"the previous export")
    dialog = ExportDialog(project, Jobs(), tmp_path / "out.mp4")
    qtbot.addWidget(dialog)
    running, waiting = dialog.start(), dialog.start()
    assert running is not None and waiting is not None
    rows = {row.entry.target.name: row for row in _rows(dialog)}
    assert rows["out-tiktok.mp4"].status.text() == "waiting for the export before it"
    qtbot.mouseClick(rows["out-tiktok.mp4"].cancel_button, Qt.MouseButton.LeftButton)
    assert waiting.state == "cancelled" and running.state == "exporting"
    qtbot.waitUntil(lambda: running.fraction > 0 or "rendering" in running.status, timeout=60000)
    with qtbot.waitSignal(dialog.stopped, timeout=30000) as stopped:
        qtbot.mouseClick(rows["out.mp4"].cancel_button, Qt.MouseButton.LeftButton)
    assert "cancelled" in stopped.args[0]
    assert (tmp_path / "out.mp4").read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.mp4", "out.mp4"]
    assert dialog.start_button.text() == "Export"


def test_a_failed_export_says_why_and_the_queue_goes_on(qtbot: Any, tmp_path: Path) -> None:
    good = _project(make_clip(tmp_path / "in.mp4", 1))
    moved = _project(make_clip(tmp_path / "moved.mp4", 1))
    jobs = Jobs()
    first = ExportDialog(good, jobs, tmp_path / "a.mp4")
    first.preset.setCurrentText("draft")
    running = first.start()
    second = ExportDialog(moved, jobs, tmp_path / "b.mp4")  # opened again: the same queue
    qtbot.addWidget(second)
    assert [row.entry for row in _rows(second)] == [running]
    second.preset.setCurrentText("draft")
    failing = second.start()
    (tmp_path / "moved.mp4").unlink()  # while it waits its turn
    after = first.start()
    queue = first.queue
    first.deleteLater()  # closed for good: its exports go on, nothing calls into it
    qtbot.waitUntil(lambda: not any(e.open for e in queue.entries), timeout=120000)
    assert [e.state for e in (running, failing, after)] == ["done", "failed", "done"]
    assert failing is not None
    assert failing.status == "missing: moved.mp4 (File > Relink media... to find them)"
    assert second.start() is None  # queued again: said at once, and not queued
    assert second.problem.text() == failing.status and second.problem.isVisibleTo(second)
    assert queue_of(jobs) is queue is second.queue and len(queue.entries) == 3
    assert len(_rows(second)) == 3


def test_a_bad_file_or_folder_is_said_plainly_and_nothing_is_queued(
    qtbot: Any, tmp_path: Path
) -> None:
    dialog = ExportDialog(_project(make_clip(tmp_path / "in.mp4", 1)), Jobs(), tmp_path / "o.mp4")
    qtbot.addWidget(dialog)
    (tmp_path / "notes.txt").write_text("not a folder", encoding="utf-8")
    for target, said in (
        (tmp_path / "missing" / "out.mp4", "the folder does not exist"),
        (tmp_path / "notes.txt" / "out.mp4", "the folder does not exist"),
        (tmp_path / "out", "choose a file name ending in .mp4"),
        (tmp_path, "choose a file name ending in .mp4"),
    ):
        dialog.target.setText(str(target))
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        assert said in dialog.problem.text() and dialog.problem.isVisibleTo(dialog), target
    assert dialog.queue.entries == []
    dialog.target.setText(str(tmp_path / "fine.mp4"))
    assert dialog.start() is not None and not dialog.problem.isVisibleTo(dialog)
    dialog.queue.cancel(dialog.queue.entries[0])
    qtbot.waitUntil(lambda: not dialog.queue.entries[0].open, timeout=60000)


def test_an_unwritable_folder_is_found_before_the_render(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(locked, os.W_OK):  # root, or a system without POSIX permissions
            pytest.skip("this user can write in a read-only folder")
        with pytest.raises(RenderError, match="cannot write in this folder"):
            check_target(locked / "out.mp4")
    finally:
        locked.chmod(stat.S_IRWXU)
    assert check_target(locked / "out.mp4") == (locked / "out.mp4").absolute()
