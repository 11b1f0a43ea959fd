"""Where things are on the timeline, in pixels. Pure: no Qt, so it is tested on its own.

Time runs left to right at `pixels_per_second` from `start` seconds at x = 0. The ruler is on top,
then the video track, then the music track with its beats.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from studio.model.edits import snap_to_beat
from studio.model.timeline import Project

RULER, VIDEO, MUSIC = 24, 64, 40  # row heights in pixels
MIN_ZOOM, MAX_ZOOM = 10.0, 2000.0  # pixels per second


@dataclass(frozen=True)
class Scale:
    pixels_per_second: float = 60.0
    start: float = 0.0  # seconds at x = 0 (scroll)

    def x(self, seconds: float) -> float:
        return (seconds - self.start) * self.pixels_per_second

    def seconds(self, x: float) -> float:
        return max(0.0, self.start + x / self.pixels_per_second)

    def zoomed(self, factor: float, around_x: float) -> Scale:
        """Zoom by `factor`, keeping the time under `around_x` where it is."""
        fixed = self.seconds(around_x)
        pps = min(MAX_ZOOM, max(MIN_ZOOM, self.pixels_per_second * factor))
        return Scale(pps, max(0.0, fixed - around_x / pps))


@dataclass(frozen=True)
class ClipBox:
    index: int
    clip_id: str
    left: float
    right: float
    name: str


@dataclass(frozen=True)
class BeatMark:
    x: float
    bar: bool  # a bar start (drawn stronger)
    added: bool  # placed by the user (drawn apart from detected beats)


def clip_boxes(project: Project, scale: Scale) -> list[ClipBox]:
    boxes, start = [], Fraction(0)
    for index, clip in enumerate(project.main.clips):
        end = start + clip.duration
        boxes.append(
            ClipBox(index, clip.id, scale.x(float(start)), scale.x(float(end)), clip.media.name)
        )
        start = end
    return boxes


def beat_marks(project: Project, scale: Scale) -> list[BeatMark]:
    """The beats in effect, as timeline positions: bar starts and the user's own marked."""
    music = project.music
    if music is None:
        return []
    bars = set(music.beat_times("downbeats"))
    added = {t - music.offset for t in music.grid.added}
    return [BeatMark(scale.x(float(t)), t in bars, t in added) for t in music.beat_times()]


def clip_at_x(project: Project, scale: Scale, x: float) -> int | None:
    """Index of the clip under x on the video row, or None."""
    for box in clip_boxes(project, scale):
        if box.left <= x < box.right:
            return box.index
    return None


EDGE_PIXELS = 6  # a press this close to a clip's right edge grabs the edge (trim)
SNAP_PIXELS = 10  # beats this close pull a dragged edge onto them


@dataclass(frozen=True)
class Grab:
    """What a press on the video row took hold of."""

    kind: str  # "trim" (the clip's right edge) or "move" (the whole clip)
    clip_id: str
    index: int


def grab_at(project: Project, scale: Scale, x: float) -> Grab | None:
    for box in clip_boxes(project, scale):
        if abs(x - box.right) <= EDGE_PIXELS:
            return Grab("trim", box.clip_id, box.index)
    index = clip_at_x(project, scale, x)
    return None if index is None else Grab("move", project.main.clips[index].id, index)


def snapped(project: Project, scale: Scale, x: float, snap: bool) -> Fraction:
    """The timeline time under x, pulled onto the nearest beat within SNAP_PIXELS when `snap`
    (on its output frame, as the export cuts)."""
    at = Fraction(scale.seconds(x)).limit_denominator(100000)
    if not snap:
        return at
    return snap_to_beat(project, at, Fraction(SNAP_PIXELS / scale.pixels_per_second))


def insertion_index(project: Project, scale: Scale, x: float) -> int:
    """Where a clip dropped at x goes: before the first clip whose middle is right of x."""
    for box in clip_boxes(project, scale):
        if x < (box.left + box.right) / 2:
            return box.index
    return len(project.main.clips)
