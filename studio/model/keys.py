"""Keyframes: one type for every value that changes over an item's time (position, scale,
rotation, opacity, crop, volume, speed, the follow crop's focus), after MLT's mlt_animation.

A `Keys` holds keys in time order; each key has a time, a value and the easing of the way from
it to the next key. Before the first key the value is the first key's, after the last the last
key's; with no keys it is the property's own (unanimated) value. The renderer turns the same
keys into an ffmpeg expression (render/keys.py), so the preview, the export and this function
agree on every frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import pairwise
from typing import Literal

from studio.model.limits import check_choice, check_time, refuse

Ease = Literal["linear", "in", "out", "in-out", "hold"]


@dataclass(frozen=True)
class Key:
    """The value at `time` (seconds from the item's start), and how it travels to the next
    key: `linear`, `in` (starts slowly), `out` (ends slowly), `in-out`, or `hold` (stays, then
    jumps at the next key)."""

    time: Fraction
    value: float
    ease: Ease = "linear"

    def __post_init__(self) -> None:
        check_time(self.time, "time")
        if not math.isfinite(self.value):
            refuse("value", f"must be a finite number (got {self.value})")
        check_choice("key.ease", self.ease, "ease")


@dataclass(frozen=True)
class Keys:
    """A value over time, as keys in time order (one per moment)."""

    keys: tuple[Key, ...] = ()

    def __post_init__(self) -> None:
        times = [key.time for key in self.keys]
        if any(after <= before for before, after in pairwise(times)):
            refuse("keys", "must be in time order, one per moment")

    @property
    def animated(self) -> bool:
        return bool(self.keys)

    def at(self, time: Fraction, still: float) -> float:
        """The value at `time`; `still` (the property's own value) when there are no keys."""
        keys = self.keys
        if not keys:
            return still
        if time <= keys[0].time:
            return keys[0].value
        for before, after in pairwise(keys):
            if time < after.time:
                part = float((time - before.time) / (after.time - before.time))
                return before.value + (after.value - before.value) * eased(before.ease, part)
        return keys[-1].value

    def with_key(self, key: Key) -> Keys:
        """These keys with `key` added, replacing one at the same time."""
        kept = [other for other in self.keys if other.time != key.time]
        return replace(self, keys=tuple(sorted([*kept, key], key=lambda k: k.time)))

    def without_key(self, time: Fraction) -> Keys:
        return replace(self, keys=tuple(key for key in self.keys if key.time != time))


def eased(ease: Ease, part: float) -> float:
    """How far (0..1) along the way from one key to the next a value is at `part` (0..1) of
    the time between them: cubic easing, as creators know it from other editors."""
    if ease == "hold":
        return 0.0
    if ease == "in":
        return part**3
    if ease == "out":
        return 1 - (1 - part) ** 3
    if ease == "in-out":
        return 4 * part**3 if part < 0.5 else 1 - (2 - 2 * part) ** 3 / 2
    return part
