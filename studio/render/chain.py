"""How each kind of effect is drawn, by the names of the registry (model/effects.py).

A clip's effects are drawn in its list's order on its picture at its own size, on the export's
clock and cut to its slot, before the fit to the canvas or its transform. Per-frame effects
come first: Python drew them ahead of the graph (analysis/slow.py), and the picture they made
replaces the clip's. An effect drawn from a prepared picture (a mask, a sticker layer) is left
out while that picture is not made yet (the preview never waits for an analysis).

The looks that end the list are the one exception (looks_after_fit): under a crop fit that
needs no scale they grade only the part of the picture the crop shows: the same pixels, for
less work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.model.effects import Look, kind_of
from studio.model.prepared import SLOW
from studio.model.timeline import Clip
from studio.render.background import (
    layer_video,
    with_background,
    with_blurred_faces,
    with_smooth_skin,
    with_sticker,
)
from studio.render.fit import crop_needs_no_scale
from studio.render.looks import with_look
from studio.render.plan import Stream


@dataclass(frozen=True)
class Slot:
    """The stretch of the clip being drawn: `frames` at `fps`, from the prepared pictures'
    frame `first`."""

    frames: int
    fps: int
    first: int = 0


Draw = Callable[[Stream, Any, Path | None, Slot], Stream]


def _background(video: Stream, effect: Any, mask: Path | None, slot: Slot) -> Stream:
    assert mask is not None
    return with_background(video, effect, mask, slot.frames, slot.fps, slot.first)


def _beauty(video: Stream, effect: Any, mask: Path | None, slot: Slot) -> Stream:
    assert mask is not None
    return with_smooth_skin(video, effect.amount, mask, slot.frames, slot.fps, slot.first)


def _face_blur(video: Stream, effect: Any, mask: Path | None, slot: Slot) -> Stream:
    assert mask is not None
    return with_blurred_faces(video, effect, mask, slot.frames, slot.fps, slot.first)


def _sticker(video: Stream, effect: Any, layer: Path | None, slot: Slot) -> Stream:
    assert layer is not None
    return with_sticker(video, layer, slot.frames, slot.fps, slot.first)


def _look(video: Stream, effect: Any, prepared: Path | None, slot: Slot) -> Stream:
    return with_look(video, effect)


DRAW: dict[str, Draw] = {
    "background": _background,
    "beauty": _beauty,
    "face-blur": _face_blur,
    "sticker": _sticker,
    "look": _look,
}


def looks_after_fit(clip: Clip, width: int, height: int) -> tuple[Look, ...]:
    """The looks that end the clip's effects list, when its crop fit may grade them on the
    part of the picture it shows rather than on the whole (fit.py, _cut_first): a look
    changes each pixel by its colour alone, so where the crop takes the picture at its own
    size the pixels come out the same, and a 1706x960 preview proxy cropped to 540x960
    grades a third as many. Not under black held frames, which a look would tint
    (teal-orange lifts the shadows), and not before another kind of effect, which must draw
    on the graded picture."""
    if clip.fit.mode not in ("crop", "follow") or (clip.padded and clip.pad_fill != "freeze"):
        return ()
    if not crop_needs_no_scale(clip.media, width, height):
        return ()
    later: list[Look] = []
    for effect in reversed(clip.effects):
        if not isinstance(effect, Look):
            break
        later.insert(0, effect)
    return tuple(later)


def with_effects(
    video: Stream, clip: Clip, prepared: dict[str, Path], slot: Slot, held_back: int = 0
) -> Stream:
    """`video` (the clip's picture over `slot`) with the clip's effects drawn in order, but for
    the last `held_back` (the looks graded after the fit)."""
    rendered = prepared.get(SLOW + clip.id)
    if clip.frame_effects and rendered is not None:
        video = layer_video(rendered, slot.frames, slot.fps, slot.first)
    for effect in clip.effects[: len(clip.effects) - held_back]:
        kind = kind_of(effect)
        if kind.prepares == SLOW:
            continue
        picture = prepared.get(kind.prepares + clip.id) if kind.prepares else None
        if kind.prepares and picture is None:
            continue
        video = DRAW[kind.name](video, effect, picture, slot)
    return video
