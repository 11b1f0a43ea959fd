from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen here, nor on CI


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Tests never read or fill the user's real cache folder."""
    from studio.settings import Settings, apply

    folder = tmp_path_factory.mktemp("cache")
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))  # the app's QSettings
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


@pytest.fixture
def settings() -> Iterator[object]:
    """Change settings for one test: `settings(render_memory_mb=100)`; restored after."""
    from dataclasses import replace

    from studio.settings import apply, current

    before = current()
    yield lambda **changes: apply(replace(current(), **changes))
    apply(before)
