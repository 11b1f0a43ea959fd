"""One table of limits: the model refuses what the loader refuses, naming the field, and any
project the edit functions can make saves and loads back identical."""

from __future__ import annotations

import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from studio.cli import build_parser
from studio.errors import ProjectError
from studio.io.project_file import load_project, save_project
from studio.model import edits
from studio.model.limits import CHOICES, LIMITS
from studio.model.remix import DuetOptions, StitchOptions, duet_project, stitch_project
from studio.model.timeline import (
    BeatEffect,
    BeatGrid,
    Canvas,
    Fit,
    Layout,
    MusicTrack,
    Project,
    TextOverlay,
    Track,
)
from tests.factories import ref


def test_the_model_refuses_what_the_loader_would_refuse() -> None:
    with pytest.raises(ProjectError) as caught:
        StitchOptions(credit="x" * 300)
    assert caught.value.message == "credit: must be 1 to 200 characters (got 300)"
    with pytest.raises(ProjectError) as caught:
        Layout(size=0.9)
    assert caught.value.field == "size" and "between 0.15 and 0.8" in caught.value.reason
    with pytest.raises(ProjectError, match="fps: must be one of 24, 25, 30, 50, 60"):
        Canvas(fps=29)
    with pytest.raises(ProjectError, match="strength"):
        BeatEffect("punch", "beats", 1.5)
    with pytest.raises(ProjectError, match="text: must be 1 to 200"):
        TextOverlay(" ", Fraction(0), Fraction(1))


def test_a_long_credit_is_refused_before_anything_is_saved(tmp_path: Path) -> None:
    media = ref("/media/a.mp4", 10)
    credit = "y" * 200  # the longest allowed saves and loads back
    project = stitch_project(media, media, StitchOptions(credit=credit))
    loaded = load_project(save_project(project, tmp_path / "p.studio.json"), check_media=False)
    assert loaded == project and loaded.texts[0].text == credit


def test_the_command_line_offers_the_table_s_choices() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    options = {
        (name, option): action
        for name, command in commands.items()
        for action in command._actions
        for option in action.option_strings
    }
    assert tuple(options[("new", "--fps")].choices) == CHOICES["canvas.fps"].values
    assert tuple(options[("duet", "--layout")].choices) == CHOICES["layout.kind"].values
    assert tuple(options[("beatsync", "--mode")].choices) == CHOICES["sync.mode"].values
    assert tuple(options[("stitch", "--transition")].choices) == CHOICES["stitch.transition"].values


def _fractions(key: str) -> st.SearchStrategy[Fraction]:
    low, high = LIMITS[key].low, LIMITS[key].high
    return st.fractions(Fraction(str(low)), Fraction(str(high)), max_denominator=1000)


def _floats(key: str) -> st.SearchStrategy[float]:
    low, high = LIMITS[key].low, LIMITS[key].high
    return st.floats(low, high, allow_nan=False).map(lambda v: round(v, 4))


times = st.fractions(Fraction(0), Fraction(20), max_denominator=1000)
EDITS = st.one_of(
    st.tuples(st.just("split"), times),
    st.tuples(st.just("move"), st.integers(0, 9), st.integers(0, 9)),
    st.tuples(st.just("trim"), st.integers(0, 9), times, times),
    st.tuples(st.just("speed"), st.integers(0, 9), _fractions("clip.speed")),
    st.tuples(st.just("volume"), st.integers(0, 9), _floats("clip.volume")),
    st.tuples(
        st.just("fit"),
        st.integers(0, 9),
        st.sampled_from(CHOICES["fit.mode"].values),
        _floats("fit.focus"),
    ),
    st.tuples(st.just("beat"), times),
    st.tuples(st.just("unbeat"), times),
    st.tuples(st.just("marker"), times, st.text(max_size=20)),
    st.tuples(st.just("remove"), st.integers(0, 9)),
)


def _apply(project: Project, edit: tuple[object, ...]) -> Project:
    kind, *args = edit
    count = len(project.main.clips)
    index = int(args[0]) % count if count and isinstance(args[0], int) else 0  # type: ignore[call-overload]
    clip_id = project.main.clips[index].id if count else ""
    if kind == "split":
        return edits.split_clip(project, args[0])  # type: ignore[arg-type]
    if kind == "move" and count:
        return edits.move_clip(project, clip_id, int(args[1]))  # type: ignore[call-overload]
    if kind == "trim" and count:
        return edits.trim_clip(project, clip_id, *sorted(args[1:]))  # type: ignore[arg-type]
    if kind == "speed" and count:
        return edits.set_speed(project, clip_id, args[1])  # type: ignore[arg-type]
    if kind == "volume" and count:
        return edits.set_volume(project, clip_id, args[1])  # type: ignore[arg-type]
    if kind == "fit" and count:
        fit = Fit(args[1], args[2], args[2])  # type: ignore[arg-type]
        return edits.set_fit(project, clip_id, fit)
    if kind == "beat":
        return edits.add_beat(project, args[0])  # type: ignore[arg-type]
    if kind == "unbeat":
        return edits.remove_beat(project, args[0])  # type: ignore[arg-type]
    if kind == "marker":
        return edits.add_marker(project, args[0], str(args[1]))  # type: ignore[arg-type]
    if kind == "remove" and count > 1:
        return edits.remove_clip(project, clip_id)
    return project


def _start() -> Project:
    clips = tuple(edits.clip_of(ref(f"/media/{name}.mp4", 8)) for name in "abc")
    grid = BeatGrid(120.0, 4, tuple(Fraction(i, 2) for i in range(40)), (Fraction(0),))
    music = MusicTrack(ref("/media/song.m4a", 30, has_video=False, audio=True), grid=grid)
    return Project(Canvas(), Track(clips), music)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDITS, max_size=12))
def test_any_edited_project_saves_and_loads_back_identical(steps: list[tuple[object, ...]]) -> None:
    project = _start()
    for step in steps:
        project = _apply(project, step)
    with tempfile.TemporaryDirectory() as folder:
        path = save_project(project, Path(folder) / "edit.studio.json")
        assert load_project(path, check_media=False) == project


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(CHOICES["layout.kind"].values),
    st.sampled_from(CHOICES["layout.corner"].values),
    _floats("layout.size"),
    _floats("duet.volume"),
    st.fractions(Fraction(-5), Fraction(5), max_denominator=1000),
    st.text(min_size=1, max_size=200).filter(str.strip),
)
def test_any_valid_remix_saves_and_loads_back_identical(
    kind: str, corner: str, size: float, volume: float, offset: Fraction, credit: str
) -> None:
    a, b = ref("/media/a.mp4", 10), ref("/media/b.mp4", 8)
    layout = Layout(kind, corner=corner, size=size)  # type: ignore[arg-type]
    duet = duet_project(a, b, DuetOptions(layout, offset=offset, your_volume=volume))
    stitch = stitch_project(a, b, StitchOptions(length=Fraction(3), credit=credit))
    with tempfile.TemporaryDirectory() as folder:
        for project in (duet, stitch):
            path = save_project(project, Path(folder) / "remix.studio.json")
            assert load_project(path, check_media=False) == project
