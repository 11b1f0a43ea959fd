"""Reading an OpenTimelineIO timeline (.otio) into a project, from studio or another editor.

The timeline's shape decides where things go: its first video track is the main track, other
video tracks are overlays, audio tracks are voice, effects or music tracks (as studio's
metadata says, else by their name), and the track studio wrote as the music bed is the bed.
Clips keep their in point, their length on the track and their speed (LinearTimeWarp); gaps and
transitions keep their lengths. What studio wrote into `metadata["studio"]` fills in the rest,
and an exact time stored there is taken where it agrees with the timeline's (where it does not,
the item was changed in another editor, and the timeline wins). The document built is read by
the project codec, so every value is checked as a project file's is, and an error names the
OTIO track and item. The media files are probed last: the project holds their own facts.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import count
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from studio.errors import NO_SOUND, ProjectError
from studio.interchange.otio import BED, DISSOLVE
from studio.interchange.otio_values import (
    between_clips,
    canvas_of,
    exact,
    fraction,
    item_label,
    linked_key,
    main_track,
    placed_markers,
    placeholder,
    seconds,
    sound_role,
    studio_data,
    timing,
)
from studio.io.probe import probe
from studio.io.project_file import upgrade
from studio.io.project_schema import SCHEMA, VERSION, project_from_dict
from studio.io.runner import Task
from studio.model.clip import colour_media
from studio.model.stored import GENERATED
from studio.model.time import format_time
from studio.model.timeline import Clip, MediaRef, Project, Track, new_id
from studio.model.tracks import ROLE_KINDS, TRANSITIONS


@dataclass(frozen=True)
class Reading:
    """A project read from a timeline, and one line for each thing that could not come over
    as it was (a transition studio has no kind for, an effect left out)."""

    project: Project
    warnings: tuple[str, ...] = ()


def read_otio(path: str | Path, task: Task | None = None) -> Reading:
    """The project an .otio file holds, its media probed; ProjectError names the track and
    item at fault, MediaError a media file that is missing or unreadable."""
    import opentimelineio as otio

    file = Path(path)
    reader = _Reader(otio, file)
    project = reader.project(_timeline(otio, file))
    return Reading(_probed(project, {}, task), tuple(reader.warnings))


def _timeline(otio: Any, file: Path) -> Any:
    if not file.is_file():
        raise ProjectError("is a folder, not a timeline" if file.is_dir() else "not found", file)
    try:
        found = otio.adapters.read_from_file(str(file), adapter_name="otio_json")
    except (ValueError, KeyError, TypeError, otio.exceptions.OTIOError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ProjectError(f"not an OpenTimelineIO file ({reason})", file) from None
    if not isinstance(found, otio.schema.Timeline):
        raise ProjectError(f"holds a {type(found).__name__}, not a timeline", file)
    return found


class _Reader:
    """One timeline read into a project document: the warnings met, and for each place in the
    document the OTIO item it came from (to name it in errors)."""

    def __init__(self, otio: Any, file: Path) -> None:
        self.otio, self.file, self.base = otio, file, file.absolute().parent
        self.warnings: list[str] = []
        self.names: dict[str, str] = {}
        self.ids: set[str] = set()
        self.track_ids: set[str] = {"main"}
        self.linked: set[tuple[str, int, int, int]] = set()
        self.ours = False

    def data(self, thing: Any) -> dict[str, Any]:
        """What studio stored on an item of its own timeline (an older studio's or another
        program's metadata is not read as this studio's)."""
        return studio_data(thing) if self.ours else {}

    def refuse(self, where: str, reason: str) -> NoReturn:
        raise ProjectError(reason, self.file, field=where)

    def warn(self, where: str, text: str) -> None:
        self.warnings.append(f"{self.file.name}: {where}: {text}")

    def project(self, timeline: Any) -> Project:
        try:
            document = self.document(timeline)
        except (ValueError, ZeroDivisionError, OverflowError):
            raise ProjectError("holds a time that is not a finite number", self.file) from None
        try:
            return project_from_dict(upgrade(document, self.file), self.base, self.file)
        except ProjectError as error:
            raise self.renamed(error) from None
        except OverflowError:
            raise ProjectError("holds a number too large to use", self.file) from None

    def renamed(self, error: ProjectError) -> ProjectError:
        """The codec's error with its place in the document said as the OTIO item's."""
        field = error.field or ""
        for place in sorted(self.names, key=len, reverse=True):
            if field == place or field.startswith(place + "."):
                rest = field[len(place) + 1 :]
                where = self.names[place] + (f", {rest}" if rest else "")
                return ProjectError(error.reason, self.file, field=where)
        return error

    def document(self, timeline: Any) -> dict[str, Any]:
        stored = studio_data(timeline)
        self.ours = stored.get("schema") == SCHEMA
        if not self.ours:
            stored = {"schema": SCHEMA, "version": VERSION, "canvas": canvas_of(timeline)}
        tracks = self.tracks(timeline)
        shown = [track for _, track in tracks]
        markers = self.markers(list(timeline.tracks.markers), shown)
        return {**stored, **self.parts(tracks), "markers": markers}

    def tracks(self, timeline: Any) -> list[tuple[str, Any]]:
        """The tracks to read with their labels."""
        found = []
        for number, track in enumerate(timeline.tracks, 1):
            label = f"track {track.name!r}" if track.name else f"track {number}"
            if not isinstance(track, self.otio.schema.Track):
                self.refuse(label, "a nested stack cannot be imported: flatten it first")
            found.append((label, track))
        return found

    def parts(self, tracks: list[tuple[str, Any]]) -> dict[str, Any]:
        main = main_track(self.otio, [track for _, track in tracks])
        if main is None:
            self.refuse("tracks", "the timeline has no video track")
        clips = self.main_items(*tracks[main])
        music, layers = None, list[dict[str, Any]]()
        for index, (label, track) in enumerate(tracks):
            if index == main:
                continue
            if self.data(track).get("role") == BED and music is None:
                music = self.bed(label, track)
            elif (layer := self.layer(label, track, len(layers))) is not None:
                layers.append(layer)
        return {"clips": clips, "music": music, "layers": layers}

    def main_items(self, label: str, track: Any) -> list[dict[str, Any]]:
        items, entries = list(track), list[dict[str, Any]]()
        for index, item in enumerate(items):
            where = item_label(label, item, index)
            if isinstance(item, self.otio.schema.Gap):
                self.refuse(where, "studio's main track plays its clips back to back: close the "
                            "gap, or move the clips after it to another track")  # fmt: skip
            if isinstance(item, self.otio.schema.Transition):
                if not between_clips(self.otio, items, index):
                    self.warn(where, "left out: a transition stands between two clips")
                    continue
                entry = self.transition(item, where)
            else:
                entry = self.clip(item, where, overlay=False)
            self.names[f"clips[{len(entries)}]"] = where
            entries.append(entry)
        self.linked = self.sounds(track)
        return entries

    def sounds(self, track: Any) -> set[tuple[str, int, int, int]]:
        """Each main-track clip's file, place and in point: an audio clip of another editor
        that matches one is that clip's own sound, which the main clip plays already."""
        found = set()
        for index, item in enumerate(track):
            if isinstance(item, self.otio.schema.Clip) and (path := self.media_path(item, "")):
                found.add(linked_key(track, index, path))
        return found

    def layer(self, label: str, track: Any, number: int) -> dict[str, Any] | None:
        stored = self.data(track)
        kind = "video" if track.kind == self.otio.schema.TrackKind.Video else "audio"
        role = str(stored.get("role"))
        if role == "main" or ROLE_KINDS.get(role) != kind:
            role = "overlay" if kind == "video" else sound_role(track.name)
        placed = self.layer_items(label, track, kind == "video")
        if not stored and not any(entry["type"] == "clip" for entry, _ in placed):
            return None
        for index, (_, where) in enumerate(placed):
            self.names[f"layers[{number}].items[{index}]"] = where
        self.names[f"layers[{number}]"] = label
        return {
            **stored,
            "id": self.track_id(stored.get("id"), role),
            "kind": kind,
            "role": role,
            "muted": stored.get("muted", not track.enabled),
            "hidden": stored.get("hidden", kind == "video" and not track.enabled),
            "items": [entry for entry, _ in placed],
        }

    def layer_items(self, label: str, track: Any, video: bool) -> list[tuple[dict[str, Any], str]]:
        placed, linked = [], 0
        for index, item in enumerate(track):
            where = item_label(label, item, index)
            if isinstance(item, self.otio.schema.Transition):
                self.warn(where, "left out: studio has transitions on the main track only")
                continue
            if isinstance(item, self.otio.schema.Gap):
                entry = self.gap(seconds(item.duration()), self.data(item))
            elif video and self.data(item).get("type") in ("title", "sticker"):
                entry = dict(self.data(item))
            elif not video and not self.data(item) and self.is_linked(track, index, where):
                linked += 1
                entry = self.gap(seconds(item.duration()), {})
            elif isinstance(item, self.otio.schema.Clip) and not self.media_path(item, where):
                self.warn(where, "left out: it plays no media file")
                entry = self.gap(seconds(item.duration()), {})
            else:
                entry = self.clip(item, where, overlay=video)
            if entry is not None:
                placed.append((entry, where))
        if linked:
            self.warn(label, f"{linked} clip(s) left out: each is the sound of a main-track clip")
        return placed

    def is_linked(self, track: Any, index: int, where: str) -> bool:
        item = track[index]
        path = self.media_path(item, where) if isinstance(item, self.otio.schema.Clip) else None
        return bool(path) and linked_key(track, index, str(path)) in self.linked

    def gap(self, length: Fraction, stored: dict[str, Any]) -> dict[str, Any] | None:
        if length <= 0:
            return None
        duration = exact(length, stored.get("duration"))
        return {**stored, "type": "gap", "duration": format_time(duration), "id": self.id(stored)}

    def clip(self, item: Any, where: str, overlay: bool) -> dict[str, Any]:
        if not isinstance(item, self.otio.schema.Clip):
            self.refuse(where, f"a {type(item).__name__} cannot be imported: flatten it first")
        path = self.file_of(item, where)
        stored = self.data(item)
        start, length = self.source(item, where)
        source_in, source_out, speed = timing(start, length, self.speed(item, where), stored)
        entry = {
            **stored,
            "type": "clip",
            "media": placeholder(path),
            "in": format_time(source_in),
            "out": format_time(source_out),
            "speed": format_time(speed),
            "id": self.id(stored),
        }
        if overlay and not entry.get("transform"):
            entry["transform"] = {"scale": 1.0}  # the picture across the canvas's width
        return entry

    def source(self, item: Any, where: str) -> tuple[Fraction, Fraction]:
        """The clip's in point in its file and its length on the track."""
        try:
            trimmed = item.trimmed_range()
        except self.otio.exceptions.OTIOError:
            self.refuse(where, "has no source range")
        available = item.media_reference.available_range
        first = seconds(available.start_time) if available is not None else Fraction(0)
        return seconds(trimmed.start_time) - first, seconds(trimmed.duration)

    def speed(self, item: Any, where: str) -> Fraction:
        """The product of the clip's linear time warps; other time effects are refused, and
        picture effects (which studio has no names for) left out."""
        schema, scalar = self.otio.schema, Fraction(1)
        for effect in item.effects:
            name = effect.effect_name or type(effect).__name__
            if isinstance(effect, schema.FreezeFrame):
                self.refuse(f"{where}, effects", "a freeze frame cannot be imported")
            if isinstance(effect, schema.LinearTimeWarp):
                scalar *= fraction(effect.time_scalar)
            elif isinstance(effect, schema.TimeEffect):
                self.refuse(f"{where}, effects", f"the time effect {name!r} cannot be imported")
            else:
                self.warn(where, f"effect {name!r} left out: studio has no such effect")
        if scalar <= 0:
            self.refuse(f"{where}, speed", f"{float(scalar):g}: studio plays clips forwards only")
        return scalar

    def transition(self, item: Any, where: str) -> dict[str, Any]:
        stored = self.data(item)
        before, after = seconds(item.in_offset), seconds(item.out_offset)
        if abs(before - after) > Fraction(1, 100):
            self.warn(where, "centred on its cut, as studio's transitions are")
        duration = exact(before + after, stored.get("duration"))
        return {
            **stored,
            "type": "transition",
            "kind": stored.get("kind") or self.kind(item, where),
            "duration": format_time(duration),
            "id": self.id(stored),
        }

    def kind(self, item: Any, where: str) -> str:
        if item.transition_type == self.otio.schema.TransitionTypes.SMPTE_Dissolve:
            return DISSOLVE
        if item.name in TRANSITIONS:
            return str(item.name)
        given = item.transition_type or "no type"
        self.warn(where, f"{given} is not a studio transition: imported as a dissolve")
        return DISSOLVE

    def bed(self, label: str, track: Any) -> dict[str, Any] | None:
        """The music bed: its first clip, read from its offset into the song."""
        clips = [(i, c) for i, c in enumerate(track) if isinstance(c, self.otio.schema.Clip)]
        if not clips:
            return None
        index, item = clips[0]
        where = item_label(label, item, index)
        path = self.file_of(item, where)
        stored, (start, _) = self.data(item), self.source(item, where)
        self.names["music"] = where
        offset = format_time(exact(start, stored.get("offset")))
        return {**stored, "media": placeholder(path), "offset": offset}

    def markers(self, stack: list[Any], tracks: list[Any]) -> list[dict[str, Any]]:
        entries = []
        for index, (marker, shift) in enumerate(placed_markers(self.otio, stack, tracks)):
            stored = self.data(marker)
            time = exact(seconds(marker.marked_range.start_time) + shift, stored.get("time"))
            self.names[f"markers[{index}]"] = f"marker {marker.name or index + 1!r}"
            entries.append({**stored, "time": format_time(time), "name": str(marker.name)})
        return entries

    def file_of(self, item: Any, where: str) -> str:
        path = self.media_path(item, where)
        return path if path is not None else self.refuse(where, "plays no media file")

    def media_path(self, item: Any, where: str) -> str | None:
        """The local file an external reference names (relative to the .otio's folder)."""
        reference = item.media_reference
        if isinstance(reference, self.otio.schema.GeneratorReference):
            return solid_colour(reference)
        if not isinstance(reference, self.otio.schema.ExternalReference):
            return None
        url = str(reference.target_url or "")
        scheme = urlsplit(url).scheme
        if scheme == "file":
            url = self.otio.url_utils.filepath_from_url(url)
        elif len(scheme) > 1 or not url:  # one letter: a Windows drive
            self.refuse(where, f"its media is not a local file ({url or 'no address'})")
        return os.path.normpath(self.base / url)

    def id(self, stored: dict[str, Any]) -> str:
        """The stored id, unless another item has it (an item copied in another editor)."""
        given = stored.get("id")
        chosen = given if isinstance(given, str) and given and given not in self.ids else new_id()
        self.ids.add(chosen)
        return chosen

    def track_id(self, given: object, role: str) -> str:
        free = (f"{role}-{n}" for n in count(1) if f"{role}-{n}" not in self.track_ids)
        taken = not isinstance(given, str) or not given or given in self.track_ids
        chosen = next(free) if taken else str(given)
        self.track_ids.add(chosen)
        return chosen


def solid_colour(reference: Any) -> str | None:
    """A solid-colour generator's colour as studio's source ("color:#rrggbb"), or None."""
    if reference.generator_kind != "SolidColor":
        return None
    value = str(dict(reference.parameters).get("color", ""))
    return GENERATED + value.lower() if re.fullmatch(r"#[0-9a-fA-F]{6}", value) else None


def _probed(project: Project, found: dict[str, MediaRef], task: Task | None) -> Project:
    """The project with the facts of every media file, each probed once."""

    def media(old: MediaRef) -> MediaRef:
        if old.path not in found:
            generated = old.path.startswith(GENERATED)
            found[old.path] = (
                colour_media(old.path[len(GENERATED) :]) if generated else probe(old.path, task)
            )
        return found[old.path]

    def track(old: Track) -> Track:
        items = (replace(i, media=media(i.media)) if isinstance(i, Clip) else i for i in old.items)
        return replace(old, items=tuple(items))

    music = project.music
    if music is not None:
        music = replace(music, media=media(music.media))
        if not music.media.has_audio:
            raise ProjectError(NO_SOUND, music.media.path)
    layers = tuple(track(layer) for layer in project.layers)
    return replace(project, main=track(project.main), layers=layers, music=music)
