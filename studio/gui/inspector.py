"""The inspector: the selected clip's fit, focus, speed and volume, an overlay's transform with
its keys (transform_panel.py), a transition's kind and length (transition_panel.py); the
music's start, gain and fades; the beat effects (punch, flash: strength, on beats or bars);
the project's frame rate and export preset. Every range, choice and label comes from the
engine's limits table; every change is an engine edit through the Document, and the steps of
one field merge into one undo step."""

from __future__ import annotations

from fractions import Fraction

from studio.app import StudioError, preset_names, preset_of, sticker_name, sticker_names, sticker_of
from studio.gui.document import Document
from studio.gui.qt import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from studio.gui.timeline.lanes import title_of
from studio.gui.transform_panel import TransformPanel
from studio.gui.transition_panel import TransitionPanel
from studio.model import edits
from studio.model.limits import CHOICES, LIMITS
from studio.model.timeline import (
    ARTISTIC,
    Background,
    BeatEffect,
    Clip,
    FaceBlur,
    Fit,
    Look,
    Project,
    clip_at,
)

BACKGROUND_FILTER = "Pictures and videos (*.png *.jpg *.jpeg *.webp *.mp4 *.mov *.mkv);;All (*)"
ACROSS = f"{LIMITS['fit.focus'].label} (across)"
PICK_PICTURE = "picture..."  # the sticker choice that opens a file dialog


def spin_box(key: str, step: float, decimals: int = 2) -> QDoubleSpinBox:
    """A spin box bounded by the limits table's range for `key`."""
    box = QDoubleSpinBox()
    limit = LIMITS[key]
    box.setRange(limit.low, limit.high)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setSuffix(limit.unit if limit.unit.startswith(" ") else "")
    box.setKeyboardTracking(False)
    return box


def choice_box(key: str) -> QComboBox:
    box = QComboBox()
    box.addItems([str(value) for value in CHOICES[key].values])
    return box


class EffectRow(QWidget):
    """One beat effect: on or off, its strength, and whether it hits every beat or bar starts."""

    changed = Signal()

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.enabled = QCheckBox(kind.capitalize())
        self.strength = spin_box("effect.strength", 0.1)
        self.on = QComboBox()
        self.on.addItems(["beats", "bars"])  # the engine's "downbeats", in a creator's word
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.strength)
        row.addWidget(self.on)
        self.enabled.toggled.connect(lambda _: self.changed.emit())
        self.strength.valueChanged.connect(lambda _: self.changed.emit())
        self.on.currentTextChanged.connect(lambda _: self.changed.emit())

    def show_effect(self, effect: BeatEffect | None) -> None:
        for widget in (self.enabled, self.strength, self.on):
            widget.blockSignals(True)
        self.enabled.setChecked(effect is not None)
        self.strength.setValue(effect.strength if effect else 0.5)
        self.on.setCurrentText("bars" if effect and effect.on == "downbeats" else "beats")
        for widget in (self.enabled, self.strength, self.on):
            widget.blockSignals(False)

    def effect(self) -> BeatEffect | None:
        if not self.enabled.isChecked():
            return None
        on = "downbeats" if self.on.currentText() == "bars" else "beats"
        return BeatEffect(self.kind, on, round(self.strength.value(), 2))  # type: ignore[arg-type]


class BackgroundRow(QWidget):
    """The selected clip's background: none, blurred, a colour, a picture or a video, with the
    blur strength and the softness of the person's edge."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.kind = QComboBox()
        self.kind.addItems(["none", *(str(k) for k in CHOICES["background.kind"].values)])
        self.strength = spin_box("background.strength", 0.1)
        self.feather = spin_box("background.feather", 0.1)
        self.color = QLineEdit("#00b140")
        self.file = QLineEdit()
        self.file.setPlaceholderText("picture or video behind the person")
        choose = QPushButton("...")
        choose.clicked.connect(self.choose_file)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(label_of("background.kind"), self.kind)
        form.addRow(label_of("background.strength"), self.strength)
        form.addRow(label_of("background.feather"), self.feather)
        form.addRow("Colour", self.color)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(choose)
        form.addRow("File", row)
        for signal in (self.kind.currentTextChanged, self.color.editingFinished):
            signal.connect(lambda *_: self.changed.emit())
        for box in (self.strength, self.feather):
            box.valueChanged.connect(lambda _: self.changed.emit())
        self.file.editingFinished.connect(self.changed.emit)
        self.kind.currentTextChanged.connect(lambda _: self._enable())

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Behind the person", "", BACKGROUND_FILTER)
        if name:
            self.file.setText(name)
            self.changed.emit()

    def show_background(self, background: Background | None) -> None:
        widgets = (self.kind, self.strength, self.feather, self.color, self.file)
        for widget in widgets:
            widget.blockSignals(True)
        self.kind.setCurrentText(background.kind if background else "none")
        self.strength.setValue(background.strength if background else 0.6)
        self.feather.setValue(background.feather if background else 0.3)
        self.color.setText(background.color if background else "#00b140")
        self.file.setText(background.path if background else "")
        for widget in widgets:
            widget.blockSignals(False)
        self._enable()

    def background(self) -> Background | None:
        """The chosen background (StudioError when it is not complete, e.g. no file yet)."""
        kind = self.kind.currentText()
        if kind == "none":
            return None
        return Background(
            kind,  # type: ignore[arg-type]
            strength=round(self.strength.value(), 2),
            color=self.color.text().strip().lower(),
            path=self.file.text().strip(),
            feather=round(self.feather.value(), 2),
        )

    def _enable(self) -> None:
        kind = self.kind.currentText()
        self.strength.setEnabled(kind == "blur")
        self.feather.setEnabled(kind != "none")
        self.color.setEnabled(kind == "color")
        self.file.setEnabled(kind in ("image", "video"))


class Inspector(QWidget):
    refused = Signal(str)  # an edit the engine refused, with its reason
    seek = Signal(float)  # timeline seconds: the playhead to a key

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document, self.clip_id, self.item_id = document, "", ""
        self.transform, self.transition = TransformPanel(document), TransitionPanel(document)
        for panel in (self.transform, self.transition):
            panel.refused.connect(self.refused)
        self.transform.seek.connect(self.seek)
        self.playhead = 0.0  # seconds, kept by the window (a follow crop's focus is set there)
        self.fit, self.fps = choice_box("fit.mode"), choice_box("canvas.fps")
        self.focus_x, self.focus_y = spin_box("fit.focus", 0.05), spin_box("fit.focus", 0.05)
        self.speed, self.volume = spin_box("clip.speed", 0.25), spin_box("clip.volume", 0.1)
        self.gain = spin_box("music.gain_db", 1.0, 1)
        self.offset = spin_box("music.offset", 0.1)
        self.fade_in, self.fade_out = spin_box("music.fade", 0.5), spin_box("music.fade", 0.5)
        self.effects = {str(kind): EffectRow(str(kind)) for kind in CHOICES["effect.kind"].values}
        self.preset = QComboBox()
        self.preset.addItems(preset_names())
        self.backdrop = BackgroundRow()
        self.look = QComboBox()
        self.look.addItems(["none", *(str(name) for name in CHOICES["look.name"].values)])
        self.look_intensity = spin_box("look.intensity", 0.1)
        self.beauty = spin_box("clip.beauty", 0.1)
        self.sticker = QComboBox()
        self.sticker.addItems(["none", *sticker_names(), PICK_PICTURE])
        self.sticker.setToolTip("a picture that follows the face and turns with the head")
        self.artistic = QComboBox()
        self.artistic.addItems(["none", *ARTISTIC])
        self.artistic.setToolTip("drawn frame by frame (slow render): ready after a short wait")
        self.faces = QComboBox()
        self.faces.addItems(["none", *(str(which) for which in CHOICES["faces.which"].values)])
        self.faces.setToolTip("all: every face; others: every face but the largest (yours)")
        self.clip_title = QLabel("No clip selected")
        self.focus_label = QLabel(ACROSS)
        self._layout()
        self._connect()
        document.changed.connect(lambda _: self.show_clip(self.item_id))
        self.show_clip("")

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.clip_title)
        form.addRow(self.transform)
        form.addRow(self.transition)
        self.clip_rows: list[QWidget] = [QLabel("Effects"), QLabel("Behind the person")]
        form.addRow(label_of("fit.mode"), self.fit)
        form.addRow(self.focus_label, self.focus_x)
        form.addRow(f"{label_of('fit.focus')} (down)", self.focus_y)
        form.addRow(label_of("clip.speed"), self.speed)
        form.addRow(label_of("clip.volume"), self.volume)
        form.addRow(self.clip_rows[0])
        form.addRow(label_of("look.name"), self.look)
        form.addRow(label_of("look.intensity"), self.look_intensity)
        form.addRow(label_of("faces.which"), self.faces)
        form.addRow(label_of("clip.beauty"), self.beauty)
        form.addRow("Sticker", self.sticker)
        form.addRow("Artistic", self.artistic)
        form.addRow(self.clip_rows[1])
        form.addRow(self.backdrop)
        self.clip_rows += [self.fit, self.focus_x, self.focus_y, self.speed, self.volume]
        self.clip_rows += [self.look, self.look_intensity, self.faces, self.beauty]
        self.clip_rows += [self.sticker, self.artistic, self.backdrop]
        self.form = form
        form.addRow(QLabel("Music"))
        form.addRow(label_of("music.offset"), self.offset)
        form.addRow(label_of("music.gain_db"), self.gain)
        form.addRow("Fade in", self.fade_in)
        form.addRow("Fade out", self.fade_out)
        form.addRow(QLabel("Beat effects"))
        for row in self.effects.values():
            form.addRow(row.enabled, row)
        form.addRow(QLabel("Project"))
        form.addRow(CHOICES["canvas.fps"].label, self.fps)
        form.addRow("Export preset", self.preset)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addStretch(1)

    def _connect(self) -> None:
        self.fit.currentTextChanged.connect(lambda _: self._set_fit())
        self.focus_x.valueChanged.connect(lambda _: self._set_fit())
        self.focus_y.valueChanged.connect(lambda _: self._set_fit())
        self.speed.valueChanged.connect(self._set_speed)
        self.volume.valueChanged.connect(self._set_volume)
        self.gain.valueChanged.connect(self._set_gain)
        self.fps.currentTextChanged.connect(self._set_fps)
        self.preset.currentTextChanged.connect(self._set_preset)
        for box in (self.offset, self.fade_in, self.fade_out):
            box.valueChanged.connect(lambda _: self._set_music_timing())
        for row in self.effects.values():
            row.changed.connect(self._set_effects)
        self.backdrop.changed.connect(self._set_background)
        self.look.currentTextChanged.connect(lambda _: self._set_look())
        self.faces.currentTextChanged.connect(self._set_faces)
        self.beauty.valueChanged.connect(self._set_beauty)
        self.sticker.activated.connect(lambda _: self._set_sticker())
        self.artistic.currentTextChanged.connect(self._set_artistic)
        self.look_intensity.valueChanged.connect(lambda _: self._set_look())

    def show_clip(self, item_id: str) -> None:
        """Show the selected item's values (a main clip's, an overlay's transform, a
        transition's) and the music's and project's, without making edits."""
        project = self.document.project
        ids = [clip.id for clip in project.main.clips]
        self.clip_id = item_id if item_id in ids else ""
        items = {item.id: track for track in project.tracks for item in track.items}
        self.item_id = item_id if item_id in items else ""
        self.transform.show_item(self.item_id, self.playhead)
        self.transition.show_item(self.item_id)
        for row in self.clip_rows:  # a main clip's own rows, hidden for other items
            self.form.setRowVisible(row, bool(self.clip_id) or not self.item_id)
        for widget in self._widgets():
            widget.blockSignals(True)
        self._show_values(project)
        for widget in self._widgets():
            widget.blockSignals(False)

    def _show_values(self, project: Project) -> None:
        clip_widgets = (
            self.fit,
            self.focus_x,
            self.focus_y,
            self.speed,
            self.volume,
            self.backdrop,
            self.look,
            self.look_intensity,
            self.faces,
            self.beauty,
            self.sticker,
            self.artistic,
        )
        for widget in clip_widgets:
            widget.setEnabled(bool(self.clip_id))
        if self.clip_id:
            clip = project.main.clips[edits.index_of(project, self.clip_id)]
            self.clip_title.setText(clip.media.name)
            self.fit.setCurrentText(clip.fit.mode)
            self.focus_x.setValue(clip.fit.focus_x)
            self.focus_y.setValue(clip.fit.focus_y)
            self.focus_x.setToolTip("")
            self.focus_label.setText(ACROSS)
            if clip.fit.mode == "follow":
                self._show_follow(clip)
            self.speed.setValue(float(clip.speed))
            self.volume.setValue(clip.volume)
            self.backdrop.show_background(clip.background)
            self.look.setCurrentText(clip.look.name if clip.look else "none")
            self.look_intensity.setValue(clip.look.intensity if clip.look else 0.8)
            self.faces.setCurrentText(clip.faces.which if clip.faces else "none")
            self.beauty.setValue(clip.beauty)
            self._show_sticker(clip)
            names = [e.name for e in clip.frame_effects if e.name in ARTISTIC]
            self.artistic.setCurrentText(names[0] if names else "none")
        else:
            self.clip_title.setText(self._title(project))
        music = project.music
        for widget in (self.gain, self.offset, self.fade_in, self.fade_out):
            widget.setEnabled(music is not None)
        self.gain.setValue(music.gain_db if music else 0.0)
        self.offset.setValue(float(music.offset) if music else 0.0)
        self.fade_in.setValue(float(music.fade_in) if music else 0.0)
        self.fade_out.setValue(float(music.fade_out) if music else 0.0)
        for kind, row in self.effects.items():
            row.show_effect(next((e for e in project.effects if e.kind == kind), None))
            row.setEnabled(music is not None)
            row.enabled.setEnabled(music is not None)
        self.fps.setCurrentText(str(project.canvas.fps))
        self.preset.setCurrentText(preset_of(project).name)

    def _title(self, project: Project) -> str:
        """What is selected when it is not a main clip: an item of a lane, a transition."""
        for track in project.tracks:
            for item in track.items:
                if item.id == self.item_id and isinstance(item, Clip):
                    return f"{item.media.name} · {title_of(track)}"
        return "Transition" if self.item_id else "No clip selected"

    def _widgets(self) -> tuple[QObject, ...]:
        music = (self.gain, self.offset, self.fade_in, self.fade_out)
        clip: tuple[QObject, ...] = (self.fit, self.focus_x, self.focus_y, self.speed)
        clip += (self.volume, self.look, self.look_intensity, self.faces, self.beauty)
        clip += (self.sticker, self.artistic)
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
        return clip.source_in + found[1] * clip.speed

    def set_playhead(self, seconds: float) -> None:
        """The playhead moved: a follow crop's focus box shows the focus there, an overlay's
        transform its values and keys there."""
        self.playhead = seconds
        self.transform.set_playhead(seconds)
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

    def _set_speed(self, value: float) -> None:
        if self.clip_id:
            speed = Fraction(value).limit_denominator(100)
            self.document.apply(
                "Speed", edits.set_speed, self.clip_id, speed, merge=("speed", self.clip_id)
            )

    def _set_volume(self, value: float) -> None:
        if self.clip_id:
            self.document.apply(
                "Volume",
                edits.set_volume,
                self.clip_id,
                round(value, 2),
                merge=("volume", self.clip_id),
            )

    def _set_gain(self, value: float) -> None:
        if self.document.project.music is not None:
            self.document.apply(
                "Music gain", edits.set_music_gain, round(value, 1), merge=("gain",)
            )

    def _set_beauty(self, value: float) -> None:
        if self.clip_id:
            self.document.apply(
                "Skin smoothing",
                edits.set_beauty,
                self.clip_id,
                round(value, 2),
                merge=("beauty", self.clip_id),
            )

    def _show_sticker(self, clip: Clip) -> None:
        name = sticker_name(clip.sticker) if clip.sticker else ""
        if name and self.sticker.findText(name) < 0:
            self.sticker.insertItem(self.sticker.count() - 1, name)
        self.sticker.setCurrentText(name or "none")

    def _set_sticker(self) -> None:
        """A built-in sticker, a picture chosen in a file dialog, or none."""
        if not self.clip_id:
            return
        choice = self.sticker.currentText()
        clip = self.document.project.main.clips[self._index()]
        if choice == PICK_PICTURE:
            choice, _ = QFileDialog.getOpenFileName(
                self, "Sticker picture", "", "Pictures (*.png *.webp *.jpg *.jpeg)"
            )
            if not choice:
                self._show_sticker(clip)
                return
        elif choice not in (*sticker_names(), "none"):  # the picture already on the clip
            return
        try:
            sticker = None if choice == "none" else sticker_of(choice)
            self.document.apply("Sticker", edits.set_sticker, self.clip_id, sticker)
        except StudioError as error:
            self.refused.emit(error.message)
            self._show_sticker(clip)

    def _set_artistic(self, name: str) -> None:
        if self.clip_id:
            chosen = None if name == "none" else name
            self.document.apply("Artistic", edits.set_artistic, self.clip_id, chosen)

    def _set_faces(self, which: str) -> None:
        if self.clip_id:
            faces = None if which == "none" else FaceBlur(which)  # type: ignore[arg-type]
            self.document.apply("Blur faces", edits.set_faces, self.clip_id, faces)

    def _set_look(self) -> None:
        if not self.clip_id:
            return
        name = self.look.currentText()
        look = None if name == "none" else Look(name, round(self.look_intensity.value(), 2))
        self.document.apply(
            "Look", edits.set_look, self.clip_id, look, merge=("look", self.clip_id)
        )

    def _set_background(self) -> None:
        if not self.clip_id:
            return
        try:
            background = self.backdrop.background()
            self.document.apply(
                "Background",
                edits.set_background,
                self.clip_id,
                background,
                merge=("background", self.clip_id),
            )
        except StudioError as error:
            self.refused.emit(error.message)

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


def label_of(key: str) -> str:
    return LIMITS[key].label if key in LIMITS else CHOICES[key].label
