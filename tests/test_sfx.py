"""The sound effects studio synthesises: each one made the same on every run, loud without
clipping, sounding as named (a whoosh rising, a ding ringing at its pitch, a riser building,
an impact low), and laid on a cut or a beat from the command line, landing there."""

from __future__ import annotations

import json
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from studio.app.layers import add_sound_effect
from studio.app.project import new_project
from studio.errors import MediaError
from studio.io.project_file import load_project, save_project
from studio.render.sfx import EFFECTS, LIBRARY, RATE, samples, write_effect

DEMO = Path(__file__).resolve().parents[1] / "studio" / "assets" / "demo"


def _centroid(sound: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(sound))
    freqs = np.fft.rfftfreq(len(sound), 1 / RATE)
    return float((spectrum * freqs).sum() / spectrum.sum())


def _thirds(sound: np.ndarray) -> list[np.ndarray]:
    third = len(sound) // 3
    return [sound[i * third : (i + 1) * third] for i in range(3)]


def test_every_effect_is_made_the_same_loud_and_unclipped() -> None:
    assert len(LIBRARY) >= 25
    for effect in LIBRARY:
        sound = samples(effect.name)
        assert np.isfinite(sound).all() and 0.01 < len(sound) / RATE <= 2.5, effect.name
        assert abs(np.abs(sound).max() - 0.89) < 1e-6  # -1 dBFS
        assert np.array_equal(sound, samples(effect.name))  # seeded: the same every time
        assert effect.label and effect.tags


def test_the_effects_sound_as_named() -> None:
    rising = [_centroid(part) for part in _thirds(samples("whoosh"))]
    assert rising[0] < rising[1] < rising[2]
    falling = [_centroid(part) for part in _thirds(samples("swoosh"))]
    assert falling[0] > falling[2]
    ding = samples("ding")
    peak = np.fft.rfftfreq(len(ding), 1 / RATE)[np.argmax(np.abs(np.fft.rfft(ding)))]
    assert abs(peak - 1320) < 10  # rings at its pitch
    riser = [float(np.sqrt(np.mean(part**2))) for part in _thirds(samples("riser"))]
    assert riser[0] < riser[1] < riser[2]  # builds
    assert _centroid(samples("impact")) < _centroid(samples("click"))
    assert len(samples("pop")) / RATE < 0.2 and len(samples("tick")) / RATE < 0.05


def test_an_effect_file_is_a_48_khz_wav_written_once(tmp_path: Path) -> None:
    path = write_effect("ding", tmp_path)
    with wave.open(str(path)) as read:
        assert (read.getframerate(), read.getsampwidth(), read.getnchannels()) == (RATE, 2, 1)
        assert read.getnframes() == len(samples("ding"))
    stamp = path.stat().st_mtime_ns
    assert write_effect("ding", tmp_path).stat().st_mtime_ns == stamp
    with pytest.raises(MediaError, match="studio sfx"):
        write_effect("nope", tmp_path)


def test_an_effect_lands_on_a_cut_and_on_a_beat(tmp_path: Path) -> None:
    saved = save_project(
        new_project([DEMO / "cells.mp4", DEMO / "waves.mp4"], DEMO / "loop120.m4a"),
        tmp_path / "fx.studio.json",
    )
    whoosh = add_sound_effect(saved, "whoosh", cut=1)
    assert whoosh.start == pytest.approx(6.0 - EFFECTS["whoosh"].hit, abs=0.002)
    pop = add_sound_effect(saved, "pop", beat=3)
    project = load_project(saved)
    assert project.music is not None
    assert pop.start == pytest.approx(float(project.music.beat_times()[2]), abs=1 / 30)
    sounds = project.layers[0]
    assert sounds.role == "effects" and (tmp_path / "sounds" / "whoosh.wav").is_file()
    with pytest.raises(Exception, match="between 1 and 1"):
        add_sound_effect(saved, "pop", cut=2)


def test_the_command_line_lists_the_effects(tmp_path: Path) -> None:
    studio = [sys.executable, "-m", "studio"]
    listed = subprocess.run(
        [*studio, "sfx", "--json"], capture_output=True, encoding="utf-8", check=True
    )
    names = [row["name"] for row in json.loads(listed.stdout)]
    assert names == [effect.name for effect in LIBRARY]
    saved = save_project(new_project([DEMO / "cells.mp4"]), tmp_path / "c.studio.json")
    wrong = subprocess.run([*studio, "add", str(saved), "sfx", "kaboom"], capture_output=True,
                           encoding="utf-8")  # fmt: skip
    assert (
        wrong.returncode == 2 and "studio sfx" in wrong.stderr and "Traceback" not in wrong.stderr
    )
    added = subprocess.run([*studio, "add", str(saved), "sfx", "ding", "--at", "1.5"],
                           capture_output=True, encoding="utf-8", check=True)  # fmt: skip
    assert "1.500 - 3.000 s" in added.stdout


def test_a_file_without_sound_gets_the_same_line_from_every_command(tmp_path: Path) -> None:
    silent = DEMO / "cells.mp4"  # a picture and no sound
    saved = save_project(new_project([DEMO / "waves.mp4"]), tmp_path / "s.studio.json")
    commands = (
        ("beats", silent),
        ("captions", silent),
        ("beatsync", "--music", silent, DEMO / "waves.mp4", "-o", tmp_path / "o.mp4"),
        ("new", tmp_path / "n.studio.json", DEMO / "waves.mp4", "--music", silent),
        ("add", saved, "sound", silent, "--at", "0"),
    )
    for args in commands:
        done = subprocess.run([sys.executable, "-m", "studio", *map(str, args)],
                              capture_output=True, encoding="utf-8")  # fmt: skip
        assert done.returncode == 2, (args, done.stderr)
        line = done.stderr.strip()  # the file, the option where one names it, the reason
        assert "cells.mp4: " in line and line.endswith(": has no sound (no audio stream)"), line
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
