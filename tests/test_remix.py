"""Duets and stitches rendered and measured: layouts, frame lock, A/V sync, auto-sync, stitch."""

from __future__ import annotations

import json
import subprocess
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from studio.analysis.sync import find_offset
from studio.app import DuetRequest, make_duet
from studio.app.render import export
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from studio.io.project_file import load_project
from studio.model.remix import (
    DuetOptions,
    StitchOptions,
    duet_project,
    stitch_project,
    your_offset,
)
from studio.model.timeline import Canvas, Layout
from studio.render.presets import get_preset
from tests.helpers import (
    all_frames,
    frame,
    inspect_output,
    make_clip,
    media,
    mono_sound,
    psnr,
    same_frames,
    source_frame,
    studio,
)

DRAFT = get_preset("draft", 30)


def ffmpeg(*args: object) -> None:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *map(str, args)], check=True, timeout=300)


def lavfi_clip(path: Path, video: str, audio: str, *options: str) -> Path:
    """An H.264/AAC clip from an ffmpeg video source and audio source (plus output options)."""
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        video,
        "-f",
        "lavfi",
        "-i",
        audio,
        *options,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-c:a",
        "aac",
        "-shortest",
        path,
    )
    return path


def remix(tmp_path: Path, *args: object) -> Path:
    """Run a remix command at the draft preset, saving p.studio.json; returns OUT.mp4."""
    done = studio(
        *args, "-o", "out.mp4", "--save-project", "p.studio.json", "--preset", "draft", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    return tmp_path / "out.mp4"


def re_exported(tmp_path: Path) -> Path:
    """p.studio.json exported again by `studio export`."""
    again = studio("export", "p.studio.json", "-o", "again.mp4", "--preset", "draft", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    return tmp_path / "again.mp4"


def preview(tmp_path: Path, at: str, *options: str) -> np.ndarray:
    """`studio frame` of p.studio.json at `at` seconds, at the draft size."""
    done = studio("frame", "p.studio.json", "--at", at, "-o", "f.png", *options, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return source_frame(tmp_path / "f.png", 0, (540, 960))


def centre_crop(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """The centre of `image` with the aspect width:height (what a crop fit shows)."""
    h, w, _ = image.shape
    if w * height > h * width:
        keep = h * width // height
        return image[:, (w - keep) // 2 : (w - keep) // 2 + keep]
    keep = w * height // width
    return image[(h - keep) // 2 : (h - keep) // 2 + keep]


def small(image: np.ndarray, size: tuple[int, int] = (64, 128)) -> np.ndarray:
    import cv2

    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def test_side_by_side_of_clips_of_different_size_rate_and_audio(tmp_path: Path) -> None:
    original, yours = media("moviepy/example.mp4"), media("moviepy/example2.mp4")  # 25 / 24 fps
    project = duet_project(probe(original), probe(yours), DuetOptions())
    out = export(project, tmp_path / "side.mp4", get_preset("tiktok", 30)).output
    found = inspect_output(out)
    assert (found.width, found.height) == (1080, 1920)
    assert abs(found.frames - 60) <= 1 and found.audio_rate == 48000
    shot = frame(out, 30)
    left, right = shot[:, :540], shot[:, 540:]
    expect_left = centre_crop(source_frame(original, 1.0, (640, 480)), 540, 1920)
    expect_right = centre_crop(source_frame(yours, 1.0, (1280, 720)), 540, 1920)
    assert psnr(small(left), small(expect_left)) > 24
    assert psnr(small(right), small(expect_right)) > 24
    assert psnr(small(left), small(expect_left)) > psnr(small(left), small(expect_right)) + 5


def test_rotated_phone_clip_stacked_under_a_landscape_one(tmp_path: Path) -> None:
    original, yours = media("moviepy/example2.mp4"), media("jsonize-ffmpeg-task/iphone_rotated.mov")
    layout = Layout("stack")
    project = duet_project(probe(original), probe(yours), DuetOptions(layout, length="shorter"))
    out = export(project, tmp_path / "stack.mp4", DRAFT).output
    bottom = frame(out, 15)[480:]
    upright = centre_crop(source_frame(yours, 0.5, (320, 568)), 540, 480)
    sideways = centre_crop(source_frame(yours, 0.5, (568, 320), autorotate=False), 540, 480)
    assert psnr(small(bottom), small(upright)) > psnr(small(bottom), small(sideways)) + 3
    assert abs(inspect_output(out).frames - 30 * float(project.duration)) <= 1


def counter_60s(folder: Path) -> tuple[Path, Path]:
    """The numbered-frame clip looped to 60 s, and a copy at another size and codec setting."""
    looped, other = folder / "counter60.mp4", folder / "counter60-720p.mp4"
    counter = media("pyscenedetect/counter.mp4")
    ffmpeg("-stream_loop", 19, "-i", counter, "-c:v", "libx264", "-preset", "ultrafast", looped)
    ffmpeg("-i", looped, "-vf", "scale=1280:720", "-c:v", "libx264", "-crf", "30", other)
    return looped, other


def digit_boxes(path: Path) -> np.ndarray:
    """The corner with the frame number, from the top and the bottom half of every frame."""
    graph = (
        "format=gray,split[a][b];[a]crop=180:80:348:300[t];[b]crop=180:80:348:780[u];[t][u]vstack"
    )
    argv = [ffmpeg_exe(), "-v", "error", "-i", str(path), "-filter_complex", graph]
    data = subprocess.run(
        [*argv, "-f", "rawvideo", "-"], capture_output=True, check=True, timeout=300
    ).stdout
    return np.frombuffer(data, np.uint8).reshape(-1, 2, 80, 180).astype(np.float32)


def test_both_halves_show_the_same_numbered_frame_for_60_seconds(tmp_path: Path) -> None:
    original, yours = counter_60s(tmp_path)
    layout = Layout("stack", fit="pad")
    project = duet_project(probe(original), probe(yours), DuetOptions(layout))
    out = export(project, tmp_path / "lock.mp4", DRAFT).output
    boxes = digit_boxes(out)
    assert len(boxes) == 1800
    references = boxes[0:90:3, 0]  # counter frames 1..30, each shown for 3 output frames
    distances = np.abs(references[:, None] - references[None]).mean(axis=(2, 3))
    assert (distances + np.eye(30) * 1e9).min() > 3  # the 30 numbers look different
    for half in (0, 1):
        shown = np.abs(boxes[:, half][:, None] - references[None]).mean(axis=(2, 3)).argmin(axis=1)
        assert np.array_equal(shown, (np.arange(1800) // 3) % 30), f"half {half} drifted"


def flash_and_beep(path: Path, rate: int, at: float) -> Path:
    """Black video with one white frame at `at` s and a 1 kHz beep starting at the same time."""
    video = f"color=c=black:size=320x240:rate={rate}:duration=4"
    flash = f"drawbox=color=white:t=fill:enable='eq(n,{round(at * rate)})'"
    beep = f"aevalsrc='if(between(t,{at},{at + 0.05}),0.8*sin(2*PI*1000*t),0)':s=48000:d=4"
    return lavfi_clip(path, video, beep, "-vf", flash)


def beep_starts(path: Path) -> list[float]:
    loud = np.abs(mono_sound(path)) > 0.05
    starts = np.flatnonzero(
        loud[1:] & ~np.convolve(loud, np.ones(2400), "full")[: len(loud) - 1].astype(bool)
    )
    return [s / 48000 for s in starts + 1]


def test_each_side_keeps_picture_and_sound_together_with_an_offset(tmp_path: Path) -> None:
    original = flash_and_beep(tmp_path / "a.mp4", 30, 1.0)
    yours = flash_and_beep(tmp_path / "b.mp4", 25, 1.0)
    options = DuetOptions(offset=Fraction(7, 10), length="longer")
    out = export(
        duet_project(probe(original), probe(yours), options), tmp_path / "av.mp4", DRAFT
    ).output
    frames = all_frames(out, (54, 96)).mean(axis=3)
    flashes = [
        int(frames[:, :, :27].mean(axis=(1, 2)).argmax()),
        int(frames[:, :, 27:].mean(axis=(1, 2)).argmax()),
    ]
    beeps = beep_starts(out)
    assert len(beeps) == 2, beeps
    for flash, beep, expected in zip(flashes, beeps, (1.0, 1.7)):
        assert abs(flash / 30 - beep) <= 1 / 30 + 0.002, (flashes, beeps)
        assert abs(beep - expected) <= 0.002


def _heard_take(take: Path, original: Path, at: float) -> Path:
    """A take started `at` s into the original: its sound is the original's, filtered like a
    phone mic hearing a speaker, under louder other sound (your voice stands in)."""
    mix = (
        "[0:a]highpass=f=300,lowpass=f=3500,volume=0.4[o];[1:a]volume=0.9[v];"
        "[o][v]amix=inputs=2:duration=first:normalize=0[a]"
    )
    ffmpeg(
        "-ss",
        at,
        "-i",
        original,
        "-i",
        media("librosa-data/sorohanro_-_solo-trumpet-06.ogg"),
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x568:rate=30",
        "-filter_complex",
        mix,
        "-map",
        "2:v",
        "-map",
        "[a]",
        "-t",
        6,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        take,
    )
    return take


def test_auto_sync_finds_a_known_offset(tmp_path: Path) -> None:
    original = media("moviepy/chaplin.mp4")
    take = _heard_take(tmp_path / "take.mp4", original, 1.234)
    found = find_offset(original, take)
    assert abs(found.offset - 1.234) <= 0.010, found
    done = studio(
        "duet",
        original,
        take,
        "-o",
        "synced.mp4",
        "--auto-sync",
        "--preset",
        "draft",
        "--save-project",
        "synced.studio.json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "+1234 ms" in done.stdout
    offset = your_offset(load_project(tmp_path / "synced.studio.json"))
    assert offset is not None and abs(float(offset) - 1.234) <= 0.010


def test_a_recorded_duet_offset_is_refined_by_the_sound_only_near_the_known_one(
    tmp_path: Path,
) -> None:
    """A take recorded against the original knows its offset to a device's latency; where the
    microphone heard the original, the sound refines it (within half a second); a take that
    did not hear it, or sound that disagrees by more, keeps the known offset."""
    original = media("moviepy/chaplin.mp4")
    take = _heard_take(tmp_path / "take.mp4", original, 1.234)
    for known, expected in ((1.1, 1.234), (1.6, 1.234), (3.0, 3.0)):
        request = DuetRequest(original, take, offset=known, refine=True)
        remix = make_duet(request)
        offset = your_offset(remix.project)
        assert offset is not None, known
        print(f"known {known}: offset {float(offset):.3f}")
        assert abs(float(offset) - expected) <= 0.010
        assert (remix.found_offset is None) == (expected == known)
    deaf = make_duet(DuetRequest(original, media("moviepy/example2.mp4"), offset=0.8, refine=True))
    assert float(your_offset(deaf.project) or 0) == pytest.approx(0.8)
    assert deaf.found_offset is None


def test_unrelated_take_is_a_clear_auto_sync_error(tmp_path: Path) -> None:
    done = studio(
        "duet",
        media("moviepy/chaplin.mp4"),
        media("moviepy/example2.mp4"),
        "-o",
        "x.mp4",
        "--auto-sync",
        cwd=tmp_path,
    )
    assert done.returncode == 2 and "could not find the original's sound" in done.stderr


def test_original_is_ducked_while_you_speak(tmp_path: Path) -> None:
    tone = lavfi_clip(
        tmp_path / "tone.mp4",
        "color=c=gray:size=320x240:rate=30:duration=5",
        "sine=frequency=440:sample_rate=48000:duration=5",
    )
    speech = "aevalsrc='if(between(t,2,3.5),0.5*sin(2*PI*1000*t),0)':s=48000:d=5"
    voice = lavfi_clip(
        tmp_path / "voice.mp4", "color=c=blue:size=320x240:rate=30:duration=5", speech
    )
    out = export(
        duet_project(probe(tone), probe(voice), DuetOptions()), tmp_path / "duck.mp4", DRAFT
    ).output
    sound = mono_sound(out)

    def tone_level(start: float) -> float:
        piece = sound[int(start * 48000) : int((start + 0.5) * 48000)]
        spectrum = np.abs(np.fft.rfft(piece * np.hanning(len(piece))))
        return float(spectrum[440 // 2 - 3 : 440 // 2 + 4].max())  # 2 Hz bins

    assert 20 * np.log10(tone_level(1.0) / tone_level(2.8)) >= 6  # ducked by 6 dB or more
    assert abs(20 * np.log10(tone_level(1.0) / tone_level(4.3))) < 3  # and back afterwards


def test_duet_of_a_duet_and_react_layout_saved_and_re_exported(tmp_path: Path) -> None:
    first = tmp_path / "first.mp4"
    done = studio(
        "duet",
        media("moviepy/example.mp4"),
        media("moviepy/example2.mp4"),
        "-o",
        first,
        "--preset",
        "draft",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    second = remix(
        tmp_path,
        "duet",
        first,
        media("moviepy/example3.mp4"),
        "--layout",
        "react",
        "--corner",
        "top-right",
    )
    assert same_frames(second, re_exported(tmp_path))
    shot = frame(second, 20)
    w = round(540 * Layout().size / 2) * 2
    box = SimpleNamespace(x=540 - w - round(540 * 0.16), y=round(960 * 0.09), width=w)
    box.height = round(w * 16 / 9 / 2) * 2
    inside = shot[box.y + 10 : box.y + box.height - 10, box.x + 10 : box.x + box.width - 10]
    import cv2

    whole = centre_crop(source_frame(media("moviepy/example3.mp4"), 20 / 30, (854, 480)), 9, 16)
    expected = cv2.resize(whole, (box.width, box.height), interpolation=cv2.INTER_AREA)[
        10:-10, 10:-10
    ]
    assert psnr(small(inside), small(expected)) > 20
    assert shot[box.y + box.height // 2, box.x - 1].min() > 200  # the white border


def test_stitch_takes_five_seconds_then_yours(tmp_path: Path) -> None:
    original, yours = media("moviepy/chaplin.mp4"), media("moviepy/example3.mp4")
    options = StitchOptions(Fraction(2), Fraction(4), "fade", credit="")
    project = stitch_project(probe(original), probe(yours), options, Canvas())
    out = export(project, tmp_path / "stitch.mp4", DRAFT).output
    found = inspect_output(out)
    assert abs(found.frames - round((4 + float(probe(yours).duration)) * 30)) <= 1
    assert "Stitched from chaplin.mp4" in found.header
    plain = stitch_project(probe(original), probe(yours), StitchOptions(Fraction(2), Fraction(4)))
    plain_out = export(plain, tmp_path / "plain.mp4", DRAFT).output
    credit_box = slice(700, 830), slice(100, 440)
    with_credit, without = frame(out, 30)[credit_box], frame(plain_out, 30)[credit_box]
    assert psnr(with_credit, without) < 25  # the credit is drawn over the original's part
    assert psnr(frame(out, 150)[credit_box], frame(plain_out, 150)[credit_box]) > 40  # not after
    assert frame(out, 119).mean() < frame(plain_out, 119).mean() - 20  # the dip at the cut
    assert abs(frame(out, 60).mean() - frame(plain_out, 60).mean()) < 8


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("stitch", "a.mp4", "b.mp4", "-o", "x.mp4", "--length", "6"),
            "--length: must be between 0.1 and 5 s (got 6)",
        ),
        (
            ("stitch", "a.mp4", "b.mp4", "-o", "x.mp4", "--from", "99"),
            "--from: 99.00 s is past the end",
        ),
        (("duet", "a.mp4", "missing.mp4", "-o", "x.mp4"), "missing.mp4"),
        (("duet", "a.mp4", "b.mp4", "-o", "x.mp4", "--offset-ms", "-99000"), "never play"),
        (("duet", "a.mp4", "song.m4a", "-o", "x.mp4"), "has no video"),
        (("duet", "a.mp4", "b.mp4", "-o", "x.mp4", "--size", "2"), "--size"),
    ],
)
def test_bad_remix_input_is_one_clear_line(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    make_clip(tmp_path / "a.mp4", 3)
    make_clip(tmp_path / "b.mp4", 2)
    ffmpeg("-f", "lavfi", "-i", "sine=duration=3", tmp_path / "song.m4a")
    done = studio(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_duet_exports_to_otio_as_two_tracks(tmp_path: Path) -> None:
    """A duet is the original on the main track and yours on the overlay track "yours" (a pad
    fill: shown from its offset), which OTIO holds as two video tracks, yours after a gap."""
    import opentimelineio as otio

    from studio.interchange.otio import write_otio

    original, yours = probe(media("moviepy/chaplin.mp4")), probe(media("moviepy/example2.mp4"))
    options = DuetOptions(offset=Fraction(3, 2), fill="pad")
    project = duet_project(original, yours, options)
    timeline = otio.adapters.read_from_file(str(write_otio(project, tmp_path / "duet.otio")))
    tracks = {track.name: list(track) for track in timeline.tracks}
    assert list(tracks) == ["Main", "yours"]
    assert tracks["yours"][0].duration().to_seconds() == pytest.approx(1.5)
    assert tracks["yours"][1].duration().to_seconds() == pytest.approx(
        float(yours.duration), abs=0.04
    )
    assert tracks["Main"][0].duration().to_seconds() == pytest.approx(
        float(original.duration), abs=0.04
    )


def test_stitch_project_re_exports_identically_and_previews(tmp_path: Path) -> None:
    out = remix(
        tmp_path,
        "stitch",
        media("moviepy/chaplin.mp4"),
        media("moviepy/example2.mp4"),
        "--from",
        "1",
        "--credit",
        "Reply to @someone",
        "--transition",
        "fade",
    )
    assert same_frames(out, re_exported(tmp_path))
    saved = json.loads((tmp_path / "p.studio.json").read_text(encoding="utf-8"))
    assert saved["attribution"] == "Stitched from chaplin.mp4"
    assert saved["texts"][0]["text"] == "Reply to @someone"
    assert psnr(preview(tmp_path, "1"), frame(out, 30)) > 30  # preview = exported frame, credit too


def test_duet_preview_frame_matches_the_export(tmp_path: Path) -> None:
    out = remix(
        tmp_path,
        "duet",
        media("moviepy/chaplin.mp4"),
        media("moviepy/example2.mp4"),
        "--layout",
        "react",
        "--offset-ms",
        "500",
    )
    assert psnr(preview(tmp_path, "1.5"), frame(out, 45)) > 30


def test_duet_preview_from_proxies_reads_both_sides_from_their_proxies(tmp_path: Path) -> None:
    from studio.io.project_file import load_project
    from studio.render.proxy import with_proxies

    out = remix(tmp_path, "duet", media("moviepy/chaplin.mp4"), media("moviepy/example2.mp4"))
    project = with_proxies(load_project(tmp_path / "p.studio.json"))
    for side in (project.main.clips[0], project.layers[0].clips[0]):
        assert side.media.path.endswith(".mkv") and "proxies" in side.media.path
    assert psnr(preview(tmp_path, "1.5", "--proxy"), frame(out, 45)) > 28
