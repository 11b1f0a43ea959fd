"""Stickers as pictures over the edit: the bundled library and a user's own files.

The bundled stickers are PNG and APNG files in assets/stickers, listed with their labels and
tags in stickers.json (made by assets/make_stickers.py; sources and licences in
assets/README.md). A sticker renders as an overlay clip of its picture: a still is drawn once
and held, an animation is repeated for the sticker's length by ffmpeg's loop filter
(render/sources.py), both in the export's one graph with no Python per frame.

A user's sticker is a PNG, WebP, GIF or APNG; its size and the length of one run of its
animation are read with Pillow when it is added (a header and the frames' delays, no decoding
of pixels), so adding one never waits on ffmpeg.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.errors import MediaError
from studio.io.cache import temporary_beside
from studio.io.files import replace_file
from studio.model.clip import Clip, MediaRef
from studio.model.keys import Keys
from studio.model.motion import moved
from studio.model.stickers import STICKER_SCALE, StickerItem
from studio.model.stored import BUILT_IN
from studio.model.transform import Transform

STICKERS_DIR = Path(__file__).resolve().parents[1] / "assets" / "stickers"
PICTURE_ENDINGS = (".png", ".apng", ".webp", ".gif")


@dataclass(frozen=True)
class Bundled:
    """One sticker of the library, as stickers.json lists it."""

    name: str
    file: str
    label: str
    tags: tuple[str, ...]
    animated: bool
    licence: str

    @property
    def path(self) -> Path:
        return STICKERS_DIR / self.file


@functools.cache
def library() -> dict[str, Bundled]:
    """The bundled stickers by name, in the order a browser shows them."""
    listed: dict[str, dict[str, Any]] = json.loads(
        (STICKERS_DIR / "stickers.json").read_text(encoding="utf-8")
    )
    return {
        name: Bundled(
            name,
            entry["file"],
            entry["label"],
            tuple(entry["tags"]),
            bool(entry["animated"]),
            entry["licence"],
        )
        for name, entry in listed.items()
    }


def picture_of(source: str) -> Path:
    """The picture file a sticker shows: a bundled one's, or the user's file as it is."""
    if not source.startswith(BUILT_IN):
        return Path(source)
    name = source[len(BUILT_IN) :]
    found = library().get(name)
    if found is None:
        raise MediaError(f"no bundled sticker {name!r}: `studio stickers` lists them")
    return found.path


def source_named(spec: str) -> str:
    """What a sticker item stores for `spec`: a bundled sticker's name, or a picture file."""
    path = Path(spec)
    if path.suffix.lower() in PICTURE_ENDINGS:
        return str(path)
    if spec in library():
        return BUILT_IN + spec
    raise MediaError(
        f"no sticker {spec!r}: name a bundled one (`studio stickers` lists them) "
        f"or a {', '.join(PICTURE_ENDINGS)} file"
    )


def sticker_for(source: str, duration: Fraction, **place: Any) -> StickerItem:
    """A new sticker item of `source` ("studio:NAME" or a file), its picture read for its size
    and the length of its animation; `place` sets the transform's x, y, scale or rotation."""
    width, height, length = _measured(picture_of(source))
    transform = Transform(**{"scale": _fitting(width, height), **place})
    return StickerItem(source, duration, width, height, length, transform)


def _fitting(width: int, height: int) -> float:
    """A new sticker's scale: 0.3 of the canvas wide, or as high as that if it is tall."""
    return round(STICKER_SCALE * min(1.0, width / height), 4)


def _measured(path: Path) -> tuple[int, int, Fraction]:
    """A picture's size and one run of its animation (0: a still), read with Pillow."""
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        raise MediaError("no such picture", path)
    try:
        with Image.open(path) as picture:
            width, height = picture.size
            frames = getattr(picture, "n_frames", 1)
            delays = [_delay(picture, index) for index in range(frames)] if frames > 1 else []
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise MediaError(f"not a picture that can be read ({error})", path) from error
    return width, height, Fraction(sum(delays), 1000)


def _delay(picture: Any, index: int) -> int:
    """Frame `index`'s delay, ms (a missing or zero delay plays as a tenth of a second, as
    browsers and ffmpeg do)."""
    picture.seek(index)
    picture.load()  # a WebP frame's delay is known once it is read
    delay = int(picture.info.get("duration", 0) or 0)
    return delay if delay > 0 else 100


def sticker_clip(
    item: StickerItem, canvas: tuple[int, int], folder: Path | None = None, fps: int = 30
) -> Clip:
    """The overlay clip a sticker renders as on a canvas of `canvas` pixels: its picture,
    repeated when animated, at its place with its motion's keys over its own. A still one
    that fades is drawn fading, frame by frame, into `folder` (as a title is: ffmpeg would
    fade it with a per-pixel expression, which costs an export far more)."""
    tall = item.transform.scale * canvas[0] * item.height / item.width / canvas[1]
    transform = moved(item.transform, item.motion, item.duration, tall)
    path = picture_of(item.source)
    if folder is not None and not item.animated and transform.animated("opacity"):
        path = _fading(path, transform.keys_of("opacity"), item.duration, fps, folder)
        transform = replace(transform.with_keys("opacity", Keys()), opacity=1.0)
        media = MediaRef(str(path), item.duration, item.width, item.height, fps=Fraction(fps),
                         loops=True)  # fmt: skip
        return Clip(media, Fraction(0), item.duration, transform=transform, id=item.id)
    length = item.length if item.animated else item.duration
    media = MediaRef(
        str(path), length, item.width, item.height, still=not item.animated, loops=item.animated
    )
    return Clip(media, Fraction(0), item.duration, transform=transform, id=item.id)


def _fading(path: Path, opacity: Keys, duration: Fraction, fps: int, folder: Path) -> Path:
    """The picture as an APNG of its frames at `fps`, each as opaque as the keys say (each
    distinct frame once: runs of one opacity are one frame)."""
    from PIL import Image

    stamp = repr((path.name, path.stat().st_size, path.stat().st_mtime_ns, opacity, duration, fps))
    target = folder / f"sticker-{hashlib.sha256(stamp.encode()).hexdigest()[:20]}.png"
    if target.is_file():
        return target
    levels = [round(255 * min(1.0, max(0.0, opacity.at(Fraction(n, fps), 1.0))))
              for n in range(max(1, round(duration * fps)))]  # fmt: skip
    runs = [(level, len(list(group))) for level, group in itertools.groupby(levels)]
    with Image.open(path) as opened:
        picture = opened.convert("RGBA")
    alpha = picture.getchannel("A")
    frames, lengths, done = [], [], 0
    for level, count in runs:
        frame = picture.copy()
        frame.putalpha(alpha.point(lambda value, k=level: value * k // 255))
        frames.append(frame)
        lengths.append(round((done + count) * 1000 / fps) - round(done * 1000 / fps))
        done += count
    folder.mkdir(parents=True, exist_ok=True)
    temp = temporary_beside(target, ".png")
    options = {"save_all": True, "append_images": frames[1:], "duration": lengths, "loop": 1}
    frames[0].save(temp, format="PNG", disposal=0, blend=0, **(options if frames[1:] else {}))
    replace_file(temp, target)
    return target
