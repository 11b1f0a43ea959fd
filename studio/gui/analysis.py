"""Analysis passes the effects need (the person mask of a clip that replaces its background,
face and skin masks, the subject's path for a follow crop, a sound with noise reduced), run in
the background as soon as an effect is chosen, with progress in the status line; when one is
ready the preview is rendered again with the effect in place, and a follow crop's keys are
handed over to be put into the project."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from studio.analysis.denoise import clip_cleaned, denoised_clips
from studio.analysis.faces import face_mask, skin_mask
from studio.analysis.people import masked_clips, person_mask
from studio.analysis.reframe import follow_keys
from studio.analysis.slow import slow_render
from studio.analysis.stickers import sticker_layer
from studio.app import Progress, StudioError
from studio.gui.jobs import Jobs
from studio.gui.qt import QObject, Signal
from studio.model.timeline import Clip, Project, video_clips

Key = tuple[object, ...]


def mask_key(clip: Clip, fps: int) -> Key:
    return (clip.media.path, str(clip.source_in), str(clip.source_out), clip.pace, fps)


class Analyses(QObject):
    progressed = Signal(str)  # a status line
    fraction = Signal(float)  # how far the running analyses are (0..1); -1 when none runs
    ready = Signal()  # a mask was made: the preview should show the effect now
    followed = Signal(str, object)  # clip id, the focus keys found for its follow crop

    def __init__(self, jobs: Jobs) -> None:
        super().__init__()
        self.jobs = jobs
        self.asked: set[Key] = set()
        self.running: set[Key] = set()

    def want(self, project: Project) -> None:
        fps = project.canvas.fps
        for _, clip in masked_clips(project):
            self._run(person_mask, clip, fps, ("person", *mask_key(clip, fps)))
        for clip in video_clips(project):
            if clip.faces is not None:
                faces = ("faces", clip.faces.which, *mask_key(clip, fps))
                self._run(face_mask, clip, fps, faces)
            if clip.beauty > 0:
                self._run(skin_mask, clip, fps, ("skin", *mask_key(clip, fps)))
            if clip.frame_effects:
                slow = ("slow", clip.frame_effects, *mask_key(clip, fps))
                self._run(slow_render, clip, fps, slow)
            if clip.sticker is not None:
                sticker = ("sticker", clip.sticker, *mask_key(clip, fps))
                self._run(sticker_layer, clip, fps, sticker)
            if clip.fit.mode == "follow" and not clip.fit.keys and clip in project.main.clips:
                key = ("follow", project.canvas.width, project.canvas.height, *mask_key(clip, fps))
                self._run(follow_keys, clip, project.canvas, key, clip.id)
        for clip in denoised_clips(project):  # sound: on any track
            self._run(clip_cleaned, clip, fps, ("denoise", clip.media.path, clip.denoise))

    def _run(
        self, make: Callable[..., object], clip: Clip, rate: object, key: Key, clip_id: str = ""
    ) -> None:
        if key in self.asked:
            return
        self.asked.add(key)
        self.running.add(key)
        name = clip.media.name
        self.jobs.run(
            make,
            clip,
            rate,
            done=partial(self._done, key, clip_id),
            failed=partial(self._failed, key, name),
            progress=partial(self._progress, name),
        )

    def _idle(self) -> None:
        if not self.running:
            self.fraction.emit(-1.0)

    @property
    def busy(self) -> bool:
        return bool(self.running)

    def _progress(self, name: str, progress: Progress) -> None:
        what = progress.message or "analysing"
        self.progressed.emit(f"{what} in {name}: {progress.fraction:.0%}")
        self.fraction.emit(progress.fraction)

    def _done(self, key: Key, clip_id: str, found: object) -> None:
        self.running.discard(key)
        self._idle()
        self.progressed.emit("analysis done: the effects are in the preview")
        if clip_id:  # asked again later (from the cache) if these keys are undone
            self.asked.discard(key)
            self.followed.emit(clip_id, found)
        self.ready.emit()

    def _failed(self, key: Key, name: str, error: StudioError) -> None:
        self.running.discard(key)
        self._idle()
        self.progressed.emit(f"{name}: {error.message}")
