"""The sound commands: `studio tts`, `studio voices`, and what `studio add` and `studio set`
take for sound (`add ... audio`, `add ... tts`, `set ... --duck`, gain and noise reduction)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from studio.cli.commands import EXIT_OK

ROLES = ("voice", "sfx", "music", "effects")  # "sfx" and "effects": sound-effect tracks


def add_audio_kind(kinds: Any) -> Any:
    """`studio add PROJECT audio FILE` (or `sound FILE`, its older name)."""
    audio = kinds.add_parser(
        "audio", aliases=["sound"], help="a voice-over, sound effect or music on its own track"
    )
    audio.add_argument("file", metavar="FILE")
    audio.add_argument("--at", required=True, metavar="S", help="where it starts, seconds")
    audio.add_argument("--for", dest="length", metavar="S", help="how long (default: all)")
    audio.add_argument(
        "--role", default="voice", choices=ROLES, metavar="ROLE",
        help="voice (the default: ducks the music), sfx or music",
    )  # fmt: skip
    audio.add_argument("--track", metavar="N|ID", help="audio track number or id")
    audio.add_argument("--fade-in", default="0", metavar="S", help="seconds (default 0)")
    audio.add_argument("--fade-out", default="0", metavar="S", help="seconds (default 0)")
    sound_options(audio)
    return audio


def sound_options(command: Any, tracks: bool = False) -> None:
    """Gain and noise reduction, for `add ... audio` and `set` (`tracks`: a track's gain too)."""
    also = ", a track's (--track) -60 to +20" if tracks else ""
    command.add_argument(
        "--gain", type=float, metavar="DB", help=f"its level in dB, -60 to +12{also}"
    )
    command.add_argument(
        "--denoise",
        type=float,
        metavar="S",
        help="take steady noise (hiss, hum, fans) out of its sound, 0 (off) to 1 (strongest)",
    )


def add_tts_kind(kinds: Any) -> Any:
    """`studio add PROJECT tts "TEXT"`: a reading placed on a voice track."""
    tts = kinds.add_parser("tts", help="text read aloud by a voice of `studio voices`")
    tts.add_argument("text", nargs="?", metavar="TEXT", help="the words (or --read a title)")
    tts.add_argument("--read", metavar="TITLE_ID", help="read a title's words, from its start")
    tts.add_argument("--at", metavar="S", help="where it starts, seconds (default 0)")
    tts.add_argument("--track", metavar="N|ID", help="voice track number or id")
    _voice_options(tts)
    return tts


def _voice_options(command: Any) -> None:
    from studio.render.tts import DEFAULT_VOICE, VOICES

    command.add_argument(
        "--voice", default=DEFAULT_VOICE, choices=tuple(VOICES), metavar="NAME",
        help=f"a voice of `studio voices` (default {DEFAULT_VOICE})",
    )  # fmt: skip
    command.add_argument(
        "--speed", type=float, default=1.0, metavar="X", help="0.5 (slow) to 2 (fast), default 1"
    )


def tts_parser(commands: Any, command: Any) -> None:
    tts = command(commands, "tts", "read text aloud into a sound file (offline)", run_tts)
    tts.add_argument("text", metavar="TEXT")
    tts.add_argument("-o", "--output", required=True, metavar="OUT.wav")
    _voice_options(tts)
    voices = command(commands, "voices", "list the voices of `studio tts`", run_voices)
    voices.add_argument("--json", action="store_true", help="one JSON list on stdout")


def track_options(command: Any) -> None:
    """`studio set PROJECT --track ID`: a track's gain (--gain) and switches."""
    command.add_argument("--track", metavar="N|ID", help="change a track (its --gain, --mute, ...)")
    for name, what in (
        ("mute", "its sound off"),
        ("solo", "only it (and other solo tracks) heard"),
        ("hide", "its picture off"),
        ("lock", "its items refuse edits by hand"),
    ):
        command.add_argument(
            f"--{name}", choices=("on", "off"), metavar="on|off", help=f"with --track: {what}"
        )  # fmt: skip


SWITCHES = {"mute": "muted", "solo": "solo", "hide": "hidden", "lock": "locked"}


def set_track(args: Any) -> int:
    from studio.app import layers

    switches = {
        field: getattr(args, option) == "on"
        for option, field in SWITCHES.items()
        if getattr(args, option) is not None
    }
    if args.gain is None and not switches:
        from studio.errors import ProjectError

        raise ProjectError("say what to change on the track: --gain, --mute, --solo, ...")
    track = layers.set_track(args.project, args.track, args.gain, switches)
    on = [option for option, field in SWITCHES.items() if getattr(track, field)]
    state = f"{track.gain_db:+g} dB" + "".join(f", {name}" for name in on)
    print(f"set track {track.id}: {state}")
    return EXIT_OK


def duck_options(command: Any) -> None:
    """`studio set PROJECT --duck DB`: the music and clips' sound under the voices."""
    command.add_argument(
        "--duck", type=float, metavar="DB",
        help="how far music and clips' sound drop while a voice speaks (0: off; default 12)",
    )  # fmt: skip
    command.add_argument("--duck-attack", metavar="S", help="seconds to drop (default 0.15)")
    command.add_argument("--duck-release", metavar="S", help="seconds to come back (default 0.4)")
    command.add_argument(
        "--duck-key", dest="duck_keys", action="append", default=[], metavar="T:DB",
        help="edit the ducking curve as keys: its gain (dB, 0 to -40) at T seconds of the edit "
        "(repeat for more; the curve stays as edited until --duck-auto or a new --duck)",
    )  # fmt: skip
    command.add_argument(
        "--duck-auto", action="store_true",
        help="the ducking curve made by the voices again, not the keys edited by hand",
    )  # fmt: skip


def run_tts(args: Any) -> int:
    from studio.render.tts import write_reading

    output = Path(args.output)
    if output.suffix.lower() != ".wav":
        from studio.errors import MediaError

        raise MediaError("the reading is written as WAV: name the output .wav", output)
    import wave

    write_reading(args.text, output, args.voice, args.speed)
    with wave.open(str(output), "rb") as reading:
        seconds = reading.getnframes() / reading.getframerate()
    print(f"wrote {output} ({seconds:.2f} s, voice {args.voice})")
    return EXIT_OK


def run_voices(args: Any) -> int:
    from studio.render.tts import VOICES

    if args.json:
        print(json.dumps([{"name": v.name, "label": v.label} for v in VOICES.values()], indent=2))
        return EXIT_OK
    for voice in VOICES.values():
        print(f"{voice.name:8s} {voice.label}")
    return EXIT_OK


def add_audio(args: Any, at: Any, length: Any) -> Any:
    from studio.app import layers
    from studio.app.project import parse_seconds

    look = layers.SoundLook(
        gain_db=args.gain or 0.0,
        fade_in=parse_seconds(args.fade_in, "fade_in"),
        fade_out=parse_seconds(args.fade_out, "fade_out"),
        voice_effect=args.voice_effect or "",
        denoise=args.denoise or 0.0,
    )
    return layers.add_sound(args.project, args.file, at, args.role, length, args.track, look)


def add_reading(args: Any, at: Any) -> Any:
    from studio.app import layers
    from studio.errors import ProjectError

    if (args.text is None) == (args.read is None):
        raise ProjectError("give the words to read, or --read a title's id (one of the two)")
    return layers.add_reading(
        args.project, args.text or "", at, args.voice, args.speed, args.track, args.read
    )


def set_ducking(args: Any) -> int:
    from studio.app import layers
    from studio.app.project import parse_seconds

    attack = parse_seconds(args.duck_attack, "attack") if args.duck_attack else None
    release = parse_seconds(args.duck_release, "release") if args.duck_release else None
    if args.duck is not None:
        ducking = layers.set_ducking(args.project, args.duck, attack, release)
        if not ducking.on:
            print("ducking off: music and clips' sound keep their level under voices")
            return EXIT_OK
        print(
            f"ducking {ducking.depth_db:g} dB under voices "
            f"({float(ducking.attack):g} s down, {float(ducking.release):g} s back)"
        )
    if args.duck_keys or args.duck_auto:
        keys = [layers.parse_duck_key(text) for text in args.duck_keys]
        curve = layers.edit_ducking(args.project, keys, args.duck_auto)
        how = "edited by hand" if args.duck_keys else "made by the voices"
        shown = ", ".join(f"{float(key.time):g} s {key.value:g} dB" for key in curve.keys)
        print(f"ducking curve {how}: {shown or 'no voice speaks'}")
    return EXIT_OK
