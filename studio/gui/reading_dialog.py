"""Read aloud: the words, the voice and the speed of a reading, asked before it is made (the
reading itself is made off the GUI thread by the caller)."""

from __future__ import annotations

from studio.gui.qt import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from studio.render.tts import DEFAULT_VOICE, SPEEDS, VOICES


class ReadingDialog(QDialog):
    def __init__(self, parent: QWidget | None, words: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Read aloud")
        self.words = QPlainTextEdit(words)
        self.words.setPlaceholderText("Type what the voice says")
        self.voice = QComboBox()
        for voice in VOICES.values():
            self.voice.addItem(f"{voice.name}: {voice.label}", voice.name)
        self.voice.setCurrentIndex(self.voice.findData(DEFAULT_VOICE))
        self.speed = QDoubleSpinBox()
        self.speed.setRange(*SPEEDS)
        self.speed.setSingleStep(0.1)
        self.speed.setValue(1.0)
        self.speed.setSuffix(" x")
        self.note = QLabel("Read offline on this computer, placed at the playhead on a voice track")
        self.note.setWordWrap(True)
        self.read = QPushButton("Add the reading")
        self.read.setDefault(True)
        cancel = QPushButton("Cancel")
        self._layout(cancel)
        self.read.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        self.words.textChanged.connect(self._enable)
        self._enable()

    def _layout(self, cancel: QPushButton) -> None:
        form = QFormLayout()
        form.addRow("Voice", self.voice)
        form.addRow("Speed", self.speed)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.read)
        column = QVBoxLayout(self)
        column.addWidget(self.words, 1)
        column.addLayout(form)
        column.addWidget(self.note)
        column.addLayout(buttons)
        self.resize(420, 300)

    def _enable(self) -> None:
        self.read.setEnabled(bool(self.words.toPlainText().strip()))

    def reading(self) -> tuple[str, str, float]:
        """The words, the voice's name and the speed."""
        voice = str(self.voice.currentData())
        return self.words.toPlainText().strip(), voice, round(self.speed.value(), 2)
