"""Model objects read and written from their own declarations: each field of a frozen
dataclass becomes one JSON value by its type (numbers, text, true/false, times as exact
fractions, another model object or null) and the metadata the model gives it (`json`: the key
it has in files, where that differs from its name; `file`: kept relative to the project;
`colour`: kept in lower case; `options`: pairs kept as an object; `codec`: a shape of its own,
read and written by a hook the project codec registers). A missing field takes the class's own
default, so a default lives in one place, and the class's constructor checks every value
against the limits table as it is read.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from studio.io.fields import Fields, is_number, relative_path, stored_path
from studio.model.time import format_time

T = TypeVar("T")
Write = Callable[[Any, Path], Any]
Read = Callable[[Fields, str, Path], Any]
HOOKS: dict[str, tuple[Write, Read]] = {}  # codec name -> how a field of that shape goes


def written(item: Any, base: Path) -> dict[str, Any]:
    """`item`'s fields as JSON values."""
    return {
        _key(field): _value(getattr(item, field.name), field, base)
        for field in dataclasses.fields(item)
    }


def read(f: Fields, model: type[T], base: Path) -> T:
    """A `model` from the JSON object `f`, each field by its declaration."""
    hints = get_type_hints(model)
    values = {}
    for field in dataclasses.fields(model):  # type: ignore[arg-type]
        key = _key(field)
        if key in f.data:
            values[field.name] = _read_value(f, field, key, hints[field.name], base)
        elif not _has_default(field):
            raise f.error(f.path(key), "missing")
    return f.build(model, **values)


def _key(field: dataclasses.Field[Any]) -> str:
    return str(field.metadata.get("json", field.name))


def _value(value: Any, field: dataclasses.Field[Any], base: Path) -> Any:
    if "codec" in field.metadata:
        return HOOKS[field.metadata["codec"]][0](value, base)
    if field.metadata.get("file"):
        return value if not value or _built_in(value, field) else relative_path(value, base)
    if field.metadata.get("options"):
        return {key: list(v) if isinstance(v, tuple) else v for key, v in value}
    if isinstance(value, Fraction):
        return format_time(value)
    if dataclasses.is_dataclass(value):
        return written(value, base)
    return value


def _read_value(f: Fields, field: dataclasses.Field[Any], key: str, hint: Any, base: Path) -> Any:
    if "codec" in field.metadata:
        return HOOKS[field.metadata["codec"]][1](f, key, base)
    if field.metadata.get("file"):
        return _file(f, key, field, base)
    if field.metadata.get("colour"):
        return f.get(key, str).lower()
    if field.metadata.get("options"):
        return _options(f, key)
    return _by_type(f, key, hint, base)


def _by_type(f: Fields, key: str, hint: Any, base: Path) -> Any:
    model = _model_of(hint)
    if model is not None:
        if f.data[key] is None and _optional(hint):
            return None
        return read(f.child(key), model, base)
    if hint is Fraction:
        return f.time(key)
    if hint is float:
        return float(f.get(key, (int, float)))
    if hint is int or hint is bool:
        return f.get(key, hint)
    if hint is str or get_origin(hint) is Literal:
        return f.get(key, str)
    raise TypeError(f"{key}: {hint} has no JSON form")  # a model declared wrongly


def _model_of(hint: Any) -> type | None:
    """The model class of a field holding one (or None), else None."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return hint
    if _optional(hint):
        found = [a for a in get_args(hint) if isinstance(a, type) and dataclasses.is_dataclass(a)]
        return found[0] if len(found) == 1 else None
    return None


def _optional(hint: Any) -> bool:
    return get_origin(hint) in (Union, types.UnionType) and type(None) in get_args(hint)


def _file(f: Fields, key: str, field: dataclasses.Field[Any], base: Path) -> str:
    stored = f.get(key, str)
    if not stored and field.metadata.get("required"):
        raise f.error(f.path(key), "must not be empty")
    return stored if _built_in(stored, field) else stored_path(stored, base)


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
