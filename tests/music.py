"""Music made in the tests, with beats at known times, and the scoring of detected beats."""

from __future__ import annotations

from pathlib import Path

import mir_eval
import numpy as np
import numpy.typing as npt
import soundfile

RATE = 22050
Samples = npt.NDArray[np.float32]


def click_track(bpm: float, seconds: float, start: float = 0.3) -> tuple[Samples, np.ndarray]:
    """Decaying 1 kHz clicks at a steady tempo; returns the samples and the click times."""
    times = np.arange(start, seconds - 0.1, 60.0 / bpm)
    out = np.zeros(int(seconds * RATE), dtype=np.float32)
    t = np.arange(int(0.03 * RATE)) / RATE
    click = np.sin(2 * np.pi * 1000 * t) * np.exp(-t * 150)
    for time in times:
        _add(out, time, 0.5 * click)
    return out, times


def drop_track(bpm: float, calm: float, loud: float) -> tuple[Samples, float]:
    """`calm` seconds of soft hats, then `loud` seconds of kick, snare, hats and bass: a drop.
    Returns the samples and the time the drop starts (a beat)."""
    beat = 60.0 / bpm
    drop = round(calm / beat) * beat
    out = np.zeros(int((drop + loud) * RATE), dtype=np.float32)
    hat, kick, snare = _drum_kit()
    for index, time in enumerate(np.arange(0, drop + loud - 0.3, beat / 2)):
        loud_part = time >= drop - 1e-6
        _add(out, time, hat * (0.15 if loud_part else 0.05))
        if loud_part and index % 2 == 0:
            _add(out, time, 0.8 * kick)
            if index % 4 == 2:
                _add(out, time, 0.4 * snare)
    bass_t = np.arange(len(out) - int(drop * RATE)) / RATE
    out[int(drop * RATE) :] += (0.2 * np.sin(2 * np.pi * 55 * bass_t)).astype(np.float32)
    return _normalised(out), drop


def tempo_ramp(first_bpm: float, last_bpm: float, seconds: float) -> tuple[Samples, np.ndarray]:
    """A drum groove whose tempo moves steadily from `first_bpm` to `last_bpm` (accelerando or
    ritardando): kick and snare on alternate beats, hats on the beats and between them.
    Returns the samples and the beat times."""
    times = [0.3]
    while True:
        bpm = first_bpm + (last_bpm - first_bpm) * times[-1] / seconds
        if times[-1] + 60.0 / bpm > seconds - 0.2:
            break
        times.append(times[-1] + 60.0 / bpm)
    out = np.zeros(int(seconds * RATE), dtype=np.float32)
    hat, kick, snare = _drum_kit()
    for index, time in enumerate(times):
        _add(out, time, 0.8 * kick if index % 2 == 0 else 0.4 * snare)
        _add(out, time, 0.15 * hat)
        if index + 1 < len(times):
            _add(out, (time + times[index + 1]) / 2, 0.1 * hat)
    return _normalised(out), np.array(times)


def offbeat_groove(bpm: float, seconds: float, start: float = 0.5) -> tuple[Samples, np.ndarray]:
    """Ska or reggae: a soft kick on the beats, loud chops (a chord stab and a snare burst)
    on every off-beat, the kind a tracker follows onto the off-beat. Returns the samples and
    the beat times (the kick's)."""
    beat = 60.0 / bpm
    times = np.arange(start, seconds - beat, beat)
    out = np.zeros(int(seconds * RATE), dtype=np.float32)
    _, kick, snare = _drum_kit()
    t = np.arange(int(0.12 * RATE)) / RATE
    chord = sum(np.sin(2 * np.pi * f * t) for f in (392.0, 494.0, 587.0)) * np.exp(-t * 25)
    for time in times:
        _add(out, time, 0.3 * kick)
        _add(out, time + beat / 2, 0.5 * chord + 0.3 * snare[: len(chord)])
    return _normalised(out), times


def _drum_kit() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(hat, kick, snare): a noise tick, a falling sine thump, a noise burst."""
    rng = np.random.default_rng(7)
    t = np.arange(int(0.25 * RATE)) / RATE
    hat = rng.standard_normal(int(0.04 * RATE)) * np.exp(-np.arange(int(0.04 * RATE)) / 200)
    kick = np.sin(2 * np.pi * np.cumsum(50 + 100 * np.exp(-t * 30)) / RATE) * np.exp(-t * 10)
    snare = rng.standard_normal(len(t)) * np.exp(-t * 20)
    return hat, kick, snare


def _normalised(out: Samples) -> Samples:
    return (out / np.abs(out).max() * 0.9).astype(np.float32)


def write_wav(path: Path, samples: Samples) -> Path:
    soundfile.write(path, samples, RATE, subtype="PCM_16")
    return path


def annotations(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(beat times, downbeat times) of a beat file: `time [beat_in_bar]`, '#' comments."""
    rows = [
        line.split()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    times = np.array([float(row[0]) for row in rows])
    downbeats = np.array([float(row[0]) for row in rows if len(row) > 1 and float(row[1]) == 1])
    return times, downbeats


def f_measure(reference: np.ndarray, estimated: np.ndarray) -> float:
    """mir_eval's beat F-measure with its 70 ms window, on all beats (the 5 s trim is not applied:
    one annotated excerpt is 2.8 s long)."""
    return float(mir_eval.beat.f_measure(np.asarray(reference), np.asarray(estimated), 0.07))


def _add(out: Samples, time: float, sound: np.ndarray) -> None:
    start = round(time * RATE)
    end = min(len(out), start + len(sound))
    if start < end:
        out[start:end] += sound[: end - start].astype(np.float32)
