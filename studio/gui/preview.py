"""The preview: the export's own picture of the edit at a time, letterboxed 9:16.

A frame comes from the scrub cache when it is there (scrub.py: the whole edit rendered once);
otherwise the engine renders it (`render_frame`, from proxies, through the export's clip chain)
in the background, and the newest request wins, so scrubbing never queues stale frames.
Playback with sound is the player's (player.py); it paints into the same view.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from studio.app import Cancelled, StudioError, preview_pixels
from studio.gui.catalogue import MIME
from studio.gui.jobs import Job, Jobs
from studio.gui.qt import (
    QColor,
    QImage,
    QPainter,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    alive,
)
from studio.gui.scrub import ScrubCache
from studio.io import children
from studio.model.platform import safe_zone
from studio.model.shapes import framed
from studio.model.time import nearest_frame
from studio.model.timeline import Project

if TYPE_CHECKING:
    from studio.app.project import Picture

PREVIEW_SIZE = (540, 960)
FRAME_HOLD = 5.0  # seconds: background work waits at most this long for one frame
FORMAT = QImage.Format.Format_RGB32
BACKGROUND = QColor(18, 18, 20)
SAFE_LINE = QColor(255, 220, 0)


class PreviewView(QWidget):
    """Paints one frame, as large as fits, centred with bars (9:16 letterbox), or pixel for
    pixel of the preview frame (100%). Browser tiles can be dropped on it."""

    tile_dropped = Signal(str)  # a browser tile's id

    def __init__(self) -> None:
        super().__init__()
        self.image: QImage | None = None
        self.safe_zone = False  # show the platforms' safe zone over the picture
        self.actual_size = False  # 100%: one screen pixel a preview pixel
        self.decorate: Callable[[QPainter], None] | None = None  # drawn over the picture
        self.setMinimumSize(144, 256)
        self.setAcceptDrops(True)

    def sizeHint(self) -> QSize:
        return QSize(360, 640)

    def set_image(self, image: QImage | None) -> None:
        self.image = image
        self.update()

    def picture_rect(self) -> tuple[int, int, int, int]:
        """Where the picture sits in the widget: x, y, width, height. It has the shape of the
        frame shown, which the engine renders in the canvas's shape (9:16 until one comes)."""
        frame = self.image if self.image is not None and not self.image.isNull() else None
        shown = (frame.width(), frame.height()) if frame is not None else PREVIEW_SIZE
        if self.actual_size:
            width, height = shown
        else:
            ratio = Fraction(*shown)  # in lowest terms (9:16): 9:16 sits where it always has
            ratio_w, ratio_h = ratio.numerator, ratio.denominator
            scale = min(self.width() / ratio_w, self.height() / ratio_h)
            width, height = int(ratio_w * scale), int(ratio_h * scale)
        return (self.width() - width) // 2, (self.height() - height) // 2, width, height

    def set_actual_size(self, on: bool) -> None:
        self.actual_size = on
        self.update()

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        self.tile_dropped.emit(bytes(event.mimeData().data(MIME).data()).decode())
        event.acceptProposedAction()

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        x, y, width, height = self.picture_rect()
        if self.image is None:
            painter.fillRect(x, y, width, height, Qt.GlobalColor.black)
        else:
            scaled = self.image.scaled(
                width,
                height,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            painter.drawImage(x, y, scaled)
        if self.safe_zone:
            self._paint_safe_zone(painter, x, y, width, height)
        if self.decorate is not None:
            self.decorate(painter)
        painter.end()

    def set_safe_zone(self, shown: bool) -> None:
        self.safe_zone = shown
        self.update()

    def _paint_safe_zone(self, painter: QPainter, x: int, y: int, width: int, height: int) -> None:
        """Shade what the platforms cover; outline what stays clear (for a picture that is not
        9:16, what they cover of it where it plays full screen with bars)."""
        left, top, inner_width, inner_height = safe_zone(width, height)
        shade = QColor(0, 0, 0, 110)
        painter.fillRect(x, y, width, top, shade)
        painter.fillRect(x, y + top + inner_height, width, height - top - inner_height, shade)
        painter.fillRect(x, y + top, left, inner_height, shade)
        right = width - left - inner_width
        painter.fillRect(x + left + inner_width, y + top, right, inner_height, shade)
        painter.setPen(SAFE_LINE)
        painter.drawRect(x + left, y + top, inner_width - 1, inner_height - 1)


class FramePreview(QWidget):
    """A PreviewView fed by background frame renders; emits `shown(seconds)` per frame.

    Frames render one at a time on the preview's own worker, so a click never waits behind
    other background work (tile pictures, strips, proxies, the scrub cache's job); the newest
    request wins: a render still running for an older one is cancelled, and background work
    holds still while a frame renders, so the click has the cores."""

    shown = Signal(float)
    failed = Signal(str)

    def __init__(self, jobs: Jobs) -> None:
        super().__init__()
        self.jobs, self.view, self.latest = jobs, PreviewView(), 0
        self.cache = ScrubCache(jobs)
        self.renders = Jobs(1, lowered=False)  # the clicked frame's own worker, not lowered
        self.renders.setParent(self)
        self.rendering: Job | None = None
        self.wanted: tuple[int, Project, Fraction] | None = None  # waits for `rendering` to end
        self.holds: dict[str, Callable[[], None]] = {}  # why background work holds still
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.addWidget(self.view)

    def show_time(self, project: Project, at: Fraction) -> None:
        """Show the frame at `at`: from the scrub cache, else rendered in the background; only
        the newest request is shown."""
        if not alive(self):
            return  # a late call for a window already closed
        self.forget()
        if not project.main.clips:  # black in the canvas's shape
            canvas = project.canvas
            blank = QImage(*framed(canvas.width, canvas.height, PREVIEW_SIZE), FORMAT)
            blank.fill(Qt.GlobalColor.black)
            self.view.set_image(blank)
            return
        at = min(at, project.duration - Fraction(1, project.canvas.fps))
        cached = self.cache.image(project, nearest_frame(at, project.canvas.fps))
        if cached is not None:
            self.view.set_image(cached)
            self.shown.emit(float(at))
            return
        self.wanted = (self.latest, project, at)
        if self.rendering is None:  # else it starts when the older render has stopped
            self._render_next()

    def forget(self) -> None:
        """Frames still rendering are no longer wanted (playback took over the view, or a
        newer frame was asked for): the render running is cancelled."""
        self.latest += 1
        self.wanted = None
        if self.rendering is not None:
            self.rendering.cancel()

    def idle(self) -> bool:
        """No frame is rendering or waiting to."""
        return self.rendering is None and self.wanted is None

    def _render_next(self) -> None:
        if self.wanted is None:
            self.hold("frame", False)
            return
        number, project, at = self.wanted
        self.wanted = None
        self.hold("frame", True)
        job = self.renders.run(
            preview_pixels,
            project,
            at,
            PREVIEW_SIZE,
            done=lambda picture: self._arrived(job, number, picture, at),
            failed=lambda error: self._failed(job, number, error),
        )
        self.rendering = job

    def _ended(self, job: Job) -> bool:
        """The render `job` stopped: start the next one; False when the preview is gone."""
        shown = alive(self.view)
        if job is self.rendering:
            self.rendering = None
            if shown:
                self._render_next()
            else:
                self.hold("frame", False)
        return shown

    def hold(self, reason: str, on: bool) -> None:
        """Background work holds still while a reason stands ("frame": a frame renders, at most
        FRAME_HOLD seconds; "playback": the edit plays): the scrub cache's job, and the
        programs every background job runs (stopped, so the frame or the playback has the
        cores)."""
        if on and reason not in self.holds:
            limit = FRAME_HOLD if reason == "frame" else None
            self.holds[reason] = children.hold_background(limit)
        elif not on and reason in self.holds:
            self.holds.pop(reason)()
        if self.holds:
            self.cache.hold()
        else:
            self.cache.release()

    def _arrived(self, job: Job, number: int, picture: Picture, at: Fraction) -> None:
        if not self._ended(job) or number != self.latest:
            return
        self.view.set_image(as_image(picture))
        self.shown.emit(float(at))

    def _failed(self, job: Job, number: int, error: StudioError) -> None:
        if self._ended(job) and number == self.latest and not isinstance(error, Cancelled):
            self.failed.emit(error.message)


def as_image(picture: Picture) -> QImage:
    """The picture's BGRA bytes as a QImage (RGB32 is BGRA in memory on the little-endian
    machines we ship for), copied so the image owns its pixels."""
    image = QImage(picture.pixels, picture.width, picture.height, picture.width * 4, FORMAT)
    return image.copy()
