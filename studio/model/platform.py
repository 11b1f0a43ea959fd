"""What the short-video platforms impose: upload limits, and the safe zone of the picture.

The safe zone is the part of the 9:16 screen that TikTok, Reels and Shorts do not cover with
their own buttons, captions and progress bar; picture-in-picture boxes and texts are kept
inside it, and the app can show it over the preview. A picture of another shape plays across
the screen's width (or height) with bars around it: its safe zone is the part of the screen's
that it covers.
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
SCREEN = 9 / 16  # the phone screen the platforms play on, width for height
FILLS_SCREEN = 0.01  # a picture this close to 9:16 fills the screen (pixels round its sides)


def safe_zone(width: int, height: int) -> tuple[int, int, int, int]:
    """The safe rectangle of a width x height picture: x, y, width, height."""
    if abs(width / height - SCREEN) <= FILLS_SCREEN:
        return _screen_safe_zone(width, height)
    return _safe_part(width, height)


def _screen_safe_zone(width: int, height: int) -> tuple[int, int, int, int]:
    left, top = round(width * SAFE_LEFT), round(height * SAFE_TOP)
    right, bottom = round(width * SAFE_RIGHT), round(height * SAFE_BOTTOM)
    return left, top, width - left - right, height - top - bottom


def _safe_part(width: int, height: int) -> tuple[int, int, int, int]:
    """The screen's safe zone over a picture centred on it at full width (a wider picture)
    or full height (a narrower one), in the picture's pixels."""
    screen_width, screen_height = max(width, height * SCREEN), max(height, width / SCREEN)
    x0, y0 = (screen_width - width) / 2, (screen_height - height) / 2  # the picture's corner
    left = max(0, round(screen_width * SAFE_LEFT - x0))
    top = max(0, round(screen_height * SAFE_TOP - y0))
    right = min(width, round(screen_width * (1 - SAFE_RIGHT) - x0))
    bottom = min(height, round(screen_height * (1 - SAFE_BOTTOM) - y0))
    return left, top, right - left, bottom - top
