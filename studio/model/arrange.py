"""Project -> Project edits of the layered model: items placed on tracks at a time, moved and
trimmed there, transitions added between clips, transforms and keys set, any item removed; all
addressed by id, and an item keeps its id through every one of them.

An item placed on an overlay or audio track sits where it is asked to; the gaps around it are
computed, and an item may not cover another on the same track (another track is taken or
made instead, as editors do when a creator drops a clip where one already is).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

from studio.model.clip import new_id
from studio.model.edits import add_clip, remove_clip
from studio.model.keys import Ease, Key, Keys
from studio.model.limits import check_time, refuse
from studio.model.stickers import StickerItem
from studio.model.timeline import Clip, Gap, Item, Project, Track, Transition
from studio.model.titles import Title
from studio.model.tracks import GRAPHICS, ROLE_KINDS
from studio.model.transform import PROPERTIES, Blend, Transform

EPSILON = Fraction(1, 1000)  # items closer than this touch


Laid = Clip | Title | StickerItem  # what an overlay or audio track lays out in time
LAID = (Clip, *GRAPHICS)


def place(
    project: Project, clip: Laid, at: Fraction, track_id: str | None = None, role: str = "overlay"
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
    timed = [(start, item) for item, start, _ in track.ranges() if isinstance(item, LAID)]
    left = [(start, clip) for start, clip in timed if clip.id != item_id]
    if not left:
        return replace(project, layers=tuple(t for t in project.layers if t.id != track.id))
    return _with_track(project, replace(track, items=_laid_out(left)))


def punched_in(
    project: Project, old_id: str, take: Clip, lead: Fraction, at: Fraction | None = None
) -> Project:
    """A take recorded over another (punched in): the new take, from `lead` seconds into it
    (the pre-roll it recorded), replaces the old one from `at` (the old one's start when None)
    for as long as it was recorded, up to the old one's end; the old take's parts before and
    after the punch stay (the part after is a new item)."""
    track = _track_holding(project, old_id)
    old = _sounding(project, old_id)
    start, end = track.range_of(old_id)
    at = start if at is None else min(max(at, start), end)
    until = min(lead + (end - at), take.source_out)
    if until <= lead:
        refuse("punch", "the take stopped before the punch-in began: record past the punch-in")
    out = at + (until - lead)
    kept: list[tuple[Fraction, Laid]] = [(at, replace(take, source_in=lead, source_out=until))]
    if at - start >= MIN_LENGTH:
        head = _trimmed_sound(old, Fraction(0), at - start)
        kept.append((start, replace(head, fade_out=Fraction(0))))
    if end - out >= MIN_LENGTH:
        kept.append((out, _tail(old, out - start, end - out)))
    project = remove_item(project, old_id)
    track_id = track.id if any(layer.id == track.id for layer in project.layers) else None
    for when, piece in kept:
        project, track_id = place(project, piece, when, track_id, track.role)
    return project


def _tail(clip: Clip, skipped: Fraction, length: Fraction) -> Clip:
    """The part of a sound from `skipped` seconds on, `length` long, as a new item: its
    volume keys move with it, the fade in is the head's."""
    keys = clip.volume_keys
    if keys.animated:
        moved = [replace(key, time=key.time - skipped) for key in keys.keys if key.time > skipped]
        keys = Keys((Key(Fraction(0), keys.at(skipped, clip.volume)), *moved))
    tail = _trimmed_sound(clip, skipped, length)
    return replace(tail, fade_in=Fraction(0), volume_keys=keys, id=new_id())


def _trimmed_sound(clip: Clip, skipped: Fraction, length: Fraction) -> Clip:
    trimmed = _trimmed(clip, skipped, length)
    assert isinstance(trimmed, Clip)
    return trimmed


def ripple_remove(project: Project, item_id: str) -> Project:
    """remove_item, and on a layer the clips after the item move left by its length (the
    main track closes up either way)."""
    track = next((t for t in project.layers if any(i.id == item_id for i in t.items)), None)
    if track is None:
        return remove_item(project, item_id)
    gone = track.range_of(item_id)
    length = gone[1] - gone[0]
    timed = [
        (start - length if start >= gone[1] - EPSILON else start, item)
        for item, start, _ in track.ranges()
        if isinstance(item, LAID) and item.id != item_id
    ]
    if not timed:
        return remove_item(project, item_id)
    return _with_track(project, replace(track, items=_laid_out(timed)))


TRACK_SWITCHES = ("muted", "solo", "hidden", "locked")


def set_track_switch(project: Project, track_id: str, name: str, on: bool) -> Project:
    """A lane header's switch: the track's sound muted or solo, its picture hidden, or it
    locked."""
    if name not in TRACK_SWITCHES:
        refuse("switch", f"must be one of {', '.join(TRACK_SWITCHES)} (got {name!r})")
    switched: dict[str, bool] = {name: on}
    return _with_track(project, replace(_track(project, track_id), **switched))  # type: ignore[arg-type]


def set_track_gain(project: Project, track_id: str, gain_db: float) -> Project:
    """A track's gain in dB, over its items' own volumes."""
    return _with_track(project, replace(_track(project, track_id), gain_db=gain_db))


def locked_track_changed(before: Project, after: Project) -> Track | None:
    """The locked track whose items an edit would change, if any."""
    now = {track.id: track for track in after.tracks}
    for track in before.tracks:
        if track.locked and (track.id not in now or now[track.id].items != track.items):
            return track
    return None


def edit_item(project: Project, item_id: str, **changes: object) -> Project:
    """The item with this id (on any track, not a gap) with `changes` made to it."""
    for track in project.tracks:
        for item in track.items:
            if item.id == item_id and not isinstance(item, Gap):
                changed = replace(item, **changes)  # type: ignore[arg-type]
                items = tuple(changed if i.id == item_id else i for i in track.items)
                return _with_track(project, replace(track, items=items))
    refuse("id", f"no item {item_id!r} in the project")


def item(project: Project, item_id: str) -> Item:
    for track in project.tracks:
        for found in track.items:
            if found.id == item_id:
                return found
    refuse("id", f"no item {item_id!r} in the project")


def set_transform(project: Project, clip_id: str, **values: float) -> Project:
    """Still values of a clip's transform (x, y, scale, ...), made when it has none."""
    clip = _clip(project, clip_id)
    unknown = sorted(set(values) - set(PROPERTIES))
    if unknown:
        refuse(unknown[0], f"is not a property of a transform ({', '.join(PROPERTIES)})")
    transform = replace(clip.transform or Transform(), **values)  # type: ignore[arg-type]
    return edit_item(project, clip_id, transform=transform)


def set_blend(project: Project, clip_id: str, blend: Blend) -> Project:
    """How a clip's picture combines with the tracks under it (over, screen, multiply, add)."""
    transform = _clip(project, clip_id).transform or Transform()
    return edit_item(project, clip_id, transform=replace(transform, blend=blend))


def add_keys(project: Project, clip_id: str, keys: list[tuple[str, Key]]) -> Project:
    """Keys added to a clip's transform, each (property, key); one at the same time of the
    same property is replaced."""
    clip = _clip(project, clip_id)
    transform = clip.transform or Transform()
    for name, key in keys:
        if key.time > clip.duration:
            refuse(
                "key", f"{float(key.time):g} s is past the item's end ({float(clip.duration):g} s)"
            )
        transform = transform.with_key(name, key)
    return edit_item(project, clip_id, transform=transform)


def move_item(
    project: Project,
    item_id: str,
    at: Fraction,
    track_id: str | None = None,
    keep_tracks: bool = False,
) -> Project:
    """The overlay or audio item with this id moved to start at `at` on the track `track_id`
    (its own when None): a picture between video tracks, a sound between audio tracks. Where
    that track has no room it goes to a new track of that role beside it. A track left empty
    goes, unless `keep_tracks` (a drag in progress keeps the lanes where they are)."""
    check_time(at, "at")
    source, clip = _track_holding(project, item_id), _clip(project, item_id)
    target = source if track_id is None else _track(project, track_id)
    if target.role == "main" or target.kind != source.kind:
        goes = "a sound goes on an audio" if source.kind == "audio" else "a picture goes on a video"
        refuse("track", f"{goes} track, not {target.id!r}")
    if target.id != source.id or source.range_of(item_id)[0] != at:
        project = _with_track(project, _without(source, item_id))
        project = _moved_onto(project, _track(project, target.id), clip, at)
    return project if keep_tracks else drop_empty_tracks(project)


def _moved_onto(project: Project, track: Track, clip: Laid, at: Fraction) -> Project:
    """The clip on `track` at `at`, or on a new track of its role just above it (in the
    stack) when it has no room there."""
    if _has_room(track, at, at + clip.duration):
        return _with_track(project, _placed_on(track, clip, at))
    new = _placed_on(Track((), track.kind, track.role, _free_id(project, track.role)), clip, at)
    index = [t.id for t in project.layers].index(track.id) + 1
    return replace(project, layers=(*project.layers[:index], new, *project.layers[index:]))


def fits(project: Project, item_id: str, at: Fraction, track_id: str) -> bool:
    """Whether the item with this id would sit at `at` on the track `track_id` without
    covering another item there."""
    track = _track(project, track_id)
    clip = _clip(project, item_id)
    return track.role != "main" and _has_room(_without(track, item_id), at, at + clip.duration)


MIN_LENGTH = Fraction(1, 30)  # the shortest an item is trimmed to


def trim_item(project: Project, item_id: str, start: Fraction, end: Fraction) -> Project:
    """The overlay or audio item with this id playing from `start` to `end` on its track: a
    later start skips more of its file, an earlier one shows more, as far as the file and the
    items beside it allow (a picture has no end). Its keys stay with the picture: their times
    move with the start."""
    track, clip = _track_holding(project, item_id), _clip(project, item_id)
    begin, stop = track.range_of(item_id)
    before = [e for i, _, e in track.ranges() if isinstance(i, LAID) and e <= begin + EPSILON]
    after = [s for i, s, _ in track.ranges() if isinstance(i, LAID) and s >= stop - EPSILON]
    first, last = max(before, default=Fraction(0)), min(after, default=None)
    if isinstance(clip, Clip) and not clip.media.endless:
        first = max(first, begin - clip.source_in / clip.speed)
        room = begin + (clip.media.duration - clip.source_in) / clip.speed
        last = room if last is None else min(last, room)
    start = min(max(start, first), stop - MIN_LENGTH)
    end = max(min(end, last) if last is not None else end, start + MIN_LENGTH)
    trimmed = _trimmed(clip, start - begin, end - start)
    timed = [(s, i) for i, s, _ in track.ranges() if isinstance(i, LAID) and i.id != item_id]
    return _with_track(project, replace(track, items=_laid_out([*timed, (start, trimmed)])))


def _trimmed(item: Laid, skipped: Fraction, length: Fraction) -> Laid:
    """`item` starting `skipped` seconds later (earlier when negative) and `length` long."""
    if isinstance(item, GRAPHICS):
        return replace(item, duration=length, transform=_shifted(item.transform, skipped))
    source_in = max(Fraction(0), item.source_in + skipped * item.speed)
    trimmed = replace(item, source_in=source_in, source_out=source_in + length * item.speed)
    if item.transform is not None:
        trimmed = replace(trimmed, transform=_shifted(item.transform, skipped))
    return trimmed


def time_in(project: Project, item_id: str, at: Fraction) -> Fraction | None:
    """Timeline time `at` as a time of the item (seconds from its start, on a frame), or None
    when the item does not play then."""
    for track in project.tracks:
        if any(found.id == item_id for found in track.items):
            start, end = track.range_of(item_id)
            fps = project.canvas.fps
            inside = Fraction(round((at - start) * fps), fps)
            return inside if 0 <= inside <= end - start else None
    refuse("id", f"no item {item_id!r} in the project")


def key_times(clip: Laid) -> list[Fraction]:
    """The times (from the item's start) at which any property of its transform has a key."""
    transform = clip.transform or Transform()
    return sorted({key.time for _, keys in transform.keys for key in keys.keys})


def set_value(project: Project, clip_id: str, name: str, value: float, time: Fraction) -> Project:
    """The property's value: a key at `time` when the property is animated (keeping the
    easing of a key already there), its still value when it is not."""
    transform = _clip(project, clip_id).transform or Transform()
    if not transform.animated(name):
        return set_transform(project, clip_id, **{name: value})
    there = [key for key in transform.keys_of(name).keys if key.time == time]
    ease = there[0].ease if there else "linear"
    return add_keys(project, clip_id, [(name, Key(time, value, ease))])


def set_values(project: Project, clip_id: str, values: dict[str, float], time: Fraction) -> Project:
    """set_value for several properties at once (one edit: a drag on the canvas)."""
    for name, value in values.items():
        project = set_value(project, clip_id, name, value, time)
    return project


def set_volume(project: Project, clip_id: str, value: float, time: Fraction | None) -> Project:
    """The clip's volume: a key at `time` (seconds from its start) when its volume is keyed
    and the playhead is on it, else its one volume."""
    clip = _sounding(project, clip_id)
    keys = clip.volume_keys
    if keys.animated and time is not None:
        there = [key for key in keys.keys if key.time == time]
        key = Key(time, value, there[0].ease if there else "linear")
        return edit_item(project, clip_id, volume_keys=keys.with_key(key))
    return edit_item(project, clip_id, volume=value)


def toggle_volume_key(project: Project, clip_id: str, time: Fraction) -> Project:
    """The volume key at `time` removed when there is one, else one added holding the volume
    heard then."""
    clip = _sounding(project, clip_id)
    keys = clip.volume_keys
    if any(key.time == time for key in keys.keys):
        return edit_item(project, clip_id, volume_keys=keys.without_key(time))
    key = Key(time, keys.at(time, clip.volume))
    return edit_item(project, clip_id, volume_keys=keys.with_key(key))


def toggle_key(project: Project, clip_id: str, name: str, time: Fraction) -> Project:
    """The property's key at `time` removed when there is one, else one added there holding
    the value the property has at that moment."""
    transform = _clip(project, clip_id).transform or Transform()
    keys = transform.keys_of(name)
    if any(key.time == time for key in keys.keys):
        return edit_item(
            project, clip_id, transform=transform.with_keys(name, keys.without_key(time))
        )
    return add_keys(project, clip_id, [(name, Key(time, transform.at(name, time)))])


def move_keys(project: Project, clip_id: str, time: Fraction, to: Fraction) -> Project:
    """Every key at `time` moved to `to` (seconds from the item's start)."""
    clip = _clip(project, clip_id)
    if not 0 <= to <= clip.duration:
        refuse("time", f"must be within the item (0 - {float(clip.duration):g} s)")
    transform = clip.transform or Transform()
    for name, keys in transform.keys:
        moved = [replace(k, time=to) for k in keys.keys if k.time == time]
        if moved and any(k.time == to for k in keys.keys) and to != time:
            refuse("time", f"{name} already has a key at {float(to):g} s")
        kept = [k for k in keys.keys if k.time != time]
        transform = transform.with_keys(name, Keys(tuple(sorted(kept + moved, key=_when))))
    return edit_item(project, clip_id, transform=transform)


def ease_keys(project: Project, clip_id: str, time: Fraction, ease: Ease) -> Project:
    """Every key at `time` eases to its next key as `ease` says."""
    return _keys_at(project, clip_id, time, lambda key: replace(key, ease=ease))


def remove_keys(project: Project, clip_id: str, time: Fraction) -> Project:
    """Every key at `time` gone."""
    return _keys_at(project, clip_id, time, lambda key: None)


def _keys_at(
    project: Project, clip_id: str, time: Fraction, change: Callable[[Key], Key | None]
) -> Project:
    transform = _clip(project, clip_id).transform or Transform()
    for name, keys in transform.keys:
        changed = [change(k) if k.time == time else k for k in keys.keys]
        transform = transform.with_keys(name, Keys(tuple(k for k in changed if k is not None)))
    return edit_item(project, clip_id, transform=transform)


def _when(key: Key) -> Fraction:
    return key.time


def _shifted(transform: Transform, by: Fraction) -> Transform:
    """Keys `by` seconds earlier (the start moved that much later); a property whose keys
    would start before 0 starts with a key at 0 holding the value it had there."""
    for name, keys in transform.keys:
        kept = [replace(key, time=key.time - by) for key in keys.keys if key.time >= by]
        cut = [key for key in keys.keys if key.time < by]
        if cut and (not kept or kept[0].time > 0):
            kept.insert(0, Key(Fraction(0), transform.at(name, by), cut[-1].ease))
        transform = transform.with_keys(name, Keys(tuple(kept)))
    return transform


def drop_empty_tracks(project: Project) -> Project:
    """The project without layers that hold no clip."""
    if all(track.clips for track in project.layers):
        return project
    return replace(project, layers=tuple(t for t in project.layers if _laid(t)))


def _without(track: Track, item_id: str) -> Track:
    """The track without the item, the others where they were."""
    timed = [(s, i) for i, s, _ in track.ranges() if isinstance(i, LAID) and i.id != item_id]
    return replace(track, items=_laid_out(timed))


def _clip(project: Project, item_id: str) -> Laid:
    """The clip or title with this id (what a layer lays out, with a place and keys)."""
    found = item(project, item_id)
    if not isinstance(found, LAID):
        refuse("id", f"{item_id!r} is not a clip or a title")
    return found


def _sounding(project: Project, item_id: str) -> Clip:
    """The clip with this id, which has a sound (a title has none)."""
    found = item(project, item_id)
    if not isinstance(found, Clip):
        refuse("id", f"{item_id!r} is not a clip with a sound")
    return found


def _laid(track: Track) -> bool:
    return any(isinstance(item, LAID) for item in track.items)


def _placed_on(track: Track, clip: Laid, at: Fraction) -> Track:
    if any(existing.id == clip.id for existing in track.items):
        refuse("id", f"{clip.id!r} is already on track {track.id!r}")
    if not _has_room(track, at, at + clip.duration):
        refuse("at", f"track {track.id!r} already has an item at {float(at):g} s")
    timed = [(start, item) for item, start, _ in track.ranges() if isinstance(item, LAID)]
    return replace(track, items=_laid_out([*timed, (at, clip)]))


def _laid_out(timed: list[tuple[Fraction, Laid]]) -> tuple[Item, ...]:
    """Clips and titles at their start times, with the gaps before them."""
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
        not isinstance(item, LAID) or stop <= start + EPSILON or begin >= end - EPSILON
        for item, begin, stop in track.ranges()
    )


def track(project: Project, track_id: str) -> Track:
    """A track by id, or by its number among the layers (1: the lowest above the main track)."""
    return _track(project, track_id)


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
