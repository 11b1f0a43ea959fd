"""Takes on disk, and recording through ffmpeg's own capture devices.

A take is recorded in segments (Matroska parts, playable up to the last written cluster if
the recorder dies) and joined into one MP4 without re-encoding. The app records through
QtMultimedia (studio.gui.capture); where QtMultimedia has no device, ffmpeg's capture devices
are the fallback: v4l2 cameras, PulseAudio/ALSA microphones and x11grab screens on Linux,
AVFoundation on macOS, DirectShow and gdigrab on Windows. No Qt here.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from studio.errors import MediaError, StudioError
from studio.io import children
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.runner import Task, as_task, run

ENCODE = ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p"]
ENCODE += ["-c:a", "aac", "-b:a", "160k"]


@dataclass(frozen=True)
class Devices:
    """What ffmpeg's capture devices reach here, by the names its inputs take."""

    kind: str  # the ffmpeg input format: v4l2, avfoundation, dshow
    cameras: tuple[str, ...]
    microphones: tuple[str, ...]
    screens: tuple[str, ...]


def ffmpeg_devices(display: str | None = None) -> Devices:
    """What ffmpeg can capture; `display` is the X display to grab on Linux ($DISPLAY)."""
    if sys.platform == "darwin":
        return _avfoundation_devices()
    if sys.platform == "win32":
        return _dshow_devices()
    return _linux_devices(display)


def _linux_devices(display: str | None) -> Devices:
    cameras = tuple(sorted(str(path) for path in Path("/dev").glob("video[0-9]*")))
    return Devices("v4l2", cameras, _pulse_sources(), (display,) if display else ())


def _pulse_sources() -> tuple[str, ...]:
    """PulseAudio's sources (microphones, and monitors of what is playing); ALSA's default
    where there is no PulseAudio."""
    try:
        listed = run(["pactl", "list", "short", "sources"], timeout=10)
    except (OSError, StudioError):  # no PulseAudio, or it does not answer
        return ("alsa:default",) if Path("/proc/asound/cards").exists() else ()
    named = [line.split("\t")[1] for line in listed.stdout.splitlines() if "\t" in line]
    return ("default", *named) if named else ()  # "default": the system's microphone


def _listing(argv: list[str]) -> str:
    return run([ffmpeg_exe(), "-hide_banner", *argv], timeout=30).stderr


def _avfoundation_devices() -> Devices:
    """`ffmpeg -f avfoundation -list_devices true -i ""`: video devices (cameras, then
    "Capture screen N"), then audio devices, one "[N] name" line each."""
    report = _listing(["-f", "avfoundation", "-list_devices", "true", "-i", ""])
    video, _, audio = report.partition("audio devices")
    names = re.findall(r"\] \[\d+\] (.+)", video)
    screens = tuple(name for name in names if name.startswith("Capture screen"))
    cameras = tuple(name for name in names if name not in screens)
    return Devices("avfoundation", cameras, tuple(re.findall(r"\] \[\d+\] (.+)", audio)), screens)


def _dshow_devices() -> Devices:
    """`ffmpeg -list_devices true -f dshow -i dummy`: '"name" (video)' / '"name" (audio)'."""
    report = _listing(["-list_devices", "true", "-f", "dshow", "-i", "dummy"])
    cameras = tuple(re.findall(r'"([^"]+)" \(video\)', report))
    microphones = tuple(re.findall(r'"([^"]+)" \(audio\)', report))
    return Devices("dshow", cameras, microphones, ("desktop",))


def capture_inputs(
    devices: Devices,
    camera: str | None,
    screen: str | None,
    mic: str | None,
    size: tuple[int, int],
    fps: int,
) -> list[str]:
    """ffmpeg input options for a camera or a screen, and a microphone (None: no sound)."""
    rate = ["-thread_queue_size", "512", "-framerate", str(fps)]
    shape = ["-video_size", f"{size[0]}x{size[1]}"]
    if devices.kind == "avfoundation":
        picture = camera if camera is not None else screen
        extra = shape if camera is not None else ["-capture_cursor", "1"]
        return ["-f", "avfoundation", *rate, *extra, "-i", f"{picture}:{mic or 'none'}"]
    sound = _sound_input(devices, mic)
    if devices.kind == "dshow":
        if camera is not None:
            pair = f"video={camera}" + (f":audio={mic}" if mic else "")
            return ["-f", "dshow", *rate, *shape, "-i", pair]
        return ["-f", "gdigrab", *rate, "-i", "desktop", *sound]
    if camera is not None:
        return ["-f", "v4l2", *rate, *shape, "-i", camera, *sound]
    return ["-f", "x11grab", *rate, "-i", str(screen), *sound]


def _sound_input(devices: Devices, mic: str | None) -> list[str]:
    if not mic:
        return []
    queue = ["-thread_queue_size", "512"]  # a late device does not hold up the other
    if devices.kind == "dshow":
        return [*queue, "-f", "dshow", "-i", f"audio={mic}"]
    if mic.startswith("alsa:"):
        return [*queue, "-f", "alsa", "-i", mic.removeprefix("alsa:")]
    return [*queue, "-f", "pulse", "-i", mic]


def check_device(found: tuple[str, ...], wanted: str, what: str) -> str:
    if wanted not in found:
        listed = ", ".join(found) or "none"
        raise MediaError(f"ffmpeg has no {what} {wanted!r} here (it has: {listed})")
    return wanted


def record_ffmpeg(output: Path, inputs: list[str], seconds: float, fps: int) -> Path:
    """Record what `inputs` capture for `seconds` (Ctrl+C stops early) into a Matroska part at
    a constant `fps` (a frame the device skipped is repeated), then into the take `output`."""
    part = output.absolute().with_name(f"{output.stem}.part1.mkv")  # kept if killed
    argv = [ffmpeg_exe(), "-hide_banner", "-v", "error", "-y", *inputs]
    argv += [*ENCODE, "-fps_mode", "cfr", "-r", str(fps), "-t", f"{seconds:.3f}", str(part)]
    with tempfile.TemporaryFile() as said:
        process = children.start(  # Ctrl+C is ours: _finish asks ffmpeg to stop
            argv, stdin=children.PIPE, stdout=children.DEVNULL, stderr=said, own_group=True
        )
        try:
            _wait_for(process)
        except KeyboardInterrupt:
            _finish(process)
        finally:
            children.forget(process)
        said.seek(0)
        report = said.read().decode(errors="replace").strip()
    if not part.exists() or process.returncode not in (0, 255):
        part.unlink(missing_ok=True)
        last = report.splitlines()[-1] if report else f"exit code {process.returncode}"
        raise MediaError(f"ffmpeg could not record: {last}")
    try:
        return join([(part, 0.0)], output)
    finally:
        part.unlink(missing_ok=True)


def _wait_for(process: subprocess.Popen[bytes]) -> None:
    """Wait in short steps: on Windows a wait without a time bound does not wake for Ctrl+C
    (and ffmpeg, without a console of its own, does not see it)."""
    while True:
        try:
            process.wait(timeout=0.2)
            return
        except subprocess.TimeoutExpired:
            continue


def _finish(process: subprocess.Popen[bytes]) -> None:
    """Ask ffmpeg to stop ("q"), so the file it writes is closed properly."""
    assert process.stdin is not None
    try:
        process.stdin.write(b"q")
        process.stdin.flush()
        process.wait(timeout=15)
    except (OSError, subprocess.TimeoutExpired):
        process.kill()
        process.wait()


def next_free(folder: Path, stem: str, ending: str) -> Path:
    """folder/stem-001.ending, -002, ...: the first name not taken."""
    folder.mkdir(parents=True, exist_ok=True)
    number = 1
    while (target := folder / f"{stem}-{number:03d}{ending}").exists():
        number += 1
    return target


def join(parts: list[tuple[Path, float]], output: Path, mirror: bool = False) -> Path:
    """Segments (each with its recorded length in seconds) into one take without re-encoding
    (unless `mirror`: flipped left to right), starting at zero (ffmpeg's concat demuxer).
    Qt's Matroska headers overstate the length, so each part is read from its first timestamp
    for the length it was recorded."""
    listing = output.with_name(f".{output.stem}.parts.txt")
    lines = []
    for part, seconds in parts:
        start = _start_of(part)  # Qt's Matroska parts start about a second in
        length = f"duration {seconds:.6f}\n" if seconds else ""
        lines.append(f"file '{_quoted(part)}'\ninpoint {start:.6f}\n{length}")
    listing.write_text("".join(lines), encoding="utf-8")  # what ffmpeg reads, on every system
    try:
        argv = [ffmpeg_exe(), "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing)]
        argv += _MIRRORED if mirror else ["-c", "copy"]
        done = run([*argv, "-movflags", "+faststart", str(output)], timeout=300)
    finally:
        listing.unlink(missing_ok=True)
    if done.returncode != 0:
        raise StudioError(f"could not join the segments: {done.stderr.strip()[-300:]}")
    return output


def make_take(
    parts: list[tuple[Path, float]], folder: Path, mirror: bool = False, task: Task | None = None
) -> Path:
    """The next free take-NNN.mp4 in `folder`, joined from `parts`, which are then deleted."""
    as_task(task).report(0.0, "joining the segments")
    take = join(parts, next_free(folder, "take", ".mp4"), mirror)
    for part, _ in parts:
        part.unlink(missing_ok=True)
    return take


def make_voice_take(part: Path, seconds: float, task: Task | None = None) -> Path:
    """A recorded voice-over (a Matroska part) as the next free voice-over-NNN.wav beside it,
    exactly as long as it was recorded (a copy into MP4 would keep Qt's overstated length in
    its header); the part is then deleted."""
    as_task(task).report(0.0, "saving the voice-over")
    take = next_free(part.parent, "voice-over", ".wav")
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-t", f"{seconds:.6f}", "-i", str(part)]
    argv += ["-map", "0:a:0", "-c:a", "pcm_s16le", str(take)]  # from its first sample on
    done = run(argv, timeout=300)
    if done.returncode != 0:
        raise StudioError(f"could not save the voice-over: {done.stderr.strip()[-300:]}")
    part.unlink(missing_ok=True)
    return take


def recover(folder: Path, task: Task | None = None) -> list[Path]:
    """Segments left behind by a recording that never reached "Done" (the app crashed or was
    killed): each that still plays becomes a take of its own; the rest are removed."""
    found = []
    for part in sorted(folder.glob(".segment-*.mkv")):
        as_task(task).report(0.0, f"recovering {part.name}")
        with contextlib.suppress(StudioError):  # nothing playable in it
            found.append(join([(part, 0.0)], next_free(folder, "take-recovered", ".mp4")))
        part.unlink(missing_ok=True)
    return found


_MIRRORED = ["-vf", "hflip", "-c:v", "libx264", "-crf", "16", "-preset", "veryfast", "-c:a", "copy"]


def _start_of(part: Path) -> float:
    """The first timestamp of a recorded part, from ffmpeg's own report of the input."""
    report = run([ffmpeg_exe(), "-hide_banner", "-i", str(part)], timeout=60).stderr
    found = re.search(r"start: (-?[\d.]+)", report)
    if found is None:
        raise MediaError("the recording has no readable start (nothing was recorded?)", str(part))
    return max(0.0, float(found.group(1)))


def _quoted(path: Path) -> str:
    return str(path.absolute()).replace("'", "'\\''")
