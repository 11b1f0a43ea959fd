"""The pictures of the app's browsers, rendered by the engine itself (what a tile shows is what
the export draws): an effect or look on one frame of a clip, a transition as a few frames of
two bundled clips changing into each other, a text style as a word drawn in it, and a sticker.

Each is a small project of its own rendered at thumbnail size; a tile's effect is analysed on
its one frame only, so a background or face effect shows as it will in the export.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from studio.io.runner import Task, as_task
from studio.model.clip import colour_media
from studio.model.edits import clip_of
from studio.model.effects import Effect
from studio.model.stickers import StickerItem
from studio.model.timeline import Canvas, Clip, Project, Track, Transition
from studio.model.titles import Title

TILE = (144, 256)  # a 9:16 tile: twice its 72x128 on screen, sharp on HiDPI screens
SQUARE = (160, 160)  # a sticker's tile: twice its 80x80 on screen
BACKDROP = "#2b3040"  # behind a text style or a sticker: dark, so light and dark both show
SAMPLE = "Text"  # the word a style's tile shows
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


def style_thumbnail(name: str, size: tuple[int, int] = TILE, task: Task | None = None) -> bytes:
    """PNG of a word drawn in the text style `name`, as wide as most of the tile, on a plain
    backdrop (a still of the edit an export would draw)."""
    from studio.app.render import render_frame
    from studio.model.title_styles import style_named
    from studio.render.titles import title_for

    title = title_for(SAMPLE, Fraction(1), style_named(name), y=0.5)
    fitted = replace(title, transform=replace(title.transform, scale=0.8))
    return render_frame(_over_backdrop(fitted, Canvas()), Fraction(0), size, task=as_task(task))


def sticker_thumbnail(name: str, size: tuple[int, int] = SQUARE, task: Task | None = None) -> bytes:
    """PNG of the bundled sticker `name` filling most of a square tile (an animation part of
    the way through its run, where it is in motion)."""
    from studio.app.render import render_frame
    from studio.model.stored import BUILT_IN
    from studio.render.stickers import sticker_for

    sticker = sticker_for(BUILT_IN + name, Fraction(2), scale=0.8, y=0.5)
    square = Canvas(width=1080, height=1080)
    moment = sticker.length / 3 if sticker.animated else Fraction(0)
    moment = Fraction(round(moment * square.fps), square.fps)
    return render_frame(_over_backdrop(sticker, square), moment, size, task=as_task(task))


def _over_backdrop(item: Title | StickerItem, canvas: Canvas) -> Project:
    backdrop = Clip(colour_media(BACKDROP), Fraction(0), Fraction(2))
    layer = Track((item,), kind="video", role="overlay", id="overlay-1")
    return Project(canvas=canvas, main=Track((backdrop,)), layers=(layer,))


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
