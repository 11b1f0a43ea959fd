"""Graph -> ffmpeg argv. Pure: the same project and preset always give the same argv.

Paths reach ffmpeg only as separate argv items with the `file:` prefix, never inside the filter
string, so names with spaces, quotes, colons, commas, brackets, % or any letters are safe.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import ffmpeg

from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.model.time import nearest_frame, seconds
from studio.model.timeline import Project, clip_at
from studio.render.audio import AUDIO_RATE, MEASURE_FILTER, Loudness
from studio.render.compile import (
    Frame,
    audio_only,
    clip_video,
    normalised,
    slots,
    video_audio,
    video_only,
)
from studio.render.effects import amounts_at, apply_constant, with_effects
from studio.render.presets import Preset
from studio.render.remix import duet_video, with_texts

# Frames are tagged as well as the stream: ffmpeg takes the colour description from the frames.
BT709 = {"range": "tv", "color_primaries": "bt709", "color_trc": "bt709", "colorspace": "bt709"}
GLOBAL = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
PROGRESS = [*GLOBAL, "-progress", "pipe:1", "-nostats"]
MP4 = {"f": "mp4", "movflags": "+faststart"}


@dataclass(frozen=True)
class Plan:
    """An argv and what it will produce, for progress and checks."""

    argv: list[str]
    frames: int
    duration: float


def export_command(
    project: Project,
    preset: Preset,
    output: str | Path,
    loudness: Loudness | None,
    exe: str = "ffmpeg",
) -> Plan:
    """The single ffmpeg command that renders the project with `preset` into `output` (MP4)."""
    frame = Frame(preset.width, preset.height, preset.frame_rate(project.canvas.fps))
    clip_slots = slots(project, frame.fps)
    video, audio = video_audio(project, frame, clip_slots)
    frames = sum(s.frames for s in clip_slots)
    size = (frame.width, frame.height)
    video = with_effects(video, project, frame.fps, size)
    video = with_texts(video, project, size, frame.fps, frames)
    video = video.filter("setparams", **BT709)
    samples = sum(s.samples for s in clip_slots)
    audio = normalised(audio, loudness, samples)
    encoder = {**_video_encoder(preset, frame.fps), **_audio_encoder(preset), **MP4}
    out = ffmpeg.output(video, audio, ffmpeg_path_arg(output), **encoder, **metadata(project))
    argv = _argv(out, exe, PROGRESS)
    return Plan(argv, frames, frames / frame.fps)


def video_command(
    project: Project,
    first: int,
    last: int,
    preset: Preset,
    output: str | Path,
    exe: str = "ffmpeg",
) -> Plan:
    """Clips first..last-1 as raw H.264 (a chunk of a long edit), slotted as in the whole edit."""
    fps = preset.frame_rate(project.canvas.fps)
    frame = Frame(preset.width, preset.height, fps)
    all_slots = slots(project, fps)
    chunk_slots = all_slots[first:last]
    video = video_only(project.main.clips[first:last], chunk_slots, frame)
    start = sum(s.frames for s in all_slots[:first])
    count = sum(s.frames for s in chunk_slots)
    video = with_effects(video, project, fps, (frame.width, frame.height), start, count)
    video = with_texts(video, project, (frame.width, frame.height), fps, count, start)
    video = video.filter("setparams", **BT709)
    out = ffmpeg.output(video, ffmpeg_path_arg(output), **_video_encoder(preset, fps), f="h264")
    frames = sum(s.frames for s in chunk_slots)
    return Plan(_argv(out, exe, PROGRESS), frames, frames / fps)


def audio_command(
    project: Project,
    preset: Preset,
    output: str | Path,
    loudness: Loudness | None,
    exe: str = "ffmpeg",
) -> Plan:
    """The whole edit's sound, normalised and encoded to AAC in an .m4a."""
    fps = preset.frame_rate(project.canvas.fps)
    clip_slots = slots(project, fps)
    audio = audio_only(project, fps, clip_slots)
    audio = normalised(audio, loudness, sum(s.samples for s in clip_slots))
    out = ffmpeg.output(audio, ffmpeg_path_arg(output), **_audio_encoder(preset), **MP4)
    frames = sum(s.frames for s in clip_slots)
    return Plan(_argv(out, exe, PROGRESS), frames, frames / fps)


def metadata(project: Project) -> dict[str, str]:
    """Output-file tags: the attribution of a remix ("Stitched from ...") as the comment."""
    if not project.attribution:
        return {}
    return {"metadata": f"comment={project.attribution}"}


def mux_command(
    video: str | Path,
    audio: str | Path,
    fps: int,
    output: str | Path,
    exe: str = "ffmpeg",
    tags: dict[str, str] | None = None,
) -> list[str]:
    """Join raw H.264 and AAC into the final MP4 without re-encoding (CFR from `fps`)."""
    tag_args = [item for key, value in (tags or {}).items() for item in (f"-{key}", value)]
    return [
        exe,
        *GLOBAL,
        "-f",
        "h264",
        "-framerate",
        str(fps),
        "-i",
        ffmpeg_path_arg(video),
        "-i",
        ffmpeg_path_arg(audio),
        "-map",
        "0:v:0",
        "-map",
        "1:a:0",
        "-c",
        "copy",
        *tag_args,
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        ffmpeg_path_arg(output),
    ]


def measure_command(project: Project, preset: Preset, exe: str = "ffmpeg") -> list[str]:
    """An audio-only pass that prints the EBU R128 loudness and true peak of the mixed sound."""
    fps = preset.frame_rate(project.canvas.fps)
    audio = audio_only(project, fps, slots(project, fps)).filter("ebur128", **MEASURE_FILTER)
    out = ffmpeg.output(audio, "-", f="null")
    return _argv(out, exe, ["-hide_banner", "-nostdin", "-loglevel", "info", "-nostats"])


def frame_command(
    project: Project,
    at: Fraction,
    width: int,
    height: int,
    output: str,
    exe: str = "ffmpeg",
) -> list[str]:
    """One composed frame at timeline time `at`, through the same clip chain as the export.

    `output` is a path, or "pipe:1" to receive PNG bytes on stdout.
    """
    fps = project.canvas.fps
    index = nearest_frame(at, fps)
    if project.duet is not None:
        video = _duet_frame(project, index, width, height)
    else:
        video = _clip_frame(project, at, width, height)
    for effect, amount in amounts_at(project, index, fps):
        video = apply_constant(video, effect, amount, (width, height), fps)
    video = with_texts(video, project, (width, height), fps, 1, first=index)
    piped = output.startswith("pipe:")
    target = output if piped else ffmpeg_path_arg(output)
    out = ffmpeg.output(
        video, target, vframes=1, f="image2pipe" if piped else "image2", vcodec="png"
    )
    return _argv(out, exe, GLOBAL)


def _clip_frame(project: Project, at: Fraction, width: int, height: int) -> object:
    found = clip_at(project, at)
    if found is None:
        raise ValueError(f"time {float(at):.3f} s is outside the edit")
    index, inside = found
    clip = project.main.clips[index]
    fps = project.canvas.fps
    source = ffmpeg.input(
        ffmpeg_path_arg(clip.media.path), ss=seconds(clip.source_in + inside * clip.speed), an=None
    )
    # The input is already seeked to the frame, so the chain sees a one-frame clip at 1x.
    still = replace(clip, source_in=Fraction(0), source_out=Fraction(1, fps), speed=Fraction(1))
    return clip_video({"video": source.video}, still, Frame(width, height, fps), 1)


def _duet_frame(project: Project, index: int, width: int, height: int) -> object:
    """A duet frame: the duet's graph up to that frame (both sides must stay in step)."""
    assert project.duet is not None
    fps = project.canvas.fps
    total = nearest_frame(project.duet.duration, fps)
    if not 0 <= index < total:
        raise ValueError(f"frame {index} is outside the duet")
    video = duet_video(project.duet, width, height, fps, index + 1)
    return video.filter("trim", start_frame=index).filter("setpts", "PTS-STARTPTS")


def _argv(out: object, exe: str, global_args: list[str]) -> list[str]:
    """Global options go first: ffmpeg ignores options that trail the last output."""
    argv = list(out.compile(cmd=exe))  # type: ignore[attr-defined]
    return [argv[0], *global_args, *argv[1:]]


def _video_encoder(preset: Preset, fps: int) -> dict[str, object]:
    return {
        "c:v": "libx264",
        "preset": preset.x264_preset,
        "crf": preset.crf,
        "profile:v": "high",
        "pix_fmt": "yuv420p",
        "r": fps,
        "g": fps * 2,
        "colorspace": "bt709",
        "color_primaries": "bt709",
        "color_trc": "bt709",
        "color_range": "tv",
    }


def _audio_encoder(preset: Preset) -> dict[str, object]:
    return {"c:a": "aac", "b:a": preset.audio_bitrate, "ar": AUDIO_RATE, "ac": 2}
