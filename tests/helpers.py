"""Measure what studio wrote: streams, packet timing, loudness, and decoded frames."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import _parse_packets
from studio.io.probe_report import parse_report
from studio.io.runner import ffmpeg as run_ffmpeg

REPO = Path(__file__).resolve().parents[1]
MEDIA = REPO.parent / "shared" / "media"


def media(name: str) -> Path:
    """A file of the shared test corpus; its absence is a broken checkout, not a skip, except
    where the run says the corpus is not there (STUDIO_SHARED_MEDIA=absent: the Windows and
    macOS runners of .github/workflows/tests.yml, which cannot have it)."""
    path = MEDIA / name
    if not path.is_file() and os.environ.get("STUDIO_SHARED_MEDIA") == "absent":
        pytest.skip(f"the shared test media is not on this machine ({name})")
    assert path.is_file(), f"test media missing: {path} (shared/media must sit beside the repo)"
    return path


@dataclass(frozen=True)
class Output:
    width: int
    height: int
    video_codec: str
    profile: str
    pix_fmt: str
    color: str
    frames: int
    frame_gaps: set[float]
    video_end: float
    audio_rate: int
    audio_channels: int
    audio_samples: int
    header: str

    @property
    def fps(self) -> float:
        (gap,) = self.frame_gaps
        return 1 / gap


def inspect_output(path: Path) -> Output:
    """Container facts plus exact frame/sample counts from the packets and decoded audio."""
    report_text = run_ffmpeg(["-i", str(path)]).stderr
    report = parse_report(report_text)
    assert report is not None, report_text
    video, audio = report.main_video(), report.main_audio()
    assert video is not None and audio is not None, report_text
    packets = _parse_packets(
        run_ffmpeg(["-i", str(path), "-map", "0:v:0", "-c", "copy", "-f", "framecrc", "-"]).stdout
    )[0]
    times = sorted(packets.times)
    gaps = {round(float(b - a), 6) for a, b in itertools.pairwise(times)}
    line = next(ln for ln in report_text.splitlines() if "Video:" in ln)
    details = re.search(r"Video: (\w+) \(([^)]*)\).*?, (\w+)\(([^)]*)\)", line)
    assert details is not None, line
    return Output(
        width=video.width,
        height=video.height,
        video_codec=video.codec,
        profile=details.group(2),
        pix_fmt=details.group(3),
        color=details.group(4),
        frames=len(times),
        frame_gaps=gaps,
        video_end=float(packets.end),
        audio_rate=audio.sample_rate,
        audio_channels=audio.channels,
        audio_samples=decoded_samples(path),
        header=report_text,
    )


def decoded_samples(path: Path) -> int:
    crc = run_ffmpeg(["-i", str(path), "-map", "0:a:0", "-f", "framecrc", "-"]).stdout
    return sum(int(row.split(",")[3]) for row in crc.splitlines() if row[:1].isdigit())


def mono_sound(path: Path, rate: int = 48000) -> np.ndarray:
    """The file's sound decoded to mono float32 at `rate`."""
    argv = [ffmpeg_exe(), "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(rate)]
    data = subprocess.run([*argv, "-f", "f32le", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(data, "<f4")


def studio(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The `studio` command as a user runs it, in `cwd`."""
    return subprocess.run(
        [sys.executable, "-m", "studio", *map(str, args)],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=600,
        cwd=cwd,
    )


def loudness(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) by ffmpeg's EBU R128 meter."""
    text = run_ffmpeg(
        ["-i", str(path), "-map", "0:a:0", "-af", "ebur128=peak=true", "-f", "null", "-"],
        timeout=300,
    ).stderr
    summary = text.rsplit("Summary:", 1)[1]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))  # type: ignore[union-attr]
    return integrated, peak


def frame(path: Path, index: int, size: tuple[int, int] | None = None) -> np.ndarray:
    """Decoded frame number `index` (0-based) as an RGB array."""
    scale = f",scale={size[0]}:{size[1]}" if size else ""
    return _rgb(["-i", str(path), "-vf", f"select=eq(n\\,{index}){scale}", "-frames:v", "1"])


def source_frame(
    path: Path, at: float, size: tuple[int, int], autorotate: bool = True
) -> np.ndarray:
    """A source frame at `at` seconds scaled to `size` (optionally ignoring rotation)."""
    pre = [] if autorotate else ["-noautorotate"]
    return _rgb(
        [
            *pre,
            "-ss",
            str(at),
            "-i",
            str(path),
            "-vf",
            f"scale={size[0]}:{size[1]}",
            "-frames:v",
            "1",
        ]
    )


def all_frames(path: Path, size: tuple[int, int]) -> np.ndarray:
    """Every frame at a small size, shape (n, h, w, 3)."""
    data = _raw(["-i", str(path), "-vf", f"scale={size[0]}:{size[1]}"])
    return np.frombuffer(data, np.uint8).reshape(-1, size[1], size[0], 3)


def same_frames(a: Path, b: Path) -> bool:
    """Whether two videos decode to the same frames (compared at a small size)."""
    first, second = all_frames(a, (54, 96)), all_frames(b, (54, 96))
    return first.shape == second.shape and bool(np.array_equal(first, second))


def _rgb(args: list[str]) -> np.ndarray:
    data = _raw(args)
    head = run_ffmpeg([*args, "-f", "null", "-"]).stderr
    found = re.findall(r", (\d+)x(\d+)", head.split("Output #0", 1)[-1])
    width, height = int(found[0][0]), int(found[0][1])
    return np.frombuffer(data, np.uint8).reshape(height, width, 3)


def _raw(args: list[str]) -> bytes:
    argv = [ffmpeg_exe(), "-v", "error", *args, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    return subprocess.run(argv, capture_output=True, check=True, timeout=300).stdout


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    error = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return float("inf") if error == 0 else float(10 * np.log10(255**2 / error))


def make_clip(
    path: Path,
    seconds: float,
    size: str = "640x360",
    rate: str = "30",
    source: str = "testsrc2",
    audio: bool = True,
    extra: list[str] | None = None,
) -> Path:
    """A small real clip from ffmpeg's generators (with a 440 Hz tone when `audio`)."""
    joiner = ":" if "=" in source else "="
    inputs = ["-f", "lavfi", "-i", f"{source}{joiner}size={size}:rate={rate}:duration={seconds}"]
    if audio:
        inputs += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=44100:duration={seconds}"]
    argv = [
        ffmpeg_exe(),
        "-v",
        "error",
        "-y",
        *inputs,
        *(extra or []),
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
    ]
    argv += ["-c:a", "aac", "-shortest"] if audio else []
    subprocess.run([*argv, str(path)], check=True, timeout=120)
    return path


def walking_person(path: Path, size: tuple[int, int] = (960, 540), fps: int = 30) -> np.ndarray:
    """A landscape clip of a real person (the portrait cut out by its reference mask) crossing
    a real moving background left to right for 6 s, then a cut to another scene where she
    stands still near the left edge for 3 s. Returns the truth: the person's mask (bool) per
    frame, at `size`."""
    import cv2

    width, height = size
    picture = cv2.imread(str(media("people/tfjs-models/portrait.jpg")))
    reference = cv2.imread(str(media("people/tfjs-models/portrait_segmentation.png")))
    alpha = ((reference[:, :, 0] > 128) & (reference[:, :, 2] < 128)).astype(np.float32)
    tall = round(height * 0.62)
    wide = round(picture.shape[1] * tall / picture.shape[0])
    person = cv2.resize(picture, (wide, tall), interpolation=cv2.INTER_AREA)
    alpha = cv2.resize(alpha, (wide, tall), interpolation=cv2.INTER_AREA)[:, :, None]
    scenes = [
        _frames_of(media("moviepy/big_buck_bunny_0_30.webm"), start, seconds, size, fps)
        for start, seconds in ((2, 6), (21, 3))
    ]
    writer = subprocess.Popen(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-y",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "bgr24",
            "-s",
            f"{width}x{height}",
            "-r",
            str(fps),
            "-i",
            "pipe:0",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "18",
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        stdin=subprocess.PIPE,
    )
    truth = []
    assert writer.stdin is not None
    for scene, background in enumerate(scenes):
        for index, picture_now in enumerate(background):
            if scene == 0:  # walks across, bobbing a little
                x = round((width - wide) * index / (len(background) - 1))
                y = height - tall - round(6 * abs(np.sin(index / 4)))
            else:
                x, y = round(width * 0.04), height - tall
            out = picture_now.astype(np.float32)
            spot = out[y : y + tall, x : x + wide]
            out[y : y + tall, x : x + wide] = spot * (1 - alpha) + person * alpha
            writer.stdin.write(out.astype(np.uint8).tobytes())
            mask = np.zeros((height, width), bool)
            mask[y : y + tall, x : x + wide] = alpha[:, :, 0] > 0.5
            truth.append(mask)
    writer.stdin.close()
    assert writer.wait(timeout=120) == 0
    return np.array(truth)


def _frames_of(
    path: Path, start: float, seconds: float, size: tuple[int, int], fps: int
) -> np.ndarray:
    width, height = size
    data = _raw(
        [
            "-ss",
            str(start),
            "-t",
            str(seconds),
            "-i",
            str(path),
            "-vf",
            f"fps={fps},scale={width}:{height},setsar=1",
            "-frames:v",
            str(round(seconds * fps)),
        ]
    )
    return np.frombuffer(data, np.uint8).reshape(-1, height, width, 3)[:, :, :, ::-1]


def open_window(qtbot: Any, project: Any) -> Any:
    """The app's main window on `project`, shown at 1280x800 (closed with the test)."""
    from studio.gui.document import Document
    from studio.gui.jobs import Jobs
    from studio.gui.main_window import MainWindow

    window = MainWindow(Document(project), Jobs())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def write_wav(path: Path, samples: Any, rate: int) -> Path:
    """Mono float samples (-1..1) as a 16-bit WAV file."""
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.asarray(samples) * 32767).astype(np.int16).tobytes())
    return path


def over_colour(items: tuple[Any, ...], colour: str = "#206020", seconds: int = 4) -> Any:
    """A project of a plain colour for `seconds`, with `items` (titles, stickers, clips) on
    one overlay track over it."""
    from fractions import Fraction

    from studio.model.clip import Clip, colour_media
    from studio.model.timeline import Project, Track

    backdrop = Clip(colour_media(colour), Fraction(0), Fraction(seconds))
    layer = Track(items, kind="video", role="overlay", id="overlay-1")
    return Project(main=Track((backdrop,)), layers=(layer,))
