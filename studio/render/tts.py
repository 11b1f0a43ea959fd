"""Text to speech, offline: SVOX Pico (the engine Android spoke with, Apache-2.0, from AOSP)
through the `py-nanotts` wheel, which carries the engine and its English voices. No model is
downloaded, nothing runs in another process, and a 20-word sentence takes about 35 ms.

A reading is written once into a 16 kHz mono WAV file where it is used (beside the project,
named by what it says and how, so the project keeps it), then it is an ordinary voice clip.
Why Pico and what else was measured: docs/text_to_speech.md.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from studio.errors import MediaError
from studio.io.files import write_wav

RATE = 16000  # Pico's output: mono, 16-bit little-endian
VOLUME = 0.5  # Pico's own level clips (hundreds of samples at full scale); half peaks near -3 dBFS
SPEEDS = (0.5, 2.0)  # slower and faster than this are hard to follow
VERSION = 1  # raised when a reading changes: its files are written again


@dataclass(frozen=True)
class Voice:
    """A voice of `studio voices`: Pico's language voice at a pitch."""

    name: str
    label: str
    pico: str  # Pico's voice: en-US or en-GB
    pitch: float = 1.0


VOICES = {
    voice.name: voice
    for voice in (
        Voice("us", "American English, bright", "en-US"),
        Voice("uk", "British English, bright", "en-GB"),
        Voice("us-low", "American English, lower", "en-US", 0.8),
        Voice("uk-low", "British English, lower", "en-GB", 0.8),
    )
}
DEFAULT_VOICE = "us"
_ENGINE = threading.Lock()  # Pico's thread safety is not documented: one reading at a time
# Pico reads markup between < and >; a user's text is words only. Letters Pico's English
# voices know: Latin with its accents, digits and the punctuation of a sentence.
_MARKUP = re.compile(r"[<>]")
_SPOKEN = re.compile(r"[A-Za-z0-9\u00c0-\u024f]")


def check(text: str, voice: str, speed: float) -> str:
    """The text as Pico is given it; a clear error for what it cannot read."""
    if voice not in VOICES:
        raise MediaError(f"unknown voice {voice!r}: the voices are {', '.join(VOICES)}")
    low, high = SPEEDS
    if not low <= speed <= high:
        raise MediaError(f"speed must be between {low} and {high} (got {speed})")
    if not _SPOKEN.search(text):
        raise MediaError("nothing to read: no letters or digits an English voice can read")
    return " ".join(_MARKUP.sub(" ", text).split())


def speak(text: str, voice: str = DEFAULT_VOICE, speed: float = 1.0) -> bytes:
    """The reading as 16 kHz mono 16-bit PCM bytes."""
    from py_nanotts import NanoTTS

    words = check(text, voice, speed)
    chosen = VOICES[voice]
    with _ENGINE:
        pcm: bytes = NanoTTS().speak(
            words, voice=chosen.pico, speed=speed, pitch=chosen.pitch, volume=VOLUME
        )
    if not pcm:
        raise MediaError("nothing to read: the voice said nothing for this text")
    return pcm


def reading_name(text: str, voice: str, speed: float) -> str:
    """A file name for a reading: the first words, and a key of what it says and how."""
    key = hashlib.sha256(f"{VERSION}|{voice}|{speed:g}|{text}".encode()).hexdigest()[:10]
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:24].strip("-")
    return f"tts-{words or 'reading'}-{key}.wav"


def write_reading(text: str, path: Path, voice: str = DEFAULT_VOICE, speed: float = 1.0) -> Path:
    """The reading written to `path` as a WAV file (replaced whole, never half-written)."""
    return write_wav(path, speak(text, voice, speed), RATE)


def reading_in(folder: Path, text: str, voice: str = DEFAULT_VOICE, speed: float = 1.0) -> Path:
    """The reading as a file in `folder` (written unless already there)."""
    check(text, voice, speed)
    path = folder / reading_name(text, voice, speed)
    return path if path.is_file() else write_reading(text, path, voice, speed)
