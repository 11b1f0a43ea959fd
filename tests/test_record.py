"""Recording takes on a machine with no camera or sound card: the test source goes through the
real QtMultimedia recorder; takes have the asked length, sound and the pattern; segments join
to the sum of their lengths; a killed recording leaves a playable file; Ctrl+C keeps what was
recorded. A microphone (CI makes one from PulseAudio's null sink) records through QAudioInput,
and ffmpeg's own devices (x11grab, PulseAudio) record where QtMultimedia has none."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from studio.gui.capture.sources import BARS
from studio.io.probe import probe
from tests.helpers import all_frames, decoded_samples, frame, studio

FPS = 30


def _frames(path: Path) -> int:
    return len(all_frames(path, (36, 64)))


def test_a_take_has_the_asked_length_sound_and_pattern(tmp_path: Path) -> None:
    take = tmp_path / "take.mp4"
    done = studio("record", "-o", take, "--source", "test", "--duration", "2", "--size", "360x640")
    assert "recording" in done.stderr
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
        "record", "-o", take, "--source", "test", "--duration", "3", "--segments", "3",
        "--size", "360x640", "--no-mic",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _frames(take) == 3 * FPS and not probe(take).has_audio
    assert not list(tmp_path.glob("*.part*.mkv"))  # the parts are gone once joined


def test_a_killed_recording_leaves_a_playable_file(tmp_path: Path) -> None:
    take = tmp_path / "cut.mp4"
    argv = [sys.executable, "-m", "studio", "record", "-o", str(take), "--source", "test"]
    argv += ["--duration", "60"]
    process = subprocess.Popen([*argv, "--size", "360x640"], stderr=subprocess.DEVNULL)
    time.sleep(8)
    process.kill()  # SIGKILL; TerminateProcess on Windows
    process.wait()
    (part,) = tmp_path.glob("cut.part1.mkv")
    decoded = _frames(part)
    print(f"{decoded} frames playable after the kill")
    assert decoded >= 2 * FPS


def test_screen_recording_offscreen_makes_a_take(tmp_path: Path) -> None:
    take = tmp_path / "screen.mp4"
    done = studio("record", "-o", take, "--screen", "--duration", "2", "--no-mic")
    assert done.returncode == 0, done.stderr
    media = probe(take)
    print(f"screen take: {float(media.duration):.2f} s, {media.width}x{media.height}")
    assert media.width > 0 and abs(float(media.duration) - 2) < 0.3 and _frames(take) >= 30
    missing = studio("record", "-o", tmp_path / "x.mp4", "--screen", "7")
    assert missing.returncode == 2 and "no screen 7" in missing.stderr
    assert not (tmp_path / "x.mp4").exists()


def test_devices_lists_what_there_is(tmp_path: Path) -> None:
    done = studio("devices", "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert set(found) == {"cameras", "microphones", "screens", "ffmpeg"}
    assert found["screens"], "an offscreen screen at least"
    assert found["ffmpeg"]["input"] == {"linux": "v4l2", "darwin": "avfoundation"}.get(
        sys.platform, "dshow"
    )


def test_bad_record_options_are_refused_in_one_line(tmp_path: Path) -> None:
    for options, says in (
        (["--duration", "0"], "--duration"),
        (["--size", "10x7"], "--size"),
        (["--segments", "0"], "--segments"),
    ):
        done = studio("record", "-o", tmp_path / "x.mp4", "--source", "test", *options)
        assert done.returncode == 2 and says in done.stderr, done.stderr
    for options, says in (
        (["--source", "test", "--mic", "nothing-here"], "no microphone 'nothing-here'"),
        (["--camera", "nothing-here"], "no camera 'nothing-here'"),
        (["--camera", "--screen"], "record one source"),
        (["--camera", "nothing-here", "--backend", "ffmpeg"], "ffmpeg has no camera"),
        (["--source", "test", "--backend", "ffmpeg"], "--backend"),
    ):
        done = studio("record", "-o", tmp_path / "x.mp4", *options)
        assert done.returncode == 2 and says in done.stderr, (options, done.stderr)
        assert "Traceback" not in done.stderr
    done = studio("record", "-o", tmp_path / "x.mov")
    assert done.returncode == 2 and ".mp4" in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="a terminal's Ctrl+C is a POSIX signal here")
def test_ctrl_c_stops_and_keeps_what_was_recorded(tmp_path: Path) -> None:
    take = tmp_path / "stopped.mp4"
    argv = [sys.executable, "-m", "studio", "record", "-o", str(take), "--source", "test"]
    process = subprocess.Popen(  # as from a terminal (a test worker may ignore Ctrl+C)
        [*argv, "--duration", "60", "--size", "360x640"],
        stderr=subprocess.PIPE,
        encoding="utf-8",
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stderr is not None
    while "Ctrl+C" not in process.stderr.readline():
        pass
    time.sleep(3)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0
    frames = _frames(take)
    print(f"stopped after about 3 s: {frames} frames")
    assert 2 * FPS <= frames <= 5 * FPS and probe(take).has_audio
    assert not list(tmp_path.glob("*.mkv"))


def _microphones() -> list[str]:
    found = json.loads(studio("devices", "--json").stdout)
    return [mic["id"] for mic in found["microphones"]]


def test_a_microphone_records_through_the_recorder(tmp_path: Path) -> None:
    """The test pattern with a real QAudioInput: on CI, a PulseAudio source hearing the null
    sink (a machine without any sound server has no microphone to test)."""
    mics = _microphones()
    if not mics:
        pytest.skip("no microphone and no PulseAudio here")
    take = tmp_path / "mic.mp4"
    done = studio(
        "record", "-o", take, "--source", "test", "--mic", mics[0], "--duration", "4",
        "--size", "360x640",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    media = probe(take)
    print(f"microphone {mics[0]}: audio {media.audio_rate} Hz, {media.audio_channels} ch")
    assert media.has_audio and _frames(take) == 4 * FPS
    assert decoded_samples(take) > 0


def test_ffmpeg_devices_record_a_screen_with_sound(tmp_path: Path) -> None:
    """ffmpeg's own capture (x11grab, and PulseAudio) where QtMultimedia has no device: an X
    server (Xvfb, as CI starts one) is recorded for 2 s, then again with the microphone (CI's
    loopback source stamps its sound up to 2 s early, so only its presence is checked)."""
    import shutil

    if shutil.which("Xvfb") is None or not sys.platform.startswith("linux"):
        pytest.skip("needs Xvfb (CI installs it)")
    server = subprocess.Popen(  # it picks a free display and says which once it is ready
        ["Xvfb", "-displayfd", "1", "-screen", "0", "640x360x24"],
        stdout=subprocess.PIPE,
        encoding="utf-8",
    )
    try:
        assert server.stdout is not None
        display = ":" + server.stdout.readline().strip()
        silent = _grab(tmp_path / "x11.mp4", display, "--no-mic")
        heard = _grab(tmp_path / "x11-mic.mp4", display) if _microphones() else None
    finally:
        server.terminate()
    media = probe(silent)
    print(f"x11grab take: {float(media.duration):.2f} s {media.width}x{media.height}")
    assert (media.width, media.height) == (640, 360) and not media.has_audio
    pictures = all_frames(silent, (64, 36))
    assert len(pictures) == 60 and pictures.mean() < 10  # Xvfb's empty root window is black
    assert heard is None or probe(heard).has_audio


def _grab(take: Path, display: str, *options: str) -> Path:
    import os

    argv = [sys.executable, "-m", "studio", "record", "-o", str(take), "--screen", display]
    done = subprocess.run(
        [*argv, "--backend", "ffmpeg", "--duration", "2", *options],
        env={**os.environ, "DISPLAY": display}, capture_output=True, encoding="utf-8", timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return take


def test_ffmpeg_capture_inputs_for_each_platform() -> None:
    from studio.io.capture import Devices, capture_inputs

    linux = Devices("v4l2", ("/dev/video0",), ("default",), (":0",))
    assert capture_inputs(linux, "/dev/video0", None, "default", (1280, 720), 30) == [
        "-f", "v4l2", "-thread_queue_size", "512", "-framerate", "30", "-video_size", "1280x720",
        "-i", "/dev/video0", "-thread_queue_size", "512", "-f", "pulse", "-i", "default",
    ]  # fmt: skip
    assert capture_inputs(linux, None, ":0", None, (1280, 720), 30)[-2:] == ["-i", ":0"]
    mac = Devices("avfoundation", ("FaceTime HD Camera",), ("Mic",), ("Capture screen 0",))
    assert capture_inputs(mac, "FaceTime HD Camera", None, "Mic", (1280, 720), 30)[-1] == (
        "FaceTime HD Camera:Mic"
    )
    assert capture_inputs(mac, None, "Capture screen 0", None, (1280, 720), 30)[-1] == (
        "Capture screen 0:none"
    )
    windows = Devices("dshow", ("Integrated Camera",), ("Microphone",), ("desktop",))
    assert capture_inputs(windows, "Integrated Camera", None, "Microphone", (640, 480), 30)[-1] == (
        "video=Integrated Camera:audio=Microphone"
    )
    assert capture_inputs(windows, None, "desktop", "Microphone", (640, 480), 30) == [
        "-f", "gdigrab", "-thread_queue_size", "512", "-framerate", "30", "-i", "desktop",
        "-thread_queue_size", "512", "-f", "dshow", "-i", "audio=Microphone",
    ]  # fmt: skip
