"""What each `studio` command does: build a facade request, call it, print the outcome.

Engine work happens in studio.app; this module only prints, through the progress bar or plain
lines, and returns exit codes.
"""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path
from typing import Any

from studio.errors import ProjectError, StudioError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


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


def run_tracks(args: Any) -> int:
    from studio.app.tracks import list_tracks

    listed = list_tracks(args.project)
    if args.json:
        print(json.dumps([track.as_json() for track in listed], indent=2))
        return EXIT_OK
    for track in listed:
        sound = " muted" if track.muted else f" {track.gain_db:+g} dB" if track.gain_db else ""
        sound += " solo" * track.solo + " hidden" * track.hidden + " locked" * track.locked
        count = f"{len(track.items)} item" + ("" if len(track.items) == 1 else "s")
        print(f"{track.id} ({track.role}, {track.kind}{sound}): {count}")
        for item in track.items:
            span = f"{item['start']:8.3f} - {item['end']:8.3f} s"
            what = Path(item["source"]).name if "source" in item else item["kind"]
            what = f"title: {item['text']!r}" if item["kind"] == "title" else what
            what = f"sticker: {item['sticker']}" if item["kind"] == "sticker" else what
            applied = f"  [{', '.join(item['effects'])}]" if item.get("effects") else ""
            print(f"  {span}  {item['id']}  {what}{applied}")
    return EXIT_OK


def run_add(args: Any) -> int:
    from studio.app import layers
    from studio.app.project import parse_seconds
    from studio.cli import sound

    at = parse_seconds(args.at, "at") if getattr(args, "at", None) is not None else None
    length = parse_seconds(args.length, "length") if getattr(args, "length", None) else None
    if args.what == "transition":
        added = layers.add_transitions(
            args.project, args.kind, parse_seconds(args.length, "length"), args.after, args.ease
        )
        for placed in added:
            print(f"added {args.kind} {placed.id}: {placed.start:.3f} - {placed.end:.3f} s")
        return EXIT_OK
    if args.what == "text":
        assert at is not None and length is not None
        place = {n: getattr(args, n) for n in ("x", "y", "rotation", "opacity")}
        given = {name: value for name, value in place.items() if value is not None}
        style, motion = _text_style(args), _motion(args)
        if args.on_beats:
            words = layers.add_words_on_beats(
                args.project, args.text, at, style, given, args.track, motion
            )
            for word in words:
                print(f"added {word.id} on track {word.track}: {word.start:.3f} - {word.end:.3f} s")
            return EXIT_OK
        placed = layers.add_title(
            args.project, _words(args.text), at, length, style, given, args.track, motion,
            args.snap,
        )  # fmt: skip
    elif args.what == "sticker":
        assert at is not None and length is not None
        place = {n: getattr(args, n) for n in ("x", "y", "scale", "rotation", "opacity")}
        given = {name: value for name, value in place.items() if value is not None}
        placed = layers.add_sticker(
            args.project, args.sticker, at, length, given, args.track, _motion(args)
        )
    elif args.what == "sfx":
        placed = layers.add_sound_effect(
            args.project, args.name, at, args.on_beat, args.on_cut, args.track
        )
    elif args.what == "clip":
        placed = layers.add_main_clip(args.project, args.file, at)
    elif args.what in ("audio", "sound"):
        placed = sound.add_audio(args, at, length)
    elif args.what == "tts":
        placed = sound.add_reading(args, at)
    else:
        assert at is not None
        placed = layers.add_overlay(args.project, args.file, at, length, args.track, _look(args))
    print(f"added {placed.id} on track {placed.track}: {placed.start:.3f} - {placed.end:.3f} s")
    return EXIT_OK


def run_set(args: Any) -> int:
    from studio.app import layers
    from studio.cli import sound

    if args.item is None:
        if args.track is not None:
            return sound.set_track(args)
        if args.duck is None and not args.duck_keys and not args.duck_auto:
            raise ProjectError(
                "name the item to change (ITEM_ID), or give --duck DB, --duck-key or --track"
            )
        return sound.set_ducking(args)
    placed = layers.set_item(args.project, args.item, _look(args))
    print(f"set {placed.id} on track {placed.track}")
    return EXIT_OK


def run_remove(args: Any) -> int:
    from studio.app import layers

    track = layers.remove(args.project, args.item)
    print(f"removed {args.item} from track {track}")
    return EXIT_OK


def run_transitions(args: Any) -> int:
    from studio.model.tracks import TRANSITIONS

    for kind in TRANSITIONS:
        print(kind)
    return EXIT_OK


def run_fonts(args: Any) -> int:
    from studio.render.titles import FONTS

    for name, file in FONTS.items():
        print(f"{name}  ({file})")
    return EXIT_OK


def run_sound(args: Any) -> int:
    from studio.app.sound import take_sound

    with ProgressBar() as task:
        taken = take_sound(args.source, args.output, args.hook, task)
    span = f"{taken.start:.2f} - {taken.end:.2f} s"
    print(f"wrote {taken.output} ({span} of {Path(args.source).name})")
    return EXIT_OK


def run_sfx(args: Any) -> int:
    from studio.render.sfx import LIBRARY

    if args.json:
        rows = [{"name": e.name, "label": e.label, "tags": list(e.tags)} for e in LIBRARY]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    for effect in LIBRARY:
        print(f"{effect.name:14s} {effect.label}  ({', '.join(effect.tags)})")
    return EXIT_OK


def run_stickers(args: Any) -> int:
    from studio.render.stickers import library

    listed = library().values()
    if args.json:
        rows = [{"name": s.name, "label": s.label, "tags": list(s.tags), "animated": s.animated}
                for s in listed]  # fmt: skip
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    for sticker in listed:
        kind = "animated" if sticker.animated else "still"
        print(f"{sticker.name:20s} {kind:9s} {sticker.label}  ({', '.join(sticker.tags)})")
    return EXIT_OK


def _words(text: str) -> str:
    """The text as typed, a written \\n starting a new line (a shell cannot type one)."""
    return text.replace("\\n", "\n")


def run_text_styles(args: Any) -> int:
    from studio.model.title_styles import STYLES

    for name, (looks, _) in STYLES.items():
        print(f"{name:18s} {looks}")
    return EXIT_OK


def _text_style(args: Any) -> Any:
    """A title's style from `studio add text`'s options: the --style picked (or the default
    style), with the options given over it."""
    from studio.model.title_styles import style_named
    from studio.model.titles import TextStyle

    values: dict[str, Any] = {}
    for name, option in (("font", "font"), ("size", "size"), ("max_width", "width")):
        if getattr(args, option) is not None:
            values[name] = getattr(args, option)
    if args.color is not None:
        values["color"] = _colour_option(args.color, "color")
    if args.align is not None:
        values["align"] = args.align
    if args.stroke is not None:
        width, colour = _pair(args.stroke, "stroke", "#000000")
        values |= {"stroke": width, "stroke_color": colour}
    if args.shadow is not None:
        offset, colour = _pair(args.shadow, "shadow", "#000000")
        values |= {"shadow": offset, "shadow_color": colour}
    if args.box is not None:
        colour, _, opacity = args.box.partition(":")
        values |= {"box_color": _colour_option(colour, "box")}
        values["box_opacity"] = _number(opacity, "box") if opacity else 1.0
    return style_named(args.style, **values) if args.style else TextStyle(**values)


def _motion(args: Any) -> Any:
    """A title's animation from --in KIND[:S], --out KIND[:S] and --loop KIND."""
    from studio.app.project import parse_seconds
    from studio.model.motion import Motion

    values: dict[str, Any] = {"loop": args.loop or ""}
    for name, given in (("enter", args.enter), ("leave", args.leave)):
        if given:
            kind, _, length = given.partition(":")
            values[name] = kind
            if length:
                values[f"{name}_length"] = parse_seconds(length, name)
    return Motion(**values)


def _pair(text: str, field: str, colour: str) -> tuple[float, str]:
    """ "W:C" (or "W"): a number of px and a colour."""
    number, _, given = text.partition(":")
    return _number(number, field), _colour_option(given, field) if given else colour


def _number(text: str, field: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ProjectError(f"must be a number (got {text!r})", field=field) from None


def _colour_option(text: str, field: str) -> str:
    """ "#rrggbb", "rrggbb" or a colour's name (white, black, red, ...)."""
    from studio.app.layers import named_colour

    return named_colour(text, field)


def _look(args: Any) -> Any:
    from studio.app.layers import Look

    names = ("x", "y", "scale", "rotation", "opacity", "blend", "mask", "chroma_key")
    given = {name: getattr(args, name) for name in names}
    pace = {name: getattr(args, name, None) for name in ("ramp", "ramp_sound", "voice_effect")}
    sound = {"gain_db": getattr(args, "gain", None), "denoise": getattr(args, "denoise", None)}
    return Look(**given, keys=tuple(args.keys), ease=args.ease, **pace, **sound)


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
        args.project, args.clips, music=args.music, fit=args.fit, fps=args.fps, hook=args.hook
    )
    print(f"created {path}")
    return EXIT_OK


def run_export(args: Any) -> int:
    from studio.app import caption_sidecars, export_otio, export_project

    if not (args.output or args.otio or args.srt or args.vtt):
        raise StudioError("give -o OUT.mp4, --otio OUT.otio, --srt OUT.srt or --vtt OUT.vtt")
    if args.otio:
        print(f"wrote {export_otio(args.project, args.otio)}")
    for path in caption_sidecars(args.project, args.srt, args.vtt):
        print(f"wrote {path}")
    if args.output:
        with ProgressBar() as task:
            result = export_project(args.project, args.output, args.preset, task)
        _report_export(result)
    return EXIT_OK


def run_import(args: Any) -> int:
    from studio.app.interchange import import_otio

    imported = import_otio(args.timeline, args.output, args.force)
    for warning in imported.warnings:
        print(f"studio: warning: {warning}", file=sys.stderr)
    print(f"wrote {imported.path}")
    return EXIT_OK


def run_batch(args: Any) -> int:
    from studio.app import batch_export, cluster_batch_export
    from studio.settings import hold_ffmpeg_threads

    hold_ffmpeg_threads(args.threads)
    if args.cluster is not None:
        with ProgressBar() as task:
            items = cluster_batch_export(
                args.cluster, args.projects, args.out_dir, args.preset, args.threads, task,
                partial(_job_event, args.json), _note,
            )  # fmt: skip
    else:
        with ProgressBar() as task:
            items = batch_export(
                args.projects, args.out_dir, args.jobs, args.preset, partial(_done, args), task
            )
    failed = sum(1 for item in items if item.status != "ok")
    if args.json:
        print(json.dumps([item.as_json() for item in items], indent=2))
    else:
        print(f"{len(items) - failed} exported, {failed} failed")
    return EXIT_FAILED if failed else EXIT_OK


def _done(args: Any, item: Any) -> None:
    if not args.json:
        detail = item.error if item.error else item.output
        ProgressBar.say(f"{item.status:6s} {item.project} ({item.seconds:.1f} s): {detail}")


def _note(line: str) -> None:
    print(f"studio: {line}", file=sys.stderr, flush=True)


def _job_event(as_json: bool, event: dict[str, Any]) -> None:
    """A cluster job's news: every event as a JSON line on stderr with --json, else a line
    when a job ends (where it ran)."""
    if as_json:
        print(json.dumps(event), file=sys.stderr, flush=True)
    elif event["state"] != "running":
        detail = event.get("error") or event.get("output", "")
        where = f" on {event['host']}" if event.get("host") else ""
        seconds = event.get("seconds") or 0.0
        ProgressBar.say(f"{event['state']:6s} {event['name']} ({seconds:.1f} s{where}): {detail}")


def run_frame(args: Any) -> int:
    from studio.app import frame_at

    print(f"wrote {frame_at(args.project, args.at, args.output, args.size, args.proxy)}")
    return EXIT_OK


def run_beats(args: Any) -> int:
    from studio.app import analyse_beats

    if args.phase is not None:
        return _beats_at(args)

    result = analyse_beats(args.file, bpm=args.bpm)
    if args.json:
        print(json.dumps({"path": args.file, **result.as_json()}, indent=2))
        return EXIT_OK
    bars = f"{result.meter}/4, {len(result.downbeats)} bars"
    print(
        f"{args.file}: {result.tempo:.1f} BPM, {bars}, {len(result.beats)} beats, "
        f"{len(result.onsets)} onsets, {result.duration:.2f} s, confidence {result.confidence:.2f}"
    )
    for name in ("beats", "downbeats", "onsets"):
        print(f"{name}: " + " ".join(f"{t:.3f}" for t in getattr(result, name)))
    sections = ", ".join(
        f"{s.start:.2f} s (energy {s.energy:.2f}, beat {s.confidence:.2f})" for s in result.sections
    )
    print(f"sections: {sections}")
    if not result.steady:
        print(f"studio: warning: {args.file}: {result.warning}", file=sys.stderr)
    return EXIT_OK


def _beats_at(args: Any) -> int:
    """`studio beats SONG --bpm N --phase S`: the grid at that tempo with a beat at S."""
    from studio.app.beats import beats_at
    from studio.app.project import parse_seconds

    if args.bpm is None:
        raise ProjectError("--phase needs --bpm: the tempo the beat at S belongs to")
    grid = beats_at(args.file, args.bpm, float(parse_seconds(args.phase, "phase")))
    beats, bars = [float(t) for t in grid.beats], [float(t) for t in grid.bar_starts]
    if args.json:
        found = {"path": args.file, "tempo": grid.tempo, "meter": grid.meter}
        print(json.dumps({**found, "beats": beats, "downbeats": bars}, indent=2))
        return EXIT_OK
    counts = f"{grid.meter}/4, {len(bars)} bars, {len(beats)} beats"
    print(f"{args.file}: {grid.tempo:.1f} BPM, {counts}")
    print("beats: " + " ".join(f"{t:.3f}" for t in beats))
    print("downbeats: " + " ".join(f"{t:.3f}" for t in bars))
    return EXIT_OK


def run_captions(args: Any) -> int:
    from studio.app import CaptionsRequest, captions, cues, write_sidecars

    request = _request(CaptionsRequest, args)
    with ProgressBar() as task:
        transcript = captions(request, task)
    if args.add:
        print(f"{args.source}: captions track of {len(transcript.words)} words", file=sys.stderr)
    if transcript.model.startswith("pocketsphinx"):
        print(
            "studio: note: transcribed by pocketsphinx (faster-whisper is not installed "
            "here): expect more wrong words; fix them in the project's captions",
            file=sys.stderr,
        )
    written = write_sidecars(transcript, args.srt, args.vtt)
    if args.json:
        print(json.dumps({"source": args.source, **transcript.as_json()}, indent=2))
    else:
        done = 0
        for cue in cues(transcript.words):
            text = cue.text.replace("\n", " ")
            count = len(text.split(" "))
            print(f"{cue.start:7.2f} {cue.end:7.2f}  {text}")
            timed = (f"{w.start:.2f} {w.text}" for w in transcript.words[done : done + count])
            print(f"{'':17s}" + "  ".join(timed))
            done += count
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


def run_devices(args: Any) -> int:
    from studio.cli import display, has_display
    from studio.gui.capture.devices import device_list, gui_app
    from studio.io.capture import ffmpeg_devices

    gui_app(offscreen=not has_display())
    found: dict[str, Any] = device_list()
    through = ffmpeg_devices(display())
    found["ffmpeg"] = {
        "input": through.kind,
        "cameras": list(through.cameras),
        "microphones": list(through.microphones),
        "screens": list(through.screens),
    }
    if args.json:
        print(json.dumps(found, indent=2))
        return EXIT_OK
    for kind in ("cameras", "microphones", "screens"):
        print(f"{kind}: " + ("none" if not found[kind] else ""))
        for device in found[kind]:
            extra = ""
            if kind == "cameras":
                sizes = {f"{f['width']}x{f['height']}@{f['fps']}" for f in device["formats"]}
                extra = " (" + ", ".join(sorted(sizes)[:6]) + ")"
            elif kind == "screens":
                extra = f" ({device['width']}x{device['height']})"
            print(f"  {device['id']}: {device['name']}{extra}")
    print(f"through ffmpeg ({through.kind}; studio record --backend ffmpeg):")
    for kind in ("cameras", "microphones", "screens"):
        print(f"  {kind}: " + (", ".join(found["ffmpeg"][kind]) or "none"))
    return EXIT_OK


def run_record(args: Any) -> int:
    import time
    from pathlib import Path

    from studio.app import parse_size
    from studio.model.limits import check_range

    size = parse_size(args.size)
    check_range("record.duration", args.duration, "duration")
    check_range("record.countdown", args.countdown, "countdown")
    check_range("record.segments", args.segments, "segments")
    output = Path(args.output)
    if output.suffix.lower() != ".mp4":
        raise StudioError("takes are .mp4 files", field="output")
    video = _recorded_video(args)
    through_ffmpeg = _through_ffmpeg(args, video)
    record = (_ffmpeg_recorder if through_ffmpeg else _qt_recorder)(args, video, size)
    for left in range(int(args.countdown), 0, -1):
        print(f"recording in {left}...", file=sys.stderr, flush=True)
        time.sleep(1)
    print("recording: Ctrl+C stops", file=sys.stderr, flush=True)
    print(f"wrote {record(output)}")
    return EXIT_OK


def _recorded_video(args: Any) -> str:
    """camera, screen or test, from --source, --camera and --screen."""
    named = [kind for kind in ("camera", "screen") if getattr(args, kind) is not None]
    if len(named) > 1 or (named and args.source not in (None, named[0])):
        raise StudioError("record one source: --camera, --screen or --source test", field="source")
    return args.source or (named[0] if named else "camera")


def _through_ffmpeg(args: Any, video: str) -> bool:
    """Whether to record through ffmpeg's devices: asked, or QtMultimedia has no camera here
    while ffmpeg has one."""
    if args.backend == "ffmpeg":
        if video == "test":
            raise StudioError("the test source records through QtMultimedia", field="backend")
        return True
    if args.backend == "qt" or video != "camera":
        return False
    from studio.cli import display, has_display
    from studio.gui.capture.devices import device_list, gui_app
    from studio.io.capture import ffmpeg_devices

    gui_app(offscreen=not has_display())
    if device_list()["cameras"] or not ffmpeg_devices(display()).cameras:
        return False
    print("studio: QtMultimedia sees no camera; recording through ffmpeg", file=sys.stderr)
    return True


def _ffmpeg_recorder(args: Any, video: str, size: tuple[int, int]) -> Any:
    """The recording through ffmpeg's devices, checked before any countdown."""
    from studio.cli import display
    from studio.io import capture

    devices = capture.ffmpeg_devices(display())
    found = devices.cameras if video == "camera" else devices.screens
    wanted = getattr(args, video) or (found[0] if found else "")
    device = capture.check_device(found, wanted, video)
    mic = None
    if not args.no_mic and (args.mic or devices.microphones):
        mic = capture.check_device(devices.microphones, args.mic or devices.microphones[0], "mic")
    camera, screen = (device, None) if video == "camera" else (None, device)
    inputs = capture.capture_inputs(devices, camera, screen, mic, size, args.fps)
    return lambda output: capture.record_ffmpeg(output, inputs, args.duration, args.fps)


def _qt_recorder(args: Any, video: str, size: tuple[int, int]) -> Any:
    """The recording through QtMultimedia, its devices opened before any countdown."""
    from studio.cli import has_display
    from studio.gui.capture.devices import gui_app
    from studio.gui.capture.sources import TONE, Choice, open_feed, record_take

    gui_app(offscreen=not has_display())
    sound: str | None = None if args.no_mic else args.mic
    if sound is None and not args.no_mic:
        sound = TONE if video == "test" else _default_mic()
    device = {"camera": args.camera, "screen": args.screen}.get(video) or ""
    choice = Choice(video, device, sound, size, args.fps, mirror=args.mirror)
    feed = open_feed(choice)
    return lambda output: record_take(feed, output, args.duration, args.segments)


def _default_mic() -> str | None:
    """ "" (the system's microphone), or None where there is none (said on stderr)."""
    from studio.gui.qt import multimedia

    if multimedia().QMediaDevices.defaultAudioInput().isNull():
        print("studio: there is no microphone; recording without sound", file=sys.stderr)
        return None
    return ""


def run_beatsync(args: Any) -> int:
    from studio.app import BeatSyncRequest, beatsync

    effects = tuple(kind for kind in ("punch", "flash") if getattr(args, kind))
    request = _request(BeatSyncRequest, args, effects=effects)
    with ProgressBar() as task:
        result, notes = beatsync(request, args.output, args.preset, args.save_project, task)
    for note in notes:
        print(f"studio: {note}", file=sys.stderr)
    _report_saved_and_export(args, result)
    return EXIT_OK


def run_duet(args: Any) -> int:
    from fractions import Fraction

    from studio.app import DuetRequest, make_duet, save_and_export

    request = _request(DuetRequest, args, offset=Fraction(args.offset_ms, 1000))
    with ProgressBar() as task:
        remix = make_duet(request, task.part(0, 0.1))
        if remix.found_offset is not None:
            ProgressBar.say(
                f"auto-sync: your take starts {remix.found_offset * 1000:+.0f} ms into the original"
            )
        result = save_and_export(
            remix.project, args.output, args.preset, args.save_project, task.part(0.1, 1)
        )
    _report_saved_and_export(args, result)
    return EXIT_OK


def run_stitch(args: Any) -> int:
    from studio.app import StitchRequest, make_stitch, save_and_export

    request = _request(StitchRequest, args)
    remix = make_stitch(request)
    with ProgressBar() as task:
        result = save_and_export(remix.project, args.output, args.preset, args.save_project, task)
    _report_saved_and_export(args, result)
    return EXIT_OK


def _request(kind: Any, args: Any, **given: Any) -> Any:
    """A facade request whose fields come from the options of the same name."""
    from dataclasses import fields

    found = {f.name: getattr(args, f.name) for f in fields(kind) if hasattr(args, f.name)}
    return kind(**{**found, **given})


def _report_saved_and_export(args: Any, result: Any) -> None:
    if args.save_project:
        print(f"saved {args.save_project}")
    _report_export(result)


def run_app(args: Any) -> int:
    if args.actions:  # the command table, without starting Qt
        from studio.gui.actions import table_json

        print(json.dumps(table_json(), indent=2))
        return EXIT_OK
    from studio.gui.app import main

    return main([])


def run_demo(args: Any) -> int:
    from studio.app import demo

    with ProgressBar() as task:
        result, notes = demo(args.output, args.preset, task)
    for note in notes:
        print(f"studio: {note}", file=sys.stderr)
    _report_export(result)
    return EXIT_OK


def run_fx(args: Any) -> int:
    from studio.app import FxRequest, fx

    request = _request(FxRequest, args, moviepy=tuple(args.moviepy))
    with ProgressBar() as task:
        result = fx(request, args.output, args.preset, args.save_project, task)
    _report_export(result)
    return EXIT_OK


def run_effects(args: Any) -> int:
    from studio.app import effect_list

    for name, what in effect_list():
        print(f"{name:12s} {what}")
    return EXIT_OK


def _report_export(result: Any) -> None:
    for warning in result.warnings:
        print(f"studio: warning: {warning}", file=sys.stderr)
    print(f"wrote {result.output} ({result.frames} frames, {result.duration:.2f} s)")


class ProgressBar:
    """A Task whose progress is a one-line bar on stderr when it is a terminal (silent in logs,
    pipes and CI): percentage, what is being done and the time left."""

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty()

    def __enter__(self) -> Any:
        from studio.app import Task

        return Task(self.update if self.shown else None)

    def update(self, progress: Any) -> None:
        filled = int(progress.fraction * 30)
        left = f" {progress.eta:4.0f} s left" if progress.eta is not None else ""
        bar = f"[{'#' * filled}{'.' * (30 - filled)}] {progress.fraction:4.0%}{left}"
        sys.stderr.write(f"\r{bar} {progress.message[:30]:30s}")
        sys.stderr.flush()

    @staticmethod
    def say(line: str) -> None:
        print(("\r" if sys.stderr.isatty() else "") + line, flush=True)

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            sys.stderr.write("\n")
