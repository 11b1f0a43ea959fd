"""The hook of a song: the 15 or 30 seconds a short video uses, starting on a bar.

A hook is loud and it comes back: each window of the asked length that starts on a bar is
scored by its loudness (the mean of the analysis's 0..1 energy curve over it) and by how
strongly its harmony repeats elsewhere in the song (beat by beat chroma: for every shift by a
whole number of bars that does not overlap the window, the mean similarity of the window's
beats to the beats that far away; the best shift counts). Both are ranked across the windows
and added, so neither scale dominates; the best window wins, the earlier on a tie.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from studio.analysis.audio import ANALYSIS_RATE, load_audio
from studio.analysis.beats import analyse
from studio.analysis.spectral import spectra
from studio.errors import AnalysisError
from studio.io.runner import Task, as_task


@dataclass(frozen=True)
class Hook:
    start: float  # seconds into the song, on a bar
    end: float
    loudness: float  # 0..1, the window's mean energy
    repeats: float  # 0..1, how alike its harmony is to the best other place


def find_hook(path: str | Path, seconds: float, task: Task | None = None) -> Hook:
    """The song's hook of `seconds` (the whole song when it is no longer)."""
    task = as_task(task)
    beats = analyse(path, task=task.part(0, 0.6))
    if beats.duration <= seconds or len(beats.downbeats) < 2:
        return Hook(0.0, min(seconds, beats.duration), 1.0, 0.0)
    audio = load_audio(path, ANALYSIS_RATE, task.part(0.6, 0.8))
    chroma = _beat_chroma(audio.samples, beats.beats)
    starts = [bar for bar in beats.downbeats if bar + seconds <= beats.duration + 1e-6]
    if not starts:
        raise AnalysisError(f"no bar starts a {seconds:g} s stretch", path)
    scores = [_window(beats, chroma, start, seconds) for start in starts]
    ranked = _ranks([s[0] for s in scores]) + _ranks([s[1] for s in scores])
    best = int(ranked.argmax())
    return Hook(starts[best], starts[best] + seconds, scores[best][0], scores[best][1])


def _beat_chroma(samples: Any, beat_times: tuple[float, ...]) -> Any:
    """Chroma averaged over each beat, each column of unit length."""
    import numpy as np

    found = spectra(samples, ANALYSIS_RATE)
    frames = np.clip((np.asarray(beat_times) / found.frame_seconds).astype(int), 0,
                     found.chroma.shape[1] - 1)  # fmt: skip
    edges = [*frames, found.chroma.shape[1]]
    columns = [found.chroma[:, a : max(b, a + 1)].mean(axis=1) for a, b in pairwise(edges)]
    chroma = np.array(columns).T
    return chroma / (np.linalg.norm(chroma, axis=0, keepdims=True) + 1e-9)


def _window(beats: Any, chroma: Any, start: float, seconds: float) -> tuple[float, float]:
    """The window's loudness and how strongly it repeats at a whole number of bars away."""
    import numpy as np

    energy = np.asarray(beats.energy)
    rate = beats.energy_rate
    loud = float(energy[int(start * rate) : int((start + seconds) * rate)].mean())
    times = np.asarray(beats.beats)
    inside = np.nonzero((times >= start - 1e-3) & (times < start + seconds - 1e-3))[0]
    if inside.size == 0:
        return loud, 0.0
    bar = beats.meter
    count = chroma.shape[1]
    best = 0.0
    for shift in range(-count, count, bar):
        if abs(shift) < inside.size:
            continue  # overlaps the window itself
        others = inside + shift
        kept = (others >= 0) & (others < count)
        if kept.sum() < inside.size // 2:
            continue
        alike = np.sum(chroma[:, inside[kept]] * chroma[:, others[kept]], axis=0).mean()
        best = max(best, float(alike))
    return loud, best


def _ranks(values: list[float]) -> Any:
    """Each value's rank among them, 0..1."""
    import numpy as np

    order = np.argsort(np.argsort(values, kind="stable"), kind="stable")
    return order / max(1, len(values) - 1)
