"""Every child process studio starts goes through `start`: tied to studio's life, however it
ends (even `kill -9`), and with no console window flashing up from the windowed app on Windows.

- Windows: children join a job object that closes, killing them, when this process exits.
- Elsewhere (Linux, macOS): one small guardian process per studio process holds a pipe from
  it; when the pipe closes (studio died), the guardian kills the children it was told about.
  (The kernel's PR_SET_PDEATHSIG would need a function run in the child before exec, which
  makes Python fork the whole process, holding the GIL, for 5 to 15 ms a child in the app,
  instead of starting it with vfork in a fraction of a millisecond.)

Background work lowers its thread (`lower_this_thread`): the children that thread starts run
at a lower priority, so what the user waits for (a clicked frame, playback, the GUI) has the
cores first, and background work still takes every core nothing else wants. While a frame the
user asked for renders, `hold_background` stops those children outright (SIGSTOP; on Windows
they only yield) until the hold is released.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any

MODE = "windows" if os.name == "nt" else "guardian"
CREATE_NO_WINDOW = 0x08000000  # a GUI app starting ffmpeg must not flash a console window
CREATE_NEW_PROCESS_GROUP = 0x00000200  # Ctrl+C in the console does not reach the child
BELOW_NORMAL_PRIORITY_CLASS = 0x00004000  # a lowered thread's children, on Windows
NICE = 10  # a lowered thread's niceness and its children's, elsewhere

_lock = threading.Lock()
_state: dict[str, Any] = {}
_thread = threading.local()
_background: set[subprocess.Popen[bytes]] = set()  # lowered children, until forgotten
_holds = [0]  # hold_background calls not yet released
_held = [0.0, 0.0]  # seconds held in all before the current hold, when the current one began


PIPE, DEVNULL = subprocess.PIPE, subprocess.DEVNULL
Stream = int | IO[bytes]  # PIPE, DEVNULL or an open binary file


def start(
    argv: list[str],
    mode: str | None = None,
    *,
    stdin: Stream = DEVNULL,
    stdout: Stream = PIPE,
    stderr: Stream = PIPE,
    own_group: bool = False,
) -> subprocess.Popen[bytes]:
    """Start `argv` tied to this process's life; streams are bytes (stdin closed and the others
    piped unless said otherwise). `own_group`: Ctrl+C in a terminal does not reach the child,
    which the caller stops itself (e.g. by sending ffmpeg "q")."""
    mode = mode or MODE
    lowered = lowered_thread()
    options = _options(mode, own_group, lowered)
    process = subprocess.Popen(argv, stdin=stdin, stdout=stdout, stderr=stderr, **options)
    if mode == "windows":
        _join_job(process)
    if mode == "guardian":
        _tell_guardian(f"+{process.pid}")
        if lowered:  # on Linux it inherited the thread's niceness; on macOS it is lowered now
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, process.pid, NICE)
    if lowered:
        with _lock:
            _background.add(process)
            if _holds[0]:
                _signal(process, "SIGSTOP")
    return process


def hold_background(limit: float | None = None) -> Callable[[], None]:
    """Stop the children of background work (a frame the user clicked renders meanwhile, or the
    edit plays, with the cores to itself); those started during the hold start stopped. Holds
    nest. Returns the function that ends this hold (once: later calls do nothing); with
    `limit`, the hold ends by itself after that many seconds, whatever its holder does."""
    with _lock:
        _holds[0] += 1
        if _holds[0] == 1:
            _held[1] = time.monotonic()
            for process in _background:
                _signal(process, "SIGSTOP")
    ended = threading.Event()

    def release() -> None:
        with _lock:
            if ended.is_set():
                return
            ended.set()
            _holds[0] -= 1
            if _holds[0] == 0:
                _held[0] += time.monotonic() - _held[1]
                for process in _background:
                    _signal(process, "SIGCONT")

    if limit is not None:
        timer = threading.Timer(limit, release)
        timer.daemon = True
        timer.start()
    return release


def _signal(process: subprocess.Popen[bytes], name: str) -> None:
    """Send a POSIX signal to a child its owner has not reaped yet (so its id is still its
    own); nothing on Windows."""
    number = getattr(signal, name, None)
    if number is None or process.returncode is not None:
        return
    with contextlib.suppress(OSError):
        os.kill(process.pid, number)


def clock() -> Callable[[], float]:
    """The clock a command's time limits are counted on: for background work, seconds it was
    not held (a long playback does not time out the export it held); else monotonic time."""
    return _unheld if lowered_thread() else time.monotonic


def _unheld() -> float:
    with _lock:
        held = _held[0] + (time.monotonic() - _held[1] if _holds[0] else 0.0)
    return time.monotonic() - held


def lower_this_thread() -> None:
    """Mark this thread as background work: the children it starts from now on run at a lower
    priority, and so does the thread itself on Linux (where a thread has its own niceness).
    For threads that only ever do background work (a pool's): it cannot be undone."""
    if lowered_thread():
        return
    _thread.lowered = True
    if sys.platform.startswith("linux"):
        native = threading.get_native_id()
        with contextlib.suppress(OSError):
            niceness = os.getpriority(os.PRIO_PROCESS, native)
            os.setpriority(os.PRIO_PROCESS, native, max(niceness, NICE))


def lowered_thread() -> bool:
    return bool(getattr(_thread, "lowered", False))


def _options(mode: str, own_group: bool, lowered: bool = False) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if mode == "windows":
        group = CREATE_NEW_PROCESS_GROUP if own_group else 0
        low = BELOW_NORMAL_PRIORITY_CLASS if lowered else 0
        options["creationflags"] = CREATE_NO_WINDOW | group | low
    elif own_group:
        options["start_new_session"] = True
    return options


def forget(process: subprocess.Popen[bytes]) -> None:
    """The child has ended: the guardian must not kill (nor a hold stop) a later process with
    the same id."""
    with _lock:
        _background.discard(process)
    if "guardian" in _state:
        _tell_guardian(f"-{process.pid}")


def _tell_guardian(line: str) -> None:
    with _lock:
        guardian = _state.get("guardian")
        if guardian is None or guardian.poll() is not None:
            command = [sys.executable, "-m", "studio.io.guardian"]
            guardian = subprocess.Popen(command, stdin=subprocess.PIPE, start_new_session=True)
            _state["guardian"] = guardian
        pipe = guardian.stdin
        assert pipe is not None  # opened with stdin=PIPE
        pipe.write(f"{line}\n".encode())
        pipe.flush()


def _join_job(process: subprocess.Popen[bytes]) -> None:
    import ctypes

    with _lock:
        if "job" not in _state:
            _state["job"] = _kill_on_close_job(ctypes)
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.AssignProcessToJobObject(_state["job"], int(process._handle))  # type: ignore[attr-defined]


def _kill_on_close_job(ctypes: Any) -> Any:
    """A job object whose processes are killed when its last handle (ours) closes."""
    from ctypes import wintypes

    class Basic(ctypes.Structure):  # type: ignore[misc]
        _fields_ = [  # noqa: RUF012 - ctypes reads this class attribute
            ("PerProcessUserTimeLimit", ctypes.c_int64),
            ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", wintypes.DWORD),
            ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t),
            ("ActiveProcessLimit", wintypes.DWORD),
            ("Affinity", ctypes.c_size_t),
            ("PriorityClass", wintypes.DWORD),
            ("SchedulingClass", wintypes.DWORD),
        ]

    class Extended(ctypes.Structure):  # type: ignore[misc]
        _fields_ = [  # noqa: RUF012 - ctypes reads this class attribute
            ("BasicLimitInformation", Basic),
            ("IoInfo", ctypes.c_uint64 * 6),
            ("ProcessMemoryLimit", ctypes.c_size_t),
            ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t),
            ("PeakJobMemoryUsed", ctypes.c_size_t),
        ]

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    job = kernel32.CreateJobObjectW(None, None)
    info = Extended()
    info.BasicLimitInformation.LimitFlags = 0x2000  # JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    kernel32.SetInformationJobObject(job, 9, ctypes.byref(info), ctypes.sizeof(info))
    return job


def alive(pid: int) -> bool:
    """Whether a process with this id is running (used to spot temp files of dead exports)."""
    if pid <= 0:
        return False
    if os.name == "nt":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _alive_windows(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    code = ctypes.c_ulong()
    kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
    kernel32.CloseHandle(handle)
    return code.value == 259  # STILL_ACTIVE
