"""Form widgets read from the engine's limits table: a spin box bounded by a range, a combo box
of a choice's values, a field's label. Every panel and dialog builds its fields from these, so
no range, choice or label is written twice."""

from __future__ import annotations

from studio.gui.qt import QComboBox, QDoubleSpinBox
from studio.model.limits import CHOICES, LIMITS


def spin_box(key: str, step: float, decimals: int = 2) -> QDoubleSpinBox:
    """A spin box bounded by the limits table's range for `key`."""
    box = QDoubleSpinBox()
    limit = LIMITS[key]
    box.setRange(limit.low, limit.high)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setSuffix(limit.unit if limit.unit.startswith(" ") else "")
    box.setKeyboardTracking(False)
    return box


def choice_box(key: str) -> QComboBox:
    """A combo box of the limits table's values for `key`."""
    box = QComboBox()
    box.addItems([str(value) for value in CHOICES[key].values])
    return box


def label_of(key: str) -> str:
    """The label the limits table gives `key`."""
    return LIMITS[key].label if key in LIMITS else CHOICES[key].label
