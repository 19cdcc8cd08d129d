"""Assertions for pytest suites: equivariance claims that must be proved.

Each helper runs the checker at one or more shifts and raises
:class:`AssertionError` unless every verdict is what the assertion asks for:

* :func:`assert_shift_equivariant`: D (then ``op``) is equivariant to shifts
  by whole cells (:func:`~symequiv.check_integer_shift`);
* :func:`assert_commutes`: the discrete shift g commutes with D (eq. 5) or
  with the layer after D (eq. 4) at every shift d
  (:func:`~symequiv.check_commutation`);
* :func:`assert_not_commutes`: it does *not* commute, certified, at every d.

Units, as everywhere in symequiv: a translation d is in units of x
(``deltas=["1/16"]`` moves the content by 1/16, whatever the cell size);
only a whole-cell shift counts cells, as in
:func:`~symequiv.check_integer_shift`: ``assert_shift_equivariant(..., n=2)``
shifts by two cells, d = 2 dx. Failure messages show both (``n = 2 (d = 1/4)``).

Two dimensions: on a grid ``Grid((x0, y0), (x1, y1), (nx, ny))`` every
shift is a pair, one entry per axis: ``deltas=[("1/8", "1/3")]`` translates
the scene by (1/8, 1/3), ``n=(1, -2)`` shifts by one cell along x and -2
along y (``n=[(1, 0), (0, 1)]`` for several shifts), and cells are pairs
(i, j) (x-cell i, y-cell j), or (c, i, j) with channels (a scene given as a
tuple of signals); failure messages name them so (``in cell (1, 2)``).

"Holds" means ``verdict.holds is True``: a proof. "Fails" means
``verdict.holds is False``: a certificate. An undecided verdict (``holds is
None``, a numeric result) satisfies neither, so the assertion fails and its
message says why the checker could not decide. The one exception is a
**black-box op** (any callable array -> array, e.g. a numpy layer): symequiv
cannot see inside it, so its verdicts are always numeric, with a ``bound``
(the largest |lhs - rhs|) judged against a tolerance. Within the tolerance
("numerically equal") passes the "equal" assertions as numeric evidence,
not a proof; above it ("numerically unequal: 0.032, tolerance 2.3e-13; not
certified") fails them, and passes :func:`assert_not_commutes` only when
the caller opts in with ``numeric_ok=True``.

The tolerance: ``tolerance=`` (an absolute bound on |lhs - rhs|) when
given; by default the verdict's own, 1024 units in the last place of the
largest magnitude involved at the precision the op ran at (about 2.3e-13
relative in float64), and, for an op that declares a coarser ``dtype``
(e.g. a torch module in float32), at least :func:`default_tolerance` of
that dtype (1024 units in its last place: about 1.2e-4 relative in
float32). As in e3nn's ``assert_equivariant``, the tolerance follows the
op's dtype so that rounding inside a float32 layer is not reported as a
broken symmetry; 1024 ulp (rather than e3nn's flat 1e-3 and 1e-9) is the
checker's own rule, scaled by the magnitudes, so it stays meaningful for
large and small signals alike.

On success each helper returns its verdicts, one per shift, for further
asserts. On failure the message shows the claim, the verdict in words and
its method, the shifts that failed and the worst of them (largest
|residual|), its residuals at the cells that differ (cells with residual 0,
or within the tolerance for a black box, are counted, not listed), the
boundary cells left out and the checker's notes. The helpers set
``__tracebackhide__`` so pytest shows the failing line of the test, not the
helper.

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

The same on a 2-D grid, with an oriented edge and shift pairs:

>>> D = se.CellAverage(se.Grid((0, 0), (1, 1), (4, 4), periodic=True))
>>> edge = se.Signal("Heaviside(x + 2*y - 1/3)")
>>> [v.holds for v in assert_commutes(D, edge, [("1/4", 0), (0, "1/2")], se.LinearShift())]
[True, True]
>>> assert_commutes(D, edge, [("1/8", 0)], se.LinearShift())
Traceback (most recent call last):
    ...
AssertionError: assert_commutes: expected the claim to hold (proved) at every shift, but it does not at 1 of 1 shift:
  d = (1/8, 0): fails (certified); largest |residual| 1/16 in cell (0, 0)
...
residuals at the worst shift (lhs - rhs):
    cell | residual | error bound
  -------+----------+------------
  (0, 0) |    -1/16 | exact
  (1, 0) |    7/144 | exact
  (2, 0) |     1/72 | exact
  (13 cells with residual 0 not listed)
"""

import math
import numbers
import operator
import warnings
from decimal import Decimal

import mpmath
import numpy
import sympy

from .discrete.blackbox import ULPS
from .judge.check import check_commutation, check_integer_shift
from .errors import InvalidArgument, InvalidType, SymequivError, short_repr
from .discrete.layers import Layer
from .numeric.numbers import to_mpmath
from .continuous.signal import Signal
from .numeric.decimals import decimal_ceiling

__all__ = [
    "assert_commutes",
    "assert_not_commutes",
    "assert_shift_equivariant",
    "default_tolerance",
    "DTYPE_BITS",
    "MAX_ROWS",
    "MAX_SHIFTS",
]

#: Rows of the residual table in a failure message before the rest is summarized.
MAX_ROWS = 16
#: Failed shifts listed one per line in a failure message before the rest is summarized.
MAX_SHIFTS = 16
# Significant digits of the numbers shown in a failure message.
_SHOWN_DIGITS = 6
#: Bits of the significand of each floating-point dtype an op may declare (``op.dtype``).
DTYPE_BITS = {"float64": 53, "float32": 24, "float16": 11, "bfloat16": 8}


def default_tolerance(dtype="float64", scale=1):
    """The default tolerance of a black-box comparison at ``dtype``: 1024 units in its last place.

    That is ``1024 * eps(dtype) * max(1, |scale|)``, where ``scale`` is the
    largest magnitude involved: the checker's rule for black boxes
    (:data:`symequiv.discrete.blackbox.ULPS` units in the last place), at the
    precision of the op's dtype instead of the precision it was run at.

    >>> from symequiv.testing import default_tolerance
    >>> print(default_tolerance("float64"), default_tolerance("float32"))
    2.27373675443232e-13 0.0001220703125
    >>> print(default_tolerance("float32", scale=100))
    0.01220703125

    Parameters
    ==========

    dtype : str, numpy dtype or torch dtype
        ``"float64"``, ``"float32"``, ``"float16"`` or ``"bfloat16"``.
    scale : number
        The largest magnitude of the values compared (at least 1 is used).
    """
    bits = DTYPE_BITS[_dtype_name(dtype)]
    with mpmath.workdps(30):
        return ULPS * max(mpmath.mpf(1), abs(mpmath.mpf(scale))) * mpmath.ldexp(mpmath.mpf(1), 1 - bits)


def _dtype_name(dtype):
    """``dtype`` (a str, numpy dtype, numpy type or torch dtype) as a key of DTYPE_BITS."""
    name = getattr(dtype, "name", None) if not isinstance(dtype, str) else dtype
    if not isinstance(name, str):
        try:
            name = numpy.dtype(dtype).name
        except TypeError:
            name = str(dtype)
    name = name.removeprefix("torch.")
    if name not in DTYPE_BITS:
        raise InvalidArgument(
            f"Expected a floating-point dtype among {', '.join(DTYPE_BITS)} but got dtype={short_repr(dtype)}"
        )
    return name


# ----------------------------------------------------------------- public --


def assert_shift_equivariant(D, f, op=None, *, n=1, cells=None, dps=50, tolerance=None, shifts=None):
    """Assert that D (then ``op``) is equivariant to shifts by whole cells.

    For each integer n (a number of cells, as :func:`~symequiv.check_integer_shift`'s
    n), the checker must prove op(D[f(x - n dx)]) = S_n op(D[f]) on the
    compared cells (``verdict.holds is True``). Cells the boundary reaches
    are left out, as in the checker. For a black-box ``op`` (a callable, not
    a symequiv layer) a numeric bound within the tolerance passes instead:
    numeric evidence, not a proof.

    Parameters
    ==========

    D : CellAverage or PointSample
    f : Signal (or an expression string)
    op : Layer or callable, optional
    n : int or sequence of int; on a 2-D grid a pair (nx, ny) or a sequence of pairs
        Whole numbers of cells (the only argument of symequiv.testing that
        counts cells; a translation d in units of x is ``n = d / dx``, per
        axis in 2-D: ``grid.cells_of_shift(d)``). On a 2-D grid an int n
        shifts by n cells along each axis in turn, ``[(n, 0), (0, n)]``:
        by default one cell along x, then one along y.
    cells : iterable of int, or of (i, j) pairs on a 2-D grid, optional
        Compare only these output cells.
    dps : int
        Digits of the numeric enclosures.
    tolerance : number, optional
        For a black-box ``op``: the largest |lhs - rhs| that counts as equal.
        Default: the verdict's tolerance, at least :func:`default_tolerance`
        of the op's ``dtype`` when it declares one.
    shifts : sequence of int
        The former name of ``n`` (deprecated: it counted cells while every
        other shift in symequiv is in units of x).

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
    >>> verdicts = assert_shift_equivariant(D, se.Signal("Heaviside(x - 1/3)"), edge, n=(1, 2, -3))
    >>> [(v.holds, v.method, v.shift) for v in verdicts]
    [(True, 'symbolic', 1/8), (True, 'symbolic', 1/4), (True, 'symbolic', -3/8)]

    In two dimensions, a 2-D edge detector on an oriented edge, shifted by
    one cell along x and -2 along y, then by one along y:

    >>> D = se.CellAverage(se.Grid((0, 0), (1, 1), (4, 4), periodic=True))
    >>> edge = se.Conv([[1, 0], [0, -1]], padding="circular") >> se.ReLU()
    >>> verdicts = assert_shift_equivariant(D, se.Signal("Heaviside(x + 2*y - 1/3)"), edge, n=[(1, -2), (0, 1)])
    >>> [(v.holds, v.shift) for v in verdicts]
    [(True, (1/4, -1/2)), (True, (0, 1/4))]
    """
    __tracebackhide__ = True
    if shifts is not None:
        if n != 1:
            raise InvalidType("Give the whole-cell shifts once, as n=...; shifts= is its former name")
        warnings.warn(
            "assert_shift_equivariant(shifts=...) is deprecated: write n=... (whole cells, as in "
            "check_integer_shift); every other shift in symequiv is a translation d in units of x",
            DeprecationWarning,
            stacklevel=2,
        )
        n = shifts
    counts = _integer_shifts(n, _dim(D))
    cells = _cells_once(cells)
    tolerance = _checked_tolerance(tolerance)
    verdicts = [check_integer_shift(D, f, m, op, dps=dps, cells=cells) for m in counts]
    labels = [f"n = {m} (d = {v.shift})" if v.shift is not None else f"n = {m}" for m, v in zip(counts, verdicts)]
    limits = _tolerances(verdicts, D, f, op, tolerance)
    _conclude("assert_shift_equivariant", verdicts, labels, limits, expect=True, black_box=_is_black_box(op))
    return verdicts


def assert_commutes(D, f, deltas, shift, op=None, *, cells=None, dps=50, tolerance=None):
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
    f : Signal (or an expression string); on a 2-D grid a scene, or a tuple of them (channels)
    deltas : iterable of numbers, or of pairs (dx, dy) on a 2-D grid
        The translations d in units of x (not cells), exact (``"1/16"`` is
        1/16); a single one is written ``["1/16"]`` (``[("1/8", 0)]`` in 2-D).
    shift : DiscreteShift
        IntegerShift(), LinearShift(), CubicShift(), LanczosShift() or FourierShift().
    op : Layer or callable, optional
        A callable (a black box) on 1-D grids only; the 2-D checks take symequiv layers.
    cells : iterable of int, or of (i, j) pairs on a 2-D grid, optional
        Compare only these output cells.
    dps : int
        Digits of the numeric enclosures.
    tolerance : number, optional
        For a black-box ``op``: the largest |lhs - rhs| that counts as equal
        (see :func:`assert_shift_equivariant`).

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

    A black box that is not equivariant fails, far above its tolerance; the
    table lists the cells that differ:

    >>> ramp = lambda b: numpy.asarray(b) * numpy.arange(len(b))
    >>> assert_commutes(D, wave, ["1/8"], se.IntegerShift(), ramp, tolerance="1/2")
    Traceback (most recent call last):
        ...
    AssertionError: assert_commutes: expected the claim to hold (proved, or ...) at every shift, but it does not at 1 of 1 shift:
      d = 1/8: numerically unequal: 2.61046, tolerance 0.5; not certified; largest |residual| 2.61046 in cell 0
    ...
    residuals at the worst shift (lhs - rhs):
      cell |  residual | error bound
      -----+-----------+------------
         0 |   2.61046 | unknown
         2 |  0.900316 | unknown
         3 |  0.900316 | unknown
         6 | -0.900316 | unknown
         7 | -0.900316 | unknown
      (3 cells within the tolerance 0.5 not listed)
    """
    __tracebackhide__ = True
    deltas = _shift_list(deltas, _dim(D))
    cells = _cells_once(cells)
    tolerance = _checked_tolerance(tolerance)
    verdicts = [check_commutation(D, f, d, shift, op, dps=dps, cells=cells) for d in deltas]
    limits = _tolerances(verdicts, D, f, op, tolerance)
    _conclude(
        "assert_commutes", verdicts, _delta_labels(deltas, verdicts), limits, expect=True, black_box=_is_black_box(op)
    )
    return verdicts


def assert_not_commutes(D, f, deltas, shift, op=None, *, cells=None, dps=50, tolerance=None, numeric_ok=False):
    """Assert that the discrete shift does not commute with D (and ``op``), certified, at every d.

    For each d in ``deltas``, :func:`~symequiv.check_commutation` must
    certify the inequality (``verdict.holds is False``): an exact nonzero
    residual, or a ball that excludes 0. A residual that is merely large is
    not enough.

    A black-box ``op`` (a callable, not a symequiv layer) can never be
    certified, because symequiv cannot see inside it. Its verdicts pass only
    with ``numeric_ok=True``, and then only when the bound reached exceeds
    the tolerance: numeric evidence, not a certificate. ``numeric_ok`` has
    no effect on symequiv layers.

    Parameters
    ==========

    D, f, deltas, shift, op, cells, dps, tolerance
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
    deltas = _shift_list(deltas, _dim(D))
    cells = _cells_once(cells)
    if not isinstance(numeric_ok, bool):
        raise InvalidType(f"Expected numeric_ok=True or False but got numeric_ok={short_repr(numeric_ok)}")
    tolerance = _checked_tolerance(tolerance)
    verdicts = [check_commutation(D, f, d, shift, op, dps=dps, cells=cells) for d in deltas]
    limits = _tolerances(verdicts, D, f, op, tolerance)
    _conclude(
        "assert_not_commutes", verdicts, _delta_labels(deltas, verdicts), limits,
        expect=False, black_box=_is_black_box(op), numeric_ok=numeric_ok,
    )
    return verdicts


# -------------------------------------------------------------- arguments --


def _is_black_box(op):
    return op is not None and not isinstance(op, Layer)


_NOT_WHOLE = "for a translation that is not a whole number of cells use assert_commutes (d in units of x)"


def _dim(D):
    """The dimension of D's grid (1 when D has none: the checker then says what is wrong with D)."""
    return getattr(getattr(D, "grid", None), "dim", 1)


def _integer_shifts(n, dim=1):
    """``n`` (an int, or a sequence of them; in 2-D a pair, or a sequence of pairs) as a non-empty list."""
    if dim == 2:
        return _integer_pairs(n)
    expected = "Expected an int or a sequence of int (whole cells) for n but got"
    if isinstance(n, (str, bytes)):
        raise InvalidType(f"{expected} the string n={short_repr(n)}")
    if not isinstance(n, bool) and isinstance(n, numbers.Integral):
        return [operator.index(n)]
    if not hasattr(n, "__iter__"):
        raise InvalidType(f"{expected} n={short_repr(n)}; {_NOT_WHOLE}")
    result = []
    for i, m in enumerate(n):
        result.append(_whole_cells(m, f"n[{i}]"))
    if not result:
        raise InvalidArgument("Expected at least one whole-cell shift in n but got none")
    return result


def _whole_cells(m, name):
    """One int (numpy integers accepted) or InvalidType naming it as ``name``."""
    if isinstance(m, bool):
        raise InvalidType(f"Expected int shifts (whole cells) but got {name}={short_repr(m)}")
    try:
        return operator.index(m)
    except TypeError:
        hint = "; a pair (nx, ny) is a shift on a 2-D grid" if _is_pair(m) else f"; {_NOT_WHOLE}"
        raise InvalidType(f"Expected int shifts (whole cells) but got {name}={short_repr(m)}{hint}") from None


def _integer_pairs(n):
    """A 2-D grid's whole-cell shifts: one pair (nx, ny) or a sequence of pairs, as a list of int pairs."""
    expected = "Expected a pair (nx, ny) of int (whole cells per axis), or a sequence of pairs, for n on a 2-D grid"
    if not isinstance(n, bool) and isinstance(n, numbers.Integral):  # n cells along each axis in turn
        return [(operator.index(n), 0), (0, operator.index(n))]
    if isinstance(n, (str, bytes)) or not hasattr(n, "__iter__"):
        raise InvalidType(f"{expected} but got n={short_repr(n)}")
    entries = list(n)
    if len(entries) == 2 and not any(_is_pair(m) for m in entries):
        return [tuple(_whole_cells(m, f"n[{axis}]") for axis, m in enumerate(entries))]
    result = []
    for i, pair in enumerate(entries):
        if not _is_pair(pair):
            raise InvalidType(f"{expected} but got n[{i}]={short_repr(pair)}")
        result.append(tuple(_whole_cells(m, f"n[{i}][{axis}]") for axis, m in enumerate(pair)))
    if not result:
        raise InvalidArgument("Expected at least one whole-cell shift in n but got none")
    return result


def _is_pair(value):
    return not isinstance(value, (str, bytes)) and hasattr(value, "__len__") and len(value) == 2


def _shift_list(deltas, dim=1):
    """``deltas`` as a non-empty list; each d is checked by check_commutation."""
    single = "[('1/8', 0)]" if dim == 2 else f"[{short_repr(deltas)}]"
    if isinstance(deltas, (str, bytes)) or not hasattr(deltas, "__iter__"):
        raise InvalidType(
            f"Expected an iterable of shifts but got deltas={short_repr(deltas)}; "
            f"write deltas={single} for a single shift"
        )
    result = list(deltas)
    if not result:
        raise InvalidArgument("Expected at least one shift in deltas but got none")
    if dim == 2 and len(result) == 2 and not any(_is_pair(d) for d in result):
        raise InvalidType(
            f"Expected an iterable of shifts (dx, dy) on a 2-D grid but got deltas={short_repr(deltas)}, one pair; "
            f"write deltas=[{short_repr(tuple(result))}] for a single shift"
        )
    return result


def _cells_once(cells):
    """A tuple, so that an iterator of cells serves every shift (the checker validates it)."""
    if cells is None or isinstance(cells, (str, bytes)) or not hasattr(cells, "__iter__"):
        return cells
    return tuple(cells)


def _delta_labels(deltas, verdicts):
    return [f"d = {v.shift}" if v.shift is not None else f"d = {short_repr(d)}" for d, v in zip(deltas, verdicts)]


def _checked_tolerance(tolerance):
    """``tolerance`` as a non-negative finite mpf, or None."""
    if tolerance is None:
        return None
    if isinstance(tolerance, bool) or not isinstance(tolerance, (numbers.Real, mpmath.mpf, str, sympy.Basic)):
        raise InvalidType(f"Expected a number for tolerance but got tolerance={short_repr(tolerance)}")
    if isinstance(tolerance, float) and not math.isfinite(tolerance):
        raise InvalidArgument(f"Expected a finite tolerance >= 0 but got tolerance={short_repr(tolerance)}")
    try:
        with mpmath.workdps(30):
            value = to_mpmath(sympy.Rational(tolerance) if isinstance(tolerance, str) else tolerance)
    except (SymequivError, TypeError, ValueError, ArithmeticError):
        raise InvalidType(f"Expected a number for tolerance but got tolerance={short_repr(tolerance)}") from None
    if not isinstance(value, mpmath.mpf) or not mpmath.isfinite(value) or value < 0:
        raise InvalidArgument(f"Expected a finite tolerance >= 0 but got tolerance={short_repr(tolerance)}")
    return value


def _tolerances(verdicts, D, f, op, tolerance):
    """The tolerance each black-box verdict is judged against (None for the others)."""
    if not _is_black_box(op):
        return [None] * len(verdicts)
    if tolerance is not None:
        return [tolerance] * len(verdicts)
    limits = [getattr(v, "tolerance", None) for v in verdicts]
    dtype = getattr(op, "dtype", None)
    try:
        bits = None if dtype is None else DTYPE_BITS[_dtype_name(dtype)]
    except InvalidArgument as exc:
        raise InvalidArgument(f"op.dtype: {exc}; or pass tolerance= to set the tolerance yourself") from None
    if bits is None or bits >= DTYPE_BITS["float64"]:
        return limits  # the checker's tolerance already follows the precision the op ran at
    floor = default_tolerance(dtype, _scale(D, f, op))
    return [None if limit is None else max(limit, floor) for limit in limits]


def _scale(D, f, op):
    """The largest magnitude of the pixels and of the op's outputs on them (float64, for a tolerance)."""
    values = [float(to_mpmath(v)) for v in D(f if isinstance(f, Signal) else Signal(f))]
    outputs = numpy.asarray(op(numpy.array(values, dtype=numpy.float64)), dtype=numpy.float64)
    return max([1.0] + [abs(v) for v in values] + [abs(float(v)) for v in outputs.ravel()])


# --------------------------------------------------------------- judgement --


def _numeric_outcome(verdict, tolerance):
    """"equal", "unequal" or None: what a black box's numeric verdict found against ``tolerance``.

    Verdict.numeric_outcome says the same against the verdict's own tolerance;
    the assertion may be given another one.
    """
    bound = getattr(verdict, "bound", None)
    if verdict.holds is not None or bound is None or tolerance is None:
        return None
    return "equal" if bound <= tolerance else "unequal"


def _judge(verdict, expect, *, black_box, numeric_ok=False, tolerance=None):
    """Whether ``verdict`` passes an assertion, in words: (passed, outcome, why).

    ``expect`` is True ("the claim holds") or False ("the claim fails").
    ``outcome`` says what the verdict found; ``why`` explains a rejection the
    outcome alone does not (empty otherwise). ``tolerance`` replaces the
    verdict's own for a black box.
    """
    holds = verdict.holds
    if holds is True:
        return expect, "holds (proved)", ""
    if holds is False:
        return not expect, "fails (certified)", ""
    if not black_box:
        return False, "undecided", "an undecided verdict is neither a proof nor a certificate (see its notes)"
    if tolerance is None:
        tolerance = getattr(verdict, "tolerance", None)
    found = _numeric_outcome(verdict, tolerance)
    if found is None:
        return False, "undecided", "the black box's verdict states no bound or tolerance, so it cannot be judged"
    bound = verdict.bound
    if found == "equal":
        outcome = f"numerically equal: {_shown(bound)}, tolerance {_shown(tolerance)}; not a proof"
        if expect:
            return True, outcome, ""
        return False, outcome, "the residuals are within the tolerance: numerically the claim holds"
    outcome = f"numerically unequal: {_shown(bound)}, tolerance {_shown(tolerance)}; not certified"
    if not expect and numeric_ok:
        return True, outcome, ""
    if not expect:
        return False, outcome, (
            "op is a black box, so symequiv cannot certify an inequality for it, only measure one; "
            "pass numeric_ok=True to accept numeric evidence (bound above tolerance)"
        )
    return False, outcome, ""


def _conclude(name, verdicts, labels, tolerances, *, expect, black_box, numeric_ok=False):
    """Raise AssertionError with a readable report unless every verdict passes."""
    __tracebackhide__ = True
    failed = []
    for label, verdict, tolerance in zip(labels, verdicts, tolerances):
        passed, outcome, why = _judge(verdict, expect, black_box=black_box, numeric_ok=numeric_ok, tolerance=tolerance)
        if not passed:
            failed.append((label, verdict, outcome, why, tolerance))
    if failed:
        raise AssertionError(_message(name, len(verdicts), failed, expect=expect, black_box=black_box))


def _message(name, total, failed, *, expect, black_box):
    if expect:
        wanted = "hold (proved" + (", or within tolerance numerically for a black box)" if black_box else ")")
    else:
        wanted = "fail (certified)"
    shifts = f"{total} shift{'s' if total > 1 else ''}"
    lines = [f"{name}: expected the claim to {wanted} at every shift, but it does not at {len(failed)} of {shifts}:"]
    for label, verdict, outcome, _, _ in failed[:MAX_SHIFTS]:
        lines.append(f"  {label}: {outcome}{_largest(verdict)}")
    if len(failed) > MAX_SHIFTS:
        lines.append(f"  ... {len(failed) - MAX_SHIFTS} more")
    worst = max(range(len(failed)), key=lambda i: (_max_residual(failed[i][1]), -i))
    label, verdict, _, _, tolerance = failed[worst]
    lines.append(f"worst shift: {label}")
    lines.extend(str(verdict).splitlines())
    own = getattr(verdict, "tolerance", None)
    if black_box and tolerance is not None and own is not None and tolerance != own:
        lines.append(f"  tolerance of this assertion: {_shown(tolerance)} (the verdict's own is {_shown(own)})")
    lines.append("residuals at the worst shift (lhs - rhs):")
    if black_box and tolerance is None:
        tolerance = own
    lines.extend("  " + row for row in _table(verdict, tolerance if black_box else None))
    reasons = []
    for _, _, _, why, _ in failed:
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


def _cells_text(count):
    return f"{count} cell{'s' if count > 1 else ''}"


def _table(verdict, tolerance=None):
    """The rows of a cell | residual | error bound table of the cells that differ, the largest first chosen.

    Cells with residual 0 (exactly, or 0.0 numerically) do not differ and are
    only counted; with a ``tolerance`` (a black box), neither are cells
    within it.
    """
    positions = range(len(verdict.cells))
    if not positions:
        return ["no cells were compared"]
    sizes = [_magnitude(r) for r in verdict.residual]
    differing = [i for i in positions if sizes[i] != 0 and (tolerance is None or sizes[i] > tolerance)]
    same = len(verdict.cells) - len(differing)
    if tolerance is None:
        rest = f"{_cells_text(same)} with residual 0 not listed"
    else:
        rest = f"{_cells_text(same)} within the tolerance {_shown(tolerance)} not listed"
    if not differing:
        return [f"every compared cell ({_cells_text(same)}) has residual 0" if tolerance is None else
                f"every compared cell ({_cells_text(same)}) is within the tolerance {_shown(tolerance)}"]
    shown = sorted(sorted(differing, key=lambda i: (-sizes[i], i))[:MAX_ROWS])
    rows = [("cell", "residual", "error bound")]
    rows += [(str(verdict.cells[i]), _residual_text(verdict.residual[i]), _error_text(verdict, i)) for i in shown]
    widths = [max(len(row[k]) for row in rows) for k in range(3)]
    lines = [f"{c:>{widths[0]}} | {r:>{widths[1]}} | {e}" for c, r, e in rows]
    lines.insert(1, f"{'-' * widths[0]}-+-{'-' * widths[1]}-+-{'-' * widths[2]}")
    left = len(differing) - len(shown)
    if left:
        largest = max(sizes[i] for i in differing if i not in shown)
        lines.append(f"... {_cells_text(left)} more, each with |residual| <= {_rounded_up(largest)}")
    if same:
        lines.append(f"({rest})")
    return lines
