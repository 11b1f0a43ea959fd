"""Build the self-contained app for this machine: `python packaging/build.py [--pack]`.

1. Runs PyInstaller on packaging/studio.spec: dist/studio/ holds `studio` (command line) and
   `studio-app` (the desktop app, no console on Windows) with THIRD-PARTY-NOTICES.txt (written
   by the spec, see notices.py); on macOS also dist/Studio.app, signed by PyInstaller once
   every file is in place (with MACOS_SIGN_IDENTITY's certificate, else ad hoc) and checked
   here. The spec takes cv2 from OpenCV's headless build, installed beside the build where pip
   left the GUI build in cv2/ (see headless_opencv); the environment is never changed.
2. Reports the bundle's size, part by part.
3. With --pack, makes the installer: a .tar.gz on Linux, Inno Setup's setup .exe on Windows
   (needs `iscc`), a .dmg on macOS (notarised when the notary credentials are set).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
NOTARY_PROFILE = "studio-notary"  # the keychain entry the credentials are stored under
HDIUTIL_TRIES = 5  # hdiutil fails at random with "Resource busy" on shared macOS machines
HEADLESS_OPENCV = "opencv-contrib-python-headless"
HEADLESS_FOLDER = "headless-opencv"  # in PyInstaller's work folder, where cv2 is the GUI build


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
    """PyInstaller on the spec: the bundle folder (and on macOS the signed, checked .app)."""
    pyinstaller = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean"]
    pyinstaller += ["--distpath", str(dist), "--workpath", str(work)]
    subprocess.run([*pyinstaller, str(HERE / "studio.spec")], check=True, cwd=ROOT, env=_env())
    if sys.platform == "darwin":
        check_signature(dist / "Studio.app")
    return dist / "studio"


def headless_opencv(work: Path) -> Path | None:
    """Where the bundle's cv2 comes from: None where the environment's cv2 is OpenCV's headless
    build, else a folder in `work` holding that build alone. mediapipe requires the GUI build
    too, and both install into cv2/: pip installs the GUI one last, and its cv2 links Qt 5
    (36 MB with its plugins, never used by the app). The headless wheel (the version installed
    here, from pip's cache when it has it) goes into the folder with `pip install --target`;
    nothing in the environment changes, so a test importing cv2 while a build runs is safe."""
    if headless_opencv_in_place():
        return None
    version = metadata.version(HEADLESS_OPENCV)
    folder = work / HEADLESS_FOLDER
    print(f"cv2 is OpenCV's GUI build here: taking {HEADLESS_OPENCV} {version} from {folder}",
          flush=True)  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)
    pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "--target"]
    pip += [str(folder), "--disable-pip-version-check", f"{HEADLESS_OPENCV}=={version}"]
    subprocess.run(pip, check=True)
    if not headless_opencv_in_place(folder):
        raise SystemExit(f"{folder}: cv2 is not {HEADLESS_OPENCV}'s own")
    return folder


def headless_opencv_in_place(where: Path | None = None) -> bool:
    """Whether cv2's compiled module is the headless wheel's own file (its recorded hash): in
    the environment, or in the folder `where` (see headless_opencv)."""
    dist = headless_distribution(where)
    module = _compiled_cv2(dist)
    if module is None or module.hash is None:
        return False
    return record_hash(Path(str(dist.locate_file(module)))) == module.hash.value


def headless_cv2_hash(where: Path | None = None) -> str:
    """The recorded hash (RECORD's form, see record_hash) of the headless wheel's compiled cv2
    module: the one file the bundle's cv2/cv2.* may be."""
    module = _compiled_cv2(headless_distribution(where))
    if module is None or module.hash is None:
        raise SystemExit(f"{HEADLESS_OPENCV}'s RECORD names no compiled cv2 module")
    return module.hash.value


def headless_distribution(where: Path | None = None) -> metadata.Distribution:
    """OpenCV's headless build as installed in the environment, or in the folder `where`."""
    if where is None:
        return metadata.distribution(HEADLESS_OPENCV)
    for dist in metadata.distributions(name=HEADLESS_OPENCV, path=[str(where)]):
        return dist
    raise metadata.PackageNotFoundError(f"{HEADLESS_OPENCV} in {where}")


def _compiled_cv2(dist: metadata.Distribution) -> metadata.PackagePath | None:
    for file in dist.files or []:
        if file.parts[0] == "cv2" and file.suffix in (".so", ".pyd") and file.hash:
            return file
    return None


def record_hash(path: Path) -> str:
    """A file's SHA-256 the way a wheel's RECORD writes it (URL-safe base64, unpadded)."""
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def _env() -> dict[str, str]:
    """PyInstaller's environment: on macOS a signature that cannot be made fails the build
    instead of warning, and the finished .app's signature is verified."""
    env = dict(os.environ)
    env.update({"PYINSTALLER_STRICT_BUNDLE_CODESIGN_ERROR": "1"})
    env.update({"PYINSTALLER_VERIFY_BUNDLE_SIGNATURE": "1"})
    return env


def check_signature(app: Path) -> None:
    """The .app's seal covers every file in it: a file added or changed after signing makes
    macOS call a downloaded app "damaged"."""
    subprocess.run(["codesign", "--verify", "--deep", "--strict", "--verbose=2", str(app)],
                   check=True)  # fmt: skip


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
        target = dist / f"studio-{__version__}-macos-{machine}.dmg"
        for step in dmg_steps(dist / "Studio.app", target, os.environ):
            run_step(step)
        return target
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


def dmg_steps(app: Path, target: Path, env: dict[str, str] | os._Environ[str]) -> list[list[str]]:
    """The commands that make the .dmg from the signed .app, in order. With a signing identity
    the image is signed too; with the notary's credentials (MACOS_NOTARY_APPLE_ID, _TEAM_ID,
    _PASSWORD: an app-specific password) they are stored in the keychain first, or an existing
    keychain profile is named (MACOS_NOTARY_PROFILE); then the image is notarised and the
    ticket stapled to it, so it opens offline."""
    identity, profile = env.get("MACOS_SIGN_IDENTITY"), env.get("MACOS_NOTARY_PROFILE")
    steps = [["hdiutil", "create", "-volname", "Studio", "-srcfolder", str(app),
              "-ov", "-format", "UDZO", str(target)]]  # fmt: skip
    if identity:
        steps.append(["codesign", "--force", "--timestamp", "--sign", identity, str(target)])
    credentials = [
        env.get(f"MACOS_NOTARY_{part}", "") for part in ("APPLE_ID", "TEAM_ID", "PASSWORD")
    ]
    if identity and all(credentials):
        apple_id, team, password = credentials
        profile = profile or NOTARY_PROFILE
        store = ["xcrun", "notarytool", "store-credentials", profile]
        steps.append([*store, "--apple-id", apple_id, "--team-id", team, "--password", password])
    if identity and profile:
        steps.append(["xcrun", "notarytool", "submit", str(target), "--keychain-profile",
                      profile, "--wait", "--output-format", "json"])  # fmt: skip
        steps.append(["xcrun", "stapler", "staple", str(target)])
    return steps


def run_step(argv: list[str], tries: int = HDIUTIL_TRIES, pause: float = 5.0) -> str:
    """Run one packing command; hdiutil is tried again while the disk is "busy", and a
    notarisation that ends other than Accepted fails with the notary's answer."""
    for attempt in range(1, tries + 1):
        done = subprocess.run(argv, capture_output=True, encoding="utf-8", errors="replace")
        busy = argv[0] == "hdiutil" and "Resource busy" in done.stderr
        if done.returncode == 0 or not busy or attempt == tries:
            break
        print(f"hdiutil: resource busy, trying again ({attempt}/{tries})", flush=True)
        time.sleep(pause * attempt)
    if done.returncode != 0:
        raise SystemExit(f"{argv[0]} {argv[1]} failed: {done.stderr.strip()[-2000:]}")
    if "submit" in argv and '"status":"Accepted"' not in done.stdout.replace(" ", ""):
        raise SystemExit(
            f"notarisation was not accepted: {done.stdout.strip()[-2000:]} (the notary's "
            "reasons: xcrun notarytool log ID --keychain-profile PROFILE)"
        )
    return done.stdout


if __name__ == "__main__":
    raise SystemExit(main())
