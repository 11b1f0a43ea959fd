"""Captions in the project and burned in: the track survives a new transcription with the
user's word edits, the text sits inside the safe zone, the highlighted word changes on its
start frame, nothing shows where nobody speaks, and every style renders."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from studio.app.captions import CaptionsRequest, add_captions
from studio.app.render import export
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.project_file import load_project, save_project
from studio.model.edits import edit_caption_word
from studio.model.platform import safe_zone
from studio.model.timeline import Captions, CaptionWord
from studio.render.caption_pictures import band_box, events
from studio.render.presets import get_preset
from tests.helpers import frame, media, studio

FPS = 30
BLUE = "0x4060a0"


@pytest.fixture(scope="module")
def speech_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The jfk speech over a plain blue 9:16 picture, as a project with its captions added."""
    folder = tmp_path_factory.mktemp("speech")
    video = folder / "speech.mp4"
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", f"color=c={BLUE}:s=540x960"]
    argv += ["-i", str(media("people/whisper/jfk.flac")), "-shortest", "-c:v", "libx264"]
    subprocess.run([*argv, "-preset", "ultrafast", "-c:a", "aac", str(video)], check=True)
    project = folder / "speech.studio.json"
    assert studio("new", project, video).returncode == 0
    done = studio("captions", project, "--add", "--style", "highlight")
    assert done.returncode == 0, done.stderr
    return project


@pytest.fixture(scope="module")
def exported(speech_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("out") / "captioned.mp4"
    return export(load_project(speech_project), target, get_preset("draft")).output


def _text_pixels(picture: np.ndarray) -> np.ndarray:
    """Where caption text is: near-white or yellow, far from the blue background."""
    r, g, b = (picture[:, :, i].astype(int) for i in range(3))
    return ((r > 200) & (g > 170)) & ~((r < 100) & (b > 140))


def _yellow(picture: np.ndarray) -> np.ndarray:
    r, g, b = (picture[:, :, i].astype(int) for i in range(3))
    return (r > 200) & (g > 170) & (b < 90)


def test_the_caption_sits_inside_the_safe_zone(exported: Path, speech_project: Path) -> None:
    words = load_project(speech_project).captions.shown  # type: ignore[union-attr]
    x, y, width, height = safe_zone(540, 960)
    for word in (words[1], words[8]):
        shown = _text_pixels(frame(exported, round((word.start + word.end) / 2 * FPS)))
        ys, xs = np.nonzero(shown)
        print(f"{word.text}: text in x {xs.min()}-{xs.max()}, y {ys.min()}-{ys.max()}")
        assert len(xs) > 300
        assert x <= xs.min() and xs.max() <= x + width and y <= ys.min() and ys.max() <= y + height


def test_nothing_shows_where_nobody_speaks(exported: Path, speech_project: Path) -> None:
    words = load_project(speech_project).captions.shown  # type: ignore[union-attr]
    gaps = [(a.end, b.start) for a, b in pairwise(words) if b.start - a.end > 0.5]
    assert gaps, "the speech has pauses"
    for end, start in gaps:
        quiet = frame(exported, round((end + start) / 2 * FPS))
        assert _text_pixels(quiet).sum() == 0


def test_the_highlight_moves_on_each_words_start_frame(
    exported: Path, speech_project: Path
) -> None:
    words = load_project(speech_project).captions.shown  # type: ignore[union-attr]
    checked = 0
    for before, word in pairwise(words):
        if word.start - before.start < 0.2 or word.start - before.end > 0.05:
            continue  # too close to see, or across a pause (a new caption)
        first = int(np.ceil(word.start * FPS))
        ahead = _yellow(frame(exported, first - 2)).nonzero()[1]
        after = _yellow(frame(exported, first + 1)).nonzero()[1]
        assert len(ahead) and len(after), word.text
        assert abs(after.mean() - ahead.mean()) > 10, word.text  # another word is yellow
        checked += 1
    assert checked >= 5


def test_user_edits_survive_a_new_transcription(speech_project: Path, tmp_path: Path) -> None:
    project = load_project(speech_project)
    captions = project.captions
    assert captions is not None and captions.style == "highlight"
    fellow = next(w for w in captions.words if w.text.lower().startswith("fellow"))
    edited = edit_caption_word(
        project, fellow.start, CaptionWord(fellow.start, fellow.end, "FELLOW")
    )
    copy = tmp_path / "copy.studio.json"
    save_project(edited, copy)
    again = add_captions(CaptionsRequest(copy))  # transcribed anew: the edit stays
    assert "FELLOW" in [w.text for w in again.captions.shown]  # type: ignore[union-attr]
    assert again.captions == edited.captions  # type: ignore[comparison-overlap]


@pytest.mark.parametrize("style", ["classic", "bold", "highlight", "pop"])
def test_every_style_renders_inside_the_safe_zone(
    speech_project: Path, style: str, tmp_path: Path
) -> None:
    project = load_project(speech_project)
    assert project.captions is not None
    styled = replace(project, captions=replace(project.captions, style=style))  # type: ignore[arg-type]
    path = save_project(styled, tmp_path / f"{style}.studio.json")
    x, y, width, height = safe_zone(540, 960)
    for word in project.captions.shown[3], project.captions.shown[4]:  # "fellow Americans"
        at = f"{(word.start + word.end) / 2:.3f}"
        done = studio("frame", path, "--at", at, "-o", tmp_path / "f.png", "--size", "540x960")
        assert done.returncode == 0, done.stderr
        ys, xs = np.nonzero(_text_pixels(frame(tmp_path / "f.png", 0)))
        assert len(xs) > 200, style
        inside = (
            x <= xs.min() and xs.max() <= x + width and y <= ys.min() and ys.max() <= y + height
        )
        assert inside, (style, word.text, xs.min(), xs.max(), ys.min(), ys.max())


def test_pop_pages_hold_one_to_three_words() -> None:
    words = tuple(CaptionWord(i * 0.3, i * 0.3 + 0.25, f"w{i}") for i in range(8))
    pages = [event.text for event in events(Captions(words, style="pop"), 30)]
    assert pages == ["W0 W1 W2", "W3 W4 W5", "W6 W7"]


def test_sidecars_of_a_project_come_from_its_track_with_the_edits(
    speech_project: Path, tmp_path: Path
) -> None:
    project = load_project(speech_project)
    assert project.captions is not None
    first = project.captions.words[0]
    changed = edit_caption_word(project, first.start, CaptionWord(first.start, first.end, "Und"))
    path = save_project(changed, tmp_path / "edited.studio.json")
    done = studio("captions", path, "--srt", tmp_path / "e.srt")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "e.srt").read_text(encoding="utf-8").split("\n")[2].startswith("Und ")
    exported = studio("export", path, "--vtt", tmp_path / "e.vtt")  # beside an export, too
    assert exported.returncode == 0, exported.stderr
    assert "Und " in (tmp_path / "e.vtt").read_text(encoding="utf-8")
    refused = studio("captions", path, "--add", "--lines", "9")
    assert refused.returncode == 2 and "--lines" in refused.stderr
    english = studio("captions", media("people/whisper/jfk.flac"), "--language", "fr")
    assert english.returncode == 2 and "English only" in english.stderr


def test_a_cache_folder_with_filter_syntax_in_its_name_still_burns_captions(
    speech_project: Path, tmp_path: Path, settings: Any
) -> None:
    """The captions' pictures are read from the cache folder: quotes, commas, colons, brackets
    and semicolons in its name must not break the graph."""
    from studio.app.render import render_frame

    odd = tmp_path / "it's, a: [cache]; dir"
    settings(cache_dir=str(odd))
    project = load_project(speech_project)
    word = project.captions.shown[3]  # type: ignore[union-attr]
    at = Fraction((word.start + word.end) / 2).limit_denominator(1000)
    render_frame(project, at, (540, 960), tmp_path / "f.png")
    assert _text_pixels(frame(tmp_path / "f.png", 0)).sum() > 200
    assert list(odd.glob("images/captions-*.png"))


def test_captions_take_a_font_a_place_and_a_size_and_draw_any_bundled_script(
    speech_project: Path, tmp_path: Path
) -> None:
    """Drawn by the titles' renderer: moved up and made larger where the project says, in
    the font it names, with words in Chinese (a fallback font) drawn, not boxes."""
    project = load_project(speech_project)
    assert project.captions is not None
    word = project.captions.shown[3]
    at = f"{(word.start + word.end) / 2:.3f}"

    def ink(captions: Captions) -> np.ndarray:
        path = save_project(replace(project, captions=captions), tmp_path / "c.studio.json")
        done = studio("frame", path, "--at", at, "-o", tmp_path / "f.png", "--size", "540x960")
        assert done.returncode == 0, done.stderr
        return _text_pixels(frame(tmp_path / "f.png", 0))

    plain = ink(replace(project.captions, style="bold"))
    moved = ink(replace(project.captions, style="bold", y=0.3, scale=1.5, font="Anton"))
    ys, moved_ys = np.nonzero(plain)[0], np.nonzero(moved)[0]
    larger = replace(project.captions, style="bold", y=0.3, scale=1.5, font="Anton")
    _, y, _, height = band_box(larger, (540, 960))
    top, bottom = y * 960 - height / 2, y * 960 + height / 2  # the band, words at its foot
    assert top - 2 <= moved_ys.min() and abs(moved_ys.max() - bottom) < 25, (top, bottom)
    assert ys.mean() > 600  # where they were: low, above the platforms' buttons
    assert np.ptp(moved_ys) > 1.3 * np.ptp(ys)  # larger letters
    chinese = edit_caption_word(project, word.start, CaptionWord(word.start, word.end, "你好"))
    assert chinese.captions is not None
    drawn = ink(replace(chinese.captions, style="bold"))
    assert drawn.sum() > 200
