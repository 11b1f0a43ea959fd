"""Noise reduction quality: read speech with white noise added at 10 dB SNR, cleaned at
strength 1 (studio.analysis.denoise), scored two ways:
- SNR against the clean speech, before and after (target: at least 6 dB better);
- the bundled recogniser's word error rate on the noisy and the cleaned sound, pooled over the
  four real recordings of the shared media that have transcripts and the six test sentences
  read by each text-to-speech voice (341 words; target: the cleaned no worse).
The recogniser decodes as `studio captions` does: a window that fails (a repetition loop) is
decoded again at a higher temperature. At temperature 0 alone, 2 of the 28 cleaned items at
5 dB looped (over 100 words inserted each), which measures the loop, not the sound. The
fallback samples, so runs differ by about a point.
The last line: `snr_gain G wer_noisy N wer_cleaned C`.
Run: python benchmarks/denoise_quality.py [--snr 10]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SNR_DB = 10.0
TEMPERATURES = [
    0.0,
    0.2,
    0.4,
    0.6,
    0.8,
    1.0,
]  # as `studio captions`: a window that loops is decoded again
RATE = 16000
REAL = {
    "people/whisper/jfk.flac": "And so my fellow Americans, ask not what your country can do "
    "for you, ask what you can do for your country.",
    "people/lipnet-grid/bbaf2n.mpg": "bin blue at f two now",
    "people/lipnet-grid/id2_vcd_swwp2s.mpg": "set white with p two soon",
    "people/sphinx4/10001-90210-01803.wav": "one zero zero zero one nine oh two one oh zero "
    "one eight zero three",
}


def main() -> int:
    import argparse

    import numpy as np

    from tests.test_captions import errors, normalised

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snr", type=float, default=SNR_DB, help="dB of speech over the noise")
    snr_db = parser.parse_args().snr
    hear = _recogniser()
    snr_gains, wrong_noisy, wrong_clean, total = [], 0, 0, 0
    for name, speech, truth, seed in _speech(Path(tempfile.mkdtemp())):
        speech = speech * (0.4 / np.abs(speech).max())
        noise = np.random.default_rng(seed).standard_normal(len(speech))
        noise *= np.sqrt(np.mean(speech**2) / np.mean(noise**2) / 10 ** (snr_db / 10))
        noisy = speech + noise
        cleaned = _cleaned(noisy)
        gain = _snr(speech, cleaned) - _snr(speech, noisy)
        reference = normalised(truth)
        a, b = errors(reference, hear(noisy)), errors(reference, hear(cleaned))
        snr_gains.append(gain)
        wrong_noisy, wrong_clean, total = wrong_noisy + a, wrong_clean + b, total + len(reference)
        print(f"{name:34s} SNR {gain:+5.2f} dB  errors {a:2d} -> {b:2d} of {len(reference)}")
    noisy_wer, clean_wer = wrong_noisy / total, wrong_clean / total
    print(f"pooled over {total} words: WER noisy {noisy_wer:.1%}, cleaned {clean_wer:.1%}")
    print(
        f"snr_gain {np.median(snr_gains):.2f} wer_noisy {noisy_wer:.3f} wer_cleaned {clean_wer:.3f}"
    )
    return 0


def _speech(folder: Path) -> Any:
    """(name, samples at 16 kHz, transcript, noise seed) for each recording and reading."""
    from studio.render.tts import VOICES, write_reading
    from tests.helpers import media, mono_sound
    from tests.test_tts import SENTENCES

    for name, truth in REAL.items():
        yield Path(name).name, mono_sound(media(name), RATE), truth, 1
    for voice in VOICES:
        for index, sentence in enumerate(SENTENCES):
            reading = write_reading(sentence, folder / "reading.wav", voice)
            yield f"{voice} {index}", mono_sound(reading, RATE), sentence, index


def _cleaned(noisy: Any) -> Any:
    """The noisy sound cleaned as a clip's sound is: at 48 kHz, then back to 16 kHz."""
    from studio.analysis.denoise import RATE as CLEAN_RATE, reduce_noise

    return _resampled(reduce_noise(_resampled(noisy, RATE, CLEAN_RATE), 1.0), CLEAN_RATE, RATE)


def _resampled(samples: Any, rate: int, to: int) -> Any:
    import numpy as np

    from studio.io.ffmpeg_bin import ffmpeg_exe

    argv = [ffmpeg_exe(), "-v", "error", "-f", "f32le", "-ar", str(rate), "-ac", "1", "-i", "-"]
    data = samples.astype(np.float32).tobytes()
    done = subprocess.run([*argv, "-ar", str(to), "-f", "f32le", "-"], input=data, check=True,
                          capture_output=True)  # fmt: skip
    return np.frombuffer(done.stdout, np.float32)


def _snr(clean: Any, found: Any) -> float:
    import numpy as np

    n = min(len(clean), len(found))
    return float(10 * np.log10(np.sum(clean[:n] ** 2) / np.sum((found[:n] - clean[:n]) ** 2)))


def _recogniser() -> Any:
    """The bundled tiny.en as captions run it: words (normalised) of 16 kHz samples."""
    import numpy as np

    from studio.analysis import speech
    from tests.test_captions import normalised

    model = speech._model(speech.model_folder(None)[0])

    def hear(samples: Any) -> list[str]:
        segments, _ = model.transcribe(
            samples.astype(np.float32), language="en", beam_size=speech.BEAM, vad_filter=True,
            temperature=TEMPERATURES, condition_on_previous_text=False,
        )  # fmt: skip
        return normalised(" ".join(s.text for s in segments).replace("Dr.", "Doctor"))

    return hear


if __name__ == "__main__":
    raise SystemExit(main())
