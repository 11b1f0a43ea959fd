"""Every failure a user can cause is a StudioError carrying the file and the reason.

Only the CLI turns these into exit codes and one line; the GUI shows them in a dialog.
"""

from __future__ import annotations

from pathlib import Path


class StudioError(Exception):
    """Base of all expected failures: bad input, missing media, a failed render."""

    def __init__(self, reason: str, path: str | Path | None = None) -> None:
        self.reason = reason
        self.path = str(path) if path is not None else None
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


class MediaError(StudioError):
    """A media file is missing, unreadable, truncated or has no usable stream."""


class ProjectError(StudioError):
    """A project file is malformed, from a newer version, or refers to missing media."""


class RenderError(StudioError):
    """ffmpeg failed, was cancelled, or the output path is unsafe."""


class AnalysisError(StudioError):
    """Audio or video analysis could not run on the given input."""
