"""The timeline's lanes, one a track, and what sits in them, in pixels. Pure: no Qt.

From the top: the ruler, the overlay video tracks (the topmost track first, as they cover each
other in the picture), the main track, the music bed with its beats, then the audio tracks. An
item is drawn at the range its track computes for it; a transition is a badge over its cut,
as wide as the time it plays.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from studio.gui.timeline.geometry import EDGE_PIXELS, MUSIC, RULER, VIDEO, Scale
from studio.model.arrange import LAID, Laid
from studio.model.ducking import duck_keys
from studio.model.timeline import Clip, Project, Track, Transition

OVERLAY, SOUND = 44, 44  # lane heights in pixels (the main lane is VIDEO, the music bed MUSIC)
BADGE = 18  # a transition badge's height, at the foot of the main lane
MIN_BADGE = 14  # a short transition's badge is still this wide, to be clicked


@dataclass(frozen=True)
class Lane:
    """One row of the timeline: a track (`track_id`), or the music bed (`track_id` None)."""

    track_id: str | None
    kind: str  # video or audio
    role: str  # main, overlay, music, voice, effects
    title: str
    top: int
    height: int

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def bed(self) -> bool:
        return self.track_id is None


@dataclass(frozen=True)
class ItemBox:
    """A clip of an overlay or audio track where it is drawn."""

    item_id: str
    lane: Lane
    left: float
    right: float
    start: Fraction
    end: Fraction
    clip: Laid  # a clip, a title or a sticker


@dataclass(frozen=True)
class Badge:
    """A transition over its cut: `left`..`right` is the time it plays."""

    item_id: str
    kind: str
    left: float
    right: float
    top: int


def lanes(project: Project) -> list[Lane]:
    """Every lane, top to bottom, below the ruler."""
    video = [track for track in reversed(project.layers) if track.kind == "video"]
    sound = [track for track in project.layers if track.kind == "audio"]
    rows: list[tuple[Track | None, int]] = [(track, OVERLAY) for track in video]
    rows += [(project.main, VIDEO), (None, MUSIC)]
    rows += [(track, SOUND) for track in sound]
    found, top = [], RULER
    for track, height in rows:
        found.append(_lane(track, top, height))
        top += height
    return found


def _lane(track: Track | None, top: int, height: int) -> Lane:
    if track is None:
        return Lane(None, "audio", "music", "Music", top, height)
    return Lane(track.id, track.kind, track.role, title_of(track), top, height)


def title_of(track: Track) -> str:
    """What a lane's header says: "Main", "Overlay 2", "Voice 1", ..."""
    if track.role == "main":
        return "Main"
    return track.id.replace("-", " ").replace("_", " ").capitalize()


def height_of(found: list[Lane]) -> int:
    return found[-1].bottom if found else RULER


def main_lane(found: list[Lane]) -> Lane:
    return next(lane for lane in found if lane.role == "main")


def bed_lane(found: list[Lane]) -> Lane:
    return next(lane for lane in found if lane.bed)


def lane_at(found: list[Lane], y: float) -> Lane | None:
    return next((lane for lane in found if lane.top <= y < lane.bottom), None)


def item_boxes(project: Project, scale: Scale, found: list[Lane]) -> list[ItemBox]:
    """The clips of every overlay and audio track, where they are drawn."""
    tracks = {track.id: track for track in project.layers}
    boxes = []
    for lane in found:
        track = tracks.get(lane.track_id or "")
        if track is None:
            continue
        for item, start, end in track.ranges():
            if isinstance(item, LAID):
                left, right = scale.x(float(start)), scale.x(float(end))
                boxes.append(ItemBox(item.id, lane, left, right, start, end, item))
    return boxes


def badges(project: Project, scale: Scale, found: list[Lane]) -> list[Badge]:
    """The main track's transitions, at the foot of its lane."""
    top = main_lane(found).bottom - BADGE - 3
    drawn = []
    for item, start, end in project.main.ranges():
        if isinstance(item, Transition):
            left, right = scale.x(float(start)), scale.x(float(end))
            middle, half = (left + right) / 2, max(right - left, MIN_BADGE) / 2
            drawn.append(Badge(item.id, item.kind, middle - half, middle + half, top))
    return drawn


def badge_at(project: Project, scale: Scale, found: list[Lane], x: float, y: float) -> str | None:
    """The id of the transition whose badge is under (x, y), if any."""
    for badge in badges(project, scale, found):
        if badge.left <= x <= badge.right and badge.top <= y <= badge.top + BADGE:
            return badge.item_id
    return None


@dataclass(frozen=True)
class Hold:
    """A press on an overlay or audio item: `part` is "head" or "tail" (an end, to trim) or
    "body" (to move); `offset` is the time from the item's start to the pointer."""

    part: str
    box: ItemBox
    offset: float


def hold_at(project: Project, scale: Scale, found: list[Lane], x: float, y: float) -> Hold | None:
    """What a press at (x, y) takes hold of in the overlay and audio lanes."""
    for box in item_boxes(project, scale, found):
        if not box.lane.top <= y < box.lane.bottom or not box.left - 2 <= x <= box.right + 2:
            continue
        edge = min(EDGE_PIXELS, (box.right - box.left) / 4)
        part = "head" if x - box.left <= edge else "tail" if box.right - x <= edge else "body"
        return Hold(part, box, scale.seconds(x) - float(box.start))
    return None


VOLUME_TOP = 2.0  # the volume at the top of an audio item (1 is at its middle)
KEY_REACH = 6  # pixels from a volume key within which a press takes hold of it


def volume_y(volume: float, lane: Lane) -> int:
    """Where a volume is drawn on an audio item of `lane` (silence at the bottom)."""
    top, height = lane.top + 3, lane.height - 6
    return top + height - 2 - int(min(max(volume, 0.0) / VOLUME_TOP, 1.0) * (height - 4))


def volume_at_y(y: float, lane: Lane) -> float:
    """The volume drawn at height y on an audio item of `lane` (0 to VOLUME_TOP)."""
    top, height = lane.top + 3, lane.height - 6
    share = (top + height - 2 - y) / max(1, height - 4)
    return round(min(max(share, 0.0), 1.0) * VOLUME_TOP, 2)


def volume_key_at(
    project: Project, scale: Scale, found: list[Lane], x: float, y: float, item_id: str
) -> tuple[ItemBox, Fraction | None] | None:
    """The volume key of the selected audio item under (x, y): its time, or None for the
    item's one volume (its line, where it has no keys)."""
    for box in item_boxes(project, scale, found):
        clip = box.clip
        if box.item_id != item_id or not isinstance(clip, Clip) or box.lane.kind != "audio":
            continue
        keys = clip.volume_keys
        for key in keys.keys:
            kx, ky = scale.x(float(box.start + key.time)), volume_y(key.value, box.lane)
            if abs(x - kx) <= KEY_REACH and abs(y - ky) <= KEY_REACH:
                return box, key.time
        on_line = abs(y - volume_y(clip.volume, box.lane)) <= KEY_REACH // 2
        if not keys.animated and clip.volume != 1 and box.left <= x <= box.right and on_line:
            return box, None
    return None


DUCK_SCALE = 24.0  # dB from a music lane's top to its bottom, for the ducking curve


def duck_lanes(project: Project, found: list[Lane]) -> list[Lane]:
    """The lanes the ducking curve is drawn on: the music bed (with music) and music tracks."""
    return [
        lane
        for lane in found
        if lane.role == "music" and (not lane.bed or project.music is not None)
    ]


def duck_y(gain_db: float, lane: Lane) -> int:
    """Where a ducking gain is drawn on `lane`: 0 dB along its top, -DUCK_SCALE at its foot."""
    top, room = lane.top + 4, lane.height - 8
    return top + int(min(1.0, max(0.0, -gain_db / DUCK_SCALE)) * room)


def duck_at_y(y: float, lane: Lane) -> float:
    """The ducking gain (dB, 0 to -DUCK_SCALE) drawn at height y on `lane`."""
    share = (y - lane.top - 4) / max(1, lane.height - 8)
    return round(-min(1.0, max(0.0, share)) * DUCK_SCALE, 1)


def duck_key_at(
    project: Project, scale: Scale, found: list[Lane], x: float, y: float
) -> tuple[int, Lane] | None:
    """The ducking curve's key under (x, y): its index, and the lane it is drawn on."""
    curve = duck_keys(project)
    for lane in duck_lanes(project, found):
        if not lane.top <= y < lane.bottom:
            continue
        for index, key in enumerate(curve.keys):
            near_x = abs(x - scale.x(float(key.time))) <= KEY_REACH
            if near_x and abs(y - duck_y(key.value, lane)) <= KEY_REACH:
                return index, lane
    return None


def duck_curve_at(
    project: Project, scale: Scale, found: list[Lane], x: float, y: float
) -> float | None:
    """The ducking gain of the curve where (x, y) lies on it (None: not on the curve)."""
    curve = duck_keys(project)
    if not curve.animated:
        return None
    gain_db = curve.at(Fraction(scale.seconds(x)).limit_denominator(1000), 0.0)
    for lane in duck_lanes(project, found):
        if lane.top <= y < lane.bottom and abs(y - duck_y(gain_db, lane)) <= KEY_REACH:
            return gain_db
    return None


def drop_lane(found: list[Lane], hold: Hold, y: float) -> Lane:
    """The lane a held item goes to when let go at height y: the lane there when it holds the
    same kind of track, else the one it came from."""
    lane = lane_at(found, y)
    if lane is None or lane.bed or lane.role == "main" or lane.kind != hold.box.lane.kind:
        return hold.box.lane
    return lane


def cut_near(project: Project, scale: Scale, x: float) -> str | None:
    """The id of the main clip whose end is the cut nearest x (None with fewer than two clips)."""
    clips = project.main.clips
    if len(clips) < 2:
        return None
    ends, elapsed = [], Fraction(0)
    for clip in clips[:-1]:
        elapsed += clip.duration
        ends.append((abs(scale.x(float(elapsed)) - x), clip.id))
    return min(ends)[1]
