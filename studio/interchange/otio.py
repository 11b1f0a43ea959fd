"""Export the edit as an OpenTimelineIO timeline (.otio), the one bridge to other editors."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.errors import StudioError
from studio.model.timeline import Clip, Duet, MediaRef, MusicTrack, Project


def to_otio(project: Project, name: str = "studio edit") -> Any:
    """An otio.schema.Timeline with a video track, an audio track for the music, and markers."""
    import opentimelineio as otio

    rate = project.canvas.fps
    start = otio.opentime.RationalTime(0, rate)
    timeline = otio.schema.Timeline(name=name, global_start_time=start)
    if project.duet is not None:
        timeline.tracks.extend(_duet_tracks(otio, project.duet, rate))
    else:
        video = otio.schema.Track(name="Main", kind=otio.schema.TrackKind.Video)
        for index, clip in enumerate(project.main.clips):
            video.append(_clip(otio, clip, rate, f"{index + 1:02d} {clip.media.name}"))
        timeline.tracks.append(video)
    if project.music is not None:
        timeline.tracks.append(_music_track(otio, project.music, project.duration, rate))
    for marker in project.markers:
        marked = otio.opentime.TimeRange(_time(otio, marker.time, rate), _time(otio, 0, rate))
        timeline.tracks.markers.append(otio.schema.Marker(name=marker.name, marked_range=marked))
    timeline.metadata["studio"] = {"canvas": [project.canvas.width, project.canvas.height]}
    return timeline


def write_otio(project: Project, path: str | Path) -> Path:
    import opentimelineio as otio

    target = Path(path)
    if target.suffix.lower() != ".otio":
        raise StudioError("the interchange file must end in .otio", target)
    otio.adapters.write_to_file(to_otio(project, name=target.stem), str(target))
    return target


def _clip(otio: Any, clip: Clip, rate: int, name: str) -> Any:
    source = otio.opentime.TimeRange(
        _time(otio, clip.source_in, rate), _time(otio, clip.source_duration, rate)
    )
    item = otio.schema.Clip(
        name=name, media_reference=_reference(otio, clip.media, rate), source_range=source
    )
    if clip.speed != 1:
        item.effects.append(otio.schema.LinearTimeWarp(time_scalar=float(clip.speed)))
    fit = clip.fit
    item.metadata["studio"] = {
        "fit": fit.mode,
        "focus": [fit.focus_x, fit.focus_y],
        "pad_color": fit.pad_color,
        "volume": clip.volume,
    }
    return item


def _duet_tracks(otio: Any, duet: Duet, rate: int) -> list[Any]:
    """The original on the lower track, yours above it after a gap for its offset; the layout
    (which other editors cannot express) is kept as metadata."""
    tracks = []
    for name, clip, start in (
        ("Original", duet.original, Fraction(0)),
        ("Yours", duet.yours, duet.offset),
    ):
        skip = max(Fraction(0), -start)
        length = min(clip.duration - skip, duet.duration - max(start, Fraction(0)))
        shown = replace(clip, source_in=clip.source_in + skip * clip.speed)
        shown = replace(shown, source_out=shown.source_in + length * clip.speed)
        track = otio.schema.Track(name=name, kind=otio.schema.TrackKind.Video)
        if start > 0:
            track.append(
                otio.schema.Gap(
                    source_range=otio.opentime.TimeRange(
                        _time(otio, 0, rate), _time(otio, start, rate)
                    )
                )
            )
        track.append(_clip(otio, shown, rate, f"{name} {clip.media.name}"))
        tracks.append(track)
    layout = duet.layout
    tracks[1].metadata["studio"] = {
        "layout": layout.kind,
        "corner": layout.corner,
        "size": layout.size,
        "audio": duet.audio,
    }
    return tracks


def _music_track(otio: Any, music: MusicTrack, length: Fraction, rate: int) -> Any:
    track = otio.schema.Track(name="Music", kind=otio.schema.TrackKind.Audio)
    source = otio.opentime.TimeRange(_time(otio, music.offset, rate), _time(otio, length, rate))
    item = otio.schema.Clip(
        name=music.media.name,
        source_range=source,
        media_reference=_reference(otio, music.media, rate),
    )
    item.metadata["studio"] = {
        "gain_db": music.gain_db,
        "fade_in": float(music.fade_in),
        "fade_out": float(music.fade_out),
    }
    track.append(item)
    return track


def _reference(otio: Any, media: MediaRef, rate: int) -> Any:
    available = otio.opentime.TimeRange(_time(otio, 0, rate), _time(otio, media.duration, rate))
    return otio.schema.ExternalReference(
        target_url=Path(media.path).absolute().as_uri(), available_range=available
    )


def _time(otio: Any, seconds: Fraction | int, rate: int) -> Any:
    return otio.opentime.RationalTime(float(Fraction(seconds) * rate), rate)
