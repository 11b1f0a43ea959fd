"""The pure model: exact time, cut frames that never drift, edits and validation."""

from __future__ import annotations

from fractions import Fraction

import pytest

from studio.errors import ProjectError
from studio.model import edits
from studio.model.time import nearest_frame, parse_time
from studio.model.timeline import Clip, Fit, cut_frames
from studio.model.validate import platform_warnings, problems
from tests.factories import clip, project, ref, sample_project


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2.5", Fraction(5, 2)),
        ("5/2", Fraction(5, 2)),
        ("1:02.5", Fraction(125, 2)),
        ("0:01:00", Fraction(60)),
        (3, Fraction(3)),
        (0.1, Fraction(1, 10)),
    ],
)
def test_parse_time(text: object, value: Fraction) -> None:
    assert parse_time(text) == value  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["", "abc", "1/0", float("nan"), True])
def test_parse_time_refuses(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_time(bad)  # type: ignore[arg-type]


def test_cut_frames_come_from_absolute_times() -> None:
    # 60 clips of 1/7 s at 30 fps: each is 4.29 frames. Rounding each clip would drift by
    # 60 * 0.29 frames; cutting at the frame nearest each absolute time never drifts.
    clips = tuple(Clip(ref(), Fraction(0), Fraction(1, 7)) for _ in range(60))
    bounds = cut_frames(clips, 30)
    assert bounds == [nearest_frame(Fraction(k, 7), 30) for k in range(61)]
    assert bounds[-1] == round(60 / 7 * 30)


def test_speed_changes_timeline_duration() -> None:
    fast = clip(start=0, end=4, speed=Fraction(2))
    assert fast.duration == 2


def test_split_keeps_what_plays() -> None:
    before = sample_project()
    after = edits.split_clip(before, Fraction(1))
    assert len(after.main.clips) == 4 and after.duration == before.duration
    first, second = after.main.clips[:2]
    assert (first.source_in, first.source_out, second.source_out) == (1, 2, Fraction(7, 2))
    sped = edits.split_clip(before, Fraction(5))  # 0.5 s into the 2x clip = 1 s of source
    assert sped.main.clips[2].source_out == 5 and sped.duration == before.duration


def test_edits_return_new_snapshots() -> None:
    before = sample_project()
    ids = [clip.id for clip in before.main.clips]
    moved = edits.move_clip(before, ids[0], 2)
    assert moved.main.clips[2] == before.main.clips[0] and before.main.clips[0].source_in == 1
    trimmed = edits.trim_clip(before, ids[1], Fraction(-5), Fraction(99))
    assert (trimmed.main.clips[1].source_in, trimmed.main.clips[1].source_out) == (0, 8)
    assert len(edits.remove_clip(before, ids[1]).main.clips) == 2
    assert edits.set_fit(before, ids[0], Fit("pad")).main.clips[0].fit.mode == "pad"
    assert edits.add_marker(before, Fraction(2), "drop").markers[0].name == "drop"
    with pytest.raises(ProjectError) as caught:
        edits.remove_clip(before, "gone")
    assert caught.value.field == "clips" and "no clip with id 'gone'" in caught.value.reason
    with pytest.raises(ProjectError) as caught:
        edits.set_speed(before, ids[0], Fraction(10))
    assert caught.value.message == "clips[0].speed: must be between 0.25 and 4 (got 10)"
    with pytest.raises(ProjectError, match=r"clips\[1\]\.volume"):
        edits.set_volume(before, ids[1], 5.0)  # refused, as the loader refuses it, not clamped


def test_clip_ids_stay_through_edits_and_split_makes_a_new_one() -> None:
    before = sample_project()
    ids = [clip.id for clip in before.main.clips]
    assert len(set(ids)) == 3
    moved = edits.move_clip(before, ids[0], 2)
    assert [c.id for c in moved.main.clips] == [ids[1], ids[2], ids[0]]
    assert edits.index_of(moved, ids[0]) == 2
    trimmed = edits.set_speed(before, ids[1], Fraction(2))
    assert [c.id for c in trimmed.main.clips] == ids
    split = edits.split_clip(before, Fraction(1))
    assert split.main.clips[0].id == ids[0] and split.main.clips[1].id not in ids
    doubled = edits.add_clip(before, before.main.clips[0])
    assert len({c.id for c in doubled.main.clips}) == 4


def test_validation_finds_problems_as_data() -> None:
    song_only = ref("/m/song.mp3", 30, has_video=False, width=0, height=0)
    bad = project(clip(start=0, end=12), clip(song_only), clip(start=0, end=0.01))
    found = {p.field: p.message for p in problems(bad)}
    assert "past the end" in found["clips[0].out"]
    assert "no video stream" in found["clips[1]"]
    assert "shorter than one frame" in found["clips[2]"]
    assert problems(project())[0].message == "the project has no clips"
    assert problems(sample_project()) == []


def test_platform_warnings() -> None:
    assert platform_warnings(15, 1080, 1920, 30) == []
    fields = {w.field for w in platform_warnings(2, 200, 5000, 15)}
    assert fields == {"duration", "size", "fps"}
