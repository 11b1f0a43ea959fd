"""Auto-reframe: a landscape clip becomes 9:16 by a crop that follows the subject, with shot
cuts found, a bounded path, keys in the project file, and the export cropping where the keys
say on every frame."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.analysis.reframe import (
    SPEED,
    follow_keys,
    follow_path,
    followed,
    made_followed,
    subject_signals,
)
from studio.app.render import export
from studio.errors import ProjectError
from studio.io.probe import probe
from studio.io.project_file import load_project, save_project
from studio.model.edits import clip_of
from studio.model.timeline import Canvas, Clip, Fit, FocusKey
from studio.render.fit import follow_focus
from studio.render.presets import get_preset
from tests.factories import clip as make_clip, project
from tests.helpers import frame, studio, walking_person

FPS = 30
CUT = 180  # the walking person's clip cuts to another scene at 6 s


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Clip, np.ndarray]:
    path = tmp_path_factory.mktemp("walk") / "walk.mp4"
    truth = walking_person(path)
    return clip_of(probe(path), Fit("follow")), truth


def _path_on_frames(clip: Clip, keys: tuple[FocusKey, ...], frames: int) -> np.ndarray:
    """The crop's left edge (relative to the frame width) on each output frame, from the keys
    as the render reads them."""
    fit = replace(clip.fit, keys=keys)
    width = (9 / 16) / (clip.media.width / clip.media.height)
    focus = [fit.focus_at(clip.source_in + Fraction(n, FPS)) for n in range(frames)]
    return np.array(focus) * (1 - width)


def _inside(truth: np.ndarray, left: np.ndarray) -> np.ndarray:
    """Share of the person's pixels inside the crop, per frame."""
    width = truth.shape[2]
    crop = round(width * (9 / 16) / (width / truth.shape[1]))
    shares = []
    for mask, edge in zip(truth, left):
        start = round(edge * width)
        shares.append(mask[:, start : start + crop].sum() / max(mask.sum(), 1))
    return np.array(shares)


def test_the_crop_keeps_a_moving_person_inside_and_beats_a_centre_crop(
    walk: tuple[Clip, np.ndarray],
) -> None:
    clip, truth = walk
    keys = follow_keys(clip, Canvas())
    left = _path_on_frames(clip, keys, len(truth))
    width = 1 - (9 / 16) / (16 / 9)
    followed_in = _inside(truth, left) >= 0.9
    centred_in = _inside(truth, np.full(len(truth), width / 2)) >= 0.9
    print(
        f"person inside the crop (90% of her): follow {followed_in.mean():.1%} of frames, "
        f"centre crop {centred_in.mean():.1%}; {len(keys)} keys"
    )
    assert followed_in.mean() >= 0.95
    assert centred_in.mean() < 0.5


def test_shot_cuts_are_found_and_the_path_jumps_only_there(walk: tuple[Clip, np.ndarray]) -> None:
    """The walk cuts at 6 s, and the background film itself cuts at 7.97 s (frame 239)."""
    clip, truth = walk
    path = follow_path(subject_signals(clip, FPS), clip, Canvas())
    assert path.shots == (0, CUT, 239)
    assert path.cameras == ("track", "steady", "steady")
    keys = follow_keys(clip, Canvas())
    left = _path_on_frames(clip, keys, len(truth))
    steps = np.abs(np.diff(left)) / path.width  # in crop widths per frame
    steps[[CUT - 1, 239 - 1]] = 0
    bound = SPEED / FPS * 1.05  # the speed cap, and what rounding keys to 1 ms adds
    print(f"largest step between cuts: {steps.max():.4f} crop widths (bound {bound:.4f})")
    assert steps.max() <= bound
    assert abs(left[CUT] - left[CUT - 1]) > 0.1  # at the cut the crop jumps to her


def test_the_export_crops_where_the_keys_say(walk: tuple[Clip, np.ndarray], tmp_path: Path) -> None:
    clip, _ = walk
    edit = followed(project(clip))
    keys = edit.main.clips[0].fit.keys
    out = export(edit, tmp_path / "follow.mp4", get_preset("draft")).output
    for index in (20, 150, 200):
        seen = frame(out, index)
        focus = edit.main.clips[0].fit.focus_at(Fraction(index, FPS))
        source = frame(Path(clip.media.path), index)
        expected, middle = _cropped(source, focus), _cropped(source, 0.5)
        print(f"frame {index}: {_psnr(seen, expected):.1f} dB to the keyed crop")
        assert _psnr(seen, expected) > 28, index
        assert _psnr(seen, middle) < _psnr(seen, expected) - 5, index
    assert len(keys) >= 4


def _cropped(picture: np.ndarray, focus: float) -> np.ndarray:
    """The 9:16 crop of a landscape picture at `focus`, at the draft size 540x960."""
    import cv2

    height, width = picture.shape[:2]
    crop = height * 9 / 16
    left = (width - crop) * focus
    shift = np.float32([[1, 0, -left], [0, 1, 0]])
    moved = cv2.warpAffine(picture, shift, (round(crop), height), flags=cv2.INTER_LINEAR)
    return cv2.resize(moved, (540, 960), interpolation=cv2.INTER_CUBIC)


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    error = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return float(10 * np.log10(255**2 / max(error, 1e-9)))


def test_keys_are_kept_in_the_project_file(walk: tuple[Clip, np.ndarray], tmp_path: Path) -> None:
    clip, _ = walk
    edit = followed(project(clip))
    path = save_project(edit, tmp_path / "follow.studio.json")
    assert load_project(path).main.clips[0].fit == edit.main.clips[0].fit
    stored = json.loads(path.read_text(encoding="utf-8"))["clips"][0]["fit"]
    assert stored["mode"] == "follow" and len(stored["keys"]) == len(edit.main.clips[0].fit.keys)


def test_a_made_analysis_is_used_by_the_preview_and_a_missing_one_is_not_waited_for(
    walk: tuple[Clip, np.ndarray], tmp_path: Path
) -> None:
    clip, _ = walk
    keys = follow_keys(clip, Canvas())  # analysed (or found cached)
    assert made_followed(project(clip)).main.clips[0].fit.keys == keys
    other = replace(clip, source_in=Fraction(1))  # another range: not analysed
    assert made_followed(project(other)).main.clips[0].fit.keys == ()


def test_studio_new_follow_writes_keys(walk: tuple[Clip, np.ndarray], tmp_path: Path) -> None:
    clip, _ = walk
    target = tmp_path / "walk.studio.json"
    done = studio("new", target, clip.media.path, "--fit", "follow")
    assert done.returncode == 0, done.stderr
    fit = json.loads(target.read_text(encoding="utf-8"))["clips"][0]["fit"]
    assert fit["mode"] == "follow" and len(fit["keys"]) >= 4


def test_focus_goes_straight_between_keys() -> None:
    fit = Fit("follow", keys=(FocusKey(Fraction(1), 0.2), FocusKey(Fraction(3), 0.6)))
    assert fit.focus_at(Fraction(0)) == 0.2
    assert fit.focus_at(Fraction(2)) == pytest.approx(0.4)
    assert fit.focus_at(Fraction(9)) == 0.6
    assert Fit("follow").focus_at(Fraction(1)) == 0.5


def test_keys_out_of_order_are_refused_with_the_field() -> None:
    with pytest.raises(ProjectError, match="keys"):
        Fit("follow", keys=(FocusKey(Fraction(2), 0.1), FocusKey(Fraction(1), 0.2)))
    with pytest.raises(ProjectError, match="focus"):
        FocusKey(Fraction(1), 1.5)


def test_the_crop_expression_follows_keys_on_the_clips_frames() -> None:
    """Key times are file seconds; the expression counts the clip's output frames (in at 2 s,
    at 2x speed: file second 4 is output frame 30)."""
    keys = (FocusKey(Fraction(2), 0.0), FocusKey(Fraction(4), 1.0))
    moving = make_clip(start=2, end=6, speed=Fraction(2), fit=Fit("follow", keys=keys))
    expression = follow_focus(moving, FPS)
    assert "clip(n,0.000,30.000)" in expression and "(ld(0)-0.000)/30.000" in expression
    assert follow_focus(make_clip(fit=Fit("crop")), FPS) == ""
