"""packaging/linux_libs.py's ICU data trimming, on the ICU data PySide6 ships (Linux): the
items kept come out byte for byte, in ICU's order and alignment. (The stand-in libraries
themselves are built and checked inside the bundle by tests/test_bundle.py.)"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[1] / "packaging"
_spec = importlib.util.spec_from_file_location("linux_libs", PACKAGING / "linux_libs.py")
assert _spec is not None and _spec.loader is not None
linux_libs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(linux_libs)

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("readelf") is None,
    reason="PySide6 ships ICU on Linux; reading it takes binutils",
)


@pytest.fixture(scope="module")
def icu() -> bytes:
    import PySide6

    (library,) = (Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*")
    symbol, data = linux_libs.icu_data(library)
    assert symbol.startswith("icudt") and len(data) > 20e6
    return data


def test_trimmed_icu_data_keeps_what_qt_reads_byte_for_byte(icu: bytes) -> None:
    items = dict(linux_libs.icu_items(icu))
    trimmed = linux_libs.trim_icu_data(icu, linux_libs._icu_item_used)
    kept = linux_libs.icu_items(trimmed)
    names = [name for name, _ in kept]
    assert names == sorted(names, key=lambda name: name.encode())  # ICU looks them up by halves
    assert all(item == items[name] for name, item in kept[:-1])
    assert kept[-1][1].rstrip(b"\0") == items[kept[-1][0]].rstrip(b"\0")
    inside = [name.split("/", 1)[1] for name in names]
    assert any(name.startswith("coll/") for name in inside)  # collation
    assert any(name.startswith("zone/") for name in inside)  # time zone names
    assert any(name.endswith(".cnv") for name in inside)  # text codecs
    assert not any(name.startswith(("brkitr/", "curr/", "translit/")) for name in inside)
    assert len(trimmed) < 0.6 * len(icu)


def test_keeping_every_item_gives_the_same_items(icu: bytes) -> None:
    again = linux_libs.trim_icu_data(icu, lambda name: True)
    assert len(again) == len(icu)
    assert [name for name, _ in linux_libs.icu_items(again)] == [
        name for name, _ in linux_libs.icu_items(icu)
    ]
