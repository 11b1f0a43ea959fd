"""Beat analysis of a soundtrack: tempo, beats, bar starts, onsets, strength, energy, sections.

Results are plain data (BeatAnalysis), cached as JSON by file content and analysis parameters,
so the second analysis of a file is a file read. Times are seconds from the start of the file.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from studio.errors import AnalysisError
from studio.model.time import beat_time
from studio.model.timeline import BeatGrid

ANALYSIS_VERSION = 3  # bump when results change, so old cache entries are not reused
ONSET_SPACING = 0.05  # seconds between onsets at least
ONSET_DELTA = 0.7  # onset peaks rise this many standard deviations above the local mean


@dataclass(frozen=True)
class Section:
    start: float
    energy: float  # 0..1, mean loudness of the section within the track


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

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def grid(self) -> BeatGrid:
        """The beat grid a project keeps for its music (times to 0.1 ms)."""
        return BeatGrid(
            tempo=self.tempo,
            meter=self.meter,
            detected=tuple(beat_time(t) for t in self.beats),
            downbeats=tuple(beat_time(t) for t in self.downbeats),
            intensity=self.intensity,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BeatAnalysis:
        fields: dict[str, Any] = {
            key: tuple(value) if isinstance(value, list) else value for key, value in data.items()
        }
        fields["sections"] = tuple(Section(**section) for section in data["sections"])
        return cls(**fields)


def analyse(path: str | Path, cache: bool = True) -> BeatAnalysis:
    """Analyse the first audio stream of any file ffmpeg reads (music, or a video's sound)."""
    from studio.io.cache import cache_dir, cached, content_key

    if not Path(path).is_file():
        raise AnalysisError("no such file", path)
    entry = cache_dir("beats") / f"{content_key(path, ANALYSIS_VERSION)}.json"
    return cached(
        entry, lambda: _analyse_file(path), BeatAnalysis.as_json, BeatAnalysis.from_json, cache
    )


def _analyse_file(path: str | Path) -> BeatAnalysis:
    from studio.analysis.audio import load_audio

    audio = load_audio(path)
    result = analyse_samples(audio.samples, audio.rate)
    if len(result.beats) < 2:
        raise AnalysisError("no steady beat found in the audio", path)
    return result


def analyse_samples(samples: Any, rate: int) -> BeatAnalysis:
    """The analysis of mono float samples (no cache)."""
    import numpy as np

    from studio.analysis import meter as bars
    from studio.analysis.spectral import peaks, spectra
    from studio.analysis.tempo import estimate_tempo, normalise, track_beats

    found = spectra(samples, rate)
    bpm = estimate_tempo(found.onset, found.frame_seconds)
    if bpm == 0:
        return _no_beats(len(samples) / rate)
    beats = track_beats(found.onset, bpm, found.frame_seconds)
    times = found.times(beats)
    scores = bars.downbeat_scores(found, beats)
    meter = bars.guess_meter(scores)
    positions = bars.bar_positions(scores, meter)
    spacing = max(1, int(ONSET_SPACING / found.frame_seconds))
    onsets = found.times(peaks(normalise(found.onset), spacing, ONSET_DELTA))
    strength = bars.near(found.onset, beats)
    strength = np.clip(strength / max(float(np.percentile(strength, 95)), 1e-9), 0.0, 1.0)
    curve_times, curve = bars.loudness_curve(found)
    starts = bars.section_starts(found, beats)
    return BeatAnalysis(
        duration=round(len(samples) / rate, 4),
        tempo=_tempo(times),
        meter=meter,
        beats=_rounded(times),
        downbeats=_rounded(times[positions == 0]),
        onsets=_rounded(onsets),
        strengths=_rounded(strength, 3),
        intensity=_rounded(bars.intensity(found, beats), 3),
        energy_rate=bars.ENERGY_RATE,
        energy=_rounded(curve, 3),
        sections=_sections(times, starts, curve_times, curve),
    )


def _no_beats(duration: float) -> BeatAnalysis:
    return BeatAnalysis(round(duration, 4), 0.0, 4, (), (), (), (), (), 10, (), ())


def _tempo(times: Any) -> float:
    """BPM from a straight line through the beats against their beat numbers (a skipped beat
    counts as two), finer than any one spacing between hop-quantised beat times."""
    import numpy as np

    if len(times) < 2:
        return 0.0
    period = float(np.median(np.diff(times)))
    numbers = np.round((times - times[0]) / period)
    slope = float(np.polyfit(numbers, times, 1)[0]) if numbers[-1] > 0 else period
    return round(60.0 / slope, 2)


def _sections(times: Any, starts: Any, curve_times: Any, curve: Any) -> tuple[Section, ...]:

    if len(times) == 0:
        return ()
    bounds = [float(times[0]), *(float(times[i]) for i in starts), float(curve_times[-1]) + 1]
    sections = []
    for start, end in itertools.pairwise(bounds):
        inside = (curve_times >= start) & (curve_times < end)
        level = float(curve[inside].mean()) if inside.any() else 0.0
        sections.append(Section(round(start, 4), round(level, 3)))
    return tuple(sections)


def _rounded(values: Any, digits: int = 4) -> tuple[float, ...]:
    return tuple(round(float(value), digits) for value in values)
