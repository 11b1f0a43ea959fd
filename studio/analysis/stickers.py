"""Face-tracked stickers: a picture that follows the face, drawn once into a layer video.

The clip is decoded through the export's clip chain at up to 960 px and MediaPipe's face mesh
(in the mediapipe wheel, followed from frame to frame) gives the landmarks of the largest face.
From them: where the sticker goes (between the eyes, on the nose tip, the mouth, or standing on
top of the head), how large the face is (the width of its oval) and how the head tilts (the line
through the outer eye corners). Those are smoothed over neighbouring frames (1/4, 1/2, 1/4) and
held for a few frames when the face is lost for a moment. Each frame of the layer is the
sticker turned, scaled and placed on a transparent picture; the layer is stored as lossless
FFV1 with alpha and laid over the clip in the export's one graph, like a mask.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from studio.analysis.people import (
    analysis_size,
    made_each,
    make_each,
    mask_target,
    require_media,
    write_mask,
)
from studio.errors import AnalysisError, MediaError
from studio.io.cache import cache_dir, content_key, temporary_beside
from studio.io.files import replace_file
from studio.io.runner import Task, as_task
from studio.model.stored import BUILT_IN
from studio.model.timeline import Clip, Project, Sticker, video_clips

STICKER_SIDE = 960  # the layer's longer side
STICKER_VERSION = 2
HOLD = 5  # frames a lost face keeps its sticker
LIFT = 0.2  # a sticker on the forehead stands this many face widths above its top
SHAPES = ("glasses", "crown")
EYE_OUTER = (33, 263)  # face-mesh landmarks: the outer corners of the eyes
OVAL_SIDES = (234, 454)  # the widest points of the face oval
ANCHORS = {"eyes": (168,), "nose": (1,), "mouth": (13, 14), "forehead": (10,)}


def sticker_clips(project: Project) -> list[tuple[str, Clip]]:
    return [(clip.id, clip) for clip in video_clips(project) if clip.sticker is not None]


def sticker_layers(project: Project, fps: int, task: Task | None = None) -> dict[str, Path]:
    """The sticker layer of every clip with a sticker, by clip id (made where missing)."""
    return make_each(sticker_clips(project), sticker_layer, fps, task)


def made_sticker_layers(project: Project, fps: int) -> dict[str, Path]:
    return made_each(sticker_clips(project), _target, fps)


def sticker_layer(clip: Clip, fps: int, task: Task | None = None) -> Path:
    if clip.sticker is None:
        raise AnalysisError("the clip has no sticker")
    require_media(clip)
    target = _target(clip, fps)
    if not target.exists():
        size = analysis_size(clip, STICKER_SIDE)
        sticker = clip.sticker
        picture = _picture(sticker)

        def draw(frames: Iterator[Any]) -> Iterator[Any]:
            placed = _smoothed(_placements(frames, sticker))
            return _drawn(placed, picture, size, sticker)

        task = as_task(task)
        write_mask(clip, fps, target, draw, size, task, "placing the sticker", pixels="rgba")
    return target


def _target(clip: Clip, fps: int) -> Path:
    sticker = clip.sticker
    assert sticker is not None
    drawing = picture_path(sticker.path)
    picture = content_key(drawing, "sticker") if drawing.is_file() else sticker.path
    where = (STICKER_VERSION, picture, sticker.anchor, sticker.size)
    return mask_target(clip, fps, "sticker-layer", *where)


def picture_path(path: str) -> Path:
    """The sticker's picture file (a built-in one is drawn once, into the cache)."""
    if not path.startswith(BUILT_IN):
        return Path(path)
    name = path[len(BUILT_IN) :]
    if name not in SHAPES:
        raise MediaError(f"no built-in sticker {name!r} (there are {', '.join(SHAPES)})")
    target = cache_dir("stickers") / f"{name}-{STICKER_VERSION}.png"
    if not target.exists():
        import cv2

        picture = _draw_glasses() if name == "glasses" else _draw_crown()
        temp = temporary_beside(target, ".png")
        temp.write_bytes(cv2.imencode(".png", picture)[1].tobytes())  # no path reaches OpenCV
        replace_file(temp, target)
    return target


def _picture(sticker: Sticker) -> Any:
    """The sticker as straight-alpha BGRA (a picture without alpha is opaque)."""
    import cv2
    import numpy as np

    path = picture_path(sticker.path)
    data = np.frombuffer(path.read_bytes() if path.is_file() else b"", np.uint8)
    picture = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None  # bytes, not a path
    if picture is None:
        raise MediaError("the sticker is not a picture that can be read", str(path))
    if picture.ndim == 2:
        picture = cv2.cvtColor(picture, cv2.COLOR_GRAY2BGRA)
    elif picture.shape[2] == 3:
        picture = np.dstack([picture, np.full(picture.shape[:2], 255, np.uint8)])
    return picture


Placement = tuple[float, float, float, float]  # x, y (pixels), face width (pixels), angle (deg)


def _placements(frames: Iterator[Any], sticker: Sticker) -> Iterator[Placement | None]:
    """Where the sticker goes on each frame (None: no face)."""
    from studio.analysis.faces import _video_mesh

    mesh = _video_mesh()
    try:
        for frame in frames:
            height, width = frame.shape[:2]
            faces = mesh.process(frame).multi_face_landmarks or []
            if not faces:
                yield None
                continue
            points = [[(p.x * width, p.y * height) for p in face.landmark] for face in faces]
            yield _placement(max(points, key=_face_width), sticker)
    finally:
        mesh.close()


def _face_width(points: list[tuple[float, float]]) -> float:
    (ax, ay), (bx, by) = (points[i] for i in OVAL_SIDES)
    return float(((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5)


def _placement(points: list[tuple[float, float]], sticker: Sticker) -> Placement:
    import math

    anchor = [points[i] for i in ANCHORS[sticker.anchor]]
    x = sum(p[0] for p in anchor) / len(anchor)
    y = sum(p[1] for p in anchor) / len(anchor)
    (lx, ly), (rx, ry) = (points[i] for i in EYE_OUTER)
    angle = math.degrees(math.atan2(ry - ly, rx - lx))
    return x, y, _face_width(points), angle


def _smoothed(placements: Iterator[Placement | None]) -> Iterator[Placement | None]:
    """Each placement averaged with its neighbours (1/4, 1/2, 1/4); a face lost for up to
    HOLD frames keeps its last placement."""
    held: Placement | None = None
    lost = 0
    window: list[Placement | None] = []

    def middle() -> Placement | None:
        before, now, after = window[0], window[1], window[2]
        if now is None:
            return None
        a, c = before or now, after or now
        return tuple(0.25 * p + 0.5 * q + 0.25 * r for p, q, r in zip(a, now, c))  # type: ignore[return-value]

    for found in placements:
        if found is None and held is not None and lost < HOLD:
            found, lost = held, lost + 1
        elif found is not None:
            held, lost = found, 0
        window.append(found)
        if len(window) == 1:
            window.insert(0, found)
        if len(window) == 3:
            yield middle()
            window.pop(0)
    if window:
        window.append(window[-1])
        yield middle()


def _drawn(
    placements: Iterator[Placement | None], picture: Any, size: tuple[int, int], sticker: Sticker
) -> Iterator[Any]:
    """Transparent RGBA frames with the sticker turned, scaled and placed: centred on its
    anchor, or standing on the head (its bottom edge's middle above the forehead)."""
    import math

    import cv2
    import numpy as np

    width, height = size
    tall, wide = picture.shape[:2]
    rgba = cv2.cvtColor(picture, cv2.COLOR_BGRA2RGBA)
    pivot = (wide / 2, tall if sticker.anchor == "forehead" else tall / 2)
    for placement in placements:
        if placement is None:
            yield np.zeros((height, width, 4), np.uint8)
            continue
        x, y, face, angle = placement
        if sticker.anchor == "forehead":  # on top of the head, not over the hairline
            tilt = math.radians(angle)
            x, y = x + LIFT * face * math.sin(tilt), y - LIFT * face * math.cos(tilt)
        turn: Any = cv2.getRotationMatrix2D(pivot, -angle, face * sticker.size / wide)
        turn[:, 2] += (x - pivot[0], y - pivot[1])
        yield cv2.warpAffine(
            rgba, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0, 0)
        )


def _draw_glasses() -> Any:
    """Dark sunglasses with a shine, 600x200, on transparency (straight alpha, BGRA)."""
    import cv2
    import numpy as np

    picture = np.zeros((200, 600, 4), np.uint8)
    frame = (20, 20, 20, 255)
    for centre in ((160, 100), (440, 100)):
        cv2.ellipse(picture, centre, (125, 80), 0, 0, 360, frame, -1, cv2.LINE_AA)
        cv2.ellipse(picture, centre, (110, 66), 0, 0, 360, (40, 30, 25, 235), -1, cv2.LINE_AA)
        shine = (centre[0] - 45, centre[1] - 30)
        cv2.ellipse(picture, shine, (40, 14), -25, 0, 360, (235, 235, 235, 170), -1, cv2.LINE_AA)
    cv2.rectangle(picture, (270, 80), (330, 100), frame, -1, cv2.LINE_AA)
    return picture


def _draw_crown() -> Any:
    """A gold crown with three points and jewels, 600x360, on transparency (BGRA)."""
    import cv2
    import numpy as np

    picture = np.zeros((360, 600, 4), np.uint8)
    gold, edge = (40, 190, 250, 255), (20, 120, 180, 255)
    outline = np.array(
        [(40, 350), (20, 90), (160, 210), (300, 20), (440, 210), (580, 90), (560, 350)], np.int32
    )
    cv2.fillPoly(picture, [outline], gold, cv2.LINE_AA)
    cv2.polylines(picture, [outline], True, edge, 8, cv2.LINE_AA)
    cv2.rectangle(picture, (40, 290), (560, 350), edge, -1, cv2.LINE_AA)
    for x, colour in (
        (150, (60, 40, 220, 255)),
        (300, (220, 90, 40, 255)),
        (450, (60, 40, 220, 255)),
    ):
        cv2.circle(picture, (x, 320), 20, colour, -1, cv2.LINE_AA)
    for x, y in ((20, 90), (300, 20), (580, 90)):
        cv2.circle(picture, (x, y), 18, gold, -1, cv2.LINE_AA)
    return picture
