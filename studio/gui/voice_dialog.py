"""Record a voice-over: the edit plays from the playhead while the microphone records, after
a count-in; stopping (or the edit's end) stops both, and the take is handed over to be laid
where the playhead was when recording began. Headphones keep the edit's sound out of the
microphone, and the window says so."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from studio.gui.capture.count_in import CountIn
from studio.gui.capture.voice import VoiceRecording, microphones
from studio.gui.qt import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from studio.io.capture import next_free

COUNT_INS = {"3 s": 3, "None": 0}
PRE_ROLL = 2.0  # seconds played before a punched-in take
TONE = "Test tone (no microphone)"
STOP_WAIT = 5.0  # seconds the recorder may take to close its file


class VoiceOverDialog(QDialog):
    started = Signal()  # the count-in is over: the edit plays and the voice records
    stopped = Signal()  # recording stopped: the edit stops playing
    take_ready = Signal(str, float)  # the recorded part's file and its seconds

    def __init__(self, parent: QWidget | None, folder: Path, punchable: bool = False) -> None:
        """`punchable`: a voice take is selected, which can be recorded over (punched in)."""
        super().__init__(parent)
        self.setWindowTitle("Record a voice-over")
        self.folder = folder
        self.recording: VoiceRecording | None = None
        self.taken = 0.0  # seconds of the last take
        self.countdown = CountIn(self)
        self.source = QComboBox()
        for name, device in microphones():
            self.source.addItem(name, device)
        self.source.addItem(TONE, None)
        self.count_in = QComboBox()
        self.count_in.addItems(list(COUNT_INS))
        self.punch = QCheckBox("Punch in: record over the selected take")
        self.punch.setToolTip(
            "from the playhead when it is inside the take, else from the take's start: the edit "
            f"plays from {PRE_ROLL:g} s before, and the new take replaces the old one from "
            "there until you stop (the rest of the old take stays)"
        )
        self.punch.setEnabled(punchable)
        self.note = QLabel(
            "Wear headphones: the edit plays while you speak, and the microphone would hear it."
        )
        self.note.setWordWrap(True)
        self.status = QLabel("Ready: recording starts at the playhead")
        self.button = QPushButton("Record")
        self.feeder = QTimer(self)
        self.feeder.setInterval(20)
        self._layout()
        self.button.clicked.connect(self.toggle)
        self.countdown.ticked.connect(self._count)
        self.countdown.finished.connect(self.start)
        self.feeder.timeout.connect(self._feed)

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("Microphone", self.source)
        form.addRow("Count-in", self.count_in)
        form.addRow(self.punch)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.note)
        column.addWidget(self.status)
        column.addWidget(self.button)

    def toggle(self) -> None:
        if self.recording is not None:
            self.stop()
        elif self.countdown.counting:
            self.countdown.cancel()
        else:
            self.countdown.begin(COUNT_INS[self.count_in.currentText()])

    def _count(self, left: int) -> None:
        if left:
            self._say(f"Recording in {left}...", "Cancel")
        elif self.recording is None:
            self._say("Ready: recording starts at the playhead", "Record")

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = next_free(self.folder, ".voice-over", ".mka")  # made a take when it stops
        self.recording = VoiceRecording(target, self.source.currentData())
        self.feeder.start()
        self.started.emit()
        self._say("Recording: speak now", "Stop")

    def _feed(self) -> None:
        recording = self.recording
        if recording is None:
            return
        recording.tick()
        if recording.error:
            self.stop()
            return
        self.status.setText(f"Recording: {recording.seconds:.1f} s")

    def stop(self) -> None:
        """Stop recording (the edit stops too) and hand the take over."""
        recording, self.recording = self.recording, None
        self.feeder.stop()
        if recording is None:
            return
        recording.stop()
        self.stopped.emit()
        waited = time.monotonic()
        while not recording.stopped and time.monotonic() - waited < STOP_WAIT:
            QApplication.processEvents()  # the recorder writes its last cluster
        if recording.error or not recording.target.is_file():
            self._say(f"The recording failed: {recording.error or 'no file was written'}", "Record")
            return
        self.taken = recording.seconds
        self._say(f"Recorded {self.taken:.1f} s: on a voice track", "Record")
        self.take_ready.emit(str(recording.target), self.taken)

    def _say(self, status: str, button: str) -> None:
        self.status.setText(status)
        self.button.setText(button)

    def done(self, result: int) -> None:
        self.stop()
        super().done(result)

    def closeEvent(self, event: Any) -> None:
        self.stop()
        super().closeEvent(event)
