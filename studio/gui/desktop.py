"""What the desktop app needs from a Linux system before Qt starts: the X11 (xcb) platform
plugin loads a handful of small system libraries, and without them Qt aborts with a message
about plugins that names none of them. studio checks first and names the packages to install.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Mapping

from studio.errors import StudioError

# The libraries Qt's xcb platform plugin loads, and the Debian/Ubuntu packages that hold them.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-util.so.1": "libxcb-util1",
    "libX11-xcb.so.1": "libx11-xcb1",
}


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will open its windows through X11 (xcb) here."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0] == "xcb"
    return bool(environ.get("DISPLAY")) and not environ.get("WAYLAND_DISPLAY")


def missing_packages(load: Callable[[str], object] = ctypes.CDLL) -> list[str]:
    """The packages of the xcb libraries that cannot be loaded, in a stable order."""
    missing = []
    for library, package in XCB_LIBRARIES.items():
        try:
            load(library)
        except OSError:
            missing.append(package)
    return missing


def check_desktop(environ: Mapping[str, str]) -> None:
    """Refuse, in one line naming the packages, to start where Qt's window system would abort
    (`environ`: the environment the app starts in, read by its face)."""
    if not uses_xcb(environ):
        return
    missing = missing_packages()
    if missing:
        names = " ".join(missing)
        raise StudioError(
            f"the desktop app needs these system libraries: {names} "
            f"(Debian, Ubuntu: sudo apt-get install {names})"
        )
