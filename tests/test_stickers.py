"""Face-tracked stickers: the sticker sits where the face's landmarks say, as large as the face,
turned as the head tilts, and the export lays it over the clip."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest

from studio.analysis.faces import face_landmarks
from studio.analysis.people import analysis_size
from studio.analysis.stickers import STICKER_SIDE, sticker_layer
from studio.app.render import export
from studio.errors import MediaError
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.stored import BUILT_IN
from studio.model.timeline import Clip, Sticker
from studio.render.presets import get_preset
from tests.factories import project
from tests.helpers import frame, media, studio

FPS = 30
TILT = 0.3  # radians per second: the head turns to 17 degrees over the clip's 1 s


@pytest.fixture(scope="module")
def tilting(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    """sergey.png (a frontal face) turning clockwise at TILT radians per second, 1 s."""
    path = tmp_path_factory.mktemp("tilt") / "tilt.mp4"
    turn = f"scale=640:-2,rotate={TILT}*t:c=black,format=yuv420p"
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-loop", "1", "-framerate", str(FPS)]
    argv += ["-i", str(media("people/mediapipe/sergey.png")), "-t", "1", "-vf", turn]
    subprocess.run([*argv, "-c:v", "libx264", "-preset", "ultrafast", str(path)], check=True)
    return clip_of(probe(path)).with_effect(Sticker(BUILT_IN + "glasses"))


def _layer_frames(path: Path, size: tuple[int, int]) -> np.ndarray:
    argv = [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgba"]
    data = subprocess.run([*argv, "pipe:1"], capture_output=True, check=True).stdout
    return np.frombuffer(data, np.uint8).reshape(-1, size[1], size[0], 4)


def _shape(alpha: np.ndarray) -> tuple[float, float, float, float]:
    """Centre x, y, width along its long axis, and the long axis' angle (degrees, clockwise)
    of the sticker's opaque pixels."""
    ys, xs = np.nonzero(alpha > 128)
    cx, cy = xs.mean(), ys.mean()
    spread = np.cov(np.stack([xs - cx, ys - cy]))
    _, vectors = np.linalg.eigh(spread)
    long_x, long_y = vectors[:, 1]
    angle = math.degrees(math.atan2(long_y, long_x))
    angle = (angle + 90) % 180 - 90
    along = (xs - cx) * long_x + (ys - cy) * long_y
    return float(cx), float(cy), float(along.max() - along.min()), angle


def test_the_sticker_sits_on_the_eyes_and_turns_with_the_head(tilting: Clip) -> None:
    layer = sticker_layer(tilting, FPS)
    size = analysis_size(tilting, STICKER_SIDE)  # the layer's own size
    layers = _layer_frames(layer, size)
    for index in (3, 27):
        picture = frame(Path(tilting.media.path), index)
        points = face_landmarks(picture)
        eyes = np.array([points[33], points[263]]) * size
        between = eyes.mean(axis=0)
        face = math.dist(points[234], points[454]) * size[0]
        tilt = math.degrees(math.atan2(*(eyes[1] - eyes[0])[::-1]))
        cx, cy, width, angle = _shape(layers[index][:, :, 3])
        print(
            f"frame {index}: sticker at ({cx:.0f}, {cy:.0f}) vs eyes ({between[0]:.0f}, "
            f"{between[1]:.0f}); {width:.0f} px wide vs face {face:.0f}; "
            f"turned {angle:.1f} vs head {tilt:.1f} degrees"
        )
        assert math.dist((cx, cy), between) < 0.06 * face
        assert 0.85 < width / face < 1.15
        assert abs(angle - tilt) < 3
    assert abs(_shape(layers[27][:, :, 3])[3]) > 10  # it did turn


def test_the_export_lays_the_sticker_over_the_clip(tilting: Clip, tmp_path: Path) -> None:
    plain = export(
        project(tilting.without_effect(Sticker)), tmp_path / "a.mp4", get_preset("draft")
    )
    stuck = export(project(tilting), tmp_path / "b.mp4", get_preset("draft"))
    before, after = frame(plain.output, 10), frame(stuck.output, 10)
    changed = np.abs(before.astype(int) - after.astype(int)).max(axis=2) > 40
    ys, xs = np.nonzero(changed)
    print(f"the sticker changed {changed.mean():.1%} of the frame, rows {ys.min()}-{ys.max()}")
    assert 0.02 < changed.mean() < 0.25  # the glasses, not the whole frame
    assert after[ys, xs].mean() < before[ys, xs].mean()  # dark lenses


def test_studio_fx_sticker_writes_it_into_the_project(tilting: Clip, tmp_path: Path) -> None:
    target = tmp_path / "crown.studio.json"
    done = studio(
        "fx", tilting.media.path, "--sticker", "crown", "--preset", "draft",
        "-o", tmp_path / "crown.mp4", "--save-project", target,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (sticker,) = json.loads(target.read_text(encoding="utf-8"))["clips"][0]["effects"]
    assert sticker == {
        "effect": "sticker",
        "path": "studio:crown",
        "anchor": "forehead",
        "size": 1.0,
    }


def test_a_sticker_that_is_not_a_picture_is_refused(tmp_path: Path) -> None:
    from studio.app.effects import sticker_of

    with pytest.raises(MediaError, match="not a picture"):
        sticker_of(str(tmp_path / "nothing.png"))
    with pytest.raises(MediaError, match="no built-in sticker"):
        from studio.analysis.stickers import picture_path

        picture_path(BUILT_IN + "hat")
