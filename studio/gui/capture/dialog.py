"""The record screen: camera (or screen, or the test pattern), microphone and format; a live
preview with a 9:16 guide (mirrored for a front camera), a countdown, a length limit shown as a
ring, start/stop segments, "delete last segment" to retake, and "Done" to join the segments
(on a job thread) into a take that is imported into the project like any clip.

The preview shows the newest frame on a timer, so nothing waits on the recorder; a camera or
microphone the system does not allow is said in the status line, with where to allow it.
"""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.app import DuetRequest, StudioError, make_duet
from studio.gui.capture.count_in import CountIn
from studio.gui.capture.devices import formats_of
from studio.gui.capture.recorder import best_codec
from studio.gui.capture.sources import (
    TONE,
    Choice,
    DeviceFeed,
    TestFeed,
    ident,
    open_feed,
    permission_problem,
)
from studio.gui.jobs import Jobs
from studio.gui.player import Player
from studio.gui.preview import PreviewView
from studio.gui.qt import (
    QApplication,
    QCheckBox,
    QColor,
    QComboBox,
    QDialog,
    QGridLayout,
    QGuiApplication,
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
    multimedia,
)
from studio.io.capture import make_take, next_free
from studio.model.edits import clip_of
from studio.model.limits import CHOICES
from studio.model.timeline import Canvas, MediaRef, Project, Track

COUNTDOWNS = {"off": 0, "3 s": 3, "10 s": 10}
LIMITS = {"15 s": 15, "60 s": 60, "3 min": 180, "10 min": 600}
PREVIEW = (270, 480)
# How long stopping a segment may wait for Qt's muxer to close its file (the window keeps
# drawing meanwhile); a loaded machine took over 5 s, and the segment was lost.
STOP_WAIT = 30.0


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


TEST_FORMATS = ((720, 1280, 30), (1080, 1920, 30), (1080, 1920, 60), (1280, 720, 30))


def default_choice(size: tuple[int, int], fps: int) -> Choice:
    """The system's camera and microphone where there are any, else the test pattern."""
    QMediaDevices = multimedia().QMediaDevices
    if QMediaDevices.videoInputs():
        has_mic = not QMediaDevices.defaultAudioInput().isNull()
        return Choice("camera", "", "" if has_mic else None, size, fps)
    return Choice("test", "", TONE, size, fps)


class SourcePicker(QWidget):
    """What to record: camera / screen / test pattern, microphone, format, mirroring."""

    changed = Signal(object)  # a Choice

    def __init__(self, choice: Choice) -> None:
        super().__init__()
        self.choice = choice
        self.video, self.sound, self.form = QComboBox(), QComboBox(), QComboBox()
        self.mirror = QCheckBox("Mirror the recording")
        self.mirror.setToolTip(
            "The preview of a front camera is always mirrored; the take only if this is on"
        )
        self.video.addItem("Test pattern (no camera needed)", ("test", ""))
        QMediaDevices = multimedia().QMediaDevices
        for camera in QMediaDevices.videoInputs():
            self.video.addItem(camera.description(), ("camera", ident(camera)))
        for number, screen in enumerate(QGuiApplication.screens()):
            self.video.addItem(f"Screen {number} {screen.name()}".strip(), ("screen", str(number)))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for row, (label, box) in enumerate(
            (("Camera", self.video), ("Microphone", self.sound), ("Format", self.form))
        ):
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(box, row, 1)
        grid.addWidget(self.mirror, 3, 1)
        self._select(self.video, (choice.video, choice.device))
        self._fill()
        self.video.currentIndexChanged.connect(self._video_changed)
        for box in (self.sound, self.form):
            box.currentIndexChanged.connect(self._changed)
        self.mirror.toggled.connect(self._changed)

    def _fill(self) -> None:
        """The microphones and formats that go with the chosen picture."""
        kind, device = self.video.currentData()
        for box in (self.sound, self.form):
            box.blockSignals(True)
            box.clear()
        if kind == "test":
            self.sound.addItem("Test tone", TONE)
        QMediaDevices = multimedia().QMediaDevices
        for mic in QMediaDevices.audioInputs():
            self.sound.addItem(mic.description(), ident(mic))
        self.sound.addItem("No sound", None)
        for width, height, fps in _formats(kind, device):
            self.form.addItem(f"{width}x{height} at {fps} fps", (width, height, fps))
        sound = self.choice.sound
        if sound == "":  # the system's default microphone
            sound = ident(QMediaDevices.defaultAudioInput())
        self._select(self.sound, sound)
        self._select(self.form, (*self.choice.size, self.choice.fps))
        for box in (self.sound, self.form):
            box.blockSignals(False)

    def _video_changed(self) -> None:
        self._fill()
        self._changed()

    def _changed(self) -> None:
        kind, device = self.video.currentData()
        width, height, fps = self.form.currentData() or (*self.choice.size, self.choice.fps)
        self.choice = Choice(
            kind,
            device,
            self.sound.currentData(),
            (width, height),
            fps,
            self.choice.front,
            self.mirror.isChecked(),
        )
        self.changed.emit(self.choice)

    @staticmethod
    def _select(box: QComboBox, wanted: Any) -> None:
        found = box.findData(wanted)
        if found >= 0:
            box.setCurrentIndex(found)


def _formats(kind: str, device: str) -> list[tuple[int, int, int]]:
    """What the picture can be recorded as: the test pattern's sizes, a camera's formats
    (largest first), a screen at its own size."""
    if kind == "test":
        return list(TEST_FORMATS)
    if kind == "camera":
        for camera in multimedia().QMediaDevices.videoInputs():
            if ident(camera) == device:
                return [(f["width"], f["height"], f["fps"]) for f in formats_of(camera)][:12]
    return []


class RecordDialog(QDialog):
    """Record takes from a camera, a screen or the test pattern, with a microphone, the test
    tone or no sound. The source can change until the first segment is kept."""

    take_ready = Signal(str)  # the joined take's path

    def __init__(
        self,
        folder: Path,
        jobs: Jobs | None = None,
        size: tuple[int, int] = (720, 1280),
        fps: int = 30,
        choice: Choice | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Record")
        self.folder, self.jobs, self.fps = folder, jobs or Jobs(), fps  # the project's rate
        self.choice = choice or default_choice(size, fps)
        self.codec = best_codec()
        self.feed: TestFeed | DeviceFeed | None = None
        self.parts: list[tuple[Path, float]] = []
        self.named: set[Path] = set()  # every segment file this dialog has started
        self.recording: Any = None
        self.joining = False
        self.started = 0.0
        self.count_in = CountIn(self)
        self.problem = ""
        self.preview = QLabel()
        self.preview.setFixedSize(*PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: black")
        self.sources = SourcePicker(self.choice)
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
        self.timer = QTimer(self)  # the preview, and the frames sent while recording
        self.timer.setInterval(max(5, 1000 // (2 * self.choice.fps)))
        self.timer.timeout.connect(self._tick)
        self.count_in.ticked.connect(lambda _: self._refresh())
        self.count_in.finished.connect(self.start)
        self._layout()
        self.record.clicked.connect(self.toggle)
        self.retake.clicked.connect(self.delete_last)
        self.done_button.clicked.connect(self.finish)
        self.sources.changed.connect(self.use)
        self.use(self.choice)
        self.timer.start()

    def _layout(self) -> None:
        options = QHBoxLayout()
        for label, box in (("Countdown", self.countdown), ("Length", self.limit)):
            options.addWidget(QLabel(label))
            options.addWidget(box)
        buttons = QHBoxLayout()
        for widget in (self.ring, self.record, self.retake, self.done_button):
            buttons.addWidget(widget)
        column = QVBoxLayout(self)
        column.addWidget(self.sources)
        column.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addLayout(options)
        column.addLayout(buttons)
        column.addWidget(self.status)

    def use(self, choice: Choice) -> None:
        """Record from `choice` from now on (asking for the camera and microphone first)."""
        if self.feed is not None:
            self.feed.close()
        self.choice, self.feed, self.problem = choice, None, ""
        try:
            self.problem = _permission_problem(choice) or ""
            if not self.problem:
                self.feed = open_feed(choice)
        except StudioError as error:
            self.problem = error.message
        self._refresh()

    @property
    def recorded(self) -> float:
        return sum(seconds for _, seconds in self.parts)

    @property
    def allowed(self) -> float:
        return float(LIMITS[self.limit.currentText()])

    def toggle(self) -> None:
        if self.recording is not None:
            self.stop()
        elif self.count_in.counting:
            self.count_in.cancel()
        else:
            self.count_in.begin(COUNTDOWNS[self.countdown.currentText()])

    @property
    def counting(self) -> int:
        """Seconds of the count-in left (0: none running)."""
        return self.count_in.left

    def start(self) -> None:
        if self.recorded >= self.allowed or self.feed is None:
            return
        part = next_free(self.folder, ".segment", ".mkv")
        while part in self.named or part.exists():  # one whose muxer has not written it yet
            number = int(part.stem.rsplit("-", 1)[1]) + 1
            part = part.with_name(f".segment-{number:03d}.mkv")
        self.named.add(part)
        self.recording = self.feed.record(part, self.codec)
        self.started = time.monotonic()
        self._refresh()

    def _tick(self) -> None:
        recording, feed = self.recording, self.feed
        if recording is not None:
            elapsed = time.monotonic() - self.started
            if self.recorded + elapsed >= self.allowed or recording.error or feed_failed(feed):
                self.stop()
                return
            recording.tick(elapsed)
            self.ring.set_share((self.recorded + elapsed) / self.allowed)
            self.status.setText(self._said(elapsed))
        if feed is not None:
            self._show(feed.picture(recording))

    def stop(self) -> None:
        recording, self.recording = self.recording, None
        if recording is None:
            return
        recording.stop()
        waited = time.monotonic()
        while not recording.stopped and time.monotonic() - waited < STOP_WAIT:  # muxer closes
            QApplication.processEvents()
        if recording.error:
            self.problem = f"the recording failed: {recording.error}"
        if recording.seconds and recording.target.exists():
            self.parts.append((recording.target, recording.seconds))
        self._refresh()

    def delete_last(self) -> None:
        if self.parts:
            part, _ = self.parts.pop()
            part.unlink(missing_ok=True)
        self._refresh()

    def finish(self) -> None:
        """Join the segments into a take on a job thread (never re-encoded unless mirrored)
        and hand it over."""
        self.stop()
        if not self.parts or self.joining:
            return
        self.joining = True
        parts, self.parts = self.parts, []
        self.jobs.run(
            make_take,
            parts,
            self.folder,
            self.choice.mirror,
            done=self._joined,
            failed=self._failed,
        )
        self._refresh()

    def _joined(self, take: Path) -> None:
        self.joining = False
        self.take_ready.emit(str(take))
        self.accept()

    def _failed(self, error: StudioError) -> None:
        self.joining = False
        self.problem = error.message
        self._refresh()

    def reject(self) -> None:
        self.stop()
        for part, _ in self.parts:
            part.unlink(missing_ok=True)
        self.parts = []
        super().reject()

    def done(self, result: int) -> None:
        self.timer.stop()
        if self.feed is not None:
            self.feed.close()
        super().done(result)

    def _show(self, picture: Any) -> None:
        if picture is None:
            return
        image = picture if isinstance(picture, QImage) else bgra_image(picture)
        if self.feed is not None and self.feed.front:  # a front camera: see yourself mirrored
            image = image.flipped(Qt.Orientation.Horizontal)
        small = image.scaled(  # fast: this runs on every frame
            *PREVIEW, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
        )
        shown = QPixmap.fromImage(small)
        painter = QPainter(shown)  # the 9:16 guide: what the export keeps
        painter.setPen(QPen(QColor(255, 255, 255, 160), 2, Qt.PenStyle.DashLine))
        guide_w = min(shown.width(), shown.height() * 9 // 16)
        left = (shown.width() - guide_w) // 2
        painter.drawRect(left, 0, guide_w - 1, shown.height() - 1)
        if self.counting:
            painter.setPen(QColor("white"))
            font = painter.font()
            font.setPointSize(48)
            painter.setFont(font)
            painter.drawText(shown.rect(), Qt.AlignmentFlag.AlignCenter, str(self.counting))
        painter.end()
        self.preview.setPixmap(shown)

    def _said(self, elapsed: float = 0.0) -> str:
        """The status line: segments, time used of the limit, the source and the codec."""
        if self.problem:
            return self.problem
        if self.joining:
            return "joining the segments into a take..."
        now, kept = self.recorded + elapsed, len(self.parts)
        if self.recording is not None:
            doing = f"recording segment {kept + 1}: {clock(elapsed)}"
        else:
            doing = f"{kept} segment{'' if kept == 1 else 's'} kept"
        what = self.feed.describe() if self.feed is not None else "nothing"
        return (
            f"{doing}; {clock(now)} of {clock(self.allowed)} used\n"
            f"{what}, recorded as {self.codec.why}"
        )

    def _refresh(self) -> None:
        recording = self.recording is not None
        ready = self.feed is not None and not self.joining
        self.record.setText("Stop" if recording else ("Cancel" if self.counting else "Record"))
        self.record.setEnabled(ready)
        self.retake.setEnabled(bool(self.parts) and not recording and not self.joining)
        self.done_button.setEnabled(bool(self.parts) and not recording and not self.joining)
        self.sources.setEnabled(not self.parts and not recording and not self.joining)
        self.ring.set_share(self.recorded / self.allowed)
        self.status.setText(self._said())


def clock(seconds: float) -> str:
    """m:ss.t"""
    minutes, rest = divmod(max(0.0, seconds), 60)
    return f"{int(minutes)}:{rest:04.1f}"


def bgra_image(pixels: Any) -> QImage:
    height, width = pixels.shape[:2]
    return QImage(pixels.data, width, height, QImage.Format.Format_ARGB32)


def feed_failed(feed: Any) -> bool:
    return bool(feed is not None and feed.problems)


def _permission_problem(choice: Choice) -> str | None:
    if choice.video == "camera" and (problem := permission_problem("camera")):
        return problem
    if choice.sound not in (None, TONE):
        return permission_problem("microphone")
    return None


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
        choice: Choice | None = None,
    ) -> None:
        super().__init__(folder, jobs, size, fps, choice)
        self.original, self.duet_layout = original, layout
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
        kind = QHBoxLayout()
        kind.addWidget(QLabel(f"{CHOICES['layout.kind'].label} (the original: {original.name})"))
        kind.addWidget(self.layout_box)
        column.insertLayout(2, kind)

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

    def _joined(self, take: Path) -> None:
        """The take is joined: make the duet (refined from the sound when a microphone
        heard the original), then close."""
        if self.offset is None:
            super()._joined(take)
            return
        request = DuetRequest(
            self.original.path,
            take,
            layout=self.duet_layout,
            offset=round(self.offset, 3),
            refine=self.choice.sound not in (None, TONE),
        )
        self.jobs.run(make_duet, request, done=self._duet_made, failed=self._duet_failed)

    def _duet_made(self, remix: Any) -> None:
        self.joining = False
        self.duet_ready.emit(remix)
        self.accept()

    def _duet_failed(self, error: StudioError) -> None:
        self.joining = False
        self.duet_failed.emit(f"the duet could not be made: {error.message}")
        self.reject()
