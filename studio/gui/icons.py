"""The app's one icon set: Material Design Icons 6 (Apache-2.0, by Pictogrammers), drawn from
qtawesome's bundled font (MIT), so icons are vectors: sharp at any scale on HiDPI screens.

Icons are named without the "mdi6." prefix ("play", "content-cut"); they are drawn in the
theme's text colour, the accent when a tool is checked.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from studio.gui.qt import QIcon
from studio.gui.theme import DARK, current_colours

PREFIX = "mdi6."


@cache
def icon_font() -> Any:
    """qtawesome's icon maker holding the one font the app draws from (qtawesome's own
    `icon` loads all ten fonts it ships, 6 MB, at the first icon; the installers carry only
    this one)."""
    import qtawesome
    from qtawesome.iconic_font import IconicFont

    mdi6 = next(font for font in qtawesome._BUNDLED_FONTS if font[0] == PREFIX.rstrip("."))
    return IconicFont(mdi6)


@cache
def _drawn(name: str, colour: str, active: str, disabled: str) -> Any:
    return icon_font().icon(
        PREFIX + name,
        color=colour,
        color_on=active,
        color_active=colour,
        color_disabled=disabled,
        color_on_active=active,
    )


def icon(name: str, on_dark: bool = False) -> QIcon:
    """The named icon in the current theme's colours (an empty icon for no name); `on_dark`:
    in the dark theme's, for what is drawn on a dark surface whatever the theme (the
    timeline)."""
    if not name:
        return QIcon()
    c = DARK if on_dark else current_colours()
    made: QIcon = _drawn(name, c.text, c.accent, c.dim)
    return made


def forget() -> None:
    """After a theme change: icons are drawn again in the new colours."""
    _drawn.cache_clear()
