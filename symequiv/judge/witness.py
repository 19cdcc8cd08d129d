"""Witnesses of the paper's inequality (5): no discrete shift commutes with D^h.

A *witness* for a discretizer D and a shift d is a pair of signals f1, f2 with

* D[f1] = D[f2] exactly, cell by cell, and
* D[f1.shifted(d)] != D[f2.shifted(d)], certified at one cell.

Then no discrete shift g^h, linear or not, can satisfy
D[f(x - d)] = g^h(D[f], d) for every f: g^h receives equal inputs D[f1] = D[f2],
so it returns equal outputs, while the true translated discretizations differ.

>>> from symequiv import CellAverage, Grid
>>> from symequiv.judge.witness import witness
>>> w = witness(CellAverage(Grid(-1, 1, 4)), "1/4")
>>> w
witness(CellAverage(Grid(-1, 1, 4)), S(1)/4)
>>> w.before[0] == w.before[1]
True
>>> w.after
(Values([0, 0, 0, 0]), Values([1/2, -1/2, 0, 0]))
>>> w.cell, w.verdict.holds, w.verdict.certificate["value"]
(0, False, -1/2)
>>> w.verify().holds
False

The construction
=================

Write d = s dx with s = m + t, m = floor(s) whole cells and 0 < t < 1 a
fraction of a cell (t = 0 has no witness, see below). f1 is the zero signal;
f2 is a bump that D cannot see but that a sub-cell translation makes visible.

*CellAverage* -- f2 is a Haar wavelet on a lattice-aligned interval
[c, c + dx], c = start + k dx: +1 on the first half, -1 on the second. Its
integral over every cell of the lattice start + Z dx is 0 (over cell k it is
dx/2 - dx/2, elsewhere the integrand is 0), so D[f2] = D[f1] = 0. Translated by
d it occupies [c + d, c + d + dx], which straddles the cells j0 = k + m and
j0 + 1. Cell j0 holds its first (1 - t) dx: if t >= 1/2 that is part of the
positive half, average 1 - t; if t < 1/2 it is the positive half and
(1/2 - t) dx of the negative one, average 1/2 - (1/2 - t) = t. So

    D[f2.shifted(d)]_j0 = min(t, 1 - t) > 0 = D[f1.shifted(d)]_j0.

*PointSample* -- with sample points p_j = p_0 + j dx, f2 is a hat of height 1
and half-width h = min(t, 1 - t) dx centred at c = p_j0 - d. The distance from
c to any lattice point p_j is |j - j0 + m + t| dx >= min(t, 1 - t) dx = h, so f2
vanishes at every sample point and D[f2] = D[f1] = 0; but
f2.shifted(d)(p_j0) = f2(c) = 1.

In both cases f2 is invisible on every cell of the grid's *infinite*
extension, not merely on the domain: the separation is a translation effect,
never content hidden beyond the boundary. The cell j0 is chosen inside the grid
and, where possible, so that f2 itself lies inside the domain too (for
CellAverage this is possible exactly when |m| <= n - 1); otherwise f2 sits
outside the domain and a note says so.

On a periodic grid a signal without a declared period is read on
[start, stop) and repeated. The wavelet's source cell is taken modulo n, so it
lies in that window; a hat that would cross the window's ends is written as
the sum of its copies shifted by the grid's length, so the repeated signal is
the intended periodic hat.

Two dimensions
==============

On a grid ``Grid((x0, y0), (x1, y1), (nx, ny))`` the shift is a pair
d = (d_x, d_y), and the witness is the one-dimensional one along one axis,
constant along the other:

>>> w = witness(CellAverage(Grid((0, 0), (1, 1), (4, 2))), ("1/8", 0))
>>> w
witness(CellAverage(Grid((0, 0), (1, 1), (4, 2))), (S(1)/8, 0))
>>> w.f2
Signal('Piecewise((0, x < 0), (1, x < 1/8), (-1, x < 1/4), (0, True))')
>>> w.before[1], w.after[1]
(Values([[0, 0], [0, 0], [0, 0], [0, 0]]), Values([[1/2, 1/2], [-1/2, -1/2], [0, 0], [0, 0]]))
>>> w.cell, w.verdict.certificate["value"], w.verify().holds
((0, 0), -1/2, False)

The bump axis a is one along which d_a is not a whole number of cells; if
both qualify, the one where d_a is farther from a whole number of cells
(its part min(t, 1 - t) larger: the larger residual, the better-conditioned
check), x on a tie. Let b be the one-dimensional bump built above for the
axis grid ``grid.axes[a]`` and the shift d_a, with its cell i0, and f2 = b
written in that axis's variable; say a = x (for a = y swap the roles), so
f2(x, y) = b(x), constant along y.

*CellAverage* -- cell (i, j) is the rectangle [x_i, x_i + dx] x [y_j, y_j + dy].
By Fubini, since the integrand does not depend on y,

    D[f2]_(i, j) = (1/(dx dy)) int_{y_j}^{y_j + dy} int_{x_i}^{x_i + dx} b(x) dx dy
                 = (1/dx) int_{x_i}^{x_i + dx} b(x) dx,

the one-dimensional average of b over x-cell i, which is 0 for every i (the
proof above). The translated scene is f2(x - d_x, y - d_y) = b(x - d_x), still
constant along y, so by the same step D[f2.shifted(d)]_(i, j) is the
one-dimensional D_i[b.shifted(d_x)] for every j: min(t, 1 - t) at i = i0.

*PointSample* -- cell (i, j) samples the scene at (p_i, q_j), and f2 reads
only the first coordinate: D[f2]_(i, j) = b(p_i) = 0 for every (i, j), and
D[f2.shifted(d)]_(i0, j) = b(p_i0 - d_x) = 1 for every j.

So D[f1] = D[f2] = 0 exactly on every cell, while the translated
discretizations differ on the whole column i = i0 (row j = j0 for a = y), by
the same value in each of its cells; the certificate names its first cell,
(i0, 0) (or (0, j0)). The other component d_y moves nothing, since f2 is
constant along y; and b is invisible on every cell of the infinite extension
of its axis, so the separation is a translation effect, never content
entering through a boundary, whether the axes are periodic or not. Along a
periodic axis the discretizer reads the scene on the domain and repeats it:
along the constant axis that changes nothing, along the bump axis it is the
one-dimensional repetition above (the wavelet's source cell modulo n, the
hat's copies).

When there is no witness
========================

* d a whole number of cells (t = 0, d = 0 included): on a periodic grid D
  commutes with the integer shift, so no witness exists; on a non-periodic grid
  only content entering through the boundary could separate two signals, a
  boundary effect rather than a translation effect. Both raise
  :class:`~symequiv.errors.InvalidArgument`.
* CellAverage on a periodic grid of one cell: D is the mean over a whole
  period, which every translation preserves, so D commutes with the identity.
* In two dimensions, d whole cells along both axes: on a periodic grid D
  commutes with the integer shift S_(m, n), so no witness exists; along an
  axis that is not periodic only content entering through the boundary could
  separate two signals, a boundary effect. An axis along which CellAverage
  averages a whole period (periodic, one cell) carries no witness either:
  every translation along it preserves the averages, so
  D[f.shifted((d_x, n dy))] = D[f.shifted((0, n dy))]; with the other
  component whole cells there is none (or none that is not a boundary effect).
  All raise :class:`~symequiv.errors.InvalidArgument`.

Certificates
============

The residual at j0 is D[f1.shifted(d)]_j0 - D[f2.shifted(d)]_j0. When it is
an exact rational (always for rational d and rational grid bounds) the verdict
is "symbolic" with an exact certificate; otherwise (an irrational d, or bounds
such as pi) it is "interval" with an arb ball that excludes 0, computed at 50
digits (more if 50 do not separate the ball from 0; for a shift 10**-k of a
cell from a whole number of cells, k more from the start). :meth:`Witness.verify`
raises the digits of its mpmath cross-check the same way. In two dimensions
the certificate is that of the bump axis, one-dimensional as above; the
cross-check's digits follow the component nearest a whole number of cells.
"""

import itertools

import mpmath
import sympy

from . import render
from ..numeric.balls import (
    MAX_DPS,
    arb_value,
    ball_excludes_zero,
    mpf_of,
    radius_of,
    working_precision,
)
from ..discrete.discretize import CellAverage, PointSample
from ..errors import InvalidArgument, InvalidType, SymequivError, short_repr
from ..numeric.exact import floor, is_zero, settled, sign
from ..numeric.numbers import exact_number, is_binary_float, number_repr, to_mpmath
from ..continuous.signal import Signal, signal_text
from ..continuous.symbols import x, y
from ..discrete.values import Values

__all__ = ["witness", "Witness"]

#: Digits of the ball that certifies an irrational residual (raised if needed).
CERTIFICATE_DPS = 50
_ESCALATED_DPS = (CERTIFICATE_DPS, 200, 1000)
#: Digits of the numeric cross-check in :meth:`Witness.verify` (raised for shifts near whole cells).
CROSS_CHECK_DPS = 30
# Digits the scale of a problem costs before the notes mention it (and the certificate starts higher).
_NOTED_EXTRA = 10
# Largest Gauss-Legendre degree of a nested quadrature (3 * 2**(m - 1) nodes at degree m).
_NESTED_DEGREE = 4
_VARIABLES = (x, y)
_NAMES = ("x", "y")


def _claim(discretizer, d):
    if isinstance(d, tuple):
        return (
            f"some discrete shift g^h commutes with {discretizer!r} at d = ({d[0]}, {d[1]}), "
            "i.e. D[f(x - d_x, y - d_y)] = g^h(D[f], d) for every f"
        )
    return (
        f"some discrete shift g^h commutes with {discretizer!r} at d = {d}, "
        "i.e. D[f(x - d)] = g^h(D[f], d) for every f"
    )


# ------------------------------------------------------------ the builder --


def witness(D, d):
    """A :class:`Witness` that no discrete shift commutes with ``D`` at ``d``.

    Parameters
    ==========

    D : CellAverage or PointSample
        The discretizer, on a periodic or non-periodic grid, one- or
        two-dimensional.
    d : number or string, or a pair of them on a two-dimensional grid
        The translation, exact (``"1/4"`` and ``"0.25"`` are 1/4; a float is
        taken at its binary value and a note says so). Any d that is not a
        whole number of cells (along at least one axis, for a pair
        (d_x, d_y)); it may be negative or exceed the domain.

    Raises
    ======

    InvalidType
        ``D`` is not a CellAverage or PointSample.
    InvalidArgument
        ``d`` is a whole number of cells (along both axes), or ``D`` is a
        CellAverage that averages a whole period along every axis where d is
        not whole cells (a periodic axis of one cell): no witness exists (or
        none that is not a boundary effect); the message says why. Also a
        pair for a one-dimensional grid, or a single number for a
        two-dimensional one.

    Examples
    ========

    >>> from symequiv import Grid, PointSample
    >>> w = witness(PointSample(Grid(0, 1, 2, periodic=True)), "-1/3")
    >>> w.f2
    Signal('Piecewise((0, x <= 5/12), (6*x - 5/2, x <= 7/12), (9/2 - 6*x, x <= 3/4), (0, True))')
    >>> w.before[1], w.after[1]
    (Values([0, 0]), Values([1, 0]))

    In two dimensions the bump runs along an axis where d is not whole cells
    (here y) and is constant along the other; the whole row j = 0 differs:

    >>> w = witness(PointSample(Grid((0, 0), (1, 1), (2, 2), periodic=True)), (1, "-1/3"))
    >>> w.f2.expr.free_symbols, w.cell
    ({y}, (0, 0))
    >>> w.after[1]
    Values([[1, 0], [1, 0]])

    See the module docstring for the construction and why it is correct.
    """
    _check_discretizer(D, "D")
    notes = []
    grid = D.grid
    exact_d = _read_shift(d, grid, "d", notes)
    axis = _bump_axis(D, exact_d)
    line, component = _line(D, axis), _components(exact_d)[axis]
    bump, i0, expected = _bump(line, component, notes, "" if grid.dim == 1 else _NAMES[axis])
    if grid.dim == 1:
        f2, cell = Signal(bump), i0
    else:
        f2 = Signal(bump.xreplace({x: _VARIABLES[axis]}))
        cell = (i0, 0) if axis == 0 else (0, i0)
        every = f"({i0}, j), every j" if axis == 0 else f"(i, {i0}), every i"
        notes.append(
            f"f2 varies along {_NAMES[axis]} only (it is constant along {_NAMES[1 - axis]}), so the translated "
            f"discretizations differ by the same value on every cell {every}; the certificate names {cell}"
        )
    f1 = Signal(sympy.Integer(0))

    before = (_exact_values(D(f1)), _exact_values(D(f2)))
    after = (_exact_values(D(f1.shifted(exact_d))), _exact_values(D(f2.shifted(exact_d))))
    residual = _residual(after)
    position = _position(cell, grid)
    unequal = [k for k, (a, b) in enumerate(zip(before[0].flat, before[1].flat)) if is_zero(a - b) is not True]
    if unequal or is_zero(residual[position] - expected) is not True:
        raise SymequivError(  # pragma: no cover - the construction's proof says this cannot happen
            f"internal error: the witness for {D!r} at d = {_shift_text(exact_d)} does not behave as derived "
            f"(D[f1] = {before[0]}, D[f2] = {before[1]}, shifted: {after[0]}, {after[1]}); please report it"
        )
    method, certificate, dps = _certificate(cell, residual[position], _sub_cell_digits(line.grid, component) or 0)
    if certificate is None:
        raise InvalidArgument(
            f"d = {_shift_text(exact_d)} is so close to a whole number of cells that the residual "
            f"{residual[position]} could not be separated from 0 at {_ESCALATED_DPS[-1]} digits"
        )
    if dps is not None and dps > CERTIFICATE_DPS:
        notes.append(f"the certificate's ball was computed at {dps} digits")
    verdict = _verdict(D, exact_d, False, method, residual, certificate, dps, notes)
    return Witness(D, exact_d, f1, f2, cell, before=before, after=after, verdict=verdict, notes=notes, _built=True)


def _check_discretizer(D, name):
    if not isinstance(D, (CellAverage, PointSample)):
        raise InvalidType(
            f"Expected a CellAverage or PointSample discretizer for {name} but got {type(D).__name__}: "
            f"{short_repr(D)}"
        )


def _read_shift(d, grid, name, notes):
    """The exact shift: a number on a one-dimensional grid, a pair (d_x, d_y) on a two-dimensional one."""
    pair = isinstance(d, (tuple, list))
    if grid.dim == 1:
        if pair:
            raise InvalidArgument(
                f"Expected one number {name} for the one-dimensional {grid!r} but got the pair "
                f"{name}={short_repr(d)}; a pair (d_x, d_y) shifts a two-dimensional grid"
            )
        return _exact_component(d, name, notes)
    if not pair or len(d) != 2:
        raise InvalidArgument(
            f"Expected a pair (d_x, d_y), one shift per axis, for the two-dimensional {grid!r} but got "
            f"{name}={short_repr(d)}"
        )
    return tuple(_exact_component(v, f"{name}[{k}]", notes) for k, v in enumerate(d))


def _exact_component(value, name, notes):
    exact = exact_number(value, name)
    if is_binary_float(value):
        notes.append(
            f"{name} = {short_repr(value)} was a float; its exact binary value {exact} was used "
            f"(pass the string {str(value)!r} for the decimal value)"
        )
    return exact


def _components(d):
    """The shift's components, one per axis."""
    return d if isinstance(d, tuple) else (d,)


def _shift_text(d):
    return f"({d[0]}, {d[1]})" if isinstance(d, tuple) else f"{d}"


def _line(D, axis):
    """The one-dimensional discretizer of ``D`` along ``axis`` (``D`` itself on a one-dimensional grid)."""
    if D.grid.dim == 1:
        return D
    grid = D.grid.axes[axis]
    return CellAverage(grid) if isinstance(D, CellAverage) else PointSample(grid, at=D.at)


def _whole_period(D, grid):
    """True when CellAverage averages a whole period along this axis grid: no translation along it is seen."""
    return isinstance(D, CellAverage) and grid.periodic and grid.n == 1


def _bump_axis(D, d):
    """The axis the witness's bump runs along, or InvalidArgument saying why there is no witness.

    Among the axes where d is not a whole number of cells (and that do not
    average a whole period), the one with the larger part min(t, 1 - t), x on a tie.
    """
    grid = D.grid
    best, blocked = None, []
    for axis, (line, component) in enumerate(zip(grid.axes, _components(d))):
        fraction = _sub_cell_fraction(line, component)
        if sign(fraction) == 0:
            continue
        if _whole_period(D, line):
            blocked.append(axis)
        elif best is None or sign(fraction - best[1]) > 0:
            best = (axis, fraction)
    if best is not None:
        return best[0]
    if blocked:
        raise InvalidArgument(_whole_period_message(d, grid, blocked))
    raise InvalidArgument(_whole_cell_message(d, grid))


def _whole_cell_message(d, grid):
    cells = grid.cells_of_shift(d)
    if grid.dim == 1:
        what = f"d = {d} is a whole number of cells ({cells})"
    else:
        what = f"d = {_shift_text(d)} is a whole number of cells along both axes, {_shift_text(cells)},"
    open_axes = [name for name, line in zip(_NAMES, grid.axes) if not line.periodic]
    if not open_axes:
        return (
            f"{what} on a periodic grid: D commutes with the integer shift there, so no witness exists; "
            "check_integer_shift proves the equality"
        )
    where = "a non-periodic grid" if grid.dim == 1 else f"a grid that is not periodic along {' and '.join(open_axes)}"
    return (
        f"{what} on {where}: only content entering "
        "through the boundary could separate two signals there, which is a boundary effect, not a "
        "translation effect, so no witness is given; check_integer_shift compares the cells away from the boundary"
    )


def _whole_period_message(d, grid, blocked):
    if grid.dim == 1:
        return (
            f"d = {d}: CellAverage on a periodic grid of one cell is the mean over a whole period, which "
            "every translation preserves, so D commutes with the identity at every d and no witness exists; "
            "use a grid of two or more cells"
        )
    along = " and ".join(_NAMES[axis] for axis in blocked)
    rest = "" if len(blocked) == grid.dim else ", and along the other axis d is a whole number of cells"
    return (
        f"d = {_shift_text(d)}: along {along} the grid is periodic with one cell, so CellAverage is the mean "
        f"over a whole period there, which every translation along {along} preserves{rest}; so no witness "
        f"exists (or none that is not a boundary effect); use two or more cells along {along}"
    )


def _bump(line, d, notes, name):
    """(f2 in x, cell i0, expected residual at i0): the one-dimensional construction on ``line``'s grid.

    ``name`` is the axis ("x" or "y") in two dimensions, for the notes; "" in one.
    """
    grid = line.grid
    cells = d / grid.dx
    m = floor(cells)
    fraction = _sub_cell_fraction(grid, d)
    if isinstance(line, CellAverage):
        return _cell_average_bump(grid, m, fraction, notes, name)
    return _point_sample_bump(line, d, fraction, notes, name)


def _haar(c, dx):
    """+1 on [c, c + dx/2), -1 on [c + dx/2, c + dx), 0 elsewhere."""
    return sympy.Piecewise(
        (0, x < c), (1, x < c + dx / 2), (-1, x < c + dx), (0, True), evaluate=False
    )


def _hat(c, h):
    """The hat of height 1 at c, zero outside (c - h, c + h)."""
    return sympy.Piecewise(
        (0, x <= c - h), (1 + (x - c) / h, x <= c), (1 - (x - c) / h, x <= c + h), (0, True), evaluate=False
    )


def _cell_average_bump(grid, m, fraction, notes, name=""):
    """(f2's expression in x, j0, expected residual at j0) for CellAverage."""
    n, dx = grid.n, grid.dx
    cell = min(max(m, 0), n - 1)
    source = cell - m
    if grid.periodic:
        source %= n
    elif not 0 <= source <= n - 1:
        along, which = (f" along {name}", f"{name}-cell") if name else ("", "cell")
        notes.append(
            f"the shift exceeds the domain{along}, so the wavelet starts outside it, on {which} {source} of the "
            "grid's infinite extension; its average over every cell of that extension is 0 as well, so the "
            "separation is a translation effect, not content entering through the boundary"
        )
    start = grid.start + source * dx
    return _haar(start, dx), cell, -fraction


def _point_sample_bump(D, d, fraction, notes, name=""):
    """(f2's expression in x, j0, expected residual at j0) for PointSample."""
    grid = D.grid
    n, dx, start, stop = grid.n, grid.dx, grid.start, grid.stop
    first = start + dx / 2 if D.at == "center" else start
    h = fraction * dx
    variable = name or "x"
    # Cells j0 whose hat centre p_j0 - d keeps the whole hat inside [start, stop].
    lowest = -floor(-(start + h - first + d) / dx)
    highest = floor((stop - h - first + d) / dx)
    inside = max(lowest, 0) <= min(highest, n - 1)
    cell = min(max(lowest, 0), n - 1)
    centre = first + cell * dx - d
    if inside:
        return _hat(centre, h), cell, sympy.Integer(-1)
    if not grid.periodic:
        notes.append(
            f"the hat lies (partly) outside the domain, around {variable} = {centre}; it vanishes at every sample "
            "point of the grid's infinite extension as well, so the separation is a translation effect, not "
            "content entering through the boundary"
        )
        return _hat(centre, h), cell, sympy.Integer(-1)
    length = grid.length
    centre = centre - length * floor((centre - start) / length)
    copies = [centre]
    if sign(centre - h - start) < 0:
        copies.append(centre + length)
    if sign(centre + h - stop) > 0:
        copies.append(centre - length)
    if len(copies) > 1:
        notes.append(
            f"the hat around {variable} = {centre} crosses an end of the periodic window [{start}, {stop}), so f2 "
            f"is written as the sum of its copies shifted by the period {length}; read on the window and "
            "repeated, it is the periodic hat"
        )
    return sympy.Add(*[_hat(c, h) for c in copies]), cell, sympy.Integer(-1)


# ------------------------------------------------------------- precision --


def _sub_cell_digits(grid, d):
    """Decimal digits lost to the scale of the problem: log10(M / h), at least 0.

    h = min(t, 1 - t) dx is the sub-cell part of d (t = frac(d / dx)): the
    width of the witness's bump, and the size of the CellAverage residual.
    Numbers of magnitude up to M (the grid's ends, d, dx) meet it, so a
    numeric check at p digits resolves h only with p + log10(M / h) digits.
    None when d is a whole number of cells. ``grid`` is one-dimensional (an
    axis), ``d`` a number.
    """
    fraction = _sub_cell_fraction(grid, d)
    if sign(fraction) == 0:
        return None
    h = fraction * grid.dx
    size = sympy.Max(abs(grid.start), abs(grid.stop), abs(d), grid.dx)
    try:
        ratio = sympy.N(size / h, 15)  # sympy raises its own precision for a tiny h
        digits = int(mpmath.ceil(mpmath.log10(mpmath.mpf(ratio._mpf_)))) if ratio.is_Float else None
    except (ArithmeticError, TypeError, ValueError, AttributeError):
        digits = None
    if digits is None:  # pragma: no cover - a finite exact ratio always evaluates
        return 0
    return max(digits, 0)


def _cross_check_scale(grid, d):
    """(extra digits, scale, words) for the mpmath cross-check, over the axes where d is not whole cells.

    ``extra``: the most digits any such axis costs (:func:`_sub_cell_digits`);
    ``scale``: the smallest sub-cell part min(t, 1 - t) (0 when d is whole
    cells), the size of the smallest cell-average residual; ``words``: which
    component is nearest a whole number of cells, and how near, for a note.
    """
    parts = []
    for name, line, component in zip(_NAMES, grid.axes, _components(d)):
        digits = _sub_cell_digits(line, component)
        if digits is not None:
            parts.append((digits, _sub_cell_fraction(line, component), name, line, component))
    if not parts:
        return 0, sympy.Integer(0), ""
    extra, _, name, line, component = max(parts, key=lambda part: part[0])
    scale = min((part[1] for part in parts), key=to_mpmath)
    subject = "d" if grid.dim == 1 else f"d's {name} component"
    return extra, scale, f"{subject} is {_sub_cell_words(line, component)}"


# ---------------------------------------------------------- exact helpers --


def _tidy(value):
    """An exact number in a simpler form: rationals stay, others are expanded and cancelled."""
    if value.is_Rational:
        return value
    return sympy.cancel(sympy.expand(value))


def _exact_values(values):
    """Cell values with undecided branches settled and simple forms kept (see :func:`symequiv.numeric.exact.settled`)."""
    return Values((_tidy(settled(v)) for v in values.flat), values.shape)


def _residual(pair):
    """D[f1...] - D[f2...] per cell, flat in row order."""
    first, second = pair
    return tuple(_tidy(a - b) for a, b in zip(first.flat, second.flat))


def _cells(grid):
    """Every cell of the grid, in row order: ints, or pairs (i, j)."""
    if grid.dim == 1:
        return tuple(range(grid.n))
    return tuple(itertools.product(*(range(n) for n in grid.shape)))


def _position(cell, grid):
    """The flat (row order) position of a cell."""
    if grid.dim == 1:
        return cell
    return cell[0] * grid.shape[1] + cell[1]


def _cell_name(position, grid):
    """The cell at a flat (row order) position: the int itself, or the pair (i, j)."""
    return divmod(position, grid.shape[1]) if grid.dim == 2 else position


def _certificate(cell, value, extra=0):
    """(method, certificate, dps) for a nonzero residual, or (None, None, None).

    ``extra``: digits the scale of the problem costs (see :func:`_sub_cell_digits`);
    the ball is tried at CERTIFICATE_DPS + extra first.
    """
    if value.is_Rational:
        if value == 0:
            return None, None, None
        return "symbolic", {"cell": cell, "kind": "exact", "value": value}, None
    first = min(CERTIFICATE_DPS + extra, MAX_DPS) if extra >= _NOTED_EXTRA else CERTIFICATE_DPS
    for dps in sorted({first, *(p for p in _ESCALATED_DPS if p > first)}):
        try:
            with working_precision(dps):
                ball = arb_value(value)
                if ball_excludes_zero(ball):
                    # mpf_of keeps every bit of the midpoint, so midpoint +- radius still encloses
                    certificate = {"cell": cell, "kind": "ball", "value": mpf_of(ball), "radius": radius_of(ball)}
                    return "interval", certificate, dps
        except (ValueError, ArithmeticError, TypeError):
            return None, None, None  # arb cannot enclose it, so it cannot certify it
    return None, None, None


def _verdict(D, d, holds, method, residual, certificate, dps, notes):
    from .verdict import (
        Verdict,  # imported here: verdict.py imports much of the package
    )

    return Verdict(
        _claim(D, d),
        holds,
        method,
        residual,
        cells=_cells(D.grid) if residual else (),  # no residual: a verdict that failed to recompute one
        total_cells=D.grid.cells,
        dps=dps,
        certificate=certificate,
        shift=d,
        notes=tuple(notes),
    )


# ------------------------------------------------------ numeric cross-check --


def _numeric_breakpoints(expr, variable=x):
    """Where ``expr`` may jump or kink along ``variable`` (mpmath numbers).

    Read off its conditions and kinks that depend on ``variable`` alone (an
    axis-aligned jump); one that also depends on another variable is not
    found here, and quadrature copes without the split or the tolerance judges.
    """
    arguments = [r.lhs - r.rhs for r in expr.atoms(sympy.core.relational.Relational)]
    for kink in expr.atoms(sympy.Heaviside, sympy.Abs, sympy.sign):
        arguments.append(kink.args[0])
    for kink in expr.atoms(sympy.Max, sympy.Min):
        arguments += [a - b for i, a in enumerate(kink.args) for b in kink.args[i + 1:]]
    points = []
    for argument in arguments:
        if argument.free_symbols != {variable}:
            continue
        try:
            poly = sympy.Poly(argument, variable)
        except sympy.PolynomialError:
            continue  # not polynomial: quadrature copes without the split, the tolerance judges
        if poly.degree() == 1:
            a, b = poly.all_coeffs()
            points.append(to_mpmath(-b / a))
        else:
            coefficients = [to_mpmath(c) for c in poly.all_coeffs()]
            points += [r for r in mpmath.polyroots(coefficients, extraprec=50) if mpmath.im(r) == 0]
    return sorted({mpmath.re(p) for p in points})


class _Axis:
    """One axis of the grid in mpmath numbers, with the breakpoints of the scene along it."""

    __slots__ = ("start", "length", "dx", "n", "periodic", "breaks")

    def __init__(self, grid, expr, variable):
        self.start, self.length, self.dx = to_mpmath(grid.start), to_mpmath(grid.length), to_mpmath(grid.dx)
        self.n, self.periodic = grid.n, grid.periodic
        breaks = _numeric_breakpoints(expr, variable)
        if self.periodic:  # read on [start, stop) and repeated: the window's start is a break too
            breaks = [b for b in breaks if self.start <= b < self.start + self.length] + [self.start]
        self.breaks = breaks

    def wrapped(self, t):
        if self.periodic:
            return t - self.length * mpmath.floor((t - self.start) / self.length)
        return t

    def split(self, lo, hi):
        """[lo, hi] cut at the breakpoints inside it (every copy of them on a periodic axis)."""
        inner = set()
        for b in self.breaks:
            if self.periodic:
                k = mpmath.ceil((lo - b) / self.length)
                while b + k * self.length < hi:
                    inner.add(b + k * self.length)
                    k += 1
            else:
                inner.add(b)
        return [lo] + sorted(p for p in inner if lo < p < hi) + [hi]


def _numeric_values(D, expr, d):
    """D[f.shifted(d)] by mpmath alone, flat in row order: quadrature or evaluation, at the current precision.

    ``d`` has one component per axis. The scene is read on the domain and
    repeated along periodic axes. A cell average is a nested quadrature over
    the variables ``expr`` uses, split at their breakpoints; along a variable
    it does not use (checked by its free symbols) the average of a function
    constant in it is that function (Fubini), so that integral is not taken
    and cells that differ only along it share one value.
    """
    grid = D.grid
    variables = _VARIABLES[:grid.dim]
    axes = [_Axis(line, expr, v) for line, v in zip(grid.axes, variables)]
    shifts = [to_mpmath(c) for c in d]
    function = sympy.lambdify(variables, expr, modules="mpmath")

    def f(point):
        return mpmath.mpf(function(*(axis.wrapped(t) for axis, t in zip(axes, point))))

    if isinstance(D, PointSample):
        first = [a.start + (a.dx / 2 if D.at == "center" else 0) for a in axes]
        places = [[p + i * a.dx - s for i in range(a.n)] for a, p, s in zip(axes, first, shifts)]
        return [f(point) for point in itertools.product(*places)]
    spans = [[(a.start + i * a.dx - s, a.start + (i + 1) * a.dx - s) for i in range(a.n)] for a, s in zip(axes, shifts)]
    used = [k for k, v in enumerate(variables) if v in expr.free_symbols]
    averages = {}
    values = []
    for box in itertools.product(*spans):
        key = tuple(box[k] for k in used)
        if key not in averages:
            averages[key] = _box_average(f, box, used, axes)
        values.append(averages[key])
    return values


def _box_average(f, box, used, axes):
    """The average of f over the box, integrating only along the ``used`` axes (f is constant along the rest)."""
    point = [lo for lo, _ in box]  # along an unused axis any point of the box will do
    if not used:
        return f(point)
    # Nested, tanh-sinh would evaluate f some 10**4 times per cell; on pieces split at the breakpoints the
    # integrands are smooth, where Gauss-Legendre converges fastest. Its degree is capped: a jump that is
    # not split (an oblique one) would otherwise cost minutes, and an inaccurate value only fails the check.
    method, degree = ("tanh-sinh", None) if len(used) == 1 else ("gauss-legendre", _NESTED_DEGREE)

    def integral(level):
        k = used[level]
        lo, hi = box[k]

        def integrand(t):
            point[k] = t
            return f(point) if level == len(used) - 1 else integral(level + 1)

        return mpmath.quad(integrand, axes[k].split(lo, hi), method=method, maxdegree=degree)

    size = mpmath.fprod(box[k][1] - box[k][0] for k in used)
    return integral(0) / size


def _disagreements(label, numeric, exact, dps, scale=1, grid=None):
    """Cells where a numeric value and an exact one differ beyond the cross-check's tolerance.

    ``dps`` digits are left after the scale of the problem (see
    :func:`_cross_check_scale`); ``scale`` is the size of the values compared
    (1 for point values, the sub-cell fraction for cell averages). Both
    sequences are flat, in row order; ``grid`` names the cells.
    """
    problems = []
    for position, (a, b) in enumerate(zip(numeric, exact)):
        b = to_mpmath(b)
        if abs(a - b) > mpmath.mpf(10) ** (8 - dps) * max(scale, abs(b)):
            cell = position if grid is None else _cell_name(position, grid)
            problems.append(f"{label}, cell {cell}: exact {b} but mpmath gives {mpmath.nstr(a, 15)}")
    return problems


class _TooClose(Exception):
    """The cross-check would need more digits than allowed (reported in the verdict's notes)."""


def _sub_cell_fraction(grid, d):
    """min(t, 1 - t) for t = frac(d / dx): how far d is from a whole number of cells, in cells (exact; one axis)."""
    cells = d / grid.dx
    t = cells - floor(cells)
    return t if sign(2 * t - 1) <= 0 else 1 - t


def _sub_cell_words(grid, d):
    return f"{mpmath.nstr(to_mpmath(sympy.N(_sub_cell_fraction(grid, d), 3)), 2)} of a cell"


# ------------------------------------------------------------ the witness --


class Witness:
    """Two signals that D cannot tell apart but whose translations it can.

    Built by :func:`witness`; build one by hand only to test :meth:`verify`.

    Attributes
    ==========

    discretizer : CellAverage or PointSample
    shift : the exact translation d (a pair (d_x, d_y) on a two-dimensional grid)
    f1, f2 : :class:`~symequiv.Signal`
    cell : the cell j0 where the translated discretizations differ (a pair
        (i, j) on a two-dimensional grid)
    before : (D[f1], D[f2]), equal
    after : (D[f1.shifted(d)], D[f2.shifted(d)]), different at ``cell``
    notes : tuple of strings
    verdict : :class:`~symequiv.judge.verdict.Verdict` refuting "some discrete shift
        g^h commutes with D at d", with its certificate
    """

    __slots__ = ("discretizer", "shift", "f1", "f2", "cell", "before", "after", "verdict", "notes", "_built")

    def __init__(self, discretizer, shift, f1, f2, cell, *, before, after, verdict, notes=(), _built=False):
        _check_discretizer(discretizer, "discretizer")
        for name, signal in (("f1", f1), ("f2", f2)):
            if not isinstance(signal, Signal):
                raise InvalidType(f"Expected a Signal for {name} but got {type(signal).__name__}: {short_repr(signal)}")
        grid = discretizer.grid
        self.discretizer = discretizer
        self.shift = _read_shift(shift, grid, "shift", [])
        self.f1, self.f2, self.cell = f1, f2, _checked_cell(cell, grid)
        self.before, self.after = tuple(before), tuple(after)
        self.verdict = verdict
        self.notes = tuple(notes)
        self._built = _built

    def verify(self):
        """Recompute both facts from the stored signals alone and return a fresh Verdict.

        Nothing stored in the witness but ``discretizer``, ``shift``, ``f1``,
        ``f2`` and ``cell`` is trusted:

        1. D[f1] and D[f2] through the discretizer's antiderivative route, on
           fresh Signals rebuilt from the expressions: equal exactly, cell by cell;
        2. D[f1.shifted(d)] - D[f2.shifted(d)] from the discretizer's closed
           forms evaluated at d: nonzero at ``cell``, certified exactly or by a
           ball;
        3. independently of the discretizer, every value of 1 and 2 again with
           mpmath (for CellAverage quadrature split at breakpoints read off
           the expressions, nested over x and y for a scene that depends on
           both; along a variable the expression does not use, its average is
           its value, which saves that integral; for PointSample direct
           evaluation), agreeing with the exact ones. It runs at 30 digits
           plus what the scale of the problem costs: a shift t dx away from a
           whole number of cells, on a grid whose numbers reach M, needs
           log10(M / (t dx)) more (a shift 10**-30 of a cell from a whole
           number: about 60 digits; in two dimensions the component that
           costs most decides), up to MAX_DPS; the verdict's notes say how
           many were used.

        The discretizer caches each signal's derivation; recomputing it would
        give the same exact functions, so route 3 is what guards against an
        error in the derivation itself.

        If all hold, the verdict refutes the claim (holds=False) with a new
        certificate. If any fails, or cannot be decided, it is holds=None,
        method "numeric", and its notes say what failed: never a false
        certificate.
        """
        D, d, cell = self.discretizer, self.shift, self.cell
        grid = D.grid
        position = _position(cell, grid)
        problems, residual = [], ()
        digits, extra, words = CROSS_CHECK_DPS, 0, ""
        try:
            f1 = Signal(self.f1.expr, period=self.f1.period)
            f2 = Signal(self.f2.expr, period=self.f2.period)
            before = (_exact_values(D(f1)), _exact_values(D(f2)))
            for k, (a, b) in enumerate(zip(before[0].flat, before[1].flat)):
                if is_zero(a - b) is not True:
                    problems.append(f"D[f1] and D[f2] are not proved equal at cell {_cell_name(k, grid)}: {a} vs {b}")
            after = tuple(_exact_values(D.closed_form(f).at(d)) for f in (f1, f2))
            residual = _residual(after)
            extra, scale, words = _cross_check_scale(grid, d)
            digits = CROSS_CHECK_DPS + extra
            method, certificate, dps = _certificate(cell, residual[position], extra)
            if certificate is None:
                problems.append(
                    f"D[f1.shifted(d)] - D[f2.shifted(d)] at cell {cell} is {residual[position]}, "
                    "not certified nonzero"
                )
            if digits > MAX_DPS:
                raise _TooClose(
                    f"d = {_shift_text(d)} is so close to a whole number of cells that the mpmath cross-check "
                    f"would need {digits} digits, more than the {MAX_DPS} allowed"
                )
            try:
                with mpmath.workdps(digits):
                    scale = to_mpmath(scale) if isinstance(D, CellAverage) else 1
                    unshifted = (0,) * grid.dim
                    for label, exact, signal, at in (
                        ("D[f1]", before[0], f1, unshifted),
                        ("D[f2]", before[1], f2, unshifted),
                        ("D[f1.shifted(d)]", after[0], f1, _components(d)),
                        ("D[f2.shifted(d)]", after[1], f2, _components(d)),
                    ):
                        numeric = _numeric_values(D, signal.expr, at)
                        problems += _disagreements(label, numeric, exact.flat, CROSS_CHECK_DPS, scale, grid)
            except (ArithmeticError, ValueError, TypeError, NameError) as exc:
                # mpmath could not evaluate the signal: the cross-check fails, nothing is certified
                problems.append(f"the mpmath cross-check could not be done: {type(exc).__name__}: {exc}")
        except _TooClose as exc:
            problems.append(f"not verified: {exc}")
        except SymequivError as exc:
            problems.append(f"verification stopped: {exc}")
        how = f"{digits} digits"
        if extra >= _NOTED_EXTRA:
            how += f" (raised from {CROSS_CHECK_DPS} because {words} from a whole number of cells)"
        notes = list(self.notes) + [f"verified from scratch; mpmath cross-check at {how} agrees"]
        if problems:
            notes = ["the witness does not verify, so nothing is certified"] + problems + list(self.notes)
            try:
                return _verdict(D, d, None, "numeric", residual, None, CROSS_CHECK_DPS, notes)
            except SymequivError:  # a residual a verdict cannot hold (it is reported in the notes)
                notes.append(f"residual: {[str(r) for r in residual]}")
                return _verdict(D, d, None, "numeric", (), None, CROSS_CHECK_DPS, notes)
        return _verdict(D, d, False, method, residual, certificate, dps, notes)

    # -- printing ------------------------------------------------------------

    def _repr_html_(self):
        """For notebooks: the two signals, their discretizations (the differing cell framed), the verdict."""
        return render.witness_html(self)

    def __repr__(self):
        shift = _shift_repr(self.shift)
        if self._built:
            return f"witness({self.discretizer!r}, {shift})"
        return (
            f"Witness({self.discretizer!r}, {shift}, {self.f1!r}, {self.f2!r}, {self.cell}, "
            f"before={self.before!r}, after={self.after!r}, verdict={self.verdict!r})"
        )

    def __str__(self):
        D, d, cell = self.discretizer, self.shift, self.cell
        (b1, b2), (a1, a2) = self.before, self.after
        if D.grid.dim == 1:
            at, variables, moved = f"d = {d} = {_tidy(d / D.grid.dx)} dx", "x", "x - d"
        else:
            cells = _shift_text(tuple(_tidy(c) for c in D.grid.cells_of_shift(d)))
            at, variables, moved = f"d = {_shift_text(d)}, {cells} cells", "x, y", "x - d_x, y - d_y"
        lines = [
            f"Witness of inequality (5) for {D!r} at {at}:",
            f"  f1({variables}) = {signal_text(self.f1)}",
            f"  f2({variables}) = {signal_text(self.f2)}",
            f"  D[f1] = D[f2] = {_listed(b1)}" if b1 == b2 else f"  D[f1] = {_listed(b1)}, D[f2] = {_listed(b2)}",
            f"  D[f1({moved})] = {_listed(a1)}",
            f"  D[f2({moved})] = {_listed(a2)}",
            f"  they differ at cell {cell} ({a1[cell]} vs {a2[cell]}): no discrete shift g^h can commute with D at d",
        ]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)

    def to_dict(self):
        """The witness as JSON-able data: exact numbers as strings; in two dimensions the shift and the cell
        as lists and the values as nested lists, row i for x-cell i."""
        verdict = self.verdict.to_dict() if self.verdict is not None else None
        two = isinstance(self.shift, tuple)
        return {
            "discretizer": repr(self.discretizer),
            "shift": [str(c) for c in self.shift] if two else str(self.shift),
            "f1": signal_text(self.f1),
            "f2": signal_text(self.f2),
            "cell": list(self.cell) if two else self.cell,
            "before": [_strings(values) for values in self.before],
            "after": [_strings(values) for values in self.after],
            "notes": list(self.notes),
            "verdict": verdict,
        }


def _checked_cell(cell, grid):
    """The cell, an int (one dimension) or a pair (i, j) of ints (two), inside the grid."""
    if grid.dim == 1:
        if isinstance(cell, bool) or not isinstance(cell, int) or not 0 <= cell < grid.n:
            raise InvalidArgument(f"Expected a cell index 0 <= cell < {grid.n} but got cell={short_repr(cell)}")
        return cell
    nx, ny = grid.shape
    if (
        not isinstance(cell, (tuple, list)) or len(cell) != 2
        or any(isinstance(i, bool) or not isinstance(i, int) for i in cell)
        or not (0 <= cell[0] < nx and 0 <= cell[1] < ny)
    ):
        raise InvalidArgument(
            f"Expected a cell (i, j) with 0 <= i < {nx} and 0 <= j < {ny} but got cell={short_repr(cell)}"
        )
    return tuple(cell)


def _shift_repr(d):
    if isinstance(d, tuple):
        return "(" + ", ".join(number_repr(c) for c in d) + ")"
    return number_repr(d)


def _listed(values):
    """Cell values as a (nested) list of their text: ``[0, 1/2]``, ``[[0, 0], [1/2, 1/2]]``."""
    if values.ndim == 1:
        return str(list(values))
    return "[" + ", ".join(_listed(row) for row in values) + "]"


def _strings(values):
    """Cell values as a (nested) list of strings."""
    if values.ndim == 1:
        return [str(v) for v in values]
    return [_strings(row) for row in values]
