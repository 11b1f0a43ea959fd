"""The selected clip's speed and sound, on any track: a constant speed, or a speed ramp preset
laid over the clip's media (model/speed.py; the speed box is off while a ramp sets the
speed), whether a ramped clip's sound keeps its pitch or is muted, and its volume. Each change
is one edit (model/arrange.py `edit_item`) through the Document; a ramp changes the clip's
length, and the timeline follows."""

from __future__ import annotations

from collections.abc import Hashable
from fractions import Fraction
from functools import partial
from typing import Any

from studio.app import StudioError
from studio.gui.clip_effects import clip_with_id
from studio.gui.document import Document
from studio.gui.form import choice_box, label_of, spin_box
from studio.gui.qt import QComboBox, QFormLayout, QWidget, Signal
from studio.model import arrange
from studio.model.keys import Keys
from studio.model.limits import CHOICES
from studio.model.speed import preset_keys
from studio.model.timeline import Clip

NONE, CUSTOM = "none", "custom"  # no ramp; a ramp that is no preset (keys set by command)
RAMPED = "a speed ramp sets this clip's speed: choose 'none' under Speed ramp to set one speed"
STILL = "a still picture has no motion to ramp"


def ramp_name(clip: Clip) -> str:
    """The preset the clip's ramp is, "none" without one, "custom" for other keys."""
    if not clip.ramped:
        return NONE
    presets = (str(name) for name in CHOICES["clip.ramp"].values)
    found = (n for n in presets if preset_keys(n, clip.source_in, clip.source_out) == clip.ramp)
    return next(found, CUSTOM)


class TimingPanel(QWidget):
    refused = Signal(str)  # an edit the engine refused, with its reason

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document, self.item_id = document, ""
        self.speed, self.volume = spin_box("clip.speed", 0.25), spin_box("clip.volume", 0.1)
        self.ramp = QComboBox()
        self.ramp.addItems([NONE, *(str(name) for name in CHOICES["clip.ramp"].values)])
        self.ramp_sound = choice_box("clip.ramp_sound")
        self.ramp_sound.setToolTip("pitch: the sound follows the ramp at its own pitch")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(label_of("clip.speed"), self.speed)
        form.addRow(label_of("clip.ramp"), self.ramp)
        form.addRow("Ramp sound", self.ramp_sound)
        self.sound = QWidget()  # the volume, which the inspector shows under Audio
        sound = QFormLayout(self.sound)
        sound.setContentsMargins(0, 0, 0, 0)
        sound.addRow(label_of("clip.volume"), self.volume)
        self.speed.valueChanged.connect(self._set_speed)
        self.volume.valueChanged.connect(self._set_volume)
        self.ramp.activated.connect(lambda _: self._set_ramp(self.ramp.currentText()))
        self.ramp_sound.activated.connect(lambda _: self._set_ramp_sound())

    def show_item(self, item_id: str) -> None:
        """Show the clip's values (disabled when no clip is selected)."""
        clip = clip_with_id(self.document.project, item_id)
        self.item_id = item_id if clip is not None else ""
        widgets = (self.speed, self.volume, self.ramp, self.ramp_sound)
        for widget in widgets:
            widget.blockSignals(True)
            widget.setEnabled(clip is not None)
        if clip is not None:
            self._show(clip)
        for widget in widgets:
            widget.blockSignals(False)

    def _show(self, clip: Clip) -> None:
        self.speed.setValue(float(clip.speed))
        self.volume.setValue(clip.volume)
        name = ramp_name(clip)
        custom = self.ramp.findText(CUSTOM)
        if name == CUSTOM and custom < 0:
            self.ramp.addItem(CUSTOM)
        elif name != CUSTOM and custom >= 0:
            self.ramp.removeItem(custom)
        self.ramp.setCurrentText(name)
        self.ramp.setEnabled(not clip.media.still)
        self.ramp.setToolTip(STILL if clip.media.still else "the clip's speed over its length")
        self.ramp_sound.setCurrentText(clip.ramp_sound)
        self.ramp_sound.setEnabled(clip.ramped)
        self.speed.setEnabled(not clip.ramped)
        self.speed.setToolTip(RAMPED if clip.ramped else "")

    def _set_speed(self, value: float) -> None:
        speed = Fraction(value).limit_denominator(100)
        self._apply("Speed", speed=speed, merge=("speed", self.item_id))

    def _set_volume(self, value: float) -> None:
        self._apply("Volume", volume=round(value, 2), merge=("volume", self.item_id))

    def _set_ramp(self, name: str) -> None:
        clip = clip_with_id(self.document.project, self.item_id)
        if clip is None or name == CUSTOM:
            return
        ramp = Keys() if name == NONE else preset_keys(name, clip.source_in, clip.source_out)
        self._apply("Speed ramp", ramp=ramp)

    def _set_ramp_sound(self) -> None:
        self._apply("Ramp sound", ramp_sound=self.ramp_sound.currentText())

    def _apply(self, label: str, merge: Hashable | None = None, **changes: Any) -> None:
        if not self.item_id:
            return
        try:
            edit = partial(arrange.edit_item, **changes)
            self.document.apply(label, edit, self.item_id, merge=merge)
        except StudioError as error:
            self.refused.emit(error.message)
            self.show_item(self.item_id)
