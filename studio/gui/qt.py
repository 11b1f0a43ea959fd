"""The one place studio imports Qt from (as Anki's aqt.qt): every GUI module says
`from studio.gui.qt import QWidget, Signal, ...`.

PySide6 is pinned to 6.11.3: 6.12.0 drops references to None and True on Python 3.10/3.11 and
aborts the process (tests/test_qt_pin.py).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMimeData,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRunnable,
    QSettings,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    QUrl,
    Signal,
    Slot,
    qVersion,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QContextMenuEvent,
    QDesktopServices,
    QDrag,
    QFileOpenEvent,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygon,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


def alive(thing: Any) -> bool:
    """Whether a Qt object still exists: a job's answer can arrive after its window closed."""
    import shiboken6

    return bool(shiboken6.isValid(thing))


def multimedia() -> Any:
    """QtMultimedia (sound output, capture), imported on first use: it is slow to load and
    only playback and recording need it. Where it cannot load (on Linux it links the
    PulseAudio client library), one line says what to install."""
    try:
        from PySide6 import QtMultimedia
    except ImportError as missing:
        from studio.errors import StudioError

        raise StudioError(
            f"sound and recording cannot start ({missing}); on Linux they need the PulseAudio "
            "client library (Debian, Ubuntu: sudo apt-get install libpulse0)"
        ) from None
    return QtMultimedia


def permission(kind: str) -> Any:
    """The system permission for "camera" or "microphone" (None where this Qt has none)."""
    from PySide6 import QtCore

    found = {"camera": "QCameraPermission", "microphone": "QMicrophonePermission"}[kind]
    made = getattr(QtCore, found, None)
    return made() if made is not None else None


__all__ = [
    "QAction",
    "QActionGroup",
    "QApplication",
    "QCheckBox",
    "QColor",
    "QColorDialog",
    "QComboBox",
    "QContextMenuEvent",
    "QCoreApplication",
    "QDesktopServices",
    "QDialog",
    "QDoubleSpinBox",
    "QDrag",
    "QEvent",
    "QFileDialog",
    "QFileOpenEvent",
    "QFont",
    "QFontDatabase",
    "QFormLayout",
    "QFrame",
    "QGridLayout",
    "QGroupBox",
    "QGuiApplication",
    "QHBoxLayout",
    "QIcon",
    "QImage",
    "QInputDialog",
    "QKeySequence",
    "QLabel",
    "QLineEdit",
    "QListView",
    "QListWidget",
    "QListWidgetItem",
    "QMainWindow",
    "QMenu",
    "QMessageBox",
    "QMimeData",
    "QMouseEvent",
    "QObject",
    "QPainter",
    "QPainterPath",
    "QPalette",
    "QPen",
    "QPixmap",
    "QPlainTextEdit",
    "QPoint",
    "QPointF",
    "QPolygon",
    "QProgressBar",
    "QPushButton",
    "QRect",
    "QRunnable",
    "QScrollArea",
    "QSettings",
    "QSize",
    "QSizePolicy",
    "QSlider",
    "QSplitter",
    "QStackedWidget",
    "QTabWidget",
    "QTableWidget",
    "QTableWidgetItem",
    "QThreadPool",
    "QTimer",
    "QToolBar",
    "QToolButton",
    "QUndoCommand",
    "QUndoStack",
    "QUrl",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
    "Slot",
    "alive",
    "multimedia",
    "permission",
    "qVersion",
]
