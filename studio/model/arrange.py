"""Project -> Project edits of the layered model: items placed on tracks at a time, transitions
added between clips, transforms and keys set, any item removed; all addressed by id.

An item placed on an overlay or audio track sits where it is asked to; the gaps around it are
computed, and an item may not cover another on the same track (another track is taken or
made instead, as editors do when a creator drops a clip where one already is).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from studio.model.edits import add_clip, remove_clip
from studio.model.keys import Key
from studio.model.limits import check_time, refuse
from studio.model.timeline import Clip, Gap, Item, Project, Track, Transition
from studio.model.tracks import ROLE_KINDS
from studio.model.transform import PROPERTIES, Transform

EPSILON = Fraction(1, 1000)  # items closer than this touch


def place(
    project: Project, clip: Clip, at: Fraction, track_id: str | None = None, role: str = "overlay"
) -> tuple[Project, str]:
    """The clip placed at `at` on the track `track_id` (it must have room there), or on the
    lowest track of `role` with room, or on a new one; returns the project and the track's id."""
    check_time(at, "at")
    if track_id is not None:
        track = _track(project, track_id)
        if track.role == "main":
            refuse("track", "the main track plays clips back to back: add the clip to it instead")
        return _with_track(project, _placed_on(track, clip, at)), track.id
    for track in project.layers:
        if track.role == role and _has_room(track, at, at + clip.duration):
            return _with_track(project, _placed_on(track, clip, at)), track.id
    new = Track((), ROLE_KINDS[role], role, _free_id(project, role))  # type: ignore[arg-type]
    project = replace(project, layers=(*project.layers, _placed_on(new, clip, at)))
    return project, new.id


def insert_main(project: Project, clip: Clip, at: Fraction | None = None) -> Project:
    """The clip added to the main track at the cut nearest `at` (the end when None)."""
    if at is None:
        return add_clip(project, clip)
    cuts, elapsed = [Fraction(0)], Fraction(0)
    for existing in project.main.clips:
        elapsed += existing.duration
        cuts.append(elapsed)
    index = min(range(len(cuts)), key=lambda i: abs(cuts[i] - at))
    return add_clip(project, clip, index)


def add_transition(project: Project, after: str, transition: Transition) -> Project:
    """`transition` from the main-track clip `after` into the next one (replacing one there)."""
    clips = project.main.clips
    ids = [clip.id for clip in clips]
    if after not in ids:
        refuse("after", f"no clip {after!r} on the main track")
    if ids.index(after) == len(ids) - 1:
        refuse("after", "the last clip has no clip after it to change to")
    items: list[Item] = []
    previous = ""
    for item in project.main.items:
        if not (isinstance(item, Transition) and previous == after):  # else: the one replaced
            items.append(item)
        if item.id == after:
            items.append(transition)
        previous = item.id
    return replace(project, main=replace(project.main, items=tuple(items)))


def remove_item(project: Project, item_id: str) -> Project:
    """The item with this id gone: a main clip closes up, a transition leaves a cut, an item
    of another track leaves a gap (and a track left with no clip goes)."""
    main = project.main
    if any(clip.id == item_id for clip in main.clips):
        return remove_clip(project, item_id)
    if any(item.id == item_id for item in main.items):
        kept = tuple(item for item in main.items if item.id != item_id)
        return replace(project, main=replace(main, items=kept))
    track = _track_holding(project, item_id)
    timed = [(start, item) for item, start, _ in track.ranges() if isinstance(item, Clip)]
    left = [(start, clip) for start, clip in timed if clip.id != item_id]
    if not left:
        return replace(project, layers=tuple(t for t in project.layers if t.id != track.id))
    return _with_track(project, replace(track, items=_laid_out(left)))


def edit_item(project: Project, item_id: str, **changes: object) -> Project:
    """The clip with this id (on any track) with `changes` made to it."""
    for track in project.tracks:
        for item in track.items:
            if item.id == item_id and isinstance(item, Clip):
                changed = replace(item, **changes)  # type: ignore[arg-type]
                items = tuple(changed if i.id == item_id else i for i in track.items)
                return _with_track(project, replace(track, items=items))
    refuse("id", f"no clip {item_id!r} in the project")


def item(project: Project, item_id: str) -> Item:
    for track in project.tracks:
        for found in track.items:
            if found.id == item_id:
                return found
    refuse("id", f"no item {item_id!r} in the project")


def set_transform(project: Project, clip_id: str, **values: float) -> Project:
    """Still values of a clip's transform (x, y, scale, ...), made when it has none."""
    clip = item(project, clip_id)
    if not isinstance(clip, Clip):
        refuse("id", f"{clip_id!r} is not a clip")
    unknown = sorted(set(values) - set(PROPERTIES))
    if unknown:
        refuse(unknown[0], f"is not a property of a transform ({', '.join(PROPERTIES)})")
    transform = replace(clip.transform or Transform(), **values)  # type: ignore[arg-type]
    return edit_item(project, clip_id, transform=transform)


def add_keys(project: Project, clip_id: str, keys: list[tuple[str, Key]]) -> Project:
    """Keys added to a clip's transform, each (property, key); one at the same time of the
    same property is replaced."""
    clip = item(project, clip_id)
    if not isinstance(clip, Clip):
        refuse("id", f"{clip_id!r} is not a clip")
    transform = clip.transform or Transform()
    for name, key in keys:
        if key.time > clip.duration:
            refuse(
                "key", f"{float(key.time):g} s is past the item's end ({float(clip.duration):g} s)"
            )
        transform = transform.with_key(name, key)
    return edit_item(project, clip_id, transform=transform)


def _placed_on(track: Track, clip: Clip, at: Fraction) -> Track:
    if any(existing.id == clip.id for existing in track.items):
        refuse("id", f"{clip.id!r} is already on track {track.id!r}")
    if not _has_room(track, at, at + clip.duration):
        refuse("at", f"track {track.id!r} already has an item at {float(at):g} s")
    timed = [(start, item) for item, start, _ in track.ranges() if isinstance(item, Clip)]
    return replace(track, items=_laid_out([*timed, (at, clip)]))


def _laid_out(timed: list[tuple[Fraction, Clip]]) -> tuple[Item, ...]:
    """Clips at their start times, with the gaps before them."""
    items: list[Item] = []
    end = Fraction(0)
    for start, clip in sorted(timed, key=lambda pair: pair[0]):
        if start - end > EPSILON:
            items.append(Gap(start - end))
        items.append(clip)
        end = max(end, start) + clip.duration
    return tuple(items)


def _has_room(track: Track, start: Fraction, end: Fraction) -> bool:
    return all(
        not isinstance(item, Clip) or stop <= start + EPSILON or begin >= end - EPSILON
        for item, begin, stop in track.ranges()
    )


def _track(project: Project, track_id: str) -> Track:
    """A track by id, or by its number among the layers (1: the lowest above the main track)."""
    for track in project.tracks:
        if track.id == track_id:
            return track
    if track_id.isdigit() and 1 <= int(track_id) <= len(project.layers):
        return project.layers[int(track_id) - 1]
    ids = ", ".join(track.id for track in project.tracks)
    refuse("track", f"no track {track_id!r} (the project has {ids})")


def _track_holding(project: Project, item_id: str) -> Track:
    for track in project.layers:
        if any(item.id == item_id for item in track.items):
            return track
    refuse("id", f"no item {item_id!r} in the project")


def _with_track(project: Project, track: Track) -> Project:
    if track.role == "main":
        return replace(project, main=track)
    layers = tuple(track if t.id == track.id else t for t in project.layers)
    return replace(project, layers=layers)


def _free_id(project: Project, role: str) -> str:
    taken = {track.id for track in project.tracks}
    number = 1
    while f"{role}-{number}" in taken:
        number += 1
    return f"{role}-{number}"
