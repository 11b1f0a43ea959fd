"""Every child process studio starts goes through `start`: tied to studio's life, however it
ends (even `kill -9`), and with no console window flashing up from the windowed app on Windows.

- Linux: the kernel sends the child SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG).
- Windows: children join a job object that closes, killing them, when this process exits.
- Elsewhere (macOS): one small guardian process per studio process holds a pipe from it; when
  the pipe closes (studio died), the guardian kills the children it was told about.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
from typing import IO, Any

MODE = "linux" if sys.platform.startswith("linux") else "windows" if os.name == "nt" else "guardian"
CREATE_NO_WINDOW = 0x08000000  # a GUI app starting ffmpeg must not flash a console window
CREATE_NEW_PROCESS_GROUP = 0x00000200  # Ctrl+C in the console does not reach the child

_lock = threading.Lock()
_state: dict[str, Any] = {}


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
    options = _options(mode, own_group)
    process = subprocess.Popen(argv, stdin=stdin, stdout=stdout, stderr=stderr, **options)
    if mode == "windows":
        _join_job(process)
    if mode == "guardian":
        _tell_guardian(f"+{process.pid}")
    return process


def _options(mode: str, own_group: bool) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if mode == "linux":
        options["preexec_fn"] = functools.partial(_die_with_parent, os.getpid(), _libc())
    if mode == "windows":
        group = CREATE_NEW_PROCESS_GROUP if own_group else 0
        options["creationflags"] = CREATE_NO_WINDOW | group
    elif own_group:
        options["start_new_session"] = True
    return options


def forget(process: subprocess.Popen[bytes]) -> None:
    """The child has ended: the guardian must not kill a later process with the same id."""
    if "guardian" in _state:
        _tell_guardian(f"-{process.pid}")


def _libc() -> Any:
    """libc, loaded before the fork: the child may not load libraries (or take locks)."""
    if "libc" not in _state:
        import ctypes

        _state["libc"] = ctypes.CDLL(None, use_errno=True)
    return _state["libc"]


def _die_with_parent(parent: int, libc: Any) -> None:  # runs in the child, before exec
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


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
