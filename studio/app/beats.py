"""Beat analysis and beat-synced edits as user actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from studio.analysis.reframe import followed
from studio.app.export import save_and_export
from studio.app.project import check_project_name, parse_seconds
from studio.errors import NO_SOUND, ProjectError
from studio.io.probe import probe
from studio.io.project_file import load_project, save_project
from studio.io.runner import Task, as_task
from studio.model.beatsync import Picker, SyncOptions, SyncResult
from studio.model.edits import clip_of
from studio.model.limits import check_choice, check_range
from studio.model.timeline import (
    BeatEffect,
    BeatGrid,
    Canvas,
    Clip,
    Fit,
    MediaRef,
    MusicTrack,
    Project,
)
from studio.render.export import ExportResult

if TYPE_CHECKING:
    from studio.analysis.beats import BeatAnalysis

Seconds = str | float | Fraction


def analyse_beats(
    path: str | Path, task: Task | None = None, bpm: float | None = None
) -> BeatAnalysis:
    """Tempo, beats, bar starts, onsets, energy and sections of any file with sound (cached);
    `bpm` is the tempo the user knows the music has, if any."""
    from studio.analysis.beats import analyse

    return analyse(path, task=task, bpm=bpm)


def tapped_grid(path: str | Path, taps: Sequence[float], task: Task | None = None) -> BeatGrid:
    """The beats of a music file set by taps along with it (seconds of the file, at least 4):
    the taps' tempo settles the tracker's octave, their phase which beat is the beat; the
    tracker's beats keep the music's own timing (a steady grid where it finds none)."""
    from studio.model.beat_fixes import tapped

    bpm, phase = tapped(taps)
    return beats_at(path, bpm, phase, task)


def beats_at(path: str | Path, bpm: float, phase: float, task: Task | None = None) -> BeatGrid:
    """The beats of a music file at about `bpm`, with a beat at `phase` seconds (for scripts:
    `studio beats SONG --bpm N --phase S`)."""
    from studio.model.beat_fixes import in_phase, steady

    # a whole BPM: the tracker trusts a hint to 8%, and each tap of a run then finds the
    # analysis cached instead of making it again
    analysis = analyse_beats(path, task, bpm=round(bpm))
    found = analysis.grid()
    if len(found.detected) < 2 or not analysis.steady:
        return steady(bpm, phase, analysis.duration, analysis.meter)
    return in_phase(found, phase)


@dataclass(frozen=True)
class BeatSyncRequest:
    """A beat-synced edit, in the plain values a form or a command line gives."""

    music: str | Path
    clips: Sequence[str | Path]
    mode: str = "beats"  # "beats" | "downbeats" | "energy"
    every: int = 1
    start: Seconds = 0  # into the music
    duration: Seconds | None = None  # None: as long as the music and the clips allow
    short: str = "next"  # "next" | "slow" | "loop"
    pick: str = "order"  # "order" | "highlights"
    effects: tuple[str, ...] = ()  # "punch", "flash"
    effects_on: str = "downbeats"
    strength: float = 0.5
    fit: str = "crop"
    fps: int = 30
    bpm: float | None = None  # the music's tempo when the user knows it
    bar_start: Seconds | None = None  # into the music: a bar starts on the beat nearest it
    beats_per_bar: int = 0  # 0: the meter found in the music
    transition: str = ""  # "KIND" or "KIND:SECONDS" on every cut, centred on its beat
    hook: int | None = None  # 15 or 30: the music's hook (analysis/hook.py) instead of `start`
    grid: BeatGrid | None = None  # the beats to cut to, as the user fixed them (not analysed)

    def options(self) -> SyncOptions:
        duration = None if self.duration is None else parse_seconds(self.duration, "duration")
        kind, _, length = self.transition.partition(":")
        return SyncOptions(
            self.mode,  # type: ignore[arg-type]
            self.every,
            parse_seconds(self.start, "start"),
            duration,
            self.short,  # type: ignore[arg-type]
            kind,
            parse_seconds(length, "transition") if length else SyncOptions.transition_length,
        )

    def beat_effects(self) -> tuple[BeatEffect, ...]:
        return tuple(
            BeatEffect(kind, self.effects_on, self.strength)  # type: ignore[arg-type]
            for kind in self.effects
        )


def beat_synced_project(request: BeatSyncRequest, task: Task | None = None) -> SyncResult:
    """Analyse the music and cut the clips to its beats (the clips' own sound is muted)."""
    from studio.analysis.beats import analyse
    from studio.model.beatsync import cut_to_beats

    task = as_task(task)
    options, effects = request.options(), request.beat_effects()
    if request.hook is not None:
        options = _on_hook(request, options, task.part(0, 0.1))
    check_choice("sync.pick", request.pick, "pick")
    check_range("effect.strength", request.strength, "strength")
    check_choice("canvas.fps", request.fps, "fps")
    check_choice("fit.mode", request.fit, "fit")
    bar_start = None if request.bar_start is None else parse_seconds(request.bar_start, "bar_start")
    if request.beats_per_bar:
        check_range("grid.meter", request.beats_per_bar, "beats_per_bar")
    music = probe(request.music, task)
    if not music.has_audio:
        raise ProjectError(NO_SOUND, request.music, field="music")
    fit = Fit(request.fit)  # type: ignore[arg-type]
    clips = [replace(clip_of(_video(path, task), fit), volume=0.0) for path in request.clips]
    picker = _highlights(clips, task.part(0.4, 1)) if request.pick == "highlights" else None
    canvas = Canvas(fps=request.fps)
    warnings: tuple[str, ...] = ()  # none for the user's own beats
    if request.grid is not None:
        grid = request.grid
    else:
        analysis = analyse(request.music, task=task.part(0, 0.4), bpm=request.bpm)
        grid, warnings = analysis.grid(), _beat_warnings(analysis)
    grid = grid.with_bars(bar_start, request.beats_per_bar or None)
    result = cut_to_beats(clips, MusicTrack(music, grid=grid), options, canvas, picker)
    notes = (*warnings, *result.notes)
    project = followed(replace(result.project, effects=effects), task.part(0.4, 1))
    return replace(result, project=project, notes=notes)


def _on_hook(request: BeatSyncRequest, options: SyncOptions, task: Task) -> SyncOptions:
    """The edit on the music's hook: from its first bar, as long as the hook unless a
    duration is given."""
    from studio.analysis.hook import find_hook
    from studio.app.sound import HOOKS

    if request.hook not in HOOKS:
        raise ProjectError(f"must be {' or '.join(map(str, HOOKS))} seconds", field="hook")
    if options.start:
        raise ProjectError("give --start or --hook, not both", field="hook")
    hook = find_hook(request.music, request.hook or 0, task)
    start = Fraction(hook.start).limit_denominator(1000)
    duration = options.duration or Fraction(hook.end - hook.start).limit_denominator(1000)
    return replace(options, start=start, duration=duration)


def _beat_warnings(analysis: BeatAnalysis) -> tuple[str, ...]:
    """What to say of a grid the analysis is unsure of: no steady beat, or weak stretches."""
    unsteady = () if analysis.steady else (analysis.warning,)
    return (*_weak_beat_notes(analysis), *unsteady)


def _weak_beat_notes(analysis: BeatAnalysis) -> tuple[str, ...]:
    return tuple(
        f"the beat is weak from {start:.1f} s to {end:.1f} s (confidence {confidence:.2f}): "
        "cuts there may not follow a pulse"
        for start, end, confidence in analysis.weak_parts
    )


def beatsync(
    request: BeatSyncRequest,
    output: str | Path,
    preset: str | None = None,
    save_to: str | Path | None = None,
    task: Task | None = None,
) -> tuple[ExportResult, tuple[str, ...]]:
    """Make a beat-synced edit and export it; also save its project when `save_to` is given."""
    task = as_task(task)
    if save_to is not None:
        check_project_name(save_to)  # before the analysis, not after it
    result = beat_synced_project(request, task.part(0, 0.15))
    exported = save_and_export(result.project, output, preset, save_to, task.part(0.15, 1))
    return exported, result.notes


def refresh_beats(project_path: str | Path, task: Task | None = None) -> Project:
    """Analyse the project's music again; beats the user added or removed are kept."""
    from studio.analysis.beats import analyse
    from studio.model.edits import set_beat_analysis

    project = load_project(project_path)
    if project.music is None:
        raise ProjectError("the project has no music to analyse", project_path, field="music")
    project = set_beat_analysis(project, analyse(project.music.media.path, task=task).grid())
    save_project(project, project_path)
    return project


def _video(path: str | Path, task: Task) -> MediaRef:
    media = probe(path, task)
    if not media.has_video:
        raise ProjectError("has no video to cut (give it as the music instead?)", path)
    return media


def _highlights(clips: list[Clip], task: Task) -> Picker:
    from studio.analysis.highlights import highlight_picker, liveliness

    count = max(len(clips), 1)
    scores = [
        liveliness(clip.media, task.part(i / count, (i + 1) / count))
        for i, clip in enumerate(clips)
    ]
    return highlight_picker(clips, scores)
