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


# tests/golden/v20: an edit written by the last release of format 20 (87e4ac9) with a voice
# read by text to speech, its ducking curve edited as keys (-20 dB at 2 s), a whoosh and the
# loop as music; that release's frames, and its sound's level every 100 ms (the edit's own
# sound graph, as the preview and export play it).
GOLDEN_20 = Path(__file__).parent / "golden" / "v20"


@pytest.mark.parametrize("at", ["1", "5"])
def test_a_version_20_project_renders_its_frames_as_before(at: str, tmp_path: Path) -> None:
    expected = np.asarray(Image.open(GOLDEN_20 / f"voice-{at}.png").convert("RGB"))
    project = load_project(GOLDEN_20 / "voice.studio.json")
    render_frame(project, Fraction(at), (270, 480), tmp_path / "now.png")
    now = np.asarray(Image.open(tmp_path / "now.png").convert("RGB"))
    assert now.shape == expected.shape and _psnr(now, expected) >= 45


def test_a_version_20_project_sounds_as_before() -> None:
    import json
    import subprocess

    from studio.app.playback import playback

    expected = json.loads((GOLDEN_20 / "voice-sound.json").read_text(encoding="utf-8"))["db"]
    project = load_project(GOLDEN_20 / "voice.studio.json")
    assert project.ducking.edited and len(project.ducking.keys.keys) == 5
    pcm = subprocess.run(playback(project, 0).audio, capture_output=True, check=True).stdout
    sound = np.frombuffer(pcm, "<i2").reshape(-1, 2).mean(axis=1) / 32768
    step = 4800  # 100 ms at 48 kHz
    starts = range(0, len(sound) - step + 1, step)
    now = [10 * np.log10(np.mean(sound[i : i + step] ** 2) + 1e-12) for i in starts]
    assert len(now) == len(expected)
    heard = [(a, b) for a, b in zip(now, expected, strict=True) if b > -60]
    assert max(abs(a - b) for a, b in heard) <= 0.5, heard
