"""Projects opened from the desktop. macOS does not pass a double-clicked document (or one
dropped on the Dock icon, or chosen in "Open With") as an argument: it sends the running app an
Apple Event, which Qt delivers to the application object as a QFileOpenEvent, at start-up as
well as later. Windows and Linux pass the file as an argument instead (see app.main)."""

from __future__ import annotations

from studio.gui.qt import QEvent, QFileOpenEvent, QObject, Signal


class FileOpenEvents(QObject):
    """Installed on the QApplication: turns each file-open event into `opened(path)`."""

    opened = Signal(str)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen or not isinstance(event, QFileOpenEvent):
            return super().eventFilter(watched, event)
        path = event.file() or event.url().toLocalFile()
        if path:
            self.opened.emit(path)
        return True
