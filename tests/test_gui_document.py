"""The desktop app's document and background jobs, driven headless (pytest-qt, offscreen)."""

from __future__ import annotations

import threading
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from studio.app import load_project
from studio.errors import Cancelled, ProjectError
from studio.gui.document import Document
from studio.gui.jobs import Jobs
from studio.model import edits
from tests.factories import sample_project


def test_every_edit_is_one_undo_step_and_undo_restores_the_snapshot(qapp: Any) -> None:
    before = sample_project()
    document = Document(before)
    seen = []
    document.changed.connect(seen.append)
    assert document.apply("Split", edits.split_clip, Fraction(1))
    after_split = document.project
    assert len(after_split.main.clips) == 4 and seen == [after_split]
    first = after_split.main.clips[0].id
    assert document.apply("Speed", edits.set_speed, first, Fraction(2))
    document.undo_stack.undo()
    assert document.project is after_split
    document.undo_stack.undo()
    assert document.project is before and document.undo_stack.undoText() == ""
    document.undo_stack.redo()
    assert document.project is after_split


def test_a_drag_merges_into_one_step_and_a_no_op_pushes_nothing(qapp: Any) -> None:
    before = sample_project()
    document = Document(before)
    clip_id = before.main.clips[1].id
    for step in range(1, 20):  # 19 mouse moves of one trim drag
        document.apply(
            "Trim",
            edits.trim_clip,
            clip_id,
            Fraction(step, 100),
            Fraction(2),
            merge=("trim", clip_id),
        )
    assert document.undo_stack.count() == 1
    assert document.project.main.clips[1].source_in == Fraction(19, 100)
    document.undo_stack.undo()
    assert document.project is before
    first = before.main.clips[0].id
    assert not document.apply("Move", edits.move_clip, first, 0)  # nothing changed
    assert document.undo_stack.count() == 1


def test_a_refused_edit_names_its_field_and_changes_nothing(qapp: Any) -> None:
    document = Document(sample_project())
    first = document.project.main.clips[0].id
    with pytest.raises(ProjectError) as caught:
        document.apply("Speed", edits.set_speed, first, Fraction(9))
    assert caught.value.field == "clips[0].speed" and document.undo_stack.count() == 0


def test_dirty_follows_edits_undo_and_save(qapp: Any, tmp_path: Path) -> None:
    document = Document(sample_project(), tmp_path / "edit.studio.json")
    flags: list[bool] = []
    document.dirty_changed.connect(flags.append)
    document.apply("Split", edits.split_clip, Fraction(1))
    assert document.dirty
    document.save()
    assert not document.dirty and (tmp_path / "edit.studio.json").is_file()
    document.undo_stack.undo()
    assert document.dirty and flags == [True, False, True]


def _slow(seconds: float, task: Any = None) -> str:
    """Reports progress from its own thread, ten times, then returns its thread's name."""
    for step in range(10):
        task.check()
        task.report(step / 10, "working")
        time.sleep(seconds / 10)
    return threading.current_thread().name


def test_jobs_report_and_finish_on_the_gui_thread(qtbot: Any) -> None:
    jobs, seen = Jobs(), []
    gui = threading.current_thread().name
    threads: list[str] = []
    job = jobs.run(
        _slow,
        0.2,
        progress=lambda p: (
            seen.append(p.fraction),
            threads.append(threading.current_thread().name),
        ),
    )
    with qtbot.waitSignal(job.finished, timeout=5000) as finished:
        pass
    assert finished.args[0] != gui  # the work ran elsewhere...
    assert seen and set(threads) == {gui}  # ...and progress arrived on the GUI thread
    assert not job.running and job.result == finished.args[0]


def test_a_cancelled_job_fails_with_cancelled(qtbot: Any) -> None:
    jobs = Jobs()
    job = jobs.run(_slow, 5.0)
    qtbot.waitUntil(lambda: job.task is not None, timeout=1000)
    job.cancel()
    with qtbot.waitSignal(job.failed, timeout=2000) as failed:
        pass
    assert isinstance(failed.args[0], Cancelled) and not job.running


def test_a_background_save_marks_clean_only_what_it_wrote(qtbot: Any, tmp_path: Path) -> None:
    document = Document(sample_project(), tmp_path / "edit.studio.json")
    jobs, saved = Jobs(), []
    document.apply("Split", edits.split_clip, Fraction(1))
    document.save_in_background(jobs, done=saved.append)
    first = document.project.main.clips[0].id
    document.apply("Speed", edits.set_speed, first, Fraction(2))  # made while the file is written
    qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    assert saved == [tmp_path / "edit.studio.json"] and document.dirty  # the speed is unsaved
    assert len(load_project(saved[0], check_media=False).main.clips) == 4
    document.save_in_background(jobs, done=saved.append)
    qtbot.waitUntil(lambda: len(saved) == 2, timeout=5000)
    assert not document.dirty
