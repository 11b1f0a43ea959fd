"""Every range a user can set, in one table.

The model's constructors check their values against it, and the project loader, the CLI (its
choices and help) and the desktop app (spin-box ranges, combo-box items, field labels) read the
same entries, so no two places can disagree. A refusal names the field, never a command-line
flag: the CLI maps fields to its flags, the app to its widgets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import NoReturn

from studio.errors import ProjectError

Number = int | float | Fraction
MAX_SECONDS = 360_000  # 100 hours: longer than anything edited here, small enough for any sum
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Range:
    """A closed range of numbers: low <= value <= high."""

    low: float
    high: float
    label: str
    unit: str = ""

    def check(self, value: Number, field: str) -> None:
        if not self.low <= value <= self.high:
            raise ProjectError(
                f"must be between {self.low:g} and {self.high:g}{self.unit} (got {shown(value)})",
                field=field,
            )


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of values."""

    values: tuple[object, ...]
    label: str

    def check(self, value: object, field: str) -> None:
        if value not in self.values:
            allowed = ", ".join(str(v) for v in self.values)
            raise ProjectError(f"must be one of {allowed} (got {value!r})", field=field)


@dataclass(frozen=True)
class Length:
    """Text of 1 to `most` characters, not all blank."""

    most: int
    label: str

    def check(self, value: str, field: str) -> None:
        if not value.strip() or len(value) > self.most:
            raise ProjectError(
                f"must be 1 to {self.most} characters (got {len(value)})", field=field
            )


LIMITS: dict[str, Range] = {
    "canvas.side": Range(16, 8192, "Canvas side", " px"),
    "clip.speed": Range(0.25, 4, "Speed"),
    "clip.volume": Range(0, 4, "Volume"),
    "clip.gain_db": Range(-60, 12, "Gain", " dB"),
    "clip.denoise": Range(0, 1, "Noise reduction"),
    "duck.depth_db": Range(0, 40, "Ducking depth", " dB"),
    "duck.time": Range(0, 2, "Ducking time", " s"),
    "duck.key_db": Range(-40, 0, "Ducking key", " dB"),
    "clip.beauty": Range(0, 1, "Skin smoothing"),
    "fit.focus": Range(0, 1, "Focus point"),
    "music.gain_db": Range(-60, 20, "Music gain", " dB"),
    "track.gain_db": Range(-60, 20, "Track gain", " dB"),
    "transform.position": Range(-1, 2, "Position", " of the canvas"),
    "transform.scale": Range(0.02, 5, "Size", " of the canvas width"),
    "transform.rotation": Range(-3600, 3600, "Rotation", " degrees"),
    "transform.opacity": Range(0, 1, "Opacity"),
    "transform.crop": Range(0, 0.9, "Crop", " of the picture"),
    "mask.radius": Range(0, 0.5, "Corner rounding"),
    "mask.feather": Range(0, 0.5, "Edge softness"),
    "mask.border": Range(0, 0.05, "Border", " of the canvas width"),
    "transform.aspect": Range(0, 10, "Frame shape", " (height for width; 0: the picture's)"),
    "title.size": Range(8, 600, "Font size", " px on a 1080-wide canvas"),
    "title.stroke": Range(0, 40, "Outline", " px"),
    "title.shadow": Range(0, 60, "Shadow", " px"),
    "title.opacity": Range(0, 1, "Opacity"),
    "title.radius": Range(0, 200, "Corner rounding", " px"),
    "title.padding": Range(0, 200, "Padding", " px"),
    "title.letter_spacing": Range(-20, 100, "Letter spacing", " px"),
    "title.line_spacing": Range(0.6, 3, "Line spacing", " of the font size"),
    "title.max_width": Range(0, 4000, "Wrap width", " px (0: no wrap)"),
    "title.drawn": Range(1, 20000, "Drawn size", " px"),
    "clip.pad": Range(0, 3600, "Held", " s"),
    "chroma.similarity": Range(0.01, 1, "Key similarity"),
    "chroma.blend": Range(0, 1, "Key edge softness"),
    "chroma.spill": Range(0, 1, "Spill removal"),
    "transition.length": Range(0.1, 5, "Transition length", " s"),
    "music.offset": Range(0, 36000, "Song starts at", " s"),
    "music.fade": Range(0, 60, "Music fade", " s"),
    "grid.meter": Range(2, 7, "Beats per bar"),
    "grid.bpm": Range(50, 220, "Tempo", " BPM"),  # the beat tracker's range
    "effect.strength": Range(0, 1, "Effect strength"),
    "background.strength": Range(0, 1, "Background blur"),
    "background.feather": Range(0, 1, "Edge softness"),
    "look.intensity": Range(0, 1, "Look intensity"),
    "faces.strength": Range(0, 1, "Face blur"),
    "sticker.size": Range(0.2, 4, "Sticker size", " of the face's width"),
    "frame_effect.amount": Range(0, 1, "Effect amount"),
    "captions.width": Range(12, 60, "Characters per line"),
    "record.duration": Range(0.5, 600, "Recording length", " s"),
    "record.countdown": Range(0, 10, "Countdown", " s"),
    "record.segments": Range(1, 50, "Segments"),
    "captions.lines": Range(1, 3, "Lines"),
    "captions.place": Range(0, 1, "Captions place", " of the canvas"),
    "captions.scale": Range(0.3, 3, "Captions size", "x the style's"),
    "layout.size": Range(0.15, 0.8, "Your picture's size", " of the canvas width"),
    "layout.radius": Range(0, 0.5, "Corner rounding"),
    "duet.volume": Range(0, 4, "Volume"),
    "duet.offset": Range(-3600, 3600, "Offset", " s"),
    "stitch.length": Range(0.1, 5, "Stitch length", " s"),
    "sync.every": Range(1, 64, "Cut every", " beats"),
    "frame.side": Range(16, 4096, "Frame side", " px"),
    "batch.jobs": Range(1, 16, "Exports at once"),
    # What a probe found in a media file (read back from project files, so checked as well)
    "media.side": Range(0, 65536, "Picture side", " px"),
    "media.sar": Range(1e-4, 1e4, "Pixel shape"),
    "media.fps": Range(0, 10000, "Frame rate", " fps"),
    "media.start": Range(-MAX_SECONDS, MAX_SECONDS, "First timestamp", " s"),
    "media.audio_rate": Range(0, 1_000_000, "Sample rate", " Hz"),
    "media.channels": Range(0, 256, "Channels"),
}

CHOICES: dict[str, Choice] = {
    "canvas.fps": Choice((24, 25, 30, 50, 60), "Frame rate"),
    "fit.mode": Choice(("crop", "blur", "pad", "follow"), "Fit"),
    "media.rotation": Choice((0, 90, 180, 270), "Rotation"),
    "track.role": Choice(("main", "overlay", "music", "voice", "effects"), "Track"),
    "transform.blend": Choice(("over", "screen", "multiply", "add"), "Blend"),
    "mask.shape": Choice(("rect", "rounded", "circle"), "Mask"),
    "transform.anchor": Choice(
        (
            "center",
            "top-left",
            "top",
            "top-right",
            "left",
            "right",
            "bottom-left",
            "bottom",
            "bottom-right",
        ),
        "Anchored at",
    ),
    "transition.kind": Choice(
        (
            "dissolve",
            "dip-black",
            "dip-white",
            "slide-left",
            "slide-right",
            "slide-up",
            "slide-down",
            "push-left",
            "push-right",
            "push-up",
            "push-down",
            "wipe-left",
            "wipe-right",
            "zoom-in",
            "zoom-out",
            "circle",
            "whip",
        ),
        "Transition",
    ),
    "transition.ease": Choice(("linear", "in", "out", "in-out"), "Transition easing"),
    "clip.ramp": Choice(("montage", "hero", "bullet", "flash in", "flash out"), "Speed ramp"),
    "clip.ramp_sound": Choice(("pitch", "mute"), "Sound of a speed ramp"),
    "clip.voice_effect": Choice(
        ("", "chipmunk", "deep", "robot", "echo", "radio", "megaphone"), "Voice effect"
    ),
    "key.ease": Choice(("linear", "in", "out", "in-out", "hold"), "Easing"),
    "layout.fit": Choice(("crop", "blur", "pad"), "Fit"),
    "effect.kind": Choice(("punch", "flash"), "Beat effect"),
    "background.kind": Choice(("blur", "color", "image", "video", "clear"), "Background"),
    "clip.pad_fill": Choice(("freeze", "black"), "Before and after the clip"),
    "faces.which": Choice(("all", "others"), "Blur faces"),
    "captions.style": Choice(("classic", "bold", "highlight", "pop"), "Caption style"),
    "sticker.anchor": Choice(("eyes", "forehead", "nose", "mouth"), "Sticker on"),
    "look.name": Choice(
        ("warm", "cool", "vivid", "mono", "noir", "vintage", "fade", "teal-orange", "sunset"),
        "Look",
    ),
    "effect.on": Choice(("beats", "downbeats"), "Effect on"),
    "layout.kind": Choice(("side", "stack", "react", "greenscreen"), "Layout"),
    "layout.corner": Choice(
        ("top-left", "top-right", "bottom-left", "bottom-right", "bottom-center"), "Corner"
    ),
    "duet.audio": Choice(("both", "original", "yours"), "Sound"),
    "duet.fill": Choice(("freeze", "pad"), "When a side is not playing"),
    "duet.length": Choice(("original", "shorter", "longer"), "Duet length"),
    "text.place": Choice(("top", "bottom"), "Text place"),
    "title.align": Choice(("center", "left", "right"), "Alignment"),
    "motion.enter": Choice(
        (
            "",
            "fade",
            "pop",
            "zoom",
            "bounce",
            "slide-left",
            "slide-right",
            "slide-up",
            "slide-down",
            "typewriter",
            "words",
            "blur",
        ),
        "Animation",
    ),
    "motion.loop": Choice(("", "shake", "pulse", "float", "wave"), "While showing"),
    "stitch.transition": Choice(("none", "fade"), "Transition"),
    "sync.mode": Choice(("beats", "downbeats", "energy"), "Cut on"),
    "sync.short": Choice(("next", "slow", "loop"), "A clip shorter than its slot"),
    "sync.pick": Choice(("order", "highlights"), "Which part of each clip"),
}

TEXTS: dict[str, Length] = {"text": Length(200, "Text"), "title": Length(2000, "Text")}


def refuse(field: str, reason: str) -> NoReturn:
    raise ProjectError(reason, field=field)


def check_range(key: str, value: Number, field: str) -> None:
    LIMITS[key].check(value, field)


def check_choice(key: str, value: object, field: str) -> None:
    CHOICES[key].check(value, field)


def check_text(value: str, field: str, key: str = "text") -> None:
    TEXTS[key].check(value, field)


def check_color(value: str, field: str) -> None:
    if not _COLOR.match(value):
        raise ProjectError(f"must be a colour like #1a2b3c (got {value!r})", field=field)


def check_time(value: Number, field: str) -> None:
    """A time or a length in seconds: 0 to MAX_SECONDS (a file's number that is not a time
    anyone edits, such as 1e308, is refused here, before any arithmetic overflows on it)."""
    if not 0 <= value <= MAX_SECONDS:
        raise ProjectError(
            f"must be a time from 0 to {MAX_SECONDS} s (got {shown(value)})", field=field
        )


def check_spans(times: tuple[Number, ...], field: str) -> None:
    """Spans as start, end, start, end, ...: times in order, each span longer than nothing."""
    if len(times) % 2:
        raise ProjectError("must hold a start and an end for each span", field=field)
    for time in times:
        check_time(time, field)
    if any(later <= earlier for earlier, later in pairwise(times)):
        raise ProjectError("must be times in order, each span after the one before", field=field)


def check_positive(value: Number, field: str) -> None:
    """A length in seconds more than 0, up to MAX_SECONDS."""
    if not 0 < value <= MAX_SECONDS:
        raise ProjectError(
            f"must be more than 0 and at most {MAX_SECONDS} s (got {shown(value)})", field=field
        )


def shown(value: Number) -> str:
    """A number for an error message (one too large for a float is said so, not raised)."""
    try:
        return f"{float(value):g}"
    except OverflowError:
        return "a number too large to use"
