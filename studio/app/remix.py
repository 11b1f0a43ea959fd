"""Duets and stitches as user actions: probe, sync, build. Saving and exporting is
studio.app.save_and_export."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from studio.app.project import parse_seconds
from studio.errors import StudioError
from studio.io.probe import probe
from studio.io.runner import Task, as_task
from studio.model.limits import check_choice
from studio.model.remix import DuetOptions, StitchOptions, duet_project, stitch_project
from studio.model.timeline import Canvas, Layout, Project

Seconds = str | float | Fraction
REFINE_WINDOW = 0.5  # seconds: how far the sound may move a known offset


@dataclass(frozen=True)
class Remix:
    project: Project
    found_offset: float | None = None  # what auto-sync measured, in seconds


@dataclass(frozen=True)
class DuetRequest:
    """A duet, in the plain values a form or a command line gives."""

    original: str | Path
    yours: str | Path
    layout: str = "side"  # "side" | "stack" | "react"
    fit: str = "crop"
    corner: str = Layout.corner  # react: where your picture goes (the model's default)
    size: float = Layout.size  # react: your picture's width, of the canvas width
    audio: str = "both"  # "both" | "original" | "yours"
    original_volume: float = 1.0
    your_volume: float = 1.0
    offset: Seconds = 0  # your take starts this far into the original
    auto_sync: bool = False  # measure the offset from the two soundtracks instead
    refine: bool = False  # measure it near `offset`, keeping `offset` if the sound disagrees
    length: str = "original"  # "original" | "shorter" | "longer"
    fill: str = "freeze"  # "freeze" | "pad"
    fps: int = 30

    def options(self, offset: Fraction) -> DuetOptions:
        layout = Layout(self.layout, self.fit, self.corner, self.size)  # type: ignore[arg-type]
        return DuetOptions(
            layout,
            self.audio,  # type: ignore[arg-type]
            offset,
            self.length,  # type: ignore[arg-type]
            self.fill,  # type: ignore[arg-type]
            self.original_volume,
            self.your_volume,
        )


@dataclass(frozen=True)
class StitchRequest:
    original: str | Path
    yours: str | Path
    start: Seconds = 0  # in-point in the original
    length: Seconds = 5  # seconds of the original, at most 5
    transition: str = "none"  # "none" | "fade"
    credit: str | None = None  # on-screen text over the original's part; "" for the default
    fps: int = 30

    def options(self) -> StitchOptions:
        return StitchOptions(
            parse_seconds(self.start, "start"),
            parse_seconds(self.length, "length"),
            self.transition,  # type: ignore[arg-type]
            self.credit,
        )


def make_duet(request: DuetRequest, task: Task | None = None) -> Remix:
    """A duet project; with `auto_sync`, the offset is measured from the two soundtracks."""
    task = as_task(task)
    check_choice("canvas.fps", request.fps, "fps")
    options = request.options(parse_seconds(request.offset, "offset"))  # checks before syncing
    found = None
    if request.auto_sync or request.refine:
        found = _measured(request, task)
    if found is not None:
        options = request.options(parse_seconds(found, "offset"))
    original, yours = probe(request.original, task), probe(request.yours, task)
    return Remix(duet_project(original, yours, options, Canvas(fps=request.fps)), found)


def _measured(request: DuetRequest, task: Task) -> float | None:
    """The offset the soundtracks give; refining, only where it is near the known offset (a
    take whose microphone did not hear the original keeps the offset it was given)."""
    from studio.analysis.sync import find_offset

    if request.auto_sync:
        return find_offset(request.original, request.yours, task).offset
    try:
        found = find_offset(request.original, request.yours, task).offset
    except StudioError:
        return None
    known = float(parse_seconds(request.offset, "offset"))
    return found if abs(found - known) <= REFINE_WINDOW else None


def make_stitch(request: StitchRequest, task: Task | None = None) -> Remix:
    check_choice("canvas.fps", request.fps, "fps")
    options = request.options()
    original, yours = probe(request.original, task), probe(request.yours, task)
    return Remix(stitch_project(original, yours, options, Canvas(fps=request.fps)))
