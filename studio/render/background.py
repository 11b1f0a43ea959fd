"""Background replacement in the graph: the person (a cached mask video) over a new background.

Works on the clip's picture at its own size, after it is on the export's clock and cut to its
slot, before the fit to the canvas, so every fit (crop, blur, pad) and every later effect sees
an ordinary picture. The mask is softened while small (cheap) and scaled to the picture's size;
the person, with the mask as alpha, is laid over the clip blurred, a colour, or a picture or
video that covers the frame. One graph, one encode.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import ffmpeg

from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.model.time import seconds
from studio.model.timeline import Background, FaceBlur
from studio.render.plan import Stream

BLUR_SCALE = 4  # the background is blurred at a quarter of the size (16x fewer pixels)
BLUR_SIGMA = (1.0, 12.0)  # gblur sigma at the quarter size, strength 0 .. 1
FEATHER_SIGMA = (0.3, 2.5)  # mask softening at the analysis size, feather 0 .. 1
FACE_SCALE = 8  # faces are blurred at an eighth of the size
FACE_SIGMA = (1.5, 6.0)  # gblur sigma at that size, strength 0 .. 1


def with_background(
    video: Stream, background: Background, mask: Path, frames: int, fps: int, first: int = 0
) -> Stream:
    """`video` (exactly `frames` frames at `fps`, from the clip's frame `first`) with its
    background replaced (or, `clear`, the person alone, with the rest transparent)."""
    if background.kind == "clear":
        parts = video.filter_multi_output("split", 2)
        alpha = _mask(mask, background.feather, frames, fps, first, parts.stream(1))
        return ffmpeg.filter([parts.stream(0).filter("format", "yuva420p"), alpha], "alphamerge")
    parts = video.filter_multi_output("split", 3)
    person, behind, size = parts.stream(0), parts.stream(1), parts.stream(2)
    size_parts = size.filter_multi_output("split", 2)
    alpha = _mask(mask, background.feather, frames, fps, first, size_parts.stream(0))
    base = _behind(behind, background, frames, fps, size_parts.stream(1))
    cut_out = ffmpeg.filter([person, alpha], "alphamerge")
    return ffmpeg.filter([base, cut_out], "overlay", x=0, y=0, format="auto")


def with_blurred_faces(
    video: Stream, faces: FaceBlur, mask: Path, frames: int, fps: int, first: int = 0
) -> Stream:
    """`video` with the faces of its face mask blurred (a small, blurred copy shown through
    the mask)."""
    parts = video.filter_multi_output("split", 3)
    picture, copy, size = parts.stream(0), parts.stream(1), parts.stream(2)
    size_parts = size.filter_multi_output("split", 2)
    low, high = FACE_SIGMA
    small = copy.filter("scale", f"trunc(iw/{FACE_SCALE}/2)*2", f"trunc(ih/{FACE_SCALE}/2)*2")
    small = small.filter("gblur", sigma=round(low + (high - low) * faces.strength, 2))
    blurred = ffmpeg.filter([small, size_parts.stream(0)], "scale", w="rw", h="rh")
    alpha = _mask(mask, 0.5, frames, fps, first, size_parts.stream(1))
    hidden = ffmpeg.filter([blurred, alpha], "alphamerge")
    return ffmpeg.filter([picture, hidden], "overlay", x=0, y=0, format="auto")


def with_smooth_skin(
    video: Stream, beauty: float, mask: Path, frames: int, fps: int, first: int = 0
) -> Stream:
    """`video` with the skin of its skin mask smoothed (a softened copy, at half size, shown
    through the mask at `beauty` opacity): pores and blemishes soften, eyes and lips stay."""
    parts = video.filter_multi_output("split", 3)
    picture, copy, size = parts.stream(0), parts.stream(1), parts.stream(2)
    size_parts = size.filter_multi_output("split", 2)
    small = copy.filter("scale", "trunc(iw/4)*2", "trunc(ih/4)*2")
    # edge-preserving: pores and blotches go, the edges of eyes, brows and glasses stay
    small = small.filter("bilateral", sigmaS=round(2 + 4 * beauty, 2), sigmaR=0.1)
    smooth = ffmpeg.filter([small, size_parts.stream(0)], "scale", w="rw", h="rh")
    alpha = _mask(mask, 0.8, frames, fps, first, size_parts.stream(1))
    opacity = round(0.3 + 0.6 * beauty, 3)
    alpha = alpha.filter("lutyuv", y=f"val*{opacity}")  # the mask's opacity
    soft = ffmpeg.filter([smooth, alpha], "alphamerge")
    return ffmpeg.filter([picture, soft], "overlay", x=0, y=0, format="auto")


def with_sticker(video: Stream, layer: Path, frames: int, fps: int, first: int = 0) -> Stream:
    """`video` with its sticker layer (a transparent video the size of the analysis) laid
    over it, scaled to the picture."""
    parts = video.filter_multi_output("split", 2)
    picture, size = parts.stream(0), parts.stream(1)
    sticker = ffmpeg.filter([layer_video(layer, frames, fps, first), size], "scale", w="rw", h="rh")
    return ffmpeg.filter([picture, sticker], "overlay", x=0, y=0, format="auto")


def layer_video(path: Path, frames: int, fps: int, first: int = 0) -> Stream:
    """A cached layer video (mask, sticker, slow render) from its frame `first`, exactly
    `frames` long (a negative `first`, for a transition's handle before the clip, holds its
    first frame that long)."""
    layer = ffmpeg.input(ffmpeg_path_arg(path)).video
    if first < 0:
        layer = layer.filter("tpad", start=-first, start_mode="clone")
        first = 0
    pad = seconds(Fraction(frames + first, fps))
    layer = layer.filter("tpad", stop_mode="clone", stop_duration=pad)
    layer = layer.filter("trim", start_frame=first, end_frame=first + frames)
    return layer.filter("setpts", "N/FRAME_RATE/TB")


def _mask(path: Path, feather: float, frames: int, fps: int, first: int, size: Stream) -> Stream:
    low, high = FEATHER_SIGMA
    mask = layer_video(path, frames, fps, first)
    mask = mask.filter("gblur", sigma=round(low + (high - low) * feather, 2))
    return ffmpeg.filter([mask, size], "scale", w="rw", h="rh", flags="bicubic")


def _behind(video: Stream, background: Background, frames: int, fps: int, size: Stream) -> Stream:
    if background.kind == "blur":
        low, high = BLUR_SIGMA
        small = video.filter("scale", f"trunc(iw/{BLUR_SCALE}/2)*2", f"trunc(ih/{BLUR_SCALE}/2)*2")
        small = small.filter("gblur", sigma=round(low + (high - low) * background.strength, 2))
        return ffmpeg.filter([small, size], "scale", w="rw", h="rh")
    if background.kind == "color":
        return video.filter("drawbox", x=0, y=0, w="iw", h="ih", color=background.color, t="fill")
    return _picture_behind(video, background, frames, fps, size)


def _picture_behind(
    video: Stream, background: Background, frames: int, fps: int, size: Stream
) -> Stream:
    """A picture or a (looping) video scaled to cover the frame, centred over the clip."""
    length = seconds(Fraction(frames, fps))
    if background.kind == "image":
        source = ffmpeg.input(
            ffmpeg_path_arg(background.path), loop=1, framerate=fps, t=length
        ).video
    else:
        source = ffmpeg.input(
            ffmpeg_path_arg(background.path), stream_loop=-1, t=length
        ).video.filter("fps", fps, start_time=0)
    source = source.filter("trim", end_frame=frames).filter("setpts", "N/FRAME_RATE/TB")
    cover = ffmpeg.filter(
        [source, size], "scale", w="rw", h="rh", force_original_aspect_ratio="increase"
    )
    return ffmpeg.filter(
        [video, cover], "overlay", x="(W-w)/2", y="(H-h)/2", eof_action="repeat", format="auto"
    )
