"""Canvas shapes: the ones a new project offers, and frames of a canvas's shape.

Export presets and the app's preview state their sizes for the 9:16 frame (1080x1920,
540x960). A canvas of another shape is rendered in the same box turned to its orientation, so a
1:1 edit exports at 1080x1080 and a 16:9 one at 1920x1080 from the same preset.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    name: str  # the aspect ratio, "9:16"
    width: int
    height: int
    use: str  # where a video of this shape plays


SHAPES = (  # 9:16 first: the shape the app is for
    Shape("9:16", 1080, 1920, "TikTok, Reels, Shorts"),
    Shape("1:1", 1080, 1080, "Square posts"),
    Shape("4:5", 1080, 1350, "Instagram, Facebook"),
    Shape("16:9", 1920, 1080, "YouTube, landscape"),
)


def framed(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    """The largest frame of a width x height canvas's shape inside `box`, a size stated for
    the 9:16 frame; a landscape canvas gets the box on its side. Sides are even (H.264 4:2:0),
    and a 9:16 canvas gets the box itself."""
    short, long = sorted(box)
    box_width, box_height = (long, short) if width > height else (short, long)
    scale = min(box_width / width, box_height / height)
    return _even(width * scale), _even(height * scale)


def _even(side: float) -> int:
    return max(2, 2 * round(side / 2))
