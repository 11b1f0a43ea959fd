"""The browsers the tool row opens: a search field over a grid of tiles. A tile is dragged
onto the timeline or the preview (it carries its id under catalogue.MIME), or double-clicked
to add it at the playhead; a tool tile runs its command.

Tiles of looks and effects show the selected clip's frame with them drawn on it, transitions a
short loop of two clips changing into each other (thumbnails.py renders them off the GUI
thread); tool tiles show their icon.
"""

from __future__ import annotations

from typing import Any

from studio.gui.catalogue import MEDIA, MIME, Tile, matching
from studio.gui.icons import icon
from studio.gui.qt import (
    QColor,
    QIcon,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMimeData,
    QPixmap,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from studio.gui.theme import current_colours

TILE_ICON = QSize(72, 128)  # 9:16 pictures
TOOL_ICON = QSize(28, 28)
SQUARE_ICON = QSize(80, 80)  # stickers
TILE_GRID = QSize(100, 168)  # a picture tile's cell: the picture and two lines of title
TOOL_GRID = QSize(76, 76)  # a tool's: four in a row fit the browser's width
GRIDS = {(72, 128): TILE_GRID, (28, 28): TOOL_GRID, (80, 80): QSize(100, 120)}
ID_ROLE = Qt.ItemDataRole.UserRole


def _waiting_picture(size: QSize) -> QIcon:
    """A tile's picture until its render arrives: a plain card of the tile's shape."""
    card = QPixmap(size)
    card.fill(QColor(current_colours().raised))
    return QIcon(card)


class TileGrid(QListWidget):
    """Tiles in rows that wrap; dragging one carries its id."""

    def __init__(self, icon_size: QSize) -> None:
        super().__init__()
        self.setObjectName("tiles")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(icon_size)
        self.setGridSize(GRIDS[(icon_size.width(), icon_size.height())])
        self.setWordWrap(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QListWidget.DragDropMode.DragOnly)
        self.setSpacing(2)

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, items: Any) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(MIME, str(items[0].data(ID_ROLE)).encode())
        return data


class MediaList(QListWidget):
    """The edit's files, one a row; dragging one carries "media:" and its path."""

    def __init__(self) -> None:
        super().__init__()
        self.setDragEnabled(True)
        self.setDragDropMode(QListWidget.DragDropMode.DragOnly)

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, items: Any) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(MIME, (MEDIA + str(items[0].data(ID_ROLE))).encode())
        return data


class Browser(QWidget):
    """One panel: its title, a search field and its tiles."""

    activated = Signal(object)  # a Tile double-clicked (or Enter)
    pointed = Signal(str)  # the id of the tile under the pointer ("" when it leaves)

    def __init__(
        self, title: str, tiles: tuple[Tile, ...], pictures: bool = True, square: bool = False
    ) -> None:
        super().__init__()
        self.tiles = tiles
        self.search = QLineEdit(placeholderText=f"Search {title.lower()}")
        self.search.setClearButtonEnabled(True)
        self.grid = TileGrid(SQUARE_ICON if square else TILE_ICON if pictures else TOOL_ICON)
        self.items: dict[str, QListWidgetItem] = {}
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(6, 6, 6, 6)
        heading = QLabel(title)
        heading.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.column.addWidget(heading)
        self.column.addWidget(self.search)
        self.column.addWidget(self.grid, 1)
        self._fill()
        self.search.textChanged.connect(self.filter)
        self.grid.itemActivated.connect(self._activated)
        self.grid.setMouseTracking(True)
        self.grid.itemEntered.connect(lambda item: self.pointed.emit(item.data(ID_ROLE)))
        self.grid.viewportEntered.connect(lambda: self.pointed.emit(""))

    def _fill(self) -> None:
        waiting = _waiting_picture(self.grid.iconSize())
        for tile in self.tiles:
            item = QListWidgetItem(icon(tile.icon) if tile.icon else waiting, tile.title)
            item.setData(ID_ROLE, tile.id)
            item.setToolTip(tile.hint)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            if not tile.droppable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            self.grid.addItem(item)
            self.items[tile.id] = item

    def filter(self, query: str) -> None:
        """Only the tiles matching what is typed stay shown."""
        shown = {tile.id for tile in matching(query, self.tiles)}
        for tile_id, item in self.items.items():
            item.setHidden(tile_id not in shown)

    def shown_titles(self) -> list[str]:
        return [item.text() for item in self.items.values() if not item.isHidden()]

    def set_picture(self, tile_id: str, picture: QIcon) -> None:
        item = self.items.get(tile_id)
        if item is not None:
            item.setIcon(picture)

    def _activated(self, item: QListWidgetItem) -> None:
        chosen = next(t for t in self.tiles if t.id == item.data(ID_ROLE))
        self.activated.emit(chosen)
