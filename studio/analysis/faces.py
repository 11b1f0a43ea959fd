"""Where the faces are in every frame of a clip, as a grey mask video for face blur.

Frames are decoded through the export's clip chain at 640 px (faces in a group shot are small),
and MediaPipe's face detectors (shipped in the mediapipe wheel) find every face: the
short-range one for faces close to the camera (its boxes are the tightest), the full-range one
for the rest (the short-range one misses faces narrower than about a fifth of the frame).
Each face becomes a filled ellipse a little larger than its box. A detector misses a face now
and then, and boxes jitter: a face found within `HOLD` frames before or after is drawn too, so
a blurred face never flashes clear for a frame (better a little too much blur than a face
shown). With `others`, the largest face of each frame (the creator's, in a selfie) is left out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from studio.analysis.models import face_detector, face_mesh
from studio.analysis.people import (
    analysis_size,
    made_each,
    make_each,
    mask_target,
    require_media,
    write_mask,
)
from studio.errors import AnalysisError
from studio.io.runner import Task, as_task
from studio.model.timeline import Clip, Project, video_clips

FACE_SIDE = 640
FACE_VERSION = 3
HOLD = 3  # frames a face stays masked before and after it is seen
GROW = 1.35  # the ellipse's size over the detected box
MIN_SCORE = 0.5
TILE_EVERY = 2  # frames between looks at the quarters (HOLD covers the frames between)
TILES: tuple[Box, ...] = tuple(
    (x, y, 0.6, 0.6) for y in (0.0, 0.4) for x in (0.0, 0.4)
)  # four overlapping quarters

Box = tuple[float, float, float, float]  # x, y, width, height, relative to the frame


def _blurring(project: Project) -> list[tuple[str, Clip]]:
    return [(clip.id, clip) for clip in video_clips(project) if clip.faces is not None]


def _smoothing(project: Project) -> list[tuple[str, Clip]]:
    return [(clip.id, clip) for clip in video_clips(project) if clip.beauty > 0]


def face_masks(project: Project, fps: int, task: Task | None = None) -> dict[str, Path]:
    """The face mask of every clip that blurs faces, by clip id (made where missing)."""
    return make_each(_blurring(project), face_mask, fps, task)


def made_face_masks(project: Project, fps: int) -> dict[str, Path]:
    return made_each(_blurring(project), _target, fps)


def face_mask(clip: Clip, fps: int, task: Task | None = None) -> Path:
    if clip.faces is None:
        raise AnalysisError("the clip blurs no faces")
    require_media(clip)
    target = _target(clip, fps)
    if not target.exists():
        size = analysis_size(clip, FACE_SIDE)
        others = clip.faces.which == "others"

        def draw(frames: Iterator[Any]) -> Iterator[Any]:
            return _held(_detected(frames), size, others)

        write_mask(clip, fps, target, draw, size, as_task(task), "finding faces")
    return target


def _target(clip: Clip, fps: int) -> Path:
    assert clip.faces is not None
    return mask_target(clip, fps, "face-mask", FACE_VERSION, clip.faces.which)


def detect_faces(rgb: Any) -> list[tuple[Box, float]]:
    """Faces in one RGB picture: (box relative to the picture, score), largest first."""
    (found,) = _detected(iter([rgb]))
    return found


def face_landmarks(rgb: Any) -> list[tuple[float, float]]:
    """The 478 face-mesh points (x, y relative to the picture) of the largest face, found on a
    crop around its detected box (face mesh alone misses faces that are small in the frame);
    [] when there is no face. The ground for face-tracked stickers and skin-only smoothing."""
    import numpy as np

    found = detect_faces(rgb)
    if not found:
        return []
    height, width = rgb.shape[:2]
    (x, y, w, h), _ = found[0]
    side = max(w * width, h * height) * 2.0  # the face with its hair, chin and ears
    cx, cy = (x + w / 2) * width, (y + h / 2) * height
    left, top = max(0, round(cx - side / 2)), max(0, round(cy - side / 2))
    right, bottom = min(width, round(cx + side / 2)), min(height, round(cy + side / 2))
    crop = np.ascontiguousarray(rgb[top:bottom, left:right])
    mesh = _mesh()
    try:
        result = mesh.process(crop)
    finally:
        mesh.close()
    if not result.multi_face_landmarks:
        return []
    points = result.multi_face_landmarks[0].landmark
    crop_w, crop_h = right - left, bottom - top
    return [((left + p.x * crop_w) / width, (top + p.y * crop_h) / height) for p in points]


def _mesh() -> Any:
    return face_mesh(still=True, most_faces=1, refine=True)


def _detected(frames: Iterator[Any]) -> Iterator[list[tuple[Box, float]]]:
    """Faces per frame: the detector sees the whole frame every frame and, every other frame,
    four overlapping quarters of it too (it works at 192x192, so a face that is small in the
    whole frame is four times larger in a quarter); overlapping finds are merged."""
    detector, close = _detector(1), _detector(0)
    try:
        for index, frame in enumerate(frames):
            whole = (0.0, 0.0, 1.0, 1.0)
            found = _find(close, frame, whole) + _find(detector, frame, whole)
            if index % TILE_EVERY == 0:
                for tile in TILES:
                    found += _find(detector, frame, tile)
            merged = _merged(found)
            merged.sort(key=lambda item: item[0][2] * item[0][3], reverse=True)
            yield merged
    finally:
        detector.close()
        close.close()


def _find(detector: Any, frame: Any, tile: Box) -> list[tuple[Box, float]]:
    """Faces in `tile` of the frame (x, y, w, h relative), as boxes relative to the frame."""
    import numpy as np

    height, width = frame.shape[:2]
    tx, ty, tw, th = tile
    left, top = round(tx * width), round(ty * height)
    crop = np.ascontiguousarray(
        frame[top : top + round(th * height), left : left + round(tw * width)]
    )
    found = []
    for detection in detector.process(crop).detections or []:
        box = detection.location_data.relative_bounding_box
        score = float(detection.score[0])
        if score >= MIN_SCORE:
            x, y = tx + box.xmin * tw, ty + box.ymin * th
            found.append(((x, y, box.width * tw, box.height * th), score))
    return found


def _merged(found: list[tuple[Box, float]]) -> list[tuple[Box, float]]:
    """One box per face: of boxes that overlap (IoU over 0.3), the best scored stays."""
    kept: list[tuple[Box, float]] = []
    for box, score in sorted(found, key=lambda item: -item[1]):
        if all(_iou(box, other) <= 0.3 for other, _ in kept):
            kept.append((box, score))
    return kept


def _iou(a: Box, b: Box) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    across = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    down = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    both = across * down
    return both / (aw * ah + bw * bh - both) if both else 0.0


def _held(
    detections: Iterator[list[tuple[Box, float]]], size: tuple[int, int], others: bool
) -> Iterator[Any]:
    """Masks in which each frame shows the faces seen within HOLD frames of it (streamed:
    each mask is written HOLD frames after its frame is read)."""
    recent: deque[tuple[int, list[Box]]] = deque(maxlen=2 * HOLD + 1)
    read = 0
    for found in detections:
        recent.append((read, [box for box, _ in (found[1:] if others else found)]))
        read += 1
        if read - 1 - HOLD >= 0:
            yield _draw(recent, size, read - 1 - HOLD)
    for index in range(max(0, read - HOLD), read):
        yield _draw(recent, size, index)


def _draw(recent: deque[tuple[int, list[Box]]], size: tuple[int, int], index: int) -> Any:
    import cv2
    import numpy as np

    width, height = size
    mask = np.zeros((height, width), np.uint8)
    for seen, boxes in recent:
        if abs(seen - index) > HOLD:
            continue
        for x, y, w, h in boxes:
            middle = (round((x + w / 2) * width), round((y + h / 2) * height))
            axes = (max(1, round(w * width * GROW / 2)), max(1, round(h * height * GROW / 2)))
            cv2.ellipse(mask, middle, axes, 0, 0, 360, (255,), thickness=-1)
    return mask


def _detector(model: int) -> Any:
    """0: short range (faces close to the camera, the tighter box), 1: full range."""
    return face_detector(model)


def skin_masks(project: Project, fps: int, task: Task | None = None) -> dict[str, Path]:
    """The skin mask of every clip that smooths skin, by clip id (made where missing)."""
    return make_each(_smoothing(project), skin_mask, fps, task)


def made_skin_masks(project: Project, fps: int) -> dict[str, Path]:
    return made_each(_smoothing(project), _skin_target, fps)


def skin_mask(clip: Clip, fps: int, task: Task | None = None) -> Path:
    """A mask of the skin of faces close to the camera (face oval without eyes, brows and
    lips, from the face mesh followed frame to frame), for skin-only smoothing."""
    require_media(clip)
    target = _skin_target(clip, fps)
    if not target.exists():
        size = analysis_size(clip, FACE_SIDE)

        def draw(frames: Iterator[Any]) -> Iterator[Any]:
            return _skin(frames, size)

        write_mask(clip, fps, target, draw, size, as_task(task), "finding skin")
    return target


def _skin_target(clip: Clip, fps: int) -> Path:
    return mask_target(clip, fps, "skin-mask", FACE_VERSION)


def _skin(frames: Iterator[Any], size: tuple[int, int]) -> Iterator[Any]:
    import cv2
    import numpy as np

    from studio.analysis.models import load_mediapipe

    load_mediapipe()
    from mediapipe.python.solutions import face_mesh_connections as parts

    oval = _points_of(parts.FACEMESH_FACE_OVAL)
    holes = [
        _points_of(parts.FACEMESH_LEFT_EYE | parts.FACEMESH_LEFT_EYEBROW),
        _points_of(parts.FACEMESH_RIGHT_EYE | parts.FACEMESH_RIGHT_EYEBROW),
        _points_of(parts.FACEMESH_LIPS),
    ]
    width, height = size
    mesh = _video_mesh()
    try:
        for frame in frames:
            mask = np.zeros((height, width), np.uint8)
            for face in mesh.process(frame).multi_face_landmarks or []:
                points = np.array([(p.x * width, p.y * height) for p in face.landmark], np.int32)
                cv2.fillConvexPoly(mask, cv2.convexHull(points[oval]), (255,))
                for hole in holes:
                    cv2.fillConvexPoly(mask, cv2.convexHull(points[hole]), (0,))
            yield mask
    finally:
        mesh.close()


def _points_of(edges: Any) -> list[int]:
    return sorted({point for edge in edges for point in edge})


def _video_mesh() -> Any:
    return face_mesh(still=False, most_faces=2, refine=False)
