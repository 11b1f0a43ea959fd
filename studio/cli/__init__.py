"""`studio` command line. The only place that prints, and that turns errors into exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from studio import __version__
from studio.cli.commands import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    run_add,
    run_app,
    run_batch,
    run_beats,
    run_beatsync,
    run_captions,
    run_demo,
    run_devices,
    run_duet,
    run_effects,
    run_export,
    run_fonts,
    run_frame,
    run_fx,
    run_import,
    run_new,
    run_probe,
    run_record,
    run_remove,
    run_set,
    run_sfx,
    run_sound,
    run_stickers,
    run_stitch,
    run_text_styles,
    run_tracks,
    run_transitions,
)
from studio.cli.sound import (
    add_audio_kind,
    add_tts_kind,
    duck_options,
    sound_options,
    track_options,
    tts_parser,
)
from studio.console import utf8_output
from studio.errors import StudioError
from studio.model.timeline import Layout
from studio.model.tracks import TRANSITIONS

PRESETS = ("tiktok", "tiktok60", "reels", "shorts", "draft")


def main(argv: Sequence[str] | None = None) -> int:
    utf8_output()
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["app"] and words[1:] != ["--actions"]:  # the app parses its own options
        from studio.gui.app import main as app_main

        return app_main(words[1:])
    parser = build_parser()
    args = parser.parse_args(words)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        from studio.settings import Settings, apply

        apply(Settings.from_environment(os.environ))  # the one place the environment is read
        return int(args.run(args))
    except StudioError as error:
        print(f"studio: error: {_in_flags(error, args.command_parser)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("studio: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - a quiet shutdown
        return EXIT_OK


def has_display() -> bool:
    """Whether a window could be shown (devices lists screens offscreen otherwise)."""
    return sys.platform in ("win32", "darwin") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def display() -> str | None:
    """The X display ffmpeg's x11grab records ($DISPLAY)."""
    return os.environ.get("DISPLAY")


# Fields whose command-line option is not simply --FIELD (with - for _).
RENAMED = {
    "stitch": {"start": "--from"},
    "duet": {"offset": "--offset-ms"},
    "text": {"enter": "--in", "leave": "--out", "enter_length": "--in", "leave_length": "--out"},
}
RENAMED["sticker"] = RENAMED["text"]
RENAMED["captions"] = {"scale": "--size"}
RENAMED["sfx"] = {"on_beat": "--on-beat", "on_cut": "--on-cut"}
RENAMED["audio"] = RENAMED["sound"] = {"gain_db": "--gain"}
RENAMED["batch"] = {"ffmpeg_threads": "--threads"}
RENAMED["set"] = {"depth_db": "--duck", "attack": "--duck-attack", "release": "--duck-release"}
RENAMED["set"]["gain_db"] = "--gain"


def _in_flags(error: StudioError, command: argparse.ArgumentParser | None) -> str:
    """The error's one line, naming the command-line option where the field has one."""
    if command is None:
        return error.message
    options = {o for action in command._actions for o in action.option_strings}
    renamed = RENAMED.get(command.prog.split()[-1], {})
    flag = renamed.get(error.field or "", f"--{(error.field or '').replace('_', '-')}")
    if error.field and flag in options:
        text = f"{flag}: {error.reason}"
        return f"{error.path}: {text}" if error.path else text
    return error.message


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio", description="Vertical short-video editor: cut, remix, export 1080x1920."
    )
    parser.add_argument("--version", action="version", version=f"studio {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in (
        _probe_parser,
        _new_parser,
        _tracks_parser,
        _add_parser,
        _set_parser,
        _remove_parser,
        _transitions_parser,
        _fonts_parser,
        _text_styles_parser,
        _stickers_parser,
        _sfx_parser,
        _tts_parser,
        _export_parser,
        _import_parser,
        _batch_parser,
        _frame_parser,
        _beats_parser,
        _sound_parser,
        _captions_parser,
        _devices_parser,
        _record_parser,
        _beatsync_parser,
        _duet_parser,
        _stitch_parser,
        _demo_parser,
        _fx_parser,
        _effects_parser,
        _app_parser,
    ):
        add(commands)
    return parser


def _command(commands: Any, name: str, help_text: str, run: Callable[[Any], int]) -> Any:
    command = commands.add_parser(name, help=help_text, description=help_text)
    command.set_defaults(run=run, command_parser=command)
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


def _choices(key: str) -> tuple[Any, ...]:
    from studio.model.limits import CHOICES

    return CHOICES[key].values


def _fit_option(command: Any) -> None:
    command.add_argument(
        "--fit",
        choices=_choices("fit.mode"),
        default="crop",
        help="how clips fill the 9:16 frame (default: crop)",
    )


def _fps_option(command: Any) -> None:
    command.add_argument("--fps", type=int, choices=_choices("canvas.fps"), default=30)


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


def _tracks_parser(commands: Any) -> None:
    command = _command(commands, "tracks", "list a project's tracks and their items", run_tracks)
    command.add_argument("project", metavar="PROJECT.studio.json")
    command.add_argument("--json", action="store_true", help="one JSON list on stdout")


def _add_parser(commands: Any) -> None:
    command = _command(
        commands, "add", "add an overlay, a title, a clip, a sound or a transition", run_add
    )
    command.add_argument("project", metavar="PROJECT.studio.json")
    kinds = command.add_subparsers(title="what", metavar="WHAT", dest="what", required=True)
    overlay = kinds.add_parser("overlay", help="a picture or video over the edit (B-roll, PiP)")
    overlay.add_argument("file", metavar="FILE", help="a video, a picture, or color:#RRGGBB")
    overlay.add_argument("--at", required=True, metavar="S", help="where it starts, seconds")
    overlay.add_argument("--for", dest="length", metavar="S", help="how long (default: all)")
    overlay.add_argument("--track", metavar="N|ID", help="overlay track number or id")
    _transform_options(overlay, defaults_note=" (default 0.5)")
    text = kinds.add_parser("text", help="a title: text drawn over the edit")
    _text_options(text)
    sticker = kinds.add_parser("sticker", help="a sticker: bundled, or your PNG, WebP, GIF, APNG")
    _sticker_options(sticker)
    clip = kinds.add_parser("clip", help="a clip on the main track, at the cut nearest --at")
    clip.add_argument("file", metavar="FILE", help="a video, a picture, or color:#RRGGBB")
    clip.add_argument("--at", metavar="S", help="seconds (default: at the end)")
    clip.add_argument("--track", default="main", choices=("main",), help="the main track")
    sfx = kinds.add_parser("sfx", help="a sound effect of `studio sfx` (whoosh, pop, ding, ...)")
    sfx.add_argument("name", metavar="NAME", help="a sound effect of `studio sfx`")
    when = sfx.add_mutually_exclusive_group()
    when.add_argument("--at", metavar="S", help="where it starts, seconds (default 0)")
    when.add_argument("--on-beat", type=int, metavar="N", help="on the music's beat N (from 1)")
    when.add_argument("--on-cut", type=int, metavar="N", help="on the edit's cut N (from 1)")
    sfx.add_argument("--track", metavar="N|ID", help="audio track number or id")
    sound = add_audio_kind(kinds)
    _voice_option(sound)
    tts = add_tts_kind(kinds)
    transition = kinds.add_parser("transition", help="a transition between main-track clips")
    which = transition.add_mutually_exclusive_group(required=True)
    which.add_argument("--after", metavar="CLIP_ID", help="from this clip into the next")
    which.add_argument("--all", action="store_true", help="between every two clips")
    transition.add_argument("--kind", required=True, choices=TRANSITIONS, metavar="KIND")
    transition.add_argument("--length", default="0.5", metavar="S", help="seconds (default 0.5)")
    transition.add_argument(
        "--ease",
        default="linear",
        choices=_choices("transition.ease"),
        metavar="EASE",
        help="linear, in, out or in-out",
    )
    for part in (overlay, text, sticker, sfx, clip, sound, tts, transition):
        part.set_defaults(command_parser=part)


def _text_options(text: Any) -> None:
    """`studio add PROJECT text`: sizes are px of a 1080-wide canvas, x and y the centre."""
    text.add_argument("text", metavar="TEXT", help="the words (\\n starts a new line)")
    text.add_argument("--at", required=True, metavar="S", help="where it starts, seconds")
    text.add_argument("--for", dest="length", default="3", metavar="S", help="seconds (default 3)")
    text.add_argument("--track", metavar="N|ID", help="overlay track number or id")
    text.add_argument(
        "--style", metavar="NAME", help="a look of `studio text-styles` to start from"
    )
    text.add_argument("--font", metavar="NAME|FILE", help="a font of `studio fonts`, or a file")
    text.add_argument("--size", type=float, metavar="PX", help="font size (default 96)")
    text.add_argument("--color", metavar="C", help="text colour, #rrggbb (default white)")
    text.add_argument("--stroke", metavar="W:C", help="an outline W px wide, colour C")
    text.add_argument("--shadow", metavar="D[:C]", help="a shadow D px down and right")
    text.add_argument("--box", metavar="C[:OPACITY]", help="a box behind the text")
    text.add_argument("--width", type=float, metavar="W", help="wrap at W px (default: none)")
    text.add_argument(
        "--align", choices=_choices("title.align"), metavar="SIDE", help="center, left or right"
    )
    _place_options(text)
    _motion_options(text)
    timing = text.add_mutually_exclusive_group()
    timing.add_argument("--snap", action="store_true", help="start and end on the music's beats")
    timing.add_argument(
        "--on-beats", action="store_true", help="one word per beat, from the first beat at --at"
    )


def _sticker_options(sticker: Any) -> None:
    """`studio add PROJECT sticker`: a name of `studio stickers` or a picture file."""
    sticker.add_argument("sticker", metavar="NAME|FILE", help="a sticker of `studio stickers`")
    sticker.add_argument("--at", required=True, metavar="S", help="where it starts, seconds")
    sticker.add_argument("--for", dest="length", default="3", metavar="S", help="seconds (3)")
    sticker.add_argument("--track", metavar="N|ID", help="overlay track number or id")
    sticker.add_argument("--scale", type=float, metavar="S", help="width, of the canvas width")
    _place_options(sticker)
    _motion_options(sticker)


def _place_options(command: Any) -> None:
    """Where a title or sticker stands: its centre, turn and opacity."""
    for name in ("x", "y"):
        side = "width" if name == "x" else "height"
        command.add_argument(
            f"--{name}", type=float, metavar=name.upper(), help=f"centre, of the {side}"
        )
    command.add_argument("--rotation", type=float, metavar="DEG", help="degrees, clockwise")
    command.add_argument("--opacity", type=float, metavar="O", help="0 (clear) .. 1")


def _motion_options(command: Any) -> None:
    """How a title or sticker comes in, goes out and moves while it shows."""
    kinds = ", ".join(kind for kind in _choices("motion.enter") if kind)
    command.add_argument("--in", dest="enter", metavar="KIND[:S]", help=f"coming in: {kinds}")
    command.add_argument("--out", dest="leave", metavar="KIND[:S]", help="going out: the same")
    loops = [kind for kind in _choices("motion.loop") if kind]
    command.add_argument("--loop", choices=loops, metavar="KIND",
                         help=f"while showing: {', '.join(loops)}")  # fmt: skip


def _set_parser(commands: Any) -> None:
    command = _command(commands, "set", "change an item's place, size, look and keys", run_set)
    command.add_argument("project", metavar="PROJECT.studio.json")
    command.add_argument(
        "item",
        nargs="?",
        metavar="ITEM_ID",
        help="as `studio tracks` lists it (not with --duck or --track)",
    )
    _transform_options(command, defaults_note="")
    command.add_argument(
        "--speed-ramp",
        dest="ramp",
        choices=(*_choices("clip.ramp"), "none"),
        metavar="PRESET",
        help="a speed ramp over the clip: montage, hero, bullet, 'flash in', 'flash out', "
        "or none (one speed again)",
    )
    command.add_argument(
        "--ramp-sound",
        choices=_choices("clip.ramp_sound"),
        metavar="SOUND",
        help="a ramped clip's sound: pitch (kept at its pitch, the default) or mute",
    )
    _voice_option(command, off=True)
    sound_options(command, tracks=True)
    duck_options(command)
    track_options(command)


def _voice_option(command: Any, off: bool = False) -> None:
    kinds = [kind for kind in _choices("clip.voice_effect") if kind]
    command.add_argument(
        "--voice-effect",
        choices=[*kinds, "none"] if off else kinds,
        metavar="KIND",
        help=f"its sound changed: {', '.join(kinds)}" + (", or none" if off else ""),
    )


def _remove_parser(commands: Any) -> None:
    command = _command(commands, "remove", "remove an item (clip, overlay, transition)", run_remove)
    command.add_argument("project", metavar="PROJECT.studio.json")
    command.add_argument("item", metavar="ITEM_ID", help="as `studio tracks` lists it")


def _transitions_parser(commands: Any) -> None:
    _command(commands, "transitions", "list the kinds of transition", run_transitions)


def _fonts_parser(commands: Any) -> None:
    _command(commands, "fonts", "list the fonts bundled for titles", run_fonts)


def _sfx_parser(commands: Any) -> None:
    command = _command(commands, "sfx", "list the sound effects (studio add ... sfx NAME)", run_sfx)
    command.add_argument("--json", action="store_true", help="one JSON list on stdout")


def _tts_parser(commands: Any) -> None:
    tts_parser(commands, _command)


def _stickers_parser(commands: Any) -> None:
    command = _command(commands, "stickers", "list the bundled stickers", run_stickers)
    command.add_argument("--json", action="store_true", help="one JSON list on stdout")


def _text_styles_parser(commands: Any) -> None:
    _command(commands, "text-styles", "list the title styles (--style)", run_text_styles)


def _transform_options(command: Any, defaults_note: str) -> None:
    command.add_argument(
        "--x", type=float, metavar="X", help=f"centre, 0..1 of the width{defaults_note}"
    )
    command.add_argument(
        "--y", type=float, metavar="Y", help=f"centre, 0..1 of the height{defaults_note}"
    )
    command.add_argument("--scale", type=float, metavar="W", help="width, of the canvas width")
    command.add_argument("--rotation", type=float, metavar="DEG", help="degrees, clockwise")
    command.add_argument("--opacity", type=float, metavar="O", help="0 (clear) .. 1")
    command.add_argument(
        "--blend",
        choices=_choices("transform.blend"),
        metavar="MODE",
        help="over, screen, multiply or add",
    )
    command.add_argument(
        "--mask",
        choices=_choices("mask.shape"),
        metavar="SHAPE",
        help="rect, rounded or circle",
    )
    command.add_argument(
        "--chroma-key", metavar="COLOUR", help="cut this colour out: green, #00ff00"
    )
    command.add_argument(
        "--key",
        dest="keys",
        action="append",
        default=[],
        metavar="T:PROP=V[,PROP=V]",
        help="a keyframe, T seconds from the item's start (repeat for more): "
        "x, y, scale, rotation, opacity, crop_left, crop_top, crop_right, crop_bottom; "
        "volume; speed (T: seconds of the clip's media from its in point)",
    )
    command.add_argument(
        "--ease",
        default="linear",
        choices=_choices("key.ease"),
        metavar="EASE",
        help="the keys' easing: linear, in, out, in-out, hold",
    )


def _new_parser(commands: Any) -> None:
    command = _command(commands, "new", "create a project from clips", run_new)
    command.add_argument("project", metavar="PROJECT.studio.json")
    command.add_argument("clips", nargs="+", metavar="CLIP")
    command.add_argument("--music", metavar="FILE", help="soundtrack under the whole edit")
    command.add_argument(
        "--hook", type=int, choices=(15, 30), help="the music from its hook (15 or 30 s, on a bar)"
    )
    _fit_option(command)
    _fps_option(command)


def _export_parser(commands: Any) -> None:
    command = _command(commands, "export", "render a project to MP4 (or .otio)", run_export)
    command.add_argument("project", metavar="PROJECT")
    command.add_argument("-o", "--output", metavar="OUT.mp4")
    command.add_argument("--otio", metavar="OUT.otio", help="also write an OpenTimelineIO file")
    command.add_argument("--srt", metavar="OUT.srt", help="also write the captions as SubRip")
    command.add_argument("--vtt", metavar="OUT.vtt", help="also write the captions as WebVTT")
    _preset_option(command)


def _import_parser(commands: Any) -> None:
    command = _command(
        commands, "import", "make a project of an OpenTimelineIO timeline (.otio)", run_import
    )
    command.add_argument("timeline", metavar="EDIT.otio")
    command.add_argument("-o", "--output", required=True, metavar="PROJECT.studio.json")
    command.add_argument("--force", action="store_true", help="replace an existing project")


def _batch_parser(commands: Any) -> None:
    command = _command(commands, "batch", "export many projects, several at a time", run_batch)
    command.add_argument("projects", nargs="+", metavar="PROJECT")
    command.add_argument("--out-dir", required=True, metavar="DIR")
    command.add_argument("--jobs", type=int, default=1, metavar="N", help="exports at once")
    command.add_argument(
        "--cluster", metavar="ADDRESS",
        help="export on a Dask cluster: local:N (N worker processes here) or tcp://HOST:PORT "
        "(a scheduler `dask scheduler` started); projects, media and DIR on storage every "
        "worker sees, or fsspec URLs (docs/cluster.md)",
    )  # fmt: skip
    command.add_argument(
        "--threads", type=int, default=0, metavar="N",
        help="threads each export's ffmpeg may use (default 0: all cores)",
    )  # fmt: skip
    command.add_argument(
        "--json", action="store_true",
        help="results as JSON on stdout (and, on a cluster, each job's progress as JSON lines "
        "on stderr)",
    )  # fmt: skip
    _preset_option(command)


def _frame_parser(commands: Any) -> None:
    command = _command(commands, "frame", "render one composed frame as PNG", run_frame)
    command.add_argument("project", metavar="PROJECT")
    command.add_argument("--at", required=True, metavar="T", help="seconds, e.g. 3.5 or 0:03.5")
    command.add_argument("-o", "--output", required=True, metavar="frame.png")
    command.add_argument(
        "--size", metavar="WxH", help="default: 540x960, or the canvas's shape in that box"
    )
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
    _bpm_option(command)
    command.add_argument(
        "--phase", metavar="S",
        help="with --bpm: a beat falls at S seconds (the grid on the beat, not the off-beat)",
    )  # fmt: skip


def _sound_parser(commands: Any) -> None:
    command = _command(
        commands, "sound", "take the sound of a video or audio file, whole or its hook", run_sound
    )
    command.add_argument("source", metavar="VIDEO_OR_AUDIO")
    command.add_argument("-o", "--output", required=True, metavar="SOUND.m4a", help=".m4a or .wav")
    command.add_argument(
        "--hook", type=int, choices=(15, 30), help="its loudest, most repeated 15 or 30 s, on a bar"
    )


def _captions_parser(commands: Any) -> None:
    command = _command(
        commands,
        "captions",
        "the words spoken in a clip or an edit, with their times",
        run_captions,
    )
    command.add_argument("source", metavar="MEDIA_OR_PROJECT")
    command.add_argument("--srt", metavar="OUT.srt", help="write SubRip captions")
    command.add_argument("--vtt", metavar="OUT.vtt", help="write WebVTT captions")
    command.add_argument("--json", action="store_true", help="every word with its times")
    command.add_argument(
        "--add",
        action="store_true",
        help="a project: put the words into its captions track (studio export burns them in)",
    )
    command.add_argument(
        "--style", choices=_choices("captions.style"), help="with --add: how captions look"
    )
    command.add_argument("--width", type=int, help="with --add: characters per line (28)")
    command.add_argument("--lines", type=int, help="with --add: lines per caption (2)")
    command.add_argument("--font", metavar="NAME|FILE", help="with --add: a font of `studio fonts`")
    command.add_argument("--x", type=float, metavar="X", help="with --add: centre, of the width")
    command.add_argument(
        "--y", type=float, metavar="Y", help="with --add: centre, of the height (0: the default)"
    )
    command.add_argument("--size", type=float, metavar="S", help="with --add: times the style's")
    command.add_argument(
        "--language", default="en", help="spoken language (other than en: give --model)"
    )
    command.add_argument(
        "--model",
        metavar="FOLDER",
        help="another local CTranslate2 Whisper model (default: the bundled tiny.en)",
    )


def _devices_parser(commands: Any) -> None:
    command = _command(commands, "devices", "cameras, microphones and screens", run_devices)
    command.add_argument("--json", action="store_true")


def _record_parser(commands: Any) -> None:
    what = "record a take (camera, screen, or the built-in test source)"
    command = _command(commands, "record", what, run_record)
    command.add_argument("-o", "--output", required=True, metavar="TAKE.mp4")
    command.add_argument(
        "--source",
        choices=("camera", "screen", "test"),
        help="camera (the default), screen, or test: a test pattern and tone through the real "
        "recorder (for a machine without a camera)",
    )
    command.add_argument(
        "--camera", nargs="?", const="", metavar="ID", help="this camera (studio devices)"
    )
    command.add_argument(
        "--screen", nargs="?", const="", metavar="ID", help="this screen (studio devices)"
    )
    command.add_argument("--mic", metavar="ID", help="this microphone (default: the system's)")
    command.add_argument("--no-mic", action="store_true", help="record no sound")
    command.add_argument("--mirror", action="store_true", help="flip the take left to right")
    command.add_argument(
        "--backend",
        choices=("auto", "qt", "ffmpeg"),
        default="auto",
        help="qt: QtMultimedia; ffmpeg: ffmpeg's own capture devices; auto: QtMultimedia, "
        "else ffmpeg where only it has the device",
    )
    command.add_argument("--duration", type=float, default=5.0, metavar="S")
    command.add_argument("--countdown", type=float, default=0.0, metavar="S")
    command.add_argument("--size", default="720x1280", metavar="WxH")
    command.add_argument("--fps", type=int, choices=_choices("canvas.fps"), default=30)
    command.add_argument(
        "--segments", type=int, default=1, metavar="N", help="record in N start/stop segments"
    )


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
        choices=_choices("sync.mode"),
        default="beats",
        help="cut on beats, on bar starts, or by energy (short shots where the music is intense)",
    )
    command.add_argument(
        "--pick",
        choices=_choices("sync.pick"),
        default="order",
        help="take clips from their start, or their liveliest parts (motion, sharpness, faces)",
    )
    command.add_argument("--start", default="0", metavar="S", help="start S seconds into the music")
    command.add_argument(
        "--hook", type=int, choices=(15, 30),
        help="cut to the music's hook (its loudest, most repeated 15 or 30 s, on a bar)",
    )  # fmt: skip
    command.add_argument("--duration", metavar="D", help="about D seconds, ending on a bar")
    command.add_argument(
        "--short",
        choices=_choices("sync.short"),
        default="next",
        help="a clip shorter than its slot: take the next clip, slow it down, or loop it",
    )
    command.add_argument(
        "--transition",
        default="",
        metavar="KIND[:S]",
        help="a transition on every cut, centred on its beat (`studio transitions` lists "
        "kinds; default length 0.25 s), e.g. whip:0.3",
    )
    command.add_argument("--punch", action="store_true", help="zoom punch on every bar start")
    command.add_argument("--flash", action="store_true", help="white flash on every bar start")
    command.add_argument(
        "--effects-on", choices=_choices("effect.on"), default="downbeats", metavar="LEVEL"
    )
    command.add_argument("--strength", type=float, default=0.5, help="effect strength 0..1")
    command.add_argument("--fit", choices=_choices("fit.mode"), default="crop")
    _bpm_option(command)
    command.add_argument(
        "--bar-start",
        metavar="S",
        help="a bar starts on the beat nearest S seconds into the music (when bars are found "
        "on another beat)",
    )
    command.add_argument(
        "--beats-per-bar", type=int, default=0, metavar="N", help="N beats in a bar (2-7)"
    )
    _fps_option(command)
    _saving_options(command)


def _bpm_option(command: Any) -> None:
    command.add_argument(
        "--bpm",
        type=float,
        metavar="N",
        help="the music's tempo if you know it (50-220): settles a half- or double-time reading",
    )


def _fx_parser(commands: Any) -> None:
    command = _command(commands, "fx", "one clip with AI effects, exported 1080x1920", run_fx)
    command.add_argument("clip", metavar="IN")
    command.add_argument("-o", "--output", required=True, metavar="OUT.mp4")
    _fit_option(command)
    command.add_argument(
        "--background",
        metavar="blur|#RRGGBB|FILE",
        help="replace what is behind the person: blur it, a colour, a picture or a video",
    )
    command.add_argument("--strength", type=float, default=0.6, help="background blur 0..1")
    command.add_argument("--feather", type=float, default=0.3, help="person's edge softness 0..1")
    command.add_argument(
        "--look", metavar="NAME[:INTENSITY]", help="a colour look (studio effects lists them)"
    )
    command.add_argument("--beauty", type=float, default=0.0, help="skin smoothing 0..1")
    command.add_argument(
        "--sticker",
        metavar="PNG|glasses|crown",
        help="a picture that follows the face (a PNG with transparency, or a built-in one)",
    )
    command.add_argument(
        "--sticker-on",
        choices=_choices("sticker.anchor"),
        help="where on the face (default: eyes; forehead for the crown)",
    )
    command.add_argument(
        "--sticker-size", type=float, default=1.0, help="times the face's width (default 1)"
    )
    command.add_argument(
        "--artistic",
        metavar="cartoon|sketch|oil[:AMOUNT]",
        help="an artistic filter (slow render: computed frame by frame)",
    )
    command.add_argument(
        "--moviepy",
        action="append",
        default=[],
        metavar="NAME[:key=value,...]",
        help="a moviepy video effect (slow render; repeat for more, applied in order)",
    )
    command.add_argument(
        "--face-blur",
        nargs="?",
        const="all",
        choices=_choices("faces.which"),
        help="blur every face (all, the default) or every face but the largest (others)",
    )
    _fps_option(command)
    _saving_options(command)


def _effects_parser(commands: Any) -> None:
    _command(commands, "effects", "list the AI effects and their options", run_effects)


def _duet_parser(commands: Any) -> None:
    command = _remix_command(commands, "duet", "play your video beside an original one", run_duet)
    command.add_argument(
        "--layout",
        choices=_choices("layout.kind"),
        default="side",
        help="side by side, original on top, or yours as a picture-in-picture (default: side)",
    )
    command.add_argument("--fit", choices=_choices("layout.fit"), default="crop")
    command.add_argument(
        "--corner",
        choices=_choices("layout.corner"),
        default=Layout.corner,
        help=f"react: where your picture goes (default: {Layout.corner})",
    )
    command.add_argument(
        "--size", type=float, default=Layout.size, help="react: width, of the canvas"
    )
    command.add_argument("--audio", choices=_choices("duet.audio"), default="both")
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
    command.add_argument("--length", choices=_choices("duet.length"), default="original")
    command.add_argument(
        "--fill",
        choices=_choices("duet.fill"),
        default="freeze",
        help="a side that is not playing: hold its frame or show black",
    )
    _saving_options(command)


def _stitch_parser(commands: Any) -> None:
    command = _remix_command(commands, "stitch", "up to 5 s of an original, then yours", run_stitch)
    command.add_argument("--from", dest="start", default="0", metavar="S", help="in-point")
    command.add_argument("--length", default="5", metavar="L", help="seconds, at most 5")
    command.add_argument("--transition", choices=_choices("stitch.transition"), default="none")
    command.add_argument(
        "--credit",
        nargs="?",
        const="",
        metavar="TEXT",
        help="show a credit over the original's part (default text: Stitched from NAME)",
    )
    _saving_options(command)


def _app_parser(commands: Any) -> None:
    """Listed in the help; `main` hands `studio app ...` to the app before parsing."""
    command = _command(commands, "app", "open the desktop app (see studio app --help)", run_app)
    command.add_argument(
        "--actions", action="store_true", help="print the app's commands as JSON and exit"
    )


def _demo_parser(commands: Any) -> None:
    command = _command(commands, "demo", "render the bundled demo edit", run_demo)
    command.add_argument("-o", "--output", default="demo.mp4", metavar="OUT.mp4")
    _preset_option(command)
