"""The selected effect's parameters, as a form built from its class's fields (effect_specs.py):
a spin box bounded by the limits table for a number, a combo box of its choices, a line for a
colour, a file chooser for a picture or video, the built-in stickers plus "picture..." for a
sticker, and a moviepy effect's options shown as they are. The form emits the effect with the
user's change; the panel turns that into one edit."""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import partial
from typing import Any

from studio.app import StudioError
from studio.gui.effect_specs import FieldSpec, shown, specs_of
from studio.gui.form import spin_box
from studio.gui.qt import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
    Signal,
)
from studio.model.effects import Effect, kind_of

MEDIA_FILTER = "Pictures and videos (*.png *.jpg *.jpeg *.webp *.mp4 *.mov *.mkv);;All (*)"
PICTURE_FILTER = "Pictures (*.png *.webp *.jpg *.jpeg)"
PICK_PICTURE = "picture..."  # the picture choice that opens a file dialog


class FieldInput(ABC):
    """One field's widget: shows a value, reads it back, calls `edited` on a user's change."""

    def __init__(self, spec: FieldSpec, edited: Callable[[], None]) -> None:
        self.spec, self.edited = spec, edited
        self.widget: QWidget = self._make()

    @abstractmethod
    def _make(self) -> QWidget:
        """The field's widget, connected to `edited`."""

    @abstractmethod
    def show(self, value: Any) -> None:
        """Show `value` (no edit follows)."""

    @abstractmethod
    def value(self) -> Any:
        """The value shown."""

    def choose(self) -> bool:
        """Ask for the field's file (False when it has none, or none was chosen)."""
        return False


class NumberInput(FieldInput):
    def _make(self) -> QWidget:
        self.box = spin_box(self.spec.key, 0.05 if self.spec.key.endswith(".size") else 0.1)
        self.box.valueChanged.connect(lambda _: self.edited())
        return self.box

    def show(self, value: Any) -> None:
        self.box.blockSignals(True)
        self.box.setValue(float(value))
        self.box.blockSignals(False)

    def value(self) -> float:
        return round(self.box.value(), self.box.decimals())


class ChoiceInput(FieldInput):
    def _make(self) -> QWidget:
        self.box = QComboBox()
        self.box.addItems(list(self.spec.choices))
        self.box.currentTextChanged.connect(lambda _: self.edited())
        return self.box

    def show(self, value: Any) -> None:
        self.box.blockSignals(True)
        if self.box.findText(str(value)) < 0:  # a name the list does not offer (moviepy:...)
            self.box.addItem(str(value))
        self.box.setCurrentText(str(value))
        self.box.blockSignals(False)

    def value(self) -> str:
        return self.box.currentText()


class ColourInput(FieldInput):
    def _make(self) -> QWidget:
        self.line = QLineEdit()
        self.line.setPlaceholderText("#rrggbb")
        self.line.editingFinished.connect(self.edited)
        return self.line

    def show(self, value: Any) -> None:
        self.line.blockSignals(True)
        self.line.setText(str(value))
        self.line.blockSignals(False)

    def value(self) -> str:
        return self.line.text().strip().lower()


class FileInput(FieldInput):
    def _make(self) -> QWidget:
        self.line = QLineEdit()
        self.line.setPlaceholderText("a picture or video file")
        self.line.editingFinished.connect(self.edited)
        button = QPushButton("...")
        button.setToolTip("choose the file")
        button.clicked.connect(lambda: self.choose() and self.edited())
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line, 1)
        layout.addWidget(button)
        return row

    def show(self, value: Any) -> None:
        self.line.blockSignals(True)
        self.line.setText(str(value))
        self.line.blockSignals(False)

    def value(self) -> str:
        return self.line.text().strip()

    def choose(self) -> bool:
        name, _ = QFileDialog.getOpenFileName(self.widget, self.spec.label, "", MEDIA_FILTER)
        if name:
            self.line.setText(name)
        return bool(name)


class PictureInput(FieldInput):
    """The built-in pictures by name, the clip's own picture file, and "picture..."."""

    def _make(self) -> QWidget:
        self.box = QComboBox()
        self.box.addItems([*self.spec.choices, PICK_PICTURE])
        self.box.setToolTip("a picture that follows the face and turns with the head")
        self.path = ""
        self.box.activated.connect(lambda _: self._picked())
        return self.box

    def show(self, value: Any) -> None:
        self.path = str(value)
        built_in = self.spec.built_in
        name = self.path[len(built_in) :] if self.path.startswith(built_in) else self.path
        if self.box.findText(name) < 0:
            self.box.insertItem(self.box.count() - 1, name)
        self.box.setCurrentText(name)

    def value(self) -> str:
        return self.path

    def _picked(self) -> None:
        text = self.box.currentText()
        if text == PICK_PICTURE and not self.choose():
            self.show(self.path)
            return
        if text in self.spec.choices:
            self.path = self.spec.built_in + text
        self.edited()

    def choose(self) -> bool:
        name, _ = QFileDialog.getOpenFileName(self.widget, "Sticker picture", "", PICTURE_FILTER)
        if name:
            self.path = name
        return bool(name)


class OptionsInput(FieldInput):
    """A moviepy effect's options, shown (they are set with `studio fx --moviepy`)."""

    def _make(self) -> QWidget:
        self.label = QLabel()
        self.label.setToolTip("set with studio fx --moviepy Name:key=value")
        self.options: Any = ()
        return self.label

    def show(self, value: Any) -> None:
        self.options = value
        self.label.setText(", ".join(f"{k}={v}" for k, v in value) or "none")

    def value(self) -> Any:
        return self.options


INPUTS: dict[str, type[FieldInput]] = {
    "number": NumberInput,
    "choice": ChoiceInput,
    "colour": ColourInput,
    "file": FileInput,
    "picture": PictureInput,
    "options": OptionsInput,
}


class EffectForm(QWidget):
    """The fields of one effect; `changed` carries the effect as edited and the field's name."""

    changed = Signal(object, str)
    refused = Signal(str)  # a value the effect's class refused, with its reason

    def __init__(self) -> None:
        super().__init__()
        self.effect: Effect | None = None
        self.inputs: dict[str, FieldInput] = {}
        self.rows = QFormLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)

    def show_effect(self, effect: Effect | None) -> None:
        """Show `effect`'s values (the rows are made again for another kind)."""
        if effect is None or self.effect is None or type(effect) is not type(self.effect):
            self._rows_for(effect)
        self.effect = effect
        if effect is None:
            return
        for name, field in self.inputs.items():
            field.show(getattr(effect, name))
            field.widget.setEnabled(shown(effect, name))

    def _rows_for(self, effect: Effect | None) -> None:
        while self.rows.rowCount():
            self.rows.removeRow(0)
        self.inputs = {}
        if effect is None:
            return
        for spec in specs_of(kind_of(effect)):
            field = INPUTS[spec.form](spec, partial(self._edited, spec.name))
            self.inputs[spec.name] = field
            self.rows.addRow(spec.label, field.widget)

    def _edited(self, name: str) -> None:
        if self.effect is None:
            return
        values = {field: each.value() for field, each in self.inputs.items()}
        try:
            edited = dataclasses.replace(self.effect, **values)
        except StudioError as error:
            if error.field == "path" and "path" in self.inputs and self.inputs["path"].choose():
                self._edited(name)  # the choice needed a file: asked for, then made
                return
            self.refused.emit(error.message)
            self.show_effect(self.effect)
            return
        self.changed.emit(edited, name)
