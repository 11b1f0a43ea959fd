"""Project -> Project operations. Each returns a new snapshot and leaves its input untouched."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from studio.errors import ProjectError, StudioError
from studio.model.ducking import with_duck_key
from studio.model.keys import Keys
from studio.model.limits import refuse
from studio.model.time import beat_time, nearest_frame
from studio.model.timeline import (
    ARTISTIC,
    BEAT_MATCH,
    WORD_MATCH,
    Background,
    BeatEffect,
    BeatGrid,
    Beauty,
    Captions,
    CaptionWord,
    Clip,
    Effect,
    FaceBlur,
    Fit,
    FocusKey,
    FrameEffect,
    Look,
    Marker,
    MediaRef,
    MusicTrack,
    Project,
    Sticker,
    clip_at,
    new_id,
)


def clip_of(media: MediaRef, fit: Fit | None = None) -> Clip:
    """A clip covering the whole media file."""
    return Clip(media, Fraction(0), media.duration, fit=fit or Fit())


def index_of(project: Project, clip_id: str) -> int:
    """Position of the clip with this id on the main track."""
    for index, clip in enumerate(project.main.clips):
        if clip.id == clip_id:
            return index
    refuse("clips", f"no clip with id {clip_id!r}")


def add_clip(project: Project, clip: Clip, index: int | None = None) -> Project:
    if any(c.id == clip.id for c in project.main.clips):
        clip = replace(clip, id=new_id())  # the same clip added twice is two clips
    clips = list(project.main.clips)
    clips.insert(len(clips) if index is None else index, clip)
    return project.with_clips(tuple(clips))


def remove_clip(project: Project, clip_id: str) -> Project:
    clips = list(project.main.clips)
    del clips[index_of(project, clip_id)]
    return project.with_clips(tuple(clips))


def move_clip(project: Project, clip_id: str, to: int) -> Project:
    """The clip moved to position `to` of the main track (counted without it)."""
    clips = list(project.main.clips)
    clip = clips.pop(index_of(project, clip_id))
    clips.insert(max(0, min(to, len(clips))), clip)
    return project.with_clips(tuple(clips))


def trim_clip(project: Project, clip_id: str, source_in: Fraction, source_out: Fraction) -> Project:
    """Set the source range of a clip (clamped to the media, at least one millisecond long)."""
    clip = project.main.clips[index_of(project, clip_id)]
    start = max(Fraction(0), min(source_in, clip.media.duration - Fraction(1, 1000)))
    end = max(start + Fraction(1, 1000), min(source_out, clip.media.duration))
    return _edit_clip(project, clip_id, source_in=start, source_out=end)


def split_clip(project: Project, at: Fraction) -> Project:
    """Cut the clip under timeline time `at` into two clips that play the same as before; the
    second half is a new clip (a new id)."""
    found = clip_at(project, at)
    if found is None or found[1] == 0:
        return project
    index, inside = found
    clip = project.main.clips[index]
    cut = clip.source_at(inside)
    first = replace(clip, source_out=cut, pad_end=Fraction(0))
    second = replace(clip, source_in=cut, pad_start=Fraction(0), id=new_id())
    clips = list(project.main.clips)
    clips[index : index + 1] = [first, second]
    return project.with_clips(tuple(clips))


def set_speed(project: Project, clip_id: str, speed: Fraction) -> Project:
    return _edit_clip(project, clip_id, speed=speed)


def set_fit(project: Project, clip_id: str, fit: Fit) -> Project:
    return _edit_clip(project, clip_id, fit=fit)


def set_focus_at(project: Project, at: Fraction, focus: float) -> Project:
    """A follow crop's focus at timeline time `at`: the key there (within half a frame) moves,
    or a new key is added, so a user can correct the path where it lost the subject."""
    found = clip_at(project, at)
    if found is None:
        refuse("at", f"{float(at):.2f} s is outside the edit")
    index, inside = found
    clip = project.main.clips[index]
    if clip.fit.mode != "follow":
        refuse("fit", "the clip at the playhead does not follow its subject")
    time = Fraction(round(clip.source_at(inside) * 1000), 1000)
    half_frame = Fraction(1, 2 * project.canvas.fps) * clip.top_speed
    kept = [key for key in clip.fit.keys if abs(key.time - time) > half_frame]
    keys = tuple(sorted((*kept, FocusKey(time, focus)), key=lambda key: key.time))
    return _edit_at(project, index, fit=replace(clip.fit, keys=keys))


def set_volume(project: Project, clip_id: str, volume: float) -> Project:
    return _edit_clip(project, clip_id, volume=volume)


def set_effect(project: Project, clip_id: str, model: type, effect: Effect | None) -> Project:
    """The clip's effect of class `model` set to `effect` (in its place in the list, or added
    at the end), or removed when None."""
    clip = project.main.clips[index_of(project, clip_id)]
    changed = clip.without_effect(model) if effect is None else clip.with_effect(effect)
    return _edit_clip(project, clip_id, effects=changed.effects)


def add_effect(project: Project, clip_id: str, effect: Effect) -> Project:
    """`effect` added at the end of the clip's list (replacing one of its kind, for a kind a
    clip takes one of)."""
    clip = project.main.clips[index_of(project, clip_id)]
    return _edit_clip(project, clip_id, effects=clip.with_effect(effect).effects)


def remove_effect(project: Project, clip_id: str, index: int) -> Project:
    """The clip's effect at `index` of its list removed."""
    effects = list(_effects_of(project, clip_id, index))
    del effects[index]
    return _edit_clip(project, clip_id, effects=tuple(effects))


def move_effect(project: Project, clip_id: str, index: int, to: int) -> Project:
    """The clip's effect at `index` moved to place `to` of its list (drawn in list order)."""
    effects = list(_effects_of(project, clip_id, index))
    if not 0 <= to < len(effects):
        refuse("to", f"no place {to} in a list of {len(effects)} effects")
    effects.insert(to, effects.pop(index))
    return _edit_clip(project, clip_id, effects=tuple(effects))


def _effects_of(project: Project, clip_id: str, index: int) -> tuple[Effect, ...]:
    effects = project.main.clips[index_of(project, clip_id)].effects
    if not 0 <= index < len(effects):
        refuse("effect", f"no effect {index} on this clip (it has {len(effects)})")
    return effects


def set_background(project: Project, clip_id: str, background: Background | None) -> Project:
    """What shows behind the person in a clip (None: the clip as it was filmed)."""
    return set_effect(project, clip_id, Background, background)


def set_beauty(project: Project, clip_id: str, beauty: float) -> Project:
    """Skin smoothing on the faces close to the camera, 0 (none) .. 1."""
    return set_effect(project, clip_id, Beauty, Beauty(beauty) if beauty > 0 else None)


def set_artistic(project: Project, clip_id: str, name: str | None) -> Project:
    """The clip's artistic filter (None: none), first of its per-frame effects; its moviepy
    effects stay as they are."""
    clip = project.main.clips[index_of(project, clip_id)]
    kept = tuple(e for e in clip.effects if not (isinstance(e, FrameEffect) and e.name in ARTISTIC))
    chosen = (FrameEffect(name),) if name else ()
    return _edit_clip(project, clip_id, effects=chosen + kept)


def set_captions(project: Project, captions: Captions | None) -> Project:
    return replace(project, captions=captions)


def edit_caption_word(project: Project, at: float, word: CaptionWord) -> Project:
    """The user's word for the detected one starting at `at` (empty text removes it; a time
    with no detected word adds one): kept apart, so a new transcription keeps it."""
    if project.captions is None:
        refuse("captions", "the project has no captions yet")
    captions = project.captions
    kept = tuple(edit for edit in captions.edits if abs(edit[0] - at) > WORD_MATCH)
    edits = tuple(sorted((*kept, (round(at, 3), word)), key=lambda edit: edit[0]))
    return replace(project, captions=replace(captions, edits=edits))


def place_captions(
    project: Project, x: float | None = None, y: float | None = None, scale: float | None = None
) -> Project:
    """The captions moved (x, y: their centre, of the canvas) or resized (scale: times their
    style's size)."""
    captions = project.captions
    if captions is None:
        refuse("captions", "the project has no captions yet")
    moved = replace(
        captions,
        x=captions.x if x is None else x,
        y=captions.y if y is None else y,
        scale=captions.scale if scale is None else scale,
    )
    return replace(project, captions=moved)


def set_sticker(project: Project, clip_id: str, sticker: Sticker | None) -> Project:
    """A picture that follows the face in a clip (None: no sticker)."""
    return set_effect(project, clip_id, Sticker, sticker)


def set_faces(project: Project, clip_id: str, faces: FaceBlur | None) -> Project:
    """Blur faces in a clip (None: faces as filmed)."""
    return set_effect(project, clip_id, FaceBlur, faces)


def set_look(project: Project, clip_id: str, look: Look | None) -> Project:
    """A colour look over a clip (None: as filmed)."""
    return set_effect(project, clip_id, Look, look)


def set_music(project: Project, music: MusicTrack | None) -> Project:
    return replace(project, music=music)


def set_music_gain(project: Project, gain_db: float) -> Project:
    try:
        return replace(project, music=replace(_music(project), gain_db=gain_db))
    except StudioError as error:
        raise error.within("music") from None


def set_ducking(project: Project, depth_db: float) -> Project:
    """How far the music and the clips' own sound drop under a voice (0: not at all); the
    curve follows the voices again (a curve edited by hand is let go)."""
    try:
        ducking = replace(project.ducking, depth_db=depth_db, keys=Keys())
    except StudioError as error:
        raise error.within("ducking") from None
    return replace(project, ducking=ducking)


def set_duck_key(project: Project, index: int | None, time: Fraction, gain_db: float) -> Project:
    """The ducking curve's key `index` moved to (time, gain_db), or one added (index None)."""
    try:
        return replace(project, ducking=with_duck_key(project, index, time, gain_db))
    except IndexError:
        raise ProjectError("the ducking curve has no such key", field="ducking.keys") from None
    except StudioError as error:
        raise error.within("ducking") from None


def automatic_ducking(project: Project) -> Project:
    """The ducking curve made by the voices again, not the keys edited by hand."""
    return replace(project, ducking=replace(project.ducking, keys=Keys()))


def set_music_timing(
    project: Project, offset: Fraction, fade_in: Fraction, fade_out: Fraction
) -> Project:
    """Where the song starts (seconds into its file) and its fades; its beats move with it."""
    if project.music is not None and offset >= project.music.media.duration:
        refuse("music.offset", "starts after the end of the song")
    try:
        music = replace(_music(project), offset=offset, fade_in=fade_in, fade_out=fade_out)
    except StudioError as error:
        raise error.within("music") from None
    return replace(project, music=music)


def set_effects(project: Project, effects: tuple[BeatEffect, ...]) -> Project:
    """The beat effects (punch, flash) on the composed picture, replacing the previous ones."""
    return replace(project, effects=effects)


def set_preset(project: Project, preset: str) -> Project:
    """The export preset the project uses unless an export names another ("" for the default)."""
    return replace(project, preset=preset)


def set_fps(project: Project, fps: int) -> Project:
    """The canvas frame rate (cuts stay on the same times, rounded to the new frames)."""
    try:
        return replace(project, canvas=replace(project.canvas, fps=fps))
    except StudioError as error:
        raise error.within("canvas") from None


def add_marker(project: Project, time: Fraction, name: str = "") -> Project:
    markers = sorted((*project.markers, Marker(time, name)), key=lambda m: m.time)
    return replace(project, markers=tuple(markers))


def _edit_clip(project: Project, clip_id: str, **changes: object) -> Project:
    """The clip with this id with `changes`; a refused value names its field ("clips[2].speed",
    by its place in the file)."""
    return _edit_at(project, index_of(project, clip_id), **changes)


def _edit_at(project: Project, index: int, **changes: object) -> Project:
    clip = project.main.clips[index]
    try:
        changed = replace(clip, **changes)  # type: ignore[arg-type]
    except StudioError as error:
        raise error.within(f"clips[{index}]") from None
    return _replace_clip(project, index, changed)


def _replace_clip(project: Project, index: int, clip: Clip) -> Project:
    clips = list(project.main.clips)
    clips[index] = clip
    return project.with_clips(tuple(clips))


def set_beat_analysis(project: Project, analysed: BeatGrid) -> Project:
    """Replace the music's detected beats with a new analysis, keeping the user's own edits."""
    music = _music(project)
    mine = music.grid
    grid = replace(
        analysed,
        added=mine.added,
        removed=mine.removed,
        bar_start=mine.bar_start,
        bar_length=mine.bar_length,
    )
    return replace(project, music=replace(music, grid=grid))


def fix_beats(project: Project, fix: str) -> Project:
    """One step on the music's beats: "double" or "half" the tempo, or "shift" every beat
    half a beat (model/beat_fixes.py)."""
    from studio.model import beat_fixes

    fixes = {
        "double": beat_fixes.doubled,
        "half": beat_fixes.halved,
        "shift": beat_fixes.shifted_half,
    }
    if fix not in fixes:
        refuse("fix", f"must be one of {', '.join(fixes)} (got {fix!r})")
    music = _music(project)
    return replace(project, music=replace(music, grid=fixes[fix](music.grid)))


def set_beat_grid(project: Project, grid: BeatGrid) -> Project:
    """The music's beats replaced by `grid` (tapped along, or given as tempo and phase); the
    user's own added and removed beats go with the old grid."""
    music = _music(project)
    return replace(project, music=replace(music, grid=grid))


def start_bars(project: Project, at: Fraction) -> Project:
    """Bars start at the beat nearest timeline time `at` and every `beats_per_bar` beats after
    and before it (for bars the analysis found on another beat)."""
    music = _music(project)
    if not music.grid.beats:
        refuse("music", "the music has no beats: analyse it first")
    grid = music.grid.with_bars(start=at + music.offset)
    return replace(project, music=replace(music, grid=grid))


def set_bar_length(project: Project, beats: int) -> Project:
    """Bars of `beats` beats (2-7), counted from the bar start the user chose or else the first
    analysed one; 0: as analysed."""
    music = _music(project)
    return replace(project, music=replace(music, grid=music.grid.with_bars(length=beats)))


def add_beat(project: Project, at: Fraction) -> Project:
    """Add a beat at timeline time `at` (a beat the analysis missed)."""
    music = _music(project)
    t = beat_time(at + music.offset)
    grid = music.grid
    removed = tuple(r for r in grid.removed if abs(r - t) > BEAT_MATCH)
    added = tuple(sorted({*grid.added, t}))
    return replace(project, music=replace(music, grid=replace(grid, added=added, removed=removed)))


def remove_beat(project: Project, at: Fraction) -> Project:
    """Remove the beat nearest timeline time `at` (within 50 ms); unchanged if there is none."""
    music = _music(project)
    grid, t = music.grid, at + music.offset
    near = [b for b in grid.beats if abs(b - t) <= BEAT_MATCH]
    if not near:
        return project
    beat = min(near, key=lambda b: abs(b - t))
    if beat in grid.added:
        grid = replace(grid, added=tuple(b for b in grid.added if b != beat))
    else:
        grid = replace(grid, removed=tuple(sorted({*grid.removed, beat})))
    return replace(project, music=replace(music, grid=grid))


def snap_to_beat(project: Project, at: Fraction, within: Fraction | None = None) -> Fraction:
    """The output frame time of the beat nearest timeline time `at`; `at` itself if the music
    has no beats or none is within `within` seconds."""
    if project.music is None or not project.music.grid.beats:
        return at
    beat = min(project.music.beat_times(), key=lambda b: abs(b - at), default=None)
    if beat is None or (within is not None and abs(beat - at) > within):
        return at
    fps = project.canvas.fps
    return Fraction(nearest_frame(beat, fps), fps)


def move_cut_to_beat(project: Project, cut: int, at: Fraction) -> Project:
    """Move the cut between clips cut-1 and cut to the beat nearest `at`: the earlier clip ends
    there and the later one starts correspondingly later or earlier, so no other cut moves."""
    if not 0 < cut < len(project.main.clips):
        refuse("cut", f"no cut at position {cut}")
    before, after = project.main.clips[cut - 1], project.main.clips[cut]
    start = sum((c.duration for c in project.main.clips[: cut - 1]), Fraction(0))
    old = start + before.duration
    shift = snap_to_beat(project, at) - old
    out = before.source_at(before.duration + shift)
    new_in = after.source_at(shift)
    if not (before.source_in < out <= before.media.duration and 0 <= new_in < after.source_out):
        refuse("cut", "the clips have no material to move that cut there")
    project = _replace_clip(project, cut - 1, replace(before, source_out=out))
    return _replace_clip(project, cut, replace(after, source_in=new_in))


def _music(project: Project) -> MusicTrack:
    if project.music is None:
        refuse("music", "the project has no music")
    return project.music
