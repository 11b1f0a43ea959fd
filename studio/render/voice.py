"""Voice effects on a sound item: each a short chain of ffmpeg's audio filters, in the same
graph as the rest of the mix.

- chipmunk and deep move the pitch up by half or down by a quarter (the sound played faster or
  slower, its tempo put back), so the words keep their timing;
- robot keeps each frequency's strength and drops its phase (ffmpeg's `afftfilt`), a flat,
  buzzing voice at the same pitch;
- echo repeats the voice after 60 and 140 ms, fading;
- radio keeps the telephone band (300-3400 Hz), compressed;
- megaphone keeps a narrower band, driven into soft clipping.
Every chain ends in a limiter at -1 dBFS (its look-ahead compensated, so the timing holds):
a pitch change, an echo or a drive can add peaks, and no effect may clip.
"""

from __future__ import annotations

from typing import Any

from studio.model.limits import CHOICES

RATE = 48000
VOICE_EFFECTS = tuple(str(kind) for kind in CHOICES["clip.voice_effect"].values if kind)
PITCH = {"chipmunk": 1.5, "deep": 0.75}  # the pitch's factor
LIMIT = 0.89  # -1 dBFS
# (filter, arguments) in order, per effect (chipmunk and deep are built from PITCH)
CHAINS: dict[str, tuple[tuple[str, dict[str, Any]], ...]] = {
    "robot": (
        ("afftfilt", {"real": "hypot(re,im)*sin(0)", "imag": "hypot(re,im)*cos(0)",
                      "win_size": 512, "overlap": 0.75}),
    ),
    "echo": (
        ("aecho", {"in_gain": 0.8, "out_gain": 0.7, "delays": "60|140", "decays": "0.5|0.3"}),
    ),
    "radio": (
        ("highpass", {"f": 300, "poles": 2}),
        ("highpass", {"f": 300, "poles": 2}),
        ("lowpass", {"f": 3400, "poles": 2}),
        ("lowpass", {"f": 3400, "poles": 2}),
        ("acompressor", {"threshold": 0.1, "ratio": 6, "makeup": 2}),
    ),
    "megaphone": (
        ("highpass", {"f": 600, "poles": 2}),
        ("lowpass", {"f": 3000, "poles": 2}),
        ("volume", {"volume": 4}),
        ("asoftclip", {"type": "tanh"}),
        ("highpass", {"f": 500, "poles": 2}),
    ),
}  # fmt: skip


def with_voice(audio: Any, effect: str) -> Any:
    """`audio` (48 kHz) with the voice effect (none for "")."""
    if not effect:
        return audio
    if effect in PITCH:
        factor = PITCH[effect]
        audio = audio.filter("asetrate", round(RATE * factor))
        audio = audio.filter("aresample", RATE)
        audio = audio.filter("atempo", round(1 / factor, 6))
    for name, arguments in CHAINS.get(effect, ()):
        audio = audio.filter(name, **arguments)
    return audio.filter("alimiter", limit=LIMIT, level=False, latency=True)
