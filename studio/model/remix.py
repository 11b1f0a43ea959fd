"""Remix projects: a duet (two videos together) and a stitch (a few seconds of one, then yours).

Pure: probed media in, a normal Project out, which `studio export` renders like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from studio.errors import ProjectError
from studio.model.edits import clip_of
from studio.model.limits import (
    LIMITS,
    check_choice,
    check_range,
    check_text,
    check_time,
    refuse,
)
from studio.model.timeline import (
    Canvas,
    Clip,
    Duet,
    DuetAudio,
    FillMode,
    Fit,
    Layout,
    MediaRef,
    Project,
    TextOverlay,
    Track,
)

LengthRule = Literal["original", "shorter", "longer"]
Transition = Literal["none", "fade"]
STITCH_MAX = Fraction(LIMITS["stitch.length"].high)
DIP = Fraction(1, 5)  # each side of a fade transition


@dataclass(frozen=True)
class DuetOptions:
    layout: Layout = field(default_factory=Layout)
    audio: DuetAudio = "both"
    offset: Fraction = Fraction(0)  # your take starts this far into the original
    length: LengthRule = "original"
    fill: FillMode = "freeze"
    original_volume: float = 1.0
    your_volume: float = 1.0

    def __post_init__(self) -> None:
        check_range("duet.offset", self.offset, "offset")
        check_choice("duet.length", self.length, "length")
        check_choice("duet.audio", self.audio, "audio")
        check_choice("duet.fill", self.fill, "fill")
        check_range("duet.volume", self.original_volume, "original_volume")
        check_range("duet.volume", self.your_volume, "your_volume")


@dataclass(frozen=True)
class StitchOptions:
    start: Fraction = Fraction(0)  # in-point in the original
    length: Fraction = STITCH_MAX
    transition: Transition = "none"
    credit: str | None = None  # on-screen text over the original's part; "" for the default

    def __post_init__(self) -> None:
        check_time(self.start, "start")
        check_range("stitch.length", self.length, "length")
        check_choice("stitch.transition", self.transition, "transition")
        if self.credit:
            check_text(self.credit, "credit")


def duet_project(
    original: MediaRef, yours: MediaRef, options: DuetOptions, canvas: Canvas | None = None
) -> Project:
    """A duet of two whole videos, as long as the length rule says."""
    _need_video(original, yours, "duet with")
    your_end = options.offset + yours.duration
    if your_end <= 0 or options.offset >= original.duration:
        refuse("offset", "with that offset the two videos never play at the same time")
    ends = {
        "original": original.duration,
        "shorter": min(original.duration, your_end),
        "longer": max(original.duration, your_end),
    }
    fit = Fit(options.layout.fit)
    duet = Duet(
        original=clip_of(original, fit),
        yours=clip_of(yours, fit),
        duration=ends[options.length],
        layout=options.layout,
        offset=options.offset,
        fill=options.fill,
        audio=options.audio,
        original_volume=options.original_volume,
        your_volume=options.your_volume,
    )
    return Project(canvas or Canvas(), Track(), duet=duet, attribution=f"Duet with {original.name}")


def stitch_project(
    original: MediaRef, yours: MediaRef, options: StitchOptions, canvas: Canvas | None = None
) -> Project:
    """Up to 5 s of the original from the in-point, then your whole video."""
    _need_video(original, yours, "stitch")
    if options.start >= original.duration:
        refuse(
            "start",
            f"{float(options.start):.2f} s is past the end of the original "
            f"({float(original.duration):.2f} s)",
        )
    end = min(options.start + options.length, original.duration)
    dip = DIP if options.transition == "fade" else Fraction(0)
    theirs = Clip(original, options.start, end, fade_out=dip)
    mine = Clip(yours, Fraction(0), yours.duration, fade_in=dip)
    texts: tuple[TextOverlay, ...] = ()
    if options.credit is not None:
        text = options.credit.strip() or f"Stitched from {original.name}"
        texts = (TextOverlay(text, Fraction(0), end - options.start, "bottom"),)
    return Project(
        canvas or Canvas(),
        Track((theirs, mine)),
        texts=texts,
        attribution=f"Stitched from {original.name}",
    )


def your_range(duet: Duet) -> Clip:
    """Your clip, with what plays before the original's start cut off (a negative offset)."""
    if duet.offset >= 0:
        return duet.yours
    skip = min(-duet.offset * duet.yours.speed, duet.yours.source_duration)
    source_in = duet.yours.source_in + skip
    return Clip(
        duet.yours.media,
        min(source_in, duet.yours.source_out),
        duet.yours.source_out,
        duet.yours.speed,
    )


def _need_video(original: MediaRef, yours: MediaRef, action: str) -> None:
    for media in (original, yours):
        if not media.has_video:
            raise ProjectError(f"has no video to {action}", media.path)
