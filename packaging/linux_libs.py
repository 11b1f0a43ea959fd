"""The Linux bundle's smaller stand-ins for three native libraries, built while packaging.

PyInstaller copies every library a module links, whole. Three of them the app needs only a
small part of (about 76 MB of the bundle); each is replaced by a library built here under the
same name, and what only they linked is left out:

- OpenCV's OpenBLAS (37 MB, with its Fortran runtime 3 MB). cv2 calls 19 of its BLAS and
  LAPACK routines (matrix products, solve, invert, SVD, QR, eigenvectors).
  linux/blas_forward.c defines those 19 and hands each to the OpenBLAS numpy already brings,
  which is built with 64-bit integers.
- OpenCV's FFmpeg (libavcodec, libavformat, libavutil, libswscale; 23 MB with libvpx,
  libswresample and OpenSSL 1.1). They serve cv2.VideoCapture and VideoWriter, which studio
  never calls: its video goes through the ffmpeg program. Stubs with the same names and symbol
  versions load as those do, and stop the program with a message if anything ever calls them.
- Qt's ICU data (libicudata, 32 MB). Qt asks ICU for collation, text codecs, time zone names
  and case mapping; the data for word breaking, units, currencies, language and region names,
  transliteration, spelled-out numbers and character names is left out (16 MB).

Building needs a C compiler (cc) and binutils (nm, readelf): packaging/README.md.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
CV2_LIBS = "opencv_contrib_python_headless.libs"
FFMPEG = ("libavcodec", "libavformat", "libavutil", "libswscale")
# The ICU data items Qt never reads (folders of the data package, or whole names).
ICU_UNUSED = ("brkitr/", "unit/", "curr/", "lang/", "region/", "translit/", "rbnf/")
ICU_UNUSED_NAMES = ("unames.icu",)
ICU_UNUSED_SUFFIXES = (".spp",)  # stringprep profiles (Qt does its own IDNA)
TOOLS = ("cc", "nm", "readelf")

Entry = tuple[str, str, str]  # PyInstaller's (name in the bundle, source, kind)


def slim(binaries: list[Entry], datas: list[Entry], work: Path) -> tuple[list[Entry], list[Entry]]:
    """The bundle's binaries with the stand-ins built into `work` in place of the three
    libraries and without what only those linked, and its data without links to what went
    (PyInstaller keeps links among the data). Outside Linux, both as they are."""
    if not sys.platform.startswith("linux"):
        return binaries, datas
    _check_tools()
    work.mkdir(parents=True, exist_ok=True)
    sources = {name: source for name, source, kind in binaries if kind != "SYMLINK"}
    built = _opencv_stand_ins(sources, work) | _icu_stand_in(sources, work)
    swapped = [(name, built.get(name, source), kind) for name, source, kind in binaries]
    gone = _unlinked(swapped)
    return _without(swapped, gone), _without(datas, gone)


def _check_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        raise SystemExit(
            f"the Linux bundle needs {', '.join(missing)}: install a C compiler and binutils "
            "(Debian, Ubuntu: apt-get install gcc binutils)"
        )


def _opencv_stand_ins(sources: dict[str, str], work: Path) -> dict[str, str]:
    """Bundle name -> built file, for cv2's OpenBLAS and FFmpeg libraries."""
    module = next((n for n in sources if re.fullmatch(r"cv2/cv2\.[^/]*so", n)), None)
    if module is None:
        return {}
    imported = undefined_symbols(Path(sources[module]))
    built = {}
    for library in needed(Path(sources[module])):
        name = f"{CV2_LIBS}/{library}"
        if name not in sources:
            continue
        if library.startswith("libopenblas"):
            built[name] = str(_blas_forward(library, sources, work))
        elif library.startswith(FFMPEG):
            wanted = _provided(Path(sources[name]), imported)
            built[name] = str(_stub(library, wanted, work))
    return built


def _blas_forward(library: str, sources: dict[str, str], work: Path) -> Path:
    """linux/blas_forward.c built as `library`, linked to numpy's OpenBLAS where the bundle
    has it (numpy.libs/, beside cv2's folder)."""
    numpy_blas = [n for n in sources if re.fullmatch(r"numpy\.libs/libopenblas64_[^/]*\.so", n)]
    if len(numpy_blas) != 1:
        raise SystemExit(f"numpy's OpenBLAS (numpy.libs/libopenblas64_*.so): found {numpy_blas}")
    found = Path(sources[numpy_blas[0]])
    target = work / library
    argv = [
        "cc",
        "-shared",
        "-fPIC",
        "-O2",
        "-o",
        str(target),
        str(HERE / "linux" / "blas_forward.c"),
    ]
    argv += [f"-Wl,-soname,{library}", f"-L{found.parent}", f"-l:{found.name}"]
    argv += ["-Wl,-rpath,$ORIGIN/../numpy.libs"]
    _run(argv)
    return target


def _provided(library: Path, imported: dict[str, str]) -> dict[str, str]:
    """The symbols (name -> version) of `imported` that `library` defines."""
    defined = defined_symbols(library)
    return {name: version for name, version in imported.items() if name in defined}


def _stub(library: str, symbols: dict[str, str], work: Path) -> Path:
    """A library named `library` defining `symbols` (name -> version) as functions that stop
    the program with a message: what cv2 needs to load, and nothing it may call."""
    code = [
        "#include <stdio.h>",
        "#include <stdlib.h>",
        "static void missing(const char *name) {",
        "    fprintf(stderr, \"studio: %s: OpenCV's video reading and writing is not in "
        'this bundle (studio reads and writes video with its ffmpeg program)\\n", name);',
        "    abort();",
        "}",
    ]
    code += [f'void {name}(void) {{ missing("{name}"); }}' for name in sorted(symbols)]
    versions: dict[str, list[str]] = {}
    for name, version in symbols.items():
        versions.setdefault(version, []).append(name)
    script = [
        f"{version} {{ global: {' '.join(f'{n};' for n in sorted(names))} local: *; }};"
        for version, names in sorted(versions.items())
    ]
    stem = library.split(".so")[0]
    (work / f"{stem}.c").write_text("\n".join(code) + "\n", encoding="utf-8")
    (work / f"{stem}.map").write_text("\n".join(script) + "\n", encoding="utf-8")
    target = work / library
    argv = ["cc", "-shared", "-fPIC", "-O2", "-o", str(target), str(work / f"{stem}.c")]
    argv += [f"-Wl,-soname,{library}", f"-Wl,--version-script,{work / f'{stem}.map'}"]
    _run(argv)
    return target


def _icu_stand_in(sources: dict[str, str], work: Path) -> dict[str, str]:
    """Bundle name -> built file, for Qt's ICU data library with the items Qt reads."""
    names = [n for n in sources if re.fullmatch(r"PySide6/Qt/lib/libicudata\.so\.\d+", n)]
    if not names:
        return {}
    (name,) = names
    library = Path(sources[name])
    symbol, data = icu_data(library)
    trimmed = work / "icudata.dat"
    trimmed.write_bytes(trim_icu_data(data, _icu_item_used))
    assembly = work / "icudata.S"
    assembly.write_text(_ICU_ASSEMBLY.format(symbol=symbol, data=trimmed), encoding="utf-8")
    target = work / library.name
    _run(["cc", "-shared", "-o", str(target), str(assembly), f"-Wl,-soname,{library.name}"])
    return {name: str(target)}


_ICU_ASSEMBLY = """\
    .section .rodata
    .globl {symbol}
    .type {symbol}, @object
    .balign 16
{symbol}:
    .incbin "{data}"
    .size {symbol}, . - {symbol}
    .section .note.GNU-stack,"",@progbits
"""


def _icu_item_used(item: str) -> bool:
    """Whether Qt may read the ICU data item `item` ("icudt73l/coll/de.res")."""
    inside = item.split("/", 1)[1] if "/" in item else item
    if inside.startswith(ICU_UNUSED) or inside in ICU_UNUSED_NAMES:
        return False
    return not inside.endswith(ICU_UNUSED_SUFFIXES)


def icu_data(library: Path) -> tuple[str, bytes]:
    """The name and bytes of the ICU common data a libicudata holds (its one symbol)."""
    table = _run(["readelf", "-W", "--dyn-syms", str(library)])
    found = re.findall(
        r"\d+:\s+([0-9a-f]+)\s+(\d+|0x[0-9a-f]+)\s+OBJECT\s+GLOBAL\s+\S+\s+\d+\s+(icudt\d+_dat)",
        table,
    )
    if len(found) != 1:
        raise SystemExit(f"{library}: no ICU data symbol (icudt*_dat)")
    address, size, symbol = found[0]
    offset = _file_offset(library, int(address, 16))
    length = int(size, 0)
    return symbol, library.read_bytes()[offset : offset + length]


def _file_offset(library: Path, address: int) -> int:
    """Where the byte at `address` lies in the file, by the section holding it."""
    table = _run(["readelf", "-W", "-S", str(library)])
    pattern = r"\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)"
    for start, offset, size in re.findall(pattern, table):
        start_, offset_, size_ = int(start, 16), int(offset, 16), int(size, 16)
        if start_ <= address < start_ + size_ and start_:
            return offset_ + address - start_
    raise SystemExit(f"{library}: no section holds address {address:#x}")


def trim_icu_data(data: bytes, keep: Callable[[str], bool]) -> bytes:
    """ICU common data with only the items `keep` (a function of the item's name) accepts."""
    header_size = _icu_header_size(data)
    items = [(name, item) for name, item in icu_items(data) if keep(name)]
    return data[:header_size] + _table(items)


def icu_items(data: bytes) -> list[tuple[str, bytes]]:
    """The items of ICU common data by name, in its order: a header, then a table of
    contents (the item count, then per item the offsets of its name and its data from the
    table's start), the names, and the items, each aligned to 16 bytes."""
    toc = data[_icu_header_size(data) :]
    count = struct.unpack_from("<I", toc, 0)[0]
    offsets = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for index, (name_at, data_at) in enumerate(offsets):
        name = toc[name_at : toc.index(b"\0", name_at)].decode("ascii")
        end = offsets[index + 1][1] if index + 1 < count else len(toc)
        items.append((name, toc[data_at:end]))
    return items


def _icu_header_size(data: bytes) -> int:
    if data[2:4] != b"\xda\x27" or data[12:16] != b"CmnD":
        raise SystemExit("not ICU common data")
    return int(struct.unpack_from("<H", data, 0)[0])


def _table(items: list[tuple[str, bytes]]) -> bytes:
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    start = 4 + 8 * len(items)
    name_offsets, at = [], start
    for name, _ in items:
        name_offsets.append(at)
        at += len(name) + 1
    body, data_at = bytearray(), _aligned(start + len(names))
    data_offsets = []
    for _, item in items:
        data_offsets.append(data_at + len(body))
        body += item + b"\0" * (_aligned(len(item)) - len(item))
    table = struct.pack("<I", len(items))
    table += b"".join(struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets))
    table += names + b"\0" * (data_at - start - len(names))
    return table + bytes(body)


def _aligned(size: int) -> int:
    return (size + 15) // 16 * 16


def _unlinked(entries: list[Entry]) -> set[str]:
    """The libraries of cv2's folder that no library links any more."""
    sources = {name: source for name, source, kind in entries if kind != "SYMLINK"}
    inside = {name for name in sources if name.startswith(CV2_LIBS + "/")}
    waiting = [name for name in sources if name not in inside and ".so" in name]
    linked: set[str] = set()
    while waiting:
        library = waiting.pop()
        names, paths = dynamic(Path(sources[library]))
        if library not in inside and CV2_LIBS not in paths:
            continue  # its libraries are found elsewhere (numpy.libs has a libquadmath too)
        for name in (f"{CV2_LIBS}/{needs}" for needs in names):
            if name in inside and name not in linked:
                linked.add(name)
                waiting.append(name)
    return inside - linked


def _without(entries: list[Entry], gone: set[str]) -> list[Entry]:
    """`entries` without the files `gone` and the links to them."""
    return [
        (name, source, kind)
        for name, source, kind in entries
        if name not in gone and _link_target(name, source, kind) not in gone
    ]


def _link_target(name: str, source: str, kind: str) -> str:
    """The bundle name a link entry points to ("" for a file)."""
    return str(PurePosixPath(name).parent / source) if kind == "SYMLINK" else ""


def needed(library: Path) -> list[str]:
    """The libraries `library` links by name (its DT_NEEDED entries)."""
    return dynamic(library)[0]


def dynamic(library: Path) -> tuple[list[str], str]:
    """The libraries `library` links by name, and where it looks for them (RPATH, RUNPATH)."""
    table = _run(["readelf", "-d", str(library)])
    names = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", table)
    return names, " ".join(
        re.findall(r"\((?:RPATH|RUNPATH)\)\s+Library r\w*path: \[([^\]]*)\]", table)
    )


def undefined_symbols(library: Path) -> dict[str, str]:
    """The dynamic symbols `library` imports: name -> version ("" when unversioned)."""
    listed = _run(["nm", "-D", "--undefined-only", str(library)])
    symbols = {}
    for line in listed.splitlines():
        name, _, version = line.split()[-1].partition("@")
        symbols[name] = version.lstrip("@")
    return symbols


def defined_symbols(library: Path) -> set[str]:
    listed = _run(["nm", "-D", "--defined-only", str(library)])
    return {line.split()[-1].split("@")[0] for line in listed.splitlines() if line.strip()}


def _run(argv: Iterable[str]) -> str:
    done = subprocess.run(list(argv), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)}: {done.stderr.strip()}")
    return done.stdout
