"""On-screen text: a title is an item of an overlay track whose picture studio draws.

A title is OpenTimelineIO's generator clip for text: its words and their style, a place on the
canvas (a Transform, keyable as any overlay's), its own duration and id. The style is in pixels
of a 1080-wide canvas (a font `size` of 96 is 96 px tall on a 1080x1920 export, 48 on its
540x960 preview). `width` and `height` are the size the style draws the text at, measured by
the renderer when the title is made (render/titles.py, title_for), as a file's size is
probed: the transform's `scale` is the picture's width on the canvas, so a title drawn 540 px
wide sits at scale 0.5, and the box the canvas outlines and the render fills has that shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from studio.model.clip import new_id
from studio.model.limits import (
    check_choice,
    check_color,
    check_positive,
    check_range,
    check_text,
    refuse,
)
from studio.model.motion import Motion
from studio.model.stored import COLOUR
from studio.model.transform import Transform

Align = Literal["center", "left", "right"]
CANVAS_WIDTH = 1080  # the width a style's pixels are counted on
DEFAULT_FONT = "Roboto Black"


@dataclass(frozen=True)
class TextStyle:
    """How a title's words look. Colours are "#rrggbb"; "" leaves a part out (no outline, no
    shadow, no box). `font` is a bundled family's name or a font file of the user's."""

    font: str = DEFAULT_FONT
    size: float = 96.0
    color: str = field(default="#ffffff", metadata=COLOUR)
    stroke: float = 0.0  # outline width, px
    stroke_color: str = field(default="#000000", metadata=COLOUR)
    shadow: float = 0.0  # the shadow's offset down and right, px
    shadow_blur: float = 0.0  # its softness, px (with no offset: a glow around the letters)
    shadow_color: str = field(default="#000000", metadata=COLOUR)
    box_color: str = ""  # a box behind the text: "" for none
    box_opacity: float = 1.0
    box_radius: float = 0.0  # px
    box_padding: float = 24.0  # px around the text
    letter_spacing: float = 0.0  # px added between letters
    line_spacing: float = 1.2  # the distance of lines, of the font size
    align: Align = "center"
    max_width: float = 0.0  # the text wraps at words to fit this width, px; 0: no wrap

    def __post_init__(self) -> None:
        if not self.font.strip():
            refuse("font", "must name a font")
        check_range("title.size", self.size, "size")
        check_range("title.stroke", self.stroke, "stroke")
        check_range("title.shadow", self.shadow, "shadow")
        check_range("title.shadow", self.shadow_blur, "shadow_blur")
        check_range("title.opacity", self.box_opacity, "box_opacity")
        check_range("title.radius", self.box_radius, "box_radius")
        check_range("title.padding", self.box_padding, "box_padding")
        check_range("title.letter_spacing", self.letter_spacing, "letter_spacing")
        check_range("title.line_spacing", self.line_spacing, "line_spacing")
        check_range("title.max_width", self.max_width, "max_width")
        check_choice("title.align", self.align, "align")
        for name in ("color", "stroke_color", "shadow_color"):
            check_color(getattr(self, name), name)
        if self.box_color:
            check_color(self.box_color, "box_color")


@dataclass(frozen=True)
class Title:
    """Words on the canvas for `duration` seconds of an overlay track, animated by `motion`
    over the keys of its transform (model/motion.py)."""

    text: str
    duration: Fraction
    style: TextStyle = field(default_factory=TextStyle)
    transform: Transform = field(default_factory=Transform)
    width: int = CANVAS_WIDTH  # the drawn size, px of a 1080-wide canvas (see the module)
    height: int = 128
    id: str = field(default_factory=new_id)
    motion: Motion = field(default_factory=Motion)  # how it comes in, goes out, moves

    def __post_init__(self) -> None:
        check_text(self.text, "text", "title")
        check_positive(self.duration, "duration")
        check_range("title.drawn", self.width, "width")
        check_range("title.drawn", self.height, "height")
        if not self.id:
            refuse("id", "must not be empty")

    @property
    def name(self) -> str:
        """How the timeline and the inspector name it: its first line, shortened."""
        first = self.text.strip().splitlines()[0]
        return first if len(first) <= 24 else first[:23] + "…"
