"""A title's words typed where they stand: a double-click on a title in the preview opens a
text box over it with its words; Enter keeps them (Shift+Enter starts a new line), Escape or
a click elsewhere with nothing typed leaves them as they were. Keeping them is one undo step
(app/layers.retitled measures the title again, so its letters keep their size).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from studio.app import StudioError
from studio.app.layers import retitled
from studio.gui.document import Document
from studio.gui.qt import QPlainTextEdit, QRect, Qt, Signal

MIN_SIZE = (160, 48)  # screen pixels: room to type in over a small title


class WordsOnCanvas(QPlainTextEdit):
    """The text box over a title on the preview, closed once its words are kept or left."""

    refused = Signal(str)

    def __init__(self, view: Any, document: Document, item_id: str, words: str) -> None:
        super().__init__(view)
        self.project_document, self.item_id, self.words = document, item_id, words
        self.setPlainText(words)
        self.selectAll()
        self.setStyleSheet(
            "background: rgba(0, 0, 0, 170); color: white; border: 2px solid #22c3d6;"
            " font-size: 18px;"
        )
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def open_at(self, area: QRect) -> None:
        width, height = max(area.width(), MIN_SIZE[0]), max(area.height(), MIN_SIZE[1])
        self.setGeometry(area.center().x() - width // 2, area.center().y() - height // 2,
                         width, height)  # fmt: skip
        self.show()
        self.setFocus()

    def keyPressEvent(self, event: Any) -> None:
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not shift:
            self.keep()
        elif event.key() == Qt.Key.Key_Escape:
            self.close_box()
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        self.keep()

    def keep(self) -> None:
        """The typed words on the title (nothing when they are empty or the same)."""
        words = self.toPlainText().strip("\n")
        if words.strip() and words != self.words:
            try:
                edit = partial(retitled, text=words)
                self.project_document.apply("Type text", edit, self.item_id)
            except StudioError as error:
                self.refused.emit(error.message)
        self.close_box()

    def close_box(self) -> None:
        self.words = self.toPlainText()  # a second keep (focus leaving) changes nothing
        self.hide()
        self.deleteLater()
