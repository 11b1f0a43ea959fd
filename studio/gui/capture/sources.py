"""What a take is recorded from: a feed is a live source the record screen previews and records
segment by segment.

- TestFeed: the built-in test pattern (colour bars, a moving square), sent frame by frame
  through QVideoFrameInput on the system clock, with the test tone (QAudioBufferInput), a
  microphone, or no sound: so a machine with no camera records real takes through the real
  recorder. It can pose as a front camera (its preview is then mirrored).
- DeviceFeed: a camera (QCamera, in a format the camera offers) or a screen (QScreenCapture),
  with a microphone (QAudioInput) or none: one capture session stays live for the preview; each
  segment is a new QMediaRecorder on it.

A front camera's preview is mirrored (what creators expect to see); the recording is not,
unless they ask (the take is then flipped when the segments are joined).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.errors import MediaError
from studio.gui.capture.recorder import Codec, DeviceSegment, Recording
from studio.gui.qt import multimedia

TONE = "tone"  # the test source's own sound, in place of a microphone id
TONE_HZ = 440.0
BARS = ((235, 235, 235), (235, 235, 16), (16, 235, 235), (16, 235, 16), (235, 16, 235),
        (235, 16, 16), (16, 16, 235))  # fmt: skip


@dataclass(frozen=True)
class Choice:
    """What to record: video is "test", "camera" or "screen"; device is the camera's id or the
    screen's number ("" for the default camera); sound is TONE, a microphone id ("" for the
    default microphone) or None for no sound."""

    video: str = "test"
    device: str = ""
    sound: str | None = TONE
    size: tuple[int, int] = (720, 1280)  # test pattern, and the camera format wanted
    fps: int = 30
    front: bool = False  # the test pattern posing as a front camera
    mirror: bool = False  # flip the recording too


def open_feed(choice: Choice) -> TestFeed | DeviceFeed:
    if choice.video == "test":
        return TestFeed(choice)
    if choice.video in ("camera", "screen"):
        return DeviceFeed(choice)
    raise MediaError(f"cannot record from {choice.video!r} (test, camera or screen)")


def ident(device: Any) -> str:
    """A camera's or microphone's id as text (what `studio devices` shows)."""
    return bytes(device.id().data()).decode(errors="replace")


def microphone(wanted: str) -> Any:
    """The microphone with this id ("" for the system's default)."""
    QMediaDevices = multimedia().QMediaDevices
    if not wanted:
        default = QMediaDevices.defaultAudioInput()
        if default.isNull():
            raise MediaError("there is no microphone: record with no sound (--no-mic)")
        return default
    for device in QMediaDevices.audioInputs():
        if ident(device) == wanted:
            return device
    raise MediaError(f"no microphone {wanted!r} (studio devices lists them)")


def camera(wanted: str) -> Any:
    """The camera with this id ("" for the system's default)."""
    QMediaDevices = multimedia().QMediaDevices
    if not wanted:
        default = QMediaDevices.defaultVideoInput()
        if default.isNull():
            raise MediaError(
                "there is no camera: record a screen (--screen) or the test pattern (--source test)"
            )
        return default
    for device in QMediaDevices.videoInputs():
        if ident(device) == wanted:
            return device
    raise MediaError(f"no camera {wanted!r} (studio devices lists them)")


def best_format(device: Any, size: tuple[int, int], fps: int) -> Any:
    """The camera format closest to the size asked (either way round) and then to the frame
    rate; a camera that offers no formats gets its own default (None)."""
    formats = list(device.videoFormats())
    if not formats:
        return None
    wanted = max(size) * min(size)

    def distance(found: Any) -> tuple[float, float]:
        width, height = found.resolution().width(), found.resolution().height()
        rate = found.maxFrameRate()
        return (abs(width * height - wanted) / wanted, abs(rate - fps) if rate >= fps - 1 else 99)

    return min(formats, key=distance)


def permission_problem(kind: str) -> str | None:
    """Why the camera or microphone cannot be used (the system's privacy settings), or None.
    Asks the system the first time (on macOS a prompt; elsewhere access is granted)."""
    from studio.gui.qt import QCoreApplication, Qt, permission as make_permission

    app = QCoreApplication.instance()
    wanted = make_permission(kind)
    if app is None or wanted is None:
        return None
    status = app.checkPermission(wanted)
    if status == Qt.PermissionStatus.Undetermined:
        # The system's prompt; the next try sees the answer.
        app.requestPermission(wanted, lambda *_: None)  # type: ignore[call-overload]
        return f"allow studio to use the {kind} in the system's prompt, then try again"
    if status == Qt.PermissionStatus.Denied:
        return denied_message(kind)
    return None


def denied_message(kind: str) -> str:
    where = "Privacy & Security" if sys.platform == "darwin" else "privacy settings"
    return (
        f"studio is not allowed to use the {kind}: turn it on in the system's {where} "
        f"({kind.capitalize()}), then try again"
    )


class TestSource:
    """Colour bars, a white square moving across them, and a 440 Hz tone."""

    def __init__(self, width: int, height: int, fps: int) -> None:
        self.width, self.height, self.fps, self.rate = width, height, fps, 48000
        self.base: Any = None  # the bars, drawn on first use

    def picture(self, index: int) -> Any:
        """Frame `index` as BGRA: the bars (drawn once) with the square where it is now."""
        frame = self._bars().copy()
        side = max(8, self.width // 8)
        x = (index * 4) % max(1, self.width - side)
        y = self.height // 2 - side // 2
        frame[y : y + side, x : x + side, :3] = 255
        return frame

    def _bars(self) -> Any:
        import numpy as np

        if self.base is None:
            self.base = np.zeros((self.height, self.width, 4), np.uint8)
            stripe = -(-self.width // len(BARS))
            for number, (red, green, blue) in enumerate(BARS):
                self.base[:, number * stripe : (number + 1) * stripe, :3] = (blue, green, red)
            self.base[:, :, 3] = 255
        return self.base

    def sound(self, index: int) -> bytes:
        import numpy as np

        count = self.rate // self.fps
        times = (np.arange(count) + index * count) / self.rate
        return bytes((np.sin(2 * np.pi * TONE_HZ * times) * 8000).astype("<i2").tobytes())


class TestFeed:
    """The test pattern, with the tone, a microphone or no sound."""

    def __init__(self, choice: Choice) -> None:
        self.choice = choice
        self.source = TestSource(*choice.size, choice.fps)
        self.front = choice.front
        self.mic = None if choice.sound in (None, TONE) else microphone(choice.sound)
        self.problems: list[str] = []

    def record(self, target: Path, codec: Codec) -> Recording:
        return Recording(self.source, target, codec, self.choice.sound is not None, self.mic)

    def picture(self, segment: Recording | None) -> Any:
        """The frame to preview now (BGRA pixels)."""
        return self.source.picture(0 if segment is None else max(0, segment.sent - 1))

    def describe(self) -> str:
        named = {None: "no sound", TONE: "the test tone"}.get(self.choice.sound)
        return f"test pattern and {named or (self.mic and self.mic.description())}"

    def close(self) -> None:
        pass


class DeviceFeed:
    """A camera or a screen, with a microphone or none: one live session for the preview."""

    def __init__(self, choice: Choice) -> None:
        qt = multimedia()
        self.choice, self.front = choice, False
        self.problems: list[str] = []
        self.session = qt.QMediaCaptureSession()
        self.source = self._camera(choice) if choice.video == "camera" else self._screen(choice)
        self.source.errorOccurred.connect(lambda *error: self.problems.append(str(error[-1])))
        self.mic = None
        if choice.sound is not None:
            self.mic = qt.QAudioInput(microphone(choice.sound))
            self.session.setAudioInput(self.mic)
        self.sink = qt.QVideoSink()
        self.session.setVideoSink(self.sink)
        self.shown = -1  # the start time of the frame last previewed
        self.source.setActive(True)

    def _camera(self, choice: Choice) -> Any:
        qt = multimedia()
        device = camera(choice.device)
        found = qt.QCamera(device)
        form = best_format(device, choice.size, choice.fps)
        if form is not None:
            found.setCameraFormat(form)
        self.front = device.position() == qt.QCameraDevice.Position.FrontFace
        self.name = device.description()
        self.session.setCamera(found)
        return found

    def _screen(self, choice: Choice) -> Any:
        from studio.gui.qt import QGuiApplication

        screens = QGuiApplication.screens()
        number = int(choice.device or 0)
        if not 0 <= number < len(screens):
            raise MediaError(f"no screen {number} (there are {len(screens)}: studio devices)")
        found = multimedia().QScreenCapture()
        found.setScreen(screens[number])
        self.name = f"screen {number}"
        self.session.setScreenCapture(found)
        return found

    def record(self, target: Path, codec: Codec) -> DeviceSegment:
        return DeviceSegment(self.session, target, codec)

    def picture(self, segment: Any = None) -> Any:
        """The newest frame as a QImage; None before the first and when no new frame came
        since the last call (converting a frame is the costly part of the preview)."""
        frame = self.sink.videoFrame()
        if not frame.isValid() or frame.startTime() == self.shown:
            return None
        self.shown = frame.startTime()
        return frame.toImage()

    def describe(self) -> str:
        return f"{self.name} and {self.mic.device().description() if self.mic else 'no sound'}"

    def close(self) -> None:
        self.source.setActive(False)


def record_take(
    feed: TestFeed | DeviceFeed, output: Path, seconds: float, segments: int = 1
) -> Path:
    """Record `seconds` from `feed` (in `segments` equal parts, as a creator would with
    start/stop) on the system clock, and join the parts into `output`. Ctrl+C stops early and
    keeps what was recorded. A QGuiApplication must exist."""
    from studio.gui.capture.recorder import best_codec
    from studio.io.capture import join

    output = output.absolute()
    codec = best_codec()
    parts: list[tuple[Path, float]] = []
    try:
        for number in range(segments):
            part = output.with_name(f"{output.stem}.part{number + 1}.mkv")  # kept if killed
            segment = feed.record(part, codec)
            stopped = _run(feed, segment, seconds / segments)
            parts.append((part, segment.seconds))
            if stopped:
                break
        return join(parts, output, feed.choice.mirror)
    finally:
        feed.close()
        for part, _ in parts:
            part.unlink(missing_ok=True)


def _run(feed: TestFeed | DeviceFeed, segment: Any, seconds: float) -> bool:
    """Record one segment for `seconds`; True when Ctrl+C stopped it early."""
    import time

    from studio.gui.qt import QCoreApplication

    app: Any = QCoreApplication.instance()
    start, interrupted = time.monotonic(), False
    try:
        while not segment.done(time.monotonic() - start, seconds):
            segment.tick(time.monotonic() - start, seconds)
            app.processEvents()
            time.sleep(0.002)
            if segment.error or feed.problems:
                raise MediaError(f"the recording failed: {segment.error or feed.problems[0]}")
    except KeyboardInterrupt:
        interrupted = True
    segment.stop()
    while not segment.stopped:
        app.processEvents()
        time.sleep(0.002)
    if not segment.seconds:
        raise MediaError("nothing was recorded", str(segment.target))
    return interrupted
