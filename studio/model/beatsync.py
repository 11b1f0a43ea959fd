"""Cut clips to the beats of the music. Pure: a beat grid and clips in, a project out.

Every cut sits on the output frame nearest its beat, computed from the beat's absolute time, and
every clip lasts exactly the frames between two cuts, so rounding never accumulates. Which part
of a clip fills a slot is a Picker's choice (in order, or the liveliest unused part); what
happens when a clip is too short for its slot is the `short` policy, and each such case is
reported in the result's notes.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Literal

from studio.model.limits import (
    LIMITS,
    check_choice,
    check_positive,
    check_range,
    check_time,
    refuse,
)
from studio.model.time import format_time, nearest_frame
from studio.model.timeline import (
    BeatGrid,
    BeatLevel,
    Canvas,
    Clip,
    Item,
    MusicTrack,
    Project,
    Track,
    Transition,
    new_id,
)

Mode = Literal["beats", "downbeats", "energy"]
ShortPolicy = Literal["next", "slow", "loop"]
MIN_SLOT_FRAMES = 3
MAX_FADE = Fraction(2)
END_SLACK = Fraction(1, 20)  # the music may end this much before the bar it completes
EVEN_NEAR = Fraction(1, 20)  # two bar starts this close to equally near the length: the earlier
MIN_SPEED = Fraction(1, 4)

# (clip index, slot length, ranges of that clip already used) -> start inside the clip, or None
Picker = Callable[[int, Fraction, list[tuple[Fraction, Fraction]]], Fraction | None]


@dataclass(frozen=True)
class SyncOptions:
    mode: Mode = "beats"
    every: int = 1
    start: Fraction = Fraction(0)  # offset into the music file
    duration: Fraction | None = None  # None: as long as the music and the clips allow
    short: ShortPolicy = "next"
    transition: str = ""  # a transition kind centred on every cut, so on its beat ("": none)
    transition_length: Fraction = Fraction(1, 4)

    def __post_init__(self) -> None:
        if self.transition:
            check_choice("transition.kind", self.transition, "transition")
            check_range("transition.length", self.transition_length, "transition")
        check_choice("sync.mode", self.mode, "mode")
        check_range("sync.every", self.every, "every")
        check_time(self.start, "start")
        if self.duration is not None:
            check_positive(self.duration, "duration")
        check_choice("sync.short", self.short, "short")


@dataclass(frozen=True)
class SyncResult:
    project: Project
    notes: tuple[str, ...]  # what was done about short clips and where the edit ends


def cut_to_beats(
    clips: Sequence[Clip],
    music: MusicTrack,
    options: SyncOptions,
    canvas: Canvas,
    pick: Picker | None = None,
) -> SyncResult:
    """A project whose main track cuts on the music's beats, with the music under it."""
    _check(clips, music, options)
    music = replace(music, offset=options.start)
    notes: list[str] = []
    end = _end(clips, music, options)
    times = cut_times(music, options, end, canvas.fps)
    notes.append(f"the edit ends on a bar at {float(times[-1]):.2f} s with the music fading out")
    lengths = [b - a for a, b in itertools.pairwise(times)]
    filled = _fill(list(clips), lengths, times, pick or in_order(clips), options.short, notes)
    fade = min(MAX_FADE, _last_bar(music, times[-1]))
    track = replace(music, fade_out=fade)
    project = Project(canvas, Track(_joined(filled, options, notes)), track)
    return SyncResult(project, tuple(notes))


def _joined(clips: list[Clip], options: SyncOptions, notes: list[str]) -> tuple[Item, ...]:
    """The clips with the chosen transition on every cut. A transition is centred on its cut,
    so on the beat; it is shortened where a clip between two of them is short (each takes at
    most 40% of either neighbour), and left out where that leaves less than its shortest."""
    if not options.transition:
        return tuple(clips)
    shortest = Fraction(str(LIMITS["transition.length"].low))
    items: list[Item] = [clips[0]]
    skipped = 0
    for before, after in itertools.pairwise(clips):
        room = min(before.duration, after.duration) * Fraction(4, 5)
        length = min(options.transition_length, room)
        if length >= shortest:
            items.append(Transition(options.transition, Fraction(round(length * 1000), 1000)))
        else:
            skipped += 1
        items.append(after)
    if skipped:
        notes.append(f"{skipped} cut(s) too close together for a {options.transition}: left plain")
    return tuple(items)


def cut_times(music: MusicTrack, options: SyncOptions, end: Fraction, fps: int) -> list[Fraction]:
    """Timeline times of 0, every cut, and the end, each on its nearest output frame."""
    level: BeatLevel = "downbeats" if options.mode == "downbeats" else "beats"
    beats = [t for t in music.beat_times(level) if 0 < t < end]
    if options.mode == "energy":
        chosen = _energy_cuts(music, beats, options.every)
    else:
        chosen = beats[_phase(music, beats, options) :: options.every]
    if len(chosen) >= 2:  # no sliver of a shot before the first cut or after the last
        typical = sorted(b - a for a, b in itertools.pairwise(chosen))[len(chosen) // 2 - 1]
        chosen = [t for t in chosen if t >= typical / 2 and end - t >= typical / 2]
    last = nearest_frame(end, fps)
    frames = [0]
    for frame in sorted({nearest_frame(t, fps) for t in chosen}):
        if frame - frames[-1] >= MIN_SLOT_FRAMES and last - frame >= MIN_SLOT_FRAMES:
            frames.append(frame)
    return [Fraction(f, fps) for f in [*frames, last]]


def _phase(music: MusicTrack, beats: list[Fraction], options: SyncOptions) -> int:
    """Count from the first bar start, so every 2 beats in 4/4 cuts on beats 1 and 3."""
    if options.mode == "downbeats" or options.every == 1:
        return 0
    bars = set(music.beat_times("downbeats"))
    first_bar = next((i for i, t in enumerate(beats) if t in bars), 0)
    return first_bar % options.every


def _energy_cuts(music: MusicTrack, beats: list[Fraction], every: int) -> list[Fraction]:
    """Cut every beat where the music is intense, every 2 in the middle, every bar when calm."""
    grid = music.grid
    if not grid.intensity:
        refuse("mode", "energy mode needs the music's intensity: analyse the music again")
    chosen, index = [], 0
    while index < len(beats):
        chosen.append(beats[index])
        level = _intensity(grid, beats[index] + music.offset)
        step = 1 if level >= 2 / 3 else 2 if level >= 1 / 3 else grid.beats_per_bar
        index += step * every
    return chosen


def _intensity(grid: BeatGrid, t: Fraction) -> float:
    nearest = min(range(len(grid.detected)), key=lambda i: abs(grid.detected[i] - t))
    return grid.intensity[nearest]


def _end(clips: Sequence[Clip], music: MusicTrack, options: SyncOptions) -> Fraction:
    """Where the edit stops: on the bar start (a beat if the grid has no bars) nearest the
    length asked for, or else nearest the length of the clips (never past the music's end);
    of two about equally near, the earlier (a 15 s hook with bars every 2 s ends at 14 s, not
    past the hook)."""
    available = music.media.duration - options.start
    if options.duration is not None:
        if options.duration > available:
            refuse(
                "duration",
                f"{float(options.duration):.2f} s is longer than the music after the start "
                f"({float(available):.2f} s)",
            )
        target = options.duration
    else:
        target = min(available, sum((c.duration for c in clips), Fraction(0)))
    bars = _with_next(list(music.beat_times("downbeats")), available) or _with_next(
        list(music.beat_times("beats")), available
    )
    bars = [t for t in bars if t > 0]
    if not bars:
        return target
    nearest = min(abs(t - target) for t in bars)
    return min(t for t in bars if abs(t - target) <= nearest + EVEN_NEAR)


def _with_next(times: list[Fraction], available: Fraction) -> list[Fraction]:
    """The times that fit in the music, plus the next one in the same rhythm if the music lasts
    until then (a track or loop usually ends where its next bar would start)."""
    inside = [t for t in times if t <= available]
    if len(inside) >= 2:
        gaps = sorted(b - a for a, b in itertools.pairwise(inside))
        following = inside[-1] + gaps[len(gaps) // 2]
        if following <= available + END_SLACK:
            inside.append(min(following, available))
    return inside


def _last_bar(music: MusicTrack, end: Fraction) -> Fraction:
    bars = [t for t in music.beat_times("downbeats") if t < end]
    return end - bars[-1] if bars else end


def in_order(clips: Sequence[Clip]) -> Picker:
    """Each clip is read from its start onwards, never repeating a part until all are used."""

    def pick(
        index: int, length: Fraction, used: list[tuple[Fraction, Fraction]]
    ) -> Fraction | None:
        start = max((end for _, end in used), default=Fraction(0))
        return start if start + length <= clips[index].duration else None

    return pick


def _fill(
    clips: list[Clip],
    lengths: list[Fraction],
    times: list[Fraction],
    pick: Picker,
    short: ShortPolicy,
    notes: list[str],
) -> list[Clip]:
    used: list[list[tuple[Fraction, Fraction]]] = [[] for _ in clips]
    placed: list[Clip] = []
    turn = 0
    for slot, length in enumerate(lengths):
        at = f"{float(times[slot]):.2f} s"
        index, start = _take(clips, length, turn, pick, used, short)
        if index is None:
            index = turn % len(clips)
            if short == "next" and any(c.duration >= length for c in clips):
                used = [[] for _ in clips]
                notes.append(f"all clip material was used by {at}; clips repeat from there")
                index, start = _take(clips, length, turn, pick, used, short)
            elif clips[index].duration >= length:
                used[index] = []
                notes.append(f"{clips[index].media.name} repeats from its start at {at}")
                start = pick(index, length, used[index])
        if index is None or start is None:
            index = turn % len(clips)
            placed += _stretch(clips[index], length, short, at, notes)
        else:
            placed.append(_segment(clips[index], start, length))
            used[index].append((start, start + length))
        turn = index + 1
    return placed


def _take(
    clips: list[Clip],
    length: Fraction,
    turn: int,
    pick: Picker,
    used: list[list[tuple[Fraction, Fraction]]],
    short: ShortPolicy,
) -> tuple[int | None, Fraction | None]:
    """The clip whose turn it is (or, with the `next` policy, the next one that has room)."""
    tries = len(clips) if short == "next" else 1
    for offset in range(tries):
        index = (turn + offset) % len(clips)
        start = pick(index, length, used[index])
        if start is not None:
            return index, start
    return None, None


def _segment(clip: Clip, start: Fraction, length: Fraction) -> Clip:
    """`length` of timeline from `start` (timeline time inside the clip)."""
    source_in, end = clip.source_at(start), clip.source_at(start + length)
    return replace(clip, source_in=source_in, source_out=end, id=new_id())


def _stretch(
    clip: Clip, length: Fraction, short: ShortPolicy, at: str, notes: list[str]
) -> list[Clip]:
    """A clip shorter than its slot: slowed down to fill it (at most to 1/4 speed), or looped."""
    name, have = clip.media.name, float(clip.duration)
    if short != "loop":
        speed = max(MIN_SPEED, clip.speed * clip.duration / length)
        slowed = replace(clip, speed=speed)
        if slowed.duration >= length:
            notes.append(
                f"{name} ({have:.2f} s) is shorter than its {float(length):.2f} s slot at {at}: "
                f"slowed to {float(speed):.2f}x"
            )
            return [_segment(slowed, Fraction(0), length)]
        clip = slowed
    pieces, left = [], length
    while left > 0:
        piece = min(left, clip.duration)
        pieces.append(_segment(clip, Fraction(0), piece))
        left -= piece
    notes.append(
        f"{name} ({have:.2f} s) is shorter than its {float(length):.2f} s slot at {at}: "
        f"looped {len(pieces)} times" + (f" at {float(clip.speed):.2f}x" if clip.speed != 1 else "")
    )
    return pieces


def _check(clips: Sequence[Clip], music: MusicTrack, options: SyncOptions) -> None:
    if not clips:
        refuse("clips", "give at least one clip")
    if options.start >= music.media.duration:
        refuse(
            "start",
            f"{format_time(options.start)} s is past the end of the music "
            f"({float(music.media.duration):.2f} s)",
        )
    if not music.grid.beats:
        refuse("music", "the music has no beats: analyse it first")
