"""Balls that certify: python-flint ``arb`` values, their precision, and their conversions.

Exact sympy values are the ground truth. A python-flint ``arb`` ball is a
midpoint and a radius that *rigorously* contains the exact value, so a ball
that excludes 0 proves the value nonzero. This is what certifies
``holds=False``. Everything here depends only on :mod:`symequiv.errors`, so
every other numeric module may use it.

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

import contextlib
import math

import flint
import mpmath
import sympy
from mpmath.libmp import from_man_exp

from ..errors import InvalidArgument, InvalidType, short_repr

__all__ = [
    "working_precision",
    "bits_for_digits",
    "arb_value",
    "arb_of_rational",
    "ball_excludes_zero",
    "mpf_of",
    "radius_of",
    "ball_power",
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


