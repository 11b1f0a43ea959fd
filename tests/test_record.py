"""Recording takes on a machine with no camera or sound card: the test source goes through the
real QtMultimedia recorder; takes have the asked length, sound and the pattern; segments join
to the sum of their lengths; a killed recording leaves a playable file."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from studio.gui.capture.recorder import BARS
from studio.io.probe import probe
from tests.helpers import decoded_samples, frame, studio

FPS = 30


def _frames(path: Path) -> int:
    from tests.helpers import all_frames

    return len(all_frames(path, (36, 64)))


def test_a_take_has_the_asked_length_sound_and_pattern(tmp_path: Path) -> None:
    take = tmp_path / "take.mp4"
    done = studio("record", "-o", take, "--source", "test", "--duration", "2", "--size", "360x640")
    assert done.returncode == 0, done.stderr
    media = probe(take)
    assert (media.width, media.height, media.has_audio) == (360, 640, True)
    assert _frames(take) == 2 * FPS  # exactly the frames asked (within a frame)
    assert abs(decoded_samples(take) / 48000 - 2.0) < 1 / FPS
    picture = frame(take, 10)
    stripe = 360 / len(BARS)
    for number, colour in enumerate(BARS):  # the bars, read at their middles, top of frame
        seen = picture[20, int((number + 0.5) * stripe)].astype(int)
        assert np.abs(seen - np.array(colour)).max() < 40, (number, seen)


def test_segments_join_to_the_sum_of_their_lengths(tmp_path: Path) -> None:
    take = tmp_path / "three.mp4"
    done = studio(
        "record", "-o", take, "--duration", "3", "--segments", "3", "--size", "360x640", "--no-mic"
    )
    assert done.returncode == 0, done.stderr
    assert _frames(take) == 3 * FPS and not probe(take).has_audio
    assert not list(tmp_path.glob("*.part*.mkv"))  # the parts are gone once joined


def test_a_killed_recording_leaves_a_playable_file(tmp_path: Path) -> None:
    take = tmp_path / "cut.mp4"
    argv = [sys.executable, "-m", "studio", "record", "-o", str(take), "--duration", "60"]
    process = subprocess.Popen([*argv, "--size", "360x640"], stderr=subprocess.DEVNULL)
    time.sleep(8)
    process.send_signal(signal.SIGKILL)
    process.wait()
    (part,) = tmp_path.glob("cut.part1.mkv")
    decoded = _frames(part)
    print(f"{decoded} frames playable after the kill")
    assert decoded >= 2 * FPS


def test_screen_recording_offscreen_makes_a_take(tmp_path: Path) -> None:
    take = tmp_path / "screen.mp4"
    done = studio("record", "-o", take, "--source", "screen", "--duration", "2")
    assert done.returncode == 0, done.stderr
    media = probe(take)
    print(f"screen take: {float(media.duration):.2f} s, {media.width}x{media.height}")
    assert media.width > 0 and abs(float(media.duration) - 2) < 0.3 and _frames(take) >= 30
    missing = studio("record", "-o", tmp_path / "x.mp4", "--source", "screen", "--screen", "7")
    assert missing.returncode == 2 and "no screen 7" in missing.stderr


def test_devices_lists_what_there_is(tmp_path: Path) -> None:
    done = studio("devices", "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert set(found) == {"cameras", "microphones", "screens"}
    assert found["screens"], "an offscreen screen at least"


def test_bad_record_options_are_refused_in_one_line(tmp_path: Path) -> None:
    for options, says in (
        (["--duration", "0"], "--duration"),
        (["--size", "10x7"], "--size"),
        (["--segments", "0"], "--segments"),
    ):
        done = studio("record", "-o", tmp_path / "x.mp4", *options)
        assert done.returncode == 2 and says in done.stderr, done.stderr
    done = studio("record", "-o", tmp_path / "x.mov")
    assert done.returncode == 2 and ".mp4" in done.stderr
