"""Where a clip's picture sits on the canvas and how it is laid over what is under it.

Every property is a still value with optional keyframes over it (model/keys.py): `x`, `y`
(the picture's centre in canvas fractions, 0..1 inside the canvas), `scale` (its width as a
fraction of the canvas width), `rotation` (degrees, clockwise), `opacity` (0..1) and four crop
sides (fractions of the picture cut away from the left, top, right and bottom). The blend says
how it combines with the tracks under it, the mask which shape of it shows, and a chroma key
cuts a green (or any colour) screen out of a creator's own footage.

A clip on the main track fills the canvas by its fit and has no transform unless a property is
set (a zoom that eases in is `scale` keyed from 1 to 1.3); a clip on an overlay track always
has one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal

from studio.model.keys import Key, Keys
from studio.model.limits import LIMITS, check_choice, check_color, check_range, refuse
from studio.model.stored import COLOUR, shaped

Blend = Literal["over", "screen", "multiply", "add"]
MaskShape = Literal["rect", "rounded", "circle"]

# Each property, its limits-table key and its still value when the clip sets none.
PROPERTIES: dict[str, tuple[str, float]] = {
    "x": ("transform.position", 0.5),
    "y": ("transform.position", 0.5),
    "scale": ("transform.scale", 1.0),
    "rotation": ("transform.rotation", 0.0),
    "opacity": ("transform.opacity", 1.0),
    "crop_left": ("transform.crop", 0.0),
    "crop_top": ("transform.crop", 0.0),
    "crop_right": ("transform.crop", 0.0),
    "crop_bottom": ("transform.crop", 0.0),
}
CROPS = ("crop_left", "crop_top", "crop_right", "crop_bottom")


def within(name: str, value: float) -> float:
    """`value` kept inside the limits of the transform property `name`."""
    limit = LIMITS[PROPERTIES[name][0]]
    return min(limit.high, max(limit.low, value))


@dataclass(frozen=True)
class Mask:
    """Which part of the picture shows: all of it (`rect`), a rectangle with rounded corners
    (`radius` of the picture's shorter side) or an ellipse; `feather` softens its edge (a
    fraction of the shorter side)."""

    shape: MaskShape = "rect"
    radius: float = 0.1
    feather: float = 0.0
    border: float = 0.0  # a line around the shape, of the canvas width (at least 2 px)
    border_color: str = field(default="#ffffff", metadata=COLOUR)

    def __post_init__(self) -> None:
        check_choice("mask.shape", self.shape, "shape")
        check_range("mask.radius", self.radius, "radius")
        check_range("mask.feather", self.feather, "feather")
        check_range("mask.border", self.border, "border")
        check_color(self.border_color, "border_color")


@dataclass(frozen=True)
class ChromaKey:
    """A colour cut out of the picture (a green screen): pixels within `similarity` of `color`
    become transparent, `blend` softens the edge and `spill` takes the colour's cast off what
    remains."""

    color: str = field(default="#00ff00", metadata=COLOUR)
    similarity: float = 0.3
    blend: float = 0.1
    spill: float = 0.5

    def __post_init__(self) -> None:
        check_color(self.color, "color")
        check_range("chroma.similarity", self.similarity, "similarity")
        check_range("chroma.blend", self.blend, "blend")
        check_range("chroma.spill", self.spill, "spill")


@dataclass(frozen=True)
class Transform:
    """A picture's place, size, turn, opacity and crop, each keyable; its blend, mask and
    chroma key. `aspect` (height for width) gives the picture a frame of that shape, which it
    fills as its clip's fit says (crop around the focus, over its blur, or padded); 0 keeps the
    picture's own shape. `anchor` is the point of the picture that `x`, `y` place (its centre,
    or a corner or side, so a picture pinned to a corner stays there at every size)."""

    x: float = 0.5
    y: float = 0.5
    scale: float = 1.0
    rotation: float = 0.0
    opacity: float = 1.0
    crop_left: float = 0.0
    crop_top: float = 0.0
    crop_right: float = 0.0
    crop_bottom: float = 0.0
    keys: tuple[tuple[str, Keys], ...] = field(default=(), metadata=shaped("keyed"))
    blend: Blend = "over"
    mask: Mask | None = None
    chroma: ChromaKey | None = None
    aspect: float = 0.0
    anchor: str = "center"

    def __post_init__(self) -> None:
        check_range("transform.aspect", self.aspect, "aspect")
        check_choice("transform.anchor", self.anchor, "anchor")
        for name, (limit, _) in PROPERTIES.items():
            check_range(limit, getattr(self, name), name)
        names = [name for name, _ in self.keys]
        for name, keys in self.keys:
            if name not in PROPERTIES:
                refuse("keys", f"{name!r} cannot be animated ({', '.join(PROPERTIES)} can)")
            if not keys.animated:
                refuse(f"keys.{name}", "has no keys")
            for key in keys.keys:
                check_range(PROPERTIES[name][0], key.value, f"keys.{name}")
        if len(set(names)) != len(names):
            refuse("keys", "a property is animated twice")
        check_choice("transform.blend", self.blend, "blend")
        self._check_crop()

    def _check_crop(self) -> None:
        for near, far in (("crop_left", "crop_right"), ("crop_top", "crop_bottom")):
            if self.most(near) + self.most(far) >= 0.95:
                refuse(far, f"with {near} it would crop the picture away")

    def anchored(self) -> tuple[float, float]:
        """How far across and down the picture (0, 0.5 or 1 of its size) its anchor is."""
        across = 0.0 if "left" in self.anchor else 1.0 if "right" in self.anchor else 0.5
        down = 0.0 if "top" in self.anchor else 1.0 if "bottom" in self.anchor else 0.5
        return across, down

    def keys_of(self, name: str) -> Keys:
        """The property's keys (none when it is still)."""
        return dict(self.keys).get(name, Keys())

    def at(self, name: str, time: Fraction) -> float:
        """The property's value at `time` (seconds from the item's start)."""
        still: float = getattr(self, name)
        return self.keys_of(name).at(time, still)

    def most(self, name: str) -> float:
        """The largest value the property takes."""
        still: float = getattr(self, name)
        return max([still, *(key.value for key in self.keys_of(name).keys)])

    def animated(self, name: str) -> bool:
        return self.keys_of(name).animated

    def with_key(self, name: str, key: Key) -> Transform:
        """This transform with `key` on property `name` (replacing one at the same time)."""
        if name not in PROPERTIES:
            refuse("key", f"{name!r} cannot be animated ({', '.join(PROPERTIES)} can)")
        return self.with_keys(name, self.keys_of(name).with_key(key))

    def with_keys(self, name: str, keys: Keys) -> Transform:
        kept = tuple((other, k) for other, k in self.keys if other != name)
        added = ((name, keys),) if keys.animated else ()
        ordered = sorted(kept + added, key=lambda pair: list(PROPERTIES).index(pair[0]))
        return replace(self, keys=tuple(ordered))

    @property
    def cropped(self) -> bool:
        return any(self.most(name) > 0 for name in CROPS)
