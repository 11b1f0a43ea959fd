"""Voice effects on a sound item: chipmunk and deep move the pitch by their ratio and keep the
length, robot buzzes at its frame rate, echo repeats, radio and megaphone keep their band,
and nothing clips; in an export and from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import ffmpeg
import numpy as np
import pytest

from studio.io.ffmpeg_bin import ffmpeg_exe, ffmpeg_path_arg
from studio.render.voice import PITCH, VOICE_EFFECTS, with_voice
from tests.helpers import media, write_wav

RATE = 48000
VOICE = media("people/whisper/jfk.flac")  # a man speaking, 11 s


def _voice_like(path: Path, f0: float = 200.0, seconds: float = 2.0) -> Path:
    """A vowel-like tone: f0 and its harmonics falling off, as loud as full scale allows."""
    t = np.arange(int(RATE * seconds)) / RATE
    sound = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 12))
    return _wav(path, 0.99 * sound / np.abs(sound).max())


def _wav(path: Path, sound: np.ndarray) -> Path:
    return write_wav(path, sound, RATE)


def _through(source: Path, effect: str, tmp_path: Path) -> np.ndarray:
    """The file's sound through the effect's filters, as mono float samples."""
    audio = ffmpeg.input(ffmpeg_path_arg(source)).audio.filter("aresample", RATE)
    out = tmp_path / f"{effect or 'none'}.raw"
    command = ffmpeg.output(with_voice(audio, effect), str(out), f="f32le", ac=1, ar=RATE)
    subprocess.run(ffmpeg.compile(command, cmd=ffmpeg_exe(), overwrite_output=True),
                   check=True, capture_output=True)  # fmt: skip
    return np.fromfile(out, dtype="<f4")


def _noise(path: Path, seconds: float = 2.0) -> Path:
    samples = np.random.default_rng(1).standard_normal(int(RATE * seconds))
    return _wav(path, 0.5 * samples / np.abs(samples).max())


def _fundamental(sound: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(sound * np.hanning(len(sound))))
    freqs = np.fft.rfftfreq(len(sound), 1 / RATE)
    band = (freqs > 60) & (freqs < 600)
    return float(freqs[band][np.argmax(spectrum[band])])


def _band_share(sound: np.ndarray, low: float, high: float) -> float:
    power = np.abs(np.fft.rfft(sound)) ** 2
    freqs = np.fft.rfftfreq(len(sound), 1 / RATE)
    return float(power[(freqs >= low) & (freqs <= high)].sum() / power.sum())


def _echoes(sound: np.ndarray, lag: float) -> float:
    """How much the sound resembles itself `lag` seconds later (0..1)."""
    shift = int(RATE * lag)
    a, b = sound[:-shift], sound[shift:]
    return float(np.dot(a, b) / np.sqrt(np.dot(a, a) * np.dot(b, b)))


@pytest.mark.parametrize("effect", sorted(PITCH))
def test_chipmunk_and_deep_move_the_pitch_by_their_ratio_and_keep_the_length(
    effect: str, tmp_path: Path
) -> None:
    source = _voice_like(tmp_path / "tone.wav")
    plain, moved = _through(source, "", tmp_path), _through(source, effect, tmp_path)
    ratio = _fundamental(moved) / _fundamental(plain)
    assert abs(ratio - PITCH[effect]) < 0.03, ratio
    assert abs(len(moved) - len(plain)) < RATE * 0.05  # the words keep their timing


def test_every_effect_changes_the_sound_as_named_and_none_clips(tmp_path: Path) -> None:
    plain = _through(VOICE, "", tmp_path)
    made = {effect: _through(VOICE, effect, tmp_path) for effect in VOICE_EFFECTS}
    for effect, sound in made.items():
        assert np.abs(sound).max() < 1.0, effect  # no clipping, even from a loud voice
    hop = 512 * 0.25 / RATE  # the robot's frame step: it buzzes at that rate
    assert _echoes(made["robot"], hop) > _echoes(plain, hop) + 0.2
    assert _echoes(made["echo"], 0.06) > _echoes(plain, 0.06) + 0.1
    noise = _noise(tmp_path / "noise.wav")  # every frequency: what a band keeps shows
    hiss = {effect: _through(noise, effect, tmp_path) for effect in ("", "radio", "megaphone")}
    assert _band_share(hiss[""], 300, 3400) < 0.2 and _band_share(hiss[""], 6000, RATE / 2) > 0.5
    for effect, (kept, above) in {"radio": (0.85, 0.01), "megaphone": (0.7, 0.05)}.items():
        assert _band_share(hiss[effect], 300, 3400) > kept, effect  # the telephone band
        assert _band_share(hiss[effect], 6000, RATE / 2) < above, effect
        assert _band_share(hiss[effect], 0, 150) < 0.001, effect


def test_the_command_line_sets_and_removes_a_voice_effect(tmp_path: Path) -> None:
    from studio.io.project_file import load_project

    studio = [sys.executable, "-m", "studio"]
    project = tmp_path / "v.studio.json"
    demo = Path(__file__).resolve().parents[1] / "studio" / "assets" / "demo"
    subprocess.run([*studio, "new", str(project), str(demo / "waves.mp4")], check=True,
                   capture_output=True)  # fmt: skip
    tone = _voice_like(tmp_path / "tone.wav")
    added = subprocess.run([*studio, "add", str(project), "sound", str(tone), "--at", "0",
                            "--voice-effect", "robot"], check=True, capture_output=True,
                           encoding="utf-8")  # fmt: skip
    item = added.stdout.split()[1]
    assert load_project(project).layers[0].clips[0].voice_effect == "robot"
    subprocess.run([*studio, "set", str(project), item, "--voice-effect", "none"], check=True,
                   capture_output=True)  # fmt: skip
    assert load_project(project).layers[0].clips[0].voice_effect == ""


def test_the_inspector_picks_a_voice_effect(qtbot: Any, tmp_path: Path) -> None:
    from dataclasses import replace
    from fractions import Fraction

    from studio.app.layers import source_of
    from studio.model import arrange
    from studio.model.edits import clip_of
    from studio.model.timeline import Canvas, Project, Track
    from tests.helpers import open_window

    backdrop = replace(clip_of(source_of("color:#204060")), source_out=Fraction(3))
    voice = clip_of(source_of(_voice_like(tmp_path / "tone.wav")))
    project = arrange.place(Project(Canvas(), Track((backdrop,))), voice, Fraction(0), None,
                            "voice")[0]  # fmt: skip
    window = open_window(qtbot, project)
    window.timeline.select(voice.id)
    box = window.inspector.timing.voice
    assert window.inspector.sections["Audio"].isVisible() and box.isEnabled()
    box.activated.emit(box.findData("robot"))
    assert window.document.project.layers[0].clips[0].voice_effect == "robot"
    window.document.undo_stack.undo()
    assert window.document.project.layers[0].clips[0].voice_effect == ""
