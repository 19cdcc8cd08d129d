"""The fast evaluation path agrees with the exact route and keeps precision."""

import flint
import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequiv as se
from symequiv.numeric.backends import ARB, MPMATH, RATIONAL, NotRational
from symequiv.numeric.balls import mpf_of, radius_of, working_precision
from symequiv.discrete.fast import compiled

SIGNALS = ["sin(3*x)/7", "exp(-8*(x - 1/7)**2)", "Heaviside(x - 1/3)", "Max(0, 1 - Abs(3*x))", "x**3/3 - x/7"]


@settings(max_examples=40, deadline=None)
@given(
    expression=st.sampled_from(SIGNALS),
    periodic=st.booleans(),
    sample=st.booleans(),
    shift=st.fractions(min_value=-3, max_value=3, max_denominator=97),
)
def test_fast_values_equal_the_exact_values_at_60_digits(expression, periodic, sample, shift):
    grid = se.Grid(-1, 1, 6, periodic=periodic)
    D = se.PointSample(grid) if sample else se.CellAverage(grid)
    signal = se.Signal(expression)
    d = sympy.Rational(shift.numerator, shift.denominator)
    exact = D(signal.shifted(d))
    fast = compiled(D, signal)
    with working_precision(60):
        numeric = fast.values(shift, MPMATH)
        balls = fast.values(shift, ARB)
    with mpmath.workdps(100):  # the reference must be finer than the balls
        for e, v, b in zip(exact, numeric, balls):
            truth = mpmath.mpf(sympy.Float(sympy.N(e, 100), 100)._mpf_)
            assert abs(v - truth) <= abs(truth) * mpmath.mpf(10) ** -57 + mpmath.mpf(10) ** -58
            assert abs(mpf_of(b) - truth) <= radius_of(b)  # the ball encloses the exact value


def test_rationals_reach_mpmath_without_a_float():
    # 1/3 as a float is 0.333...3148; at 60 digits the fast path must give 1/3 to 60 digits
    D = se.PointSample(se.Grid(0, 1, 1), at="left")
    fast = compiled(D, se.Signal("x"))
    with working_precision(60):
        (value,) = fast.values(sympy.Rational(-1, 3), MPMATH)
        assert abs(value - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -59
        assert abs(value - mpmath.mpf(1 / 3)) > mpmath.mpf(10) ** -18


def test_rational_backend_is_exact_and_refuses_irrational_pieces():
    fast = compiled(se.CellAverage(se.Grid(-1, 1, 4)), se.Signal("Heaviside(x - 1/3)"))
    values = fast.values(sympy.Rational(1, 5), RATIONAL)
    assert all(isinstance(v, flint.fmpq) for v in values)
    exact = se.CellAverage(se.Grid(-1, 1, 4))(se.Signal("Heaviside(x - 1/3)").shifted("1/5"))
    assert [sympy.Rational(int(v.p), int(v.q)) for v in values] == list(exact)
    with pytest.raises(NotRational):
        compiled(se.CellAverage(se.Grid(-1, 1, 4)), se.Signal("sin(x)")).values(0, RATIONAL)


def test_the_closed_form_is_derived_once_per_signal():
    D = se.CellAverage(se.Grid(-1, 1, 8))
    signal = se.Signal("exp(-x**2)")
    assert compiled(D, signal) is compiled(D, se.Signal("exp(-x**2)"))


def test_no_antiderivative_uses_quadrature_with_error_estimates():
    D = se.CellAverage(se.Grid(1, 2, 3))
    fast = compiled(D, se.Signal("log(2 + sin(x**2))"))
    assert not fast.is_exact_antiderivative
    with working_precision(30):
        values = fast.values(0, MPMATH)
        errors = fast.errors(0)
        for j, (a, b) in enumerate(zip(D.grid.edges, D.grid.edges[1:])):
            reference = mpmath.quad(lambda t: mpmath.log(2 + mpmath.sin(t**2)), [a.p / mpmath.mpf(a.q), b.p / mpmath.mpf(b.q)])
            assert abs(values[j] - reference * 3) < mpmath.mpf(10) ** -25
            assert errors[j] < mpmath.mpf(10) ** -20
        # log(2 + sin(x**2)) is analytic near [1, 2]: flint's ball integration encloses it.
        balls = fast.values(0, ARB)
        for j, (a, b) in enumerate(zip(D.grid.edges, D.grid.edges[1:])):
            reference = mpmath.quad(lambda t: mpmath.log(2 + mpmath.sin(t**2)), [a.p / mpmath.mpf(a.q), b.p / mpmath.mpf(b.q)])
            assert balls[j].rad() < 1e-25
            assert abs(mpmath.mpf(balls[j].mid().str(40, radius=False)) - reference * 3) < mpmath.mpf(10) ** -25


def test_signals_analytic_off_the_real_line_have_no_enclosure():
    # exp(-1/x**2) is smooth but not analytic at 0: no ball integration across 0 (numeric only).
    D = se.CellAverage(se.Grid(-1, 1, 2))
    fast = compiled(D, se.Signal("exp(-1/x**2)*sin(x)"))
    assert not fast.is_exact_antiderivative
    with working_precision(30):
        with pytest.raises(se.UnsupportedSignal, match="rigorous"):
            fast.values(0, ARB)
