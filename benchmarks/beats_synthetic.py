"""Beat tracking on a synthesised labelled set (tests/arrangements.py): 15 styles (four-on-the-
floor, backbeat rock, funk, reggae one drop, ska, swing, shuffle, trap, waltz, 6/8, bossa nova,
rock over an eighth-note bass, syncopated pop, house with open off-beat hats, with and without
an off-beat bass) over bass, chords and a melody, 24 excerpts of 20 s each, at tempi across
each style's range, a fifth ramping by up to 12%, a fifth with a drumless middle third, peaks
from -1 to -20 dBFS.
Made here, never stored.

Per style: mean beat F (mir_eval, 70 ms), tempo octave right (+-8%), phase right (of the steady
excerpts: more tracked beats within a quarter beat of an annotated beat than of an off-beat),
meter right (of the 3/4 and 4/4 styles). The last line: `synthetic F X phase P% meter M%`
(targets 0.95, 98%, 90%).
Run: python benchmarks/beats_synthetic.py [--per-style 24] [--style NAME]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.analysis.beats import analyse_samples
from tests.arrangements import RATE, arrangement, phase_right, synthetic_set
from tests.music import f_measure


def octave_right(annotated: np.ndarray, tempo: float) -> bool:
    reference = 60.0 / float(np.median(np.diff(annotated)))
    return abs(tempo / reference - 1) <= 0.08


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-style", type=int, default=24)
    parser.add_argument("--style", help="only this style")
    args = parser.parse_args()
    rows: dict[str, list[tuple[float, bool, bool | None, bool | None]]] = defaultdict(list)
    for spec in synthetic_set(args.per_style):
        if args.style and spec["style"] != args.style:
            continue
        excerpt = arrangement(**spec)
        result = analyse_samples(excerpt.samples, RATE)
        found = np.array(result.beats)
        f = f_measure(excerpt.beats, found)
        phase = phase_right(excerpt.beats, found) if excerpt.steady else None
        meter = result.meter == excerpt.meter if excerpt.meter in (3, 4) else None
        rows[excerpt.style].append((f, octave_right(excerpt.beats, result.tempo), phase, meter))
    print(f"{'style':18s} {'n':>3s} {'F':>6s} {'octave':>7s} {'phase':>6s} {'meter':>6s}")
    every = [row for found in rows.values() for row in found]
    for style, found in [*rows.items(), ("all", every)]:
        print(_line(style, found))
    f, _, phase, meter = _summary(every)
    print(f"synthetic F {f:.3f} phase {phase:.0%} meter {meter:.0%}")
    return 0


def _summary(found: list[tuple[float, bool, bool | None, bool | None]]) -> tuple[float, ...]:
    phases = [p for _, _, p, _ in found if p is not None]
    meters = [m for _, _, _, m in found if m is not None]
    return (
        float(np.mean([f for f, _, _, _ in found])),
        float(np.mean([o for _, o, _, _ in found])),
        float(np.mean(phases)) if phases else float("nan"),
        float(np.mean(meters)) if meters else float("nan"),
    )


def _line(style: str, found: list[tuple[float, bool, bool | None, bool | None]]) -> str:
    f, octave, phase, meter = _summary(found)
    return f"{style:18s} {len(found):3d} {f:6.3f} {octave:7.0%} {phase:6.0%} {meter:6.0%}"


if __name__ == "__main__":
    raise SystemExit(main())
