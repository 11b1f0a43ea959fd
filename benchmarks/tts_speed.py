"""Text to speech speed: a 20-word sentence read by each voice of `studio voices`, text to
PCM (Pico's own text analysis included), timed after one warm-up reading; the median of
`--repeat` runs, as seconds of speech per second of wall time (target: at least 5x real time
on 2 cores). The last line is the slowest voice: `realtime X`.
Run: python benchmarks/tts_speed.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SENTENCE = (
    "When the film festival finally opened its doors, hundreds of excited visitors rushed "
    "inside to find the best seats available."
)  # 20 words
BYTES_PER_SECOND = 16000 * 2  # 16 kHz mono 16-bit


def main() -> int:
    from studio.render.tts import VOICES, speak

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    assert len(SENTENCE.split()) == 20
    slowest = float("inf")
    for name in VOICES:
        speech = len(speak(SENTENCE, name)) / BYTES_PER_SECOND  # the warm-up
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            speak(SENTENCE, name)
            times.append(time.perf_counter() - started)
        wall = statistics.median(times)
        pace = speech / wall
        print(f"{name:8s} {speech:5.2f} s of speech in {wall * 1000:6.1f} ms: {pace:6.0f}x")
        slowest = min(slowest, speech / wall)
    print(f"realtime {slowest:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
