"""The open project: the current snapshot, its file, and undo as swapping snapshots.

Every edit is a pure engine function `Project -> Project` plus a label. One command class serves
them all: it keeps the snapshot before and after. Commands with the same merge key in a row (the
moves of one drag) merge into one undo step that keeps the first `before` and the last `after`,
as Shotcut's mergeWith and Pitivi's undo do.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from studio.app import load_project, save_project
from studio.gui.qt import QObject, QUndoCommand, QUndoStack, Signal, Slot
from studio.model.timeline import Project

Edit = Callable[..., Project]
_MERGE_IDS: dict[Hashable, int] = {}


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
    dirty_changed = Signal(bool)

    def __init__(self, project: Project | None = None, path: Path | None = None) -> None:
        super().__init__()
        self.project = project if project is not None else Project()
        self.path = path
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)

    @classmethod
    def open(cls, path: str | Path) -> Document:
        file = Path(path)
        return cls(load_project(file), file.absolute())

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def apply(self, label: str, edit: Edit, *args: Any, merge: Hashable | None = None) -> bool:
        """Run `edit(project, *args)` as one undoable step; False when it changed nothing.
        Engine refusals (StudioError) reach the caller, which shows them by field."""
        after = edit(self.project, *args)
        if after == self.project:
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
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("an unsaved project needs a file name")
        self.path = save_project(self.project, target)
        self.undo_stack.setClean()
        return self.path
