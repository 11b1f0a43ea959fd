"""Titles: text drawn once per look and laid over the edit where its transform puts it, at the
size its style says, from the command line and in project files (format 16)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.app.render import render_frame
from studio.errors import ProjectError, RenderError
from studio.interchange.otio import write_otio
from studio.interchange.otio_read import read_otio
from studio.io.project_file import load_project, save_project
from studio.io.project_schema import VERSION
from studio.model.clip import Clip, colour_media
from studio.model.motion import Motion
from studio.model.timeline import Project, Track
from studio.model.titles import TextStyle, Title
from studio.render.titles import measure, title_for

ROOT = Path(__file__).resolve().parent.parent
GREEN = "#206020"
BOX = "#2030c0"


def _backdrop(seconds: int = 4) -> Clip:
    media = colour_media(GREEN)
    return Clip(media, Fraction(0), Fraction(seconds))


def _with(*titles: Title) -> Project:
    layer = Track(titles, kind="video", role="overlay", id="overlay-1")
    return Project(main=Track((_backdrop(),)), layers=(layer,))


def _frame(project: Project, size: tuple[int, int], tmp_path: Path) -> np.ndarray:
    out = tmp_path / f"frame-{size[0]}.png"
    render_frame(project, Fraction(1), size, out)
    return np.asarray(Image.open(out).convert("RGB")).astype(int)


def _where(picture: np.ndarray, colour: str, tolerance: int = 40) -> np.ndarray:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return np.all(np.abs(picture - rgb) <= tolerance, axis=2)


def _extent(mask: np.ndarray) -> tuple[int, int, int, int]:
    rows, columns = np.nonzero(mask)
    return columns.min(), rows.min(), columns.max(), rows.max()


def test_a_title_is_drawn_where_its_transform_puts_it_at_its_size(tmp_path: Path) -> None:
    style = TextStyle(size=100, color="#ffff00", stroke=6, box_color=BOX, box_padding=30)
    title = title_for("HELLO", Fraction(3), style, x=0.5, y=0.25)
    for size in ((540, 960), (1080, 1920)):
        picture = _frame(_with(title), size, tmp_path)
        left, top, right, bottom = _extent(_where(picture, BOX))
        width = size[0] * title.transform.scale
        assert abs((right - left + 1) - width) <= 4, (size, right - left, width)
        assert abs((left + right) / 2 - size[0] * 0.5) <= 3
        assert abs((top + bottom) / 2 - size[1] * 0.25) <= 3
        inside = picture[top:bottom, left:right]
        assert _where(inside, "#ffff00", 30).sum() > 0.05 * inside[..., 0].size  # the letters
        assert _where(inside, "#000000", 30).sum() > 0.01 * inside[..., 0].size  # their outline
        assert _where(picture, GREEN, 12)[: top - 4].all()  # the edit shows around it


def test_the_style_size_is_pixels_of_a_1080_wide_canvas(tmp_path: Path) -> None:
    """A 200 px title's letters are about twice a 100 px one's, and a 1080x1920 export draws
    them at their size (not a preview picture blown up)."""
    small = measure("Hello", TextStyle(size=100))
    large = measure("Hello", TextStyle(size=200))
    assert 1.9 < large[0] / small[0] < 2.1 and 1.9 < large[1] / small[1] < 2.1
    title = title_for("Hello", Fraction(2), TextStyle(size=200, color="#ffffff"))
    picture = _frame(_with(title), (1080, 1920), tmp_path)
    left, top, right, bottom = _extent(_where(picture, "#ffffff", 30))
    assert abs((right - left) - large[0]) <= 0.1 * large[0]
    capital = bottom - top  # "H" and "l" stand at the font's cap height: about 0.7 of the size
    assert 120 < capital < 170, capital


def test_a_width_wraps_the_text_at_words(tmp_path: Path) -> None:
    words = "one two three four five six"
    one_line = measure(words, TextStyle(size=80))
    wrapped = measure(words, TextStyle(size=80, max_width=400))
    assert wrapped[0] <= 400 + 4 < one_line[0]
    assert wrapped[1] > 2 * one_line[1]
    lines = measure("first\nsecond", TextStyle(size=80))
    assert lines[1] > 1.8 * measure("first", TextStyle(size=80))[1]


def test_shadow_and_box_opacity_show_in_the_picture(tmp_path: Path) -> None:
    style = TextStyle(
        size=120, color="#101010", shadow=14, shadow_color="#ff0000", box_color="#ffffff"
    )
    faint = replace(style, box_opacity=0.3)
    solid, light = (
        _frame(_with(title_for("Shadow", Fraction(2), s, y=0.5)), (540, 960), tmp_path)
        for s in (style, faint)
    )
    assert _where(solid, "#ff4040", 80).sum() > 200  # the red shadow, blurred
    middle = (slice(470, 490), slice(10, 530))
    assert _where(solid[middle], "#ffffff", 20).any()
    assert not _where(light[middle], "#ffffff", 20).any()  # the edit shows through a 30% box


def test_a_title_survives_the_project_file_and_otio(tmp_path: Path) -> None:
    style = TextStyle(font="Roboto Black", size=64, box_color=BOX, align="left", max_width=500)
    title = title_for("Keep\nme", Fraction(2), style, x=0.3, y=0.7)
    project = _with(title)
    save_project(project, tmp_path / "t.studio.json")
    document = json.loads((tmp_path / "t.studio.json").read_text(encoding="utf-8"))
    assert document["version"] == VERSION and document["layers"][0]["items"][0]["type"] == "title"
    loaded = load_project(tmp_path / "t.studio.json")
    assert loaded.layers == project.layers
    write_otio(loaded, tmp_path / "t.otio")
    back = read_otio(tmp_path / "t.otio")
    items = [item for track in back.project.layers for item in track.items]
    assert title in items


def test_titles_sit_on_overlay_tracks_only() -> None:
    title = title_for("x", Fraction(1), TextStyle())
    with pytest.raises(ProjectError, match="overlay tracks"):
        Track((title,), kind="audio", role="voice", id="voice-1")
    with pytest.raises(ProjectError, match="must be a colour"):
        TextStyle(color="yellow")
    with pytest.raises(ProjectError, match="between 8 and 600"):
        TextStyle(size=2)


def test_the_command_line_adds_a_title_and_refuses_what_it_cannot_draw(tmp_path: Path) -> None:
    project = tmp_path / "p.studio.json"
    save_project(Project(main=Track((_backdrop(),))), project)

    def studio(*args: str) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "studio", *args]
        return subprocess.run(argv, capture_output=True, encoding="utf-8", timeout=120)

    added = studio(
        "add", str(project), "text", "Part 2\\nis here", "--at", "0.5", "--for", "2",
        "--size", "90", "--color", "yellow", "--stroke", "6:black", "--box", "#101010:0.7",
        "--x", "0.5", "--y", "0.3", "--width", "700", "--in", "pop:0.4", "--out", "fade",
        "--loop", "pulse",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = studio("tracks", str(project))
    assert "title: 'Part 2\\nis here'" in listed.stdout
    (title,) = (i for t in load_project(project).layers for i in t.items if isinstance(i, Title))
    assert title.text == "Part 2\nis here" and title.style.stroke == 6
    assert title.style.box_color == "#101010" and title.style.box_opacity == 0.7
    assert (title.transform.x, title.transform.y) == (0.5, 0.3) and title.duration == 2
    assert title.motion == Motion("pop", Fraction(2, 5), "fade", Fraction(1, 2), "pulse")
    assert "Roboto Black" in studio("fonts").stdout
    for bad, said in (
        (["--font", "Nope"], "--font: no font 'Nope'"),
        (["--color", "blurple"], "--color: must be a colour"),
        (["--stroke", "wide"], "--stroke: must be a number"),
        (["--in", "spin"], "--in: must be one of fade, pop"),
    ):
        refused = studio("add", str(project), "text", "x", "--at", "0", *bad)
        assert refused.returncode == 2 and said in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr


def test_an_unknown_font_is_refused_by_name() -> None:
    with pytest.raises(RenderError, match="no font 'Comic'"):
        measure("x", TextStyle(font="Comic"))


def _box_at(project: Project, at: Fraction, tmp_path: Path) -> tuple[int, int, int, int] | None:
    out = tmp_path / "at.png"
    render_frame(project, at, (540, 960), out)
    found = _where(np.asarray(Image.open(out).convert("RGB")).astype(int), BOX, 30)
    return _extent(found) if found.sum() > 20 else None


def _moving(motion: Motion, **place: float) -> Project:
    style = TextStyle(size=100, color=BOX, box_color=BOX)  # one colour: the box is the title
    title = title_for("MOVE", Fraction(3), style, **place)
    return _with(replace(title, motion=motion))


def test_a_pop_grows_to_the_title_s_size(tmp_path: Path) -> None:
    project = _moving(Motion(enter="pop", enter_length=Fraction(1, 2)))
    widths = []
    for at in (Fraction(5, 30), Fraction(7, 30), Fraction(9, 30), Fraction(20, 30)):
        box = _box_at(project, at, tmp_path)
        assert box is not None, at
        widths.append(box[2] - box[0])
    settled = project.layers[0].items[0].transform.scale * 540  # type: ignore[union-attr]
    assert widths[0] < widths[1] < widths[2]  # growing, past its size
    assert widths[2] > settled * 1.03 and abs(widths[3] - settled) <= 4  # then settles


def test_a_slide_comes_in_from_its_side_and_an_exit_goes_out(tmp_path: Path) -> None:
    left = _moving(Motion(enter="slide-left", leave="slide-down"), x=0.5, y=0.5)
    lefts = [_box_at(left, Fraction(n, 30), tmp_path) for n in (1, 5, 10, 20)]
    edges = [box[0] if box else -999 for box in lefts]
    assert edges[0] < edges[1] < edges[2] and edges[0] < 40  # from the left edge, moving right
    assert lefts[3] is not None and abs((lefts[3][0] + lefts[3][2]) / 2 - 270) <= 3
    falling = [_box_at(left, Fraction(3) - Fraction(n, 30), tmp_path) for n in (14, 8, 3)]
    tops = [box[1] if box else 999 for box in falling]
    assert tops[0] < tops[1] < tops[2]  # going down and out


def test_a_fade_and_a_shake_animate_opacity_and_place(tmp_path: Path) -> None:
    fading = _moving(Motion(enter="fade", enter_length=Fraction(1)))
    early, late = (_frame_at(fading, Fraction(n, 30), tmp_path) for n in (8, 40))
    centre = (slice(470, 490), slice(250, 290))
    rgb = np.array([int(BOX[i : i + 2], 16) for i in (1, 3, 5)])
    assert np.abs(early[centre] - rgb).mean() > 3 * np.abs(late[centre] - rgb).mean()
    shaking = _moving(Motion(loop="shake"))
    places = {_box_at(shaking, Fraction(n, 30), tmp_path)[0] for n in range(30, 40)}  # type: ignore[index]
    assert len(places) >= 3  # it moves from frame to frame


def test_a_motion_adds_to_the_title_s_own_keys() -> None:
    from studio.model.keys import Key
    from studio.model.motion import moved

    title = title_for("x", Fraction(3), TextStyle(), x=0.5)
    own = title.transform.with_key("x", Key(Fraction(0), 0.2)).with_key("x", Key(Fraction(3), 0.8))
    mixed = moved(own, Motion(loop="float", enter="slide-up"), Fraction(3), 0.1)
    assert mixed.at("x", Fraction(3)) == pytest.approx(0.8)  # its own keys stay
    assert mixed.at("y", Fraction(0)) < 0  # above the canvas at the start of a slide from the top
    with pytest.raises(ProjectError, match="must be one of fade, pop"):
        Motion(enter="spin")


def _frame_at(project: Project, at: Fraction, tmp_path: Path) -> np.ndarray:
    out = tmp_path / "fade.png"
    render_frame(project, at, (540, 960), out)
    return np.asarray(Image.open(out).convert("RGB")).astype(int)


def test_every_bundled_font_draws_its_letters_and_coverage_json_is_the_fonts() -> None:
    """The fonts' characters as make_fonts.py finds them (fontTools) are coverage.json's, and
    each family draws a sample of the scripts it claims."""
    import importlib.util

    from studio.render.titles import FONTS, FONTS_DIR

    spec = importlib.util.spec_from_file_location("make_fonts", ROOT / "assets" / "make_fonts.py")
    assert spec is not None and spec.loader is not None
    make_fonts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_fonts)
    stored = json.loads((FONTS_DIR / "coverage.json").read_text(encoding="utf-8"))
    assert make_fonts.coverage() == stored
    samples = {
        "Noto Sans": "Привет Γειά",
        "Noto Sans CJK": "你好 こんにちは 안녕",
        "Anton": "HELLO",
    }
    for name in FONTS:
        width, height = measure(samples.get(name, "Hello"), TextStyle(font=name, size=80))
        assert width > 80 and 60 < height < 250, name
    assert (FONTS_DIR / "LICENSE-NotoCJK.txt").is_file() and (
        FONTS_DIR / "LICENSE-Anton.txt"
    ).is_file()


def test_text_no_font_has_letters_for_is_refused_naming_them() -> None:
    """A font without a script falls back to the bundled fonts that have it; only what none
    of them draws is refused, named with its code point (never drawn as empty boxes)."""
    with pytest.raises(RenderError, match=r"no letters for ⵜ \(U\+2D5C\)"):
        measure("ⵜ", TextStyle(font="Anton"))
    measure("Привет 你好", TextStyle(font="Anton"))  # drawn by Noto Sans and Noto Sans CJK


def test_cjk_text_is_drawn(tmp_path: Path) -> None:
    style = TextStyle(font="Noto Sans CJK", size=120, color="#ffffff", box_color=BOX)
    picture = _frame(_with(title_for("你好世界", Fraction(2), style)), (540, 960), tmp_path)
    left, top, right, bottom = _extent(_where(picture, BOX))
    letters = _where(picture[top:bottom, left:right], "#ffffff", 40)
    assert letters.sum() > 0.12 * letters.size  # strokes of four characters, not empty boxes


def test_every_style_draws_and_the_command_line_starts_from_one(tmp_path: Path) -> None:
    from studio.model.title_styles import STYLES, style_named

    assert len(STYLES) >= 12
    for name in STYLES:
        width, height = measure("Style me", style_named(name))
        assert width > 100 and height > 40, name
    highlight = style_named("highlight", size=80)
    picture = _frame(_with(title_for("Mark", Fraction(2), highlight)), (540, 960), tmp_path)
    assert _where(picture, "#ffe600", 30).sum() > 2000  # the marker's yellow box
    with pytest.raises(ProjectError, match="must be one of classic, bold-box"):
        style_named("sparkly")
    project = tmp_path / "s.studio.json"
    save_project(Project(main=Track((_backdrop(),))), project)
    argv = [sys.executable, "-m", "studio", "add", str(project), "text", "Hi", "--at", "0"]
    done = subprocess.run(
        [*argv, "--style", "neon", "--size", "70"], capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    (title,) = (i for t in load_project(project).layers for i in t.items if isinstance(i, Title))
    assert title.style == style_named("neon", size=70.0)


def test_one_word_per_beat_and_a_title_snapped_to_beats(tmp_path: Path) -> None:
    """The bundled 120 BPM loop: each word starts on a beat and lasts to the next; a snapped
    title starts and ends on the beats nearest what was asked."""
    from studio.app.layers import add_title, add_words_on_beats
    from studio.app.project import new_project

    demo = ROOT / "studio" / "assets" / "demo"
    saved = tmp_path / "b.studio.json"
    save_project(new_project([demo / "cells.mp4", demo / "waves.mp4"], demo / "loop120.m4a"), saved)
    words = add_words_on_beats(saved, "one two three four", Fraction(11, 10), TextStyle())
    project = load_project(saved)
    assert project.music is not None
    beats = project.music.beat_times()
    assert [w.start for w in words] == pytest.approx([1.5, 2.0, 2.5, 3.0], abs=0.04)
    for word in words:
        assert min(abs(float(b) - word.start) for b in beats) <= 1 / 30
    assert [w.end for w in words[:-1]] == [w.start for w in words[1:]]
    texts = [i.text for t in project.layers for i in t.items if isinstance(i, Title)]
    assert texts == ["one", "two", "three", "four"]
    snapped = add_title(saved, "Drop", Fraction(22, 10), Fraction(11, 10), TextStyle(), snap=True)
    assert (snapped.start, snapped.end) == pytest.approx((2.0, 3.5), abs=0.04)
    bare = tmp_path / "n.studio.json"
    save_project(new_project([demo / "cells.mp4"]), bare)
    with pytest.raises(ProjectError, match="no music"):
        add_words_on_beats(bare, "a b", Fraction(0), TextStyle())
