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


# ------------------------------------------------------------ two dimensions --


def test_a_two_dimensional_grid_has_exact_axes():
    grid = Grid(("-1", 0), (1, "3/2"), (4, 3))
    half = sympy.Rational(1, 2)
    assert grid.dim == 2 and grid.shape == (4, 3) and grid.cells == 12
    assert grid.dx == (half, half)
    assert grid.edges == ((-1, -half, 0, half, 1), (0, half, 1, sympy.Rational(3, 2)))
    assert grid.centers[1] == (sympy.Rational(1, 4), sympy.Rational(3, 4), sympy.Rational(5, 4))
    assert grid.axes == (Grid(-1, 1, 4), Grid(0, "3/2", 3))
    assert grid.periodic == (False, False) and grid.length == (2, sympy.Rational(3, 2))
    assert grid.cells_of_shift((sympy.Rational(1, 4), 1)) == (half, 2)


def test_periodic_is_a_bool_or_one_per_axis():
    assert Grid((0, 0), (1, 1), (8, 8), periodic=True).periodic == (True, True)
    grid = Grid((0, 0), (1, 1), (8, 4), periodic=(True, False))
    assert grid.axes[0].periodic and not grid.axes[1].periodic
    assert Grid((0, 0), (1, 1), (8, 4), periodic=[True, False]) == grid


def test_a_one_dimensional_grid_is_its_own_only_axis():
    grid = Grid(-1, 1, 4)
    assert grid.dim == 1 and grid.shape == (4,) and grid.axes == (grid,) and grid.cells == 4


def test_two_dimensional_repr_pastes_back():
    namespace = {"Grid": Grid, "S": sympy.S, "sqrt": sympy.sqrt, "pi": sympy.pi}
    for grid in [Grid((0, 0), (1, 1), (2, 3)), Grid(("-1/2", 0), ("5/4", "pi"), (7, 2), periodic=(False, True)),
                 Grid((0, 0), (1, 1), (8, 8), periodic=True)]:
        assert eval(repr(grid), dict(namespace)) == grid
    assert repr(Grid((0, 0), (1, 1), (8, 8), periodic=True)) == "Grid((0, 0), (1, 1), (8, 8), periodic=True)"
    assert Grid((0, 0), (1, 1), (2, 2)) != Grid((0, 0), (1, 1), (2, 2), periodic=True)
    assert Grid((0, 0), (1, 1), (2, 2)) != Grid(0, 1, 2)


@pytest.mark.parametrize(
    "args, kwargs, error, words",
    [
        (((0, 0), 1, (2, 2)), {}, InvalidArgument, "a pair for each"),
        (((0, 0), (1, 1), 4), {}, InvalidArgument, "a pair for each"),
        (((0, 0, 0), (1, 1, 1), (2, 2, 2)), {}, InvalidArgument, "one start per axis"),
        (((0, 0), (1, 1), (2, 0)), {}, InvalidArgument, r"n\[1\]=0"),
        (((0, 0), (1, 1), (2, 2.5)), {}, InvalidType, "int"),
        (((0, 1), (1, 1), (2, 2)), {}, InvalidArgument, "Along y: .*stop > start"),
        (((0, 0), (1, 1), (5000, 5000)), {}, InvalidArgument, "at most .* cells in all"),
        (((0, 0), (1, 1), (2, 2)), {"periodic": (True,)}, InvalidType, "one bool per axis"),
        (((0, 0), (1, 1), (2, 2)), {"periodic": (1, 0)}, InvalidType, "one bool per axis"),
    ],
)
def test_bad_two_dimensional_grids(args, kwargs, error, words):
    with pytest.raises(error, match=words):
        Grid(*args, **kwargs)
