"""Thumbnail strips and waveforms for the timeline, made in the background, once per file.

`Strips.want(project)` asks for what the edit shows and is not known yet; each arrives on the
GUI thread, is decoded once into images, and `arrived` asks the canvas to repaint. A file
that fails (missing, no sound) is remembered as empty and never asked for again.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from studio.app import StudioError, thumbnails_of, waveform_of
from studio.errors import MediaError
from studio.gui.jobs import Jobs
from studio.gui.qt import QImage, QObject, Signal
from studio.io.strips import Thumbnails, Waveform
from studio.model.timeline import MediaRef, Project, video_clips

THUMB_HEIGHT = 96  # pixels: a still picture is shown this small


def picture_of(media: MediaRef, task: object = None) -> Thumbnails:
    """A still picture's own file as its one thumbnail (read on a job thread); a plain colour
    drawn as one."""
    if media.generated:
        return Thumbnails(STILL_STEP, (_swatch(media.colour),))
    try:
        return Thumbnails(STILL_STEP, (Path(media.path).read_bytes(),))
    except OSError as error:
        raise MediaError(f"cannot read the picture: {error.strerror}", media.path) from error


STILL_STEP = 1e9  # seconds: every moment of a still shows its one picture


def _swatch(colour: str) -> bytes:
    """A small PNG of one colour."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (THUMB_HEIGHT * 9 // 16, THUMB_HEIGHT), colour).save(buffer, "PNG")
    return buffer.getvalue()


class Strips(QObject):
    arrived = Signal()

    def __init__(self, jobs: Jobs) -> None:
        super().__init__()
        self.jobs = jobs
        self.thumbs: dict[str, tuple[float, list[QImage]]] = {}  # path: (step, pictures)
        self.waves: dict[str, Waveform] = {}
        self.asked: set[tuple[str, str]] = set()

    def want(self, project: Project) -> None:
        """Ask for the thumbnails of every clip that shows a picture and the waveforms of the
        music and of every clip on an audio track."""
        pictures = [*video_clips(project)]
        pictures += [c for t in project.layers if t.kind == "video" for c in t.clips]
        for clip in pictures:
            made_by = picture_of if clip.media.still else thumbnails_of
            self._ask("thumbs", clip.media, made_by, self._thumbs, self._thumbs_failed)
        sounds = [clip.media for t in project.layers if t.kind == "audio" for clip in t.clips]
        sounds += [project.music.media] if project.music is not None else []
        for media in sounds:
            self._ask("wave", media.path, waveform_of, self._wave, self._wave_failed)

    def _ask(self, kind: str, source: Any, made_by: Any, done: Any, failed: Any) -> None:
        path = source if isinstance(source, str) else source.path
        if (kind, path) in self.asked:
            return
        self.asked.add((kind, path))
        self.jobs.run(made_by, source, done=partial(done, path), failed=partial(failed, path))

    def settled(self) -> bool:
        """Everything asked for has arrived (or failed)."""
        known = {("thumbs", path) for path in self.thumbs} | {("wave", p) for p in self.waves}
        return self.asked <= known

    def _thumbs(self, path: str, found: Thumbnails) -> None:
        pictures = [QImage.fromData(image) for image in found.images]
        pictures = [
            p.scaledToHeight(THUMB_HEIGHT) if p.height() > 2 * THUMB_HEIGHT else p for p in pictures
        ]
        self.thumbs[path] = (found.step, pictures)
        self.arrived.emit()

    def _thumbs_failed(self, path: str, error: StudioError) -> None:
        self.thumbs[path] = (1.0, [])

    def _wave(self, path: str, found: Waveform) -> None:
        self.waves[path] = found
        self.arrived.emit()

    def _wave_failed(self, path: str, error: StudioError) -> None:
        self.waves[path] = Waveform(100, b"")
