"""Cut to the beat from the app: the edit's clips are cut on the music's beats in the
background, and the result is one undoable step."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path
from typing import Any

from studio.gui.beatsync_dialog import BeatSyncDialog
from studio.gui.document import Document
from studio.gui.jobs import Jobs
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.limits import CHOICES, LIMITS
from studio.model.time import nearest_frame
from studio.model.timeline import BeatGrid, Canvas, MusicTrack, Project, Track, cut_frames
from tests.helpers import make_clip
from tests.music import click_track, write_wav


def test_the_edit_is_cut_every_two_beats_and_undo_brings_it_back(
    qtbot: Any, tmp_path: Path
) -> None:
    samples, _ = click_track(120, 12)
    music = write_wav(tmp_path / "clicks.wav", samples)
    clips = [
        clip_of(probe(make_clip(tmp_path / f"{c}.mp4", 4, source=f"color=c={c}", audio=False)))
        for c in ("red", "blue")
    ]
    before = Project(Canvas(), Track(tuple(clips)))
    document = Document(before)
    dialog = BeatSyncDialog(document, Jobs())
    qtbot.addWidget(dialog)
    assert dialog.every.maximum() == LIMITS["sync.every"].high
    assert tuple(dialog.mode.itemText(i) for i in range(3)) == CHOICES["sync.mode"].values
    dialog.music.setText(str(music))
    dialog.every.setValue(2)
    dialog.length.setValue(6)
    with qtbot.waitSignal(dialog.finished_edit, timeout=60000) as finished:
        dialog.run_button.click()
    project = document.project
    assert project.music is not None and document.undo_stack.count() == 1
    cuts = cut_frames(project.main.clips, 30)[1:-1]
    beats = {nearest_frame(b, 30) for b in project.music.beat_times()}
    assert cuts and set(cuts) <= beats and all(b - a == 30 for a, b in itertools.pairwise(cuts))
    assert any("ends on a bar" in note for note in finished.args[0])
    assert dialog.status.text() == "\n".join(finished.args[0])  # every note, warnings too
    document.undo_stack.undo()
    assert document.project is before


def test_the_tempo_is_found_in_the_music_unless_the_user_gives_it(qtbot: Any) -> None:
    dialog = BeatSyncDialog(Document(), Jobs())
    qtbot.addWidget(dialog)
    assert dialog.tempo.text() == "found in the music" and dialog.request().bpm is None
    dialog.tempo.setValue(70)
    assert dialog.request().bpm == 70
    assert dialog.tempo.maximum() == LIMITS["grid.bpm"].high


def test_the_bars_are_found_in_the_music_unless_the_user_gives_them(qtbot: Any) -> None:
    dialog = BeatSyncDialog(Document(), Jobs())
    qtbot.addWidget(dialog)
    assert dialog.bar_length.text() == dialog.bar_start.text() == "found in the music"
    request = dialog.request()
    assert request.beats_per_bar == 0 and request.bar_start is None
    dialog.bar_length.setValue(3)
    dialog.bar_start.setValue(1.25)
    request = dialog.request()
    assert request.beats_per_bar == 3 and request.bar_start == 1.25
    assert dialog.bar_length.maximum() == LIMITS["grid.meter"].high
    dialog.bar_start.setValue(0)  # the start of the song is a time too
    assert dialog.request().bar_start == 0


def test_cutting_again_starts_from_the_edit_s_music_and_its_bars(qtbot: Any) -> None:
    """After "start bars here" and 3 beats per bar on the timeline, the window opens with the
    same music and those bars, so a new cut keeps them."""
    from fractions import Fraction

    from studio.model.edits import set_bar_length, start_bars
    from tests.factories import ref, sample_project

    beats = tuple(Fraction(i, 2) for i in range(40))
    song = ref("/media/song.m4a", 30, has_video=False, width=0, height=0)
    music = MusicTrack(song, grid=BeatGrid(120.0, 4, beats, beats[::4]))
    project = replace(sample_project(), music=music)
    project = set_bar_length(start_bars(project, Fraction(3, 2)), 3)
    dialog = BeatSyncDialog(Document(project), Jobs())
    qtbot.addWidget(dialog)
    request = dialog.request()
    assert dialog.music.text() == "/media/song.m4a" and request.music == "/media/song.m4a"
    assert request.beats_per_bar == 3 and request.bar_start == 1.5


def test_without_music_or_clips_it_says_what_is_missing(qtbot: Any) -> None:
    dialog = BeatSyncDialog(Document(), Jobs())
    qtbot.addWidget(dialog)
    dialog.run_button.click()
    assert dialog.status.text() == "choose the music first"
    dialog.music.setText("song.mp3")
    dialog.run_button.click()
    assert dialog.status.text() == "import clips first: they are cut to the beat"


def test_fixed_beats_are_what_the_edit_is_cut_to_again(qtbot: Any, tmp_path: Path) -> None:
    """Cut once, then Double in the dialog (one step, on the music at once): cutting again
    with "the beats on the timeline" cuts every beat of the doubled grid, not the analysis."""
    samples, _ = click_track(60, 12)
    music = write_wav(tmp_path / "clicks.wav", samples)
    clips = [
        clip_of(probe(make_clip(tmp_path / f"{c}.mp4", 4, source=f"color=c={c}", audio=False)))
        for c in ("red", "blue", "green")
    ]
    document = Document(Project(Canvas(), Track(tuple(clips))))
    dialog = BeatSyncDialog(document, Jobs())
    qtbot.addWidget(dialog)
    assert not dialog.fixes["double"].isEnabled()  # no beats yet
    dialog.music.setText(str(music))
    dialog.length.setValue(8)
    with qtbot.waitSignal(dialog.finished_edit, timeout=60000):
        dialog.run_button.click()
    first = cut_frames(document.project.main.clips, 30)[1:-1]
    assert all(b - a == 30 for a, b in itertools.pairwise(first))  # 60 BPM: a cut a second
    steps = document.undo_stack.count()
    dialog.fixes["double"].click()
    assert document.undo_stack.count() == steps + 1 and dialog.keep_beats.isChecked()
    assert document.project.music is not None and document.project.music.grid.tempo > 110
    with qtbot.waitSignal(dialog.finished_edit, timeout=60000):
        dialog.run_button.click()
    again = cut_frames(document.project.main.clips, 30)[1:-1]
    assert all(b - a == 15 for a, b in itertools.pairwise(again)), again  # every half second
    dialog.keep_beats.setChecked(False)
    assert dialog.request().grid is None  # analysed again when asked
