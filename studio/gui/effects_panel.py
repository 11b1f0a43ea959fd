"""The selected clip's effects: a list in the order they are drawn, an "Add effect" menu of
every registered kind (a kind a clip takes one of replaces the one it has), remove, move up
and down, and the selected effect's parameters below (effect_fields.py). Per-frame effects
are drawn before the others whatever their place, so the list shows them first and they move
only among themselves. Every change is one edit through the Document (one undo step; the
steps of one field merge)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from studio.app import StudioError
from studio.gui import clip_effects
from studio.gui.clip_effects import clip_with_id, drawn_first, offered, shown_order
from studio.gui.document import Document
from studio.gui.effect_fields import EffectForm
from studio.gui.effect_specs import new_effect, specs_of, summary
from studio.gui.qt import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    Signal,
)
from studio.model.effects import REGISTRY, EffectKind
from studio.model.timeline import Clip

FIRST = "per-frame effects are drawn first, before the others, whatever their place"
ORDER = "effects are drawn top to bottom; " + FIRST


class EffectsPanel(QGroupBox):
    refused = Signal(str)  # an edit the engine refused, with its reason

    def __init__(self, document: Document) -> None:
        super().__init__()  # under the inspector's Effects header
        self.setFlat(True)
        self.document, self.item_id = document, ""
        self.index = -1  # the selected effect's place in the clip's list
        self.order: list[int] = []  # the list's rows -> places in the clip's list
        self.list = QListWidget()
        self.list.setToolTip(ORDER)
        self.list.setMaximumHeight(120)
        self.add_menu = QMenu(self)
        self.add_menu.setToolTipsVisible(True)
        self.add = QToolButton()
        self.add.setText("Add effect")
        self.add.setMenu(self.add_menu)
        self.add.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.remove, self.up = QPushButton("Remove"), QPushButton("Up")
        self.down = QPushButton("Down")
        for button in (self.up, self.down):
            button.setToolTip(FIRST)
        self.form = EffectForm()
        self._layout()
        self.list.currentRowChanged.connect(self._row_chosen)
        self.remove.clicked.connect(self.remove_selected)
        self.up.clicked.connect(lambda: self.move_selected(-1))
        self.down.clicked.connect(lambda: self.move_selected(1))
        self.form.changed.connect(self._field_edited)
        self.form.refused.connect(self.refused)

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.add, self.remove, self.up, self.down):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.addWidget(self.list)
        column.addLayout(buttons)
        column.addWidget(self.form)

    def show_item(self, item_id: str) -> None:
        """Show the clip's effects (none selected: the list is empty and disabled)."""
        clip = clip_with_id(self.document.project, item_id)
        if item_id != self.item_id:
            self.index = -1
        self.item_id = item_id if clip is not None else ""
        self.setEnabled(clip is not None)
        self._fill_menu()
        self._fill_list(clip)

    def _fill_list(self, clip: Clip | None) -> None:
        self.order = shown_order(clip) if clip else []
        effects = clip.effects if clip else ()
        if self.index not in self.order:
            self.index = -1
        self.list.blockSignals(True)
        self.list.clear()
        for place in self.order:
            self.list.addItem(summary(effects[place]))
            tip = FIRST if drawn_first(effects[place]) else ORDER
            self.list.item(self.list.count() - 1).setToolTip(tip)
        self.list.setCurrentRow(self.order.index(self.index) if self.index >= 0 else -1)
        self.list.blockSignals(False)
        self._show_selected(clip)

    def _show_selected(self, clip: Clip | None) -> None:
        effect = clip.effects[self.index] if clip and self.index in self.order else None
        self.form.show_effect(effect)
        self.form.setVisible(effect is not None)
        row = self.list.currentRow()
        self.remove.setEnabled(effect is not None)
        self.up.setEnabled(row > 0 and self._same_group(row, row - 1))
        self.down.setEnabled(0 <= row < len(self.order) - 1 and self._same_group(row, row + 1))

    def _same_group(self, row: int, other: int) -> bool:
        effects = self._clip().effects
        return drawn_first(effects[self.order[row]]) == drawn_first(effects[self.order[other]])

    def _fill_menu(self) -> None:
        self.add_menu.clear()
        if not self.item_id:
            return
        why_not = offered(self.document.project, self.item_id)
        for name, kind in REGISTRY.items():
            choices = next((s.choices for s in specs_of(kind) if s.required), ())
            target = self.add_menu.addMenu(kind.label) if choices else self.add_menu
            if choices:
                target.setEnabled(not why_not[name])
                target.setToolTipsVisible(True)
            for choice in choices or ("",):
                action = target.addAction(choice or kind.label)
                action.setEnabled(not why_not[name])
                action.setToolTip(why_not[name] or _replaces(kind))
                action.triggered.connect(lambda _=False, k=kind, c=choice: self.add_effect(k, c))

    def add_effect(self, kind: EffectKind, choice: str = "") -> None:
        """`kind` added to the clip (in place of the one it has, for a one-per-clip kind)."""
        effect = new_effect(kind, choice)
        if self._apply(f"Add {kind.label.lower()}", clip_effects.add_effect, effect):
            effects = self._clip().effects
            self.index = next(i for i in reversed(range(len(effects))) if effects[i] is effect)
            self.show_item(self.item_id)

    def remove_selected(self) -> None:
        if self.index in self.order:
            row = self.order.index(self.index)
            place = self.index
            if self._apply("Remove effect", clip_effects.remove_effect, place):
                self.index = -1
                remaining = shown_order(self._clip())
                if remaining:
                    self.index = remaining[min(row, len(remaining) - 1)]
                self.show_item(self.item_id)

    def move_selected(self, step: int) -> None:
        """The selected effect one row up (-1) or down (1), among effects drawn alike."""
        row = self.list.currentRow()
        other = row + step
        if not (0 <= other < len(self.order) and self._same_group(row, other)):
            return
        to = self.order[other]
        if self._apply("Move effect", clip_effects.move_effect, self.index, to):
            self.index = to
            self.show_item(self.item_id)

    def _row_chosen(self, row: int) -> None:
        self.index = self.order[row] if 0 <= row < len(self.order) else -1
        self._show_selected(self._clip())

    def _field_edited(self, effect: Any, field: str) -> None:
        merge = ("effect", self.item_id, self.index, field)
        self._apply("Effect", clip_effects.put_effect, self.index, effect, merge=merge)

    def _clip(self) -> Clip:
        clip = clip_with_id(self.document.project, self.item_id)
        assert clip is not None
        return clip

    def _apply(self, label: str, edit: Any, *args: Any, merge: Hashable | None = None) -> bool:
        try:
            return self.document.apply(label, edit, self.item_id, *args, merge=merge)
        except StudioError as error:
            self.refused.emit(error.message)
            return False


def _replaces(kind: EffectKind) -> str:
    if not kind.single:
        return ""
    return f"a clip takes one {kind.label.lower()}: it replaces the one there"
