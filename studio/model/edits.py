"""Project -> Project operations. Each returns a new snapshot and leaves its input untouched."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from studio.model.timeline import Clip, Fit, Marker, MediaRef, MusicTrack, Project, clip_at


def clip_of(media: MediaRef, fit: Fit | None = None) -> Clip:
    """A clip covering the whole media file."""
    return Clip(media, Fraction(0), media.duration, fit=fit or Fit())


def add_clip(project: Project, clip: Clip, index: int | None = None) -> Project:
    clips = list(project.main.clips)
    clips.insert(len(clips) if index is None else index, clip)
    return project.with_clips(tuple(clips))


def remove_clip(project: Project, index: int) -> Project:
    clips = list(project.main.clips)
    del clips[_checked(project, index)]
    return project.with_clips(tuple(clips))


def move_clip(project: Project, index: int, to: int) -> Project:
    clips = list(project.main.clips)
    clip = clips.pop(_checked(project, index))
    clips.insert(max(0, min(to, len(clips))), clip)
    return project.with_clips(tuple(clips))


def trim_clip(project: Project, index: int, source_in: Fraction, source_out: Fraction) -> Project:
    """Set the source range of a clip (clamped to the media, at least one millisecond long)."""
    clip = project.main.clips[_checked(project, index)]
    start = max(Fraction(0), min(source_in, clip.media.duration))
    end = max(start + Fraction(1, 1000), min(source_out, clip.media.duration))
    return _replace_clip(project, index, replace(clip, source_in=start, source_out=end))


def split_clip(project: Project, at: Fraction) -> Project:
    """Cut the clip under timeline time `at` into two clips that play the same as before."""
    found = clip_at(project, at)
    if found is None or found[1] == 0:
        return project
    index, inside = found
    clip = project.main.clips[index]
    cut = clip.source_in + inside * clip.speed
    first, second = replace(clip, source_out=cut), replace(clip, source_in=cut)
    clips = list(project.main.clips)
    clips[index : index + 1] = [first, second]
    return project.with_clips(tuple(clips))


def set_speed(project: Project, index: int, speed: Fraction) -> Project:
    if not Fraction(1, 4) <= speed <= 4:
        raise ValueError("speed must be between 0.25 and 4")
    clip = project.main.clips[_checked(project, index)]
    return _replace_clip(project, index, replace(clip, speed=speed))


def set_fit(project: Project, index: int, fit: Fit) -> Project:
    clip = project.main.clips[_checked(project, index)]
    return _replace_clip(project, index, replace(clip, fit=fit))


def set_volume(project: Project, index: int, volume: float) -> Project:
    clip = project.main.clips[_checked(project, index)]
    return _replace_clip(project, index, replace(clip, volume=max(0.0, min(volume, 4.0))))


def set_music(project: Project, music: MusicTrack | None) -> Project:
    return replace(project, music=music)


def add_marker(project: Project, time: Fraction, name: str = "") -> Project:
    markers = sorted((*project.markers, Marker(time, name)), key=lambda m: m.time)
    return replace(project, markers=tuple(markers))


def _replace_clip(project: Project, index: int, clip: Clip) -> Project:
    clips = list(project.main.clips)
    clips[index] = clip
    return project.with_clips(tuple(clips))


def _checked(project: Project, index: int) -> int:
    if not 0 <= index < len(project.main.clips):
        raise IndexError(f"no clip at index {index}")
    return index
