"""What a project holds, track by track: `studio tracks` and the scripts that read it.

Each track is listed bottom to top with its items, each item with its id, kind, start and end
on the timeline (seconds) and, for a clip, its source and what is applied to it. The music bed
and the two sides of a duet are listed as the tracks they are (ids "music", "original",
"yours"), ahead of their move into the track model itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.io.project_file import load_project
from studio.model.effects import named
from studio.model.stickers import StickerItem
from studio.model.timeline import Clip, Item, Project, Track, Transition
from studio.model.titles import Title
from studio.model.transform import PROPERTIES, Transform


@dataclass(frozen=True)
class Listed:
    """One track as listed: plain values, ready for JSON."""

    id: str
    kind: str
    role: str
    muted: bool
    gain_db: float
    items: tuple[dict[str, Any], ...]
    hidden: bool = False
    locked: bool = False
    solo: bool = False

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "items": list(self.items)}


def list_tracks(project_path: str | Path) -> list[Listed]:
    """The project's tracks, bottom to top (media need not be at hand)."""
    return tracks_of(load_project(project_path, check_media=False))


def tracks_of(project: Project) -> list[Listed]:
    found = [_listed(track) for track in project.tracks]
    if project.music is not None:
        music = project.music
        item = {"id": "music", "kind": "music", "start": 0.0, "end": float(project.duration)}
        item |= {"source": music.media.path, "in": float(music.offset)}
        found.append(Listed("music", "audio", "music", False, music.gain_db, (item,)))
    return found


def _listed(track: Track) -> Listed:
    items = tuple(_item(item, start, end) for item, start, end in track.ranges())
    return Listed(
        track.id,
        track.kind,
        track.role,
        track.muted,
        track.gain_db,
        items,
        track.hidden,
        track.locked,
        track.solo,
    )


def _item(item: Item, start: Fraction, end: Fraction) -> dict[str, Any]:
    if isinstance(item, Clip):
        return _clip(item, start)
    listed = {"id": item.id, "kind": "gap", "start": float(start), "end": float(end)}
    if isinstance(item, Title):
        style = {"font": item.style.font, "size": item.style.size, "color": item.style.color}
        listed |= {"kind": "title", "text": item.text, **style}
        listed |= {"transform": transform_of(item.transform)}
    if isinstance(item, StickerItem):
        listed |= {"kind": "sticker", "sticker": item.name, "animated": item.animated}
        listed |= {"transform": transform_of(item.transform)}
    if isinstance(item, Transition):
        listed |= {"kind": "transition", "transition": item.kind, "ease": item.ease}
        listed |= {"audio": item.audio}
    return listed


def _clip(clip: Clip, start: Fraction) -> dict[str, Any]:
    return {
        "id": clip.id,
        "kind": "clip",
        "start": float(start),
        "end": float(start + clip.duration),
        "source": clip.media.path,
        "in": float(clip.source_in),
        "out": float(clip.source_out),
        "speed": float(clip.speed),
        "ramp": [[float(key.time), key.value, key.ease] for key in clip.ramp.keys],
        "ramp_sound": clip.ramp_sound,
        "volume": clip.volume,
        "volume_keys": [[float(key.time), key.value, key.ease] for key in clip.volume_keys.keys],
        "fit": clip.fit.mode,
        "effects": effect_names(clip),
        "transform": transform_of(clip.transform),
    }


def transform_of(transform: Transform | None) -> dict[str, Any] | None:
    """A transform's still values, its keys ({property: [[seconds, value, ease], ...]}), blend,
    mask and chroma key colour; None for a clip that fills the canvas."""
    if transform is None:
        return None
    keys = {
        name: [[float(key.time), key.value, key.ease] for key in keys.keys]
        for name, keys in transform.keys
    }
    return {
        **{name: getattr(transform, name) for name in PROPERTIES},
        "keys": keys,
        "blend": transform.blend,
        "mask": transform.mask.shape if transform.mask else None,
        "chroma_key": transform.chroma.color if transform.chroma else None,
    }


def effect_names(clip: Clip) -> list[str]:
    """The clip's effects, in its list's order (the order they are drawn in, per-frame
    effects first)."""
    return [named(effect) for effect in clip.effects]
