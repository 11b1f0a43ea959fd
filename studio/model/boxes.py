"""Where a clip's picture sits on the canvas: the shape of the box it is fitted into, and the
box itself at a moment (centre, size, turn) in canvas pixels. The render prepares pictures at
these boxes; the app draws its handles around them."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from studio.model.clip import Clip
from studio.model.stickers import StickerItem
from studio.model.titles import Title
from studio.model.transform import Transform

DEFAULT_ASPECT = 16 / 9  # height for width of a picture whose size is unknown


def framed(clip: Clip) -> float:
    """The shape (height for width) of a box of its own the picture is fitted into, cropped
    around its focus as its fit says: its transform's `aspect`, square under a circle mask;
    0 where the box takes the picture's own shape."""
    transform = clip.transform or Transform()
    if transform.aspect:
        return transform.aspect
    circle = transform.mask is not None and transform.mask.shape == "circle"
    return 1.0 if circle else 0.0


def frame_shape(clip: Clip) -> float:
    """Height for width of the box a clip's picture fills."""
    shape = framed(clip)
    if shape:
        return shape
    media = clip.media
    return media.height / media.width if media.width and media.height else DEFAULT_ASPECT


@dataclass(frozen=True)
class Box:
    """A picture on the canvas: its centre, size and clockwise turn, in canvas pixels."""

    x: float
    y: float
    width: float
    height: float
    rotation: float


def canvas_box(
    item: Clip | Title | StickerItem, canvas_width: int, canvas_height: int, time: Fraction
) -> Box:
    """The item's picture at `time` (seconds from its start) on a canvas of that size: `x`,
    `y` place its anchor, `scale` is its width for the canvas's (a title or sticker has the
    shape of its drawn picture)."""
    transform = item.transform or Transform()
    width = transform.at("scale", time) * canvas_width
    shape = frame_shape(item) if isinstance(item, Clip) else item.height / item.width
    height = width * shape
    across, down = transform.anchored()
    x = transform.at("x", time) * canvas_width + width * (0.5 - across)
    y = transform.at("y", time) * canvas_height + height * (0.5 - down)
    return Box(x, y, width, height, transform.at("rotation", time))
