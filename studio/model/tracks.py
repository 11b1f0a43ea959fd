"""Tracks: lanes of items played one after another (OpenTimelineIO's Track of Clips and Gaps).

A track is video or audio and has a role: the main track (the edit itself: cutting to the beat,
stitches and captions work on it), overlay tracks above it (B-roll, picture-in-picture), and
audio tracks (music, voice, sound effects). Where an item sits is computed from the items
before it, never stored, so moving one item cannot leave another's position stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal

from studio.model.clip import Clip, new_id
from studio.model.keys import Ease
from studio.model.limits import CHOICES, check_choice, check_positive, check_range, refuse
from studio.model.stickers import StickerItem
from studio.model.stored import shaped
from studio.model.titles import Title

TrackKind = Literal["video", "audio"]
TrackRole = Literal["main", "overlay", "music", "voice", "effects"]
ROLE_KINDS: dict[str, TrackKind] = {
    "main": "video",
    "overlay": "video",
    "music": "audio",
    "voice": "audio",
    "effects": "audio",
}
SOUND_ROLES = tuple(role for role, kind in ROLE_KINDS.items() if kind == "audio")


@dataclass(frozen=True)
class Gap:
    """Nothing, for `duration` seconds: what shows through is the track below."""

    duration: Fraction
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        check_positive(self.duration, "duration")
        if not self.id:
            refuse("id", "must not be empty")


TRANSITIONS = CHOICES["transition.kind"].values  # the kinds, in the order they are listed


@dataclass(frozen=True)
class Transition:
    """A change from the clip before it to the clip after it, centred on their cut: it takes
    `duration / 2` more of the first clip's media past its out point and as much of the second's
    before its in point (a clip's last or first frame is held where its file has no more), so
    it takes no time of its own and moves no cut. `audio` crossfades the sound over the same
    time."""

    kind: str = "dissolve"
    duration: Fraction = Fraction(1, 2)
    ease: Ease = "linear"
    audio: bool = True
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        check_choice("transition.kind", self.kind, "kind")
        check_range("transition.length", self.duration, "duration")
        check_choice("transition.ease", self.ease, "ease")
        if not self.id:
            refuse("id", "must not be empty")


def halves(transition: Transition, fps: int) -> tuple[int, int]:
    """The frames a transition takes before its cut and after it at rate `fps` (at least one
    each side)."""
    frames = max(2, round(transition.duration * fps))
    return frames // 2, frames - frames // 2


Item = Clip | Gap | Transition | Title | StickerItem
GRAPHICS = (Title, StickerItem)  # items studio draws: they sit on overlay tracks only


@dataclass(frozen=True)
class Track:
    """Items played one after another. `Track(clips)` is the main video track; other tracks
    name their kind and role and have ids of their own. A `muted` track's sound is left out, a
    `hidden` one's picture (the main track always shows); a `locked` one refuses the app's
    edits by hand (it still plays and exports). While any track is `solo`, only the sound of
    the solo tracks is heard (the music bed's neither)."""

    items: tuple[Item, ...] = field(default=(), metadata=shaped("items"))
    kind: TrackKind = "video"
    role: TrackRole = "main"
    id: str = "main"
    muted: bool = False
    gain_db: float = 0.0
    ducked_by: str = ""  # the id of a track whose sound ducks this one's (a voice over it)
    hidden: bool = False
    locked: bool = False
    solo: bool = False

    def __post_init__(self) -> None:
        check_choice("track.role", self.role, "role")
        if ROLE_KINDS[self.role] != self.kind:
            refuse("kind", f"a {self.role} track holds {ROLE_KINDS[self.role]}, not {self.kind}")
        check_range("track.gain_db", self.gain_db, "gain_db")
        if not self.id:
            refuse("id", "must not be empty")
        if self.hidden and (self.kind != "video" or self.role == "main"):
            refuse("hidden", "only an overlay track's picture can be hidden")
        if self.role == "main" and any(isinstance(item, Gap) for item in self.items):
            refuse("items", "the main track plays its clips back to back (no gaps)")
        if self.role != "overlay" and any(isinstance(item, GRAPHICS) for item in self.items):
            refuse("items", "titles and stickers sit on overlay tracks")
        self._check_transitions()
        ids = [item.id for item in self.items]
        if self.role != "main" and len(set(ids)) != len(ids):  # main: checked on load
            refuse("items", "two items have the same id")

    def _check_transitions(self) -> None:
        items = self.items
        for index, item in enumerate(items):
            if not isinstance(item, Transition):
                continue
            if self.role != "main":
                refuse("items", "transitions join clips of the main track")
            between = 0 < index < len(items) - 1
            if not between or not all(isinstance(items[i], Clip) for i in (index - 1, index + 1)):
                refuse("items", "a transition stands between two clips")

    @property
    def clips(self) -> tuple[Clip, ...]:
        return tuple(item for item in self.items if isinstance(item, Clip))

    @property
    def duration(self) -> Fraction:
        return sum((length(item) for item in self.items), Fraction(0))

    @property
    def transitions(self) -> tuple[Transition, ...]:
        return tuple(item for item in self.items if isinstance(item, Transition))

    def range_of(self, item_id: str) -> tuple[Fraction, Fraction]:
        """Where the item with this id starts and ends on the track (seconds); a transition's
        range is the time it plays, centred on its cut."""
        for item, start, end in self.ranges():
            if item.id == item_id:
                return start, end
        refuse("id", f"no item {item_id!r} on track {self.id!r}")

    def ranges(self) -> list[tuple[Item, Fraction, Fraction]]:
        """Every item with its start and end, in order."""
        found: list[tuple[Item, Fraction, Fraction]] = []
        start = Fraction(0)
        for item in self.items:
            if isinstance(item, Transition):
                half = item.duration / 2
                found.append((item, start - half, start + half))
                continue
            found.append((item, start, start + length(item)))
            start += length(item)
        return found

    def transition_after(self, clip_id: str) -> Transition | None:
        """The transition from the clip with this id into the next one, if there is one."""
        for before, item in zip(self.items, self.items[1:]):
            if before.id == clip_id and isinstance(item, Transition):
                return item
        return None

    def with_clips(self, clips: tuple[Clip, ...]) -> Track:
        """This track holding `clips`, each transition kept after the clip it followed while
        that clip still has a clip after it."""
        after = {
            before.id: item
            for before, item in zip(self.items, self.items[1:])
            if isinstance(item, Transition)
        }
        items: list[Item] = []
        for index, clip in enumerate(clips):
            items.append(clip)
            if clip.id in after and index < len(clips) - 1:
                items.append(after[clip.id])
        return replace(self, items=tuple(items))


def length(item: Item) -> Fraction:
    """The time an item takes on its track (a transition overlaps its clips and takes none)."""
    return Fraction(0) if isinstance(item, Transition) else item.duration
