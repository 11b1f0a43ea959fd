"""The `.studio.json` document: Project <-> plain dict, with errors naming the field."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from studio.errors import NO_SOUND, StudioError
from studio.io.declared import HOOKS, read, written
from studio.io.fields import Fields, is_number
from studio.model.ducking import Ducking
from studio.model.effects import REGISTRY, Effect, kind_of
from studio.model.keys import Key, Keys
from studio.model.stickers import StickerItem
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
    Marker,
    MusicTrack,
    Project,
    TextOverlay,
    Track,
    Transition,
)
from studio.model.titles import Title

SCHEMA = "studio.project"
VERSION = 21
ITEM_KINDS: dict[str, type] = {
    "clip": Clip,
    "gap": Gap,
    "transition": Transition,
    "title": Title,
    "sticker": StickerItem,
}
T = TypeVar("T")


def project_from_dict(document: dict[str, Any], base: Path, file: Path | None = None) -> Project:
    root = Fields(document, "", file)
    canvas = read(root.child("canvas"), Canvas, base)
    clips = root.get("clips", list)
    music = root.get("music", (dict, type(None)), default=None)
    project = Project(
        canvas=canvas,
        main=root.build(Track, items=_main_items(clips, base, file), **_main_track(root)),
        music=_music(Fields(music, "music", file), base) if music is not None else None,
        markers=_each(root, "markers", Marker, base),
        effects=_each(root, "effects", BeatEffect, base),
        texts=_each(root, "texts", TextOverlay, base),
        attribution=root.get("attribution", str, ""),
        preset=root.get("preset", str, ""),
        captions=_captions(root.child("captions")) if document.get("captions") else None,
        layers=_each(root, "layers", Track, base),
        ducking=read(root.child("ducking"), Ducking, base) if "ducking" in document else Ducking(),
    )
    _check_ids(project, root)
    return project


def _each(f: Fields, key: str, model: type[T], base: Path) -> tuple[T, ...]:
    """The list `key` of `model` objects (empty when missing)."""
    listed = f.get(key, list, default=[])
    return tuple(
        read(Fields(item, f"{key}[{i}]", f.file), model, base) for i, item in enumerate(listed)
    )


def _main_track(root: Fields) -> dict[str, Any]:
    """The main track's own settings: the id of the track it ducks under, whether its sound
    is muted and whether it is locked."""
    if "main" not in root.data:
        return {}
    main = root.child("main")
    return {
        "ducked_by": main.get("ducked_by", str, ""),
        "muted": main.get("muted", bool, False),
        "solo": main.get("solo", bool, False),
        "locked": main.get("locked", bool, False),
    }


def _main_items(listed: list[Any], base: Path, file: Path | None) -> tuple[Item, ...]:
    """The main track's clips, with {"type": "transition", ...} entries between them."""
    items: list[Item] = []
    for index, raw in enumerate(listed):
        f = Fields(raw, f"clips[{index}]", file)
        is_transition = f.get("type", str, "clip") == "transition"
        items.append(read(f, Transition if is_transition else Clip, base))  # type: ignore[arg-type]
    return tuple(items)


def _items(f: Fields, key: str, base: Path) -> tuple[Item, ...]:
    """A layer's items: [{"type": "clip", ...a clip} or {"type": "gap", "id", "duration"} or
    {"type": "transition", ...} or {"type": "title", ...} or {"type": "sticker", ...}]."""
    listed = f.get(key, list, default=[])
    return tuple(
        _item(Fields(raw, f.path(f"{key}[{i}]"), f.file), base) for i, raw in enumerate(listed)
    )


def _item(f: Fields, base: Path) -> Item:
    kind = f.get("type", str)
    if kind not in ITEM_KINDS:
        raise f.error(f.path("type"), f"must be one of {', '.join(ITEM_KINDS)} (got {kind!r})")
    item: Item = read(f, ITEM_KINDS[kind], base)
    return item


def _captions(f: Fields) -> Captions:
    """{"style", "width", "lines", "font", "x", "y", "scale", "words": [[start, end, text]],
    "edits": [[at, start, end, text]]} (font and place since version 17)."""
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
        font=f.get("font", str, ""),
        x=f.get("x", (int, float), 0.5),
        y=f.get("y", (int, float), 0.0),
        scale=f.get("scale", (int, float), 1.0),
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


def _effects(f: Fields, key: str, base: Path) -> tuple[Effect, ...]:
    """[{"effect": name, ...its fields}, ...], in the order they are drawn."""
    effects: list[Effect] = []
    for index, data in enumerate(f.get(key, list, [])):
        item = Fields(data, f"{f.path(key)}[{index}]", f.file)
        name = item.get("effect", str)
        if name not in REGISTRY:
            raise item.error(item.path("effect"), f"must be one of {', '.join(REGISTRY)}")
        effects.append(read(item, REGISTRY[name].model, base))
    return tuple(effects)


def _effects_dict(effects: tuple[Effect, ...], base: Path) -> list[dict[str, Any]]:
    return [{"effect": kind_of(effect).name, **written(effect, base)} for effect in effects]


def _keyed(f: Fields, key: str, base: Path) -> tuple[tuple[str, Keys], ...]:
    """A transform's keys: {property: [[seconds, value, ease], ...]}."""
    keyed = f.get(key, dict)
    return tuple((name, _transform_keys(f, name, rows)) for name, rows in keyed.items())


def _ramp(f: Fields, key: str, base: Path) -> Keys:
    return _transform_keys(f, key, f.get(key, list), f.path(key))


def _fit(f: Fields, key: str, base: Path) -> Fit:
    """{"mode", "focus": [x, y], "pad_color", "keys": [[seconds, focus], ...]}."""
    f = f.child(key)
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


def _fit_dict(fit: Fit, base: Path) -> dict[str, Any]:
    return {
        "mode": fit.mode,
        "focus": [fit.focus_x, fit.focus_y],
        "pad_color": fit.pad_color,
        "keys": [[float(key.time), key.focus] for key in fit.keys],
    }


def _keys(f: Fields) -> tuple[FocusKey, ...]:
    """[[seconds, focus], ...] of a follow crop."""
    keys = []
    for index, pair in enumerate(f.get("keys", list, [])):
        where = f"{f.path('keys')}[{index}]"
        if not isinstance(pair, list) or len(pair) != 2 or not all(is_number(v) for v in pair):
            raise f.error(where, "must be [seconds, focus], two numbers")
        keys.append(f.build(FocusKey, time=Fraction(str(pair[0])), focus=float(pair[1])))
    return tuple(keys)


def _music(f: Fields, base: Path) -> MusicTrack:
    music = read(f, MusicTrack, base)
    if not music.media.has_audio:
        raise f.error(f.path("media"), f"the music file {NO_SOUND}")
    return music


def _grid(f: Fields, key: str, base: Path) -> BeatGrid:
    f = f.child(key)
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
        confidence=float(f.get("confidence", (int, float), -1.0)),
    )


def _time_or_none(f: Fields, key: str) -> Fraction | None:
    """Non-negative seconds (a JSON number, read exactly as written), or null."""
    value = f.data.get(key)
    return None if value is None else _seconds(f, f.path(key), value)


def _times(f: Fields, key: str) -> tuple[Fraction, ...]:
    """A list of non-negative seconds (JSON numbers), read exactly as written."""
    values = f.get(key, list, default=[])
    return tuple(sorted(_seconds(f, f"{f.path(key)}[{i}]", v) for i, v in enumerate(values)))


def _times_in_order(f: Fields, key: str, base: Path) -> tuple[Fraction, ...]:
    """A list of seconds kept in its order (the model checks the order means something)."""
    values = f.get(key, list, default=[])
    return tuple(_seconds(f, f"{f.path(key)}[{i}]", v) for i, v in enumerate(values))


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


def project_to_dict(project: Project, base: Path) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "canvas": written(project.canvas, base),
        "clips": [_item_dict(item, base, typed=False) for item in project.main.items],
        "main": {
            "ducked_by": project.main.ducked_by,
            "muted": project.main.muted,
            "solo": project.main.solo,
            "locked": project.main.locked,
        },
        "music": written(project.music, base) if project.music else None,
        "markers": [written(marker, base) for marker in project.markers],
        "effects": [written(effect, base) for effect in project.effects],
        "texts": [written(text, base) for text in project.texts],
        "attribution": project.attribution,
        "preset": project.preset,
        "captions": _captions_dict(project.captions) if project.captions else None,
        "layers": [written(track, base) for track in project.layers],
        "ducking": written(project.ducking, base),
    }


def _item_dict(item: Item, base: Path, typed: bool = True) -> dict[str, Any]:
    """An item of a track; the main track's clips carry no "type" (as before layers)."""
    kind = next(name for name, model in ITEM_KINDS.items() if isinstance(item, model))
    fields = written(item, base)
    return fields if kind == "clip" and not typed else {"type": kind, **fields}


def _items_dict(items: tuple[Item, ...], base: Path) -> list[dict[str, Any]]:
    return [_item_dict(item, base) for item in items]


def _captions_dict(captions: Captions) -> dict[str, Any]:
    return {
        "style": captions.style,
        "width": captions.width,
        "lines": captions.lines,
        "font": captions.font,
        "x": captions.x,
        "y": captions.y,
        "scale": captions.scale,
        "words": [[w.start, w.end, w.text] for w in captions.words],
        "edits": [[at, w.start, w.end, w.text] for at, w in captions.edits],
    }


def _keys_rows(keys: Keys) -> list[list[Any]]:
    return [[float(k.time), k.value, k.ease] for k in keys.keys]


def duet_as_tracks(document: dict[str, Any], base: Path) -> dict[str, Any]:
    """A document whose "duet" (format 13 and earlier) is made the ordinary tracks a duet is
    now: the original on the main track ("clips"), yours on the layer "yours"."""
    from studio.model.remix import duet_tracks

    root = Fields(document, "", None)
    duet = read(Fields(document["duet"], "duet", None), Duet, base)
    main, layers = duet_tracks(duet, read(root.child("canvas"), Canvas, base))
    upgraded = {key: value for key, value in document.items() if key != "duet"}
    upgraded["clips"] = [_item_dict(item, base, typed=False) for item in main.items]
    upgraded["main"] = {"ducked_by": main.ducked_by}
    upgraded["layers"] = [*document.get("layers", []), *(written(t, base) for t in layers)]
    return upgraded


def _grid_dict(grid: BeatGrid, base: Path) -> dict[str, Any]:
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
        "confidence": grid.confidence,
    }


HOOKS.update(
    {
        "fit": (_fit_dict, _fit),
        "effects": (_effects_dict, _effects),
        "keyed": (lambda keys, base: {name: _keys_rows(k) for name, k in keys}, _keyed),
        "keys": (lambda keys, base: _keys_rows(keys), _ramp),
        "grid": (_grid_dict, _grid),
        "items": (_items_dict, _items),
        "times": (lambda times, base: [float(t) for t in times], _times_in_order),
    }
)
