"""The guardian process (where the kernel cannot tie children to their parent, e.g. macOS).

It reads "+PID" and "-PID" lines from studio on stdin. When stdin closes, studio has ended
(normally or killed), and every child still listed is killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys


def main() -> None:
    watched: set[int] = set()
    for line in sys.stdin.buffer:
        text = line.decode(errors="replace").strip()
        if len(text) > 1 and text[1:].isdigit():
            pid = int(text[1:])
            (watched.add if text[0] == "+" else watched.discard)(pid)
    for pid in watched:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
