"""The record screen: a live preview with a 9:16 guide, a countdown, a length limit shown as a
ring, start/stop segments, "delete last segment" to retake, and "Done" to join the segments
into a take that is imported into the project like any clip.

The source here is the built-in test pattern and tone, fed through the real recorder on the
system clock (cameras and microphones come next); the preview shows the frames as they are
sent, so nothing waits on the recorder.
"""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.app import DuetRequest, StudioError, make_duet
from studio.gui.capture.recorder import Recording, TestSource, best_codec, join, next_free
from studio.gui.jobs import Jobs
from studio.gui.player import Player
from studio.gui.preview import PreviewView
from studio.gui.qt import (
    QColor,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QImage,
    QLabel,
    QPainter,
    QPen,
    QPixmap,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from studio.model.edits import clip_of
from studio.model.limits import CHOICES
from studio.model.timeline import Canvas, MediaRef, Project, Track

COUNTDOWNS = {"off": 0, "3 s": 3, "10 s": 10}
LIMITS = {"15 s": 15, "60 s": 60, "3 min": 180, "10 min": 600}
PREVIEW = (270, 480)


class Ring(QWidget):
    """How much of the length limit is used: an arc that fills clockwise."""

    def __init__(self) -> None:
        super().__init__()
        self.share = 0.0
        self.setFixedSize(56, 56)

    def set_share(self, share: float) -> None:
        self.share = max(0.0, min(1.0, share))
        self.update()

    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = self.rect().adjusted(5, 5, -5, -5)
        painter.setPen(QPen(QColor("#444"), 6))
        painter.drawEllipse(box)
        painter.setPen(QPen(QColor("#e53935"), 6))
        painter.drawArc(box, 90 * 16, -round(self.share * 360 * 16))
        painter.end()


class RecordDialog(QDialog):
    take_ready = Signal(str)  # the joined take's path

    def __init__(self, folder: Path, size: tuple[int, int] = (720, 1280), fps: int = 30) -> None:
        super().__init__()
        self.setWindowTitle("Record")
        self.folder, self.fps = folder, fps
        self.source = TestSource(*size, fps)
        self.codec = best_codec()
        self.parts: list[tuple[Path, float]] = []
        self.recording: Recording | None = None
        self.started = 0.0
        self.counting = 0
        self.preview = QLabel()
        self.preview.setFixedSize(*PREVIEW)
        self.countdown, self.limit = QComboBox(), QComboBox()
        self.countdown.addItems(list(COUNTDOWNS))
        self.limit.addItems(list(LIMITS))
        self.record, self.retake, self.done_button = (
            QPushButton("Record"),
            QPushButton("Delete last segment"),
            QPushButton("Done"),
        )
        self.ring, self.status = Ring(), QLabel()
        self.status.setWordWrap(True)
        self.timer = QTimer(self)
        self.timer.setInterval(max(5, 1000 // (2 * fps)))
        self.timer.timeout.connect(self._tick)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._count)
        self._layout()
        self.record.clicked.connect(self.toggle)
        self.retake.clicked.connect(self.delete_last)
        self.done_button.clicked.connect(self.finish)
        self._show(self.source.picture(0))
        self._refresh()

    def _layout(self) -> None:
        options = QHBoxLayout()
        for label, box in (("Countdown", self.countdown), ("Length", self.limit)):
            options.addWidget(QLabel(label))
            options.addWidget(box)
        buttons = QHBoxLayout()
        for widget in (self.ring, self.record, self.retake, self.done_button):
            buttons.addWidget(widget)
        column = QVBoxLayout(self)
        column.addWidget(QLabel("Source: test pattern and tone (no camera needed)"))
        column.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addLayout(options)
        column.addLayout(buttons)
        column.addWidget(self.status)

    @property
    def recorded(self) -> float:
        return sum(seconds for _, seconds in self.parts)

    @property
    def allowed(self) -> float:
        return float(LIMITS[self.limit.currentText()])

    def toggle(self) -> None:
        if self.recording is not None:
            self.stop()
        elif self.counting:
            self.ticker.stop()
            self.counting = 0
            self._refresh()
        else:
            self.counting = COUNTDOWNS[self.countdown.currentText()]
            if self.counting:
                self.ticker.start()
                self._refresh()
            else:
                self.start()

    def _count(self) -> None:
        self.counting -= 1
        if self.counting <= 0:
            self.ticker.stop()
            self.start()
        self._refresh()

    def start(self) -> None:
        if self.recorded >= self.allowed:
            return
        part = next_free(self.folder, ".segment", ".mkv")
        self.recording = Recording(self.source, part, self.codec, sound=True)
        self.started = time.monotonic()
        self.timer.start()
        self._refresh()

    def _tick(self) -> None:
        recording = self.recording
        if recording is None:
            return
        elapsed = time.monotonic() - self.started
        if self.recorded + elapsed >= self.allowed:
            self.stop()
            return
        recording.send_until(int(elapsed * self.fps) + 1)
        self._show(self.source.picture(max(0, recording.sent - 1)))
        self.ring.set_share((self.recorded + elapsed) / self.allowed)

    def stop(self) -> None:
        recording, self.recording = self.recording, None
        self.timer.stop()
        if recording is None:
            return
        recording.stop()
        while not recording.stopped:  # the muxer closes the file: a few milliseconds
            from studio.gui.qt import QApplication

            QApplication.processEvents()
        if recording.sent:
            self.parts.append((recording.target, recording.sent / self.fps))
        self._refresh()

    def delete_last(self) -> None:
        if self.parts:
            part, _ = self.parts.pop()
            part.unlink(missing_ok=True)
        self._refresh()

    def finish(self) -> Path | None:
        """Join the segments into a take (never re-encoded) and hand it over."""
        self.stop()
        if not self.parts:
            return None
        take = join(self.parts, next_free(self.folder, "take", ".mp4"))
        for part, _ in self.parts:
            part.unlink(missing_ok=True)
        self.parts = []
        self.take_ready.emit(str(take))
        self.accept()
        return take

    def reject(self) -> None:
        self.stop()
        for part, _ in self.parts:
            part.unlink(missing_ok=True)
        self.parts = []
        super().reject()

    def _show(self, pixels: Any) -> None:
        height, width = pixels.shape[:2]
        image = QImage(pixels.data, width, height, QImage.Format.Format_ARGB32)
        small = image.scaled(  # fast: this runs on every frame while recording
            *PREVIEW, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
        )
        picture = QPixmap.fromImage(small)
        painter = QPainter(picture)  # the 9:16 guide: what the export keeps
        painter.setPen(QPen(QColor(255, 255, 255, 160), 2, Qt.PenStyle.DashLine))
        guide_w = min(picture.width(), picture.height() * 9 // 16)
        left = (picture.width() - guide_w) // 2
        painter.drawRect(left, 0, guide_w - 1, picture.height() - 1)
        if self.counting:
            painter.setPen(QColor("white"))
            font = painter.font()
            font.setPointSize(48)
            painter.setFont(font)
            painter.drawText(picture.rect(), Qt.AlignmentFlag.AlignCenter, str(self.counting))
        painter.end()
        self.preview.setPixmap(picture)

    def _refresh(self) -> None:
        recording = self.recording is not None
        self.record.setText("Stop" if recording else ("Cancel" if self.counting else "Record"))
        self.retake.setEnabled(bool(self.parts) and not recording)
        self.done_button.setEnabled(bool(self.parts) and not recording)
        self.ring.set_share(self.recorded / self.allowed)
        self.status.setText(
            f"{len(self.parts)} segments, {self.recorded:.1f} s of {self.allowed:.0f} s; "
            f"recording as {self.codec.why}"
        )
        if self.counting:
            self._show(self.source.picture(0))


class DuetRecordDialog(RecordDialog):
    """Record your side of a duet while the original plays beside the preview, with its sound.

    The original starts (or resumes) with each segment and pauses when it stops, so the take
    and the original stay in step; the take starts `offset` seconds into the original: the
    original's position, by the player's own clock, minus how long the take has run, measured
    on each frame the player shows during the first segment (so a sound device that starts
    late is accounted for). Done joins the take and makes the duet project with that offset.
    """

    duet_ready = Signal(object)  # the Remix made (its project and what was found)
    duet_failed = Signal(str)

    def __init__(
        self,
        folder: Path,
        original: MediaRef,
        jobs: Jobs,
        layout: str = "side",
        size: tuple[int, int] = (720, 1280),
        fps: int = 30,
    ) -> None:
        super().__init__(folder, size, fps)
        self.original, self.jobs, self.duet_layout = original, jobs, layout
        self.setWindowTitle(f"Record a duet with {original.name}")
        self.view = PreviewView()
        self.view.setFixedSize(*PREVIEW)
        self.player = Player(self.view)
        self.original_at = 0.0  # where the original is (seconds): it resumes from here
        self.offset: float | None = None
        self.waiting = False
        self.player.position.connect(self._original_moved)
        self.layout_box = QComboBox()
        self.layout_box.addItems([str(kind) for kind in CHOICES["layout.kind"].values])
        self.layout_box.setCurrentText(layout)
        self.layout_box.currentTextChanged.connect(lambda kind: setattr(self, "duet_layout", kind))
        column: Any = self.layout()
        column.removeWidget(self.preview)  # side by side: you, and the original playing
        row = QHBoxLayout()
        row.addWidget(self.preview)
        row.addWidget(self.view)
        column.insertLayout(1, row)
        choice = QHBoxLayout()
        choice.addWidget(QLabel(f"{CHOICES['layout.kind'].label} (the original: {original.name})"))
        choice.addWidget(self.layout_box)
        column.insertLayout(2, choice)

    def start(self) -> None:
        """Start the original first; the segment starts with its first frame on screen."""
        if self.recorded >= self.allowed or self.waiting:
            return
        project = Project(Canvas(fps=self.fps), Track((clip_of(self.original),)))
        self.waiting = True
        self.player.play(project, Fraction(self.original_at).limit_denominator(1000))

    def _original_moved(self, seconds: float) -> None:
        self.original_at = seconds
        if self.waiting:
            self.waiting = False
            if self.offset is None:
                self.offset = seconds  # until the original's clock is seen moving
            super().start()
        elif self.recording is not None and not self.parts:
            self._align(seconds)

    def _align(self, shown: float) -> None:
        """The offset from the first segment: where the original is (the frame just shown,
        timed by the player's clock, which is the sound card's when there is one: a device
        that starts late moves the original, not the take) minus how long the take has run."""
        self.offset = shown - (time.monotonic() - self.started)

    def stop(self) -> None:
        self.waiting = False
        self.player.stop()
        super().stop()

    def finish(self) -> Path | None:
        take = super().finish()
        if take is None or self.offset is None:
            return take
        request = DuetRequest(
            self.original.path, take, layout=self.duet_layout, offset=round(self.offset, 3)
        )
        self.jobs.run(make_duet, request, done=self.duet_ready.emit, failed=self._duet_failed)
        return take

    def _duet_failed(self, error: StudioError) -> None:
        self.duet_failed.emit(f"the duet could not be made: {error.message}")
