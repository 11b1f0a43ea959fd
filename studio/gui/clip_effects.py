"""A clip's effect list edited by the clip's id on any track, for the inspector's list: add
(one of a kind a clip takes one of replaces it), change the one at a place, remove, move.
model/edits.py has add, remove and move for main-track clips; these address any clip through
model/arrange.py's `edit_item`, and add the change at a place a list needs (a clip may hold
several frame effects, so a class does not name one).

Which kinds a clip is offered: every kind on a clip with a picture (the analysis prepares
masks, sticker layers and per-frame pictures for the clips of every video track); none on a
sound.
"""

from __future__ import annotations

from studio.model import arrange
from studio.model.effects import REGISTRY, Effect, FrameEffect
from studio.model.limits import refuse
from studio.model.timeline import Clip, Project

NO_PICTURE = "a sound has no picture"


def clip_with_id(project: Project, item_id: str) -> Clip | None:
    """The clip with this id on any track (None for a transition, a gap or nothing)."""
    for track in project.tracks:
        for item in track.items:
            if item.id == item_id and isinstance(item, Clip):
                return item
    return None


def drawn_first(effect: Effect) -> bool:
    """Per-frame effects are drawn before the filter graph, whatever their place."""
    return isinstance(effect, FrameEffect)


def shown_order(clip: Clip) -> list[int]:
    """The places of the clip's effects in the order they are drawn: per-frame ones first."""
    places = range(len(clip.effects))
    first = [i for i in places if drawn_first(clip.effects[i])]
    return first + [i for i in places if not drawn_first(clip.effects[i])]


def offered(project: Project, item_id: str) -> dict[str, str]:
    """Each registered kind's name -> "" when the clip can take it, else why not."""
    track = next(t for t in project.tracks if any(i.id == item_id for i in t.items))
    return {name: "" if track.kind == "video" else NO_PICTURE for name in REGISTRY}


def add_effect(project: Project, item_id: str, effect: Effect) -> Project:
    return _with_effects(project, item_id, _clip(project, item_id).with_effect(effect).effects)


def put_effect(project: Project, item_id: str, index: int, effect: Effect) -> Project:
    """The effect at `index` of the clip's list replaced by `effect`."""
    effects = list(_clip(project, item_id).effects)
    effects[index] = effect
    return _with_effects(project, item_id, tuple(effects))


def remove_effect(project: Project, item_id: str, index: int) -> Project:
    effects = list(_clip(project, item_id).effects)
    del effects[index]
    return _with_effects(project, item_id, tuple(effects))


def move_effect(project: Project, item_id: str, index: int, to: int) -> Project:
    effects = list(_clip(project, item_id).effects)
    effects.insert(to, effects.pop(index))
    return _with_effects(project, item_id, tuple(effects))


def _clip(project: Project, item_id: str) -> Clip:
    clip = clip_with_id(project, item_id)
    if clip is None:
        refuse("id", f"no clip {item_id!r} in the project")
    return clip


def _with_effects(project: Project, item_id: str, effects: tuple[Effect, ...]) -> Project:
    return arrange.edit_item(project, item_id, effects=effects)
