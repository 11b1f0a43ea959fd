"""Project files: round trip, relative paths, clear field errors, upgrades, crash-safe saves."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from studio.errors import ProjectError
from studio.io import project_file
from studio.io.project_file import backup_path, load_project, save_project
from studio.model.timeline import (
    Background,
    BeatGrid,
    Beauty,
    FaceBlur,
    FrameEffect,
    Look,
    MediaRef,
    Project,
    Sticker,
)
from tests.factories import sample_project
from tests.music import click_track, write_wav


def _with_files(folder: Path) -> Project:
    """The sample project pointed at real (empty) files inside `folder`."""
    base = sample_project()
    (folder / "media").mkdir()

    def moved(media: MediaRef) -> MediaRef:
        target = folder / "media" / Path(media.path).name
        target.touch()
        return media.__class__(**{**media.__dict__, "path": str(target)})

    clips = tuple(c.__class__(**{**c.__dict__, "media": moved(c.media)}) for c in base.main.clips)
    assert base.music is not None
    music = base.music.__class__(**{**base.music.__dict__, "media": moved(base.music.media)})
    return Project(base.canvas, base.main.__class__(clips), music, base.markers)


def test_round_trip_is_exact(tmp_path: Path) -> None:
    project = _with_files(tmp_path)
    path = save_project(project, tmp_path / "edit.studio.json")
    assert load_project(path) == project


def test_media_paths_are_relative_so_folders_move(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    save_project(_with_files(tmp_path / "a"), tmp_path / "a" / "edit.studio.json")
    stored = json.loads((tmp_path / "a" / "edit.studio.json").read_text(encoding="utf-8"))
    assert stored["clips"][0]["media"]["path"] == "media/phone clip.mov"
    shutil.move(tmp_path / "a", tmp_path / "b")
    moved = load_project(tmp_path / "b" / "edit.studio.json")
    assert moved.main.clips[0].media.path == str(tmp_path / "b" / "media" / "phone clip.mov")


def test_missing_media_is_named(tmp_path: Path) -> None:
    path = save_project(_with_files(tmp_path), tmp_path / "edit.studio.json")
    (tmp_path / "media" / "b.mp4").unlink()
    with pytest.raises(ProjectError, match=r"missing media: .*b\.mp4"):
        load_project(path)


def _document(tmp_path: Path) -> dict:  # type: ignore[type-arg]
    path = save_project(_with_files(tmp_path), tmp_path / "edit.studio.json")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["canvas"].update(fps=29),
            "canvas.fps: must be one of 24, 25, 30, 50, 60",
        ),
        (lambda d: d["clips"][1].update(out="0"), "clips[1].out: must be after 'in'"),
        (
            lambda d: d["clips"][0].update(speed="9"),
            "clips[0].speed: must be between 0.25 and 4",
        ),
        (lambda d: d["clips"][0]["fit"].update(pad_color="red"), "clips[0].fit.pad_color"),
        (lambda d: d["clips"][2].update(volume="loud"), "clips[2].volume: must be"),
        (lambda d: d["clips"][0].pop("media"), "clips[0].media: missing"),
        (lambda d: d["clips"][0].update({"in": "soon"}), "clips[0].in: not a time"),
        (lambda d: d.update(clips={}), "clips: must be a list"),
        (lambda d: d["music"].update(gain_db=99), "music.gain_db"),
    ],
)
def test_bad_fields_are_named(tmp_path: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    document = _document(tmp_path)
    change(document)
    path = tmp_path / "bad.studio.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ProjectError) as caught:
        load_project(path)
    assert message in caught.value.message
    assert caught.value.field == message.split(":")[0]  # the field, for the app to highlight
    assert caught.value.path == str(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ('{"schema": "other"}', "not a studio project"),
        ('{"schema": "studio.project", "version": 99}', "made by a newer studio"),
        ('{"schema": "studio.project", "version": "1"}', "version: missing"),
    ],
)
def test_unreadable_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "x.studio.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProjectError, match=message):
        load_project(path)


def test_version_1_file_loads_with_an_empty_beat_grid(tmp_path: Path) -> None:
    """A file written before beat sync (version 1: no grid, no effects) loads unchanged."""
    document = _document(tmp_path)
    write_wav(tmp_path / "music.wav", click_track(120, 3)[0])
    media = {"path": "music.wav", "duration": "3", "has_video": False, "has_audio": True}
    document["music"] = {"media": media, "offset": "0"}
    document.pop("effects", None)
    path = tmp_path / "v1.studio.json"
    path.write_text(json.dumps({**document, "version": 1}), encoding="utf-8")
    project = load_project(path)
    assert project.music is not None and project.music.grid == BeatGrid()
    assert project.effects == () and len(project.main.clips) == 3


def test_old_versions_upgrade_step_by_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend the format moved one version on by renaming "clips": version 1 files still load,
    through every upgrade and the new one."""
    from studio.io import project_schema

    document = _document(tmp_path)
    path = tmp_path / "old.studio.json"
    path.write_text(json.dumps({**document, "version": 1}), encoding="utf-8")
    seen = []
    latest = project_schema.VERSION

    def upgrade_to_next(old: dict, folder: Path) -> dict:  # type: ignore[type-arg]
        seen.append(old["version"])
        return {**old, "clips_next": old.pop("clips")}

    def read_next(document: dict, base: Path, file: Path | None = None) -> Project:  # type: ignore[type-arg]
        return original({**document, "clips": document["clips_next"]}, base, file)

    original = project_schema.project_from_dict
    monkeypatch.setattr(project_schema, "VERSION", latest + 1)
    monkeypatch.setattr(project_file, "VERSION", latest + 1)
    monkeypatch.setattr(project_file, "project_from_dict", read_next)
    monkeypatch.setitem(project_file.UPGRADES, latest, upgrade_to_next)
    assert len(load_project(path).main.clips) == 3 and seen == [latest]


def test_version_4_files_get_the_default_preset_and_a_preset_is_kept(tmp_path: Path) -> None:
    document = _document(tmp_path)
    document.pop("preset", None)
    path = tmp_path / "v4.studio.json"
    path.write_text(json.dumps({**document, "version": 4}), encoding="utf-8")
    project = load_project(path)
    assert project.preset == ""
    save_project(replace(project, preset="reels"), path)
    assert load_project(path).preset == "reels"


def test_version_3_files_get_clip_ids(tmp_path: Path) -> None:
    """Files from before clip ids load with a distinct id for every clip, duet sides too (a
    duet is now the original on the main track and yours on the track "yours")."""
    document = _document(tmp_path)
    for entry in document["clips"]:
        del entry["id"]
    document["version"] = 3
    document["duet"] = {
        "original": {**document["clips"][0]},
        "yours": {**document["clips"][1]},
        "duration": "2",
    }
    document["clips"] = []
    path = tmp_path / "v3.studio.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    project = load_project(path)
    (yours,) = project.layers
    assert yours.id == "yours" and project.main.ducked_by == "yours"
    ids = {project.main.clips[0].id, yours.clips[0].id}
    assert len(ids) == 2 and all(len(i) == 12 for i in ids)
    saved = json.loads((tmp_path / "edit.studio.json").read_text(encoding="utf-8"))["clips"]
    document["duet"] = None
    document["clips"] = [{k: v for k, v in entry.items() if k != "id"} for entry in saved]
    path.write_text(json.dumps(document), encoding="utf-8")
    assert len({clip.id for clip in load_project(path).main.clips}) == 3


def test_a_duet_with_missing_media_is_refused_at_load(tmp_path: Path) -> None:
    document = _document(tmp_path)
    original, yours = document["clips"][0], document["clips"][1]
    document.update(clips=[], duet={"original": original, "yours": yours, "duration": "2"})
    document["version"] = 13  # the last format with a duet of its own
    (tmp_path / "media" / "b.mp4").unlink()
    path = tmp_path / "duet.studio.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ProjectError, match=r"missing media: .*b\.mp4"):
        load_project(path)


def test_loading_executes_nothing(tmp_path: Path) -> None:
    document = _document(tmp_path)
    document["clips"][0]["media"]["path"] = "__import__('os').system('touch pwned')"
    document["__class__"] = "os.system"
    path = tmp_path / "evil.studio.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ProjectError, match="missing media"):
        load_project(path)
    assert not Path("pwned").exists() and not (tmp_path / "pwned").exists()


def test_save_keeps_a_backup(tmp_path: Path) -> None:
    project = _with_files(tmp_path)
    path = save_project(project, tmp_path / "edit.studio.json")
    first = path.read_text(encoding="utf-8")
    save_project(project.with_clips(project.main.clips[:1]), path)
    assert backup_path(path).read_text(encoding="utf-8") == first
    assert len(load_project(path).main.clips) == 1


@pytest.mark.parametrize("fail_at", [1, 2])
def test_crash_during_save_leaves_a_loadable_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    """Kill the save at each rename (backup, then the project itself): the old file survives."""
    project = _with_files(tmp_path)
    path = save_project(project, tmp_path / "edit.studio.json")
    before = path.read_bytes()
    calls = {"n": 0}
    real_replace = os.replace

    def crashing_replace(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError("power cut")
        real_replace(src, dst)

    monkeypatch.setattr(project_file.os, "replace", crashing_replace)
    with pytest.raises(OSError):
        save_project(project.with_clips(project.main.clips[:1]), path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert load_project(path) == project
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_clip_background_round_trips_with_a_relative_path(tmp_path: Path) -> None:
    from studio.model.timeline import Background

    edit = sample_project()
    beach = Background("image", path=str(tmp_path / "pictures" / "beach.png"), feather=0.5)
    clips = (edit.main.clips[0].with_effect(beach), *edit.main.clips[1:])
    path = save_project(edit.with_clips(clips), tmp_path / "bg.studio.json")
    (stored,) = json.loads(path.read_text(encoding="utf-8"))["clips"][0]["effects"]
    assert stored["effect"] == "background" and stored["kind"] == "image"
    assert stored["path"] == "pictures/beach.png"
    loaded = load_project(path, check_media=False)
    assert loaded.main.clips[0].background == beach and loaded.main.clips[1].background is None


def test_a_bad_background_names_its_field(tmp_path: Path) -> None:
    document = _document(tmp_path)
    document["clips"][1]["effects"] = [{"effect": "background", "kind": "sparkles"}]
    path = tmp_path / "bad.studio.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ProjectError, match=r"clips\[1\]\.effects\[0\]\.kind"):
        load_project(path)
    document["clips"][1]["effects"] = [{"effect": "glitter"}]
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ProjectError, match=r"effects\[0\]\.effect: must be one of frame, backgr"):
        load_project(path)


def test_version_12_effect_slots_become_the_list_in_the_order_they_were_drawn(
    tmp_path: Path,
) -> None:
    """A clip saved with one slot per effect opens with them listed: per-frame effects, then
    background, skin smoothing, face blur, sticker and look (the order the render drew them)."""
    document = _document(tmp_path)
    old = document["clips"][0]
    del old["effects"]
    old |= {
        "look": {"name": "warm", "intensity": 0.5},
        "faces": {"which": "others"},
        "beauty": 0.4,
        "sticker": {"path": "studio:glasses", "anchor": "eyes", "size": 1.2},
        "background": {"kind": "color", "color": "#00FF00"},
        "frame_effects": [{"name": "oil", "amount": 0.7, "options": {}}],
    }
    document["version"] = 12
    path = tmp_path / "old.studio.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    clip = load_project(path).main.clips[0]
    assert clip.effects == (
        FrameEffect("oil", 0.7),
        Background("color", color="#00ff00"),
        Beauty(0.4),
        FaceBlur("others"),
        Sticker("studio:glasses", "eyes", 1.2),
        Look("warm", 0.5),
    )


def test_the_users_bar_edits_round_trip_and_older_files_have_none(tmp_path: Path) -> None:
    from fractions import Fraction

    project = _with_files(tmp_path)
    assert project.music is not None
    beats = tuple(Fraction(n, 2) for n in range(1, 20))
    grid = BeatGrid(120.0, 4, beats, beats[::4], bar_start=Fraction(3, 2), bar_length=3)
    project = replace(project, music=replace(project.music, grid=grid))
    path = save_project(project, tmp_path / "bars.studio.json")
    assert load_project(path) == project
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["music"]["grid"]["bar_start"] == 1.5
    for key in ("bar_start", "bar_length"):
        del document["music"]["grid"][key]
    path.write_text(json.dumps({**document, "version": 8}), encoding="utf-8")
    old = load_project(path).music
    assert old is not None and old.grid.bar_start is None and old.grid.bar_length == 0
    assert old.grid.bar_starts == beats[::4]
    for key, value, message in [
        ("bar_length", 9, "music.grid.bar_length: must be between 2 and 7"),
        ("bar_start", -1, "music.grid.bar_start: must be a time in seconds"),
        ("bar_start", "1.5", "music.grid.bar_start: must be"),
    ]:
        bad = json.loads(json.dumps(document))
        bad["music"]["grid"][key] = value
        path.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(ProjectError, match=message):
            load_project(path)


EXTREMES = (-1e308, 1e308, -1, 0, 1e20, "1e308", "-1e308", 10**400, -(10**400))


def _numbers(node: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """The place of every number (or time written as text) in a project document."""
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in _numbers(value, (*path, key))]
    if isinstance(node, list):
        return [p for i, value in enumerate(node) for p in _numbers(value, (*path, i))]
    if isinstance(node, int | float) and not isinstance(node, bool):
        return [path]
    numeric = isinstance(node, str) and node.lstrip("-").replace(".", "", 1).isdigit()
    return [path] if numeric else []


def test_any_number_a_file_can_hold_loads_or_is_refused_by_name(tmp_path: Path) -> None:
    """Every number of a project file set to values no editor writes: the file is refused
    with one ProjectError, or it loads and exports to OTIO, is validated and timed. Nothing
    else (an OverflowError deep in an export was the fault)."""
    from studio.interchange.otio import to_otio
    from studio.model.timeline import cut_frames
    from studio.model.validate import problems

    document = _document(tmp_path)
    places = _numbers(document)
    assert len(places) > 30
    refused = loaded = 0
    for place in places:
        for value in EXTREMES:
            changed = json.loads(json.dumps(document))
            node = changed
            for step in place[:-1]:
                node = node[step]
            node[place[-1]] = value
            path = tmp_path / "mutated.studio.json"
            path.write_text(json.dumps(changed), encoding="utf-8")
            try:
                project = load_project(path, check_media=False)
            except ProjectError as error:
                assert error.field or error.path, (place, value)
                refused += 1
                continue
            to_otio(project)
            problems(project)
            cut_frames(project.main.clips, project.canvas.fps)
            assert float(project.duration) < 1e7, (place, value)
            loaded += 1
    assert refused and loaded  # both kinds of outcome were seen


def test_every_declared_field_round_trips(tmp_path: Path) -> None:
    """A project using every kind of item, effect, transform part and timing reads back equal:
    the codec walks the model's declarations, so no field can be forgotten by hand."""
    from fractions import Fraction

    from studio.model.keys import Key, Keys
    from studio.model.speed import preset_keys
    from studio.model.timeline import Gap, Track, Transition
    from studio.model.transform import ChromaKey, Mask, Transform

    edit = _with_files(tmp_path)
    first, second, third = edit.main.clips
    moving = Keys((Key(Fraction(0), 0.2, "in-out"), Key(Fraction(1), 0.8, "hold")))
    transform = Transform(
        x=0.3, scale=0.4, rotation=12, opacity=0.7, crop_left=0.1, keys=(("x", moving),),
        blend="screen", mask=Mask("rounded", 0.2, 0.1), chroma=ChromaKey("#0000ff", 0.2),
    )  # fmt: skip
    effects = (
        FrameEffect("moviepy:Margin", 1.0, (("margin_size", 8), ("color", (255, 0, 0)))),
        Background("image", path=str(tmp_path / "beach.png")),
        Beauty(0.3),
        FaceBlur("others", 0.5),
        Sticker("studio:glasses", "nose", 1.5),
        Look("warm", 0.6),
    )
    ramped = replace(first, ramp=preset_keys("hero", first.source_in, first.source_out))
    main = Track((ramped.with_effect(Look("noir")), Transition("whip", Fraction(1, 3)), second))
    overlay = Track(
        (Gap(Fraction(1)), replace(third, transform=transform, effects=effects)),
        "video", "overlay", "overlay-1", muted=True, gain_db=-3,
    )  # fmt: skip
    edit = replace(edit, main=main, layers=(overlay,))
    path = save_project(edit, tmp_path / "all.studio.json")
    assert load_project(path) == edit


def test_version_14_muted_overlay_tracks_are_hidden_too(tmp_path: Path) -> None:
    """A muted overlay track of an older file was left out whole: it stays out, picture and
    sound, now that muting is the sound's and hiding the picture's."""
    from studio.model import arrange

    project = _with_files(tmp_path)
    over = replace(project.main.clips[0], id="over")
    project = arrange.place(project, over, Fraction(0))[0]
    path = save_project(project, tmp_path / "old.studio.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["version"] = 14
    document["main"] = {"ducked_by": ""}
    for layer in document["layers"]:
        layer["muted"] = True
        del layer["hidden"], layer["locked"]
    path.write_text(json.dumps(document), encoding="utf-8")
    track = load_project(path).layers[0]
    assert (track.muted, track.hidden, track.locked) == (True, True, False)
