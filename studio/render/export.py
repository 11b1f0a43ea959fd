"""Export a project: check, measure loudness, render to a temp file, rename into place."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from studio.errors import RenderError
from studio.io.ffmpeg_bin import ffmpeg_exe, run_argv
from studio.model.timeline import Project
from studio.model.validate import Problem, platform_warnings, problems
from studio.render.audio import Loudness, parse_loudnorm
from studio.render.command import export_command, measure_command
from studio.render.presets import Preset
from studio.render.runner import ProgressCallback, run

MEASURE_TIMEOUT = 1800.0


@dataclass(frozen=True)
class ExportResult:
    output: Path
    frames: int
    duration: float
    warnings: list[Problem]
    loudness: Loudness | None


def check_export(project: Project, preset: Preset, output: Path) -> list[Problem]:
    """Raise for errors (bad project, unsafe output path); return the platform warnings."""
    errors = [p for p in problems(project) if p.severity == "error"]
    if errors:
        raise RenderError("; ".join(str(p) for p in errors))
    _check_output(project, output)
    fps = preset.frame_rate(project.canvas.fps)
    return platform_warnings(float(project.duration), preset.width, preset.height, fps)


def export(
    project: Project,
    output: str | Path,
    preset: Preset,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> ExportResult:
    """Render the project to `output`; on any failure the previous file there is untouched."""
    target = Path(output).absolute()
    warnings = check_export(project, preset, target)
    loudness = measure_loudness(project, preset)
    temp = target.with_name(f".{target.stem}.partial-{os.getpid()}-{threading.get_ident()}.mp4")
    plan = export_command(project, preset, temp, loudness, exe=ffmpeg_exe())
    try:
        run(plan.argv, plan.duration, on_progress, cancel)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return ExportResult(target, plan.frames, plan.duration, warnings, loudness)


def measure_loudness(project: Project, preset: Preset) -> Loudness | None:
    """First loudnorm pass over the mixed sound (audio only: quick)."""
    argv = measure_command(project, preset, exe=ffmpeg_exe())
    done = run_argv(argv, timeout=MEASURE_TIMEOUT)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise RenderError(f"loudness measurement failed: {tail[0]}")
    return parse_loudnorm(done.stderr, preset.loudness, preset.true_peak)


def _check_output(project: Project, output: Path) -> None:
    if output.suffix.lower() not in (".mp4", ".m4v", ".mov"):
        raise RenderError("the output must be an .mp4 (or .m4v/.mov) file", output)
    if output.is_dir():
        raise RenderError("the output is a folder", output)
    if not output.parent.is_dir():
        raise RenderError("the output folder does not exist", output.parent)
    for source in _inputs(project):
        if _same_file(source, output):
            raise RenderError("the output would overwrite an input of the project", output)


def _inputs(project: Project) -> list[Path]:
    paths = [Path(clip.media.path) for clip in project.main.clips]
    if project.music:
        paths.append(Path(project.music.media.path))
    return paths


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())
