"""Peak memory of a 10-minute export: 120 cuts of 5 s from four 1280x720 sources.

Reports the largest resident set of any ffmpeg child and of the studio process itself.
Run: python benchmarks/long_export_memory.py [--preset tiktok|draft] [--minutes M]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import make_sources
from studio.io.probe import probe
from studio.model.timeline import Canvas, Clip, Project, Track
from studio.render.export import chunks, export
from studio.render.presets import get_preset
from studio.settings import Settings, apply

CUT_SECONDS = 5


def long_project(sources: list[Path], minutes: float) -> Project:
    media = [probe(path) for path in sources]
    cuts = int(minutes * 60 / CUT_SECONDS)
    clips = tuple(
        Clip(media[i % len(media)], Fraction(i % 7), Fraction(i % 7 + CUT_SECONDS))
        for i in range(cuts)
    )
    return Project(Canvas(1080, 1920, 30), Track(clips))


def result_pixels(preset: str) -> int:
    chosen = get_preset(preset)
    return chosen.width * chosen.height


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="tiktok")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument(
        "--memory-mb",
        type=float,
        default=550,
        help="memory an ffmpeg process may plan for (STUDIO_RENDER_MEMORY_MB); the default "
        "leaves room for the studio process itself within a 600 MB total",
    )
    args = parser.parse_args()
    apply(Settings(render_memory_mb=args.memory_mb))
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp:
        project = long_project(make_sources(Path(tmp)), args.minutes)
        start = time.perf_counter()
        result = export(project, Path(tmp) / "long.mp4", get_preset(args.preset))
        seconds = time.perf_counter() - start
    ffmpeg_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    parts = len(chunks(project.main.clips, result_pixels(args.preset), args.memory_mb))
    print(
        f"{len(project.main.clips)} cuts, {result.duration:.0f} s of output, preset "
        f"{args.preset}, memory plan {args.memory_mb:.0f} MB ({parts} chunks), "
        f"{seconds:.0f} s to export ({result.duration / seconds:.2f}x realtime)"
    )
    print(f"peak RSS: ffmpeg {ffmpeg_peak:.0f} MB, studio process {own_peak:.0f} MB")
    print(f"peak RSS total = {ffmpeg_peak + own_peak:.0f} MB (target <= 600 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
