"""Media facts from ffmpeg's own report, without ffprobe.

The imageio-ffmpeg wheel ships ffmpeg but no ffprobe. Rather than add PyAV (a second, differently
versioned copy of the FFmpeg libraries), we read what the very binary that renders says: its input
report gives streams, rotation and SAR; a stream-copy pass to `framecrc` lists every packet's
timestamp (exact duration when the header has none, VFR detection, truncation) without decoding;
and a one-second decode proves each stream is decodable. What the probe accepts, the render reads.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from studio.errors import MediaError
from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.io.probe_report import Report, StreamInfo, parse_report
from studio.io.runner import Task, ffmpeg
from studio.model.timeline import MediaRef

TRUNCATION_SLACK = 1.0  # seconds of header duration that may be missing before we call it truncated


@dataclass(frozen=True)
class Packets:
    """Presentation times (seconds) of one stream's packets, and its end."""

    times: list[Fraction] = field(default_factory=list)
    end: Fraction = Fraction(0)


@dataclass(frozen=True)
class Inspection:
    """What `studio probe` reports: the media facts plus codecs and cover art."""

    media: MediaRef
    video_codec: str
    audio_codec: str
    cover_art: bool
    streams: tuple[StreamInfo, ...] = ()

    def as_json(self) -> dict[str, object]:
        m = self.media
        return {
            "path": m.path,
            "duration": round(float(m.duration), 6),
            "width": m.width,
            "height": m.height,
            "rotation": m.rotation,
            "sar": str(m.sar),
            "fps": round(float(m.fps), 3),
            "vfr": m.vfr,
            "has_video": m.has_video,
            "video_codec": self.video_codec or None,
            "has_audio": m.has_audio,
            "audio_codec": self.audio_codec or None,
            "audio_rate": m.audio_rate,
            "audio_channels": m.audio_channels,
            "start_time": round(float(m.start_time), 6),
            "cover_art": self.cover_art,
            "streams": [_stream_json(s) for s in self.streams],
            "error": None,
        }


def _stream_json(stream: StreamInfo) -> dict[str, object]:
    described: dict[str, object] = {
        "index": stream.index,
        "type": stream.kind,
        "codec": stream.codec,
    }
    if stream.kind == "video":
        described.update(width=stream.width, height=stream.height, cover_art=stream.attached_pic)
    if stream.kind == "audio":
        described.update(rate=stream.sample_rate, channels=stream.channels)
    return described


def probe(path: str | Path, task: Task | None = None) -> MediaRef:
    """Facts of a media file; raise MediaError naming the file and the reason."""
    return inspect(path, task).media


def inspect(path: str | Path, task: Task | None = None) -> Inspection:
    """Probe a file and keep the codec names and cover-art flag for reports."""
    file = _check_file(Path(path))
    report = _open_report(file, task)
    video, audio = report.main_video(), report.main_audio()
    if video is None and audio is None:
        raise MediaError("no audio or video stream", file)
    packets = _scan(file, [s for s in (video, audio) if s is not None], task)
    duration = _duration(file, report.duration, packets)
    media = _media_ref(
        file, video, audio, packets.get(video.index) if video else None, duration, report.start
    )
    return Inspection(
        media,
        video.codec if video else "",
        audio.codec if audio else "",
        report.cover_art,
        report.streams,
    )


def _check_file(path: Path) -> Path:
    if not path.exists():
        raise MediaError("file not found", path)
    if path.is_dir():
        raise MediaError("is a folder, not a media file", path)
    if not path.is_file():
        raise MediaError("not a regular file", path)
    if path.stat().st_size == 0:
        raise MediaError("file is empty", path)
    if not os.access(path, os.R_OK):
        raise MediaError("file is not readable (permission denied)", path)
    return path.absolute()


def _open_report(file: Path, task: Task | None) -> Report:
    done = ffmpeg(["-i", ffmpeg_path_arg(file)], task, path=str(file), failure=MediaError)
    report = parse_report(done.stderr)
    if report is None:
        raise MediaError(_open_failure(done.stderr), file)
    return report


def _open_failure(stderr: str) -> str:
    reason = re.search(r"Error opening input(?: file)?[^:]*: (.+)", stderr)
    text = reason.group(1).strip() if reason else stderr.strip().splitlines()[-1:]
    if isinstance(text, list):
        text = text[0] if text else "unknown error"
    if "Invalid data" in text:
        return "not a media file ffmpeg can read (invalid data)"
    if "End of file" in text:
        return "truncated or damaged: the data ends before the header is complete"
    return f"ffmpeg cannot open it: {text}"


def _scan(file: Path, streams: list[StreamInfo], task: Task | None) -> dict[int, Packets]:
    """List packet times by stream copy, and decode each stream's first frames to prove its codec.

    Each stream decodes into its own output: one output's frame limit would end the others. Without
    -copyts ffmpeg shifts every stream by the file's start time, so times start at 0.
    """
    maps = [arg for s in streams for arg in ("-map", f"0:{s.index}")]
    with tempfile.TemporaryDirectory(prefix="studio-probe-") as tmp:
        crc = [Path(tmp) / f"{s.index}.crc" for s in streams]
        decodes = [
            arg
            for s, out in zip(streams, crc)
            for arg in ("-map", f"0:{s.index}", "-frames", "2", "-f", "framecrc", str(out))
        ]
        args = [
            "-i",
            ffmpeg_path_arg(file),
            *maps,
            "-c",
            "copy",
            "-f",
            "framecrc",
            "pipe:1",
            *decodes,
        ]
        done = ffmpeg(args, task, path=str(file), failure=MediaError)
        decoded_counts = {
            pos: _count_frames(out.read_text(encoding="utf-8", errors="replace"))
            if out.exists()
            else 0
            for pos, out in enumerate(crc)
        }
    packets = _parse_packets(done.stdout)
    for position, stream in enumerate(streams):
        if not packets.get(position, Packets()).times:
            reason = f"the {stream.kind} stream ({stream.codec}) holds no data"
            raise MediaError(f"truncated or damaged: {reason}", file)
        if decoded_counts.get(position, 0) == 0:
            raise MediaError(_undecodable(stream, done.stderr), file)
    return {stream.index: packets[pos] for pos, stream in enumerate(streams)}


def _undecodable(stream: StreamInfo, stderr: str) -> str:
    hint = re.findall(r"\[(?:\w+) @ [^\]]+\] (.+)", stderr)
    detail = f": {hint[-1].strip()}" if hint else ""
    return f"{stream.kind} stream ({stream.codec}) cannot be decoded{detail}"


def _count_frames(crc: str) -> int:
    return sum(1 for line in crc.splitlines() if line[:1].isdigit())


ANIMATED_CODECS = {"gif", "apng", "webp_anim"}  # pictures that may hold more than one frame


def _parse_packets(crc: str) -> dict[int, Packets]:
    bases: dict[int, Fraction] = {}
    rows: dict[int, list[tuple[int, int]]] = {}
    for line in crc.splitlines():
        tb = re.match(r"#tb (\d+): (\d+)/(\d+)", line)
        if tb:
            bases[int(tb.group(1))] = Fraction(int(tb.group(2)), int(tb.group(3)))
        elif line[:1].isdigit():
            cells = [c.strip() for c in line.split(",")]
            rows.setdefault(int(cells[0]), []).append((int(cells[2]), int(cells[3])))
    return {index: _packets(sorted(r), bases.get(index, Fraction(1))) for index, r in rows.items()}


def _packets(rows: list[tuple[int, int]], base: Fraction) -> Packets:
    times = [pts * base for pts, _ in rows]
    end = max((pts + max(dur, 0)) * base for pts, dur in rows)
    return Packets(times, end)


def _duration(file: Path, header: Fraction | None, packets: dict[int, Packets]) -> Fraction:
    measured = max(p.end for p in packets.values())
    if header is not None and header - measured > TRUNCATION_SLACK and measured < header * 0.9:
        raise MediaError(
            f"truncated: the header says {float(header):.1f} s but the data ends at "
            f"{float(measured):.1f} s",
            file,
        )
    return measured if measured > 0 else (header or Fraction(0))


def _media_ref(
    file: Path,
    video: StreamInfo | None,
    audio: StreamInfo | None,
    packets: Packets | None,
    duration: Fraction,
    start: Fraction,
) -> MediaRef:
    fps, vfr = frame_rate(packets.times if packets else [], video.fps if video else Fraction(0))
    width, height = video.display_size() if video else (0, 0)
    return MediaRef(
        path=str(file),
        duration=duration,
        width=width,
        height=height,
        rotation=video.rotation if video else 0,
        sar=video.sar if video else Fraction(1),
        fps=fps,
        vfr=vfr,
        start_time=start,
        has_video=video is not None,
        has_audio=audio is not None,
        audio_rate=audio.sample_rate if audio else 0,
        audio_channels=audio.channels if audio else 0,
        color_matrix=video.color_matrix if video else "",
        full_range=video.full_range if video else False,
        still=video is not None and audio is None and len(packets.times if packets else []) == 1,
        loops=_animated_picture(video, audio, packets),
    )


def _animated_picture(
    video: StreamInfo | None, audio: StreamInfo | None, packets: Packets | None
) -> bool:
    """Whether the file is a picture that moves (a GIF, APNG or animated WebP), which a clip
    repeats for as long as it lasts."""
    frames = len(packets.times) if packets else 0
    return video is not None and audio is None and video.codec in ANIMATED_CODECS and frames > 1


def frame_rate(times: list[Fraction], nominal: Fraction) -> tuple[Fraction, bool]:
    """Average frame rate from packet times, and whether frame spacing varies (VFR).

    Spacing that differs by one timebase tick is rounding (29.97 fps in a 1/600 timebase), not VFR.
    """
    unique = sorted(set(times))
    if len(unique) < 3:
        return nominal, False
    gaps = [b - a for a, b in itertools.pairwise(unique)]
    span = unique[-1] - unique[0]
    average = Fraction(len(gaps)) / span
    median = sorted(gaps)[len(gaps) // 2]
    tolerance = max(median / 20, _tick_of(unique) * Fraction(3, 2))
    vfr = any(abs(g - median) > tolerance for g in gaps)
    return average.limit_denominator(1001000), vfr


def _tick_of(times: list[Fraction]) -> Fraction:
    """The timebase those times are expressed in (the largest unit that divides them)."""
    return Fraction(1, math.lcm(*(t.denominator for t in times)))
