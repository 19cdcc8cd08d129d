from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from symequiv import Grid
from symequiv.errors import InvalidArgument, InvalidType, SymequivError


def test_paper_grid():
    grid = Grid(-1, 1, 4)
    assert grid.dx == sympy.Rational(1, 2)
    assert grid.edges == (-1, sympy.Rational(-1, 2), 0, sympy.Rational(1, 2), 1)
    assert grid.centers == tuple(sympy.Rational(k, 4) for k in (-3, -1, 1, 3))
    assert not grid.periodic
    assert grid.length == 2


@given(
    st.fractions(min_value=-10, max_value=10, max_denominator=20),
    st.fractions(min_value=Fraction(1, 20), max_value=10, max_denominator=20),
    st.integers(1, 50),
)
def test_edges_and_centers_are_exact(start, length, n):
    grid = Grid(start, start + length, n)
    assert grid.edges[0] == sympy.Rational(start.numerator, start.denominator)
    assert grid.edges[-1] == grid.stop
    assert all(b - a == grid.dx for a, b in zip(grid.edges, grid.edges[1:]))
    assert all(c == (a + b) / 2 for c, a, b in zip(grid.centers, grid.edges, grid.edges[1:]))
    assert all(isinstance(e, sympy.Rational) for e in grid.edges)


def test_repr_round_trips():
    namespace = {}
    exec("from symequiv import *\nfrom sympy import S, pi, sqrt", namespace)
    for grid in [Grid(-1, 1, 4), Grid("0", "2*pi", 8, periodic=True), Grid("1/3", "0.5", 3),
                 Grid("-1/2", "5/4", 7), Grid("-sqrt(2)/10", "1/2 + pi/7", 3, periodic=True)]:
        assert eval(repr(grid), dict(namespace)) == grid  # repr is constructor form
    assert hash(Grid(0, 1, 2)) == hash(Grid("0", "1.0", 2))


def test_repr_shows_exact_numbers_not_strings():
    assert repr(Grid("-1/2", "5/4", 7)) == "Grid(-S(1)/2, S(5)/4, 7)"
    assert repr(Grid("0", "2*pi", 8, periodic=True)) == "Grid(0, 2*pi, 8, periodic=True)"
    assert repr(Grid("-sqrt(2)/10", 1, 3)) == "Grid(-sqrt(2)/10, 1, 3)"


@pytest.mark.parametrize(
    "args, kwargs, error, words",
    [
        ((0, 1, 0), {}, InvalidArgument, "n=0"),
        ((0, 1, -3), {}, InvalidArgument, "n=-3"),
        ((0, 1, 2.0), {}, InvalidType, "int"),
        ((0, 1, True), {}, InvalidType, "int"),
        ((1, 1, 4), {}, InvalidArgument, "stop > start"),
        ((2, 1, 4), {}, InvalidArgument, "stop > start"),
        ((0, float("nan"), 4), {}, InvalidArgument, "finite"),
        ((0, float("inf"), 4), {}, InvalidArgument, "finite"),
        ((0, 1, 10**9), {}, InvalidArgument, "at most"),
        ((0, 1, 4), {"periodic": "yes"}, InvalidType, "periodic"),
        (("x", 1, 4), {}, SymequivError, "start"),
    ],
)
def test_bad_grids(args, kwargs, error, words):
    with pytest.raises(error, match=words):
        Grid(*args, **kwargs)
