"""Export presets: frame size and rate, encoder settings, loudness target."""

from __future__ import annotations

from dataclasses import dataclass

from studio.errors import RenderError
from studio.model.shapes import framed
from studio.model.timeline import Canvas


@dataclass(frozen=True)
class Preset:
    name: str
    width: int
    height: int
    fps: int | None  # None keeps the project's canvas rate
    x264_preset: str
    crf: int
    audio_bitrate: str
    description: str
    loudness: float = -14.0  # LUFS integrated, what TikTok, Reels and Shorts play at
    true_peak: float = -1.0  # dBTP ceiling
    platform: str = "Other"  # the heading the export dialog groups presets under

    def frame_rate(self, canvas_fps: int) -> int:
        return self.fps or canvas_fps

    def size_for(self, canvas: Canvas) -> tuple[int, int]:
        """The frame this preset renders a canvas at: its 9:16 size in the canvas's shape
        (tiktok exports a 1:1 edit at 1080x1080, a 16:9 one at 1920x1080)."""
        return framed(canvas.width, canvas.height, (self.width, self.height))


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("tiktok", 1080, 1920, 30, "fast", 20, "192k",
               "TikTok 1080x1920 30 fps", platform="TikTok"),
        Preset("tiktok60", 1080, 1920, 60, "fast", 20, "192k",
               "TikTok 1080x1920 60 fps", platform="TikTok"),
        Preset("reels", 1080, 1920, 30, "fast", 20, "192k",
               "Instagram Reels 1080x1920 30 fps", platform="Instagram Reels"),
        Preset("shorts", 1080, 1920, None, "fast", 20, "192k",
               "YouTube Shorts 1080x1920 at the project's rate", platform="YouTube Shorts"),
        Preset("draft", 540, 960, None, "ultrafast", 28, "128k",
               "Quick check 540x960 at the project's rate", platform="Draft"),
    )
}  # fmt: skip


def get_preset(name: str | None, canvas_fps: int = 30) -> Preset:
    """The named preset; with no name, tiktok or tiktok60 to match the project's rate."""
    if name is None:
        return PRESETS["tiktok60" if canvas_fps == 60 else "tiktok"]
    try:
        return PRESETS[name]
    except KeyError:
        known = ", ".join(PRESETS)
        raise RenderError(f"unknown preset {name!r} (known: {known})") from None
