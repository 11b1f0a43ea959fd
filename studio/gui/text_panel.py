"""The selected title's words and style, and how a title or sticker comes in, goes out and
moves: the inspector's Text and Motion sections.

Each change is one engine edit by the item's id (app/layers.retitled measures the title
again, so its letters keep the size they show at); the steps of one field merge into one
undo step, and typing is sent a moment after the last key so a word is one step, not five.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from functools import partial
from typing import Any

from studio.app import StudioError
from studio.app.layers import retitled
from studio.gui.document import Document
from studio.gui.form import choice_box, spin_box
from studio.gui.qt import (
    QCheckBox,
    QColor,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QTimer,
    QWidget,
    Signal,
)
from studio.model import arrange
from studio.model.limits import CHOICES
from studio.model.motion import Motion
from studio.model.stickers import StickerItem
from studio.model.title_styles import STYLES, style_named
from studio.model.titles import TextStyle, Title

TYPING_PAUSE = 350  # ms after the last key before the words are sent as one edit
OWN_FONT = "Your font file..."
FONT_FILTER = "Fonts (*.ttf *.otf *.ttc)"
NUMBERS = {  # style field: (limits key, step, decimals, unit)
    "size": ("title.size", 4.0, 0, " px"),
    "stroke": ("title.stroke", 1.0, 0, " px"),
    "shadow": ("title.shadow", 1.0, 0, " px"),
    "box_opacity": ("title.opacity", 0.05, 2, ""),
    "box_radius": ("title.radius", 2.0, 0, " px"),
    "box_padding": ("title.padding", 2.0, 0, " px"),
    "letter_spacing": ("title.letter_spacing", 1.0, 0, " px"),
    "line_spacing": ("title.line_spacing", 0.05, 2, " x"),
    "max_width": ("title.max_width", 20.0, 0, " px"),
}
COLOURS = {"color": "Colour", "stroke_color": "Outline colour", "shadow_color": "Shadow colour"}


class ColourButton(QPushButton):
    """A swatch that opens a colour chooser; `chosen` carries "#rrggbb"."""

    chosen = Signal(str)

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title, self.colour = title, "#ffffff"
        self.setFixedSize(56, 24)
        self.setToolTip(title)
        self.clicked.connect(self._choose)

    def show_colour(self, colour: str) -> None:
        self.colour = colour
        self.setToolTip(f"{self.title}: {colour}")
        edge = "#808080"
        self.setStyleSheet(f"background: {colour}; border: 1px solid {edge}; border-radius: 4px;")

    def _choose(self) -> None:
        picked = QColorDialog.getColor(QColor(self.colour), self, self.title)
        if picked.isValid():
            self.chosen.emit(picked.name())


class TextPanel(QWidget):
    """A title's words, font, size, colours, outline, shadow, box, spacing and wrap."""

    refused = Signal(str)

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document, self.item_id = document, ""
        self.words = QPlainTextEdit()
        self.words.setFixedHeight(64)
        self.words.setPlaceholderText("Type the words (Enter starts a new line)")
        self.typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE)
        self.look = QComboBox()
        self.look.addItem("Start from a style...", "")
        for name, (described, _) in STYLES.items():
            self.look.addItem(f"{name}: {described}", name)
        self.font_box = QComboBox()
        self.numbers = {name: _number(*spec) for name, spec in NUMBERS.items()}
        self.numbers["max_width"].setSpecialValueText("no wrap")
        self.colours = {name: ColourButton(label) for name, label in COLOURS.items()}
        self.box = QCheckBox("Box behind")
        self.box_colour = ColourButton("Box colour")
        self.align = choice_box("title.align")
        for box in (self.look, self.font_box):  # long names are cut, not the panel widened
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(10)
        self._layout()
        self._connect()

    def _layout(self) -> None:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.words)
        form.addRow("Style", self.look)
        form.addRow("Font", self.font_box)
        form.addRow("Size", self.numbers["size"])
        form.addRow(COLOURS["color"], self.colours["color"])
        form.addRow("Outline", _pair(self.numbers["stroke"], self.colours["stroke_color"]))
        form.addRow("Shadow", _pair(self.numbers["shadow"], self.colours["shadow_color"]))
        form.addRow(self.box, _pair(self.box_colour, self.numbers["box_opacity"]))
        form.addRow("Corner rounding", self.numbers["box_radius"])
        form.addRow("Padding", self.numbers["box_padding"])
        form.addRow("Letter spacing", self.numbers["letter_spacing"])
        form.addRow("Line spacing", self.numbers["line_spacing"])
        form.addRow("Wrap width", self.numbers["max_width"])
        form.addRow("Alignment", self.align)

    def _connect(self) -> None:
        self.words.textChanged.connect(self.typing.start)
        self.typing.timeout.connect(self._send_words)
        self.look.activated.connect(self._restyle)
        self.font_box.activated.connect(self._set_font)
        for name, box in self.numbers.items():
            box.valueChanged.connect(partial(self._set, name))
        for name, button in self.colours.items():
            button.chosen.connect(partial(self._set, name))
        self.box.toggled.connect(self._set_box)
        self.box_colour.chosen.connect(partial(self._set, "box_color"))
        self.align.currentTextChanged.connect(partial(self._set, "align"))

    def show_item(self, item_id: str) -> None:
        """Show the title with this id (hidden for anything else)."""
        title = _item(self.document, item_id, Title)
        self.item_id = item_id if title is not None else ""
        self.setVisible(title is not None)
        if title is None:
            return
        for widget in self._widgets():
            widget.blockSignals(True)
        self._show(title)
        for widget in self._widgets():
            widget.blockSignals(False)

    def type_words(self) -> None:
        """The words box focused with its words selected: typing replaces them."""
        self.words.setFocus()
        self.words.selectAll()

    def _widgets(self) -> list[Any]:
        return [self.words, self.look, self.font_box, *self.numbers.values(), self.box, self.align,
                *self.colours.values(), self.box_colour]  # fmt: skip

    def _show(self, title: Title) -> None:
        style = title.style
        if self.words.toPlainText() != title.text and not self.typing.isActive():
            self.words.setPlainText(title.text)
        self.look.setCurrentIndex(0)
        self._show_font(style.font)
        for name, box in self.numbers.items():
            box.setValue(float(getattr(style, name)))
        for name, button in self.colours.items():
            button.show_colour(getattr(style, name))
        self.box.setChecked(bool(style.box_color))
        self.box_colour.show_colour(style.box_color or "#000000")
        self.box_colour.setEnabled(bool(style.box_color))
        for name in ("box_opacity", "box_radius", "box_padding"):  # a box's own
            self.numbers[name].setEnabled(bool(style.box_color))
        self.align.setCurrentText(style.align)

    def _show_font(self, font: str) -> None:
        from studio.render.titles import FONTS

        self.font_box.clear()
        self.font_box.addItems(list(FONTS))
        if font not in FONTS:
            self.font_box.addItem(font.replace("\\", "/").rsplit("/", 1)[-1], font)
        self.font_box.addItem(OWN_FONT)
        index = self.font_box.findText(font) if font in FONTS else self.font_box.count() - 2
        self.font_box.setCurrentIndex(index)

    def _title(self) -> Title | None:
        found: Title | None = _item(self.document, self.item_id, Title)
        return found

    def _send_words(self) -> None:
        words = self.words.toPlainText()
        if words.strip():
            self._edit("Text", partial(retitled, text=words), ("words", self.item_id))

    def _restyle(self, index: int) -> None:
        name, title = self.look.itemData(index), self._title()
        if name and title is not None:
            style = style_named(name, size=title.style.size, max_width=title.style.max_width)
            self._edit("Text style", partial(retitled, style=style), None)

    def _set_font(self, index: int) -> None:
        font = self.font_box.itemData(index) or self.font_box.itemText(index)
        if font == OWN_FONT:
            font, _ = QFileDialog.getOpenFileName(self, "Choose a font", "", FONT_FILTER)
        if font:
            self._set("font", font)
        else:
            self.show_item(self.item_id)

    def _set_box(self, on: bool) -> None:
        self._set("box_color", self.box_colour.colour if on else "")

    def _set(self, name: str, value: Any) -> None:
        title = self._title()
        if title is None:
            return
        style: TextStyle = replace(title.style, **{name: value})
        self._edit("Text style", partial(retitled, style=style), ("style", self.item_id, name))

    def _edit(self, label: str, edit: Any, merge: Any) -> None:
        if not self.item_id:
            return
        try:
            self.document.apply(label, edit, self.item_id, merge=merge)
        except StudioError as error:
            self.refused.emit(error.message)
            self.show_item(self.item_id)


class MotionPanel(QWidget):
    """How a title or sticker comes in, goes out (each with its length) and moves meanwhile."""

    refused = Signal(str)

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document, self.item_id = document, ""
        kinds = [str(kind) for kind in CHOICES["motion.enter"].values]
        self.kinds = {name: QComboBox() for name in ("enter", "leave")}
        self.lengths = {name: QDoubleSpinBox() for name in ("enter_length", "leave_length")}
        for box in self.kinds.values():
            for kind in kinds:
                box.addItem(kind or "none", kind)
        for length in self.lengths.values():
            length.setRange(0.1, 5.0)
            length.setSingleStep(0.1)
            length.setSuffix(" s")
            length.setKeyboardTracking(False)
        self.loop = QComboBox()
        for loop in CHOICES["motion.loop"].values:
            self.loop.addItem(str(loop) or "none", str(loop))
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("In", _pair(self.kinds["enter"], self.lengths["enter_length"]))
        form.addRow("Out", _pair(self.kinds["leave"], self.lengths["leave_length"]))
        form.addRow(CHOICES["motion.loop"].label, self.loop)
        boxes: list[tuple[str, QComboBox]] = [*self.kinds.items(), ("loop", self.loop)]
        for name, box in boxes:
            box.activated.connect(lambda index, n=name, b=box: self._set(n, b.itemData(index)))
        for name, length in self.lengths.items():
            length.valueChanged.connect(partial(self._set_length, name))

    def show_item(self, item_id: str) -> None:
        """Show the motion of the title or sticker with this id (hidden for anything else)."""
        item = _item(self.document, item_id, (Title, StickerItem))
        self.item_id = item_id if item is not None else ""
        self.setVisible(item is not None)
        if item is None:
            return
        motion = item.motion
        widgets = [*self.kinds.values(), *self.lengths.values(), self.loop]
        for widget in widgets:
            widget.blockSignals(True)
        for name, box in self.kinds.items():
            box.setCurrentIndex(box.findData(getattr(motion, name)))
        for name, length in self.lengths.items():
            length.setValue(float(getattr(motion, name)))
        self.loop.setCurrentIndex(self.loop.findData(motion.loop))
        for widget in widgets:
            widget.blockSignals(False)

    def _set_length(self, name: str, seconds: float) -> None:
        self._set(name, Fraction(seconds).limit_denominator(100))

    def _set(self, name: str, value: Any) -> None:
        item = _item(self.document, self.item_id, (Title, StickerItem))
        if item is None:
            return
        motion: Motion = replace(item.motion, **{name: value})
        try:
            merge = ("motion", self.item_id, name)
            edit = partial(arrange.edit_item, motion=motion)
            self.document.apply("Animation", edit, self.item_id, merge=merge)
        except StudioError as error:
            self.refused.emit(error.message)


def _item(document: Document, item_id: str, kinds: Any) -> Any:
    """The item with this id when it is one of `kinds`, else None."""
    if not item_id:
        return None
    for track in document.project.tracks:
        for item in track.items:
            if item.id == item_id and isinstance(item, kinds):
                return item
    return None


def _number(key: str, step: float, places: int, unit: str) -> QDoubleSpinBox:
    box = spin_box(key, step, places)
    box.setSuffix(unit)
    return box


def _pair(first: QWidget, second: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(first, 1)
    layout.addWidget(second, 1 if second.maximumWidth() > 1000 else 0)
    return row
