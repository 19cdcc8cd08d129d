"""Tests of symequiv.numeric.backends: compiled code agrees between backends, exact where it can be."""

import flint
import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequiv as se
from symequiv.continuous.symbols import x
from symequiv.errors import InvalidArgument
from symequiv.numeric.backends import ARB, MPMATH, compile_function
from symequiv.numeric.balls import mpf_of, radius_of, working_precision

R = sympy.Rational


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


# ------------------------------------------------- powers of balls around 0 --


def test_compiled_code_squares_a_ball_around_zero():
    code = compile_function(sympy.exp(-(x - sympy.Rational(1, 6)) ** 2), x, ARB)
    with working_precision(50):
        value = code(flint.arb(1) / 6)  # 1/6 is rounded: x - 1/6 is a ball around 0
        assert value.is_finite() and value.contains(1) and value.rad() < 1e-50


def test_a_sample_on_the_peak_of_a_gaussian_is_checked():
    # was refused as "no finite real value on cell 0" (the square of a ball around 0 was NaN)
    D = se.PointSample(se.Grid(0, 1, 3))
    verdict = se.check_commutation(D, se.Signal("exp(-(x-1/6)**2)"), "sqrt(2)/10", se.LinearShift())
    assert verdict.holds is False and verdict.method == "interval"
