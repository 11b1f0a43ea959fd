"""Settings are a value: read from the environment at the edge, changed while running."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from studio.analysis.beats import analyse
from studio.errors import MediaError, StudioError
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from studio.settings import Settings
from tests.helpers import media


def test_settings_from_the_environment() -> None:
    found = Settings.from_environment(
        {"STUDIO_FFMPEG": "ff", "STUDIO_CACHE_DIR": "/c", "STUDIO_RENDER_MEMORY_MB": "500"}
    )
    assert found == Settings("ff", "/c", 500.0)
    assert Settings.from_environment({}) == Settings()
    with pytest.raises(StudioError, match="STUDIO_RENDER_MEMORY_MB must be a number"):
        Settings.from_environment({"STUDIO_RENDER_MEMORY_MB": "lots"})
    with pytest.raises(StudioError) as caught:
        Settings(render_memory_mb=10)
    assert caught.value.field == "render_memory_mb"


def test_a_changed_setting_takes_effect_at_the_next_call(tmp_path: Path, settings: Any) -> None:
    link = tmp_path / "my-ffmpeg"
    link.symlink_to(ffmpeg_exe())
    settings(ffmpeg=str(link))
    assert ffmpeg_exe() == str(link) and probe(media("moviepy/fire2.mp4")).vfr
    settings(ffmpeg=str(tmp_path / "no-such-ffmpeg"))
    with pytest.raises(MediaError, match="does not name an ffmpeg binary"):
        probe(media("moviepy/fire2.mp4"))
    settings(ffmpeg="", cache_dir=str(tmp_path / "elsewhere"))
    analyse(media("madmom/sample.wav"))
    assert len(list((tmp_path / "elsewhere" / "beats").glob("*.json"))) == 1
