"""The Captions panel: transcribe the edit in the background, fix a word's text or times, choose
the style; the preview shows the captions burned in as the export will.

Transcribing runs `app.edit_transcript` on a job thread (progress in the panel); its words go
into the project's captions track as one undoable step, keeping the user's earlier word edits.
Each row of the table is a word as shown; editing a cell is an engine edit
(`edits.edit_caption_word`) keyed by the word's detected start, so a new transcription keeps
it. Selecting a row moves the playhead to the word.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from studio.app import Cancelled, Progress, StudioError, edit_transcript
from studio.gui.document import Document
from studio.gui.jobs import Job, Jobs
from studio.gui.qt import (
    QComboBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from studio.model import edits
from studio.model.limits import CHOICES
from studio.model.timeline import Captions, CaptionWord, Project

COLUMNS = ("Start", "End", "Word")
TRANSCRIBE = "Transcribe the edit"


class CaptionsPanel(QWidget):
    seek = Signal(float)  # a word was selected: show its start
    refused = Signal(str)

    def __init__(self, document: Document, jobs: Jobs) -> None:
        super().__init__()
        self.document, self.jobs = document, jobs
        self.job: Job | None = None
        self.keys: list[float] = []  # each row's key: the detected word's start
        self.transcribe = QPushButton(TRANSCRIBE)
        self.style_box = QComboBox()
        self.style_box.addItems([str(name) for name in CHOICES["captions.style"].values])
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.note = QLabel("No captions yet: transcribe the edit's speech (on this computer).")
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self._layout()
        self.transcribe.clicked.connect(self._clicked)
        self.style_box.currentTextChanged.connect(self._set_style)
        self.table.itemChanged.connect(self._word_edited)
        self.table.currentCellChanged.connect(lambda row, *_: self._selected(row))
        document.changed.connect(self.show_captions)
        self.show_captions(document.project)

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.transcribe)
        form.addRow(CHOICES["captions.style"].label, self.style_box)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.progress)
        column.addWidget(self.note)
        column.addWidget(self.table, 1)

    def _clicked(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()  # the job stops at its next progress check
        else:
            self.start()

    def start(self) -> None:
        """Transcribe the edit as it is now, on a job thread."""
        if self.job is not None and self.job.running:
            return
        project = self.document.project
        self.progress.setValue(0)
        self.progress.show()
        self.transcribe.setText("Cancel")
        self.note.setText("Listening to the edit...")
        self.job = self.jobs.run(
            edit_transcript,
            project,
            done=partial(self._transcribed, project),
            failed=self._failed,
            progress=self._progressed,
        )

    def _progressed(self, progress: Progress) -> None:
        self.progress.setValue(round(progress.fraction * 100))

    def _transcribed(self, asked: Project, transcript: object) -> None:
        self._idle()
        words = tuple(CaptionWord(w.start, w.end, w.text) for w in transcript.words)  # type: ignore[attr-defined]
        before = self.document.project.captions or Captions(style=self.style_box.currentText())  # type: ignore[arg-type]
        captions = replace(before, words=words)
        self.document.apply("Transcribe", edits.set_captions, captions)
        if not words:
            self.note.setText("No speech found in the edit's sound.")

    def _failed(self, error: StudioError) -> None:
        self._idle()
        if isinstance(error, Cancelled):
            self.note.setText("Transcription cancelled.")
            return
        self.note.setText(error.message)
        self.refused.emit(error.message)

    def _idle(self) -> None:
        self.progress.hide()
        self.transcribe.setText(TRANSCRIBE)

    def show_captions(self, project: Project) -> None:
        """The words as shown, one a row (without making edits)."""
        captions = project.captions
        self.table.blockSignals(True)
        self.style_box.blockSignals(True)
        rows = list(captions.keyed) if captions else []
        self.keys = [key for key, _ in rows]
        self.table.setRowCount(len(rows))
        for row, (_, word) in enumerate(rows):
            for column, value in enumerate((f"{word.start:.2f}", f"{word.end:.2f}", word.text)):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.style_box.setCurrentText((captions or Captions()).style)
        if captions is not None:
            self.note.setText(f"{len(rows)} words; edit a cell to fix a word or its times.")
        self.style_box.setEnabled(captions is not None)
        self.table.blockSignals(False)
        self.style_box.blockSignals(False)

    def _set_style(self, style: str) -> None:
        captions = self.document.project.captions
        if captions is not None:
            self.document.apply("Caption style", edits.set_captions, replace(captions, style=style))  # type: ignore[arg-type]

    def _word_edited(self, item: QTableWidgetItem) -> None:
        row = item.row()
        cells = [self.table.item(row, column) for column in range(len(COLUMNS))]
        try:
            start, end = (float(cell.text()) if cell else 0.0 for cell in cells[:2])
            text = cells[2].text().strip() if cells[2] else ""
            word = CaptionWord(round(start, 3), round(end, 3), text)
            self.document.apply("Caption word", edits.edit_caption_word, self.keys[row], word)
        except (ValueError, StudioError) as error:
            reason = error.message if isinstance(error, StudioError) else "times are seconds"
            self.refused.emit(f"caption word: {reason}")
            self.show_captions(self.document.project)

    def _selected(self, row: int) -> None:
        if 0 <= row < len(self.keys):
            cell = self.table.item(row, 0)
            if cell is not None:
                self.seek.emit(float(cell.text()))
