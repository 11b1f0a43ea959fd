"""Playback commands: golden argv, and real pipes that carry the right frames and sound."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.app.playback import frame_count, playback, still_frames
from studio.errors import RenderError
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.jpeg import jpeg_images
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.timeline import Project
from studio.render.plan import Frame, make_plan
from studio.render.playback import playback_commands
from tests.factories import project, sample_project
from tests.helpers import make_clip
from tests.test_command import _check_golden


def _preview_plan(edit: Project) -> object:
    return make_plan(edit, Frame(540, 960, edit.canvas.fps), Path("/cache/images"))


def test_playback_argv_matches_golden() -> None:
    edit = sample_project()
    commands = playback_commands(edit, _preview_plan(edit), 80)  # type: ignore[arg-type]
    _check_golden("playback_video.json", commands.video)
    _check_golden("playback_audio.json", commands.audio)
    assert (commands.start, commands.frames, commands.frame_bytes) == (80, 115, 540 * 960 * 4)


def test_a_seek_decodes_only_from_the_clip_holding_the_frame() -> None:
    edit = sample_project()  # slots of 75, 60 and 60 frames
    late = playback_commands(edit, _preview_plan(edit), 150)  # type: ignore[arg-type]
    early = playback_commands(edit, _preview_plan(edit), 10)  # type: ignore[arg-type]
    assert late.video.count("-i") == 1 and early.video.count("-i") > 1
    assert "trim=start_frame=15" in " ".join(late.video)


def test_a_frame_outside_the_edit_is_refused() -> None:
    edit = sample_project()
    with pytest.raises(RenderError, match="outside the edit"):
        playback_commands(edit, _preview_plan(edit), 195)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def red_then_blue(tmp_path_factory: pytest.TempPathFactory) -> Project:
    folder = tmp_path_factory.mktemp("playback")
    red = probe(make_clip(folder / "red.mp4", 1, source="color=c=red"))
    blue = probe(make_clip(folder / "blue.mp4", 1, source="color=c=blue", audio=False))
    return project(clip_of(red), clip_of(blue))


def _pipe(argv: list[str]) -> bytes:
    return subprocess.run(argv, capture_output=True, check=True, timeout=60).stdout


def _colour_at(pictures: bytes, index: int, size: int) -> tuple[int, ...]:
    frame = np.frombuffer(pictures[index * size : (index + 1) * size], np.uint8)
    b, g, r, _ = frame.reshape(960, 540, 4)[480, 270]
    return int(r), int(g), int(b)


def test_pipes_carry_the_edit_from_the_start_frame(red_then_blue: Project) -> None:
    assert frame_count(red_then_blue) == 60
    commands = playback(red_then_blue, 15)
    assert commands.video[0] == ffmpeg_exe()
    pictures, sound = _pipe(commands.video), _pipe(commands.audio)
    assert len(pictures) == 45 * commands.frame_bytes
    red, blue = (
        _colour_at(pictures, 0, commands.frame_bytes),
        _colour_at(pictures, 15, commands.frame_bytes),
    )
    assert red[0] > 200 and red[2] < 40 and blue[2] > 200 and blue[0] < 40
    samples = np.frombuffer(sound, np.int16).reshape(-1, 2)
    assert len(samples) == 72000  # 1.5 s at 48 kHz: the sound starts at the same frame
    tone, silence = samples[:23000], samples[25000:]
    assert np.abs(tone).max() > 3000 and np.abs(silence).max() == 0


def test_pipes_from_a_later_clip_start_there(red_then_blue: Project) -> None:
    commands = playback(red_then_blue, 40)
    pictures = _pipe(commands.video)
    assert len(pictures) == 20 * commands.frame_bytes
    assert _colour_at(pictures, 0, commands.frame_bytes)[2] > 200
    assert commands.start == 40 and Fraction(commands.frames, commands.fps) == Fraction(2, 3)


def test_still_frames_are_whole_jpegs_of_the_edit(red_then_blue: Project) -> None:
    from studio.gui.qt import QImage

    images: list[bytes] = []
    handed = still_frames(red_then_blue, 10, lambda image: images.append(image) or True)
    assert handed == len(images) == 50
    first, last = QImage.fromData(images[0]), QImage.fromData(images[-1])
    assert (first.width(), first.height()) == (540, 960)
    red, blue = first.pixelColor(270, 480), last.pixelColor(270, 480)
    assert red.red() > 200 and red.blue() < 40 and blue.blue() > 200 and blue.red() < 40


def test_still_frames_stop_when_told(red_then_blue: Project) -> None:
    images: list[bytes] = []

    def keep_five(image: bytes) -> bool:
        images.append(image)
        return len(images) < 5

    assert still_frames(red_then_blue, 0, keep_five) == len(images) == 5


def test_jpeg_images_split_on_markers_not_on_stray_bytes() -> None:
    import io

    header = b"\xff\xd8" + b"\xff\xdb\x00\x05\xff\xd9\x01"  # a table whose bytes hold FF D9
    scan = b"\xff\xda\x00\x02" + b"\x12\xff\x00\x34\xff\xd3\x56"  # stuffing and a restart
    image = header + scan + b"\xff\xd9"
    stream = io.BufferedReader(io.BytesIO(image * 3 + image[:7]))  # a cut-off fourth image
    assert list(jpeg_images(stream)) == [image] * 3


def test_a_duet_plays_both_sides(tmp_path: Path) -> None:
    from studio.app import DuetRequest, make_duet

    red = make_clip(tmp_path / "red.mp4", 2, source="color=c=red", size="360x640")
    blue = make_clip(tmp_path / "blue.mp4", 2, source="color=c=blue", size="360x640")
    duet = make_duet(DuetRequest(red, blue)).project
    commands = playback(duet, 30)
    pictures = _pipe(commands.video)
    assert len(pictures) == 30 * commands.frame_bytes
    frame = np.frombuffer(pictures[: commands.frame_bytes], np.uint8).reshape(960, 540, 4)
    left, right = frame[480, 135], frame[480, 405]  # bgra
    assert left[2] > 200 and left[0] < 40 and right[0] > 200 and right[2] < 40
    assert len(_pipe(commands.audio)) == 48000 * 4  # the second second of sound


def test_a_muted_main_track_plays_no_sound_of_its_clips(red_then_blue: Project) -> None:
    muted = replace(red_then_blue, main=replace(red_then_blue.main, muted=True))
    sound = np.frombuffer(_pipe(playback(muted, 0).audio), np.int16)
    assert len(sound) == 2 * 96000 and np.abs(sound).max() == 0  # the red clip's tone is gone


def test_a_hidden_overlay_track_shows_the_picture_under_it(red_then_blue: Project) -> None:
    from studio.model import arrange

    blue = red_then_blue.main.clips[1]
    over = arrange.place(red_then_blue, replace(blue, id="over"), Fraction(0))[0]
    track = over.layers[0].id
    for hidden, colour in ((False, 2), (True, 0)):  # blue over the red clip, or the red itself
        shown = arrange.set_track_switch(over, track, "hidden", hidden)
        commands = playback(shown, 0)
        frame = _pipe([*commands.video[:-1], "-frames:v", "1", commands.video[-1]])
        assert _colour_at(frame, 0, commands.frame_bytes)[colour] > 200
