"""Run one ffmpeg command: progress from `-progress`, cancel, and a stall watchdog."""

from __future__ import annotations

import queue
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from studio.errors import RenderError

STALL_SECONDS = 300.0  # no progress report for this long means ffmpeg is stuck


@dataclass(frozen=True)
class Progress:
    done_seconds: float
    total_seconds: float

    @property
    def fraction(self) -> float:
        if self.total_seconds <= 0:
            return 0.0
        return min(1.0, max(0.0, self.done_seconds / self.total_seconds))


ProgressCallback = Callable[[Progress], None]


def run(
    argv: list[str],
    total_seconds: float,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    stall_seconds: float = STALL_SECONDS,
) -> None:
    """Run ffmpeg to completion; raise RenderError with its last error lines on failure."""
    process = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    lines: queue.Queue[str | None] = queue.Queue()
    errors: deque[str] = deque(maxlen=20)
    _pump(process.stdout, lines.put, done=lambda: lines.put(None))
    _pump(process.stderr, errors.append)
    try:
        _watch(process, lines, total_seconds, on_progress, cancel, stall_seconds)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    if process.returncode != 0:
        detail = " | ".join(line for line in errors if line.strip())[-600:]
        raise RenderError(f"ffmpeg failed (exit {process.returncode}): {detail or 'no message'}")


def _pump(
    stream: object, sink: Callable[[str], None], done: Callable[[], None] | None = None
) -> None:
    def read() -> None:
        for raw in stream:  # type: ignore[attr-defined]
            sink(raw.decode("utf-8", errors="replace").rstrip())
        if done:
            done()

    threading.Thread(target=read, daemon=True).start()


def _watch(
    process: subprocess.Popen[bytes],
    lines: queue.Queue[str | None],
    total: float,
    on_progress: ProgressCallback | None,
    cancel: threading.Event | None,
    stall: float,
) -> None:
    last_report = time.monotonic()
    while True:
        if cancel is not None and cancel.is_set():
            process.kill()
            raise RenderError("cancelled")
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            if time.monotonic() - last_report > stall:
                process.kill()
                raise RenderError(f"ffmpeg made no progress for {stall:.0f} s") from None
            continue
        if line is None:
            return
        last_report = time.monotonic()
        _report(line, total, on_progress)


def _report(line: str, total: float, on_progress: ProgressCallback | None) -> None:
    key, _, value = line.partition("=")
    if on_progress is None or key != "out_time_us" or not value.strip().lstrip("-").isdigit():
        return
    on_progress(Progress(max(0, int(value)) / 1_000_000, total))
