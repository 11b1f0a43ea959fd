"""Scrubbing right after an edit: the clicked frame is the export's own picture, made quickly.

Raw pixels instead of a PNG, a transition's frame made from its two clips alone, the preview's
own worker that no other background work queues in front of, and the scrub cache holding still
while a clicked frame renders. Timings are the benchmark's (benchmarks/app_preview.py); these
check the pictures and the order of work.
"""

from __future__ import annotations

import io
import subprocess
import threading
from dataclasses import replace
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from PIL import Image

from studio.app.playback import playback
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.effects import Look
from studio.model.timeline import Canvas, Clip, Project, Track, Transition
from studio.render.frame import Picture, render_frame, render_picture
from studio.render.proxy import with_proxies
from tests.helpers import make_clip

SIZE = (108, 192)


@pytest.fixture(scope="module")
def moving(tmp_path_factory: pytest.TempPathFactory) -> tuple[Clip, Clip, Clip]:
    """Three clips of 1.5 s (read from 0.5 s of 2 s files) whose every frame differs."""
    folder = tmp_path_factory.mktemp("scrub")
    sources = ("testsrc2", "testsrc", "smptehdbars")
    clips = []
    for index, source in enumerate(sources):
        path = make_clip(folder / f"{index}.mp4", 2, source=source, extra=["-vf", "hue=h=t*90"])
        clips.append(replace(clip_of(probe(path)), source_in=Fraction(1, 2)))
    return clips[0], clips[1], clips[2]


def _rgb(picture: Picture) -> np.ndarray:
    pixels = np.frombuffer(picture.pixels, np.uint8).reshape(picture.height, picture.width, 4)
    return pixels[:, :, [2, 1, 0]].astype(int)


def _png(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def _streamed(project: Project) -> list[np.ndarray]:
    """Every frame of the edit as playback streams it (one graph, the export's), from the
    preview proxies as the preview's frames are."""
    with_proxies(project)  # made now: playback reads those made already
    commands = playback(project, 0, SIZE)
    out = subprocess.run(commands.video, capture_output=True, check=True, timeout=120).stdout
    size = commands.frame_bytes
    frames = [out[i : i + size] for i in range(0, len(out), size)]
    width, height = commands.width, commands.height
    return [_rgb(Picture(width, height, frame)) for frame in frames]


def test_raw_pixels_are_the_png_pixels(moving: tuple[Clip, Clip, Clip]) -> None:
    edit = Project(Canvas(fps=30), Track(moving[:2]))
    for at in (Fraction(0), Fraction(7, 10), Fraction(19, 10)):
        png = render_frame(edit, at, SIZE, proxies=True)
        picture = render_picture(edit, at, SIZE)
        assert (picture.width, picture.height) == SIZE
        assert np.array_equal(_rgb(picture), _png(png)), at


@pytest.mark.parametrize(
    ("kind", "ease"), [("dissolve", "linear"), ("zoom-out", "in-out"), ("slide-up", "in")]
)
def test_every_transition_frame_is_the_streamed_edits_frame(
    moving: tuple[Clip, Clip, Clip], kind: str, ease: Any
) -> None:
    first, second, third = moving
    looked = second.with_effect(Look("noir"))
    items = (first, Transition(kind, Fraction(2, 5), ease), looked, Transition("wipe-left"), third)
    edit = Project(Canvas(fps=30), Track(items))
    frames = _streamed(edit)
    for index in [*range(38, 52), *range(82, 99)]:  # both transitions, and a frame either side
        picture = render_picture(edit, Fraction(index, 30), SIZE)
        assert np.array_equal(_rgb(picture), frames[index]), index


def test_a_side_the_seek_cannot_read_is_made_from_the_whole_run(
    moving: tuple[Clip, Clip, Clip],
) -> None:
    """The clip before the transition says its file is longer than it is: the frames past its
    real end are held by the export; the seek finds nothing there, and the run is read."""
    first, second, _ = moving
    longer = replace(first, media=replace(first.media, duration=Fraction(10)))
    edit = Project(Canvas(fps=30), Track((longer, Transition("dissolve", Fraction(2, 5)), second)))
    frames = _streamed(edit)
    for index in (43, 45, 50):
        picture = render_picture(edit, Fraction(index, 30), SIZE)
        assert np.array_equal(_rgb(picture), frames[index]), index


def test_a_clicked_frame_does_not_wait_for_the_shared_pool(
    qtbot: Any, moving: tuple[Clip, Clip, Clip]
) -> None:
    from studio.gui.jobs import Jobs
    from studio.gui.preview import FramePreview

    jobs = Jobs()
    preview = FramePreview(jobs)
    qtbot.addWidget(preview)
    release = threading.Event()
    busy = [jobs.run(lambda task: release.wait(60)) for _ in range(4)]  # tiles, strips...
    try:
        edit = Project(Canvas(fps=30), Track(moving[:1]))
        with qtbot.waitSignal(preview.shown, timeout=30000):
            preview.show_time(edit, Fraction(1, 2))
        assert all(job.running for job in busy)
    finally:
        release.set()
        jobs.wait()


def test_the_scrub_cache_holds_still_while_a_frame_renders(
    qtbot: Any, moving: tuple[Clip, Clip, Clip]
) -> None:
    from studio.gui.jobs import Jobs
    from studio.gui.scrub import ScrubCache

    cache = ScrubCache(Jobs())
    cache.timer.setInterval(0)
    cache.hold()
    cache.set_project(Project(Canvas(fps=30), Track(moving)))
    qtbot.waitUntil(lambda: cache.job is not None, timeout=10000)
    qtbot.wait(1500)  # the job started: it stores at most the frame it was holding
    assert sum(frame is not None for frame in cache.frames) <= 1
    cache.release()
    qtbot.waitUntil(lambda: cache.complete, timeout=60000)
    assert None not in cache.frames and len(cache.frames) == 135


def test_a_frame_shown_from_its_pixels_keeps_them() -> None:
    from studio.gui.preview import as_image

    pixels = bytes([10, 20, 30, 255]) * 6
    image = as_image(Picture(3, 2, pixels))
    del pixels
    colour = image.pixelColor(2, 1)
    assert (colour.red(), colour.green(), colour.blue()) == (30, 20, 10)
