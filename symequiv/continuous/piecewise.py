"""Functions of one real variable as smooth pieces between exact breakpoints.

A :class:`PiecewiseFunction` holds sorted breakpoints c_0 < ... < c_{m-1}, the
smooth expression valid on each open interval between them (m + 1 pieces, the
first on (-oo, c_0), the last on (c_{m-1}, oo)) and the value *at* each
breakpoint. Discontinuous signals (steps, boxes, ramps, hats, anything built
from Heaviside, Piecewise, Abs, sign, Min and Max) are decomposed into this
form once; shifting, reflecting, adding and antidifferentiating are then
exact operations on pieces, with no symbolic integration of a Heaviside in a
symbolic shift (which sympy handles badly, see DESIGN.md's pitfalls).

>>> import sympy
>>> from symequiv.continuous.symbols import x
>>> hat = PiecewiseFunction.from_expr(sympy.Max(0, 1 - sympy.Abs(x)), x)
>>> hat.breakpoints
(-1, 0, 1)
>>> hat.to_expr()
Piecewise((0, x <= -1), (x + 1, x <= 0), (1 - x, x <= 1), (0, True))
>>> hat.antiderivative().evaluate(1) - hat.antiderivative().evaluate(-1)
1
"""

import functools

import sympy

from .antiderivative import checked_antiderivative
from ..errors import InvalidArgument, UnsupportedSignal
from ..numeric.exact import settled, sign
from ..numeric.numbers import exact_number

__all__ = ["PiecewiseFunction", "sort_unique"]

_KINKS = (sympy.Heaviside, sympy.Abs, sympy.sign, sympy.Min, sympy.Max, sympy.Piecewise)


# ---------------------------------------------------------------- ordering --


def _compare(a, b):
    """-1, 0 or 1 as a < b, a = b or a > b, for exact reals, decided rigorously.

    Irrational numbers are compared by :func:`symequiv.numeric.exact.sign`: a ball that
    excludes 0 at escalating precision, or an exact proof that a - b = 0. A
    fixed number of digits would not do: two breakpoints near pi**200 agree in
    their first 100 digits.
    """
    if a.is_Rational and b.is_Rational:
        return int(sympy.sign(a - b))
    try:
        return sign(a - b)
    except InvalidArgument:
        raise UnsupportedSignal(f"Cannot tell whether {a} and {b} differ", a) from None


def sort_unique(values):
    """Exact reals sorted increasingly, equal ones (however written) kept once.

    >>> sort_unique([sympy.Rational(1, 2), sympy.Integer(0), sympy.sqrt(4) / 4])
    [0, 1/2]
    """
    result = []
    for value in sorted(values, key=functools.cmp_to_key(_compare)):
        if not result or _compare(value, result[-1]) != 0:
            result.append(value)
    return result


def _less(a, b):
    """a < b for exact reals (numbers, not symbols)."""
    return _compare(a, b) < 0


def _index_of_interval(breakpoints, t):
    """(i, on_breakpoint): t lies in interval i, or on breakpoint i."""
    lo, hi = 0, len(breakpoints)
    while lo < hi:
        mid = (lo + hi) // 2
        if _less(breakpoints[mid], t):
            lo = mid + 1
        else:
            hi = mid
    on = lo < len(breakpoints) and not _less(t, breakpoints[lo])
    return lo, on


def _sample_points(breakpoints):
    """One point inside each open interval between consecutive breakpoints."""
    if not breakpoints:
        return [sympy.Integer(0)]
    points = [breakpoints[0] - 1]
    points += [(a + b) / 2 for a, b in zip(breakpoints, breakpoints[1:])]
    points.append(breakpoints[-1] + 1)
    return points


# ------------------------------------------------------------ decomposition --


def _is_positive_at(expr, var, t):
    return _compare(expr.subs(var, t), sympy.S.Zero) > 0


def _resolve(expr, var, t):
    """``expr`` with every kink replaced by its branch on the interval holding t.

    Valid on the whole open interval provided no kink argument changes sign in
    it, which the breakpoints guarantee.
    """
    if var not in expr.free_symbols:
        return expr
    if isinstance(expr, sympy.Piecewise):
        for value, condition in expr.args:
            if _condition_at(condition, var, t):
                return _resolve(value, var, t)
        raise UnsupportedSignal(f"{expr} is undefined near {var} = {t}: give a last branch (value, True)", expr)
    args = [_resolve(a, var, t) for a in expr.args]
    if isinstance(expr, sympy.Heaviside):
        argument = args[0]
        value = argument.subs(var, t)
        if value == 0:  # the argument vanishes on the whole interval
            return args[1]
        return sympy.Integer(1) if _is_positive_at(argument, var, t) else sympy.Integer(0)
    if isinstance(expr, (sympy.Abs, sympy.sign)):
        argument = args[0]
        if argument.subs(var, t) == 0:
            return sympy.Integer(0)
        positive = _is_positive_at(argument, var, t)
        if isinstance(expr, sympy.Abs):
            return argument if positive else -argument
        return sympy.Integer(1 if positive else -1)
    if isinstance(expr, (sympy.Min, sympy.Max)):
        pick = max if isinstance(expr, sympy.Max) else min
        order = functools.cmp_to_key(lambda a, b: _compare(a.subs(var, t), b.subs(var, t)))
        return pick(args, key=order)
    return expr.func(*args) if args else expr


def _condition_at(condition, var, t):
    value = condition.subs(var, t)
    if value in (sympy.true, sympy.false):
        return bool(value)
    raise UnsupportedSignal(f"Cannot decide the condition {condition} at {var} = {t}", condition)


def _kink_arguments(expr):
    """The expressions whose sign changes are breakpoints of ``expr`` itself."""
    if isinstance(expr, (sympy.Heaviside, sympy.Abs, sympy.sign)):
        return [expr.args[0]]
    if isinstance(expr, (sympy.Min, sympy.Max)):
        return [a - b for i, a in enumerate(expr.args) for b in expr.args[i + 1:]]
    if isinstance(expr, sympy.Piecewise):
        relations = set()
        for _, condition in expr.args:
            relations |= condition.atoms(sympy.core.relational.Relational)
        return [r.lhs - r.rhs for r in relations]
    return []


def _roots_in(piece, var, lo, hi):
    """Real roots of the smooth expression ``piece`` strictly inside (lo, hi)."""
    piece = sympy.expand(piece)
    if var not in piece.free_symbols:
        return []
    if not piece.is_polynomial(var):
        raise UnsupportedSignal(
            f"The breakpoints of this signal are where {piece} changes sign, which is not a polynomial "
            f"in {var}; write the conditions as polynomial inequalities in {var}",
            piece,
        )
    poly = sympy.Poly(piece, var)
    if poly.degree() == 1:
        a, b = poly.all_coeffs()
        candidates = [-b / a]
    elif poly.domain.is_QQ or poly.domain.is_ZZ:
        candidates = [r for r in sympy.real_roots(poly)]
    elif poly.degree() == 2:
        candidates = [r for r in sympy.roots(poly, multiple=True) if r.is_real]
    else:
        raise UnsupportedSignal(f"Cannot locate the real roots of {piece}", piece)
    return [r for r in candidates if (lo is None or _less(lo, r)) and (hi is None or _less(r, hi))]


def _breakpoints(expr, var):
    """All points where some kink of ``expr`` can change branch."""
    if var not in expr.free_symbols:
        return []
    found = []
    for arg in expr.args:
        found += _breakpoints(arg, var)
    arguments = _kink_arguments(expr)
    if arguments:
        for argument in arguments:
            inner = sort_unique(_breakpoints(argument, var))
            bounds = [None] + inner + [None]
            for t, lo, hi in zip(_sample_points(inner), bounds, bounds[1:]):
                found += _roots_in(_resolve(argument, var, t), var, lo, hi)
            found += inner
    return found


# ---------------------------------------------------------- the function --


class PiecewiseFunction:
    """A real function of ``var`` given piecewise between exact breakpoints.

    ``pieces[i]`` holds on the open interval (breakpoints[i-1], breakpoints[i])
    and is free of kinks (no Heaviside, Abs, Piecewise...); ``values[i]`` is the
    value at ``breakpoints[i]``. ``poles`` lists the breakpoints where the
    function is infinite (an antiderivative of a signal that is not integrable
    there); its value there is nan. Instances are immutable.
    """

    __slots__ = ("var", "breakpoints", "pieces", "values", "poles")

    def __init__(self, var, breakpoints, pieces, values, poles=()):
        if len(pieces) != len(breakpoints) + 1 or len(values) != len(breakpoints):
            raise ValueError("need one more piece than breakpoints and one value per breakpoint")
        self.var = var
        self.breakpoints = tuple(map(_as_basic, breakpoints))
        self.pieces = tuple(map(_as_basic, pieces))
        self.values = tuple(map(_as_basic, values))
        self.poles = tuple(sort_unique(map(_as_basic, poles))) if poles else ()

    def __repr__(self):
        poles = f", poles={list(self.poles)}" if self.poles else ""
        return (
            f"PiecewiseFunction({self.var}, {list(self.breakpoints)}, {list(self.pieces)}, {list(self.values)}{poles})"
        )

    @classmethod
    def from_expr(cls, expr, var):
        """Decompose an expression of ``var`` built from smooth functions and kinks.

        The point values follow the expression itself, so ``Heaviside(x, 0)`` is
        0 at x = 0.
        """
        breakpoints = sort_unique(_breakpoints(expr, var))
        pieces = [_tidy(_resolve(expr, var, t), var) for t in _sample_points(breakpoints)]
        values = [_point_value(expr, var, c) for c in breakpoints]
        return cls(var, breakpoints, pieces, values).merged()

    # -- evaluation --------------------------------------------------------

    def evaluate(self, t):
        """The exact value at the number ``t`` (or the expression, if t is symbolic)."""
        if not isinstance(t, sympy.Basic):
            t = exact_number(t, "t")
        if t.free_symbols:
            return self.to_expr().subs(self.var, t)
        i, on = _index_of_interval(self.breakpoints, t)
        if on:
            return self.values[i]
        return self.pieces[i].subs(self.var, t)

    def piece_at(self, t):
        """The piece whose interval holds t (t not a breakpoint)."""
        return self.pieces[_index_of_interval(self.breakpoints, t)[0]]

    # -- algebra -----------------------------------------------------------

    def compose(self, sign, offset, var=None):
        """t -> f(sign * t + offset), sign = +1 or -1, in the variable ``var``."""
        var = var if var is not None else self.var
        argument = sign * var + offset
        pieces = [_tidy(p.subs(self.var, argument), var) for p in self.pieces]
        breakpoints = [(c - offset) / sign for c in self.breakpoints]
        values = list(self.values)
        if sign < 0:
            pieces.reverse()
            breakpoints.reverse()
            values.reverse()
        return PiecewiseFunction(var, breakpoints, pieces, values, [(c - offset) / sign for c in self.poles])

    def combine(self, other, operation):
        """The pointwise ``operation(self, other)``; both in the same variable."""
        merged = sort_unique(list(self.breakpoints) + list(other.breakpoints))
        samples = _sample_points(merged)
        pieces = [_tidy(operation(self.piece_at(t), other.piece_at(t)), self.var) for t in samples]
        values = [operation(self.evaluate(c), other.evaluate(c)) for c in merged]
        poles = list(self.poles) + list(other.poles)
        return PiecewiseFunction(self.var, merged, pieces, values, poles).merged()

    def map(self, operation):
        """Apply ``operation`` to every piece and point value."""
        return PiecewiseFunction(
            self.var,
            self.breakpoints,
            [_tidy(operation(p), self.var) for p in self.pieces],
            [operation(v) for v in self.values],
            self.poles,
        ).merged()

    def __add__(self, other):
        if isinstance(other, PiecewiseFunction):
            return self.combine(other, lambda a, b: a + b)
        return self.map(lambda a: a + other)

    def __sub__(self, other):
        if isinstance(other, PiecewiseFunction):
            return self.combine(other, lambda a, b: a - b)
        return self.map(lambda a: a - other)

    def __mul__(self, factor):
        return self.map(lambda a: a * factor)

    @staticmethod
    def splice(left, right, at):
        """``left`` below ``at``, ``right`` from ``at`` on (the value at ``at`` is right's)."""
        lb = [c for c in left.breakpoints if _less(c, at)]
        rb = [c for c in right.breakpoints if _less(at, c)]
        pieces = list(left.pieces[: len(lb) + 1]) + list(right.pieces[len(right.breakpoints) - len(rb):])
        values = list(left.values[: len(lb)]) + [right.evaluate(at)] + list(right.values[len(right.values) - len(rb):])
        poles = [c for c in left.poles if _less(c, at)] + [c for c in right.poles if not _less(c, at)]
        return PiecewiseFunction(left.var, lb + [at] + rb, pieces, values, poles).merged()

    def antiderivative(self):
        """A continuous antiderivative, exact piece by piece, each piece checked.

        Each smooth piece is integrated once with sympy, and the result is used
        only as :func:`symequiv.continuous.antiderivative.checked_antiderivative` allows:
        shown to differentiate back to the piece, split where it is singular,
        made real. The constants are then chosen so the parts join
        continuously (their one-sided limits computed exactly), which is what
        makes F(b - delta) - F(a - delta) the exact integral for every delta
        whose cell holds no pole. Raises
        :class:`~symequiv.continuous.antiderivative.UncheckedAntiderivative` when a check
        cannot be done.
        """
        points, expressions, limits = [], [], []
        bounds = [None] + list(self.breakpoints) + [None]
        for piece, lo, hi in zip(self.pieces, bounds, bounds[1:]):
            checked = checked_antiderivative(piece, self.var, lo, hi)
            if lo is not None:
                points.append(lo)
            points += checked.points
            expressions += checked.expressions
            limits += checked.limits
        pieces, values, poles = [expressions[0]], [], []
        constant = sympy.S.Zero
        for c, (_, from_left), (from_right, _), expression in zip(points, limits, limits[1:], expressions[1:]):
            arriving = from_left + constant
            if _infinite(from_left) or _infinite(from_right):
                poles.append(c)
                values.append(sympy.nan)
                constant = sympy.S.Zero  # not integrable across c: any constant will do on the other side
            else:
                values.append(arriving)
                constant = arriving - from_right
            pieces.append(expression + constant)
        return PiecewiseFunction(self.var, points, [_tidy(p, self.var) for p in pieces], values, poles)

    def merged(self):
        """Drop breakpoints where both sides and the point value agree."""
        breakpoints, pieces, values = [], [self.pieces[0]], []
        for c, value, right in zip(self.breakpoints, self.values, self.pieces[1:]):
            left = pieces[-1]
            if (
                c not in self.poles and _same(left, right, self.var)
                and _same(value, _limit_value(left, self.var, c), self.var)
            ):
                continue
            breakpoints.append(c)
            values.append(value)
            pieces.append(right)
        return PiecewiseFunction(self.var, breakpoints, pieces, values, self.poles)

    def restricted(self, lo, hi):
        """The function on [lo, hi), with its pieces outside that interval discarded.

        Used for periodic signals, which are read on one period only. Outside
        [lo, hi) the result continues the pieces next to lo and hi.
        """
        inside = [i for i, c in enumerate(self.breakpoints) if _less(lo, c) and _less(c, hi)]
        first_piece = _index_of_interval(self.breakpoints, lo)
        start_value = self.evaluate(lo)
        i0 = first_piece[0] + (1 if first_piece[1] else 0)
        breakpoints = [lo] + [self.breakpoints[i] for i in inside]
        pieces = [self.pieces[i0]] + [self.pieces[i0 + k] for k in range(len(inside) + 1)]
        values = [start_value] + [self.values[i] for i in inside]
        poles = [c for c in self.poles if not _less(c, lo) and _less(c, hi)]
        return PiecewiseFunction(self.var, breakpoints, pieces, values, poles).merged()

    def masked(self, lo, hi):
        """The function with the value nan on the closed interval [lo, hi] (where it means nothing)."""
        undefined = PiecewiseFunction(self.var, [], [sympy.nan], [])
        below = PiecewiseFunction.splice(self, undefined, lo)
        result = PiecewiseFunction.splice(below, self, hi)
        values = [sympy.nan if _compare(c, hi) == 0 else v for c, v in zip(result.breakpoints, result.values)]
        return PiecewiseFunction(self.var, result.breakpoints, result.pieces, values, result.poles)

    # -- printing ----------------------------------------------------------

    def to_expr(self):
        """A readable sympy expression: a Piecewise on clean intervals.

        Each breakpoint's value joins the piece it agrees with (``<=`` or ``<``);
        a value that agrees with neither gets its own branch.
        """
        var = self.var
        if not self.breakpoints:
            return self.pieces[0]
        branches = []
        for i, (c, value) in enumerate(zip(self.breakpoints, self.values)):
            left, right = self.pieces[i], self.pieces[i + 1]
            if _same(value, _limit_value(left, var, c), var):
                branches.append((left, var <= c))
            else:
                branches.append((left, var < c))
                if not _same(value, _limit_value(right, var, c), var):
                    branches.append((value, var <= c))
        branches.append((self.pieces[-1], sympy.true))
        return sympy.Piecewise(*branches, evaluate=False)


def _infinite(value):
    return value in (sympy.oo, -sympy.oo)


def _as_basic(value):
    return value if isinstance(value, sympy.Basic) else exact_number(value)


def _tidy(expr, var):
    """Expanded when polynomial in ``var`` (readable: 1 - 2*delta), as is otherwise."""
    if isinstance(expr, sympy.Expr) and expr.is_polynomial(var):
        return sympy.expand(expr)
    return expr


def _same(a, b, var):
    if a is None or b is None:
        return False
    if a == b:
        return True
    difference = sympy.expand(a - b)
    return difference == 0


def _limit_value(expr, var, c):
    """The value of a smooth piece at c from its own formula, or None where the formula is singular.

    Only used to decide how to print and whether two pieces merge; None
    (unknown) keeps the breakpoint, which is always right. sympy's ``limit``
    is not asked: it is slow on erf(1/x) and the like, and its answer
    would be a claim to check.
    """
    value = expr.subs(var, c)
    if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        return None
    return value


def _point_value(expr, var, c):
    """The exact value of ``expr`` at the breakpoint c, with every kink decided.

    sympy leaves a relation such as ``pi*sqrt(2)/2 >= pi/sqrt(2)`` undecided
    when both sides are equal but written differently; such relations (and
    Heaviside, sign, Abs, Max and Min of such numbers) are settled by
    :func:`symequiv.numeric.exact.settled`.
    """
    value = expr.subs(var, c)
    if not value.has(*_KINKS, sympy.core.relational.Relational):
        return value
    return settled(value)
