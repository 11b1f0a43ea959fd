"""Captions burned in by libass (ffmpeg's `ass` filter) with the font shipped in studio.

The project's words become an ASS script at the canvas size: lines of at most the captions'
width, at most its line count, bottom-centred just above the safe zone's bottom edge and
inside its sides (never under the platform's buttons); libass also wraps any line still too
wide for those margins (a pop page of long words in big letters). Styles:
- classic: white text on a translucent dark box, a subtitle;
- bold: large white text with a thick black outline;
- highlight: bold, with the word being spoken in yellow (an event per word, from its start);
- pop: one to three words at a time, large, popping in.
The script is written beside the plan's overlay images and the fonts folder is studio's own
(`assets/fonts`: Roboto Black, Apache-2.0), so no system font is ever used.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.io.files import replace_file
from studio.model.captions import Cue, cues
from studio.model.platform import SAFE_BOTTOM, SAFE_LEFT, SAFE_RIGHT
from studio.model.timeline import Captions, CaptionWord

FONT = "Roboto Black"
FONTS = Path(__file__).resolve().parents[1] / "assets" / "fonts"
YELLOW = "&H0000E6FF&"  # ASS colours are &HAABBGGRR
POP_WORDS = 3
SIZES = {"classic": 0.032, "bold": 0.045, "highlight": 0.045, "pop": 0.06}  # of the height


def ass_script(captions: Captions, width: int, height: int) -> str:
    """The whole ASS script of the captions for a width x height picture."""
    words = captions.shown
    if captions.style == "pop":
        groups = [_pop_cue(group) for group in _pages(words)]
        events = [_event(cue.start, cue.end, _popping(cue.text)) for cue in groups]
    elif captions.style == "highlight":
        events = [
            event
            for cue, group in _cues_with_words(words, captions)
            for event in _highlights(cue, group)
        ]
    else:
        found = cues(words, captions.width, captions.lines)
        events = [_event(cue.start, cue.end, _escaped(cue.text)) for cue in found]
    return _header(captions, width, height) + "\n".join(events) + "\n"


def _header(captions: Captions, width: int, height: int) -> str:
    size = round(height * SIZES[captions.style])
    outline, edge, border = round(size * 0.09), "&H00000000", 1  # a solid black outline
    if captions.style == "classic":  # a box (libass draws it in the outline colour), see-through
        outline, edge, border = round(size * 0.25), "&H60000000", 3
    left = round(width * SAFE_LEFT) + round(width * 0.02)
    right = round(width * SAFE_RIGHT) + round(width * 0.02)
    bottom = round(height * SAFE_BOTTOM) + round(height * 0.02)
    style = (
        f"Style: Default,{FONT},{size},&H00FFFFFF,&H00FFFFFF,{edge},&H00000000,"
        f"0,0,0,0,100,100,0,0,{border},{outline},0,2,{left},{right},{bottom},1"
    )
    return (
        "[Script Info]\nScriptType: v4.00+\nWrapStyle: 0\nScaledBorderAndShadow: yes\n"
        f"PlayResX: {width}\nPlayResY: {height}\n\n"
        "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
        "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, "
        "Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, "
        f"Encoding\n{style}\n\n"
        "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, "
        "Text\n"
    )


def _event(start: float, end: float, text: str) -> str:
    return f"Dialogue: 0,{_clock(start)},{_clock(end)},Default,,0,0,0,,{text}"


def _clock(seconds: float) -> str:
    """h:mm:ss.cc (libass counts in centiseconds)."""
    centis = max(0, round(seconds * 100))
    hours, rest = divmod(centis, 360_000)
    minutes, rest = divmod(rest, 6000)
    whole, centis = divmod(rest, 100)
    return f"{hours}:{minutes:02d}:{whole:02d}.{centis:02d}"


def _escaped(text: str) -> str:
    """Text as ASS shows it: braces would start override tags; lines break with \\N."""
    return text.replace("{", "(").replace("}", ")").replace("\n", "\\N")


def _cues_with_words(
    words: Sequence[CaptionWord], captions: Captions
) -> list[tuple[Cue, list[CaptionWord]]]:
    found, index = [], 0
    for cue in cues(words, captions.width, captions.lines):
        count = sum(len(line.split(" ")) for line in cue.lines)
        found.append((cue, list(words[index : index + count])))
        index += count
    return found


def _highlights(cue: Cue, group: list[CaptionWord]) -> list[str]:
    """One event per word of the cue, from its start to the next word's, the word in yellow."""
    events = []
    for position, word in enumerate(group):
        start = cue.start if position == 0 else word.start
        end = group[position + 1].start if position + 1 < len(group) else cue.end
        lines, at = [], 0
        for line in cue.lines:
            parts = []
            for text in line.split(" "):
                shown = _escaped(text)
                parts.append(
                    f"{{\\c{YELLOW}}}{shown}{{\\c&H00FFFFFF&}}" if at == position else shown
                )
                at += 1
            lines.append(" ".join(parts))
        if end > start:
            events.append(_event(start, end, "\\N".join(lines)))
    return events


def _yellow(text: str) -> str:
    return f"{{\\c{YELLOW}}}{text}{{\\c&H00FFFFFF&}}"


def _pages(words: Sequence[CaptionWord]) -> list[list[CaptionWord]]:
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


def _pop_cue(page: list[CaptionWord]) -> Cue:
    return Cue(page[0].start, page[-1].end, (" ".join(word.text for word in page),))


def _popping(text: str) -> str:
    return "{\\fscx70\\fscy70\\t(0,90,\\fscx100\\fscy100)}" + _escaped(text.upper())


def write_captions(plan: Any) -> None:
    """Write the plan's captions script beside its images (if it has one and it is missing)."""
    if plan.captions and not plan.captions_file.is_file():
        from studio.io.cache import temporary_beside

        temp = temporary_beside(plan.captions_file, ".ass")
        temp.write_text(plan.captions, encoding="utf-8")
        replace_file(temp, plan.captions_file)


def with_captions(video: Any, plan: Any, first: int = 0) -> Any:
    """The plan's captions burned into `video`, whose frame 0 is output frame `first`."""
    if not plan.captions:
        return video
    shift = Fraction(first, plan.frame.fps)
    if shift:
        video = video.filter("setpts", f"PTS+{float(shift):.6f}/TB")
    video = video.filter("ass", filename=str(plan.captions_file), fontsdir=str(FONTS))
    return video.filter("setpts", "PTS-STARTPTS") if shift else video
