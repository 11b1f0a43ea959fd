"""The first window: a new project in one of the canvas shapes, open one, or try the demo; the
recent projects below, each with a frame of its edit, its length, shape and folder.

The project files are read and their frames rendered by the engine on the job pool (the
window never waits on the disk or on ffmpeg); a project that is gone or unreadable says why in
its row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.app.summary import ProjectSummary, project_summary
from studio.gui.icons import icon
from studio.gui.jobs import Job, Jobs
from studio.gui.qt import (
    QColor,
    QFont,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPainter,
    QPen,
    QPixmap,
    QPushButton,
    QRect,
    QSettings,
    QSize,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
    alive,
)
from studio.gui.theme import Colours, current_colours
from studio.model.shapes import SHAPES, Shape, framed

RECENT_KEY = "recent_projects"
MAX_RECENT = 8
PROJECT_SUFFIX = ".studio.json"
SHAPE_SIDE = 72  # a shape tile's picture
COVER_BOX = QSize(45, 80)  # a 9:16 cover in a row; other shapes fit inside it turned
SHARP = 2  # pictures are drawn at twice their size: sharp on HiDPI screens
PATH_ROLE = Qt.ItemDataRole.UserRole


def stored_projects(settings: QSettings) -> list[str]:
    """The recent projects as remembered, without looking at the disk."""
    stored = settings.value(RECENT_KEY, [])
    names = [stored] if isinstance(stored, str) else [str(n) for n in stored or []]  # type: ignore[attr-defined]
    return names[:MAX_RECENT]


def recent_projects(settings: QSettings) -> list[str]:
    """The recent projects whose files are still there (the File menu's list)."""
    return [name for name in stored_projects(settings) if Path(name).is_file()]


def remember_project(settings: QSettings, path: Path) -> None:
    names = [str(path)] + [n for n in recent_projects(settings) if n != str(path)]
    settings.setValue(RECENT_KEY, names[:MAX_RECENT])


def length_text(seconds: float) -> str:
    """An edit's length as creators read it: 75.4 s is "01:15"."""
    minutes, rest = divmod(int(seconds + 0.5), 60)
    return f"{minutes:02d}:{rest:02d}"


def shape_name(width: int, height: int) -> str:
    """The shape's name ("9:16") when it is one the app offers, else the canvas's size."""
    for shape in SHAPES:
        if width * shape.height == height * shape.width:
            return shape.name
    return f"{width}x{height}"


def folder_text(path: str) -> str:
    """The project's folder, the home folder written as ~."""
    folder = Path(path).parent
    home = Path.home()
    if folder == home or home in folder.parents:
        return str(Path("~") / folder.relative_to(home))
    return str(folder)


def project_name(path: str) -> str:
    name = Path(path).name
    return name[: -len(PROJECT_SUFFIX)] if name.endswith(PROJECT_SUFFIX) else name


def _sharp_pixmap(size: QSize) -> QPixmap:
    pixmap = QPixmap(size * SHARP)
    pixmap.setDevicePixelRatio(SHARP)
    pixmap.fill(Qt.GlobalColor.transparent)
    return pixmap


def shape_picture(shape: Shape, c: Colours, side: int = SHAPE_SIDE) -> QPixmap:
    """The shape drawn as a screen outline with its name inside, as large as fits a side x
    side square."""
    pixmap = _sharp_pixmap(QSize(side, side))
    scale = (side - 4) / max(shape.width, shape.height)
    width, height = round(shape.width * scale), round(shape.height * scale)
    outline = QRect((side - width) // 2, (side - height) // 2, width, height)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(c.accent), 2))
    painter.setBrush(QColor(c.base))
    painter.drawRoundedRect(outline, 5, 5)
    painter.setPen(QColor(c.text))
    font = QFont(painter.font().family())
    font.setBold(True)
    font.setPixelSize(min(13, width // 3))  # the name keeps clear of a narrow outline
    painter.setFont(font)
    painter.drawText(outline, Qt.AlignmentFlag.AlignCenter, shape.name)
    painter.end()
    return pixmap


def shape_button(shape: Shape, c: Colours) -> QToolButton:
    """A tile: the shape drawn with its name, where it plays written under it."""
    button = QToolButton()
    button.setObjectName("shape")
    button.setText(shape.use)
    button.setIcon(shape_picture(shape, c))
    button.setIconSize(QSize(SHAPE_SIDE, SHAPE_SIDE))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
    button.setToolTip(f"A new {shape.name} project, {shape.width}x{shape.height}, 30 fps")
    button.setAccessibleName(f"New {shape.name} project")
    button.setFixedSize(150, 124)
    return button


def tile_style(c: Colours) -> str:
    """The shape tiles as cards that light up in the accent under the pointer."""
    return f"""
    QToolButton#shape {{ background: {c.raised}; border: 1px solid {c.raised};
        border-radius: 10px; padding: 8px 4px 6px 4px; color: {c.text}; }}
    QToolButton#shape:hover, QToolButton#shape:focus {{ border: 1px solid {c.accent}; }}
    """


def _cover_pixmap(png: bytes) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(png)
    pixmap.setDevicePixelRatio(SHARP)
    return pixmap


def _blank_card(width: int, height: int, c: Colours) -> QPixmap:
    """A plain card of a canvas's shape, in the cover's box (9:16 while it is not known)."""
    side, across = framed(width, height, (COVER_BOX.width(), COVER_BOX.height()))
    card = _sharp_pixmap(QSize(side, across))
    card.fill(QColor(c.raised))
    return card


class RecentRow(QWidget):
    """One recent project: its cover, name, length, shape and folder, or why it cannot open."""

    def __init__(self, path: str, c: Colours) -> None:
        super().__init__()
        self.path, self.colours = path, c
        side = max(COVER_BOX.width(), COVER_BOX.height())
        self.picture = QLabel()
        self.picture.setFixedSize(side, side)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setPixmap(_blank_card(9, 16, c))  # until the project is read
        self.name = QLabel(project_name(path))
        self.name.setFont(QFont(self.name.font().family(), 12, QFont.Weight.Bold))
        self.details = QLabel("reading...")
        self.details.setStyleSheet(f"color: {c.dim};")
        self.problem = QLabel("")
        self.problem.setStyleSheet("color: #ff8a80;")
        self.problem.hide()
        self._lay_out()
        self.setToolTip(path)

    def _lay_out(self) -> None:
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addStretch(1)
        for label in (self.name, self.details, self.problem):
            text.addWidget(label)
        text.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.setSpacing(14)
        row.addWidget(self.picture)
        row.addLayout(text, 1)

    def show_summary(self, summary: ProjectSummary) -> None:
        if summary.seconds is None:  # the file is gone or unreadable
            self.details.setText(folder_text(self.path))
        else:
            shape = shape_name(summary.width, summary.height)
            where = folder_text(self.path)
            self.details.setText(f"{length_text(summary.seconds)}  ·  {shape}  ·  {where}")
        if summary.cover:
            self.picture.setPixmap(_cover_pixmap(summary.cover))
        elif summary.problem:
            self.picture.setPixmap(icon("alert-circle-outline").pixmap(QSize(32, 32)))
        else:  # an empty edit: a blank card of its shape
            self.picture.setPixmap(_blank_card(summary.width, summary.height, self.colours))
        if summary.problem:
            self.problem.setText(_sentence(summary.problem))
            self.problem.setToolTip(summary.problem)
            self.problem.show()


def _sentence(reason: str, longest: int = 90) -> str:
    """A reason as one short line: capitalised, cut at `longest` characters."""
    line = reason.splitlines()[0] if reason else ""
    line = line[:1].upper() + line[1:]
    return line if len(line) <= longest else line[: longest - 3] + "..."


class StartWindow(QWidget):
    new_requested = Signal(int, int)  # the canvas's width and height
    open_requested = Signal()
    demo_requested = Signal()
    recent_chosen = Signal(str)
    summarised = Signal(str)  # a recent project's row is filled in (its path)

    def __init__(self, settings: QSettings, jobs: Jobs) -> None:
        super().__init__()
        self.jobs = jobs
        self.summaries: list[Job] = []
        self.rows: dict[str, RecentRow] = {}
        self.setWindowTitle("studio")
        colours = current_colours()
        self.setStyleSheet(tile_style(colours))
        column = QVBoxLayout(self)
        column.setContentsMargins(40, 32, 40, 32)
        column.setSpacing(10)
        self._add_title(column)
        column.addWidget(_heading("New project"))
        column.addLayout(self._shape_row(colours))
        column.addLayout(self._other_choices())
        column.addSpacing(8)
        column.addWidget(_heading("Recent projects"))
        self.recent = self._recent_list(stored_projects(settings), colours)
        column.addWidget(self.recent, 1)
        self.resize(760, 780)

    def _add_title(self, column: QVBoxLayout) -> None:
        title = QLabel("studio")
        title.setFont(QFont(title.font().family(), 26, QFont.Weight.Bold))
        column.addWidget(title)
        column.addWidget(
            QLabel("Short videos for TikTok, Reels and Shorts: cut to the beat, remix, export.")
        )
        column.addSpacing(10)

    def _shape_row(self, colours: Colours) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        self.shape_buttons: dict[str, QToolButton] = {}
        for shape in SHAPES:
            button = shape_button(shape, colours)
            button.clicked.connect(
                lambda _=False, s=shape: self.new_requested.emit(s.width, s.height)
            )
            self.shape_buttons[shape.name] = button
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _other_choices(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        for text, name, signal in (
            ("Open a project...", "folder-open-outline", self.open_requested),
            ("Try the demo project", "play-circle-outline", self.demo_requested),
        ):
            button = QPushButton(icon(name), text)
            button.setMinimumHeight(36)
            button.clicked.connect(signal.emit)
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _recent_list(self, paths: list[str], colours: Colours) -> QListWidget:
        recent = QListWidget()
        recent.setSpacing(2)
        recent.itemActivated.connect(lambda item: self.recent_chosen.emit(item.data(PATH_ROLE)))
        if not paths:
            empty = QListWidgetItem("Projects you save show here.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            recent.addItem(empty)
        for path in paths:
            self._add_row(recent, path, colours)
        return recent

    def _add_row(self, recent: QListWidget, path: str, colours: Colours) -> None:
        row = RecentRow(path, colours)
        item = QListWidgetItem()
        item.setData(PATH_ROLE, path)
        item.setSizeHint(row.sizeHint())
        recent.addItem(item)
        recent.setItemWidget(item, row)
        self.rows[path] = row
        box = (COVER_BOX.width() * SHARP, COVER_BOX.height() * SHARP)
        job = self.jobs.run(
            project_summary,
            path,
            box,
            done=self._summarised,
            failed=lambda error: self._summarised(
                ProjectSummary(path, None, 0, 0, b"", error.reason)
            ),
        )
        self.summaries.append(job)

    def _summarised(self, summary: ProjectSummary) -> None:
        if not alive(self):
            return  # the window closed while the project was read
        row = self.rows.get(summary.path)
        if row is not None:
            row.show_summary(summary)
            self.summarised.emit(summary.path)

    def closeEvent(self, event: Any) -> None:
        for job in self.summaries:
            job.cancel()  # nobody will see these rows
        super().closeEvent(event)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setFont(QFont(label.font().family(), 13, QFont.Weight.DemiBold))
    return label
