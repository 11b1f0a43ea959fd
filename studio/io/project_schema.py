"""The `.studio.json` document: Project <-> plain dict, with errors naming the field."""

from __future__ import annotations

import os
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.errors import ProjectError
from studio.model.time import format_time, parse_time
from studio.model.timeline import (
    CORNERS,
    DUET_AUDIO,
    EFFECT_KINDS,
    FILL_MODES,
    FIT_MODES,
    LAYOUTS,
    BeatEffect,
    BeatGrid,
    Canvas,
    Clip,
    Duet,
    Fit,
    Layout,
    Marker,
    MediaRef,
    MusicTrack,
    Project,
    TextOverlay,
    Track,
)

SCHEMA = "studio.project"
VERSION = 3
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class Fields:
    """One JSON object being read, with the path to it for error messages."""

    def __init__(self, data: object, where: str, file: Path | None) -> None:
        self.where, self.file = where, file
        if not isinstance(data, dict):
            raise self.error(where or "project", "must be an object")
        self.data: dict[str, Any] = data

    def error(self, where: str, reason: str) -> ProjectError:
        return ProjectError(f"{where}: {reason}", self.file)

    def path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.data:
            if default is ...:
                raise self.error(self.path(key), "missing")
            return default
        value = self.data[key]
        if isinstance(value, bool) and kind is not bool and bool not in _tuple(kind):
            raise self.error(self.path(key), "has the wrong type")
        if not isinstance(value, kind):
            raise self.error(self.path(key), f"must be {_kind_name(kind)}")
        return value

    def time(self, key: str, default: Fraction | None = None) -> Fraction:
        raw = self.get(key, (str, int, float), default=None)
        if raw is None:
            if default is None:
                raise self.error(self.path(key), "missing")
            return default
        try:
            return parse_time(raw)
        except ValueError:
            raise self.error(self.path(key), f"not a time: {raw!r}") from None

    def child(self, key: str) -> Fields:
        return Fields(self.get(key, dict), self.path(key), self.file)


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "a whole number",
        float: "a number",
        dict: "an object",
        list: "a list",
        bool: "true or false",
    }
    return " or ".join(names.get(k, k.__name__) for k in _tuple(kind))


def project_from_dict(document: dict[str, Any], base: Path, file: Path | None = None) -> Project:
    root = Fields(document, "", file)
    canvas = _canvas(root.child("canvas"))
    clips = root.get("clips", list)
    music = root.get("music", (dict, type(None)), default=None)
    markers = root.get("markers", list, default=[])
    effects = root.get("effects", list, default=[])
    duet = root.get("duet", (dict, type(None)), default=None)
    texts = root.get("texts", list, default=[])
    return Project(
        canvas=canvas,
        main=Track(tuple(_clip(Fields(c, f"clips[{i}]", file), base) for i, c in enumerate(clips))),
        music=_music(Fields(music, "music", file), base) if music is not None else None,
        markers=tuple(_marker(Fields(m, f"markers[{i}]", file)) for i, m in enumerate(markers)),
        effects=tuple(_effect(Fields(e, f"effects[{i}]", file)) for i, e in enumerate(effects)),
        duet=_duet(Fields(duet, "duet", file), base) if duet is not None else None,
        texts=tuple(_text(Fields(t, f"texts[{i}]", file)) for i, t in enumerate(texts)),
        attribution=root.get("attribution", str, ""),
    )


def _canvas(f: Fields) -> Canvas:
    canvas = Canvas(f.get("width", int), f.get("height", int), f.get("fps", int))
    if not (16 <= canvas.width <= 8192 and 16 <= canvas.height <= 8192):
        raise f.error(f.path("width"), "canvas sides must be 16 to 8192 pixels")
    if canvas.width % 2 or canvas.height % 2:
        raise f.error(f.path("width"), "canvas sides must be even (H.264 4:2:0)")
    if canvas.fps not in (24, 25, 30, 50, 60):
        raise f.error(f.path("fps"), "must be 24, 25, 30, 50 or 60")
    return canvas


def _clip(f: Fields, base: Path) -> Clip:
    media = _media(f.child("media"), base)
    source_in, source_out = f.time("in"), f.time("out")
    if source_in < 0:
        raise f.error(f.path("in"), "must not be negative")
    if source_out <= source_in:
        raise f.error(f.path("out"), "must be after 'in'")
    speed = f.time("speed", Fraction(1))
    if not Fraction(1, 4) <= speed <= 4:
        raise f.error(f.path("speed"), "must be between 0.25 and 4")
    volume = float(f.get("volume", (int, float), 1.0))
    if not 0 <= volume <= 4:
        raise f.error(f.path("volume"), "must be between 0 and 4")
    fade_in, fade_out = f.time("fade_in", Fraction(0)), f.time("fade_out", Fraction(0))
    if fade_in < 0 or fade_out < 0:
        raise f.error(f.where, "fades must not be negative")
    return Clip(
        media,
        source_in,
        source_out,
        speed,
        _fit(f.child("fit")) if "fit" in f.data else Fit(),
        volume,
        fade_in,
        fade_out,
    )


def _duet(f: Fields, base: Path) -> Duet:
    duet = Duet(
        original=_clip(f.child("original"), base),
        yours=_clip(f.child("yours"), base),
        duration=f.time("duration"),
        layout=_layout(f.child("layout")) if "layout" in f.data else Layout(),
        offset=f.time("offset", Fraction(0)),
        fill=_choice(f, "fill", FILL_MODES, "freeze"),
        audio=_choice(f, "audio", DUET_AUDIO, "both"),
        original_volume=_volume(f, "original_volume"),
        your_volume=_volume(f, "your_volume"),
    )
    if duet.duration <= 0:
        raise f.error(f.path("duration"), "must be more than 0")
    return duet


def _layout(f: Fields) -> Layout:
    layout = Layout(
        kind=_choice(f, "kind", LAYOUTS, "side"),
        fit=_choice(f, "fit", FIT_MODES, "crop"),
        corner=_choice(f, "corner", CORNERS, "bottom-right"),
        size=float(f.get("size", (int, float), 0.4)),
        radius=float(f.get("radius", (int, float), 0.08)),
        border=f.get("border", str, "#ffffff"),
    )
    if not 0.15 <= layout.size <= 0.8:
        raise f.error(f.path("size"), "must be between 0.15 and 0.8 of the canvas width")
    if not 0 <= layout.radius <= 0.5:
        raise f.error(f.path("radius"), "must be between 0 and 0.5")
    if not _COLOR.match(layout.border):
        raise f.error(f.path("border"), "must be a colour like #ffffff")
    return layout


def _text(f: Fields) -> TextOverlay:
    text = TextOverlay(
        f.get("text", str),
        f.time("start"),
        f.time("end"),
        _choice(f, "place", ("top", "bottom"), "bottom"),
    )
    if not text.text.strip() or len(text.text) > 200:
        raise f.error(f.path("text"), "must be 1 to 200 characters")
    if text.start < 0 or text.end <= text.start:
        raise f.error(f.path("end"), "must be after start (and start not negative)")
    return text


def _choice(f: Fields, key: str, allowed: tuple[str, ...], default: str) -> Any:
    value = f.get(key, str, default)
    if value not in allowed:
        raise f.error(f.path(key), f"must be one of {', '.join(allowed)}")
    return value


def _volume(f: Fields, key: str) -> float:
    volume = float(f.get(key, (int, float), 1.0))
    if not 0 <= volume <= 4:
        raise f.error(f.path(key), "must be between 0 and 4")
    return volume


def _fit(f: Fields) -> Fit:
    mode = f.get("mode", str, "crop")
    if mode not in FIT_MODES:
        raise f.error(f.path("mode"), f"must be one of {', '.join(FIT_MODES)}")
    focus = f.get("focus", list, [0.5, 0.5])
    if len(focus) != 2 or not all(_unit(v) for v in focus):
        raise f.error(f.path("focus"), "must be [x, y] with each between 0 and 1")
    color = f.get("pad_color", str, "#000000")
    if not _COLOR.match(color):
        raise f.error(f.path("pad_color"), "must be a colour like #1a2b3c")
    return Fit(mode, float(focus[0]), float(focus[1]), color.lower())


def _unit(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1


def _media(f: Fields, base: Path) -> MediaRef:
    stored = f.get("path", str)
    if not stored:
        raise f.error(f.path("path"), "must not be empty")
    return MediaRef(
        path=str((base / stored).absolute()) if not Path(stored).is_absolute() else stored,
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
    )


def _music(f: Fields, base: Path) -> MusicTrack:
    music = MusicTrack(
        media=_media(f.child("media"), base),
        offset=f.time("offset", Fraction(0)),
        gain_db=float(f.get("gain_db", (int, float), 0.0)),
        fade_in=f.time("fade_in", Fraction(0)),
        fade_out=f.time("fade_out", Fraction(0)),
        grid=_grid(f.child("grid")) if "grid" in f.data else BeatGrid(),
    )
    if music.offset < 0 or music.fade_in < 0 or music.fade_out < 0:
        raise f.error(f.where, "offset and fades must not be negative")
    if not -60 <= music.gain_db <= 20:
        raise f.error(f.path("gain_db"), "must be between -60 and 20 dB")
    if not music.media.has_audio:
        raise f.error(f.path("media"), "the music file has no audio stream")
    return music


def _grid(f: Fields) -> BeatGrid:
    meter = f.get("meter", int, 4)
    if meter not in (2, 3, 4, 5, 6, 7):
        raise f.error(f.path("meter"), "must be a whole number of beats per bar from 2 to 7")
    return BeatGrid(
        tempo=float(f.get("tempo", (int, float), 0.0)),
        meter=meter,
        detected=_times(f, "detected"),
        downbeats=_times(f, "downbeats"),
        added=_times(f, "added"),
        removed=_times(f, "removed"),
        intensity=_levels(f, "intensity"),
    )


def _times(f: Fields, key: str) -> tuple[Fraction, ...]:
    """A list of non-negative seconds (JSON numbers), read exactly as written."""
    values = f.get(key, list, default=[])
    times = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise f.error(f"{f.path(key)}[{index}]", "must be a time in seconds (>= 0)")
        times.append(Fraction(str(value)))
    return tuple(sorted(times))


def _levels(f: Fields, key: str) -> tuple[float, ...]:
    values = f.get(key, list, default=[])
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise f.error(f"{f.path(key)}[{index}]", "must be a number from 0 to 1")
    return tuple(float(value) for value in values)


def _effect(f: Fields) -> BeatEffect:
    kind = f.get("kind", str)
    if kind not in EFFECT_KINDS:
        raise f.error(f.path("kind"), f"must be one of {', '.join(EFFECT_KINDS)}")
    on = f.get("on", str, "beats")
    if on not in ("beats", "downbeats"):
        raise f.error(f.path("on"), "must be beats or downbeats")
    strength = float(f.get("strength", (int, float), 0.5))
    if not 0 <= strength <= 1:
        raise f.error(f.path("strength"), "must be between 0 and 1")
    return BeatEffect(kind, on, strength)


def _marker(f: Fields) -> Marker:
    return Marker(f.time("time"), f.get("name", str, ""))


def project_to_dict(project: Project, base: Path) -> dict[str, Any]:
    canvas = project.canvas
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "canvas": {"width": canvas.width, "height": canvas.height, "fps": canvas.fps},
        "clips": [_clip_dict(clip, base) for clip in project.main.clips],
        "music": _music_dict(project.music, base) if project.music else None,
        "markers": [{"time": format_time(m.time), "name": m.name} for m in project.markers],
        "effects": [{"kind": e.kind, "on": e.on, "strength": e.strength} for e in project.effects],
        "duet": _duet_dict(project.duet, base) if project.duet else None,
        "texts": [_text_dict(t) for t in project.texts],
        "attribution": project.attribution,
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
        "fit": {"mode": fit.mode, "focus": [fit.focus_x, fit.focus_y], "pad_color": fit.pad_color},
        "fade_in": format_time(clip.fade_in),
        "fade_out": format_time(clip.fade_out),
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
    return {"tempo": grid.tempo, "meter": grid.meter, **lists, "intensity": list(grid.intensity)}


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
    }


def relative_path(path: str, base: Path) -> str:
    """`path` relative to the project folder with forward slashes, or absolute across drives."""
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:
        return Path(path).as_posix()
