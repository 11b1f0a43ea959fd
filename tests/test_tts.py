"""Text to speech: every voice understood by the bundled recogniser (word error rate), the
speed setting, a reading placed on a voice track (typed, or a title's words), and clear errors
for what no voice can read."""

from __future__ import annotations

import wave
from fractions import Fraction
from pathlib import Path

import pytest

from studio.analysis.speech import transcribe
from studio.app.layers import add_reading, add_title
from studio.errors import MediaError
from studio.io.probe import probe
from studio.io.project_file import load_project, save_project
from studio.model.clip import Clip
from studio.model.titles import TextStyle
from studio.render.tts import VOICES, reading_in, write_reading
from tests.helpers import over_colour, studio
from tests.test_captions import errors, normalised

SENTENCES = (
    "The quick brown fox jumps over the lazy dog near the river bank.",
    "Our new summer collection drops this Friday morning.",
    "Would you rather travel back in time or see the distant future?",
    "Doctor Patel flew from London to Chicago last week.",
    "Light your face from the front and keep the camera steady.",
    "When the film festival finally opened its doors, hundreds of excited visitors rushed "
    "inside to find the best seats available.",
)


def _seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as sound:
        return sound.getnframes() / sound.getframerate()


@pytest.mark.parametrize("voice", sorted(VOICES))
def test_each_voice_is_understood_by_the_recogniser(voice: str, tmp_path: Path) -> None:
    wrong = total = 0
    for index, sentence in enumerate(SENTENCES):
        reading = write_reading(sentence, tmp_path / f"{index}.wav", voice)
        heard = normalised(transcribe(reading).text.replace("Dr.", "Doctor"))
        count = errors(normalised(sentence), heard)
        wrong, total = wrong + count, total + len(normalised(sentence))
        print(f"{voice} {index}: {count} wrong: {' '.join(heard)}")
    print(f"{voice}: WER {wrong / total:.1%} over {total} words")
    assert wrong / total <= 0.15


def test_speed_changes_the_length_and_the_file_is_16_khz_mono(tmp_path: Path) -> None:
    text = SENTENCES[-1]
    normal = _seconds(write_reading(text, tmp_path / "normal.wav", "uk", 1.0))
    fast = _seconds(write_reading(text, tmp_path / "fast.wav", "uk", 1.5))
    slow = _seconds(write_reading(text, tmp_path / "slow.wav", "uk", 0.7))
    assert 1.3 < normal / fast < 1.7 and 1.25 < slow / normal < 1.6, (slow, normal, fast)
    media = probe(tmp_path / "normal.wav")
    assert media.has_audio and not media.has_video and abs(float(media.duration) - normal) < 0.05
    with wave.open(str(tmp_path / "normal.wav"), "rb") as sound:
        assert (sound.getframerate(), sound.getnchannels()) == (16000, 1)


def test_markup_is_read_as_words_and_what_no_voice_reads_is_refused(tmp_path: Path) -> None:
    plain = _seconds(write_reading("a b c", tmp_path / "plain.wav"))
    marked = _seconds(write_reading("a <pitch level='200'> b </pitch> c", tmp_path / "m.wav"))
    assert marked > plain  # the markup's words are read, not obeyed
    for text, voice, speed, said in (
        ("日本語", "us", 1.0, "nothing to read"),
        ("  ", "us", 1.0, "nothing to read"),
        ("hello", "robot", 1.0, "unknown voice 'robot'"),
        ("hello", "us", 3.0, "speed must be between 0.5 and 2.0"),
    ):
        with pytest.raises(MediaError, match=said):
            write_reading(text, tmp_path / "x.wav", voice, speed)


def test_a_reading_goes_on_a_voice_track_typed_or_from_a_title(tmp_path: Path) -> None:
    project_path = tmp_path / "p.studio.json"
    save_project(over_colour(()), project_path)
    title = add_title(project_path, "Light your face", Fraction(1), Fraction(2), TextStyle())
    typed = add_reading(project_path, "Keep it short.", Fraction(2, 1), "us-low", 1.2)
    read = add_reading(project_path, "", None, "uk", 1.0, None, title.id)
    assert (typed.start, read.start) == (2.0, 1.0)
    project = load_project(project_path)
    clips = [i for t in project.layers if t.role == "voice" for i in t.items if isinstance(i, Clip)]
    assert len(clips) == 2 and all(clip.speech for clip in clips)  # they duck the music
    files = sorted((tmp_path / "sounds").glob("tts-*.wav"))
    assert [f.name[:14] for f in files] == ["tts-keep-it-sh", "tts-light-your"]
    again = reading_in(tmp_path / "sounds", "Keep it short.", "us-low", 1.2)
    assert again == files[0] and again.stat().st_mtime_ns == files[0].stat().st_mtime_ns


def test_the_command_line_reads_lists_voices_and_explains_errors(tmp_path: Path) -> None:
    done = studio("tts", "Link in bio.", "-o", tmp_path / "bio.wav", "--voice", "uk-low")
    assert done.returncode == 0 and "wrote" in done.stdout, done.stderr
    assert _seconds(tmp_path / "bio.wav") > 0.5
    listed = studio("voices")
    assert [line.split()[0] for line in listed.stdout.splitlines()] == list(VOICES)
    for args, said in (
        (("tts", "hi", "-o", tmp_path / "hi.mp3"), "name the output .wav"),
        (("tts", "🔥", "-o", tmp_path / "fire.wav"), "nothing to read"),
    ):
        done = studio(*args)
        assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
