"""The action table: unique ids and shortcuts, the menus built from it, the command palette,
and `studio app --actions`."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from studio.gui.actions import COMMANDS, MENUS, duplicates
from studio.model.timeline import Project
from tests.factories import sample_project
from tests.helpers import studio


def test_no_two_commands_share_an_id_or_a_shortcut() -> None:
    assert duplicates([c.id for c in COMMANDS]) == []
    assert duplicates([c.shortcut for c in COMMANDS if c.shortcut]) == []
    assert {c.menu for c in COMMANDS} <= set(MENUS)
    assert duplicates(["S", "Ctrl+E", "s"]) == ["s"]  # shortcuts differ by more than case


def _window(qtbot: Any, project: Project) -> Any:
    from studio.gui.document import Document
    from studio.gui.jobs import Jobs
    from studio.gui.main_window import MainWindow

    window = MainWindow(Document(project), Jobs())
    qtbot.addWidget(window)
    window.show()
    return window


def _menu_entries(menu: Any, top: str) -> dict[str, tuple[str, str]]:
    """{object name: (top menu, shortcut)} for the actions of a menu (a submenu is one)."""
    return {a.objectName(): (top, a.shortcut().toString()) for a in menu.actions()}


def test_every_command_is_in_its_menu_with_its_shortcut(qtbot: Any) -> None:
    window = _window(qtbot, sample_project())
    found: dict[str, tuple[str, str]] = {}
    for top in window.menuBar().actions():
        found |= _menu_entries(top.menu(), top.text().replace("&", ""))
    for command in COMMANDS:
        assert found.get(command.id) == (command.menu, command.shortcut), command.id
    assert dict(window.shortcuts())["Ctrl+K"] == "Find a command..."
    split = window.commands["edit.split"].toolTip()
    assert split == "Cut the clip under the playhead in two (S)"  # a tooltip names its key


def _palette(qtbot: Any, window: Any, typed: str) -> Any:
    from studio.gui.qt import Qt

    window.commands["help.palette"].trigger()
    palette = window.command_palette
    assert palette.isVisible()
    qtbot.keyClicks(palette.search, typed)
    return palette, Qt


def _shown(palette: Any) -> list[str]:
    return [palette.found.item(row).text() for row in range(palette.found.count())]


def test_the_palette_finds_split_and_runs_it_at_the_playhead(qtbot: Any) -> None:
    before = sample_project()
    window = _window(qtbot, before)
    window.timeline.set_playhead(1.0)
    palette, qt = _palette(qtbot, window, "spl")
    assert _shown(palette) == ["Split at the playhead   (S)"]
    qtbot.keyClick(palette.search, qt.Key.Key_Return)
    clips = window.document.project.main.clips
    assert len(clips) == len(before.main.clips) + 1
    first = before.main.clips[0]
    assert clips[0].source_out == first.source_in + Fraction(1) * first.speed
    assert not palette.isVisible()


def test_the_palette_matches_words_in_any_order_and_any_case(qtbot: Any) -> None:
    window = _window(qtbot, sample_project())
    palette, _ = _palette(qtbot, window, "PLAYHEAD beat")
    assert _shown(palette) == [
        "Add a beat at the playhead   (B)",
        "Remove the beat at the playhead   (Shift+B)",
        "Start bars at the beat at the playhead   (D)",
    ]


def test_a_disabled_command_is_greyed_and_does_not_run(qtbot: Any) -> None:
    from studio.gui.qt import Qt

    before = sample_project()
    window = _window(qtbot, before)
    window.timeline.set_playhead(1.0)
    window.commands["edit.split"].setEnabled(False)
    palette, qt = _palette(qtbot, window, "split")
    item = palette.found.item(0)
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    palette.run_item(item)
    qtbot.keyClick(palette.search, qt.Key.Key_Return)
    assert window.document.project is before
    assert not window.commands["edit.undo"].isEnabled()  # nothing to undo: greyed too


def test_undo_names_the_step_it_would_take(qtbot: Any) -> None:
    window = _window(qtbot, sample_project())
    window.timeline.set_playhead(1.0)
    window.commands["edit.split"].trigger()
    undo = window.commands["edit.undo"]
    assert undo.isEnabled() and undo.text() == "&Undo Split"
    undo.trigger()
    assert window.commands["edit.redo"].text() == "&Redo Split"
    assert len(window.document.project.main.clips) == len(sample_project().main.clips)


def test_studio_app_actions_prints_the_table_as_json() -> None:
    result = studio("app", "--actions")
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout)
    split = next(entry for entry in table if entry["id"] == "edit.split")
    assert split == {"id": "edit.split", "title": "Split at the playhead", "shortcut": "S",
                     "menu": "Edit", "rows": ["timeline"], "icon": "content-cut"}  # fmt: skip
    assert len(table) == len(COMMANDS)
