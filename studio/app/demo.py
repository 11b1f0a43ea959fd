"""The bundled demo: the shipped clips cut to the beats of the shipped 120 BPM loop.

It runs the same path as `studio beatsync`: the loop is analysed, the liveliest parts of the
clips are cut every two beats (on beats 1 and 3 of each bar), with a zoom punch on bar starts.
The media is package data (studio/assets/demo), so a wheel or an installed app has it.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from studio.app.beats import BeatSyncRequest, beatsync
from studio.errors import MediaError
from studio.io.runner import Task
from studio.render.export import ExportResult

CLIPS = ("fractal.mp4", "life.mp4", "waves.mp4", "cells.mp4")
MUSIC = "loop120.m4a"


def demo_folder() -> Path:
    folder = Path(str(files("studio") / "assets" / "demo"))
    missing = [name for name in (*CLIPS, MUSIC) if not (folder / name).is_file()]
    if missing:
        raise MediaError(f"the bundled demo media is missing: {', '.join(missing)}", folder)
    return folder


def demo_request() -> BeatSyncRequest:
    folder = demo_folder()
    return BeatSyncRequest(
        music=folder / MUSIC,
        clips=[folder / name for name in CLIPS],
        mode="beats",
        every=2,
        pick="highlights",
        effects=("punch",),
        effects_on="downbeats",
        strength=0.6,
    )


def demo(
    output: str | Path, preset: str | None = None, task: Task | None = None
) -> tuple[ExportResult, tuple[str, ...]]:
    """Render the bundled demo (shipped clips cut to the beats of the shipped loop)."""
    return beatsync(demo_request(), output, preset, task=task)
