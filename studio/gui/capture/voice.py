"""A voice-over recorded while the edit plays: sound only, from a microphone (QAudioInput) or,
on a machine without one, the test tone (fed through QAudioBufferInput on the system clock),
into Matroska with AAC by QMediaRecorder (a recording cut short stays playable up to its last
written cluster)."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

from studio.gui.qt import QUrl, multimedia

RATE = 48000
CHUNK = 960  # samples of the test tone sent at a time (20 ms)
TONE_HZ = 440.0


class VoiceRecording:
    def __init__(self, target: Path, mic: Any = None) -> None:
        """Recording into `target` from now on, from the microphone `mic` (a QAudioDevice) or
        the test tone when it is None."""
        qt = multimedia()
        self.target, self.error = target, ""
        self.session = qt.QMediaCaptureSession()
        self.input: Any = None
        self.tone: Any = None
        if mic is not None:
            self.input = qt.QAudioInput(mic)
            self.session.setAudioInput(self.input)
        else:
            self.tone = qt.QAudioBufferInput()
            self.session.setAudioBufferInput(self.tone)
        self.recorder = qt.QMediaRecorder()
        self.session.setRecorder(self.recorder)
        wanted = qt.QMediaFormat(qt.QMediaFormat.FileFormat.Matroska)
        wanted.setAudioCodec(qt.QMediaFormat.AudioCodec.AAC)
        self.recorder.setMediaFormat(wanted)
        self.recorder.setQuality(qt.QMediaRecorder.Quality.VeryHighQuality)
        self.recorder.setOutputLocation(QUrl.fromLocalFile(str(target)))
        self.recorder.errorOccurred.connect(lambda _, text: setattr(self, "error", text))
        self.began = time.monotonic()
        self.sent = 0  # test-tone samples sent
        self.recorder.record()

    def tick(self) -> None:
        """Send the test tone due by now (a microphone feeds the recorder on its own)."""
        if self.tone is None:
            return
        due = int((time.monotonic() - self.began) * RATE)
        while self.sent + CHUNK <= due and self.tone.sendAudioBuffer(self._chunk()):
            self.sent += CHUNK

    def _chunk(self) -> Any:
        qt = multimedia()
        form = qt.QAudioFormat()
        form.setSampleRate(RATE)
        form.setChannelCount(1)
        form.setSampleFormat(qt.QAudioFormat.SampleFormat.Int16)
        step = 2 * math.pi * TONE_HZ / RATE
        samples = (int(9000 * math.sin(step * (self.sent + i))) for i in range(CHUNK))
        pcm = b"".join(value.to_bytes(2, "little", signed=True) for value in samples)
        return qt.QAudioBuffer(pcm, form, round(self.sent * 1e6 / RATE))

    @property
    def seconds(self) -> float:
        if self.tone is not None:
            return self.sent / RATE
        counted = self.recorder.duration() / 1000
        return counted if counted > 0 else time.monotonic() - self.began

    def stop(self) -> None:
        self.tick()
        self.recorder.stop()

    @property
    def stopped(self) -> bool:
        state = multimedia().QMediaRecorder.RecorderState.StoppedState
        return bool(self.recorder.recorderState() == state)


def microphones() -> list[tuple[str, Any]]:
    """The microphones Qt sees (their names and devices), the default first."""
    qt = multimedia()
    default = qt.QMediaDevices.defaultAudioInput()
    found = [(device.description(), device) for device in qt.QMediaDevices.audioInputs()]
    found.sort(key=lambda pair: pair[1] != default)
    return found
