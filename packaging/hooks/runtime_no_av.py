"""Runs first in the bundle. faster-whisper imports PyAV when it is imported, to decode files;
studio hands it samples its own ffmpeg decoded, so the bundle leaves PyAV (about 100 MB of a
third FFmpeg build) out and puts this stand-in in its place: anything that does reach for
PyAV gets a plain ImportError saying so."""

import sys
import types


class _NotBundled(types.ModuleType):
    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # the import system asking about the module itself
            raise AttributeError(name)
        raise ImportError("PyAV is not in this bundle: studio decodes sound with its own ffmpeg")


sys.modules.setdefault("av", _NotBundled("av"))
