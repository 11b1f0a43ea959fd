"""Captions grouped as they show: lines of at most the captions' width and line count (a
cue), pop pages of one to three words, and each cue's words for the highlight style, which
marks the word being spoken from its start. render/caption_pictures.py draws them with the
titles' renderer and lays them over the edit as its top layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from studio.model.captions import Cue, cues
from studio.model.timeline import Captions, CaptionWord

POP_WORDS = 3


def cues_with_words(
    words: Sequence[CaptionWord], captions: Captions
) -> list[tuple[Cue, list[CaptionWord]]]:
    found, index = [], 0
    for cue in cues(words, captions.width, captions.lines):
        count = sum(len(line.split(" ")) for line in cue.lines)
        found.append((cue, list(words[index : index + count])))
        index += count
    return found


def pages(words: Sequence[CaptionWord]) -> list[list[CaptionWord]]:
    """One to three words a page: a page ends at punctuation, a pause, or three words."""
    pages: list[list[CaptionWord]] = []
    for word in words:
        last = pages[-1] if pages else None
        if (
            last is None
            or len(last) >= POP_WORDS
            or last[-1].text.endswith((".", ",", "?", "!"))
            or word.start - last[-1].end >= 0.4
        ):
            pages.append([word])
        else:
            last.append(word)
    return pages


def pop_cue(page: list[CaptionWord]) -> Cue:
    return Cue(page[0].start, page[-1].end, (" ".join(word.text for word in page),))


def write_captions(plan: Any) -> None:
    """Draw the plan's captions beside its images (if it has some and they are missing)."""
    if plan.captions is not None:
        from studio.render.caption_pictures import captions_band

        frame = plan.frame
        captions_band(plan.captions, (frame.width, frame.height), frame.fps, plan.image_dir)


def with_captions(video: Any, plan: Any, first: int, count: int) -> Any:
    """The plan's captions laid over `count` frames of `video`, whose frame 0 is output frame
    `first`, above every other layer."""
    if plan.captions is None:
        return video
    from studio.render.caption_pictures import captions_band, captions_clip
    from studio.render.layers import lay_over

    frame = plan.frame
    canvas = (frame.width, frame.height)
    band = captions_band(plan.captions, canvas, frame.fps, plan.image_dir)
    if not band.frames:
        return video
    clip = captions_clip(plan.captions, band, canvas, frame.fps)
    return lay_over(video, clip, (0, band.frames), plan, (first, count))
