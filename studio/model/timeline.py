"""The project: a canvas, a main video track of clips, an optional music track, and markers.

Nouns follow OpenTimelineIO (Track, Clip, Marker, source range, media reference). Everything is a
frozen dataclass; edits return new snapshots, so undo is swapping snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal

from studio.model.time import nearest_frame

FitMode = Literal["crop", "blur", "pad"]
EffectKind = Literal["punch", "flash"]
EFFECT_KINDS: tuple[EffectKind, ...] = ("punch", "flash")
BeatLevel = Literal["beats", "downbeats"]
LayoutKind = Literal["side", "stack", "react"]
LAYOUTS: tuple[LayoutKind, ...] = ("side", "stack", "react")
Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]
CORNERS: tuple[Corner, ...] = ("top-left", "top-right", "bottom-left", "bottom-right")
DuetAudio = Literal["both", "original", "yours"]
DUET_AUDIO: tuple[DuetAudio, ...] = ("both", "original", "yours")
FillMode = Literal["freeze", "pad"]
FILL_MODES: tuple[FillMode, ...] = ("freeze", "pad")
TextPlace = Literal["top", "bottom"]
BEAT_MATCH = Fraction(1, 20)  # a removed beat cancels a detected one within 50 ms
FIT_MODES: tuple[FitMode, ...] = ("crop", "blur", "pad")
CANVAS_FPS = (30, 60)


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

    @property
    def name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Fit:
    """How a clip fills the canvas: crop around a focus point, or fit over blur or a colour."""

    mode: FitMode = "crop"
    focus_x: float = 0.5
    focus_y: float = 0.5
    pad_color: str = "#000000"


@dataclass(frozen=True)
class Clip:
    """A range of a media file placed on the main track, played at `speed`.

    `fade_in` / `fade_out` fade the picture from / to black at the clip's ends (a dip transition).
    """

    media: MediaRef
    source_in: Fraction
    source_out: Fraction
    speed: Fraction = Fraction(1)
    fit: Fit = field(default_factory=Fit)
    volume: float = 1.0
    fade_in: Fraction = Fraction(0)
    fade_out: Fraction = Fraction(0)

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

    `detected` and `downbeats` come from analysis and a re-analysis replaces them; `added` and
    `removed` are the user's own edits, kept apart so they survive it.
    """

    tempo: float = 0.0
    meter: int = 4
    detected: tuple[Fraction, ...] = ()
    downbeats: tuple[Fraction, ...] = ()
    added: tuple[Fraction, ...] = ()
    removed: tuple[Fraction, ...] = ()
    intensity: tuple[float, ...] = ()  # per detected beat, 0..1 (for cutting by energy)

    @property
    def beats(self) -> tuple[Fraction, ...]:
        """The beats in effect: detected ones the user did not remove, plus the user's own."""
        kept = (t for t in self.detected if not _matches(t, self.removed))
        return tuple(sorted({*kept, *self.added}))

    @property
    def bar_starts(self) -> tuple[Fraction, ...]:
        return tuple(t for t in self.downbeats if not _matches(t, self.removed))


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


@dataclass(frozen=True)
class Marker:
    time: Fraction
    name: str = ""


@dataclass(frozen=True)
class Layout:
    """Where the two pictures of a duet go on the canvas.

    `side`: original left, yours right; `stack`: original top, yours bottom; each fills its half
    as `fit` says. `react`: the original fills the canvas and yours sits in a corner, `size` of
    the canvas width, with rounded corners (`radius` of its width) and a `border` line. A new
    kind (a green-screen cut-out) adds a name here and a placement in render/remix.py.
    """

    kind: LayoutKind = "side"
    fit: FitMode = "crop"
    corner: Corner = "bottom-right"
    size: float = 0.4
    radius: float = 0.08
    border: str = "#ffffff"


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


@dataclass(frozen=True)
class TextOverlay:
    """A line of text shown from `start` to `end` (timeline seconds), e.g. a stitch credit."""

    text: str
    start: Fraction
    end: Fraction
    place: TextPlace = "bottom"


@dataclass(frozen=True)
class Canvas:
    width: int = 1080
    height: int = 1920
    fps: int = 30


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

    @property
    def duration(self) -> Fraction:
        return self.duet.duration if self.duet else self.main.duration

    def with_clips(self, clips: tuple[Clip, ...]) -> Project:
        return replace(self, main=Track(clips))


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
