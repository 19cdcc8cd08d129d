"""Numeric backends: mpmath numbers, and arb balls that certify.

Exact sympy values are the ground truth. Two numeric backends evaluate the same
formulas fast and at a chosen precision:

* :data:`MPMATH`: mpmath ``mpf`` numbers, the working-precision values;
* :data:`RATIONAL`: Python fractions, exact, for the checker's rational cases
  (piecewise-polynomial signals, rational kernels and shifts); anything
  irrational raises :class:`NotRational` and the checker moves to balls;
* :data:`ARB`: python-flint ``arb`` balls. Each ball is a midpoint and a
  radius that *rigorously* contains the exact value, so a ball that excludes 0
  proves the value nonzero. This is what certifies ``holds=False``.

Why python-flint: mpmath's own interval type (``mpmath.iv``) has no working
``erf`` and is about 20 times slower than ball arithmetic (see DESIGN.md's
measured pitfalls); arb evaluates a cell residual in about a microsecond at
170 bits with a rigorous radius.

Precision is always scoped: :func:`working_precision` sets both mpmath's and
flint's precision for a ``with`` block and restores them after.

>>> import sympy
>>> with working_precision(50):
...     ball = arb_value(sympy.sqrt(2) - sympy.Rational(7, 5))
...     print(ball_excludes_zero(ball), mpf_of(ball))
True 0.014213562373095048801688724209698078569671875376948
"""

import abc
import contextlib
import fractions
import math

import flint
import mpmath
import sympy
from mpmath.libmp import from_man_exp
from sympy.printing.pycode import MpmathPrinter

from .errors import InvalidArgument, InvalidType, UnsupportedSignal, short_repr

__all__ = [
    "MPMATH",
    "ARB",
    "RATIONAL",
    "NotRational",
    "working_precision",
    "bits_for_digits",
    "arb_value",
    "arb_of_rational",
    "ball_excludes_zero",
    "mpf_of",
    "compile_function",
    "backend_of",
    "ball_power",
    "BallPrinter",
    "SpecialPrinter",
    "MIN_DPS",
    "MAX_DPS",
]

#: Working precisions accepted, in decimal digits.
MIN_DPS, MAX_DPS = 15, 5000
# Extra bits carried by balls beyond the requested digits, so radii stay far
# below the digits reported.
_GUARD_BITS = 30


def bits_for_digits(dps):
    """Binary precision for ``dps`` decimal digits, plus guard bits."""
    return int(math.ceil(dps * math.log2(10))) + _GUARD_BITS


@contextlib.contextmanager
def working_precision(dps):
    """mpmath at ``dps`` digits and flint at matching bits, for the block only."""
    if isinstance(dps, bool) or not isinstance(dps, int):
        raise InvalidType(f"Expected an int number of digits but got dps={short_repr(dps)}")
    if not MIN_DPS <= dps <= MAX_DPS:
        raise InvalidArgument(f"Expected {MIN_DPS} <= dps <= {MAX_DPS} but got dps={short_repr(dps)}")
    saved = flint.ctx.prec
    flint.ctx.prec = bits_for_digits(dps)
    try:
        with mpmath.workdps(dps):
            yield
    finally:
        flint.ctx.prec = saved


# ------------------------------------------------------------ conversions --


def arb_of_rational(value):
    """An exact rational as a ball: p and q are exact, the division rounds once."""
    if isinstance(value, int):
        return flint.arb(value)
    return flint.arb(int(value.p)) / int(value.q)


def _exact_mpf(value):
    # A dyadic number m * 2**e held exactly: mpmath rounds only when computing with it.
    # (mpf(...) would round to the working precision, hence the raw construction.)
    mantissa, exponent = value.man_exp()
    number = object.__new__(mpmath.mpf)
    number._mpf_ = from_man_exp(int(mantissa), int(exponent))
    return number


# Balls can hold numbers such as tanh(10**100) - 1, about 2**-(10**100): exact in arb,
# but beyond writing in decimal. Midpoints below 2**_TINY are read as 0 (the radius
# grows to cover them), and midpoints above 2**_HUGE are refused.
_TINY, _HUGE = -40_000, 1_000_000


def _magnitude_exponent(number):
    """e with 2**(e-1) <= |number| < 2**e, for a nonzero mpf."""
    _, mantissa, exponent, bits = number._mpf_
    return exponent + bits


def mpf_of(ball):
    """The midpoint of a ball as an mpmath number, exactly (not rounded to the working precision).

    So that midpoint +/- :func:`radius_of` is still an enclosure.
    """
    middle = _exact_mpf(ball.mid())
    if not middle:
        return middle
    if _magnitude_exponent(middle) > _HUGE:
        raise InvalidArgument(f"A value beyond 2**{_HUGE} in magnitude was met: too large to check or to write")
    if _magnitude_exponent(middle) < _TINY:
        return mpmath.mpf(0)
    return middle


def radius_of(ball):
    """The radius of a ball as an mpmath number (an upper bound, exact)."""
    radius = _exact_mpf(ball.rad())
    middle = _exact_mpf(ball.mid())
    if middle and _magnitude_exponent(middle) < _TINY:
        # The midpoint is read as 0: cover it too (rounded up, so still an enclosure).
        radius = mpmath.fadd(radius, abs(middle), prec=64, rounding="c")
    if radius and _magnitude_exponent(radius) < _TINY:
        return mpmath.ldexp(1, _TINY)
    return radius


def ball_excludes_zero(ball):
    """True when the ball proves its value nonzero."""
    return not ball.contains(0)


# ------------------------------------------------ ball arithmetic helpers --


def _ball_max(*balls):
    result = balls[0]
    for b in balls[1:]:
        if b > result:
            result = b
        elif not result >= b:  # overlapping: either may be the larger
            result = result.union(b)
    return result


def _ball_min(*balls):
    result = balls[0]
    for b in balls[1:]:
        if b < result:
            result = b
        elif not result <= b:
            result = result.union(b)
    return result


def _ball_relu(ball):
    if ball > 0:
        return ball
    if ball < 0:
        return flint.arb(0)
    return flint.arb(0).union(ball.upper())


def _ball_heaviside(ball, at_zero):
    if ball > 0:
        return flint.arb(1)
    if ball < 0:
        return flint.arb(0)
    if ball.is_exact() and ball.is_zero():
        return at_zero
    return flint.arb(0).union(flint.arb(1)).union(at_zero)


def _ball_abs(ball):
    return _ball_max(ball, -ball)


def _ball_sign(ball):
    if ball > 0:
        return flint.arb(1)
    if ball < 0:
        return flint.arb(-1)
    if ball.is_exact() and ball.is_zero():
        return flint.arb(0)
    return flint.arb(-1).union(flint.arb(1))


# ------------------------------------------- evaluation of sympy numbers --


_FUNCTIONS = {
    sympy.sin: lambda b: b.sin(),
    sympy.cos: lambda b: b.cos(),
    sympy.tan: lambda b: b.tan(),
    sympy.cot: lambda b: b.cot(),
    sympy.exp: lambda b: b.exp(),
    sympy.log: lambda b: b.log(),
    sympy.erf: lambda b: b.erf(),
    sympy.erfc: lambda b: b.erfc(),
    sympy.sinh: lambda b: b.sinh(),
    sympy.cosh: lambda b: b.cosh(),
    sympy.tanh: lambda b: b.tanh(),
    sympy.asin: lambda b: b.asin(),
    sympy.acos: lambda b: b.acos(),
    sympy.atan: lambda b: b.atan(),
    sympy.asinh: lambda b: b.asinh(),
    sympy.acosh: lambda b: b.acosh(),
    sympy.atanh: lambda b: b.atanh(),
    sympy.erfi: lambda b: b.erfi(),
    sympy.Si: lambda b: b.si(),
    sympy.Shi: lambda b: b.shi(),
    sympy.fresnels: lambda b: b.fresnel_s(),
    sympy.fresnelc: lambda b: b.fresnel_c(),
    sympy.gamma: lambda b: b.gamma(),
    sympy.Abs: _ball_abs,
    sympy.sign: _ball_sign,
}


def arb_value(expr):
    """A ball containing the exact value of a numeric sympy expression.

    Handles rationals, pi, E, sums, products, powers, the elementary functions,
    erf, and the kinks (Max, Min, Abs, sign, Heaviside, Piecewise) in an
    interval-aware way: where a ball straddles a jump, the result covers both
    sides, so it is still an enclosure.
    """
    if isinstance(expr, (int, sympy.Rational)):
        return arb_of_rational(expr)
    if isinstance(expr, sympy.Float):
        return flint.arb(sympy.Rational(expr).p) / int(sympy.Rational(expr).q)
    if expr is sympy.pi:
        return flint.arb.pi()
    if expr is sympy.E:
        return flint.arb(1).exp()
    if isinstance(expr, sympy.Add):
        total = flint.arb(0)
        for term in expr.args:
            total += arb_value(term)
        return total
    if isinstance(expr, sympy.Mul):
        product = flint.arb(1)
        for factor in expr.args:
            product *= arb_value(factor)
        return product
    if isinstance(expr, sympy.Pow):
        base, exponent = expr.args
        if exponent.is_Integer:
            return ball_power(arb_value(base), int(exponent))
        if exponent == sympy.S.Half:
            return arb_value(base).sqrt()
        if exponent == -sympy.S.Half:
            return arb_value(base).rsqrt()
        return (arb_value(exponent) * arb_value(base).log()).exp()
    if isinstance(expr, sympy.Max):
        return _ball_max(*[arb_value(a) for a in expr.args])
    if isinstance(expr, sympy.Min):
        return _ball_min(*[arb_value(a) for a in expr.args])
    if isinstance(expr, sympy.Heaviside):
        return _ball_heaviside(arb_value(expr.args[0]), arb_value(expr.args[1]))
    if isinstance(expr, sympy.Piecewise):
        return _ball_piecewise(expr)
    if isinstance(expr, sympy.lowergamma):
        return arb_value(expr.args[1]).gamma_lower(arb_value(expr.args[0]))
    function = _FUNCTIONS.get(expr.func)
    if function is not None and len(expr.args) == 1:
        return function(arb_value(expr.args[0]))
    raise InvalidArgument(f"Cannot enclose {expr} in a ball: {expr.func} is not supported")


def _ball_condition(condition):
    """True, False, or None (undecided) for a numeric condition."""
    if condition in (sympy.true, True):
        return True
    if condition in (sympy.false, False):
        return False
    if isinstance(condition, sympy.core.relational.Relational):
        difference = arb_value(condition.lhs - condition.rhs)
        op = condition.rel_op
        if op in ("<", "<="):
            difference = -difference
            op = ">" if op == "<" else ">="
        if op == ">":
            return True if difference > 0 else (False if difference <= 0 else None)
        if op == ">=":
            return True if difference >= 0 else (False if difference < 0 else None)
        return None
    if isinstance(condition, sympy.And):
        parts = [_ball_condition(c) for c in condition.args]
        return False if False in parts else (True if all(parts) else None)
    if isinstance(condition, sympy.Or):
        parts = [_ball_condition(c) for c in condition.args]
        return True if True in parts else (False if all(p is False for p in parts) else None)
    if isinstance(condition, sympy.Not):
        inner = _ball_condition(condition.args[0])
        return None if inner is None else not inner
    return None


def _ball_piecewise(expr):
    possible = None
    for value, condition in expr.args:
        decided = _ball_condition(condition)
        if decided is False:
            continue
        ball = arb_value(value)
        possible = ball if possible is None else possible.union(ball)
        if decided is True:
            return possible
    if possible is None:
        raise InvalidArgument(f"{expr} has no branch for this value")
    return possible


# ----------------------------------------------------- compiled functions --


def _ball(value):
    # Printed code may pass a plain int, e.g. sqrt(2) becomes sqrt(2) on an int.
    return value if isinstance(value, flint.arb) else flint.arb(value)


def ball_power(ball, n):
    """ball**n for an int n, always an enclosure.

    python-flint 0.9's ``ball ** n`` is NaN for a ball centred at 0 (a shift
    that lands exactly on a sample point, say); repeated squaring by
    multiplication is an enclosure for every ball, and an even power is
    clipped at 0 from below.
    """
    if n < 0:
        return 1 / ball_power(ball, -n)
    if ball.mid() != 0 or ball.rad() == 0:
        return ball**n
    result, square = flint.arb(1), ball
    while n:
        if n & 1:
            result = result * square
        n >>= 1
        if n:
            square = square * square
    return result


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
