"""What the installers' build does where it cannot run here: the macOS app's Info.plist (made
by PyInstaller's own BUNDLE code, run on Linux), the .dmg's signing and notarisation steps,
hdiutil's retries, and the notices written where the code page is not UTF-8. The bundle itself
is built and run in test_bundle.py."""

from __future__ import annotations

import ast
import importlib.util
import os
import plistlib
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"


def _module(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bundle_on_linux(tmp_path: Path, toc: list[tuple[str, str, str]], info: Any) -> Path:
    """PyInstaller's BUNDLE run on Linux over a folder holding `toc`: the Studio.app it makes
    (codesign, which exists on macOS only, left out)."""
    from PyInstaller.building import osx
    from PyInstaller.building.api import COLLECT
    from PyInstaller.config import CONF

    CONF.update(workpath=str(tmp_path / "work"), distpath=str(tmp_path / "dist"))
    CONF.update(specpath=str(tmp_path), noconfirm=True)
    (tmp_path / "work").mkdir()
    icon = tmp_path / "icon.icns"
    icon.write_bytes(b"icns" + bytes(16))
    folder = COLLECT.__new__(COLLECT)  # what BUNDLE reads of a COLLECT
    folder.toc, folder.console, folder.upx_exclude = sorted(toc), False, []
    folder.strip_binaries = folder.upx_binaries = False
    folder.target_arch = folder.codesign_identity = folder.entitlements_file = None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(osx, "is_darwin", True)
        unsigned = types.SimpleNamespace(sign_binary=lambda *_, **__: None)
        patch.setattr(osx, "osxutils", unsigned, raising=False)  # imported on macOS only
        osx.BUNDLE(folder, name="Studio.app", icon=str(icon), info_plist=info)
    return tmp_path / "dist" / "Studio.app"


@pytest.mark.skipif(sys.platform == "win32", reason="BUNDLE makes symbolic links, as on macOS")
def test_the_app_opened_from_finder_is_the_desktop_app(tmp_path: Path) -> None:
    info_plist = _module("info_plist")
    programs = tmp_path / "programs"
    programs.mkdir()
    toc = []
    for name in ("studio", "studio-app"):  # the folder's order, as the spec builds it
        (programs / name).write_text(name, encoding="utf-8")
        toc.append((name, str(programs / name), "EXECUTABLE"))
    notices = programs / "THIRD-PARTY-NOTICES.txt"
    notices.write_text("Third-party software\n", encoding="utf-8")
    toc.append(("THIRD-PARTY-NOTICES.txt", str(notices), "DATA"))
    app = _bundle_on_linux(tmp_path, toc, info_plist.info_plist("1.2.3"))
    plist = plistlib.loads((app / "Contents" / "Info.plist").read_bytes())
    assert plist["CFBundleExecutable"] == "studio-app"
    assert sorted(os.listdir(app / "Contents" / "MacOS")) == ["studio", "studio-app"]
    assert "LSBackgroundOnly" not in plist  # a Dock icon and a menu bar
    assert (plist["CFBundleShortVersionString"], plist["CFBundleVersion"]) == ("1.2.3", "1.2.3")
    assert (app / "Contents" / "Resources" / "THIRD-PARTY-NOTICES.txt").is_file()
    for usage in ("Camera", "Microphone", "ScreenCapture"):
        assert "Studio records" in plist[f"NS{usage}UsageDescription"]


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def test_the_spec_gives_bundle_the_plist_and_the_folder_the_notices() -> None:
    """What the test above and test_bundle.py check only works if the spec passes it on."""
    tree = ast.parse((PACKAGING / "studio.spec").read_text(encoding="utf-8"))
    (bundle,) = _calls(tree, "BUNDLE")
    plist = next(keyword.value for keyword in bundle.keywords if keyword.arg == "info_plist")
    assert isinstance(plist, ast.Call) and ast.unparse(plist.func) == "info_plist"
    (folder,) = _calls(tree, "COLLECT")
    assert "notices" in [ast.unparse(argument) for argument in folder.args]
    exes = _calls(tree, "EXE")
    assert exes and all("SIGNING" in ast.unparse(exe) for exe in exes)  # both signed alike
    programs = [ast.unparse(call.args[1]) for call in _calls(tree, "program")]
    assert programs == ["CLI_PROGRAM", "GUI_PROGRAM"]  # the windowed one last: no console


def test_projects_are_offered_to_studio_by_their_last_extension() -> None:
    """Launch Services types "edit.studio.json" by "json": Studio is in Open With for JSON,
    never the default, and declares no two-part extension that could never match."""
    info = _module("info_plist").info_plist("0")
    (document,) = info["CFBundleDocumentTypes"]
    assert document["LSItemContentTypes"] == ["public.json"]
    assert (document["CFBundleTypeRole"], document["LSHandlerRank"]) == ("Editor", "Alternate")
    assert "studio.json" not in repr(info) and "UTExportedTypeDeclarations" not in info


def _identity_env(**extra: str) -> dict[str, str]:
    return {"MACOS_SIGN_IDENTITY": "Developer ID Application: Studio (TEAM123)", **extra}


def test_the_dmg_is_notarised_with_credentials_stored_first(tmp_path: Path) -> None:
    build = _module("build")
    app, dmg = tmp_path / "Studio.app", tmp_path / "studio.dmg"
    credentials = {"MACOS_NOTARY_APPLE_ID": "me@example.org", "MACOS_NOTARY_TEAM_ID": "TEAM123"}
    env = _identity_env(**credentials, MACOS_NOTARY_PASSWORD="app-specific")
    steps = build.dmg_steps(app, dmg, env)
    tools = [" ".join(step[:3]) for step in steps]
    assert tools == [
        "hdiutil create -volname",
        "codesign --force --timestamp",
        "xcrun notarytool store-credentials",
        "xcrun notarytool submit",
        "xcrun stapler staple",
    ]
    store, submit = steps[2], steps[3]
    assert store[3] == submit[submit.index("--keychain-profile") + 1] == build.NOTARY_PROFILE
    assert {"--apple-id", "--team-id", "--password"} <= set(store)
    assert "--wait" in submit and str(dmg) in submit
    assert all("codesign" not in step[0] or str(app) not in step for step in steps)  # sealed


def test_unsigned_and_profile_only_builds(tmp_path: Path) -> None:
    build = _module("build")
    app, dmg = tmp_path / "Studio.app", tmp_path / "studio.dmg"
    assert [step[0] for step in build.dmg_steps(app, dmg, {})] == ["hdiutil"]
    steps = build.dmg_steps(app, dmg, _identity_env(MACOS_NOTARY_PROFILE="mine"))
    assert [step[2] for step in steps[2:]] == ["submit", "staple"]
    assert steps[2][steps[2].index("--keychain-profile") + 1] == "mine"


def _fake_hdiutil(folder: Path, busy_times: int, message: str = "Resource busy") -> None:
    """An `hdiutil` that fails with `message` the first `busy_times` runs."""
    script = folder / "hdiutil"
    count = folder / "count"
    script.write_text(
        "#!/bin/sh\n"
        f'n=$(cat "{count}" 2>/dev/null || echo 0); echo $((n + 1)) > "{count}"\n'
        f'if [ "$n" -lt {busy_times} ]; then echo "hdiutil: create failed - {message}" >&2;'
        " exit 1; fi\necho created\n",
        encoding="utf-8",
    )
    script.chmod(0o755)


@pytest.mark.skipif(sys.platform == "win32", reason="the fake hdiutil is a shell script")
def test_hdiutil_is_tried_again_while_the_disk_is_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = _module("build")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    _fake_hdiutil(tmp_path, busy_times=2)
    assert build.run_step(["hdiutil", "create", "x.dmg"], pause=0).strip() == "created"
    assert (tmp_path / "count").read_text(encoding="utf-8").strip() == "3"
    (tmp_path / "count").unlink()
    _fake_hdiutil(tmp_path, busy_times=1, message="no space left")  # another fault: at once
    with pytest.raises(SystemExit, match="no space left"):
        build.run_step(["hdiutil", "create", "x.dmg"], pause=0)
    assert (tmp_path / "count").read_text(encoding="utf-8").strip() == "1"


def test_the_notices_are_written_where_the_code_page_is_not_utf8(tmp_path: Path) -> None:
    """An ASCII locale stands in for Windows' cp1252: licence texts with names in other
    scripts (onnxruntime's notices) are read and written as UTF-8 all the same."""
    target = tmp_path / "THIRD-PARTY-NOTICES.txt"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
        "from notices import write_notices; "
        "write_notices(Path(sys.argv[2]), {'onnxruntime', 'cv2', 'numpy', 'PySide6'})"
    )
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    env.update(PYTHONWARNDEFAULTENCODING="1")
    env.pop("PYTHONWARNINGS", None)
    argv = [sys.executable, "-c", code, str(PACKAGING), str(target)]
    done = subprocess.run(argv, capture_output=True, env=env, timeout=120)
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, stderr[-2000:]
    assert "EncodingWarning" not in stderr, stderr
    text = target.read_text(encoding="utf-8")
    assert "onnxruntime" in text and "PySide6" in text
    assert any(ord(character) > 127 for character in text)  # the case that failed on Windows


def test_requires_python_holds_for_every_pinned_dependency() -> None:
    """Each Python version pyproject.toml admits is one every run-time dependency admits."""
    import tomllib
    from importlib import metadata

    from packaging.specifiers import SpecifierSet

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    ours = SpecifierSet(project["requires-python"])
    versions = [f"3.{minor}" for minor in range(8, 16) if f"3.{minor}" in ours]
    assert versions == ["3.11", "3.12"]
    for name in ("jax", "jaxlib", "mediapipe", "numpy", "PySide6", "faster-whisper", "moviepy"):
        theirs = SpecifierSet(metadata.metadata(name).get("Requires-Python") or "")
        refused = [version for version in versions if f"{version}.0" not in theirs]
        assert refused == [], (name, str(theirs))


def _installed_wheel(site: Path, name: str, files: dict[str, bytes]) -> Any:
    """A distribution installed in `site` as pip installs one: its files and a RECORD of them
    with their hashes; the files on disk may then be changed under it."""
    from importlib import metadata

    build = _module("build")
    info = site / f"{name.replace('-', '_')}-4.11.0.86.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Name: {name}\nVersion: 4.11.0.86\n", encoding="utf-8")
    lines = []
    for path, data in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
        lines.append(f"{path},sha256={build.record_hash(site / path)},{len(data)}")
    (info / "RECORD").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return metadata.PathDistribution(info)


def test_the_bundle_takes_cv2_from_the_headless_build_even_when_pip_put_the_gui_one_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mediapipe's GUI OpenCV build and studio's headless one both install cv2/; the file that
    is there is told apart by the headless wheel's RECORD. Where it is the GUI one, the headless
    wheel alone (no dependencies) is installed into a folder of the build, and the environment's
    cv2 is left as it is: a build changes nothing a test running beside it imports."""
    build = _module("build")
    site, work, module = tmp_path / "site", tmp_path / "work", "cv2/cv2.abi3.so"
    headless = _installed_wheel(site, build.HEADLESS_OPENCV, {module: b"headless"})
    monkeypatch.setattr(build.metadata, "distribution", lambda name: headless)
    monkeypatch.setattr(build.metadata, "version", lambda name: "4.11.0.86")
    ran: list[list[str]] = []
    unpacked = [b"headless"]  # what the wheel's cv2 module turns out to be once installed

    def pip(argv: list[str], **_: Any) -> None:  # installs the wheel where --target says
        ran.append(argv)
        target = Path(argv[argv.index("--target") + 1])
        _installed_wheel(target, argv[-1].split("==")[0], {module: b"headless"})
        (target / module).write_bytes(unpacked[0])

    monkeypatch.setattr(build.subprocess, "run", pip)
    assert build.headless_opencv_in_place()
    assert build.headless_opencv(work) is None and ran == []
    (site / module).write_bytes(b"the GUI build, linking Qt 5")
    assert not build.headless_opencv_in_place()
    folder = build.headless_opencv(work)
    assert folder == work / "headless-opencv"
    assert build.headless_opencv_in_place(folder) and (folder / module).read_bytes() == b"headless"
    assert (site / module).read_bytes() == b"the GUI build, linking Qt 5"  # untouched
    (argv,) = ran
    assert argv[1:5] == ["-m", "pip", "install", "--no-deps"] and "--force-reinstall" not in argv
    assert argv[argv.index("--target") + 1] == str(folder)
    assert argv[-1] == "opencv-contrib-python-headless==4.11.0.86"
    assert build.headless_cv2_hash(folder) == build.headless_cv2_hash()
    unpacked[0] = b"not the wheel's"
    with pytest.raises(SystemExit, match="not opencv-contrib-python-headless's own"):
        build.headless_opencv(work)


def _environment_cv2() -> dict[str, str]:
    """The environment's cv2 package, file by file, with each file's hash."""
    spec = importlib.util.find_spec("cv2")  # found, not imported
    assert spec is not None and spec.submodule_search_locations
    (package,) = [Path(place) for place in spec.submodule_search_locations]
    build = _module("build")
    files = [
        path for path in package.rglob("*") if path.is_file() and "__pycache__" not in str(path)
    ]
    return {str(path): build.record_hash(path) for path in files}


def test_the_headless_wheel_really_installs_beside_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real pip, as on a machine where the GUI build is in place (as pip leaves it): the
    folder holds the headless wheel alone, its cv2 module the wheel's own file, and no file of
    the environment's cv2/ changed. The wheel comes from pip's cache, which `pip install`
    filled (pyproject.toml depends on it), or from the index."""
    build = _module("build")
    in_place = build.headless_opencv_in_place

    def only_in_folders(where: Path | None = None) -> bool:  # the environment's is the GUI one
        return where is not None and bool(in_place(where))

    monkeypatch.setattr(build, "headless_opencv_in_place", only_in_folders)
    before = _environment_cv2()
    folder = build.headless_opencv(tmp_path)
    assert folder == tmp_path / "headless-opencv"
    (module,) = [path for path in (folder / "cv2").glob("cv2.*") if path.suffix in (".so", ".pyd")]
    assert build.record_hash(module) == build.headless_cv2_hash(folder) == build.headless_cv2_hash()
    found = {dist.metadata["Name"] for dist in build.metadata.distributions(path=[str(folder)])}
    assert found == {build.HEADLESS_OPENCV}  # no dependencies, not the GUI build
    assert not (folder / "cv2" / "qt").exists()  # the GUI build's Qt 5 plugins
    assert _environment_cv2() == before


def test_the_notices_name_the_opencv_build_whose_libraries_are_inside(tmp_path: Path) -> None:
    notices = _module("notices")
    gui = _installed_wheel(
        tmp_path / "a", "opencv-contrib-python",
        {"cv2/__init__.py": b"gui", "opencv_contrib_python.libs/libQt5Core.so.5": b"qt"},
    )  # fmt: skip
    headless = _installed_wheel(
        tmp_path / "b", "opencv-contrib-python-headless",
        {"cv2/__init__.py": b"headless", "opencv_contrib_python_headless.libs/libz.so": b"z"},
    )  # fmt: skip
    bundled = {"cv2", "opencv_contrib_python_headless.libs", "numpy"}
    both = [gui, headless]
    assert notices._installed_over(gui, both, bundled)
    assert not notices._installed_over(headless, both, bundled)
    assert not notices._installed_over(gui, [gui], {"cv2", "opencv_contrib_python.libs"})
