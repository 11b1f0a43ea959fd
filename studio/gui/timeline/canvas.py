"""The timeline widget: a ruler in seconds and one lane a track (overlay video lanes above
the main track, the music bed with its beats and the audio lanes below), the transitions over
the main track's cuts and the playhead.

It paints from the Document's snapshot (paint.py) and emits intents (seek, select, trim, move,
slide an item to a time and a lane, a menu at a cut); it edits nothing itself. The moves of one
drag carry one key, so the window makes them one undo step.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from studio.gui.catalogue import MEDIA, MIME
from studio.gui.qt import QPainter, QPoint, QSize, Qt, QWidget, Signal
from studio.gui.timeline.geometry import (
    Grab,
    Scale,
    clip_at_x,
    grab_at,
    insertion_index,
    snapped,
)
from studio.gui.timeline.lanes import (
    Hold,
    Lane,
    badge_at,
    cut_near,
    drop_lane,
    duck_at_y,
    duck_curve_at,
    duck_key_at,
    height_of,
    hold_at,
    lane_at,
    lanes,
    main_lane,
    volume_at_y,
    volume_key_at,
)
from studio.gui.timeline.paint import (
    COLORS as COLORS,  # the tests' colours
    Painter,
)
from studio.gui.timeline.strips import Strips
from studio.model.arrange import fits
from studio.model.captions import CAPTIONS_ID
from studio.model.timeline import Project


class TimelineCanvas(QWidget):
    seek = Signal(float)  # seconds, when the user clicks the ruler or a lane
    selected = Signal(str)  # the id of the item clicked ("" for none)
    trim_to = Signal(str, object, object)  # main clip id, new end (Fraction), drag key
    move_to = Signal(str, int, object)  # main clip id, new position, drag key
    slide_to = Signal(str, object, str, object, bool)  # item, start, track id, drag key, let go
    cut_to = Signal(str, object, object, object)  # item id, new start, new end, drag key
    volume_to = Signal(str, object, float, object)  # item id, key time (None: all), volume, drag
    duck_to = Signal(object, object, float, object)  # ducking key (None: new), time, dB, drag
    cut_menu = Signal(str, QPoint)  # the main clip before the cut nearest a right-click
    beats_menu = Signal(QPoint)  # a right-click on the music bed: the beat fixes
    laid_out = Signal(list)  # the lanes, after an edit that may have changed them
    zoomed = Signal(float)  # pixels per second, after a zoom
    tile_dropped = Signal(str, str, str)  # a browser tile's id, the item under it, the cut's clip
    media_dropped = Signal(str, float, str)  # a file of the media list, seconds, the lane's role

    def __init__(self) -> None:
        super().__init__()
        self.project = Project()
        self.lanes: list[Lane] = lanes(self.project)
        self.scale = Scale()
        self.playhead = 0.0
        self.selection = ""  # an item id: ids survive edits, positions do not
        self.snap_on = True  # drags snap to beats (Alt frees them); the timeline row's magnet
        self.setAcceptDrops(True)
        self.held: Grab | None = None  # the main clip or edge the mouse holds during a drag
        self.hold: Hold | None = None  # the overlay or audio item it holds
        self.ghost: tuple[Lane, Fraction, Fraction] | None = None  # a drop that needs a track
        self.drags = 0  # numbers each drag: its moves merge into one undo step, drags do not
        self.volume_hold: tuple[str, Fraction | None, Lane] | None = None  # a volume key held
        self.duck_hold: tuple[int, Lane] | None = None  # a key of the ducking curve held
        self.strips: Strips | None = None  # thumbnails and waveforms, once they are made
        self.missing: set[str] = set()  # files not found: their clips are drawn as missing
        self.setMinimumHeight(height_of(self.lanes))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def sizeHint(self) -> QSize:
        return QSize(800, height_of(self.lanes))

    def show_project(self, project: Project) -> None:
        self.project = project
        ids = {item.id for track in project.tracks for item in track.items}
        ids |= {CAPTIONS_ID} if project.captions is not None else set()  # picked on the canvas
        if self.selection not in ids:
            self.selection = ""
        found = lanes(project)
        if found != self.lanes:
            self.lanes = found
            self.setMinimumHeight(height_of(found))
            self.laid_out.emit(found)
        self.update()

    def set_playhead(self, seconds: float) -> None:
        """Move the playhead, repainting only the two stripes it leaves and enters (during
        playback this runs 30 times a second); the view follows a playhead that runs off it."""
        old = int(self.scale.x(self.playhead))
        self.playhead = seconds
        new = int(self.scale.x(seconds))
        if not 0 <= new < self.width():
            self.scroll_by(new - 0.1 * self.width())
            return
        self.update(old - 2, 0, 4, self.height())
        self.update(new - 2, 0, 4, self.height())

    def zoom(self, factor: float, around_x: float | None = None) -> None:
        centre = self.scale.x(self.playhead) if around_x is None else around_x
        self.scale = self.scale.zoomed(factor, centre)
        self.zoomed.emit(self.scale.pixels_per_second)
        self.update()

    def select(self, item_id: str) -> None:
        self.selection = item_id
        self.selected.emit(item_id)
        self.update()

    def mousePressEvent(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        x, y = event.position().x(), event.position().y()  # type: ignore[attr-defined]
        self.drags += 1
        lane = lane_at(self.lanes, y)
        self.duck_hold = duck_key_at(self.project, self.scale, self.lanes, x, y)
        if self.duck_hold is not None:  # a key of the ducking curve, to drag
            return
        if lane is not None and lane.role == "main" and self._press_main(x, y):
            return
        if lane is not None and not lane.bed and lane.role != "main" and self._press_item(x, y):
            return
        seconds = min(self.scale.seconds(x), float(self.project.duration))
        self.set_playhead(seconds)
        self.seek.emit(seconds)

    def _press_main(self, x: float, y: float) -> bool:
        """A press on the main lane: a transition's badge selects it; an edge is grabbed to
        trim (True: the playhead stays); a clip is selected and grabbed to move."""
        transition = badge_at(self.project, self.scale, self.lanes, x, y)
        if transition is not None:
            self.select(transition)
            return True
        self.held = grab_at(self.project, self.scale, x)
        index = clip_at_x(self.project, self.scale, x)
        self.select("" if index is None else self.project.main.clips[index].id)
        return self.held is not None and self.held.kind == "trim"

    def _press_item(self, x: float, y: float) -> bool:
        """A press on an overlay or audio item selects and holds it; an end is trimmed (True:
        the playhead stays), the rest moves it; a selected sound's volume key (or its volume
        line) is held to drag up and down."""
        key = volume_key_at(self.project, self.scale, self.lanes, x, y, self.selection)
        if key is not None:
            self.volume_hold = (key[0].item_id, key[1], key[0].lane)
            return True
        self.hold = hold_at(self.project, self.scale, self.lanes, x, y)
        self.select("" if self.hold is None else self.hold.box.item_id)
        return self.hold is not None and self.hold.part != "body"

    def mouseMoveEvent(self, event: object) -> None:
        x, y = event.position().x(), event.position().y()  # type: ignore[attr-defined]
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier  # type: ignore[attr-defined]
        snap = self.snap_on and not alt
        if self.duck_hold is not None:
            index, lane = self.duck_hold
            at = Fraction(max(0.0, self.scale.seconds(x))).limit_denominator(1000)
            self.duck_to.emit(index, at, duck_at_y(y, lane), ("duck", self.drags))
        elif self.volume_hold is not None:
            item_id, time, lane = self.volume_hold
            key = ("volume", item_id, self.drags)
            self.volume_to.emit(item_id, time, volume_at_y(y, lane), key)
        elif self.hold is not None:
            self._drag_item(self.hold, x, y, snap)
        elif self.held is not None:
            key = (self.held.kind, self.held.clip_id, self.drags)
            if self.held.kind == "trim":
                at = snapped(self.project, self.scale, x, snap)
                self.trim_to.emit(self.held.clip_id, at, key)
            else:
                to = insertion_index(self.project, self.scale, x)
                self.move_to.emit(self.held.clip_id, to, key)

    def _drag_item(self, hold: Hold, x: float, y: float, snap: bool) -> None:
        """Trim the held end, or move the held item to the time and lane under the pointer
        (where it fits; where it does not, the ghost shows that letting go makes a track)."""
        box, key = hold.box, ("item", hold.box.item_id, self.drags)
        if hold.part != "body":
            at = snapped(self.project, self.scale, x, snap)
            start, end = (at, box.end) if hold.part == "head" else (box.start, at)
            self.cut_to.emit(box.item_id, start, end, key)
            return
        start = self._start_under(hold, x, snap)
        lane = drop_lane(self.lanes, hold, y)
        assert lane.track_id is not None
        if fits(self.project, box.item_id, start, lane.track_id):
            self.ghost = None
            self.slide_to.emit(box.item_id, start, lane.track_id, key, False)
        else:
            self.ghost = (lane, start, start + box.end - box.start)
            self.update()

    def _start_under(self, hold: Hold, x: float, snap: bool) -> Fraction:
        """Where the held item starts with the pointer at x: its start snaps to a beat."""
        left = x - hold.offset * self.scale.pixels_per_second
        return max(Fraction(0), snapped(self.project, self.scale, left, snap))

    def mouseReleaseEvent(self, event: object) -> None:
        hold, self.hold, self.held, self.volume_hold = self.hold, None, None, None
        self.duck_hold = None
        if hold is None or hold.part != "body":
            return
        if self.ghost is not None:  # let go where it does not fit: a track of its own
            lane, start, _ = self.ghost
            self.ghost = None
            self.update()
        else:
            lane, start = self._resting(hold)
        assert lane.track_id is not None
        key = ("item", hold.box.item_id, self.drags)
        self.slide_to.emit(hold.box.item_id, start, lane.track_id, key, True)

    def _resting(self, hold: Hold) -> tuple[Lane, Fraction]:
        """The lane and start the held item has now (after the moves of its drag)."""
        for lane in self.lanes:
            track = next((t for t in self.project.layers if t.id == lane.track_id), None)
            if track is not None and any(item.id == hold.box.item_id for item in track.items):
                return lane, track.range_of(hold.box.item_id)[0]
        return hold.box.lane, hold.box.start

    def item_under(self, x: float, y: float) -> str:
        """The id of the clip drawn at (x, y) on any lane ("" for none)."""
        lane = lane_at(self.lanes, y)
        if lane is None or lane.bed:
            return ""
        if lane.role == "main":
            index = clip_at_x(self.project, self.scale, x)
            return "" if index is None else self.project.main.clips[index].id
        hold = hold_at(self.project, self.scale, self.lanes, x, y)
        return "" if hold is None else hold.box.item_id

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        """A browser tile let go here: on the clip under it, or the cut nearest it."""
        x, y = event.position().x(), event.position().y()
        tile_id = bytes(event.mimeData().data(MIME).data()).decode()
        if tile_id.startswith(MEDIA):
            lane = lane_at(self.lanes, y)
            role = lane.role if lane is not None and not lane.bed else "main"
            self.media_dropped.emit(tile_id.removeprefix(MEDIA), self.scale.seconds(x), role)
        else:
            cut = cut_near(self.project, self.scale, x) or ""
            self.tile_dropped.emit(tile_id, self.item_under(x, y), cut)
        event.acceptProposedAction()

    def mouseDoubleClickEvent(self, event: object) -> None:
        """A double-click on the ducking curve adds a key there (at the curve's gain)."""
        x, y = event.position().x(), event.position().y()  # type: ignore[attr-defined]
        gain_db = duck_curve_at(self.project, self.scale, self.lanes, x, y)
        if gain_db is not None:
            self.drags += 1
            at = Fraction(max(0.0, self.scale.seconds(x))).limit_denominator(1000)
            self.duck_to.emit(None, at, gain_db, ("duck", self.drags))

    def contextMenuEvent(self, event: object) -> None:
        """A right-click on the main lane offers the transitions for the cut nearest it; on
        the music bed, the fixes of its beats."""
        position = event.pos()  # type: ignore[attr-defined]
        lane = lane_at(self.lanes, position.y())
        clip_id = cut_near(self.project, self.scale, position.x())
        if lane is not None and lane.role == "main" and clip_id is not None:
            self.cut_menu.emit(clip_id, event.globalPos())  # type: ignore[attr-defined]
        elif lane is not None and lane.bed and self.project.music is not None:
            self.beats_menu.emit(event.globalPos())  # type: ignore[attr-defined]

    def wheelEvent(self, event: object) -> None:
        """The wheel zooms around the pointer; Shift+wheel (or a sideways wheel) scrolls."""
        delta = event.angleDelta()  # type: ignore[attr-defined]
        sideways = delta.x() or (
            delta.y() if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 0  # type: ignore[attr-defined]
        )
        if sideways:
            self.scroll_by(-sideways / 120 * 0.2 * self.width())
        else:
            self.zoom(1.25 ** (delta.y() / 120), event.position().x())  # type: ignore[attr-defined]

    def scroll_by(self, pixels: float) -> None:
        start = max(0.0, self.scale.start + pixels / self.scale.pixels_per_second)
        self.scale = Scale(self.scale.pixels_per_second, start)
        self.update()

    def keyPressEvent(self, event: object) -> None:
        key = event.key()  # type: ignore[attr-defined]
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom(0.8)
        else:
            super().keyPressEvent(event)  # type: ignore[arg-type]

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        Painter(self, painter).paint()
        painter.end()

    def main_top(self) -> int:
        """Where the main lane starts (overlay lanes above push it down)."""
        return main_lane(self.lanes).top
