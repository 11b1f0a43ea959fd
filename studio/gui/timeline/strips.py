"""Thumbnail strips and waveforms for the timeline, made in the background, once per file.

`Strips.want(project)` asks for what the edit shows and is not known yet; each arrives on the
GUI thread, is decoded once into images, and `arrived` asks the canvas to repaint. A file
that fails (missing, no sound) is remembered as empty and never asked for again.
"""

from __future__ import annotations

from functools import partial

from studio.app import StudioError, thumbnails_of, waveform_of
from studio.gui.jobs import Jobs
from studio.gui.qt import QImage, QObject, Signal
from studio.io.strips import Thumbnails, Waveform
from studio.model.timeline import Project, video_clips


class Strips(QObject):
    arrived = Signal()

    def __init__(self, jobs: Jobs) -> None:
        super().__init__()
        self.jobs = jobs
        self.thumbs: dict[str, tuple[float, list[QImage]]] = {}  # path: (step, pictures)
        self.waves: dict[str, Waveform] = {}
        self.asked: set[tuple[str, str]] = set()

    def want(self, project: Project) -> None:
        for clip in video_clips(project):
            path = clip.media.path
            if ("thumbs", path) not in self.asked:
                self.asked.add(("thumbs", path))
                self.jobs.run(
                    thumbnails_of,
                    clip.media,
                    done=partial(self._thumbs, path),
                    failed=partial(self._thumbs_failed, path),
                )
        if project.music is not None:
            path = project.music.media.path
            if ("wave", path) not in self.asked:
                self.asked.add(("wave", path))
                self.jobs.run(
                    waveform_of,
                    path,
                    done=partial(self._wave, path),
                    failed=partial(self._wave_failed, path),
                )

    def settled(self) -> bool:
        """Everything asked for has arrived (or failed)."""
        known = {("thumbs", path) for path in self.thumbs} | {("wave", p) for p in self.waves}
        return self.asked <= known

    def _thumbs(self, path: str, found: Thumbnails) -> None:
        pictures = [QImage.fromData(image) for image in found.images]
        self.thumbs[path] = (found.step, pictures)
        self.arrived.emit()

    def _thumbs_failed(self, path: str, error: StudioError) -> None:
        self.thumbs[path] = (1.0, [])

    def _wave(self, path: str, found: Waveform) -> None:
        self.waves[path] = found
        self.arrived.emit()

    def _wave_failed(self, path: str, error: StudioError) -> None:
        self.waves[path] = Waveform(100, b"")
