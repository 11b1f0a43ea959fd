"""One-step fixes of a music's beat grid, for what beat tracking still gets wrong: twice or half
the tempo (an octave error), every beat half a beat off (tracked on the off-beat), and the
tempo and phase from a few taps along with the music.

Each takes a BeatGrid and gives the fixed one; times are seconds of the music file. Beats keep
their own spacing (a live recording's drift stays): doubling puts a beat halfway between each
pair, halving keeps every other one (those on bar starts), the half-beat shift moves each beat
halfway to the next. The user's own beats and bar start move with them.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

from studio.model.limits import check_range, refuse
from studio.model.time import beat_time
from studio.model.timeline import BeatGrid

MIN_TAPS = 4
TAP_SPREAD = 0.25  # taps whose intervals stray further than this share of the median: refused


def doubled(grid: BeatGrid) -> BeatGrid:
    """Twice the tempo: a beat halfway between each pair (the bars keep their starts)."""
    beats = grid.detected
    if len(beats) < 2:
        refuse("beats", "the music has too few beats to double")
    middles = [beat_time((a + b) / 2) for a, b in itertools.pairwise(beats)]
    detected = [beats[0]]
    for middle, beat in zip(middles, beats[1:], strict=True):
        detected += [middle, beat]
    levels = _between(grid.intensity)
    return replace(
        grid, detected=tuple(detected), tempo=grid.tempo * 2, intensity=levels, confidence=-1.0
    )


def _between(levels: tuple[float, ...]) -> tuple[float, ...]:
    """Per-beat levels with the mean of each pair put between them."""
    if not levels:
        return ()
    found = [levels[0]]
    for before, after in itertools.pairwise(levels):
        found += [(before + after) / 2, after]
    return tuple(found)


def halved(grid: BeatGrid) -> BeatGrid:
    """Half the tempo: every other beat, keeping those the bars start on."""
    beats = grid.detected
    if len(beats) < 2:
        refuse("beats", "the music has too few beats to halve")
    anchor = grid.bar_starts[0] if grid.bar_starts else beats[0]
    first = beats.index(min(beats, key=lambda t: abs(t - anchor))) % 2
    kept = beats[first::2]
    downbeats = tuple(t for t in grid.downbeats if t in kept) or kept[:: max(1, grid.meter)]
    levels = grid.intensity[first::2]
    return replace(
        grid, detected=kept, downbeats=downbeats, tempo=grid.tempo / 2, intensity=levels,
        confidence=-1.0,
    )  # fmt: skip


def shifted_half(grid: BeatGrid) -> BeatGrid:
    """Every beat half a beat later (the grid was on the off-beat); bars move with them."""
    beats = grid.detected
    if len(beats) < 2:
        refuse("beats", "the music has too few beats to shift")

    def later(t: Fraction) -> Fraction:
        return half_later(t, beats)

    return replace(
        grid,
        detected=tuple(later(t) for t in beats),
        downbeats=tuple(later(t) for t in grid.downbeats),
        added=tuple(later(t) for t in grid.added),
        removed=tuple(later(t) for t in grid.removed),
        bar_start=None if grid.bar_start is None else later(grid.bar_start),
        confidence=-1.0,
    )


def half_later(t: Fraction, beats: tuple[Fraction, ...]) -> Fraction:
    """`t` moved half the beat spacing where it is (halfway to the next beat)."""
    after = [b for b in beats if b > t]
    if after:
        return beat_time((t + after[0]) / 2)
    return beat_time(t + (beats[-1] - beats[-2]) / 2)


def tapped(taps: Sequence[float]) -> tuple[float, float]:
    """The tempo (BPM) and phase (the time of a beat: the fitted first tap) of taps along with
    the music, in seconds of the file: a line fitted through them, so one early or late tap
    moves it little."""
    if len(taps) < MIN_TAPS:
        refuse("taps", f"tap at least {MIN_TAPS} times along with the beat (got {len(taps)})")
    times = sorted(float(t) for t in taps)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    typical = statistics.median(gaps)
    if typical <= 0 or any(abs(gap - typical) > TAP_SPREAD * typical for gap in gaps):
        refuse("taps", "the taps are uneven: tap every beat, steadily")
    count = len(times)
    mean_i, mean_t = (count - 1) / 2, statistics.fmean(times)
    spread = sum((i - mean_i) ** 2 for i in range(count))
    period = sum((i - mean_i) * (t - mean_t) for i, t in enumerate(times)) / spread
    bpm = 60.0 / period
    check_range("grid.bpm", bpm, "taps")
    return bpm, mean_t - period * mean_i


def in_phase(grid: BeatGrid, phase: float) -> BeatGrid:
    """The grid with a beat on the beat at `phase` (seconds): shifted half a beat when its
    beats fall nearer the off-beats around `phase`, as they do when tracked on the off-beat."""
    beats = grid.detected
    if len(beats) < 2:
        return grid
    at = Fraction(phase).limit_denominator(100_000)
    nearest = min(range(len(beats)), key=lambda i: abs(beats[i] - at))
    other = nearest + 1 if nearest + 1 < len(beats) else nearest - 1
    if abs(beats[nearest] - at) > abs(beats[other] - beats[nearest]) / 4:
        return shifted_half(grid)
    return replace(grid, confidence=-1.0)


def steady(bpm: float, phase: float, duration: float, meter: int = 4) -> BeatGrid:
    """A grid of beats every 60/bpm seconds through `phase`, over the whole file; bars of
    `meter` beats from the beat at `phase`."""
    check_range("grid.bpm", bpm, "bpm")
    period = Fraction(60) / Fraction(bpm).limit_denominator(10_000)
    start = Fraction(phase).limit_denominator(100_000)
    first = start - period * int(start / period)
    count = int((Fraction(duration).limit_denominator(1000) - first) / period) + 1
    beats = tuple(beat_time(first + period * i) for i in range(max(count, 0)))
    bar = int(start / period) % meter
    levels = (0.5,) * len(beats)  # no loudness known: every beat alike
    return BeatGrid(bpm, meter, beats, beats[bar::meter], intensity=levels)
