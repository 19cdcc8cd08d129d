"""Safe parsing of expression strings into sympy objects.

A user's string is never given to ``eval``, ``exec`` or ``sympify``. It is read
by Python's own parser (:func:`ast.parse`, which builds a tree and runs
nothing), and the tree is walked here: only numbers, the allowed names,
arithmetic, comparisons, and calls of a fixed list of sympy functions are
turned into sympy objects. Anything else raises :class:`ExpressionError`
naming the offending piece of the string.

>>> from symequiv.numeric.parsing import parse_expression
>>> from symequiv.continuous.symbols import x
>>> parse_expression("Heaviside(x) + 0.25*x^2", {"x": x})
x**2/4 + Heaviside(x, 0)
>>> parse_expression("__import__('os')", {"x": x})
Traceback (most recent call last):
    ...
symequiv.errors.ExpressionError: '__import__' is not allowed: dunder names are never accepted

Conventions: ``^`` means power (as in sympy's parser), a decimal literal is the
exact decimal (``0.1`` is ``1/10``), and ``Heaviside(t)`` with one argument is
the paper's step with H(0) = 0; write ``Heaviside(t, 1/2)`` for another value.
"""

import ast

import sympy

from ..errors import ExpressionError, InvalidType, short_repr
from .limits import MAX_BITS, MAX_DIGITS, rational_problem, size_problem

__all__ = ["parse_expression", "MAX_EXPRESSION_LENGTH", "ALLOWED_FUNCTIONS"]

#: Longest string accepted, in characters.
MAX_EXPRESSION_LENGTH = 2000
#: Deepest nesting of the syntax tree accepted.
MAX_DEPTH = 60
#: Largest |exponent| of a power with a symbolic base (``x**10**6`` is refused).
MAX_SYMBOLIC_EXPONENT = 1000


def _heaviside(arg, at_zero=sympy.S.Zero):
    return sympy.Heaviside(arg, at_zero)


#: Function names a string may call, and the sympy function each means.
ALLOWED_FUNCTIONS = {
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "tanh": sympy.tanh,
    "asin": sympy.asin,
    "acos": sympy.acos,
    "atan": sympy.atan,
    "exp": sympy.exp,
    "log": sympy.log,
    "sqrt": sympy.sqrt,
    "erf": sympy.erf,
    "erfc": sympy.erfc,
    "Abs": sympy.Abs,
    "abs": sympy.Abs,
    "sign": sympy.sign,
    "Heaviside": _heaviside,
    "Min": sympy.Min,
    "Max": sympy.Max,
    "Piecewise": sympy.Piecewise,
}

_CONSTANTS = {"pi": sympy.pi, "E": sympy.E, "True": sympy.true, "False": sympy.false}

_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}

_COMPARE = {
    ast.Lt: sympy.Lt,
    ast.LtE: sympy.Le,
    ast.Gt: sympy.Gt,
    ast.GtE: sympy.Ge,
    ast.Eq: sympy.Eq,
    ast.NotEq: sympy.Ne,
}

_SYMBOLS_OF_OPERATORS = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitXor: "^",
    ast.Invert: "~",
}


def parse_expression(text, names):
    """Parse ``text`` into a sympy expression without executing anything.

    Parameters
    ==========

    text : str
        The expression, e.g. ``"exp(-x**2/2) * sin(3*x)"``.
    names : mapping of str to sympy objects
        The names the string may use besides ``pi``, ``E`` and the allowed
        functions, and what each stands for (``{"x": symequiv.x}``).

    Raises
    ======

    ExpressionError
        naming the offending token, for anything outside the accepted grammar.
    """
    if not isinstance(text, str):
        raise InvalidType(f"Expected an expression string but got {type(text).__name__}: {short_repr(text)}")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            f"Expression is {len(text)} characters long; at most {MAX_EXPRESSION_LENGTH} are accepted"
        )
    if "\x00" in text:
        raise ExpressionError("Expression contains a NUL character", "\\x00")
    source = text.strip().replace("^", "**")
    if not source:
        raise ExpressionError("Expression is empty; give e.g. 'sin(2*pi*x)'")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        near = source[max((exc.offset or 1) - 1, 0):][:20]
        raise ExpressionError(f"Not a valid expression: {exc.msg} near {near!r}", near) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("Expression is nested too deeply or is malformed") from None
    builder = _Builder(source, dict(names))
    result = builder.build(tree.body, 0)
    if not isinstance(result, sympy.Expr):
        raise ExpressionError(f"Expected an arithmetic expression but {short_repr(text)} is a condition")
    if result.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
        raise ExpressionError(f"Expression {short_repr(text)} is not finite (a division by zero?)")
    problem = size_problem(result)
    if problem:
        raise ExpressionError(f"Expression {short_repr(text)} is refused: {problem}")
    return result


class _Builder:
    """Turns an accepted syntax tree into sympy objects, node by node."""

    def __init__(self, source, names):
        self.source = source
        self.names = names

    def token(self, node):
        segment = ast.get_source_segment(self.source, node)
        return segment if segment is not None else type(node).__name__

    def fail(self, node, why):
        token = self.token(node)
        raise ExpressionError(f"{token!r} is not allowed: {why}", token)

    def build(self, node, depth):
        if depth > MAX_DEPTH:
            raise ExpressionError(f"Expression is nested more than {MAX_DEPTH} levels deep")
        method = getattr(self, "build_" + type(node).__name__, None)
        if method is None:
            self.fail(node, f"{type(node).__name__} syntax is not part of the expression grammar")
        return method(node, depth + 1)

    def build_Constant(self, node, depth):
        value = node.value
        if isinstance(value, bool):
            return sympy.true if value else sympy.false
        if isinstance(value, int):
            if rational_problem(value):
                self.fail(node, rational_problem(value))
            return sympy.Integer(value)
        if isinstance(value, float):
            # The literal's own text, so that 0.1 means exactly 1/10.
            text = self.token(node).replace("_", "")
            mantissa, _, exponent = text.lower().partition("e")
            if exponent and abs(int(exponent)) + len(mantissa) > MAX_DIGITS:
                self.fail(node, f"a number with more than about {MAX_DIGITS} digits is refused")
            return sympy.Rational(text)
        self.fail(node, "only real numbers may appear as literals")

    def build_Name(self, node, depth):
        name = node.id
        if name.startswith("__") or name.endswith("__"):
            self.fail(node, "dunder names are never accepted")
        if name in self.names:
            return self.names[name]
        if name in _CONSTANTS:
            return _CONSTANTS[name]
        if name in ALLOWED_FUNCTIONS:
            self.fail(node, f"{name} is a function; call it, e.g. {name}(x)")
        allowed = ", ".join(sorted(self.names) + ["pi", "E"])
        self.fail(node, f"unknown name; the names allowed here are {allowed} (declare parameters to use others)")

    def build_UnaryOp(self, node, depth):
        operand = self.build(node.operand, depth)
        if isinstance(node.op, ast.USub):
            return -self.expr(operand, node.operand)
        if isinstance(node.op, ast.UAdd):
            return self.expr(operand, node.operand)
        if isinstance(node.op, ast.Not):
            return sympy.Not(self.condition(operand, node.operand))
        self.fail(node, f"operator {_SYMBOLS_OF_OPERATORS.get(type(node.op), '?')} is not arithmetic")

    def build_BinOp(self, node, depth):
        left = self.build(node.left, depth)
        right = self.build(node.right, depth)
        op = type(node.op)
        if op in _BINARY:
            return _BINARY[op](self.expr(left, node.left), self.expr(right, node.right))
        if op is ast.Pow:
            return self.power(self.expr(left, node.left), self.expr(right, node.right), node)
        if op in (ast.BitAnd, ast.BitOr):
            combine = sympy.And if op is ast.BitAnd else sympy.Or
            return combine(self.condition(left, node.left), self.condition(right, node.right))
        self.fail(node, f"operator {_SYMBOLS_OF_OPERATORS.get(op, '?')} is not supported; use + - * / **")

    def power(self, base, exponent, node):
        if exponent.is_number:
            magnitude = abs(exponent)
            if not magnitude.is_finite:
                self.fail(node, "the exponent is not finite")
            if base.is_number and base.is_Rational and exponent.is_Rational:
                bits = max(abs(base.p), abs(base.q), 2).bit_length()
                if float(magnitude) * (bits - 1) > MAX_BITS:
                    self.fail(node, f"the result would have more than about {MAX_DIGITS} digits")
            elif magnitude > MAX_SYMBOLIC_EXPONENT:
                self.fail(node, f"exponents above {MAX_SYMBOLIC_EXPONENT} in magnitude are refused")
        return base**exponent

    def build_BoolOp(self, node, depth):
        parts = [self.condition(self.build(v, depth), v) for v in node.values]
        return (sympy.And if isinstance(node.op, ast.And) else sympy.Or)(*parts)

    def build_Compare(self, node, depth):
        terms = [self.build(node.left, depth)] + [self.build(c, depth) for c in node.comparators]
        nodes = [node.left] + list(node.comparators)
        parts = []
        for op, (a, na), (b, nb) in zip(node.ops, zip(terms, nodes), zip(terms[1:], nodes[1:])):
            if type(op) not in _COMPARE:
                self.fail(node, "only < <= > >= == != comparisons are supported")
            parts.append(_COMPARE[type(op)](self.expr(a, na), self.expr(b, nb)))
        return sympy.And(*parts)

    def build_Tuple(self, node, depth):
        return tuple(self.build(e, depth) for e in node.elts)

    def build_Call(self, node, depth):
        if not isinstance(node.func, ast.Name):
            self.fail(node.func, "only plain function names may be called")
        name = node.func.id
        if name.startswith("__") or name.endswith("__"):
            self.fail(node.func, "dunder names are never accepted")
        if name not in ALLOWED_FUNCTIONS:
            allowed = ", ".join(sorted(ALLOWED_FUNCTIONS))
            self.fail(node.func, f"unknown function; the functions allowed are {allowed}")
        if node.keywords:
            self.fail(node.keywords[0], "keyword arguments are not accepted")
        args = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                self.fail(arg, "star arguments are not accepted")
            built = self.build(arg, depth)
            if name == "Piecewise":
                args.append(self.piece(built, arg))
            else:
                args.append(self.expr(built, arg))
        try:
            return ALLOWED_FUNCTIONS[name](*args)
        except (TypeError, ValueError) as exc:
            self.fail(node, f"{name} cannot take these arguments ({exc})")

    def piece(self, built, node):
        if not (isinstance(built, tuple) and len(built) == 2):
            self.fail(node, "each Piecewise argument must be a pair (value, condition)")
        return (self.expr(built[0], node), self.condition(built[1], node))

    def expr(self, value, node):
        if isinstance(value, sympy.Expr):
            return value
        self.fail(node, "expected an arithmetic expression here, not a condition or tuple")

    def condition(self, value, node):
        if isinstance(value, (sympy.logic.boolalg.Boolean, sympy.core.relational.Relational)):
            return value
        self.fail(node, "expected a condition such as x < 1 here")

