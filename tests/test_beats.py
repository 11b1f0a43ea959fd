"""Beat analysis: accuracy against hand annotations (mir_eval), meter, sections, cache, errors."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import mir_eval
import numpy as np
import pytest

from studio.analysis.audio import load_audio
from studio.analysis.beats import analyse, analyse_samples
from studio.errors import AnalysisError, ProjectError
from studio.io.cache import cache_dir
from tests.helpers import media
from tests.music import (
    RATE,
    annotations,
    click_track,
    drop_track,
    f_measure,
    tempo_ramp,
    write_wav,
)

ANNOTATED = [
    ("madmom/sample.wav", "madmom/sample.beats"),
    ("ballroom-gtzan/Media-105901.wav", "ballroom-gtzan/Media-105901.beats"),
    ("ballroom-gtzan/country.00000.wav", "ballroom-gtzan/gtzan_country_00000.beats"),
]


@pytest.mark.parametrize("pair", range(10))
def test_scorer_matches_mir_eval_reference_outputs(pair: int) -> None:
    folder = media(f"mir_eval/ref{pair:02d}.txt").parent
    reference = mir_eval.io.load_events(str(folder / f"ref{pair:02d}.txt"))
    estimated = mir_eval.io.load_events(str(folder / f"est{pair:02d}.txt"))
    expected = json.loads((folder / f"output{pair:02d}.json").read_text(encoding="utf-8"))
    expected = expected["F-measure"]
    trimmed = mir_eval.beat.trim_beats(reference), mir_eval.beat.trim_beats(estimated)
    assert f_measure(*trimmed) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("bpm", [72, 97, 128, 140])
def test_click_track_beats_and_tempo(bpm: int) -> None:
    samples, clicks = click_track(bpm, 30)
    result = analyse_samples(samples, RATE)
    assert f_measure(clicks, np.array(result.beats)) >= 0.95
    assert result.tempo == pytest.approx(bpm, abs=0.1)
    errors = [min(abs(np.array(result.beats) - click)) for click in clicks]
    assert np.median(errors) < 0.001 and max(errors) < 0.003  # times, not just the count


@pytest.mark.parametrize(("first", "last"), [(90, 130), (120, 90), (100, 150)])
def test_beats_follow_a_tempo_that_speeds_up_or_slows_down(first: int, last: int) -> None:
    # One period for the whole track put the beats halfway between the drums at its slow end
    # (F 0.93-0.96 before the grid followed the local tempo).
    samples, beats = tempo_ramp(first, last, 40)
    found = np.array(analyse_samples(samples, RATE).beats)
    assert f_measure(beats, found) >= 0.98
    errors = [min(abs(found - beat)) for beat in beats]
    assert np.percentile(errors, 90) < 0.005


def test_real_music_beats_beat_librosa_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    import librosa

    ours, theirs = [], []
    for audio_name, beats_name in ANNOTATED:
        audio = load_audio(media(audio_name))
        reference, _ = annotations(media(beats_name))
        result = analyse_samples(audio.samples, audio.rate)
        _, frames = librosa.beat.beat_track(y=audio.samples, sr=audio.rate)
        baseline = librosa.frames_to_time(frames, sr=audio.rate)
        ours.append(f_measure(reference, np.array(result.beats)))
        theirs.append(f_measure(reference, baseline))
        annotated_bpm = 60 / np.median(np.diff(reference))
        ratio = result.tempo / annotated_bpm
        assert min(abs(ratio - 1), abs(ratio - 2), abs(ratio - 0.5)) <= 0.02, audio_name
    with capsys.disabled():
        names = ", ".join(name.split("/")[-1] for name, _ in ANNOTATED)
        print(f"\nbeat F-measure ({names}): studio {np.round(ours, 3)} mean {np.mean(ours):.3f};")
        print(f"librosa beat_track defaults {np.round(theirs, 3)} mean {np.mean(theirs):.3f}")
    assert np.mean(ours) >= 0.80
    assert np.mean(ours) > np.mean(theirs)


def test_the_development_set_holds_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """The 11 excerpts of ../shared/media/beats-dev (benchmarks/beats_accuracy.py prints the
    table; --folds the held-out figures): mean beat F at least 0.85 (0.863 measured; 0.818
    before the loud envelope, 0.699 before the doubling check), at most 2 tempi off by more
    than 8 %, and the drum grooves held: the off-beat hi-hats (spcup_open_018, 0.942; 0 on the
    off-beats) and the eighth-note groove (spcup_open_016) on the beat at their own tempo.
    Told each excerpt's tempo (rounded, as `--bpm` gives it): mean F at least 0.85 and at most
    one tempo off (the sonata, whose annotation changes level)."""
    import json

    folder = media("beats-dev/manifest.json").parent
    scores, told, tempo_errors, told_errors = {}, [], 0, 0
    for item in json.loads((folder / "manifest.json").read_text(encoding="utf-8")):
        audio = load_audio(folder / item["audio"])
        reference = np.sort(np.loadtxt(folder / item["beats"], ndmin=2)[:, 0])
        bpm = 60 / np.median(np.diff(reference))
        result = analyse_samples(audio.samples, audio.rate)
        scores[item["id"]] = f_measure(reference, np.array(result.beats))
        tempo_errors += abs(result.tempo / bpm - 1) > 0.08
        hinted = analyse_samples(audio.samples, audio.rate, bpm=float(round(bpm)))
        told.append(f_measure(reference, np.array(hinted.beats)))
        told_errors += abs(hinted.tempo / bpm - 1) > 0.08
    with capsys.disabled():
        print(f"\ndevelopment set: mean beat F {np.mean(list(scores.values())):.3f}, "
              f"tempo errors {tempo_errors}/{len(scores)}; told the tempo: "
              f"{np.mean(told):.3f}, {told_errors}")  # fmt: skip
    assert np.mean(list(scores.values())) >= 0.85 and tempo_errors <= 2
    assert scores["spcup_open_018"] >= 0.9 and scores["spcup_open_016"] >= 0.9
    assert np.mean(told) >= 0.85 and told_errors <= 1


def test_a_tempo_the_user_knows_settles_the_metrical_level() -> None:
    """Told the annotated tempo, the tracker takes the drumless excerpt at its 70 BPM (the
    dB-flux tracker read it at 170: F 0.37, told 0.87), and follows the user's level on a
    click track; a tempo outside the tracker's range is refused."""
    audio = load_audio(media("beats-dev/spcup_open_020_smc016/open_020.wav"))
    reference = np.loadtxt(media("beats-dev/spcup_open_020_smc016/reference.beats"))
    hinted = analyse_samples(audio.samples, audio.rate, bpm=70)
    assert hinted.tempo == pytest.approx(70.2, rel=0.03)
    assert f_measure(reference, np.array(hinted.beats)) >= 0.85
    samples, clicks = click_track(150, 20)
    slow = analyse_samples(samples, RATE, bpm=75)
    assert slow.tempo == pytest.approx(75, abs=0.1)
    assert (
        f_measure(clicks[::2], np.array(slow.beats)) >= 0.95
        or f_measure(clicks[1::2], np.array(slow.beats)) >= 0.95
    )
    with pytest.raises(ProjectError, match="between 50 and 220"):
        analyse(media("madmom/sample.wav"), bpm=300)


def test_meter_and_downbeats() -> None:
    for audio_name, beats_name, meter in [
        ("ballroom-gtzan/Media-105901.wav", "ballroom-gtzan/Media-105901.beats", 3),
        ("ballroom-gtzan/country.00000.wav", "ballroom-gtzan/gtzan_country_00000.beats", 4),
    ]:
        audio = load_audio(media(audio_name))
        result = analyse_samples(audio.samples, audio.rate)
        _, reference = annotations(media(beats_name))
        assert result.meter == meter
        assert f_measure(reference, np.array(result.downbeats)) >= 0.7
        assert set(result.downbeats) <= set(result.beats)


@pytest.mark.parametrize(
    ("name", "meter"),
    [
        ("beats-dev/fmp_poulenc_valse/FMP_C6_Audio_Poulenc_Valse-sec0-15_SMD114.wav", 3),
        ("librosa-data/147793__setuniman__sweet-waltz-0i-22mi.ogg", 3),
        # swing 4/4 and a violin sonata in 2/4, without a steady beat: 3/4 was guessed for both
        ("beats-dev/simac_love_supreme/001_A love_supreme_part_1__acknowledgement.wav", 4),
        (
            "beats-dev/fmp_debussy_violin_sonata/FMP_C6_Audio_Debussy_SonataViolinPianoGMinor-02-sec135-SMD189.wav",
            4,
        ),
    ],
)
def test_waltzes_are_in_three_and_music_without_a_steady_beat_keeps_four(
    name: str, meter: int
) -> None:
    audio = load_audio(media(name))
    assert analyse_samples(audio.samples, audio.rate).meter == meter


@pytest.mark.parametrize("bpm", [97, 120])
def test_a_click_track_has_no_bars_to_find_and_stays_in_four(bpm: int) -> None:
    # every beat sounds the same, so each grouping's contrast is noise (3/4 was guessed)
    samples, _ = click_track(bpm, 20)
    assert analyse_samples(samples, RATE).meter == 4


def test_onsets_against_hand_annotations() -> None:
    audio = load_audio(media("madmom/sample.wav"))
    reference = mir_eval.io.load_events(str(media("madmom/sample.onsets")))
    result = analyse_samples(audio.samples, audio.rate)
    assert mir_eval.onset.f_measure(reference, np.array(result.onsets))[0] >= 0.9


def test_drop_starts_a_louder_section() -> None:
    samples, drop = drop_track(120, calm=12, loud=14)
    result = analyse_samples(samples, RATE)
    starts = [section.start for section in result.sections]
    assert any(abs(start - drop) <= 0.5 for start in starts), (starts, drop)
    after = next(s for s in result.sections if abs(s.start - drop) <= 0.5)
    assert after.energy > result.sections[0].energy + 0.3
    beats = np.array(result.beats)
    intensity = np.array(result.intensity)
    assert intensity[beats > drop + 1].mean() > intensity[beats < drop - 1].mean() + 0.4
    energy = np.array(result.energy)
    rate = result.energy_rate
    assert energy[int((drop + 2) * rate) :].mean() > energy[: int((drop - 2) * rate)].mean() + 0.5


def test_second_analysis_comes_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples, _ = click_track(110, 10)
    path = write_wav(tmp_path / "clicks.wav", samples)
    first = analyse(path)

    def no_decoding(*_: object, **__: object) -> None:
        raise AssertionError("decoded again")

    monkeypatch.setattr("studio.analysis.audio.load_audio", no_decoding)
    assert analyse(path) == first
    write_wav(path, click_track(90, 10)[0])  # new content, new analysis
    with pytest.raises(AssertionError, match="decoded again"):
        analyse(path)


def test_damaged_cache_entry_is_recomputed(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "clicks.wav", click_track(100, 8)[0])
    first = analyse(path)

    for entry in cache_dir("beats").glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert analyse(path) == first


def test_soundtrack_of_a_video() -> None:
    result = analyse(media("moviepy/chaplin.mp4"))
    assert result.duration == pytest.approx(9.6, abs=0.1)
    assert len(result.beats) > 4


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("silence.wav", "silent"),
        ("tone.wav", "no steady beat"),
        ("short.wav", "too short"),
        ("notes.txt", "not a media file"),
        ("missing.wav", "no such file"),
    ],
)
def test_bad_input_is_an_analysis_error(tmp_path: Path, name: str, reason: str) -> None:
    path = tmp_path / name
    if name == "silence.wav":
        write_wav(path, np.zeros(RATE * 5, dtype=np.float32))
    elif name == "tone.wav":
        tone = 0.5 * np.sin(2 * np.pi * 440 * np.arange(RATE * 6) / RATE)
        write_wav(path, tone.astype(np.float32))
    elif name == "short.wav":
        write_wav(path, click_track(120, 1.5)[0])
    elif name == "notes.txt":
        path.write_text("not audio", encoding="utf-8")
    with pytest.raises(AnalysisError, match=reason):
        analyse(path)


def test_video_without_sound_is_an_analysis_error() -> None:
    with pytest.raises(AnalysisError, match="no audio stream"):
        analyse(media("pyscenedetect/counter.mp4"))


def _librosa_clicks(path: Path, bpm: float, first: float, seconds: float = 30.0) -> np.ndarray:
    """A click track from another generator than ours (librosa's, at 44.1 kHz)."""
    import librosa
    import soundfile

    times = np.arange(first, seconds - 0.2, 60.0 / bpm)
    rate = 44100
    soundfile.write(path, librosa.clicks(times=times, sr=rate, length=int(seconds * rate)), rate)
    return times


@pytest.mark.parametrize(
    ("bpm", "first"),
    [(60, 1.234), (72, 0.013), (97, 0.0), (128, 0.37), (140, 0.49), (165, 0.21), (180, 0.05)],
)
def test_beats_sit_on_the_clicks_below_the_analysis_hop(
    tmp_path: Path, bpm: float, first: float
) -> None:
    clicks = _librosa_clicks(tmp_path / "clicks.wav", bpm, first)
    result = analyse(tmp_path / "clicks.wav", cache=False)
    beats = np.array(result.beats)
    assert len(beats) == len(clicks)  # every click, the first and the last included
    errors = np.abs(beats - clicks) * 1000
    assert np.median(errors) <= 1.0 and errors.max() <= 3.0, errors
    assert result.tempo == pytest.approx(bpm, abs=0.1)
    assert result.steady and result.confidence > 0.8


def test_beat_synced_cuts_fall_on_the_frames_nearest_the_true_clicks(tmp_path: Path) -> None:
    from studio.app import BeatSyncRequest, beat_synced_project
    from studio.model.time import nearest_frame
    from studio.model.timeline import cut_frames
    from tests.helpers import make_clip

    clicks = _librosa_clicks(tmp_path / "clicks.wav", 128, 0.37)
    clip = make_clip(tmp_path / "clip.mp4", 30, audio=False)
    request = BeatSyncRequest(tmp_path / "clicks.wav", [clip], every=1, duration=20)
    cuts = cut_frames(beat_synced_project(request).project.main.clips, 30)[1:-1]
    nearest = {nearest_frame(Fraction(str(t)), 30) for t in clicks}
    assert len(cuts) >= 35 and set(cuts) <= nearest


@pytest.mark.parametrize(
    "name",
    [
        "people/whisper/jfk.flac",
        "librosa-data/198-209-0000.ogg",
        "people/sphinx4/10001-90210-01803.wav",
    ],
)
def test_speech_has_no_steady_beat_and_says_so(name: str) -> None:
    result = analyse(media(name))
    assert not result.steady and result.confidence < 0.25
    assert "no steady beat" in result.warning


@pytest.mark.parametrize("audio_name", [pair[0] for pair in ANNOTATED])
def test_music_has_a_steady_beat(audio_name: str) -> None:
    result = analyse(media(audio_name))
    assert result.steady and result.warning == ""


# Styles of the synthesised set (tests/arrangements.py) the tracker holds at a typical tempo:
# the beat, its phase (ska's loud chops, reggae's skank and bossa's chords are off the beat;
# syncopated pop's kick and bass push the off-beats, which a low-band phase rule mistook for
# the beat), the tempo's octave and the meter (6/8 counts its dotted quarters, two a bar).
# benchmarks/beats_synthetic.py scores the whole set (360 excerpts); a waltz at 180 BPM is
# still read at half its tempo now and then, as the Poulenc waltz of the development set is.
HELD_STYLES = [
    ("four_on_the_floor", 124), ("backbeat_rock", 110), ("ska", 150), ("swing", 140),
    ("shuffle", 100), ("trap", 140), ("waltz", 150), ("funk", 110), ("reggae_one_drop", 75),
    ("bossa_nova", 130), ("rock_eighths", 120), ("syncopated_pop", 100), ("six_eight", 70),
    ("house", 125), ("house_offbeat_bass", 125), ("swing", 190), ("backbeat_rock", 170),
    ("waltz", 190),
]  # fmt: skip


# styles whose bar starts are told by the music: the others' halves of a bar are alike but for
# a short chord (backbeat rock, house, bossa nova), or their bar is two beats (6/8)
BARS_HEARD = {
    "four_on_the_floor", "ska", "swing", "shuffle", "trap", "waltz", "funk", "reggae_one_drop",
    "rock_eighths", "syncopated_pop", "house_offbeat_bass",
}  # fmt: skip


@pytest.mark.parametrize(("style", "bpm"), HELD_STYLES)
def test_synthesised_styles_are_tracked_on_the_beat(style: str, bpm: int) -> None:
    from tests.arrangements import RATE as ARRANGED, arrangement, phase_right

    for seed in (1, 2):
        excerpt = arrangement(style, bpm, 20, seed=seed, level_db=-6.0 * seed)
        result = analyse_samples(excerpt.samples, ARRANGED)
        found = np.array(result.beats)
        assert f_measure(excerpt.beats, found) >= 0.9, (style, seed)
        assert phase_right(excerpt.beats, found), (style, seed)  # not on the off-beat
        assert result.tempo == pytest.approx(bpm, rel=0.08)
        assert result.meter == excerpt.meter or excerpt.meter not in (3, 4)  # 6/8: 2 a bar
        if style in BARS_HEARD:
            assert f_measure(excerpt.downbeats, np.array(result.downbeats)) >= 0.85, (style, seed)


def test_the_bundled_scorer_was_fitted_on_the_figures_measured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.analysis import levels

    rater = levels.scorer()
    assert len(rater.networks) > 1
    for net in rater.networks:
        assert net.hidden.shape == (len(levels.FEATURES), len(net.bias))
        assert net.linear.shape == net.mean.shape == (len(levels.FEATURES),)
    stale = json.loads(levels.WEIGHTS.read_text(encoding="utf-8"))
    stale["features"] = stale["features"][:-1]
    (tmp_path / "beat_levels.json").write_text(json.dumps(stale), encoding="utf-8")
    monkeypatch.setattr(levels, "WEIGHTS", tmp_path / "beat_levels.json")
    levels.scorer.cache_clear()
    try:
        with pytest.raises(ValueError, match="retrain"):
            levels.scorer()
    finally:
        monkeypatch.undo()
        levels.scorer.cache_clear()


def test_a_tempo_given_keeps_its_level_and_the_scorer_finds_the_beat() -> None:
    from tests.arrangements import RATE as ARRANGED, arrangement, phase_right

    excerpt = arrangement("house_offbeat_bass", 125, 20, seed=3)
    for told in (125, 62.5):  # the tempo, and half of it: the grid follows what it is told
        result = analyse_samples(excerpt.samples, ARRANGED, bpm=told)
        assert result.tempo == pytest.approx(told, rel=0.08)
        assert phase_right(excerpt.beats, np.array(result.beats))
