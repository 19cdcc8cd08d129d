"""Tests of symequiv.judge.witness: certificates of the paper's inequality (5)."""

import json
import re
from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from symequiv import CellAverage, Grid, PointSample, Signal, x
from symequiv import y as se_y
from symequiv.errors import InvalidArgument, InvalidType, SymequivError
from symequiv.numeric.numbers import number_repr
from symequiv.discrete.values import ClosedForm
from symequiv.judge.witness import Witness, witness

PAPER = CellAverage(Grid(-1, 1, 4))


def _fraction_of_cell(grid, d):
    """t in [0, 1): the part of d / dx beyond whole cells."""
    cells = d / grid.dx
    return cells - sympy.floor(cells)


def _check_facts(w):
    """The two facts of a witness, recomputed here with the discretizer's public API."""
    D, d, j = w.discretizer, w.shift, w.cell
    assert D(w.f1) == D(w.f2)
    shifted_1, shifted_2 = D(w.f1.shifted(d)), D(w.f2.shifted(d))
    assert sympy.expand(shifted_1[j] - shifted_2[j]) != 0
    return shifted_1[j] - shifted_2[j]


# ------------------------------------------------------------------ examples --


def test_paper_grid_half_cell():
    w = witness(PAPER, "1/4")
    assert w.discretizer == PAPER and w.shift == sympy.Rational(1, 4)
    assert w.before == (w.before[0], w.before[0]) and list(w.before[0]) == [0, 0, 0, 0]
    assert list(w.after[1]) == [sympy.Rational(1, 2), -sympy.Rational(1, 2), 0, 0]
    assert w.cell == 0
    v = w.verdict
    assert v.holds is False and v.method == "symbolic"
    assert v.certificate == {"cell": 0, "kind": "exact", "value": -sympy.Rational(1, 2)}
    assert v.shift == sympy.Rational(1, 4) and v.cells == (0, 1, 2, 3)
    assert "commutes with CellAverage(Grid(-1, 1, 4))" in v.claim
    assert _check_facts(w) == -sympy.Rational(1, 2)


def test_decimal_string_is_exact():
    assert witness(PAPER, "0.25").shift == witness(PAPER, "1/4").shift == sympy.Rational(1, 4)
    assert witness(PAPER, "0.25").notes == ()


def test_repr_round_trips_and_str_reads():
    w = witness(PAPER, "1/4")
    assert repr(w) == f"witness(CellAverage(Grid(-1, 1, 4)), {number_repr(sympy.Rational(1, 4))})"
    again = eval(repr(w), {"witness": witness, "CellAverage": CellAverage, "Grid": Grid, "S": sympy.S})
    assert again.shift == sympy.Rational(1, 4)
    assert again.f2 == w.f2 and again.cell == w.cell
    text = str(w)
    for piece in ("f1(x) = 0", "f2(x) = Piecewise", "D[f1] = D[f2] = [0, 0, 0, 0]",
                  "D[f2(x - d)] = [1/2, -1/2, 0, 0]", "cell 0"):
        assert piece in text


def test_to_dict_is_json():
    w = witness(PointSample(Grid(0, 1, 3, periodic=True)), "-7/5")
    data = json.loads(json.dumps(w.to_dict()))
    assert data["cell"] == w.cell and data["shift"] == "-7/5"
    assert data["verdict"]["holds"] is False
    assert data["verdict"]["certificate"]["kind"] == "exact"
    assert data["before"][0] == data["before"][1]


@pytest.mark.parametrize("D", [PAPER, PointSample(Grid(-1, 1, 4)), PointSample(Grid(-1, 1, 4), at="left")])
@pytest.mark.parametrize("d", ["1/8", "-1/3", "3/8", "-17/8", "31/6"])
def test_verify_on_a_few_shifts(D, d):
    w = witness(D, d)
    fresh = w.verify()
    assert fresh.holds is False and fresh.method == "symbolic"
    assert fresh.certificate == w.verdict.certificate
    value = _check_facts(w)
    t = _fraction_of_cell(D.grid, w.shift)
    expected = -sympy.Min(t, 1 - t) if isinstance(D, CellAverage) else -1
    assert value == expected


# ----------------------------------------------------- small periodic grids --


@pytest.mark.parametrize("make", [CellAverage, PointSample, lambda g: PointSample(g, at="left")])
@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("cells", ["1/3", "1/2", "5/6", "-2/3", "-7/2", "23/4", "-41/5"])
def test_small_periodic_grids_and_long_shifts(make, n, cells):
    grid = Grid(0, 1, n, periodic=True)
    D = make(grid)
    d = sympy.Rational(cells) * grid.dx
    if isinstance(D, CellAverage) and n == 1:
        with pytest.raises(InvalidArgument, match="mean over a whole period"):
            witness(D, d)
        return
    w = witness(D, d)
    assert w.verify().holds is False
    _check_facts(w)
    # The repeated signal is the intended periodic one: a shift by whole periods changes nothing.
    assert D(w.f2.shifted(d)) == D(w.f2.shifted(d + 3 * grid.length)) == D(w.f2.shifted(d - grid.length))


def test_periodic_hat_crossing_the_window_is_written_with_copies():
    w = witness(PointSample(Grid(0, 1, 1, periodic=True)), "1/3")
    assert any("sum of its copies" in note for note in w.notes)
    assert w.verify().holds is False


def test_source_outside_the_domain_is_noted():
    w = witness(PAPER, "-7/3")
    assert any("outside" in note and "translation effect" in note for note in w.notes)
    assert w.verify().holds is False
    w = witness(PointSample(Grid(0, 1, 3), at="left"), "25/4")
    assert any("outside" in note for note in w.notes)
    assert w.verify().holds is False


# -------------------------------------------------------------- property --


@st.composite
def discretizers(draw):
    start = Fraction(draw(st.integers(-8, 8)), draw(st.integers(1, 4)))
    length = Fraction(draw(st.integers(1, 8)), draw(st.integers(1, 4)))
    n = draw(st.integers(1, 8))
    grid = Grid(str(start), str(start + length), n, periodic=draw(st.booleans()))
    kind = draw(st.sampled_from(["average", "center", "left"]))
    if kind == "average":
        assume(not (grid.periodic and n == 1))  # no witness exists there (tested apart)
        return CellAverage(grid)
    return PointSample(grid, at=kind)


@st.composite
def sub_cell_shifts(draw, grid):
    """d = (m + p/q) dx with 0 < p/q < 1: negative, inside, or far beyond the domain."""
    whole = draw(st.integers(-3 * grid.n - 3, 3 * grid.n + 3))
    q = draw(st.integers(2, 12))
    p = draw(st.integers(1, q - 1))
    return (whole + sympy.Rational(p, q)) * grid.dx


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_witness_property(data):
    D = data.draw(discretizers())
    d = data.draw(sub_cell_shifts(D.grid))
    w = witness(D, d)
    assert 0 <= w.cell < D.grid.n
    assert w.verdict.holds is False and w.verdict.method == "symbolic"
    assert w.verdict.certificate["cell"] == w.cell
    value = _check_facts(w)
    assert w.verdict.certificate["value"] == value
    t = _fraction_of_cell(D.grid, w.shift)
    assert value == (-min(t, 1 - t) if isinstance(D, CellAverage) else -1)
    fresh = w.verify()
    assert fresh.holds is False and fresh.certificate == w.verdict.certificate


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_witness_property_long(data):
    test_witness_property.hypothesis.inner_test(data=data)


# ----------------------------------------------------- irrational and float --


def test_irrational_shift_gives_a_ball():
    d = sympy.sqrt(2) / 10
    w = witness(PAPER, d)
    v = w.verdict
    assert v.holds is False and v.method == "interval" and v.dps == 50
    c = v.certificate
    assert c["kind"] == "ball" and c["cell"] == w.cell and c["radius"] < abs(c["value"])
    with mpmath.workdps(60):
        exact = mpmath.mpf(-(sympy.sqrt(2) / 5).evalf(70))
        assert abs(exact - c["value"]) <= c["radius"]  # the ball encloses the true residual
    fresh = w.verify()
    assert fresh.holds is False and fresh.method == "interval"
    assert _check_facts(w) == -sympy.sqrt(2) / 5


def test_irrational_shift_point_sample_is_exact():
    # The hat is centred exactly where the shifted sample looks: the residual is exactly -1.
    w = witness(PointSample(Grid(0, 1, 3, periodic=True)), sympy.sqrt(3) / 7)
    assert w.verdict.method == "symbolic" and w.verdict.certificate["value"] == -1
    assert w.verify().holds is False


@pytest.mark.slow
def test_grid_with_pi_bounds():
    w = witness(CellAverage(Grid(0, "2*pi", 3, periodic=True)), "1/7")
    assert w.verdict.method == "interval"
    assert w.verify().holds is False


def test_float_shift_is_noted():
    w = witness(PAPER, 0.1)
    assert w.shift == sympy.Rational(0.1) != sympy.Rational(1, 10)
    note = w.notes[0]
    assert "d = 0.1 was a float" in note and str(sympy.Rational(0.1)) in note
    assert note in w.verdict.notes
    assert w.verify().holds is False


# ---------------------------------------------------------------- refusals --


@pytest.mark.parametrize("make", [CellAverage, PointSample])
def test_whole_cell_on_periodic_grid_is_refused(make):
    D = make(Grid(-1, 1, 4, periodic=True))
    with pytest.raises(InvalidArgument) as info:
        witness(D, "1/2")
    message = str(info.value)
    assert "d = 1/2 is a whole number of cells (1) on a periodic grid" in message
    assert "commutes with the integer shift" in message and "no witness exists" in message


@pytest.mark.parametrize("make", [CellAverage, PointSample])
@pytest.mark.parametrize("d", ["1/2", "-3/2", "0", "0.0", "20"])
def test_whole_cell_on_open_grid_is_refused(make, d):
    with pytest.raises(InvalidArgument, match="boundary effect, not a translation effect"):
        witness(make(Grid(-1, 1, 4)), d)


def test_zero_shift_on_periodic_grid_is_refused():
    with pytest.raises(InvalidArgument, match=r"whole number of cells \(0\)"):
        witness(CellAverage(Grid(-1, 1, 4, periodic=True)), 0)


def test_one_cell_periodic_average_is_refused():
    with pytest.raises(InvalidArgument, match="commutes with the identity"):
        witness(CellAverage(Grid(0, 1, 1, periodic=True)), "1/3")


@pytest.mark.parametrize("D", ["CellAverage", Grid(0, 1, 2), None, lambda f: f])
def test_bad_discretizer_type(D):
    with pytest.raises(InvalidType, match="CellAverage or PointSample") as info:
        witness(D, "1/4")
    assert isinstance(info.value, SymequivError) and isinstance(info.value, TypeError)


@pytest.mark.parametrize("d", ["x", "delta", None, float("nan"), "1/0"])
def test_bad_shift(d):
    with pytest.raises(SymequivError):
        witness(PAPER, d)


# ---------------------------------------------------------- broken witness --


def _rebuilt(w, **changes):
    fields = dict(discretizer=w.discretizer, shift=w.shift, f1=w.f1, f2=w.f2, cell=w.cell)
    fields.update(changes)
    return Witness(**fields, before=w.before, after=w.after, verdict=w.verdict, notes=w.notes)


def test_broken_f2_does_not_verify():
    w = witness(PAPER, "1/4")
    broken = _rebuilt(w, f2=Signal("Heaviside(x)"))  # D[f2] = [0, 0, 1, 1] != D[f1]
    v = broken.verify()
    assert v.holds is None and v.method == "numeric" and v.certificate is None
    assert any("not proved equal" in note for note in v.notes)
    quarter = number_repr(sympy.Rational(1, 4))
    assert repr(broken).startswith(f"Witness(CellAverage(Grid(-1, 1, 4)), {quarter}, Signal('0')")


def test_invisible_but_not_separated_does_not_verify():
    w = witness(PAPER, "1/4")
    v = _rebuilt(w, f2=Signal("0")).verify()  # equal before, but equal after too
    assert v.holds is None and any("not certified nonzero" in note for note in v.notes)


def test_wrong_cell_does_not_verify():
    w = witness(PAPER, "1/4")
    assert _rebuilt(w, cell=3).verify().holds is None


def test_whole_cell_shift_does_not_verify():
    w = witness(PointSample(Grid(-1, 1, 4, periodic=True)), "1/4")
    assert _rebuilt(w, shift=sympy.Rational(1, 2)).verify().holds is None


def test_unsupported_signal_does_not_verify():
    w = witness(PAPER, "1/4")
    v = _rebuilt(w, f2=Signal(sympy.gamma(x) * sympy.Heaviside(x - 5, 0))).verify()
    assert v.holds is None and v.method == "numeric"


def test_hand_built_witness_is_validated():
    w = witness(PAPER, "1/4")
    with pytest.raises(InvalidArgument, match="cell"):
        _rebuilt(w, cell=4)
    with pytest.raises(InvalidType, match="Signal for f2"):
        _rebuilt(w, f2="0")
    with pytest.raises(InvalidType, match="CellAverage or PointSample"):
        _rebuilt(w, discretizer=Grid(-1, 1, 4))


class _DoublingAverage(CellAverage):
    """A discretizer whose closed forms are wrong (twice the truth): only mpmath can tell."""

    __slots__ = ()

    def closed_form(self, signal):
        true = super().closed_form(signal)
        return ClosedForm([2 * e for e in true.flat], true.variable, true.label, shape=true.shape)


def test_numeric_cross_check_catches_a_wrong_exact_route():
    honest = witness(PAPER, "1/4")
    lying = _DoublingAverage(PAPER.grid)
    v = _rebuilt(honest, discretizer=lying).verify()
    assert v.holds is None and v.method == "numeric"
    assert any("mpmath gives" in note for note in v.notes)


@pytest.mark.parametrize("d", ["pi**200", "pi**20", "10**60 + 1/3", "-exp(100)"])
def test_witness_far_outside_the_domain(d):
    """Breakpoints near pi**200 agree in their first 100 digits: ordering them needs exact signs."""
    D = CellAverage(Grid(-1, 1, 4))
    found = witness(D, d)
    assert found.verdict.holds is False
    assert found.before[0] == found.before[1]
    assert found.after[0][found.cell] != found.after[1][found.cell]


# ------------------------------------------- issue 9: precision follows d --

TINY = sympy.Rational(1, 10**30)


@pytest.mark.parametrize("D", [
    PointSample(Grid(0, 1, 4, periodic=True)),
    PointSample(Grid(-1, 1, 8, periodic=True)),
    PointSample(Grid(0, 3, 7, periodic=True), at="left"),
    PointSample(Grid(sympy.Rational(1, 3), sympy.Rational(5, 2), 5, periodic=True)),
    PointSample(Grid(-1, 1, 8)),
    CellAverage(Grid(0, 3, 7, periodic=True)),
])
@pytest.mark.parametrize("cells", [TINY, -TINY, 1 - TINY, 3 + TINY, TINY**2])
def test_verify_raises_its_precision_for_a_shift_near_whole_cells(D, cells):
    # verify() used to return holds=None here: its 30-digit cross-check could not see the shift
    w = witness(D, cells * D.grid.dx)
    assert w.verdict.holds is False
    verdict = w.verify()
    assert verdict.holds is False, verdict.notes
    digits = int(re.search(r"cross-check at (\d+) digits", verdict.notes[-1])[1])
    assert digits >= 30 + 29 and "raised from 30" in verdict.notes[-1]


def test_an_ordinary_shift_keeps_the_ordinary_precision():
    verdict = witness(PAPER, "1/4").verify()
    assert verdict.holds is False and "raised from" not in verdict.notes[-1]


def test_an_irrational_shift_near_whole_cells_is_certified_and_verified():
    near = sympy.sqrt(2) - sympy.Rational(14142135623730950488, 10**19)  # about 1.7e-20 of a cell
    D = CellAverage(Grid(0, 1, 4, periodic=True))
    w = witness(D, near * D.grid.dx)
    assert w.verdict.method == "interval" and w.verdict.holds is False
    assert w.verify().holds is False


def test_a_cross_check_beyond_the_digit_limit_says_so(monkeypatch):
    import sys

    module = sys.modules[Witness.__module__]
    w = witness(PointSample(Grid(0, 1, 4, periodic=True)), TINY / 4)
    monkeypatch.setattr(module, "MAX_DPS", 40)
    verdict = w.verify()
    assert verdict.holds is None
    assert any("would need" in note and "more than the 40 allowed" in note for note in verdict.notes)


# --------------------------------------------- issue 9: the witness's verdict --


def test_a_witness_verdict_says_it_covers_every_cell():
    assert "on 4 of 4 cells" in str(witness(PAPER, "1/4").verdict).splitlines()[0]


# ------------------------------------------------------------ two dimensions --
#
# The facts of a 2-D witness are recomputed here without the library's discretizers: cell averages
# by sympy's double integral of the scene over each (shifted) rectangle, point samples by
# substitution, the scene read on the domain and repeated along periodic axes.

SQRT2, SQRT3 = sympy.sqrt(2), sympy.sqrt(3)

TWO_D = {
    "average, open, rational, x only": (CellAverage(Grid((0, 0), (1, 1), (4, 2))), ("1/8", 0)),
    "average, periodic, rational, y only": (CellAverage(Grid((0, 0), (1, 1), (4, 4), periodic=True)), (0, "-3/8")),
    "average, x periodic, both": (CellAverage(Grid((-1, 0), (1, 1), (4, 3), periodic=(True, False))), ("1/3", "1/5")),
    "average, periodic, irrational, both": (
        CellAverage(Grid((0, 0), (1, 1), (3, 2), periodic=True)), (SQRT2 / 10, SQRT3 / 7)),
    "average, open, irrational, x only": (CellAverage(Grid((0, 0), (1, 1), (3, 3))), (SQRT2 / 10, "-2/3")),
    "average, open, source outside, y": (CellAverage(Grid((0, 0), (1, 1), (2, 2))), ("1/8", "-7/3")),
    "sample, open, irrational, x only": (PointSample(Grid((0, 0), (1, 1), (3, 3))), (SQRT2 / 10, 1)),
    "sample, periodic left, long, y only": (
        PointSample(Grid((0, 0), (1, 1), (1, 2), periodic=True), at="left"), (2, "-7/4")),
    "sample, periodic, rational, both": (PointSample(Grid((0, 0), (2, 1), (4, 4), periodic=True)), ("1/3", "1/7")),
    "sample, y periodic, irrational, y only": (
        PointSample(Grid((0, -1), (1, 1), (2, 3), periodic=(False, True))), (0, SQRT3 / 7)),
    "sample, open, hat outside": (PointSample(Grid((0, 0), (1, 1), (3, 2))), ("1/5", "-9/4")),
}


def _part(line, component):
    """min(t, 1 - t), t the fraction of a cell in component / dx along one axis."""
    t = _fraction_of_cell(line, sympy.sympify(component))
    return sympy.Min(t, 1 - t)


def _expected_axis(grid, d):
    """The axis the witness should use: the larger sub-cell part, x on a tie."""
    parts = [_part(line, c) for line, c in zip(grid.axes, d)]
    return 0 if bool(parts[0] >= parts[1]) else 1


def _windows(line, lo, hi):
    """[lo, hi] read on one axis: as it is, or mapped into the periodic window (one or two pieces)."""
    if not line.periodic:
        return [(lo, hi)]
    k = sympy.floor((lo - line.start) / line.length)
    lo, hi = lo - k * line.length, hi - k * line.length
    if bool(hi <= line.stop):
        return [(lo, hi)]
    return [(lo, line.stop), (line.start, hi - line.length)]


def _cell_values(D, expr, d):
    """D[f.shifted(d)] on every cell, as a dict {(i, j): exact value}, computed here from the definition."""
    (gx, gy), (dx, dy) = D.grid.axes, [sympy.sympify(c) for c in d]
    values = {}
    for i in range(gx.n):
        for j in range(gy.n):
            if isinstance(D, CellAverage):
                xs = _windows(gx, gx.edges[i] - dx, gx.edges[i + 1] - dx)
                ys = _windows(gy, gy.edges[j] - dy, gy.edges[j + 1] - dy)
                total = sum(sympy.integrate(expr, (x, a, b), (se_y, c, e)) for a, b in xs for c, e in ys)
                values[i, j] = total / (gx.dx * gy.dx)
            else:
                px = (gx.centers if D.at == "center" else gx.edges)[i] - dx
                py = (gy.centers if D.at == "center" else gy.edges)[j] - dy
                (px, _), (py, _) = _windows(gx, px, px)[0], _windows(gy, py, py)[0]  # the point, wrapped
                values[i, j] = expr.subs({x: px, se_y: py})
    return values


def _same(a, b):
    """a == b: exactly, or to 50 digits where sympy leaves a difference of surds uncancelled."""
    difference = sympy.expand(a - b)
    return difference == 0 or abs(sympy.N(difference, 60)) < sympy.Rational(1, 10**50)


def _check_facts_2d(w):
    """Both facts, from the definition: D[f1] = D[f2] everywhere, the translations differ at the cell."""
    D, d, cell = w.discretizer, w.shift, w.cell
    zero = (0, 0)
    before = [_cell_values(D, f.expr, zero) for f in (w.f1, w.f2)]
    after = [_cell_values(D, f.expr, d) for f in (w.f1, w.f2)]
    for k, values in enumerate(before):
        assert all(v == 0 for v in values.values()), f"D[f{k + 1}] is not 0"
        assert all(_same(values[i, j], w.before[k][i, j]) for i, j in values)
    for k, values in enumerate(after):
        assert all(_same(values[i, j], w.after[k][i, j]) for i, j in values)
    residual = sympy.expand(after[0][cell] - after[1][cell])
    assert residual != 0 and abs(sympy.N(residual, 30)) > sympy.Rational(1, 10**6)
    return residual


@pytest.mark.parametrize("name", TWO_D)
def test_two_dimensional_witness(name):
    D, d = TWO_D[name]
    w = witness(D, d)
    grid = D.grid
    axis = _expected_axis(grid, d)
    variable = (x, se_y)[axis]
    assert w.f1.expr == 0 and w.f2.expr.free_symbols == {variable}  # the 1-D bump, constant along the other axis
    assert isinstance(w.cell, tuple) and w.cell[1 - axis] == 0
    residual = _check_facts_2d(w)
    part = _part(grid.axes[axis], d[axis])
    expected = -part if isinstance(D, CellAverage) else -1
    assert _same(residual, expected)
    # the whole column (row) through the cell differs by the same value
    nx, ny = grid.shape
    line = [(w.cell[0], j) for j in range(ny)] if axis == 0 else [(i, w.cell[1]) for i in range(nx)]
    assert len({w.after[1][c] for c in line}) == 1
    v = w.verdict
    assert v.holds is False and v.certificate["cell"] == w.cell and v.cells[0] == (0, 0) and len(v.cells) == grid.cells
    assert v.shift == tuple(sympy.sympify(c) for c in d)
    exact = isinstance(D, PointSample) or part.is_Rational
    assert v.method == ("symbolic" if exact else "interval")
    fresh = w.verify()
    assert fresh.holds is False and fresh.method == v.method, fresh.notes
    assert fresh.certificate["cell"] == w.cell
    if exact:
        assert fresh.certificate == v.certificate and v.certificate["value"] == expected


def test_two_dimensional_notes_say_where_the_bump_is():
    w = witness(*TWO_D["average, open, source outside, y"])
    assert any("along y" in note and "outside" in note and "y-cell" in note for note in w.notes)
    assert any("varies along y only" in note and "(i, 0), every i" in note for note in w.notes)
    w = witness(*TWO_D["sample, open, hat outside"])
    assert any("around y = " in note and "outside the domain" in note for note in w.notes)
    w = witness(*TWO_D["sample, periodic left, long, y only"])
    assert w.verify().holds is False


def test_two_dimensional_repr_pastes_back():
    w = witness(CellAverage(Grid((0, 0), (1, 1), (4, 2))), ("1/8", 0))
    assert repr(w) == "witness(CellAverage(Grid((0, 0), (1, 1), (4, 2))), (S(1)/8, 0))"
    names = {"witness": witness, "CellAverage": CellAverage, "PointSample": PointSample, "Grid": Grid,
             "S": sympy.S, "sqrt": sympy.sqrt}
    for D, d in TWO_D.values():
        w = witness(D, d)
        again = eval(repr(w), names)
        assert (again.discretizer, again.shift, again.f2, again.cell) == (w.discretizer, w.shift, w.f2, w.cell)
    w = witness(PointSample(Grid((0, 0), (1, 1), (1, 2), periodic=True), at="left"), (2, "-7/4"))
    assert repr(w) == ("witness(PointSample(Grid((0, 0), (1, 1), (1, 2), periodic=True), at='left'), "
                       "(2, -S(7)/4))")


def test_two_dimensional_str_dict_and_html():
    w = witness(CellAverage(Grid((0, 0), (1, 1), (4, 2))), ("1/8", 0))
    text = str(w)
    for piece in ("at d = (1/8, 0), (1/2, 0) cells:", "f1(x, y) = 0", "f2(x, y) = Piecewise",
                  "D[f1] = D[f2] = [[0, 0], [0, 0], [0, 0], [0, 0]]",
                  "D[f2(x - d_x, y - d_y)] = [[1/2, 1/2], [-1/2, -1/2], [0, 0], [0, 0]]",
                  "they differ at cell (0, 0) (0 vs 1/2)"):
        assert piece in text
    data = json.loads(json.dumps(w.to_dict()))
    assert data["shift"] == ["1/8", "0"] and data["cell"] == [0, 0]
    assert data["before"][1] == [["0", "0"]] * 4 and data["after"][1][1] == ["-1/2", "-1/2"]
    assert data["verdict"]["holds"] is False and data["verdict"]["certificate"]["cell"] == [0, 0]
    assert "d_x, y - d_y" in data["verdict"]["claim"]
    from verdict_examples import parsed_html

    page = w._repr_html_()
    root = parsed_html(page)
    mathml = "{http://www.w3.org/1998/Math/MathML}"
    framed = root.findall(f".//{mathml}mrow[@class='differs']")
    assert len(framed) == 2  # the cell (0, 0) of both translated discretizations
    assert len(root.findall(f".//{mathml}mtr")) >= 3 * 4  # three 4 x 2 matrices, one row per x-cell
    assert "cell (0, 0)" in page and "d<sub>x</sub>" in page and "symequiv-verdict" in page


@pytest.mark.parametrize("make", [CellAverage, PointSample])
@pytest.mark.parametrize("periodic", [True, False, (True, False)])
@pytest.mark.parametrize("d", [("1/4", 0), (0, 0), ("-1/2", "3/2"), (1, "1/2")])
def test_two_dimensional_whole_cells_are_refused(make, periodic, d):
    D = make(Grid((0, 0), (1, 2), (4, 4), periodic=periodic))
    with pytest.raises(InvalidArgument, match="whole number of cells along both axes") as info:
        witness(D, d)
    message = str(info.value)
    if periodic is True:
        assert "commutes with the integer shift" in message and "no witness exists" in message
    else:
        assert "boundary effect, not a translation effect" in message
        assert ("not periodic along y" if periodic == (True, False) else "not periodic along x and y") in message


def test_two_dimensional_whole_period_axis_is_refused_or_avoided():
    D = CellAverage(Grid((0, 0), (1, 1), (1, 3), periodic=True))
    with pytest.raises(InvalidArgument, match="along x the grid is periodic with one cell") as info:
        witness(D, ("1/3", 1))
    assert "mean over a whole period" in str(info.value)
    w = witness(D, ("1/3", "1/9"))  # y can carry the bump, x cannot
    assert w.f2.expr.free_symbols == {se_y} and w.verify().holds is False
    with pytest.raises(InvalidArgument, match="along x and y"):
        witness(CellAverage(Grid((0, 0), (1, 1), (1, 1), periodic=True)), ("1/3", "1/5"))
    # a point sample sees a translation on a one-cell periodic axis
    assert witness(PointSample(Grid((0, 0), (1, 1), (1, 3), periodic=True)), ("1/3", 1)).verify().holds is False


@pytest.mark.parametrize("D, d, match", [
    (CellAverage(Grid((0, 0), (1, 1), (4, 4))), "1/8", r"Expected a pair \(d_x, d_y\), one shift per axis"),
    (CellAverage(Grid((0, 0), (1, 1), (4, 4))), ("1/8",), r"Expected a pair \(d_x, d_y\)"),
    (PointSample(Grid((0, 0), (1, 1), (4, 4))), ("1/8", 0, 0), r"Expected a pair \(d_x, d_y\)"),
    (CellAverage(Grid(0, 1, 4)), ("1/8", 0), r"Expected one number d for the one-dimensional Grid\(0, 1, 4\)"),
    (PointSample(Grid(0, 1, 4)), ["1/8", "1/8"], "a pair"),
    (CellAverage(Grid((0, 0), (1, 1), (4, 4))), ("1/8", "y"), r"d\[1\]"),
])
def test_two_dimensional_bad_shift(D, d, match):
    with pytest.raises(SymequivError, match=match):
        witness(D, d)


def test_two_dimensional_float_components_are_noted():
    w = witness(CellAverage(Grid((0, 0), (1, 1), (4, 4))), (0.1, "1/3"))
    assert w.shift[0] == sympy.Rational(0.1)
    assert any(note.startswith("d[0] = 0.1 was a float") for note in w.notes)
    assert w.verify().holds is False


def test_two_dimensional_shift_near_whole_cells_raises_the_cross_check_precision():
    D = CellAverage(Grid((0, 0), (1, 1), (4, 4), periodic=True))
    w = witness(D, (TINY / 4, "1/8"))  # x is 1e-30 of a cell from whole, so the bump runs along y
    assert w.f2.expr.free_symbols == {se_y}
    verdict = w.verify()
    assert verdict.holds is False
    assert "raised from 30 because d's x component is 1.0e-30 of a cell" in verdict.notes[-1]


def test_two_dimensional_hand_built_witnesses():
    w = witness(CellAverage(Grid((0, 0), (1, 1), (4, 2))), ("1/8", 0))
    # a scene that depends on x and y: the cross-check integrates it in both (still a witness, by Fubini)
    assert _rebuilt(w, f2=Signal(w.f2.expr * (1 + se_y))).verify().holds is False
    stepped = Signal(w.f2.expr * sympy.Piecewise((1, se_y < sympy.Rational(1, 3)), (2, True)))
    assert _rebuilt(w, f2=stepped).verify().holds is False
    broken = _rebuilt(w, f2=Signal("Heaviside(x + y - 1)"))
    v = broken.verify()
    assert v.holds is None and v.certificate is None and any("not proved equal at cell (" in n for n in v.notes)
    assert _rebuilt(w, cell=(3, 1)).verify().holds is None  # the translations agree there
    assert _rebuilt(w, shift=(sympy.Rational(1, 4), 0)).verify().holds is None  # whole cells
    assert repr(_rebuilt(w, cell=(3, 1))).startswith(
        "Witness(CellAverage(Grid((0, 0), (1, 1), (4, 2))), (S(1)/8, 0), Signal('0'), ")
    with pytest.raises(InvalidArgument, match=r"cell \(i, j\) with 0 <= i < 4 and 0 <= j < 2"):
        _rebuilt(w, cell=0)
    with pytest.raises(InvalidArgument, match=r"cell \(i, j\)"):
        _rebuilt(w, cell=(0, 2))
    with pytest.raises(InvalidArgument, match=r"Expected a pair \(d_x, d_y\)"):
        _rebuilt(w, shift="1/8")


def test_two_dimensional_cross_check_catches_a_wrong_exact_route():
    honest = witness(CellAverage(Grid((0, 0), (1, 1), (2, 2))), ("1/4", 0))
    lying = _DoublingAverage(honest.discretizer.grid)
    v = _rebuilt(honest, discretizer=lying).verify()
    assert v.holds is None and any("mpmath gives" in note and "cell (0, 0)" in note for note in v.notes)


@st.composite
def discretizers_2d(draw):
    axes = []
    for _ in range(2):
        start = Fraction(draw(st.integers(-4, 4)), draw(st.integers(1, 3)))
        length = Fraction(draw(st.integers(1, 4)), draw(st.integers(1, 3)))
        axes.append((str(start), str(start + length), draw(st.integers(1, 3))))
    (x0, x1, nx), (y0, y1, ny) = axes
    grid = Grid((x0, y0), (x1, y1), (nx, ny), periodic=(draw(st.booleans()), draw(st.booleans())))
    kind = draw(st.sampled_from(["average", "center", "left"]))
    return CellAverage(grid) if kind == "average" else PointSample(grid, at=kind)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_two_dimensional_witness_property(data):
    D = data.draw(discretizers_2d())
    d = tuple(data.draw(sub_cell_shifts(line)) if data.draw(st.booleans()) else data.draw(st.integers(-3, 3)) * line.dx
              for line in D.grid.axes)  # each component a sub-cell shift or whole cells
    usable = [line for line, c in zip(D.grid.axes, d)
              if _part(line, c) != 0 and not (isinstance(D, CellAverage) and line.periodic and line.n == 1)]
    if not usable:
        with pytest.raises(InvalidArgument):
            witness(D, d)
        return
    w = witness(D, d)
    residual = _check_facts_2d(w)
    assert w.verdict.holds is False and _same(residual, w.verdict.certificate["value"])
    assert w.verify().holds is False
