"""The facade shared by the CLI and the desktop app: one call per user action.

Nothing here prints or exits; failures are StudioError subclasses for the caller to show.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from studio.errors import ProjectError, StudioError
from studio.io.probe import Inspection, inspect, probe
from studio.io.project_file import load_project, save_project
from studio.model.beatsync import Picker, SyncOptions, SyncResult
from studio.model.edits import clip_of
from studio.model.time import parse_time
from studio.model.timeline import (
    CANVAS_FPS,
    BeatEffect,
    Canvas,
    Clip,
    Fit,
    FitMode,
    MediaRef,
    MusicTrack,
    Project,
    Track,
)
from studio.render.export import ExportResult, export
from studio.render.frame import render_frame
from studio.render.presets import get_preset
from studio.render.runner import ProgressCallback

if TYPE_CHECKING:
    from studio.analysis.beats import BeatAnalysis

PICKS = ("order", "highlights")
ASSETS = Path(os.environ.get("STUDIO_ASSETS", Path(__file__).resolve().parent.parent / "assets"))


def probe_many(paths: Sequence[str | Path]) -> list[Inspection | StudioError]:
    """One result per file, in order: the facts, or the error that file raised."""
    results: list[Inspection | StudioError] = []
    for path in paths:
        try:
            results.append(inspect(path))
        except StudioError as error:
            results.append(error)
    return results


def new_project(
    clips: Sequence[str | Path],
    music: str | Path | None = None,
    fit: FitMode = "crop",
    fps: int = 30,
) -> Project:
    """A project with each clip whole, in order, on a 1080x1920 canvas."""
    if fps not in CANVAS_FPS:
        raise ProjectError(f"--fps must be one of {', '.join(map(str, CANVAS_FPS))}")
    media = [probe(path) for path in clips]
    project = Project(Canvas(fps=fps), Track(tuple(clip_of(m, Fit(fit)) for m in media)))
    if music is not None:
        project = _with_music(project, music)
    return project


def _with_music(project: Project, path: str | Path) -> Project:
    media = probe(path)
    if not media.has_audio:
        raise ProjectError("the music file has no audio stream", path)
    fade = min(Fraction(1), project.duration / 4)
    return Project(project.canvas, project.main, MusicTrack(media, fade_out=fade), project.markers)


def create_project_file(
    target: str | Path,
    clips: Sequence[str | Path],
    music: str | Path | None = None,
    fit: FitMode = "crop",
    fps: int = 30,
) -> Path:
    check_project_name(target)
    return save_project(new_project(clips, music, fit, fps), target)


def check_project_name(target: str | Path) -> None:
    if not str(target).endswith(".studio.json"):
        raise ProjectError("project files end in .studio.json", target)


def save_and_export(
    project: Project,
    output: str | Path,
    preset: str | None = None,
    save_to: str | Path | None = None,
    on_progress: ProgressCallback | None = None,
) -> ExportResult:
    """Export a project a command made; also save it as a project file when `save_to` is given."""
    if save_to is not None:
        check_project_name(save_to)
        save_project(project, save_to)
    return export(project, output, get_preset(preset, project.canvas.fps), on_progress)


def export_project(
    project_path: str | Path,
    output: str | Path,
    preset: str | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> ExportResult:
    project = load_project(project_path)
    return export(project, output, get_preset(preset, project.canvas.fps), on_progress, cancel)


@dataclass(frozen=True)
class BatchItem:
    project: str
    output: str
    status: str  # "ok" | "failed"
    error: str | None
    seconds: float

    def as_json(self) -> dict[str, object]:
        return {
            "project": self.project,
            "output": self.output,
            "status": self.status,
            "error": self.error,
            "seconds": round(self.seconds, 2),
        }


def batch_export(
    projects: Sequence[str | Path],
    out_dir: str | Path,
    jobs: int = 1,
    preset: str | None = None,
    on_done: Callable[[BatchItem], None] | None = None,
) -> list[BatchItem]:
    """Export each project into out_dir, `jobs` at a time; one failure does not stop the rest."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    outputs = _batch_outputs(projects, folder)

    def one(index: int) -> BatchItem:
        item = _export_one(projects[index], outputs[index], preset)
        if on_done:
            on_done(item)
        return item

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, range(len(projects))))


def _batch_outputs(projects: Sequence[str | Path], folder: Path) -> list[Path]:
    """OUT_DIR/NAME.mp4 for PROJECT NAME.studio.json; repeated names get -2, -3, ..."""
    seen: dict[str, int] = {}
    outputs = []
    for project in projects:
        stem = Path(project).name.removesuffix(".json").removesuffix(".studio")
        seen[stem] = seen.get(stem, 0) + 1
        suffix = f"-{seen[stem]}" if seen[stem] > 1 else ""
        outputs.append(folder / f"{stem}{suffix}.mp4")
    return outputs


def _export_one(project: str | Path, output: Path, preset: str | None) -> BatchItem:
    start = time.monotonic()
    try:
        export_project(project, output, preset)
    except StudioError as error:
        return BatchItem(
            str(project), str(output), "failed", error.message, time.monotonic() - start
        )
    return BatchItem(str(project), str(output), "ok", None, time.monotonic() - start)


def frame_at(
    project_path: str | Path,
    at: str,
    output: str | Path,
    size: tuple[int, int],
    proxies: bool = False,
) -> Path:
    project = load_project(project_path)
    try:
        when = parse_time(at)
    except ValueError:
        raise ProjectError(f"--at must be a time in seconds, not {at!r}") from None
    render_frame(project, when, size, output, proxies)
    return Path(output)


def export_otio(project_path: str | Path, output: str | Path) -> Path:
    from studio.interchange.otio import write_otio

    return write_otio(load_project(project_path, check_media=False), output)


def demo(
    output: str | Path, preset: str | None = None, on_progress: ProgressCallback | None = None
) -> tuple[ExportResult, tuple[str, ...]]:
    """Render the bundled demo (shipped clips cut to the beats of the shipped loop)."""
    from studio.demo import demo_request

    return beatsync(demo_request(ASSETS), output, preset, on_progress=on_progress)


def analyse_beats(path: str | Path) -> BeatAnalysis:
    """Tempo, beats, bar starts, onsets, energy and sections of any file with sound (cached)."""
    from studio.analysis.beats import analyse

    return analyse(path)


@dataclass(frozen=True)
class BeatSyncRequest:
    music: str | Path
    clips: Sequence[str | Path]
    options: SyncOptions = field(default_factory=SyncOptions)
    pick: str = "order"  # "order" | "highlights"
    effects: tuple[BeatEffect, ...] = ()
    fit: FitMode = "crop"
    fps: int = 30


def beat_synced_project(request: BeatSyncRequest) -> SyncResult:
    """Analyse the music and cut the clips to its beats (the clips' own sound is muted)."""
    from studio.analysis.beats import analyse
    from studio.model.beatsync import cut_to_beats

    if request.pick not in PICKS:
        raise ProjectError(f"--pick must be one of {', '.join(PICKS)}")
    if request.fps not in CANVAS_FPS:
        raise ProjectError(f"--fps must be one of {', '.join(map(str, CANVAS_FPS))}")
    music = probe(request.music)
    if not music.has_audio:
        raise ProjectError("the music file has no audio stream", request.music)
    grid = analyse(request.music).grid()
    clips = [replace(clip_of(_video(path), Fit(request.fit)), volume=0.0) for path in request.clips]
    picker = _highlights(clips) if request.pick == "highlights" else None
    result = cut_to_beats(
        clips, MusicTrack(music, grid=grid), request.options, Canvas(fps=request.fps), picker
    )
    return replace(result, project=replace(result.project, effects=request.effects))


def beatsync(
    request: BeatSyncRequest,
    output: str | Path,
    preset: str | None = None,
    save_to: str | Path | None = None,
    on_progress: ProgressCallback | None = None,
) -> tuple[ExportResult, tuple[str, ...]]:
    """Make a beat-synced edit and export it; also save its project when `save_to` is given."""
    if save_to is not None:
        check_project_name(save_to)  # before the analysis, not after it
    result = beat_synced_project(request)
    return save_and_export(result.project, output, preset, save_to, on_progress), result.notes


def refresh_beats(project_path: str | Path) -> Project:
    """Analyse the project's music again; beats the user added or removed are kept."""
    from studio.analysis.beats import analyse
    from studio.model.edits import set_beat_analysis

    project = load_project(project_path)
    if project.music is None:
        raise ProjectError("the project has no music to analyse", project_path)
    project = set_beat_analysis(project, analyse(project.music.media.path).grid())
    save_project(project, project_path)
    return project


def _video(path: str | Path) -> MediaRef:
    media = probe(path)
    if not media.has_video:
        raise ProjectError("has no video to cut (give it with --music instead?)", path)
    return media


def _highlights(clips: list[Clip]) -> Picker:
    from studio.analysis.highlights import highlight_picker, liveliness

    return highlight_picker(clips, [liveliness(clip.media) for clip in clips])
