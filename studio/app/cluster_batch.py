"""`studio batch --cluster`: each project made a self-contained export job (its document with
media paths relative to its folder, the folder, the preset, the output) and run on a Dask
cluster (app/cluster.py).

Projects, media and the output folder are paths on storage every worker sees, or URLs
(io/storage.py). On the worker, a project at a URL has its files fetched into the worker's
cache (kept for the next batch); a project at a path must find its files at the same paths
there. The video is rendered into the worker's own temporary folder (fast local disk, and no
other machine's clean-up can touch it), then copied beside its target under a temporary name
and renamed into place; a retry first removes what an earlier attempt of the job left there.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.app.cluster import Attempt, Job, Outcome, run_jobs
from studio.app.export import BatchItem, batch_names, preset_of
from studio.errors import MediaError, ProjectError, StudioError
from studio.io import storage
from studio.io.runner import Task

# A project at a URL is read as if its folder were here, twice, at two made-up folders: the
# files whose paths change with the folder are relative to the project (fetched from beside
# it), the others absolute (on storage every worker sees).
# (They are deep, so that a path climbing out of the project's folder ("../../media/a.mp4")
# still differs between the two.)
URL_ROOTS = tuple(Path(f"/.studio-url-{side}", *["d"] * 32) for side in "ab")


@dataclass(frozen=True)
class ExportSpec:
    """What a worker needs to export one project, and nothing from the client's machine."""

    name: str  # the project as the user gave it
    document: dict[str, Any]  # the project file's content, upgraded to this format
    base: str  # the project's folder (a path or URL): its relative media paths start there
    output: str  # the video's path or URL
    preset: str | None
    threads: int  # ffmpeg threads per export (0: all cores)


def cluster_batch_export(
    address: str,
    projects: Sequence[str],
    out_dir: str,
    preset: str | None = None,
    threads: int = 0,
    task: Task | None = None,
    on_event: Callable[[dict[str, Any]], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> list[BatchItem]:
    """`studio batch --cluster`: each project exported into out_dir (a path or URL) on the
    cluster at `address`, as `batch_export` does on this machine; a project that cannot be
    read here fails with its reason, and the others run."""
    folder = out_dir if storage.is_url(out_dir) else str(Path(out_dir).absolute())
    storage.make_folder(folder)
    outputs = [storage.join(folder, name) for name in batch_names(projects)]
    jobs, refused = _jobs(projects, outputs, preset, threads, on_event)
    ran = iter(run_jobs(address, jobs, task, on_event, on_note) if jobs else [])
    found = [refused[i] if i in refused else next(ran) for i in range(len(projects))]
    return [
        BatchItem(
            o.name, output, o.status, o.error, o.seconds, o.worker or None, o.host or None, o.tries
        )
        for o, output in zip(found, outputs, strict=True)
    ]


def _jobs(
    projects: Sequence[str],
    outputs: list[str],
    preset: str | None,
    threads: int,
    on_event: Callable[[dict[str, Any]], None] | None,
) -> tuple[list[Job], dict[int, Outcome]]:
    """A job for each project that reads here; the outcomes of those that do not."""
    jobs, refused = [], {}
    for index, (project, output) in enumerate(zip(projects, outputs, strict=True)):
        try:
            spec = export_spec(project, output, preset, threads)
        except StudioError as error:
            refused[index] = Outcome(str(project), "failed", error.message)
            if on_event is not None:
                on_event({"job": index, "name": str(project), "state": "failed", **_why(error)})
            continue
        jobs.append(Job(str(project), run_export, spec, storage.parent(output)))
    return jobs, refused


def _why(error: StudioError) -> dict[str, Any]:
    return {"error": error.message, "seconds": 0.0, "worker": "", "host": ""}


def export_spec(project: str, output: str, preset: str | None, threads: int) -> ExportSpec:
    """A project read here (a path or URL), checked, and made a job for any worker."""
    from studio.io.project_file import upgrade
    from studio.io.project_schema import project_to_dict

    if not storage.is_url(project):
        from studio.io.project_file import load_project

        file = Path(project).absolute()
        document = project_to_dict(load_project(file), file.parent)  # media checked here
        return ExportSpec(project, document, str(file.parent), output, preset, threads)
    try:
        document = json.loads(storage.read_text(project))
    except (UnicodeDecodeError, ValueError) as failed:
        raise ProjectError(f"cannot read it as a project: {failed}", project) from None
    if not isinstance(document, dict):
        raise ProjectError("is not a studio project", project)
    base = storage.parent(project)
    document = upgrade(document, URL_ROOTS[0] / storage.name_of(project))
    missing = [f for f in remote_files(document, base).values() if not storage.exists(f)]
    if missing:
        raise ProjectError(f"missing media: {', '.join(sorted(set(missing)))}", project)
    return ExportSpec(project, document, base, output, preset, threads)


def remote_files(document: dict[str, Any], base: str) -> dict[str, str]:
    """The files of a project at a URL: each as its path reads at URL_ROOTS[0], and where it
    is (a URL beside the project, or an absolute path)."""
    from studio.io.project_schema import project_from_dict

    first, second = (
        list(storage.project_files(project_from_dict(document, root))) for root in URL_ROOTS
    )
    found = {}
    for here, there in zip(first, second, strict=True):
        relative = os.path.relpath(here, URL_ROOTS[0]) if here != there else None
        found[here] = here if relative is None else storage.join(base, Path(relative).as_posix())
    return found


def run_export(spec: ExportSpec, task: Task, attempt: Attempt) -> dict[str, Any]:
    """On a worker: the project made local, exported into a temporary folder here, and put
    in place at its output."""
    from studio.app.render import export
    from studio.settings import hold_ffmpeg_threads

    project = _project_here(spec, task)
    folder = storage.parent(spec.output)
    storage.remove_named(folder, attempt.prefix)  # what an earlier attempt left
    hold_ffmpeg_threads(spec.threads)
    with tempfile.TemporaryDirectory(prefix="studio-job-") as work:
        local = Path(work) / storage.name_of(spec.output)
        result = export(project, local, preset_of(project, spec.preset), task.part(0.05, 0.98))
        task.check()
        storage.publish(local, spec.output, f"{attempt.temporary}.mp4")
    return {"output": spec.output, "frames": result.frames, "duration": float(result.duration)}


def _project_here(spec: ExportSpec, task: Task) -> Any:
    """The project with every file it names on this machine: fetched from its URL into the
    cache, or found at its path on the shared storage."""
    from studio.io.cache import cache_dir
    from studio.io.project_schema import project_from_dict

    if not storage.is_url(spec.base):
        project = project_from_dict(spec.document, Path(spec.base))
        missing = sorted({p for p in storage.project_files(project) if not Path(p).is_file()})
        if missing:
            raise MediaError(
                f"not on this worker's storage: {', '.join(missing)} (every worker must see "
                "the projects' folders at the same paths)"
            )
        return project
    mirror = storage.mirror(spec.base, cache_dir("cluster-media"))
    files = remote_files(spec.document, spec.base)
    local = {}
    for index, (here, there) in enumerate(sorted(files.items())):
        task.check()
        task.report(0.05 * index / max(1, len(files)), "fetching media")
        if storage.is_url(there):
            key = hashlib.sha256(there.encode()).hexdigest()[:12]
            local[here] = str(storage.fetched(there, mirror / key / storage.name_of(there)))
        elif not Path(there).is_file():
            raise MediaError("not on this worker's storage", there)
    return storage.with_files(project_from_dict(spec.document, URL_ROOTS[0]), local)
