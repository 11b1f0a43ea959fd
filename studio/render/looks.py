"""Colour looks: each is a short chain of ffmpeg colour filters whose amounts scale with the
look's intensity, so 0 leaves the picture as filmed and 1 is the full look. Graded at the
clip's own size before the fit, so a blurred fill and a replaced background share the look
(under a crop that needs no scale, the looks that end the clip's effects grade only the part
shown: render/chain.py, looks_after_fit).

Amounts are chosen to read clearly on a phone without clipping skin tones; every look is a few
ms per 1080x1920 frame (eq, colorbalance, hue and colorchannelmixer are single passes).
"""

from __future__ import annotations

from collections.abc import Callable

from studio.model.timeline import Look
from studio.render.plan import Stream

Grade = Callable[[Stream, float], Stream]


def _warm(video: Stream, i: float) -> Stream:
    video = video.filter("colorbalance", rm=0.08 * i, bm=-0.08 * i, rh=0.05 * i, bh=-0.05 * i)
    return video.filter("eq", saturation=1 + 0.1 * i)


def _cool(video: Stream, i: float) -> Stream:
    video = video.filter("colorbalance", rm=-0.06 * i, bm=0.1 * i, bh=0.05 * i)
    return video.filter("eq", saturation=1 - 0.05 * i)


def _vivid(video: Stream, i: float) -> Stream:
    return video.filter("eq", saturation=1 + 0.6 * i, contrast=1 + 0.12 * i)


def _mono(video: Stream, i: float) -> Stream:
    return video.filter("hue", s=round(1 - i, 4))


def _noir(video: Stream, i: float) -> Stream:
    video = video.filter("hue", s=round(1 - i, 4))
    return video.filter("eq", contrast=1 + 0.45 * i, brightness=-0.04 * i)


def _vintage(video: Stream, i: float) -> Stream:
    """Sepia mixed with the original by intensity, then a lifted, softer contrast."""
    sepia = ((0.393, 0.769, 0.189), (0.349, 0.686, 0.168), (0.272, 0.534, 0.131))
    mix = {}
    for row, name in enumerate("rgb"):
        for column, source in enumerate("rgb"):
            same = 1.0 if row == column else 0.0
            mix[f"{name}{source}"] = round(same + (sepia[row][column] - same) * i * 0.7, 4)
    video = video.filter("colorchannelmixer", **mix)
    return video.filter("eq", contrast=1 - 0.12 * i, brightness=0.02 * i)


def _fade(video: Stream, i: float) -> Stream:
    return video.filter("eq", contrast=1 - 0.3 * i, brightness=0.05 * i, saturation=1 - 0.35 * i)


def _teal_orange(video: Stream, i: float) -> Stream:
    video = video.filter(
        "colorbalance", rs=-0.1 * i, bs=0.12 * i, rh=0.1 * i, gh=0.02 * i, bh=-0.1 * i
    )
    return video.filter("eq", saturation=1 + 0.15 * i)


def _sunset(video: Stream, i: float) -> Stream:
    video = video.filter(
        "colorbalance",
        rs=0.08 * i,
        rm=0.18 * i,
        gm=0.04 * i,
        bm=-0.18 * i,
        rh=0.08 * i,
        bh=-0.08 * i,
    )
    return video.filter("eq", saturation=1 + 0.2 * i, gamma=1 + 0.05 * i)


LOOKS: dict[str, tuple[Grade, str]] = {
    "warm": (_warm, "golden, sunny skin"),
    "cool": (_cool, "blue, calm"),
    "vivid": (_vivid, "punchy colour and contrast"),
    "mono": (_mono, "black and white"),
    "noir": (_noir, "contrasty black and white"),
    "vintage": (_vintage, "sepia, soft, lifted"),
    "fade": (_fade, "matte, washed out"),
    "teal-orange": (_teal_orange, "film: teal shadows, orange highlights"),
    "sunset": (_sunset, "red-gold evening light"),
}


def with_look(video: Stream, look: Look) -> Stream:
    if look.intensity <= 0:
        return video
    grade, _ = LOOKS[look.name]
    return grade(video, round(look.intensity, 3))
