"""The export dialog's parts: the preset list grouped by platform, and one row per queued export."""

from __future__ import annotations

from pathlib import Path

from studio.app.export_size import PresetChoice, size_text
from studio.gui.export_queue import DONE, EXPORTING, FAILED, WAITING, ExportQueue, QueuedExport
from studio.gui.icons import icon
from studio.gui.qt import (
    QDesktopServices,
    QFont,
    QFrame,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMouseEvent,
    QPalette,
    QProgressBar,
    QPushButton,
    QSize,
    Qt,
    QUrl,
    Slot,
)

NAME_ROLE = Qt.ItemDataRole.UserRole
ROW_HEIGHT = 24  # a preset is a click target, not a line of text


class PresetList(QListWidget):
    """Presets under their platform's heading, each row showing its size and frame rate;
    `currentText()` is the chosen preset's name, as the engine calls it ("tiktok")."""

    def __init__(self) -> None:
        super().__init__()
        self.last_row = -1
        self.currentRowChanged.connect(self._past_headings)

    def show_choices(self, choices: list[PresetChoice]) -> None:
        """List the presets (again, at the sizes and rates of a changed edit), keeping the
        chosen one."""
        chosen = self.currentText()
        self.clear()
        platform = None
        for choice in choices:
            if choice.platform != platform:
                platform = choice.platform
                self.addItem(_heading(platform))
            self.addItem(_preset_item(choice))
        self.setCurrentText(chosen)
        rows = sum(self.sizeHintForRow(row) for row in range(self.count()))
        self.setFixedHeight(rows + 2 * self.frameWidth() + 4)  # every preset in sight

    def currentText(self) -> str:
        item = self.currentItem()
        name = item.data(NAME_ROLE) if item is not None else None
        return str(name) if name else ""

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A click on a heading keeps the chosen preset."""
        item = self.itemAt(event.position().toPoint())
        if item is None or item.data(NAME_ROLE):
            super().mousePressEvent(event)

    def _past_headings(self, row: int) -> None:
        """Arrow keys step over a heading onto the next preset in their direction."""
        step = 1 if row >= self.last_row else -1
        self.last_row = row
        item = self.item(row)
        if item is not None and not item.data(NAME_ROLE):
            beyond = row + step if 0 <= row + step < self.count() else row - step
            self.setCurrentRow(beyond)

    def setCurrentText(self, name: str) -> None:
        for row in range(self.count()):
            if self.item(row).data(NAME_ROLE) == name:
                self.setCurrentRow(row)
                return


def _heading(platform: str) -> QListWidgetItem:
    item = QListWidgetItem(platform)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading, not a choice: never selected
    item.setSizeHint(QSize(0, ROW_HEIGHT + 4))
    font = QFont()
    font.setBold(True)
    item.setFont(font)
    return item


def _preset_item(choice: PresetChoice) -> QListWidgetItem:
    rate = " (the edit's rate)" if choice.follows_edit else ""
    item = QListWidgetItem(f"    {choice.label}{rate}")
    item.setData(NAME_ROLE, choice.name)
    item.setSizeHint(QSize(0, ROW_HEIGHT))
    item.setToolTip(choice.description)
    return item


def length_text(seconds: float) -> str:
    """ "0:23", "12:05" """
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def describe(choice: PresetChoice, seconds: float) -> str:
    """ "TikTok · 1080x1920 · 30 fps · 0:23" """
    return f"{choice.platform} · {choice.label} · {length_text(seconds)}"


class ExportRow(QFrame):
    """One queued export: its file, preset, progress and state, a cancel and a way to it."""

    def __init__(self, queue: ExportQueue, entry: QueuedExport) -> None:
        super().__init__()
        self.queue, self.entry = queue, entry
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name, self.state = QLabel(entry.target.name), QLabel()
        self.detail, self.status = QLabel(), QLabel()
        self.bar = QProgressBar()
        self.cancel_button = QPushButton(icon("close"), "Cancel")
        self.reveal_button = QPushButton(icon("folder-open-outline"), "Show in folder")
        self._layout()
        self.cancel_button.clicked.connect(lambda: self.queue.cancel(self.entry))
        self.reveal_button.clicked.connect(self.reveal)
        queue.changed.connect(self.refresh)
        self.refresh(entry)

    def _layout(self) -> None:
        bold = self.name.font()
        bold.setBold(True)
        self.name.setFont(bold)
        self.name.setToolTip(str(self.entry.target))
        self.detail.setText(f"{describe(self.entry.choice, self.entry.estimate.seconds)}")
        for dim in (self.detail, self.state):
            dim.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.status.setWordWrap(True)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        grid = QGridLayout(self)
        grid.addWidget(self.name, 0, 0)
        grid.addWidget(self.state, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.detail, 1, 0, 1, 3)
        grid.addWidget(self.bar, 2, 0, 1, 3)
        grid.addWidget(self.status, 3, 0, 1, 3)
        grid.addWidget(self.cancel_button, 0, 2)
        grid.addWidget(self.reveal_button, 0, 2)
        grid.setColumnStretch(0, 1)

    @Slot(object)
    def refresh(self, entry: QueuedExport) -> None:
        if entry is not self.entry:
            return
        self.bar.setValue(round(entry.fraction * 100))
        self.status.setText(entry.status)
        self.state.setText(_state_text(entry))
        failed = (
            QPalette.ColorRole.BrightText
            if entry.state == FAILED
            else QPalette.ColorRole.WindowText
        )
        self.status.setForegroundRole(failed)
        self.cancel_button.setVisible(entry.open)
        self.reveal_button.setVisible(entry.state == DONE)
        self.bar.setVisible(entry.state == EXPORTING)

    def reveal(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.entry.target).parent)))


def _state_text(entry: QueuedExport) -> str:
    if entry.state == DONE:
        return f"done · {size_text(entry.size)}"
    if entry.state in (WAITING, EXPORTING):
        return f"{entry.state} · {entry.estimate.about}"
    return entry.state
