"""The command palette (Ctrl+K): type words of a command's name, Enter or click runs it."""

from __future__ import annotations

from typing import Any

from studio.gui.actions import Command
from studio.gui.icons import icon
from studio.gui.qt import (
    QFrame,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
)

ROW = 30  # a command's row, in pixels
MOST_ROWS = 10  # rows shown before the list scrolls


def matches(query: str, command: Command) -> bool:
    """Every word typed is in the command's title or menu, in any order, any case."""
    text = f"{command.plain_title} {command.menu}".casefold()
    return all(word in text for word in query.casefold().split())


class Palette(QFrame):
    """A popup over the window listing the commands that match what is typed; a disabled
    command is listed greyed and does not run."""

    def __init__(self, parent: QWidget, commands: tuple[Command, ...], actions: dict[str, Any]):
        super().__init__(parent, Qt.WindowType.Popup)
        self.owner, self.commands, self.by_id = parent, commands, actions
        self.search = QLineEdit(placeholderText="Type to find a command")
        self.found = QListWidget()
        column = QVBoxLayout(self)
        column.addWidget(self.search)
        column.addWidget(self.found)
        self.search.textChanged.connect(self.show_matches)
        self.search.returnPressed.connect(self.run_current)
        self.found.itemActivated.connect(self.run_item)
        self.found.itemClicked.connect(self.run_item)
        self.setFixedWidth(480)
        self.found.setIconSize(QSize(18, 18))

    def open(self) -> None:
        """Shown at the top middle of the window, with an empty search."""
        window = self.owner
        corner = window.mapToGlobal(window.rect().topLeft())
        self.move(corner.x() + (window.width() - self.width()) // 2, corner.y() + 40)
        self.search.clear()
        self.show_matches("")
        self.show()
        self.search.setFocus()

    def show_matches(self, query: str) -> None:
        self.found.clear()
        for command in self.commands:
            if matches(query, command):
                self.found.addItem(self._item(command))
        enabled = [row for row in range(self.found.count()) if self._enabled(row)]
        self.found.setCurrentRow(enabled[0] if enabled else -1)
        rows = min(max(self.found.count(), 1), MOST_ROWS)  # as tall as what it found
        self.found.setFixedHeight(rows * ROW + 6)
        self.adjustSize()

    def _item(self, command: Command) -> QListWidgetItem:
        keys = f"   ({command.shortcut})" if command.shortcut else ""
        item = QListWidgetItem(icon(command.icon), command.plain_title + keys)
        item.setSizeHint(QSize(0, ROW))
        item.setData(Qt.ItemDataRole.UserRole, command.id)
        item.setToolTip(command.tip)
        if not self.by_id[command.id].isEnabled():
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)  # greyed
        return item

    def _enabled(self, row: int) -> bool:
        return bool(self.found.item(row).flags() & Qt.ItemFlag.ItemIsEnabled)

    def run_current(self) -> None:
        item = self.found.currentItem()
        if item is not None:
            self.run_item(item)

    def run_item(self, item: QListWidgetItem) -> None:
        """Close, then run the command (a submenu pops up where the palette was)."""
        action = self.by_id[item.data(Qt.ItemDataRole.UserRole)]
        if not action.isEnabled():
            return
        self.hide()
        if action.menu() is not None:
            action.menu().popup(self.pos())
        else:
            action.trigger()
