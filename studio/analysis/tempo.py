"""Tempo estimation and dynamic-programming beat tracking on an onset envelope (numpy only).

The tracker is Ellis's (2007), the one librosa.beat.beat_track implements: every frame's score is
its onset strength plus the best score one beat period earlier, penalised by how far that gap is
from the period. Predecessors are at least half a period back, so half a period of frames is
scored at once with numpy instead of frame by frame in compiled code. Where the music speeds up
or slows down, the period the tracker expects follows the local tempo instead of one global
period (track_beats).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from studio.analysis.spectral import Array
from studio.analysis.tuning import TUNING, Tuning

MIN_BPM = 50.0
MAX_BPM = 220.0
HINT_RANGE = 1.08  # a tempo the user gives is trusted to 8%: the music decides within that
WINDOW_SECONDS = 8.0
TIGHTNESS = 120.0
IRREGULAR = 0.12  # an end beat this far off the typical spacing is dropped
DRIFT_RANGE = 1.3  # the local tempo is looked for this far either side of the global one
DRIFT_OCTAVES = 0.15  # width of the preference for local tempi near the global one


def normalise(envelope: Array) -> Array:
    spread = envelope.std()
    return envelope / spread if spread > 0 else envelope


def autocorrelation(
    envelope: Array, max_lag: int, frame_seconds: float, unbiased: bool = False
) -> Array:
    """Mean autocorrelation over 8-second windows (a tempogram averaged over time). A window
    overlaps itself less at longer lags, so its sums fall with the lag; `unbiased` divides each
    lag by that overlap, so a long lag (a bar of a slow song) counts as much as a short one."""
    size = max(int(WINDOW_SECONDS / frame_seconds), max_lag * 2)
    step = size // 4
    starts = range(0, max(1, len(envelope) - size + 1), step)
    total = np.zeros(max_lag + 1)
    for start in starts:
        piece = envelope[start : start + size]
        piece = piece - piece.mean()
        spectrum = np.fft.rfft(piece, n=2 * len(piece))
        ac = np.fft.irfft(np.abs(spectrum) ** 2)[: max_lag + 1]
        if unbiased:
            ac = ac * len(piece) / np.maximum(len(piece) - np.arange(len(ac)), 1)
        if ac[0] > 0:
            total[: len(ac)] += ac / ac[0]
    return total


def tempo_strengths(
    envelope: Array, frame_seconds: float, near: float, octaves: float = TUNING.prior_octaves
) -> tuple[Array, Array]:
    """(bpm, strength) for every lag in the tempo range, strength weighted by the tempo prior:
    a Gaussian `octaves` wide around `near`."""
    max_lag = round(60.0 / MIN_BPM / frame_seconds)
    ac = autocorrelation(normalise(envelope), max_lag, frame_seconds)
    lags = np.arange(1, max_lag + 1)
    bpm = 60.0 / (lags * frame_seconds)
    ac = ac[1:]
    # A beat period also shows at twice and half itself; count those as support.
    doubled = np.interp(lags * 2, lags, ac, right=0.0)
    halved = np.interp(lags / 2, lags, ac, left=0.0)
    support = ac + 0.25 * doubled + halved
    prior = np.exp(-0.5 * (np.log2(bpm / near) / octaves) ** 2)
    strength = np.maximum(support, 0.0) * prior
    strength[(bpm < MIN_BPM) | (bpm > MAX_BPM)] = 0.0
    return bpm, strength


def estimate_tempo(
    envelope: Array, frame_seconds: float, hint: float | None = None, tuning: Tuning = TUNING
) -> float:
    """The most likely tempo in BPM, refined between lags by a parabola through the peak;
    0 when nothing in the sound repeats (a steady tone, noise). With a `hint` (a tempo the
    user knows), the strongest tempo within 8% of it, or the hint itself."""
    near = hint or tuning.prior_bpm
    bpm, strength = tempo_strengths(envelope, frame_seconds, near, tuning.prior_octaves)
    if hint is not None:
        strength[np.abs(np.log(bpm / hint)) > np.log(HINT_RANGE)] = 0.0
        if strength.max() <= 0:
            return hint
    if strength.max() <= 0:
        return 0.0
    lag = _peak_lag(strength, np.arange(1, len(strength) + 1))
    return float(60.0 / (lag * frame_seconds))


def track_beats(
    envelope: Array, bpm: float, frame_seconds: float, tuning: Tuning = TUNING
) -> npt.NDArray[np.intp]:
    """Frame indices of the beats: the best-scoring path with gaps near the beat period.

    The path is found twice: with the track's one period, and with the period following the
    local tempo (see local_periods). The second is kept when its beats collect clearly more
    onset strength, as they do where the music speeds up or slows down; on steady music the
    two agree and the first stands (`tuning.drift_gain`).
    """
    period = 60.0 / bpm / frame_seconds
    local = _local_score(normalise(envelope), period)
    beats = _best_path(local, np.full(len(local), period))
    drifting = local_periods(envelope, period, frame_seconds)
    if np.abs(drifting / period - 1).max() > 0.02:
        followed = _best_path(local, drifting)
        if local[followed].sum() > tuning.drift_gain * local[beats].sum():
            beats = followed
    return _trim_irregular(_trim_weak(beats, local))


def local_periods(envelope: Array, period: float, frame_seconds: float) -> Array:
    """The beat period in frames at every frame: in each 8-second window (an eighth of a
    window apart), the lag within DRIFT_RANGE of `period` where the onsets repeat most
    strongly, preferring lags near `period`; median of three windows, interpolated."""
    size = max(int(WINDOW_SECONDS / frame_seconds), int(3 * period))
    lags = np.arange(max(1, int(period / DRIFT_RANGE)), int(np.ceil(period * DRIFT_RANGE)) + 1)
    preference = np.exp(-0.5 * (np.log2(lags / period) / DRIFT_OCTAVES) ** 2)
    envelope = normalise(envelope)
    centres, found = [], []
    for start in range(0, max(1, len(envelope) - size + 1), max(1, size // 8)):
        ac = autocorrelation(envelope[start : start + size], int(lags[-1]), frame_seconds)
        if ac[0] > 0:
            centres.append(start + size / 2)
            found.append(_peak_lag(ac[lags] * preference, lags))
    if len(found) < 3:
        return np.full(len(envelope), period)
    smooth = np.median(np.lib.stride_tricks.sliding_window_view(np.pad(found, 1, "edge"), 3), 1)
    return np.interp(np.arange(len(envelope)), centres, smooth)


def _peak_lag(strength: Array, lags: npt.NDArray[np.int_]) -> float:
    """The lag of the strongest value, refined between lags by a parabola through the peak."""
    best = int(strength.argmax())
    if 0 < best < len(strength) - 1:
        left, mid, right = strength[best - 1 : best + 2]
        bend = left - 2 * mid + right
        if bend < 0:
            return float(lags[best] + 0.5 * (left - right) / bend)
    return float(lags[best])


def _best_path(local: Array, periods: Array) -> npt.NDArray[np.intp]:
    offsets = np.arange(-round(2 * periods.max()), -round(periods.min() / 2) + 1)
    cumulative, backlink = _accumulate(local, offsets, periods)
    return _backtrack(cumulative, backlink, _last_beat(cumulative))


def shifted(beats: npt.NDArray[np.intp], share: float) -> npt.NDArray[np.intp]:
    """The grid moved `share` of a beat on (the last beat has no next one and is dropped)."""
    gaps = np.diff(beats)
    return np.asarray(beats[:-1] + np.floor(share * gaps), dtype=np.intp)


def peak_near(envelope: Array, frames: npt.NDArray[np.intp], reach: int = 2) -> Array:
    padded = np.pad(envelope, reach, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * reach + 1)
    return np.asarray(windows[np.clip(frames, 0, len(envelope) - 1)].max(axis=1))


def _local_score(envelope: Array, period: float) -> Array:
    """The envelope smoothed by a Gaussian 1/32 of a period wide, as in Ellis's tracker."""
    half = round(period)
    kernel = np.exp(-0.5 * (np.arange(-half, half + 1) * 32.0 / period) ** 2)
    return np.convolve(envelope, kernel, mode="same")


def _accumulate(
    local: Array, offsets: npt.NDArray[np.int_], periods: Array
) -> tuple[Array, npt.NDArray[np.intp]]:
    """Every frame's best score and the beat before it; a gap is penalised by how far it is
    from the period at the frame (TIGHTNESS * log(gap / period)^2)."""
    count = len(local)
    cumulative = np.zeros(count)
    backlink = np.full(count, -1, dtype=np.intp)
    block = max(1, -int(offsets[-1]))
    threshold = 0.01 * local.max()
    started = False
    for start in range(0, count, block):
        frames = np.arange(start, min(start + block, count))
        previous = frames[:, None] + offsets[None, :]
        valid = previous >= 0
        penalty = -TIGHTNESS * np.log(-offsets[None, :] / periods[frames][:, None]) ** 2
        scores = np.where(valid, cumulative[np.maximum(previous, 0)] + penalty, -np.inf)
        best = scores.argmax(axis=1)
        best_score = scores[np.arange(len(frames)), best]
        linked = np.isfinite(best_score) & started
        cumulative[frames] = local[frames] + np.where(linked, best_score, 0.0)
        backlink[frames] = np.where(linked, previous[np.arange(len(frames)), best], -1)
        started = started or bool((local[frames] > threshold).any())
    return cumulative, backlink


def _last_beat(cumulative: Array) -> int:
    """The last local maximum of the score that is at least half the median of such maxima."""
    inner = cumulative[1:-1]
    is_max = (inner > cumulative[:-2]) & (inner >= cumulative[2:])
    maxima = np.flatnonzero(is_max) + 1
    if len(maxima) == 0:
        return int(cumulative.argmax())
    median = np.median(cumulative[maxima])
    return int(maxima[cumulative[maxima] >= 0.5 * median].max())


def _backtrack(
    cumulative: Array, backlink: npt.NDArray[np.intp], last: int
) -> npt.NDArray[np.intp]:
    path = [last]
    while backlink[path[-1]] >= 0:
        path.append(int(backlink[path[-1]]))
    return np.asarray(path[::-1], dtype=np.intp)


def _trim_weak(beats: npt.NDArray[np.intp], local: Array) -> npt.NDArray[np.intp]:
    """Drop leading and trailing beats whose onset strength is under half the typical beat's."""
    if len(beats) < 3:
        return beats
    strength = local[beats]
    floor = 0.5 * np.sqrt(np.mean(strength**2))
    strong = np.flatnonzero(strength >= floor)
    if len(strong) == 0:
        return beats
    return beats[strong[0] : strong[-1] + 1]


def _trim_irregular(beats: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """Drop a first or last beat that is off the grid (the path bending to meet the file's end)."""
    if len(beats) < 4:
        return beats
    gaps = np.diff(beats)
    typical = np.median(gaps)
    first, last = 0, len(beats)
    if abs(gaps[0] - typical) > IRREGULAR * typical:
        first = 1
    if abs(gaps[-1] - typical) > IRREGULAR * typical:
        last -= 1
    return beats[first:last]
