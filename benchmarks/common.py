"""Shared pieces of the benchmarks: generated source clips and timing."""

from __future__ import annotations

import resource
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from studio.io.ffmpeg_bin import ffmpeg_exe

SOURCES = ("testsrc2", "mandelbrot", "smptehdbars", "rgbtestsrc")


def make_sources(folder: Path, seconds: int = 12, size: str = "1280x720") -> list[Path]:
    """Landscape 30 fps clips with a tone, one per generator, encoded like phone footage:
    H.264 in BT.709 limited range, tagged so (an untagged or BT.601 source costs the render a
    colour conversion, about 3 ms per 1080x1920 frame, that a plain command would skip)."""
    paths = []
    for index, source in enumerate(SOURCES):
        path = folder / f"source{index}.mp4"
        if not path.exists():
            graph = (
                f"{source}=size={size}:rate=30,hue=h=t*20,"
                "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p"
            )
            tone = f"sine=frequency={220 * (index + 1)}:sample_rate=48000"
            argv = [
                ffmpeg_exe(),
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                graph,
                "-f",
                "lavfi",
                "-i",
                tone,
                "-t",
                str(seconds),
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "23",
                "-g",
                "60",
                "-pix_fmt",
                "yuv420p",
                *("-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"),
                "-c:a",
                "aac",
                str(path),
            ]
            subprocess.run(argv, check=True)
        paths.append(path)
    return paths


def timed(run: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def child_cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes (ffmpeg)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def interleaved(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Run each command `repeat` times, interleaved so all see the same machine load; print
    every wall time, the best and the CPU of ffmpeg children, and return the best wall times."""
    times, cpu = interleaved_runs(runs, repeat)
    print(f"CPU ratio studio/ffmpeg = {min(cpu['studio']) / min(cpu['ffmpeg']):.2f}")
    return {name: min(values) for name, values in times.items()}


def interleaved_runs(
    runs: dict[str, Callable[[], object]], repeat: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Each command run `repeat` times, interleaved so all see the same machine load: every
    run's wall time and ffmpeg CPU seconds by name (each printed, with the best)."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            before = child_cpu()
            times[name].append(timed(run))
            cpu[name].append(child_cpu() - before)
    for name in runs:
        walls = ", ".join(f"{v:.2f}" for v in times[name])
        cpus = ", ".join(f"{v:.1f}" for v in cpu[name])
        print(
            f"{name:8s} best {min(times[name]):6.2f} s wall (runs {walls}); "
            f"best {min(cpu[name]):6.1f} s ffmpeg CPU (runs {cpus})"
        )
    return times, cpu
