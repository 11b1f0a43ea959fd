"""Jobs run on a Dask cluster: the one runner every batch-like command uses (batch exports now,
template variations later).

The cluster is Dask distributed's: `local:N` starts N worker processes on this machine for the
run (one job at a time each) and stops them after; `tcp://HOST:PORT` joins a scheduler that
`dask scheduler` started, with workers that `dask worker` started on any machines. A job is
self-contained plain data (a Job: a module-level function and its spec) that any worker with
the same studio can run; studio reads nothing from the client's machine while it runs.

- Versions: a worker whose studio or project format differs from this one is refused (one line
  each) and given no job; a job run there anyway refuses itself.
- Faults: Dask reruns the job of a worker that died on another one (up to its allowed-failures,
  3 by default); each attempt announces itself, so the outcome says how many tries it took. A
  job that fails for its own reasons (a broken clip) is reported as failed, not retried.
- Cancel (Ctrl+C): the jobs not started are cancelled, the running ones are told to stop (their
  ffmpeg is killed and their temporary files removed), and nothing is left on the scheduler.
- Progress: attempts report start, progress and end as events of the run's topic; the client
  sums them into one Task (done / running / failed) and hands each to `on_event`.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from studio.errors import Cancelled, StudioError
from studio.io.runner import Progress, Task, as_task

INSTALL = 'the cluster needs Dask: python -m pip install "dask[distributed]>=2025.1"'
LOCAL = "local:"
MOST_LOCAL_WORKERS = 64
CONNECT_SECONDS = 15
WORKER_WAIT_SECONDS = 60  # a scheduler with no worker yet: how long to wait for one
STOP_SECONDS = 30  # after Ctrl+C: how long running jobs get to stop and clean up
REPORT_SECONDS = 1.0  # an attempt reports its progress at most this often
CANCEL_POLL_SECONDS = 0.5
# The workers studio starts itself (local:N) do not sample their threads every 10 ms for a
# profile nobody reads here, and look at their memory and event loop less often: an idle pair
# of workers took 6% of a core, which the exports of a small machine want (now 1.6%).
LOCAL_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "5s",
    "distributed.admin.tick.interval": "1s",
}


@dataclass(frozen=True)
class Job:
    """One unit of work: `run(spec, task, attempt)` on a worker returns facts (plain data).
    `leftovers`: the folder (path or URL) where its attempts write files under their
    temporary names (Attempt.temporary); the client removes them after a cancel."""

    name: str
    run: Callable[[Any, Task, Attempt], dict[str, Any]]
    spec: Any
    leftovers: str | None = None


@dataclass(frozen=True)
class Attempt:
    """One try of a job on a worker: `prefix` starts the temporary names of every attempt of
    the job, `token` this attempt's."""

    prefix: str
    token: str

    @property
    def temporary(self) -> str:
        return f"{self.prefix}{self.token}.part"


@dataclass
class Outcome:
    name: str
    status: str  # ok | failed | cancelled
    error: str | None = None
    seconds: float = 0.0
    worker: str = ""  # the address of the worker that ran it to the end
    host: str = ""
    tries: int = 0
    facts: dict[str, Any] = field(default_factory=dict)


def versions() -> tuple[str, int]:
    """This studio's version and the project format it writes."""
    from studio import __version__
    from studio.io.project_schema import VERSION

    return __version__, VERSION


def check_address(address: str) -> str:
    """`local:N` or a scheduler's URL (tcp://HOST:PORT); a clear error for anything else."""
    if address.startswith(LOCAL):
        count = address[len(LOCAL) :]
        if not count.isdigit() or not 1 <= int(count) <= MOST_LOCAL_WORKERS:
            raise StudioError(
                f"local:N takes 1 to {MOST_LOCAL_WORKERS} workers (got {address!r})",
                field="cluster",
            )
        return address
    scheme, found, rest = address.partition("://")
    if not found or not scheme.isalpha() or ":" not in rest:
        raise StudioError(
            f"give local:N or a scheduler's address, tcp://HOST:PORT (got {address!r})",
            field="cluster",
        )
    return address


def run_jobs(
    address: str,
    jobs: Sequence[Job],
    task: Task | None = None,
    on_event: Callable[[dict[str, Any]], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> list[Outcome]:
    """Run every job on the cluster at `address`; outcomes in the jobs' order."""
    check_address(address)
    distributed = _dask()
    task = as_task(task)
    with _client(address) as client:
        workers = _matching_workers(client, on_note or (lambda line: None))
        run = _Run(client, jobs, task, on_event)
        key = f"studio-{run.batch}-"
        futures = [
            client.submit(_attempt, job, run.batch, i, versions(), key=f"{key}{i}", workers=workers)
            for i, job in enumerate(jobs)
        ]
        run.futures = futures
        try:
            for future in distributed.as_completed(futures):
                run.finished(futures.index(future), future)
        except KeyboardInterrupt:
            run.stop()
            raise
        finally:
            client.unsubscribe_topic(run.topic)
        return run.outcomes()


class _Run:
    """The client's view of one run: each job's state and progress, from the attempts' events
    and the futures' ends."""

    def __init__(
        self,
        client: Any,
        jobs: Sequence[Job],
        task: Task,
        on_event: Callable[[dict[str, Any]], None] | None,
    ) -> None:
        self.client, self.jobs, self.task, self.on_event = client, jobs, task, on_event
        self.batch = uuid.uuid4().hex[:12]
        self.topic = f"studio-{self.batch}"
        self.lock = threading.Lock()
        self.states = ["queued"] * len(jobs)
        self.fractions = [0.0] * len(jobs)
        self.attempts: list[set[str]] = [set() for _ in jobs]
        self.ended: dict[int, Outcome] = {}
        self.futures: list[Any] = []
        client.subscribe_topic(self.topic, self.heard)

    def heard(self, event: tuple[float, dict[str, Any]]) -> None:
        """An attempt's event: it began on a worker, or moved on."""
        message = event[1]
        index = int(message["job"])
        with self.lock:
            if index in self.ended:
                return
            self.attempts[index].add(message["attempt"])
            self.states[index] = "running"
            self.fractions[index] = float(message.get("fraction", 0.0))
        self._tell({**message, "name": self.jobs[index].name, "state": "running"})

    def finished(self, index: int, future: Any) -> None:
        if future.status == "finished":
            facts = future.result()
            outcome = Outcome(self.jobs[index].name, **facts)
        else:
            try:
                error = future.exception()
            except Exception as lost:  # cancelled, or the scheduler lost
                error = lost
            reason = _failure(error)
            outcome = Outcome(self.jobs[index].name, "failed", reason)
        with self.lock:
            self.ended[index] = outcome
            self.states[index] = outcome.status
            self.fractions[index] = 1.0
        event = {"job": index, "name": outcome.name, "state": outcome.status}
        where = {"worker": outcome.worker, "host": outcome.host, "seconds": outcome.seconds}
        self._tell({**event, **where, "error": outcome.error, **outcome.facts})

    def _tell(self, event: dict[str, Any]) -> None:
        with self.lock:
            done = sum(1 for s in self.states if s == "ok")
            failed = sum(1 for s in self.states if s in ("failed", "cancelled"))
            running = sum(1 for s in self.states if s == "running")
            share = sum(self.fractions) / max(1, len(self.jobs))
        self.task.report(share, f"{done} done, {running} running, {failed} failed")
        if self.on_event is not None:
            self.on_event(event)

    def outcomes(self) -> list[Outcome]:
        """Each job's outcome, with its tries counted from every attempt the scheduler heard
        of (the events stay there after the run)."""
        tries: list[set[str]] = [set(found) for found in self.attempts]
        for _, message in self.client.get_events(self.topic):
            tries[int(message["job"])].add(message["attempt"])
        found = []
        for index, job in enumerate(self.jobs):
            outcome = self.ended.get(index, Outcome(job.name, "cancelled", "cancelled"))
            outcome.tries = max(len(tries[index]), 1 if outcome.worker else 0)
            found.append(outcome)
        return found

    def stop(self) -> None:
        """Ctrl+C: the queued jobs cancelled, the running ones told to stop and given time to
        clean up, then nothing left on the scheduler and no temporary file left behind."""
        distributed = _dask()
        flag = distributed.Event(f"studio-cancel-{self.batch}", client=self.client)
        flag.set()
        with self.lock:
            queued = [f for i, f in enumerate(self.futures) if self.states[i] == "queued"]
            running = [f for i, f in enumerate(self.futures) if self.states[i] == "running"]
        self.client.cancel(queued, force=True)
        distributed.wait(running, timeout=STOP_SECONDS, return_when="ALL_COMPLETED")
        self.client.cancel(self.futures, force=True)
        flag.clear()
        from studio.io.storage import remove_named

        for index, job in enumerate(self.jobs):
            if job.leftovers is not None:
                remove_named(job.leftovers, attempt_prefix(self.batch, index))


def attempt_prefix(batch: str, index: int) -> str:
    """The start of the temporary names every attempt of a job writes."""
    return f".studio-{batch}-{index}-"


def _failure(error: BaseException | None) -> str:
    """Why a job's future failed, in one line."""
    name = type(error).__name__
    if name == "KilledWorker":
        return "the workers running it died, one after another (see the workers' logs)"
    if name == "CancelledError":
        return "cancelled"
    return f"{name}: {error}"


@contextmanager
def _client(address: str) -> Iterator[Any]:
    """A client of the cluster at `address`; for local:N, the cluster too (stopped after)."""
    import logging

    distributed = _dask()
    if address.startswith(LOCAL):
        import dask

        count = int(address[len(LOCAL) :])
        with dask.config.set(LOCAL_CONFIG), distributed.LocalCluster(
            n_workers=count, threads_per_worker=1, processes=True,
            dashboard_address=":0", silence_logs=logging.ERROR,  # no fixed port to collide on
        ) as cluster, distributed.Client(cluster) as client:  # fmt: skip
            yield client
        return
    try:
        client = distributed.Client(address, timeout=f"{CONNECT_SECONDS}s")
    except (OSError, TimeoutError) as failed:
        raise StudioError(
            f"cannot reach the scheduler at {address}: {failed}", field="cluster"
        ) from None
    try:
        yield client
    finally:
        client.close()


def _matching_workers(client: Any, on_note: Callable[[str], None]) -> list[str]:
    """The workers that run this studio and project format; the others refused, one line each."""
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
    except TimeoutError:
        raise StudioError(
            f"the scheduler has no worker (waited {WORKER_WAIT_SECONDS} s): start some with "
            "`dask worker ADDRESS`",
            field="cluster",
        ) from None
    mine = versions()
    found = client.run(_versions_here, on_error="return")
    good = []
    for worker, theirs in sorted(found.items()):
        if isinstance(theirs, BaseException):
            on_note(f"worker {worker} refused: studio does not run there ({theirs})")
        elif tuple(theirs) != mine:
            on_note(
                f"worker {worker} refused: it runs studio {theirs[0]} (project format "
                f"{theirs[1]}), this is studio {mine[0]} (format {mine[1]})"
            )
        else:
            good.append(worker)
    if not good:
        raise StudioError(
            f"no worker runs studio {mine[0]} (project format {mine[1]})", field="cluster"
        )
    return good


def _versions_here() -> tuple[str, int]:
    return versions()


def _dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise StudioError(INSTALL, field="cluster") from None
    return distributed


# --- on the worker -------------------------------------------------------------------------

_settled = threading.Lock()
_settings_applied: list[bool] = []


def _attempt(job: Job, batch: str, index: int, wanted: tuple[str, int]) -> dict[str, Any]:
    """One try of a job on this worker: announced, run with progress and cancel, and its
    outcome returned as plain data (its own failures included: they are not retried)."""
    from distributed import Event, get_client, get_worker

    _settle_worker()
    worker = get_worker()
    here = {"worker": worker.address, "host": socket.gethostname()}
    if versions() != tuple(wanted):
        mine = versions()
        refused = f"worker refused: it runs studio {mine[0]} (format {mine[1]}), not {wanted[0]}"
        return {"status": "failed", "error": refused, **here}
    attempt = Attempt(attempt_prefix(batch, index), uuid.uuid4().hex[:8])
    topic = f"studio-{batch}"
    reporter = _Reporter(worker, topic, {"job": index, "attempt": attempt.token, **here})
    cancel, stopped = threading.Event(), threading.Event()
    # the client given: the watcher thread is not a task's, and would find none of its own
    flag = Event(f"studio-cancel-{batch}", client=get_client())  # type: ignore[no-untyped-call]
    watcher = threading.Thread(target=_watch, args=(flag, cancel, stopped), daemon=True)
    watcher.start()
    reporter.send(0.0)
    started = time.monotonic()
    error: str | None = None
    try:
        facts = job.run(job.spec, Task(reporter.progress, cancel), attempt)
        status = "ok"
    except Cancelled as cancelled:
        facts, status, error = {}, "cancelled", cancelled.message
    except StudioError as failure:
        facts, status, error = {}, "failed", failure.message
    finally:
        stopped.set()
    seconds = time.monotonic() - started
    return {"status": status, "error": error, "seconds": seconds, "facts": facts, **here}


def _settle_worker() -> None:
    """This worker process's own settings (its STUDIO_* environment), applied once."""
    with _settled:
        if not _settings_applied:
            from studio.settings import apply, of_this_process

            apply(of_this_process())
            _settings_applied.append(True)


def _watch(flag: Any, cancel: threading.Event, stopped: threading.Event) -> None:
    """Set `cancel` when the run's cancel flag is raised on the scheduler (asked twice a
    second: a short call each time, none left waiting there when the job ends)."""
    while not stopped.wait(CANCEL_POLL_SECONDS):
        try:
            raised = flag.is_set()
        except Exception:  # the scheduler is gone: the run is over either way
            raised = True
        if raised:
            cancel.set()
            return


class _Reporter:
    """An attempt's progress as events of the run's topic, at most once a second."""

    def __init__(self, worker: Any, topic: str, about: dict[str, Any]) -> None:
        self.worker, self.topic, self.about = worker, topic, about
        self.last = 0.0

    def progress(self, progress: Progress) -> None:
        if time.monotonic() - self.last >= REPORT_SECONDS:
            self.send(progress.fraction)

    def send(self, fraction: float) -> None:
        self.last = time.monotonic()
        self.worker.log_event(self.topic, {**self.about, "fraction": round(fraction, 3)})
