"""Locate the ffmpeg binary.

It comes from the imageio-ffmpeg wheel, so no system ffmpeg is needed; the `ffmpeg` setting
(STUDIO_FFMPEG on the command line) may name another build. There is no ffprobe in that wheel;
see studio.io.probe. Commands run through studio.io.runner.
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

from studio.errors import MediaError
from studio.settings import current


def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary: the `ffmpeg` setting, else the one shipped in imageio-ffmpeg."""
    return _locate(current().ffmpeg)


@lru_cache(maxsize=8)
def _locate(override: str) -> str:
    if override:
        found = shutil.which(override) or (override if Path(override).is_file() else None)
        if not found:
            raise MediaError("STUDIO_FFMPEG does not name an ffmpeg binary", override)
        return found
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def ffmpeg_path_arg(path: str | Path) -> str:
    """An input/output argument ffmpeg reads as a plain file, whatever the name holds.

    The `file:` prefix stops ffmpeg from reading "a:b.mp4" as protocol "a" or "-x.mp4" as an option.
    """
    return "file:" + str(Path(path).absolute())
