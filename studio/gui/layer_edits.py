"""The layer intents of the timeline turned into engine edits (model/arrange.py): an overlay or
audio item moved along its lane or to another, its ends trimmed, a transition chosen for a cut
of the main track (from the cut's right-click menu or Edit > Add transition) or removed.

Each is one undo step: the moves of one drag carry the drag's key and merge. While the mouse
is down, the lane an item leaves stays (so the lanes hold still under the pointer); letting go
removes it when it is empty, and a drop where the item does not fit makes it a new track.
"""

from __future__ import annotations

from collections.abc import Hashable
from fractions import Fraction
from functools import partial
from typing import Any

from studio.app import StudioError
from studio.gui.catalogue import transition_title
from studio.gui.document import Document
from studio.gui.qt import QMenu, QObject, QPoint, QWidget, Signal
from studio.gui.timeline.canvas import TimelineCanvas
from studio.gui.timeline.lanes import cut_near
from studio.model import arrange, edits
from studio.model.timeline import Transition
from studio.model.tracks import TRANSITIONS

transition_name = transition_title  # a kind as a menu shows it: "slide-left" -> "Slide left"


class LayerEdits(QObject):
    refused = Signal(str)  # an edit the engine refused, with its reason

    def __init__(self, document: Document, timeline: TimelineCanvas) -> None:
        super().__init__()
        self.document, self.timeline = document, timeline
        timeline.slide_to.connect(self.slide)
        timeline.cut_to.connect(self.trim)
        timeline.volume_to.connect(self.set_volume)
        timeline.duck_to.connect(self.set_duck_key)
        timeline.cut_menu.connect(self.show_cut_menu)

    def set_volume(
        self, item_id: str, time: Fraction | None, volume: float, drag: Hashable
    ) -> None:
        """A sound's volume key at `time` (its one volume when None) dragged to `volume`."""
        self._apply("Volume", arrange.set_volume, item_id, volume, time, merge=drag)

    def set_duck_key(
        self, index: int | None, time: Fraction, gain_db: float, drag: Hashable
    ) -> None:
        """A key of the ducking curve dragged (or, index None, added): the automatic curve
        becomes keys edited by hand."""
        self._apply("Ducking curve", edits.set_duck_key, index, time, gain_db, merge=drag)

    def slide(
        self, item_id: str, start: Fraction, track_id: str, drag: Hashable, done: bool
    ) -> None:
        """Move an item to `start` on `track_id`; `done` when the mouse is let go."""
        keep = not done
        self._apply("Move", arrange.move_item, item_id, start, track_id, keep, merge=drag)

    def trim(self, item_id: str, start: Fraction, end: Fraction, drag: Hashable) -> None:
        self._apply("Trim", arrange.trim_item, item_id, start, end, merge=drag)

    def add_transition(self, clip_id: str, kind: str) -> None:
        """`kind` from the clip into the next (a transition already there changes kind)."""
        existing = self.document.project.main.transition_after(clip_id)
        if existing is not None:
            self._apply("Transition", partial(arrange.edit_item, kind=kind), existing.id)
            return
        transition = Transition(kind)
        if self._apply("Add transition", arrange.add_transition, clip_id, transition):
            self.timeline.select(transition.id)

    def add_at_playhead(self, kind: str) -> None:
        """`kind` at the main track's cut nearest the playhead."""
        scale = self.timeline.scale
        clip_id = cut_near(self.document.project, scale, scale.x(self.timeline.playhead))
        if clip_id is None:
            self.refused.emit("a transition needs two clips on the main track")
            return
        self.add_transition(clip_id, kind)

    def cut_menu(self, clip_id: str, parent: QWidget | None = None) -> QMenu:
        """The transitions for the cut after `clip_id`: each kind (the one there checked),
        and removing the one there."""
        menu = QMenu(parent)
        existing = self.document.project.main.transition_after(clip_id)
        for kind in TRANSITIONS:
            action = menu.addAction(transition_name(str(kind)))
            action.setCheckable(True)
            action.setChecked(existing is not None and existing.kind == kind)
            action.triggered.connect(lambda _=False, k=str(kind): self.add_transition(clip_id, k))
        if existing is not None:
            menu.addSeparator()
            remove = menu.addAction("Remove transition")
            remove.triggered.connect(lambda: self.remove(existing.id))
        return menu

    def fill_menu(self, menu: QMenu) -> None:
        """Edit > Add transition: every kind, at the cut nearest the playhead."""
        menu.clear()
        for kind in TRANSITIONS:
            action = menu.addAction(transition_name(str(kind)))
            action.triggered.connect(lambda _=False, k=str(kind): self.add_at_playhead(k))

    def show_cut_menu(self, clip_id: str, where: QPoint) -> None:
        self.cut_menu(clip_id, self.timeline).popup(where)

    def remove(self, item_id: str) -> None:
        self._apply("Remove", arrange.remove_item, item_id)

    def _apply(self, label: str, edit: Any, *args: Any, merge: Hashable | None = None) -> bool:
        try:
            return self.document.apply(label, edit, *args, merge=merge)
        except StudioError as error:
            self.refused.emit(error.message)
            return False
