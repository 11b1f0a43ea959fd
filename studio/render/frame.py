"""One composed frame at time T, at preview size, through the export's own clip chain.

`render_frame` gives PNG bytes (files, thumbnails, the CLI); `render_picture` gives the same
pixels raw (BGRA, Qt's RGB32 in memory), for the app's preview: no PNG to encode in ffmpeg nor
to decode on the GUI thread, the command waited on by its pipes (it answers the moment ffmpeg
exits) rather than by polling, and a frame inside a transition made from its two clips alone
(seeked_transition) rather than from every clip of the run of transitions up to it.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import ffmpeg

from studio.errors import Cancelled, RenderError
from studio.io import children
from studio.io.cache import cache_dir
from studio.io.ffmpeg_bin import ffmpeg_exe, ffmpeg_path_arg
from studio.io.runner import Task, as_task, run
from studio.model.effects import kind_of
from studio.model.limits import LIMITS
from studio.model.time import nearest_frame, seconds
from studio.model.timeline import Clip, MediaRef, Project, video_clips
from studio.render.captions import write_captions
from studio.render.command import GLOBAL, _argv, _seek, frame_command
from studio.render.compile import _widened_video, clip_video
from studio.render.effects import amounts_at, apply_constant
from studio.render.images import make_images
from studio.render.layers import with_layers
from studio.render.overlays import with_texts
from studio.render.plan import Frame, Plan, Slot, Stream, make_plan
from studio.render.sources import Sources
from studio.render.transitions import Joint, Span, _xfade, joints, run_of, spans, xfade_at

FRAME_TIMEOUT = 60.0
CANCEL_POLL = 0.01  # seconds between looks at the cancel flag while a preview frame renders
PNG_OUTPUT = ["-f", "image2pipe", "-vcodec", "png", "-vframes", "1", "pipe:1"]
RAW_OUTPUT = ["-f", "rawvideo", "-pix_fmt", "bgra", "-vframes", "1", "pipe:1"]
RAW_FORMAT = {"f": "rawvideo", "pix_fmt": "bgra", "vframes": 1}
KNOWN_PROXIES = 512  # sources whose proxy is remembered (by path, size and time)


@dataclass(frozen=True)
class Picture:
    """A frame's pixels: `width` x `height` BGRA, rows packed (4 bytes a pixel)."""

    width: int
    height: int
    pixels: bytes


def parse_size(text: str, field: str = "size") -> tuple[int, int]:
    """ "540x960" -> (540, 960); even sides within the preview limits."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise RenderError(f"must look like 540x960, not {text!r}", field=field) from None
    low, high = LIMITS["frame.side"].low, LIMITS["frame.side"].high
    if not (low <= width <= high and low <= height <= high) or width % 2 or height % 2:
        raise RenderError(f"{text} needs even sides from {low:g} to {high:g}", field=field)
    return width, height


def render_frame(
    project: Project,
    at: Fraction,
    size: tuple[int, int],
    output: str | Path | None = None,
    proxies: bool = False,
    task: Task | None = None,
    masks: Mapping[str, Path] | None = None,
) -> bytes:
    """PNG bytes of the frame showing at `at`; also written to `output` when given.

    With `proxies`, sources are read from their all-intra preview proxies (made once, cached):
    the fast path for scrubbing. `masks`: what an analysis pass prepared (studio.app.render
    makes them, and the follow crops, before calling this).
    """
    task = as_task(task)
    project, plan = _prepared(project, at, size, proxies, task, masks)
    argv = frame_command(project, plan, at, "pipe:1", exe=ffmpeg_exe())
    done = run(argv, task.part(0.9, 1), FRAME_TIMEOUT)
    png = done.stdout_bytes
    if done.returncode != 0 or not png.startswith(b"\x89PNG"):
        raise RenderError(f"frame render failed: {done.last_error('no output')}")
    if output is not None:
        Path(output).write_bytes(png)
    return png


def render_picture(
    project: Project,
    at: Fraction,
    size: tuple[int, int],
    task: Task | None = None,
    masks: Mapping[str, Path] | None = None,
) -> Picture:
    """The same frame as `render_frame(..., proxies=True)`, as raw BGRA pixels (what the
    preview paints): read from the preview proxies, made now where one is missing. Inside a
    transition, its clips are read on their own (seeked_transition); where the seek finds no
    frame, the frame is made from the whole run, as the export makes it."""
    task = as_task(task)
    project, plan = _prepared(project, at, size, True, task, masks)
    width, height, exe = plan.frame.width, plan.frame.height, ffmpeg_exe()
    seeked = seeked_transition(project, plan, nearest_frame(at, plan.frame.fps))
    if seeked is not None:
        argv = _argv(ffmpeg.output(seeked, "pipe:1", **RAW_FORMAT), exe, GLOBAL)
        try:
            return Picture(width, height, _pipe_output(argv, task, width * height * 4))
        except RenderError:
            pass  # the file has no frame where the seek looked (it starts late)
    argv = raw_frame_command(project, plan, at, exe)
    return Picture(width, height, _pipe_output(argv, task, width * height * 4))


def raw_frame_command(project: Project, plan: Plan, at: Fraction, exe: str) -> list[str]:
    """`frame_command`'s argv writing the frame as raw BGRA to stdout instead of a PNG: the
    same graph, so the same pixels (the PNG's RGB and this BGRA come from one conversion)."""
    argv = frame_command(project, plan, at, "pipe:1", exe=exe)
    if argv[-len(PNG_OUTPUT) :] != PNG_OUTPUT:
        raise RenderError(f"unexpected frame command output: {' '.join(argv[-7:])}")
    return [*argv[: -len(PNG_OUTPUT)], *RAW_OUTPUT]


def seeked_transition(project: Project, plan: Plan, index: int) -> Stream | None:
    """Frame `index` when it lies inside a transition, made as the export makes it (xfade of
    the two clips' frames at that point of the transition, then what lies over the main
    track) without reading the run of clips before it: the first clip's frame is read from
    one seek, as a clip's preview frame is, and the second's from the start of its stream, as
    the run reads it. None elsewhere, or where the first clip is not a plain read of its file
    (padded, ramped, faded, placed, followed, drawn from a prepared picture, or past the
    file's end) or the run is not all 4:2:0 clips joined by a concat."""
    fps = plan.frame.fps
    clips, found = project.main.clips, joints(project.main, fps)
    cut = 0
    for number, (slot, joint) in enumerate(zip(plan.slots, found)):
        cut += slot.frames
        if joint is None or not cut - joint.before <= index < cut + joint.after:
            continue
        step = index - (cut - joint.before)  # of the transition's frames
        first_clip, last_clip = run_of(found, number)
        if any(clip.transform for clip in clips[first_clip:last_clip]):
            return None  # a placed clip's picture is not brought to 4:2:0 as the others are
        if _bodies(found, plan, number) <= 0:
            return None  # the run may be this transition alone: no concat after it
        widened = spans(clips, found, fps)
        first, second = widened[number], widened[number + 1]
        ending = first.lead + slot.frames - joint.before + step  # in the first side's stream
        side = _side(first, ending, plan)
        if side is None:
            return None
        head = _head(second, plan.slots[number + 1], step, plan)
        return _over_main(_blended(side, head, joint, step, plan), project, plan, index)
    return None


def _bodies(found: list[Joint | None], plan: Plan, number: int) -> int:
    """Frames of the two clips around transition `number` outside any transition."""
    frames = 0
    for index in (number, number + 1):
        before, after = found[index - 1] if index else None, found[index]
        frames += plan.slots[index].frames - (before.after if before else 0)
        frames -= after.before if after else 0
    return frames


def _side(span: Span, position: int, plan: Plan) -> Stream | None:
    """Frame `position` of a widened clip's stream (its first `held` frames repeat its first),
    read from one seek; None when the clip is not a plain read of its file."""
    clip, fps = span.clip, plan.frame.fps
    frame = max(position - span.held, 0)
    when = clip.source_at(Fraction(frame, fps))
    if not _plain(clip) or when >= clip.media.duration:
        return None  # past the file's end the export holds its last frame
    seek = seconds(_seek(clip, when, fps))
    source = ffmpeg.input(ffmpeg_path_arg(clip.media.path), ss=seek, an=None)
    still = replace(clip, source_in=Fraction(0), source_out=Fraction(1, fps), speed=Fraction(1))
    early = span.lead - span.held
    return clip_video({"video": source.video}, still, plan.frame, 1, plan.masks, frame - early)


def _head(span: Span, slot: Slot, step: int, plan: Plan) -> Stream:
    """The second clip's frames of the transition up to `step`, as the run reads them (the
    start of its widened stream: the first frames it decodes)."""
    sources = Sources([span.clip], plan.frame.fps, want_audio=False)
    stream = _widened_video(sources, span, plan.frame, slot, plan.masks)
    stream = stream.filter("trim", start_frame=0, end_frame=step + 1)
    return stream.filter("setpts", "PTS-STARTPTS")


def _plain(clip: Clip) -> bool:
    """A clip whose every frame is the file's frame at that time, fitted and coloured alike
    (what a seek to one frame reproduces exactly)."""
    media = clip.media
    moving = not (media.generated or media.endless or clip.padded or clip.ramped)
    shaped = clip.transform is None and clip.fit.mode != "follow"
    drawn = not any(kind_of(effect).prepares for effect in clip.effects)
    return moving and shaped and drawn and not (clip.fade_in or clip.fade_out)


def _blended(first: Stream, second: Stream, joint: Joint, step: int, plan: Plan) -> Stream:
    """The transition's frame `step` from the first side's frame and the second side's
    frames up to `step`. A sliver of the first side stands beside the result until it is
    cropped off, so a seek that found no frame gives no frame (never the second side alone,
    which is what xfade passes on then)."""
    split = first.filter_multi_output("split", 2)
    slivers = [split.stream(1).filter("crop", 2, plan.frame.height, 0, 0)]
    last = second.filter("trim", start_frame=step).filter("setpts", "PTS-STARTPTS")
    video = xfade_at(split.stream(0), last, joint, plan.frame.fps, step)
    if video is None:  # an eased or reversed clock: the transition's frames up to `step`
        video = _blended_run(split.stream(0), second, joint, step, plan)
    # xfade works in 4:4:4; the run's concat brings it back to the clips' 4:2:0
    video = video.filter("setpts", "PTS-STARTPTS").filter("format", "yuv420p")
    guarded = ffmpeg.filter([video, *slivers], "hstack", inputs=2, shortest=1)
    return guarded.filter("crop", plan.frame.width, plan.frame.height, 0, 0)


def _blended_run(first: Stream, second: Stream, joint: Joint, step: int, plan: Plan) -> Stream:
    """Frame `step` of the whole transition, the first side's frame held for its length so
    that xfade meets it at `step`, the second side's last frame held to its end."""
    held = {"start": step, "stop": joint.frames - step - 1, "start_mode": "clone"}
    padded = first.filter("tpad", **held, stop_mode="clone")
    second = second.filter("tpad", stop=joint.frames - step - 1, stop_mode="clone")
    video = _xfade(padded, second, joint, plan.frame.fps)
    return video.filter("trim", start_frame=step, end_frame=step + 1)


def _over_main(video: Stream, project: Project, plan: Plan, index: int) -> Stream:
    """What frame_command lays over the main track's frame `index`."""
    frame = plan.frame
    video = with_layers(video, project, plan, index, 1)
    for effect, amount in amounts_at(project, index, frame.fps):
        video = apply_constant(video, effect, amount, (frame.width, frame.height), frame.fps)
    return with_texts(video, plan, 1, first=index)


def _prepared(
    project: Project,
    at: Fraction,
    size: tuple[int, int],
    proxies: bool,
    task: Task,
    masks: Mapping[str, Path] | None,
) -> tuple[Project, Plan]:
    """The project as it will be read (from proxies or not) and its plan at `size`, with the
    pictures the graph reads (texts, captions) written."""
    if not 0 <= at < project.duration:
        raise RenderError(
            f"{float(at):.3f} s is outside the edit (0 to {float(project.duration):.3f} s)",
            field="at",
        )
    if proxies:
        project = _from_proxies(project, task.part(0, 0.9))
    plan = make_plan(
        project, Frame(*size, project.canvas.fps), cache_dir("images"), dict(masks or {})
    )
    make_images(plan.images, plan.image_dir)
    write_captions(plan)
    return project, plan


_known: dict[tuple[MediaRef, int, int], MediaRef] = {}  # (source, size, mtime) -> its proxy


def _from_proxies(project: Project, task: Task) -> Project:
    """`with_proxies(project)`, remembering each proxy found by its source's size and time, so
    a frame does not read two MiB of every source again to name its proxy."""
    from studio.render.proxy import proxy_of

    read = [clip.media for clip in video_clips(project)]
    sources = {m.path: m for m in read if not m.generated and not m.endless}
    proxies = {}
    for index, (path, media) in enumerate(sources.items()):
        key = _source_key(media)
        proxy = _known.get(key) if key is not None else None
        if proxy is None or not Path(proxy.path).is_file():
            share = task.part(index / len(sources), (index + 1) / len(sources))
            proxy = proxy_of(media, share)
            _remember(key, proxy)
        proxies[path] = proxy
    return project.with_every_clip(
        lambda clip: replace(clip, media=proxies.get(clip.media.path, clip.media))
    )


def _remember(key: tuple[MediaRef, int, int] | None, proxy: MediaRef) -> None:
    if key is None:
        return
    if len(_known) >= KNOWN_PROXIES:
        _known.clear()  # a long session's old sources: found again on their next frame
    _known[key] = proxy


def _source_key(media: MediaRef) -> tuple[MediaRef, int, int] | None:
    try:
        stat = os.stat(media.path)
    except OSError:
        return None  # proxy_of names the missing file
    return media, stat.st_size, stat.st_mtime_ns


def _pipe_output(argv: list[str], task: Task, expected: int) -> bytes:
    """Run a short ffmpeg command and return its stdout, `expected` bytes long; cancel is seen
    within CANCEL_POLL, and the answer comes as soon as the pipes close."""
    task.check()
    process = children.start(argv)
    deadline = time.monotonic() + FRAME_TIMEOUT
    try:
        out, err = _communicate(process, task, deadline)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        children.forget(process)
    if process.returncode != 0 or len(out) != expected:
        lines = [line for line in err.decode(errors="replace").splitlines() if line.strip()]
        raise RenderError(f"frame render failed: {lines[-1] if lines else 'no output'}")
    return out


def _communicate(
    process: subprocess.Popen[bytes], task: Task, deadline: float
) -> tuple[bytes, bytes]:
    while True:
        try:
            return process.communicate(timeout=CANCEL_POLL)
        except subprocess.TimeoutExpired:
            pass
        if task.cancelled:
            raise Cancelled()
        if time.monotonic() > deadline:
            raise RenderError(f"ffmpeg gave no answer within {FRAME_TIMEOUT:.0f} s")
