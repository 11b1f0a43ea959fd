"""The pictures of the app's browsers, rendered by the engine itself (what a tile shows is what
the export draws): an effect or look on one frame of a clip, and a transition as a few frames
of two bundled clips changing into each other.

Each is a small project of its own rendered at thumbnail size; a tile's effect is analysed on
its one frame only, so a background or face effect shows as it will in the export.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from studio.io.runner import Task, as_task
from studio.model.edits import clip_of
from studio.model.effects import Effect
from studio.model.timeline import Canvas, Clip, Project, Track, Transition

TILE = (144, 256)  # a 9:16 tile: twice its 72x128 on screen, sharp on HiDPI screens
MOTION = (144, 256)  # a transition's frames, as sharp
MOTION_FPS = 24
MOTION_FRAMES = 12  # frames of a transition's preview, across the change
SIDE = Fraction(1)  # each clip of a transition's preview, in seconds
CHANGE = Fraction(4, 5)  # the transition's length in its preview


def effect_thumbnail(
    clip: Clip,
    effect: Effect | None,
    canvas: Canvas,
    size: tuple[int, int] = TILE,
    task: Task | None = None,
) -> bytes:
    """PNG of the clip's frame a third of the way in, filling the canvas, with `effect` alone
    drawn on it (None: as filmed)."""
    from studio.app.render import render_frame

    project = _one_frame(clip, effect, canvas)
    return render_frame(project, Fraction(0), size, task=as_task(task))


def _one_frame(clip: Clip, effect: Effect | None, canvas: Canvas) -> Project:
    media = clip.media
    frame = Fraction(1, canvas.fps)
    moment = clip.source_in + (clip.source_out - clip.source_in) / 3
    moment = min(max(Fraction(0), moment), max(Fraction(0), media.duration - frame))
    shown = replace(clip_of(media, clip.fit), source_in=moment, source_out=moment + frame)
    if effect is not None:
        shown = shown.with_effect(effect)
    return Project(canvas=canvas, main=Track((shown,)))


def transition_frames(
    kind: str, first: Clip, second: Clip, size: tuple[int, int] = MOTION, task: Task | None = None
) -> list[bytes]:
    """JPEGs of `first` changing into `second` by a `kind` transition: MOTION_FRAMES frames
    from just before the change to just after it."""
    from studio.app.playback import still_frames

    project = transition_project(kind, first, second)
    margin = Fraction(1, 10)  # of each clip alone, around the change
    start = round((SIDE - CHANGE / 2 - margin) * MOTION_FPS)
    wanted = round((CHANGE + 2 * margin) * MOTION_FPS)
    frames: list[bytes] = []

    def keep(image: bytes) -> bool:
        frames.append(image)
        return len(frames) < wanted

    still_frames(project, start, keep, size, as_task(task))
    step = max(1, len(frames) // MOTION_FRAMES)
    return frames[::step][:MOTION_FRAMES]


def transition_project(kind: str, first: Clip, second: Clip) -> Project:
    """Two clips of SIDE seconds with a CHANGE-long `kind` transition between them."""
    a = replace(first, source_out=first.source_in + SIDE)
    b = replace(second, source_out=second.source_in + SIDE)
    items = (a, Transition(kind, CHANGE), b)
    return Project(canvas=Canvas(fps=MOTION_FPS), main=Track(items))
