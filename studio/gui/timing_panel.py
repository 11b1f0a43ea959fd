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
from studio.gui.qt import QComboBox, QFormLayout, QHBoxLayout, QToolButton, QWidget, Signal
from studio.model import arrange
from studio.model.keys import Keys
from studio.model.limits import CHOICES
from studio.model.speed import preset_keys
from studio.model.timeline import Clip

KEYED, UNKEYED = "◆", "◇"  # a key at the playhead, or none there
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
        self.document, self.item_id, self.playhead = document, "", 0.0
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
        self.volume_key = QToolButton()  # a volume key at the playhead, on or off
        self.volume_key.setCheckable(True)
        self.volume_key.setToolTip("add or remove a volume key at the playhead")
        row = QHBoxLayout()
        row.addWidget(self.volume, 1)
        row.addWidget(self.volume_key)
        sound = QFormLayout(self.sound)
        sound.setContentsMargins(0, 0, 0, 0)
        sound.addRow(label_of("clip.volume"), row)
        self.voice = QComboBox()  # a voice effect
        for kind in CHOICES["clip.voice_effect"].values:
            self.voice.addItem(str(kind) or NONE, str(kind))
        self.voice.setToolTip("change the sound: chipmunk, deep, robot, echo, radio, megaphone")
        sound.addRow(label_of("clip.voice_effect"), self.voice)
        self.denoise = spin_box("clip.denoise", 0.1)  # noise reduction, 0 (off) to 1
        self.denoise.setToolTip("take steady noise (hiss, hum, fans) out of the sound: 0 is off")
        sound.addRow(label_of("clip.denoise"), self.denoise)
        self.denoise.valueChanged.connect(
            lambda value: self._apply("Noise reduction", ("denoise", self.item_id), denoise=value)
        )
        self.voice.activated.connect(
            lambda index: self._apply("Voice effect", voice_effect=self.voice.itemData(index))
        )
        self.volume_key.clicked.connect(lambda _: self._toggle_volume_key())
        self.speed.valueChanged.connect(self._set_speed)
        self.volume.valueChanged.connect(self._set_volume)
        self.ramp.activated.connect(lambda _: self._set_ramp(self.ramp.currentText()))
        self.ramp_sound.activated.connect(lambda _: self._set_ramp_sound())

    def show_item(self, item_id: str) -> None:
        """Show the clip's values (disabled when no clip is selected)."""
        clip = clip_with_id(self.document.project, item_id)
        self.item_id = item_id if clip is not None else ""
        widgets: tuple[QWidget, ...] = (self.speed, self.volume, self.ramp, self.ramp_sound)
        widgets += (self.volume_key, self.voice, self.denoise)
        for widget in widgets:
            widget.blockSignals(True)
            widget.setEnabled(clip is not None)
        if clip is not None:
            self._show(clip)
        for widget in widgets:
            widget.blockSignals(False)

    def _show(self, clip: Clip) -> None:
        self.speed.setValue(float(clip.speed))
        at = self._time()
        keys = clip.volume_keys
        self.volume.setValue(keys.at(at if at is not None else Fraction(0), clip.volume))
        keyed = at is not None and any(key.time == at for key in keys.keys)
        self.volume_key.setText(KEYED if keyed else UNKEYED)
        self.volume_key.setChecked(keyed)
        self.volume_key.setEnabled(at is not None)
        self.volume_key.setStyleSheet("color: #ffc846;" if keys.animated else "color: #888;")
        name = ramp_name(clip)
        custom = self.ramp.findText(CUSTOM)
        if name == CUSTOM and custom < 0:
            self.ramp.addItem(CUSTOM)
        elif name != CUSTOM and custom >= 0:
            self.ramp.removeItem(custom)
        self.ramp.setCurrentText(name)
        self.ramp.setEnabled(not clip.media.still)
        self.ramp.setToolTip(STILL if clip.media.still else "the clip's speed over its length")
        self.voice.setCurrentIndex(self.voice.findData(clip.voice_effect))
        self.voice.setEnabled(clip.media.has_audio)
        self.denoise.setValue(clip.denoise)
        self.denoise.setEnabled(clip.media.has_audio)
        self.ramp_sound.setCurrentText(clip.ramp_sound)
        self.ramp_sound.setEnabled(clip.ramped)
        self.speed.setEnabled(not clip.ramped)
        self.speed.setToolTip(RAMPED if clip.ramped else "")

    def _set_speed(self, value: float) -> None:
        speed = Fraction(value).limit_denominator(100)
        self._apply("Speed", speed=speed, merge=("speed", self.item_id))

    def _set_volume(self, value: float) -> None:
        if not self.item_id:
            return
        at = self._time()
        merge = ("volume", self.item_id, at)
        self._edit("Volume", arrange.set_volume, round(value, 2), at, merge=merge)

    def _toggle_volume_key(self) -> None:
        at = self._time()
        if at is None:
            self.refused.emit("move the playhead onto this clip to key its volume there")
            self.show_item(self.item_id)
            return
        self._edit("Volume key", arrange.toggle_volume_key, at)

    def set_playhead(self, seconds: float) -> None:
        """The volume box shows the volume at the playhead, and whether a key is there."""
        self.playhead = seconds
        if self.item_id:
            self.show_item(self.item_id)

    def _time(self) -> Fraction | None:
        """The playhead as a time of the clip (None when the clip does not play then)."""
        at = Fraction(self.playhead).limit_denominator(10**6)
        return arrange.time_in(self.document.project, self.item_id, at)

    def _edit(self, label: str, edit: Any, *args: Any, merge: Hashable | None = None) -> None:
        try:
            self.document.apply(label, edit, self.item_id, *args, merge=merge)
        except StudioError as error:
            self.refused.emit(error.message)
            self.show_item(self.item_id)

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
