"""The project: a canvas, a main video track of clips, an optional music track, and markers.

Nouns follow OpenTimelineIO (Track, Clip, Marker, source range, media reference). Everything is a
frozen dataclass; edits return new snapshots, so undo is swapping snapshots.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal

from studio.model.keys import Key, Keys
from studio.model.limits import (
    check_choice,
    check_color,
    check_positive,
    check_range,
    check_text,
    check_time,
    refuse,
)
from studio.model.time import nearest_frame

FitMode = Literal["crop", "blur", "pad", "follow"]
LayoutFit = Literal["crop", "blur", "pad"]
EffectKind = Literal["punch", "flash"]
BackgroundKind = Literal["blur", "color", "image", "video"]
FaceChoice = Literal["all", "others"]
Anchor = Literal["eyes", "forehead", "nose", "mouth"]
BeatLevel = Literal["beats", "downbeats"]
LayoutKind = Literal["side", "stack", "react", "greenscreen"]
CaptionStyle = Literal["classic", "bold", "highlight", "pop"]
WORD_MATCH = 0.05  # a user's word edit applies to the detected word starting within 50 ms
Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right", "bottom-center"]
DuetAudio = Literal["both", "original", "yours"]
FillMode = Literal["freeze", "pad"]
TextPlace = Literal["top", "bottom"]
BEAT_MATCH = Fraction(1, 20)  # a removed beat cancels a detected one within 50 ms


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
    """A range of a media file placed on the main track, played at `speed`.

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

    @property
    def source_duration(self) -> Fraction:
        return self.source_out - self.source_in

    @property
    def duration(self) -> Fraction:
        """Time the clip occupies on the timeline."""
        return self.source_duration / self.speed


@dataclass(frozen=True)
class Track:
    """The main video track: clips played one after another."""

    clips: tuple[Clip, ...] = ()

    @property
    def duration(self) -> Fraction:
        return sum((clip.duration for clip in self.clips), Fraction(0))


@dataclass(frozen=True)
class BeatGrid:
    """Beats of a music file, in seconds of the file.

    `detected`, `downbeats` and `meter` come from analysis and a re-analysis replaces them;
    `added`, `removed`, `bar_start` and `bar_length` are the user's own edits, kept apart so they
    survive it.
    """

    tempo: float = 0.0
    meter: int = 4
    detected: tuple[Fraction, ...] = ()
    downbeats: tuple[Fraction, ...] = ()
    added: tuple[Fraction, ...] = ()
    removed: tuple[Fraction, ...] = ()
    intensity: tuple[float, ...] = ()  # per detected beat, 0..1 (for cutting by energy)
    bar_start: Fraction | None = None  # a beat the user says starts a bar
    bar_length: int = 0  # the user's beats per bar; 0: the analysed meter

    def __post_init__(self) -> None:
        check_range("grid.meter", self.meter, "meter")
        if self.bar_length:
            check_range("grid.meter", self.bar_length, "bar_length")
        if self.bar_start is not None:
            check_time(self.bar_start, "bar_start")

    @property
    def beats(self) -> tuple[Fraction, ...]:
        """The beats in effect: detected ones the user did not remove, plus the user's own."""
        kept = (t for t in self.detected if not _matches(t, self.removed))
        return tuple(sorted({*kept, *self.added}))

    @property
    def beats_per_bar(self) -> int:
        return self.bar_length or self.meter

    @property
    def bar_starts(self) -> tuple[Fraction, ...]:
        """The bar starts in effect: the analysed ones, or, once the user has said where a bar
        starts or how many beats a bar has, every `beats_per_bar`-th beat counted from that bar
        start (from the first analysed one when only the length was given)."""
        found = tuple(t for t in self.downbeats if not _matches(t, self.removed))
        if self.bar_start is None and not self.bar_length:
            return found
        beats = self.beats
        if not beats:
            return ()
        anchor = self.bar_start if self.bar_start is not None else (found or beats)[0]
        first = beats.index(_nearest(beats, anchor))
        return beats[first % self.beats_per_bar :: self.beats_per_bar]

    def with_bars(self, start: Fraction | None = None, length: int | None = None) -> BeatGrid:
        """The user's bar edits: bars start at the beat nearest `start` (seconds of the file) and
        have `length` beats (0: as analysed); an argument left None keeps its current value."""
        if start is not None and self.beats:
            start = _nearest(self.beats, start)
        return replace(
            self,
            bar_start=self.bar_start if start is None else start,
            bar_length=self.bar_length if length is None else length,
        )


def _nearest(times: tuple[Fraction, ...], t: Fraction) -> Fraction:
    return min(times, key=lambda other: abs(other - t))


def _matches(t: Fraction, times: tuple[Fraction, ...]) -> bool:
    return any(abs(t - other) <= BEAT_MATCH for other in times)


@dataclass(frozen=True)
class MusicTrack:
    """A soundtrack under the whole edit, read from `offset` seconds into the file."""

    media: MediaRef
    offset: Fraction = Fraction(0)
    gain_db: float = 0.0
    fade_in: Fraction = Fraction(0)
    fade_out: Fraction = Fraction(0)
    grid: BeatGrid = field(default_factory=BeatGrid)

    def __post_init__(self) -> None:
        check_range("music.offset", self.offset, "offset")
        check_range("music.gain_db", self.gain_db, "gain_db")
        check_time(self.fade_in, "fade_in")
        check_time(self.fade_out, "fade_out")

    def beat_times(self, level: BeatLevel = "beats") -> tuple[Fraction, ...]:
        """Beats (or bar starts) as timeline times: file time minus the offset, from 0 on."""
        times = self.grid.beats if level == "beats" else self.grid.bar_starts
        return tuple(t - self.offset for t in times if t >= self.offset)


@dataclass(frozen=True)
class BeatEffect:
    """A picture effect on every beat or bar start of the music: a zoom punch or a flash."""

    kind: EffectKind
    on: BeatLevel = "beats"
    strength: float = 0.5  # 0..1

    def __post_init__(self) -> None:
        check_choice("effect.kind", self.kind, "kind")
        check_choice("effect.on", self.on, "on")
        check_range("effect.strength", self.strength, "strength")


@dataclass(frozen=True)
class Marker:
    time: Fraction
    name: str = ""

    def __post_init__(self) -> None:
        check_time(self.time, "time")


@dataclass(frozen=True)
class Layout:
    """Where the two pictures of a duet go on the canvas.

    `side`: original left, yours right; `stack`: original top, yours bottom; each fills its half
    as `fit` says. `react`: the original fills the canvas and yours sits in a corner, `size` of
    the canvas width, with rounded corners (`radius` of its width) and a `border` line.
    `greenscreen`: the original fills the canvas and you, cut out of your background (no green
    screen needed), stand over it at `corner`, `size` of the canvas width.
    """

    kind: LayoutKind = "side"
    fit: LayoutFit = "crop"
    corner: Corner = "bottom-right"
    size: float = 0.4
    radius: float = 0.08
    border: str = "#ffffff"

    def __post_init__(self) -> None:
        check_choice("layout.kind", self.kind, "kind")
        check_choice("layout.fit", self.fit, "fit")
        check_choice("layout.corner", self.corner, "corner")
        check_range("layout.size", self.size, "size")
        check_range("layout.radius", self.radius, "radius")
        check_color(self.border, "border")


@dataclass(frozen=True)
class Duet:
    """Two videos played together for `duration` seconds of timeline.

    Your clip starts `offset` seconds into the original (negative: its first seconds are
    skipped). Before it starts and after either side ends, that side freezes on its nearest frame
    or shows black (`fill`). Sound: `both` (yours over the original, the original ducked while
    you speak), `original` or `yours`, each side with its own volume.
    """

    original: Clip
    yours: Clip
    duration: Fraction
    layout: Layout = field(default_factory=Layout)
    offset: Fraction = Fraction(0)
    fill: FillMode = "freeze"
    audio: DuetAudio = "both"
    original_volume: float = 1.0
    your_volume: float = 1.0

    def __post_init__(self) -> None:
        check_positive(self.duration, "duration")
        check_range("duet.offset", self.offset, "offset")
        check_choice("duet.fill", self.fill, "fill")
        check_choice("duet.audio", self.audio, "audio")
        check_range("duet.volume", self.original_volume, "original_volume")
        check_range("duet.volume", self.your_volume, "your_volume")


@dataclass(frozen=True)
class TextOverlay:
    """A line of text shown from `start` to `end` (timeline seconds), e.g. a stitch credit."""

    text: str
    start: Fraction
    end: Fraction
    place: TextPlace = "bottom"

    def __post_init__(self) -> None:
        check_text(self.text, "text")
        check_time(self.start, "start")
        if self.end <= self.start:
            refuse("end", f"must be after start ({float(self.start):g} s)")
        check_choice("text.place", self.place, "place")


@dataclass(frozen=True)
class Canvas:
    width: int = 1080
    height: int = 1920
    fps: int = 30

    def __post_init__(self) -> None:
        for name in ("width", "height"):
            side = getattr(self, name)
            check_range("canvas.side", side, name)
            if side % 2:
                refuse(name, f"must be even for H.264 4:2:0 (got {side})")
        check_choice("canvas.fps", self.fps, "fps")


@dataclass(frozen=True)
class CaptionWord:
    """A spoken word on the timeline (seconds)."""

    start: float
    end: float
    text: str

    def __post_init__(self) -> None:
        check_time(self.start, "start")
        if self.end < self.start:
            refuse("end", f"must not be before the start ({self.start:g} s)")


@dataclass(frozen=True)
class Captions:
    """The edit's spoken words, burned in and written as sidecars.

    `words` come from speech recognition and a new transcription replaces them; `edits` are the
    user's own, kept apart so they survive it (like the beat grid): an edit replaces the
    detected word starting within 50 ms of its `start` (its text and times; empty text removes
    the word), and an edit that matches none adds a word.
    """

    words: tuple[CaptionWord, ...] = ()
    edits: tuple[tuple[float, CaptionWord], ...] = ()  # (detected word's start, the word now)
    style: CaptionStyle = "bold"
    width: int = 28  # characters per line
    lines: int = 2

    def __post_init__(self) -> None:
        check_choice("captions.style", self.style, "style")
        check_range("captions.width", self.width, "width")
        check_range("captions.lines", self.lines, "lines")

    @property
    def shown(self) -> tuple[CaptionWord, ...]:
        """The words in effect: detected ones with the user's edits, plus the user's own."""
        return tuple(word for _, word in self.keyed)

    @property
    def keyed(self) -> tuple[tuple[float, CaptionWord], ...]:
        """The words in effect, each with the key its edits go under (the detected word's
        start, or the user's own word's)."""
        used: set[int] = set()
        shown = []
        for word in self.words:
            index = _edit_for(self.edits, word.start)
            if index is None:
                shown.append((word.start, word))
                continue
            used.add(index)
            if self.edits[index][1].text:
                shown.append((word.start, self.edits[index][1]))
        added = [edit for i, edit in enumerate(self.edits) if i not in used and edit[1].text]
        return tuple(sorted([*shown, *added], key=lambda keyed: keyed[1].start))


def _edit_for(edits: tuple[tuple[float, CaptionWord], ...], start: float) -> int | None:
    for index, (at, _) in enumerate(edits):
        if abs(at - start) <= WORD_MATCH:
            return index
    return None


@dataclass(frozen=True)
class Project:
    canvas: Canvas = field(default_factory=Canvas)
    main: Track = field(default_factory=Track)
    music: MusicTrack | None = None
    markers: tuple[Marker, ...] = ()
    effects: tuple[BeatEffect, ...] = ()
    duet: Duet | None = None  # when set, the picture and sound are this duet (main is empty)
    texts: tuple[TextOverlay, ...] = ()
    attribution: str = ""  # written into the output file's metadata ("Stitched from ...")
    preset: str = ""  # the export preset to use by default ("": tiktok, or tiktok60 at 60 fps)
    captions: Captions | None = None  # spoken words burned in, when set

    @property
    def duration(self) -> Fraction:
        return self.duet.duration if self.duet else self.main.duration

    def with_clips(self, clips: tuple[Clip, ...]) -> Project:
        return replace(self, main=Track(clips))


def video_clips(project: Project) -> tuple[Clip, ...]:
    """Every clip whose picture the project shows: the main track's, or both sides of a duet."""
    if project.duet is not None:
        return (*project.main.clips, project.duet.original, project.duet.yours)
    return project.main.clips


def cut_frames(clips: tuple[Clip, ...], fps: int) -> list[int]:
    """Output frame index of every clip boundary, from absolute times so rounding never accumulates.

    Returns len(clips) + 1 indices; clip i covers frames [b[i], b[i+1]).
    """
    bounds = [0]
    elapsed = Fraction(0)
    for clip in clips:
        elapsed += clip.duration
        bounds.append(nearest_frame(elapsed, fps))
    return bounds


def clip_at(project: Project, t: Fraction) -> tuple[int, Fraction] | None:
    """Index of the clip showing at timeline time t and the time inside that clip."""
    start = Fraction(0)
    for index, clip in enumerate(project.main.clips):
        if start <= t < start + clip.duration:
            return index, t - start
        start += clip.duration
    return None
