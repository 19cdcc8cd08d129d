"""Tests of symequiv.output.report_verdict: a verdict says the same, typeset, in every format of a report."""

import html
import json
import re

import mpmath
import pytest
import sympy

from report_examples import real_verdict
from symequiv.errors import InvalidArgument
from symequiv.judge.verdict import Verdict
from symequiv.output.report import Derivation


def visible_text(page):
    """The text an HTML page shows: no style sheet, no tags."""
    return html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", "", page, flags=re.DOTALL))


def test_a_statement_typesets_the_verdicts_claim_in_every_format():
    verdict = real_verdict()
    statement = "$D[H(x - \\delta)] = g(D[H], \\delta)$ at $\\delta = \\frac{1}{4}$"
    d = Derivation("n", "T").verdict(verdict, statement=statement)
    assert f"- **Claim:** {statement}" in d.to_markdown()
    assert f"Claim & {statement}" in d.to_latex()
    assert "<dt>Claim</dt><dd><math" in d.to_html() and "Grid(" not in d.to_html().split("<h2>Summary")[0]
    data = json.loads(d.to_json())
    assert data["steps"][0]["statement"] == statement and data["steps"][0]["verdict"]["claim"] == verdict.claim
    with pytest.raises(InvalidArgument, match="check="):
        Derivation("n", "T").correction(paper="a", corrected="b", check_statement="$x$")


def test_a_symbolic_proof_states_no_precision():
    proof = Verdict("S D[f] = D[f(x - d)]", True, "symbolic", [0, 0], cells=(0, 1), dps=50)
    d = Derivation("n", "T").verdict(proof)
    assert "- **Precision:** exact" in d.to_markdown() and "50 digits" not in d.to_markdown()
    assert "Precision & exact" in d.to_latex() and "50 digits" not in d.to_latex()
    assert "<dt>Precision</dt><dd>exact</dd>" in d.to_html() and "50 digits" not in d.to_html()


def test_a_black_box_verdict_says_numerically_unequal_not_undecided():
    unequal = Verdict("op(D[f(x - d)]) = g(op(D[f]), d)", None, "numeric", [mpmath.mpf("0.032")], cells=(0,),
                      dps=15, bound=mpmath.mpf("0.032"), tolerance=mpmath.mpf("2.3e-13"))
    equal = Verdict("op(D[f(x - d)]) = g(op(D[f]), d)", None, "numeric", [mpmath.mpf("1e-15")], cells=(0,),
                    dps=15, bound=mpmath.mpf("1e-15"), tolerance=mpmath.mpf("2.3e-13"))
    d = Derivation("n", "T").verdict(unequal, label="far above").verdict(equal, label="within")
    for text in (d.to_markdown(), d.to_latex(), visible_text(d.to_html())):
        assert "numerically unequal (not certified)" in text and "numerically equal (not proved)" in text
        assert "undecided" not in text
    assert "above the tolerance" in d.to_markdown() and "within the tolerance" in d.to_markdown()


def test_a_long_exact_residual_is_shown_by_its_value():
    long_value = sum(sympy.cos(sympy.pi * k / 997) for k in range(1, 9))
    v = Verdict("A = B", False, "symbolic", [long_value], cells=(0,),
                certificate={"cell": 0, "kind": "exact", "value": long_value})
    md = Derivation("n", "T").verdict(v).to_markdown()
    assert "| 0 | $\\approx " in md and "\\cos" not in md.split("| cell |")[1]


def test_a_2d_verdict_is_described_with_cell_blocks_and_a_shift_pair():
    import sympy

    from symequiv.judge.verdict import Verdict
    from symequiv.output.report import Derivation

    verdict = Verdict("A = B", False, "symbolic", [0, sympy.Rational(-1, 8)], cells=((0, 1), (1, 1)),
                      boundary_cells=((0, 0),), shift=(sympy.Rational(1, 8), 0), total_cells=4,
                      certificate={"cell": (1, 1), "kind": "exact", "value": sympy.Rational(-1, 8)})
    report = Derivation("two_d", "A 2-D verdict")
    report.verdict(verdict, main=True)
    markdown = report.to_markdown()
    assert "(0..1, 1) (2 of 4)" in markdown and r"\left( \frac{1}{8}, \  0\right)" in markdown
