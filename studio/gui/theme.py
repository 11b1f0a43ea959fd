"""The app's look: a dark theme by default (creators edit in CapCut's and the TikTok editor's
dark workspaces), a light one in View > Light theme, kept in the settings.

Both are Qt's Fusion style with a palette, so every widget follows them the same way on
Windows, macOS and Linux; a short style sheet only shapes the tool rows and browser tiles.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from studio.gui.qt import QApplication, QColor, QFontDatabase, QPalette, QSettings

THEME_KEY = "appearance/theme"
THEMES = ("dark", "light")


@dataclass(frozen=True)
class Colours:
    window: str  # panels
    base: str  # lists, fields, the preview's surround
    raised: str  # buttons, headers
    text: str
    dim: str  # secondary text, disabled
    accent: str  # selection, the checked tool, the export button
    on_accent: str  # text on the accent


DARK = Colours("#1e1f22", "#141517", "#2b2d31", "#e6e6e8", "#8b8d93", "#22c3d6", "#0c1a1c")
LIGHT = Colours("#f3f3f5", "#ffffff", "#e4e5e8", "#1d1e21", "#74767c", "#0a8fa3", "#ffffff")
COLOURS = {"dark": DARK, "light": LIGHT}


def stored_theme(settings: QSettings) -> str:
    name = str(settings.value(THEME_KEY, "dark"))
    return name if name in THEMES else "dark"


def colours(name: str) -> Colours:
    return COLOURS.get(name, DARK)


def palette(c: Colours) -> QPalette:
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    made = QPalette()
    for r, value in (
        (role.Window, c.window),
        (role.WindowText, c.text),
        (role.Base, c.base),
        (role.AlternateBase, c.window),
        (role.ToolTipBase, c.raised),
        (role.ToolTipText, c.text),
        (role.PlaceholderText, c.dim),
        (role.Text, c.text),
        (role.Button, c.raised),
        (role.ButtonText, c.text),
        (role.BrightText, "#ff5a5f"),
        (role.Highlight, c.accent),
        (role.HighlightedText, c.on_accent),
        (role.Link, c.accent),
        (role.Mid, c.raised),
        (role.Dark, c.base),
    ):
        made.setColor(r, QColor(value))
    for r in (role.WindowText, role.Text, role.ButtonText):
        made.setColor(group.Disabled, r, QColor(c.dim))
    return made


def style_sheet(c: Colours) -> str:
    """Tool rows: flat buttons, the checked one underlined in the accent; the export button
    filled with it; browser tiles with a rounded selection."""
    return f"""
    QToolBar {{ border: none; spacing: 2px; padding: 2px 6px; background: {c.window}; }}
    QToolButton {{ border: none; border-radius: 6px; padding: 4px 8px; color: {c.text}; }}
    QToolButton:hover {{ background: {c.raised}; }}
    QToolButton:checked {{ background: {c.raised}; color: {c.accent}; }}
    QToolButton:disabled {{ color: {c.dim}; }}
    QPushButton#export {{ background: {c.accent}; color: {c.on_accent}; border: none;
        border-radius: 6px; padding: 6px 18px; font-weight: bold; }}
    QListView#tiles {{ background: {c.base}; border: none; }}
    QListView#tiles::item {{ border-radius: 6px; padding: 4px; color: {c.text}; }}
    QListView#tiles::item:selected {{ background: {c.raised}; border: 2px solid {c.accent}; }}
    QLabel#timecode {{ font-family: monospace; color: {c.text}; }}
    QLabel#coming {{ color: {c.dim}; }}
    QSplitter::handle {{ background: {c.base}; }}
    """


APPLIED: list[Colours] = []  # the theme in use, once one is applied


def apply_theme(app: QApplication, name: str) -> Colours:
    """Fusion with the theme's palette and style sheet, for every window of the app (and the
    bundled colour emoji, so a title's emoji show in its text box where the system has none)."""
    add_emoji_font()
    chosen = colours(name)
    APPLIED[:] = [chosen]
    app.setStyle("Fusion")
    app.setPalette(palette(chosen))
    app.setStyleSheet(style_sheet(chosen))
    return chosen


@functools.cache
def add_emoji_font() -> None:
    """The titles' emoji font among the app's fonts: Qt falls back to it for emoji."""
    from studio.render.titles import EMOJI_FONT, FONTS_DIR

    QFontDatabase.addApplicationFont(str(FONTS_DIR / EMOJI_FONT))


def current_colours() -> Colours:
    """The colours of the theme in use (icons are drawn in its text colour): the one applied,
    else the one in the settings."""
    return APPLIED[0] if APPLIED else colours(stored_theme(QSettings()))
