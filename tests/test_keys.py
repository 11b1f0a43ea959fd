"""Keyframes: one type for every animated value; ffmpeg evaluates the render's expression of
them to the same values as the model, frame by frame."""

from __future__ import annotations

import subprocess
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, strategies as st

from studio.errors import ProjectError
from studio.io.ffmpeg_bin import ffmpeg_exe
from studio.model.keys import Key, Keys, eased
from studio.model.timeline import Fit, FocusKey
from studio.render.keys import expression

EASES = ("linear", "in", "out", "in-out", "hold")


def test_values_between_keys_follow_their_easing() -> None:
    keys = Keys((Key(Fraction(1), 0.0, "linear"), Key(Fraction(3), 10.0)))
    assert keys.at(Fraction(0), 99) == 0.0  # before the first key: the first value
    assert keys.at(Fraction(2), 99) == 5.0
    assert keys.at(Fraction(5), 99) == 10.0  # after the last: the last value
    assert Keys().at(Fraction(2), 99) == 99  # no keys: the property's own value
    middles = {ease: eased(ease, 0.5) for ease in EASES}
    assert middles == {"linear": 0.5, "in": 0.125, "out": 0.875, "in-out": 0.5, "hold": 0.0}
    assert [eased(ease, 0.0) for ease in EASES] == [0.0] * 5
    assert [eased(ease, 1.0) for ease in EASES[:4]] == [1.0] * 4
    held = Keys((Key(Fraction(0), 1.0, "hold"), Key(Fraction(1), 2.0)))
    assert held.at(Fraction(999, 1000), 0) == 1.0 and held.at(Fraction(1), 0) == 2.0


@pytest.mark.parametrize(
    ("keys", "field"),
    [
        (lambda: Keys((Key(Fraction(2), 0.0), Key(Fraction(1), 1.0))), "keys"),
        (lambda: Keys((Key(Fraction(1), 0.0), Key(Fraction(1), 1.0))), "keys"),
        (lambda: Key(Fraction(-1), 0.0), "time"),
        (lambda: Key(Fraction(0), float("nan")), "value"),
        (lambda: Key(Fraction(0), -1e308 * 10), "value"),
        (lambda: Key(Fraction(0), 0.0, "bounce"), "ease"),  # type: ignore[arg-type]
    ],
)
def test_bad_keys_are_refused_naming_the_field(keys: object, field: str) -> None:
    with pytest.raises(ProjectError) as refused:
        keys()  # type: ignore[operator]
    assert refused.value.field == field


def test_a_key_at_the_same_time_replaces_the_old_one() -> None:
    keys = Keys((Key(Fraction(0), 1.0), Key(Fraction(2), 3.0)))
    changed = keys.with_key(Key(Fraction(2), 5.0, "in")).with_key(Key(Fraction(1), 2.0))
    assert [(k.time, k.value, k.ease) for k in changed.keys] == [
        (0, 1.0, "linear"),
        (1, 2.0, "linear"),
        (2, 5.0, "in"),
    ]
    assert [k.time for k in changed.without_key(Fraction(1)).keys] == [0, 2]


keys_strategy = st.lists(
    st.tuples(
        st.integers(0, 600),
        st.floats(-1000, 1000, allow_nan=False),
        st.sampled_from(EASES),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda key: key[0],
).map(lambda found: Keys(tuple(Key(Fraction(t, 30), v, e) for t, v, e in sorted(found))))


@given(keys_strategy, st.integers(-30, 700))
def test_a_value_never_leaves_the_range_of_its_keys(keys: Keys, frame: int) -> None:
    values = [key.value for key in keys.keys]
    value = keys.at(Fraction(frame, 30), 0.0)
    assert min(values) - 1e-9 <= value <= max(values) + 1e-9


def test_the_follow_crop_reads_its_focus_through_keyframes() -> None:
    fit = Fit("follow", keys=(FocusKey(Fraction(1), 0.2), FocusKey(Fraction(3), 0.6)))
    assert fit.focus_keys().keys == (Key(Fraction(1), 0.2), Key(Fraction(3), 0.6))
    assert fit.focus_at(Fraction(2)) == pytest.approx(0.4)


def _evaluated_by_ffmpeg(formula: str, seconds: float, rate: int = 100) -> np.ndarray:
    """ffmpeg's own evaluation of `formula` of `t`, `rate` times a second (aevalsrc)."""
    source = f"aevalsrc=exprs='{formula}':s={rate}:d={seconds}"
    argv = [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", source, "-f", "f32le", "-"]
    return np.frombuffer(subprocess.run(argv, capture_output=True, check=True).stdout, "<f4")


def test_ffmpeg_evaluates_the_render_s_expression_to_the_model_s_values() -> None:
    keys = Keys(
        tuple(
            Key(Fraction(time, 2), value, ease)
            for time, value, ease in [
                (1, 0.25, "linear"),
                (3, 0.75, "in"),
                (5, -0.5, "out"),
                (7, 1.5, "in-out"),
                (9, 1.0, "hold"),
                (10, 0.0, "linear"),
            ]
        )
    )
    start = Fraction(1, 4)  # the item starts a quarter second into the filter's clock
    values = _evaluated_by_ffmpeg(expression(keys, 0.0, start=start), 6.0)
    expected = [keys.at(Fraction(n, 100) - start, 0.0) for n in range(len(values))]
    assert len(values) == 600
    assert np.max(np.abs(values - np.array(expected, np.float32))) < 1e-4
    assert expression(Keys(), 0.8) == "0.8"  # not animated: a plain number
