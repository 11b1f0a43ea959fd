"""Recording takes with QtMultimedia: a source (camera and microphone, a screen, or the built-in
test pattern and tone) into segments, joined into one take.

Each segment is recorded by QMediaRecorder into Matroska (a recording cut short by a crash or
an unplugged device stays playable up to its last written cluster) with the best codec the
platform's Qt encodes: H.264 where it has one (Media Foundation on Windows, VideoToolbox on
macOS), else MPEG-4 Part 2 at the highest quality (the Linux wheels); the export re-encodes
anyway. "Done" joins the segments without re-encoding (ffmpeg's concat demuxer, which also
starts the take at zero) into an MP4 whose name never collides with an existing file.

A screen is recorded the same way (QScreenCapture; it works offscreen too), for the asked time
on the system clock. The test source draws colour bars with a moving white square and a 440 Hz
tone, sent frame by frame through QVideoFrameInput / QAudioBufferInput into the same recorder a
camera uses, on the system clock: so a machine with no camera or sound card records real takes.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.errors import MediaError, StudioError
from studio.gui.qt import multimedia

TONE = 440.0
RATE = 48000
BARS = ((235, 235, 235), (235, 235, 16), (16, 235, 235), (16, 235, 16), (235, 16, 235),
        (235, 16, 16), (16, 16, 235))  # fmt: skip


@dataclass(frozen=True)
class Codec:
    name: str  # "H264" or "MPEG4"
    why: str  # what the UI says about it


def best_codec() -> Codec:
    """H.264 when this Qt can encode it to Matroska, else MPEG-4 Part 2."""
    QMediaFormat = multimedia().QMediaFormat

    found = QMediaFormat(QMediaFormat.FileFormat.Matroska)
    codecs = found.supportedVideoCodecs(QMediaFormat.ConversionMode.Encode)
    if QMediaFormat.VideoCodec.H264 in codecs:
        return Codec("H264", "H.264 (the system's encoder)")
    return Codec(
        "MPEG4", "MPEG-4 Part 2 (this Qt has no H.264 encoder here; the export re-encodes)"
    )


def next_free(folder: Path, stem: str, ending: str) -> Path:
    """folder/stem-001.ending, -002, ...: the first name not taken."""
    folder.mkdir(parents=True, exist_ok=True)
    number = 1
    while (target := folder / f"{stem}-{number:03d}{ending}").exists():
        number += 1
    return target


class TestSource:
    """Colour bars, a white square moving across them, and a 440 Hz tone."""

    def __init__(self, width: int, height: int, fps: int) -> None:
        self.width, self.height, self.fps = width, height, fps
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

        count = RATE // self.fps
        times = (np.arange(count) + index * count) / RATE
        return bytes((np.sin(2 * np.pi * TONE * times) * 8000).astype("<i2").tobytes())


class Recording:
    """One segment being recorded from the test source (QMediaRecorder into Matroska)."""

    def __init__(self, source: TestSource, target: Path, codec: Codec, sound: bool) -> None:
        from studio.gui.qt import QUrl

        qt = multimedia()
        QAudioBufferInput, QMediaCaptureSession = qt.QAudioBufferInput, qt.QMediaCaptureSession
        QMediaFormat, QMediaRecorder = qt.QMediaFormat, qt.QMediaRecorder
        QVideoFrameInput = qt.QVideoFrameInput

        self.source, self.target, self.sound = source, target, sound
        self.session = QMediaCaptureSession()
        self.video = QVideoFrameInput()  # no format given: Qt 6.11 rejects frames otherwise
        self.session.setVideoFrameInput(self.video)
        self.audio = QAudioBufferInput() if sound else None
        if self.audio is not None:
            self.session.setAudioBufferInput(self.audio)
        self.recorder = QMediaRecorder()
        self.session.setRecorder(self.recorder)
        wanted = QMediaFormat(QMediaFormat.FileFormat.Matroska)
        wanted.setVideoCodec(getattr(QMediaFormat.VideoCodec, codec.name))
        wanted.setAudioCodec(QMediaFormat.AudioCodec.AAC)
        self.recorder.setMediaFormat(wanted)
        self.recorder.setQuality(QMediaRecorder.Quality.VeryHighQuality)
        self.recorder.setVideoFrameRate(source.fps)
        self.recorder.setOutputLocation(QUrl.fromLocalFile(str(target)))
        self.error = ""
        self.recorder.errorOccurred.connect(lambda _, text: setattr(self, "error", text))
        self.sent = 0
        self.recorder.record()

    def send_until(self, frames: int) -> None:
        """Send frames up to number `frames` (those the recorder accepts now)."""
        from studio.gui.qt import QImage

        qt = multimedia()
        QAudioBuffer, QAudioFormat, QVideoFrame = qt.QAudioBuffer, qt.QAudioFormat, qt.QVideoFrame

        form = QAudioFormat()
        form.setSampleRate(RATE)
        form.setChannelCount(1)
        form.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        source = self.source
        while self.sent < frames:
            pixels = source.picture(self.sent)
            image = QImage(pixels.data, source.width, source.height, QImage.Format.Format_ARGB32)
            frame = QVideoFrame(image.copy())
            start = round(self.sent * 1e6 / source.fps)
            frame.setStartTime(start)
            frame.setEndTime(round((self.sent + 1) * 1e6 / source.fps))
            if not self.video.sendVideoFrame(frame):
                return  # the recorder is busy: the rest go on the next tick
            if self.audio is not None:
                self.audio.sendAudioBuffer(QAudioBuffer(source.sound(self.sent), form, start))
            self.sent += 1

    def stop(self) -> None:
        self.recorder.stop()

    @property
    def stopped(self) -> bool:
        stopped = multimedia().QMediaRecorder.RecorderState.StoppedState
        return bool(self.recorder.recorderState() == stopped)


def record_test(
    output: Path,
    seconds: float,
    size: tuple[int, int] = (720, 1280),
    fps: int = 30,
    sound: bool = True,
    segments: int = 1,
) -> Path:
    """Record the test source for `seconds` (in `segments` equal parts, as a creator would with
    start/stop) on the system clock, and join the parts into `output`."""
    from studio.gui.qt import QCoreApplication

    app = QCoreApplication.instance() or QCoreApplication([])
    output = output.absolute()
    codec = best_codec()
    source = TestSource(*size, fps)
    parts = []
    total = round(seconds * fps)
    for number in range(segments):
        frames = total // segments + (1 if number < total % segments else 0)
        part = output.with_name(f"{output.stem}.part{number + 1}.mkv")  # kept if killed
        parts.append((_record_part(app, source, part, codec, sound, frames), frames / fps))
    try:
        return join(parts, output)
    finally:
        for part, _ in parts:
            part.unlink(missing_ok=True)


def record_screen(output: Path, seconds: float, screen: int = 0, segments: int = 1) -> Path:
    """Record screen number `screen` for `seconds` (in `segments` parts) and join the parts
    into `output` (a QGuiApplication must exist)."""
    from studio.gui.qt import QGuiApplication

    screens = QGuiApplication.screens()
    if not 0 <= screen < len(screens):
        raise MediaError(f"no screen {screen} (there are {len(screens)}: studio devices)")
    app = QGuiApplication.instance()
    output = output.absolute()
    codec, parts = best_codec(), []
    try:
        for number in range(segments):
            part = output.with_name(f"{output.stem}.part{number + 1}.mkv")  # kept if killed
            parts.append(
                (part, _record_screen_part(app, screens[screen], part, codec, seconds / segments))
            )
        return join(parts, output)
    finally:
        for part, _ in parts:
            part.unlink(missing_ok=True)


def _record_screen_part(app: Any, screen: Any, target: Path, codec: Codec, seconds: float) -> float:
    """Record the screen into `target` for `seconds` of the system clock; the seconds recorded."""
    from studio.gui.qt import QUrl

    qt = multimedia()
    session, capture, recorder = qt.QMediaCaptureSession(), qt.QScreenCapture(), qt.QMediaRecorder()
    capture.setScreen(screen)
    session.setScreenCapture(capture)
    session.setRecorder(recorder)
    wanted = qt.QMediaFormat(qt.QMediaFormat.FileFormat.Matroska)
    wanted.setVideoCodec(getattr(qt.QMediaFormat.VideoCodec, codec.name))
    recorder.setMediaFormat(wanted)
    recorder.setQuality(qt.QMediaRecorder.Quality.VeryHighQuality)
    recorder.setOutputLocation(QUrl.fromLocalFile(str(target)))
    problems: list[str] = []
    recorder.errorOccurred.connect(lambda _, text: problems.append(text))
    capture.errorOccurred.connect(lambda _, text: problems.append(text))
    capture.setActive(True)
    recorder.record()
    start = time.monotonic()
    while time.monotonic() - start < seconds and not problems:
        app.processEvents()
        time.sleep(0.005)
    recorder.stop()
    stopped = qt.QMediaRecorder.RecorderState.StoppedState
    while recorder.recorderState() != stopped:
        app.processEvents()
        time.sleep(0.005)
    if problems:
        raise MediaError(f"screen recording failed: {problems[0]}", str(target))
    return time.monotonic() - start


def _record_part(
    app: Any, source: TestSource, target: Path, codec: Codec, sound: bool, frames: int
) -> Path:
    recording = Recording(source, target, codec, sound)
    start = time.monotonic()
    while recording.sent < frames:
        due = min(frames, int((time.monotonic() - start) * source.fps) + 1)
        recording.send_until(due)
        app.processEvents()
        time.sleep(0.002)
        if recording.error:
            raise MediaError(f"the recorder failed: {recording.error}", str(target))
    recording.stop()
    while not recording.stopped:
        app.processEvents()
        time.sleep(0.002)
    return target


def join(parts: list[tuple[Path, float]], output: Path) -> Path:
    """Segments (each with its recorded length in seconds) into one take without re-encoding,
    starting at zero (ffmpeg's concat demuxer). Qt's Matroska headers overstate the length, so
    each part is read from its first timestamp for the length it was recorded."""
    from studio.io.ffmpeg_bin import ffmpeg_exe

    listing = output.with_name(f".{output.stem}.parts.txt")
    lines = []
    for part, seconds in parts:
        start = _start_of(part)  # Qt's Matroska parts start about a second in
        lines.append(f"file '{_quoted(part)}'\ninpoint {start:.6f}\nduration {seconds:.6f}\n")
    listing.write_text("".join(lines))
    try:
        argv = [ffmpeg_exe(), "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing)]
        argv += ["-c", "copy", "-movflags", "+faststart", str(output)]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    finally:
        listing.unlink(missing_ok=True)
    if done.returncode != 0:
        raise StudioError(f"could not join the segments: {done.stderr.strip()[-300:]}")
    return output


def _start_of(part: Path) -> float:
    """The first timestamp of a recorded part, from ffmpeg's own report of the input."""
    import re

    from studio.io.ffmpeg_bin import ffmpeg_exe

    report = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(part)], capture_output=True, text=True, timeout=60
    ).stderr
    found = re.search(r"start: (-?[\d.]+)", report)
    if found is None:
        raise MediaError("the recording has no readable start (nothing was recorded?)", str(part))
    return max(0.0, float(found.group(1)))


def _quoted(path: Path) -> str:
    return str(path.absolute()).replace("'", "'\\''")
