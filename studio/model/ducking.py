"""Ducking: the music and the clips' own sound drop under a voice while it speaks.

Where each voice clip speaks is found when it is added (Clip.speech, seconds of its file); the
ducking curve follows from the edit alone, so the timeline draws it and the render plays it
the same way, and it moves with the voice when the voice is moved or trimmed. The curve is a
gain in dB over the timeline: 0 in the pauses, -depth while a voice speaks, ramping down over
`attack` before the voice starts (an edit knows what comes, so the music is already down when
the first word lands) and back up over `release` after it stops. Pauses shorter than the two
ramps keep the music down, so it does not pump between sentences.

The curve can be edited by hand: the first edit writes the automatic curve as keys (dB over
timeline seconds, `Ducking.keys`) and changes them; from then on the keys are the curve (they
stay where they are when a voice moves) until the ducking is set back to automatic, which a
new depth, attack or release also does.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import TYPE_CHECKING

from studio.model.clip import Clip
from studio.model.keys import Key, Keys
from studio.model.limits import check_range
from studio.model.stored import shaped

if TYPE_CHECKING:
    from studio.model.timeline import Project

VOICE = "voice"  # the role of the tracks that duck the others
UNDUCKED = ("voice", "effects")  # roles that keep their level under a voice
Span = tuple[Fraction, Fraction]


@dataclass(frozen=True)
class Ducking:
    """How far (dB) and how fast (seconds) the other sound drops under a voice; depth 0: off."""

    depth_db: float = 12.0
    attack: Fraction = Fraction(3, 20)
    release: Fraction = Fraction(2, 5)
    keys: Keys = field(default_factory=Keys, metadata=shaped("keys"))  # edited by hand (dB)

    def __post_init__(self) -> None:
        check_range("duck.depth_db", self.depth_db, "depth_db")
        check_range("duck.time", self.attack, "attack")
        check_range("duck.time", self.release, "release")
        for key in self.keys.keys:
            check_range("duck.key_db", key.value, "keys")

    @property
    def on(self) -> bool:
        return self.depth_db > 0

    @property
    def edited(self) -> bool:
        return self.keys.animated


def voice_spans(project: Project) -> list[Span]:
    """Where any voice of the edit speaks, in timeline seconds, in order and merged."""
    spans: list[Span] = []
    for track in project.layers:
        if track.role != VOICE or not project.heard(track):
            continue
        for item, start, end in track.ranges():
            if isinstance(item, Clip):
                spans += _spoken(item, start, end)
    return _merged(sorted(spans), Fraction(0))


def duck_keys(project: Project) -> Keys:
    """The ducking curve (dB, timeline seconds): the keys edited by hand, else the automatic
    curve; no keys when nothing ducks."""
    ducking = project.ducking
    if not ducking.on:
        return Keys()
    return ducking.keys if ducking.edited else automatic_keys(project)


def automatic_keys(project: Project) -> Keys:
    """The curve the voices make: down by the depth where they speak, with the ramps."""
    ducking = project.ducking
    spans = _merged(voice_spans(project), ducking.attack + ducking.release)
    down = -float(ducking.depth_db)
    keys: list[Key] = []
    for start, end in spans:
        keys.append(Key(max(Fraction(0), start - ducking.attack), 0.0))
        keys += [Key(start, down), Key(end, down), Key(end + ducking.release, 0.0)]
    return Keys(tuple(_distinct(keys)))


def with_duck_key(project: Project, index: int | None, time: Fraction, gain_db: float) -> Ducking:
    """The ducking with key `index` of its curve moved to (time, gain_db), or a key added at
    `time` (index None); an automatic curve becomes keys first. A moved key stays between its
    neighbours."""
    ducking = project.ducking
    keys = list(duck_keys(project).keys)
    gain_db = round(float(gain_db), 1)
    time = max(Fraction(0), Fraction(round(time * 1000), 1000))
    if index is None:
        edited = Keys(tuple(keys)).with_key(Key(time, gain_db))
    else:
        if not 0 <= index < len(keys):
            raise IndexError(index)
        low = keys[index - 1].time + Fraction(1, 1000) if index > 0 else Fraction(0)
        high = keys[index + 1].time - Fraction(1, 1000) if index + 1 < len(keys) else None
        time = max(low, time if high is None else min(time, high))
        keys[index] = Key(time, gain_db, keys[index].ease)
        edited = Keys(tuple(keys))
    depth = ducking.depth_db if ducking.on else 12.0
    return replace(ducking, depth_db=depth, keys=edited)


def _spoken(clip: Clip, start: Fraction, end: Fraction) -> list[Span]:
    """A voice clip's spans in timeline seconds, cut to the part of its file it plays."""
    found = []
    for said, stopped in zip(clip.speech[::2], clip.speech[1::2]):
        said, stopped = max(said, clip.source_in), min(stopped, clip.source_out)
        if stopped > said:
            at = start + clip.pad_start + (said - clip.source_in) / clip.speed
            until = start + clip.pad_start + (stopped - clip.source_in) / clip.speed
            found.append((at, min(until, end)))
    return [(a, b) for a, b in found if b > a]


def _merged(spans: list[Span], bridge: Fraction) -> list[Span]:
    """Spans joined where the pause between them is at most `bridge` seconds."""
    merged: list[Span] = []
    for start, end in spans:
        if merged and start - merged[-1][1] <= bridge:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _distinct(keys: list[Key]) -> list[Key]:
    """Keys at distinct times (a voice that starts at 0 has its ramp at the same time)."""
    kept: list[Key] = []
    for key in keys:
        if kept and key.time <= kept[-1].time:
            kept[-1] = key
        else:
            kept.append(key)
    return kept
