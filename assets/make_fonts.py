"""The title fonts' three made files, from the fonts as their sources ship them.

    python assets/make_fonts.py cjk NotoSansCJK-Bold.ttc     # the CJK subset (fontTools)
    python assets/make_fonts.py emoji NotoColorEmoji.ttf     # the emoji subset (fontTools)
    python assets/make_fonts.py coverage                     # studio/assets/fonts/coverage.json

`cjk` cuts Noto Sans CJK SC Bold (face 2 of fonts-noto-cjk's NotoSansCJK-Bold.ttc, OFL-1.1) to
the characters of GB 2312, Big5 level 1, JIS X 0208 and KS X 1001 with Latin, punctuation and
full-width forms, horizontal layout only: 3.6 MB instead of 19.6, byte for byte the same on
every run. `emoji` cuts Noto Color Emoji 2.042 (fonts-noto-color-emoji, OFL-1.1) to the emoji
creators put in titles most (EMOJI), each with its skin tones and the sequences of kept emoji
its ligatures make (heart on fire, keycaps): 0.75 MB instead of 11, the same bytes on every
run; the installer has no room for more. `coverage` writes, for every bundled font, the
character ranges it draws, which the renderer reads to pick the font of each character and to
refuse text no font draws (studio/render/titles.py). Where each font comes from:
assets/README.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FONTS = Path(__file__).resolve().parent.parent / "studio" / "assets" / "fonts"
CJK_FACE = 2  # Simplified Chinese in the collection
CJK_OUT = FONTS / "NotoSansCJKsc-Bold-subset.otf"
# Double-byte code pages whose characters the subset keeps: (codec, lead bytes, trail bytes).
CODE_PAGES = (
    ("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF)),
    ("big5", range(0xA1, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]),
    ("euc_jp", range(0xA1, 0xF5), range(0xA1, 0xFF)),
    ("euc_kr", range(0xA1, 0xFE), range(0xA1, 0xFF)),
)
# Latin, general punctuation, CJK symbols and kana, Hangul jamo, full-width forms.
KEPT_RANGES = ((0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x3000, 0x3100), (0x3130, 0x3190))
KEPT_RANGES += ((0xFF00, 0xFFF0),)
EMOJI_OUT = FONTS / "NotoColorEmoji-subset.ttf"
EMOJI_BUDGET = 800_000  # bytes: the installer is close to its size limit
# The emoji kept, by theme. Every one costs 1-5 KB of bitmap, a hand with its five skin tones
# about 9 KB; flags (258 of them, 0.9 MB) and the people with their genders are left out.
EMOJI = (
    "😀😃😄😁😆😅🤣😂🙂🙃🫠😉😊😇🥰😍🤩😘😋😛😜🤪🤗🤭🤔😐😏🙄😬",  # faces
    "😔😴😷🥵🤯🥳😎😮😳🥺🥹😢😭😱😤😡🤬😈💀☠💩👻👽🤖😻🙈🙉🙊",
    "💋💌💘💝💖💗💓💞💕💟❣💔❤🩷🧡💛💚💙🩵💜🤎🖤🩶🤍",  # hearts
    "💯💢💥💫💦💨💬💭💤👀🧠",
    "👋✋👌✌🤞🤙👈👉👆👇☝👍👎👊👏🙌🫶🙏💪🤝",  # hands, each with its skin tones
    "🎉🎊🎈🎁🎂🥂🍾🏆🥇🥈🥉🏅🎯👑💎💍",  # party and prizes
    "✨⭐🌟⚡🔥🌈☀🌙☁❄🌊💧",  # sky and fire
    "⬆↗➡↘⬇↙⬅↖↕↔↩↪⤴⤵🔄🔁🔀🔙🔜🔝",  # arrows
    "✅☑✔❌❎➕➖✖❓❗‼⁉⭕🚫⛔⚠🆕🆓🆒🆗🆘",  # marks  # noqa: RUF001 (emoji, not + and -)
    "🎵🎶🎤🎧🎹🥁🎸🎬🎥📷📸📹📺📱💻🎮🎙🔊🔔📢📣",  # music, cameras, screens
    "▶⏸⏹⏺⏭⏮⏩⏪📈📉📊",  # players' buttons, charts
    "💡📌📍✏📝📅⏰⏳💰💵💸🛒🔑🔒🔓🔗🚀✈🚗🏠🌍📦",  # things
    "🍕🍟🌮🍿🍩🍫🍦🍓🍒🍉🍑🥑🍋☕🍺🍷",  # food and drink
    "🐶🐱🦄🐐🦁🐼🐸🌸🌹🌻🌷🍀🌴",  # animals and plants
    "⚽🏀🏈⚾🔴🟠🟡🟢🔵🟣⚫⚪🟥🟧🟨🟩🟦🟪⬛⬜🔶🔷",  # balls and shapes
    "#*0123456789",  # the keycaps' first letters
)
# Kept with them: the zero-width joiner, the keycap mark and the five skin tones, so the
# sequences of kept emoji stay ligatures. Variation selector 16 is not in the font's cmap.
EMOJI_JOINERS = (0x200D, 0x20E3, *range(0x1F3FB, 0x1F400))


def code_page_characters() -> set[int]:
    found = set()
    for codec, leads, trails in CODE_PAGES:
        for lead in leads:
            for trail in trails:
                try:
                    text = bytes([lead, trail]).decode(codec)
                except UnicodeDecodeError:
                    continue
                if len(text) == 1:
                    found.add(ord(text))
    for low, high in KEPT_RANGES:
        found |= set(range(low, high))
    return found


def subset_cjk(collection: Path, out: Path = CJK_OUT) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    font = TTCollection(str(collection)).fonts[CJK_FACE]
    options = subset.Options()
    options.layout_features = ["kern", "liga", "palt", "halt", "ccmp"]
    options.name_IDs, options.name_languages = ["*"], ["*"]
    options.notdef_outline = True
    options.drop_tables += ["VORG", "vhea", "vmtx"]
    font.recalcTimestamp = False  # the output is the same bytes on every run
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=code_page_characters())
    cutter.subset(font)
    font.save(str(out))


def subset_emoji(full: Path, out: Path = EMOJI_OUT) -> None:
    """EMOJI of the full font, with the ligatures (skin tones, keycaps, ZWJ sequences) whose
    letters are all kept: fontTools' closure. Refused above EMOJI_BUDGET."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(full))
    wanted = {ord(letter) for theme in EMOJI for letter in theme}
    missing = sorted(wanted - set(font.getBestCmap()))
    if missing:
        raise SystemExit(f"{full} has no {', '.join(f'U+{code:04X}' for code in missing)}")
    options = subset.Options()
    options.name_IDs, options.name_languages = ["*"], ["*"]
    options.notdef_outline = True
    options.drop_tables += ["vhea", "vmtx"]  # titles are horizontal
    font.recalcTimestamp = False  # the output is the same bytes on every run
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=wanted | set(EMOJI_JOINERS))
    cutter.subset(font)
    font.save(str(out))
    if out.stat().st_size > EMOJI_BUDGET:
        raise SystemExit(f"{out.name} is {out.stat().st_size} bytes, over {EMOJI_BUDGET}")


def coverage(folder: Path = FONTS) -> dict[str, list[list[int]]]:
    """Each font file's characters as [first, last] ranges."""
    from fontTools.ttLib import TTFont

    found = {}
    for path in sorted(folder.glob("*.[to]tf")):
        codes = sorted(TTFont(str(path), lazy=True).getBestCmap())
        ranges: list[list[int]] = []
        for code in codes:
            if ranges and code == ranges[-1][1] + 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
        found[path.name] = ranges
    return found


def main() -> int:
    if sys.argv[1:2] == ["cjk"] and len(sys.argv) == 3:
        subset_cjk(Path(sys.argv[2]))
        return 0
    if sys.argv[1:2] == ["emoji"] and len(sys.argv) == 3:
        subset_emoji(Path(sys.argv[2]))
        return 0
    if sys.argv[1:] == ["coverage"]:
        text = json.dumps(coverage(), separators=(",", ":"), sort_keys=True)
        (FONTS / "coverage.json").write_text(text + "\n", encoding="utf-8")
        return 0
    raise SystemExit(__doc__)


if __name__ == "__main__":
    raise SystemExit(main())
