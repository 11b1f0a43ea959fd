"""Text and stickers in the app: the Text and Stickers browsers (tiles drawn by the engine,
added at the playhead), the inspector's Text and Motion sections, words typed in place on the
preview, the timeline's bands for them, undo."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

import numpy as np

from studio.app.layers import source_of
from studio.model import arrange
from studio.model.edits import clip_of
from studio.model.stickers import StickerItem
from studio.model.timeline import Canvas, Project, Track
from studio.model.title_styles import STYLES
from studio.model.titles import Title
from studio.render.stickers import library
from tests.helpers import open_window


def _edit() -> Project:
    backdrop = replace(clip_of(source_of("color:#204060")), source_out=Fraction(4))
    return Project(Canvas(), Track((backdrop,)))


def _graphics(window: Any, kind: type) -> list[Any]:
    project = window.document.project
    return [item for track in project.layers for item in track.items if isinstance(item, kind)]


def _icon_colours(window: Any, panel: str, tile_id: str) -> int:
    """How many colours the tile's picture has (a waiting card has one)."""
    picture = window.browsers[panel].items[tile_id].icon().pixmap(80, 80).toImage()
    pixels = {picture.pixel(x, y) for x in range(0, 80, 4) for y in range(0, 80, 4)}
    return len(pixels)


def test_the_text_browser_draws_each_style_and_adds_a_title_at_the_playhead(qtbot: Any) -> None:
    window = open_window(qtbot, _edit())
    window.commands["panel.text"].trigger()
    browser = window.browsers["text"]
    assert len(browser.tiles) == len(STYLES) >= 12
    qtbot.waitUntil(window.tile_pictures.settled, timeout=60_000)
    for tile in browser.tiles:
        assert _icon_colours(window, "text", tile.id) > 3, tile.id  # the style, drawn
    window.show_time(Fraction(1))
    browser.activated.emit(next(t for t in browser.tiles if t.text_style == "bold-box"))
    qtbot.waitUntil(lambda: bool(_graphics(window, Title)), timeout=10_000)
    title = _graphics(window, Title)[0]
    assert title.style.box_color and window.timeline.selection == title.id
    track = next(t for t in window.document.project.layers if title in t.items)
    assert track.range_of(title.id)[0] == 1
    assert window.inspector.sections["Text"].isVisible()
    window.document.undo_stack.undo()
    assert not _graphics(window, Title)


def test_the_inspector_changes_the_words_and_the_size_of_a_title(qtbot: Any) -> None:
    from studio.render.titles import title_for

    title = title_for("Hello", Fraction(3), _style("classic"), y=0.3)
    project = arrange.place(_edit(), title, Fraction(0))[0]
    window = open_window(qtbot, project)
    window.timeline.select(title.id)
    panel = window.inspector.text
    assert panel.isVisible() and panel.words.toPlainText() == "Hello"
    panel.words.setPlainText("Hello there")
    qtbot.waitUntil(lambda: _graphics(window, Title)[0].text == "Hello there", timeout=5_000)
    longer = _graphics(window, Title)[0]
    assert longer.width > title.width * 1.5
    assert abs(longer.transform.scale / longer.width - title.transform.scale / title.width) < 1e-4
    panel.numbers["size"].setValue(192)
    bigger = _graphics(window, Title)[0]
    assert bigger.style.size == 192 and bigger.width > longer.width * 1.8
    panel.colours["color"].chosen.emit("#ff0000")
    assert _graphics(window, Title)[0].style.color == "#ff0000"
    window.inspector.motion.kinds["enter"].setCurrentIndex(
        window.inspector.motion.kinds["enter"].findData("pop")
    )
    window.inspector.motion.kinds["enter"].activated.emit(
        window.inspector.motion.kinds["enter"].currentIndex()
    )
    assert _graphics(window, Title)[0].motion.enter == "pop"
    window.document.undo_stack.undo()  # the motion, then the colour
    window.document.undo_stack.undo()
    assert _graphics(window, Title)[0].style.color == "#ffffff"


def _style(name: str) -> Any:
    from studio.model.title_styles import style_named

    return style_named(name)


def test_words_typed_on_the_preview_replace_the_title_s(qtbot: Any) -> None:
    from studio.gui.qt import QPoint, Qt
    from studio.render.titles import title_for

    title = title_for("Tap me", Fraction(3), _style("classic"), y=0.5)
    window = open_window(qtbot, arrange.place(_edit(), title, Fraction(0))[0])
    window.show_time(Fraction(1))
    view = window.preview.view
    left, top, width, height = view.picture_rect()
    middle = QPoint(int(left + width / 2), int(top + height / 2))
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=middle)
    box = window.canvas_edit.words
    assert box is not None and box.isVisible() and box.toPlainText() == "Tap me"
    box.selectAll()
    qtbot.keyClicks(box, "Got it")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert _graphics(window, Title)[0].text == "Got it"
    assert not box.isVisible()


def test_the_stickers_browser_adds_a_bundled_sticker_that_shows_in_the_preview(
    qtbot: Any,
) -> None:
    window = open_window(qtbot, _edit())
    window.commands["panel.stickers"].trigger()
    browser = window.browsers["stickers"]
    bundled = [tile for tile in browser.tiles if tile.sticker]
    assert len(bundled) == len(library()) >= 30
    assert any(tile.effect is not None for tile in browser.tiles)  # face stickers, same browser
    qtbot.waitUntil(window.tile_pictures.settled, timeout=60_000)
    assert _icon_colours(window, "stickers", "sticker:fire") > 5
    before = _preview(window, qtbot)
    browser.activated.emit(next(tile for tile in bundled if tile.sticker == "fire"))
    qtbot.waitUntil(lambda: bool(_graphics(window, StickerItem)), timeout=10_000)
    sticker = _graphics(window, StickerItem)[0]
    assert sticker.source == "studio:fire" and window.timeline.selection == sticker.id
    after = _preview(window, qtbot, before)
    changed = np.abs(after.astype(int) - before.astype(int)).sum(axis=2) > 80
    assert changed.mean() > 0.008  # the sticker covers part of the picture, where it stands
    rows, columns = np.nonzero(changed)
    assert abs(columns.mean() / changed.shape[1] - sticker.transform.x) < 0.08
    assert abs(rows.mean() / changed.shape[0] - sticker.transform.y) < 0.08
    assert window.inspector.sections["Motion"].isVisible()
    assert not window.inspector.sections["Text"].isVisible()


def _preview(window: Any, qtbot: Any, unlike: Any = None) -> Any:
    """The preview's picture once it shows a frame (different from `unlike` when given)."""

    def grab() -> Any:
        image = window.preview.view.grab().toImage()
        left, top, width, height = (int(v) for v in window.preview.view.picture_rect())
        rows, columns = range(top, top + height, 4), range(left, left + width, 4)
        rgb = [image.pixelColor(x, y).getRgb()[:3] for y in rows for x in columns]
        return np.array(rgb, dtype=np.uint8).reshape(len(rows), len(columns), 3)

    def ready() -> bool:
        picture = grab()
        if unlike is None or picture.shape != unlike.shape:
            return bool(picture.std() > 5)
        return bool(np.abs(picture.astype(int) - unlike).sum() > 1000)

    qtbot.waitUntil(ready, timeout=20_000)
    return grab()


def test_captions_are_moved_and_resized_on_the_canvas(qtbot: Any) -> None:
    from studio.gui.canvas_edit import corners
    from studio.gui.qt import QPoint, Qt
    from studio.model.captions import CAPTIONS_ID
    from studio.model.timeline import Captions, CaptionWord

    words = tuple(
        CaptionWord(i * 0.4, i * 0.4 + 0.35, w) for i, w in enumerate(["say", "it", "loud"])
    )
    window = open_window(qtbot, replace(_edit(), captions=Captions(words)))
    window.show_time(Fraction(1, 2))
    edit, view = window.canvas_edit, window.preview.view
    band = next(layer for layer in edit._layers() if layer.clip.id == CAPTIONS_ID)
    start = edit.to_screen(band.box.x, band.box.y).toPoint()
    for step in range(1, 6):  # up, in a few moves as a hand does
        qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start) if step == 1 else None
        qtbot.mouseMove(view, start - QPoint(0, 40 * step))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=start - QPoint(0, 200))
    captions = window.document.project.captions
    assert captions is not None and 0 < captions.y < band.box.y / 1920 - 0.1
    corner = edit.to_screen(*corners(edit.selection().box)[2]).toPoint()
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=corner)
    qtbot.mouseMove(view, corner + QPoint(30, 30))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=corner + QPoint(30, 30))
    grown = window.document.project.captions
    assert grown is not None and grown.scale > 1.05
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert window.document.project.captions == Captions(words)
