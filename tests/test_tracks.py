"""Tracks: the main track and the layers above and beside it, positions computed from the
items, ids checked, and the project file holding them (version 10)."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from studio.errors import ProjectError
from studio.io.project_file import load_project, save_project
from studio.io.project_schema import VERSION
from studio.model.timeline import Gap, Project, Track
from studio.model.validate import problems
from tests.factories import clip, project, ref


def _overlay() -> Track:
    picture = clip(ref("/media/broll.mp4", 6), 1, 3, id="broll")
    return Track((Gap(Fraction(3, 2), id="wait"), picture), "video", "overlay", "pip")


def test_where_an_item_sits_is_computed_from_the_items_before_it() -> None:
    track = _overlay()
    assert track.range_of("wait") == (0, Fraction(3, 2))
    assert track.range_of("broll") == (Fraction(3, 2), Fraction(7, 2))
    assert track.duration == Fraction(7, 2) and [c.id for c in track.clips] == ["broll"]
    assert [(start, end) for _, start, end in track.ranges()] == [
        (0, Fraction(3, 2)),
        (Fraction(3, 2), Fraction(7, 2)),
    ]
    with pytest.raises(ProjectError, match="no item 'gone'"):
        track.range_of("gone")


@pytest.mark.parametrize(
    ("make", "field", "says"),
    [
        (lambda: Track((Gap(Fraction(1)),)), "items", "back to back"),
        (lambda: Track((), "audio", "overlay", "x"), "kind", "holds video"),
        (lambda: Track((), "video", "lead", "x"), "role", "must be one of"),  # type: ignore[arg-type]
        (lambda: Track((), "audio", "voice", ""), "id", "must not be empty"),
        (lambda: Track((), "audio", "voice", "v", gain_db=40), "gain_db", "between -60 and 20"),
        (lambda: Gap(Fraction(0)), "duration", "more than 0"),
        (lambda: Project(layers=(_overlay(), _overlay())), "layers", "same id"),
        (lambda: Project(layers=(Track(),)), "layers", "one main track"),
        (lambda: Track((clip(id="a"), clip(id="a")), "video", "overlay", "o"), "items", "same id"),
    ],
)
def test_bad_tracks_are_refused_naming_the_field(make: object, field: str, says: str) -> None:
    with pytest.raises(ProjectError, match=says) as refused:
        make()  # type: ignore[operator]
    assert refused.value.field == field


def test_layers_round_trip_through_the_project_file(tmp_path: Path) -> None:
    voice = Track((clip(ref("/media/vo.m4a", 9), 0, 4, id="vo"),), "audio", "voice", "voice")
    edit = replace(project(clip(id="main-1")), layers=(_overlay(), voice))
    saved = save_project(edit, tmp_path / "layers.studio.json")
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["version"] == VERSION
    assert [layer["role"] for layer in document["layers"]] == ["overlay", "voice"]
    assert document["layers"][0]["items"][0] == {"type": "gap", "id": "wait", "duration": "3/2"}
    loaded = load_project(saved, check_media=False)
    assert loaded.layers == edit.layers and [t.id for t in loaded.tracks] == [
        "main",
        "pip",
        "voice",
    ]


def test_a_version_9_file_opens_with_no_layers(tmp_path: Path) -> None:
    saved = save_project(project(clip()), tmp_path / "old.studio.json")
    document = json.loads(saved.read_text(encoding="utf-8"))
    del document["layers"]
    saved.write_text(json.dumps({**document, "version": 9}), encoding="utf-8")
    assert load_project(saved, check_media=False).layers == ()


def test_a_bad_layer_in_a_file_is_named_by_its_place(tmp_path: Path) -> None:
    saved = save_project(replace(project(clip()), layers=(_overlay(),)), tmp_path / "e.json")
    document = json.loads(saved.read_text(encoding="utf-8"))
    document["layers"][0]["items"][0]["type"] = "widget"
    saved.write_text(json.dumps(document), encoding="utf-8")
    said = r"layers\[0\]\.items\[0\]\.type: must be one of clip, gap, transition, title, sticker"
    with pytest.raises(ProjectError, match=said):
        load_project(saved, check_media=False)


def test_a_transition_longer_than_its_clips_is_refused_for_export() -> None:
    from studio.model.timeline import Transition

    short = clip(end=0.5, id="short")
    edit = project(clip(id="a"), short, clip(id="c"))
    edit = replace(
        edit,
        main=Track(
            (
                edit.main.clips[0],
                Transition("dissolve", Fraction(1)),
                short,
                Transition("wipe-left", Fraction(1, 2)),
                edit.main.clips[2],
            )
        ),
    )
    said = [p for p in problems(edit) if p.field == "clips[1]"]
    assert len(said) == 1 and "too short for the transitions" in said[0].message
    roomy = replace(
        edit, main=edit.main.with_clips((edit.main.clips[0], clip(id="b"), edit.main.clips[2]))
    )
    assert not [p for p in problems(roomy) if "transitions" in p.message]


def test_studio_tracks_lists_every_track_with_its_items(tmp_path: Path) -> None:
    from studio.model.clip import Look
    from studio.model.remix import DuetOptions, duet_project
    from studio.model.timeline import MusicTrack
    from tests.helpers import studio

    looked = clip(ref("/media/a.mp4"), 0, 2, id="first", effects=(Look("warm"),))
    edit = project(looked, music=MusicTrack(ref("/media/song.m4a", 60)))
    edit = replace(edit, layers=(_overlay(),))
    save_project(edit, tmp_path / "edit.studio.json")
    done = studio("tracks", tmp_path / "edit.studio.json", "--json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert [(t["id"], t["role"], t["kind"]) for t in listed] == [
        ("main", "main", "video"),
        ("pip", "overlay", "video"),
        ("music", "music", "audio"),
    ]
    first = listed[0]["items"][0]
    assert (first["id"], first["start"], first["end"], first["effects"]) == (
        "first", 0.0, 2.0, ["look:warm"],
    )  # fmt: skip
    assert [(i["kind"], i["start"], i["end"]) for i in listed[1]["items"]] == [
        ("gap", 0.0, 1.5),
        ("clip", 1.5, 3.5),
    ]
    text = studio("tracks", tmp_path / "edit.studio.json").stdout
    assert "pip (overlay, video): 2 items" in text and "broll.mp4" in text
    duet = duet_project(ref("/media/theirs.mp4", 8), ref("/media/mine.mp4", 8), DuetOptions())
    save_project(duet, tmp_path / "duet.studio.json")
    sides = json.loads(studio("tracks", tmp_path / "duet.studio.json", "--json").stdout)
    assert [t["id"] for t in sides] == ["main", "yours"]
    assert sides[0]["items"][0]["source"] == "/media/theirs.mp4"
    assert sides[1]["items"][0]["source"] == "/media/mine.mp4"


def test_a_react_duet_s_defaults_live_in_the_model() -> None:
    """The corner and size of your picture: one default, read by the command line, the
    facade and the project reader alike."""
    from studio.app.remix import DuetRequest
    from studio.cli import build_parser
    from studio.model.timeline import Layout

    args = build_parser().parse_args(["duet", "a.mp4", "b.mp4", "-o", "x.mp4"])
    request = DuetRequest("a.mp4", "b.mp4")
    assert (args.corner, args.size) == (request.corner, request.size)
    assert (request.corner, request.size) == (Layout().corner, Layout().size)
