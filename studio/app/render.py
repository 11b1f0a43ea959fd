"""Analyse, then render: the one place that runs an analysis pass before a render.

The render (studio.render) compiles a project and the pictures prepared for it into one ffmpeg
graph and never imports the analyses; the analyses (studio.analysis) never import the render.
This facade joins them: follow crops are made, person, face and skin masks, sticker layers and
per-frame effect renders are made or found in the cache, and the render then reads them.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from studio.io.runner import Task, as_task
from studio.model.effects import kind_of
from studio.model.timeline import Clip, Project, video_clips
from studio.render.export import ExportResult, check_export, export as render_export
from studio.render.frame import Picture, render_frame as render_png, render_picture
from studio.render.presets import Preset

ANALYSIS_SHARE = 0.3  # of an export's progress bar, when its clips need an analysis pass


def export(
    project: Project, output: str | Path, preset: Preset, task: Task | None = None
) -> ExportResult:
    """Render the project to `output`, after the analysis its effects need (cached by content,
    so a second export of the same clips skips it). Checks come first: a bad project or an
    unsafe output fails before any analysis runs."""
    from studio.analysis.masks import needed_masks
    from studio.analysis.reframe import followed

    task = as_task(task)
    check_export(project, preset, Path(output).absolute())
    share = ANALYSIS_SHARE if needs_analysis(project) else 0.0
    project = followed(project, task.part(0, share / 2))
    fps = preset.frame_rate(project.canvas.fps)
    masks = needed_masks(project, fps, task.part(share / 2, share))
    return render_export(project, output, preset, task.part(share, 1), masks)


def render_frame(
    project: Project,
    at: Fraction,
    size: tuple[int, int],
    output: str | Path | None = None,
    proxies: bool = False,
    task: Task | None = None,
) -> bytes:
    """PNG bytes of the frame at `at` (written to `output` when given). With `proxies` (the
    app's scrubbing) nothing is analysed now: what is made shows, clips still being analysed
    show as filmed."""
    from studio.analysis.masks import made_masks, needed_masks
    from studio.analysis.reframe import followed, made_followed

    task = as_task(task)
    fps = project.canvas.fps
    if proxies:
        return render_png(
            made_followed(project), at, size, output, True, task, made_masks(project, fps)
        )
    project = followed(project, task.part(0, 0.2))
    masks = needed_masks(project, fps, task.part(0.2, 0.5))
    return render_png(project, at, size, output, False, task.part(0.5, 1), masks)


def render_pixels(
    project: Project, at: Fraction, size: tuple[int, int], task: Task | None = None
) -> Picture:
    """The frame at `at` as raw BGRA pixels, from the preview proxies: what
    `render_frame(..., proxies=True)` gives as a PNG, for the app's preview (nothing is
    analysed now, as there)."""
    from studio.analysis.masks import made_masks
    from studio.analysis.reframe import made_followed

    masks = made_masks(project, project.canvas.fps)
    return render_picture(made_followed(project), at, size, task, masks)


def needs_analysis(project: Project) -> bool:
    """Whether an export of the project runs an analysis pass (a duet's sync and green screen,
    a clip's background, faces, skin, sticker, per-frame effects or follow crop)."""
    return any(_analysed(clip) for clip in video_clips(project))


def _analysed(clip: Clip) -> bool:
    prepared = any(kind_of(effect).prepares for effect in clip.effects)
    return prepared or clip.fit.mode == "follow"
