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
from studio.model.edits import add_beat, remove_beat
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


def _canvas(qtbot: Any) -> Any:
    """An 800 px timeline at 100 px a second showing _with_beats()."""
    from studio.gui.timeline.canvas import TimelineCanvas

    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(800, RULER + VIDEO + MUSIC)
    canvas.scale = Scale(100.0)
    canvas.show_project(_with_beats())
    return canvas


def test_the_canvas_paints_clips_beats_bars_and_the_user_s_beat(qtbot: Any) -> None:
    from studio.gui.timeline.canvas import COLORS

    canvas = _canvas(qtbot)
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

    canvas = _canvas(qtbot)
    with qtbot.waitSignal(canvas.seek) as sought:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(325, 10))
    assert sought.args[0] == pytest.approx(3.25) and canvas.playhead == pytest.approx(3.25)
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.scale.pixels_per_second == pytest.approx(125.0)


def _window(qtbot: Any, project: Project) -> Any:
    from studio.gui.document import Document
    from studio.gui.jobs import Jobs
    from studio.gui.main_window import MainWindow

    window = MainWindow(Document(project), Jobs())
    qtbot.addWidget(window)
    window.timeline.scale = Scale(100.0)
    return window


def _drag(canvas: Any, start: float, moves: list[float], alt: bool = False) -> None:
    """Press at x=start on the video row, move through `moves`, release (with Alt held when
    asked: snapping off)."""
    from studio.gui.qt import QApplication, QEvent, QMouseEvent, QPointF, Qt

    y = RULER + VIDEO // 2
    modifiers = Qt.KeyboardModifier.AltModifier if alt else Qt.KeyboardModifier.NoModifier
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    steps = [(QEvent.Type.MouseButtonPress, start, left, left)]
    steps += [(QEvent.Type.MouseMove, x, none, left) for x in moves]
    steps += [(QEvent.Type.MouseButtonRelease, moves[-1], left, none)]
    for kind, x, button, buttons in steps:
        point = QPointF(x, y)
        event = QMouseEvent(kind, point, canvas.mapToGlobal(point), button, buttons, modifiers)
        QApplication.sendEvent(canvas, event)


def test_dragging_an_edge_trims_snaps_to_a_beat_and_is_one_undo_step(qtbot: Any) -> None:
    before = _with_beats()
    window = _window(qtbot, before)
    canvas, document = window.timeline, window.document
    # clip 0 ends at 2.5 s (x=250); drag its edge to 2.04 s: the bar at 2 s is within 10 px
    _drag(canvas, 250, [240, 230, 215, 204])
    assert document.project.main.clips[0].duration == Fraction(2)
    assert (
        document.undo_stack.count() == 1 and document.project.main.clips[1] == before.main.clips[1]
    )
    _drag(canvas, 200, [206, 212], alt=True)  # a second drag, snapping off: its own step
    assert document.project.main.clips[0].duration == Fraction(212, 100)
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.project is before


def test_dragging_a_clip_moves_it(qtbot: Any) -> None:
    before = _with_beats()
    window = _window(qtbot, before)
    ids = [clip.id for clip in before.main.clips]
    _drag(window.timeline, 550, [400, 200, 50])  # the last clip to the front
    assert [c.id for c in window.document.project.main.clips] == [ids[2], ids[0], ids[1]]
    assert window.document.undo_stack.count() == 1


def _trigger(window: Any, text: str) -> None:
    from studio.gui.qt import QAction

    next(a for a in window.findChildren(QAction) if a.text().startswith(text)).trigger()


def test_beat_markers_are_added_and_removed_at_the_playhead(qtbot: Any) -> None:
    window = _window(qtbot, _with_beats())
    window.timeline.set_playhead(2.25)
    _trigger(window, "Add a &beat")
    grid = window.document.project.music.grid
    assert Fraction(9, 4) in grid.added
    _trigger(window, "Remove the beat")
    assert Fraction(9, 4) not in window.document.project.music.grid.beats
    window.timeline.set_playhead(1.0)
    _trigger(window, "Remove the beat")  # a detected beat: remembered as removed
    assert Fraction(1) in window.document.project.music.grid.removed
    assert window.document.undo_stack.count() == 3


def test_bars_start_at_the_playhead_s_beat_and_take_the_length_chosen(qtbot: Any) -> None:
    """Bars analysed every 2 s from 0: "Start bars" at 0.5 s moves them to 0.5, 2.5, 4.5 (the
    timeline paints them there), "Beats per bar" 3 makes them 1.5 s apart; one undo step each."""
    from studio.gui.timeline.canvas import COLORS

    project = remove_beat(_with_beats(), Fraction(5, 4))  # no beat of the user's here
    window = _window(qtbot, project)
    canvas = window.timeline
    canvas.resize(800, RULER + VIDEO + MUSIC)
    canvas.set_playhead(0.55)
    _trigger(window, "Start bars at the beat")
    music = window.document.project.music
    assert music.grid.bar_start == Fraction(1, 2)
    assert music.beat_times("downbeats")[:3] == (Fraction(1, 2), Fraction(5, 2), Fraction(9, 2))
    window.bar_length_menu.aboutToShow.emit()
    names = [a.text() for a in window.bar_length_menu.actions()]
    assert names == ["As found (4)", "2", "3", "4", "5", "6", "7"]
    next(a for a in window.bar_length_menu.actions() if a.text() == "3").trigger()
    music = window.document.project.music
    assert music.beat_times("downbeats")[:3] == (Fraction(1, 2), 2, Fraction(7, 2))
    window.bar_length_menu.aboutToShow.emit()
    assert [a.text() for a in window.bar_length_menu.actions() if a.isChecked()] == ["3"]
    assert window.document.undo_stack.count() == 2
    image = canvas.grab().toImage()
    bar, beat = COLORS["bar"].getRgb()[:3], COLORS["beat"].getRgb()[:3]
    row = RULER + VIDEO + MUSIC - 4
    x = canvas.scale.x
    assert _colour(image, int(x(2.0)), row) == bar and _colour(image, int(x(3.5)), row) == bar
    assert _colour(image, int(x(4.0)), row) == beat  # the analysed bar start, now a beat
    window.document.undo_stack.undo()
    assert window.document.project.music.beat_times("downbeats")[1] == Fraction(5, 2)


def test_an_edit_the_engine_refuses_is_shown_not_raised(qtbot: Any) -> None:
    window = _window(qtbot, Project(main=sample_project().main))  # no music
    _trigger(window, "Add a &beat")
    assert window.status.text() == "music: the project has no music"
    assert window.document.undo_stack.count() == 0


def test_the_help_lists_every_shortcut(qtbot: Any) -> None:
    window = _window(qtbot, sample_project())
    keys = dict(window.shortcuts())
    assert {"S", "B", "Shift+B", "Ctrl+E", "Ctrl+I", "Ctrl+S", "F1"} <= set(keys)
    assert keys["B"] == "Add a beat at the playhead"
