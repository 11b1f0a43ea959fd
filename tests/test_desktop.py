"""Before Qt starts on X11, studio checks the system libraries Qt's xcb plugin loads and names
the packages that are missing in one line (Qt itself aborts with a message naming none)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from studio.errors import StudioError
from studio.gui.desktop import XCB_LIBRARIES, check_desktop, missing_packages, uses_xcb


def test_only_an_x11_start_on_linux_is_checked() -> None:
    assert uses_xcb({"DISPLAY": ":0"}, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0"}, "darwin") and not uses_xcb({}, "win32")


def test_the_missing_libraries_are_named_by_their_packages() -> None:
    absent = {"libxcb-cursor.so.0", "libxcb-keysyms.so.1"}

    def load(name: str) -> object:
        if name in absent:
            raise OSError(f"{name}: cannot open shared object file")
        return object()

    assert missing_packages(load) == ["libxcb-cursor0", "libxcb-keysyms1"]
    assert missing_packages(lambda name: object()) == []
    assert set(XCB_LIBRARIES.values()) >= {"libxcb-cursor0", "libxcb-icccm4", "libxcb-xkb1"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is a Linux matter")
def test_studio_app_says_what_to_install_in_one_line_instead_of_aborting() -> None:
    """The real `studio app`, with one library made unloadable: exit 2 and one line, before Qt
    starts (so no display is needed to see it)."""
    script = (
        "import ctypes, sys\n"
        "real = ctypes.CDLL\n"
        "def fake(name, *a, **k):\n"
        "    if name == 'libxcb-cursor.so.0':\n"
        "        raise OSError(name)\n"
        "    return real(name, *a, **k)\n"
        "ctypes.CDLL = fake\n"
        "from studio.cli import main\n"
        "sys.exit(main(['app']))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "DISPLAY": ":99", "HOME": "/tmp"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "libxcb-cursor0" in lines[0] and "apt-get install" in lines[0]


def test_a_complete_system_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("studio.gui.desktop.missing_packages", lambda: [])
    check_desktop({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"})
    monkeypatch.setattr("studio.gui.desktop.missing_packages", lambda: ["libxcb-cursor0"])
    with pytest.raises(StudioError, match="libxcb-cursor0"):
        check_desktop({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"})
