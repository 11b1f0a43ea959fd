"""Regenerate the demo media in studio/assets/demo/ (package data) from nothing but ffmpeg sources
and numpy.

Everything here is made by this script, so the project may ship it (CC0, see assets/README.md).
Run: python assets/make_assets.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent.parent / "studio" / "assets" / "demo"
RATE = 44100
BPM = 120
BARS = 8

# name, lavfi source graph, size; each is 6 s at 30 fps with its own motion and colour
CLIPS = {
    "fractal.mp4": "mandelbrot=size=540x960:rate=30:start_scale=3:end_scale=0.05,hue=h=t*40",
    "life.mp4": "life=size=54x96:rate=10:ratio=0.3:life_color=#ff3d7f:death_color=#1b1d4f,"
    "scale=540:960:flags=neighbor,fps=30",
    "waves.mp4": "gradients=size=960x540:rate=30:speed=0.03:c0=#ff6a00:c1=#ee0979:c2=#00c9ff:"
    "c3=#92fe9d:nb_colors=4:type=circular,"
    "drawbox=x='mod(t*300,960)':y=200:w=120:h=140:color=white@0.8:t=fill",
    "cells.mp4": "cellauto=size=135x240:rate=30:rule=30:random_fill_ratio=0.5:scroll=1,"
    "scale=540:960:flags=neighbor,colorchannelmixer=rr=0.2:gg=0.8:bb=1.0,hue=h=t*60",
}


def ffmpeg() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def make_clip(name: str, graph: str) -> None:
    argv = [
        ffmpeg(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        graph,
        "-t",
        "6",
        "-c:v",
        "libx264",
        "-preset",
        "slow",
        "-crf",
        "30",
        "-pix_fmt",
        "yuv420p",
        "-movflags",
        "+faststart",
        str(HERE / name),
    ]
    subprocess.run(argv, check=True)


def drum_loop() -> np.ndarray:
    """Kick on every beat, snare on 2 and 4, closed hats on eighths, a bass line and a pad."""
    beat = 60 / BPM
    length = int(RATE * beat * 4 * BARS)
    out = np.zeros(length)
    for step in range(BARS * 8):
        start = int(step * beat / 2 * RATE)
        if step % 2 == 0:
            _add(out, start, _kick())
        if step % 4 == 2:
            _add(out, start, _snare())
        _add(out, start, _hat(0.6 if step % 2 else 0.3))
    roots = [55.0, 55.0, 43.65, 49.0] * (BARS // 4)
    for bar, root in enumerate(roots):
        start = int(bar * 4 * beat * RATE)
        _add(out, start, _bass(root, 4 * beat))
        _add(out, start, _pad(root * 4, 4 * beat))
    return out / np.max(np.abs(out)) * 0.9


def _add(out: np.ndarray, start: int, sound: np.ndarray) -> None:
    end = min(len(out), start + len(sound))
    out[start:end] += sound[: end - start]


def _time(seconds: float) -> np.ndarray:
    return np.arange(int(seconds * RATE)) / RATE


def _kick() -> np.ndarray:
    t = _time(0.35)
    pitch = 50 + 120 * np.exp(-t * 30)
    return np.sin(2 * np.pi * np.cumsum(pitch) / RATE) * np.exp(-t * 9)


def _snare() -> np.ndarray:
    t = _time(0.2)
    noise = np.random.default_rng(7).standard_normal(len(t))
    return (0.6 * noise + 0.4 * np.sin(2 * np.pi * 190 * t)) * np.exp(-t * 22) * 0.7


def _hat(level: float) -> np.ndarray:
    t = _time(0.05)
    noise = np.random.default_rng(11).standard_normal(len(t))
    return np.diff(noise, prepend=0) * np.exp(-t * 90) * 0.15 * level


def _bass(freq: float, seconds: float) -> np.ndarray:
    t = _time(seconds)
    gate = (np.mod(t, 0.5) < 0.4).astype(float)
    return np.tanh(2 * np.sin(2 * np.pi * freq * t)) * 0.35 * gate


def _pad(freq: float, seconds: float) -> np.ndarray:
    t = _time(seconds)
    chord = sum(np.sin(2 * np.pi * freq * ratio * t) for ratio in (1, 1.26, 1.5))
    return chord * 0.05 * np.minimum(1, t * 4) * np.minimum(1, (seconds - t) * 4)


def make_music(name: str) -> None:
    samples = (drum_loop() * 32767).astype("<i2").tobytes()
    argv = [
        ffmpeg(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "s16le",
        "-ar",
        str(RATE),
        "-ac",
        "1",
        "-i",
        "pipe:0",
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        str(HERE / name),
    ]
    subprocess.run(argv, input=samples, check=True)


def main() -> int:
    HERE.mkdir(exist_ok=True)
    for name, graph in CLIPS.items():
        make_clip(name, graph)
    make_music("loop120.m4a")
    return 0


if __name__ == "__main__":
    sys.exit(main())
