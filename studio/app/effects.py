"""AI effects as user actions: one clip with its effects (`studio fx`), and what there is."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from studio.analysis.reframe import followed
from studio.app.export import save_and_export
from studio.errors import MediaError, ProjectError, StudioError
from studio.io.probe import probe
from studio.io.runner import Task, as_task
from studio.model.edits import clip_of
from studio.model.limits import CHOICES, LIMITS, check_choice
from studio.model.stored import BUILT_IN
from studio.model.timeline import (
    ARTISTIC,
    MOVIEPY,
    Background,
    Beauty,
    Canvas,
    Effect,
    FaceBlur,
    Fit,
    FrameEffect,
    Look,
    Project,
    Sticker,
    Track,
)
from studio.render.export import ExportResult
from studio.render.looks import LOOKS

T = TypeVar("T")
PICTURE_ENDINGS = {".png", ".jpg", ".jpeg", ".webp", ".bmp"}


@dataclass(frozen=True)
class FxRequest:
    """One clip and its effects, in the plain values a form or a command line gives."""

    clip: str | Path
    fit: str = "crop"
    background: str | None = None  # "blur", "#RRGGBB", or a picture or video file
    strength: float = 0.6  # background blur
    feather: float = 0.3  # the person's edge
    look: str | None = None  # "NAME" or "NAME:INTENSITY"
    face_blur: str | None = None  # "all" or "others" (all but the largest face)
    beauty: float = 0.0  # skin smoothing 0..1
    sticker: str | None = None  # a picture file, or a built-in sticker's name
    sticker_on: str | None = None  # eyes | forehead | nose | mouth (default: the sticker's own)
    sticker_size: float = 1.0  # times the face's width
    artistic: str | None = None  # "cartoon", "sketch" or "oil", optionally ":AMOUNT"
    moviepy: tuple[str, ...] = ()  # moviepy video effects: "Name" or "Name:key=value,..."
    fps: int = 30


def background_of(spec: str, strength: float = 0.6, feather: float = 0.3) -> Background:
    """ "blur", "#00b140" or a file (a picture by its ending, else a video) as a Background."""
    if spec == "blur":
        return Background("blur", strength=strength, feather=feather)
    if spec.startswith("#"):
        return Background("color", color=spec.lower(), feather=feather)
    path = Path(spec)
    if not path.is_file():
        raise MediaError("background: not blur, a #RRGGBB colour, or a file that exists", spec)
    if path.suffix.lower() in PICTURE_ENDINGS:
        return Background("image", path=str(path.absolute()), feather=feather)
    if not probe(path).has_video:
        raise MediaError("background: has no picture", spec)
    return Background("video", path=str(path.absolute()), feather=feather)


def fx_project(request: FxRequest, task: Task | None = None) -> Project:
    check_choice("fit.mode", request.fit, "fit")
    check_choice("canvas.fps", request.fps, "fps")
    media = probe(request.clip, as_task(task))
    if not media.has_video:
        raise MediaError("has no picture to put effects on", str(request.clip))
    clip = clip_of(media, Fit(request.fit))  # type: ignore[arg-type]
    clip = replace(clip, effects=tuple(_effects(request)))
    return followed(Project(Canvas(fps=request.fps), Track((clip,))), task)


def _effects(request: FxRequest) -> list[Effect]:
    """The request's effects in the order they are drawn."""
    effects: list[Effect] = [artistic_of(request.artistic)] if request.artistic else []
    effects += [moviepy_of(spec) for spec in request.moviepy]
    if request.background:
        effects.append(background_of(request.background, request.strength, request.feather))
    if request.beauty:
        effects.append(Beauty(request.beauty))
    if request.face_blur:
        effects.append(FaceBlur(request.face_blur))  # type: ignore[arg-type]
    if request.sticker:
        effects.append(sticker_of(request.sticker, request.sticker_on, request.sticker_size))
    if request.look:
        effects.append(look_of(request.look))
    return effects


def artistic_of(spec: str) -> FrameEffect:
    """ "oil" or "oil:0.6" as an artistic FrameEffect."""
    return _named(spec, FrameEffect, "artistic", ARTISTIC, "amount")


def moviepy_of(spec: str) -> FrameEffect:
    """ "Painting", "GammaCorrection:gamma=1.5" or 'Margin:{"margin_size": 20}' as a moviepy
    FrameEffect, checked against moviepy's own effect (name and options)."""
    from studio.analysis.slow import check_frame_effect

    name, _, written = spec.partition(":")
    options = _options(written.strip())
    try:
        effect = FrameEffect(MOVIEPY + name, options=tuple(options.items()))
    except StudioError:
        raise ProjectError(f"{name!r} is not an effect's name", field="moviepy") from None
    check_frame_effect(effect)
    return effect


def _options(written: str) -> dict[str, Any]:
    """key=value pairs (values read as JSON where they can be: 1.5, true, [1, 2]) or a JSON
    object."""
    if not written:
        return {}
    if written.startswith("{"):
        try:
            found = json.loads(written)
        except json.JSONDecodeError as error:
            raise ProjectError(f"options are not JSON: {error}", field="moviepy") from None
    else:
        found = {}
        for pair in written.split(","):
            key, equals, value = pair.partition("=")
            if not equals:
                raise ProjectError(f"{pair!r} is not key=value", field="moviepy")
            found[key.strip()] = _value(value.strip())
    return {key: tuple(v) if isinstance(v, list) else v for key, v in found.items()}


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def sticker_names() -> tuple[str, ...]:
    """The built-in stickers (drawn by studio), by name."""
    from studio.analysis.stickers import SHAPES

    return SHAPES


def sticker_name(sticker: Sticker) -> str:
    """ "glasses" for a built-in sticker, else its picture's file name."""

    path = sticker.path
    return path[len(BUILT_IN) :] if path.startswith(BUILT_IN) else Path(path).name


def sticker_of(spec: str, anchor: str | None = None, size: float = 1.0) -> Sticker:
    """A built-in sticker by name ("glasses", "crown") or a picture file, as a Sticker; where
    it sits defaults to the eyes (the forehead for the crown)."""
    from studio.analysis.stickers import SHAPES, picture_path

    if spec in SHAPES:
        path = BUILT_IN + spec
    else:
        file = Path(spec)
        if not file.is_file() or file.suffix.lower() not in PICTURE_ENDINGS:
            names = ", ".join(SHAPES)
            raise MediaError(f"sticker: not a picture file that exists, nor one of {names}", spec)
        path = str(file.absolute())
    picture_path(path)
    where = anchor or ("forehead" if spec == "crown" else "eyes")
    return Sticker(path, where, size)  # type: ignore[arg-type]


def look_of(spec: str) -> Look:
    """ "warm" or "warm:0.5" as a Look."""
    names = tuple(str(name) for name in CHOICES["look.name"].values)
    return _named(spec, Look, "look", names, "intensity")


def _named(spec: str, make: Callable[..., T], field: str, names: Sequence[str], amount: str) -> T:
    """ "NAME" or "NAME:AMOUNT" made into a look or an effect, refused under `field`."""
    name, _, written = spec.partition(":")
    if name not in names:
        raise ProjectError(f"must be one of {', '.join(names)} (got {name!r})", field=field)
    try:
        return make(name, float(written)) if written else make(name)
    except ValueError:
        raise ProjectError(f"{amount} must be a number, not {written!r}", field=field) from None
    except StudioError as error:
        raise ProjectError(f"{amount}: {error.reason}", field=field) from None


def fx(
    request: FxRequest,
    output: str | Path,
    preset: str | None = None,
    save_to: str | Path | None = None,
    task: Task | None = None,
) -> ExportResult:
    """Export one clip with its effects (the person analysis runs first, once, cached)."""
    task = as_task(task)
    project = fx_project(request, task.part(0, 0.3 if request.fit == "follow" else 0.02))
    return save_and_export(project, output, preset, save_to, task.part(0.3, 1))


def effect_list() -> list[tuple[str, str]]:
    """(name, what it does) for every effect and its choices, for `studio effects`."""
    kinds = ", ".join(str(kind) for kind in CHOICES["background.kind"].values)
    strength, feather = LIMITS["background.strength"], LIMITS["background.feather"]
    return [
        (
            "background",
            f"replace what is behind the person ({kinds}): --background blur | #RRGGBB | "
            "PICTURE | VIDEO",
        ),
        ("strength", f"background blur, {strength.low:g} to {strength.high:g} (default 0.6)"),
        ("feather", f"softness of the person's edge, {feather.low:g} to {feather.high:g}"),
        (
            "fit",
            "crop | blur | pad | follow: how the clip fills the 9:16 frame; follow crops "
            "around the subject as it moves (faces, the person, motion; shot cuts found)",
        ),
        ("face-blur", "blur every face (all) or all but the largest, yours (others)"),
        ("beauty", "smooth the skin of faces close to the camera, 0 to 1 (eyes and lips stay)"),
        (
            "sticker",
            "a picture that follows the face, turning as the head tilts: --sticker "
            "PNG | glasses | crown [--sticker-on eyes|forehead|nose|mouth] [--sticker-size S]",
        ),
        ("look", "a colour look: --look NAME or NAME:INTENSITY (0 to 1, default 0.8)"),
        *((f"  {name}", what) for name, (_, what) in LOOKS.items()),
        (
            "artistic",
            "slow render (Python, frame by frame): --artistic cartoon | sketch | oil[:AMOUNT]",
        ),
        (
            "moviepy",
            "slow render: any moviepy video effect, --moviepy NAME[:key=value,...] "
            "(repeatable; e.g. Painting, MirrorX, GammaCorrection:gamma=1.5)",
        ),
    ]
