"""The start window driven as a creator does: recent projects with a frame of their edit and
their length, and a new project in the shape chosen, previewed in that shape."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.app import save_project
from studio.gui.qt import QSettings, Qt
from studio.model.clip import colour_media
from studio.model.edits import clip_of
from studio.model.timeline import Canvas, Project, Track


def _colour_clip(colour: str, seconds: int) -> Any:
    return replace(clip_of(colour_media(colour)), source_out=Fraction(seconds))


def _rgb(colour: Any) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


def _near(rgb: tuple[int, int, int], expected: tuple[int, int, int], within: int = 16) -> bool:
    return all(abs(a - b) <= within for a, b in zip(rgb, expected))


def _remember(paths: list[Path]) -> None:
    from studio.gui.start_window import RECENT_KEY

    QSettings().setValue(RECENT_KEY, [str(path) for path in paths])


def test_recent_projects_show_a_frame_of_the_edit_its_length_and_what_is_wrong(
    qtbot: Any, tmp_path: Path
) -> None:
    from studio.gui.jobs import Jobs
    from studio.gui.start_window import PATH_ROLE, StartWindow

    edit = Project(Canvas(1080, 1080), Track((_colour_clip("#3366cc", 75),)))
    saved = save_project(edit, tmp_path / "blue square.studio.json")
    gone = tmp_path / "gone.studio.json"
    broken = tmp_path / "broken.studio.json"
    broken.write_text("{ not a project", encoding="utf-8")
    _remember([saved, gone, broken])
    start = StartWindow(QSettings(), Jobs())
    qtbot.addWidget(start)
    start.show()
    filled: list[str] = []
    start.summarised.connect(filled.append)
    qtbot.waitUntil(lambda: len(filled) == 3, timeout=30000)
    assert [start.recent.item(i).data(PATH_ROLE) for i in range(3)] == list(
        map(str, [saved, gone, broken])
    )
    row = start.rows[str(saved)]
    assert row.name.text() == "blue square"
    assert row.details.text().startswith("01:15  ·  1:1  ·  ")
    assert row.details.text().endswith(tmp_path.name) and row.problem.isHidden()
    cover = row.picture.pixmap().toImage()
    assert cover.width() == cover.height()  # the square edit's own shape
    assert _near(_rgb(cover.pixelColor(cover.width() // 2, cover.height() // 2)), (51, 102, 204))
    assert _near(_rgb(cover.pixelColor(2, 2)), (51, 102, 204))  # the edit fills it
    missing, unreadable = start.rows[str(gone)], start.rows[str(broken)]
    assert missing.problem.isVisible() and missing.problem.text() == "Project file not found"
    assert unreadable.problem.isVisible() and "Traceback" not in unreadable.problem.text()
    start.jobs.wait()


def test_enter_on_a_recent_project_opens_it_in_place_of_the_start_window(
    qtbot: Any, tmp_path: Path
) -> None:
    from studio.gui.app import Launcher
    from studio.gui.main_window import MainWindow

    saved = save_project(
        Project(Canvas(), Track((_colour_clip("#ff0000", 2),))), tmp_path / "r.studio.json"
    )
    _remember([saved])
    launcher = Launcher(ask=lambda _: None, warn=lambda _: None)
    start = launcher.start_window()
    qtbot.addWidget(start)
    start.show()
    recent = start.recent  # type: ignore[attr-defined]
    recent.setCurrentRow(0)
    qtbot.keyClick(recent, Qt.Key.Key_Return)
    opened = launcher.windows[-1]
    assert isinstance(opened, MainWindow) and opened.document.path == saved
    assert not start.isVisible()
    opened.close()
    launcher.jobs.wait()


def test_a_new_square_project_previews_as_a_square(qtbot: Any) -> None:
    from studio.gui.app import Launcher
    from studio.gui.main_window import MainWindow
    from studio.gui.preview import BACKGROUND

    launcher = Launcher(ask=lambda _: None, warn=lambda _: None)
    start = launcher.start_window()
    qtbot.addWidget(start)
    start.show()
    qtbot.mouseClick(start.shape_buttons["1:1"], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    window = launcher.windows[-1]
    assert isinstance(window, MainWindow) and not start.isVisible()
    qtbot.addWidget(window)
    window.resize(1280, 900)  # a size a test before may have saved does not squash the preview
    qtbot.waitUntil(lambda: window.preview.view.height() > 400, timeout=2000)
    assert window.preview.view.width() > 400
    canvas = window.document.project.canvas
    assert (canvas.width, canvas.height) == (1080, 1080)
    window.document.apply("Add a clip", lambda p: p.with_clips((_colour_clip("#ff0000", 2),)))
    with qtbot.waitSignal(window.preview.shown, timeout=30000):
        window.show_time(Fraction(1, 2))
    view = window.preview.view
    grab = view.grab().toImage()
    x, y, width, height = view.picture_rect()
    assert abs(width - height) <= 1  # square, whatever the panel's shape
    middle = x + width // 2
    red, bar = (255, 0, 0), _rgb(BACKGROUND)
    assert _near(_rgb(grab.pixelColor(middle, y + 2)), red, 40)
    assert _near(_rgb(grab.pixelColor(middle, y + height - 3)), red, 40)
    assert _near(_rgb(grab.pixelColor(x + 2, y + height // 2)), red, 40)
    assert _near(_rgb(grab.pixelColor(x + width - 3, y + height // 2)), red, 40)
    # Bars where the panel has room beside the square (a square panel has none).
    if view.height() > height + 4:  # a tall panel: bars above and below
        assert _rgb(grab.pixelColor(middle, y - 3)) == bar
        assert _rgb(grab.pixelColor(middle, y + height + 2)) == bar
    if view.width() > width + 4:  # a wide one: bars at the sides
        assert _rgb(grab.pixelColor(x - 3, y + height // 2)) == bar
        assert _rgb(grab.pixelColor(x + width + 2, y + height // 2)) == bar
    # The safe zone of a square: the like column covers its right side, nothing its top.
    window.preview.view.set_safe_zone(True)
    shaded = view.grab().toImage()
    assert shaded.pixelColor(x + width - 3, y + height // 2).red() < 200
    assert shaded.pixelColor(middle, y + 2) == grab.pixelColor(middle, y + 2)
    window.close()
    launcher.jobs.wait()
