"""Duets compiled into the same kind of graph as edits: two inputs, a layout, one mix.

Both sides are brought to the canvas rate from the time origin they share with their sound, so
picture and sound of each side stay together, and both are placed by whole output frames (the
offset of your side is rounded to the nearest frame for picture and to the sample for sound).
Every stream is cut to exactly the duet's frames and samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import ffmpeg

from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.model.platform import SAFE_BOTTOM, SAFE_LEFT, SAFE_RIGHT, SAFE_TOP
from studio.model.prepared import YOURS
from studio.model.remix import your_range
from studio.model.time import nearest_frame, seconds
from studio.model.timeline import Clip, Duet, Fit, Layout
from studio.render.audio import AUDIO_RATE, clip_tempo, exact_length, on_clock
from studio.render.fit import color_conversion, fit_to_canvas, picture_on_clock
from studio.render.images import Image
from studio.render.plan import Plan, Stream

BORDER = 0.008  # of the canvas width, around a picture-in-picture (kept in the safe zone)
# Ducking the original under your voice: a sidechain compressor keyed by your sound.
DUCK = {"threshold": 0.03, "ratio": 6, "attack": 20, "release": 400}


@dataclass(frozen=True)
class Region:
    x: int
    y: int
    width: int
    height: int


def regions(layout: Layout, width: int, height: int) -> tuple[Region, Region]:
    """Where the original and your picture go."""
    if layout.kind == "side":
        half = width // 2 // 2 * 2
        return Region(0, 0, half, height), Region(half, 0, width - half, height)
    if layout.kind == "stack":
        half = height // 2 // 2 * 2
        return Region(0, 0, width, half), Region(0, half, width, height - half)
    return Region(0, 0, width, height), _corner(layout, width, height)


def _corner(layout: Layout, width: int, height: int, aspect: float = 16 / 9) -> Region:
    """Your picture's place: `size` of the canvas width, `aspect` tall for its width, at the
    layout's corner inside the platforms' safe zone."""
    w = round(width * layout.size / 2) * 2
    h = round(w * aspect / 2) * 2
    if layout.corner == "bottom-center":
        x = (width - w) // 2
    elif "left" in layout.corner:
        x = round(width * SAFE_LEFT)
    else:
        x = width - w - round(width * SAFE_RIGHT)
    y = (
        round(height * SAFE_TOP)
        if "top" in layout.corner
        else height - h - round(height * SAFE_BOTTOM)
    )
    return Region(x, y, w, h)


def pip_images(layout: Layout, width: int, height: int) -> tuple[Image, Image]:
    pip = _corner(layout, width, height)
    radius = round(pip.width * layout.radius)
    border = max(2, round(width * BORDER))
    mask = Image("mask", pip.width, pip.height, radius)
    frame = Image(
        "frame", pip.width + 2 * border, pip.height + 2 * border, radius + border, layout.border
    )
    return mask, frame


def duet_video(duet: Duet, plan: Plan, frames: int) -> Stream:
    if duet.layout.kind == "greenscreen":
        return _greenscreen(duet, plan, frames)
    width, height, fps = plan.frame.width, plan.frame.height, plan.frame.fps
    original_region, your_region = regions(duet.layout, width, height)
    fit = Fit(duet.layout.fit)
    first, second = _streams(duet, "video")
    original = _side_video(first, duet.original, original_region, fit, fps, 0, frames, duet.fill)
    delay = max(0, nearest_frame(duet.offset, fps))
    your_clip = your_range(duet)
    yours = _side_video(second, your_clip, your_region, fit, fps, delay, frames, duet.fill)
    if duet.layout.kind == "side":
        return ffmpeg.filter([original, yours], "hstack", inputs=2)
    if duet.layout.kind == "stack":
        return ffmpeg.filter([original, yours], "vstack", inputs=2)
    return _picture_in_picture(original, yours, duet.layout, plan, frames)


def _greenscreen(duet: Duet, plan: Plan, frames: int) -> Stream:
    """You, cut out of your own background by the person mask, over the original."""
    width, height, fps = plan.frame.width, plan.frame.height, plan.frame.fps
    first, second = _streams(duet, "video")
    whole = Region(0, 0, width, height)
    original = _side_video(
        first, duet.original, whole, Fit(duet.layout.fit), fps, 0, frames, duet.fill
    )
    your_clip = your_range(duet)
    media = your_clip.media
    place = _corner(duet.layout, width, height, media.height / max(1, media.width))
    delay = max(0, nearest_frame(duet.offset, fps))
    mode = "clone" if duet.fill == "freeze" else "add"
    yours = _timed(picture_on_clock(second, your_clip, fps), delay, mode, frames, fps)
    yours = yours.filter("scale", place.width, place.height, **color_conversion(media))
    mask = plan.masks.get(YOURS)
    if mask is None:  # no mask given (a check of the graph alone): your whole picture
        return ffmpeg.filter([original, yours], "overlay", x=place.x, y=place.y)
    # before and after your video: frozen on its first and last frame, or gone ("pad")
    alpha = _timed(ffmpeg.input(ffmpeg_path_arg(mask)).video, delay, mode, frames, fps)
    alpha = alpha.filter("gblur", sigma=0.8).filter("scale", place.width, place.height)
    cut_out = ffmpeg.filter([yours.filter("format", "yuva420p"), alpha], "alphamerge")
    return ffmpeg.filter([original, cut_out], "overlay", x=place.x, y=place.y, format="auto")


def _timed(video: Stream, delay: int, mode: str, frames: int, fps: int) -> Stream:
    """Starting `delay` frames late and exactly `frames` long."""
    if delay:
        video = video.filter("tpad", start=delay, start_mode=mode)
    video = video.filter("tpad", stop_mode=mode, stop_duration=seconds(Fraction(frames, fps)))
    return video.filter("trim", end_frame=frames).filter("setpts", "N/FRAME_RATE/TB")


def duet_audio(duet: Duet, samples: int) -> Stream:
    """The duet's sound: the sides the audio mode keeps that have sound and are not muted."""
    delay = max(0, round(duet.offset * AUDIO_RATE))
    sides = {
        "original": (duet.original, duet.original_volume, 0),
        "yours": (your_range(duet), duet.your_volume, delay),
    }
    kept = ("original", "yours") if duet.audio == "both" else (duet.audio,)
    audible = [name for name in kept if sides[name][0].media.has_audio and sides[name][1] > 0]
    if not audible:
        silence = ffmpeg.input(f"anullsrc=r={AUDIO_RATE}:cl=stereo", f="lavfi").audio
        return exact_length(silence, samples)
    inputs = dict(zip(("original", "yours"), _streams(duet, "audio")))
    streams = {name: _side_audio(inputs[name], *sides[name], samples) for name in audible}
    if len(streams) == 1:
        return next(iter(streams.values()))
    split = streams["yours"].filter_multi_output("asplit", 2)
    key, voice = split.stream(0), split.stream(1)
    ducked = ffmpeg.filter([streams["original"], key], "sidechaincompress", **DUCK)
    mixed = ffmpeg.filter([ducked, voice], "amix", inputs=2, duration="first", normalize=0)
    return exact_length(mixed, samples)


def _input(clip: Clip) -> Stream:
    return ffmpeg.input(
        ffmpeg_path_arg(clip.media.path),
        ss=seconds(clip.source_in),
        t=seconds(clip.source_duration),
    )


def _streams(duet: Duet, kind: str) -> tuple[Stream, Stream]:
    """The original's and your input stream of `kind`; one input split in two when both sides
    are the same range of the same file (a graph may use a stream only once)."""
    original, yours = duet.original, your_range(duet)
    first = getattr(_input(original), kind)
    same = (original.media.path, original.source_in, original.source_out) == (
        yours.media.path,
        yours.source_in,
        yours.source_out,
    )
    if not same:
        return first, getattr(_input(yours), kind)
    split = first.filter_multi_output("split" if kind == "video" else "asplit", 2)
    return split.stream(0), split.stream(1)


def _side_video(
    video: Stream,
    clip: Clip,
    region: Region,
    fit: Fit,
    fps: int,
    delay: int,
    frames: int,
    fill: str,
) -> Stream:
    video = picture_on_clock(video, clip, fps)
    mode = "clone" if fill == "freeze" else "add"
    if delay:
        video = video.filter("tpad", start=delay, start_mode=mode)
    video = video.filter("tpad", stop_mode=mode, stop_duration=seconds(Fraction(frames, fps)))
    video = video.filter("trim", end_frame=frames).filter("setpts", "N/FRAME_RATE/TB")
    # placed by whole frames at the source size first: frames past the duet are never scaled
    return fit_to_canvas(video, fit, region.width, region.height, color_conversion(clip.media))


def _picture_in_picture(
    original: Stream, yours: Stream, layout: Layout, plan: Plan, frames: int
) -> Stream:
    width, height, fps = plan.frame.width, plan.frame.height, plan.frame.fps
    mask, frame = pip_images(layout, width, height)
    pip = _corner(layout, width, height)
    length = seconds(Fraction(frames, fps))
    mask_stream = _still(plan.path(mask), fps, length)
    frame_stream = _still(plan.path(frame), fps, length)
    rounded = ffmpeg.filter([yours.filter("format", "yuva420p"), mask_stream], "alphamerge")
    border = (frame.width - pip.width) // 2
    framed = ffmpeg.filter([original, frame_stream], "overlay", x=pip.x - border, y=pip.y - border)
    return ffmpeg.filter([framed, rounded], "overlay", x=pip.x, y=pip.y)


def _still(path: Path, fps: int, length: float) -> Stream:
    return ffmpeg.input(ffmpeg_path_arg(path), loop=1, framerate=fps, t=length).video


def _side_audio(audio: Stream, clip: Clip, volume: float, delay: int, samples: int) -> Stream:
    audio = clip_tempo(on_clock(audio), clip)
    audio = audio.filter("aformat", sample_fmts="fltp", channel_layouts="stereo")
    if volume != 1:
        audio = audio.filter("volume", round(volume, 4))
    if delay:
        audio = audio.filter("adelay", delays=f"{delay}S", all=1)
    return exact_length(audio, samples)
