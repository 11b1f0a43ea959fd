"""The editing window: media bin, preview, and the menus; it composes panels and holds no
editing logic (edits go through the Document)."""

from __future__ import annotations

import time
from dataclasses import replace
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

from studio.app import Relinked, StudioError, make_proxy, missing_media, probe_many, relink
from studio.gui.actions import COMMANDS, PANELS, build_actions, build_row
from studio.gui.analysis import Analyses
from studio.gui.autosave import SUFFIX
from studio.gui.beatsync_dialog import BeatSyncDialog
from studio.gui.browser import Browser, MediaList
from studio.gui.canvas_edit import CanvasEditor
from studio.gui.captions_panel import CaptionsPanel
from studio.gui.catalogue import MEDIA, Tile, catalogue, tiles_of
from studio.gui.document import Document
from studio.gui.export_dialog import ExportDialog
from studio.gui.icons import icon
from studio.gui.inspector import Inspector
from studio.gui.jobs import Jobs
from studio.gui.layer_edits import LayerEdits
from studio.gui.palette import Palette
from studio.gui.player import Player
from studio.gui.preview import FramePreview
from studio.gui.qt import (
    QActionGroup,
    QFileDialog,
    QFrame,
    QIcon,
    QLabel,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPixmap,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSettings,
    QSize,
    QSlider,
    QSplitter,
    QStackedWidget,
    Qt,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
    Signal,
)
from studio.gui.remix_dialog import DuetDialog, RemixDialog, StitchDialog
from studio.gui.shuttle import Shuttle
from studio.gui.sound_preview import SoundPreview
from studio.gui.start_window import recent_projects, remember_project
from studio.gui.theme import stored_theme
from studio.gui.tile_edits import TileEdits, subject_clip
from studio.gui.tile_pictures import TilePictures
from studio.gui.timeline.canvas import TimelineCanvas
from studio.gui.timeline.headers import TimelinePanel
from studio.gui.timeline.strips import Strips
from studio.gui.transport import FullScreen, spacer, transport_row
from studio.model import arrange, edits
from studio.model.edits import add_clip, clip_of
from studio.model.timeline import BeatGrid, Clip, FocusKey, MediaRef, Project, video_clips


def media_line(media: MediaRef) -> str:
    """What the media bin shows for a file: name, length, size, rotation, rate."""
    parts = [media.name, f"{float(media.duration):.2f} s", f"{media.width}x{media.height}"]
    if media.rotation:
        parts.append(f"rotated {media.rotation}")
    if media.fps:
        parts.append(f"{float(media.fps):.2f} fps" + (" VFR" if media.vfr else ""))
    return "  ·  ".join(parts)


GEOMETRY_KEY = "main_window/geometry"
PANELS_KEY = "main_window/panels"
TRACKS_KEY = "main_window/tracks"
PANEL_KEY = "main_window/panel"  # the browser open last
# browsers whose tiles show rendered pictures
PICTURED = ("text", "stickers", "effects", "looks", "transitions")
MEDIA_FILTER = "Video and audio (*.mp4 *.mov *.m4v *.mkv *.webm *.avi *.mts *.gif);;All files (*)"


def clips_from(found: list[Any]) -> tuple[list[Clip], list[str]]:
    """Clips for the files that have a picture; a line for each file that cannot be used."""
    clips, problems = [], []
    for result in found:
        if isinstance(result, StudioError):
            problems.append(result.message)
        elif not result.media.has_video:
            problems.append(f"{result.media.path}: has no picture (use it as music)")
        else:
            clips.append(clip_of(result.media))
    return clips, problems


MEDIA_ENDINGS = {".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".mts", ".gif", ".3gp"}


def media_files(paths: list[str]) -> list[str]:
    """Dropped files as they are; dropped folders as the video files inside them, by name."""
    found: list[str] = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.suffix.lower() in MEDIA_ENDINGS)
            found += [str(p) for p in inside if p.is_file()]
        elif path.name:
            found.append(str(path))
    return found


def find_media(paths: list[str], task: object = None) -> list[str]:
    """media_files in the shape of a job (a big folder must not hold the window)."""
    return media_files(paths)


def _voice_clip(path: str, task: Any = None) -> Clip:
    from studio.gui.tile_edits import probe_voice

    return probe_voice(path)


def _voice_take(part: Path, seconds: float, task: Any = None) -> Path:
    from studio.io.capture import make_voice_take

    return make_voice_take(part, seconds, task)


def plays_the_same(before: Project, after: Project) -> bool:
    """Whether two snapshots play alike: beat markers change nothing on screen or in the sound
    unless beat effects use them (so tapping B while playing does not restart playback)."""
    if before.effects or after.effects:
        return before == after
    return _without_beats(before) == _without_beats(after)


def _without_beats(project: Project) -> Project:
    if project.music is None:
        return project
    return replace(project, music=replace(project.music, grid=BeatGrid()))


def find_missing(
    project: Project, paths: frozenset[str], task: object = None
) -> tuple[frozenset[str], list[str]]:
    """missing_media in the shape of a job (it looks at the disk), with the paths it checked."""
    return paths, missing_media(project)


def media_of(project: Project) -> list[MediaRef]:
    media = [clip.media for clip in video_clips(project)]
    return media + ([project.music.media] if project.music is not None else [])


def add_clips(project: Project, clips: list[Clip]) -> Project:
    for clip in clips:
        project = add_clip(project, clip)
    return project


class MainWindow(QMainWindow):
    imported = Signal(int, list)  # clips added, problems
    proxies_ready = Signal()  # every proxy asked for is made
    relinked = Signal(int)  # files found again
    open_requested = Signal(str)  # a project file chosen from the recent list

    def __init__(self, document: Document, jobs: Jobs) -> None:
        super().__init__()
        self.document, self.jobs = document, jobs
        self.bin = MediaList()  # drag a file onto the timeline or the preview
        self.preview = FramePreview(jobs)
        self.player = Player(self.preview.view)
        self.shuttle = Shuttle(self)
        self.timeline = TimelineCanvas()
        self.layer_edits = LayerEdits(document, self.timeline)
        self.analyses = Analyses(jobs)
        self.strips = Strips(jobs)
        self.timeline.strips = self.strips
        self.strips.arrived.connect(self.timeline.update)
        self.strips.arrived.connect(self._strips_arrived)  # a method: Qt drops it with the window
        self.bin.setIconSize(QSize(72, 40))
        self.bin.itemDoubleClicked.connect(self.add_from_bin)
        self.inspector = Inspector(document)
        self.captions = CaptionsPanel(document, jobs)
        self.status = QLabel()
        self.analysis_bar = QProgressBar()  # shown while an effect's analysis runs
        self.analysis_bar.setRange(0, 100)
        self.analysis_bar.hide()
        from studio.app import sticker_names
        from studio.model.title_styles import STYLES
        from studio.render.sfx import LIBRARY
        from studio.render.stickers import library

        styles = {name: looks for name, (looks, _) in STYLES.items()}
        bundled = {s.name: (s.label, s.tags) for s in library().values()}
        sounds = {effect.name: (effect.label, effect.tags) for effect in LIBRARY}
        tiles = catalogue(tuple(sticker_names()), styles, bundled, sounds)
        self.browsers = {
            name: Browser(title, tiles_of(name, tiles), name in PICTURED, square=name == "stickers")
            for name, title, _ in PANELS
        }
        self.tile_pictures = TilePictures(jobs, self.browsers, self)
        self.destroyed.connect(self.tile_pictures.stop)
        self.tile_edits = TileEdits(self, document)
        self.sound_preview = SoundPreview(jobs)
        self.canvas_edit = CanvasEditor(self.preview.view, document, self.timeline)
        self.dialogs: list[QWidget] = []
        self.taps: list[tuple[float, float]] = []  # tap tempo: (when, music seconds) of each tap
        self.ripple = False  # deleting on a layer pulls what follows left
        self.looping = False  # playback loops the selection
        self.autosaver: Any = None  # set by the launcher
        self.proxying: set[str] = set()  # media whose preview proxy is being made
        self.missing: set[str] = set()  # media files not where the project says (moved?)
        self.checked: frozenset[str] = frozenset()  # the media paths last checked on disk
        self._layout()
        self._menus()
        self._rows()
        self._connect_browsers()
        document.changed.connect(self.refresh)
        self.timeline.seek.connect(lambda seconds: self.show_time(Fraction(seconds)))
        self.timeline.beats_menu.connect(lambda where: self.beats_menu().popup(where))
        self.timeline.trim_to.connect(self.trim_end)
        self.timeline.selected.connect(self.inspector.show_clip)
        self.inspector.refused.connect(self.status.setText)
        self.layer_edits.refused.connect(self.status.setText)
        self.inspector.seek.connect(lambda seconds: self.show_time(Fraction(seconds)))
        self.captions.refused.connect(self.status.setText)
        self.captions.seek.connect(lambda seconds: self.show_time(Fraction(seconds)))
        self.timeline.move_to.connect(self.move_clip)
        document.dirty_changed.connect(lambda _: self._title())
        self.preview.failed.connect(self._frame_failed)
        self.player.position.connect(self.timeline.set_playhead)
        self.player.failed.connect(self._frame_failed)
        self.player.running.connect(self._playing)
        self.analyses.progressed.connect(self.status.setText)
        self.analyses.ready.connect(self._analysis_ready)
        self.analyses.followed.connect(self._follow_keys_found)
        self.player.position.connect(self.inspector.set_playhead)
        self.player.position.connect(self._show_timecode)
        self.player.position.connect(self._keep_looping)
        self.analyses.fraction.connect(self._analysis_progress)
        self.refresh(document.project)
        self.resize(1280, 800)
        self._restore_layout()
        self.show_panel(str(QSettings().value(PANEL_KEY, "media")))

    def _layout(self) -> None:
        """Browsers on the left, the preview and its transport in the middle, the inspector on
        the right, the timeline and its tool row below (CapCut's shape)."""
        self.panel_stack = QStackedWidget()
        for name, *_ in PANELS:
            self.panel_stack.addWidget(self.browsers[name])
        media = self.browsers["media"]
        media.grid.setMaximumHeight(86)  # one row of tools
        media.column.addWidget(QLabel("In this edit (double-click: add again)"))
        media.column.addWidget(self.bin, 2)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.panel_stack, 1)
        column.addWidget(self.analysis_bar)
        column.addWidget(self.status)
        self.status.setWordWrap(True)
        scroll = QScrollArea()  # the inspector scrolls when the window is short
        scroll.setWidget(self.inspector)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        panel = QTabWidget()
        panel.addTab(scroll, "Inspector")
        panel.addTab(self.captions, "Captions")
        self.centre = QWidget()
        self.centre_column = QVBoxLayout(self.centre)
        self.centre_column.setContentsMargins(0, 0, 0, 0)
        self.centre_column.setSpacing(0)
        self.centre_column.addWidget(self.preview, 1)
        top = QSplitter(Qt.Orientation.Horizontal)
        for widget, stretch in ((side, 1), (self.centre, 2), (panel, 1)):
            top.addWidget(widget)
            top.setStretchFactor(top.indexOf(widget), stretch)
        top.setSizes([330, 560, 360])
        self.splitters = QSplitter(Qt.Orientation.Vertical)
        self.splitters.addWidget(top)
        self.timeline_panel = TimelinePanel(self.timeline)
        self.timeline_box = QWidget()
        self.timeline_column = QVBoxLayout(self.timeline_box)
        self.timeline_column.setContentsMargins(0, 0, 0, 0)
        self.timeline_column.setSpacing(0)
        self.timeline_column.addWidget(self.timeline_panel, 1)
        self.splitters.addWidget(self.timeline_box)
        self.splitters.setStretchFactor(0, 1)
        self.panels = top
        self.setCentralWidget(self.splitters)

    def _rows(self) -> None:
        """The tool rows, from the action table: the tools across the top (with Export at the
        right), the transport under the preview, the timeline's above it."""
        tools = QToolBar("Tools")
        tools.setObjectName("tools")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        group = QActionGroup(self)
        for action in build_row("tools", self.commands):
            action.setIconText(action.text().removesuffix(" browser"))  # "Looks" under its icon
            action.setCheckable(True)
            group.addAction(action)
            tools.addAction(action)
        tools.addWidget(spacer())
        self.export_button = QPushButton(icon("export-variant"), "Export")
        self.export_button.setObjectName("export")
        self.export_button.setToolTip(self.commands["file.export"].toolTip())
        self.export_button.clicked.connect(self.commands["file.export"].trigger)
        tools.addWidget(self.export_button)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tools)
        transport, self.timecode = transport_row(build_row("transport", self.commands))
        self.centre_column.addWidget(transport)
        self.full_screen = FullScreen(self.preview.view, self.preview.column)
        self.timeline_row = QToolBar("Timeline")
        self.timeline_row.setObjectName("timeline-row")
        for action in build_row("timeline", self.commands):
            self.timeline_row.addAction(action)
        self.timeline_row.addWidget(spacer())
        self.zoom_slider = QSlider(Qt.Orientation.Horizontal)
        self.zoom_slider.setRange(0, 100)
        self.zoom_slider.setFixedWidth(160)
        self.zoom_slider.setToolTip("Timeline zoom (+ and -, or the wheel)")
        self.zoom_slider.valueChanged.connect(self._zoom_to)
        self.timeline_row.addWidget(QLabel(" zoom "))
        self.timeline_row.addWidget(self.zoom_slider)
        self.timeline_column.insertWidget(0, self.timeline_row)

    def _connect_browsers(self) -> None:
        for browser in self.browsers.values():
            browser.activated.connect(self.tile_edits.use)
        self.browsers["transitions"].pointed.connect(self.tile_pictures.play)
        self.browsers["audio"].pointed.connect(self.sound_preview.point)
        self.tile_edits.refused.connect(self.status.setText)
        self.tile_edits.done.connect(self.status.setText)
        self.timeline.tile_dropped.connect(self.drop_tile)
        self.timeline.media_dropped.connect(self.drop_media)
        self.preview.view.tile_dropped.connect(self.drop_tile_on_preview)
        self.timeline.selected.connect(lambda _: self._draw_tiles())
        self.timeline.selected.connect(lambda _: self.preview.view.update())
        self.canvas_edit.refused.connect(self.status.setText)
        self.document.refused.connect(self.status.setText)
        self.timeline_panel.headers.switched.connect(self.switch_track)
        self.timeline_panel.headers.gained.connect(
            lambda track_id, gain: self._edit("Track gain", arrange.set_track_gain, track_id, gain)
        )
        self.timeline.zoomed.connect(self._zoom_shown)
        self._zoom_shown(self.timeline.scale.pixels_per_second)

    def tile(self, tile_id: str) -> Tile | None:
        found = (t for browser in self.browsers.values() for t in browser.tiles if t.id == tile_id)
        return next(found, None)

    def drop_tile(self, tile_id: str, item_id: str, cut_after: str) -> None:
        """A tile let go on the timeline: on the clip under it, or the cut nearest it."""
        chosen = self.tile(tile_id)
        if chosen is not None:
            self.tile_edits.use(chosen, item_id, cut_after)

    def drop_tile_on_preview(self, tile_id: str) -> None:
        """A tile let go on the preview: as if double-clicked (the selected clip, or the main
        clip under the playhead; a transition at the cut nearest the playhead); a file of the
        media list becomes a picture in picture at the playhead."""
        if tile_id.startswith(MEDIA):
            self.drop_media(tile_id.removeprefix(MEDIA), self.timeline.playhead, "overlay")
        else:
            self.drop_tile(tile_id, "", "")

    def drop_media(self, path: str, seconds: float, role: str) -> None:
        """A file of the edit let go on a lane: on an overlay lane a picture in picture from
        there, anywhere else a clip of the main track at the cut nearest."""
        media = next((m for m in media_of(self.document.project) if m.path == path), None)
        if media is None or not media.has_video:
            return
        at = Fraction(seconds).limit_denominator(1000)
        if role == "overlay":
            self.tile_edits.add_clip(clip_of(media), at, "overlay")
        else:
            self._edit("Add clip", arrange.insert_main, clip_of(media), at)

    def show_panel(self, name: str) -> None:
        """Open a browser (its tool checked); its tiles are drawn for the clip in hand."""
        names = [panel[0] for panel in PANELS]
        name = name if name in names else names[0]
        self.panel_stack.setCurrentIndex(names.index(name))
        self.commands[f"panel.{name}"].setChecked(True)
        QSettings().setValue(PANEL_KEY, name)
        if name == "transitions":
            self.tile_pictures.show_transitions()
        else:
            self.tile_pictures.hide_transitions()
        self._draw_tiles()

    def _draw_tiles(self) -> None:
        """Looks and effects drawn on the selected clip (or the one under the playhead)."""
        self.tile_pictures.show_library(self.panel_stack.currentWidget())
        pictured = (self.browsers["looks"], self.browsers["effects"], self.browsers["stickers"])
        if self.panel_stack.currentWidget() not in pictured:
            return
        project = self.document.project
        clip = subject_clip(project, self.timeline.selection, self.timeline.playhead)
        self.tile_pictures.show_clip(clip, project.canvas)

    def switch_track(self, track_id: str, name: str, on: bool) -> None:
        """A lane header's mute, solo, hide or lock switch."""
        words = {"muted": "Mute", "solo": "Solo", "hidden": "Hide", "locked": "Lock"}[name]
        undone = {"Mute": "Unmute", "Solo": "Unsolo", "Hide": "Show", "Lock": "Unlock"}
        label = words if on else undone[words]
        self._edit(f"{label} track", arrange.set_track_switch, track_id, name, on)

    def set_snap(self, on: bool) -> None:
        self.timeline.snap_on = on

    def set_ripple(self, on: bool) -> None:
        self.ripple = on

    def add_marker(self) -> None:
        self._edit("Add marker", edits.add_marker, self._playhead())

    def set_loop(self, on: bool) -> None:
        """Loop the selected item's time while playing (the whole edit with nothing selected)."""
        self.looping = on

    def _loop_range(self) -> tuple[float, float]:
        project = self.document.project
        for track in project.tracks:
            if any(item.id == self.timeline.selection for item in track.items):
                start, end = track.range_of(self.timeline.selection)
                return float(start), float(end)
        return 0.0, float(project.duration)

    def _keep_looping(self, seconds: float) -> None:
        if not self.looping or not self.player.playing:
            return
        start, end = self._loop_range()
        if seconds >= end - 1 / self.document.project.canvas.fps or seconds < start - 0.05:
            at = Fraction(start).limit_denominator(10**6)
            self.player.play(self.document.project, at, self.player.rate)

    def set_actual_size(self, on: bool) -> None:
        self.preview.view.set_actual_size(on)

    def full_screen_preview(self) -> None:
        self.full_screen.toggle()

    def set_light_theme(self, on: bool) -> None:
        """The light or dark theme for every window, kept for the next start."""
        from studio.gui import icons
        from studio.gui.qt import QApplication
        from studio.gui.theme import THEME_KEY, apply_theme

        name = "light" if on else "dark"
        QSettings().setValue(THEME_KEY, name)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, name)
        icons.forget()
        for command in COMMANDS:
            self.commands[command.id].setIcon(icon(command.icon))
        self.export_button.setIcon(icon("export-variant"))

    def _zoom_to(self, value: int) -> None:
        """The slider's 0..100 to the timeline's 10..2000 pixels a second (evenly in ratio)."""
        wanted = 10 * 200 ** (value / 100)
        now = self.timeline.scale.pixels_per_second
        if abs(wanted / now - 1) > 0.01:
            self.timeline.zoom(wanted / now)

    def _zoom_shown(self, pixels_per_second: float) -> None:
        import math

        value = round(100 * math.log(pixels_per_second / 10) / math.log(200))
        self.zoom_slider.blockSignals(True)
        self.zoom_slider.setValue(value)
        self.zoom_slider.blockSignals(False)

    def _playhead(self) -> Fraction:
        return Fraction(self.timeline.playhead).limit_denominator(10**6)

    def _show_timecode(self, seconds: float) -> None:
        project = self.document.project
        self.timecode.set_time(seconds, float(project.duration), project.canvas.fps)

    def _restore_layout(self) -> None:
        """The window's size and place, and where the user dragged the panel borders."""
        settings = QSettings()
        for key, restore in (
            (GEOMETRY_KEY, self.restoreGeometry),
            (PANELS_KEY, self.panels.restoreState),
            (TRACKS_KEY, self.splitters.restoreState),
        ):
            value = settings.value(key)
            if value is not None:
                restore(value)

    def _menus(self) -> None:
        """Menus and shortcuts from the action table, and the command palette over them."""
        self.commands = build_actions(self)
        self.recent_menu = self.commands["file.recent"].menu()
        self.transition_menu = self.commands["edit.transition"].menu()
        self.bar_length_menu = self.commands["edit.bar_length"].menu()
        self.command_palette = Palette(self, COMMANDS, self.commands)
        self._follow_undo_stack()
        light = self.commands["view.light_theme"]
        light.blockSignals(True)
        light.setChecked(stored_theme(QSettings()) == "light")
        light.blockSignals(False)
        self.setAcceptDrops(True)

    def _follow_undo_stack(self) -> None:
        """Undo and Redo name the step they would take, and are greyed when there is none."""
        stack = self.document.undo_stack
        undo, redo = self.commands["edit.undo"], self.commands["edit.redo"]
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        stack.undoTextChanged.connect(self._name_undo)
        stack.redoTextChanged.connect(self._name_redo)
        undo.setEnabled(stack.canUndo())
        redo.setEnabled(stack.canRedo())

    def _name_undo(self, step: str) -> None:
        self.commands["edit.undo"].setText(f"&Undo {step}".rstrip())

    def _name_redo(self, step: str) -> None:
        self.commands["edit.redo"].setText(f"&Redo {step}".rstrip())

    def open_palette(self) -> None:
        self.command_palette.open()

    def refresh(self, project: Project) -> None:
        self.preview.cache.set_project(project)
        self.strips.want(project)
        self.analyses.want(project)
        self._check_media(project)
        playing = self.player.project if self.player.playing else None
        if playing is not None and not plays_the_same(playing, project):
            at = Fraction(self.timeline.playhead).limit_denominator(10**6)
            self.player.play(project, at, self.player.rate)  # the edit as it is now, from here
        elif playing is None and project.duration > 0:
            self.preview.show_time(project, self._playhead())  # the still frame, edited
        self.timeline.show_project(project)
        self.timeline_panel.headers.update()  # its switches
        self._fill_bin(project)
        self._show_timecode(self.timeline.playhead)
        seconds = float(project.duration)
        self.status.setText(
            f"{len(project.main.clips)} clips, {seconds:.2f} s, "
            f"{project.canvas.width}x{project.canvas.height} "
            f"{project.canvas.fps} fps"
        )
        self._title()

    def _analysis_progress(self, fraction: float) -> None:
        self.analysis_bar.setVisible(fraction >= 0)
        self.analysis_bar.setValue(round(max(fraction, 0) * 100))

    def _analysis_ready(self) -> None:
        """A mask is made: frames rendered without the effect are rendered again."""
        self.preview.cache.reset()
        if not self.player.playing:
            at = Fraction(self.timeline.playhead).limit_denominator(10**6)
            self.preview.show_time(self.document.project, at)

    def _follow_keys_found(self, clip_id: str, keys: tuple[FocusKey, ...]) -> None:
        """A follow crop's path is found: its keys go into the project, in the same undo step
        as choosing follow."""
        project = self.document.project
        if clip_id not in {clip.id for clip in project.main.clips}:
            return
        index = edits.index_of(project, clip_id)
        fit = project.main.clips[index].fit
        if fit.mode == "follow" and not fit.keys:
            fit = replace(fit, keys=keys)
            self.document.apply("Fit", edits.set_fit, clip_id, fit, merge=("fit", clip_id))

    def _check_media(self, project: Project) -> None:
        """Look for missing files (on a job thread) whenever the edit's files change."""
        paths = frozenset(m.path for m in media_of(project))
        if paths != self.checked:
            self.checked = paths
            # a method, not a partial: Qt drops the answer with the window
            self.jobs.run(find_missing, project, paths, done=self._missing_found)

    def _missing_found(self, found: tuple[frozenset[str], list[str]]) -> None:
        paths, missing = found
        if paths != self.checked:
            return  # the edit's files changed again meanwhile
        self.missing = set(missing)
        self.timeline.missing = self.missing
        self.timeline.update()
        self._fill_bin(self.document.project)
        if missing:
            names = ", ".join(Path(path).name for path in missing)
            self.status.setText(f"missing: {names} (File > Relink media... to find them)")

    def _frame_failed(self, message: str) -> None:
        """A frame the preview or the player could not draw. A file already named as missing is
        not named again: "missing: ... (File > Relink media...)" stays, whichever came first."""
        if not any(Path(path).name in message for path in self.missing):
            self.status.setText(message)

    def choose_relink_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Find the missing media in")
        if folder:
            self.relink_folder(folder)

    def relink_folder(self, folder: str) -> None:
        """Point missing files at their namesakes in `folder`, as one undoable step."""
        self.status.setText(f"looking for the missing media in {folder}...")
        self.jobs.run(
            relink,
            self.document.project,
            folder,
            done=self._relinked,
            failed=lambda error: self.status.setText(error.message),
        )

    def _relinked(self, result: Relinked) -> None:
        if result.found:
            self.document.apply("Relink media", lambda _: result.project)
        found = f"found {len(result.found)} files"
        self.status.setText("; ".join([found, *result.missing]))
        self.relinked.emit(len(result.found))

    def _strips_arrived(self) -> None:
        self._fill_bin(self.document.project)

    def _fill_bin(self, project: Project) -> None:
        """One line per file the edit uses, with its first thumbnail and a badge while its
        preview proxy is being made."""
        self.bin.clear()
        for media in {clip.media.path: clip.media for clip in video_clips(project)}.values():
            badge = "  ·  making a preview proxy..." if media.path in self.proxying else ""
            badge = "  ·  MISSING" if media.path in self.missing else badge
            item = QListWidgetItem(media_line(media) + badge)
            found = self.strips.thumbs.get(media.path)
            if found and found[1]:
                item.setIcon(QIcon(QPixmap.fromImage(found[1][0])))
            item.setData(Qt.ItemDataRole.UserRole, media.path)
            self.bin.addItem(item)

    def add_from_bin(self, item: QListWidgetItem) -> None:
        """A double-clicked file joins the end of the track again (one more clip of it)."""
        path = item.data(Qt.ItemDataRole.UserRole)
        clip = next(c for c in video_clips(self.document.project) if c.media.path == path)
        self.document.apply("Add clip", add_clip, clip_of(clip.media))

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Import clips", "", MEDIA_FILTER)
        if names:
            self.import_files(names)

    def import_files(self, paths: list[str]) -> None:
        """Probe the files in the background; the usable ones join the track as one step,
        each unusable one is named with its reason."""
        self.status.setText(f"importing {len(paths)} files...")
        self.jobs.run(probe_many, paths, done=lambda found: self._imported(paths, found))

    def _imported(self, paths: list[str], found: list[Any]) -> None:
        clips, problems = clips_from(found)
        if clips:
            self.document.apply(f"Import {len(clips)} clips", add_clips, clips)
            self.make_proxies([clip.media for clip in clips])
        self.status.setText("; ".join(problems) if problems else f"imported {len(clips)} clips")
        self.imported.emit(len(clips), problems)

    def trim_end(self, clip_id: str, end: Fraction, drag: object) -> None:
        """Move a clip's out-point so it ends at timeline time `end` (one undo step a drag)."""
        project = self.document.project
        index = edits.index_of(project, clip_id)
        clip = project.main.clips[index]
        start = sum((c.duration for c in project.main.clips[:index]), Fraction(0))
        length = max(end - start, Fraction(1, project.canvas.fps))
        out = clip.source_in + length * clip.speed
        self.document.apply("Trim", edits.trim_clip, clip_id, clip.source_in, out, merge=drag)

    def move_clip(self, clip_id: str, to: int, drag: object) -> None:
        index = edits.index_of(self.document.project, clip_id)
        target = to - 1 if to > index else to  # the clip leaves its own place first
        self.document.apply("Move clip", edits.move_clip, clip_id, target, merge=drag)

    def open_record(self) -> Any:
        """The record screen; its take joins the track like an imported clip."""
        from studio.gui.capture.dialog import RecordDialog

        self._recover_takes()
        dialog = RecordDialog(self.takes_folder(), self.jobs, fps=self.document.project.canvas.fps)
        dialog.take_ready.connect(lambda path: self.import_files([path]))
        dialog.show()
        self.dialogs.append(dialog)
        return dialog

    def _recover_takes(self) -> None:
        """Segments an earlier recording left behind (a crash) become takes in the project."""
        from studio.io.capture import recover

        self.jobs.run(recover, self.takes_folder(), done=self._recovered)

    def _recovered(self, takes: list[Path]) -> None:
        if takes:
            self.status.setText(f"recovered {len(takes)} take(s) from an interrupted recording")
            self.import_files([str(take) for take in takes])

    def open_record_duet(self) -> Any:
        """Record yourself while the selected clip plays; the duet replaces the edit."""
        from studio.gui.capture.dialog import DuetRecordDialog

        project = self.document.project
        chosen = [c for c in project.main.clips if c.id == self.timeline.selection]
        if not chosen:
            self.status.setText("select the clip to duet with first")
            return None
        fps = project.canvas.fps
        dialog = DuetRecordDialog(self.takes_folder(), chosen[0].media, self.jobs, fps=fps)
        dialog.duet_ready.connect(
            lambda remix: self.document.apply("Record duet", lambda _: remix.project)
        )
        dialog.duet_failed.connect(self.status.setText)
        dialog.show()
        self.dialogs.append(dialog)
        return dialog

    def record_voice_over(self) -> Any:
        """Record a voice while the edit plays from the playhead; the take goes on a voice
        track where the playhead was, or, punched in, over the selected voice take from the
        playhead inside it (or its start) for as long as it records (the edit playing from a
        pre-roll before the punch-in)."""
        from studio.gui.voice_dialog import VoiceOverDialog

        project = self.document.project
        old = self.timeline.selection
        voices = [i for t in project.layers if t.role == "voice" for i in t.items]
        dialog = VoiceOverDialog(self, self.takes_folder(), any(i.id == old for i in voices))
        start = lead = punch = Fraction(0)

        def began() -> None:
            nonlocal start, lead, punch
            start, lead = Fraction(self.timeline.playhead).limit_denominator(10**6), Fraction(0)
            if dialog.punch.isChecked():
                start, lead, punch = self._punch_times(old, start)
            if start < self.document.project.duration:
                self.player.play(self.document.project, start)

        def ended(playing: bool) -> None:
            if not playing and dialog.recording is not None:
                dialog.stop()  # the edit's end

        def recorded(part: str, seconds: float) -> None:
            at, into = start, lead
            place = partial(self._punch_in, old, into, punch) if dialog.punch.isChecked() else None
            self.jobs.run(
                _voice_take,
                Path(part),
                seconds,
                done=place or (lambda take: self.tile_edits.add_file(str(take), "voice", at)),
                failed=lambda error: self.status.setText(error.message),
            )

        dialog.started.connect(began)
        dialog.stopped.connect(self.player.stop)
        self.player.running.connect(ended)
        dialog.take_ready.connect(recorded)
        dialog.show()
        self.dialogs.append(dialog)
        return dialog

    def _punch_times(self, old: str, playhead: Fraction) -> tuple[Fraction, Fraction, Fraction]:
        """Where the edit plays from to punch in over the take `old`, how far into the
        recording the punch-in comes (the pre-roll), and the punch-in: the playhead when it is
        inside the take, else the take's start."""
        from studio.gui.voice_dialog import PRE_ROLL

        layers = self.document.project.layers
        begin, end = next(t for t in layers if any(i.id == old for i in t.items)).range_of(old)
        punch = playhead if begin + Fraction(1, 10) < playhead < end - Fraction(1, 10) else begin
        start = max(Fraction(0), punch - Fraction(PRE_ROLL))
        return start, punch - start, punch

    def _punch_in(self, old: str, lead: Fraction, at: Fraction, take: Path) -> None:
        """A voice take laid over the take `old` from `at`, from `lead` seconds into it."""
        self.jobs.run(
            _voice_clip,
            str(take),
            done=lambda clip: self._edit("Punch in", arrange.punched_in, old, clip, lead, at),
            failed=lambda error: self.status.setText(error.message),
        )

    def takes_folder(self) -> Path:
        """Where takes are written: "takes" beside the project, or in the user's videos."""
        if self.document.path is not None:
            return Path(self.document.path).parent / "takes"
        import platformdirs

        return Path(platformdirs.user_videos_dir()) / "studio takes"

    def open_beat_sync(self) -> BeatSyncDialog:
        dialog = BeatSyncDialog(self.document, self.jobs)
        dialog.finished_edit.connect(lambda notes: self.status.setText("; ".join(notes)))
        dialog.tapped.connect(self.tap_tempo)
        dialog.show()
        self.dialogs.append(dialog)
        return dialog

    def open_duet(self) -> RemixDialog:
        return self.open_remix(DuetDialog)

    def open_stitch(self) -> RemixDialog:
        return self.open_remix(StitchDialog)

    def open_remix(self, kind: type[RemixDialog]) -> RemixDialog:
        dialog = kind(self.document, self.jobs)
        dialog.made.connect(self.status.setText)
        dialog.show()
        self.dialogs.append(dialog)
        return dialog

    def open_export(self) -> ExportDialog:
        """The export dialog, on a snapshot of the edit: editing goes on while it renders."""
        folder = self.document.path.parent if self.document.path else Path.home()
        stem = (
            self.document.path.name.removesuffix(".studio.json") if self.document.path else "edit"
        )
        dialog = ExportDialog(
            self.document.project,
            self.jobs,
            folder / f"{stem}.mp4",
            current=lambda: self.document.project,  # "Add to queue" takes the edit as it is then
        )
        dialog.exported.connect(lambda path: self.status.setText(f"exported {path}"))
        dialog.show()
        self.dialogs.append(dialog)
        return dialog

    def add_beat(self) -> None:
        self._edit("Add beat", edits.add_beat, Fraction(self.timeline.playhead))

    def remove_beat(self) -> None:
        self._edit("Remove beat", edits.remove_beat, Fraction(self.timeline.playhead))

    def start_bars(self) -> None:
        self._edit("Start bars here", edits.start_bars, Fraction(self.timeline.playhead))

    def beats_menu(self) -> QMenu:
        """The fixes of the music's beats, as a right-click on the music lane offers them."""
        menu = QMenu(self)
        for name in ("tap_tempo", "double_tempo", "half_tempo", "shift_beats", "start_bars"):
            menu.addAction(self.commands[f"edit.{name}"])
        return menu

    def double_tempo(self) -> None:
        self._edit("Double the tempo", edits.fix_beats, "double")

    def half_tempo(self) -> None:
        self._edit("Half the tempo", edits.fix_beats, "half")

    def shift_beats(self) -> None:
        self._edit("Shift the beats", edits.fix_beats, "shift")

    def tap_tempo(self) -> None:
        """A tap along with the music (at the playhead, in the music's own time); from the
        fourth steady tap on, the beats follow the taps' tempo and phase (found in the
        background, one undo step for the whole run of taps). A pause of 2 s starts over."""
        from studio.app.beats import tapped_grid
        from studio.model.beat_fixes import MIN_TAPS

        music = self.document.project.music
        if music is None:
            self.status.setText("tap tempo needs music: add a song first")
            return
        now = time.monotonic()
        if self.taps and now - self.taps[-1][0] > 2.0:
            self.taps = []
        self.taps.append((now, float(Fraction(self.timeline.playhead) + music.offset)))
        self.taps = self.taps[-8:]
        if len(self.taps) < MIN_TAPS:
            self.status.setText(f"tap tempo: {MIN_TAPS - len(self.taps)} more taps")
            return
        run = ("tap", self.taps[0][0])  # the taps of one run make one undo step
        self.jobs.run(
            tapped_grid,
            music.media.path,
            [at for _, at in self.taps],
            done=lambda grid: self._tapped(grid, run),
            failed=lambda error: self.status.setText(error.message),
        )

    def _tapped(self, grid: Any, run: tuple[str, float]) -> None:
        try:
            self.document.apply("Tap tempo", edits.set_beat_grid, grid, merge=run)
        except StudioError as error:
            self.status.setText(error.message)
            return
        self.status.setText(f"tap tempo: {grid.tempo:.1f} BPM")

    def set_bar_length(self, beats: int) -> None:
        self._edit("Beats per bar", edits.set_bar_length, beats)

    def fill_bar_lengths(self, menu: QMenu) -> None:
        """As found (the analysed meter) or 2-7 beats, the one in effect checked."""
        menu.clear()
        music = self.document.project.music
        if music is None:
            menu.addAction("(the edit has no music)").setEnabled(False)
            return
        for beats in (0, *range(2, 8)):
            name = f"As found ({music.grid.meter})" if beats == 0 else str(beats)
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(music.grid.bar_length == beats)
            action.triggered.connect(lambda _=False, n=beats: self.set_bar_length(n))

    def _edit(self, label: str, edit: Any, *args: Any) -> None:
        """An edit the engine may refuse: the refusal is shown, never raised into Qt."""
        try:
            self.document.apply(label, edit, *args)
        except StudioError as error:
            self.status.setText(error.message)

    def shortcuts(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every command with a shortcut, as the help lists them."""
        return sorted((c.shortcut, c.plain_title) for c in COMMANDS if c.shortcut)

    def show_shortcuts(self) -> None:
        lines = "\n".join(f"{keys}\t{what}" for keys, what in self.shortcuts())
        QMessageBox.information(self, "Keyboard shortcuts", lines)

    def split(self) -> None:
        self._edit("Split", edits.split_clip, Fraction(self.timeline.playhead))

    def delete(self) -> None:
        if self.timeline.selection:
            remove = arrange.ripple_remove if self.ripple else arrange.remove_item
            self._edit("Delete", remove, self.timeline.selection)

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        """Dropped folders are searched for videos on a job thread, then imported."""
        dropped = [url.toLocalFile() for url in event.mimeData().urls()]
        self.jobs.run(find_media, dropped, done=self._dropped)

    def _dropped(self, paths: list[str]) -> None:
        if paths:
            self.import_files(paths)

    def make_proxies(self, sources: list[Any]) -> None:
        """Preview proxies for new media, in the background, badged in the bin while made."""
        for media in {m.path: m for m in sources}.values():
            if media.path in self.proxying:
                continue
            self.proxying.add(media.path)
            self.jobs.run(
                make_proxy,
                media,
                done=partial(self._proxy_made, media.path),
                failed=partial(self._proxy_failed, media.path),
            )
        self.refresh(self.document.project)

    def _proxy_made(self, path: str, _: object) -> None:
        self._proxy_done(path)

    def _proxy_failed(self, path: str, error: StudioError) -> None:
        self._proxy_done(path, error.message)

    def _proxy_done(self, path: str, problem: str = "") -> None:
        self.proxying.discard(path)
        if problem:
            self.status.setText(problem)
        self.refresh(self.document.project)
        if not self.proxying:
            self.proxies_ready.emit()

    def step(self, frames: int) -> None:
        """Move the playhead by whole frames, within the edit."""
        project = self.document.project
        fps = project.canvas.fps
        frame = round(self.timeline.playhead * fps) + frames
        last = max(0, round(project.duration * fps) - 1)
        self.show_time(Fraction(min(max(frame, 0), last), fps))

    def show_time(self, at: Fraction) -> None:
        """Seek: while playing, play on from there; else render the still frame."""
        self.timeline.set_playhead(float(at))
        self.inspector.set_playhead(float(at))
        self._show_timecode(float(at))
        if self.player.playing:
            self.player.play(self.document.project, at, self.player.rate)
        else:
            self.preview.show_time(self.document.project, at)

    def play_pause(self) -> None:
        if self.player.playing or self.shuttle.speed:
            self.pause()
        else:
            self.shuttle.press(1)

    def pause(self) -> None:
        self.shuttle.stop()

    def _playing(self, running: bool) -> None:
        """Background work gives the two cores to playback while it runs: the scrub cache
        stops, the other jobs' programs hold still (an export in the queue goes on after)."""
        self.commands["view.play_pause"].setIcon(icon("pause" if running else "play"))
        self.preview.hold("playback", running)
        if running:
            self.preview.cache.pause()
        else:
            self.preview.cache.resume()

    def play(self, rate: float = 1.0) -> None:
        """Play from the playhead (from the start when the playhead is at the end)."""
        project = self.document.project
        at = Fraction(self.timeline.playhead).limit_denominator(10**6)
        if at >= project.duration - Fraction(1, project.canvas.fps):
            at = Fraction(0)
        self.preview.forget()
        self.player.play(project, at, rate)

    def save(self) -> None:
        if self.document.path is None:
            self.choose_save_as()
        else:
            self.document.save_in_background(self.jobs, done=self._saved, failed=self._not_saved)

    def choose_save_as(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save as", "", "Projects (*.studio.json)")
        if name:
            self.save_as(name)

    def save_as(self, name: str) -> None:
        """Save under a new name (".studio.json" added when missing); the window follows it."""
        path = (
            name if name.endswith(".studio.json") else name.removesuffix(".json") + ".studio.json"
        )
        if self.autosaver is not None:
            self.autosaver.discard()
        self.document.save_in_background(self.jobs, path, done=self._saved, failed=self._not_saved)

    def fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        for name in recent_projects(QSettings()):
            action = menu.addAction(name)
            action.triggered.connect(partial(self.open_requested.emit, name))

    def _saved(self, path: Path) -> None:
        remember_project(QSettings(), path)  # saved projects are the recent ones
        if self.autosaver is not None:
            self.autosaver.path = path.with_name(path.name + SUFFIX)
        self.status.setText(f"saved {path.name}")
        self._title()

    def _not_saved(self, error: StudioError) -> None:
        self.status.setText(f"not saved: {error.message}")

    def closeEvent(self, event: Any) -> None:
        """A clean close removes the autosave; unsaved changes keep it for the next start."""
        settings = QSettings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(PANELS_KEY, self.panels.saveState())
        settings.setValue(TRACKS_KEY, self.splitters.saveState())
        self.shuttle.stop()
        self.tile_pictures.stop()
        self.preview.cache.pause()  # its job stops: nothing more to render for a closed window
        if self.autosaver is not None and not self.document.dirty:
            self.autosaver.discard()
        super().closeEvent(event)

    def _title(self) -> None:
        name = self.document.path.name if self.document.path else "Untitled"
        self.setWindowTitle(f"{name}{' *' if self.document.dirty else ''} — studio")
