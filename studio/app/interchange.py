"""Other editors' timelines as user actions: import an .otio file as a project."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.app.project import check_project_name
from studio.errors import ProjectError
from studio.io.project_file import save_project
from studio.io.runner import Task


@dataclass(frozen=True)
class Imported:
    """The project file written, and what could not come over as it was."""

    path: Path
    warnings: tuple[str, ...] = ()


def import_otio(
    source: str | Path, target: str | Path, force: bool = False, task: Task | None = None
) -> Imported:
    """Read an OpenTimelineIO timeline (from studio or another editor) and save it as a
    project; an existing project is replaced only with `force`."""
    from studio.interchange.otio_read import read_otio

    check_project_name(target)
    if Path(target).exists() and not force:
        raise ProjectError("already exists (give --force to replace it)", target)
    reading = read_otio(source, task)
    return Imported(save_project(reading.project, target), reading.warnings)
