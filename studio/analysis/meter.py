"""What happens between beats: bar starts and meter, loudness, and section changes.

Bar starts are where the bass hits and the harmony changes. The meter (3 or 4) is the grouping
whose bar positions best separate each beat's bass onset and change in harmony from the beat
before (`meter_scores`). Within that meter, bar starts are placed on sharper cues
(`downbeat_scores`): the bass onset beyond the rise in the highs, so a kick outweighs a snare,
and the change in harmony from the two beats before to the two from the beat. A Viterbi pass
over positions in the bar keeps the bar grid steady while letting it recover if the tracker
skipped a beat.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from studio.analysis.spectral import Array, Spectra
from studio.analysis.tuning import TUNING, Tuning

Frames = npt.NDArray[np.intp]
METERS = (3, 4)
PHASE_SWITCH_COST = 4.0
SECTION_KERNEL_BEATS = 8
SECTION_CONTRAST = 1.6  # a section change is this much more novel than the track's median
ENERGY_RATE = 10  # energy curve samples per second
HIGH_HZ = 2000.0  # the highs (snare, clap, cymbals) start here
CHANGE_BEATS = 2  # the harmony before and after a beat is averaged over this many beats


def zscore(values: Array) -> Array:
    spread = values.std()
    return (values - values.mean()) / spread if spread > 0 else values * 0.0


def near(envelope: Array, beats: Frames, reach: int = 2) -> Array:
    """The envelope's peak within `reach` frames of each beat."""
    padded = np.pad(envelope, reach, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * reach + 1)
    return np.asarray(windows[beats].max(axis=1), dtype=np.float64)


def beat_means(features: Array, beats: Frames) -> Array:
    """Mean of each feature row over each beat's span (beat i to beat i + 1): (beats, rows)."""
    bounds = np.append(beats, features.shape[1])
    sums = np.cumsum(np.pad(features, ((0, 0), (1, 0))), axis=1)
    lengths = np.maximum(np.diff(bounds), 1)
    return np.asarray((sums[:, bounds[1:]] - sums[:, bounds[:-1]]).T / lengths[:, None])


def meter_scores(spectra: Spectra, beats: Frames) -> Array:
    """How much each beat sounds like the start of a bar, as the meter is told from (z-scored):
    the bass onset under it and the change in harmony from the beat before. These cues tell
    three from four on real waltzes; the sharper ones of `downbeat_scores` read a piano waltz's
    chords on 2 and 3 as a bar of four."""
    bass = zscore(near(spectra.bass, beats))
    change = harmony_change(beat_means(spectra.chroma, beats), 1)
    return 0.5 * bass + zscore(change)


def downbeat_scores(spectra: Spectra, beats: Frames) -> Array:
    """How much each beat sounds like the start of a bar, as bar starts are placed in a known
    meter (z-scored): how much more the bass rises under it than the highs do (a kick or a bass
    note starts a bar; a snare or a clap on 2 and 4 rises in the bass too, and far more in the
    highs), and how the harmony of the CHANGE_BEATS beats from it differs from that of the ones
    before."""
    from studio.analysis.spectral import band_flux_between

    highs = band_flux_between(spectra, HIGH_HZ, float("inf"))
    bass = zscore(near(spectra.bass, beats)) - zscore(near(highs, beats))
    change = harmony_change(beat_means(spectra.chroma, beats))
    return 0.5 * zscore(bass) + zscore(change)


def harmony_change(harmony: Array, reach: int = CHANGE_BEATS) -> Array:
    """How far the mean chroma of the `reach` beats from each beat lies from that of the
    `reach` beats before it. Over one beat, a chord struck on 1 and 3 and gone by 4 changes as
    much from 3 to 4 as from 4 to 1; over two, only the bar line stands out."""
    count = len(harmony)
    sums = np.vstack([np.zeros((1, harmony.shape[1])), np.cumsum(harmony, axis=0)])
    index = np.arange(count)
    low, high = np.maximum(index - reach, 0), np.minimum(index + reach, count)
    before = (sums[index] - sums[low]) / np.maximum(index - low, 1)[:, None]
    after = (sums[high] - sums[index]) / np.maximum(high - index, 1)[:, None]
    change = np.abs(after - before).sum(axis=1)
    # the first beat has no beat before it: its change is unknown, not zero
    if count > 1:
        change[0] = np.median(change[1:])
    return np.asarray(change)


def guess_meter(scores: Array, tuning: Tuning = TUNING) -> int:
    """3 or 4 beats per bar: the grouping whose best bar position stands out most (3/4 by
    `tuning.triple_margin`, its bar starts at least `tuning.triple_least` standard deviations
    above the mean)."""
    if len(scores) < 2 * max(METERS):
        return 4
    contrast = {m: max(scores[p::m].mean() for p in range(m)) for m in METERS}
    clear = contrast[3] >= tuning.triple_least  # on a click track every grouping is noise
    return 3 if clear and contrast[3] > tuning.triple_margin * max(contrast[4], 0.0) else 4


def bar_positions(scores: Array, meter: int) -> npt.NDArray[np.int_]:
    """Position in the bar (0 = downbeat) of every beat: Viterbi over positions that advance by
    one per beat, with a cost for jumping (a beat the tracker missed or added)."""
    count = len(scores)
    gain = np.zeros((count, meter))
    gain[:, 0] = scores
    advance = (np.arange(meter)[:, None] + 1) % meter == np.arange(meter)[None, :]
    step = np.where(advance, 0.0, -PHASE_SWITCH_COST)  # step[from, to]
    total = gain[0].copy()
    back = np.zeros((count, meter), dtype=np.int_)
    for i in range(1, count):
        options = total[:, None] + step
        back[i] = options.argmax(axis=0)
        total = options.max(axis=0) + gain[i]
    path = np.zeros(count, dtype=np.int_)
    path[-1] = int(total.argmax())
    for i in range(count - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path


def loudness_curve(spectra: Spectra) -> tuple[Array, Array]:
    """(times, energy 0..1) at ENERGY_RATE per second: loudness in dB smoothed over half a second,
    scaled between the track's quiet (5th percentile) and loud (95th) levels."""
    db = 20 * np.log10(np.maximum(spectra.rms, 1e-5))
    width = max(1, int(0.5 / spectra.frame_seconds))
    smooth = np.convolve(db, np.hanning(width + 2)[1:-1] / np.hanning(width + 2).sum(), "same")
    low, high = np.percentile(smooth, [5, 95])
    level = np.clip((smooth - low) / max(high - low, 1e-6), 0.0, 1.0)
    step = max(1, round(1.0 / ENERGY_RATE / spectra.frame_seconds))
    frames = np.arange(0, len(level), step)
    return spectra.times(frames), level[frames]


def intensity(spectra: Spectra, beats: Frames) -> Array:
    """0..1 per beat: loudness and onset activity over the beat's span, ranked within the track."""
    _, level = loudness_curve(spectra)
    step = max(1, round(1.0 / ENERGY_RATE / spectra.frame_seconds))
    loud = level[np.minimum(beats // step, len(level) - 1)]
    bounds = np.append(beats, len(spectra.onset))
    sums = np.concatenate([[0.0], np.cumsum(spectra.onset)])
    activity = (sums[bounds[1:]] - sums[bounds[:-1]]) / np.maximum(np.diff(bounds), 1)
    combined = zscore(loud) + zscore(activity)
    smoothed = np.convolve(combined, np.ones(3) / 3, "same")
    ranks = smoothed.argsort().argsort()
    return ranks / max(len(ranks) - 1, 1)


def section_starts(spectra: Spectra, beats: Frames) -> npt.NDArray[np.intp]:
    """Beat indices where the music changes character (Foote novelty on beat spectra)."""
    half = SECTION_KERNEL_BEATS
    if len(beats) < 4 * half:
        return np.zeros(0, dtype=np.intp)
    features = beat_means(spectra.log_mel, beats)
    features = (features - features.mean(axis=0)) / (features.std(axis=0) + 1e-6)
    novelty = np.zeros(len(beats))
    for i in range(half, len(beats) - half):
        before = features[i - half : i].mean(axis=0)
        after = features[i : i + half].mean(axis=0)
        novelty[i] = np.linalg.norm(after - before)
    typical = float(np.median(novelty[half:-half]))
    found = [
        i
        for i in range(half, len(beats) - half)
        if novelty[i] == novelty[i - half // 2 : i + half // 2 + 1].max()
        and novelty[i] > max(novelty.mean() + novelty.std(), SECTION_CONTRAST * typical)
    ]
    return np.asarray(found, dtype=np.intp)
