import mpmath
import numpy
import sympy

import pytest

import symequiv as se
from symequiv import ClosedForm, Values, delta
from symequiv.errors import InvalidArgument

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


# ---------------------------------------------------------- arrays of cells --


def test_a_two_dimensional_array_is_indexed_by_cell_pairs():
    image = Values([[0, 1, 2], [3, 4, 5]])
    assert image.shape == (2, 3) and image.ndim == 2 and len(image) == 2
    assert image[1, 2] == 5 and image[-1, 0] == 3 and image[0] == Values([0, 1, 2])
    assert image.flat == (0, 1, 2, 3, 4, 5)
    assert image == [[0, 1, 2], [3, 4, 5]] and image != [[0, 1, 2], [3, 4, 6]]
    assert image != [0, 1, 2, 3, 4, 5]  # same entries, another shape
    assert Values(range(6), shape=(2, 3)) == image
    assert repr(image) == "Values([[0, 1, 2], [3, 4, 5]])"
    with pytest.raises(IndexError):
        image[2, 0]


def test_channels_are_a_third_axis():
    rgb = Values([[[1, 2]], [[3, 4]], [[5, 6]]])
    assert rgb.shape == (3, 1, 2) and rgb[2, 0, 1] == 6 and rgb[1] == [[3, 4]]


def test_an_array_equals_a_numpy_array_of_its_entries():
    assert Values([[0, 1], [1, 1]]) == numpy.array([[0, 1], [1, 1]])


def test_ragged_or_mis_shaped_arrays_are_refused():
    with pytest.raises(InvalidArgument, match="ragged"):
        Values([[0, 1], [1]])
    with pytest.raises(InvalidArgument, match="do not fill"):
        Values([1, 2, 3], shape=(2, 2))


def test_a_two_dimensional_closed_form_substitutes_both_shifts():
    form = ClosedForm([se.delta_x, se.delta_y, se.delta_x * se.delta_y, sympy.S.One], (se.delta_x, se.delta_y),
                      label="D_{j}", shape=(2, 2))
    assert form.at(("1/2", "1/3")) == [[sympy.Rational(1, 2), sympy.Rational(1, 3)], [sympy.Rational(1, 6), 1]]
    with pytest.raises(InvalidArgument, match=r"pair \(dx, dy\)"):
        form.at("1/2")
    assert r"D_{1,0}(\delta_{x}, \delta_{y})" in form.latex()
