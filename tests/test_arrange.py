"""Layer edits: items placed on tracks by time, transitions between clips, transforms and keys,
removal by id; through the model and through `studio add`, `set`, `remove` and `transitions`."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from studio.errors import ProjectError
from studio.io.project_file import load_project, save_project
from studio.model import arrange
from studio.model.keys import Key
from studio.model.timeline import Clip, Gap, Project, Transition
from studio.model.tracks import TRANSITIONS
from tests.factories import clip, project, ref
from tests.helpers import make_clip, studio


def _overlay(seconds: float = 2, **options: object) -> Clip:
    return clip(ref("/media/pip.mp4", 10), 0, seconds, **options)


def test_items_placed_by_time_get_their_gaps_and_never_cover_each_other() -> None:
    edit = project(clip(id="main"), clip(id="main-2"))
    first, second, third = _overlay(id="o1"), _overlay(id="o2"), _overlay(id="o3")
    edit, track = arrange.place(edit, first, Fraction(3))
    edit, same = arrange.place(edit, second, Fraction(0))
    edit, other = arrange.place(edit, third, Fraction(4))  # covers o1: another track
    assert track == same == "overlay-1" and other == "overlay-2"
    items = edit.layers[0].items
    assert [type(i).__name__ for i in items] == ["Clip", "Gap", "Clip"]
    assert edit.layers[0].range_of("o1") == (3, 5) and edit.layers[1].range_of("o3") == (4, 6)
    with pytest.raises(ProjectError, match=r"already has an item at 3\.5 s"):
        arrange.place(edit, _overlay(id="o4"), Fraction(7, 2), "overlay-1")
    edit = arrange.remove_item(edit, "o2")
    assert edit.layers[0].range_of("o1") == (3, 5)  # nothing moved
    edit = arrange.remove_item(edit, "o3")
    assert [t.id for t in edit.layers] == ["overlay-1"]  # an emptied track goes


def test_transitions_stay_with_their_clip_through_edits_and_are_replaced_not_doubled() -> None:
    edit = project(clip(id="a"), clip(id="b"), clip(id="c"))
    edit = arrange.add_transition(edit, "a", Transition("dissolve", Fraction(1, 2), id="t1"))
    edit = arrange.add_transition(edit, "a", Transition("whip", Fraction(1, 2), id="t2"))
    assert [i.id for i in edit.main.items] == ["a", "t2", "b", "c"]
    assert edit.duration == 6 and edit.main.range_of("t2") == (Fraction(7, 4), Fraction(9, 4))
    moved = edit.with_clips((edit.main.clips[1], edit.main.clips[0], edit.main.clips[2]))
    assert [i.id for i in moved.main.items] == ["b", "a", "t2", "c"]
    last = edit.with_clips(edit.main.clips[:1] + edit.main.clips[2:][:0])
    assert [i.id for i in last.main.items] == ["a"]  # no clip after it: the transition goes
    with pytest.raises(ProjectError, match="the last clip has no clip after it"):
        arrange.add_transition(edit, "c", Transition())
    assert [i.id for i in arrange.remove_item(edit, "t2").main.items] == ["a", "b", "c"]


def test_keys_go_on_the_clip_and_refuse_times_past_its_end() -> None:
    edit, _ = arrange.place(project(clip()), _overlay(id="o"), Fraction(1))
    edit = arrange.add_keys(edit, "o", [("x", Key(Fraction(0), 0.2)), ("x", Key(Fraction(2), 0.8))])
    edit = arrange.set_transform(edit, "o", scale=0.3)
    placed = arrange.item(edit, "o")
    assert isinstance(placed, Clip) and placed.transform is not None
    assert placed.transform.at("x", Fraction(1)) == pytest.approx(0.5)
    assert placed.transform.scale == 0.3
    with pytest.raises(ProjectError, match="past the item's end"):
        arrange.add_keys(edit, "o", [("y", Key(Fraction(3), 0.5))])
    with pytest.raises(ProjectError, match="must be between 0 and 1"):
        arrange.set_transform(edit, "o", opacity=2.0)


def _two_overlays() -> Project:
    """o1 at 1-3 s on overlay-1, o2 at 4-6 s on overlay-1, s1 (a sound) at 0-2 s on voice-1."""
    edit = project(clip(id="main", end=8))
    edit, _ = arrange.place(edit, _overlay(id="o1"), Fraction(1))
    edit, _ = arrange.place(edit, _overlay(id="o2"), Fraction(4))
    edit, _ = arrange.place(edit, _overlay(id="s1"), Fraction(0), role="voice")
    return edit


def test_an_item_moves_along_its_track_and_to_another_keeping_its_id() -> None:
    edit = _two_overlays()
    moved = arrange.move_item(edit, "o1", Fraction(7))
    assert moved.layers[0].range_of("o1") == (7, 9) and moved.layers[0].range_of("o2") == (4, 6)
    assert arrange.fits(edit, "o1", Fraction(2), "overlay-1")  # its own place does not count
    assert not arrange.fits(edit, "o1", Fraction(3), "overlay-1")  # would cover o2
    crowded = arrange.move_item(edit, "o1", Fraction(3))  # would cover o2: a track beside
    assert [t.id for t in crowded.layers] == ["overlay-1", "overlay-2", "voice-1"]
    assert crowded.layers[1].range_of("o1") == (3, 5) and crowded.layers[1].items[1].id == "o1"
    assert arrange.move_item(crowded, "o1", Fraction(3)) is crowded  # already there
    up = arrange.move_item(crowded, "o2", Fraction(6), "overlay-2")
    assert [t.id for t in up.layers] == ["overlay-2", "voice-1"]  # the emptied track goes
    kept = arrange.move_item(crowded, "o2", Fraction(6), "overlay-2", keep_tracks=True)
    assert [t.id for t in kept.layers] == ["overlay-1", "overlay-2", "voice-1"]
    assert [t.id for t in arrange.drop_empty_tracks(kept).layers] == ["overlay-2", "voice-1"]
    with pytest.raises(ProjectError, match="a picture goes on a video track, not 'voice-1'"):
        arrange.move_item(edit, "o1", Fraction(0), "voice-1")
    with pytest.raises(ProjectError, match="a sound goes on an audio track"):
        arrange.move_item(edit, "s1", Fraction(0), "overlay-1")


def test_trimming_an_item_stops_at_its_neighbours_and_its_file_and_keys_stay_put() -> None:
    edit = _two_overlays()  # o1 shows 0-2 s of a 10 s file from 1 s
    edit = arrange.add_keys(
        edit, "o1", [("x", Key(Fraction(0), 0.2)), ("x", Key(Fraction(2), 0.6))]
    )
    head = arrange.trim_item(edit, "o1", Fraction(2), Fraction(3))
    o1 = arrange.item(head, "o1")
    assert isinstance(o1, Clip) and (o1.source_in, o1.source_out) == (1, 2)
    assert head.layers[0].range_of("o1") == (2, 3)
    assert o1.transform is not None  # the picture at 2 s is where it was: x 0.4 there
    assert o1.transform.at("x", Fraction(0)) == pytest.approx(0.4)
    assert o1.transform.at("x", Fraction(1)) == pytest.approx(0.6)
    wide = arrange.trim_item(edit, "o1", Fraction(0), Fraction(9))  # o2 starts at 4 s
    assert wide.layers[0].range_of("o1") == (1, 4)  # the file starts at 1 s before its in point
    o1 = arrange.item(wide, "o1")
    assert isinstance(o1, Clip) and (o1.source_in, o1.source_out) == (0, 3)
    tiny = arrange.trim_item(edit, "o1", Fraction(5), Fraction(1))
    assert tiny.layers[0].range_of("o1") == (Fraction(3) - arrange.MIN_LENGTH, 3)


def test_keys_at_a_time_are_toggled_moved_eased_and_removed() -> None:
    edit, _ = arrange.place(project(clip(end=8)), _overlay(id="o"), Fraction(1))
    assert arrange.time_in(edit, "o", Fraction(2)) == 1
    assert arrange.time_in(edit, "o", Fraction(1, 2)) is None  # before it starts
    edit = arrange.set_value(edit, "o", "x", 0.3, Fraction(1))  # still: no key
    placed = arrange.item(edit, "o")
    assert isinstance(placed, Clip) and placed.transform is not None
    assert placed.transform.x == 0.3 and not placed.transform.keys
    edit = arrange.toggle_key(edit, "o", "x", Fraction(0))  # a key holding the value there
    edit = arrange.set_value(edit, "o", "x", 0.9, Fraction(2))  # animated: a key at 2 s
    edit = arrange.toggle_key(edit, "o", "y", Fraction(2))
    placed = arrange.item(edit, "o")
    assert isinstance(placed, Clip) and placed.transform is not None
    assert [(k.time, k.value) for k in placed.transform.keys_of("x").keys] == [(0, 0.3), (2, 0.9)]
    assert arrange.key_times(placed) == [0, 2]
    edit = arrange.ease_keys(edit, "o", Fraction(0), "in-out")
    edit = arrange.move_keys(edit, "o", Fraction(2), Fraction(3, 2))
    placed = arrange.item(edit, "o")
    assert isinstance(placed, Clip) and placed.transform is not None
    assert placed.transform.keys_of("x").keys[0].ease == "in-out"
    assert arrange.key_times(placed) == [0, Fraction(3, 2)]
    assert placed.transform.keys_of("y").keys[0].time == Fraction(3, 2)
    with pytest.raises(ProjectError, match="x already has a key at 0 s"):
        arrange.move_keys(edit, "o", Fraction(3, 2), Fraction(0))
    with pytest.raises(ProjectError, match="within the item"):
        arrange.move_keys(edit, "o", Fraction(0), Fraction(5))
    edit = arrange.remove_keys(edit, "o", Fraction(3, 2))
    placed = arrange.item(edit, "o")
    assert isinstance(placed, Clip) and placed.transform is not None
    assert placed.transform.animated("x") and not placed.transform.animated("y")
    edit = arrange.toggle_key(edit, "o", "x", Fraction(0))  # the last key: still again
    placed = arrange.item(edit, "o")
    assert isinstance(placed, Clip) and placed.transform is not None and not placed.transform.keys


def test_a_transition_is_edited_by_id() -> None:
    edit = project(clip(id="a"), clip(id="b"))
    edit = arrange.add_transition(edit, "a", Transition(id="t"))
    edit = arrange.edit_item(edit, "t", kind="wipe-left", duration=Fraction(1), ease="out")
    found = arrange.item(edit, "t")
    assert isinstance(found, Transition) and (found.kind, found.duration) == ("wipe-left", 1)
    with pytest.raises(ProjectError, match="must be one of"):
        arrange.edit_item(edit, "t", kind="spin")


def test_studio_add_set_remove_and_transitions(tmp_path: Path) -> None:
    a = make_clip(tmp_path / "a.mp4", 2, audio=False)
    b = make_clip(tmp_path / "b.mp4", 2)
    saved = tmp_path / "p.studio.json"
    assert studio("new", saved, a, b).returncode == 0
    added = studio(
        "add", saved, "overlay", b, "--at", "0.5", "--for", "1", "--scale", "0.4",
        "--key", "0:x=0.2,y=0.3", "--key", "1:x=0.8", "--ease", "in-out", "--mask", "rounded",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    overlay_id = added.stdout.split()[1]
    assert "on track overlay-1: 0.500 - 1.500 s" in added.stdout
    said = studio("add", saved, "transition", "--all", "--kind", "push-up", "--length", "0.4")
    assert said.returncode == 0 and "1.800 - 2.200 s" in said.stdout
    assert studio("add", saved, "sound", b, "--at", "1", "--role", "effects").returncode == 0
    assert (
        studio("set", saved, overlay_id, "--rotation", "10", "--key", "0.5:opacity=0.5").returncode
        == 0
    )
    listed = json.loads(studio("tracks", saved, "--json").stdout)
    assert [t["id"] for t in listed] == ["main", "overlay-1", "effects-1"]
    assert listed[0]["items"][1]["kind"] == "transition"
    transform = listed[1]["items"][1]["transform"]
    assert transform["rotation"] == 10 and transform["scale"] == 0.4
    assert transform["keys"]["x"] == [[0.0, 0.2, "in-out"], [1.0, 0.8, "in-out"]]
    assert transform["keys"]["opacity"] == [[0.5, 0.5, "linear"]] and transform["mask"] == "rounded"
    assert studio("remove", saved, overlay_id).returncode == 0
    assert [t.id for t in load_project(saved).layers] == ["effects-1"]
    kinds = studio("transitions").stdout.split()
    assert kinds == list(TRANSITIONS) and len(kinds) >= 12


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["add", "{p}", "transition", "--all", "--kind", "spin"], "invalid choice: 'spin'"),
        (
            ["add", "{p}", "overlay", "{a}", "--at", "0", "--opacity", "3"],
            "--opacity: must be between 0 and 1",
        ),
        (
            ["add", "{p}", "overlay", "{a}", "--at", "0", "--key", "1:size=2"],
            "'size' cannot be animated",
        ),
        (["add", "{p}", "overlay", "{a}", "--at", "0", "--key", "x=2"], "--key: must look like"),
        (
            ["add", "{p}", "overlay", "{a}", "--at", "0", "--ease", "bouncy"],
            "invalid choice: 'bouncy'",
        ),
        (["add", "{p}", "overlay", "{a}", "--at", "-1"], "--at: must be a time"),
        (["add", "{p}", "overlay", "{a}", "--at", "0", "--track", "9"], "no track '9'"),
        (["add", "{p}", "transition", "--after", "nope", "--kind", "circle"], "no clip 'nope'"),
        (["set", "{p}", "nope", "--x", "0.3"], "no item 'nope'"),
        (["remove", "{p}", "nope"], "no item 'nope'"),
    ],
)
def test_bad_layer_edits_say_which_option_and_why(
    tmp_path: Path, args: list[str], says: str
) -> None:
    a = make_clip(tmp_path / "a.mp4", 1, audio=False)
    saved = save_project(replace(project(), main=project().main), tmp_path / "p.studio.json")
    assert studio("new", saved, a).returncode == 0
    done = studio(*(arg.format(p=saved, a=a) for arg in args))
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr, (
        done.stderr
    )
    assert Gap  # the model's gap type is what lays overlays out (imported for readers)
