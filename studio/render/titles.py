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
names; never a font a machine happens to have. Pillow has no font fallback, so each line is cut
into runs by the font that draws each character: the style's own, else Noto Sans (Latin,
Cyrillic, Greek), else Noto Sans CJK, else the colour emoji, whose bitmaps load at one size
only and are drawn at it, then scaled to the line. Only what no font of that chain draws is
refused. Nothing here needs raqm: without it (Pillow's wheels for Windows and macOS lack
FriBiDi) the same runs are laid out by Pillow's basic layout, and an emoji sequence may fall
apart into its pieces.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import sys
import unicodedata
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.errors import RenderError
from studio.io.cache import temporary_beside
from studio.io.files import replace_file
from studio.model.clip import Clip, MediaRef
from studio.model.keys import Keys
from studio.model.motion import Motion, moved
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
# What draws a character the style's font lacks, in order, then the colour emoji (which
# assets/make_fonts.py cuts to the emoji titles use most; it is no family a style names).
FALLBACK = ("Noto Sans", "Noto Sans CJK")
EMOJI_FONT = "NotoColorEmoji-subset.ttf"
EMOJI_PX = 109  # the one size its bitmaps load at
FALLBACK_VERSION = 1  # raised when the runs are drawn differently: every title draws again
WAVE_HEIGHT = 0.12  # how high a wave lifts a letter, of the font size
WAVE_STEP = 0.55  # radians between one letter's rise and the next's

# Characters drawn as emoji though a text font has them: those whose default look is an emoji
# (Unicode's Emoji_Presentation: the BMP ones listed and, more simply, all from U+1F000), and
# any followed by variation selector 16 or a keycap mark; VS15 asks for the text look.
EMOJI_LOOK = (
    (0x231A, 0x231B), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3), (0x25FD, 0x25FE),
    (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F), (0x2693, 0x2693), (0x26A1, 0x26A1),
    (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4),
    (0x26EA, 0x26EA), (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD),
    (0x2705, 0x2705), (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E),
    (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797), (0x27B0, 0x27B0), (0x27BF, 0x27BF),
    (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x1F000, 0x1FAFF),
)  # fmt: skip
VS15, VS16, ZWJ, KEYCAP = "\ufe0e", "\ufe0f", "\u200d", "\u20e3"
SKIN_TONES = range(0x1F3FB, 0x1F400)
# Characters that draw nothing of their own (joiners, variation selectors, tags): kept in a run
# whose font has them (an emoji's ZWJ), else left out, never drawn as a box.
INVISIBLE = (
    (0x200B, 0x200F), (0x2060, 0x2064), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xE0000, 0xE007F), (0xE0100, 0xE01EF),
)  # fmt: skip


@dataclass(frozen=True)
class Drawing:
    """One title picture: the text and style, at `factor` output pixels per style pixel."""

    text: str
    style: TextStyle
    factor: float
    font_file: str  # with its size and time, so a changed user font draws again
    font_stamp: str
    fallback: str = ""  # the fallback fonts' sizes and FALLBACK_VERSION: a change draws again
    motion: Motion | None = None  # a motion that changes the letters: drawn as an APNG
    duration: Fraction = Fraction(0)  # its length and frame rate, for such a motion
    fps: int = 0
    opacity: Keys | None = None  # a keyed opacity (a fade), drawn in with it

    @property
    def sequence(self) -> bool:
        """Whether it is drawn as frames (an APNG), not one picture."""
        return self.motion is not None

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
    """The size (px of a 1080-wide canvas) the style draws the text at; text no font of its
    chain has letters for is refused, naming the characters (never empty boxes)."""
    check_letters(text, style.font)
    return _layout(text, style, 1.0).size


def check_letters(text: str, font: str) -> None:
    """Refuse `text` where no font of `font`'s chain (it, then Noto Sans, Noto Sans CJK and the
    colour emoji) draws a character of it; spaces need none."""
    chain = _chain(font)
    lacking = {
        letter
        for line in text.splitlines()
        for face, run in _runs(line, chain)
        if face is None
        for letter in run
        if not letter.isspace()
    }
    if not lacking:
        return
    shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in sorted(lacking)[:8])
    others = ", ".join([*FALLBACK, "Noto Color Emoji"])
    raise RenderError(
        f"{font} and the fonts it falls back to ({others}) have no letters for {shown}",
        field="font",
    )


@dataclass(eq=False)
class _Face:
    """A font file of a style's chain and the characters it draws: a bundled font's from
    coverage.json (no font is read to know), a user's found by drawing them."""

    file: str
    ranges: list[list[int]] | None  # a bundled font's characters; None: a user's file
    emoji: bool = False
    probe: Any = field(default=None, repr=False)

    def has(self, letter: str) -> bool:
        if self.ranges is not None:
            return _inside(ord(letter), self.ranges)
        return bool(self.probe.has(letter))


class _Probe:
    """Whether a user's font file has a character. Pillow reads no cmap, and fontTools is no
    dependency of studio, so the character is drawn: a font draws its .notdef box for one it
    lacks, the same picture as a private-use character no font has."""

    def __init__(self, file: str) -> None:
        from PIL import ImageFont

        try:
            self.font = ImageFont.truetype(file, 32, layout_engine=ImageFont.Layout.BASIC)
        except OSError as error:
            raise RenderError(f"cannot read the font {file}: {error}", field="font") from None
        self.missing = self._looks(chr(0x10FFFD))
        self.known: dict[str, bool] = {}

    def has(self, letter: str) -> bool:
        if letter not in self.known:
            self.known[letter] = self._looks(letter) != self.missing
        return self.known[letter]

    def _looks(self, letter: str) -> tuple[Any, ...]:
        from PIL import Image, ImageDraw

        picture = Image.new("L", (96, 96))
        ImageDraw.Draw(picture).text((32, 64), letter, 255, self.font, anchor="ls")
        return self.font.getlength(letter), picture.tobytes()


@functools.lru_cache(maxsize=16)
def _probe(file: str, stamp: str) -> _Probe:
    """One probe per user font file (and its size and time, so an edited file is probed anew)."""
    return _Probe(file)


def _chain(font: str) -> tuple[_Face, ...]:
    """The fonts a style's text is drawn with, in the order they are asked for a character;
    the emoji always last."""
    emoji = FONTS_DIR / EMOJI_FONT
    files = [font_file(font), *(FONTS_DIR / FONTS[name] for name in FALLBACK)]
    faces: list[_Face] = []
    for path in dict.fromkeys(file for file in files if file != emoji):
        if path.parent == FONTS_DIR and path.name in _coverage():
            faces.append(_Face(str(path), _coverage()[path.name]))
        else:
            stat = path.stat()
            probe = _probe(str(path), f"{stat.st_size}-{stat.st_mtime_ns}")
            faces.append(_Face(str(path), None, probe=probe))
    return (*faces, _Face(str(emoji), _coverage()[EMOJI_FONT], emoji=True))


def _runs(line: str, chain: tuple[_Face, ...]) -> list[tuple[_Face | None, str]]:
    """The line cut where the font that draws it changes (None: no font draws those); a space
    no font has is a plain one."""
    spaces = {c for c in line if c.isspace() and not any(face.has(c) for face in chain)}
    line = "".join(" " if c in spaces else c for c in line)
    runs: list[tuple[_Face | None, str]] = []
    for at, letter in enumerate(line):
        current = runs[-1][0] if runs else None
        if _within(letter, INVISIBLE):
            if current is not None and current.has(letter):
                runs[-1] = (current, runs[-1][1] + letter)
            continue  # it draws nothing: no box for it in a font that lacks it
        face = _face_for(line, at, current, chain)
        if runs and face is current:
            runs[-1] = (current, runs[-1][1] + letter)
        else:
            runs.append((face, letter))
    return runs


def _face_for(line: str, at: int, current: _Face | None, chain: tuple[_Face, ...]) -> _Face | None:
    """The font of the character at `at`: an emoji's sequence (skin tone, keycap, what a ZWJ
    joins) stays in its run; an emoji-looking character is an emoji; punctuation, digits,
    marks and spaces stay in the text run they are in; else the first font that has it."""
    letter, after = line[at], line[at + 1 : at + 2]
    emoji = chain[-1]
    joined = ord(letter) in SKIN_TONES or letter == KEYCAP or line[at - 1 : at] == ZWJ
    if current is emoji and joined and emoji.has(letter):
        return emoji
    looks = _within(letter, EMOJI_LOOK) or after in (VS16, KEYCAP)
    if looks and after != VS15 and emoji.has(letter):
        return emoji
    common = unicodedata.category(letter)[0] in "MNPSZ"  # marks, digits, punctuation, spaces
    if common and current not in (None, emoji) and current.has(letter):
        return current
    return next((face for face in chain if face.has(letter)), None)


def _within(letter: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(letter)
    return any(low <= code <= high for low, high in ranges)


def _inside(code: int, ranges: list[list[int]]) -> bool:
    at = bisect.bisect_right(ranges, [code, sys.maxunicode + 1]) - 1
    return at >= 0 and ranges[at][0] <= code <= ranges[at][1]


@functools.cache
def _coverage() -> dict[str, list[list[int]]]:
    """Each bundled font's characters (assets/make_fonts.py coverage writes them)."""
    text = (FONTS_DIR / "coverage.json").read_text(encoding="utf-8")
    found: dict[str, list[list[int]]] = json.loads(text)
    return found


@functools.cache
def _fallback_stamp() -> str:
    """What the fallback fonts are: a title's picture name changes with them."""
    files = [FONTS[name] for name in FALLBACK] + [EMOJI_FONT]
    sizes = (f"{file}:{(FONTS_DIR / file).stat().st_size}" for file in files)
    return f"v{FALLBACK_VERSION} " + " ".join(sizes)


def drawing(title: Title, canvas_width: int, fps: int = 0) -> Drawing:
    """The picture a title needs on a canvas `canvas_width` wide: as wide as its box at its
    largest scale (with a motion that changes its letters, its frames at `fps`)."""
    widest = title.transform.most("scale") * canvas_width
    factor = round(widest / title.width, 4)
    path = font_file(title.style.font)
    stat = path.stat()
    stamp = f"{stat.st_size}-{stat.st_mtime_ns}"
    found = Drawing(title.text, title.style, factor, str(path), stamp, _fallback_stamp())
    fading = title.transform.keys_of("opacity") if title.transform.animated("opacity") else None
    if not title.motion.drawn and fading is None:
        return found
    return replace(found, motion=title.motion, duration=title.duration, fps=fps, opacity=fading)


def draw(image: Drawing, folder: Path) -> Path:
    """The title's picture in `folder`, drawn now unless it is there already (an APNG of its
    frames for a motion that changes its letters: render/title_frames.py)."""
    from studio.render.title_frames import write

    path = folder / image.name
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        temp = temporary_beside(path, ".png")
        if image.motion is not None:
            write(image.text, image.style, image.motion, image.duration, image.fps,
                  image.factor, image.opacity, temp)  # fmt: skip
        else:
            _layout(image.text, image.style, image.factor).picture().save(temp, format="PNG")
        replace_file(temp, path)
    return path


def picture_clip(title: Title, canvas: tuple[int, int], folder: Path, fps: int = 30) -> Clip:
    """The picture clip a title renders as on a canvas of `canvas` pixels: its picture (drawn
    into `folder` now if missing; its frames at `fps` for a motion that changes its letters),
    its place and keys with its motion's over them, its time and id."""
    from PIL import Image

    transform = moved(title.transform, title.motion, title.duration, _tall(title, canvas))
    image = drawing(replace(title, transform=transform), canvas[0], fps)
    path = draw(image, folder)
    with Image.open(path) as picture:
        width, height = picture.size
    drawn = image.sequence  # its frames: an animated picture played once
    if image.opacity is not None:  # drawn into its frames
        transform = replace(transform.with_keys("opacity", Keys()), opacity=1.0)
    rate = Fraction(fps if drawn else 0)
    media = MediaRef(
        str(path), title.duration, width, height, fps=rate, still=not drawn, loops=drawn
    )
    return Clip(media, Fraction(0), title.duration, transform=transform, id=title.id)


def _tall(title: Title, canvas: tuple[int, int]) -> float:
    """The title's height as a part of the canvas height, at its still scale."""
    return title.transform.scale * canvas[0] * title.height / title.width / canvas[1]


@dataclass(frozen=True)
class _Piece:
    """Letters of a line drawn with one font, `x` px from the line's start."""

    text: str
    font: Any  # a FreeTypeFont at the title's size; None: emoji, a picture scaled to it
    x: float
    width: float


class _Setter:
    """A style's chain of fonts opened at one size, cutting lines into pieces: a run of each
    font, or, with letter spacing, each letter (each emoji with its sequence) on its own."""

    def __init__(self, style: TextStyle, factor: float) -> None:
        self.chain = _chain(style.font)
        self.px = max(1, round(style.size * factor))
        self.spacing = style.letter_spacing * factor
        self.fonts: dict[str, Any] = {}

    def font(self, face: _Face | None) -> Any:
        """The face's font at the title's size (no face: the style's own, which draws a
        character no font has as its box; check_letters refuses such text first); the emoji
        font at the one size it has."""
        from PIL import ImageFont

        face = face or self.chain[0]
        if face.file not in self.fonts:
            px = EMOJI_PX if face.emoji else self.px
            self.fonts[face.file] = ImageFont.truetype(face.file, px)
        return self.fonts[face.file]

    def pieces(self, line: str) -> tuple[_Piece, ...]:
        placed: list[_Piece] = []
        x = 0.0
        for face, run in _runs(line, self.chain):
            emoji = face is not None and face.emoji
            parts = _clusters(run) if self.spacing else [run]
            for part in parts:
                font = self.font(face)
                width = float(font.getlength(part)) * (self.px / EMOJI_PX if emoji else 1.0)
                placed.append(_Piece(part, None if emoji else font, x, width))
                x += width + self.spacing
        return tuple(placed)

    def width(self, line: str) -> float:
        return _span(self.pieces(line))

    def reach(self, lines: list[tuple[_Piece, ...]]) -> tuple[float, float]:
        """How far the lines' letters reach above and below their baseline: the fonts'
        ascent and descent (the style's own always counts, so a box keeps its shape)."""
        ascent, descent = self.font(None).getmetrics()
        for piece in (piece for line in lines for piece in line):
            if piece.font is None:
                _, top, _, bottom = self.font(self.chain[-1]).getbbox(piece.text, anchor="ls")
                scale = self.px / EMOJI_PX
                ascent, descent = max(ascent, -top * scale), max(descent, bottom * scale)
            else:
                above, below = piece.font.getmetrics()
                ascent, descent = max(ascent, above), max(descent, below)
        return float(ascent), float(descent)


def _span(pieces: tuple[_Piece, ...]) -> float:
    return pieces[-1].x + pieces[-1].width if pieces else 0.0


def letter_count(text: str) -> int:
    """The letters of `text` a typewriter shows one by one: an emoji with its skin tone or
    joined sequence is one, a letter with its accent is one, spaces are none."""
    return sum(1 for letter in _clusters(text) if not letter.isspace())


def _clusters(run: str) -> list[str]:
    """A run in what letter spacing spaces: a combining mark (an accent, a keycap), a skin
    tone, a ZWJ and what it joins stay with the letter or emoji before them."""
    found: list[str] = []
    for at, letter in enumerate(run):
        joined = (
            letter == ZWJ or ord(letter) in SKIN_TONES or unicodedata.category(letter)[0] == "M"
        )
        if found and (joined or run[at - 1] == ZWJ):
            found[-1] += letter
        else:
            found.append(letter)
    return found


@dataclass(frozen=True)
class _Emoji:
    """An emoji run drawn at its font's one size and scaled to a title's: its picture and where
    that sits from the pen on the baseline."""

    picture: Any  # RGBA
    left: float
    top: float  # from the baseline, negative above it


@functools.lru_cache(maxsize=32)  # a title draws each twice (its shadow, itself)
def _emoji(text: str, px: int) -> _Emoji:
    """The emoji at `px` px: the font's 109 px em scaled to the title's em, so they stand
    about 1.1 times the font size tall, on the baseline as the font puts them (their middle
    at the capitals' middle)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONTS_DIR / EMOJI_FONT), EMOJI_PX)
    box = ImageDraw.Draw(Image.new("RGBA", (1, 1))).textbbox(
        (0, 0), text, font, anchor="ls", embedded_color=True
    )
    left, top, right, bottom = (int(edge) for edge in box)
    scale = px / EMOJI_PX
    layer = Image.new("RGBA", (max(1, right - left), max(1, bottom - top)), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((-left, -top), text, font=font, anchor="ls", embedded_color=True)
    size = (max(1, round(layer.width * scale)), max(1, round(layer.height * scale)))
    picture = layer.resize(size, Image.Resampling.LANCZOS)
    return _Emoji(picture, left * scale, top * scale)


@dataclass(frozen=True)
class Shown:
    """What of a title a frame of its drawn motion shows: the first `letters` letters (None:
    all) and, with `phase` (0..1 through the wave), each letter lifted in turn."""

    letters: int | None = None
    phase: float | None = None
    room: int = 0  # px above and below the title the wave may lift letters into
    word: int | None = None  # a word drawn in `marked` instead of the text's colour
    marked: str = ""

    def lift(self, letter: int, px: int) -> float:
        """How far up (negative) the wave lifts letter number `letter`, px."""
        import math

        if self.phase is None:
            return 0.0
        return -WAVE_HEIGHT * px * math.sin(2 * math.pi * self.phase - letter * WAVE_STEP)


@dataclass(frozen=True)
class _Laid:
    """A title's lines placed in its picture, ready to draw."""

    lines: tuple[tuple[tuple[_Piece, ...], float], ...]  # each line's pieces and left edge, px
    px: int  # the font size, px
    style: TextStyle
    factor: float
    baseline: float  # the first line's baseline, px
    step: float  # from one line's baseline to the next, px
    size: tuple[int, int]

    def picture(self, shown: Shown | None = None, room: int = 0) -> Any:
        """The title drawn, or with `shown` part of its letters, moved as a wave goes, on a
        picture `room` px taller above and below (for a wave's letters)."""
        from PIL import Image, ImageDraw, ImageFilter

        width, height = self.size[0], self.size[1] + 2 * room
        canvas = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        style, f = self.style, self.factor
        if style.box_color:
            alpha = round(255 * style.box_opacity)
            radius = round(style.box_radius * f)
            box = (0, room, width - 1, height - 1 - room)
            ImageDraw.Draw(canvas).rounded_rectangle(
                box, radius, fill=_rgba(style.box_color, alpha)
            )
        shown = replace(shown or Shown(), room=room)
        if style.shadow or style.shadow_blur:
            shadow = Image.new("RGBA", (width, height), (0, 0, 0, 0))
            offset = style.shadow * f
            self._text(shadow, style.shadow_color, (offset, offset), True, shown)
            if style.shadow_blur:
                shadow = shadow.filter(ImageFilter.GaussianBlur(style.shadow_blur * f / 2))
            for _ in range(1 if style.shadow else 2):  # a glow, all around: laid twice
                canvas = Image.alpha_composite(canvas, shadow)
        self._text(canvas, style.color, (0.0, 0.0), False, shown)
        return canvas

    def _text(
        self, canvas: Any, color: str, offset: tuple[float, float], silhouette: bool, shown: Shown
    ) -> None:
        """The letters in `color` with their outline, each piece on the line's baseline; the
        emoji in their own colours (no outline), or, for a shadow, their shape in `color`;
        only the first `shown.letters` letters, each lifted as `shown`'s wave says."""
        from PIL import ImageDraw

        draw = ImageDraw.Draw(canvas)
        stroke, outline = round(self.style.stroke * self.factor), self.style.stroke_color
        count, word, spaced = 0, 0, False
        for index, (pieces, left) in enumerate(self.lines):
            baseline = self.baseline + index * self.step + offset[1] + shown.room
            word, spaced = word + (index > 0), False  # a line starts a word
            for piece in pieces:
                for part, x in self._parts(piece, left + offset[0], shown):
                    if shown.letters is not None and count >= shown.letters:
                        return
                    if part.isspace():
                        word, spaced = word + (not spaced), True
                        continue
                    spaced = False
                    count += sum(1 for letter in _clusters(part) if not letter.isspace())
                    y = baseline + shown.lift(count, self.px)
                    ink = shown.marked if word == shown.word and not silhouette else color
                    if piece.font is None:
                        _lay_emoji(canvas, _emoji(part, self.px), x, y, ink, silhouette)
                        continue
                    draw.text(
                        (x, y), part, ink, piece.font, anchor="ls",
                        stroke_width=stroke, stroke_fill=outline,
                    )  # fmt: skip

    def _parts(self, piece: _Piece, left: float, shown: Shown) -> list[tuple[str, float]]:
        """The piece whole, or letter by letter (each at its place) when only some letters
        show or a wave lifts each: (letters, x) pairs."""
        x = left + piece.x
        if shown.letters is None and shown.phase is None and shown.word is None:
            return [(piece.text, x)]
        parts, before = [], ""
        for letter in _clusters(piece.text):
            if piece.font is None:
                width = float(self._emoji_length(before))
            else:
                width = float(piece.font.getlength(before)) if before else 0.0
            parts.append((letter, x + width))
            before += letter
        return parts

    def _emoji_length(self, text: str) -> float:
        if not text:
            return 0.0
        from PIL import ImageFont

        font = ImageFont.truetype(str(FONTS_DIR / EMOJI_FONT), EMOJI_PX)
        return float(font.getlength(text)) * self.px / EMOJI_PX


def _lay_emoji(
    canvas: Any, emoji: _Emoji, x: float, baseline: float, color: str, shape: bool
) -> None:
    """The emoji over the canvas with its pen at (x, baseline); `shape`: its alpha in `color`."""
    from PIL import Image

    picture = emoji.picture
    if shape:
        picture = Image.new("RGBA", picture.size, _rgba(color, 255))
        picture.putalpha(emoji.picture.getchannel("A"))
    left, top = round(x + emoji.left), round(baseline + emoji.top)
    cut = (max(0, -left), max(0, -top))  # alpha_composite takes no place left of or above 0
    canvas.alpha_composite(picture, (left + cut[0], top + cut[1]), cut)


def layout(text: str, style: TextStyle, factor: float) -> _Laid:
    """The title laid out at `factor` output px per style px, ready to draw (whole, or part
    by part for a drawn motion: render/title_frames.py)."""
    return _layout(text, style, factor)


def _layout(text: str, style: TextStyle, factor: float) -> _Laid:
    """Lines wrapped to the style's width, their block measured, the picture's size."""
    setter = _Setter(style, factor)
    room = style.max_width * factor
    lines = [
        line
        for paragraph in text.splitlines() or [""]
        for line in _wrapped(paragraph, room, setter.width)
    ]
    laid = [setter.pieces(line) for line in lines]
    ascent, descent = setter.reach(laid)
    step = style.size * factor * style.line_spacing
    widths = [_span(pieces) for pieces in laid]
    block_w = max(widths)
    block_h = (len(lines) - 1) * step + ascent + descent
    stroke = round(style.stroke * factor)
    pad = style.box_padding * factor if style.box_color else 0.0
    shadow = (style.shadow + style.shadow_blur) * factor  # the offset and the blur past it
    edge = max(pad, stroke + 1, style.shadow_blur * factor)
    width = _even(block_w + 2 * edge + shadow)
    height = _even(block_h + 2 * edge + shadow)
    placed = tuple(
        (pieces, edge + _indent(style.align, block_w - wide)) for pieces, wide in zip(laid, widths)
    )
    return _Laid(placed, setter.px, style, factor, edge + ascent, step, (width, height))


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
