"""Graph -> ffmpeg argv. Pure: the same project and preset always give the same argv.

Paths reach ffmpeg only as separate argv items with the `file:` prefix, never inside the filter
string, so names with spaces, quotes, colons, commas, brackets, % or any letters are safe.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import ffmpeg

from studio.errors import RenderError
from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.model.keys import Keys
from studio.model.time import nearest_frame, seconds
from studio.model.timeline import Clip, Project, clip_at
from studio.render.audio import AUDIO_RATE, MEASURE_FILTER, Loudness
from studio.render.compile import audio_only, clip_video, normalised, video_audio, video_only
from studio.render.effects import amounts_at, apply_constant, with_effects
from studio.render.fit import still_fit
from studio.render.layers import with_layers
from studio.render.overlays import with_texts
from studio.render.plan import Plan
from studio.render.presets import Preset
from studio.render.sources import generated
from studio.render.transitions import joints, run_of
from studio.settings import current

# Frames are tagged as well as the stream: ffmpeg takes the colour description from the frames.
BT709 = {"range": "tv", "color_primaries": "bt709", "color_trc": "bt709", "colorspace": "bt709"}
GLOBAL = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
PROGRESS = [*GLOBAL, "-progress", "pipe:2", "-nostats"]
MP4 = {"f": "mp4", "movflags": "+faststart"}


@dataclass(frozen=True)
class Command:
    """An argv and what it will produce, for progress and checks."""

    argv: list[str]
    frames: int
    duration: float


def export_command(
    project: Project,
    plan: Plan,
    preset: Preset,
    output: str | Path,
    loudness: Loudness | None,
    exe: str = "ffmpeg",
) -> Command:
    """The single ffmpeg command that renders the project with `preset` into `output` (MP4)."""
    frame = plan.frame
    video, audio = video_audio(project, plan)
    video = with_layers(video, project, plan, 0, plan.frames)
    video = with_effects(video, project, frame.fps, (frame.width, frame.height))
    video = with_texts(video, plan, plan.frames)
    video = video.filter("setparams", **BT709)
    audio = normalised(audio, loudness, plan.samples)
    encoder = {**_video_encoder(preset, frame.fps), **_audio_encoder(preset), **MP4}
    out = ffmpeg.output(video, audio, ffmpeg_path_arg(output), **encoder, **metadata(project))
    return Command(_argv(out, exe, PROGRESS), plan.frames, plan.duration)


def video_command(
    project: Project,
    plan: Plan,
    first: int,
    last: int,
    preset: Preset,
    output: str | Path,
    exe: str = "ffmpeg",
) -> Command:
    """Clips first..last-1 as raw H.264 (a chunk of a long edit), slotted as in the whole edit."""
    frame = plan.frame
    chunk_slots = plan.slots[first:last]
    found = joints(project.main, frame.fps)[first:last]
    video = video_only(project.main.clips[first:last], chunk_slots, frame, plan.masks, found)
    start = sum(s.frames for s in plan.slots[:first])
    count = sum(s.frames for s in chunk_slots)
    video = with_layers(video, project, plan, start, count)
    video = with_effects(video, project, frame.fps, (frame.width, frame.height), start, count)
    video = with_texts(video, plan, count, start)
    video = video.filter("setparams", **BT709)
    out = ffmpeg.output(
        video, ffmpeg_path_arg(output), **_video_encoder(preset, frame.fps), f="h264"
    )
    return Command(_argv(out, exe, PROGRESS), count, count / frame.fps)


def audio_command(
    project: Project,
    plan: Plan,
    preset: Preset,
    output: str | Path,
    loudness: Loudness | None,
    exe: str = "ffmpeg",
) -> Command:
    """The whole edit's sound, normalised and encoded to AAC in an .m4a."""
    audio = audio_only(project, plan.frame.fps, plan.slots, plan.masks)
    audio = normalised(audio, loudness, plan.samples)
    out = ffmpeg.output(audio, ffmpeg_path_arg(output), **_audio_encoder(preset), **MP4)
    return Command(_argv(out, exe, PROGRESS), plan.frames, plan.duration)


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


def measure_command(project: Project, plan: Plan, exe: str = "ffmpeg") -> list[str]:
    """An audio-only pass that prints the EBU R128 loudness and true peak of the mixed sound."""
    audio = audio_only(project, plan.frame.fps, plan.slots, plan.masks)
    audio = audio.filter("ebur128", **MEASURE_FILTER)
    out = ffmpeg.output(audio, "-", f="null")
    report = ["-hide_banner", "-nostdin", "-loglevel", "info", "-progress", "pipe:2", "-nostats"]
    return _argv(out, exe, report)


def frame_command(
    project: Project, plan: Plan, at: Fraction, output: str, exe: str = "ffmpeg"
) -> list[str]:
    """One composed frame at timeline time `at`, through the same clip chain as the export
    (`plan` gives the frame size: the canvas rate at preview size).

    `output` is a path, or "pipe:1" to receive PNG bytes on stdout.
    """
    width, height, fps = plan.frame.width, plan.frame.height, plan.frame.fps
    index = nearest_frame(at, fps)
    if (run := _transition_run(project, plan, index)) is not None:
        video = run
    else:
        video = _clip_frame(project, plan, at)
    video = with_layers(video, project, plan, index, 1)
    for effect, amount in amounts_at(project, index, fps):
        video = apply_constant(video, effect, amount, (width, height), fps)
    video = with_texts(video, plan, 1, first=index)
    piped = output.startswith("pipe:")
    target = output if piped else ffmpeg_path_arg(output)
    out = ffmpeg.output(
        video, target, vframes=1, f="image2pipe" if piped else "image2", vcodec="png"
    )
    return _argv(out, exe, GLOBAL)


def _clip_frame(project: Project, plan: Plan, at: Fraction) -> object:
    found = clip_at(project, at)
    if found is None:
        raise RenderError(f"{float(at):.3f} s is outside the edit", field="at")
    index, inside = found
    clip = project.main.clips[index]
    fps = plan.frame.fps
    when = clip.source_at(inside)
    if clip.media.loops:  # the repeat of the animation that shows then
        when = when % clip.media.duration
    if clip.media.generated:
        source = generated(clip.media.path, fps, 1.0)
    else:
        seek = seconds(_seek(clip, when, fps))
        source = ffmpeg.input(ffmpeg_path_arg(clip.media.path), ss=seek, an=None)
    # The input is already seeked to the frame, so the chain sees a one-frame clip at 1x.
    still = replace(
        clip,
        source_in=Fraction(0),
        source_out=Fraction(1, fps),
        speed=Fraction(1),
        ramp=Keys(),
        pad_start=Fraction(0),
        pad_end=Fraction(0),
        fit=still_fit(clip.fit, when),
    )
    first = nearest_frame(min(max(inside - clip.pad_start, Fraction(0)), clip.played), fps)
    return clip_video({"video": source.video}, still, plan.frame, 1, plan.masks, first)


def _seek(clip: Clip, when: Fraction, fps: int) -> Fraction:
    """Where to open the file so its first frame is the one the export shows at `when`: the
    export's frame-rate filter shows the last frame that starts by half an output frame after
    it (never one before the clip's in point)."""
    if clip.media.still:
        return when
    rate = clip.media.fps if clip.media.fps > 0 else Fraction(fps)
    late = Fraction(1, 2 * fps) * clip.top_speed
    return max(clip.source_in, when + late - 1 / rate)


def _transition_run(project: Project, plan: Plan, index: int) -> object | None:
    """Frame `index` rendered through the clips joined by transitions around it, when it lies
    inside a transition (both sides are needed there); None elsewhere."""
    fps = plan.frame.fps
    found = joints(project.main, fps)
    cut = 0
    for number, (slot, joint) in enumerate(zip(plan.slots, found)):
        cut += slot.frames
        if joint is not None and cut - joint.before <= index < cut + joint.after:
            first, last = run_of(found, number)
            start = sum(s.frames for s in plan.slots[:first])
            clips, slots = project.main.clips[first:last], plan.slots[first:last]
            video = video_only(clips, slots, plan.frame, plan.masks, found[first:last])
            trimmed = video.filter("trim", start_frame=index - start, end_frame=index - start + 1)
            shown: object = trimmed.filter("setpts", "PTS-STARTPTS")
            return shown
    return None


def _argv(out: object, exe: str, global_args: list[str]) -> list[str]:
    """Global options go first: ffmpeg ignores options that trail the last output. With the
    ffmpeg_threads setting, every input's decoder, the filters and the encoders are held to
    that many threads."""
    argv = list(out.compile(cmd=exe))  # type: ignore[attr-defined]
    threads = current().ffmpeg_threads
    if not threads:
        return [argv[0], *global_args, *argv[1:]]
    limit = ["-threads", str(threads)]
    limited: list[str] = []
    for arg in argv[1:-1]:
        limited += [*limit, arg] if arg == "-i" else [arg]
    graph = ["-filter_complex_threads", str(threads), "-filter_threads", str(threads)]
    return [argv[0], *global_args, *graph, *limited, *limit, argv[-1]]


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
