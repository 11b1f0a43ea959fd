"""The user cache folder (platformdirs) and keys that change when a file's content changes."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from studio.errors import StudioError
from studio.io.files import replace_file
from studio.settings import current

T = TypeVar("T")

SAMPLE_BYTES = 1 << 20


def cache_dir(kind: str) -> Path:
    """A folder for cached data of `kind`, under the `cache_dir` setting or the platform's."""
    root = current().cache_dir
    if not root:
        import platformdirs

        root = platformdirs.user_cache_dir("studio", appauthor=False)
    folder = Path(root) / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def content_key(path: str | Path, *parameters: object) -> str:
    """A key for a file's content and the parameters applied to it.

    Hashing whole videos would cost seconds, so the key covers the size, the first and last MiB
    and the parameters; an edited or re-encoded file changes at least one of them.
    """
    file = Path(path)
    digest = hashlib.sha256(repr(parameters).encode())
    size = file.stat().st_size
    digest.update(str(size).encode())
    with file.open("rb") as data:
        digest.update(data.read(SAMPLE_BYTES))
        if size > SAMPLE_BYTES:
            data.seek(max(SAMPLE_BYTES, size - SAMPLE_BYTES))
            digest.update(data.read(SAMPLE_BYTES))
    return digest.hexdigest()[:32]


def temporary_beside(path: Path, suffix: str = "") -> Path:
    """A hidden name beside `path` that no other process or thread writing the same file uses:
    written there, then renamed into place (two workers making the same cache entry at once
    both succeed, and the last rename wins with identical content)."""
    return path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}{suffix}")


def cached(
    entry: Path,
    compute: Callable[[], T],
    dump: Callable[[T], Any],
    load: Callable[[Any], T],
    use: bool = True,
) -> T:
    """The value stored as JSON at `entry`, or `compute()` stored there atomically.

    An entry that cannot be read back (damaged, or written by another version) counts as
    missing: it is computed again and replaced.
    """
    if use:
        found = _read(entry, load)
        if found is not None:
            return found
    value = compute()
    temporary = temporary_beside(entry, ".tmp")
    temporary.write_text(json.dumps(dump(value)), encoding="utf-8")
    try:
        replace_file(temporary, entry)
    except StudioError:  # a cache entry is a saving, not a result: the value stands
        temporary.unlink(missing_ok=True)
    return value


def _read(entry: Path, load: Callable[[Any], T]) -> T | None:
    try:
        return load(json.loads(entry.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        return None
