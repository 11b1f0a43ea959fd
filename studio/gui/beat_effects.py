"""One beat effect of the project (punch, flash) in the inspector: on or off, its strength,
and whether it hits every beat or only bar starts."""

from __future__ import annotations

from studio.gui.form import spin_box
from studio.gui.qt import QCheckBox, QComboBox, QHBoxLayout, QWidget, Signal
from studio.model.timeline import BeatEffect


class EffectRow(QWidget):
    """One beat effect: on or off, its strength, and whether it hits every beat or bar starts."""

    changed = Signal()

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.enabled = QCheckBox(kind.capitalize())
        self.strength = spin_box("effect.strength", 0.1)
        self.on = QComboBox()
        self.on.addItems(["beats", "bars"])  # the engine's "downbeats", in a creator's word
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.strength)
        row.addWidget(self.on)
        self.enabled.toggled.connect(lambda _: self.changed.emit())
        self.strength.valueChanged.connect(lambda _: self.changed.emit())
        self.on.currentTextChanged.connect(lambda _: self.changed.emit())

    def show_effect(self, effect: BeatEffect | None) -> None:
        for widget in (self.enabled, self.strength, self.on):
            widget.blockSignals(True)
        self.enabled.setChecked(effect is not None)
        self.strength.setValue(effect.strength if effect else 0.5)
        self.on.setCurrentText("bars" if effect and effect.on == "downbeats" else "beats")
        for widget in (self.enabled, self.strength, self.on):
            widget.blockSignals(False)

    def effect(self) -> BeatEffect | None:
        if not self.enabled.isChecked():
            return None
        on = "downbeats" if self.on.currentText() == "bars" else "beats"
        return BeatEffect(self.kind, on, round(self.strength.value(), 2))  # type: ignore[arg-type]
