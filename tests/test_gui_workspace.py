"""The workspace: the tool row and its browsers (tiles drawn by the engine, dragged onto the
timeline or the preview, double-clicked), the transport row, the timeline's tool row, the
themes."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest

from studio.app.layers import source_of
from studio.gui.canvas_edit import corners
from studio.model import arrange
from studio.model.edits import clip_of
from studio.model.effects import Look
from studio.model.timeline import Canvas, Clip, Project, Track
from studio.model.transform import Transform
from tests.helpers import open_window


def _colour_clip(colour: str, seconds: int = 2) -> Clip:
    return replace(clip_of(source_of(f"color:{colour}")), source_out=Fraction(seconds))


def colours() -> Project:
    """Red then blue on the main track, a green picture in picture over the first second."""
    main = Track((_colour_clip("#d02020"), _colour_clip("#2040d0")))
    project = Project(Canvas(), main)
    green = replace(_colour_clip("#20c040", 1), transform=Transform(scale=0.4))
    return arrange.place(project, green, Fraction(0))[0]


def _tile_item(window: Any, panel: str, tile_id: str) -> Any:
    return window.browsers[panel].items[tile_id]


def _drop(widget: Any, data: Any, x: float, y: float) -> None:
    """What Qt delivers when a drag is let go over `widget` at (x, y)."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    from studio.gui.qt import QApplication, QPoint, Qt

    move, button = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    modifiers = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(int(x), int(y)), move, data, button, modifiers)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(widget, QDropEvent(QPointF(x, y), move, data, button, modifiers))


def _dragged(window: Any, panel: str, tile_id: str) -> Any:
    """The data the browser's grid hands Qt when the tile is dragged."""
    grid = window.browsers[panel].grid
    return grid.mimeData([_tile_item(window, panel, tile_id)])


def test_the_tool_row_opens_each_browser_from_the_action_table(qtbot: Any) -> None:
    window = open_window(qtbot, colours())
    for name in ("looks", "transitions", "media"):
        window.commands[f"panel.{name}"].trigger()
        assert window.panel_stack.currentWidget() is window.browsers[name]
        assert window.commands[f"panel.{name}"].isChecked()
    assert not window.commands["panel.looks"].isChecked()  # one tool is lit at a time
    titles = window.browsers["looks"].shown_titles()
    assert {"Warm", "Mono", "Teal & Orange"} <= set(titles)


def test_the_search_field_keeps_the_tiles_that_match(qtbot: Any) -> None:
    window = open_window(qtbot, colours())
    effects = window.browsers["effects"]
    qtbot.keyClicks(effects.search, "blur")
    assert effects.shown_titles() == ["Blur background", "Blur faces", "Blur other faces"]
    effects.search.clear()
    assert len(effects.shown_titles()) == len(effects.tiles)


def test_a_look_dragged_onto_a_clip_goes_on_that_clip_and_undoes(qtbot: Any) -> None:
    window = open_window(qtbot, colours())
    timeline = window.timeline
    lane = next(lane for lane in timeline.lanes if lane.role == "main")
    x, y = timeline.scale.x(3.0), (lane.top + lane.bottom) / 2  # the blue clip
    _drop(timeline, _dragged(window, "looks", "look:noir"), x, y)
    red, blue = window.document.project.main.clips
    assert blue.effects == (Look("noir"),) and red.effects == ()
    assert timeline.selection == blue.id  # the clip it went on is the one shown
    window.commands["edit.undo"].trigger()
    assert window.document.project.main.clips[1].effects == ()


def test_a_look_dropped_on_the_preview_goes_on_the_selected_clip(qtbot: Any) -> None:
    window = open_window(qtbot, colours())
    overlay = window.document.project.layers[0].clips[0]
    window.timeline.select(overlay.id)
    view = window.preview.view
    _drop(view, _dragged(window, "looks", "look:warm"), view.width() / 2, view.height() / 2)
    assert window.document.project.layers[0].clips[0].effects == (Look("warm"),)


def test_double_clicking_a_transition_adds_it_at_the_cut_nearest_the_playhead(
    qtbot: Any,
) -> None:
    from studio.gui.qt import Qt

    window = open_window(qtbot, colours())
    window.show_panel("transitions")
    window.show_time(Fraction(3, 2))
    grid = window.browsers["transitions"].grid
    item = _tile_item(window, "transitions", "transition:slide-up")
    grid.scrollToItem(item)
    where = grid.visualItemRect(item).center()
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double click's
    qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=where)  # first press
    main = window.document.project.main
    transition = main.transition_after(main.clips[0].id)
    assert transition is not None and transition.kind == "slide-up"


def _centre_colour(picture: Any) -> tuple[int, int, int]:
    image = picture.pixmap(72, 128).toImage()
    colour = image.pixelColor(image.width() // 2, image.height() // 2)
    return colour.red(), colour.green(), colour.blue()


def test_look_tiles_show_the_clip_in_hand_with_their_look(qtbot: Any) -> None:
    window = open_window(qtbot, colours())
    red = window.document.project.main.clips[0]
    window.timeline.select(red.id)
    window.show_panel("looks")
    qtbot.waitUntil(window.tile_pictures.settled, timeout=60000)
    warm = _centre_colour(_tile_item(window, "looks", "look:warm").icon())
    assert warm[0] > 120 and warm[0] > 2 * warm[2]  # the red clip, warmer
    mono = _centre_colour(_tile_item(window, "looks", "look:mono").icon())
    assert max(mono) - min(mono) < (max(warm) - min(warm)) / 2  # the same clip, its colour gone


def test_transition_tiles_play_the_change_between_two_clips(qtbot: Any) -> None:
    window = open_window(qtbot, colours())
    window.show_panel("transitions")
    pictures = window.tile_pictures
    qtbot.waitUntil(lambda: "transition:slide-left" in pictures.loops, timeout=60000)
    frames = pictures.loops["transition:slide-left"]
    assert len(frames) >= 8
    first, last = frames[0].pixmap(72, 128).toImage(), frames[-1].pixmap(72, 128).toImage()
    assert first != last  # one clip at the start of the loop, the other at its end
    assert not pictures.timer.isActive()  # at rest: each tile shows the middle of its change
    browser = window.browsers["transitions"]
    grid, item = browser.grid, browser.items["transition:slide-left"]
    qtbot.mouseMove(grid.viewport(), grid.visualItemRect(item).center())
    qtbot.waitUntil(pictures.timer.isActive, timeout=5000)  # the loop under the pointer plays
    assert pictures.playing == "transition:slide-left"
    window.show_panel("looks")
    assert not pictures.timer.isActive()  # loops play only while they show


def test_the_timeline_row_toggles_snapping_and_adds_markers(qtbot: Any) -> None:
    window = open_window(qtbot, colours())
    window.commands["edit.snap"].trigger()
    assert window.timeline.snap_on is False
    window.show_time(Fraction(1))
    window.commands["edit.add_marker"].trigger()
    assert [m.time for m in window.document.project.markers] == [Fraction(1)]
    from studio.gui.timeline.paint import COLORS

    image = window.timeline.grab().toImage()
    flag = image.pixelColor(int(window.timeline.scale.x(1.0)) + 3, 5)  # beside the playhead
    assert flag.getRgb()[:3] == COLORS["marker"].getRgb()[:3]


def test_ripple_delete_pulls_the_later_items_of_a_layer_left() -> None:
    project = colours()
    later = replace(_colour_clip("#ffffff", 1), transform=Transform(scale=0.3))
    project = arrange.place(project, later, Fraction(3), project.layers[0].id)[0]
    first = project.layers[0].clips[0]
    closed = arrange.ripple_remove(project, first.id)
    assert closed.layers[0].range_of(later.id) == (Fraction(2), Fraction(3))
    kept = arrange.remove_item(project, first.id)
    assert kept.layers[0].range_of(later.id) == (Fraction(3), Fraction(4))


def test_the_timecode_shows_time_and_frames_under_the_pointer(qtbot: Any) -> None:
    from studio.gui.transport import clock

    assert clock(75.5, 30) == "01:15.15"
    window = open_window(qtbot, colours())
    window.show_time(Fraction(3, 2))
    assert window.timecode.text() == "00:01.15 / 00:04.00"
    window.timecode.enterEvent(None)
    assert window.timecode.text() == "frame 45 / 120"


def test_loop_plays_the_selected_items_time(qtbot: Any) -> None:
    window = open_window(qtbot, colours())
    blue = window.document.project.main.clips[1]
    window.timeline.select(blue.id)
    window.commands["view.loop"].trigger()
    assert window.looping and window._loop_range() == (2.0, 4.0)


def test_the_light_theme_is_applied_and_kept(qtbot: Any) -> None:
    from studio.gui.qt import QApplication, QPalette, QSettings
    from studio.gui.theme import DARK, LIGHT, THEME_KEY

    window = open_window(qtbot, colours())
    app = QApplication.instance()
    try:
        window.commands["view.light_theme"].trigger()
        assert QSettings().value(THEME_KEY) == "light"
        assert app.palette().color(QPalette.ColorRole.Window).name() == LIGHT.window
        assert _darkest(window.commands["edit.split"].icon()) < 80  # dark icons on light
    finally:
        window.commands["view.light_theme"].trigger()
    assert app.palette().color(QPalette.ColorRole.Window).name() == DARK.window
    assert _darkest(window.commands["edit.split"].icon()) > 150  # light icons on dark


def _darkest(picture: Any) -> int:
    """The darkest opaque pixel's brightness in a 24-pixel drawing of an icon."""
    image = picture.pixmap(24, 24).toImage()
    colours = [image.pixelColor(x, y) for x in range(24) for y in range(24)]
    return min(max(c.red(), c.green(), c.blue()) for c in colours if c.alpha() > 200)


def _preview_colour(window: Any, x: float, y: float) -> tuple[int, int, int]:
    """The colour the preview shows at canvas pixel (x, y)."""
    point = window.canvas_edit.to_screen(x, y).toPoint()
    colour = window.preview.view.grab().toImage().pixelColor(point)
    return colour.red(), colour.green(), colour.blue()


def _drag(qtbot: Any, widget: Any, start: Any, end: Any, steps: int = 8) -> None:
    from studio.gui.qt import QPoint, Qt

    left = Qt.MouseButton.LeftButton
    qtbot.mousePress(widget, left, pos=start)
    for step in range(1, steps + 1):
        at = start + QPoint(
            (end.x() - start.x()) * step // steps, (end.y() - start.y()) * step // steps
        )
        qtbot.mouseMove(widget, at)
    qtbot.mouseRelease(widget, left, pos=end)


def test_an_overlay_is_moved_and_scaled_on_the_canvas_with_the_mouse(qtbot: Any) -> None:
    from studio.gui.qt import QPoint

    window = open_window(qtbot, colours())
    edit, view = window.canvas_edit, window.preview.view
    window.show_time(Fraction(1, 2))
    qtbot.waitUntil(lambda: window.preview.view.image is not None, timeout=30000)
    green = edit._layers()[0]
    assert _preview_colour(window, 540, 960)[1] > 150  # the green picture in the middle
    start = edit.to_screen(540, 960).toPoint()
    with qtbot.waitSignal(window.preview.shown, timeout=30000):
        _drag(qtbot, view, start, start + QPoint(0, 120))  # down, with the Alt key up
    assert window.timeline.selection == green.clip.id
    moved = window.document.project.layers[0].clips[0].transform
    assert moved.x == 0.5 and moved.y > 0.55  # snapped to the centre line across
    below = 960 + (moved.y - 0.5) * 1920
    assert _preview_colour(window, 540, below)[1] > 150
    assert _preview_colour(window, 540, 960 - green.box.height / 2 + 10)[0] > 150  # red again
    corner = edit.to_screen(*corners(edit.selection().box)[2]).toPoint()
    _drag(qtbot, view, corner, corner + QPoint(40, 70))
    grown = window.document.project.layers[0].clips[0].transform
    assert grown.scale > moved.scale * 1.2 and (grown.x, grown.y) == (moved.x, moved.y)
    stack = window.document.undo_stack
    steps = [stack.text(i) for i in range(stack.count())]
    assert steps == ["Move on canvas", "Transform on canvas"]  # one step a drag
    stack.undo()
    stack.undo()
    assert window.document.project.layers[0].clips[0].transform == green.clip.transform


def test_arrow_keys_nudge_the_selected_overlay_by_a_pixel(qtbot: Any) -> None:
    from studio.gui.qt import Qt

    window = open_window(qtbot, colours())
    window.show_time(Fraction(1, 2))
    overlay = window.document.project.layers[0].clips[0]
    window.timeline.select(overlay.id)
    qtbot.keyClick(window.preview.view, Qt.Key.Key_Right)
    qtbot.keyClick(window.preview.view, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    moved = window.document.project.layers[0].clips[0].transform
    assert round(moved.x * 1080, 1) == 541 and round(moved.y * 1920, 1) == 950


def _sections(window: Any) -> list[str]:
    inspector = window.inspector
    return [name for name, s in inspector.sections.items() if s.isVisibleTo(inspector)]


def test_the_inspector_shows_the_sections_of_the_selected_kind_of_item(qtbot: Any) -> None:
    window = open_window(qtbot, colours())
    assert _sections(window) == ["Project", "Music", "Beats"]  # nothing selected
    assert window.inspector.canvas.text() == "1080x1920"
    project = window.document.project
    window.timeline.select(project.layers[0].clips[0].id)
    assert _sections(window) == ["Basic", "Effects", "Animation", "Speed", "Audio"]
    assert window.inspector.kind.text() == "Picture on Overlay 1"
    window.timeline.select(project.main.clips[0].id)
    assert _sections(window) == ["Basic", "Effects", "Speed", "Audio"]
    window.layer_edits.add_transition(project.main.clips[0].id, "dissolve")
    assert _sections(window) == ["Basic"]  # the transition added is selected


def test_lane_switches_mute_solo_hide_and_lock_a_track(qtbot: Any) -> None:
    from studio.gui.qt import Qt
    from studio.gui.timeline.headers import switch_rect, switches_of

    window = open_window(qtbot, colours())
    headers = window.timeline_panel.headers
    lane = next(lane for lane in headers.lanes if lane.role == "overlay")
    names = switches_of(lane)
    assert names == ("muted", "solo", "hidden", "locked")
    for name in names:
        where = switch_rect(lane, names.index(name)).center()
        qtbot.mouseClick(headers, Qt.MouseButton.LeftButton, pos=where)
    track = window.document.project.layers[0]
    assert (track.muted, track.solo, track.hidden, track.locked) == (True, True, True, True)
    assert not window.document.project.heard(window.document.project.main)  # another is solo
    overlay = track.clips[0]
    window.timeline.select(overlay.id)
    window.commands["edit.delete"].trigger()  # refused: the track is locked
    assert window.document.project.layers[0].clips[0] == overlay
    assert window.status.text() == "Overlay 1 is locked: unlock it to edit it"
    window.document.undo_stack.undo()  # unlocked again
    window.commands["edit.delete"].trigger()
    assert window.document.project.layers == ()


def test_a_file_of_the_media_list_dragged_onto_a_lane_joins_that_lane(qtbot: Any) -> None:
    window = open_window(qtbot, colours())
    timeline, bin_ = window.timeline, window.bin
    rows = {bin_.item(i).data(256): bin_.item(i) for i in range(bin_.count())}
    red, blue = (clip.media for clip in window.document.project.main.clips)
    data = bin_.mimeData([rows[red.path]])
    main = next(lane for lane in timeline.lanes if lane.role == "main")
    _drop(timeline, data, timeline.scale.x(2.1), (main.top + main.bottom) / 2)
    clips = window.document.project.main.clips
    assert [c.media for c in clips] == [red, red, blue]  # in at the cut nearest, at 2 s
    overlay = next(lane for lane in timeline.lanes if lane.role == "overlay")
    _drop(timeline, data, timeline.scale.x(3.0), (overlay.top + overlay.bottom) / 2)
    layer = window.document.project.layers[0]
    added = layer.clips[-1]
    assert added.media == red and layer.range_of(added.id)[0] == Fraction(3)


def test_full_screen_and_100_percent_show_the_preview_picture(qtbot: Any) -> None:
    from studio.gui.qt import Qt

    window = open_window(qtbot, colours())
    window.show_time(Fraction(1, 2))
    view = window.preview.view
    qtbot.waitUntil(lambda: view.image is not None, timeout=30000)
    window.commands["view.actual_size"].trigger()
    assert view.picture_rect()[2:] == (view.image.width(), view.image.height())
    window.commands["view.actual_size"].trigger()
    assert view.picture_rect()[3] <= view.height()  # fits the panel again
    window.commands["view.full_screen"].trigger()
    assert view.window() is window.full_screen.window and view.window() is not window
    qtbot.keyClick(view.window(), Qt.Key.Key_Escape)
    assert view.window() is window and view.parent() is window.preview


def test_a_volume_key_at_the_playhead_from_the_inspector(qtbot: Any) -> None:
    window = open_window(qtbot, colours())
    blue = window.document.project.main.clips[1]
    window.timeline.select(blue.id)
    timing = window.inspector.timing
    window.show_time(Fraction(5, 2))  # half a second into the blue clip
    timing.volume_key.click()
    timing.volume.setValue(0.4)
    window.show_time(Fraction(7, 2))
    timing.volume_key.click()
    timing.volume.setValue(1.5)
    keys = window.document.project.main.clips[1].volume_keys.keys
    assert [(k.time, k.value) for k in keys] == [(Fraction(1, 2), 0.4), (Fraction(3, 2), 1.5)]
    window.show_time(Fraction(3))  # between the keys: the volume heard there
    assert timing.volume.value() == pytest.approx(0.95, abs=0.01)
    assert not timing.volume_key.isChecked() and timing.volume_key.isEnabled()


def test_the_canvas_offers_every_placed_picture_at_the_playhead_topmost_first() -> None:
    from studio.gui.canvas_edit import layers_at

    project = colours()
    red, blue = project.main.clips
    side = replace(red, transform=Transform(scale=0.5, x=0.25))  # a duet's side
    project = project.with_clips((side, blue))
    green = project.layers[0].clips[0]
    assert [layer.clip.id for layer in layers_at(project, Fraction(1, 2))] == [green.id, side.id]
    assert [layer.clip.id for layer in layers_at(project, Fraction(3))] == []  # blue fills
    hidden = arrange.set_track_switch(project, project.layers[0].id, "hidden", True)
    assert [layer.clip.id for layer in layers_at(hidden, Fraction(1, 2))] == [side.id]
    box = layers_at(project, Fraction(1, 2))[1].box
    assert (box.x, box.width) == (270, 540)  # a quarter across, half the canvas wide
