"""Real exports of real clips, checked by probing and decoding what was written."""

from __future__ import annotations

import shutil
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from studio.app.render import export, render_frame
from studio.errors import Cancelled, RenderError
from studio.io.probe import probe
from studio.io.runner import Progress, Task
from studio.model.edits import clip_of
from studio.model.timeline import Canvas, Clip, Fit, MusicTrack, Project, Track
from studio.render.presets import get_preset
from tests.helpers import (
    all_frames,
    frame,
    inspect_output,
    loudness,
    make_clip,
    media,
    psnr,
    source_frame,
)

DRAFT = get_preset("draft")


def _project(*clips: Clip, music: MusicTrack | None = None, fps: int = 30) -> Project:
    return Project(Canvas(fps=fps), Track(clips), music)


def _whole(name: str, fit: str = "crop", seconds: float | None = None) -> Clip:
    found = probe(media(name))
    end = Fraction(str(seconds)) if seconds else found.duration
    return Clip(found, Fraction(0), min(end, found.duration), fit=Fit(fit))  # type: ignore[arg-type]


def test_rotated_phone_clips_come_out_upright(tmp_path: Path) -> None:
    """Each output frame matches ffmpeg's own upright decode, not the stored sideways picture."""
    for name, at in (
        ("mediabunny/rotate-buck-bunny.mp4", 1.0),
        ("jsonize-ffmpeg-task/iphone_rotated.mov", 1.0),
    ):
        out = export(_project(_whole(name)), tmp_path / "out.mp4", DRAFT).output
        shown = frame(out, int(at * 30), (270, 480))
        upright = source_frame(media(name), at, (270, 480))
        sideways = source_frame(media(name), at, (270, 480), autorotate=False)
        assert psnr(shown, upright) > 28, name
        assert psnr(shown, upright) > psnr(shown, sideways) + 8, name


def test_clip_rotated_180_is_turned(tmp_path: Path) -> None:
    out = export(_project(_whole("moviepy/fire2.mp4", "pad")), tmp_path / "o.mp4", DRAFT).output
    shown = frame(out, 15, (540, 960))[328:632]  # the 540x304 band the 16:9 picture fills
    upright = source_frame(media("moviepy/fire2.mp4"), 0.5, (540, 304))
    upside_down = source_frame(media("moviepy/fire2.mp4"), 0.5, (540, 304), autorotate=False)
    assert psnr(shown, upright) > psnr(shown, upside_down) + 5


def _band_height(image: np.ndarray, pad_rgb: tuple[int, int, int]) -> int:
    """Rows whose pixels are not the padding colour."""
    distance = np.abs(image.astype(int) - np.array(pad_rgb)).sum(axis=2).mean(axis=1)
    return int((distance > 40).sum())


def test_non_square_pixels_are_not_stretched(tmp_path: Path) -> None:
    # sar_2x1.mp4 stores 640x360 with 2:1 pixels: it shows 1280x360, so fitted into 540 px
    # wide it is 152 px tall (304 if the SAR were ignored).
    clip = _whole("mediabunny/sar_2x1.mp4", seconds=2)
    clip = Clip(clip.media, clip.source_in, clip.source_out, fit=Fit("pad", pad_color="#00ff00"))
    out = export(_project(clip), tmp_path / "o.mp4", DRAFT).output
    assert abs(_band_height(frame(out, 20), (0, 255, 0)) - 152) <= 4


def test_mixed_rates_vfr_offsets_and_silence_line_up(tmp_path: Path) -> None:
    """VFR 10.5 fps phone clip, 1.075 s start offset without audio, 24 fps, 10 fps: the output
    is constant 30 fps with exactly the planned frames, and sound of exactly the same length."""
    clips = (
        _whole("moviepy/fire2.mp4"),
        _whole("pyscenedetect/delayed_start.mp4"),
        _whole("moviepy/example2.mp4"),
        _whole("pyscenedetect/counter.mp4", seconds=1.3),
    )
    result = export(_project(*clips), tmp_path / "mixed.mp4", DRAFT)
    expected = round(float(sum(c.duration for c in clips)) * 30)
    found = inspect_output(result.output)
    assert result.frames == expected == found.frames
    assert found.frame_gaps == {round(1 / 30, 6)}
    assert found.audio_samples == expected * 1600  # 48000 / 30 per frame
    assert abs(found.video_end - expected / 30) < 1 / 30


def test_sixty_fps_canvas(tmp_path: Path) -> None:
    clip = _whole("moviepy/example3.mp4")
    out = export(_project(clip, fps=60), tmp_path / "o.mp4", DRAFT).output
    found = inspect_output(out)
    assert found.frames == round(float(clip.duration) * 60) and abs(found.fps - 60) < 0.01


def test_loudness_is_normalised(tmp_path: Path) -> None:
    song = probe(media("ballroom-gtzan/country.00000.wav"))
    edit = _project(
        _whole("moviepy/chaplin.mp4", seconds=6),
        _whole("moviepy/example.mp4"),
        music=MusicTrack(song, Fraction(3), -6.0, Fraction(0), Fraction(1)),
    )
    out = export(edit, tmp_path / "loud.mp4", DRAFT).output
    integrated, peak = loudness(out)
    assert abs(integrated - -14) <= 1, integrated
    assert peak <= -1.0, peak


def test_silent_project_gets_a_silent_track(tmp_path: Path) -> None:
    out = export(_project(_whole("moviepy/example.mp4")), tmp_path / "quiet.mp4", DRAFT).output
    found = inspect_output(out)
    assert found.audio_rate == 48000 and found.audio_samples == 60 * 1600  # 2 s at 30 fps


@pytest.mark.parametrize("name", ['it\'s a "clip", [v1]: 100% ünï €.mp4', "-dash;x=1.mp4"])
def test_awkward_file_names(tmp_path: Path, name: str) -> None:
    source = make_clip(tmp_path / "plain.mp4", 1)
    awkward = tmp_path / name
    shutil.copy(source, awkward)
    out = export(_project(clip_of(probe(awkward))), tmp_path / f"out {name}", DRAFT).output
    assert out.name == f"out {name}" and inspect_output(out).frames == 30


def test_output_may_not_overwrite_an_input(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "in.mp4", 1)
    before = source.read_bytes()
    edit = _project(clip_of(probe(source)))
    for target in (source, tmp_path / "." / "in.mp4"):
        with pytest.raises(RenderError, match="overwrite an input"):
            export(edit, target, DRAFT)
    with pytest.raises(RenderError, match="folder does not exist"):
        export(edit, tmp_path / "nope" / "o.mp4", DRAFT)
    assert source.read_bytes() == before


def test_failed_export_leaves_the_old_output_and_no_temp(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "in.mp4", 1)
    edit = _project(clip_of(probe(source)))
    target = tmp_path / "out.mp4"
    target.write_bytes(b"previous export")
    source.write_bytes(b"gone bad")
    with pytest.raises(RenderError):
        export(edit, target, DRAFT)
    assert target.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.mp4", "out.mp4"]


def test_cancel_stops_within_a_second_and_cleans_up(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "in.mp4", 20, size="1280x720")
    (tmp_path / "o.mp4").write_bytes(b"the previous export")
    asked: list[float] = []

    def progress(p: Progress) -> None:
        if p.message == "rendering" and not asked:
            asked.append(time.monotonic())
            task.cancel()

    task = Task(progress)
    with pytest.raises(Cancelled):
        export(_project(clip_of(probe(source))), tmp_path / "o.mp4", get_preset("tiktok"), task)
    assert asked and time.monotonic() - asked[0] < 1.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.mp4", "o.mp4"]
    assert (tmp_path / "o.mp4").read_bytes() == b"the previous export"


def test_progress_reaches_the_end_with_messages_and_eta(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "in.mp4", 2)
    seen: list[Progress] = []
    export(_project(clip_of(probe(source))), tmp_path / "o.mp4", DRAFT, Task(seen.append))
    fractions = [p.fraction for p in seen]
    assert fractions and fractions == sorted(fractions) and fractions[-1] > 0.9
    assert {p.message for p in seen} == {"measuring loudness", "rendering"}
    assert any(p.eta is not None and p.eta >= 0 for p in seen)


def test_preview_frame_matches_the_export(tmp_path: Path) -> None:
    clips = (_whole("moviepy/example2.mp4"), _whole("mediabunny/rotate-buck-bunny.mp4", "blur"))
    edit = _project(*clips)
    out = export(edit, tmp_path / "o.mp4", DRAFT).output
    for index in (10, 70):
        png = tmp_path / f"f{index}.png"
        render_frame(edit, Fraction(index, 30), (540, 960), png)
        preview = source_frame(png, 0, (540, 960))
        assert psnr(preview, frame(out, index)) > 27, index


def test_cuts_land_on_their_frames(tmp_path: Path) -> None:
    """Flat colour clips of 0.7 s, 1.1 s and 0.45 s: colours change exactly at frames 21, 54."""
    colours = ["red", "lime", "blue"]
    lengths = [0.7, 1.1, 0.45]
    clips = []
    for colour, length in zip(colours, lengths):
        path = make_clip(tmp_path / f"{colour}.mp4", 2, source=f"color=c={colour}", audio=False)
        clips.append(Clip(probe(path), Fraction(0), Fraction(str(length))))
    out = export(_project(*clips), tmp_path / "cuts.mp4", DRAFT).output
    frames = all_frames(out, (16, 16)).reshape(-1, 256, 3).mean(axis=1)
    which = frames.argmax(axis=1)  # 0 red, 1 green, 2 blue
    changes = [i for i in range(1, len(which)) if which[i] != which[i - 1]]
    assert changes == [21, 54] and len(which) == 68


def test_long_edits_render_in_chunks_with_the_same_result(tmp_path: Path, settings: Any) -> None:
    """A tiny memory budget forces one ffmpeg process per clip; the joined file must have the
    same frames, sound and cut points as the single-process export."""
    import studio.render.export as exporting

    colours = ["red", "lime", "blue", "white"]
    clips = []
    for colour, length in zip(colours, [0.7, 1.1, 0.45, 0.5]):
        path = make_clip(tmp_path / f"{colour}.mp4", 2, source=f"color=c={colour}")
        clips.append(Clip(probe(path), Fraction(0), Fraction(str(length))))
    edit = _project(*clips)
    single = export(edit, tmp_path / "single.mp4", DRAFT).output
    settings(render_memory_mb=100)
    assert exporting.chunks(edit.main.clips, 540 * 960) == [(0, 1), (1, 2), (2, 3), (3, 4)]
    chunked = export(edit, tmp_path / "chunked.mp4", DRAFT).output
    a, b = inspect_output(single), inspect_output(chunked)
    assert a.frames == b.frames == 83 and b.frame_gaps == {round(1 / 30, 6)}
    assert a.audio_samples == b.audio_samples == 83 * 1600
    assert b.color.startswith("tv, bt709") and b.profile == a.profile
    colour_of = all_frames(chunked, (16, 16)).reshape(-1, 256, 3).mean(axis=1).round(-1)
    changes = [i for i in range(1, 83) if (colour_of[i] != colour_of[i - 1]).any()]
    assert changes == [21, 54, 68]
    assert abs(loudness(single)[0] - loudness(chunked)[0]) < 0.2
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert exporting.chunks(edit.main.clips, 540 * 960, joined=frozenset({1})) == [
        (0, 1),
        (1, 3),
        (3, 4),
    ]  # a transition's two clips stay in one process


def test_chunks_keep_transitions_whole_with_the_same_result(tmp_path: Path, settings: Any) -> None:
    from studio.model.timeline import Transition

    clips = []
    for colour in ("red", "lime", "blue"):
        path = make_clip(tmp_path / f"{colour}.mp4", 2, source=f"color=c={colour}")
        clips.append(Clip(probe(path), Fraction(0), Fraction(1)))
    edit = Project(Canvas(), Track((clips[0], clips[1], Transition("push-left"), clips[2])))
    single = export(edit, tmp_path / "single.mp4", DRAFT).output
    settings(render_memory_mb=100)
    chunked = export(edit, tmp_path / "chunked.mp4", DRAFT).output
    assert inspect_output(chunked).frames == inspect_output(single).frames == 90
    assert psnr(all_frames(single, (54, 96)), all_frames(chunked, (54, 96))) > 40


def test_odd_and_tiny_sources(tmp_path: Path) -> None:
    """A 314x273 GIF (odd sides), a 1x1 video and a 3026x1386 VFR screen capture all fill the
    canvas with the planned frame count."""
    clips = (
        _whole("moviepy/pigs_in_a_polka.gif", "pad", 1.0),
        _whole("moviepy/bitmap.mp4", "crop", 1.0),
        _whole("mediabunny/cursed-vfr.mp4", "blur", 1.5),
    )
    found = inspect_output(export(_project(*clips), tmp_path / "odd.mp4", DRAFT).output)
    assert (found.width, found.height, found.frames) == (540, 960, 105)


def test_preview_from_proxies_matches_the_exact_preview(tmp_path: Path) -> None:
    """Proxies are upright, square-pixel and all-intra; the frame they give is the same picture,
    and a proxy is made once per source."""
    from studio.render.proxy import proxy_of

    clips = (
        _whole("jsonize-ffmpeg-task/iphone_rotated.mov", "blur"),
        _whole("mediabunny/sar_2x1.mp4", "pad", 2),
        _whole("moviepy/fire2.mp4"),
    )
    edit = _project(*clips)
    for at in (Fraction(1), Fraction(3), Fraction(5)):
        exact = tmp_path / "exact.png"
        fast = tmp_path / "fast.png"
        render_frame(edit, at, (270, 480), exact)
        render_frame(edit, at, (270, 480), fast, proxies=True)
        assert psnr(source_frame(exact, 0, (270, 480)), source_frame(fast, 0, (270, 480))) > 30
    proxy = Path(proxy_of(clips[0].media).path)
    made = proxy.stat().st_mtime_ns
    assert proxy_of(clips[0].media).path == str(proxy) and proxy.stat().st_mtime_ns == made


def test_vfr_proxy_keeps_every_frame(tmp_path: Path, settings: Any) -> None:
    """fire2.mp4's uneven frame times once collided after rounding and failed about one proxy
    in five; made afresh several times, its proxy always holds all 25 frames."""
    from studio.render.proxy import proxy_of

    source = probe(media("moviepy/fire2.mp4"))
    for attempt in range(5):
        settings(cache_dir=str(tmp_path / str(attempt)))
        proxy = Path(proxy_of(source).path)
        assert inspect_output_frames(proxy) == 25


def inspect_output_frames(path: Path) -> int:
    from studio.io.runner import ffmpeg as run_ffmpeg

    crc = run_ffmpeg(["-i", str(path), "-map", "0:v:0", "-c", "copy", "-f", "framecrc", "-"])
    return sum(1 for line in crc.stdout.splitlines() if line[:1].isdigit())


def test_two_threads_making_the_same_proxy_both_succeed(tmp_path: Path) -> None:
    """The app may ask for a proxy from an import job and a preview job at once."""
    from concurrent.futures import ThreadPoolExecutor

    from studio.render.proxy import proxy_of

    media = probe(make_clip(tmp_path / "twice.mp4", 2))
    with ThreadPoolExecutor(2) as pool:
        made = list(pool.map(lambda _: proxy_of(media), range(2)))
    assert made[0] == made[1] and Path(made[0].path).is_file()
    assert not list(Path(made[0].path).parent.glob(".*"))  # no temp file left behind
