"""Start the desktop app: `studio app [PROJECT]` or the `studio-app` launcher.

`--screenshot WINDOW.png` (and `--grab-preview PREVIEW.png` with a project) opens the window,
waits until the preview shows the frame at `--at` (within `--timeout`), saves grabs and exits:
this is how the app is checked headless, here and inside the installers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

from studio.app import Settings, StudioError, apply, parse_seconds
from studio.console import utf8_output
from studio.gui.actions import table_json
from studio.gui.autosave import Autosaver, newer_recovery, read_recovery
from studio.gui.desktop import check_desktop
from studio.gui.document import Document
from studio.gui.file_open import StudioApplication
from studio.gui.jobs import Jobs
from studio.gui.main_window import MainWindow
from studio.gui.qt import (
    QApplication,
    QCoreApplication,
    QFileDialog,
    QMessageBox,
    QSettings,
    QTimer,
    QWidget,
    alive,
)
from studio.gui.theme import apply_theme, stored_theme
from studio.model.timeline import Canvas, Project

GRAB_TIMEOUT = 60.0


def parser() -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(prog="studio app", description="the studio desktop app")
    command.add_argument("project", nargs="?", metavar="PROJECT.studio.json")
    command.add_argument("--at", default="0", metavar="SECONDS", help="preview this time")
    command.add_argument("--screenshot", metavar="WINDOW.png", help="grab the window and exit")
    command.add_argument("--grab-preview", metavar="PREVIEW.png", help="grab the preview too")
    command.add_argument("--timeout", type=float, default=GRAB_TIMEOUT, metavar="SECONDS")
    command.add_argument(
        "--actions", action="store_true", help="print the app's commands as JSON and exit"
    )
    return command


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.actions:  # the command table, no window
        print(json.dumps(table_json(), indent=2))
        return 0
    apply(Settings.from_environment(os.environ))  # the app's start is an edge, like the CLI's
    if QApplication.instance() is None:
        try:
            check_desktop(os.environ)
        except StudioError as error:
            print(f"studio: error: {error.message}", file=sys.stderr)
            return 2
    app = QApplication.instance() or StudioApplication(sys.argv[:1])
    app.setOrganizationName("studio")
    app.setApplicationName("studio")
    if isinstance(app, QApplication):
        apply_theme(app, stored_theme(QSettings()))
    try:
        launcher, window, grab = _open(args)
    except StudioError as error:
        print(f"studio: error: {error.message}", file=sys.stderr)
        return 2
    listen_for_files(app, launcher)
    window.show()
    if args.screenshot or args.grab_preview:
        return grab()
    return int(app.exec())


def _same_file(a: Path, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def _ask_to_recover(recovery: Path) -> bool:
    answer = QMessageBox.question(
        None,
        "studio",
        f"{recovery.name} holds changes made after the project was last saved (the app did not "
        "close normally). Recover them?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def _warn(message: str) -> None:
    QMessageBox.warning(None, "studio", message)


def _stderr(message: str) -> None:
    print(f"studio: {message}", file=sys.stderr)


def _recovery_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("studio", appauthor=False)) / "recovery"


class Launcher:
    """Opens the windows: the start window's choices lead to an editing window, with autosave;
    a project with a newer autosave is offered for recovery. `ask` and `warn` are the dialogs
    (replaced in tests)."""

    def __init__(
        self,
        ask: Callable[[Path], bool | None] = _ask_to_recover,
        warn: Callable[[str], None] = _warn,
        autosave_ms: int | None = None,
    ) -> None:
        self.jobs, self.settings = Jobs(), QSettings()
        self.ask, self.warn, self.autosave_ms = ask, warn, autosave_ms
        self.windows: list[QWidget] = []

    def start_window(self) -> QWidget:
        """The start window; each of its choices that opens an editing window closes it."""
        from studio.gui.start_window import StartWindow

        start = StartWindow(self.settings, self.jobs)
        start.new_requested.connect(lambda w, h: self._from_start(start, self.new_project(w, h)))
        start.open_requested.connect(lambda: self._from_start(start, self.choose_project()))
        start.demo_requested.connect(lambda: self.open_demo(lambda w: self._from_start(start, w)))
        start.recent_chosen.connect(lambda p: self._from_start(start, self.open_project(p)))
        return self._keep(start)

    def _from_start(self, start: QWidget, opened: QWidget | None) -> None:
        if opened is not None and alive(start):
            start.close()

    def new_project(self, width: int = 1080, height: int = 1920) -> MainWindow:
        """An empty project on a width x height canvas (30 fps)."""
        return self.edit(Document(Project(Canvas(width, height))))

    def edit(self, document: Document) -> MainWindow:
        from studio.gui.start_window import remember_project

        if document.path is not None:
            remember_project(self.settings, document.path)
        window = MainWindow(document, self.jobs)
        window.open_requested.connect(self.open_project)
        self._keep(window)
        delay = {} if self.autosave_ms is None else {"delay_ms": self.autosave_ms}
        window.autosaver = Autosaver(document, self.jobs, _recovery_folder(), **delay)
        window.show()
        return window

    def open_project(self, path: str) -> QWidget | None:
        try:
            document = Document.open(path)
        except StudioError as error:
            self.warn(error.message)
            return None
        return self.open_document(document)

    def open_from_desktop(self, path: str) -> None:
        """A project double-clicked in Finder (macOS's file-open event): a window already
        editing it comes to the front; otherwise it opens, replacing the start window when
        that is all that is open."""
        shown = [window for window in self.windows if window.isVisible()]
        editing = [window for window in shown if isinstance(window, MainWindow)]
        for window in editing:
            if window.document.path is not None and _same_file(window.document.path, path):
                window.raise_()
                window.activateWindow()
                return
        if self.open_project(path) is not None and not editing:
            for start in shown:
                start.close()

    def open_document(self, document: Document) -> MainWindow:
        """Edit a project opened from its file, offering its autosave when that is newer."""
        self._offer_recovery(document)
        return self.edit(document)

    def _offer_recovery(self, document: Document) -> None:
        assert document.path is not None
        recovery = newer_recovery(document.path)
        if recovery is None:
            return
        answer = self.ask(recovery)
        if answer is None:  # not now (a headless check): both files stay
            return
        if not answer:
            recovery.unlink(missing_ok=True)  # declined: the saved file stays as it is
            return
        try:
            recovered = read_recovery(recovery)
        except StudioError as error:
            self.warn(error.message)
            return
        document.apply("Recover autosaved changes", lambda _: recovered)

    def choose_project(self) -> QWidget | None:
        name, _ = QFileDialog.getOpenFileName(
            None, "Open a project", "", "Projects (*.studio.json)"
        )
        return self.open_project(name) if name else None

    def open_demo(self, then: Callable[[MainWindow], object] | None = None) -> None:
        """Make the demo project in the background and edit it (`then` gets its window)."""
        from studio.app import demo_request, new_project

        def edit(project: Project) -> None:
            window = self.edit(Document(project))
            if then is not None:
                then(window)

        request = demo_request()
        self.jobs.run(
            new_project,
            request.clips,
            request.music,
            done=edit,
            failed=lambda error: QMessageBox.warning(None, "studio", error.message),
        )

    def _keep(self, window: QWidget) -> QWidget:
        self.windows.append(window)
        return window


def listen_for_files(app: QCoreApplication, launcher: Launcher) -> None:
    """Open the projects the desktop hands the running app (macOS's file-open events), those
    that came while the app started included."""
    if isinstance(app, StudioApplication):
        app.listen(launcher.open_from_desktop)


def _open(args: argparse.Namespace) -> tuple[Launcher, QWidget, Callable[[], int]]:
    headless = bool(args.screenshot or args.grab_preview)
    launcher = Launcher(ask=lambda _: None, warn=_stderr) if headless else Launcher()
    if args.project is None:
        start = launcher.start_window()
        return launcher, start, lambda: _grab_start(start, launcher.jobs, args)
    window = launcher.open_document(Document.open(args.project))
    at = parse_seconds(args.at, "at")
    return launcher, window, lambda: _grab_when_shown(window, at, args)


def _grab_start(start: QWidget, jobs: Jobs, args: argparse.Namespace) -> int:
    """Grab the start window once its recent projects show their covers (or in time)."""
    outcome: list[str] = []
    QTimer.singleShot(int(args.timeout * 1000), lambda: outcome.append("timed out"))
    while jobs.active and not outcome:
        QApplication.processEvents()
        jobs.pool.waitForDone(10)
    QApplication.processEvents()
    start.grab().save(args.screenshot)
    return 0


def _grab_when_shown(window: object, at: Fraction, args: argparse.Namespace) -> int:
    """Seek, wait for that frame in the preview (or a failure, or the time bound), grab."""
    assert isinstance(window, MainWindow)
    app = QApplication.instance()
    outcome: list[str] = []
    window.preview.shown.connect(lambda _: outcome.append("shown"))
    window.preview.failed.connect(lambda message: outcome.append(f"failed: {message}"))
    QTimer.singleShot(int(args.timeout * 1000), lambda: outcome.append("timed out"))
    window.show_time(at)
    while not outcome:
        app.processEvents()  # type: ignore[union-attr]
        window.jobs.pool.waitForDone(10)
    if outcome[0] != "shown":
        print(f"studio: error: the preview at {float(at):.2f} s {outcome[0]}", file=sys.stderr)
        return 2
    strips = window.timeline.strips
    while strips is not None and not strips.settled() and len(outcome) < 2:
        app.processEvents()  # type: ignore[union-attr]  # thumbnails and waveform, if in time
        window.jobs.pool.waitForDone(10)
    app.processEvents()  # type: ignore[union-attr]
    if args.screenshot:
        window.grab().save(args.screenshot)
    if args.grab_preview:
        window.preview.view.grab().save(args.grab_preview)
    return 0


def launch() -> None:
    """The `studio-app` entry point (a windowed program: no console on Windows)."""
    log_when_windowed()
    utf8_output()  # a started app's output piped on Windows (the installers' smoke test)
    raise SystemExit(main(sys.argv[1:]))


def log_when_windowed() -> Path | None:
    """A windowed program on Windows has no console (sys.stderr is None): what studio would
    print goes to a log file (UTF-8, whatever the system's code page) instead of nowhere."""
    if sys.stderr is not None:
        return None
    import platformdirs

    log = Path(platformdirs.user_log_dir("studio", appauthor=False)) / "studio-app.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout = sys.stderr = open(log, "a", encoding="utf-8", buffering=1)  # noqa: SIM115
    return log


if __name__ == "__main__":
    launch()
