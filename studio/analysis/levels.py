"""Which pulse is the beat: the metrical level and phase of the grid, chosen by a trained scorer.

The tempo estimate finds a pulse the music repeats, but the same music repeats at half and twice
that tempo (at a third, two thirds or three halves of it in 6/8 or a shuffle), and a grid can
sit on the beats or between them. Fixed rules for these choices (double an even pulse, move the
grid where the low band is strongest) each helped some music and flipped other music. Here every
candidate grid (the estimated tempo times LEVELS, each on the tracked phase and half a beat on)
is described by FEATURES and rated by a few small networks (Scorer); the best-rated grid is the
beat. Among the features: how strongly the music repeats at one beat and at two, three and four
beats (a bar), so a grid whose bar does not repeat (half the beat of a fast waltz) is told apart.

The weights are in studio/assets/models/beat_levels.json, fitted by
benchmarks/train_beat_levels.py on synthesised arrangements (tests/arrangements.py, drawn apart
from the benchmark's own, clean and in simulated rooms), click tracks and the development
excerpts; the script scores it on held-out excerpts and on styles left out of the fit.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from studio.analysis import tempo as pulse
from studio.analysis.spectral import Array, band_flux_between
from studio.analysis.tuning import TUNING, Tuning

if TYPE_CHECKING:
    from studio.analysis.spectral import Spectra

WEIGHTS = Path(__file__).resolve().parents[1] / "assets" / "models" / "beat_levels.json"
LEVELS = (1.0, 0.5, 2.0, 1 / 3, 3.0, 2 / 3, 3 / 2)  # tempi tried, as multiples of the estimated one
PHASES = (0.0, 0.5)  # and where in the beat, as a share of a beat on from the tracked grid
BAND_EDGES_HZ = (0.0, 150.0, 500.0, 2000.0, 20000.0)  # bass, low mids, mids, highs
ENVELOPES = ("tracked", "db", "loud", "bass", "low_mid", "mid", "high")
BAR_BEATS = (1, 2, 3, 4)  # repetition is measured at these many beats
FEATURES = (
    "tempo_prior",
    *(f"repetition_{beats}" for beats in BAR_BEATS),
    *(f"on_{name}" for name in ENVELOPES),
    *(f"on_over_between_{name}" for name in ENVELOPES),
    *(f"on_over_thirds_{name}" for name in ENVELOPES),
)


@dataclass(frozen=True)
class Candidate:
    level: float  # times the estimated tempo
    phase: float  # share of a beat on from the tracked grid
    bpm: float
    beats: npt.NDArray[np.intp]  # frames


@dataclass(frozen=True)
class Network:
    """A grid's score from its features: standardised, then a layer of tanh units plus a
    straight linear term (a small neural network; `hidden` may have no units)."""

    mean: Array  # (features,)
    scale: Array  # (features,)
    hidden: Array  # (features, units)
    bias: Array  # (units,)
    out: Array  # (units,)
    linear: Array  # (features,)

    def scores(self, features: Array) -> Array:
        standard = (features - self.mean) / self.scale
        units = np.tanh(standard @ self.hidden + self.bias)
        return np.asarray(units @ self.out + standard @ self.linear)


@dataclass(frozen=True)
class Scorer:
    """The mean score of networks fitted on the same examples from different starting weights:
    one network's choice between two close grids can hang on where its fit started."""

    networks: tuple[Network, ...]

    def scores(self, features: Array) -> Array:
        return np.asarray(np.mean([net.scores(features) for net in self.networks], axis=0))


class Evidence:
    """What the features of a grid are measured on: the envelopes of one excerpt (each scaled
    to unit spread) and the repetition of the tracked envelope (unbiased, see
    tempo.autocorrelation) at every lag up to a bar of the slowest tempo. `tracked` and `loud`
    come from beats.tracked_envelope."""

    def __init__(self, found: Spectra, tracked: Array, loud: Array) -> None:
        bands = [
            band_flux_between(found, low, high) for low, high in itertools.pairwise(BAND_EDGES_HZ)
        ]
        raw = [tracked, found.onset, loud, *bands]
        self.envelopes = [pulse.normalise(envelope) for envelope in raw]
        self.means = [max(float(envelope.mean()), 1e-9) for envelope in self.envelopes]
        self.frame_seconds = found.frame_seconds
        max_lag = round(60.0 / pulse.MIN_BPM * max(BAR_BEATS) / self.frame_seconds) + 1
        repetition = pulse.autocorrelation(
            self.envelopes[0], max_lag, self.frame_seconds, unbiased=True
        )
        self.repetition = repetition / max(float(repetition[0]), 1e-9)
        self.longest_lag = len(tracked) / 2  # longer lags are measured on too little music

    def features(self, candidate: Candidate) -> Array:
        beats = candidate.beats
        halfway = pulse.shifted(beats, 1 / 2)
        thirds = np.concatenate([pulse.shifted(beats, 1 / 3), pulse.shifted(beats, 2 / 3)])
        log_on, log_between, log_thirds = (
            self._log_strengths(frames) for frames in (beats, halfway, thirds)
        )
        octaves = np.log2(candidate.bpm / TUNING.prior_bpm) / TUNING.prior_octaves
        period = 60.0 / candidate.bpm / self.frame_seconds
        lags = np.arange(len(self.repetition))
        spans = np.multiply(BAR_BEATS, period)
        repetition = np.interp(spans, lags, self.repetition, right=0.0)
        # a bar too long to measure on a short clip is taken to repeat as much as its beat
        repetition = np.where(spans <= self.longest_lag, repetition, repetition[0])
        contrasts = (log_on - log_between, log_on - log_thirds)
        return np.concatenate([[-0.5 * octaves**2], repetition, log_on, *contrasts])

    def _log_strengths(self, frames: npt.NDArray[np.intp]) -> Array:
        """Log of each envelope's mean peak at `frames`, over its mean."""
        on = [
            float(pulse.peak_near(envelope, frames).mean()) / mean
            for envelope, mean in zip(self.envelopes, self.means, strict=True)
        ]
        return np.asarray(np.log(np.maximum(on, 1e-3)))


def candidates(
    tracked: Array, bpm: float, frame_seconds: float, levels: tuple[float, ...], tuning: Tuning
) -> list[Candidate]:
    """Grids at each level within the tempo range, each at every phase of PHASES (grids of
    fewer than four beats are left out)."""
    found = []
    for level in levels:
        tempo = bpm * level
        if not pulse.MIN_BPM <= tempo <= pulse.MAX_BPM:
            continue
        beats = pulse.track_beats(tracked, tempo, frame_seconds, tuning)
        for phase in PHASES:
            grid = beats if phase == 0 else pulse.shifted(beats, phase)
            if len(grid) >= 4:
                found.append(Candidate(level, phase, tempo, grid))
    return found


def choose(
    candidates: list[Candidate], evidence: Evidence, rater: Scorer | None = None
) -> Candidate:
    """The candidate the scorer (the bundled one unless `rater`) rates highest."""
    if len(candidates) == 1:
        return candidates[0]
    features = np.array([evidence.features(candidate) for candidate in candidates])
    return candidates[int((rater or scorer()).scores(features).argmax())]


@cache
def scorer() -> Scorer:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    if tuple(data.get("features", ())) != FEATURES or "networks" not in data:
        raise ValueError(f"{WEIGHTS.name} was fitted on other features; retrain it")
    return Scorer(tuple(_network(fields) for fields in data["networks"]))


def _network(fields: dict[str, list[float]]) -> Network:
    return Network(**{key: np.asarray(fields[key], dtype=np.float64) for key in NETWORK_FIELDS})


NETWORK_FIELDS = ("mean", "scale", "hidden", "bias", "out", "linear")
