"""Noise reduction: steady noise (hiss, hum, fans, room tone) taken out of a clip's sound.

A clip whose `denoise` strength is above 0 plays a cleaned copy of its file's sound, made here
once (cached by the file's content and the strength) and read by the render in place of the
file's own sound (model/prepared.py, DENOISED).

The method is the short-time spectral estimator of speech enhancement: the sound in 43 ms
frames (a quarter-frame hop); per frequency, the noise's power is the 10th percentile of the
frames' power over the whole file (smoothed over five frames, scaled to the mean a steady
noise has: steady noise fills every frame, speech or music only some); each frame's gain comes
from its a-priori signal-to-noise ratio (decision-directed, Ephraim and Malah 1984) through
the log-spectral amplitude estimator (Ephraim and Malah 1985), never below a floor the
strength sets (-30 dB at 1). What was taken out goes back 20 dB down (at strength 1): it masks
the estimator's artefacts ("musical noise") and the ends of words it would clip, so speech
stays as easy to recognise as before. ffmpeg's own denoisers (afftdn, anlmdn) left white
noise at 10 dB SNR within 0.2 dB of where it was; this takes it out by 7 dB, and the bundled
recogniser's word error rate goes down with it (benchmarks/denoise_quality.py).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from studio.analysis.audio import sound_of
from studio.io.cache import cache_dir, content_key
from studio.io.files import write_wav
from studio.io.runner import Task, as_task
from studio.model.prepared import DENOISED
from studio.model.timeline import Clip, Project

RATE = 48000
FRAME = 2048  # samples: 43 ms
HOP = FRAME // 4
SMOOTH = 5  # frames the noise estimate averages over
PERCENTILE = 10
SMOOTHING = 0.94  # the decision-directed estimate's memory
FLOOR_DB = -30.0  # the lowest gain, at strength 1
KEPT_DB = -20.0  # what is taken out goes back in this far down, at strength 1
VERSION = 2


def cleaned_sounds(project: Project, task: Task | None = None) -> dict[str, Path]:
    """The cleaned sound of every clip with noise reduction, made where missing."""
    task = as_task(task)
    wanted = denoised_clips(project)
    found = {}
    for index, clip in enumerate(wanted):
        found[DENOISED + clip.id] = cleaned(clip.media.path, clip.denoise, task)
        task.report((index + 1) / len(wanted), "reducing noise")
    return found


def made_cleaned_sounds(project: Project) -> dict[str, Path]:
    """The cleaned sounds already made (the app's preview never waits for them)."""
    made = {DENOISED + c.id: _target(c.media.path, c.denoise) for c in denoised_clips(project)}
    return {key: path for key, path in made.items() if path.is_file()}


def clip_cleaned(clip: Clip, fps: int = 0, task: Task | None = None) -> Path:
    """A clip's cleaned sound (the app's background jobs make it as the strength is set)."""
    return cleaned(clip.media.path, clip.denoise, task)


def cleaned(path: str | Path, strength: float, task: Task | None = None) -> Path:
    """The file's sound with its steady noise taken out, as a 48 kHz 16-bit WAV (cached)."""
    target = _target(path, strength)
    if target.is_file():
        return target
    samples = sound_of(path, RATE, task, channels=2).samples.reshape(-1, 2)
    clean = [reduce_noise(samples[:, channel], strength) for channel in range(2)]
    return write_wav(target, _interleaved(clean).tobytes(), RATE, channels=2)


def reduce_noise(samples: Any, strength: float) -> Any:
    """Mono float samples with their steady noise reduced; `strength` 0..1."""
    import numpy as np

    original = samples.astype(np.float64)
    spectrum, window = _stft(original)
    power = np.abs(spectrum) ** 2
    noise = _noise_power(power)
    gains = _gains(power, noise, 10 ** (strength * FLOOR_DB / 20))
    cleaned = _istft(spectrum * gains, window, len(samples))
    kept = 10 ** (strength * KEPT_DB / 20)  # of what was taken out: it masks the estimator's
    return (cleaned + kept * (original - cleaned)).astype(np.float32)  # artefacts


def denoised_clips(project: Project) -> list[Clip]:
    """The clips of every track whose noise is reduced."""
    clips = [item for track in project.tracks for item in track.items if isinstance(item, Clip)]
    return [clip for clip in clips if clip.denoise > 0 and clip.media.has_audio]


def _target(path: str | Path, strength: float) -> Path:
    return cache_dir("denoised") / f"{content_key(path, round(strength, 3), VERSION)}.wav"


def _stft(samples: Any) -> tuple[Any, Any]:
    import numpy as np

    window = np.hanning(FRAME + 1)[:-1]
    padded = np.concatenate([np.zeros(FRAME), samples, np.zeros(FRAME)])
    count = 1 + (len(padded) - FRAME) // HOP
    index = np.arange(FRAME)[None, :] + HOP * np.arange(count)[:, None]
    return np.fft.rfft(padded[index] * window, axis=1), window


def _istft(spectrum: Any, window: Any, length: int) -> Any:
    import numpy as np

    frames = np.fft.irfft(spectrum, n=FRAME, axis=1) * window
    total = FRAME * 2 + length + HOP
    out, weight = np.zeros(total), np.zeros(total)
    for index, frame in enumerate(frames):
        at = index * HOP
        out[at : at + FRAME] += frame
        weight[at : at + FRAME] += window**2
    return (out / np.maximum(weight, 1e-8))[FRAME : FRAME + length]


def _noise_power(power: Any) -> Any:
    """Per frequency: the low percentile of the smoothed power, scaled to a steady noise's
    mean (the scale is that of white noise through the same estimate)."""
    import numpy as np

    kernel = np.ones(SMOOTH) / SMOOTH
    smooth = np.apply_along_axis(np.convolve, 0, power, kernel, "same")
    return np.percentile(smooth, PERCENTILE, axis=0) * _scale() + 1e-20


@functools.cache
def _scale() -> float:
    import numpy as np

    noise = np.random.default_rng(0).standard_normal(RATE * 20)
    spectrum, _ = _stft(noise)
    power = np.abs(spectrum[SMOOTH:-SMOOTH]) ** 2
    kernel = np.ones(SMOOTH) / SMOOTH
    smooth = np.apply_along_axis(np.convolve, 0, power, kernel, "same")
    return float(power.mean() / np.percentile(smooth, PERCENTILE, axis=0).mean())


def _gains(power: Any, noise: Any, floor: float) -> Any:
    import numpy as np

    gains = np.empty_like(power)
    previous = np.zeros(power.shape[1])
    for index, frame in enumerate(power):
        posterior = np.maximum(frame / noise, 1e-6)
        prior = SMOOTHING * previous + (1 - SMOOTHING) * np.maximum(posterior - 1, 0)
        prior = np.maximum(prior, 10 ** (-2.5))
        wiener = prior / (1 + prior)
        gain = np.minimum(wiener * np.exp(0.5 * _exp1(wiener * posterior)), 1.0)
        gains[index] = np.maximum(gain, floor)
        previous = gains[index] ** 2 * posterior
    return gains


def _exp1(x: Any) -> Any:
    """The exponential integral E1, to 0.1% (Barry, Parlange and Li, 2000)."""
    import numpy as np

    g = np.exp(-0.5772156649)
    b = np.sqrt(2 * (1 - g) / (g * (2 - g)))
    h_inf = (1 - g) * (g * g - 6 * g + 12) / (3 * g * (2 - g) ** 2 * b)
    q = 20 / 47 * x ** np.sqrt(31 / 26)
    h = 1 / (1 + x * np.sqrt(x)) + h_inf * q / (1 + q)
    return (
        np.exp(-x) * np.log(1 + g / x - (1 - g) / (h + b * x) ** 2)
        / (g + (1 - g) * np.exp(-x / (1 - g)))
    )  # fmt: skip


def _interleaved(channels: list[Any]) -> Any:
    import numpy as np

    stereo = np.stack(channels, axis=1)
    return (np.clip(stereo, -1, 1) * 32767).astype(np.int16)
