"""`studio batch --cluster` on a real Dask cluster: a scheduler and worker processes started
with the `dask` command line, as a user starts them. The outputs equal (frame by frame) the
same batch rendered without a cluster; a worker killed with SIGKILL mid-render costs its job one
more try and leaves no temporary file; Ctrl+C leaves no job on the scheduler and no file; a
worker with another studio is refused; projects, media and outputs may be file:// URLs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from studio.app.project import create_project_file
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from tests.helpers import make_clip, studio

distributed = pytest.importorskip("distributed", reason="the cluster extra is in .[dev]")

OLD_STUDIO = "import studio\nstudio.__version__ = '0.0.1'\n"  # a worker's preload: an old studio


class Cluster:
    """A scheduler and its workers, each a `dask` command's process."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.file = folder, folder / "scheduler.json"
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.environment = {**os.environ, "STUDIO_CACHE_DIR": str(folder / "cache")}
        self.scheduler = self._dask("scheduler", "--port", "0", name="scheduler")
        deadline = time.monotonic() + 60
        while not self.file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.address = json.loads(self.file.read_text(encoding="utf-8"))["address"]
        self.client = distributed.Client(self.address, timeout="30s")

    def _dask(self, *args: str, name: str) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("wb")
        argv = [sys.executable, "-m", "dask", *args, "--no-dashboard"]
        argv += ["--scheduler-file", str(self.file)]
        return subprocess.Popen(argv, stdout=log, stderr=log, env=self.environment)

    def start_worker(self, name: str, preload: Path | None = None) -> None:
        extra = ["--preload", str(preload)] if preload else []
        self.workers[name] = self._dask(
            "worker", "--nthreads", "1", "--no-nanny", "--name", name, *extra, name=name
        )
        deadline = time.monotonic() + 60
        while name not in self.names() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert name in self.names(), (self.folder / f"{name}.log").read_text(encoding="utf-8")

    def names(self) -> dict[str, str]:
        """Each worker's name and address."""
        workers = self.client.scheduler_info(n_workers=-1)["workers"]
        return {str(facts["name"]): address for address, facts in workers.items()}

    def stop_worker(self, name: str) -> None:
        _end(self.workers.pop(name))
        deadline = time.monotonic() + 30
        while name in self.names() and time.monotonic() < deadline:
            time.sleep(0.1)

    def close(self) -> None:
        self.client.close()
        for process in [*self.workers.values(), self.scheduler]:
            _end(process)


def _end(process: subprocess.Popen[bytes]) -> None:
    """A dask process stopped: asked, then killed if it takes its time."""
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    found = Cluster(tmp_path_factory.mktemp("cluster"))
    try:
        found.start_worker("one")
        found.start_worker("two")
        yield found
    finally:
        found.close()


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three short edits: a clip each (two sizes, with sound), one with two clips."""
    folder = tmp_path_factory.mktemp("projects")
    a = make_clip(folder / "a.mp4", 2.0, "640x360")
    b = make_clip(folder / "b.mp4", 1.5, "360x640", source="testsrc")
    made = []
    for name, clips in (("first", [a]), ("second", [b]), ("both", [a, b])):
        made.append(create_project_file(folder / f"{name}.studio.json", clips))
    return made


def _frame_hashes(video: Path) -> list[str]:
    argv = [ffmpeg_exe(), "-v", "error", "-i", str(video), "-map", "0:v", "-f", "framemd5", "-"]
    lines = subprocess.run(
        argv, capture_output=True, encoding="utf-8", check=True
    ).stdout.splitlines()
    return [line.rsplit(",", 1)[-1].strip() for line in lines if not line.startswith("#")]


def _batch(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return studio("batch", "--preset", "draft", "--threads", "1", *args, cwd=cwd)


def test_a_batch_on_the_cluster_equals_the_batch_here(
    cluster: Cluster, projects: list[Path], tmp_path: Path
) -> None:
    """The same three exports through tcp:// (a worker with another studio refused) and with
    --jobs 2 here: the same frames; each job says where it ran, in one try."""
    old = tmp_path / "old_studio.py"
    old.write_text(OLD_STUDIO, encoding="utf-8")
    cluster.start_worker("old", preload=old)
    try:
        here = _batch(*projects, "--out-dir", tmp_path / "here", "--jobs", "2")
        there = _batch(*projects, "--out-dir", tmp_path / "there", "--cluster", cluster.address,
                       "--json")  # fmt: skip
    finally:
        cluster.stop_worker("old")
    assert here.returncode == 0 and there.returncode == 0, there.stderr
    refused = [line for line in there.stderr.splitlines() if "refused" in line]
    old_address = [line for line in refused if "studio 0.0.1" in line]
    assert len(refused) == 1 and old_address, there.stderr  # one line for the old worker
    summary = json.loads(there.stdout)
    good = {cluster.names()["one"], cluster.names()["two"]}
    for item in summary:
        assert item["status"] == "ok" and item["tries"] == 1 and item["worker"] in good, item
        mine = tmp_path / "here" / Path(item["output"]).name
        assert _frame_hashes(Path(item["output"])) == _frame_hashes(mine), item
        assert probe(Path(item["output"])).has_audio
    events = [json.loads(line) for line in there.stderr.splitlines() if line.startswith("{")]
    assert {e["state"] for e in events} >= {"running", "ok"}  # each job's progress, on --json
    assert sorted(os.listdir(tmp_path / "there")) == ["both.mp4", "first.mp4", "second.mp4"]


def test_a_worker_killed_mid_render_costs_one_more_try(
    cluster: Cluster, projects: list[Path], tmp_path: Path
) -> None:
    import psutil

    out = tmp_path / "out"
    argv = [sys.executable, "-m", "studio", "batch", *map(str, projects), "--out-dir", str(out)]
    argv += ["--cluster", cluster.address, "--json", "--threads", "1", "--preset", "draft"]
    batch = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding="utf-8")
    pids = {name: cluster.workers[name].pid for name in ("one", "two")}
    victim = _rendering(pids, deadline=time.monotonic() + 120)
    os.kill(pids[victim], signal.SIGKILL)
    cluster.workers.pop(victim).wait(timeout=30)
    stdout, stderr = batch.communicate(timeout=300)
    cluster.start_worker(victim)  # the next tests have two workers again
    assert batch.returncode == 0, stderr
    summary = json.loads(stdout)
    assert all(item["status"] == "ok" for item in summary), summary
    assert sorted(item["tries"] for item in summary)[-1] == 2, summary  # the killed job's
    assert sum(item["tries"] for item in summary) == len(projects) + 1
    assert sorted(os.listdir(out)) == ["both.mp4", "first.mp4", "second.mp4"]  # no temporary
    for item in summary:
        assert probe(Path(item["output"])).duration > 1
    assert not [p for p in psutil.process_iter(["cmdline"]) if _renders(p)]


def _renders(process: Any) -> bool:
    """An ffmpeg writing a cluster job's video (in the worker's temporary folder)."""
    return any("studio-job-" in part for part in process.info["cmdline"] or ())


def _rendering(pids: dict[str, int], deadline: float) -> str:
    """The name of a worker whose ffmpeg is rendering a job's video, once one is."""
    import psutil

    while time.monotonic() < deadline:
        for name, pid in pids.items():
            for child in psutil.Process(pid).children(recursive=True):
                try:
                    if any("studio-job-" in part for part in child.cmdline()):
                        return name
                except psutil.NoSuchProcess:
                    continue
        time.sleep(0.02)
    raise AssertionError("no worker started rendering")


def test_ctrl_c_leaves_no_job_and_no_file(
    cluster: Cluster, projects: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "studio", "batch", *map(str, projects * 2), "--out-dir"]
    argv += [str(out), "--cluster", cluster.address, "--threads", "1", "--json"]
    batch = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding="utf-8")
    assert batch.stderr is not None
    for line in batch.stderr:  # the first job's progress: the batch is under way
        if '"running"' in line:
            break
    batch.send_signal(signal.SIGINT)
    _, stderr = batch.communicate(timeout=120)
    assert batch.returncode == 130 and "interrupted" in stderr, stderr
    assert cluster.client.run_on_scheduler(_tasks) == 0
    left = sorted(os.listdir(out)) if out.exists() else []
    assert len(left) < len(projects) * 2, left  # stopped before the end
    for name in left:  # a video there is whole (one that finished before Ctrl+C), no temporary
        assert not name.startswith(".") and probe(out / name).duration > 1, left


def _tasks(dask_scheduler: Any) -> int:
    return len(dask_scheduler.tasks)


def test_projects_media_and_outputs_by_url(
    cluster: Cluster, projects: list[Path], tmp_path: Path
) -> None:
    """file:// URLs: the workers fetch the media into their caches (kept for the next batch)
    and write the videos by temporary name and rename; a broken clip fails with its reason
    while the rest finish, and a project that is not there is named."""
    broken = projects[0].parent / "broken.studio.json"
    document = json.loads(projects[0].read_text(encoding="utf-8"))
    (projects[0].parent / "garbage.mp4").write_bytes(b"not a video" * 100)
    document["clips"][0]["media"]["path"] = "garbage.mp4"
    broken.write_text(json.dumps(document), encoding="utf-8")
    urls = [p.as_uri() for p in (projects[0], broken, projects[1])]
    out = (tmp_path / "out").as_uri()
    done = _batch(*urls, projects[0].parent / "missing.studio.json", "--out-dir", out,
                  "--cluster", cluster.address, "--json")  # fmt: skip
    assert done.returncode == 1, done.stderr
    summary = json.loads(done.stdout)
    assert [item["status"] for item in summary] == ["ok", "failed", "ok", "failed"]
    assert "garbage.mp4" in summary[1]["error"] and "project file not found" in summary[3]["error"]
    assert summary[0]["output"] == f"{out}/first.mp4"
    assert sorted(os.listdir(tmp_path / "out")) == ["first.mp4", "second.mp4"]
    fetched = list((cluster.folder / "cache" / "cluster-media").rglob("a.mp4"))
    assert len(fetched) == 1  # both workers share this machine's cache folder here
    stamp = fetched[0].stat().st_mtime_ns
    again = _batch(urls[0], "--out-dir", out, "--cluster", cluster.address)
    assert again.returncode == 0 and fetched[0].stat().st_mtime_ns == stamp  # not fetched again


def test_cluster_addresses_and_the_missing_extra_are_one_line(
    projects: list[Path], tmp_path: Path
) -> None:
    done = _batch(projects[0], "--out-dir", tmp_path, "--cluster", "local:zero")
    assert done.returncode == 2 and "--cluster: local:N takes 1 to 64" in done.stderr
    done = _batch(projects[0], "--out-dir", tmp_path, "--cluster", "somewhere")
    assert done.returncode == 2 and "tcp://HOST:PORT" in done.stderr, done.stderr
    done = studio("batch", projects[0], "--out-dir", tmp_path, "--threads", "-1")
    assert done.returncode == 2 and "--threads: must be 0 (all cores) to 256" in done.stderr
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "distributed.py").write_text("raise ImportError('not installed')\n", encoding="utf-8")
    argv = [sys.executable, "-m", "studio", "batch", str(projects[0]), "--out-dir", str(tmp_path)]
    environment = {**os.environ, "PYTHONPATH": str(hidden)}
    done = subprocess.run([*argv, "--cluster", "local:1"], capture_output=True, encoding="utf-8",
                          env=environment, timeout=120)  # fmt: skip
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert 'pip install "dask[distributed]' in done.stderr
