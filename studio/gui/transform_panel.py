"""The selected overlay's transform: place, size, turn, opacity, crop and blend, each property
keyable at the playhead.

A diamond beside each property adds a key at the playhead (holding the value it has there)
or removes the one there: filled when the property has a key at the playhead, hollow when it
has keys elsewhere, faint when it is still. A value typed for a keyed property puts a key at
the playhead; for a still one it sets the still value. The key row edits the keys at the
playhead: their easing, their time (moving them; the playhead follows), deleting them; the
arrows jump to the previous and next key. Key times are seconds from the item's start, on
frames. Every change is one engine edit (model/arrange.py) through the Document; the steps
of one field merge into one undo step.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from studio.app import StudioError
from studio.gui.document import Document
from studio.gui.qt import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
    Signal,
)
from studio.gui.timing_panel import KEYED, UNKEYED
from studio.model import arrange
from studio.model.arrange import LAID, Laid
from studio.model.limits import CHOICES, LIMITS
from studio.model.timeline import Project
from studio.model.transform import PROPERTIES, Transform

LABELS = {
    "x": "Across",
    "y": "Down",
    "scale": "Size",
    "rotation": "Rotation",
    "opacity": "Opacity",
    "crop_left": "Crop left",
    "crop_top": "Crop top",
    "crop_right": "Crop right",
    "crop_bottom": "Crop bottom",
}


def value_box(limit_key: str, step: float, decimals: int) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    limit = LIMITS[limit_key]
    box.setRange(limit.low, limit.high)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setKeyboardTracking(False)
    return box


def layer_clip(project: Project, item_id: str) -> Laid | None:
    """The clip, title or sticker with this id when it is on an overlay (video) track."""
    for track in project.layers:
        for item in track.items:
            if item.id == item_id and track.kind == "video" and isinstance(item, LAID):
                return item
    return None


class TransformPanel(QGroupBox):
    refused = Signal(str)  # an edit the engine refused, with its reason
    seek = Signal(float)  # timeline seconds: the playhead to a key

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.setFlat(True)
        self.document, self.item_id, self.playhead = document, "", 0.0
        self.boxes = {name: self._box(name) for name in PROPERTIES}
        self.diamonds = {name: QToolButton() for name in PROPERTIES}
        self.blend = QComboBox()
        self.blend.addItems([str(value) for value in CHOICES["transform.blend"].values])
        self.ease = QComboBox()
        self.ease.addItems([str(value) for value in CHOICES["key.ease"].values])
        self.key_time = QDoubleSpinBox()
        self.key_time.setDecimals(2)
        self.key_time.setSingleStep(1 / 30)
        self.key_time.setSuffix(" s")
        self.key_time.setKeyboardTracking(False)
        self.previous, self.next = QToolButton(), QToolButton()
        self.previous.setText("◀ key")
        self.next.setText("key ▶")
        self.delete = QPushButton("Delete key")
        self.key_label = QLabel()
        self._layout()
        self._connect()

    def _box(self, name: str) -> QDoubleSpinBox:
        steps = {"rotation": (1.0, 1), "opacity": (0.05, 2)}
        step, decimals = steps.get(name, (0.01, 3))
        return value_box(PROPERTIES[name][0], step, decimals)

    def _layout(self) -> None:
        grid = QGridLayout(self)
        for row, name in enumerate(PROPERTIES):
            grid.addWidget(QLabel(LABELS[name]), row, 0)
            grid.addWidget(self.boxes[name], row, 1)
            grid.addWidget(self.diamonds[name], row, 2)
            self.diamonds[name].setToolTip("add or remove a key at the playhead")
        rows = len(PROPERTIES)
        grid.addWidget(QLabel(CHOICES["transform.blend"].label), rows, 0)
        grid.addWidget(self.blend, rows, 1, 1, 2)
        self.animation = QWidget()  # the keys at the playhead, which the inspector shows apart
        keys = QGridLayout(self.animation)
        keys.setContentsMargins(0, 0, 0, 0)
        keys.addWidget(self.key_label, 0, 0, 1, 3)
        keys.addWidget(QLabel("Key at"), 1, 0)
        keys.addWidget(self.key_time, 1, 1, 1, 2)
        keys.addWidget(QLabel(CHOICES["key.ease"].label), 2, 0)
        keys.addWidget(self.ease, 2, 1, 1, 2)
        buttons = QHBoxLayout()
        for button in (self.previous, self.next, self.delete):
            buttons.addWidget(button)
        keys.addLayout(buttons, 3, 0, 1, 3)

    def _connect(self) -> None:
        for name, box in self.boxes.items():
            box.valueChanged.connect(lambda value, n=name: self._set_value(n, value))
            self.diamonds[name].clicked.connect(lambda _=False, n=name: self._toggle(n))
        self.blend.currentTextChanged.connect(self._set_blend)
        self.ease.currentTextChanged.connect(self._set_ease)
        self.key_time.valueChanged.connect(self._move_keys)
        self.delete.clicked.connect(self._delete_keys)
        self.previous.clicked.connect(lambda: self._jump(-1))
        self.next.clicked.connect(lambda: self._jump(1))

    def show_item(self, item_id: str, playhead: float) -> None:
        """Show the overlay's values at the playhead (hidden for anything else)."""
        self.playhead = playhead
        clip = layer_clip(self.document.project, item_id)
        self.item_id = item_id if clip is not None else ""
        self.setVisible(clip is not None)
        if clip is None:
            return
        widgets = [*self.boxes.values(), self.blend, self.ease, self.key_time]
        for widget in widgets:
            widget.blockSignals(True)
        self._show(clip, clip.transform or Transform())
        for widget in widgets:
            widget.blockSignals(False)

    def _show(self, clip: Laid, transform: Transform) -> None:
        at = self._time()
        for name, box in self.boxes.items():
            box.setValue(transform.at(name, at if at is not None else Fraction(0)))
            self._show_diamond(name, transform, at)
        self.blend.setCurrentText(transform.blend)
        here = self._key_here(clip)
        self.key_time.setRange(0, float(clip.duration))
        self.key_time.setValue(float(here) if here is not None else 0.0)
        eases = [k.ease for _, keys in transform.keys for k in keys.keys if k.time == here]
        self.ease.setCurrentText(eases[0] if eases else "linear")
        for widget in (self.key_time, self.ease, self.delete):
            widget.setEnabled(here is not None)
        times = arrange.key_times(clip)
        self.previous.setEnabled(at is not None and any(t < at for t in times))
        self.next.setEnabled(at is None or any(t > at for t in times))
        self.key_label.setText(self._key_words(at, here, times))

    def _show_diamond(self, name: str, transform: Transform, at: Fraction | None) -> None:
        diamond = self.diamonds[name]
        keyed = self._key_of(name, transform) is not None
        diamond.setText(KEYED if keyed else UNKEYED)
        diamond.setCheckable(True)
        diamond.setChecked(keyed)
        diamond.setEnabled(at is not None)
        style = "color: #ffc846;" if transform.animated(name) else "color: #888;"
        diamond.setStyleSheet(style)

    def _key_words(self, at: Fraction | None, here: Fraction | None, times: list[Fraction]) -> str:
        """What the key row is about: the key at the playhead, or why there is none."""
        if at is None:
            return "Move the playhead onto this item to set keys."
        if here is not None:
            return f"Key {times.index(here) + 1} of {len(times)}, {float(here):.2f} s in"
        keys = f"{len(times)} key{'s' if len(times) != 1 else ''}"
        return f"No key at the playhead ({float(at):.2f} s in); {keys}"

    def set_playhead(self, seconds: float) -> None:
        if self.item_id:
            self.show_item(self.item_id, seconds)

    def _clip(self) -> Laid:
        found = arrange.item(self.document.project, self.item_id)
        assert isinstance(found, LAID)
        return found

    def _time(self) -> Fraction | None:
        """The playhead as a time of the item (None when the item does not play then)."""
        at = Fraction(self.playhead).limit_denominator(10**6)
        return arrange.time_in(self.document.project, self.item_id, at)

    def _near(self, times: list[Fraction]) -> Fraction | None:
        """The time of `times` at the playhead (within half a frame), if any."""
        at = self._time()
        if at is None:
            return None
        half = Fraction(1, 2 * self.document.project.canvas.fps)
        close = [time for time in times if abs(time - at) <= half]
        return min(close, key=lambda time: abs(time - at)) if close else None

    def _key_here(self, clip: Laid) -> Fraction | None:
        return self._near(arrange.key_times(clip))

    def _key_of(self, name: str, transform: Transform) -> Fraction | None:
        return self._near([key.time for key in transform.keys_of(name).keys])

    def _key_time(self, name: str, transform: Transform) -> Fraction | None:
        """Where a key of the property at the playhead goes: on the one there, else on the
        playhead's frame (None: the playhead is not on the item)."""
        there = self._key_of(name, transform)
        return there if there is not None else self._time()

    def _set_value(self, name: str, value: float) -> None:
        transform = self._clip().transform or Transform()
        at = self._key_time(name, transform)
        if at is None and transform.animated(name):
            self.refused.emit("put the playhead on this item to key its value there")
            self.show_item(self.item_id, self.playhead)
            return
        merge = ("transform", self.item_id, name, at)
        at = at if at is not None else Fraction(0)
        self._apply("Transform", arrange.set_value, name, round(value, 4), at, merge=merge)

    def _toggle(self, name: str) -> None:
        at = self._key_time(name, self._clip().transform or Transform())
        if at is None:
            self.refused.emit("put the playhead on this item to key it there")
        else:
            self._apply("Key", arrange.toggle_key, name, at)
        self.show_item(self.item_id, self.playhead)

    def _set_blend(self, blend: str) -> None:
        self._apply("Blend", arrange.set_blend, blend)

    def _set_ease(self, ease: str) -> None:
        here = self._key_here(self._clip())
        if here is not None:
            self._apply("Key easing", arrange.ease_keys, here, ease)

    def _move_keys(self, seconds: float) -> None:
        """The keys at the playhead to `seconds` of the item; the playhead goes with them."""
        clip = self._clip()
        here = self._key_here(clip)
        fps = self.document.project.canvas.fps
        to = Fraction(round(seconds * fps), fps)
        if here is None or to == here:
            return
        if self._apply("Move key", arrange.move_keys, here, to, merge=("move key", self.item_id)):
            self.seek.emit(self._start() + float(to))

    def _delete_keys(self) -> None:
        here = self._key_here(self._clip())
        if here is not None:
            self._apply("Delete key", arrange.remove_keys, here)

    def _jump(self, way: int) -> None:
        """The playhead to the previous (-1) or next (1) key of the item."""
        at = self._time()
        times = arrange.key_times(self._clip())
        if at is None:
            found = times[:1] if way > 0 and self.playhead < self._start() else []
        else:
            found = (
                [t for t in times if t < at][-1:] if way < 0 else [t for t in times if t > at][:1]
            )
        if found:
            self.seek.emit(self._start() + float(found[0]))

    def _start(self) -> float:
        for track in self.document.project.layers:
            if any(item.id == self.item_id for item in track.items):
                return float(track.range_of(self.item_id)[0])
        return 0.0

    def _apply(self, label: str, edit: Any, *args: Any, merge: Any = None) -> bool:
        try:
            return self.document.apply(label, edit, self.item_id, *args, merge=merge)
        except StudioError as error:
            self.refused.emit(error.message)
            return False
