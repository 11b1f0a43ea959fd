"""Duet and stitch from the app: pick the original and your video, choose how they meet; the
engine builds the remix in the background and it replaces the edit as one undoable step (an
ordinary project: trim it, add music, export it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from studio.app import DuetRequest, StitchRequest, StudioError, make_duet, make_stitch
from studio.gui.document import Document
from studio.gui.form import choice_box, label_of, spin_box
from studio.gui.jobs import Jobs
from studio.gui.qt import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from studio.model.limits import LIMITS

VIDEO_FILTER = "Videos (*.mp4 *.mov *.m4v *.mkv *.webm *.avi);;All files (*)"


def file_row(parent: QWidget, title: str) -> tuple[QLineEdit, QHBoxLayout]:
    """A path field with a "..." button that opens a file dialog."""
    field = QLineEdit()
    choose = QPushButton("...")

    def pick() -> None:
        name, _ = QFileDialog.getOpenFileName(parent, title, "", VIDEO_FILTER)
        if name:
            field.setText(name)

    choose.clicked.connect(pick)
    row = QHBoxLayout()
    row.addWidget(field, 1)
    row.addWidget(choose)
    return field, row


class RemixDialog(QDialog):
    """What duets and stitches share: two files, a status line, a button, a background job."""

    made = Signal(str)  # what was made, for the status bar
    failed_remix = Signal(str)
    title = ""

    def __init__(self, document: Document, jobs: Jobs) -> None:
        super().__init__()
        self.document, self.jobs = document, jobs
        self.setWindowTitle(self.title)
        self.original, original_row = file_row(self, "The original video")
        self.yours, yours_row = file_row(self, "Your video")
        self.form = QFormLayout()
        self.form.addRow("Original", original_row)
        self.form.addRow("Yours", yours_row)
        self.status = QLabel(" ")
        self.run_button = QPushButton(self.title)
        self.run_button.clicked.connect(self.run)

    def finish_layout(self) -> None:
        column = QVBoxLayout(self)
        column.addLayout(self.form)
        column.addWidget(self.status)
        column.addWidget(self.run_button)

    def run(self) -> None:
        if not self.original.text() or not self.yours.text():
            self.status.setText("choose both videos first")
            return
        self.run_button.setEnabled(False)
        self.status.setText("working...")
        call, request = self.call_and_request()
        self.jobs.run(
            call,
            request,
            done=self._done,
            failed=self._failed,
            progress=lambda p: self.status.setText(f"{p.message or 'working'} {p.fraction:.0%}"),
        )

    def call_and_request(self) -> tuple[Callable[..., Any], object]:
        raise NotImplementedError

    def describe(self, remix: Any) -> str:
        return f"made a {self.title.lower()}"

    def _done(self, remix: Any) -> None:
        project = remix.project
        self.document.apply(self.title, lambda _: project)
        message = self.describe(remix)
        self.status.setText(message)
        self.run_button.setEnabled(True)
        self.made.emit(message)

    def _failed(self, error: StudioError) -> None:
        self.status.setText(error.message)
        self.run_button.setEnabled(True)
        self.failed_remix.emit(error.message)


class DuetDialog(RemixDialog):
    title = "Duet"

    def __init__(self, document: Document, jobs: Jobs) -> None:
        super().__init__(document, jobs)
        self.layout_kind, self.fit = choice_box("layout.kind"), choice_box("layout.fit")
        self.corner, self.pip_size = choice_box("layout.corner"), spin_box("layout.size", 0.05)
        self.pip_size.setValue(0.4)
        self.audio, self.length = choice_box("duet.audio"), choice_box("duet.length")
        self.fill = choice_box("duet.fill")
        self.original_volume = spin_box("duet.volume", 0.1)
        self.your_volume = spin_box("duet.volume", 0.1)
        self.original_volume.setValue(1)
        self.your_volume.setValue(1)
        self.offset = spin_box("duet.offset", 0.05)
        self.auto_sync = QCheckBox("Find it from the sound (auto-sync)")
        self.auto_sync.toggled.connect(lambda on: self.offset.setEnabled(not on))
        self.layout_kind.currentTextChanged.connect(self._layout_changed)
        rows = [
            (label_of("layout.kind"), self.layout_kind),
            (label_of("layout.fit"), self.fit),
            (label_of("layout.corner"), self.corner),
            (label_of("layout.size"), self.pip_size),
            (label_of("duet.audio"), self.audio),
            ("Original's volume", self.original_volume),
            ("Your volume", self.your_volume),
            ("Your video starts at (s into the original)", self.offset),
            ("", self.auto_sync),
            (label_of("duet.length"), self.length),
            (label_of("duet.fill"), self.fill),
        ]
        for label, widget in rows:
            self.form.addRow(label, widget)
        self._layout_changed(self.layout_kind.currentText())
        self.finish_layout()

    def _layout_changed(self, kind: str) -> None:
        """Corner and size only mean something for react and green screen (you over it)."""
        self.corner.setEnabled(kind in ("react", "greenscreen"))
        self.pip_size.setEnabled(kind in ("react", "greenscreen"))

    def request(self) -> DuetRequest:
        return DuetRequest(
            original=self.original.text(),
            yours=self.yours.text(),
            layout=self.layout_kind.currentText(),
            fit=self.fit.currentText(),
            corner=self.corner.currentText(),
            size=round(self.pip_size.value(), 2),
            audio=self.audio.currentText(),
            original_volume=round(self.original_volume.value(), 2),
            your_volume=round(self.your_volume.value(), 2),
            offset=round(self.offset.value(), 3),
            auto_sync=self.auto_sync.isChecked(),
            length=self.length.currentText(),
            fill=self.fill.currentText(),
            fps=self.document.project.canvas.fps,
        )

    def call_and_request(self) -> tuple[Callable[..., Any], object]:
        return make_duet, self.request()

    def describe(self, remix: Any) -> str:
        if remix.found_offset is None:
            return "made a duet"
        return f"made a duet: your video starts {remix.found_offset:.2f} s into the original"


class StitchDialog(RemixDialog):
    title = "Stitch"

    def __init__(self, document: Document, jobs: Jobs) -> None:
        super().__init__(document, jobs)
        limit = LIMITS["stitch.length"]
        self.start = spin_box("duet.offset", 0.1)
        self.start.setMinimum(0)
        self.length = spin_box("stitch.length", 0.5)
        self.length.setValue(limit.high)
        self.transition = choice_box("stitch.transition")
        self.show_credit = QCheckBox("Show a credit over the original's part")
        self.show_credit.setChecked(True)
        self.credit = QLineEdit()
        self.credit.setPlaceholderText("Stitched from <the original's name>")
        self.show_credit.toggled.connect(self.credit.setEnabled)
        self.form.addRow("From (s into the original)", self.start)
        self.form.addRow(f"{label_of('stitch.length')} (at most {limit.high:g} s)", self.length)
        self.form.addRow(label_of("stitch.transition"), self.transition)
        self.form.addRow("", self.show_credit)
        self.form.addRow("Credit", self.credit)
        self.finish_layout()

    def request(self) -> StitchRequest:
        return StitchRequest(
            original=self.original.text(),
            yours=self.yours.text(),
            start=round(self.start.value(), 3),
            length=round(self.length.value(), 3),
            transition=self.transition.currentText(),
            credit=self.credit.text() if self.show_credit.isChecked() else None,
            fps=self.document.project.canvas.fps,
        )

    def call_and_request(self) -> tuple[Callable[..., Any], object]:
        return make_stitch, self.request()
