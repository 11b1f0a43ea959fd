"""Compile a project into ONE ffmpeg filter graph (ffmpeg-python nodes). Pure: no files are read.

Each clip is an input opened with an accurate seek (-ss/-t before -i, so only its range is
decoded). Its picture goes: speed, SAR to square pixels, constant frame rate from the time origin
it shares with its sound, fit to the canvas, then padded/trimmed to exactly the frames of its
slot. Its sound goes: gaps filled, speed, 48 kHz stereo, volume, then padded/trimmed to exactly
the samples of that slot. Slots come from
absolute cut times (model.timeline.cut_frames), so picture and sound never drift. The music bed is
mixed under the clips, then loudness-normalised.

AI effects will add per-frame processors: a clip whose chain needs Python is decoded by its own
ffmpeg reader, processed, and fed back into this same graph as a raw-video pipe input in place of
the file input. Plain edits never leave this path.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.model.prepared import FACES, SKIN, SLOW, STICKER
from studio.model.time import nearest_frame, seconds
from studio.model.timeline import Clip, MusicTrack, Project
from studio.render.audio import (
    AUDIO_RATE,
    Loudness,
    atempo_chain,
    exact_length,
    normalise,
    on_clock,
)
from studio.render.background import (
    layer_video,
    with_background,
    with_blurred_faces,
    with_smooth_skin,
    with_sticker,
)
from studio.render.fit import color_conversion, fit_to_canvas, follow_focus, picture_on_clock
from studio.render.looks import with_look
from studio.render.plan import Frame, Plan, Slot, Stream
from studio.render.remix import duet_audio, duet_video
from studio.render.sources import Sources


def video_audio(project: Project, plan: Plan) -> tuple[Stream, Stream]:
    """The whole edit as one video and one audio stream, before loudness normalisation."""
    frame, clip_slots = plan.frame, plan.slots
    if project.duet is not None:
        (slot,) = clip_slots
        video = duet_video(project.duet, plan, slot.frames)
        return video, duet_audio(project.duet, slot.samples)
    parts: list[Stream] = []
    sources = Sources(project.main.clips, frame.fps)
    for clip, slot in zip(project.main.clips, clip_slots):
        source = sources.take(clip)
        parts.append(clip_video(source, clip, frame, slot.frames, plan.masks))
        parts.append(clip_audio(source, clip, slot))
    joined = ffmpeg.concat(*parts, v=1, a=1, n=len(project.main.clips)).node
    return joined[0], _with_music(joined[1], project, clip_slots)


def video_only(
    clips: tuple[Clip, ...],
    clip_slots: tuple[Slot, ...],
    frame: Frame,
    masks: dict[str, Path] | None = None,
) -> Stream:
    """The picture of `clips` filling the given slots (a chunk of a long edit), no sound."""
    sources = Sources(clips, frame.fps, want_audio=False)
    parts = [
        clip_video(sources.take(clip), clip, frame, slot.frames, masks)
        for clip, slot in zip(clips, clip_slots)
    ]
    return ffmpeg.concat(*parts, v=1, a=0, n=len(parts)) if len(parts) > 1 else parts[0]


def audio_only(project: Project, fps: int, clip_slots: tuple[Slot, ...]) -> Stream:
    """The same sound as video_audio, with no picture decoded (loudness pass, long edits)."""
    if project.duet is not None:
        return duet_audio(project.duet, clip_slots[0].samples)
    sources = Sources(project.main.clips, fps, want_video=False)
    parts = [
        clip_audio(sources.take(clip), clip, slot)
        for clip, slot in zip(project.main.clips, clip_slots)
    ]
    audio = ffmpeg.concat(*parts, v=0, a=1, n=len(parts)) if len(parts) > 1 else parts[0]
    return _with_music(audio, project, clip_slots)


def _with_music(audio: Stream, project: Project, clip_slots: tuple[Slot, ...]) -> Stream:
    if project.music is None:
        return audio
    total = sum(s.samples for s in clip_slots)
    return _mix(audio, music_bed(project.music, total))


def normalised(audio: Stream, loudness: Loudness | None, samples: int) -> Stream:
    """Apply measured loudness normalisation (skipped for silence) and fix the exact length."""
    if loudness is not None and loudness.audible:
        audio = normalise(audio, loudness)
    return exact_length(audio, samples)


def clip_video(
    source: dict[str, Stream],
    clip: Clip,
    frame: Frame,
    frames: int,
    masks: dict[str, Path] | None = None,
    mask_first: int = 0,
) -> Stream:
    """One clip's picture at the canvas size and rate, exactly `frames` long, with its effects
    (background, face blur, look) where `masks` holds the masks they need; the picture starts
    at the masks' frame `mask_first`."""
    masks = masks or {}
    video = picture_on_clock(source["video"], clip, frame.fps)
    # Exactly the slot's frames, counted before scaling: the read margin never gets scaled.
    pad = seconds(Fraction(frames, frame.fps))
    video = video.filter("tpad", stop_mode="clone", stop_duration=pad)
    video = video.filter("trim", end_frame=frames).filter("setpts", "N/FRAME_RATE/TB")
    rendered = masks.get(SLOW + clip.id)
    if clip.frame_effects and rendered is not None:  # the picture with its per-frame effects
        video = layer_video(rendered, frames, frame.fps, mask_first)
    person = masks.get(clip.id)
    if clip.background is not None and person is not None:
        video = with_background(video, clip.background, person, frames, frame.fps, mask_first)
    skin = masks.get(SKIN + clip.id)
    if clip.beauty > 0 and skin is not None:
        video = with_smooth_skin(video, clip.beauty, skin, frames, frame.fps, mask_first)
    face_mask = masks.get(FACES + clip.id)
    if clip.faces is not None and face_mask is not None:
        video = with_blurred_faces(video, clip.faces, face_mask, frames, frame.fps, mask_first)
    sticker = masks.get(STICKER + clip.id)
    if clip.sticker is not None and sticker is not None:
        video = with_sticker(video, sticker, frames, frame.fps, mask_first)
    if clip.look is not None:
        video = with_look(video, clip.look)
    color, follow = color_conversion(clip.media), follow_focus(clip, frame.fps)
    video = fit_to_canvas(video, clip.fit, frame.width, frame.height, color, follow)
    return _picture_fades(video, clip, frames, frame.fps)


def _picture_fades(video: Stream, clip: Clip, frames: int, fps: int) -> Stream:
    """Dip from / to black over the clip's fades, counted in whole frames of its slot."""
    fade_in = min(nearest_frame(clip.fade_in, fps), frames)
    fade_out = min(nearest_frame(clip.fade_out, fps), frames)
    if fade_in:
        video = video.filter("fade", type="in", start_frame=0, nb_frames=fade_in)
    if fade_out:
        video = video.filter("fade", type="out", start_frame=frames - fade_out, nb_frames=fade_out)
    return video


def clip_audio(source: dict[str, Stream], clip: Clip, slot: Slot) -> Stream:
    """One clip's sound at 48 kHz stereo, exactly the samples of its slot."""
    audio = atempo_chain(on_clock(source["audio"]), clip.speed)
    audio = audio.filter("aformat", sample_fmts="fltp", channel_layouts="stereo")
    if clip.volume != 1:
        audio = audio.filter("volume", round(clip.volume, 4))
    audio = exact_length(audio, slot.samples)
    if clip.fade_in > 0:
        audio = audio.filter("afade", type="in", start_sample=0, nb_samples=_samples(clip.fade_in))
    if clip.fade_out > 0:
        length = min(_samples(clip.fade_out), slot.samples)
        audio = audio.filter(
            "afade", type="out", start_sample=slot.samples - length, nb_samples=length
        )
    return audio


def _samples(t: Fraction) -> int:
    return round(t * AUDIO_RATE)


def music_bed(music: MusicTrack, samples: int) -> Stream:
    """The soundtrack from its offset, with gain and fades, exactly `samples` long."""
    length = Fraction(samples, AUDIO_RATE)
    options: dict[str, Any] = {"t": seconds(length + 1)}
    if music.offset > 0:
        options["ss"] = seconds(music.offset)
    audio = on_clock(ffmpeg.input(ffmpeg_path_arg(music.media.path), **options).audio)
    audio = audio.filter("aformat", sample_fmts="fltp", channel_layouts="stereo")
    if music.gain_db:
        audio = audio.filter("volume", f"{music.gain_db:.2f}dB")
    if music.fade_in > 0:
        audio = audio.filter("afade", t="in", st=0, d=seconds(music.fade_in))
    if music.fade_out > 0:
        fade = min(music.fade_out, length)
        audio = audio.filter("afade", t="out", st=seconds(length - fade), d=seconds(fade))
    return exact_length(audio, samples)


def _mix(clips: Stream, music: Stream) -> Stream:
    return ffmpeg.filter([clips, music], "amix", inputs=2, duration="first", normalize=0)
