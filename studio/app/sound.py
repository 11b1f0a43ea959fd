"""Use this sound: the sound of any video or audio file, whole or its hook, as a file of its
own (to cut an edit to, or to use as music)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from studio.errors import NO_SOUND, MediaError
from studio.io.cache import temporary_beside
from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.io.files import replace_file
from studio.io.probe import probe
from studio.io.runner import Task, as_task, ffmpeg

SOUND_ENDINGS = {".m4a": ["-c:a", "aac", "-b:a", "192k"], ".wav": ["-c:a", "pcm_s16le"]}
HOOKS = (15, 30)  # seconds: the lengths a hook is taken at


@dataclass(frozen=True)
class TakenSound:
    output: Path
    start: float  # where in the source it starts, seconds
    end: float


def take_sound(
    source: str | Path, output: str | Path, hook: int | None = None, task: Task | None = None
) -> TakenSound:
    """The source's sound written to `output` (.m4a or .wav): all of it, or with `hook` its
    loudest, most repeated `hook` seconds starting on a bar (analysis/hook.py)."""
    task = as_task(task)
    source, target = Path(source), Path(output)
    _check(source, target, hook)
    media = probe(source, task.part(0, 0.05))
    if not media.has_audio:
        raise MediaError(NO_SOUND, source)
    start, end = 0.0, float(media.duration)
    if hook is not None:
        from studio.analysis.hook import find_hook

        found = find_hook(source, hook, task.part(0.05, 0.8))
        start, end = found.start, found.end
    temp = temporary_beside(target, target.suffix)
    args = ["-v", "error", "-y", "-ss", f"{start:.3f}", "-t", f"{end - start:.3f}"]
    args += ["-i", ffmpeg_path_arg(source), "-vn", "-sn", "-map", "0:a:0"]
    args += [*SOUND_ENDINGS[target.suffix.lower()], ffmpeg_path_arg(temp)]
    ffmpeg(args, task.part(0.8, 1.0), 600.0, str(source), end - start, "writing the sound")
    replace_file(temp, target)
    return TakenSound(target, start, end)


def _check(source: Path, target: Path, hook: int | None) -> None:
    if target.suffix.lower() not in SOUND_ENDINGS:
        raise MediaError("the sound is written as .m4a or .wav", target)
    if source.exists() and target.exists() and os.path.samefile(source, target):
        raise MediaError("the output would overwrite the source", target)
    if hook is not None and hook not in HOOKS:
        raise MediaError(f"a hook is {' or '.join(map(str, HOOKS))} seconds (got {hook})")
