"""Synthesised arrangements with exactly known beats and bars, across the styles creators bring:
drum patterns (four-on-the-floor, backbeat rock, funk, reggae one drop, ska, swing, shuffle,
trap, waltz, 6/8, bossa nova, rock over an eighth-note bass, pop whose kick, bass and chords
push the off-beats, and house with loud open hi-hats on the off-beats, its bass with them or
not) over a bass line, chords and a melody; at tempi from 60 to 200
BPM, steady or ramping, with or without a drumless passage, mixed and mastered at varied
levels. Made by tests/test_beats.py and benchmarks/beats_synthetic.py, never stored.

A pattern is one bar on a grid of `steps` (16 in 4/4, 12 for triplet feels, 12 for 3/4 in
sixteenths, 6 per dotted-quarter pair in 6/8); each voice lists the steps it plays with their
loudness. The beats annotated are the bar's `meter` beats (6/8: two dotted quarters).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

RATE = 22050
BENCHMARK_SEED = 2028  # the draw the benchmarks and tests score
Hits = dict[int, float]  # step of the bar: loudness 0..1


@dataclass(frozen=True)
class Pattern:
    meter: int  # beats per bar
    steps: int  # grid steps per bar
    kick: Hits
    snare: Hits
    hat: Hits
    chords: Hits  # where the chord is struck (a stab; a long pad when it is only on step 0)
    bass: Hits
    open_hat: Hits = field(default_factory=dict)  # a loud, long hi-hat (dance music)


def _every(step: int, steps: int, level: float, start: int = 0) -> Hits:
    return {s: level for s in range(start, steps, step)}


STYLES: dict[str, Pattern] = {
    "four_on_the_floor": Pattern(
        4, 16, _every(4, 16, 1.0), {4: 0.7, 12: 0.7}, _every(4, 16, 0.5, 2),
        {0: 0.5}, {0: 0.8, 6: 0.6, 8: 0.8, 14: 0.6},
    ),
    "backbeat_rock": Pattern(
        4, 16, {0: 1.0, 8: 0.9, 10: 0.6}, {4: 1.0, 12: 1.0}, _every(2, 16, 0.4),
        {0: 0.6, 8: 0.6}, {0: 0.8, 8: 0.8},
    ),
    "funk": Pattern(
        4, 16, {0: 1.0, 7: 0.6, 10: 0.8}, {4: 1.0, 12: 1.0, 9: 0.25, 15: 0.25},
        _every(1, 16, 0.3), {2: 0.5, 6: 0.5, 11: 0.5}, {0: 0.9, 3: 0.5, 7: 0.6, 10: 0.7},
    ),
    "reggae_one_drop": Pattern(
        4, 16, {8: 0.9}, {8: 0.8}, _every(2, 16, 0.3),
        {2: 0.8, 6: 0.8, 10: 0.8, 14: 0.8}, {0: 0.7, 6: 0.5, 8: 0.7},
    ),
    "ska": Pattern(
        4, 16, {0: 0.5, 8: 0.5}, {4: 0.6, 12: 0.6}, {2: 0.3, 6: 0.3, 10: 0.3, 14: 0.3},
        {2: 1.0, 6: 1.0, 10: 1.0, 14: 1.0}, _every(2, 16, 0.6),
    ),
    "swing": Pattern(
        4, 12, {0: 0.35, 3: 0.3, 6: 0.35, 9: 0.3}, {3: 0.5, 9: 0.5},
        {0: 0.6, 3: 0.6, 5: 0.4, 6: 0.6, 9: 0.6, 11: 0.4}, {0: 0.5, 6: 0.4},
        _every(3, 12, 0.7),
    ),
    "shuffle": Pattern(
        4, 12, {0: 1.0, 6: 0.9}, {3: 1.0, 9: 1.0}, {0: 0.4, 2: 0.3, 3: 0.4, 5: 0.3, 6: 0.4,
        8: 0.3, 9: 0.4, 11: 0.3}, {0: 0.5, 6: 0.5}, {0: 0.8, 2: 0.5, 3: 0.7, 5: 0.5, 6: 0.8,
        8: 0.5, 9: 0.7, 11: 0.5},
    ),
    "trap": Pattern(
        4, 16, {0: 1.0, 7: 0.7, 11: 0.8}, {8: 1.0}, _every(1, 16, 0.35),
        {0: 0.4}, {0: 1.0, 7: 0.8, 11: 0.9},
    ),
    "waltz": Pattern(
        3, 12, {0: 1.0}, {}, _every(2, 12, 0.2), {4: 0.8, 8: 0.8}, {0: 0.9},
    ),
    "six_eight": Pattern(
        2, 12, {0: 1.0, 6: 0.7}, {6: 0.8}, _every(2, 12, 0.35), {0: 0.5, 6: 0.4},
        {0: 0.8, 4: 0.5, 6: 0.7, 10: 0.5},
    ),
    "bossa_nova": Pattern(
        4, 16, {0: 0.7, 6: 0.5, 8: 0.7, 14: 0.5}, {0: 0.4, 6: 0.4, 12: 0.4},
        _every(2, 16, 0.3), {0: 0.5, 3: 0.5, 6: 0.5, 10: 0.5, 13: 0.5},
        {0: 0.8, 6: 0.6, 8: 0.8, 14: 0.6},
    ),
    "rock_eighths": Pattern(
        4, 16, {0: 1.0, 6: 0.7, 8: 0.9, 10: 0.7}, {4: 1.0, 12: 1.0}, _every(2, 16, 0.4),
        {0: 0.6, 8: 0.6}, _every(2, 16, 0.8),
    ),
    "syncopated_pop": Pattern(
        4, 16, {0: 1.0, 3: 0.6, 10: 0.8}, {4: 1.0, 12: 1.0}, _every(2, 16, 0.4),
        {0: 0.6, 6: 0.5, 14: 0.5}, {0: 0.8, 3: 0.6, 6: 0.7, 10: 0.7, 14: 0.6},
    ),
    "house": Pattern(
        4, 16, _every(4, 16, 1.0), {4: 0.8, 12: 0.8}, {}, {0: 0.5}, {0: 0.8, 8: 0.8},
        open_hat=_every(4, 16, 1.0, 2),
    ),
    "house_offbeat_bass": Pattern(
        4, 16, _every(4, 16, 1.0), {4: 0.8, 12: 0.8}, {}, {0: 0.5}, _every(4, 16, 0.8, 2),
        open_hat=_every(4, 16, 1.0, 2),
    ),
}  # fmt: skip
# The styles' rhythms are played on a grid of twelve for triplets: 6/8's twelve are two
# beats of six eighths' halves; swing and shuffle are twelve triplet eighths in four beats.


@dataclass
class Excerpt:
    style: str
    bpm: float  # at the start
    meter: int
    samples: np.ndarray
    beats: np.ndarray  # seconds
    downbeats: np.ndarray
    steady: bool  # no tempo ramp


def arrangement(
    style: str,
    bpm: float,
    seconds: float = 20.0,
    seed: int = 0,
    ramp: float = 1.0,
    drumless: bool = False,
    level_db: float = -1.0,
) -> Excerpt:
    """One excerpt: `style` at `bpm` (its beat: a dotted quarter in 6/8), the tempo moving to
    `ramp` times itself by the end, with a drumless passage in its middle third when
    `drumless`, peaking at `level_db` dBFS."""
    pattern = STYLES[style]
    rng = np.random.default_rng(seed)
    beats = _beat_times(bpm, bpm * ramp, seconds)
    out = np.zeros(int(seconds * RATE) + RATE, dtype=np.float64)
    sounds = _sounds(rng)
    key = int(rng.integers(0, 12))
    progression = [0, 5, 7, 3] if rng.random() < 0.5 else [0, 7, 9, 5]
    quiet = (seconds / 3, 2 * seconds / 3) if drumless else (seconds, seconds)
    for bar, first in enumerate(range(0, len(beats) - pattern.meter, pattern.meter)):
        start, end = beats[first], beats[first + pattern.meter]
        root = 110.0 * 2 ** ((key + progression[bar % len(progression)]) / 12)
        drums = not quiet[0] <= start < quiet[1]
        _bar(out, pattern, start, end, root, sounds, drums, rng)
    out = out[: int(seconds * RATE)]
    out *= 10 ** (level_db / 20) / max(1e-9, float(np.abs(out).max()))
    beats = beats[beats < seconds - 0.05]
    return Excerpt(style, bpm, pattern.meter, out.astype(np.float32), beats,
                   beats[:: pattern.meter], ramp == 1.0)  # fmt: skip


def _beat_times(first_bpm: float, last_bpm: float, seconds: float) -> np.ndarray:
    """Beats from 0.25 s, the tempo moving linearly in time from the first to the last."""
    times = [0.25]
    while times[-1] < seconds + 4:
        bpm = first_bpm + (last_bpm - first_bpm) * min(1.0, times[-1] / seconds)
        times.append(times[-1] + 60.0 / bpm)
    return np.array(times)


def _bar(
    out: np.ndarray, pattern: Pattern, start: float, end: float, root: float,
    sounds: dict[str, Any], drums: bool, rng: np.random.Generator,
) -> None:  # fmt: skip
    step = (end - start) / pattern.steps

    def at(index: int) -> float:
        return start + index * step + rng.normal(0, 0.002)  # a player, not a grid

    if drums:
        for name in ("kick", "snare", "hat", "open_hat"):
            for index, level in getattr(pattern, name).items():
                _add(out, at(index), sounds[name] * level)
    for index, level in pattern.chords.items():
        length = (end - start) if len(pattern.chords) == 1 else step * 1.5
        _add(out, at(index), 0.25 * level * _chord(root * 2, length))
    for index, level in pattern.bass.items():
        _add(out, at(index), 0.5 * level * _tone(root / 2, step * 2, 8.0))
    for index in range(0, pattern.steps, 2):
        if rng.random() < 0.3:
            note = root * 4 * 2 ** (int(rng.choice([0, 2, 4, 7, 9, 12])) / 12)
            _add(out, at(index), 0.12 * _tone(note, step * 2, 6.0))


def _sounds(rng: np.random.Generator) -> dict[str, Any]:
    """A drum kit, a little different each excerpt (tuning, decay, brightness)."""
    t = np.arange(int(0.3 * RATE)) / RATE
    low = 45 + 15 * rng.random()
    kick = np.sin(2 * np.pi * np.cumsum(low + 120 * np.exp(-t * 35)) / RATE) * np.exp(-t * 9)
    noise = rng.standard_normal(len(t))
    body = np.sin(2 * np.pi * (180 + 40 * rng.random()) * t) * np.exp(-t * 30)
    snare = (0.6 * noise * np.exp(-t * (15 + 10 * rng.random())) + 0.5 * body) * 0.8
    short = int(0.05 * RATE)
    hat = np.diff(rng.standard_normal(short + 1)) * np.exp(
        -np.arange(short) / (60 + 80 * rng.random())
    )
    long = int(0.25 * RATE)  # the open hat: the same in every excerpt (the others' draws stay)
    ring = np.diff(np.random.default_rng(1).standard_normal(long + 1))
    open_hat = 0.3 * ring * np.exp(-np.arange(long) / (0.08 * RATE))
    return {"kick": kick, "snare": snare, "hat": 0.6 * hat, "open_hat": open_hat}


def _tone(freq: float, length: float, decay: float) -> np.ndarray:
    t = np.arange(int(max(length, 0.05) * RATE)) / RATE
    wave = np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(4 * np.pi * freq * t)
    return wave * np.exp(-t * decay) * np.minimum(1.0, t / 0.005)


def _chord(root: float, length: float) -> np.ndarray:
    return sum(_tone(root * ratio, length, 3.0) for ratio in (1.0, 1.26, 1.5)) / 3


def _add(out: np.ndarray, time: float, sound: np.ndarray) -> None:
    begin = max(0, round(time * RATE))
    end = min(len(out), begin + len(sound))
    if begin < end:
        out[begin:end] += sound[: end - begin]


def synthetic_set(
    count_per_style: int = 24, seconds: float = 20.0, seed: int = BENCHMARK_SEED
) -> list[dict[str, Any]]:
    """The benchmark's labelled set: for each style, `count_per_style` excerpts over the tempi
    it is played at (60-200 in all), a fifth of them ramping by up to 12%, a fifth with a
    drumless passage, levels from -1 to -20 dBFS. Returned as arguments of `arrangement`.
    Another `seed` draws another set (benchmarks/train_beat_levels.py trains on one)."""
    ranges = {  # where each style is played (6/8: dotted quarters)
        "four_on_the_floor": (110, 150), "backbeat_rock": (70, 180), "funk": (85, 125),
        "reggae_one_drop": (60, 90), "ska": (100, 190), "swing": (90, 200), "shuffle": (70, 150),
        "trap": (120, 170), "waltz": (80, 190), "six_eight": (50, 110), "bossa_nova": (110, 150),
        "rock_eighths": (80, 170), "syncopated_pop": (80, 130), "house": (115, 130),
        "house_offbeat_bass": (115, 135),
    }  # fmt: skip
    rng = np.random.default_rng(seed)
    found = []
    for style in STYLES:
        low, high = ranges[style]
        for index in range(count_per_style):
            kind = index % 5
            found.append({
                "style": style,
                "bpm": round(float(rng.uniform(low, high)), 1),
                "seconds": seconds,
                "seed": int(rng.integers(0, 1 << 30)),
                "ramp": round(float(rng.uniform(0.88, 1.12)), 3) if kind == 3 else 1.0,
                "drumless": kind == 4,
                "level_db": round(float(rng.uniform(-20, -1)), 1),
            })  # fmt: skip
    return found


def phase_right(annotated: np.ndarray, found: np.ndarray) -> bool:
    """Whether the tracked beats sit on the annotated beats rather than between them."""
    on = off = 0
    for beat in found:
        after = int(np.searchsorted(annotated, beat))
        if after == 0 or after >= len(annotated):
            continue
        before, next_ = annotated[after - 1], annotated[after]
        share = (beat - before) / (next_ - before)
        if share < 0.25 or share > 0.75:
            on += 1
        else:
            off += 1
    return on >= off
