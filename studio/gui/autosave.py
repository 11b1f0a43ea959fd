"""Never lose work: the edit is saved a few seconds after each change to a recovery file, and
the next start offers it when it is newer than the project.

The recovery file is an ordinary project file written atomically (temp file, fsync, rename) by a
background job: beside the project as NAME.studio.json.autosave, or for an unsaved project in the
user data folder. A clean save or close removes it. A recovery file that cannot be read is
reported once and renamed aside, so a bad file never loops.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from studio.app import ProjectError, load_project
from studio.gui.document import Document, write_project
from studio.gui.jobs import Jobs
from studio.gui.qt import QObject, QTimer, Slot
from studio.model.timeline import Project

DELAY_MS = 2000  # after the last change
SUFFIX = ".autosave"


def recovery_path(document: Document, folder: Path) -> Path:
    """Beside the project, or in `folder` (the user data folder) for an unsaved one."""
    if document.path is not None:
        return document.path.with_name(document.path.name + SUFFIX)
    return folder / f"untitled-{uuid.uuid4().hex[:8]}.studio.json{SUFFIX}"


def newer_recovery(project_file: Path) -> Path | None:
    """The recovery file of a project when it is newer than the project file."""
    recovery = project_file.with_name(project_file.name + SUFFIX)
    if not recovery.is_file():
        return None
    if project_file.is_file() and recovery.stat().st_mtime <= project_file.stat().st_mtime:
        return None
    return recovery


def read_recovery(recovery: Path) -> Project:
    """The recovered project; a damaged file is renamed aside (.corrupt) and reported."""
    try:
        return load_project(recovery, check_media=False)
    except ProjectError as error:
        recovery.replace(recovery.with_name(recovery.name + ".corrupt"))
        raise ProjectError(
            f"the autosave could not be read and was set aside: {error.reason}", recovery
        ) from None


class Autosaver(QObject):
    """Saves the document's snapshot DELAY_MS after its last change, off the GUI thread."""

    def __init__(self, document: Document, jobs: Jobs, folder: Path, delay_ms: int = DELAY_MS):
        super().__init__(document)
        self.document, self.jobs = document, jobs
        self.path = recovery_path(document, folder)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.save_now)
        document.changed.connect(self._changed)
        document.dirty_changed.connect(self._dirty_changed)

    @Slot(object)
    def _changed(self, _: Project) -> None:
        self.timer.start()  # (the stack marks itself dirty only after the change is shown)

    @Slot(bool)
    def _dirty_changed(self, dirty: bool) -> None:
        if not dirty:  # saved (or undone back to the saved state): nothing to recover
            self.timer.stop()
            self.discard()

    def save_now(self) -> None:
        if not self.document.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.jobs.run(write_project, self.document.project, self.path)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
        self.path.with_name(self.path.name + ".bak").unlink(missing_ok=True)
