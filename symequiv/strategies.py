"""Hypothesis strategies for symequiv objects: grids, shifts, layers, signals.

Explanation
===========

Each function returns a hypothesis strategy. The strategies compose: draw a
grid, then shifts, signals or discretizers that fit it, inside your own
property tests. This example runs as it is (pytest collects the function in
a test file; here it is called):

>>> from hypothesis import given, settings, strategies as st
>>> import symequiv as se
>>> from symequiv.strategies import discretizers, grids, layers, shifts, signals
>>> @settings(max_examples=5, deadline=None)  # a check takes longer than hypothesis's 200 ms deadline
... @given(grid=grids(periodic=True, max_cells=4), data=st.data())
... def test_circular_layers_commute_with_whole_cell_shifts(grid, data):
...     D = data.draw(discretizers(grid))
...     f = data.draw(signals(periodic_period=grid.length))
...     n = int(grid.cells_of_shift(data.draw(shifts(grid, kind="whole-cell"))))  # d in x, n in cells
...     layer = data.draw(layers(padding="circular"))
...     assert se.check_integer_shift(D, f, n, layer).holds is True
>>> test_circular_layers_commute_with_whole_cell_shifts()

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
shift does).

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
from .continuous.symbols import x

__all__ = [
    "grids",
    "shifts",
    "kernels",
    "activations",
    "layers",
    "signals",
    "discretizers",
    "minimal",
    "SHIFT_KINDS",
    "SIGNAL_FAMILIES",
    "OPEN_MIN_CELLS",
]

#: The kinds of shift :func:`shifts` draws.
SHIFT_KINDS = ("mixed", "sub-cell", "whole-cell")

#: The fewest cells :func:`grids` gives a non-periodic grid by default: CubicShift at
#: a sub-cell shift reads 4 neighbouring cells, so fewer leave no cell to compare.
OPEN_MIN_CELLS = 4

#: The families :func:`signals` draws from, simplest first.
SIGNAL_FAMILIES = ("polynomial", "trigonometric", "exponential", "gaussian", "step", "ramp", "box", "hat")

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


def grids(*, periodic=None, min_cells=None, max_cells=8, bounds=_BOUNDS):
    """Uniform grids with exact rational bounds inside ``bounds``.

    Explanation
    ===========

    The domain [start, stop] has rational ends with small denominators, and
    low <= start < stop <= high. Shrinks towards ``Grid(0, 1, min_cells)``
    (when ``bounds`` allow it), non-periodic when ``periodic`` is None.

    By default a periodic grid has at least 1 cell and a non-periodic one at
    least :data:`OPEN_MIN_CELLS` = 4 (or ``max_cells``, if fewer): on fewer
    cells every cell of a non-periodic grid is reached by the boundary at a
    sub-cell shift with CubicShift, and the checker has nothing to compare.

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

    Parameters
    ==========

    periodic : bool or None
        True or False for only periodic or only non-periodic grids; None for either.
    min_cells, max_cells : int
        The number of cells, 1 <= min_cells <= max_cells. ``min_cells=None``
        (the default): 1 for a periodic grid, ``OPEN_MIN_CELLS`` for another.
    bounds : pair of rational numbers
        (low, high), low < high: the domain lies in [low, high].
    """
    _grid_options(periodic, min_cells, max_cells, bounds)
    return _grids(periodic=periodic, min_cells=min_cells, max_cells=max_cells, bounds=bounds)


def _grid_options(periodic, min_cells, max_cells, bounds):
    _check_flag(periodic, "periodic")
    max_cells = _check_int(max_cells, "max_cells", 1, MAX_CELLS)
    if min_cells is not None:
        min_cells = _check_int(min_cells, "min_cells", 1, MAX_CELLS)
        _check_range(min_cells, max_cells, "min_cells", "max_cells")
    low, high = _check_bounds(bounds)
    return periodic, min_cells, max_cells, low, high


@_named("grids")
def _grids(draw, *, periodic=None, min_cells=None, max_cells=8, bounds=_BOUNDS):
    periodic, min_cells, max_cells, low, high = _grid_options(periodic, min_cells, max_cells, bounds)
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
    """Exact shifts d (in units of x) for ``grid``: sub-cell, whole-cell or both.

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

    With ``op=layer`` (a symequiv layer, drawn first), m stays where the
    layer's reach (its padding, and the shorter output of ``"valid"``
    padding) and the shift's (IntegerShift at whole cells, LinearShift
    otherwise) still leave a cell to compare on the layer's output. Where
    no shift does (a layer that reads padding on every output cell of a
    small grid), the strategy draws nothing, so hypothesis discards the
    example, as a filter would.

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
        whole, sub = _shifts_with_layer(grid, op)
        if not {"whole-cell": whole, "sub-cell": sub, "mixed": whole or sub}[kind]:
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
        if grid.n > _MAX_LAYER_CELLS:
            raise InvalidArgument(f"op= needs a grid of at most {_MAX_LAYER_CELLS} cells but got {grid!r}")
        return grid, kind, None, None
    whole, sub = _shift_ranges(grid, beyond)
    if kind == "sub-cell" and sub is None:
        raise InvalidArgument(
            f"{grid!r} is not periodic and has 1 cell: every sub-cell shift reaches past its boundary, so the "
            "checker has no cell to compare; use more cells, a periodic grid, kind='whole-cell' or beyond=True"
        )
    return grid, kind, whole, sub


def _shift_ranges(grid, beyond):
    """The ranges of m (whole cells) for whole-cell and sub-cell shifts; None where there is none."""
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


# Largest grid for shifts(..., op=layer): its search is quadratic in the cells.
_MAX_LAYER_CELLS = 4096


@functools.lru_cache(maxsize=256)
def _shifts_with_layer(grid, op):
    """The whole-cell and sub-cell m (sorted as they should shrink) that leave a cell to compare after ``op``."""
    try:
        reach = _reach(op, grid.n, grid.periodic)  # as the checker counts the cells the padding reaches
    except SymequivError:  # e.g. padding="valid" with a kernel longer than the grid
        return [], []
    out_n = len(reach)
    periodic = grid.periodic and out_n == grid.n  # "valid" padding leaves a shorter grid that does not wrap
    good = numpy.array([not outside for _, outside in reach], dtype=bool)
    span = 2 * grid.n + 1

    def leaves_a_cell(m, offsets):
        compared = good.copy()
        for r in offsets:
            moved = numpy.roll(good, m + r)  # moved[j] = good[j - m - r]
            if not periodic:
                k = numpy.arange(out_n) - m - r
                moved &= (k >= 0) & (k < out_n)
            compared &= moved
        return bool(compared.any())

    order = sorted(range(-span, span + 1), key=lambda m: (abs(m), m < 0))
    whole = tuple(m for m in order if leaves_a_cell(m, (0,)))
    sub = tuple(m for m in order if m < span and leaves_a_cell(m, (0, 1)))  # LinearShift reads j - m and j - m - 1
    return whole, sub


@_named("shifts")
def _layer_shifts(draw, grid, *, kind="mixed", op=None):
    whole, sub = _shifts_with_layer(grid, op)
    if kind == "mixed" and not (whole and sub):
        kind = "whole-cell" if whole else "sub-cell"
    if kind == "mixed":
        q = draw(st.sampled_from((1,) + _CELL_DENOMINATORS))
        kind = "whole-cell" if q == 1 else "sub-cell"
    else:
        q = draw(st.sampled_from(_CELL_DENOMINATORS)) if kind == "sub-cell" else 1
    if kind == "whole-cell":
        return sympy.Integer(draw(st.sampled_from(whole))) * grid.dx
    return (draw(st.sampled_from(sub)) + _R(draw(st.integers(1, q - 1)), q)) * grid.dx


@_named("shifts")
def _shifts(draw, grid, *, kind="mixed", beyond=False):
    grid, kind, whole, sub = _shift_options(grid, kind, beyond)
    if kind == "mixed" and sub is None:
        kind = "whole-cell"
    if kind == "mixed":
        q = draw(st.sampled_from((1,) + _CELL_DENOMINATORS))  # q = 1: a whole-cell shift
        kind = "whole-cell" if q == 1 else "sub-cell"
    else:
        q = draw(st.sampled_from(_CELL_DENOMINATORS)) if kind == "sub-cell" else 1
    if kind == "whole-cell":
        return sympy.Integer(draw(st.integers(*whole))) * grid.dx
    # m shrinks to 0; m = -1 gives -1 + p/q, the small negative shifts
    return (draw(st.integers(*sub)) + _R(draw(st.integers(1, q - 1)), q)) * grid.dx


# -------------------------------------------------------------- kernels --


def kernels(*, min_size=1, max_size=4, values=_WEIGHTS):
    """Pairs ``(kernel, origin)`` for :class:`~symequiv.discrete.layers.Conv`: exact weights, not all zero.

    Explanation
    ===========

    ``kernel`` is a list of sympy numbers (by default rationals with
    denominators 1, 2, 3 or 4 in [-3, 3]) and ``0 <= origin < len(kernel)``.
    Shrinks towards ``([1], 0)``.

    Examples
    ========

    >>> from symequiv.strategies import kernels, minimal
    >>> minimal(kernels())
    ([1], 0)
    >>> minimal(kernels(), lambda pair: len(pair[0]) == 3 and pair[1] == 1)
    ([0, 0, 1], 1)

    Parameters
    ==========

    min_size, max_size : int
        The kernel's length, 1 <= min_size <= max_size.
    values : strategy
        The weights: a strategy of exact numbers (ints, Fractions, sympy
        Rationals; a float is taken at its binary value). It must be able
        to draw a nonzero weight.
    """
    _kernel_options(min_size, max_size, values)
    return _kernels(min_size=min_size, max_size=max_size, values=values)


def _kernel_options(min_size, max_size, values):
    min_size = _check_int(min_size, "min_size", 1)
    max_size = _check_int(max_size, "max_size", 1)
    _check_range(min_size, max_size, "min_size", "max_size")
    return min_size, max_size, _check_strategy(values, "values")


@_named("kernels")
def _kernels(draw, *, min_size=1, max_size=4, values=_WEIGHTS):
    min_size, max_size, values = _kernel_options(min_size, max_size, values)
    weights = st.lists(values.map(_weight), min_size=min_size, max_size=max_size)
    kernel = draw(weights.filter(lambda ws: any(w != 0 for w in ws)))
    origin = draw(st.integers(0, len(kernel) - 1))
    return kernel, origin


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


def layers(*, padding=None, mode=None, max_depth=2, max_kernel_size=3):
    """Layers ``Conv(kernel, origin=..., bias=..., padding=..., mode=...) >> activation``, stacked up to ``max_depth`` times.

    Explanation
    ===========

    Each block is a :class:`~symequiv.discrete.layers.Conv` with a kernel from
    :func:`kernels`, a small rational bias, and an activation from
    :func:`activations`. Shrinks towards ``Conv([1]) >> Identity()``.

    With ``"valid"`` padding the output is shorter than the input: apply such
    a layer to at least ``max_depth * (max_kernel_size - 1) + 1`` values.

    Examples
    ========

    >>> from symequiv.strategies import layers, minimal
    >>> minimal(layers())
    Sequential(Conv([1]), Identity())
    >>> minimal(layers(padding="circular"), lambda layer: len(layer.layers) > 2)
    Sequential(Conv([1], padding='circular'), Identity(), Conv([1], padding='circular'), Identity())

    Parameters
    ==========

    padding : None, str or list of str
        The padding of every Conv, or those to draw from; None for all of
        ``"zeros"``, ``"circular"``, ``"edge"``, ``"valid"``.
    mode : None, str or list of str
        ``"convolution"`` or ``"correlation"``, or those to draw from; None for both.
    max_depth : int
        At most this many Conv >> activation blocks (>= 1).
    max_kernel_size : int
        The longest kernel (>= 1).
    """
    _layer_options(padding, mode, max_depth, max_kernel_size)
    return _layers(padding=padding, mode=mode, max_depth=max_depth, max_kernel_size=max_kernel_size)


def _layer_options(padding, mode, max_depth, max_kernel_size):
    paddings = _check_choices(padding, "padding", PADDINGS)
    modes = _check_choices(mode, "mode", MODES)
    max_depth = _check_int(max_depth, "max_depth", 1)
    max_kernel_size = _check_int(max_kernel_size, "max_kernel_size", 1)
    return paddings, modes, max_depth, max_kernel_size


@_named("layers")
def _layers(draw, *, padding=None, mode=None, max_depth=2, max_kernel_size=3):
    paddings, modes, max_depth, max_kernel_size = _layer_options(padding, mode, max_depth, max_kernel_size)
    depth = draw(st.integers(1, max_depth))
    blocks = []
    for _ in range(depth):
        kernel, origin = draw(kernels(max_size=max_kernel_size))
        conv = Conv(
            kernel,
            origin=origin,
            bias=draw(_rationals(-2, 2)),
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
    chosen = _check_choices(families, "families", SIGNAL_FAMILIES)
    max_terms = _check_int(max_terms, "max_terms", 1)
    low, high = _check_bounds(bounds)
    period = None
    if periodic_period is not None:
        if families is not None:
            raise InvalidArgument(
                f"periodic_period={periodic_period!r} draws sums of harmonics and cannot be combined with "
                f"families={families!r}; leave families out"
            )
        try:
            period = exact_number(periodic_period, "periodic_period")
        except SymequivError as exc:
            raise InvalidArgument(str(exc)) from None
        if not period > 0:
            raise InvalidArgument(f"Expected a positive periodic_period but got periodic_period={periodic_period!r}")
    # Families in the canonical order, so that shrinking follows SIGNAL_FAMILIES.
    return tuple(f for f in SIGNAL_FAMILIES if f in chosen), max_terms, period, low, high


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


# --------------------------------------------------------- discretizers --


def discretizers(grid):
    """``CellAverage(grid)``, ``PointSample(grid)`` or ``PointSample(grid, at="left")``, shrinking in that order.

    >>> from symequiv import Grid
    >>> from symequiv.strategies import discretizers, minimal
    >>> minimal(discretizers(Grid(0, 1, 4)))
    CellAverage(Grid(0, 1, 4))
    """
    _check_grid(grid)
    return _discretizers(grid)


@_named("discretizers")
def _discretizers(draw, grid):
    return draw(st.sampled_from((CellAverage(grid), PointSample(grid), PointSample(grid, at="left"))))
