"""The lane headers beside the timeline, and the panel that holds both.

A header names its lane ("Overlay 2", "Main", "Music", "Voice 1") beside a chip of the colour
its items are drawn in, with its switches under the name: mute (the track's sound), solo (only
the solo tracks heard), hide (an overlay's picture) and lock (no edits by hand); a switch that
is on is drawn in the accent colour. The panel scrolls the lanes up and down together when
there are more than fit; the canvas scrolls time itself.
"""

from __future__ import annotations

from typing import Any

from studio.gui.icons import icon
from studio.gui.qt import (
    QColor,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QMenu,
    QPainter,
    QRect,
    QScrollArea,
    QSize,
    Qt,
    QWidget,
    Signal,
)
from studio.gui.timeline.canvas import TimelineCanvas
from studio.gui.timeline.geometry import RULER
from studio.gui.timeline.lanes import Lane, height_of
from studio.gui.timeline.paint import COLORS, lane_color
from studio.model.limits import LIMITS

WIDTH = 112  # pixels
TALLEST = 320  # the most the timeline asks for before its lanes scroll
HEADER = QColor(40, 40, 46)
KINDS = {"video": "picture", "audio": "sound"}
SWITCH = 16  # a switch's side, in pixels
SWITCHES = {  # a track's switch: (icon when off, icon when on, what it does)
    "muted": ("volume-high", "volume-off", "Mute the track's sound"),
    "solo": ("headphones", "headphones", "Solo: hear only this track (and the other solo ones)"),
    "hidden": ("eye-outline", "eye-off-outline", "Hide the track's picture"),
    "locked": ("lock-open-variant-outline", "lock", "Lock the track against edits"),
}


def switches_of(lane: Lane) -> tuple[str, ...]:
    """The switches a lane's header has: hide only on overlay lanes; none on the music bed."""
    if lane.track_id is None:
        return ()
    if lane.role == "overlay":
        return ("muted", "solo", "hidden", "locked")
    return ("muted", "solo", "locked")


def switch_rect(lane: Lane, index: int) -> QRect:
    return QRect(17 + index * (SWITCH + 6), lane.bottom - SWITCH - 3, SWITCH, SWITCH)


class LaneHeaders(QWidget):
    """The names of the canvas's lanes, at the lanes' heights, with their switches."""

    switched = Signal(str, str, bool)  # track id, switch ("muted", "hidden", "locked"), on
    gained = Signal(str, float)  # track id, its new gain in dB (asked for on a right-click)

    def __init__(self, canvas: TimelineCanvas) -> None:
        super().__init__()
        self.canvas = canvas
        self.lanes: list[Lane] = canvas.lanes
        self.setMouseTracking(True)  # tooltips name the switch under the pointer
        self.setFixedWidth(WIDTH)
        self.setMinimumHeight(height_of(self.lanes))
        canvas.laid_out.connect(self.show_lanes)

    def sizeHint(self) -> QSize:
        return QSize(WIDTH, height_of(self.lanes))

    def show_lanes(self, lanes: list[Lane]) -> None:
        self.lanes = lanes
        self.setMinimumHeight(height_of(lanes))
        self.update()

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), HEADER)
        painter.fillRect(0, 0, WIDTH, RULER, COLORS["ruler"])
        for lane in self.lanes:
            self._lane(painter, lane)
        painter.fillRect(WIDTH - 1, 0, 1, self.height(), COLORS["lane_line"])
        painter.end()

    def _lane(self, painter: QPainter, lane: Lane) -> None:
        painter.fillRect(0, lane.bottom - 1, WIDTH, 1, COLORS["lane_line"])
        painter.fillRect(6, lane.top + 6, 5, lane.height - 12, lane_color(lane))
        painter.setPen(Qt.GlobalColor.white)
        painter.drawText(17, lane.top + 15, lane.title)
        if lane.bed:
            painter.setPen(COLORS["tick"])
            painter.drawText(17, lane.top + 30, "beats")
        gain = self.gain_of(lane)
        if gain:
            painter.setPen(COLORS["tick"])
            painter.drawText(QRect(0, lane.top + 3, WIDTH - 6, 14), Qt.AlignmentFlag.AlignRight,
                             f"{gain:+g} dB")  # fmt: skip
        for index, name in enumerate(switches_of(lane)):
            on = self.state(lane, name)
            picture = icon(SWITCHES[name][1 if on else 0], on_dark=True)
            mode = picture.Mode.Selected if on else picture.Mode.Normal
            picture.paint(painter, switch_rect(lane, index), mode=mode)

    def state(self, lane: Lane, name: str) -> bool:
        track = next((t for t in self.canvas.project.tracks if t.id == lane.track_id), None)
        return bool(track is not None and getattr(track, name))

    def gain_of(self, lane: Lane) -> float:
        track = next((t for t in self.canvas.project.tracks if t.id == lane.track_id), None)
        return 0.0 if track is None else track.gain_db

    def contextMenuEvent(self, event: Any) -> None:
        """A right-click on a track's header: its gain."""
        lane = next(
            (lane for lane in self.lanes if lane.top <= event.pos().y() < lane.bottom), None
        )
        if lane is None or lane.track_id is None:
            return
        menu = QMenu(self)
        menu.addAction(f"Track gain ({self.gain_of(lane):+g} dB)...", lambda: self.ask_gain(lane))
        menu.exec(event.globalPos())

    def ask_gain(self, lane: Lane) -> None:
        low, high = LIMITS["track.gain_db"].low, LIMITS["track.gain_db"].high
        value, chosen = QInputDialog.getDouble(
            self, "Track gain", f"{lane.title}: gain in dB", self.gain_of(lane), low, high, 1
        )
        if chosen and lane.track_id is not None:
            self.gained.emit(lane.track_id, round(value, 1))

    def switch_at(self, x: float, y: float) -> tuple[Lane, str] | None:
        for lane in self.lanes:
            for index, name in enumerate(switches_of(lane)):
                if switch_rect(lane, index).adjusted(-2, -2, 2, 2).contains(int(x), int(y)):
                    return lane, name
        return None

    def mousePressEvent(self, event: Any) -> None:
        found = self.switch_at(event.position().x(), event.position().y())
        if found is not None and found[0].track_id is not None:
            lane, name = found
            self.switched.emit(lane.track_id, name, not self.state(lane, name))

    def mouseMoveEvent(self, event: Any) -> None:
        found = self.switch_at(event.position().x(), event.position().y())
        self.setToolTip(SWITCHES[found[1]][2] if found is not None else "")


class TimelinePanel(QScrollArea):
    """The lane headers and the canvas side by side, scrolled up and down together."""

    def __init__(self, canvas: TimelineCanvas) -> None:
        super().__init__()
        self.canvas, self.headers = canvas, LaneHeaders(canvas)
        inside = QWidget()
        row = QHBoxLayout(inside)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.headers)
        row.addWidget(canvas, 1)
        self.setWidget(inside)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        canvas.laid_out.connect(self._fit)
        self._fit(canvas.lanes)

    def _fit(self, lanes: list[Lane]) -> None:
        """Tall enough for every lane, up to TALLEST (then it scrolls)."""
        self.setMinimumHeight(min(height_of(lanes) + 2, TALLEST))

    def sizeHint(self) -> QSize:
        return QSize(800, height_of(self.canvas.lanes) + 2)
