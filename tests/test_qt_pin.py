"""The pinned PySide6 keeps reference counts intact.

PySide6 6.12.0 on Python 3.10/3.11 drops a reference to None on every setText/update, and the
process aborts (`Fatal Python error: none_dealloc`) after a few thousand calls or at exit. The
desktop app calls these thousands of times a minute, so the pin in pyproject.toml matters.
The check runs in a process of its own: no other thread touches None there, and its exit is
part of what is checked.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version

import pytest

CALLS = 3000
CHECK = f"""
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel
class Source(QObject):
    changed = Signal(bool)
app = QApplication([])
label, source = QLabel(), Source()
source.changed.connect(lambda value: None)
label.setText("warm up")
label.update()
source.changed.emit(True)
none, true = sys.getrefcount(None), sys.getrefcount(True)
for _ in range({CALLS}):
    label.setText("x")
    label.update()
    source.changed.emit(True)
print(sys.getrefcount(None) - none, sys.getrefcount(True) - true)
"""


def test_pyside6_is_the_pinned_version() -> None:
    assert version("PySide6") == "6.11.3"
    assert version("PySide6_Addons") == "6.11.3"  # QtMultimedia lives in the Addons part


def test_set_text_update_and_emit_keep_reference_counts() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, encoding="utf-8", env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr  # 6.12.0 aborts here, at the latest at exit
    none, true = (int(value) for value in done.stdout.split())
    assert (none, true) == (0, 0), f"references lost: None {none}, True {true}"


def test_qt_multimedia_imports() -> None:
    """Audio playback and capture come from the Addons part (on Linux it needs libpulse0)."""
    from PySide6.QtMultimedia import QAudioSink, QMediaRecorder

    assert QAudioSink and QMediaRecorder


def test_without_qt_multimedia_sound_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Linux system without libpulse0 cannot load QtMultimedia: recording and playback say
    so in one line instead of a traceback."""
    import PySide6

    from studio.errors import StudioError
    from studio.gui.qt import multimedia

    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # import fails
    monkeypatch.delattr(PySide6, "QtMultimedia", raising=False)
    with pytest.raises(StudioError, match="sudo apt-get install libpulse0"):
        multimedia()
