import mpmath
import pytest
import sympy

from symequiv import Signal, delta, x
from symequiv.errors import ExpressionError, InvalidArgument, InvalidType


def test_paper_heaviside_is_zero_at_zero():
    assert Signal("Heaviside(x)")(0) == 0
    assert Signal(sympy.Heaviside(x))(0) == 0
    assert Signal("Heaviside(x, 1/2)")(0) == sympy.Rational(1, 2)
    assert Signal(sympy.Heaviside(x, 1))(0) == 1


def test_shifted_moves_content_right():
    step = Signal("Heaviside(x)")
    moved = step.shifted("1/4")
    assert moved("1/8") == 0 and moved("3/8") == 1
    assert moved.expr == sympy.Heaviside(x - sympy.Rational(1, 4), 0)
    assert step.shifted(1).shifted(-1) == step
    assert Signal("x**2").shifted(delta).expr == (x - delta) ** 2
    assert Signal("x").shifted("2*delta")(0) == -2 * delta


def test_symbols_of_a_users_sympy_expression_are_adopted():
    plain_x = sympy.Symbol("x")
    assert Signal(sympy.sin(plain_x)).expr == sympy.sin(x)


def test_parameters():
    assert Signal("exp(-x**2/s)", parameters={"s": "1/2"}).expr == sympy.exp(-2 * x**2)
    kept = Signal("sin(k*x)", parameters=["k"])
    k = sympy.Symbol("k", real=True)
    assert kept.expr == sympy.sin(k * x)
    with pytest.raises(ExpressionError, match="'k'.*declare parameters"):
        Signal("sin(k*x)")
    with pytest.raises(InvalidArgument, match="free symbol.*k.*parameters="):
        Signal(sympy.sin(k * x))
    with pytest.raises(InvalidArgument, match="free symbol.*delta.*shifted"):
        Signal(sympy.sin(x - delta))
    with pytest.raises(InvalidArgument, match="parameter name"):
        Signal("x", parameters={"__class__": 1})
    with pytest.raises(InvalidType):
        Signal("x", parameters="k")
    with pytest.raises(InvalidArgument, match="finite"):
        Signal("a*x", parameters={"a": float("nan")})


def test_period_is_checked():
    assert Signal("sin(2*pi*x)", period=1).period == 1
    assert Signal("sin(2*pi*x)", period=2).period == 2
    with pytest.raises(InvalidArgument, match="not periodic"):
        Signal("sin(2*pi*x)", period="1/3")
    with pytest.raises(InvalidArgument, match="positive period"):
        Signal("sin(2*pi*x)", period=-1)


def test_bad_signals():
    with pytest.raises(ExpressionError):
        Signal("__import__('os')")
    with pytest.raises(InvalidType):
        Signal(["x"])
    with pytest.raises(InvalidType):
        Signal(None)


def test_printing_is_constructor_form():
    for signal in [Signal("Heaviside(x)"), Signal("sin(2*pi*x)", period=1), Signal("x**2/3")]:
        assert eval(repr(signal)) == signal  # repr is constructor form
    assert Signal("x").shifted("1/2")._repr_latex_() == "$\\displaystyle f(x) = x - \\frac{1}{2}$"


def test_numeric_value():
    value = Signal("exp(x)").numeric("1/3", dps=40)
    with mpmath.workdps(40):
        assert abs(value - mpmath.exp(mpmath.mpf(1) / 3)) < mpmath.mpf(10) ** -38
