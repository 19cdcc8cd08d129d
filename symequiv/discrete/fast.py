"""Fast numeric evaluation of D[f.shifted(d)] at many shifts.

The exact route (:mod:`symequiv.discrete.discretize`) builds sympy expressions per cell.
The checker and sweeps need thousands of cell values at 50 digits, so this
module derives what it needs **once** per (discretizer, signal) — the
antiderivative F of the unshifted signal, or the signal itself for point
samples, as smooth pieces between exact breakpoints — and compiles each piece
into a plain Python function for a numeric backend (mpmath numbers or arb
balls, see :mod:`symequiv.numeric.backends`).

Evaluating at a shift d then costs, per grid edge (or sample point): one exact
rational subtraction, an exact choice of piece (rational comparisons), one
rounding of the argument to the working precision and one call of the compiled
piece. No sympy object is made per cell, and no float ever enters: rationals
reach mpmath as ``mpf(p)/q``.

>>> from symequiv import CellAverage, Grid, Signal
>>> from symequiv.numeric.backends import MPMATH
>>> from symequiv.numeric.balls import working_precision
>>> fast = compiled(CellAverage(Grid(-1, 1, 4)), Signal("Heaviside(x)"))
>>> with working_precision(20):
...     fast.values("1/8", MPMATH)
[mpf('0.0'), mpf('0.0'), mpf('0.75'), mpf('1.0')]

Signals without a closed-form antiderivative fall back to quadrature: mpmath's
``quad`` with its error estimate (numeric, never a proof), or, with the arb
backend and pieces that are entire functions (polynomials, sin, cos, exp, erf
and their sums and products), flint's rigorous integration, whose balls are
true enclosures.
"""

import bisect
import fractions
import functools
import signal
import threading

import flint
import mpmath
import sympy

from ..numeric.backends import (
    ARB,
    MPMATH,
    RATIONAL,
    BallPrinter,
    NotRational,
    SpecialPrinter,
    compile_function,
)
from .discretize import (
    CellAverage,
    Discretizer,
    PointSample,
    _antiderivative,
    _as_signal,
    _periodic_mode,
    _signal_function,
    periodic_primitive,
    refuse_unbounded,
)
from ..errors import BudgetExceeded, InvalidType, UnsupportedSignal
from ..numeric.exact import floor
from ..numeric.numbers import exact_number
from ..continuous.piecewise import PiecewiseFunction, _index_of_interval, _less
from ..continuous.symbols import x

__all__ = ["compiled", "CompiledDiscretization", "NoEnclosure"]


class NoEnclosure(UnsupportedSignal):
    """A cell value has no rigorous enclosure (quadrature of a non-entire piece): numeric only."""


# sympy functions the ball backend evaluates (see backends._ArbNamespace).
_ARB_FUNCTIONS = {
    "sin", "cos", "tan", "cot", "exp", "log", "erf", "erfc", "sinh", "cosh", "tanh", "asin", "acos", "atan",
    "Abs", "sign", "asinh", "acosh", "atanh", "erfi", "Si", "Shi", "fresnels", "fresnelc", "lowergamma", "gamma",
}


def compiled(discretizer, signal):
    """The :class:`CompiledDiscretization` of ``discretizer`` on ``signal`` (cached)."""
    if not isinstance(discretizer, Discretizer):
        raise InvalidType(f"Expected a CellAverage or PointSample but got {type(discretizer).__name__}")
    signal = _as_signal(signal)
    return _compiled(discretizer, signal.base, signal.period, signal.offset)


@functools.lru_cache(maxsize=128)
def _compiled(discretizer, base, period, offset):
    return CompiledDiscretization(discretizer, base, period, offset)


def _fraction(value):
    """An exact rational as a Fraction, or None if it is not rational."""
    if isinstance(value, fractions.Fraction):
        return value
    if isinstance(value, int):
        return fractions.Fraction(value)
    if isinstance(value, sympy.Rational):
        return fractions.Fraction(int(value.p), int(value.q))
    return None


def _to_backend(value, backend):
    if isinstance(value, fractions.Fraction):
        if backend is ARB:
            return flint.arb(value.numerator) / value.denominator
        if backend is MPMATH:
            return mpmath.mpf(value.numerator) / value.denominator
    return backend.number(value)


class _Compiled:
    """A piecewise function of x, compiled per backend, evaluated at exact points."""

    def __init__(self, function):
        self.function = function
        self.rational = all(_fraction(c) is not None for c in function.breakpoints)
        self.keys = [_fraction(c) for c in function.breakpoints] if self.rational else None
        self._code = {}

    def piece_code(self, index, backend):
        key = (index, backend.name)
        if key not in self._code:
            piece = self.function.pieces[index]
            if backend is ARB:
                missing = sorted({type(f).__name__ for f in piece.atoms(sympy.Function)} - _ARB_FUNCTIONS)
                if missing:
                    raise NoEnclosure(f"{piece} needs {', '.join(missing)}, which have no ball version here", piece)
            self._code[key] = compile_function(piece, x, backend)
        return self._code[key]

    def locate(self, t):
        """(piece index, on_breakpoint) for an exact t."""
        breakpoints = self.function.breakpoints
        if self.rational and isinstance(t, fractions.Fraction):
            i = bisect.bisect_left(self.keys, t)
            return i, i < len(self.keys) and self.keys[i] == t
        t = t if isinstance(t, sympy.Basic) else sympy.Rational(t.numerator, t.denominator)
        return _index_of_interval(breakpoints, t)

    def __call__(self, t, backend):
        i, on = self.locate(t)
        if on:
            return backend.number(self.function.values[i])
        try:
            return self.piece_code(i, backend)(_to_backend(t, backend))
        except NoEnclosure:
            raise
        except (ZeroDivisionError, ValueError) as exc:  # a pole or a domain error of the signal at t
            piece = self.function.pieces[i]
            raise UnsupportedSignal(f"{piece} has no finite real value at x = {t} ({exc})", piece) from None


class CompiledDiscretization:
    """D[base.shifted(offset + d)] for numeric d, fast, in a chosen backend.

    Build it with :func:`compiled`. ``values(d, backend)`` returns one number
    per cell at the backend's current precision (use
    :func:`~symequiv.numeric.backends.working_precision`).
    """

    def __init__(self, discretizer, base, period, offset):
        self.discretizer = discretizer
        self.grid = grid = discretizer.grid
        self.offset = offset
        self.mode = _periodic_mode(grid, base, period)
        self.fallback = None
        if isinstance(discretizer, CellAverage):
            points = grid.edges
            try:
                function = _printable(_antiderivative(base))
            except (UnsupportedSignal, BudgetExceeded):
                function = None
                self.fallback = _Quadrature(_signal_function(base), grid, self.mode)
            if function is not None:
                function = periodic_primitive(function, grid, self.mode, base)
        elif isinstance(discretizer, PointSample):
            points = discretizer.points
            function = _signal_function(base)
            if self.mode == "extend":
                function = PiecewiseFunction.splice(function.compose(1, grid.length), function, grid.start)
        else:
            raise InvalidType(f"No fast path for {discretizer!r}")
        self.function = None if function is None else _Compiled(function)
        rational_points = [_fraction(p) for p in points]
        self.points = rational_points if all(p is not None for p in rational_points) else list(points)
        self.inverse_dx = 1 / grid.dx
        self._points_cache = {}
        self._signal = base
        self._ball_quadrature = None

    @property
    def is_exact_antiderivative(self):
        """False when the values come from numeric quadrature (no closed form)."""
        return self.fallback is None

    def _reduced_shift(self, d):
        """offset + d, exact (a Fraction when rational), reduced to one period if the signal repeats."""
        total = exact_number(d, "d") + self.offset
        if self.mode == "extend":
            length = self.grid.length
            total = total - length * floor(total / length)
        as_fraction = _fraction(total)
        return as_fraction if as_fraction is not None else total

    def values(self, d, backend):
        """The cell values of D[f.shifted(d)] as numbers of ``backend``."""
        shift = self._reduced_shift(d)
        if self.fallback is not None:
            return self.fallback.values(shift, backend)
        try:
            return self._values(shift, backend)
        except NoEnclosure:
            if backend is not ARB or not isinstance(self.discretizer, CellAverage):
                raise
            # The closed form uses a function balls cannot evaluate here: integrate the signal
            # itself instead (rigorous where its pieces are entire, else NoEnclosure again).
            if self._ball_quadrature is None:
                self._ball_quadrature = _Quadrature(_signal_function(self._signal), self.grid, self.mode)
            return self._ball_quadrature.values(shift, backend)

    def _values(self, shift, backend):
        if isinstance(self.discretizer, CellAverage):
            self._refuse_poles(shift)
        if not self.function.function.breakpoints and backend is not RATIONAL:
            # One smooth piece: no exact location needed, subtract in the backend.
            code = self.function.piece_code(0, backend)
            moved = _to_backend(shift, backend)
            at = [code(p - moved) for p in self._points_in(backend)]
        else:
            at = [self.function(_subtract(p, shift), backend) for p in self.points]
        if isinstance(self.discretizer, PointSample):
            return at
        scale = _to_backend(_fraction(self.inverse_dx) or self.inverse_dx, backend)
        return [(b - a) * scale for a, b in zip(at, at[1:])]

    def _refuse_poles(self, shift):
        """UnsupportedSignal when a cell [a - shift, b - shift] holds a pole of the antiderivative."""
        for pole in self.function.function.poles:
            at = pole + (sympy.Rational(shift.numerator, shift.denominator) if isinstance(shift, fractions.Fraction)
                         else shift)
            grid = self.grid
            j = floor((at - grid.start) / grid.dx)
            hit = [k for k in (j - 1, j) if 0 <= k < grid.n and not _less(at, grid.edges[k]) and
                   not _less(grid.edges[k + 1], at)]
            if hit:
                raise UnsupportedSignal(
                    f"Signal {self._signal} is not integrable on cell {hit[0]} of {grid!r} at this shift: "
                    f"it has a non-integrable singularity at x = {pole}",
                    self._signal,
                )

    def _points_in(self, backend):
        if backend.name not in self._points_cache:
            self._points_cache[backend.name] = [_to_backend(p, backend) for p in self.points]
        return self._points_cache[backend.name]

    def errors(self, d):
        """Quadrature error estimates per cell (mpmath fallback), else None."""
        if self.fallback is None:
            return None
        return self.fallback.last_errors


def _printable(function):
    """``function`` if every piece compiles to mpmath code, else UnsupportedSignal.

    sympy's antiderivative may hold functions lambdify cannot print (Ei,
    exp_polar); the signal is then integrated numerically instead.
    """
    printer = SpecialPrinter()
    for piece in function.pieces:
        try:
            printer.doprint(piece)
        except NotImplementedError:
            raise UnsupportedSignal(f"the antiderivative {piece} has no mpmath code", piece) from None
    return function


def _subtract(point, shift):
    if isinstance(point, fractions.Fraction) and isinstance(shift, fractions.Fraction):
        return point - shift
    as_sympy = [sympy.Rational(v.numerator, v.denominator) if isinstance(v, fractions.Fraction) else v for v in (point, shift)]
    return as_sympy[0] - as_sympy[1]


# ------------------------------------------------------- numeric fallback --

# Functions of the complex-ball integrand: meromorphic ones need no care (a pole gives a
# non-finite ball); those with branch cuts check, when asked, that the cut is not touched.
_ANALYTIC = (
    sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.exp, sympy.erf, sympy.erfc, sympy.erfi, sympy.sinh,
    sympy.cosh, sympy.tanh, sympy.log, sympy.atan, sympy.asin, sympy.acos,
)


def _is_analytic_code(expr):
    """True when ``expr`` is built from functions the complex-ball namespace evaluates soundly."""
    if expr.is_Atom:
        return True
    if isinstance(expr, (sympy.Add, sympy.Mul, sympy.Pow)):
        return all(_is_analytic_code(a) for a in expr.args)
    return expr.func in _ANALYTIC and len(expr.args) == 1 and _is_analytic_code(expr.args[0])


_NAN = flint.acb("nan")
#: Largest Gauss-Legendre degree of one step of flint's integration.
_DEGREE_LIMIT = 400


class _AcbNamespace:
    """What :class:`~symequiv.numeric.backends.BallPrinter` code calls, answered with flint acb balls.

    ``analytic`` is set by the integrand before each call: when True, every
    function with a branch cut returns a non-finite ball if its argument
    touches the cut, as flint's integration requires.
    """

    analytic = False
    mpf = staticmethod(flint.acb)
    sin = staticmethod(lambda z: flint.acb(z).sin())
    cos = staticmethod(lambda z: flint.acb(z).cos())
    tan = staticmethod(lambda z: flint.acb(z).tan())
    cot = staticmethod(lambda z: flint.acb(z).cot())
    exp = staticmethod(lambda z: flint.acb(z).exp())
    erf = staticmethod(lambda z: flint.acb(z).erf())
    erfc = staticmethod(lambda z: flint.acb(z).erfc())
    erfi = staticmethod(lambda z: flint.acb(z).erfi())
    sinh = staticmethod(lambda z: flint.acb(z).sinh())
    cosh = staticmethod(lambda z: flint.acb(z).cosh())
    tanh = staticmethod(lambda z: flint.acb(z).tanh())

    def ipow(self, z, n):
        z = flint.acb(z)
        result = flint.acb(1)
        for _ in range(abs(n)):
            result = result * z
        return result if n >= 0 else 1 / result

    def sqrt(self, z):
        return flint.acb(z).sqrt(analytic=self.analytic)

    def log(self, z):
        return flint.acb(z).log(analytic=self.analytic)

    def power(self, z, e):
        return (flint.acb(e) * flint.acb(z).log(analytic=self.analytic)).exp()

    def atan(self, z):
        # branch cuts on the imaginary axis beyond +-i: away from them when |Im z| < 1
        z = flint.acb(z)
        if self.analytic and not abs(z.imag).upper() < 1:
            return _NAN
        return z.atan()

    def asin(self, z):
        # branch cuts on the real axis beyond +-1: away from them when |Re z| < 1
        z = flint.acb(z)
        if self.analytic and not abs(z.real).upper() < 1:
            return _NAN
        return z.asin()

    def acos(self, z):
        z = flint.acb(z)
        if self.analytic and not abs(z.real).upper() < 1:
            return _NAN
        return z.acos()

    @property
    def pi(self):
        return flint.acb.pi()

    @property
    def e(self):
        return flint.acb(1).exp()


class _Integrand:
    """A piece as flint's integrand, with the budget's alarm held off while flint runs.

    flint calls the integrand from C: an exception raised there by the
    budget's alarm would surface as a SystemError, or worse. So while flint
    integrates, the alarm only takes note; the integrand then returns 0
    (flint finishes at once), and the budget's own handler raises
    :class:`~symequiv.errors.BudgetExceeded` afterwards.
    """

    def __init__(self, piece):
        self.namespace = _AcbNamespace()
        self.code = sympy.lambdify(x, piece, modules=[{"mpmath": self.namespace}], printer=BallPrinter)
        self.fired = []

    def __call__(self, z, analytic):
        if self.fired:
            return flint.acb(0)
        try:
            self.namespace.analytic = analytic
            return flint.acb(self.code(z))
        except (ZeroDivisionError, ValueError, ArithmeticError):
            return _NAN

    def integral(self, a, b):
        self.fired = fired = []
        previous = signal.getsignal(signal.SIGALRM)
        hold = callable(previous) and threading.current_thread() is threading.main_thread()
        if hold:
            signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
        try:
            # A capped degree keeps each of flint's steps short (Gauss-Legendre nodes of degree
            # p/2 at thousands of digits take minutes), so an expired budget is seen soon.
            value = flint.acb.integral(self, a, b, deg_limit=min(flint.ctx.prec // 2 + 10, _DEGREE_LIMIT))
        finally:
            if hold:
                signal.signal(signal.SIGALRM, previous)
        if fired:
            previous(signal.SIGALRM, None)  # the budget's handler: raises BudgetExceeded
        return value


class _Quadrature:
    """Cell averages by integrating the signal's smooth pieces numerically."""

    def __init__(self, function, grid, mode):
        self.function = function
        self.grid = grid
        self.mode = mode
        self.last_errors = None
        self._mp = [compile_function(p, x, MPMATH) for p in function.pieces]
        self.rigorous = all(_is_analytic_code(p) for p in function.pieces)
        self._acb = [_Integrand(p) for p in function.pieces] if self.rigorous else None

    def _segments(self, lo, hi):
        """(piece index, a, b) covering [lo, hi] between the signal's breakpoints."""
        cuts = [c for c in self.function.breakpoints if _less(lo, c) and _less(c, hi)]
        bounds = [lo] + cuts + [hi]
        breakpoints = self.function.breakpoints
        return [(_index_of_interval(breakpoints, (a + b) / 2)[0], a, b) for a, b in zip(bounds, bounds[1:])]

    def _integral(self, lo, hi, backend):
        total, error = None, mpmath.mpf(0)
        for index, a, b in self._segments(lo, hi):
            if backend is ARB and self.rigorous:
                result = self._acb[index].integral(ARB.number(a), ARB.number(b))
                if result.imag.is_finite() and not result.imag.contains(0):
                    # a real integrand has a real integral: sqrt or log of negative numbers in the cell
                    piece = self.function.pieces[index]
                    raise UnsupportedSignal(f"{piece} is not real on [{a}, {b}]: it has no real cell value", piece)
                value = result.real
                if not value.is_finite():
                    raise NoEnclosure(
                        f"No rigorous enclosure for the integral of {self.function.pieces[index]} over [{a}, {b}] "
                        "(it is not analytic on a neighbourhood of that segment); the value is numeric only",
                        self.function.pieces[index],
                    )
            elif backend is ARB:
                raise NoEnclosure(
                    f"No rigorous enclosure for the integral of {self.function.pieces[index]} (a function the "
                    "complex-ball integrator does not evaluate); the value is numeric only",
                    self.function.pieces[index],
                )
            elif backend is MPMATH:
                refuse_unbounded(self.function, index, a, b)
                try:
                    value, estimate = mpmath.quad(self._mp[index], [MPMATH.number(a), MPMATH.number(b)], error=True)
                except (ZeroDivisionError, ValueError):  # a node of the quadrature hit a pole or 0/0
                    piece = self.function.pieces[index]
                    raise UnsupportedSignal(
                        f"{piece} has no finite value at a point of [{a}, {b}] where quadrature evaluates it "
                        "(0/0 or a pole); write the signal without the removable singularity, e.g. with a Piecewise",
                        piece,
                    ) from None
                error += estimate
            else:
                raise NotRational("a quadrature is not rational arithmetic")
            total = value if total is None else total + value
        return total, error

    def values(self, shift, backend):
        if isinstance(shift, fractions.Fraction):
            shift = sympy.Rational(shift.numerator, shift.denominator)
        edges = self.grid.edges
        length = self.grid.length
        values, errors = [], []
        for a, b in zip(edges, edges[1:]):
            lo, hi = a - shift, b - shift
            if self.mode == "extend":
                value, error = self._periodic_integral(lo, hi, backend, length)
            else:
                value, error = self._integral(lo, hi, backend)
            values.append(value * backend.number(1 / self.grid.dx))
            errors.append(error / MPMATH.number(self.grid.dx))
        self.last_errors = errors
        return values

    def _periodic_integral(self, lo, hi, backend, length):
        # lo, hi lie within one period of the window [start, start + length)
        start = self.grid.start
        wraps = sympy.floor((lo - start) / length)
        lo, hi = lo - wraps * length, hi - wraps * length
        end = start + length
        if not _less(end, hi):
            return self._integral(lo, hi, backend)
        first, e1 = self._integral(lo, end, backend)
        second, e2 = self._integral(start, hi - length, backend)
        return first + second, e1 + e2
