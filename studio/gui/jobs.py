"""Long engine calls off the GUI thread, as Anki's QueryOp/CollectionOp.

`jobs.run(call, *args, done=..., failed=..., progress=...)` runs `call(*args, task=task)` on a
pool thread; progress, the result and any StudioError come back to the GUI thread through
queued signals, so no widget is ever touched from a worker. `Job.cancel()` sets the Task's flag:
the engine stops its ffmpeg within a tenth of a second.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from studio.app import Progress, StudioError, Task
from studio.gui.qt import QObject, QRunnable, QThreadPool, Signal, Slot
from studio.io import children

MAX_WORKERS = 2  # the machines are 2 cores; the preview needs room too


class Job(QObject):
    """One background call. Its signals fire on the GUI thread: the worker emits the `_from_*`
    signals, and this object, which lives on the GUI thread, receives them queued."""

    progressed = Signal(object)  # Progress
    finished = Signal(object)  # the call's result
    failed = Signal(object)  # the StudioError (Cancelled when cancelled)
    _from_progress = Signal(object)
    _from_result = Signal(object)
    _from_error = Signal(object)

    def __init__(self, call: Callable[..., Any], args: tuple[Any, ...]) -> None:
        super().__init__()
        self.call, self.args = call, args
        self.task = Task(lambda progress: self._send(self._from_progress, progress))
        self.result: Any = None
        self.error: StudioError | None = None
        self.running = True
        self._from_progress.connect(self._relay_progress)
        self._from_result.connect(self._relay_result)
        self._from_error.connect(self._relay_error)

    def cancel(self) -> None:
        self.task.cancel()

    def work(self) -> None:  # on a pool thread: it only emits
        try:
            result = self.call(*self.args, task=self.task)
        except StudioError as error:
            self._send(self._from_error, error)
        except Exception as error:  # a bug: reported like a failure, never lost on a thread
            traceback.print_exc()
            self._send(self._from_error, StudioError(f"unexpected error: {error!r}"))
        else:
            self._send(self._from_result, result)

    def _send(self, signal: Any, value: Any) -> None:
        """Emit towards the GUI thread; if the job was deleted with its window, nobody is
        waiting any more: the work stops at its next progress report."""
        try:
            signal.emit(value)
        except RuntimeError:
            self.task.cancel()

    @Slot(object)
    def _relay_progress(self, progress: Progress) -> None:
        self.progressed.emit(progress)

    @Slot(object)
    def _relay_result(self, result: Any) -> None:
        self.result, self.running = result, False
        self.finished.emit(result)

    @Slot(object)
    def _relay_error(self, error: StudioError) -> None:
        self.error, self.running = error, False
        self.failed.emit(error)


class _Runnable(QRunnable):
    def __init__(self, job: Job, lowered: bool) -> None:
        super().__init__()
        self.job, self.lowered = job, lowered

    def run(self) -> None:
        if self.lowered:  # the pool's threads only ever do its work
            children.lower_this_thread()
        self.job.work()


class Jobs(QObject):
    """A pool of background work. `lowered` (the default): its threads and the programs they
    start run at a lower priority (children.lower_this_thread), so what the user waits on (a
    clicked frame on the preview's own pool, playback, the GUI thread) has the cores first."""

    def __init__(self, workers: int = MAX_WORKERS, lowered: bool = True) -> None:
        super().__init__()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(workers)
        self.lowered = lowered
        self.active: set[Job] = set()

    def run(
        self,
        call: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], object] | None = None,
        failed: Callable[[StudioError], object] | None = None,
        progress: Callable[[Progress], object] | None = None,
    ) -> Job:
        job = Job(call, args)
        if progress:
            job.progressed.connect(progress)
        if done:
            job.finished.connect(done)
        if failed:
            job.failed.connect(failed)
        job.finished.connect(lambda _: self.active.discard(job))
        job.failed.connect(lambda _: self.active.discard(job))
        self.active.add(job)
        self.pool.start(_Runnable(job, self.lowered))
        return job

    def wait(self, milliseconds: int = 30000) -> bool:
        return bool(self.pool.waitForDone(milliseconds))
