"""Playback with sound in the preview: the sound card's clock is the master, pictures follow it.

A 4 ms timer on the GUI thread tops up the sound device from the feed, reads the clock and
shows the newest frame that is due (older due frames are dropped, counted). With no sound
device (a headless machine, a server) or at a speed other than 1x (muted), a monotonic system
clock stands in. Playback starts once the first frame and a fifth of a second of sound are
ready (pre-roll), so the first frame and the first sound leave together.
"""

from __future__ import annotations

import math
import queue
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol

from studio.app.playback import frame_count
from studio.gui.feed import BYTES_PER_SECOND, Feed, Picture
from studio.gui.preview import PREVIEW_SIZE, PreviewView
from studio.gui.qt import QObject, Qt, QTimer, Signal, multimedia
from studio.model.timeline import Project

TICK_MS = 4
PREROLL_SECONDS = 0.2
SINK_BUFFER_SECONDS = 0.1


class Clock(Protocol):
    def begin(self) -> None: ...
    def seconds(self) -> float: ...
    def top_up(self, feed: Feed) -> None: ...
    def close(self) -> None: ...


class SystemClock:
    """Seconds since `begin()`, times the playback speed."""

    def __init__(self, rate: float = 1.0) -> None:
        self.rate, self.origin = rate, 0.0

    def begin(self) -> None:
        self.origin = time.monotonic()

    def seconds(self) -> float:
        return (time.monotonic() - self.origin) * self.rate if self.origin else 0.0

    def top_up(self, feed: Feed) -> None:
        pass

    def close(self) -> None:
        pass


class SoundClock:
    """Seconds of sound the device has taken (QAudioSink in push mode)."""

    def __init__(self, device: Any) -> None:
        qt = multimedia()
        sound = qt.QAudioFormat()
        sound.setSampleRate(48000)
        sound.setChannelCount(2)
        sound.setSampleFormat(qt.QAudioFormat.SampleFormat.Int16)
        self.sink = qt.QAudioSink(device, sound)
        self.sink.setBufferSize(int(SINK_BUFFER_SECONDS * BYTES_PER_SECOND))
        self.device: Any = None

    def begin(self) -> None:
        self.device = self.sink.start()

    def seconds(self) -> float:
        return float(self.sink.processedUSecs()) / 1e6

    def top_up(self, feed: Feed) -> None:
        if self.device is None:
            return
        free = self.sink.bytesFree()
        if free > 0:
            chunk = feed.take_audio(free)
            if chunk:
                self.device.write(chunk)

    def close(self) -> None:
        self.sink.stop()


def sound_device() -> Any:
    """The default sound output, or None where there is none (then the system clock runs)."""
    device = multimedia().QMediaDevices.defaultAudioOutput()
    return None if device.isNull() else device


@dataclass
class Stats:
    """What one playback did: frames shown and dropped, how far each shown frame was from the
    clock (seconds, positive = late), and how long the first frame took."""

    shown: int = 0
    dropped: int = 0
    offsets: list[float] = field(default_factory=list)
    first_frame: float = 0.0
    clock: str = ""
    clock_start: float = 0.0  # seconds from the first frame until the clock moved (the device
    # latency: tens of ms on sound cards, up to 2 s on PulseAudio's virtual null sink)


class Player(QObject):
    """Plays the edit into a PreviewView. `position` reports each frame shown (seconds)."""

    position = Signal(float)
    running = Signal(bool)  # playback started (True) or stopped (False)
    ended = Signal()
    failed = Signal(str)

    def __init__(self, view: PreviewView, sound: bool = True) -> None:
        super().__init__()
        self.view, self.sound = view, sound
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.feed: Feed | None = None
        self.project: Project | None = None  # what is playing
        self.clock: Clock = SystemClock()
        self.stats = Stats()
        self.fps, self.start, self.rate = 30, 0, 1.0
        self.started = False
        self.pending: Picture | None = None
        self.finished_feed = False
        self.asked = 0.0

    @property
    def playing(self) -> bool:
        return self.feed is not None

    def play(self, project: Project, at: Fraction, rate: float = 1.0) -> None:
        """Play from `at` (seconds in the edit) at `rate` (1 with sound; faster is muted)."""
        self.stop()
        self.fps = project.canvas.fps
        last = frame_count(project) - 1
        if last < 0:
            return
        self.start = min(max(0, math.floor(at * self.fps)), last)
        self.project = project
        self.rate = rate
        device = sound_device() if self.sound and rate == 1 else None
        self.clock = SoundClock(device) if device is not None else SystemClock(rate)
        self.stats = Stats(clock="sound" if device is not None else "system")
        self.feed = Feed(project, self.start, PREVIEW_SIZE, sound=device is not None)
        self.started, self.pending, self.finished_feed = False, None, False
        self.asked = time.monotonic()
        self.feed.open()
        self.timer.start()
        self.running.emit(True)

    def stop(self) -> None:
        if self.feed is None:
            return
        self.timer.stop()
        self.feed.close()
        self.clock.close()
        self.feed = None
        self.running.emit(False)

    def _tick(self) -> None:
        feed = self.feed
        if feed is None:
            return
        if not self.started:
            self._preroll(feed)
            return
        self.clock.top_up(feed)
        elapsed = self.clock.seconds()
        if elapsed and not self.stats.clock_start:
            self.stats.clock_start = time.monotonic() - self.asked - self.stats.first_frame
        now = self.start / self.fps + elapsed
        picture, dropped = self._due(feed, math.floor(now * self.fps + 1e-6))
        self.stats.dropped += dropped
        if picture is not None:
            self._show(picture, now)
        if self.finished_feed and self.pending is None:
            self._end(feed)

    def _preroll(self, feed: Feed) -> None:
        if self.pending is None:
            self.pending = self._next(feed)
        if feed.error and self.pending is None:
            self._end(feed)
            return
        sound_ready = feed.audio_done or feed.audio_seconds() >= PREROLL_SECONDS
        if self.pending is not None and sound_ready:
            self.started = True
            self.stats.first_frame = time.monotonic() - self.asked
            self.clock.top_up(feed)
            self.clock.begin()
            self._show(self.pending, self.start / self.fps)
            self.pending = None

    def _next(self, feed: Feed) -> Picture | None:
        try:
            picture = feed.pictures.get_nowait()
        except queue.Empty:
            return None
        if picture is None:
            self.finished_feed = True
        return picture

    def _due(self, feed: Feed, frame_now: int) -> tuple[Picture | None, int]:
        """The newest picture due at `frame_now`, and how many due ones it skipped."""
        shown: Picture | None = None
        dropped = 0
        while True:
            if self.pending is None and not self.finished_feed:
                self.pending = self._next(feed)
            if self.pending is None or self.pending.index > frame_now:
                return shown, dropped
            dropped += shown is not None
            shown, self.pending = self.pending, None

    def _show(self, picture: Picture, now: float) -> None:
        self.view.set_image(picture.image)
        self.stats.shown += 1
        self.stats.offsets.append(now - picture.index / self.fps)
        self.position.emit(picture.index / self.fps)

    def _end(self, feed: Feed) -> None:
        error = feed.error
        self.stop()
        if error:
            self.failed.emit(error)
        else:
            self.ended.emit()
