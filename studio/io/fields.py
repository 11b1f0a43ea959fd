"""Reading one JSON object of a project file: its values checked by type, its files placed
relative to the project, and a value the model refuses reported at its path in the file."""

from __future__ import annotations

import os
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from studio.errors import ProjectError, StudioError
from studio.model.time import parse_time

TOO_LARGE = 2**53  # past this a whole number is no time, size or count a project holds
T = TypeVar("T")


class Fields:
    """One JSON object being read, with the path to it for error messages."""

    def __init__(self, data: object, where: str, file: Path | None) -> None:
        self.where, self.file = where, file
        if not isinstance(data, dict):
            raise self.error(where or "project", "must be an object")
        self.data: dict[str, Any] = data

    def error(self, where: str, reason: str) -> ProjectError:
        return ProjectError(reason, self.file, field=where or None)

    def build(self, make: Callable[..., T], **values: Any) -> T:
        """Construct a model object; a value it refuses is reported at its path in the file."""
        try:
            return make(**values)
        except StudioError as error:
            field = self.path(error.field) if error.field else (self.where or None)
            raise ProjectError(error.reason, self.file, field=field) from None

    def path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.data:
            if default is ...:
                raise self.error(self.path(key), "missing")
            return default
        value = self.data[key]
        if isinstance(value, bool) and kind is not bool and bool not in _tuple(kind):
            raise self.error(self.path(key), "has the wrong type")
        if not isinstance(value, kind):
            raise self.error(self.path(key), f"must be {_kind_name(kind)}")
        if isinstance(value, int) and abs(value) > TOO_LARGE:  # JSON's whole numbers are unbounded
            raise self.error(self.path(key), "is a number too large to use")
        return value

    def time(self, key: str, default: Fraction | None = None) -> Fraction:
        raw = self.get(key, (str, int, float), default=None)
        if raw is None:
            if default is None:
                raise self.error(self.path(key), "missing")
            return default
        try:
            return parse_time(raw)
        except ValueError:
            raise self.error(self.path(key), f"not a time: {raw!r}") from None

    def child(self, key: str) -> Fields:
        return Fields(self.get(key, dict), self.path(key), self.file)


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "a whole number",
        float: "a number",
        dict: "an object",
        list: "a list",
        bool: "true or false",
    }
    return " or ".join(names.get(k, k.__name__) for k in _tuple(kind))


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def stored_path(stored: str, base: Path) -> str:
    """A file named in the project: relative to the project's folder unless absolute."""
    return stored if not stored or Path(stored).is_absolute() else os.path.normpath(base / stored)


def relative_path(path: str, base: Path) -> str:
    """`path` relative to the project folder with forward slashes, or absolute across drives."""
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:
        return Path(path).as_posix()
