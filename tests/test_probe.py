"""Probe facts on real third-party files, and one clear error for every kind of bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from studio.errors import MediaError
from studio.io.probe import frame_rate, inspect, probe
from studio.io.runner import ffmpeg as run_ffmpeg
from tests.helpers import media


def test_iphone_clip_displays_portrait() -> None:
    clip = probe(media("jsonize-ffmpeg-task/iphone_rotated.mov"))
    assert (clip.width, clip.height, clip.rotation) == (320, 568, 90)
    assert clip.has_audio and clip.audio_rate == 44100 and clip.audio_channels == 1
    assert not clip.vfr
    assert abs(float(clip.duration) - 2.2) < 0.01


def test_rotated_landscape_is_vertical_9_16() -> None:
    clip = probe(media("mediabunny/rotate-buck-bunny.mp4"))
    assert (clip.width, clip.height, clip.rotation) == (1080, 1920, 90)
    assert clip.audio_channels == 6 and clip.fps == 24


def test_android_clip_rotated_180_and_variable_rate() -> None:
    clip = probe(media("moviepy/fire2.mp4"))
    assert (clip.width, clip.height, clip.rotation) == (1280, 720, 180)
    assert clip.vfr
    assert 10 < float(clip.fps) < 11


@pytest.mark.parametrize(
    ("name", "vfr"),
    [
        ("imageio/test.webm", True),
        ("mediabunny/cursed-vfr.mp4", True),
        ("moviepy/example2.mp4", False),
        ("pyscenedetect/testvideo.mp4", False),
    ],
)
def test_variable_frame_rate_detection(name: str, vfr: bool) -> None:
    assert probe(media(name)).vfr is vfr


def test_constant_rate_in_coarse_timebase_is_not_vfr() -> None:
    # 29.97 fps in a 1/600 timebase: gaps of 20 and 21 ticks are rounding, not VFR
    times = [Fraction(round(i * 600 / 29.97), 600) for i in range(100)]
    rate, vfr = frame_rate(times, Fraction(0))
    assert not vfr and abs(float(rate) - 29.97) < 0.01


def test_delayed_start_and_no_audio() -> None:
    clip = probe(media("pyscenedetect/delayed_start.mp4"))
    assert abs(float(clip.start_time) - 1.075) < 1e-6
    assert not clip.has_audio and clip.audio_rate == 0
    assert abs(float(clip.duration) - 0.96) < 0.001  # 24 frames at 25 fps after the offset


def test_anamorphic_sar_gives_display_size() -> None:
    clip = probe(media("pyscenedetect/issue-195-aspect-ratio.mp4"))
    assert clip.sar == Fraction(16, 11)
    assert (clip.width, clip.height) == (1024, 576)  # 704x576 stored, 16:9 shown
    assert probe(media("mediabunny/sar_2x1.mp4")).width == 1280


def test_duration_when_the_header_has_none() -> None:
    clip = probe(media("moviepy/no_duration.webm"))
    assert 4.8 < float(clip.duration) < 5.1


def test_cover_art_is_not_video() -> None:
    found = inspect(media("moviepy/with-attached-pic.mp3"))
    assert found.cover_art and not found.media.has_video and found.media.has_audio
    assert [s["cover_art"] for s in found.as_json()["streams"] if s["type"] == "video"] == [True]  # type: ignore[union-attr,index]


def test_transport_stream_without_initial_keyframe_decodes() -> None:
    clip = probe(media("mediabunny/no-initial-keyframe.ts"))
    assert clip.has_video and clip.start_time > 100


def test_xhe_aac_decodes_with_the_bundled_ffmpeg() -> None:
    # Debian's ffmpeg 5.1 cannot decode xHE-AAC; the imageio-ffmpeg build (FFmpeg 9) can.
    clip = probe(media("mp4parse-rust/sine-3s-xhe-aac-44khz-mono.mp4"))
    assert clip.has_audio and not clip.has_video and float(clip.duration) == pytest.approx(3, 0.01)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("pymediainfo/sample.mkv", "truncated"),
        ("mp4parse-rust/invalid_userdata.mp4", "truncated or damaged"),
        ("SOURCES.md", "not a media file"),
    ],
)
def test_broken_files_name_file_and_reason(name: str, reason: str) -> None:
    with pytest.raises(MediaError) as caught:
        probe(media(name))
    assert reason in caught.value.reason
    assert caught.value.path is not None and caught.value.path.endswith(Path(name).name)
    assert "\n" not in caught.value.message


def test_missing_empty_folder_and_pipe(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.touch()
    fifo = tmp_path / "fifo.mp4"
    os.mkfifo(fifo)
    cases = {
        tmp_path / "nope.mp4": "not found",
        empty: "empty",
        tmp_path: "folder",
        fifo: "not a regular file",
    }
    for path, reason in cases.items():
        with pytest.raises(MediaError, match=reason):
            probe(path)


def test_corrupt_video_payload_is_undecodable(tmp_path: Path) -> None:
    """Intact container, every frame's bytes scrambled (ffmpeg's noise filter): undecodable."""
    good, bad = tmp_path / "good.mkv", tmp_path / "bad.mkv"
    lavfi = "testsrc2=size=320x240:rate=10:duration=1"
    run_ffmpeg(["-f", "lavfi", "-i", lavfi, "-c:v", "mjpeg", str(good)])
    run_ffmpeg(["-i", str(good), "-c", "copy", "-bsf:v", "noise=amount=1", str(bad)])
    assert probe(good).has_video
    with pytest.raises(MediaError, match=r"video stream \(mjpeg\) cannot be decoded"):
        probe(bad)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studio", *args], capture_output=True, encoding="utf-8", timeout=300
    )


def test_cli_probe_json_reports_good_and_bad_files_in_one_run() -> None:
    good, bad = media("jsonize-ffmpeg-task/iphone_rotated.mov"), media("pymediainfo/sample.mkv")
    done = run_cli("probe", str(good), str(bad), "--json")
    assert done.returncode == 2, done.stderr
    rows = json.loads(done.stdout)
    assert rows[0]["width"] == 320 and rows[0]["height"] == 568 and rows[0]["error"] is None
    for key in (
        "path",
        "duration",
        "width",
        "height",
        "rotation",
        "fps",
        "vfr",
        "has_audio",
        "audio_rate",
        "audio_channels",
        "start_time",
        "error",
    ):
        assert key in rows[0]
    assert [s["type"] for s in rows[0]["streams"]] == ["audio", "video"]  # audio first on iPhone
    assert rows[1]["path"] == str(bad) and "truncated" in rows[1]["error"]
    assert "Traceback" not in done.stderr


def test_cli_probe_text_exit_zero_when_all_good() -> None:
    done = run_cli("probe", str(media("moviepy/fire2.mp4")))
    assert done.returncode == 0
    assert "1280x720" in done.stdout and "rotated 180" in done.stdout and "VFR" in done.stdout


def test_studio_ffmpeg_chooses_the_binary(tmp_path: Path) -> None:
    """STUDIO_FFMPEG may name another ffmpeg; a wrong one is a clear error, not a crash."""
    from studio.io.ffmpeg_bin import ffmpeg_exe

    link = tmp_path / "my-ffmpeg"
    link.symlink_to(ffmpeg_exe())
    for value, ok in ((str(link), True), (str(tmp_path / "missing"), False)):
        done = subprocess.run(
            [sys.executable, "-m", "studio", "probe", str(media("moviepy/example.mp4"))],
            capture_output=True,
            encoding="utf-8",
            env={**os.environ, "STUDIO_FFMPEG": value},
        )
        assert (done.returncode == 0) is ok, done.stderr
        if not ok:
            assert "STUDIO_FFMPEG does not name an ffmpeg binary" in done.stdout + done.stderr
