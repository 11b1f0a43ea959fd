"""The project: a canvas, a main video track of clips, an optional music track, and markers.

Nouns follow OpenTimelineIO (Track, Clip, Marker, source range, media reference). Everything is a
frozen dataclass; edits return new snapshots, so undo is swapping snapshots.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal

# The clip and its parts are declared in model/clip.py; they are read from here too.
from studio.model.clip import (
    Clip as Clip,
    Fit as Fit,
    FitMode as FitMode,
    FocusKey as FocusKey,
    MediaRef as MediaRef,
    new_id as new_id,
)
from studio.model.ducking import Ducking
from studio.model.effects import (
    ARTISTIC as ARTISTIC,
    MOVIEPY as MOVIEPY,
    Anchor as Anchor,
    Background as Background,
    BackgroundKind as BackgroundKind,
    Beauty as Beauty,
    Effect as Effect,
    FaceBlur as FaceBlur,
    FaceChoice as FaceChoice,
    FrameEffect as FrameEffect,
    Look as Look,
    Option as Option,
    Sticker as Sticker,
)
from studio.model.limits import (
    check_choice,
    check_color,
    check_positive,
    check_range,
    check_text,
    check_time,
    refuse,
)
from studio.model.stored import COLOUR, shaped
from studio.model.time import nearest_frame
from studio.model.tracks import (
    Gap as Gap,
    Item as Item,
    Track as Track,
    Transition as Transition,
)

LayoutFit = Literal["crop", "blur", "pad"]
EffectKind = Literal["punch", "flash"]
BeatLevel = Literal["beats", "downbeats"]
LayoutKind = Literal["side", "stack", "react", "greenscreen"]
CaptionStyle = Literal["classic", "bold", "highlight", "pop"]
WORD_MATCH = 0.05  # a user's word edit applies to the detected word starting within 50 ms
Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right", "bottom-center"]
DuetAudio = Literal["both", "original", "yours"]
FillMode = Literal["freeze", "pad"]
TextPlace = Literal["top", "bottom"]
BEAT_MATCH = Fraction(1, 20)  # a removed beat cancels a detected one within 50 ms
STEADY = 0.25  # below this confidence the sound has no steady beat to cut to


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
    # How steady the analysis found the beat (0..1); -1: not measured (a file saved before
    # format 21, or beats the user set by tapping or a fix).
    confidence: float = -1.0

    def __post_init__(self) -> None:
        check_range("grid.meter", self.meter, "meter")
        if not -1.0 <= self.confidence <= 1.0:
            refuse("confidence", f"must be between 0 and 1, or -1 (got {self.confidence})")
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
    def unsure(self) -> bool:
        """Whether the analysis found no steady beat (the user is told, and offered fixes)."""
        return 0.0 <= self.confidence < STEADY

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
    grid: BeatGrid = field(default_factory=BeatGrid, metadata=shaped("grid"))

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
    corner: Corner = "top-left"  # clear of the captions and the platforms' buttons
    size: float = 0.4
    radius: float = 0.08
    border: str = field(default="#ffffff", metadata=COLOUR)

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

    They are drawn by the titles' renderer (render/caption_pictures.py) in the style's look and
    `font` ("" for the style's own), `scale` times its size, centred at `x` across and, with a
    `y`, that far down (0: just above the safe zone's bottom edge, where the platforms leave
    room).
    """

    words: tuple[CaptionWord, ...] = ()
    edits: tuple[tuple[float, CaptionWord], ...] = ()  # (detected word's start, the word now)
    style: CaptionStyle = "bold"
    width: int = 28  # characters per line
    lines: int = 2
    font: str = ""  # a bundled font's name or a font file; "": the style's
    x: float = 0.5  # the captions' centre, of the canvas width
    y: float = 0.0  # their centre, of the canvas height; 0: above the safe zone's bottom
    scale: float = 1.0  # their size, times the style's

    def __post_init__(self) -> None:
        check_choice("captions.style", self.style, "style")
        check_range("captions.width", self.width, "width")
        check_range("captions.lines", self.lines, "lines")
        check_range("captions.place", self.x, "x")
        check_range("captions.place", self.y, "y")
        check_range("captions.scale", self.scale, "scale")

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
    texts: tuple[TextOverlay, ...] = ()
    attribution: str = ""  # written into the output file's metadata ("Stitched from ...")
    preset: str = ""  # the export preset to use by default ("": tiktok, or tiktok60 at 60 fps)
    captions: Captions | None = None  # spoken words burned in, when set
    layers: tuple[Track, ...] = ()  # the other tracks, bottom to top: overlays, sound
    ducking: Ducking = field(default_factory=Ducking)  # the other sound under a voice

    def __post_init__(self) -> None:
        if self.main.role != "main" or any(layer.role == "main" for layer in self.layers):
            refuse("layers", "a project has one main track, and it is not a layer")
        ids = [track.id for track in self.tracks]
        if len(set(ids)) != len(ids):
            refuse("layers", "two tracks have the same id")

    @property
    def tracks(self) -> tuple[Track, ...]:
        """Every track, bottom to top: the main track, then the layers."""
        return (self.main, *self.layers)

    @property
    def soloed(self) -> bool:
        """Whether a track is solo: then only the solo tracks' sound is heard."""
        return any(track.solo for track in self.tracks)

    def heard(self, track: Track) -> bool:
        """Whether the track's sound is in the mix (not muted, and solo if any track is)."""
        return not track.muted and (track.solo or not self.soloed)

    @property
    def duration(self) -> Fraction:
        return self.main.duration

    def with_clips(self, clips: tuple[Clip, ...]) -> Project:
        return replace(self, main=self.main.with_clips(clips))

    def with_every_clip(self, change: Callable[[Clip], Clip]) -> Project:
        """The project with `change` made to the clip of every track (not the music bed)."""

        def changed(track: Track) -> Track:
            items = (change(i) if isinstance(i, Clip) else i for i in track.items)
            return replace(track, items=tuple(items))

        return replace(self, main=changed(self.main), layers=tuple(map(changed, self.layers)))


def video_clips(project: Project) -> tuple[Clip, ...]:
    """Every clip whose picture the project shows: the main track's and the overlay tracks'."""
    layers = (t.clips for t in project.layers if t.kind == "video")
    return (*project.main.clips, *(clip for clips in layers for clip in clips))


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
