"""Runs first in the bundle. Two libraries import a package when they are imported that studio
never uses, and the bundle leaves the package out and puts a stand-in in its place:

- faster-whisper imports PyAV to decode files; studio hands it samples its own ffmpeg decoded
  (PyAV is about 100 MB of another FFmpeg build).
- mediapipe imports matplotlib's pyplot for its drawing helpers; studio draws with OpenCV and Qt
  (matplotlib and its helpers are about 25 MB).
- faster-whisper imports huggingface_hub to download models; studio gives it the model's files
  (the hub's client and its file locks are 3 MB of compiled Python, twice: once per program).

Anything that does reach into a stand-in gets a plain ImportError saying so."""

import sys
import types


class _NotBundled(types.ModuleType):
    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # the import system asking about the module itself
            raise AttributeError(name)
        raise ImportError(f"{self.__name__} is not in this bundle: {self.__doc__}")


def _stand_in(name: str, why: str) -> None:
    module = _NotBundled(name, why)
    sys.modules.setdefault(name, module)
    parent, _, child = name.rpartition(".")
    if parent:  # `import a.b as c` takes b from a as an attribute
        setattr(sys.modules[parent], child, sys.modules[name])


_stand_in("av", "studio decodes sound with its own ffmpeg")
_stand_in("matplotlib", "studio does not draw with mediapipe's helpers")
_stand_in("matplotlib.pyplot", "studio does not draw with mediapipe's helpers")
_stand_in("huggingface_hub", "studio's captions model is inside the bundle; nothing is downloaded")
