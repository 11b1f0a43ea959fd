"""A clip and what it carries: the media file it plays (with the facts probed from it), how it
fills the canvas, its timing (speed or ramp), its transform and its effects (an ordered list of
model/effects.py's kinds). Frozen dataclasses, checked against the limits table as they are made.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal, TypeVar

from studio.model.effects import (
    Background,
    Beauty,
    Effect,
    FaceBlur,
    FrameEffect,
    Look,
    Sticker,
    kind_of,
)
from studio.model.keys import Key, Keys
from studio.model.limits import (
    check_choice,
    check_color,
    check_range,
    check_spans,
    check_time,
    refuse,
)
from studio.model.speed import TimeMap, exact, time_map
from studio.model.stored import COLOUR, GENERATED, NEEDED_FILE, named, shaped
from studio.model.transform import Transform

FitMode = Literal["crop", "blur", "pad", "follow"]
E = TypeVar("E")
RampSound = Literal["pitch", "mute"]
PadFill = Literal["freeze", "black"]


def colour_media(colour: str, width: int = 1080, height: int = 1920) -> MediaRef:
    """A plain colour as a clip's source, shown for any length (a backdrop, a title card)."""
    # ffmpeg's colour source writes BT.601 4:2:0, which the render converts like any file's
    path = GENERATED + colour.lower()
    return MediaRef(path, Fraction(5), width, height, color_matrix="smpte170m", still=True)


def new_id() -> str:
    """A clip id: unique across projects, kept in the project file and across edits."""
    return uuid.uuid4().hex[:12]


@dataclass(frozen=True)
class MediaRef:
    """A media file and the facts probed from it (display size is after rotation and SAR)."""

    path: str = field(metadata=NEEDED_FILE)
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
    loops: bool = False  # an animated picture (GIF, APNG, WebP): a clip repeats it, any length

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
        if self.generated:
            check_color(self.colour, "path")

    @property
    def name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]

    @property
    def endless(self) -> bool:
        """Whether a clip may show it for any length (a picture, or an animation it repeats)."""
        return self.still or self.loops

    @property
    def generated(self) -> bool:
        """Whether studio makes this source itself (a colour) rather than read a file."""
        return self.path.startswith(GENERATED)

    @property
    def colour(self) -> str:
        """A generated source's colour ("#rrggbb")."""
        return self.path[len(GENERATED) :]


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
    pad_color: str = field(default="#000000", metadata=COLOUR)
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
class Clip:
    """A range of a media file placed on a track, played at `speed`, or along a speed `ramp`
    (keys at seconds of the file, model/speed.py) whose sound is kept at pitch or muted.

    `fade_in` / `fade_out` fade the picture from / to black at the clip's ends (a dip transition).
    `id` stays with the clip through edits (a split gives the second half a new one), so the
    timeline, selection and undo can address clips whatever their position.
    """

    media: MediaRef
    source_in: Fraction = field(metadata=named("in"))
    source_out: Fraction = field(metadata=named("out"))
    speed: Fraction = Fraction(1)
    fit: Fit = field(default_factory=Fit, metadata=shaped("fit"))
    volume: float = 1.0
    fade_in: Fraction = Fraction(0)
    fade_out: Fraction = Fraction(0)
    id: str = field(default_factory=new_id)
    effects: tuple[Effect, ...] = field(default=(), metadata=shaped("effects"))  # in order
    transform: Transform | None = None  # where the picture sits; None: it fills the canvas
    ramp: Keys = field(default_factory=Keys, metadata=shaped("keys"))  # replaces speed
    ramp_sound: RampSound = "pitch"
    volume_keys: Keys = field(default_factory=Keys, metadata=shaped("keys"))  # item's time
    pad_start: Fraction = Fraction(0)  # held before the clip plays (its first frame, or black)
    pad_end: Fraction = Fraction(0)  # held after it (its last frame, or black)
    pad_fill: PadFill = "freeze"  # held frames: the clip's own, or black; silent either way
    voice_effect: str = ""  # its sound changed: chipmunk, deep, robot, echo, radio, megaphone
    denoise: float = 0.0  # how strongly steady noise (hiss, hum, fans) is taken out of its sound
    # Where its voice speaks, in seconds of the file: start, end, start, end, ... (found when a
    # voice is added; a voice ducks the music only where it speaks). Empty: not looked at.
    speech: tuple[Fraction, ...] = field(default=(), metadata=shaped("times"))

    def __post_init__(self) -> None:
        check_time(self.source_in, "in")
        check_time(self.source_out, "out")
        if self.source_out <= self.source_in:
            refuse("out", f"must be after 'in' ({float(self.source_in):g} s)")
        check_range("clip.speed", self.speed, "speed")
        check_range("clip.volume", self.volume, "volume")
        check_time(self.fade_in, "fade_in")
        check_time(self.fade_out, "fade_out")
        if not self.id:
            refuse("id", "must not be empty")
        self._check_ramp()
        self._check_effects()
        for key in self.volume_keys.keys:
            check_range("clip.volume", key.value, "volume_keys")
        check_range("clip.pad", self.pad_start, "pad_start")
        check_range("clip.pad", self.pad_end, "pad_end")
        check_choice("clip.pad_fill", self.pad_fill, "pad_fill")
        check_choice("clip.voice_effect", self.voice_effect, "voice_effect")
        check_range("clip.denoise", self.denoise, "denoise")
        check_spans(self.speech, "speech")

    def _check_effects(self) -> None:
        seen: set[str] = set()
        for effect in self.effects:
            kind = kind_of(effect)
            if kind.prepares and self.media.generated:
                refuse("effects", f"a plain colour has nothing for a {kind.name} effect to find")
            if kind.single and kind.name in seen:
                refuse("effects", f"a clip takes one {kind.name} effect")
            seen.add(kind.name)

    def _check_ramp(self) -> None:
        check_choice("clip.ramp_sound", self.ramp_sound, "ramp_sound")
        for key in self.ramp.keys:
            check_range("clip.speed", key.value, "ramp")
        if self.ramp.animated and self.media.still:
            refuse("ramp", "a still picture has no motion to ramp")

    def effect(self, model: type[E]) -> E | None:
        """The clip's effect of this class (the first, for a kind a clip takes several of)."""
        return next((e for e in self.effects if isinstance(e, model)), None)

    def with_effect(self, effect: Effect) -> Clip:
        """The clip with `effect`: in place of the one of its kind, or added at the end."""
        kind = kind_of(effect)
        effects = list(self.effects)
        for index, old in enumerate(effects):
            if kind.single and type(old) is type(effect):
                effects[index] = effect
                return replace(self, effects=tuple(effects))
        return replace(self, effects=(*effects, effect))

    def without_effect(self, model: type) -> Clip:
        """The clip with no effect of this class."""
        return replace(self, effects=tuple(e for e in self.effects if not isinstance(e, model)))

    @property
    def background(self) -> Background | None:
        return self.effect(Background)

    @property
    def look(self) -> Look | None:
        return self.effect(Look)

    @property
    def faces(self) -> FaceBlur | None:
        return self.effect(FaceBlur)

    @property
    def beauty(self) -> float:
        beauty = self.effect(Beauty)
        return beauty.amount if beauty else 0.0

    @property
    def sticker(self) -> Sticker | None:
        return self.effect(Sticker)

    @property
    def frame_effects(self) -> tuple[FrameEffect, ...]:
        return tuple(e for e in self.effects if isinstance(e, FrameEffect))

    @property
    def source_duration(self) -> Fraction:
        return self.source_out - self.source_in

    @property
    def duration(self) -> Fraction:
        """Time the clip occupies on the timeline: what it plays (its ramp's length when it
        has one) and the time it is held before and after."""
        return self.pad_start + self.played + self.pad_end

    @property
    def played(self) -> Fraction:
        """Time the clip plays its media (without the time it is held)."""
        if not self.ramp.animated:
            return self.source_duration / self.speed
        clock = self.time_map.clock_at
        return exact(clock(float(self.source_out)) - clock(float(self.source_in)))

    @property
    def padded(self) -> bool:
        return bool(self.pad_start or self.pad_end)

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
        if self.padded:  # held frames show the first or last one
            inside = min(max(inside - self.pad_start, Fraction(0)), self.played)
        if not self.ramp.animated:
            return self.source_in + inside * self.speed
        clock = self.time_map.clock_at(float(self.source_in)) + float(inside)
        return exact(self.time_map.file_at(clock))

    def timeline_at(self, file_time: Fraction) -> Fraction:
        """Seconds after the clip's start at which second `file_time` of its file shows."""
        if not self.ramp.animated:
            return self.pad_start + (file_time - self.source_in) / self.speed
        clock = self.time_map.clock_at
        return self.pad_start + exact(clock(float(file_time)) - clock(float(self.source_in)))
