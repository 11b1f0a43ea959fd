"""The count-in before a recording starts: a second per number shown, then the go."""

from __future__ import annotations

from studio.gui.qt import QObject, QTimer, Signal


class CountIn(QObject):
    ticked = Signal(int)  # seconds left (shown as the count)
    finished = Signal()  # the count reached zero: start recording

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.left = 0
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)

    @property
    def counting(self) -> bool:
        return self.left > 0

    def begin(self, seconds: int) -> None:
        """Count down from `seconds` (0: go at once)."""
        self.left = seconds
        if seconds <= 0:
            self.finished.emit()
            return
        self.timer.start()
        self.ticked.emit(seconds)

    def cancel(self) -> None:
        self.timer.stop()
        self.left = 0
        self.ticked.emit(0)

    def _tick(self) -> None:
        self.left -= 1
        if self.left > 0:
            self.ticked.emit(self.left)
            return
        self.timer.stop()
        self.ticked.emit(0)
        self.finished.emit()
