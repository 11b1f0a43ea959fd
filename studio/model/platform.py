"""What the short-video platforms impose: upload limits, and the safe zone of the picture.

The safe zone is the part of the 9:16 frame that TikTok, Reels and Shorts do not cover with
their own buttons, captions and progress bar; picture-in-picture boxes and texts are kept
inside it, and the app can show it over the preview.
"""

from __future__ import annotations

# What TikTok, Reels and Shorts accept for upload.
PLATFORM_MIN_SECONDS = 3
PLATFORM_MAX_SECONDS = 600
PLATFORM_FPS = (23, 60)
PLATFORM_SIDES = (360, 4096)

# Margins of the safe zone, as shares of the frame's height (top, bottom) and width (sides):
# the bottom holds the caption and the music line, the right the like/comment/share column.
SAFE_TOP, SAFE_BOTTOM, SAFE_LEFT, SAFE_RIGHT = 0.09, 0.2, 0.04, 0.16


def safe_zone(width: int, height: int) -> tuple[int, int, int, int]:
    """The safe rectangle of a width x height frame: x, y, width, height."""
    left, top = round(width * SAFE_LEFT), round(height * SAFE_TOP)
    right, bottom = round(width * SAFE_RIGHT), round(height * SAFE_BOTTOM)
    return left, top, width - left - right, height - top - bottom
