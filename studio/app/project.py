"""Projects as user actions: probe files, make a project, render a frame, write OTIO."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from studio.analysis.reframe import followed
from studio.errors import NO_SOUND, Cancelled, ProjectError, StudioError
from studio.io.probe import Inspection, inspect, probe
from studio.io.project_file import load_project, save_project
from studio.io.runner import Task, as_task
from studio.io.strips import Thumbnails, Waveform, thumbnails, waveform
from studio.model.edits import clip_of
from studio.model.limits import check_choice
from studio.model.shapes import framed
from studio.model.time import parse_time
from studio.model.timeline import Canvas, Fit, FitMode, MediaRef, MusicTrack, Project, Track

if TYPE_CHECKING:
    from studio.render.frame import Picture as Picture


def probe_many(
    paths: Sequence[str | Path], task: Task | None = None
) -> list[Inspection | StudioError]:
    """One result per file, in order: the facts, or the error that file raised."""
    task = as_task(task)
    results: list[Inspection | StudioError] = []
    for index, path in enumerate(paths):
        task.report(index / max(len(paths), 1), f"probing {Path(path).name}")
        try:
            results.append(inspect(path, task))
        except Cancelled:
            raise
        except StudioError as error:
            results.append(error)
    return results


def new_project(
    clips: Sequence[str | Path],
    music: str | Path | None = None,
    fit: FitMode = "crop",
    fps: int = 30,
    task: Task | None = None,
    hook: int | None = None,
) -> Project:
    """A project with each clip whole, in order, on a 1080x1920 canvas (a follow crop's path
    found now, so the saved file holds its keys); the music from its `hook` (15 or 30 s, on
    a bar: analysis/hook.py) when one is asked for."""
    check_choice("canvas.fps", fps, "fps")
    check_choice("fit.mode", fit, "fit")
    media = [probe(path, task) for path in clips]
    project = Project(Canvas(fps=fps), Track(tuple(clip_of(m, Fit(fit)) for m in media)))
    if music is not None:
        project = with_music(project, music, task, hook)
    elif hook is not None:
        raise ProjectError("picks the hook of the music: give --music too", field="hook")
    return followed(project, task)


def with_music(
    project: Project, path: str | Path, task: Task | None = None, hook: int | None = None
) -> Project:
    media = probe(path, task)
    if not media.has_audio:
        raise ProjectError(NO_SOUND, path, field="music")
    fade = min(Fraction(1), project.duration / 4)
    offset = Fraction(0)
    if hook is not None:
        from studio.analysis.hook import find_hook

        offset = Fraction(find_hook(path, hook, task).start).limit_denominator(1000)
    return replace(project, music=MusicTrack(media, offset=offset, fade_out=fade))


def create_project_file(
    target: str | Path,
    clips: Sequence[str | Path],
    music: str | Path | None = None,
    fit: FitMode = "crop",
    fps: int = 30,
    task: Task | None = None,
    hook: int | None = None,
) -> Path:
    check_project_name(target)
    return save_project(new_project(clips, music, fit, fps, task, hook), target)


def check_project_name(target: str | Path) -> None:
    if not str(target).endswith(".studio.json"):
        raise ProjectError("project files end in .studio.json", target)


def parse_seconds(value: str | float | Fraction, field: str) -> Fraction:
    """A time typed by the user ("2.5", "0:02.5", 2.5), refused with the field's name."""
    try:
        return parse_time(value)
    except ValueError:
        raise ProjectError(f"must be a time in seconds, not {value!r}", field=field) from None


def parse_size(text: str) -> tuple[int, int]:
    """ "540x960" -> (540, 960), for preview frames."""
    from studio.render.frame import parse_size as parse

    return parse(text)


def frame_at(
    project_path: str | Path,
    at: str | float | Fraction,
    output: str | Path,
    size: tuple[int, int] | str | None = None,
    proxies: bool = False,
    task: Task | None = None,
) -> Path:
    """Render the composed frame at time `at` of a project file to a PNG, at `size` or (None)
    at the preview's size in the canvas's shape (540x960 for 9:16, 540x540 for 1:1)."""
    from studio.app.render import render_frame
    from studio.model.shapes import framed

    pixels = parse_size(size) if isinstance(size, str) else size  # checked before any reading
    when = parse_seconds(at, "at")
    project = load_project(project_path)
    canvas = project.canvas
    pixels = pixels or framed(canvas.width, canvas.height, (540, 960))
    render_frame(project, when, pixels, output, proxies, task)
    return Path(output)


def preview_pixels(
    project: Project,
    at: Fraction,
    size: tuple[int, int] = (540, 960),
    task: Task | None = None,
) -> Picture:
    """The composed frame at `at` as raw BGRA pixels (`Picture`), read from preview proxies
    (made on first use): the export's own picture, for the app's preview, with no PNG to
    encode or decode on the way. `size` is stated for a 9:16 frame; the picture takes the
    canvas's shape in that box (540x540 for a 1:1 edit)."""
    from studio.app.render import render_pixels

    canvas = project.canvas
    return render_pixels(project, at, framed(canvas.width, canvas.height, size), task)


def make_proxy(media: MediaRef, task: Task | None = None) -> MediaRef:
    """The all-intra preview proxy of a media file, made now if it is not cached yet (the app
    makes them in the background on import, so scrubbing is fast from the first click)."""
    from studio.render.proxy import proxy_of

    return proxy_of(media, task)


def thumbnails_of(media: MediaRef, task: Task | None = None) -> Thumbnails:
    """The thumbnail strip of a clip's file (keyframes, one a second; cached)."""
    return thumbnails(media, task)


def waveform_of(path: str, task: Task | None = None) -> Waveform:
    """The waveform peaks of a file's sound (one every 10 ms; cached)."""
    return waveform(path, task)


def export_otio(project_path: str | Path, output: str | Path) -> Path:
    from studio.interchange.otio import write_otio

    return write_otio(load_project(project_path, check_media=False), output)
