"""A title whose motion changes its letters (typewriter, words, blur, wave: model/motion.py),
or whose opacity is keyed, drawn as a sequence of pictures in one APNG file.

Keys of a transform cannot show letters one by one or lift them in turn, so such a title is
drawn frame by frame of the output rate: what each frame shows (how many letters, how much
blur, where the wave is, how opaque it is) is worked out first, each distinct frame is drawn
once with Pillow, and runs of the same frame become one frame of the APNG that lasts that
long. ffmpeg reads it as any overlay's video (the same graph, no Python per frame of the
export); the keyed kinds of the motion and the title's own keys move and scale it as they do
a still title. A keyed opacity (a fade) is drawn in too: ffmpeg has no cheap filter for an
alpha that changes over time, and the per-pixel expression it would need costs an export
with ten fading titles almost half its time again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.model.keys import Keys
from studio.model.motion import Motion
from studio.model.titles import TextStyle
from studio.render.titles import WAVE_HEIGHT, Shown, layout, letter_count

WAVE_SECONDS = Fraction(6, 5)  # one rise and fall of the wave
BLUR = 0.3  # the blur a blur-in starts from, of the font size


@dataclass(frozen=True)
class Frame:
    """What one output frame of the title shows."""

    letters: int | None  # None: all
    blur: float  # 0 (sharp) .. 1 (the most)
    phase: int | None  # the wave's step, of its steps a turn (None: no wave)
    opacity: int = 255  # of 255


def frames(
    text: str, style: TextStyle, motion: Motion, duration: Fraction, fps: int,
    opacity: Keys | None = None,
) -> list[tuple[Frame, int]]:  # fmt: skip
    """Each distinct frame in turn and how many output frames it lasts (`opacity`: the
    title's keyed opacity, drawn in)."""
    counts = _letter_counts(text)
    runs: list[tuple[Frame, int]] = []
    for index, frame in enumerate(_each_frame(counts, motion, duration, fps)):
        if opacity is not None:
            alpha = opacity.at(Fraction(index, fps), 1.0)
            frame = replace(frame, opacity=round(255 * min(1.0, max(0.0, alpha))))
        if runs and runs[-1][0] == frame:
            runs[-1] = (frame, runs[-1][1] + 1)
        else:
            runs.append((frame, 1))
    return runs


def _letter_counts(text: str) -> list[int]:
    """Letters shown after each word: the word-by-word reveal's steps (spaces are free)."""
    counts, total = [], 0
    for word in text.split():
        total += letter_count(word)
        counts.append(total)
    return counts


def _each_frame(counts: list[int], motion: Motion, duration: Fraction, fps: int) -> Iterator[Frame]:
    total = counts[-1] if counts else 0
    enter = min(motion.enter_length, duration / 2) if motion.enter else Fraction(0)
    leave = min(motion.leave_length, duration - enter) if motion.leave else Fraction(0)
    steps = max(1, round(WAVE_SECONDS * fps))
    for index in range(max(1, round(duration * fps))):
        time = Fraction(index, fps)
        coming = time / enter if time < enter else None  # 0..1 through the entrance
        going = (time - duration + leave) / leave if leave and time >= duration - leave else None
        letters = _letters(motion, counts, total, coming, going)
        blur = _blur(motion, coming, going)
        phase = index % steps if motion.loop == "wave" else None
        yield Frame(None if letters == total else letters, blur, phase)


def _letters(
    motion: Motion, counts: list[int], total: int, coming: Fraction | None, going: Fraction | None
) -> int:
    """How many letters show: all, but some while a typewriter or words entrance or exit is
    under way (an entrance shows its first letter or word at once, an exit its last one to
    the end)."""
    if coming is not None and motion.enter in ("typewriter", "words"):
        return _revealed(motion.enter, counts, total, coming)
    if going is not None and motion.leave in ("typewriter", "words"):
        return _revealed(motion.leave, counts, total, 1 - going)
    return total


def _revealed(kind: str, counts: list[int], total: int, part: Fraction) -> int:
    steps = counts if kind == "words" else list(range(1, total + 1))
    if not steps:
        return total
    return steps[min(len(steps) - 1, int(part * len(steps)))]


def _blur(motion: Motion, coming: Fraction | None, going: Fraction | None) -> float:
    """How blurred (0..1) a blur entrance or exit leaves the frame: easing into focus."""
    if coming is not None and motion.enter == "blur":
        return float((1 - coming) ** 2)
    if going is not None and motion.leave == "blur":
        return float(going**2)
    return 0.0


def write(
    text: str, style: TextStyle, motion: Motion, duration: Fraction, fps: int, factor: float,
    opacity: Keys | None, path: Path,
) -> None:  # fmt: skip
    """The title's frames as an APNG at `path`, each distinct frame drawn once."""
    laid = layout(text, style, factor)
    room = round(WAVE_HEIGHT * laid.px) + 2 if motion.loop == "wave" else 0
    steps = max(1, round(WAVE_SECONDS * fps))
    drawn: dict[Frame, Any] = {}
    pictures, lengths = [], []
    done = 0
    for frame, count in frames(text, style, motion, duration, fps, opacity):
        if frame not in drawn:
            drawn[frame] = _drawn(laid, frame, room, steps)
        pictures.append(drawn[frame])
        lengths.append(round((done + count) * 1000 / fps) - round(done * 1000 / fps))
        done += count
    first, rest = pictures[0], pictures[1:]
    options = {"save_all": True, "append_images": rest, "duration": lengths, "loop": 1}
    first.save(
        path, format="PNG", disposal=0, blend=0, compress_level=3, **(options if rest else {})
    )


def _drawn(laid: Any, frame: Frame, room: int, steps: int) -> Any:
    from PIL import ImageFilter

    phase = None if frame.phase is None else frame.phase / steps
    picture = laid.picture(Shown(frame.letters, phase), room)
    if frame.blur > 0:
        picture = picture.filter(ImageFilter.GaussianBlur(frame.blur * BLUR * laid.px))
    share = (1 - frame.blur) * frame.opacity / 255
    if share < 1:
        alpha = picture.getchannel("A").point(lambda value: round(value * share))
        picture.putalpha(alpha)
    return picture
