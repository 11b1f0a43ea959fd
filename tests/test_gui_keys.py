"""The inspector's transform of an overlay: values and keys at the playhead, easing, moving and
deleting keys, each one undo step; and the keys it writes are what the preview renders."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from studio.gui.document import Document
from studio.gui.inspector import Inspector
from studio.io.probe import probe
from studio.model import arrange
from studio.model.edits import clip_of
from studio.model.timeline import Canvas, Clip, Project, Track
from studio.model.transform import Transform
from tests.factories import clip, project, ref
from tests.helpers import make_clip


def _overlaid() -> Project:
    """A main clip of 8 s and the overlay "o" at 1-3 s."""
    edit, _ = arrange.place(project(clip(end=8)), clip(ref("/media/pip.mp4"), id="o"), Fraction(1))
    return edit


def _transform(document: Document) -> Transform:
    found = arrange.item(document.project, "o")
    assert isinstance(found, Clip) and found.transform is not None
    return found.transform


def test_diamonds_values_easing_and_moves_make_keys_at_the_playhead(qtbot: Any) -> None:
    before = _overlaid()
    document = Document(before)
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    panel = inspector.transform
    sought: list[float] = []
    inspector.seek.connect(sought.append)
    inspector.set_playhead(1.0)  # the overlay's first frame
    inspector.show_clip("o")
    assert panel.isVisibleTo(inspector) and not inspector.transition.isVisibleTo(inspector)
    panel.boxes["x"].setValue(0.25)  # still: its value, no key
    assert _transform(document).x == 0.25 and not _transform(document).keys
    panel.diamonds["x"].click()  # a key at 0 s holding 0.25
    assert panel.diamonds["x"].text() == "◆" and panel.delete.isEnabled()
    assert panel.key_label.text() == "Key 1 of 1, 0.00 s in"
    inspector.set_playhead(2.5)  # 1.5 s into the overlay
    assert panel.diamonds["x"].text() == "◇" and not panel.delete.isEnabled()
    assert panel.key_label.text() == "No key at the playhead (1.50 s in); 1 key"
    for value in (0.5, 0.75):  # a keyed property's value makes a key here; one step
        panel.boxes["x"].setValue(value)
    keys = _transform(document).keys_of("x").keys
    assert [(k.time, k.value) for k in keys] == [(0, 0.25), (Fraction(3, 2), 0.75)]
    assert _transform(document).at("x", Fraction(3, 4)) == pytest.approx(0.5)
    panel.ease.setCurrentText("hold")
    assert _transform(document).keys_of("x").keys[1].ease == "hold"
    panel.key_time.setValue(1.0)  # the key moves to 1 s; the playhead goes with it
    assert [k.time for k in _transform(document).keys_of("x").keys] == [0, 1]
    assert sought == [2.0]
    inspector.set_playhead(2.0)
    panel.previous.click()
    assert sought[-1] == 1.0
    panel.delete.click()  # the key at 1 s
    assert [k.time for k in _transform(document).keys_of("x").keys] == [0]
    assert document.undo_stack.count() == 6
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
    assert document.project is before


def test_keys_need_the_playhead_on_the_item(qtbot: Any) -> None:
    document = Document(arrange.add_keys(_overlaid(), "o", [("y", _key(0, 0.2))]))
    inspector = Inspector(document)
    qtbot.addWidget(inspector)
    reasons: list[str] = []
    inspector.refused.connect(reasons.append)
    inspector.set_playhead(5.0)  # the overlay plays 1-3 s
    inspector.show_clip("o")
    assert not inspector.transform.diamonds["x"].isEnabled()
    inspector.transform.boxes["y"].setValue(0.9)
    assert "put the playhead on this item" in reasons[0] and document.undo_stack.count() == 0
    inspector.transform.boxes["scale"].setValue(0.4)  # a still value needs no playhead
    assert _transform(document).scale == 0.4
    inspector.transform.next.click()  # before the item: the next key is its first
    inspector.set_playhead(0.5)
    sought: list[float] = []
    inspector.seek.connect(sought.append)
    inspector.transform.next.click()
    assert sought == [1.0]


def _key(time: float, value: float) -> Any:
    from studio.model.keys import Key

    return Key(Fraction(time), value)


@pytest.fixture(scope="module")
def red_over_blue(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A blue clip of 2 s on the main track, a red one of 2 s over it at 0.3 of the width."""
    folder = tmp_path_factory.mktemp("keys")
    blue, red = (
        clip_of(probe(make_clip(folder / f"{name}.mp4", 2, source=f"color=c={name}")))
        for name in ("blue", "red")
    )
    edit = Project(Canvas(), Track((blue,)))
    red = Clip(red.media, red.source_in, red.source_out, transform=Transform(scale=0.3), id="o")
    edit, _ = arrange.place(edit, red, Fraction(0))
    return edit


def _red_at(image: Any, across: float) -> bool:
    colour = image.pixelColor(int(across * image.width()), image.height() // 2)
    return colour.red() > 200 and colour.blue() < 60


def test_the_keys_set_in_the_inspector_move_the_overlay_in_the_preview(
    qtbot: Any, red_over_blue: Project
) -> None:
    from studio.gui.jobs import Jobs
    from studio.gui.main_window import MainWindow

    window = MainWindow(Document(red_over_blue), Jobs())
    qtbot.addWidget(window)
    panel = window.inspector.transform
    window.timeline.select("o")
    window.show_time(Fraction(0))
    panel.boxes["x"].setValue(0.25)
    panel.diamonds["x"].click()
    window.show_time(Fraction(3, 2))
    panel.boxes["x"].setValue(0.75)
    assert [k.time for k in _transform(window.document).keys_of("x").keys] == [0, Fraction(3, 2)]
    for at, left in ((Fraction(0), True), (Fraction(3, 2), False)):
        with qtbot.waitSignal(window.preview.shown, timeout=60000):
            window.preview.show_time(window.document.project, at)
        image = window.preview.view.image
        assert _red_at(image, 0.25) is left and _red_at(image, 0.75) is not left
    window.jobs.wait()


def test_a_saved_project_keeps_the_keys(tmp_path: Path) -> None:
    from studio.io.project_file import load_project, save_project

    edit = arrange.toggle_key(_overlaid(), "o", "opacity", Fraction(1, 2))
    edit = arrange.ease_keys(edit, "o", Fraction(1, 2), "out")
    again = load_project(save_project(edit, tmp_path / "k.studio.json"), check_media=False)
    assert arrange.item(again, "o") == arrange.item(edit, "o")
