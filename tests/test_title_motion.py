"""Motions that change a title's letters: typewriter (letter by letter), words (word by word),
blur (into focus) and wave (letters rising in turn), drawn as a sequence of pictures and laid
over the edit like any overlay; and the keyed kinds' effect on the title's box over time
(pop grows, a slide comes in from its side)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.app.render import render_frame
from studio.model.clip import Clip, colour_media
from studio.model.motion import Motion
from studio.model.timeline import Project, Track
from studio.model.titles import TextStyle, Title
from studio.render.title_frames import frames
from studio.render.titles import title_for

GREEN = "#206020"
WHITE = "#ffffff"


def _with(title: Title) -> Project:
    backdrop = Clip(colour_media(GREEN), Fraction(0), Fraction(4))
    layer = Track((title,), kind="video", role="overlay", id="overlay-1")
    return Project(main=Track((backdrop,)), layers=(layer,))


def _ink(project: Project, at: Fraction, tmp_path: Path) -> np.ndarray:
    """Where the frame at `at` (540x960) has the title's white letters."""
    out = tmp_path / f"f-{float(at):.3f}.png"
    render_frame(project, at, (540, 960), out)
    picture = np.asarray(Image.open(out).convert("RGB")).astype(int)
    return np.all(picture > 200, axis=2)


def _title(text: str, motion: Motion) -> Title:
    style = TextStyle(size=90, color=WHITE)
    return replace(title_for(text, Fraction(3), style, y=0.5), motion=motion)


def _columns(ink: np.ndarray) -> tuple[int, int]:
    found = np.nonzero(ink.any(axis=0))[0]
    return (int(found.min()), int(found.max())) if found.size else (0, -1)


def test_a_typewriter_shows_the_letters_one_by_one_from_the_left(tmp_path: Path) -> None:
    title = _title("ABCDEFGH", Motion(enter="typewriter", enter_length=Fraction(8, 10)))
    project = _with(title)
    extents = [_columns(_ink(project, Fraction(n, 10) + Fraction(1, 60), tmp_path))
               for n in range(0, 10)]  # fmt: skip
    rights = [right for _, right in extents]
    assert rights == sorted(rights)  # it only grows
    assert len(set(rights[:8])) == 8  # a new letter each tenth of a second
    lefts = {left for left, _ in extents}
    assert max(lefts) - min(lefts) <= 2  # from the left edge, which stays put
    assert rights[0] - lefts.pop() < (rights[-1] - min(lefts | {extents[0][0]})) / 5
    assert rights[8] == rights[9]  # all shown once the entrance is over


def test_words_appear_one_word_at_a_time(tmp_path: Path) -> None:
    title = _title("one two three", Motion(enter="words", enter_length=Fraction(9, 10)))
    project = _with(title)
    rights = [_columns(_ink(project, Fraction(n, 10), tmp_path))[1] for n in (1, 4, 7, 10)]
    assert rights[0] < rights[1] < rights[2] == rights[3]
    sequence = frames(title.text, title.style, title.motion, title.duration, 30)
    assert [run[0].letters for run in sequence[:3]] == [3, 6, None]  # whole words, then all


def test_a_blur_comes_into_focus(tmp_path: Path) -> None:
    title = _title("FOCUS", Motion(enter="blur", enter_length=Fraction(1)))
    project = _with(title)
    early, late = (_ink(project, Fraction(n, 10), tmp_path) for n in (1, 15))
    assert early.sum() < 0.3 * late.sum()  # blurred and faint: little solid white yet
    out = tmp_path / "soft.png"
    render_frame(project, Fraction(3, 10), (540, 960), out)
    soft = np.asarray(Image.open(out).convert("L")).astype(float)
    render_frame(project, Fraction(15, 10), (540, 960), out)
    sharp = np.asarray(Image.open(out).convert("L")).astype(float)
    assert np.abs(np.diff(soft, axis=1)).max() < 0.7 * np.abs(np.diff(sharp, axis=1)).max()


def test_a_wave_lifts_the_letters_in_turn(tmp_path: Path) -> None:
    title = _title("WAVEWAVE", Motion(loop="wave"))
    project = _with(title)

    def tops(at: Fraction) -> np.ndarray:
        ink = _ink(project, at, tmp_path)
        left, right = _columns(ink)
        edges = np.linspace(left, right, 9).astype(int)
        return np.array([np.nonzero(ink[:, a:b].any(axis=1))[0].min()
                         for a, b in pairwise(edges)])  # fmt: skip

    first, later = tops(Fraction(1)), tops(Fraction(13, 10))
    assert np.ptp(first) >= 4  # the letters stand at different heights
    assert np.abs(first - later).max() >= 4  # and move as the wave goes on


@pytest.mark.parametrize(
    ("kind", "grows", "side"),
    [("pop", True, None), ("slide-left", False, "left"), ("slide-up", False, "top")],
)
def test_keyed_entrances_move_the_box_as_named(
    tmp_path: Path, kind: str, grows: bool, side: str | None
) -> None:
    """A pop's box grows to its size; a slide comes in from its side of the canvas."""
    style = TextStyle(size=90, color=WHITE, box_color="#2030c0", box_padding=20)
    title = title_for("HELLO", Fraction(3), style, y=0.5)
    title = replace(title, motion=Motion(enter=kind, enter_length=Fraction(6, 10)))
    project = _with(title)
    boxes = []
    for at in (Fraction(1, 10), Fraction(3, 10), Fraction(1)):
        out = tmp_path / f"k-{float(at)}.png"
        render_frame(project, at, (540, 960), out)
        picture = np.asarray(Image.open(out).convert("RGB")).astype(int)
        blue = np.all(np.abs(picture - [32, 48, 192]) < 40, axis=2)
        rows, columns = np.nonzero(blue)
        boxes.append((columns.min(), rows.min(), columns.max(), rows.max()) if rows.size else None)
    final = boxes[-1]
    assert final is not None
    if grows:
        width = [0 if b is None else b[2] - b[0] for b in boxes]
        assert width[0] < 0.6 * width[2] and width[1] > width[0]  # growing to its size
        middle = [(b[0] + b[2]) / 2 for b in boxes if b is not None]
        assert max(middle) - min(middle) <= 3  # around its own centre
    elif side == "left":
        assert boxes[0] is None or boxes[0][2] < final[2] - 100  # still coming from the left
    else:
        assert boxes[0] is None or boxes[0][3] < final[3] - 100  # still coming from the top
