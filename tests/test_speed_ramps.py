"""Speed ramps: speed keyed over a clip's media, the clip's length that follows, and the
picture and sound of an export that plays each moment of the file when the ramp says."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.app.render import export
from studio.errors import ProjectError
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from studio.io.project_file import load_project, save_project
from studio.model.edits import clip_of, split_clip
from studio.model.keys import Key, Keys
from studio.model.limits import CHOICES
from studio.model.speed import PIECES, PRESETS, preset_keys
from studio.model.time import nearest_frame
from studio.model.timeline import Canvas, Clip, Project, Track
from studio.render.presets import get_preset
from tests.helpers import inspect_output, mono_sound, studio

DRAFT = get_preset("draft")  # 540x960, 30 fps
STEP = 3  # pixels the counting clip's bar moves per frame


@pytest.fixture(scope="module")
def counting(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 s at 30 fps whose white bar counts its frames (it starts STEP pixels further right on
    each), with a tone that changes every second: 300 Hz, then 500 Hz, then 700 Hz."""
    path = tmp_path_factory.mktemp("ramp") / "counting.mp4"
    tone = "aevalsrc=sin(2*PI*(300+200*floor(t))*t):s=48000:d=3"
    argv = [
        ffmpeg_exe(),
        *("-v", "error", "-y", "-f", "lavfi"),
        *(
            "-i",
            f"nullsrc=s=320x568:r=30:d=3,geq=lum='if(between(X,{STEP}*N,{STEP}*N+2),235,16)':cb=128:cr=128",
        ),
        *("-f", "lavfi", "-i", tone, "-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv420p"),
        *("-c:a", "aac", "-b:a", "192k", "-shortest", str(path)),
    ]
    subprocess.run(argv, check=True, timeout=120)
    return path


def _ramped(path: Path, name: str = "bullet", sound: str = "pitch") -> Clip:
    clip = clip_of(probe(path))
    clip = replace(clip, source_out=Fraction(3) - Fraction(1, 10))
    return replace(clip, ramp=preset_keys(name, clip.source_in, clip.source_out), ramp_sound=sound)


def _source_frames(path: Path) -> np.ndarray:
    """Which frame of the counting clip each frame of `path` shows (from where its bar is,
    the picture brought back to the clip's 320 pixels of width)."""
    decode = ["-vf", "scale=320:568", "-f", "rawvideo", "-pix_fmt", "gray", "-"]
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), *decode],
        capture_output=True,
        check=True,
    ).stdout
    rows = np.frombuffer(raw, np.uint8).reshape(-1, 568, 320)[:, 200:360].astype(float)
    columns = np.clip(rows.mean(axis=1) - 60, 0, None)
    centre = (columns * np.arange(320)).sum(axis=1) / columns.sum(axis=1)
    return (centre - 1) / STEP


def _pitch(sound: np.ndarray, at: float) -> float:
    """The strongest frequency in 0.1 s of sound around `at` seconds."""
    part = sound[int((at - 0.05) * 48000) : int((at + 0.05) * 48000)].astype(float)
    spectrum = np.abs(np.fft.rfft(part * np.hanning(len(part))))
    return float(np.fft.rfftfreq(len(part), 1 / 48000)[int(np.argmax(spectrum))])


def test_presets_are_the_choices_the_limits_table_offers() -> None:
    assert tuple(PRESETS) == CHOICES["clip.ramp"].values


def test_a_ramps_length_is_the_integral_of_one_over_its_speed(counting: Path) -> None:
    """1x -> 0.5x (linear) over 2 s of media -> 1x: 2 s at an average 1/speed of 1.39 (the
    integral of 1/(1 - t/4) over 0..2), so the clip lasts 0.5 + 2.77 + 0.5 s."""
    clip = clip_of(probe(counting))
    keys = Keys((Key(Fraction(1, 2), 1.0), Key(Fraction(3, 2), 0.5), Key(Fraction(5, 2), 1.0)))
    ramped = replace(clip, ramp=keys)
    exact = 0.5 + 2 * 2 * np.log(2) + 0.5  # 1/(1 - s/2) integrated over 0..1, twice
    assert abs(float(ramped.duration) - exact) < 0.01
    for inside in (Fraction(0), Fraction(1), Fraction(2), Fraction(3)):
        assert abs(ramped.timeline_at(ramped.source_at(inside)) - inside) < Fraction(1, 10**5)
    assert ramped.source_at(ramped.duration) == pytest.approx(float(ramped.source_out), abs=1e-5)
    assert ramped.top_speed == 1 and len(ramped.time_map.starts) <= 2 * PIECES + 2


def test_a_split_ramped_clip_plays_as_before_and_the_file_keeps_the_ramp(
    counting: Path, tmp_path: Path
) -> None:
    clip = _ramped(counting, "hero", "mute")
    project = Project(Canvas(540, 960, 30), Track((clip,)))
    halves = split_clip(project, Fraction(2)).main.clips
    assert len(halves) == 2 and abs(halves[0].duration - 2) < Fraction(1, 10**5)
    assert abs(sum(c.duration for c in halves) - clip.duration) < Fraction(1, 10**5)
    save_project(project, tmp_path / "r.studio.json")
    loaded = load_project(tmp_path / "r.studio.json").main.clips[0]
    assert loaded.ramp == clip.ramp and loaded.ramp_sound == "mute"
    assert loaded.duration == clip.duration


def test_ramp_values_and_stills_are_checked(counting: Path, tmp_path: Path) -> None:
    clip = clip_of(probe(counting))
    with pytest.raises(ProjectError, match=r"between 0\.25 and 4"):
        replace(clip, ramp=Keys((Key(Fraction(0), 1.0), Key(Fraction(1), 9.0))))
    picture = tmp_path / "still.png"
    argv = [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "color=c=red:s=64x64"]
    subprocess.run([*argv, "-frames:v", "1", str(picture)], check=True, timeout=60)
    with pytest.raises(ProjectError, match="no motion to ramp"):
        replace(clip_of(probe(picture)), ramp=Keys((Key(Fraction(0), 2.0),)))
    with pytest.raises(ProjectError, match="pitch, mute"):
        replace(clip, ramp_sound="reverse")  # type: ignore[arg-type]
    save_project(Project(Canvas(540, 960, 30), Track((clip,))), tmp_path / "p.studio.json")
    document = json.loads((tmp_path / "p.studio.json").read_text(encoding="utf-8"))
    document["clips"][0]["ramp"] = [[0, 1, "linear"], [1, 0.1, "linear"]]
    (tmp_path / "p.studio.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ProjectError, match=r"clips\[0\]\.ramp"):
        load_project(tmp_path / "p.studio.json")


def test_an_export_shows_each_moment_of_the_file_when_the_ramp_says(
    counting: Path, tmp_path: Path
) -> None:
    """A bullet ramp (3x, eased down to 0.25x and back up): the export has the ramp's frame
    count, each frame shows the source frame the ramp maps it to (within its slot), and the
    sound keeps its pitch and its moments: 500 Hz plays exactly while media second 1-2 shows."""
    clip = _ramped(counting)
    project = Project(Canvas(540, 960, 30), Track((clip,)))
    out = export(project, tmp_path / "ramp.mp4", DRAFT).output
    frames = nearest_frame(clip.duration, 30)
    probed = inspect_output(out)
    assert probed.frames == frames and probed.audio_samples == frames * 1600
    shown = _source_frames(out)
    wanted = np.array([float(clip.source_at(Fraction(k, 30))) * 30 for k in range(frames)])
    # A frame's slot spans `speed` source frames and the fps filter shows one of them, as at
    # one speed (a plain 0.25x clip lags by up to 0.76 frames, a 3x one leads by 1.1).
    speeds = np.array([clip.time_map.speed_at(w / 30) for w in wanted])
    off = np.abs(shown - wanted) - (0.8 + speeds / 2)
    assert (off <= 0).all(), [(k, shown[k], wanted[k], speeds[k]) for k in np.flatnonzero(off > 0)]
    at_one_speed = np.linspace(0, wanted[-1], frames)  # what a plain speed change would show
    assert np.abs(at_one_speed - wanted).max() > 10
    sound = mono_sound(out)
    for media_second, hertz in ((0.5, 300), (1.5, 500), (2.5, 700)):
        at = float(clip.timeline_at(Fraction(str(media_second))))
        assert abs(_pitch(sound, at) - hertz) < 25, (media_second, _pitch(sound, at))


def test_a_muted_ramp_is_silent_and_keeps_its_length(counting: Path, tmp_path: Path) -> None:
    clip = _ramped(counting, "flash in", "mute")
    project = Project(Canvas(540, 960, 30), Track((clip,)))
    out = export(project, tmp_path / "mute.mp4", DRAFT).output
    frames = nearest_frame(clip.duration, 30)
    assert inspect_output(out).audio_samples == frames * 1600
    assert float(np.abs(mono_sound(out)).max()) < 1e-3


def test_studio_set_ramps_a_clip_and_names_a_bad_preset(counting: Path, tmp_path: Path) -> None:
    project = tmp_path / "p.studio.json"
    assert studio("new", project, counting).returncode == 0
    clip_id = load_project(project).main.clips[0].id
    done = studio("set", project, clip_id, "--speed-ramp", "montage")
    assert done.returncode == 0, done.stderr
    ramped = load_project(project).main.clips[0]
    assert ramped.ramp == preset_keys("montage", ramped.source_in, ramped.source_out)
    assert ramped.duration < Fraction(3)  # montage runs faster than 1x on the whole
    keyed = studio("set", project, clip_id, "--speed-ramp", "none", "--key", "1:speed=0.5")
    assert keyed.returncode == 0, keyed.stderr
    assert load_project(project).main.clips[0].ramp.keys == (Key(Fraction(1), 0.5),)
    bad = studio("set", project, clip_id, "--speed-ramp", "warp")
    assert bad.returncode == 2 and "--speed-ramp" in bad.stderr and "bullet" in bad.stderr
    slow = studio("set", project, clip_id, "--key", "1:speed=0.1")
    assert slow.returncode != 0 and "between 0.25 and 4" in slow.stderr
    assert "Traceback" not in slow.stderr
