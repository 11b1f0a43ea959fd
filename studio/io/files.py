"""Putting a finished file in place: the one atomic rename every writer of studio uses.

Files are written under a temporary name beside their target and renamed over it, so the target
holds the old or the new whole file at every instant. On Windows that rename fails with
PermissionError while another process has the target open without sharing delete access: a
player still showing the last export, an antivirus scanner or the search indexer reading a fresh
file. Those let go within moments, so there the rename is tried again for a short while; a file
that stays held gets an error naming it and saying what to do.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from studio.errors import StudioError

RETRY_SECONDS = 2.0  # long enough for a scanner or an indexer, short enough not to feel stuck
FIRST_PAUSE = 0.02  # doubled after each failed try


def replace_file(
    source: str | Path,
    target: str | Path,
    retry: bool = os.name == "nt",
    seconds: float = RETRY_SECONDS,
) -> None:
    """Rename `source` over `target` atomically; with `retry` (Windows), try again for up to
    `seconds` while another process holds the target open."""
    deadline = time.monotonic() + seconds
    pause = FIRST_PAUSE
    while True:
        try:
            os.replace(source, target)
            return
        except PermissionError as error:
            left = deadline - time.monotonic()
            if not retry or left <= 0:
                raise _refused(target, error, retry) from None
        time.sleep(min(pause, left))
        pause *= 2


def _refused(target: str | Path, error: OSError, held: bool) -> StudioError:
    if held:  # Windows: almost always another program with the file open
        reason = "another program has it open (close it there, or choose another name)"
    else:
        reason = "the folder or the file is read-only"
    return StudioError(f"cannot be replaced: {reason} ({error.strerror})", target)


def write_wav(target: Path, pcm: bytes, rate: int, channels: int = 1) -> Path:
    """16-bit PCM (interleaved channels) as a WAV file, put in place whole; its folder made."""
    import wave

    from studio.io.cache import temporary_beside

    target.parent.mkdir(parents=True, exist_ok=True)
    temp = temporary_beside(target, ".wav")
    try:
        with wave.open(str(temp), "wb") as out:
            out.setnchannels(channels)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(pcm)
        replace_file(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target
