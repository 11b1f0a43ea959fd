"""What one render needs to know, computed once: output geometry, every clip's slot in frames
and samples, the stills it overlays and where they are stored.

Export builds one plan and hands it to the loudness pass, the render (or each chunk of a long
render) and the final mux, so nothing is recomputed stage by stage. Pure: the image folder is
chosen by the caller.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.model.timeline import Captions, Project, TextOverlay, cut_frames
from studio.render.audio import AUDIO_RATE
from studio.render.images import Image, text_image

Stream = Any  # an ffmpeg-python stream node


@dataclass(frozen=True)
class Frame:
    """Output geometry: canvas size and rate."""

    width: int
    height: int
    fps: int


@dataclass(frozen=True)
class Slot:
    """Where a clip sits in the output, in frames and audio samples."""

    frames: int
    samples: int

    @property
    def seconds(self) -> float:
        return self.samples / AUDIO_RATE


@dataclass(frozen=True)
class Plan:
    frame: Frame
    slots: tuple[Slot, ...]
    texts: tuple[tuple[TextOverlay, Image], ...]  # each text line and its picture
    stills: tuple[Image, ...]  # other overlaid pictures (picture-in-picture mask and frame)
    image_dir: Path
    masks: dict[str, Path] = field(default_factory=dict)  # clip id: its person-mask video
    captions: Captions | None = None  # the burned-in captions (None when none are spoken)

    @property
    def frames(self) -> int:
        return sum(slot.frames for slot in self.slots)

    @property
    def samples(self) -> int:
        return sum(slot.samples for slot in self.slots)

    @property
    def duration(self) -> float:
        return self.frames / self.frame.fps

    @property
    def images(self) -> list[Image]:
        return [image for _, image in self.texts] + list(self.stills)

    def path(self, image: Image) -> Path:
        return self.image_dir / image.name


def slots(project: Project, fps: int) -> tuple[Slot, ...]:
    """Exact frame and sample counts of every clip at rate `fps`."""
    per_frame = Fraction(AUDIO_RATE, fps)
    bounds = cut_frames(project.main.clips, fps)
    return tuple(Slot(b - a, int((b - a) * per_frame)) for a, b in itertools.pairwise(bounds))


def make_plan(
    project: Project, frame: Frame, image_dir: Path, masks: dict[str, Path] | None = None
) -> Plan:
    from studio.render.layers import layer_images

    texts = tuple((text, text_image(text.text, frame.width)) for text in project.texts)
    stills = layer_images(project, frame.width)
    captions = project.captions if project.captions and project.captions.shown else None
    return Plan(frame, slots(project, frame.fps), texts, stills, image_dir, masks or {}, captions)
