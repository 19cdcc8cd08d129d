"""Continuous signals f(x) and their translations.

>>> from symequiv import Signal
>>> H = Signal("Heaviside(x)")
>>> H
Signal('Heaviside(x, 0)')
>>> H(0), H("1/4")
(0, 1)
>>> H.shifted("1/4").expr
Heaviside(x - 1/4, 0)

``shifted(d)`` is x -> f(x - d): the content moves by +d. The paper's
Heaviside step has H(0) = 0, and so has ``"Heaviside(x)"`` here; write
``"Heaviside(x, 1/2)"`` for another value at 0. A sympy ``Heaviside(x)``
(whose value at 0 sympy sets to 1/2 by default) is read the paper's way too.
"""

import keyword
import numbers

import mpmath
import sympy

from .errors import InvalidArgument, InvalidType, SymequivError, short_repr
from .numbers import exact_number, exact_value, number_repr
from .parsing import ALLOWED_FUNCTIONS, parse_expression
from .symbols import delta, x

__all__ = ["Signal"]

#: Longest parameter name accepted.
MAX_NAME_LENGTH = 64
#: Names a parameter cannot take: the variables, the constants, the functions,
#: and the names sympy gives special numbers (a parameter "oo" would read as one).
RESERVED_NAMES = frozenset({"x", "delta", "pi", "E", "I", "oo", "zoo", "nan", "inf"} | set(ALLOWED_FUNCTIONS))

# Points at which a declared period is spot-checked (irregular on purpose, so
# they avoid the breakpoints of typical signals).
_PERIOD_PROBES = ("-0.8731", "-0.2718", "0.1414", "0.5772", "1.2345", "2.7183")


class Signal:
    """A continuous real signal f(x), exact.

    Parameters
    ==========

    expr : str or sympy expression
        The signal in the variable ``x``. A string is parsed safely (see
        :mod:`symequiv.parsing`): numbers, ``x``, declared parameters,
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

    __slots__ = ("base", "offset", "period", "parameters", "_hash")

    def __init__(self, expr, period=None, *, parameters=None):
        names, substitutions, symbols = _parameter_names(parameters)
        if isinstance(expr, Signal):
            expr = expr.expr
        if isinstance(expr, str):
            parsed = parse_expression(expr, names)  # the parser reads "Heaviside(x)" as H(0) = 0
        elif isinstance(expr, sympy.Expr):
            parsed = _paper_heaviside(_adopt_symbols(expr, names))
        elif isinstance(expr, numbers.Real) and not isinstance(expr, bool):
            parsed = exact_number(expr, "expr")
        else:
            raise InvalidType(
                f"Expected an expression string or sympy expression for a Signal but got {short_repr(expr)}"
            )
        parsed = exact_value(parsed, "expr").xreplace(substitutions)
        stray = parsed.free_symbols - {x} - set(symbols)
        if stray:
            names_text = ", ".join(sorted(str(s) for s in stray))
            hint = " (to shift a signal use .shifted(d))" if delta in stray else ""
            raise InvalidArgument(
                f"Signal {parsed} has the free symbol(s) {names_text} besides x; declare them with "
                f"parameters={{'{sorted(str(s) for s in stray)[0]}': value}} or parameters=[...]{hint}"
            )
        self.base = parsed
        self.offset = sympy.Integer(0)
        self.parameters = tuple(sorted(symbols, key=str))
        self.period = None if period is None else _checked_period(parsed, period)
        self._hash = None

    @classmethod
    def _make(cls, base, offset, period, parameters):
        signal = object.__new__(cls)
        signal.base, signal.offset, signal.period, signal.parameters = base, offset, period, parameters
        signal._hash = None
        return signal

    @property
    def expr(self):
        """The signal as a sympy expression in :data:`symequiv.x`."""
        if self.offset == 0:
            return self.base
        return self.base.xreplace({x: x - self.offset})

    def shifted(self, d):
        """The translated signal x -> f(x - d); ``d`` a number or a sympy expression.

        >>> from symequiv import Signal, delta
        >>> Signal("x**2").shifted(delta).expr
        (-delta + x)**2
        """
        d = exact_value(d, "d", names={"delta": delta})
        return Signal._make(self.base, self.offset + d, self.period, self.parameters)

    def __call__(self, at):
        """The exact value f(at) for a number or expression ``at``."""
        at = exact_value(at, "at", names={"x": x, "delta": delta})
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
        period = "" if self.period is None else f", period={number_repr(self.period)}"
        params = "" if not self.parameters else f", parameters={[str(p) for p in self.parameters]}"
        return f"Signal({str(self.expr)!r}{period}{params})"

    def _repr_latex_(self):
        return f"$\\displaystyle f(x) = {sympy.latex(self.expr)}$"


def _parameter_names(parameters):
    """(names the parser may use, substitutions to apply, symbols kept free)."""
    names = {"x": x}
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
                f"of at most {MAX_NAME_LENGTH} characters, not starting with '_', and not one of x, delta, the "
                "constants or the functions"
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


def _paper_heaviside(expr):
    """Heaviside with sympy's default H(0) = 1/2 becomes the paper's H(0) = 0."""
    return expr.replace(
        lambda e: isinstance(e, sympy.Heaviside) and e.args[1] == sympy.S.Half,
        lambda e: sympy.Heaviside(e.args[0], 0),
    )


def _checked_period(expr, period):
    period = exact_number(period, "period")
    if not bool(period > 0):
        raise InvalidArgument(f"Expected a positive period but got period={period}")
    with mpmath.workdps(30):
        for probe in _PERIOD_PROBES:
            at = sympy.Rational(probe)
            difference = (expr.subs(x, at + period) - expr.subs(x, at)).evalf(30)
            if not difference.is_Number:
                break  # free parameters: the check cannot be done numerically
            if abs(difference) > sympy.Rational(1, 10**20):
                raise InvalidArgument(
                    f"Signal {expr} is not periodic with period={period}: f(x + {period}) - f(x) = "
                    f"{sympy.N(difference, 5)} at x = {at}; fix the period or leave it out"
                )
    return period
