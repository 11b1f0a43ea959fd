"""Where a batch on a cluster reads projects and media and writes its videos: a path on storage
every machine sees (a shared folder, the same path everywhere), or an fsspec URL (`file://`,
and `s3://`, `gs://`, `az://`, ... where that fsspec backend is installed).

A URL's files are fetched into this machine's cache once and kept while the file there keeps
its size and its version (ETag, or modification time): a repeated batch reads them from the
cache, and the analyses keyed by content find their entries again. A video is written under a
temporary name beside its target and renamed into place, so the target is either absent or
whole; the temporary names of one job share a prefix, so a retry removes what an attempt that
died left behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import shutil
from collections.abc import Iterator
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from studio.errors import MediaError

INSTALL = "python -m pip install"


def is_url(location: str) -> bool:
    """Whether `location` names a file by URL (scheme://...), not by path (C:\\ is a path)."""
    scheme, found, _ = location.partition("://")
    return bool(found) and len(scheme) > 1 and scheme.replace("+", "").isalnum()


def join(location: str, *names: str) -> str:
    """`names` under `location`; a URL's ".." steps are taken (object stores have no "..")."""
    if is_url(location):
        scheme, _, path = location.partition("://")
        return f"{scheme}://{posixpath.normpath(posixpath.join(path, *names))}"
    return str(Path(location, *names))


def parent(location: str) -> str:
    if is_url(location):
        return location.rstrip("/").rsplit("/", 1)[0]
    return str(Path(location).absolute().parent)


def name_of(location: str) -> str:
    return location.rstrip("/").rsplit("/", 1)[-1] if is_url(location) else Path(location).name


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec file system of a URL and the path in it; a clear error for a backend that
    is not installed or a scheme fsspec does not know."""
    try:
        import fsspec
    except ImportError:
        raise MediaError(f"URLs need fsspec: {INSTALL} fsspec", url) from None
    try:
        return fsspec.core.url_to_fs(url)  # type: ignore[no-any-return]
    except ImportError as missing:
        raise MediaError(f"this URL's file system is not installed: {missing}", url) from None
    except ValueError as unknown:
        raise MediaError(f"not a URL fsspec knows: {unknown}", url) from None


def read_text(location: str) -> str:
    if not is_url(location):
        return Path(location).read_text(encoding="utf-8")
    fs, path = filesystem(location)
    try:
        with fs.open(path, "rb") as stream:
            return stream.read().decode("utf-8")  # type: ignore[no-any-return]
    except FileNotFoundError:
        raise MediaError("not found", location) from None
    except OSError as failed:
        raise MediaError(f"cannot read it: {failed}", location) from None


def exists(location: str) -> bool:
    if not is_url(location):
        return Path(location).is_file()
    fs, path = filesystem(location)
    return bool(fs.isfile(path))


def make_folder(location: str) -> None:
    if is_url(location):
        fs, path = filesystem(location)
        fs.makedirs(path, exist_ok=True)
    else:
        Path(location).mkdir(parents=True, exist_ok=True)


def fetched(url: str, target: Path) -> Path:
    """The file at `url` as the local file `target`, fetched unless the copy there is of the
    same version (size and ETag or modification time, recorded beside it)."""
    fs, path = filesystem(url)
    try:
        info = fs.info(path)
    except FileNotFoundError:
        raise MediaError("not found", url) from None
    version = json.dumps([url, info.get("size"), _version_of(info)])
    stamp = target.with_name(f".{target.name}.source")
    if target.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == version:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        fs.get_file(path, str(temporary))
        os.replace(temporary, target)
    except OSError as failed:
        raise MediaError(f"cannot fetch it: {failed}", url) from None
    finally:
        temporary.unlink(missing_ok=True)
    stamp.write_text(version, encoding="utf-8")
    return target


def _version_of(info: dict[str, Any]) -> str:
    for key in ("ETag", "etag", "md5Hash", "crc32c", "mtime", "LastModified", "last_modified"):
        if info.get(key) is not None:
            return str(info[key])
    return ""


def mirror(base_url: str, cache: Path) -> Path:
    """The local folder a URL folder's files are fetched into (one per folder)."""
    return cache / hashlib.sha256(base_url.rstrip("/").encode()).hexdigest()[:20]


def publish(local: Path, location: str, temporary: str) -> None:
    """`local` written to `location` under the name `temporary` beside it, then renamed to it."""
    beside = join(parent(location), temporary)
    try:
        if is_url(location):
            fs, path = filesystem(location)
            _, part = filesystem(beside)
            fs.put_file(str(local), part)
            fs.mv(part, path)
        else:
            shutil.copyfile(local, beside)
            os.replace(beside, location)
    except OSError as failed:
        remove(beside)
        raise MediaError(f"cannot write it: {failed}", location) from None


def remove(location: str) -> None:
    try:
        if is_url(location):
            fs, path = filesystem(location)
            if fs.exists(path):
                fs.rm(path)
        else:
            Path(location).unlink(missing_ok=True)
    except OSError:
        pass


def remove_named(folder: str, prefix: str) -> list[str]:
    """Remove the files of `folder` whose names start with `prefix`; returns them."""
    if is_url(folder):
        fs, path = filesystem(folder)
        try:
            found = [entry for entry in fs.ls(path, detail=False)]
        except FileNotFoundError:
            return []
        names = [join(folder, posixpath.basename(entry)) for entry in found]
    else:
        root = Path(folder)
        names = [str(p) for p in root.iterdir()] if root.is_dir() else []
    gone = [name for name in names if name_of(name).startswith(prefix)]
    for name in gone:
        remove(name)
    return gone


def with_files(value: Any, moved: dict[str, str]) -> Any:
    """`value` (a project or any part of it) with the files of `moved` named anew."""
    if isinstance(value, tuple | list):
        return type(value)(with_files(item, moved) for item in value)
    if not is_dataclass(value) or isinstance(value, type):
        return value
    changes = {}
    for field in fields(value):
        found = getattr(value, field.name)
        if field.metadata.get("file") and isinstance(found, str):
            if found in moved:
                changes[field.name] = moved[found]
        elif is_dataclass(found) or isinstance(found, tuple | list):
            changed = with_files(found, moved)
            if changed is not found and changed != found:
                changes[field.name] = changed
    return replace(value, **changes) if changes else value


def project_files(value: object) -> Iterator[str]:
    """Every file a project (or any part of it) names: its fields marked as files (model/
    stored.py), but for pictures studio draws itself and sources it generates."""
    if isinstance(value, tuple | list):
        for item in value:
            yield from project_files(item)
        return
    if not is_dataclass(value) or isinstance(value, type):
        return
    for field in fields(value):
        found = getattr(value, field.name)
        if field.metadata.get("file") and isinstance(found, str):
            built_in = field.metadata.get("built_in")
            if found and not (built_in and found.startswith(built_in)):
                yield found
        elif is_dataclass(found) or isinstance(found, tuple | list):
            yield from project_files(found)
