"""The bundled desktop app (a windowed program: no console on Windows, the .app on macOS).

`studio-app --check-icon NAME` draws one icon as the app does (studio.gui.icons) and exits: the
smoke test's way to see, inside the bundle, that the icon font is there and draws (a missing
font or glyph map would only show as blank buttons). `studio-app --check-native` checks the
libraries the Linux bundle builds in place of OpenCV's and Qt's (native_check.py)."""

import sys

if sys.argv[1:3] == ["-m", "studio.io.guardian"]:  # see entry_cli.py
    from studio.io.guardian import main as guardian

    guardian()
    raise SystemExit(0)


if sys.argv[1:2] == ["--check-icon"]:  # how many of the icon's pixels the font painted
    from PySide6.QtWidgets import QApplication

    from studio.gui.icons import icon_font

    app, size, name = QApplication(sys.argv[:1]), 64, sys.argv[2]
    image = icon_font().icon(name, color="black").pixmap(size, size).toImage()
    painted = sum(image.pixelColor(x, y).alpha() > 0 for x in range(size) for y in range(size))
    print(f"{name}: {painted} of {size * size} pixels painted")
    raise SystemExit(0 if painted else 1)

if sys.argv[1:2] == ["--check-native"]:
    from native_check import main as check_native

    raise SystemExit(check_native())

from studio.gui.app import launch  # writes a log where a windowed program has no console

launch()
