"""Thumbnail strips and waveforms: made right (orientation, sparse keyframes, peaks where the
sound is), cached, and painted on the timeline's tracks."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from studio.errors import MediaError
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from studio.io.strips import PEAKS_PER_SECOND, THUMB_HEIGHT, thumbnails, waveform
from studio.model.edits import clip_of
from studio.model.timeline import MusicTrack
from tests.factories import project
from tests.helpers import make_clip
from tests.music import click_track, write_wav


def _picture(data: bytes) -> Any:
    from studio.gui.qt import QImage

    return QImage.fromData(data)


def test_thumbnails_are_one_a_second_and_upright(tmp_path: Path) -> None:
    flat = make_clip(tmp_path / "flat.mp4", 3, size="320x180")
    turned = tmp_path / "turned.mp4"
    argv = [ffmpeg_exe(), "-v", "error", "-display_rotation", "90", "-i", str(flat)]
    subprocess.run([*argv, "-c", "copy", str(turned)], check=True)
    media = probe(turned)
    assert media.rotation in (90, 270)
    strip = thumbnails(media)
    assert len(strip.images) == 3 and strip.step == 1.0
    first = _picture(strip.images[0])
    assert first.height() == THUMB_HEIGHT and first.width() == 36  # shown as the phone shows it
    assert strip.at(1.5) == strip.images[1] and strip.at(99) == strip.images[-1]
    assert thumbnails(media) == strip  # from the cache the second time


def test_a_file_with_one_keyframe_still_gets_a_full_strip(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "long_gop.mp4", 4, extra=["-g", "1000"])
    assert len(thumbnails(probe(clip)).images) == 4


def test_waveform_peaks_sit_on_the_sound(tmp_path: Path) -> None:
    samples, clicks = click_track(120, 4)
    song = write_wav(tmp_path / "clicks.wav", samples)
    wave = waveform(str(song))
    assert wave.per_second == PEAKS_PER_SECOND and len(wave.peaks) == 400
    for at in clicks[:-1]:  # clicks every 0.5 s
        assert max(wave.peaks[int(at * 100) : int(at * 100) + 3]) > 100
        assert max(wave.peaks[int(at * 100) + 25 : int(at * 100) + 45]) < 10  # between clicks


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="not found"):
        waveform(str(tmp_path / "gone.wav"))


def test_the_timeline_paints_thumbnails_and_the_waveform(qtbot: Any, tmp_path: Path) -> None:
    from studio.gui.document import Document
    from studio.gui.jobs import Jobs
    from studio.gui.main_window import MainWindow
    from studio.gui.timeline.canvas import COLORS
    from studio.gui.timeline.geometry import MUSIC, RULER, VIDEO, Scale

    red = clip_of(probe(make_clip(tmp_path / "red.mp4", 2, source="color=c=red")))
    song = probe(write_wav(tmp_path / "clicks.wav", click_track(120, 4)[0]))
    edit = project(red, music=MusicTrack(song))
    window = MainWindow(Document(edit), Jobs())
    qtbot.addWidget(window)
    window.timeline.resize(800, RULER + VIDEO + MUSIC)
    window.timeline.scale = Scale(100.0)
    qtbot.waitUntil(window.strips.settled, timeout=30000)
    image = window.timeline.grab().toImage()
    thumb = image.pixelColor(50, RULER + VIDEO - 12)
    assert thumb.red() > 200 and thumb.green() < 60  # the red clip's own picture
    middle = RULER + VIDEO + MUSIC // 2
    wave = COLORS["wave"].getRgb()[:3]
    column = [image.pixelColor(x, middle).getRgb()[:3] for x in range(0, 200)]
    assert column.count(wave) > 5  # drawn around the clicks (at 0.3 s, 0.8 s, ...)
    assert window.bin.item(0).icon().isNull() is False  # the bin shows the first thumbnail
