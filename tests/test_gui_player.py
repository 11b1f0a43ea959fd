"""Playback in the app: the composed edit plays in the preview in time, with J/K/L and seeks.

These run without a sound device (the system clock stands in, as on any headless machine); the
sound clock is exercised where a sound server is up (benchmarks/app_preview.py reports both).
"""

from __future__ import annotations

import sys
import threading
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from studio.gui.player import Player
from studio.gui.preview import PreviewView
from studio.io.probe import probe
from studio.model import edits
from studio.model.edits import clip_of
from studio.model.timeline import Project
from tests.factories import project
from tests.helpers import make_clip

COLOURS = ("red", "lime", "blue")


@pytest.fixture(scope="module")
def three_colours(tmp_path_factory: pytest.TempPathFactory) -> Project:
    folder = tmp_path_factory.mktemp("player")
    return project(
        *(
            clip_of(probe(make_clip(folder / f"{name}.mp4", 1, source=f"color=c={name}")))
            for name in COLOURS
        )
    )


def _colour(image: Any) -> str:
    pixel = image.pixelColor(image.width() // 2, image.height() // 2)
    channels = {"red": pixel.red(), "lime": pixel.green(), "blue": pixel.blue()}
    name = max(channels, key=lambda key: channels[key])
    assert channels[name] > 200 and sorted(channels.values())[1] < 60, channels
    return name


def test_the_player_shows_every_frame_in_order_in_time(qtbot: Any, three_colours: Project) -> None:
    view = PreviewView()
    qtbot.addWidget(view)
    player = Player(view, sound=False)
    seen: list[tuple[float, str]] = []
    player.position.connect(lambda at: seen.append((at, _colour(view.image))))
    with qtbot.waitSignal(player.ended, timeout=30000):
        player.play(three_colours, Fraction(1, 2))
    stats = player.stats
    assert stats.clock == "system" and stats.shown + stats.dropped == 75  # 0.5 s to 3 s
    times = [at for at, _ in seen]
    assert times == sorted(times) and times[0] == 0.5 and times[-1] == pytest.approx(89 / 30)
    for at, colour in seen:
        assert colour == COLOURS[int(at)]  # each second is its clip's colour
    late = sorted(stats.offsets)[len(stats.offsets) // 2]
    assert 0 <= late < 1 / 30  # the median frame is shown within a frame of its time
    assert not player.playing


def test_stopping_mid_way_stops_at_once(qtbot: Any, three_colours: Project) -> None:
    view = PreviewView()
    qtbot.addWidget(view)
    player = Player(view, sound=False)
    with qtbot.waitSignal(player.position, timeout=30000):
        player.play(three_colours, Fraction(0))
    player.stop()
    shown = player.stats.shown
    qtbot.wait(200)
    assert not player.playing and player.stats.shown == shown


def _window(qtbot: Any, edit: Project) -> Any:
    from studio.gui.document import Document
    from studio.gui.jobs import Jobs
    from studio.gui.main_window import MainWindow

    window = MainWindow(Document(edit), Jobs())
    window.player.sound = False
    qtbot.addWidget(window)
    return window


def test_space_plays_from_the_playhead_and_pauses(qtbot: Any, three_colours: Project) -> None:
    window = _window(qtbot, three_colours)
    window.show_time(Fraction(3, 2))
    window.play_pause()
    qtbot.waitUntil(lambda: window.timeline.playhead > 2.2, timeout=30000)
    window.play_pause()
    assert not window.player.playing
    stopped = window.timeline.playhead
    qtbot.wait(200)
    assert window.timeline.playhead == stopped and _colour(window.preview.view.image) == "blue"


def test_l_plays_faster_on_a_second_press_and_k_stops(qtbot: Any, three_colours: Project) -> None:
    window = _window(qtbot, three_colours)
    window.shuttle.press(1)
    window.shuttle.press(1)
    assert window.player.rate == 2 and window.shuttle.speed == 2
    qtbot.waitUntil(lambda: not window.player.playing, timeout=30000)  # 3 s at 2x
    assert window.timeline.playhead == pytest.approx(89 / 30)
    stats = window.player.stats
    assert stats.shown + stats.dropped == 90 and stats.clock == "system"  # muted faster than 1x
    assert sorted(stats.offsets)[len(stats.offsets) // 2] < 1 / 30  # on time at twice the rate


def test_j_plays_backward_in_still_frames(qtbot: Any, three_colours: Project) -> None:
    window = _window(qtbot, three_colours)
    window.show_time(Fraction(5, 2))
    window.shuttle.press(-1)
    window.shuttle.press(-1)  # 2x backward: reaches the start in 1.25 s
    qtbot.waitUntil(lambda: window.shuttle.speed == 0, timeout=30000)
    qtbot.waitUntil(window.preview.idle, timeout=30000)
    assert window.timeline.playhead == 0 and _colour(window.preview.view.image) == "red"


def test_a_seek_while_playing_plays_on_from_there(qtbot: Any, three_colours: Project) -> None:
    window = _window(qtbot, three_colours)
    window.play_pause()
    qtbot.waitUntil(lambda: window.player.stats.shown > 2, timeout=30000)
    window.show_time(Fraction(5, 2))
    assert window.player.playing and window.player.start == 75
    qtbot.waitUntil(lambda: not window.player.playing, timeout=30000)
    assert _colour(window.preview.view.image) == "blue"


def test_with_a_sound_device_the_sound_card_is_the_clock(
    qtbot: Any, three_colours: Project
) -> None:
    from studio.gui.player import sound_device

    if sound_device() is None:
        pytest.skip("no sound device here (.ci/run starts a null sink where it can)")
    view = PreviewView()
    qtbot.addWidget(view)
    player = Player(view)
    with qtbot.waitSignal(player.ended, timeout=30000):
        player.play(three_colours, Fraction(2))
    stats = player.stats
    assert stats.clock == "sound" and stats.shown + stats.dropped == 30
    assert sorted(stats.offsets)[len(stats.offsets) // 2] < 1 / 30


def test_once_the_edit_settles_seeks_come_from_the_scrub_cache(
    qtbot: Any, three_colours: Project
) -> None:
    window = _window(qtbot, three_colours)
    cache = window.preview.cache
    qtbot.waitUntil(lambda: cache.complete, timeout=30000)
    assert len(cache.frames) == 90 and cache.job is None
    window.show_time(Fraction(3, 2))  # no job: the frame is decoded on the spot
    assert window.preview.idle() and _colour(window.preview.view.image) == "lime"
    kept = list(cache.frames)
    window.document.apply("Delete clip", lambda edit: edit.with_clips(edit.main.clips[:2]))
    assert cache.frames == kept[:60] and cache.complete  # the frames before the change stay
    window.document.apply("Delete clip", lambda edit: edit.with_clips(edit.main.clips[1:]))
    assert cache.frames == kept[30:60] and cache.complete  # the lime clip's frames moved
    assert _colour(cache.image(window.document.project, 0)) == "lime"
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()  # red and blue come back: only theirs are rendered
    assert cache.frames == [None] * 30 + kept[30:60] + [None] * 30 and not cache.complete
    qtbot.waitUntil(lambda: cache.complete, timeout=30000)
    assert cache.frames[30:60] == kept[30:60] and None not in cache.frames
    project = window.document.project
    assert [_colour(cache.image(project, at)) for at in (0, 45, 89)] == list(COLOURS)
    kept = list(cache.frames)
    window.document.apply("Speed", edits.set_speed, project.main.clips[0].id, Fraction(2))
    assert cache.frames == [None] * 15 + kept[30:] and not cache.complete  # red is shorter
    qtbot.waitUntil(lambda: cache.complete, timeout=30000)
    assert len(cache.frames) == 75 and _colour(cache.image(window.document.project, 0)) == "red"


def test_playback_pauses_the_scrub_cache(qtbot: Any, three_colours: Project) -> None:
    window = _window(qtbot, three_colours)
    window.play_pause()
    qtbot.wait(800)  # longer than the settle time: still nothing is rendered while playing
    assert window.preview.cache.job is None and window.preview.cache.paused
    window.pause()
    assert not window.preview.cache.paused
    qtbot.waitUntil(lambda: window.preview.cache.complete, timeout=30000)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads states from /proc")
def test_playback_holds_the_programs_of_background_work(qtbot: Any, three_colours: Project) -> None:
    """A tile or an export running on the shared pool stops while the edit plays (the two
    cores are playback's) and carries on after."""
    from studio.io import children

    window = _window(qtbot, three_colours)
    running: list[Any] = []
    done = threading.Event()

    def background(task: Any) -> None:
        busy = children.start([sys.executable, "-c", "while True: pass"])
        running.append(busy)
        done.wait(60)
        busy.kill()
        busy.wait()
        children.forget(busy)

    window.jobs.run(background)
    qtbot.waitUntil(lambda: bool(running), timeout=10000)

    def state() -> str:
        return (
            Path(f"/proc/{running[0].pid}/stat")
            .read_text(encoding="utf-8")
            .rsplit(")", 1)[1]
            .split()[0]
        )

    try:
        window.play_pause()
        qtbot.waitUntil(lambda: state() == "T", timeout=5000)
        window.pause()
        qtbot.waitUntil(lambda: state() == "R", timeout=5000)
    finally:
        done.set()
        window.jobs.wait()


def test_tapping_b_while_playing_adds_beats_without_a_restart(
    qtbot: Any, three_colours: Project
) -> None:
    from studio.model.timeline import MediaRef, MusicTrack

    song = MediaRef("song.wav", Fraction(10), 0, 0, has_video=False, has_audio=True)
    window = _window(qtbot, replace(three_colours, music=MusicTrack(song)))
    window.play_pause()
    qtbot.waitUntil(lambda: window.timeline.playhead > 0.5, timeout=30000)
    start = window.player.start
    window.add_beat()
    qtbot.waitUntil(lambda: window.timeline.playhead > 1.2, timeout=30000)
    window.add_beat()
    added = window.document.project.music.grid.added
    assert len(added) == 2 and 0.5 < added[0] < added[1] and window.player.start == start
    window.pause()


def test_frames_that_look_the_same_stay_wherever_they_moved() -> None:
    from studio.gui.scrub import moved_frames
    from studio.model.arrange import add_transition
    from studio.model.timeline import BeatEffect, Captions, CaptionWord, Transition
    from tests.factories import sample_project

    edit = sample_project()  # slots of 75, 60 and 60 frames
    ids = [clip.id for clip in edit.main.clips]
    assert moved_frames(edit, edits.set_volume(edit, ids[2], 1.0)) == [(0, 0, 75), (75, 75, 60)]
    assert moved_frames(edit, edits.remove_clip(edit, ids[1])) == [(0, 0, 75), (75, 135, 60)]
    assert moved_frames(edit, edits.set_music_gain(edit, -9)) == [
        (0, 0, 75),
        (75, 75, 60),
        (135, 135, 60),
    ]  # sound only
    assert moved_frames(edit, edits.set_fps(edit, 60)) == []
    captioned = edits.set_captions(edit, Captions((CaptionWord(1, 2, "hi"),)))
    assert moved_frames(edit, captioned) == []  # captions span the edit
    later = edits.remove_clip(captioned, ids[1])  # captions follow the clock: nothing moves
    assert moved_frames(captioned, later) == [(0, 0, 75)]
    punched = edits.set_effects(edit, (BeatEffect("punch"),))
    assert moved_frames(punched, edits.add_beat(punched, Fraction(2))) == []  # punches move
    # A transition's frames need both clips and how each is read: only the third clip stays.
    joined = add_transition(edit, ids[0], Transition("dissolve", Fraction(1, 2)))
    assert moved_frames(edit, joined) == [(135, 135, 60)]
    both = add_transition(joined, ids[1], Transition("wipe-left", Fraction(1, 2)))
    assert moved_frames(joined, both) == [(0, 0, 68)]  # up to the first transition
    louder = edits.set_volume(both, ids[2], 1.0)
    assert moved_frames(both, louder) == [(0, 0, 68), (68, 68, 15), (83, 83, 45)]
