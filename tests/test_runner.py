"""One runner, one Task: progress, cancel within a second, time bounds, children tied to studio."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from studio import app
from studio.analysis.audio import load_audio
from studio.analysis.beats import analyse
from studio.analysis.highlights import liveliness
from studio.errors import Cancelled, MediaError, RenderError
from studio.io import children
from studio.io.probe import probe
from studio.io.runner import Progress, Task, ffmpeg, run
from studio.model.edits import clip_of
from studio.model.timeline import Canvas, Project, Track
from studio.render.export import measure_loudness, plan_export, remove_stale_partials
from studio.render.frame import render_frame
from studio.render.presets import get_preset
from studio.render.proxy import proxy_of
from tests.helpers import REPO, make_clip, media

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_progress_comes_from_ffmpeg_with_messages_and_eta() -> None:
    seen: list[Progress] = []
    args = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=3", "-f", "null", "-"]
    done = ffmpeg(args, Task(seen.append), total=3.0, message="counting")
    assert done.returncode == 0
    fractions = [p.fraction for p in seen]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0, abs=0.05)
    assert {p.message for p in seen} == {"counting"}
    assert all(p.eta is None or p.eta >= 0 for p in seen)


def test_a_part_of_a_task_maps_into_its_share() -> None:
    seen: list[float] = []
    task = Task(lambda p: seen.append(p.fraction))
    task.part(0.5, 1.0).part(0.0, 0.5).report(0.5)
    assert seen == [0.625]


def test_the_stall_watchdog_and_the_time_bound_stop_a_silent_command() -> None:
    start = time.monotonic()
    with pytest.raises(RenderError, match="no progress for 1 s"):
        run(SLEEPER, stall=1.0)
    with pytest.raises(MediaError, match="no answer within 1 s"):
        run(SLEEPER, timeout=1.0, path="x.mp4", failure=MediaError)
    assert time.monotonic() - start < 5


FROZEN = """
import sys, time
done = 0
while True:  # ffmpeg deadlocked: its progress lines keep coming, their figures stay put
    sys.stderr.write(f"frame=56\\nout_time_us=1866667\\nprogress=continue\\n")
    sys.stderr.flush()
    time.sleep(0.05)
"""
FROZEN_ONCE = """
import pathlib, sys, time
marker = pathlib.Path(sys.argv[1])
first = not marker.exists()
marker.write_text("tried", encoding="utf-8")
for frame in range(40):
    frame = 0 if first else frame
    sys.stderr.write(f"frame={frame}\\nout_time_us={frame * 33333}\\nprogress=continue\\n")
    sys.stderr.flush()
    time.sleep(0.05 if first else 0.001)
    while first:
        sys.stderr.write("frame=0\\nout_time_us=0\\nprogress=continue\\n")
        sys.stderr.flush()
        time.sleep(0.05)
"""


def test_progress_that_stops_advancing_is_a_stall(monkeypatch: pytest.MonkeyPatch) -> None:
    """ffmpeg's threads can deadlock (seen once in 30 runs of a duet export with ffmpeg 9):
    the progress lines go on, their frame and time do not, and the watchdog must see it."""
    monkeypatch.setattr("studio.io.runner.FROZEN_SECONDS", 1.0)
    start = time.monotonic()
    with pytest.raises(RenderError, match=r"stopped advancing for 1 s \(frame 56, 1.87 s\)"):
        run([sys.executable, "-c", FROZEN], total=2.0)
    with pytest.raises(RenderError, match="stopped advancing"):
        run([sys.executable, "-c", FROZEN], total=2.0, again_if_stuck=True)  # once more only
    assert time.monotonic() - start < 10


def test_a_frozen_command_is_started_once_more_when_asked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("studio.io.runner.FROZEN_SECONDS", 1.0)
    seen: list[float] = []
    marker = tmp_path / "tried"
    argv = [sys.executable, "-c", FROZEN_ONCE, str(marker)]
    done = run(argv, Task(lambda p: seen.append(p.fraction)), total=1.3, again_if_stuck=True)
    assert done.returncode == 0 and marker.exists()
    assert max(seen) == pytest.approx(39 * 33333 / 1e6 / 1.3, abs=0.01)
    marker.unlink()
    with pytest.raises(RenderError, match="stopped advancing"):
        run(argv, total=1.3)  # not asked: the first freeze is the answer


def test_cancel_kills_a_running_command_at_once() -> None:
    task = Task()
    start = time.monotonic()
    with pytest.raises(Cancelled):
        run(SLEEPER, _cancel_after(task, 0.3))
    assert time.monotonic() - start < 1.0


def _cancel_after(task: Task, seconds: float) -> Task:
    import threading

    threading.Timer(seconds, task.cancel).start()
    return task


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 s of 1280x720 with sound: long enough that no step ends before a cancel."""
    return make_clip(tmp_path_factory.mktemp("long") / "long.mp4", 20, size="1280x720")


def _project(path: Path) -> Project:
    return Project(Canvas(), Track((clip_of(probe(path)),)))


CALLS: dict[str, Callable[[Path, Path, Task], Any]] = {
    "proxy": lambda clip, out, task: proxy_of(probe(clip), task),
    "highlights": lambda clip, out, task: liveliness(probe(clip), task),
    "decoding": lambda clip, out, task: load_audio(clip, task=task),
    "beats": lambda clip, out, task: analyse(clip, cache=False, task=task),
    "loudness": lambda clip, out, task: measure_loudness(
        _project(clip),
        plan_export(_project(clip), get_preset("tiktok")),
        get_preset("tiktok"),
        task,
    ),
    "preview frame": lambda clip, out, task: render_frame(
        _project(clip), Fraction(10), (540, 960), out.with_suffix(".png"), True, task
    ),
    "beatsync": lambda clip, out, task: app.beatsync(
        app.BeatSyncRequest(media("ballroom-gtzan/country.00000.wav"), [clip], pick="highlights"),
        out,
        task=task,
    ),
    "auto-sync": lambda clip, out, task: app.make_duet(
        app.DuetRequest(clip, clip, auto_sync=True), task
    ),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_every_long_call_stops_within_a_second_of_a_cancel(
    name: str, long_clip: Path, tmp_path: Path, settings: Any
) -> None:
    settings(cache_dir=str(tmp_path / "cache"))  # nothing cached: the work really runs
    asked: list[float] = []

    def progress(_: Progress) -> None:
        if not asked:
            asked.append(time.monotonic())
            task.cancel()

    task = Task(progress)
    output = tmp_path / "out.mp4"
    with pytest.raises(Cancelled):
        CALLS[name](long_clip, output, task)
    assert asked, "the call reported no progress"
    assert time.monotonic() - asked[0] < 1.0
    left = [p.name for p in tmp_path.iterdir() if p.name != "cache"]
    assert left == [], f"half-made files left: {left}"
    assert not list((tmp_path / "cache").glob("proxies/*.mkv"))


def test_a_cancelled_batch_stops_every_export(long_clip: Path, tmp_path: Path) -> None:
    project = app.save_project(_project(long_clip), tmp_path / "a.studio.json")
    task = _cancel_after(Task(), 0.5)
    start = time.monotonic()
    items = app.batch_export([project, project], tmp_path / "out", jobs=2, task=task)
    assert time.monotonic() - start < 1.5
    assert [item.status for item in items] == ["cancelled", "cancelled"]
    assert list((tmp_path / "out").iterdir()) == []


PARENT = """
import sys, time
from studio.io import children
child = children.start({argv!r}, mode={mode!r})
print(child.pid, flush=True)
time.sleep(60)
"""


def _gone(pid: int) -> bool:
    """Ended: no such process, or a zombie waiting for whoever adopted it to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kills by /proc on Linux")
def test_children_die_when_studio_is_killed() -> None:
    mode = children.MODE
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT.format(argv=SLEEPER, mode=mode)],
        stdout=subprocess.PIPE,
        encoding="utf-8",
        cwd=REPO,
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert not _gone(child)
    parent.kill()  # SIGKILL; TerminateProcess on Windows
    parent.wait()
    deadline = time.monotonic() + 3
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(child), f"the child of a killed studio ({mode}) is still running"


@pytest.mark.skipif(os.name == "nt", reason="niceness is POSIX; Windows gets a priority class")
def test_children_of_background_work_yield_the_cores() -> None:
    """A thread lowered for background work starts its children at a lower priority; the
    other threads' children keep studio's own."""
    import threading

    found: dict[str, int] = {}

    def niceness_of_child(name: str, lowered: bool) -> None:
        if lowered:
            children.lower_this_thread()
        child = children.start([sys.executable, "-c", "import time; time.sleep(5)"])
        try:
            found[name] = os.getpriority(os.PRIO_PROCESS, child.pid)
        finally:
            child.kill()
            child.wait()
            children.forget(child)

    for name, lowered in (("background", True), ("foreground", False)):
        worker = threading.Thread(target=niceness_of_child, args=(name, lowered))
        worker.start()
        worker.join()
    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert found == {"background": max(own, children.NICE), "foreground": own}


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads states from /proc")
def test_a_hold_stops_background_children_until_released() -> None:
    """While the preview renders a clicked frame, the programs of background work stop; one
    started during the hold starts stopped; the others are left alone."""
    import threading

    sleeper = [sys.executable, "-c", "while True: pass"]
    started: dict[str, Any] = {}

    def start(name: str, lowered: bool) -> None:
        if lowered:
            children.lower_this_thread()
        started[name] = children.start(sleeper)

    def in_thread(name: str, lowered: bool) -> None:
        worker = threading.Thread(target=start, args=(name, lowered))
        worker.start()
        worker.join()

    in_thread("before", True)
    in_thread("foreground", False)
    try:
        unheld = children._unheld()  # background commands' time limits count on this clock
        release = children.hold_background()
        in_thread("during", True)
        time.sleep(0.2)
        states = {name: _state(process.pid) for name, process in started.items()}
        assert states == {"before": "T", "foreground": "R", "during": "T"}, states
        assert children._unheld() - unheld < 0.1  # the hold does not count
        release()
        release()  # once only: another holder's hold is not ended by it
        time.sleep(0.2)
        assert {_state(process.pid) for process in started.values()} == {"R"}
        assert children._unheld() - unheld >= 0.2
        children.hold_background(limit=0.1)  # a holder that never releases
        time.sleep(0.2)
        assert {_state(process.pid) for process in started.values()} == {"R"}
    finally:
        for process in started.values():
            process.kill()
            process.wait()
            children.forget(process)
    assert not children._background and children._holds == [0]


def _ffmpeg_children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text(encoding="utf-8").split()]
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kills by /proc on Linux")
def test_a_killed_export_leaves_no_ffmpeg_and_its_temp_file_goes_next_time(
    long_clip: Path, tmp_path: Path
) -> None:
    project = app.save_project(_project(long_clip), tmp_path / "p.studio.json")
    command = [sys.executable, "-m", "studio", "export", str(project), "-o", "out.mp4"]
    studio = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.partial-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    renderers = _ffmpeg_children(studio.pid)
    assert renderers, "the export did not start ffmpeg"
    studio.kill()  # SIGKILL; TerminateProcess on Windows
    studio.wait()
    time.sleep(0.5)
    assert all(_gone(pid) for pid in renderers)
    assert list(tmp_path.glob(".out.partial-*")) and not children.alive(studio.pid)
    short = _project(make_clip(tmp_path / "short.mp4", 1))
    app.save_and_export(short, tmp_path / "next.mp4", "draft")  # the next export to the folder
    assert not list(tmp_path.glob(".*partial*"))


def test_an_export_removes_temp_files_of_dead_exports_only(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f".old.partial-{dead.pid}-1.mp4").write_bytes(b"half")
    (tmp_path / f".old.partial-{dead.pid}-1").mkdir()
    running = tmp_path / f".mine.partial-{os.getpid()}-1.mp4"
    running.write_bytes(b"in progress")
    removed = remove_stale_partials(tmp_path)
    assert len(removed) == 2 and sorted(p.name for p in tmp_path.iterdir()) == [running.name]
