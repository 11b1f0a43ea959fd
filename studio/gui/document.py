"""The open project: the current snapshot, its file, and undo as swapping snapshots.

Every edit is a pure engine function `Project -> Project` plus a label. One command class serves
them all: it keeps the snapshot before and after. Commands with the same merge key in a row (the
moves of one drag) merge into one undo step that keeps the first `before` and the last `after`,
as Shotcut's mergeWith and Pitivi's undo do.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial
from pathlib import Path
from typing import Any

from studio.app import StudioError, load_project, save_project
from studio.gui.jobs import Jobs
from studio.gui.qt import QObject, QUndoCommand, QUndoStack, Signal, Slot
from studio.model.arrange import locked_track_changed
from studio.model.timeline import Project

Edit = Callable[..., Project]
_MERGE_IDS: dict[Hashable, int] = {}


def write_project(project: Project, path: Path, task: object = None) -> Path:
    """save_project in the shape of a job (jobs pass a task)."""
    return save_project(project, path)


class SnapshotCommand(QUndoCommand):
    def __init__(
        self,
        document: Document,
        label: str,
        before: Project,
        after: Project,
        merge: Hashable | None,
    ) -> None:
        super().__init__(label)
        self.document, self.before, self.after, self.merge = document, before, after, merge

    def id(self) -> int:
        if self.merge is None:
            return -1
        return _MERGE_IDS.setdefault(self.merge, len(_MERGE_IDS) + 1)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SnapshotCommand) or other.merge != self.merge:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self.document.show(self.after)

    def undo(self) -> None:
        self.document.show(self.before)


class Document(QObject):
    """The project being edited. Widgets call `apply`; they redraw on `changed`."""

    changed = Signal(object)  # the new Project snapshot
    refused = Signal(str)  # an edit of a locked track, not made
    dirty_changed = Signal(bool)

    def __init__(self, project: Project | None = None, path: Path | None = None) -> None:
        super().__init__()
        self.project = project if project is not None else Project()
        self.path = path
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)

    @classmethod
    def open(cls, path: str | Path) -> Document:
        """Open a project file; media that moved leaves its clips in place, shown as missing
        (the window offers to relink them)."""
        file = Path(path)
        return cls(load_project(file, check_media=False), file.absolute())

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def apply(self, label: str, edit: Edit, *args: Any, merge: Hashable | None = None) -> bool:
        """Run `edit(project, *args)` as one undoable step; False when it changed nothing.
        Engine refusals (StudioError) reach the caller, which shows them by field."""
        after = edit(self.project, *args)
        if after == self.project:
            return False
        locked = locked_track_changed(self.project, after)
        if locked is not None:
            from studio.gui.timeline.lanes import title_of

            self.refused.emit(f"{title_of(locked)} is locked: unlock it to edit it")
            return False
        self.undo_stack.push(SnapshotCommand(self, label, self.project, after, merge))
        return True

    @Slot(bool)
    def _clean_changed(self, clean: bool) -> None:
        self.dirty_changed.emit(not clean)

    def show(self, project: Project) -> None:
        self.project = project
        self.changed.emit(project)

    def save(self, path: str | Path | None = None) -> Path:
        """Write now, on this thread (for scripts and tests; the window uses save_in_background)."""
        self._saved(save_project(self.project, self._target(path)), self.undo_stack.index())
        assert self.path is not None
        return self.path

    def save_in_background(
        self,
        jobs: Jobs,
        path: str | Path | None = None,
        done: Callable[[Path], object] | None = None,
        failed: Callable[[StudioError], object] | None = None,
    ) -> None:
        """Write the current snapshot on a job thread (an atomic, fsynced save), so the window
        never waits on the disk; the project is marked clean only if nothing changed meanwhile."""
        index = self.undo_stack.index()
        saved = partial(self._saved, index=index, then=done)
        jobs.run(write_project, self.project, self._target(path), done=saved, failed=failed)

    def _target(self, path: str | Path | None) -> Path:
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("an unsaved project needs a file name")
        return target

    def _saved(self, path: Path, index: int, then: Callable[[Path], object] | None = None) -> None:
        self.path = path
        if self.undo_stack.index() == index:
            self.undo_stack.setClean()
        if then is not None:
            then(path)
