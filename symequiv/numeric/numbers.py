"""Exact conversion of user-supplied numbers.

Every number a user gives symequiv (grid bounds, shifts, kernel weights, bias)
goes through :func:`exact_number` (or :func:`exact_value`, which also accepts
symbolic expressions) and comes out as an exact sympy number:

>>> from symequiv.numeric.numbers import exact_number
>>> exact_number("0.1"), exact_number("1/4"), exact_number(3)
(1/10, 1/4, 3)

A Python float is taken at its exact binary value, which is what the float is:

>>> exact_number(0.5), exact_number(0.1) == exact_number("0.1")
(1/2, False)
"""

import decimal
import fractions
import math
import numbers

import mpmath
import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.str import StrPrinter

from ..errors import ExpressionError, InvalidArgument, InvalidType, short_repr
from .limits import MAX_DIGITS, rational_problem, size_problem
from .parsing import parse_expression

__all__ = ["exact_number", "exact_value", "to_mpmath", "is_binary_float", "number_repr"]


def is_binary_float(value):
    """True for a float-like input whose exact value may differ from what was meant."""
    return isinstance(value, (float, sympy.Float, mpmath.mpf)) or (
        type(value).__module__ == "numpy" and isinstance(value, numbers.Real)
        and not isinstance(value, numbers.Integral)
    )


def exact_value(value, name, *, names=None):
    """``value`` as an exact sympy real: a number, or an expression in ``names``.

    ``names`` maps the names a string may use to sympy objects. A sympy
    expression is accepted if it is real-valued as far as sympy can tell.
    """
    if isinstance(value, sympy.Basic):
        if not isinstance(value, sympy.Expr):
            raise InvalidType(f"Expected a number or expression for {name} but got {short_repr(value)}")
        if value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
            raise InvalidArgument(f"Expected a finite value for {name} but got {name}={value}")
        if isinstance(value, sympy.Float):
            # A sympy Float is binary too: keep exactly the value it holds.
            return sympy.Rational(value)
        _refuse_partial_objects(value, name)
        if value.atoms(sympy.Float):
            value = value.xreplace({f: sympy.Rational(f) for f in value.atoms(sympy.Float)})
        problem = size_problem(value)
        if problem:
            raise InvalidArgument(f"The value given for {name} is refused: {problem}")
        if value.is_real is False or value.has(sympy.I):
            raise InvalidArgument(f"Expected a real value for {name} but got {name}={value}")
        return value
    if isinstance(value, str):
        try:
            parsed = parse_expression(value, names or {})
        except ExpressionError as exc:
            raise ExpressionError(f"{name}={short_repr(value)}: {exc}", exc.token) from None
        return exact_value(parsed, name)
    if isinstance(value, bool) or value is None:
        raise InvalidType(f"Expected a number for {name} but got {short_repr(value)}")
    if isinstance(value, numbers.Integral):
        return _within_limits(sympy.Integer(int(value)), name)
    if isinstance(value, fractions.Fraction):
        return _within_limits(sympy.Rational(value.numerator, value.denominator), name)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise InvalidArgument(f"Expected a finite number for {name} but got {name}={value}")
        if value and abs(value.adjusted()) + len(value.as_tuple().digits) > MAX_DIGITS:
            raise InvalidArgument(f"The value given for {name} is refused: it has more than {MAX_DIGITS} digits")
        return sympy.Rational(*value.as_integer_ratio())
    if isinstance(value, mpmath.mpf):
        if not mpmath.isfinite(value):
            raise InvalidArgument(f"Expected a finite number for {name} but got {name}={value}")
        sign, mantissa, exponent, bits = value._mpf_
        if abs(exponent) + bits > 3 * MAX_DIGITS:
            raise InvalidArgument(f"The value given for {name} is refused: it is beyond 2**{3 * MAX_DIGITS}")
        return (-1) ** sign * sympy.Integer(mantissa) * sympy.Integer(2) ** exponent
    if isinstance(value, (complex, mpmath.mpc)) or isinstance(value, numbers.Complex) and not isinstance(
        value, numbers.Real
    ):
        raise InvalidArgument(f"Expected a real number for {name} but got the complex {name}={value}")
    if isinstance(value, numbers.Real):
        as_float = float(value)
        if not math.isfinite(as_float):
            raise InvalidArgument(f"Expected a finite number for {name} but got {name}={value}")
        return sympy.Rational(*as_float.as_integer_ratio())
    raise InvalidType(f"Expected a number for {name} but got {type(value).__name__}: {short_repr(value)}")


def _refuse_partial_objects(value, name):
    """Refuse sympy expressions that are not real functions of real numbers.

    A Lambda, an undefined function f(x), an unevaluated Integral or Derivative,
    or a Piecewise without a last (value, True) branch has no value symequiv
    can compute, and sympy fails on them deep inside.
    """
    if isinstance(value, sympy.Lambda) or value.has(sympy.Lambda):
        raise InvalidType(f"Expected a number or expression for {name} but got the function {short_repr(value)}")
    undefined = value.atoms(AppliedUndef)
    if undefined:
        raise InvalidArgument(
            f"Expected a known function in {name} but {short_repr(value)} uses the undefined "
            f"{', '.join(sorted(str(u.func) for u in undefined))}; write the function out"
        )
    if value.has(sympy.Integral, sympy.Derivative, sympy.Subs):
        raise InvalidArgument(f"Expected an evaluated expression for {name} but got {short_repr(value)}")
    for piecewise in value.atoms(sympy.Piecewise):
        if piecewise.args[-1].cond is not sympy.true:
            raise InvalidArgument(
                f"{name}: the Piecewise {short_repr(piecewise)} is undefined where no condition holds; "
                "end it with a branch (value, True)"
            )


def _within_limits(rational, name):
    problem = rational_problem(rational.p, rational.q)
    if problem:
        raise InvalidArgument(f"The value given for {name} is refused: {problem}")
    return rational


def exact_number(value, name="value"):
    """``value`` as an exact, finite, real sympy number with no free symbols.

    Accepts int, :class:`fractions.Fraction`, :class:`decimal.Decimal`, float
    (its exact binary value), numpy and mpmath reals, sympy numbers (``pi/4``
    too) and strings such as ``"0.25"``, ``"1/3"`` or ``"2*pi"``.
    """
    result = exact_value(value, name)
    if result.free_symbols:
        raise InvalidArgument(f"Expected a number for {name} but got the expression {name}={result}")
    if result.is_real is not True and result.is_extended_real is not True:
        if result.is_real is False or result.evalf(30).as_real_imag()[1] != 0:
            raise InvalidArgument(f"Expected a real number for {name} but got {name}={result}")
    return result


def to_mpmath(value):
    """An exact sympy number as an mpmath number at the current precision.

    Rationals go through integer arithmetic (``mpf(p)/q``), so no binary
    rounding happens before the single rounding of the division.

    >>> import mpmath, sympy
    >>> with mpmath.workdps(40):
    ...     print(to_mpmath(sympy.Rational(1, 3)))
    0.3333333333333333333333333333333333333333
    """
    if isinstance(value, mpmath.mpf):
        return value
    if isinstance(value, (int, sympy.Integer)):
        return mpmath.mpf(int(value))
    if isinstance(value, sympy.Rational):
        return mpmath.mpf(value.p) / value.q
    if not isinstance(value, sympy.Basic):
        return to_mpmath(exact_number(value))
    approximation = value.evalf(mpmath.mp.dps + 10)
    if not isinstance(approximation, sympy.Float):
        raise InvalidArgument(f"Expected a real number but got {value}, which has no numeric value")
    return mpmath.mpf(approximation._mpf_)


def number_repr(value):
    """An exact number as Python text that pastes back to the same exact value.

    The one convention of every symequiv ``repr`` (grids, layers, shifts,
    signals' periods, witnesses): integers print bare; a fraction prints as
    sympy's ``S(p)/q``, so that Python divides exactly (``1/4`` would be the
    float 0.25, ``'1/4'`` a string); anything else prints as sympy writes it,
    with the same rule for the fractions inside (``pi/4``, ``sqrt(2)/10``,
    ``2**(S(1)/3)``). The text evaluates back with ``from sympy import *``
    (or the few names it uses: ``S``, ``pi``, ``sqrt``, ...).

    >>> import sympy
    >>> number_repr(sympy.Integer(-1)), number_repr(sympy.Rational(-1, 10)), number_repr(2 * sympy.pi)
    ('-1', '-S(1)/10', '2*pi')
    >>> number_repr(sympy.Rational(1, 2) + sympy.sqrt(2) / 10)
    'sqrt(2)/10 + S(1)/2'
    >>> from sympy import S, sqrt
    >>> eval(number_repr(sympy.Rational(1, 2) + sympy.sqrt(2) / 10)) == sympy.Rational(1, 2) + sympy.sqrt(2) / 10
    True
    """
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, sympy.Basic):  # a Fraction, or a string read by the safe parser: never sympify
        value = exact_number(value, "value")
    return _ExactPrinter().doprint(value)


class _ExactPrinter(StrPrinter):
    """sympy's str printer, with fractions that Python reads exactly: ``S(1)/4``."""

    def _print_Rational(self, expr):
        if expr.q == 1:
            return str(expr.p)
        return f"{'-' if expr.p < 0 else ''}S({abs(expr.p)})/{expr.q}"

    _print_Half = _print_Rational
