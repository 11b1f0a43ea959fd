"""Preferences the engine reads: which ffmpeg, where the cache lives, how much memory a render
may plan for.

They are a value: the CLI builds it from the environment at start, the desktop app from its
preferences, and `apply` swaps it while the program runs, so a change takes effect at the next
call. Nothing below the facade reads the environment itself.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from studio.errors import StudioError

DEFAULT_RENDER_MEMORY_MB = 1900.0
MIN_RENDER_MEMORY_MB = 100.0


@dataclass(frozen=True)
class Settings:
    ffmpeg: str = ""  # a path or command name; "" means the binary of the imageio-ffmpeg wheel
    cache_dir: str = ""  # "" means the platform's user cache folder
    # One render process plans for this much memory; longer edits render in chunks.
    render_memory_mb: float = DEFAULT_RENDER_MEMORY_MB
    # Threads each ffmpeg of a render may use (decoders, filters, encoder); 0: its own choice
    # (every core). A batch running one export per core sets 1.
    ffmpeg_threads: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.ffmpeg_threads <= 256:
            raise StudioError(
                f"must be 0 (all cores) to 256 (got {self.ffmpeg_threads})", field="ffmpeg_threads"
            )
        if not self.render_memory_mb >= MIN_RENDER_MEMORY_MB:
            raise StudioError(
                f"must be at least {MIN_RENDER_MEMORY_MB:.0f} MB (got {self.render_memory_mb})",
                field="render_memory_mb",
            )

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        """STUDIO_FFMPEG, STUDIO_CACHE_DIR and STUDIO_RENDER_MEMORY_MB, where set (the
        command line's, and a cluster worker's own)."""
        memory = environ.get("STUDIO_RENDER_MEMORY_MB", "")
        try:
            budget = float(memory) if memory else DEFAULT_RENDER_MEMORY_MB
        except ValueError:
            raise StudioError(
                f"STUDIO_RENDER_MEMORY_MB must be a number of MB, not {memory!r}"
            ) from None
        return cls(
            ffmpeg=environ.get("STUDIO_FFMPEG", ""),
            cache_dir=environ.get("STUDIO_CACHE_DIR", ""),
            render_memory_mb=max(budget, MIN_RENDER_MEMORY_MB),
        )


_lock = threading.Lock()
_current = Settings()


def current() -> Settings:
    """The settings in effect now."""
    return _current


def of_this_process() -> Settings:
    """The settings this process's environment asks for (a face, or a cluster worker running
    a job, calls this once at its start)."""
    import os

    return Settings.from_environment(os.environ)


def hold_ffmpeg_threads(count: int) -> None:
    """Every ffmpeg of a render from now on held to `count` threads (0: its own choice)."""
    from dataclasses import replace

    if current().ffmpeg_threads != count:
        apply(replace(current(), ffmpeg_threads=count))


def apply(settings: Settings) -> Settings:
    """Put `settings` in effect for every call that starts from now on; returns the previous."""
    global _current
    with _lock:
        previous, _current = _current, settings
    return previous
