"""Beat-synced edits rendered and measured: cut frames, beat effects, highlights, the command."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from studio.app import BeatSyncRequest, beat_synced_project, refresh_beats
from studio.app.render import export
from studio.errors import ProjectError
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.project_file import load_project, save_project
from studio.io.project_schema import VERSION
from studio.model.edits import add_beat, remove_beat
from studio.model.time import nearest_frame
from studio.model.timeline import BeatEffect, cut_frames
from studio.render.effects import fade_frames
from studio.render.presets import get_preset
from tests.helpers import (
    all_frames,
    frame,
    inspect_output,
    make_clip,
    media,
    psnr,
    same_frames,
    studio,
)
from tests.music import click_track, write_wav

COLOURS = {"red": (255, 0, 0), "lime": (0, 255, 0), "blue": (0, 0, 255), "yellow": (255, 255, 0)}


@pytest.fixture(scope="module")
def colour_clips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("colours")
    return [
        make_clip(folder / f"{name}.mp4", 12, "320x240", source=f"color=c={name}", audio=False)
        for name in COLOURS
    ]


@pytest.fixture(scope="module")
def clicks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    samples, times = click_track(97, 20, start=0.23)  # 18.56 frames per beat at 30 fps
    return write_wav(tmp_path_factory.mktemp("music") / "clicks97.wav", samples), times


def colour_runs(path: Path) -> list[int]:
    """Frames where the flat colour changes (the cuts), from every decoded frame."""
    frames = all_frames(path, (16, 16)).reshape(-1, 256, 3).mean(axis=1)
    names = [min(COLOURS, key=lambda c: np.abs(np.array(COLOURS[c]) - f).sum()) for f in frames]
    return [i for i in range(1, len(names)) if names[i] != names[i - 1]]


def test_rendered_cuts_land_on_the_frames_nearest_the_beats(
    tmp_path: Path, colour_clips: list[Path], clicks: tuple[Path, np.ndarray]
) -> None:
    music, true_beats = clicks
    start = Fraction(7, 20)
    request = BeatSyncRequest(music, colour_clips, start=start, duration=Fraction(12))
    result = beat_synced_project(request)
    project = result.project
    out = export(project, tmp_path / "cuts.mp4", get_preset("draft", 30)).output
    found = colour_runs(out)
    planned = cut_frames(project.main.clips, 30)
    assert found == planned[1:-1]  # the picture cuts exactly where the project says
    assert project.music is not None
    beats = [b for b in project.music.beat_times() if b > 0]
    for cut in found:  # ... which is the frame nearest a detected beat
        beat = min(beats, key=lambda b: abs(nearest_frame(b, 30) - cut))
        assert cut == nearest_frame(beat, 30)
        true = min(true_beats - float(start), key=lambda t: abs(t - cut / 30))
        assert abs(cut / 30 - true) <= 1 / 60 + 0.006  # and the click really is there
    assert len(found) >= 16
    assert inspect_output(out).frames == planned[-1]


def test_transitions_on_the_cuts_are_centred_on_their_beats(
    tmp_path: Path, colour_clips: list[Path], clicks: tuple[Path, np.ndarray]
) -> None:
    """--transition dissolve: one dissolve per cut, the cuts still on the beats (so each
    dissolve's middle frame, an even mix of the two colours, is the beat's frame) and the edit
    as long as without transitions."""
    music = clicks[0]
    plain = beat_synced_project(BeatSyncRequest(music, colour_clips, duration=Fraction(6)))
    request = BeatSyncRequest(music, colour_clips, duration=Fraction(6), transition="dissolve:0.4")
    project = beat_synced_project(request).project
    transitions = project.main.transitions
    assert len(transitions) == len(project.main.clips) - 1 >= 5
    assert {(t.kind, t.duration) for t in transitions} == {("dissolve", Fraction(2, 5))}
    cuts = cut_frames(project.main.clips, 30)
    assert cuts == cut_frames(plain.project.main.clips, 30)
    out = export(project, tmp_path / "dissolves.mp4", get_preset("draft", 30)).output
    assert inspect_output(out).frames == cuts[-1]
    for index, cut in enumerate(cuts[1:3]):
        before = np.array(COLOURS[list(COLOURS)[index % 4]])
        after = np.array(COLOURS[list(COLOURS)[(index + 1) % 4]])
        middle = frame(out, cut, (16, 16)).reshape(-1, 3).mean(axis=0)
        assert np.abs(middle - (before + after) / 2).max() < 40, (cut, middle)
        assert np.abs(frame(out, cut - 9, (16, 16)).reshape(-1, 3).mean(axis=0) - before).max() < 20
    bad = BeatSyncRequest(music, colour_clips, transition="sparkle")
    with pytest.raises(ProjectError, match="transition"):
        beat_synced_project(bad)


def test_punch_zooms_and_flash_brightens_on_bar_starts(
    tmp_path: Path, clicks: tuple[Path, np.ndarray]
) -> None:
    textured = make_clip(tmp_path / "texture.mp4", 12, "640x360", audio=False)
    request = BeatSyncRequest(clicks[0], [textured], mode="downbeats", duration=Fraction(8))
    plain = beat_synced_project(request).project
    punch = BeatEffect("punch", "downbeats", 1.0)
    flash = BeatEffect("flash", "downbeats", 0.5)
    preset = get_preset("draft", 30)
    renders = {
        name: export(replace(plain, effects=effects), tmp_path / f"{name}.mp4", preset).output
        for name, effects in [("plain", ()), ("punch", (punch,)), ("flash", (flash,))]
    }
    assert plain.music is not None
    hit = nearest_frame(plain.music.beat_times("downbeats")[1], 30)
    base, zoomed = frame(renders["plain"], hit), frame(renders["punch"], hit)
    h, w, _ = base.shape
    crop = base[int(h * 0.0763) : h - int(h * 0.0763), int(w * 0.0763) : w - int(w * 0.0763)]
    import cv2

    expected = cv2.resize(crop, (w, h), interpolation=cv2.INTER_LINEAR)
    assert psnr(zoomed, expected) > psnr(zoomed, base) + 5  # 1.18x about the centre
    after = hit + fade_frames(punch, 30)
    assert psnr(frame(renders["punch"], after), frame(renders["plain"], after)) > 40
    lift = frame(renders["flash"], hit).mean() - base.mean()
    assert lift > 20
    assert (
        abs(frame(renders["flash"], hit + 8).mean() - frame(renders["plain"], hit + 8).mean()) < 2
    )


def test_effects_land_on_the_same_frames_in_a_chunked_export(
    tmp_path: Path, clicks: tuple[Path, np.ndarray], settings: Any
) -> None:
    textured = make_clip(tmp_path / "texture.mp4", 12, "640x360", audio=False)
    request = BeatSyncRequest(
        clicks[0],
        [textured],
        every=2,
        duration=Fraction(6),
        effects=("flash",),
        effects_on="beats",
        strength=1.0,
    )
    project = beat_synced_project(request).project
    preset = get_preset("draft", 30)
    whole = export(project, tmp_path / "whole.mp4", preset).output
    settings(render_memory_mb=100)  # the least there is: one clip per chunk
    chunked = export(project, tmp_path / "chunked.mp4", preset).output
    a, b = all_frames(whole, (54, 96)), all_frames(chunked, (54, 96))
    assert a.shape == b.shape
    brightness_a, brightness_b = a.mean(axis=(1, 2, 3)), b.mean(axis=(1, 2, 3))
    assert np.abs(brightness_a - brightness_b).max() < 3
    assert (np.diff(brightness_a) > 20).sum() >= 5  # the flashes are there


def test_highlights_pick_the_moving_part(tmp_path: Path, clicks: tuple[Path, np.ndarray]) -> None:
    still = make_clip(tmp_path / "still.mp4", 4, source="color=c=gray", audio=False)
    moving = make_clip(tmp_path / "moving.mp4", 3, audio=False)  # a bar (2.5 s) fits in it
    joined = tmp_path / "joined.mp4"
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-i",
            still,
            "-i",
            moving,
            "-filter_complex",
            "[0:v][1:v]concat=n=2:v=1[v]",
            "-map",
            "[v]",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            joined,
        ],
        check=True,
    )
    options = {"mode": "downbeats", "duration": Fraction(5, 2)}
    picked = beat_synced_project(BeatSyncRequest(clicks[0], [joined], pick="highlights", **options))
    in_order = beat_synced_project(BeatSyncRequest(clicks[0], [joined], pick="order", **options))
    assert in_order.project.main.clips[0].source_in == 0
    assert all(clip.source_in >= 4 for clip in picked.project.main.clips[:1])


def test_user_beats_survive_refreshing_the_analysis(
    tmp_path: Path, colour_clips: list[Path], clicks: tuple[Path, np.ndarray]
) -> None:
    project = beat_synced_project(BeatSyncRequest(clicks[0], colour_clips[:2])).project
    assert project.music is not None
    missing = project.music.beat_times()[4] + Fraction(3, 10)
    wrong = project.music.beat_times()[2]
    detected = len(project.music.grid.detected)
    project = remove_beat(add_beat(project, missing), wrong)
    path = save_project(project, tmp_path / "edit.studio.json")
    refreshed = refresh_beats(path)
    assert refreshed.music is not None and load_project(path) == refreshed
    beats = refreshed.music.beat_times()
    assert any(abs(b - missing) < Fraction(1, 1000) for b in beats)
    assert not any(abs(b - wrong) < Fraction(1, 20) for b in beats)
    assert len(refreshed.music.grid.detected) == detected and len(beats) == detected


def test_bars_start_where_the_user_says_and_have_the_length_given(
    colour_clips: list[Path], clicks: tuple[Path, np.ndarray]
) -> None:
    """`--bar-start` and `--beats-per-bar`: bar starts every third click from the click nearest
    the time given, and downbeat cuts on them."""
    times = clicks[1]
    request = BeatSyncRequest(
        clicks[0], colour_clips, mode="downbeats", bar_start=f"{times[5] + 0.1:.3f}",
        beats_per_bar=3, duration=Fraction(12),
    )  # fmt: skip
    project = beat_synced_project(request).project
    assert project.music is not None and project.music.grid.beats_per_bar == 3
    bars = np.array([float(t) for t in project.music.beat_times("downbeats")])
    expected = times[5 % 3 :: 3][: len(bars)]
    assert len(bars) >= 5 and np.abs(bars - expected).max() < 0.005
    cuts = cut_frames(project.main.clips, 30)[1:-1]
    assert cuts == [nearest_frame(Fraction(str(round(t, 4))), 30) for t in expected[: len(cuts)]]


def test_beatsync_command_and_saved_project(
    tmp_path: Path, colour_clips: list[Path], clicks: tuple[Path, np.ndarray]
) -> None:
    done = studio(
        "beatsync",
        "--music",
        clicks[0],
        *colour_clips,
        "-o",
        "out.mp4",
        "--every",
        "2",
        "--duration",
        "8",
        "--punch",
        "--transition",
        "whip:0.3",
        "--save-project",
        "p.studio.json",
        "--preset",
        "draft",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "ends on a bar" in done.stderr and "wrote" in done.stdout
    saved = json.loads((tmp_path / "p.studio.json").read_text(encoding="utf-8"))
    assert saved["version"] == VERSION and saved["effects"][0]["kind"] == "punch"
    joins = [item for item in saved["clips"] if item.get("type") == "transition"]
    assert joins and {(j["kind"], j["duration"]) for j in joins} == {("whip", "3/10")}
    assert len(saved["music"]["grid"]["detected"]) > 20
    again = studio("export", "p.studio.json", "-o", "again.mp4", "--preset", "draft", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert same_frames(tmp_path / "out.mp4", tmp_path / "again.mp4")


def test_beats_command(tmp_path: Path, clicks: tuple[Path, np.ndarray]) -> None:
    done = studio("beats", clicks[0], "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert abs(found["tempo"] - 97) < 0.5 and len(found["beats"]) >= 30
    assert {"downbeats", "onsets", "strengths", "energy", "sections", "meter"} <= set(found)
    text = studio("beats", clicks[0], cwd=tmp_path)
    assert text.returncode == 0 and "97.0 BPM" in text.stdout and text.stderr == ""
    assert found["steady"] is True and found["confidence"] > 0.8


def test_beats_command_warns_when_there_is_no_steady_beat(tmp_path: Path) -> None:
    speech = media("people/whisper/jfk.flac")
    done = studio("beats", speech, "--json", cwd=tmp_path)
    assert done.returncode == 0
    found = json.loads(done.stdout)
    assert found["steady"] is False and found["confidence"] < 0.25
    text = studio("beats", speech, cwd=tmp_path)
    assert text.returncode == 0 and "confidence" in text.stdout
    assert text.stderr.startswith("studio: warning: ") and "no steady beat" in text.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("beats", "notes.txt"), "not a media file"),
        (("beats", "silent.mp4"), "no audio stream"),
        (("beatsync", "--music", "silent.mp4", "silent.mp4", "-o", "x.mp4"), "no audio stream"),
        (("beatsync", "--music", "clicks.wav", "clicks.wav", "-o", "x.mp4"), "has no video"),
        (
            ("beatsync", "--music", "clicks.wav", "silent.mp4", "-o", "x.mp4", "--duration", "99"),
            "longer than the music",
        ),
        (
            ("beatsync", "--music", "clicks.wav", "silent.mp4", "-o", "x.mp4", "--start", "x"),
            "--start: must be a time in seconds, not 'x'",
        ),
        (
            ("beatsync", "--music", "clicks.wav", "silent.mp4", "-o", "x.mp4", "--strength", "3"),
            "--strength: must be between 0 and 1 (got 3)",
        ),
        (
            ("beats", "clicks.wav", "--bpm", "300"),
            "--bpm: must be between 50 and 220 BPM (got 300)",
        ),
        (
            ("beatsync", "--music", "clicks.wav", "silent.mp4", "-o", "x.mp4", "--bpm", "20"),
            "--bpm: must be between 50 and 220 BPM (got 20)",
        ),
        (
            (
                "beatsync",
                "--music",
                "clicks.wav",
                "silent.mp4",
                "-o",
                "x.mp4",
                "--beats-per-bar",
                "9",
            ),
            "--beats-per-bar: must be between 2 and 7 (got 9)",
        ),
        (
            ("beatsync", "--music", "clicks.wav", "silent.mp4", "-o", "x.mp4", "--bar-start", "x"),
            "--bar-start: must be a time in seconds, not 'x'",
        ),
    ],
)
def test_bad_beat_input_is_one_clear_line(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    make_clip(tmp_path / "silent.mp4", 3, audio=False)
    write_wav(tmp_path / "clicks.wav", click_track(120, 6)[0])
    done = studio(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_stretch_without_a_beat_is_named_in_the_notes(
    tmp_path: Path, colour_clips: list[Path]
) -> None:
    """16 s of 120 BPM clicks, then 16 s of a sustained tone: the track has a beat, its second
    half does not, and the beat-synced edit says where (the per-window confidence)."""
    from studio.app import BeatSyncRequest, beat_synced_project
    from tests.music import RATE, click_track, write_wav

    clicks, _ = click_track(120, 16.0)
    t = np.arange(16 * RATE) / RATE
    tone = 0.2 * np.sin(2 * np.pi * 220 * t) * (1 + 0.3 * np.sin(2 * np.pi * 0.37 * t))
    music = write_wav(tmp_path / "half.wav", np.concatenate([clicks, tone.astype(np.float32)]))
    result = beat_synced_project(BeatSyncRequest(music, colour_clips))
    weak = [note for note in result.notes if note.startswith("the beat is weak")]
    print(weak)
    assert len(weak) == 1
    start, end = [float(word) for word in weak[0].split() if word.replace(".", "").isdigit()][:2]
    assert 16 <= start <= 22 and end == pytest.approx(32, abs=0.1)
