"""Uniform grids of cells, in one dimension or two.

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

In two dimensions each argument has one entry per axis (x, then y), and cell
(i, j) is the rectangle [x_i, x_(i+1)] x [y_j, y_(j+1)]. ``periodic`` is a
bool or one per axis. ``dx``, ``edges``, ``centers`` have one entry per axis,
``axes`` are the two one-dimensional grids:

>>> g = Grid((-1, 0), (1, 1), (4, 2), periodic=(True, False))
>>> g.dim, g.shape, g.dx, g.periodic
(2, (4, 2), (1/2, 1/2), (True, False))
>>> g.edges[1], g.axes[0]
((0, 1/2, 1), Grid(-1, 1, 4, periodic=True))
"""

import math
import numbers

import sympy

from ..errors import InvalidArgument, InvalidType, short_repr
from ..numeric.numbers import exact_number, number_repr

__all__ = ["Grid", "MAX_CELLS"]

#: Largest number of cells a grid may have (exact per-cell work must stay finite).
MAX_CELLS = 1 << 24


class Grid:
    """A uniform grid of cells over [start, stop] (one dimension) or a rectangle (two).

    Parameters
    ==========

    start, stop : number or string, or a pair of them
        Exact bounds (``"0.25"`` is 1/4; a float is taken at its binary value).
        Symbolic constants such as ``pi`` are allowed. A pair (x, y) gives a
        two-dimensional grid.
    n : int, or a pair of ints
        Number of cells per axis, each at least 1; at most ``MAX_CELLS`` cells in all.
    periodic : bool, or a pair of bools in two dimensions
        If True, the domain wraps around (along that axis): shifts and
        circular padding wrap, and a signal is taken as periodic with period
        stop - start.
    """

    __slots__ = ("start", "stop", "n", "periodic", "dx", "axes")

    def __init__(self, start, stop, n, periodic=False):
        pairs = [isinstance(v, (tuple, list)) for v in (start, stop, n)]
        if any(pairs):
            self._init_2d(start, stop, n, periodic, pairs)
            return
        self.start = exact_number(start, "start")
        self.stop = exact_number(stop, "stop")
        n = _cell_count(n, "n")
        if not isinstance(periodic, bool):
            raise InvalidType(f"Expected True or False for periodic but got periodic={short_repr(periodic)}")
        if not bool(self.stop > self.start):
            raise InvalidArgument(
                f"Expected stop > start but got start={self.start}, stop={self.stop}; swap them or widen the domain"
            )
        self.n = n
        self.periodic = periodic
        self.dx = (self.stop - self.start) / n
        self.axes = (self,)

    def _init_2d(self, start, stop, n, periodic, pairs):
        if not all(pairs):
            given = ", ".join(f"{name}={short_repr(v)}" for name, v in zip(("start", "stop", "n"), (start, stop, n)))
            raise InvalidArgument(
                f"A two-dimensional grid needs a pair for each of start, stop and n, but got {given}; "
                "write Grid((x0, y0), (x1, y1), (nx, ny))"
            )
        for name, value in (("start", start), ("stop", stop), ("n", n)):
            if len(value) != 2:
                raise InvalidArgument(
                    f"Expected one {name} per axis (x, y), two in all, but got {name}={short_repr(value)}"
                )
        if isinstance(periodic, bool):
            periodic = (periodic, periodic)
        elif not (isinstance(periodic, (tuple, list)) and len(periodic) == 2
                  and all(isinstance(p, bool) for p in periodic)):
            raise InvalidType(
                f"Expected True, False or one bool per axis for periodic but got periodic={short_repr(periodic)}"
            )
        counts = [_cell_count(c, f"n[{axis}]") for axis, c in enumerate(n)]
        if counts[0] * counts[1] > MAX_CELLS:
            raise InvalidArgument(f"Expected at most {MAX_CELLS} cells in all but got n={short_repr(tuple(n))}")
        axes = []
        for axis, name in enumerate("xy"):
            try:
                axes.append(Grid(start[axis], stop[axis], counts[axis], periodic=periodic[axis]))
            except (InvalidArgument, InvalidType) as exc:
                raise type(exc)(f"Along {name}: {exc}") from None
        self.axes = tuple(axes)
        self.start = tuple(a.start for a in axes)
        self.stop = tuple(a.stop for a in axes)
        self.n = tuple(counts)
        self.periodic = tuple(periodic)
        self.dx = tuple(a.dx for a in axes)

    @property
    def dim(self):
        """1 or 2: the number of axes."""
        return len(self.axes)

    @property
    def shape(self):
        """Cells per axis: ``(n,)`` or ``(nx, ny)``."""
        return tuple(a.n for a in self.axes)

    @property
    def cells(self):
        """The total number of cells."""
        return math.prod(self.shape)

    @property
    def length(self):
        """stop - start (one per axis in two dimensions)."""
        return self._per_axis(lambda a: a.stop - a.start)

    @property
    def edges(self):
        """The n + 1 cell boundaries, exact (one tuple per axis in two dimensions)."""
        return self._per_axis(lambda a: tuple(a.start + j * a.dx for j in range(a.n + 1)))

    @property
    def centers(self):
        """The n cell midpoints, exact (one tuple per axis in two dimensions)."""
        return self._per_axis(lambda a: tuple(a.start + (j + sympy.S.Half) * a.dx for j in range(a.n)))

    def cells_of_shift(self, d):
        """The shift ``d`` (in units of x; one per axis in two dimensions) measured in cells: d / dx."""
        if self.dim == 1:
            return d / self.dx
        return tuple(component / a.dx for component, a in zip(d, self.axes))

    def _per_axis(self, value_of):
        if self.dim == 1:
            return value_of(self)
        return tuple(value_of(a) for a in self.axes)

    def __eq__(self, other):
        if not isinstance(other, Grid):
            return NotImplemented
        return (self.start, self.stop, self.n, self.periodic) == (other.start, other.stop, other.n, other.periodic)

    def __hash__(self):
        return hash((Grid, self.start, self.stop, self.n, self.periodic))

    def __repr__(self):
        if self.dim == 1:
            tail = ", periodic=True" if self.periodic else ""
            return f"Grid({number_repr(self.start)}, {number_repr(self.stop)}, {self.n}{tail})"
        start, stop = (", ".join(number_repr(v) for v in pair) for pair in (self.start, self.stop))
        periodic = self.periodic
        tail = "" if periodic == (False, False) else (", periodic=True" if all(periodic) else f", periodic={periodic}")
        return f"Grid(({start}), ({stop}), {self.n}{tail})"


def _cell_count(n, name):
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise InvalidType(f"Expected an int for the number of cells but got {name}={short_repr(n)}")
    n = int(n)
    if n <= 0:
        raise InvalidArgument(f"Expected a positive number of cells but got {name}={short_repr(n)}")
    if n > MAX_CELLS:
        raise InvalidArgument(f"Expected at most {MAX_CELLS} cells but got {name}={short_repr(n)}")
    return n
