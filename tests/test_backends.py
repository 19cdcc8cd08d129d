import flint
import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequiv.backends import (
    ARB,
    MPMATH,
    arb_value,
    ball_excludes_zero,
    compile_function,
    mpf_of,
    radius_of,
    working_precision,
)
from symequiv.errors import InvalidArgument, InvalidType
from symequiv.symbols import x

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


@settings(max_examples=30, deadline=None)
@given(st.fractions(min_value=-5, max_value=5, max_denominator=1000))
def test_compiled_functions_agree_between_backends(t):
    expr = sympy.sin(3 * x) * sympy.exp(-x / 7) + R(1, 7) * x**2 + sympy.erf(x) * sympy.pi
    mp_code, arb_code = compile_function(expr, x, MPMATH), compile_function(expr, x, ARB)
    with working_precision(50):
        value = mp_code(mpmath.mpf(t.numerator) / t.denominator)
        ball = arb_code(flint.arb(t.numerator) / t.denominator)
        assert abs(mpf_of(ball) - value) <= radius_of(ball) + mpmath.mpf(10) ** -48


def test_compile_refuses_kinks():
    with pytest.raises(InvalidArgument, match="kink"):
        compile_function(sympy.Heaviside(x, 0), x, ARB)


def test_compiled_code_keeps_rationals_exact():
    code = compile_function(R(1, 7) * x, x, MPMATH)
    with working_precision(60):
        assert abs(code(mpmath.mpf(1)) - mpmath.mpf(1) / 7) < mpmath.mpf(10) ** -59
