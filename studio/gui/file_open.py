"""Projects opened from the desktop. macOS does not pass a double-clicked document (or one
dropped on the Dock icon, or chosen in "Open With") as an argument: it sends the running app an
Apple Event, which Qt delivers to the application object as a QFileOpenEvent, at start-up as
well as later. Windows and Linux pass the file as an argument instead (see app.main).

The events are taken in the application's own `event` (it sees only what is sent to the
application object), not by an application-wide event filter, which Qt would call with every
event of every widget. A file that arrives before anyone listens waits for the first listener.
"""

from __future__ import annotations

from collections.abc import Callable

from studio.gui.qt import QApplication, QEvent, QFileOpenEvent


class StudioApplication(QApplication):
    """The desktop app's QApplication: it also hands on the files the system asks it to open."""

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        self.waiting: list[str] = []
        self.listeners: list[Callable[[str], object]] = []

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = event.file() or event.url().toLocalFile()
            if path:
                self.hand_on(path)
            return True
        return super().event(event)

    def hand_on(self, path: str) -> None:
        if not self.listeners:
            self.waiting.append(path)
        for listener in self.listeners:
            listener(path)

    def listen(self, listener: Callable[[str], object]) -> None:
        """Call `listener(path)` for every file the system asks the app to open, starting with
        those that came before."""
        self.listeners.append(listener)
        waiting, self.waiting = self.waiting, []
        for path in waiting:
            listener(path)
