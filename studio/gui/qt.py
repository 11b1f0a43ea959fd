"""The one place studio imports Qt from (as Anki's aqt.qt): every GUI module says
`from studio.gui.qt import QWidget, Signal, ...`.

PySide6 is pinned to 6.11.3: 6.12.0 drops references to None and True on Python 3.10/3.11 and
aborts the process (tests/test_qt_pin.py).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QObject,
    QPoint,
    QPointF,
    QRunnable,
    QSettings,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
    qVersion,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPixmap,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "QAction",
    "QApplication",
    "QColor",
    "QEvent",
    "QFileDialog",
    "QFont",
    "QHBoxLayout",
    "QImage",
    "QKeySequence",
    "QLabel",
    "QListWidget",
    "QListWidgetItem",
    "QMainWindow",
    "QMessageBox",
    "QMouseEvent",
    "QObject",
    "QPainter",
    "QPixmap",
    "QPoint",
    "QPointF",
    "QPushButton",
    "QRunnable",
    "QSettings",
    "QSize",
    "QThreadPool",
    "QTimer",
    "QUndoCommand",
    "QUndoStack",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
    "Slot",
    "qVersion",
]
