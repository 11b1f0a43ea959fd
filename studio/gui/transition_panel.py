"""The selected transition: its kind, length, easing and sound crossfade, and removing it.
Ranges and choices come from the limits table; each change is one engine edit by the
transition's id (the steps of one field merge into one undo step)."""

from __future__ import annotations

from fractions import Fraction
from functools import partial
from typing import Any

from studio.app import StudioError
from studio.gui.document import Document
from studio.gui.layer_edits import transition_name
from studio.gui.qt import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QPushButton,
    Signal,
)
from studio.model import arrange
from studio.model.limits import CHOICES, LIMITS
from studio.model.timeline import Transition
from studio.model.tracks import TRANSITIONS


class TransitionPanel(QGroupBox):
    refused = Signal(str)  # an edit the engine refused, with its reason

    def __init__(self, document: Document) -> None:
        super().__init__("Transition")
        self.document, self.item_id = document, ""
        self.kind = QComboBox()
        for kind in TRANSITIONS:
            self.kind.addItem(transition_name(str(kind)), str(kind))
        limit = LIMITS["transition.length"]
        self.length = QDoubleSpinBox()
        self.length.setRange(limit.low, limit.high)
        self.length.setSingleStep(0.1)
        self.length.setSuffix(" s")
        self.length.setKeyboardTracking(False)
        self.ease = QComboBox()
        self.ease.addItems([str(value) for value in CHOICES["transition.ease"].values])
        self.audio = QCheckBox("Crossfade the sound")
        self.remove = QPushButton("Remove transition")
        form = QFormLayout(self)
        form.addRow(CHOICES["transition.kind"].label, self.kind)
        form.addRow(limit.label.removeprefix("Transition ").capitalize(), self.length)
        form.addRow(CHOICES["transition.ease"].label, self.ease)
        form.addRow(self.audio)
        form.addRow(self.remove)
        self.kind.currentIndexChanged.connect(lambda _: self._edit("kind", self.kind.currentData()))
        self.length.valueChanged.connect(self._set_length)
        self.ease.currentTextChanged.connect(lambda ease: self._edit("ease", ease))
        self.audio.toggled.connect(lambda on: self._edit("audio", on))
        self.remove.clicked.connect(self._remove)

    def show_item(self, item_id: str) -> None:
        """Show the transition with this id (hidden for anything else)."""
        found = [item for item in self.document.project.main.transitions if item.id == item_id]
        self.item_id = item_id if found else ""
        self.setVisible(bool(found))
        if found:
            self._show(found[0])

    def _show(self, transition: Transition) -> None:
        widgets = (self.kind, self.length, self.ease, self.audio)
        for widget in widgets:
            widget.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(transition.kind))
        self.length.setValue(float(transition.duration))
        self.ease.setCurrentText(transition.ease)
        self.audio.setChecked(transition.audio)
        for widget in widgets:
            widget.blockSignals(False)

    def _set_length(self, seconds: float) -> None:
        self._edit("duration", Fraction(seconds).limit_denominator(100))

    def _edit(self, field: str, value: Any) -> None:
        if not self.item_id:
            return
        edit = partial(arrange.edit_item, **{field: value})
        try:
            merge = ("transition", self.item_id, field)
            self.document.apply("Transition", edit, self.item_id, merge=merge)
        except StudioError as error:
            self.refused.emit(error.message)

    def _remove(self) -> None:
        if self.item_id:
            self.document.apply("Remove transition", arrange.remove_item, self.item_id)
