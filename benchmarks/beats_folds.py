"""Held-out scores of the beat analysis's tuned choices (benchmarks/beats_accuracy.py --folds).

Every candidate in CANDIDATES (a studio.analysis.tuning.Tuning) runs on the development set
and on the synthesised set; the spectra are computed once per excerpt and shared. For each
development excerpt, the candidate with the best mean F on the other excerpts plus the
synthesised set's mean F is chosen, and that choice is scored on the excerpt left out: the
held-out figures are what a tuning is judged by. Ties go to the candidate listed first.
Every candidate runs with the shipped beat-level scorer, fitted on all eleven excerpts: its own
held-out figures come from benchmarks/train_beat_levels.py, which refits it for every fold.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from studio.analysis.beats import analyse_spectra
from studio.analysis.spectral import spectra
from studio.analysis.tuning import TUNING, Tuning
from tests.arrangements import RATE, arrangement, phase_right, synthetic_set
from tests.music import f_measure

LABELS = ((1.0, "ok"), (2.0, "x2"), (0.5, "x0.5"), (3.0, "x3"), (1 / 3, "x1/3"), (1.5, "x1.5"),
          (2 / 3, "x2/3"))  # fmt: skip
ENVELOPES: dict[str, dict[str, Any]] = {
    "half loud 20 dB": {},
    "dB flux": {"loud_share": 0.0},
    "half loud 30 dB": {"loud_range_db": 30.0},
    "third loud 20 dB": {"loud_share": 1 / 3},
}
PRIORS: dict[str, dict[str, Any]] = {"110": {}, "120": {"prior_bpm": 120.0}}
DRIFTS: dict[str, dict[str, Any]] = {"drift 1.015": {}, "drift 1.025": {"drift_gain": 1.025}}
AXES = (ENVELOPES, PRIORS, DRIFTS)


def candidates() -> dict[str, Tuning]:
    """Every combination of the envelopes, tempo priors and drift gains, the shipped
    tuning first."""
    found = {_name(TUNING): TUNING}
    for choice in itertools.product(*(axis.items() for axis in AXES)):
        name = " | ".join(label for label, _ in choice)
        found.setdefault(name, Tuning(**{k: v for _, fields in choice for k, v in fields.items()}))
    return found


def _name(tuning: Tuning) -> str:
    for choice in itertools.product(*(axis.items() for axis in AXES)):
        if Tuning(**{k: v for _, fields in choice for k, v in fields.items()}) == tuning:
            return " | ".join(label for label, _ in choice)
    return "shipped"


def octave(estimate: float, reference: float, tolerance: float = 0.08) -> str:
    if estimate <= 0:
        return "none"
    for ratio, name in LABELS:
        if abs(estimate / reference / ratio - 1) <= tolerance:
            return name
    return "other"


@dataclass(frozen=True)
class Scored:
    f: float
    octave: str  # against the annotated tempo
    phase: bool | None  # on the beats (None: a ramp, or the tempo is wrong)
    meter: bool | None  # beats per bar right (None: not known)


@dataclass
class Item:
    set: str  # "dev" or "synthetic"
    id: str
    samples: np.ndarray
    rate: int
    beats: np.ndarray
    meter: int | None
    steady: bool
    found: Any  # the spectra

    def score(self, tuning: Tuning) -> Scored:
        result = analyse_spectra(self.found, self.samples, self.rate, None, tuning)
        beats = np.array(result.beats)
        label = octave(result.tempo, 60.0 / float(np.median(np.diff(self.beats))))
        phase = phase_right(self.beats, beats) if self.steady and label == "ok" else None
        meter = result.meter == self.meter if self.meter in (3, 4) else None
        return Scored(f_measure(self.beats, beats), label, phase, meter)


def items(dev: list[Any], per_style: int) -> list[Item]:
    found = [
        Item("dev", case.id, case.samples, case.rate, case.beats, None, True,
             spectra(case.samples, case.rate))
        for case in dev
    ]  # fmt: skip
    for spec in synthetic_set(per_style):
        excerpt = arrangement(**spec)
        meter = excerpt.meter if excerpt.meter in (3, 4) else None
        found.append(Item("synthetic", excerpt.style, excerpt.samples, RATE, excerpt.beats, meter,
                          excerpt.steady, spectra(excerpt.samples, RATE)))  # fmt: skip
    return found


def folds(dev: list[Any], per_style: int) -> int:
    every = items(dev, per_style)
    tunings = candidates()
    scores = {name: [item.score(tuning) for item in every] for name, tuning in tunings.items()}
    devs = [i for i, item in enumerate(every) if item.set == "dev"]
    synthetic = [i for i, item in enumerate(every) if item.set == "synthetic"]
    print(f"{'candidate':62s} {'dev F':>6s} {'syn F':>6s} {'phase':>6s} {'meter':>6s}")
    for name, found in scores.items():
        print(f"{name:62s} {_mean(found, devs):6.3f} {_summary(found, synthetic)}")
    whole = _choose(scores, devs, synthetic)
    apart = "" if whole == _name(TUNING) else " (not the shipped tuning)"
    print(f"chosen on all {len(devs)}: {whole}{apart}")
    held = []
    print(f"{'held out':28s} {'chosen on the others':62s} {'F':>6s} octave  shipped F")
    for left in devs:
        name = _choose(scores, [i for i in devs if i != left], synthetic)
        got, shipped = scores[name][left], scores[_name(TUNING)][left]
        held.append(got)
        print(f"{every[left].id:28s} {name:62s} {got.f:6.3f} {got.octave:>6s} {shipped.f:9.3f}")
    shipped = [scores[_name(TUNING)][i] for i in devs]
    octaves = sum(s.octave not in ("ok", "other", "none") for s in held)
    off = sum(s.phase is False for s in held)
    print(f"shipped tuning on the synthesised set: {_summary(scores[_name(TUNING)], synthetic)}")
    print(
        f"folds: in-sample F {np.mean([s.f for s in shipped]):.3f} held-out F "
        f"{np.mean([s.f for s in held]):.3f} octave errors {octaves}/{len(held)} off-beat {off}"
    )
    return 0


def _choose(scores: dict[str, list[Scored]], devs: list[int], synthetic: list[int]) -> str:
    """The candidate with the best mean F on `devs` plus mean F on the synthesised set."""
    best, best_value = "", -1.0
    for name, found in scores.items():
        value = _mean(found, devs) + (_mean(found, synthetic) if synthetic else 0.0)
        if value > best_value + 1e-9:
            best, best_value = name, value
    return best


def _mean(found: list[Scored], chosen: list[int]) -> float:
    return float(np.mean([found[i].f for i in chosen])) if chosen else float("nan")


def _summary(found: list[Scored], chosen: list[int]) -> str:
    phases = [found[i].phase for i in chosen if found[i].phase is not None]
    meters = [found[i].meter for i in chosen if found[i].meter is not None]
    phase = f"{np.mean(phases):6.0%}" if phases else "     -"
    meter = f"{np.mean(meters):6.0%}" if meters else "     -"
    return f"{_mean(found, chosen):6.3f} {phase} {meter}"
