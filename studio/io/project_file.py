"""`.studio.json` project files: versioned, validated, saved atomically.

Loading reads JSON only and builds dataclasses field by field; nothing in a file is ever executed.
Media paths are stored relative to the project file so a project folder can be moved as a whole.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.errors import ProjectError
from studio.io.files import replace_file
from studio.io.project_schema import (
    SCHEMA,
    VERSION,
    duet_as_tracks,
    project_from_dict,
    project_to_dict,
)
from studio.model.timeline import Project, new_id, video_clips

Upgrade = Callable[[dict[str, Any], Path], dict[str, Any]]  # document, project folder

# UPGRADES[n] turns a version-n document into version n+1. Add one whenever VERSION goes up.


def _add_beat_grid(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 2 added the music's beat grid and the beat effects (both empty in older files)."""
    music = document.get("music")
    if isinstance(music, dict):
        document["music"] = {**music, "grid": {}}
    document["effects"] = []
    return document


def _add_remix(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 3 added duets, text overlays, attribution and clip fades (none in older files)."""
    return {**document, "duet": None, "texts": [], "attribution": ""}


def _add_clip_ids(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 4 gave every clip a stable id (the timeline and undo address clips by it)."""
    with_id = _with_new_id
    clips = document.get("clips")
    if isinstance(clips, list):
        document = {**document, "clips": [with_id(clip) for clip in clips]}
    duet = document.get("duet")
    if isinstance(duet, dict):
        sides = {side: with_id(duet.get(side)) for side in ("original", "yours") if side in duet}
        document = {**document, "duet": {**duet, **sides}}
    return document


def _with_new_id(clip: object) -> object:
    return {**clip, "id": new_id()} if isinstance(clip, dict) else clip


def _add_preset(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 5 added the project's export preset ("" chose by frame rate, as before)."""
    return {**document, "preset": ""}


def _add_backgrounds(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 6 added effects per clip: a background, a look, face blur and skin smoothing
    (none in older files)."""
    clips = document.get("clips")
    if isinstance(clips, list):
        document = {**document, "clips": [_no_background(clip) for clip in clips]}
    return document


def _no_background(clip: object) -> object:
    return {**clip, "background": None} if isinstance(clip, dict) else clip


def _add_follow(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 7 added the follow crop's focus keys, face stickers and per-frame effects (none
    in older files: their clips read as before)."""
    clips = document.get("clips")
    if isinstance(clips, list):
        document = {**document, "clips": [_no_stickers(clip) for clip in clips]}
    return document


def _no_stickers(clip: object) -> object:
    return {**clip, "sticker": None, "frame_effects": []} if isinstance(clip, dict) else clip


def _add_captions(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 8 added the captions track (none in older files)."""
    return {**document, "captions": None}


def _add_bar_edits(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 9 added the user's bar edits to the beat grid: where a bar starts and how many
    beats it has (older files have none: their bars read as analysed)."""
    return document


def _add_layers(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 10 added the tracks besides the main one (older files have none)."""
    return {**document, "layers": []}


def _add_transforms(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 11 added transforms, transitions and keyframes (older files have none: every
    clip fills the canvas as before)."""
    return document


def _add_speed_ramps(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 12 added speed ramps (older clips play at one speed, as before)."""
    return document


# The slots of a version-12 clip, in the order they were drawn, and the effects they became.
OLD_SLOTS = (
    ("background", "background"),
    ("beauty", "beauty"),
    ("faces", "face-blur"),
    ("sticker", "sticker"),
    ("look", "look"),
)


def _list_effects(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 13 keeps a clip's effects in one ordered list, each entry naming its kind in
    "effect"; older clips held one slot per kind, drawn in the order the list now takes."""
    upgraded: dict[str, Any] = _each_clip(document, _effects_listed)
    return upgraded


def _effects_listed(clip: dict[str, Any]) -> dict[str, Any]:
    clip = dict(clip)
    old = clip.pop("frame_effects", None)
    effects = [_tagged("frame", e) for e in old] if isinstance(old, list) else []
    for key, name in OLD_SLOTS:
        slot = clip.pop(key, None)
        if slot and key == "beauty":
            slot = {"amount": slot}
        if slot:
            effects.append(_tagged(name, slot))
    clip["effects"] = effects
    return clip


def _tagged(name: str, fields: object) -> object:
    """An old effect's object as a list entry (anything else is left for the loader to name)."""
    return {"effect": name, **fields} if isinstance(fields, dict) else fields


def _each_clip(value: Any, change: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """`value` with `change` made to every clip in it (an object with media, in and out)."""
    if isinstance(value, list):
        return [_each_clip(item, change) for item in value]
    if not isinstance(value, dict):
        return value
    walked = {key: _each_clip(item, change) for key, item in value.items()}
    return change(walked) if {"media", "in", "out"} <= walked.keys() else walked


def _duets_as_tracks(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 14 makes a duet ordinary tracks (the original on the main track, yours on an
    overlay track placed, held and ducked as the duet said); older files held one "duet"."""
    if not isinstance(document.get("duet"), dict):
        return {key: value for key, value in document.items() if key != "duet"}
    return duet_as_tracks(document, folder)


def _hidden_tracks(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 15 tells a track's sound (muted) from its picture (hidden): a muted overlay
    track of an older file was left out whole, so it is hidden too."""
    layers = document.get("layers")
    if not isinstance(layers, list):
        return document
    kept = [
        {**layer, "hidden": True}
        if isinstance(layer, dict) and layer.get("kind") == "video" and layer.get("muted") is True
        else layer
        for layer in layers
    ]
    return {**document, "layers": kept}


def _add_titles(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 16 adds titles (drawn text) to overlay tracks: an older file has none."""
    return document


def _add_stickers(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 17 adds stickers to overlay tracks and animated pictures (GIF, APNG, WebP)
    that clips repeat: an older file has no stickers, and its media are read as they were."""
    return document


def _add_voice_effects(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 18 adds a voice effect to each clip: an older file's have none."""
    return document


def _add_sound_layer(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 19 adds ducking under voices, noise reduction and where a voice speaks to each
    clip: an older file's voices were not looked at, so they duck nothing, as before."""
    return document


def _add_duck_keys(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 20 lets the ducking curve be edited as keys: an older file's curve is the
    automatic one."""
    return document


def _add_beat_confidence(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Version 21 keeps how steady the analysis found the music's beat: an older file's is not
    known, so its music lane says nothing about it, as before."""
    return document


UPGRADES: dict[int, Upgrade] = {
    1: _add_beat_grid,
    2: _add_remix,
    3: _add_clip_ids,
    4: _add_preset,
    5: _add_backgrounds,
    6: _add_follow,
    7: _add_captions,
    8: _add_bar_edits,
    9: _add_layers,
    10: _add_transforms,
    11: _add_speed_ramps,
    12: _list_effects,
    13: _duets_as_tracks,
    14: _hidden_tracks,
    15: _add_titles,
    16: _add_stickers,
    17: _add_voice_effects,
    18: _add_sound_layer,
    19: _add_duck_keys,
    20: _add_beat_confidence,
}


def load_project(path: str | Path, check_media: bool = True) -> Project:
    """Read a project; raise ProjectError naming the field and the reason for any problem."""
    file = Path(path)
    document = _read_json(file)
    document = upgrade(document, file)
    try:
        project = project_from_dict(document, base=file.absolute().parent, file=file)
    except OverflowError:  # a number in a list (a word's time, a focus key) past any float
        raise ProjectError("holds a number too large to use", file) from None
    if check_media:
        _check_media(project, file)
    return project


def save_project(project: Project, path: str | Path) -> Path:
    """Write atomically: temp file, fsync, backup of the previous version, rename into place.

    At every instant the target path holds either the old or the new complete project.
    """
    file = Path(path).absolute()
    text = json.dumps(project_to_dict(project, base=file.parent), indent=2, ensure_ascii=False)
    temp = _write_temp(file, (text + "\n").encode("utf-8"))
    try:
        if file.exists():
            _keep_backup(file)
        replace_file(temp, file)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(file.parent)
    return file


def backup_path(path: str | Path) -> Path:
    file = Path(path)
    return file.with_name(file.name + ".bak")


def upgrade(document: dict[str, Any], file: Path) -> dict[str, Any]:
    """Bring an older document to the current version, one step at a time."""
    version = document.get("version")
    if not isinstance(version, int) or version < 1:
        raise ProjectError("version: missing or not a positive whole number", file)
    if version > VERSION:
        raise ProjectError(
            f"version: the file is version {version}, made by a newer studio (this one reads up "
            f"to {VERSION})",
            file,
        )
    while version < VERSION:
        document = UPGRADES[version](dict(document), file.parent)
        version += 1
        document["version"] = version
    return document


def _read_json(file: Path) -> dict[str, Any]:
    if not file.exists():
        raise ProjectError("project file not found", file)
    if file.is_dir():
        raise ProjectError("is a folder, not a project file", file)
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ProjectError("not a project file (not UTF-8 text)", file) from None
    except json.JSONDecodeError as error:
        raise ProjectError(f"not valid JSON (line {error.lineno}: {error.msg})", file) from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise ProjectError(f"not a studio project (schema is not {SCHEMA!r})", file)
    return document


def _check_media(project: Project, file: Path) -> None:
    paths = [clip.media.path for clip in video_clips(project) if not clip.media.generated]
    if project.music:
        paths.append(project.music.media.path)
    missing = sorted({p for p in paths if not Path(p).is_file()})
    if missing:
        names = ", ".join(missing)
        raise ProjectError(f"missing media: {names}", file)


def _write_temp(file: Path, data: bytes) -> Path:
    """Write `data` to a new temp file beside `file` and fsync it."""
    handle, name = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _keep_backup(file: Path) -> None:
    """Copy the current version to NAME.bak by temp-and-rename, so the backup is never partial."""
    temp = _write_temp(backup_path(file), file.read_bytes())
    try:
        replace_file(temp, backup_path(file))
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
