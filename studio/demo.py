"""The bundled demo: the shipped clips cut to the beats of the shipped 120 BPM loop.

It runs the same path as `studio beatsync`: the loop is analysed, the liveliest parts of the
clips are cut every two beats (on beats 1 and 3 of each bar), with a zoom punch on bar starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from studio.errors import MediaError
from studio.model.beatsync import SyncOptions
from studio.model.timeline import BeatEffect

if TYPE_CHECKING:
    from studio.app import BeatSyncRequest

CLIPS = ("fractal.mp4", "life.mp4", "waves.mp4", "cells.mp4")
MUSIC = "loop120.m4a"


def demo_request(assets: Path) -> BeatSyncRequest:
    from studio.app import BeatSyncRequest

    folder = assets / "demo"
    if not folder.is_dir():
        raise MediaError("the bundled demo media is missing (run assets/make_assets.py)", folder)
    return BeatSyncRequest(
        music=folder / MUSIC,
        clips=[folder / name for name in CLIPS],
        options=SyncOptions(mode="beats", every=2),
        pick="highlights",
        effects=(BeatEffect("punch", "downbeats", 0.6),),
    )
