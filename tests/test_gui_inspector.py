"""The inspector reads its ranges from the limits table and edits through the Document."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from studio.gui.document import Document
from studio.gui.inspector import Inspector
from studio.model.limits import CHOICES, LIMITS
from tests.factories import sample_project


def test_ranges_and_choices_come_from_the_limits_table(qtbot: Any) -> None:
    inspector = Inspector(Document(sample_project()))
    qtbot.addWidget(inspector)
    speed, box = LIMITS["clip.speed"], inspector.timing.speed
    assert (box.minimum(), box.maximum()) == (speed.low, speed.high)
    assert inspector.gain.maximum() == LIMITS["music.gain_db"].high
    fit_items = [inspector.fit.itemText(i) for i in range(inspector.fit.count())]
    assert tuple(fit_items) == CHOICES["fit.mode"].values
    assert not inspector.timing.speed.isEnabled()  # nothing selected yet
    inspector.timing.speed.setValue(9)  # a spin box cannot leave its range
    assert inspector.timing.speed.value() == speed.high


def test_the_selected_clip_is_shown_and_edited_as_one_step_a_field(qtbot: Any) -> None:
    before = sample_project()
    document = Document(before)
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    clip = before.main.clips[2]
    inspector.show_clip(clip.id)
    assert inspector.timing.speed.value() == 2.0 and inspector.timing.volume.value() == 0.5
    assert inspector.fit.currentText() == "pad" and document.undo_stack.count() == 0
    for value in (1.5, 1.25, 1.0):  # three steps of the spin box
        inspector.timing.speed.setValue(value)
    assert document.project.main.clips[2].speed == 1 and document.undo_stack.count() == 1
    inspector.fit.setCurrentText("blur")
    inspector.focus_x.setValue(0.25)
    fit = document.project.main.clips[2].fit
    assert (fit.mode, fit.focus_x, fit.pad_color) == ("blur", 0.25, "#102030")
    inspector.gain.setValue(-6)
    inspector.fps.setCurrentText("60")
    assert document.project.music.gain_db == -6 and document.project.canvas.fps == 60
    assert document.undo_stack.count() == 4
    for _ in range(4):
        document.undo_stack.undo()
    assert document.project is before and inspector.timing.speed.value() == 2.0
    assert inspector.fps.currentText() == "30"


def test_the_inspector_follows_the_timeline_selection(qtbot: Any) -> None:
    from studio.gui.jobs import Jobs
    from studio.gui.main_window import MainWindow

    window = MainWindow(Document(sample_project()), Jobs())
    qtbot.addWidget(window)
    clip = window.document.project.main.clips[1]
    window.timeline.selected.emit(clip.id)
    assert window.inspector.clip_title.text() == clip.media.name
    assert window.inspector.fit.currentText() == "blur"
    assert window.inspector.timing.speed.isEnabled()
    assert Fraction(1) == window.document.project.main.clips[1].speed


def test_music_timing_effects_and_preset_are_edits(qtbot: Any) -> None:
    before = sample_project()  # the song starts 5 s in, fades 0.5 s in and 1 s out
    document = Document(before)
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    assert (inspector.offset.value(), inspector.fade_in.value()) == (5.0, 0.5)
    assert (
        inspector.preset.currentText() == "tiktok"
        and not inspector.effects["punch"].enabled.isChecked()
    )
    for value in (5.5, 6.0):
        inspector.offset.setValue(value)
    inspector.fade_out.setValue(2)
    music = document.project.music
    assert (music.offset, music.fade_in, music.fade_out) == (6, Fraction(1, 2), 2)
    assert document.undo_stack.count() == 1  # the music's timing is one step however it moved
    punch = inspector.effects["punch"]
    punch.enabled.setChecked(True)
    punch.on.setCurrentText("bars")
    punch.strength.setValue(0.8)
    flash = inspector.effects["flash"]
    flash.enabled.setChecked(True)
    effects = {(e.kind, e.on, e.strength) for e in document.project.effects}
    assert effects == {("punch", "downbeats", 0.8), ("flash", "beats", 0.5)}
    flash.enabled.setChecked(False)
    assert [e.kind for e in document.project.effects] == ["punch"]
    inspector.preset.setCurrentText("reels")
    assert document.project.preset == "reels"
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
    assert document.project is before and inspector.offset.value() == 5.0


def test_a_song_start_past_its_end_is_refused_with_the_reason(qtbot: Any) -> None:
    document = Document(sample_project())  # a 60 s song
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    reasons: list[str] = []
    inspector.refused.connect(reasons.append)
    inspector.offset.setValue(75)
    assert document.project.music.offset == 5 and "after the end of the song" in reasons[0]


def test_a_sticker_and_an_artistic_filter_are_added_from_the_effects_list(qtbot: Any) -> None:
    before = sample_project()
    document = Document(before)
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    inspector.show_clip(before.main.clips[0].id)
    panel = inspector.effect_list
    assert panel.list.count() == 0 and not panel.remove.isEnabled()
    menu_action(panel.add_menu, "Face sticker", "crown").trigger()
    sticker = document.project.main.clips[0].sticker
    assert sticker is not None and sticker.path == "studio:crown"
    picture = panel.form.inputs["path"].widget
    picture.setCurrentText("glasses")
    picture.activated.emit(picture.currentIndex())
    assert document.project.main.clips[0].sticker.path == "studio:glasses"
    menu_action(panel.add_menu, "Frame effect", "oil").trigger()
    assert [e.name for e in document.project.main.clips[0].frame_effects] == ["oil"]
    texts = [panel.list.item(row).text() for row in range(panel.list.count())]
    assert texts == ["Frame effect · oil 100%", "Face sticker · glasses eyes 1x"]  # drawn first
    assert panel.list.currentRow() == 0 and not panel.down.isEnabled()  # it cannot move below
    panel.remove.click()
    assert document.project.main.clips[0].frame_effects == ()
    assert document.undo_stack.count() == 4
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
    assert document.project is before and panel.list.count() == 0


def menu_action(menu: Any, *path: str) -> Any:
    """The action at `path` of a menu: ("Look", "warm") is Look > warm."""
    for action in menu.actions():
        if action.text() == path[0]:
            return menu_action(action.menu(), *path[1:]) if path[1:] else action
    raise AssertionError(f"no {path[0]!r} in the menu")
