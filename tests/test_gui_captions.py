"""The Captions panel: transcribing runs in the background and lands as one undoable step, a
fixed word is an edit the track keeps, the style is chosen, and the preview shows the
captions burned in."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from typing import Any

import pytest

from studio.gui.document import Document
from studio.gui.jobs import Jobs
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.timeline import Canvas, Project, Track
from tests.helpers import media


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Project:
    path = tmp_path_factory.mktemp("speech") / "speech.mp4"
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=0x4060a0:s=540x960"]
    argv += ["-i", str(media("people/whisper/jfk.flac")), "-shortest", "-c:v", "libx264"]
    subprocess.run([*argv, "-preset", "ultrafast", "-c:a", "aac", str(path)], check=True)
    return Project(Canvas(), Track((clip_of(probe(path)),)))


def _bright(image: Any) -> int:
    """Near-white or yellow pixels (caption text) in the lower half of a grab."""
    found = 0
    for y in range(image.height() // 2, image.height(), 2):
        for x in range(0, image.width(), 2):
            colour = image.pixelColor(x, y)
            found += colour.red() > 200 and colour.green() > 170
    return found


def test_transcribe_edit_a_word_choose_a_style_and_see_it(qtbot: Any, speech: Project) -> None:
    from studio.gui.main_window import MainWindow

    document = Document(speech)
    window = MainWindow(document, Jobs())
    qtbot.addWidget(window)
    window.show()
    panel = window.captions
    assert panel.table.rowCount() == 0 and not panel.style_box.isEnabled()
    panel.transcribe.click()
    assert panel.transcribe.text() == "Cancel"  # running in the background
    panel.transcribe.click()  # cancelled at its next progress check
    qtbot.waitUntil(lambda: panel.transcribe.text() == "Transcribe the edit", timeout=60_000)
    assert document.project.captions is None or document.undo_stack.count() == 1
    if document.project.captions is not None:  # it had finished already: start again clean
        document.undo_stack.undo()
    panel.transcribe.click()
    qtbot.waitUntil(lambda: document.project.captions is not None, timeout=60_000)
    captions = document.project.captions
    assert captions is not None and panel.table.rowCount() == len(captions.words) >= 20
    assert document.undo_stack.count() == 1
    panel.table.item(3, 2).setText("FELLOW")  # fix a word
    shown = [word.text for word in document.project.captions.shown]  # type: ignore[union-attr]
    assert shown[3] == "FELLOW" and len(document.project.captions.edits) == 1  # type: ignore[union-attr]
    panel.style_box.setCurrentText("pop")
    assert document.project.captions.style == "pop"  # type: ignore[union-attr]
    panel.table.setCurrentCell(5, 0)  # select a word: the playhead goes there
    word = document.project.captions.shown[5]  # type: ignore[union-attr]
    assert window.timeline.playhead == pytest.approx(round(word.start, 2), abs=0.01)
    middle = Fraction((word.start + word.end) / 2).limit_denominator(1000)
    window.show_time(middle)
    qtbot.waitUntil(lambda: _bright(window.preview.view.grab().toImage()) > 30, timeout=20_000)
    for _ in range(3):
        document.undo_stack.undo()
    assert document.project.captions is None and panel.table.rowCount() == 0
    window.jobs.wait()
