"""Tests of symequiv.strategies: valid objects, small shrunk examples, and an end-to-end property."""

import ast
import inspect

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

import symequiv as se
from symequiv import strategies
from symequiv.numeric.budget import time_budget
from symequiv.errors import InvalidArgument
from symequiv.discrete.layers import (
    PADDINGS,
    Conv,
    Identity,
    LeakyReLU,
    ReLU,
    Sequential,
    Tanh,
)
from symequiv.numeric.numbers import to_mpmath
from symequiv.strategies import (
    SIGNAL_FAMILIES,
    activations,
    discretizers,
    grids,
    kernels,
    layers,
    minimal,
    scenes,
    shifts,
    signals,
)
from symequiv.continuous import scene
from symequiv.continuous.symbols import x, y

R = sympy.Rational


def conv_blocks(layer):
    return [block for block in layer.layers if isinstance(block, Conv)]


# --- grids -------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(grid=grids())
def test_grids_are_small_and_exact_by_default(grid):
    assert isinstance(grid, se.Grid)
    assert 1 <= grid.n <= 8
    assert grid.start.is_Rational and grid.stop.is_Rational
    assert -2 <= grid.start < grid.stop <= 2
    assert grid.dx == (grid.stop - grid.start) / grid.n


@settings(max_examples=50, deadline=None)
@given(data=st.data(), periodic=st.sampled_from([True, False]))
def test_grids_follow_their_options(data, periodic):
    grid = data.draw(grids(periodic=periodic, min_cells=3, max_cells=5, bounds=("-1/3", 7)))
    assert grid.periodic is periodic
    assert 3 <= grid.n <= 5
    assert R(-1, 3) <= grid.start < grid.stop <= 7


def test_grids_fit_narrow_and_awkward_bounds():
    assert minimal(grids(bounds=(R(1, 7), R(2, 7)))) == se.Grid(R(1, 7), R(2, 7), 4)
    assert minimal(grids(bounds=(1, 5))) == se.Grid(1, 2, 4)
    assert minimal(grids(bounds=(-5, -3), min_cells=1)) == se.Grid(-4, -3, 1)


def test_grids_with_periodic_none_draw_both_kinds():
    assert not minimal(grids()).periodic
    assert minimal(grids(), lambda grid: grid.periodic) == se.Grid(0, 1, 1, periodic=True)


def test_non_periodic_grids_have_room_for_a_sub_cell_shift_by_default():
    # On fewer than 4 cells CubicShift leaves no cell of a non-periodic grid to compare.
    with pytest.raises(NoSuchExample):
        minimal(grids(), lambda grid: not grid.periodic and grid.n < strategies.OPEN_MIN_CELLS)
    assert minimal(grids(max_cells=2), lambda grid: not grid.periodic) == se.Grid(0, 1, 2)
    assert minimal(grids(min_cells=1), lambda grid: not grid.periodic and grid.n < 4) == se.Grid(0, 1, 1)


# --- shifts ------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(grid=grids(), data=st.data())
def test_sub_cell_shifts_are_never_whole_cells(grid, data):
    d = data.draw(shifts(grid, kind="sub-cell"))
    assert d.is_Rational
    assert not grid.cells_of_shift(d).is_integer
    assert abs(grid.cells_of_shift(d)) < 2 * grid.n + 1


@settings(max_examples=80, deadline=None)
@given(grid=grids(), data=st.data())
def test_whole_cell_shifts_are_whole_cells(grid, data):
    d = data.draw(shifts(grid, kind="whole-cell"))
    assert d.is_Rational
    m = grid.cells_of_shift(d)
    assert m.is_Integer and abs(m) <= 2 * grid.n + 1


@settings(max_examples=80, deadline=None)
@given(grid=grids(), data=st.data())
def test_mixed_shifts_are_exact_multiples_of_simple_fractions_of_a_cell(grid, data):
    d = data.draw(shifts(grid))
    cells = grid.cells_of_shift(d)
    assert d.is_Rational and cells.is_Rational
    assert any(q % cells.q == 0 for q in (16, 3, 5, 7, 100))  # simple fractions p/q of a cell


@pytest.mark.parametrize("periodic, beyond", [(True, False), (False, True), (True, True)])
def test_shifts_reach_negative_values_and_beyond_the_domain(periodic, beyond):
    grid = se.Grid(0, 1, 4, periodic=periodic)
    assert minimal(shifts(grid, kind="sub-cell", beyond=beyond), lambda d: d < 0) == -grid.dx / 2
    assert minimal(shifts(grid, kind="sub-cell", beyond=beyond), lambda d: d > grid.length) == R(9, 8)
    assert minimal(shifts(grid, kind="sub-cell", beyond=beyond), lambda d: d < -grid.length) == R(-9, 8)
    assert minimal(shifts(grid, kind="whole-cell", beyond=beyond), lambda d: d < -grid.length) == R(-5, 4)
    assert minimal(shifts(grid, beyond=beyond), lambda d: not grid.cells_of_shift(d).is_integer) == grid.dx / 2


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7])
def test_shifts_on_a_non_periodic_grid_stay_where_cells_are_left_to_compare(n):
    grid = se.Grid(0, 1, n)
    whole = shifts(grid, kind="whole-cell")
    assert minimal(whole, lambda d: d > 0 or n == 1) == (grid.dx if n > 1 else 0)
    with pytest.raises(NoSuchExample):
        minimal(whole, lambda d: abs(d) >= grid.length)  # a whole domain away: nothing left
    if n == 1:
        with pytest.raises(InvalidArgument, match="no cell to compare"):
            shifts(grid, kind="sub-cell")
        assert minimal(shifts(grid), lambda d: True) == 0
        return
    largest, smallest = (n - 3, -(n - 2)) if n >= 4 else (n - 2, -(n - 1))
    sub = shifts(grid, kind="sub-cell")
    with pytest.raises(NoSuchExample):
        minimal(sub, lambda d: not smallest <= sympy.floor(grid.cells_of_shift(d)) <= largest)
    assert sympy.floor(grid.cells_of_shift(minimal(sub, lambda d: d > (largest + R(1, 2)) * grid.dx))) == largest


def test_shifts_work_on_grids_with_irrational_cells():
    grid = se.Grid(0, "2*pi", 4, periodic=True)
    assert minimal(shifts(grid, kind="sub-cell")) == sympy.pi / 4


# --- kernels, activations, layers --------------------------------------------


@settings(max_examples=80, deadline=None)
@given(pair=kernels(min_size=2, max_size=5))
def test_kernels_are_exact_nonzero_with_an_origin_inside(pair):
    kernel, origin = pair
    assert 2 <= len(kernel) <= 5
    assert all(isinstance(w, sympy.Rational) for w in kernel)
    assert any(w != 0 for w in kernel)
    assert 0 <= origin < len(kernel)
    Conv(kernel, origin=origin)  # accepted as it is


@settings(max_examples=30, deadline=None)
@given(pair=kernels(values=st.sampled_from([0, 0.5, -1])))
def test_kernels_take_their_weights_from_values(pair):
    kernel, _ = pair
    assert set(kernel) <= {0, R(1, 2), -1}
    assert all(isinstance(w, sympy.Rational) for w in kernel)  # 0.5 read exactly


@settings(max_examples=50, deadline=None)
@given(activation=activations())
def test_activations(activation):
    assert isinstance(activation, (Identity, ReLU, LeakyReLU, Tanh))
    if isinstance(activation, LeakyReLU):
        assert activation.a.is_Rational and 0 < activation.a < 1


@settings(max_examples=60, deadline=None)
@given(layer=layers(), data=st.data())
def test_layers_are_conv_then_activation_blocks(layer, data):
    assert isinstance(layer, Sequential)
    blocks = layer.layers
    assert len(blocks) in (2, 4)
    assert all(isinstance(b, Conv) for b in blocks[::2])
    assert all(isinstance(b, (Identity, ReLU, LeakyReLU, Tanh)) for b in blocks[1::2])
    # Long enough for "valid" padding twice with kernels of length 3.
    values = data.draw(st.lists(st.integers(-3, 3), min_size=5, max_size=8))
    out = layer(values)
    assert out.is_exact and len(out) == len(layer.output_positions(len(values)))


@settings(max_examples=40, deadline=None)
@given(layer=layers(padding="circular", mode="correlation", max_depth=1, max_kernel_size=2))
def test_layers_with_fixed_options(layer):
    (conv,) = conv_blocks(layer)
    assert conv.padding == "circular" and conv.mode == "correlation"
    assert len(conv.kernel) <= 2


@settings(max_examples=40, deadline=None)
@given(layer=layers(padding=["zeros", "edge"]))
def test_layers_draw_from_the_listed_paddings(layer):
    assert {conv.padding for conv in conv_blocks(layer)} <= {"zeros", "edge"}


def test_layers_use_every_padding():
    for padding in PADDINGS:
        minimal(layers(), lambda layer, p=padding: conv_blocks(layer)[0].padding == p)


# --- signals -----------------------------------------------------------------

FAMILY_MARKS = {
    "polynomial": lambda e: e.is_polynomial(x),
    "trigonometric": lambda e: e.has(sympy.sin, sympy.cos) and not e.has(sympy.exp),
    "exponential": lambda e: {sympy.degree(a.args[0], x) for a in e.atoms(sympy.exp)} == {1},
    "gaussian": lambda e: {sympy.degree(a.args[0], x) for a in e.atoms(sympy.exp)} == {2},
    "step": lambda e: e.has(sympy.Heaviside),
    "ramp": lambda e: e.has(sympy.Max) and not e.has(sympy.Abs),
    "box": lambda e: e.has(sympy.Piecewise),
    "hat": lambda e: e.has(sympy.Max) and e.has(sympy.Abs),
}


def assert_exact_signal(signal):
    assert isinstance(signal, se.Signal)
    assert not signal.expr.atoms(sympy.Float)
    assert signal.expr.free_symbols <= {x}


@pytest.mark.parametrize("family", SIGNAL_FAMILIES)
def test_each_family_draws_its_shape(family):
    @settings(max_examples=15, deadline=None)
    @given(signal=signals(families=family, max_terms=1))
    def check(signal):
        assert_exact_signal(signal)
        assert FAMILY_MARKS[family](signal.expr), signal

    check()


@settings(max_examples=25, deadline=None)
@given(grid=grids(), signal=signals())
def test_drawn_signals_have_closed_forms_quickly(grid, signal):
    assert_exact_signal(signal)
    with time_budget(10, f"the closed forms of {signal} on {grid}"):
        for D in (se.CellAverage(grid), se.PointSample(grid)):
            closed = D.closed_form(signal)
            assert len(closed) == grid.n
            assert not any(e.atoms(sympy.Float) for e in closed)


@settings(max_examples=30, deadline=None)
@given(grid=grids(periodic=True, max_cells=6), data=st.data())
def test_periodic_signals_have_their_declared_period(grid, data):
    k = data.draw(st.integers(1, 2), label="periods per domain")
    period = grid.length / k
    signal = data.draw(signals(periodic_period=period, max_terms=3))
    assert_exact_signal(signal)
    assert signal.period == period
    # f(x + L) = f(x) exactly ...
    assert sympy.expand(signal.expr.subs(x, x + period) - signal.expr) == 0
    # ... and on the grid: moving it by its period changes no cell (cos(15*pi/7) is
    # cos(pi/7), which sympy does not see, so the values are compared at 50 digits).
    D = se.CellAverage(grid)
    with mpmath.workdps(50):
        for moved, still in zip(D(signal.shifted(period)), D(signal)):
            assert abs(to_mpmath(moved) - to_mpmath(still)) < mpmath.mpf(10) ** -45
    assert not D.is_periodic_extension(signal)


def test_signals_accept_an_irrational_period():
    signal = minimal(signals(periodic_period="2*pi"))
    assert signal == se.Signal("sin(x)", period="2*pi")


@settings(max_examples=30, deadline=None)
@given(signal=signals(bounds=(5, 6), families=["step", "box", "hat"]))
def test_signal_features_lie_in_bounds(signal):
    # Steps and box edges start in [5, 6], hats are centred there and at most 2 wide.
    assert signal(-10) == signal(R(29, 10)) == 0
    assert signal(R(81, 10)) == signal(20)


# --- discretizers ------------------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(grid=grids(), data=st.data())
def test_discretizers(grid, data):
    D = data.draw(discretizers(grid))
    assert D in (se.CellAverage(grid), se.PointSample(grid), se.PointSample(grid, at="left"))
    assert D.grid is grid


# --- shrinking -----------------------------------------------------------------


@pytest.mark.parametrize(
    "strategy, expected",
    [
        (grids(), se.Grid(0, 1, 4)),
        (grids(min_cells=1), se.Grid(0, 1, 1)),
        (grids(periodic=True), se.Grid(0, 1, 1, periodic=True)),
        (shifts(se.Grid(0, 1, 4)), 0),
        (shifts(se.Grid(0, 1, 4), kind="whole-cell"), 0),
        (shifts(se.Grid(0, 1, 4), kind="sub-cell"), R(1, 8)),
        (kernels(), ([1], 0)),
        (activations(), Identity()),
        (layers(), Conv([1]) >> Identity()),
        (signals(), se.Signal("1")),
        (signals(periodic_period=R(1, 2)), se.Signal("sin(4*pi*x)", period=R(1, 2))),
        (discretizers(se.Grid(0, 1, 2)), se.CellAverage(se.Grid(0, 1, 2))),
        (grids(dim=2), se.Grid((0, 0), (1, 1), (4, 4))),
        (shifts(se.Grid((0, 0), (1, 1), (4, 4))), (0, 0)),
        (shifts(se.Grid((0, 0), (1, 1), (4, 4)), kind="sub-cell"), (R(1, 8), 0)),
        (kernels(dim=2), ([[1]], (0, 0))),
        (layers(dim=2), Conv([[1]]) >> Identity()),
        (layers(dim=2, channels=2), Conv([[[[0]], [[1]]]]) >> Identity()),
        (scenes(), se.Signal("1")),
        (scenes(periodic_period=(1, 2)), se.Signal("sin(2*pi*x)", period=(1, 2))),
        (discretizers(se.Grid((0, 0), (1, 1), (2, 2))), se.CellAverage(se.Grid((0, 0), (1, 1), (2, 2)))),
    ],
    ids=repr,
)
def test_each_strategy_shrinks_to_its_simplest_object(strategy, expected):
    assert minimal(strategy) == expected


@pytest.mark.parametrize(
    "strategy, condition, expected",
    [
        (grids(), lambda g: g.n >= 5, "Grid(0, 1, 5)"),
        (grids(), lambda g: g.length > 1, "Grid(0, 2, 4)"),
        (grids(), lambda g: g.start < 0, "Grid(-1, 0, 4)"),
        (kernels(), lambda pair: pair[0][0] < 0, "([-1], 0)"),
        (activations(), lambda a: a([-1]) == [0], "ReLU()"),
        (layers(padding="zeros"), lambda layer: layer([1, 2, 3]) == [2, 3, 4], "Sequential(Conv([1], bias=1), Identity())"),
        (layers(padding="edge"), lambda layer: layer([1, 2, 3]) == [0, 0, 0], "Sequential(Conv([-1], padding='edge'), ReLU())"),
        (signals(), lambda f: f.expr.has(x), "Signal('x')"),
        (signals(), lambda f: f.expr.has(sympy.Heaviside), "Signal('Heaviside(x, 0)')"),
        (signals(), lambda f: len(f.expr.args) == 2 and f.expr.is_Add, "Signal('x + 1')"),
        (scenes(), lambda f: f.dim == 2, "Signal('y')"),
        (scenes(), lambda f: f.expr.has(sympy.Heaviside), "Signal('Heaviside(y, 0)')"),  # H(y) = 1 * H(y)
        (scenes(), lambda f: bool(scene.scene_terms(f.expr)) and isinstance(scene.scene_terms(f.expr)[0], scene.Edge),
         "Signal('Heaviside(x + y, 0)')"),
        (scenes(families="ramp"), lambda f: True, "Signal('(x + y)*Heaviside(x + y, 0)')"),
        (scenes(families="wave"), lambda f: True, "Signal('sin(x + y)')"),
        (scenes(families="polygon"), lambda f: len(f.expr.atoms(sympy.Heaviside)) == 4,  # a diamond
         "Signal('Heaviside(-x - y + 1, 0)*Heaviside(-x + y + 1, 0)*Heaviside(x - y + 1, 0)*Heaviside(x + y + 1, 0)')"),
        (scenes(families="separable"), lambda f: f.dim == 2 and not f.expr.is_polynomial(x, y), "Signal('sin(y)')"),
    ],
)
def test_minimal_examples_of_simple_predicates_read_well(strategy, condition, expected):
    assert repr(minimal(strategy, condition)) == expected


def test_failing_properties_report_small_examples():
    # What a user sees when a property fails: the shrunk grid, shift and layer.
    grid = minimal(grids(periodic=True), lambda g: g.n >= 2)
    d = minimal(shifts(grid, kind="sub-cell"))
    layer = minimal(layers(padding="circular"), lambda layer: layer([1, 0]) != [1, 0])
    assert (grid, d) == (se.Grid(0, 1, 2, periodic=True), R(1, 4))
    assert len(repr(layer)) < 60, layer


def test_minimal_is_repeatable():
    assert len({repr(minimal(signals(), lambda f: f(1) > 2)) for _ in range(3)}) == 1


# --- the strategies together -----------------------------------------------------


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(grid=grids(periodic=True, max_cells=6), data=st.data())
def test_circular_layers_are_proved_equivariant_to_whole_cell_shifts(grid, data):
    D = data.draw(discretizers(grid), label="D")
    f = data.draw(st.one_of(signals(periodic_period=grid.length), signals()), label="f")
    layer = data.draw(layers(padding="circular"), label="layer")
    m = int(grid.cells_of_shift(data.draw(shifts(grid, kind="whole-cell"), label="d")))
    verdict = se.check_integer_shift(D, f, m, layer)
    assert verdict.holds is True and verdict.method == "symbolic", verdict


# Shrunk examples the property above once found (regression cases). The residuals
# are 0, but sympy keeps cos(15*pi/7) apart from cos(pi/7): symequiv.numeric.exact.is_zero
# must prove (1) a coefficient (here of 1/pi) with pi inside an algebraic number
# zero, and (2) tanh(a) - tanh(b) zero where a - b is such a zero.
@pytest.mark.parametrize(
    "D, f, m, op",
    [
        (
            se.CellAverage(se.Grid(-2, "3/2", 2, periodic=True)),
            se.Signal("sin(4*pi*x/7)", period="7/2"),
            1,
            Conv([1], padding="circular"),
        ),
        (
            se.PointSample(se.Grid(-1, "7/4", 1, periodic=True), at="left"),
            se.Signal("cos(24*pi*x/11)", period="11/4"),
            1,
            Conv([1], padding="circular"),
        ),
        (
            se.CellAverage(se.Grid(-1, "5/4", 2, periodic=True)),
            se.Signal("sin(8*pi*x/9)", period="9/4"),
            -1,
            Conv([1], padding="circular") >> Tanh(),
        ),
    ],
    ids=["pi-in-coefficient", "point-sample", "tanh-of-equal-arguments"],
)
def test_whole_cell_shifts_are_proved_when_an_angle_passes_two_pi(D, f, m, op):
    verdict = se.check_integer_shift(D, f, m, op)
    assert verdict.holds is True and verdict.method == "symbolic", verdict


# --- the defaults give inputs the checker accepts ---------------------------------


def _discrete_shifts(grid, d):
    """The discrete shifts the module docstring promises the checker accepts at d."""
    chosen = [se.LinearShift()]
    if grid.periodic or grid.n >= strategies.OPEN_MIN_CELLS:
        chosen.append(se.CubicShift())
    if grid.cells_of_shift(d).is_integer:
        chosen.append(se.IntegerShift())
    if grid.periodic:
        chosen.append(se.FourierShift())
    return chosen


@settings(max_examples=12, deadline=None)
@given(grid=grids(), data=st.data())
def test_default_strategies_draw_inputs_the_checker_accepts(grid, data):
    # Before: shifts on a non-periodic grid reached past its end, and 1- to 3-cell
    # non-periodic grids had no cell left to compare ("Every output cell is reached
    # by the boundary"): the checker refused them.
    D = data.draw(discretizers(grid), label="D")
    f = data.draw(signals(), label="f")
    d = data.draw(shifts(grid), label="d")
    with time_budget(120, f"the checks of {f!r} on {grid!r} at d = {d}"):
        for g in _discrete_shifts(grid, d):
            verdict = se.check_commutation(D, f, d, g)
            assert verdict.holds in (True, False, None) and verdict.cells, (g, verdict)
        n = int(grid.cells_of_shift(data.draw(shifts(grid, kind="whole-cell"), label="whole")))
        assert se.check_integer_shift(D, f, n).cells
        if grid.periodic:
            layer = data.draw(layers(padding="circular"), label="circular layer")
            assert se.check_commutation(D, f, d, se.LinearShift(), layer).cells
            assert se.check_integer_shift(D, f, n, layer).holds is True


@settings(max_examples=15, deadline=None)
@given(grid=grids(), data=st.data())
def test_shifts_drawn_for_a_layer_leave_cells_to_compare(grid, data):
    # Before: a layer from layers() read padding (or shortened the grid) so that about a
    # third of the shifts from shifts(grid) left no cell to compare, and the checker refused.
    D = data.draw(discretizers(grid), label="D")
    f = data.draw(signals(families="polynomial", max_terms=1), label="f")
    layer = data.draw(layers(), label="layer")
    d = data.draw(shifts(grid, op=layer), label="d")
    n = int(grid.cells_of_shift(data.draw(shifts(grid, kind="whole-cell", op=layer), label="whole")))
    with time_budget(120, f"the checks of {layer!r} on {grid!r} at d = {d}"):
        assert se.check_commutation(D, f, d, se.LinearShift(), layer).cells
        if grid.cells_of_shift(d).is_integer:
            assert se.check_commutation(D, f, d, se.IntegerShift(), layer).cells
        assert se.check_integer_shift(D, f, n, layer).cells


def test_a_layer_that_reads_padding_everywhere_gets_no_shift():
    edge = Conv([2, -2], origin=1, bias=-1) >> ReLU()
    assert repr(shifts(se.Grid(0, 1, 1), op=edge)) == "nothing()"
    with pytest.raises(InvalidArgument, match="padding='valid' needs at least 3 values"):
        se.check_integer_shift(se.CellAverage(se.Grid(0, 1, 2)), se.Signal("x"), 0, Conv([1, 1, 1], padding="valid"))
    assert repr(shifts(se.Grid(0, 1, 2), op=Conv([1, 1, 1], padding="valid"))) == "nothing()"
    # On 4 cells output 3 reads the padding: a shift by -2 cells still leaves cell 0 (it reads
    # inputs 2 and 3), by -3 none.
    grid = se.Grid(0, 1, 4)
    assert minimal(shifts(grid, kind="whole-cell", op=edge), lambda d: d < -grid.dx) == -2 * grid.dx
    with pytest.raises(NoSuchExample):
        minimal(shifts(grid, kind="whole-cell", op=edge), lambda d: d < -2 * grid.dx)
    with pytest.raises(InvalidArgument, match="Every output cell"):
        se.check_integer_shift(se.CellAverage(grid), se.Signal("x"), -3, edge)


def test_a_shift_past_the_end_of_a_grid_was_what_the_checker_refused():
    # The input the old default shifts(grid) drew first beyond the domain: refused.
    grid = se.Grid(0, 1, 4)
    with pytest.raises(InvalidArgument, match="nothing is left to compare"):
        se.check_commutation(se.CellAverage(grid), se.Signal("x"), R(9, 8), se.LinearShift())
    with pytest.raises(NoSuchExample):
        minimal(shifts(grid), lambda d: d > grid.length)


# --- two dimensions: grids -------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(grid=grids(dim=2))
def test_2d_grids_are_small_and_exact_by_default(grid):
    assert grid.dim == 2 and all(1 <= n <= 4 for n in grid.shape)
    for axis, periodic in zip(grid.axes, grid.periodic):
        assert axis.start.is_Rational and axis.stop.is_Rational
        assert -2 <= axis.start < axis.stop <= 2
        assert periodic or axis.n == strategies.OPEN_MIN_CELLS  # room for CubicShift along an open axis


@settings(max_examples=50, deadline=None)
@given(data=st.data(), periodic=st.sampled_from([True, False, (True, False), (None, True)]))
def test_2d_grids_follow_their_options(data, periodic):
    grid = data.draw(grids(dim=2, periodic=periodic, min_cells=2, max_cells=3, bounds=((0, 1), ("-1/2", 3))))
    wanted = periodic if isinstance(periodic, tuple) else (periodic, periodic)
    assert all(w is None or p is w for p, w in zip(grid.periodic, wanted))
    assert all(2 <= n <= 3 for n in grid.shape)
    assert 0 <= grid.start[0] < grid.stop[0] <= 1 and R(-1, 2) <= grid.start[1] < grid.stop[1] <= 3


def test_2d_grids_shrink_axis_by_axis():
    assert minimal(grids(dim=2, periodic=True)) == se.Grid((0, 0), (1, 1), (1, 1), periodic=True)
    assert minimal(grids(dim=2, min_cells=1, max_cells=2)) == se.Grid((0, 0), (1, 1), (1, 1))
    assert minimal(grids(dim=2), lambda g: any(g.periodic)) == se.Grid((0, 0), (1, 1), (4, 1), periodic=(False, True))
    assert minimal(grids(dim=2, periodic=True), lambda g: g.length[1] > 1) == se.Grid(
        (0, 0), (1, 2), (1, 1), periodic=True
    )
    assert minimal(grids(dim=2, max_cells=8), lambda g: g.shape[1] > 4) == se.Grid((0, 0), (1, 1), (4, 5))


# --- two dimensions: shifts ------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(grid=grids(dim=2), data=st.data())
def test_2d_shifts_are_exact_pairs_of_the_kind_asked_for(grid, data):
    whole = grid.cells_of_shift(data.draw(shifts(grid, kind="whole-cell"), label="whole"))
    assert all(m.is_Integer for m in whole)
    sub = grid.cells_of_shift(data.draw(shifts(grid, kind="sub-cell"), label="sub"))
    assert all(s.is_Rational for s in sub) and not all(s.is_Integer for s in sub)
    mixed = data.draw(shifts(grid), label="mixed")
    assert isinstance(mixed, tuple) and len(mixed) == 2 and all(c.is_Rational for c in mixed)
    for cells, axis in zip(grid.cells_of_shift(mixed), grid.axes):
        # each component stays where cells are left to compare along its axis
        assert abs(cells) <= (2 * axis.n + 1 if axis.periodic else axis.n - 1)


def test_2d_shifts_shrink_to_small_pairs():
    grid = se.Grid((0, 0), (1, "1/2"), (4, 4))  # dx = 1/4, dy = 1/8
    assert minimal(shifts(grid)) == (0, 0)
    assert minimal(shifts(grid, kind="sub-cell")) == (R(1, 8), 0)
    assert minimal(shifts(grid, kind="whole-cell"), lambda d: d[1] < 0) == (0, R(-1, 8))
    assert minimal(shifts(grid), lambda d: not grid.cells_of_shift(d)[1].is_integer) == (0, R(1, 16))
    # on an open axis of 4 cells a whole-cell shift stays within 3 cells
    with pytest.raises(NoSuchExample):
        minimal(shifts(grid, kind="whole-cell"), lambda d: abs(d[0]) >= 1)


def test_2d_sub_cell_shifts_go_along_an_axis_that_has_them():
    # A one-cell open axis has no sub-cell shift: the other axis takes it.
    grid = se.Grid((0, 0), (1, 1), (1, 4))
    assert minimal(shifts(grid, kind="sub-cell")) == (0, R(1, 8))
    with pytest.raises(NoSuchExample):
        minimal(shifts(grid, kind="sub-cell"), lambda d: d[0] != 0)
    with pytest.raises(InvalidArgument, match="has 1 cell along each non-periodic axis"):
        shifts(se.Grid((0, 0), (1, 1), (1, 1)), kind="sub-cell")


def test_2d_shifts_for_a_layer_keep_a_cell_to_compare():
    # y[i, j] = 2 b[i+1, j] - 2 b[i, j] - 1 on 4 x 4 cells: row 3 reads the zero padding, so a
    # shift by -2 cells along x still leaves row 0 (it reads rows 2 and 3 of the input), by -3 none.
    grid = se.Grid((0, 0), (1, 1), (4, 4))
    edge = se.Conv([[2], [-2]], origin=(1, 0), bias=-1) >> se.ReLU()
    whole = shifts(grid, kind="whole-cell", op=edge)
    assert minimal(whole, lambda d: d[0] < -grid.dx[0]) == (-2 * grid.dx[0], 0)
    with pytest.raises(NoSuchExample):
        minimal(whole, lambda d: d[0] < -2 * grid.dx[0])
    D, f = se.CellAverage(grid), se.Signal("x*y")
    assert se.check_integer_shift(D, f, (-2, 3), edge).cells
    with pytest.raises(InvalidArgument, match="Every output cell"):
        se.check_integer_shift(D, f, (-3, 0), edge)
    assert minimal(shifts(grid, kind="sub-cell", op=edge)) == (R(1, 8), 0)


def test_2d_shifts_for_layers_that_cannot_be_compared_or_do_not_fit():
    grid = se.Grid((0, 0), (1, 1), (2, 2))
    assert repr(shifts(grid, op=Conv([[1, 1]], padding="valid"))) == "nothing()"  # the image shrinks
    with pytest.raises(InvalidArgument, match="has a 1-D kernel but Grid"):
        shifts(grid, op=Conv([1, -1]))
    with pytest.raises(InvalidArgument, match="has a 2-D kernel but Grid"):
        shifts(se.Grid(0, 1, 4), op=Conv([[1, -1]]))
    with pytest.raises(InvalidArgument, match="at most 1024 cells"):
        shifts(se.Grid((0, 0), (1, 1), (64, 64)), op=Identity())
    # channels: the input's channels come from the first Conv's weights
    mix = Conv([[[[1]], [[1]]]], padding="circular")
    ring = se.Grid((0, 0), (1, 1), (2, 2), periodic=True)
    assert minimal(shifts(ring, op=mix), lambda d: d[0] < 0 and d[1] > 0) == (R(-1, 2), R(1, 2))


# --- two dimensions: kernels and layers -------------------------------------------


@settings(max_examples=60, deadline=None)
@given(pair=kernels(dim=2, min_size=2, max_size=3), image=st.lists(st.integers(-2, 2), min_size=9, max_size=9))
def test_2d_kernels_are_nested_exact_nonzero_with_an_origin_inside(pair, image):
    kernel, origin = pair
    assert 2 <= len(kernel) <= 3 and len({len(row) for row in kernel}) == 1 and 2 <= len(kernel[0]) <= 3
    weights = [w for row in kernel for w in row]
    assert all(isinstance(w, sympy.Rational) for w in weights) and any(w != 0 for w in weights)
    assert isinstance(origin, tuple) and 0 <= origin[0] < len(kernel) and 0 <= origin[1] < len(kernel[0])
    conv = Conv(kernel, origin=origin)
    assert conv.dim == 2 and conv([image[:3], image[3:6], image[6:]]).shape == (3, 3)


@settings(max_examples=30, deadline=None)
@given(pair=kernels(dim=2, channels=(2, 3), max_size=2))
def test_kernels_with_channels_have_pytorchs_layout(pair):
    kernel, origin = pair
    assert len(kernel) == 2 and all(len(inputs) == 3 for inputs in kernel)
    assert len({(len(k), len(k[0])) for inputs in kernel for k in inputs}) == 1
    assert Conv(kernel, origin=origin).channels == (2, 3)


def test_1d_kernels_with_channels_shrink_to_one_weight():
    kernel, origin = minimal(kernels(channels=(1, 2)))
    assert (kernel, origin) == ([[[0], [1]]], 0) and Conv(kernel).channels == (1, 2)


@settings(max_examples=40, deadline=None)
@given(layer=layers(dim=2), data=st.data())
def test_2d_layers_map_images_to_images_without_valid_padding(layer, data):
    convs = conv_blocks(layer)
    assert all(conv.dim == 2 and conv.padding in ("zeros", "circular", "edge") for conv in convs)
    shape = (data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4)))
    image = data.draw(st.lists(st.lists(st.integers(-3, 3), min_size=shape[1], max_size=shape[1]),
                               min_size=shape[0], max_size=shape[0]))
    out = layer(image)
    assert out.is_exact and out.shape == shape


@settings(max_examples=40, deadline=None)
@given(layer=layers(dim=2, channels=2, max_channels=3), image=st.integers(-2, 2))
def test_2d_layers_with_channels_chain_their_channels(layer, image):
    convs = conv_blocks(layer)
    assert convs[0].channels[1] == 2 and all(1 <= conv.channels[0] <= 3 for conv in convs)
    assert all(a.channels[0] == b.channels[1] for a, b in zip(convs, convs[1:]))
    out = layer([[[image] * 3] * 2] * 2)  # two channels of 2 x 3 pixels
    assert out.shape == (convs[-1].channels[0], 2, 3)


def test_2d_layers_draw_valid_padding_when_asked():
    assert conv_blocks(minimal(layers(dim=2, padding="valid")))[0].padding == "valid"
    with pytest.raises(NoSuchExample):
        minimal(layers(dim=2), lambda layer: any(conv.padding == "valid" for conv in conv_blocks(layer)))


# --- two dimensions: scenes -------------------------------------------------------

SCENE_MARKS = {
    "polynomial": lambda e, terms: e.is_polynomial(x, y),
    "separable": lambda e, terms: all(isinstance(t, scene.Separable) for t in terms),
    "wave": lambda e, terms: any(a.args[0].has(x) and a.args[0].has(y) for a in e.atoms(sympy.sin, sympy.cos)),
    "edge": lambda e, terms: [type(t) for t in terms] == [scene.Edge] and terms[0].q.is_number,
    # u H(u) is taken apart into q H(u) terms, one per monomial of u
    "ramp": lambda e, terms: all(isinstance(t, scene.Edge) for t in terms) and len({t.u for t in terms}) == 1
    and any(not t.q.is_number for t in terms),
    "polygon": lambda e, terms: [type(t) for t in terms] == [scene.Polygon] and len(terms[0].edges) in (3, 4),
}


@pytest.mark.parametrize("family", strategies.SCENE_FAMILIES)
def test_each_scene_family_draws_its_shape_by_an_exact_route(family):
    @settings(max_examples=15, deadline=None)
    @given(f=scenes(families=family, max_terms=1))
    def check(f):
        assert isinstance(f, se.Signal) and not f.expr.atoms(sympy.Float)
        assert f.expr.free_symbols <= {x, y}
        terms = scene.scene_terms(f.expr)
        assert not any(isinstance(t, scene.Other) for t in terms), terms  # never by quadrature
        assert SCENE_MARKS[family](f.expr, terms), (f, terms)

    check()


@settings(max_examples=20, deadline=None)
@given(grid=grids(dim=2, max_cells=3, min_cells=1), f=scenes())
def test_drawn_scenes_have_exact_cell_values_quickly(grid, f):
    with time_budget(20, f"the cell values of {f} on {grid}"):
        for D in (se.CellAverage(grid), se.PointSample(grid)):
            values = D(f)
            assert values.shape == grid.shape
            assert not any(v.atoms(sympy.Float, sympy.Integral) for v in values.flat)


@settings(max_examples=20, deadline=None)
@given(grid=grids(dim=2, periodic=True, max_cells=3), data=st.data())
def test_periodic_scenes_are_band_limited_with_their_declared_period(grid, data):
    k = data.draw(st.integers(1, 2), label="periods along y")
    periods = (grid.length[0], grid.length[1] / k)
    f = data.draw(scenes(periodic_period=periods, max_terms=3))
    assert f.period == periods
    for variable, period in zip((x, y), periods):
        assert sympy.expand(f.expr.subs(variable, variable + period) - f.expr) == 0
    for wave in f.expr.atoms(sympy.sin, sympy.cos):
        phase = sympy.Poly(wave.args[0], x, y)
        for variable, period in zip((x, y), periods):
            k = phase.coeff_monomial(variable) * period / (2 * sympy.pi)
            assert k.is_Integer and abs(k) <= 2  # band-limited: at most 2 periods of each axis's period


def test_periodic_scenes_take_one_period_per_axis_or_none():
    assert minimal(scenes(periodic_period=2)) == se.Signal("sin(pi*x)", period=(2, 2))
    assert minimal(scenes(periodic_period=(None, 1))) == se.Signal("sin(2*pi*y)", period=(None, 1))
    oblique = minimal(
        scenes(periodic_period=(1, 1)), lambda f: any(w.has(x) and w.has(y) for w in f.expr.atoms(sympy.sin))
    )
    assert repr(oblique) == "Signal('sin(2*pi*x + 2*pi*y)', period=(1, 1))"


BOX = ((5, 6), (-6, -5))


@settings(max_examples=30, deadline=None)
@given(f=scenes(families=["edge", "ramp"], max_terms=1, bounds=BOX))
def test_scene_edges_pass_through_the_bounds(f):
    (step,) = f.expr.atoms(sympy.Heaviside)
    corners = [step.args[0].subs({x: px, y: py}) for px in BOX[0] for py in BOX[1]]
    assert min(corners) <= 0 <= max(corners)


@settings(max_examples=30, deadline=None)
@given(f=scenes(families="polygon", max_terms=1, bounds=BOX))
def test_scene_polygons_are_small_and_near_the_bounds(f):
    # A corner (triangle) or the centre (diamond) in the box, sides at most 2 long: all of the
    # polygon lies in [3, 8] x [-8, -3], two cells' width around the box.
    (around,) = se.CellAverage(se.Grid((3, -8), (8, -3), (1, 1)))(f).flat
    assert around != 0
    assert se.CellAverage(se.Grid((-8, -8), (8, 8), (1, 1)))(f)[0, 0] == around * 25 / 256


# --- two dimensions: the strategies together ----------------------------------------


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(grid=grids(dim=2, periodic=True, max_cells=3), data=st.data())
def test_circular_2d_layers_are_proved_equivariant_to_whole_cell_pair_shifts(grid, data):
    D = data.draw(discretizers(grid), label="D")
    f = data.draw(st.one_of(scenes(periodic_period=grid.length), scenes()), label="f")
    layer = data.draw(layers(dim=2, padding="circular"), label="layer")
    n = tuple(map(int, grid.cells_of_shift(data.draw(shifts(grid, kind="whole-cell"), label="d"))))
    verdict = se.check_integer_shift(D, f, n, layer)
    assert verdict.holds is True and verdict.method == "symbolic", verdict
    assert len(verdict.cells) == grid.cells


@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(grid=grids(dim=2, periodic=True, max_cells=3), data=st.data())
def test_circular_layers_with_channels_are_proved_equivariant_to_whole_cell_pair_shifts(grid, data):
    f = data.draw(st.tuples(scenes(max_terms=1), scenes(max_terms=1)), label="channels")
    layer = data.draw(layers(dim=2, channels=2, padding="circular", max_depth=1), label="layer")
    n = tuple(map(int, grid.cells_of_shift(data.draw(shifts(grid, kind="whole-cell"), label="d"))))
    verdict = se.check_integer_shift(se.CellAverage(grid), f, n, layer)
    assert verdict.holds is True, verdict
    assert all(len(cell) == 3 for cell in verdict.cells)  # (c, i, j)


def _discrete_shifts_2d(grid, d):
    """The discrete shifts the module docstring promises the 2-D checker accepts at d."""
    chosen = [se.LinearShift(), se.CubicShift()]
    if all(c.is_integer for c in grid.cells_of_shift(d)):
        chosen.append(se.IntegerShift())
    if all(grid.periodic):
        chosen.append(se.FourierShift())
    return chosen


@pytest.mark.slow
@settings(max_examples=20, deadline=None)
@given(grid=grids(dim=2), data=st.data())
def test_default_2d_strategies_draw_inputs_the_checker_accepts(grid, data):
    D = data.draw(discretizers(grid), label="D")
    f = data.draw(scenes(max_terms=1), label="f")
    d = data.draw(shifts(grid), label="d")
    with time_budget(120, f"the checks of {f!r} on {grid!r} at d = {d}"):
        for g in _discrete_shifts_2d(grid, d):
            verdict = se.check_commutation(D, f, d, g)
            assert verdict.holds in (True, False, None) and verdict.cells, (g, verdict)
        n = tuple(map(int, grid.cells_of_shift(data.draw(shifts(grid, kind="whole-cell"), label="whole"))))
        assert se.check_integer_shift(D, f, n).cells


@pytest.mark.slow
@settings(max_examples=20, deadline=None)
@given(grid=grids(dim=2), data=st.data())
def test_2d_shifts_drawn_for_a_layer_leave_cells_to_compare(grid, data):
    D = data.draw(discretizers(grid), label="D")
    f = data.draw(scenes(families="polynomial", max_terms=1), label="f")
    layer = data.draw(layers(dim=2), label="layer")
    d = data.draw(shifts(grid, op=layer), label="d")
    n = tuple(map(int, grid.cells_of_shift(data.draw(shifts(grid, kind="whole-cell", op=layer), label="whole"))))
    with time_budget(120, f"the checks of {layer!r} on {grid!r} at d = {d}"):
        assert se.check_commutation(D, f, d, se.LinearShift(), layer).cells
        assert se.check_integer_shift(D, f, n, layer).cells


# --- arguments -------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: grids(periodic="yes"), "True, False or None (either) for periodic but got periodic='yes'"),
        (lambda: grids(min_cells=0), "Expected min_cells >= 1 but got min_cells=0"),
        (lambda: grids(max_cells=2.0), "Expected an int for max_cells but got max_cells=2.0"),
        (lambda: grids(min_cells=5, max_cells=2), "Expected min_cells <= max_cells but got min_cells=5, max_cells=2"),
        (lambda: grids(max_cells=1 << 30), "max_cells <= 16777216"),
        (lambda: grids(bounds=(2, 1)), "low < high but got bounds=(2, 1)"),
        (lambda: grids(bounds=(0, "pi")), "rational numbers in bounds"),
        (lambda: grids(bounds=3), "pair (low, high) of rational numbers for bounds but got bounds=3"),
        (lambda: grids(bounds=(0, "x")), "bounds"),
        (lambda: shifts((0, 1, 4)), "Expected a symequiv.Grid for grid but got tuple"),
        (lambda: shifts(grids()), "draw one first"),
        (lambda: shifts(se.Grid(0, 1, 4), kind="half"), "Unknown kind='half'; use one of 'mixed', 'sub-cell', 'whole-cell'"),
        (lambda: shifts(se.Grid(0, 1, 4), beyond="yes"), "True or False for beyond but got beyond='yes'"),
        (lambda: shifts(se.Grid(0, 1, 1), kind="sub-cell"), "beyond=True"),
        (lambda: shifts(se.Grid(0, 1, 4), op=lambda b: b), "symequiv layer for op but got function"),
        (lambda: shifts(se.Grid(0, 1, 4), op=Identity(), beyond=True), "cannot be combined with op="),
        (lambda: kernels(min_size=0), "min_size >= 1"),
        (lambda: kernels(min_size=3, max_size=2), "min_size <= max_size"),
        (lambda: kernels(values=[1, 2]), "hypothesis strategy for values but got list"),
        (lambda: layers(padding="reflect"), "Unknown padding 'reflect'; use one of 'zeros', 'circular', 'edge', 'valid'"),
        (lambda: layers(padding=[]), "non-empty list of them for padding"),
        (lambda: layers(mode="conv"), "Unknown mode 'conv'"),
        (lambda: layers(max_depth=0), "max_depth >= 1"),
        (lambda: layers(max_kernel_size=True), "int for max_kernel_size"),
        (lambda: signals(families="wavelet"), "Unknown families 'wavelet'; use one of 'polynomial'"),
        (lambda: signals(max_terms=0), "max_terms >= 1"),
        (lambda: signals(periodic_period=0), "positive periodic_period but got periodic_period=0"),
        (lambda: signals(periodic_period="x"), "periodic_period"),
        (lambda: signals(periodic_period=1, families="step"), "cannot be combined with families='step'"),
        (lambda: discretizers("grid"), "symequiv.Grid for grid but got str"),
        (lambda: minimal([1, 2]), "hypothesis strategy for strategy"),
        (lambda: minimal(grids(), condition=3), "function for condition but got int"),
        (lambda: grids(dim=3), "Expected dim=1 or dim=2 but got dim=3"),
        (lambda: grids(dim=True), "Expected dim=1 or dim=2 but got dim=True"),
        (lambda: grids(periodic=(True, False)), "periodic=(True, False) gives one value per axis; that needs dim=2"),
        (lambda: grids(dim=2, periodic=(True, "no")), "or one of them per axis, but got periodic=(True, 'no')"),
        (lambda: grids(dim=2, periodic=(True,)), "per axis, but got periodic=(True,)"),
        (lambda: grids(dim=2, max_cells=5000), "Expected max_cells <= 4096 but got max_cells=5000"),
        (lambda: grids(dim=2, bounds=((0, 1), (2, 1))), "Expected bounds[1]=(low, high) with low < high"),
        (lambda: grids(dim=2, bounds=((0, 1), 2)), "Expected rational numbers in bounds but got bounds=((0, 1), 2)"),
        (lambda: shifts(se.Grid((0, 0), (1, 1), (2, 2)), kind="sub"), "Unknown kind='sub'"),
        (lambda: kernels(dim=0), "Expected dim=1 or dim=2 but got dim=0"),
        (lambda: kernels(dim=2, channels=(0, 1)), "Expected channels[0] >= 1 but got channels[0]=0"),
        (lambda: kernels(channels=3), "Expected a pair (C_out, C_in) for channels but got channels=3"),
        (lambda: layers(dim=2, channels=0), "Expected channels >= 1 but got channels=0"),
        (lambda: layers(channels=2, max_channels=0), "Expected max_channels >= 1"),
        (lambda: layers(dim=2, padding="reflect"), "Unknown padding 'reflect'"),
        (lambda: layers(dim="2"), "Expected dim=1 or dim=2 but got dim='2'"),
        (lambda: scenes(families="disk"), "Unknown families 'disk'; use one of 'polynomial', 'separable'"),
        (lambda: scenes(max_terms=0), "max_terms >= 1"),
        (lambda: scenes(periodic_period=(None, None)), "None on an axis without one (not both)"),
        (lambda: scenes(periodic_period=(1, 2, 3)), "Expected a period per axis (Lx, Ly)"),
        (lambda: scenes(periodic_period=(1, 0)), "Expected a positive periodic_period[1] but got periodic_period[1]=0"),
        (lambda: scenes(periodic_period="y"), "periodic_period"),
        (lambda: scenes(periodic_period=1, families="edge"), "cannot be combined with families='edge'"),
        (lambda: scenes(bounds=(1, 1)), "low < high but got bounds=(1, 1)"),
    ],
)
def test_bad_arguments_are_refused_when_the_strategy_is_built(make, words):
    with pytest.raises(InvalidArgument) as info:
        make()
    assert words in str(info.value)


def test_bad_weights_are_named_when_drawn():
    with pytest.raises(InvalidArgument, match="values strategy of kernels.. drew 'a'"):
        minimal(kernels(values=st.just("a")))


def test_reprs_show_how_the_strategy_was_built():
    assert repr(grids()) == "grids()"
    assert repr(grids(periodic=True, max_cells=4)) == "grids(periodic=True, max_cells=4)"
    assert repr(shifts(se.Grid(0, 1, 4), kind="sub-cell")) == "shifts(Grid(0, 1, 4), kind='sub-cell')"
    assert repr(layers(padding="circular")) == "layers(padding='circular')"
    assert repr(signals(families=["step"])) == "signals(families=['step'])"
    assert repr(grids(dim=2)) == "grids(dim=2)"
    assert repr(grids(dim=2, periodic=(True, None))) == "grids(dim=2, periodic=(True, None))"
    assert repr(shifts(se.Grid((0, 0), (1, 1), (4, 4)), kind="sub-cell")) == (
        "shifts(Grid((0, 0), (1, 1), (4, 4)), kind='sub-cell')"
    )
    assert repr(kernels(dim=2, channels=(2, 1))) == "kernels(dim=2, channels=(2, 1))"
    assert repr(layers(dim=2, channels=2)) == "layers(dim=2, channels=2)"
    assert repr(scenes(families=["edge"])) == "scenes(families=['edge'])"


def public_names_defined_in(module):
    """Names a module defines at top level (def, class, assignment) that do not start with _."""
    tree = ast.parse(inspect.getsource(module))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return {name for name in names if not name.startswith("_")}


def test_all_lists_every_public_name():
    assert len(strategies.__all__) == len(set(strategies.__all__))
    assert all(hasattr(strategies, name) for name in strategies.__all__)
    # Before: OPEN_MIN_CELLS did not exist and the helper R was public.
    assert public_names_defined_in(strategies) == set(strategies.__all__)
