"""Sound effects synthesised by studio: whooshes, pops, dings, risers, impacts and the other
sounds short videos punctuate their cuts with.

Each effect is a recipe of a few lines of numpy (tones with envelopes, noise shaped in
frequency over time), seeded so it is the same sound on every machine: its licence is the
project's, nothing is downloaded and the installer carries no sound files. An effect is
synthesised once into a 48 kHz 16-bit WAV file where it is used (beside the project, so the
project keeps it wherever it goes), then it is an ordinary sound clip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.errors import MediaError
from studio.io.files import write_wav

RATE = 48000
PEAK = 0.89  # -1 dBFS: loud, never clipping
VERSION = 1  # raised when a recipe changes: its files are written again


@dataclass(frozen=True)
class Effect:
    """A sound effect of the library: its name, what it sounds like, and its recipe."""

    name: str
    label: str
    tags: tuple[str, ...]
    make: Callable[[Any], Any]  # a numpy random generator -> mono samples in -1..1
    hit: float = 0.0  # seconds in: the moment it lands (a whoosh's loudest), put on a beat


def _np() -> Any:
    import numpy as np

    return np


def _time(seconds: float) -> Any:
    return _np().arange(int(RATE * seconds)) / RATE


def _tone(freq: Any, seconds: float, shape: str = "sine") -> Any:
    """A tone whose frequency may glide (`freq`: a number or one per sample)."""
    np = _np()
    phase = 2 * np.pi * np.cumsum(np.broadcast_to(freq, _time(seconds).shape)) / RATE
    if shape == "square":
        return np.sign(np.sin(phase)) * 0.6
    if shape == "saw":
        return (phase / np.pi) % 2 - 1
    return np.sin(phase)


def _decay(seconds: float, rate: float, attack: float = 0.002) -> Any:
    """An envelope: a short rise, then an exponential fall at `rate` per second."""
    np = _np()
    t = _time(seconds)
    return np.minimum(1.0, t / attack) * np.exp(-rate * t)


def _band_noise(random: Any, seconds: float, low: Any, high: Any) -> Any:
    """White noise kept between `low` and `high` Hz, which may move over time (each a number
    or a function of the time 0..1), shaped frame by frame in frequency."""
    np = _np()
    size, hop = 2048, 512
    count = int(RATE * seconds)
    noise = random.standard_normal(count + size)
    window = np.hanning(size)
    out = np.zeros(count + size)
    freqs = np.fft.rfftfreq(size, 1 / RATE)
    for start in range(0, count, hop):
        part = min(1.0, start / max(1, count))
        lo = low(part) if callable(low) else low
        hi = high(part) if callable(high) else high
        spectrum = np.fft.rfft(noise[start : start + size] * window)
        keep = np.clip((freqs - lo) / max(lo * 0.3, 30), 0, 1) * np.clip(
            (hi - freqs) / (hi * 0.3), 0, 1
        )
        out[start : start + size] += np.fft.irfft(spectrum * keep, size) * window
    return out[:count] / (np.abs(out[:count]).max() + 1e-9)


def _swell(seconds: float, peak: float = 0.5) -> Any:
    """Up to full at `peak` (of the length), then down again, smoothly."""
    np = _np()
    part = _time(seconds) / seconds
    return np.where(part < peak, np.sin(np.pi / 2 * part / peak) ** 2,
                    np.cos(np.pi / 2 * (part - peak) / (1 - peak)) ** 2)  # fmt: skip


def _at(seconds: float, *parts: tuple[float, Any]) -> Any:
    """Sounds laid at their start times in `seconds` of silence."""
    np = _np()
    out = np.zeros(int(RATE * seconds))
    for start, sound in parts:
        first = int(RATE * start)
        end = min(len(out), first + len(sound))
        out[first:end] += sound[: end - first]
    return out


def whoosh(random: Any) -> Any:
    return _band_noise(random, 0.8, lambda p: 300 + 1500 * p, lambda p: 900 + 5000 * p) * _swell(
        0.8, 0.6
    )


def swoosh(random: Any) -> Any:
    return _band_noise(random, 0.4, lambda p: 1500 - 900 * p, lambda p: 7000 - 3000 * p) * _swell(
        0.4, 0.35
    )


def swipe(random: Any) -> Any:
    return _band_noise(random, 0.25, 2000, 9000) * _swell(0.25, 0.2)


def pop(random: Any) -> Any:
    np = _np()
    glide = 900 * np.exp(-_time(0.12) * 30) + 250
    return _tone(glide, 0.12) * _decay(0.12, 35)


def bloop(random: Any) -> Any:
    np = _np()
    glide = 300 + 500 * (1 - np.exp(-_time(0.25) * 12))
    return _tone(glide, 0.25) * _decay(0.25, 12, 0.01)


def click(random: Any) -> Any:
    return (
        random.standard_normal(int(RATE * 0.03)) * _decay(0.03, 300)
        + _tone(2500, 0.03) * _decay(0.03, 200)
    ) / 2


def tick(random: Any) -> Any:
    return _tone(4200, 0.02) * _decay(0.02, 400)


def ding(random: Any) -> Any:
    partials = ((1, 1.0, 3), (2.76, 0.5, 5), (5.4, 0.25, 8), (8.9, 0.12, 12))
    return sum(_tone(1320 * k, 1.5) * level * _decay(1.5, rate) for k, level, rate in partials)


def chime(random: Any) -> Any:
    return _at(1.2, (0, ding(random)[: int(RATE * 1.2)] * 0.8),
               (0.16, _tone(1760, 1.0) * _decay(1.0, 4) * 0.7))  # fmt: skip


def notification(random: Any) -> Any:
    high, higher = (_tone(f, 0.35) * _decay(0.35, 9) for f in (988, 1319))
    return _at(0.55, (0, high), (0.12, higher))


def correct(random: Any) -> Any:
    low, high = ((_tone(f, 0.3) + 0.3 * _tone(2 * f, 0.3)) * _decay(0.3, 8) for f in (784, 1175))
    return _at(0.5, (0, low), (0.1, high))


def wrong(random: Any) -> Any:
    return _tone(110, 0.6, "square") * _decay(0.6, 2, 0.01) + _tone(116, 0.6, "square") * _decay(
        0.6, 2, 0.01
    )


def riser(random: Any) -> Any:
    np = _np()
    t = _time(2.0) / 2.0
    tone = _tone(200 * 2 ** (3 * t), 2.0, "saw") * 0.25
    noise = _band_noise(random, 2.0, lambda p: 500 + 4000 * p, lambda p: 2000 + 10000 * p)
    return (tone + noise * 0.6) * t**2 * np.minimum(1, (1 - t) * 40)


def drop(random: Any) -> Any:
    np = _np()
    glide = 1200 * np.exp(-_time(0.7) * 5) + 60
    return _tone(glide, 0.7) * _decay(0.7, 4, 0.005)


def impact(random: Any) -> Any:
    np = _np()
    boom = _tone(55 + 80 * np.exp(-_time(1.2) * 20), 1.2) * _decay(1.2, 4)
    crack = _band_noise(random, 1.2, 200, 6000) * _decay(1.2, 18)
    return boom + 0.6 * crack


def thud(random: Any) -> Any:
    np = _np()
    return _tone(70 + 60 * np.exp(-_time(0.4) * 30), 0.4) * _decay(0.4, 12)


def heartbeat(random: Any) -> Any:
    return _at(0.9, (0, thud(random)), (0.28, thud(random) * 0.7))


def scratch(random: Any) -> Any:
    np = _np()
    t = _time(0.6)
    wobble = 1 + 0.8 * np.sin(2 * np.pi * 7 * t)
    tone = _tone(300 * wobble, 0.6, "saw") * 0.3
    noise = _band_noise(random, 0.6, 400, 3000) * (0.5 + 0.5 * np.abs(np.sin(2 * np.pi * 7 * t)))
    return (tone + noise) * _swell(0.6, 0.3)


def shutter(random: Any) -> Any:
    first, second = (random.standard_normal(int(RATE * 0.04)) * _decay(0.04, 150) for _ in "ab")
    body = _band_noise(random, 0.1, 800, 5000) * _decay(0.1, 40)
    return _at(0.2, (0, first), (0.015, body * 0.5), (0.09, second * 0.8))


def typing(random: Any) -> Any:
    times = [0.0]
    while times[-1] < 1.3:
        times.append(times[-1] + random.uniform(0.07, 0.18))
    keys = [(t, click(random) * random.uniform(0.5, 1.0)) for t in times[:-1]]
    return _at(1.5, *keys)


def cash(random: Any) -> Any:
    bell = sum(
        _tone(2637 * k, 1.0) * level * _decay(1.0, 6 + 4 * k) for k, level in ((1, 1), (2.4, 0.4))
    )
    return _at(1.2, (0, shutter(random) * 0.6), (0.12, bell))


def boing(random: Any) -> Any:
    np = _np()
    t = _time(0.8)
    glide = 180 * (1 + 0.5 * np.exp(-t * 4) * np.sin(2 * np.pi * 9 * t)) + 120 * t
    return _tone(glide, 0.8) * _decay(0.8, 4, 0.005)


def laser(random: Any) -> Any:
    np = _np()
    return _tone(2500 * np.exp(-_time(0.35) * 8) + 200, 0.35, "square") * _decay(0.35, 6) * 0.7


def coin(random: Any) -> Any:
    short, long = (
        _tone(f, s, "square") * _decay(s, 5, 0.001) * 0.5 for f, s in ((988, 0.08), (1319, 0.5))
    )
    return _at(0.6, (0, short), (0.08, long))


def tada(random: Any) -> Any:
    return _at(1.6, (0, _chord((523, 659), 0.15)), (0.15, _chord((523, 659, 784, 1047), 1.4)))


def _chord(freqs: tuple[int, ...], seconds: float) -> Any:
    return sum(_tone(f, seconds) * _decay(seconds, 2.5, 0.01) for f in freqs) / len(freqs)


def sparkle(random: Any) -> Any:
    notes = [
        (i * 0.06, _tone(random.uniform(2500, 5000), 0.4) * _decay(0.4, 14) * 0.6) for i in range(8)
    ]
    return _at(0.9, *notes)


def buzz(random: Any) -> Any:
    return _tone(150, 0.5, "saw") * _swell(0.5, 0.1) * 0.8


def drumroll(random: Any) -> Any:
    hits = [(i * 0.045, _band_noise(random, 0.08, 150, 4000) * _decay(0.08, 40) * (0.4 + i / 60))
            for i in range(34)]  # fmt: skip
    return _at(1.7, *hits)


HITS = {"whoosh": 0.48, "swoosh": 0.14, "swipe": 0.05, "riser": 1.95, "drumroll": 1.65}
LIBRARY = tuple(
    Effect(make.__name__, label, tags, make, HITS.get(make.__name__, 0.0))
    for make, label, tags in (
        (whoosh, "Whoosh", ("transition", "air", "fast")),
        (swoosh, "Swoosh", ("transition", "air", "quick")),
        (swipe, "Swipe", ("transition", "air", "short")),
        (pop, "Pop", ("bubble", "appear", "cartoon")),
        (bloop, "Bloop", ("bubble", "appear", "water")),
        (click, "Click", ("ui", "button", "mouse")),
        (tick, "Tick", ("ui", "clock", "count")),
        (ding, "Ding", ("bell", "alert", "done")),
        (chime, "Chime", ("bell", "magic", "reveal")),
        (notification, "Notification", ("phone", "message", "alert")),
        (correct, "Correct", ("quiz", "yes", "win")),
        (wrong, "Wrong", ("quiz", "no", "fail")),
        (riser, "Riser", ("build", "tension", "drop")),
        (drop, "Drop", ("fall", "down", "cartoon")),
        (impact, "Impact", ("hit", "boom", "cinematic")),
        (thud, "Thud", ("hit", "low", "punch")),
        (heartbeat, "Heartbeat", ("pulse", "tension", "love")),
        (scratch, "Record scratch", ("vinyl", "stop", "funny")),
        (shutter, "Camera shutter", ("photo", "snap", "camera")),
        (typing, "Typing", ("keyboard", "text", "chat")),
        (cash, "Cash register", ("money", "sale", "ka-ching")),
        (boing, "Boing", ("spring", "bounce", "cartoon")),
        (laser, "Laser", ("game", "zap", "sci-fi")),
        (coin, "Coin", ("game", "collect", "retro")),
        (tada, "Ta-da", ("reveal", "win", "fanfare")),
        (sparkle, "Sparkle", ("magic", "shine", "glitter")),
        (buzz, "Buzzer", ("fail", "game show", "no")),
        (drumroll, "Drum roll", ("suspense", "reveal", "drum")),
    )
)
EFFECTS = {effect.name: effect for effect in LIBRARY}


def samples(name: str) -> Any:
    """The effect's samples: mono float, peaking at -1 dBFS."""
    np = _np()
    effect = EFFECTS.get(name)
    if effect is None:
        raise MediaError(f"no sound effect {name!r}: `studio sfx` lists them")
    sound = np.asarray(effect.make(np.random.default_rng(sum(map(ord, name)))), dtype=float)
    fade = min(len(sound), int(RATE * 0.005))  # no click at the end
    sound[len(sound) - fade :] *= np.linspace(1, 0, fade)
    return sound / (np.abs(sound).max() + 1e-12) * PEAK


def write_effect(name: str, folder: Path) -> Path:
    """The effect as `folder`/NAME.wav (written unless there already)."""
    np = _np()
    path = folder / f"{name}.wav"
    stamp = folder / f".{name}.v{VERSION}"
    if path.is_file() and stamp.is_file():
        return path
    write_wav(path, (samples(name) * 32767).astype(np.int16).tobytes(), RATE)
    stamp.touch()
    return path
