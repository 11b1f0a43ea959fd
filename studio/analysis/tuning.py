"""The beat tracker's choices that are fitted to music rather than derived from it, in one place.

Each is a number the analysis could take otherwise; benchmarks/beats_accuracy.py chooses them by
folds (a choice is made on the other excerpts and scored on the one left out) and holds them on
the synthesised set of tests/arrangements.py, so a value that only suits the excerpts it was
chosen on shows as a held-out loss. `TUNING` is what the analysis uses.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tuning:
    loud_share: float = 0.5  # the tracked envelope's share of what is loud (spectral.loud_flux)
    loud_range_db: float = 20.0  # ...counted within this many dB of the loudest band
    prior_bpm: float = 110.0  # the tempo prior's centre: tempi far from it need more evidence
    prior_octaves: float = 0.7  # ...and its width (a Gaussian in octaves)
    drift_gain: float = 1.015  # a grid that follows the tempo must collect this much more onset
    # strength than one period throughout to be kept
    triple_margin: float = 1.2  # 3/4 must separate bar starts this much better than 4/4
    triple_least: float = 0.5  # ...and its bar starts stand this far above the mean


TUNING = Tuning()
