"""Beat times finer than the analysis hop, the tempo from the beat grid, and how steady it is.

The tracker places beats on the 11.6 ms hop grid of the onset envelope. Each beat is then moved
to the attack it stands for: within a few milliseconds of it, the sample where the sound's
energy rises most sharply (energy just after against energy just before). A beat with no clear
attack near it (a held chord, a soft pad) keeps its tracked time.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from studio.analysis.spectral import Array

SEARCH_SECONDS = 0.015  # an attack is looked for this far either side of a tracked beat
BEFORE_SECONDS = 0.005  # energy before a candidate instant...
AFTER_SECONDS = 0.002  # ...against energy just after it
MIN_RISE_DB = 9.0  # an attack must raise the energy this much to move the beat
WINDOW_SECONDS = 8.0  # steadiness is measured over windows this long


def refine_beats(times: Array, samples: npt.NDArray[np.float32], rate: int) -> Array:
    """Each beat moved to the sharpest attack within SEARCH_SECONDS of it, where there is one;
    the grid is then carried one period at a time past its first and last beat while an attack
    stands there (the tracker cannot see an onset in the first and last half window)."""
    if len(times) == 0:
        return times
    attacks = _Attacks(samples, rate)
    refined = np.array([attacks.near(t) or t for t in times])
    if len(refined) < 4:
        return refined
    period = float(np.median(np.diff(refined)))
    before: list[float] = []
    while (found := attacks.near((before[-1] if before else refined[0]) - period)) is not None:
        before.append(found)
    after: list[float] = []
    while (found := attacks.near((after[-1] if after else refined[-1]) + period)) is not None:
        after.append(found)
    return np.concatenate([before[::-1], refined, after])


class _Attacks:
    """Finds the sharpest attack near a time, from running sums of the squared samples."""

    def __init__(self, samples: npt.NDArray[np.float32], rate: int) -> None:
        self.rate, self.count = rate, len(samples)
        self.before = round(BEFORE_SECONDS * rate)
        self.after = max(1, round(AFTER_SECONDS * rate))
        self.reach = round(SEARCH_SECONDS * rate)
        # silence before the file starts, so an attack on its first sample is still one
        power = np.concatenate([np.zeros(self.before), samples.astype(np.float64) ** 2])
        self.energy = np.concatenate([[0.0], np.cumsum(power)])

    def near(self, time: float) -> float | None:
        centre = round(time * self.rate)
        low = max(0, centre - self.reach)
        high = min(self.count - self.after, centre + self.reach)
        if high <= low:
            return None
        at = np.arange(low, high)
        rise = _rise_db(self.energy, at + self.before, self.before, self.after)
        best = int(rise.argmax())
        return float(at[best] / self.rate) if rise[best] >= MIN_RISE_DB else None


def _rise_db(energy: Array, at: npt.NDArray[np.int_], before: int, after: int) -> Array:
    """Mean power in the `after` samples from each instant over that of the `before` ones."""
    floor = max(float(energy[-1]) / max(len(energy), 1) * 1e-6, 1e-12)
    power_after = (energy[at + after] - energy[at]) / after
    power_before = (energy[at] - energy[at - before]) / before
    return np.asarray(10 * np.log10((power_after + floor) / (power_before + floor)))


def grid_tempo(times: Array) -> float:
    """BPM from a straight line through the beats against their beat numbers.

    Numbers count each gap in whole periods (a skipped beat counts two), from gap to gap, so a
    small error in the typical spacing never adds up over a long track.
    """
    if len(times) < 2:
        return 0.0
    gaps = np.diff(times)
    period = float(np.median(gaps))
    numbers = np.concatenate([[0.0], np.cumsum(np.maximum(1.0, np.round(gaps / period)))])
    slope = float(np.polyfit(numbers, times, 1)[0])
    return round(60.0 / slope, 2)


def steadiness(values: Array) -> float:
    """0..1: the track's steadiness, the median of its windows' (see windowed_steadiness).

    Measured on the test media: music with a beat 0.28-0.93, speech 0.16-0.18, rubato
    orchestral and solo pieces 0.04-0.13.
    """
    return float(np.median(values)) if len(values) else 0.0


def windowed_steadiness(onset: Array, period: float, frame_seconds: float) -> tuple[Array, Array]:
    """(centre time in seconds, steadiness) of each 8-second window, a quarter window apart
    (silent windows are left out). Steadiness, 0..1, is how strongly the onsets repeat at the
    beat period (or at two periods, for music counted in half time): their autocorrelation
    there."""
    size = int(WINDOW_SECONDS / frame_seconds)
    centres, values = [], []
    for start in range(0, max(1, len(onset) - size + 1), max(1, size // 4)):
        piece = onset[start : start + size] - onset[start : start + size].mean()
        energy = float(np.dot(piece, piece))
        if energy > 0:
            values.append(max(_lagged(piece, lag) / energy for lag in _lags(period, len(piece))))
            centres.append((start + len(piece) / 2) * frame_seconds)
    return np.asarray(centres), np.clip(np.asarray(values), 0.0, 1.0)


def _lags(period: float, length: int) -> list[int]:
    near = [round(period * times) + shift for times in (1, 2) for shift in (-1, 0, 1)]
    return [lag for lag in near if 0 < lag < length] or [1]


def _lagged(piece: Array, lag: int) -> float:
    return float(np.dot(piece[:-lag], piece[lag:]))
