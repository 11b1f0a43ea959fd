"""The bundled desktop app (a windowed program: no console on Windows, the .app on macOS)."""

import sys

if sys.argv[1:3] == ["-m", "studio.io.guardian"]:  # see entry_cli.py
    from studio.io.guardian import main as guardian

    guardian()
    raise SystemExit(0)

from studio.gui.app import launch  # writes a log where a windowed program has no console

launch()
