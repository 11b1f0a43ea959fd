"""Model objects read and written from their own declarations: each field of a frozen
dataclass becomes one JSON value by its type (numbers, text, true/false, times as exact
fractions) and the metadata the model gives it (a file, kept relative to the project; a colour,
kept in lower case; options, kept as an object). A missing field takes the class's own default,
so a default lives in one place, and the class's constructor checks every value against the
limits table as it is read.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, TypeVar, get_origin, get_type_hints

from studio.io.fields import Fields, is_number, relative_path, stored_path
from studio.model.time import format_time

T = TypeVar("T")


def written(item: Any, base: Path) -> dict[str, Any]:
    """`item`'s fields as JSON values."""
    return {
        field.name: _value(getattr(item, field.name), field, base)
        for field in dataclasses.fields(item)
    }


def read(f: Fields, model: type[T], base: Path) -> T:
    """A `model` from the JSON object `f`, each field by its declaration."""
    hints = get_type_hints(model)
    values = {}
    for field in dataclasses.fields(model):  # type: ignore[arg-type]
        if field.name in f.data:
            values[field.name] = _read_value(f, field, hints[field.name], base)
        elif not _has_default(field):
            raise f.error(f.path(field.name), "missing")
    return f.build(model, **values)


def _value(value: Any, field: dataclasses.Field[Any], base: Path) -> Any:
    if field.metadata.get("file"):
        return value if not value or _built_in(value, field) else relative_path(value, base)
    if field.metadata.get("options"):
        return {key: list(v) if isinstance(v, tuple) else v for key, v in value}
    if isinstance(value, Fraction):
        return format_time(value)
    return value


def _read_value(f: Fields, field: dataclasses.Field[Any], hint: Any, base: Path) -> Any:
    name = field.name
    if field.metadata.get("file"):
        stored = f.get(name, str)
        return stored if _built_in(stored, field) else stored_path(stored, base)
    if field.metadata.get("colour"):
        return f.get(name, str).lower()
    if field.metadata.get("options"):
        return _options(f, name)
    if hint is Fraction:
        return f.time(name)
    if hint is float:
        return float(f.get(name, (int, float)))
    if hint is int or hint is bool:
        return f.get(name, hint)
    if hint is str or get_origin(hint) is Literal:
        return f.get(name, str)
    raise TypeError(f"{field.name}: {hint} has no JSON form")  # a model declared wrongly


def _options(f: Fields, name: str) -> tuple[tuple[str, Any], ...]:
    """{"name": value, ...}: numbers, texts, booleans or lists of numbers."""
    pairs = []
    for key, value in f.get(name, dict).items():
        if isinstance(value, list) and all(is_number(v) for v in value):
            value = tuple(value)
        elif not isinstance(value, (bool, int, float, str)):
            raise f.error(f.path(f"{name}.{key}"), "must be a number, text or list")
        pairs.append((key, value))
    return tuple(pairs)


def _built_in(value: str, field: dataclasses.Field[Any]) -> bool:
    """Whether a file field names something studio draws itself ("studio:glasses")."""
    prefix = field.metadata.get("built_in", "")
    return bool(prefix) and value.startswith(str(prefix))


def _has_default(field: dataclasses.Field[Any]) -> bool:
    missing = dataclasses.MISSING
    return field.default is not missing or field.default_factory is not missing
