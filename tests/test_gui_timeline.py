"""The timeline: pure geometry, and the widget's real pixels and clicks (offscreen)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from studio.gui.timeline.geometry import (
    MUSIC,
    RULER,
    VIDEO,
    Scale,
    beat_marks,
    clip_at_x,
    clip_boxes,
)
from studio.model.edits import add_beat
from studio.model.timeline import BeatGrid, MusicTrack, Project
from tests.factories import ref, sample_project


def _with_beats() -> Project:
    """sample_project (6.5 s) over music with a beat every 0.5 s and a bar every 2 s."""
    beats = tuple(Fraction(i, 2) for i in range(20))
    grid = BeatGrid(120.0, 4, beats, beats[::4])
    song = ref("/media/song.m4a", 30, has_video=False, width=0, height=0)
    return add_beat(
        Project(sample_project().canvas, sample_project().main, MusicTrack(song, grid=grid)),
        Fraction(5, 4),
    )


def test_scale_maps_time_and_zooms_around_the_cursor() -> None:
    scale = Scale(100.0, 2.0)
    assert scale.x(3.5) == 150.0 and scale.seconds(150.0) == 3.5
    zoomed = scale.zoomed(2.0, around_x=150.0)
    assert zoomed.pixels_per_second == 200.0 and zoomed.x(3.5) == pytest.approx(150.0)
    assert Scale(60.0).zoomed(1000.0, 0).pixels_per_second == 2000.0  # the zoom is bounded


def test_clip_boxes_and_beats_sit_where_the_edit_has_them() -> None:
    project, scale = _with_beats(), Scale(100.0)
    boxes = clip_boxes(project, scale)
    assert [(b.left, b.right) for b in boxes] == [(0, 250), (250, 450), (450, 650)]
    assert [b.clip_id for b in boxes] == [c.id for c in project.main.clips]
    assert clip_at_x(project, scale, 300) == 1 and clip_at_x(project, scale, 700) is None
    marks = {m.x: m for m in beat_marks(project, scale)}
    assert marks[200.0].bar and not marks[250.0].bar and marks[125.0].added


def _colour(image: Any, x: int, y: int) -> tuple[int, int, int]:
    c = image.pixelColor(x, y)
    return c.red(), c.green(), c.blue()


def test_the_canvas_paints_clips_beats_bars_and_the_user_s_beat(qtbot: Any) -> None:
    from studio.gui.timeline.canvas import COLORS, TimelineCanvas

    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(800, RULER + VIDEO + MUSIC)
    canvas.scale = Scale(100.0)
    canvas.show_project(_with_beats())
    canvas.set_playhead(6.0)
    image = canvas.grab().toImage()
    music_row = RULER + VIDEO + MUSIC - 4
    expect = {name: COLORS[name].getRgb()[:3] for name in COLORS}
    assert _colour(image, 100, RULER + VIDEO // 2) == expect["clip"]
    assert _colour(image, 400, music_row) == expect["bar"]  # the bar at 4 s
    assert _colour(image, 150, music_row) == expect["beat"]  # a beat at 1.5 s
    assert _colour(image, 125, music_row) == expect["added"]  # the user's beat at 1.25 s
    assert _colour(image, 600, RULER + 2) == expect["playhead"]
    assert _colour(image, 760, RULER + VIDEO // 2) == expect["background"]  # after the edit


def test_a_click_seeks_and_moves_the_playhead(qtbot: Any) -> None:
    from studio.gui.qt import QPoint, Qt
    from studio.gui.timeline.canvas import TimelineCanvas

    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(800, RULER + VIDEO + MUSIC)
    canvas.scale = Scale(100.0)
    canvas.show_project(_with_beats())
    with qtbot.waitSignal(canvas.seek) as sought:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(325, 10))
    assert sought.args[0] == pytest.approx(3.25) and canvas.playhead == pytest.approx(3.25)
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.scale.pixels_per_second == pytest.approx(125.0)
