"""Numeric backends: the number types layers and shifts compute with, and compiled formulas.

Exact sympy values are the ground truth. Three backends evaluate the same
formulas fast and at a chosen precision:

* :data:`MPMATH`: mpmath ``mpf`` numbers, the working-precision values;
* :data:`RATIONAL`: Python fractions, exact, for the checker's rational cases
  (piecewise-polynomial signals, rational kernels and shifts); anything
  irrational raises :class:`NotRational` and the checker moves to balls;
* :data:`ARB`: python-flint ``arb`` balls (see :mod:`symequiv.numeric.balls`),
  which certify: a ball that excludes 0 proves the value nonzero.

:func:`compile_function` turns a smooth sympy expression into Python code for
one backend, printed once by sympy's mpmath printer so that rationals stay exact.

>>> import sympy
>>> from symequiv.continuous.symbols import x
>>> from symequiv.numeric.balls import working_precision
>>> with working_precision(30):
...     print(compile_function(sympy.sin(x) / 3, x, MPMATH)(1))
0.28049032826929883555083410721
"""

import abc
import fractions

import flint
import mpmath
import sympy
from sympy.printing.pycode import MpmathPrinter

from ..errors import InvalidArgument, UnsupportedSignal
from .balls import _ball, _ball_abs, _ball_relu, _ball_sign, arb_of_rational, arb_value, ball_power

__all__ = [
    "MPMATH",
    "ARB",
    "RATIONAL",
    "NotRational",
    "compile_function",
    "backend_of",
    "BallPrinter",
    "SpecialPrinter",
]


class SpecialPrinter(MpmathPrinter):
    """sympy's mpmath printer, also for the special functions checked antiderivatives may hold."""

    def _print_Si(self, expr):
        return f"mpmath.si({self._print(expr.args[0])})"

    def _print_Shi(self, expr):
        return f"mpmath.shi({self._print(expr.args[0])})"

    def _print_erfi(self, expr):
        return f"mpmath.erfi({self._print(expr.args[0])})"


class BallPrinter(SpecialPrinter):
    """sympy's mpmath printer, with powers printed as calls the ball namespaces define.

    An integer power becomes ``mpmath.ipow(b, n)`` (an enclosure, see
    :func:`ball_power`) and any other power ``mpmath.power(b, e)``, so that a
    complex-ball namespace can check that the branch cut is not touched.
    """

    def _print_Pow(self, expr, rational=False):
        base, exponent = expr.args
        if exponent.is_Integer:
            return f"mpmath.ipow({self._print(base)}, {int(exponent)})"
        if exponent == sympy.S.Half:
            return f"mpmath.sqrt({self._print(base)})"
        return f"mpmath.power({self._print(base)}, {self._print(exponent)})"


class _ArbNamespace:
    """What lambdify's mpmath-printed code calls, answered with arb balls."""

    mpf = staticmethod(flint.arb)
    ipow = staticmethod(lambda b, n: ball_power(_ball(b), n))
    power = staticmethod(lambda b, e: _ball(b) ** _ball(e))
    si = staticmethod(lambda b: _ball(b).si())
    shi = staticmethod(lambda b: _ball(b).shi())
    erfi = staticmethod(lambda b: _ball(b).erfi())
    fresnels = staticmethod(lambda b: _ball(b).fresnel_s())  # sympy's and arb's: both normalized
    fresnelc = staticmethod(lambda b: _ball(b).fresnel_c())
    asinh = staticmethod(lambda b: _ball(b).asinh())
    acosh = staticmethod(lambda b: _ball(b).acosh())
    atanh = staticmethod(lambda b: _ball(b).atanh())
    gamma = staticmethod(lambda b: _ball(b).gamma())

    @staticmethod
    def gammainc(s, a, b):
        """mpmath's gammainc(s, 0, b) is the lower incomplete gamma function: the only form printed here."""
        if a != 0:
            raise InvalidArgument("only the lower incomplete gamma function has a ball version here")
        return _ball(b).gamma_lower(_ball(s))
    sin = staticmethod(lambda b: _ball(b).sin())
    cos = staticmethod(lambda b: _ball(b).cos())
    tan = staticmethod(lambda b: _ball(b).tan())
    cot = staticmethod(lambda b: _ball(b).cot())
    exp = staticmethod(lambda b: _ball(b).exp())
    log = staticmethod(lambda b: _ball(b).log())
    sqrt = staticmethod(lambda b: _ball(b).sqrt())
    erf = staticmethod(lambda b: _ball(b).erf())
    erfc = staticmethod(lambda b: _ball(b).erfc())
    sinh = staticmethod(lambda b: _ball(b).sinh())
    cosh = staticmethod(lambda b: _ball(b).cosh())
    tanh = staticmethod(lambda b: _ball(b).tanh())
    asin = staticmethod(lambda b: _ball(b).asin())
    acos = staticmethod(lambda b: _ball(b).acos())
    atan = staticmethod(lambda b: _ball(b).atan())
    fabs = staticmethod(_ball_abs)
    sign = staticmethod(_ball_sign)

    @property
    def pi(self):
        return flint.arb.pi()

    @property
    def e(self):
        return flint.arb(1).exp()


_KINKS = (sympy.Piecewise, sympy.Heaviside, sympy.Max, sympy.Min, sympy.Abs, sympy.sign)


def compile_function(expr, var, backend):
    """``expr`` as a fast Python function of one number of ``backend``.

    The code is generated once by sympy's mpmath printer, which keeps every
    rational exact (``mpf(1)/mpf(7)``, never the float 1/7); for the arb
    backend the same code runs on balls. ``expr`` must be free of kinks
    (Piecewise, Heaviside, Max, ...): under lambdify those become Python
    ``if``/``else``, which is not an enclosure on a ball.
    """
    if expr.has(*_KINKS):
        raise InvalidArgument(f"compile_function needs a smooth expression but {expr} has a kink")
    if var not in expr.free_symbols:
        # lambdify would return a bare Python int for a constant; give a backend number.
        return lambda _, value=expr: backend.number(value)
    if backend.name == "rational" and not _rational_arithmetic(expr, var):
        def irrational(_):
            raise NotRational(f"{expr} is not rational arithmetic")

        return irrational
    namespaces = {"arb": _ArbNamespace(), "rational": _FractionNamespace(), "mpmath": mpmath}
    module = {"mpmath": namespaces[backend.name]}
    printer = BallPrinter if backend.name == "arb" else SpecialPrinter
    try:
        return sympy.lambdify(var, expr, modules=[module], printer=printer)
    except NotImplementedError as exc:  # a function sympy's mpmath printer does not know
        raise UnsupportedSignal(f"{expr} has no numeric code: {exc}", expr) from None


def _rational_arithmetic(expr, var):
    """True if ``expr`` is a rational function of ``var`` with rational coefficients.

    Only then do exact rationals in give exact rationals out: x**(1/2) or pi*x
    would reach fmpq with an operation it does not have.
    """
    return expr.is_rational_function(var) and all(
        a.is_Rational for a in expr.atoms(sympy.Number, sympy.NumberSymbol)
    )


# --------------------------------------------------------------- backends --


class _Backend(abc.ABC):
    """Arithmetic that layers and shifts need, for one kind of number."""

    name = ""

    @abc.abstractmethod
    def number(self, exact):
        """An exact value as a number of this backend."""

    def dot(self, pairs, bias):
        """bias + the sum of w * v over the (w, v) pairs."""
        total = bias
        for w, v in pairs:
            total += w * v
        return total

    def __repr__(self):
        return self.name.upper()


class _MpmathBackend(_Backend):
    name = "mpmath"
    types = (mpmath.mpf,)

    def number(self, exact):
        from .numbers import to_mpmath

        return to_mpmath(exact)

    def zero(self):
        return mpmath.mpf(0)

    def dot(self, pairs, bias):
        return mpmath.fdot(list(pairs) + [(bias, mpmath.mpf(1))])

    def relu(self, v):
        return v if v > 0 else mpmath.mpf(0)

    def leaky(self, v, a):
        return v if v >= 0 else a * v

    def tanh(self, v):
        return mpmath.tanh(v)

    def sinpi(self, v):
        return mpmath.sinpi(v)

    def cospi(self, v):
        return mpmath.cospi(v)

    def is_finite(self, v):
        return mpmath.isfinite(v)


class _ArbBackend(_Backend):
    name = "arb"
    types = (flint.arb,)

    def number(self, exact):
        if isinstance(exact, (int, sympy.Rational)):
            return arb_of_rational(exact)
        if isinstance(exact, mpmath.mpf):
            return flint.arb(mpmath.nstr(exact, mpmath.mp.dps + 5))  # pragma: no cover - not used by symequiv
        return arb_value(exact)

    def zero(self):
        return flint.arb(0)

    def relu(self, v):
        return _ball_relu(v)

    def leaky(self, v, a):
        if v >= 0:
            return v
        if v < 0:
            return a * v
        return v.union(a * v).union(flint.arb(0))

    def tanh(self, v):
        return v.tanh()

    def sinpi(self, v):
        return v.sin_pi()

    def cospi(self, v):
        return v.cos_pi()

    def is_finite(self, v):
        return v.is_finite()


class NotRational(Exception):
    """Internal: a value met on the exact-rational backend is not rational."""


class _FractionNamespace:
    """What lambdify's mpmath-printed code calls, answered with exact rationals (polynomials only)."""

    mpf = staticmethod(flint.fmpq)

    def __getattr__(self, name):
        raise NotRational(f"{name} is not rational arithmetic")


class _RationalBackend(_Backend):
    """Exact rationals, as flint's fmpq (a C rational: far faster than Python's Fraction)."""

    name = "rational"
    types = (flint.fmpq,)

    def number(self, exact):
        if isinstance(exact, flint.fmpq):
            return exact
        if isinstance(exact, fractions.Fraction):
            return flint.fmpq(exact.numerator, exact.denominator)
        if isinstance(exact, int):
            return flint.fmpq(exact)
        if isinstance(exact, sympy.Rational):
            return flint.fmpq(int(exact.p), int(exact.q))
        raise NotRational(f"{exact} is not rational")

    def zero(self):
        return flint.fmpq(0)

    def relu(self, v):
        return v if v > 0 else flint.fmpq(0)

    def leaky(self, v, a):
        return v if v >= 0 else a * v

    def tanh(self, v):
        if v == 0:
            return v
        raise NotRational(f"tanh({v}) is irrational")

    def sinpi(self, v):
        raise NotRational("sin(pi v) is not rational arithmetic")

    cospi = sinpi

    def is_finite(self, v):
        return True


MPMATH = _MpmathBackend()
ARB = _ArbBackend()
RATIONAL = _RationalBackend()


def backend_of(items):
    """The numeric backend of a vector, or None for exact (sympy) entries."""
    for v in items:
        if isinstance(v, flint.arb):
            return ARB
        if isinstance(v, (mpmath.mpf, mpmath.mpc)):
            return MPMATH
    return None
