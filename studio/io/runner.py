"""The one way studio runs ffmpeg, and the Task every long engine call takes.

A Task carries a progress callback (fraction, ETA, message) and a cancel flag. `run` starts
ffmpeg, reports its `-progress` output through the task, and kills it within a tenth of a second
of a cancel, when its time bound runs out, or when it stops making progress (the stall
watchdog: no output at all, or progress lines that stop advancing, as when ffmpeg's threads
deadlock). Every child is tied to this process (see studio.io.children), so killing studio
kills its ffmpeg too.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from studio.errors import Cancelled, RenderError, StudioError
from studio.io import children
from studio.io.ffmpeg_bin import ffmpeg_exe

STALL_SECONDS = 300.0  # no output at all for this long means ffmpeg is stuck
FROZEN_SECONDS = 30.0  # progress printed but no frame or time gained this long: stuck too
ADVANCING_KEYS = frozenset({"frame", "out_time_us", "total_size"})  # a change here is progress
POLL_SECONDS = 0.1  # how often cancel, time bound and watchdog are checked
STDERR_LINES = 4000  # ffmpeg's report is kept up to this many lines (the tail)
PROGRESS_KEYS = frozenset(
    {"frame", "fps", "bitrate", "total_size", "out_time_us", "out_time_ms", "out_time"}
    | {"dup_frames", "drop_frames", "speed", "progress"}
)


@dataclass(frozen=True)
class Progress:
    fraction: float  # 0..1 of the whole call
    message: str = ""  # what is being done now, e.g. "measuring loudness"
    eta: float | None = None  # seconds left, once it can be estimated


ProgressCallback = Callable[[Progress], None]


class Task:
    """Progress and cancellation for one long call; `part` hands a share of it to a step."""

    def __init__(
        self, on_progress: ProgressCallback | None = None, cancel: threading.Event | None = None
    ) -> None:
        self.on_progress = on_progress
        self.cancel_event = cancel if cancel is not None else threading.Event()
        self.started = time.monotonic()
        self._root = self
        self._span = (0.0, 1.0)

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check(self) -> None:
        """Raise Cancelled if the user asked to stop."""
        if self.cancelled:
            raise Cancelled()

    def report(self, fraction: float, message: str = "") -> None:
        start, end = self._span
        self._root._emit(start + (end - start) * min(1.0, max(0.0, fraction)), message)

    def part(self, start: float, end: float) -> Task:
        """A step that covers [start, end] of this task's progress and shares its cancel flag."""
        low, high = self._span
        step = Task(self.on_progress, self.cancel_event)
        step._root, step.started = self._root, self._root.started
        step._span = (low + (high - low) * start, low + (high - low) * end)
        return step

    def _emit(self, fraction: float, message: str) -> None:
        if self.on_progress is None:
            return
        elapsed = time.monotonic() - self.started
        eta = elapsed * (1 - fraction) / fraction if fraction >= 0.02 else None
        self.on_progress(Progress(fraction, message, eta))


def as_task(task: Task | None) -> Task:
    return task if task is not None else Task()


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout_bytes: bytes
    stderr: str

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode("utf-8", errors="replace")

    def last_error(self, default: str = "no message") -> str:
        lines = [line for line in self.stderr.strip().splitlines() if line.strip()]
        return lines[-1] if lines else default


def ffmpeg(
    args: Sequence[str],
    task: Task | None = None,
    timeout: float | None = 60.0,
    path: str | None = None,
    total: float | None = None,
    message: str = "",
    failure: type[StudioError] = RenderError,
) -> Completed:
    """Run the bundled ffmpeg with `args` (see `run`); -progress is added when `total` is."""
    progress = ["-progress", "pipe:2", "-nostats"] if total else []
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", *progress, *args]
    return run(argv, task, timeout, path, total, message, failure=failure)


def run(
    argv: Sequence[str],
    task: Task | None = None,
    timeout: float | None = None,
    path: str | None = None,
    total: float | None = None,
    message: str = "",
    stall: float = STALL_SECONDS,
    failure: type[StudioError] = RenderError,
    again_if_stuck: bool = False,
) -> Completed:
    """Run a command to its end and collect stdout and stderr.

    With `total` (seconds of media the command produces), `out_time_us` lines from `-progress
    pipe:2` are reported through `task` as a fraction of it. Raises Cancelled on cancel, and
    `failure` naming `path` when the time bound or the watchdog stops the command; a non-zero
    exit is the caller's to judge (`Completed.returncode`). `again_if_stuck`: a command whose
    progress froze (an ffmpeg deadlock, which is rare and does not repeat) is started once
    more; only for commands that write their outputs afresh (`-y`).
    """
    task = as_task(task)
    once = (argv, task, timeout, path, total, message, stall, failure)
    if again_if_stuck:
        with contextlib.suppress(_Frozen):  # a deadlock does not repeat: start once more
            return _run_once(*once)
    try:
        return _run_once(*once)
    except _Frozen as frozen:
        raise failure(str(frozen), path) from None


class _Frozen(Exception):
    """The command prints progress that no longer advances."""


def _run_once(
    argv: Sequence[str],
    task: Task,
    timeout: float | None,
    path: str | None,
    total: float | None,
    message: str,
    stall: float,
    failure: type[StudioError],
) -> Completed:
    task.check()
    process = children.start(list(argv))
    watch = _Streams(process, task, total, message, children.clock())
    try:
        _wait(process, task, watch, timeout, stall, path, failure)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        watch.join()
        children.forget(process)
    task.check()  # a cancel that came as the command ended still stops the call
    return Completed(process.returncode, watch.output(), "\n".join(watch.errors))


class _Streams:
    """Reads stdout into a buffer and stderr line by line (progress or report), off-thread;
    `clock` (children.clock) is what the time limits count."""

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        task: Task,
        total: float | None,
        message: str,
        clock: Callable[[], float],
    ) -> None:
        self.task, self.total, self.message, self.clock = task, total, message, clock
        self.chunks: list[bytes] = []
        self.errors: deque[str] = deque(maxlen=STDERR_LINES)
        self.last_output = self.last_advance = clock()
        self.progress: dict[str, str] = {}
        self.threads = [
            threading.Thread(target=self._read_out, args=(process.stdout,), daemon=True),
            threading.Thread(target=self._read_err, args=(process.stderr,), daemon=True),
        ]
        for thread in self.threads:
            thread.start()

    def _read_out(self, stream: object) -> None:
        while chunk := stream.read1(1 << 16):  # type: ignore[attr-defined]
            self.chunks.append(chunk)
            self.last_output = self.clock()

    def _read_err(self, stream: object) -> None:
        for raw in stream:  # type: ignore[attr-defined]
            self.last_output = self.clock()
            line = raw.decode("utf-8", errors="replace").rstrip()
            key, equals, value = line.partition("=")
            if self.total and equals and (key in PROGRESS_KEYS or key.startswith("stream_")):
                self._progress(key, value)
            else:
                self.errors.append(line)
                self.last_advance = self.last_output

    def _progress(self, key: str, value: str) -> None:
        if key in ADVANCING_KEYS and self.progress.get(key) != value:
            self.progress[key] = value
            self.last_advance = self.last_output
        if key != "out_time_us" or not self.total or not value.strip().lstrip("-").isdigit():
            return
        self.task.report(max(0, int(value)) / 1e6 / self.total, self.message)

    def where(self) -> str:
        """How far the command got, as its last progress lines said."""
        done = self.progress.get("out_time_us", "")
        seconds = int(done) / 1e6 if done.lstrip("-").isdigit() else 0.0
        return f"frame {self.progress.get('frame', '0')}, {max(seconds, 0.0):.2f} s"

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=5)

    def output(self) -> bytes:
        return b"".join(self.chunks)


def _wait(
    process: subprocess.Popen[bytes],
    task: Task,
    watch: _Streams,
    timeout: float | None,
    stall: float,
    path: str | None,
    failure: type[StudioError],
) -> None:
    deadline = None if timeout is None else watch.clock() + timeout
    while True:
        try:
            process.wait(timeout=POLL_SECONDS)
            return
        except subprocess.TimeoutExpired:
            pass
        now = watch.clock()
        if task.cancelled:
            process.kill()
            raise Cancelled()
        if deadline is not None and now > deadline:
            process.kill()
            raise failure(f"ffmpeg gave no answer within {timeout:.0f} s", path)
        if now - watch.last_output > stall:
            process.kill()
            raise failure(f"ffmpeg made no progress for {stall:.0f} s", path)
        if watch.progress and now - watch.last_advance > FROZEN_SECONDS:
            process.kill()
            raise _Frozen(f"ffmpeg stopped advancing for {FROZEN_SECONDS:.0f} s ({watch.where()})")
