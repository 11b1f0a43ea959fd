"""Ducking: the music and the clips' own sound drop under a voice while it speaks.

Where each voice clip speaks is found when it is added (Clip.speech, seconds of its file); the
ducking curve follows from the edit alone, so the timeline draws it and the render plays it
the same way, and it moves with the voice when the voice is moved or trimmed. The curve is a
gain in dB over the timeline: 0 in the pauses, -depth while a voice speaks, ramping down over
`attack` before the voice starts (an edit knows what comes, so the music is already down when
the first word lands) and back up over `release` after it stops. Pauses shorter than the two
ramps keep the music down, so it does not pump between sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from studio.model.clip import Clip
from studio.model.keys import Key, Keys
from studio.model.limits import check_range

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

    def __post_init__(self) -> None:
        check_range("duck.depth_db", self.depth_db, "depth_db")
        check_range("duck.time", self.attack, "attack")
        check_range("duck.time", self.release, "release")

    @property
    def on(self) -> bool:
        return self.depth_db > 0


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
    """The ducking curve (dB, timeline seconds); no keys when nothing ducks."""
    ducking = project.ducking
    if not ducking.on:
        return Keys()
    spans = _merged(voice_spans(project), ducking.attack + ducking.release)
    down = -float(ducking.depth_db)
    keys: list[Key] = []
    for start, end in spans:
        keys.append(Key(max(Fraction(0), start - ducking.attack), 0.0))
        keys += [Key(start, down), Key(end, down), Key(end + ducking.release, 0.0)]
    return Keys(tuple(_distinct(keys)))


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
