"""Uniform one-dimensional grids of cells.

Cell j = 0..n-1 is [start + j dx, start + (j+1) dx] with dx = (stop - start)/n,
all exact:

>>> from symequiv import Grid
>>> g = Grid(-1, 1, 4)
>>> g.dx, g.edges, g.centers
(1/2, (-1, -1/2, 0, 1/2, 1), (-3/4, -1/4, 1/4, 3/4))
>>> Grid("0", "2*pi", 8, periodic=True)
Grid(0, 2*pi, 8, periodic=True)

A grid's repr pastes back as exact numbers (``S(1)/4`` is sympy's exact 1/4;
see :func:`~symequiv.numeric.numbers.number_repr`):

>>> Grid("-1/2", "5/4", 7)
Grid(-S(1)/2, S(5)/4, 7)
"""

import numbers

import sympy

from ..errors import InvalidArgument, InvalidType, short_repr
from ..numeric.numbers import exact_number, number_repr

__all__ = ["Grid", "MAX_CELLS"]

#: Largest number of cells a grid may have (exact per-cell work must stay finite).
MAX_CELLS = 1 << 24


class Grid:
    """A uniform grid of ``n`` cells over [start, stop].

    Parameters
    ==========

    start, stop : number or string
        Exact bounds (``"0.25"`` is 1/4; a float is taken at its binary value).
        Symbolic constants such as ``pi`` are allowed.
    n : int
        Number of cells, 1 <= n <= ``MAX_CELLS``.
    periodic : bool
        If True, the domain wraps around: shifts and circular padding wrap, and
        a signal is taken as periodic with period stop - start.
    """

    __slots__ = ("start", "stop", "n", "periodic", "dx")

    def __init__(self, start, stop, n, periodic=False):
        self.start = exact_number(start, "start")
        self.stop = exact_number(stop, "stop")
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise InvalidType(f"Expected an int for the number of cells but got n={short_repr(n)}")
        n = int(n)
        if n <= 0:
            raise InvalidArgument(f"Expected a positive number of cells but got n={short_repr(n)}")
        if n > MAX_CELLS:
            raise InvalidArgument(f"Expected at most {MAX_CELLS} cells but got n={short_repr(n)}")
        if not isinstance(periodic, bool):
            raise InvalidType(f"Expected True or False for periodic but got periodic={short_repr(periodic)}")
        if not bool(self.stop > self.start):
            raise InvalidArgument(
                f"Expected stop > start but got start={self.start}, stop={self.stop}; swap them or widen the domain"
            )
        self.n = n
        self.periodic = periodic
        self.dx = (self.stop - self.start) / n

    @property
    def length(self):
        """stop - start."""
        return self.stop - self.start

    @property
    def edges(self):
        """The n + 1 cell boundaries, exact."""
        return tuple(self.start + j * self.dx for j in range(self.n + 1))

    @property
    def centers(self):
        """The n cell midpoints, exact."""
        return tuple(self.start + (j + sympy.S.Half) * self.dx for j in range(self.n))

    def cells_of_shift(self, d):
        """The shift ``d`` (in units of x) measured in cells: d / dx."""
        return d / self.dx

    def __eq__(self, other):
        if not isinstance(other, Grid):
            return NotImplemented
        return (self.start, self.stop, self.n, self.periodic) == (other.start, other.stop, other.n, other.periodic)

    def __hash__(self):
        return hash((Grid, self.start, self.stop, self.n, self.periodic))

    def __repr__(self):
        tail = ", periodic=True" if self.periodic else ""
        return f"Grid({number_repr(self.start)}, {number_repr(self.stop)}, {self.n}{tail})"

