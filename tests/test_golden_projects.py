"""Projects saved by an earlier release open and render the same frames.

tests/golden/v9 holds projects written by the last release of format version 9 (bd66ee5) from
the bundled demo media (a plain edit with music and the blur fit, a react duet, a stitch, a
clip with a look), and frames that release rendered from them with `studio frame`. Each is
loaded by this release (upgraded to the current format) and its frames rendered again."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.app.render import render_frame
from studio.io.project_file import load_project

GOLDEN = Path(__file__).parent / "golden" / "v9"
FRAMES = sorted(GOLDEN.glob("*-*.png"))


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    error = float(np.mean((a.astype(float) - b.astype(float)) ** 2))
    return 99.0 if error == 0 else 10 * np.log10(255**2 / error)


@pytest.mark.parametrize("golden", FRAMES, ids=[frame.stem for frame in FRAMES])
def test_a_version_9_project_renders_its_frames_as_before(golden: Path, tmp_path: Path) -> None:
    name, at = golden.stem.rsplit("-", 1)
    expected = np.asarray(Image.open(golden).convert("RGB"))
    project = load_project(GOLDEN / f"{name}.studio.json")
    size = (expected.shape[1], expected.shape[0])
    render_frame(project, Fraction(at), size, tmp_path / "now.png")
    now = np.asarray(Image.open(tmp_path / "now.png").convert("RGB"))
    assert now.shape == expected.shape and _psnr(now, expected) >= 45, name


def test_every_golden_project_has_frames() -> None:
    projects = {path.name.split(".")[0] for path in GOLDEN.glob("*.studio.json")}
    assert projects == {"plain", "duet", "stitch", "fx"}
    assert {frame.stem.rsplit("-", 1)[0] for frame in FRAMES} == projects


@pytest.mark.parametrize("size", [(16, 16), (136, 240), (180, 320)])
def test_a_blur_fit_renders_at_small_frame_sizes(size: tuple[int, int], tmp_path: Path) -> None:
    """The blurred backdrop is made at 1/8 size; below 540 px wide its blur radius used to
    exceed what ffmpeg's boxblur allows, and `studio frame --size 180x320` failed."""
    project = load_project(GOLDEN / "plain.studio.json")
    render_frame(project, Fraction(1), size, tmp_path / "small.png")
    assert Image.open(tmp_path / "small.png").size == size
