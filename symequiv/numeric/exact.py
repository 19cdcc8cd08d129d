"""Deciding exact real numbers: sign, zero, and the branches sympy leaves open.

sympy compares an irrational number with 0 by evaluating it, and gives up when
the number *is* 0 but written in a form it does not simplify (``sqrt(8) -
2*sqrt(2)`` is easy; nested radicals, or ``1/pi`` times them, are not). Every
decision here is rigorous:

* a sign is read off an arb ball that excludes 0 (at escalating precision), or
  follows from a proof of zero;
* zero is proved only by exact algebra (see :func:`is_zero`);
* anything undecidable is reported as such, never guessed.

>>> import sympy
>>> sign(sympy.sqrt(2) - sympy.Rational(7, 5)), is_zero(sympy.sqrt(8) - 2 * sympy.sqrt(2))
(1, True)
>>> r = sympy.sqrt(sympy.sqrt(2) + 2) / 2 - sympy.cos(sympy.pi / 8)
>>> is_zero(r), is_zero(r / sympy.pi + sympy.Rational(1, 10**60))
(True, False)
"""

import sympy

from .balls import MAX_DPS, arb_value, ball_excludes_zero, working_precision
from ..errors import InvalidArgument, short_str

__all__ = ["sign", "is_zero", "settled", "floor"]

# Digits tried, in turn, to separate a nonzero number from 0.
_ESCALATED_DPS = (50, 200, 1000)


def _ball_sign(value):
    """+1 or -1 when a ball (at escalating precision) excludes 0, else None."""
    for dps in _ESCALATED_DPS:
        try:
            with working_precision(dps):
                ball = arb_value(value)
                if ball_excludes_zero(ball):
                    return 1 if ball > 0 else -1
        except (InvalidArgument, ValueError, ArithmeticError, TypeError):
            return None  # a function arb cannot enclose
    return None


def floor(value):
    """floor(value) as a Python int, for an exact real number of at most ~1000 digits.

    sympy's ``floor`` evaluates at a fixed precision and gives up (it raises
    PrecisionExhausted) when the number is large, say pi**1000. Here an arb
    ball carries as many digits as the integer part has, plus 50; when the ball
    straddles an integer k, the sign of value - k is decided rigorously.

    >>> import sympy
    >>> floor(sympy.pi ** 100) == int(sympy.floor(sympy.pi ** 100)), floor(-sympy.sqrt(2)), floor(sympy.sqrt(4))
    (True, -2, 2)
    """
    if value.is_Rational:
        return int(sympy.floor(value))
    try:
        magnitude = abs(arb_value(value)).upper()
    except (InvalidArgument, ValueError, ArithmeticError, TypeError):
        magnitude = None
    if magnitude is None or not magnitude.is_finite():
        raise InvalidArgument(f"Cannot tell the integer part of {short_str(value)}: it has no finite enclosure")
    mantissa, exponent = magnitude.mid().man_exp()
    digits = max(int(exponent) + int(mantissa).bit_length(), 0) * 0.302
    with working_precision(min(int(digits) + 50, MAX_DPS)):
        ball = arb_value(value)
        low, high = int(ball.lower().floor().unique_fmpz()), int(ball.upper().floor().unique_fmpz())
    if low == high:
        return low
    # The ball straddles the integer high (it is narrow, so low = high - 1): on which side is value?
    return high if sign(value - high) >= 0 else high - 1



def is_zero(value):
    """True if ``value`` is proved 0, False if proved nonzero, None if undecided.

    Zero is proved soundly but not completely: the number is written as a
    combination of products of its transcendental parts (pi, E, function values
    sympy does not know to be algebraic) with algebraic coefficients, and every
    coefficient is shown to be 0 exactly (its minimal polynomial is z).
    Nonzero is proved by a ball that excludes 0.
    """
    if value == 0:
        return True
    if value.is_Rational:
        return False
    expanded = sympy.expand(value)
    if expanded == 0:
        return True
    if expanded.is_Rational:
        return False
    if _ball_sign(expanded) is not None:
        return False
    expanded = _merge_equal_arguments(expanded)
    if expanded == 0:
        return True
    transcendental = [
        a for a in expanded.atoms(sympy.Function, sympy.NumberSymbol, sympy.exp) if a.is_algebraic is not True
    ]
    if not transcendental:
        return True if _algebraic_zero(expanded) else None
    groups = sympy.collect(expanded, transcendental, evaluate=False)
    for coefficient in groups.values():
        # Sound even if the coefficient still holds pi (inside cos(pi/7), say): _algebraic_zero
        # proves nothing about a number sympy does not know to be algebraic.
        if not _algebraic_zero(coefficient):
            return None
    return True


def _merge_equal_arguments(value):
    """``value`` with f(a) and f(b) made one atom wherever a = b is proved (tanh(a) - tanh(b) -> 0).

    Arguments are compared numerically first (cheap) and then proved equal
    exactly, so a merge is only made on a proof.
    """
    atoms = sorted(
        (f for f in value.atoms(sympy.Function) if len(f.args) == 1 and not f.args[0].free_symbols),
        key=sympy.default_sort_key,
    )
    replacements = {}
    for i, f in enumerate(atoms):
        for g in atoms[:i]:
            if f.func is not g.func or g in replacements:
                continue
            difference = f.args[0] - g.args[0]
            try:
                close = abs(sympy.N(difference, 30)) < sympy.Float("1e-25")
            except (TypeError, ValueError):
                close = False
            if close and is_zero(difference) is True:  # a smaller expression: the recursion ends
                replacements[f] = g
                break
    return sympy.expand(value.xreplace(replacements)) if replacements else value


def _algebraic_zero(value):
    """True when the algebraic number ``value`` is exactly zero."""
    value = sympy.expand(value)
    if value == 0:
        return True
    if value.is_Rational or value.is_algebraic is not True:
        return False
    # sympy's minimal_polynomial knows sin and cos of rational multiples of pi, not cot or tan.
    value = value.replace(
        lambda e: isinstance(e, (sympy.cot, sympy.tan)),
        lambda e: (sympy.cos(e.args[0]) / sympy.sin(e.args[0])) if isinstance(e, sympy.cot)
        else (sympy.sin(e.args[0]) / sympy.cos(e.args[0])),
    )
    marker = sympy.Dummy("z")
    try:
        return sympy.minimal_polynomial(value, marker) == marker
    except (sympy.polys.polyerrors.NotAlgebraic, NotImplementedError):
        return False  # not shown algebraic: no proof


def sign(value):
    """The sign (-1, 0 or 1) of an exact real number, decided rigorously.

    Raises :class:`~symequiv.errors.InvalidArgument` when neither a ball nor an
    exact proof settles it.
    """
    if value.is_Rational:
        return int(sympy.sign(value))
    zero = is_zero(value)
    if zero is True:
        return 0
    found = _ball_sign(sympy.expand(value))
    if found is not None:
        return found
    raise InvalidArgument(f"Cannot decide the sign of {value}; give the numbers involved as rationals")


def settled(value):
    """``value`` with every relation and kink of exact numbers decided.

    sympy keeps ``Piecewise((a, pi*sqrt(2)/2 >= pi/sqrt(2)), ...)`` when a
    relation holds with equality in a form it does not simplify; such
    relations, and Heaviside, sign, Abs, Max and Min of such numbers, are
    settled here by :func:`sign`.
    """
    if isinstance(value, sympy.core.relational.Relational):
        s = sign(value.lhs - value.rhs)
        outcome = {"<": s < 0, "<=": s <= 0, ">": s > 0, ">=": s >= 0, "==": s == 0, "!=": s != 0}[value.rel_op]
        return sympy.true if outcome else sympy.false
    if not value.args or value.free_symbols:
        return value
    args = [settled(a) for a in value.args]
    if isinstance(value, sympy.Piecewise):
        for branch, condition in args:
            if condition == sympy.true:
                return branch
            if condition != sympy.false:
                raise InvalidArgument(f"Cannot decide the condition {condition}")
        raise InvalidArgument(f"{value} has no branch for this value")
    if isinstance(value, sympy.Heaviside):
        s = sign(args[0])
        return args[1] if s == 0 else sympy.Integer(1 if s > 0 else 0)
    if isinstance(value, sympy.sign):
        return sympy.Integer(sign(args[0]))
    if isinstance(value, sympy.Abs):
        return args[0] if sign(args[0]) >= 0 else -args[0]
    if isinstance(value, (sympy.Max, sympy.Min)):
        best = args[0]
        for candidate in args[1:]:
            difference = sign(candidate - best)
            if (difference > 0) == isinstance(value, sympy.Max) and difference != 0:
                best = candidate
        return best
    return value.func(*args)
