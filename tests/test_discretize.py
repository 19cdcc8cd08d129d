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

import symequiv as se
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


# ------------------------------------------------------------ two dimensions --
#
# The reference integrates in y over the interval where every edge of the scene
# holds (written out from the edges' coefficients, not from the library), then
# in x with mpmath.quad split where that interval's ends cross the cell.

se_x, se_y = sympy.symbols("x y", real=True)


def _mp(value):
    return mpmath.mpf(sympy.N(value, 40))


SCENES_2D = {
    # name: (expression, f(x, y) in mpmath, edges (a, b, c) meaning a*x + b*y + c > 0)
    "separable product": ("sin(3*x)*exp(y/2)", lambda s, t: mpmath.sin(3 * s) * mpmath.exp(t / 2), []),
    "separable sum": ("x**2 + cos(2*y)", lambda s, t: s**2 + mpmath.cos(2 * t), []),
    "polynomial": ("x**2*y - 3*x*y**2 + 1/5", lambda s, t: s**2 * t - 3 * s * t**2 + mpf(1) / 5, []),
    "isotropic gaussian": ("exp(-(x**2 + y**2))", lambda s, t: mpmath.exp(-(s**2 + t**2)), []),
    "axis gaussian": ("exp(-2*x**2 - y**2/3)", lambda s, t: mpmath.exp(-2 * s**2 - t**2 / 3), []),
    "trig polynomial": (
        "sin(2*pi*(x + 2*y)) + cos(2*pi*(3*x - y))",
        lambda s, t: mpmath.sin(2 * mpmath.pi * (s + 2 * t)) + mpmath.cos(2 * mpmath.pi * (3 * s - t)), [],
    ),
    "rational edge": ("Heaviside(x + 2*y - 1/3)", lambda s, t: 1, [(1, 2, sympy.Rational(-1, 3))]),
    "irrational edge": (
        "Heaviside(sqrt(2)*x - pi*y + 1/7)", lambda s, t: 1, [(sympy.sqrt(2), -sympy.pi, sympy.Rational(1, 7))]
    ),
    "ramp": ("(x - y + 1/2)*Heaviside(2*x + y - 1/4)", lambda s, t: s - t + mpf(1) / 2,
             [(2, 1, sympy.Rational(-1, 4))]),
    "convex polygon": (
        "Heaviside(x + y + 1/2)*Heaviside(1/2 - x)*Heaviside(y + 1/3)*Heaviside(1 - x - 2*y)",
        lambda s, t: 1,
        [(1, 1, sympy.Rational(1, 2)), (-1, 0, sympy.Rational(1, 2)), (0, 1, sympy.Rational(1, 3)), (-1, -2, 1)],
    ),
}
CLOSED_FORM_SCENES = [name for name in SCENES_2D if name != "convex polygon"]
SHIFT_PAIRS = [(sympy.Rational(1, 8), sympy.Rational(-1, 3)), (sympy.Rational(-7, 5), sympy.Rational(5, 4)),
               (sympy.sqrt(2) / 7, -sympy.pi / 9)]


def _reference_average(name, cell, shift):
    """(1/area) * integral of the shifted scene over the cell, by mpmath quadrature."""
    _, function, edges = SCENES_2D[name]
    (a, b), (c, d) = cell
    ox, oy = (_mp(v) for v in shift)
    mp_edges = [tuple(_mp(v) for v in edge) for edge in edges]

    def interval(s):  # the y where every edge holds at x = s, within [c, d] (shifted coordinates)
        lo, hi = _mp(c), _mp(d)
        for p, q, r in mp_edges:
            value = p * (s - ox) + r  # p*(x - ox) + q*(y - oy) + r > 0
            if q == 0:
                if value <= 0:
                    return None
            elif q > 0:
                lo = max(lo, oy - value / q)
            else:
                hi = min(hi, oy - value / q)
        return (lo, hi) if lo < hi else None

    def inner(s):
        span = interval(s)
        if span is None:
            return mpf(0)
        return mpmath.quad(lambda t: function(s - ox, t - oy), span)

    breaks = {_mp(a), _mp(b)}
    for p, q, r in mp_edges:
        for bound in (_mp(c), _mp(d)):
            if p != 0:  # where the edge crosses the bound y = bound
                breaks.add(ox + (-(q * (bound - oy)) - r) / p)
    for (p1, q1, r1), (p2, q2, r2) in itertools.combinations(mp_edges, 2):
        det = p1 * q2 - p2 * q1  # where two edges cross
        if det != 0:
            breaks.add(ox + (-r1 * q2 + r2 * q1) / det)
    points = sorted(t for t in breaks if _mp(a) <= t <= _mp(b))
    return mpmath.quad(inner, points) / (_mp(b - a) * _mp(d - c))


GRID_2D = Grid((-1, "-1/2"), (1, 1), (3, 2))


@pytest.mark.parametrize("name", sorted(SCENES_2D))
@pytest.mark.parametrize("shift", SHIFT_PAIRS, ids=str)
def test_2d_cell_averages_match_quadrature(name, shift):
    D = CellAverage(GRID_2D)
    scene = Signal(SCENES_2D[name][0])
    values = D(scene.shifted(shift))
    ex, ey = GRID_2D.edges
    with mpmath.workdps(30):
        for i in range(3):
            for j in range(2):
                expected = _reference_average(name, ((ex[i], ex[i + 1]), (ey[j], ey[j + 1])), shift)
                assert abs(_mp(values[i, j]) - expected) < mpf(10) ** -20, (name, i, j)


@pytest.mark.parametrize("name", CLOSED_FORM_SCENES)
def test_2d_closed_forms_equal_the_values_at_every_shift(name):
    D = CellAverage(GRID_2D)
    scene = Signal(SCENES_2D[name][0])
    form = D.closed_form(scene)
    assert form.variable == (se.delta_x, se.delta_y) and form.shape == (3, 2)
    for shift in SHIFT_PAIRS:
        at, direct = form.at(shift), D(scene.shifted(shift))
        for a, b in zip(at.flat, direct.flat):
            assert abs(_mp(a - b)) < mpf(10) ** -30


def test_an_oriented_edge_has_a_truncated_quadratic_at_each_corner():
    D = CellAverage(Grid((0, 0), (1, 1), (1, 1)))
    form = D.closed_form("Heaviside(x + y - 1)")[0, 0]  # the upper triangle of the unit square
    assert form.subs({se.delta_x: 0, se.delta_y: 0}) == sympy.Rational(1, 2)
    assert form.subs({se.delta_x: -1, se.delta_y: -1}) == 1  # the edge moved down-left: the square is all inside
    assert form.subs({se.delta_x: 1, se.delta_y: 1}) == 0  # and up-right: none of it
    assert form.subs({se.delta_x: sympy.Rational(1, 2), se.delta_y: 0}) == sympy.Rational(1, 8)
    assert form.atoms(sympy.Piecewise) and not form.atoms(sympy.Heaviside)


def test_periodic_scenes_on_periodic_grids_wrap_along_each_axis():
    grid = Grid((0, 0), (1, 1), (4, 2), periodic=True)
    D = CellAverage(grid)
    edge = Signal("Heaviside(x + y - 1/2)")  # not periodic: read on the square and repeated
    whole = D(edge)
    rolled = D(edge.shifted((sympy.Rational(1, 4), sympy.Rational(1, 2))))  # one cell along each axis
    assert rolled == [[whole[(i - 1) % 4, (j - 1) % 2] for j in range(2)] for i in range(4)]
    form = D.closed_form(edge)
    assert form.at((sympy.Rational(5, 4), sympy.Rational(3, 2))) == rolled  # a whole period further
    trig = Signal("sin(2*pi*x)*cos(2*pi*y)", period=(1, 1))
    assert D(trig.shifted((1, 1))) == D(trig)
    region = Signal("Heaviside(x - y)*Heaviside(y - 1/4)*Heaviside(3/4 - x)")
    assert D(region.shifted((sympy.Rational(1, 4), 0))) == [
        [D(region)[(i - 1) % 4, j] for j in range(2)] for i in range(4)
    ]


def test_point_samples_in_2d_read_the_scene_at_the_moved_points():
    grid = Grid((0, 0), (1, 1), (2, 2))
    P = PointSample(grid)
    assert P("x + 10*y") == [[sympy.Rational(1, 4) + 10 * sympy.Rational(1, 4), sympy.Rational(1, 4) + 10 * sympy.Rational(3, 4)],
                             [sympy.Rational(3, 4) + 10 * sympy.Rational(1, 4), sympy.Rational(3, 4) + 10 * sympy.Rational(3, 4)]]
    assert PointSample(grid, at="left")("Heaviside(x + y - 1/2)") == [[0, 0], [0, 1]]
    form = P.closed_form("x*y")
    assert form.at(("1/4", "1/2")) == P(Signal("x*y").shifted(("1/4", "1/2")))


def test_a_scene_without_an_exact_route_has_exact_integrals_and_no_closed_form():
    D = CellAverage(Grid((-1, -1), (1, 1), (2, 2)))
    disk = Signal("Heaviside(1 - x**2 - y**2)")
    values = D(disk)
    assert all(v.has(sympy.Integral) for v in values.flat)
    integral = values[0, 0].atoms(sympy.Integral).pop()
    assert integral.limits == ((se.y, -1, 0), (se.x, -1, 0)) and integral.function == disk.expr
    with pytest.raises(UnsupportedSignal, match="No closed form in delta_x, delta_y"):
        D.closed_form(disk)
    with pytest.raises(UnsupportedSignal, match="convex region"):
        D.closed_form(SCENES_2D["convex polygon"][0])


def test_channels_stack_along_a_first_axis():
    D = CellAverage(Grid((0, 0), (1, 1), (2, 2)))
    rgb = D(("1", "x", "Heaviside(y - 1/2)"))
    assert rgb.shape == (3, 2, 2) and rgb[0] == [[1, 1], [1, 1]] and rgb[2] == [[0, 1], [0, 1]]
    assert D.closed_form(("x", "y")).shape == (2, 2, 2)
    assert CellAverage(Grid(0, 1, 2))(("x", "1")) == [[sympy.Rational(1, 4), sympy.Rational(3, 4)], [1, 1]]


def test_dimensions_must_agree():
    with pytest.raises(InvalidArgument, match="depends on y.*one-dimensional"):
        CellAverage(Grid(0, 1, 4))("x*y")
    with pytest.raises(InvalidArgument, match="empty"):
        CellAverage(Grid(0, 1, 4))(())
    assert CellAverage(Grid((0, 0), (1, 1), (2, 1)))("x") == [[sympy.Rational(1, 4)], [sympy.Rational(3, 4)]]
