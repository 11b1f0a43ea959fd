"""The inspector's effects list and speed section, driven through real widgets (offscreen):
effects added from the menu, reordered, removed and edited, each one undo step; a speed ramp
preset changes the clip's length on the timeline; overlays take the effects their render can
draw."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from studio.gui.document import Document
from studio.gui.inspector import Inspector
from studio.gui.timeline.geometry import clip_boxes
from studio.gui.timeline.lanes import item_boxes
from studio.model import arrange
from studio.model.timeline import Clip, FaceBlur, Look, Project
from tests.factories import clip, ref, sample_project
from tests.test_gui_inspector import menu_action


def _inspector(qtbot: Any, project: Project, item_id: str) -> Inspector:
    inspector = Inspector(Document(project))
    qtbot.addWidget(inspector)
    inspector.show_clip(item_id)
    return inspector


def _rows(inspector: Inspector) -> list[str]:
    shown = inspector.effect_list.list
    return [shown.item(row).text() for row in range(shown.count())]


def _window(qtbot: Any, project: Project) -> Any:
    from studio.gui.jobs import Jobs
    from studio.gui.main_window import MainWindow

    window = MainWindow(Document(project), Jobs())
    qtbot.addWidget(window)
    return window


def test_two_effects_are_reordered_removed_and_each_step_undone(qtbot: Any) -> None:
    before = sample_project()
    first = before.main.clips[0].id
    inspector = _inspector(qtbot, before, first)
    document, panel = inspector.document, inspector.effect_list
    menu_action(panel.add_menu, "Look", "warm").trigger()
    menu_action(panel.add_menu, "Face blur").trigger()
    assert _rows(inspector) == ["Look · warm 80%", "Face blur · all 80%"]
    assert panel.list.currentRow() == 1 and not panel.down.isEnabled()
    panel.up.click()
    effects = document.project.main.clips[0].effects
    assert effects == (FaceBlur(), Look("warm"))  # drawn in the list's order
    assert _rows(inspector) == ["Face blur · all 80%", "Look · warm 80%"]
    assert panel.list.currentRow() == 0  # the moved effect stays selected
    panel.list.setCurrentRow(1)
    panel.remove.click()
    assert document.project.main.clips[0].effects == (FaceBlur(),)
    document.undo_stack.undo()
    assert document.project.main.clips[0].effects == (FaceBlur(), Look("warm"))
    document.undo_stack.undo()
    assert document.project.main.clips[0].effects == (Look("warm"), FaceBlur())
    assert _rows(inspector) == ["Look · warm 80%", "Face blur · all 80%"]
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.project is before and _rows(inspector) == []


def test_the_selected_effects_fields_edit_it_and_a_kind_taken_once_is_replaced(
    qtbot: Any,
) -> None:
    before = sample_project()
    inspector = _inspector(qtbot, before, before.main.clips[1].id)
    document, panel = inspector.document, inspector.effect_list
    menu_action(panel.add_menu, "Face blur").trigger()
    fields = panel.form.inputs
    assert fields["strength"].widget.maximum() == 1  # the limits table's range
    for value in (0.7, 0.5, 0.4):
        fields["strength"].widget.setValue(value)
    fields["which"].widget.setCurrentText("others")
    assert document.project.main.clips[1].faces == FaceBlur("others", 0.4)
    assert document.undo_stack.count() == 3  # added; strength in one step; which
    menu_action(panel.add_menu, "Frame effect", "sketch").trigger()
    menu_action(panel.add_menu, "Frame effect", "cartoon").trigger()  # several may be on a clip
    menu_action(panel.add_menu, "Look", "cool").trigger()
    menu_action(panel.add_menu, "Look", "sunset").trigger()  # one look: it replaces cool
    names = [e.name for e in document.project.main.clips[1].frame_effects]
    assert names == ["sketch", "cartoon"] and document.project.main.clips[1].look == Look("sunset")
    assert _rows(inspector)[:2] == ["Frame effect · sketch 100%", "Frame effect · cartoon 100%"]
    assert panel.list.currentRow() == 3 and panel.up.isEnabled()  # the look, replaced in place
    panel.list.setCurrentRow(2)
    assert not panel.up.isEnabled()  # the face blur cannot go above the frame effects
    panel.list.setCurrentRow(1)
    panel.up.click()
    names = [e.name for e in document.project.main.clips[1].frame_effects]
    assert names == ["cartoon", "sketch"]
    panel.form.inputs["amount"].widget.setValue(0.5)
    assert document.project.main.clips[1].frame_effects[0].amount == 0.5


def test_a_file_field_asks_for_the_file_a_choice_needs(qtbot: Any, monkeypatch: Any) -> None:
    from studio.gui.qt import QFileDialog

    before = sample_project()
    inspector = _inspector(qtbot, before, before.main.clips[0].id)
    panel = inspector.effect_list
    menu_action(panel.add_menu, "Background").trigger()
    chosen = str(Path("/media/beach.jpg"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_: (chosen, ""))
    panel.form.inputs["kind"].widget.setCurrentText("image")  # an image needs its file
    background = inspector.document.project.main.clips[0].background
    assert background is not None and (background.kind, background.path) == ("image", chosen)
    assert _rows(inspector) == ["Background · image beach.jpg 30%"]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_: ("", ""))
    reasons: list[str] = []
    inspector.refused.connect(reasons.append)
    panel.form.inputs["path"].line.setText("")
    panel.form.inputs["path"].line.editingFinished.emit()  # refused: the image needs a file
    assert "needs the file" in reasons[0]
    assert inspector.document.project.main.clips[0].background == background


def test_an_overlay_takes_every_effect_and_has_a_volume(qtbot: Any) -> None:
    project, _ = arrange.place(sample_project(), clip(ref("/media/pip.mp4"), id="o1"), Fraction(1))
    inspector = _inspector(qtbot, project, "o1")
    panel = inspector.effect_list
    assert panel.isVisibleTo(inspector) and inspector.timing.isVisibleTo(inspector)
    assert menu_action(panel.add_menu, "Background").isEnabled()  # analysed like any clip
    menu_action(panel.add_menu, "Look", "mono").trigger()
    overlay = arrange.item(inspector.document.project, "o1")
    assert isinstance(overlay, Clip) and overlay.look == Look("mono")
    inspector.timing.volume.setValue(0.3)
    assert arrange.item(inspector.document.project, "o1").volume == 0.3  # type: ignore[union-attr]


def test_a_sound_has_volume_and_speed_but_no_effects(qtbot: Any) -> None:
    song = ref("/media/voice.m4a", 20, width=0, height=0, has_video=False)
    project, _ = arrange.place(sample_project(), clip(song, id="v1"), Fraction(0), role="voice")
    inspector = _inspector(qtbot, project, "v1")
    assert not inspector.effect_list.isVisibleTo(inspector)
    inspector.timing.volume.setValue(2)
    assert arrange.item(inspector.document.project, "v1").volume == 2  # type: ignore[union-attr]


def test_a_ramp_preset_changes_the_clips_length_on_the_timeline(qtbot: Any) -> None:
    window = _window(qtbot, sample_project())
    first = window.document.project.main.clips[0]  # 2.5 s of its file at 1x
    window.timeline.selected.emit(first.id)
    timing = window.inspector.timing
    assert timing.ramp.currentText() == "none" and timing.speed.isEnabled()
    assert not timing.ramp_sound.isEnabled()  # a sound setting of ramps only

    def choose(name: str) -> float:
        timing.ramp.setCurrentText(name)
        timing.ramp.activated.emit(timing.ramp.currentIndex())
        box = clip_boxes(window.timeline.project, window.timeline.scale)[0]
        return box.right - box.left

    wide = window.timeline.scale.pixels_per_second * 2.5
    hero = choose("hero")  # slow in the middle: longer
    clip_now = window.document.project.main.clips[0]
    assert clip_now.ramped and clip_now.duration > Fraction(5, 2)
    assert hero == pytest.approx(float(clip_now.duration) * window.timeline.scale.pixels_per_second)
    assert hero > wide and not timing.speed.isEnabled() and "ramp" in timing.speed.toolTip()
    assert choose("flash in") < wide  # 4x at the start: shorter
    timing.ramp_sound.setCurrentText("mute")
    timing.ramp_sound.activated.emit(timing.ramp_sound.currentIndex())
    assert window.document.project.main.clips[0].ramp_sound == "mute"
    for _ in range(3):
        window.document.undo_stack.undo()
    assert window.document.project.main.clips[0] == first
    assert timing.ramp.currentText() == "none" and timing.speed.isEnabled()


def test_an_overlays_ramp_lengthens_its_item(qtbot: Any) -> None:
    project, _ = arrange.place(sample_project(), clip(ref("/media/pip.mp4"), id="o1"), Fraction(1))
    window = _window(qtbot, project)
    window.timeline.selected.emit("o1")
    timing = window.inspector.timing
    timing.ramp.setCurrentText("bullet")
    timing.ramp.activated.emit(timing.ramp.currentIndex())
    canvas = window.timeline
    (box,) = [
        b for b in item_boxes(canvas.project, canvas.scale, canvas.lanes) if b.item_id == "o1"
    ]
    assert box.end - box.start > 2  # 2 s of its file, mostly at a quarter speed


def test_an_effect_added_in_the_app_starts_its_analysis(qtbot: Any) -> None:
    window = _window(qtbot, sample_project())
    window.timeline.selected.emit(window.document.project.main.clips[0].id)
    panel = window.inspector.effect_list
    menu_action(panel.add_menu, "Face sticker", "glasses").trigger()
    menu_action(panel.add_menu, "Skin smoothing").trigger()
    asked = {key[0] for key in window.analyses.asked}
    assert {"sticker", "skin"} <= asked
    window.jobs.wait()


@pytest.fixture(scope="module")
def dusty(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    from studio.io.probe import probe
    from studio.model.edits import clip_of
    from tests.helpers import make_clip

    folder = tmp_path_factory.mktemp("effects")
    return clip_of(probe(make_clip(folder / "dusty.mp4", 2, source="color=c=0x8c7a64")))


def _saturation(window: Any) -> int:
    image = window.preview.view.image
    colour = image.pixelColor(image.width() // 2, image.height() // 2)
    return int(max(colour.red(), colour.blue()) - min(colour.red(), colour.blue()))


def test_a_look_added_from_the_list_is_in_the_preview(qtbot: Any, dusty: Clip) -> None:
    from tests.factories import project

    window = _window(qtbot, project(dusty))
    window.timeline.selected.emit(dusty.id)
    window.show_time(Fraction(1, 2))
    qtbot.waitUntil(lambda: window.preview.view.image is not None, timeout=30000)
    plain = _saturation(window)
    assert plain > 25  # a muted brown: red well above blue
    menu_action(window.inspector.effect_list.add_menu, "Look", "mono").trigger()
    assert window.document.project.main.clips[0].look == Look("mono")
    window.show_time(Fraction(1, 2))
    qtbot.waitUntil(lambda: _saturation(window) < plain - 20, timeout=30000)
    window.document.undo_stack.undo()
    window.show_time(Fraction(1, 2))
    qtbot.waitUntil(lambda: _saturation(window) > plain - 5, timeout=30000)
    window.jobs.wait()
