"""Noise reduction: read speech with white noise added at 10 dB SNR comes out at least 6 dB
cleaner (SNR against the clean speech), the strength sets how much noise goes, and a clip with
noise reduction plays its cleaned sound in the edit."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np

from studio.analysis.denoise import cleaned
from studio.app.layers import add_sound
from studio.app.playback import playback
from studio.io.project_file import load_project, save_project
from studio.model.clip import Clip, colour_media
from studio.model.timeline import Project, Track
from tests.helpers import media, mono_sound, studio, write_wav

RATE = 16000
SPEECH = ("people/whisper/jfk.flac", "people/lipnet-grid/bbaf2n.mpg")  # read speech


def _noisy(name: str, folder: Path, snr_db: float = 10.0) -> tuple[np.ndarray, Path]:
    clean = mono_sound(media(name), RATE)
    clean = clean * (0.4 / np.abs(clean).max())  # room for the noise: no sample clips
    noise = np.random.default_rng(1).standard_normal(len(clean))
    noise *= np.sqrt(np.mean(clean**2) / np.mean(noise**2) / 10 ** (snr_db / 10))
    return clean, write_wav(folder / f"{Path(name).stem}-noisy.wav", clean + noise, RATE)


def _snr(clean: np.ndarray, found: np.ndarray) -> float:
    n = min(len(clean), len(found))
    return float(10 * np.log10(np.sum(clean[:n] ** 2) / np.sum((found[:n] - clean[:n]) ** 2)))


def test_speech_in_white_noise_comes_out_6_db_cleaner(tmp_path: Path) -> None:
    for name in SPEECH:
        clean, noisy = _noisy(name, tmp_path)
        out = cleaned(noisy, 1.0)
        before, after = _snr(clean, mono_sound(noisy, RATE)), _snr(clean, mono_sound(out, RATE))
        print(f"{name}: SNR {before:.2f} -> {after:.2f} dB")
        assert after - before >= 6.0


def test_strength_sets_how_much_goes_and_the_result_is_cached(tmp_path: Path) -> None:
    noisy = _noisy("people/whisper/jfk.flac", tmp_path)[1]
    gentle, strong = cleaned(noisy, 0.3), cleaned(noisy, 1.0)
    pause = slice(0, int(0.25 * RATE))  # before the first word: noise only
    levels = [np.sqrt(np.mean(mono_sound(p, RATE)[pause] ** 2)) for p in (noisy, gentle, strong)]
    assert levels[0] > levels[1] > levels[2], levels
    assert cleaned(noisy, 1.0).stat().st_mtime_ns == strong.stat().st_mtime_ns


def test_a_clip_with_noise_reduction_plays_its_cleaned_sound(tmp_path: Path) -> None:
    _, noisy = _noisy("people/whisper/jfk.flac", tmp_path)
    path = tmp_path / "voice.studio.json"
    backdrop = Clip(colour_media("#303030"), Fraction(0), Fraction(4))
    save_project(Project(main=Track((backdrop,))), path)
    placed = add_sound(path, noisy, Fraction(0), "voice")
    quiet = slice(int(0.02 * 48000), int(0.25 * 48000))
    before = _pause_level(load_project(path), quiet)
    done = studio("set", path, placed.id, "--denoise", "0.9")
    assert done.returncode == 0, done.stderr
    from studio.analysis.denoise import cleaned_sounds

    project = load_project(path)
    cleaned_sounds(project)  # what an export makes first
    after = _pause_level(project, quiet)
    print(f"noise in the pause: {before:.1f} -> {after:.1f} dB")
    assert after < before - 10


def _pause_level(project: Project, part: slice) -> float:
    pcm = subprocess.run(playback(project, 0).audio, capture_output=True, check=True).stdout
    sound = np.frombuffer(pcm, "<i2").reshape(-1, 2).mean(axis=1) / 32768
    return float(20 * np.log10(np.sqrt(np.mean(sound[part] ** 2))))
