"""A fixed 16-cut vertical edit rendered three ways in the same run:

1. studio (its compiled graph, including the loudness measuring pass),
2. the equivalent hand-written single ffmpeg command with the same encoder settings,
3. moviepy 2 (per-frame numpy compositing), for reference.

Run: python benchmarks/export_vs_ffmpeg.py [--skip-moviepy] [--repeat N]
The last line reads `ratio studio/ffmpeg = X.XX` (target <= 1.10).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import interleaved, make_sources, timed
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from studio.model.timeline import Canvas, Clip, Project, Track
from studio.render.export import export
from studio.render.presets import get_preset

CUTS = 16
PRESET = get_preset("tiktok")


def cut_list(sources: list[Path]) -> list[tuple[Path, float]]:
    """16 one-second cuts: source i % 4, starting at 2 * (i // 4) + 0.5 seconds."""
    return [(sources[i % len(sources)], 2.0 * (i // len(sources)) + 0.5) for i in range(CUTS)]


def studio_project(cuts: list[tuple[Path, float]]) -> Project:
    media = {path: probe(path) for path, _ in cuts}
    clips = tuple(Clip(media[p], Fraction(str(s)), Fraction(str(s)) + 1) for p, s in cuts)
    return Project(Canvas(1080, 1920, 30), Track(clips))


def hand_written(cuts: list[tuple[Path, float]], out: Path) -> list[str]:
    """What a careful person would type: one input per cut, one graph, one encode."""
    argv = [ffmpeg_exe(), "-hide_banner", "-v", "error", "-y"]
    for path, start in cuts:
        argv += ["-ss", str(start), "-t", "1", "-i", str(path)]
    chains, labels = [], ""
    for i in range(len(cuts)):
        chains.append(
            f"[{i}:v]fps=30,scale=1080:1920:force_original_aspect_ratio=increase,"
            f"crop=1080:1920,setsar=1,format=yuv420p[v{i}]"
        )
        chains.append(f"[{i}:a]aresample=48000,aformat=channel_layouts=stereo[a{i}]")
        labels += f"[v{i}][a{i}]"
    chains.append(f"{labels}concat=n={len(cuts)}:v=1:a=1[v][cat]")
    chains.append("[cat]loudnorm=I=-14:TP=-1.5:LRA=11,aresample=48000[a]")
    argv += ["-filter_complex", ";".join(chains), "-map", "[v]", "-map", "[a]"]
    argv += [
        "-c:v",
        "libx264",
        "-preset",
        PRESET.x264_preset,
        "-crf",
        str(PRESET.crf),
        "-profile:v",
        "high",
        "-pix_fmt",
        "yuv420p",
        "-r",
        "30",
        "-g",
        "60",
        "-c:a",
        "aac",
        "-b:a",
        PRESET.audio_bitrate,
        "-ar",
        "48000",
        "-ac",
        "2",
        "-movflags",
        "+faststart",
        str(out),
    ]
    return argv


def with_moviepy(cuts: list[tuple[Path, float]], out: Path) -> None:
    from moviepy import VideoFileClip, concatenate_videoclips

    parts = []
    for path, start in cuts:
        clip = VideoFileClip(str(path)).subclipped(start, start + 1)
        clip = clip.resized(height=1920).cropped(x_center=clip.w * 1920 / clip.h / 2, width=1080)
        parts.append(clip)
    edit = concatenate_videoclips(parts)
    edit.write_videofile(
        str(out),
        fps=30,
        codec="libx264",
        preset=PRESET.x264_preset,
        audio_codec="aac",
        audio_bitrate=PRESET.audio_bitrate,
        ffmpeg_params=["-crf", str(PRESET.crf), "-pix_fmt", "yuv420p"],
        logger=None,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-moviepy", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp:
        folder = Path(tmp)
        cuts = cut_list(make_sources(folder))
        project = studio_project(cuts)
        runs = {
            "ffmpeg": lambda: subprocess.run(hand_written(cuts, folder / "ffmpeg.mp4"), check=True),
            "studio": lambda: export(project, folder / "studio.mp4", PRESET),
        }
        print(f"edit: {CUTS} cuts of 1 s from 4 sources (1280x720), tiktok preset 1080x1920")
        best = interleaved(runs, args.repeat)
        if not args.skip_moviepy:
            seconds = timed(lambda: with_moviepy(cuts, folder / "moviepy.mp4"))
            print(
                f"moviepy  {seconds:6.2f} s  ratio moviepy/ffmpeg = {seconds / best['ffmpeg']:.2f}"
            )
        print(f"ratio studio/ffmpeg = {best['studio'] / best['ffmpeg']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
