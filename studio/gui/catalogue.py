"""What the browsers offer, as plain data: a tile per text style, sticker, look, effect,
transition and tool, by panel. A tile is dropped on a clip (looks, effects), a cut
(transitions), added at the playhead (text styles, stickers), or run (tools: they name a
command of the action table or a window method, so none is a dead button).

Templates have no panel yet: their engine comes with a later release.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.model.effects import Background, Beauty, Effect, FaceBlur, FrameEffect, Look, Sticker
from studio.model.limits import CHOICES
from studio.model.stored import BUILT_IN
from studio.model.tracks import TRANSITIONS

MIME = "application/x-studio-tile"  # a dragged tile carries its id under this type
MEDIA = "media:"  # the id of a file dragged from the media list: "media:" + its path


@dataclass(frozen=True)
class Tile:
    id: str  # "look:warm", "effect:blur-background", "transition:dissolve", "tool:file.import"
    title: str
    panel: str
    hint: str = ""  # the tooltip
    icon: str = ""  # a tool's icon (others show a rendered picture)
    effect: Effect | None = None  # what a look or effect tile adds to a clip
    transition: str = ""  # what a transition tile adds at a cut
    run: str = ""  # a tool: a command id ("file.import") or a window method
    text_style: str = ""  # a text tile: the style of the title it adds
    sticker: str = ""  # a sticker tile: the bundled sticker it adds
    sound: str = ""  # a sound-effect tile: the effect of the library it adds

    @property
    def droppable(self) -> bool:
        laid = self.transition or self.text_style or self.sticker or self.sound
        return self.effect is not None or bool(laid)


def _look_title(name: str) -> str:
    return name.replace("-", " & ").title() if name == "teal-orange" else name.capitalize()


LOOKS = tuple(
    Tile(f"look:{name}", _look_title(str(name)), "looks", "a colour look", effect=Look(str(name)))
    for name in CHOICES["look.name"].values
)

EFFECTS = (
    Tile("effect:blur-background", "Blur background", "effects",
         "the background blurred behind the person, no green screen", effect=Background("blur")),
    Tile("effect:remove-background", "Remove background", "effects",
         "the person cut out; the layers below show behind", effect=Background("clear")),
    Tile("effect:green-background", "Green background", "effects",
         "a plain colour behind the person", effect=Background("color")),
    Tile("effect:smooth-skin", "Smooth skin", "effects", "skin smoothing on the faces",
         effect=Beauty()),
    Tile("effect:blur-faces", "Blur faces", "effects", "every face blurred",
         effect=FaceBlur("all")),
    Tile("effect:blur-others", "Blur other faces", "effects",
         "every face but the largest (yours) blurred", effect=FaceBlur("others")),
    Tile("effect:cartoon", "Cartoon", "effects", "flat colours and ink lines, frame by frame",
         effect=FrameEffect("cartoon")),
    Tile("effect:sketch", "Sketch", "effects", "a pencil drawing, frame by frame",
         effect=FrameEffect("sketch")),
    Tile("effect:oil", "Oil paint", "effects", "brush strokes, frame by frame",
         effect=FrameEffect("oil")),
)  # fmt: skip


def sticker_tiles(names: tuple[str, ...]) -> tuple[Tile, ...]:
    """A tile per built-in face sticker ("glasses" on the eyes), dropped on a clip."""
    return tuple(
        Tile(f"effect:sticker-{name}", f"{name.capitalize()} on the face", "stickers",
             "a sticker that follows the face: drop it on a clip", effect=Sticker(BUILT_IN + name))
        for name in names
    )  # fmt: skip


def text_tiles(styles: dict[str, str]) -> tuple[Tile, ...]:
    """A tile per text style (name: what it looks like), each adding a title in it."""
    return tuple(
        Tile(f"text:{name}", name.replace("-", " ").capitalize(), "text",
             f"{looks}: added at the playhead", text_style=name)
        for name, looks in styles.items()
    )  # fmt: skip


def library_tiles(stickers: dict[str, tuple[str, tuple[str, ...]]]) -> tuple[Tile, ...]:
    """A tile per bundled sticker (name: its label and tags), each added at the playhead."""
    return tuple(
        Tile(f"sticker:{name}", label, "stickers", " ".join(tags), sticker=name)
        for name, (label, tags) in stickers.items()
    )


def sound_tiles(effects: dict[str, tuple[str, tuple[str, ...]]]) -> tuple[Tile, ...]:
    """A tile per sound effect of the library (name: its label and tags), heard when the
    pointer is on it, added at the playhead."""
    return tuple(
        Tile(f"sound:{name}", label, "audio", " ".join(tags), "waveform", sound=name)
        for name, (label, tags) in effects.items()
    )


def transition_title(kind: str) -> str:
    """A transition kind as people say it: "slide-left" -> "Slide left"."""
    named = {"dip-black": "Dip to black", "dip-white": "Dip to white", "whip": "Whip blur"}
    return named.get(kind, kind.replace("-", " ").capitalize())


TRANSITION_TILES = tuple(
    Tile(f"transition:{kind}", transition_title(str(kind)), "transitions",
         "drop on a cut, or double-click: the cut nearest the playhead", transition=str(kind))
    for kind in TRANSITIONS
)  # fmt: skip

TOOLS = (
    Tile("tool:file.import", "Import clips", "media", "add video files to the end of the edit",
         "tray-arrow-down", run="file.import"),
    Tile("tool:add_overlay", "Picture in picture", "media",
         "a video or picture over the edit at the playhead (B-roll)",
         "picture-in-picture-bottom-right", run="choose_overlay"),
    Tile("tool:file.duet", "Duet", "media", "your video beside another one",
         "view-split-vertical", run="file.duet"),
    Tile("tool:file.stitch", "Stitch", "media", "up to 5 s of another video, then yours",
         "link-variant", run="file.stitch"),
    Tile("tool:file.record", "Record a take", "record", "record with the camera",
         "record-circle-outline", run="file.record"),
    Tile("tool:file.record_duet", "Record a duet", "record",
         "record yourself beside the selected clip while it plays",
         "account-multiple-outline", run="file.record_duet"),
    Tile("tool:record_voice", "Record voice", "audio",
         "record your voice while the edit plays from the playhead (headphones advised)",
         "microphone", run="record_voice_over"),
    Tile("tool:voice", "Voice file", "audio", "a voice recording (a file) at the playhead",
         "file-music-outline", run="choose_voice"),
    Tile("tool:sfx", "Sound file", "audio", "a sound of yours (a file) at the playhead",
         "volume-high", run="choose_sound_effect"),
    Tile("tool:music", "Music", "audio", "a song on its own track at the playhead",
         "music-note-outline", run="choose_music"),
    Tile("tool:read_aloud", "Text to speech", "audio",
         "text read by a voice (offline) at the playhead: typed, or the selected title's words",
         "account-voice", run="choose_reading"),
    Tile("tool:file.beat_sync", "Cut to the beat", "audio", "cut the clips to a song's beats",
         "metronome", run="file.beat_sync"),
    Tile("tool:own_sticker", "Your sticker", "stickers",
         "a PNG, WebP, GIF or APNG of yours at the playhead (animation kept)",
         "image-plus", run="choose_sticker"),
)  # fmt: skip


def catalogue(
    stickers: tuple[str, ...] = (),
    styles: dict[str, str] | None = None,
    library: dict[str, tuple[str, tuple[str, ...]]] | None = None,
    sounds: dict[str, tuple[str, tuple[str, ...]]] | None = None,
) -> tuple[Tile, ...]:
    """Every tile: `stickers` the face stickers, `styles` the text styles, `library` the
    bundled stickers, `sounds` the sound effects."""
    text, bundled = text_tiles(styles or {}), library_tiles(library or {})
    faces, heard = sticker_tiles(stickers), sound_tiles(sounds or {})
    return TOOLS + heard + text + bundled + faces + EFFECTS + LOOKS + TRANSITION_TILES


def tiles_of(panel: str, tiles: tuple[Tile, ...]) -> tuple[Tile, ...]:
    return tuple(tile for tile in tiles if tile.panel == panel)


def matching(query: str, tiles: tuple[Tile, ...]) -> tuple[Tile, ...]:
    """The tiles whose title or hint has every word typed, in any order and case."""
    words = query.casefold().split()
    return tuple(t for t in tiles if all(w in f"{t.title} {t.hint}".casefold() for w in words))
