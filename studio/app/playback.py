"""Playback for the app's preview: the commands that stream the composed edit from a frame,
and the still frames of the whole edit as JPEGs for instant scrubbing."""

from __future__ import annotations

from collections.abc import Callable

from studio.errors import RenderError
from studio.io import children
from studio.io.cache import cache_dir
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.jpeg import jpeg_images
from studio.io.runner import Task, as_task
from studio.model.shapes import framed
from studio.model.time import nearest_frame
from studio.model.timeline import Project
from studio.render.playback import Playback


def playback(
    project: Project, start: int, size: tuple[int, int] = (540, 960), jpeg: bool = False
) -> Playback:
    """Picture and sound commands from frame `start` at preview `size` (stated for a 9:16
    frame: the picture takes the canvas's shape in that box); pictures come from the preview
    proxies already made (originals where a proxy is still being built). Writes the text
    overlays' pictures, so call it off the GUI thread."""
    from studio.analysis.masks import made_masks
    from studio.analysis.reframe import made_followed
    from studio.render.captions import write_captions
    from studio.render.images import make_images
    from studio.render.plan import Frame, make_plan
    from studio.render.playback import playback_commands
    from studio.render.proxy import with_proxies

    fps = project.canvas.fps
    project = made_followed(project)
    frame = Frame(*framed(project.canvas.width, project.canvas.height, size), fps)
    plan = make_plan(project, frame, cache_dir("images"), made_masks(project, fps))
    make_images(plan.images, plan.image_dir)
    write_captions(plan)
    pictures = with_proxies(project, make=False)
    return playback_commands(project, plan, start, ffmpeg_exe(), pictures, jpeg)


def frame_count(project: Project) -> int:
    """Frames in the edit at its canvas rate (the player's last frame is one less)."""
    return nearest_frame(project.duration, project.canvas.fps)


def still_frames(
    project: Project,
    start: int,
    keep: Callable[[bytes], bool],
    size: tuple[int, int] = (540, 960),
    task: Task | None = None,
) -> int:
    """Render the edit from frame `start` and hand each frame, as JPEG bytes, to `keep` until it
    returns False or the edit ends. Returns the frames handed over. Cancel with the task."""
    task = as_task(task)
    commands = playback(project, start, size, jpeg=True)
    process = children.start(commands.video)
    handed = 0
    try:
        assert process.stdout is not None  # piped
        for image in jpeg_images(process.stdout):
            task.check()
            handed += 1
            if handed % 30 == 0:
                task.report(handed / commands.frames, "preparing instant scrubbing")
            if not keep(image):
                break
    finally:
        process.kill()
        problem = process.stderr.read().decode(errors="replace") if process.stderr else ""
        process.wait()
        children.forget(process)
    if handed == 0 and problem.strip():
        raise RenderError(f"could not render the preview: {problem.strip()[-300:]}")
    return handed
