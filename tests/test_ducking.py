"""Ducking: the music drops under a voice by the asked depth while it speaks and comes back
within the release time, in the edit's own sound (the graph the export and the preview play).

The music is a steady 10 kHz tone; the voice (a 16 kHz recording) has no sound above 8 kHz,
so the tone's level is measured apart from the voice in its band."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np

from studio.app.layers import add_sound, set_ducking
from studio.app.playback import playback
from studio.app.project import with_music
from studio.io.project_file import load_project, save_project
from studio.model.clip import Clip, colour_media
from studio.model.ducking import Ducking, duck_keys, voice_spans
from studio.model.timeline import Project, Track
from tests.helpers import media, studio, write_wav

RATE = 48000
TONE = 10000.0
VOICE_AT = Fraction(1)
# jfk.flac speaks 0.32-2.37 s, 3.28-4.55 s, ... of its file (voice activity, checked below)
PAUSE = (0.2, 0.9)  # before the first word (at 1.32 s) and its attack
SPEAKING = (1.6, 3.2)
BACK = 3.37 + 0.4 + 0.05  # the first sentence's end, the release, one audio frame


def _edit(tmp_path: Path) -> Path:
    times = np.arange(12 * RATE) / RATE
    tone = write_wav(tmp_path / "tone.wav", 0.3 * np.sin(2 * np.pi * TONE * times), RATE)
    backdrop = Clip(colour_media("#204060"), Fraction(0), Fraction(9))
    path = tmp_path / "duck.studio.json"
    save_project(with_music(Project(main=Track((backdrop,))), tone), path)
    add_sound(path, media("people/whisper/jfk.flac"), VOICE_AT, "voice")
    return path


def _sound(project: Project) -> np.ndarray:
    """The edit's mixed sound from its start (48 kHz, the two channels averaged)."""
    argv = playback(project, 0).audio
    pcm = subprocess.run(argv, capture_output=True, check=True, timeout=300).stdout
    return np.frombuffer(pcm, "<i2").reshape(-1, 2).mean(axis=1) / 32768


def _tone_db(sound: np.ndarray, start: float, end: float) -> float:
    part = sound[int(start * RATE) : int(end * RATE)]
    spectrum = np.abs(np.fft.rfft(part * np.hanning(len(part)))) ** 2
    freqs = np.fft.rfftfreq(len(part), 1 / RATE)
    return float(10 * np.log10(spectrum[np.abs(freqs - TONE) < 200].sum() / len(part) ** 2 + 1e-20))


def test_the_voice_is_heard_where_it_speaks(tmp_path: Path) -> None:
    project = load_project(_edit(tmp_path))
    spans = [(float(a), float(b)) for a, b in voice_spans(project)]
    assert abs(spans[0][0] - 1.32) < 0.1 and abs(spans[0][1] - 3.37) < 0.15, spans
    assert 3 <= len(spans) <= 6  # sentences, not words


def test_the_music_drops_by_the_depth_while_the_voice_speaks(tmp_path: Path) -> None:
    path = _edit(tmp_path)
    for depth in (12.0, 6.0):
        set_ducking(path, depth)
        sound = _sound(load_project(path))
        pause, speaking = _tone_db(sound, *PAUSE), _tone_db(sound, *SPEAKING)
        back = _tone_db(sound, BACK, BACK + 0.2)
        print(f"depth {depth}: pause {pause:.2f} dB, speaking {speaking:.2f}, back {back:.2f}")
        assert abs((pause - speaking) - depth) <= 1.5
        assert abs(back - pause) <= 1.0  # up again within the release


def test_no_depth_no_ducking_and_a_muted_voice_ducks_nothing(tmp_path: Path) -> None:
    path = _edit(tmp_path)
    project = load_project(path)
    off = replace(project, ducking=Ducking(0))
    assert not duck_keys(off).animated
    muted = replace(
        project, layers=tuple(replace(t, muted=t.role == "voice") for t in project.layers)
    )
    assert not duck_keys(muted).animated
    sound = _sound(off)
    assert abs(_tone_db(sound, *PAUSE) - _tone_db(sound, *SPEAKING)) < 0.5


def test_the_curve_follows_the_voice_when_it_moves_trims_or_speeds(tmp_path: Path) -> None:
    project = load_project(_edit(tmp_path))
    track = next(t for t in project.layers if t.role == "voice")
    voice = next(i for i in track.items if isinstance(i, Clip))
    first = duck_keys(project).keys
    assert [float(k.value) for k in first[:4]] == [0.0, -12.0, -12.0, 0.0]
    assert abs(float(first[1].time) - 1.32) < 0.1 and first[0].time == first[1].time - Fraction(
        3, 20
    )
    faster = Track((replace(voice, speed=Fraction(2)),), "audio", "voice", "voice-1")
    spans = voice_spans(replace(project, layers=(faster,)))
    assert abs(float(spans[0][0]) - float(voice.speech[0]) / 2) < 0.01  # at 0: half the time
    trimmed = replace(voice, source_in=Fraction(3))  # from the second sentence on
    spans = voice_spans(replace(project, layers=(replace(faster, items=(trimmed,)),)))
    assert abs(float(spans[0][0]) - (float(voice.speech[2]) - 3)) < 0.01


def test_the_command_line_sets_the_depth_and_refuses_too_much(tmp_path: Path) -> None:
    path = _edit(tmp_path)
    done = studio("set", path, "--duck", "8", "--duck-release", "0.6")
    assert done.returncode == 0 and "ducking 8 dB" in done.stdout, done.stderr
    assert load_project(path).ducking == Ducking(8.0, Fraction(3, 20), Fraction(3, 5))
    done = studio("set", path, "--duck", "0")
    assert done.returncode == 0 and "off" in done.stdout
    done = studio("set", path, "--duck", "60")
    assert done.returncode == 2 and "--duck: must be between 0 and 40 dB" in done.stderr
    done = studio("set", path)
    assert done.returncode == 2 and "ITEM_ID" in done.stderr and "Traceback" not in done.stderr


def test_the_curve_edited_as_keys_is_what_plays(tmp_path: Path) -> None:
    """The first key edited writes the automatic curve as keys; the sound follows the keys
    (a dip deepened to -24 dB, the music down 6 dB in a pause); a new depth lets them go."""
    path = _edit(tmp_path)
    before = duck_keys(load_project(path)).keys
    level = _tone_db(_sound(load_project(path)), 0.0, 0.4)  # the tone, not ducked
    done = studio("set", path, "--duck-key", "2.4:-24", "--duck-key", "0.4:-6")
    assert done.returncode == 0 and "edited by hand" in done.stdout, done.stderr
    project = load_project(path)
    assert project.ducking.edited and len(project.ducking.keys.keys) == len(before) + 2
    sound = _sound(project)
    start, deep = _tone_db(sound, 0.0, 0.4), _tone_db(sound, 2.35, 2.45)
    print(f"edited: start {start - level:.2f} dB, at the deep key {deep - level:.2f} dB")
    assert abs((level - start) - 6) <= 1.0 and abs((level - deep) - 24) <= 1.5
    moved = set_ducking(path, 12.0)
    assert not moved.edited and duck_keys(load_project(path)).keys == before
    done = studio("set", path, "--duck-key", "2:-50")
    assert done.returncode == 2 and "between -40 and 0 dB" in done.stderr, done.stderr
    done = studio("set", path, "--duck-key", "2:loud")
    assert done.returncode == 2 and "seconds:dB" in done.stderr, done.stderr


def test_a_solo_track_is_heard_alone(tmp_path: Path) -> None:
    """Solo on the voice: the music bed and the other tracks fall silent; solo off: back."""
    from studio.model.arrange import set_track_switch

    project = load_project(_edit(tmp_path))
    voice = next(t for t in project.layers if t.role == "voice")
    solo = set_track_switch(project, voice.id, "solo", True)
    assert solo.soloed and solo.heard(next(t for t in solo.layers if t.solo))
    assert not solo.heard(solo.main)
    sound = _sound(solo)
    assert _tone_db(sound, *PAUSE) < _tone_db(_sound(project), *PAUSE) - 60  # no music at all
    spoken = sound[int(1.5 * RATE) : int(3 * RATE)]
    assert np.sqrt(np.mean(spoken**2)) > 0.01  # the voice still speaks
    assert not duck_keys(set_track_switch(project, voice.id, "muted", True)).animated


def test_a_voice_over_music_exports_at_the_target_and_stays_understood(tmp_path: Path) -> None:
    """A synthetic voice over the demo's loud music: the export lands on the preset's loudness
    under its true-peak ceiling, and the recogniser still reads the voice in the mix."""
    from studio.analysis.speech import transcribe
    from studio.app.export import export_project
    from studio.app.layers import add_reading
    from studio.render.presets import get_preset
    from tests.helpers import loudness
    from tests.test_captions import errors, normalised

    demo = Path(__file__).resolve().parents[1] / "studio" / "assets" / "demo"
    backdrop = Clip(colour_media("#204060"), Fraction(0), Fraction(7))
    path = tmp_path / "voice.studio.json"
    save_project(with_music(Project(main=Track((backdrop,))), demo / "loop120.m4a"), path)
    words = "Light your face from the front and keep the camera steady."
    add_reading(path, words, Fraction(1, 2), "us")
    out = tmp_path / "voice.mp4"
    export_project(path, out, "draft")
    integrated, peak = loudness(out)
    preset = get_preset("draft", 30)
    heard = normalised(transcribe(out).text)
    print(f"{integrated:.2f} LUFS, {peak:.2f} dBTP: {' '.join(heard)}")
    assert abs(integrated - preset.loudness) <= 1.0 and peak <= preset.true_peak + 0.5
    assert errors(normalised(words), heard) / len(normalised(words)) <= 0.15


def test_the_command_line_sets_a_track_s_gain_and_switches(tmp_path: Path) -> None:
    path = _edit(tmp_path)
    done = studio("set", path, "--track", "1", "--solo", "on")  # the voice alone
    assert done.returncode == 0 and "set track voice-1: +0 dB, solo" in done.stdout, done.stderr
    loud = _sound(load_project(path))[int(1.5 * RATE) : int(3 * RATE)]
    done = studio("set", path, "--track", "voice-1", "--gain", "-6")
    assert done.returncode == 0 and "set track voice-1: -6 dB, solo" in done.stdout, done.stderr
    voice = next(t for t in load_project(path).layers if t.role == "voice")
    assert (voice.gain_db, voice.solo) == (-6.0, True)
    soft = _sound(load_project(path))[int(1.5 * RATE) : int(3 * RATE)]
    drop = 20 * np.log10(np.sqrt(np.mean(loud**2)) / np.sqrt(np.mean(soft**2)))
    assert abs(drop - 6) < 0.2, drop
    for args, said in (
        (("--track", "nope", "--gain", "1"), "--track: no track 'nope'"),
        (("--track", "1"), "say what to change on the track"),
        (("--track", "1", "--gain", "30"), "--gain: must be between -60 and 20 dB"),
    ):
        done = studio("set", path, *args)
        assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr


def test_where_a_voice_speaks_matches_the_recordings_own_timings() -> None:
    """Against the shared media's word timings (GRID's alignment, silencedetect for the
    others, at -35 dB, which ends before a word's quiet tail): each span starts within 0.1 s of
    the first word (the attack ducks 0.15 s before it) and ends at most 0.75 s after the last
    (spans hold 0.25 s for the tails of words)."""
    from studio.analysis.voice_activity import speech_spans

    truth = {
        "people/lipnet-grid/id2_vcd_swwp2s.mpg": [(0.49, 2.21)],
        "people/lipnet-grid/bbaf2n.mpg": [(1.00, 2.51)],
        "people/sphinx4/10001-90210-01803.wav": [(0.91, 2.49), (3.99, 4.81), (6.31, 7.76)],
    }
    for name, spoken in truth.items():
        found = [float(t) for t in speech_spans(media(name))]
        pairs = list(zip(found[::2], found[1::2]))
        assert len(pairs) == len(spoken), (name, pairs)
        for (start, end), (said, stopped) in zip(pairs, spoken):
            assert abs(start - said) <= 0.1 and 0 <= end - stopped <= 0.75, (name, pairs)
