"""Stickers placed on the canvas: a picture or a looping animation on an overlay track.

A sticker item names its picture, not a probed media file: one of studio's bundled stickers
("studio:fire", drawn by assets/make_stickers.py and installed with studio, so a project keeps
it wherever studio is installed) or a PNG, WebP, GIF or APNG of the user's (a path, kept
relative to the project like any media). `width` and `height` are the picture's pixels and
`length` one run of its animation (0 for a still), read when the sticker is added, so the
canvas has its box and the render its loop before any file is opened. As for a title, the
transform's scale is the picture's width as a part of the canvas width, and a motion brings
it in, takes it out and moves it while it shows (model/motion.py).

Face-tracked stickers are an effect of a clip (model/effects.py: Sticker), not an item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from studio.model.clip import new_id
from studio.model.limits import check_positive, check_range, check_time, refuse
from studio.model.motion import Motion
from studio.model.stored import BUILT_IN, BUILT_IN_OR_FILE
from studio.model.transform import Transform

STICKER_SCALE = 0.3  # a new sticker's width, as a part of the canvas width


@dataclass(frozen=True)
class StickerItem:
    """A sticker shown for `duration` seconds of an overlay track, its animation repeated."""

    source: str = field(metadata=BUILT_IN_OR_FILE)  # "studio:NAME" or a picture file
    duration: Fraction
    width: int  # the picture's pixels
    height: int
    length: Fraction = Fraction(0)  # one run of its animation, seconds; 0: a still picture
    transform: Transform = field(default_factory=lambda: Transform(scale=STICKER_SCALE))
    id: str = field(default_factory=new_id)
    motion: Motion = field(default_factory=Motion)

    def __post_init__(self) -> None:
        if not self.source.strip():
            refuse("source", "must name a bundled sticker or a picture file")
        check_positive(self.duration, "duration")
        check_range("media.side", self.width, "width")
        check_range("media.side", self.height, "height")
        check_time(self.length, "length")
        if not self.id:
            refuse("id", "must not be empty")

    @property
    def bundled(self) -> bool:
        return self.source.startswith(BUILT_IN)

    @property
    def animated(self) -> bool:
        return self.length > 0

    @property
    def name(self) -> str:
        """How the timeline and the inspector name it: the bundled name or the file's."""
        if self.bundled:
            return self.source[len(BUILT_IN) :].replace("_", " ")
        return self.source.replace("\\", "/").rsplit("/", 1)[-1]
