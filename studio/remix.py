"""Duet and stitch as user actions (part of the facade in studio.app): probe, sync, build,
save, export. Nothing here prints; failures are StudioError."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from studio.errors import ProjectError
from studio.io.probe import probe
from studio.io.project_file import save_project
from studio.model.remix import DuetOptions, StitchOptions, duet_project, stitch_project
from studio.model.time import parse_time
from studio.model.timeline import Canvas, Project
from studio.render.export import ExportResult, export
from studio.render.presets import get_preset
from studio.render.runner import ProgressCallback


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


def save_and_export(
    remix: Remix,
    output: str | Path,
    preset: str | None = None,
    save_to: str | Path | None = None,
    on_progress: ProgressCallback | None = None,
) -> ExportResult:
    if save_to is not None:
        if not str(save_to).endswith(".studio.json"):
            raise ProjectError("project files end in .studio.json", save_to)
        save_project(remix.project, save_to)
    project = remix.project
    return export(project, output, get_preset(preset, project.canvas.fps), on_progress)
