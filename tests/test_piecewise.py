import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequiv.errors import UnsupportedSignal
from symequiv.continuous.piecewise import PiecewiseFunction, sort_unique
from symequiv.continuous.symbols import delta, x

R = sympy.Rational


def test_decomposition_of_a_box_keeps_its_point_values():
    box = PiecewiseFunction.from_expr(sympy.Piecewise((1, (x >= 0) & (x < 1)), (0, True)), x)
    assert box.breakpoints == (0, 1)
    assert box.pieces == (0, 1, 0)
    assert box.values == (1, 0)
    assert box.evaluate(0) == 1 and box.evaluate(1) == 0 and box.evaluate(R(1, 2)) == 1


def test_nested_kinks_are_found():
    f = PiecewiseFunction.from_expr(sympy.Heaviside(sympy.Abs(x) - 1, 0), x)
    assert f.breakpoints == (-1, 1)
    assert f.pieces == (1, 0, 1)
    assert f.values == (0, 0)


def test_quadratic_breakpoints_are_exact():
    f = PiecewiseFunction.from_expr(sympy.Heaviside(x**2 - 2, 0), x)
    assert f.breakpoints == (-sympy.sqrt(2), sympy.sqrt(2))


def test_antiderivative_is_continuous_and_exact():
    hat = PiecewiseFunction.from_expr(sympy.Max(0, 1 - sympy.Abs(x)), x)
    F = hat.antiderivative()
    for c in F.breakpoints:
        left = F.pieces[F.breakpoints.index(c)].subs(x, c)
        right = F.pieces[F.breakpoints.index(c) + 1].subs(x, c)
        assert left == right == F.evaluate(c)
    assert F.evaluate(5) - F.evaluate(-5) == 1


@settings(max_examples=40, deadline=None)
@given(
    st.fractions(min_value=-3, max_value=3, max_denominator=7),
    st.fractions(min_value=-3, max_value=3, max_denominator=7),
)
def test_compose_and_combine_agree_with_substitution(b, t):
    b, t = R(b.numerator, b.denominator), R(t.numerator, t.denominator)
    expr = sympy.Max(0, 1 - sympy.Abs(x)) + sympy.Heaviside(x - R(1, 3), 0) * x
    f = PiecewiseFunction.from_expr(expr, x)
    g = f.compose(-1, b, delta)  # delta -> f(b - delta)
    assert g.evaluate(t) == expr.subs(x, b - t)
    h = g - f.compose(1, b, delta)
    assert h.evaluate(t) == expr.subs(x, b - t) - expr.subs(x, t + b)
    assert h.to_expr().subs(delta, t) == h.evaluate(t)


def test_to_expr_uses_clean_conditions():
    step = PiecewiseFunction.from_expr(sympy.Heaviside(x, 0), x)
    assert step.to_expr() == sympy.Piecewise((0, x <= 0), (1, True))
    spike = PiecewiseFunction(x, [0], [0, 0], [5])
    assert spike.to_expr() == sympy.Piecewise((0, x < 0), (5, x <= 0), (0, True))


def test_restricted_and_splice():
    step = PiecewiseFunction.from_expr(sympy.Heaviside(x, 0), x)
    spliced = PiecewiseFunction.splice(step.compose(1, 2), step, R(-1))
    assert [spliced.evaluate(v) for v in (R(-3, 2), R(-1, 2), R(1, 2))] == [1, 0, 1]
    window = spliced.restricted(R(-1), R(1))
    assert window.evaluate(R(-1)) == 0 and window.evaluate(R(1, 2)) == 1


def test_unsupported_breakpoints():
    with pytest.raises(UnsupportedSignal, match="polynomial"):
        PiecewiseFunction.from_expr(sympy.Heaviside(sympy.sin(x), 0), x)


def test_sort_unique_identifies_equal_values_written_differently():
    assert sort_unique([sympy.sqrt(8), 2 * sympy.sqrt(2), R(1, 3), sympy.Integer(0)]) == [0, R(1, 3), 2 * sympy.sqrt(2)]


def test_breakpoints_that_agree_in_many_digits_are_ordered_exactly():
    big = sympy.pi**200
    near = [big + sympy.Rational(1, 3), big, big - 1, big + sympy.sqrt(2) / 10**30, 2 * big / 2]
    assert sort_unique(near) == [big - 1, big, big + sympy.sqrt(2) / 10**30, big + sympy.Rational(1, 3)]


def test_a_step_far_out_is_found_on_its_side():
    big = sympy.pi**200
    step = PiecewiseFunction.from_expr(sympy.Heaviside(x - big, 0), x)
    assert step.evaluate(big + sympy.Rational(1, 10**40)) == 1
    assert step.evaluate(big - sympy.Rational(1, 10**40)) == 0
