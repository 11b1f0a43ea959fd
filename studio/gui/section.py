"""A titled part of the inspector (Basic, Effects, Animation, Speed, Audio, Project) that folds
away under its header; the inspector shows the parts the selected item has."""

from __future__ import annotations

from studio.gui.qt import QFormLayout, Qt, QToolButton, QVBoxLayout, QWidget


class Section(QWidget):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.header = QToolButton()
        self.header.setText(title)
        self.header.setCheckable(True)
        self.header.setChecked(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setArrowType(Qt.ArrowType.DownArrow)
        self.header.setStyleSheet("QToolButton { font-weight: bold; border: none; }")
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(14, 0, 0, 6)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.header)
        column.addWidget(self.body)
        self.header.toggled.connect(self.fold)

    def fold(self, open_: bool) -> None:
        """Open shows the body; closed leaves the header only."""
        self.body.setVisible(open_)
        self.header.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)

    def add(self, widget: QWidget) -> None:
        self.form.addRow(widget)
