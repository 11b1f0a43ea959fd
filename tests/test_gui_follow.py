"""Auto-reframe in the app: choosing `follow` finds the subject in the background, its keys
land in the project with the choice (one undo step), the preview crops where the subject is,
and a focus typed at the playhead becomes a key there."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from studio.gui.document import Document
from studio.gui.jobs import Jobs
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.timeline import Canvas, Project, Track
from tests.helpers import make_clip


@pytest.fixture(scope="module")
def moving_box(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A white square crossing a black landscape frame left to right in 3 s (found by motion:
    no face, no person)."""
    folder = tmp_path_factory.mktemp("box")
    inside = "between(X,20+T*180,80+T*180)*between(Y,150,210)"
    square = f"format=yuv420p,geq=lum='if({inside},235,16)':cb=128:cr=128"
    path = make_clip(
        folder / "box.mp4", 3, source="color=c=black", audio=False, extra=["-vf", square]
    )
    return Project(Canvas(), Track((clip_of(probe(path)),)))


def _white_column(image: Any) -> float:
    """Where (0..1 across) the white square is in a preview grab; -1 if not there."""
    row = image.height() // 2 - image.height() // 20
    across = [x for x in range(image.width()) if image.pixelColor(x, row).lightness() > 200]
    return sum(across) / len(across) / image.width() if across else -1.0


def test_follow_finds_the_subject_and_keys_can_be_corrected(
    qtbot: Any, moving_box: Project, tmp_path: Path
) -> None:
    from studio.gui.main_window import MainWindow

    document = Document(moving_box)
    window = MainWindow(document, Jobs())
    qtbot.addWidget(window)
    window.show()
    clip_id = moving_box.main.clips[0].id
    window.timeline.selected.emit(clip_id)
    inspector = window.inspector
    inspector.fit.setCurrentText("follow")
    qtbot.waitUntil(lambda: bool(document.project.main.clips[0].fit.keys), timeout=60_000)
    fit = document.project.main.clips[0].fit
    assert fit.mode == "follow" and fit.focus_at(Fraction(0)) < 0.3 < 0.7 < fit.focus_at(
        Fraction(29, 10)
    )
    window.show_time(Fraction(5, 2))  # the square is right of the middle by now
    qtbot.waitUntil(lambda: 0.3 < _white_column(window.preview.view.grab().toImage()) < 0.7)
    assert inspector.focus_x.value() == pytest.approx(fit.focus_at(Fraction(5, 2)), abs=0.01)
    inspector.focus_x.setValue(0.1)  # the user moves the crop at 2.5 s
    keys = document.project.main.clips[0].fit.keys
    assert any(key.time == Fraction(5, 2) and key.focus == 0.1 for key in keys)
    document.undo_stack.undo()
    document.undo_stack.undo()  # choosing follow and its keys were one step
    assert document.project.main.clips[0].fit.mode == "crop"
    window.jobs.wait()
