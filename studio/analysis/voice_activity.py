"""Where a voice speaks: the spans of a voice-over's sound with speech in them, for ducking.

A voice-over is one near voice (a microphone, a synthetic reading): its speech stands well
above its own pauses. Its level is measured in 20 ms frames; a frame speaks when it is within
35 dB of the loud frames (95th percentile) and at least 15 dB above the quiet ones (the noise
floor, 10th percentile): breaths and room noise stay below that (at 9 dB they started spans up
to 0.75 s before the first word on the shared media's recordings). A span lasts until 250 ms
after its last speaking frame (the tails of words are quiet), pauses shorter than 300 ms join
their spans, and a lone frame shorter than 80 ms (a click, a breath) is not speech. Cached by
the file's content.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.analysis.audio import sound_of
from studio.io.cache import cache_dir, content_key, temporary_beside
from studio.io.files import replace_file
from studio.io.runner import Task

RATE = 16000
FRAME = 0.02  # seconds
BELOW_LOUD_DB = 35.0
ABOVE_FLOOR_DB = 15.0
HANG = 0.25  # seconds a span lasts after its last speaking frame
JOIN = 0.3  # pauses this short join their spans
SHORTEST = 0.08  # spans shorter than this are clicks, not speech
VERSION = 2


def speech_spans(path: str | Path, task: Task | None = None) -> tuple[Fraction, ...]:
    """Where the file's sound speaks: start, end, start, end, ... in seconds of the file."""
    source = Path(path)
    target = cache_dir("voice") / f"{content_key(source, VERSION)}.json"
    if target.exists():
        return tuple(Fraction(t) for t in json.loads(target.read_text(encoding="utf-8")))
    spans = _spans(sound_of(source, RATE, task).samples)
    temp = temporary_beside(target, ".json")
    try:
        temp.write_text(json.dumps([str(t) for t in spans]), encoding="utf-8")
        replace_file(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return spans


def _spans(samples: Any) -> tuple[Fraction, ...]:
    import numpy as np

    size = int(RATE * FRAME)
    frames = len(samples) // size
    if frames == 0:
        return ()
    power = (samples[: frames * size].reshape(frames, size) ** 2).mean(axis=1)
    level = 10 * np.log10(power + 1e-12)
    loud, floor = np.percentile(level, 95), np.percentile(level, 10)
    threshold = max(loud - BELOW_LOUD_DB, floor + ABOVE_FLOOR_DB)
    speaking = np.flatnonzero((level > threshold) & (level > -70))
    return _joined(speaking, frames * FRAME)


def _joined(speaking: Any, length: float) -> tuple[Fraction, ...]:
    spans: list[list[float]] = []
    for index in speaking.tolist():
        start, end = index * FRAME, min((index + 1) * FRAME + HANG, length)
        if spans and start - spans[-1][1] <= JOIN:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    kept = [(a, b) for a, b in spans if b - a - HANG >= SHORTEST - 1e-9]
    return tuple(Fraction(round(t * 1000), 1000) for span in kept for t in span)
