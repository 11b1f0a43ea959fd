"""The desktop app headless: the preview shows the export's own frame; `studio app` grabs
windows for checks (the way installers are smoke-tested)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from studio.app import save_project
from studio.gui.jobs import Jobs
from studio.gui.preview import FramePreview
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.timeline import Canvas, Project, Track
from tests.helpers import make_clip, studio


@pytest.fixture(scope="module")
def red_then_blue(tmp_path_factory: pytest.TempPathFactory) -> Project:
    folder = tmp_path_factory.mktemp("colours")
    clips = [
        clip_of(probe(make_clip(folder / f"{name}.mp4", 1, source=f"color=c={name}")))
        for name in ("red", "blue")
    ]
    return Project(Canvas(), Track(tuple(clips)))


def _centre(image: Any) -> tuple[int, int, int]:
    colour = image.pixelColor(image.width() // 2, image.height() // 2)
    return colour.red(), colour.green(), colour.blue()


def _is(rgb: tuple[int, int, int], name: str) -> bool:
    red, green, blue = rgb
    return {
        "red": red > 200 and green < 60 and blue < 60,
        "blue": blue > 200 and red < 60 and green < 60,
    }[name]


def test_the_preview_shows_the_frame_at_the_time_asked(qtbot: Any, red_then_blue: Project) -> None:
    preview = FramePreview(Jobs())
    qtbot.addWidget(preview)
    preview.resize(360, 640)
    preview.show()
    for at, colour in ((Fraction(1, 2), "red"), (Fraction(3, 2), "blue")):
        with qtbot.waitSignal(preview.shown, timeout=30000):
            preview.show_time(red_then_blue, at)
        assert _is(_centre(preview.view.grab().toImage()), colour)


def test_the_newest_request_wins(qtbot: Any, red_then_blue: Project) -> None:
    preview = FramePreview(Jobs())
    qtbot.addWidget(preview)
    shown: list[float] = []
    preview.shown.connect(shown.append)
    preview.show_time(red_then_blue, Fraction(1, 2))
    preview.show_time(red_then_blue, Fraction(3, 2))
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    qtbot.waitUntil(preview.idle, timeout=30000)
    qtbot.wait(50)
    assert shown == [1.5] and _is(_centre(preview.view.image), "blue")


def test_the_start_window_grab(tmp_path: Path) -> None:
    from studio.gui.qt import QImage

    done = studio("app", "--screenshot", "start.png", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    image = QImage(str(tmp_path / "start.png"))
    assert image.width() >= 400 and image.height() >= 300


def test_app_opens_a_project_seeks_and_grabs_window_and_preview(
    tmp_path: Path, red_then_blue: Project
) -> None:
    from studio.gui.qt import QImage

    save_project(red_then_blue, tmp_path / "p.studio.json")
    done = studio(
        "app",
        "p.studio.json",
        "--at",
        "1.5",
        "--screenshot",
        "w.png",
        "--grab-preview",
        "v.png",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    window, preview = QImage(str(tmp_path / "w.png")), QImage(str(tmp_path / "v.png"))
    assert window.width() > preview.width() > 100
    assert _is(_centre(preview), "blue")
    assert preview.pixelColor(2, preview.height() // 2).blue() < 60  # the letterbox bars


def test_app_with_a_bad_project_says_so_in_one_line(tmp_path: Path) -> None:
    done = studio("app", "nope.studio.json", "--screenshot", "w.png", cwd=tmp_path)
    assert done.returncode == 2
    assert (
        done.stderr.strip().splitlines()[-1]
        == "studio: error: nope.studio.json: project file not found"
    )


def test_import_adds_usable_clips_as_one_step_and_names_the_rest(
    qtbot: Any, tmp_path: Path
) -> None:
    from studio.gui.document import Document
    from studio.gui.main_window import MainWindow
    from tests.music import click_track, write_wav

    clip = make_clip(tmp_path / "red.mp4", 1, source="color=c=red")
    (tmp_path / "notes.txt").write_text("not a video", encoding="utf-8")
    song = write_wav(tmp_path / "song.wav", click_track(120, 3)[0])
    window = MainWindow(Document(), Jobs())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.imported, timeout=30000) as imported:
        window.import_files([str(clip), str(tmp_path / "notes.txt"), str(song)])
    count, problems = imported.args
    assert count == 1 and window.bin.count() == 1 and "red.mp4" in window.bin.item(0).text()
    assert len(problems) == 2 and "notes.txt" in problems[0] and "song.wav" in problems[1]
    assert window.document.undo_stack.count() == 1 and window.windowTitle().startswith("Untitled *")
    assert window.bin.item(0).text().endswith("making a preview proxy...")  # the badge
    with qtbot.waitSignal(window.proxies_ready, timeout=60000):
        pass
    assert not window.bin.item(0).text().endswith("...")
    from studio.io.cache import cache_dir

    assert len(list(cache_dir("proxies").glob("*.mkv"))) >= 1
    window.document.undo_stack.undo()
    assert window.bin.count() == 0


def test_the_demo_choice_opens_an_editing_window(qtbot: Any) -> None:
    from studio.gui.app import Launcher
    from studio.gui.main_window import MainWindow

    launcher = Launcher()
    launcher.open_demo()
    qtbot.waitUntil(lambda: any(isinstance(w, MainWindow) for w in launcher.windows), timeout=30000)
    window = launcher.windows[-1]
    assert isinstance(window, MainWindow) and window.bin.count() == 4
    assert window.document.project.music is not None
    window.close()


def _action(window: Any, text: str) -> Any:
    from studio.gui.qt import QAction

    return next(a for a in window.findChildren(QAction) if a.text().startswith(text))


def test_select_split_delete_and_undo_from_the_timeline(qtbot: Any, red_then_blue: Project) -> None:
    from studio.gui.document import Document
    from studio.gui.main_window import MainWindow
    from studio.gui.qt import QPoint, Qt
    from studio.gui.timeline.geometry import RULER

    window = MainWindow(Document(red_then_blue), Jobs())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    timeline = window.timeline
    x = int(timeline.scale.x(0.5))
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, RULER + 10))
    red_id = red_then_blue.main.clips[0].id
    assert timeline.selection == red_id and timeline.playhead == pytest.approx(0.5)
    _action(window, "&Split").trigger()
    clips = window.document.project.main.clips
    assert len(clips) == 3 and clips[0].source_out == Fraction(1, 2) and clips[0].id == red_id
    _action(window, "&Delete").trigger()
    assert [c.media.name for c in window.document.project.main.clips] == ["red.mp4", "blue.mp4"]
    assert window.document.project.main.clips[0].source_in == Fraction(1, 2)
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert window.document.project is red_then_blue and window.bin.count() == 2
    window.jobs.wait()


def test_dropped_folders_bring_their_videos(tmp_path: Path) -> None:
    from studio.gui.main_window import media_files

    (tmp_path / "trip").mkdir()
    for name in ("b.MOV", "a.mp4", "notes.txt"):
        (tmp_path / "trip" / name).write_bytes(b"x")
    found = media_files([str(tmp_path / "trip"), str(tmp_path / "song.wav")])
    assert [Path(p).name for p in found] == ["a.mp4", "b.MOV", "song.wav"]


def test_missing_media_is_named_in_the_window_not_lost(qtbot: Any) -> None:
    from studio.gui.document import Document
    from studio.gui.main_window import MainWindow
    from tests.factories import sample_project

    window = MainWindow(Document(sample_project()), Jobs())  # its media does not exist here
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.preview.failed, timeout=10000) as failed:
        window.show_time(Fraction(1))
    assert "phone clip.mov: file not found" in failed.args[0]
    missing = "missing: b.mp4, phone clip.mov, song.m4a (File > Relink media... to find them)"
    qtbot.waitUntil(lambda: window.status.text() == missing, timeout=10000)
    # A second failure does not hide what to do about it.
    with qtbot.waitSignal(window.preview.failed, timeout=10000):
        window.show_time(Fraction(2))
    assert window.status.text() == missing
    window.jobs.wait()


def test_the_export_action_opens_the_dialog_beside_the_project(
    qtbot: Any, tmp_path: Path, red_then_blue: Project
) -> None:
    from studio.gui.document import Document
    from studio.gui.export_dialog import ExportDialog
    from studio.gui.main_window import MainWindow

    path = save_project(red_then_blue, tmp_path / "trip.studio.json")
    window = MainWindow(Document.open(path), Jobs())
    qtbot.addWidget(window)
    _action(window, "&Export").trigger()
    dialog = window.dialogs[-1]
    assert isinstance(dialog, ExportDialog) and dialog.target.text() == str(tmp_path / "trip.mp4")
    assert dialog.preset.currentText() == "tiktok"
    dialog.close()


def test_frame_steps_and_the_safe_zone_overlay(qtbot: Any, red_then_blue: Project) -> None:
    from studio.gui.document import Document
    from studio.gui.main_window import MainWindow
    from studio.model.platform import safe_zone

    window = MainWindow(Document(red_then_blue), Jobs())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    _action(window, "Forward one frame").trigger()
    _action(window, "Forward one frame").trigger()
    assert window.timeline.playhead == pytest.approx(2 / 30)
    _action(window, "Back one frame").trigger()
    _action(window, "Back one frame").trigger()
    _action(window, "Back one frame").trigger()
    assert window.timeline.playhead == 0  # not before the start
    with qtbot.waitSignal(window.preview.shown, timeout=30000):
        window.show_time(Fraction(1, 2))
    view = window.preview.view
    plain = view.grab().toImage()
    _action(window, "Show the &safe zone").trigger()
    shaded = view.grab().toImage()
    x, y, width, height = view.picture_rect()
    left, top, inner_width, _ = safe_zone(width, height)
    inside = (x + left + inner_width // 2, y + top + 40)
    under_buttons = (x + width - 3, y + height // 2)  # the right column the platforms cover
    assert _centre(plain) == _centre(shaded)  # the safe middle is untouched
    assert shaded.pixelColor(*inside) == plain.pixelColor(*inside)
    assert shaded.pixelColor(*under_buttons).red() < plain.pixelColor(*under_buttons).red() - 40
    window.jobs.wait()


def test_save_as_and_the_window_remembers_its_size(
    qtbot: Any, tmp_path: Path, red_then_blue: Project
) -> None:
    from studio.gui.document import Document
    from studio.gui.main_window import MainWindow

    window = MainWindow(Document(red_then_blue), Jobs())
    qtbot.addWidget(window)
    window.save_as(str(tmp_path / "trip"))  # written on a job thread
    qtbot.waitUntil(lambda: window.document.path == tmp_path / "trip.studio.json", timeout=5000)
    assert not window.document.dirty and (tmp_path / "trip.studio.json").is_file()
    assert window.windowTitle().startswith("trip.studio.json")
    window.show()
    window.resize(720, 560)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (720, 560), timeout=2000)
    window.close()
    again = MainWindow(Document(red_then_blue), Jobs())
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (720, 560)  # within the offscreen 800 px screen


def test_saved_projects_join_the_recent_list_and_open_from_it(
    qtbot: Any, tmp_path: Path, red_then_blue: Project
) -> None:
    from studio.gui.app import Launcher
    from studio.gui.document import Document
    from studio.gui.main_window import MainWindow
    from studio.gui.qt import QSettings
    from studio.gui.start_window import PATH_ROLE, StartWindow, recent_projects

    launcher = Launcher()
    window = launcher.edit(Document(red_then_blue))
    qtbot.addWidget(window)
    window.save_as(str(tmp_path / "recent one"))
    target = str(tmp_path / "recent one.studio.json")
    qtbot.waitUntil(lambda: recent_projects(QSettings())[:1] == [target], timeout=5000)
    start = StartWindow(QSettings(), launcher.jobs)
    qtbot.addWidget(start)
    assert start.recent.item(0).data(PATH_ROLE) == target
    window.recent_menu.aboutToShow.emit()
    entry = window.recent_menu.actions()[0]
    assert entry.text() == target
    entry.trigger()
    opened = launcher.windows[-1]
    assert isinstance(opened, MainWindow) and opened is not window
    assert opened.document.path == Path(target)
    opened.close()
    window.close()


def test_a_project_opened_from_finder_replaces_the_start_window(
    qtbot: Any, qapp: Any, tmp_path: Path, red_then_blue: Project
) -> None:
    """macOS hands a double-clicked project to the running app as a file-open event; one
    that comes while the app starts waits for the launcher."""
    from studio.gui.app import Launcher, listen_for_files
    from studio.gui.main_window import MainWindow
    from studio.gui.qt import QApplication, QFileOpenEvent

    warned: list[str] = []
    launcher = Launcher(ask=lambda _: None, warn=warned.append)
    start = launcher.start_window()
    qtbot.addWidget(start)
    start.show()
    target = save_project(red_then_blue, tmp_path / "from finder ♪.studio.json")
    QApplication.sendEvent(qapp, QFileOpenEvent(str(target)))  # before anyone listens
    assert launcher.windows == [start]
    listen_for_files(qapp, launcher)
    try:
        opened = launcher.windows[-1]
        assert isinstance(opened, MainWindow) and opened.document.path == target
        assert opened.isVisible() and not start.isVisible()
        QApplication.sendEvent(qapp, QFileOpenEvent(str(target)))  # open already: no second
        assert launcher.windows[-1] is opened
        other = tmp_path / "settings.json"  # Studio is offered for any .json: this is refused
        other.write_text('{"theme": "dark"}', encoding="utf-8")
        QApplication.sendEvent(qapp, QFileOpenEvent(str(other)))
        assert len(warned) == 1 and "settings.json" in warned[0]
        assert launcher.windows[-1] is opened
    finally:
        qapp.listeners.clear()
    opened.close()
