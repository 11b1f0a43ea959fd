"""A clip and what it carries: the media file it plays (with the facts probed from it), how it
fills the canvas, and its effects (background, look, face blur, skin smoothing, sticker,
per-frame effects). Frozen dataclasses, checked against the limits table as they are made.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from studio.model.keys import Key, Keys
from studio.model.limits import (
    check_choice,
    check_color,
    check_range,
    check_time,
    refuse,
)
from studio.model.speed import TimeMap, exact, time_map
from studio.model.transform import Transform

FitMode = Literal["crop", "blur", "pad", "follow"]
BackgroundKind = Literal["blur", "color", "image", "video"]
FaceChoice = Literal["all", "others"]
Anchor = Literal["eyes", "forehead", "nose", "mouth"]
RampSound = Literal["pitch", "mute"]


def new_id() -> str:
    """A clip id: unique across projects, kept in the project file and across edits."""
    return uuid.uuid4().hex[:12]


@dataclass(frozen=True)
class MediaRef:
    """A media file and the facts probed from it (display size is after rotation and SAR)."""

    path: str
    duration: Fraction
    width: int = 0
    height: int = 0
    rotation: int = 0
    sar: Fraction = Fraction(1)
    fps: Fraction = Fraction(0)
    vfr: bool = False
    start_time: Fraction = Fraction(0)
    has_video: bool = True
    has_audio: bool = False
    audio_rate: int = 0
    audio_channels: int = 0
    color_matrix: str = ""  # as tagged: "bt709", "smpte170m", ...; "" when untagged
    full_range: bool = False
    still: bool = False  # a picture (one frame, no sound): a clip shows it for any length

    def __post_init__(self) -> None:
        check_time(self.duration, "duration")
        check_range("media.side", self.width, "width")
        check_range("media.side", self.height, "height")
        check_choice("media.rotation", self.rotation, "rotation")
        check_range("media.sar", self.sar, "sar")
        check_range("media.fps", self.fps, "fps")
        check_range("media.start", self.start_time, "start_time")
        check_range("media.audio_rate", self.audio_rate, "audio_rate")
        check_range("media.channels", self.audio_channels, "audio_channels")

    @property
    def name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class FocusKey:
    """Where a `follow` crop is at one moment: `time` in seconds of the clip's file, `focus`
    0 (the crop at the left or top edge) .. 1 (at the right or bottom edge)."""

    time: Fraction
    focus: float

    def __post_init__(self) -> None:
        check_time(self.time, "time")
        check_range("fit.focus", self.focus, "focus")


@dataclass(frozen=True)
class Fit:
    """How a clip fills the canvas: crop around a focus point, fit over blur or a colour, or
    `follow` the subject: a crop that moves along `keys` (made by the reframe analysis, and
    editable), the focus going straight from one key to the next."""

    mode: FitMode = "crop"
    focus_x: float = 0.5
    focus_y: float = 0.5
    pad_color: str = "#000000"
    keys: tuple[FocusKey, ...] = ()

    def __post_init__(self) -> None:
        check_choice("fit.mode", self.mode, "mode")
        check_range("fit.focus", self.focus_x, "focus")
        check_range("fit.focus", self.focus_y, "focus")
        check_color(self.pad_color, "pad_color")
        times = [key.time for key in self.keys]
        if times != sorted(set(times)):
            refuse("keys", "must be in time order, one per moment")

    def focus_at(self, time: Fraction) -> float:
        """The follow crop's focus at `time` (seconds of the file); focus_x without keys."""
        return self.focus_keys().at(time, self.focus_x)

    def focus_keys(self) -> Keys:
        """The focus keys as keyframes of the one kind every animated property uses."""
        return Keys(tuple(Key(key.time, key.focus) for key in self.keys))


@dataclass(frozen=True)
class Background:
    """What shows behind the person in a clip (found by segmentation, no green screen needed):
    the clip itself blurred, a colour, or a picture or video (`path`); `feather` softens the
    person's edge."""

    kind: BackgroundKind = "blur"
    strength: float = 0.6  # blur: 0 (none) .. 1 (strongest)
    color: str = "#00b140"
    path: str = ""  # the image or video behind the person
    feather: float = 0.3  # 0 (hard edge) .. 1 (softest)

    def __post_init__(self) -> None:
        check_choice("background.kind", self.kind, "kind")
        check_range("background.strength", self.strength, "strength")
        check_range("background.feather", self.feather, "feather")
        check_color(self.color, "color")
        if self.kind in ("image", "video") and not self.path:
            refuse("path", f"a {self.kind} background needs the file to show")


@dataclass(frozen=True)
class FaceBlur:
    """Faces blurred (privacy): every face, or every face but the largest (yours, in a
    selfie), at `strength` 0 (soft) .. 1 (unrecognisable)."""

    which: FaceChoice = "all"
    strength: float = 0.8

    def __post_init__(self) -> None:
        check_choice("faces.which", self.which, "which")
        check_range("faces.strength", self.strength, "strength")


@dataclass(frozen=True)
class Sticker:
    """A picture stuck to the face (the largest one): centred on the eyes, nose or mouth, or
    standing on the forehead; `size` times the face's width; it turns as the head tilts."""

    path: str
    anchor: Anchor = "eyes"
    size: float = 1.0

    def __post_init__(self) -> None:
        if not self.path:
            refuse("path", "a sticker needs the picture to show")
        check_choice("sticker.anchor", self.anchor, "anchor")
        check_range("sticker.size", self.size, "size")


ARTISTIC = ("cartoon", "sketch", "oil")
MOVIEPY = "moviepy:"  # a moviepy video effect by class name: "moviepy:Painting"
Option = tuple[str, "bool | int | float | str | tuple[float, ...]"]


@dataclass(frozen=True)
class FrameEffect:
    """An effect computed frame by frame in Python, for what the graph cannot do ("slow
    render"): an artistic filter made with OpenCV (cartoon, sketch, oil) mixed in at `amount`,
    or any moviepy video effect by class name ("moviepy:Painting") with its `options`."""

    name: str
    amount: float = 1.0
    options: tuple[Option, ...] = ()

    def __post_init__(self) -> None:
        if self.name not in ARTISTIC and not (
            self.name.startswith(MOVIEPY) and self.name[len(MOVIEPY) :].isidentifier()
        ):
            refuse("name", f"must be one of {', '.join(ARTISTIC)} or moviepy:EffectName")
        check_range("frame_effect.amount", self.amount, "amount")


@dataclass(frozen=True)
class Look:
    """A colour look graded over the clip (render/looks.py), at `intensity` 0 (none) .. 1."""

    name: str
    intensity: float = 0.8

    def __post_init__(self) -> None:
        check_choice("look.name", self.name, "look")
        check_range("look.intensity", self.intensity, "intensity")


@dataclass(frozen=True)
class Clip:
    """A range of a media file placed on a track, played at `speed`, or along a speed `ramp`
    (keys at seconds of the file, model/speed.py) whose sound is kept at pitch or muted.

    `fade_in` / `fade_out` fade the picture from / to black at the clip's ends (a dip transition).
    `id` stays with the clip through edits (a split gives the second half a new one), so the
    timeline, selection and undo can address clips whatever their position.
    """

    media: MediaRef
    source_in: Fraction
    source_out: Fraction
    speed: Fraction = Fraction(1)
    fit: Fit = field(default_factory=Fit)
    volume: float = 1.0
    fade_in: Fraction = Fraction(0)
    fade_out: Fraction = Fraction(0)
    id: str = field(default_factory=new_id)
    background: Background | None = None  # replaced behind the person, when set
    look: Look | None = None  # a colour look over the clip, when set
    faces: FaceBlur | None = None  # faces blurred, when set
    beauty: float = 0.0  # skin smoothing on faces, 0 (none) .. 1
    sticker: Sticker | None = None  # a picture that follows the face, when set
    frame_effects: tuple[FrameEffect, ...] = ()  # per-frame Python effects, in order
    transform: Transform | None = None  # where the picture sits; None: it fills the canvas
    ramp: Keys = field(default_factory=Keys)  # speed keyed over the file's time; replaces speed
    ramp_sound: RampSound = "pitch"

    def __post_init__(self) -> None:
        check_time(self.source_in, "in")
        check_time(self.source_out, "out")
        if self.source_out <= self.source_in:
            refuse("out", f"must be after 'in' ({float(self.source_in):g} s)")
        check_range("clip.speed", self.speed, "speed")
        check_range("clip.volume", self.volume, "volume")
        check_range("clip.beauty", self.beauty, "beauty")
        check_time(self.fade_in, "fade_in")
        check_time(self.fade_out, "fade_out")
        if not self.id:
            refuse("id", "must not be empty")
        self._check_ramp()

    def _check_ramp(self) -> None:
        check_choice("clip.ramp_sound", self.ramp_sound, "ramp_sound")
        for key in self.ramp.keys:
            check_range("clip.speed", key.value, "ramp")
        if self.ramp.animated and self.media.still:
            refuse("ramp", "a still picture has no motion to ramp")

    @property
    def source_duration(self) -> Fraction:
        return self.source_out - self.source_in

    @property
    def duration(self) -> Fraction:
        """Time the clip occupies on the timeline (its ramp's length when it has one)."""
        if not self.ramp.animated:
            return self.source_duration / self.speed
        return self.timeline_at(self.source_out)

    @property
    def ramped(self) -> bool:
        return self.ramp.animated

    @property
    def time_map(self) -> TimeMap:
        return time_map(self.ramp)

    @property
    def top_speed(self) -> Fraction:
        """The fastest the clip plays: how much of the file a frame can take at most."""
        if not self.ramp.animated:
            return self.speed
        return Fraction(max(key.value for key in self.ramp.keys)).limit_denominator(1000)

    @property
    def pace(self) -> str:
        """The clip's timing in a few characters, for cache keys: its speed, or its ramp."""
        if not self.ramp.animated:
            return str(self.speed)
        return "ramp " + " ".join(f"{k.time}:{k.value}:{k.ease}" for k in self.ramp.keys)

    def pts_expression(self) -> str:
        """setpts's expression putting the clip's frames, read from its in point, on its
        timeline clock ("" at 1x)."""
        if self.ramp.animated:
            end = float(self.source_out + 1)
            return self.time_map.pts_expression(float(self.source_in), end)
        if self.speed != 1:
            return f"PTS*{self.speed.denominator}/{self.speed.numerator}"
        return ""

    def source_at(self, inside: Fraction) -> Fraction:
        """Seconds of the file shown `inside` seconds after the clip's start (before it, when
        negative: the handles a transition reads)."""
        if not self.ramp.animated:
            return self.source_in + inside * self.speed
        clock = self.time_map.clock_at(float(self.source_in)) + float(inside)
        return exact(self.time_map.file_at(clock))

    def timeline_at(self, file_time: Fraction) -> Fraction:
        """Seconds after the clip's start at which second `file_time` of its file shows."""
        if not self.ramp.animated:
            return (file_time - self.source_in) / self.speed
        clock = self.time_map.clock_at
        return exact(clock(float(file_time)) - clock(float(self.source_in)))
