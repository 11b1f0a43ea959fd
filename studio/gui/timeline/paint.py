"""How the timeline looks: the ruler, the lanes and their items, the transitions over the main
track's cuts, the beats of the music and the playhead, painted from the canvas's state.

Each lane role has its colour (the lane headers show the same one), so a creator finds the
voice-over or the picture-in-picture at a glance; the selected item is lighter and framed.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING

from studio.gui.qt import QColor, QPainter, QPen, QPoint, QPointF, QPolygon, QRect, Qt
from studio.gui.timeline.geometry import RULER, Scale, beat_marks, clip_boxes
from studio.gui.timeline.lanes import (
    BADGE,
    Badge,
    ItemBox,
    Lane,
    badges,
    bed_lane,
    duck_lanes,
    duck_y,
    item_boxes,
    main_lane,
    volume_y,
)
from studio.io.strips import Waveform
from studio.model.arrange import Laid, key_times
from studio.model.ducking import duck_keys
from studio.model.keys import Keys
from studio.model.timeline import Clip
from studio.model.titles import Title

if TYPE_CHECKING:
    from studio.gui.timeline.canvas import TimelineCanvas

COLORS = {
    "background": QColor(30, 30, 34),
    "ruler": QColor(48, 48, 54),
    "tick": QColor(150, 150, 160),
    "clip": QColor(70, 110, 190),
    "chosen": QColor(110, 160, 250),
    "clip_edge": QColor(20, 30, 60),
    "music": QColor(40, 90, 70),
    "beat": QColor(170, 240, 200),
    "bar": QColor(240, 250, 245),
    "added": QColor(255, 170, 40),
    "playhead": QColor(255, 60, 60),
    "label": QColor(0, 0, 0, 120),
    "missing": QColor(150, 40, 40),
    "selection": QColor(255, 220, 0),
    "wave": QColor(60, 125, 100),
    "lane_line": QColor(52, 52, 60),
    "overlay": QColor(140, 90, 200),
    "voice": QColor(205, 120, 45),
    "effects": QColor(190, 70, 110),
    "music_track": QColor(45, 140, 105),
    "transition": QColor(255, 200, 70),
    "ghost": QColor(255, 255, 255),
    "item_wave": QColor(0, 0, 0, 110),
    "marker": QColor(34, 195, 214),
    "title": QColor(200, 80, 150),  # a title or sticker: drawn by studio, not a file
    "duck": QColor(255, 214, 90),
    "unsure": QColor(255, 170, 80),
    "volume": QColor(255, 245, 200),
}
WAVE_RANGE_DB = 42.0  # an item's waveform: this far below full scale is drawn as nothing
GRAPHIC_MARKS = {"title": "T", "sticker": "★"}  # before a title's words or a sticker's name
MARKER = 6  # half a marker flag's width, in pixels


def _item_name(item: Laid, lost: bool) -> str:
    """What an item's band says: a clip's file, a title's words, a sticker's name."""
    if isinstance(item, Clip):
        return item.media.name + (" (missing)" if lost else "")
    mark = GRAPHIC_MARKS["title" if isinstance(item, Title) else "sticker"]
    return f"{mark}  {item.name}"


def lane_color(lane: Lane) -> QColor:
    """The colour of a lane's items (and of its header's chip)."""
    if lane.bed:
        return COLORS["music"]
    name = {"main": "clip", "music": "music_track"}.get(lane.role, lane.role)
    return COLORS[name]


class Painter:
    """Paints one frame of the canvas; made for each paint event."""

    def __init__(self, canvas: TimelineCanvas, painter: QPainter) -> None:
        self.canvas, self.painter = canvas, painter
        self.project, self.scale = canvas.project, canvas.scale
        self.lanes, self.width = canvas.lanes, canvas.width()

    def paint(self) -> None:
        painter = self.painter
        painter.fillRect(self.canvas.rect(), COLORS["background"])
        self._lines()
        self._ruler()
        self._clips()
        self._badges()
        self._beats()
        for box in item_boxes(self.project, self.scale, self.lanes):
            self._item(box)
        self._ducking()
        self._ghost()
        self._markers()
        x = int(self.scale.x(self.canvas.playhead))
        painter.fillRect(x - 1, 0, 2, self.canvas.height(), COLORS["playhead"])

    def _markers(self) -> None:
        """A flag on the ruler at each marker, and a thin line down the lanes."""
        painter = self.painter
        for marker in self.project.markers:
            x = int(self.scale.x(float(marker.time)))
            if not -MARKER <= x <= self.width + MARKER:
                continue
            painter.fillRect(x, RULER, 1, self.canvas.height() - RULER, COLORS["marker"])
            flag = QPolygon([QPoint(x - MARKER, 2), QPoint(x + MARKER, 2), QPoint(x, RULER - 2)])
            painter.setBrush(COLORS["marker"])
            painter.setPen(COLORS["marker"])
            painter.drawPolygon(flag)
            if marker.name:
                painter.drawText(x + MARKER + 2, 12, marker.name)

    def _lines(self) -> None:
        for lane in self.lanes:
            self.painter.fillRect(0, lane.bottom - 1, self.width, 1, COLORS["lane_line"])

    def _ruler(self) -> None:
        painter, scale = self.painter, self.scale
        painter.fillRect(0, 0, self.width, RULER, COLORS["ruler"])
        painter.setPen(COLORS["tick"])
        step = 1 if scale.pixels_per_second >= 40 else 5
        first = int(scale.seconds(0)) // step * step
        for second in range(first, int(scale.seconds(self.width)) + 1, step):
            x = int(scale.x(second))
            painter.drawLine(x, RULER - 8, x, RULER)
            painter.drawText(x + 3, RULER - 9, f"{second} s")

    def _clips(self) -> None:
        painter, lane = self.painter, main_lane(self.lanes)
        top, height = lane.top + 4, lane.height - 8
        for box in clip_boxes(self.project, self.scale):
            if box.right < 0 or box.left > self.width:
                continue
            left, width = int(box.left), max(1, int(box.right) - int(box.left))
            chosen = box.clip_id == self.canvas.selection
            clip = self.project.main.clips[box.index]
            lost = clip.media.path in self.canvas.missing
            fill = "missing" if lost else "chosen" if chosen else "clip"
            painter.fillRect(left, top, width, height, COLORS[fill])
            painter.save()
            painter.setClipRect(left, top, width, height)
            self._thumbnails(clip, QRect(left, top, width, height))
            self._label(f"{box.name} (missing)" if lost else box.name, left, top, width)
            painter.restore()
            if chosen:  # a frame that shows over the thumbnails
                self._frame(left, top, width, height)
            painter.fillRect(left, top, 1, height, COLORS["clip_edge"])

    def _label(self, text: str, left: int, top: int, width: int) -> None:
        self.painter.fillRect(left, top, width, 18, COLORS["label"])
        self.painter.setPen(Qt.GlobalColor.white)
        self.painter.drawText(max(left, 0) + 4, top + 13, text)

    def _frame(self, left: int, top: int, width: int, height: int) -> None:
        self.painter.setPen(QPen(COLORS["selection"], 3))
        self.painter.drawRect(left + 1, top + 1, width - 3, height - 3)

    def _thumbnails(self, clip: Clip, area: QRect) -> None:
        """Pictures of the clip's source side by side, each from the time it starts at."""
        strips = self.canvas.strips
        found = strips.thumbs.get(clip.media.path) if strips else None
        if not found or not found[1]:
            return
        step, pictures = found
        left, top, width, height = area.x(), area.y(), area.width(), area.height()
        wide = max(8, round(pictures[0].width() * height / max(1, pictures[0].height())))
        for x in range(max(left, -wide), min(left + width, self.width), wide):
            if x + wide < left:
                continue
            seconds = (x - left) / self.scale.pixels_per_second
            at = float(clip.source_in) + seconds * float(clip.speed)
            picture = pictures[min(len(pictures) - 1, max(0, int(at / step)))]
            self.painter.drawImage(QRect(x, top, wide, height), picture)

    def _badges(self) -> None:
        for badge in badges(self.project, self.scale, self.lanes):
            self._badge(badge)

    def _badge(self, badge: Badge) -> None:
        """A transition: a rounded tag over the cut, as wide as the time it plays."""
        painter = self.painter
        left, width = int(badge.left), max(1, int(badge.right - badge.left))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(0, 0, 0, 160), 1))
        painter.setBrush(COLORS["transition"])
        painter.drawRoundedRect(left, badge.top, width, BADGE, 5, 5)
        painter.setPen(QColor(40, 30, 0))
        text = badge.kind if width > 60 else "⇄"
        painter.drawText(QRect(left, badge.top, width, BADGE), Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
        if badge.item_id == self.canvas.selection:
            self._frame(left - 2, badge.top - 2, width + 4, BADGE + 4)

    def _item(self, box: ItemBox) -> None:
        """An overlay or audio clip: its pictures or its sound under a band of its lane's
        colour with its name (the whole of it in that colour until the pictures come)."""
        if box.right < 0 or box.left > self.width:
            return
        painter, lane = self.painter, box.lane
        left, width = int(box.left), max(1, int(box.right) - int(box.left))
        top, height = lane.top + 3, lane.height - 6
        chosen = box.item_id == self.canvas.selection
        clip = box.clip if isinstance(box.clip, Clip) else None
        lost = clip is not None and clip.media.path in self.canvas.missing
        base = lane_color(lane) if clip is not None else COLORS["title"]
        colour = base.lighter(135) if chosen else base
        colour = COLORS["missing"] if lost else colour
        painter.fillRect(left, top, width, height, colour)
        painter.save()
        painter.setClipRect(left, top, width, height)
        if clip is not None and lane.kind == "video":
            self._thumbnails(clip, QRect(left, top, width, height))
        elif clip is not None:
            self._item_wave(clip, box, top, height)
        painter.fillRect(left, top, width, 17, colour.darker(125))
        painter.setPen(Qt.GlobalColor.white)
        painter.drawText(max(left, 0) + 4, top + 13, _item_name(box.clip, lost))
        if clip is not None and lane.kind == "audio":
            self._volume(clip, box)  # over the name too: the item's whole height is its range
        painter.restore()
        self._keys(box, top + height)
        if chosen:
            self._frame(left, top, width, height)
        painter.fillRect(left, top, 1, height, COLORS["clip_edge"])

    def _volume(self, clip: Clip, box: ItemBox) -> None:
        """A sound's volume over its waveform, where it is not simply 1: a line (full volume
        at the middle, twice it at the top, silence at the bottom) through its volume keys,
        each a dot (a selected item's keys and line are dragged up and down)."""
        keys, lane = clip.volume_keys, box.lane
        if not keys.animated and clip.volume == 1:
            return
        times = [key.time for key in keys.keys]
        points = [QPoint(int(box.left), volume_y(keys.at(Fraction(0), clip.volume), lane))]
        for time in times:
            x = int(self.scale.x(float(box.start + time)))
            points.append(QPoint(x, volume_y(keys.at(time, clip.volume), lane)))
        end = volume_y(keys.at(clip.duration, clip.volume), lane)
        points.append(QPoint(int(box.right), end))
        painter = self.painter
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(COLORS["volume"], 2))
        painter.drawPolyline(QPolygon(points))
        painter.setBrush(COLORS["volume"])
        for point in points[1:-1]:
            painter.drawEllipse(point, 3, 3)
        painter.restore()

    def _keys(self, box: ItemBox, bottom: int) -> None:
        """A diamond at each time the item's transform has a key."""
        painter = self.painter
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(0, 0, 0, 180), 1))
        painter.setBrush(COLORS["transition"])
        for time in key_times(box.clip):
            x, y = self.scale.x(float(box.start + time)), bottom - 7
            diamond = [QPointF(x, y - 5), QPointF(x + 5, y), QPointF(x, y + 5), QPointF(x - 5, y)]
            painter.drawPolygon(diamond)
        painter.restore()

    def _item_wave(self, clip: Clip, box: ItemBox, top: int, height: int) -> None:
        strips = self.canvas.strips
        wave = strips.waves.get(clip.media.path) if strips else None
        if wave is None or not wave.peaks:
            return
        offset = float(clip.source_in) - float(box.start)
        right = min(int(box.right), self.width)
        levels = column_peaks(wave, offset, self.scale, max(0, right))
        self._wave_lines(levels, max(0, int(box.left)), top + height // 2 + 4, (height - 22) / 2)

    def _wave_lines(self, levels: list[int], first: int, middle: int, half: float) -> None:
        """An item's waveform on a level scale in dB (WAVE_RANGE_DB to full scale), so speech
        and soft effects show in a short lane as they are heard, not as a thin line."""
        self.painter.setPen(COLORS["item_wave"])
        for x in range(first, len(levels)):
            if levels[x]:
                share = 1 + 20 * math.log10(levels[x] / 255) / WAVE_RANGE_DB
                reach = max(1, int(max(0.0, share) * half))
                self.painter.drawLine(x, middle - reach, x, middle + reach)

    def _beats(self) -> None:
        """The music bed: its length, its waveform and its beats (bars stronger)."""
        music, lane = self.project.music, bed_lane(self.lanes)
        if music is None:
            return
        top, height = lane.top, lane.height
        right = int(self.scale.x(float(self.project.duration)))
        self.painter.fillRect(0, top + 2, max(0, right), height - 4, COLORS["music"])
        self._waveform(min(right, self.width), lane)
        for mark in beat_marks(self.project, self.scale):
            colour = COLORS["added" if mark.added else "bar" if mark.bar else "beat"]
            tall = height - 4 if mark.bar or mark.added else (height - 4) // 2
            x, wide = int(mark.x), 2 if mark.bar else 1
            self.painter.fillRect(x, top + height - 2 - tall, wide, tall, colour)
        if music.grid.unsure:  # said where the user looks, with what fixes it
            self.painter.setPen(COLORS["unsure"])
            sure = f"{music.grid.confidence:.2f}"
            note = f"beat unsure ({sure}): press T along with the music, or right-click"
            self.painter.drawText(6, top + height - 6, note)

    def _waveform(self, right: int, lane: Lane) -> None:
        """The music's peaks, one line per pixel column, centred in the music lane."""
        music, strips = self.project.music, self.canvas.strips
        wave = strips.waves.get(music.media.path) if strips and music else None
        if music is None or wave is None or not wave.peaks or right <= 0:
            return
        levels = column_peaks(wave, float(music.offset), self.scale, right)
        self.painter.setPen(COLORS["wave"])
        middle, half = lane.top + lane.height // 2, (lane.height - 6) / 2
        for x, level in enumerate(levels):
            if level:
                reach = max(1, int(level / 255 * half))
                self.painter.drawLine(x, middle - reach, x, middle + reach)

    def _ducking(self) -> None:
        """The ducking curve over the music bed and the music tracks, with its keys: along a
        lane's top in the pauses, down by the depth (DUCK_SCALE dB to the foot) while a voice
        speaks; "edited" once its keys were moved by hand."""
        curve = duck_keys(self.project)
        if not curve.animated:
            return
        right = int(self.scale.x(float(self.project.duration)))
        painter = self.painter
        colour = COLORS["duck"]
        for lane in duck_lanes(self.project, self.lanes):
            points = self._curve_points(curve, lane, right)
            painter.setPen(QPen(colour, 2))
            painter.drawPolyline(QPolygon(points))
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            for point in points[1:-1]:
                painter.drawRect(point.x() - 3, point.y() - 3, 6, 6)
            painter.setPen(QPen(colour, 1))
            dip = next((point for point in points if point.y() > lane.top + 4), None)
            if dip is not None:
                ducking = self.project.ducking
                label = "edited" if ducking.edited else f"-{ducking.depth_db:g} dB"
                painter.drawText(dip.x() + 6, lane.top + 12, label)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _curve_points(self, curve: Keys, lane: Lane, right: int) -> list[QPoint]:
        points = [QPoint(0, duck_y(curve.keys[0].value, lane))]
        for key in curve.keys:
            x = int(self.scale.x(float(key.time)))
            points.append(QPoint(min(x, right), duck_y(key.value, lane)))
        points.append(QPoint(right, duck_y(curve.keys[-1].value, lane)))
        return points

    def _ghost(self) -> None:
        """Where a dragged item goes when let go there and it does not fit: a new track."""
        ghost = self.canvas.ghost
        if ghost is None:
            return
        lane, start, end = ghost
        left, right = self.scale.x(float(start)), self.scale.x(float(end))
        painter = self.painter
        painter.setPen(QPen(COLORS["ghost"], 1, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(int(left), lane.top + 3, int(right - left), lane.height - 7)
        painter.drawText(int(left) + 4, lane.bottom - 8, "drop: a new track")


def column_peaks(wave: Waveform, offset: float, scale: Scale, columns: int) -> list[int]:
    """The loudest peak under each pixel column 0..columns-1 (music time = offset + edit time);
    0 past the end of the sound."""
    import numpy as np

    peaks = np.frombuffer(wave.peaks, np.uint8)
    times = offset + scale.start + np.arange(columns + 1) / scale.pixels_per_second
    edges = np.clip((times * wave.per_second).astype(np.int64), 0, len(peaks))
    starts, ends = edges[:-1], np.maximum(edges[1:], edges[:-1] + 1)
    inside = starts < len(peaks)
    values = np.zeros(columns, np.uint8)
    if inside.any():
        padded = np.append(peaks, np.uint8(0))  # reduceat may index one past the end
        pairs = np.stack([starts[inside], np.minimum(ends[inside], len(peaks))], 1).ravel()
        values[inside] = np.maximum.reduceat(padded, pairs)[::2]
    return [int(v) for v in values]
