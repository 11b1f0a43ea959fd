"""Values read from an OpenTimelineIO timeline: its times as exact fractions, what studio
stored in its metadata as plain data, the exact times stored there where they agree with the
timeline's, and the names and roles of its tracks and items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from studio.interchange.otio import STUDIO
from studio.model.limits import CHOICES
from studio.model.time import parse_time
from studio.model.timeline import Canvas

TOLERANCE = Fraction(1, 10**6)  # seconds within which a stored exact time and the timeline's agree
ROLE_WORDS = {"music": ("music", "song", "score"), "effects": ("sfx", "effect", "fx", "foley")}
DEFAULT_SOUND = "voice"  # an audio track named for nothing else: dialogue or a voice-over


def item_label(label: str, item: Any, index: int) -> str:
    what = type(item).__name__.lower()
    return f"{label}, {what} {item.name or index + 1!r}"


def sound_role(name: str) -> str:
    lowered = (name or "").lower()
    for role, words in ROLE_WORDS.items():
        if any(word in lowered for word in words):
            return role
    return DEFAULT_SOUND


def canvas_of(timeline: Any) -> dict[str, Any]:
    """A 9:16 canvas at the allowed frame rate nearest the timeline's."""
    rate = fraction(rate_of(timeline))
    allowed = [int(str(fps)) for fps in CHOICES["canvas.fps"].values]
    fps = min(allowed, key=lambda choice: abs(choice - rate))
    return {"width": Canvas.width, "height": Canvas.height, "fps": fps}


def rate_of(timeline: Any) -> float:
    if timeline.global_start_time is not None:
        return float(timeline.global_start_time.rate)
    for track in timeline.tracks:
        for item in track:
            if getattr(item, "source_range", None) is not None:
                return float(item.source_range.duration.rate)
    return float(Canvas.fps)


def main_track(otio: Any, tracks: list[Any]) -> int | None:
    """The first video track with a clip (else the first video track): the main track."""
    video = [i for i, track in enumerate(tracks) if track.kind == otio.schema.TrackKind.Video]
    filled = [i for i in video if any(isinstance(c, otio.schema.Clip) for c in tracks[i])]
    found = filled or video
    return found[0] if found else None


def between_clips(otio: Any, items: list[Any], index: int) -> bool:
    if not 0 < index < len(items) - 1:
        return False
    return all(isinstance(items[i], otio.schema.Clip) for i in (index - 1, index + 1))


def linked_key(track: Any, index: int, path: str) -> tuple[str, int, int, int]:
    """A clip's file, its place on its track and its in point (to the millisecond): another
    editor's audio clip with the same key as a video clip is that clip's own sound."""
    placed = track.range_of_child_at_index(index)
    start, end = seconds(placed.start_time), seconds(placed.end_time_exclusive())
    source = seconds(track[index].trimmed_range().start_time)
    return path, round(start * 1000), round(end * 1000), round(source * 1000)


def placed_markers(otio: Any, stack: list[Any], tracks: list[Any]) -> list[tuple[Any, Fraction]]:
    """The stack's markers, then each track's, then each clip's, each with what to add to its
    time to have a timeline time (a clip's markers are at times of its media)."""
    found = [(marker, Fraction(0)) for marker in stack]
    for track in tracks:
        found += [(marker, Fraction(0)) for marker in track.markers]
        for index, item in enumerate(track):
            if isinstance(item, otio.schema.Clip) and item.markers:
                shift = seconds(track.range_of_child_at_index(index).start_time)
                shift -= seconds(item.trimmed_range().start_time)
                found += [(marker, shift) for marker in item.markers]
    return found


def placeholder(path: str) -> dict[str, Any]:
    """A media entry standing for the file until it is probed."""
    return {"path": path, "duration": "0", "has_audio": True}


def studio_data(thing: Any) -> dict[str, Any]:
    """What studio wrote into an OTIO object's metadata, as plain dicts and lists."""
    found = plain(thing.metadata[STUDIO]) if STUDIO in thing.metadata else None
    return found if isinstance(found, dict) else {}


def plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [plain(item) for item in value]
    return value


def timing(
    start: Fraction, length: Fraction, warp: Fraction, stored: dict[str, Any]
) -> tuple[Fraction, Fraction, Fraction]:
    """A clip's in point, out point and speed. A speed ramp's clip keeps its stored speed
    while its in and out points are as stored (its warp is the ramp's mean speed)."""
    source_in = exact(start, stored.get("in"))
    held = sum(
        (stored_time(stored.get(key)) or Fraction(0) for key in ("pad_start", "pad_end")),
        Fraction(0),
    )
    source_out = exact(source_in + (length - held) * warp, stored.get("out"))
    speed = exact(warp, stored.get("speed"))
    as_stored = (source_in, source_out) == (
        stored_time(stored.get("in")),
        stored_time(stored.get("out")),
    )
    if stored.get("ramp") and as_stored:
        speed = stored_time(stored.get("speed")) or speed
    return source_in, source_out, speed


def exact(derived: Fraction, stored: object) -> Fraction:
    """The exact time studio stored, where it agrees with the timeline's; else the timeline's."""
    value = stored_time(stored)
    return value if value is not None and abs(value - derived) <= TOLERANCE else derived


def stored_time(stored: object) -> Fraction | None:
    if isinstance(stored, bool) or not isinstance(stored, str | int | float):
        return None
    try:
        return parse_time(stored)
    except ValueError:
        return None


def seconds(time: Any) -> Fraction:
    return fraction(time.value) / fraction(time.rate)


def fraction(number: float) -> Fraction:
    """A float of a timeline as the number it stands for: 66.06 as 3303/50, 23.976... as
    24000/1001."""
    exact = Fraction(repr(float(number)))
    near = exact.limit_denominator(1001)
    return near if abs(near - exact) < Fraction(1, 10**9) else exact
