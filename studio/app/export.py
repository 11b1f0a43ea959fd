"""Exports as user actions: one project, a made project (saved too), or a batch."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from studio.app.project import check_project_name
from studio.app.render import export
from studio.errors import Cancelled, StudioError
from studio.io.project_file import load_project, save_project
from studio.io.runner import Task, as_task
from studio.io.storage import name_of
from studio.model.limits import check_range
from studio.model.timeline import Project
from studio.render.export import ExportResult
from studio.render.presets import Preset, get_preset


def preset_names() -> list[str]:
    """The export presets, the default (tiktok) first."""
    from studio.render.presets import PRESETS

    return list(PRESETS)


def preset_of(project: Project, preset: str | None = None) -> Preset:
    """The preset named, else the project's own, else tiktok (tiktok60 for 60 fps)."""
    return get_preset(preset or project.preset or None, project.canvas.fps)


def save_and_export(
    project: Project,
    output: str | Path,
    preset: str | None = None,
    save_to: str | Path | None = None,
    task: Task | None = None,
) -> ExportResult:
    """Export a project a command made; also save it as a project file when `save_to` is given."""
    if save_to is not None:
        check_project_name(save_to)
        save_project(project, save_to)
    return export(
        project, output, get_preset(preset or project.preset or None, project.canvas.fps), task
    )


def export_project(
    project_path: str | Path,
    output: str | Path,
    preset: str | None = None,
    task: Task | None = None,
) -> ExportResult:
    project = load_project(project_path)
    return export(
        project, output, get_preset(preset or project.preset or None, project.canvas.fps), task
    )


@dataclass(frozen=True)
class BatchItem:
    project: str
    output: str
    status: str  # "ok" | "failed" | "cancelled"
    error: str | None
    seconds: float
    worker: str | None = None  # on a cluster: the worker that ran it to the end, its host,
    host: str | None = None
    tries: int | None = None  # and how many attempts it took (a worker lost: one more)

    def as_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "project": self.project,
            "output": self.output,
            "status": self.status,
            "error": self.error,
            "seconds": round(self.seconds, 2),
        }
        if self.tries is not None:
            found.update(worker=self.worker, host=self.host, tries=self.tries)
        return found


def batch_export(
    projects: Sequence[str | Path],
    out_dir: str | Path,
    jobs: int = 1,
    preset: str | None = None,
    on_done: Callable[[BatchItem], None] | None = None,
    task: Task | None = None,
) -> list[BatchItem]:
    """Export each project into out_dir, `jobs` at a time; one failure does not stop the rest,
    a cancel stops them all."""
    check_range("batch.jobs", jobs, "jobs")
    task = as_task(task)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    outputs = _batch_outputs(projects, folder)
    count = max(len(projects), 1)

    def one(index: int) -> BatchItem:
        step = task.part(index / count, (index + 1) / count)
        item = _export_one(projects[index], outputs[index], preset, step)
        if on_done:
            on_done(item)
        return item

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, range(len(projects))))


def _batch_outputs(projects: Sequence[str | Path], folder: Path) -> list[Path]:
    return [folder / name for name in batch_names(projects)]


def batch_names(projects: Sequence[str | Path]) -> list[str]:
    """NAME.mp4 for PROJECT NAME.studio.json (a path or URL); repeated names get -2, -3, ..."""
    seen: dict[str, int] = {}
    names = []
    for project in projects:
        stem = name_of(str(project)).removesuffix(".json").removesuffix(".studio")
        seen[stem] = seen.get(stem, 0) + 1
        suffix = f"-{seen[stem]}" if seen[stem] > 1 else ""
        names.append(f"{stem}{suffix}.mp4")
    return names


def _export_one(project: str | Path, output: Path, preset: str | None, task: Task) -> BatchItem:
    start = time.monotonic()
    status, error = "ok", None
    try:
        export_project(project, output, preset, task)
    except Cancelled as cancelled:
        status, error = "cancelled", cancelled.message
    except StudioError as failure:
        status, error = "failed", failure.message
    return BatchItem(str(project), str(output), status, error, time.monotonic() - start)
