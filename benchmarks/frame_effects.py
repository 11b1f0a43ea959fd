"""Which per-frame ("slow render") effects work and what they cost: every moviepy video effect
(with sample options where it needs some) and the artistic filters, each rendered for a real
3 s clip (the shared corpus' group shot, 640x480 at 30 fps) through studio's slow render, with
the time per frame. The baseline is the same clip with no effect in the same run (the decode
and the cache file's encode): the table's "effect ms" is the difference.

Run: python benchmarks/frame_effects.py [--markdown]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.errors import StudioError
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.timeline import MOVIEPY, Clip, FrameEffect

CLIP = Path(__file__).resolve().parents[2] / "shared/media/people/openmpf/video_01.mp4"
FPS = 30

# Options for the effects that cannot run without some (what a user would pass).
OPTIONS: dict[str, dict[str, object]] = {
    "AccelDecel": {"new_duration": 2.0},
    "Blink": {"duration_on": 0.3, "duration_off": 0.2},
    "Crop": {"x1": 100, "y1": 50, "x2": 540, "y2": 430},
    "CrossFadeIn": {"duration": 1.0},
    "CrossFadeOut": {"duration": 1.0},
    "FadeIn": {"duration": 1.0},
    "FadeOut": {"duration": 1.0},
    "Freeze": {"t": 1.0, "freeze_duration": 1.0},
    "FreezeRegion": {"t": 1.0, "region": (0, 0, 320, 240)},
    "GammaCorrection": {"gamma": 1.6},
    "HeadBlur": {"fx": "0.5", "fy": "0.5", "radius": 40},
    "Loop": {"n": 2},
    "LumContrast": {"lum": 10, "contrast": 0.3},
    "MakeLoopable": {"overlap_duration": 0.5},
    "Margin": {"margin_size": 20},
    "MasksAnd": {"other_clip": 1},
    "MasksOr": {"other_clip": 1},
    "MultiplyColor": {"factor": 1.3},
    "MultiplySpeed": {"factor": 2.0},
    "Resize": {"new_size": 0.5},
    "Rotate": {"angle": 10},
    "Scroll": {"w": 320, "h": 240, "x_speed": 40},
    "SlideIn": {"duration": 1.0, "side": "left"},
    "SlideOut": {"duration": 1.0, "side": "left"},
    "SuperSample": {"d": 0.05, "n_frames": 3},
}


def timed(clip: Clip, effects: tuple[FrameEffect, ...]) -> tuple[float | None, str, Any]:
    """Seconds to slow-render the clip with `effects` (None and the reason when it fails),
    and the rendered frames (small, grey) to see whether the picture changed."""
    from studio.analysis.slow import slow_render

    start = time.perf_counter()
    try:
        rendered = slow_render(replace(clip, frame_effects=effects), FPS)
    except StudioError as error:
        return None, error.message.splitlines()[0][:90], None
    return time.perf_counter() - start, "", small_frames(rendered)


def small_frames(path: Path) -> Any:
    import subprocess

    import numpy as np

    from studio.io.ffmpeg_bin import ffmpeg_exe

    argv = [ffmpeg_exe(), "-v", "error", "-i", str(path), "-vf", "scale=64:48", "-f", "rawvideo"]
    data = subprocess.run([*argv, "-pix_fmt", "gray", "pipe:1"], capture_output=True).stdout
    return np.frombuffer(data, np.uint8).reshape(-1, 48, 64).astype(float)


def changes(frames: Any, plain: Any) -> str:
    """Does the effect change the picture (mean difference over all frames, 0-255)?"""
    if frames is None:
        return ""
    count = min(len(frames), len(plain))
    difference = float(abs(frames[:count] - plain[:count]).mean())
    return f"yes ({difference:.0f})" if difference >= 1 else "no"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    from studio.analysis.slow import moviepy_effect_names
    from studio.settings import Settings, apply

    with tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp:
        os.environ["STUDIO_CACHE_DIR"] = tmp
        apply(Settings(cache_dir=tmp))
        clip = clip_of(probe(CLIP))
        frames = round(float(clip.duration) * FPS)
        plain, _, plain_frames = timed(clip, (FrameEffect(MOVIEPY + "EvenSize"),))  # moviepy
        art_plain, _, _ = timed(clip, (FrameEffect("sketch", 0.0),))  # no filter, no moviepy
        assert plain is not None and art_plain is not None
        rows = []
        for name in ("cartoon", "sketch", "oil"):
            rows.append((name, "", *timed(clip, (FrameEffect(name),)), art_plain))
        for name in moviepy_effect_names():
            options = OPTIONS.get(name, {})
            values = tuple((k, tuple(v) if isinstance(v, tuple) else v) for k, v in options.items())
            effect = FrameEffect(MOVIEPY + name, options=values)  # type: ignore[arg-type]
            written = ", ".join(f"{k}={v}" for k, v in options.items())
            rows.append((f"moviepy {name}", written, *timed(clip, (effect,)), plain))
    print(f"{CLIP.name}: {frames} frames; baselines: plain slow render "
          f"{plain / frames * 1000:.1f} ms/frame through moviepy, "
          f"{art_plain / frames * 1000:.1f} ms/frame without")  # fmt: skip
    if args.markdown:
        print("| effect | options | runs | changes the picture | effect ms/frame |")
        print("|---|---|---|---|---|")
    for name, options, seconds, reason, found, base in rows:
        cost = "" if seconds is None else f"{max(0.0, seconds - base) / frames * 1000:.1f}"
        works = "yes" if seconds is not None else f"no: {reason}"
        changed = changes(found, plain_frames)
        if args.markdown:
            print(f"| {name} | {options} | {works} | {changed} | {cost} |")
        else:
            print(f"{name:26s} {works:60s} {changed:10s} {cost:>8s}  {options}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
