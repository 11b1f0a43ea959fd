"""Beat analysis of a soundtrack: tempo, beats, bar starts, onsets, strength, energy, sections.

Results are plain data (BeatAnalysis), cached as JSON by file content and analysis parameters,
so the second analysis of a file is a file read. Times are seconds from the start of the file.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.analysis.tuning import TUNING, Tuning
from studio.errors import AnalysisError
from studio.io.runner import Task, as_task
from studio.model.limits import check_range
from studio.model.time import beat_time
from studio.model.timeline import STEADY, BeatGrid

if TYPE_CHECKING:
    from studio.analysis.levels import Scorer
    from studio.analysis.spectral import Spectra

ANALYSIS_VERSION = 11  # bump when results change, so old cache entries are not reused
WEAK_SECONDS = 4.0  # a section without a steady beat this long is worth a warning
ONSET_SPACING = 0.05  # seconds between onsets at least
ONSET_DELTA = 0.7  # onset peaks rise this many standard deviations above the local mean


@dataclass(frozen=True)
class Section:
    start: float
    energy: float  # 0..1, mean loudness of the section within the track
    confidence: float = 0.0  # 0..1, how steady the beat is in this section


@dataclass(frozen=True)
class BeatAnalysis:
    duration: float
    tempo: float  # beats per minute, from the median beat spacing
    meter: int  # beats per bar: 3 or 4
    beats: tuple[float, ...]
    downbeats: tuple[float, ...]
    onsets: tuple[float, ...]
    strengths: tuple[float, ...]  # per beat, 0..1 (onset strength at the beat)
    intensity: tuple[float, ...]  # per beat, 0..1 (loudness and activity, ranked in the track)
    energy_rate: int  # samples per second of `energy`
    energy: tuple[float, ...]  # 0..1 loudness curve
    sections: tuple[Section, ...]
    confidence: float = 0.0  # 0..1, how steady the beat is (see analysis.refine.steadiness)
    weak: tuple[tuple[float, float, float], ...] = ()  # (start, end, confidence): no steady beat

    @property
    def steady(self) -> bool:
        return self.confidence >= STEADY

    @property
    def warning(self) -> str:
        """What to tell the user when the sound has no steady beat ("" when it has one)."""
        if self.steady:
            return ""
        return (
            f"no steady beat (confidence {self.confidence:.2f}, under {STEADY}): this sounds "
            "like speech or free-time music; cuts will not follow a pulse"
        )

    @property
    def weak_parts(self) -> tuple[tuple[float, float, float], ...]:
        """(start, end, confidence) of each stretch without a steady beat in a track that has
        one (a beatless track gets `warning` instead)."""
        return self.weak if self.steady else ()

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "steady": self.steady}

    def grid(self) -> BeatGrid:
        """The beat grid a project keeps for its music (times to 0.1 ms)."""
        return BeatGrid(
            tempo=self.tempo,
            meter=self.meter,
            detected=tuple(beat_time(t) for t in self.beats),
            downbeats=tuple(beat_time(t) for t in self.downbeats),
            intensity=self.intensity,
            confidence=round(self.confidence, 3),
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BeatAnalysis:
        fields: dict[str, Any] = {
            key: tuple(value) if isinstance(value, list) else value
            for key, value in data.items()
            if key != "steady"
        }
        fields["sections"] = tuple(Section(**section) for section in data["sections"])
        fields["weak"] = tuple(tuple(stretch) for stretch in data.get("weak", ()))
        return cls(**fields)


def analyse(
    path: str | Path, cache: bool = True, task: Task | None = None, bpm: float | None = None
) -> BeatAnalysis:
    """Analyse the first audio stream of any file ffmpeg reads (music, or a video's sound).
    `bpm`: the tempo the user knows the music has (it settles a half- or double-time reading)."""
    from studio.io.cache import cache_dir, cached, content_key

    if not Path(path).is_file():
        raise AnalysisError("no such file", path)
    if bpm is not None:
        check_range("grid.bpm", bpm, "bpm")
    entry = cache_dir("beats") / f"{content_key(path, ANALYSIS_VERSION, bpm)}.json"
    return cached(
        entry,
        lambda: _analyse_file(path, as_task(task), bpm),
        BeatAnalysis.as_json,
        BeatAnalysis.from_json,
        cache,
    )


def _analyse_file(path: str | Path, task: Task, bpm: float | None) -> BeatAnalysis:
    from studio.analysis.audio import load_audio

    audio = load_audio(path, task=task.part(0, 0.5))
    task.report(0.5, "finding the beats")
    result = analyse_samples(audio.samples, audio.rate, task.part(0.5, 1), bpm)
    if len(result.beats) < 2:
        raise AnalysisError("no steady beat found in the audio", path)
    return result


def analyse_samples(
    samples: Any,
    rate: int,
    task: Task | None = None,
    bpm: float | None = None,
    tuning: Tuning = TUNING,
) -> BeatAnalysis:
    """The analysis of mono float samples (no cache); cancellable between its stages."""
    from studio.analysis.spectral import spectra

    task = as_task(task)
    found = spectra(samples, rate)
    task.report(0.4, "finding the beats")
    return analyse_spectra(found, samples, rate, bpm, tuning, task)


def analyse_spectra(
    found: Spectra,
    samples: Any,
    rate: int,
    bpm: float | None = None,
    tuning: Tuning = TUNING,
    task: Task | None = None,
    scorer: Scorer | None = None,
) -> BeatAnalysis:
    """The analysis from the samples' spectra (what benchmarks reuse across tunings, and across
    beat-level scorers: `scorer` stands for the bundled one, see analysis.levels)."""
    times = _beat_times(found, samples, rate, bpm, tuning, scorer)
    if len(times) == 0:
        return _no_beats(len(samples) / rate)
    as_task(task).report(0.8, "finding the bars")
    return _describe(found, times, len(samples) / rate, tuning)


def _beat_times(
    found: Spectra,
    samples: Any,
    rate: int,
    hint: float | None,
    tuning: Tuning,
    scorer: Scorer | None = None,
) -> Any:
    """Beat times in seconds: tracked on the onset envelope at the estimated tempo and at its
    other metrical levels, each on and between the beats; the grid analysis.levels rates best,
    refined on the samples. A tempo hint fixes the level (only the phase is chosen)."""
    import numpy as np

    from studio.analysis import levels, tempo as pulse
    from studio.analysis.refine import refine_beats

    onset, loud = tracked_envelope(found, tuning)
    bpm = pulse.estimate_tempo(onset, found.frame_seconds, hint, tuning)
    if bpm == 0:
        return np.zeros(0)
    tried = (1.0,) if hint is not None else levels.LEVELS
    grids = levels.candidates(onset, bpm, found.frame_seconds, tried, tuning)
    if not grids:
        return np.zeros(0)
    best = levels.choose(grids, levels.Evidence(found, onset, loud), scorer)
    return refine_beats(found.times(best.beats), samples, rate)


def tracked_envelope(found: Spectra, tuning: Tuning = TUNING) -> tuple[Any, Any]:
    """The onset envelope the beats are tracked on: every new sound (the dB flux), with
    `tuning.loud_share` of what is loud (spectral.loud_flux), each scaled to unit spread; and
    that loud flux itself (analysis.levels measures grids on it too)."""
    from studio.analysis.spectral import loud_flux
    from studio.analysis.tempo import normalise

    loud = loud_flux(found, tuning.loud_range_db)
    if tuning.loud_share <= 0:
        return found.onset, loud
    mixed = (1 - tuning.loud_share) * normalise(found.onset) + tuning.loud_share * normalise(loud)
    return mixed, loud


def _describe(found: Spectra, times: Any, seconds: float, tuning: Tuning) -> BeatAnalysis:
    import numpy as np

    from studio.analysis import meter as bars
    from studio.analysis.refine import grid_tempo, steadiness, windowed_steadiness
    from studio.analysis.spectral import peaks
    from studio.analysis.tempo import normalise

    last = len(found.onset) - 1
    beats = np.clip(np.round(times / found.frame_seconds), 0, last).astype(np.intp)
    tempo = grid_tempo(times)
    period = 60.0 / tempo / found.frame_seconds if tempo else 1.0
    steady = windowed_steadiness(found.onset, period, found.frame_seconds)
    confidence = steadiness(steady[1])
    # without a steady beat the grid's bar evidence is noise: keep the common 4/4
    meter = 4
    if confidence >= STEADY:
        meter = bars.guess_meter(bars.meter_scores(found, beats), tuning)
    positions = bars.bar_positions(bars.downbeat_scores(found, beats), meter)
    spacing = max(1, int(ONSET_SPACING / found.frame_seconds))
    onsets = found.times(peaks(normalise(found.onset), spacing, ONSET_DELTA))
    strength = bars.near(found.onset, beats)
    strength = np.clip(strength / max(float(np.percentile(strength, 95)), 1e-9), 0.0, 1.0)
    curve_times, curve = bars.loudness_curve(found)
    return BeatAnalysis(
        duration=round(seconds, 4),
        tempo=tempo,
        meter=meter,
        beats=_rounded(times),
        downbeats=_rounded(times[positions == 0]),
        onsets=_rounded(onsets),
        strengths=_rounded(strength, 3),
        intensity=_rounded(bars.intensity(found, beats), 3),
        energy_rate=bars.ENERGY_RATE,
        energy=_rounded(curve, 3),
        sections=_sections(times, bars.section_starts(found, beats), (curve_times, curve), steady),
        confidence=round(confidence, 3),
        weak=_weak_stretches(*steady, seconds),
    )


def _no_beats(duration: float) -> BeatAnalysis:
    return BeatAnalysis(round(duration, 4), 0.0, 4, (), (), (), (), (), 10, (), ())


def _sections(times: Any, starts: Any, loudness: Any, steady: Any) -> tuple[Section, ...]:
    """Sections from the change points: each with its mean loudness and the steadiness of the
    windows centred in it (the nearest window for a section shorter than the window step)."""
    if len(times) == 0:
        return ()
    curve_times, curve = loudness
    centres, values = steady
    bounds = [float(times[0]), *(float(times[i]) for i in starts), float(curve_times[-1]) + 1]
    sections = []
    for start, end in itertools.pairwise(bounds):
        inside = (curve_times >= start) & (curve_times < end)
        level = float(curve[inside].mean()) if inside.any() else 0.0
        confidence = _steadiness_within(centres, values, start, end)
        sections.append(Section(round(start, 4), round(level, 3), round(confidence, 3)))
    return tuple(sections)


def _weak_stretches(centres: Any, values: Any, seconds: float) -> tuple[Any, ...]:
    """Runs of 8-second windows whose steadiness is under STEADY, as (start, end, median
    steadiness), each run from its first window's centre to its last's (the track's ends
    included when the run reaches them), kept when at least WEAK_SECONDS long."""
    import numpy as np

    weak = np.append(values < STEADY, False) if len(values) else np.zeros(1, bool)
    stretches, first = [], None
    for index, low in enumerate(weak):
        if low and first is None:
            first = index
        elif not low and first is not None:
            start = 0.0 if first == 0 else float(centres[first])
            end = seconds if index == len(values) else float(centres[index - 1])
            if end - start >= WEAK_SECONDS:
                level = float(np.median(values[first:index]))
                stretches.append((round(start, 2), round(end, 2), round(level, 3)))
            first = None
    return tuple(stretches)


def _steadiness_within(centres: Any, values: Any, start: float, end: float) -> float:
    """The median steadiness of the windows centred between start and end, else the nearest."""
    import numpy as np

    if len(values) == 0:
        return 0.0
    held = (centres >= start) & (centres < end)
    if held.any():
        return float(np.median(values[held]))
    return float(values[np.abs(centres - (start + end) / 2).argmin()])


def _rounded(values: Any, digits: int = 4) -> tuple[float, ...]:
    return tuple(round(float(value), digits) for value in values)
