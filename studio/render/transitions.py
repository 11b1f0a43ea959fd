"""Transitions between neighbouring clips of the main track, in the one graph.

A transition of T frames is centred on its cut: it covers the last a = T // 2 frames of the
clip before and the first b = T - a frames of the clip after. The clip before is read b frames
past its out point and the clip after a frames before its in point (their "handles"; a clip's
first or last frame is held where its file has no more), so each side has exactly T frames
there, and `xfade` turns one into the other. Each clip's stream is cut into its head (inside
the transition before it), its body and its tail (inside the transition after it); the edit is
the bodies and the transitions joined by one `concat`, so no cut moves and the edit keeps its
length. The sound does the same with `acrossfade` where the transition crossfades it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction

import ffmpeg

from studio.model.keys import Ease
from studio.model.time import nearest_frame, seconds
from studio.model.timeline import Clip, Track, Transition
from studio.model.tracks import halves
from studio.render.audio import AUDIO_RATE
from studio.render.keys import eased
from studio.render.plan import Slot, Stream

# ffmpeg's xfade transition for each kind ("zoom-out" is zoom-in played backwards, sides
# swapped: the clip after starts close and pulls back).
XFADE = {
    "dissolve": "fade",
    "dip-black": "fadeblack",
    "dip-white": "fadewhite",
    "slide-left": "coverleft",
    "slide-right": "coverright",
    "slide-up": "coverup",
    "slide-down": "coverdown",
    "push-left": "slideleft",
    "push-right": "slideright",
    "push-up": "slideup",
    "push-down": "slidedown",
    "wipe-left": "wipeleft",
    "wipe-right": "wiperight",
    "zoom-in": "zoomin",
    "zoom-out": "zoomin",
    "circle": "circleopen",
    "whip": "hblur",
}


MIRRORED: dict[Ease, Ease] = {"linear": "linear", "in": "out", "out": "in", "in-out": "in-out"}


@dataclass(frozen=True)
class Joint:
    """A transition as rendered at rate `fps`: `before` frames of it lie before its cut and
    `after` frames after."""

    transition: Transition
    before: int
    after: int

    @property
    def frames(self) -> int:
        return self.before + self.after

    def samples(self, fps: int) -> tuple[int, int]:
        per_frame = AUDIO_RATE // fps
        return self.before * per_frame, self.after * per_frame


def joints(track: Track, fps: int) -> list[Joint | None]:
    """For each clip of the track, the transition into the next clip (None: a plain cut)."""
    found: list[Joint | None] = []
    for clip in track.clips:
        transition = track.transition_after(clip.id)
        if transition is None:
            found.append(None)
            continue
        found.append(Joint(transition, *halves(transition, fps)))
    return found


def run_of(found: list[Joint | None], index: int) -> tuple[int, int]:
    """The clips [first, last) joined by transitions to clip `index` (itself alone when it
    has none on either side)."""
    first = index
    while first > 0 and found[first - 1] is not None:
        first -= 1
    last = index
    while found[last] is not None:
        last += 1
    return first, last + 1


@dataclass(frozen=True)
class Span:
    """One clip as read for a render with transitions: its range widened by its handles; the
    frames of its stream before its slot (`lead`, of which the first `held` repeat its first
    frame where the file has none) and after it (`tail`); `early` samples of its sound lie
    before its slot in the widened range, `lead_samples` are wanted there."""

    clip: Clip
    lead: int
    tail: int
    held: int
    early: int
    lead_samples: int
    tail_samples: int


def spans(clips: tuple[Clip, ...], found: list[Joint | None], fps: int) -> list[Span]:
    """Each clip widened by half of the transitions on either side of it."""
    result = []
    for index, clip in enumerate(clips):
        before = found[index - 1] if index else None
        after = found[index]
        lead = before.before if before else 0
        tail = after.after if after else 0
        lead_samples = before.samples(fps)[0] if before and before.transition.audio else 0
        tail_samples = after.samples(fps)[1] if after and after.transition.audio else 0
        result.append(_widened(clip, lead, tail, lead_samples, tail_samples, fps))
    return result


def _widened(clip: Clip, lead: int, tail: int, lead_s: int, tail_s: int, fps: int) -> Span:
    wanted = clip.source_at(Fraction(-lead, fps))
    start = Fraction(0) if clip.media.still else max(Fraction(0), wanted)
    before = -clip.timeline_at(start)  # seconds of the slot's clock before the slot
    held = lead - min(lead, nearest_frame(before, fps))
    end = clip.source_at(clip.duration + Fraction(tail + 1, fps))
    widened = replace(clip, source_in=start, source_out=end)
    early = round(before * AUDIO_RATE)
    return Span(widened, lead, tail, held, early, lead_s, tail_s)


def joined_video(
    streams: list[Stream], found: list[Joint | None], slots: tuple[Slot, ...], fps: int
) -> Stream:
    """Each clip's stream (lead + slot + tail frames) cut into bodies and transitions, joined."""
    parts: list[Stream] = []
    carried: Stream | None = None  # the next clip's head goes into this transition's xfade
    for index, stream in enumerate(streams):
        before = found[index - 1] if index else None
        after = found[index]
        head = before.frames if before else 0
        tail = after.frames if after else 0
        lead = before.before if before else 0
        length = lead + slots[index].frames + (after.after if after else 0)
        pieces = _cut(stream, [head, length - tail, length], "video")
        if before is not None and carried is not None and pieces[0] is not None:
            parts.append(_xfade(carried, pieces[0], before, fps))
        if pieces[1] is not None:
            parts.append(pieces[1])
        carried = pieces[2] if after is not None else None
    return parts[0] if len(parts) == 1 else ffmpeg.concat(*parts, v=1, a=0, n=len(parts))


def joined_audio(
    streams: list[Stream], found: list[Joint | None], slots: tuple[Slot, ...], fps: int
) -> Stream:
    """The sound the same way: crossfaded over each transition that crossfades it."""
    parts: list[Stream] = []
    carried: Stream | None = None
    for index, stream in enumerate(streams):
        before = found[index - 1] if index else None
        after = found[index]
        fade_in = before if before and before.transition.audio else None
        fade_out = after if after and after.transition.audio else None
        head = sum(fade_in.samples(fps)) if fade_in else 0
        tail = sum(fade_out.samples(fps)) if fade_out else 0
        lead = fade_in.samples(fps)[0] if fade_in else 0
        length = lead + slots[index].samples + (fade_out.samples(fps)[1] if fade_out else 0)
        pieces = _cut(stream, [head, length - tail, length], "audio")
        if fade_in is not None and carried is not None and pieces[0] is not None:
            both = [carried, pieces[0]]
            parts.append(ffmpeg.filter(both, "acrossfade", ns=head, c1="tri", c2="tri"))
        if pieces[1] is not None:
            parts.append(pieces[1])
        carried = pieces[2] if fade_out is not None else None
    return parts[0] if len(parts) == 1 else ffmpeg.concat(*parts, v=0, a=1, n=len(parts))


def _cut(stream: Stream, ends: list[int], kind: str) -> list[Stream | None]:
    """The stream cut at frame (or sample) counts: [0, ends[0]), [ends[0], ends[1]), ...;
    None for an empty piece."""
    bounds = list(zip([0, *ends[:-1]], ends))
    used = sum(1 for start, end in bounds if end > start)
    name = "split" if kind == "video" else "asplit"
    outputs = (
        iter([stream]) if used == 1 else _outputs(stream.filter_multi_output(name, used), used)
    )
    return [
        _trim(next(outputs), start, end, kind) if end > start else None for start, end in bounds
    ]


def _outputs(node: Stream, count: int) -> Iterator[Stream]:
    return iter([node.stream(i) for i in range(count)])


def _trim(stream: Stream, start: int, end: int, kind: str) -> Stream:
    if kind == "video":
        trimmed = stream.filter("trim", start_frame=start, end_frame=end)
        return trimmed.filter("setpts", "PTS-STARTPTS")
    trimmed = stream.filter("atrim", start_sample=start, end_sample=end)
    return trimmed.filter("asetpts", "PTS-STARTPTS")


def _xfade(first: Stream, second: Stream, joint: Joint, fps: int) -> Stream:
    """Exactly `joint.frames` frames turning `first` into `second`."""
    kind, ease = joint.transition.kind, joint.transition.ease
    length = seconds(Fraction(joint.frames, fps))
    if kind == "zoom-out":  # played backwards: its easing too
        backwards = [
            _eased(video.filter("reverse"), MIRRORED[ease], joint.frames, length)
            for video in (second, first)
        ]
        zoomed = ffmpeg.filter(backwards, "xfade", transition="zoomin", duration=length, offset=0)
        return _exact(zoomed, joint.frames).filter("reverse")
    both = [_eased(video, ease, joint.frames, length) for video in (first, second)]
    faded = ffmpeg.filter(both, "xfade", transition=XFADE[kind], duration=length, offset=0)
    return _exact(faded, joint.frames)


def xfade_at(first: Stream, second: Stream, joint: Joint, fps: int, step: int) -> Stream | None:
    """Frame `step` of _xfade(first, second) made from the one frame of each side there
    (`first` and `second` one frame long, stamped 0): xfade's start is moved `step` frames
    before them, so it blends them as far through as at `step` (the same pixels) without the
    frames before. None for an eased or reversed transition, whose clock is not the frame
    count."""
    kind, ease = joint.transition.kind, joint.transition.ease
    if kind == "zoom-out" or ease != "linear":
        return None
    length, offset = seconds(Fraction(joint.frames, fps)), seconds(Fraction(-step, fps))
    return ffmpeg.filter(
        [first, second], "xfade", transition=XFADE[kind], duration=length, offset=offset
    )


def _eased(video: Stream, ease: Ease, frames: int, length: float) -> Stream:
    """The transition's frames timed so that xfade, which moves on by their time, eases: frame
    k of `frames` is stamped at eased(k / frames) of the way (the pictures are untouched)."""
    if ease == "linear":
        return video
    clock = eased(ease, f"(N/{frames})")
    return video.filter("settb", "1/1000000").filter("setpts", f"{length}*{clock}/TB")


def _exact(video: Stream, frames: int) -> Stream:
    return video.filter("trim", end_frame=frames).filter("setpts", "N/FRAME_RATE/TB")
