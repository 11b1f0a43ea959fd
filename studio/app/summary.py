"""What the start window shows of a saved project: its length, shape and a frame of the edit.

A project that cannot be read, or whose media moved, still gets a summary: the reason takes
the picture's place, so the list never breaks on one bad file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.app.relink import missing_media
from studio.errors import Cancelled, StudioError
from studio.io.project_file import load_project
from studio.io.runner import Task, as_task
from studio.model.shapes import framed
from studio.model.time import frame_time, nearest_frame
from studio.model.timeline import Project

COVER = (72, 128)  # the cover's box, for a 9:16 frame; a canvas of another shape fits inside


@dataclass(frozen=True)
class ProjectSummary:
    path: str
    seconds: float | None  # the edit's length; None when the file could not be read
    width: int  # the canvas
    height: int
    cover: bytes  # PNG of a frame a third of the way in; b"" when none could be made
    problem: str  # why something is missing, "" when nothing is


def project_summary(
    path: str | Path, box: tuple[int, int] = COVER, task: Task | None = None
) -> ProjectSummary:
    """Read the project at `path` and render its cover inside `box` (at the canvas's shape).
    Failures become the summary's `problem`; only a cancel is raised."""
    task = as_task(task)
    task.check()  # the start window closed while this waited its turn
    try:
        project = load_project(path, check_media=False)
    except Cancelled:
        raise
    except StudioError as error:
        return ProjectSummary(str(path), None, 0, 0, b"", error.reason)
    cover, problem = _cover(project, box, task)
    missing = missing_media(project)
    if missing:
        problem = _missing(missing)  # the cause, whatever the render said
    canvas = project.canvas
    return ProjectSummary(
        str(path), float(project.duration), canvas.width, canvas.height, cover, problem
    )


def _cover(project: Project, box: tuple[int, int], task: Task) -> tuple[bytes, str]:
    """The frame a third of the way in, as the export draws it from the original media (no
    proxy is made, no analysis runs: what is made already shows)."""
    from studio.analysis.masks import made_masks
    from studio.analysis.reframe import made_followed
    from studio.render.frame import render_frame

    if not project.main.clips:
        return b"", ""  # nothing to show yet, and nothing wrong
    canvas = project.canvas
    fps = canvas.fps
    frame = min(nearest_frame(project.duration / 3, fps), nearest_frame(project.duration, fps) - 1)
    at = frame_time(max(frame, 0), fps)
    size = framed(canvas.width, canvas.height, box)
    try:
        masks = made_masks(project, fps)
        png = render_frame(made_followed(project), at, size, None, False, task, masks)
    except Cancelled:
        raise
    except StudioError as error:
        return b"", error.reason
    return png, ""


def _missing(paths: list[str]) -> str:
    names = ", ".join(Path(path).name for path in paths[:3])
    more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
    return f"media missing: {names}{more}"
