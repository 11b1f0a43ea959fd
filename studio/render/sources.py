"""Open each clip's source range for the filter graph, once.

ffmpeg-python merges nodes with identical arguments, so the same range used by two clips (or
silence under several silent clips) must be opened once and split; that also decodes it only once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.model.prepared import DENOISED
from studio.model.stored import GENERATED
from studio.model.time import seconds
from studio.model.timeline import Clip
from studio.render.plan import Stream

SILENCE = "anullsrc=r=48000:cl=stereo"
LOOP_FRAMES = 32767  # the most frames the loop filter keeps: all of any animated picture
Key = tuple[str, float, float, bool, bool]


class Sources:
    """Hands out each clip's {"video", "audio"} streams in timeline order. A clip whose noise
    is reduced takes its sound from the cleaned file `sounds` holds (model/prepared.py)."""

    def __init__(
        self,
        clips: Sequence[Clip],
        fps: int,
        want_video: bool = True,
        want_audio: bool = True,
        sounds: Mapping[str, Path] | None = None,
    ) -> None:
        self.fps, self.want_video, self.want_audio = fps, want_video, want_audio
        self.sounds = sounds or {}
        keys = [self._key(clip) for clip in clips]
        self._video: dict[Key, Iterator[Stream]] = {}
        self._audio: dict[Key, Iterator[Stream]] = {}
        inputs: dict[Key, Stream] = {}
        for key, uses in Counter(keys).items():
            clip = clips[keys.index(key)]
            inputs[key] = media = self._input(key)
            if want_video:
                video = media.video
                video = looped(video, key[1], fps) if clip.media.loops else video
                self._video[key] = _fan_out(video, "split", uses)
        sounding = [clip for clip in clips if clip.media.has_audio] if want_audio else []
        heard = [self._sound_key(clip) for clip in sounding]
        for key, uses in Counter(heard).items():
            media = inputs[key] if key in inputs else self._input(key, video=False)
            self._audio[key] = _fan_out(media.audio, "asplit", uses)
        silent = sum(1 for clip in clips if not clip.media.has_audio) if want_audio else 0
        self._silence = _fan_out(ffmpeg.input(SILENCE, f="lavfi").audio, "asplit", silent)

    def take(self, clip: Clip) -> dict[str, Stream]:
        key = self._key(clip)
        streams: dict[str, Stream] = {}
        if self.want_video:
            streams["video"] = next(self._video[key])
        if self.want_audio:
            sound = self._sound_key(clip)
            streams["audio"] = (
                next(self._audio[sound]) if sound in self._audio else next(self._silence)
            )
        return streams

    def _sound_key(self, clip: Clip) -> Key:
        """Where its sound is read: its own file, or the cleaned one."""
        key = self._key(clip)
        cleaned = self.sounds.get(DENOISED + clip.id)
        return key if cleaned is None else (str(cleaned), key[1], key[2], False, False)

    def _key(self, clip: Clip) -> Key:
        """The source range to read: a two-frame margin so rounding never starves a slot."""
        margin = Fraction(2, self.fps) * clip.top_speed
        length = seconds(clip.source_duration + margin)
        media = clip.media
        return (media.path, seconds(clip.source_in), length, media.still, media.loops)

    def _input(self, key: Key, video: bool = True) -> Stream:
        path, start, length, still, loops = key
        if path.startswith(GENERATED):
            return generated(path, self.fps, length)
        options: dict[str, Any] = {} if loops else {"t": length}  # a loop reads all it has
        if still:  # a picture shown for the clip's length
            options |= {"loop": 1, "framerate": self.fps}
        elif start > 0 and not loops:
            options["ss"] = start
        if not (self.want_video and video):
            options["vn"] = None
        if not self.want_audio:
            options["an"] = None
        return ffmpeg.input(ffmpeg_path_arg(path), **options)


def looped(video: Stream, start: float, fps: int, repeat: bool = True) -> Stream:
    """An animated picture repeated without end at `fps` (`repeat` false: played once), from
    `start` seconds into it: the frame showing then first, though it began earlier (a seek
    would drop a frame held from before `start`). The loop filter keeps the frames it read,
    so any picture repeats (an animated WebP cannot be read again from its start as a GIF or
    an APNG can)."""
    repeated = video.filter("loop", loop=-1, size=LOOP_FRAMES) if repeat else video
    steady = repeated.filter("fps", fps=fps, start_time=0)
    skipped = round(start * fps)
    if skipped <= 0:
        return steady
    return steady.filter("trim", start_frame=skipped).filter("setpts", "PTS-STARTPTS")


def generated(path: str, fps: int, length: float) -> Stream:
    """A source studio makes itself: a plain colour, `length` seconds at `fps`."""
    colour = "0x" + path[len(GENERATED) :].lstrip("#")
    return ffmpeg.input(f"color=c={colour}:s=1080x1920:r={fps}:d={length}", f="lavfi")


def _fan_out(stream: Stream, split: str, uses: int) -> Iterator[Stream]:
    if uses <= 1:
        return iter([stream] * uses)  # one use, or none: an unused input node is never compiled
    node = stream.filter_multi_output(split, uses)
    return iter([node.stream(i) for i in range(uses)])
