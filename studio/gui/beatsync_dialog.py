"""Beat sync from the app: pick the music and how to cut; the clips of the edit are cut to the
beats in the background and the result replaces the edit as one undoable step.

Where the beats are wrong (the analysis says when it is unsure), the fixes are here too: tap
the tempo, double, half, or shift the beats half a beat, each one step on the edit's music and
seen at once on its lane; then cutting again cuts to the beats as fixed."""

from __future__ import annotations

from studio.app import BeatSyncRequest, StudioError, beat_synced_project
from studio.gui.document import Document
from studio.gui.form import choice_box, label_of, spin_box
from studio.gui.jobs import Jobs
from studio.gui.qt import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    Signal,
)
from studio.model.timeline import BeatGrid, video_clips

MUSIC_FILTER = "Music (*.mp3 *.m4a *.wav *.ogg *.flac *.aac *.mp4 *.mov);;All files (*)"


FIXES = (("double", "Double"), ("half", "Half"), ("shift", "Shift \u00bd beat"))


class BeatSyncDialog(QDialog):
    finished_edit = Signal(list)  # the notes of the edit (short clips, where it ends)
    failed_edit = Signal(str)
    tapped = Signal()  # the Tap button: a tap along with the music (the window's tap tempo)

    def __init__(self, document: Document, jobs: Jobs) -> None:
        super().__init__()
        self.document, self.jobs = document, jobs
        self.keep_beats = QCheckBox("Cut to the beats on the timeline (as fixed)")
        self.keep_beats.setToolTip(
            "The edit's music keeps the beats you tapped or fixed; unticked, it is analysed again"
        )
        self.fixes = {name: QPushButton(title) for name, title in FIXES}
        self.tap = QPushButton("Tap (T)")
        self.tap.setToolTip("Tap along with the playing music: 4 steady taps set the beats")
        self.setWindowTitle("Cut to the beat")
        self.music = QLineEdit()
        self.mode, self.pick = choice_box("sync.mode"), choice_box("sync.pick")
        self.every = spin_box("sync.every", 1, 0)
        self.start = QDoubleSpinBox()
        self.start.setRange(0, 3600)
        self.length = QDoubleSpinBox()
        self.length.setRange(0, 600)
        self.length.setSpecialValueText("as long as the clips allow")
        self.tempo = _found_or(spin_box("grid.bpm", 1, 1))
        self.tempo.setToolTip(
            "The song's tempo if you know it: settles a half- or double-time reading"
        )
        self.bar_length = _found_or(spin_box("grid.meter", 1, 0))
        self.bar_length.setToolTip("Beats in a bar, if the bars found in the music are wrong")
        self.bar_start = QDoubleSpinBox()
        self.bar_start.setRange(0, 3600)
        self.bar_start.setSingleStep(0.1)
        _found_or(self.bar_start)
        self.bar_start.setToolTip(
            "A time in the music where a bar starts (the beat nearest it), if the bars found "
            "start on another beat"
        )
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.run_button = QPushButton("Cut to the beat")
        self.run_button.clicked.connect(self.run)
        for name, button in self.fixes.items():
            button.clicked.connect(lambda _=False, fix=name: self.fix(fix))
        self.tap.clicked.connect(self.tapped)
        self._layout()
        self._from_project()
        self._show_fixes()
        document.changed.connect(lambda _: self._show_fixes())

    def _layout(self) -> None:
        choose = QPushButton("...")
        choose.clicked.connect(self.choose_music)
        row = QHBoxLayout()
        row.addWidget(self.music, 1)
        row.addWidget(choose)
        form = QFormLayout()
        form.addRow("Music", row)
        form.addRow(label_of("sync.mode"), self.mode)
        form.addRow(label_of("grid.bpm"), self.tempo)
        form.addRow(label_of("grid.meter"), self.bar_length)
        form.addRow("A bar starts at (s)", self.bar_start)
        form.addRow(label_of("sync.every"), self.every)
        form.addRow(label_of("sync.pick"), self.pick)
        form.addRow("Start in the music (s)", self.start)
        form.addRow("Length (s)", self.length)
        fixes = QHBoxLayout()
        for button in (self.tap, *self.fixes.values()):
            fixes.addWidget(button)
        form.addRow("Beats wrong?", fixes)
        form.addRow(self.keep_beats)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.status)
        column.addWidget(self.run_button)

    def _from_project(self) -> None:
        """Start from the edit's music and the bars the user set on it, so cutting again keeps
        them."""
        music = self.document.project.music
        if music is None:
            return
        self.music.setText(music.media.path)
        if music.grid.bar_length:
            self.bar_length.setValue(music.grid.bar_length)
        if music.grid.bar_start is not None:
            self.bar_start.setValue(float(music.grid.bar_start))

    def _show_fixes(self) -> None:
        """The fixes act on the edit's music: offered once it has beats."""
        music = self.document.project.music
        has_beats = music is not None and len(music.grid.detected) > 1
        for button in (self.tap, *self.fixes.values()):
            button.setEnabled(has_beats)
        self.keep_beats.setEnabled(has_beats)
        if not has_beats:
            self.keep_beats.setChecked(False)

    def fix(self, name: str) -> None:
        """One fix of the edit's beats (one undo step); cutting again keeps it."""
        from studio.model import edits

        titles = dict(FIXES)
        try:
            self.document.apply(titles[name], edits.fix_beats, name)
        except StudioError as error:
            self.status.setText(error.message)
            return
        self.keep_beats.setChecked(True)
        music = self.document.project.music
        tempo = f" ({music.grid.tempo:.1f} BPM)" if music is not None else ""
        self.status.setText(f"beats fixed{tempo}: cut again to follow them")

    def choose_music(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Music", "", MUSIC_FILTER)
        if name:
            self.music.setText(name)

    def request(self) -> BeatSyncRequest:
        clips = list(dict.fromkeys(c.media.path for c in video_clips(self.document.project)))
        return BeatSyncRequest(
            music=self.music.text(),
            clips=clips,
            mode=self.mode.currentText(),
            every=int(self.every.value()),
            start=round(self.start.value(), 3),
            duration=round(self.length.value(), 3) or None,
            pick=self.pick.currentText(),
            fps=self.document.project.canvas.fps,
            bpm=_given(self.tempo),
            bar_start=_given(self.bar_start),
            beats_per_bar=int(_given(self.bar_length) or 0),
            grid=self._kept_grid(),
        )

    def _kept_grid(self) -> BeatGrid | None:
        """The edit's music grid, when the user keeps it and the music is the same file."""
        music = self.document.project.music
        if music is None or music.media.path != self.music.text():
            return None
        return music.grid if self.keep_beats.isChecked() else None

    def run(self) -> None:
        if not self.music.text():
            self.status.setText("choose the music first")
            return
        if not self.document.project.main.clips:
            self.status.setText("import clips first: they are cut to the beat")
            return
        self.run_button.setEnabled(False)
        self.status.setText("analysing the music...")
        self.jobs.run(
            beat_synced_project,
            self.request(),
            done=self._done,
            failed=self._failed,
            progress=lambda p: self.status.setText(f"{p.message or 'working'} {p.fraction:.0%}"),
        )

    def _done(self, result: object) -> None:
        project = result.project  # type: ignore[attr-defined]
        self.document.apply("Cut to the beat", lambda _: project)
        notes = list(result.notes)  # type: ignore[attr-defined]
        if notes and "beat" in notes[0] and not self.keep_beats.isChecked():
            notes.append("Beats wrong? Tap along (T) or use the fixes above, then cut again.")
        self.status.setText("\n".join(notes) or "done")  # warnings about the beat first
        self.run_button.setEnabled(True)
        self.finished_edit.emit(notes)

    def _failed(self, error: StudioError) -> None:
        self.status.setText(error.message)
        self.run_button.setEnabled(True)
        self.failed_edit.emit(error.message)


def _found_or(box: QDoubleSpinBox) -> QDoubleSpinBox:
    """A spin box whose value below its range means "as found in the music" (shown so)."""
    box.setMinimum(box.minimum() - (1 if box.decimals() < 2 else 0.01))
    box.setValue(box.minimum())
    box.setSpecialValueText("found in the music")
    return box


def _given(box: QDoubleSpinBox) -> float | None:
    """The value the user gave, or None where the box says "found in the music"."""
    return None if box.value() == box.minimum() else box.value()
