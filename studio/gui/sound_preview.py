"""A sound effect heard while the pointer rests on its tile in the Audio browser: its file is
made off the GUI thread (once; it is cached), then played on the sound output where there is
one. A machine without a sound card plays nothing and says nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.gui.jobs import Jobs
from studio.gui.qt import QObject, QUrl, Signal, alive, multimedia
from studio.io.cache import cache_dir
from studio.render.sfx import write_effect

SOUND = "sound:"  # the id of a sound-effect tile: "sound:" + the effect's name


def effect_file(name: str, folder: Path, task: object = None) -> Path:
    """The effect's WAV file in `folder` (a job: written once, found after)."""
    return write_effect(name, folder)


class SoundPreview(QObject):
    heard = Signal(str)  # the path of a sound played (or, with no sound card, that would be)

    def __init__(self, jobs: Jobs) -> None:
        super().__init__()
        self.jobs = jobs
        self.pointed = ""  # the tile under the pointer
        self.player: Any = None

    def point(self, tile_id: str) -> None:
        """The pointer is on `tile_id` ("" when it left the tiles): its sound plays."""
        self.pointed = tile_id
        self.stop()
        if tile_id.startswith(SOUND):
            name = tile_id[len(SOUND) :]
            folder = cache_dir("sounds")
            self.jobs.run(effect_file, name, folder, done=lambda path: self._play(tile_id, path))

    def stop(self) -> None:
        if self.player is not None:
            self.player.stop()

    def _play(self, tile_id: str, path: Path) -> None:
        if not alive(self) or tile_id != self.pointed:
            return  # the pointer moved on while the file was made
        if self._player() is not None:
            self.player.setSource(QUrl.fromLocalFile(str(path)))
            self.player.play()
        self.heard.emit(str(path))

    def _player(self) -> Any:
        """Qt's short-sound player on the default output; None where there is no output."""
        if self.player is None:
            qt = multimedia()
            device = qt.QMediaDevices.defaultAudioOutput()
            if device.isNull():
                return None
            self.player = qt.QSoundEffect(device, self)
            self.player.setVolume(0.8)
        return self.player
