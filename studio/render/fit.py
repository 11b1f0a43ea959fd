"""Fit a picture to the canvas: crop around a focus point, or fit over blur or a colour."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

from studio.model.timeline import Clip, Fit, MediaRef
from studio.render.plan import Stream

Color = dict[str, str]
Grade = Callable[[Stream], Stream]
# The pixel formats sources come in, as a cut before a grade keeps them: ffmpeg converts a
# picture for a filter that wants RGB where the formats first stop matching, so without this
# the conversion (and the grade's cost) would come before the crop, at the whole picture's
# size. No RGB format is listed: one would let the conversion move back before the crop.
SOURCE_YUV = "yuv420p|yuvj420p|yuv422p|yuvj422p|yuv444p|yuvj444p"
SOURCE_YUV += "|yuv420p10le|yuv422p10le|yuv444p10le"
_MATRICES = {
    "bt470bg": "bt601",
    "smpte170m": "bt601",
    "bt709": "bt709",
    "fcc": "fcc",
    "smpte240m": "smpte240m",
    "bt2020nc": "bt2020",
    "bt2020c": "bt2020",
}


def picture_on_clock(video: Stream, clip: Clip, fps: int) -> Stream:
    """A clip's picture at its speed, in square pixels, at `fps` from the time origin it shares
    with its sound: the start of every clip chain, edit or duet."""
    timing = clip.pts_expression()
    if timing:
        video = video.filter("setpts", timing)
    if clip.media.sar != 1:
        video = video.filter("scale", "trunc(iw*sar/2)*2", "ih").filter("setsar", 1)
    return video.filter("fps", fps, start_time=0)


def color_conversion(media: MediaRef) -> Color:
    """scale options that bring a source to BT.709 limited range, the colour the export is tagged.

    Untagged sources follow the usual convention: HD (720 lines or more) is BT.709, SD is BT.601.
    Sources already in BT.709 limited range need no conversion (and the scaler runs faster).
    """
    short_side = min(media.width, media.height)
    matrix = media.color_matrix or ("bt709" if short_side >= 720 else "bt601")
    if matrix == "bt709" and not media.full_range:
        return {}
    source = _MATRICES.get(matrix, "bt601")
    return {"in_color_matrix": source, "out_color_matrix": "bt709", "out_range": "tv"}


def fit_to_canvas(
    video: Stream,
    fit: Fit,
    width: int,
    height: int,
    color: Color,
    follow: str = "",
    cut_first: bool = False,
    grade: Grade | None = None,
) -> Stream:
    """The picture filling the canvas as `fit` says; `follow` is the focus expression of a
    follow crop (follow_focus), evaluated on every frame. A crop that takes the picture at
    its own size (`cut_first`: crop_needs_no_scale) cuts before the colour conversion, which
    then converts only the canvas's pixels, and `grade` colours the cut part in between
    (render/chain.py looks_after_fit); other fits take no grade."""
    if fit.mode == "pad":
        return _pad(video, fit.pad_color, width, height, color)
    if fit.mode == "blur":
        return _blur(video, width, height, color)
    if cut_first:
        return _cut_first(video, fit, width, height, color, follow, grade)
    return _crop(video, fit, width, height, color, follow)


def follow_focus(clip: Clip, fps: int) -> str:
    """The focus of a follow crop on output frame `n` of the clip, as an ffmpeg expression:
    straight lines between its keys (key times turned into the clip's frame numbers);
    "" where the clip does not follow or has no keys yet."""
    if clip.fit.mode != "follow" or not clip.fit.keys:
        return ""
    frames = [float(clip.timeline_at(key.time) * fps) for key in clip.fit.keys]
    focus = [key.focus for key in clip.fit.keys]
    if len(frames) == 1:
        return f"{focus[0]:.4f}"
    first, last = frames[0], frames[-1]
    terms = [
        f"gte(ld(0),{a:.3f})*lt(ld(0),{b:.3f})*({fa:.4f}+{fb - fa:.4f}*(ld(0)-{a:.3f})/{b - a:.3f})"
        for a, b, fa, fb in zip(frames, frames[1:], focus, focus[1:])
    ]
    terms.append(f"gte(ld(0),{last:.3f})*{focus[-1]:.4f}")
    return f"st(0,clip(n,{first:.3f},{last:.3f}));" + "+".join(terms)


def still_fit(fit: Fit, time: Fraction) -> Fit:
    """The fit of one still frame at `time` of the file: a follow crop held where it is then."""
    if fit.mode != "follow" or not fit.keys:
        return fit
    focus = fit.focus_at(time)
    return replace(fit, mode="crop", focus_x=focus, focus_y=focus, keys=())


def _crop(video: Stream, fit: Fit, width: int, height: int, color: Color, follow: str) -> Stream:
    video = video.filter("scale", width, height, force_original_aspect_ratio="increase", **color)
    return _square(video.filter("crop", width, height, *_crop_place(fit, follow)))


def _cut_first(
    video: Stream,
    fit: Fit,
    width: int,
    height: int,
    color: Color,
    follow: str,
    grade: Grade | None,
) -> Stream:
    """_crop's picture cut before the scale, which changes no size here (crop_needs_no_scale)
    and only converts the colours: the same pixels as _crop's, which cuts 4:2:0 pixels (its
    corner falls on even rows and columns), for a third of the conversion on a 1706x960
    preview proxy. `grade` colours the cut part in the source's colours, as before the fit."""
    x, y = (f"2*trunc({place}/2)" for place in _crop_place(fit, follow))
    video = video.filter("crop", width, height, x, y)
    if grade is not None:
        video = grade(video.filter("format", SOURCE_YUV))
    return _square(video.filter("scale", width, height, **color))


def crop_needs_no_scale(media: MediaRef, width: int, height: int) -> bool:
    """Whether a crop fit takes the picture at its own size: square pixels, one side the
    canvas's and the other at least as long (a 1706x960 preview proxy on a 540x960 frame)."""
    if media.sar != 1:
        return False
    across, down = media.width == width, media.height == height
    return (across and media.height >= height) or (down and media.width >= width)


def _crop_place(fit: Fit, follow: str) -> tuple[str, str]:
    """Where a crop's corner goes: the one axis with room to move moves to the focus (the
    other has none: (iw-ow) is 0), on every frame for a follow crop."""
    if follow:
        return f"(iw-ow)*({follow})", f"(ih-oh)*({follow})"
    return f"(iw-ow)*{fit.focus_x:.4f}", f"(ih-oh)*{fit.focus_y:.4f}"


def _inside(video: Stream, width: int, height: int, color: Color) -> Stream:
    return video.filter(
        "scale",
        width,
        height,
        force_original_aspect_ratio="decrease",
        force_divisible_by=2,
        **color,
    )


def _pad(video: Stream, pad_color: str, width: int, height: int, color: Color) -> Stream:
    video = _inside(video, width, height, color)
    fill = "0x" + pad_color.lstrip("#")
    return _square(video.filter("pad", width, height, "(ow-iw)/2", "(oh-ih)/2", color=fill))


def _blur(video: Stream, width: int, height: int, color: Color) -> Stream:
    """The clip fitted inside, over a blurred, enlarged copy of itself (blurred at 1/8 size)."""
    split = video.split()
    small_w, small_h = _even(width // 8), _even(height // 8)
    back = split[0].filter("scale", small_w, small_h, force_original_aspect_ratio="increase")
    radius = min(6, max(0, (min(small_w, small_h) // 2 - 1) // 2))  # < half a chroma side
    back = back.filter("crop", small_w, small_h).filter("boxblur", radius, 2)
    back = back.filter("scale", width, height, **color).filter("setsar", 1)
    front = _inside(split[1], width, height, color)
    return _square(back.overlay(front, x="(W-w)/2", y="(H-h)/2"))


def _square(video: Stream) -> Stream:
    return video.filter("setsar", 1).filter("format", "yuv420p")


def _even(value: int) -> int:
    return max(2, value - value % 2)
