"""Compile and argv are pure: golden argv, no path in the filter string, same in every process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

from studio.model.timeline import Fit, Project
from studio.render.audio import Loudness
from studio.render.command import Command, export_command, frame_command, measure_command
from studio.render.plan import Frame, Plan, make_plan
from studio.render.presets import Preset, get_preset
from tests.factories import clip, project, ref, sample_project

GOLDEN = Path(__file__).parent / "golden"
LOUDNESS = Loudness(-20.5, -3.2, 6.1)


def _plan(edit: Project, preset: Preset) -> Plan:
    frame = Frame(preset.width, preset.height, preset.frame_rate(edit.canvas.fps))
    return make_plan(edit, frame, Path("/cache/images"))  # pure: nothing is drawn or read


def _export(edit: Project, preset: Preset, output: str, loudness: Loudness | None) -> Command:
    return export_command(edit, _plan(edit, preset), preset, output, loudness)


def _export_argv() -> list[str]:
    return _export(sample_project(), get_preset("tiktok"), "/out/edit.mp4", LOUDNESS).argv


def _check_golden(name: str, argv: list[str]) -> None:
    path = GOLDEN / name
    if os.environ.get("STUDIO_UPDATE_GOLDEN"):
        path.write_text(json.dumps(argv, indent=1) + "\n", encoding="utf-8")
    assert argv == json.loads(path.read_text(encoding="utf-8")), (
        f"argv changed; review, then regenerate {path}"
    )


def test_export_argv_matches_golden() -> None:
    _check_golden("export_tiktok.json", _export_argv())


def test_measure_and_frame_argv_match_golden() -> None:
    edit = sample_project()
    _check_golden("measure.json", measure_command(edit, _plan(edit, get_preset("tiktok"))))
    preview = make_plan(edit, Frame(540, 960, edit.canvas.fps), Path("/cache/images"))
    frame = frame_command(edit, preview, Fraction(3), "/out/frame.png")
    _check_golden("frame.json", frame)


def test_export_plan_counts_frames_exactly() -> None:
    command = _export(sample_project(), get_preset("tiktok"), "/out/x.mp4", LOUDNESS)
    assert command.frames == 75 + 60 + 60 and command.duration == 6.5


def test_argv_is_the_same_in_every_process() -> None:
    code = (
        "import json; from tests.test_command import _export_argv; "
        "print(json.dumps(_export_argv()))"
    )
    runs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            encoding="utf-8",
            env=env,
            check=True,
            cwd=Path(__file__).parents[1],
        )
        runs.add(done.stdout)
    assert len(runs) == 1 and json.loads(runs.pop()) == _export_argv()


def test_paths_never_enter_the_filter_string() -> None:
    nasty = "/media/it's [a] clip, 100%; x=1:y='2' ünïcødé\\.mov"
    edit = project(
        clip(ref(nasty), 0, 2, fit=Fit("pad", pad_color="#abcdef")),
        clip(ref(nasty, audio=False), 3, 4),
    )
    argv = _export(edit, get_preset("draft"), "/out/o [1]:2.mp4", None).argv
    graph = argv[argv.index("-filter_complex") + 1]
    assert "clip" not in graph and "ü" not in graph and "100%" not in graph
    assert argv.count("file:" + nasty) == 2  # opened once per distinct range, as argv items
    assert argv[-1] == "file:/out/o [1]:2.mp4"


def test_same_range_twice_is_opened_once_and_split() -> None:
    edit = project(clip(start=0, end=2), clip(start=0, end=2), clip(start=0, end=2))
    argv = _export(edit, get_preset("draft"), "/out/o.mp4", None).argv
    graph = argv[argv.index("-filter_complex") + 1]
    assert argv.count("-i") == 1 and "split=3" in graph and "asplit=3" in graph


def test_global_options_come_before_inputs() -> None:
    argv = _export_argv()
    assert argv.index("-progress") < argv.index("-i") and argv.index("-y") < argv.index("-i")


def test_background_argv_matches_golden() -> None:
    """A clip with its background replaced: the mask and the picture join as two more inputs
    of the one graph (5 without them)."""

    from studio.model.prepared import PERSON
    from studio.model.timeline import Background

    edit = sample_project()
    first, *rest = edit.main.clips
    behind = Background("image", path="/media/beach.png", feather=0.5)
    edit = edit.with_clips((first.with_effect(behind), *rest))
    preset = get_preset("tiktok")
    frame = Frame(preset.width, preset.height, 30)
    masks = {PERSON + first.id: Path("/cache/masks/first.mkv")}
    plan = make_plan(edit, frame, Path("/cache/images"), masks)
    argv = export_command(edit, plan, preset, "/out/edit.mp4", LOUDNESS).argv
    _check_golden("export_background.json", argv)
    assert argv.count("-i") == 7 and "alphamerge" in argv[argv.index("-filter_complex") + 1]
