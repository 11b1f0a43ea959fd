"""The bundled demo: a 16-second vertical edit of the shipped clips, cut on the loop's bars."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from studio.errors import MediaError
from studio.io.probe import probe
from studio.model.timeline import Canvas, Clip, Fit, FitMode, MusicTrack, Project, Track

BPM = 120
# (clip, source in, source out, speed, fit): each row fills whole beats of the 120 BPM loop
EDIT: list[tuple[str, float, float, int, FitMode]] = [
    ("fractal.mp4", 0, 2, 1, "crop"),
    ("life.mp4", 0, 2, 1, "crop"),
    ("waves.mp4", 0, 2, 1, "blur"),
    ("cells.mp4", 0, 1, 1, "crop"),
    ("fractal.mp4", 3, 4, 1, "crop"),
    ("life.mp4", 3, 5, 1, "crop"),
    ("waves.mp4", 2, 6, 2, "blur"),
    ("cells.mp4", 2, 3.5, 1, "crop"),
    ("fractal.mp4", 4, 4.5, 1, "crop"),
    ("life.mp4", 5, 6, 1, "pad"),
    ("fractal.mp4", 4.5, 5.5, 1, "crop"),
]


def demo_project(assets: Path) -> Project:
    folder = assets / "demo"
    if not folder.is_dir():
        raise MediaError("the bundled demo media is missing (run assets/make_assets.py)", folder)
    media = {name: probe(folder / name) for name in {row[0] for row in EDIT}}
    clips = tuple(
        Clip(
            media[name],
            Fraction(str(start)),
            Fraction(str(end)),
            Fraction(speed),
            Fit(fit, pad_color="#1b1d4f"),
        )
        for name, start, end, speed, fit in EDIT
    )
    music = MusicTrack(probe(folder / "loop120.m4a"), fade_out=Fraction(1))
    return Project(Canvas(1080, 1920, 30), Track(clips), music)
