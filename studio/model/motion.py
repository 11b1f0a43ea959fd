"""How a title comes in, goes out and moves while it shows: keys laid over its own.

Each kind is a few keys with easing on the title's transform, so the render animates it as it
animates any overlay (expressions of the frame's time; nothing drawn per frame). The motion is
relative to where the title is: a slide starts off the canvas and ends where the title stands,
a pop grows to the title's own size, a fade to its own opacity. Where the title's own keys
animate the same property, the motion's keys take their value at those moments and add to it,
and the title's keys outside the motion's time stay.

Kinds: coming in or going out, `fade`, `pop`, `zoom`, `bounce` and `slide-left`, `slide-right`,
`slide-up`, `slide-down` (in: from that side of the canvas, the top for up; out: towards it);
while showing, `shake`, `pulse` and `float`.

Some kinds change the letters themselves, which no key of a transform can: `typewriter`
(letter by letter), `words` (word by word) and `blur` (from a blur into focus) coming in or
going out, and `wave` (the letters rising and falling in turn) while showing. A title with one
of them is drawn as a short sequence of pictures (render/titles.py), still with no Python per
frame of the export; they combine with the keyed kinds and with the title's own keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from studio.model.keys import Ease, Key, Keys
from studio.model.limits import CHOICES, check_time, refuse
from studio.model.transform import Transform, within

ENTRANCES = tuple(str(kind) for kind in CHOICES["motion.enter"].values if kind)
LOOPS = tuple(str(kind) for kind in CHOICES["motion.loop"].values if kind)
DRAWN = ("typewriter", "words", "blur", "wave")  # kinds drawn as pictures, not keyed
# The movements while showing: the property, its amounts in turn, the time between them and
# the ease from one to the next (a shake 12 times a second, a pulse and a float slower).
LOOP_SHAPES: dict[str, tuple[str, tuple[float, ...], Fraction, Ease]] = {
    "shake": ("x", (0.0, 0.008, 0.0, -0.008), Fraction(1, 24), "linear"),
    "pulse": ("scale", (1.0, 1.06), Fraction(1, 2), "in-out"),
    "float": ("y", (0.0, -0.012), Fraction(1), "in-out"),
}
# (time as a part of the motion's length, amount, ease to the next) per kind and property:
# scale and opacity multiply the title's, x and y ("toward" the side) add to it.
Shape = tuple[tuple[float, float, Ease], ...]
SHAPES: dict[str, dict[str, Shape]] = {
    "fade": {"opacity": ((0, 0, "out"), (1, 1, "linear"))},
    "pop": {
        "scale": ((0, 0.2, "out"), (0.6, 1.12, "in-out"), (1, 1, "linear")),
        "opacity": ((0, 0, "linear"), (0.3, 1, "linear")),
    },
    "zoom": {
        "scale": ((0, 2.2, "out"), (1, 1, "linear")),
        "opacity": ((0, 0, "out"), (1, 1, "linear")),
    },
    "bounce": {
        "drop": ((0, 1, "in"), (0.45, 0, "out"), (0.65, 0.2, "in"), (0.8, 0, "out")),
    },
    "slide": {"away": ((0, 1, "out"), (1, 0, "linear"))},
}


@dataclass(frozen=True)
class Motion:
    """A title's entrance (`enter`, `enter_length` seconds), exit (`leave`, `leave_length`)
    and the movement while it shows (`loop`); "" for none."""

    enter: str = ""
    enter_length: Fraction = Fraction(1, 2)
    leave: str = ""
    leave_length: Fraction = Fraction(1, 2)
    loop: str = ""

    def __post_init__(self) -> None:
        for name, kinds in (("enter", ENTRANCES), ("leave", ENTRANCES), ("loop", LOOPS)):
            kind = getattr(self, name)
            if kind and kind not in kinds:
                refuse(name, f"must be one of {', '.join(kinds)} (got {kind!r})")
        for name in ("enter_length", "leave_length"):
            check_time(getattr(self, name), name)

    @property
    def still(self) -> bool:
        return not (self.enter or self.leave or self.loop)

    @property
    def drawn(self) -> bool:
        """Whether a kind of it changes the letters (drawn as a sequence of pictures)."""
        return any(kind in DRAWN for kind in (self.enter, self.leave, self.loop))


def moved(transform: Transform, motion: Motion, duration: Fraction, height: float) -> Transform:
    """`transform` with the motion's keys over its own; `height` is the title's height as a
    part of the canvas height (a slide up or down starts that far past the edge). Drawn kinds
    (DRAWN) add no keys, but still take their time at the start or end."""
    if motion.still:
        return transform
    enter = min(motion.enter_length, duration / 2) if motion.enter else Fraction(0)
    leave = min(motion.leave_length, duration - enter) if motion.leave else Fraction(0)
    moves: list[tuple[str, Fraction, float, Ease]] = []  # (property, time, amount, ease)
    if motion.enter and motion.enter not in DRAWN:
        moves += _entrance(motion.enter, transform, height, Fraction(0), enter, False)
    if motion.leave and motion.leave not in DRAWN:
        moves += _entrance(motion.leave, transform, height, duration - leave, leave, True)
    if motion.loop and motion.loop not in DRAWN:
        moves += _loop(motion.loop, enter, duration - leave)
    if not moves:
        return transform
    for name in sorted({name for name, *_ in moves}):
        transform = _laid_over(transform, name, [m[1:] for m in moves if m[0] == name])
    return transform


def _entrance(
    kind: str, transform: Transform, height: float, start: Fraction, length: Fraction, out: bool
) -> list[tuple[str, Fraction, float, Ease]]:
    """The keys of an entrance (or, `out`, the same played backwards as an exit)."""
    if kind.startswith("slide-"):
        return _slide(kind.removeprefix("slide-"), transform, height, start, length, out)
    moves = []
    for name, shape in SHAPES[kind].items():
        target = "y" if name == "drop" else name
        for part, amount, ease in _played(shape, out):
            value = -amount * (transform.y + height / 2) if name == "drop" else amount
            moves.append(
                (target, start + Fraction(part).limit_denominator(1000) * length, value, ease)
            )
    return moves


def _slide(
    side: str, transform: Transform, height: float, start: Fraction, length: Fraction, out: bool
) -> list[tuple[str, Fraction, float, Ease]]:
    """From off the canvas on `side` to where the title stands (or back there, out)."""
    width = transform.scale
    away = {
        "left": ("x", -(transform.x + width / 2)),
        "right": ("x", 1 - transform.x + width / 2),
        "up": ("y", -(transform.y + height / 2)),
        "down": ("y", 1 - transform.y + height / 2),
    }
    name, distance = away[side]
    shape = _played(SHAPES["slide"]["away"], out)
    return [
        (name, start + Fraction(part).limit_denominator(1000) * length, amount * distance, ease)
        for part, amount, ease in shape
    ]


def _played(shape: Shape, out: bool) -> Shape:
    """The shape as it is, or backwards in time (an exit), each ease mirrored."""
    if not out:
        return shape
    mirror: dict[str, Ease] = {"in": "out", "out": "in"}
    backwards = []
    for index, (part, amount, _) in enumerate(reversed(shape)):
        before = shape[len(shape) - 2 - index][2] if index < len(shape) - 1 else "linear"
        backwards.append((1 - part, amount, mirror.get(before, before)))
    return tuple(backwards)


def _loop(kind: str, start: Fraction, end: Fraction) -> list[tuple[str, Fraction, float, Ease]]:
    """The movement while the title shows, between its entrance and its exit."""
    name, amounts, step, ease = LOOP_SHAPES[kind]
    moves: list[tuple[str, Fraction, float, Ease]] = []
    time, index = start, 0
    while time <= end:
        moves.append((name, time, amounts[index % len(amounts)], ease))
        time += step
        index += 1
    return moves


def _laid_over(
    transform: Transform, name: str, moves: list[tuple[Fraction, float, Ease]]
) -> Transform:
    """The property's keys: the title's own value at each of the motion's moments, moved by
    it, and the title's own keys outside the motion's time."""
    own = transform.keys_of(name)
    times = [time for time, *_ in moves]
    first, last = min(times), max(times)
    kept = [key for key in own.keys if not first <= key.time <= last]
    keys = {key.time: key for key in kept}
    adds = name in ("x", "y")
    for time, amount, ease in moves:
        base = transform.at(name, time)
        value = base + amount if adds else base * amount
        keys[time] = Key(time, within(name, value), ease)
    return transform.with_keys(name, Keys(tuple(keys[t] for t in sorted(keys))))
