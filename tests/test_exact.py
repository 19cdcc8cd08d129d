"""Rigorous sign, zero and floor of exact real numbers."""

import math

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequiv as se
from symequiv.numeric.exact import floor, is_zero, sign

PI, E, SQRT2 = sympy.pi, sympy.E, sympy.sqrt(2)


@pytest.mark.parametrize(
    "value, expected",
    [
        (sympy.Rational(-7, 2), -4),
        (SQRT2 * sympy.sqrt(8), 4),  # an integer written as a product of radicals
        ((1 + SQRT2) ** 2 - 2 * SQRT2, 3),
        (-PI, -4),
        (PI**20, 8769956796),
    ],
)
def test_floor_of_small_numbers(value, expected):
    assert floor(value) == expected


@pytest.mark.parametrize("value", [PI**1000, sympy.exp(1000), sympy.exp(sympy.exp(7)), -(PI**500) * E])
def test_floor_of_numbers_sympy_cannot_floor(value):
    """sympy's floor raises PrecisionExhausted here; the ball answer is checked at 1200 digits."""
    result = floor(value)
    approximation = value.evalf(1200)
    assert result <= approximation < result + 1


@settings(max_examples=40, deadline=None)
@given(p=st.integers(-(10**30), 10**30), q=st.integers(1, 10**6), k=st.integers(1, 50))
def test_floor_of_rational_multiples_of_pi_to_a_power(p, q, k):
    value = sympy.Rational(p, q) * PI**k
    result = floor(value)
    approximation = value.evalf(120)
    assert result <= approximation < result + 1


def test_floor_of_an_expression_without_a_value_is_refused():
    with pytest.raises(se.InvalidArgument, match="integer part"):
        floor(se.x + PI)


def test_sign_and_zero():
    assert sign(SQRT2 - sympy.Rational(7, 5)) == 1
    assert sign(PI**1000 - floor(PI**1000) - 1) == -1
    assert is_zero(sympy.sqrt(8) - 2 * SQRT2) is True
    assert is_zero(PI - sympy.Rational(355, 113)) is False


def test_floor_agrees_with_math_on_floats():
    for value in (0.1, -2.5, 1e20 + 0.5, 7.0):
        assert floor(sympy.Rational(value)) == math.floor(value)
