"""A 20-second side-by-side duet rendered two ways in the same run:

1. studio (`duet_project` + export: its graph, the loudness measuring pass, the ducked mix),
2. the equivalent hand-written ffmpeg hstack command with the same encoder settings.

Run: python benchmarks/duet_vs_ffmpeg.py [--repeat N]
The last line reads `ratio studio/ffmpeg = X.XX` (target <= 1.15).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import interleaved, make_sources
from studio.app.render import export
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from studio.model.remix import DuetOptions, duet_project
from studio.render.presets import get_preset

SECONDS = 20
PRESET = get_preset("tiktok")


def hand_written(original: Path, yours: Path, out: Path) -> list[str]:
    """Both sides cropped to fill 540x1920, stacked side by side, sounds mixed and normalised."""
    side = "fps=30,scale=540:1920:force_original_aspect_ratio=increase,crop=540:1920,setsar=1"
    graph = ";".join(
        [
            f"[0:v]{side}[l]",
            f"[1:v]{side}[r]",
            "[l][r]hstack=inputs=2,format=yuv420p[v]",
            "[0:a][1:a]amix=inputs=2:duration=first:normalize=0,"
            "loudnorm=I=-14:TP=-1.5:LRA=11,aresample=48000[a]",
        ]
    )
    argv = [
        ffmpeg_exe(),
        "-hide_banner",
        "-v",
        "error",
        "-y",
        "-i",
        str(original),
        "-i",
        str(yours),
    ]
    argv += ["-filter_complex", graph, "-map", "[v]", "-map", "[a]", "-t", str(SECONDS)]
    argv += ["-c:v", "libx264", "-preset", PRESET.x264_preset, "-crf", str(PRESET.crf)]
    argv += ["-profile:v", "high", "-pix_fmt", "yuv420p", "-r", "30", "-g", "60"]
    argv += ["-c:a", "aac", "-b:a", PRESET.audio_bitrate, "-ar", "48000", "-ac", "2"]
    return [*argv, "-movflags", "+faststart", str(out)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp:
        folder = Path(tmp)
        original, yours = make_sources(folder, seconds=SECONDS)[:2]
        project = duet_project(probe(original), probe(yours), DuetOptions())
        runs = {
            "ffmpeg": lambda: subprocess.run(
                hand_written(original, yours, folder / "ffmpeg.mp4"), check=True
            ),
            "studio": lambda: export(project, folder / "studio.mp4", PRESET),
        }
        print(f"duet: two {SECONDS} s 1280x720 sources side by side, tiktok preset 1080x1920")
        best = interleaved(runs, args.repeat)
        print(f"ratio studio/ffmpeg = {best['studio'] / best['ffmpeg']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
