"""Direct manipulation on the preview: click a layer's picture to select it, drag it to move,
drag a corner to scale, the round handle above it to turn; arrow keys nudge (Shift: ten times).

A move snaps to the canvas's centre lines, the edges and centres of the other pictures and
the safe zone's edges, and shows the guide it snapped to; a turn snaps to 45-degree steps; Alt
frees both. Each drag is one undo step; a property that is animated gets a key at the playhead
(arrange.set_values), so what is dragged is what plays there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any

from studio.app import StudioError
from studio.gui.document import Document
from studio.gui.qt import QColor, QEvent, QObject, QPainter, QPen, QPointF, QRect, Qt, Signal
from studio.gui.text_in_place import WordsOnCanvas
from studio.model import arrange, edits
from studio.model.arrange import LAID, Laid
from studio.model.boxes import Box, canvas_box
from studio.model.captions import CAPTIONS_ID
from studio.model.platform import safe_zone
from studio.model.timeline import Project
from studio.model.titles import Title
from studio.model.transform import Transform

HANDLE = 7  # half a handle's side, in screen pixels
TURN_HANDLE = 26  # how far above the picture the turn handle sits
SNAP = 8  # screen pixels within which a move snaps to a guide
TURN_STEP, TURN_SNAP = 45.0, 4.0  # degrees
SELECTED = QColor(34, 195, 214)
GUIDE = QColor(255, 64, 160)


@dataclass(frozen=True)
class Layer:
    clip: Laid  # a clip, a title or a sticker
    box: Box
    time: Fraction  # the playhead, from the clip's start


def layers_at(project: Project, playhead: Fraction) -> list[Layer]:
    """The pictures with a place of their own showing at the playhead, topmost first: the
    overlay tracks' clips, titles and stickers, and a main-track clip that has a transform
    (a duet's side)."""
    found = _captions_layer(project, playhead)
    canvas = project.canvas
    for track in project.tracks:
        if track.kind != "video" or track.hidden:
            continue
        for item, start, end in track.ranges():
            placed = track.role != "main" or getattr(item, "transform", None) is not None
            if isinstance(item, LAID) and placed and start <= playhead < end:
                box = canvas_box(item, canvas.width, canvas.height, playhead - start)
                found.append(Layer(item, box, playhead - start))
    return found[::-1]


def _captions_layer(project: Project, playhead: Fraction) -> list[Layer]:
    """The captions' band when words show at the playhead, offered after every picture (it
    spans the canvas, so a picture over it stays easy to pick): a title stands in for it,
    with its place and shape."""
    from studio.render.caption_pictures import band_box

    captions = project.captions
    words = captions.shown if captions is not None else ()
    if captions is None or not any(w.start <= playhead <= w.end + 0.5 for w in words):
        return []
    canvas = project.canvas
    x, y, width, height = band_box(captions, (canvas.width, canvas.height))
    place = Transform(x=x, y=y, scale=width / canvas.width)
    stand_in = Title("Captions", Fraction(1), transform=place, width=width, height=height,
                     id=CAPTIONS_ID)  # fmt: skip
    return [Layer(stand_in, canvas_box(stand_in, canvas.width, canvas.height, Fraction(0)),
                  Fraction(0))]  # fmt: skip


def corners(box: Box) -> list[tuple[float, float]]:
    """The box's four corners on the canvas, turned with it."""
    turn = math.radians(box.rotation)
    cos, sin = math.cos(turn), math.sin(turn)
    half_w, half_h = box.width / 2, box.height / 2
    return [
        (box.x + dx * cos - dy * sin, box.y + dx * sin + dy * cos)
        for dx, dy in ((-half_w, -half_h), (half_w, -half_h), (half_w, half_h), (-half_w, half_h))
    ]


def inside(box: Box, x: float, y: float) -> bool:
    turn = math.radians(-box.rotation)
    dx, dy = x - box.x, y - box.y
    u = dx * math.cos(turn) - dy * math.sin(turn)
    v = dx * math.sin(turn) + dy * math.cos(turn)
    return abs(u) <= box.width / 2 and abs(v) <= box.height / 2


def turn_handle(box: Box, reach: float) -> tuple[float, float]:
    """Above the top edge's middle by `reach` canvas pixels, turned with the box."""
    turn = math.radians(box.rotation)
    up = box.height / 2 + reach
    return box.x + up * math.sin(turn), box.y - up * math.cos(turn)


def snapped(value: float, lines: list[float], reach: float) -> tuple[float, float | None]:
    """`value` moved onto the nearest line within `reach`, and that line (None: no snap)."""
    near = [line for line in lines if abs(line - value) <= reach]
    if not near:
        return value, None
    line = min(near, key=lambda at: abs(at - value))
    return line, line


def _place(layer: Layer) -> tuple[float, float]:
    """The layer's x and y (of the canvas) at the playhead."""
    transform = layer.clip.transform or Transform()
    return transform.at("x", layer.time), transform.at("y", layer.time)


def snapped_span(
    centre: float, half: float, lines: list[float], reach: float
) -> tuple[float, float | None]:
    """A picture's centre moved so that it, or else one of its edges (`half` away), lies on
    the nearest line within `reach`; and that line (None: no snap)."""
    for offset in (0.0, -half, half):
        moved, line = snapped(centre + offset, lines, reach)
        if line is not None:
            return moved - offset, line
    return centre, None


@dataclass
class Drag:
    kind: str  # "move", "scale" or "turn"
    layer: Layer
    start: tuple[float, float]  # canvas pixels where the press was
    number: int


class CanvasEditor(QObject):
    refused = Signal(str)
    selected = Signal(str)  # a layer clicked on the preview

    def __init__(self, view: Any, document: Document, timeline: Any) -> None:
        super().__init__(view)
        self.view, self.document, self.timeline = view, document, timeline
        self.drag: Drag | None = None
        self.drags = 0
        self.guides: list[tuple[str, float]] = []  # ("x" or "y", canvas pixels) while moving
        self.words: WordsOnCanvas | None = None  # the text box of a title typed in place
        view.decorate = self.paint
        view.installEventFilter(self)
        view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        view.setMouseTracking(False)

    # geometry between the widget and the canvas
    def _factor(self) -> float:
        return float(self.view.picture_rect()[2]) / self.document.project.canvas.width

    def to_canvas(self, point: QPointF) -> tuple[float, float]:
        x, y, _, _ = self.view.picture_rect()
        factor = self._factor()
        return (point.x() - x) / factor, (point.y() - y) / factor

    def to_screen(self, x: float, y: float) -> QPointF:
        left, top, _, _ = self.view.picture_rect()
        factor = self._factor()
        return QPointF(left + x * factor, top + y * factor)

    def _playhead(self) -> Fraction:
        return Fraction(self.timeline.playhead).limit_denominator(10**6)

    def _layers(self) -> list[Layer]:
        return layers_at(self.document.project, self._playhead())

    def selection(self) -> Layer | None:
        chosen = self.timeline.selection
        return next((layer for layer in self._layers() if layer.clip.id == chosen), None)

    # events
    def eventFilter(self, watched: Any, event: Any) -> bool:
        kind = event.type()
        left = kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick) and (
            event.button() == Qt.MouseButton.LeftButton
        )
        if left and kind == QEvent.Type.MouseButtonDblClick:
            return self._type_words(event)
        if left:
            return self._press(event)
        if kind == QEvent.Type.MouseMove and self.drag is not None:
            self._move(event)
            return True
        if kind == QEvent.Type.MouseButtonRelease and self.drag is not None:
            self.drag, self.guides = None, []
            self.view.update()
            return True
        if kind == QEvent.Type.KeyPress:
            return self._nudge(event)
        return False

    def _press(self, event: Any) -> bool:
        x, y = self.to_canvas(event.position())
        reach = HANDLE / self._factor()
        self.drags += 1
        chosen = self.selection()
        if chosen is not None:
            hx, hy = self._turn_handle(chosen.box)
            if math.hypot(x - hx, y - hy) <= reach * 1.5:
                return self._hold("turn", chosen, x, y)
            if any(math.hypot(x - cx, y - cy) <= reach * 1.5 for cx, cy in corners(chosen.box)):
                return self._hold("scale", chosen, x, y)
        hit = next((layer for layer in self._layers() if inside(layer.box, x, y)), None)
        if hit is None:
            return False
        self.timeline.select(hit.clip.id)
        self.selected.emit(hit.clip.id)
        return self._hold("move", hit, x, y)

    def _type_words(self, event: Any) -> bool:
        """A double-click on a title: its words in a text box over it, to type in place."""
        x, y = self.to_canvas(event.position())
        hit = next((layer for layer in self._layers() if inside(layer.box, x, y)), None)
        if hit is None or not isinstance(hit.clip, Title):
            return False
        self.drag = None
        box = WordsOnCanvas(self.view, self.document, hit.clip.id, hit.clip.text)
        box.refused.connect(self.refused)
        points = [self.to_screen(cx, cy) for cx, cy in corners(hit.box)]
        xs, ys = [int(p.x()) for p in points], [int(p.y()) for p in points]
        box.open_at(QRect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
        self.words = box
        return True

    def _hold(self, kind: str, layer: Layer, x: float, y: float) -> bool:
        self.drag = Drag(kind, layer, (x, y), self.drags)
        self.view.setFocus()
        self.view.update()
        return True

    def _move(self, event: Any) -> None:
        assert self.drag is not None
        x, y = self.to_canvas(event.position())
        free = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        change = {"move": self._moved, "scale": self._scaled, "turn": self._turned}
        values = change[self.drag.kind](self.drag, x, y, free)
        self._apply(values, ("canvas", self.drag.layer.clip.id, self.drag.number))

    def _moved(self, drag: Drag, x: float, y: float, free: bool) -> dict[str, float]:
        box, canvas = drag.layer.box, self.document.project.canvas
        cx, cy = box.x + x - drag.start[0], box.y + y - drag.start[1]
        self.guides = []
        if not free:
            cx, cy = self._snap_centre(drag.layer, cx, cy)
        x0, y0 = _place(drag.layer)
        return {
            "x": round(x0 + (cx - box.x) / canvas.width, 4),
            "y": round(y0 + (cy - box.y) / canvas.height, 4),
        }

    def _snap_centre(self, layer: Layer, cx: float, cy: float) -> tuple[float, float]:
        """The centre, or an edge, onto the nearest guide within SNAP screen pixels."""
        reach = SNAP / self._factor()
        xs, ys = self._guide_lines(layer)
        cx, x_line = snapped_span(cx, layer.box.width / 2, xs, reach)
        cy, y_line = snapped_span(cy, layer.box.height / 2, ys, reach)
        self.guides = [(axis, at) for axis, at in (("x", x_line), ("y", y_line)) if at is not None]
        return cx, cy

    def _guide_lines(self, moving: Layer) -> tuple[list[float], list[float]]:
        canvas = self.document.project.canvas
        w, h = canvas.width, canvas.height
        left, top, inner_w, inner_h = safe_zone(w, h)
        xs, ys = [w / 2, left, left + inner_w], [h / 2, top, top + inner_h]
        for other in self._layers():
            if other.clip.id != moving.clip.id:
                box = other.box
                xs += [box.x, box.x - box.width / 2, box.x + box.width / 2]
                ys += [box.y, box.y - box.height / 2, box.y + box.height / 2]
        return xs, ys

    def _scaled(self, drag: Drag, x: float, y: float, free: bool) -> dict[str, float]:
        box = drag.layer.box
        before = math.hypot(drag.start[0] - box.x, drag.start[1] - box.y) or 1.0
        now = math.hypot(x - box.x, y - box.y)
        canvas_width = self.document.project.canvas.width
        scale = box.width / canvas_width * now / before
        return {"scale": round(min(5.0, max(0.02, scale)), 4)}

    def _turned(self, drag: Drag, x: float, y: float, free: bool) -> dict[str, float]:
        box = drag.layer.box
        before = math.atan2(drag.start[1] - box.y, drag.start[0] - box.x)
        now = math.atan2(y - box.y, x - box.x)
        turn = box.rotation + math.degrees(now - before)
        step = round(turn / TURN_STEP) * TURN_STEP
        if not free and abs(turn - step) <= TURN_SNAP:
            turn = step
        return {"rotation": round(turn, 2)}

    def _nudge(self, event: Any) -> bool:
        steps = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        layer = self.selection()
        if event.key() not in steps or layer is None:
            return False
        dx, dy = steps[event.key()]
        pixels = 10 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
        canvas, (x0, y0) = self.document.project.canvas, _place(layer)
        x = x0 + dx * pixels / canvas.width
        y = y0 + dy * pixels / canvas.height
        self._apply({"x": round(x, 6), "y": round(y, 6)}, None)
        return True

    def _apply(self, values: dict[str, float], merge: Any) -> None:
        layer = self.drag.layer if self.drag is not None else self.selection()
        if layer is None:
            return
        if layer.clip.id == CAPTIONS_ID:
            self._place_captions(layer, values, merge)
            return
        try:
            self.document.apply(
                "Move on canvas" if "x" in values else "Transform on canvas",
                arrange.set_values,
                layer.clip.id,
                values,
                layer.time,
                merge=merge,
            )
        except StudioError as error:
            self.refused.emit(error.message)

    def _place_captions(self, layer: Layer, values: dict[str, float], merge: Any) -> None:
        """The captions moved or resized (they do not turn)."""
        captions = self.document.project.captions
        if captions is None:
            return
        place: dict[str, float] = {name: values[name] for name in ("x", "y") if name in values}
        if "scale" in values:
            grown = values["scale"] / (layer.clip.transform or Transform()).scale
            place["scale"] = round(min(3.0, max(0.3, captions.scale * grown)), 3)
        if place:
            label = "Move captions" if "x" in place else "Resize captions"
            try:
                edit = partial(edits.place_captions, x=place.get("x"), y=place.get("y"),
                               scale=place.get("scale"))  # fmt: skip
                self.document.apply(label, edit, merge=merge)
            except StudioError as error:
                self.refused.emit(error.message)

    def _above(self, box: Box) -> bool:
        """Whether the turn handle fits above the picture (else it goes below)."""
        return self.to_screen(*turn_handle(box, TURN_HANDLE / self._factor())).y() >= HANDLE

    def _turn_handle(self, box: Box) -> tuple[float, float]:
        reach = TURN_HANDLE / self._factor()
        return turn_handle(box, reach if self._above(box) else -reach - box.height)

    # drawing
    def paint(self, painter: QPainter) -> None:
        """The selected picture's outline and handles, and the guides a move snapped to."""
        chosen = self.selection()
        if chosen is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        points = [self.to_screen(x, y) for x, y in corners(chosen.box)]
        painter.setPen(QPen(SELECTED, 2))
        for a, b in zip(points, points[1:] + points[:1]):
            painter.drawLine(a, b)
        painter.setBrush(QColor("white"))
        for point in points:
            x, y = int(point.x()) - HANDLE, int(point.y()) - HANDLE
            painter.drawRect(x, y, 2 * HANDLE, 2 * HANDLE)
        handle = self.to_screen(*self._turn_handle(chosen.box))
        edge = 0.0 if self._above(chosen.box) else -chosen.box.height  # the top or bottom middle
        top = self.to_screen(*turn_handle(chosen.box, edge))
        painter.drawLine(top, handle)
        painter.drawEllipse(handle, HANDLE, HANDLE)
        self._paint_guides(painter)

    def _paint_guides(self, painter: QPainter) -> None:
        canvas = self.document.project.canvas
        painter.setPen(QPen(GUIDE, 1, Qt.PenStyle.DashLine))
        for axis, at in self.guides:
            if axis == "x":
                painter.drawLine(self.to_screen(at, 0), self.to_screen(at, canvas.height))
            else:
                painter.drawLine(self.to_screen(0, at), self.to_screen(canvas.width, at))
