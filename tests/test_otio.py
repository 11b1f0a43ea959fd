"""OpenTimelineIO both ways: a layered project exported and imported again is the same project
and renders the same frames; a timeline built by hand as another editor writes it (no studio
metadata) imports with its tracks, gaps, transition, marker and speed; bad timelines are
refused in one line by `studio import`."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from studio.app.render import render_frame
from studio.interchange.otio import write_otio
from studio.interchange.otio_read import read_otio
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from studio.io.project_file import load_project, save_project
from studio.io.project_schema import project_to_dict
from studio.model.keys import Key, Keys
from studio.model.remix import DuetOptions, duet_project
from studio.model.speed import preset_keys
from studio.model.timeline import (
    Canvas,
    Clip,
    Gap,
    Layout,
    Marker,
    MusicTrack,
    Project,
    Track,
    Transition,
)
from studio.model.transform import Transform
from tests.helpers import make_clip, media, studio


def _tone(path: Path, seconds: float, frequency: int) -> Path:
    source = f"sine=frequency={frequency}:duration={seconds}"
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", source, "-c:a", "aac"]
    subprocess.run([*argv, str(path)], check=True, timeout=120)
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    here = tmp_path_factory.mktemp("otio")
    make_clip(here / "a.mp4", 3)
    make_clip(here / "b.mp4", 3, source="smptehdbars")
    make_clip(here / "pip.mp4", 3, source="rgbtestsrc", audio=False)
    _tone(here / "voice.m4a", 2, 660)
    _tone(here / "song.m4a", 8, 330)
    return here


def _layered(folder: Path) -> Project:
    """Two clips joined by an eased whip, the second at half speed; a keyed picture-in-picture
    and a screen-blended one on two overlay tracks; a voice-over; music; two markers."""
    a, b, pip = (probe(folder / name) for name in ("a.mp4", "b.mp4", "pip.mp4"))
    voice, song = probe(folder / "voice.m4a"), probe(folder / "song.m4a")
    half = Fraction(1, 2)
    main = Track(
        (
            Clip(a, Fraction(0), Fraction(2), volume=0.8, id="a"),
            Transition("whip", half, "in-out", id="t"),
            Clip(b, half, Fraction(2), speed=half, fade_out=half, id="b"),
        )
    )
    keyed = Transform(scale=0.4).with_keys(
        "x", Keys((Key(Fraction(0), 0.2), Key(Fraction(1), 0.8, "in-out")))
    )
    screen = Transform(x=0.7, y=0.25, scale=0.3, opacity=0.7, blend="screen")
    overlays = (
        Track(
            (Gap(half, id="g1"), Clip(pip, Fraction(0), Fraction(2), transform=keyed, id="o1")),
            "video",
            "overlay",
            "overlay-1",
        ),
        Track(
            (Clip(pip, half, Fraction(3, 2), transform=screen, id="o2"),),
            "video",
            "overlay",
            "overlay-2",
        ),
    )
    sound = Track(
        (Gap(Fraction(1), id="g2"), Clip(voice, Fraction(0), Fraction(3, 2), volume=1.5, id="v")),
        "audio",
        "voice",
        "voice-1",
        gain_db=-2.0,
    )
    return Project(
        Canvas(fps=30),
        main,
        MusicTrack(song, half, -3.0, fade_out=Fraction(1)),
        (Marker(Fraction(1), "drop"), Marker(Fraction(5, 2))),
        layers=(*overlays, sound),
    )


def _same(first: Project, second: Project, base: Path) -> None:
    assert project_to_dict(second, base) == project_to_dict(first, base)


def test_a_layered_project_comes_back_equal_through_the_command_line(folder: Path) -> None:
    original = save_project(_layered(folder), folder / "layered.studio.json")
    edit = folder / "layered.otio"
    exported = studio("export", original, "--otio", edit)
    assert exported.returncode == 0, exported.stderr
    done = studio("import", edit, "-o", folder / "back.studio.json")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    back = load_project(folder / "back.studio.json")
    _same(load_project(original), back, folder)
    again = folder / "again.otio"
    write_otio(back, again)  # and the timeline it writes is the one it read
    assert (
        json.loads(again.read_text(encoding="utf-8"))["tracks"]
        == json.loads(edit.read_text(encoding="utf-8"))["tracks"]
    )


def test_the_timeline_says_what_other_editors_read(folder: Path) -> None:
    import opentimelineio as otio

    timeline = otio.adapters.read_from_file(str(write_otio(_layered(folder), folder / "l.otio")))
    main, first, second, voice, music = timeline.tracks
    assert [t.kind for t in timeline.tracks] == ["Video"] * 3 + ["Audio"] * 2
    cut = main[1]
    assert isinstance(cut, otio.schema.Transition) and cut.transition_type == "Custom_Transition"
    assert cut.in_offset.to_seconds() == cut.out_offset.to_seconds() == 0.25
    slow = main[2]
    assert [e.time_scalar for e in slow.effects] == [0.5]
    assert slow.source_range.duration.to_seconds() == 3  # its length on the track
    assert main.duration().to_seconds() == 5
    assert [type(i).__name__ for i in first] == ["Gap", "Clip"]
    assert list(first[1].metadata["studio"]["transform"]["keys"]["x"][1]) == [1, 0.8, "in-out"]
    assert voice.metadata["studio"]["role"] == "voice" and music.metadata["studio"]["role"] == "bed"
    assert [m.marked_range.start_time.to_seconds() for m in timeline.tracks.markers] == [1, 2.5]
    assert len(second) == 1 and timeline.metadata["studio"]["canvas"]["fps"] == 30


def test_the_imported_project_renders_the_same_frames(folder: Path) -> None:
    original = _layered(folder)
    back = read_otio(write_otio(original, folder / "frames.otio")).project
    for at in (Fraction(19, 10), Fraction(1, 1), Fraction(4)):  # in the whip, keyed PiP, slow
        first = render_frame(original, at, (108, 192))
        assert render_frame(back, at, (108, 192)) == first, at


def test_an_edit_made_in_another_editor_wins_and_keeps_the_studio_data(folder: Path) -> None:
    """The first clip trimmed to 1.5 s and the picture-in-picture moved to 1 s elsewhere: the
    timeline's times are taken, the clip's volume and the keyed transform are kept."""
    import opentimelineio as otio

    edit = otio.adapters.read_from_file(str(write_otio(_layered(folder), folder / "e.otio")))
    main, first = edit.tracks[0], edit.tracks[1]
    rate = main[0].source_range.duration.rate
    trimmed = otio.opentime.RationalTime(1.5 * rate, rate)
    main[0].source_range = otio.opentime.TimeRange(main[0].source_range.start_time, trimmed)
    first[0].source_range = otio.opentime.TimeRange(duration=otio.opentime.RationalTime(rate, rate))
    otio.adapters.write_to_file(edit, str(folder / "e.otio"))
    back = read_otio(folder / "e.otio").project
    a, pip = back.main.clips[0], back.layers[0].clips[0]
    assert (a.id, a.source_out, a.volume) == ("a", Fraction(3, 2), 0.8)
    assert back.layers[0].range_of("o1") == (1, 3)
    assert pip.transform == _layered(folder).layers[0].clips[0].transform
    assert back.main.range_of("t") == (Fraction(5, 4), Fraction(7, 4))


def test_a_speed_ramp_rides_in_the_metadata(folder: Path) -> None:
    project = _layered(folder)
    ramped = replace(project.main.clips[0], ramp=preset_keys("hero", Fraction(0), Fraction(2)))
    project = project.with_clips((ramped, project.main.clips[1]))
    back = read_otio(write_otio(project, folder / "ramp.otio")).project
    _same(project, back, folder)
    assert back.main.clips[0].duration == ramped.duration != 2


def test_a_duet_comes_back_equal(folder: Path) -> None:
    original, yours = probe(media("moviepy/chaplin.mp4")), probe(folder / "a.mp4")
    layout = Layout("react", corner="bottom-right")
    project = duet_project(original, yours, DuetOptions(layout, offset=Fraction(3, 2)))
    back = read_otio(write_otio(project, folder / "duet.otio")).project
    _same(project, back, folder)


def _foreign(folder: Path, **changes: Any) -> Path:
    """A 24 fps timeline as another editor writes it: V1 two clips joined by a dissolve, the
    second at 2x and read from a file whose timecode starts at one hour; V2 a clip after a
    gap; A1 the first clip's own sound; A2 music; a marker. (The metadata an older studio
    wrote, which is not this one's, is left alone.)"""
    import opentimelineio as otio

    def t(seconds: float) -> Any:
        return otio.opentime.RationalTime(seconds * 24, 24)

    def clip(name: str, path: Path, start: float, length: float, first: float = 0) -> Any:
        whole = otio.opentime.TimeRange(t(first), t(probe(path).duration))
        reference = otio.schema.ExternalReference(
            target_url=path.absolute().as_uri(), available_range=whole
        )
        source = otio.opentime.TimeRange(t(first + start), t(length))
        return otio.schema.Clip(name=name, media_reference=reference, source_range=source)

    chaplin, bars = media("moviepy/chaplin.mp4"), folder / "b.mp4"
    fast = clip("fast", bars, 0.5, 0.75, first=3600)
    fast.effects.append(otio.schema.LinearTimeWarp(time_scalar=changes.get("speed", 2.0)))
    v1 = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    dissolve = otio.schema.Transition(
        transition_type=changes.get("transition", "SMPTE_Dissolve"),
        in_offset=t(0.25),
        out_offset=t(0.25),
    )
    v1.extend([clip("chaplin", chaplin, 1, 2), dissolve, fast])
    v2 = otio.schema.Track(name="V2", kind=otio.schema.TrackKind.Video)
    gap = otio.schema.Gap(source_range=otio.opentime.TimeRange(t(0), t(1)))
    v2.extend([gap, clip("pip", folder / "pip.mp4", 0, 1)])
    a1 = otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio)
    a1.append(clip("chaplin", chaplin, 1, 2))
    a2 = otio.schema.Track(name="Music", kind=otio.schema.TrackKind.Audio)
    a2.append(clip("song", media("madmom/sample.wav"), 0, 2.75))
    v1[0].metadata["studio"] = {"fit": "blur", "volume": 1.0}  # as studio wrote it before layers
    timeline = otio.schema.Timeline(name="foreign", global_start_time=t(3600))
    timeline.metadata["studio"] = {"canvas": [1080, 1920]}
    timeline.tracks.extend([v1, v2, a1, a2])
    beat = otio.opentime.TimeRange(t(2), t(0))
    timeline.tracks.markers.append(otio.schema.Marker(name="beat", marked_range=beat))
    if changes.get("freeze"):
        fast.effects.append(otio.schema.FreezeFrame())
    target = folder / changes.get("name", "foreign.otio")
    otio.adapters.write_to_file(timeline, str(target))
    return target


def test_another_editors_timeline_imports_with_its_tracks_gaps_transition_and_speed(
    folder: Path,
) -> None:
    reading = read_otio(_foreign(folder))
    project = reading.project
    assert project.canvas.fps == 24
    first, dissolve, fast = project.main.items
    assert isinstance(first, Clip) and isinstance(dissolve, Transition) and isinstance(fast, Clip)
    assert (first.source_in, first.source_out) == (1, 3)
    assert (dissolve.kind, dissolve.duration) == ("dissolve", Fraction(1, 2))
    assert (fast.speed, fast.source_in, fast.source_out) == (2, Fraction(1, 2), 2)
    assert fast.media.path == str(folder / "b.mp4") and fast.duration == Fraction(3, 4)
    overlay, music = project.layers
    assert (overlay.role, [type(i).__name__ for i in overlay.items]) == ("overlay", ["Gap", "Clip"])
    assert overlay.range_of(overlay.items[1].id) == (1, 2)
    assert music.kind == "audio" and music.role == "music" and music.clips[0].media.has_audio
    assert project.markers == (Marker(Fraction(2), "beat"),)
    assert reading.warnings == (
        "foreign.otio: track 'A1': 1 clip(s) left out: each is the sound of a main-track clip",
    )


def test_an_imported_timeline_renders(folder: Path) -> None:
    saved = folder / "foreign.studio.json"
    done = studio("import", _foreign(folder, transition="Wipe_Left"), "-o", saved, "--force")
    assert done.returncode == 0, done.stderr
    assert (
        "track 'V1', transition 2: Wipe_Left is not a studio transition: imported as a "
        "dissolve" in done.stderr
    )
    shown = studio("frame", saved, "--at", "2.5", "-o", folder / "f.png", "--size", "108x192")
    assert shown.returncode == 0 and (folder / "f.png").read_bytes()[:4] == b"\x89PNG"
    assert load_project(saved).main.transitions[0].kind == "dissolve"


def _refused(folder: Path, timeline: Path, *more: object) -> str:
    done = studio("import", timeline, "-o", folder / "refused.studio.json", *more)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("studio: error: "), done.stderr
    return lines[0]


def test_bad_timelines_are_refused_in_one_line(folder: Path) -> None:
    garbage = folder / "garbage.otio"
    garbage.write_text("not a timeline", encoding="utf-8")
    assert "garbage.otio: not an OpenTimelineIO file" in _refused(folder, garbage)
    fast = _foreign(folder, speed=8.0, name="fast.otio")
    assert "track 'V1', clip 'fast', speed: must be between 0.25 and 4 (got 8)" in _refused(
        folder, fast
    )
    frozen = _foreign(folder, freeze=True, name="frozen.otio")
    assert "clip 'fast', effects: a freeze frame cannot be imported" in _refused(folder, frozen)
    moved = folder / "moved.otio"
    moved.write_text(
        (folder / "foreign.otio").read_text(encoding="utf-8").replace("pip.mp4", "gone.mp4"),
        encoding="utf-8",
    )
    assert f"{folder / 'gone.mp4'}: file not found" in _refused(folder, moved)
    (folder / "refused.studio.json").write_text("{}", encoding="utf-8")
    assert "already exists (give --force" in _refused(folder, folder / "foreign.otio")
