"""Exact rational time. Seconds are Fractions so cut points never drift through float rounding."""

from __future__ import annotations

import math
import re
from fractions import Fraction

Time = Fraction

_CLOCK = re.compile(r"^(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$")


def parse_time(value: str | float | int | Fraction) -> Fraction:
    """Read seconds from 2.5, "2.5", "5/2", "1:02.5" or "0:01:02.5"; raise ValueError otherwise."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a time: {value!r}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a time: {value!r}")
        return Fraction(str(value))
    return _parse_text(value.strip())


def _parse_text(text: str) -> Fraction:
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = clock.groups()
        return Fraction(int(hours or 0) * 3600 + int(minutes) * 60) + Fraction(seconds)
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"not a time: {text!r}") from None


def format_time(t: Fraction) -> str:
    """The exact text form stored in project files: "3", "5/2", "1001/30000"."""
    return str(t)


def nearest_frame(t: Fraction, fps: Fraction | int) -> int:
    """Index of the output frame nearest to time t (ties go to the later frame)."""
    return math.floor(t * fps + Fraction(1, 2))


def frame_time(index: int, fps: Fraction | int) -> Fraction:
    """Start time of frame `index` at the given rate."""
    return Fraction(index) / Fraction(fps)


def seconds(t: Fraction) -> float:
    """A float for display and for ffmpeg options (6 decimals are below one audio sample)."""
    return round(float(t), 6)


def beat_time(t: Fraction | float) -> Fraction:
    """A beat time kept to 0.1 ms: finer than any audio analysis, and exact as a decimal."""
    return Fraction(round(Fraction(t) * 10000), 10000)
