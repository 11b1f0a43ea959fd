"""Beat effects on the composed picture: a zoom punch or a white flash on each beat or bar start.

An effect starts at full strength on the output frame nearest its beat and fades out over a few
frames. Beats come from the music's beat grid (user edits included), so moving a beat moves its
effect. The envelope is an ffmpeg expression over the frame number, the same in a one-pass
export, a chunk of a long export, and a single preview frame.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from fractions import Fraction

from studio.model.time import nearest_frame
from studio.model.timeline import BeatEffect, Project
from studio.render.plan import Stream

PUNCH_ZOOM = 0.18  # extra zoom at strength 1
PUNCH_SECONDS = Fraction(1, 5)
FLASH_BRIGHTNESS = 0.4  # added brightness (of 1) at strength 1
FLASH_SECONDS = Fraction(2, 15)


def hit_frames(project: Project, effect: BeatEffect, fps: int) -> list[int]:
    """Output frames where the effect starts: its beats in the edit, on their nearest frames."""
    if project.music is None:
        return []
    end = nearest_frame(project.duration, fps)
    frames = {nearest_frame(t, fps) for t in project.music.beat_times(effect.on)}
    return sorted(f for f in frames if 0 <= f < end)


def fade_frames(effect: BeatEffect, fps: int) -> int:
    length = PUNCH_SECONDS if effect.kind == "punch" else FLASH_SECONDS
    return max(2, nearest_frame(length, fps))


def with_effects(
    video: Stream,
    project: Project,
    fps: int,
    size: tuple[int, int],
    first: int = 0,
    count: int | None = None,
) -> Stream:
    """Apply the project's beat effects to output frames first..first+count-1 (`video` starts at
    frame `first`, as a chunk of a long export does)."""
    for effect in project.effects:
        length = fade_frames(effect, fps)
        last = first + count if count is not None else None
        hits = [
            f - first
            for f in hit_frames(project, effect, fps)
            if f + length > first and (last is None or f < last)
        ]
        if hits:
            video = _apply(video, effect, functools.partial(_envelope, hits, length), size, fps)
    return video


def amounts_at(project: Project, frame: int, fps: int) -> list[tuple[BeatEffect, float]]:
    """Each effect's envelope value (0..1) at one output frame, for preview frames."""
    found = []
    for effect in project.effects:
        length = fade_frames(effect, fps)
        for hit in hit_frames(project, effect, fps):
            if hit <= frame < hit + length:
                found.append((effect, 1 - (frame - hit) / length))
    return found


def apply_constant(
    video: Stream, effect: BeatEffect, amount: float, size: tuple[int, int], fps: int
) -> Stream:
    return _apply(video, effect, lambda _: f"{amount:.4f}", size, fps)


def _envelope(hits: list[int], length: int, n: str) -> str:
    """1 on each hit frame, falling linearly to 0 after `length` frames; `n` names the frame
    number in the filter's expressions."""
    terms = (f"if(between({n},{f},{f + length - 1}),1-({n}-{f})/{length},0)" for f in hits)
    return "+".join(terms)


def _apply(
    video: Stream,
    effect: BeatEffect,
    envelope: Callable[[str], str],
    size: tuple[int, int],
    fps: int,
) -> Stream:
    width, height = size
    if effect.kind == "punch":
        zoom = f"1+{PUNCH_ZOOM * effect.strength:.4f}*({envelope('on')})"
        return video.filter(
            "zoompan",
            z=zoom,
            x="iw/2-iw/zoom/2",
            y="ih/2-ih/zoom/2",
            d=1,
            s=f"{width}x{height}",
            fps=fps,
        )
    brightness = f"{FLASH_BRIGHTNESS * effect.strength:.4f}*({envelope('n')})"
    return video.filter("eq", brightness=brightness, eval="frame")
