"""One composed frame at time T, at preview size, through the export's own clip chain."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from studio.errors import RenderError
from studio.io.ffmpeg_bin import ffmpeg_exe, run_argv
from studio.model.timeline import Project
from studio.render.command import frame_command
from studio.render.images import make_images
from studio.render.remix import images

FRAME_TIMEOUT = 60.0


def parse_size(text: str) -> tuple[int, int]:
    """ "540x960" -> (540, 960); even sides from 16 to 4096."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise RenderError(f"size must look like 540x960, not {text!r}") from None
    if not (16 <= width <= 4096 and 16 <= height <= 4096) or width % 2 or height % 2:
        raise RenderError(f"size {text} needs even sides from 16 to 4096")
    return width, height


def render_frame(
    project: Project,
    at: Fraction,
    size: tuple[int, int],
    output: str | Path | None = None,
    proxies: bool = False,
) -> bytes:
    """PNG bytes of the frame showing at `at`; also written to `output` when given.

    With `proxies`, sources are read from their all-intra preview proxies (made once, cached):
    the fast path for scrubbing.
    """
    if not 0 <= at < project.duration:
        raise RenderError(
            f"--at {float(at):.3f} s is outside the edit (0 to {float(project.duration):.3f} s)"
        )
    if proxies:
        from studio.render.proxy import with_proxies

        project = with_proxies(project)
    make_images(images(project, size[0], size[1]))
    argv = frame_command(project, at, size[0], size[1], "pipe:1", exe=ffmpeg_exe())
    done = run_argv(argv, FRAME_TIMEOUT)
    png = done.stdout_bytes
    if done.returncode != 0 or not png.startswith(b"\x89PNG"):
        raise RenderError(f"frame render failed: {done.stderr.strip()[-300:] or 'no output'}")
    if output is not None:
        Path(output).write_bytes(png)
    return png
