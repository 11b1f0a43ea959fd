"""Slow render: effects computed frame by frame in Python, for what the graph cannot do.

A clip with frame effects is decoded through the export's clip chain (so frame k is the clip's
output frame k, as for masks) at its own size (up to 1920 px), each frame goes through the
effects in order, and the result is stored once, cached, as a high-quality H.264 file (CRF 12)
that the export's one graph then reads in place of the clip's picture; every later effect,
the fit and the encode stay in the graph.

Artistic filters (OpenCV): `cartoon` (edge-preserving smoothing, fewer colours, dark outlines),
`sketch` (a pencil drawing: the picture divided by its blurred negative), `oil` (OpenCV's oil
painting), each worked at 540 px and mixed over the frame at the effect's amount.
moviepy effects: any class of `moviepy.video.fx` with its options; the clip's frames are first
written as they are, opened with moviepy, the effects applied (time effects such as TimeMirror
see the whole clip) and the frames read back at the clip's rate (the last frame held when an
effect shortens the clip, frames resized back when it changes their size).
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from studio.analysis.people import (
    analysis_size,
    made_each,
    make_each,
    mask_frames,
    mask_target,
    require_media,
    write_frames,
    write_mask,
)
from studio.errors import AnalysisError, ProjectError, StudioError
from studio.io.cache import temporary_beside
from studio.io.runner import Task, as_task
from studio.model.time import nearest_frame
from studio.model.timeline import MOVIEPY, Clip, FrameEffect, Project, video_clips

SLOW_VERSION = 3  # bump when a filter changes: old cached renders are then not used
LARGEST = 1920  # the rendered picture's longer side at most
ARTISTIC_SIDE = 540  # artistic filters work at this size (the look, at a fraction of the cost)
SPECK = 30  # cartoon: dark specks smaller than this (pixels at 540 px) are noise, not outlines


def slow_clips(project: Project) -> list[tuple[str, Clip]]:
    return [(clip.id, clip) for clip in video_clips(project) if clip.frame_effects]


def slow_renders(project: Project, fps: int, task: Task | None = None) -> dict[str, Path]:
    """The rendered picture of every clip with frame effects, by clip id (made where missing)."""
    return make_each(slow_clips(project), slow_render, fps, task)


def made_slow_renders(project: Project, fps: int) -> dict[str, Path]:
    return made_each(slow_clips(project), _target, fps)


def slow_render(clip: Clip, fps: int, task: Task | None = None) -> Path:
    """The clip's picture with its frame effects, cached (rendered now if missing)."""
    require_media(clip)
    for effect in clip.frame_effects:
        check_frame_effect(effect)
    target = _target(clip, fps)
    if not target.exists():
        task = as_task(task)
        size = render_size(clip)
        if any(effect.name.startswith(MOVIEPY) for effect in clip.frame_effects):
            _render_with_moviepy(clip, fps, target, size, task)
        else:

            def filtered(frames: Iterator[Any]) -> Iterator[Any]:
                return (_artistic_chain(frame, clip.frame_effects) for frame in frames)

            write_mask(clip, fps, target, filtered, size, task, "rendering effects", "rgb24")
    return target


def render_size(clip: Clip) -> tuple[int, int]:
    return analysis_size(clip, min(LARGEST, max(clip.media.width, clip.media.height, 2)))


def _target(clip: Clip, fps: int) -> Path:
    effects = tuple((e.name, e.amount, e.options) for e in clip.frame_effects)
    return mask_target(clip, fps, "slow-render", SLOW_VERSION, repr(effects))


# --- artistic filters ----------------------------------------------------------------------


def _artistic_chain(frame: Any, effects: tuple[FrameEffect, ...]) -> Any:
    for effect in effects:
        frame = artistic(frame, effect.name, effect.amount)
    return frame


def artistic(rgb: Any, name: str, amount: float = 1.0) -> Any:
    """One RGB frame through an artistic filter, mixed over it at `amount`."""
    import cv2

    if amount <= 0:
        return rgb
    height, width = rgb.shape[:2]
    scale = min(1.0, ARTISTIC_SIDE / max(width, height))
    smaller = (round(width * scale), round(height * scale))
    small = cv2.resize(rgb, smaller, interpolation=cv2.INTER_AREA)
    drawn = {"cartoon": _cartoon, "sketch": _sketch, "oil": _oil}[name](small)
    drawn = cv2.resize(drawn, (width, height), interpolation=cv2.INTER_LINEAR)
    if amount >= 1:
        return drawn
    return cv2.addWeighted(drawn, amount, rgb, 1 - amount, 0)


def _cartoon(rgb: Any) -> Any:
    import cv2

    flat = rgb
    for _ in range(2):
        flat = cv2.bilateralFilter(flat, 9, 60, 7)
    flat = (flat // 24) * 24 + 12  # fewer colours
    grey = cv2.medianBlur(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), 7)
    edges = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 9, 5)
    lines = 255 - edges
    _, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    specks = stats[:, cv2.CC_STAT_AREA] < SPECK  # noise, not outlines
    specks[0] = False
    lines[specks[labels]] = 0
    return cv2.bitwise_and(flat, flat, mask=255 - lines)


def _sketch(rgb: Any) -> Any:
    import cv2

    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    negative = cv2.GaussianBlur(255 - grey, (0, 0), 4)
    drawn = cv2.divide(grey, 255 - negative, scale=256)
    return cv2.cvtColor(drawn, cv2.COLOR_GRAY2RGB)


def _oil(rgb: Any) -> Any:
    import cv2

    return cv2.xphoto.oilPainting(rgb, 5, 1, cv2.COLOR_RGB2Lab)


# --- moviepy effects -----------------------------------------------------------------------


def moviepy_effect(effect: FrameEffect) -> Any:
    """The moviepy Effect object a FrameEffect names; ProjectError where there is no such
    video effect or it does not take these options."""
    try:
        from moviepy import Effect
        from moviepy.video import fx
    except Exception as error:
        raise ProjectError(f"moviepy cannot load here: {error}", field="frame_effects") from None
    name = effect.name[len(MOVIEPY) :]
    kind = getattr(fx, name, None)
    if not (inspect.isclass(kind) and issubclass(kind, Effect)):
        known = ", ".join(moviepy_effect_names())
        raise ProjectError(f"moviepy has no video effect {name!r} ({known})", field="name")
    options = {key: list(v) if isinstance(v, tuple) else v for key, v in effect.options}
    try:
        inspect.signature(kind).bind(**options)
    except TypeError as error:
        wanted = str(inspect.signature(kind))
        raise ProjectError(f"{name}{wanted}: {error}", field="options") from None
    return kind(**options)


def moviepy_effect_names() -> list[str]:
    from moviepy import Effect
    from moviepy.video import fx

    return sorted(
        name
        for name in dir(fx)
        if inspect.isclass(getattr(fx, name)) and issubclass(getattr(fx, name), Effect)
    )


def check_frame_effect(effect: FrameEffect) -> None:
    """Refuse a moviepy effect that does not exist or does not take its options."""
    if effect.name.startswith(MOVIEPY):
        moviepy_effect(effect)


def _render_with_moviepy(
    clip: Clip, fps: int, target: Path, size: tuple[int, int], task: Task
) -> None:
    """The clip's frames as they are into a file, opened with moviepy, then every effect in
    order (artistic ones as image transforms) and the frames written at the clip's rate."""
    plain = temporary_beside(target.with_suffix(".plain.mkv"), ".mkv")  # not the target's temp
    try:
        frames = nearest_frame(clip.duration, fps)  # the clip's own frames: no read margin

        def exactly(decoded: Iterator[Any]) -> Iterator[Any]:
            return islice(decoded, frames)

        reading = task.part(0, 0.3)
        write_mask(clip, fps, plain, exactly, size, reading, "reading the clip", "rgb24")
        rendered = _moviepy_frames(plain, clip, fps, size)
        message = "rendering effects"
        write_frames(clip, fps, target, rendered, size, task.part(0.3, 1), message, "rgb24")
    finally:
        plain.unlink(missing_ok=True)


def _moviepy_frames(plain: Path, clip: Clip, fps: int, size: tuple[int, int]) -> Iterator[Any]:
    import cv2
    import numpy as np
    from moviepy import VideoFileClip

    source = VideoFileClip(str(plain), audio=False)
    try:
        moving = _with_effects(source, clip.frame_effects)
        last = max(0.0, (moving.duration or source.duration) - 1 / fps)
        for index in range(mask_frames(clip, fps)):
            try:
                with warnings.catch_warnings():  # a read past the end repeats the last frame
                    warnings.simplefilter("ignore", UserWarning)
                    picture = moving.get_frame(min(index / fps, last))
            except Exception as error:  # the effect's own failure, named
                raise AnalysisError(f"the moviepy effect failed: {_reason(error)}") from None
            yield _as_frame(picture, size, cv2, np)
    finally:
        source.close()


def _with_effects(source: Any, effects: tuple[FrameEffect, ...]) -> Any:
    moving = source
    for effect in effects:
        try:
            if effect.name.startswith(MOVIEPY):
                moving = moving.with_effects([moviepy_effect(effect)])
            else:
                moving = moving.image_transform(_artistic_of(effect))
        except StudioError:
            raise
        except Exception as error:
            name = effect.name[len(MOVIEPY) :]
            raise AnalysisError(f"the moviepy effect {name} failed: {_reason(error)}") from None
    return moving


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}".splitlines()[0][:200]


def _artistic_of(effect: FrameEffect) -> Any:
    return lambda picture: artistic(picture, effect.name, effect.amount)


def _as_frame(picture: Any, size: tuple[int, int], cv2: Any, np: Any) -> Any:
    """A moviepy frame as uint8 RGB at `size` (effects may give floats, grey or other sizes)."""
    frame = np.asarray(picture)
    if frame.dtype != np.uint8:
        frame = np.clip(frame, 0, 255).astype(np.uint8)
    if frame.ndim == 2:
        frame = np.dstack([frame] * 3)
    frame = frame[:, :, :3]
    if (frame.shape[1], frame.shape[0]) != size:
        frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(frame)
