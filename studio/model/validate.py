"""Problems found in a project, as data. Errors stop an export; warnings are shown and ignored."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from studio.model.platform import (
    PLATFORM_FPS,
    PLATFORM_MAX_SECONDS,
    PLATFORM_MIN_SECONDS,
    PLATFORM_SIDES,
)
from studio.model.timeline import Project, cut_frames
from studio.model.tracks import halves

Severity = Literal["error", "warning"]

RANGE_SLACK = Fraction(1, 10)  # container durations are rounded; allow a little past the end


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def problems(project: Project) -> list[Problem]:
    """Everything that would make the project fail to render or render wrong."""
    found: list[Problem] = []
    if not project.main.clips:
        found.append(Problem("clips", "the project has no clips"))
    found += _clip_problems(project)
    found += _transition_problems(project)
    found += _music_problems(project)
    return found


def _clip_problems(project: Project) -> list[Problem]:
    found = []
    bounds = cut_frames(project.main.clips, project.canvas.fps)
    for index, clip in enumerate(project.main.clips):
        where = f"clips[{index}]"
        if not clip.media.has_video:
            found.append(Problem(where, f"{clip.media.name} has no video stream"))
        if not clip.media.endless and clip.source_out > clip.media.duration + RANGE_SLACK:
            found.append(
                Problem(
                    f"{where}.out",
                    f"{float(clip.source_out):.3f} s is past the end of "
                    f"{clip.media.name} ({float(clip.media.duration):.3f} s)",
                )
            )
        if bounds[index + 1] - bounds[index] < 1:
            found.append(Problem(where, "shorter than one frame"))
    return found


def _music_problems(project: Project) -> list[Problem]:
    music = project.music
    if music is None:
        return []
    if music.offset >= music.media.duration:
        return [Problem("music.offset", f"starts after the end of {music.media.name}")]
    return []


def platform_warnings(duration: float, width: int, height: int, fps: int) -> list[Problem]:
    """Where an export falls outside what the short-video platforms accept."""
    found = []
    if not PLATFORM_MIN_SECONDS <= duration <= PLATFORM_MAX_SECONDS:
        found.append(
            Problem(
                "duration",
                f"{duration:.1f} s is outside the platforms' "
                f"{PLATFORM_MIN_SECONDS}-{PLATFORM_MAX_SECONDS} s",
                "warning",
            )
        )
    if not PLATFORM_FPS[0] <= fps <= PLATFORM_FPS[1]:
        found.append(
            Problem("fps", f"{fps} fps is outside {PLATFORM_FPS[0]}-{PLATFORM_FPS[1]}", "warning")
        )
    low, high = PLATFORM_SIDES
    if not (low <= width <= high and low <= height <= high):
        found.append(
            Problem("size", f"{width}x{height} has a side outside {low}-{high} px", "warning")
        )
    return found


def _transition_problems(project: Project) -> list[Problem]:
    """Each clip must be longer than the halves of the transitions on either side of it."""
    fps, main = project.canvas.fps, project.main
    clips = main.clips
    bounds = cut_frames(clips, fps)
    found = []
    for index, clip in enumerate(clips):
        before = main.transition_after(clips[index - 1].id) if index else None
        after = main.transition_after(clip.id)
        taken = (halves(before, fps)[1] if before else 0) + (halves(after, fps)[0] if after else 0)
        if taken and bounds[index + 1] - bounds[index] <= taken:
            found.append(
                Problem(
                    f"clips[{index}]",
                    f"{clip.media.name} is too short for the transitions into and out of it "
                    f"({taken} frames of its {bounds[index + 1] - bounds[index]})",
                )
            )
    return found
