"""The layered edit rendered: transitions on the main track, overlay tracks with keyframed
transforms, blends, masks and chroma keys, and the sound of audio tracks, checked on the pixels
and samples of real exports and preview frames."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.app.render import export, render_frame
from studio.errors import ProjectError
from studio.io.probe import probe
from studio.model.edits import clip_of
from studio.model.keys import Key, Keys
from studio.model.timeline import Canvas, Clip, Gap, Project, Track, Transition
from studio.model.transform import ChromaKey, Mask, Transform
from studio.render.presets import get_preset
from tests.helpers import frame, inspect_output, make_clip, mono_sound, psnr, source_frame

DRAFT = get_preset("draft")  # 540x960, 30 fps
RED, BLUE, LIME = (255, 0, 0), (0, 0, 255), (0, 255, 0)


def _colour(tmp_path: Path, name: str, seconds: float = 3, audio: bool = False) -> Clip:
    path = make_clip(tmp_path / f"{name}.mp4", seconds, source=f"color=c={name}", audio=audio)
    return clip_of(probe(path))


def _length(clip: Clip, seconds: float) -> Clip:
    return replace(clip, source_out=Fraction(str(seconds)))


def _near(pixel: np.ndarray, colour: tuple[int, int, int], slack: int = 12) -> bool:
    return bool(np.abs(pixel.astype(int) - colour).max() <= slack)


def _rms(sound: np.ndarray, start: float, end: float) -> float:
    part = sound[int(start * 48000) : int(end * 48000)]
    return float(np.sqrt(np.mean(part.astype(float) ** 2)))


def _tone(sound: np.ndarray, start: float, end: float, hertz: float) -> float:
    """How much of the window's sound is at `hertz` (share of the spectrum's energy)."""
    part = sound[int(start * 48000) : int(end * 48000)].astype(float)
    power = np.abs(np.fft.rfft(part)) ** 2
    freqs = np.fft.rfftfreq(len(part), 1 / 48000)
    near = np.abs(freqs - hertz) < 20
    return float(power[near].sum() / max(power.sum(), 1e-12))


def test_transitions_blend_both_clips_keep_the_cuts_and_crossfade_the_sound(
    tmp_path: Path,
) -> None:
    """red (with a tone) -dissolve 1 s- blue -push left 1 s- lime, 2 s each: 180 frames as
    without transitions; the dissolve's middle frame is the mean of red and blue, the push's
    holds half of each; the tone fades out across the first transition."""
    red = _length(_colour(tmp_path, "red", audio=True), 2)
    blue, lime = _length(_colour(tmp_path, "blue"), 2), _length(_colour(tmp_path, "lime"), 2)
    main = Track(
        (red, Transition("dissolve", Fraction(1)), blue, Transition("push-left", Fraction(1)), lime)
    )
    edit = Project(Canvas(540, 960, 30), main)
    out = export(edit, tmp_path / "t.mp4", DRAFT).output
    probed = inspect_output(out)
    assert probed.frames == 180 and probed.audio_samples == 180 * 1600
    assert _near(frame(out, 44)[480, 270], RED) and _near(frame(out, 75)[480, 270], BLUE)
    middle = frame(out, 60)[480, 270].astype(int)
    assert np.abs(middle - np.add(RED, BLUE) / 2).max() <= 12, middle
    pushed = frame(out, 120)
    assert _near(pushed[480, 100], BLUE) and _near(pushed[480, 440], LIME)
    assert _near(frame(out, 135)[480, 270], LIME)
    sound = mono_sound(out)
    full, middle_level, after = (
        _rms(sound, 0.2, 1.3),
        _rms(sound, 1.95, 2.05),
        _rms(sound, 2.7, 3.5),
    )
    assert 0.35 < middle_level / full < 0.65 and after < full / 50
    for index in (52, 60, 118):  # the preview draws transitions as the export does
        png = tmp_path / f"p{index}.png"
        render_frame(edit, Fraction(index, 30), (540, 960), png)
        assert psnr(source_frame(png, 0, (540, 960)), frame(out, index)) > 30, index


def test_a_keyframed_overlay_is_where_its_keys_put_it_and_a_chroma_key_leaves_no_green(
    tmp_path: Path,
) -> None:
    """Over a red clip: a white picture from 0.5 s whose centre goes (0.25, 0.3) -> (0.75, 0.6)
    in 2 s, in-out eased on x; a lime picture with a black square, its lime keyed out; a voice
    track's 880 Hz tone from 1 s to 2 s."""
    red = _length(_colour(tmp_path, "red"), 3)
    white = _length(_colour(tmp_path, "white"), 2)
    moves = (
        Transform(scale=0.2)
        .with_keys("x", Keys((Key(Fraction(0), 0.25, "in-out"), Key(Fraction(2), 0.75))))
        .with_keys("y", Keys((Key(Fraction(0), 0.3), Key(Fraction(2), 0.6))))
    )
    white = replace(white, transform=moves)
    square = make_clip(
        tmp_path / "keyed.mp4",
        3,
        source="color=c=lime",
        audio=False,
        extra=["-vf", "drawbox=x=270:y=120:w=100:h=120:color=black:t=fill"],
    )
    keyed = replace(
        clip_of(probe(square)),
        transform=Transform(y=0.85, scale=0.5, chroma=ChromaKey("#00ff00", 0.3, 0.05)),
    )
    tone = tmp_path / "voice.wav"
    _sine(tone, 880, 3)
    voice = _length(clip_of(probe(tone)), 1)
    layers = (
        Track((Gap(Fraction(1, 2)), white), "video", "overlay", "pip"),
        Track((keyed,), "video", "overlay", "keyed"),
        Track((Gap(Fraction(1)), voice), "audio", "voice", "voice"),
    )
    edit = Project(Canvas(540, 960, 30), Track((red,)), layers=layers)
    out = export(edit, tmp_path / "o.mp4", DRAFT).output
    for index in (15, 45, 72):  # the item's start, 1 s in, its last frame but two
        picture = frame(out, index)
        x, y = _centre_of(picture, (255, 255, 255))
        local = Fraction(index - 15, 30)
        expected = moves.at("x", local), moves.at("y", local)
        assert abs(x / 540 - expected[0]) < 0.01 and abs(y / 960 - expected[1]) < 0.01, index
    picture = frame(out, 30).astype(int)
    green = (picture[..., 1] > 120) & (picture[..., 0] < 100) & (picture[..., 2] < 100)
    assert green.sum() == 0
    black = (picture.sum(axis=2) < 60)[600:]
    assert 0.8 < black.sum() / (100 * 120 * (270 / 640) ** 2) < 1.2  # the square stays
    sound = mono_sound(out)
    assert _tone(sound, 1.1, 1.9, 880) > 0.9 and _rms(sound, 0.2, 0.8) < 1e-3
    png = tmp_path / "p.png"
    render_frame(edit, Fraction(45, 30), (540, 960), png)
    assert psnr(source_frame(png, 0, (540, 960)), frame(out, 45)) > 30


def _centre_of(picture: np.ndarray, colour: tuple[int, int, int]) -> tuple[float, float]:
    ys, xs = np.nonzero(np.abs(picture.astype(int) - colour).max(axis=2) < 40)
    return (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2


def _sine(path: Path, hertz: int, seconds: float) -> None:
    import subprocess

    from studio.io.ffmpeg_bin import ffmpeg_exe

    source = f"sine=frequency={hertz}:sample_rate=48000:duration={seconds}"
    argv = [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", source, str(path)]
    subprocess.run(argv, check=True, timeout=60)


@pytest.mark.parametrize(
    ("blend", "expected"),
    [("over", (128, 128, 128)), ("multiply", (128, 0, 0)), ("screen", (255, 128, 128))],
)
def test_blends_combine_the_overlay_with_the_picture_under_it(
    tmp_path: Path, blend: str, expected: tuple[int, int, int]
) -> None:
    red = _length(_colour(tmp_path, "red"), 2)
    grey = _length(_colour(tmp_path, "gray"), 2)
    grey = replace(grey, transform=Transform(scale=0.5, blend=blend))  # type: ignore[arg-type]
    edit = Project(
        Canvas(540, 960, 30), Track((red,)), layers=(Track((grey,), "video", "overlay", "o"),)
    )
    png = tmp_path / "b.png"
    render_frame(edit, Fraction(1, 2), (540, 960), png)
    picture = source_frame(png, 0, (540, 960))
    assert _near(picture[480, 270], expected, 14), picture[480, 270]
    assert _near(picture[50, 50], RED)


def test_a_circle_mask_and_keyed_opacity_shape_the_overlay(tmp_path: Path) -> None:
    red = _length(_colour(tmp_path, "red"), 2)
    white = _length(_colour(tmp_path, "white"), 2)
    fading = Transform(scale=0.5, mask=Mask("circle")).with_keys(
        "opacity", Keys((Key(Fraction(0), 0.0), Key(Fraction(2), 1.0)))
    )
    edit = Project(
        Canvas(540, 960, 30),
        Track((red,)),
        layers=(Track((replace(white, transform=fading),), "video", "overlay", "o"),),
    )
    png = tmp_path / "m.png"
    render_frame(edit, Fraction(1), (540, 960), png)
    picture = source_frame(png, 0, (540, 960))
    assert _near(picture[480, 270], (255, 128, 128), 14), picture[480, 270]  # half opaque
    box_corner = (480 - 70, 270 - 130)  # inside the picture's box, outside its circle
    assert _near(picture[box_corner], RED)
    assert _near(picture[480 - 125, 270], (255, 128, 128), 14)  # a circle, not an ellipse


def test_every_transition_kind_mixes_both_clips_and_easing_shapes_the_way(tmp_path: Path) -> None:
    """Each kind shows neither clip alone inside it; a dissolve eased `in` is an eighth of
    the way at its middle frame (cubic), where a linear one is half way."""
    from studio.model.tracks import TRANSITIONS

    first = _length(_colour(tmp_path, "red"), 2)
    second = _length(_colour(tmp_path, "blue"), 2)
    plain = Project(Canvas(540, 960, 30), Track((first, second)))
    sides = [_frame_at(plain, tmp_path, at) for at in (Fraction(59, 30), Fraction(2))]
    for kind in TRANSITIONS:
        edit = replace(plain, main=Track((first, Transition(kind, Fraction(1)), second)))
        times = (Fraction(7, 4), Fraction(2), Fraction(9, 4))
        shown = [_frame_at(edit, tmp_path, at).astype(int) for at in times]
        mixed = [all(np.abs(one - side).mean() > 4 for side in sides) for one in shown]
        assert any(mixed), kind  # a zoom shows one clip, zooming, for half of its time
    for ease, share in (("linear", 0.5), ("in", 0.125), ("out", 0.875)):
        way = Transition("dissolve", Fraction(1), ease)  # type: ignore[arg-type]
        edit = Project(Canvas(540, 960, 30), Track((first, way, second)))
        blue = _frame_at(edit, tmp_path, Fraction(2))[480, 270, 2]
        assert abs(blue / 255 - share) < 0.05, (ease, blue)


def _frame_at(edit: Project, tmp_path: Path, at: Fraction) -> np.ndarray:
    png = tmp_path / "at.png"
    render_frame(edit, at, (540, 960), png)
    return source_frame(png, 0, (540, 960))


def test_a_transition_reads_an_effect_mask_from_the_clip_s_first_frame(tmp_path: Path) -> None:
    """A clip with its background replaced, after a 1 s dissolve: the frames read before its
    in point (the dissolve's second half) hold its mask's first frame, and its own frames get
    the mask frames that belong to them. The mask here is white (the person) for the clip's
    first 20 frames, then black, so a mask read 15 frames late (from where the handle starts)
    would show the new background at the clip's 17th frame."""
    from studio.io.ffmpeg_bin import ffmpeg_exe
    from studio.model.prepared import PERSON
    from studio.model.timeline import Background
    from studio.render.command import export_command
    from studio.render.plan import Frame, make_plan

    red = _length(_colour(tmp_path, "red"), 2)
    blue = _colour(tmp_path, "blue", seconds=4)  # from 1 s in: the dissolve reads 0.5 s before
    blue = replace(blue, source_in=Fraction(1)).with_effect(Background("color", color="#00ff00"))
    mask = tmp_path / "mask.mkv"
    white_first = "nullsrc=s=64x64:r=30:d=4,geq=lum='if(lt(N,20),255,0)':cb=128:cr=128"
    encode = ["-c:v", "ffv1", "-pix_fmt", "gray", str(mask)]
    generate = [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", white_first, *encode]
    subprocess.run(generate, check=True, timeout=60)
    edit = Project(Canvas(540, 960, 30), Track((red, Transition("dissolve", Fraction(1)), blue)))
    plan = make_plan(edit, Frame(540, 960, 30), tmp_path, {PERSON + blue.id: mask})
    out = tmp_path / "masked.mp4"
    argv = export_command(edit, plan, DRAFT, out, None, ffmpeg_exe()).argv
    subprocess.run(argv, check=True, capture_output=True, timeout=120)
    assert _near(frame(out, 60 + 17)[480, 270], BLUE)  # the clip's 17th frame: the person
    assert _near(frame(out, 60 + 25)[480, 270], LIME)  # its 25th: the new background


def test_an_overlay_clip_s_analysed_effect_is_prepared_and_drawn(tmp_path: Path) -> None:
    """A per-frame effect (the pencil sketch, made by the analysis pass before the graph) on a
    picture-in-picture: the export draws it there, grey where the clip is colourful."""
    from studio.model.timeline import FrameEffect

    base = _length(_colour(tmp_path, "blue"), 1)
    bars = clip_of(probe(make_clip(tmp_path / "bars.mp4", 1, "320x240", audio=False)))
    sketched = replace(bars, transform=Transform(scale=0.8), effects=(FrameEffect("sketch"),))
    edit = Project(
        Canvas(540, 960, 30), Track((base,)), layers=(Track((sketched,), "video", "overlay", "o"),)
    )
    out = export(edit, tmp_path / "sketch.mp4", DRAFT).output
    box = frame(out, 15)[420:540, 150:390].astype(int)
    spread = np.abs(box - box.mean(axis=2, keepdims=True)).max(axis=2)
    assert np.median(spread) < 20  # grey pencil lines, not the colour bars
    plain = export(
        replace(edit, layers=(Track((replace(sketched, effects=()),), "video", "overlay", "o"),)),
        tmp_path / "plain.mp4",
        DRAFT,
    ).output
    colourful = frame(plain, 15)[420:540, 150:390].astype(int)
    assert np.median(np.abs(colourful - colourful.mean(axis=2, keepdims=True)).max(axis=2)) > 40


def test_a_plain_colour_is_a_clip_s_source_on_any_track(tmp_path: Path) -> None:
    """`color:#RRGGBB` (or a colour's name) as the file of `studio add clip|overlay`: a black
    card on the main track, a magenta box over the edit; both survive an OTIO round trip (as
    OTIO's solid colour generator), and a colour refuses what needs a picture to analyse."""
    from studio.io.project_file import load_project
    from studio.model.clip import colour_media
    from studio.model.timeline import Background
    from tests.helpers import studio

    project = tmp_path / "p.studio.json"
    red = make_clip(tmp_path / "red.mp4", 1, source="color=c=red")
    assert studio("new", project, red).returncode == 0
    box = ("overlay", "color:#FF00FF", "--at", "0.2", "--for", "0.5", "--scale", "0.3")
    for args in (box, ("clip", "color:black")):
        done = studio("add", project, *args)
        assert done.returncode == 0, done.stderr
    out = tmp_path / "out.mp4"
    assert studio("export", project, "-o", out, "--preset", "draft").returncode == 0
    assert inspect_output(out).frames == 30 + 150  # the card shows 5 s, as a picture does
    shown = frame(out, 12)
    assert _near(shown[480, 270], (255, 0, 255)) and _near(shown[100, 50], RED)
    assert _near(frame(out, 100)[480, 270], (0, 0, 0))
    assert studio("export", project, "--otio", tmp_path / "e.otio", "-o", out).returncode == 0
    back = studio("import", tmp_path / "e.otio", "-o", tmp_path / "back.studio.json")
    assert back.returncode == 0, back.stderr
    paths = [
        c.media.path for t in load_project(tmp_path / "back.studio.json").tracks for c in t.clips
    ]
    assert paths[1:] == ["color:#000000", "color:#ff00ff"]
    bad = studio("add", project, "overlay", "color:#zz0000", "--at", "0")
    assert bad.returncode == 2 and "#zz0000" in bad.stderr and "Traceback" not in bad.stderr
    with pytest.raises(ProjectError, match="plain colour"):
        clip_of(colour_media("#000000")).with_effect(Background("blur"))


def test_an_overlay_meets_its_first_and_last_frame_after_an_eased_transition(
    tmp_path: Path,
) -> None:
    """A transition's frames are stamped on an eased clock; the edit is back on exact frame
    times before the overlays, so a picture from 3 s to 3.5 s shows on frames 90..104."""
    red, blue = _length(_colour(tmp_path, "red"), 2), _length(_colour(tmp_path, "blue"), 2)
    lime = _length(_colour(tmp_path, "lime"), 0.5)
    boxed = replace(lime, transform=Transform(scale=0.5))
    main = Track((red, Transition("dissolve", Fraction(1), "in-out"), blue))
    layer = Track((Gap(Fraction(3)), boxed), "video", "overlay", "o")
    edit = Project(Canvas(540, 960, 30), main, layers=(layer,))
    out = export(edit, tmp_path / "met.mp4", DRAFT).output
    shown = [_near(frame(out, index)[480, 270], LIME) for index in (89, 90, 104, 105)]
    assert shown == [False, True, True, False]


def test_volume_keys_shape_a_clip_s_sound_from_its_start(tmp_path: Path) -> None:
    """Volume keyed 0 -> 1 over a clip's first second, the clip coming in through a dissolve
    from 1 s into its file (its sound read early for the crossfade): silent at its start,
    half way at 0.5 s, full at 1 s, on the timeline."""
    red = _length(_colour(tmp_path, "red"), 2)
    tone = _colour(tmp_path, "blue", seconds=4, audio=True)
    rising = Keys((Key(Fraction(0), 0.0), Key(Fraction(1), 1.0)))
    tone = replace(tone, source_in=Fraction(1), volume_keys=rising)
    edit = Project(Canvas(540, 960, 30), Track((red, Transition("dissolve", Fraction(1, 2)), tone)))
    sound = mono_sound(export(edit, tmp_path / "rise.mp4", DRAFT).output)
    full = _rms(sound, 3.5, 3.9)
    levels = [_rms(sound, at, at + 0.04) / full for at in (2.0, 2.48, 2.96)]
    assert levels[0] < 0.1 and 0.35 < levels[1] < 0.65 and levels[2] > 0.85, levels
