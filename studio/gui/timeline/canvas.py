"""The timeline widget: a ruler in seconds, the video track, the music track with its beats
(bar starts stronger, the user's own beats in their own colour) and the playhead.

It paints from the Document's snapshot and emits intents (`seek`); it edits nothing itself.
"""

from __future__ import annotations

from studio.gui.qt import QColor, QPainter, QPen, QRect, QSize, Qt, QWidget, Signal
from studio.gui.timeline.geometry import (
    MUSIC,
    RULER,
    VIDEO,
    Grab,
    Scale,
    beat_marks,
    clip_at_x,
    clip_boxes,
    grab_at,
    insertion_index,
    snapped,
)
from studio.gui.timeline.strips import Strips
from studio.io.strips import Waveform
from studio.model.timeline import Project

COLORS = {
    "background": QColor(30, 30, 34),
    "ruler": QColor(48, 48, 54),
    "tick": QColor(150, 150, 160),
    "clip": QColor(70, 110, 190),
    "chosen": QColor(110, 160, 250),
    "clip_edge": QColor(20, 30, 60),
    "music": QColor(40, 90, 70),
    "beat": QColor(170, 240, 200),
    "bar": QColor(240, 250, 245),
    "added": QColor(255, 170, 40),
    "playhead": QColor(255, 60, 60),
    "label": QColor(0, 0, 0, 120),
    "missing": QColor(150, 40, 40),
    "selection": QColor(255, 220, 0),
    "wave": QColor(60, 125, 100),
}


class TimelineCanvas(QWidget):
    seek = Signal(float)  # seconds, when the user clicks the ruler or a track
    selected = Signal(str)  # the id of the clip clicked on the video row ("" for none)
    trim_to = Signal(str, object, object)  # clip id, new end on the timeline (Fraction), drag key
    move_to = Signal(str, int, object)  # clip id, new position, drag key

    def __init__(self) -> None:
        super().__init__()
        self.project = Project()
        self.scale = Scale()
        self.playhead = 0.0
        self.selection = ""  # a clip id: ids survive edits, positions do not
        self.held: Grab | None = None  # what the mouse holds during a drag
        self.drags = 0  # numbers each drag: its moves merge into one undo step, drags do not
        self.strips: Strips | None = None  # thumbnails and waveforms, once they are made
        self.missing: set[str] = set()  # files not found: their clips are drawn as missing
        self.setMinimumHeight(RULER + VIDEO + MUSIC)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def sizeHint(self) -> QSize:
        return QSize(800, RULER + VIDEO + MUSIC)

    def show_project(self, project: Project) -> None:
        self.project = project
        if self.selection not in {clip.id for clip in project.main.clips}:
            self.selection = ""
        self.update()

    def set_playhead(self, seconds: float) -> None:
        """Move the playhead, repainting only the two stripes it leaves and enters (during
        playback this runs 30 times a second); the view follows a playhead that runs off it."""
        old = int(self.scale.x(self.playhead))
        self.playhead = seconds
        new = int(self.scale.x(seconds))
        if not 0 <= new < self.width():
            self.scroll_by(new - 0.1 * self.width())
            return
        self.update(old - 2, 0, 4, self.height())
        self.update(new - 2, 0, 4, self.height())

    def zoom(self, factor: float, around_x: float | None = None) -> None:
        centre = self.scale.x(self.playhead) if around_x is None else around_x
        self.scale = self.scale.zoomed(factor, centre)
        self.update()

    def mousePressEvent(self, event: object) -> None:
        x, y = event.position().x(), event.position().y()  # type: ignore[attr-defined]
        seconds = min(self.scale.seconds(x), float(self.project.duration))
        if RULER <= y < RULER + VIDEO:
            self.held = grab_at(self.project, self.scale, x)
            self.drags += 1
            index = clip_at_x(self.project, self.scale, x)
            self.selection = "" if index is None else self.project.main.clips[index].id
            self.selected.emit(self.selection)
            if self.held is not None and self.held.kind == "trim":
                return  # grabbing an edge does not move the playhead
        self.set_playhead(seconds)
        self.seek.emit(seconds)

    def mouseMoveEvent(self, event: object) -> None:
        if self.held is None:
            return
        x = event.position().x()  # type: ignore[attr-defined]
        snap = not event.modifiers() & Qt.KeyboardModifier.AltModifier  # type: ignore[attr-defined]
        key = (self.held.kind, self.held.clip_id, self.drags)
        if self.held.kind == "trim":
            self.trim_to.emit(self.held.clip_id, snapped(self.project, self.scale, x, snap), key)
        else:
            self.move_to.emit(self.held.clip_id, insertion_index(self.project, self.scale, x), key)

    def mouseReleaseEvent(self, event: object) -> None:
        self.held = None

    def wheelEvent(self, event: object) -> None:
        """The wheel zooms around the pointer; Shift+wheel (or a sideways wheel) scrolls."""
        delta = event.angleDelta()  # type: ignore[attr-defined]
        sideways = delta.x() or (
            delta.y() if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 0  # type: ignore[attr-defined]
        )
        if sideways:
            self.scroll_by(-sideways / 120 * 0.2 * self.width())
        else:
            self.zoom(1.25 ** (delta.y() / 120), event.position().x())  # type: ignore[attr-defined]

    def scroll_by(self, pixels: float) -> None:
        start = max(0.0, self.scale.start + pixels / self.scale.pixels_per_second)
        self.scale = Scale(self.scale.pixels_per_second, start)
        self.update()

    def keyPressEvent(self, event: object) -> None:
        key = event.key()  # type: ignore[attr-defined]
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom(0.8)
        else:
            super().keyPressEvent(event)  # type: ignore[arg-type]

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), COLORS["background"])
        self._ruler(painter)
        self._clips(painter)
        self._beats(painter)
        x = int(self.scale.x(self.playhead))
        painter.fillRect(x - 1, 0, 2, self.height(), COLORS["playhead"])
        painter.end()

    def _ruler(self, painter: QPainter) -> None:
        painter.fillRect(0, 0, self.width(), RULER, COLORS["ruler"])
        painter.setPen(COLORS["tick"])
        step = 1 if self.scale.pixels_per_second >= 40 else 5
        first = int(self.scale.seconds(0)) // step * step
        for second in range(first, int(self.scale.seconds(self.width())) + 1, step):
            x = int(self.scale.x(second))
            painter.drawLine(x, RULER - 8, x, RULER)
            painter.drawText(x + 3, RULER - 9, f"{second} s")

    def _clips(self, painter: QPainter) -> None:
        top, height = RULER + 4, VIDEO - 8
        for box in clip_boxes(self.project, self.scale):
            if box.right < 0 or box.left > self.width():
                continue
            left, width = int(box.left), max(1, int(box.right) - int(box.left))
            chosen = box.clip_id == self.selection
            lost = self.project.main.clips[box.index].media.path in self.missing
            fill = "missing" if lost else "chosen" if chosen else "clip"
            painter.fillRect(left, top, width, height, COLORS[fill])
            painter.save()
            painter.setClipRect(left, top, width, height)
            self._thumbnails(painter, box.index, left, width)
            painter.fillRect(left, top, width, 18, COLORS["label"])
            painter.setPen(Qt.GlobalColor.white)
            painter.drawText(left + 4, top + 13, f"{box.name} (missing)" if lost else box.name)
            painter.restore()
            if chosen:  # a frame that shows over the thumbnails
                painter.setPen(QPen(COLORS["selection"], 3))
                painter.drawRect(left + 1, top + 1, width - 3, height - 3)
            painter.fillRect(left, top, 1, height, COLORS["clip_edge"])

    def _thumbnails(self, painter: QPainter, index: int, left: int, width: int) -> None:
        """Pictures of the clip's source side by side, each from the time it starts at."""
        clip = self.project.main.clips[index]
        found = self.strips.thumbs.get(clip.media.path) if self.strips else None
        if not found or not found[1]:
            return
        step, pictures = found
        top, height = RULER + 4, VIDEO - 8
        wide = max(8, round(pictures[0].width() * height / max(1, pictures[0].height())))
        for x in range(max(left, -wide), min(left + width, self.width()), wide):
            if x + wide < left:
                continue
            at = float(clip.source_in) + (x - left) / self.scale.pixels_per_second * float(
                clip.speed
            )
            picture = pictures[min(len(pictures) - 1, max(0, int(at / step)))]
            painter.drawImage(QRect(x, top, wide, height), picture)

    def _beats(self, painter: QPainter) -> None:
        if self.project.music is None:
            return
        top = RULER + VIDEO
        right = int(self.scale.x(float(self.project.duration)))
        painter.fillRect(0, top + 2, max(0, right), MUSIC - 4, COLORS["music"])
        self._waveform(painter, min(right, self.width()))
        for mark in beat_marks(self.project, self.scale):
            colour = COLORS["added" if mark.added else "bar" if mark.bar else "beat"]
            height = MUSIC - 4 if mark.bar or mark.added else (MUSIC - 4) // 2
            painter.fillRect(
                int(mark.x), top + MUSIC - 2 - height, 2 if mark.bar else 1, height, colour
            )

    def _waveform(self, painter: QPainter, right: int) -> None:
        """The music's peaks, one line per pixel column, centred in the music row."""
        music = self.project.music
        wave = self.strips.waves.get(music.media.path) if self.strips and music else None
        if music is None or wave is None or not wave.peaks or right <= 0:
            return
        levels = column_peaks(wave, float(music.offset), self.scale, right)
        middle, half = RULER + VIDEO + MUSIC // 2, (MUSIC - 6) / 2
        painter.setPen(COLORS["wave"])
        for x, level in enumerate(levels):
            if level:
                reach = max(1, int(level / 255 * half))
                painter.drawLine(x, middle - reach, x, middle + reach)


def column_peaks(wave: Waveform, offset: float, scale: Scale, columns: int) -> list[int]:
    """The loudest peak under each pixel column 0..columns-1 (music time = offset + edit time);
    0 past the end of the sound."""
    import numpy as np

    peaks = np.frombuffer(wave.peaks, np.uint8)
    times = offset + scale.start + np.arange(columns + 1) / scale.pixels_per_second
    edges = np.clip((times * wave.per_second).astype(np.int64), 0, len(peaks))
    starts, ends = edges[:-1], np.maximum(edges[1:], edges[:-1] + 1)
    inside = starts < len(peaks)
    values = np.zeros(columns, np.uint8)
    if inside.any():
        padded = np.append(peaks, np.uint8(0))  # reduceat may index one past the end
        pairs = np.stack([starts[inside], np.minimum(ends[inside], len(peaks))], 1).ravel()
        values[inside] = np.maximum.reduceat(padded, pairs)[::2]
    return [int(v) for v in values]
