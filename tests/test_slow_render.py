"""Slow render: per-frame Python effects (OpenCV artistic filters, any moviepy video effect)
end up in the export's frames, in order and on the right frames; what cannot work is refused
with a reason."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from studio.analysis.slow import artistic
from studio.app.effects import artistic_of, moviepy_of
from studio.app.render import export
from studio.errors import ProjectError
from studio.io.probe import probe
from studio.io.project_file import load_project, save_project
from studio.model.edits import clip_of
from studio.model.timeline import MOVIEPY, Clip, Fit, FrameEffect
from studio.render.presets import get_preset
from tests.factories import project
from tests.helpers import frame, make_clip, psnr, studio


@pytest.fixture(scope="module")
def counter(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    """A 2 s 360x640 (already 9:16) clip whose every frame differs (testsrc2 counts)."""
    path = make_clip(tmp_path_factory.mktemp("slow") / "count.mp4", 2, size="360x640")
    return clip_of(probe(path), Fit("crop"))


@pytest.fixture(scope="module")
def plain(counter: Clip, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("plain") / "plain.mp4"
    return export(project(counter), target, get_preset("draft")).output


def _exported(clip: Clip, tmp_path: Path, *effects: FrameEffect) -> Path:
    edit = project(replace(clip, effects=tuple(effects)))
    return export(edit, tmp_path / "out.mp4", get_preset("draft")).output


def test_an_artistic_filter_is_in_the_export(counter: Clip, plain: Path, tmp_path: Path) -> None:
    out = _exported(counter, tmp_path, FrameEffect("sketch"))
    for index in (5, 40):
        before, after = frame(plain, index), frame(out, index)
        drawn = artistic(before, "sketch")
        sketch, clip = psnr(after, drawn), psnr(after, before)
        print(f"frame {index}: {sketch:.1f} dB to the sketch, {clip:.1f} to the clip")
        assert psnr(after, drawn) > 24 and psnr(after, before) < 15
        grey = np.abs(after[:, :, 0].astype(int) - after[:, :, 2].astype(int)).mean()
        assert grey < 6  # a pencil sketch has no colour


def test_a_moviepy_effect_is_in_the_export_on_every_frame(
    counter: Clip, plain: Path, tmp_path: Path
) -> None:
    out = _exported(counter, tmp_path, moviepy_of("MirrorX"))
    for index in (0, 29, 59):
        mirrored = frame(plain, index)[:, ::-1]
        assert psnr(frame(out, index), mirrored) > 30, index


def test_moviepy_time_effects_see_the_whole_clip(
    counter: Clip, plain: Path, tmp_path: Path
) -> None:
    """TimeMirror plays the clip backwards: the export's first frame is the clip's last."""
    out = _exported(counter, tmp_path, moviepy_of("TimeMirror"))
    assert psnr(frame(out, 0), frame(plain, 59)) > 28
    assert psnr(frame(out, 59), frame(plain, 0)) > 28


def test_effects_apply_in_order(counter: Clip, plain: Path, tmp_path: Path) -> None:
    """Mirror then sketch equals the sketch of the mirrored picture."""
    out = _exported(counter, tmp_path, moviepy_of("MirrorX"), FrameEffect("sketch"))
    expected = artistic(np.ascontiguousarray(frame(plain, 20)[:, ::-1]), "sketch")
    assert psnr(frame(out, 20), expected) > 24


def test_unknown_effects_and_options_are_refused_with_the_reason() -> None:
    with pytest.raises(ProjectError, match="no video effect 'Sparkle'"):
        moviepy_of("Sparkle")
    with pytest.raises(ProjectError, match=r"GammaCorrection.*gamma"):
        moviepy_of("GammaCorrection:strength=2")
    with pytest.raises(ProjectError, match="cartoon, sketch, oil"):
        artistic_of("watercolour")
    with pytest.raises(ProjectError, match="amount"):
        artistic_of("oil:2")


def test_frame_effects_are_kept_in_the_project_file(counter: Clip, tmp_path: Path) -> None:
    effects = (
        artistic_of("oil:0.5"),
        moviepy_of('Margin:{"margin_size": 8, "color": [255, 0, 0]}'),
    )
    edit = project(replace(counter, effects=tuple(effects)))
    path = save_project(edit, tmp_path / "fx.studio.json")
    assert load_project(path).main.clips[0].frame_effects == effects
    stored = json.loads(path.read_text(encoding="utf-8"))["clips"][0]["effects"]
    assert stored[1] == {
        "effect": "frame",
        "name": MOVIEPY + "Margin",
        "amount": 1.0,
        "options": {"margin_size": 8, "color": [255, 0, 0]},
    }


def test_studio_fx_with_a_bad_effect_says_so_in_one_line(counter: Clip, tmp_path: Path) -> None:
    done = studio("fx", counter.media.path, "--moviepy", "Sparkle", "-o", tmp_path / "x.mp4")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "Sparkle" in done.stderr
