"""Sound in the app: the ducking curve drawn over the music lane where the voice speaks, and
noise reduction set in the inspector (one undo step) with the cleaned sound made in the
background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from studio.io.project_file import load_project
from studio.model.timeline import Clip
from tests.helpers import open_window
from tests.test_ducking import _edit


def _duck_rows(image: Any, x: int, top: int, bottom: int) -> list[int]:
    """The rows of column x (between top and bottom) painted in the ducking curve's colour."""
    from studio.gui.timeline.paint import COLORS

    want = COLORS["duck"].getRgb()[:3]
    return [
        y for y in range(top, bottom) if image.pixelColor(x, y).getRgb()[:3] == want
    ]  # fmt: skip


def test_the_music_lane_shows_where_the_music_ducks(qtbot: Any, tmp_path: Path) -> None:
    from studio.gui.timeline.lanes import DUCK_SCALE, bed_lane

    window = open_window(qtbot, load_project(_edit(tmp_path)))
    canvas = window.timeline
    lane = bed_lane(canvas.lanes)
    image = canvas.grab().toImage()
    x = canvas.scale.x
    pause = _duck_rows(image, int(x(0.5)), lane.top, lane.bottom)
    speaking = _duck_rows(image, int(x(2.5)), lane.top, lane.bottom)
    assert pause and speaking, (pause, speaking)
    drop = min(speaking) - min(pause)
    expected = 12 / DUCK_SCALE * (lane.height - 8)
    assert abs(drop - expected) <= 2, (drop, expected)  # down by the depth's share of the lane
    window.inspector.duck.setValue(0)  # the Music section: "Under voices", one undo step
    assert window.document.project.ducking.depth_db == 0
    image = canvas.grab().toImage()
    assert not _duck_rows(image, int(x(2.5)), lane.top, lane.bottom)  # no curve when off
    window.document.undo_stack.undo()
    assert window.document.project.ducking.depth_db == 12


def test_the_ducking_curve_is_edited_as_keys_on_the_music_lane(qtbot: Any, tmp_path: Path) -> None:
    """A key of the curve dragged down deepens the dip (the curve becomes keys, one undo
    step, repainted lower); a double-click on the curve adds a key; the inspector's button
    lets the voices make the curve again."""
    from studio.gui.qt import QPoint, Qt
    from studio.gui.timeline.lanes import bed_lane, duck_y
    from studio.model.ducking import duck_keys

    window = open_window(qtbot, load_project(_edit(tmp_path)))
    canvas, document = window.timeline, window.document
    lane = bed_lane(canvas.lanes)
    automatic = duck_keys(document.project).keys
    second = automatic[1]  # where the first sentence's dip reaches the depth
    x, y = int(canvas.scale.x(float(second.time))), duck_y(second.value, lane)
    low = duck_y(-20, lane)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    for row in range(y, low + 1, 2):
        qtbot.mouseMove(canvas, QPoint(x, row))
    qtbot.mouseMove(canvas, QPoint(x, low))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(x, low))
    edited = document.project.ducking
    assert edited.edited and abs(edited.keys.keys[1].value + 20) <= 1.0, edited.keys
    assert len(edited.keys.keys) == len(automatic)
    assert window.inspector.duck_auto.isEnabled()
    image = canvas.grab().toImage()
    assert _duck_rows(image, x, lane.top, lane.bottom)[-1] >= low - 3  # drawn at the new key
    document.undo_stack.undo()  # the drag is one step: the automatic curve again
    assert not document.project.ducking.edited
    assert not window.inspector.duck_auto.isEnabled()
    middle = (automatic[1].time + automatic[2].time) / 2
    x = int(canvas.scale.x(float(middle)))
    qtbot.mouseDClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(x, duck_y(-12, lane)))
    added = document.project.ducking.keys.keys
    assert len(added) == len(automatic) + 1 and any(abs(k.value + 12) < 0.1 for k in added)
    window.inspector.duck_auto.click()
    assert not document.project.ducking.edited
    assert duck_keys(document.project).keys == automatic


def test_noise_reduction_is_set_in_the_inspector_and_made_in_the_background(
    qtbot: Any, tmp_path: Path
) -> None:
    from studio.analysis.denoise import made_cleaned_sounds

    window = open_window(qtbot, load_project(_edit(tmp_path)))
    voice = next(t for t in window.document.project.layers if t.role == "voice")
    clip = next(i for i in voice.items if isinstance(i, Clip))
    window.timeline.select(clip.id)
    box = window.inspector.timing.denoise
    assert window.inspector.sections["Audio"].isVisible() and box.isEnabled()
    box.setValue(0.6)
    project = window.document.project
    assert next(i for t in project.layers for i in t.items if i.id == clip.id).denoise == 0.6
    qtbot.waitUntil(lambda: bool(made_cleaned_sounds(window.document.project)), timeout=60000)
    window.document.undo_stack.undo()
    project = window.document.project
    assert next(i for t in project.layers for i in t.items if i.id == clip.id).denoise == 0.0


def test_the_audio_browser_plays_and_adds_sound_effects(qtbot: Any, tmp_path: Path) -> None:
    from studio.render.sfx import LIBRARY

    window = open_window(qtbot, load_project(_edit(tmp_path)))
    browser = window.browsers["audio"]
    sounds = [tile for tile in browser.tiles if tile.sound]
    assert len(sounds) == len(LIBRARY) >= 25
    browser.filter("whoosh")
    assert "Whoosh" in browser.shown_titles() and "Ding" not in browser.shown_titles()
    with qtbot.waitSignal(window.sound_preview.heard, timeout=20000) as heard:
        browser.pointed.emit("sound:ding")  # the pointer rests on the Ding tile
    assert Path(heard.args[0]).name == "ding.wav" and Path(heard.args[0]).stat().st_size > 1000
    window.timeline.set_playhead(2.0)
    window.tile_edits.use(next(tile for tile in sounds if tile.sound == "pop"))

    def popped() -> bool:
        tracks = window.document.project.layers
        return any(
            i.media.name == "pop.wav" for t in tracks for i in t.items if isinstance(i, Clip)
        )

    qtbot.waitUntil(popped, timeout=20000)
    track = next(t for t in window.document.project.layers if t.role == "effects" and t.clips)
    laid = [(item, start) for item, start, _ in track.ranges() if isinstance(item, Clip)]
    assert any(item.media.name == "pop.wav" and start == 2 for item, start in laid)


def test_read_aloud_lays_a_reading_on_a_voice_track(
    qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from studio.gui import reading_dialog

    monkeypatch.setattr(reading_dialog.ReadingDialog, "exec", lambda self: True)
    monkeypatch.setattr(
        reading_dialog.ReadingDialog, "reading", lambda self: ("Link in bio.", "uk", 1.1)
    )
    window = open_window(qtbot, load_project(_edit(tmp_path)))
    before = sum(len(t.items) for t in window.document.project.layers if t.role == "voice")
    window.tile_edits.use(
        next(t for t in window.browsers["audio"].tiles if t.run == "choose_reading")
    )

    def read() -> list[Clip]:
        tracks = window.document.project.layers
        return [
            i for t in tracks for i in t.items if isinstance(i, Clip) and "tts-link" in i.media.name
        ]

    qtbot.waitUntil(lambda: bool(read()), timeout=20000)
    assert read()[0].speech  # a reading ducks the music like any voice
    assert sum(len(t.items) for t in window.document.project.layers if t.role == "voice") > before


def test_a_voice_over_is_recorded_while_the_edit_plays(qtbot: Any, tmp_path: Path) -> None:
    """With the test tone standing in for a microphone (machines without one): after the
    count-in the edit plays, and the take lands on a voice track where the playhead was."""
    from fractions import Fraction

    from studio.gui.voice_dialog import TONE
    from tests.helpers import mono_sound

    window = open_window(qtbot, load_project(_edit(tmp_path)))
    window.document.path = tmp_path / "duck.studio.json"
    window.show_time(Fraction(1))
    dialog = window.record_voice_over()
    dialog.source.setCurrentIndex(dialog.source.findText(TONE))
    dialog.count_in.setCurrentText("None")
    before = {i.id for t in window.document.project.layers for i in t.items}
    dialog.button.click()
    assert dialog.recording is not None and window.player.playing
    qtbot.wait(1500)
    dialog.button.click()  # stop
    assert not window.player.playing

    def taken() -> list[tuple[Clip, Fraction]]:
        project = window.document.project
        return [
            (item, start)
            for track in project.layers
            if track.role == "voice"
            for item, start, _ in track.ranges()
            if isinstance(item, Clip) and item.id not in before
        ]

    qtbot.waitUntil(lambda: bool(taken()), timeout=20000)
    clip, start = taken()[0]
    assert start == 1 and dialog.taken >= 1.4  # where recording began; at least the wait
    assert abs(float(clip.duration) - dialog.taken) < 0.15, (clip.duration, dialog.taken)
    assert clip.media.path.endswith(".wav") and Path(clip.media.path).parent.name == "takes"
    assert not list(Path(clip.media.path).parent.glob("*.mka"))  # the recorded part is gone
    sound = mono_sound(Path(clip.media.path))
    assert np.sqrt(np.mean(sound**2)) > 0.05  # the tone was recorded
    assert abs(len(sound) / 48000 - dialog.taken) < 0.1  # all of it, and only it


def test_volume_keys_are_drawn_on_the_waveform_and_dragged(qtbot: Any, tmp_path: Path) -> None:
    from fractions import Fraction

    from studio.gui.qt import QPoint, Qt
    from studio.gui.timeline.lanes import volume_at_y, volume_y
    from studio.gui.timeline.paint import COLORS
    from studio.model import arrange
    from studio.model.keys import Key, Keys

    project = load_project(_edit(tmp_path))
    voice = next(i for t in project.layers for i in t.items if isinstance(i, Clip))
    keys = Keys((Key(Fraction(0), 1.0), Key(Fraction(2), 0.5)))
    project = arrange.edit_item(project, voice.id, volume_keys=keys)
    window = open_window(qtbot, project)
    canvas = window.timeline
    canvas.select(voice.id)
    lane = next(lane for lane in canvas.lanes if lane.role == "voice")
    x = int(canvas.scale.x(1 + 2))  # the key 2 s into the clip, which starts at 1 s
    y = volume_y(0.5, lane)
    image = canvas.grab().toImage()
    want = COLORS["volume"].getRgb()[:3]
    assert any(image.pixelColor(x, row).getRgb()[:3] == want for row in range(y - 2, y + 3))
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    for row in [*range(y, volume_y(1.5, lane), -2), volume_y(1.5, lane)]:  # up, to 1.5
        qtbot.mouseMove(canvas, QPoint(x, row))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(x, volume_y(1.5, lane)))

    def key_value() -> float:
        found = arrange.item(window.document.project, voice.id)
        assert isinstance(found, Clip)
        return found.volume_keys.keys[1].value

    assert abs(key_value() - volume_at_y(volume_y(1.5, lane), lane)) < 0.01
    assert abs(key_value() - 1.5) <= 0.1
    window.document.undo_stack.undo()  # the whole drag is one step
    assert key_value() == 0.5


def test_the_voice_over_counts_in_and_the_count_in_can_be_cancelled(
    qtbot: Any, tmp_path: Path
) -> None:
    from studio.gui.voice_dialog import TONE

    window = open_window(qtbot, load_project(_edit(tmp_path)))
    window.document.path = tmp_path / "duck.studio.json"
    dialog = window.record_voice_over()
    dialog.source.setCurrentIndex(dialog.source.findText(TONE))
    dialog.count_in.setCurrentText("3 s")
    dialog.button.click()
    assert dialog.recording is None and not window.player.playing
    assert dialog.status.text() == "Recording in 3..." and dialog.button.text() == "Cancel"
    dialog.button.click()  # cancel
    assert dialog.button.text() == "Record" and not dialog.countdown.counting
    dialog.button.click()
    qtbot.waitUntil(lambda: dialog.recording is not None, timeout=6000)  # after 3 s
    assert window.player.playing and dialog.button.text() == "Stop"
    dialog.button.click()
    assert dialog.recording is None and not window.player.playing


def test_a_track_s_gain_is_set_from_its_header(
    qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from studio.gui.timeline import headers as header_module

    window = open_window(qtbot, load_project(_edit(tmp_path)))
    headers = window.timeline_panel.headers
    lane = next(lane for lane in headers.lanes if lane.role == "voice")
    monkeypatch.setattr(header_module.QInputDialog, "getDouble", lambda *args: (-6.0, True))
    headers.ask_gain(lane)  # what the header's right-click menu offers
    track = next(t for t in window.document.project.layers if t.role == "voice")
    assert track.gain_db == -6.0 and headers.gain_of(lane) == -6.0
    window.document.undo_stack.undo()
    assert next(t for t in window.document.project.layers if t.role == "voice").gain_db == 0.0


def test_a_take_is_punched_in_over_the_selected_one(qtbot: Any, tmp_path: Path) -> None:
    """Punched in at the playhead (3 s) inside the voice at 1-4.27 s: the edit plays from
    2 s before it, and the new take, past the pre-roll it recorded, replaces the old one from
    3 s for as long as it recorded; the old take's parts before and after stay."""
    from fractions import Fraction

    from studio.gui.voice_dialog import TONE

    window = open_window(qtbot, load_project(_edit(tmp_path)))
    window.document.path = tmp_path / "duck.studio.json"
    old = next(i for t in window.document.project.layers if t.role == "voice" for i in t.items
               if isinstance(i, Clip))  # fmt: skip
    end = window.document.project.layers[0].range_of(old.id)[1]
    window.timeline.select(old.id)
    window.show_time(Fraction(3))
    dialog = window.record_voice_over()
    assert dialog.punch.isEnabled()
    dialog.punch.setChecked(True)
    dialog.source.setCurrentIndex(dialog.source.findText(TONE))
    dialog.count_in.setCurrentText("None")
    dialog.button.click()
    # the pre-roll: the edit plays from 1 s, 2 s before the punch-in, not from the playhead
    qtbot.waitUntil(lambda: window.timeline.playhead < 2.5, timeout=5000)
    # a second past the pre-roll, however long a loaded machine takes to start recording
    qtbot.waitUntil(lambda: dialog.recording is not None and dialog.recording.seconds > 3.0,
                    timeout=15000)  # fmt: skip
    dialog.button.click()

    def voices() -> list[tuple[Clip, Fraction, Fraction]]:
        tracks = window.document.project.layers
        return [(i, s, e) for t in tracks if t.role == "voice" for i, s, e in t.ranges()
                if isinstance(i, Clip)]  # fmt: skip

    qtbot.waitUntil(lambda: len(voices()) > 1, timeout=20000)
    (head, _, cut), (new, start, out), *tail = voices()
    assert head.id == old.id and head.source_in == old.source_in and cut == 3
    assert start == 3 and new.source_in == 2  # from the punch-in, past the pre-roll
    assert new.media.path.endswith(".wav") and abs(float(out - start) - (dialog.taken - 2)) < 0.1
    assert bool(tail) == (out < end - Fraction(1, 30))  # the old take after it, where it was
    if tail:
        (rest, after, until), *_ = tail
        assert after == out and until == end and rest.id != old.id
        assert rest.source_in == old.source_in + (out - 1) and rest.media == old.media
    window.document.undo_stack.undo()
    assert [c.id for c, _, _ in voices()] == [old.id]


def test_a_punch_keeps_the_old_take_around_it() -> None:
    """Punched in from 2 s for 1 s over a take at 1-5 s: old 1-2 s, new 2-3 s, old 3-5 s
    (its fades and volume keys where they were); from the take's start over it all: one."""
    from dataclasses import replace
    from fractions import Fraction as F

    from studio.model.arrange import place, punched_in
    from studio.model.clip import MediaRef
    from studio.model.keys import Key, Keys
    from studio.model.timeline import Project

    def sound(name: str, seconds: int) -> Clip:
        media = MediaRef(f"/{name}.wav", F(seconds), has_video=False, has_audio=True)
        return Clip(media, F(0), F(seconds))

    keys = Keys((Key(F(0), 1.0), Key(F(4), 0.0)))
    old = replace(sound("old", 4), fade_in=F(1, 2), fade_out=F(1, 2), volume_keys=keys)
    project, _ = place(Project(), old, F(1), role="voice")
    take = sound("take", 3)  # 2 s of pre-roll, then 1 s
    laid = [(i, s, e) for i, s, e in punched_in(project, old.id, take, F(2), F(2)).layers[0]
            .ranges() if isinstance(i, Clip)]  # fmt: skip
    assert [(s, e) for _, s, e in laid] == [(1, 2), (2, 3), (3, 5)]
    (head, _, _), (new, _, _), (rest, _, _) = laid
    assert head.id == old.id and head.fade_in == F(1, 2) and head.fade_out == 0
    assert new.media.path == "/take.wav" and (new.source_in, new.source_out) == (2, 3)
    assert rest.source_in == 2 and rest.fade_in == 0 and rest.fade_out == F(1, 2)
    assert rest.volume_keys.keys[0].value == 0.5  # the level it had there
    whole = punched_in(project, old.id, sound("long", 9), F(2)).layers[0]
    assert [(s, e) for i, s, e in whole.ranges() if isinstance(i, Clip)] == [(1, 5)]
