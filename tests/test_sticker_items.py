"""Stickers on the canvas: the bundled library and a user's GIF, APNG or WebP, their frames
advancing and repeating for the sticker's length, transparency kept, in project files
(format 17) and from the command line."""

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

from studio.app import layers
from studio.app.render import render_frame
from studio.errors import MediaError
from studio.interchange.otio import write_otio
from studio.interchange.otio_read import read_otio
from studio.io.probe import probe
from studio.io.project_file import load_project, save_project
from studio.model.stickers import StickerItem
from studio.model.timeline import Project
from studio.render.stickers import STICKERS_DIR, library, sticker_for
from tests.helpers import over_colour

GREEN = "#206020"
# One run of the test animation: a square of each colour for a quarter of a second.
COLOURS = ("#ff0000", "#0000ff", "#ffff00", "#00ffff")


def _animation(path: Path) -> Path:
    """A 200 px animation: a coloured square in the middle of a clear picture, 4 x 250 ms."""
    frames = []
    for colour in COLOURS:
        frame = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
        frame.paste(Image.new("RGBA", (100, 100), colour), (50, 50))
        frames.append(frame)
    options = {"disposal": 2} if path.suffix == ".gif" else {}
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=250, loop=0, **options)
    return path


def _with(*items: StickerItem) -> Project:
    return over_colour(items, GREEN, 4)


def _frame(project: Project, at: Fraction, tmp_path: Path) -> np.ndarray:
    out = tmp_path / f"frame-{float(at)}.png"
    render_frame(project, at, (540, 960), out)
    return np.asarray(Image.open(out).convert("RGB")).astype(int)


def _colour_at(picture: np.ndarray, x: int, y: int) -> str:
    red, green, blue = (int(v) for v in picture[y, x])
    return f"#{red:02x}{green:02x}{blue:02x}"


def _near(found: str, wanted: str, tolerance: int = 40) -> bool:
    return all(abs(int(found[i : i + 2], 16) - int(wanted[i : i + 2], 16)) <= tolerance
               for i in (1, 3, 5))  # fmt: skip


@pytest.mark.parametrize("ending", [".gif", ".png", ".webp"])
def test_an_animated_sticker_advances_and_repeats_with_its_clear_parts_clear(
    tmp_path: Path, ending: str
) -> None:
    """The square changes colour every quarter second, starts again after a second, and the
    edit shows around it (the animation's clear pixels stay clear)."""
    file = _animation(tmp_path / f"dance{ending}")
    assert probe(file).loops
    sticker = sticker_for(str(file), Fraction(3), x=0.5, y=0.5, scale=0.5)
    assert sticker.animated and sticker.length == 1
    project = _with(sticker)
    for index, at in enumerate(Fraction(n, 8) for n in (1, 3, 5, 7, 9, 15, 21)):
        picture = _frame(project, at, tmp_path)
        wanted = COLOURS[int(at * 4) % 4]
        assert _near(_colour_at(picture, 270, 480), wanted), (at, _colour_at(picture, 270, 480))
        assert _near(_colour_at(picture, 170, 480), GREEN, 12), at  # beside the square: clear
        assert _near(_colour_at(picture, 270, 100), GREEN, 12), (index, at)


def test_an_exported_sticker_repeats_for_its_length(tmp_path: Path) -> None:
    """In an export the square's colour at each second-and-a-bit is the one of its first run:
    the loop goes on past the animation's own second."""
    from studio.app.export import export_project

    file = _animation(tmp_path / "dance.png")
    sticker = sticker_for(str(file), Fraction(3), scale=0.5)
    saved = save_project(_with(sticker), tmp_path / "s.studio.json")
    out = tmp_path / "s.mp4"
    export_project(saved, out, "draft")
    for at, colour in ((0.125, COLOURS[0]), (1.375, COLOURS[1]), (2.625, COLOURS[2])):
        picture = _export_frame(out, at, tmp_path)
        assert _near(_colour_at(picture, picture.shape[1] // 2, picture.shape[0] // 2), colour)
    assert _near(_colour_at(_export_frame(out, 3.5, tmp_path), 270, 480), GREEN, 12)  # gone


def _export_frame(video: Path, at: float, tmp_path: Path) -> np.ndarray:
    from studio.io.ffmpeg_bin import ffmpeg_exe

    out = tmp_path / f"x-{at}.png"
    command = [ffmpeg_exe(), "-v", "error", "-y", "-ss", str(at), "-i", str(video)]
    subprocess.run([*command, "-frames:v", "1", str(out)], check=True)
    return np.asarray(Image.open(out).convert("RGB")).astype(int)


def test_the_bundled_library_has_stills_and_animations_that_open(tmp_path: Path) -> None:
    stickers = library()
    assert len(stickers) >= 30
    animated = [s for s in stickers.values() if s.animated]
    assert len(animated) >= 10 and len(stickers) - len(animated) >= 10
    total = 0
    for sticker in stickers.values():
        with Image.open(sticker.path) as picture:
            frames = getattr(picture, "n_frames", 1)
            assert (frames > 1) == sticker.animated, sticker.name
            rgba = np.asarray(picture.convert("RGBA"))
        assert rgba[0, 0, 3] == 0 and rgba[-1, -1, 3] == 0, sticker.name  # clear corners
        assert rgba[..., 3].max() == 255, sticker.name
        assert sticker.label and sticker.tags and sticker.licence
        total += sticker.path.stat().st_size
    listed = {p.name for p in STICKERS_DIR.glob("*.png")}
    assert listed == {s.file for s in stickers.values()}  # no file unlisted, none missing
    assert total < 1_200_000  # the installer carries them


def test_a_bundled_sticker_is_kept_by_name_and_renders(tmp_path: Path) -> None:
    name = next(s.name for s in library().values() if s.animated)
    saved = save_project(_with(), tmp_path / "b.studio.json")
    placed = layers.add_sticker(saved, name, Fraction(1), Fraction(2), {"x": 0.5, "y": 0.5})
    document = json.loads(saved.read_text(encoding="utf-8"))
    stored = document["layers"][0]["items"][1]
    assert stored["type"] == "sticker" and stored["source"] == f"studio:{name}"
    project = load_project(saved)
    before = _frame(project, Fraction(1, 2), tmp_path)
    during = _frame(project, Fraction(3, 2), tmp_path)
    assert _near(_colour_at(before, 270, 480), GREEN, 12)
    changed = np.abs(during - before).sum(axis=2) > 60
    assert changed.sum() > 2000, changed.sum()  # the sticker shows over the edit
    assert placed.start == 1 and placed.end == 3


def test_a_sticker_survives_the_project_file_and_otio(tmp_path: Path) -> None:
    file = _animation(tmp_path / "dance.gif")
    sticker = sticker_for(str(file), Fraction(2), x=0.3, y=0.7, rotation=10)
    saved = save_project(_with(sticker), tmp_path / "k.studio.json")
    stored = json.loads(saved.read_text(encoding="utf-8"))["layers"][0]["items"][0]
    assert stored["source"] == "dance.gif"  # beside the project: kept relative
    again = load_project(saved).layers[0].items[0]
    assert again == sticker
    otio_file = tmp_path / "k.otio"
    write_otio(load_project(saved), otio_file)
    back = read_otio(otio_file)
    assert isinstance(back.project.layers[0].items[0], StickerItem)


def test_the_command_line_adds_a_sticker_and_lists_the_library(tmp_path: Path) -> None:
    saved = save_project(_with(), tmp_path / "c.studio.json")
    studio = [sys.executable, "-m", "studio"]
    listed = subprocess.run(
        [*studio, "stickers"], capture_output=True, encoding="utf-8", check=True
    )
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert names == list(library())
    added = subprocess.run(
        [*studio, "add", str(saved), "sticker", names[0], "--at", "0.5", "--for", "2",
         "--x", "0.2", "--scale", "0.4", "--in", "pop"],
        capture_output=True, encoding="utf-8", check=True,
    )  # fmt: skip
    assert "0.500 - 2.500 s" in added.stdout
    item = load_project(saved).layers[0].items[1]
    assert isinstance(item, StickerItem) and item.motion.enter == "pop"
    assert item.transform.x == 0.2 and item.transform.scale == 0.4
    wrong = subprocess.run(
        [*studio, "add", str(saved), "sticker", "no-such", "--at", "0"],
        capture_output=True, encoding="utf-8",
    )  # fmt: skip
    assert wrong.returncode != 0 and "studio stickers" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_a_file_that_is_no_picture_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gif"
    bad.write_text("not a picture", encoding="utf-8")
    with pytest.raises(MediaError, match="not a picture"):
        sticker_for(str(bad), Fraction(2))
    with pytest.raises(MediaError, match="no such picture"):
        sticker_for(str(tmp_path / "missing.png"), Fraction(2))


def test_a_still_sticker_fades_in_and_out(tmp_path: Path) -> None:
    """Its fade is drawn into its frames (no per-pixel expression in the graph): half-way
    through the fade in it is part see-through, then solid, then fading out."""
    from studio.model.motion import Motion

    square = tmp_path / "red.png"
    Image.new("RGBA", (100, 100), (255, 0, 0, 255)).save(square)
    sticker = sticker_for(str(square), Fraction(2), x=0.5, y=0.5, scale=0.4)
    fading = Motion(enter="fade", enter_length=Fraction(1, 2), leave="fade")
    project = _with(replace(sticker, motion=fading))
    red = [int(_frame(project, at, tmp_path)[480, 270][0]) for at in
           (Fraction(1, 10), Fraction(1), Fraction(19, 10))]  # fmt: skip
    assert red[1] > 240 and 40 < red[0] < 210 and 40 < red[2] < 210, red
