import mpmath
import numpy
import sympy

from symequiv import ClosedForm, Values, delta

R = sympy.Rational


def test_values_compare_with_any_sequence():
    v = Values([0, R(1, 2)])
    assert v == [0, R(1, 2)] and v == (0, R(1, 2)) and v == numpy.array([0, R(1, 2)], dtype=object)
    assert v != [0, R(1, 3)] and v != [0] and not (v == "ab")
    assert [0, R(1, 2)] == v
    assert hash(v) == hash(Values((0, R(1, 2))))
    assert v[1:] == [R(1, 2)] and isinstance(v[1:], Values)


def test_repr_and_latex():
    v = Values([0, R(1, 2)])
    assert repr(v) == "Values([0, 1/2])"
    assert v._repr_latex_() == "$\\displaystyle \\left[ 0, \\  \\frac{1}{2}\\right]$"
    with mpmath.workdps(20):
        assert "0.33333" in Values([mpmath.mpf(1) / 3]).latex()


def test_exactness_flag():
    assert Values([R(1, 3), sympy.pi]).is_exact
    assert not Values([sympy.Float(0.5)]).is_exact
    assert not Values([mpmath.mpf(1)]).is_exact


def test_closed_form_substitutes_exactly():
    closed = ClosedForm([1 - 2 * delta, delta**2], delta)
    assert closed.at("1/4") == [R(1, 2), R(1, 16)]
    assert closed.at(0.5) == [0, R(1, 4)]
    assert "\\bar" not in closed.latex() and "D_{1}(\\delta) &= \\delta^{2}" in closed.latex()
