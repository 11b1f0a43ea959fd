"""Sound helpers: speed without pitch change, and two-pass loudness normalisation.

The first pass measures the mixed sound (audio only, fast); the second applies loudnorm in linear
mode with those figures, so the whole edit gets one gain and the integrated loudness lands on the
target instead of drifting as single-pass dynamic mode does on short clips.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

AUDIO_RATE = 48000
SILENCE_LUFS = -70.0  # below this there is nothing to normalise
LRA_TARGET = 11.0
PEAK_HEADROOM = 1.5  # dB kept below the ceiling: AAC encoding adds a little true peak


@dataclass(frozen=True)
class Loudness:
    """loudnorm's first-pass measurement, and the target it is to be brought to."""

    input_i: float
    input_tp: float
    input_lra: float
    input_thresh: float
    target_offset: float
    target_i: float = -14.0
    target_tp: float = -1.0

    @property
    def audible(self) -> bool:
        return math.isfinite(self.input_i) and self.input_i > SILENCE_LUFS


def measure_args(target_i: float, target_tp: float) -> dict[str, Any]:
    return {
        "I": target_i,
        "TP": target_tp - PEAK_HEADROOM,
        "LRA": LRA_TARGET,
        "print_format": "json",
    }


def loudnorm_args(loudness: Loudness) -> dict[str, Any]:
    return {
        "I": loudness.target_i,
        "TP": loudness.target_tp - PEAK_HEADROOM,
        "LRA": LRA_TARGET,
        "measured_I": _clamp(loudness.input_i, -99, 0),
        "measured_TP": _clamp(loudness.input_tp, -99, 99),
        "measured_LRA": _clamp(loudness.input_lra, 0, 99),
        "measured_thresh": _clamp(loudness.input_thresh, -99, 0),
        "offset": _clamp(loudness.target_offset, -99, 99),
        "linear": "true",
        "print_format": "none",
    }


def _clamp(value: float, low: float, high: float) -> float:
    return round(min(max(value, low), high), 2)


def parse_loudnorm(stderr: str, target_i: float, target_tp: float) -> Loudness | None:
    """Read the JSON block loudnorm prints at the end of a measuring pass."""
    blocks = re.findall(r"\{[^{}]*\"input_i\"[^{}]*\}", stderr)
    if not blocks:
        return None
    data = json.loads(blocks[-1])
    return Loudness(
        input_i=_number(data["input_i"]),
        input_tp=_number(data["input_tp"]),
        input_lra=_number(data["input_lra"]),
        input_thresh=_number(data["input_thresh"]),
        target_offset=_number(data["target_offset"]),
        target_i=target_i,
        target_tp=target_tp,
    )


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return -math.inf


def atempo_chain(audio: Any, speed: Fraction) -> Any:
    """Change speed keeping pitch; atempo takes 0.5..2 per stage, so chain stages."""
    remaining = float(speed)
    while remaining > 2.0:
        audio = audio.filter("atempo", 2.0)
        remaining /= 2.0
    while remaining < 0.5:
        audio = audio.filter("atempo", 0.5)
        remaining /= 0.5
    if abs(remaining - 1.0) > 1e-9:
        audio = audio.filter("atempo", round(remaining, 6))
    return audio
