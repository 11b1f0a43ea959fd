"""Captions drawn by the titles' renderer: the bundled fonts and their fallbacks (any script a
bundled font has, emoji in colour), outlines, boxes and the place and size the creator gives.

The project's words become events as before (render/captions.py: lines of at most the
captions' width, pop pages of one to three words, the spoken word highlighted), each shown
from the first output frame at or after its start until its end. Each event is drawn once
into a band as wide as the safe zone, bottom-centred, and the band's frames become one APNG
over the captions' whole time (a blank frame where nobody speaks, a pop's first frames
growing), laid over the edit as the top overlay: the same graph, no Python per frame of the
export, and no libass, which falls back to no bundled font and draws no colour emoji.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.io.cache import temporary_beside
from studio.io.files import replace_file
from studio.model.captions import CAPTIONS_ID, cues
from studio.model.clip import Clip, MediaRef
from studio.model.platform import SAFE_BOTTOM, SAFE_LEFT, SAFE_RIGHT
from studio.model.timeline import Captions
from studio.model.titles import CANVAS_WIDTH, TextStyle
from studio.model.transform import Transform
from studio.render.titles import FALLBACK_VERSION, Shown, font_file, layout

# Each style's look: its letters' height (of the canvas height, as the styles always had) and
# the rest of its text style.
LOOKS: dict[str, tuple[float, dict[str, Any]]] = {
    "classic": (0.032, {"box_color": "#000000", "box_opacity": 0.62, "box_radius": 10}),
    "bold": (0.045, {"stroke": 8}),
    "highlight": (0.045, {"stroke": 8}),
    "pop": (0.06, {"stroke": 9}),
}
FONT = "Roboto Black"  # the styles' own font
HIGHLIGHT = "#ffe600"  # the spoken word's colour in the highlight style
MARGIN = 0.02  # of the canvas, inside the safe zone's edges
POP_GROWTH = (0.7, 0.8, 0.9)  # a pop page's first frames, of its size
VERSION = 3  # raised when captions are drawn differently: every captions file draws again


@dataclass(frozen=True)
class Event:
    """Words on screen from output frame `first` up to (not with) `end`."""

    first: int
    end: int
    text: str
    word: int | None = None  # the highlighted word, counted across the lines
    pop: bool = False


def events(captions: Captions, fps: int) -> list[Event]:
    """The captions' events on the output frames, in time order, none overlapping."""
    from studio.render.captions import cues_with_words, pages, pop_cue

    words = captions.shown
    found: list[Event] = []
    if captions.style == "pop":
        for page in pages(words):
            cue = pop_cue(page)
            found.append(_event(cue.start, cue.end, cue.text.upper(), fps, pop=True))
    elif captions.style == "highlight":
        for cue, group in cues_with_words(words, captions):
            for position, word in enumerate(group):
                start = cue.start if position == 0 else word.start
                end = group[position + 1].start if position + 1 < len(group) else cue.end
                found.append(_event(start, end, cue.text, fps, word=position))
    else:
        found = [_event(c.start, c.end, c.text, fps) for c in cues(words, captions.width,
                                                                   captions.lines)]  # fmt: skip
    return _apart([event for event in found if event.end > event.first])


def _event(start: float, end: float, text: str, fps: int, **kind: Any) -> Event:
    return Event(math.ceil(start * fps - 1e-6), math.ceil(end * fps - 1e-6), text, **kind)


def _apart(found: list[Event]) -> list[Event]:
    """Each event ending where the next starts, at the latest (never two at once)."""
    kept = []
    for event, after in zip(found, [*found[1:], None]):
        end = min(event.end, after.first) if after is not None else event.end
        if end > event.first:
            kept.append(replace(event, end=end))
    return kept


def text_style(captions: Captions, canvas: tuple[int, int]) -> TextStyle:
    """The style's look in the captions' font and size, wrapping inside the band (sizes in px
    of a 1080-wide canvas, as a title's)."""
    height, look = LOOKS[captions.style]
    size = height * canvas[1] * CANVAS_WIDTH / canvas[0] * captions.scale
    style = TextStyle(font=captions.font or FONT, size=round(size, 2), **look)
    padding = round(size * 0.25, 2) if style.box_color else 0.0
    edge = max(padding, style.stroke + 1)  # what the renderer adds round the letters
    wide = band_width(canvas) * CANVAS_WIDTH / canvas[0] - 2 * edge
    return replace(style, box_padding=padding, max_width=round(wide, 2))


def band_height(captions: Captions, canvas: tuple[int, int]) -> int:
    """The band's room down: the captions' lines of their style's letters and its edges, px
    (a pop page may take one line more when a word is long)."""
    style = text_style(captions, canvas)
    factor = canvas[0] / CANVAS_WIDTH
    lines = captions.lines + (1 if captions.style == "pop" else 0)
    edge = max(style.box_padding, style.stroke + 1)
    height = round(
        ((lines - 1) * style.line_spacing + 1.3) * style.size * factor + 2 * edge * factor
    )
    return height + height % 2


def band_box(captions: Captions, canvas: tuple[int, int]) -> tuple[float, float, int, int]:
    """Where the captions' band sits: its centre (of the canvas) and size (px)."""
    width, height = band_width(canvas), band_height(captions, canvas)
    y = captions.y or (canvas[1] * (1 - SAFE_BOTTOM - MARGIN) - height / 2) / canvas[1]
    return captions.x, y, width, height


def band_width(canvas: tuple[int, int]) -> int:
    """The captions' room across: the safe zone's width less a margin each side, px."""
    width = canvas[0] * (1 - SAFE_LEFT - SAFE_RIGHT - 2 * MARGIN)
    return int(width) // 2 * 2


@dataclass(frozen=True)
class Band:
    """The captions' pictures for an output size: the file and where its band sits."""

    path: Path
    width: int
    height: int
    frames: int  # the frames it covers, from the edit's first


def captions_band(captions: Captions, canvas: tuple[int, int], fps: int, folder: Path) -> Band:
    """The captions drawn into `folder` (unless there already, named by what they show)."""
    from PIL import Image

    style = text_style(captions, canvas)
    found = events(captions, fps)
    room = band_height(captions, canvas)
    stamp = repr((VERSION, FALLBACK_VERSION, found, style, room, canvas, fps, _font_stamp(style)))
    path = folder / f"captions-{hashlib.sha256(stamp.encode()).hexdigest()[:20]}.png"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        temp = temporary_beside(path, ".png")
        _write(captions, found, canvas, fps, temp)
        replace_file(temp, path)
    with Image.open(path) as band:
        width, height = band.size
    return Band(path, width, height, found[-1].end if found else 0)


def _font_stamp(style: TextStyle) -> str:
    stat = font_file(style.font).stat()
    return f"{stat.st_size}-{stat.st_mtime_ns}"


def _write(captions: Captions, found: list[Event], canvas: tuple[int, int], fps: int,
           path: Path) -> None:  # fmt: skip
    """The band's frames as an APNG: blank, then each event (a pop growing), in turn."""
    from PIL import Image

    style = text_style(captions, canvas)
    factor = canvas[0] / CANVAS_WIDTH
    width, height = band_width(canvas), band_height(captions, canvas)
    drawn = {event: _picture(event, style, factor, (width, height)) for event in found}
    blank = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    frames: list[tuple[Any, int]] = []
    at = 0
    for event in found:
        if event.first > at:
            frames.append((blank, event.first - at))
        frames += _shown(drawn[event], event, blank)
        at = event.end
    frames.append((blank, 1))  # after the last words: nothing
    pictures = [picture for picture, _ in frames]
    lengths, done = [], 0
    for _, count in frames:
        lengths.append(round((done + count) * 1000 / fps) - round(done * 1000 / fps))
        done += count
    pictures[0].save(path, format="PNG", save_all=True, append_images=pictures[1:],
                     duration=lengths, loop=1, disposal=0, blend=0, compress_level=3)  # fmt: skip


def _picture(event: Event, style: TextStyle, factor: float, room: tuple[int, int]) -> Any:
    """The event's words drawn; words that do not fit the band (a long word on its own line,
    more lines than the band has room for in a large font) are drawn smaller, never cut."""
    from PIL import Image

    shown = Shown(word=event.word, marked=HIGHLIGHT) if event.word is not None else None
    picture = layout(event.text, style, factor).picture(shown)
    share = min(1.0, room[0] / picture.width, room[1] / picture.height)
    if share >= 1.0:
        return picture
    size = (max(2, int(picture.width * share)), max(2, int(picture.height * share)))
    return picture.resize(size, Image.Resampling.LANCZOS)


def _shown(picture: Any, event: Event, blank: Any) -> list[tuple[Any, int]]:
    """The event's frames on the band: bottom-centred, a pop's first frames smaller."""
    sizes = POP_GROWTH[: max(0, event.end - event.first - 1)] if event.pop else ()
    frames = [(_placed(picture, blank, share), 1) for share in sizes]
    frames.append((_placed(picture, blank, 1.0), event.end - event.first - len(sizes)))
    return frames


def _placed(picture: Any, blank: Any, share: float) -> Any:
    """The picture on the band, its foot on the band's (a smaller one, of a pop, around the
    same middle)."""
    from PIL import Image

    middle = blank.height - picture.height / 2
    if share != 1.0:
        size = (max(1, round(picture.width * share)), max(1, round(picture.height * share)))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    band = blank.copy()
    left, top = (band.width - picture.width) // 2, max(0, round(middle - picture.height / 2))
    band.alpha_composite(picture, (left, top))
    return band


def captions_clip(captions: Captions, band: Band, canvas: tuple[int, int], fps: int) -> Clip:
    """The band as an overlay clip of the edit's first `band.frames` frames, where the
    captions' place puts it (above the safe zone's bottom edge unless moved)."""
    length = Fraction(band.frames + 1, fps)
    media = MediaRef(str(band.path), length, band.width, band.height, fps=Fraction(fps),
                     loops=True)  # fmt: skip
    foot = canvas[1] * (1 - SAFE_BOTTOM - MARGIN)  # by default, just above the safe zone's
    y = captions.y or (foot - band.height / 2) / canvas[1]
    transform = Transform(x=captions.x, y=y, scale=band.width / canvas[0])
    return Clip(media, Fraction(0), Fraction(band.frames, fps), transform=transform, id=CAPTIONS_ID)
