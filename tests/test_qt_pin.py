"""The pinned PySide6 keeps reference counts intact.

PySide6 6.12.0 on Python 3.10/3.11 drops a reference to None on every setText/update, and the
process aborts (`Fatal Python error: none_dealloc`) after a few thousand calls or at exit. The
desktop app calls these thousands of times a minute, so the pin in pyproject.toml matters.
"""

from __future__ import annotations

import sys
from importlib.metadata import version

CALLS = 3000


def test_pyside6_is_the_pinned_version() -> None:
    assert version("PySide6") == "6.11.3"
    assert version("PySide6_Addons") == "6.11.3"  # QtMultimedia lives in the Addons part


def test_set_text_and_update_keep_the_reference_count_of_none(qapp: object) -> None:
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText("x")
        label.update()
    drift = sys.getrefcount(None) - before
    assert abs(drift) < CALLS // 10, f"None lost {-drift} references in {CALLS} calls"


def test_qt_multimedia_imports() -> None:
    """Audio playback and capture come from the Addons part (on Linux it needs libpulse0)."""
    from PySide6.QtMultimedia import QAudioSink, QMediaRecorder

    assert QAudioSink and QMediaRecorder
