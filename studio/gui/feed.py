"""The pipes behind playback: two ffmpeg children stream the composed edit's pictures and sound,
and two reader threads keep a little of each ready for the player.

Pictures wait in a queue of a few frames (a full queue makes ffmpeg wait: back-pressure, so a
paused window costs nothing); sound waits in a buffer of up to two seconds. Everything that can
block (building the commands, starting the children, reading) runs on the feed's own threads;
the GUI thread only takes what is ready. `close()` never waits: it kills the children, whose
pipes then end, and the threads finish on their own.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any

from studio.app import StudioError
from studio.app.playback import playback
from studio.gui.qt import QImage
from studio.io import children
from studio.model.timeline import Project
from studio.render.playback import CHANNELS, SAMPLE_BYTES, Playback

FRAMES_AHEAD = 8
SOUND_AHEAD_SECONDS = 2.0
SOUND_RATE = 48000
BYTES_PER_SECOND = SOUND_RATE * CHANNELS * SAMPLE_BYTES


@dataclass(frozen=True)
class Picture:
    index: int  # frame number in the edit
    image: QImage


class Feed:
    """Streams frames from `start` (and the sound, when `sound`) until closed or the edit ends."""

    def __init__(
        self, project: Project, start: int, size: tuple[int, int], sound: bool = True
    ) -> None:
        self.project, self.start, self.size, self.sound = project, start, size, sound
        self.pictures: queue.Queue[Picture | None] = queue.Queue(FRAMES_AHEAD)  # None: the end
        self.audio = bytearray()
        self.audio_done = not sound
        self.error = ""
        self._lock = threading.Condition()
        self._closed = False
        self._processes: list[Any] = []

    def open(self) -> None:
        threading.Thread(target=self._run, name="preview-feed", daemon=True).start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for process in self._processes:
                process.kill()
            self._lock.notify_all()
        while True:  # a reader blocked on a full queue must see the close
            try:
                self.pictures.get_nowait()
            except queue.Empty:
                break

    def take_audio(self, most: int) -> bytes:
        """Up to `most` bytes of sound (whole sample frames), removed from the buffer."""
        with self._lock:
            most -= most % (CHANNELS * SAMPLE_BYTES)
            chunk = bytes(self.audio[:most])
            del self.audio[:most]
            self._lock.notify_all()
        return chunk

    def audio_seconds(self) -> float:
        with self._lock:
            return len(self.audio) / BYTES_PER_SECOND

    def _run(self) -> None:
        try:
            commands = playback(self.project, self.start, self.size)
        except StudioError as error:
            self._fail(error.message)
            return
        video = self._spawn(commands.video)
        if video is None:
            return
        if self.sound:
            audio = self._spawn(commands.audio)
            if audio is None:
                return
            threading.Thread(target=self._read_audio, args=(audio,), daemon=True).start()
        self._read_video(video, commands)

    def _spawn(self, argv: list[str]) -> Any:
        with self._lock:
            if self._closed:
                return None
            try:
                process = children.start(argv)
            except OSError as error:
                self._fail(f"could not start ffmpeg: {error}")
                return None
            self._processes.append(process)
            return process

    def _read_video(self, process: Any, commands: Playback) -> None:
        size, width, height = commands.frame_bytes, commands.width, commands.height
        index, end = commands.start, commands.start + commands.frames
        while not self._closed and index < end:
            data = process.stdout.read(size)
            if len(data) < size:
                break
            image = QImage(data, width, height, width * 4, QImage.Format.Format_RGB32).copy()
            self._put(Picture(index, image))
            index += 1
        problem = self._ended(process)
        if not self._closed and index < end:
            self.error = f"playback stopped: {problem or 'ffmpeg ended early'}"
        self._put(None)

    def _read_audio(self, process: Any) -> None:
        chunk = 4096 * CHANNELS * SAMPLE_BYTES
        limit = int(SOUND_AHEAD_SECONDS * BYTES_PER_SECOND)
        while True:
            data = process.stdout.read1(chunk)
            with self._lock:
                if not data or self._closed:
                    break
                self.audio += data
                while len(self.audio) > limit and not self._closed:
                    self._lock.wait(0.5)
        self._ended(process)
        with self._lock:
            self.audio_done = True

    def _ended(self, process: Any) -> str:
        """Wait for a child whose pipe ended; what it said on stderr (its last words)."""
        process.kill()  # closed early or done: either way nothing more is wanted
        reason = process.stderr.read().decode(errors="replace").strip()
        process.wait()
        children.forget(process)
        return str(reason[-300:])

    def _put(self, picture: Picture | None) -> None:
        while not self._closed:
            try:
                self.pictures.put(picture, timeout=0.2)
                return
            except queue.Full:
                continue

    def _fail(self, message: str) -> None:
        self.error = message
        self._put(None)
