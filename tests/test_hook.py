"""Use this sound: the sound of a video taken whole or as its hook, which lands on the chorus
(the loud part that comes back) and starts on a bar."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from studio.analysis.beats import analyse
from studio.analysis.hook import find_hook
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from tests.helpers import write_wav

RATE = 22050
BEAT = 0.5  # 120 BPM, four beats a bar
# (name, seconds, melody, loudness): the choruses come back, the verses differ
PLAN = (
    ("intro", 8, (), 0.2),
    ("verse", 16, (262, 330, 392, 330), 0.35),
    ("chorus", 16, (523, 659, 784, 880, 784, 659, 523, 587), 0.9),
    ("verse", 16, (294, 349, 440, 349), 0.35),
    ("chorus", 16, (523, 659, 784, 880, 784, 659, 523, 587), 0.9),
    ("outro", 8, (), 0.2),
)
CHORUSES = ((24.0, 40.0), (56.0, 72.0))


def _note(freq: float, amp: float) -> np.ndarray:
    t = np.arange(int(RATE * BEAT)) / RATE
    return amp * sum(np.sin(2 * np.pi * freq * k * t) / k for k in (1, 2, 3)) * np.exp(-3 * t)


def _kick(amp: float) -> np.ndarray:
    t = np.arange(int(RATE * 0.25)) / RATE
    return amp * np.sin(2 * np.pi * (50 + 100 * np.exp(-t * 30)) * t) * np.exp(-t * 12)


def _song(path: Path) -> Path:
    """A song of 80 s: intro, verse, chorus, another verse, the chorus again, outro; a kick
    on every beat, louder and with a second voice in the choruses."""
    total = sum(part[1] for part in PLAN)
    out = np.zeros(int(RATE * (total + 1)))
    start = 0.0
    for name, seconds, melody, loudness in PLAN:
        chorus = name == "chorus"
        for beat in range(int(seconds / BEAT)):
            at = int((start + beat * BEAT) * RATE)
            sounds = [_kick(0.6 if chorus else 0.4)]
            sounds += [_note(melody[beat % len(melody)], loudness)] if melody else []
            sounds += [_note(melody[(beat + 2) % len(melody)] / 2, 0.4)] if chorus else []
            for sound in sounds:
                out[at : at + len(sound)] += sound
        start += seconds
    return write_wav(path, 0.9 * out / np.abs(out).max(), RATE)


@pytest.fixture(scope="module")
def song_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("song")
    song = _song(folder / "song.wav")
    video = folder / "song.mp4"
    argv = [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "color=c=blue:s=320x568"]
    argv += ["-i", str(song), "-shortest", "-c:v", "libx264", "-preset", "ultrafast"]
    subprocess.run([*argv, "-c:a", "aac", str(video)], check=True)
    return video


def test_the_hook_lands_on_a_chorus_and_starts_on_a_bar(song_video: Path) -> None:
    hook = find_hook(song_video, 15)
    bars = analyse(song_video).downbeats
    assert min(abs(hook.start - bar) for bar in bars) < 0.02  # on a bar of the analysis
    inside = max(min(hook.end, end) - max(hook.start, start) for start, end in CHORUSES)
    assert inside >= 0.8 * 15, hook  # most of it in a chorus
    assert hook.end - hook.start == 15


def test_the_sound_is_taken_whole_or_as_its_hook(song_video: Path, tmp_path: Path) -> None:
    studio = [sys.executable, "-m", "studio"]
    hooked = subprocess.run([*studio, "sound", str(song_video), "-o", str(tmp_path / "h.m4a"),
                             "--hook", "15"], capture_output=True, encoding="utf-8")  # fmt: skip
    assert hooked.returncode == 0, hooked.stderr
    sound = probe(tmp_path / "h.m4a")
    assert sound.has_audio and not sound.has_video and abs(float(sound.duration) - 15) < 0.1
    whole = subprocess.run([*studio, "sound", str(song_video), "-o", str(tmp_path / "w.wav")],
                           capture_output=True, encoding="utf-8")  # fmt: skip
    assert whole.returncode == 0, whole.stderr
    song_seconds = sum(part[1] for part in PLAN) + 1  # the song's own length
    assert abs(float(probe(tmp_path / "w.wav").duration) - song_seconds) < 0.1
    wrong = subprocess.run([*studio, "sound", str(song_video), "-o", str(tmp_path / "s.mp3")],
                           capture_output=True, encoding="utf-8")  # fmt: skip
    assert wrong.returncode == 2 and ".m4a or .wav" in wrong.stderr


def test_a_new_project_plays_its_music_from_the_hook(song_video: Path, tmp_path: Path) -> None:
    from studio.io.project_file import load_project

    project = tmp_path / "h.studio.json"
    demo = Path(__file__).resolve().parents[1] / "studio" / "assets" / "demo"
    done = subprocess.run([sys.executable, "-m", "studio", "new", str(project),
                           str(demo / "waves.mp4"), "--music", str(song_video), "--hook", "15"],
                          capture_output=True, encoding="utf-8")  # fmt: skip
    assert done.returncode == 0, done.stderr
    music = load_project(project).music
    assert music is not None and float(music.offset) == pytest.approx(
        find_hook(song_video, 15).start
    )
    assert any(start <= float(music.offset) < end for start, end in CHORUSES)


def test_a_beat_synced_edit_is_cut_to_the_hook(song_video: Path) -> None:
    from studio.app import BeatSyncRequest
    from studio.app.beats import beat_synced_project
    from studio.errors import ProjectError

    demo = Path(__file__).resolve().parents[1] / "studio" / "assets" / "demo"
    clips = [demo / "waves.mp4", demo / "cells.mp4", demo / "fractal.mp4"]
    result = beat_synced_project(BeatSyncRequest(song_video, clips, every=2, hook=15))
    project, hook = result.project, find_hook(song_video, 15)
    assert project.music is not None
    assert float(project.music.offset) == pytest.approx(hook.start, abs=0.002)
    assert 13 <= float(project.duration) <= 15  # the hook, to its last cut on a beat
    with pytest.raises(ProjectError, match="--start or --hook"):
        beat_synced_project(BeatSyncRequest(song_video, clips, start=4, hook=15))
