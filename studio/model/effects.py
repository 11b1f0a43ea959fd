"""Effects: an ordered list on each clip, each entry a kind of one registry.

A kind declares, once, what the rest of studio needs to know of it: its name (in project
files and on the command line), the model class holding its parameters (checked against the
limits table as it is made), the prepared picture an analysis must make for it (a key of
model/prepared.py, "" for none), the inspector panel that shows it, and whether a clip takes
one of it or several. The project codec reads and writes every entry from its class's fields
(io/project_schema.py), the renderer finds how to draw it in render/chain.py by the same name,
and the analysis what to prepare in analysis/masks.py by its `prepares` key. So a new effect is
its class and entry here, its render function and entry there, and nothing else.

Per-frame effects (`frame`: artistic filters, moviepy effects) are drawn by Python before the
filter graph, so they come first whatever their place in the list; every other effect is drawn
in list order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

from studio.model.limits import check_choice, check_color, check_range, refuse
from studio.model.prepared import FACES, PERSON, SKIN, SLOW, STICKER
from studio.model.stored import BUILT_IN_OR_FILE, COLOUR, FILE, OPTIONS

BackgroundKind = Literal["blur", "color", "image", "video", "clear"]
FaceChoice = Literal["all", "others"]
Anchor = Literal["eyes", "forehead", "nose", "mouth"]


@dataclass(frozen=True)
class Background:
    """What shows behind the person in a clip (found by segmentation, no green screen needed):
    the clip itself blurred, a colour, or a picture or video (`path`); `feather` softens the
    person's edge."""

    kind: BackgroundKind = "blur"
    strength: float = 0.6  # blur: 0 (none) .. 1 (strongest)
    color: str = field(default="#00b140", metadata=COLOUR)
    path: str = field(default="", metadata=FILE)  # the image or video behind the person
    feather: float = 0.3  # 0 (hard edge) .. 1 (softest)

    def __post_init__(self) -> None:
        check_choice("background.kind", self.kind, "kind")
        check_range("background.strength", self.strength, "strength")
        check_range("background.feather", self.feather, "feather")
        check_color(self.color, "color")
        if self.kind in ("image", "video") and not self.path:
            refuse("path", f"a {self.kind} background needs the file to show")


@dataclass(frozen=True)
class FaceBlur:
    """Faces blurred (privacy): every face, or every face but the largest (yours, in a
    selfie), at `strength` 0 (soft) .. 1 (unrecognisable)."""

    which: FaceChoice = "all"
    strength: float = 0.8

    def __post_init__(self) -> None:
        check_choice("faces.which", self.which, "which")
        check_range("faces.strength", self.strength, "strength")


@dataclass(frozen=True)
class Sticker:
    """A picture stuck to the face (the largest one): centred on the eyes, nose or mouth, or
    standing on the forehead; `size` times the face's width; it turns as the head tilts."""

    path: str = field(metadata=BUILT_IN_OR_FILE)
    anchor: Anchor = "eyes"
    size: float = 1.0

    def __post_init__(self) -> None:
        if not self.path:
            refuse("path", "a sticker needs the picture to show")
        check_choice("sticker.anchor", self.anchor, "anchor")
        check_range("sticker.size", self.size, "size")


ARTISTIC = ("cartoon", "sketch", "oil")
MOVIEPY = "moviepy:"  # a moviepy video effect by class name: "moviepy:Painting"
Option = tuple[str, "bool | int | float | str | tuple[float, ...]"]


@dataclass(frozen=True)
class FrameEffect:
    """An effect computed frame by frame in Python, for what the graph cannot do ("slow
    render"): an artistic filter made with OpenCV (cartoon, sketch, oil) mixed in at `amount`,
    or any moviepy video effect by class name ("moviepy:Painting") with its `options`."""

    name: str
    amount: float = 1.0
    options: tuple[Option, ...] = field(default=(), metadata=OPTIONS)

    def __post_init__(self) -> None:
        if self.name not in ARTISTIC and not (
            self.name.startswith(MOVIEPY) and self.name[len(MOVIEPY) :].isidentifier()
        ):
            refuse("name", f"must be one of {', '.join(ARTISTIC)} or moviepy:EffectName")
        check_range("frame_effect.amount", self.amount, "amount")


@dataclass(frozen=True)
class Look:
    """A colour look graded over the clip (render/looks.py), at `intensity` 0 (none) .. 1."""

    name: str
    intensity: float = 0.8

    def __post_init__(self) -> None:
        check_choice("look.name", self.name, "look")
        check_range("look.intensity", self.intensity, "intensity")


@dataclass(frozen=True)
class Beauty:
    """Skin smoothing on the faces, `amount` 0 (none) .. 1."""

    amount: float = 0.5

    def __post_init__(self) -> None:
        check_range("clip.beauty", self.amount, "beauty")


Effect = Union[Background, Beauty, FaceBlur, Sticker, Look, FrameEffect]  # noqa: UP007


@dataclass(frozen=True)
class EffectKind:
    """One kind of effect, as the registry declares it."""

    name: str
    model: type
    label: str
    prepares: str = ""  # the prepared picture it is drawn from (model/prepared.py), "" none
    panel: str = ""  # the inspector panel that edits it
    single: bool = True  # a clip takes at most one (a new one replaces it)


REGISTRY: dict[str, EffectKind] = {
    kind.name: kind
    for kind in (
        EffectKind("frame", FrameEffect, "Frame effect", SLOW, "effects", single=False),
        EffectKind("background", Background, "Background", PERSON, "background"),
        EffectKind("beauty", Beauty, "Skin smoothing", SKIN, "face"),
        EffectKind("face-blur", FaceBlur, "Face blur", FACES, "face"),
        EffectKind("sticker", Sticker, "Face sticker", STICKER, "face"),
        EffectKind("look", Look, "Look", "", "look"),
    )
}


def kind_of(effect: Effect) -> EffectKind:
    """The registry entry of an effect (by its class)."""
    for kind in REGISTRY.values():
        if type(effect) is kind.model:
            return kind
    refuse("effects", f"{type(effect).__name__} is not an effect")


def named(effect: Effect) -> str:
    """An effect in a few characters, as `studio tracks` lists it: background:blur, look:warm,
    face-blur:all, beauty:0.5, sticker:NAME, or the frame effect's name."""
    if isinstance(effect, Background):
        return f"background:{effect.kind}"
    if isinstance(effect, Look):
        return f"look:{effect.name}"
    if isinstance(effect, FaceBlur):
        return f"face-blur:{effect.which}"
    if isinstance(effect, Beauty):
        return f"beauty:{effect.amount:g}"
    if isinstance(effect, Sticker):
        return "sticker:" + effect.path.replace("\\", "/").rsplit("/", 1)[-1]
    return effect.name
