"""The `.studio.json` document: Project <-> plain dict, with errors naming the field."""

from __future__ import annotations

import os
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from studio.errors import StudioError
from studio.io.declared import read, written
from studio.io.fields import Fields, is_number, relative_path
from studio.model.effects import REGISTRY, Effect, kind_of
from studio.model.keys import Key, Keys
from studio.model.time import format_time
from studio.model.timeline import (
    BeatEffect,
    BeatGrid,
    Canvas,
    Captions,
    CaptionWord,
    Clip,
    Duet,
    Fit,
    FocusKey,
    Gap,
    Item,
    Layout,
    Marker,
    MediaRef,
    MusicTrack,
    Project,
    TextOverlay,
    Track,
    Transition,
)
from studio.model.transform import PROPERTIES, ChromaKey, Mask, Transform

SCHEMA = "studio.project"
VERSION = 13
T = TypeVar("T")


def project_from_dict(document: dict[str, Any], base: Path, file: Path | None = None) -> Project:
    root = Fields(document, "", file)
    canvas = _canvas(root.child("canvas"))
    clips = root.get("clips", list)
    music = root.get("music", (dict, type(None)), default=None)
    markers = root.get("markers", list, default=[])
    effects = root.get("effects", list, default=[])
    duet = root.get("duet", (dict, type(None)), default=None)
    texts = root.get("texts", list, default=[])
    project = Project(
        canvas=canvas,
        main=root.build(Track, items=_main_items(clips, base, file)),
        music=_music(Fields(music, "music", file), base) if music is not None else None,
        markers=tuple(_marker(Fields(m, f"markers[{i}]", file)) for i, m in enumerate(markers)),
        effects=tuple(_effect(Fields(e, f"effects[{i}]", file)) for i, e in enumerate(effects)),
        duet=_duet(Fields(duet, "duet", file), base) if duet is not None else None,
        texts=tuple(_text(Fields(t, f"texts[{i}]", file)) for i, t in enumerate(texts)),
        attribution=root.get("attribution", str, ""),
        preset=root.get("preset", str, ""),
        captions=_captions(root.child("captions")) if document.get("captions") else None,
        layers=_layers(root, base),
    )
    _check_ids(project, root)
    return project


def _main_items(listed: list[Any], base: Path, file: Path | None) -> tuple[Item, ...]:
    """The main track's clips, with {"type": "transition", ...} entries between them."""
    items: list[Item] = []
    for index, raw in enumerate(listed):
        f = Fields(raw, f"clips[{index}]", file)
        is_transition = f.get("type", str, "clip") == "transition"
        items.append(_transition(f) if is_transition else _clip(f, base))
    return tuple(items)


def _transition(f: Fields) -> Transition:
    return f.build(
        Transition,
        kind=f.get("kind", str),
        duration=f.time("duration"),
        ease=f.get("ease", str, "linear"),
        audio=f.get("audio", bool, True),
        id=f.get("id", str),
    )


def _layers(root: Fields, base: Path) -> tuple[Track, ...]:
    """[{"id", "kind", "role", "muted", "gain_db", "items": [{"type": "clip", ...a clip} or
    {"type": "gap", "id", "duration"}]}]: the tracks besides the main one, bottom to top."""
    found = root.get("layers", list, default=[])
    return tuple(
        _track(Fields(track, f"layers[{i}]", root.file), base) for i, track in enumerate(found)
    )


def _track(f: Fields, base: Path) -> Track:
    listed = f.get("items", list, default=[])
    items = [
        _item(Fields(raw, f.path(f"items[{i}]"), f.file), base) for i, raw in enumerate(listed)
    ]
    return f.build(
        Track,
        items=tuple(items),
        kind=f.get("kind", str),
        role=f.get("role", str),
        id=f.get("id", str),
        muted=f.get("muted", bool, False),
        gain_db=float(f.get("gain_db", (int, float), 0.0)),
    )


def _item(f: Fields, base: Path) -> Item:
    kind = f.get("type", str)
    if kind == "clip":
        return _clip(f, base)
    if kind == "gap":
        return f.build(Gap, duration=f.time("duration"), id=f.get("id", str))
    if kind == "transition":
        return _transition(f)
    raise f.error(f.path("type"), f"must be clip, gap or transition (got {kind!r})")


def _captions(f: Fields) -> Captions:
    """{"style", "width", "lines", "words": [[start, end, text]], "edits": [[at, start, end,
    text]]}."""
    words = tuple(
        _caption_word(f, f"words[{i}]", item[0:3]) for i, item in enumerate(_rows(f, "words", 3))
    )
    edits = tuple(
        (float(item[0]), _caption_word(f, f"edits[{i}]", item[1:4]))
        for i, item in enumerate(_rows(f, "edits", 4))
    )
    return f.build(
        Captions,
        words=words,
        edits=edits,
        style=f.get("style", str, "bold"),
        width=f.get("width", int, 28),
        lines=f.get("lines", int, 2),
    )


def _rows(f: Fields, key: str, size: int) -> list[list[Any]]:
    rows: list[list[Any]] = f.get(key, list, [])
    for index, row in enumerate(rows):
        numbers = row[: size - 1] if isinstance(row, list) else []
        if (
            len(row) != size
            or not all(is_number(v) for v in numbers)
            or not isinstance(row[-1], str)
        ):
            raise f.error(f"{f.path(key)}[{index}]", f"must be {size - 1} numbers and a text")
    return rows


def _caption_word(f: Fields, where: str, row: list[Any]) -> CaptionWord:
    try:
        return CaptionWord(float(row[0]), float(row[1]), row[2])
    except StudioError as error:
        raise f.error(f"{f.path(where)}.{error.field}", error.reason) from None


def _check_ids(project: Project, root: Fields) -> None:
    """Every item's id is the project's only one: edits address items by it."""
    seen: set[str] = set()
    for number, track in enumerate(project.tracks):
        where = "clips" if track.role == "main" else f"layers[{number - 1}].items"
        for index, item in enumerate(track.items):
            if item.id in seen:
                raise root.error(f"{where}[{index}].id", f"{item.id!r} is used by another item")
            seen.add(item.id)


def _canvas(f: Fields) -> Canvas:
    return f.build(
        Canvas, width=f.get("width", int), height=f.get("height", int), fps=f.get("fps", int)
    )


def _clip(f: Fields, base: Path) -> Clip:
    return f.build(
        Clip,
        media=_media(f.child("media"), base),
        source_in=f.time("in"),
        source_out=f.time("out"),
        speed=f.time("speed", Fraction(1)),
        fit=_fit(f.child("fit")) if "fit" in f.data else Fit(),
        volume=float(f.get("volume", (int, float), 1.0)),
        fade_in=f.time("fade_in", Fraction(0)),
        fade_out=f.time("fade_out", Fraction(0)),
        id=f.get("id", str),
        effects=_effects(f, base),
        transform=_transform(f.child("transform")) if f.data.get("transform") else None,
        ramp=_transform_keys(f, "ramp", f.get("ramp", list, []), f.path("ramp")),
        ramp_sound=f.get("ramp_sound", str, "pitch"),
    )


def _transform(f: Fields) -> Transform:
    """{"x", "y", "scale", "rotation", "opacity", "crop_left", ... (numbers), "keys": {property:
    [[seconds, value, ease], ...]}, "blend", "mask": {...} or null, "chroma": {...} or null}."""
    default = Transform()
    still = {name: float(f.get(name, (int, float), getattr(default, name))) for name in PROPERTIES}
    keyed = f.get("keys", dict, {})
    keys = tuple((name, _transform_keys(f, name, rows)) for name, rows in keyed.items())
    mask, chroma = f.data.get("mask"), f.data.get("chroma")
    return f.build(
        Transform,
        **still,
        keys=keys,
        blend=f.get("blend", str, default.blend),
        mask=_mask(f.child("mask")) if mask else None,
        chroma=_chroma(f.child("chroma")) if chroma else None,
    )


def _transform_keys(f: Fields, name: str, rows: object, where: str = "") -> Keys:
    where = where or f.path(f"keys.{name}")
    if not isinstance(rows, list):
        raise f.error(where, "must be a list of [seconds, value, ease]")
    keys = []
    for index, row in enumerate(rows):
        shaped = isinstance(row, list) and len(row) == 3 and isinstance(row[2], str)
        if not shaped or not all(is_number(v) for v in row[:2]):
            raise f.error(f"{where}[{index}]", "must be [seconds, value, ease]")
        time, value = Fraction(str(row[0])), float(row[1])
        keys.append(_built(f, f"{where}[{index}]", Key, time, value, row[2]))
    return _built(f, where, Keys, tuple(keys))


def _built(f: Fields, where: str, make: Callable[..., T], *values: Any) -> T:
    try:
        return make(*values)
    except StudioError as error:
        raise f.error(where, error.reason) from None


def _mask(f: Fields) -> Mask:
    default = Mask()
    return f.build(
        Mask,
        shape=f.get("shape", str, default.shape),
        radius=float(f.get("radius", (int, float), default.radius)),
        feather=float(f.get("feather", (int, float), default.feather)),
    )


def _chroma(f: Fields) -> ChromaKey:
    default = ChromaKey()
    return f.build(
        ChromaKey,
        color=f.get("color", str, default.color).lower(),
        similarity=float(f.get("similarity", (int, float), default.similarity)),
        blend=float(f.get("blend", (int, float), default.blend)),
        spill=float(f.get("spill", (int, float), default.spill)),
    )


def _effects(f: Fields, base: Path) -> tuple[Effect, ...]:
    """[{"effect": name, ...its fields}, ...], in the order they are drawn."""
    effects: list[Effect] = []
    for index, data in enumerate(f.get("effects", list, [])):
        item = Fields(data, f"{f.path('effects')}[{index}]", f.file)
        name = item.get("effect", str)
        if name not in REGISTRY:
            raise item.error(item.path("effect"), f"must be one of {', '.join(REGISTRY)}")
        effects.append(read(item, REGISTRY[name].model, base))
    return tuple(effects)


def _duet(f: Fields, base: Path) -> Duet:
    return f.build(
        Duet,
        original=_clip(f.child("original"), base),
        yours=_clip(f.child("yours"), base),
        duration=f.time("duration"),
        layout=_layout(f.child("layout")) if "layout" in f.data else Layout(),
        offset=f.time("offset", Fraction(0)),
        fill=f.get("fill", str, "freeze"),
        audio=f.get("audio", str, "both"),
        original_volume=float(f.get("original_volume", (int, float), 1.0)),
        your_volume=float(f.get("your_volume", (int, float), 1.0)),
    )


def _layout(f: Fields) -> Layout:
    """Every release since duets wrote each of these; a missing one takes the model's
    default (one place for it)."""
    default = Layout()
    return f.build(
        Layout,
        kind=f.get("kind", str, default.kind),
        fit=f.get("fit", str, default.fit),
        corner=f.get("corner", str, default.corner),
        size=float(f.get("size", (int, float), default.size)),
        radius=float(f.get("radius", (int, float), default.radius)),
        border=f.get("border", str, default.border),
    )


def _text(f: Fields) -> TextOverlay:
    return f.build(
        TextOverlay,
        text=f.get("text", str),
        start=f.time("start"),
        end=f.time("end"),
        place=f.get("place", str, "bottom"),
    )


def _fit(f: Fields) -> Fit:
    focus = f.get("focus", list, [0.5, 0.5])
    if len(focus) != 2 or not all(is_number(v) for v in focus):
        raise f.error(f.path("focus"), "must be [x, y], two numbers")
    return f.build(
        Fit,
        mode=f.get("mode", str, "crop"),
        focus_x=float(focus[0]),
        focus_y=float(focus[1]),
        pad_color=f.get("pad_color", str, "#000000").lower(),
        keys=_keys(f),
    )


def _keys(f: Fields) -> tuple[FocusKey, ...]:
    """[[seconds, focus], ...] of a follow crop."""
    keys = []
    for index, pair in enumerate(f.get("keys", list, [])):
        where = f"{f.path('keys')}[{index}]"
        if not isinstance(pair, list) or len(pair) != 2 or not all(is_number(v) for v in pair):
            raise f.error(where, "must be [seconds, focus], two numbers")
        keys.append(f.build(FocusKey, time=Fraction(str(pair[0])), focus=float(pair[1])))
    return tuple(keys)


def _media(f: Fields, base: Path) -> MediaRef:
    stored = f.get("path", str)
    if not stored:
        raise f.error(f.path("path"), "must not be empty")
    return MediaRef(
        path=stored if Path(stored).is_absolute() else os.path.normpath(base / stored),
        duration=f.time("duration"),
        width=f.get("width", int, 0),
        height=f.get("height", int, 0),
        rotation=f.get("rotation", int, 0),
        sar=f.time("sar", Fraction(1)),
        fps=f.time("fps", Fraction(0)),
        vfr=f.get("vfr", bool, False),
        start_time=f.time("start_time", Fraction(0)),
        has_video=f.get("has_video", bool, True),
        has_audio=f.get("has_audio", bool, False),
        audio_rate=f.get("audio_rate", int, 0),
        audio_channels=f.get("audio_channels", int, 0),
        color_matrix=f.get("color_matrix", str, ""),
        full_range=f.get("full_range", bool, False),
        still=f.get("still", bool, False),
    )


def _music(f: Fields, base: Path) -> MusicTrack:
    music = f.build(
        MusicTrack,
        media=_media(f.child("media"), base),
        offset=f.time("offset", Fraction(0)),
        gain_db=float(f.get("gain_db", (int, float), 0.0)),
        fade_in=f.time("fade_in", Fraction(0)),
        fade_out=f.time("fade_out", Fraction(0)),
        grid=_grid(f.child("grid")) if "grid" in f.data else BeatGrid(),
    )
    if not music.media.has_audio:
        raise f.error(f.path("media"), "the music file has no audio stream")
    return music


def _grid(f: Fields) -> BeatGrid:
    return f.build(
        BeatGrid,
        tempo=float(f.get("tempo", (int, float), 0.0)),
        meter=f.get("meter", int, 4),
        detected=_times(f, "detected"),
        downbeats=_times(f, "downbeats"),
        added=_times(f, "added"),
        removed=_times(f, "removed"),
        intensity=_levels(f, "intensity"),
        bar_start=_time_or_none(f, "bar_start"),
        bar_length=f.get("bar_length", int, 0),
    )


def _time_or_none(f: Fields, key: str) -> Fraction | None:
    """Non-negative seconds (a JSON number, read exactly as written), or null."""
    value = f.data.get(key)
    return None if value is None else _seconds(f, f.path(key), value)


def _times(f: Fields, key: str) -> tuple[Fraction, ...]:
    """A list of non-negative seconds (JSON numbers), read exactly as written."""
    values = f.get(key, list, default=[])
    return tuple(sorted(_seconds(f, f"{f.path(key)}[{i}]", v) for i, v in enumerate(values)))


def _seconds(f: Fields, where: str, value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise f.error(where, "must be a time in seconds (>= 0)")
    return Fraction(str(value))


def _levels(f: Fields, key: str) -> tuple[float, ...]:
    values = f.get(key, list, default=[])
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise f.error(f"{f.path(key)}[{index}]", "must be a number from 0 to 1")
    return tuple(float(value) for value in values)


def _effect(f: Fields) -> BeatEffect:
    return f.build(
        BeatEffect,
        kind=f.get("kind", str),
        on=f.get("on", str, "beats"),
        strength=float(f.get("strength", (int, float), 0.5)),
    )


def _marker(f: Fields) -> Marker:
    return f.build(Marker, time=f.time("time"), name=f.get("name", str, ""))


def project_to_dict(project: Project, base: Path) -> dict[str, Any]:
    canvas = project.canvas
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "canvas": {"width": canvas.width, "height": canvas.height, "fps": canvas.fps},
        "clips": [_item_dict(item, base, typed=False) for item in project.main.items],
        "music": _music_dict(project.music, base) if project.music else None,
        "markers": [{"time": format_time(m.time), "name": m.name} for m in project.markers],
        "effects": [{"kind": e.kind, "on": e.on, "strength": e.strength} for e in project.effects],
        "duet": _duet_dict(project.duet, base) if project.duet else None,
        "texts": [_text_dict(t) for t in project.texts],
        "attribution": project.attribution,
        "preset": project.preset,
        "captions": _captions_dict(project.captions) if project.captions else None,
        "layers": [_track_dict(track, base) for track in project.layers],
    }


def _track_dict(track: Track, base: Path) -> dict[str, Any]:
    return {
        "id": track.id,
        "kind": track.kind,
        "role": track.role,
        "muted": track.muted,
        "gain_db": track.gain_db,
        "items": [_item_dict(item, base) for item in track.items],
    }


def _item_dict(item: Item, base: Path, typed: bool = True) -> dict[str, Any]:
    """An item of a track; the main track's clips carry no "type" (as before layers)."""
    if isinstance(item, Gap):
        return {"type": "gap", "id": item.id, "duration": format_time(item.duration)}
    if isinstance(item, Transition):
        return {
            "type": "transition",
            "id": item.id,
            "kind": item.kind,
            "duration": format_time(item.duration),
            "ease": item.ease,
            "audio": item.audio,
        }
    return {"type": "clip", **_clip_dict(item, base)} if typed else _clip_dict(item, base)


def _captions_dict(captions: Captions) -> dict[str, Any]:
    return {
        "style": captions.style,
        "width": captions.width,
        "lines": captions.lines,
        "words": [[w.start, w.end, w.text] for w in captions.words],
        "edits": [[at, w.start, w.end, w.text] for at, w in captions.edits],
    }


def _duet_dict(duet: Duet, base: Path) -> dict[str, Any]:
    layout = duet.layout
    return {
        "original": _clip_dict(duet.original, base),
        "yours": _clip_dict(duet.yours, base),
        "duration": format_time(duet.duration),
        "layout": {
            "kind": layout.kind,
            "fit": layout.fit,
            "corner": layout.corner,
            "size": layout.size,
            "radius": layout.radius,
            "border": layout.border,
        },
        "offset": format_time(duet.offset),
        "fill": duet.fill,
        "audio": duet.audio,
        "original_volume": duet.original_volume,
        "your_volume": duet.your_volume,
    }


def _text_dict(text: TextOverlay) -> dict[str, Any]:
    start, end = format_time(text.start), format_time(text.end)
    return {"text": text.text, "start": start, "end": end, "place": text.place}


def _clip_dict(clip: Clip, base: Path) -> dict[str, Any]:
    fit = clip.fit
    return {
        "media": _media_dict(clip.media, base),
        "in": format_time(clip.source_in),
        "out": format_time(clip.source_out),
        "speed": format_time(clip.speed),
        "volume": clip.volume,
        "fit": {
            "mode": fit.mode,
            "focus": [fit.focus_x, fit.focus_y],
            "pad_color": fit.pad_color,
            "keys": [[float(key.time), key.focus] for key in fit.keys],
        },
        "fade_in": format_time(clip.fade_in),
        "fade_out": format_time(clip.fade_out),
        "id": clip.id,
        "effects": [
            {"effect": kind_of(effect).name, **written(effect, base)} for effect in clip.effects
        ],
        "transform": _transform_dict(clip.transform) if clip.transform else None,
        "ramp": _keys_rows(clip.ramp),
        "ramp_sound": clip.ramp_sound,
    }


def _keys_rows(keys: Keys) -> list[list[Any]]:
    return [[float(k.time), k.value, k.ease] for k in keys.keys]


def _transform_dict(transform: Transform) -> dict[str, Any]:
    mask, chroma = transform.mask, transform.chroma
    return {
        **{name: getattr(transform, name) for name in PROPERTIES},
        "keys": {name: _keys_rows(keys) for name, keys in transform.keys},
        "blend": transform.blend,
        "mask": {"shape": mask.shape, "radius": mask.radius, "feather": mask.feather}
        if mask
        else None,
        "chroma": {
            "color": chroma.color,
            "similarity": chroma.similarity,
            "blend": chroma.blend,
            "spill": chroma.spill,
        }
        if chroma
        else None,
    }


def _music_dict(music: MusicTrack, base: Path) -> dict[str, Any]:
    return {
        "media": _media_dict(music.media, base),
        "offset": format_time(music.offset),
        "gain_db": music.gain_db,
        "fade_in": format_time(music.fade_in),
        "fade_out": format_time(music.fade_out),
        "grid": _grid_dict(music.grid),
    }


def _grid_dict(grid: BeatGrid) -> dict[str, Any]:
    """Beat times as JSON numbers; the model keeps them to 0.1 ms, so they read back exactly."""
    lists = {
        key: [float(t) for t in getattr(grid, key)]
        for key in ("detected", "downbeats", "added", "removed")
    }
    bar_start = None if grid.bar_start is None else float(grid.bar_start)
    return {
        "tempo": grid.tempo,
        "meter": grid.meter,
        **lists,
        "intensity": list(grid.intensity),
        "bar_start": bar_start,
        "bar_length": grid.bar_length,
    }


def _media_dict(media: MediaRef, base: Path) -> dict[str, Any]:
    return {
        "path": relative_path(media.path, base),
        "duration": format_time(media.duration),
        "width": media.width,
        "height": media.height,
        "rotation": media.rotation,
        "sar": format_time(media.sar),
        "fps": format_time(media.fps),
        "vfr": media.vfr,
        "start_time": format_time(media.start_time),
        "has_video": media.has_video,
        "has_audio": media.has_audio,
        "audio_rate": media.audio_rate,
        "audio_channels": media.audio_channels,
        "color_matrix": media.color_matrix,
        "full_range": media.full_range,
        "still": media.still,
    }
