"""Fit a picture to the canvas: crop around a focus point, or fit over blur or a colour."""

from __future__ import annotations

from typing import Any

from studio.model.timeline import Fit

Stream = Any

# Every scale converts to BT.709 limited range, the colour tags the export writes.
_COLOR = {"out_color_matrix": "bt709", "out_range": "tv"}


def fit_to_canvas(video: Stream, fit: Fit, width: int, height: int) -> Stream:
    if fit.mode == "pad":
        return _pad(video, fit.pad_color, width, height)
    if fit.mode == "blur":
        return _blur(video, width, height)
    return _crop(video, fit.focus_x, fit.focus_y, width, height)


def _crop(video: Stream, focus_x: float, focus_y: float, width: int, height: int) -> Stream:
    video = video.filter("scale", width, height, force_original_aspect_ratio="increase", **_COLOR)
    x = f"(iw-ow)*{focus_x:.4f}"
    y = f"(ih-oh)*{focus_y:.4f}"
    return video.filter("crop", width, height, x, y).filter("setsar", 1).filter("format", "yuv420p")


def _inside(video: Stream, width: int, height: int) -> Stream:
    return video.filter(
        "scale",
        width,
        height,
        force_original_aspect_ratio="decrease",
        force_divisible_by=2,
        **_COLOR,
    )


def _pad(video: Stream, color: str, width: int, height: int) -> Stream:
    video = _inside(video, width, height)
    padded = video.filter(
        "pad", width, height, "(ow-iw)/2", "(oh-ih)/2", color="0x" + color.lstrip("#")
    )
    return padded.filter("setsar", 1).filter("format", "yuv420p")


def _blur(video: Stream, width: int, height: int) -> Stream:
    """The clip fitted inside, over a blurred, enlarged copy of itself (blurred at 1/8 size)."""
    split = video.split()
    small_w, small_h = _even(width // 8), _even(height // 8)
    back = split[0].filter("scale", small_w, small_h, force_original_aspect_ratio="increase")
    back = back.filter("crop", small_w, small_h).filter("boxblur", 6, 2)
    back = back.filter("scale", width, height, **_COLOR).filter("setsar", 1)
    front = _inside(split[1], width, height)
    return (
        back.overlay(front, x="(W-w)/2", y="(H-h)/2")
        .filter("setsar", 1)
        .filter("format", "yuv420p")
    )


def _even(value: int) -> int:
    return max(2, value - value % 2)
