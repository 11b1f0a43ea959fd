"""Locate the ffmpeg binary and run it with a time bound.

The binary comes from the imageio-ffmpeg wheel, so no system ffmpeg is needed. STUDIO_FFMPEG may
point at another build. There is no ffprobe in that wheel; see studio.io.probe.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from studio.errors import MediaError

PROBE_TIMEOUT = 60.0


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary: $STUDIO_FFMPEG, else the one shipped in imageio-ffmpeg."""
    override = os.environ.get("STUDIO_FFMPEG")
    if override:
        found = shutil.which(override) or (override if Path(override).is_file() else None)
        if not found:
            raise MediaError("STUDIO_FFMPEG does not name an ffmpeg binary", override)
        return found
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout_bytes: bytes
    stderr: str

    @property
    def stdout(self) -> str:
        return _text(self.stdout_bytes)


def run_ffmpeg(
    args: list[str], timeout: float = PROBE_TIMEOUT, path: str | None = None
) -> Completed:
    """Run ffmpeg with `args`, never waiting longer than `timeout` seconds."""
    return run_argv([ffmpeg_exe(), "-hide_banner", "-nostdin", *args], timeout, path)


def run_argv(argv: list[str], timeout: float, path: str | None = None) -> Completed:
    """Run a complete command line and collect its output, killing it after `timeout` seconds."""
    try:
        done = subprocess.run(
            argv, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False
        )
    except subprocess.TimeoutExpired:
        raise MediaError(f"ffmpeg gave no answer within {timeout:.0f} s", path) from None
    return Completed(done.returncode, done.stdout, _text(done.stderr))


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def ffmpeg_path_arg(path: str | Path) -> str:
    """An input/output argument ffmpeg reads as a plain file, whatever the name holds.

    The `file:` prefix stops ffmpeg from reading "a:b.mp4" as protocol "a" or "-x.mp4" as an option.
    """
    return "file:" + str(Path(path).absolute())
