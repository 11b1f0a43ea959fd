"""How each kind of effect is drawn, by the names of the registry (model/effects.py).

A clip's effects are drawn in its list's order on its picture at its own size, on the export's
clock and cut to its slot, before the fit to the canvas or its transform. Per-frame effects
come first: Python drew them ahead of the graph (analysis/slow.py), and the picture they made
replaces the clip's. An effect drawn from a prepared picture (a mask, a sticker layer) is left
out while that picture is not made yet (the preview never waits for an analysis).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.model.effects import kind_of
from studio.model.prepared import SLOW
from studio.model.timeline import Clip
from studio.render.background import (
    layer_video,
    with_background,
    with_blurred_faces,
    with_smooth_skin,
    with_sticker,
)
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


def with_effects(video: Stream, clip: Clip, prepared: dict[str, Path], slot: Slot) -> Stream:
    """`video` (the clip's picture over `slot`) with the clip's effects drawn in order."""
    rendered = prepared.get(SLOW + clip.id)
    if clip.frame_effects and rendered is not None:
        video = layer_video(rendered, slot.frames, slot.fps, slot.first)
    for effect in clip.effects:
        kind = kind_of(effect)
        if kind.prepares == SLOW:
            continue
        picture = prepared.get(kind.prepares + clip.id) if kind.prepares else None
        if kind.prepares and picture is None:
            continue
        video = DRAW[kind.name](video, effect, picture, slot)
    return video
