"""What an export will be before it runs: the presets by platform, and the file's size.

The video is x264 at constant quality (CRF), so its size follows the picture, not a bitrate:
a still or drawn picture takes a small share of what grainy, moving camera footage takes. The
estimate multiplies the frames by bits per pixel measured on real exports (BITS_PER_PIXEL) and
says "about"; beside it stands what busy footage reaches, the figure an upload limit needs.
The sound is AAC at the preset's bitrate when the edit has any sound (silence costs nothing).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from studio.app.relink import missing_media
from studio.errors import MediaError, RenderError
from studio.model.timeline import Project, video_clips
from studio.render.presets import PRESETS, Preset, get_preset

# Video bits per pixel per frame at 30 fps, by (x264 preset, CRF): the median and the 90th
# percentile of 14 clips of the shared test media, 3 s of each exported through studio
# (camera footage, animation, screen captures, test patterns; 240p to 3K; landscape and
# portrait). The spread is wide (the 10th percentile is a sixth of the median): handheld camera
# footage ran 2-3.6x the median at 1080x1920 (a street runner 6.6x), test patterns and still
# shots a fifth of it. Two-fold check (figures from 7 clips, tried on the other 7): the busy
# figure was above 13 of 14 held-out clips (the runner was 2.1x over it); the median was within
# 2x of the real size for 2 of 14 at 1080x1920 and 8 of 14 at 540x960.
BITS_PER_PIXEL: dict[tuple[str, int], tuple[float, float]] = {
    ("fast", 20): (0.0255, 0.0945),
    ("ultrafast", 28): (0.044, 0.0999),
}
CRF_HALVES = 6  # x264: six CRF steps up halve the bits (for settings not measured above)
# Bits per second grow as (frames that move per second) ** 0.4: 60 fps footage cost 1.23x and
# 1.43x its 30 fps export (a real 60 fps clip, testsrc2); a 25 or 30 fps source exported at
# 60 fps cost the same as at 30, since its repeated frames are almost free.
MOTION_EXPONENT = 0.4
SILENT_AUDIO_BITRATE = 2_000  # AAC of silence, measured
CONTAINER_SHARE = 1.01  # MP4 headers and index


@dataclass(frozen=True)
class PresetChoice:
    """One export preset as the dialog lists it, under its platform."""

    name: str
    platform: str
    width: int
    height: int
    fps: int
    follows_edit: bool  # the preset keeps the edit's own frame rate
    description: str

    @property
    def label(self) -> str:
        """ "1080x1920 · 30 fps" """
        return f"{self.width}x{self.height} · {self.fps} fps"


@dataclass(frozen=True)
class SizeEstimate:
    likely: int  # bytes, for footage of middling detail and motion
    busy: int  # bytes, for grainy, shaky, detailed footage
    seconds: float

    @property
    def about(self) -> str:
        """ "about 12 MB" """
        return f"about {size_text(self.likely)}"


def preset_choices(project: Project) -> list[PresetChoice]:
    """Every preset at the size and rate it would export this project, platforms in order."""
    return [_choice(preset, project) for preset in PRESETS.values()]


def _choice(preset: Preset, project: Project) -> PresetChoice:
    width, height = preset.size_for(project.canvas)
    fps = preset.frame_rate(project.canvas.fps)
    follows = preset.fps is None
    return PresetChoice(
        preset.name, preset.platform, width, height, fps, follows, preset.description
    )


def estimate_size(project: Project, preset_name: str | None) -> SizeEstimate:
    """The file an export of `project` with this preset will make, about: from measured
    figures, not a promise (at constant quality the size follows the picture)."""
    preset = get_preset(preset_name or project.preset or None, project.canvas.fps)
    seconds = float(project.duration)
    width, height = preset.size_for(project.canvas)
    fps = preset.frame_rate(project.canvas.fps)
    pixels_per_second = width * height * 30 * (_moving_fps(project, fps) / 30) ** MOTION_EXPONENT
    audio = _audio_bitrate(preset, has_sound(project))
    likely, busy = (
        round((bpp * pixels_per_second + audio) * seconds / 8 * CONTAINER_SHARE)
        for bpp in _bits_per_pixel(preset)
    )
    return SizeEstimate(likely, busy, seconds)


def _bits_per_pixel(preset: Preset) -> tuple[float, float]:
    measured = BITS_PER_PIXEL.get((preset.x264_preset, preset.crf))
    if measured is not None:
        return measured
    likely, busy = BITS_PER_PIXEL[("fast", 20)]
    scale = 2 ** ((20 - preset.crf) / CRF_HALVES)
    return likely * scale, busy * scale


def _moving_fps(project: Project, fps: int) -> float:
    """Frames per second that differ: at most the fastest source's rate (repeats are free)."""
    rates = [float(clip.media.fps) for clip in video_clips(project) if clip.media.fps > 0]
    return min(float(fps), max(rates, default=float(fps)))


def _audio_bitrate(preset: Preset, sound: bool) -> float:
    if not sound:
        return SILENT_AUDIO_BITRATE
    return float(preset.audio_bitrate.removesuffix("k")) * 1000


def has_sound(project: Project) -> bool:
    """Whether any clip or the music brings sound (silence encodes to almost nothing)."""
    clips = any(clip.media.has_audio for track in project.tracks for clip in track.clips)
    return clips or project.music is not None


def size_text(size: float) -> str:
    """ "850 kB", "12 MB", "1.4 GB" (decimal units, as upload pages state their limits)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6)):
        if size >= scale:
            value = size / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return f"{max(size / 1e3, 1):.0f} kB"


def preflight(project: Project, path: str | Path) -> Path:
    """The export's file, if the app can write it and the edit's media are all there; else a
    StudioError saying why in words. Run when an export is queued and again when it starts,
    so a bad folder or a moved clip is said at once, not after a long render."""
    missing = missing_media(project)
    if missing:
        names = ", ".join(Path(name).name for name in missing)
        raise MediaError(f"missing: {names} (File > Relink media... to find them)")
    return check_target(path)


def check_target(path: str | Path) -> Path:
    """The export's file, if the app can write it; else a RenderError saying why in words."""
    target = Path(path).expanduser()
    if not str(path).strip() or target.suffix.lower() not in (".mp4", ".m4v", ".mov"):
        raise RenderError("choose a file name ending in .mp4", target)
    if target.is_dir():
        raise RenderError("that is a folder: add a file name ending in .mp4", target)
    if not target.parent.is_dir():
        raise RenderError("the folder does not exist", target.parent)
    _check_writable(target.parent)
    return target.absolute()


def _check_writable(folder: Path) -> None:
    """Try to write there: permission bits alone miss read-only disks and Windows ACLs."""
    try:
        handle, name = tempfile.mkstemp(prefix=".studio-check-", dir=folder)
    except OSError as error:
        raise RenderError(f"cannot write in this folder ({error.strerror})", folder) from None
    os.close(handle)
    os.unlink(name)
