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

When there is no witness
========================

* d a whole number of cells (t = 0, d = 0 included): on a periodic grid D
  commutes with the integer shift, so no witness exists; on a non-periodic grid
  only content entering through the boundary could separate two signals, a
  boundary effect rather than a translation effect. Both raise
  :class:`~symequiv.errors.InvalidArgument`.
* CellAverage on a periodic grid of one cell: D is the mean over a whole
  period, which every translation preserves, so D commutes with the identity.

Certificates
============

The residual at j0 is D[f1.shifted(d)]_j0 - D[f2.shifted(d)]_j0. When it is
an exact rational (always for rational d and rational grid bounds) the verdict
is "symbolic" with an exact certificate; otherwise (an irrational d, or bounds
such as pi) it is "interval" with an arb ball that excludes 0, computed at 50
digits (more if 50 do not separate the ball from 0; for a shift 10**-k of a
cell from a whole number of cells, k more from the start). :meth:`Witness.verify`
raises the digits of its mpmath cross-check the same way.
"""

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
from ..continuous.symbols import x
from ..discrete.values import Values

__all__ = ["witness", "Witness"]

#: Digits of the ball that certifies an irrational residual (raised if needed).
CERTIFICATE_DPS = 50
_ESCALATED_DPS = (CERTIFICATE_DPS, 200, 1000)
#: Digits of the numeric cross-check in :meth:`Witness.verify` (raised for shifts near whole cells).
CROSS_CHECK_DPS = 30
# Digits the scale of a problem costs before the notes mention it (and the certificate starts higher).
_NOTED_EXTRA = 10


def _claim(discretizer, d):
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
        The discretizer, on a periodic or non-periodic grid.
    d : number or string
        The translation, exact (``"1/4"`` and ``"0.25"`` are 1/4; a float is
        taken at its binary value and a note says so). Any d that is not a
        whole number of cells; it may be negative or exceed the domain.

    Raises
    ======

    InvalidType
        ``D`` is not a CellAverage or PointSample.
    InvalidArgument
        ``d`` is a whole number of cells, or ``D`` is a CellAverage on a
        periodic grid of one cell: no witness exists (or none that is not a
        boundary effect); the message says why.

    Examples
    ========

    >>> from symequiv import Grid, PointSample
    >>> w = witness(PointSample(Grid(0, 1, 2, periodic=True)), "-1/3")
    >>> w.f2
    Signal('Piecewise((0, x <= 5/12), (6*x - 5/2, x <= 7/12), (9/2 - 6*x, x <= 3/4), (0, True))')
    >>> w.before[1], w.after[1]
    (Values([0, 0]), Values([1, 0]))

    See the module docstring for the construction and why it is correct.
    """
    if not isinstance(D, (CellAverage, PointSample)):
        raise InvalidType(
            f"Expected a CellAverage or PointSample discretizer for D but got {type(D).__name__}: {short_repr(D)}"
        )
    notes = []
    exact_d = exact_number(d, "d")
    if is_binary_float(d):
        notes.append(
            f"d = {short_repr(d)} was a float; its exact binary value {exact_d} was used "
            f"(pass the string {str(d)!r} for the decimal value)"
        )
    grid = D.grid
    cells = exact_d / grid.dx
    m = floor(cells)
    t = cells - m
    if sign(t) == 0:
        raise InvalidArgument(_whole_cell_message(exact_d, cells, grid))
    if isinstance(D, CellAverage) and grid.periodic and grid.n == 1:
        raise InvalidArgument(
            f"d = {exact_d}: CellAverage on a periodic grid of one cell is the mean over a whole period, which "
            "every translation preserves, so D commutes with the identity at every d and no witness exists; "
            "use a grid of two or more cells"
        )
    fraction = t if sign(2 * t - 1) <= 0 else 1 - t  # min(t, 1 - t) > 0
    if isinstance(D, CellAverage):
        f2, cell, expected = _cell_average_bump(grid, m, fraction, notes)
    else:
        f2, cell, expected = _point_sample_bump(D, exact_d, fraction, notes)
    f1 = Signal(sympy.Integer(0))

    before = (_exact_values(D(f1)), _exact_values(D(f2)))
    after = (_exact_values(D(f1.shifted(exact_d))), _exact_values(D(f2.shifted(exact_d))))
    residual = tuple(_tidy(a - b) for a, b in zip(*after))
    unequal = [j for j, (a, b) in enumerate(zip(*before)) if is_zero(a - b) is not True]
    if unequal or is_zero(residual[cell] - expected) is not True:
        raise SymequivError(  # pragma: no cover - the construction's proof says this cannot happen
            f"internal error: the witness for {D!r} at d = {exact_d} does not behave as derived "
            f"(D[f1] = {before[0]}, D[f2] = {before[1]}, shifted: {after[0]}, {after[1]}); please report it"
        )
    method, certificate, dps = _certificate(cell, residual[cell], _sub_cell_digits(grid, exact_d) or 0)
    if certificate is None:
        raise InvalidArgument(
            f"d = {exact_d} is so close to a whole number of cells that the residual {residual[cell]} "
            f"could not be separated from 0 at {_ESCALATED_DPS[-1]} digits"
        )
    if dps is not None and dps > CERTIFICATE_DPS:
        notes.append(f"the certificate's ball was computed at {dps} digits")
    verdict = _verdict(D, exact_d, False, method, residual, certificate, dps, notes)
    return Witness(D, exact_d, f1, f2, cell, before=before, after=after, verdict=verdict, notes=notes, _built=True)


def _whole_cell_message(d, cells, grid):
    if grid.periodic:
        return (
            f"d = {d} is a whole number of cells ({cells}) on a periodic grid: D commutes with the integer "
            "shift there, so no witness exists; check_integer_shift proves the equality"
        )
    return (
        f"d = {d} is a whole number of cells ({cells}) on a non-periodic grid: only content entering "
        "through the boundary could separate two signals there, which is a boundary effect, not a "
        "translation effect, so no witness is given; check_integer_shift compares the cells away from the boundary"
    )


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


def _cell_average_bump(grid, m, fraction, notes):
    """(f2, j0, expected residual at j0) for CellAverage."""
    n, dx = grid.n, grid.dx
    cell = min(max(m, 0), n - 1)
    source = cell - m
    if grid.periodic:
        source %= n
    elif not 0 <= source <= n - 1:
        notes.append(
            f"the shift exceeds the domain, so the wavelet starts outside it, on cell {source} of the grid's "
            "infinite extension; its average over every cell of that extension is 0 as well, so the "
            "separation is a translation effect, not content entering through the boundary"
        )
    start = grid.start + source * dx
    return Signal(_haar(start, dx)), cell, -fraction


def _point_sample_bump(D, d, fraction, notes):
    """(f2, j0, expected residual at j0) for PointSample."""
    grid = D.grid
    n, dx, start, stop = grid.n, grid.dx, grid.start, grid.stop
    first = start + dx / 2 if D.at == "center" else start
    h = fraction * dx
    # Cells j0 whose hat centre p_j0 - d keeps the whole hat inside [start, stop].
    lowest = -floor(-(start + h - first + d) / dx)
    highest = floor((stop - h - first + d) / dx)
    inside = max(lowest, 0) <= min(highest, n - 1)
    cell = min(max(lowest, 0), n - 1)
    centre = first + cell * dx - d
    if inside:
        return Signal(_hat(centre, h)), cell, sympy.Integer(-1)
    if not grid.periodic:
        notes.append(
            f"the hat lies (partly) outside the domain, around x = {centre}; it vanishes at every sample point of "
            "the grid's infinite extension as well, so the separation is a translation effect, not content "
            "entering through the boundary"
        )
        return Signal(_hat(centre, h)), cell, sympy.Integer(-1)
    length = grid.length
    centre = centre - length * floor((centre - start) / length)
    copies = [centre]
    if sign(centre - h - start) < 0:
        copies.append(centre + length)
    if sign(centre + h - stop) > 0:
        copies.append(centre - length)
    if len(copies) > 1:
        notes.append(
            f"the hat around x = {centre} crosses an end of the periodic window [{start}, {stop}), so f2 is "
            f"written as the sum of its copies shifted by the period {length}; read on the window and "
            "repeated, it is the periodic hat"
        )
    return Signal(sympy.Add(*[_hat(c, h) for c in copies])), cell, sympy.Integer(-1)


# ------------------------------------------------------------- precision --


def _sub_cell_digits(grid, d):
    """Decimal digits lost to the scale of the problem: log10(M / h), at least 0.

    h = min(t, 1 - t) dx is the sub-cell part of d (t = frac(d / dx)): the
    width of the witness's bump, and the size of the CellAverage residual.
    Numbers of magnitude up to M (the grid's ends, d, dx) meet it, so a
    numeric check at p digits resolves h only with p + log10(M / h) digits.
    None when d is a whole number of cells.
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


def _cross_check_digits(grid, d):
    """Digits of the mpmath cross-check: CROSS_CHECK_DPS more than the scale of the problem costs."""
    extra = _sub_cell_digits(grid, d) or 0
    return CROSS_CHECK_DPS + extra, extra


# ---------------------------------------------------------- exact helpers --


def _tidy(value):
    """An exact number in a simpler form: rationals stay, others are expanded and cancelled."""
    if value.is_Rational:
        return value
    return sympy.cancel(sympy.expand(value))


def _exact_values(values):
    """Cell values with undecided branches settled and simple forms kept (see :func:`symequiv.numeric.exact.settled`)."""
    return Values(_tidy(settled(v)) for v in values)


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
        cells=tuple(range(len(residual))),
        total_cells=D.grid.n,
        dps=dps,
        certificate=certificate,
        shift=d,
        notes=tuple(notes),
    )


# ------------------------------------------------------ numeric cross-check --


def _numeric_breakpoints(expr):
    """Where ``expr`` may jump or kink, found from its conditions and kinks (mpmath numbers)."""
    arguments = [r.lhs - r.rhs for r in expr.atoms(sympy.core.relational.Relational)]
    for kink in expr.atoms(sympy.Heaviside, sympy.Abs, sympy.sign):
        arguments.append(kink.args[0])
    for kink in expr.atoms(sympy.Max, sympy.Min):
        arguments += [a - b for i, a in enumerate(kink.args) for b in kink.args[i + 1:]]
    points = []
    for argument in arguments:
        if x not in argument.free_symbols:
            continue
        try:
            poly = sympy.Poly(argument, x)
        except sympy.PolynomialError:
            continue  # not polynomial: quadrature copes without the split, the tolerance judges
        if poly.degree() == 1:
            a, b = poly.all_coeffs()
            points.append(to_mpmath(-b / a))
        else:
            coefficients = [to_mpmath(c) for c in poly.all_coeffs()]
            points += [r for r in mpmath.polyroots(coefficients, extraprec=50) if mpmath.im(r) == 0]
    return sorted({mpmath.re(p) for p in points})


def _numeric_values(D, expr, d):
    """D[f.shifted(d)] by mpmath alone: quadrature or evaluation, at the current precision."""
    grid = D.grid
    function = sympy.lambdify(x, expr, modules="mpmath")
    start, length, dx = to_mpmath(grid.start), to_mpmath(grid.length), to_mpmath(grid.dx)
    shift = to_mpmath(d)
    periodic = grid.periodic

    def f(y):
        if periodic:  # read on [start, stop) and repeated
            y = y - length * mpmath.floor((y - start) / length)
        return mpmath.mpf(function(y))

    if isinstance(D, PointSample):
        first = start + (dx / 2 if D.at == "center" else 0)
        return [f(first + j * dx - shift) for j in range(grid.n)]
    breaks = _numeric_breakpoints(expr)
    if periodic:
        breaks = [b for b in breaks if start <= b < start + length] + [start]
    values = []
    for j in range(grid.n):
        lo, hi = start + j * dx - shift, start + (j + 1) * dx - shift
        inner = set()
        for b in breaks:
            if periodic:
                k = mpmath.ceil((lo - b) / length)
                while b + k * length < hi:
                    inner.add(b + k * length)
                    k += 1
            else:
                inner.add(b)
        points = [lo] + sorted(p for p in inner if lo < p < hi) + [hi]
        values.append(mpmath.quad(f, points) / dx)
    return values


def _disagreements(label, numeric, exact, dps, scale=1):
    """Cells where a numeric value and an exact one differ beyond the cross-check's tolerance.

    ``dps`` digits are left after the scale of the problem (see
    :func:`_cross_check_digits`); ``scale`` is the size of the values compared
    (1 for point values, the sub-cell fraction for cell averages).
    """
    problems = []
    for j, (a, b) in enumerate(zip(numeric, exact)):
        b = to_mpmath(b)
        if abs(a - b) > mpmath.mpf(10) ** (8 - dps) * max(scale, abs(b)):
            problems.append(f"{label}, cell {j}: exact {b} but mpmath gives {mpmath.nstr(a, 15)}")
    return problems


class _TooClose(Exception):
    """The cross-check would need more digits than allowed (reported in the verdict's notes)."""


def _sub_cell_fraction(grid, d):
    """min(t, 1 - t) for t = frac(d / dx): how far d is from a whole number of cells, in cells (exact)."""
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
    shift : the exact translation d
    f1, f2 : :class:`~symequiv.Signal`
    cell : the cell j0 where the translated discretizations differ
    before : (D[f1], D[f2]), equal
    after : (D[f1.shifted(d)], D[f2.shifted(d)]), different at ``cell``
    notes : tuple of strings
    verdict : :class:`~symequiv.judge.verdict.Verdict` refuting "some discrete shift
        g^h commutes with D at d", with its certificate
    """

    __slots__ = ("discretizer", "shift", "f1", "f2", "cell", "before", "after", "verdict", "notes", "_built")

    def __init__(self, discretizer, shift, f1, f2, cell, *, before, after, verdict, notes=(), _built=False):
        if not isinstance(discretizer, (CellAverage, PointSample)):
            raise InvalidType(
                f"Expected a CellAverage or PointSample discretizer but got {type(discretizer).__name__}: "
                f"{short_repr(discretizer)}"
            )
        for name, signal in (("f1", f1), ("f2", f2)):
            if not isinstance(signal, Signal):
                raise InvalidType(f"Expected a Signal for {name} but got {type(signal).__name__}: {short_repr(signal)}")
        if isinstance(cell, bool) or not isinstance(cell, int) or not 0 <= cell < discretizer.grid.n:
            raise InvalidArgument(
                f"Expected a cell index 0 <= cell < {discretizer.grid.n} but got cell={short_repr(cell)}"
            )
        self.discretizer = discretizer
        self.shift = exact_number(shift, "shift")
        self.f1, self.f2, self.cell = f1, f2, cell
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
           mpmath (quadrature split at breakpoints read off the expressions
           for CellAverage, direct evaluation for PointSample), agreeing with
           the exact ones. It runs at 30 digits plus what the scale of the
           problem costs: a shift t dx away from a whole number of cells, on
           a grid whose numbers reach M, needs log10(M / (t dx)) more (a
           shift 10**-30 of a cell from a whole number: about 60 digits), up
           to MAX_DPS; the verdict's notes say how many were used.

        The discretizer caches each signal's derivation; recomputing it would
        give the same exact functions, so route 3 is what guards against an
        error in the derivation itself.

        If all hold, the verdict refutes the claim (holds=False) with a new
        certificate. If any fails, or cannot be decided, it is holds=None,
        method "numeric", and its notes say what failed: never a false
        certificate.
        """
        D, d, cell = self.discretizer, self.shift, self.cell
        problems, residual = [], ()
        digits, extra = CROSS_CHECK_DPS, 0
        try:
            f1 = Signal(self.f1.expr, period=self.f1.period)
            f2 = Signal(self.f2.expr, period=self.f2.period)
            before = (_exact_values(D(f1)), _exact_values(D(f2)))
            for j, (a, b) in enumerate(zip(*before)):
                if is_zero(a - b) is not True:
                    problems.append(f"D[f1] and D[f2] are not proved equal at cell {j}: {a} vs {b}")
            after = tuple(_exact_values(D.closed_form(f).at(d)) for f in (f1, f2))
            residual = tuple(_tidy(a - b) for a, b in zip(*after))
            digits, extra = _cross_check_digits(D.grid, d)
            method, certificate, dps = _certificate(cell, residual[cell], extra)
            if certificate is None:
                problems.append(
                    f"D[f1.shifted(d)] - D[f2.shifted(d)] at cell {cell} is {residual[cell]}, not certified nonzero"
                )
            if digits > MAX_DPS:
                raise _TooClose(
                    f"d = {d} is so close to a whole number of cells that the mpmath cross-check would need "
                    f"{digits} digits, more than the {MAX_DPS} allowed"
                )
            try:
                with mpmath.workdps(digits):
                    scale = to_mpmath(_sub_cell_fraction(D.grid, d)) if isinstance(D, CellAverage) else 1
                    for label, exact, signal, at in (
                        ("D[f1]", before[0], f1, 0),
                        ("D[f2]", before[1], f2, 0),
                        ("D[f1.shifted(d)]", after[0], f1, d),
                        ("D[f2.shifted(d)]", after[1], f2, d),
                    ):
                        numeric = _numeric_values(D, signal.expr, at)
                        problems += _disagreements(label, numeric, exact, CROSS_CHECK_DPS, scale)
            except (ArithmeticError, ValueError, TypeError, NameError) as exc:
                # mpmath could not evaluate the signal: the cross-check fails, nothing is certified
                problems.append(f"the mpmath cross-check could not be done: {type(exc).__name__}: {exc}")
        except _TooClose as exc:
            problems.append(f"not verified: {exc}")
        except SymequivError as exc:
            problems.append(f"verification stopped: {exc}")
        how = f"{digits} digits"
        if extra >= _NOTED_EXTRA:
            how += (f" (raised from {CROSS_CHECK_DPS} because d is {_sub_cell_words(D.grid, d)} "
                    "from a whole number of cells)")
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
        if self._built:
            return f"witness({self.discretizer!r}, {number_repr(self.shift)})"
        return (
            f"Witness({self.discretizer!r}, {number_repr(self.shift)}, {self.f1!r}, {self.f2!r}, {self.cell}, "
            f"before={self.before!r}, after={self.after!r}, verdict={self.verdict!r})"
        )

    def __str__(self):
        D, d, j = self.discretizer, self.shift, self.cell
        (b1, b2), (a1, a2) = self.before, self.after
        lines = [
            f"Witness of inequality (5) for {D!r} at d = {d} = {_tidy(d / D.grid.dx)} dx:",
            f"  f1(x) = {signal_text(self.f1)}",
            f"  f2(x) = {signal_text(self.f2)}",
            f"  D[f1] = D[f2] = {list(b1)}" if b1 == b2 else f"  D[f1] = {list(b1)}, D[f2] = {list(b2)}",
            f"  D[f1(x - d)] = {list(a1)}",
            f"  D[f2(x - d)] = {list(a2)}",
            f"  they differ at cell {j} ({a1[j]} vs {a2[j]}): no discrete shift g^h can commute with D at d",
        ]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)

    def to_dict(self):
        """The witness as JSON-able data (exact numbers as strings)."""
        verdict = self.verdict.to_dict() if self.verdict is not None else None
        return {
            "discretizer": repr(self.discretizer),
            "shift": str(self.shift),
            "f1": signal_text(self.f1),
            "f2": signal_text(self.f2),
            "cell": self.cell,
            "before": [[str(v) for v in values] for values in self.before],
            "after": [[str(v) for v in values] for values in self.after],
            "notes": list(self.notes),
            "verdict": verdict,
        }
