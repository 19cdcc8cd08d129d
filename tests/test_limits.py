"""The size limits on numbers: what is refused, how fast, and where."""

import decimal
import fractions
import re
import time

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequiv as se
from symequiv.numeric.limits import MAX_BITS, MAX_DIGITS, rational_problem, size_problem

TEN = sympy.Integer(10)


@pytest.mark.parametrize(
    "expr",
    [TEN**999, 1 / TEN**999, sympy.pi**1000, sympy.exp(1000), sympy.exp(-1000) * sympy.pi, sympy.Integer(0),
     sympy.sin(TEN**999), sympy.Rational(2**3000, 3**1000)],
    ids=range(8),
)
def test_numbers_within_the_limits_pass(expr):
    assert size_problem(expr) is None


@pytest.mark.parametrize(
    "expr, why",
    [
        (TEN**1001, "digits"),
        (1 / TEN**1001, "digits"),
        (sympy.exp(sympy.exp(100)), "larger than 10\\*\\*1000"),
        (sympy.exp(-sympy.exp(100)), "smaller than 10\\*\\*-1000"),
        (sympy.sin(sympy.exp(sympy.exp(100))), "larger"),
        (sympy.pi**5000, "larger"),
        (sympy.acos(2), "not a real number"),
        (sympy.exp(TEN**5000), "digits"),  # named without printing the 5000 digits
    ],
    ids=range(8),
)
def test_numbers_past_the_limits_are_named(expr, why):
    problem = size_problem(expr)
    assert problem is not None
    assert re.search(why, problem), problem


def test_the_bit_limit_is_the_digit_limit():
    assert 2**MAX_BITS > 10**MAX_DIGITS > 2 ** (MAX_BITS - 1)
    assert rational_problem(10**MAX_DIGITS - 1) is None
    assert rational_problem(1, 10 ** (MAX_DIGITS + 1)) is not None


@settings(max_examples=50, deadline=None)
@given(digits=st.integers(1, 3000), negative=st.booleans())
def test_a_rational_passes_exactly_when_it_is_short_enough(digits, negative):
    value = (-1) ** negative * (10**digits - 7)
    assert (rational_problem(value) is None) == (abs(value).bit_length() <= MAX_BITS)


@pytest.mark.parametrize(
    "value",
    [
        10**5000,
        fractions.Fraction(1, 10**5000),
        decimal.Decimal("1e999999999"),
        decimal.Decimal("1e-5000"),
        mpmath.mpf("1e100000"),
        sympy.Integer(10) ** 5000,
        "1e99999999999999999999",
        "10**10**10",
        "exp(exp(exp(100)))",
        "x + exp(exp(100))",
    ],
    ids=range(10),
)
@pytest.mark.parametrize("entry", ["Grid", "Signal", "Conv", "shift"])
def test_every_entry_point_refuses_quickly(value, entry):
    calls = {
        "Grid": lambda: se.Grid(0, value, 4),
        "Signal": lambda: se.Signal(value),
        "Conv": lambda: se.Conv([1, value]),
        "shift": lambda: se.LinearShift()([1, 2, 3, 4], value, se.Grid(0, 1, 4, periodic=True)),
    }
    started = time.monotonic()
    with pytest.raises(se.SymequivError) as caught:
        calls[entry]()
    assert time.monotonic() - started < 2
    assert len(str(caught.value)) < 400
