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
        return ClosedForm([2 * e for e in true], true.variable, true.label)


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
