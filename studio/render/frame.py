"""One composed frame at time T, at preview size, through the export's own clip chain."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path

from studio.errors import RenderError
from studio.io.cache import cache_dir
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.runner import Task, as_task, run
from studio.model.limits import LIMITS
from studio.model.timeline import Project
from studio.render.captions import write_captions
from studio.render.command import frame_command
from studio.render.images import make_images
from studio.render.plan import Frame, make_plan

FRAME_TIMEOUT = 60.0


def parse_size(text: str, field: str = "size") -> tuple[int, int]:
    """ "540x960" -> (540, 960); even sides within the preview limits."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise RenderError(f"must look like 540x960, not {text!r}", field=field) from None
    low, high = LIMITS["frame.side"].low, LIMITS["frame.side"].high
    if not (low <= width <= high and low <= height <= high) or width % 2 or height % 2:
        raise RenderError(f"{text} needs even sides from {low:g} to {high:g}", field=field)
    return width, height


def render_frame(
    project: Project,
    at: Fraction,
    size: tuple[int, int],
    output: str | Path | None = None,
    proxies: bool = False,
    task: Task | None = None,
    masks: Mapping[str, Path] | None = None,
) -> bytes:
    """PNG bytes of the frame showing at `at`; also written to `output` when given.

    With `proxies`, sources are read from their all-intra preview proxies (made once, cached):
    the fast path for scrubbing. `masks`: what an analysis pass prepared (studio.app.render
    makes them, and the follow crops, before calling this).
    """
    if not 0 <= at < project.duration:
        raise RenderError(
            f"{float(at):.3f} s is outside the edit (0 to {float(project.duration):.3f} s)",
            field="at",
        )
    task = as_task(task)
    fps = project.canvas.fps
    if proxies:
        from studio.render.proxy import with_proxies

        project = with_proxies(project, task.part(0, 0.9))
    masks = dict(masks or {})
    plan = make_plan(project, Frame(*size, fps), cache_dir("images"), masks)
    make_images(plan.images, plan.image_dir)
    write_captions(plan)
    argv = frame_command(project, plan, at, "pipe:1", exe=ffmpeg_exe())
    done = run(argv, task.part(0.9, 1), FRAME_TIMEOUT)
    png = done.stdout_bytes
    if done.returncode != 0 or not png.startswith(b"\x89PNG"):
        raise RenderError(f"frame render failed: {done.last_error('no output')}")
    if output is not None:
        Path(output).write_bytes(png)
    return png
