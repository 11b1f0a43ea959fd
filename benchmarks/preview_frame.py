"""Median time to render one composed preview frame (540x960) at random times of an edit.

The desktop app scrubs the edit through `render_frame`, the export's own clip chain; this measures
it warm (sources in the OS cache, ffmpeg's binary loaded, proxies made once before timing),
reading the original long-GOP sources and reading their all-intra proxies.
Run: python benchmarks/preview_frame.py [--frames N]
"""

from __future__ import annotations

import argparse
import os
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
from studio.app.render import render_frame
from studio.model.timeline import Fit, Project, Track

SIZE = (540, 960)


def timings(project: Project, count: int, proxies: bool = False) -> list[float]:
    rng = random.Random(1)
    render_frame(project, Fraction(0), SIZE, proxies=proxies)  # warm binary, cache, proxies
    seconds = []
    for _ in range(count):
        at = Fraction(rng.randrange(int(project.duration * 1000)), 1000)
        start = time.perf_counter()
        render_frame(project, at, SIZE, proxies=proxies)
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
        os.environ["STUDIO_CACHE_DIR"] = str(Path(tmp) / "cache")
        project = studio_project(cut_list(make_sources(Path(tmp))))
        blurred = tuple(
            c.__class__(c.media, c.source_in, c.source_out, fit=Fit("blur"))
            for c in project.main.clips
        )
        blur_project = Project(project.canvas, Track(blurred))
        report("crop fit, sources", timings(project, args.frames))
        report("blur fit, sources", timings(blur_project, args.frames))
        report("crop fit, proxies", timings(project, args.frames, proxies=True))
        times = timings(blur_project, args.frames, proxies=True)
        report("blur fit, proxies", times)
    median = statistics.median(times) * 1000
    print(f"median preview frame = {median:.0f} ms from proxies (goal <= 80 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
