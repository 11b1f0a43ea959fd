"""Tracks: lanes of items played one after another (OpenTimelineIO's Track of Clips and Gaps).

A track is video or audio and has a role: the main track (the edit itself: cutting to the beat,
stitches and captions work on it), overlay tracks above it (B-roll, picture-in-picture), and
audio tracks (music, voice, sound effects). Where an item sits is computed from the items
before it, never stored, so moving one item cannot leave another's position stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from studio.model.clip import Clip, new_id
from studio.model.limits import check_choice, check_positive, check_range, refuse

TrackKind = Literal["video", "audio"]
TrackRole = Literal["main", "overlay", "music", "voice", "effects"]
ROLE_KINDS: dict[str, TrackKind] = {
    "main": "video",
    "overlay": "video",
    "music": "audio",
    "voice": "audio",
    "effects": "audio",
}


@dataclass(frozen=True)
class Gap:
    """Nothing, for `duration` seconds: what shows through is the track below."""

    duration: Fraction
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        check_positive(self.duration, "duration")
        if not self.id:
            refuse("id", "must not be empty")


Item = Clip | Gap


@dataclass(frozen=True)
class Track:
    """Items played one after another. `Track(clips)` is the main video track; other tracks
    name their kind and role and have ids of their own."""

    items: tuple[Item, ...] = ()
    kind: TrackKind = "video"
    role: TrackRole = "main"
    id: str = "main"
    muted: bool = False
    gain_db: float = 0.0

    def __post_init__(self) -> None:
        check_choice("track.role", self.role, "role")
        if ROLE_KINDS[self.role] != self.kind:
            refuse("kind", f"a {self.role} track holds {ROLE_KINDS[self.role]}, not {self.kind}")
        check_range("track.gain_db", self.gain_db, "gain_db")
        if not self.id:
            refuse("id", "must not be empty")
        if self.role == "main" and any(isinstance(item, Gap) for item in self.items):
            refuse("items", "the main track plays its clips back to back (no gaps)")
        ids = [item.id for item in self.items]
        if self.role != "main" and len(set(ids)) != len(ids):  # main: checked on load
            refuse("items", "two items have the same id")

    @property
    def clips(self) -> tuple[Clip, ...]:
        return tuple(item for item in self.items if isinstance(item, Clip))

    @property
    def duration(self) -> Fraction:
        return sum((length(item) for item in self.items), Fraction(0))

    def range_of(self, item_id: str) -> tuple[Fraction, Fraction]:
        """Where the item with this id starts and ends on the track (seconds)."""
        start = Fraction(0)
        for item in self.items:
            if item.id == item_id:
                return start, start + length(item)
            start += length(item)
        refuse("id", f"no item {item_id!r} on track {self.id!r}")

    def ranges(self) -> list[tuple[Item, Fraction, Fraction]]:
        """Every item with its start and end, in order."""
        found, start = [], Fraction(0)
        for item in self.items:
            found.append((item, start, start + length(item)))
            start += length(item)
        return found


def length(item: Item) -> Fraction:
    """The time an item takes on its track."""
    return item.duration
