"""How fast captions are made: seconds of speech transcribed per second of wall time, in a new
process (so the model load counts), on 60 s of real speech (the shared corpus' recordings one
after another: jfk, the GRID talking heads, the sphinx4 digits, repeated to 60 s).

The baseline in the same run is decoding the same 60 s to 16 kHz samples (what any recognizer
needs first). Each figure is the best of `--repeat` runs with an empty transcript cache.
Run: python benchmarks/captions_speed.py [--repeat 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.io.ffmpeg_bin import ffmpeg_exe

PEOPLE = Path(__file__).resolve().parents[2] / "shared" / "media" / "people"
SPEECH = [
    PEOPLE / "whisper" / "jfk.flac",
    PEOPLE / "lipnet-grid" / "id2_vcd_swwp2s.mpg",
    PEOPLE / "lipnet-grid" / "bbaf2n.mpg",
    PEOPLE / "sphinx4" / "10001-90210-01803.wav",
]
SECONDS = 60
RUN = """
import os, sys, time
start = time.perf_counter()
from studio.settings import Settings, apply
apply(Settings.from_environment(os.environ))  # the cache folder, as the command line does
from studio.analysis.speech import transcribe
words = transcribe(sys.argv[1]).words
print(time.perf_counter() - start, len(words))
"""


def sixty_seconds(folder: Path) -> Path:
    """The recordings one after another, mono 16 kHz, looped and cut to 60 s."""
    target = folder / "speech.wav"
    inputs = [arg for path in SPEECH for arg in ("-i", str(path))]
    joined = "".join(
        f"[{i}:a]aformat=sample_rates=16000:channel_layouts=mono[a{i}];" for i in range(len(SPEECH))
    )
    joined += (
        "".join(f"[a{i}]" for i in range(len(SPEECH)))
        + f"concat=n={len(SPEECH)}:v=0:a=1,aloop=loop=-1:size=2e9[out]"
    )
    argv = [ffmpeg_exe(), "-v", "error", "-y", *inputs, "-filter_complex", joined]
    subprocess.run([*argv, "-map", "[out]", "-t", str(SECONDS), str(target)], check=True)
    return target


def transcribe_in_new_process(audio: Path, cache: Path) -> tuple[float, float, int]:
    """(wall seconds of the whole process, seconds inside it from import to words, words)."""
    import os

    env = {**os.environ, "STUDIO_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(audio)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    wall = time.perf_counter() - start
    inside, words = done.stdout.split()[-2:]
    return wall, float(inside), int(words)


def decode_seconds(audio: Path) -> float:
    start = time.perf_counter()
    argv = [ffmpeg_exe(), "-v", "error", "-i", str(audio), "-ac", "1", "-ar", "16000"]
    subprocess.run([*argv, "-f", "f32le", "-"], capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp:
        folder = Path(tmp)
        audio = sixty_seconds(folder)
        runs = [transcribe_in_new_process(audio, folder / f"cache{i}") for i in range(args.repeat)]
        wall, inside, words = min(runs)
        decode = min(decode_seconds(audio) for _ in range(args.repeat))
    print(f"{SECONDS} s of speech, {words} words (best of {args.repeat}, a new process each)")
    print(f"  decode to 16 kHz alone:        {decode:5.2f} s  ({SECONDS / decode:6.1f}x realtime)")
    print(f"  transcribe, process wall:      {wall:5.2f} s  ({SECONDS / wall:6.1f}x realtime)")
    print(f"  of which import + load + run:  {inside:5.2f} s  (target: >= 3x realtime overall)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
