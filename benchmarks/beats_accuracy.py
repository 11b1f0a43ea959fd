"""Beat tracking accuracy: the development set, the older annotated excerpts, click tracks.

Per file: the reference tempo (60 / median inter-beat interval), beat F (mir_eval, 70 ms, on
untrimmed arrays), our tempo and its octave label against the reference (+-8 %: ok, x2, x0.5,
x3, x1/3, x1.5, x2/3, other), downbeat F where bar starts are annotated, our confidence, and
F and octave when the tracker is told the annotated tempo (rounded to a whole BPM, as a user who
knows the song's tempo would give it: `studio beats --bpm`); with --librosa also
librosa.beat.beat_track's F on its defaults. Then per set: mean beat F,
octave errors, mean downbeat F. The tests' thresholds (tests/test_beats.py) come from this.

--folds scores the analysis's tuned choices (studio/analysis/tuning.py) the way they must be
judged: every candidate tuning of CANDIDATES runs on the development set and on the synthesised
set (tests/arrangements.py); for each development excerpt, the candidate with the best mean F
on the other ten plus the synthesised set is chosen and scored on the one left out. It prints
the in-sample figures of each candidate, then the held-out ones (the figures that count) and
the last line `folds: in-sample F X held-out F Y octave errors N/11 off-beat K`. The beat-level
scorer (studio/analysis/levels.py) is fitted, and held out fold by fold, by
benchmarks/train_beat_levels.py.

Run: python benchmarks/beats_accuracy.py [--librosa] [--only ID,ID] [--json out.json]
     python benchmarks/beats_accuracy.py --folds [--per-style 8]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Collection
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.beats_folds import folds, octave
from studio.analysis.audio import load_audio
from studio.analysis.beats import analyse_samples
from tests.music import RATE, annotations, click_track, f_measure

MEDIA = Path(__file__).resolve().parents[2] / "shared" / "media"
DEV = MEDIA / "beats-dev"
OLDER = (  # the excerpts the tracker was first developed on (tests/test_beats.py)
    ("madmom/sample.wav", "madmom/sample.beats"),
    ("ballroom-gtzan/Media-105901.wav", "ballroom-gtzan/Media-105901.beats"),
    ("ballroom-gtzan/country.00000.wav", "ballroom-gtzan/gtzan_country_00000.beats"),
)
CLICKS = (60, 90, 120, 150, 180)
HEADER = (
    "set    id                         refBPM      F    BPM octave meter  DB_F  conf  F@bpm "
    "octave librosa"
)


@dataclass
class Row:
    set: str
    id: str
    ref_bpm: float
    f: float
    bpm: float
    octave: str
    downbeat_f: float | None
    confidence: float
    told_f: float = 0.0  # told the tempo
    told_octave: str = ""
    meter: str = ""  # ours, then the annotation's beats per bar where bars are annotated
    librosa_f: float | None = None


@dataclass
class Case:
    set: str
    id: str
    samples: np.ndarray
    rate: int
    beats: np.ndarray  # annotated beat times
    bars: np.ndarray | None = None  # annotated bar starts


def score(case: Case, librosa: bool) -> Row:
    found = analyse_samples(case.samples, case.rate)
    ref_bpm = 60.0 / float(np.median(np.diff(case.beats)))
    downbeat_f, annotated = None, ""
    if case.bars is not None and len(case.bars):
        downbeat_f = round(f_measure(case.bars, np.array(found.downbeats)), 3)
        per_bar = np.histogram(case.beats, bins=np.append(case.bars, np.inf))[0][:-1]
        annotated = f"/{int(np.median(per_bar))}" if len(per_bar) else ""
    beat_f = round(f_measure(case.beats, np.array(found.beats)), 3)
    octave_label = octave(found.tempo, ref_bpm)
    row = Row(case.set, case.id, round(ref_bpm, 1), beat_f, round(found.tempo, 1), octave_label,
              downbeat_f, found.confidence)  # fmt: skip
    told = analyse_samples(case.samples, case.rate, bpm=float(round(ref_bpm)))
    row.told_f = round(f_measure(case.beats, np.array(told.beats)), 3)
    row.told_octave = octave(told.tempo, ref_bpm)
    row.meter = f"{found.meter}{annotated}"
    if librosa:
        import librosa as lr

        _, frames = lr.beat.beat_track(y=case.samples.astype(np.float32), sr=case.rate)
        row.librosa_f = round(f_measure(case.beats, lr.frames_to_time(frames, sr=case.rate)), 3)
    return row


def _times(path: Path) -> np.ndarray:
    return np.sort(np.loadtxt(path, ndmin=2)[:, 0])


def dev_cases(only: Collection[str] = ()) -> list[Case]:
    cases = []
    for item in json.loads((DEV / "manifest.json").read_text()):
        if only and item["id"] not in only:
            continue
        audio = load_audio(DEV / item["audio"])
        bars = _times(DEV / item["downbeats"]) if item["downbeats"] else None
        beats = _times(DEV / item["beats"])
        cases.append(Case("dev", item["id"], audio.samples, audio.rate, beats, bars))
    return cases


def development(only: set[str], librosa: bool) -> list[Row]:
    return [score(case, librosa) for case in dev_cases(only)]


def older(only: set[str], librosa: bool) -> list[Row]:
    rows = []
    for audio_name, beats_name in OLDER:
        name = Path(audio_name).stem
        if only and name not in only:
            continue
        audio = load_audio(MEDIA / audio_name)
        beats, bars = annotations(MEDIA / beats_name)
        rows.append(score(Case("older", name, audio.samples, audio.rate, beats, bars), librosa))
    return rows


def clicks(only: set[str], librosa: bool) -> list[Row]:
    rows = []
    for bpm in CLICKS:
        name = f"click{bpm}"
        if only and name not in only:
            continue
        samples, times = click_track(bpm, 20.0)
        rows.append(score(Case("clicks", name, samples, RATE, times), librosa))
    return rows


def summary(rows: list[Row], group: str) -> str:
    chosen = [row for row in rows if row.set == group]
    if not chosen:
        return ""
    bars = [row.downbeat_f for row in chosen if row.downbeat_f is not None]
    said = f"{group}: mean F {np.mean([row.f for row in chosen]):.3f}"
    if chosen[0].librosa_f is not None:
        said += f" (librosa {np.mean([row.librosa_f or 0.0 for row in chosen]):.3f})"
    said += f", tempo errors {_errors([row.octave for row in chosen])}"
    if bars:
        said += f", downbeat F {np.mean(bars):.3f} on {len(bars)}"
    said += (
        f"; told the tempo: mean F {np.mean([row.told_f for row in chosen]):.3f}, "
        f"tempo errors {_errors([row.told_octave for row in chosen])}"
    )
    return said


def _errors(labels: list[str]) -> str:
    """Tempi off the annotation by more than 8 %, and how many of those are at another
    metrical level (x2, x0.5, x3, x1/3, x1.5, x2/3: octave errors) rather than unrelated."""
    level = sum(label not in ("ok", "other", "none") for label in labels)
    wrong = sum(label != "ok" for label in labels)
    return f"{wrong}/{len(labels)} ({level} octave, {wrong - level} other)"


def line(row: Row) -> str:
    bars = "" if row.downbeat_f is None else f"{row.downbeat_f:.3f}"
    theirs = "" if row.librosa_f is None else f"{row.librosa_f:.3f}"
    return (
        f"{row.set:6s} {row.id:26s} {row.ref_bpm:6.1f} {row.f:6.3f} {row.bpm:6.1f} "
        f"{row.octave:>6s} {row.meter:>5s} {bars:>5s} {row.confidence:5.2f} {row.told_f:6.3f} "
        f"{row.told_octave:>6s} {theirs:>7s}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--librosa", action="store_true", help="also score librosa's defaults")
    parser.add_argument("--only", default="", help="ids to score, comma separated")
    parser.add_argument("--json", help="write the rows here")
    parser.add_argument("--folds", action="store_true", help="held-out scores of the tuning")
    parser.add_argument("--per-style", type=int, default=8, help="synthesised excerpts (folds)")
    args = parser.parse_args()
    if args.folds:
        return folds(dev_cases(), args.per_style)
    only = {name for name in args.only.split(",") if name}
    print(HEADER)
    rows: list[Row] = []
    for collect in (development, older, clicks):
        for row in collect(only, args.librosa):
            rows.append(row)
            print(line(row), flush=True)
    for group in ("dev", "older", "clicks"):
        if said := summary(rows, group):
            print(said)
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(row) for row in rows], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
