"""Beat analysis speed on a 3-minute track (the shared country excerpt looped six times).

Figures, all on the same file in the same run:
  first use  a new Python process with an empty cache: imports, decoding and analysis
             (what a user waits for the first time they run `studio beats`)
  warm       a second analysis in the same process, cache off (best of 3)
  cached     the analysis read back from the cache (median of 20)
  librosa    librosa.beat.beat_track on the same samples: first call in a new process with an
             empty numba cache, then warm (best of 3), for comparison

Run: python benchmarks/beats_speed.py   (targets: first use <= 5 s, warm <= 2 s, cached <= 50 ms)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import timed
from studio.io.ffmpeg_bin import ffmpeg_exe

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO.parent / "shared" / "media" / "ballroom-gtzan" / "country.00000.wav"
FIRST_USE = (
    "import os; from studio.app import Settings, analyse_beats, apply; "
    "apply(Settings.from_environment(os.environ)); analyse_beats({path!r})"
)
LIBROSA_FIRST = (
    "from studio.analysis.audio import load_audio; import librosa; "
    "a = load_audio({path!r}); librosa.beat.beat_track(y=a.samples, sr=a.rate)"
)


def three_minutes(folder: Path) -> Path:
    path = folder / "country-3min.wav"
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-stream_loop", "5", "-i", str(SOURCE)]
    subprocess.run([*argv, "-t", "180", str(path)], check=True)
    return path


def new_process(code: str, cache: Path) -> float:
    """Wall seconds of `python -c code` with empty studio and numba caches."""
    env = {**os.environ, "STUDIO_CACHE_DIR": str(cache), "NUMBA_CACHE_DIR": str(cache / "numba")}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=REPO)
    return time.perf_counter() - start


def main() -> None:
    from studio.analysis.audio import load_audio
    from studio.analysis.beats import analyse
    from studio.settings import Settings, apply

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        track = three_minutes(root)
        first_use = new_process(FIRST_USE.format(path=str(track)), root / "cache-first")
        apply(Settings(cache_dir=str(root / "cache-here")))
        warm = min(timed(lambda: analyse(track, cache=False)) for _ in range(3))
        analyse(track)
        cached = statistics.median(timed(lambda: analyse(track)) for _ in range(20))
        librosa_first = new_process(LIBROSA_FIRST.format(path=str(track)), root / "cache-librosa")
        import librosa

        audio = load_audio(track)
        librosa.beat.beat_track(y=audio.samples, sr=audio.rate)
        librosa_warm = min(
            timed(lambda: librosa.beat.beat_track(y=audio.samples, sr=audio.rate)) for _ in range(3)
        )
    print(f"track: {SOURCE.name} looped to 180 s")
    print(f"first use (new process, empty cache): {first_use:6.2f} s   target <= 5 s")
    print(f"warm analysis (same process, no cache): {warm:6.2f} s   target <= 2 s")
    print(f"cached analysis: {cached * 1000:6.1f} ms   target <= 50 ms")
    print(f"librosa beat_track, new process and empty numba cache: {librosa_first:6.2f} s")
    print(f"librosa beat_track, warm: {librosa_warm:6.2f} s")
    print(f"ratio studio/librosa warm = {warm / librosa_warm:.2f}")


if __name__ == "__main__":
    main()
