"""The first window: start a project, open one, or try the demo; recent projects below."""

from __future__ import annotations

from pathlib import Path

from studio.gui.qt import (
    QFont,
    QLabel,
    QListWidget,
    QPushButton,
    QSettings,
    QVBoxLayout,
    QWidget,
    Signal,
)

RECENT_KEY = "recent_projects"
MAX_RECENT = 8


def recent_projects(settings: QSettings) -> list[str]:
    stored = settings.value(RECENT_KEY, [])
    names = [stored] if isinstance(stored, str) else [str(n) for n in stored or []]  # type: ignore[attr-defined]
    return [name for name in names if Path(name).is_file()][:MAX_RECENT]


def remember_project(settings: QSettings, path: Path) -> None:
    names = [str(path)] + [n for n in recent_projects(settings) if n != str(path)]
    settings.setValue(RECENT_KEY, names[:MAX_RECENT])


class StartWindow(QWidget):
    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_chosen = Signal(str)

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self.setWindowTitle("studio")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(12)
        title = QLabel("studio")
        title.setFont(QFont(title.font().family(), 28, QFont.Weight.Bold))
        layout.addWidget(title)
        layout.addWidget(
            QLabel(
                "Vertical videos for TikTok, Reels and Shorts: cut to the beat, "
                "remix, export 1080x1920."
            )
        )
        for text, signal in (
            ("New project (1080x1920, 30 fps)", self.new_requested),
            ("Open a project...", self.open_requested),
            ("Try the demo project", self.demo_requested),
        ):
            button = QPushButton(text)
            button.setMinimumHeight(40)
            button.clicked.connect(signal.emit)
            layout.addWidget(button)
        layout.addWidget(QLabel("Recent projects"))
        self.recent = QListWidget()
        self.recent.addItems(recent_projects(settings))
        self.recent.itemActivated.connect(lambda item: self.recent_chosen.emit(item.text()))
        layout.addWidget(self.recent)
        self.resize(560, 480)
