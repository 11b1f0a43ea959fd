"""Export a project: check, measure loudness, render to a temp file, rename into place."""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from studio.errors import RenderError
from studio.io.ffmpeg_bin import ffmpeg_exe, run_argv
from studio.model.timeline import Clip, Project
from studio.model.validate import Problem, platform_warnings, problems
from studio.render.audio import Loudness, parse_ebur128
from studio.render.command import (
    Plan,
    audio_command,
    export_command,
    measure_command,
    metadata,
    mux_command,
    video_command,
)
from studio.render.images import make_images
from studio.render.presets import Preset
from studio.render.remix import images
from studio.render.runner import Progress, ProgressCallback, run

MEASURE_TIMEOUT = 1800.0
# One render process plans for this much memory: a 16-cut edit of 720p sources at 1080x1920
# (measured peak 1.3 GB) renders in one pass; longer edits go in chunks.
# STUDIO_RENDER_MEMORY_MB changes it.
DEFAULT_RENDER_MEMORY_MB = 1900.0


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
    make_images(images(project, preset.width, preset.height))
    loudness = measure_loudness(project, preset)
    work = target.with_name(f".{target.stem}.partial-{os.getpid()}-{threading.get_ident()}")
    temp = work.with_suffix(".mp4")
    parts = chunks(project.main.clips, preset.width * preset.height)
    try:
        if len(parts) == 1:
            plan = export_command(project, preset, temp, loudness, exe=ffmpeg_exe())
            run(plan.argv, plan.duration, on_progress, cancel)
        else:
            work.mkdir()
            plan = _export_in_chunks(
                project, preset, parts, work, temp, loudness, on_progress, cancel
            )
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    return ExportResult(target, plan.frames, plan.duration, warnings, loudness)


def render_memory_mb() -> float:
    """The memory one render process may plan for: $STUDIO_RENDER_MEMORY_MB or the default."""
    raw = os.environ.get("STUDIO_RENDER_MEMORY_MB", "")
    try:
        return max(float(raw), 100.0) if raw else DEFAULT_RENDER_MEMORY_MB
    except ValueError:
        raise RenderError(f"STUDIO_RENDER_MEMORY_MB must be a number of MB, not {raw!r}") from None


def estimated_mb(source_pixels: int, output_pixels: int) -> float:
    """Memory ffmpeg holds for one open source range: its decoder's frames, plus the frames that
    flow through the clip's chain and wait at the concat for their turn (measured: 375 MB for
    one 720p source at 1080x1920, 592 MB for three, 708 MB for five; a hand-written command
    behaves the same)."""
    return (source_pixels * 1.5 * 16 + output_pixels * 1.5 * 24) / 1e6


def chunks(
    clips: tuple[Clip, ...], output_pixels: int, budget_mb: float | None = None
) -> list[tuple[int, int]]:
    """Clip index ranges [first, last) each rendered by one ffmpeg process.

    ffmpeg opens every input at start, and each open source holds decoded frames until its turn
    (see estimated_mb), so a 10-minute edit of 120 cuts would need about 10 GB in one process.
    Edits that fit the memory budget, the usual short video, stay one process and one graph;
    longer ones are cut into chunks that fit, encoded one after another with the same settings,
    and joined without re-encoding.
    """
    budget = (render_memory_mb() if budget_mb is None else budget_mb) - _encoder_mb(output_pixels)
    ranges: list[tuple[int, int]] = []
    first, used = 0, 0.0
    seen: set[tuple[str, Fraction, Fraction]] = set()
    for index, clip in enumerate(clips):
        key = (clip.media.path, clip.source_in, clip.source_out)
        if key in seen:
            continue  # the same range is opened once and split
        cost = estimated_mb(clip.media.width * clip.media.height, output_pixels)
        if index > first and used + cost > budget:
            ranges.append((first, index))
            first, used, seen = index, 0.0, set()
        used += cost
        seen.add(key)
    ranges.append((first, len(clips)))
    return ranges


def _encoder_mb(output_pixels: int) -> float:
    """x264's look-ahead and reference frames plus ffmpeg itself (measured: 375 MB in all for
    one 720p source at 1080x1920)."""
    return 100 + output_pixels * 1.5 * 60 / 1e6


def _export_in_chunks(
    project: Project,
    preset: Preset,
    parts: list[tuple[int, int]],
    work: Path,
    output: Path,
    loudness: Loudness | None,
    on_progress: ProgressCallback | None,
    cancel: threading.Event | None,
) -> Plan:
    """Render each chunk's picture to raw H.264, the whole sound once, then join them."""
    exe = ffmpeg_exe()
    whole = audio_command(project, preset, work / "audio.m4a", loudness, exe=exe)
    run(whole.argv, whole.duration, None, cancel)
    video = work / "video.h264"
    done = 0.0
    with video.open("wb") as joined:
        for number, (first, last) in enumerate(parts):
            piece = work / f"{number:04d}.h264"
            plan = video_command(project, first, last, preset, piece, exe=exe)
            run(plan.argv, whole.duration, _offset(on_progress, done), cancel)
            done += plan.duration
            with piece.open("rb") as part:
                shutil.copyfileobj(part, joined)  # chunks can be hundreds of MB
            piece.unlink()
    fps = preset.frame_rate(project.canvas.fps)
    join = mux_command(video, work / "audio.m4a", fps, output, exe=exe, tags=metadata(project))
    run(join, whole.duration, None, cancel)
    return whole


def _offset(on_progress: ProgressCallback | None, start: float) -> ProgressCallback | None:
    if on_progress is None:
        return None
    return lambda p: on_progress(Progress(start + p.done_seconds, p.total_seconds))


def measure_loudness(project: Project, preset: Preset) -> Loudness | None:
    """First pass: EBU R128 loudness and true peak of the mixed sound (audio only: quick)."""
    argv = measure_command(project, preset, exe=ffmpeg_exe())
    done = run_argv(argv, timeout=MEASURE_TIMEOUT)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise RenderError(f"loudness measurement failed: {tail[0]}")
    return parse_ebur128(done.stderr, preset.loudness, preset.true_peak)


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
    if project.duet:
        paths += [Path(project.duet.original.media.path), Path(project.duet.yours.media.path)]
    if project.music:
        paths.append(Path(project.music.media.path))
    return paths


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())
