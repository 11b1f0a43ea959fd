"""Captions from timed words: cues that read well, and the SRT and WebVTT sidecar formats.

Pure: words in, text out. A cue holds up to `lines` lines of at most `width` characters; it
ends at a sentence's end, before a pause of `PAUSE` seconds or more, or when it would exceed
`LONGEST` seconds, and never runs into the next cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

PAUSE = 0.6  # a silence this long starts a new cue
LONGEST = 6.0  # seconds a cue stays at most
ENDS = (".", "?", "!")


class Timed(Protocol):
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def text(self) -> str: ...


CAPTIONS_ID = "captions"  # what selects the captions on the canvas (they are no item)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def cues(words: Sequence[Timed], width: int = 42, lines: int = 2) -> list[Cue]:
    """Words grouped into cues of at most `lines` lines of `width` characters."""
    found: list[Cue] = []
    group: list[Timed] = []
    for word in words:
        if group and _breaks(group, word, width, lines):
            found.append(_cue(group, width))
            group = []
        group.append(word)
    if group:
        found.append(_cue(group, width))
    return found


def _breaks(group: list[Timed], word: Timed, width: int, lines: int) -> bool:
    last = group[-1]
    if last.text.endswith(ENDS) or word.start - last.end >= PAUSE:
        return True
    if word.end - group[0].start > LONGEST:
        return True
    return len(_wrapped([*group, word], width)) > lines


def _cue(group: list[Timed], width: int) -> Cue:
    return Cue(group[0].start, group[-1].end, tuple(_wrapped(group, width)))


def _wrapped(group: list[Timed], width: int) -> list[str]:
    """The words in lines of at most `width` characters (a longer word gets a line alone)."""
    rows: list[str] = []
    for word in group:
        if rows and len(rows[-1]) + 1 + len(word.text) <= width:
            rows[-1] += " " + word.text
        else:
            rows.append(word.text)
    return rows


def srt(found: Sequence[Cue]) -> str:
    """SubRip: numbered cues, `00:00:01,500 --> 00:00:03,000`."""
    blocks = [
        f"{index}\n{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}\n{cue.text}\n"
        for index, cue in enumerate(found, start=1)
    ]
    return "\n".join(blocks)


def vtt(found: Sequence[Cue]) -> str:
    """WebVTT: a header, then `00:00:01.500 --> 00:00:03.000` cues."""
    blocks = [f"{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}\n{cue.text}\n" for cue in found]
    return "WEBVTT\n\n" + "\n".join(blocks)


def _clock(seconds: float, mark: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{whole:02d}{mark}{millis:03d}"
