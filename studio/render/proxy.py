"""Preview proxies: every source re-encoded once as upright, square-pixel, all-intra MJPEG.

Scrubbing seeks constantly; in a long-GOP H.264 clip each seek decodes up to a GOP of frames.
In a proxy every frame is a keyframe, so a preview frame decodes one small picture. Proxies keep
the source's timestamps (from zero, like the export's input seek), so a clip's in and out points
mean the same in both, and the preview still goes through the export's own clip chain.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from studio.errors import MediaError, RenderError
from studio.io.cache import cache_dir, content_key, temporary_beside
from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.io.files import replace_file
from studio.io.runner import Task, as_task, ffmpeg
from studio.model.timeline import MediaRef, Project, video_clips
from studio.render.fit import color_conversion

PROXY_HEIGHT = 960
PROXY_TIMEOUT = 3600.0


def proxy_size(media: MediaRef, height: int = PROXY_HEIGHT) -> tuple[int, int]:
    """Display-shaped size no taller than `height`, even sides."""
    tall = min(height, media.height - media.height % 2) or 2
    wide = max(2, round(media.width * tall / max(media.height, 1) / 2) * 2)
    return wide, tall


def proxy_of(media: MediaRef, task: Task | None = None) -> MediaRef:
    """The cached proxy of `media`, made on first use."""
    if not Path(media.path).is_file():
        raise MediaError("file not found (moved or deleted?)", media.path)
    width, height = proxy_size(media)
    target = _target(media)
    if not target.exists():
        _make(media, width, height, target, as_task(task))
    return _as_proxy(media, target)


def made_proxy(media: MediaRef) -> MediaRef:
    """The proxy of `media` if it is made already, else `media` itself (never builds one)."""
    try:
        target = _target(media)
    except OSError:
        return media
    return _as_proxy(media, target) if target.exists() else media


def _target(media: MediaRef) -> Path:
    width, height = proxy_size(media)
    return cache_dir("proxies") / f"{content_key(media.path, 'proxy', width, height)}.mkv"


def _as_proxy(media: MediaRef, target: Path) -> MediaRef:
    width, height = proxy_size(media)
    return replace(
        media,
        path=str(target),
        width=width,
        height=height,
        rotation=0,
        sar=Fraction(1),
        start_time=Fraction(0),
        color_matrix="bt709",
        full_range=True,
    )


def with_proxies(project: Project, task: Task | None = None, make: bool = True) -> Project:
    """The same project reading every clip, duet sides included, from its proxy (the music is
    not needed for pictures). With `make` false, only proxies made already are used."""
    task = as_task(task)
    clips = video_clips(project)
    read = [clip.media for clip in clips if not clip.media.generated and not clip.media.endless]
    sources = {media.path: media for media in read}  # a picture is small: read as it is
    proxies = {
        path: proxy_of(media, task.part(index / len(sources), (index + 1) / len(sources)))
        if make
        else made_proxy(media)
        for index, (path, media) in enumerate(sources.items())
    }
    return project.with_every_clip(
        lambda clip: replace(clip, media=proxies.get(clip.media.path, clip.media))
    )


def _make(media: MediaRef, width: int, height: int, target: Path, task: Task) -> None:
    temp = temporary_beside(target, ".mkv")
    seconds = max(float(media.duration), 0.1)
    args = _proxy_args(media, width, height, temp)
    try:
        done = ffmpeg(args, task, PROXY_TIMEOUT, media.path, seconds, "making a preview proxy")
    except BaseException:  # cancelled or stalled: no half-made proxy stays behind
        temp.unlink(missing_ok=True)
        raise
    if done.returncode != 0:
        temp.unlink(missing_ok=True)
        raise RenderError(
            f"could not make a preview proxy: {done.stderr.strip()[-300:]}", media.path
        )
    replace_file(temp, target)


def _proxy_args(media: MediaRef, width: int, height: int, output: Path) -> list[str]:
    conversion = color_conversion(media)
    matrix = f":in_color_matrix={conversion['in_color_matrix']}" if conversion else ""
    picture = (
        f"scale={width}:{height}{matrix}:out_color_matrix=bt709:out_range=pc,"
        "setsar=1,format=yuvj420p"
    )
    return [
        *("-y", "-loglevel", "error", "-i", ffmpeg_path_arg(media.path), "-map", "0:V:0"),
        *("-vf", picture, "-fps_mode", "passthrough"),
        # the source's own time base: a rounded one let two VFR frames share a timestamp
        *("-enc_time_base:v", "demux"),
        *("-c:v", "mjpeg", "-q:v", "6", "-an", "-f", "matroska", str(output)),
    ]
