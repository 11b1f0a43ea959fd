"""What the timeline draws on its tracks: thumbnail strips of clips and waveforms of sound.

Both are made once per file (cached by content, so a moved file is not made again) by one
quick ffmpeg run each: thumbnails decode only keyframes (a 60 s phone clip in about half a
second), waveforms decode the sound at 8 kHz mono and keep the peak of every 10 ms.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from studio.errors import MediaError
from studio.io.cache import cache_dir, cached, content_key
from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.io.jpeg import jpeg_images
from studio.io.runner import Task, as_task, ffmpeg
from studio.model.timeline import MediaRef

THUMB_HEIGHT = 64
THUMB_STEP = 1.0  # seconds between thumbnails
PEAKS_PER_SECOND = 100
WAVE_RATE = 8000
TIMEOUT = 600.0


@dataclass(frozen=True)
class Thumbnails:
    """JPEG pictures of a clip's source, `step` seconds apart from its start (display-oriented)."""

    step: float
    images: tuple[bytes, ...]

    def at(self, seconds: float) -> bytes | None:
        if not self.images:
            return None
        index = int(seconds / self.step)
        return self.images[min(max(index, 0), len(self.images) - 1)]


@dataclass(frozen=True)
class Waveform:
    """The peak level (0-255) of every 1/`per_second` s of a file's sound, mixed to mono."""

    per_second: int
    peaks: bytes


def thumbnails(media: MediaRef, task: Task | None = None) -> Thumbnails:
    _check(media.path)
    key = content_key(media.path, "thumbnails", THUMB_HEIGHT, THUMB_STEP)
    return cached(
        cache_dir("thumbnails") / f"{key}.json",
        lambda: _make_thumbnails(media, as_task(task)),
        lambda found: {
            "step": found.step,
            "images": [base64.b64encode(image).decode() for image in found.images],
        },
        lambda data: Thumbnails(
            float(data["step"]), tuple(base64.b64decode(image) for image in data["images"])
        ),
    )


def waveform(path: str, task: Task | None = None) -> Waveform:
    _check(path)
    key = content_key(path, "waveform", PEAKS_PER_SECOND, WAVE_RATE)
    return cached(
        cache_dir("waveforms") / f"{key}.json",
        lambda: _make_waveform(path, as_task(task)),
        lambda found: {"per_second": found.per_second, "peaks": found.peaks.hex()},
        lambda data: Waveform(int(data["per_second"]), bytes.fromhex(data["peaks"])),
    )


def _check(path: str) -> None:
    if not Path(path).is_file():
        raise MediaError("file not found (moved or deleted?)", path)


def _make_thumbnails(media: MediaRef, task: Task) -> Thumbnails:
    """Keyframes only when they are dense enough (phone footage: one every 1-2 s); a file with
    few keyframes (a screen recording, a web export) is decoded in full instead."""
    wanted = max(1, int(float(media.duration) / THUMB_STEP))
    images = _thumbnail_pass(media, task.part(0, 0.3), keyframes=True)
    if len(images) < wanted / 2:
        images = _thumbnail_pass(media, task.part(0.3, 1), keyframes=False)
    return Thumbnails(THUMB_STEP, images)


def _thumbnail_pass(media: MediaRef, task: Task, keyframes: bool) -> tuple[bytes, ...]:
    picture = f"fps=1/{THUMB_STEP}:start_time=0,scale=-2:{THUMB_HEIGHT},format=yuvj420p"
    args = [
        *("-loglevel", "error", *(("-skip_frame", "nokey") if keyframes else ())),
        *("-i", ffmpeg_path_arg(media.path), "-map", "0:V:0", "-an"),
        *("-vf", picture, "-c:v", "mjpeg", "-q:v", "5", "-f", "image2pipe", "pipe:1"),
    ]
    seconds = max(float(media.duration), 0.1)
    done = ffmpeg(args, task, TIMEOUT, media.path, seconds, "making thumbnails")
    if done.returncode != 0:
        raise MediaError(f"could not make thumbnails: {done.last_error()}", media.path)
    return tuple(jpeg_images(io.BufferedReader(io.BytesIO(done.stdout_bytes))))


def _make_waveform(path: str, task: Task) -> Waveform:
    import numpy as np

    args = [
        *("-loglevel", "error", "-i", ffmpeg_path_arg(path), "-map", "0:a:0", "-vn"),
        *("-ac", "1", "-ar", str(WAVE_RATE), "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1"),
    ]
    done = ffmpeg(args, task, TIMEOUT, path, None, "drawing the waveform")
    if done.returncode != 0:
        raise MediaError(f"could not read the sound: {done.last_error()}", path)
    samples = np.abs(np.frombuffer(done.stdout_bytes, np.int16).astype(np.int32))
    block = WAVE_RATE // PEAKS_PER_SECOND
    usable = len(samples) - len(samples) % block
    peaks = samples[:usable].reshape(-1, block).max(axis=1) if usable else np.zeros(0)
    level = np.minimum(255, peaks * 255 // 32767).astype(np.uint8)
    return Waveform(PEAKS_PER_SECOND, level.tobytes())
