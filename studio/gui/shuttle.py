"""J/K/L shuttle, as in every editor: L plays forward, J backward, pressing again doubles the
speed (up to 4x), K stops. Forward plays through the player (sound at 1x, muted faster).
Backward shows still frames at the speed of the clock, each as soon as the previous one has
arrived, so it keeps time even where rendering is slower than the frame rate.
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

from studio.gui.qt import QObject, QTimer

TOP_SPEED = 4
BACKWARD_TICK_MS = 15


class Shuttle(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window = window
        self.speed = 0  # signed: frames of the edit per frame of the clock
        self.timer = QTimer(self)
        self.timer.setInterval(BACKWARD_TICK_MS)
        self.timer.timeout.connect(self._step_back)
        self.origin = (0.0, 0.0)  # (clock at the press, playhead at the press)
        self.waiting = False  # a backward frame is being rendered
        window.player.ended.connect(self.stop)
        window.preview.shown.connect(self._arrived)
        window.preview.failed.connect(lambda _: self.stop())

    def press(self, direction: int) -> None:
        if self.speed * direction > 0:
            self.speed = max(-TOP_SPEED, min(TOP_SPEED, self.speed * 2))
        else:
            self.speed = direction
        self.timer.stop()
        if self.speed > 0:
            self.window.play(float(self.speed))
            return
        self.window.player.stop()
        self.origin = (time.monotonic(), self.window.timeline.playhead)
        self.waiting = False
        self.timer.start()

    def stop(self) -> None:
        self.speed = 0
        self.timer.stop()
        self.window.player.stop()

    def _step_back(self) -> None:
        if self.waiting:
            return
        began, playhead = self.origin
        at = playhead + self.speed * (time.monotonic() - began)
        if at <= 0:
            at = 0.0
            self.timer.stop()
            self.speed = 0
        fps = self.window.document.project.canvas.fps
        frame = Fraction(round(at * fps), fps)
        self.waiting = True
        self.window.timeline.set_playhead(float(frame))
        self.window.preview.show_time(self.window.document.project, frame)

    def _arrived(self, _: float) -> None:
        self.waiting = False
