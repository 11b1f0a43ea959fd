"""Duet and stitch as user actions (part of the facade in studio.app): probe, sync, build.
Saving and exporting is studio.app.save_and_export. Nothing here prints; failures are
StudioError."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from studio.io.probe import probe
from studio.model.remix import DuetOptions, StitchOptions, duet_project, stitch_project
from studio.model.time import parse_time
from studio.model.timeline import Canvas, Project


@dataclass(frozen=True)
class Remix:
    project: Project
    found_offset: float | None = None  # what --auto-sync measured, in seconds


def make_duet(
    original: str | Path,
    yours: str | Path,
    options: DuetOptions,
    auto_sync: bool = False,
    fps: int = 30,
) -> Remix:
    """A duet project; with `auto_sync`, the offset is measured from the two soundtracks."""
    found = None
    if auto_sync:
        from studio.analysis.sync import find_offset

        found = find_offset(original, yours).offset
        options = replace(options, offset=parse_time(found))
    project = duet_project(probe(original), probe(yours), options, Canvas(fps=fps))
    return Remix(project, found)


def make_stitch(
    original: str | Path, yours: str | Path, options: StitchOptions, fps: int = 30
) -> Remix:
    return Remix(stitch_project(probe(original), probe(yours), options, Canvas(fps=fps)))
