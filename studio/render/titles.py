"""Titles drawn as pictures: each distinct look once, with Pillow, then laid over the edit as a
still overlay is (render/layers.py), so a title costs the export what a picture-in-picture of a
still costs, with no Python per frame.

A title is drawn at the pixel size its box takes on the output (its largest scale times the
canvas width), so it is as sharp on a 1080x1920 export as on the 540x960 preview. The text is
wrapped at words to the style's width, each line aligned in the block; the outline is
FreeType's stroke, the shadow a copy of the text and outline moved down and right and softened
(a glow, with no offset), the box a rounded rectangle behind all of it. `measure` is the same
layout at the style's own pixels, which the app stores in the title (model/titles.py) so its
box has its shape before any render.

Fonts are the bundled families (assets/fonts, each with its licence) or a font file the user
names; never a font a machine happens to have.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import sys
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.errors import RenderError
from studio.io.cache import temporary_beside
from studio.io.files import replace_file
from studio.model.clip import Clip, MediaRef
from studio.model.motion import moved
from studio.model.titles import CANVAS_WIDTH, TextStyle, Title

FONTS_DIR = Path(__file__).resolve().parents[1] / "assets" / "fonts"
# The bundled families (the name a style gives, and its file in assets/fonts; licences beside
# them, sources in assets/README.md): a heavy and a condensed display face, a rounded, a
# serif, a script and a monospace face, Noto Sans for Latin, Cyrillic and Greek, and Noto
# Sans CJK for Chinese, Japanese and Korean.
FONTS = {
    "Roboto Black": "Roboto-Black.ttf",
    "Anton": "Anton-Regular.ttf",
    "Roboto Condensed": "RobotoCondensed-Bold.ttf",
    "Comfortaa": "Comfortaa-Bold.ttf",
    "Noto Serif Display": "NotoSerifDisplay-Bold.ttf",
    "Pacifico": "Pacifico-Regular.ttf",
    "JetBrains Mono": "JetBrainsMono-Bold.ttf",
    "Noto Sans": "NotoSans-Bold.ttf",
    "Noto Sans Regular": "NotoSans-Regular.ttf",
    "Noto Sans CJK": "NotoSansCJKsc-Bold-subset.otf",
}
FONT_FILE_ENDINGS = (".ttf", ".otf", ".ttc")


@dataclass(frozen=True)
class Drawing:
    """One title picture: the text and style, at `factor` output pixels per style pixel."""

    text: str
    style: TextStyle
    factor: float
    font_file: str  # with its size and time, so a changed user font draws again
    font_stamp: str

    @property
    def name(self) -> str:
        digest = hashlib.sha256(repr(self).encode()).hexdigest()[:20]
        return f"title-{digest}.png"


def font_file(name: str) -> Path:
    """The font file a style names: a bundled family, or a font file that exists."""
    if name in FONTS:
        return FONTS_DIR / FONTS[name]
    path = Path(name)
    if path.suffix.lower() in FONT_FILE_ENDINGS and path.is_file():
        return path
    known = ", ".join(FONTS)
    raise RenderError(f"no font {name!r}: use one of {known}, or a .ttf/.otf file", field="font")


def measure(text: str, style: TextStyle) -> tuple[int, int]:
    """The size (px of a 1080-wide canvas) the style draws the text at; text the font has no
    letters for is refused, naming the bundled fonts that have them (never empty boxes)."""
    check_letters(text, style.font)
    return _layout(text, style, 1.0).size


def check_letters(text: str, font: str) -> None:
    """Refuse `text` where the bundled font `font` has no letter for a character of it (a
    user's own font file is taken as it is)."""
    if font not in FONTS:
        return
    lacking = _lacking(text, FONTS[font])
    if not lacking:
        return
    shown = ", ".join(sorted(set(lacking))[:8])
    having = [name for name, file in FONTS.items() if not _lacking(lacking, file)]
    hint = f": {', '.join(having)} {'has' if len(having) == 1 else 'have'} them" if having else ""
    raise RenderError(f"{font} has no letters for {shown}{hint}", field="font")


def _lacking(text: str, file: str) -> str:
    """The characters of `text` the font file draws no letter for (spaces need none)."""
    ranges = _coverage()[file]
    return "".join(c for c in text if not c.isspace() and not _inside(ord(c), ranges))


def _inside(code: int, ranges: list[list[int]]) -> bool:
    at = bisect.bisect_right(ranges, [code, sys.maxunicode + 1]) - 1
    return at >= 0 and ranges[at][0] <= code <= ranges[at][1]


@functools.cache
def _coverage() -> dict[str, list[list[int]]]:
    """Each bundled font's characters (assets/make_fonts.py coverage writes them)."""
    text = (FONTS_DIR / "coverage.json").read_text(encoding="utf-8")
    found: dict[str, list[list[int]]] = json.loads(text)
    return found


def drawing(title: Title, canvas_width: int) -> Drawing:
    """The picture a title needs on a canvas `canvas_width` wide: as wide as its box at its
    largest scale."""
    widest = title.transform.most("scale") * canvas_width
    factor = round(widest / title.width, 4)
    path = font_file(title.style.font)
    stat = path.stat()
    return Drawing(title.text, title.style, factor, str(path), f"{stat.st_size}-{stat.st_mtime_ns}")


def draw(image: Drawing, folder: Path) -> Path:
    """The title's picture in `folder`, drawn now unless it is there already."""
    path = folder / image.name
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        picture = _layout(image.text, image.style, image.factor).picture()
        temp = temporary_beside(path, ".png")
        picture.save(temp)
        replace_file(temp, path)
    return path


def picture_clip(title: Title, canvas: tuple[int, int], folder: Path) -> Clip:
    """The still picture clip a title renders as on a canvas of `canvas` pixels: its picture
    (drawn into `folder` now if missing), its place and keys with its motion's over them,
    its time and id."""
    from PIL import Image

    transform = moved(title.transform, title.motion, title.duration, _tall(title, canvas))
    path = draw(drawing(replace(title, transform=transform), canvas[0]), folder)
    with Image.open(path) as picture:
        width, height = picture.size
    media = MediaRef(str(path), title.duration, width, height, still=True)
    return Clip(media, Fraction(0), title.duration, transform=transform, id=title.id)


def _tall(title: Title, canvas: tuple[int, int]) -> float:
    """The title's height as a part of the canvas height, at its still scale."""
    return title.transform.scale * canvas[0] * title.height / title.width / canvas[1]


@dataclass(frozen=True)
class _Laid:
    """A title's lines placed in its picture, ready to draw."""

    lines: tuple[tuple[str, float], ...]  # each line and its left edge, px
    font: Any
    style: TextStyle
    factor: float
    top: float  # the first line's top, px
    step: float  # from one line's top to the next, px
    size: tuple[int, int]

    def picture(self) -> Any:
        from PIL import Image, ImageDraw, ImageFilter

        width, height = self.size
        canvas = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        style, f = self.style, self.factor
        if style.box_color:
            alpha = round(255 * style.box_opacity)
            radius = round(style.box_radius * f)
            box = (0, 0, width - 1, height - 1)
            ImageDraw.Draw(canvas).rounded_rectangle(
                box, radius, fill=_rgba(style.box_color, alpha)
            )
        if style.shadow or style.shadow_blur:
            shadow = Image.new("RGBA", (width, height), (0, 0, 0, 0))
            offset = style.shadow * f
            self._text(shadow, style.shadow_color, offset, offset)
            if style.shadow_blur:
                shadow = shadow.filter(ImageFilter.GaussianBlur(style.shadow_blur * f / 2))
            for _ in range(1 if style.shadow else 2):  # a glow, all around: laid twice
                canvas = Image.alpha_composite(canvas, shadow)
        self._text(canvas, style.color, 0.0, 0.0)
        return canvas

    def _text(self, canvas: Any, color: str, dx: float, dy: float) -> None:
        from PIL import ImageDraw

        draw = ImageDraw.Draw(canvas)
        style, f = self.style, self.factor
        stroke, outline = round(style.stroke * f), style.stroke_color
        spacing = style.letter_spacing * f
        for index, (line, left) in enumerate(self.lines):
            y = self.top + index * self.step + dy
            x = left + dx
            if not spacing:
                draw.text((x, y), line, color, self.font, stroke_width=stroke, stroke_fill=outline)
                continue
            for letter in line:  # spaced letters: each placed on its own
                draw.text(
                    (x, y), letter, color, self.font, stroke_width=stroke, stroke_fill=outline
                )
                x += self.font.getlength(letter) + spacing


def _layout(text: str, style: TextStyle, factor: float) -> _Laid:
    """Lines wrapped to the style's width, their block measured, the picture's size."""
    from PIL import ImageFont

    font = ImageFont.truetype(str(font_file(style.font)), max(1, round(style.size * factor)))
    spacing = style.letter_spacing * factor
    room = style.max_width * factor

    def width_of(line: str) -> float:
        return float(font.getlength(line)) + spacing * max(0, len(line) - 1)

    lines = [
        line
        for paragraph in text.splitlines() or [""]
        for line in _wrapped(paragraph, room, width_of)
    ]
    ascent, descent = font.getmetrics()
    step = style.size * factor * style.line_spacing
    block_w = max(width_of(line) for line in lines)
    block_h = (len(lines) - 1) * step + ascent + descent
    stroke = round(style.stroke * factor)
    pad = style.box_padding * factor if style.box_color else 0.0
    shadow = (style.shadow + style.shadow_blur) * factor  # the offset and the blur past it
    edge = max(pad, stroke + 1, style.shadow_blur * factor)
    width = _even(block_w + 2 * edge + shadow)
    height = _even(block_h + 2 * edge + shadow)
    placed = tuple((line, edge + _indent(style.align, block_w - width_of(line))) for line in lines)
    return _Laid(placed, font, style, factor, edge, step, (width, height))


def _wrapped(paragraph: str, room: float, width_of: Any) -> list[str]:
    """The paragraph in lines no wider than `room` (0: one line), broken between words; a
    word wider than the room stands on its own line."""
    words = paragraph.split(" ")
    if room <= 0 or width_of(paragraph) <= room:
        return [paragraph]
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if current and width_of(trial) > room:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current]


def _indent(align: str, spare: float) -> float:
    return {"left": 0.0, "center": spare / 2, "right": spare}[align]


def _even(value: float) -> int:
    whole = max(2, int(value + 0.999))
    return whole + whole % 2


def _rgba(color: str, alpha: int) -> tuple[int, int, int, int]:
    value = int(color.lstrip("#"), 16)
    return value >> 16, (value >> 8) & 255, value & 255, alpha


def title_for(text: str, duration: Fraction, style: TextStyle, **place: Any) -> Title:
    """A new title with its drawn size measured and its scale showing it at the style's
    size; `place` sets the transform's x, y, rotation or opacity."""
    from studio.model.transform import Transform, within

    width, height = measure(text, style)
    transform = Transform(scale=within("scale", width / CANVAS_WIDTH), **place)
    return Title(text, duration, style, transform, width, height)
