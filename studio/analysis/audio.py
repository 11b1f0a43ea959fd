"""Decode the sound of any file ffmpeg reads into a mono float32 array at the analysis rate.

Music files and the soundtracks of videos go through the same ffmpeg binary that renders, so
anything studio can import it can analyse; librosa's own loaders are not used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from studio.errors import NO_SOUND, AnalysisError, MediaError
from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.io.probe import probe
from studio.io.runner import Task, ffmpeg

ANALYSIS_RATE = 22050
MIN_SECONDS = 2.0
SILENCE_RMS = 1e-4  # about -80 dBFS
DECODE_TIMEOUT = 600.0
Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Audio:
    samples: Samples  # mono float32 in [-1, 1]
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate


def load_audio(path: str | Path, rate: int = ANALYSIS_RATE, task: Task | None = None) -> Audio:
    """Mono samples of the file's first audio stream; AnalysisError for anything unusable."""
    audio = sound_of(path, rate, task)
    if audio.seconds < MIN_SECONDS:
        raise AnalysisError(
            f"too short to analyse ({audio.seconds:.1f} s; needs {MIN_SECONDS:.0f} s)", path
        )
    if float(np.sqrt(np.mean(audio.samples**2))) < SILENCE_RMS:
        raise AnalysisError("the audio is silent", path)
    return audio


def sound_of(
    path: str | Path, rate: int = ANALYSIS_RATE, task: Task | None = None, channels: int = 1
) -> Audio:
    """Samples of the file's first audio stream, however short or quiet: mono, or
    `channels` interleaved."""
    try:
        media = probe(path, task)
    except MediaError as error:
        raise AnalysisError(error.reason, error.path) from None
    if not media.has_audio:
        raise AnalysisError(NO_SOUND, path)
    return Audio(_decode(Path(path), rate, float(media.duration), task, channels), rate)


def _decode(path: Path, rate: int, seconds: float, task: Task | None, channels: int = 1) -> Samples:
    args = [
        "-v",
        "error",
        "-i",
        ffmpeg_path_arg(path),
        "-map",
        "0:a:0",
        "-ac",
        str(channels),
        "-ar",
        str(rate),
        "-f",
        "f32le",
        "-c:a",
        "pcm_f32le",
        "pipe:1",
    ]
    done = ffmpeg(
        args, task, DECODE_TIMEOUT, str(path), max(seconds, 0.1), "decoding", AnalysisError
    )
    if done.returncode != 0:
        raise AnalysisError(f"cannot decode the audio: {done.last_error()}", path)
    return np.frombuffer(done.stdout_bytes, dtype="<f4").copy()
