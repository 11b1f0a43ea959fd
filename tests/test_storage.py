"""Where a cluster's jobs read and write (io/storage.py): paths and fsspec URLs alike; a fetched
file reused while its version holds; a video published whole by temporary name and rename; the
files a project names, and the project with them moved."""

from __future__ import annotations

import os
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from studio.errors import MediaError
from studio.io import storage
from studio.model.clip import Clip, MediaRef, colour_media
from studio.model.timeline import MusicTrack, Project, Track

pytest.importorskip("fsspec", reason="fsspec comes with the cluster extra, in .[dev]")


def test_paths_and_urls() -> None:
    assert storage.is_url("s3://team/edits") and storage.is_url("file:///tmp/a.mp4")
    assert not storage.is_url("C:\\edits\\a.mp4") and not storage.is_url("/tmp/a.mp4")
    assert storage.join("s3://team/edits", "../media/a.mp4") == "s3://team/media/a.mp4"
    assert storage.parent("s3://team/edits/a.studio.json") == "s3://team/edits"
    assert storage.name_of("gs://b/x/a.studio.json") == "a.studio.json"


def test_publish_writes_whole_files_and_removes_an_attempt_s_leftovers(tmp_path: Path) -> None:
    video = tmp_path / "made.mp4"
    video.write_bytes(b"video" * 1000)
    for folder in (str(tmp_path / "out"), (tmp_path / "url-out").as_uri()):
        storage.make_folder(folder)
        target = storage.join(folder, "edit.mp4")
        left = storage.join(folder, ".studio-b1-0-dead.part.mp4")  # a killed try's
        storage.publish(video, left, "unused")  # (written as a whole file, to be removed)
        storage.publish(video, target, ".studio-b1-0-live.part.mp4")
        assert storage.exists(target) and storage.read_text(target) == "video" * 1000
        gone = storage.remove_named(folder, ".studio-b1-0-")
        assert [storage.name_of(g) for g in gone] == [".studio-b1-0-dead.part.mp4"]
        local = Path(folder.removeprefix("file://"))
        assert sorted(os.listdir(local)) == ["edit.mp4"]


def test_a_fetched_file_is_reused_until_it_changes(tmp_path: Path) -> None:
    source = tmp_path / "remote" / "clip.mp4"
    source.parent.mkdir()
    source.write_bytes(b"first")
    copy = tmp_path / "cache" / "clip.mp4"
    assert storage.fetched(source.as_uri(), copy).read_bytes() == b"first"
    stamp = copy.stat().st_mtime_ns
    assert storage.fetched(source.as_uri(), copy).stat().st_mtime_ns == stamp  # kept
    source.write_bytes(b"second, longer")
    assert storage.fetched(source.as_uri(), copy).read_bytes() == b"second, longer"
    with pytest.raises(MediaError, match="not found"):
        storage.fetched((tmp_path / "nothing.mp4").as_uri(), tmp_path / "cache" / "x.mp4")
    with pytest.raises(MediaError, match=r"fsspec|file system"):
        storage.read_text("nosuchscheme://bucket/a.studio.json")


def test_the_files_a_project_names_and_the_project_with_them_moved() -> None:
    clip = Clip(MediaRef("/m/a.mp4", Fraction(4)), Fraction(0), Fraction(4))
    plain = Clip(colour_media("#204060"), Fraction(0), Fraction(2))  # made by studio: no file
    sound = replace(clip, media=MediaRef("/m/v.wav", Fraction(3), has_video=False))
    music = MusicTrack(MediaRef("/m/song.m4a", Fraction(30), has_video=False))
    project = Project(
        main=Track((clip, plain)),
        music=music,
        layers=(Track((sound,), "audio", "voice", "voice-1"),),
    )
    assert sorted(storage.project_files(project)) == ["/m/a.mp4", "/m/song.m4a", "/m/v.wav"]
    moved = storage.with_files(project, {"/m/a.mp4": "/cache/1/a.mp4", "/m/v.wav": "/c/v.wav"})
    assert sorted(storage.project_files(moved)) == ["/c/v.wav", "/cache/1/a.mp4", "/m/song.m4a"]
    assert moved.main.clips[0].id == clip.id and moved.main.clips[1] == plain
