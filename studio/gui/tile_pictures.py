"""The browsers' pictures, rendered by the engine on the job pool one at a time (so the
preview's frames keep their place on the two cores): looks and effects on a frame of the clip
the window names, transitions as a loop of frames played while their browser shows.

A new clip replaces the pictures still waiting for the old one; what is rendered is kept for
the session, by clip frame and tile.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from studio.app import StudioError, demo_folder, probe_many
from studio.app.thumbnails import (
    effect_thumbnail,
    sticker_thumbnail,
    style_thumbnail,
    transition_frames,
)
from studio.gui.browser import Browser
from studio.gui.catalogue import Tile
from studio.gui.jobs import Jobs
from studio.gui.qt import QIcon, QObject, QPixmap, QTimer, Signal, alive
from studio.model.edits import clip_of
from studio.model.timeline import Canvas, Clip

Wanted = tuple[str, Callable[..., Any], tuple[Any, ...], tuple[Any, ...]]  # tile, render, args, key
FRAME_MS = 90  # a transition loop's frame, about 11 a second
DEMO_PAIR = ("waves.mp4", "fractal.mp4")  # the bundled clips transitions are shown between


def _picture(data: bytes) -> QIcon:
    pixmap = QPixmap()
    pixmap.loadFromData(data)
    return QIcon(pixmap)


def middle(frames: list[QIcon]) -> QIcon:
    """The frame halfway through a change: what a transition tile shows at rest."""
    return frames[len(frames) // 2]


def _demo_pair(task: object = None) -> list[Clip]:
    folder = demo_folder()
    found = probe_many([str(folder / name) for name in DEMO_PAIR])
    clips = []
    for result in found:
        if isinstance(result, StudioError):
            raise result
        clips.append(clip_of(result.media))
    return clips


def _on_a_clip(wanted: Wanted) -> bool:
    """Whether a waiting picture is drawn on the clip in hand (a look, an effect)."""
    tile_id, _, _, key = wanted
    return not tile_id.startswith("transition:") and len(key) > 1


class TilePictures(QObject):
    drawn = Signal(str)  # a tile's picture arrived (its id)

    def __init__(self, jobs: Jobs, browsers: dict[str, Browser], parent: QObject) -> None:
        super().__init__(parent)
        self.jobs, self.browsers = jobs, browsers
        self.stopped = False  # the window closed: what still arrives is dropped
        self.waiting: deque[Wanted] = deque()
        self.busy = False
        self.kept: dict[tuple[Any, ...], QIcon] = {}
        self.subject: tuple[Any, ...] = ()
        self.loops: dict[str, list[QIcon]] = {}
        self.beat = 0
        self.playing = ""  # the transition tile whose loop plays (under the pointer)
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._next_frames)

    def show_clip(self, clip: Clip | None, canvas: Canvas) -> None:
        """Looks and effects drawn on this clip (None: their tiles keep what they show)."""
        if clip is None:
            return
        subject = (clip.media.path, clip.source_in, clip.source_out, clip.fit, canvas)
        if subject == self.subject:
            return
        self.subject = subject
        self.waiting = deque(w for w in self.waiting if not _on_a_clip(w))
        for panel in ("looks", "effects", "stickers"):
            for tile in self.browsers[panel].tiles:
                if tile.effect is not None:
                    self._want_effect(tile, clip, canvas, subject)
        self._start_next()

    def show_library(self, browser: Any) -> None:
        """The text styles' and bundled stickers' tiles drawn (once) when their browser opens:
        they need no clip."""
        wanted: list[Wanted] = []
        for tile in getattr(browser, "tiles", ()):
            key = (tile.id,)
            if key in self.kept or any(w[3] == key for w in self.waiting):
                continue
            if tile.text_style:
                wanted.append((tile.id, style_thumbnail, (tile.text_style,), key))
            elif tile.sticker:
                wanted.append((tile.id, sticker_thumbnail, (tile.sticker,), key))
        self.waiting.extendleft(reversed(wanted))  # first: the browser that is open
        self._start_next()

    def _want_effect(
        self, tile: Tile, clip: Clip, canvas: Canvas, subject: tuple[Any, ...]
    ) -> None:
        key = (*subject, tile.id)
        if key in self.kept:
            self._set(tile.id, self.kept[key])
        else:
            self.waiting.append((tile.id, effect_thumbnail, (clip, tile.effect, canvas), key))

    def show_transitions(self) -> None:
        """Render the transitions' loops (once); each tile shows the middle of its change."""
        if self.loops or any(w[0].startswith("transition:") for w in self.waiting):
            return
        self.jobs.run(_demo_pair, done=self._pair_found, failed=lambda _: None)

    def hide_transitions(self) -> None:
        self.play("")

    def play(self, tile_id: str) -> None:
        """Play the loop of the tile under the pointer ("" for none; the one that played
        goes back to the middle of its change)."""
        if self.playing in self.loops:
            self._set(self.playing, middle(self.loops[self.playing]))
        self.playing = tile_id if tile_id in self.loops else ""
        if self.playing:
            self.timer.start()
        else:
            self.timer.stop()

    def _pair_found(self, pair: list[Clip]) -> None:
        if self.stopped or not alive(self):
            return
        for tile in self.browsers["transitions"].tiles:
            self.waiting.append((tile.id, transition_frames, (tile.transition, *pair), ()))
        self._start_next()

    def _start_next(self) -> None:
        if self.busy or not self.waiting:
            return
        tile_id, render, args, key = self.waiting.popleft()
        self.busy = True
        self.jobs.run(
            render,
            *args,
            done=lambda made: self._made(tile_id, key, made),
            failed=lambda _: self._failed(),
        )

    def stop(self) -> None:
        self.stopped = True
        self.timer.stop()
        self.waiting.clear()

    def _made(self, tile_id: str, key: tuple[Any, ...], made: bytes | list[bytes]) -> None:
        self.busy = False
        if self.stopped or not alive(self):
            return
        if isinstance(made, list):
            self.loops[tile_id] = [_picture(frame) for frame in made]
            self._set(tile_id, middle(self.loops[tile_id]))
        else:
            self.kept[key] = _picture(made)
            if key[:-1] in (self.subject, ()):  # still the clip shown, or needing none
                self._set(tile_id, self.kept[key])
        self.drawn.emit(tile_id)
        self._start_next()

    def _failed(self) -> None:
        self.busy = False  # the tile keeps its title; the others go on
        if not self.stopped and alive(self):
            self._start_next()

    def _set(self, tile_id: str, picture: QIcon) -> None:
        for browser in self.browsers.values():
            browser.set_picture(tile_id, picture)

    def _next_frames(self) -> None:
        self.beat += 1
        frames = self.loops.get(self.playing)
        if frames:
            self._set(self.playing, frames[self.beat % len(frames)])

    def settled(self) -> bool:
        return not self.busy and not self.waiting
