"""studio's numpy analysis front end computes the same quantities as librosa, the reference.

The product path stays numpy (librosa's first call in a new process waits tens of seconds for
numba to compile); these tests hold the two together on the same samples.
Tolerances: log-mel 0.001 dB; onset strength 1e-4 (values reach about 8); chroma 1e-4 (0..1).
"""

from __future__ import annotations

import numpy as np
import pytest

from studio.analysis.audio import load_audio
from studio.analysis.spectral import FMAX, HOP, LAG, N_FFT, N_MELS, WINDOW_DELAY, spectra
from tests.helpers import media
from tests.music import RATE

MUSIC = "ballroom-gtzan/country.00000.wav"


@pytest.fixture(scope="module")
def samples() -> np.ndarray:
    """Ten seconds of real music, and one second of a C major chord after it."""
    music = load_audio(media(MUSIC)).samples[: 10 * RATE]
    t = np.arange(RATE) / RATE
    chord = sum(np.sin(2 * np.pi * f * t) for f in (261.63, 329.63, 392.0)) / 4
    return np.concatenate([music, chord]).astype(np.float32)


def _log_mel(y: np.ndarray) -> np.ndarray:
    import librosa

    power = librosa.feature.melspectrogram(
        y=y, sr=RATE, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS, fmax=FMAX, pad_mode="constant"
    )
    return librosa.power_to_db(power, ref=1.0, amin=1e-10, top_db=80.0)


def test_log_mel_spectrogram_matches_librosa(samples: np.ndarray) -> None:
    ours = spectra(samples, RATE).log_mel
    theirs = _log_mel(samples)
    assert ours.shape == theirs.shape
    assert np.abs(ours - theirs).max() < 1e-3


def test_onset_strength_matches_librosa_less_its_lag_delay(samples: np.ndarray) -> None:
    """librosa delays its envelope by the lag as well as half a window; studio reads the rise
    from frames centred before t (half a window only), so it is LAG frames earlier."""
    import librosa

    ours = spectra(samples, RATE).onset
    theirs = librosa.onset.onset_strength(
        S=_log_mel(samples), sr=RATE, hop_length=HOP, lag=LAG, max_size=1, aggregate=np.mean
    )
    start = WINDOW_DELAY // HOP + LAG  # librosa's first frames are its zero padding
    assert np.abs(ours[start:-LAG] - theirs[start + LAG :]).max() < 1e-4
    assert theirs.max() > 1.0  # the music has onsets to compare


def test_chroma_matches_librosa_chroma_stft(samples: np.ndarray) -> None:
    import librosa

    found = spectra(samples, RATE)
    stft = librosa.stft(samples, n_fft=N_FFT, hop_length=HOP, pad_mode="constant")
    theirs = librosa.feature.chroma_stft(S=np.abs(stft) ** 2, sr=RATE, tuning=0.0, n_fft=N_FFT)
    assert found.chroma.shape == theirs.shape
    assert np.abs(found.chroma - theirs).max() < 1e-4
    chord = found.chroma[:, -20:-10].mean(axis=1)
    assert set(np.argsort(chord)[-3:]) == {0, 4, 7}  # C, E and G
