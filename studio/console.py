"""The text streams of the two faces (the command line and the desktop app), set at their start."""

from __future__ import annotations

import sys


def utf8_output() -> None:
    """Print UTF-8 whatever the system's code page: output piped on Windows is cp1252 by
    default, which cannot write what studio prints (file names, transcripts: Whisper writes
    "♪"). A console or a UTF-8 locale is left as it is."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
