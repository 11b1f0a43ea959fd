"""The record screen with the test source: segments, a retake, the length limit, and "Done"
joining the kept segments into a take that joins the project's track."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.gui.capture.sources import Choice
from studio.gui.document import Document
from studio.gui.jobs import Jobs
from studio.io.probe import probe
from studio.model.remix import your_offset
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


def test_a_duet_recorded_against_the_original_gets_the_playback_start_as_offset(
    qtbot: Any, tmp_path: Path
) -> None:
    """The original plays while you record (it pauses with you); the duet's offset is where
    the original was, by the player's clock, when the take began: checked against the frames
    the player showed, within a frame."""
    import time

    from studio.gui.capture.dialog import DuetRecordDialog
    from tests.helpers import make_clip

    original = probe(make_clip(tmp_path / "original.mp4", 6, size="360x640"))
    dialog = DuetRecordDialog(tmp_path / "takes", original, Jobs(), size=(180, 320))
    qtbot.addWidget(dialog)
    shown: list[tuple[float, float]] = []  # (when, the original's position) as the player shows
    dialog.player.position.connect(lambda seconds: shown.append((time.monotonic(), seconds)))
    made: list[Any] = []
    dialog.duet_ready.connect(made.append)
    dialog.original_at = 0.5  # the creator starts half a second into the original
    dialog.layout_box.setCurrentText("react")  # chosen before recording
    dialog.record.click()
    qtbot.waitUntil(lambda: dialog.recording is not None, timeout=10_000)
    started = dialog.started
    qtbot.wait(3000)  # long enough for a sound device's clock to have started
    dialog.record.click()  # stop: the original pauses too
    assert not dialog.player.playing
    when, position = shown[-1]  # the last frame shown while recording
    expected = position - (when - started)
    dialog.done_button.click()
    qtbot.waitUntil(lambda: bool(made), timeout=30_000)
    duet = made[0].project
    offset = your_offset(duet)
    assert offset is not None
    clock = dialog.player.stats.clock
    print(f"offset {float(offset):.3f} s, expected {expected:.3f} s ({clock} clock)")
    assert abs(float(offset) - expected) <= 1 / 30
    if clock == "system":  # no device latency: the original started where asked
        assert abs(float(offset) - 0.5) < 0.1
    (yours,) = duet.layers[0].clips
    assert Path(yours.media.path).name == "take-001.mp4"
    assert yours.transform is not None and yours.transform.mask is not None  # react: rounded


def test_the_window_records_a_duet_with_the_selected_clip(qtbot: Any, tmp_path: Path) -> None:
    from studio.gui.main_window import MainWindow
    from studio.model.edits import clip_of
    from studio.model.timeline import Canvas, Track
    from tests.helpers import make_clip

    original = clip_of(probe(make_clip(tmp_path / "original.mp4", 3, size="360x640")))
    document = Document(Project(Canvas(), Track((original,))))
    window = MainWindow(document, Jobs())
    qtbot.addWidget(window)
    assert window.open_record_duet() is None  # nothing selected: it says so
    window.timeline.selection = original.id
    dialog = window.open_record_duet()
    dialog.use(Choice(size=(180, 320)))
    dialog.record.click()
    qtbot.waitUntil(lambda: dialog.recording is not None, timeout=10_000)
    qtbot.wait(700)
    dialog.record.click()  # stop
    dialog.done_button.click()
    qtbot.waitUntil(
        lambda: bool(document.project.layers) or "could not" in window.status.text(),
        timeout=30_000,
    )
    assert your_offset(document.project) is not None, window.status.text()
    assert document.project.main.clips[0].media.path == original.media.path
    document.undo_stack.undo()
    assert your_offset(document.project) is None
    window.jobs.wait()


def _grab_colour(label: Any, x_share: float) -> Any:
    """The preview's colour at a share of its picture's width, half-way down."""
    import numpy as np

    image = label.pixmap().toImage()
    pixel = image.pixelColor(int(x_share * (image.width() - 1)), image.height() // 4)
    return np.array([pixel.red(), pixel.green(), pixel.blue()])


def test_a_front_camera_is_previewed_mirrored_and_recorded_as_it_is(
    qtbot: Any, tmp_path: Path
) -> None:
    """The test pattern posing as a front camera: the preview shows the bars right to left;
    the take has them left to right, unless "Mirror the recording" is on."""
    import numpy as np

    from studio.gui.capture.dialog import RecordDialog
    from studio.gui.capture.sources import BARS
    from tests.helpers import frame

    white, blue = np.array(BARS[0]), np.array(BARS[-1])
    takes = []
    for mirror in (False, True):
        dialog = RecordDialog(tmp_path / str(mirror), choice=Choice(size=(180, 320), front=True))
        qtbot.addWidget(dialog)
        dialog.sources.mirror.setChecked(mirror)
        dialog.use(Choice(size=(180, 320), front=True, mirror=mirror))
        qtbot.wait(100)
        assert np.abs(_grab_colour(dialog.preview, 0.02) - blue).max() < 40  # mirrored
        assert np.abs(_grab_colour(dialog.preview, 0.98) - white).max() < 40
        dialog.done_button.setEnabled(True)
        dialog.taken = []
        dialog.take_ready.connect(dialog.taken.append)
        _record(qtbot, dialog, 0.5)
        dialog.done_button.click()
        qtbot.waitUntil(lambda d=dialog: bool(d.taken), timeout=20_000)
        takes.append(frame(Path(dialog.taken[0]), 5))
    plain, mirrored = takes
    assert np.abs(plain[10, 3].astype(int) - white).max() < 40  # as the camera saw it
    assert np.abs(mirrored[10, 3].astype(int) - blue).max() < 40  # flipped, as asked


def test_a_denied_camera_is_said_plainly_and_nothing_hangs(
    qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from studio.gui.capture import dialog as record_screen
    from studio.gui.capture.sources import denied_message

    asked: list[str] = []

    def denied(kind: str) -> str:
        asked.append(kind)
        return denied_message(kind)

    monkeypatch.setattr(record_screen, "permission_problem", denied)
    dialog = record_screen.RecordDialog(tmp_path, choice=Choice("camera", size=(180, 320)))
    qtbot.addWidget(dialog)
    assert asked == ["camera"]
    assert "not allowed to use the camera" in dialog.status.text()
    assert not dialog.record.isEnabled()
    dialog.use(Choice(size=(180, 320)))  # the test pattern needs no permission
    assert dialog.record.isEnabled() and "not allowed" not in dialog.status.text()


def test_the_status_line_counts_while_recording(qtbot: Any, tmp_path: Path) -> None:
    from studio.gui.capture.dialog import RecordDialog

    dialog = RecordDialog(tmp_path, choice=Choice(size=(180, 320)))
    qtbot.addWidget(dialog)
    dialog.record.click()
    qtbot.wait(1300)
    said = dialog.status.text()
    dialog.record.click()
    print(said)
    assert (
        said.startswith("recording segment 1: 0:01.") and "test pattern and the test tone" in said
    )


def test_a_screen_and_a_microphone_record_through_the_live_session(
    qtbot: Any, tmp_path: Path
) -> None:
    """The device path (one capture session for the preview, a recorder per segment): the
    offscreen screen, with the first microphone where there is one (CI's PulseAudio; its
    loopback source starts delivering about 2 s late, so the segments are longer)."""
    from studio.gui.capture.dialog import RecordDialog
    from studio.gui.qt import multimedia

    mics = multimedia().QMediaDevices.audioInputs()
    sound = None if not mics else bytes(mics[0].id().data()).decode()
    dialog = RecordDialog(tmp_path, choice=Choice("screen", "0", sound))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview.pixmap() is not None, timeout=5000)
    keys = set()
    for _ in range(25):  # the preview follows the live frames (each new frame shown once)
        qtbot.wait(20)
        keys.add(dialog.preview.pixmap().cacheKey())
    assert len(keys) >= 5
    taken: list[str] = []
    dialog.take_ready.connect(taken.append)
    _record(qtbot, dialog, 2.5)
    _record(qtbot, dialog, 2.5)
    kept = sum(seconds for _, seconds in dialog.parts)
    dialog.done_button.click()
    qtbot.waitUntil(lambda: bool(taken), timeout=20_000)
    media = probe(Path(taken[0]))
    print(f"screen take {float(media.duration):.2f} s of {kept:.2f} s recorded, {sound}")
    assert kept > 4 and abs(float(media.duration) - kept) < 0.1 and media.width > 0
    assert media.has_audio == (sound is not None)


def test_segments_left_by_a_killed_app_come_back_as_a_take(qtbot: Any, tmp_path: Path) -> None:
    """A recording killed mid-segment (here the recorder process, with SIGKILL) leaves its
    segment, playable up to its last written cluster (the muxer writes one every 5 s); the
    next time the record screen opens it becomes a take in the project."""
    import subprocess
    import sys
    import time

    from studio.gui.main_window import MainWindow

    takes = tmp_path / "takes"
    takes.mkdir()
    argv = [sys.executable, "-m", "studio", "record", "-o", str(takes / "x.mp4")]
    process = subprocess.Popen(
        [*argv, "--source", "test", "--duration", "60", "--size", "360x640"],
        stderr=subprocess.PIPE,
        encoding="utf-8",
    )
    assert process.stderr is not None
    while "Ctrl+C" not in process.stderr.readline():
        pass
    time.sleep(7)
    process.kill()  # SIGKILL; TerminateProcess on Windows
    process.wait()
    (takes / "x.part1.mkv").rename(takes / ".segment-001.mkv")  # as the app names them
    document = Document(Project())
    document.path = tmp_path / "edit.studio.json"
    window = MainWindow(document, Jobs())
    qtbot.addWidget(window)
    window.open_record().reject()
    qtbot.waitUntil(lambda: len(document.project.main.clips) == 1, timeout=20_000)
    take = Path(document.project.main.clips[0].media.path)
    frames = len(all_frames(take, (18, 32)))
    print(f"recovered {take.name}: {frames} frames")
    assert take.name == "take-recovered-001.mp4" and frames >= 30
    assert not list(takes.glob(".segment-*"))
    window.jobs.wait()
