"""Speed ramps: a clip's speed keyed over its file's time, and the time map that follows.

Ramp keys sit at moments of the clip's media (seconds of the file, as the follow crop's keys
do), so trimming or splitting a ramped clip keeps each moment's speed. Between keys the speed
eases as every keyed value does; before the first key and after the last it holds.

Time on the timeline is the integral of 1/speed over the file's time. It is taken over one
fixed grid of pieces (PIECES per eased stretch between keys, each at the speed of its middle),
and that one piecewise map serves everyone: the clip's length, the source time of any frame,
the picture's setpts expression, the sound's tempo changes and the analysis decoders. So the
model, the export, the preview and the masks agree on every frame.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise

from studio.model.keys import Key, Keys

PIECES = 12  # pieces of constant speed per eased stretch between two keys
PRESETS: dict[str, tuple[tuple[float, float], ...]] = {
    # (where in the clip's source range, 0..1; speed there)
    "montage": ((0, 1.0), (0.2, 2.5), (0.45, 0.6), (0.7, 2.5), (1, 1.0)),
    "hero": ((0, 2.0), (0.35, 0.35), (0.65, 0.35), (1, 2.0)),
    "bullet": ((0, 3.0), (0.3, 0.25), (0.7, 0.25), (1, 3.0)),
    "flash in": ((0, 4.0), (0.35, 1.0), (1, 1.0)),
    "flash out": ((0, 1.0), (0.65, 1.0), (1, 4.0)),
}


def preset_keys(name: str, source_in: Fraction, source_out: Fraction) -> Keys:
    """The ramp `name` laid over a clip's source range, eased in and out between its keys."""
    length = source_out - source_in
    keys = [
        Key(source_in + Fraction(round(where * 1000), 1000) * length, speed, "in-out")
        for where, speed in PRESETS[name]
    ]
    return Keys(tuple(keys))


@dataclass(frozen=True)
class TimeMap:
    """Timeline seconds of a ramped clip <-> seconds of its file.

    `starts[i]` is the file time from which `speeds[i]` holds (until `starts[i + 1]`); before
    `starts[0]` the speed is `speeds[0]` too. `clock[i]` is the timeline time at `starts[i]`,
    counted from file time 0.
    """

    starts: tuple[float, ...]
    speeds: tuple[float, ...]
    clock: tuple[float, ...]

    @classmethod
    def of(cls, ramp: Keys) -> TimeMap:
        starts, speeds = _pieces(ramp)
        clock = [starts[0] / speeds[0]]
        for index in range(1, len(starts)):
            clock.append(clock[-1] + (starts[index] - starts[index - 1]) / speeds[index - 1])
        return cls(tuple(starts), tuple(speeds), tuple(clock))

    def clock_at(self, file_time: float) -> float:
        """Timeline seconds at `file_time` (from file time 0)."""
        index = max(bisect_right(self.starts, file_time) - 1, 0)
        return self.clock[index] + (file_time - self.starts[index]) / self.speeds[index]

    def file_at(self, clock: float) -> float:
        """File seconds at timeline time `clock` (from file time 0): clock_at's inverse."""
        index = max(bisect_right(self.clock, clock) - 1, 0)
        return self.starts[index] + (clock - self.clock[index]) * self.speeds[index]

    def speed_at(self, file_time: float) -> float:
        return self.speeds[max(bisect_right(self.starts, file_time) - 1, 0)]

    def changes(self, start: float, end: float) -> list[tuple[float, float]]:
        """(seconds after `start`, new speed) for each change of speed in the file's
        (start, end) range: what a decoder opened at `start` meets."""
        return [
            (begin - start, speed)
            for begin, speed in zip(self.starts, self.speeds)
            if start < begin < end
        ]

    def pts_expression(self, start: float, end: float) -> str:
        """setpts's expression for a stream of the file opened at `start` (its T = 0 there)
        and read to `end`: each frame stamped at its timeline time from `start`."""
        terms = [f"T/{self.speed_at(start):.6f}"]
        before = 1 / self.speed_at(start)
        for offset, speed in self.changes(start, end):
            terms.append(f"{1 / speed - before:+.6f}*max(T-{offset:.6f},0)")
            before = 1 / speed
        return "(" + "".join(terms) + ")/TB"


@lru_cache(maxsize=256)
def time_map(ramp: Keys) -> TimeMap:
    """The time map of a ramp (keys are immutable, so each is built once)."""
    return TimeMap.of(ramp)


def _pieces(ramp: Keys) -> tuple[list[float], list[float]]:
    """(start, speed) pieces from file time 0: the first key's speed up to it, the eased
    stretches between keys in PIECES steps (a held or flat stretch in one), the last key's
    speed after it."""
    keys = ramp.keys
    pieces = [(0.0, keys[0].value)]
    for before, after in pairwise(keys):
        count = 1 if before.ease == "hold" or before.value == after.value else PIECES
        for part in range(count):
            start = before.time + (after.time - before.time) * Fraction(part, count)
            middle = start + (after.time - before.time) / (2 * count)
            pieces.append((float(start), ramp.at(middle, 1.0)))
    pieces.append((float(keys[-1].time), keys[-1].value))
    starts: list[float] = []
    speeds: list[float] = []
    for begin, speed in pieces:
        if starts and begin <= starts[-1]:
            starts.pop(), speeds.pop()
        if not speeds or speed != speeds[-1]:
            starts.append(begin)
            speeds.append(speed)
    return starts, speeds


def exact(seconds: float) -> Fraction:
    """A float time as the Fraction the model keeps: microseconds."""
    return Fraction(round(seconds * 1_000_000), 1_000_000)
