"""The `studio` command as a new user runs it: new, export, batch, frame, OTIO, demo, errors."""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from studio.io.project_schema import VERSION
from tests.helpers import all_frames, inspect_output, loudness, make_clip, media, studio

REPO = Path(__file__).resolve().parents[1]


def top_level_boxes(path: Path) -> list[str]:
    """MP4 top-level box names in file order (faststart puts moov before mdat)."""
    names, data, offset = [], path.read_bytes(), 0
    while offset + 8 <= len(data):
        size, name = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        names.append(name.decode("latin-1"))
        offset += size if size else len(data)
    return names


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    out = folder / "edit.studio.json"
    done = studio(
        "new",
        out,
        media("jsonize-ffmpeg-task/iphone_rotated.mov"),
        media("moviepy/example3.mp4"),
        "--music",
        media("madmom/sample.wav"),
        "--fit",
        "blur",
    )
    assert done.returncode == 0, done.stderr
    return out


def test_new_writes_a_project(project: Path) -> None:
    document = json.loads(project.read_text(encoding="utf-8"))
    assert document["schema"] == "studio.project" and document["version"] == VERSION
    assert [c["fit"]["mode"] for c in document["clips"]] == ["blur", "blur"]
    assert document["music"]["media"]["path"].endswith("madmom/sample.wav")


def test_export_tiktok_preset_delivers_the_platform_format(project: Path) -> None:
    out = project.parent / "tiktok.mp4"
    done = studio("export", project, "-o", out, "--preset", "tiktok")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # not a terminal: no progress bar, no noise
    found = inspect_output(out)
    assert (found.width, found.height, found.video_codec) == (1080, 1920, "h264")
    assert found.profile == "High" and found.pix_fmt == "yuv420p"
    assert found.color.startswith("tv, bt709")
    assert found.frame_gaps == {round(1 / 30, 6)}
    planned = round((2.202 + 2.012) * 30)  # the two clips, whole
    assert abs(found.frames - planned) <= 1
    assert found.audio_rate == 48000 and found.audio_channels == 2
    assert found.audio_samples == found.frames * 1600
    audio_line = found.header.split("Audio:", 1)[1].splitlines()[0]
    assert 150 <= int(re.search(r"(\d+) kb/s", audio_line).group(1)) <= 230  # type: ignore[union-attr]
    boxes = top_level_boxes(out)
    assert boxes.index("moov") < boxes.index("mdat")
    integrated, peak = loudness(out)
    assert abs(integrated + 14) <= 1 and peak <= -1.0


def test_export_otio(project: Path) -> None:
    import opentimelineio as otio

    out = project.parent / "edit.otio"
    assert studio("export", project, "--otio", out).returncode == 0
    timeline = otio.adapters.read_from_file(str(out))
    video, music = timeline.tracks
    assert [c.name.split(" ", 1)[1] for c in video] == ["iphone_rotated.mov", "example3.mp4"]
    assert abs(video.duration().to_seconds() - (2.202 + 2.012)) < 0.01
    assert music.kind == otio.schema.TrackKind.Audio
    assert video[0].media_reference.target_url.startswith("file://")


def test_frame_png(project: Path) -> None:
    out = project.parent / "frame.png"
    done = studio("frame", project, "--at", "3.0", "-o", out, "--size", "270x480")
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", out.read_bytes()[16:24]) == (270, 480)


def test_batch_runs_all_and_reports_failures(project: Path, tmp_path: Path) -> None:
    good2 = tmp_path / "second.studio.json"
    clip = make_clip(tmp_path / "clip.mp4", 1.5)
    assert studio("new", good2, clip).returncode == 0
    broken = tmp_path / "broken.studio.json"
    broken.write_text('{"schema": "studio.project", "version": 1}', encoding="utf-8")
    done = studio(
        "batch",
        project,
        broken,
        good2,
        "--out-dir",
        tmp_path / "out",
        "--jobs",
        "2",
        "--preset",
        "draft",
        "--json",
    )
    assert done.returncode == 1, done.stderr
    rows = {Path(r["project"]).name: r for r in json.loads(done.stdout)}
    assert rows["edit.studio.json"]["status"] == "ok"
    assert rows["second.studio.json"]["status"] == "ok"
    assert rows["broken.studio.json"]["status"] == "failed"
    assert "canvas: missing" in rows["broken.studio.json"]["error"]
    assert inspect_output(Path(rows["second.studio.json"]["output"])).frames == 45
    assert all(r["seconds"] >= 0 for r in rows.values())


def test_batch_text_summary(project: Path, tmp_path: Path) -> None:
    done = studio("batch", project, "--out-dir", tmp_path, "--preset", "draft")
    assert done.returncode == 0 and "1 exported, 0 failed" in done.stdout


def test_demo_renders_the_bundled_edit(tmp_path: Path) -> None:
    done = studio("demo", "-o", "demo.mp4", "--preset", "draft", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found = inspect_output(tmp_path / "demo.mp4")
    assert (found.width, found.height, found.frames) == (540, 960, 480)
    integrated, _ = loudness(tmp_path / "demo.mp4")
    assert abs(integrated + 14) <= 1
    assert "ends on a bar at 16.00 s" in done.stderr
    frames = all_frames(tmp_path / "demo.mp4", (54, 96)).astype(float)
    change = np.abs(np.diff(frames, axis=0)).mean(axis=(1, 2, 3))
    cuts = sorted(int(i) + 1 for i in np.argsort(change)[-15:])
    assert cuts == list(range(30, 480, 30))  # a cut every two beats of the 120 BPM loop


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("export", "nope.studio.json", "-o", "x.mp4"), "project file not found"),
        (("new", "x.studio.json", "missing.mp4"), "missing.mp4: file not found"),
        (("new", "x.json", "missing.mp4"), "end in .studio.json"),
        (("frame", "nope.studio.json", "--at", "1", "-o", "f.png", "--size", "9x9"), "size"),
        (("export", "nope.studio.json"), "give -o"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    done = studio(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_export_refuses_to_overwrite_an_input(project: Path) -> None:
    source = json.loads(project.read_text(encoding="utf-8"))["clips"][1]["media"]["path"]
    done = studio("export", project, "-o", project.parent / source)
    assert done.returncode == 2 and "overwrite an input" in done.stderr


def test_help_is_quick_and_imports_nothing_heavy() -> None:
    code = (
        "import sys, studio.cli; studio.cli.build_parser(); "
        "print(sorted(m for m in ('numpy', 'librosa', 'cv2', 'PySide6', 'ffmpeg', "
        "'opentimelineio') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, encoding="utf-8")
    assert done.stdout.strip() == "[]"
    assert studio("--help").returncode == 0


def test_export_warns_outside_platform_limits(tmp_path: Path) -> None:
    project = tmp_path / "short.studio.json"
    assert studio("new", project, make_clip(tmp_path / "c.mp4", 1.5)).returncode == 0
    done = studio("export", project, "-o", tmp_path / "short.mp4", "--preset", "draft")
    assert done.returncode == 0
    assert "studio: warning: duration: 1.5 s is outside the platforms' 3-600 s" in done.stderr
    assert "size: 540x960" not in done.stderr  # draft is a preview size, but within 360-4096


def test_the_demo_media_is_package_data() -> None:
    """A wheel or an installed app carries the demo: it sits inside the package."""
    import studio
    from studio.app import demo_folder

    folder = demo_folder()
    assert folder.is_relative_to(Path(studio.__file__).parent)
    assert sorted(p.name for p in folder.iterdir()) == [
        "cells.mp4",
        "fractal.mp4",
        "life.mp4",
        "loop120.m4a",
        "waves.mp4",
    ]


def test_export_uses_the_project_s_preset_unless_told_otherwise(tmp_path: Path) -> None:
    from dataclasses import replace

    from studio.io.project_file import load_project, save_project

    project = tmp_path / "p.studio.json"
    assert studio("new", project, make_clip(tmp_path / "c.mp4", 1)).returncode == 0
    save_project(replace(load_project(project), preset="draft"), project)
    assert studio("export", project, "-o", tmp_path / "draft.mp4").returncode == 0
    assert inspect_output(tmp_path / "draft.mp4").width == 540
    told = studio("export", project, "-o", tmp_path / "full.mp4", "--preset", "reels")
    assert told.returncode == 0 and inspect_output(tmp_path / "full.mp4").width == 1080
