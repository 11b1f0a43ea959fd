"""The bundled desktop app (a windowed program: no console on Windows, the .app on macOS)."""

import sys

if sys.argv[1:3] == ["-m", "studio.io.guardian"]:  # see entry_cli.py
    from studio.io.guardian import main as guardian

    guardian()
    raise SystemExit(0)

if sys.stderr is None:  # a windowed program on Windows has no console: write to a log instead
    from pathlib import Path

    import platformdirs

    logs = Path(platformdirs.user_log_dir("studio", appauthor=False))
    logs.mkdir(parents=True, exist_ok=True)
    sys.stdout = sys.stderr = open(logs / "studio-app.log", "a", buffering=1)  # noqa: SIM115

from studio.gui.app import launch

launch()
