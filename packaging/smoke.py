"""Smoke-test a built bundle the way a user's machine runs it: `python packaging/smoke.py
[dist/studio] [--media ../shared/media]`.

Every command runs in a clean environment: no virtual environment, PATH holding only the
system's folders, a fresh empty HOME, so nothing from the development install can help. It runs
the command line (version, demo export, probe, beats, the AI effects, captions, text to
speech, an OpenTimelineIO round trip), draws an icon from the bundled icon font, runs the
desktop app offscreen with --screenshot, checks what each wrote, and times the app's first
start and the demo export against the development install's (reported, not judged: timings
on shared build machines vary too much to fail a build on). Exit 0 when everything passed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SYSTEM_PATH = (
    r"C:\Windows\system32;C:\Windows"
    if sys.platform == "win32"
    else "/usr/bin:/bin:/usr/sbin:/sbin"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", default=str(ROOT / "dist" / "studio"))
    parser.add_argument("--media", default=str(ROOT.parent / "shared" / "media"))
    parser.add_argument("--no-compare", action="store_true", help="skip the development timing")
    args = parser.parse_args()
    bundle, media = Path(args.bundle).resolve(), Path(args.media).resolve()
    work = Path(tempfile.mkdtemp(prefix="studio-smoke-"))
    smoke = Smoke(bundle, media, work)
    checks = [
        smoke.version,
        smoke.demo,
        smoke.probe,
        smoke.beats,
        smoke.effect,
        smoke.effects,
        smoke.captions,
        smoke.tts,
        smoke.otio,
        smoke.icons,
        smoke.native,
        smoke.app,
        smoke.app_project,
    ]
    if sys.platform == "darwin":
        checks.append(smoke.mac_app)
    if not args.no_compare:
        checks.append(smoke.demo_speed)
    failed = 0
    for check in checks:
        started = time.monotonic()
        try:
            said = check()
        except AssertionError as error:
            failed += 1
            said = f"FAILED: {error}"
        print(f"{check.__name__:11s} {time.monotonic() - started:6.1f} s  {said}", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    print("smoke test passed" if not failed else f"smoke test: {failed} failed")
    return 1 if failed else 0


class Smoke:
    def __init__(self, bundle: Path, media: Path, work: Path) -> None:
        self.bundle, self.media, self.work = bundle, media, work
        ending = ".exe" if sys.platform == "win32" else ""
        self.cli = bundle / f"studio{ending}"
        self.gui = bundle / f"studio-app{ending}"
        self.home = work / "home"
        self.home.mkdir()

    def run(self, program: Path, *args: object, timeout: float = 600) -> str:
        """Run a bundled program in the clean environment; its stdout (stderr on failure)."""
        env = {"PATH": SYSTEM_PATH, "HOME": str(self.home), "USERPROFILE": str(self.home)}
        env.update({"QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(self.work), "LANG": "C.UTF-8"})
        if sys.platform == "win32":
            env["SYSTEMROOT"] = os.environ.get("SYSTEMROOT", r"C:\Windows")
        argv = [str(program), *map(str, args)]
        done = subprocess.run(
            argv, env=env, cwd=self.work, capture_output=True, timeout=timeout,
            encoding="utf-8", errors="replace",
        )  # fmt: skip
        assert done.returncode == 0, (
            f"{' '.join(argv)}: exit {done.returncode}: {done.stderr[-800:]}"
        )
        return done.stdout

    def probed(self, path: Path) -> dict[str, object]:
        found = json.loads(self.run(self.cli, "probe", "--json", path))
        return dict(found[0] if isinstance(found, list) else found)

    def version(self) -> str:
        said = self.run(self.cli, "--version").strip()
        assert said.startswith("studio "), said
        return said

    def demo(self) -> str:
        self.run(self.cli, "demo", "-o", "demo.mp4")
        found = self.probed(self.work / "demo.mp4")
        shape = (found["width"], found["height"])
        assert shape == (1080, 1920) and found["has_audio"], found
        return f"demo.mp4 {shape[0]}x{shape[1]}, {float(str(found['duration'])):.2f} s, with sound"

    def file(self, name: str, bundled: str) -> Path:
        """A shared test file; where the shared media is not at hand (the release workflow),
        one of the bundle's own demo files, whose checks are then weaker."""
        if self.media.is_dir():
            return self.media / name
        return self.bundle / "_internal" / "studio" / "assets" / "demo" / bundled

    def probe(self) -> str:
        said = self.run(
            self.cli, "probe", self.file("jsonize-ffmpeg-task/iphone_rotated.mov", "cells.mp4")
        )
        assert "rotated 90" in said or not self.media.is_dir(), said
        return said.strip().splitlines()[0][-70:]

    def beats(self) -> str:
        said = self.run(
            self.cli, "beats", self.file("ballroom-gtzan/country.00000.wav", "loop120.m4a")
        )
        assert "bpm" in said.lower(), said
        return said.strip().splitlines()[0][:70]

    def effect(self) -> str:
        clip = self.file("people/openmpf/video_01.mp4", "waves.mp4")
        self.run(
            self.cli, "fx", clip, "-o", "blur.mp4", "--background", "blur", "--preset", "draft"
        )
        found = self.probed(self.work / "blur.mp4")
        assert found["height"] and float(str(found["duration"])) > 1, found
        return f"background blur: blur.mp4 {found['width']}x{found['height']}"

    def effects(self) -> str:
        """The effects that reach furthest into the libraries: face landmarks (beauty, a
        sticker), OpenCV's saliency (the follow crop) and oil painting, a moviepy effect."""
        clip = self.file("people/openmpf/video_01.mp4", "waves.mp4")
        self.run(
            self.cli, "fx", clip, "-o", "effects.mp4", "--fit", "follow", "--beauty", "0.5",
            "--sticker", "glasses", "--artistic", "oil", "--moviepy", "MirrorX",
            "--preset", "draft",
        )  # fmt: skip
        found = self.probed(self.work / "effects.mp4")
        assert found["height"] and float(str(found["duration"])) > 1, found
        shape = f"{found['width']}x{found['height']}"
        return f"follow crop, beauty, sticker, oil painting, MirrorX: effects.mp4 {shape}"

    def captions(self) -> str:
        speech = self.file("people/whisper/jfk.flac", "loop120.m4a")
        self.run(self.cli, "captions", speech, "--srt", "jfk.srt")
        text = (self.work / "jfk.srt").read_text(encoding="utf-8").lower()
        assert ("country" in text and "ask" in text) or not self.media.is_dir(), text[:300]
        return f"jfk.srt: {text.count('-->')} cues"

    def tts(self) -> str:
        """Text read aloud by SVOX Pico (its engine and English voices inside the bundle)."""
        said = self.run(self.cli, "tts", "Link in bio.", "-o", "bio.wav", "--voice", "uk")
        with wave.open(str(self.work / "bio.wav"), "rb") as reading:
            seconds = reading.getnframes() / reading.getframerate()
        assert seconds > 0.5, said
        return f"bio.wav: {seconds:.2f} s"

    def otio(self) -> str:
        """A project out to OpenTimelineIO and back (OpenTimelineIO's compiled core)."""
        self.run(self.cli, "new", "otio.studio.json", self.file("moviepy/chaplin.mp4", "life.mp4"))
        self.run(self.cli, "export", "otio.studio.json", "--otio", "edit.otio")
        self.run(self.cli, "import", "edit.otio", "-o", "back.studio.json")
        said = self.run(self.cli, "tracks", "back.studio.json")
        assert "main" in said and ".mp4" in said, said
        return f"edit.otio and back: {said.strip().splitlines()[0]}"

    def icons(self) -> str:
        """An icon drawn from qtawesome's Material Design Icons font, inside the bundle."""
        said = self.run(self.gui, "--check-icon", "mdi6.play", timeout=120).strip()
        return said or "mdi6.play painted"  # exit status 0: some pixels painted

    def native(self) -> str:
        """cv2's matrix routines and Qt's ICU answer as the original libraries do (the Linux
        bundle carries smaller stand-ins built by linux_libs.py)."""
        return self.run(self.gui, "--check-native", timeout=120).strip()

    def app(self) -> str:
        """The desktop app's first start, offscreen, to a grabbed window."""
        started = time.monotonic()
        self.run(self.gui, "--screenshot", self.work / "window.png", timeout=120)
        seconds = time.monotonic() - started
        size = (self.work / "window.png").stat().st_size
        assert size > 10_000, f"window grab of {size} bytes"
        # Reported, not asserted: a shared build machine's timing says little about a user's.
        return f"window grab {size // 1000} kB, first start {seconds:.1f} s (target 5 s)"

    def app_project(self) -> str:
        """The app with a project: it waits for the preview frame, thumbnails and waveform."""
        clip = self.file("moviepy/chaplin.mp4", "life.mp4")
        music = self.file("madmom/sample.wav", "loop120.m4a")
        self.run(self.cli, "new", "edit.studio.json", clip, "--music", music)
        self.run(self.gui, "edit.studio.json", "--at", "2", "--screenshot", "edit.png",
                 "--grab-preview", "preview.png", timeout=180)  # fmt: skip
        from PIL import Image, ImageStat

        spread = ImageStat.Stat(Image.open(self.work / "preview.png").convert("L")).stddev[0]
        assert spread > 10, f"the preview is flat (spread {spread:.1f})"
        return f"project window and preview at 2 s (picture spread {spread:.0f})"

    def mac_app(self) -> str:
        """Studio.app as Finder opens it: its seal holds, and its program is the desktop app
        (the command line would print its help and exit)."""
        import plistlib

        app = self.bundle.parent / "Studio.app"
        check = ["codesign", "--verify", "--deep", "--strict", str(app)]
        sealed = subprocess.run(check, capture_output=True, encoding="utf-8", errors="replace")
        assert sealed.returncode == 0, f"the app's signature: {sealed.stderr.strip()}"
        info = plistlib.loads((app / "Contents" / "Info.plist").read_bytes())
        program = app / "Contents" / "MacOS" / info["CFBundleExecutable"]
        assert program.name == "studio-app", f"Finder would start {program.name}"
        self.run(program, "--screenshot", self.work / "app.png", timeout=120)
        size = (self.work / "app.png").stat().st_size
        assert size > 10_000, f"window grab of {size} bytes"
        return f"Studio.app: sealed, starts {program.name}, window grab {size // 1000} kB"

    def demo_speed(self) -> str:
        """`studio demo` from the bundle against the development install, best of two each."""
        bundled = min(self._timed([str(self.cli)]) for _ in range(2))
        developed = min(self._timed([sys.executable, "-m", "studio"]) for _ in range(2))
        ratio = bundled / developed  # reported, not asserted (see app)
        return f"bundle {bundled:.1f} s, development {developed:.1f} s: {ratio:.2f}x (target 1.2x)"

    def _timed(self, command: list[str]) -> float:
        started = time.monotonic()
        done = subprocess.run(
            [*command, "demo", "-o", str(self.work / "timed.mp4")], capture_output=True, timeout=600
        )
        assert done.returncode == 0, done.stderr[-500:]
        return time.monotonic() - started


if __name__ == "__main__":
    raise SystemExit(main())
