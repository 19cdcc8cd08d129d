"""The pytest assertion helpers: they pass on proved claims, fail readably on the rest."""

import ast
import inspect
import types
import warnings

import mpmath
import numpy
import pytest
import sympy

import symequiv as se
from symequiv import testing
from symequiv.errors import InvalidArgument, InvalidType
from symequiv.testing import (
    assert_commutes,
    assert_not_commutes,
    assert_shift_equivariant,
)

R = sympy.Rational
RING = se.Grid(0, 1, 8, periodic=True)
WAVE = se.Signal("sin(2*pi*x)", period=1)
# The paper's edge detector; circular padding makes it exactly shift-equivariant on a ring.
CIRCULAR_EDGE = se.Conv([2, -2], origin=1, bias=-1, padding="circular") >> se.ReLU()
PAPER_EDGE = se.Conv([2, -2], origin=1, bias=-1) >> se.ReLU()
IMAGE = se.CellAverage(se.Grid(-1, 1, 4))  # the paper's four pixels on [-1, 1]


def numpy_edge(b):
    """The circular edge detector in plain numpy float64: a black box."""
    return numpy.maximum(0.0, 2 * numpy.roll(b, -1) - 2 * b - 1)


def ramp(b):
    """Weights each cell by its index: not shift-equivariant (a black box)."""
    return b * numpy.arange(len(b))


def double(b):
    """2 b: runs on object arrays of mpf too, so the black box runs at 50 digits."""
    return 2 * numpy.asarray(b)


class Float32Double:
    """2 b computed in float32, as a float32 model would: it says so with a dtype attribute."""

    def __init__(self, dtype="float32"):
        self.dtype = dtype
        self.__name__ = f"double_{dtype}"

    def __call__(self, b):
        return 2 * numpy.asarray(b, dtype=numpy.float32)


def float32_double_without_dtype(b):
    return 2 * numpy.asarray(b, dtype=numpy.float32)


def message(excinfo):
    return str(excinfo.value)


# ------------------------------------------------------ true claims pass --


def test_integer_shifts_of_the_edge_detector_pass_on_a_ring():
    verdicts = assert_shift_equivariant(
        se.CellAverage(RING), se.Signal("Heaviside(x - 1/3)"), CIRCULAR_EDGE, n=(1, 2, -3)
    )
    assert [(v.holds, v.method) for v in verdicts] == [(True, "symbolic")] * 3
    assert [v.shift for v in verdicts] == [se.Grid(0, 1, 8).dx * n for n in (1, 2, -3)]


def test_integer_shift_with_zero_padding_passes_on_the_cells_away_from_the_boundary():
    # Shift by one pixel: output 3 reads the padding, output 0 comes from outside the image.
    (verdict,) = assert_shift_equivariant(IMAGE, se.Signal("Heaviside(x)"), PAPER_EDGE)
    assert verdict.holds is True and verdict.cells == (1, 2) and verdict.boundary_cells == (0, 3)


def test_fourier_shift_of_a_band_limited_wave_passes():
    (verdict,) = assert_commutes(se.CellAverage(RING), WAVE, ["1/16"], se.FourierShift())
    assert verdict.holds is True and verdict.boundary_cells == ()


def test_linear_shift_of_a_step_on_a_cell_edge_passes():
    # H jumps at x = 0, an edge of the pixels: interpolating linearly is exact there.
    (verdict,) = assert_commutes(IMAGE, se.Signal("Heaviside(x)"), ["1/8"], se.LinearShift())
    assert verdict.holds is True and verdict.boundary_cells == (0,)


def test_certified_inequalities_pass_assert_not_commutes():
    verdicts = assert_not_commutes(se.CellAverage(RING), WAVE, ["1/16", "3/32"], se.LinearShift())
    assert [(v.holds, v.method) for v in verdicts] == [(False, "interval")] * 2
    # eq. (4): the paper's edge detector at half a pixel, an exact certificate.
    (verdict,) = assert_not_commutes(IMAGE, se.Signal("Heaviside(x)"), ["1/4"], se.LinearShift(), PAPER_EDGE)
    assert verdict.method == "symbolic" and verdict.certificate["value"] == sympy.Rational(-1, 2)


# ------------------------------------------------ false claims fail, readably --


def test_a_failed_commutation_names_the_claim_the_worst_shift_and_its_residuals():
    # H(x - 1/4) jumps mid-pixel 2: D[f] = [0, 0, 1/2, 1]. At d = 1/8 (a quarter pixel)
    # the residuals on cells 1..3 are 0, -1/8, 1/8; at d = 1/4 they are 0, -1/4, 1/4;
    # at d = 1/2 (a whole pixel) the interpolation is exact.
    with pytest.raises(AssertionError) as excinfo:
        assert_commutes(IMAGE, se.Signal("Heaviside(x - 1/4)"), ["1/8", "1/4", "1/2"], se.LinearShift())
    text = message(excinfo)
    assert text.startswith("assert_commutes: expected the claim to hold (proved) at every shift")
    assert "does not at 2 of 3 shifts" in text
    assert "d = 1/8: fails (certified); largest |residual| 1/8 in cell 2" in text
    assert "d = 1/4: fails (certified); largest |residual| 1/4 in cell 2" in text
    assert "d = 1/2:" not in text
    assert "worst shift: d = 1/4" in text
    assert "claim: D[f(x - d)] = g(D[f], d)" in text and "d = 1/4" in text
    assert "symbolic" in text
    assert "boundary cells: 0" in text
    assert "note: cells [0] are reached by the boundary and were left out" in text
    rows = [line.split("|") for line in text.splitlines() if line.count("|") == 2]
    cells = {int(row[0]): (row[1].strip(), row[2].strip()) for row in rows if row[0].strip().isdigit()}
    # Cell 1 has residual 0: it did not fail, so it is counted, not listed.
    assert cells == {2: ("-1/4", "exact"), 3: ("1/4", "exact")}
    assert "(1 cell with residual 0 not listed)" in text


def test_a_failed_layer_commutation_reports_both_boundary_cells():
    with pytest.raises(AssertionError) as excinfo:
        assert_commutes(IMAGE, "Heaviside(x)", [IMAGE.grid.dx / 2], se.LinearShift(), PAPER_EDGE)
    text = message(excinfo)
    assert "claim: op(D[f(x - d)]) = g(op(D[f]), d)" in text
    assert "boundary cells: 0, 3" in text
    assert "certificate: the residual of cell 1 is exactly -1/2" in text


def test_an_interval_failure_shows_error_bounds_rounded_up():
    with pytest.raises(AssertionError) as excinfo:
        assert_commutes(se.CellAverage(RING), WAVE, ["1/16"], se.LinearShift())
    text = message(excinfo)
    assert "fails (certified)" in text and "interval" in text
    bounds = [line.rsplit("<=", 1)[1] for line in text.splitlines() if "| <=" in line]
    assert len(bounds) == 8 and all(0 < mpmath.mpf(b) < mpmath.mpf("1e-50") for b in bounds)


def test_a_long_residual_table_is_cut_keeping_the_largest_residuals():
    grid = se.Grid(0, 1, 40, periodic=True)
    with pytest.raises(AssertionError) as excinfo:
        assert_commutes(se.CellAverage(grid), WAVE, ["1/80"], se.LinearShift())
    text = message(excinfo)
    rows = [line for line in text.splitlines() if line.count("|") == 2 and line.split("|")[0].strip().isdigit()]
    assert len(rows) == testing.MAX_ROWS
    assert "... 22 cells more, each with |residual| <= " in text
    assert "(2 cells with residual 0 not listed)" in text  # the residual vanishes at the wave's zeros
    # The residual is largest near the wave's extrema, cells 10 and 30: both are shown.
    shown = {int(row.split("|")[0]) for row in rows}
    assert {10, 30} <= shown


@pytest.fixture
def no_time_to_prove(monkeypatch):
    """The checker's budget for proofs of zero made too short for any: verdicts that need one stay undecided.

    (exp(sin(x)) has no closed-form antiderivative; its exact cell values are integrals, and at a
    whole-cell shift the residuals cancel exactly, but only a proof says so.)
    """
    from symequiv.judge import check as check_module

    monkeypatch.setattr(check_module, "ZERO_PROOF_BUDGET_SECONDS", 1e-6)


def test_an_undecided_integer_shift_fails_and_says_why(no_time_to_prove):
    with pytest.raises(AssertionError) as excinfo:
        assert_shift_equivariant(se.CellAverage(se.Grid(0, 1, 4)), se.Signal("exp(sin(x))"))
    text = message(excinfo)
    assert "n = 1 (d = 1/4): undecided" in text
    assert "worst shift: n = 1 (d = 1/4)" in text
    assert "numeric" in text and "no exact proof of zero was found" in text
    assert "why: an undecided verdict is neither a proof nor a certificate" in text


def test_assert_not_commutes_fails_on_a_proved_equality():
    with pytest.raises(AssertionError) as excinfo:
        assert_not_commutes(se.CellAverage(RING), WAVE, ["1/16", "1/8"], se.LinearShift())
    text = message(excinfo)
    assert text.startswith("assert_not_commutes: expected the claim to fail (certified) at every shift")
    assert "d = 1/8: holds (proved)" in text and "d = 1/16:" not in text


def test_assert_not_commutes_fails_on_an_undecided_one(no_time_to_prove):
    with pytest.raises(AssertionError) as excinfo:
        assert_not_commutes(se.CellAverage(se.Grid(0, 1, 4)), se.Signal("exp(sin(x))"), ["1/4"], se.LinearShift())
    assert "d = 1/4: undecided" in message(excinfo)


def test_numeric_ok_does_not_rescue_an_undecided_symequiv_layer(no_time_to_prove):
    with pytest.raises(AssertionError, match="undecided"):
        assert_not_commutes(
            se.CellAverage(se.Grid(0, 1, 4)), se.Signal("exp(sin(x))"), ["1/4"], se.LinearShift(), numeric_ok=True
        )


def test_pytest_hides_the_helper_frames():
    with pytest.raises(AssertionError) as excinfo:
        assert_commutes(se.CellAverage(RING), WAVE, ["1/16"], se.LinearShift())
    shown = str(excinfo.getrepr(style="long"))
    assert "_conclude" not in shown and "__tracebackhide__" not in shown
    assert "test_pytest_hides_the_helper_frames" in shown


# ------------------------------------------------------------ black boxes --


def test_a_numpy_layer_passes_integer_shifts_on_numeric_evidence():
    verdicts = assert_shift_equivariant(se.CellAverage(RING), WAVE, numpy_edge, n=(1, 3))
    assert all(v.holds is None and v.method == "numeric" for v in verdicts)
    assert all(v.bound <= v.tolerance for v in verdicts)


def test_a_black_box_that_is_not_equivariant_fails_with_its_worst_shift():
    # The ramp weights cell j by j: lhs_j = j b_(j-n) and rhs_j = (j - n) b_(j-n), so the
    # residual is n b_(j-n), twice as large at n = 2 as at n = 1.
    grid = se.Grid(0, 1, 8)  # not periodic: cell 0 receives data from outside at n = 1
    with pytest.raises(AssertionError) as excinfo:
        assert_shift_equivariant(se.CellAverage(grid), WAVE, ramp, n=[1, 2])
    text = message(excinfo)
    assert "(proved, or within tolerance numerically for a black box)" in text
    assert "n = 1 (d = 1/8): numerically unequal: " in text and "n = 2 (d = 1/4): numerically unequal: " in text
    assert "worst shift: n = 2 (d = 1/4)" in text
    assert "boundary cells: 0..1" in text
    assert "| unknown" in text  # a black box states no per-cell error bound


def test_a_black_box_inequality_needs_numeric_ok():
    D = se.CellAverage(RING)
    with pytest.raises(AssertionError) as excinfo:
        assert_not_commutes(D, WAVE, ["1/16"], se.LinearShift(), double)
    text = message(excinfo)
    assert "numerically unequal: " in text and "; not certified" in text
    assert "why: op is a black box, so symequiv cannot certify an inequality" in text
    assert "pass numeric_ok=True" in text
    (verdict,) = assert_not_commutes(D, WAVE, ["1/16"], se.LinearShift(), double, numeric_ok=True)
    assert verdict.holds is None and verdict.bound > verdict.tolerance


def test_a_black_box_equality_fails_assert_not_commutes_even_with_numeric_ok():
    with pytest.raises(AssertionError) as excinfo:
        assert_not_commutes(se.CellAverage(RING), WAVE, ["1/16"], se.FourierShift(), double, numeric_ok=True)
    text = message(excinfo)
    assert "numerically equal: " in text and "within the tolerance" in text
    assert "every compared cell (8 cells) is within the tolerance" in text


def verdict_stand_in(holds=None, bound=None, tolerance=None):
    """What the decision reads from a verdict, nothing else."""
    return types.SimpleNamespace(holds=holds, bound=bound, tolerance=tolerance)


SMALL, TOLERANCE, LARGE = mpmath.mpf("1e-14"), mpmath.mpf("2e-13"), mpmath.mpf("0.1")


@pytest.mark.parametrize(
    "verdict, expect, black_box, numeric_ok, passed, outcome",
    [
        # proofs and certificates decide, whatever the op
        (verdict_stand_in(True), True, False, False, True, "holds (proved)"),
        (verdict_stand_in(True), False, True, True, False, "holds (proved)"),
        (verdict_stand_in(False), False, False, False, True, "fails (certified)"),
        (verdict_stand_in(False), True, True, False, False, "fails (certified)"),
        # a symequiv layer's numeric verdict is undecided, even with a tolerance
        (verdict_stand_in(None, SMALL, TOLERANCE), True, False, False, False, "undecided"),
        (verdict_stand_in(None, LARGE, TOLERANCE), False, False, True, False, "undecided"),
        # a black box: the bound against the tolerance
        (verdict_stand_in(None, SMALL, TOLERANCE), True, True, False, True, "numerically equal: 1.0e-14, tolerance 2.0e-13; not a proof"),
        (verdict_stand_in(None, TOLERANCE, TOLERANCE), True, True, False, True, "numerically equal"),
        (verdict_stand_in(None, LARGE, TOLERANCE), True, True, False, False, "numerically unequal: 0.1, tolerance 2.0e-13; not certified"),
        (verdict_stand_in(None, LARGE, TOLERANCE), False, True, False, False, "numerically unequal"),
        (verdict_stand_in(None, LARGE, TOLERANCE), False, True, True, True, "numerically unequal"),
        (verdict_stand_in(None, SMALL, TOLERANCE), False, True, True, False, "numerically equal"),
        # a black-box verdict that states no tolerance cannot be judged
        (verdict_stand_in(None, SMALL, None), True, True, False, False, "undecided"),
        (verdict_stand_in(None, LARGE, None), False, True, True, False, "undecided"),
    ],
)
def test_the_decision(verdict, expect, black_box, numeric_ok, passed, outcome):
    result, words, why = testing._judge(verdict, expect, black_box=black_box, numeric_ok=numeric_ok)
    assert result is passed and words.startswith(outcome)
    assert why == "" or not passed


def test_the_decision_explains_how_to_opt_in():
    _, _, why = testing._judge(verdict_stand_in(None, LARGE, TOLERANCE), False, black_box=True)
    assert "numeric_ok=True" in why
    _, _, why = testing._judge(verdict_stand_in(None, SMALL), True, black_box=True)
    assert "no bound or tolerance" in why


def test_a_verdict_without_a_tolerance_attribute_counts_as_undecided():
    bare = types.SimpleNamespace(holds=None, bound=SMALL)
    assert testing._judge(bare, True, black_box=True)[:2] == (False, "undecided")


# ---------------------------------------------------------------- arguments --


@pytest.mark.parametrize(
    "shifts, error, words",
    [
        ("12", InvalidType, "string"),
        (2.0, InvalidType, "shifts=2.0"),
        ([], InvalidArgument, "at least one"),
        ([1, 0.5], InvalidType, "shifts[1]=0.5"),
        ([True], InvalidType, "shifts[0]=True"),
        (["1"], InvalidType, "shifts[0]='1'"),
    ],
)
def test_n_must_be_whole_cells(shifts, error, words):
    with pytest.raises(error) as excinfo:
        assert_shift_equivariant(se.CellAverage(RING), WAVE, n=shifts)
    assert words.replace("shifts", "n") in str(excinfo.value)


def test_numpy_integer_shifts_and_a_generator_of_cells_are_accepted():
    cells = (j for j in (2, 3))
    verdicts = assert_shift_equivariant(se.CellAverage(RING), WAVE, n=numpy.array([1, 2]), cells=cells)
    assert [v.cells for v in verdicts] == [(2, 3), (2, 3)]


def test_whole_cell_shifts_are_n_in_cells_and_every_translation_is_in_units_of_x():
    # n counts cells, as check_integer_shift's n; d = n dx is shown beside it.
    (verdict,) = assert_shift_equivariant(se.CellAverage(RING), WAVE, n=2)
    assert verdict.shift == 2 * RING.dx == sympy.Rational(1, 4)
    (moved,) = assert_commutes(se.CellAverage(RING), WAVE, [2 * RING.dx], se.IntegerShift())
    assert moved.shift == verdict.shift  # the same translation, written in units of x
    with pytest.raises(InvalidType, match="use assert_commutes .d in units of x."):
        assert_shift_equivariant(se.CellAverage(RING), WAVE, n=[sympy.Rational(1, 2)])


def test_the_former_shifts_keyword_still_counts_cells_but_is_deprecated():
    with pytest.warns(DeprecationWarning, match="write n=... .whole cells"):
        (verdict,) = assert_shift_equivariant(se.CellAverage(RING), WAVE, shifts=(3,))
    assert verdict.shift == 3 * RING.dx
    with pytest.raises(InvalidType, match="once"):
        assert_shift_equivariant(se.CellAverage(RING), WAVE, n=2, shifts=(3,))


@pytest.mark.parametrize(
    "deltas, error, words",
    [
        ("1/16", InvalidType, "deltas=['1/16']"),
        (mpmath.mpf("0.0625"), InvalidType, "single shift"),
        ([], InvalidArgument, "at least one"),
        (iter([]), InvalidArgument, "at least one"),
    ],
)
@pytest.mark.parametrize("helper", [assert_commutes, assert_not_commutes])
def test_deltas_must_be_a_non_empty_iterable(helper, deltas, error, words):
    with pytest.raises(error) as excinfo:
        helper(se.CellAverage(RING), WAVE, deltas, se.LinearShift())
    assert words in str(excinfo.value)


def test_numeric_ok_must_be_a_bool():
    with pytest.raises(InvalidType, match="numeric_ok"):
        assert_not_commutes(se.CellAverage(RING), WAVE, ["1/16"], se.LinearShift(), numeric_ok="yes")


def test_bad_checker_arguments_are_the_checkers_errors():
    with pytest.raises(InvalidType, match="dps"):
        assert_commutes(se.CellAverage(RING), WAVE, ["1/16"], se.LinearShift(), dps="50")
    with pytest.raises(InvalidType, match="callable"):
        assert_commutes(se.CellAverage(RING), WAVE, ["1/16"], se.LinearShift(), op=42)


def public_names_defined_in(module):
    """Names a module defines at top level (def, class, assignment) that do not start with _."""
    names = set()
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return {name for name in names if not name.startswith("_")}


def test_all_is_explicit_and_complete():
    # Before: MAX_ROWS and MAX_SHIFTS were public but missing from __all__.
    assert len(testing.__all__) == len(set(testing.__all__))
    assert all(hasattr(testing, name) for name in testing.__all__)
    assert public_names_defined_in(testing) == set(testing.__all__)
    assert {"assert_commutes", "assert_not_commutes", "assert_shift_equivariant", "default_tolerance"} <= set(
        testing.__all__
    )


@pytest.mark.parametrize(
    "value, text",
    [("0.125", "0.13"), ("1e-57", "1.0e-57"), ("9.999e-58", "1.0e-57"), ("0", "0"), ("123456", "1.3e+5")],
)
def test_shown_bounds_are_rounded_up(value, text):
    assert testing._rounded_up(mpmath.mpf(value)) == text


def test_exact_residuals_are_shown_exactly_with_a_decimal():
    assert testing._residual_text(sympy.Rational(-1, 4)) == "-1/4"
    assert testing._residual_text(sympy.sqrt(2) / 4) == "0.353553 (exactly sqrt(2)/4)"
    long = sympy.sqrt(2) / 4 - sympy.sin(sympy.pi / 7) * sympy.cos(sympy.pi / 9) / 3 + sympy.exp(-sympy.pi) / 11
    assert testing._residual_text(long).endswith("(exact)")
    assert testing._residual_text(mpmath.mpf("0.125")) == "0.125"


# ---------------------------------------------------------------- tolerances --


def test_a_black_box_far_above_its_tolerance_fails_and_says_numerically_unequal():
    # ramp is not equivariant: the residual is about 10**12 times the float64 tolerance.
    with pytest.raises(AssertionError) as excinfo:
        assert_commutes(se.CellAverage(RING), WAVE, ["1/8"], se.IntegerShift(), ramp)
    text = message(excinfo)
    line = next(line for line in text.splitlines() if line.startswith("  d = 1/8: "))
    assert line.startswith("  d = 1/8: numerically unequal: ") and "; not certified" in line
    residual, tolerance = line.split("numerically unequal: ")[1].split("; not certified")[0].split(", tolerance ")
    assert mpmath.mpf(residual) > 10**10 * mpmath.mpf(tolerance)
    assert "undecided" not in line


def masked(b):
    """Zeroes cell 0: shifted by one cell, only cells 0 and 1 differ; the others have residual 0.0."""
    return numpy.asarray(b) * (numpy.arange(len(b)) > 0)


def test_a_black_box_table_lists_only_the_cells_above_the_tolerance():
    with pytest.raises(AssertionError) as excinfo:
        assert_shift_equivariant(se.CellAverage(RING), WAVE, masked, n=1)
    text = message(excinfo)
    rows = [line.split("|") for line in text.splitlines() if line.count("|") == 2]
    listed = {int(row[0]): float(row[1]) for row in rows if row[0].strip().isdigit()}
    assert set(listed) == {0, 1} and all(value != 0.0 for value in listed.values())
    assert "(6 cells within the tolerance " in text and " not listed)" in text


def test_an_explicit_tolerance_decides_a_black_box():
    D, shift = se.CellAverage(RING), se.FourierShift()
    with pytest.raises(AssertionError, match="numerically unequal: .*e-8, tolerance .*e-13; not certified"):
        assert_commutes(D, WAVE, ["1/16"], shift, float32_double_without_dtype)  # float64's own tolerance
    (verdict,) = assert_commutes(D, WAVE, ["1/16"], shift, float32_double_without_dtype, tolerance=1e-5)
    assert verdict.holds is None and verdict.bound <= 1e-5
    # Linear interpolation errs by about 0.15 here (doubled): far above the default, within 1/2.
    with pytest.raises(AssertionError, match="numerically unequal: 0.148358, tolerance .*e-48; not certified"):
        assert_commutes(D, WAVE, ["1/16"], se.LinearShift(), double)
    (verdict,) = assert_commutes(D, WAVE, ["1/16"], se.LinearShift(), double, tolerance="1/2")
    assert 0.001 < verdict.bound < 0.5
    with pytest.raises(AssertionError) as excinfo:
        assert_commutes(D, WAVE, ["1/16"], se.LinearShift(), double, tolerance="1/8")
    assert "  tolerance of this assertion: 0.125 (the verdict's own is " in message(excinfo)
    (verdict,) = assert_not_commutes(D, WAVE, ["1/16"], shift, float32_double_without_dtype, numeric_ok=True)
    assert verdict.bound > verdict.tolerance


def test_the_default_tolerance_follows_the_dtype_the_op_declares():
    D, shift = se.CellAverage(RING), se.FourierShift()
    # Computed in float32, the translation is exact up to float32 rounding: that passes at
    # float32's tolerance, and the same function without a dtype is judged at float64's.
    (verdict,) = assert_commutes(D, WAVE, ["1/16"], shift, Float32Double())
    assert mpmath.mpf("1e-9") < verdict.bound < testing.default_tolerance("float32")
    assert_commutes(D, WAVE, ["1/16"], shift, Float32Double(numpy.float32))
    with pytest.raises(AssertionError, match="numerically unequal"):
        assert_commutes(D, WAVE, ["1/16"], shift, Float32Double("float64"))
    with pytest.raises(InvalidArgument, match="op.dtype: Expected a floating-point dtype .* pass tolerance="):
        assert_commutes(D, WAVE, ["1/16"], shift, Float32Double("int8"))
    # The default is never looser than float32's rule: a real error still fails.
    with pytest.raises(AssertionError, match="numerically unequal"):
        assert_commutes(D, WAVE, ["1/16"], se.LinearShift(), Float32Double())


def test_default_tolerance_is_1024_units_in_the_last_place_of_the_dtype():
    assert testing.default_tolerance("float64") == 1024 * mpmath.mpf(2) ** -52
    assert testing.default_tolerance("float32") == 1024 * mpmath.mpf(2) ** -23
    assert testing.default_tolerance(numpy.float32, scale=-8) == 8 * 1024 * mpmath.mpf(2) ** -23
    assert testing.default_tolerance(numpy.dtype("float64"), scale="0.5") == testing.default_tolerance()
    with pytest.raises(InvalidArgument, match="floating-point dtype"):
        testing.default_tolerance("int32")


@pytest.mark.parametrize(
    "tolerance, error",
    [("abc", InvalidType), (-1, InvalidArgument), (float("nan"), InvalidArgument), (True, InvalidType), ([1], InvalidType)],
)
def test_bad_tolerances_are_refused(tolerance, error):
    with pytest.raises(error, match="tolerance"):
        assert_commutes(se.CellAverage(RING), WAVE, ["1/16"], se.FourierShift(), double, tolerance=tolerance)


def test_a_failing_black_box_assertion_points_at_the_test_line():
    with pytest.raises(AssertionError) as excinfo:
        assert_shift_equivariant(se.CellAverage(se.Grid(0, 1, 8)), WAVE, ramp, n=1, tolerance=0)
    shown = str(excinfo.getrepr(style="long"))
    assert "_conclude" not in shown and "def assert_shift_equivariant" not in shown


# ------------------------------------------------------------ two dimensions --

PLANE = se.CellAverage(se.Grid((0, 0), (1, 1), (4, 4), periodic=True))
OPEN_PLANE = se.CellAverage(se.Grid((0, 0), (1, 1), (4, 4)))
ORIENTED_EDGE = se.Signal("Heaviside(x + 2*y - 1/3)")
# y[i, j] = ReLU(b[i, j] - b[i, j-1]): a 2-D difference, circular on the plane.
DIFFERENCE = se.Conv([[1, 0], [0, -1]], padding="circular") >> se.ReLU()
# y[i, j] = ReLU(2 b[i+1, j] - 2 b[i, j]): the paper's edge detector along x, zero padding.
EDGE_ALONG_X = se.Conv([[2], [-2]], origin=(1, 0)) >> se.ReLU()


def test_2d_whole_cell_shifts_are_pairs_of_cell_counts():
    (verdict,) = assert_shift_equivariant(PLANE, ORIENTED_EDGE, DIFFERENCE, n=(1, -2))
    assert verdict.holds is True and verdict.shift == (R(1, 4), R(-1, 2)) and len(verdict.cells) == 16
    verdicts = assert_shift_equivariant(PLANE, ORIENTED_EDGE, DIFFERENCE, n=[(1, 0), numpy.array([2, 3])])
    assert [v.shift for v in verdicts] == [(R(1, 4), 0), (R(1, 2), R(3, 4))]
    verdicts = assert_shift_equivariant(PLANE, ORIENTED_EDGE, DIFFERENCE, n=numpy.array([[0, 1], [-1, 0]]))
    assert [v.shift for v in verdicts] == [(0, R(1, 4)), (R(-1, 4), 0)]
    # an int: that many cells along each axis in turn; by default one
    assert [v.shift for v in assert_shift_equivariant(PLANE, ORIENTED_EDGE, DIFFERENCE)] == [(R(1, 4), 0), (0, R(1, 4))]
    assert [v.shift for v in assert_shift_equivariant(PLANE, ORIENTED_EDGE, n=-2)] == [(R(-1, 2), 0), (0, R(-1, 2))]


def test_2d_boundary_cells_are_left_out_as_pairs():
    # Shifted by one cell along x, row 0 receives data from outside the grid and row 3 reads the padding.
    (verdict,) = assert_shift_equivariant(OPEN_PLANE, ORIENTED_EDGE, EDGE_ALONG_X, n=(1, 0))
    assert verdict.holds is True
    assert verdict.boundary_cells == tuple((i, j) for i in (0, 3) for j in range(4))
    assert verdict.cells == tuple((i, j) for i in (1, 2) for j in range(4))


def test_a_2d_cell_whose_layer_output_reads_the_padding_is_a_boundary_cell():
    # As in one dimension (Conv([2, -2], origin=1) on Grid(0, 1, 4), n = 1: boundary cells 0 and 3),
    # row 3 of y[i, j] = 2 b[i+1, j] - 2 b[i, j] reads the zero padding beyond the grid.
    (verdict,) = assert_shift_equivariant(OPEN_PLANE, se.Signal("x"), se.Conv([[2], [-2]], origin=(1, 0)), n=(1, 0))
    assert set(verdict.boundary_cells) == {(i, j) for i in (0, 3) for j in range(4)}


def test_a_failed_2d_commutation_names_its_cells_as_pairs():
    with pytest.raises(AssertionError) as excinfo:
        assert_commutes(PLANE, ORIENTED_EDGE, [("1/8", 0), ("1/4", "1/8"), (0, "1/4")], se.LinearShift())
    text = message(excinfo)
    assert "does not at 2 of 3 shifts" in text
    assert "d = (1/8, 0): fails (certified); largest |residual| 1/16 in cell (0, 0)" in text
    assert "d = (1/4, 1/8): fails (certified); largest |residual| 13/72 in cell (1, 0)" in text
    assert "d = (0, 1/4)" not in text  # a whole cell along y: linear interpolation is exact
    assert "worst shift: d = (1/4, 1/8)" in text
    rows = [line.split("|") for line in text.splitlines() if line.count("|") == 2]
    rows = [row for row in rows if row[0].strip().startswith("(")]
    cells = {row[0].strip(): row[1].strip() for row in rows}
    assert cells == {"(1, 0)": "-13/72", "(1, 1)": "13/72", "(2, 0)": "-1/72", "(2, 1)": "1/72"}
    assert "(12 cells with residual 0 not listed)" in text


def test_a_failed_2d_layer_commutation_reports_the_boundary_rows():
    with pytest.raises(AssertionError) as excinfo:
        assert_commutes(OPEN_PLANE, ORIENTED_EDGE, [("1/8", 0)], se.LinearShift(), EDGE_ALONG_X)
    text = message(excinfo)
    assert "largest |residual| 5/72 in cell (1, 0)" in text
    assert "boundary cells: (0, 0..3), (3, 0..3)" in text
    assert "certificate: the residual of cell (1, 0) is exactly -5/72" in text


def test_2d_inequalities_are_certified():
    (verdict,) = assert_not_commutes(PLANE, ORIENTED_EDGE, [("1/8", 0)], se.LinearShift(), DIFFERENCE)
    assert verdict.holds is False and verdict.method == "symbolic"
    with pytest.raises(AssertionError, match=r"d = \(0, 1/4\): holds \(proved\)"):
        assert_not_commutes(PLANE, ORIENTED_EDGE, [("1/8", 0), (0, "1/4")], se.LinearShift())


def test_2d_channels_name_cells_by_channel_and_pair():
    scene = (ORIENTED_EDGE, se.Signal("x*y"))
    mix = se.Conv([[[[1]], [[1]]], [[[1]], [[-1]]]], padding="circular")  # sum and difference of the channels
    (verdict,) = assert_shift_equivariant(PLANE, scene, mix, n=(1, 1), cells=(c for c in [(0, 1, 1), (1, 2, 3)]))
    assert verdict.holds is True and verdict.cells == ((0, 1, 1), (1, 2, 3))
    with pytest.raises(AssertionError) as excinfo:
        assert_commutes(PLANE, scene, [("1/8", 0)], se.LinearShift(), mix)
    text = message(excinfo)
    assert "largest |residual| 1/16 in cell (0, 0, 0)" in text and "(1, 2, 0) |     1/72 | exact" in text


@pytest.mark.parametrize(
    "n, error, words",
    [
        ("12", InvalidType, "Expected a pair (nx, ny) of int (whole cells per axis), or a sequence of pairs, for n "
                            "on a 2-D grid but got n='12'"),
        (0.5, InvalidType, "but got n=0.5"),
        ((1, 0.5), InvalidType, "n[1]=0.5; for a translation that is not a whole number of cells use assert_commutes"),
        ([(1, 0.5)], InvalidType, "n[0][1]=0.5"),
        ([(1, 2, 3)], InvalidType, "but got n[0]=(1, 2, 3)"),
        ([(1, 2), 3], InvalidType, "but got n[1]=3"),
        ([(True, 0)], InvalidType, "n[0][0]=True"),
        ([], InvalidArgument, "at least one"),
    ],
    ids=repr,
)
def test_2d_n_must_be_pairs_of_whole_cells(n, error, words):
    with pytest.raises(error) as excinfo:
        assert_shift_equivariant(PLANE, ORIENTED_EDGE, n=n)
    assert words in str(excinfo.value)


def test_a_pair_of_cell_counts_on_a_1d_grid_says_it_needs_a_2d_grid():
    with pytest.raises(InvalidType, match=r"n\[0\]=\(1, 2\); a pair \(nx, ny\) is a shift on a 2-D grid"):
        assert_shift_equivariant(se.CellAverage(RING), WAVE, n=[(1, 2)])
    # on a 1-D grid a pair of ints is two shifts, as before
    assert [v.shift for v in assert_shift_equivariant(se.CellAverage(RING), WAVE, n=(1, 2))] == [R(1, 8), R(1, 4)]


@pytest.mark.parametrize("helper", [assert_commutes, assert_not_commutes])
@pytest.mark.parametrize(
    "deltas, error, words",
    [
        (("1/8", 0), InvalidType, "one pair; write deltas=[('1/8', 0)] for a single shift"),
        ("1/8", InvalidType, "write deltas=[('1/8', 0)] for a single shift"),
        ([], InvalidArgument, "at least one"),
        (["1/8"], InvalidArgument, "Expected a shift (dx, dy), one number per axis, on a 2-D grid"),
    ],
    ids=repr,
)
def test_2d_deltas_are_an_iterable_of_pairs(helper, deltas, error, words):
    with pytest.raises(error) as excinfo:
        helper(PLANE, ORIENTED_EDGE, deltas, se.LinearShift())
    assert words in str(excinfo.value)


def test_a_black_box_on_a_2d_grid_is_the_checkers_error():
    with pytest.raises(InvalidType, match="one-dimensional grids only"):
        assert_commutes(PLANE, ORIENTED_EDGE, [("1/8", 0)], se.LinearShift(), double)
