"""Checked antiderivatives: sympy's answer used only where it is shown right.

sympy's antiderivative of a smooth function can jump, be complex, or hold an
AccumBounds: for exp(-1/x**2) it gives ``x*exp(-1/x**2) + sqrt(pi)*erf(1/x)``,
which jumps by 2*sqrt(pi) at 0. Used as if it were continuous, it makes
F(b) - F(a) a wrong cell average, and a wrong verdict. So an antiderivative G
of a piece p on an interval (lo, hi) is accepted only after four checks:

1. **It is an antiderivative**: G' - p is shown to be 0 by exact rewriting
   (expansion, cancellation, sympy's simplification within a budget).
2. **It is built from functions whose continuity is known**: polynomials,
   exp, sin, cos, sinh, cosh, tanh, erf, erfc, erfi, atan, Si, Shi, the
   Fresnel integrals; and powers, logs, roots and inverse functions whose
   arguments are kept inside their domains, and the lower incomplete gamma
   function of a nonnegative argument. Anything else (floor, tan of x,
   AccumBounds, I, an unknown function) is refused.
3. **Its singular points are all found**: each denominator, log argument
   and root argument u is either shown free of zeros on the interval by a
   ball enclosing u over it, or is a rational function of x whose real
   zeros are located exactly. The interval is split there. Between the
   splits u has a constant sign, decided exactly; a log of a negative u is
   rewritten log(-u), which has the same derivative and is real.
4. **Its one-sided limits at every split exist** and are computed exactly by
   the rules of limits in the extended reals (continuity of each function at
   a finite limit, the known values at +-oo, signs of vanishing
   denominators), never by sympy's ``limit``; an indeterminate form (0*oo,
   oo - oo) refuses the antiderivative. An infinite limit is a pole of the
   antiderivative: the signal is not integrable across it.

Anything not shown within these rules raises :class:`UncheckedAntiderivative`
and the caller goes the rigorous-integration route instead.

>>> import sympy
>>> from symequiv.continuous.symbols import x
>>> parts = checked_antiderivative(sympy.exp(-1 / x**2), x, None, None)
>>> parts.points
(0,)
>>> [parts.left_limit(0), parts.right_limit(0)]
[-sqrt(pi), sqrt(pi)]
"""

import functools

import flint
import sympy

from ..numeric.backends import ARB, compile_function
from ..numeric.balls import arb_value, working_precision
from ..numeric.budget import time_budget
from ..errors import BudgetExceeded, InvalidArgument, UnsupportedSignal, short_str
from ..numeric.exact import sign

__all__ = [
    "is_identically_zero",
    "checked_antiderivative",
    "one_sided_limit",
    "unbounded_points",
    "UncheckedAntiderivative",
    "NotReal",
    "CheckedAntiderivative",
]

#: Seconds sympy may spend showing that G' equals the piece.
DERIVATIVE_CHECK_SECONDS = 5.0

# Functions continuous on the whole real line.
_CONTINUOUS = (
    sympy.exp, sympy.sin, sympy.cos, sympy.sinh, sympy.cosh, sympy.tanh, sympy.erf, sympy.erfc, sympy.erfi,
    sympy.atan, sympy.asinh, sympy.Si, sympy.Shi, sympy.fresnels, sympy.fresnelc, sympy.Abs,
)
# Their values at +oo and -oo (None: no limit). Each is a textbook fact.
_AT_INFINITY = {
    sympy.exp: (sympy.oo, sympy.S.Zero),
    sympy.sinh: (sympy.oo, -sympy.oo),
    sympy.cosh: (sympy.oo, sympy.oo),
    sympy.tanh: (sympy.S.One, -sympy.S.One),
    sympy.erf: (sympy.S.One, -sympy.S.One),
    sympy.erfc: (sympy.S.Zero, sympy.Integer(2)),
    sympy.erfi: (sympy.oo, -sympy.oo),
    sympy.atan: (sympy.pi / 2, -sympy.pi / 2),
    sympy.asinh: (sympy.oo, -sympy.oo),
    sympy.Si: (sympy.pi / 2, -sympy.pi / 2),
    sympy.Shi: (sympy.oo, -sympy.oo),
    sympy.fresnels: (sympy.S.Half, -sympy.S.Half),
    sympy.fresnelc: (sympy.S.Half, -sympy.S.Half),
    sympy.Abs: (sympy.oo, sympy.oo),
    sympy.log: (sympy.oo, None),
}


class UncheckedAntiderivative(UnsupportedSignal):
    """sympy's antiderivative could not be shown continuous, real and right on its interval."""


class NotReal(UncheckedAntiderivative):
    """A root, non-integer power or log of a negative number: the expression is not real there."""


class CheckedAntiderivative:
    """An antiderivative of one piece on (lo, hi), split where it is singular.

    ``expressions[k]`` is a real antiderivative, continuous on the open
    interval between ``points[k-1]`` and ``points[k]`` (lo and hi at the ends);
    ``limits[k]`` is the pair (limit at that interval's left end from the
    right, limit at its right end from the left), None at an infinite end.
    A limit may be +-oo: a pole.
    """

    __slots__ = ("points", "expressions", "limits")

    def __init__(self, points, expressions, limits):
        self.points = tuple(points)
        self.expressions = tuple(expressions)
        self.limits = tuple(limits)

    def left_limit(self, point):
        """The limit of the antiderivative at ``point`` (one of ``points``) from the left."""
        return self.limits[self.points.index(point)][1]

    def right_limit(self, point):
        """The limit at ``point`` from the right."""
        return self.limits[self.points.index(point) + 1][0]

    def __repr__(self):
        return f"CheckedAntiderivative({list(self.points)}, {list(self.expressions)})"


def checked_antiderivative(piece, var, lo, hi):
    """sympy's antiderivative of ``piece`` on (lo, hi), checked; lo/hi None for -oo/+oo.

    Raises :class:`UncheckedAntiderivative` when sympy finds none, or a check
    fails or cannot be done.
    """
    try:
        integral = sympy.integrate(piece, var)
    except BudgetExceeded:
        raise
    except Exception as exc:  # sympy's integrator fails in many ways (AttributeError in heurisch, ...)
        raise UncheckedAntiderivative(
            f"sympy's integration of {short_str(piece)} failed ({type(exc).__name__})", piece
        ) from None
    if integral.has(sympy.Integral):
        raise UncheckedAntiderivative(f"sympy finds no antiderivative of {short_str(piece)}", piece)
    what = f"sympy's antiderivative {short_str(integral)} of {short_str(piece)}"
    _refuse_unknown_parts(integral, var, what)
    if not is_identically_zero(sympy.diff(integral, var) - piece):
        raise UncheckedAntiderivative(f"{what} could not be shown to differentiate back to the piece", piece)
    conditions = _conditions(integral, var, what)
    points = _split_points(conditions, var, lo, hi, what)
    bounds = [lo] + points + [hi]
    expressions, limits = [], []
    for a, b in zip(bounds, bounds[1:]):
        inside = _inside(a, b)
        expression = _real_logs(integral, var, inside, what)
        expressions.append(expression)
        left = None if a is None else one_sided_limit(expression, var, a, +1, inside)
        right = None if b is None else one_sided_limit(expression, var, b, -1, inside)
        for end, value in ((a, left), (b, right)):
            if end is not None and value is None:
                raise UncheckedAntiderivative(f"{what} has no limit that can be shown at x = {end}", piece)
        limits.append((left, right))
    return CheckedAntiderivative(points, expressions, limits)


def unbounded_points(piece, var, lo, hi):
    """The points of [lo, hi] near which the smooth signal ``piece`` is not shown bounded and real.

    Used where a cell is integrated numerically or left as an integral: a
    cell holding such a point may diverge (1/x, exp(-1/x) from the left), so
    it gets no value. The piece's singular points are found as for an
    antiderivative; at each, and at lo and hi, its one-sided limits must be
    finite (so it is bounded there, and integrable). Raises
    :class:`UncheckedAntiderivative` when they cannot be located, or when a
    log, root or power of a negative number makes the piece complex.
    """
    what = f"the signal {short_str(piece)}"
    conditions = [(u, "positive" if kind == "log" else kind) for u, kind in _conditions(piece, var, what)]
    points = _split_points(conditions, var, lo, hi, what)
    bounds = [lo] + points + [hi]
    suspects = []
    for i, p in enumerate(bounds):
        if p is None:  # an infinite end
            continue
        sides = ([(-1, _inside(bounds[i - 1], p))] if i > 0 else []) + (
            [(1, _inside(p, bounds[i + 1]))] if i < len(bounds) - 1 else []
        )
        for side, t in sides:
            limit = one_sided_limit(piece, var, p, side, t)
            if limit is None or limit in (sympy.oo, -sympy.oo):
                suspects.append(p)
                break
    return suspects


# ----------------------------------------------------------------- checks --


def is_identically_zero(expr):
    """True when exact rewriting (expand, cancel, simplify; a 5 s budget) shows ``expr`` is 0 everywhere.

    False means "not shown", never "nonzero".
    """
    if expr == 0:
        return True
    for attempt in (sympy.expand, sympy.cancel, lambda e: sympy.cancel(sympy.expand(e))):
        if attempt(expr) == 0:
            return True
    try:
        with time_budget(DERIVATIVE_CHECK_SECONDS, "checking an antiderivative"):
            for attempt in (sympy.simplify, lambda e: sympy.simplify(e.rewrite(sympy.exp))):
                if attempt(expr) == 0:
                    return True
    except BudgetExceeded:
        return False
    return False


def _refuse_unknown_parts(expr, var, what):
    if expr.has(sympy.I, sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or expr.atoms(sympy.AccumBounds):
        raise UncheckedAntiderivative(f"{what} is not a real finite expression", expr)
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Function, sympy.Pow)) and not node.has(var):
            if not _is_real_constant(node):  # log(-2) or (-1)**(1/3): a complex constant
                raise UncheckedAntiderivative(f"{what} has the constant {short_str(node)}, not shown real", expr)
            continue
        if isinstance(node, (sympy.Symbol, sympy.Number, sympy.NumberSymbol, sympy.Add, sympy.Mul, sympy.Pow)):
            if isinstance(node, sympy.Symbol) and node != var:
                raise UncheckedAntiderivative(f"{what} has the free symbol {node}", expr)
            continue
        if isinstance(node, _CONTINUOUS + (sympy.log, sympy.asin, sympy.acos, sympy.acosh, sympy.atanh)):
            if len(node.args) != 1:
                raise UncheckedAntiderivative(f"{what} uses {node.func.__name__} with several arguments", expr)
            continue
        if isinstance(node, sympy.lowergamma) and not node.args[0].has(var):
            # gamma(s, u) = integral of t**(s-1) exp(-t) over [0, u]: continuous in u >= 0 when s > 0
            if _sign_value(node.args[0]) > 0:
                continue
        raise UncheckedAntiderivative(f"{what} uses {type(node).__name__}, whose continuity is not checked", expr)


def _is_real_constant(value):
    """True when a ball encloses the constant ``value`` as a finite real number."""
    try:
        with working_precision(30):
            ball = arb_value(value)
    except (InvalidArgument, ValueError, ArithmeticError, TypeError):
        return False
    return isinstance(ball, flint.arb) and ball.is_finite()


def _conditions(expr, var, what):
    """(u, kind) pairs: kind "nonzero" (u is a denominator), "positive" (a root or a
    non-integer power), "log" (u != 0, either sign: logs of negatives become log(-u))."""
    found = []
    for node in sympy.preorder_traversal(expr):
        if not node.has(var):
            continue
        if isinstance(node, sympy.Pow):
            base, exponent = node.args
            if exponent.has(var):
                found.append((base, "positive"))
            elif exponent.is_Integer:
                if exponent < 0:
                    found.append((base, "nonzero"))
            else:
                found.append((base, "positive"))
        elif isinstance(node, sympy.log):
            found.append((node.args[0], "log"))
        elif isinstance(node, (sympy.asin, sympy.acos, sympy.atanh)):
            found.append((1 - node.args[0] ** 2, "positive"))
        elif isinstance(node, sympy.acosh):
            found.append((node.args[0] - 1, "positive"))
        elif isinstance(node, sympy.lowergamma):
            found.append((node.args[1], "nonnegative"))
    return found


def _split_points(conditions, var, lo, hi, what):
    """Every point of (lo, hi) where some condition's u vanishes, sorted; refuses a u of unknown sign."""
    points = []
    for u, kind in conditions:
        for factor in _factors(u, var):
            if _ball_sign_over(factor, var, lo, hi) is not None:
                continue  # the factor keeps one sign on all of [lo, hi]: shown by one ball
            roots = _rational_function_zeros(factor, var, lo, hi)
            if roots is None:
                raise UncheckedAntiderivative(
                    f"{what}: the zeros of {short_str(factor)} on the piece cannot be located", u
                )
            points += roots
    points = _sorted_unique(points)
    bounds = [lo] + points + [hi]
    for u, kind in conditions:
        if kind not in ("positive", "nonnegative"):
            continue
        for a, b in zip(bounds, bounds[1:]):
            if _sign_at(u, var, _inside(a, b)) < 0:
                raise NotReal(f"{what} takes a root, power or log of {short_str(u)} < 0", u)
    return points


def _factors(u, var):
    """Factors of u whose zeros are u's zeros; exp(...) factors, never 0, are dropped."""
    u = sympy.factor_terms(sympy.together(u))
    found = []
    for factor in sympy.Mul.make_args(u):
        if not factor.has(var) or isinstance(factor, sympy.exp):
            continue
        if isinstance(factor, sympy.Pow) and factor.exp.is_Integer:
            factor = factor.base
            if isinstance(factor, sympy.exp):
                continue
        found.append(factor)
    return found


def _real_logs(expr, var, t, what):
    """``expr`` with log(u) made log(-u) where u < 0 near t (same derivative, real)."""
    def rewrite(node):
        argument = node.args[0]
        return sympy.log(-argument) if _sign_at(argument, var, t) < 0 else node

    return expr.replace(lambda e: isinstance(e, sympy.log) and e.has(var), rewrite)


def _sign_at(u, var, t):
    value = u.subs(var, t)
    try:
        return sign(value)
    except InvalidArgument:
        raise UncheckedAntiderivative(f"Cannot decide the sign of {short_str(value)}", u) from None


def _ball_sign_over(u, var, lo, hi):
    """+1 or -1 when a ball holding u(x) for every x in [lo, hi] excludes 0, else None.

    An infinite end makes the ball the whole real line (a larger set: still an enclosure).
    """
    try:
        with working_precision(30):
            if lo is None or hi is None:
                span = flint.arb(0, flint.arb("inf"))
            else:
                a, b = arb_value(lo), arb_value(hi)
                span = (a + b) / 2 + flint.arb(0, 1) * ((b - a) / 2).abs_upper()
            ball = _arb_at(u, var, span)
    except (InvalidArgument, UnsupportedSignal, ValueError, ArithmeticError, TypeError):
        return None
    if not isinstance(ball, flint.arb) or not ball.is_finite():
        return None
    if ball > 0:
        return 1
    if ball < 0:
        return -1
    return None


def _arb_at(u, var, span):
    """u evaluated on the ball ``span`` (an enclosure of u over it)."""
    return compile_function(u, var, ARB)(span)


def _rational_function_zeros(u, var, lo, hi):
    """Real zeros of the numerator and denominator of u inside (lo, hi), or None."""
    numerator, denominator = sympy.fraction(sympy.together(u))
    found = []
    for part in (numerator, denominator):
        part = sympy.expand(part)
        if not part.has(var):
            continue
        if not part.is_polynomial(var):
            return None
        try:
            poly = sympy.Poly(part, var)
        except sympy.PolynomialError:
            return None
        if poly.degree() == 1:
            a, b = poly.all_coeffs()
            roots = [-b / a]
        elif poly.domain.is_QQ or poly.domain.is_ZZ:
            roots = list(sympy.real_roots(poly))
        elif poly.degree() == 2:
            # the formula, with the discriminant's sign decided exactly (sympy's is_real may say None)
            a, b, c = poly.all_coeffs()
            discriminant = b**2 - 4 * a * c
            s = _sign_value(discriminant)
            roots = [] if s < 0 else [-b / (2 * a)] if s == 0 else [
                (-b - sympy.sqrt(discriminant)) / (2 * a), (-b + sympy.sqrt(discriminant)) / (2 * a)
            ]
        else:
            return None
        found += [r for r in roots if (lo is None or _sign_value(r - lo) > 0) and (hi is None or _sign_value(hi - r) > 0)]
    return found


def _sign_value(value):
    try:
        return sign(sympy.nsimplify(value) if isinstance(value, sympy.Float) else value)
    except InvalidArgument:
        raise UncheckedAntiderivative(f"Cannot decide the sign of {short_str(value)}", value) from None


def _sorted_unique(values):
    result = []
    for value in values:
        if not any(_sign_value(value - other) == 0 for other in result):
            result.append(value)
    return sorted(result, key=functools.cmp_to_key(lambda a, b: _sign_value(a - b)))


def _inside(a, b):
    """An exact point strictly inside (a, b); a, b None for -oo, +oo."""
    if a is None and b is None:
        return sympy.Integer(0)
    if a is None:
        return b - 1
    if b is None:
        return a + 1
    return (a + b) / 2


# ----------------------------------------------------------------- limits --


def one_sided_limit(expr, var, c, side, t):
    """The limit of ``expr`` as var -> c from the right (side=+1) or left (side=-1).

    ``t`` is a point on that side such that every denominator, log and root
    argument in ``expr`` keeps one sign strictly between c and t (the split
    points guarantee it). Returns an exact number, +-oo, or None when the
    rules below do not settle it.

    >>> import sympy
    >>> from symequiv.continuous.symbols import x
    >>> one_sided_limit(sympy.erf(1 / x), x, 0, -1, -1), one_sided_limit(x * sympy.exp(-1 / x**2), x, 0, 1, 1)
    (-1, 0)

    An indeterminate form is not resolved (no l'Hopital): x*log(x) at 0 gives None.

    >>> one_sided_limit(x * sympy.log(x), x, 0, 1, 1) is None
    True
    """
    return _limit(expr, var, _exact_point(c), side, _exact_point(t))


def _exact_point(value):
    """An int or an exact sympy number as a sympy number (no string parsing here)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return sympy.Integer(value)
    if isinstance(value, sympy.Basic) and value.is_number:
        return value
    raise InvalidArgument(f"Expected an exact number for a limit point but got {short_str(value)}")


def _limit(e, var, c, side, t):
    if not e.has(var):
        return e
    if e == var:
        return c
    if isinstance(e, sympy.Add):
        values = [_limit(a, var, c, side, t) for a in e.args]
        if any(v is None for v in values):
            return None
        infinite = {v for v in values if v in (sympy.oo, -sympy.oo)}
        if len(infinite) > 1:
            return None
        if infinite:
            return infinite.pop()
        return sympy.Add(*values)
    if isinstance(e, sympy.Mul):
        return _limit_product(e, var, c, side, t)
    if isinstance(e, sympy.Pow):
        return _limit_power(e, var, c, side, t)
    if isinstance(e, sympy.lowergamma) and not e.args[0].has(var):
        inner = _limit(e.args[1], var, c, side, t)
        if inner is None or inner == -sympy.oo:
            return None
        return sympy.gamma(e.args[0]) if inner == sympy.oo else sympy.lowergamma(e.args[0], inner)
    if isinstance(e, sympy.Function) and len(e.args) == 1:
        inner = _limit(e.args[0], var, c, side, t)
        if inner is None:
            return None
        if inner in (sympy.oo, -sympy.oo):
            values = _AT_INFINITY.get(e.func)
            if values is None:
                return None
            return values[0] if inner == sympy.oo else values[1]
        if isinstance(e, sympy.log):
            s = _sign_value(inner)
            if s == 0:
                return -sympy.oo  # the argument keeps one sign near c, so |u| -> 0+
            return e.func(inner) if s > 0 else None
        if isinstance(e, (sympy.asin, sympy.acos, sympy.atanh, sympy.acosh)):
            return e.func(inner)  # the domain conditions held on the interval; the function is continuous to its end
        return e.func(inner)
    return None


def _limit_product(e, var, c, side, t):
    finite, infinite_sign = [], 1
    has_infinity = has_zero = False
    for factor in e.args:
        value = _limit(factor, var, c, side, t)
        if value is None:
            return None
        if value in (sympy.oo, -sympy.oo):
            has_infinity = True
            infinite_sign *= 1 if value == sympy.oo else -1
        else:
            if _sign_value(value) == 0:
                has_zero = True
            finite.append(value)
    if has_infinity and has_zero:
        return None
    product = sympy.Mul(*finite)
    if not has_infinity:
        return product
    return sympy.oo if infinite_sign * _sign_value(product) > 0 else -sympy.oo


def _limit_power(e, var, c, side, t):
    base, exponent = e.args
    if exponent.has(var):
        return _limit(sympy.exp(exponent * sympy.log(base)), var, c, side, t)
    value = _limit(base, var, c, side, t)
    if value is None:
        return None
    if value in (sympy.oo, -sympy.oo):
        s = _sign_value(exponent)
        if s < 0:
            return sympy.S.Zero
        if value == sympy.oo or (exponent.is_Integer and exponent % 2 == 0):
            return sympy.oo
        return -sympy.oo if exponent.is_Integer else None
    if _sign_value(value) != 0:
        return value**exponent
    # The base tends to 0; it keeps one sign between c and t.
    s = _sign_value(exponent)
    if s > 0:
        return sympy.S.Zero
    near = _sign_value(base.subs(var, t))
    if exponent.is_Integer and exponent % 2 != 0 and near < 0:
        return -sympy.oo
    return sympy.oo
