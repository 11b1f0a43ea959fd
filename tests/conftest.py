from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen here, nor on CI
# PEP 597: this process reports text I/O without an encoding when started with
# -X warn_default_encoding, and pytest-xdist's workers do through the variable; the filter in
# pyproject.toml makes studio's own an error in every test. The studio commands the tests run
# stay quiet about them (their stderr is checked), except in test_portability's own check.
os.environ.setdefault("PYTHONWARNDEFAULTENCODING", "1")
os.environ["PYTHONWARNINGS"] = ",".join(
    filter(None, [os.environ.get("PYTHONWARNINGS"), "ignore::EncodingWarning"])
)


def pytest_report_header() -> str:
    state = "on" if sys.flags.warn_default_encoding else "OFF (run with -X warn_default_encoding)"
    return f"text I/O without an encoding fails studio's tests: {state}"


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Tests never read or fill the user's real cache folder."""
    from studio.settings import Settings, apply

    folder = tmp_path_factory.mktemp("cache")
    config = tmp_path_factory.mktemp("config")
    _keep_sound_server(config)
    os.environ["XDG_CONFIG_HOME"] = str(config)  # the app's QSettings
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("data"))  # its recovery folder
    previous = os.environ.get("STUDIO_CACHE_DIR")
    os.environ["STUDIO_CACHE_DIR"] = str(folder)  # for the CLI run in subprocesses
    settings = apply(Settings(cache_dir=str(folder)))  # for the engine called in-process
    yield folder
    apply(settings)
    if previous is None:
        del os.environ["STUDIO_CACHE_DIR"]
    else:
        os.environ["STUDIO_CACHE_DIR"] = previous


def _keep_sound_server(config: Path) -> None:
    """A PulseAudio client finds its server and cookie in the config folder, which the tests
    move: name both outright, so a sound server that runs here stays found."""
    pulse = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "pulse"
    for runtime in pulse.glob("*-runtime"):
        socket = runtime.resolve() / "native"
        if socket.exists():
            os.environ.setdefault("PULSE_SERVER", f"unix:{socket}")
            os.environ.setdefault("PULSE_COOKIE", str(pulse / "cookie"))


@pytest.fixture(scope="session")
def qapp_cls() -> type:
    """The GUI tests run in the app's own QApplication (it takes macOS's file-open events)."""
    from studio.gui.file_open import StudioApplication

    return StudioApplication


@pytest.fixture
def settings() -> Iterator[object]:
    """Change settings for one test: `settings(render_memory_mb=100)`; restored after."""
    from dataclasses import replace

    from studio.settings import apply, current

    before = current()
    yield lambda **changes: apply(replace(current(), **changes))
    apply(before)
