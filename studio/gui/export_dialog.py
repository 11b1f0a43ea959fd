"""Export from the app: presets by platform with their size and frame rate, the file's
estimated size, and a queue that renders one export after another while editing goes on.

Each export renders the snapshot of the edit it was queued with; a cancel stops its ffmpeg at
once and the previous file at the target stays as it was. The queue belongs to the app's Jobs
pool (export_queue.py), so closing this dialog does not stop it and reopening shows it again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from studio.app import StudioError, preset_of
from studio.app.export_size import (
    PresetChoice,
    estimate_size,
    preflight,
    preset_choices,
    size_text,
)
from studio.gui.export_queue import (
    DONE,
    EXPORTING,
    WAITING,
    ExportQueue,
    QueuedExport,
    progress_text,
    queue_of,
)
from studio.gui.export_rows import ExportRow, PresetList, describe
from studio.gui.icons import icon
from studio.gui.jobs import Job, Jobs
from studio.gui.qt import (
    QDialog,
    QEvent,
    QFileDialog,
    QFont,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPalette,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from studio.model.timeline import Project

__all__ = ["ExportDialog", "progress_text"]


class ExportDialog(QDialog):
    exported = Signal(str)  # a file this dialog queued was written
    stopped = Signal(str)  # why an export this dialog queued did not finish

    def __init__(
        self,
        project: Project,
        jobs: Jobs,
        suggested: Path,
        current: Callable[[], Project] | None = None,
    ) -> None:
        """`project` is the snapshot to export; `current`, when given, gives the edit as it is
        now, so an export queued after more editing renders the newer edit."""
        super().__init__()
        self.project, self.current = project, current
        self.choices: dict[str, PresetChoice] = {}
        self.queue: ExportQueue = queue_of(jobs)
        self.mine: list[QueuedExport] = []
        self.setWindowTitle("Export")
        self.preset = PresetList()
        self.summary, self.estimate, self.busy = QLabel(), QLabel(), QLabel()
        self.target = QLineEdit(str(suggested))
        self.problem = QLabel()
        self.start_button = QPushButton(icon("tray-arrow-down"), "Export")
        self.rows = QVBoxLayout()
        self.empty = QLabel("Exports you start appear here, one after another.")
        self._layout()
        self._style()
        self._connect()
        self.use_project(project)
        self.preset.setCurrentText(preset_of(project).name)  # the project's own, by default
        self._show_queue()

    def _layout(self) -> None:
        """The choice on the left, the queue beside it: both in sight without scrolling."""
        choice = QVBoxLayout()
        choice.addWidget(_heading("Preset"))
        choice.addWidget(self.preset)
        choice.addSpacing(4)
        for widget in (self.summary, self.estimate, self.busy):
            choice.addWidget(widget)
        choice.addSpacing(8)
        choice.addWidget(_heading("File"))
        choice.addLayout(self._file_row())
        choice.addWidget(self.problem)
        choice.addStretch(1)
        choice.addWidget(self.start_button)
        queue = QVBoxLayout()
        queue.addWidget(_heading("Queue"))
        queue.addWidget(self._queue_area(), 1)
        layout = QHBoxLayout(self)
        layout.addLayout(choice, 4)
        layout.addSpacing(12)
        layout.addLayout(queue, 5)
        self.resize(920, 560)

    def _style(self) -> None:
        big = self.estimate.font()
        big.setPointSizeF(big.pointSizeF() * 1.4)
        big.setBold(True)
        self.estimate.setFont(big)
        self.estimate.setToolTip(
            "An estimate from measured exports: the video is made at constant quality, "
            "so its size follows the picture"
        )
        for dim in (self.summary, self.busy, self.empty):
            dim.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.problem.setForegroundRole(QPalette.ColorRole.BrightText)
        self.problem.setWordWrap(True)
        self.busy.setWordWrap(True)
        self.problem.hide()
        self.start_button.setObjectName("export")  # the theme fills it with the accent

    def _file_row(self) -> QHBoxLayout:
        choose = QToolButton()
        choose.setIcon(icon("folder-outline"))
        choose.setToolTip("Choose where to save the video")
        choose.clicked.connect(self.choose_target)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(choose)
        return row

    def _queue_area(self) -> QScrollArea:
        inside = QWidget()
        column = QVBoxLayout(inside)
        column.addWidget(self.empty)
        column.addLayout(self.rows)
        column.addStretch(1)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(inside)
        area.setMinimumHeight(160)
        return area

    def _connect(self) -> None:
        self.preset.currentRowChanged.connect(lambda _: self.show_estimate())
        self.target.textEdited.connect(lambda _: self.problem.hide())
        self.start_button.clicked.connect(self.start)
        self.queue.added.connect(self._add_row)
        # Bound methods, not lambdas, towards the queue: it outlives this dialog, and Qt drops
        # a bound method's connection when its object is deleted.
        self.queue.changed.connect(self._name_button)
        self.queue.finished.connect(self._finished)

    def _show_queue(self) -> None:
        for entry in self.queue.entries:
            self._add_row(entry)
        self._name_button()

    def use_project(self, project: Project) -> None:
        """Export this snapshot from now on (queued exports keep theirs)."""
        self.project = project
        self.choices = {choice.name: choice for choice in preset_choices(project)}
        self.preset.show_choices(list(self.choices.values()))
        self.show_estimate()

    def show_estimate(self) -> None:
        name = self.preset.currentText()
        if not name:
            return
        found = estimate_size(self.project, name)
        self.summary.setText(describe(self.choices[name], found.seconds))
        self.estimate.setText(found.about)
        self.busy.setText(
            f"Grainy, handheld camera footage runs larger, up to {size_text(found.busy)}; "
            "still or drawn pictures take less."
        )

    def choose_target(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export to", self.target.text(), "MP4 (*.mp4)")
        if name:
            self.target.setText(name)
            self.problem.hide()

    def start(self) -> QueuedExport | None:
        """Queue an export of the edit with the chosen preset; a bad file name or folder is
        said here and nothing is queued."""
        if self.current is not None:
            self.use_project(self.current())
        try:
            target = preflight(self.project, self.target.text())  # a click's worth of stat calls
        except StudioError as error:
            self.problem.setText(error.message)
            self.problem.show()
            return None
        self.problem.hide()
        name = self.preset.currentText()
        estimate = estimate_size(self.project, name)
        entry = self.queue.add(self.project, target, self.choices[name], estimate)
        self.mine.append(entry)
        return entry

    @property
    def job(self) -> Job | None:
        """The running job of the export this dialog queued last (None once it ended)."""
        return self.mine[-1].job if self.mine else None

    def _add_row(self, entry: QueuedExport) -> None:
        self.empty.hide()
        self.rows.insertWidget(0, ExportRow(self.queue, entry))  # the newest on top

    def _name_button(self, _changed: QueuedExport | None = None) -> None:
        """ "Export" with nothing under way; "Add to queue" when this one would wait."""
        busy = any(e.state in (WAITING, EXPORTING) for e in self.queue.entries)
        self.start_button.setText("Add to queue" if busy else "Export")

    def _finished(self, entry: QueuedExport) -> None:
        if entry not in self.mine:
            return
        if entry.state == DONE:
            self.exported.emit(str(entry.target))
        else:
            self.stopped.emit(entry.status)

    def changeEvent(self, event: QEvent) -> None:
        """Coming back to the dialog after editing: the estimate follows the edit."""
        super().changeEvent(event)
        back = event.type() == QEvent.Type.ActivationChange and self.isActiveWindow()
        if back and self.current is not None:
            self.use_project(self.current())


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label
