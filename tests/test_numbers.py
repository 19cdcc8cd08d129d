import decimal
import fractions
import math

import mpmath
import numpy
import pytest
import sympy

from symequiv.errors import ExpressionError, InvalidArgument, InvalidType
from symequiv.numeric.numbers import exact_number, exact_value, is_binary_float, number_repr, to_mpmath
from symequiv.continuous.symbols import delta


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, sympy.Integer(3)),
        ("0.25", sympy.Rational(1, 4)),
        ("1/3", sympy.Rational(1, 3)),
        ("-1", sympy.Integer(-1)),
        ("2*pi", 2 * sympy.pi),
        (fractions.Fraction(2, 7), sympy.Rational(2, 7)),
        (decimal.Decimal("0.1"), sympy.Rational(1, 10)),
        (0.5, sympy.Rational(1, 2)),
        (numpy.int64(4), sympy.Integer(4)),
        (numpy.float64(0.25), sympy.Rational(1, 4)),
        (sympy.Rational(5, 3), sympy.Rational(5, 3)),
        (sympy.sqrt(2), sympy.sqrt(2)),
    ],
)
def test_exact_conversions(value, expected):
    assert exact_number(value) == expected


def test_floats_keep_their_exact_binary_value():
    value = exact_number(0.1)
    assert value == sympy.Rational(3602879701896397, 36028797018963968)
    assert value != sympy.Rational(1, 10)
    assert exact_number(sympy.Float(0.1)) == value
    assert exact_number(mpmath.mpf(0.1)) == value
    assert is_binary_float(0.1) and is_binary_float(numpy.float32(1)) and not is_binary_float(1)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, numpy.nan, mpmath.inf, decimal.Decimal("nan"), "1/0"])
def test_non_finite_values_are_refused(bad):
    with pytest.raises((InvalidArgument, ExpressionError), match="finite"):
        exact_number(bad, "start")


@pytest.mark.parametrize("bad", [1j, complex(1, 2), mpmath.mpc(1, 1), sympy.I, "sqrt(-1)"])
def test_complex_values_are_refused(bad):
    with pytest.raises(InvalidArgument, match="real"):
        exact_number(bad, "d")


@pytest.mark.parametrize("bad", [None, True, [1], object(), b"1"])
def test_wrong_types_are_refused(bad):
    with pytest.raises(InvalidType, match="d"):
        exact_number(bad, "d")


def test_exact_value_accepts_symbols_and_exact_number_does_not():
    assert exact_value("2*delta", "d", names={"delta": delta}) == 2 * delta
    with pytest.raises(InvalidArgument, match="expression"):
        exact_number(delta, "d")


def test_to_mpmath_keeps_precision():
    with mpmath.workdps(60):
        third = to_mpmath(sympy.Rational(1, 3))
        assert third == mpmath.mpf(1) / 3
        assert abs(to_mpmath(sympy.pi) - mpmath.pi) < mpmath.mpf(10) ** -59
    assert mpmath.mp.dps == 15


def test_number_repr_reads_back():
    for value in [sympy.Integer(-2), sympy.Rational(1, 3), 2 * sympy.pi]:
        text = number_repr(value)
        assert exact_number(eval(text, {"S": sympy.S, "pi": sympy.pi})) == value  # text is our own constructor form


@pytest.mark.parametrize(
    "text",
    ["-1/10", "1/4", "10**30/7", "2*pi", "pi/4", "sqrt(2)/10", "1/2 + sqrt(2)", "2**(1/3)", "3*exp(-pi/2)/7",
     "sqrt(3+2*sqrt(2)) - sqrt(2)", "cos(pi/7) - 1/3", "1/(1 + pi)", "(1/2)**pi", "atan(1/3)", "-5", "E/3"],
)
def test_number_repr_pastes_back_exactly_as_a_number(text):
    value = exact_number(text)
    shown = number_repr(value)
    assert "'" not in shown  # a number, not a string
    namespace = {}
    exec("from sympy import *", namespace)
    again = eval(shown, namespace)
    assert isinstance(again, (int, sympy.Expr)) and not sympy.sympify(again).atoms(sympy.Float)
    assert again == value


def test_number_repr_reads_strings_with_the_safe_parser_only():
    assert number_repr("1/4") == "S(1)/4"
    with pytest.raises(ExpressionError):
        number_repr("__import__('os').getcwd()")
