"""Tests of symequiv.numeric.balls: scoped precision, and balls that enclose the exact values."""

import flint
import mpmath
import pytest
import sympy

from symequiv.errors import InvalidArgument, InvalidType
from symequiv.numeric.backends import ARB
from symequiv.numeric.balls import arb_value, ball_excludes_zero, ball_power, mpf_of, radius_of, working_precision

R = sympy.Rational


def test_working_precision_is_scoped():
    before_mp, before_flint = mpmath.mp.dps, flint.ctx.prec
    with working_precision(80):
        assert mpmath.mp.dps == 80 and flint.ctx.prec > 80 * 3.3
    assert (mpmath.mp.dps, flint.ctx.prec) == (before_mp, before_flint)
    with pytest.raises(InvalidArgument, match="dps=3"):
        with working_precision(3):
            pass
    with pytest.raises(InvalidType):
        with working_precision(50.0):
            pass


EXPRESSIONS = [
    sympy.sqrt(2) - R(7, 5),
    sympy.erf(R(1, 3)) * sympy.pi,
    sympy.cos(sympy.pi / 7) + sympy.tanh(R(1, 2)),
    sympy.cot(sympy.pi / 9) - sympy.exp(R(-1, 4)),
    sympy.Max(R(1, 3), sympy.sqrt(2) / 4),
    sympy.Piecewise((sympy.sqrt(3), sympy.pi > 3), (0, True)),
]


@pytest.mark.parametrize("expr", EXPRESSIONS, ids=str)
def test_balls_enclose_sympys_value(expr):
    with working_precision(50):
        ball = arb_value(expr)
    with mpmath.workdps(90):  # a reference finer than the ball
        truth = mpmath.mpf(sympy.Float(sympy.N(expr, 90), 90)._mpf_)
        assert abs(mpf_of(ball) - truth) <= radius_of(ball)
        assert radius_of(ball) < mpmath.mpf(10) ** -50


def test_straddling_kinks_give_enclosures_not_guesses():
    with working_precision(30):
        ball = flint.arb(0).union(flint.arb(1)) - flint.arb(1) / 2  # contains 0
        assert not ball_excludes_zero(ball)
        relu = ARB.relu(ball)
        assert relu.contains(0) and relu.contains(flint.arb(1) / 2)
        heaviside = arb_value(sympy.Heaviside(R(1, 3) - R(1, 3), 0))
        assert heaviside == 0


# ------------------------------------------------- powers of balls around 0 --


def test_powers_of_a_ball_centred_at_zero_are_enclosures():
    # python-flint 0.9 gives NaN for ball**2 when the ball's midpoint is 0
    ball = flint.arb(0, flint.arb("0.1"))
    for n in (1, 2, 3, 4, 7):
        power = ball_power(ball, n)
        assert power.is_finite() and power.contains(0)
        assert power.contains(flint.arb("0.1") ** n) and power.contains(flint.arb("-0.1") ** n)
    assert ball_power(flint.arb(3), 2) == 9 and ball_power(flint.arb(2), -2).contains(flint.arb(1) / 4)
