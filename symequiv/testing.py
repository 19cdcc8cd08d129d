"""Assertions for pytest suites: equivariance claims that must be proved.

Each helper runs the checker at one or more shifts and raises
:class:`AssertionError` unless every verdict is what the assertion asks for:

* :func:`assert_shift_equivariant`: D (then ``op``) is equivariant to shifts
  by whole cells (:func:`~symequiv.check_integer_shift`);
* :func:`assert_commutes`: the discrete shift g commutes with D (eq. 5) or
  with the layer after D (eq. 4) at every shift d
  (:func:`~symequiv.check_commutation`);
* :func:`assert_not_commutes`: it does *not* commute, certified, at every d.

"Holds" means ``verdict.holds is True``: a proof. "Fails" means
``verdict.holds is False``: a certificate. An undecided verdict (``holds is
None``, a numeric result) satisfies neither, so the assertion fails and its
message says why the checker could not decide. The one exception is a
**black-box op** (any callable array -> array, e.g. a numpy layer): symequiv
cannot see inside it, so its verdicts are always numeric, with a ``bound``
(the largest |lhs - rhs|) and a ``tolerance`` derived from the precision
used. For a black box, ``bound <= tolerance`` passes the "equal" assertions
as numeric evidence (not a proof), and ``bound > tolerance`` passes
:func:`assert_not_commutes` only when the caller opts in with
``numeric_ok=True``.

On success each helper returns its verdicts, one per shift, for further
asserts. On failure the message shows the claim, the verdict in words and
its method, the shifts that failed and the worst of them (largest
|residual|), its residuals cell by cell, the boundary cells left out and the
checker's notes. The helpers set ``__tracebackhide__`` so pytest shows the
failing line of the test, not the helper.

>>> import symequiv as se
>>> from symequiv.testing import assert_commutes
>>> D = se.CellAverage(se.Grid(-1, 1, 4))
>>> [v.holds for v in assert_commutes(D, se.Signal("Heaviside(x)"), ["1/8", "1/4"], se.LinearShift())]
[True, True]
>>> assert_commutes(D, se.Signal("Heaviside(x - 1/4)"), ["1/8", "1/4"], se.LinearShift())
Traceback (most recent call last):
    ...
AssertionError: assert_commutes: expected the claim to hold (proved) at every shift, but it does not at 2 of 2 shifts:
  d = 1/8: fails (certified); largest |residual| 1/8 in cell 2
  d = 1/4: fails (certified); largest |residual| 1/4 in cell 2
worst shift: d = 1/4
...
"""

import operator
from decimal import Decimal

import mpmath
import sympy

from .check import check_commutation, check_integer_shift
from .errors import InvalidArgument, InvalidType, short_repr
from .layers import Layer
from .verdict import decimal_ceiling

__all__ = ["assert_commutes", "assert_not_commutes", "assert_shift_equivariant"]

#: Rows of the residual table in a failure message before the rest is summarized.
MAX_ROWS = 16
#: Failed shifts listed one per line in a failure message before the rest is summarized.
MAX_SHIFTS = 16
# Significant digits of the numbers shown in a failure message.
_SHOWN_DIGITS = 6


# ----------------------------------------------------------------- public --


def assert_shift_equivariant(D, f, op=None, *, shifts=(1,), cells=None, dps=50):
    """Assert that D (then ``op``) is equivariant to shifts by whole cells.

    For each integer n in ``shifts``, :func:`~symequiv.check_integer_shift`
    must prove op(D[f(x - n dx)]) = S_n op(D[f]) on the compared cells
    (``verdict.holds is True``). Cells the boundary reaches are left out, as
    in the checker. For a black-box ``op`` (a callable, not a symequiv
    layer) a numeric bound within the verdict's tolerance passes instead:
    numeric evidence, not a proof.

    Parameters
    ==========

    D : CellAverage or PointSample
    f : Signal (or an expression string)
    op : Layer or callable, optional
    shifts : sequence of int
        Whole numbers of cells; a single shift is written ``shifts=(2,)``.
    cells : iterable of int, optional
        Compare only these output cells.
    dps : int
        Digits of the numeric enclosures.

    Returns
    =======

    list of Verdict, one per shift.

    Raises
    ======

    AssertionError
        when some shift is not proved (or, for a black box, not within
        tolerance); the message shows the worst shift's residuals.

    Examples
    ========

    The paper's edge detector with circular padding on a periodic grid:

    >>> import symequiv as se
    >>> from symequiv.testing import assert_shift_equivariant
    >>> D = se.CellAverage(se.Grid(0, 1, 8, periodic=True))
    >>> edge = se.Conv([2, -2], origin=1, bias=-1, padding="circular") >> se.ReLU()
    >>> verdicts = assert_shift_equivariant(D, se.Signal("Heaviside(x - 1/3)"), edge, shifts=(1, 2, -3))
    >>> [(v.holds, v.method) for v in verdicts]
    [(True, 'symbolic'), (True, 'symbolic'), (True, 'symbolic')]
    """
    __tracebackhide__ = True
    shifts = _integer_shifts(shifts)
    cells = _cells_once(cells)
    verdicts = [check_integer_shift(D, f, n, op, dps=dps, cells=cells) for n in shifts]
    labels = [f"n = {n} (d = {v.shift})" if v.shift is not None else f"n = {n}" for n, v in zip(shifts, verdicts)]
    _conclude("assert_shift_equivariant", verdicts, labels, expect=True, black_box=_is_black_box(op))
    return verdicts


def assert_commutes(D, f, deltas, shift, op=None, *, cells=None, dps=50):
    """Assert that the discrete shift commutes with D (and ``op``) at every d.

    For each d in ``deltas``, :func:`~symequiv.check_commutation` must prove
    D[f(x - d)] = shift(D[f], d) (the paper's eq. 5, without ``op``) or
    op(D[f(x - d)]) = shift(op(D[f]), d) (eq. 4, with ``op``) on the compared
    cells. For a black-box ``op`` (a callable, not a symequiv layer) a
    numeric bound within the verdict's tolerance passes instead: numeric
    evidence, not a proof.

    Parameters
    ==========

    D : CellAverage or PointSample
    f : Signal (or an expression string)
    deltas : iterable of numbers
        The shifts d in units of x, exact (``"1/16"`` is 1/16); a single
        shift is written ``["1/16"]``.
    shift : DiscreteShift
        IntegerShift(), LinearShift(), CubicShift() or FourierShift().
    op : Layer or callable, optional
    cells : iterable of int, optional
        Compare only these output cells.
    dps : int
        Digits of the numeric enclosures.

    Returns
    =======

    list of Verdict, one per shift.

    Raises
    ======

    AssertionError
        when some d is not proved (or, for a black box, not within
        tolerance).

    Examples
    ========

    Trigonometric interpolation translates the pixels of a band-limited wave
    exactly:

    >>> import symequiv as se
    >>> from symequiv.testing import assert_commutes
    >>> D = se.CellAverage(se.Grid(0, 1, 8, periodic=True))
    >>> wave = se.Signal("sin(2*pi*x)", period=1)
    >>> [v.holds for v in assert_commutes(D, wave, ["1/16"], se.FourierShift())]
    [True]

    A user's numpy layer is a black box: numeric evidence only.

    >>> import numpy
    >>> double = lambda b: 2 * numpy.asarray(b)
    >>> [v.holds for v in assert_commutes(D, wave, ["1/16"], se.FourierShift(), double)]
    [None]
    """
    __tracebackhide__ = True
    deltas = _shift_list(deltas)
    cells = _cells_once(cells)
    verdicts = [check_commutation(D, f, d, shift, op, dps=dps, cells=cells) for d in deltas]
    _conclude("assert_commutes", verdicts, _delta_labels(deltas, verdicts), expect=True, black_box=_is_black_box(op))
    return verdicts


def assert_not_commutes(D, f, deltas, shift, op=None, *, cells=None, dps=50, numeric_ok=False):
    """Assert that the discrete shift does not commute with D (and ``op``), certified, at every d.

    For each d in ``deltas``, :func:`~symequiv.check_commutation` must
    certify the inequality (``verdict.holds is False``): an exact nonzero
    residual, or a ball that excludes 0. A residual that is merely large is
    not enough.

    A black-box ``op`` (a callable, not a symequiv layer) can never be
    certified, because symequiv cannot see inside it. Its verdicts pass only
    with ``numeric_ok=True``, and then only when the bound reached exceeds
    the verdict's tolerance: numeric evidence, not a certificate.
    ``numeric_ok`` has no effect on symequiv layers.

    Parameters
    ==========

    D, f, deltas, shift, op, cells, dps
        As for :func:`assert_commutes`.
    numeric_ok : bool
        Accept numeric evidence of inequality for a black-box ``op``.

    Returns
    =======

    list of Verdict, one per shift.

    Raises
    ======

    AssertionError
        when some d is not certified (or, for a black box with
        ``numeric_ok=True``, within tolerance).

    Examples
    ========

    >>> import symequiv as se
    >>> from symequiv.testing import assert_not_commutes
    >>> D = se.CellAverage(se.Grid(0, 1, 8, periodic=True))
    >>> wave = se.Signal("sin(2*pi*x)", period=1)
    >>> [v.method for v in assert_not_commutes(D, wave, ["1/16", "3/32"], se.LinearShift())]
    ['interval', 'interval']
    >>> import numpy
    >>> double = lambda b: 2 * numpy.asarray(b)
    >>> assert_not_commutes(D, wave, ["1/16"], se.LinearShift(), double)
    Traceback (most recent call last):
        ...
    AssertionError: assert_not_commutes: expected the claim to fail (certified) at every shift, but ...
    ...pass numeric_ok=True...
    >>> [v.holds for v in assert_not_commutes(D, wave, ["1/16"], se.LinearShift(), double, numeric_ok=True)]
    [None]
    """
    __tracebackhide__ = True
    deltas = _shift_list(deltas)
    cells = _cells_once(cells)
    if not isinstance(numeric_ok, bool):
        raise InvalidType(f"Expected numeric_ok=True or False but got numeric_ok={short_repr(numeric_ok)}")
    verdicts = [check_commutation(D, f, d, shift, op, dps=dps, cells=cells) for d in deltas]
    _conclude(
        "assert_not_commutes", verdicts, _delta_labels(deltas, verdicts),
        expect=False, black_box=_is_black_box(op), numeric_ok=numeric_ok,
    )
    return verdicts


# -------------------------------------------------------------- arguments --


def _is_black_box(op):
    return op is not None and not isinstance(op, Layer)


def _integer_shifts(shifts):
    """``shifts`` as a non-empty list of int (numpy integers accepted)."""
    if isinstance(shifts, (str, bytes)):
        raise InvalidType(f"Expected a sequence of int shifts but got the string shifts={short_repr(shifts)}")
    if not hasattr(shifts, "__iter__"):
        raise InvalidType(
            f"Expected a sequence of int shifts but got shifts={short_repr(shifts)}; "
            f"write shifts=({short_repr(shifts)},) for a single shift"
        )
    result = []
    for i, n in enumerate(shifts):
        if isinstance(n, bool):
            raise InvalidType(f"Expected int shifts (whole cells) but got shifts[{i}]={short_repr(n)}")
        try:
            result.append(operator.index(n))
        except TypeError:
            raise InvalidType(
                f"Expected int shifts (whole cells) but got shifts[{i}]={short_repr(n)}; "
                "for a shift that is not a whole number of cells use assert_commutes"
            ) from None
    if not result:
        raise InvalidArgument("Expected at least one shift in shifts but got none")
    return result


def _shift_list(deltas):
    """``deltas`` as a non-empty list; each d is checked by check_commutation."""
    if isinstance(deltas, (str, bytes)) or not hasattr(deltas, "__iter__"):
        raise InvalidType(
            f"Expected an iterable of shifts but got deltas={short_repr(deltas)}; "
            f"write deltas=[{short_repr(deltas)}] for a single shift"
        )
    result = list(deltas)
    if not result:
        raise InvalidArgument("Expected at least one shift in deltas but got none")
    return result


def _cells_once(cells):
    """A tuple, so that an iterator of cells serves every shift (the checker validates it)."""
    if cells is None or isinstance(cells, (str, bytes)) or not hasattr(cells, "__iter__"):
        return cells
    return tuple(cells)


def _delta_labels(deltas, verdicts):
    return [f"d = {v.shift}" if v.shift is not None else f"d = {short_repr(d)}" for d, v in zip(deltas, verdicts)]


# --------------------------------------------------------------- judgement --


def _judge(verdict, expect, *, black_box, numeric_ok=False):
    """Whether ``verdict`` passes an assertion, in words: (passed, outcome, why).

    ``expect`` is True ("the claim holds") or False ("the claim fails").
    ``outcome`` says what the verdict found; ``why`` explains a rejection the
    outcome alone does not (empty otherwise).
    """
    holds = verdict.holds
    if holds is True:
        return expect, "holds (proved)", ""
    if holds is False:
        return not expect, "fails (certified)", ""
    if not black_box:
        return False, "undecided", "an undecided verdict is neither a proof nor a certificate (see its notes)"
    bound, tolerance = verdict.bound, getattr(verdict, "tolerance", None)
    if bound is None or tolerance is None:
        return False, "undecided", "the black box's verdict states no bound or tolerance, so it cannot be judged"
    if bound <= tolerance:
        outcome = f"holds numerically (bound {_shown(bound)} <= tolerance {_shown(tolerance)}; not a proof)"
        if expect:
            return True, outcome, ""
        return False, outcome, "the residuals are within the tolerance: numerically the claim holds"
    outcome = f"fails numerically (bound {_shown(bound)} > tolerance {_shown(tolerance)}; not certified)"
    if not expect and numeric_ok:
        return True, outcome, ""
    if not expect:
        return False, outcome, (
            "op is a black box, so symequiv cannot certify an inequality for it, only measure one; "
            "pass numeric_ok=True to accept numeric evidence (bound above tolerance)"
        )
    return False, outcome, ""


def _conclude(name, verdicts, labels, *, expect, black_box, numeric_ok=False):
    """Raise AssertionError with a readable report unless every verdict passes."""
    __tracebackhide__ = True
    failed = []
    for label, verdict in zip(labels, verdicts):
        passed, outcome, why = _judge(verdict, expect, black_box=black_box, numeric_ok=numeric_ok)
        if not passed:
            failed.append((label, verdict, outcome, why))
    if failed:
        raise AssertionError(_message(name, len(verdicts), failed, expect=expect, black_box=black_box))


def _message(name, total, failed, *, expect, black_box):
    if expect:
        wanted = "hold (proved" + (", or within tolerance numerically for a black box)" if black_box else ")")
    else:
        wanted = "fail (certified)"
    shifts = f"{total} shift{'s' if total > 1 else ''}"
    lines = [f"{name}: expected the claim to {wanted} at every shift, but it does not at {len(failed)} of {shifts}:"]
    for label, verdict, outcome, _ in failed[:MAX_SHIFTS]:
        lines.append(f"  {label}: {outcome}{_largest(verdict)}")
    if len(failed) > MAX_SHIFTS:
        lines.append(f"  ... {len(failed) - MAX_SHIFTS} more")
    worst = max(range(len(failed)), key=lambda i: (_max_residual(failed[i][1]), -i))
    label, verdict, _, _ = failed[worst]
    lines.append(f"worst shift: {label}")
    lines.extend(str(verdict).splitlines())
    lines.append("residuals at the worst shift (lhs - rhs):")
    lines.extend("  " + row for row in _table(verdict))
    reasons = []
    for _, _, _, why in failed:
        if why and why not in reasons:
            reasons.append(why)
    lines.extend(f"why: {why}" for why in reasons)
    return "\n".join(lines)


# --------------------------------------------------------------- printing --


def _max_residual(verdict):
    value = verdict.max_residual
    return mpmath.mpf(-1) if value is None else value


def _largest(verdict):
    if verdict.worst_cell is None:
        return ""
    value = verdict.residual[verdict.cells.index(verdict.worst_cell)]
    shown = str(abs(value)) if isinstance(value, sympy.Rational) else _shown(verdict.max_residual)
    return f"; largest |residual| {shown} in cell {verdict.worst_cell}"


def _shown(value):
    """An mpf in a few significant digits (rounded first, so a 5000-digit mantissa prints fast)."""
    with mpmath.workdps(_SHOWN_DIGITS + 5):
        return mpmath.nstr(+value, _SHOWN_DIGITS)


def _approximate(value):
    """An exact residual as an mpf to about 20 digits (for display and ranking only)."""
    with mpmath.workdps(20):
        if value.is_Rational:
            return mpmath.mpf(int(value.p)) / int(value.q)
        return mpmath.mpf(sympy.Float(value.evalf(20), 20))


def _magnitude(value):
    return abs(value) if isinstance(value, mpmath.mpf) else abs(_approximate(value))


def _residual_text(value):
    if isinstance(value, mpmath.mpf):
        return _shown(value)
    if value.is_Rational:
        return str(value)
    approximation = _shown(_approximate(value))
    text = str(value)
    return f"{approximation} (exactly {text})" if len(text) <= 40 else f"{approximation} (exact)"


def _error_text(verdict, position):
    if not isinstance(verdict.residual[position], mpmath.mpf):
        return "exact"
    bounds = verdict.error_bounds
    if bounds is None or bounds[position] is None:
        return "unknown"
    return f"<= {_rounded_up(bounds[position])}"


def _rounded_up(value, digits=2):
    """A short decimal at least ``value``: a shown error bound must stay a bound."""
    if value <= 0:
        return "0"
    mantissa, step = decimal_ceiling(value, digits)
    if mantissa == 10**digits:  # rounded up to the next power of ten: one digit fewer
        mantissa, step = 10 ** (digits - 1), step + 1
    return str(Decimal(mantissa).scaleb(step)).replace("E", "e")


def _table(verdict):
    """The rows of a cell | residual | error bound table, the largest residuals first chosen."""
    positions = range(len(verdict.cells))
    if not positions:
        return ["no cells were compared"]
    sizes = [_magnitude(r) for r in verdict.residual]
    shown = sorted(sorted(positions, key=lambda i: (-sizes[i], i))[:MAX_ROWS])
    rows = [("cell", "residual", "error bound")]
    rows += [(str(verdict.cells[i]), _residual_text(verdict.residual[i]), _error_text(verdict, i)) for i in shown]
    widths = [max(len(row[k]) for row in rows) for k in range(3)]
    lines = [f"{c:>{widths[0]}} | {r:>{widths[1]}} | {e}" for c, r, e in rows]
    lines.insert(1, f"{'-' * widths[0]}-+-{'-' * widths[1]}-+-{'-' * widths[2]}")
    left = len(verdict.cells) - len(shown)
    if left:
        rest = max(sizes[i] for i in positions if i not in shown)
        lines.append(f"... {left} more cell{'s' if left > 1 else ''}, each with |residual| <= {_rounded_up(rest)}")
    return lines
