"""Discretizers against an independent reference.

The reference integrates a plain mpmath function with mpmath.quad at 40 digits,
split at the signal's breakpoints, so it shares nothing with the library's
antiderivative route. For the signals drawn by symequiv.strategies the plain
function is the expression lambdified for mpmath, and the breakpoints are the
real roots of the arguments of its kinks; both are checked against the
families below, each given twice: as the string symequiv parses, and as a
plain mpmath function with its breakpoints listed by hand.
"""

import itertools
from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequiv import CellAverage, Grid, PointSample, Signal, delta, x
from symequiv.errors import InvalidArgument, InvalidType, UnsupportedSignal
from symequiv.strategies import grids, shifts, signals

mpf = mpmath.mpf


def H(t):
    return mpf(1) if t > 0 else mpf(0)


# name: (expression, period or None, reference function, breakpoints of f)
FAMILIES = {
    "polynomial": ("x**3 - 2*x + 1/3", None, lambda t: t**3 - 2 * t + mpf(1) / 3, []),
    "trig product": ("sin(3*x)*cos(x)", None, lambda t: mpmath.sin(3 * t) * mpmath.cos(t), []),
    "exp times sin": ("exp(x/2)*sin(2*x)", None, lambda t: mpmath.exp(t / 2) * mpmath.sin(2 * t), []),
    "gaussian": ("exp(-4*(x - 1/5)**2)", None, lambda t: mpmath.exp(-4 * (t - mpf(1) / 5) ** 2), []),
    "heaviside": ("Heaviside(x - 1/3)", None, lambda t: H(t - mpf(1) / 3), [Fraction(1, 3)]),
    "ramp": ("Max(0, x)", None, lambda t: max(t, mpf(0)), [0]),
    "box": (
        "Piecewise((1, (x > -1/4) & (x < 1/2)), (0, True))",
        None,
        lambda t: mpf(1) if -mpf(1) / 4 < t < mpf(1) / 2 else mpf(0),
        [Fraction(-1, 4), Fraction(1, 2)],
    ),
    "hat": ("Max(0, 1 - Abs(2*x))", None, lambda t: max(mpf(0), 1 - abs(2 * t)), [Fraction(-1, 2), 0, Fraction(1, 2)]),
    "sum": (
        "Heaviside(x) + sin(x)/2 + exp(-x**2)",
        None,
        lambda t: H(t) + mpmath.sin(t) / 2 + mpmath.exp(-(t**2)),
        [0],
    ),
    "periodic": (
        "sin(pi*x) + cos(2*pi*x)/3",
        2,
        lambda t: mpmath.sin(mpmath.pi * t) + mpmath.cos(2 * mpmath.pi * t) / 3,
        [],
    ),
}

GRIDS = [Grid(-1, 1, 4), Grid("-1/2", "3/2", 3), Grid(-1, 1, 4, periodic=True), Grid(-1, 1, 5, periodic=True)]


def kinks(expr):
    """Where a signal may jump or kink: the real roots of its Heaviside, Abs, Max/Min and Piecewise arguments."""
    arguments = set()
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Heaviside, sympy.Abs)):
            arguments.add(node.args[0])
        elif isinstance(node, (sympy.Max, sympy.Min)):
            arguments.update(a - b for a, b in itertools.combinations(node.args, 2))
        elif isinstance(node, sympy.core.relational.Relational):
            arguments.add(node.lhs - node.rhs)
    points = set()
    for argument in arguments:
        roots = sympy.solveset(argument, x, sympy.S.Reals)
        assert isinstance(roots, sympy.FiniteSet), (expr, argument, roots)
        points |= set(roots)
    return sorted(points)


def to_mpf(value):
    return mpf(value.p) / value.q if value.is_Rational else mpf(sympy.N(value, 50)._mpf_)


def reference_function(signal, grid):
    """The signal as a plain mpmath function, and its breakpoints; on a periodic grid, periodized."""
    function = sympy.lambdify(x, signal.expr, "mpmath")
    breakpoints = kinks(signal.expr)
    if not grid.periodic or signal.period is not None:
        return function, [to_mpf(b) for b in breakpoints]
    start, length = to_mpf(grid.start), to_mpf(grid.length)

    def periodized(t):
        return function(start + mpmath.fmod(mpmath.fmod(t - start, length) + length, length))

    # jumps of the periodized function: the signal's own within one period, and the window's ends
    raw = [to_mpf(b) for b in breakpoints if grid.start <= b < grid.stop] + [start]
    return periodized, [b + k * length for b in raw for k in range(-8, 9)]


def reference_average(signal, grid, j, shift):
    function, breakpoints = reference_function(signal, grid)
    a, b = to_mpf(grid.edges[j]), to_mpf(grid.edges[j + 1])
    d = to_mpf(shift)
    # integral of f(x - d) over [a, b] = integral of f over [a - d, b - d]
    inner = sorted(p for p in breakpoints if a - d < p < b - d)
    value = mpmath.quad(function, [a - d] + inner + [b - d])
    return value / (b - a)


def reference_sample(signal, grid, j, shift, at):
    """f(p_j - shift) by direct exact evaluation (read on [start, stop) and repeated if need be)."""
    point = (grid.centers[j] if at == "center" else grid.edges[j]) - shift
    if grid.periodic and signal.period is None:
        point = grid.start + sympy.Mod(point - grid.start, grid.length)
    return to_mpf(signal.expr.subs(x, point))


def signals_for(grid):
    """Drawn signals; on a periodic grid, truly periodic ones too."""
    if grid.periodic:
        return st.one_of(signals(), signals(periodic_period=grid.length))
    return signals()


def family_signal(name):
    expression, period, _, _ = FAMILIES[name]
    return Signal(expression, period=period)


def assert_no_float(expr):
    assert not sympy.sympify(expr).atoms(sympy.Float), expr


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_the_reference_reads_the_hand_written_families(name):
    _, _, function, breakpoints = FAMILIES[name]
    expr = family_signal(name).expr
    assert kinks(expr) == [sympy.Rational(b.numerator, b.denominator) for b in map(Fraction, breakpoints)]
    plain = sympy.lambdify(x, expr, "mpmath")
    with mpmath.workdps(40):
        for t in ["-1.3", "-0.25", "0", "0.3", "1/3", "0.5", "2.2"]:
            at = mpf(sympy.Rational(t).p) / sympy.Rational(t).q
            assert abs(plain(at) - function(at)) < mpf(10) ** -35, (name, t)


@settings(max_examples=60, deadline=None)
@given(grid=grids(max_cells=5), data=st.data())
def test_cell_average_closed_form_matches_quadrature(grid, data):
    signal = data.draw(signals_for(grid), label="signal")
    shift = data.draw(shifts(grid), label="shift")
    j = data.draw(st.integers(0, grid.n - 1), label="cell")
    D = CellAverage(grid)
    closed = D.closed_form(signal)[j]
    exact = closed.subs(delta, shift)
    assert_no_float(closed)
    assert_no_float(exact)
    with mpmath.workdps(40):
        expected = reference_average(signal, grid, j, shift)
        got = mpmath.mpf(sympy.Float(sympy.N(exact, 45), 45)._mpf_)
        assert abs(got - expected) < mpf(10) ** -30, (signal, grid, j, shift, exact)


@settings(max_examples=60, deadline=None)
@given(grid=grids(max_cells=5), at=st.sampled_from(["center", "left"]), data=st.data())
def test_point_sample_closed_form_matches_direct_evaluation(grid, at, data):
    signal = data.draw(signals_for(grid), label="signal")
    shift = data.draw(shifts(grid), label="shift")
    j = data.draw(st.integers(0, grid.n - 1), label="cell")
    D = PointSample(grid, at=at)
    exact = D.closed_form(signal)[j].subs(delta, shift)
    assert_no_float(exact)
    with mpmath.workdps(40):
        expected = reference_sample(signal, grid, j, shift, at)
        got = mpmath.mpf(sympy.Float(sympy.N(exact, 45), 45)._mpf_)
        assert abs(got - expected) < mpf(10) ** -30, (signal, grid, j, shift, exact)


@pytest.mark.parametrize("name", sorted(FAMILIES))
@pytest.mark.parametrize("grid", GRIDS, ids=repr)
def test_values_of_a_shifted_signal_equal_the_closed_form(name, grid):
    signal = family_signal(name)
    for D in (CellAverage(grid), PointSample(grid)):
        closed = D.closed_form(signal)
        for shift in (sympy.Rational(-5, 3), sympy.Rational(1, 7), sympy.Integer(3)):
            assert D(signal.shifted(shift)) == closed.at(shift)
        assert D(signal.shifted(delta)) == closed


def test_the_papers_pixels():
    D = CellAverage(Grid(-1, 1, 4))
    step = Signal("Heaviside(x)")
    assert D(step) == [0, 0, 1, 1]
    assert D(step.shifted(D.grid.dx / 2)) == [0, 0, sympy.Rational(1, 2), 1]


def test_closed_forms_are_readable_piecewise_on_clean_intervals():
    D = CellAverage(Grid(-1, 1, 4))
    cell = D.closed_form(Signal("Heaviside(x)"))[2]
    assert cell == sympy.Piecewise((1, delta <= 0), (1 - 2 * delta, delta <= sympy.Rational(1, 2)), (0, True))
    sample = PointSample(Grid(-1, 1, 4)).closed_form(Signal("Heaviside(x)"))[2]
    assert sample == sympy.Piecewise((1, delta < sympy.Rational(1, 4)), (0, True))


def test_periodic_grid_wraps_a_non_periodic_signal():
    D = CellAverage(Grid(-1, 1, 4, periodic=True))
    step = Signal("Heaviside(x)")
    assert D(step) == [0, 0, 1, 1]
    assert D(step.shifted(1)) == [1, 1, 0, 0]
    assert D(step.shifted(-3)) == [1, 1, 0, 0]
    assert D(step.shifted("1/4")) == [sympy.Rational(1, 2), 0, sympy.Rational(1, 2), 1]
    assert D.is_periodic_extension(step)
    assert D.closed_form(step)[0].has(sympy.Mod)


def test_periodic_signal_on_a_periodic_grid_needs_no_wrap():
    D = CellAverage(Grid(0, 1, 4, periodic=True))
    wave = Signal("sin(2*pi*x)", period=1)
    assert not D.is_periodic_extension(wave)
    assert D(wave) == [2 / sympy.pi, 2 / sympy.pi, -2 / sympy.pi, -2 / sympy.pi]
    assert not D.closed_form(wave)[0].has(sympy.Mod)


def test_a_period_that_does_not_divide_the_grid_is_refused():
    with pytest.raises(InvalidArgument, match="does not divide"):
        CellAverage(Grid(0, 1, 4, periodic=True))(Signal("sin(4*pi*x/3)", period="3/2"))


def test_signal_without_antiderivative_has_exact_integrals_and_no_closed_form():
    values = CellAverage(Grid(0, 1, 2))(Signal("exp(sin(x)*exp(x))"))
    assert all(v.has(sympy.Integral) for v in values)
    with mpmath.workdps(30):
        reference = 2 * mpmath.quad(lambda t: mpmath.exp(mpmath.sin(t) * mpmath.exp(t)), [0, mpmath.mpf(1) / 2])
        assert abs(mpmath.mpf(str(sympy.N(values[0], 30))) - reference) < mpmath.mpf(10) ** -25
    with pytest.raises(UnsupportedSignal, match="exp\\(exp\\(x\\)\\*sin\\(x\\)"):
        CellAverage(Grid(0, 1, 2)).closed_form(Signal("exp(sin(x)*exp(x))"))


def test_breakpoints_that_are_not_polynomial_roots_are_refused_clearly():
    with pytest.raises(UnsupportedSignal, match="polynomial"):
        PointSample(Grid(0, 1, 2))(Signal("Heaviside(sin(x))"))


def test_bad_discretizer_arguments():
    with pytest.raises(InvalidType, match="Grid"):
        CellAverage((0, 1, 4))
    with pytest.raises(InvalidArgument, match="at='center'"):
        PointSample(Grid(0, 1, 4), at="right")
    with pytest.raises(InvalidType, match="Signal"):
        CellAverage(Grid(0, 1, 4))(42)


def test_printing():
    assert repr(CellAverage(Grid(-1, 1, 4))) == "CellAverage(Grid(-1, 1, 4))"
    assert repr(PointSample(Grid(0, 1, 2), at="left")) == "PointSample(Grid(0, 1, 2), at='left')"
    closed = CellAverage(Grid(-1, 1, 2)).closed_form(Signal("x"))
    assert closed._repr_latex_().startswith("$\\displaystyle \\begin{aligned} \\bar{f}_{0}(\\delta) &=")


def test_string_signals_are_accepted_directly():
    assert CellAverage(Grid(0, 1, 2))("x") == [sympy.Rational(1, 4), sympy.Rational(3, 4)]
