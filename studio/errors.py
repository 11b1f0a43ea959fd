"""Every failure a user can cause is a StudioError carrying the file and the reason.

Only the CLI turns these into exit codes and one line; the GUI shows them in a dialog.
"""

from __future__ import annotations

from pathlib import Path


class StudioError(Exception):
    """Base of all expected failures: bad input, missing media, a failed render."""

    def __init__(
        self, reason: str, path: str | Path | None = None, field: str | None = None
    ) -> None:
        self.reason = reason
        self.path = str(path) if path is not None else None
        self.field = field  # the setting at fault, e.g. "clips[2].speed" or "sync.every"
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One line: the file, the field and the reason, whichever are known."""
        text = f"{self.field}: {self.reason}" if self.field else self.reason
        return f"{self.path}: {text}" if self.path else text

    def within(self, prefix: str) -> StudioError:
        """The same error with its field placed under `prefix` ("speed" -> "clips[2].speed")."""
        field = f"{prefix}.{self.field}" if self.field else prefix
        return type(self)(self.reason, self.path, field)


NO_SOUND = "has no sound (no audio stream)"  # what every command says of a silent file


class MediaError(StudioError):
    """A media file is missing, unreadable, truncated or has no usable stream."""


class ProjectError(StudioError):
    """A project file is malformed, from a newer version, or refers to missing media."""


class RenderError(StudioError):
    """ffmpeg failed, was cancelled, or the output path is unsafe."""


class Cancelled(StudioError):
    """The user cancelled a long call; nothing half-made was left at its target."""

    def __init__(
        self, reason: str = "cancelled", path: str | Path | None = None, field: str | None = None
    ) -> None:
        super().__init__(reason, path, field)


class AnalysisError(StudioError):
    """Audio or video analysis could not run on the given input."""
