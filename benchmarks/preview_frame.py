"""Median time to render one composed preview frame (540x960) at random times of an edit.

The desktop app scrubs the edit through `render_frame`, the export's own clip chain; this measures
it warm (the sources in the OS cache, ffmpeg's binary loaded once before timing).
Run: python benchmarks/preview_frame.py [--frames N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import make_sources
from benchmarks.export_vs_ffmpeg import cut_list, studio_project
from studio.model.timeline import Fit, Project, Track
from studio.render.frame import render_frame

SIZE = (540, 960)


def timings(project: Project, count: int) -> list[float]:
    rng = random.Random(1)
    render_frame(project, Fraction(0), SIZE)  # warm the binary and the file cache
    seconds = []
    for _ in range(count):
        at = Fraction(rng.randrange(int(project.duration * 1000)), 1000)
        start = time.perf_counter()
        render_frame(project, at, SIZE)
        seconds.append(time.perf_counter() - start)
    return seconds


def report(name: str, values: list[float]) -> None:
    values = sorted(values)
    p90 = values[int(len(values) * 0.9)]
    print(
        f"{name:28s} median {statistics.median(values) * 1000:6.1f} ms  "
        f"p90 {p90 * 1000:6.1f} ms  max {values[-1] * 1000:6.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp:
        project = studio_project(cut_list(make_sources(Path(tmp))))
        report("crop fit, 1280x720 sources", timings(project, args.frames))
        blurred = tuple(
            c.__class__(c.media, c.source_in, c.source_out, fit=Fit("blur"))
            for c in project.main.clips
        )
        blur_project = Project(project.canvas, Track(blurred))
        times = timings(blur_project, args.frames)
        report("blur fit, 1280x720 sources", times)
    print(f"median preview frame = {statistics.median(times) * 1000:.0f} ms (goal <= 80 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
