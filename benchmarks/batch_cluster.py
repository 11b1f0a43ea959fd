"""Batch on a cluster: 8 short 1080x1920 exports (tiktok preset, each ffmpeg held to one
thread) run three ways in the same session: `studio batch --cluster local:1` (one worker),
`--cluster local:2` (two workers on this machine) and `--jobs 2` (two threads of one process,
no cluster). Each way is timed end to end as a user runs it (the command, the cluster started
and stopped inside it), after one warm-up run that fills the caches all three then share; the
three ways take turns, `--repeat` rounds, and each way's median counts (one round alone moves
by several percent on a machine that does anything else).

For scale, the machine's own ceiling: four single-threaded x264 encodes of the clips (no
studio), one after another and two at a time (two cores never make exactly twice one).

The last line: `speedup S overhead O`, S = one worker's time / two workers' (target >= 1.7 on
2 cores), O = two workers' time / --jobs 2's (target <= 1.10). The edits are 6 s long; at 3 s
(`--seconds 3`) the cluster's start (about a second) weighs twice as much.
Run: python benchmarks/batch_cluster.py [--jobs 8] [--seconds 6] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=8, help="exports in the batch")
    parser.add_argument("--seconds", type=float, default=6.0, help="each edit's length")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the three ways")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as folder:
        projects = _projects(Path(folder), args.jobs, args.seconds)
        clips = [Path(folder) / f"clip{index}.mp4" for index in range(4)]
        one, two = _encodes(clips, 1), _encodes(clips, 2)
        print(f"ceiling   {one:6.1f} s one at a time, {two:.1f} s two at a time: {one / two:.2f}")
        _batch(projects, Path(folder) / "warm", "--jobs", "2")
        ways = {
            "local:1": ["--cluster", "local:1"],
            "local:2": ["--cluster", "local:2"],
            "--jobs 2": ["--jobs", "2"],
        }
        rounds: dict[str, list[float]] = {name: [] for name in ways}
        for turn in range(args.repeat):
            for name, options in ways.items():
                out = Path(folder) / f"{name.replace(' ', '')}-{turn}"
                rounds[name].append(_batch(projects, out, *options))
                took = rounds[name][-1]
                print(f"{name:9s} {took:6.1f} s for {len(projects)} exports", flush=True)
        times = {name: statistics.median(found) for name, found in rounds.items()}
        medians = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in times.items())
        print(f"{medians} (medians)")
    speedup = times["local:1"] / times["local:2"]
    overhead = times["local:2"] / times["--jobs 2"]
    print(f"speedup {speedup:.2f} overhead {overhead:.2f}")
    return 0


def _projects(folder: Path, count: int, seconds: float) -> list[Path]:
    """`count` edits of a generated clip with sound, each its own file (no cache shared)."""
    from studio.app.project import create_project_file
    from studio.io.ffmpeg_bin import ffmpeg_exe

    made = []
    for index in range(count):
        clip = folder / f"clip{index}.mp4"
        source = f"testsrc2=size=720x1280:rate=30:duration={seconds}"
        tone = f"sine=frequency={300 + 40 * index}:duration={seconds}"
        subprocess.run(
            [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", source, "-f", "lavfi",
             "-i", tone, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
             "-c:a", "aac", "-shortest", str(clip)],
            check=True,
        )  # fmt: skip
        made.append(create_project_file(folder / f"edit{index}.studio.json", [clip]))
    return made


def _encodes(clips: list[Path], at_once: int) -> float:
    """Seconds to encode `clips` to 1080x1920 H.264 (one thread each), `at_once` at a time."""
    from studio.io.ffmpeg_bin import ffmpeg_exe

    def encode(clip: Path) -> subprocess.Popen[bytes]:
        argv = [ffmpeg_exe(), "-v", "error", "-threads", "1", "-i", str(clip), "-filter_threads",
                "1", "-vf", "scale=1080:1920", "-threads", "1", "-c:v", "libx264", "-preset",
                "fast", "-crf", "20", "-f", "null", "-"]  # fmt: skip
        return subprocess.Popen(argv)

    started = time.perf_counter()
    for first in range(0, len(clips), at_once):
        for running in [encode(clip) for clip in clips[first : first + at_once]]:
            running.wait()
    return time.perf_counter() - started


def _batch(projects: list[Path], out: Path, *options: str) -> float:
    argv = [sys.executable, "-m", "studio", "batch", *map(str, projects), "--out-dir", str(out)]
    argv += ["--threads", "1", "--preset", "tiktok", *options]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, encoding="utf-8")
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"batch {' '.join(options)} failed: {done.stderr[-800:]}")
    return seconds


if __name__ == "__main__":
    raise SystemExit(main())
