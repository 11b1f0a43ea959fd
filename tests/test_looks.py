"""Colour looks: each moves colour the way its name says, and intensity scales it from none."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.app.render import render_frame
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.effects import Beauty
from studio.model.limits import CHOICES
from studio.model.timeline import Clip, Look
from studio.render.chain import looks_after_fit
from studio.render.looks import LOOKS
from tests.factories import project
from tests.helpers import make_clip


@pytest.fixture(scope="module")
def dusty(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    """A muted colour (some of each channel), so every look has room to move it."""
    folder = tmp_path_factory.mktemp("looks")
    return clip_of(probe(make_clip(folder / "dusty.mp4", 1, source="color=c=0x8c7a64")))


def _centre(clip: Clip, look: Look | None) -> np.ndarray:
    import cv2

    edit = project(clip.with_effect(look) if look else clip)
    png = render_frame(edit, Fraction(1, 2), (540, 960))
    picture = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)[:, :, ::-1]
    return picture[400:560, 200:340].reshape(-1, 3).mean(axis=0)


def _saturation(rgb: np.ndarray) -> float:
    return float(rgb.max() - rgb.min())


def test_every_look_in_the_limits_table_exists() -> None:
    assert tuple(LOOKS) == CHOICES["look.name"].values and len(LOOKS) >= 8


def test_looks_move_colour_as_named(dusty: Clip) -> None:
    plain = _centre(dusty, None)
    red_blue = {name: _centre(dusty, Look(name, 1)) for name in ("warm", "cool", "sunset")}
    for name, rgb in red_blue.items():
        print(name, rgb.round(1), "plain", plain.round(1))
    assert red_blue["warm"][0] - red_blue["warm"][2] > plain[0] - plain[2] + 8
    assert red_blue["cool"][0] - red_blue["cool"][2] < plain[0] - plain[2] - 8
    assert red_blue["sunset"][0] - red_blue["sunset"][2] > plain[0] - plain[2] + 8
    assert _saturation(_centre(dusty, Look("mono", 1))) < 3
    assert _saturation(_centre(dusty, Look("noir", 1))) < 3
    assert _saturation(_centre(dusty, Look("vivid", 1))) > _saturation(plain) + 15
    assert _saturation(_centre(dusty, Look("fade", 1))) < _saturation(plain) - 8


def test_intensity_scales_a_look_from_nothing(dusty: Clip) -> None:
    plain = _centre(dusty, None)
    assert np.abs(_centre(dusty, Look("vintage", 0)) - plain).max() < 0.5
    half = _saturation(_centre(dusty, Look("mono", 0.5)))
    assert 3 < half < _saturation(plain) - 3


def test_a_look_is_kept_in_the_project(tmp_path: Path, dusty: Clip) -> None:
    from studio.io.project_file import load_project, save_project

    edit = project(dusty.with_effect(Look("teal-orange", 0.4)))
    loaded = load_project(save_project(edit, tmp_path / "look.studio.json"))
    assert loaded.main.clips[0].look == Look("teal-orange", 0.4)


def test_the_inspector_sets_a_look_as_one_step(qtbot: object, dusty: Clip) -> None:
    from typing import Any

    from studio.gui.document import Document
    from studio.gui.inspector import Inspector
    from tests.test_gui_inspector import menu_action

    bot: Any = qtbot
    document = Document(project(dusty))
    inspector = Inspector(document)
    bot.addWidget(inspector)
    inspector.show_clip(dusty.id)
    panel = inspector.effect_list
    menu_action(panel.add_menu, "Look", "noir").trigger()
    for value in (0.7, 0.6, 0.5):
        panel.form.inputs["intensity"].widget.setValue(value)
    assert document.project.main.clips[0].look == Look("noir", 0.5)
    assert document.undo_stack.count() == 2  # added, then its intensity in one step
    assert panel.list.item(0).text() == "Look · noir 50%"
    panel.remove.click()
    assert document.project.main.clips[0].look is None


def test_fx_takes_a_look_and_refuses_an_unknown_one(tmp_path: Path, dusty: Clip) -> None:
    from tests.helpers import studio

    done = studio("fx", dusty.media.path, "--look", "vivid:0.5", "-o", tmp_path / "v.mp4")
    assert done.returncode == 0, done.stderr
    bad = studio("fx", dusty.media.path, "--look", "golden", "-o", tmp_path / "x.mp4")
    assert bad.returncode == 2 and "--look: must be one of warm, cool" in bad.stderr


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    """A detailed landscape clip as tall as a 540x960 frame, so a crop takes it at its own
    size, from an odd column (371), in 4:4:4 (a 4:2:0 crop would round the column itself)."""
    path = tmp_path_factory.mktemp("wide") / "wide.mp4"
    source = ["-f", "lavfi", "-i", "testsrc2=size=1282x960:rate=30:duration=1"]
    encode = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p", str(path)]
    subprocess.run([ffmpeg_exe(), "-v", "error", *source, *encode], check=True)
    return clip_of(probe(path))


def _frame(clip: Clip) -> np.ndarray:
    import cv2

    png = render_frame(project(clip), Fraction(1, 2), (540, 960))
    return cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR).astype(float)


def test_a_closing_look_grades_only_what_the_crop_shows_and_looks_the_same(
    wide: Clip, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview's frames grade only the part a crop shows (a third of a 1706x960 proxy):
    the same picture as grading the whole before the fit, but at the crop's edge columns
    (where 4:2:0 colour meets the cut)."""
    from studio.render import compile as graph

    shortcut = looks_after_fit
    for name in ("teal-orange", "vintage"):  # RGB colour filters, then eq
        looked = wide.with_effect(Look(name, 1))
        assert shortcut(looked, 540, 960) == (Look(name, 1),)
        monkeypatch.setattr(graph, "looks_after_fit", shortcut)
        graded_crop = _frame(looked)
        monkeypatch.setattr(graph, "looks_after_fit", lambda clip, width, height: ())
        graded_whole = _frame(looked)
        error = np.mean((graded_crop - graded_whole)[:, 4:-4] ** 2)
        assert error < 0.05, (name, error)  # PSNR above 61 dB
        assert np.abs(graded_crop - _frame(wide)).mean() > 2, name  # the look is there


def test_a_look_grades_the_whole_picture_where_the_crop_shortcut_would_differ(
    wide: Clip,
) -> None:
    look = Look("warm", 0.5)
    assert looks_after_fit(wide.with_effect(look), 540, 960) == (look,)
    padded = replace(wide, fit=replace(wide.fit, mode="pad")).with_effect(look)
    black_held = replace(wide, pad_end=Fraction(1), pad_fill="black").with_effect(look)
    look_then_beauty = wide.with_effect(look).with_effect(Beauty(0.5))
    for clip in (padded, black_held, look_then_beauty):
        assert looks_after_fit(clip, 540, 960) == ()
    assert looks_after_fit(wide.with_effect(look), 1080, 1920) == ()  # scaled: not the same
