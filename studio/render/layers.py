"""The tracks above the main one, composed bottom to top in the same graph, and every track's
sound mixed under the edit's.

An overlay clip's picture goes through the clip chain every clip takes (speed, square pixels,
the canvas rate, its effects), then its transform: scaled to a box its largest size fills,
chroma-keyed, cropped, masked, made translucent, turned, scaled by its keys and laid over the
picture under it at its keyed centre, over exactly its frames. Keys become expressions of the
frame's time (render/keys.py), so the preview, `studio frame`, playback and export agree.

A render may cover only frames `first`..`first + count` of the edit (a chunk of a long export,
one frame, playback from a frame): only the part of each item inside that window is read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from studio.io.ffmpeg_bin import ffmpeg_path_arg
from studio.model.boxes import frame_shape, framed
from studio.model.prepared import DENOISED
from studio.model.stickers import StickerItem
from studio.model.time import nearest_frame, seconds
from studio.model.timeline import Clip, Project, Track
from studio.model.titles import Title
from studio.model.transform import CROPS, Transform
from studio.render.audio import AUDIO_RATE
from studio.render.fit import color_conversion, fit_to_canvas
from studio.render.images import Image
from studio.render.keys import expression
from studio.render.plan import Plan, Slot, Stream
from studio.render.sources import generated, looped


@dataclass(frozen=True)
class Placed:
    """An overlay clip and the output frames it covers: [first, end)."""

    clip: Clip
    first: int
    end: int


def placed_clips(project: Project, fps: int, plan: Plan | None = None) -> list[Placed]:
    """Every clip of the visible overlay tracks, bottom track first, with its frames; with a
    `plan`, its titles and stickers too, each as the picture clip it renders as (a title
    drawn into the plan's image folder at its output size when not there yet:
    render/titles.py; a sticker its picture: render/stickers.py)."""
    return [placed for track in project.layers for placed in _placed(track, fps, plan)]


def _placed(track: Track, fps: int, plan: Plan | None) -> list[Placed]:
    from studio.render.stickers import sticker_clip
    from studio.render.titles import picture_clip

    if track.kind != "video" or track.hidden:
        return []
    found = []
    for item, start, end in track.ranges():
        first, last = nearest_frame(start, fps), nearest_frame(end, fps)
        canvas = (plan.frame.width, plan.frame.height) if plan is not None else (0, 0)
        if isinstance(item, Title) and plan is not None:
            item = picture_clip(item, canvas, plan.image_dir, fps)
        if isinstance(item, StickerItem) and plan is not None:
            item = sticker_clip(item, canvas, plan.image_dir, fps)
        if isinstance(item, Clip) and last > first:
            found.append(Placed(item, first, last))
    return found


def box(clip: Clip, width: int) -> tuple[int, int]:
    """The size (even sides) a clip's picture is prepared at: as wide as its largest scale
    makes it on a canvas `width` wide, as tall as its frame's shape says (its own, or square
    under a circle mask)."""
    transform = clip.transform or Transform()
    w = _even(transform.most("scale") * width)
    return w, _even(w * frame_shape(clip))


def _boxed(picture: Stream, clip: Clip, width: int) -> Stream:
    """The clip's picture at its box (square pixels, BT.709 limited range)."""
    w, h = box(clip, width)
    conversion = color_conversion(clip.media)
    if framed(clip):
        return fit_to_canvas(picture, clip.fit, w, h, conversion)
    return picture.filter("scale", w, h, **conversion).filter("setsar", 1)


def border_image(clip: Clip, width: int) -> Image | None:
    """The line drawn around a masked clip's picture (a larger shape behind it)."""
    transform = clip.transform
    if transform is None or transform.mask is None or transform.mask.border <= 0:
        return None
    mask = transform.mask
    w, h = box(clip, width)
    line = max(2, round(width * mask.border))
    radius = round(min(w, h) * mask.radius) if mask.shape == "rounded" else 0
    if mask.shape == "circle":
        radius = min(w, h) // 2 + line
    return Image("frame", w + 2 * line, h + 2 * line, radius + line, mask.border_color)


def mask_image(clip: Clip, width: int) -> Image | None:
    """The still that shapes a masked clip's picture (drawn before the render)."""
    transform = clip.transform
    if transform is None or transform.mask is None:
        return None
    mask = transform.mask
    w, h = box(clip, width)
    side = min(w, h)
    radius = round(side * mask.radius) if mask.shape == "rounded" else 0
    kind = "ellipse" if mask.shape == "circle" else "mask"
    return Image(kind, w, h, radius, feather=round(side * mask.feather))


def layer_images(project: Project, width: int) -> tuple[Image, ...]:
    clips = [item.clip for item in placed_clips(project, 1)]
    found = [make(clip, width) for clip in clips for make in (mask_image, border_image)]
    return tuple(image for image in found if image is not None)


def with_layers(video: Stream, project: Project, plan: Plan, first: int, count: int) -> Stream:
    """`video` (output frames first..first+count, its clock 0 at `first`) with every overlay
    clip laid over it, bottom to top. The edit is stamped at exact frame times first (a
    transition's eased clock leaves it microseconds early), so each overlay meets its frame."""
    placed_all = placed_clips(project, plan.frame.fps, plan)
    if any(max(p.first, first) < min(p.end, first + count) for p in placed_all):
        video = video.filter("settb", f"1/{plan.frame.fps}").filter("setpts", "N")
    for placed in placed_all:
        low, high = max(placed.first, first), min(placed.end, first + count)
        if low < high:
            video = _lay(video, placed, plan, low, high, first)
    return video


def lay_over(
    video: Stream, clip: Clip, frames: tuple[int, int], plan: Plan, shown: tuple[int, int]
) -> Stream:
    """`clip` on output frames frames[0]..frames[1] laid over `video`, which holds
    shown[1] frames from output frame shown[0] (the edit stamped at exact frame times)."""
    first, count = shown
    low, high = max(frames[0], first), min(frames[1], first + count)
    if low >= high:
        return video
    video = video.filter("settb", f"1/{plan.frame.fps}").filter("setpts", "N")
    return _lay(video, Placed(clip, *frames), plan, low, high, first)


def _lay(video: Stream, placed: Placed, plan: Plan, low: int, high: int, first: int) -> Stream:
    """The part of `placed` on frames low..high laid over `video`, which starts at `first`."""
    from studio.render.compile import clip_picture

    frame, clip = plan.frame, placed.clip
    transform = clip.transform or Transform()
    skipped = low - placed.first
    part = visible_part(clip, skipped, high - low, frame.fps)
    shown = max(0, skipped - nearest_frame(clip.pad_start, frame.fps))  # masks: played frames
    once = _held_still(clip)  # one frame, shaped once, that overlay holds
    frames = 1 if once else high - low
    source = {"video": _video(part, frame.fps, once)}
    picture = clip_picture(source, part, frame, frames, plan.masks, shown)
    already = Fraction(low - placed.first, frame.fps)  # item time at the part's first frame
    picture = _shaped(picture, clip, plan, already)
    # stamped on the same exact clock as the edit under it (frame n at n/fps)
    picture = picture.filter("settb", f"1/{frame.fps}").filter("setpts", f"N+{low - first}")
    start = Fraction(placed.first - first, frame.fps)  # the item's start on the video's clock
    moving = transform.animated("x") or transform.animated("y") or _resized(transform)
    where = {
        **_place(transform, start, moving, box(clip, frame.width), frame.width, frame.height),
        "enable": f"between(n,{low - first},{high - first - 1})",
        "eof_action": "repeat" if once else "pass",
        "format": "yuv420",  # only the picture is converted, never the whole canvas
    }
    if moving:
        where["eval"] = "frame"
    video = _bordered(video, clip, plan, where)
    if transform.blend == "over":
        return ffmpeg.filter([video, picture], "overlay", **where)
    return _blended(video, picture, transform, where)


def _place(
    transform: Transform, start: Fraction, moving: bool, size: tuple[int, int], w: int, h: int
) -> dict[str, str]:
    """overlay's x and y for the picture's top-left corner: whole pixels for a picture that
    stays put (the nearest to its centre), else expressions of the frame's time."""
    across, down = transform.anchored()
    if not moving and not transform.rotation:  # even: where 4:2:0 chroma can place it
        return {
            "x": str(_pixel(transform.x * w, size[0], across) & ~1),
            "y": str(_pixel(transform.y * h, size[1], down) & ~1),
        }
    x = expression(transform.keys_of("x"), transform.x, "t", start)
    y = expression(transform.keys_of("y"), transform.y, "t", start)
    return {"x": f"{x}*W-w*{across}", "y": f"{y}*H-h*{down}"}


def _pixel(at: float, size: int, anchor: float) -> int:
    """The first pixel of a picture `size` long whose anchor point (0, 0.5 or 1 of it) is at
    `at`: an edge anchor lands on the pixel nearest it, a centre on the nearest middle."""
    if anchor == 0.5:
        return round(at - size / 2)
    return round(at) - round(size * anchor)


def on_black(picture: Stream, clip: Clip, width: int, height: int) -> Stream:
    """A main-track clip that has a transform: its picture at its box (in its frame, as its fit
    says) at its place on a black canvas. Its still place and size count; keys, masks and
    blends belong to overlay tracks."""
    transform = clip.transform or Transform()
    w, h = box(clip, width)
    picture = _boxed(picture, clip, width)
    across, down = transform.anchored()
    x, y = _pixel(transform.x * width, w, across), _pixel(transform.y * height, h, down)
    left, top = max(0, -x), max(0, -y)
    right, bottom = max(0, x + w - width), max(0, y + h - height)
    if left or top or right or bottom:  # only what lies on the canvas
        if w - left - right < 2 or h - top - bottom < 2:
            return picture.filter("crop", 2, 2).filter("pad", width, height, 0, 0, "black")
        picture = picture.filter("crop", w - left - right, h - top - bottom, left, top)
    return picture.filter("pad", width, height, max(0, x), max(0, y), "black")


def _bordered(video: Stream, clip: Clip, plan: Plan, where: dict[str, Any]) -> Stream:
    """`video` with the line around the clip's mask drawn where the picture goes."""
    image = border_image(clip, plan.frame.width)
    if image is None:
        return video
    frame = ffmpeg.input(ffmpeg_path_arg(plan.path(image)), loop=1, framerate=plan.frame.fps)
    line = (image.width - box(clip, plan.frame.width)[0]) // 2
    around = {key: value for key, value in where.items() if key != "format"}  # 4:2:0, as drawn
    if where["x"].lstrip("-").isdigit():  # whole pixels: the line starts that far before
        x, y = int(where["x"]) - line & ~1, int(where["y"]) - line & ~1
        around |= {"x": str(x), "y": str(y)}
    return ffmpeg.filter([video, frame.video], "overlay", **around)  # else centred there


def visible_part(clip: Clip, skipped: int, frames: int, fps: int) -> Clip:
    """The clip's range that shows on `frames` output frames, `skipped` frames after its start
    (with the part of its held time that falls in them)."""
    begin, finish = Fraction(skipped, fps), Fraction(skipped + frames, fps)
    played_from = clip.pad_start
    played_to = clip.pad_start + clip.played
    pad_start = min(max(played_from - begin, Fraction(0)), finish - begin)
    pad_end = min(max(finish - played_to, Fraction(0)), finish - begin)
    start = clip.source_at(max(begin, played_from))
    end = clip.source_at(min(finish, played_to))
    if end <= start:  # only held frames show: one frame of the file, held
        end = start + Fraction(1, fps) * clip.top_speed
        start = max(clip.source_in, min(start, clip.source_out - (end - start)))
        end = start + Fraction(1, fps) * clip.top_speed
    clip = replace(clip, pad_start=pad_start, pad_end=pad_end)
    if clip.media.still:
        return replace(clip, source_in=Fraction(0), source_out=end - start)
    if clip.media.loops:  # from the same moment of its first run
        start, end = start % clip.media.duration, start % clip.media.duration + end - start
    return replace(clip, source_in=start, source_out=end)


def _held_still(clip: Clip) -> bool:
    """Whether a clip is a picture that never changes: drawn once and held by `overlay`."""
    transform = clip.transform or Transform()
    return clip.media.still and not transform.keys and not clip.effects


def _video(clip: Clip, fps: int, once: bool = False) -> Stream:
    """The clip's range of its file (a picture: looped for the clip's length, or read once;
    an animated picture: repeated from the clip's in point)."""
    margin = Fraction(2, fps) * clip.top_speed
    if clip.media.generated:
        length = Fraction(1, fps) if once else clip.source_duration + margin
        return generated(clip.media.path, fps, seconds(length)).video
    if once:
        return ffmpeg.input(ffmpeg_path_arg(clip.media.path)).video
    if clip.media.loops:
        played = ffmpeg.input(ffmpeg_path_arg(clip.media.path)).video
        repeat = clip.source_out > clip.media.duration  # else one run is all it shows
        return looped(played, seconds(clip.source_in), fps, repeat)
    options: dict[str, Any] = {"t": seconds(clip.source_duration + margin)}
    if clip.media.still:
        options |= {"loop": 1, "framerate": fps}
    elif clip.source_in > 0:
        options["ss"] = seconds(clip.source_in)
    return ffmpeg.input(ffmpeg_path_arg(clip.media.path), **options).video


def _shaped(picture: Stream, clip: Clip, plan: Plan, already: Fraction) -> Stream:
    """The picture at its box with alpha: keyed, cropped, masked, translucent, turned and
    scaled as its transform says (keys read at item time `already` + the stream's clock)."""
    transform = clip.transform or Transform()
    frame = plan.frame
    w, h = box(clip, frame.width)
    picture = _boxed(picture, clip, frame.width)
    picture = picture.filter("format", "rgba" if _in_rgb(transform) else "yuva420p")
    if transform.chroma is not None:
        key = transform.chroma
        color = "0x" + key.color.lstrip("#")
        picture = picture.filter("colorkey", color, key.similarity, key.blend)
        if key.spill > 0:
            picture = picture.filter("despill", type=_spill_type(key.color), mix=key.spill)
    image = mask_image(clip, frame.width)
    if image is not None:
        picture = _masked(picture, plan.path(image), frame.fps, transform.chroma is not None)
    picture = _cropped_and_faded(picture, transform, w, h, -already)
    if transform.rotation or transform.animated("rotation"):
        turn = expression(transform.keys_of("rotation"), transform.rotation, "t", -already)
        picture = picture.filter(
            "rotate", f"({turn})*PI/180", ow="hypot(iw,ih)", oh="hypot(iw,ih)", c="none"
        )
    if transform.animated("scale"):
        size = expression(transform.keys_of("scale"), transform.scale, "t", -already)
        share = f"({size})/{transform.most('scale'):.6f}"
        picture = picture.filter(
            "scale", f"max(2,trunc(iw*{share}/2)*2)", f"max(2,trunc(ih*{share}/2)*2)", eval="frame"
        )
    return picture


def _masked(picture: Stream, path: Path, fps: int, keyed: bool) -> Stream:
    """The picture shown only inside its mask (and, after a chroma key, also outside the key)."""
    mask = ffmpeg.input(ffmpeg_path_arg(path), loop=1, framerate=fps).video
    if not keyed:
        return ffmpeg.filter([picture, mask], "alphamerge", shortest=1)
    split = picture.split()
    alpha = split[1].filter("alphaextract")
    both = ffmpeg.filter([alpha, mask.filter("format", "gray")], "blend", all_mode="multiply")
    return ffmpeg.filter([split[0], both], "alphamerge", shortest=1)


def _cropped_and_faded(picture: Stream, t: Transform, w: int, h: int, start: Fraction) -> Stream:
    """Crop sides made transparent and opacity applied: fast filters for still values, one
    per-pixel expression where a crop or the opacity is keyed."""
    keyed = t.animated("opacity") or any(t.animated(side) for side in CROPS)
    if keyed:
        return picture.filter("geq", **_alpha_expressions(t, start))
    for side in CROPS:
        value = getattr(t, side)
        if value > 0:
            picture = picture.filter("drawbox", **_strip(side, value, w, h))
    if t.opacity < 1:
        picture = picture.filter("colorchannelmixer", aa=round(t.opacity, 4))
    return picture


def _strip(side: str, share: float, w: int, h: int) -> dict[str, Any]:
    """A transparent box over the `share` of the picture cropped from `side`."""
    across, down = max(1, round(w * share)), max(1, round(h * share))
    place = {
        "crop_left": (0, 0, across, h),
        "crop_right": (w - across, 0, across, h),
        "crop_top": (0, 0, w, down),
        "crop_bottom": (0, h - down, w, down),
    }[side]
    x, y, bw, bh = place
    return {"x": x, "y": y, "w": bw, "h": bh, "color": "black@0", "t": "fill", "replace": 1}


def _alpha_expressions(t: Transform, start: Fraction) -> dict[str, str]:
    def value(name: str) -> str:
        return expression(t.keys_of(name), getattr(t, name), "T", start)

    inside = (
        f"between(X,W*({value('crop_left')}),W*(1-({value('crop_right')})))"
        f"*between(Y,H*({value('crop_top')}),H*(1-({value('crop_bottom')})))"
    )
    return {
        "r": "r(X,Y)",
        "g": "g(X,Y)",
        "b": "b(X,Y)",
        "a": f"alpha(X,Y)*({value('opacity')})*{inside}",
    }


def _blended(video: Stream, picture: Stream, transform: Transform, where: dict[str, Any]) -> Stream:
    """The picture combined with what is under it by screen, multiply or add: placed on a clear
    copy of the frame, blended with the frame, and laid over it through its own alpha."""
    under = video.split()
    clear = under[0].filter("format", "rgba").filter("colorchannelmixer", aa=0)
    placed = ffmpeg.filter([clear, picture], "overlay", **{**where, "format": "auto"}).split()
    alpha = placed[0].filter("alphaextract")
    mixed = ffmpeg.filter(
        [under[1].filter("format", "gbrap"), placed[1].filter("format", "gbrap")],
        "blend",
        all_mode=transform.blend,
    )
    shown = ffmpeg.filter([mixed, alpha], "alphamerge")
    return ffmpeg.filter([under[2], shown], "overlay", format="auto")


def _in_rgb(transform: Transform) -> bool:
    """Whether the picture is shaped in RGB (a key, opacity and blends need it); else it stays
    in 4:2:0 with alpha, as the canvas is (no conversion there and back)."""
    keyed = transform.animated("opacity") or any(transform.animated(side) for side in CROPS)
    return bool(transform.chroma) or transform.opacity < 1 or keyed or transform.blend != "over"


def _resized(transform: Transform) -> bool:
    return transform.animated("scale") or transform.animated("rotation")


def _spill_type(color: str) -> str:
    green, blue = int(color[3:5], 16), int(color[5:7], 16)
    return "blue" if blue > green else "green"


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


# Sound


def layer_sound(
    project: Project, samples: int, sounds: dict[str, Path] | None = None
) -> list[tuple[str, Stream]]:
    """The sound of every clip on the tracks above the main one (overlay clips' own sound, voice,
    effects and music tracks) with its track's id, each placed at its start and exactly
    `samples` long; a clip's cleaned sound where `sounds` holds one (model/prepared.py)."""
    from studio.render.compile import clip_audio

    found = []
    for track in project.layers:
        if not project.heard(track):
            continue
        for item, start, end in track.ranges():
            if not isinstance(item, Clip) or not item.media.has_audio or item.volume == 0:
                continue
            at = round(start * AUDIO_RATE)
            if at >= samples:
                continue
            length = min(round(end * AUDIO_RATE), samples) - at
            path = (sounds or {}).get(DENOISED + item.id, item.media.path)
            source = ffmpeg.input(ffmpeg_path_arg(path), **_sound_range(item), vn=None).audio
            sound = clip_audio({"audio": source}, item, Slot(0, length))
            sound = _track_gain(sound, track)
            if at:
                sound = sound.filter("adelay", delays=f"{at}S", all=1)
            sound = sound.filter("apad", whole_len=samples).filter("atrim", end_sample=samples)
            found.append((track.id, sound))
    return found


def _sound_range(clip: Clip) -> dict[str, Any]:
    options: dict[str, Any] = {"t": seconds(clip.source_duration + Fraction(1, 10))}
    if clip.source_in > 0:
        options["ss"] = seconds(clip.source_in)
    return options


def _track_gain(sound: Stream, track: Track) -> Stream:
    return sound.filter("volume", f"{track.gain_db:.2f}dB") if track.gain_db else sound
