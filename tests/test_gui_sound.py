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
    from studio.gui.timeline.lanes import bed_lane
    from studio.gui.timeline.paint import DUCK_SCALE

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
    """Punched in over the voice at 1 s: the edit plays from 2 s before it (here from 0), and
    the new take replaces the old one from its start, skipping the pre-roll it recorded."""
    from fractions import Fraction

    from studio.gui.voice_dialog import TONE

    window = open_window(qtbot, load_project(_edit(tmp_path)))
    window.document.path = tmp_path / "duck.studio.json"
    old = next(i for t in window.document.project.layers if t.role == "voice" for i in t.items
               if isinstance(i, Clip))  # fmt: skip
    window.timeline.select(old.id)
    window.show_time(Fraction(5))  # a punch-in plays from before the take, not the playhead
    dialog = window.record_voice_over()
    assert dialog.punch.isEnabled()
    dialog.punch.setChecked(True)
    dialog.source.setCurrentIndex(dialog.source.findText(TONE))
    dialog.count_in.setCurrentText("None")
    dialog.button.click()
    # the pre-roll: the edit plays from 0 (the take starts at 1 s), not from the playhead's 5 s
    qtbot.waitUntil(lambda: window.timeline.playhead < 3.0, timeout=5000)
    qtbot.wait(2000)
    dialog.button.click()

    def voices() -> list[tuple[Clip, Fraction]]:
        tracks = window.document.project.layers
        return [(i, s) for t in tracks if t.role == "voice" for i, s, _ in t.ranges()
                if isinstance(i, Clip)]  # fmt: skip

    qtbot.waitUntil(lambda: all(clip.id != old.id for clip, _ in voices()), timeout=20000)
    ((clip, start),) = voices()
    assert start == 1 and clip.source_in == 1  # from the take's own start, past the pre-roll
    assert clip.media.path.endswith(".wav") and float(clip.source_out) <= dialog.taken + 0.05
    window.document.undo_stack.undo()
    assert [c.id for c, _ in voices()] == [old.id]
