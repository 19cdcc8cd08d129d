"""The answer of every check: a :class:`Verdict` that says how it was obtained.

A verdict states a claim ("D[f(x - d)] = LinearShift(D[f], d) on the compared
cells"), whether it holds, and the evidence: one residual (lhs - rhs) per
compared cell. The constructor enforces DESIGN.md's rules, so a verdict that
claims a proof it does not have cannot be built:

* ``holds=True`` needs a proof: method ``"symbolic"`` and every residual the
  exact sympy zero (rule 1);
* ``holds=False`` needs a certificate: an exact residual proved nonzero
  (method ``"symbolic"``) or a ball that encloses a residual and excludes 0
  (method ``"interval"``) (rule 2);
* ``holds=None`` (undecided) is what a numeric computation gives, however
  small its residuals (rule 1);
* boundary cells are never compared (rule 4).

>>> import sympy
>>> from symequiv.judge.verdict import Verdict
>>> claim = "D[f(x - d)] = LinearShift(D[f], d) on the compared cells"
>>> v = Verdict(claim, False, "symbolic", [sympy.Integer(0), sympy.Rational(-1, 8)],
...             cells=(1, 2), boundary_cells=(0, 3), shift=sympy.Rational(1, 4),
...             certificate={"cell": 2, "kind": "exact", "value": sympy.Rational(-1, 8)})
>>> v.holds, v.certified, v.worst_cell, v.max_residual
(False, True, 2, mpf('0.125'))
>>> Verdict.from_json(v.to_json()) == v
True

A tiny numeric residual is not a proof:

>>> import mpmath
>>> Verdict("A = B", True, "numeric", [mpmath.mpf("1e-60")], cells=(0,), dps=50)
Traceback (most recent call last):
    ...
symequiv.errors.InvalidArgument: rule 1: holds=True needs a proof, so method must be 'symbolic' but got ...

Serialization: :meth:`Verdict.to_dict` / :meth:`Verdict.to_json` write exact
values as sympy strings and numeric values at ``dps`` digits;
:meth:`Verdict.from_dict` / :meth:`Verdict.from_json` read them back with the
safe parser (never ``eval``). Functions the parser does not know are written in
terms of ones it does (``cot(a)`` as ``1/tan(a)``). Every written error bound,
ball radius and bound is rounded *up* and widened by the rounding of its value,
so what is read back still bounds what it bounded.
"""

import copy
import json
import operator
from collections.abc import Mapping

import mpmath
import sympy
from sympy.core.function import AppliedUndef

from . import render
from . import verdict_json
from ..numeric.balls import (
    MAX_DPS,
    MIN_DPS,
    arb_value,
    bits_for_digits,
    ball_excludes_zero,
    mpf_of,
    radius_of,
    working_precision,
)
from ..numeric.decimals import (
    abs_exact,
    add_up,
    is_exact,
    magnitude,
    nstr,
)
from ..errors import (
    InvalidArgument,
    InvalidType,
    SymequivError,
    short_repr,
)

__all__ = ["Verdict"]

METHODS = ("symbolic", "interval", "numeric")
#: Precision used for an all-exact verdict's numeric summaries.
DEFAULT_DPS = 50
def _rule(number, text):
    return InvalidArgument(f"rule {number}: {text}")


# ---------------------------------------------------------------- numbers --


def _exact(value, name):
    """``value`` as an exact, finite, real sympy number, or an error naming ``name``."""
    if isinstance(value, bool):
        raise InvalidType(f"Expected an exact sympy number for {name} but got the bool {short_repr(value)}")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, sympy.Rational):
        return value  # exact, finite and real: nothing to check
    if not isinstance(value, sympy.Expr):
        raise InvalidType(
            f"Expected an exact sympy number or an mpmath.mpf for {name} but got "
            f"{type(value).__name__}: {short_repr(value)}"
        )
    if value.free_symbols:
        raise InvalidArgument(f"Expected a number for {name} but got {name}={value}, which has free symbols")
    if value.atoms(AppliedUndef):
        raise InvalidArgument(f"Expected a number for {name} but {name}={value} applies an undefined function")
    if value.atoms(sympy.Float):
        raise InvalidArgument(
            f"Expected an exact value for {name} but {name}={value} contains a binary sympy Float; "
            "use a Rational, or an mpmath.mpf for a numeric value"
        )
    if value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
        raise InvalidArgument(f"Expected a finite value for {name} but got {name}={value}")
    if value.has(sympy.I) or value.is_extended_real is False:
        raise InvalidArgument(f"Expected a real value for {name} but got {name}={value}")
    return value


def _numeric(value, name):
    """``value`` as a finite mpmath number, or an error naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (mpmath.mpf, int)):
        raise InvalidType(
            f"Expected an mpmath.mpf for {name} but got {type(value).__name__}: {short_repr(value)}"
        )
    if isinstance(value, int):
        with mpmath.workprec(max(53, value.bit_length())):
            value = mpmath.mpf(value)
    if not mpmath.isfinite(value):
        raise InvalidArgument(f"Expected a finite number for {name} but got {name}={value}")
    return value


def _entry(value, name):
    """A residual entry: exact sympy number or mpf."""
    if isinstance(value, mpmath.mpf):
        return _numeric(value, name)
    if isinstance(value, float):
        raise InvalidType(
            f"Expected an exact sympy number or an mpmath.mpf for {name} but got the float {short_repr(value)}; "
            "a float is neither exact nor at a stated precision"
        )
    return _exact(value, name)


def _cell_indices(values, name):
    """The cells as a tuple: ints (one dimension), pairs (i, j) of a 2-D grid or triples (c, i, j) with channels.

    One kind only.
    """
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise InvalidType(f"Expected a sequence of cell indices for {name} but got {short_repr(values)}")
    result = [_cell_index(value, f"{name}[{position}]") for position, value in enumerate(values)]
    if len({len(i) if isinstance(i, tuple) else 1 for i in result}) > 1:
        raise InvalidArgument(f"Expected the cells in {name} to be all ints, all pairs (i, j) or all (c, i, j)")
    if len(set(result)) != len(result):
        repeated = sorted({i for i in result if result.count(i) > 1})
        raise InvalidArgument(f"Expected distinct cell indices in {name} but {repeated} appear more than once")
    return tuple(result)


def _cell_index(value, name):
    """One cell: an int >= 0, or a pair (i, j) or triple (c, i, j) of them."""
    if isinstance(value, (tuple, list)):
        if len(value) not in (2, 3):
            raise InvalidArgument(
                f"Expected a cell (i, j), or (c, i, j) with channels, but got {name}={short_repr(value)}"
            )
        return tuple(_cell_index(v, f"{name}[{k}]") for k, v in enumerate(value))
    if isinstance(value, bool):
        raise InvalidType(f"Expected an int cell index in {name.split('[')[0]} but got {name}={short_repr(value)}")
    try:
        index = operator.index(value)
    except TypeError:
        raise InvalidType(
            f"Expected an int cell index in {name.split('[')[0]} but got {name}={short_repr(value)}"
        ) from None
    if index < 0:
        raise InvalidArgument(f"Expected cell indices >= 0 in {name.split('[')[0]} but got {name}={index}")
    return index


def _checked_error_bounds(error_bounds, residual):
    """None, or one mpf bound >= 0 (or None) per residual; None for exact entries."""
    if error_bounds is None:
        return None
    if isinstance(error_bounds, (str, bytes)) or not hasattr(error_bounds, "__iter__"):
        raise InvalidType(f"Expected None or a sequence for error_bounds but got {short_repr(error_bounds)}")
    error_bounds = tuple(error_bounds)
    if len(error_bounds) != len(residual):
        raise InvalidArgument(
            f"Expected one error bound per residual but error_bounds has {len(error_bounds)} "
            f"entries and residual has {len(residual)}"
        )
    checked = []
    for i, (r, e) in enumerate(zip(residual, error_bounds)):
        if e is not None:
            if is_exact(r):
                raise InvalidArgument(
                    f"residual[{i}]={r} is exact, so error_bounds[{i}] must be None but got {short_repr(e)}"
                )
            e = _numeric(e, f"error_bounds[{i}]")
            if e < 0:
                raise InvalidArgument(f"Expected error_bounds[{i}] >= 0 but got {e}")
        checked.append(e)
    return None if all(e is None for e in checked) else tuple(checked)


def _checked_total(total, cells, boundary_cells):
    """None, or the number of output cells: an int that every cell index is below."""
    if total is None:
        return None
    if isinstance(total, bool) or not isinstance(total, int):
        raise InvalidType(f"Expected an int number of output cells or None but got total_cells={short_repr(total)}")
    every = (*cells, *boundary_cells)
    if every and isinstance(every[0], tuple):  # cells (i, j): the grid has at least as many cells as are named
        needed = len(every)
    else:
        needed = max(every, default=-1) + 1
    if total < max(needed, 1):
        raise InvalidArgument(
            f"Expected total_cells >= {max(needed, 1)} (every cell index is below it) but got total_cells={total}"
        )
    return total


def _checked_notes(notes):
    if isinstance(notes, str) or not hasattr(notes, "__iter__"):
        raise InvalidType(
            f"Expected a sequence of str for notes (wrap a single note as (note,)) but got {short_repr(notes)}"
        )
    notes = tuple(notes)
    for i, note in enumerate(notes):
        if not isinstance(note, str):
            raise InvalidType(f"Expected str notes but got notes[{i}]={short_repr(note)}")
    return notes


def _enclosure(value, dps):
    """A ball around an exact value as an exact (low, high) pair of mpf, or None."""
    try:
        with working_precision(dps):
            ball = arb_value(verdict_json.writable(value))
    except (SymequivError, ArithmeticError, TypeError, ValueError):
        return None
    if not ball.is_finite():
        return None
    return _interval(mpf_of(ball), radius_of(ball), dps)


def _interval(middle, radius, dps):
    """(low, high) with low <= middle - radius and middle + radius <= high, rounded outwards.

    Not computed exactly: a radius of 2**-10**6 next to a middle of 1 would
    need a million bits, and outward rounding keeps the interval an enclosure.
    """
    bits = bits_for_digits(dps) + 64
    return (
        mpmath.fsub(middle, radius, prec=bits, rounding="f"),
        mpmath.fadd(middle, radius, prec=bits, rounding="c"),
    )


def _provably_nonzero(value, dps):
    """True when an exact value is shown nonzero by ball arithmetic (or by sympy)."""
    for digits in (max(dps, DEFAULT_DPS), 10 * max(dps, DEFAULT_DPS)):
        try:
            with working_precision(min(digits, MAX_DPS)):
                ball = arb_value(verdict_json.writable(value))
        except (SymequivError, ArithmeticError, TypeError, ValueError):
            # arb cannot evaluate it: ask sympy, which checks its own accuracy.
            return value.is_zero is False
        if ball_excludes_zero(ball):
            return True
    return False


# ---------------------------------------------------------------- Verdict --


class Verdict:
    r"""The outcome of a check: a claim, whether it holds, and the evidence.

    Explanation
    ===========

    ``holds`` is ``True`` (proved: every residual is the exact zero),
    ``False`` (certified: a certificate shows some residual nonzero) or
    ``None`` (undecided: a numeric computation reached ``bound`` but proves
    nothing). The constructor refuses any combination that would claim more
    than the evidence shows; see the module docstring for the rules.

    Parameters
    ==========

    claim : str
        The statement checked, e.g.
        ``"D[f(x - d)] = LinearShift(D[f], d) on the compared cells"``.
    holds : True, False or None
    method : {"symbolic", "interval", "numeric"}
        How the verdict was reached.
    residual : sequence
        One lhs - rhs per compared cell: an exact sympy number (no free
        symbols, no Float) or an ``mpmath.mpf`` at ``dps`` digits.
    cells : sequence of int
        The compared cell index of each residual (distinct, >= 0).
    boundary_cells : sequence of int
        Cells left out because boundary data affects them (rule 4).
    dps : int or None
        Decimal digits of the numeric values; required when any is present.
    error_bounds : None or sequence
        Per cell, an mpf upper bound on |numeric value - true residual|, or
        ``None`` (an exact entry, or a numeric one whose error is unknown).
    bound : None or mpf
        What a numeric verdict established: |lhs - rhs| <= bound on every
        compared cell (at least max of |residual| + error).
    certificate : None or dict
        Required when ``holds`` is False:
        ``{"cell": j, "kind": "exact", "value": <nonzero exact number>}``
        (method "symbolic") or
        ``{"cell": j, "kind": "ball", "value": <mpf>, "radius": <mpf>}`` with
        radius < |value| (method "interval").
    shift : None, exact sympy number or pair
        The shift d ((dx, dy) on a 2-D grid).
    notes : sequence of str
    tolerance : None or mpf
        For a numeric verdict on a black-box op: the tolerance its bound is
        judged against (see :attr:`numeric_outcome`).
    total_cells : None or int
        How many output cells the grid has, so that a rendering can say how
        many of them the verdict covers ("on 5 of 8 cells").

    Raises
    ======

    InvalidArgument
        naming the rule, when the evidence does not support ``holds``.
    InvalidType
        when an argument has an unusable type.

    Examples
    ========

    >>> import mpmath, sympy
    >>> from symequiv.judge.verdict import Verdict
    >>> proved = Verdict("S_1 D[f] = D[f.shifted(dx)]", True, "symbolic", [0, 0, 0], cells=(0, 1, 2))
    >>> proved
    Verdict(claim='S_1 D[f] = D[f.shifted(dx)]', holds=True, method='symbolic', ...)
    >>> ball = {"cell": 1, "kind": "ball", "value": mpmath.mpf("0.03"), "radius": mpmath.mpf("1e-40")}
    >>> fails = Verdict("A = B", False, "interval", [mpmath.mpf(0), mpmath.mpf("0.03")],
    ...                 cells=(0, 1), dps=30, error_bounds=[None, mpmath.mpf("1e-40")], certificate=ball)
    >>> print(fails)
    Verdict: fails (certified) on 2 compared cells
      claim: A = B
      method: interval (ball arithmetic with rigorous radii); precision: 30 digits
      compared cells: 0..1 (2); boundary cells: none
      largest |residual|: 0.03 in cell 1
      certificate: the residual of cell 1 is 0.03 (to 6 digits), enclosed in a ball of radius at most 1.0e-40
        that excludes 0
    >>> Verdict("A = B", False, "interval", [mpmath.mpf("0.03")], cells=(0,), dps=30,
    ...         certificate={"cell": 0, "kind": "ball", "value": mpmath.mpf("0.03"), "radius": mpmath.mpf("0.05")})
    Traceback (most recent call last):
        ...
    symequiv.errors.InvalidArgument: rule 2: a ball certificate must exclude 0, so radius < |value|, but ...
    """

    __slots__ = (
        "_bound", "_boundary_cells", "_cells", "_certificate", "_claim", "_dps", "_error_bounds",
        "_holds", "_magnitudes", "_method", "_notes", "_residual", "_shift", "_tolerance", "_total_cells",
        "_written",
    )

    def __init__(self, claim, holds, method, residual=(), *, cells=(), boundary_cells=(), dps=None,
                 error_bounds=None, bound=None, certificate=None, shift=None, notes=(), tolerance=None,
                 total_cells=None):
        if not isinstance(claim, str):
            raise InvalidType(f"Expected a str claim but got {type(claim).__name__}: {short_repr(claim)}")
        if not claim.strip():
            raise InvalidArgument("Expected a non-empty claim, the statement checked, but got claim=''")
        if not (holds is None or isinstance(holds, bool)):
            raise InvalidType(f"Expected holds=True, False or None but got holds={short_repr(holds)}")
        if not isinstance(method, str):
            raise InvalidType(f"Expected a str method but got {type(method).__name__}: {short_repr(method)}")
        if method not in METHODS:
            names = ", ".join(map(repr, METHODS))
            raise InvalidArgument(f"Expected method to be one of {names} but got method={short_repr(method)}")
        if dps is not None:
            if isinstance(dps, bool) or not isinstance(dps, int):
                raise InvalidType(f"Expected an int number of digits or None but got dps={short_repr(dps)}")
            if not MIN_DPS <= dps <= MAX_DPS:
                raise InvalidArgument(f"Expected {MIN_DPS} <= dps <= {MAX_DPS} but got dps={dps}")

        if isinstance(residual, (str, bytes, Mapping)) or not hasattr(residual, "__iter__"):
            raise InvalidType(f"Expected a sequence of residuals but got residual={short_repr(residual)}")
        residual = tuple(_entry(r, f"residual[{i}]") for i, r in enumerate(residual))
        cells = _cell_indices(cells, "cells")
        boundary_cells = _cell_indices(boundary_cells, "boundary_cells")
        if len(cells) != len(residual):
            raise InvalidArgument(
                f"Expected one cell index per residual but cells has {len(cells)} entries "
                f"and residual has {len(residual)}"
            )
        both = sorted(set(cells) & set(boundary_cells))
        if both:
            raise _rule(4, f"a boundary cell is never compared, but cells {both} are in both cells and boundary_cells")

        error_bounds = _checked_error_bounds(error_bounds, residual)
        if bound is not None:
            bound = _numeric(bound, "bound")
            if bound < 0:
                raise InvalidArgument(f"Expected bound >= 0 but got bound={bound}")
        if isinstance(shift, (tuple, list)):  # a 2-D shift (dx, dy)
            if len(shift) != 2:
                raise InvalidArgument(f"Expected a shift d or a pair (dx, dy) but got shift={short_repr(shift)}")
            shift = tuple(_exact(s, f"shift[{k}]") for k, s in enumerate(shift))
        elif shift is not None:
            shift = _exact(shift, "shift")
        notes = _checked_notes(notes)
        if tolerance is not None:
            # The tolerance a numeric comparison was judged against (black-box ops): a statement of
            # the precision used, never a proof, so only numeric verdicts carry one.
            tolerance = _numeric(tolerance, "tolerance")
            if tolerance < 0:
                raise InvalidArgument(f"Expected tolerance >= 0 but got tolerance={tolerance}")
            if method != "numeric":
                raise _rule(1, f"a tolerance belongs to a numeric verdict, but method={short_repr(method)}")

        total_cells = _checked_total(total_cells, cells, boundary_cells)

        numeric = (
            any(not is_exact(r) for r in residual) or error_bounds is not None or bound is not None
            or (isinstance(certificate, Mapping) and certificate.get("kind") == "ball")
        )
        if numeric and dps is None:
            raise InvalidArgument("Numeric values need their precision: pass dps=<digits> (dps=None means all exact)")
        if method == "symbolic" and any(not is_exact(r) for r in residual):
            first = next(i for i, r in enumerate(residual) if not is_exact(r))
            raise InvalidArgument(
                f"method='symbolic' means exact residuals, but residual[{first}]={residual[first]} is an mpf; "
                "use method='interval' or 'numeric'"
            )

        self._claim = claim
        self._holds = holds
        self._method = method
        self._residual = residual
        self._cells = cells
        self._boundary_cells = boundary_cells
        self._dps = dps
        self._error_bounds = error_bounds
        self._bound = bound
        self._shift = shift
        self._notes = notes
        self._tolerance = tolerance
        self._total_cells = total_cells
        self._magnitudes = None
        self._written = None
        self._certificate = None
        self._check_rules(certificate)
        if bound is not None:
            self._check_bound()

    # ------------------------------------------------------------ the rules --

    def _check_rules(self, certificate):
        holds, method = self._holds, self._method
        if holds is True:
            if method != "symbolic":
                raise _rule(
                    1,
                    f"holds=True needs a proof, so method must be 'symbolic' but got method={short_repr(method)}; "
                    "a numeric result gives holds=None",
                )
            if certificate is not None:
                raise _rule(1, "holds=True takes no certificate; a certificate shows that a claim fails")
            if not self._cells:
                raise _rule(1, "holds=True needs a proof on at least one compared cell, but cells is empty")
            for i, r in enumerate(self._residual):
                if not (isinstance(r, sympy.Basic) and r == 0):
                    raise _rule(
                        1,
                        f"holds=True needs every residual to be the exact zero, but residual[{i}]={r} "
                        f"(cell {self._cells[i]}); simplify it to 0 or report holds=False/None",
                    )
        elif holds is False:
            if certificate is None:
                raise _rule(2, "holds=False needs a certificate: an exact nonzero residual or a ball that excludes 0")
            self._certificate = self._checked_certificate(certificate)
        else:
            if method != "numeric":
                raise _rule(
                    1,
                    f"holds=None (undecided) is a numeric outcome, so method must be 'numeric' but got "
                    f"method={short_repr(method)}",
                )
            if certificate is not None:
                raise _rule(2, "holds=None takes no certificate; a certified failure is holds=False")

    def _checked_certificate(self, certificate):
        if not isinstance(certificate, Mapping):
            raise InvalidType(f"Expected a dict certificate but got {short_repr(certificate)}")
        kind = certificate.get("kind")
        expected = {"exact": {"cell", "kind", "value"}, "ball": {"cell", "kind", "value", "radius"}}
        if kind not in expected:
            raise InvalidArgument(f"Expected certificate['kind'] to be 'exact' or 'ball' but got {short_repr(kind)}")
        keys = set(certificate)
        if keys != expected[kind]:
            raise InvalidArgument(
                f"Expected a {kind!r} certificate to have exactly the keys {sorted(expected[kind])} "
                f"but got {sorted(map(str, keys))}"
            )
        (cell,) = _cell_indices([certificate["cell"]], "certificate['cell']")
        if cell not in self._cells:
            raise _rule(2, f"the certificate's cell {cell} must be a compared cell, one of cells={self._cells}")
        position = self._cells.index(cell)
        residual = self._residual[position]
        dps = self._dps or DEFAULT_DPS
        if kind == "exact":
            if self._method != "symbolic":
                raise _rule(2, f"an exact certificate comes from method='symbolic' but got method={self._method!r}")
            value = _exact(certificate["value"], "certificate['value']")
            if value == 0 or not _provably_nonzero(value, dps):
                raise _rule(
                    2, f"an exact certificate needs a value proved nonzero, but {value} could not be shown nonzero"
                )
            if value != residual:
                difference = _enclosure(value - residual, dps)
                if difference is not None and (difference[0] > 0 or difference[1] < 0):
                    raise _rule(
                        2,
                        f"the certificate's value {value} differs from residual[{position}]={residual} of cell {cell}",
                    )
            return {"cell": cell, "kind": "exact", "value": value}
        if self._method != "interval":
            raise _rule(2, f"a ball certificate comes from method='interval' but got method={self._method!r}")
        value = _numeric(certificate["value"], "certificate['value']")
        radius = _numeric(certificate["radius"], "certificate['radius']")
        if radius < 0:
            raise InvalidArgument(f"Expected certificate['radius'] >= 0 but got {radius}")
        if not radius < abs_exact(value):
            raise _rule(
                2, f"a ball certificate must exclude 0, so radius < |value|, but radius={radius} and value={value}"
            )
        ball = _interval(value, radius, self._dps)
        if is_exact(residual):
            other = _enclosure(residual, dps)
        else:
            error = self._error_bounds[position] if self._error_bounds else None
            other = None if error is None else _interval(residual, error, self._dps)
        if other is not None and (other[1] < ball[0] or other[0] > ball[1]):
            raise _rule(
                2,
                f"the certificate's ball {value} +- {radius} and the enclosure of residual[{position}] "
                f"(cell {cell}) are disjoint, so they cannot be the same residual",
            )
        return {"cell": cell, "kind": "ball", "value": value, "radius": radius}

    def _check_bound(self):
        dps = self._dps
        reached = mpmath.mpf(0)
        for i, r in enumerate(self._residual):
            error = self._error_bounds[i] if self._error_bounds else None
            if is_exact(r):
                size = magnitude(r, dps)
            else:
                size = abs_exact(r) if error is None else add_up(abs_exact(r), error, dps)
            reached = max(reached, size)
        with mpmath.workdps(dps):
            # A numeric bound is not a proof: tolerate the rounding of one
            # computed at dps digits, or in float64 arithmetic.
            low = reached - reached * mpmath.mpf(10) ** max(4 - dps, -12)
        if self._bound < low:
            raise InvalidArgument(
                f"bound must be at least max |residual| + error = {nstr(reached, 8)} "
                f"but got bound={nstr(self._bound, 8)}"
            )

    # ----------------------------------------------------------- attributes --

    @property
    def claim(self):
        """The statement checked."""
        return self._claim

    @property
    def holds(self):
        """True (proved), False (certified to fail) or None (undecided)."""
        return self._holds

    @property
    def method(self):
        """``"symbolic"``, ``"interval"`` or ``"numeric"``."""
        return self._method

    @property
    def residual(self):
        """One lhs - rhs per compared cell, exact (sympy) or numeric (mpf)."""
        return self._residual

    @property
    def cells(self):
        """The compared cell indices, one per residual."""
        return self._cells

    @property
    def boundary_cells(self):
        """Cells left out of the comparison because boundary data affects them."""
        return self._boundary_cells

    @property
    def dps(self):
        """Decimal digits of the numeric values, or None when all is exact."""
        return self._dps

    @property
    def error_bounds(self):
        """None, or per cell an mpf bound on the numeric error (None for exact entries)."""
        return self._error_bounds

    @property
    def bound(self):
        """For a numeric verdict: |lhs - rhs| <= bound was reached numerically (not proved)."""
        return self._bound

    @property
    def tolerance(self):
        """For a numeric verdict on a black-box op: the tolerance derived from the precision used, else None."""
        return self._tolerance

    @property
    def within_tolerance(self):
        """True when the bound reached is within the tolerance (numeric evidence of equality, not a proof).

        None when the verdict has no tolerance.
        """
        if self._tolerance is None or self._bound is None:
            return None
        return bool(self._bound <= self._tolerance)

    @property
    def numeric_outcome(self):
        """What a numeric verdict with a tolerance found, in one word; None otherwise.

        ``"equal"`` when the bound reached is within the tolerance,
        ``"unequal"`` when it is above: numeric evidence, never a proof or a
        certificate (``holds`` stays None). None for a decided verdict and
        for a numeric one without a tolerance.

        >>> import mpmath
        >>> from symequiv.judge.verdict import Verdict
        >>> v = Verdict("A = B", None, "numeric", [mpmath.mpf("0.032")], cells=(0,), dps=15,
        ...             bound=mpmath.mpf("0.032"), tolerance=mpmath.mpf("2.3e-13"))
        >>> v.holds, v.numeric_outcome
        (None, 'unequal')
        >>> str(v).splitlines()[0]
        'Verdict: numerically unequal (|lhs - rhs| reaches 0.032, tolerance 2.3e-13; not certified) on 1 compared cell'
        """
        within = self.within_tolerance
        if self._holds is not None or within is None:
            return None
        return "equal" if within else "unequal"

    @property
    def total_cells(self):
        """How many output cells the grid has (compared, boundary and not requested), or None if not stated."""
        return self._total_cells

    @property
    def certificate(self):
        """None, or a copy of the certificate dict that makes ``holds=False``."""
        return None if self._certificate is None else dict(self._certificate)

    @property
    def shift(self):
        """The exact shift d, or None."""
        return self._shift

    @property
    def notes(self):
        """Remarks on how the inputs were read (a float's exact value, ...)."""
        return self._notes

    @property
    def certified(self):
        """True when the verdict is decided (proved or certified), False when undecided."""
        return self._holds is not None

    def _sizes(self):
        if self._magnitudes is None:
            dps = self._dps or DEFAULT_DPS
            self._magnitudes = tuple(magnitude(r, dps) for r in self._residual)
        return self._magnitudes

    @property
    def magnitudes(self):
        """|residual| per compared cell, as mpf (at ``dps``, or 50 digits when exact)."""
        return self._sizes()

    @property
    def worst_cell(self):
        """The compared cell with the largest |residual| (the first on a tie), or None.

        >>> import mpmath, sympy
        >>> from symequiv.judge.verdict import Verdict
        >>> v = Verdict("A = B", False, "symbolic", [sympy.Rational(1, 3), -sympy.sqrt(2) / 2],
        ...             cells=(4, 5), certificate={"cell": 4, "kind": "exact", "value": sympy.Rational(1, 3)})
        >>> v.worst_cell, mpmath.nstr(v.max_residual, 50)
        (5, '0.70710678118654752440084436210484903928483593768847')
        """
        sizes = self._sizes()
        if not sizes:
            return None
        return self._cells[max(range(len(sizes)), key=lambda i: (sizes[i], -i))]

    @property
    def max_residual(self):
        """The largest |residual| as an mpf (at ``dps``, or 50 digits when exact), or None."""
        sizes = self._sizes()
        return max(sizes) if sizes else None

    # -------------------------------------------------------- serialization --

    def to_dict(self):
        """The verdict as plain JSON-able data (str, int, bool, None, lists, dicts).

        Exact numbers are sympy strings (``{"exact": "-1/8 + sqrt(2)/4"}``),
        numeric ones ``{"value": <dps digits>, "error": <bound or null>}``.
        The output is deterministic, and :meth:`from_dict` rebuilds an equal
        verdict from it.

        >>> import sympy
        >>> from symequiv.judge.verdict import Verdict
        >>> v = Verdict("A = B", True, "symbolic", [0], cells=(3,), shift=sympy.Rational(1, 2))
        >>> v.to_dict()["residual"], v.to_dict()["shift"]
        ([{'exact': '0'}], '1/2')
        """
        return copy.deepcopy(self._written_dict())

    def _written_dict(self):
        # A verdict is immutable, so its written form is computed once.
        if self._written is None:
            self._written = self._data()
        return self._written

    def _data(self):
        return verdict_json.written(self)

    def to_json(self, indent=None):
        """:meth:`to_dict` as JSON text, keys sorted (deterministic)."""
        return json.dumps(self._written_dict(), sort_keys=True, indent=indent)

    @classmethod
    def from_dict(cls, data):
        """Rebuild a verdict from :meth:`to_dict` output, checking every rule again.

        Exact strings are read by the safe parser, numeric ones by
        ``mpmath.mpf`` at the verdict's ``dps``; nothing is evaluated as code.

        >>> from symequiv.judge.verdict import Verdict
        >>> Verdict.from_dict({"claim": "A = B"})
        Traceback (most recent call last):
            ...
        symequiv.errors.InvalidArgument: Verdict.from_dict: missing keys ['bound', 'boundary_cells', 'cells', ...]
        """
        try:
            return cls._from_dict(data)
        except SymequivError:
            raise
        except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError, RecursionError) as exc:
            raise InvalidArgument(f"Verdict.from_dict: malformed data ({type(exc).__name__}: {exc})") from None

    @classmethod
    def _from_dict(cls, data):
        return verdict_json.read(cls, data)

    @classmethod
    def from_json(cls, text):
        """Rebuild a verdict from :meth:`to_json` output."""
        if not isinstance(text, (str, bytes, bytearray)):
            raise InvalidType(f"Verdict.from_json: expected JSON text but got {type(text).__name__}")
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise InvalidArgument(f"Verdict.from_json: not valid JSON ({exc})") from None
        return cls.from_dict(data)

    def __eq__(self, other):
        if not isinstance(other, Verdict):
            return NotImplemented
        return self._written_dict() == other._written_dict()

    def __hash__(self):
        return hash(self.to_json())

    def __reduce__(self):
        # Rebuilt through the constructor, so an unpickled verdict obeys the rules too.
        kwargs = {
            "cells": self._cells, "boundary_cells": self._boundary_cells, "dps": self._dps,
            "error_bounds": self._error_bounds, "bound": self._bound, "certificate": self._certificate,
            "shift": self._shift, "notes": self._notes, "tolerance": self._tolerance,
            "total_cells": self._total_cells,
        }
        return _rebuild, ((self._claim, self._holds, self._method, self._residual), kwargs)

    # -------------------------------------------------------------- reports --
    # The renderings live in symequiv.judge.render; these are its entry points.

    def __bool__(self):
        raise InvalidType(
            "A Verdict has no truth value: use verdict.holds (True, False or None), "
            "e.g. assert verdict.holds is True"
        )

    def __str__(self):
        return render.verdict_text(self)

    def __repr__(self):
        parts = [f"claim={self._claim!r}", f"holds={self._holds!r}", f"method={self._method!r}"]
        if self._dps is not None:
            parts.append(f"dps={self._dps}")
        if self._shift is not None:
            shift = tuple(map(str, self._shift)) if isinstance(self._shift, tuple) else str(self._shift)
            parts.append(f"shift={shift!r}")
        return f"Verdict({', '.join(parts)}, ...)"

    def to_markdown(self):
        """A readable Markdown block: headline, claim, evidence table, certificate, notes.

        >>> import sympy
        >>> from symequiv.judge.verdict import Verdict
        >>> v = Verdict("A = B", False, "symbolic", [0, sympy.Rational(-1, 8)], cells=(1, 2),
        ...             certificate={"cell": 2, "kind": "exact", "value": sympy.Rational(-1, 8)})
        >>> print(v.to_markdown())
        **Claim.** A = B
        <BLANKLINE>
        **Verdict:** **fails** (certified) on 2 compared cells. Method: symbolic (exact sympy arithmetic).
        Precision: exact (no rounding).
        <BLANKLINE>
        Cells with a nonzero residual (lhs - rhs):
        <BLANKLINE>
        | cell | residual | error bound |
        |---:|:---|:---|
        | 2 | $- \\frac{1}{8} \\approx -0.125$ | exact |
        <BLANKLINE>
        The residual is exactly 0 on cell 1.
        <BLANKLINE>
        Boundary cells (left out, boundary data affects them): none.
        <BLANKLINE>
        Certificate: the residual of cell 2 is exactly $- \\frac{1}{8}$, which is nonzero.
        """
        return render.verdict_markdown(self)

    def to_latex(self):
        r"""A LaTeX fragment (no preamble): claim, verdict, a tabular of residuals, notes.

        >>> from symequiv.judge.verdict import Verdict
        >>> text = Verdict("50% of f_1 & g", True, "symbolic", [0], cells=(0,)).to_latex()
        >>> print(text.splitlines()[0])
        \textbf{Claim.} 50\% of f\_1 \& g
        >>> text.count(r"\begin{tabular}") == text.count(r"\end{tabular}") == 1
        True
        """
        return render.verdict_latex(self)

    def _repr_latex_(self):
        r"""For notebooks: the headline, the claim typeset as mathematics line by line, the largest residual.

        >>> from symequiv.judge.verdict import Verdict
        >>> print(Verdict("S_1(D[f]) = D[f(x - 1*dx)] for f = sin(x)", True, "symbolic", [0, 0],
        ...               cells=(0, 1))._repr_latex_())
        $\displaystyle \begin{array}{l} \textbf{holds}\ \text{(proved) on 2 compared cells} \\
        {S}_{1}(D[f]) = D[f(x-1\,\Delta x)] \\ \quad\text{for } f = \sin{\left(x \right)} \\
        \max_j |r_j| = 0 \end{array}$
        """
        return render.verdict_repr_latex(self)

    def _repr_html_(self):
        """For notebooks: the verdict as HTML, its mathematics in MathML."""
        return render.verdict_html(self)


def _rebuild(args, kwargs):
    return Verdict(*args, **kwargs)
