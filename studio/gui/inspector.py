"""The inspector: the selected item's settings in sections, the ones its kind has.

- Basic: a main clip's fit and focus, an overlay's transform (transform_panel.py, a key
  toggle beside every animatable property), a transition's kind and length
  (transition_panel.py).
- Effects: the clip's effect list (effects_panel.py, any clip with a picture).
- Animation: an overlay's keys at the playhead.
- Speed and Audio: speed, speed ramp and volume (timing_panel.py, any clip).
- With nothing selected, the project: its canvas, frame rate and export preset; the music's
  start, gain and fades; the beat effects (punch, flash: strength, on beats or bars).

Every range, choice and label comes from the engine's limits table; every change is an engine
edit through the Document, and the steps of one field merge into one undo step."""

from __future__ import annotations

from fractions import Fraction

from studio.app import StudioError, preset_names, preset_of
from studio.gui.beat_effects import EffectRow
from studio.gui.clip_effects import clip_with_id
from studio.gui.document import Document
from studio.gui.effects_panel import EffectsPanel
from studio.gui.form import choice_box, label_of, spin_box
from studio.gui.qt import (
    QComboBox,
    QLabel,
    QObject,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from studio.gui.section import Section
from studio.gui.text_panel import MotionPanel, TextPanel
from studio.gui.timeline.lanes import title_of
from studio.gui.timing_panel import TimingPanel
from studio.gui.transform_panel import TransformPanel
from studio.gui.transition_panel import TransitionPanel
from studio.model import arrange, edits
from studio.model.limits import CHOICES, LIMITS
from studio.model.stickers import StickerItem
from studio.model.timeline import Clip, Fit, Item, Project, Track, clip_at
from studio.model.titles import Title

ACROSS = f"{LIMITS['fit.focus'].label} (across)"
SECTIONS = {  # the sections each kind of item has ("": nothing selected, the project's)
    "main": ("Basic", "Effects", "Speed", "Audio"),
    "overlay": ("Basic", "Effects", "Animation", "Speed", "Audio"),
    "transition": ("Basic",),
    "title": ("Text", "Basic", "Motion", "Animation"),
    "sticker": ("Basic", "Motion", "Animation"),
    "sound": ("Speed", "Audio"),
    "": ("Project", "Music", "Beats"),
}
SECTION_ORDER = ("Text", "Basic", "Motion", "Effects", "Animation", "Speed", "Audio", "Project",
                 "Music")  # fmt: skip
KINDS = {
    "main": "Clip",
    "overlay": "Picture",
    "transition": "Transition",
    "title": "Text",
    "sticker": "Sticker",
}


def _kind(track: Track | None, clip: Clip | None, item: Item | None) -> str:
    """Which sections an item has: SECTIONS's key for it."""
    if track is None:
        return ""
    if isinstance(item, Title | StickerItem):
        return "title" if isinstance(item, Title) else "sticker"
    return track.role if clip is not None else "transition"


class Inspector(QWidget):
    refused = Signal(str)  # an edit the engine refused, with its reason
    seek = Signal(float)  # timeline seconds: the playhead to a key

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document, self.clip_id, self.item_id = document, "", ""
        self.transform, self.transition = TransformPanel(document), TransitionPanel(document)
        self.timing, self.effect_list = TimingPanel(document), EffectsPanel(document)
        self.text, self.motion = TextPanel(document), MotionPanel(document)
        panels = (self.transform, self.transition, self.timing, self.effect_list)
        for panel in (*panels, self.text, self.motion):
            panel.refused.connect(self.refused)
        self.transform.seek.connect(self.seek)
        self.playhead = 0.0  # seconds, kept by the window (a follow crop's focus is set there)
        self.fit, self.fps = choice_box("fit.mode"), choice_box("canvas.fps")
        self.focus_x, self.focus_y = spin_box("fit.focus", 0.05), spin_box("fit.focus", 0.05)
        self.gain = spin_box("music.gain_db", 1.0, 1)
        self.offset = spin_box("music.offset", 0.1)
        self.fade_in, self.fade_out = spin_box("music.fade", 0.5), spin_box("music.fade", 0.5)
        self.duck = spin_box("duck.depth_db", 1.0, 0)  # under a voice; 0: off
        self.duck.setToolTip(
            "how far the music and the clips' own sound drop while a voice speaks (0: off)"
        )
        self.duck_auto = QPushButton("Follows the voices")  # the curve edited by hand, or not
        self.duck_auto.setToolTip(
            "drag the curve's keys on the music lane (double-click it to add one); "
            "this button lets the voices make the curve again"
        )
        self.effects = {str(kind): EffectRow(str(kind)) for kind in CHOICES["effect.kind"].values}
        self.preset = QComboBox()
        self.preset.addItems(preset_names())
        self.clip_title = QLabel("No clip selected")
        self.clip_title.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.kind = QLabel()  # what kind of item it is, and where
        self.canvas = QLabel()
        self.focus_label = QLabel(ACROSS)
        self.sections = {name: Section(name) for name in SECTION_ORDER}
        self.sections["Beats"] = Section("Beat effects")
        self._layout()
        self._connect()
        document.changed.connect(lambda _: self.show_clip(self.item_id))
        self.show_clip("")

    def _layout(self) -> None:
        s = self.sections
        basic = s["Basic"].form
        basic.addRow(self.transform)
        basic.addRow(self.transition)
        basic.addRow(label_of("fit.mode"), self.fit)
        basic.addRow(self.focus_label, self.focus_x)
        basic.addRow(f"{label_of('fit.focus')} (down)", self.focus_y)
        self.main_rows: list[QWidget] = [self.fit, self.focus_x, self.focus_y]
        self.form = basic
        s["Text"].add(self.text)
        s["Motion"].add(self.motion)
        s["Effects"].add(self.effect_list)
        s["Animation"].add(self.transform.animation)
        s["Speed"].add(self.timing)
        s["Audio"].add(self.timing.sound)
        s["Project"].form.addRow("Canvas", self.canvas)
        s["Project"].form.addRow(CHOICES["canvas.fps"].label, self.fps)
        s["Project"].form.addRow("Export preset", self.preset)
        music = s["Music"].form
        music.addRow(label_of("music.offset"), self.offset)
        music.addRow(label_of("music.gain_db"), self.gain)
        music.addRow("Fade in", self.fade_in)
        music.addRow("Fade out", self.fade_out)
        music.addRow("Under voices", self.duck)
        music.addRow("Curve", self.duck_auto)
        for row in self.effects.values():
            s["Beats"].form.addRow(row.enabled, row)
        column = QVBoxLayout(self)
        column.addWidget(self.clip_title)
        column.addWidget(self.kind)
        for section in s.values():
            column.addWidget(section)
        column.addStretch(1)

    def _connect(self) -> None:
        self.fit.currentTextChanged.connect(lambda _: self._set_fit())
        self.focus_x.valueChanged.connect(lambda _: self._set_fit())
        self.focus_y.valueChanged.connect(lambda _: self._set_fit())
        self.gain.valueChanged.connect(self._set_gain)
        self.duck.valueChanged.connect(self._set_ducking)
        self.duck_auto.clicked.connect(self._automatic_ducking)
        self.fps.currentTextChanged.connect(self._set_fps)
        self.preset.currentTextChanged.connect(self._set_preset)
        for box in (self.offset, self.fade_in, self.fade_out):
            box.valueChanged.connect(lambda _: self._set_music_timing())
        for row in self.effects.values():
            row.changed.connect(self._set_effects)

    def show_clip(self, item_id: str) -> None:
        """Show the selected item's values (a clip's, an overlay's transform, a transition's)
        and the music's and project's, without making edits."""
        project = self.document.project
        tracks = {item.id: track for track in project.tracks for item in track.items}
        track = tracks.get(item_id)
        self.item_id = item_id if track is not None else ""
        self.clip_id = item_id if track is not None and track.role == "main" else ""
        clip = clip_with_id(project, self.item_id)
        self.clip_id = self.clip_id if clip is not None else ""
        self.transform.show_item(self.item_id, self.playhead)
        self.transition.show_item(self.item_id)
        self.timing.show_item(self.item_id)
        self.effect_list.show_item(self.item_id)
        self.text.show_item(self.item_id)
        self.motion.show_item(self.item_id)
        for row in self.main_rows:  # a main clip's own rows, hidden for other items
            self.form.setRowVisible(row, bool(self.clip_id))
        kind = _kind(track, clip, arrange.item(project, item_id) if track is not None else None)
        shown = SECTIONS["sound" if track is not None and track.kind == "audio" else kind]
        for name, section in self.sections.items():
            section.setVisible(name in shown)
        where = f" on {title_of(track)}" if track is not None else ""
        self.kind.setText(f"{KINDS.get(kind, 'Sound')}{where}" if track is not None else "")
        for widget in self._widgets():
            widget.blockSignals(True)
        self._show_values(project, clip)
        for widget in self._widgets():
            widget.blockSignals(False)

    def _show_values(self, project: Project, clip: Clip | None) -> None:
        for widget in (self.fit, self.focus_x, self.focus_y):
            widget.setEnabled(bool(self.clip_id))
        if self.clip_id and clip is not None:
            self.clip_title.setText(clip.media.name)
            self._show_fit(clip)
        else:
            self.clip_title.setText(self._title(project))
        self._show_music(project)
        self.canvas.setText(f"{project.canvas.width}x{project.canvas.height}")
        self.fps.setCurrentText(str(project.canvas.fps))
        self.preset.setCurrentText(preset_of(project).name)

    def _show_fit(self, clip: Clip) -> None:
        self.fit.setCurrentText(clip.fit.mode)
        self.focus_x.setValue(clip.fit.focus_x)
        self.focus_y.setValue(clip.fit.focus_y)
        self.focus_x.setToolTip("")
        self.focus_label.setText(ACROSS)
        if clip.fit.mode == "follow":
            self._show_follow(clip)

    def _show_music(self, project: Project) -> None:
        music = project.music
        for widget in (self.gain, self.offset, self.fade_in, self.fade_out):
            widget.setEnabled(music is not None)
        self.gain.setValue(music.gain_db if music else 0.0)
        self.offset.setValue(float(music.offset) if music else 0.0)
        self.fade_in.setValue(float(music.fade_in) if music else 0.0)
        self.fade_out.setValue(float(music.fade_out) if music else 0.0)
        self.duck.setValue(project.ducking.depth_db)
        edited = project.ducking.edited
        self.duck_auto.setEnabled(edited)
        self.duck_auto.setText("Edited: back to automatic" if edited else "Follows the voices")
        for kind, row in self.effects.items():
            row.show_effect(next((e for e in project.effects if e.kind == kind), None))
            row.setEnabled(music is not None)
            row.enabled.setEnabled(music is not None)

    def _title(self, project: Project) -> str:
        """What is selected when it is not a main clip: an item of a lane, a transition."""
        for track in project.tracks:
            for item in track.items:
                if item.id == self.item_id and isinstance(item, Clip):
                    return item.media.name
                if item.id == self.item_id and isinstance(item, Title | StickerItem):
                    return item.name
        return "Transition" if self.item_id else "Project"

    def _widgets(self) -> tuple[QObject, ...]:
        music = (self.gain, self.offset, self.fade_in, self.fade_out, self.duck)
        clip: tuple[QObject, ...] = (self.fit, self.focus_x, self.focus_y)
        return (*clip, *music, *self.effects.values(), self.fps, self.preset)

    def _index(self) -> int:
        return edits.index_of(self.document.project, self.clip_id)

    def _set_fit(self) -> None:
        if not self.clip_id:
            return
        clip = self.document.project.main.clips[self._index()]
        mode = self.fit.currentText()
        if mode == "follow" and clip.fit.mode == "follow":
            self._set_follow_focus(clip)
            return
        fit = Fit(mode, self.focus_x.value(), self.focus_y.value(), clip.fit.pad_color)  # type: ignore[arg-type]
        self.document.apply("Fit", edits.set_fit, self.clip_id, fit, merge=("fit", self.clip_id))

    def _set_follow_focus(self, clip: Clip) -> None:
        """Focus typed for a follow crop: a key at the playhead (the path goes through it)."""
        at = Fraction(self.playhead).limit_denominator(10**6)
        if self._inside(clip, at) is None:
            self.refused.emit("put the playhead on this clip to set its focus there")
            return
        value = round(self.focus_x.value(), 3)
        merge = ("focus", self.clip_id, float(at))
        self.document.apply("Focus", edits.set_focus_at, at, value, merge=merge)

    def _inside(self, clip: Clip, at: Fraction) -> Fraction | None:
        """The file time shown at timeline time `at` when that is inside `clip`."""
        found = clip_at(self.document.project, at)
        if found is None or self.document.project.main.clips[found[0]].id != clip.id:
            return None
        return clip.source_at(found[1])

    def set_playhead(self, seconds: float) -> None:
        """The playhead moved: a follow crop's focus box shows the focus there, an overlay's
        transform its values and keys there."""
        self.playhead = seconds
        self.transform.set_playhead(seconds)
        self.timing.set_playhead(seconds)
        if self.clip_id and self.fit.currentText() == "follow":
            self.focus_x.blockSignals(True)
            self._show_follow(self.document.project.main.clips[self._index()])
            self.focus_x.blockSignals(False)

    def _show_follow(self, clip: Clip) -> None:
        at = self._inside(clip, Fraction(self.playhead).limit_denominator(10**6))
        self.focus_x.setValue(clip.fit.focus_at(clip.source_in if at is None else at))
        self.focus_y.setEnabled(False)
        self.focus_label.setText("Focus at the playhead")
        keys = len(clip.fit.keys)
        self.focus_x.setToolTip(
            f"the follow crop at the playhead ({keys} keys); a value typed here puts a key there"
            if keys
            else "finding the subject..."
        )

    def _set_gain(self, value: float) -> None:
        if self.document.project.music is not None:
            self.document.apply(
                "Music gain", edits.set_music_gain, round(value, 1), merge=("gain",)
            )

    def _set_ducking(self, value: float) -> None:
        self.document.apply("Ducking", edits.set_ducking, round(value), merge=("ducking",))

    def _automatic_ducking(self) -> None:
        self.document.apply("Automatic ducking", edits.automatic_ducking)

    def _set_fps(self, text: str) -> None:
        self.document.apply("Frame rate", edits.set_fps, int(text))

    def _set_preset(self, name: str) -> None:
        self.document.apply("Export preset", edits.set_preset, name)

    def _set_music_timing(self) -> None:
        if self.document.project.music is None:
            return
        offset, fade_in, fade_out = (
            Fraction(box.value()).limit_denominator(1000)
            for box in (self.offset, self.fade_in, self.fade_out)
        )
        try:
            self.document.apply(
                "Music timing",
                edits.set_music_timing,
                offset,
                fade_in,
                fade_out,
                merge=("music timing",),
            )
        except StudioError as error:
            self.refused.emit(error.message)

    def _set_effects(self) -> None:
        chosen = tuple(effect for row in self.effects.values() if (effect := row.effect()))
        self.document.apply("Beat effects", edits.set_effects, chosen, merge=("effects",))
