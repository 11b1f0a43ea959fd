"""Instant scrubbing: every frame of the edit, rendered once in the background as JPEG.

Once an edit has settled for a moment, a job renders it (the export's graph at preview size,
from proxies) into memory, one JPEG per frame. A seek to a frame already there decodes it on
the spot (a few milliseconds); other seeks fall back to rendering that one frame. A change to
the edit renders it again from the first clip the change touched; playback pauses the cache
(the two cores are the player's) and it carries on from where it stopped. Memory is bounded:
past the limit, frames are rendered on demand as before.
"""

from __future__ import annotations

from studio.app import Cancelled, StudioError
from studio.app.playback import frame_count, still_frames
from studio.gui.jobs import Job, Jobs
from studio.gui.qt import QImage, QObject, QTimer
from studio.model.timeline import Project, cut_frames

SETTLE_MS = 600  # an edit must rest this long before its frames are rendered
LIMIT_BYTES = 300 * 1024 * 1024  # about 3 minutes of edit at 540x960


def unchanged_frames(before: Project, after: Project) -> int:
    """How many frames from the start look the same in both snapshots: everything up to the
    first clip that changed, when nothing that spans the whole edit's picture (canvas, beat
    effects and the beats they follow, texts, captions, the tracks over the main one) changed.
    The sound does not count."""
    whole = ["canvas", "effects", "texts", "captions", "layers"]
    whole += ["music"] if after.effects else []
    if any(getattr(before, name) != getattr(after, name) for name in whole):
        return 0
    fps = after.canvas.fps
    same = 0
    for old, new in zip(before.main.clips, after.main.clips):
        if old != new:
            break
        same += 1
    return cut_frames(after.main.clips[:same], fps)[-1]


class ScrubCache(QObject):
    def __init__(self, jobs: Jobs) -> None:
        super().__init__()
        self.jobs = jobs
        self.project: Project | None = None
        self.frames: list[bytes] = []  # appended by the job's thread, read here
        self.size = 0
        self.job: Job | None = None
        self.paused = False
        self.complete = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self._fill)

    def set_project(self, project: Project) -> None:
        """A new snapshot: frames before its first change stay; the rest are rendered again."""
        if project == self.project:
            return
        self._cancel()
        keep = unchanged_frames(self.project, project) if self.project is not None else 0
        frames = self.frames[:keep]
        self.project, self.frames, self.complete = project, frames, False
        self.size = sum(len(image) for image in frames)
        if len(frames) >= frame_count(project):
            self.complete = True  # nothing on screen changed
            return
        self.timer.start()

    def reset(self) -> None:
        """Render every frame again (an analysis finished: the effect now shows)."""
        self._cancel()
        self.frames, self.size, self.complete = [], 0, False
        self.timer.start()

    def pause(self) -> None:
        self.paused = True
        self.timer.stop()
        self._cancel()

    def resume(self) -> None:
        self.paused = False
        self.timer.start()

    def image(self, project: Project, frame: int) -> QImage | None:
        """The frame decoded, if this edit's frame is cached."""
        if project != self.project or not 0 <= frame < len(self.frames):
            return None
        return QImage.fromData(self.frames[frame])

    def _fill(self) -> None:
        project = self.project
        if project is None or self.paused or self.complete or self.job is not None:
            return
        if not project.main.clips:
            return
        frames = self.frames
        job = self.jobs.run(
            still_frames,
            project,
            len(frames),
            lambda image: self._keep(frames, image),
            done=lambda _: self._ended(job, complete=True),
            failed=lambda error: self._ended(job, error=error),
        )
        self.job = job

    def _keep(self, frames: list[bytes], image: bytes) -> bool:  # on the job's thread
        if frames is not self.frames or self.size + len(image) > LIMIT_BYTES:
            return False
        frames.append(image)
        self.size += len(image)
        return True

    def _ended(self, job: Job, complete: bool = False, error: StudioError | None = None) -> None:
        if job is not self.job:
            return  # a job cancelled earlier (an older edit, or paused for playback)
        self.job = None
        self.complete = complete or (error is not None and not isinstance(error, Cancelled))

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job = None
