"""A 30-second layered vertical edit rendered two ways in the same run:

1. studio (the facade's export: its one graph and its loudness measuring pass),
2. the equivalent hand-written ffmpeg commands with the same encoder settings: a measuring pass
   of the same mix, then one graph (xfade between clips, overlay with the keyed position
   expression, the still laid over with its opacity, amix with the music, one gain to the
   loudness target).

The edit: 10 clips of 3 s from four 1920x1080 H.264 phone-like sources, 8 transitions of
0.5 s (one plain cut), a picture-in-picture of another source whose position is keyed (eased),
a still PNG with opacity over most of the edit, and a music bed faded out at the end.

Run: python benchmarks/layers_vs_ffmpeg.py [--repeat N]
Both outputs are checked to be the same edit (frames, duration, PSNR between them); the last
line reads `ratio wall W CPU C` (studio/ffmpeg, target <= 1.15 for both).

`--case titles` measures what text costs instead: the same edit exported by studio with 10
animated titles over it (styles with outlines, boxes, a glow; coming in, going out and moving
while they show) against the same edit without them; the last line reads
`titles ratio wall W CPU C` (with/without, target <= 1.10).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import interleaved_runs, make_sources
from studio.app.render import export
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.io.probe import probe
from studio.model import arrange
from studio.model.keys import Key
from studio.model.timeline import Canvas, Clip, MusicTrack, Project, Track, Transition
from studio.model.transform import Transform
from studio.render.presets import get_preset

PRESET = get_preset("tiktok")
FPS, WIDTH, HEIGHT, RATE = 30, 1080, 1920, 48000
SOURCE_SIZE = "1920x1080"  # landscape phone footage, cropped to fill the vertical canvas
CLIPS, CLIP_SECONDS = 10, 3
TRANSITION = Fraction(1, 2)  # 15 frames: 7 before the cut, 8 after it
KINDS = {  # transition after clip i (none after clip 4: a plain cut), and its xfade name
    0: ("dissolve", "fade"),
    1: ("slide-left", "coverleft"),
    2: ("push-up", "slideup"),
    3: ("wipe-right", "wiperight"),
    5: ("zoom-in", "zoomin"),
    6: ("circle", "circleopen"),
    7: ("dip-black", "fadeblack"),
    8: ("whip", "hblur"),
}
BEFORE, AFTER = 7, 8  # frames of a transition before and after its cut
PIP_SOURCE, PIP_FROM, PIP_AT, PIP_SECONDS, PIP_SCALE = 1, 1, 4, 10, 0.5
PIP_KEYS = ((0, 0.3, 0.25), (3, 0.7, 0.3), (7, 0.65, 0.7), (10, 0.35, 0.75))  # t, x, y
STILL_AT, STILL_SECONDS, STILL_Y, STILL_SCALE, STILL_OPACITY = 1, 27, 0.1, 0.6, 0.7
STILL_SIZE = (1000, 400)
LOOP = Path(__file__).resolve().parents[1] / "studio" / "assets" / "demo" / "loop120.m4a"
MUSIC_FADE = 1
PEAK_CEILING = -2.5  # dBTP: studio's -1 target less its 1.5 dB of headroom for AAC


@dataclass(frozen=True)
class Cut:
    """A main-track clip: its source, where it starts in it, and the frames its transitions
    take before its in point (`lead`) and after its out point (`tail`)."""

    source: Path
    start: Fraction
    lead: int
    tail: int

    @property
    def frames(self) -> int:
        return self.lead + CLIP_SECONDS * FPS + self.tail


def cut_list(sources: list[Path]) -> list[Cut]:
    """Clip i: source i % 4 from 0.5 + 3 * (i // 4) s, widened by its transitions."""
    found = []
    for i in range(CLIPS):
        start = Fraction(1, 2) + CLIP_SECONDS * (i // len(sources))
        lead = BEFORE if i - 1 in KINDS else 0
        tail = AFTER if i in KINDS else 0
        found.append(Cut(sources[i % len(sources)], start, lead, tail))
    return found


def make_still(folder: Path) -> Path:
    """A title card: a picture with a transparent border (RGBA PNG)."""
    path = folder / "still.png"
    w, h = STILL_SIZE
    graph = f"testsrc2=size={w}x{h},format=rgba,drawbox=0:0:{w}:{h}:black@0:40:replace=1"
    run_quietly(["-f", "lavfi", "-i", graph, "-frames:v", "1", str(path)])
    return path


def make_music(folder: Path) -> Path:
    """A 32 s song: the demo's 16 s loop played twice, as AAC like a phone's music file."""
    path = folder / "music.m4a"
    run_quietly(["-stream_loop", "2", "-i", str(LOOP), "-t", "32", "-c:a", "aac", str(path)])
    return path


def run_quietly(args: list[str]) -> subprocess.CompletedProcess[str]:
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", *args]
    return subprocess.run(argv, check=True, capture_output=True, text=True)


# The edit in studio's model


def studio_project(cuts: list[Cut], pip: Path, still: Path, music: Path) -> Project:
    media = {path: probe(path) for path in {cut.source for cut in cuts} | {pip}}
    clips = tuple(Clip(media[c.source], c.start, c.start + CLIP_SECONDS) for c in cuts)
    project = Project(Canvas(WIDTH, HEIGHT, FPS), Track(clips))
    project = replace(project, music=MusicTrack(probe(music), fade_out=Fraction(MUSIC_FADE)))
    for index, (kind, _) in KINDS.items():
        project = arrange.add_transition(project, clips[index].id, Transition(kind, TRANSITION))
    picture = Clip(media[pip], Fraction(PIP_FROM), Fraction(PIP_FROM + PIP_SECONDS))
    picture = replace(picture, transform=Transform(scale=PIP_SCALE))
    project, _ = arrange.place(project, picture, Fraction(PIP_AT))
    keys = [
        (name, Key(Fraction(t), v, "in-out")) for t, *xy in PIP_KEYS for name, v in zip("xy", xy)
    ]
    project = arrange.add_keys(project, picture.id, keys)
    card = Clip(probe(still), Fraction(0), Fraction(STILL_SECONDS))
    look = Transform(y=STILL_Y, scale=STILL_SCALE, opacity=STILL_OPACITY)
    project, _ = arrange.place(project, replace(card, transform=look), Fraction(STILL_AT))
    return project


# The same edit by hand


def inputs(cuts: list[Cut], pip: Path, music: Path, video: bool = True) -> list[str]:
    """Each clip's range widened by its transitions (two frames spare), the picture-in-picture's
    range and the song: inputs 0..9, 10 and 11 (without their pictures when not `video`)."""
    skip = [] if video else ["-vn"]
    argv: list[str] = []
    for cut in cuts:
        start = cut.start - Fraction(cut.lead, FPS)
        length = Fraction(cut.frames + 2, FPS)
        argv += ["-ss", seconds(start), "-t", seconds(length), *skip, "-i", str(cut.source)]
    length = PIP_SECONDS + Fraction(2, FPS)
    argv += ["-ss", str(PIP_FROM), "-t", seconds(length), *skip, "-i", str(pip)]
    return [*argv, "-t", str(CLIPS * CLIP_SECONDS + 1), "-i", str(music)]


def runs_of_clips() -> list[list[int]]:
    """Clips joined by transitions, split at the plain cuts."""
    found = [[0]]
    for i in range(1, CLIPS):
        if i - 1 in KINDS:
            found[-1].append(i)
        else:
            found.append([i])
    return found


def video_graph(cuts: list[Cut]) -> list[str]:
    """Every clip filling the canvas, xfaded into the next, the runs joined at the plain cut."""
    chains = []
    for i, cut in enumerate(cuts):
        chains.append(
            f"[{i}:v]fps={FPS},trim=end_frame={cut.frames},"
            f"scale={WIDTH}:{HEIGHT}:force_original_aspect_ratio=increase,"
            f"crop={WIDTH}:{HEIGHT},setsar=1,format=yuv420p[v{i}]"
        )
    runs = runs_of_clips()
    for run in runs:
        label = f"v{run[0]}"
        for i in run[1:]:
            cut_time = Fraction((i - run[0]) * CLIP_SECONDS) - Fraction(BEFORE, FPS)
            kind = KINDS[i - 1][1]
            chains.append(
                f"[{label}][v{i}]xfade=transition={kind}:duration={seconds(TRANSITION)}:"
                f"offset={seconds(cut_time)}[x{i}]"
            )
            label = f"x{i}"
        chains.append(f"[{label}]null[run{run[0]}]")
    joined = "".join(f"[run{run[0]}]" for run in runs)
    chains.append(f"{joined}concat=n={len(runs)}:v=1:a=0[main]")
    return chains


def overlay_graph(still_input: int) -> list[str]:
    """The picture-in-picture at its keyed place, then the still with its opacity."""
    source_w, source_h = (int(side) for side in SOURCE_SIZE.split("x"))
    pip_w = even(PIP_SCALE * WIDTH)
    pip_h = even(pip_w * source_h / source_w)
    card_w = even(STILL_SCALE * WIDTH)
    card_h = even(card_w * STILL_SIZE[1] / STILL_SIZE[0])
    x = keyed([(t, x) for t, x, _ in PIP_KEYS], PIP_AT)
    y = keyed([(t, y) for t, _, y in PIP_KEYS], PIP_AT)
    end = STILL_AT + STILL_SECONDS
    return [
        f"[10:v]fps={FPS},trim=end_frame={PIP_SECONDS * FPS},scale={pip_w}:{pip_h},setsar=1,"
        f"setpts=PTS-STARTPTS+{PIP_AT}/TB[pip]",
        f"[main][pip]overlay=x='{x}*W-w/2':y='{y}*H-h/2':eval=frame:eof_action=pass[under]",
        f"[{still_input}:v]scale={card_w}:{card_h},setsar=1,format=rgba,"
        f"colorchannelmixer=aa={STILL_OPACITY}[card]",
        f"[under][card]overlay=x=(W-w)/2:y={STILL_Y}*H-h/2:"
        f"enable='gte(t,{STILL_AT})*lt(t,{end})'[v]",
    ]


def keyed(keys: list[tuple[int, float]], start: int) -> str:
    """A value eased in-out between keys, as an expression of the overlay's time t."""
    local = f"(t-{start})"
    found = f"{keys[-1][1]}"
    for (t0, a), (t1, b) in reversed(list(pairwise(keys))):
        p = f"(({local}-{t0})/{t1 - t0})"
        way = f"if(lt({p},0.5),4*pow({p},3),1-pow(2-2*{p},3)/2)"
        found = f"if(lt({local},{t1}),{a}+{b - a:.6g}*{way},{found})"
    return f"if(lt({local},{keys[0][0]}),{keys[0][1]},{found})"


def audio_graph(cuts: list[Cut], loudness: str) -> list[str]:
    """Each clip's sound crossfaded over its transitions, the picture-in-picture's sound at its
    place, the song faded out, all mixed, then `loudness` (filters after the mix)."""
    tidy = f"aresample={RATE},aformat=sample_fmts=fltp:channel_layouts=stereo"
    per_frame = RATE // FPS
    chains = [
        f"[{i}:a]{tidy},atrim=end_sample={cut.frames * per_frame}[a{i}]"
        for i, cut in enumerate(cuts)
    ]
    runs = runs_of_clips()
    fade = (BEFORE + AFTER) * per_frame
    for run in runs:
        label = f"a{run[0]}"
        for i in run[1:]:
            chains.append(f"[{label}][a{i}]acrossfade=ns={fade}:c1=tri:c2=tri[c{i}]")
            label = f"c{i}"
        chains.append(f"[{label}]anull[said{run[0]}]")
    joined = "".join(f"[said{run[0]}]" for run in runs)
    total = CLIPS * CLIP_SECONDS
    return [
        *chains,
        f"{joined}concat=n={len(runs)}:v=0:a=1[speech]",
        f"[10:a]{tidy},atrim=end_sample={PIP_SECONDS * RATE},"
        f"adelay={PIP_AT * RATE}S:all=1[pipsound]",
        f"[11:a]{tidy},afade=t=out:st={total - MUSIC_FADE}:d={MUSIC_FADE}[song]",
        "[speech][song][pipsound]amix=inputs=3:duration=first:normalize=0"
        f"{loudness},atrim=end_sample={total * RATE}[a]",
    ]


def measure(cuts: list[Cut], pip: Path, music: Path) -> tuple[float, float]:
    """The first pass: integrated loudness and true peak of the mix (sound only)."""
    graph = ";".join(audio_graph(cuts, ",ebur128=peak=true"))
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", *inputs(cuts, pip, music, video=False)]
    argv += ["-filter_complex", graph, "-map", "[a]", "-f", "null", "-"]
    done = subprocess.run(argv, check=True, capture_output=True, text=True)
    summary = done.stderr.rsplit("Summary:", 1)[-1]
    found = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary)
    assert found and peak, done.stderr[-500:]
    return float(found.group(1)), float(peak.group(1))


def loudness_filters(loudness: float, peak: float) -> str:
    """One gain to -14 LUFS; a true-peak limiter (at 4x the rate) only where peaks need it."""
    gain = round(PRESET.loudness - loudness, 2)
    filters = f",volume={gain}dB"
    if peak + gain > PEAK_CEILING:
        limit = round(10 ** (PEAK_CEILING / 20), 4)
        filters += (
            f",aresample={RATE * 4},alimiter=limit={limit}:attack=2:release=60:level=false:"
            f"latency=true,aresample={RATE}"
        )
    return filters


def hand_written(cuts: list[Cut], pip: Path, still: Path, music: Path, out: Path) -> list[str]:
    """The render: one graph, one encode, with the loudness the first pass measured."""
    loudness = loudness_filters(*measure(cuts, pip, music))
    graph = [*video_graph(cuts), *overlay_graph(12), *audio_graph(cuts, loudness)]
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    argv += [*inputs(cuts, pip, music), "-i", str(still)]
    argv += ["-filter_complex", ";".join(graph), "-map", "[v]", "-map", "[a]"]
    argv += ["-c:v", "libx264", "-preset", PRESET.x264_preset, "-crf", str(PRESET.crf)]
    argv += ["-profile:v", "high", "-pix_fmt", "yuv420p", "-r", str(FPS), "-g", str(2 * FPS)]
    argv += ["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"]
    argv += ["-color_range", "tv", "-c:a", "aac", "-b:a", PRESET.audio_bitrate]
    argv += ["-ar", str(RATE), "-ac", "2", "-movflags", "+faststart", str(out)]
    return argv


def seconds(value: Fraction | int) -> str:
    return f"{float(value):.6f}".rstrip("0").rstrip(".")


def even(value: float) -> int:
    return max(2, round(value / 2) * 2)


# Proof that both made the same edit


def frame_count(path: Path) -> int:
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:v:0"]
    done = subprocess.run([*argv, "-c", "copy", "-f", "null", "-"], capture_output=True, text=True)
    return int(re.findall(r"frame=\s*(\d+)", done.stderr)[-1])


def psnr(a: Path, b: Path) -> tuple[float, float]:
    """PSNR of b against a (dB, "inf" where identical): over all frames, and the least alike
    frame's."""
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(a), "-i", str(b)]
    argv += ["-lavfi", "[0:v][1:v]psnr", "-f", "null", "-"]
    done = subprocess.run(argv, check=True, capture_output=True, text=True)
    found = re.search(r"average:([\d.]+|inf) min:([\d.]+|inf)", done.stderr)
    assert found, done.stderr[-500:]
    return float(found.group(1)), float(found.group(2))


def check(studio_out: Path, ffmpeg_out: Path) -> None:
    counts = [frame_count(path) for path in (studio_out, ffmpeg_out)]
    lengths = [float(probe(path).duration) for path in (studio_out, ffmpeg_out)]
    average, lowest = psnr(studio_out, ffmpeg_out)
    print(
        f"same edit: frames {counts[0]} / {counts[1]}, duration {lengths[0]:.3f} / "
        f"{lengths[1]:.3f} s (studio / ffmpeg); PSNR between them {average:.1f} dB over all "
        f"frames, {lowest:.1f} dB at the least alike frame"
    )


TITLES = (  # words, style, (x, y), in, out, loop: 3 s each, one after another over the edit
    ("Wait for it", "classic", (0.5, 0.2), "pop", "fade", ""),
    ("THE DROP", "meme", (0.5, 0.75), "slide-up", "slide-down", "shake"),
    ("no way", "neon", (0.3, 0.3), "zoom", "fade", "pulse"),
    ("Day 1 of 30", "bold-box", (0.5, 0.15), "slide-left", "slide-right", ""),
    ("link in bio", "pill", (0.5, 0.85), "bounce", "fade", "float"),
    ("POV: you found it", "highlight", (0.5, 0.4), "typewriter", "fade", ""),
    ("best part is next", "shadow-pop", (0.5, 0.6), "words", "zoom", "pulse"),
    ("wait...", "handwritten-note", (0.5, 0.5), "blur", "blur", "float"),
    ("ready?", "subtitle-bar", (0.5, 0.8), "slide-down", "slide-up", "wave"),
    ("GO", "retro", (0.5, 0.35), "zoom", "pop", "shake"),
)


def with_titles(project: Project) -> Project:
    """The edit with the ten titles laid over it, each 3 s, overlapping the next by one."""
    from studio.model.motion import Motion
    from studio.model.title_styles import style_named
    from studio.render.titles import title_for

    for index, (words, style, (x, y), enter, leave, loop) in enumerate(TITLES):
        title = title_for(words, Fraction(3), style_named(style), x=x, y=y)
        title = replace(title, motion=Motion(enter=enter, leave=leave, loop=loop))
        project = arrange.place(project, title, Fraction(index * 2 + 1))[0]
    return project


def titles_case(project: Project, folder: Path, repeat: int) -> None:
    titled = with_titles(project)
    outputs = {"plain": folder / "plain.mp4", "titles": folder / "titles.mp4"}
    runs = {
        "plain": lambda: export(project, outputs["plain"], PRESET),
        "titles": lambda: export(titled, outputs["titles"], PRESET),
    }
    print(f"the same edit with and without {len(TITLES)} animated titles; tiktok preset")
    walls, cpu = interleaved_runs(runs, repeat)
    assert frame_count(outputs["titles"]) == frame_count(outputs["plain"])
    wall_ratio = min(walls["titles"]) / min(walls["plain"])
    cpu_ratio = min(cpu["titles"]) / min(cpu["plain"])
    print(f"titles ratio wall {wall_ratio:.2f} CPU {cpu_ratio:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--case", choices=("ffmpeg", "titles"), default="ffmpeg")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp:
        folder = Path(tmp)
        sources = make_sources(folder, size=SOURCE_SIZE)
        cuts, pip = cut_list(sources), sources[PIP_SOURCE]
        still, music = make_still(folder), make_music(folder)
        project = studio_project(cuts, pip, still, music)
        if args.case == "titles":
            titles_case(project, folder, args.repeat)
            return 0
        outputs = {"ffmpeg": folder / "ffmpeg.mp4", "studio": folder / "studio.mp4"}
        runs = {
            "ffmpeg": lambda: subprocess.run(
                hand_written(cuts, pip, still, music, outputs["ffmpeg"]), check=True
            ),
            "studio": lambda: export(project, outputs["studio"], PRESET),
        }
        print(
            f"edit: {CLIPS} clips of {CLIP_SECONDS} s from 4 sources ({SOURCE_SIZE} H.264), "
            f"{len(KINDS)} transitions, a keyed picture-in-picture, a still at opacity "
            f"{STILL_OPACITY}, music; tiktok preset 1080x1920"
        )
        walls, cpu = interleaved_runs(runs, args.repeat)
        check(outputs["studio"], outputs["ffmpeg"])
        wall_ratio = min(walls["studio"]) / min(walls["ffmpeg"])
        cpu_ratio = min(cpu["studio"]) / min(cpu["ffmpeg"])
        print(f"ratio wall {wall_ratio:.2f} CPU {cpu_ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
