import builtins
import os

import pytest
import sympy

from symequiv.errors import ExpressionError, InvalidType, SymequivError
from symequiv.numeric.parsing import MAX_EXPRESSION_LENGTH, parse_expression
from symequiv.continuous.signal import signal_text
from symequiv.continuous.symbols import x

NAMES = {"x": x}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x**2 + 1", x**2 + 1),
        ("x^2 + 1", x**2 + 1),
        ("0.1*x", sympy.Rational(1, 10) * x),
        ("1e-3", sympy.Rational(1, 1000)),
        ("-x + +2", 2 - x),
        ("sin(2*pi*x)", sympy.sin(2 * sympy.pi * x)),
        ("exp(-(x - 1/4)**2)", sympy.exp(-(x - sympy.Rational(1, 4)) ** 2)),
        ("Heaviside(x)", sympy.Heaviside(x, 0)),
        ("Heaviside(x, 1/2)", sympy.Heaviside(x, sympy.S.Half)),
        ("Max(0, 1 - Abs(x))", sympy.Max(0, 1 - sympy.Abs(x))),
        ("abs(x)", sympy.Abs(x)),
        ("erf(x) * E", sympy.E * sympy.erf(x)),
        (
            "Piecewise((1, (x > 0) & (x < 1)), (0, True))",
            sympy.Piecewise((1, sympy.And(x > 0, x < 1)), (0, True)),
        ),
        ("Piecewise((x, 0 < x <= 1), (0, True))", sympy.Piecewise((x, sympy.And(0 < x, x <= 1)), (0, True))),
        ("Piecewise((x, x < 0 or x > 1), (0, True))", sympy.Piecewise((x, sympy.Or(x < 0, x > 1)), (0, True))),
    ],
)
def test_accepted_expressions(text, expected):
    assert parse_expression(text, NAMES) == expected


@pytest.mark.parametrize(
    "expr",
    [
        sympy.Heaviside(x),  # sympy's default: 1/2 at 0, which sympy's own str hides
        sympy.Heaviside(x - sympy.Rational(1, 3), 1) ** 2 + sympy.Heaviside(-x, 0),
        sympy.Piecewise((1, sympy.Ne(x, 0)), (0, True)),
        sympy.Piecewise((x, sympy.Eq(x, 1) | (x > 2)), (0, True)),
        sympy.Piecewise((1, sympy.Not(sympy.And(x > 0, x < 1))), (0, True)),
    ],
    ids=repr,
)
def test_what_signal_text_prints_parses_back_to_the_same_expression(expr):
    assert parse_expression(signal_text(expr), NAMES) == expr
    if expr.has(sympy.Heaviside(x)):
        assert parse_expression(str(expr), NAMES) != expr  # why sympy's str is not enough


def test_decimal_literals_are_exact():
    result = parse_expression("0.1 + 0.2", NAMES)
    assert result == sympy.Rational(3, 10)
    assert not result.atoms(sympy.Float)


def test_declared_names_are_used():
    k = sympy.Symbol("k", real=True)
    assert parse_expression("sin(k*x)", {"x": x, "k": k}) == sympy.sin(k * x)


HOSTILE = [
    ("__import__('os').system('touch {marker}')", "__import__"),
    ("x.__class__", "x.__class__"),
    ("().__class__.__bases__[0].__subclasses__()", "().__class__"),
    ("(lambda: 1)()", "lambda"),
    ("open('{marker}', 'w')", "open"),
    ("eval('1')", "eval"),
    ("exec('import os')", "exec"),
    ("sympify('1')", "sympify"),
    ("import os", "import"),
    ("[c for c in ()]", "["),
    ("x if x else 1", "x if x else 1"),
    ("sin.__globals__", "sin.__globals__"),
    ("getattr(x, 'evalf')", "getattr"),
    ("sin(x=1)", "x=1"),
    ("sin(*x)", "*x"),
    ("f'{{x}}'", "f'"),
    ("'string'", "'string'"),
    ("x[0]", "x[0]"),
    ("y + 1", "y"),
    ("__builtins__", "__builtins__"),
    ("x // 2", "x // 2"),
    ("x % 2", "x % 2"),
    ("1j * x", "1j"),
    ("sin", "sin"),
    ("(a := 3)", "a := 3"),
]


@pytest.mark.parametrize("template, token", HOSTILE)
def test_hostile_strings_are_refused_and_never_executed(template, token, tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    calls = []

    def forbidden(*args, **kwargs):
        calls.append(args)
        raise AssertionError("a forbidden function was called")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(sympy, "sympify", forbidden)
    with pytest.raises(ExpressionError) as info:
        parse_expression(template.format(marker=marker), NAMES)
    assert not calls
    assert not marker.exists()
    assert token.split("(")[0].strip() in str(info.value) or token in str(info.value)


def test_error_carries_the_token():
    with pytest.raises(ExpressionError) as info:
        parse_expression("sin(x) + frobnicate(x)", NAMES)
    assert info.value.token == "frobnicate"
    assert "frobnicate" in str(info.value)


def test_overlong_and_empty_input():
    with pytest.raises(ExpressionError, match="characters long"):
        parse_expression("x+" * MAX_EXPRESSION_LENGTH + "x", NAMES)
    with pytest.raises(ExpressionError, match="empty"):
        parse_expression("   ", NAMES)
    with pytest.raises(InvalidType):
        parse_expression(b"x", NAMES)


def test_deep_nesting_is_refused_quickly():
    with pytest.raises(ExpressionError, match="nested"):
        parse_expression("(" * 500 + "x" + ")" * 500, NAMES)
    with pytest.raises(ExpressionError, match="nested"):
        parse_expression("-" * 900 + "x", NAMES)


@pytest.mark.parametrize("text", ["9**9**9**9", "2**10**6", "x**100000", "(10**1000)**1000"])
def test_huge_powers_are_refused(text):
    with pytest.raises(ExpressionError, match="digits|exponent"):
        parse_expression(text, NAMES)


def test_non_finite_results_and_conditions():
    with pytest.raises(ExpressionError, match="not finite"):
        parse_expression("1/0 + x", NAMES)
    with pytest.raises(ExpressionError, match="condition"):
        parse_expression("x < 1", NAMES)
    with pytest.raises(ExpressionError, match="pair"):
        parse_expression("Piecewise((1, x < 0, 3), (0, True))", NAMES)
    with pytest.raises(ExpressionError):
        parse_expression("sin(x, x)", NAMES)


def test_syntax_errors_are_expression_errors():
    with pytest.raises(ExpressionError, match="valid expression"):
        parse_expression("sin(x", NAMES)
    with pytest.raises(SymequivError):
        parse_expression("x +* 2", NAMES)


def test_nothing_is_written(tmp_path):
    before = set(os.listdir(tmp_path))
    with pytest.raises(ExpressionError):
        parse_expression(f"open('{tmp_path}/f', 'w').write('x')", NAMES)
    assert set(os.listdir(tmp_path)) == before
