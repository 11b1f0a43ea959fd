"""Parse the input report ffmpeg prints for `ffmpeg -i FILE` into stream facts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

_STREAM = re.compile(
    r"^\s*Stream #0:(\d+)(?:\[[^\]]*\])?(?:\([^)]*\))?: "
    r"(Video|Audio|Subtitle|Data|Attachment): ([^,\s]+)(.*)$"
)
_DURATION = re.compile(
    r"Duration: (?:(\d+):(\d+):(\d+(?:\.\d+)?)|N/A)(?:, start: (-?\d+(?:\.\d+)?))?"
)
_SIZE = re.compile(r", (\d{1,5})x(\d{1,5})(?=[\s,]|$)")
_SAR = re.compile(r"SAR (\d+):(\d+)")
_FPS = re.compile(r", (\d+(?:\.\d+)?)(k?) fps")
_TBR = re.compile(r", (\d+(?:\.\d+)?)(k?) tbr")
_PIXEL = re.compile(r", (\w+)(?:\(([^)]*)\))?, \d+x\d+")
_MATRIX = re.compile(r"\b(bt709|bt470bg|smpte170m|smpte240m|bt2020nc|bt2020c|fcc)\b")
_RATE = re.compile(r", (\d+) Hz, ([^,]+)")
_ROTATION = re.compile(
    r"(?:Display Matrix|displaymatrix): rotation of (-?[\d.]+|-?nan|-?inf) degrees", re.I
)
_LAYOUTS = {
    "mono": 1,
    "stereo": 2,
    "2.1": 3,
    "3.0": 3,
    "quad": 4,
    "4.0": 4,
    "4.1": 5,
    "5.0": 5,
    "5.1": 6,
    "6.0": 6,
    "6.1": 7,
    "7.0": 7,
    "7.1": 8,
    "downmix": 2,
}


@dataclass(frozen=True)
class StreamInfo:
    index: int
    kind: str  # "video" | "audio" | ...
    codec: str
    width: int = 0
    height: int = 0
    sar: Fraction = Fraction(1)
    fps: Fraction = Fraction(0)
    rotation: int = 0  # clockwise degrees a player turns the picture: 0, 90, 180, 270
    attached_pic: bool = False
    color_matrix: str = ""
    full_range: bool = False
    sample_rate: int = 0
    channels: int = 0

    def display_size(self) -> tuple[int, int]:
        """Size as shown: stored width stretched by the SAR, then turned by the rotation."""
        width = round(self.width * self.sar) if self.sar > 0 else self.width
        return (self.height, width) if self.rotation in (90, 270) else (width, self.height)


@dataclass(frozen=True)
class Report:
    streams: tuple[StreamInfo, ...]
    duration: Fraction | None
    start: Fraction

    def main_video(self) -> StreamInfo | None:
        """The first real video stream; cover art in audio files is not video."""
        return next((s for s in self.streams if s.kind == "video" and not s.attached_pic), None)

    def main_audio(self) -> StreamInfo | None:
        return next((s for s in self.streams if s.kind == "audio"), None)

    @property
    def cover_art(self) -> bool:
        return any(s.attached_pic for s in self.streams)


def parse_report(stderr: str) -> Report | None:
    """The first input's report, or None when ffmpeg could not open the input."""
    if "Error opening input" in stderr or "Input #0" not in stderr:
        return None
    section = stderr.split("Input #0", 1)[1]
    section = re.split(r"\n(?:Stream mapping:|Output #|At least one output)", section, maxsplit=1)[
        0
    ]
    duration, start = _duration(section)
    streams = tuple(_stream(block) for block in _stream_blocks(section))
    return Report(streams, duration, start)


def _duration(section: str) -> tuple[Fraction | None, Fraction]:
    found = _DURATION.search(section)
    if not found:
        return None, Fraction(0)
    hours, minutes, secs, start = found.groups()
    start_time = Fraction(start) if start else Fraction(0)
    if hours is None:
        return None, start_time
    return Fraction(int(hours) * 3600 + int(minutes) * 60) + Fraction(secs), start_time


def _stream_blocks(section: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    for line in section.splitlines():
        if _STREAM.match(line):
            blocks.append([line])
        elif blocks and line.startswith("    "):
            blocks[-1].append(line)
    return blocks


def _stream(block: list[str]) -> StreamInfo:
    head = _STREAM.match(block[0])
    assert head is not None
    index, kind = int(head.group(1)), head.group(2).lower()
    codec, rest = head.group(3), head.group(4)
    if kind == "audio":
        return _audio(index, codec, rest)
    if kind == "video":
        return _video(index, codec, rest, "\n".join(block[1:]))
    return StreamInfo(index, kind, codec)


def _video(index: int, codec: str, rest: str, side: str) -> StreamInfo:
    size = _SIZE.search(rest)
    sar = _SAR.search(rest)
    return StreamInfo(
        index=index,
        kind="video",
        codec=codec,
        width=int(size.group(1)) if size else 0,
        height=int(size.group(2)) if size else 0,
        sar=_sar(sar),
        fps=_rate(_FPS.search(rest)) or _rate(_TBR.search(rest)),
        rotation=_rotation(side),
        attached_pic="(attached pic)" in rest,
        **_color(codec, rest),
    )


def _color(codec: str, rest: str) -> dict[str, Any]:
    """Matrix and range from "yuv420p(tv, bt709/unknown/unknown, progressive)"."""
    described = _PIXEL.search(rest)
    if not described:
        return {}
    pixel_format, details = described.group(1), described.group(2) or ""
    matrix = _MATRIX.search(details)
    full = "pc" in details.split(", ") or pixel_format.startswith("yuvj") or codec == "mjpeg"
    return {"color_matrix": matrix.group(1) if matrix else "", "full_range": full}


def _sar(found: re.Match[str] | None) -> Fraction:
    if not found or int(found.group(2)) == 0 or int(found.group(1)) == 0:
        return Fraction(1)
    return Fraction(int(found.group(1)), int(found.group(2)))


def _rate(found: re.Match[str] | None) -> Fraction:
    if not found:
        return Fraction(0)
    value = Fraction(found.group(1)) * (1000 if found.group(2) else 1)
    return value if value < 1000 else Fraction(0)  # "90k tbr" is a timebase, not a rate


def _rotation(side: str) -> int:
    found = _ROTATION.search(side)
    if not found or found.group(1).lstrip("-") in ("nan", "inf"):
        return 0
    return round(-float(found.group(1)) / 90) % 4 * 90


def _audio(index: int, codec: str, rest: str) -> StreamInfo:
    found = _RATE.search(rest)
    rate = int(found.group(1)) if found else 0
    return StreamInfo(
        index=index,
        kind="audio",
        codec=codec,
        sample_rate=rate,
        channels=_channels(found.group(2).strip() if found else ""),
    )


def _channels(layout: str) -> int:
    count = re.match(r"(\d+) channels", layout)
    if count:
        return int(count.group(1))
    return _LAYOUTS.get(layout.split("(")[0].strip(), 2 if layout else 0)
