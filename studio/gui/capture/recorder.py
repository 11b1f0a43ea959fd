"""Recording segments with QtMultimedia and joining them into one take.

Each segment is recorded by QMediaRecorder into Matroska (a recording cut short by a crash or
an unplugged device stays playable up to its last written cluster) with the best codec the
platform's Qt encodes: H.264 where it has one (Media Foundation on Windows, VideoToolbox on
macOS), else MPEG-4 Part 2 at the highest quality (the Linux wheels); the export re-encodes
anyway. "Done" joins the segments without re-encoding (ffmpeg's concat demuxer, which also
starts the take at zero) into an MP4 whose name never collides with an existing file; a take
asked to be mirrored is flipped then (the one case that re-encodes).

Two kinds of segment: a Recording is fed frame by frame (the test pattern through
QVideoFrameInput, with the test tone through QAudioBufferInput or a microphone), a
DeviceSegment records what a live capture session (camera or screen, and microphone) sees.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.gui.qt import multimedia


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


def _recorder(session: Any, target: Path, codec: Codec, fps: int = 0) -> Any:
    """A QMediaRecorder on `session`, writing `target` as Matroska with `codec` and AAC."""
    from studio.gui.qt import QUrl

    qt = multimedia()
    QMediaFormat, QMediaRecorder = qt.QMediaFormat, qt.QMediaRecorder
    recorder = QMediaRecorder()
    session.setRecorder(recorder)
    wanted = QMediaFormat(QMediaFormat.FileFormat.Matroska)
    wanted.setVideoCodec(getattr(QMediaFormat.VideoCodec, codec.name))
    wanted.setAudioCodec(QMediaFormat.AudioCodec.AAC)
    recorder.setMediaFormat(wanted)
    recorder.setQuality(QMediaRecorder.Quality.VeryHighQuality)
    if fps:
        recorder.setVideoFrameRate(fps)
    recorder.setOutputLocation(QUrl.fromLocalFile(str(target)))
    return recorder


class Recording:
    """One segment fed frame by frame from the test source, with its tone, a microphone
    (a QAudioDevice) or no sound."""

    def __init__(
        self, source: Any, target: Path, codec: Codec, sound: bool, mic: Any = None
    ) -> None:
        qt = multimedia()
        self.source, self.target = source, target
        self.session = qt.QMediaCaptureSession()
        self.video = qt.QVideoFrameInput()  # no format given: Qt 6.11 rejects frames otherwise
        self.session.setVideoFrameInput(self.video)
        self.audio = self.mic = None
        if sound and mic is not None:
            self.mic = qt.QAudioInput(mic)
            self.session.setAudioInput(self.mic)
        elif sound:
            self.audio = qt.QAudioBufferInput()
            self.session.setAudioBufferInput(self.audio)
        self.recorder = _recorder(self.session, target, codec, source.fps)
        self.error = ""
        self.recorder.errorOccurred.connect(lambda _, text: setattr(self, "error", text))
        self.sent = self.sounded = 0  # frames and their sound sent
        self.recorder.record()

    def tick(self, elapsed: float, limit: float | None = None) -> None:
        """Send the frames due after `elapsed` seconds (at most `limit` seconds of them)."""
        due = int(elapsed * self.source.fps) + 1
        if limit is not None:
            due = min(due, round(limit * self.source.fps))
        self.send_until(due)

    def done(self, elapsed: float, seconds: float) -> bool:
        heard = self.audio is None or self.sounded >= self.sent
        return bool(self.sent >= round(seconds * self.source.fps) and heard)

    @property
    def seconds(self) -> float:
        return float(self.sent / self.source.fps)

    def send_until(self, frames: int) -> None:
        """Send frames up to number `frames`, each followed by its sound, as far as the
        recorder accepts them now (the rest go on the next tick)."""
        while True:
            while self.audio is not None and self.sounded < self.sent:
                if not self.audio.sendAudioBuffer(self._sound(self.sounded)):
                    return
                self.sounded += 1
            if self.sent >= frames or not self.video.sendVideoFrame(self._picture(self.sent)):
                return
            self.sent += 1

    def _picture(self, index: int) -> Any:
        from studio.gui.qt import QImage

        source = self.source
        pixels = source.picture(index)
        image = QImage(pixels.data, source.width, source.height, QImage.Format.Format_ARGB32)
        frame = multimedia().QVideoFrame(image.copy())
        frame.setStartTime(round(index * 1e6 / source.fps))
        frame.setEndTime(round((index + 1) * 1e6 / source.fps))
        return frame

    def _sound(self, index: int) -> Any:
        qt = multimedia()
        form = qt.QAudioFormat()
        form.setSampleRate(self.source.rate)
        form.setChannelCount(1)
        form.setSampleFormat(qt.QAudioFormat.SampleFormat.Int16)
        start = round(index * 1e6 / self.source.fps)
        return qt.QAudioBuffer(self.source.sound(index), form, start)

    def stop(self) -> None:
        self.recorder.stop()

    @property
    def stopped(self) -> bool:
        return _stopped(self.recorder)


class DeviceSegment:
    """One segment of a live capture session (a camera or a screen, and a microphone)."""

    def __init__(self, session: Any, target: Path, codec: Codec) -> None:
        self.target, self.error = target, ""
        self.recorder = _recorder(session, target, codec)
        self.recorder.errorOccurred.connect(lambda _, text: setattr(self, "error", text))
        self.began = time.monotonic()
        self.ended: float | None = None
        self.recorder.record()

    def tick(self, elapsed: float, limit: float | None = None) -> None:
        """Nothing to send: the capture session feeds this recorder on its own."""

    def done(self, elapsed: float, seconds: float) -> bool:
        return elapsed >= seconds

    @property
    def seconds(self) -> float:
        """How long it recorded: the recorder's count, else the system clock's."""
        counted = self.recorder.duration() / 1000
        return counted if counted > 0 else (self.ended or time.monotonic()) - self.began

    def stop(self) -> None:
        self.ended = time.monotonic()
        self.recorder.stop()

    @property
    def stopped(self) -> bool:
        return _stopped(self.recorder)


def _stopped(recorder: Any) -> bool:
    return bool(recorder.recorderState() == multimedia().QMediaRecorder.RecorderState.StoppedState)
