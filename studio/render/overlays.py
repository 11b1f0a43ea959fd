"""Pictures laid over the composed edit: text lines such as a stitch credit, and captions.

Each text is drawn once as a PNG (render/images.py) and overlaid only on its frames. Frame
numbers are shifted by `first` when a chunk of a long edit is rendered on its own.
"""

from __future__ import annotations

from fractions import Fraction

import ffmpeg

from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.model.time import nearest_frame, seconds
from studio.model.timeline import TextOverlay
from studio.render.images import Image
from studio.render.plan import Plan, Stream

TEXT_MARGIN = 0.12  # text boxes sit this far (of the height) from the top or bottom edge


def with_texts(video: Stream, plan: Plan, total: int, first: int = 0) -> Stream:
    """Overlay the plan's text lines and captions on `total` frames that start at output frame
    `first`."""
    from studio.render.captions import with_captions

    frame = plan.frame
    for text, image in plan.texts:
        start, end = (nearest_frame(t, frame.fps) - first for t in (text.start, text.end))
        if end <= 0 or start >= total:
            continue
        still = ffmpeg.input(
            ffmpeg_path_arg(plan.path(image)),
            loop=1,
            framerate=frame.fps,
            t=seconds(Fraction(total, frame.fps)),
        ).video
        x, y = (frame.width - image.width) // 2, text_y(text, image, frame.height)
        video = ffmpeg.filter(
            [video, still],
            "overlay",
            x=x,
            y=y,
            enable=f"between(n,{max(start, 0)},{end - 1})",
            eof_action="pass",
        )
    return with_captions(video, plan, first, total)


def text_y(text: TextOverlay, image: Image, height: int) -> int:
    margin = round(height * TEXT_MARGIN)
    return margin if text.place == "top" else height - margin - image.height
