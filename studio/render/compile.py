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
from studio.model.ducking import UNDUCKED, duck_keys
from studio.model.effects import Look
from studio.model.keys import Keys
from studio.model.time import nearest_frame, seconds
from studio.model.timeline import Clip, MusicTrack, Project
from studio.render.audio import (
    AUDIO_RATE,
    DUCK,
    Loudness,
    clip_tempo,
    exact_length,
    normalise,
    on_clock,
)
from studio.render.chain import Slot as EffectSlot, looks_after_fit, with_effects
from studio.render.fit import (
    Grade,
    color_conversion,
    crop_needs_no_scale,
    fit_to_canvas,
    follow_focus,
    picture_on_clock,
)
from studio.render.keys import expression
from studio.render.layers import layer_sound, on_black
from studio.render.looks import with_look
from studio.render.plan import Frame, Plan, Slot, Stream
from studio.render.sources import Sources
from studio.render.transitions import Joint, Span, joined_audio, joined_video, joints, spans
from studio.render.voice import with_voice


def video_audio(project: Project, plan: Plan) -> tuple[Stream, Stream]:
    """The whole edit as one video and one audio stream, before loudness normalisation."""
    frame, clip_slots = plan.frame, plan.slots
    clips, found = project.main.clips, joints(project.main, frame.fps)
    if any(found):
        video = video_only(clips, clip_slots, frame, plan.masks, found)
        return video, audio_only(project, frame.fps, clip_slots, plan.masks)
    parts: list[Stream] = []
    sources = Sources(clips, frame.fps, sounds=plan.masks)
    for clip, slot in zip(clips, clip_slots):
        source = sources.take(clip)
        parts.append(clip_video(source, clip, frame, slot.frames, plan.masks))
        parts.append(clip_audio(source, clip, slot))
    joined = ffmpeg.concat(*parts, v=1, a=1, n=len(clips)).node
    return joined[0], _with_music(joined[1], project, clip_slots, plan.masks)


def video_only(
    clips: tuple[Clip, ...],
    clip_slots: tuple[Slot, ...],
    frame: Frame,
    masks: dict[str, Path] | None = None,
    found: list[Joint | None] | None = None,
) -> Stream:
    """The picture of `clips` filling the given slots (a chunk of a long edit), no sound;
    `found`: the transition after each clip (joints()), when the clips have any."""
    if found and any(found):
        widened = spans(clips, found, frame.fps)
        sources = Sources([span.clip for span in widened], frame.fps, want_audio=False)
        streams = [
            _widened_video(sources, span, frame, slot, masks)
            for span, slot in zip(widened, clip_slots)
        ]
        return joined_video(streams, found, clip_slots, frame.fps)
    sources = Sources(clips, frame.fps, want_audio=False)
    parts = [
        clip_video(sources.take(clip), clip, frame, slot.frames, masks)
        for clip, slot in zip(clips, clip_slots)
    ]
    return ffmpeg.concat(*parts, v=1, a=0, n=len(parts)) if len(parts) > 1 else parts[0]


def _widened_video(
    sources: Sources, span: Span, frame: Frame, slot: Slot, masks: dict[str, Path] | None
) -> Stream:
    """A clip's picture with its handles: lead + slot + tail frames (its masks start where
    the clip does, so the frames read before it take the masks' first)."""
    frames = span.lead + slot.frames + span.tail
    early = span.lead - span.held  # frames of the file read before the clip's in point
    source = sources.take(span.clip)
    video = clip_video(source, span.clip, frame, frames - span.held, masks, -early)
    if span.held:
        video = video.filter("tpad", start=span.held, start_mode="clone")
    return video


def audio_only(
    project: Project,
    fps: int,
    clip_slots: tuple[Slot, ...],
    sounds: dict[str, Path] | None = None,
) -> Stream:
    """The same sound as video_audio, with no picture decoded (loudness pass, long edits);
    `sounds`: the prepared files, cleaned sounds among them."""
    clips, found = project.main.clips, joints(project.main, fps)
    if any(found):
        widened = spans(clips, found, fps)
        sources = Sources([span.clip for span in widened], fps, False, sounds=sounds)
        streams = [_widened_audio(sources, span, slot) for span, slot in zip(widened, clip_slots)]
        joined = joined_audio(streams, found, clip_slots, fps)
        return _with_music(joined, project, clip_slots, sounds)
    sources = Sources(clips, fps, want_video=False, sounds=sounds)
    parts = [clip_audio(sources.take(clip), clip, slot) for clip, slot in zip(clips, clip_slots)]
    audio = ffmpeg.concat(*parts, v=0, a=1, n=len(parts)) if len(parts) > 1 else parts[0]
    return _with_music(audio, project, clip_slots, sounds)


def _widened_audio(sources: Sources, span: Span, slot: Slot) -> Stream:
    """A clip's sound with the handles its crossfades need: lead + slot + tail samples."""
    wanted = span.lead_samples + slot.samples + span.tail_samples
    before = Fraction(span.early, AUDIO_RATE)  # the item starts this far into the stream
    audio = clip_audio(sources.take(span.clip), span.clip, Slot(0, span.early + wanted), before)
    if span.early > span.lead_samples:
        audio = audio.filter("atrim", start_sample=span.early - span.lead_samples)
        audio = audio.filter("asetpts", "PTS-STARTPTS")
    elif span.early < span.lead_samples:
        audio = audio.filter("adelay", delays=f"{span.lead_samples - span.early}S", all=1)
    return exact_length(audio, wanted)


def _with_music(
    audio: Stream,
    project: Project,
    clip_slots: tuple[Slot, ...],
    sounds: dict[str, Path] | None = None,
) -> Stream:
    total = sum(s.samples for s in clip_slots)
    if not project.heard(project.main):  # the clips' own sound off (muted, or another solo)
        audio = audio.filter("volume", 0)
    duck = duck_keys(project)
    if not project.main.ducked_by:  # a duet's original ducks under yours by its own rule
        audio = ducked(audio, duck)
    if project.music is not None and not project.soloed:
        audio = _mix([audio, ducked(music_bed(project.music, total), duck)])
    return _with_layers(audio, project, total, duck, sounds)


def _with_layers(
    audio: Stream, project: Project, samples: int, duck: Keys, sounds: dict[str, Path] | None
) -> Stream:
    """The sound of the tracks above the main one mixed in, ducked under the voices but for
    the voices and the sound effects; the main track's ducked under the track it names, if
    any (a duet: a sidechain compressor keyed by that track's sound)."""
    roles = {track.id: track.role for track in project.layers}
    layers = [
        (track, sound if roles[track] in UNDUCKED else ducked(sound, duck))
        for track, sound in layer_sound(project, samples, sounds)
    ]
    ducking = project.main.ducked_by
    key = [sound for track, sound in layers if track == ducking]
    if not key:
        return _mix([audio, *(sound for _, sound in layers)]) if layers else audio
    voice = _mix(key) if len(key) > 1 else key[0]
    split = voice.filter_multi_output("asplit", 2)
    audio = ffmpeg.filter([audio, split.stream(0)], "sidechaincompress", **DUCK)
    others = [sound for track, sound in layers if track != ducking]
    return exact_length(_mix([audio, split.stream(1), *others]), samples)


def ducked(audio: Stream, curve: Keys) -> Stream:
    """Sound whose timestamps count timeline seconds, its gain following the ducking curve
    (model/ducking.py: dB) frame by frame."""
    if not curve.animated:
        return audio
    level = f"pow(10,({expression(curve, 0.0)})/20)"
    return audio.filter("volume", level, eval="frame")


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
    if clip.transform is not None:
        video = clip_picture(source, clip, frame, frames, masks, mask_first)
        video = on_black(video, clip, frame.width, frame.height)
        return _picture_fades(video, clip, frames, frame.fps)
    later = looks_after_fit(clip, frame.width, frame.height)
    video = clip_picture(source, clip, frame, frames, masks, mask_first, len(later))
    color, follow = color_conversion(clip.media), follow_focus(clip, frame.fps)
    cut_first = crop_needs_no_scale(clip.media, frame.width, frame.height)
    grade = _graded(later) if later else None
    fitted = fit_to_canvas(
        video, clip.fit, frame.width, frame.height, color, follow, cut_first, grade
    )
    return _picture_fades(fitted, clip, frames, frame.fps)


def _graded(looks: tuple[Look, ...]) -> Grade:
    def grade(video: Stream) -> Stream:
        for look in looks:
            video = with_look(video, look)
        return video

    return grade


def clip_picture(
    source: dict[str, Stream],
    clip: Clip,
    frame: Frame,
    frames: int,
    masks: dict[str, Path] | None = None,
    mask_first: int = 0,
    held_back: int = 0,
) -> Stream:
    """One clip's picture at the canvas rate and its own size, exactly `frames` long, with its
    effects but for the last `held_back` (chain.looks_after_fit): what clip_video fits to the
    canvas and an overlay places by its transform."""
    masks = masks or {}
    before, after = held_frames(clip, frames, frame.fps)
    played = frames - before - after
    video = picture_on_clock(source["video"], clip, frame.fps)
    # Exactly the slot's frames, counted before scaling: the read margin never gets scaled.
    pad = seconds(Fraction(played, frame.fps))
    video = video.filter("tpad", stop_mode="clone", stop_duration=pad)
    video = video.filter("trim", end_frame=played).filter("setpts", "N/FRAME_RATE/TB")
    slot = EffectSlot(played, frame.fps, mask_first)
    video = with_effects(video, clip, masks, slot, held_back)
    if before or after:
        mode = "clone" if clip.pad_fill == "freeze" else "add"
        held = {"start": before, "stop": after, "start_mode": mode, "stop_mode": mode}
        video = video.filter("tpad", **held, color="black@0")
    return video


def held_frames(clip: Clip, frames: int, fps: int) -> tuple[int, int]:
    """The frames of a `frames`-long render of the clip that hold its first and its last
    frame (at least one frame is played)."""
    if not clip.padded:
        return 0, 0
    before = min(nearest_frame(clip.pad_start, fps), frames - 1)
    after = min(nearest_frame(clip.pad_end, fps), frames - 1 - before)
    return before, after


def _picture_fades(video: Stream, clip: Clip, frames: int, fps: int) -> Stream:
    """Dip from / to black over the clip's fades, counted in whole frames of its slot."""
    fade_in = min(nearest_frame(clip.fade_in, fps), frames)
    fade_out = min(nearest_frame(clip.fade_out, fps), frames)
    if fade_in:
        video = video.filter("fade", type="in", start_frame=0, nb_frames=fade_in)
    if fade_out:
        video = video.filter("fade", type="out", start_frame=frames - fade_out, nb_frames=fade_out)
    return video


def clip_audio(
    source: dict[str, Stream], clip: Clip, slot: Slot, starts: Fraction = Fraction(0)
) -> Stream:
    """One clip's sound at 48 kHz stereo, exactly the samples of its slot; its volume keys are
    read from `starts` seconds into the stream (where the item starts)."""
    audio = with_voice(clip_tempo(on_clock(source["audio"]), clip), clip.voice_effect)
    audio = audio.filter("aformat", sample_fmts="fltp", channel_layouts="stereo")
    if clip.volume_keys.animated:
        level = expression(clip.volume_keys, clip.volume, "t", starts - clip.pad_start)
        audio = audio.filter("volume", level, eval="frame")
    elif clip.volume != 1:
        audio = audio.filter("volume", round(clip.volume, 4))
    if clip.pad_start > 0:  # held frames are silent
        audio = audio.filter("adelay", delays=f"{_samples(clip.pad_start)}S", all=1)
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


def _mix(sounds: list[Stream]) -> Stream:
    """Sounds added together, as long as the first."""
    return ffmpeg.filter(sounds, "amix", inputs=len(sounds), duration="first", normalize=0)
