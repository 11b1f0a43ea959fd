"""Fits the beat-level scorer (studio/analysis/levels.py); scores it on what it was not fitted on.

Examples: the synthesised arrangements of tests/arrangements.py drawn with TRAIN_SEED (another
draw than the benchmarks' own), each once as made and once played in a room (`roomy`), CLICKS
click tracks, and the development excerpts, which together weigh REAL_SHARE of the fit. For
each: the tracked envelope, the estimated tempo, every candidate grid (levels.candidates), its
features and its beat F against the annotation. The fit: a softmax over each example's
candidates, pulled towards the candidates with the best F (a target of exp(SHARPNESS * (F - best
F))), each network a layer of HIDDEN tanh units plus a linear term, weights held small by L2;
the scorer is the mean of NETWORKS such fits from different random starting weights.

Held out, through the whole analysis: each development excerpt with a scorer fitted without it,
and each synthesised style (the benchmark's draw) with one fitted without that style, so a style
the scorer never heard counts as unseen music. Then the fit on everything (the one shipped):
in-sample on the development excerpts and on the benchmark's draw (other excerpts of the styles
it was fitted on), and on what it was never fitted on: the older annotated excerpts of
benchmarks/beats_accuracy.py and its click tracks.
--write saves that fit to studio/assets/models/beat_levels.json.

Run: python benchmarks/train_beat_levels.py [--per-style 24] [--write]  (about 8 minutes)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.beats_accuracy import CLICKS as CLICK_BPMS, MEDIA, OLDER, dev_cases
from studio.analysis import levels
from studio.analysis.audio import load_audio
from studio.analysis.beats import analyse_spectra, tracked_envelope
from studio.analysis.spectral import Spectra, spectra
from studio.analysis.tempo import estimate_tempo
from studio.analysis.tuning import TUNING
from tests.arrangements import BENCHMARK_SEED, RATE, STYLES, arrangement, phase_right, synthetic_set
from tests.music import annotations, click_track, f_measure

TRAIN_SEED = 7
REAL_SHARE = 0.3  # the development excerpts' share of the fit, all together
L2 = 0.01
HIDDEN = 4  # tanh units
CLICKS = 40  # click tracks among the training examples
SHARPNESS = 20.0
NETWORKS = 5  # fits from different starting weights, averaged


@dataclass
class Example:
    set: str  # "dev" or a style
    id: str
    samples: np.ndarray
    rate: int
    beats: np.ndarray  # annotated
    steady: bool
    found: Spectra
    features: np.ndarray  # (candidates, features)
    f: np.ndarray  # beat F of each candidate
    labels: list[str]  # each candidate's level and phase


def example(kind: str, name: str, samples: Any, rate: int, beats: Any, steady: bool) -> Example:
    found = spectra(samples, rate)
    onset, loud = tracked_envelope(found, TUNING)
    bpm = estimate_tempo(onset, found.frame_seconds, None, TUNING)
    grids = levels.candidates(onset, bpm, found.frame_seconds, levels.LEVELS, TUNING) if bpm else []
    evidence = levels.Evidence(found, onset, loud)
    features = np.array([evidence.features(grid) for grid in grids]).reshape(len(grids), -1)
    scores = np.array([f_measure(beats, found.times(grid.beats)) for grid in grids])
    labels = [f"x{grid.level:.2g}+{grid.phase:g}" for grid in grids]
    return Example(kind, name, samples, rate, beats, steady, found, features, scores, labels)


def synthetic(per_style: int, seed: int, rooms: bool = False) -> list[Example]:
    """The synthesised draw `seed`; with `rooms`, each excerpt played in a room (see `roomy`)."""
    rng = np.random.default_rng(seed)
    found = []
    for spec in synthetic_set(per_style, seed=seed):
        made = arrangement(**spec)
        samples = roomy(made.samples, rng) if rooms else made.samples
        found.append(example(made.style, made.style, samples, RATE, made.beats, made.steady))
    return found


def never_fitted() -> list[Example]:
    """The older annotated excerpts and the accuracy benchmark's click tracks."""
    found = []
    for audio_name, beats_name in OLDER:
        audio = load_audio(MEDIA / audio_name)
        beats, _ = annotations(MEDIA / beats_name)
        name = Path(audio_name).stem
        found.append(example("older", name, audio.samples, audio.rate, beats, True))
    for bpm in CLICK_BPMS:
        samples, beats = click_track(bpm, 20.0)
        found.append(example("clicks", f"click{bpm}", samples, RATE, beats, True))
    return found


def metronomes(count: int, seed: int) -> list[Example]:
    """Click tracks at tempi from 50 to 215 BPM, every other one in a room: the plainest beat
    there is, and an even pulse (as strong between two beats as on them) that the arrangements
    never play alone."""
    rng = np.random.default_rng(seed)
    found = []
    for index in range(count):
        bpm, start = float(rng.uniform(50, 215)), float(rng.uniform(0.1, 1.0))
        samples, beats = click_track(bpm, 20.0, start)
        samples = roomy(samples, rng) if index % 2 else samples
        found.append(example("click", f"click{bpm:.0f}", samples, RATE, beats, True))
    return found


def roomy(samples: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The excerpt as a recording hears it: reverberation (a decaying noise tail, RT60 0.2-1.5 s,
    mixed in at 20-70 %) and a noise floor 15-40 dB under the music, at the same peak level.
    The arrangements are cleaner than any recording: a scorer fitted on them alone learns
    contrasts between beats and off-beats that real music never shows."""
    from scipy.signal import fftconvolve

    seconds = float(rng.uniform(0.2, 1.5))
    t = np.arange(int(seconds * RATE)) / RATE
    tail = rng.normal(size=len(t)) * np.exp(-6.9 * t / seconds)
    wet = fftconvolve(samples, tail)[: len(samples)]
    wet *= np.std(samples) / max(float(np.std(wet)), 1e-12)
    share = float(rng.uniform(0.2, 0.7))
    mixed = (1 - share) * samples + share * wet
    floor = np.std(mixed) * 10 ** (-float(rng.uniform(15, 40)) / 20)
    mixed = mixed + rng.normal(size=len(mixed)) * floor
    peak = np.abs(samples).max() / max(float(np.abs(mixed).max()), 1e-12)
    return np.asarray(mixed * peak, dtype=np.float32)


def fit(examples: list[Example]) -> levels.Scorer:
    """The softmax fit of the module docstring (L-BFGS on the weighted mean cross-entropy plus
    L2 on every weight), NETWORKS times, from small random weights drawn with seeds 0, 1, ..."""
    from scipy.optimize import minimize

    used = [item for item in examples if len(item.f) > 1]
    every = np.concatenate([item.features for item in used])
    mean, scale = every.mean(axis=0), every.std(axis=0) + 1e-9
    problem = _Problem((every - mean) / scale, used)
    networks = []
    for seed in range(NETWORKS):
        start = np.random.default_rng(seed).normal(0.0, 0.1, problem.size)
        found = minimize(problem.loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 500})
        networks.append(levels.Network(mean, scale, *problem.unpack(found.x)))
    return levels.Scorer(tuple(networks))


class _Problem:
    """The loss of a scorer over every example's candidates at once: candidates stacked in one
    array, each example a segment of it (`starts`), its softmax taken segment by segment."""

    def __init__(self, standard: np.ndarray, used: list[Example]) -> None:
        self.x = standard
        sizes = np.array([len(item.f) for item in used])
        self.starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.segment = np.repeat(np.arange(len(used)), sizes)
        self.target = np.concatenate([_target(item.f) for item in used])
        real = np.array([item.set == "dev" for item in used])
        share = np.where(real, REAL_SHARE / max(real.sum(), 1), (1 - REAL_SHARE) / (~real).sum())
        self.weight = share[self.segment]
        features = standard.shape[1]
        self.shapes = ((features, HIDDEN), (HIDDEN,), (HIDDEN,), (features,))
        self.size = sum(int(np.prod(shape)) for shape in self.shapes)

    def unpack(self, flat: np.ndarray) -> list[np.ndarray]:
        parts, at = [], 0
        for shape in self.shapes:
            count = int(np.prod(shape))
            parts.append(flat[at : at + count].reshape(shape))
            at += count
        return parts

    def loss(self, flat: np.ndarray) -> tuple[float, np.ndarray]:
        hidden, bias, out, linear = self.unpack(flat)
        units = np.tanh(self.x @ hidden + bias)
        scores = units @ out + self.x @ linear
        top = np.maximum.reduceat(scores, self.starts)[self.segment]
        raised = np.exp(scores - top)
        shares = raised / np.add.reduceat(raised, self.starts)[self.segment]
        value = -float(np.sum(self.weight * self.target * np.log(shares + 1e-12)))
        pull = self.weight * (shares - self.target)  # d value / d score (targets sum to 1)
        back = np.outer(pull, out) * (1 - units**2)
        gradient = np.concatenate(
            [(self.x.T @ back).ravel(), back.sum(axis=0), units.T @ pull, self.x.T @ pull]
        )
        return value + 0.5 * L2 * float(flat @ flat), gradient + L2 * flat


def _target(f: np.ndarray) -> np.ndarray:
    target = np.exp(SHARPNESS * (f - f.max()))
    return np.asarray(target / target.sum())


def held_out_f(item: Example, scorer: levels.Scorer) -> tuple[float, bool | None]:
    """Beat F of the whole analysis with `scorer`, and whether it is on the beat (steady)."""
    result = analyse_spectra(item.found, item.samples, item.rate, scorer=scorer)
    beats = np.array(result.beats)
    phase = phase_right(item.beats, beats) if item.steady and len(beats) else None
    return f_measure(item.beats, beats), phase


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-style", type=int, default=24)
    parser.add_argument("--write", action="store_true", help="save the fit on everything")
    args = parser.parse_args()
    dev = [example("dev", c.id, c.samples, c.rate, c.beats, True) for c in dev_cases()]
    train = synthetic(args.per_style, TRAIN_SEED) + synthetic(args.per_style, TRAIN_SEED, True)
    train += metronomes(CLICKS, TRAIN_SEED)
    bench = synthetic(args.per_style, BENCHMARK_SEED)
    print(f"{len(dev)} development excerpts, {len(train)} + {len(bench)} synthesised")
    held = [held_out_f(item, fit([d for d in dev if d is not item] + train))[0] for item in dev]
    for item, f in zip(dev, held, strict=True):
        print(f"dev {item.id:28s} held-out F {f:.3f}")
    by_style: dict[str, list[tuple[float, bool | None]]] = defaultdict(list)
    for style in STYLES:
        scorer = fit(dev + [item for item in train if item.set != style])
        by_style[style] = [held_out_f(item, scorer) for item in bench if item.set == style]
        print(f"style {style:20s} held-out F {np.mean([f for f, _ in by_style[style]]):.3f}")
    shipped = fit(dev + train)
    inside = [held_out_f(item, shipped)[0] for item in dev]
    bench_inside = [held_out_f(item, shipped) for item in bench]
    print(_report(held, by_style, inside, bench_inside))
    for item in never_fitted():
        print(f"not fitted on: {item.set} {item.id:22s} F {held_out_f(item, shipped)[0]:.3f}")
    if args.write:
        _write(shipped)
    return 0


def _report(held: list[float], by_style: dict[str, Any], inside: list[float], bench: Any) -> str:
    syn = [row for rows in by_style.values() for row in rows]
    phases = [phase for _, phase in syn if phase is not None]
    bench_phases = [phase for _, phase in bench if phase is not None]
    return (
        f"held out: dev F {np.mean(held):.3f}, synthetic (style left out) F "
        f"{np.mean([f for f, _ in syn]):.3f} phase {np.mean(phases):.0%}\n"
        f"fitted on all: dev F {np.mean(inside):.3f}, synthetic (benchmark draw, styles seen) F "
        f"{np.mean([f for f, _ in bench]):.3f} phase {np.mean(bench_phases):.0%}"
    )


def _write(scorer: levels.Scorer) -> None:
    data: dict[str, Any] = {
        "about": "beat-level scorer of studio/analysis/levels.py, fitted by "
        "benchmarks/train_beat_levels.py",
        "features": list(levels.FEATURES),
        "networks": [
            {key: np.round(getattr(net, key), 6).tolist() for key in levels.NETWORK_FIELDS}
            for net in scorer.networks
        ],
    }
    levels.WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
    levels.WEIGHTS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {levels.WEIGHTS}")


if __name__ == "__main__":
    raise SystemExit(main())
