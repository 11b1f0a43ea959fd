"""Audio for analysis: decoded by the bundled ffmpeg, mono at the analysis rate, clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.analysis.audio import ANALYSIS_RATE, load_audio
from studio.errors import AnalysisError
from studio.io.runner import ffmpeg as run_ffmpeg
from tests.helpers import make_clip, media


def test_music_file_and_video_soundtrack() -> None:
    music = load_audio(media("ballroom-gtzan/Media-105901.wav"))
    assert music.rate == ANALYSIS_RATE and abs(music.seconds - 31.788) < 0.01
    assert music.samples.dtype == np.float32 and np.abs(music.samples).max() <= 1.0
    video = load_audio(media("moviepy/chaplin.mp4"))  # mp3 soundtrack of a video
    assert abs(video.seconds - 9.61) < 0.05


def test_decoded_tone_has_its_frequency(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "tone.mp4", 3)  # 440 Hz sine
    audio = load_audio(clip)
    spectrum = np.abs(np.fft.rfft(audio.samples))
    peak = np.fft.rfftfreq(len(audio.samples), 1 / audio.rate)[spectrum.argmax()]
    assert abs(peak - 440) < 2


def test_silence_short_and_missing_audio_are_clear_errors(tmp_path: Path) -> None:
    silent = tmp_path / "silent.wav"
    run_ffmpeg(["-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", "5", str(silent)])
    cases = {
        silent: "silent",
        media("madmom/stereo_chirp.wav"): "too short",
        media("moviepy/example.mp4"): "no audio stream",
        media("pymediainfo/sample.mkv"): "truncated",
        tmp_path / "missing.mp3": "not found",
    }
    for path, reason in cases.items():
        with pytest.raises(AnalysisError, match=reason):
            load_audio(path)
