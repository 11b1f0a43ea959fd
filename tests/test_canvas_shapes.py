"""Canvas shapes end to end: a 1:1 or 16:9 project previews and exports in its own shape, the
safe zone follows the picture, and the start window's summary of a saved project."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.app import preview_pixels, save_project
from studio.app.playback import playback
from studio.app.summary import project_summary
from studio.io.probe import probe
from studio.model.clip import colour_media
from studio.model.edits import clip_of
from studio.model.platform import safe_zone
from studio.model.shapes import SHAPES, framed
from studio.model.timeline import Canvas, Project, Track
from studio.render.frame import Picture
from studio.render.presets import get_preset
from tests.helpers import frame, inspect_output, make_clip, studio

GREEN, RED, BLUE = (0, 128, 0), (255, 0, 0), (0, 0, 255)  # ffmpeg's named colours


@pytest.mark.parametrize(
    ("canvas", "box", "expected"),
    [
        ((1080, 1920), (1080, 1920), (1080, 1920)),  # today's projects: untouched
        ((720, 1280), (540, 960), (540, 960)),
        ((1080, 1080), (1080, 1920), (1080, 1080)),
        ((1080, 1350), (1080, 1920), (1080, 1350)),
        ((1920, 1080), (1080, 1920), (1920, 1080)),  # landscape: the box on its side
        ((1080, 1080), (540, 960), (540, 540)),
        ((1080, 1350), (540, 960), (540, 676)),  # even sides for H.264
        ((1920, 1080), (540, 960), (960, 540)),
        ((200, 1600), (1080, 1920), (240, 1920)),  # taller than 9:16: the long side bounds it
    ],
)
def test_a_size_for_9_16_takes_the_canvas_s_shape(
    canvas: tuple[int, int], box: tuple[int, int], expected: tuple[int, int]
) -> None:
    assert framed(*canvas, box) == expected


def test_every_preset_exports_each_offered_shape_in_that_shape() -> None:
    for shape in SHAPES:
        canvas = Canvas(shape.width, shape.height)
        width, height = get_preset("tiktok").size_for(canvas)
        assert (width, height) == (shape.width, shape.height)
        width, height = get_preset("draft").size_for(canvas)
        assert width * shape.height == pytest.approx(height * shape.width, rel=0.01)
        assert min(width, height) == 540 and max(width, height) <= 960
        assert width % 2 == height % 2 == 0


def test_the_9_16_safe_zone_is_as_before_and_other_shapes_get_what_they_show() -> None:
    assert safe_zone(1080, 1920) == (43, 173, 864, 1363)
    assert safe_zone(360, 639) == (14, 58, 288, 453)  # a widget's rounding is still 9:16
    # A square plays across the screen's width in its middle: the like column still covers its
    # right side, the caption and the top bar fall on the bars.
    assert safe_zone(1080, 1080) == (43, 0, 864, 1080)
    assert safe_zone(1920, 1080) == (77, 0, 1536, 1080)
    left, top, width, height = safe_zone(1080, 1350)  # 4:5 reaches down to the caption
    assert (left, top, width) == (43, 0, 864) and 1350 - height == 99


def _three_bands(folder: Path) -> Path:
    """A 16:9 clip: a green left quarter, a red middle, a blue right quarter (with sound)."""
    bands = "drawbox=x=0:y=0:w=160:h=360:color=green:t=fill,"
    bands += "drawbox=x=480:y=0:w=160:h=360:color=blue:t=fill"
    return make_clip(folder / "bands.mp4", 1, source="color=c=red", extra=["-vf", bands])


@pytest.fixture(scope="module")
def bands(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _three_bands(tmp_path_factory.mktemp("bands"))


def _on(canvas: Canvas, path: Path) -> Project:
    return Project(canvas, Track((clip_of(probe(path)),)))


def _near(pixel: np.ndarray, rgb: tuple[int, int, int]) -> bool:
    return bool(np.all(np.abs(pixel.astype(int) - np.array(rgb)) < 40))


def test_studio_export_writes_a_square_project_square(tmp_path: Path, bands: Path) -> None:
    save_project(_on(Canvas(1080, 1080), bands), tmp_path / "square.studio.json")
    done = studio("export", "square.studio.json", "-o", "square.mp4", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = inspect_output(tmp_path / "square.mp4")
    assert (out.width, out.height) == (1080, 1080)
    picture = frame(tmp_path / "square.mp4", 10)
    # The square is the clip's middle, filling the frame: red across, a strip of each band
    # at the sides (a 9:16 crop of it would be red alone), no bars at the top or bottom.
    assert _near(picture[540, 20], GREEN) and _near(picture[540, 1060], BLUE)
    assert _near(picture[4, 540], RED) and _near(picture[1075, 540], RED)


def test_a_landscape_project_exports_landscape(tmp_path: Path, bands: Path) -> None:
    from studio.app import export_project

    path = save_project(_on(Canvas(1920, 1080), bands), tmp_path / "wide.studio.json")
    export_project(path, tmp_path / "wide.mp4", "draft")
    out = inspect_output(tmp_path / "wide.mp4")
    assert (out.width, out.height) == (960, 540)
    picture = frame(tmp_path / "wide.mp4", 10)
    assert _near(picture[270, 40], GREEN) and _near(picture[270, 480], RED)
    assert _near(picture[270, 920], BLUE)  # the whole clip, edge to edge


def _size(picture: Picture) -> tuple[int, int]:
    assert len(picture.pixels) == picture.width * picture.height * 4
    return picture.width, picture.height


def test_the_preview_renders_at_the_canvas_s_shape(bands: Path) -> None:
    square = _on(Canvas(1080, 1080), bands)
    assert _size(preview_pixels(square, Fraction(1, 2), (540, 960))) == (540, 540)
    assert _size(preview_pixels(replace(square, canvas=Canvas()), Fraction(0))) == (540, 960)
    wide = playback(_on(Canvas(1920, 1080), bands), 0, (540, 960))
    assert (wide.width, wide.height) == (960, 540)


def _colour_project(colour: str, seconds: int, canvas: Canvas) -> Project:
    clip = replace(clip_of(colour_media(colour)), source_out=Fraction(seconds))
    return Project(canvas, Track((clip,)))


def test_a_saved_project_is_summarised_with_its_length_shape_and_a_frame(
    tmp_path: Path,
) -> None:
    path = save_project(
        _colour_project("#3366cc", 4, Canvas(1080, 1080)), tmp_path / "a.studio.json"
    )
    summary = project_summary(path, (90, 160))
    assert (summary.seconds, summary.width, summary.height, summary.problem) == (4, 1080, 1080, "")
    cover = Image.open(BytesIO(summary.cover)).convert("RGB")
    assert cover.size == (90, 90)
    assert _near(np.asarray(cover)[45, 45], (0x33, 0x66, 0xCC))


def test_a_project_that_cannot_be_read_or_shown_says_why(tmp_path: Path) -> None:
    gone = project_summary(tmp_path / "gone.studio.json")
    assert gone.seconds is None and gone.cover == b"" and "not found" in gone.problem
    (tmp_path / "bad.studio.json").write_text("{not json", encoding="utf-8")
    bad = project_summary(tmp_path / "bad.studio.json")
    assert bad.seconds is None and bad.problem
    clip = make_clip(tmp_path / "moved.mp4", 1)
    path = save_project(_on(Canvas(), clip), tmp_path / "moved.studio.json")
    clip.unlink()
    moved = project_summary(path)
    assert moved.seconds == 1 and moved.cover == b"" and moved.problem == "media missing: moved.mp4"
    empty = tmp_path / "empty.studio.json"
    save_project(Project(Canvas(1920, 1080)), empty)
    assert json.loads(empty.read_text(encoding="utf-8"))["canvas"]["width"] == 1920
    nothing = project_summary(empty)  # an empty edit is not a fault
    assert (nothing.seconds, nothing.width, nothing.cover, nothing.problem) == (0, 1920, b"", "")
