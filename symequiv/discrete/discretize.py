"""Discretization operators D^h: continuous signals to one value per cell.

Two discretizers, both exact:

* :class:`CellAverage`: D_j[f] = (1/dx) * integral of f over cell j;
* :class:`PointSample`: D_j[f] = f(p_j) at the cell's center or left edge.

``D(f)`` gives the exact cell values; ``D.closed_form(f)`` gives each cell's
value of D[f.shifted(delta)] as a sympy expression in :data:`symequiv.delta`,
valid for every real delta, written as a Piecewise on clean intervals:

>>> from symequiv import CellAverage, Grid, Signal
>>> D = CellAverage(Grid(-1, 1, 4))
>>> H = Signal("Heaviside(x)")
>>> D(H)
Values([0, 0, 1, 1])
>>> D.closed_form(H)[2]
Piecewise((1, delta <= 0), (1 - 2*delta, delta <= 1/2), (0, True))

How: translation commutes with antidifferentiation, so the antiderivative F
of the *unshifted* signal is found once (piece by piece, made continuous) and
cell j over [a, b] is (F(b - delta) - F(a - delta))/dx. No integral with a
symbolic shift is ever asked of sympy.

On a periodic grid a signal is periodic with the grid's length: either it
declares a period that divides that length (or sympy finds one), or it is read
on [start, stop) and repeated; its closed forms then depend on
Mod(delta, stop - start).
"""

import abc
import functools

import sympy

from ..numeric import exact
from ..continuous.antiderivative import NotReal, UncheckedAntiderivative, unbounded_points
from ..numeric.budget import SYMPY_BUDGET_SECONDS, time_budget
from ..errors import InvalidArgument, InvalidType, UnsupportedSignal, short_repr, short_str
from ..continuous.grid import Grid
from ..continuous.piecewise import PiecewiseFunction, _index_of_interval
from ..continuous.signal import Signal
from ..continuous.symbols import delta, x
from .values import ClosedForm, Values

__all__ = ["Discretizer", "CellAverage", "PointSample", "refuse_unbounded"]

#: Seconds sympy may spend looking for a signal's period (without one, the
#: signal is read on the grid's domain and repeated, which is always right).
PERIOD_BUDGET_SECONDS = 5.0


class Discretizer(abc.ABC):
    """Base class: a discretization operator on a :class:`~symequiv.Grid`."""

    __slots__ = ("grid",)
    #: LaTeX name of cell j's value, for printing closed forms.
    label = "D_{j}"

    def __init__(self, grid):
        if not isinstance(grid, Grid):
            raise InvalidType(f"Expected a symequiv.Grid but got {type(grid).__name__}: {short_repr(grid)}")
        self.grid = grid

    # -- public ------------------------------------------------------------

    def __call__(self, signal):
        """The exact value of every cell, as :class:`~symequiv.discrete.values.Values`."""
        signal = _as_signal(signal)
        offset = signal.offset
        with time_budget(SYMPY_BUDGET_SECONDS, f"discretizing {short_str(signal.expr)} on {self.grid.n} cells"):
            try:
                cells = self.cell_functions(signal)
            except UncheckedAntiderivative:
                if offset.free_symbols or not isinstance(self, CellAverage):
                    raise
                return self._unevaluated(signal)
            if offset.free_symbols:
                return Values(expr.subs(delta, offset) for expr in self._expressions(signal, cells))
            values = [self._evaluate(signal, f, offset) for f in cells]
        for j, value in enumerate(values):
            if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo, sympy.I) or value.atoms(sympy.AccumBounds):
                raise UnsupportedSignal(
                    f"Signal {short_str(signal.expr)} has no finite real value on cell {j} of {self.grid!r} "
                    f"(it is not integrable there, or not real): {short_str(value)}",
                    signal.expr,
                )
        return Values(values)

    def closed_form(self, signal):
        """Each cell's value of D[signal.shifted(delta)], exact for every real delta."""
        signal = _as_signal(signal)
        with time_budget(SYMPY_BUDGET_SECONDS, f"the closed form of {short_str(signal.expr)} on {self.grid.n} cells"):
            exprs = self._expressions(signal, self.cell_functions(signal))
            if signal.offset != 0:
                exprs = [e.subs(delta, delta + signal.offset) for e in exprs]
        return ClosedForm(exprs, delta, self.label)

    def cell_functions(self, signal):
        """Cell j's value of D[base.shifted(delta)] as a piecewise function of delta.

        ``base`` is the signal before any shift. Derived once per signal and
        discretizer (cached). On a periodic grid where the signal is read on
        one period, the functions are given for 0 <= delta < length.
        """
        signal = _as_signal(signal)
        return _cell_functions(self, signal.base, signal.period)

    def is_periodic_extension(self, signal):
        """True when the signal is read on the grid's domain and repeated."""
        return _periodic_mode(self.grid, _as_signal(signal).base, _as_signal(signal).period) == "extend"

    # -- internals ---------------------------------------------------------

    def _evaluate(self, signal, function, shift):
        if self.is_periodic_extension(signal):
            length = self.grid.length
            whole_periods = sympy.floor(shift / length) if shift.free_symbols else exact.floor(shift / length)
            shift = shift - length * whole_periods
        return function.evaluate(shift)

    def _expressions(self, signal, cells):
        exprs = [f.to_expr() for f in cells]
        if self.is_periodic_extension(signal):
            wrapped = sympy.Mod(delta, self.grid.length)
            exprs = [e.xreplace({delta: wrapped}) for e in exprs]
        return exprs

    @abc.abstractmethod
    def _cell_pieces(self, base, mode):
        """One piecewise function of delta per cell."""

    def __eq__(self, other):
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self):
        return hash((type(self), self._key()))

    def _key(self):
        return (self.grid,)


class CellAverage(Discretizer):
    """D_j[f] = (1/dx) * integral of f over cell j (the paper's pixel average).

    >>> from symequiv import CellAverage, Grid, Signal
    >>> CellAverage(Grid(0, 1, 2))(Signal("x"))
    Values([1/4, 3/4])

    Note the paper writes this average without the 1/dx; with it, a constant
    image has that constant as its pixel values, as in the paper's numbers.
    """

    __slots__ = ()
    label = "\\bar{f}_{j}"

    def _cell_pieces(self, base, mode):
        primitive = periodic_primitive(_antiderivative(base), self.grid, mode, base)
        grid = self.grid
        edges = grid.edges
        cells = []
        for a, b in zip(edges, edges[1:]):
            cell = (primitive.compose(-1, b, delta) - primitive.compose(-1, a, delta)) * (1 / grid.dx)
            for pole in primitive.poles:
                # The cell [a - delta, b - delta] holds the pole for a - pole <= delta <= b - pole:
                # the signal is not integrable there, and the cell has no value.
                cell = cell.masked(a - pole, b - pole)
            cells.append(cell)
        return cells

    def _unevaluated(self, signal):
        """(1/dx) * Integral(f, (x, a - d, b - d)) per cell, when no antiderivative could be checked.

        Exact (an integral is a number), so residuals that cancel structurally,
        as at whole-cell shifts on a periodic grid, are still proved 0; the
        checks enclose these values by rigorous ball integration.
        """
        grid = self.grid
        base, offset = signal.base, signal.offset
        extend = self.is_periodic_extension(signal)
        s, length = grid.start, grid.length
        if extend:
            offset = offset - length * exact.floor(offset / length)
        values = []
        for a, b in zip(grid.edges, grid.edges[1:]):
            lo, hi = a - offset, b - offset
            if not extend or exact.sign(lo - s) >= 0:
                spans = [(lo, hi)]
            elif exact.sign(hi - s) <= 0:
                spans = [(lo + length, hi + length)]
            else:
                spans = [(lo + length, s + length), (s, hi)]
            values.append(sympy.Add(*[_piece_integrals(base, p, q) for p, q in spans]) / grid.dx)
        return Values(values)

    def __repr__(self):
        return f"CellAverage({self.grid!r})"


class PointSample(Discretizer):
    """D_j[f] = f(p_j), p_j the center (default) or the left edge of cell j.

    >>> from symequiv import Grid, PointSample, Signal
    >>> PointSample(Grid(0, 1, 2), at="left")(Signal("x"))
    Values([0, 1/2])
    """

    __slots__ = ("at",)
    _PLACES = ("center", "left")

    def __init__(self, grid, at="center"):
        super().__init__(grid)
        if not isinstance(at, str) or at not in self._PLACES:
            raise InvalidArgument(f"Expected at='center' or at='left' but got at={short_repr(at)}")
        self.at = at

    @property
    def points(self):
        """The sample points, exact."""
        return self.grid.centers if self.at == "center" else self.grid.edges[:-1]

    def _cell_pieces(self, base, mode):
        function = _signal_function(base)
        grid = self.grid
        if mode == "extend":
            function = PiecewiseFunction.splice(function.compose(1, grid.length), function, grid.start)
        return [function.compose(-1, p, delta) for p in self.points]

    def _key(self):
        return (self.grid, self.at)

    def __repr__(self):
        at = "" if self.at == "center" else f", at={self.at!r}"
        return f"PointSample({self.grid!r}{at})"


# ------------------------------------------------------------------ helpers --


def refuse_unbounded(function, index, a, b):
    """UnsupportedSignal when piece ``index`` of ``function`` is not shown bounded and real on [a, b].

    Numeric quadrature (and an unevaluated integral) would give a finite
    number for a divergent cell; see
    :func:`symequiv.continuous.antiderivative.unbounded_points`. Where the piece's
    singular points cannot be located at all the cell is let through: its
    value is then numeric only, and says so.
    """
    piece = function.pieces[index]
    bounds = [None] + list(function.breakpoints) + [None]
    suspects = _suspects(piece, bounds[index], bounds[index + 1])
    if suspects is None:  # not shown over the whole piece: try the segment itself
        suspects = _suspects(piece, a, b)
    if suspects is None:
        return
    if isinstance(suspects, str):
        raise UnsupportedSignal(f"{suspects} on [{a}, {b}]: the cell has no real value", piece)
    hit = [p for p in suspects if exact.sign(p - a) >= 0 and exact.sign(b - p) >= 0]
    if hit:
        raise UnsupportedSignal(
            f"{piece} is not integrable on [{a}, {b}]: it is not shown bounded near x = {hit[0]} (a pole, an "
            "essential singularity, or 0/0 there: write a removable singularity out with a Piecewise), so the cell "
            "has no value",
            piece,
        )


@functools.lru_cache(maxsize=1024)
def _suspects(piece, lo, hi):
    """unbounded_points of the piece on (lo, hi); a message if it is not real there; None if not shown."""
    try:
        return tuple(unbounded_points(piece, x, lo, hi))
    except NotReal as exc:
        return str(exc)
    except UncheckedAntiderivative:
        return None


def _piece_integrals(base, lo, hi):
    """Integral of the signal over [lo, hi] as a sum of integrals of its smooth pieces.

    Split at the signal's breakpoints, each integrand is smooth (no Heaviside),
    so sympy's numeric evaluation of the sum (``N``) never integrates across a
    jump; the checks themselves never use it. A segment where the signal is
    not shown bounded is refused (:func:`refuse_unbounded`).
    """
    function = _signal_function(base)
    inside = [c for c in function.breakpoints if exact.sign(c - lo) > 0 and exact.sign(hi - c) > 0]
    bounds = [lo] + inside + [hi]
    pieces = []
    for a, b in zip(bounds, bounds[1:]):
        index = _index_of_interval(function.breakpoints, (a + b) / 2)[0]
        refuse_unbounded(function, index, a, b)  # a divergent integral is no value
        pieces.append((function.pieces[index], a, b))
    return sympy.Add(*[sympy.Integral(piece, (x, a, b)) for piece, a, b in pieces if piece != 0])


def periodic_primitive(primitive, grid, mode, base):
    """The antiderivative to use on ``grid``: as it is, or of the signal read on one period and repeated."""
    if mode != "extend":
        return primitive
    s, length = grid.start, grid.length
    if any(not exact.sign(p - s) < 0 and not exact.sign(p - s - length) > 0 for p in primitive.poles):
        raise UnsupportedSignal(
            f"Signal {short_str(base)} is not integrable over the periodic grid's domain [{s}, {s + length}] "
            "(it has a non-integrable singularity there)",
            base,
        )
    total = primitive.evaluate(s + length) - primitive.evaluate(s)
    return PiecewiseFunction.splice(primitive.compose(1, length) - total, primitive, s)


def _as_signal(signal):
    if isinstance(signal, Signal):
        return signal
    if isinstance(signal, (str, sympy.Expr)):
        return Signal(signal)
    raise InvalidType(
        f"Expected a Signal (or an expression for one) but got {type(signal).__name__}: {short_repr(signal)}"
    )


@functools.lru_cache(maxsize=256)
def _cell_functions(discretizer, base, period):
    mode = _periodic_mode(discretizer.grid, base, period)
    cells = discretizer._cell_pieces(base, mode)
    if mode == "extend":
        cells = [c.restricted(sympy.Integer(0), discretizer.grid.length) for c in cells]
    return tuple(cells)


@functools.lru_cache(maxsize=256)
def _signal_function(base):
    try:
        with time_budget(SYMPY_BUDGET_SECONDS, f"finding the pieces of the signal {base}"):
            return PiecewiseFunction.from_expr(base, x)
    except UnsupportedSignal as exc:
        raise UnsupportedSignal(f"Signal {base}: {exc}", base) from None


@functools.lru_cache(maxsize=256)
def _antiderivative(base):
    try:
        with time_budget(SYMPY_BUDGET_SECONDS, f"finding an antiderivative of the signal {short_str(base)}"):
            return _signal_function(base).antiderivative()
    except UncheckedAntiderivative as exc:
        raise UncheckedAntiderivative(
            f"No closed form of the cell averages of signal {short_str(base)}: {exc}. D(f) gives them as exact "
            "integrals, and the checks decide by rigorous ball integration where the signal is analytic near "
            "the real line",
            base,
        ) from None
    except UnsupportedSignal as exc:
        raise UnsupportedSignal(
            f"Cannot average signal {short_str(base)} over cells: {exc}. Use PointSample, or rewrite the signal",
            base,
        ) from None


@functools.lru_cache(maxsize=256)
def _periodic_mode(grid, base, period):
    """How a signal lives on the grid: "direct" (as given) or "extend" (one period, repeated)."""
    if not grid.periodic:
        return "direct"
    length = grid.length
    if period is not None:
        ratio = length / period
        if not (ratio.is_Integer and ratio > 0):
            raise InvalidArgument(
                f"The signal's period {period} does not divide the periodic grid's length {length}: "
                f"use a grid whose length is a multiple of the period"
            )
        return "direct"
    if not base.has(x):
        return "direct"
    found = _sympy_period(base)
    if found is not None and (length / found).is_Integer:
        return "direct"
    return "extend"


def _sympy_period(expr):
    try:
        with time_budget(PERIOD_BUDGET_SECONDS, "finding the period"):
            found = sympy.periodicity(expr, x)
    except Exception:  # sympy raises many kinds here; an unknown period just means "repeat"
        return None
    if found is None or not found.is_number or not found.is_positive:
        return None
    return found
