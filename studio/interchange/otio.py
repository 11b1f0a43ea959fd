"""OpenTimelineIO, the one bridge to other editors: a project written as a Timeline (.otio).

Every track goes over as an OTIO track (the main track first, then the layers bottom to top,
then the music bed), with its gaps, transitions (centred on their cut: half before it, half
after), markers and speed (a LinearTimeWarp). An OTIO clip's `source_range` starts at the clip's
in point and lasts as long as the clip plays on the track, which is how OTIO lays tracks out;
its time warp says how fast the media plays. What OTIO cannot hold (transforms and their keys,
fit, volume, fades, effects, a track's role and gain, a transition's kind and easing, the
canvas, the captions) goes into `metadata["studio"]` as the project codec writes it, so
`otio_read.py` gives back an equal project. Reading lives in `otio_read.py`.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.errors import StudioError
from studio.io.project_schema import project_to_dict
from studio.model.stickers import StickerItem
from studio.model.timeline import Clip, Gap, Item, MediaRef, Project, Track, Transition
from studio.model.titles import Title

STUDIO = "studio"  # the metadata key of what OTIO cannot hold
IN_TRACKS = ("clips", "music", "markers", "layers")  # the parts of a project its tracks carry
BED = "bed"  # the role written on the music bed's track
DISSOLVE = "dissolve"


def to_otio(project: Project, name: str = "studio edit", base: Path | None = None) -> Any:
    """An otio.schema.Timeline of the project. Paths the studio metadata names (a sticker, a
    background picture) are written relative to `base`, the folder of the .otio file."""
    import opentimelineio as otio

    document = project_to_dict(project, (base or Path.cwd()).absolute())
    rate = project.canvas.fps
    timeline = otio.schema.Timeline(name=name, global_start_time=_time(otio, 0, rate))
    timeline.tracks.extend(_tracks(otio, project, document, rate))
    for marker, stored in zip(project.markers, document["markers"]):
        marked = otio.opentime.TimeRange(_time(otio, marker.time, rate), _time(otio, 0, rate))
        timeline.tracks.markers.append(
            otio.schema.Marker(name=marker.name, marked_range=marked, metadata={STUDIO: stored})
        )
    timeline.metadata[STUDIO] = {k: v for k, v in document.items() if k not in IN_TRACKS}
    return timeline


def write_otio(project: Project, path: str | Path) -> Path:
    import opentimelineio as otio

    target = Path(path)
    if target.suffix.lower() != ".otio":
        raise StudioError("the interchange file must end in .otio", target)
    timeline = to_otio(project, name=target.stem, base=target.absolute().parent)
    otio.adapters.write_to_file(timeline, str(target))
    return target


def _tracks(otio: Any, project: Project, document: dict[str, Any], rate: int) -> list[Any]:
    """Bottom to top: the main track, the layers, the music bed."""
    tracks = [_main_track(otio, project.main, document["clips"], rate)]
    for layer, stored in zip(project.layers, document["layers"]):
        tracks.append(_layer_track(otio, layer, stored, rate))
    if project.music is not None:
        tracks.append(_music_track(otio, project, document["music"], rate))
    return tracks


def _main_track(otio: Any, track: Track, stored: list[dict[str, Any]], rate: int) -> Any:
    made = otio.schema.Track(
        name="Main", kind=otio.schema.TrackKind.Video, metadata={STUDIO: {"role": "main"}}
    )
    number = 0
    for item, entry in zip(track.items, stored):
        number += 1 if isinstance(item, Clip) else 0
        made.append(_item(otio, item, entry, rate, f"{number:02d} "))
    return made


def _layer_track(otio: Any, track: Track, stored: dict[str, Any], rate: int) -> Any:
    kind = otio.schema.TrackKind.Video if track.kind == "video" else otio.schema.TrackKind.Audio
    about = {k: v for k, v in stored.items() if k != "items"}
    made = otio.schema.Track(name=track.id, kind=kind, metadata={STUDIO: about})
    for item, entry in zip(track.items, stored["items"]):
        made.append(_item(otio, item, entry, rate))
    return made


def _item(otio: Any, item: Item, stored: dict[str, Any], rate: int, prefix: str = "") -> Any:
    if isinstance(item, Gap):
        length = otio.opentime.TimeRange(_time(otio, 0, rate), _time(otio, item.duration, rate))
        return otio.schema.Gap(source_range=length, metadata={STUDIO: stored})
    if isinstance(item, Transition):
        return _transition(otio, item, stored, rate)
    if isinstance(item, Title | StickerItem):
        return _graphic(otio, item, stored, rate)
    return _clip(otio, item, rate, prefix + item.media.name, stored)


def _graphic(otio: Any, drawn: Title | StickerItem, stored: dict[str, Any], rate: int) -> Any:
    """A title or sticker as OTIO's generator clip: its words or picture as the name, the
    item in studio's metadata (another editor shows a clip of that length; studio reads the
    item back)."""
    source = otio.opentime.TimeRange(_time(otio, 0, rate), _time(otio, drawn.duration, rate))
    if isinstance(drawn, Title):
        kind, parameters = "text", {"text": drawn.text}
    else:
        kind, parameters = "sticker", {"sticker": drawn.name}
    reference = otio.schema.GeneratorReference(generator_kind=kind, parameters=parameters)
    item = otio.schema.Clip(name=drawn.name, media_reference=reference, source_range=source)
    item.metadata[STUDIO] = stored
    return item


def _transition(otio: Any, transition: Transition, stored: dict[str, Any], rate: int) -> Any:
    """Centred on its cut: OTIO's in_offset is the half before the cut, out_offset the half
    after. A dissolve is SMPTE's; other kinds are custom, named by their studio kind."""
    types = otio.schema.TransitionTypes
    half = _time(otio, transition.duration / 2, rate)
    return otio.schema.Transition(
        name=transition.kind,
        transition_type=types.SMPTE_Dissolve if transition.kind == DISSOLVE else types.Custom,
        in_offset=half,
        out_offset=half,
        metadata={STUDIO: stored},
    )


def _clip(otio: Any, clip: Clip, rate: int, name: str, stored: dict[str, Any]) -> Any:
    """The clip's in point and its length on the track; the media it plays is that length
    times its speed (OTIO's LinearTimeWarp), as editors read it. A speed ramp goes over as
    its mean speed (its keys are in the metadata); time a clip is held on its first or last
    frame is in its length and in the metadata, and plays no media."""
    source = otio.opentime.TimeRange(
        _time(otio, clip.source_in, rate), _time(otio, clip.duration, rate)
    )
    item = otio.schema.Clip(
        name=name, media_reference=_reference(otio, clip.media, rate), source_range=source
    )
    speed = clip.source_duration / clip.played  # a ramp's mean speed; held time plays none
    if speed != 1:
        item.effects.append(otio.schema.LinearTimeWarp(time_scalar=float(speed)))
    item.metadata[STUDIO] = {k: v for k, v in stored.items() if k != "media"}
    return item


def _music_track(otio: Any, project: Project, stored: dict[str, Any], rate: int) -> Any:
    """The bed under the whole edit, from its offset into the song."""
    music = project.music
    assert music is not None
    track = otio.schema.Track(
        name="Music", kind=otio.schema.TrackKind.Audio, metadata={STUDIO: {"role": BED}}
    )
    length = project.duration
    source = otio.opentime.TimeRange(_time(otio, music.offset, rate), _time(otio, length, rate))
    item = otio.schema.Clip(
        name=music.media.name,
        source_range=source,
        media_reference=_reference(otio, music.media, rate),
        metadata={STUDIO: {k: v for k, v in stored.items() if k != "media"}},
    )
    track.append(item)
    return track


def _reference(otio: Any, media: MediaRef, rate: int) -> Any:
    if media.generated:  # a plain colour: OTIO's solid colour generator
        return otio.schema.GeneratorReference(
            generator_kind="SolidColor", parameters={"color": media.colour}
        )
    available = otio.opentime.TimeRange(_time(otio, 0, rate), _time(otio, media.duration, rate))
    return otio.schema.ExternalReference(
        target_url=Path(media.path).absolute().as_uri(), available_range=available
    )


def _time(otio: Any, seconds: Fraction | int, rate: int) -> Any:
    return otio.opentime.RationalTime(float(Fraction(seconds) * rate), rate)
