"""`studio` command line. The only place that prints, and that turns errors into exit codes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from studio import __version__
from studio.errors import StudioError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
PRESETS = ("tiktok", "tiktok60", "reels", "shorts", "draft")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.run(args))
    except StudioError as error:
        print(f"studio: error: {error.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("studio: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps interpreter shutdown quiet
        return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio", description="Vertical short-video editor: cut, remix, export 1080x1920."
    )
    parser.add_argument("--version", action="version", version=f"studio {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in (
        _probe_parser,
        _new_parser,
        _export_parser,
        _batch_parser,
        _frame_parser,
        _beats_parser,
        _beatsync_parser,
        _duet_parser,
        _stitch_parser,
        _demo_parser,
    ):
        add(commands)
    return parser


def _command(commands: Any, name: str, help_text: str, run: Callable[[Any], int]) -> Any:
    command = commands.add_parser(name, help=help_text, description=help_text)
    command.set_defaults(run=run)
    return command


def _remix_command(commands: Any, name: str, help_text: str, run: Callable[[Any], int]) -> Any:
    command = _command(commands, name, help_text, run)
    command.add_argument("original", metavar="ORIGINAL")
    command.add_argument("yours", metavar="YOURS")
    command.add_argument("-o", "--output", required=True, metavar="OUT.mp4")
    return command


def _saving_options(command: Any) -> None:
    command.add_argument("--save-project", metavar="P.studio.json", help="also save the project")
    _preset_option(command)


def _preset_option(command: Any) -> None:
    command.add_argument(
        "--preset",
        choices=PRESETS,
        help="export preset (default: tiktok, or tiktok60 for 60 fps projects)",
    )


def _probe_parser(commands: Any) -> None:
    command = _command(commands, "probe", "report the facts of media files", run_probe)
    command.add_argument("files", nargs="+", metavar="FILE")
    command.add_argument("--json", action="store_true", help="one JSON list on stdout")


def _new_parser(commands: Any) -> None:
    command = _command(commands, "new", "create a project from clips", run_new)
    command.add_argument("project", metavar="PROJECT.studio.json")
    command.add_argument("clips", nargs="+", metavar="CLIP")
    command.add_argument("--music", metavar="FILE", help="soundtrack under the whole edit")
    command.add_argument(
        "--fit",
        choices=("crop", "blur", "pad"),
        default="crop",
        help="how clips fill the 9:16 frame (default: crop)",
    )
    command.add_argument("--fps", type=int, choices=(30, 60), default=30)


def _export_parser(commands: Any) -> None:
    command = _command(commands, "export", "render a project to MP4 (or .otio)", run_export)
    command.add_argument("project", metavar="PROJECT")
    command.add_argument("-o", "--output", metavar="OUT.mp4")
    command.add_argument("--otio", metavar="OUT.otio", help="also write an OpenTimelineIO file")
    _preset_option(command)


def _batch_parser(commands: Any) -> None:
    command = _command(commands, "batch", "export many projects, several at a time", run_batch)
    command.add_argument("projects", nargs="+", metavar="PROJECT")
    command.add_argument("--out-dir", required=True, metavar="DIR")
    command.add_argument("--jobs", type=int, default=1, metavar="N")
    command.add_argument("--json", action="store_true", help="results as JSON on stdout")
    _preset_option(command)


def _frame_parser(commands: Any) -> None:
    command = _command(commands, "frame", "render one composed frame as PNG", run_frame)
    command.add_argument("project", metavar="PROJECT")
    command.add_argument("--at", required=True, metavar="T", help="seconds, e.g. 3.5 or 0:03.5")
    command.add_argument("-o", "--output", required=True, metavar="frame.png")
    command.add_argument("--size", default="540x960", metavar="WxH")
    command.add_argument(
        "--proxy",
        action="store_true",
        help="read sources from cached all-intra proxies (fast scrubbing)",
    )


def _beats_parser(commands: Any) -> None:
    command = _command(
        commands, "beats", "find the tempo, beats and bars of a soundtrack", run_beats
    )
    command.add_argument("file", metavar="FILE", help="music, or any video with sound")
    command.add_argument("--json", action="store_true", help="the whole analysis as JSON")


def _beatsync_parser(commands: Any) -> None:
    command = _command(
        commands, "beatsync", "cut clips to the beats of a soundtrack and export", run_beatsync
    )
    command.add_argument("--music", required=True, metavar="FILE")
    command.add_argument("clips", nargs="+", metavar="CLIP")
    command.add_argument("-o", "--output", required=True, metavar="OUT.mp4")
    command.add_argument("--every", type=int, default=1, metavar="N", help="cut every N beats")
    command.add_argument(
        "--mode",
        choices=("beats", "downbeats", "energy"),
        default="beats",
        help="cut on beats, on bar starts, or by energy (short shots where the music is intense)",
    )
    command.add_argument(
        "--pick",
        choices=("order", "highlights"),
        default="order",
        help="take clips from their start, or their liveliest parts (motion, sharpness, faces)",
    )
    command.add_argument("--start", default="0", metavar="S", help="start S seconds into the music")
    command.add_argument("--duration", metavar="D", help="about D seconds, ending on a bar")
    command.add_argument(
        "--short",
        choices=("next", "slow", "loop"),
        default="next",
        help="a clip shorter than its slot: take the next clip, slow it down, or loop it",
    )
    command.add_argument("--punch", action="store_true", help="zoom punch on every bar start")
    command.add_argument("--flash", action="store_true", help="white flash on every bar start")
    command.add_argument(
        "--effects-on", choices=("beats", "downbeats"), default="downbeats", metavar="LEVEL"
    )
    command.add_argument("--strength", type=float, default=0.5, help="effect strength 0..1")
    command.add_argument("--fit", choices=("crop", "blur", "pad"), default="crop")
    command.add_argument("--fps", type=int, choices=(30, 60), default=30)
    _saving_options(command)


def _duet_parser(commands: Any) -> None:
    command = _remix_command(commands, "duet", "play your video beside an original one", run_duet)
    command.add_argument(
        "--layout",
        choices=("side", "stack", "react"),
        default="side",
        help="side by side, original on top, or yours as a picture-in-picture (default: side)",
    )
    command.add_argument("--fit", choices=("crop", "blur", "pad"), default="crop")
    command.add_argument(
        "--corner",
        choices=("top-left", "top-right", "bottom-left", "bottom-right"),
        default="top-left",
        help="react: where your picture goes",
    )
    command.add_argument("--size", type=float, default=0.4, help="react: width, of the canvas")
    command.add_argument("--audio", choices=("both", "original", "yours"), default="both")
    command.add_argument("--original-volume", type=float, default=1.0, metavar="V")
    command.add_argument("--your-volume", type=float, default=1.0, metavar="V")
    command.add_argument(
        "--offset-ms",
        type=int,
        default=0,
        metavar="N",
        help="your take starts N ms into the original (negative: before it)",
    )
    command.add_argument(
        "--auto-sync",
        action="store_true",
        help="find the offset from the original's sound in your take",
    )
    command.add_argument("--length", choices=("original", "shorter", "longer"), default="original")
    command.add_argument(
        "--fill",
        choices=("freeze", "pad"),
        default="freeze",
        help="a side that is not playing: hold its frame or show black",
    )
    _saving_options(command)


def _stitch_parser(commands: Any) -> None:
    command = _remix_command(commands, "stitch", "up to 5 s of an original, then yours", run_stitch)
    command.add_argument("--from", dest="start", default="0", metavar="S", help="in-point")
    command.add_argument("--length", default="5", metavar="L", help="seconds, at most 5")
    command.add_argument("--transition", choices=("none", "fade"), default="none")
    command.add_argument(
        "--credit",
        nargs="?",
        const="",
        metavar="TEXT",
        help="show a credit over the original's part (default text: Stitched from NAME)",
    )
    _saving_options(command)


def _demo_parser(commands: Any) -> None:
    command = _command(commands, "demo", "render the bundled demo edit", run_demo)
    command.add_argument("-o", "--output", default="demo.mp4", metavar="OUT.mp4")
    _preset_option(command)


def run_probe(args: Any) -> int:
    from studio.app import probe_many

    results = probe_many(args.files)
    if args.json:
        rows = [
            r.as_json() if not isinstance(r, StudioError) else _probe_error(path, r)
            for path, r in zip(args.files, results)
        ]
        print(json.dumps(rows, indent=2))
    else:
        for path, result in zip(args.files, results):
            print(_probe_line(path, result))
    return EXIT_BAD_INPUT if any(isinstance(r, StudioError) for r in results) else EXIT_OK


def _probe_error(path: str, error: StudioError) -> dict[str, object]:
    return {"path": path, "error": error.reason}


def _probe_line(path: str, result: Any) -> str:
    if isinstance(result, StudioError):
        return f"{path}: error: {result.reason}"
    m = result.media
    parts = [f"{float(m.duration):.3f} s"]
    if m.has_video:
        rate = f"{float(m.fps):.3f} fps" + (" VFR" if m.vfr else "")
        parts.append(f"{m.width}x{m.height} {result.video_codec} {rate}")
        if m.rotation:
            parts.append(f"rotated {m.rotation}")
        if m.sar != 1:
            parts.append(f"SAR {m.sar.numerator}:{m.sar.denominator}")
    if m.has_audio:
        parts.append(f"{result.audio_codec} {m.audio_rate} Hz {m.audio_channels} ch")
    else:
        parts.append("no audio")
    if m.start_time:
        parts.append(f"starts at {float(m.start_time):.3f} s")
    if result.cover_art:
        parts.append("cover art")
    return f"{path}: " + ", ".join(parts)


def run_new(args: Any) -> int:
    from studio.app import create_project_file

    path = create_project_file(
        args.project, args.clips, music=args.music, fit=args.fit, fps=args.fps
    )
    print(f"created {path}")
    return EXIT_OK


def run_export(args: Any) -> int:
    from studio.app import export_otio, export_project

    if not args.output and not args.otio:
        raise StudioError("give -o OUT.mp4 and/or --otio OUT.otio")
    if args.otio:
        print(f"wrote {export_otio(args.project, args.otio)}")
    if args.output:
        with ProgressBar() as bar:
            result = export_project(args.project, args.output, args.preset, bar)
        _report_export(result)
    return EXIT_OK


def run_batch(args: Any) -> int:
    from studio.app import batch_export

    def done(item: Any) -> None:
        if not args.json:
            detail = item.error if item.error else item.output
            print(f"{item.status:6s} {item.project} ({item.seconds:.1f} s): {detail}", flush=True)

    items = batch_export(args.projects, args.out_dir, args.jobs, args.preset, done)
    failed = sum(1 for item in items if item.status != "ok")
    if args.json:
        print(json.dumps([item.as_json() for item in items], indent=2))
    else:
        print(f"{len(items) - failed} exported, {failed} failed")
    return EXIT_FAILED if failed else EXIT_OK


def run_frame(args: Any) -> int:
    from studio.app import frame_at
    from studio.render.frame import parse_size

    size = parse_size(args.size)
    print(f"wrote {frame_at(args.project, args.at, args.output, size, args.proxy)}")
    return EXIT_OK


def run_beats(args: Any) -> int:
    from studio.app import analyse_beats

    result = analyse_beats(args.file)
    if args.json:
        print(json.dumps({"path": args.file, **result.as_json()}, indent=2))
        return EXIT_OK
    bars = f"{result.meter}/4, {len(result.downbeats)} bars"
    print(
        f"{args.file}: {result.tempo:.1f} BPM, {bars}, {len(result.beats)} beats, "
        f"{len(result.onsets)} onsets, {result.duration:.2f} s"
    )
    for name in ("beats", "downbeats", "onsets"):
        print(f"{name}: " + " ".join(f"{t:.3f}" for t in getattr(result, name)))
    sections = ", ".join(f"{s.start:.2f} s (energy {s.energy:.2f})" for s in result.sections)
    print(f"sections: {sections}")
    return EXIT_OK


def run_beatsync(args: Any) -> int:
    from studio.app import BeatSyncRequest, beatsync
    from studio.model.beatsync import SyncOptions
    from studio.model.timeline import BeatEffect

    options = SyncOptions(
        mode=args.mode,
        every=args.every,
        start=_seconds("--start", args.start),
        duration=_seconds("--duration", args.duration) if args.duration else None,
        short=args.short,
    )
    if not 0 <= args.strength <= 1:
        raise StudioError("--strength must be between 0 and 1")
    kinds = [kind for kind in ("punch", "flash") if getattr(args, kind)]
    effects = tuple(BeatEffect(kind, args.effects_on, args.strength) for kind in kinds)
    request = BeatSyncRequest(
        args.music, args.clips, options, args.pick, effects, args.fit, args.fps
    )
    with ProgressBar() as bar:
        result, notes = beatsync(request, args.output, args.preset, args.save_project, bar)
    for note in notes:
        print(f"studio: {note}", file=sys.stderr)
    _report_saved_and_export(args, result)
    return EXIT_OK


def run_duet(args: Any) -> int:
    from fractions import Fraction

    from studio.app import save_and_export
    from studio.model.remix import DuetOptions
    from studio.model.timeline import Layout
    from studio.remix import make_duet

    for name in ("original_volume", "your_volume"):
        if not 0 <= getattr(args, name) <= 4:
            raise StudioError(f"--{name.replace('_', '-')} must be between 0 and 4")
    if not 0.15 <= args.size <= 0.8:
        raise StudioError("--size must be between 0.15 and 0.8")
    layout = Layout(args.layout, args.fit, args.corner, args.size)
    options = DuetOptions(
        layout,
        args.audio,
        Fraction(args.offset_ms, 1000),
        args.length,
        args.fill,
        args.original_volume,
        args.your_volume,
    )
    remix = make_duet(args.original, args.yours, options, args.auto_sync)
    if remix.found_offset is not None:
        print(f"auto-sync: your take starts {remix.found_offset * 1000:+.0f} ms into the original")
    with ProgressBar() as bar:
        result = save_and_export(remix.project, args.output, args.preset, args.save_project, bar)
    _report_saved_and_export(args, result)
    return EXIT_OK


def run_stitch(args: Any) -> int:
    from studio.app import save_and_export
    from studio.model.remix import StitchOptions
    from studio.remix import make_stitch

    options = StitchOptions(
        _seconds("--from", args.start),
        _seconds("--length", args.length),
        args.transition,
        args.credit,
    )
    remix = make_stitch(args.original, args.yours, options)
    with ProgressBar() as bar:
        result = save_and_export(remix.project, args.output, args.preset, args.save_project, bar)
    _report_saved_and_export(args, result)
    return EXIT_OK


def _report_saved_and_export(args: Any, result: Any) -> None:
    if args.save_project:
        print(f"saved {args.save_project}")
    _report_export(result)


def _seconds(option: str, text: str) -> Any:
    from studio.model.time import parse_time

    try:
        return parse_time(text)
    except ValueError:
        raise StudioError(f"{option} must be a time in seconds, not {text!r}") from None


def run_demo(args: Any) -> int:
    from studio.app import demo

    with ProgressBar() as bar:
        result, notes = demo(args.output, args.preset, bar)
    for note in notes:
        print(f"studio: {note}", file=sys.stderr)
    _report_export(result)
    return EXIT_OK


def _report_export(result: Any) -> None:
    for warning in result.warnings:
        print(f"studio: warning: {warning}", file=sys.stderr)
    print(f"wrote {result.output} ({result.frames} frames, {result.duration:.2f} s)")


class ProgressBar:
    """A one-line bar on stderr when it is a terminal; silent otherwise (logs, pipes, CI)."""

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty()

    def __enter__(self) -> Callable[[Any], None] | None:
        return self.update if self.shown else None

    def update(self, progress: Any) -> None:
        filled = int(progress.fraction * 30)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {progress.fraction:4.0%} ")
        sys.stderr.flush()

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            sys.stderr.write("\n")
