"""How the desktop app responds: playback, scrubbing, GUI-thread stalls, start-up.

Two edits, each opened in the real main window (offscreen unless a display is set), with
preview proxies made first: `cuts`, 16 cuts of four 720p long-GOP sources over a song, and
`layers`, the layered edit of benchmarks/layers_vs_ffmpeg.py (10 clips of 1080p sources, 8
transitions, a keyed picture-in-picture, a still with opacity, music). For each:
- playback: 10 s played from the start at 540x960; frames shown per second, dropped frames,
  and how far each shown frame was from the clock (A/V offset; the sound card's clock when a
  sound device exists, else the system clock, reported which);
- scrubbing: clicks on the ruler at random times until the preview shows that frame, from the
  scrub cache once it is full, before it exists (one rendered frame, nothing else running),
  and right after an edit (a look given to one clip, then a click 0-1 s later while the scrub
  cache refills and a browser's tiles render): every click, and the clicks whose frame was not
  cached (rendered on the spot), reported apart;
- stalls: the longest gap of a 5 ms heartbeat timer on the GUI thread during playback (of
  the edit as built, the transitions browser open), while scrubbing after edits with the
  looks browser open (its tiles rendering on the clip), then the transitions browser (its
  loops rendering and playing), and (cuts only) while proxies, thumbnail strips, waveforms,
  the beat analysis, the scrub cache and an export run in the background;
then, once: `studio app --screenshot` in a new process (start, first window, grab, exit).
Run: python benchmarks/app_preview.py [--case cuts|layers|all]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SHARED = Path(__file__).resolve().parents[2] / "shared" / "media"
SONG = SHARED / "ballroom-gtzan" / "country.00000.wav"
HEARTBEAT_MS = 5
PLAY_SECONDS = 10.0


class Heartbeat:
    """Records the gaps between ticks of a timer on the GUI thread: a stall shows as a gap."""

    def __init__(self) -> None:
        from studio.gui.qt import Qt, QTimer

        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.gaps, self.last = [], time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        """The longest stall in ms (gap beyond the timer's interval)."""
        self.timer.stop()
        return max(self.gaps, default=0.0) * 1000 - HEARTBEAT_MS

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self.last)
        self.last = now


def wait_until(app: Any, done: Any, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while not done() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)
    return bool(done())


def wait_for(app: Any, seconds: float) -> None:
    """Let the GUI thread run its events for `seconds`."""
    end = time.perf_counter() + seconds
    wait_until(app, lambda: time.perf_counter() >= end, seconds + 1)


def edit(folder: Path) -> Any:
    from benchmarks.common import make_sources
    from benchmarks.export_vs_ffmpeg import cut_list, studio_project
    from studio.app import with_music

    project = studio_project(cut_list(make_sources(folder)))
    return with_music(project, SONG) if SONG.exists() else project


def layered_edit(folder: Path) -> Any:
    from benchmarks import layers_vs_ffmpeg as layered
    from benchmarks.common import make_sources

    folder.mkdir(exist_ok=True)
    sources = make_sources(folder, size=layered.SOURCE_SIZE)
    cuts, pip = layered.cut_list(sources), sources[layered.PIP_SOURCE]
    still, music = layered.make_still(folder), layered.make_music(folder)
    return layered.studio_project(cuts, pip, still, music)


def make_proxies(project: Any) -> float:
    from studio.app import make_proxy
    from studio.model.timeline import video_clips

    start = time.perf_counter()
    for media in {clip.media.path: clip.media for clip in video_clips(project)}.values():
        make_proxy(media)
    return time.perf_counter() - start


def playback(app: Any, window: Any, heart: Heartbeat, sound: bool) -> None:
    window.player.sound = sound
    window.timeline.set_playhead(0.0)
    heart.start()
    window.play()
    wait_until(app, lambda: window.player.stats.clock_start > 0, 30)
    began = time.perf_counter()  # the sound device is taking sound: the clock runs
    before = window.player.stats.shown
    wait_until(app, lambda: time.perf_counter() - began >= PLAY_SECONDS, PLAY_SECONDS + 5)
    stats = window.player.stats
    shown, dropped, offsets = stats.shown - before, stats.dropped, sorted(stats.offsets)
    window.pause()
    stall = heart.stop()
    fps = shown / PLAY_SECONDS
    median = statistics.median(abs(o) for o in offsets) * 1000
    p95 = offsets[int(len(offsets) * 0.95)] * 1000
    print(
        f"playback ({stats.clock} clock): {fps:.1f} fps shown over {PLAY_SECONDS:.0f} s, "
        f"{dropped} dropped, A/V offset median {median:.1f} ms (p95 {p95:.1f} ms; 1 frame = "
        f"33.3 ms), first frame {stats.first_frame * 1000:.0f} ms, then the clock ran after "
        f"{stats.clock_start * 1000:.0f} ms; GUI stall max {stall:.0f} ms"
    )


def click_ruler(window: Any, seconds: float) -> None:
    from studio.gui.qt import QApplication, QEvent, QMouseEvent, QPointF, Qt

    canvas = window.timeline
    point = QPointF(canvas.scale.x(seconds), 5)
    left = Qt.MouseButton.LeftButton
    for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
        event = QMouseEvent(
            kind, point, canvas.mapToGlobal(point), left, left, Qt.KeyboardModifier.NoModifier
        )
        QApplication.sendEvent(canvas, event)


def scrub(app: Any, window: Any, clicks: int, label: str) -> None:
    from studio.gui.timeline.geometry import Scale

    rng = random.Random(7)
    duration = float(window.document.project.duration)
    fit = (window.timeline.width() - 20) / duration  # the whole edit fits the ruler
    window.timeline.scale = Scale(min(40.0, fit))
    seen: list[float] = []
    window.preview.shown.connect(seen.append)
    times = []
    for _ in range(clicks):
        at = rng.uniform(0, duration - 0.1)
        seen.clear()
        start = time.perf_counter()
        click_ruler(window, at)
        wait_until(app, lambda: bool(seen), 10)
        times.append(time.perf_counter() - start)
        wait_until(app, lambda: not window.jobs.active or window.preview.cache.job, 10)
    window.preview.shown.disconnect(seen.append)
    times.sort()
    print(
        f"scrub, {label}: median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms "
        f"({clicks} clicks)"
    )


def scrub_after_edits(app: Any, window: Any, heart: Heartbeat, clicks: int, panel: str) -> None:
    """Give one clip a look, wait 0-1 s (the scrub cache starts again after 0.6 s), click the
    ruler at a random time: what a creator does while trying looks, with `panel` open."""
    from studio.model.edits import set_look
    from studio.model.effects import Look
    from studio.model.limits import CHOICES
    from studio.model.time import nearest_frame

    looks = CHOICES["look.name"].values
    rng = random.Random(11)
    window.show_panel(panel)
    seen: list[float] = []
    window.preview.shown.connect(seen.append)
    every: list[float] = []
    rendered: list[float] = []
    heart.start()
    for index in range(clicks):
        project = window.document.project
        clip = rng.choice(project.main.clips)
        window.document.apply("Look", set_look, clip.id, Look(str(looks[index % len(looks)])))
        wait_for(app, rng.uniform(0, 1.0))
        project = window.document.project
        at = rng.uniform(0, float(project.duration) - 0.1)
        frame = nearest_frame(Fraction(at).limit_denominator(10**6), project.canvas.fps)
        cached = window.preview.cache.image(project, frame) is not None
        seen.clear()
        start = time.perf_counter()
        click_ruler(window, at)
        wait_until(app, lambda: bool(seen), 10)
        (every if cached else rendered).append(time.perf_counter() - start)
    stall = heart.stop()
    window.preview.shown.disconnect(seen.append)
    every += rendered
    print(
        f"scrub right after an edit ({panel} browser open): all {clicks} clicks "
        f"{_figures(every)}; not cached ({len(rendered)}): {_figures(rendered)}; "
        f"GUI stall max {stall:.0f} ms"
    )


def _figures(times: list[float]) -> str:
    if not times:
        return "none"
    times = sorted(times)
    return (
        f"median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms"
    )


def background_work(app: Any, window: Any, heart: Heartbeat, folder: Path) -> None:
    """Proxies of new media, the song's beats, the scrub cache and an export, all at once."""
    from benchmarks.common import make_sources
    from studio.app import analyse_beats, make_proxy, probe_many, thumbnails_of, waveform_of

    (folder / "more").mkdir()
    fresh = make_sources(folder / "more", seconds=8, size="1920x1080")
    media = [found.media for found in probe_many(fresh) if not isinstance(found, Exception)]
    window.preview.cache.set_project(window.document.project.with_clips(()))  # start it again
    window.preview.cache.set_project(window.document.project)
    heart.start()
    jobs = [window.jobs.run(make_proxy, m) for m in media]
    jobs += [window.jobs.run(thumbnails_of, m) for m in media]
    jobs += [window.jobs.run(waveform_of, m.path) for m in media]
    if SONG.exists():
        jobs.append(window.jobs.run(analyse_beats, SONG))
    dialog = window.open_export()
    dialog.target.setText(str(folder / "out.mp4"))
    dialog.start()
    wait_until(app, lambda: not any(job.running for job in jobs), 600)
    wait_until(app, lambda: window.preview.cache.complete, 600)
    wait_until(app, lambda: dialog.job is None or not dialog.job.running, 600)
    stall = heart.stop()
    print(
        f"GUI stall max {stall:.0f} ms while making {len(media)} proxies, thumbnail strips and "
        "waveforms, analysing the song's beats, filling the scrub cache and exporting the edit"
    )


def start_time(folder: Path) -> None:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "studio", "app", "--screenshot", str(folder / "start.png")],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    print(
        f"start to first window (new process, incl. grab and exit): best {min(times):.2f} s, "
        f"worst {max(times):.2f} s"
    )


def run_case(app: Any, name: str, project: Any, folder: Path) -> None:
    """One edit in a new main window: proxies, scrubbing, scrubbing after edits with the
    browsers open, playback (and, for the cuts, the background work)."""
    from studio.gui.document import Document
    from studio.gui.jobs import Jobs
    from studio.gui.main_window import MainWindow
    from studio.gui.player import sound_device

    layers = len([track for track in project.layers if track.kind == "video"])
    print(
        f"edit {name}: {len(project.main.clips)} clips, {len(project.main.transitions)} "
        f"transitions, {layers} overlay tracks, {float(project.duration):.1f} s, 1080x1920"
    )
    print(f"proxies made in {make_proxies(project):.1f} s")
    window = MainWindow(Document(project), Jobs())
    window.show()
    heart = Heartbeat()
    window.preview.cache.pause()
    scrub(app, window, 20, "before the scrub cache (one rendered frame)")
    window.preview.cache.resume()
    wait_until(app, lambda: window.preview.cache.complete, 300)
    scrub(app, window, 60, "from the scrub cache")
    window.show_panel("transitions")  # its loops render, then play, beside the playback
    if sound_device() is not None:
        playback(app, window, heart, sound=True)
    playback(app, window, heart, sound=False)
    scrub_after_edits(app, window, heart, 40, "looks")
    scrub_after_edits(app, window, heart, 40, "transitions")
    while window.document.undo_stack.canUndo():  # the edit as it was, for what follows
        window.document.undo_stack.undo()
    if name == "cuts":
        background_work(app, window, heart, folder)
    window.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=("cuts", "layers", "all"), default="all")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp:
        folder = Path(tmp)
        os.environ["STUDIO_CACHE_DIR"] = str(folder / "cache")
        os.environ["XDG_DATA_HOME"] = str(folder / "data")
        from studio.gui.qt import QApplication
        from studio.settings import Settings, apply

        apply(Settings(cache_dir=str(folder / "cache")))
        app = QApplication([])
        app.setApplicationName("studio-benchmark")  # its own settings, not the app's
        if args.case in ("cuts", "all"):
            run_case(app, "cuts", edit(folder), folder)
        if args.case in ("layers", "all"):
            run_case(app, "layers", layered_edit(folder / "layers"), folder)
        start_time(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
