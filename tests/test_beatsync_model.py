"""cut_to_beats and beat edits as pure functions: cut positions, modes, short clips, snapping."""

from __future__ import annotations

import itertools
from dataclasses import replace
from fractions import Fraction

import pytest

from studio.errors import ProjectError, StudioError
from studio.model.beatsync import SyncOptions, cut_to_beats, in_order
from studio.model.edits import (
    add_beat,
    move_cut_to_beat,
    remove_beat,
    set_bar_length,
    set_beat_analysis,
    snap_to_beat,
    start_bars,
)
from studio.model.time import beat_time, nearest_frame
from studio.model.timeline import BeatGrid, Canvas, MusicTrack, cut_frames
from tests.factories import clip, ref

F = Fraction


def grid(
    bpm: float = 100,
    seconds: float = 60,
    first: float = 0.2,
    meter: int = 4,
    intensity: list[float] | None = None,
) -> BeatGrid:
    period = F(60) / F(str(bpm))
    beats = []
    t = F(str(first))
    while t < seconds:
        beats.append(beat_time(t))
        t += period
    return BeatGrid(
        tempo=bpm,
        meter=meter,
        detected=tuple(beats),
        downbeats=tuple(beats[::meter]),
        intensity=tuple(intensity) if intensity else tuple(0.5 for _ in beats),
    )


def song(beat_grid: BeatGrid, seconds: float = 60) -> MusicTrack:
    return MusicTrack(
        ref("/m/song.wav", seconds, has_video=False, width=0, height=0), grid=beat_grid
    )


def clips(count: int = 4, seconds: float = 30) -> list:
    return [clip(ref(f"/m/c{i}.mp4", seconds), 0, seconds) for i in range(count)]


def cut_times(project) -> list[Fraction]:  # type: ignore[no-untyped-def]
    return [F(f, project.canvas.fps) for f in cut_frames(project.main.clips, project.canvas.fps)]


@pytest.mark.parametrize(("fps", "start"), [(30, 0), (30, F(7, 10)), (60, F(13, 10))])
def test_every_cut_is_the_frame_nearest_its_beat(fps: int, start: Fraction) -> None:
    music = song(grid(97))  # a period of 18.56 frames at 30 fps: rounding would accumulate
    result = cut_to_beats(clips(), music, SyncOptions(start=start), Canvas(fps=fps))
    bounds = cut_frames(result.project.main.clips, fps)
    beat_frames = [nearest_frame(t - start, fps) for t in music.grid.beats if t > start]
    first = beat_frames.index(bounds[1])
    assert first <= 1  # only a sliver before the first beat is skipped
    assert bounds[1:-1] == beat_frames[first : first + len(bounds) - 2]  # every beat, none moved
    assert bounds[-1] - bounds[-2] >= 9  # no sliver at the end either
    assert result.project.music is not None and result.project.music.offset == start


def test_every_n_beats_keeps_cuts_on_bar_starts() -> None:
    music = song(grid(120, first=0.5))  # beats 0.5, 1.0, ...; bars start at 0.5, 2.5, ...
    project = cut_to_beats(clips(), music, SyncOptions(every=2), Canvas()).project
    cuts = cut_times(project)[1:-1]
    assert cuts[:3] == [F(1, 2) + 1, F(5, 2), F(7, 2)] or cuts[:3] == [F(1, 2), F(3, 2), F(5, 2)]
    bars = set(music.beat_times("downbeats"))
    assert all(bar in cuts for bar in bars if 0 < bar < cuts[-1])
    assert all(b - a == 1 for a, b in itertools.pairwise(cuts))


def test_downbeat_mode_cuts_on_bars() -> None:
    music = song(grid(120, first=0.5))
    project = cut_to_beats(clips(), music, SyncOptions(mode="downbeats"), Canvas()).project
    cuts = cut_times(project)[1:-1]
    assert cuts == [t for t in music.beat_times("downbeats") if 1 < t < cuts[-1] + 1]
    two_bars = cut_to_beats(clips(), music, SyncOptions(mode="downbeats", every=2), Canvas())
    assert cut_times(two_bars.project)[1:-1] == cuts[1::2]


def test_energy_mode_cuts_faster_where_the_music_is_intense() -> None:
    beat_grid = grid(120, first=0.0)
    levels = [0.1 if t < 20 else 0.95 for t in beat_grid.detected]  # calm, then a drop
    music = song(BeatGrid(**{**beat_grid.__dict__, "intensity": tuple(levels)}))
    project = cut_to_beats(clips(), music, SyncOptions(mode="energy"), Canvas()).project
    lengths = [c.duration for c in project.main.clips]
    starts = cut_times(project)[:-1]
    calm = [n for n, s in zip(lengths, starts) if 2 <= s < 18]
    intense = [n for n, s in zip(lengths, starts) if 22 <= s < 28]
    assert calm and intense and min(calm) == 2 and max(intense) == F(1, 2)


def test_duration_ends_on_a_bar_with_a_fade() -> None:
    music = song(grid(120, first=0.0))  # bars every 2 s
    result = cut_to_beats(clips(), music, SyncOptions(duration=F(15)), Canvas())
    project = result.project
    assert project.duration in (14, 16)
    assert project.music is not None and project.music.fade_out == 2
    assert any("ends on a bar" in note for note in result.notes)
    with pytest.raises(ProjectError, match="longer than the music"):
        cut_to_beats(clips(), music, SyncOptions(start=F(50), duration=F(15)), Canvas())


def test_without_duration_the_edit_stops_at_the_last_bar_the_clips_fill() -> None:
    music = song(grid(120, first=0.0))
    project = cut_to_beats(clips(2, 5), music, SyncOptions(), Canvas()).project
    assert project.duration == 10  # 2 clips x 5 s, ending on the bar at 10 s


def test_in_order_reads_each_clip_onwards_without_repeats() -> None:
    music = song(grid(120, first=0.0))
    result = cut_to_beats(clips(2, 4), music, SyncOptions(every=2), Canvas())
    parts = [(c.media.name, c.source_in, c.source_out) for c in result.project.main.clips]
    assert parts == [
        ("c0.mp4", 0, 1),
        ("c1.mp4", 0, 1),
        ("c0.mp4", 1, 2),
        ("c1.mp4", 1, 2),
        ("c0.mp4", 2, 3),
        ("c1.mp4", 2, 3),
        ("c0.mp4", 3, 4),
        ("c1.mp4", 3, 4),
    ]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("next", "slowed to 0.50x"), ("slow", "slowed to 0.50x"), ("loop", "looped 2 times")],
)
def test_clip_shorter_than_its_slot(policy: str, expected: str) -> None:
    music = song(grid(60, first=0.0))  # bars every 4 s
    short = [clip(ref("/m/short.mp4", 2), 0, 2)]
    result = cut_to_beats(
        short,
        music,
        SyncOptions(mode="downbeats", duration=F(8), short=policy),
        Canvas(),  # type: ignore[arg-type]
    )
    assert result.project.duration == 8
    assert any(expected in note and "short.mp4" in note for note in result.notes), result.notes
    assert cut_frames(result.project.main.clips, 30)[-1] == 240


def test_next_policy_skips_a_short_clip_for_a_long_one() -> None:
    music = song(grid(60, first=0.0))
    mixed = [clip(ref("/m/short.mp4", 1), 0, 1), clip(ref("/m/long.mp4", 30), 0, 30)]
    result = cut_to_beats(mixed, music, SyncOptions(mode="downbeats", duration=F(12)), Canvas())
    assert {c.media.name for c in result.project.main.clips} == {"long.mp4"}
    assert all(c.speed == 1 for c in result.project.main.clips)


def test_material_is_reused_only_after_all_of_it_was_used() -> None:
    music = song(grid(120, first=0.0))
    result = cut_to_beats(clips(1, 3), music, SyncOptions(duration=F(6)), Canvas())
    ins = [c.source_in for c in result.project.main.clips]
    assert ins[:6] == [0, F(1, 2), 1, F(3, 2), 2, F(5, 2)] and ins[6] == 0
    assert any("repeat" in note for note in result.notes)


def test_bad_options_are_clear_errors() -> None:
    music = song(grid())
    with pytest.raises(ProjectError) as caught:
        SyncOptions(every=0)  # refused where it is made, naming the field, not a flag
    assert caught.value.message == "every: must be between 1 and 64 beats (got 0)"
    with pytest.raises(ProjectError, match="past the end of the music") as caught:
        cut_to_beats(clips(), music, SyncOptions(start=F(61)), Canvas())
    assert caught.value.field == "start"
    with pytest.raises(ProjectError, match="no beats"):
        cut_to_beats(clips(), song(BeatGrid()), SyncOptions(), Canvas())
    with pytest.raises(ProjectError, match="at least one clip"):
        cut_to_beats([], music, SyncOptions(), Canvas())


def test_user_beat_edits_survive_a_new_analysis() -> None:
    project = cut_to_beats(clips(), song(grid(120, first=0.0)), SyncOptions(), Canvas()).project
    project = add_beat(project, F(3, 4))
    project = remove_beat(project, F(51, 100))  # the detected beat at 0.5
    assert project.music is not None
    assert F(3, 4) in project.music.grid.beats and F(1, 2) not in project.music.grid.beats
    reanalysed = set_beat_analysis(project, grid(120, first=0.002))
    assert reanalysed.music is not None
    beats = reanalysed.music.grid.beats
    assert F(3, 4) in beats and not any(abs(b - F(1, 2)) < F(1, 20) for b in beats)
    assert F(1002, 1000) in beats  # the new analysis is in effect
    assert remove_beat(reanalysed, F(3, 4)).music.grid.added == ()  # type: ignore[union-attr]


def test_the_user_moves_the_bar_starts_and_sets_the_bar_length() -> None:
    """Bars analysed on the wrong beat: "start bars here" on the beat at 1.0 s makes every
    fourth beat from it a bar start; three beats per bar counts from there; both survive a new
    analysis, and downbeat cuts follow them."""
    music = song(grid(120, first=0.5))  # beats every 0.5 s from 0.5; bars at 0.5, 2.5, ...
    project = cut_to_beats(clips(), music, SyncOptions(), Canvas()).project
    moved = start_bars(project, F(104, 100))  # near the beat at 1.0
    assert moved.music is not None
    assert moved.music.grid.bar_start == 1
    assert moved.music.beat_times("downbeats")[:3] == (1, 3, 5)
    waltz = set_bar_length(moved, 3)
    assert waltz.music is not None and waltz.music.grid.beats_per_bar == 3
    assert waltz.music.beat_times("downbeats")[:4] == (1, F(5, 2), 4, F(11, 2))
    again = set_beat_analysis(waltz, grid(120, first=0.5))
    assert again.music is not None and again.music.beat_times("downbeats")[:2] == (1, F(5, 2))
    cuts = cut_to_beats(clips(), again.music, SyncOptions(mode="downbeats"), Canvas())
    assert cut_times(cuts.project)[1:4] == [1, F(5, 2), 4]
    length_only = set_bar_length(project, 2)  # counted from the first analysed bar start
    assert length_only.music.beat_times("downbeats")[:3] == (F(1, 2), F(3, 2), F(5, 2))  # type: ignore[union-attr]
    assert set_bar_length(length_only, 0).music.grid == project.music.grid  # type: ignore[union-attr]


def test_bar_edits_are_refused_clearly() -> None:
    project = cut_to_beats(clips(), song(grid(120)), SyncOptions(), Canvas()).project
    with pytest.raises(StudioError, match="between 2 and 7"):
        set_bar_length(project, 9)
    silent = replace(project, music=song(BeatGrid()))
    with pytest.raises(StudioError, match="no beats: analyse it first"):
        start_bars(silent, F(1))


def test_snap_and_move_a_cut_to_the_nearest_beat() -> None:
    project = cut_to_beats(clips(), song(grid(97)), SyncOptions(every=4), Canvas()).project
    cut = cut_frames(project.main.clips, 30)[2]
    beat = next(b for b in project.music.beat_times() if b * 30 > cut + 1)  # type: ignore[union-attr]
    assert snap_to_beat(project, beat + F(1, 10)) == F(nearest_frame(beat, 30), 30)
    assert snap_to_beat(project, beat + F(1, 10), within=F(1, 20)) == beat + F(1, 10)
    moved = move_cut_to_beat(project, 2, beat + F(1, 10))
    bounds = cut_frames(moved.main.clips, 30)
    assert bounds[2] == nearest_frame(beat, 30)
    assert bounds[3:] == cut_frames(project.main.clips, 30)[3:]  # no other cut moved
    assert moved.main.clips[2].source_out == project.main.clips[2].source_out


def test_picker_in_order_refuses_a_slot_past_the_clip_end() -> None:
    pick = in_order([clip(ref("/m/a.mp4", 3), 0, 3)])
    assert pick(0, F(1), [(F(0), F(5, 2))]) is None
    assert pick(0, F(1, 2), [(F(0), F(5, 2))]) == F(5, 2)
