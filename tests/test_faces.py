"""Faces: found where MediaPipe's own tests expect them, small faces in a group too, and
blurred in the export (all, or all but the largest)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.analysis.faces import _iou, detect_faces
from studio.app.render import export
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.timeline import Beauty, Clip, FaceBlur
from studio.render.presets import get_preset
from tests.factories import project
from tests.helpers import frame, media


def _picture(path: Path) -> np.ndarray:
    import cv2

    return cv2.imread(str(path))[:, :, ::-1].copy()


@pytest.mark.parametrize(
    ("picture", "expected"),
    [
        # people/mediapipe/sergey_expected_detection.pbtxt (relative box)
        ("people/mediapipe/sergey.png", (0.2106, 0.2915, 0.5658, 0.5657)),
        # portrait_expected_detection.pbtxt: 283, 115, 234 x 234 px of 820x1024
        ("people/tfjs-models/portrait.jpg", (283 / 820, 115 / 1024, 234 / 820, 234 / 1024)),
    ],
)
def test_faces_are_found_where_mediapipe_expects_them(
    picture: str, expected: tuple[float, float, float, float]
) -> None:
    found = detect_faces(_picture(media(picture)))
    assert found, "no face found"
    (box, score), *_ = found
    overlap = _iou(box, expected)
    print(f"{picture}: IoU {overlap:.3f}, score {score:.2f}")
    assert overlap >= 0.7


def test_small_faces_in_a_group_are_found() -> None:
    import subprocess

    from studio.io.ffmpeg_bin import ffmpeg_exe

    argv = [ffmpeg_exe(), "-v", "error", "-i", str(media("people/openmpf/video_01.mp4"))]
    argv += ["-vf", "select=eq(n\\,45),scale=640:480", "-frames:v", "1", "-f", "rawvideo"]
    argv += ["-pix_fmt", "rgb24", "pipe:1"]
    data = subprocess.run(argv, capture_output=True, check=True).stdout
    found = detect_faces(np.frombuffer(data, np.uint8).reshape(480, 640, 3))
    widths = sorted(round(box[2] * 640) for box, _ in found)
    print("face widths in px:", widths)
    assert len(found) >= 3 and widths[0] < 50  # three people, the smallest face under 50 px


@pytest.fixture(scope="module")
def group() -> Clip:
    return clip_of(probe(media("people/openmpf/video_01.mp4")))


def _sharpness(picture: np.ndarray) -> float:
    import cv2

    return float(cv2.Laplacian(cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var())


def _blur_kept(plain: np.ndarray, blurred: np.ndarray, box: tuple[float, ...]) -> float:
    height, width = plain.shape[:2]
    x, y, w, h = box
    rows = slice(round(y * height), round((y + h) * height))
    columns = slice(round(x * width), round((x + w) * width))
    return _sharpness(blurred[rows, columns]) / _sharpness(plain[rows, columns])


def _exported(clip: Clip, faces: FaceBlur | None, out: Path) -> np.ndarray:
    edit = project(clip.with_effect(faces) if faces else clip)
    done = export(edit, out, get_preset("draft", 30))
    return frame(done.output, 45)


def test_face_blur_hides_every_face(group: Clip, tmp_path: Path) -> None:
    plain = _exported(group, None, tmp_path / "plain.mp4")
    blurred = _exported(group, FaceBlur("all"), tmp_path / "all.mp4")
    found = detect_faces(plain)
    kept = [_blur_kept(plain, blurred, box) for box, _ in found]
    print("sharpness kept per face:", [f"{k:.2f}" for k in kept])
    assert len(found) >= 3 and max(kept) < 0.25
    wall = (0.0, 0.0, 0.15, 0.08)  # a corner with no face stays as it was
    assert 0.9 < _blur_kept(plain, blurred, wall) < 1.1


def test_others_keeps_the_largest_face_the_selfie(tmp_path: Path) -> None:
    selfie = clip_of(probe(media("people/openmpf/new_face_video-90.mp4")))
    selfie = replace(selfie, source_in=Fraction(9), source_out=Fraction(11))
    plain = _exported(selfie, None, tmp_path / "plain.mp4")
    (box, _), *_ = detect_faces(plain)
    every = _blur_kept(plain, _exported(selfie, FaceBlur("all"), tmp_path / "all.mp4"), box)
    others = _blur_kept(plain, _exported(selfie, FaceBlur("others"), tmp_path / "o.mp4"), box)
    print(f"selfie face sharpness kept: {every:.2f} (all), {others:.2f} (others)")
    assert every < 0.25 and others > 0.9


def test_the_inspector_blurs_faces_and_the_app_finds_them(qtbot: object, group: Clip) -> None:
    from typing import Any

    from studio.gui.document import Document
    from studio.gui.jobs import Jobs
    from studio.gui.main_window import MainWindow
    from tests.test_gui_inspector import menu_action

    bot: Any = qtbot
    window = MainWindow(Document(project(group)), Jobs())
    bot.addWidget(window)
    window.timeline.selected.emit(group.id)
    panel = window.inspector.effect_list
    with bot.waitSignal(window.analyses.ready, timeout=60000):
        menu_action(panel.add_menu, "Face blur").trigger()
        panel.form.inputs["which"].widget.setCurrentText("others")
    assert window.document.project.main.clips[0].faces == FaceBlur("others")
    assert "analysis done" in window.status.text()
    panel.remove.click()
    assert window.document.project.main.clips[0].faces is None
    window.jobs.wait()


def test_face_landmarks_sit_where_mediapipe_expects_them() -> None:
    import re

    from studio.analysis.faces import face_landmarks

    picture = _picture(media("people/tfjs-models/portrait.jpg"))  # 820x1024
    expected_text = media("people/mediapipe/portrait_expected_face_landmarks.pbtxt").read_text(
        encoding="utf-8"
    )
    numbers = [float(v) for v in re.findall(r"[xy]: ([0-9.]+)", expected_text)]
    expected = np.array(numbers).reshape(-1, 2)
    found = np.array(face_landmarks(picture))
    assert found.shape == expected.shape == (478, 2)
    error = np.hypot(*((found - expected) * [820, 1024]).T)
    print(
        f"landmark error: mean {error.mean():.1f} px, 95% under {np.percentile(error, 95):.1f} px"
    )
    assert error.mean() < 5  # pixels, on a face 234 px wide


def test_beauty_smooths_skin_and_keeps_eyes_and_lips(tmp_path: Path) -> None:
    selfie = clip_of(probe(media("people/openmpf/new_face_video-90.mp4")))
    selfie = replace(selfie, source_in=Fraction(9), source_out=Fraction(11))
    preset = get_preset("draft", 30)
    plain = frame(export(project(selfie), tmp_path / "plain.mp4", preset).output, 30)
    smooth = export(project(selfie.with_effect(Beauty(1.0))), tmp_path / "b.mp4", preset).output
    smoothed = frame(smooth, 30)
    from studio.analysis.faces import face_landmarks

    points = np.array(face_landmarks(plain))
    assert len(points) == 478

    def around(indices: list[int]) -> tuple[float, float, float, float]:
        xs, ys = points[indices, 0], points[indices, 1]
        return xs.min(), ys.min(), xs.max() - xs.min(), ys.max() - ys.min()

    cheek = around([50, 101, 118, 205, 187])  # the left cheek, inside the face oval
    eye = around([33, 133, 159, 145])  # the left eye's corners and lids
    skin, eyes = _blur_kept(plain, smoothed, cheek), _blur_kept(plain, smoothed, eye)
    print(f"beauty: cheek keeps {skin:.2f} of its detail, the eye {eyes:.2f}")
    assert skin < 0.8 and eyes > 0.85 and eyes > skin + 0.15
