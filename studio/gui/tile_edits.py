"""What a browser tile does when it is dropped or double-clicked: a look or effect goes on a
clip (the one it was dropped on; double-clicked, the selected clip or the main clip under the
playhead), a transition on a cut (the one nearest the drop, or the playhead), a tool runs. The
audio and picture-in-picture tools ask for a file and lay it at the playhead on its own track.

Each change is one undo step through the Document; what the engine refuses is shown, never
raised into Qt.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.analysis.voice_activity import speech_spans
from studio.app import StudioError, probe_many
from studio.app.layers import source_of
from studio.errors import NO_SOUND
from studio.gui.actions import COMMANDS, call
from studio.gui.catalogue import Tile
from studio.gui.clip_effects import add_effect, clip_with_id
from studio.gui.document import Document
from studio.gui.qt import QFileDialog, QObject, Signal
from studio.gui.sound_preview import effect_file
from studio.io.cache import cache_dir
from studio.model import arrange
from studio.model.edits import clip_of
from studio.model.stickers import StickerItem
from studio.model.stored import BUILT_IN
from studio.model.timeline import Clip, Project, clip_at
from studio.model.titles import Title
from studio.model.transform import Transform
from studio.render.tts import reading_in

SOUND_FILTER = "Sound (*.m4a *.mp3 *.wav *.aac *.flac *.ogg *.opus *.mp4 *.mov);;All files (*)"
PICTURE_FILTER = (
    "Video or picture (*.mp4 *.mov *.m4v *.mkv *.webm *.gif *.png *.jpg *.jpeg);;All files (*)"
)
STICKER_FILTER = "Stickers (*.png *.apng *.webp *.gif);;All files (*)"
PIP_SCALE = 0.5  # a picture in picture's width, of the canvas's
NEW_WORDS = "Your text"  # a new title's words until they are typed
NEW_LENGTH = Fraction(3)  # a new title's or sticker's seconds
COMMANDS_BY_ID = {command.id: command for command in COMMANDS}


def target_clip(project: Project, selected: str, playhead: float) -> str:
    """The clip a double-clicked look or effect goes on: the selected clip (with a picture),
    else the main clip under the playhead ("" for none)."""
    chosen = clip_with_id(project, selected)
    if chosen is not None and chosen.media.has_video:
        return chosen.id
    found = clip_at(project, Fraction(playhead).limit_denominator(10**6))
    return "" if found is None else project.main.clips[found[0]].id


def subject_clip(project: Project, selected: str, playhead: float) -> Clip | None:
    """The clip the looks and effects browsers draw their tiles on."""
    return clip_with_id(project, target_clip(project, selected, playhead))


def placed(project: Project, clip: Clip, at: Fraction, role: str) -> Project:
    return arrange.place(project, clip, at, None, role)[0]


def sized(clip: Clip) -> Clip:
    """A picture shows for 5 s; a video for all of it."""
    return replace(clip, source_out=Fraction(5)) if clip.media.still else clip


class TileEdits(QObject):
    refused = Signal(str)  # what could not be done, and why
    done = Signal(str)  # what was done, for the status line

    def __init__(self, window: Any, document: Document) -> None:
        super().__init__()
        self.window, self.document = window, document

    def use(self, tile: Tile, item_id: str = "", cut_after: str = "") -> None:
        """A tile dropped on `item_id` / the cut after `cut_after`, or double-clicked (both
        empty: the playhead decides)."""
        if tile.run:
            self._run(tile.run)
        elif tile.effect is not None:
            self._effect(tile, item_id)
        elif tile.transition:
            self._transition(tile.transition, cut_after)
        elif tile.text_style:
            self._make(f"{tile.title} text", _new_title, tile.text_style)
        elif tile.sticker:
            self._make(tile.title, _new_sticker, BUILT_IN + tile.sticker)
        elif tile.sound:
            self.window.jobs.run(
                effect_file,
                tile.sound,
                sounds_folder(self.document),
                done=lambda path: self.add_file(str(path), "effects"),
                failed=lambda error: self.refused.emit(error.message),
            )

    def _run(self, name: str) -> None:
        command = COMMANDS_BY_ID.get(name)
        if command is not None:
            call(self.window, command)
        else:
            getattr(self, name)()

    def _effect(self, tile: Tile, item_id: str) -> None:
        project, timeline = self.document.project, self.window.timeline
        clip_id = item_id or target_clip(project, timeline.selection, timeline.playhead)
        if not clip_id:
            self.refused.emit(f"{tile.title}: add a clip first, then drop it on the clip")
            return
        if self._apply(tile.title, add_effect, clip_id, tile.effect):
            timeline.select(clip_id)
            self.done.emit(f"{tile.title} on the clip")

    def _transition(self, kind: str, cut_after: str) -> None:
        edits = self.window.layer_edits
        if cut_after:
            edits.add_transition(cut_after, kind)
        else:
            edits.add_at_playhead(kind)

    def choose_sticker(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Your sticker", "", STICKER_FILTER)
        if name:
            self._make(Path(name).name, _new_sticker, name)

    def _make(self, label: str, make: Any, *args: Any) -> None:
        """A title or sticker made off the GUI thread (its font or picture is read), then laid
        at the playhead on an overlay track of its own, selected."""
        at = Fraction(self.window.timeline.playhead).limit_denominator(10**6)
        self.window.jobs.run(
            make,
            *args,
            done=lambda item: self._lay(label, item, at),
            failed=lambda error: self.refused.emit(error.message),
        )

    def _lay(self, label: str, item: Title | StickerItem, at: Fraction) -> None:
        if self._apply(label, lambda p: arrange.place(p, item, at)[0]):
            self.window.timeline.select(item.id)
            self.done.emit(f"added {label} at {float(at):.2f} s")
            if isinstance(item, Title):  # ready to type its words
                self.window.inspector.text.type_words()

    def _apply(self, label: str, edit: Any, *args: Any) -> bool:
        try:
            return self.document.apply(label, edit, *args)
        except StudioError as error:
            self.refused.emit(error.message)
            return False

    def choose_overlay(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Picture in picture", "", PICTURE_FILTER)
        if name:
            self.add_file(name, "overlay")

    def choose_voice(self) -> None:
        self._choose_sound("voice", "Add a voice-over")

    def choose_reading(self) -> None:
        """Text read aloud: typed in a dialog (the selected title's words to start from), made
        off the GUI thread, laid at the playhead on a voice track."""
        from studio.gui.reading_dialog import ReadingDialog

        dialog = ReadingDialog(self.window, _title_words(self.document.project, self._selected()))
        if dialog.exec():
            text, voice, speed = dialog.reading()
            self.window.jobs.run(
                _reading_file,
                sounds_folder(self.document),
                text,
                voice,
                speed,
                done=lambda path: self.add_file(str(path), "voice"),
                failed=lambda error: self.refused.emit(error.message),
            )

    def _selected(self) -> str:
        return str(self.window.timeline.selection)

    def record_voice_over(self) -> None:
        self.window.record_voice_over()

    def choose_sound_effect(self) -> None:
        self._choose_sound("effects", "Add a sound effect")

    def choose_music(self) -> None:
        self._choose_sound("music", "Add music")

    def _choose_sound(self, role: str, title: str) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, title, "", SOUND_FILTER)
        if name:
            self.add_file(name, role)

    def add_file(self, path: str, role: str, at: Fraction | None = None) -> None:
        """Probe `path` off the GUI thread, then lay it at `at` (the playhead when None) on a
        `role` track."""
        if at is None:
            at = Fraction(self.window.timeline.playhead).limit_denominator(10**6)
        probe = {"overlay": _probe_picture, "voice": probe_voice}.get(role, _probe_sound)
        self.window.jobs.run(
            probe,
            path,
            done=lambda clip: self._add(clip, at, role),
            failed=lambda error: self.refused.emit(error.message),
        )

    def add_clip(self, clip: Clip, at: Fraction, role: str) -> None:
        """A clip of a file already probed, laid at `at` on a `role` track."""
        self._add(sized(clip), at, role)

    def _add(self, clip: Clip, at: Fraction, role: str) -> None:
        if role == "overlay":
            clip = replace(clip, transform=Transform(scale=PIP_SCALE))
        label = {"overlay": "Picture in picture", "voice": "Voice-over"}.get(role, "Add sound")
        if self._apply(label, placed, clip, at, role):
            self.window.timeline.select(clip.id)
            self.done.emit(f"added {Path(clip.media.path).name} at {float(at):.2f} s")


def _new_title(style: str, task: object = None) -> Title:
    """A title of the placeholder words in `style`, centred a third of the way down."""
    from studio.model.title_styles import style_named
    from studio.render.titles import title_for

    return title_for(NEW_WORDS, NEW_LENGTH, style_named(style), y=0.35)


def _new_sticker(source: str, task: object = None) -> StickerItem:
    from studio.render.stickers import sticker_for

    return sticker_for(source, NEW_LENGTH)


def _probe_picture(path: str, task: object = None) -> Clip:
    clip = sized(clip_of(source_of(path)))
    if not clip.media.has_video:
        raise StudioError(f"{Path(path).name} has no picture: add it as a sound instead")
    return clip


def probe_voice(path: str, task: object = None) -> Clip:
    """A voice's clip, with where it speaks found (the music ducks there)."""
    return replace(_probe_sound(path), speech=speech_spans(path))


def sounds_folder(document: Document) -> Path:
    """Where made sounds go: beside the project (so it keeps them), else in the cache until
    it is saved."""
    if document.path is not None:
        return Path(document.path).parent / "sounds"
    return cache_dir("sounds")


def _reading_file(folder: Path, text: str, voice: str, speed: float, task: object = None) -> Path:
    return reading_in(folder, text, voice, speed)


def _title_words(project: Project, item_id: str) -> str:
    found = [i for t in project.layers for i in t.items if i.id == item_id]
    return found[0].text if found and isinstance(found[0], Title) else ""


def _probe_sound(path: str, task: object = None) -> Clip:
    found = probe_many([path])[0]
    if isinstance(found, StudioError):
        raise found
    if not found.media.has_audio:
        raise StudioError(f"{Path(path).name} {NO_SOUND}")
    return clip_of(found.media)
