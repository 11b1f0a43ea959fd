"""Background replacement: the person is found (IoU against reference masks), the mask is
steady, and the export keeps the person sharp while the background goes."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.analysis.people import analysis_size, person_mask, segment
from studio.app.render import export
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.timeline import Background, Clip
from studio.render.presets import get_preset
from tests.factories import project
from tests.helpers import frame, media


def _picture(path: Path) -> np.ndarray:
    import cv2

    return cv2.imread(str(path))[:, :, ::-1].copy()


def _iou(found: np.ndarray, truth: np.ndarray) -> float:
    return float((found & truth).sum() / (found | truth).sum())


@pytest.mark.parametrize(
    ("picture", "reference", "least"),
    [
        ("portrait.jpg", "portrait_segmentation.png", 0.85),
        ("three_people.jpg", "three_people_binary_mask.png", 0.85),
        ("pose.jpg", "pose_segmentation.png", 0.85),  # full body
    ],
)
def test_the_person_is_found(picture: str, reference: str, least: float) -> None:
    truth_rgb = _picture(media(f"people/tfjs-models/{reference}"))
    if reference.endswith("binary_mask.png"):
        truth = truth_rgb[:, :, 0] > 128  # white = person
    else:
        truth = (truth_rgb[:, :, 2] > 128) & (truth_rgb[:, :, 0] < 128)  # blue = person
    iou = _iou(segment(_picture(media(f"people/tfjs-models/{picture}"))) > 0.5, truth)
    print(f"{picture}: IoU {iou:.3f}")
    assert iou >= least


def _mask_frames(path: Path, size: tuple[int, int]) -> np.ndarray:
    argv = [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "gray"]
    data = subprocess.run([*argv, "pipe:1"], capture_output=True, check=True).stdout
    return np.frombuffer(data, np.uint8).reshape(-1, size[1], size[0])


@pytest.fixture(scope="module")
def dancer() -> Clip:
    """A real clip: one woman dancing in a furnished room (textured background), 3 s of it."""
    clip = clip_of(probe(media("people/tfjs-models/pose_1.mp4")))
    return replace(clip, source_out=Fraction(3))


def test_the_mask_of_a_still_speaker_is_steady() -> None:
    """A talking head before a static camera: what changes between mask frames is flicker."""
    speaker = clip_of(probe(media("people/lipnet-grid/bbaf2n.mpg")))  # 3 s at 25 fps
    masks = _mask_frames(person_mask(speaker, 30), analysis_size(speaker))
    assert len(masks) == 90 + 2  # the clip's frames at 30 fps and a margin
    person = (masks > 127).mean(axis=(1, 2))
    assert person.min() > 0.2  # he is there in every frame
    flicker = np.abs(np.diff(masks.astype(np.int16), axis=0)).mean(axis=(1, 2)) / 255
    print(f"mask change between frames: mean {flicker.mean():.4f}, max {flicker.max():.4f}")
    assert flicker.max() < 0.01  # under 1% of the picture's mass from one frame to the next


def _as_cropped(mask: np.ndarray, width: int, height: int) -> np.ndarray:
    """The mask as the export shows its clip: scaled to cover the frame, cropped at the centre."""
    import cv2

    cover = max(width / mask.shape[1], height / mask.shape[0])
    size = (round(mask.shape[1] * cover), round(mask.shape[0] * cover))
    scaled = cv2.resize(mask, size)
    left, top = (size[0] - width) // 2, (size[1] - height) // 2
    return scaled[top : top + height, left : left + width]


def _sharpness(picture: np.ndarray, where: np.ndarray) -> float:
    import cv2

    grey = cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY)
    return float(cv2.Laplacian(grey, cv2.CV_64F)[where].var())


def test_blur_keeps_the_person_sharp_and_softens_the_background(
    dancer: Clip, tmp_path: Path
) -> None:
    import cv2

    preset = get_preset("draft", 30)
    plain = export(project(dancer), tmp_path / "plain.mp4", preset).output
    blurred = dancer.with_effect(Background("blur", strength=0.8))
    done = export(project(blurred), tmp_path / "blur.mp4", preset).output
    masks = _mask_frames(person_mask(dancer, 30), analysis_size(dancer))
    ratios = []
    for index in (15, 45, 75):
        before, after = frame(plain, index), frame(done, index)
        height, width = before.shape[:2]
        mask = _as_cropped(masks[index], width, height)
        person = cv2.erode((mask > 230).astype(np.uint8), np.ones((9, 9))) > 0
        behind = cv2.erode((mask < 25).astype(np.uint8), np.ones((41, 41))) > 0  # off the halo
        keep = _sharpness(after, person) / _sharpness(before, person)
        lose = _sharpness(after, behind) / _sharpness(before, behind)
        ratios.append((keep, lose))
    print("person kept / background kept:", [f"{k:.2f}/{v:.2f}" for k, v in ratios])
    assert all(keep >= 0.8 and lose <= 0.5 for keep, lose in ratios)


def test_colour_and_picture_backgrounds_and_the_preview_frame_match_the_export(
    dancer: Clip, tmp_path: Path
) -> None:
    from studio.app.render import render_frame
    from studio.render.plan import Frame
    from tests.helpers import psnr

    beach = media("people/openmpf/race.jpg")
    preset = get_preset("draft", 30)
    for behind in (Background("color", color="#0040ff"), Background("image", path=str(beach))):
        edit = project(dancer.with_effect(behind))
        done = export(edit, tmp_path / f"{behind.kind}.mp4", preset).output
        exported = frame(done, 45)
        corner = exported[40:120, 20:100].reshape(-1, 3).mean(axis=0)  # far from the dancer
        if behind.kind == "color":
            assert corner[2] > 180 and corner[0] < 60  # blue behind her
        else:
            assert corner.std() > 0 and abs(corner - [0, 64, 255]).sum() > 150
        png = render_frame(edit, Fraction(45, 30), (540, 960))
        import cv2

        still = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)[:, :, ::-1]
        assert psnr(still, exported) > 30  # the preview frame is the export's frame
    assert Frame(540, 960, 30).width == 540


def test_fx_command_exports_one_clip_with_a_background(tmp_path: Path) -> None:
    from tests.helpers import inspect_output, studio

    clip = media("people/tfjs-models/pose_1.mp4")
    done = studio(
        "fx", clip, "--background", "#00b140", "-o", tmp_path / "fx.mp4", "--preset", "draft"
    )
    assert done.returncode == 0, done.stderr
    out = inspect_output(tmp_path / "fx.mp4")
    assert (out.width, out.height, out.frames) == (540, 960, 120)
    bad = studio("fx", clip, "--background", "blur", "--feather", "2", "-o", tmp_path / "x.mp4")
    assert bad.returncode == 2 and "--feather: must be between 0 and 1" in bad.stderr
    listed = studio("effects")
    assert listed.returncode == 0 and "background" in listed.stdout


def test_the_app_puts_a_background_behind_the_person_from_the_inspector(
    qtbot: object, dancer: Clip
) -> None:
    from typing import Any

    from studio.gui.document import Document
    from studio.gui.jobs import Jobs
    from studio.gui.main_window import MainWindow
    from tests.test_gui_inspector import menu_action

    bot: Any = qtbot
    window = MainWindow(Document(project(dancer)), Jobs())
    bot.addWidget(window)
    window.timeline.selected.emit(dancer.id)
    panel = window.inspector.effect_list
    assert panel.isEnabled() and panel.list.count() == 0
    menu_action(panel.add_menu, "Background").trigger()  # the analysis starts in the background
    fields = panel.form.inputs
    assert not fields["color"].widget.isEnabled()  # a blurred background has no colour
    fields["kind"].widget.setCurrentText("color")
    fields["color"].widget.setText("#0040ff")
    fields["color"].widget.editingFinished.emit()
    clip = window.document.project.main.clips[0]
    assert clip.background == Background("color", color="#0040ff", feather=0.3)
    assert panel.list.item(0).text() == "Background · color #0040ff 30%"
    seen: list[tuple[float, bool]] = []
    bar = window.analysis_bar
    window.analyses.fraction.connect(lambda f: seen.append((f, bar.isVisibleTo(window))))
    with bot.waitSignal(window.analyses.ready, timeout=60000):
        pass
    assert seen and all(visible == (f >= 0) for f, visible in seen)  # a bar while it runs
    assert not bar.isVisibleTo(window)
    window.show_time(Fraction(1))
    bot.waitUntil(lambda: window.preview.view.image is not None, timeout=30000)
    bot.waitUntil(lambda: _corner_is_blue(window.preview.view.image), timeout=30000)
    for _ in range(3):
        window.document.undo_stack.undo()
    assert window.document.project.main.clips[0].background is None
    window.jobs.wait()


def _corner_is_blue(image: object) -> bool:
    colour = image.pixelColor(30, 60)  # type: ignore[attr-defined]
    return bool(colour.blue() > 180 and colour.red() < 60)


def test_a_green_screen_duet_puts_you_cut_out_over_the_original(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from studio.app import DuetRequest, make_duet
    from tests.helpers import make_clip

    red = make_clip(tmp_path / "red.mp4", 3, source="color=c=red", size="1080x1920")
    request = DuetRequest(red, media("people/tfjs-models/pose_1.mp4"), layout="greenscreen")
    request = replace(request, corner="bottom-center", size=0.8)
    duet = make_duet(request).project
    done = export(duet, tmp_path / "greenscreen.mp4", get_preset("draft", 30)).output
    picture = frame(done, 45)
    side = round(540 * 0.8 / 2) * 2  # 0.8 of the width, square as the dancer's clip is
    place = SimpleNamespace(x=(540 - side) // 2, y=960 - side - round(960 * 0.2))
    place.width = place.height = side
    inside = picture[place.y : place.y + place.height, place.x : place.x + place.width]
    corner_of_yours = inside[5:30, 5:30].reshape(-1, 3).mean(axis=0)
    assert corner_of_yours[0] > 200 and corner_of_yours[1] < 60  # her room is cut away
    (yours,) = duet.layers[0].clips
    assert yours.background is not None and yours.background.kind == "clear"
    masks = _mask_frames(person_mask(clip_of(probe(request.yours)), 30), (256, 256))
    import cv2

    her = cv2.resize(masks[45], (place.width, place.height)) > 230
    assert her.sum() > 500 and inside[her].mean(axis=0)[0] < 150  # she is there, not red


def test_without_mediapipe_the_effect_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A platform where mediapipe cannot load: a clear error, and the rest of studio works."""
    import sys

    from studio.errors import AnalysisError
    from tests.helpers import make_clip

    monkeypatch.setitem(sys.modules, "mediapipe.python.solution_base", None)  # import fails
    clip = clip_of(probe(make_clip(tmp_path / "c.mp4", 1)))
    with pytest.raises(AnalysisError, match="person finder \\(mediapipe\\) cannot load here"):
        person_mask(clip.with_effect(Background("blur")), 30)
    plain = export(project(clip), tmp_path / "plain.mp4", get_preset("draft", 30))
    assert plain.frames == 30
