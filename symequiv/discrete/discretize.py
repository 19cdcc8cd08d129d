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
from ..continuous.scene import Edge, Polygon, Separable, polygon_area, scene_terms
from ..continuous.symbols import delta, delta_x, delta_y, x, y
from .values import ClosedForm, Values

__all__ = ["Discretizer", "CellAverage", "PointSample", "refuse_unbounded"]

_SHIFTS = (delta_x, delta_y)

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
        """The exact value of every cell, as :class:`~symequiv.discrete.values.Values`.

        A tuple of signals is a scene with channels: values of shape (C, n)
        or (C, nx, ny).
        """
        if isinstance(signal, (tuple, list)):
            return _stacked([self(s) for s in _channels(signal)])
        signal = self._fitted(_as_signal(signal))
        if self.grid.dim == 2:
            return self._values_2d(signal)
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
        self._refuse_infinite(signal, values, lambda j: j)
        return Values(values)

    def closed_form(self, signal):
        """Each cell's value of D[signal.shifted(delta)], exact for every real delta.

        On a two-dimensional grid, D[signal.shifted((delta_x, delta_y))] for
        every real pair, of shape (nx, ny) (with channels for a tuple of signals).
        """
        if isinstance(signal, (tuple, list)):
            forms = [self.closed_form(s) for s in _channels(signal)]
            stacked = _stacked(forms)
            return ClosedForm(stacked.flat, forms[0].variable, self.label, shape=stacked.shape)
        signal = self._fitted(_as_signal(signal))
        if self.grid.dim == 2:
            return self._closed_form_2d(signal)
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

    def _fitted(self, signal):
        """The signal, if its dimension fits the grid's."""
        if signal.dim == 2 and self.grid.dim == 1:
            raise InvalidArgument(
                f"The scene {short_str(signal.expr)} depends on y (or moves along it) but {self.grid!r} is "
                "one-dimensional: discretize it on a Grid((x0, y0), (x1, y1), (nx, ny))"
            )
        return signal

    def _values_2d(self, signal):
        offset = (signal.offset, signal.offset_y)
        with time_budget(SYMPY_BUDGET_SECONDS, f"discretizing {short_str(signal.expr)} on {self.grid.shape} cells"):
            if any(o.free_symbols for o in offset):
                form = self._closed_form_2d(Signal._make(signal.base, 0, signal.period, signal.parameters))
                return Values([e.subs(dict(zip((delta_x, delta_y), offset))) for e in form.flat], self.grid.shape)
            values = self._cells_2d(signal.base, offset)
        shape = self.grid.shape
        self._refuse_infinite(signal, values, lambda position: divmod(position, shape[1]))
        return Values(values, shape)

    def _refuse_infinite(self, signal, values, cell_of):
        """UnsupportedSignal naming the first cell whose value is not a finite real number."""
        for position, value in enumerate(values):
            if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo, sympy.I) or value.atoms(sympy.AccumBounds):
                raise UnsupportedSignal(
                    f"Signal {short_str(signal.expr)} has no finite real value on cell {cell_of(position)} of "
                    f"{self.grid!r} (it is not integrable there, or not real): {short_str(value)}",
                    signal.expr,
                )

    def _closed_form_2d(self, signal):
        with time_budget(SYMPY_BUDGET_SECONDS, f"the closed form of {short_str(signal.expr)} on {self.grid.shape} cells"):
            exprs = self._expressions_2d(signal.base)
            moved = {delta_x: delta_x + signal.offset, delta_y: delta_y + signal.offset_y}
            if signal.offset != 0 or signal.offset_y != 0:
                exprs = [e.xreplace(moved) for e in exprs]
        return ClosedForm(exprs, (delta_x, delta_y), self.label, shape=self.grid.shape)

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

    # -- two dimensions ----------------------------------------------------

    def _expressions_2d(self, base):
        """Cell [i, j] of D[base.shifted((delta_x, delta_y))], flat in row order: the sum over the scene's terms."""
        total = [sympy.Integer(0)] * self.grid.cells
        for term in scene_terms(base):
            if isinstance(term, Separable):
                values = self._separable_terms(term)
            elif isinstance(term, Edge):
                values = _cached_corner_sums(self, term.primitive)
            else:
                kind = "a convex region (a product of edges)" if isinstance(term, Polygon) else "no exact route"
                raise UnsupportedSignal(
                    f"No closed form in delta_x, delta_y of the cell averages of {short_str(base)}: its term "
                    f"{short_str(term.expr)} is {kind}. D(f.shifted((dx, dy))) gives the cells at each shift "
                    "(exact areas for convex regions, exact integrals otherwise), and the checks use them",
                    base,
                )
            total = [t + v for t, v in zip(total, values)]
        return total

    def _separable_terms(self, term):
        """fx(x) fy(y): the one-dimensional closed forms of fx along x and of fy along y, multiplied."""
        along_x = CellAverage(self.grid.axes[0]).closed_form(Signal(term.fx))
        along_y = CellAverage(self.grid.axes[1]).closed_form(Signal(term.fy.xreplace({y: x})))
        cx = [e.xreplace({delta: delta_x}) for e in along_x]
        cy = [e.xreplace({delta: delta_y}) for e in along_y]
        return [a * b for a in cx for b in cy]

    def _separable_values(self, term, offset):
        """fx(x) fy(y) at a numeric shift: products of the one-dimensional exact values (integrals where
        no antiderivative is checked)."""
        along_x = CellAverage(self.grid.axes[0])(Signal(term.fx).shifted(offset[0]))
        along_y = CellAverage(self.grid.axes[1])(Signal(term.fy.xreplace({y: x})).shifted(offset[1]))
        return [a * b for a in along_x for b in along_y]

    def _corner_sums(self, primitive):
        """(1/(dx dy)) times F at the four corners of each shifted cell, by inclusion-exclusion."""
        grid = self.grid
        at = self._periodic_primitive(primitive)
        ex = [e - delta_x for e in grid.edges[0]]
        ey = [e - delta_y for e in grid.edges[1]]
        area = grid.dx[0] * grid.dx[1]
        corners = {(i, j): at(ex[i], ey[j]) for i in range(len(ex)) for j in range(len(ey))}
        return [
            (corners[i + 1, j + 1] - corners[i, j + 1] - corners[i + 1, j] + corners[i, j]) / area
            for i in range(grid.shape[0]) for j in range(grid.shape[1])
        ]

    def _periodic_primitive(self, primitive):
        """F(X, Y) as a function, the double primitive of the scene read on the domain and repeated along periodic axes.

        Along a periodic axis of start s and length L, X = s + k L + r gives
        k (F(s + L, Y) - F(s, Y)) + F(s + r, Y): continuous, and with the
        repeated term as its mixed derivative.
        """
        def along(function, axis):
            grid = self.grid.axes[axis]
            if not grid.periodic:
                return function
            s, length = grid.start, grid.length

            def wrapped(X, Y):
                t = (X, Y)[axis]
                k = sympy.floor((t - s) / length)
                place = lambda value: (value, Y) if axis == 0 else (X, value)  # noqa: E731
                period = function(*place(s + length)) - function(*place(s))
                return k * period + function(*place(t - k * length))

            return wrapped

        def F(X, Y):
            return primitive.xreplace({x: X, y: Y})

        return along(along(F, 0), 1)

    def _cells_2d(self, base, offset):
        """The exact cell values at a numeric shift ``offset`` (flat, row order)."""
        grid = self.grid
        total = [sympy.Integer(0)] * grid.cells
        for term in scene_terms(base):
            if isinstance(term, Separable):
                values = self._separable_values(term, offset)
            elif isinstance(term, Edge):
                values = [exact.settled(e.xreplace(dict(zip(_SHIFTS, offset)))) for e in _cached_corner_sums(self, term.primitive)]
            elif isinstance(term, Polygon):
                values = self._region_areas(term, offset)
            else:
                values = self._integrals(term.expr, offset)
            total = [t + v for t, v in zip(total, values)]
        return total

    def _spans(self, axis, lo, hi):
        """[lo, hi] on one axis, wrapped into the domain on a periodic axis: one or two spans."""
        grid = self.grid.axes[axis]
        if not grid.periodic:
            return [(lo, hi)]
        s, length = grid.start, grid.length
        k = exact.floor((lo - s) / length)
        lo, hi = lo - k * length, hi - k * length
        if exact.sign(hi - s - length) <= 0:
            return [(lo, hi)]
        return [(lo, s + length), (s, hi - length)]

    def _shifted_cells(self, offset):
        """Per cell, the rectangles (after wrapping) that the cell shifted by -offset covers."""
        ex, ey = self.grid.edges
        for i in range(self.grid.shape[0]):
            xs = self._spans(0, ex[i] - offset[0], ex[i + 1] - offset[0])
            for j in range(self.grid.shape[1]):
                ys = self._spans(1, ey[j] - offset[1], ey[j + 1] - offset[1])
                yield [(a, b, c, d) for a, b in xs for c, d in ys]

    def _region_areas(self, term, offset):
        area = self.grid.dx[0] * self.grid.dx[1]
        return [
            term.coefficient * sympy.Add(*[polygon_area(term.edges, *r) for r in rectangles]) / area
            for rectangles in self._shifted_cells(offset)
        ]

    def _integrals(self, expr, offset):
        """Exact unevaluated double integrals: a number each, decided later by quadrature."""
        area = self.grid.dx[0] * self.grid.dx[1]
        return [
            sympy.Add(*[sympy.Integral(expr, (y, c, d), (x, a, b)) for a, b, c, d in rectangles]) / area
            for rectangles in self._shifted_cells(offset)
        ]

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
        """The sample points, exact (one tuple per axis on a two-dimensional grid)."""
        if self.grid.dim == 2:
            return tuple(a.centers if self.at == "center" else a.edges[:-1] for a in self.grid.axes)
        return self.grid.centers if self.at == "center" else self.grid.edges[:-1]

    def _cell_pieces(self, base, mode):
        function = _signal_function(base)
        grid = self.grid
        if mode == "extend":
            function = PiecewiseFunction.splice(function.compose(1, grid.length), function, grid.start)
        return [function.compose(-1, p, delta) for p in self.points]

    def _expressions_2d(self, base):
        """f at each sample point moved by -(delta_x, delta_y), wrapped into the domain along periodic axes."""
        axes = self.grid.axes
        places = []
        for axis, shift in zip(axes, _SHIFTS):
            points = axis.centers if self.at == "center" else axis.edges[:-1]
            moved = [p - shift for p in points]
            if axis.periodic:
                moved = [axis.start + sympy.Mod(m - axis.start, axis.length) for m in moved]
            places.append(moved)
        return [base.xreplace({x: p, y: q}) for p in places[0] for q in places[1]]

    def _cells_2d(self, base, offset):
        return [exact.settled(e.xreplace(dict(zip(_SHIFTS, offset)))) for e in self._expressions_2d(base)]

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


@functools.lru_cache(maxsize=256)
def _cached_corner_sums(discretizer, primitive):
    """An edge term's cells in delta_x, delta_y, built once per grid and term (a sweep evaluates them per shift)."""
    return tuple(discretizer._corner_sums(primitive))


def _channels(signals):
    if not signals:
        raise InvalidArgument("Expected at least one signal in a scene with channels but got an empty tuple")
    return [_as_signal(s) for s in signals]


def _stacked(arrays):
    """Values of equal shape stacked along a new first axis (the channels)."""
    return Values([v for a in arrays for v in a.flat], (len(arrays),) + arrays[0].shape)


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
