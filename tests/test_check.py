"""The checker. Each expected verdict is derived by hand in the test."""

import concurrent.futures
import json

import mpmath
import numpy
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequiv as se
from symequiv.judge import check as check_module
from symequiv.errors import ExpressionError, GridMismatch, InvalidArgument, InvalidType

R = sympy.Rational
EDGE = se.Conv([2, -2], origin=1, bias=-1) >> se.ReLU()


# ----------------------------------------------------- hand-derived cases --


@pytest.mark.parametrize("t", [R(1, 8), R(1, 4), R(1, 2), R(3, 4), R(1)])
def test_linear_shift_commutes_with_cell_averages_of_a_step_on_a_cell_edge(t):
    # H jumps at x = 0, an edge of Grid(-1, 1, 4). Shifted by t cells (0 < t <= 1) the
    # cell that straddles the jump has average 1 - t; linear interpolation gives
    # (1 - t) * 1 + t * 0 = 1 - t too, and every other cell is 0 or 1 on both sides.
    # Cell 0 reads b_(-1), outside the grid: a boundary cell, left out.
    D = se.CellAverage(se.Grid(-1, 1, 4))
    verdict = se.check_commutation(D, se.Signal("Heaviside(x)"), t / 2, se.LinearShift())
    assert verdict.holds is True and verdict.method == "symbolic"
    assert verdict.boundary_cells == (0,)
    assert all(r == 0 for r in verdict.residual)


def test_linear_shift_fails_for_a_step_inside_a_cell():
    # H(x - 1/4) jumps mid-cell 2: D[f] = [0, 0, 1/2, 1]. Shifted by 1/4 (half a cell)
    # the pixels are [0, 0, 0, 1]; linear interpolation by half a cell gives
    # [., 0, 1/4, 3/4]: residuals 0, -1/4, 1/4 on cells 1, 2, 3.
    D = se.CellAverage(se.Grid(-1, 1, 4))
    verdict = se.check_commutation(D, se.Signal("Heaviside(x - 1/4)"), "1/4", se.LinearShift())
    assert verdict.holds is False and verdict.method == "symbolic"
    assert verdict.cells == (1, 2, 3)
    assert verdict.residual == (0, R(-1, 4), R(1, 4))
    assert verdict.certificate["kind"] == "exact" and abs(verdict.certificate["value"]) == R(1, 4)


def test_fourier_shift_commutes_for_a_band_limited_signal():
    # Cell averages of sin(2 pi x) on 8 periodic cells are A sin(2 pi c_j): a single
    # frequency below Nyquist, which trigonometric interpolation shifts exactly.
    D = se.CellAverage(se.Grid(0, 1, 8, periodic=True))
    verdict = se.check_commutation(D, se.Signal("sin(2*pi*x)", period=1), "1/16", se.FourierShift())
    assert verdict.holds is True and verdict.method == "symbolic"
    assert verdict.boundary_cells == ()


def test_linear_shift_of_a_sinusoid_is_certified_unequal():
    # Residual r_j = A [sin(2 pi (c_j - d)) - (1 - t) sin(2 pi c_j) - t sin(2 pi (c_j - dx))]
    # with A = sin(pi dx) / (pi dx), c_j the cell centres, t = d / dx.
    n, d = 8, R(1, 16)
    D = se.CellAverage(se.Grid(0, 1, n, periodic=True))
    verdict = se.check_commutation(D, se.Signal("sin(2*pi*x)", period=1), d, se.LinearShift(), dps=40)
    assert verdict.holds is False and verdict.method == "interval"
    with mpmath.workdps(40):
        dx, dd = mpmath.mpf(1) / n, mpmath.mpf(1) / 16
        t, amplitude = dd / dx, mpmath.sin(mpmath.pi * dx) / (mpmath.pi * dx)
        for j, value in zip(verdict.cells, verdict.residual):
            c = (j + mpmath.mpf(1) / 2) * dx
            expected = amplitude * (
                mpmath.sin(2 * mpmath.pi * (c - dd)) - (1 - t) * mpmath.sin(2 * mpmath.pi * c)
                - t * mpmath.sin(2 * mpmath.pi * (c - dx))
            )
            assert abs(value - expected) < mpmath.mpf(10) ** -35
    certificate = verdict.certificate
    assert abs(certificate["value"]) > certificate["radius"]


def test_integer_shift_through_a_layer_on_a_non_periodic_grid_names_the_boundary():
    # Shift by one cell. The layer reads b_(j+1), so output 3 reads past the right
    # edge (padding): boundary on both sides. The shifted layer output at cell 0 comes
    # from outside the grid: boundary. Cells 1, 2: layer([0,0,0,1]) = [0,0,1,0] and the
    # shift of layer([0,0,1,1]) = shift([0,1,0,0]) = [0,0,1,0]: equal.
    D = se.CellAverage(se.Grid(-1, 1, 4))
    verdict = se.check_integer_shift(D, se.Signal("Heaviside(x)"), 1, EDGE)
    assert verdict.holds is True and verdict.method == "symbolic"
    assert verdict.cells == (1, 2) and verdict.boundary_cells == (0, 3)
    assert any("boundary" in note for note in verdict.notes)


def test_integer_shift_is_proved_on_a_periodic_grid_with_transcendental_values():
    D = se.CellAverage(se.Grid(0, 1, 6, periodic=True))
    layer = se.Conv([1, -2, 1], origin=1, padding="circular") >> se.Tanh()
    verdict = se.check_integer_shift(D, se.Signal("exp(-20*(x - 1/2)**2)"), -2, layer)
    assert verdict.holds is True and verdict.method == "symbolic"
    assert verdict.boundary_cells == ()


def test_the_papers_edge_detector_is_not_translation_equivariant():
    # eq. (4) at half a pixel with the integer... no: with LinearShift, the natural g^h.
    # Pixels [0,0,1,1] -> layer [0,1,0,0]; moved half a pixel by interpolation:
    # [., 1/2, 1/2, 0]; the translated image's layer output is [0,0,0,0].
    D = se.CellAverage(se.Grid(-1, 1, 4))
    verdict = se.check_commutation(D, se.Signal("Heaviside(x)"), "1/4", se.LinearShift(), op=EDGE)
    assert verdict.holds is False and verdict.method == "symbolic"
    assert verdict.residual == (R(-1, 2), R(-1, 2))  # cells 1, 2; cells 0 and 3 are boundary
    assert verdict.boundary_cells == (0, 3)


def test_cells_restrict_the_comparison():
    D = se.CellAverage(se.Grid(-1, 1, 4))
    verdict = se.check_commutation(D, se.Signal("Heaviside(x - 1/4)"), "1/4", se.LinearShift(), cells=[1, 3])
    assert verdict.cells == (1, 3) and verdict.residual == (0, R(1, 4))


def test_point_samples_and_cubic_shift():
    # Samples of a quadratic are interpolated exactly by Keys' cubic inside the grid.
    D = se.PointSample(se.Grid(0, 8, 8))
    verdict = se.check_commutation(D, se.Signal("x**2 - 3*x"), "1/2", se.CubicShift())
    assert verdict.holds is True and verdict.method == "symbolic"
    assert verdict.boundary_cells == (0, 1, 7)


# --------------------------------------------------------------- numerics --


def test_no_antiderivative_entire_pieces_are_enclosed_rigorously():
    D = se.CellAverage(se.Grid(0, 1, 4))
    verdict = se.check_commutation(D, se.Signal("exp(sin(x)*exp(x))"), "1/10", se.LinearShift())
    assert verdict.holds is False and verdict.method == "interval"


def test_no_antiderivative_but_analytic_near_the_real_line_is_enclosed_rigorously():
    # log(2 + sin(x**2)) has branch points off the real line only: flint's ball integration certifies.
    D = se.CellAverage(se.Grid(1, 2, 4))
    verdict = se.check_commutation(D, se.Signal("log(2 + sin(x**2))"), "1/10", se.LinearShift())
    assert verdict.holds is False and verdict.method == "interval"


def test_no_antiderivative_and_no_enclosure_is_only_numeric():
    # smooth but not analytic at 0, and sympy finds no antiderivative: quadrature, numeric only
    D = se.CellAverage(se.Grid(-1, 1, 4))
    verdict = se.check_commutation(D, se.Signal("exp(-1/x**2)*sin(x**2)"), "1/10", se.LinearShift())
    assert verdict.holds is None and verdict.method == "numeric"
    assert verdict.bound > 0
    assert any("quadrature" in note for note in verdict.notes)


def test_a_proof_past_its_budget_falls_back_to_numerics(monkeypatch):
    monkeypatch.setattr(check_module, "ZERO_PROOF_BUDGET_SECONDS", 1e-4)
    D = se.CellAverage(se.Grid(0, 1, 8, periodic=True))
    verdict = se.check_commutation(D, se.Signal("sin(2*pi*x)", period=1), "1/16", se.FourierShift())
    assert verdict.holds is None and verdict.method == "numeric"
    assert verdict.bound < mpmath.mpf(10) ** -40
    assert any("no exact proof" in note for note in verdict.notes)


@settings(max_examples=25, deadline=None)
@given(
    st.fractions(min_value=-2, max_value=2, max_denominator=50).filter(lambda f: (f * 8).denominator != 1),
    st.sampled_from(["sin(2*pi*x)", "exp(-10*(x - 1/3)**2)", "Heaviside(x - 1/3)*x"]),
)
def test_certified_inequalities_never_flip_at_higher_precision(shift, expression):
    D = se.CellAverage(se.Grid(0, 1, 8, periodic=True))
    signal = se.Signal(expression)
    low = se.check_commutation(D, signal, shift, se.LinearShift(), op=se.Tanh(), dps=20)
    high = se.check_commutation(D, signal, shift, se.LinearShift(), op=se.Tanh(), dps=80)
    assert low.holds == high.holds
    if low.method == "interval":
        for a, b, ra in zip(low.residual, high.residual, low.error_bounds):
            assert abs(a - b) <= ra + mpmath.mpf(10) ** -75


# ------------------------------------------------------ integer properties --

FAMILIES = ["sin(2*pi*x)", "exp(-8*(x - 1/4)**2)", "Heaviside(x - 1/3)", "Max(0, 1 - Abs(4*x - 2))", "x**2"]
ACTIVATIONS = [se.Identity(), se.ReLU(), se.LeakyReLU("1/10"), se.Tanh()]


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(2, 6),
    m=st.integers(-8, 8),
    expression=st.sampled_from(FAMILIES),
    kernel=st.lists(st.integers(-3, 3), min_size=1, max_size=3),
    activation=st.sampled_from(ACTIVATIONS),
    data=st.data(),
)
def test_integer_shifts_are_always_proved_on_periodic_grids(n, m, expression, kernel, activation, data):
    origin = data.draw(st.integers(0, len(kernel) - 1))
    layer = se.Conv(kernel, origin=origin, bias="1/7", padding="circular") >> activation
    D = data.draw(st.sampled_from([se.CellAverage(se.Grid(0, 1, n, periodic=True)), se.PointSample(se.Grid(0, 1, n, periodic=True))]))
    verdict = se.check_integer_shift(D, se.Signal(expression), m, layer)
    assert verdict.holds is True and verdict.method == "symbolic", verdict


@settings(max_examples=10, deadline=None)
@given(m=st.integers(-5, 5), activation=st.sampled_from(ACTIVATIONS))
def test_integer_shifts_proved_quickly(m, activation):
    D = se.CellAverage(se.Grid(0, 1, 4, periodic=True))
    layer = se.Conv([1, 2], origin=1, padding="circular") >> activation
    verdict = se.check_integer_shift(D, se.Signal("Heaviside(x - 1/3)"), m, layer)
    assert verdict.holds is True and verdict.method == "symbolic"


# -------------------------------------------------------------- verdicts --


def test_verdicts_of_the_checker_round_trip_through_json():
    D = se.CellAverage(se.Grid(0, 1, 8, periodic=True))
    for shift, d in [(se.LinearShift(), "1/16"), (se.FourierShift(), "1/16"), (se.LinearShift(), 0.1)]:
        verdict = se.check_commutation(D, se.Signal("sin(2*pi*x)", period=1), d, shift)
        text = verdict.to_json()
        assert json.loads(text)["holds"] == verdict.holds
        assert se.Verdict.from_json(text) == verdict


# ------------------------------------------------------------------ sweep --


def test_sweep_gives_one_verdict_per_shift_and_the_residual_curve():
    D = se.CellAverage(se.Grid(-1, 1, 8))
    shifts = ["0", "1/16", "1/8", "3/16", "1/4"]
    result = se.sweep(D, se.Signal("Heaviside(x - 1/8)"), shifts, se.LinearShift(), progress=False)
    assert len(result) == 5 and result.deltas == tuple(R(s) for s in shifts)
    # the step sits mid-cell: only the whole-cell shifts 0 and 1/4 commute
    assert [v.holds for v in result] == [True, False, False, False, True]
    assert result.max_residuals[0] == 0 and result.max_residuals[2] > 0
    assert "5 shifts" in repr(result)


def test_sweep_on_a_process_pool_matches_the_serial_sweep():
    D = se.CellAverage(se.Grid(0, 1, 6, periodic=True))
    signal = se.Signal("sin(2*pi*x)", period=1)
    shifts = [R(k, 37) for k in range(6)]
    serial = se.sweep(D, signal, shifts, se.LinearShift(), op=EDGE, progress=False)
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        parallel = se.sweep(D, signal, shifts, se.LinearShift(), op=EDGE, executor=pool, progress=False, chunk_size=2)
    assert [v.to_dict() for v in parallel] == [v.to_dict() for v in serial]


def test_progress_bar_only_when_asked_or_on_a_terminal(capsys):
    D = se.CellAverage(se.Grid(0, 1, 4))
    se.sweep(D, se.Signal("x"), ["0", "1/8"], se.LinearShift())
    assert capsys.readouterr().err == ""  # stderr is not a terminal here
    se.sweep(D, se.Signal("x"), ["0", "1/8"], se.LinearShift(), progress=True)
    assert "2/2" in capsys.readouterr().err


# -------------------------------------------------------------- bad input --


def test_a_float_shift_is_taken_at_its_binary_value_and_noted():
    D = se.CellAverage(se.Grid(0, 1, 10))
    verdict = se.check_commutation(D, se.Signal("x**2"), 0.1, se.LinearShift())
    assert verdict.shift == R(3602879701896397, 36028797018963968)
    assert any("float" in note and "3602879701896397/36028797018963968" in note for note in verdict.notes)
    exact = se.check_commutation(D, se.Signal("x**2"), "0.1", se.LinearShift())
    assert exact.shift == R(1, 10) and not any("float" in note for note in exact.notes)
    # at exactly one cell the linear shift is the integer shift; at the float's value it is not
    assert exact.holds is True and verdict.holds is False


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"d": 1j}, InvalidArgument, "real"),
        ({"d": [1]}, InvalidType, "d"),
        ({"d": "delta"}, ExpressionError, "delta"),
        ({"d": se.delta}, InvalidArgument, "closed_form"),
        ({"d": float("nan")}, InvalidArgument, "finite"),
        ({"dps": 10}, InvalidArgument, "dps=10"),
        ({"dps": 10**6}, InvalidArgument, "dps=1000000"),
        ({"dps": 50.0}, InvalidType, "dps"),
        ({"cells": [7]}, InvalidArgument, "outside"),
        ({"cells": []}, InvalidArgument, "empty"),
        ({"cells": ["1"]}, InvalidType, "cell indices"),
        ({"shift": "linear"}, InvalidType, "discrete shift"),
        ({"shift": se.FourierShift()}, InvalidArgument, "periodic"),
        ({"op": 42}, InvalidType, "callable"),
        ({"D": "CellAverage"}, InvalidType, "CellAverage"),
    ],
)
def test_bad_input(kwargs, error, words):
    arguments = dict(D=se.CellAverage(se.Grid(0, 1, 4)), f=se.Signal("x"), d="1/8", shift=se.LinearShift())
    arguments.update(kwargs)
    with pytest.raises(error, match=words):
        se.check_commutation(**arguments)


def test_bad_integer_shift_and_sweep_input():
    D = se.CellAverage(se.Grid(0, 1, 4))
    with pytest.raises(InvalidType, match="int number of cells"):
        se.check_integer_shift(D, se.Signal("x"), 0.5)
    with pytest.raises(InvalidArgument, match="at least one shift"):
        se.sweep(D, se.Signal("x"), [], se.LinearShift())
    with pytest.raises(InvalidType, match="sequence of shifts"):
        se.sweep(D, se.Signal("x"), "1/4", se.LinearShift())
    with pytest.raises(InvalidArgument, match="nothing is left to compare"):
        se.check_commutation(se.CellAverage(se.Grid(0, 1, 2)), se.Signal("x"), "3/4", se.CubicShift())


def test_a_custom_shift_returning_the_wrong_length_is_a_grid_mismatch():
    class Broken(se.LinearShift):
        def _apply(self, b, d, grid, backend):
            return list(super()._apply(b, d, grid, backend))[:-1]

    with pytest.raises(GridMismatch, match="returned 3 values for the 4 cells"):
        se.check_commutation(se.CellAverage(se.Grid(0, 1, 4)), se.Signal("x"), "1/8", Broken())


def test_symbolic_parameters_and_poles_are_refused_clearly():
    D = se.CellAverage(se.Grid(0, 1, 4))
    with pytest.raises(InvalidArgument, match="parameters k symbolic"):
        se.check_commutation(D, se.Signal("sin(k*x)", parameters=["k"]), "1/8", se.LinearShift())
    with pytest.raises(se.UnsupportedSignal, match="no finite real value"):
        se.check_commutation(se.PointSample(se.Grid(0, 1, 4)), se.Signal("1/x"), "1/8", se.LinearShift())
    with pytest.raises(se.UnsupportedSignal, match="not integrable on cell 1"):
        se.check_commutation(se.CellAverage(se.Grid(-1, 1, 4)), se.Signal("1/x"), "1/8", se.LinearShift())


@pytest.mark.parametrize("expression", ["exp(-x**4)", "sin(x**2)"])
def test_closed_forms_with_special_functions_fall_back_to_rigorous_integration(expression):
    # sympy's antiderivatives need gamma / Fresnel functions, which balls cannot evaluate here;
    # the cell values then come from flint's rigorous integration of the (entire) signal.
    D = se.CellAverage(se.Grid(0, 1, 4))
    verdict = se.check_commutation(D, se.Signal(expression), "1/8", se.LinearShift())
    assert verdict.holds is False and verdict.method == "interval"
    periodic = se.check_integer_shift(se.CellAverage(se.Grid(0, 1, 4, periodic=True)), se.Signal(expression), 1)
    assert periodic.holds is True and periodic.method == "symbolic"  # the exact residuals are structurally 0


def test_tanh_of_a_huge_weight_is_certified_and_round_trips():
    """tanh(1e100 * b) is 1 to within 2**-(10**100): the ball is widened to 2**-40000, still an enclosure."""
    D = se.CellAverage(se.Grid(0, 1, 4, periodic=True))
    layer = se.Conv(["1e100"]) >> se.Tanh()
    verdict = se.check_commutation(D, se.Signal("sin(2*pi*x)", period=1), "1/16", se.LinearShift(), op=layer)
    assert verdict.holds is False and verdict.method == "interval"
    assert se.Verdict.from_json(verdict.to_json()) == verdict


@pytest.mark.parametrize("d", ["pi**1000", "exp(exp(7))"])
def test_large_irrational_shifts(d):
    """sympy's floor gives up on these (PrecisionExhausted); the cell is found with balls.

    At 50 digits the 400-odd digits of d before the point swamp the balls, so
    the verdict may be undecided; it must never be a proof.
    """
    ring = se.CellAverage(se.Grid(0, 1, 4, periodic=True))
    verdict = se.check_commutation(ring, se.Signal("sin(2*pi*x)", period=1), d, se.LinearShift())
    assert verdict.holds is not True and verdict.shift == sympy.sympify(d)
    with pytest.raises(InvalidArgument, match="boundary"):
        se.check_commutation(se.CellAverage(se.Grid(-1, 1, 4)), "Heaviside(x)", d, se.LinearShift())


@pytest.mark.parametrize(
    "signal, grid",
    [("sqrt(x)", (1, 2, 4)), ("x**(3/2) + 1", (1, 2, 4)), ("exp(exp(x))", (-1, 1, 4))],
    ids=["sqrt", "power 3/2", "Ei antiderivative"],
)
def test_signals_outside_rational_arithmetic_are_still_decided(signal, grid):
    verdict = se.check_commutation(se.CellAverage(se.Grid(*grid)), signal, "1/16", se.LinearShift())
    assert verdict.holds is False and verdict.method == "interval"


def test_cells_from_numpy():
    D = se.CellAverage(se.Grid(-1, 1, 4))
    with pytest.raises(InvalidType, match="iterable of cell indices"):
        se.check_commutation(D, "Heaviside(x)", "1/8", se.LinearShift(), cells=numpy.array(1))
    verdict = se.check_commutation(D, "Heaviside(x)", "1/8", se.LinearShift(), cells=[numpy.int64(1)])
    assert verdict.cells == (1,)


def test_sweep_refuses_an_executor_that_is_not_one():
    D = se.CellAverage(se.Grid(-1, 1, 4))
    with pytest.raises(InvalidType, match="Executor"):
        se.sweep(D, "Heaviside(x)", ["1/8"], se.LinearShift(), executor="pool")


@pytest.mark.parametrize("shift", [se.IntegerShift(), se.LinearShift(), se.CubicShift(), se.FourierShift()])
def test_a_whole_cell_shift_in_disguise_is_proved_for_every_shift(shift):
    # sqrt(3 + 2*sqrt(2)) - sqrt(2) = 1: IntegerShift refused it, CubicShift over-reported boundary
    # cells and FourierShift crashed (0/0 in its weights)
    grid = se.Grid(0, 8, 8, periodic=True)
    verdict = se.check_commutation(
        se.CellAverage(grid), se.Signal("sin(pi*x/4)", period=8), "sqrt(3+2*sqrt(2)) - sqrt(2)", shift
    )
    assert verdict.holds is True and verdict.method == "symbolic"
    assert verdict.cells == tuple(range(8)) and verdict.total_cells == 8
    assert any("exactly 1 cell " in note for note in verdict.notes)


def test_a_fourier_shift_on_many_cells_compares_every_cell():
    # split_cells was O(n**2) for a Fourier shift (every offset): at n = 20000 this took minutes;
    # it now works outwards from the tainted cells (benchmarks/ measures the cost)
    grid = se.Grid(0, 1, 20000, periodic=True)
    problem = check_module._Problem(
        se.PointSample(grid), se.Signal("sin(2*pi*x)", period=1), se.FourierShift(), None, 50, None
    )
    compared, boundary = problem.split_cells(sympy.Rational(1, 60000))
    assert compared == tuple(range(20000)) and boundary == ()
    layer = se.Conv([1, -1], origin=0, padding="zeros")
    tainted = check_module._Problem(se.PointSample(se.Grid(0, 1, 6, periodic=True)), se.Signal("x"), se.FourierShift(),
                                    layer, 50, None)
    assert tainted.split_cells(sympy.Rational(1, 12)) == ((), tuple(range(6)))


def test_verdicts_say_how_many_cells_there_are():
    D = se.CellAverage(se.Grid(-1, 1, 4))
    verdict = se.check_commutation(D, se.Signal("Heaviside(x)"), "1/4", se.LinearShift())
    assert verdict.total_cells == 4
    assert str(verdict).splitlines()[0] == (
        "Verdict: holds (proved) on 3 of 4 cells; cell 0 reached by the boundary was left out"
    )


def test_numeric_verdicts_claim_no_error_bound_they_do_not_have():
    # the quadrature estimates of the unshifted values are not carried through g: no per-cell bound
    D = se.CellAverage(se.Grid(-1, 1, 4))
    verdict = se.check_commutation(D, "exp(-1/x**2)*sin(x**2)", "1/10", se.LinearShift())
    assert verdict.holds is None and verdict.method == "numeric"
    assert verdict.error_bounds is None or all(b is None for b in verdict.error_bounds)
    assert any("not a proof" in note for note in verdict.notes)


# ------------------------------------------------------------ two dimensions --


GRID_2D = se.Grid((0, 0), (1, 1), (4, 4), periodic=True)


def test_2d_integer_shifts_are_proved_on_periodic_grids_through_layers():
    D = se.CellAverage(GRID_2D)
    scene = se.Signal("Heaviside(x + 2*y - 1)")  # read on the square and repeated
    layer = se.Conv([[1, 0], [0, -1]], origin=(0, 0), padding="circular") >> se.ReLU()
    verdict = se.check_integer_shift(D, scene, (1, -2), op=layer)
    assert verdict.holds is True and verdict.method == "symbolic"
    assert len(verdict.cells) == 16 and verdict.cells[0] == (0, 0) and verdict.boundary_cells == ()
    assert verdict.shift == (R(1, 4), R(-1, 2))


def test_2d_integer_shifts_through_a_multichannel_layer():
    D = se.CellAverage(GRID_2D)
    rgb = ("x*y", "Heaviside(x - y)", "sin(2*pi*x)*cos(2*pi*y)")
    weights = [[[[1, 0], [0, 0]], [[0, -1], [0, 0]], [[0, 0], [1, 0]]],
               [[[0, 0], [0, 1]], [[1, 1], [0, 0]], [[0, 0], [0, 0]]]]
    layer = se.Conv(weights, bias=[R(-1, 10), 0], padding="circular") >> se.ReLU()
    verdict = se.check_integer_shift(D, rgb, (2, 1), op=layer)
    assert verdict.holds is True and verdict.cells[0] == (0, 0, 0) and len(verdict.cells) == 2 * 16


def test_a_sub_cell_shift_of_an_oriented_edge_breaks_the_linear_shift_and_is_certified():
    # D[f(x - d)] for the edge x + y > 1/2 at d = (1/8, 0): the cell straddling the edge changes
    # by a quadratic amount, which bilinear interpolation of the cell averages does not reproduce.
    D = se.CellAverage(GRID_2D)
    verdict = se.check_commutation(D, "Heaviside(x + y - 1/2)", ("1/8", 0), se.LinearShift())
    assert verdict.holds is False and verdict.method == "symbolic"
    cell = verdict.certificate["cell"]
    exact = D(se.Signal("Heaviside(x + y - 1/2)").shifted((R(1, 8), 0)))[cell]
    interpolated = se.LinearShift()(D("Heaviside(x + y - 1/2)"), ("1/8", 0), GRID_2D)[cell]
    assert verdict.certificate["value"] == exact - interpolated != 0


def test_a_scene_separable_in_x_alone_commutes_with_a_y_only_shift():
    # f(x, y) = g(x): moving it along y changes nothing, and neither does any g^h along y
    # of values constant along y. Proved, not assumed.
    D = se.CellAverage(GRID_2D)
    for shift in (se.LinearShift(), se.CubicShift(), se.FourierShift()):
        verdict = se.check_commutation(D, "Heaviside(x - 1/3)", (0, "1/7"), shift)
        assert verdict.holds is True and verdict.method == "symbolic", shift


def test_a_band_limited_scene_commutes_with_the_2d_fourier_shift():
    D = se.CellAverage(se.Grid((0, 0), (1, 1), (4, 4), periodic=True))
    scene = se.Signal("sin(2*pi*(x + y)) + cos(2*pi*x)", period=(1, 1))
    verdict = se.check_commutation(D, scene, ("1/8", "-1/3"), se.FourierShift())
    assert verdict.holds is True and verdict.method == "symbolic"
    verdict = se.check_commutation(D, scene, ("1/8", "-1/3"), se.LinearShift())
    assert verdict.holds is False and verdict.method == "interval"


def test_an_irrational_pair_is_certified_by_balls():
    D = se.CellAverage(GRID_2D)
    verdict = se.check_commutation(D, "exp(-(x - 1/2)**2 - (y - 1/2)**2)", ("sqrt(2)/20", "pi/50"),
                                   se.LinearShift())
    assert verdict.holds is False and verdict.method == "interval" and verdict.dps == 50


def test_non_periodic_2d_grids_leave_out_the_boundary_cells():
    grid = se.Grid((0, 0), (1, 1), (4, 4))
    D = se.CellAverage(grid)
    verdict = se.check_commutation(D, "x*y", ("1/8", 0), se.LinearShift())
    # interpolation along x reads cell i - 1: the first column (i = 0) is a boundary
    assert set(verdict.boundary_cells) == {(0, j) for j in range(4)}
    # averages of x are the centres x_i, those of x - 1/8 are x_i - 1/8 = (x_i + x_(i-1))/2: equal
    assert verdict.holds is True and verdict.method == "symbolic"
    # averages of x**2 are x_i**2 + dx**2/12; at half a cell, interpolation adds dx**2/4 = 1/64 to x**2's part
    verdict = se.check_commutation(D, "x**2*y", ("1/8", 0), se.LinearShift())
    cell = verdict.certificate["cell"]
    assert verdict.holds is False and verdict.certificate["value"] == -R(1, 64) * (2 * cell[1] + 1) / 8


def test_2d_cells_where_the_layer_reads_padding_are_boundary_cells():
    # A zero-padded 2x3 stencil on a periodic 4x4 grid: outputs in the last x-row (they read i + 1 = 4)
    # and in the first and last y-columns (they read j - 1, j + 1) read padding; they, and the cells the
    # shift by (1, 0) carries them to (the first x-row), are left out; the four others prove the shift.
    ring = se.Grid((-1, -1), (1, 1), (4, 4), periodic=True)
    layer = se.Conv([[-1, -1, -1], [1, 1, 1]], origin=(0, 1), mode="correlation", bias=-1) >> se.ReLU()
    verdict = se.check_integer_shift(se.CellAverage(ring), "Heaviside(x - y/8)", (1, 0), op=layer)
    assert set(verdict.cells) == {(1, 1), (1, 2), (2, 1), (2, 2)}
    assert set(verdict.boundary_cells) == {(i, j) for i in range(4) for j in range(4) if i in (0, 3) or j in (0, 3)}
    assert verdict.holds is True and verdict.method == "symbolic"


def test_a_disk_has_no_exact_route_and_its_verdict_is_numeric_and_says_why():
    ring = se.Grid((-1, -1), (1, 1), (2, 2), periodic=True)
    verdict = se.check_commutation(se.CellAverage(ring), "Heaviside(1/2 - x**2 - y**2)", ("1/8", 0),
                                   se.LinearShift(), dps=15)
    assert verdict.holds is None and verdict.method == "numeric"
    assert "mpmath quadrature" in verdict.notes[-1] and "not a proof" in verdict.notes[-1]
