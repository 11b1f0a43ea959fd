"""How lively each moment of a clip is: motion, sharpness and faces on sampled frames (OpenCV).

Frames are decoded by the bundled ffmpeg (upright, square pixels) at SAMPLE_RATE per second and
256 pixels wide in grey. Scores are cached by file content like beat analyses.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from studio.analysis.models import face_cascade
from studio.errors import AnalysisError
from studio.io.cache import cache_dir, cached, content_key
from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.io.runner import Task, as_task, ffmpeg
from studio.model.beatsync import Picker
from studio.model.timeline import Clip, MediaRef

HIGHLIGHTS_VERSION = 1
SAMPLE_RATE = 4  # frames scored per second
WIDTH = 256
FACE_BONUS = 1.0
SHARPNESS_WEIGHT = 0.5


@dataclass(frozen=True)
class Liveliness:
    rate: int  # scores per second of media time
    scores: tuple[float, ...]  # higher is livelier; z-scored within the clip, plus face bonus

    def mean(self, start: Fraction, end: Fraction) -> float:
        first = int(start * self.rate)
        last = max(first + 1, int(end * self.rate))
        window = self.scores[first:last]
        return sum(window) / len(window) if window else float("-inf")


def liveliness(media: MediaRef, task: Task | None = None) -> Liveliness:
    """Scores for every 1/SAMPLE_RATE s of the media (cached by content)."""
    if not media.has_video:
        raise AnalysisError("has no video to pick highlights from", media.path)
    entry = cache_dir("highlights") / f"{content_key(media.path, HIGHLIGHTS_VERSION)}.json"
    task = as_task(task)
    return cached(
        entry,
        lambda: Liveliness(SAMPLE_RATE, _score(_frames(media, task.part(0, 0.7)), task)),
        lambda found: {"rate": found.rate, "scores": found.scores},
        lambda data: Liveliness(int(data["rate"]), tuple(data["scores"])),
    )


def highlight_picker(clips: list[Clip], scores: list[Liveliness]) -> Picker:
    """Choose, for each slot, the liveliest part of the clip that is not used yet."""

    def pick(
        index: int, length: Fraction, used: list[tuple[Fraction, Fraction]]
    ) -> Fraction | None:
        clip, score = clips[index], scores[index]
        step = Fraction(1, score.rate)
        best: tuple[float, Fraction] | None = None
        start = Fraction(0)
        while start + length <= clip.duration:
            if all(start + length <= a or start >= b for a, b in used):
                media_start = clip.source_at(start)
                value = score.mean(media_start, clip.source_at(start + length))
                if best is None or value > best[0]:
                    best = (value, start)
            start += step
        return best[1] if best else None

    return pick


def _frames(media: MediaRef, task: Task) -> Any:
    import numpy as np

    height = max(2, round(WIDTH * media.height / max(media.width, 1) / 2) * 2)
    args = ["-v", "error", "-i", ffmpeg_path_arg(media.path), "-map", "0:v:0", "-vf"]
    args += [f"fps={SAMPLE_RATE},scale={WIDTH}:{height},format=gray", "-f", "rawvideo", "pipe:1"]
    seconds = max(float(media.duration), 0.1)
    done = ffmpeg(args, task, 600, media.path, seconds, "finding highlights", AnalysisError)
    size = WIDTH * height
    if done.returncode != 0 or len(done.stdout_bytes) < size:
        raise AnalysisError("cannot decode the video to pick highlights", media.path)
    count = len(done.stdout_bytes) // size
    return np.frombuffer(done.stdout_bytes[: count * size], np.uint8).reshape(count, height, WIDTH)


def _score(frames: Any, task: Task) -> tuple[float, ...]:
    import cv2
    import numpy as np

    cascade = face_cascade()
    as_float = frames.astype(np.float32)
    motion = np.abs(np.diff(as_float, axis=0)).mean(axis=(1, 2))
    motion = np.concatenate([motion[:1], motion]) if len(motion) else np.zeros(1)
    sharpness = np.array([np.log1p(cv2.Laplacian(f, cv2.CV_32F).var()) for f in frames])
    faces = np.zeros(len(frames), dtype=bool)
    for index, frame in enumerate(frames):
        task.check()
        faces[index] = len(cascade.detectMultiScale(frame, 1.15, 5, minSize=(20, 20))) > 0
    task.report(1.0, "finding highlights")
    score = _z(motion) + SHARPNESS_WEIGHT * _z(sharpness) + FACE_BONUS * faces
    return tuple(round(float(v), 3) for v in score)


def _z(values: Any) -> Any:
    spread = values.std()
    return (values - values.mean()) / spread if spread > 0 else values * 0.0
