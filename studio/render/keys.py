"""Keyframes as an ffmpeg expression: the value of a `Keys` (studio.model.keys) at a time that
the filter evaluating it knows (`t` in overlay, scale, rotate, aevalsrc; `T` in geq), so a
keyframed position, scale, opacity or volume changes inside the one graph, frame by frame,
exactly as `Keys.at` says. Pure and golden-tested, like the rest of the graph.
"""

from __future__ import annotations

from fractions import Fraction

from studio.model.keys import Ease, Keys


def expression(keys: Keys, still: float, clock: str = "t", start: Fraction = Fraction(0)) -> str:
    """The value of `keys` at time `clock` - `start` (the item's start on the filter's clock);
    `still` with no keys. Piecewise: one if() per key, ending on the last key's value."""
    if not keys.keys:
        return _number(still)
    local = clock
    if start:
        local = f"({clock}-{_number(start)})" if start > 0 else f"({clock}+{_number(-start)})"
    found = _number(keys.keys[-1].value)
    for before, after in reversed(list(zip(keys.keys, keys.keys[1:]))):
        way = _segment(before.value, after.value, before.ease, local, before.time, after.time)
        found = f"if(lt({local},{_number(after.time)}),{way},{found})"
    first = keys.keys[0]
    return f"if(lt({local},{_number(first.time)}),{_number(first.value)},{found})"


def _segment(a: float, b: float, ease: Ease, local: str, t0: Fraction, t1: Fraction) -> str:
    """a + (b - a) * eased(part), with part the share of [t0, t1] that `local` has covered."""
    if ease == "hold" or a == b:
        return _number(a)
    part = f"(({local}-{_number(t0)})/{_number(t1 - t0)})"
    return f"({_number(a)}+{_number(b - a)}*{eased(ease, part)})"


def eased(ease: Ease, part: str) -> str:
    """How far along (0..1) a way eased by `ease` is at `part` (an expression, 0..1), as
    model.keys.eased says."""
    return {
        "linear": part,
        "in": f"pow({part},3)",
        "out": f"(1-pow(1-{part},3))",
        "in-out": f"if(lt({part},0.5),4*pow({part},3),1-pow(2-2*{part},3)/2)",
        "hold": "0",
    }[ease]


def _number(value: float | Fraction) -> str:
    """A number as ffmpeg's expressions read it: plain decimals, enough digits for a frame."""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"
