"""Continuous signals f(x) and their translations.

>>> from symequiv import Signal
>>> H = Signal("Heaviside(x)")
>>> H
Signal('Heaviside(x, 0)')
>>> H(0), H("1/4")
(0, 1)
>>> H.shifted("1/4").expr
Heaviside(x - 1/4, 0)

``shifted(d)`` is x -> f(x - d): the content moves by +d.

The value at a jump
===================

The paper's Heaviside step has H(0) = 0, and so has the string
``"Heaviside(x)"`` (one argument) here; write ``"Heaviside(x, 1/2)"`` for
another value at 0. A sympy expression is taken as sympy defines it: sympy's
``Heaviside(x)`` *is* ``Heaviside(x, 1/2)`` (sympy stores both as the same
object, so they cannot be told apart), and ``Heaviside(x, 0)`` is the paper's
step. So the value at 0 survives every round trip: ``Signal(signal)``,
``Signal(signal.expr)``, pasting ``repr(signal)`` and reading
:func:`signal_text` back with the parser. Printing always writes the second
argument, because sympy's own printer hides a value of 1/2:

>>> half = Signal("Heaviside(x, 1/2)")
>>> half, half(0)
(Signal('Heaviside(x, 1/2)'), 1/2)
>>> str(half.expr), signal_text(half)
('Heaviside(x)', 'Heaviside(x, 1/2)')
>>> Signal(half.expr)(0), Signal(half)(0), eval(repr(half))(0)
(1/2, 1/2, 1/2)

In LaTeX (:func:`signal_latex`, and Jupyter) the paper's step is written
H(x), as the reports write it, and a step with another value c at 0 is
written H_c(x), with its value stated:

>>> print(signal_latex(Signal("Heaviside(x - 1)")))
H\\left(x - 1\\right)
>>> print(half._repr_latex_())
$\\displaystyle f(x) = H_{1/2}\\left(x\\right) \\quad \\text{where } H_{1/2}(0) = \\frac{1}{2}$
"""

import keyword
import numbers

import mpmath
import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import precedence
from sympy.printing.str import StrPrinter

from ..errors import InvalidArgument, InvalidType, SymequivError, short_repr
from ..numeric.numbers import exact_number, exact_value, number_repr
from ..numeric.parsing import ALLOWED_FUNCTIONS, parse_expression
from .symbols import delta, delta_x, delta_y, x, y

__all__ = ["Signal", "signal_text", "signal_latex"]

#: Longest parameter name accepted.
MAX_NAME_LENGTH = 64
#: Names a parameter cannot take: the variables, the constants, the functions,
#: and the names sympy gives special numbers (a parameter "oo" would read as one).
RESERVED_NAMES = frozenset({"x", "y", "delta", "delta_x", "delta_y", "pi", "E", "I", "oo", "zoo", "nan", "inf"} | set(ALLOWED_FUNCTIONS))

# Points at which a declared period is spot-checked (irregular on purpose, so
# they avoid the breakpoints of typical signals).
_PERIOD_PROBES = ("-0.8731", "-0.2718", "0.1414", "0.5772", "1.2345", "2.7183")


class Signal:
    """A continuous real signal f(x), exact.

    Parameters
    ==========

    expr : str or sympy expression
        The signal in the variable ``x``. A string is parsed safely (see
        :mod:`symequiv.numeric.parsing`): numbers, ``x``, declared parameters,
        arithmetic, comparisons and a fixed list of functions (sin, cos, exp,
        erf, Heaviside, Piecewise, Abs, Min, Max, ...). A sympy expression may
        use any symbol named ``x``.
    period : number, optional
        A period of the signal, checked at a few points. On a periodic grid
        the period must divide the grid's length.
    parameters : mapping or iterable of names, optional
        Other names the expression may use: a mapping ``{"k": 3}`` substitutes
        exact values; an iterable of names keeps them as real symbols.

    Examples
    ========

    >>> import sympy
    >>> from symequiv import Signal, x
    >>> Signal(sympy.sin(2 * sympy.pi * x), period=1)
    Signal('sin(2*pi*x)', period=1)
    >>> Signal("exp(-(x - m)**2 / s**2)", parameters={"m": "1/4", "s": "1/2"}).expr
    exp(-4*(x - 1/4)**2)

    On a periodic grid, a signal without a period is read on the grid's domain
    and repeated; its shifts move that periodic signal.
    """

    __slots__ = ("base", "offset", "offset_y", "period", "parameters", "_hash")

    def __init__(self, expr, period=None, *, parameters=None):
        if isinstance(expr, Signal):
            if period is None:
                period = expr.period
            if parameters is None and expr.parameters:
                parameters = [str(p) for p in expr.parameters]
            expr = expr.expr
        names, substitutions, symbols = _parameter_names(parameters)
        if isinstance(expr, str):
            parsed = parse_expression(expr, names)  # the parser reads "Heaviside(x)" as H(0) = 0
        elif isinstance(expr, sympy.Expr):
            # Taken at face value: sympy's Heaviside(x) and Heaviside(x, 1/2) are one object.
            parsed = _adopt_symbols(expr, names)
        elif isinstance(expr, numbers.Real) and not isinstance(expr, bool):
            parsed = exact_number(expr, "expr")
        else:
            raise InvalidType(
                f"Expected an expression string or sympy expression for a Signal but got {short_repr(expr)}"
            )
        parsed = exact_value(parsed, "expr").xreplace(substitutions)
        stray = parsed.free_symbols - {x, y} - set(symbols)
        if stray:
            names_text = ", ".join(sorted(str(s) for s in stray))
            hint = " (to shift a signal use .shifted(d))" if stray & {delta, delta_x, delta_y} else ""
            raise InvalidArgument(
                f"Signal {parsed} has the free symbol(s) {names_text} besides x and y; declare them with "
                f"parameters={{'{sorted(str(s) for s in stray)[0]}': value}} or parameters=[...]{hint}"
            )
        self.base = parsed
        self.offset = sympy.Integer(0)
        self.offset_y = sympy.Integer(0)
        self.parameters = tuple(sorted(symbols, key=str))
        self.period = None if period is None else _checked_period(parsed, period)
        self._hash = None

    @classmethod
    def _make(cls, base, offset, period, parameters, offset_y=sympy.S.Zero):
        signal = object.__new__(cls)
        signal.base, signal.offset, signal.period, signal.parameters = base, offset, period, parameters
        signal.offset_y = offset_y
        signal._hash = None
        return signal

    @property
    def dim(self):
        """1 for a signal f(x), 2 for a scene f(x, y) (one that uses y, is shifted along y or has a y period)."""
        if y in self.base.free_symbols or self.offset_y != 0 or isinstance(self.period, tuple):
            return 2
        return 1

    @property
    def expr(self):
        """The signal as a sympy expression in :data:`symequiv.x` (and :data:`symequiv.y`)."""
        moves = {}
        if self.offset != 0:
            moves[x] = x - self.offset
        if self.offset_y != 0:
            moves[y] = y - self.offset_y
        return self.base.xreplace(moves) if moves else self.base

    def shifted(self, d):
        """The translated signal x -> f(x - d); ``d`` a number or a sympy expression.

        A scene f(x, y) moves by a pair: ``shifted((dx, dy))`` is
        (x, y) -> f(x - dx, y - dy), its content moves by +(dx, dy).

        >>> from symequiv import Signal, delta
        >>> Signal("x**2").shifted(delta).expr
        (-delta + x)**2
        >>> Signal("Heaviside(x + 2*y)").shifted(("1/4", "1/8")).expr
        Heaviside(x + 2*y - 1/2, 0)
        """
        names = {"delta": delta, "delta_x": delta_x, "delta_y": delta_y}
        if isinstance(d, (tuple, list)):
            if len(d) != 2:
                raise InvalidArgument(
                    f"Expected a shift (dx, dy) with one entry per axis but got d={short_repr(d)}"
                )
            dx, dy = (exact_value(v, f"d[{axis}]", names=names) for axis, v in enumerate(d))
            return Signal._make(self.base, self.offset + dx, self.period, self.parameters, self.offset_y + dy)
        if self.dim == 2:
            raise InvalidArgument(
                f"The scene {self} depends on x and y: shift it by a pair (dx, dy), not by d={short_repr(d)}"
            )
        d = exact_value(d, "d", names=names)
        return Signal._make(self.base, self.offset + d, self.period, self.parameters)

    def __call__(self, at):
        """The exact value f(at) for a number or expression ``at``; a pair (x, y) for a scene."""
        names = {"x": x, "y": y, "delta": delta, "delta_x": delta_x, "delta_y": delta_y}
        if isinstance(at, (tuple, list)):
            if len(at) != 2:
                raise InvalidArgument(f"Expected a point (x, y) but got at={short_repr(at)}")
            ax, ay = (exact_value(v, f"at[{axis}]", names=names) for axis, v in enumerate(at))
            return self.expr.subs({x: ax, y: ay}, simultaneous=True)
        if self.dim == 2:
            raise InvalidArgument(f"The scene {self} depends on x and y: evaluate it at a point (x, y)")
        at = exact_value(at, "at", names=names)
        return self.expr.subs(x, at)

    def numeric(self, at, dps=50):
        """f(at) as an mpmath number at ``dps`` digits (for spot checks)."""
        value = self(at)
        with mpmath.workdps(dps):
            approximation = value.evalf(dps)
            if not approximation.is_Number:
                raise SymequivError(f"{self} has no numeric value at {at}: {value}")
            return mpmath.mpf(approximation._mpf_)

    def __eq__(self, other):
        if not isinstance(other, Signal):
            return NotImplemented
        return (self.expr, self.period) == (other.expr, other.period)

    def __hash__(self):
        if self._hash is None:
            self._hash = hash((Signal, self.expr, self.period))
        return self._hash

    def __repr__(self):
        period = "" if self.period is None else f", period={_period_repr(self.period)}"
        params = "" if not self.parameters else f", parameters={[str(p) for p in self.parameters]}"
        return f"Signal({signal_text(self.expr)!r}{period}{params})"

    def __str__(self):
        """The expression, every Heaviside with its value at 0 (see :func:`signal_text`)."""
        return signal_text(self.expr)

    def _repr_latex_(self):
        arguments = "x, y" if self.dim == 2 else "x"
        return f"$\\displaystyle f({arguments}) = {signal_latex(self.expr)}{_heaviside_legend(self.expr)}$"


# --------------------------------------------------------------- printing --


class _TextPrinter(StrPrinter):
    """sympy's str, but what it prints the safe parser reads back as the same expression."""

    def _print_Heaviside(self, expr):
        # sympy's printer hides a value 1/2 at 0, which the parser would read as 0.
        return "Heaviside(%s)" % self.stringify(expr.args, ", ")

    def _print_Relational(self, expr):
        if expr.rel_op in ("==", "!="):  # sympy writes Eq(a, b), Ne(a, b): not in the grammar
            # Parenthesized: Python binds & and | tighter than comparisons.
            level = precedence(expr)
            return f"({self.parenthesize(expr.lhs, level)} {expr.rel_op} {self.parenthesize(expr.rhs, level)})"
        return super()._print_Relational(expr)

    def _print_Not(self, expr):
        return f"(not ({self._print(expr.args[0])}))"  # sympy writes ~a: not in the grammar


class _LatexPrinter(LatexPrinter):
    """sympy's LaTeX with the reports' H(x) for the paper's step (H(0) = 0), H_c(x) for H(0) = c."""

    def _print_Heaviside(self, expr, exp=None):
        tex = r"%s\left(%s\right)" % (_heaviside_name(expr.args[1]), self._print(expr.args[0]))
        return r"\left(%s\right)^{%s}" % (tex, exp) if exp else tex


def _heaviside_name(at_zero):
    if at_zero == 0:
        return "H"
    if at_zero.is_Rational:
        return f"H_{{{at_zero}}}"  # 1/2 reads better as a subscript than \frac{1}{2}
    return f"H_{{{_LatexPrinter().doprint(at_zero)}}}"


def _heaviside_legend(expr):
    """``where H_c(0) = c`` for each step that is not the paper's, so H_c is never a guess."""
    values = sorted({h.args[1] for h in expr.atoms(sympy.Heaviside) if h.args[1] != 0}, key=sympy.default_sort_key)
    if not values:
        return ""
    printer = _LatexPrinter()
    parts = [f"{_heaviside_name(c)}(0) = {printer.doprint(c)}" for c in values]
    return r" \quad \text{where } " + ", ".join(parts)


def _printed_expr(signal, name):
    if isinstance(signal, Signal):
        return signal.expr
    if isinstance(signal, sympy.Basic):
        return signal
    raise InvalidType(f"Expected a Signal or a sympy expression for {name} but got {short_repr(signal)}")


def signal_text(signal):
    """A signal (or sympy expression) as text the safe parser reads back unchanged.

    Every Heaviside is written with its value at 0 (sympy's ``str`` drops a
    value of 1/2, and one-argument ``Heaviside(x)`` means H(0) = 0 to the
    parser), and Eq/Ne conditions are written ``==``/``!=``. Use it wherever
    a signal is printed for a reader or written to JSON: claims, witnesses,
    reports.

    >>> import sympy
    >>> from symequiv import Signal, x
    >>> from symequiv.continuous.signal import signal_text
    >>> signal_text(Signal("Heaviside(x) + Heaviside(x - 1, 1/2)"))
    'Heaviside(x, 0) + Heaviside(x - 1, 1/2)'
    >>> signal_text(sympy.Heaviside(x))  # sympy's default, 1/2 at 0
    'Heaviside(x, 1/2)'
    >>> signal_text(sympy.Piecewise((1, sympy.Ne(x, 0)), (0, True)))
    'Piecewise((1, (x != 0)), (0, True))'
    """
    return _TextPrinter().doprint(_printed_expr(signal, "signal"))


def signal_latex(signal):
    """A signal (or sympy expression) in LaTeX, with Heaviside steps as the reports write them.

    The paper's step (H(0) = 0) is ``H(x)``; a step with value c at 0 is
    ``H_c(x)`` (``H_{1/2}(x)`` for sympy's default). sympy's own ``latex``
    writes theta(x, 0) instead. Use it for claims and equations in reports.

    >>> from symequiv import Signal
    >>> from symequiv.continuous.signal import signal_latex
    >>> print(signal_latex(Signal("2*Heaviside(x - 1/4)**2 + Heaviside(x, 1/2)")))
    H_{1/2}\\left(x\\right) + 2 \\left(H\\left(x - \\frac{1}{4}\\right)\\right)^{2}
    """
    return _LatexPrinter().doprint(_printed_expr(signal, "signal"))


def _parameter_names(parameters):
    """(names the parser may use, substitutions to apply, symbols kept free)."""
    names = {"x": x, "y": y}
    substitutions = {}
    symbols = []
    if parameters is None:
        return names, substitutions, symbols
    if isinstance(parameters, str):
        raise InvalidType(
            f"Expected a mapping or a list of names for parameters but got the string {short_repr(parameters)}"
        )
    try:
        items = list(parameters.items()) if hasattr(parameters, "items") else [(name, None) for name in parameters]
    except (TypeError, AttributeError):
        raise InvalidType(
            f"Expected a mapping or a list of names for parameters but got {short_repr(parameters)}"
        ) from None
    for name, value in items:
        if (
            not isinstance(name, str) or not name.isidentifier() or name.startswith("_") or keyword.iskeyword(name)
            or len(name) > MAX_NAME_LENGTH or name in RESERVED_NAMES
        ):
            raise InvalidArgument(
                f"Expected a parameter name such as 'k' but got {short_repr(name)}: a name is a Python identifier "
                f"of at most {MAX_NAME_LENGTH} characters, not starting with '_', and not one of x, y, the "
                "shifts delta, delta_x, delta_y, the constants or the functions"
            )
        symbol = sympy.Symbol(name, real=True)
        names[name] = symbol
        if value is None:
            symbols.append(symbol)
        else:
            substitutions[symbol] = exact_number(value, f"parameters[{short_repr(name)}]")
    return names, substitutions, symbols


def _adopt_symbols(expr, names):
    """Map symbols of a user's sympy expression to ours by name (``Symbol('x')`` is x)."""
    mapping = {s: names[s.name] for s in expr.free_symbols if s.name in names and s != names[s.name]}
    return expr.xreplace(mapping) if mapping else expr


def _period_repr(period):
    if isinstance(period, tuple):
        return "(" + ", ".join("None" if p is None else number_repr(p) for p in period) + ")"
    return number_repr(period)


def _checked_period(expr, period):
    """The exact period (a pair, entries None where there is none, for a scene), spot-checked."""
    if isinstance(period, (tuple, list)):
        if len(period) != 2 or all(p is None for p in period):
            raise InvalidArgument(
                f"Expected a period per axis (px, py), None on an axis without one, but got period={short_repr(period)}"
            )
        return tuple(None if p is None else _checked_axis_period(expr, p, variable, f"period[{axis}]")
                     for axis, (p, variable) in enumerate(zip(period, (x, y))))
    if y in expr.free_symbols:
        raise InvalidArgument(
            f"The scene {expr} depends on x and y: give its period per axis, period=(px, py) (None where none)"
        )
    return _checked_axis_period(expr, period, x, "period")


def _checked_axis_period(expr, period, variable, name):
    period = exact_number(period, name)
    if not bool(period > 0):
        raise InvalidArgument(f"Expected a positive period but got {name}={period}")
    other = y if variable == x else x
    with mpmath.workdps(30):
        for probe, elsewhere in zip(_PERIOD_PROBES, reversed(_PERIOD_PROBES)):
            at, there = sympy.Rational(probe), sympy.Rational(elsewhere)
            moved = expr.subs({variable: at + period, other: there}, simultaneous=True)
            difference = (moved - expr.subs({variable: at, other: there}, simultaneous=True)).evalf(30)
            if not difference.is_Number:
                break  # free parameters: the check cannot be done numerically
            if abs(difference) > sympy.Rational(1, 10**20):
                raise InvalidArgument(
                    f"Signal {expr} is not periodic with {name}={period}: f({variable} + {period}) - f({variable}) = "
                    f"{sympy.N(difference, 5)} at {variable} = {at}; fix the period or leave it out"
                )
    return period
