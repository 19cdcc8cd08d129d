"""Tests of symequiv.output.report_markdown: a derivation as Markdown, every piece in order and escaped."""

import pytest
import sympy

from report_examples import PIECEWISE, build, in_order, proved_verdict
from symequiv.output.report import Derivation


@pytest.fixture(scope="module")
def derivation():
    return build()


def test_markdown_has_every_piece_in_order(derivation):
    verdict = derivation.main_verdict
    text = derivation.to_markdown()
    in_order(text, [
        "# A conv layer is not translation equivariant (eq.\u00a04)",  # the number stays with "eq."
        "**Claim.** N(C\\[a, D\\[f(x - delta)\\]\\])",
        "\\<script\\>alert(1)\\</script\\>",
        "$\\delta = dx/2$",
        "costs \\$5\\_\\#.",
        "*cell 2 in closed form:*",
        "$$\n" + sympy.latex(PIECEWISE) + "\n$$",
        "## Verdict: linear shift at $d = 1/4$ (main)",
        "- **Claim:** " + verdict.claim.replace("$", "\\$").replace("*", "\\*").replace("_", "\\_")
        .replace("[", "\\[").replace("]", "\\]"),
        "- **Verdict:** fails (certified)",
        "- **Method:** symbolic (exact sympy arithmetic)",
        "- **Precision:** exact",
        "- **Shift:** $d = \\frac{1}{4}$",
        "*Residual (lhs − rhs) per compared cell*",
        "| cell | residual | error bound |",
        "**Table\u00a01.** Cell averages",
        "| cell | value |",
        "| $0$ | $\\frac{1}{2}$ |",
        "| a\\|b | $0.666666666666667$ |",
        "|   | $\\left[0, \\frac{1}{2}, 0.25\\right]$ |",
        "![The step H](figure1.png)",
        "![PNG only](figure2.png)",
        "> **The paper says:** D\\[f(x - dx)\\] = S\\_1 D\\[f\\] on any grid",
        "> **Corrected:** only on a periodic grid",
        "> **Check:**",
        "> - **Claim:** S\\_1 D\\[f\\] = D\\[f(x - dx)\\] on cells 1..2",
        "## Summary",
    ])
    assert "<script>" not in text


def test_markdown_escapes_line_starts_only_where_a_line_starts():
    d = Derivation("n", "T").verdict(proved_verdict(), label="$g$ = linear").text("- not a list, and $x$ = 1. 2")
    text = d.to_markdown()
    assert "## Verdict: $g$ = linear (main)" in text and "- **Compared cells:** 1..2 (2)" in text
    assert "\\- not a list, and $x$ = 1. 2" in text
