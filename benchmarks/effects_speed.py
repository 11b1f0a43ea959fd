"""What the AI effects cost: a 20 s 1080x1920 export with the background blurred behind the
person, and a 20 s landscape clip auto-reframed (a crop that follows the subject), each against
the same export without the effect (a centre crop for the reframe), all measured in this run.

The blur edit is 20 s of real footage with people (the shared corpus' selfie video, then a group
shot); the reframe edit is the Chaplin excerpt made 1920x1080 and 20 s long. Each analysis runs
once (its speed is reported in frames per second) and is cached; the exports then compare the
render alone, interleaved, best of `--repeat`, with the CPU time of the ffmpeg children.
Run: python benchmarks/effects_speed.py [--repeat 2] [--only follow]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import child_cpu
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.timeline import Background, Canvas, Clip, Project, Track

PEOPLE = Path(__file__).resolve().parents[2] / "shared" / "media" / "people" / "openmpf"


def edit(background: Background | None, tall: Path | None = None) -> Project:
    """The selfie video then the group shot; or, with `tall`, one 1080x1920 source (the worst
    case: the composite runs at the source's size)."""
    if tall is not None:
        clips: tuple[Clip, ...] = (replace(clip_of(probe(tall)), background=background),)
        return Project(Canvas(1080, 1920, 30), Track(clips))
    selfie = clip_of(probe(PEOPLE / "new_face_video-90.mp4"))
    group = clip_of(probe(PEOPLE / "video_01.mp4"))
    clips = (
        replace(selfie, source_out=Fraction(17), background=background),
        replace(group, source_out=Fraction(3), background=background),
    )
    return Project(Canvas(1080, 1920, 30), Track(clips))


def make_tall(folder: Path) -> Path:
    """The selfie video made 1080x1920 (scaled and cropped), 20 s, as a phone would record."""
    import subprocess

    from studio.io.ffmpeg_bin import ffmpeg_exe

    target = folder / "tall.mp4"
    picture = "scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,fps=30"
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-stream_loop", "1"]
    argv += ["-i", str(PEOPLE / "new_face_video-90.mp4"), "-t", "20", "-vf", picture]
    argv += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-an", str(target)]
    subprocess.run(argv, check=True)
    return target


def timed_export(project: Project, output: Path) -> tuple[float, float]:
    from studio.app.render import export
    from studio.render.presets import get_preset

    cpu, start = child_cpu(), time.perf_counter()
    export(project, output, get_preset("tiktok", 30))
    return time.perf_counter() - start, child_cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", choices=("blur", "follow"), help="run one comparison")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp:
        folder = Path(tmp)
        from studio.settings import Settings, apply

        os.environ["STUDIO_CACHE_DIR"] = str(folder / "cache")
        apply(Settings(cache_dir=str(folder / "cache")))
        if args.only != "follow":
            tall = make_tall(folder)
            for label, source in (("phone-size sources", None), ("a 1080x1920 source", tall)):
                compare(label, source, folder, args.repeat)
        if args.only != "blur":
            compare_follow(make_wide(folder), folder, args.repeat)
    return 0


def make_wide(folder: Path) -> Path:
    """The Chaplin excerpt (two men walking about, full body) made 1920x1080 and 20 s long."""
    import subprocess

    from studio.io.ffmpeg_bin import ffmpeg_exe

    target = folder / "wide.mp4"
    source = PEOPLE.parents[1] / "moviepy" / "chaplin.mp4"
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-stream_loop", "2", "-i", str(source)]
    argv += ["-t", "20", "-vf", "scale=1920:1080,fps=30", "-c:v", "libx264"]
    argv += ["-preset", "veryfast", "-crf", "18", "-an", str(target)]
    subprocess.run(argv, check=True)
    return target


def compare_follow(wide: Path, folder: Path, repeat: int) -> None:
    from studio.analysis.reframe import followed
    from studio.model.timeline import Fit

    plain = Project(Canvas(1080, 1920, 30), Track((clip_of(probe(wide)),)))
    start = time.perf_counter()
    follow = followed(Project(plain.canvas, Track((clip_of(probe(wide), Fit("follow")),))))
    seconds = time.perf_counter() - start
    keys = len(follow.main.clips[0].fit.keys)
    print(
        f"1920x1080 landscape: subject analysis 600 frames in {seconds:.1f} s = "
        f"{600 / seconds:.0f} fps, {keys} focus keys"
    )
    runs: dict[str, list[tuple[float, float]]] = {"centre crop": [], "auto-reframe": []}
    for _ in range(repeat):
        runs["centre crop"].append(timed_export(plain, folder / "plain.mp4"))
        runs["auto-reframe"].append(timed_export(follow, folder / "follow.mp4"))
    report(runs, "auto-reframe", "centre crop", 1.25, repeat)


def report(
    runs: dict[str, list[tuple[float, float]]], effect: str, base: str, target: float, repeat: int
) -> None:
    best = {name: min(times) for name, times in runs.items()}
    for name, (wall, cpu) in best.items():
        print(f"  {name:16s} wall {wall:6.2f} s  ffmpeg CPU {cpu:6.1f} s  (best of {repeat})")
    wall_ratio = best[effect][0] / best[base][0]
    cpu_ratio = best[effect][1] / best[base][1]
    print(f"  {effect} / {base}: wall {wall_ratio:.2f}, CPU {cpu_ratio:.2f} (target <= {target})")


def compare(label: str, tall: Path | None, folder: Path, repeat: int) -> None:
    from studio.analysis.people import person_masks

    blurred = edit(Background("blur", strength=0.6), tall)
    start = time.perf_counter()
    person_masks(blurred, 30)
    seconds = time.perf_counter() - start
    frames = 20 * 30
    print(
        f"{label}: person analysis {frames} frames in {seconds:.1f} s = {frames / seconds:.0f} fps"
    )
    runs: dict[str, list[tuple[float, float]]] = {"plain": [], "background blur": []}
    for _ in range(repeat):
        runs["plain"].append(timed_export(edit(None, tall), folder / "plain.mp4"))
        runs["background blur"].append(timed_export(blurred, folder / "blur.mp4"))
    report(runs, "background blur", "plain", 1.40, repeat)


if __name__ == "__main__":
    raise SystemExit(main())
