"""The timeline's lanes: one a track, items dragged along and between them and trimmed,
transitions chosen for a cut and edited; every change one undo step (offscreen, real widgets)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest

from studio.gui.timeline.geometry import Scale
from studio.gui.timeline.lanes import OVERLAY, badges, item_boxes, lanes
from studio.model import arrange
from studio.model.timeline import Project, Transition
from tests.factories import clip, ref, sample_project

SONG = ref("/media/voice.m4a", 20, width=0, height=0, has_video=False)


def layered() -> Project:
    """sample_project (clips 0-2.5, 2.5-4.5, 4.5-6.5 s, music) with a dissolve at 2.5 s, o1 on
    overlay-1 at 1-3 s, o2 on overlay-2 at 2-4 s and v1 on voice-1 at 0.5-2.5 s."""
    edit = sample_project()
    first = edit.main.clips[0].id
    edit = arrange.add_transition(edit, first, Transition("dissolve", Fraction(1, 2), id="t1"))
    pip = ref("/media/pip.mp4", 10)
    edit, _ = arrange.place(edit, clip(pip, 0, 2, id="o1"), Fraction(1))
    edit, _ = arrange.place(edit, clip(pip, 0, 2, id="o2"), Fraction(2))
    edit, _ = arrange.place(edit, clip(SONG, 0, 2, id="v1"), Fraction(1, 2), role="voice")
    return edit


def test_lanes_run_from_the_topmost_overlay_down_to_the_sounds() -> None:
    edit, scale = layered(), Scale(100.0)
    found = lanes(edit)
    titles = [lane.title for lane in found]
    assert titles == ["Overlay 2", "Overlay 1", "Main", "Music", "Voice 1"]
    assert [lane.top for lane in found[:3]] == [24, 24 + OVERLAY, 24 + 2 * OVERLAY]
    boxes = {box.item_id: box for box in item_boxes(edit, scale, found)}
    assert (boxes["o1"].left, boxes["o1"].right, boxes["o1"].lane.title) == (100, 300, "Overlay 1")
    assert (boxes["v1"].left, boxes["v1"].lane.title) == (50, "Voice 1")
    (badge,) = badges(edit, scale, found)
    assert (badge.item_id, badge.left, badge.right) == ("t1", 225, 275)  # 2.25-2.75 s


def _colour(image: Any, x: float, y: float) -> tuple[int, int, int]:
    c = image.pixelColor(int(x), int(y))
    return c.red(), c.green(), c.blue()


def _window(qtbot: Any, project: Project) -> Any:
    from studio.gui.document import Document
    from studio.gui.jobs import Jobs
    from studio.gui.main_window import MainWindow

    window = MainWindow(Document(project), Jobs())
    qtbot.addWidget(window)
    window.timeline.resize(800, 260)
    window.timeline.scale = Scale(100.0)
    return window


def _lane(window: Any, title: str) -> Any:
    return next(lane for lane in window.timeline.lanes if lane.title == title)


def _mouse(
    canvas: Any,
    points: list[tuple[float, float]],
    alt: bool = False,
    press: bool = True,
    release: bool = True,
) -> None:
    """Press at the first point, move through the others, let go at the last (the press or
    the letting go left out when asked)."""
    from studio.gui.qt import QApplication, QEvent, QMouseEvent, QPointF, Qt

    modifiers = Qt.KeyboardModifier.AltModifier if alt else Qt.KeyboardModifier.NoModifier
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    steps = [(QEvent.Type.MouseButtonPress, points[0], left, left)] if press else []
    steps += [(QEvent.Type.MouseMove, point, none, left) for point in points[press:]]
    steps += [(QEvent.Type.MouseButtonRelease, points[-1], left, none)] if release else []
    for kind, (x, y), button, buttons in steps:
        point = QPointF(x, y)
        event = QMouseEvent(kind, point, canvas.mapToGlobal(point), button, buttons, modifiers)
        QApplication.sendEvent(canvas, event)


def _track_of(project: Project, item_id: str) -> tuple[str, Fraction]:
    for track in project.layers:
        if any(item.id == item_id for item in track.items):
            return track.id, track.range_of(item_id)[0]
    raise AssertionError(f"{item_id} is on no track")


def test_each_lane_paints_its_items_in_its_colour_and_the_selection_lighter(qtbot: Any) -> None:
    from studio.gui.timeline.paint import COLORS

    window = _window(qtbot, layered())
    canvas = window.timeline
    overlay_1, voice = _lane(window, "Overlay 1"), _lane(window, "Voice 1")
    image = canvas.grab().toImage()
    purple, orange = COLORS["overlay"].getRgb()[:3], COLORS["voice"].getRgb()[:3]
    assert _colour(image, 150, overlay_1.bottom - 8) == purple  # o1 at 1-3 s
    assert _colour(image, 350, overlay_1.bottom - 8) == COLORS["background"].getRgb()[:3]
    assert _colour(image, 100, voice.bottom - 6) == orange  # v1 at 0.5-2.5 s
    badge = badges(canvas.project, canvas.scale, canvas.lanes)[0]
    assert _colour(image, 235, badge.top + 3) == COLORS["transition"].getRgb()[:3]
    _mouse(canvas, [(150, overlay_1.bottom - 8)])  # a click selects o1 and moves the playhead
    assert canvas.selection == "o1" and canvas.playhead == pytest.approx(1.5)
    lighter = _colour(canvas.grab().toImage(), 170, overlay_1.bottom - 10)
    assert lighter == COLORS["overlay"].lighter(135).getRgb()[:3]
    assert window.inspector.clip_title.text() == "pip.mp4"
    assert window.inspector.kind.text() == "Picture on Overlay 1"
    assert window.inspector.transform.isVisibleTo(window.inspector)
    assert not window.inspector.fit.isVisibleTo(window.inspector)  # a main clip's field
    assert window.inspector.timing.isVisibleTo(window.inspector)  # speed and volume: any clip
    headers = window.timeline_panel.headers
    assert [lane.title for lane in headers.lanes] == [lane.title for lane in canvas.lanes]
    chip = _colour(headers.grab().toImage(), 8, voice.top + voice.height // 2)
    assert chip == orange  # the header's chip is the lane's colour


def test_an_item_dragged_to_another_lane_lands_there_at_the_dropped_time(qtbot: Any) -> None:
    from studio.gui.timeline.paint import COLORS

    before = layered()
    window = _window(qtbot, before)
    canvas, document = window.timeline, window.document
    top, middle = _lane(window, "Overlay 2"), _lane(window, "Overlay 1")
    y1, y2 = middle.top + 20, top.top + 20
    # o1 (1-3 s) held at 1.5 s, taken up to overlay-2 and along to 5.5 s: it starts at 5 s
    _mouse(canvas, [(150, y1), (200, y1), (400, y2), (550, y2)], alt=True)
    assert _track_of(document.project, "o1") == ("overlay-2", 5)
    assert document.undo_stack.count() == 1
    assert [t.id for t in document.project.layers] == ["overlay-2", "voice-1"]  # emptied: gone
    top = _lane(window, "Overlay 2")
    image = canvas.grab().toImage()
    chosen = COLORS["overlay"].lighter(135).getRgb()[:3]  # still selected, at 5-7 s
    assert _colour(image, 600, top.bottom - 10) == chosen
    assert _colour(image, 450, top.bottom - 10) == COLORS["background"].getRgb()[:3]
    document.undo_stack.undo()
    assert document.project is before and _track_of(before, "o1") == ("overlay-1", 1)


def test_a_drop_where_the_item_does_not_fit_makes_a_track_of_its_own(qtbot: Any) -> None:
    window = _window(qtbot, layered())
    canvas, document = window.timeline, window.document
    middle, top = _lane(window, "Overlay 1"), _lane(window, "Overlay 2")
    y1, y2 = middle.top + 20, top.top + 20
    _mouse(canvas, [(250, y2), (250, y2)])  # a press and a release on o2: no edit
    assert document.undo_stack.count() == 0 and canvas.selection == "o2"
    # o1 (1-3 s) held at 1.5 s and taken onto overlay-2 at 3 s, where o2 plays (2-4 s)
    _mouse(canvas, [(150, y1), (200, y2), (300, y2)], alt=True, release=False)
    assert _track_of(document.project, "o1") == ("overlay-1", 1)  # it waits where it fits
    assert canvas.ghost is not None and canvas.ghost[1:] == (Fraction(5, 2), Fraction(9, 2))
    _mouse(canvas, [(300, y2)], press=False)
    assert canvas.ghost is None
    assert _track_of(document.project, "o1") == ("overlay-3", Fraction(5, 2))
    assert [t.id for t in document.project.layers] == ["overlay-2", "overlay-3", "voice-1"]
    assert [lane.title for lane in canvas.lanes][:2] == ["Overlay 3", "Overlay 2"]
    assert document.undo_stack.count() == 1


def test_a_sound_stays_on_audio_lanes_and_an_overlay_is_trimmed_at_both_ends(qtbot: Any) -> None:
    before = layered()
    window = _window(qtbot, before)
    canvas, document = window.timeline, window.document
    voice, overlay_2 = _lane(window, "Voice 1"), _lane(window, "Overlay 2")
    _mouse(canvas, [(100, voice.top + 20), (300, overlay_2.top + 20)], alt=True)
    assert _track_of(document.project, "v1") == ("voice-1", Fraction(5, 2))  # not on video
    y = overlay_2.top + 20  # o2 plays 2-4 s of its file from 0: trim its head to 2.5 s
    _mouse(canvas, [(202, y), (230, y), (250, y)], alt=True)
    o2 = arrange.item(document.project, "o2")
    assert _track_of(document.project, "o2") == ("overlay-2", Fraction(5, 2))
    assert (o2.source_in, o2.source_out) == (Fraction(1, 2), 2)  # type: ignore[union-attr]
    _mouse(canvas, [(398, y), (360, y), (350, y)], alt=True)  # its tail to 3.5 s
    assert document.project.layers[1].range_of("o2") == (Fraction(5, 2), Fraction(7, 2))
    assert document.undo_stack.count() == 3
    for _ in range(3):
        document.undo_stack.undo()
    assert document.project is before


def _action(window: Any, text: str) -> Any:
    from studio.gui.qt import QAction

    return next(a for a in window.findChildren(QAction) if a.text().startswith(text))


def test_a_transition_is_chosen_at_a_cut_edited_and_removed(qtbot: Any) -> None:
    before = sample_project()
    window = _window(qtbot, before)
    canvas, document = window.timeline, window.document
    ids = [c.id for c in before.main.clips]
    canvas.set_playhead(4.3)  # nearest cut: 4.5 s, after the second clip
    window.transition_menu.aboutToShow.emit()
    _action(window.transition_menu, "Slide left").trigger()
    added = document.project.main.transition_after(ids[1])
    assert added is not None and added.kind == "slide-left"
    assert canvas.selection == added.id
    assert window.inspector.transition.isVisibleTo(window.inspector)
    menu = window.layer_edits.cut_menu(ids[0])  # the right-click menu of the cut at 2.5 s
    _action(menu, "Whip blur").trigger()
    assert document.project.main.transition_after(ids[0]).kind == "whip"  # type: ignore[union-attr]
    canvas.select(added.id)
    panel = window.inspector.transition
    panel.kind.setCurrentIndex(panel.kind.findData("circle"))
    for seconds in (0.6, 0.7, 0.8):  # three steps of the box: one undo step
        panel.length.setValue(seconds)
    panel.ease.setCurrentText("in-out")
    edited = document.project.main.transition_after(ids[1])
    assert edited is not None and (edited.kind, edited.duration) == ("circle", Fraction(4, 5))
    assert edited.ease == "in-out" and edited.id == added.id
    assert document.undo_stack.count() == 5
    again = window.layer_edits.cut_menu(ids[1])
    checked = [a.text() for a in again.actions() if a.isChecked()]
    assert checked == ["Circle"]
    _action(again, "Remove transition").trigger()
    assert document.project.main.transition_after(ids[1]) is None
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
    assert document.project is before


def test_clicking_a_badge_selects_its_transition_and_delete_removes_it(qtbot: Any) -> None:
    window = _window(qtbot, layered())
    canvas = window.timeline
    badge = badges(canvas.project, canvas.scale, canvas.lanes)[0]
    _mouse(canvas, [(250, badge.top + 5)])
    assert canvas.selection == "t1" and window.inspector.clip_title.text() == "Transition"
    assert window.inspector.transition.length.value() == 0.5
    _action(window, "&Delete").trigger()
    assert window.document.project.main.transitions == ()
    assert canvas.selection == ""


def test_a_still_picture_on_a_lane_is_its_own_thumbnail(qtbot: Any) -> None:
    from studio.gui.jobs import Jobs
    from studio.gui.timeline.strips import THUMB_HEIGHT, Strips
    from studio.io.probe import probe
    from studio.model.edits import clip_of
    from tests.helpers import media

    still = clip_of(probe(media("people/scikit-image/astronaut.png")))
    edit, _ = arrange.place(sample_project(), replace(still, source_out=Fraction(5)), Fraction(1))
    strips = Strips(Jobs())
    strips.want(edit)
    qtbot.waitUntil(lambda: still.media.path in strips.thumbs, timeout=10000)
    step, pictures = strips.thumbs[still.media.path]
    assert len(pictures) == 1 and pictures[0].height() == THUMB_HEIGHT
    assert pictures[0].pixelColor(48, 48).alpha() == 255 and step > 100  # one for all times
    strips.jobs.wait()
