"""How a field is kept in a project file where its type alone does not say: metadata the
model's dataclasses give their fields, read by the codec (io/declared.py)."""

from __future__ import annotations

from typing import Any

BUILT_IN = "studio:"  # a picture studio draws itself ("studio:glasses"), not a file
GENERATED = "color:"  # a clip's source made by studio itself ("color:#1e90ff"), not a file
FILE: dict[str, Any] = {"file": True}  # a file: stored relative to the project
NEEDED_FILE: dict[str, Any] = {"file": True, "required": True, "built_in": GENERATED}
BUILT_IN_OR_FILE: dict[str, Any] = {"file": True, "built_in": BUILT_IN}
COLOUR: dict[str, Any] = {"colour": True}  # "#rrggbb": stored in lower case
OPTIONS: dict[str, Any] = {"options": True}  # (name, value) pairs: stored as an object


def named(key: str) -> dict[str, Any]:
    """A field stored under another key than its name (a clip's source_in is "in")."""
    return {"json": key}


def shaped(codec: str, key: str = "") -> dict[str, Any]:
    """A field with a shape of its own, written and read by the codec's hook `codec`."""
    return {"codec": codec, **({"json": key} if key else {})}
