"""Instant scrubbing: every frame of the edit, rendered once in the background as JPEG.

Once an edit has settled for a moment, a job renders it (the export's graph at preview size,
from proxies) into memory, one JPEG per frame. A seek to a frame already there decodes it on
the spot (a few milliseconds); other seeks fall back to rendering that one frame, and while
that frame renders the job holds still (it stops reading its ffmpeg, which stops at once), so
the clicked frame has the cores. A change to the edit keeps every frame that still looks the
same, wherever it now sits (moved_frames), and renders the rest; playback pauses the cache
(the two cores are the player's) and it carries on from where it stopped. Memory is bounded:
past the limit, frames are rendered on demand as before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from itertools import pairwise

from studio.app import Cancelled, StudioError
from studio.app.playback import frame_count, still_frames
from studio.gui.jobs import Job, Jobs
from studio.gui.qt import QImage, QObject, QTimer
from studio.model.timeline import Project, cut_frames
from studio.model.tracks import halves

SETTLE_MS = 600  # an edit must rest this long before its frames are rendered
LIMIT_BYTES = 300 * 1024 * 1024  # about 3 minutes of edit at 540x960
HOLD_POLL = 0.05  # seconds: how often a held job looks whether it was cancelled
HOLD_LIMIT = 5.0  # seconds: a hold never released (a bug) does not stop the cache for good

Piece = tuple[int, int, Hashable]  # first frame, end frame, what decides those frames' pictures


def picture_pieces(project: Project) -> list[Piece]:
    """The main track's frames in pieces that each show one thing: a clip's own frames (they
    depend on the clip, its slot and the transitions around it, which decide how its file is
    read) and each transition's frames (both clips and everything around them)."""
    clips, fps = project.main.clips, project.canvas.fps
    bounds = cut_frames(clips, fps)
    found = [_joint(project, clip.id, fps) for clip in clips]
    slots = [end - start for start, end in pairwise(bounds)]
    pieces: list[Piece] = []
    for index, clip in enumerate(clips):
        before = found[index - 1] if index else None
        after = found[index]
        head = before[2] if before else 0
        tail = after[1] if after else 0
        cut = bounds[index + 1]
        pieces.append(
            (bounds[index] + head, cut - tail, ("clip", clip, before, after, slots[index]))
        )
        if after is not None:
            around = (before, after, found[index + 1], slots[index], slots[index + 1])
            pieces.append((cut - tail, cut + after[2], ("joint", clip, clips[index + 1], around)))
    if any(start > end for start, end, _ in pieces):  # transitions that overlap: one piece
        return [(0, bounds[-1], ("main", project.main.items))]
    return pieces


def _joint(project: Project, clip_id: str, fps: int) -> tuple[object, int, int] | None:
    transition = project.main.transition_after(clip_id)
    return None if transition is None else (transition, *halves(transition, fps))


def _whole_picture(project: Project) -> tuple[object, ...]:
    """What spans the whole edit's picture: the canvas, the beat effects and the beats they
    follow, texts, captions and the tracks over the main one (the sound does not count)."""
    music = project.music if project.effects else None
    return project.canvas, project.effects, project.texts, project.captions, project.layers, music


def _tied_to_time(project: Project) -> bool:
    """Whether something is drawn over the main track by the edit's clock (then a frame that
    moved in time looks different, even where its clip did not change)."""
    return bool(project.effects or project.texts or project.captions or project.layers)


def moved_frames(before: Project, after: Project) -> list[tuple[int, int, int]]:
    """Runs of frames that look the same in both snapshots: (first frame now, first frame
    before, count). A clip that did not change keeps its frames, moved with it when clips
    before it changed length (unless something over it follows the edit's clock); nothing is
    kept when what spans the whole picture changed."""
    if _whole_picture(before) != _whole_picture(after):
        return []
    tied = _tied_to_time(after)
    was = {key: start for start, _, key in picture_pieces(before)}
    runs = []
    for start, end, key in picture_pieces(after):
        old = was.get(key)
        if old is not None and end > start and (old == start or not tied):
            runs.append((start, old, end - start))
    return runs


class ScrubCache(QObject):
    """The frames of the edit shown last, as JPEG in memory, rendered on the shared pool of
    background work (which yields to clicks and playback: studio.io.children)."""

    def __init__(self, jobs: Jobs) -> None:
        super().__init__()
        self.jobs = jobs
        self.project: Project | None = None
        self.frames: list[bytes | None] = []  # one per frame; filled by the job's thread
        self.size = 0
        self.full = False  # the memory limit was reached: the frames left render on demand
        self.job: Job | None = None
        self.stop_job = threading.Event()  # the running job's: it was cancelled
        self.going = threading.Event()  # cleared while a clicked frame renders (hold)
        self.going.set()
        self.paused = False
        self.complete = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self._fill)

    def set_project(self, project: Project) -> None:
        """A new snapshot: frames that look the same stay (moved_frames); the rest are
        rendered again once it settles."""
        if project is self.project or project == self.project:
            return
        self._cancel()
        frames: list[bytes | None] = [None] * frame_count(project)
        if self.project is not None:
            for now, was, count in moved_frames(self.project, project):
                part = self.frames[was : was + count]
                frames[now : now + len(part)] = part
        self.project, self.frames = project, frames
        self.size = sum(len(image) for image in frames if image is not None)
        self.full = False
        self.complete = None not in frames  # True: nothing on screen changed
        if not self.complete:
            self.timer.start()

    def reset(self) -> None:
        """Render every frame again (an analysis finished: the effect now shows)."""
        self._cancel()
        self.frames, self.size, self.complete = [None] * len(self.frames), 0, False
        self.full = False
        self.timer.start()

    def pause(self) -> None:
        self.paused = True
        self.timer.stop()
        self._cancel()

    def resume(self) -> None:
        self.paused = False
        self.timer.start()

    def hold(self) -> None:
        """A frame that is not here is rendering: the job waits (its ffmpeg, unread, stops
        within a frame) until `release`."""
        self.going.clear()

    def release(self) -> None:
        self.going.set()

    def image(self, project: Project, frame: int) -> QImage | None:
        """The frame decoded, if this edit's frame is cached."""
        if project is not self.project and project != self.project:
            return None
        if not 0 <= frame < len(self.frames):
            return None
        image = self.frames[frame]
        return None if image is None else QImage.fromData(image)

    def _fill(self) -> None:
        project = self.project
        if project is None or self.paused or self.complete or self.job is not None:
            return
        if not project.main.clips:
            return
        start = next((i for i, image in enumerate(self.frames) if image is None), None)
        if start is None:
            self.complete = True
            return
        frames, stop, cursor = self.frames, threading.Event(), [start]
        job = self.jobs.run(
            still_frames,
            project,
            start,
            lambda image: self._keep(frames, stop, cursor, image),
            done=lambda _: self._ended(job, progressed=cursor[0] > start),
            failed=lambda error: self._ended(job, error=error),
        )
        self.job, self.stop_job = job, stop

    def _keep(  # on the job's thread
        self, frames: list[bytes | None], stop: threading.Event, cursor: list[int], image: bytes
    ) -> bool:
        """Store the next frame; False stops the job (cancelled, memory full, or the next
        frame is there already)."""
        held = time.monotonic()
        while not self.going.wait(HOLD_POLL) and time.monotonic() - held < HOLD_LIMIT:
            if stop.is_set():
                return False
        index = cursor[0]
        if stop.is_set() or frames is not self.frames or index >= len(frames):
            return False
        if self.size + len(image) > LIMIT_BYTES:
            self.full = True
            return False
        frames[index] = image
        self.size += len(image)
        cursor[0] = index + 1
        return cursor[0] < len(frames) and frames[cursor[0]] is None

    def _ended(self, job: Job, progressed: bool = False, error: StudioError | None = None) -> None:
        if job is not self.job:
            return  # a job cancelled earlier (an older edit, or paused for playback)
        self.job = None
        if error is not None or not progressed or self.full:
            # failed, stuck, or full: the frames left are rendered on demand
            self.complete = not isinstance(error, Cancelled)
            return
        self._fill()  # on to the next run of missing frames, or complete

    def _cancel(self) -> None:
        if self.job is not None:
            self.stop_job.set()
            self.job.cancel()
            self.job = None
