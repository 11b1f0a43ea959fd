"""A stream of JPEG images (ffmpeg's image2pipe) split into images, as the bytes arrive."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from studio.errors import RenderError


def jpeg_images(stream: IO[bytes]) -> Iterator[bytes]:
    """Split a stream of concatenated JPEG images into images, by their markers: header
    segments are skipped by length, and the scan ends at the first marker that is not stuffing
    (FF 00) or a restart (FF D0-D7), which is the end of image."""
    data = bytearray()
    while True:
        end = _image_end(data)
        while end is None:
            chunk = stream.read1(1 << 16)  # type: ignore[attr-defined]
            if not chunk:
                return
            data += chunk
            end = _image_end(data)
        yield bytes(data[:end])
        del data[:end]


def _image_end(data: bytearray) -> int | None:
    """Where the first image in `data` ends (after its EOI), or None if it is not all there."""
    if len(data) < 4:
        return None
    if data[:2] != b"\xff\xd8":
        raise RenderError("the preview stream is not JPEG images")
    at = 2
    while True:  # header segments: FF xx, then a two-byte length that counts itself
        if at + 4 > len(data):
            return None
        marker = data[at + 1]
        length = (data[at + 2] << 8) | data[at + 3]
        at += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            return None
        following = data[at + 1]
        if following == 0xD9:
            return at + 2
        at += 2 if following == 0x00 or 0xD0 <= following <= 0xD7 else 1
