"""Remix projects: a duet (two videos together) and a stitch (a few seconds of one, then yours).

Pure: probed media in, a normal Project out, which `studio export` renders like any other. A
duet is ordinary tracks: the original on the main track, yours on the overlay track "yours",
each placed by a transform (a half of the canvas, a rounded corner picture with a border, or,
for green screen, you cut out of your background by a `clear` background effect), held on
their first or last frame where they do not play (`pad_start`, `pad_end`), and the original's
sound ducked under yours (`ducked_by`). Old projects' duets become the same tracks on load.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal

from studio.errors import ProjectError
from studio.model.clip import PadFill
from studio.model.edits import clip_of
from studio.model.limits import (
    LIMITS,
    check_choice,
    check_range,
    check_text,
    check_time,
    refuse,
)
from studio.model.platform import SAFE_BOTTOM, SAFE_LEFT, SAFE_RIGHT, SAFE_TOP
from studio.model.timeline import (
    Background,
    Canvas,
    Clip,
    Duet,
    DuetAudio,
    FillMode,
    Fit,
    Gap,
    Item,
    Layout,
    MediaRef,
    Project,
    TextOverlay,
    Track,
)
from studio.model.transform import Mask, Transform

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
    canvas = canvas or Canvas()
    main, layers = duet_tracks(duet, canvas)
    return Project(canvas, main, layers=layers, attribution=f"Duet with {original.name}")


YOURS = "yours"  # the id of your track in a duet
BORDER = 0.008  # of the canvas width, around your corner picture (kept in the safe zone)
CUT_OUT = 0.23  # a green-screen duet's edge softness (the mask blurred by 0.8 px at 256 px)


def duet_tracks(duet: Duet, canvas: Canvas) -> tuple[Track, tuple[Track, ...]]:
    """The main track (the original) and your track of a duet."""
    width, height = canvas.width, canvas.height
    places = _places(duet, width, height)
    volumes = _volumes(duet)
    original = _held(duet.original, duet.duration, Fraction(0), duet.fill, volumes[0])
    original = replace(original, transform=places[0])
    yours = _your_clip(duet, volumes[1], places[1])
    ducked = YOURS if duet.audio == "both" and volumes[1] > 0 else ""
    main = Track((original,), ducked_by=ducked)
    items: tuple[Item, ...] = (yours,)
    if duet.fill == "pad" and duet.offset > 0:
        items = (Gap(duet.offset), yours)
    return main, (Track(items, "video", "overlay", YOURS),)


def your_offset(project: Project) -> Fraction | None:
    """How far into the original your take starts, read back from a duet's tracks (negative:
    its first seconds are skipped); None for a project that is not a duet."""
    tracks = [track for track in project.layers if track.id == YOURS]
    if not tracks or not tracks[0].clips:
        return None
    for clip, start, _ in tracks[0].ranges():
        if isinstance(clip, Clip):
            return start + clip.pad_start - clip.source_in / clip.speed
    return None


def _volumes(duet: Duet) -> tuple[float, float]:
    keep = {"both": (1, 1), "original": (1, 0), "yours": (0, 1)}[duet.audio]
    return duet.original_volume * keep[0], duet.your_volume * keep[1]


def _your_clip(duet: Duet, volume: float, place: Transform | None) -> Clip:
    clip = your_range(duet)
    start = max(Fraction(0), duet.offset)
    if duet.fill == "freeze":  # held on its first frame before it starts and its last after
        clip = _held(clip, duet.duration, start, duet.fill, volume)
    else:  # shown only while it plays
        clip = _held(clip, min(clip.duration, duet.duration - start), Fraction(0), "pad", volume)
    if duet.layout.kind == "greenscreen":
        clip = clip.with_effect(Background("clear", feather=CUT_OUT))
    return replace(clip, transform=place, id=duet.yours.id)


def _held(clip: Clip, length: Fraction, before: Fraction, fill: str, volume: float) -> Clip:
    """`clip` (played from `before` on) lasting exactly `length`: cut short, or held on its
    last frame (`freeze`) or black (`pad`) until then."""
    played = length - before
    if played <= 0:
        refuse("offset", "with that offset your video starts after the duet ends")
    if clip.duration > played:
        clip = replace(clip, source_out=clip.source_at(played))
    after = max(Fraction(0), played - clip.played)
    pad: PadFill = "freeze" if fill == "freeze" else "black"
    return replace(clip, pad_start=before, pad_end=after, pad_fill=pad, volume=volume)


def _places(duet: Duet, width: int, height: int) -> tuple[Transform | None, Transform]:
    """Where the original and your picture go, as transforms on a `width` x `height` canvas."""
    layout = duet.layout
    kind = layout.kind
    if kind == "side":
        half = width // 2 // 2 * 2
        return _region(0, 0, half, height, width, height), _region(
            half, 0, width - half, height, width, height
        )
    if kind == "stack":
        half = height // 2 // 2 * 2
        return _region(0, 0, width, half, width, height), _region(
            0, half, width, height - half, width, height
        )
    if kind == "react":
        rounded = Mask("rounded", layout.radius, border=BORDER, border_color=layout.border)
        return None, replace(_cornered(layout, width, height), aspect=16 / 9, mask=rounded)
    return None, _cornered(layout, width, height)


def _region(x: int, y: int, w: int, h: int, width: int, height: int) -> Transform:
    """A transform filling the box x, y, w, h (pixels of a width x height canvas)."""
    return Transform((x + w / 2) / width, (y + h / 2) / height, w / width, aspect=h / w)


def _cornered(layout: Layout, width: int, height: int) -> Transform:
    """Your picture pinned to the layout's corner inside the platforms' safe zone, `size` of
    the canvas width (its edges land on the same pixels at every frame size)."""
    top, left = "top" in layout.corner, "left" in layout.corner
    x = 0.5 if layout.corner == "bottom-center" else SAFE_LEFT if left else 1 - SAFE_RIGHT
    y = SAFE_TOP if top else 1 - SAFE_BOTTOM
    side = "" if layout.corner == "bottom-center" else "-left" if left else "-right"
    anchor = ("top" if top else "bottom") + side
    return Transform(x, y, layout.size, anchor=anchor)


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
