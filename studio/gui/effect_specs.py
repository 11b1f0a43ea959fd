"""What the inspector shows of each kind of effect, read from the registry (model/effects.py):
the fields of its class, each with the form it is edited in (a number, a choice, a colour, a
file, a picture, read-only options), its label and its range or choices from the limits table.
So a new effect kind gets its panel from its class and limits entries, with no new widget code.

No Qt here: the panel (effect_fields.py) builds widgets from these specs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from studio.model.effects import ARTISTIC, REGISTRY, Effect, EffectKind, kind_of
from studio.model.limits import CHOICES, LIMITS

# The limits table's key for a field is "<prefix>.<field>"; these kinds use another prefix
# than their registry name, and one field another name.
PREFIX = {"frame": "frame_effect", "face-blur": "faces"}
KEY_OF = {("beauty", "amount"): "clip.beauty"}
NAMES = {("frame", "name"): ARTISTIC}  # choices not in the limits table
LABELS = {"color": "Colour", "path": "File", "name": "Effect", "options": "Options"}
# A field that matters only for some values of another: (kind, field) -> (field, values)
SHOWN_WHEN = {
    ("background", "strength"): ("kind", ("blur",)),
    ("background", "color"): ("kind", ("color",)),
    ("background", "path"): ("kind", ("image", "video")),
}
Form = Literal["number", "choice", "colour", "file", "picture", "options"]


@dataclass(frozen=True)
class FieldSpec:
    """One field of an effect's class as the inspector edits it."""

    name: str
    form: Form
    label: str
    key: str = ""  # its entry in the limits table, "" when it has none
    choices: tuple[str, ...] = ()
    built_in: str = ""  # a picture's prefix for the pictures studio draws itself
    required: bool = False  # the class has no default for it


@cache
def specs_of(kind: EffectKind) -> tuple[FieldSpec, ...]:
    """The fields of `kind`'s class, in their declared order."""
    hints = get_type_hints(kind.model)
    fields = dataclasses.fields(kind.model)
    return tuple(_spec(kind.name, field, hints[field.name]) for field in fields)


def _spec(kind: str, field: dataclasses.Field[Any], hint: Any) -> FieldSpec:
    key = KEY_OF.get((kind, field.name), f"{PREFIX.get(kind, kind)}.{field.name}")
    key = key if key in LIMITS or key in CHOICES else ""
    label = _label(key, field.name)
    required = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    meta = field.metadata
    if meta.get("options"):
        return FieldSpec(field.name, "options", label, key)
    if meta.get("colour"):
        return FieldSpec(field.name, "colour", label, key, required=required)
    if meta.get("built_in"):
        names = _built_in_pictures()
        prefix = str(meta["built_in"])
        return FieldSpec(field.name, "picture", "Picture", key, names, prefix, required)
    if meta.get("file"):
        return FieldSpec(field.name, "file", label, key, required=required)
    if hint in (float, int):
        return FieldSpec(field.name, "number", label, key, required=required)
    choices = _choices(kind, field.name, key, hint)
    return FieldSpec(field.name, "choice", label, key, choices, required=required)


def _label(key: str, name: str) -> str:
    if key in LIMITS:
        return LIMITS[key].label
    if key in CHOICES:
        return CHOICES[key].label
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _choices(kind: str, name: str, key: str, hint: Any) -> tuple[str, ...]:
    if key in CHOICES:
        return tuple(str(value) for value in CHOICES[key].values)
    if get_origin(hint) is Literal:
        return tuple(str(value) for value in get_args(hint))
    return tuple(NAMES.get((kind, name), ()))


def _built_in_pictures() -> tuple[str, ...]:
    from studio.app import sticker_names

    return tuple(sticker_names())


def new_effect(kind: EffectKind, choice: str = "") -> Effect:
    """A new effect of `kind` at its class's defaults; a field it needs takes `choice` (or its
    first choice): a look's name, a frame effect's, a sticker's picture."""
    values: dict[str, Any] = {}
    for spec in specs_of(kind):
        if spec.required:
            picked = choice or spec.choices[0]
            values[spec.name] = spec.built_in + picked if spec.form == "picture" else picked
    effect: Effect = kind.model(**values)
    return effect


def shown(effect: Effect, name: str) -> bool:
    """Whether field `name` matters for `effect` (a background's blur only when it blurs)."""
    when = SHOWN_WHEN.get((kind_of(effect).name, name))
    return when is None or getattr(effect, when[0]) in when[1]


def summary(effect: Effect) -> str:
    """An effect in a line for the list: "Look · warm 80%", "Background · blur 60%"."""
    kind = kind_of(effect)
    words: list[str] = []
    number = ""
    for spec in specs_of(kind):
        value = getattr(effect, spec.name)
        if not shown(effect, spec.name) or spec.form == "options" or value in ("", None):
            continue
        if spec.form == "number":
            number = number or _number(spec, float(value))
        else:
            words.append(_text(spec, str(value)))
    return " · ".join([kind.label, " ".join([*words, number]).strip()]).strip(" ·")


def _number(spec: FieldSpec, value: float) -> str:
    limit = LIMITS.get(spec.key)
    if limit is not None and (limit.low, limit.high) == (0, 1):
        return f"{value:.0%}"
    return f"{value:g}x"


def _text(spec: FieldSpec, value: str) -> str:
    if spec.built_in and value.startswith(spec.built_in):
        return value[len(spec.built_in) :]
    if spec.form in ("file", "picture"):
        return Path(value.replace("\\", "/")).name
    return value


def kinds() -> tuple[EffectKind, ...]:
    """Every registered kind, in the registry's order."""
    return tuple(REGISTRY.values())
