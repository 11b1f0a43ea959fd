"""The export queue: exports render one after another in the background while editing goes on.

Each entry holds the project snapshot it was given (projects are immutable values), so later
edits never change a queued export. One export runs at a time: the preview and the analyses
share the app's two workers, and two 1080x1920 encodes at once would only each take twice as
long. The queue belongs to the app's Jobs pool, so every export dialog shows the same queue and
closing a dialog does not stop its exports.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.app import Cancelled, ExportResult, Progress, StudioError, Task, save_and_export
from studio.app.export_size import PresetChoice, SizeEstimate, preflight
from studio.gui.jobs import Job, Jobs
from studio.gui.qt import QObject, Signal
from studio.model.timeline import Project

WAITING, EXPORTING, DONE, FAILED, CANCELLED = "waiting", "exporting", "done", "failed", "cancelled"


@dataclass(eq=False)
class QueuedExport:
    """One export of the queue; read and changed on the GUI thread only."""

    project: Project
    target: Path
    choice: PresetChoice
    estimate: SizeEstimate
    state: str = WAITING
    fraction: float = 0.0
    status: str = "waiting for the export before it"
    started: float = 0.0
    size: int = 0  # bytes written, once done
    job: Job | None = field(default=None, repr=False)

    @property
    def frames(self) -> int:
        return round(float(self.project.duration) * self.choice.fps)

    @property
    def open(self) -> bool:
        """Still to finish: waiting or exporting."""
        return self.state in (WAITING, EXPORTING)


def progress_text(progress: Progress, frames: int, elapsed: float) -> str:
    """ "rendering · frame 120 of 480 · 4 s elapsed · 12 s left" """
    frame = int(progress.fraction * frames)
    parts = [progress.message or "exporting", f"frame {frame} of {frames}"]
    parts.append(f"{elapsed:.0f} s elapsed")
    if progress.eta is not None:
        parts.append(f"{progress.eta:.0f} s left")
    return " · ".join(parts)


class ExportQueue(QObject):
    added = Signal(object)  # QueuedExport
    changed = Signal(object)  # QueuedExport: its state, progress or status moved
    finished = Signal(object)  # QueuedExport, done, failed or cancelled

    def __init__(self, jobs: Jobs) -> None:
        super().__init__(jobs)  # lives as long as the pool
        self.jobs = jobs
        self.entries: list[QueuedExport] = []

    def add(
        self, project: Project, target: Path, choice: PresetChoice, estimate: SizeEstimate
    ) -> QueuedExport:
        """Queue an export of this snapshot; it starts when the ones before it are done."""
        entry = QueuedExport(project, self.free_target(target, choice.name), choice, estimate)
        self.entries.append(entry)
        self.added.emit(entry)
        self._start_next()
        return entry

    def free_target(self, target: Path, preset: str) -> Path:
        """`target`, or beside it a name no other open or finished export of the queue uses
        ("trip-reels.mp4", then "trip-reels-2.mp4"), so two queued exports never overwrite
        each other."""
        taken = {e.target for e in self.entries if e.state in (WAITING, EXPORTING, DONE)}
        if target not in taken:
            return target
        for number in range(1, 10_000):
            suffix = f"-{preset}" if number == 1 else f"-{preset}-{number}"
            named = target.with_name(f"{target.stem}{suffix}{target.suffix}")
            if named not in taken:
                return named
        raise StudioError("too many exports to the same file name", target)

    def cancel(self, entry: QueuedExport) -> None:
        """Stop an export (its ffmpeg stops at once, the previous file stays) or drop a
        waiting one."""
        if entry.job is not None:
            entry.job.cancel()
        elif entry.state == WAITING:
            self._end(entry, CANCELLED, "cancelled before it started")

    @property
    def running(self) -> QueuedExport | None:
        return next((e for e in self.entries if e.state == EXPORTING), None)

    def _start_next(self) -> None:
        if self.running is not None:
            return
        entry = next((e for e in self.entries if e.state == WAITING), None)
        if entry is None:
            return
        entry.state, entry.status, entry.started = EXPORTING, "starting", time.monotonic()
        entry.job = self.jobs.run(
            export_checked,
            entry.project,
            str(entry.target),
            entry.choice.name,
            done=lambda result: self._done(entry, result),
            failed=lambda error: self._failed(entry, error),
            progress=lambda progress: self._progress(entry, progress),
        )
        self.changed.emit(entry)

    def _progress(self, entry: QueuedExport, progress: Progress) -> None:
        entry.fraction = progress.fraction
        entry.status = progress_text(progress, entry.frames, time.monotonic() - entry.started)
        self.changed.emit(entry)

    def _done(self, entry: QueuedExport, result: Any) -> None:
        entry.fraction, entry.size = 1.0, Path(result.output).stat().st_size
        seconds = time.monotonic() - entry.started
        took = f"{seconds:.0f} s" if seconds >= 1 else "under a second"
        self._end(entry, DONE, f"saved in {entry.target.parent} · took {took}")

    def _failed(self, entry: QueuedExport, error: StudioError) -> None:
        if isinstance(error, Cancelled):
            self._end(entry, CANCELLED, "cancelled: the previous file is untouched")
        else:
            self._end(entry, FAILED, error.message)

    def _end(self, entry: QueuedExport, state: str, status: str) -> None:
        entry.state, entry.status, entry.job = state, status, None
        self.changed.emit(entry)
        self.finished.emit(entry)
        self._start_next()


def export_checked(
    project: Project, target: str, preset: str, task: Task | None = None
) -> ExportResult:
    """The export, after checking again on the worker what may have changed while it waited
    (a clip moved, the folder went away): the message names the cause."""
    preflight(project, target)
    return save_and_export(project, target, preset, None, task)


def queue_of(jobs: Jobs) -> ExportQueue:
    """The app's one export queue, made on first use and kept with the Jobs pool."""
    found = getattr(jobs, "export_queue", None)
    if isinstance(found, ExportQueue):
        return found
    queue = ExportQueue(jobs)
    jobs.export_queue = queue  # type: ignore[attr-defined]
    return queue
