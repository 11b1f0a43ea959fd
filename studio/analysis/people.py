"""Where the person is in every frame of a clip: a grey mask video, made once and cached.

The clip is decoded small through the export's own clip chain (seek, speed, square pixels,
frame rate; ffmpeg turns rotated footage upright), so mask frame k is the clip's output frame k.
MediaPipe's selfie segmentation (the general 256x256 model, shipped inside the mediapipe wheel)
gives a person probability per pixel. Masks flicker where the model hesitates (hair, hands,
edges); each frame is smoothed with its neighbours (weights 1/4, 1/2, 1/4 over the previous,
current and next frame), which removes one-frame flicker without lagging behind motion. The
result is stored as lossless FFV1 grey video at the analysis size; the render scales it up,
softens its edge and composites in the one ffmpeg graph.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.analysis.models import person_segmenter
from studio.errors import AnalysisError
from studio.io import children
from studio.io.cache import cache_dir, content_key, temporary_beside
from studio.io.ffmpeg_bin import ffmpeg_exe, ffmpeg_path_arg
from studio.io.files import replace_file
from studio.io.runner import Task, as_task
from studio.model.prepared import PERSON
from studio.model.time import nearest_frame, seconds
from studio.model.timeline import Clip, Project, video_clips

MASK_SIDE = 256  # the longer side of the analysis frames and of the stored mask
MASK_VERSION = 1  # bump when the analysis changes: old cached masks are then not used
SMOOTHING = (0.25, 0.5, 0.25)  # previous, current, next frame
MODEL = 0  # MediaPipe selfie segmentation: 0 general (256x256), 1 landscape (144x256)


def analysis_size(clip: Clip, side: int = MASK_SIDE) -> tuple[int, int]:
    """Even width and height with the clip's display shape, the longer side `side`."""
    width, height = max(clip.media.width, 2), max(clip.media.height, 2)
    scale = side / max(width, height)
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def mask_frames(clip: Clip, fps: int) -> int:
    """Frames the mask covers: the clip's output frames, plus two so rounding never starves it."""
    return nearest_frame(clip.duration, fps) + 2


def masked_clips(project: Project) -> list[tuple[str, Clip]]:
    """(key, clip) of what needs a person mask: the clips of every video track that replace
    their background or cut you out of it (PERSON + clip id)."""
    return [(PERSON + c.id, c) for c in video_clips(project) if c.background is not None]


MaskMaker = Callable[[Clip, int, Task], Path]


def make_each(
    wanted: list[tuple[str, Clip]], make: MaskMaker, fps: int, task: Task | None = None
) -> dict[str, Path]:
    """`make(clip, fps, task)` for each (key, clip), by key, sharing the task's progress."""
    task = as_task(task)
    return {
        key: make(clip, fps, task.part(i / len(wanted), (i + 1) / len(wanted)))
        for i, (key, clip) in enumerate(wanted)
    }


def made_each(
    wanted: list[tuple[str, Clip]], target: Callable[[Clip, int], Path], fps: int
) -> dict[str, Path]:
    """The masks of `wanted` already made, by key (never makes one: for the preview)."""
    found = {}
    for key, clip in wanted:
        if Path(clip.media.path).is_file():
            path = target(clip, fps)  # hashes part of the file: once
            if path.exists():
                found[key] = path
    return found


def mask_target(clip: Clip, fps: int, kind: str, *parameters: object) -> Path:
    """Where the mask of `kind` for this clip range at `fps` is cached (by the file's content,
    the range, speed, rate and the analysis' own parameters)."""
    where = (str(clip.source_in), str(clip.source_out), clip.pace, fps)
    key = content_key(clip.media.path, kind, *parameters, *where)
    return cache_dir("masks") / f"{key}.mkv"


def require_media(clip: Clip) -> None:
    """AnalysisError naming the file when the clip's media is not where the project says."""
    if not Path(clip.media.path).is_file():
        raise AnalysisError("file not found (moved or deleted?)", clip.media.path)


def person_masks(project: Project, fps: int, task: Task | None = None) -> dict[str, Path]:
    """The masks the project needs, by key (made where missing)."""
    return make_each(masked_clips(project), person_mask, fps, task)


def made_masks(project: Project, fps: int) -> dict[str, Path]:
    """The person masks already made."""
    return made_each(masked_clips(project), _target, fps)


def person_mask(clip: Clip, fps: int, task: Task | None = None) -> Path:
    """The cached mask video of `clip` at `fps` (made now if missing)."""
    require_media(clip)
    target = _target(clip, fps)
    if not target.exists():
        _make_mask(clip, fps, target, as_task(task))
    return target


def _target(clip: Clip, fps: int) -> Path:
    return mask_target(clip, fps, "person-mask", MASK_VERSION, MODEL)


def segment(rgb: Any) -> Any:
    """Person probability (0..1, float32) of one RGB picture at its own size, found at the
    analysis size as clips are (for stills and checks)."""
    import cv2
    import numpy as np

    height, width = rgb.shape[:2]
    scale = MASK_SIDE / max(width, height)
    small_size = (max(2, round(width * scale)), max(2, round(height * scale)))
    small = np.ascontiguousarray(cv2.resize(rgb, small_size, interpolation=cv2.INTER_AREA))
    (mask,) = _segmented(iter([small]))
    return cv2.resize(mask, (width, height), interpolation=cv2.INTER_LINEAR)


def _make_mask(clip: Clip, fps: int, target: Path, task: Task) -> None:
    def person(frames: Iterator[Any]) -> Iterator[Any]:
        return _smoothed(_segmented(frames))

    write_mask(clip, fps, target, person, analysis_size(clip), task, "finding the person")


def write_mask(
    clip: Clip,
    fps: int,
    target: Path,
    masks_of: Callable[[Iterator[Any]], Iterator[Any]],
    size: tuple[int, int],
    task: Task,
    message: str,
    pixels: str = "gray",
) -> None:
    """Decode the clip's frames at `size` (RGB), turn them into grey masks (or `pixels`
    pictures) with `masks_of`, and store those as a video at `target`."""
    with clip_frames(clip, fps, size) as frames:
        write_frames(clip, fps, target, masks_of(frames), size, task, message, pixels)


def write_frames(
    clip: Clip,
    fps: int,
    target: Path,
    frames: Iterator[Any],
    size: tuple[int, int],
    task: Task,
    message: str,
    pixels: str = "gray",
) -> None:
    """Store `frames` (the clip's, at `fps` and `size`) as a video at `target`, written aside
    and then renamed into place: lossless FFV1 for masks and layers ("gray", "rgba"),
    near-lossless H.264 for pictures ("rgb24")."""
    width, height = size
    total = mask_frames(clip, fps)
    temp = temporary_beside(target, ".mkv")
    with tempfile.TemporaryFile() as said:  # read at the end: a pipe could fill and stall
        writer = _start_writer(temp, width, height, fps, pixels, said)
        try:
            done = _feed(writer, frames, total, task, message)
            if writer.wait(timeout=60) != 0 or done == 0:
                said.seek(0)
                problem = said.read().decode(errors="replace")
                raise AnalysisError(
                    f"could not analyse the clip: {problem[-300:]}", clip.media.path
                )
            replace_file(temp, target)
        finally:
            _stop(writer)
            temp.unlink(missing_ok=True)


def _feed(writer: Any, frames: Iterator[Any], total: int, task: Task, message: str) -> int:
    """Write the frames to the writer's input, then close it: how many were written."""
    done = 0
    for picture in frames:
        task.check()
        writer.stdin.write(picture.tobytes())
        done += 1
        if done % 15 == 0:
            task.report(done / total, message)
    writer.stdin.close()
    return done


@contextmanager
def clip_frames(clip: Clip, fps: int, size: tuple[int, int]) -> Iterator[Iterator[Any]]:
    """The clip's output frames (mask_frames of them) decoded at `size` as RGB arrays, through
    the export's clip chain; the decoder stops when the block is left."""
    width, height = size
    argv = _decode_argv(clip, fps, width, height, mask_frames(clip, fps))
    with tempfile.TemporaryFile() as said:  # ffmpeg's report: a pipe nobody reads could fill
        reader = children.start(argv, stderr=said)
        try:
            assert reader.stdout is not None
            yield _read_frames(reader.stdout, width, height)
        finally:
            _stop(reader)


def _stop(process: Any) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()
    children.forget(process)


def _decode_argv(clip: Clip, fps: int, width: int, height: int, total: int) -> list[str]:
    """The clip's picture on the export's clock, small, as raw RGB."""
    timing = clip.pts_expression()
    speed = f"setpts='{timing}'," if timing else ""
    square = "scale=trunc(iw*sar/2)*2:ih,setsar=1," if clip.media.sar != 1 else ""
    pad = seconds(Fraction(total, fps))
    chain = (
        f"{speed}{square}fps={fps}:start_time=0,tpad=stop_mode=clone:stop_duration={pad},"
        f"trim=end_frame={total},scale={width}:{height},format=rgb24"
    )
    margin = Fraction(2, fps) * clip.top_speed
    seek = ["-ss", str(seconds(clip.source_in))] if clip.source_in > 0 else []
    return [
        ffmpeg_exe(),
        *("-hide_banner", "-nostdin", "-loglevel", "error", *seek),
        *(
            "-t",
            str(seconds(clip.source_duration + margin)),
            "-i",
            ffmpeg_path_arg(clip.media.path),
        ),
        *("-map", "0:V:0", "-an", "-vf", chain, "-f", "rawvideo", "pipe:1"),
    ]


def _start_writer(target: Path, width: int, height: int, fps: int, pixels: str, said: Any) -> Any:
    argv = [
        ffmpeg_exe(),
        *("-hide_banner", "-nostdin", "-loglevel", "error", "-y"),
        *("-f", "rawvideo", "-pix_fmt", pixels, "-s", f"{width}x{height}", "-r", str(fps)),
        *("-i", "pipe:0", *_codec(pixels), "-f", "matroska", str(target)),
    ]
    return children.start(argv, stdin=children.PIPE, stdout=children.DEVNULL, stderr=said)


def _codec(pixels: str) -> tuple[str, ...]:
    if pixels == "rgb24":  # a whole picture: small, and the export's encode follows anyway
        return ("-c:v", "libx264", "-preset", "veryfast", "-crf", "12", "-pix_fmt", "yuv420p")
    return ("-c:v", "ffv1")


def _read_frames(stream: Any, width: int, height: int) -> Iterator[Any]:
    import numpy as np

    size = width * height * 3
    while len(data := stream.read(size)) == size:
        yield np.frombuffer(data, np.uint8).reshape(height, width, 3)


def _segmented(frames: Iterator[Any]) -> Iterator[Any]:
    """Person probability (float32, 0..1) per frame."""
    solution = _segmenter()
    try:
        for frame in frames:
            yield solution.process(frame).segmentation_mask
    finally:
        solution.close()


def _smoothed(masks: Iterator[Any]) -> Iterator[Any]:
    """Each mask averaged with its neighbours (the ends repeat themselves), as uint8 0..255."""
    import numpy as np

    before, now = None, None
    for upcoming in masks:
        if now is not None:
            yield _blend(before if before is not None else now, now, upcoming, np)
        before, now = now, upcoming
    if now is not None:
        yield _blend(before if before is not None else now, now, now, np)


def _blend(before: Any, now: Any, after: Any, np: Any) -> Any:
    weight_before, weight_now, weight_after = SMOOTHING
    mixed = before * weight_before + now * weight_now + after * weight_after
    return np.clip(mixed * 255 + 0.5, 0, 255).astype(np.uint8)


def _segmenter() -> Any:
    """MediaPipe's selfie segmentation; a clear error where mediapipe cannot load."""
    return person_segmenter(MODEL)
