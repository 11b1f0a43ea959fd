"""Spectral features for rhythm analysis, in numpy only.

The same quantities as librosa's melspectrogram and onset_strength, computed without librosa so a
fresh process never waits for numba to compile its jitted helpers (tens of seconds on 2 cores).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

N_FFT = 2048
HOP = 256
N_MELS = 128
BASS_HZ = 150.0
FMAX = 11025.0
WINDOW_DELAY = N_FFT // 2
LAG = 2  # frames between the spectra compared for onsets


@dataclass(frozen=True)
class Spectra:
    """Log-mel frames and the onset envelopes derived from them, one value per hop."""

    rate: int
    hop: int
    log_mel: Array  # (n_mels, frames), dB
    onset: Array  # spectral flux over all bands
    bass: Array  # spectral flux below BASS_HZ (kick drums, bass notes)
    rms: Array  # frame loudness (linear)
    chroma: Array  # (12, frames) energy per pitch class, the strongest at 1 (librosa's chroma_stft)

    @property
    def frame_seconds(self) -> float:
        return self.hop / self.rate

    def times(self, frames: npt.ArrayLike) -> Array:
        return np.asarray(frames, dtype=np.float64) * self.frame_seconds


def spectra(samples: npt.NDArray[np.float32], rate: int) -> Spectra:
    power = _power_spectrogram(samples.astype(np.float64))
    bank = mel_filters(rate, N_FFT, N_MELS)
    log_mel = 10 * np.log10(np.maximum(bank @ power, 1e-10))
    log_mel = np.maximum(log_mel, log_mel.max() - 80.0)
    bass_rows = _mel_centres(N_MELS, FMAX) < BASS_HZ
    rms = np.sqrt(power.sum(axis=0) * 2 / N_FFT**2)
    return Spectra(
        rate,
        HOP,
        log_mel,
        _flux(log_mel),
        _flux(log_mel[bass_rows]),
        rms,
        _chroma(power, rate),
    )


def band_flux_between(found: Spectra, low_hz: float, high_hz: float) -> Array:
    """Onset strength of the bands centred from `low_hz` up to `high_hz`."""
    centres = _mel_centres(N_MELS, FMAX)
    return _flux(found.log_mel[(centres >= low_hz) & (centres < high_hz)])


def loud_flux(found: Spectra, range_db: float) -> Array:
    """Onset strength of what is loud: the flux of log(1 + P / P_quiet), P_quiet `range_db`
    under the loudest band's power. Within that range a rise counts by its power, so a kick
    drum outweighs a quiet hi-hat rising in many bands (which the dB flux of `onset` counts in
    full, whatever its level); far under it, nothing counts. Power rises a frame after the dB
    does (the window must take in the bulk of the sound), so the rise is read a frame earlier
    (measured on clicks: the two envelopes then peak together)."""
    power = 10 ** ((found.log_mel - found.log_mel.max() + range_db) / 10)
    return _flux(np.log1p(power), lead=WINDOW_DELAY // HOP - 1)


def _power_spectrogram(y: Array) -> Array:
    """|STFT|^2 with a Hann window, frames centred on multiples of HOP (librosa's convention)."""
    padded = np.pad(y, N_FFT // 2, mode="constant")
    count = 1 + (len(padded) - N_FFT) // HOP
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP][:count]
    window = np.hanning(N_FFT + 1)[:-1]
    spectrum = np.abs(np.fft.rfft(frames * window, axis=1)).T ** 2
    return np.asarray(spectrum, dtype=np.float64)


def _flux(log_mel: Array, lead: int = WINDOW_DELAY // HOP) -> Array:
    """Onset strength at each frame time t: the mean rise per band from the frame centred half
    a window before t to the one LAG frames later.

    In log scale a note shows as it enters a window, half a window before that frame's centre
    reaches it, so the rise is read from frames centred before t (librosa delays its envelope
    for the same reason; the delay here was checked on click tracks: beats within 2 ms). Before
    the first frame the sound is taken to continue unchanged: a file cut mid-note has no onset
    at its start.
    """
    count = log_mel.shape[1]
    padded = np.concatenate([np.repeat(log_mel[:, :1], lead, axis=1), log_mel], axis=1)
    rise = padded[:, LAG : LAG + count] - padded[:, :count]
    return np.asarray(np.maximum(0.0, rise).mean(axis=0))


def _chroma(power: Array, rate: int) -> Array:
    """Energy per pitch class (C = 0), each frame scaled so its strongest class is 1 (silent
    frames are all zero): librosa's chroma_stft with tuning 0, computed here without it."""
    energy = chroma_filters(rate, N_FFT) @ power
    peak = energy.max(axis=0, keepdims=True)
    shares = np.divide(energy, peak, out=np.zeros_like(energy), where=peak > 1e-10)
    return np.asarray(shares, dtype=np.float64)


def chroma_filters(rate: int, n_fft: int, centre_octave: float = 5.0, width: float = 2.0) -> Array:
    """Ellis's chroma filter bank, as librosa.filters.chroma: each FFT bin spreads over the pitch
    classes near its frequency with a Gaussian bump, weighted towards octaves near C5."""
    freqs = np.linspace(0, rate, n_fft, endpoint=False)[1:]
    bins = 12 * np.log2(freqs / (440.0 / 16))  # pitch in semitones above A0 (A440 tuning)
    bins = np.concatenate(([bins[0] - 18.0], bins))  # a made-up place for 0 Hz
    widths = np.concatenate((np.maximum(np.diff(bins), 1.0), [1.0]))
    distance = np.subtract.outer(bins, np.arange(12, dtype=np.float64)).T
    distance = np.remainder(distance + 6 + 120, 12) - 6
    weights = np.exp(-0.5 * (2 * distance / widths[None, :]) ** 2)
    weights /= np.maximum(np.sqrt((weights**2).sum(axis=0, keepdims=True)), 1e-30)
    weights *= np.exp(-0.5 * ((bins / 12 - centre_octave) / width) ** 2)[None, :]
    weights = np.roll(weights, -3, axis=0)  # start at C, not A
    return np.ascontiguousarray(weights[:, : 1 + n_fft // 2])


def hz_to_mel(hz: Array) -> Array:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    hz = np.asarray(hz, dtype=np.float64)
    linear = hz / (200.0 / 3)
    log_part = 15.0 + np.log(np.maximum(hz, 1e-9) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(hz >= 1000.0, log_part, linear)


def mel_to_hz(mel: Array) -> Array:
    mel = np.asarray(mel, dtype=np.float64)
    linear = mel * (200.0 / 3)
    log_part = 1000.0 * np.exp((np.log(6.4) / 27.0) * (mel - 15.0))
    return np.where(mel >= 15.0, log_part, linear)


def _mel_centres(n_mels: int, fmax: float) -> Array:
    edges = mel_to_hz(np.linspace(0.0, float(hz_to_mel(np.array(fmax))), n_mels + 2))
    return edges[1:-1]


def mel_filters(rate: int, n_fft: int, n_mels: int, fmax: float = FMAX) -> Array:
    """Slaney-normalised triangular mel filters, shape (n_mels, n_fft // 2 + 1)."""
    bins = np.fft.rfftfreq(n_fft, 1.0 / rate)
    edges = mel_to_hz(np.linspace(0.0, float(hz_to_mel(np.array(fmax))), n_mels + 2))
    widths = np.diff(edges)
    slopes = edges[:, None] - bins[None, :]
    lower = -slopes[:-2] / widths[:-1, None]
    upper = slopes[2:] / widths[1:, None]
    bank = np.maximum(0.0, np.minimum(lower, upper))
    bank *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return np.asarray(bank, dtype=np.float64)


def peaks(envelope: Array, spacing: int, delta: float) -> npt.NDArray[np.intp]:
    """Indices of local maxima at least `spacing` apart that rise `delta` above the local mean."""
    if len(envelope) < 3:
        return np.zeros(0, dtype=np.intp)
    width = 2 * spacing + 1
    padded = np.pad(envelope, spacing, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    local_max = windows.max(axis=1)
    local_mean = windows.mean(axis=1)
    candidates = np.flatnonzero((envelope >= local_max) & (envelope >= local_mean + delta))
    kept: list[int] = []
    for index in candidates:
        if not kept or index - kept[-1] >= spacing:
            kept.append(int(index))
    return np.asarray(kept, dtype=np.intp)
