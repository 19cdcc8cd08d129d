"""Verdict: the rules of DESIGN.md are enforced, and a verdict is written and read back exactly."""

import json
import pickle

import mpmath
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symequiv.errors import ExpressionError, InvalidArgument, InvalidType, SymequivError
from symequiv.judge.verdict import Verdict
from verdict_examples import CLAIM, R, at, fails_by_ball, fails_exactly, mpf, proved, undecided


# ------------------------------------------------------------- the rules --


def rule(number):
    return pytest.raises(InvalidArgument, match=f"rule {number}")


def test_the_four_kinds_of_verdict_are_accepted():
    assert proved().holds is True and proved().certified
    assert fails_exactly().holds is False and fails_exactly().certified
    assert fails_by_ball().holds is False
    assert undecided().holds is None and not undecided().certified


def test_rule1_holds_true_needs_method_symbolic():
    for method in ("numeric", "interval"):
        with rule(1):
            Verdict(CLAIM, True, method, [0], cells=(0,))


def test_rule1_a_tiny_numeric_residual_is_not_a_proof():
    with rule(1):
        Verdict(CLAIM, True, "numeric", [at(50, "1e-60")], cells=(0,), dps=50)


def test_rule1_holds_true_needs_every_residual_exactly_zero():
    with rule(1):
        Verdict(CLAIM, True, "symbolic", [0, R(1, 10**40)], cells=(0, 1))


def test_rule1_an_unsimplified_zero_is_not_accepted_as_a_proof():
    hidden_zero = sympy.cos(sympy.pi / 7) - sympy.sin(5 * sympy.pi / 14)
    assert hidden_zero != 0
    with rule(1):
        Verdict(CLAIM, True, "symbolic", [hidden_zero], cells=(0,))


def test_rule1_a_numeric_zero_is_not_an_exact_zero():
    with pytest.raises(InvalidArgument, match="symbolic"):
        Verdict(CLAIM, True, "symbolic", [mpf(0)], cells=(0,), dps=50)


def test_rule1_holds_true_takes_no_certificate():
    with rule(1):
        Verdict(CLAIM, True, "symbolic", [0], cells=(0,), certificate={"cell": 0, "kind": "exact", "value": 1})


def test_rule1_a_proof_needs_a_compared_cell():
    with rule(1):
        Verdict(CLAIM, True, "symbolic", [], cells=(), boundary_cells=(0, 1))


def test_rule1_undecided_is_numeric():
    for method in ("symbolic", "interval"):
        with rule(1):
            Verdict(CLAIM, None, method, [0], cells=(0,))


def test_rule2_holds_false_needs_a_certificate():
    with rule(2):
        Verdict(CLAIM, False, "symbolic", [R(1, 2)], cells=(0,))


def test_rule2_an_exact_certificate_must_be_nonzero():
    with rule(2):
        Verdict(CLAIM, False, "symbolic", [0], cells=(0,), certificate={"cell": 0, "kind": "exact", "value": 0})


def test_rule2_an_exact_certificate_must_be_proved_nonzero():
    hidden_zero = sympy.sqrt(3 + 2 * sympy.sqrt(2)) - 1 - sympy.sqrt(2)
    with rule(2):
        Verdict(CLAIM, False, "symbolic", [hidden_zero], cells=(0,),
                certificate={"cell": 0, "kind": "exact", "value": hidden_zero})


def test_rule2_a_tiny_exact_certificate_is_proved_nonzero():
    tiny = sympy.sqrt(2) - R(14142135623730950488016887242097, 10**31)
    verdict = Verdict(CLAIM, False, "symbolic", [tiny], cells=(0,),
                      certificate={"cell": 0, "kind": "exact", "value": tiny})
    assert verdict.holds is False


def test_rule2_an_exact_certificate_comes_from_symbolic_work():
    with rule(2):
        Verdict(CLAIM, False, "interval", [R(1, 2)], cells=(0,),
                certificate={"cell": 0, "kind": "exact", "value": R(1, 2)})


def test_rule2_a_ball_certificate_comes_from_interval_work():
    with rule(2):
        Verdict(CLAIM, False, "symbolic", [R(1, 2)], cells=(0,), dps=50,
                certificate={"cell": 0, "kind": "ball", "value": mpf(0.5), "radius": mpf(0.1)})


def test_rule2_a_numeric_verdict_cannot_certify():
    with rule(2):
        Verdict(CLAIM, False, "numeric", [mpf(0.5)], cells=(0,), dps=50,
                certificate={"cell": 0, "kind": "ball", "value": mpf(0.5), "radius": mpf(0.1)})


def test_rule2_a_ball_certificate_must_exclude_zero():
    for radius in ("0.5", "0.6"):
        with rule(2):
            Verdict(CLAIM, False, "interval", [mpf(0.5)], cells=(0,), dps=50,
                    certificate={"cell": 0, "kind": "ball", "value": mpf(0.5), "radius": mpf(radius)})


def test_rule2_the_certificate_cell_must_be_compared():
    with rule(2):
        Verdict(CLAIM, False, "symbolic", [R(1, 2)], cells=(0,), boundary_cells=(1,),
                certificate={"cell": 1, "kind": "exact", "value": R(1, 2)})


def test_rule2_an_exact_certificate_must_be_its_cells_residual():
    with rule(2):
        Verdict(CLAIM, False, "symbolic", [R(1, 2), 0], cells=(0, 1),
                certificate={"cell": 1, "kind": "exact", "value": R(1, 2)})


def test_rule2_a_ball_certificate_must_meet_its_cells_enclosure():
    with rule(2):
        Verdict(CLAIM, False, "interval", [mpf(0.5)], cells=(0,), dps=50, error_bounds=[mpf("1e-40")],
                certificate={"cell": 0, "kind": "ball", "value": mpf(-0.5), "radius": mpf(0.1)})
    with rule(2):
        Verdict(CLAIM, False, "interval", [R(1, 3)], cells=(0,), dps=50,
                certificate={"cell": 0, "kind": "ball", "value": mpf(0.5), "radius": mpf(0.1)})


def test_rule2_undecided_takes_no_certificate():
    with rule(2):
        Verdict(CLAIM, None, "numeric", [mpf(0.5)], cells=(0,), dps=50,
                certificate={"cell": 0, "kind": "ball", "value": mpf(0.5), "radius": mpf(0.1)})


def test_rule4_a_boundary_cell_is_never_compared():
    with rule(4):
        Verdict(CLAIM, True, "symbolic", [0, 0], cells=(0, 1), boundary_cells=(1, 2))


def test_the_bound_of_a_numeric_verdict_covers_its_residuals():
    with pytest.raises(InvalidArgument, match="bound"):
        Verdict(CLAIM, None, "numeric", [mpf("1e-10")], cells=(0,), dps=50, error_bounds=[mpf("1e-12")],
                bound=mpf("1e-10"))
    ok = Verdict(CLAIM, None, "numeric", [mpf("1e-10")], cells=(0,), dps=50, error_bounds=[mpf("1e-12")],
                 bound=mpf("1.01e-10"))
    assert ok.bound == mpf("1.01e-10")


# ------------------------------------------------------------ validation --


@pytest.mark.parametrize(
    "args, kwargs, error",
    [
        (("", True, "symbolic", [0]), {"cells": (0,)}, InvalidArgument),
        (("   ", True, "symbolic", [0]), {"cells": (0,)}, InvalidArgument),
        ((None, True, "symbolic", [0]), {"cells": (0,)}, InvalidType),
        ((CLAIM, 1, "symbolic", [0]), {"cells": (0,)}, InvalidType),
        ((CLAIM, "yes", "symbolic", [0]), {"cells": (0,)}, InvalidType),
        ((CLAIM, True, "exact", [0]), {"cells": (0,)}, InvalidArgument),
        ((CLAIM, True, 3, [0]), {"cells": (0,)}, InvalidType),
        ((CLAIM, None, "numeric", [0.5]), {"cells": (0,), "dps": 50}, InvalidType),
        ((CLAIM, None, "numeric", ["0.5"]), {"cells": (0,), "dps": 50}, InvalidType),
        ((CLAIM, None, "numeric", "0"), {"cells": (0,), "dps": 50}, InvalidType),
        ((CLAIM, None, "numeric", [sympy.Symbol("x")]), {"cells": (0,)}, InvalidArgument),
        ((CLAIM, None, "numeric", [sympy.Float(0.5)]), {"cells": (0,)}, InvalidArgument),
        ((CLAIM, None, "numeric", [sympy.I]), {"cells": (0,)}, InvalidArgument),
        ((CLAIM, None, "numeric", [sympy.zoo]), {"cells": (0,)}, InvalidArgument),
        ((CLAIM, None, "numeric", [sympy.Eq(sympy.Integer(1), 1)]), {"cells": (0,)}, InvalidType),
        ((CLAIM, None, "numeric", [mpf("nan")]), {"cells": (0,), "dps": 50}, InvalidArgument),
        ((CLAIM, None, "numeric", [mpf("inf")]), {"cells": (0,), "dps": 50}, InvalidArgument),
        ((CLAIM, None, "numeric", [mpf(1)]), {"cells": (0,)}, InvalidArgument),  # numeric needs dps
        ((CLAIM, None, "numeric", [mpf(1)]), {"cells": (0,), "dps": 5}, InvalidArgument),
        ((CLAIM, None, "numeric", [mpf(1)]), {"cells": (0,), "dps": 50.0}, InvalidType),
        ((CLAIM, None, "numeric", [mpf(1)]), {"cells": (0,), "dps": True}, InvalidType),
        ((CLAIM, None, "numeric", [0, 0]), {"cells": (0,)}, InvalidArgument),
        ((CLAIM, None, "numeric", [0, 0]), {"cells": (0, 0)}, InvalidArgument),
        ((CLAIM, None, "numeric", [0]), {"cells": (-1,)}, InvalidArgument),
        ((CLAIM, None, "numeric", [0]), {"cells": (True,)}, InvalidType),
        ((CLAIM, None, "numeric", [0]), {"cells": ("0",)}, InvalidType),
        ((CLAIM, None, "numeric", [0]), {"cells": 0}, InvalidType),
        ((CLAIM, None, "numeric", [0]), {"cells": (0,), "boundary_cells": (1, 1)}, InvalidArgument),
        ((CLAIM, None, "numeric", [mpf(1)]), {"cells": (0,), "dps": 50, "error_bounds": []}, InvalidArgument),
        ((CLAIM, None, "numeric", [mpf(1)]), {"cells": (0,), "dps": 50, "error_bounds": [mpf(-1)]}, InvalidArgument),
        ((CLAIM, None, "numeric", [mpf(1)]), {"cells": (0,), "dps": 50, "error_bounds": [1e-3]}, InvalidType),
        ((CLAIM, None, "numeric", [R(1, 2)]), {"cells": (0,), "dps": 50, "error_bounds": [mpf(0)]}, InvalidArgument),
        ((CLAIM, None, "numeric", [0]), {"cells": (0,), "dps": 50, "bound": mpf(-1)}, InvalidArgument),
        ((CLAIM, None, "numeric", [0]), {"cells": (0,), "dps": 50, "bound": 0.1}, InvalidType),
        ((CLAIM, None, "numeric", [0]), {"cells": (0,), "shift": sympy.Symbol("d")}, InvalidArgument),
        ((CLAIM, None, "numeric", [0]), {"cells": (0,), "shift": 0.1}, InvalidType),
        ((CLAIM, None, "numeric", [0]), {"cells": (0,), "notes": "one note"}, InvalidType),
        ((CLAIM, None, "numeric", [0]), {"cells": (0,), "notes": (1,)}, InvalidType),
        ((CLAIM, False, "symbolic", [1]), {"cells": (0,), "certificate": "cell 0"}, InvalidType),
        ((CLAIM, False, "symbolic", [1]), {"cells": (0,), "certificate": {"cell": 0, "kind": "proof", "value": 1}},
         InvalidArgument),
        ((CLAIM, False, "symbolic", [1]),
         {"cells": (0,), "certificate": {"cell": 0, "kind": "exact", "value": 1, "x": 1}}, InvalidArgument),
        ((CLAIM, False, "symbolic", [1]), {"cells": (0,), "certificate": {"cell": 0.0, "kind": "exact", "value": 1}},
         InvalidType),
        ((CLAIM, False, "interval", [mpf(1)]),
         {"cells": (0,), "dps": 50, "certificate": {"cell": 0, "kind": "ball", "value": mpf(1), "radius": mpf(-1)}},
         InvalidArgument),
    ],
)
def test_bad_arguments_raise_a_clear_error(args, kwargs, error):
    with pytest.raises(error) as info:
        Verdict(*args, **kwargs)
    assert isinstance(info.value, SymequivError)
    assert str(info.value)


def test_errors_are_also_builtin_errors():
    with pytest.raises(ValueError):
        Verdict(CLAIM, True, "numeric", [0], cells=(0,))
    with pytest.raises(TypeError):
        Verdict(CLAIM, True, "symbolic", [0.0], cells=(0,))


def test_a_verdict_is_read_only_and_its_certificate_a_copy():
    verdict = fails_exactly()
    with pytest.raises(AttributeError):
        verdict.holds = True
    certificate = verdict.certificate
    certificate["value"] = sympy.Integer(0)
    assert verdict.certificate["value"] != 0


def test_inputs_are_normalized():
    verdict = Verdict(CLAIM, True, "symbolic", iter([0, sympy.Integer(0)]), cells=range(2), notes=["n"])
    assert verdict.residual == (0, 0) and all(isinstance(r, sympy.Integer) for r in verdict.residual)
    assert verdict.cells == (0, 1) and verdict.notes == ("n",) and verdict.boundary_cells == ()
    numeric = Verdict(CLAIM, None, "numeric", [mpf(1)], cells=(0,), dps=50, error_bounds=[None])
    assert numeric.error_bounds is None


# ------------------------------------------------------------ properties --


def test_worst_cell_and_max_residual_exact():
    verdict = Verdict(CLAIM, False, "symbolic", [R(1, 3), -sympy.sqrt(2) / 2, R(-1, 3)], cells=(4, 5, 6),
                      certificate={"cell": 4, "kind": "exact", "value": R(1, 3)})
    assert verdict.worst_cell == 5
    with mpmath.workdps(50):
        assert mpmath.almosteq(verdict.max_residual, mpmath.sqrt(2) / 2, 2 ** -160)


def test_worst_cell_numeric_and_ties():
    verdict = Verdict(CLAIM, None, "numeric", [mpf(1), mpf(-3), mpf(3)], cells=(7, 8, 9), dps=20)
    assert verdict.worst_cell == 8 and verdict.max_residual == 3
    assert proved().worst_cell == 1 and proved().max_residual == 0


def test_worst_cell_without_cells():
    verdict = Verdict(CLAIM, None, "numeric", [], boundary_cells=(0, 1))
    assert verdict.worst_cell is None and verdict.max_residual is None


def test_precision_is_never_leaked():
    before = mpmath.mp.dps
    verdict = fails_by_ball()
    Verdict.from_json(verdict.to_json())
    verdict.to_markdown(), verdict.to_latex(), str(verdict), verdict.max_residual
    assert mpmath.mp.dps == before


# ---------------------------------------------------------- serialization --


def test_to_dict_is_plain_deterministic_json():
    verdict = fails_by_ball()
    data = verdict.to_dict()
    assert list(data) == ["claim", "holds", "method", "dps", "shift", "cells", "boundary_cells",
                          "residual", "bound", "certificate", "notes", "tolerance", "total_cells"]
    assert json.loads(verdict.to_json()) == data
    assert verdict.to_json() == fails_by_ball().to_json()
    assert data["residual"][0] == {"value": "0.0", "error": None}
    assert data["residual"][1]["value"] == "0.03125"
    assert data["certificate"]["kind"] == "ball" and isinstance(data["certificate"]["radius"], str)
    assert fails_exactly().to_dict()["residual"] == [{"exact": "0"}, {"exact": "-1/8 + sqrt(2)/4"}]
    assert fails_exactly().to_dict()["shift"] == "1/3"
    assert "\n" in verdict.to_json(indent=2)


def test_round_trip_of_each_kind():
    for verdict in (proved(shift=R(1, 4)), fails_exactly(), fails_by_ball(), undecided()):
        again = Verdict.from_json(verdict.to_json())
        assert again == verdict and again.to_json() == verdict.to_json()
        assert Verdict.from_dict(verdict.to_dict()) == verdict
        assert hash(again) == hash(verdict)
    assert fails_exactly() != fails_by_ball() and fails_exactly() != "a verdict"


def test_pickle_round_trip_keeps_full_precision():
    verdict = fails_by_ball()
    again = pickle.loads(pickle.dumps(verdict))
    assert again == verdict and again.residual == verdict.residual


def test_functions_outside_the_parser_are_written_with_ones_inside():
    value = sympy.cot(R(1, 3)) - 1
    verdict = Verdict(CLAIM, False, "symbolic", [value], cells=(0,),
                      certificate={"cell": 0, "kind": "exact", "value": value})
    assert verdict.to_dict()["residual"] == [{"exact": "-1 + 1/tan(1/3)"}]
    again = Verdict.from_json(verdict.to_json())
    assert again == verdict
    assert sympy.simplify(again.residual[0] - value) == 0


def test_a_ball_read_back_still_encloses_what_it_enclosed():
    with mpmath.workdps(60):
        middle = mpf(1) / 3
        radius = mpf(2) ** -180
    verdict = Verdict(CLAIM, False, "interval", [middle], cells=(0,), dps=30, error_bounds=[radius],
                      certificate={"cell": 0, "kind": "ball", "value": middle, "radius": radius})
    again = Verdict.from_json(verdict.to_json())
    ball = again.certificate

    def distance(a, b):
        return abs(mpmath.fsub(a, b, exact=True))

    # |read value - true value| <= |read value - old value| + old radius <= read radius
    assert mpmath.fadd(distance(ball["value"], middle), radius, exact=True) <= ball["radius"]
    assert mpmath.fadd(distance(again.residual[0], middle), radius, exact=True) <= again.error_bounds[0]


def test_a_ball_too_tight_to_write_is_refused():
    with mpmath.workdps(80):
        radius = mpf(1) / 2 * (1 - mpf(10) ** -60)
    verdict = Verdict(CLAIM, False, "interval", [mpf(0.5)], cells=(0,), dps=50,
                      certificate={"cell": 0, "kind": "ball", "value": mpf(0.5), "radius": radius})
    with pytest.raises(InvalidArgument, match="too tight"):
        verdict.to_dict()


def _good_dict():
    return fails_by_ball().to_dict()


def _with(**changes):
    data = _good_dict()
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"claim": CLAIM},
        dict(_good_dict(), extra=1),
        _with(residual="0.5"),
        _with(residual=[{"exact": "1", "value": "1"}, {"value": "1", "error": None}, {"value": "1", "error": None}]),
        _with(residual=[{"value": 0.5, "error": None}] * 3),
        _with(residual=[{"value": "abc", "error": None}] * 3),
        _with(residual=[{"value": "1", "error": "1e-3"}, {"exact": "__import__('os')"}, {"value": "1", "error": None}]),
        _with(residual=[{"exact": "gamma(1/3)"}] * 3),
        _with(residual=[{"exact": "x"}] * 3),
        _with(dps=None),
        _with(dps="50"),
        _with(dps=3),
        _with(holds="no"),
        _with(holds=True),
        _with(holds=None),
        _with(method="vibes"),
        _with(cells="5"),
        _with(cells=[5, 6]),
        _with(shift=0.5),
        _with(shift="import os"),
        _with(bound=1),
        _with(notes="note"),
        _with(certificate=None),
        _with(certificate="ball"),
        _with(certificate={"cell": 6, "kind": "ball", "value": "0.03125"}),
        _with(certificate={"cell": 6, "kind": "ball", "value": "0.03125", "radius": "0.1"}),
        _with(certificate={"cell": 9, "kind": "ball", "value": "0.03125", "radius": "1e-40"}),
    ],
)
def test_malformed_data_gives_a_symequiv_error(data):
    with pytest.raises(SymequivError) as info:
        Verdict.from_dict(data)
    assert "Verdict" in str(info.value) or "rule" in str(info.value) or "Expected" in str(info.value)


def test_malicious_exact_strings_are_not_evaluated():
    data = fails_exactly().to_dict()
    data["residual"][1] = {"exact": "__import__('os').system('echo hacked')"}
    with pytest.raises(ExpressionError, match="residual"):
        Verdict.from_dict(data)


@pytest.mark.parametrize("text", ["", "{", "[1, 2", "null", "\"verdict\"", b"\xff", "[" * 100000])
def test_malformed_json_gives_a_symequiv_error(text):
    with pytest.raises(SymequivError):
        Verdict.from_json(text)


def test_from_json_needs_text():
    with pytest.raises(InvalidType):
        Verdict.from_json({"claim": CLAIM})


# -------------------------------------------------- hypothesis round trip --

rationals = st.fractions(max_denominator=10**12).map(lambda q: R(q.numerator, q.denominator))
positive = st.fractions(min_value=0, max_value=50, max_denominator=1000).filter(lambda q: q > 0).map(
    lambda q: R(q.numerator, q.denominator)
)
ATOMS = [
    sympy.sqrt,
    lambda q: sympy.pi * q,
    sympy.cos,
    sympy.erf,
    sympy.tanh,
    sympy.cot,
    sympy.exp,
    sympy.log,
    lambda q: sympy.sin(sympy.pi * q),
    lambda q: sympy.Integer(2) ** (q / 7),
]
atoms = st.builds(lambda f, q: f(q), st.sampled_from(ATOMS), positive).filter(lambda a: a != 0)
exact_numbers = st.one_of(
    rationals,
    st.builds(lambda a, b, c: a * b + c, rationals, atoms, rationals),
    st.builds(lambda a, b, c, d: a * b + c * d, rationals, atoms, rationals, atoms),
    st.builds(lambda a, b: a / b, atoms, atoms),
)
precisions = st.integers(min_value=15, max_value=80)


@st.composite
def mpf_values(draw, dps):
    with mpmath.workdps(dps + draw(st.integers(0, 20))):  # more bits than dps, sometimes
        mantissa = draw(st.integers(-(10 ** (dps + 5)), 10 ** (dps + 5)))
        return mpmath.ldexp(mpf(mantissa), draw(st.integers(-300, 100)))


@st.composite
def error_bounds(draw):
    if draw(st.booleans()):
        return None
    return mpmath.ldexp(mpf(draw(st.integers(0, 2**40))), draw(st.integers(-400, -100)))


texts = st.text(min_size=1, max_size=40).filter(lambda t: t.strip())


@st.composite
def cells_and_boundary(draw, count):
    cells = draw(st.lists(st.integers(0, 10**6), min_size=count, max_size=count, unique=True))
    boundary = draw(st.lists(st.integers(0, 10**6).filter(lambda c: c not in cells), unique=True, max_size=4))
    return tuple(cells), tuple(boundary)


@st.composite
def verdicts(draw):
    kind = draw(st.sampled_from(["proved", "exact", "ball", "numeric"]))
    count = draw(st.integers(1 if kind != "numeric" else 0, 6))
    cells, boundary = draw(cells_and_boundary(count))
    common = {
        "cells": cells,
        "boundary_cells": boundary,
        "shift": draw(st.none() | exact_numbers),
        "notes": tuple(draw(st.lists(texts, max_size=3))),
    }
    claim = draw(texts)
    if kind == "proved":
        return Verdict(claim, True, "symbolic", [0] * count, **common)
    if kind == "exact":
        residual = draw(st.lists(exact_numbers, min_size=count, max_size=count))
        j = draw(st.integers(0, count - 1))
        if residual[j] == 0:
            residual[j] = R(1, 7)
        certificate = {"cell": cells[j], "kind": "exact", "value": residual[j]}
        return Verdict(claim, False, "symbolic", residual, certificate=certificate, **common)
    dps = draw(precisions)
    residual = [draw(exact_numbers) if draw(st.booleans()) else draw(mpf_values(dps)) for _ in range(count)]
    errors = [None if isinstance(r, sympy.Basic) else draw(error_bounds()) for r in residual]
    if kind == "ball":
        j = draw(st.integers(0, count - 1))
        if isinstance(residual[j], sympy.Basic) or residual[j] == 0:
            residual[j] = draw(mpf_values(dps).filter(lambda v: v != 0))
            errors[j] = None
        value = residual[j]
        fraction = draw(st.integers(0, 2**20)) * mpf(2) ** -21  # radius < |value| / 2
        radius = mpmath.fmul(abs(mpmath.fneg(value, exact=True)), fraction, exact=True)
        certificate = {"cell": cells[j], "kind": "ball", "value": value, "radius": radius}
        return Verdict(claim, False, "interval", residual, dps=dps, error_bounds=errors,
                       certificate=certificate, **common)
    bound = None
    if draw(st.booleans()) and count:
        with mpmath.workdps(dps + 30):
            sizes = [abs(mpmath.mpf(sympy.N(r, dps + 30))) if isinstance(r, sympy.Basic) else
                     mpmath.fadd(abs(mpmath.fneg(r, exact=True)), e or 0, exact=True)
                     for r, e in zip(residual, errors)]
        bound = max(sizes)
    return Verdict(claim, None, "numeric", residual, dps=dps, error_bounds=errors, bound=bound, **common)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(verdicts())
def test_json_round_trip_gives_an_equal_verdict(verdict):
    text = verdict.to_json()
    again = Verdict.from_json(text)
    assert again == verdict
    assert again.to_json() == text
    assert Verdict.from_dict(json.loads(text)) == verdict
    assert again.holds is verdict.holds and again.method == verdict.method
    assert again.cells == verdict.cells and again.boundary_cells == verdict.boundary_cells
    assert again.notes == verdict.notes and again.claim == verdict.claim
    for before, after in zip(verdict.residual, again.residual):
        if isinstance(before, sympy.Basic):
            assert isinstance(after, sympy.Basic)
            with mpmath.workdps(40):
                difference = abs(mpmath.mpf(sympy.N(after - before, 40)))
                assert difference <= mpf(10) ** -30 * (1 + abs(mpmath.mpf(sympy.N(before, 40))))
        else:
            with mpmath.workdps(verdict.dps):
                assert mpmath.nstr(after, verdict.dps) == mpmath.nstr(before, verdict.dps)


# ------------------------------------------------------- repr and tolerance --


def test_repr_is_short():
    text = repr(fails_by_ball())
    assert text.startswith(f"Verdict(claim={CLAIM!r}, holds=False, method='interval', dps=50")
    assert text.endswith(", ...)") and "\n" not in text
    assert "shift='1/3'" in repr(fails_exactly())


def test_a_numeric_verdict_may_state_its_tolerance():
    v = Verdict("A = B", None, "numeric", [mpmath.mpf("1e-17")], cells=(0,), dps=15,
                bound=mpmath.mpf("1e-17"), tolerance=mpmath.mpf("1e-13"))
    assert v.within_tolerance is True and v.tolerance == mpmath.mpf("1e-13")
    assert "within the tolerance" in str(v)
    assert Verdict.from_json(v.to_json()) == v
    above = Verdict("A = B", None, "numeric", [mpmath.mpf("0.5")], cells=(0,), dps=15,
                    bound=mpmath.mpf("0.5"), tolerance=mpmath.mpf("1e-13"))
    assert above.within_tolerance is False and "above the tolerance" in str(above)
    with pytest.raises(InvalidArgument, match="tolerance belongs to a numeric verdict"):
        Verdict("A = B", True, "symbolic", [0], cells=(0,), tolerance=mpmath.mpf("1e-13"))
    old = v.to_dict()
    del old["tolerance"]  # written before tolerances existed
    assert Verdict.from_dict(old).tolerance is None


# ----------------------------------------------------- issue 9: the surface --


def test_a_verdict_has_no_truth_value():
    # bool(verdict) used to be True always, so `assert check_commutation(...)` could never fail
    for verdict in (proved(), fails_exactly(), undecided()):
        with pytest.raises(TypeError, match=r"verdict\.holds") as info:
            bool(verdict)
        assert isinstance(info.value, SymequivError)
        with pytest.raises(TypeError):
            assert verdict
        with pytest.raises(TypeError):
            if verdict:
                pass
    assert proved().holds is True  # the way to ask


def test_numeric_outcome_is_none_without_a_tolerance_or_when_decided():
    assert undecided().numeric_outcome is None and "undecided" in str(undecided()).splitlines()[0]
    assert proved().numeric_outcome is None and fails_exactly().numeric_outcome is None


def test_total_cells_is_checked_and_round_trips():
    verdict = Verdict(CLAIM, True, "symbolic", [0], cells=(3,), boundary_cells=(0,), total_cells=4)
    again = Verdict.from_json(verdict.to_json())
    assert again == verdict and again.total_cells == 4
    assert pickle.loads(pickle.dumps(verdict)).total_cells == 4
    assert verdict != Verdict(CLAIM, True, "symbolic", [0], cells=(3,), boundary_cells=(0,), total_cells=5)
    with pytest.raises(InvalidArgument, match="total_cells"):
        Verdict(CLAIM, True, "symbolic", [0], cells=(3,), total_cells=3)
    for bad in (True, 4.0, "4"):
        with pytest.raises(InvalidType, match="total_cells"):
            Verdict(CLAIM, True, "symbolic", [0], cells=(3,), total_cells=bad)
    data = verdict.to_dict()
    del data["total_cells"]  # written before it existed
    assert Verdict.from_dict(data).total_cells is None


@pytest.mark.parametrize("value", [-1, 0, 1.5, "8", [], {}, True])
def test_from_dict_refuses_a_bad_total_cells(value):
    data = proved().to_dict()
    data["total_cells"] = value
    with pytest.raises(SymequivError):
        Verdict.from_dict(data)


# ------------------------------------------------------------ two dimensions --


def two_dimensional():
    return Verdict("A = B", False, "symbolic", [0, sympy.Rational(-1, 8)], cells=((0, 1), (1, 1)),
                   boundary_cells=((0, 0),), shift=(sympy.Rational(1, 8), 0), total_cells=4,
                   certificate={"cell": (1, 1), "kind": "exact", "value": sympy.Rational(-1, 8)})


def test_cells_of_a_2d_verdict_are_pairs_and_its_shift_a_pair():
    verdict = two_dimensional()
    assert verdict.cells == ((0, 1), (1, 1)) and verdict.shift == (sympy.Rational(1, 8), 0)
    assert verdict.certificate["cell"] == (1, 1)
    assert "compared cells: (0..1, 1) (2); boundary cells: (0, 0)" in str(verdict)
    assert r"d = \left( \frac{1}{8}, \  0\right)" in verdict.to_markdown()
    again = Verdict.from_json(verdict.to_json())
    assert again == verdict and again.cells == verdict.cells and again.shift == verdict.shift


def test_cells_are_all_of_one_kind_and_certificates_name_compared_pairs():
    with pytest.raises(InvalidArgument, match="all ints, all pairs"):
        Verdict("A = B", True, "symbolic", [0, 0], cells=(0, (0, 1)))
    with pytest.raises(InvalidArgument, match=r"\(c, i, j\)"):
        Verdict("A = B", True, "symbolic", [0], cells=((0, 1, 2, 3),))
    with pytest.raises(InvalidArgument, match="must be a compared cell"):
        Verdict("A = B", False, "symbolic", [sympy.Rational(1, 2)], cells=((0, 1),),
                certificate={"cell": (1, 0), "kind": "exact", "value": sympy.Rational(1, 2)})
    channels = Verdict("A = B", True, "symbolic", [0, 0], cells=((0, 0, 1), (2, 0, 1)))
    assert channels.cells == ((0, 0, 1), (2, 0, 1))
