"""Still images the graph overlays: rounded picture-in-picture masks and frames, and text lines.

Each image's path is a pure function of what it shows (so argv stays deterministic and golden-
testable); `make_images` draws the missing ones with Pillow into the cache folder before a
render. Text uses the font built into Pillow (Aileron, SIL OFL), so nothing depends on the fonts
a machine happens to have.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from studio.io.cache import temporary_beside
from studio.io.files import replace_file

TEXT_SIZE = 0.045  # of the canvas width
TEXT_BOX_ALPHA = 150


@dataclass(frozen=True)
class Image:
    kind: str  # "mask" | "ellipse" | "frame" | "text"
    width: int
    height: int
    radius: int = 0
    color: str = "#ffffff"
    text: str = ""
    font_size: int = 0
    feather: int = 0  # a mask's edge softness, px

    @property
    def name(self) -> str:
        """A file name that is a pure function of what the image shows."""
        digest = hashlib.sha256(repr(self).encode()).hexdigest()[:20]
        return f"{self.kind}-{digest}.png"


def make_images(images: Iterable[Image], folder: Path) -> None:
    """Draw the images not already in `folder` (written to a temp name, then renamed)."""
    for image in images:
        path = folder / image.name
        if not path.is_file():
            temp = temporary_beside(path, ".png")
            _draw(image).save(temp)
            replace_file(temp, path)


def text_image(text: str, canvas_width: int) -> Image:
    """A text line on a translucent dark box, shrunk to fit 90% of the canvas width."""
    size = round(canvas_width * TEXT_SIZE)
    pad = size // 2
    room = canvas_width * 0.9 - 2 * pad
    width = _text_width(text, size)
    if width > room:
        size = max(8, int(size * room / width))
        width = _text_width(text, size)
    box_width = (int(width) + 2 * pad + 1) // 2 * 2
    box_height = (size + 2 * pad) // 2 * 2
    return Image("text", box_width, box_height, pad, "#ffffff", text, size)


def _text_width(text: str, size: int) -> float:
    left, _, right, _ = _font(size).getbbox(text)
    return float(right - left)


def _draw(image: Image):  # type: ignore[no-untyped-def]
    from PIL import Image as PILImage, ImageDraw, ImageFilter

    size = (image.width, image.height)
    if image.kind in ("mask", "ellipse"):
        canvas = PILImage.new("L", size, 0)
        inset = image.feather  # a feathered edge fades out inside the picture
        corners = (inset, inset, size[0] - 1 - inset, size[1] - 1 - inset)
        if image.kind == "ellipse":
            ImageDraw.Draw(canvas).ellipse(corners, 255)
        else:
            ImageDraw.Draw(canvas).rounded_rectangle(corners, image.radius, 255)
        if image.feather:
            canvas = canvas.filter(ImageFilter.GaussianBlur(image.feather / 2))
        return canvas
    canvas = PILImage.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    if image.kind == "frame":
        draw.rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), image.radius, image.color)
        return canvas
    draw.rounded_rectangle(
        (0, 0, size[0] - 1, size[1] - 1), image.radius, (0, 0, 0, TEXT_BOX_ALPHA)
    )
    font = _font(image.font_size)
    draw.text((size[0] / 2, size[1] / 2), image.text, font=font, fill=image.color, anchor="mm")
    return canvas


def _font(size: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    return ImageFont.load_default(size=size)
