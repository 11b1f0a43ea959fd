"""Auto-reframe: find the subject in every frame of a clip and a crop path that follows it
(the AutoFlip approach), stored in the project as editable focus keys.

Analysis (once per clip range, cached): the clip is decoded small through the export's clip
chain and each frame gives four signals, kept as plain numbers: faces (MediaPipe's full-range
detector), where the person is (selfie segmentation), what moves (the difference from the
previous frame) and what stands out (spectral-residual saliency), the last three as mass
profiles across and down the frame. Faces and the person are looked for on every second frame
(a frame between takes the finds of the one before).
A colour-histogram distance to the previous frame marks shot cuts, and the brightest value of
each column and row over the clip finds black bars.

Path (cheap, per canvas shape): per frame, the crop-wide window that holds the most of each
signal gives a target; faces count most, then the person; motion (a small figure the person
finder misses, with the camera still) counts where neither was found, and saliency where
nothing else was. Per shot, a target that barely moves gives a steady crop (at its
median, snapped to the middle when close); otherwise the path is median-filtered, smoothed and
run through a camera operator with a velocity cap and an acceleration limit (forwards and
backwards, averaged, so it neither lags nor leads). The crop never leaves the picture's content.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from studio.analysis.models import face_detector, person_segmenter
from studio.analysis.people import analysis_size, clip_frames, mask_frames, require_media
from studio.io.cache import cache_dir, content_key, temporary_beside
from studio.io.files import replace_file
from studio.io.runner import Task, as_task
from studio.model.timeline import Canvas, Clip, FocusKey, Project

REFRAME_SIDE = 320  # the longer side of the analysis frames
REFRAME_VERSION = 1  # bump when the analysis changes: old cached signals are then not used
BINS = 32  # profile bins across and down the frame
STRIDE = 2  # faces and the person are looked for on every STRIDE-th frame
MAX_FACES = 4
CUT = 0.35  # histogram distance (Bhattacharyya) that marks a cut...
CUT_OVER = 3.0  # ...when also this many times the usual change around it
WEIGHTS = {"faces": 1.0, "person": 0.6, "motion": 0.3, "saliency": 0.1}
STEADY = 0.25  # a shot whose target spreads less than this many crop widths keeps still
SNAP = 0.08  # a steady crop this close to the middle (of the frame) snaps to it
SPEED = 1.0  # the crop moves at most this many crop widths per second...
ACCELERATION = 2.0  # ...and changes speed by at most this many crop widths per second squared
SMOOTH = 0.4  # seconds: the Gaussian over the target path
TOLERANCE = 0.005  # keys: the path between them strays at most this many crop widths
DARK = 24  # a column or row never brighter than this (0..255) is a black bar


@dataclass(frozen=True)
class Signals:
    """What the analysis found, per output frame of the clip (numpy arrays)."""

    faces: Any  # (frames, MAX_FACES, 5): x, y, w, h, score relative to the frame; NaN if none
    person: Any  # (frames, 2, BINS): person mass across (0) and down (1)
    motion: Any  # (frames, 2, BINS): change from the previous frame
    saliency: Any  # (frames, 2, BINS): spectral-residual saliency
    change: Any  # (frames,): histogram distance to the previous frame
    brightest: Any  # (2, BINS): the brightest each column / row gets over the clip

    @property
    def frames(self) -> int:
        return len(self.change)


@dataclass(frozen=True)
class FollowPath:
    """The crop's centre per output frame (0..1 along the axis that has room), shot starts,
    and each shot's camera ("steady" or "track")."""

    centres: Any
    shots: tuple[int, ...]
    cameras: tuple[str, ...]
    width: float  # the crop's size along that axis, relative to the frame
    axis: int  # 0: across (a wide clip on a tall canvas), 1: down


def follow_keys(clip: Clip, canvas: Canvas, task: Task | None = None) -> tuple[FocusKey, ...]:
    """The focus keys of a crop that follows the subject of `clip` on `canvas` (analysed now
    if not cached)."""
    signals = subject_signals(clip, canvas.fps, task)
    return path_keys(follow_path(signals, clip, canvas), clip, canvas.fps)


def made_follow_keys(clip: Clip, canvas: Canvas) -> tuple[FocusKey, ...] | None:
    """The same keys when the analysis is cached already, else None (never analyses). Keys
    found are remembered for the process: every preview frame of a clip still waiting for its
    keys asks again, and the path costs a pass over all the clip's frames."""
    remembered = _MADE.get((clip, canvas))
    if remembered is not None:
        return remembered
    if not Path(clip.media.path).is_file():
        return None
    target = _target(clip, canvas.fps)
    if not target.exists():
        return None
    keys = path_keys(follow_path(_load(target), clip, canvas), clip, canvas.fps)
    if len(_MADE) >= 64:
        _MADE.clear()
    _MADE[(clip, canvas)] = keys
    return keys


_MADE: dict[tuple[Clip, Canvas], tuple[FocusKey, ...]] = {}


def crop_width(clip: Clip, canvas: Canvas) -> tuple[int, float]:
    """(axis, size): the axis along which the crop has room to move (0 across, 1 down) and
    the crop's size along it, relative to the picture (1: no room)."""
    source = clip.media.width / max(clip.media.height, 1)
    target = canvas.width / canvas.height
    if source >= target:
        return 0, target / source
    return 1, source / target


def subject_signals(clip: Clip, fps: int, task: Task | None = None) -> Signals:
    """The clip's signals at `fps` (analysed now if not cached)."""
    require_media(clip)
    target = _target(clip, fps)
    if not target.exists():
        signals = _analyse(clip, fps, as_task(task))
        _save(signals, target)
        return signals
    return _load(target)


def _target(clip: Clip, fps: int) -> Path:
    where = (str(clip.source_in), str(clip.source_out), clip.pace, fps)
    key = content_key(clip.media.path, "reframe", REFRAME_VERSION, *where)
    return cache_dir("reframe") / f"{key}.npz"


def _save(signals: Signals, target: Path) -> None:
    import numpy as np

    temp = temporary_beside(target, ".npz")
    try:
        with open(temp, "wb") as file:
            np.savez_compressed(file, **signals.__dict__)
        replace_file(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def _load(target: Path) -> Signals:
    import numpy as np

    with np.load(target) as stored:
        return Signals(**{name: stored[name] for name in Signals.__dataclass_fields__})


# --- analysis ------------------------------------------------------------------------------


def _analyse(clip: Clip, fps: int, task: Task) -> Signals:
    import numpy as np

    size = analysis_size(clip, REFRAME_SIDE)
    total = mask_frames(clip, fps)
    faces = np.full((total, MAX_FACES, 5), np.nan, np.float32)
    person = np.full((total, 2, BINS), np.nan, np.float32)
    motion = np.zeros((total, 2, BINS), np.float32)
    saliency = np.zeros((total, 2, BINS), np.float32)
    change = np.zeros(total, np.float32)
    brightest = np.zeros((2, BINS), np.float32)
    finders = _Finders()
    try:
        with clip_frames(clip, fps, size) as frames:
            previous: tuple[Any, Any] | None = None
            for index, rgb in enumerate(frames):
                task.check()
                grey, histogram = _small_grey(rgb), _histogram(rgb)
                if previous is not None:
                    change[index] = _distance(previous[1], histogram)
                    motion[index] = _profiles(_difference(previous[0], grey))
                saliency[index] = _profiles(finders.saliency(grey))
                brightest = np.maximum(brightest, _profiles(grey, np.max))
                if index % STRIDE == 0:
                    faces[index] = finders.faces(rgb)
                    person[index] = _profiles(finders.person(rgb))
                else:
                    faces[index], person[index] = faces[index - 1], person[index - 1]
                previous = (grey, histogram)
                if index % 15 == 0:
                    task.report(index / total, "finding the subject")
    finally:
        finders.close()
    return Signals(faces, person, motion, saliency, change, brightest)


class _Finders:
    """MediaPipe's full-range face detector and landscape person segmenter, and OpenCV's
    spectral-residual saliency, opened once per analysis."""

    def __init__(self) -> None:
        import cv2

        self.detector = face_detector(model=1)
        self.segmenter = person_segmenter(model=1)
        self.salient = cv2.saliency.StaticSaliencySpectralResidual_create()  # type: ignore[attr-defined]

    def faces(self, rgb: Any) -> Any:
        import numpy as np

        found = np.full((MAX_FACES, 5), np.nan, np.float32)
        detections = self.detector.process(rgb).detections or []
        for row, detection in enumerate(detections[:MAX_FACES]):
            box = detection.location_data.relative_bounding_box
            found[row] = (box.xmin, box.ymin, box.width, box.height, detection.score[0])
        return found

    def person(self, rgb: Any) -> Any:
        return self.segmenter.process(rgb).segmentation_mask

    def saliency(self, grey: Any) -> Any:
        ok, found = self.salient.computeSaliency(grey)
        return found if ok else grey * 0.0

    def close(self) -> None:
        self.detector.close()
        self.segmenter.close()


def _small_grey(rgb: Any) -> Any:
    import cv2

    height, width = rgb.shape[:2]
    scale = 128 / max(width, height)
    small = cv2.resize(rgb, (max(2, round(width * scale)), max(2, round(height * scale))))
    return cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)


def _histogram(rgb: Any) -> Any:
    import cv2

    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    found = cv2.calcHist([hsv], [0, 1, 2], None, [8, 4, 4], [0, 180, 0, 256, 0, 256])
    return cv2.normalize(found, found).flatten()


def _distance(before: Any, now: Any) -> float:
    import cv2

    return float(cv2.compareHist(before, now, cv2.HISTCMP_BHATTACHARYYA))


def _difference(before: Any, now: Any) -> Any:
    import cv2
    import numpy as np

    moved = cv2.absdiff(before, now).astype(np.float32)
    moved = np.where(moved > 12, moved, 0)  # sensor noise and compression shimmer are not motion
    return cv2.GaussianBlur(moved, (0, 0), 2)


def _profiles(picture: Any, reduce: Any = None) -> Any:
    """The picture's mean value down each column and along each row, in BINS bins each."""
    import cv2
    import numpy as np

    values = np.asarray(picture, np.float32)
    if reduce is None:
        across, down = values.mean(axis=0), values.mean(axis=1)
    else:
        across, down = reduce(values, axis=0), reduce(values, axis=1)
    resize = cv2.INTER_AREA
    across = cv2.resize(across.reshape(1, -1), (BINS, 1), interpolation=resize).ravel()
    down = cv2.resize(down.reshape(1, -1), (BINS, 1), interpolation=resize).ravel()
    return np.stack([across, down])


# --- path ----------------------------------------------------------------------------------


def follow_path(signals: Signals, clip: Clip, canvas: Canvas) -> FollowPath:
    """The crop's path over the clip's frames on `canvas`."""
    import numpy as np

    axis, width = crop_width(clip, canvas)
    targets = np.array([_target_at(signals, index, axis, width) for index in range(signals.frames)])
    low, high = _content(signals.brightest[axis], width)
    shots = shot_starts(signals.change)
    centres = np.empty(signals.frames)
    cameras = []
    for start, end in zip(shots, (*shots[1:], signals.frames)):
        camera, path = _shot_path(targets[start:end], width, canvas.fps, (low, high))
        centres[start:end] = path
        cameras.append(camera)
    return FollowPath(centres, shots, tuple(cameras), width, axis)


def shot_starts(change: Any) -> tuple[int, ...]:
    """Frames where a shot starts (0 first): a histogram jump well above the usual change."""
    import numpy as np

    starts = [0]
    for index in range(1, len(change)):
        around = np.concatenate([change[max(1, index - 7) : index], change[index + 1 : index + 8]])
        usual = float(np.median(around)) if len(around) else 0.0
        if change[index] > CUT and change[index] > CUT_OVER * usual and index - starts[-1] > 3:
            starts.append(index)
    return tuple(starts)


def _target_at(signals: Signals, index: int, axis: int, width: float) -> float:
    """Where the crop's centre should be on this frame (NaN where nothing was found)."""
    import numpy as np

    found: list[tuple[float, float]] = []
    face = _face_centre(signals.faces[index], axis, width)
    if face is not None:
        found.append((face, WEIGHTS["faces"]))
    person = signals.person[index, axis]
    if not np.isnan(person).any() and person.mean() > 0.01:  # 1% of the frame is a person
        found.append((_densest(person, width), WEIGHTS["person"]))
    moved = signals.motion[index, axis]
    if not found and _concentrated(moved, width):
        found.append((_densest(moved, width), WEIGHTS["motion"]))
    if not found:
        salient = signals.saliency[index, axis]
        if salient.sum() > 0:
            found.append((_densest(salient, width), WEIGHTS["saliency"]))
    if not found:
        return float("nan")
    total = sum(weight for _, weight in found)
    return sum(centre * weight for centre, weight in found) / total


def _face_centre(faces: Any, axis: int, width: float) -> float | None:
    """The middle of the largest face and the faces near it (all of them in one crop when
    they fit), weighted by their size."""
    import numpy as np

    seen = faces[~np.isnan(faces[:, 4])]
    if not len(seen):
        return None
    centres = seen[:, axis] + seen[:, axis + 2] / 2
    areas = seen[:, 2] * seen[:, 3]
    largest = centres[int(np.argmax(areas))]
    near = np.abs(centres - largest) <= width / 2
    return float(np.average(centres[near], weights=areas[near]))


def _densest(profile: Any, width: float) -> float:
    """The centre (0..1) of the crop-wide window holding the most of the profile's mass,
    refined to the mass's own middle inside it."""
    import numpy as np

    bins = len(profile)
    span = max(1, min(bins, round(width * bins)))
    sums = np.convolve(profile, np.ones(span), mode="valid")
    start = int(np.argmax(sums))
    window = profile[start : start + span]
    if window.sum() <= 0:
        return (start + span / 2) / bins
    middle = np.average(np.arange(start, start + span) + 0.5, weights=window)
    return float(middle / bins)


def _concentrated(profile: Any, width: float) -> bool:
    """Motion counts where it is in one place (a moving subject), not everywhere (the camera
    moved) or nowhere."""
    import numpy as np

    total = float(profile.sum())
    if total <= 0:
        return False
    span = max(1, round(width * len(profile)))
    best = float(np.convolve(profile, np.ones(span), mode="valid").max())
    return best / total > min(0.9, 1.6 * width)


def _content(brightest: Any, width: float) -> tuple[float, float]:
    """The range (0..1) the crop's centre may take: inside the picture's content, the black
    bars left out (the whole frame when what is left is narrower than the crop)."""
    import numpy as np

    lit = np.nonzero(brightest > DARK)[0]
    low, high = (lit[0] / len(brightest), (lit[-1] + 1) / len(brightest)) if len(lit) else (0, 1)
    if high - low < width:
        low, high = 0.0, 1.0
    return low + width / 2, high - width / 2


def _shot_path(
    targets: Any, width: float, fps: int, limits: tuple[float, float]
) -> tuple[str, Any]:
    import numpy as np

    low, high = limits
    if low > high:  # no room: the crop is the whole frame
        return "steady", np.full(len(targets), 0.5)
    known = ~np.isnan(targets)
    if not known.any():
        return "steady", np.full(len(targets), np.clip(0.5, low, high))
    filled = np.interp(np.arange(len(targets)), np.nonzero(known)[0], targets[known])
    spread = np.percentile(filled, 90) - np.percentile(filled, 10)
    if spread < STEADY * width:
        middle = float(np.median(filled))
        if abs(middle - 0.5) < SNAP:
            middle = 0.5
        return "steady", np.full(len(targets), np.clip(middle, low, high))
    smooth = _gaussian(_median(filled, max(1, fps // 2)), SMOOTH * fps)
    speed, acceleration = SPEED * width / fps, ACCELERATION * width / fps**2
    forward = _operator(smooth, speed, acceleration)
    backward = _operator(smooth[::-1], speed, acceleration)[::-1]
    return "track", np.clip((forward + backward) / 2, low, high)


def _median(values: Any, window: int) -> Any:
    import numpy as np

    half = window // 2
    padded = np.pad(values, half, mode="edge")
    return np.array([np.median(padded[i : i + 2 * half + 1]) for i in range(len(values))])


def _gaussian(values: Any, sigma: float) -> Any:
    import numpy as np

    half = max(1, round(3 * sigma))
    kernel = np.exp(-0.5 * (np.arange(-half, half + 1) / max(sigma, 1e-6)) ** 2)
    kernel /= kernel.sum()
    return np.convolve(np.pad(values, half, mode="edge"), kernel, mode="valid")


def _operator(targets: Any, speed: float, acceleration: float) -> Any:
    """A camera operator following `targets`: it speeds up and brakes at most `acceleration`
    per frame, never faster than `speed` per frame, and brakes in time to stop on the target."""
    import numpy as np

    path = np.empty(len(targets))
    where, moving = float(targets[0]), 0.0
    for index, target in enumerate(targets):
        gap = float(target) - where
        wanted = np.sign(gap) * min(speed, (2 * acceleration * abs(gap)) ** 0.5)
        moving = min(max(wanted, moving - acceleration), moving + acceleration)
        where += moving
        path[index] = where
    return path


# --- keys ----------------------------------------------------------------------------------


def path_keys(path: FollowPath, clip: Clip, fps: int) -> tuple[FocusKey, ...]:
    """The path as focus keys at file times (ms), few enough to edit: per shot, the frames
    the path bends at (within TOLERANCE crop widths), plus each shot's first and last frame,
    so a cut is a jump from one frame to the next."""
    import numpy as np

    room = 1 - path.width
    if room <= 0:
        return (FocusKey(clip.source_in, 0.5),)
    focus = np.clip((path.centres - path.width / 2) / room, 0, 1)
    tolerance = TOLERANCE * path.width / room
    wanted: set[int] = set()
    length = min(len(focus), _frames_of(clip, fps))
    for start, end in zip(path.shots, (*path.shots[1:], len(focus))):
        end = min(end, length)
        if start < end:
            wanted |= {start + i for i in _bends(focus[start:end], tolerance)}
    keys = {}
    for index in sorted(wanted):
        time = _file_time(clip, index, fps)
        keys[time] = FocusKey(time, round(float(focus[index]), 4))
    return tuple(keys[time] for time in sorted(keys))


def _frames_of(clip: Clip, fps: int) -> int:
    from studio.model.time import nearest_frame

    return max(1, nearest_frame(clip.duration, fps))


def _file_time(clip: Clip, index: int, fps: int) -> Any:
    from fractions import Fraction

    return Fraction(round(clip.source_at(Fraction(index, fps)) * 1000), 1000)


def _bends(values: Any, tolerance: float) -> list[int]:
    """Indexes of the points a polyline through `values` needs (Ramer-Douglas-Peucker)."""
    import numpy as np

    keep = {0, len(values) - 1}
    spans = [(0, len(values) - 1)]
    while spans:
        first, last = spans.pop()
        if last - first < 2:
            continue
        inside = np.arange(first + 1, last)
        line = values[first] + (values[last] - values[first]) * (inside - first) / (last - first)
        off = np.abs(values[inside] - line)
        worst = int(np.argmax(off))
        if off[worst] > tolerance:
            middle = int(inside[worst])
            keep.add(middle)
            spans += [(first, middle), (middle, last)]
    return sorted(keep)


def describe(path: FollowPath, fps: int) -> str:
    """One line about the path, for the command line: shots and how each was filmed."""
    cuts = ", ".join(f"{start / fps:.2f} s" for start in path.shots[1:]) or "none"
    cameras = ", ".join(path.cameras)
    return f"{len(path.shots)} shot(s) (cuts at {cuts}): {cameras}"


# --- projects ------------------------------------------------------------------------------


def followed(project: Project, task: Task | None = None) -> Project:
    """The project with focus keys for every follow clip that has none (analysed where not
    cached): what an export or a command that makes a project does."""
    task = as_task(task)
    waiting = _unfollowed(project)
    keys = {
        index: follow_keys(
            clip, project.canvas, task.part(i / len(waiting), (i + 1) / len(waiting))
        )
        for i, (index, clip) in enumerate(waiting)
    }
    return _with_keys(project, keys)


def made_followed(project: Project) -> Project:
    """The same with only the analyses made already (the preview never waits for one)."""
    keys = {}
    for index, clip in _unfollowed(project):
        found = made_follow_keys(clip, project.canvas)
        if found is not None:
            keys[index] = found
    return _with_keys(project, keys)


def _unfollowed(project: Project) -> list[tuple[int, Clip]]:
    clips = project.main.clips
    return [(i, c) for i, c in enumerate(clips) if c.fit.mode == "follow" and not c.fit.keys]


def _with_keys(project: Project, keys: dict[int, tuple[FocusKey, ...]]) -> Project:
    if not keys:
        return project
    clips = list(project.main.clips)
    for index, found in keys.items():
        clips[index] = replace(clips[index], fit=replace(clips[index].fit, keys=found))
    return project.with_clips(tuple(clips))
