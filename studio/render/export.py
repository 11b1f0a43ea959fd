"""Export a project: check, measure loudness, render to a temp file, rename into place."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from studio.errors import RenderError, StudioError
from studio.io.cache import cache_dir
from studio.io.children import alive
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.files import replace_file
from studio.io.runner import Completed, Task, as_task, run
from studio.model.timeline import Clip, Project, video_clips
from studio.model.validate import Problem, platform_warnings, problems
from studio.render.audio import Loudness, parse_ebur128
from studio.render.captions import write_captions
from studio.render.command import (
    Command,
    audio_command,
    export_command,
    measure_command,
    metadata,
    mux_command,
    video_command,
)
from studio.render.images import make_images
from studio.render.plan import Frame, Plan, make_plan
from studio.render.presets import Preset
from studio.settings import current

MEASURE_TIMEOUT = 1800.0
MEASURE_SHARE = 0.08  # of an export's progress bar: the audio-only loudness pass is quick
PARTIAL = re.compile(r"^\..+\.partial-(\d+)-\d+(\.mp4)?$")  # temp names of exports under way


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
    return platform_warnings(float(project.duration), *preset.size_for(project.canvas), fps)


def plan_export(project: Project, preset: Preset, masks: Mapping[str, Path] | None = None) -> Plan:
    """The plan of a render with this preset, its overlay images drawn if missing; `masks`:
    the pictures an analysis pass prepared (studio.app.render), by their keys."""
    frame = Frame(*preset.size_for(project.canvas), preset.frame_rate(project.canvas.fps))
    plan = make_plan(project, frame, cache_dir("images"), dict(masks or {}))
    make_images(plan.images, plan.image_dir)
    write_captions(plan)
    return plan


def export(
    project: Project,
    output: str | Path,
    preset: Preset,
    task: Task | None = None,
    masks: Mapping[str, Path] | None = None,
) -> ExportResult:
    """Render the project to `output`; on any failure or cancel the previous file there is
    untouched and no temp file is left. A project whose effects need an analysis pass comes
    with what that pass prepared (`masks`) and its follow crops made: studio.app.render does
    both, then calls this."""
    task = as_task(task)
    target = Path(output).absolute()
    warnings = check_export(project, preset, target)
    remove_stale_partials(target.parent)
    plan = plan_export(project, preset, masks)
    loudness = measure_loudness(project, plan, preset, task.part(0, MEASURE_SHARE))
    work = target.with_name(f".{target.stem}.partial-{os.getpid()}-{threading.get_ident()}")
    temp = work.with_name(work.name + ".mp4")  # not with_suffix: the pid would be the suffix
    main = project.main
    joined = frozenset(i for i, clip in enumerate(main.clips) if main.transition_after(clip.id))
    parts = chunks(main.clips, plan.frame.width * plan.frame.height, joined=joined)
    render = task.part(MEASURE_SHARE, 1)
    try:
        if len(parts) == 1:
            command = export_command(project, plan, preset, temp, loudness, exe=ffmpeg_exe())
            _run(command, render, "rendering")
        else:
            work.mkdir()
            _export_in_chunks(project, plan, preset, parts, work, temp, loudness, render)
        _put_in_place(temp, target)
    finally:
        temp.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    return ExportResult(target, plan.frames, plan.duration, warnings, loudness)


def _put_in_place(temp: Path, target: Path) -> None:
    """The finished render at `target`; where another program holds `target` open, at the
    first free "NAME (2).mp4" beside it instead, named in the error, so the render is kept."""
    try:
        replace_file(temp, target)
    except StudioError as held:
        kept = next(
            beside
            for number in range(2, 10_000)
            if not (beside := target.with_name(f"{target.stem} ({number}){target.suffix}")).exists()
        )
        replace_file(temp, kept)
        raise RenderError(f"{held.reason}; the video was saved as {kept.name}", target) from None


def _run(command: Command, task: Task, message: str) -> None:
    done = run(command.argv, task, total=command.duration, message=message, again_if_stuck=True)
    if done.returncode != 0:
        detail = " | ".join(line for line in done.stderr.splitlines()[-20:] if line.strip())
        detail = detail[-600:] or "no message"
        raise RenderError(f"ffmpeg failed (exit {done.returncode}): {detail}")


def remove_stale_partials(folder: Path) -> list[Path]:
    """Delete temp files and folders that exports killed mid-way left in `folder` (their
    process is gone); returns what was removed."""
    removed = []
    for entry in folder.iterdir() if folder.is_dir() else ():
        match = PARTIAL.match(entry.name)
        if match and not alive(int(match.group(1))):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def estimated_mb(source_pixels: int, output_pixels: int) -> float:
    """Memory ffmpeg holds for one open source range: its decoder's frames, plus the frames that
    flow through the clip's chain and wait at the concat for their turn (measured: 375 MB for
    one 720p source at 1080x1920, 592 MB for three, 708 MB for five; a hand-written command
    behaves the same)."""
    return (source_pixels * 1.5 * 16 + output_pixels * 1.5 * 24) / 1e6


def chunks(
    clips: tuple[Clip, ...],
    output_pixels: int,
    budget_mb: float | None = None,
    joined: frozenset[int] = frozenset(),
) -> list[tuple[int, int]]:
    """Clip index ranges [first, last) each rendered by one ffmpeg process.

    ffmpeg opens every input at start, and each open source holds decoded frames until its turn
    (see estimated_mb), so a 10-minute edit of 120 cuts would need about 10 GB in one process.
    Edits that fit the memory budget (the `render_memory_mb` setting), the usual short video,
    stay one process and one graph; longer ones are cut into chunks that fit, encoded one after
    another with the same settings, and joined without re-encoding. A clip in `joined` has a
    transition into the next one, and the two stay in one chunk.
    """
    budget = current().render_memory_mb if budget_mb is None else budget_mb
    budget -= _encoder_mb(output_pixels)
    ranges: list[tuple[int, int]] = []
    first, used = 0, 0.0
    seen: set[tuple[str, Fraction, Fraction]] = set()
    for index, clip in enumerate(clips):
        key = (clip.media.path, clip.source_in, clip.source_out)
        if key in seen:
            continue  # the same range is opened once and split
        cost = estimated_mb(clip.media.width * clip.media.height, output_pixels)
        if index > first and used + cost > budget and index - 1 not in joined:
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
    plan: Plan,
    preset: Preset,
    parts: list[tuple[int, int]],
    work: Path,
    output: Path,
    loudness: Loudness | None,
    task: Task,
) -> None:
    """Render each chunk's picture to raw H.264, the whole sound once, then join them."""
    exe = ffmpeg_exe()
    whole = audio_command(project, plan, preset, work / "audio.m4a", loudness, exe=exe)
    _run(whole, task.part(0, 0.05), "rendering the sound")
    video = work / "video.h264"
    done = 0
    with video.open("wb") as joined:
        for number, (first, last) in enumerate(parts):
            piece = work / f"{number:04d}.h264"
            command = video_command(project, plan, first, last, preset, piece, exe=exe)
            share = (done / plan.frames, (done + command.frames) / plan.frames)
            step = task.part(0.05 + 0.9 * share[0], 0.05 + 0.9 * share[1])
            _run(command, step, f"rendering part {number + 1} of {len(parts)}")
            done += command.frames
            with piece.open("rb") as part:
                shutil.copyfileobj(part, joined)  # chunks can be hundreds of MB
            piece.unlink()
    tags = metadata(project)
    join = mux_command(video, work / "audio.m4a", plan.frame.fps, output, exe=exe, tags=tags)
    _run(Command(join, plan.frames, plan.duration), task.part(0.95, 1), "joining")


def measure_loudness(
    project: Project, plan: Plan, preset: Preset, task: Task | None = None
) -> Loudness | None:
    """First pass: EBU R128 loudness and true peak of the mixed sound (audio only: quick)."""
    argv = measure_command(project, plan, exe=ffmpeg_exe())
    done = run(
        argv,
        task,
        MEASURE_TIMEOUT,
        total=plan.duration,
        message="measuring loudness",
        again_if_stuck=True,
    )
    if done.returncode != 0:
        raise RenderError(f"loudness measurement failed: {_failed_input(done)}")
    return parse_ebur128(done.stderr, preset.loudness, preset.true_peak)


def _failed_input(done: Completed) -> str:
    """ffmpeg's line naming the input it could not open, with its reason, else its last."""
    opening = [line for line in done.stderr.splitlines() if "Error opening input file " in line]
    if not opening:
        return done.last_error()
    name = opening[-1].split("Error opening input file ", 1)[1].rstrip(".")
    return f"{name.removeprefix('file:')}: {done.last_error()}"


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
    paths = [Path(clip.media.path) for clip in video_clips(project)]
    if project.music:
        paths.append(Path(project.music.media.path))
    return paths


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())
