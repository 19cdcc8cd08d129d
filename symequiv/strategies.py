"""Hypothesis strategies for symequiv objects: grids, shifts, layers, signals and scenes.

Explanation
===========

Each function returns a hypothesis strategy. The strategies compose: draw a
grid, then shifts, signals or discretizers that fit it, inside your own
property tests. This example runs as it is (pytest collects the function in
a test file; here it is called):

>>> from hypothesis import given, settings, strategies as st
>>> import symequiv as se
>>> from symequiv.strategies import discretizers, grids, layers, scenes, shifts, signals
>>> @settings(max_examples=5, deadline=None)  # a check takes longer than hypothesis's 200 ms deadline
... @given(grid=grids(periodic=True, max_cells=4), data=st.data())
... def test_circular_layers_commute_with_whole_cell_shifts(grid, data):
...     D = data.draw(discretizers(grid))
...     f = data.draw(signals(periodic_period=grid.length))
...     n = int(grid.cells_of_shift(data.draw(shifts(grid, kind="whole-cell"))))  # d in x, n in cells
...     layer = data.draw(layers(padding="circular"))
...     assert se.check_integer_shift(D, f, n, layer).holds is True
>>> test_circular_layers_commute_with_whole_cell_shifts()

Two dimensions are a parameter, not other functions: ``grids(dim=2)`` draws
``Grid((x0, y0), (x1, y1), (nx, ny))`` (by default at most 4 cells per axis,
since the 2-D checker is exact and slower), :func:`shifts` of a 2-D grid
draws pairs (dx, dy), ``kernels(dim=2)`` and ``layers(dim=2)`` 2-D kernels
(with ``channels=`` PyTorch's (C_out, C_in, k1, k2) weights), and
:func:`scenes` draws signals f(x, y):

>>> @settings(max_examples=3, deadline=None)
... @given(grid=grids(dim=2, periodic=True, max_cells=3), data=st.data())
... def test_circular_2d_layers_commute_with_whole_cell_shifts(grid, data):
...     D = data.draw(discretizers(grid))
...     f = data.draw(scenes(periodic_period=grid.length))
...     n = tuple(map(int, grid.cells_of_shift(data.draw(shifts(grid, kind="whole-cell")))))  # (nx, ny)
...     layer = data.draw(layers(dim=2, padding="circular"))
...     assert se.check_integer_shift(D, f, n, layer).holds is True
>>> test_circular_2d_layers_commute_with_whole_cell_shifts()

Drawn with their defaults, the strategies give inputs the checker accepts:
for ``grid`` from :func:`grids`, D from :func:`discretizers`, f from
:func:`signals` and d from :func:`shifts`, ``check_commutation(D, f, d, g)``
returns a verdict (it raises no error) for g = LinearShift() and
CubicShift() (on a non-periodic grid of at least :data:`OPEN_MIN_CELLS`
cells, as :func:`grids` draws them by default), for IntegerShift() when d is
whole cells and for FourierShift() on a periodic grid; and
``check_integer_shift(D, f, n)`` does for n = d / dx with d from
``shifts(grid, kind="whole-cell")``. So does a layer from
``layers(padding="circular")`` on a periodic grid, which reads nothing
outside. Other paddings read outside the input, the cells that do are left
out of the comparison, and a shift may then leave none: draw the layer
first and the shift with ``shifts(grid, op=layer)``, which stays where
LinearShift (and IntegerShift at whole cells) leave a cell to compare after
the layer (and draws nothing, so hypothesis discards the example, where no
shift does). The same holds in two dimensions for ``grids(dim=2)``,
:func:`scenes` and pairs from :func:`shifts` (each axis as above; the 2-D
checker runs symequiv layers only, with padding other than ``"valid"``, which
is why ``layers(dim=2)`` leaves ``"valid"`` out unless asked for it).

Every number drawn is exact (sympy ``Rational``, never a float), and every
strategy shrinks towards a small example that reads well: a failing property
is reported with ``Grid(0, 1, 1)``, half a cell, ``Conv([1])`` or
``Signal('1')`` rather than with a wall of digits. :func:`minimal` shows what
a strategy shrinks to (the repr of a strategy shows how it was built):

>>> from symequiv.strategies import minimal
>>> minimal(grids())
Grid(0, 1, 4)
>>> minimal(grids(periodic=True), lambda grid: grid.n >= 3)
Grid(0, 1, 3, periodic=True)
>>> grids(periodic=True, max_cells=4)
grids(periodic=True, max_cells=4)
>>> minimal(shifts(se.Grid((0, 0), (1, 1), (4, 4)), kind="sub-cell"))
(1/8, 0)

Arguments are checked when the strategy is built, not when it is first
drawn from, and a bad one raises :class:`~symequiv.errors.InvalidArgument`
(whatever is wrong with it, as hypothesis does) naming the argument:

>>> grids(min_cells=0)
Traceback (most recent call last):
...
symequiv.errors.InvalidArgument: Expected min_cells >= 1 but got min_cells=0

This module needs hypothesis (``pip install symequiv[test]``); the rest of
symequiv does not import it.
"""

import functools
import itertools
import math
import numbers
from collections.abc import Sequence

import numpy
import sympy
from hypothesis import Phase, find, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from .judge.check import _reach
from .discrete.discretize import CellAverage, PointSample
from .errors import InvalidArgument, SymequivError, short_repr
from .continuous.grid import MAX_CELLS, Grid
from .discrete.layers import MODES, PADDINGS, Conv, Identity, Layer, LeakyReLU, ReLU, Sequential, Tanh
from .numeric.numbers import exact_number, exact_value
from .continuous.signal import Signal
from .continuous.symbols import x, y

__all__ = [
    "grids",
    "shifts",
    "kernels",
    "activations",
    "layers",
    "signals",
    "scenes",
    "discretizers",
    "minimal",
    "SHIFT_KINDS",
    "SIGNAL_FAMILIES",
    "SCENE_FAMILIES",
    "OPEN_MIN_CELLS",
]

#: The kinds of shift :func:`shifts` draws.
SHIFT_KINDS = ("mixed", "sub-cell", "whole-cell")

#: The fewest cells :func:`grids` gives a non-periodic grid by default: CubicShift at
#: a sub-cell shift reads 4 neighbouring cells, so fewer leave no cell to compare.
OPEN_MIN_CELLS = 4

#: The families :func:`signals` draws from, simplest first.
SIGNAL_FAMILIES = ("polynomial", "trigonometric", "exponential", "gaussian", "step", "ramp", "box", "hat")

#: The families :func:`scenes` draws from, simplest first.
SCENE_FAMILIES = ("polynomial", "separable", "wave", "edge", "ramp", "polygon")

# The factors of a separable scene g(x) h(y): the families of signals() but the Gaussian,
# whose 2-D cell averages sympy does not find yet (exp(-w (x - m)**2) is expanded into
# exp(2 w m x) exp(-w x**2), which has no antiderivative it knows).
_FACTOR_FAMILIES = tuple(f for f in SIGNAL_FAMILIES if f != "gaussian")

# The most cells per axis grids() draws by default, by dimension: the 2-D checker is exact
# cell by cell and slower, so 2-D grids stay small.
_DEFAULT_MAX_CELLS = {1: 8, 2: 4}

# Defaults, module constants so that a strategy's repr leaves them out.
_BOUNDS = (-2, 2)

_R = sympy.Rational

# Denominators of drawn rationals, simplest first (a strategy shrinks to the first).
_DENOMINATORS = (1, 2, 4, 3)
# Fractions of a cell: 1/2 first; 7 and 100 give shifts that are not "nice".
_CELL_DENOMINATORS = (2, 4, 3, 8, 5, 10, 7, 16, 100)
# Frequencies of sin, cos: 1 first, then small multiples of pi and of 1.
_FREQUENCIES = (1, 2, sympy.pi, 3, _R(1, 2), 2 * sympy.pi, sympy.pi / 2, 4)
# Widths of Gaussians (the factor w in exp(-w (x - m)**2)), hats and boxes.
_GAUSSIAN_WIDTHS = (1, 4, 2, 8, 16, _R(1, 2))
_WIDTHS = (1, _R(1, 2), 2, _R(1, 4), _R(3, 2), _R(1, 3))
# Slopes of LeakyReLU: the denominators, 10 first (1/100 is PyTorch's default).
_SLOPE_DENOMINATORS = (10, 100, 2, 4, 5, 3)


def _named(name):
    """``st.composite`` whose repr shows the public function ``name`` and its arguments."""

    def decorate(draw_function):
        draw_function.__name__ = draw_function.__qualname__ = name
        return st.composite(draw_function)

    return decorate


# Deterministic and quick: no example database, a fixed seed, no "explain" phase.
_MINIMAL_SETTINGS = settings(
    database=None, derandomize=True, max_examples=500, deadline=None, phases=(Phase.generate, Phase.shrink)
)


def minimal(strategy, condition=None):
    """The simplest value of ``strategy`` that satisfies ``condition``, as hypothesis shrinks it.

    Explanation
    ===========

    This is what a property test that fails exactly when ``condition`` holds
    would report: use it to see what a strategy shrinks to. It is
    :func:`hypothesis.find` made repeatable (no example database, a fixed
    seed), so its answer is the same on every run. ``condition`` defaults to
    "any value". Raises :class:`hypothesis.errors.NoSuchExample` when no
    value satisfying ``condition`` turns up. Not for use inside a test
    decorated with ``@given``.

    Examples
    ========

    >>> from symequiv import Grid
    >>> from symequiv.strategies import minimal, shifts
    >>> minimal(shifts(Grid(0, 1, 4)), lambda d: d != 0)
    1/4
    """
    _check_strategy(strategy, "strategy")
    if condition is None:
        condition = _anything
    elif not callable(condition):
        raise InvalidArgument(f"Expected a function for condition but got {type(condition).__name__}: {short_repr(condition)}")
    return find(strategy, condition, settings=_MINIMAL_SETTINGS)


def _anything(value):
    return True


# ------------------------------------------------------------ numbers --


@st.composite
def _rationals(draw, low, high, denominators=_DENOMINATORS):
    """A rational p/q in [low, high], shrinking to 0 (or to the end nearest it)."""
    q = draw(st.sampled_from(denominators))
    p_low, p_high = int(math.ceil(low * q)), int(math.floor(high * q))
    if p_low > p_high:  # no multiple of 1/q in a narrow range
        return _R(low)
    return _R(draw(st.integers(p_low, p_high)), q)


@st.composite
def _nonzero_rationals(draw, largest, denominators=_DENOMINATORS):
    """A nonzero rational in [-largest, largest], shrinking to 1."""
    q = draw(st.sampled_from(denominators))
    p = draw(st.integers(1, max(1, math.floor(largest * q))))
    sign = -1 if draw(st.booleans()) else 1
    return _R(sign * p, q)


_WEIGHTS = _rationals(-3, 3)


# ------------------------------------------------------- argument checks --


def _check_int(value, name, low, high=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidArgument(f"Expected an int for {name} but got {name}={value!r}")
    if value < low:
        raise InvalidArgument(f"Expected {name} >= {low} but got {name}={value}")
    if high is not None and value > high:
        raise InvalidArgument(f"Expected {name} <= {high} but got {name}={value}")
    return int(value)


def _check_range(low, high, low_name, high_name):
    if low > high:
        raise InvalidArgument(
            f"Expected {low_name} <= {high_name} but got {low_name}={low}, {high_name}={high}"
        )


def _check_flag(value, name):
    if value is not None and not isinstance(value, bool):
        raise InvalidArgument(f"Expected True, False or None (either) for {name} but got {name}={value!r}")
    return value


def _check_bounds(bounds, name="bounds"):
    """``bounds`` as a pair of sympy Rationals (low, high) with low < high."""
    if isinstance(bounds, str) or not isinstance(bounds, Sequence) or len(bounds) != 2:
        raise InvalidArgument(f"Expected a pair (low, high) of rational numbers for {name} but got {name}={bounds!r}")
    try:
        low, high = (exact_number(b, name) for b in bounds)
    except SymequivError as exc:
        raise InvalidArgument(f"Expected rational numbers in {name} but got {name}={bounds!r}: {exc}") from None
    if not (low.is_Rational and high.is_Rational):
        raise InvalidArgument(f"Expected rational numbers in {name} but got {name}={bounds!r}")
    if not low < high:
        raise InvalidArgument(f"Expected {name}=(low, high) with low < high but got {name}={bounds!r}")
    return low, high


def _check_dim(dim):
    if isinstance(dim, bool) or dim not in (1, 2):
        raise InvalidArgument(f"Expected dim=1 or dim=2 but got dim={dim!r}")
    return int(dim)


def _check_periodic(periodic, dim):
    """``periodic`` as one True, False or None per axis."""
    if dim == 2 and isinstance(periodic, Sequence) and not isinstance(periodic, str):
        if len(periodic) != 2 or not all(p is None or isinstance(p, bool) for p in periodic):
            raise InvalidArgument(
                f"Expected True, False or None (either) for periodic, or one of them per axis, but got "
                f"periodic={periodic!r}"
            )
        return tuple(periodic)
    if dim == 1 and isinstance(periodic, Sequence) and not isinstance(periodic, str):
        raise InvalidArgument(f"periodic={periodic!r} gives one value per axis; that needs dim=2")
    return (_check_flag(periodic, "periodic"),) * dim


def _check_axis_bounds(bounds, dim):
    """One pair (low, high) per axis: ``bounds`` for every axis, or in two dimensions one pair per axis."""
    per_axis = (
        dim == 2 and isinstance(bounds, Sequence) and not isinstance(bounds, str) and len(bounds) == 2
        and all(isinstance(b, Sequence) and not isinstance(b, str) for b in bounds)
    )
    if per_axis:
        return tuple(_check_bounds(b, f"bounds[{axis}]") for axis, b in enumerate(bounds))
    return (_check_bounds(bounds),) * dim


def _check_grid(grid):
    if not isinstance(grid, Grid):
        hint = "; draw one first, e.g. grid = data.draw(grids())" if isinstance(grid, SearchStrategy) else ""
        raise InvalidArgument(f"Expected a symequiv.Grid for grid but got {type(grid).__name__}: {short_repr(grid)}{hint}")
    return grid


def _check_choices(value, name, allowed):
    """None (all of ``allowed``), one name, or a non-empty sequence of names, as a tuple."""
    listed = ", ".join(map(repr, allowed))
    if value is None:
        return tuple(allowed)
    chosen = (value,) if isinstance(value, str) else value
    if not isinstance(chosen, Sequence) or not chosen:
        raise InvalidArgument(f"Expected None, one of {listed} or a non-empty list of them for {name} but got {name}={value!r}")
    for item in chosen:
        if item not in allowed:
            raise InvalidArgument(f"Unknown {name} {item!r}; use one of {listed}")
    return tuple(dict.fromkeys(chosen))


def _check_strategy(value, name):
    if not isinstance(value, SearchStrategy):
        raise InvalidArgument(
            f"Expected a hypothesis strategy for {name} but got {type(value).__name__}: {short_repr(value)}; "
            f"wrap a fixed value in st.just(...)"
        )
    return value


# ---------------------------------------------------------------- grids --


def grids(*, dim=1, periodic=None, min_cells=None, max_cells=None, bounds=_BOUNDS):
    """Uniform grids with exact rational bounds inside ``bounds``, in one dimension or two.

    Explanation
    ===========

    The domain [start, stop] has rational ends with small denominators, and
    low <= start < stop <= high. Shrinks towards ``Grid(0, 1, min_cells)``
    (when ``bounds`` allow it), non-periodic when ``periodic`` is None.

    By default a periodic grid has at least 1 cell and a non-periodic one at
    least :data:`OPEN_MIN_CELLS` = 4 (or ``max_cells``, if fewer): on fewer
    cells every cell of a non-periodic grid is reached by the boundary at a
    sub-cell shift with CubicShift, and the checker has nothing to compare.

    With ``dim=2`` each axis is drawn so, x first: the grid is
    ``Grid((x0, y0), (x1, y1), (nx, ny))``, shrinking towards
    ``Grid((0, 0), (1, 1), (4, 4))`` (non-periodic axes keep their 4 cells).
    ``min_cells`` and ``max_cells`` count the cells of each axis; by default
    at most 4 per axis, as the 2-D checker derives every cell exactly.

    Examples
    ========

    >>> from symequiv.strategies import grids, minimal
    >>> minimal(grids(periodic=False))
    Grid(0, 1, 4)
    >>> minimal(grids(periodic=False, min_cells=1))
    Grid(0, 1, 1)
    >>> minimal(grids(periodic=True), lambda g: g.dx < g.length / 2)
    Grid(0, 1, 3, periodic=True)
    >>> minimal(grids(bounds=(1, 5)))
    Grid(1, 2, 4)
    >>> minimal(grids(dim=2))
    Grid((0, 0), (1, 1), (4, 4))
    >>> minimal(grids(dim=2, periodic=(True, None)), lambda g: g.shape[0] > 1)
    Grid((0, 0), (1, 1), (2, 4), periodic=(True, False))

    Parameters
    ==========

    dim : int
        1 or 2: the number of axes.
    periodic : bool or None, or one of them per axis in two dimensions
        True or False for only periodic or only non-periodic grids (axes);
        None for either (each axis drawn on its own in two dimensions).
    min_cells, max_cells : int
        The number of cells (per axis), 1 <= min_cells <= max_cells.
        ``min_cells=None`` (the default): 1 for a periodic axis,
        ``OPEN_MIN_CELLS`` for another. ``max_cells=None`` (the default):
        8 in one dimension, 4 per axis in two.
    bounds : pair of rational numbers, or one pair per axis in two dimensions
        (low, high), low < high: the domain lies in [low, high] (along each axis).
    """
    _grid_options(dim, periodic, min_cells, max_cells, bounds)
    return _grids(dim=dim, periodic=periodic, min_cells=min_cells, max_cells=max_cells, bounds=bounds)


def _grid_options(dim, periodic, min_cells, max_cells, bounds):
    """(dim, periodic per axis, min_cells, max_cells, (low, high) per axis), checked."""
    dim = _check_dim(dim)
    periodic = _check_periodic(periodic, dim)
    largest = MAX_CELLS if dim == 1 else math.isqrt(MAX_CELLS)  # a grid has at most MAX_CELLS in all
    max_cells = _DEFAULT_MAX_CELLS[dim] if max_cells is None else _check_int(max_cells, "max_cells", 1, largest)
    if min_cells is not None:
        min_cells = _check_int(min_cells, "min_cells", 1, largest)
        _check_range(min_cells, max_cells, "min_cells", "max_cells")
    return dim, periodic, min_cells, max_cells, _check_axis_bounds(bounds, dim)


@_named("grids")
def _grids(draw, *, dim=1, periodic=None, min_cells=None, max_cells=None, bounds=_BOUNDS):
    dim, periodic, min_cells, max_cells, bounds = _grid_options(dim, periodic, min_cells, max_cells, bounds)
    axes = [draw(_axis_grids(wraps, min_cells, max_cells, low, high)) for wraps, (low, high) in zip(periodic, bounds)]
    if dim == 1:
        return axes[0]
    return Grid(
        tuple(a.start for a in axes), tuple(a.stop for a in axes), tuple(a.n for a in axes),
        periodic=tuple(a.periodic for a in axes),
    )


@st.composite
def _axis_grids(draw, periodic, min_cells, max_cells, low, high):
    """One axis: a 1-D grid in [low, high]."""
    width = high - low
    # The length first (shrinking to 1), then a start that leaves room for it.
    fitting = [q for q in _DENOMINATORS if width * q >= 1]
    if fitting:
        q = draw(st.sampled_from(fitting))
        length = _R(draw(st.integers(1, int(math.floor(width * q)))), q)
        start = draw(_rationals(low, high - length))
    else:  # bounds narrower than 1/4: the whole range it is
        start, length = low, width
    if periodic is None:
        periodic = draw(st.booleans())
    if min_cells is None:
        min_cells = 1 if periodic else min(OPEN_MIN_CELLS, max_cells)
    n = draw(st.integers(min_cells, max_cells))
    return Grid(start, start + length, n, periodic=periodic)


# --------------------------------------------------------------- shifts --


def shifts(grid, *, kind="mixed", beyond=False, op=None):
    """Exact shifts d (in units of x) for ``grid``: sub-cell, whole-cell or both; pairs (dx, dy) in 2-D.

    Explanation
    ===========

    d = (m + p/q) dx with m an integer and p/q a fraction of a cell:

    * ``kind="whole-cell"``: p/q = 0, so d/dx is an integer (0 included);
    * ``kind="sub-cell"``: 0 < p/q < 1, so d/dx is never an integer;
    * ``kind="mixed"``: either.

    How far: on a periodic grid m runs from -(2n + 1) to 2n + 1, so shifts
    wrap around the domain, both ways. On a non-periodic grid of n cells a
    shift that carries the content past the far end leaves nothing for the
    checker to compare, so by default m stays where the discrete shifts
    (IntegerShift, LinearShift, CubicShift, without a layer) leave a cell
    to compare: |m| <= n - 1 for whole cells, and -(n - 2) <= m <= n - 3
    otherwise (-(n - 1) <= m <= n - 2 on grids of 2 or 3 cells, which only
    LinearShift compares; a 1-cell grid has no such sub-cell shift).
    ``beyond=True`` draws from -(2n + 1) to 2n + 1 cells on every grid, for
    properties of closed forms, which hold for every real d.

    On a 2-D grid a shift is a pair (dx, dy), each component drawn as above
    along its axis: ``"whole-cell"`` pairs are whole cells along both axes
    (``check_integer_shift`` takes ``grid.cells_of_shift(d)``, as ints);
    ``"sub-cell"`` pairs are not, along at least one axis (the x axis where
    it can be; the other component is then either); ``"mixed"`` pairs are
    either. A pair shrinks towards (0, 0), or towards (half a cell, 0).

    With ``op=layer`` (a symequiv layer, drawn first), m stays where the
    layer's reach (its padding, and the shorter output of ``"valid"``
    padding) and the shift's (IntegerShift at whole cells, LinearShift
    otherwise) still leave a cell to compare on the layer's output. Where
    no shift does (a layer that reads padding on every output cell of a
    small grid), the strategy draws nothing, so hypothesis discards the
    example, as a filter would. In 2-D the pair (mx, my) is chosen jointly,
    on the cells the layer's padding leaves (a layer that changes the
    image's shape, as ``"valid"`` padding does, gets no shift: the 2-D
    checks compare on the grid itself).

    d is a sympy Rational when dx is rational (always, for :func:`grids`).
    Shrinks towards 0 (``"mixed"``, ``"whole-cell"``) or half a cell
    (``"sub-cell"``), then towards simple fractions of dx. A whole-cell shift
    is ``grid.cells_of_shift(d)`` cells.

    Examples
    ========

    >>> from symequiv import Grid
    >>> from symequiv.strategies import minimal, shifts
    >>> grid = Grid(0, 1, 4)
    >>> minimal(shifts(grid, kind="sub-cell"))
    1/8
    >>> minimal(shifts(grid, kind="sub-cell"), lambda d: d < 0)
    -1/8
    >>> minimal(shifts(grid, kind="whole-cell"), lambda d: d > 0)
    1/4
    >>> minimal(shifts(grid, kind="whole-cell", beyond=True), lambda d: d > 1)
    5/4
    >>> shifts(grid, kind="sub-cell")
    shifts(Grid(0, 1, 4), kind='sub-cell')

    The paper's edge detector reads the zero padding beyond cell 3, so
    output 3 is never compared; a shift by -3 cells would leave nothing:

    >>> from symequiv import Conv, ReLU
    >>> edge = Conv([2, -2], origin=1, bias=-1) >> ReLU()
    >>> minimal(shifts(grid, kind="whole-cell", op=edge), lambda d: d < 0)
    -1/4
    >>> minimal(shifts(grid, kind="whole-cell", op=edge), lambda d: d < -grid.dx)
    -1/2

    Pairs on a 2-D grid, in units of x and y (dx = 1/4, dy = 1/2 here):

    >>> plane = Grid((0, 0), (1, 1), (4, 2), periodic=True)
    >>> minimal(shifts(plane, kind="whole-cell"), lambda d: d[1] != 0)
    (0, 1/2)
    >>> minimal(shifts(plane, kind="sub-cell"), lambda d: d[1] < 0)
    (1/8, -1/2)
    >>> plane.cells_of_shift(minimal(shifts(plane), lambda d: d[0] < 0 and d[1] > 0))
    (-1, 1)

    Parameters
    ==========

    grid : Grid
        A grid (in a test, draw it first: ``data.draw(shifts(grid))``).
    kind : str
        ``"mixed"``, ``"sub-cell"`` or ``"whole-cell"``.
    beyond : bool
        Also shifts that carry the content past the end of a non-periodic
        grid (which the checker refuses: no cell is left to compare).
    op : Layer, optional
        The layer the shifts will be checked with (see above); ``beyond``
        must then be False.
    """
    _shift_options(grid, kind, beyond, op)
    if op is not None:
        if not _layer_kinds(_shifts_with_layer(grid, op), kind):
            return st.nothing()  # the layer leaves no cell to compare: hypothesis discards the example
        return _layer_shifts(grid, kind=kind, op=op)
    return _shifts(grid, kind=kind, beyond=beyond)


def _shift_options(grid, kind, beyond, op=None):
    _check_grid(grid)
    if not isinstance(kind, str) or kind not in SHIFT_KINDS:
        raise InvalidArgument(f"Unknown kind={kind!r}; use one of {', '.join(map(repr, SHIFT_KINDS))}")
    if not isinstance(beyond, bool):
        raise InvalidArgument(f"Expected True or False for beyond but got beyond={beyond!r}")
    if op is not None:
        if not isinstance(op, Layer):
            raise InvalidArgument(
                f"Expected a symequiv layer for op but got {type(op).__name__}: {short_repr(op)}; a black box's "
                "reach is unknown to symequiv (the checker compares every cell the shift reaches: leave op out)"
            )
        if beyond:
            raise InvalidArgument("beyond=True draws shifts the checker refuses; it cannot be combined with op=")
        limit = _MAX_LAYER_CELLS[grid.dim]
        if grid.cells > limit:
            raise InvalidArgument(f"op= needs a grid of at most {limit} cells but got {grid!r}")
        for conv in _convolutions(op):
            if conv.dim != grid.dim:
                raise InvalidArgument(
                    f"op={short_repr(op)} has a {conv.dim}-D kernel but {grid!r} is {grid.dim}-D; draw the layer "
                    f"with layers(dim={grid.dim})"
                )
        return grid, kind, None
    ranges = [_shift_ranges(axis, beyond) for axis in grid.axes]
    if kind == "sub-cell" and all(sub is None for _, sub in ranges):
        where = "is not periodic and has 1 cell" if grid.dim == 1 else "has 1 cell along each non-periodic axis"
        raise InvalidArgument(
            f"{grid!r} {where}: every sub-cell shift reaches past its boundary, so the "
            "checker has no cell to compare; use more cells, a periodic grid, kind='whole-cell' or beyond=True"
        )
    return grid, kind, ranges


def _shift_ranges(grid, beyond):
    """The ranges of m (whole cells) for whole-cell and sub-cell shifts along a 1-D grid; None where there is none."""
    n = grid.n
    if beyond or grid.periodic:
        span = 2 * n + 1
        return (-span, span), (-span, span - 1)
    if n >= OPEN_MIN_CELLS:  # CubicShift reads cells j - m - 2 .. j - m + 1
        sub = (-(n - 2), n - 3)
    elif n >= 2:  # LinearShift reads cells j - m - 1 and j - m
        sub = (-(n - 1), n - 2)
    else:
        sub = None
    return (-(n - 1), n - 1), sub


def _convolutions(op):
    return [layer for layer in (op.layers if isinstance(op, Sequential) else (op,)) if isinstance(layer, Conv)]


# Largest grid (cells in all) for shifts(..., op=layer), by dimension: the search tries every
# shift, and in 2-D every pair (mx, my), on every cell.
_MAX_LAYER_CELLS = {1: 4096, 2: 1024}

# What LinearShift reads along an axis: at a whole number m of cells the cell j - m, at
# m + t (0 < t < 1) the cells j - m and j - m - 1.
_AXIS_READS = {"whole": (0,), "sub": (0, 1)}


@functools.lru_cache(maxsize=256)
def _shifts_with_layer(grid, op):
    """Per axis kinds ("whole" or "sub", one per axis): the m (a tuple, one per axis) that leave a cell to compare."""
    good = _untouched_cells(grid, op)
    if good is None:
        return {}
    spans = [2 * n + 1 for n in grid.shape]
    periodic = grid.periodic if grid.dim == 2 else (grid.periodic and good.shape[0] == grid.n,)
    found = {}
    for kinds in itertools.product(("whole", "sub"), repeat=grid.dim):
        ranges = [range(-span, span + (kind == "whole")) for span, kind in zip(spans, kinds)]
        reads = [_AXIS_READS[kind] for kind in kinds]
        leaves = {}  # along an axis that wraps, m and m + n leave the same cells
        kept = []
        for ms in itertools.product(*ranges):
            key = tuple(m % n if wraps else m for m, n, wraps in zip(ms, good.shape, periodic))
            if key not in leaves:
                leaves[key] = _leaves_a_cell(good, periodic, ms, reads)
            if leaves[key]:
                kept.append(ms)
        found[kinds] = tuple(kept)
    return found


def _untouched_cells(grid, op):
    """A boolean array, True on the output cells whose value reads no padding; None when the checker cannot compare."""
    if grid.dim == 1:
        try:
            reach = _reach(op, grid.n, grid.periodic)  # as the checker counts the cells the padding reaches
        except SymequivError:  # e.g. padding="valid" with a kernel longer than the grid
            return None
        return numpy.array([not outside for _, outside in reach], dtype=bool)
    convs = _convolutions(op)
    channels = convs[0].channels if convs else None
    shape = ((channels[1],) if channels else ()) + grid.shape
    try:
        out_shape, reads = op.output_shape(shape), op.reads(shape, grid.periodic)  # as the 2-D checker reads them
    except SymequivError:
        return None
    if tuple(out_shape[-2:]) != grid.shape:  # "valid" padding: the 2-D checks compare on the grid itself
        return None
    good = numpy.ones(grid.cells, dtype=bool)
    for position, (_, outside) in enumerate(reads):
        if outside:
            good[position % grid.cells] = False  # a channel that reads padding spoils its cell
    return good.reshape(grid.shape)


def _leaves_a_cell(good, periodic, ms, reads):
    """Whether some cell and every cell the shift by ``ms`` reads for it (``reads`` per axis) are in ``good``."""
    compared = good.copy()
    for offsets in itertools.product(*reads):
        moved = good
        for axis, (m, r) in enumerate(zip(ms, offsets)):
            moved = numpy.roll(moved, m + r, axis=axis)  # moved[j] = good[j - m - r] along this axis
            if not periodic[axis]:
                k = numpy.arange(good.shape[axis]) - m - r
                inside = (k >= 0) & (k < good.shape[axis])
                moved = moved & inside.reshape([-1 if a == axis else 1 for a in range(good.ndim)])
        compared &= moved
    return bool(compared.any())


def _layer_kinds(found, kind):
    """The per-axis kinds ``kind`` allows that have shifts, simplest first."""
    allowed = {
        "whole-cell": lambda kinds: "sub" not in kinds,
        "sub-cell": lambda kinds: "sub" in kinds,
        "mixed": lambda kinds: True,
    }[kind]
    chosen = [kinds for kinds, ms in found.items() if ms and allowed(kinds)]
    # Whole cells first, then a sub-cell shift along x before one along y.
    return sorted(chosen, key=lambda kinds: (kinds.count("sub"), tuple(k == "whole" for k in kinds)))


@_named("shifts")
def _layer_shifts(draw, grid, *, kind="mixed", op=None):
    found = _shifts_with_layer(grid, op)
    kinds = draw(st.sampled_from(_layer_kinds(found, kind)))
    # One axis after the other, each among the m that some allowed shift has with the axes before
    # it: each component then shrinks on its own (x to its smallest, then y to its smallest).
    ms = ()
    for axis in range(grid.dim):
        options = dict.fromkeys(m[axis] for m in found[kinds] if m[:axis] == ms)
        ms += (draw(st.sampled_from(sorted(options, key=lambda m: (abs(m), m < 0)))),)
    d = []
    for m, axis_kind, dx in zip(ms, kinds, _per_axis(grid.dx)):
        fraction = draw(_fractions_of_a_cell()) if axis_kind == "sub" else 0
        d.append((sympy.Integer(m) + fraction) * dx)
    return d[0] if grid.dim == 1 else tuple(d)


@_named("shifts")
def _shifts(draw, grid, *, kind="mixed", beyond=False):
    grid, kind, ranges = _shift_options(grid, kind, beyond)
    if grid.dim == 1:
        return draw(_axis_shifts(grid.dx, kind, *ranges[0]))
    if kind == "sub-cell":  # one axis sub-cell for sure, the first that can be; the other either
        axis = draw(st.sampled_from([k for k, (_, sub) in enumerate(ranges) if sub is not None]))
        kinds = ["sub-cell" if k == axis else "mixed" for k in range(2)]
    else:
        kinds = [kind, kind]
    return tuple(
        draw(_axis_shifts(dx, axis_kind, *axis_ranges)) for dx, axis_kind, axis_ranges in zip(grid.dx, kinds, ranges)
    )


@st.composite
def _axis_shifts(draw, dx, kind, whole, sub):
    """(m + p/q) dx along one axis, m in the range ``whole`` or ``sub``."""
    if kind == "mixed" and sub is None:
        kind = "whole-cell"
    if kind == "mixed":
        q = draw(st.sampled_from((1,) + _CELL_DENOMINATORS))  # q = 1: a whole-cell shift
        kind = "whole-cell" if q == 1 else "sub-cell"
    else:
        q = draw(st.sampled_from(_CELL_DENOMINATORS)) if kind == "sub-cell" else 1
    if kind == "whole-cell":
        return sympy.Integer(draw(st.integers(*whole))) * dx
    # m shrinks to 0; m = -1 gives -1 + p/q, the small negative shifts
    return (draw(st.integers(*sub)) + _R(draw(st.integers(1, q - 1)), q)) * dx


@st.composite
def _fractions_of_a_cell(draw):
    """p/q with 0 < p/q < 1, shrinking to 1/2."""
    q = draw(st.sampled_from(_CELL_DENOMINATORS))
    return _R(draw(st.integers(1, q - 1)), q)


def _per_axis(value):
    return value if isinstance(value, tuple) else (value,)


# -------------------------------------------------------------- kernels --


def kernels(*, dim=1, channels=None, min_size=1, max_size=4, values=_WEIGHTS):
    """Pairs ``(kernel, origin)`` for :class:`~symequiv.discrete.layers.Conv`: exact weights, not all zero.

    Explanation
    ===========

    ``kernel`` is a list of sympy numbers (by default rationals with
    denominators 1, 2, 3 or 4 in [-3, 3]) and ``0 <= origin < len(kernel)``.
    Shrinks towards ``([1], 0)``.

    With ``dim=2`` the kernel is nested, ``kernel[k1][k2]`` of shape
    (k1, k2) with each side in [min_size, max_size], and ``origin`` a pair
    (o1, o2); it shrinks towards ``([[1]], (0, 0))``. With
    ``channels=(C_out, C_in)`` the weights have PyTorch's layout,
    (C_out, C_in, k) or (C_out, C_in, k1, k2), nested lists.

    Examples
    ========

    >>> from symequiv.strategies import kernels, minimal
    >>> minimal(kernels())
    ([1], 0)
    >>> minimal(kernels(), lambda pair: len(pair[0]) == 3 and pair[1] == 1)
    ([0, 0, 1], 1)
    >>> minimal(kernels(dim=2))
    ([[1]], (0, 0))
    >>> minimal(kernels(dim=2), lambda pair: len(pair[0]) == 2 and pair[1] == (1, 0))
    ([[0], [1]], (1, 0))
    >>> minimal(kernels(dim=2, channels=(2, 1)))
    ([[[[0]]], [[[1]]]], (0, 0))

    Parameters
    ==========

    dim : int
        1 or 2: the kernel's spatial axes.
    channels : pair of int, optional
        (C_out, C_in), each >= 1: weights with channels.
    min_size, max_size : int
        The kernel's length (per axis), 1 <= min_size <= max_size.
    values : strategy
        The weights: a strategy of exact numbers (ints, Fractions, sympy
        Rationals; a float is taken at its binary value). It must be able
        to draw a nonzero weight.
    """
    _kernel_options(dim, channels, min_size, max_size, values)
    return _kernels(dim=dim, channels=channels, min_size=min_size, max_size=max_size, values=values)


def _kernel_options(dim, channels, min_size, max_size, values):
    dim = _check_dim(dim)
    if channels is not None:
        if isinstance(channels, str) or not isinstance(channels, Sequence) or len(channels) != 2:
            raise InvalidArgument(f"Expected a pair (C_out, C_in) for channels but got channels={channels!r}")
        channels = (_check_int(channels[0], "channels[0]", 1), _check_int(channels[1], "channels[1]", 1))
    min_size = _check_int(min_size, "min_size", 1)
    max_size = _check_int(max_size, "max_size", 1)
    _check_range(min_size, max_size, "min_size", "max_size")
    return dim, channels, min_size, max_size, _check_strategy(values, "values")


@_named("kernels")
def _kernels(draw, *, dim=1, channels=None, min_size=1, max_size=4, values=_WEIGHTS):
    dim, channels, min_size, max_size, values = _kernel_options(dim, channels, min_size, max_size, values)
    if dim == 1 and channels is None:
        weights = st.lists(values.map(_weight), min_size=min_size, max_size=max_size)
        kernel = draw(weights.filter(lambda ws: any(w != 0 for w in ws)))
        return kernel, draw(st.integers(0, len(kernel) - 1))
    size = tuple(draw(st.integers(min_size, max_size)) for _ in range(dim))
    shape = (channels or ()) + size
    count = math.prod(shape)
    weights = st.lists(values.map(_weight), min_size=count, max_size=count)
    weights = draw(weights.filter(lambda ws: any(w != 0 for w in ws)))
    origin = tuple(draw(st.integers(0, k - 1)) for k in size)
    return _nest(weights, shape), origin[0] if dim == 1 else origin


def _nest(flat, shape):
    """The flat list ``flat`` as nested lists of ``shape`` (the last index fastest)."""
    if len(shape) == 1:
        return list(flat)
    step = len(flat) // shape[0]
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def _weight(value):
    try:
        return exact_value(value, "kernel weight")
    except SymequivError as exc:
        raise InvalidArgument(f"The values strategy of kernels() drew {short_repr(value)}: {exc}") from None


# ----------------------------------------------------------- activations --


def activations():
    """The activations: ``Identity()``, ``ReLU()``, ``LeakyReLU(a)`` (0 < a < 1 rational), ``Tanh()``.

    Shrinks towards ``Identity()``, then in that order.

    >>> from symequiv.strategies import activations, minimal
    >>> minimal(activations())
    Identity()
    >>> minimal(activations(), lambda layer: layer([-1]) == [0])
    ReLU()
    >>> minimal(activations(), lambda layer: layer([-10]) == [-1]).a
    1/10
    """
    return _activations()


@_named("activations")
def _activations(draw):
    kind = draw(st.sampled_from((Identity, ReLU, LeakyReLU, Tanh)))
    if kind is not LeakyReLU:
        return kind()
    q = draw(st.sampled_from(_SLOPE_DENOMINATORS))
    return LeakyReLU(_R(draw(st.integers(1, q - 1)), q))


# --------------------------------------------------------------- layers --


def layers(*, dim=1, channels=None, max_channels=2, padding=None, mode=None, max_depth=2, max_kernel_size=3):
    """Layers ``Conv(kernel, origin=..., bias=..., padding=..., mode=...) >> activation``, stacked up to ``max_depth`` times.

    Explanation
    ===========

    Each block is a :class:`~symequiv.discrete.layers.Conv` with a kernel from
    :func:`kernels`, a small rational bias, and an activation from
    :func:`activations`. Shrinks towards ``Conv([1]) >> Identity()``.

    With ``"valid"`` padding the output is shorter than the input: apply such
    a layer to at least ``max_depth * (max_kernel_size - 1) + 1`` values.

    With ``dim=2`` the kernels are 2-D (``kernels(dim=2)``, at most
    ``max_kernel_size`` per axis) and the layer maps images (nx, ny); it
    shrinks towards ``Conv([[1]]) >> Identity()``. By default its padding is
    ``"zeros"``, ``"circular"`` or ``"edge"``: the 2-D checks compare on the
    grid itself, so ``"valid"`` (which shrinks the image) is drawn only when
    asked for. With ``channels=C`` the layer takes C input channels, shape
    (C, n) or (C, nx, ny) (a scene given as a tuple of C signals), and every
    Conv has weights (C_out, C_in, ...) with 1 <= C_out <= ``max_channels``
    and one bias per output channel.

    Examples
    ========

    >>> from symequiv.strategies import layers, minimal
    >>> minimal(layers())
    Sequential(Conv([1]), Identity())
    >>> minimal(layers(padding="circular"), lambda layer: len(layer.layers) > 2)
    Sequential(Conv([1], padding='circular'), Identity(), Conv([1], padding='circular'), Identity())
    >>> minimal(layers(dim=2))
    Sequential(Conv([[1]]), Identity())
    >>> minimal(layers(dim=2, channels=2), lambda layer: layer.layers[0].channels == (2, 2))
    Sequential(Conv([[[[0]], [[0]]], [[[0]], [[1]]]]), Identity())

    Parameters
    ==========

    dim : int
        1 or 2: the layer's spatial axes.
    channels : int, optional
        The number of input channels (>= 1); None for values without a channel axis.
    max_channels : int
        With ``channels``: at most this many output channels per Conv (>= 1).
    padding : None, str or list of str
        The padding of every Conv, or those to draw from; None for all of
        ``"zeros"``, ``"circular"``, ``"edge"``, ``"valid"`` (in 2-D all but ``"valid"``).
    mode : None, str or list of str
        ``"convolution"`` or ``"correlation"``, or those to draw from; None for both.
    max_depth : int
        At most this many Conv >> activation blocks (>= 1).
    max_kernel_size : int
        The longest kernel (per axis; >= 1).
    """
    _layer_options(dim, channels, max_channels, padding, mode, max_depth, max_kernel_size)
    return _layers(
        dim=dim, channels=channels, max_channels=max_channels, padding=padding, mode=mode,
        max_depth=max_depth, max_kernel_size=max_kernel_size,
    )


def _layer_options(dim, channels, max_channels, padding, mode, max_depth, max_kernel_size):
    dim = _check_dim(dim)
    if channels is not None:
        channels = _check_int(channels, "channels", 1)
    max_channels = _check_int(max_channels, "max_channels", 1)
    paddings = _check_choices(padding, "padding", PADDINGS)
    if padding is None and dim == 2:
        paddings = _PADDINGS_2D  # "valid" only when asked for
    modes = _check_choices(mode, "mode", MODES)
    max_depth = _check_int(max_depth, "max_depth", 1)
    max_kernel_size = _check_int(max_kernel_size, "max_kernel_size", 1)
    return dim, channels, max_channels, paddings, modes, max_depth, max_kernel_size


# The paddings layers(dim=2) draws from by default: the 2-D checks compare on the grid itself.
_PADDINGS_2D = tuple(p for p in PADDINGS if p != "valid")


@_named("layers")
def _layers(draw, *, dim=1, channels=None, max_channels=2, padding=None, mode=None, max_depth=2, max_kernel_size=3):
    dim, channels, max_channels, paddings, modes, max_depth, max_kernel_size = _layer_options(
        dim, channels, max_channels, padding, mode, max_depth, max_kernel_size
    )
    depth = draw(st.integers(1, max_depth))
    blocks = []
    for _ in range(depth):
        if channels is None:
            kernel, origin = draw(kernels(dim=dim, max_size=max_kernel_size))
            bias = draw(_rationals(-2, 2))
        else:
            outputs = draw(st.integers(1, max_channels))
            kernel, origin = draw(kernels(dim=dim, channels=(outputs, channels), max_size=max_kernel_size))
            bias = [draw(_rationals(-2, 2)) for _ in range(outputs)]
            channels = outputs
        conv = Conv(
            kernel,
            origin=origin,
            bias=bias,
            padding=draw(st.sampled_from(paddings)),
            mode=draw(st.sampled_from(modes)),
        )
        blocks += [conv, draw(activations())]
    return Sequential(*blocks)


# -------------------------------------------------------------- signals --


def signals(*, families=None, max_terms=2, periodic_period=None, bounds=_BOUNDS):
    """Exact signals from families symequiv supports, and sums of them.

    Explanation
    ===========

    A signal is a sum of 1 to ``max_terms`` terms, each a nonzero rational
    amplitude times a shape from one of the ``families``:

    * ``"polynomial"``: c_0 + c_1 x + ... + c_3 x**3;
    * ``"trigonometric"``: sin(k x) or cos(k x), possibly times another;
    * ``"exponential"``: exp(c x), possibly times sin(k x) or cos(k x);
    * ``"gaussian"``: exp(-w (x - m)**2);
    * ``"step"``: Heaviside(x - s) (with H(0) = 0, as in the paper);
    * ``"ramp"``: Max(0, x - s) or Max(0, s - x);
    * ``"box"``: Piecewise((1, (x > l) & (x < r)), (0, True));
    * ``"hat"``: Max(0, 1 - Abs((x - m)/w)).

    The constants are exact rationals (frequencies may be rational multiples
    of pi); steps, box edges, hat and Gaussian centres lie in ``bounds``. Every
    breakpoint is rational, and sympy finds an antiderivative of every shape
    quickly, so ``CellAverage(grid).closed_form(signal)`` works.

    With ``periodic_period=L`` the signal is instead a sum of harmonics
    a sin(2 pi k x / L) and a cos(2 pi k x / L), k = 1, 2, 3, declared with
    ``period=L``, for periodic grids whose length is a multiple of L.
    Shrinks towards ``Signal('1')``, or towards ``sin(2*pi*x/L)`` when
    periodic.

    Examples
    ========

    >>> from symequiv.strategies import minimal, signals
    >>> minimal(signals())
    Signal('1')
    >>> minimal(signals(families=["step", "hat"]), lambda f: f(1) != 0)
    Signal('Heaviside(x, 0)')
    >>> minimal(signals(periodic_period=2))
    Signal('sin(pi*x)', period=2)

    Parameters
    ==========

    families : None, str or list of str
        The families to draw from (see :data:`SIGNAL_FAMILIES`); None for all.
    max_terms : int
        At most this many terms (>= 1). Closed forms of long sums take longer:
        sympy integrates a sum of three Gaussians in seconds, not milliseconds.
    periodic_period : positive number, optional
        Draw L-periodic sums of harmonics instead (``families`` must be None).
    bounds : pair of rational numbers
        (low, high): where the features of the signal lie.
    """
    _signal_options(families, max_terms, periodic_period, bounds)
    return _signals(families=families, max_terms=max_terms, periodic_period=periodic_period, bounds=bounds)


def _signal_options(families, max_terms, periodic_period, bounds):
    families = _families(families, SIGNAL_FAMILIES, periodic_period)
    max_terms = _check_int(max_terms, "max_terms", 1)
    low, high = _check_bounds(bounds)
    period = None if periodic_period is None else _check_period(periodic_period, "periodic_period")
    return families, max_terms, period, low, high


def _families(families, allowed, periodic_period):
    """The chosen families in the canonical order of ``allowed``, so that shrinking follows it."""
    chosen = _check_choices(families, "families", allowed)
    if periodic_period is not None and families is not None:
        raise InvalidArgument(
            f"periodic_period={periodic_period!r} draws sums of harmonics and cannot be combined with "
            f"families={families!r}; leave families out"
        )
    return tuple(f for f in allowed if f in chosen)


def _check_period(value, name):
    try:
        period = exact_number(value, name)
    except SymequivError as exc:
        raise InvalidArgument(str(exc)) from None
    if not period > 0:
        raise InvalidArgument(f"Expected a positive {name} but got {name}={value!r}")
    return period


@_named("signals")
def _signals(draw, *, families=None, max_terms=2, periodic_period=None, bounds=_BOUNDS):
    families, max_terms, period, low, high = _signal_options(families, max_terms, periodic_period, bounds)
    count = draw(st.integers(1, max_terms))
    if period is not None:
        terms = [draw(_harmonics(period)) for _ in range(count)]
        return Signal(sympy.Add(*terms), period=period)
    terms = []
    for _ in range(count):
        family = draw(st.sampled_from(families))
        amplitude = draw(_nonzero_rationals(3))
        terms.append(amplitude * draw(_SHAPES[family](low, high)))
    return Signal(sympy.Add(*terms))


@st.composite
def _harmonics(draw, period):
    amplitude = draw(_nonzero_rationals(3))
    wave = draw(st.sampled_from((sympy.sin, sympy.cos)))
    k = draw(st.integers(1, 3))
    return amplitude * wave(2 * sympy.pi * k * x / period)


@st.composite
def _polynomial(draw, low, high):
    # Monic: the term's amplitude is the leading coefficient.
    degree = draw(st.integers(0, 3))
    lower = [draw(_rationals(-3, 3)) for _ in range(degree)]
    return x**degree + sympy.Add(*(c * x**i for i, c in enumerate(lower)))


@st.composite
def _wave(draw):
    wave = draw(st.sampled_from((sympy.sin, sympy.cos)))
    return wave(draw(st.sampled_from(_FREQUENCIES)) * x)


@st.composite
def _trigonometric(draw, low, high):
    shape = draw(_wave())
    if draw(st.booleans()):
        shape *= draw(_wave())
    return shape


@st.composite
def _exponential(draw, low, high):
    shape = sympy.exp(draw(_nonzero_rationals(2, (1, 2, 4))) * x)
    if draw(st.booleans()):
        shape *= draw(_wave())
    return shape


@st.composite
def _gaussian(draw, low, high):
    width = draw(st.sampled_from(_GAUSSIAN_WIDTHS))
    return sympy.exp(-width * (x - draw(_rationals(low, high))) ** 2)


@st.composite
def _step(draw, low, high):
    return sympy.Heaviside(x - draw(_rationals(low, high)), 0)


@st.composite
def _ramp(draw, low, high):
    corner = draw(_rationals(low, high))
    rising = not draw(st.booleans())
    return sympy.Max(0, x - corner if rising else corner - x)


@st.composite
def _box(draw, low, high):
    left = draw(_rationals(low, high))
    right = left + draw(st.sampled_from(_WIDTHS))
    return sympy.Piecewise((1, (x > left) & (x < right)), (0, True))


@st.composite
def _hat(draw, low, high):
    center = draw(_rationals(low, high))
    width = draw(st.sampled_from(_WIDTHS))
    return sympy.Max(0, 1 - sympy.Abs((x - center) / width))


_SHAPES = {
    "polynomial": _polynomial,
    "trigonometric": _trigonometric,
    "exponential": _exponential,
    "gaussian": _gaussian,
    "step": _step,
    "ramp": _ramp,
    "box": _box,
    "hat": _hat,
}


# --------------------------------------------------------------- scenes --


def scenes(*, families=None, max_terms=2, periodic_period=None, bounds=_BOUNDS):
    """Exact scenes f(x, y) for 2-D grids, from families whose cell averages symequiv derives exactly.

    Explanation
    ===========

    A scene is a sum of 1 to ``max_terms`` terms, each a nonzero rational
    amplitude times a shape from one of the ``families``:

    * ``"polynomial"``: a polynomial in x and y of total degree at most 2;
    * ``"separable"``: g(x) h(y), each factor a shape of :func:`signals`
      (polynomial, trigonometric, exponential, step, ramp, box or hat; the
      Gaussian is left out, as 2-D averages of it have no closed form yet);
      a factor shrinks to 1, so a function of x alone is one too;
    * ``"wave"``: sin(k (a x + b y)) or cos(k (a x + b y)), an oblique plane wave;
    * ``"edge"``: Heaviside(a x + b y + c), an oriented edge (H(0) = 0);
    * ``"ramp"``: (a x + b y + c) Heaviside(a x + b y + c);
    * ``"polygon"``: a small convex polygon, a product of Heaviside
      half-planes: a triangle or a diamond.

    a, b and c are rational, a and b nonzero (the edge is oblique), and the
    line passes through a point of ``bounds``, as the vertices of a polygon
    lie near one. Every scene goes by an exact route of
    :mod:`symequiv.continuous.scene` (separable terms, oriented edges and
    ramps, exact polygon areas), so ``CellAverage(grid)`` of it is exact.

    With ``periodic_period=(Lx, Ly)`` the scene is instead a sum of
    harmonics a sin(2 pi (kx x / Lx + ky y / Ly)) and a cos(...), with
    |kx|, |ky| <= 2, declared with ``period=(Lx, Ly)``: band-limited, for
    periodic grids whose sides are multiples of the periods. An axis
    without a period (None) has no harmonics along it. Shrinks towards
    ``Signal('1')``, or towards sin(2 pi x / Lx) when periodic.

    A scene with channels is a tuple of scenes: draw it with
    ``st.tuples(scenes(), scenes())``.

    Examples
    ========

    >>> from symequiv.strategies import minimal, scenes
    >>> minimal(scenes())
    Signal('1')
    >>> minimal(scenes(), lambda f: f.dim == 2)
    Signal('y')
    >>> minimal(scenes(families="edge"))
    Signal('Heaviside(x + y, 0)')
    >>> minimal(scenes(families=["ramp", "polygon"]), lambda f: len(f.expr.atoms(sympy.Heaviside)) > 1)
    Signal('Heaviside(x, 0)*Heaviside(y, 0)*Heaviside(-x - y + 1, 0)')
    >>> minimal(scenes(periodic_period=(1, "1/2")), lambda f: f.expr.has(y))
    Signal('sin(4*pi*y)', period=(1, S(1)/2))

    Parameters
    ==========

    families : None, str or list of str
        The families to draw from (see :data:`SCENE_FAMILIES`); None for all.
    max_terms : int
        At most this many terms (>= 1).
    periodic_period : number or pair, optional
        (Lx, Ly), positive numbers or None for an axis without a period
        (one number: the same on both axes). Draw sums of harmonics instead
        (``families`` must be None).
    bounds : pair of rational numbers, or one pair per axis
        (low, high): where the features of the scene lie.
    """
    _scene_options(families, max_terms, periodic_period, bounds)
    return _scenes(families=families, max_terms=max_terms, periodic_period=periodic_period, bounds=bounds)


def _scene_options(families, max_terms, periodic_period, bounds):
    families = _families(families, SCENE_FAMILIES, periodic_period)
    max_terms = _check_int(max_terms, "max_terms", 1)
    bounds = _check_axis_bounds(bounds, 2)
    periods = None
    if periodic_period is not None:
        if isinstance(periodic_period, Sequence) and not isinstance(periodic_period, str):
            if len(periodic_period) != 2 or all(p is None for p in periodic_period):
                raise InvalidArgument(
                    f"Expected a period per axis (Lx, Ly), None on an axis without one (not both), but got "
                    f"periodic_period={periodic_period!r}"
                )
            periods = tuple(
                None if p is None else _check_period(p, f"periodic_period[{axis}]")
                for axis, p in enumerate(periodic_period)
            )
        else:
            periods = (_check_period(periodic_period, "periodic_period"),) * 2
    return families, max_terms, periods, bounds


@_named("scenes")
def _scenes(draw, *, families=None, max_terms=2, periodic_period=None, bounds=_BOUNDS):
    families, max_terms, periods, bounds = _scene_options(families, max_terms, periodic_period, bounds)
    count = draw(st.integers(1, max_terms))
    if periods is not None:
        return Signal(sympy.Add(*(draw(_plane_harmonics(periods)) for _ in range(count))), period=periods)
    terms = []
    for _ in range(count):
        family = draw(st.sampled_from(families))
        amplitude = draw(_nonzero_rationals(3))
        terms.append(amplitude * draw(_SCENE_SHAPES[family](*bounds)))
    return Signal(sympy.Add(*terms))


@st.composite
def _plane_harmonics(draw, periods):
    amplitude = draw(_nonzero_rationals(3))
    wave = draw(st.sampled_from((sympy.sin, sympy.cos)))
    # Along x, along y, or both (an oblique harmonic); only along axes with a period.
    patterns = [p for p in ((True, False), (False, True), (True, True)) if all(L or not u for L, u in zip(periods, p))]
    along = draw(st.sampled_from(patterns))
    kx = draw(st.integers(1, 2)) if along[0] else 0
    ky = draw(st.integers(1, 2)) * (-1 if along[0] and draw(st.booleans()) else 1) if along[1] else 0
    return amplitude * wave(sympy.Add(*(2 * sympy.pi * k * v / L for k, v, L in zip((kx, ky), (x, y), periods) if k)))


@st.composite
def _scene_polynomial(draw, x_bounds, y_bounds):
    # The leading monomial x**(degree - i) * y**i (x first), then lower terms with rational coefficients.
    degree = draw(st.integers(0, 2))
    i = draw(st.integers(0, degree))
    lower = [(total - j, j) for total in range(degree) for j in range(total + 1)]
    return x ** (degree - i) * y**i + sympy.Add(*(draw(_rationals(-3, 3)) * x**a * y**b for a, b in lower))


@st.composite
def _separable(draw, x_bounds, y_bounds):
    along_x = draw(_SHAPES[draw(st.sampled_from(_FACTOR_FAMILIES))](*x_bounds))
    along_y = draw(_SHAPES[draw(st.sampled_from(_FACTOR_FAMILIES))](*y_bounds))
    return along_x * along_y.xreplace({x: y})


@st.composite
def _plane_wave(draw, x_bounds, y_bounds):
    wave = draw(st.sampled_from((sympy.sin, sympy.cos)))
    a = draw(st.integers(1, 2))
    b = draw(st.integers(1, 2)) * (-1 if draw(st.booleans()) else 1)
    return wave(draw(st.sampled_from(_FREQUENCIES)) * (a * x + b * y))


@st.composite
def _line(draw, x_bounds, y_bounds):
    """u = a (x - px) + b (y - py), a, b nonzero, through a point (px, py) of the bounds."""
    a, b = draw(_nonzero_rationals(2, (1, 2))), draw(_nonzero_rationals(2, (1, 2)))
    px, py = draw(_rationals(*x_bounds)), draw(_rationals(*y_bounds))
    return _primitive(a * (x - px) + b * (y - py))


def _primitive(u):
    """The linear form ``u`` over its (positive) content: the same half-plane u > 0, in small integers."""
    return sympy.primitive(sympy.expand(u))[1]


@st.composite
def _edge(draw, x_bounds, y_bounds):
    return sympy.Heaviside(draw(_line(x_bounds, y_bounds)), 0)


@st.composite
def _oblique_ramp(draw, x_bounds, y_bounds):
    u = draw(_line(x_bounds, y_bounds))
    return u * sympy.Heaviside(u, 0)


@st.composite
def _polygon(draw, x_bounds, y_bounds):
    px, py = draw(_rationals(*x_bounds)), draw(_rationals(*y_bounds))
    if draw(st.booleans()):  # a diamond |x - px| / rx + |y - py| / ry < 1
        rx, ry = draw(st.sampled_from(_WIDTHS)), draw(st.sampled_from(_WIDTHS))
        sides = [1 + sx * (x - px) / rx + sy * (y - py) / ry for sx in (1, -1) for sy in (1, -1)]
    else:  # a triangle P, P + (w1, t1 w1), P + (t2 w2, w2): counter-clockwise, as |t1 t2| < 1
        w1, w2 = draw(st.sampled_from(_WIDTHS)), draw(st.sampled_from(_WIDTHS))
        t1, t2 = draw(_rationals(-_R(1, 2), _R(1, 2))), draw(_rationals(-_R(1, 2), _R(1, 2)))
        corners = [(px, py), (px + w1, py + t1 * w1), (px + t2 * w2, py + w2)]
        # The interior is on the left of each side P -> Q: (Q - P) x ((x, y) - P) > 0.
        sides = [
            (qx - vx) * (y - vy) - (qy - vy) * (x - vx)
            for (vx, vy), (qx, qy) in zip(corners, corners[1:] + corners[:1])
        ]
    return sympy.Mul(*(sympy.Heaviside(_primitive(u), 0) for u in sides))


_SCENE_SHAPES = {
    "polynomial": _scene_polynomial,
    "separable": _separable,
    "wave": _plane_wave,
    "edge": _edge,
    "ramp": _oblique_ramp,
    "polygon": _polygon,
}


# --------------------------------------------------------- discretizers --


def discretizers(grid):
    """``CellAverage(grid)``, ``PointSample(grid)`` or ``PointSample(grid, at="left")``, shrinking in that order.

    The grid may be 1-D or 2-D (``at="left"`` samples the lower-left corner of each cell there).

    >>> from symequiv import Grid
    >>> from symequiv.strategies import discretizers, minimal
    >>> minimal(discretizers(Grid(0, 1, 4)))
    CellAverage(Grid(0, 1, 4))
    >>> minimal(discretizers(Grid((0, 0), (1, 1), (2, 2))), lambda D: D != CellAverage(D.grid))
    PointSample(Grid((0, 0), (1, 1), (2, 2)))
    """
    _check_grid(grid)
    return _discretizers(grid)


@_named("discretizers")
def _discretizers(draw, grid):
    return draw(st.sampled_from((CellAverage(grid), PointSample(grid), PointSample(grid, at="left"))))
