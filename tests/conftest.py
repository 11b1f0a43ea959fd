from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Tests never read or fill the user's real cache folder."""
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("STUDIO_CACHE_DIR")
    os.environ["STUDIO_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["STUDIO_CACHE_DIR"]
    else:
        os.environ["STUDIO_CACHE_DIR"] = previous
