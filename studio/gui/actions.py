"""Every command of the editing window, as one table (napari's app-model `Action` shape): the
menus, the shortcut help, the command palette and `studio app --actions` are all built from it.

The table is plain data: Qt is imported only by `build_actions`, so the CLI can print the
table without starting Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MENUS = ("File", "Edit", "View", "Help")


ROWS = ("tools", "transport", "timeline")  # the tool rows a command can also sit in


@dataclass(frozen=True)
class Command:
    """One command: `run` is the name of a MainWindow method or a function of the window (and,
    for a checkable command, of its new state; for a submenu, of the menu to fill on show).
    `icon` is a Material Design icon name (gui/icons.py); `rows` the tool rows it sits in."""

    id: str
    title: str  # the menu text; "&" marks the mnemonic letter
    menu: str
    run: str | Callable[..., Any]
    shortcut: str = ""  # Qt key sequence text, as QKeySequence.toString() writes it
    tip: str = ""
    checkable: bool = False
    submenu: bool = False
    icon: str = ""
    rows: tuple[str, ...] = ()
    checked: bool = False  # a checkable command's state at start

    @property
    def plain_title(self) -> str:
        return self.title.replace("&", "")

    @property
    def tooltip(self) -> str:
        """What it does, and its shortcut: "Split the clip at the playhead (S)"."""
        words = self.tip or self.plain_title.rstrip(".")
        return f"{words} ({self.shortcut})" if self.shortcut else words


def _undo(window: Any) -> None:
    window.document.undo_stack.undo()


def _redo(window: Any) -> None:
    window.document.undo_stack.redo()


def _fill_transitions(window: Any, menu: Any) -> None:
    window.layer_edits.fill_menu(menu)


def _safe_zone(window: Any, on: bool) -> None:
    window.preview.view.set_safe_zone(on)


def _panel(name: str) -> Callable[[Any], None]:
    return lambda window: window.show_panel(name)


FILE = (
    Command("file.import", "&Import clips...", "File", "choose_files", "Ctrl+I",
            "Add video files to the end of the track", icon="tray-arrow-down"),
    Command("file.record", "Re&cord...", "File", "open_record", "Ctrl+R",
            "Record a take with the camera", icon="record-circle-outline"),
    Command("file.record_duet", "Record a duet with the selected clip...", "File",
            "open_record_duet", "", "Record yourself beside the selected clip while it plays",
            icon="account-multiple-outline"),
    Command("file.save", "&Save", "File", "save", "Ctrl+S", "Save the project",
            icon="content-save-outline"),
    Command("file.save_as", "Save &as...", "File", "choose_save_as", "Ctrl+Shift+S",
            "Save the project under a new name", icon="content-save-edit-outline"),
    Command("file.beat_sync", "Cut to the &beat...", "File", "open_beat_sync", "Ctrl+B",
            "Cut the clips to a song's beats", icon="metronome"),
    Command("file.duet", "&Duet...", "File", "open_duet", "", "Make a duet from two videos",
            icon="view-split-vertical"),
    Command("file.stitch", "S&titch...", "File", "open_stitch", "",
            "Start with up to 5 s of another video, then yours", icon="link-variant"),
    Command("file.export", "&Export...", "File", "open_export", "Ctrl+E",
            "Render the edit to a video file", icon="export-variant"),
    Command("file.relink", "&Relink media...", "File", "choose_relink_folder", "",
            "Find moved media files in a folder", icon="link-variant-plus"),
    Command("file.recent", "Open &recent", "File", "fill_recent", "",
            "Open a project saved lately", submenu=True, icon="history"),
)  # fmt: skip

EDIT = (
    Command("edit.undo", "&Undo", "Edit", _undo, "Ctrl+Z", "Undo the last edit", icon="undo",
            rows=("timeline",)),
    Command("edit.redo", "&Redo", "Edit", _redo, "Ctrl+Shift+Z", "Redo the edit undone",
            icon="redo", rows=("timeline",)),
    Command("edit.split", "&Split at the playhead", "Edit", "split", "S",
            "Cut the clip under the playhead in two", icon="content-cut", rows=("timeline",)),
    Command("edit.delete", "&Delete the selected item", "Edit", "delete", "Del",
            "Remove the selected clip, layer or transition", icon="delete-outline",
            rows=("timeline",)),
    Command("edit.snap", "S&nap to beats", "Edit", "set_snap", "N",
            "Dragged edges and items snap to beats (hold Alt to place freely)", checkable=True,
            checked=True, icon="magnet", rows=("timeline",)),
    Command("edit.ripple", "R&ipple delete on layers", "Edit", "set_ripple", "",
            "Deleting an item on a layer pulls the items after it left (the main track "
            "always closes up)", checkable=True, icon="arrow-collapse-left",
            rows=("timeline",)),
    Command("edit.add_marker", "Add a &marker at the playhead", "Edit", "add_marker", "M",
            "Mark a moment of the edit", icon="bookmark-outline", rows=("timeline",)),
    Command("edit.add_beat", "Add a &beat at the playhead", "Edit", "add_beat", "B",
            "Mark a beat of the music at the playhead", icon="music-note-plus"),
    Command("edit.remove_beat", "Remove the beat at the playhead", "Edit", "remove_beat",
            "Shift+B", "Remove the beat marker at the playhead", icon="music-note-minus"),
    Command("edit.start_bars", "Start bars at the beat at the &playhead", "Edit", "start_bars",
            "D", "Make the beat at the playhead the first of a bar", icon="music-clef-treble"),
    Command("edit.tap_tempo", "&Tap tempo", "Edit", "tap_tempo", "T",
            "Tap along with the playing music (4 steady taps set its tempo and which beat is "
            "the beat)", icon="gesture-tap"),
    Command("edit.double_tempo", "&Double the tempo", "Edit", "double_tempo", "",
            "A beat halfway between each pair (the tempo was read at half)",
            icon="chevron-double-up"),
    Command("edit.half_tempo", "&Half the tempo", "Edit", "half_tempo", "",
            "Every other beat (the tempo was read at double)", icon="chevron-double-down"),
    Command("edit.shift_beats", "Shift the beats half a beat", "Edit", "shift_beats", "",
            "Every beat halfway to the next (the grid was on the off-beat)",
            icon="arrow-right-bold"),
    Command("edit.transition", "Add &transition at the nearest cut", "Edit", _fill_transitions,
            "", "Choose a transition for the cut nearest the playhead", submenu=True,
            icon="transition"),
    Command("edit.bar_length", "Beats per &bar", "Edit", "fill_bar_lengths", "",
            "How many beats make a bar of the music", submenu=True, icon="music"),
)  # fmt: skip

VIEW = (
    Command("view.play_pause", "&Play / pause", "View", "play_pause", "Space",
            "Play from the playhead, or pause", icon="play", rows=("transport",)),
    Command("view.play_forward", "Play forward (again: faster)", "View",
            lambda window: window.shuttle.press(1), "L", "Play forward; press again to speed up",
            icon="fast-forward"),
    Command("view.pause", "Pause", "View", "pause", "K", "Stop playing", icon="pause"),
    Command("view.play_backward", "Play backward (again: faster)", "View",
            lambda window: window.shuttle.press(-1), "J", "Play backward; press again to speed up",
            icon="rewind"),
    Command("view.frame_back", "Back one frame", "View", lambda window: window.step(-1), "Left",
            "Move the playhead one frame back", icon="step-backward", rows=("transport",)),
    Command("view.frame_forward", "Forward one frame", "View", lambda window: window.step(1),
            "Right", "Move the playhead one frame on", icon="step-forward", rows=("transport",)),
    Command("view.loop", "&Loop the selection", "View", "set_loop", "Ctrl+L",
            "Play the selected item's time over and over", checkable=True, icon="repeat",
            rows=("transport",)),
    Command("view.safe_zone", "Show the &safe zone", "View", _safe_zone, "Z",
            "Shade where the app's buttons cover the picture", checkable=True,
            icon="cellphone-screenshot", rows=("transport",)),
    Command("view.actual_size", "Preview at &100%", "View", "set_actual_size", "Ctrl+0",
            "Show the preview pixel for pixel (off: fit the panel)", checkable=True,
            icon="magnify-scan", rows=("transport",)),
    Command("view.full_screen", "&Full-screen preview", "View", "full_screen_preview", "F11",
            "Show the preview alone on the whole screen (Esc leaves)", icon="fullscreen",
            rows=("transport",)),
    Command("view.zoom_in", "Zoom the timeline in", "View",
            lambda window: window.timeline.zoom(1.25), "+", "Show less time, in more detail",
            icon="magnify-plus-outline"),
    Command("view.zoom_out", "Zoom the timeline out", "View",
            lambda window: window.timeline.zoom(0.8), "-", "Show more time",
            icon="magnify-minus-outline"),
    Command("view.light_theme", "Light t&heme", "View", "set_light_theme", "",
            "Light panels instead of the dark workspace", checkable=True,
            icon="theme-light-dark"),
)  # fmt: skip

PANELS = (
    ("media", "Media", "filmstrip-box-multiple"),
    ("record", "Record", "record-circle-outline"),
    ("audio", "Audio", "music-note-outline"),
    ("text", "Text", "format-text"),
    ("stickers", "Stickers", "sticker-emoji"),
    ("effects", "Effects", "auto-fix"),
    ("looks", "Looks", "palette-outline"),
    ("transitions", "Transitions", "transition"),
)

TOOLS = tuple(
    Command(f"panel.{name}", f"{title} browser", "View", _panel(name), f"Alt+{n}",
            f"Show the {title.lower()} browser", icon=icon, rows=("tools",))
    for n, (name, title, icon) in enumerate(PANELS, start=1)
)  # fmt: skip

HELP = (
    Command("help.shortcuts", "&Keyboard shortcuts", "Help", "show_shortcuts", "F1",
            "List every shortcut", icon="keyboard-outline"),
    Command("help.palette", "&Find a command...", "Help", "open_palette", "Ctrl+K",
            "Type to find any command and run it", icon="magnify"),
)  # fmt: skip

COMMANDS: tuple[Command, ...] = FILE + EDIT + VIEW + TOOLS + HELP


def duplicates(values: list[str]) -> list[str]:
    """The values that occur more than once (case does not tell shortcuts apart)."""
    seen: set[str] = set()
    twice = []
    for value in values:
        if value.casefold() in seen:
            twice.append(value)
        seen.add(value.casefold())
    return twice


def table_json(commands: tuple[Command, ...] = COMMANDS) -> list[dict[str, Any]]:
    """The table as `studio app --actions` prints it: where each command appears (its menu
    and tool rows), its keys and its icon."""
    return [
        {
            "id": c.id,
            "title": c.plain_title,
            "shortcut": c.shortcut,
            "menu": c.menu,
            "rows": list(c.rows),
            "icon": c.icon,
        }
        for c in commands
    ]


def call(window: Any, command: Command, *args: Any) -> Any:
    """Run a command's `run` on the window."""
    if isinstance(command.run, str):
        return getattr(window, command.run)(*args)
    return command.run(window, *args)


def build_actions(window: Any, commands: tuple[Command, ...] = COMMANDS) -> dict[str, Any]:
    """The window's menus from the table: {id: QAction} (a submenu's is its menu action)."""
    menus = {name: window.menuBar().addMenu(f"&{name}") for name in MENUS}
    actions = {}
    for command in commands:
        menu = menus[command.menu]
        if command.submenu:
            actions[command.id] = _submenu(window, menu.addMenu(command.title), command)
        else:
            actions[command.id] = _action(window, command)
            menu.addAction(actions[command.id])
    return actions


def _action(window: Any, command: Command) -> Any:
    from studio.gui.icons import icon
    from studio.gui.qt import QAction, QKeySequence

    action = QAction(icon(command.icon), command.title, window)
    action.setObjectName(command.id)
    action.setShortcut(QKeySequence(command.shortcut))
    action.setToolTip(command.tooltip)
    action.setStatusTip(command.tooltip)
    if command.checkable:
        action.setCheckable(True)
        action.setChecked(command.checked)
        action.toggled.connect(lambda on: call(window, command, on))
    else:
        action.triggered.connect(lambda: call(window, command))
    return action


def build_row(
    row: str, actions: dict[str, Any], commands: tuple[Command, ...] = COMMANDS
) -> list[Any]:
    """The actions of a tool row, in the table's order."""
    return [actions[c.id] for c in commands if row in c.rows]


def _submenu(window: Any, menu: Any, command: Command) -> Any:
    from studio.gui.icons import icon

    menu.setIcon(icon(command.icon))
    menu.aboutToShow.connect(lambda: call(window, command, menu))
    action = menu.menuAction()
    action.setObjectName(command.id)
    action.setToolTip(command.tooltip)
    return action
