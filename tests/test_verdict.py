"""Verdict: the rules of DESIGN.md are enforced, and every report form is sound."""

import json
import pickle
import re

import mpmath
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symequiv.errors import ExpressionError, InvalidArgument, InvalidType, SymequivError
from symequiv.judge.render import MAX_TABLE_ROWS
from symequiv.judge.verdict import Verdict

CLAIM = "D[f(x - d)] = LinearShift(D[f], d) on the compared cells"
R = sympy.Rational
mpf = mpmath.mpf


def at(dps, text):
    with mpmath.workdps(dps):
        return mpf(text)


def proved(**extra):
    return Verdict(CLAIM, True, "symbolic", [0, 0, 0], cells=(1, 2, 3), boundary_cells=(0, 4), **extra)


def fails_exactly():
    residual = [sympy.Integer(0), sympy.sqrt(2) / 4 - R(1, 8)]
    certificate = {"cell": 2, "kind": "exact", "value": residual[1]}
    return Verdict(CLAIM, False, "symbolic", residual, cells=(1, 2), certificate=certificate, shift=R(1, 3))


def fails_by_ball():
    residual = [at(50, "0"), at(50, "0.03125"), at(50, "-1e-20")]
    errors = [None, at(50, "1e-45"), at(50, "1e-45")]
    certificate = {"cell": 6, "kind": "ball", "value": residual[1], "radius": at(50, "1e-45")}
    return Verdict(CLAIM, False, "interval", residual, cells=(5, 6, 7), dps=50, error_bounds=errors,
                   certificate=certificate, notes=("grid is periodic",))


def undecided():
    residual = [at(50, "1e-60"), at(50, "-3e-55")]
    errors = [at(50, "1e-70"), at(50, "1e-70")]
    return Verdict(CLAIM, None, "numeric", residual, cells=(0, 1), dps=50, error_bounds=errors,
                   bound=at(50, "3.1e-55"))


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


# ------------------------------------------------------------------ reports --


def data_rows(markdown):
    return [line for line in markdown.splitlines() if re.match(r"\| \d+ \|", line)]


def test_markdown_has_the_words_the_table_and_the_certificate():
    text = fails_by_ball().to_markdown()
    assert r"**Claim.** $D[f(x-d)] = \mathrm{LinearShift}(D[f], d)$ on the compared cells" in text
    assert "**fails** (certified)" in text and "interval" in text and "50 digits" in text
    assert "| cell | residual | error bound |" in text and "|---:|:---|:---|" in text
    # a failure table lists the cells that differ, not cell 5 whose residual is 0.0
    assert len(data_rows(text)) == 2 and "| 5 |" not in text and "0.0 numerically (not a failure) on cell 5" in text
    assert "Certificate: the residual of cell 6" in text and "excludes 0" in text
    assert "- grid is periodic" in text
    assert "**holds** (proved)" in proved().to_markdown() and "Boundary cells" in proved().to_markdown()
    assert "0, 4" in proved().to_markdown()
    undecided_text = undecided().to_markdown()
    assert "**undecided**" in undecided_text and "not proved" in undecided_text
    exact_text = fails_exactly().to_markdown()
    assert r"$- \frac{1}{8} + \frac{\sqrt{2}}{4} \approx 0.228553$" in exact_text
    assert r"Shift: $d = \frac{1}{3}$" in exact_text and "| exact |" in exact_text


def test_markdown_shows_at_most_24_rows():
    count = MAX_TABLE_ROWS + 6
    verdict = Verdict(CLAIM, True, "symbolic", [0] * count, cells=range(count))
    text = verdict.to_markdown()
    assert len(data_rows(text)) == MAX_TABLE_ROWS
    assert "and 6 more cells not shown" in text


def test_markdown_escapes_the_claim():
    text = Verdict("f_1 | *g* [a](b) $x$", True, "symbolic", [0], cells=(0,)).to_markdown()
    assert r"f\_1 \| \*g\* [a]\(b) \$x\$" in text


def environments(text):
    begins = re.findall(r"\\begin\{(\w+)\}", text)
    ends = re.findall(r"\\end\{(\w+)\}", text)
    return begins, ends


def braces_balanced(text):
    depth = 0
    for piece in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(piece, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("make", [proved, fails_exactly, fails_by_ball, undecided])
def test_latex_environments_are_balanced(make):
    text = make().to_latex()
    begins, ends = environments(text)
    assert sorted(begins) == sorted(ends) and "tabular" in begins
    assert braces_balanced(text)
    assert r"\documentclass" not in text and r"\begin{document}" not in text


def test_latex_escapes_special_characters():
    claim = r"50% of f_1 & g_2 costs $3 #1 {a} ~b^c \d"
    text = Verdict(claim, None, "numeric", [mpf(1)], cells=(0,), dps=20, notes=("a_b & 100%",)).to_latex()
    assert r"50\% of f\_1 \& g\_2 costs \$3 \#1 \{a\} \textasciitilde{}${b}^{c}$ \textbackslash{}d" in text
    assert r"\item a\_b \& 100\%" in text
    begins, ends = environments(text)
    assert begins.count("itemize") == ends.count("itemize") == 1
    assert braces_balanced(text)


def test_latex_long_table_is_cut():
    count = MAX_TABLE_ROWS + 3
    text = Verdict(CLAIM, True, "symbolic", [0] * count, cells=range(count)).to_latex()
    assert len(re.findall(r"^\d+ & ", text, flags=re.MULTILINE)) == MAX_TABLE_ROWS
    assert r"\ldots\ and 3 more cells" in text


@pytest.mark.parametrize("make", [proved, fails_exactly, fails_by_ball, undecided])
def test_repr_latex_is_one_displaystyle_line(make):
    text = make()._repr_latex_()
    assert text.startswith(r"$\displaystyle ") and text.endswith("$") and "\n" not in text
    assert text.count("$") == 2 and braces_balanced(text)


def test_repr_latex_keeps_special_characters_out_of_text_mode():
    text = Verdict("a_b {c} $d & 50%", True, "symbolic", [0], cells=(0,))._repr_latex_()
    assert r"\_" in text and r"\{" in text and r"\$" in text and r"\&" in text and r"\%" in text
    assert braces_balanced(text) and text.count("$") - text.count(r"\$") == 2


def test_str_is_a_readable_summary():
    text = str(fails_exactly())
    assert text.startswith("Verdict: fails (certified)")
    assert CLAIM in text and "shift: d = 1/3" in text and "symbolic" in text
    assert "largest |residual|: 0.228553 in cell 2" in text
    assert "certificate: the residual of cell 2 is exactly -1/8 + sqrt(2)/4, which is nonzero" in text
    assert "boundary cells: 0, 4" in str(proved()) and "holds (proved)" in str(proved())
    assert "undecided" in str(undecided()) and "<= 3.1e-55" in str(undecided())
    assert "note: grid is periodic" in str(fails_by_ball())


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

CHECKER_CLAIM = (
    "op(D[f(x - d)]) = g(op(D[f]), d) for D = CellAverage(Grid(-1, 1, 8)), f = Heaviside(x, 0), "
    "op = Sequential(Conv(['1/4', '1/2', '1/4'], bias='-1/10'), ReLU()), g = LinearShift(), d = 1/8"
)


def renderings(verdict):
    """Every rendering of a verdict, by name."""
    return {
        "str": str(verdict), "markdown": verdict.to_markdown(), "latex": verdict.to_latex(),
        "repr_latex": verdict._repr_latex_(), "html": verdict._repr_html_(),
    }


def black_box(bound, tolerance="2.3e-13", cells=(1, 2, 3), residual=None):
    residual = residual or [at(15, bound)] + [at(15, "0")] * (len(cells) - 1)
    return Verdict(CLAIM, None, "numeric", residual, cells=cells, dps=15, bound=at(15, bound),
                   tolerance=at(15, tolerance))


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


def test_numeric_outcome_says_unequal_plainly_everywhere():
    verdict = black_box("3.2e-2")
    assert verdict.holds is None and verdict.numeric_outcome == "unequal"
    assert str(verdict).splitlines()[0] == (
        "Verdict: numerically unequal (|lhs - rhs| reaches 0.032, tolerance 2.3e-13; not certified) "
        "on 3 compared cells"
    )
    for name, text in renderings(verdict).items():
        assert "numerically unequal" in text and "not certified" in text, name
        assert "undecided" not in text, name
    assert Verdict.from_json(verdict.to_json()).numeric_outcome == "unequal"


def test_numeric_outcome_says_equal_within_tolerance_and_not_proved():
    verdict = black_box("1e-17")
    assert verdict.numeric_outcome == "equal"
    for name, text in renderings(verdict).items():
        assert "numerically equal" in text and "not proved" in text, name
        assert "within tolerance" in text, name


def test_numeric_outcome_is_none_without_a_tolerance_or_when_decided():
    assert undecided().numeric_outcome is None and "undecided" in str(undecided()).splitlines()[0]
    assert proved().numeric_outcome is None and fails_exactly().numeric_outcome is None


def test_failure_tables_leave_out_cells_whose_residual_is_zero():
    residual = [at(50, "0"), R(1, 8), sympy.Integer(0), at(50, "1e-30")]
    verdict = Verdict(CLAIM, False, "interval", residual, cells=(0, 1, 2, 3), dps=50,
                      error_bounds=[at(50, "1e-40"), None, None, at(50, "1e-40")],
                      certificate={"cell": 3, "kind": "ball", "value": at(50, "1e-30"), "radius": at(50, "1e-40")})
    markdown = verdict.to_markdown()
    assert [row.split("|")[1].strip() for row in data_rows(markdown)] == ["1", "3"]
    assert "exactly 0 on cell 2" in markdown and "0.0 numerically (not a failure) on cell 0" in markdown
    latex_rows = re.findall(r"^(\d+) & ", verdict.to_latex(), flags=re.MULTILINE)
    assert latex_rows == ["1", "3"]
    html_cells = re.findall(r"<tr><td style='[^']*'>(\d+)</td>", verdict._repr_html_())
    assert html_cells == ["1", "3"]


def test_a_black_box_table_lists_only_the_cells_above_the_tolerance():
    residual = [at(15, "0.5"), at(15, "1e-20"), at(15, "0")]
    verdict = black_box("0.5", cells=(4, 5, 6), residual=residual)
    markdown = verdict.to_markdown()
    assert [row.split("|")[1].strip() for row in data_rows(markdown)] == ["4"]
    assert "within the tolerance on cell 5" in markdown and "on cell 6" in markdown


def test_a_proof_lists_its_zero_residuals():
    assert len(data_rows(proved().to_markdown())) == 3


def test_the_headline_says_how_many_cells_it_covers():
    verdict = Verdict(CLAIM, True, "symbolic", [0] * 5, cells=(1, 2, 3, 4, 5), boundary_cells=(0, 6, 7),
                      total_cells=8)
    line = "holds (proved) on 5 of 8 cells; cells 0, 6..7 reached by the boundary were left out"
    assert str(verdict).splitlines()[0] == f"Verdict: {line}"
    for name, text in renderings(verdict).items():
        flat = re.sub(r"\\text\{|\}|\\\\ \\quad ", "", text) if name == "repr_latex" else text
        assert "on 5 of 8 cells" in flat and "reached by the boundary were left out" in flat, name
    assert "on 3 compared cells; cells 0, 4 reached by the boundary were left out" in str(proved())
    requested = Verdict(CLAIM, True, "symbolic", [0], cells=(2,), boundary_cells=(0, 7), total_cells=8)
    assert "on 1 of 8 cells; cells 0, 7 reached by the boundary were left out; 5 other cells not requested" in (
        str(requested))


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


def test_a_proof_has_no_precision():
    # the checker's proofs carry dps=50 (the precision tried first); a proof still has no rounding
    verdict = Verdict(CLAIM, True, "symbolic", [0, 0], cells=(0, 1), dps=50)
    for name, text in renderings(verdict).items():
        assert "50 digits" not in text, name
    assert "Precision: exact (no rounding)" in verdict.to_markdown()
    assert "precision: exact (no rounding)" in str(verdict)
    assert "50 digits" in fails_by_ball().to_markdown()  # a ball's precision is a fact


def test_repr_latex_typesets_the_claim_as_mathematics_line_by_line():
    verdict = Verdict(CHECKER_CLAIM, False, "symbolic", [R(-1, 20)], cells=(4,), boundary_cells=(0, 1, 2),
                      certificate={"cell": 4, "kind": "exact", "value": R(-1, 20)})
    text = verdict._repr_latex_()
    assert text.startswith(r"$\displaystyle \begin{array}{l}") and text.endswith(r"\end{array}$")
    assert text.count("$") == 2 and braces_balanced(text) and "\n" not in text
    assert text.count(r" \\ ") >= 6  # headline, statement, one line per name
    runs = re.findall(r"\\text\{([^}]*)\}", text)
    assert max(map(len, runs)) < 60, runs  # no claim in one overflowing \text{}
    assert r"\mathrm{ReLU}\circ \mathrm{Conv}" in text and r"\frac{1}{4}" in text and r"H\left(x\right)" in text
    assert "Sequential" not in text and "'" not in text


def test_latex_and_markdown_typeset_claims_and_residuals_as_mathematics():
    residual = 3 * (-1 + 2 * sympy.cos(431 * sympy.pi / 935) ** 2) / (16 * sympy.pi)
    verdict = Verdict(CHECKER_CLAIM, False, "symbolic", [residual], cells=(2,),
                      certificate={"cell": 2, "kind": "exact", "value": residual})
    for text in (verdict.to_latex(), verdict.to_markdown()):
        assert r"$\mathrm{op}(D[f(x-d)]) = g(\mathrm{op}(D[f]), d)$" in text
        assert r"$\mathrm{op} = \mathrm{ReLU}\circ \mathrm{Conv}" in text and r"\mathrm{bias} = - \frac{1}{10}" in text
        assert "Sequential(" not in text and "cos(431" not in text and r"\cos" in text
    assert "cos(431*pi/935)" in str(verdict)  # text stays text


def test_a_claim_in_another_form_is_set_as_text():
    claim = "some discrete shift commutes with D at d = 1/4, i.e. it holds for every f"
    verdict = Verdict(claim, True, "symbolic", [0], cells=(0,))
    assert "some discrete shift commutes" in verdict.to_markdown()
    assert braces_balanced(verdict._repr_latex_())


def test_claim_values_are_read_never_run(tmp_path):
    marker = tmp_path / "ran"
    claim = f"A = B for op = __import__('os').system('touch {marker}'), d = 1/4"
    verdict = Verdict(claim, True, "symbolic", [0], cells=(0,))
    for text in renderings(verdict).values():
        assert text
    assert not marker.exists()
    assert "import" in verdict.to_latex() and "system" in verdict.to_latex()  # shown as text


def _parsed_html(text):
    import xml.etree.ElementTree as ElementTree

    return ElementTree.fromstring(f"<root>{text}</root>")


@pytest.mark.parametrize("make", [proved, fails_exactly, fails_by_ball, undecided, lambda: black_box("0.5")])
def test_repr_html_is_well_formed_with_mathml(make):
    verdict = make()
    page = verdict._repr_html_()
    root = _parsed_html(page)  # well-formed: every element closed, text escaped
    assert root.find(".//{http://www.w3.org/1998/Math/MathML}math") is not None or not verdict.cells
    assert "<table" in page and "LinearShift" in page


def test_repr_html_typesets_the_claim_and_escapes_text():
    verdict = Verdict(CHECKER_CLAIM, True, "symbolic", [0], cells=(3,), notes=("<script>alert(1)</script>",))
    page = verdict._repr_html_()
    _parsed_html(page)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Sequential(" not in page and "&#x2218;" in page and "<mfrac>" in page


@pytest.mark.parametrize("value", [-1, 0, 1.5, "8", [], {}, True])
def test_from_dict_refuses_a_bad_total_cells(value):
    data = proved().to_dict()
    data["total_cells"] = value
    with pytest.raises(SymequivError):
        Verdict.from_dict(data)


def test_sweep_html_has_the_curve_and_one_row_per_shift():
    import base64

    import symequiv as se
    from symequiv.judge.render import sweep_html

    D = se.CellAverage(se.Grid(-1, 1, 8))
    result = se.sweep(D, se.Signal("Heaviside(x - 1/8)"), ["1/16", "1/8", "1/4"], se.LinearShift(), progress=False)
    page = sweep_html(result, "Heaviside, linear shift")
    rows = re.findall(r"<tr>.*?</tr>", page)
    assert len(rows) == 1 + 3  # header and one per shift
    assert [("holds" in row, "fails" in row) for row in rows[1:]] == [(False, True), (False, True), (True, False)]
    svg = re.search(r"src='data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)'", page)
    assert svg and base64.b64decode(svg[1]).lstrip().startswith((b"<?xml", b"<svg"))
    _parsed_html(page)  # well-formed (the image is a self-closed <img/>)
    assert "Sweep of 3 shifts" in page and "<mfrac>" in page  # the shifts as mathematics
    assert "d = 1/8" not in page  # the claim is shown once, without the shift the sweep varies
    with pytest.raises(InvalidType):
        sweep_html(result, title=3)


claim_fragments = st.sampled_from([
    "D[f(x - d)] = g(D[f], d)", " for ", "D = ", "CellAverage(Grid(-1, 1, 8))", ", ", "f = ", "Heaviside(x, 0)",
    "op = ", "Sequential(Conv([S(1)/4, -S(1)/2], bias=-S(1)/10), ReLU())", "d = ", "1/8", "(", ")", "[", "]",
    "'", "\\", "{", "}", "$", "_", "^", "%", "&", "#", "~", "<", ">", "|", "2**(10**10)", "(" * 50, "x", " = ",
])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(claim_fragments | texts, min_size=1, max_size=12).map("".join).filter(lambda t: t.strip()))
def test_any_claim_renders_in_every_format(claim):
    verdict = Verdict(claim, True, "symbolic", [0], cells=(0,))
    for name, text in renderings(verdict).items():
        assert text, name
    assert braces_balanced(verdict._repr_latex_()) and verdict._repr_latex_().count("$") - \
        verdict._repr_latex_().count(r"\$") == 2
    assert braces_balanced(verdict.to_latex())
    _parsed_html(verdict._repr_html_())


LONG_CLAIM = (
    "op(D[f(x - d)]) = g(op(D[f]), d) for D = PointSample(Grid(-S(1)/2, S(5)/4, 7), at='left'), "
    "f = Heaviside(x - 1/3) + sin(x), op = Sequential(Conv([S(1)/4, S(1)/2, S(1)/4], bias=-S(1)/10), "
    "LeakyReLU(S(1)/10)), g = LinearShift(), d = 1/8"
)


def test_the_latex_of_a_long_claim_compiles_without_overfull_lines(tmp_path):
    import shutil
    import subprocess

    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed (.ci/run installs Debian's texlive-latex-recommended and lmodern)")
    verdict = Verdict(LONG_CLAIM, False, "symbolic", [R(-1, 20), 0], cells=(3, 4), boundary_cells=(0, 1, 2),
                      certificate={"cell": 3, "kind": "exact", "value": R(-1, 20)}, total_cells=7)
    document = ("\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{lmodern}\\usepackage{amsmath}"
                "\\begin{document}\n" + verdict.to_latex() + "\n\\end{document}\n")
    (tmp_path / "verdict.tex").write_text(document, encoding="utf-8")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "verdict.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    log = (tmp_path / "verdict.log").read_text(encoding="latin-1")
    assert run.returncode == 0, log[-2000:]
    assert "Overfull \\hbox" not in log, [line for line in log.splitlines() if "Overfull" in line]
