"""Duet and stitch dialogs: the engine's remixes from a form, as one undoable edit."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from studio.gui.document import Document
from studio.gui.jobs import Jobs
from studio.gui.remix_dialog import DuetDialog, StitchDialog
from studio.model.limits import LIMITS
from studio.model.remix import your_offset
from tests.helpers import make_clip


@pytest.fixture(scope="module")
def red_and_blue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("remix")
    red = make_clip(folder / "red.mp4", 3, source="color=c=red", size="360x640")
    blue = make_clip(folder / "blue.mp4", 2, source="color=c=blue", size="360x640")
    return red, blue


def _dialog(qtbot: Any, kind: type, files: tuple[Path, Path]) -> Any:
    dialog = kind(Document(), Jobs())
    qtbot.addWidget(dialog)
    dialog.original.setText(str(files[0]))
    dialog.yours.setText(str(files[1]))
    return dialog


def test_a_side_by_side_duet_replaces_the_edit_as_one_step(
    qtbot: Any, red_and_blue: tuple[Path, Path]
) -> None:
    dialog = _dialog(qtbot, DuetDialog, red_and_blue)
    assert not dialog.corner.isEnabled()  # only a react layout has a corner
    dialog.offset.setValue(0.5)
    with qtbot.waitSignal(dialog.made, timeout=30000):
        dialog.run()
    project = dialog.document.project
    original = project.main.clips[0]
    assert original.transform is not None and original.transform.x == 0.25  # the left half
    assert your_offset(project) == Fraction(1, 2) and project.duration == 3
    assert dialog.document.undo_stack.count() == 1


def test_a_react_duet_takes_its_corner_and_size(
    qtbot: Any, red_and_blue: tuple[Path, Path]
) -> None:
    dialog = _dialog(qtbot, DuetDialog, red_and_blue)
    dialog.layout_kind.setCurrentText("react")
    assert dialog.corner.isEnabled()
    dialog.corner.setCurrentText("bottom-right")
    dialog.pip_size.setValue(0.3)
    with qtbot.waitSignal(dialog.made, timeout=30000):
        dialog.run()
    (yours,) = dialog.document.project.layers[0].clips
    place = yours.transform
    assert place is not None and place.mask is not None and place.mask.shape == "rounded"
    assert (place.anchor, place.scale) == ("bottom-right", 0.3)


def test_a_stitch_shows_its_limit_and_keeps_to_it(
    qtbot: Any, red_and_blue: tuple[Path, Path]
) -> None:
    dialog = _dialog(qtbot, StitchDialog, red_and_blue)
    limit = LIMITS["stitch.length"].high
    assert dialog.length.maximum() == limit == 5
    dialog.length.setValue(9)  # the field cannot pass the limit
    assert dialog.length.value() == 5
    dialog.length.setValue(1.5)
    dialog.start.setValue(1)
    with qtbot.waitSignal(dialog.made, timeout=30000):
        dialog.run()
    clips = dialog.document.project.main.clips
    assert [c.media.name for c in clips] == ["red.mp4", "blue.mp4"]
    assert (clips[0].source_in, clips[0].source_out) == (1, Fraction(5, 2))
    assert dialog.document.project.texts[0].text == "Stitched from red.mp4"


def test_a_remix_the_engine_refuses_says_why(qtbot: Any, red_and_blue: tuple[Path, Path]) -> None:
    dialog = _dialog(qtbot, StitchDialog, red_and_blue)
    dialog.start.setValue(10)  # the original is 3 s long
    with qtbot.waitSignal(dialog.failed_remix, timeout=30000) as failed:
        dialog.run()
    assert "start" in failed.args[0] and dialog.document.undo_stack.count() == 0
    assert dialog.run_button.isEnabled()
