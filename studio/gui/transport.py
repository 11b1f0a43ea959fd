"""The row under the preview: frame back, play/pause, frame on, the time (frames while the
pointer is over it), then loop, safe zone, 100% and full screen; and the full-screen preview
itself. The buttons are the action table's "transport" commands."""

from __future__ import annotations

from typing import Any

from studio.gui.qt import (
    QEvent,
    QLabel,
    QObject,
    QSizePolicy,
    Qt,
    QToolBar,
    QVBoxLayout,
    QWidget,
)


def clock(seconds: float, fps: int) -> str:
    """mm:ss.ff, ff the frame within the second: 75.5 s at 30 fps is "01:15.15"."""
    frame = round(seconds * fps)
    minutes, rest = divmod(frame, 60 * fps)
    whole, frames = divmod(rest, fps)
    return f"{minutes:02d}:{whole:02d}.{frames:02d}"


class Timecode(QLabel):
    """The time and length, "00:03.12 / 00:18.00"; "frame 102 / 540" under the pointer."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("timecode")
        self.at, self.length, self.fps = 0.0, 0.0, 30
        self.hovered = False
        self.setToolTip("current time / length (point at it for frames)")
        self._show()

    def set_time(self, at: float, length: float, fps: int) -> None:
        self.at, self.length, self.fps = at, length, fps
        self._show()

    def _show(self) -> None:
        if self.hovered:
            last = max(0, round(self.length * self.fps))
            self.setText(f"frame {round(self.at * self.fps)} / {last}")
        else:
            self.setText(f"{clock(self.at, self.fps)} / {clock(self.length, self.fps)}")

    def enterEvent(self, event: Any) -> None:
        self.hovered = True
        self._show()

    def leaveEvent(self, event: Any) -> None:
        self.hovered = False
        self._show()


FIRST = ("view.frame_back", "view.play_pause", "view.frame_forward")


def spacer() -> QWidget:
    """A widget that takes a tool row's spare width."""
    space = QWidget()
    space.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return space


def transport_row(actions: list[Any]) -> tuple[QToolBar, Timecode]:
    """Frame back, play, frame on, the time, then the other transport actions."""
    actions = sorted(actions[:3], key=lambda a: FIRST.index(a.objectName())) + actions[3:]
    row = QToolBar("Transport")
    row.setObjectName("transport")
    row.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    timecode = Timecode()
    for action in actions[:3]:
        row.addAction(action)
    row.addWidget(timecode)
    row.addWidget(spacer())
    for action in actions[3:]:
        row.addAction(action)
    return row, timecode


class FullScreen(QObject):
    """The preview's picture alone on the screen; Esc (or F11 again) puts it back."""

    def __init__(self, view: QWidget, home: QVBoxLayout) -> None:
        super().__init__()
        self.view, self.home = view, home
        self.window: QWidget | None = None

    @property
    def shown(self) -> bool:
        return self.window is not None

    def toggle(self) -> None:
        self.leave() if self.shown else self.enter()

    def enter(self) -> None:
        window = QWidget()
        window.setWindowTitle("studio preview")
        column = QVBoxLayout(window)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.view)
        window.installEventFilter(self)
        self.window = window
        window.showFullScreen()

    def leave(self) -> None:
        if self.window is None:
            return
        self.home.insertWidget(0, self.view, 1)
        self.window.removeEventFilter(self)
        self.window.close()
        self.window.deleteLater()
        self.window = None

    def eventFilter(self, watched: Any, event: Any) -> bool:
        keys = (Qt.Key.Key_Escape, Qt.Key.Key_F11)
        if event.type() == QEvent.Type.KeyPress and event.key() in keys:
            self.leave()
            return True
        if event.type() == QEvent.Type.Close and watched is self.window:
            self.home.insertWidget(0, self.view, 1)  # closed another way: the view comes home
            self.window = None
        return False
