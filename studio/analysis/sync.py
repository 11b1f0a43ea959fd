"""Find where your take starts in the original, from their sound (GCC-PHAT cross-correlation).

A duet recorded while the original played has the original's sound in it, filtered by a
speaker, a room and a phone microphone and mixed with your voice. Cross-correlating the two
with each frequency weighted equally (phase transform) keeps only timing, which those filters
do not change, so the peak is sharp to well under a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from studio.analysis.audio import load_audio
from studio.errors import AnalysisError
from studio.io.runner import Task, as_task

SYNC_RATE = 16000
Samples = npt.NDArray[np.float64]
MAX_SHIFT = 60.0  # seconds either way
BAND_HZ = (150.0, 5000.0)  # speech and music energy; below is rumble, above is hiss
MIN_CONFIDENCE = 25.0  # the peak must stand this many standard deviations above the rest


@dataclass(frozen=True)
class SyncResult:
    offset: float  # your take starts this many seconds into the original (negative: before it)
    confidence: float  # peak height in standard deviations of the correlation


def find_offset(original: str | Path, yours: str | Path, task: Task | None = None) -> SyncResult:
    task = as_task(task)
    a = load_audio(original, SYNC_RATE, task.part(0, 0.45)).samples.astype(np.float64)
    b = load_audio(yours, SYNC_RATE, task.part(0.45, 0.9)).samples.astype(np.float64)
    task.report(0.9, "lining up the soundtracks")
    correlation = _gcc_phat(a, b)
    lags = np.fft.fftfreq(len(correlation), 1.0 / len(correlation)).astype(np.int64)
    inside = np.abs(lags) <= MAX_SHIFT * SYNC_RATE
    values = np.where(inside, correlation, -np.inf)
    best = int(values.argmax())
    spread = correlation[inside].std()
    confidence = float((correlation[best] - correlation[inside].mean()) / spread) if spread else 0.0
    if confidence < MIN_CONFIDENCE:
        raise AnalysisError(
            "could not find the original's sound in your take (record it while the original "
            "plays, or give the offset)",
            yours,
        )
    lag = lags[best] + _parabola(correlation, best)
    return SyncResult(round(float(lag) / SYNC_RATE, 4), round(confidence, 1))


def _gcc_phat(a: Samples, b: Samples) -> Samples:
    """c[k] ~ how well original[t + k] matches yours[t], for every k (circular)."""
    size = 1 << int(np.ceil(np.log2(len(a) + len(b))))
    cross = np.fft.rfft(a, size) * np.conj(np.fft.rfft(b, size))
    freqs = np.fft.rfftfreq(size, 1.0 / SYNC_RATE)
    weight = (freqs >= BAND_HZ[0]) & (freqs <= BAND_HZ[1])
    cross = np.where(weight, cross / np.maximum(np.abs(cross), 1e-12), 0.0)
    return np.asarray(np.fft.irfft(cross, size), dtype=np.float64)


def _parabola(values: Samples, index: int) -> float:
    left, mid, right = values[index - 1], values[index], values[(index + 1) % len(values)]
    bend = left - 2 * mid + right
    return float(0.5 * (left - right) / bend) if bend < 0 else 0.0
