"""How large a number symequiv accepts.

Exact arithmetic never overflows, so without a limit one innocent-looking
number would take all the time or memory there is: ``1e999999999`` is an
integer of a billion digits, and ``exp(exp(exp(100)))`` has so many digits
before the point that no computer could write its integer part. So every
number a user gives (a literal, a sympy object, a constant inside a signal)
must satisfy two rules:

* an exact rational has at most :data:`MAX_DIGITS` digits in its numerator and
  in its denominator;
* every constant built from functions and powers (``exp(100)``, ``pi**50``)
  is real and lies within 10**-MAX_DIGITS and 10**MAX_DIGITS in magnitude, or
  is zero (``acos(2)`` is refused as complex).

>>> import sympy
>>> size_problem(sympy.Integer(10) ** 999) is None
True
>>> size_problem(sympy.exp(sympy.exp(100)))
'exp(exp(100)) is larger than 10**1000 in magnitude'

The magnitude of a constant is enclosed with a low-precision arb ball, which
takes microseconds whatever the size, and is never evaluated with sympy here.
"""

import flint
import sympy

from .balls import arb_value
from ..errors import SymequivError, short_str

__all__ = ["MAX_DIGITS", "MAX_BITS", "size_problem", "rational_problem"]

#: Most decimal digits in the numerator or denominator of an exact number.
MAX_DIGITS = 1000
#: The same limit in bits: 2**3322 > 10**1000.
MAX_BITS = 3322

_LARGEST = flint.arb(10) ** MAX_DIGITS
_SMALLEST = 1 / _LARGEST


def rational_problem(numerator, denominator=1):
    """None if ``numerator/denominator`` is within the digit limit, else why not.

    Checked on bit lengths, so a number far too large is never printed.
    """
    if max(abs(int(numerator)), abs(int(denominator))).bit_length() > MAX_BITS:
        return f"a number with more than about {MAX_DIGITS} digits is refused"
    return None


def _constant_problem(expr):
    """None if the numeric constant ``expr`` is within the magnitude limits, else why not."""
    try:
        ball = arb_value(expr)
    except (SymequivError, ArithmeticError, ValueError, TypeError):
        return None  # no enclosure: evaluation later decides, under its own budgets
    if ball.mid().is_nan():
        return f"{short_str(expr)} is not a real number"
    if not ball.is_finite() or abs(ball).lower() > _LARGEST:
        return f"{short_str(expr)} is larger than 10**{MAX_DIGITS} in magnitude"
    if abs(ball).upper() < _SMALLEST:
        # Sympy folds the exact zeros it sees; at 53 bits a ball this small is a tiny number.
        return f"{short_str(expr)} is smaller than 10**-{MAX_DIGITS} in magnitude"
    return None


def size_problem(expr):
    """None if every number in the sympy expression ``expr`` is within the limits, else why not.

    Rationals are checked by their digits; every function value or power whose
    arguments are numbers, by its magnitude.
    """
    # Digits first, so that a constant too large is named only once its rationals are printable.
    for rational in expr.atoms(sympy.Rational):
        problem = rational_problem(rational.p, rational.q)
        if problem:
            return problem
    for sub in sympy.preorder_traversal(expr):
        if isinstance(sub, (sympy.Function, sympy.Pow)) and sub.is_number:
            problem = _constant_problem(sub)
            if problem:
                return problem
    return None

