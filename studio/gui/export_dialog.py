"""Export from the app: preset and file, progress with frames, elapsed time and ETA, cancel.

The export runs as a background job on a snapshot of the project, so editing goes on; a cancel
stops ffmpeg at once and the previous file at the target stays as it was.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from studio.app import (
    Cancelled,
    Progress,
    StudioError,
    preset_names,
    preset_of,
    save_and_export,
)
from studio.gui.jobs import Job, Jobs
from studio.gui.qt import (
    QComboBox,
    QDesktopServices,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QUrl,
    QVBoxLayout,
    Signal,
)
from studio.model.timeline import Project


def progress_text(progress: Progress, frames: int, elapsed: float) -> str:
    """ "rendering · frame 120 of 480 · 4 s elapsed · 12 s left" """
    parts = [
        progress.message or "exporting",
        f"frame {int(progress.fraction * frames)} of {frames}",
    ]
    parts.append(f"{elapsed:.0f} s elapsed")
    if progress.eta is not None:
        parts.append(f"{progress.eta:.0f} s left")
    return " · ".join(parts)


class ExportDialog(QDialog):
    exported = Signal(str)  # the written file
    stopped = Signal(str)  # why it did not finish

    def __init__(self, project: Project, jobs: Jobs, suggested: Path) -> None:
        super().__init__()
        self.project, self.jobs = project, jobs
        self.job: Job | None = None
        self.started = 0.0
        self.frames = round(float(project.duration) * project.canvas.fps)
        self.setWindowTitle("Export")
        self.preset = QComboBox()
        self.preset.addItems(preset_names())
        self.preset.setCurrentText(preset_of(project).name)  # the project's own, by default
        self.target = QLineEdit(str(suggested))
        self.bar, self.status = QProgressBar(), QLabel(" ")
        self.start_button, self.cancel_button = QPushButton("Export"), QPushButton("Cancel")
        self.reveal_button = QPushButton("Show in folder")
        self._layout()
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.reveal_button.clicked.connect(self.reveal)

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        choose = QPushButton("...")
        choose.clicked.connect(self.choose_target)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(choose)
        layout.addWidget(QLabel("Preset"))
        layout.addWidget(self.preset)
        layout.addWidget(QLabel("File"))
        layout.addLayout(row)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.cancel_button, self.reveal_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.cancel_button.setEnabled(False)
        self.reveal_button.setEnabled(False)

    def choose_target(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export to", self.target.text(), "MP4 (*.mp4)")
        if name:
            self.target.setText(name)

    def start(self) -> None:
        self.started = time.monotonic()
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.job = self.jobs.run(
            save_and_export,
            self.project,
            self.target.text(),
            self.preset.currentText(),
            None,
            done=self._done,
            failed=self._failed,
            progress=self._progress,
        )

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def reveal(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.target.text()).parent)))

    def _progress(self, progress: Progress) -> None:
        self.bar.setValue(int(progress.fraction * 100))
        elapsed = time.monotonic() - self.started
        self.status.setText(progress_text(progress, self.frames, elapsed))

    def _done(self, result: Any) -> None:
        self.bar.setValue(100)
        self.status.setText(
            f"wrote {result.output} ({result.frames} frames, "
            f"{time.monotonic() - self.started:.0f} s)"
        )
        self._finish()
        self.reveal_button.setEnabled(True)
        self.exported.emit(str(result.output))

    def _failed(self, error: StudioError) -> None:
        cancelled = isinstance(error, Cancelled)
        self.status.setText(
            "cancelled: the previous file is untouched" if cancelled else error.message
        )
        self._finish()
        self.stopped.emit(self.status.text())

    def _finish(self) -> None:
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.job = None
