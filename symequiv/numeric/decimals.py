"""Decimal text of mpmath numbers that stays sound: bounds rounded up, long mantissas read and written.

Shared by :mod:`symequiv.judge.verdict` (JSON) and the renderings
(:mod:`symequiv.judge.mathtext`, :mod:`symequiv.judge.render`): a bound
written with :func:`upper_text` reads back as a number at least as large, so
it is still a bound; :func:`nstr` and :func:`read_number` work on mantissas
longer than Python's int/str conversion limit.

>>> import mpmath
>>> upper_text(mpmath.mpf(1) / 3, 30, 3)
'0.334'
>>> decimal_ceiling(mpmath.mpf("0.1234"), 2)
(13, -2)
"""

import re
from fractions import Fraction

import mpmath
import sympy

from ..errors import InvalidArgument, short_repr

__all__ = [
    "abs_exact", "add_up", "approximate", "decimal_ceiling", "is_exact", "magnitude", "nstr", "read_number",
    "upper_text",
]

#: Significant digits of written error bounds, radii and bounds (rounded up).
BOUND_DIGITS = 6
_DECIMAL = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")
# Python refuses to convert longer digit strings to int in one go (CVE-2020-10735).
DIGIT_CHUNK = 1000


def is_exact(value):
    """True for an exact sympy number, False for an mpf."""
    return isinstance(value, sympy.Basic)


def approximate(value, dps):
    """An exact sympy number or an mpf as an mpf at ``dps`` digits (exact ones evaluated by sympy)."""
    with mpmath.workdps(dps):
        if isinstance(value, mpmath.mpf):
            return +value
        approximation = value.evalf(dps + 10)
        if not approximation.is_Number:
            raise InvalidArgument(f"sympy cannot evaluate the residual {value} numerically")
        return +mpmath.mpf(sympy.Float(approximation, dps + 10)._mpf_)


def magnitude(value, dps):
    """|value| as an mpf at ``dps`` digits."""
    return abs_exact(approximate(value, dps))


def abs_exact(value):
    """|value| for an mpf, without rounding."""
    # abs() and unary minus round to the global precision; this does not.
    return value if value >= 0 else mpmath.fneg(value, exact=True)


def add_up(a, b, dps):
    """An upper bound of a + b for nonnegative mpf, rounded up."""
    return mpmath.fadd(a, b, prec=int(dps * 3.33) + 64, rounding="c")


def int_of_digits(digits):
    """int of a digit string of any length."""
    value = 0
    for start in range(0, len(digits), DIGIT_CHUNK):
        chunk = digits[start:start + DIGIT_CHUNK]
        value = value * 10 ** len(chunk) + int(chunk)
    return value


def read_number(text, dps):
    """A decimal string as an mpf at ``dps`` digits."""
    if len(text) < 4 * DIGIT_CHUNK:
        with mpmath.workdps(dps):
            return mpmath.mpf(text)
    # Too long for mpmath's reader (which calls int() on all digits at once).
    match = _DECIMAL.fullmatch(text.strip())
    if match is None or not (match[2] or match[3]):
        raise ValueError(f"not a decimal number: {short_repr(text)}")
    digits = (match[2] + (match[3] or "")).lstrip("0") or "0"
    exponent = int(match[4] or 0) - len(match[3] or "")
    mantissa = int_of_digits(digits)
    with mpmath.workprec(max(mantissa.bit_length(), 53)):
        mantissa = mpmath.mpf(mantissa)  # exact
    with mpmath.workdps(dps):
        value = mantissa * mpmath.mpf(10) ** exponent
        return -value if match[1] == "-" else value


def nstr(value, digits):
    """``mpmath.nstr`` that also works on mpf with very long mantissas.

    mpmath's printer converts the whole mantissa to decimal, which Python
    refuses beyond 4300 digits; rounding to a few more digits than printed
    first avoids that and does not change the printed digits.
    """
    with mpmath.workdps(digits + 5):
        return mpmath.nstr(+value, digits)


def decimal_ceiling(value, digits):
    """(m, e): m * 10**e is the smallest decimal of ``digits`` significant digits >= the mpf ``value`` > 0.

    Exact (Fractions), so a bound printed this way stays a bound. m may reach
    10**digits when value rounds up to the next power of ten.
    """
    _, mantissa, exponent, _ = value._mpf_
    exact = Fraction(mantissa) * Fraction(2) ** exponent
    with mpmath.workdps(30):
        power = int(mpmath.floor(mpmath.log10(value)))
    while Fraction(10) ** power > exact:
        power -= 1
    while Fraction(10) ** (power + 1) <= exact:
        power += 1
    step = power - digits + 1
    scaled = exact / Fraction(10) ** step
    return -((-scaled.numerator) // scaled.denominator), step


def upper_text(value, dps, digits=BOUND_DIGITS):
    """The smallest ``digits``-digit decimal that reads back (at ``dps``) as >= value.

    Reading its output back and writing again gives the same text, so a round
    trip through JSON is stable and the bound stays a bound.
    """
    if value <= 0:
        return "0.0"
    ceiling, step = decimal_ceiling(value, digits)
    for candidate in (ceiling - 1, ceiling, ceiling + 1):
        read = read_number(f"{candidate}e{step}", dps)
        if read >= value:
            return nstr(read, digits)
    raise AssertionError("unreachable: the next decimal up reads above the value")  # pragma: no cover
