"""The checker: honest verdicts on shift equality and on eq. (4) and (5).

Three questions, each answered with a :class:`~symequiv.judge.verdict.Verdict`:

* :func:`check_integer_shift`: is D then op equivariant to a shift by a whole
  number of cells? On a periodic grid this is proved symbolically (the exact
  residual is zero); on a non-periodic grid the cells the boundary reaches are
  named and left out.
* :func:`check_commutation`: at any real shift d, does the discrete shift g
  commute with D (eq. 5, no op) or with the layer after D (eq. 4)?
* :func:`sweep`: the same at many shifts: the residual curve.

How an answer is computed, in order:

1. When every number involved is rational (a piecewise-polynomial signal,
   rational grid, kernel, bias and shift, a linear or cubic shift, ReLU), the
   residuals are computed exactly in rational arithmetic: the verdict is
   "symbolic", whichever way it goes.
2. Otherwise every residual is enclosed in an arb ball at ``dps`` digits. A
   ball that excludes 0 *certifies* the inequality (method "interval").
3. If no ball excludes 0, sympy tries to prove every residual exactly zero,
   within a time budget. Success gives holds=True ("symbolic"); otherwise the
   verdict is holds=None, method "numeric", with the bound reached.

The answer is never assumed from the shape of the question: for some signals
a discrete shift does commute with D at a sub-cell shift, and the checker says
so when it can prove it.

>>> import symequiv as se
>>> D = se.CellAverage(se.Grid(-1, 1, 4))
>>> v = se.check_commutation(D, se.Signal("Heaviside(x)"), "1/4", se.LinearShift())
>>> v.holds, v.method, v.cells, v.boundary_cells
(True, 'symbolic', (1, 2, 3), (0,))
>>> v = se.check_commutation(D, se.Signal("Heaviside(x - 1/4)"), "1/4", se.LinearShift())
>>> v.holds, v.method, v.certificate["cell"], v.certificate["value"]
(False, 'symbolic', 2, -1/4)
"""

import concurrent.futures
import fractions
import math
import numbers
import pickle
import sys
import time
from collections.abc import Sequence

import flint
import mpmath
import sympy

from ..numeric.backends import ARB, MPMATH, RATIONAL, NotRational
from ..numeric.balls import (
    MAX_DPS,
    MIN_DPS,
    arb_value,
    ball_excludes_zero,
    mpf_of,
    radius_of,
    working_precision,
)
from ..discrete.blackbox import ULPS as BLACK_BOX_ULPS
from ..discrete.blackbox import BlackBox
from ..discrete.blackbox import tolerance as black_box_tolerance
from ..numeric.budget import SYMPY_BUDGET_SECONDS, time_budget
from ..discrete.discretize import Discretizer, _as_signal
from ..errors import (
    BudgetExceeded,
    GridMismatch,
    InvalidArgument,
    InvalidType,
    SymequivError,
    UnsupportedSignal,
    short_repr,
)
from ..numeric.exact import is_zero
from ..discrete.fast import NoEnclosure, compiled
from ..continuous.grid import Grid
from ..discrete.layers import Conv, Layer, Sequential
from ..numeric.numbers import exact_number, is_binary_float, to_mpmath
from ..discrete.shifts import DiscreteShift, IntegerShift, split_shift
from ..continuous.signal import signal_text
from ..discrete.values import Values
from .verdict import Verdict

__all__ = ["check_commutation", "check_integer_shift", "sweep", "Sweep", "ZERO_PROOF_BUDGET_SECONDS"]

#: Seconds sympy may spend proving residuals zero in one check before the
#: verdict falls back to numerics (holds=None).
ZERO_PROOF_BUDGET_SECONDS = 10.0


# ----------------------------------------------------------------- public --


def check_commutation(D, f, d, shift, op=None, dps=50, cells=None):
    """Does the discrete shift ``shift`` commute with D (and the layer ``op``) at d?

    Without ``op`` this is the paper's eq. (5): D[f(x - d)] against
    shift(D[f], d). With a layer it is eq. (4): op(D[f(x - d)]) against
    shift(op(D[f]), d).

    Parameters
    ==========

    D : CellAverage or PointSample
    f : Signal (or an expression string)
    d : number
        The shift in units of x: exact (``"0.1"`` is 1/10); a float is taken at
        its exact binary value and the verdict notes it.
    shift : DiscreteShift
        IntegerShift(), LinearShift(), CubicShift() or FourierShift().
    op : Layer, optional
    dps : int
        Digits of the numeric enclosures (15 to 5000).
    cells : iterable of int, optional
        Compare only these output cells. Cells the boundary reaches are always
        left out and listed in ``verdict.boundary_cells``.

    Examples
    ========

    >>> import symequiv as se
    >>> grid = se.Grid(0, 1, 8, periodic=True)
    >>> wave = se.Signal("sin(2*pi*x)", period=1)
    >>> v = se.check_commutation(se.CellAverage(grid), wave, "1/16", se.FourierShift())
    >>> v.holds, v.method
    (True, 'symbolic')
    >>> v = se.check_commutation(se.CellAverage(grid), wave, "1/16", se.LinearShift())
    >>> v.holds, v.method
    (False, 'interval')
    """
    problem = _problem(D, f, shift, op, dps, cells)
    value, notes = problem.exact_shift(d)
    return problem.decide(value, notes)


def check_integer_shift(D, f, n, op=None, *, dps=50, cells=None):
    """Is D (then ``op``) equivariant to the shift by ``n`` whole cells?

    Compares op(D[f.shifted(n dx)]) with op(D[f]) moved by n cells. On a
    periodic grid with circular padding the equality is proved exactly; on a
    non-periodic grid the cells that the boundary reaches (zero fill, padding)
    are reported in ``boundary_cells`` and not compared.

    >>> import symequiv as se
    >>> D = se.CellAverage(se.Grid(0, 1, 6, periodic=True))
    >>> layer = se.Conv([1, -2, 1], origin=1, padding="circular") >> se.Tanh()
    >>> v = se.check_integer_shift(D, se.Signal("exp(-20*(x - 1/2)**2)"), 2, layer)
    >>> v.holds, v.method
    (True, 'symbolic')
    """
    problem = _problem(D, f, IntegerShift(), op, dps, cells)
    if problem.grid.dim == 2:
        counts = _cell_counts(n)
        d = tuple(sympy.Integer(k) * dx for k, dx in zip(counts, problem.grid.dx))
        return problem.decide(d, (), cells_shift=counts)
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidType(
            f"Expected an int number of cells but got n={short_repr(n)}; for other shifts use check_commutation"
        )
    return problem.decide(sympy.Integer(n) * problem.grid.dx, (), cells_shift=n)


class Sweep(Sequence):
    """The verdicts of a :func:`sweep`, one per shift, in the order given.

    ``deltas`` are the exact shifts and ``max_residuals`` the largest
    |residual| over the compared cells at each (an mpmath number).
    """

    def __init__(self, deltas, verdicts):
        self.deltas = tuple(deltas)
        self.verdicts = tuple(verdicts)

    def __len__(self):
        return len(self.verdicts)

    def __getitem__(self, index):
        return self.verdicts[index]

    @property
    def max_residuals(self):
        return tuple(v.max_residual for v in self.verdicts)

    def to_dict(self):
        return {"deltas": [str(d) for d in self.deltas], "verdicts": [v.to_dict() for v in self.verdicts]}

    def _repr_html_(self):
        from .render import sweep_html  # rendering sits beside the data, imported when a notebook asks

        return sweep_html(self)

    def __repr__(self):
        held = sum(v.holds is True for v in self.verdicts)
        failed = sum(v.holds is False for v in self.verdicts)
        return f"<Sweep of {len(self)} shifts: {held} hold, {failed} fail, {len(self) - held - failed} undecided>"


def sweep(D, f, deltas, shift, op=None, dps=50, executor=None, *, progress=None, chunk_size=8):
    """:func:`check_commutation` at every shift in ``deltas``: a :class:`Sweep`.

    The signal's closed form is derived and compiled once and reused for every
    shift. With an ``executor`` (any :class:`concurrent.futures.Executor`: a
    process pool, a Dask cluster's executor...) chunks of shifts run there.
    A progress bar is drawn on standard error when it is a terminal
    (``progress=True``/``False`` forces it on or off).

    >>> import symequiv as se
    >>> D = se.CellAverage(se.Grid(-1, 1, 8))
    >>> result = se.sweep(D, se.Signal("Heaviside(x)"), ["0", "1/8", "1/4"], se.LinearShift())
    >>> [v.holds for v in result]
    [True, True, True]
    """
    problem = _problem(D, f, shift, op, dps, None)
    shifts = [problem.exact_shift(d) for d in _iterable(deltas, "a sequence of shifts for deltas")]
    if not shifts:
        raise InvalidArgument("Expected at least one shift in deltas but got none")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InvalidArgument(f"Expected a positive int for chunk_size but got {short_repr(chunk_size)}")
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise InvalidType(
            f"Expected a concurrent.futures.Executor (or None) for executor but got {short_repr(executor)}"
        )
    if executor is not None:
        _check_sendable(executor, D, f, shift, op)
    bar = _Progress(len(shifts), progress)
    if executor is None:
        verdicts = []
        for value, notes in shifts:
            verdicts.append(problem.decide(value, notes))
            bar.advance(1)
    else:
        chunks = [shifts[i : i + chunk_size] for i in range(0, len(shifts), chunk_size)]
        futures = [executor.submit(_sweep_chunk, D, f, shift, op, dps, chunk) for chunk in chunks]
        verdicts = []
        for future, chunk in zip(futures, chunks):
            verdicts.extend(future.result())
            bar.advance(len(chunk))
    bar.close()
    return Sweep([value for value, _ in shifts], verdicts)


def _check_sendable(executor, D, f, shift, op):
    """Refuse up front what a process pool cannot pickle (it would fail later with a raw PicklingError)."""
    if not isinstance(executor, concurrent.futures.ProcessPoolExecutor):
        return  # threads share the objects; Dask's executor pickles with cloudpickle, which takes lambdas
    for name, value in (("op", op), ("f", f), ("shift", shift), ("D", D)):
        try:
            pickle.dumps(value)
        except Exception as exc:  # PicklingError, AttributeError ("local object"), TypeError ("cannot pickle")
            raise InvalidArgument(
                f"{name}={short_repr(value)} cannot be sent to a process pool (a lambda or local function "
                f"cannot be pickled): define it at module level, or use a thread pool / executor=None "
                f"({type(exc).__name__}: {exc})"
            ) from None


def _sweep_chunk(D, f, shift, op, dps, chunk):
    """One executor task: verdicts for a few shifts (module level, so it pickles)."""
    problem = _problem(D, f, shift, op, dps, None)
    return [problem.decide(value, notes) for value, notes in chunk]


def _problem(D, f, shift, op, dps, cells):
    """The checked problem for D's grid: one-dimensional (fast, compiled) or a scene on a 2-D grid."""
    if isinstance(D, Discretizer) and D.grid.dim == 2:
        return _SceneProblem(D, f, shift, op, dps, cells)
    return _Problem(D, f, shift, op, dps, cells)


def _cell_counts(n):
    """A 2-D integer shift: one int per axis."""
    if not (isinstance(n, (tuple, list)) and len(n) == 2
            and all(isinstance(k, int) and not isinstance(k, bool) for k in n)):
        raise InvalidType(
            f"Expected one int number of cells per axis, (nx, ny), on a 2-D grid but got n={short_repr(n)}"
        )
    return tuple(n)


# ---------------------------------------------------------------- problem --


def _exact_shift(d):
    """(exact number, notes) for a user's shift."""
    if isinstance(d, sympy.Basic) and d.free_symbols:
        raise InvalidArgument(
            f"Expected a number for d but got the expression {d}; for a closed form in delta use D.closed_form(f)"
        )
    value = exact_number(d, "d")
    notes = ()
    if is_binary_float(d):
        notes = (f"d = {short_repr(d)} was a float; its exact binary value {value} was used",)
    return value, notes


def _check_dps(dps):
    if isinstance(dps, bool) or not isinstance(dps, int):
        raise InvalidType(f"Expected an int number of digits but got dps={short_repr(dps)}")
    if not MIN_DPS <= dps <= MAX_DPS:
        raise InvalidArgument(
            f"Expected {MIN_DPS} <= dps <= {MAX_DPS} but got dps={short_repr(dps)}; 50 is the default"
        )
    return dps


class _Problem:
    """A checked (D, f, shift, op) with everything derived once."""

    def __init__(self, D, f, shift, op, dps, cells):
        if not isinstance(D, Discretizer):
            raise InvalidType(
                f"Expected a CellAverage or PointSample for D but got {type(D).__name__}: {short_repr(D)}"
            )
        self.D = D
        self.signal = _as_signal(f)
        if self.signal.parameters:
            names = ", ".join(str(p) for p in self.signal.parameters)
            raise InvalidArgument(
                f"The checker needs numbers, but {signal_text(self.signal)} keeps the parameters {names} symbolic; "
                f"give them values with parameters={{'{self.signal.parameters[0]}': value}}"
            )
        self.shift = shift = _checked_shift(shift)
        if self.signal.dim == 2:
            raise InvalidArgument(
                f"The scene {signal_text(self.signal)} depends on y but {D.grid!r} is one-dimensional: "
                "check it on a Grid((x0, y0), (x1, y1), (nx, ny))"
            )
        self.black_box = None
        if op is not None and not isinstance(op, Layer):
            if not callable(op):
                raise InvalidType(
                    f"Expected a symequiv layer (Conv, ReLU, ... or a Sequential) or a callable array -> array "
                    f"for op but got {short_repr(op)}"
                )
            self.black_box = op = BlackBox(op)  # a user's own layer: numeric verdicts only
        self.op = op
        self.dps = _check_dps(dps)
        grid = self.grid = D.grid
        positions = op.output_positions(grid.n) if isinstance(op, Layer) else range(grid.n)
        self.positions = positions
        if len(positions) == grid.n:
            self.out_grid = grid
        else:  # padding="valid": the outputs live on a shorter, non-periodic grid
            self.out_grid = Grid(
                grid.start + positions.start * grid.dx, grid.start + positions.stop * grid.dx, len(positions)
            )
        shift._check_grid(self.out_grid)
        self.requested = _checked_cells(cells, len(positions))
        # A black box's reach (its padding) is unknown: only the shift's own reach is known.
        self.reach = _reach(op if isinstance(op, Layer) else None, grid.n, grid.periodic)
        self.fast = compiled(D, self.signal)
        self._base = {}
        self._not_rational = set()

    exact_shift = staticmethod(lambda d: _exact_shift(d))

    # -- claims and cells --------------------------------------------------

    def claim(self, d, cells_shift=None):
        op = f"{self.op!r}" if self.op is not None else None
        where = f"D = {self.D!r}, f = {signal_text(self.signal)}"
        if cells_shift is not None:
            left = f"op(D[f(x - {cells_shift}*dx)])" if op else f"D[f(x - {cells_shift}*dx)]"
            right = f"S_{cells_shift}(op(D[f]))" if op else f"S_{cells_shift}(D[f])"
            return f"{left} = {right} for {where}" + (f", op = {op}" if op else "")
        left, right = ("op(D[f(x - d)])", "g(op(D[f]), d)") if op else ("D[f(x - d)]", "g(D[f], d)")
        return f"{left} = {right} for {where}" + (f", op = {op}" if op else "") + f", g = {self.shift!r}, d = {d}"

    def split_cells(self, d):
        """(compared cells, boundary cells) for the shift d.

        Output j of the shift reads inputs j - m - r for the offsets r of
        :meth:`~symequiv.discrete.shifts.DiscreteShift.footprint`; it is a boundary cell
        when one of them lies off a non-periodic grid or is an output the
        layer's padding reached. Computed from the tainted cells outwards, so
        a Fourier shift (every offset) costs O(n), not O(n**2).
        """
        out_n = len(self.positions)
        tainted = sorted(i for i, (_, outside) in enumerate(self.reach) if outside)
        m, offsets = self.shift.footprint(d, self.out_grid)
        periodic = self.out_grid.periodic
        boundary = set(tainted)
        if periodic:
            if tainted and len(offsets) >= out_n:
                boundary = set(range(out_n))
            else:
                boundary |= {(k + m + r) % out_n for k in tainted for r in offsets}
        else:
            low, high = m + max(offsets), out_n + m + min(offsets)  # j reads only inputs in range iff low <= j < high
            boundary |= set(range(0, min(max(low, 0), out_n))) | set(range(max(high, 0), out_n))
            if tainted and len(offsets) >= out_n:
                boundary = set(range(out_n))
            else:
                boundary |= {k + m + r for k in tainted for r in offsets if 0 <= k + m + r < out_n}
        wanted = self.requested if self.requested is not None else range(out_n)
        compared = tuple(j for j in wanted if j not in boundary)
        return compared, tuple(sorted(boundary))

    # -- evaluation --------------------------------------------------------

    def _run_op(self, values, backend):
        return list(values) if self.op is None else self.op._run(tuple(values), backend)

    def sides(self, d, backend):
        """(lhs, rhs) per output cell, numbers of ``backend``."""
        if backend.name not in self._base:
            self._base[backend.name] = self._run_op(self._finite(self.fast.values(0, backend), 0), backend)
        lhs = self._run_op(self._finite(self.fast.values(d, backend), d), backend)
        rhs = self.shift._apply(self._base[backend.name], d, self.out_grid, backend)
        if len(rhs) != len(lhs):
            raise GridMismatch(
                f"{self.shift!r} returned {len(rhs)} values for the {len(lhs)} cells of {self.out_grid!r}"
            )
        return lhs, rhs

    def _finite(self, values, d):
        """The cell values, refused clearly when one is infinite, undefined or complex."""
        for j, v in enumerate(values):
            real = not isinstance(v, mpmath.mpc) and (not isinstance(v, flint.arb) or v.is_finite())
            if not real or (isinstance(v, mpmath.mpf) and not mpmath.isfinite(v)):
                raise UnsupportedSignal(
                    f"Signal {signal_text(self.signal)} has no finite real value on cell {j} of {self.grid!r} at shift {d} "
                    "(a singularity, or a value that is not real there); choose a grid where the signal is "
                    "bounded and real",
                    self.signal.expr,
                )
        return values

    def exact_sides(self, d):
        """(lhs, rhs) per output cell, exact sympy values (slow, for proofs)."""
        base = self.D(self.signal)
        moved = self.D(self.signal.shifted(d))
        if self.op is not None:
            base, moved = self.op(base), self.op(moved)
        return list(moved), list(self.shift(base, d, self.out_grid))

    # -- the decision ------------------------------------------------------

    def decide(self, d, notes=(), cells_shift=None):
        compared, boundary = self.split_cells(d)
        if not compared:
            raise InvalidArgument(
                f"Every output cell is reached by the boundary at d = {d}, so nothing is left to compare; "
                "use a periodic grid, circular padding, more cells or a smaller shift"
            )
        common = dict(
            cells=compared, boundary_cells=boundary, shift=d, claim=self.claim(d, cells_shift),
            total_cells=len(self.positions),
        )
        if boundary:
            notes = notes + (f"cells {list(boundary)} are reached by the boundary and were left out",)
        if not d.is_Rational:
            m, t = split_shift(d, self.out_grid.dx)
            if t == 0:  # a whole number of cells in disguise: compute with the plain m * dx, proved equal
                cells = f"{m} cell" + ("" if abs(m) == 1 else "s")
                notes = notes + (f"d = {d} is exactly {cells} (= {m * self.out_grid.dx})",)
                d = m * self.out_grid.dx
        if self.black_box is not None:
            return self._black_box_verdict(d, compared, common, notes)
        with time_budget(SYMPY_BUDGET_SECONDS, f"evaluating the residuals at {self.dps} digits (lower dps, or "
                         "check fewer cells, to finish sooner)"):
            rational = self._rational(d, compared, common, notes)
            if rational is not None:
                return rational
            return self._balls(d, compared, common, notes)

    def _rational(self, d, compared, common, notes):
        if not d.is_Rational:
            return None
        # Whether rational arithmetic can work depends on the signal, layer and shift, and
        # for a shift on whether d is a whole number of cells (Fourier weights): remember it.
        kind = (d / self.out_grid.dx).is_Integer
        if kind in self._not_rational:
            return None
        try:
            lhs, rhs = self.sides(fractions.Fraction(int(d.p), int(d.q)), RATIONAL)
        except (NotRational, UnsupportedSignal):
            self._not_rational.add(kind)
            return None
        differences = [lhs[j] - rhs[j] for j in compared]
        residual = [sympy.Rational(int(r.p), int(r.q)) for r in differences]
        return _exact_verdict(residual, compared, common, notes, dps=None)

    def _balls(self, d, compared, common, notes):
        with working_precision(self.dps):
            try:
                lhs, rhs = self.sides(d, ARB)
            except NoEnclosure:
                return self._quadrature(d, compared, common, notes)
            balls = [lhs[j] - rhs[j] for j in compared]
            mids = [mpf_of(b) for b in balls]
            radii = [radius_of(b) for b in balls]
            certified = [i for i, b in enumerate(balls) if ball_excludes_zero(b)]
            # A ball of radius 0 around 0 is exactly 0: every operation on the way was exact.
            undecided = [i for i, b in enumerate(balls) if not (b.is_exact() and b.is_zero())]
            if certified:
                best = max(certified, key=lambda i: abs(mids[i]))
                certificate = {"cell": compared[best], "kind": "ball", "value": mids[best], "radius": radii[best]}
                return Verdict(
                    holds=False, method="interval", residual=mids, error_bounds=radii, dps=self.dps,
                    certificate=certificate, notes=notes, **common,
                )
            bound = max(abs(m) + r for m, r in zip(mids, radii))
        if not undecided:
            residual = [sympy.S.Zero] * len(compared)
            notes = notes + ("every residual is exactly 0 in ball arithmetic (radius 0)",)
            return _exact_verdict(residual, compared, common, notes, dps=self.dps)
        proof = self._prove_zero(d, compared, [compared[i] for i in undecided], common, notes)
        if proof is not None:
            return proof
        return Verdict(
            holds=None, method="numeric", residual=mids, error_bounds=radii, dps=self.dps, bound=bound,
            notes=notes + (
                f"every residual is within {sympy.Float(bound, 3)} of 0 at {self.dps} digits, but no exact "
                f"proof of zero was found within {ZERO_PROOF_BUDGET_SECONDS:g} s",
            ),
            **common,
        )

    def _prove_zero(self, d, compared, undecided, common, notes):
        """An exact verdict if every cell in ``undecided`` is proved zero (the others already are)."""
        try:
            with time_budget(ZERO_PROOF_BUDGET_SECONDS, "proving the residuals zero"):
                lhs, rhs = self.exact_sides(d)
                residual, known = [], {}
                for j in compared:
                    if j not in undecided:
                        residual.append(sympy.S.Zero)
                        continue
                    r = lhs[j] - rhs[j]
                    zero = _is_zero_by_factors(r, known)
                    if zero is False and r.is_Rational:
                        residual.append(r)  # a tiny but exact nonzero rational: a certificate
                    elif not zero:
                        return None
                    else:
                        residual.append(sympy.S.Zero)
        except (BudgetExceeded, SymequivError):
            return None
        return _exact_verdict(residual, compared, common, notes, dps=self.dps)

    def _black_box_verdict(self, d, compared, common, notes):
        """A user's callable op: run in mpmath if it takes mpf arrays, else float64; numeric only."""
        box = self.black_box
        with working_precision(self.dps):
            moved = self._finite(self.fast.values(d, MPMATH), d)
            base = self._finite(self.fast.values(0, MPMATH), 0)
            lhs, base_out = box.run_mpmath(moved), None
            if lhs is not None:
                base_out = box.run_mpmath(base)
            if lhs is None or base_out is None:
                lhs, base_out = box.run_float(moved), box.run_float(base)
                bits, digits, how = box.bits, MIN_DPS, box.dtype  # float32: a 24-bit tolerance
            else:
                bits, digits, how = mpmath.mp.prec, self.dps, f"mpmath at {self.dps} digits"
            rhs = self.shift._apply(base_out, d, self.out_grid, MPMATH)
            residual = [lhs[j] - rhs[j] for j in compared]
            limit = black_box_tolerance(list(moved) + list(base) + list(lhs) + list(base_out), bits)
            bound = max(abs(r) for r in residual)
        notes = notes + (
            f"op is a black box ({box.name}) run in {how}: its verdicts are numeric, never a proof or a certificate; "
            f"tolerance = {BLACK_BOX_ULPS} units in the last place of the largest magnitude involved",
        )
        if not self.grid.periodic:
            notes = notes + ("the black box's own boundary cells (its padding) are unknown to symequiv; "
                             "restrict the comparison with cells=",)
        return Verdict(holds=None, method="numeric", residual=residual, dps=digits, bound=bound, tolerance=limit,
                       notes=notes, **common)

    def _quadrature(self, d, compared, common, notes):
        """No rigorous enclosure: mpmath quadrature with its error estimate, numeric only."""
        lhs, rhs = self.sides(d, MPMATH)
        errors = [e for e in (self.fast.errors(d) or []) if e is not None]
        residual = [lhs[j] - rhs[j] for j in compared]
        reached = max(abs(r) for r in residual)
        # No error bound per cell: mpmath's estimates are not proofs, and those of the unshifted
        # values would have to be carried through g and the layer, which nothing here does.
        estimate = f" (its estimates reach {sympy.Float(max(errors), 3)} per cell on the shifted side)" if errors else ""
        return Verdict(
            holds=None, method="numeric", residual=residual, dps=self.dps, bound=reached,
            notes=notes + ("the signal has no closed-form antiderivative and no rigorous enclosure: values come "
                           f"from mpmath quadrature, whose error estimate is not a proof{estimate}",),
            **common,
        )


def _checked_shift(shift):
    if isinstance(shift, type) and issubclass(shift, DiscreteShift):
        shift = shift()
    if not isinstance(shift, DiscreteShift):
        raise InvalidType(
            f"Expected a discrete shift such as LinearShift() but got {type(shift).__name__}: {short_repr(shift)}"
        )
    return shift


class _SceneProblem:
    """A checked (D, f, shift, op) on a two-dimensional grid: exact values, decided cell by cell.

    Every cell value is exact (closed forms, exact areas, or exact double
    integrals); each residual is decided as in one dimension: an exact
    rational, a ball that excludes 0 (certified), a proof of zero, or,
    failing all, numerics. Cells are (i, j) pairs, or (c, i, j) with channels.
    """

    def __init__(self, D, f, shift, op, dps, cells):
        self.D, self.grid = D, D.grid
        scene = f if isinstance(f, (tuple, list)) else (f,)
        self.channels = isinstance(f, (tuple, list))
        self.scene = tuple(_as_signal(s) for s in scene)
        if not self.scene:
            raise InvalidArgument("Expected at least one signal in a scene with channels but got an empty tuple")
        for signal in self.scene:
            if signal.parameters:
                raise InvalidArgument(
                    f"The checker needs numbers, but {signal_text(signal)} keeps the parameters "
                    f"{', '.join(map(str, signal.parameters))} symbolic; give them values with parameters={{...}}"
                )
        self.shift = _checked_shift(shift)
        if op is not None and not isinstance(op, Layer):
            raise InvalidType(
                f"Expected a symequiv layer for op on a 2-D grid but got {short_repr(op)}; a callable (a numpy or "
                "torch model) is checked on one-dimensional grids only"
            )
        self.op = op
        self.dps = _check_dps(dps)
        self.base = self._discretized(self.scene)
        self.base_out = self._run_op(self.base)
        shape = self.base_out.shape
        if shape[-2:] != self.grid.shape:  # padding="valid": the outputs live on a smaller, non-periodic grid
            raise InvalidArgument(
                f"{op!r} maps the {self.grid.shape} cells to {shape[-2:]}: the 2-D checks compare on the grid itself; "
                "use padding='zeros', 'edge' or 'circular'"
            )
        self.out_shape = shape
        self.requested = None if cells is None else self._requested(cells)
        self.tainted = self._tainted()

    exact_shift = staticmethod(lambda d: _exact_pair(d))

    def _discretized(self, scene):
        values = [self.D(s) for s in scene]
        return _stack(values) if self.channels else values[0]

    def _run_op(self, values):
        return values if self.op is None else self.op(values)

    def _requested(self, cells):
        chosen = set()
        arity = len(self.out_shape)
        for cell in _iterable(cells, "an iterable of cells (i, j) for cells"):
            if not (isinstance(cell, (tuple, list)) and len(cell) == arity
                    and all(isinstance(k, int) and not isinstance(k, bool) for k in cell)):
                raise InvalidType(f"Expected cells as {arity}-tuples of ints on this grid but got {short_repr(cell)}")
            if not all(0 <= k < n for k, n in zip(cell, self.out_shape)):
                raise InvalidArgument(f"cells contains {short_repr(cell)}, outside the output cells of shape "
                                      f"{self.out_shape}")
            chosen.add(tuple(cell))
        if not chosen:
            raise InvalidArgument("cells is empty; give at least one cell, or None for all cells")
        return chosen

    def _tainted(self):
        """Output positions (flat) whose layer value reads padding or data from outside the grid."""
        if self.op is None:
            return set()
        reads = self.op.reads(self.base.shape, self.grid.periodic)
        return {position for position, (_, outside) in enumerate(reads) if outside}

    def claim(self, d, cells_shift=None):
        op = f"{self.op!r}" if self.op is not None else None
        scene = ", ".join(signal_text(s) for s in self.scene)
        where = f"D = {self.D!r}, f = ({scene})" if self.channels else f"D = {self.D!r}, f = {scene}"
        tail = f", op = {op}" if op else ""
        if cells_shift is not None:  # n = (n_x, n_y) whole cells; dx, dy the cell sizes
            left = "op(D[f(x - n_x*dx, y - n_y*dy)])" if op else "D[f(x - n_x*dx, y - n_y*dy)]"
            right = "S_n(op(D[f]))" if op else "S_n(D[f])"
            return f"{left} = {right} for {where}{tail}, n = ({cells_shift[0]}, {cells_shift[1]})"
        left, right = ("op(D[f(x - d_x, y - d_y)])", "g(op(D[f]), d)") if op else (
            "D[f(x - d_x, y - d_y)]", "g(D[f], d)")
        return f"{left} = {right} for {where}{tail}, g = {self.shift!r}, d = ({d[0]}, {d[1]})"

    def split_cells(self, d):
        """(compared cells, boundary cells): a cell is a boundary cell when the shift reads, for it, a value
        off a non-periodic axis or one the layer's padding reached."""
        shape = self.grid.shape
        reads = []
        for axis, (grid, component) in enumerate(zip(self.grid.axes, d)):
            m, offsets = self.shift.footprint(component, grid)
            reads.append((m, offsets))
        spatial = [(i, j) for i in range(shape[0]) for j in range(shape[1])]
        taint = self._spatial_taint()
        boundary = {divmod(position, shape[1]) for position in taint}  # the layer read padding there itself
        for i, j in spatial:
            sources = []
            for index, (m, offsets), grid in zip((i, j), reads, self.grid.axes):
                places = [index - m - r for r in offsets]
                if not grid.periodic and any(not 0 <= p < grid.n for p in places):
                    boundary.add((i, j))
                    break
                sources.append({p % grid.n for p in places})
            else:
                if taint and any(p * shape[1] + q in taint for p in sources[0] for q in sources[1]):
                    boundary.add((i, j))
        channels = range(self.out_shape[0]) if len(self.out_shape) == 3 else [None]
        every = [cell if c is None else (c, *cell) for c in channels for cell in spatial]
        boundary_cells = [cell if c is None else (c, *cell) for c in channels for cell in spatial if cell in boundary]
        wanted = every if self.requested is None else [c for c in every if c in self.requested]
        compared = tuple(c for c in wanted if c not in set(boundary_cells))
        return compared, tuple(boundary_cells)

    def _spatial_taint(self):
        """The tainted outputs as flat spatial positions (any channel tainted taints the cell)."""
        cells = self.grid.cells
        return {position % cells for position in self.tainted}

    def decide(self, d, notes=(), cells_shift=None):
        compared, boundary = self.split_cells(d)
        if not compared:
            raise InvalidArgument(
                f"Every output cell is reached by the boundary at (dx, dy) = {d}, so nothing is left to compare; "
                "use a periodic grid, circular padding, more cells or a smaller shift"
            )
        common = dict(cells=compared, boundary_cells=boundary, shift=d, claim=self.claim(d, cells_shift),
                      total_cells=math.prod(self.out_shape))
        if boundary:
            notes = notes + (f"{len(boundary)} cells are reached by the boundary and were left out",)
        d, notes = self._whole_cells(d, notes)
        with time_budget(SYMPY_BUDGET_SECONDS, f"evaluating the residuals at {self.dps} digits (lower dps, or "
                         "check fewer cells, to finish sooner)"):
            moved = self._run_op(self._discretized([s.shifted(d) for s in self.scene]))
            shifted = self.shift(self.base_out, d, self.grid)
            residual = [moved[cell] - shifted[cell] for cell in compared]
        return self._verdict(residual, compared, common, notes)

    def _whole_cells(self, d, notes):
        """Each irrational component that is a whole number of cells, computed as that exact multiple."""
        exact = []
        for component, dx in zip(d, self.grid.dx):
            if not component.is_Rational:
                m, t = split_shift(component, dx)
                if t == 0:
                    notes = notes + (f"d = {component} is exactly {m} cells (= {m * dx})",)
                    component = m * dx
            exact.append(component)
        return tuple(exact), notes

    def _verdict(self, residual, compared, common, notes):
        if all(r.is_Rational for r in residual):
            return _exact_verdict(residual, compared, common, notes, dps=None)
        with working_precision(self.dps):
            balls = [_ball_or_none(r) for r in residual]
            if all(b is not None for b in balls):
                certified = [k for k, b in enumerate(balls) if ball_excludes_zero(b)]
                if certified:
                    mids, radii = [mpf_of(b) for b in balls], [radius_of(b) for b in balls]
                    best = max(certified, key=lambda k: abs(mids[k]))
                    certificate = {"cell": compared[best], "kind": "ball", "value": mids[best], "radius": radii[best]}
                    return Verdict(holds=False, method="interval", residual=mids, error_bounds=radii, dps=self.dps,
                                   certificate=certificate, notes=notes, **common)
        proved = self._proved(residual, compared, common, notes)
        if proved is not None:
            return proved
        return self._numeric(residual, balls, common, notes)

    def _proved(self, residual, compared, common, notes):
        try:
            with time_budget(ZERO_PROOF_BUDGET_SECONDS, "proving the residuals zero"):
                exact, known = [], {}
                for r in residual:
                    if r.has(sympy.Integral):
                        return None
                    zero = _is_zero_by_factors(r, known)
                    if zero is True:
                        exact.append(sympy.S.Zero)
                    elif zero is False and r.is_Rational:
                        exact.append(r)
                    else:
                        return None
        except (BudgetExceeded, SymequivError):
            return None
        return _exact_verdict(exact, compared, common, notes, dps=self.dps)

    def _numeric(self, residual, balls, common, notes):
        with working_precision(self.dps):
            values = [mpf_of(b) if b is not None else _quadrature_value(r) for r, b in zip(residual, balls)]
            bound = max(abs(v) for v in values)
        integrals = any(b is None for b in balls)
        why = ("some cells are exact double integrals without a closed form (a disk, a rotated Gaussian...): "
               "they were evaluated by mpmath quadrature, whose error estimate is not a proof") if integrals else (
               f"no ball excluded 0 and no exact proof of zero was found within {ZERO_PROOF_BUDGET_SECONDS:g} s")
        return Verdict(holds=None, method="numeric", residual=values, dps=self.dps, bound=bound,
                       notes=notes + (why,), **common)


def _is_zero_by_factors(value, known):
    """is_zero of ``value``, through its factors: cells of one row often share the factor that vanishes.

    ``known`` caches the answers for factors already decided (one check's residuals).
    """
    if value == 0 or value.is_Rational:
        return value == 0
    factors = sympy.Mul.make_args(sympy.factor_terms(value))
    undecided = False
    for factor in factors:
        if factor.is_Rational:
            continue  # a nonzero rational factor
        if factor not in known:
            known[factor] = is_zero(factor)
        if known[factor] is True:
            return True
        if known[factor] is None:
            undecided = True
    return None if undecided else False


def _exact_pair(d):
    """((dx, dy) exact, notes) for a user's 2-D shift."""
    if not isinstance(d, (tuple, list)) or len(d) != 2:
        raise InvalidArgument(
            f"Expected a shift (dx, dy), one number per axis, on a 2-D grid but got d={short_repr(d)}"
        )
    parts = [_exact_shift(component) for component in d]
    return tuple(value for value, _ in parts), tuple(note for _, notes in parts for note in notes)


def _stack(arrays):
    return Values([v for a in arrays for v in a.flat], (len(arrays),) + arrays[0].shape)


def _ball_or_none(value):
    """An arb ball around the exact ``value``, or None where it holds an integral (no enclosure here)."""
    if value.has(sympy.Integral):
        return None
    try:
        return arb_value(value)
    except (SymequivError, ValueError, TypeError, ArithmeticError):
        return None


# Heaviside for mpmath numbers (numeric quadrature only: never an enclosure).
_MPMATH_KINKS = {"Heaviside": lambda t, at_zero=sympy.S.Half: mpmath.mpf(1) if t > 0 else (
    mpmath.mpf(0) if t < 0 else to_mpmath(at_zero))}


# Levels of mpmath's tanh-sinh quadrature per axis: enough for smooth integrands, and a bounded time
# for the discontinuous ones (a disk), whose values are numeric evidence only.
_QUAD_DEGREE = 5


def _quadrature_value(value):
    """``value`` with each integral (single or double) replaced by nested mpmath quadrature (numeric only)."""
    replacements = {}
    for integral in value.atoms(sympy.Integral):
        variables = [limit[0] for limit in integral.limits]  # innermost first
        function = sympy.lambdify(variables, integral.function, modules=[_MPMATH_KINKS, "mpmath"])
        bounds = [(to_mpmath(lo), to_mpmath(hi)) for _, lo, hi in integral.limits]

        def nested(level, outer):
            lo, hi = bounds[level]
            if level == 0:
                return mpmath.quad(lambda t: function(t, *outer), [lo, hi], maxdegree=_QUAD_DEGREE)
            return mpmath.quad(lambda t: nested(level - 1, (t, *outer)), [lo, hi], maxdegree=_QUAD_DEGREE)

        replacements[integral] = sympy.Float(nested(len(bounds) - 1, ()), mpmath.mp.dps)
    return to_mpmath(value.xreplace(replacements))


def _exact_verdict(residual, compared, common, notes, dps):
    nonzero = [i for i, r in enumerate(residual) if r != 0]
    if not nonzero:
        return Verdict(holds=True, method="symbolic", residual=residual, dps=dps, notes=notes, **common)
    best = max(nonzero, key=lambda i: abs(residual[i]))
    certificate = {"cell": compared[best], "kind": "exact", "value": residual[best]}
    return Verdict(
        holds=False, method="symbolic", residual=residual, dps=dps, certificate=certificate, notes=notes, **common
    )


# ------------------------------------------------------------ reach of ops --


def _reach(op, n, periodic):
    """Per output: (input cells read, whether padding or data from outside is read)."""
    if op is None:
        return [({j}, False) for j in range(n)]
    layers = op.layers if isinstance(op, Sequential) else (op,)
    reach = [({j}, False) for j in range(n)]
    for layer in layers:
        if not isinstance(layer, Conv):
            continue  # elementwise: output j reads input j
        step = _conv_reach(layer, len(reach), periodic)
        reach = [
            (set().union(*(reach[i][0] for i in inputs)) if inputs else set(), outside or any(reach[i][1] for i in inputs))
            for inputs, outside in step
        ]
    return reach


def _conv_reach(conv, n, periodic):
    sign = -1 if conv.mode == "convolution" else 1
    offsets = [sign * (i - conv.origin) for i, w in enumerate(conv.kernel) if w != 0]
    result = []
    for j in conv.output_positions(n):
        inputs, outside = set(), False
        for offset in offsets:
            i = j + offset
            if 0 <= i < n:
                inputs.add(i)
            elif periodic and conv.padding == "circular":
                inputs.add(i % n)
            else:
                outside = True  # zeros, edge, or a wrap on a grid that does not wrap
        result.append((inputs, outside))
    return result


def _iterable(value, expected):
    """``value`` as a list, or InvalidType naming what was ``expected`` (a string is not a sequence here)."""
    if isinstance(value, (str, bytes)):
        raise InvalidType(f"Expected {expected} but got the {type(value).__name__} {short_repr(value)}")
    try:
        return list(value)
    except TypeError:  # not iterable, or a 0-d numpy array
        raise InvalidType(f"Expected {expected} but got {type(value).__name__}: {short_repr(value)}") from None


def _checked_cells(cells, n):
    if cells is None:
        return None
    chosen = []
    for c in _iterable(cells, "an iterable of cell indices for cells"):
        if isinstance(c, bool) or not isinstance(c, numbers.Integral):
            raise InvalidType(f"Expected int cell indices but got {short_repr(c)} in cells")
        if not 0 <= c < n:
            raise InvalidArgument(f"cells contains {short_repr(c)}, outside the output cells 0..{n - 1}")
        chosen.append(int(c))
    if not chosen:
        raise InvalidArgument("cells is empty; give at least one cell index, or None for all cells")
    return tuple(sorted(set(chosen)))


# ---------------------------------------------------------------- progress --


class _Progress:
    """A one-line progress bar on standard error, drawn only on a terminal."""

    def __init__(self, total, enabled=None):
        self.total = total
        self.done = 0
        self.enabled = sys.stderr.isatty() if enabled is None else bool(enabled)
        self.started = time.monotonic()

    def advance(self, count):
        self.done += count
        if self.enabled:
            width = 30
            filled = int(width * self.done / self.total)
            elapsed = time.monotonic() - self.started
            sys.stderr.write(f"\rsweep [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {elapsed:.1f}s")
            sys.stderr.flush()

    def close(self):
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()
