"""The title styles a creator picks from (the Text browser's tiles, `studio add text --style`):
each a TextStyle a creator recognises from short videos, named and described once here.
A style's own options (size, colours, ...) can still be changed after it is picked."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from studio.model.limits import refuse
from studio.model.titles import TextStyle

# name: (what it looks like, the style's values other than TextStyle's defaults)
STYLES: dict[str, tuple[str, dict[str, Any]]] = {
    "classic": ("white with a black outline", {"stroke": 6}),
    "bold-box": (
        "white on a black box",
        {"box_color": "#000000", "box_radius": 14, "box_padding": 28},
    ),
    "neon": (
        "glowing cyan script",
        {"font": "Comfortaa", "color": "#c8fbff", "shadow_blur": 22, "shadow_color": "#00e5ff"},
    ),
    "highlight": (
        "black on a yellow marker",
        {"color": "#111111", "box_color": "#ffe600", "box_radius": 6, "box_padding": 14},
    ),
    "subtitle-bar": (
        "plain white on a half-clear bar",
        {"font": "Noto Sans", "size": 64, "box_color": "#000000", "box_opacity": 0.6},
    ),
    "pill": (
        "white on a pink pill",
        {"box_color": "#ff2d75", "box_radius": 200, "box_padding": 30},
    ),
    "shadow-pop": (
        "tall white letters with a hard drop shadow",
        {"font": "Anton", "size": 120, "shadow": 9, "shadow_color": "#000000"},
    ),
    "handwritten-note": (
        "dark script on a paper note",
        {"font": "Pacifico", "color": "#222222", "box_color": "#fff6c2", "box_radius": 8},
    ),
    "meme": (
        "tall white letters, thick black outline",
        {"font": "Anton", "size": 120, "stroke": 9},
    ),
    "typewriter": (
        "white monospace on a dark card",
        {"font": "JetBrains Mono", "size": 64, "box_color": "#111111", "box_opacity": 0.85},
    ),
    "retro": (
        "gold serif with a pink shadow",
        {"font": "Noto Serif Display", "color": "#ffb000", "shadow": 8, "shadow_color": "#ff2d75"},
    ),
    "caption-yellow": ("yellow with a black outline", {"color": "#ffe600", "stroke": 5}),
    "label": (
        "small white tag on red",
        {"font": "Roboto Condensed", "size": 56, "box_color": "#e02020", "box_radius": 10},
    ),
    "soft-glow": (
        "white with a soft dark glow",
        {"font": "Noto Sans", "shadow_blur": 16, "shadow_color": "#000000"},
    ),
}


def style_named(name: str, **changes: Any) -> TextStyle:
    """The style `name` with `changes` made to it."""
    if name not in STYLES:
        refuse("style", f"must be one of {', '.join(STYLES)} (got {name!r})")
    return replace(TextStyle(**STYLES[name][1]), **changes)
