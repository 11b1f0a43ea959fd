"""Titles draw any text a creator types: each character in the first font of the style's chain
that has it (its own font, Noto Sans, Noto Sans CJK, the colour emoji), emoji in colour on the
line, and only what no bundled font draws refused, by name."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.app.render import render_frame
from studio.errors import RenderError
from studio.io.project_file import save_project
from studio.model.timeline import Project
from studio.model.titles import TextStyle, Title
from studio.render import titles
from studio.render.titles import (
    EMOJI_FONT,
    FONTS_DIR,
    check_letters,
    draw,
    drawing,
    measure,
    title_for,
)
from tests.helpers import over_colour

GREEN = "#206020"
SIZE = 120  # style px: 60 px on the 540-wide preview
WORDS = ("HELLO", "Привет", "你好")  # Anton, then Noto Sans, then Noto Sans CJK draw them


def _with(*items: Title) -> Project:
    return over_colour(items, GREEN, 3)


def _frame(title: Title, tmp_path: Path, name: str) -> np.ndarray:
    out = tmp_path / f"{name}.png"
    render_frame(_with(title), Fraction(1), (540, 960), out)
    return np.asarray(Image.open(out).convert("RGB")).astype(int)


def _white(picture: np.ndarray) -> np.ndarray:
    return np.all(picture >= 200, axis=2)


def _warm(picture: np.ndarray) -> np.ndarray:
    """Saturated red, orange and yellow: what fire and a party popper are made of."""
    red, green, blue = picture[..., 0], picture[..., 1], picture[..., 2]
    return (red >= 200) & (blue <= 120) & (red - blue >= 120) & (green >= 30)


def _colourful(picture: np.ndarray) -> np.ndarray:
    """Neither the backdrop nor the white text: an emoji's pixels."""
    backdrop = np.array([0x20, 0x60, 0x20])
    return (np.abs(picture - backdrop).sum(axis=2) > 60) & ~_white(picture)


def _extent(mask: np.ndarray) -> tuple[int, int, int, int]:
    rows, columns = np.nonzero(mask)
    return columns.min(), rows.min(), columns.max(), rows.max()


def _ink_of(word: str, font: str, tmp_path: Path) -> int:
    """White pixels of `word` drawn on its own in `font`."""
    title = title_for(word, Fraction(2), TextStyle(font=font, size=SIZE), y=0.5)
    return int(_white(_frame(title, tmp_path, f"alone-{font}")).sum())


def test_latin_cyrillic_and_cjk_in_a_latin_only_font_all_draw(tmp_path: Path) -> None:
    """Anton has no Cyrillic and no CJK: those words are drawn by Noto Sans and Noto Sans CJK,
    as wide as those fonts draw them, with as much ink as each word drawn on its own."""
    text = " ".join(WORDS)
    style = TextStyle(font="Anton", size=SIZE)
    check_letters(text, "Anton")  # nothing refused
    fonts = ("Anton", "Noto Sans", "Noto Sans CJK")
    parts = [f"{WORDS[0]} ", f"{WORDS[1]} ", WORDS[2]]  # a space stays in the run it follows
    widths = [measure(part, replace(style, font=font))[0] - 2 for part, font in zip(parts, fonts)]
    whole = measure(text, style)[0] - 2  # (1 px each side for the anti-aliasing)
    assert abs(whole - sum(widths)) <= 6, (whole, widths)
    assert whole > measure(WORDS[0], style)[0] + 200  # not a row of empty boxes

    picture = _frame(title_for(text, Fraction(2), style, y=0.5), tmp_path, "mixed")
    left, _, right, _ = _extent(_white(picture))
    scale = (right - left + 1) / whole  # the preview draws at half the style's pixels
    edges = np.cumsum([0, *widths]) * scale + left
    for word, font, start, end in zip(WORDS, fonts, edges, edges[1:]):
        inked = int(_white(picture[:, int(start) : int(end) + 1]).sum())
        alone = _ink_of(word, font, tmp_path)
        assert abs(inked - alone) <= 0.15 * alone, (word, inked, alone)


def test_emoji_are_drawn_in_colour_on_the_line(tmp_path: Path) -> None:
    style = TextStyle(size=SIZE, color="#ffffff")
    title = title_for("GO 🔥🎉", Fraction(2), style, y=0.5)
    picture = _frame(title, tmp_path, "emoji")
    text_part = measure("GO ", style)[0] / measure("GO 🔥🎉", style)[0]
    left, _, right, _ = _extent(_white(picture) | _colourful(picture))
    split = int(left + text_part * (right - left))
    letters, emoji = picture[:, :split], picture[:, split:]
    assert _white(letters).sum() > 400 and _warm(letters).sum() == 0
    assert _warm(emoji).sum() > 600, _warm(emoji).sum()  # fire and a popper, in colour
    assert _white(emoji).sum() < 0.1 * _colourful(emoji).sum()  # not white: no tofu, no text

    _, cap_top, _, baseline = _extent(_white(letters))  # "GO": capitals, on the baseline
    _, top, _, bottom = _extent(_colourful(emoji))
    px = SIZE / 2
    assert cap_top < (top + bottom) / 2 < baseline  # its middle within the capitals
    assert 0.9 * px < bottom - top < 1.3 * px, (bottom - top, px)  # about 1.1 the size
    assert top > cap_top - 0.35 * px and bottom < baseline + 0.35 * px  # not floating


def test_emoji_get_the_shadow_but_no_outline(tmp_path: Path) -> None:
    """The shadow of an emoji is its shape in the shadow's colour; the outline is the text's."""
    style = TextStyle(
        size=SIZE, stroke=8, stroke_color="#0000ff", shadow=12, shadow_color="#ff00ff"
    )
    picture = np.asarray(
        Image.open(draw(drawing(title_for("🔥", Fraction(1), style), 540), tmp_path))
    )
    rgb, alpha = picture[..., :3].astype(int), picture[..., 3]
    magenta = np.all(np.abs(rgb - [255, 0, 255]) <= 40, axis=2) & (alpha > 200)
    blue = np.all(np.abs(rgb - [0, 0, 255]) <= 40, axis=2) & (alpha > 200)
    assert magenta.sum() > 300 and blue.sum() == 0
    assert _warm(rgb).sum() > 300  # and the fire over it, in colour


def test_what_no_bundled_font_draws_is_refused_by_name(tmp_path: Path) -> None:
    """Tifinagh is in no bundled font, nor is a private-use character; the message names them
    (the code point too: the character may show as nothing)."""
    with pytest.raises(RenderError, match=r"no letters for ⵜ \(U\+2D5C\)") as refused:
        measure("Azul ⵜ", TextStyle(font="Anton"))
    assert "Anton" in str(refused.value) and "Noto Sans CJK" in str(refused.value)
    with pytest.raises(RenderError, match=r"U\+10FFFD"):
        title_for("x \U0010fffd", Fraction(1), TextStyle())
    check_letters("Hi 👋🏾 Γειά\u00a0φίλε ❤️\u200d🔥 1️⃣ 你好", "Roboto Black")  # all drawn

    project = tmp_path / "p.studio.json"
    save_project(_with(), project)
    argv = [sys.executable, "-m", "studio", "add", str(project), "text", "ⵜ", "--at", "0"]
    done = subprocess.run(argv, capture_output=True, encoding="utf-8", timeout=120)
    assert done.returncode == 2 and "U+2D5C" in done.stderr and "Traceback" not in done.stderr


def test_a_font_file_of_the_user_s_falls_back_the_same_way(tmp_path: Path) -> None:
    """A font file named by its path is read by drawing its characters (no coverage.json for
    it): Anton as a file of the user's lays out and draws as bundled Anton does."""
    own = tmp_path / "MyDisplay.ttf"
    shutil.copyfile(FONTS_DIR / "Anton-Regular.ttf", own)
    text = "HELLO Привет 你好 🔥"
    users, bundled = TextStyle(font=str(own), size=SIZE), TextStyle(font="Anton", size=SIZE)
    assert measure(text, users) == measure(text, bundled)
    first, second = (
        _frame(title_for(text, Fraction(2), style, y=0.5), tmp_path, name)
        for style, name in ((users, "users"), (bundled, "bundled"))
    )
    assert np.abs(first - second).max() <= 2 and _warm(first).sum() > 200
    with pytest.raises(RenderError, match=r"MyDisplay\.ttf and the fonts it falls back to"):
        check_letters("ⵜ", str(own))


def test_wrapping_spacing_and_the_picture_name_count_the_runs() -> None:
    style = TextStyle(size=80, max_width=420)
    text = "GO 🔥 Привет мир 你好世界 🎉🎉 DONE"
    wide, _ = measure(text, style)
    assert wide <= 420 + 4 < measure(text, replace(style, max_width=0))[0]
    plain = measure("👍🏽🔥", TextStyle(size=80))[0]
    spaced = measure("👍🏽🔥", TextStyle(size=80, letter_spacing=30))[0]
    assert abs(spaced - plain - 30) <= 3  # one gap: a thumb and its skin tone are one emoji
    picture = drawing(title_for("hi 🔥", Fraction(1), TextStyle()), 540)
    assert EMOJI_FONT in picture.fallback
    assert replace(picture, fallback="other fonts").name != picture.name


@pytest.fixture
def without_raqm(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pillow as its Windows and macOS wheels mostly are: no FriBiDi, so no raqm."""
    from PIL import ImageFont

    monkeypatch.setattr(ImageFont.core, "HAVE_RAQM", False)
    titles._emoji.cache_clear()
    yield
    titles._emoji.cache_clear()


def test_titles_draw_without_raqm(without_raqm: None, tmp_path: Path) -> None:
    """Basic layout: sequences may fall apart into their emoji, but every title measures and
    draws, in colour, and nothing asks raqm for features or a direction."""
    from PIL import ImageFont

    anton = ImageFont.truetype(FONTS_DIR / "Anton-Regular.ttf", 20)
    assert anton.layout_engine == ImageFont.Layout.BASIC
    text = "Like 👍🏽 & ❤️‍🔥 Top 1️⃣\nHELLO Привет 你好 🎉"
    for font in ("Anton", "Pacifico", str(FONTS_DIR / "Comfortaa-Bold.ttf")):
        style = TextStyle(font=font, size=90, stroke=4, shadow=6, letter_spacing=2)
        width, _ = measure(text, style)
        path = draw(drawing(title_for(text, Fraction(1), style), 540), tmp_path)
        picture = np.asarray(Image.open(path))
        assert abs(picture.shape[1] - width / 2) <= 0.03 * width, (picture.shape, width)
        assert _warm(picture[..., :3].astype(int)).sum() > 200, font


def test_the_emoji_font_keeps_to_its_budget() -> None:
    """The installer is near its size limit: the emoji subset stays under 800 KB, with the
    emoji titles use most."""
    file = FONTS_DIR / EMOJI_FONT
    assert file.stat().st_size <= 800_000
    assert (FONTS_DIR / "LICENSE-NotoColorEmoji.txt").is_file()
    ranges = titles._coverage()[EMOJI_FONT]
    assert sum(last - first + 1 for first, last in ranges) >= 250
