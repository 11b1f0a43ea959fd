"""The lane headers beside the timeline, and the panel that holds both.

A header names its lane ("Overlay 2", "Main", "Music", "Voice 1") beside a chip of the colour
its items are drawn in. The panel scrolls the lanes up and down together when there are more
than fit; the canvas scrolls time itself.
"""

from __future__ import annotations

from studio.gui.qt import (
    QColor,
    QFrame,
    QHBoxLayout,
    QPainter,
    QScrollArea,
    QSize,
    Qt,
    QWidget,
)
from studio.gui.timeline.canvas import TimelineCanvas
from studio.gui.timeline.geometry import RULER
from studio.gui.timeline.lanes import Lane, height_of
from studio.gui.timeline.paint import COLORS, lane_color

WIDTH = 92  # pixels
TALLEST = 320  # the most the timeline asks for before its lanes scroll
HEADER = QColor(40, 40, 46)
KINDS = {"video": "picture", "audio": "sound"}


class LaneHeaders(QWidget):
    """The names of the canvas's lanes, at the lanes' heights."""

    def __init__(self, canvas: TimelineCanvas) -> None:
        super().__init__()
        self.lanes: list[Lane] = canvas.lanes
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
        painter.drawText(17, lane.top + 4 + lane.height // 2 - 8, lane.title)
        painter.setPen(COLORS["tick"])
        caption = "beats" if lane.bed else KINDS[lane.kind]
        painter.drawText(17, lane.top + 4 + lane.height // 2 + 7, caption)


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
