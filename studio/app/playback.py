"""Playback for the app's preview: the commands that stream the composed edit from a frame."""

from __future__ import annotations

from studio.io.cache import cache_dir
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.model.time import nearest_frame
from studio.model.timeline import Project
from studio.render.playback import Playback


def playback(project: Project, start: int, size: tuple[int, int] = (540, 960)) -> Playback:
    """Picture and sound commands from frame `start` at preview `size`; pictures come from the
    preview proxies already made (originals where a proxy is still being built). Writes the
    text overlays' pictures, so call it off the GUI thread."""
    from studio.render.images import make_images
    from studio.render.plan import Frame, make_plan
    from studio.render.playback import playback_commands
    from studio.render.proxy import with_proxies

    plan = make_plan(project, Frame(*size, project.canvas.fps), cache_dir("images"))
    make_images(plan.images, plan.image_dir)
    pictures = with_proxies(project, make=False)
    return playback_commands(project, plan, start, ffmpeg_exe(), pictures)


def frame_count(project: Project) -> int:
    """Frames in the edit at its canvas rate (the player's last frame is one less)."""
    return nearest_frame(project.duration, project.canvas.fps)
