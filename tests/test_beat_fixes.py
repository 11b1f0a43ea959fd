"""One-step fixes of a beat grid (model/beat_fixes.py): double, half, half a beat later, tap
tempo (4 taps set the tempo and phase, the tracker keeps the music's own timing), and
`studio beats SONG --bpm N --phase S` for scripts."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from studio.app.beats import analyse_beats, tapped_grid
from studio.errors import ProjectError
from studio.model import beat_fixes, edits
from studio.model.timeline import BeatGrid, MediaRef, MusicTrack, Project
from tests.helpers import studio
from tests.music import f_measure, offbeat_groove, write_wav

F = Fraction


def _grid() -> BeatGrid:
    beats = tuple(F(i, 2) for i in range(1, 9))  # 120 BPM from 0.5 s
    return BeatGrid(120.0, 4, beats, beats[::4], intensity=tuple(i / 8 for i in range(8)))


def test_double_half_and_a_half_beat_later() -> None:
    grid = _grid()
    double = beat_fixes.doubled(grid)
    assert double.tempo == 240 and double.detected[:3] == (F(1, 2), F(3, 4), F(1))
    assert len(double.intensity) == len(double.detected) and double.bar_starts == grid.bar_starts
    half = beat_fixes.halved(grid)
    assert half.tempo == 60 and half.detected == (F(1, 2), F(3, 2), F(5, 2), F(7, 2))
    assert half.bar_starts[0] == F(1, 2) and len(half.intensity) == 4
    assert beat_fixes.halved(double).detected == grid.detected  # back where it was
    later = beat_fixes.shifted_half(replace_bars(grid, F(1)))
    assert later.detected[:2] == (F(3, 4), F(5, 4)) and later.detected[-1] == F(17, 4)
    assert later.bar_start == F(5, 4)  # the user's bar start moves with the beats
    with pytest.raises(ProjectError, match="too few beats"):
        beat_fixes.doubled(BeatGrid())


def replace_bars(grid: BeatGrid, start: Fraction) -> BeatGrid:
    return grid.with_bars(start=start)


def test_the_fixes_are_project_edits_on_the_music() -> None:
    music = MusicTrack(MediaRef("/m/song.wav", F(10), has_video=False), grid=_grid())
    project = Project(music=music)
    assert edits.fix_beats(project, "double").music.grid.tempo == 240  # type: ignore[union-attr]
    with pytest.raises(ProjectError, match="double, half, shift"):
        edits.fix_beats(project, "triple")


def test_taps_give_the_tempo_and_phase() -> None:
    taps = [1.0 + i * 0.6 + jitter for i, jitter in enumerate((0.012, -0.015, 0.01, -0.008))]
    bpm, phase = beat_fixes.tapped(taps)
    assert abs(bpm - 100) < 2 and abs(phase - 1.0) < 0.02
    with pytest.raises(ProjectError, match="at least 4"):
        beat_fixes.tapped(taps[:3])
    with pytest.raises(ProjectError, match="uneven"):
        beat_fixes.tapped([1.0, 1.6, 2.6, 3.2])


@pytest.fixture(scope="module")
def groove(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    samples, beats = offbeat_groove(100, 20)  # loud chops on the off-beats
    return write_wav(tmp_path_factory.mktemp("taps") / "ska.wav", samples), beats


def test_tap_tempo_within_two_percent_sets_the_grid_within_ten_ms(
    groove: tuple[Path, np.ndarray],
) -> None:
    """Four taps 2% fast and up to 15 ms off: the grid lands within 10 ms of every beat (the
    tracker's timing, the taps' tempo and phase); taps on the off-beats put it there; taps at
    twice the tempo give twice the beats."""
    path, beats = groove
    jitter = np.array([0.012, -0.015, 0.01, -0.008])
    taps = beats[3] + np.arange(4) * 60 / 102 + jitter
    found = np.array([float(t) for t in tapped_grid(path, list(taps)).beats])
    errors = [float(np.min(np.abs(found - beat))) for beat in beats[1:-1]]
    print(f"tapped: {max(errors) * 1000:.1f} ms at worst, F {f_measure(beats, found):.3f}")
    assert max(errors) <= 0.010
    off = np.array([float(t) for t in tapped_grid(path, list(taps + 0.3)).beats])
    assert f_measure(beats + 0.3, off) > 0.95 and f_measure(beats, off) < 0.1
    fast = tapped_grid(path, list(beats[3] + np.arange(6) * 0.3 + 0.0))
    assert abs(fast.tempo - 200) < 4 and len(fast.beats) > 1.8 * len(found)


def test_the_command_line_puts_a_beat_at_the_phase(
    groove: tuple[Path, np.ndarray], tmp_path: Path
) -> None:
    """Whichever pulse the tracker reads in this groove (the soft kick or the loud chops half
    a beat later), `--bpm --phase` puts the grid on the one the user names."""
    path, beats = groove
    for phase, expected in ((beats[4], beats), (beats[4] + 0.3, beats + 0.3)):
        done = studio("beats", path, "--bpm", "100", "--phase", f"{phase:.3f}", "--json")
        assert done.returncode == 0, done.stderr
        moved = np.array(json.loads(done.stdout)["beats"])
        assert f_measure(expected, moved) > 0.95
    done = studio("beats", path, "--phase", "1.2")
    assert done.returncode == 2 and "--phase needs --bpm" in done.stderr


def test_in_the_app_taps_set_the_beats_and_the_fixes_are_one_step_each(
    qtbot: Any, groove: tuple[Path, np.ndarray]
) -> None:
    """T pressed with the music (here: at the playhead) four times, 2% fast: the music's beats
    follow the taps within 10 ms, one undo step for the run; double, half and the half-beat
    shift are each one step and show on the music lane at once."""
    from studio.app.project import with_music
    from studio.model.clip import Clip, colour_media
    from studio.model.timeline import Track
    from tests.helpers import open_window

    path, beats = groove
    backdrop = Clip(colour_media("#203040"), F(0), F(15))
    project = with_music(Project(main=Track((backdrop,))), path)
    project = edits.set_beat_analysis(project, beat_fixes.halved(analyse_beats(path).grid()))
    window = open_window(qtbot, project)
    document = window.document
    before = document.project.music.grid
    for index in range(4):
        window.show_time(F(float(beats[3] + index * 60 / 102)).limit_denominator(1000))
        window.commands["edit.tap_tempo"].trigger()
    qtbot.waitUntil(lambda: document.project.music.grid.tempo > 90, timeout=30_000)
    found = np.array([float(t) for t in document.project.music.grid.beats])
    assert max(float(np.min(np.abs(found - beat))) for beat in beats[1:-1]) <= 0.010
    document.undo_stack.undo()
    assert document.project.music.grid == before  # the taps were one step
    count = len(before.detected)
    window.commands["edit.double_tempo"].trigger()
    assert len(document.project.music.grid.detected) == 2 * count - 1
    window.commands["edit.half_tempo"].trigger()
    assert document.project.music.grid.detected == before.detected
    window.commands["edit.shift_beats"].trigger()
    assert document.project.music.grid.detected[0] > before.detected[0]
    for _ in range(3):
        document.undo_stack.undo()
    assert document.project.music.grid == before
    from studio.gui.qt import QContextMenuEvent, QPoint
    from studio.gui.timeline.lanes import bed_lane

    lane, canvas = bed_lane(window.timeline.lanes), window.timeline
    click = QPoint(200, lane.top + lane.height // 2)
    reason = QContextMenuEvent.Reason.Mouse
    with qtbot.waitSignal(canvas.beats_menu, timeout=2000):  # a right-click on the music lane
        canvas.contextMenuEvent(QContextMenuEvent(reason, click, canvas.mapToGlobal(click)))
    offered = [action.text() for action in window.beats_menu().actions()]
    assert offered[:4] == ["&Tap tempo", "&Double the tempo", "&Half the tempo",
                           "Shift the beats half a beat"]  # fmt: skip


def test_the_music_lane_says_when_the_beat_is_unsure(qtbot: Any) -> None:
    """An analysis under the steady threshold is said on the music lane (with the fixes to
    use); a sure one, a grid the user set, or a file from before format 21 says nothing."""
    from dataclasses import replace

    from studio.gui.timeline.lanes import bed_lane
    from studio.gui.timeline.paint import COLORS
    from studio.model.clip import Clip, colour_media
    from studio.model.timeline import Track
    from tests.helpers import open_window

    backdrop = Clip(colour_media("#203040"), F(0), F(8))
    music = MusicTrack(MediaRef("/m/song.wav", F(10), has_video=False), grid=_grid())
    window = open_window(qtbot, Project(main=Track((backdrop,)), music=music))
    canvas = window.timeline
    want = COLORS["unsure"].getRgb()[:3]

    def said() -> int:
        image, lane = canvas.grab().toImage(), bed_lane(canvas.lanes)
        return sum(
            image.pixelColor(x, y).getRgb()[:3] == want
            for x in range(0, 400)
            for y in range(lane.top, lane.bottom)
        )

    for confidence, shown in ((0.12, True), (0.6, False), (-1.0, False)):
        grid = replace(music.grid, confidence=confidence)
        window.document.apply("grid", edits.set_beat_grid, grid)
        assert (said() > 20) == shown, confidence
    assert not beat_fixes.doubled(replace(music.grid, confidence=0.12)).unsure  # the user's now


def test_the_confidence_is_kept_in_the_project_file(tmp_path: Path) -> None:
    from dataclasses import replace

    from studio.io.project_file import load_project, save_project

    song = MediaRef("/m/song.wav", F(10), has_video=False, has_audio=True)
    music = MusicTrack(song, grid=_grid())
    path = tmp_path / "unsure.studio.json"
    unsure = replace(music.grid, confidence=0.12)
    save_project(Project(music=replace(music, grid=unsure)), path)
    assert load_project(path, check_media=False).music.grid.confidence == 0.12  # type: ignore[union-attr]
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["music"]["grid"]["confidence"]  # as a file of format 20 has it
    document["version"] = 20
    path.write_text(json.dumps(document), encoding="utf-8")
    assert not load_project(path, check_media=False).music.grid.unsure  # type: ignore[union-attr]
