"""The two ffmpeg commands that play the edit from a frame: raw pictures and raw sound on pipes.

Both come from the export's own graph (clip chains, fits, beat effects, texts, duet layouts,
the music mix), so what plays is what exports; only the size (preview-sized) and the loudness
pass differ: the export measures the whole mix first, playback cannot wait for that. The
picture starts at the clip holding the start frame, so a seek late in a long edit decodes only
from that clip on. Pure: the same project, plan and start always give the same argv.
"""

from __future__ import annotations

from dataclasses import dataclass

import ffmpeg

from studio.errors import RenderError
from studio.model.timeline import Project
from studio.render.audio import AUDIO_RATE
from studio.render.command import GLOBAL, _argv
from studio.render.compile import audio_only, video_only
from studio.render.effects import with_effects
from studio.render.layers import with_layers
from studio.render.overlays import with_texts
from studio.render.plan import Plan, Stream
from studio.render.transitions import joints, run_of

PIXEL_FORMAT = "bgra"  # 4 bytes per pixel, Qt's RGB32 in memory on little-endian machines
CHANNELS = 2
SAMPLE_BYTES = 2  # s16le
JPEG_QUALITY = 5  # ffmpeg's mjpeg scale: 2 best .. 31 worst; ~25 KB a 540x960 frame


@dataclass(frozen=True)
class Playback:
    """The commands and what their pipes carry."""

    video: list[str]
    audio: list[str]
    start: int  # first frame on the picture pipe
    frames: int  # frames on the picture pipe
    width: int
    height: int
    fps: int

    @property
    def frame_bytes(self) -> int:
        return self.width * self.height * 4


def playback_commands(
    project: Project,
    plan: Plan,
    start: int,
    exe: str = "ffmpeg",
    pictures: Project | None = None,
    jpeg: bool = False,
) -> Playback:
    """Picture (bgra at the plan's size) and sound (48 kHz s16le stereo) from frame `start`.

    `pictures` is the same edit reading its video from preview proxies (proxies carry no
    sound, so the sound always comes from `project`)."""
    if not 0 <= start < plan.frames:
        raise RenderError(f"frame {start} is outside the edit (0 to {plan.frames - 1})", field="at")
    frame = plan.frame
    video = _picture_from(pictures or project, plan, start)
    if jpeg:
        video = video.filter("scale", out_range="pc").filter("format", "yuvj420p")
        output = {"f": "image2pipe", "vcodec": "mjpeg", "q:v": JPEG_QUALITY}
    else:
        video = video.filter("format", PIXEL_FORMAT)
        output = {"f": "rawvideo", "pix_fmt": PIXEL_FORMAT}
    picture = _argv(ffmpeg.output(video, "pipe:1", **output), exe, GLOBAL)
    audio = audio_only(project, frame.fps, plan.slots, plan.masks)
    first_sample = plan.samples * start // plan.frames
    audio = audio.filter("atrim", start_sample=first_sample).filter("asetpts", "PTS-STARTPTS")
    pcm = {"f": "s16le", "acodec": "pcm_s16le", "ar": AUDIO_RATE, "ac": CHANNELS}
    sound = _argv(ffmpeg.output(audio, "pipe:1", **pcm), exe, GLOBAL)
    count = plan.frames - start
    return Playback(picture, sound, start, count, frame.width, frame.height, frame.fps)


def _picture_from(project: Project, plan: Plan, start: int) -> Stream:
    frame = plan.frame
    found = joints(project.main, frame.fps)
    holding, _ = _clip_holding(plan, start)
    first = run_of(found, holding)[0]  # a transition into it needs the clips before
    clip_start = sum(slot.frames for slot in plan.slots[:first])
    count = plan.frames - clip_start
    clips, clip_slots = project.main.clips[first:], plan.slots[first:]
    video = video_only(clips, clip_slots, frame, plan.masks, found[first:])
    video = with_layers(video, project, plan, clip_start, count)
    size = (frame.width, frame.height)
    video = with_effects(video, project, frame.fps, size, clip_start, count)
    video = with_texts(video, plan, count, clip_start)
    return _trimmed(video, start - clip_start)


def _clip_holding(plan: Plan, frame: int) -> tuple[int, int]:
    """Index of the clip whose slot holds `frame`, and that slot's first frame."""
    begin = 0
    for index, slot in enumerate(plan.slots):
        if frame < begin + slot.frames:
            return index, begin
        begin += slot.frames
    raise RenderError(f"frame {frame} is outside the edit", field="at")


def _trimmed(video: Stream, skip: int) -> Stream:
    if not skip:
        return video
    return video.filter("trim", start_frame=skip).filter("setpts", "PTS-STARTPTS")
