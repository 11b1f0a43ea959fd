"""Moved media: the project still opens, its clips show as missing, and a folder relinks them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from studio.app import missing_media, relink
from studio.errors import MediaError
from studio.io.probe import probe
from studio.io.project_file import save_project
from studio.model.edits import clip_of
from studio.model.timeline import MusicTrack, Project
from tests.factories import project
from tests.helpers import make_clip
from tests.music import click_track, write_wav


def _edit(folder: Path) -> Project:
    folder.mkdir()
    red = clip_of(probe(make_clip(folder / "red.mp4", 1, source="color=c=red")))
    blue = clip_of(probe(make_clip(folder / "blue.mp4", 2, source="color=c=blue")))
    song = probe(write_wav(folder / "song.wav", click_track(120, 3)[0]))
    return project(red, blue, music=MusicTrack(song))


def test_missing_files_are_found_again_by_name_and_length(tmp_path: Path) -> None:
    edit = _edit(tmp_path / "old")
    shutil.move(tmp_path / "old", tmp_path / "moved" / "deeper")
    assert len(missing_media(edit)) == 3
    result = relink(edit, tmp_path / "moved")
    assert len(result.found) == 3 and result.missing == [] and missing_media(result.project) == []
    assert result.project.main.clips[0].id == edit.main.clips[0].id  # the same clips
    assert result.project.music.media.path.endswith("deeper/song.wav")


def test_a_namesake_of_another_length_is_not_taken(tmp_path: Path) -> None:
    edit = _edit(tmp_path / "old")
    shutil.rmtree(tmp_path / "old")
    (tmp_path / "other").mkdir()
    make_clip(tmp_path / "other" / "red.mp4", 3, source="color=c=red")
    result = relink(edit, tmp_path / "other")
    assert result.found == {} and len(result.missing) == 3
    assert "another length" in result.missing[1] and "red.mp4" in result.missing[1]


def test_relinking_into_something_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="not a folder"):
        relink(_edit(tmp_path / "old"), tmp_path / "nowhere")


def test_the_app_opens_shows_missing_clips_and_relinks(qtbot: Any, tmp_path: Path) -> None:
    from studio.gui.document import Document
    from studio.gui.jobs import Jobs
    from studio.gui.main_window import MainWindow
    from studio.gui.timeline.canvas import COLORS
    from studio.gui.timeline.geometry import RULER, VIDEO

    edit = _edit(tmp_path / "media")
    path = save_project(edit, tmp_path / "trip.studio.json")
    shutil.move(tmp_path / "media", tmp_path / "backup")
    window = MainWindow(Document.open(path), Jobs())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: len(window.missing) == 3, timeout=10000)
    assert "missing: blue.mp4, red.mp4, song.wav" in window.status.text()
    assert all(window.bin.item(i).text().endswith("MISSING") for i in range(window.bin.count()))
    x = int(window.timeline.scale.x(0.5))
    image = window.timeline.grab().toImage()
    assert image.pixelColor(x, RULER + VIDEO - 10).getRgb()[:3] == COLORS["missing"].getRgb()[:3]
    with qtbot.waitSignal(window.relinked, timeout=30000) as relinked:
        window.relink_folder(str(tmp_path / "backup"))
    assert relinked.args == [3]
    qtbot.waitUntil(lambda: not window.missing, timeout=10000)
    assert window.document.dirty and window.document.undo_stack.count() == 1
    window.document.undo_stack.undo()
    qtbot.waitUntil(lambda: len(window.missing) == 3, timeout=10000)
    window.jobs.wait()
