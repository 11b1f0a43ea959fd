"""The bundled sticker library in studio/assets/stickers/, from Noto Color Emoji and drawing.

    python assets/make_stickers.py --font /path/to/NotoColorEmoji.ttf

Two sources. Emoji pictures come from Noto Color Emoji 2.042 (Debian bookworm's
fonts-noto-color-emoji; the art is Apache-2.0): the font holds bitmaps at one size only (109 px),
so each is drawn at that size, then scaled and moved onto a 256 px canvas. Everything else is
drawn here, four times too large and reduced so its edges are smooth, with the repo's Roboto
Black for text; those drawings are CC0. Some stickers are still (a one-frame PNG), the others
animated: an emoji moved frame by frame (pulse, wobble, spin, ...) or a drawing (sparkles,
confetti, a LIVE badge, ...), 15 frames a second, looping.

An animated sticker is a palette APNG: all its frames share one 256-colour palette (APNG has one
PLTE), whose alpha is snapped so that opaque stays opaque and clear stays clear. It is a few
times smaller than RGBA, and ffmpeg, Pillow and OpenCV read it. The script also writes
stickers.json (name, label, search tags, licence, in display order) and the Apache-2.0 notice.
Random placements are seeded and the font version is checked, so a run gives the same bytes
as the last one on the same machine. Where the font comes from: assets/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "studio" / "assets" / "stickers"
ROBOTO = ROOT / "studio" / "assets" / "fonts" / "Roboto-Black.ttf"
APACHE_TEXT = ROOT / "studio" / "assets" / "fonts" / "LICENSE-Roboto.txt"  # Apache-2.0, verbatim
NOTO_VERSION = "2.042"  # another version draws other art, and other bytes
NOTO_SIZE = 109  # the font's only bitmap size: it opens at no other
SIDE = 256  # a sticker's canvas (the longer side of a wide one)
SS = 4  # drawings are made this many times too large, then reduced
FPS = 15
EMOJI_SIDE = 236  # a still emoji's longer side, leaving a clear margin
MOVING_SIDE = 192  # a moving emoji's, leaving room for its motion

APACHE = "Apache-2.0"
CC0 = "CC0-1.0"
BOTH = "Apache-2.0 and CC0-1.0"

Frames = list[Image.Image]
Colour = tuple[int, int, int]
WHITE: Colour = (255, 255, 255)


class Emoji:
    """Noto Color Emoji's pictures, each cropped to its ink, at the font's one size."""

    def __init__(self, font: Path) -> None:
        self.font = ImageFont.truetype(str(font), NOTO_SIZE)

    def __call__(self, char: str) -> Image.Image:
        picture = blank(2 * NOTO_SIZE, 2 * NOTO_SIZE)
        draw = ImageDraw.Draw(picture)
        draw.text((NOTO_SIZE, NOTO_SIZE), char, font=self.font, embedded_color=True, anchor="mm")
        return picture.crop(picture.getbbox())


def font_version(path: Path) -> str:
    """The font's version ("2.042" of "Version 2.042;GOOG;..." in name ID 5); "" if the file
    is not a TrueType font or has no version."""
    data = path.read_bytes() if path.is_file() else b""
    if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        return ""
    tables = struct.unpack_from(">H", data, 4)[0]
    offsets = {data[12 + 16 * k : 16 + 16 * k]: 20 + 16 * k for k in range(tables)}
    if b"name" not in offsets:
        return ""
    start = struct.unpack_from(">I", data, offsets[b"name"])[0]
    _, records, strings = struct.unpack_from(">3H", data, start)
    for r in range(records):
        platform, _, _, name_id, length, at = struct.unpack_from(">6H", data, start + 6 + 12 * r)
        if name_id == 5:
            begin = start + strings + at
            coding = "utf-16-be" if platform in (0, 3) else "latin-1"
            text = data[begin : begin + length].decode(coding)
            return text.removeprefix("Version ").split(";")[0]
    return ""


def blank(width: int, height: int) -> Image.Image:
    return Image.new("RGBA", (width, height), (0, 0, 0, 0))


def reduce(big: Image.Image) -> Image.Image:
    """A drawing made SS times too large, brought down to size with smooth edges."""
    return big.resize((big.width // SS, big.height // SS), Image.Resampling.LANCZOS)


def wave(t: float) -> float:
    """One smooth swing, -1 to 1 and back, as t runs over a loop (0 to 1)."""
    return math.sin(2 * math.pi * t)


def swell(t: float) -> float:
    """0 to 1 and back to 0, eased, as t runs over a loop."""
    return 0.5 - 0.5 * math.cos(2 * math.pi * t)


@dataclass(frozen=True)
class Pose:
    """How a picture sits on its canvas in one frame."""

    scale: float = 1.0
    squash: float = 0.0  # > 0 widens and flattens, < 0 narrows and stretches
    angle: float = 0.0  # degrees, anticlockwise
    dx: float = 0.0
    dy: float = 0.0
    opacity: float = 1.0


def place(
    picture: Image.Image,
    side: float,
    pose: Pose = Pose(),
    canvas: tuple[int, int] = (SIDE, SIDE),
    pin: tuple[float, float] = (0.5, 0.5),
    at: tuple[float, float] | None = None,
) -> Image.Image:
    """The picture fitted to `side`, posed, with its `pin` (a point given as parts of its width
    and height) at `at` (the canvas centre by default), in one resampling."""
    ax, ay = at or (canvas[0] / 2, canvas[1] / 2)
    ax, ay = ax + pose.dx, ay + pose.dy
    fit = side * pose.scale / max(picture.size)
    kx, ky = fit * (1 + pose.squash), fit * (1 - pose.squash)
    turn = math.radians(pose.angle)
    cos, sin = math.cos(turn), math.sin(turn)
    px, py = pin[0] * picture.width, pin[1] * picture.height
    # the picture point for each canvas point: undo the move, the turn, then the scale
    a, b, d, e = cos / kx, -sin / kx, sin / ky, cos / ky
    matrix = (a, b, px - a * ax - b * ay, d, e, py - d * ax - e * ay)
    posed = picture.transform(
        canvas, Image.Transform.AFFINE, matrix, Image.Resampling.BICUBIC, fillcolor=(0, 0, 0, 0)
    )
    if pose.opacity < 1:
        posed.putalpha(posed.getchannel("A").point(lambda v: round(v * pose.opacity)))
    return posed


def font(size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(ROBOTO), round(size))


def fitted_font(text: str, width: float, height: float) -> ImageFont.FreeTypeFont:
    """Roboto Black at the size whose ink for `text` fills at most width x height."""
    left, top, right, bottom = font(100).getbbox(text, anchor="ls")
    return font(100 * min(width / (right - left), height / (bottom - top)))


def centred_text(
    draw: ImageDraw.ImageDraw,
    centre: tuple[float, float],
    text: str,
    face: ImageFont.FreeTypeFont,
    fill: Colour,
) -> None:
    """The text with its ink (not its line box) centred on `centre`: capitals sit mid-height."""
    left, top, right, bottom = face.getbbox(text, anchor="ls")
    x = centre[0] - (left + right) / 2
    y = centre[1] - (top + bottom) / 2
    draw.text((x, y), text, font=face, fill=fill, anchor="ls")


def shade(colour: Colour, k: float) -> Colour:
    r, g, b = colour
    return (round(r * k), round(g * k), round(b * k))


def pill(width: int, height: int, text: str, fill: Colour, sized_for: str = "") -> Image.Image:
    """A rounded, white-rimmed button with white text that has a darker shadow below it; the
    text is as large as fits, or as `sized_for` would be, so that two buttons match."""
    big = blank(width * SS, height * SS)
    draw = ImageDraw.Draw(big)
    edge, radius = 3 * SS, height * SS * 0.3
    draw.rounded_rectangle((edge, edge, big.width - edge, big.height - edge), radius, fill=WHITE)
    inner = edge + 5 * SS
    box = (inner, inner, big.width - inner, big.height - inner)
    draw.rounded_rectangle(box, radius - 5 * SS, fill=fill)
    face = fitted_font(sized_for or text, (box[2] - box[0]) * 0.8, (box[3] - box[1]) * 0.5)
    middle = (big.width / 2, big.height / 2)
    drop = (middle[0], middle[1] + 1.5 * SS + face.size * 0.04)
    centred_text(draw, drop, text, face, shade(fill, 0.6))
    centred_text(draw, middle, text, face, WHITE)
    return reduce(big)


def badge(text: str, fill: Colour) -> Frames:
    """A text badge, tilted a little as if stuck on by hand."""
    flat = pill(216, 100, text, fill)
    return [place(flat, flat.width, Pose(angle=8), canvas=(SIDE, 160))]


def pop(t: float) -> float:
    """Full size with one breath for half the loop, then popping in from small, overshooting."""
    if t < 0.5:
        return 1 + 0.04 * wave(2 * t)
    u = 2 * t - 2  # -1 to 0 over the second half
    return 0.3 + 0.7 * (1 + 2.7 * u**3 + 1.7 * u**2)


# Motions of an emoji: frames in one loop, and the pose at each point t (0 to 1) of it.
MOTIONS: dict[str, tuple[int, Callable[[float], Pose]]] = {
    "pulse": (12, lambda t: Pose(scale=1 + 0.14 * swell(t) ** 2)),
    "wobble": (16, lambda t: Pose(angle=12 * wave(t))),
    "spin": (24, lambda t: Pose(angle=-360 * t, scale=0.92)),
    "bounce": (12, lambda t: Pose(dy=-36 * abs(wave(t / 2)) + 14, scale=0.9)),
    "shake": (10, lambda t: Pose(dx=9 * wave(2 * t), angle=5 * wave(t))),
    "float": (20, lambda t: Pose(dy=12 * wave(t), angle=4 * wave(t))),
    "pop": (12, lambda t: Pose(scale=pop(t))),
}


def moved(emoji: Emoji, char: str, motion: str) -> Frames:
    count, pose = MOTIONS[motion]
    picture = emoji(char)
    return [place(picture, MOVING_SIDE, pose(i / count)) for i in range(count)]


def four_point_star(x: float, y: float, r: float) -> list[tuple[float, float]]:
    waist = r * 0.22
    return [
        *((x, y - r), (x + waist, y - waist), (x + r, y), (x + waist, y + waist)),
        *((x, y + r), (x - waist, y + waist), (x - r, y), (x - waist, y - waist)),
    ]


# Where the sparkles twinkle: centre x and y, largest radius, and phase in the loop.
SPARKLES = (
    (128, 112, 52, 0.5),
    (62, 60, 30, 0.85),
    (200, 52, 26, 0.2),
    (196, 184, 36, 0.0),
    (56, 178, 24, 0.65),
    (112, 216, 16, 0.35),
    (222, 118, 14, 0.75),
)


def sparkles() -> Frames:
    """Gold four-point stars with white hearts, each growing and fading in its own phase."""
    count = 16
    frames = []
    for i in range(count):
        big = blank(SIDE * SS, SIDE * SS)
        draw = ImageDraw.Draw(big)
        for x, y, r, phase in SPARKLES:
            glow = swell(i / count + phase)
            opacity = round(255 * (0.3 + 0.7 * glow))
            size = r * (0.25 + 0.75 * glow) * SS
            draw.polygon(four_point_star(x * SS, y * SS, size), fill=(255, 192, 24, opacity))
            draw.polygon(four_point_star(x * SS, y * SS, size * 0.45), fill=(*WHITE, opacity))
        frames.append(reduce(big))
    return frames


CONFETTI_COLOURS = ((255, 80, 80), (255, 200, 40), (60, 170, 255), (110, 210, 90), (235, 100, 215))


def confetti() -> Frames:
    """Paper pieces tumbling down, fading in at the top and out at the bottom. Each falls a
    whole number of times a loop, so the loop has no seam; none crosses the canvas edge."""
    count, pieces = 16, 36
    rng = np.random.default_rng(5)
    columns = rng.uniform(28, SIDE - 28, pieces)
    falls = rng.integers(1, 3, pieces)
    phases = rng.uniform(0, 1, pieces)
    colours = rng.integers(0, len(CONFETTI_COLOURS), pieces)
    frames = []
    for i in range(count):
        t = i / count
        frame = blank(SIDE, SIDE)
        for k in range(pieces):
            drop = (t * falls[k] + phases[k]) % 1
            turn = t * falls[k] + phases[k]
            paper = Image.new("RGBA", (14, 8), (*CONFETTI_COLOURS[colours[k]], 255))
            pose = Pose(
                squash=0.45 * wave(2 * turn),  # the piece tumbles: it narrows and widens
                angle=360 * turn,
                dx=columns[k] - SIDE / 2 + 10 * wave(turn),
                dy=(drop - 0.5) * (SIDE - 48),
                opacity=min(1.0, 4 * math.sin(math.pi * drop)),
            )
            frame.alpha_composite(place(paper, 14, pose))
        frames.append(frame)
    return frames


def chat_bubble(width: int, height: int) -> Image.Image:
    """An empty speech bubble with its tail at the lower left, drawn SS times too large: the
    outline colour under the fill, shapes and all, so the tail joins the bubble seamlessly."""
    big = blank(width * SS, height * SS)
    draw = ImageDraw.Draw(big)
    line, fill = (196, 196, 208), (242, 242, 248)
    for grow, colour in ((3, line), (0, fill)):
        g = grow * SS
        tail = [(44 * SS, (88 - grow) * SS), ((14 - 2 * grow) * SS, 132 * SS + g)]
        tail += [(96 * SS + g, (96 - grow) * SS)]
        draw.polygon(tail, fill=colour)
        box = (24 * SS - g, 12 * SS - g, 244 * SS + g, 112 * SS + g)
        draw.rounded_rectangle(box, 50 * SS + g, fill=colour)
    return big


def typing_dots() -> Frames:
    """A chat bubble whose three dots rise and darken in turn."""
    count, width, height = 15, SIDE, 144
    bubble = chat_bubble(width, height)
    frames = []
    for i in range(count):
        big = bubble.copy()
        draw = ImageDraw.Draw(big)
        for k in range(3):
            lift = max(0.0, wave(i / count - k / 6))
            x, y, r = (84 + 50 * k) * SS, (62 - 14 * lift) * SS, 15 * SS
            grey = round(150 - 70 * lift)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(grey, grey, grey + 12))
        frames.append(reduce(big))
    return frames


def burst(teeth: int, outer: float, inner: float, turn: float) -> list[tuple[float, float]]:
    """A star burst around the origin: `teeth` points, turned by `turn` teeth."""
    points = []
    for k in range(2 * teeth):
        r = outer if k % 2 == 0 else inner
        a = math.pi * (k + 2 * turn) / teeth
        points.append((r * math.cos(a), r * math.sin(a)))
    return points


def new_burst() -> Frames:
    """A white-rimmed red burst turning one tooth a loop (so the loop has no seam), "NEW!"
    breathing on it."""
    count, teeth = 12, 16
    middle = SIDE * SS / 2
    frames = []
    for i in range(count):
        t = i / count
        big = blank(SIDE * SS, SIDE * SS)
        draw = ImageDraw.Draw(big)
        for outer, inner, fill in ((122, 100, WHITE), (114, 92, (232, 36, 64))):
            star = burst(teeth, outer * SS, inner * SS, t)
            draw.polygon([(middle + x, middle + y) for x, y in star], fill=fill)
        frame = reduce(big)
        words = blank(SIDE * SS, SIDE * SS)
        face = fitted_font("NEW!", 150 * SS, 70 * SS)
        word_draw = ImageDraw.Draw(words)
        centred_text(word_draw, (middle, middle + 5 * SS), "NEW!", face, (150, 10, 40))
        centred_text(word_draw, (middle, middle), "NEW!", face, WHITE)
        frame.alpha_composite(place(reduce(words), SIDE, Pose(scale=1 + 0.07 * wave(t))))
        frames.append(frame)
    return frames


def subscribe(emoji: Emoji) -> Frames:
    """A red SUBSCRIBE button: a hand comes up and taps it, and it turns grey, SUBSCRIBED."""
    count = 20
    red = pill(232, 96, "SUBSCRIBE", (228, 30, 36), sized_for="SUBSCRIBED")
    grey = pill(232, 96, "SUBSCRIBED", (120, 120, 120))
    hand = emoji("\U0001f446")
    frames = []
    for i in range(count):
        t = i / count
        pressed = 0.35 <= t < 0.5
        button = grey if t >= 0.4 else red
        frame = place(button, button.width, Pose(scale=0.94 if pressed else 1.0), at=(128, 84))
        rise = min(1.0, t / 0.35) if t < 0.5 else max(0.0, 1 - (t - 0.5) / 0.35)
        fingertip = 164 - 66 * rise + (4 if pressed else 0)
        pose = Pose(opacity=min(1.0, 3 * rise))
        frame.alpha_composite(place(hand, 88, pose, pin=(0.4, 0.0), at=(176, fingertip)))
        frames.append(frame)
    return frames


def live_badge() -> Frames:
    """A red LIVE badge whose white dot blinks and sends out a ring."""
    count, width, height = 16, SIDE, 112
    face = font(60 * SS)
    frames = []
    for i in range(count):
        t = i / count
        big = blank(width * SS, height * SS)
        draw = ImageDraw.Draw(big)
        edge = 8 * SS
        box = (edge, edge, big.width - edge, big.height - edge)
        draw.rounded_rectangle(box, 28 * SS, fill=WHITE)
        inner = (box[0] + 5 * SS, box[1] + 5 * SS, box[2] - 5 * SS, box[3] - 5 * SS)
        draw.rounded_rectangle(inner, 23 * SS, fill=(226, 18, 40))
        x, y = 56 * SS, big.height / 2
        ring = (12 + 18 * t) * SS
        ring_box = (x - ring, y - ring, x + ring, y + ring)
        draw.ellipse(ring_box, outline=(255, 255, 255, round(230 * (1 - t))), width=3 * SS)
        dot, lit = 12 * SS, 255 if t < 0.5 else 110
        draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=(*WHITE, lit))
        centred_text(draw, (154 * SS, y), "LIVE", face, WHITE)
        frames.append(reduce(big))
    return frames


def heart_outline(x: float, y: float, r: float) -> list[tuple[float, float]]:
    """The classic heart curve, r about its half width, centred on (x, y)."""
    points = []
    for k in range(240):
        a = 2 * math.pi * k / 240
        hx = 16 * math.sin(a) ** 3
        hy = 13 * math.cos(a) - 5 * math.cos(2 * a) - 2 * math.cos(3 * a) - math.cos(4 * a)
        points.append((x + hx * r / 16, y - (hy + 2.5) * r / 16))
    return points


def heart_glow() -> Frames:
    """A drawn heart beating, with a soft ring that grows and fades."""
    count = 12
    middle = SIDE / 2
    frames = []
    for i in range(count):
        t = i / count
        # the ring is blurred as an alpha mask over a flat colour: blurring RGBA would darken it
        glow = Image.new("L", (SIDE, SIDE), 0)
        ring = SIDE * (0.3 + 0.16 * t)
        box = (middle - ring, middle - ring, middle + ring, middle + ring)
        ImageDraw.Draw(glow).ellipse(box, outline=round(255 * (1 - t)), width=6)
        frame = Image.new("RGBA", (SIDE, SIDE), (255, 70, 110, 0))
        frame.putalpha(glow.filter(ImageFilter.GaussianBlur(2.5)))
        big = blank(SIDE * SS, SIDE * SS)
        draw = ImageDraw.Draw(big)
        r = SIDE * SS * 0.3 * (1 + 0.16 * swell(t) ** 2)
        c = SIDE * SS / 2
        draw.polygon(heart_outline(c, c, r), fill=(236, 40, 82))
        draw.ellipse((c - r * 0.66, c - r * 0.6, c - r * 0.34, c - r * 0.32), fill=(255, 150, 170))
        frame.alpha_composite(reduce(big))
        frames.append(frame)
    return frames


def fire_flicker(emoji: Emoji) -> Frames:
    """The fire emoji squashing, stretching and leaning from its foot, with sparks rising."""
    count = 12
    flame = emoji("\U0001f525")
    rng = np.random.default_rng(7)
    sparks = rng.uniform(0, 1, size=(5, 2))
    frames = []
    for i in range(count):
        t = i / count
        pose = Pose(scale=0.84, squash=-0.06 * wave(t), angle=4 * wave(2 * t))
        frame = place(flame, SIDE, pose, pin=(0.5, 1.0), at=(SIDE / 2, SIDE - 14))
        draw = ImageDraw.Draw(frame)
        for column, phase in sparks:  # from the flame's shoulders, up and outwards
            rise = (t + phase) % 1
            x = SIDE / 2 + (column - 0.5) * (110 + 90 * rise)
            y, r = 150 - 136 * rise, 2 + 4 * (1 - rise)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 214, 80, round(255 * (1 - rise))))
        frames.append(frame)
    return frames


@dataclass(frozen=True)
class Sticker:
    name: str
    label: str  # what a creator sees
    tags: tuple[str, ...]  # words a search finds it by
    licence: str
    draw: Callable[[Emoji], Frames]


def still(name: str, char: str, label: str, tags: tuple[str, ...]) -> Sticker:
    return Sticker(name, label, tags, APACHE, lambda emoji: [place(emoji(char), EMOJI_SIDE)])


def moving(name: str, char: str, motion: str, label: str, tags: tuple[str, ...]) -> Sticker:
    return Sticker(name, label, tags, APACHE, lambda emoji: moved(emoji, char, motion))


def drawn(name: str, make: Callable[[], Frames], label: str, tags: tuple[str, ...]) -> Sticker:
    return Sticker(name, label, tags, CC0, lambda _: make())


def text_badge(name: str, text: str, fill: Colour, tags: tuple[str, ...]) -> Sticker:
    return Sticker(name, f"{text} badge", tags, CC0, lambda _: badge(text, fill))


# The library, in the order a creator sees it: animated first, then emoji, then badges.
STICKERS = (
    moving("heart_beat", "\u2764", "pulse", "Heart beat", ("love", "heart", "beat")),
    Sticker("fire_flicker", "Flickering fire", ("fire", "hot", "lit"), BOTH, fire_flicker),
    drawn("sparkles_twinkle", sparkles, "Twinkling sparkles", ("sparkle", "shine", "magic")),
    drawn("confetti_fall", confetti, "Confetti", ("party", "celebrate", "confetti")),
    drawn("new_burst", new_burst, "New!", ("new", "announce", "badge")),
    Sticker("subscribe_press", "Subscribe", ("subscribe", "follow", "button"), BOTH, subscribe),
    drawn("live_badge", live_badge, "Live", ("live", "stream", "badge")),
    drawn("typing_dots", typing_dots, "Typing", ("chat", "message", "typing")),
    drawn("heart_pulse", heart_glow, "Glowing heart", ("love", "heart", "glow")),
    moving("laugh_wobble", "\U0001f923", "wobble", "Rolling laugh", ("laugh", "funny", "lol")),
    moving("star_spin", "\u2b50", "spin", "Spinning star", ("star", "favourite", "spin")),
    moving("arrow_bounce", "\u2b07", "bounce", "Bouncing arrow", ("arrow", "down", "look")),
    moving("hundred_shake", "\U0001f4af", "shake", "Shaking 100", ("100", "perfect", "score")),
    moving("ghost_float", "\U0001f47b", "float", "Floating ghost", ("ghost", "spooky", "boo")),
    moving("thumbs_pop", "\U0001f44d", "pop", "Thumbs up pop", ("like", "yes", "thumbs")),
    still("fire", "\U0001f525", "Fire", ("fire", "hot", "lit")),
    still("red_heart", "\u2764", "Red heart", ("love", "heart")),
    still("party_popper", "\U0001f389", "Party popper", ("party", "celebrate", "tada")),
    still("star_struck", "\U0001f929", "Star-struck", ("wow", "amazed", "stars")),
    still("hundred", "\U0001f4af", "100", ("100", "perfect", "score")),
    still("thumbs_up", "\U0001f44d", "Thumbs up", ("like", "yes", "thumbs")),
    still("tears_of_joy", "\U0001f602", "Tears of joy", ("laugh", "funny", "lol")),
    still("heart_eyes", "\U0001f60d", "Heart eyes", ("love", "crush", "adore")),
    still("crown", "\U0001f451", "Crown", ("king", "queen", "winner")),
    still("sunglasses_face", "\U0001f60e", "Cool face", ("cool", "sunglasses", "chill")),
    still("clapping", "\U0001f44f", "Clapping", ("clap", "applause", "bravo")),
    still("rocket", "\U0001f680", "Rocket", ("launch", "fast", "space")),
    still("exploding_head", "\U0001f92f", "Mind blown", ("wow", "shock", "mind blown")),
    still("eyes", "\U0001f440", "Eyes", ("look", "watch", "eyes")),
    still("skull", "\U0001f480", "Skull", ("dead", "skull", "lol")),
    still("pleading", "\U0001f97a", "Pleading face", ("please", "cute", "sad")),
    still("sparkles", "\u2728", "Sparkles", ("sparkle", "shine", "magic")),
    still("music_notes", "\U0001f3b6", "Music notes", ("music", "song", "notes")),
    still("camera", "\U0001f4f8", "Camera flash", ("photo", "camera", "flash")),
    still("check_mark", "\u2705", "Check mark", ("done", "yes", "check")),
    text_badge("badge_wow", "WOW", (128, 56, 240), ("wow", "amazing", "badge")),
    text_badge("badge_omg", "OMG", (240, 84, 24), ("omg", "shock", "badge")),
    text_badge("badge_lol", "LOL", (20, 160, 84), ("lol", "funny", "badge")),
)


def palette(frames: Frames) -> Frames:
    """The frames in one shared 256-colour palette, its alpha snapped to 0 and 255 near them.
    The colours are chosen on premultiplied RGBA, so that a faint edge pixel is matched by what
    it adds to a picture rather than by a colour that hardly shows: fewer specks, smaller files."""
    width, height = frames[0].size
    strip = blank(width, height * len(frames))
    for k, frame in enumerate(frames):
        strip.paste(frame, (0, k * height))
    premultiplied = Image.frombytes("RGBA", strip.size, strip.convert("RGBa").tobytes())
    indexed = premultiplied.quantize(256, method=Image.Quantize.FASTOCTREE)
    colours = indexed.getpalette("RGBA") or []
    for k in range(0, len(colours), 4):
        r, g, b, a = colours[k : k + 4]
        straight = [min(255, round(v * 255 / a)) if a else 0 for v in (r, g, b)]
        colours[k : k + 4] = [*straight, 255 if a >= 240 else 0 if a <= 8 else a]
    indexed.putpalette(colours, "RGBA")
    return [indexed.crop((0, k * height, width, (k + 1) * height)) for k in range(len(frames))]


def durations(count: int) -> list[int]:
    """Whole milliseconds per frame (67, 67, 66, ...) adding up to exactly count / FPS s."""
    return [round((k + 1) * 1000 / FPS) - round(k * 1000 / FPS) for k in range(count)]


def save(frames: Frames, path: Path) -> None:
    first, *rest = palette(frames)
    if not rest:
        first.save(path, optimize=True)
        return
    # disposal 0 and blend 0: each frame's changed box replaces those pixels, alpha included
    # (disposal 1 with palette frames fails in Pillow's APNG writer)
    first.save(
        path,
        save_all=True,
        append_images=rest,
        duration=durations(len(frames)),
        loop=0,
        disposal=0,
        blend=0,
        optimize=True,
    )


def manifest(animated: dict[str, bool]) -> str:
    entries = {
        sticker.name: {
            "file": f"{sticker.name}.png",
            "label": sticker.label,
            "tags": list(sticker.tags),
            "animated": animated[sticker.name],
            "licence": sticker.licence,
        }
        for sticker in STICKERS
    }
    return json.dumps(entries, indent=2) + "\n"


def notice() -> str:
    """The licence file for the stickers built on Noto Emoji art: who made it, what changed."""
    return (
        "Noto Emoji\n"
        "Copyright 2013-2017 Google Inc., Arjen Nienhuis <a.g.nienhuis@gmail.com>\n"
        "https://github.com/googlefonts/noto-emoji\n\n"
        "The stickers in this folder whose licence in stickers.json names Apache-2.0 were\n"
        "rendered from Noto Color Emoji 2.042 (Debian's fonts-noto-color-emoji\n"
        "2.042-0+deb12u1) and changed by assets/make_stickers.py: scaled, moved and animated,\n"
        "and combined with drawings of the script's own. The Noto Emoji artwork is licensed\n"
        "under the Apache License, Version 2.0, whose text follows.\n\n"
        + APACHE_TEXT.read_text(encoding="utf-8")
    )


def build(emoji: Emoji) -> int:
    """Every sticker, its manifest and the notice into OUT; the bytes written."""
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    animated = {}
    for sticker in STICKERS:
        frames = sticker.draw(emoji)
        save(frames, OUT / f"{sticker.name}.png")
        animated[sticker.name] = len(frames) > 1
    (OUT / "stickers.json").write_text(manifest(animated), encoding="utf-8")
    (OUT / "LICENSE-Noto-Emoji.txt").write_text(notice(), encoding="utf-8")
    return sum(path.stat().st_size for path in OUT.iterdir())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--font", type=Path, required=True, help="NotoColorEmoji.ttf, 2.042")
    font_path = parser.parse_args().font
    version = font_version(font_path)
    if version != NOTO_VERSION:
        found = f"version {version}" if version else "not a TrueType font with a version"
        raise SystemExit(
            f"{font_path}: {found}. The stickers are drawn from Noto Color Emoji {NOTO_VERSION}"
            " only; assets/README.md says where to get it."
        )
    size = build(Emoji(font_path))
    print(f"{len(STICKERS)} stickers in {OUT}: {size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
