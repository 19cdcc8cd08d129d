"""Tests of symequiv.judge.render: every format writes a verdict, a witness and a sweep soundly."""

import base64
import re

import pytest

import symequiv as se
from symequiv.errors import InvalidType
from symequiv.judge.render import sweep_html
from symequiv.judge.witness import witness
from verdict_examples import (
    CLAIM,
    black_box,
    braces_balanced,
    data_rows,
    environments,
    fails_by_ball,
    fails_exactly,
    parsed_html,
    proved,
    undecided,
)


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


@pytest.mark.parametrize("make", [proved, fails_exactly, fails_by_ball, undecided])
def test_latex_environments_are_balanced(make):
    text = make().to_latex()
    begins, ends = environments(text)
    assert sorted(begins) == sorted(ends) and "tabular" in begins
    assert braces_balanced(text)
    assert r"\documentclass" not in text and r"\begin{document}" not in text


@pytest.mark.parametrize("make", [proved, fails_exactly, fails_by_ball, undecided])
def test_repr_latex_is_one_displaystyle_line(make):
    text = make()._repr_latex_()
    assert text.startswith(r"$\displaystyle ") and text.endswith("$") and "\n" not in text
    assert text.count("$") == 2 and braces_balanced(text)


def test_str_is_a_readable_summary():
    text = str(fails_exactly())
    assert text.startswith("Verdict: fails (certified)")
    assert CLAIM in text and "shift: d = 1/3" in text and "symbolic" in text
    assert "largest |residual|: 0.228553 in cell 2" in text
    assert "certificate: the residual of cell 2 is exactly -1/8 + sqrt(2)/4, which is nonzero" in text
    assert "boundary cells: 0, 4" in str(proved()) and "holds (proved)" in str(proved())
    assert "undecided" in str(undecided()) and "<= 3.1e-55" in str(undecided())
    assert "note: grid is periodic" in str(fails_by_ball())


@pytest.mark.parametrize("make", [proved, fails_exactly, fails_by_ball, undecided, lambda: black_box("0.5")])
def test_repr_html_is_well_formed_with_mathml(make):
    verdict = make()
    page = verdict._repr_html_()
    root = parsed_html(page)  # well-formed: every element closed, text escaped
    assert root.find(".//{http://www.w3.org/1998/Math/MathML}math") is not None or not verdict.cells
    assert "<table" in page and "LinearShift" in page


def test_repr_html_of_a_witness_is_well_formed_mathml():
    page = witness(se.PointSample(se.Grid(0, 1, 2, periodic=True)), "-1/3")._repr_html_()
    root = parsed_html(page)
    mathml = "{http://www.w3.org/1998/Math/MathML}"
    assert root.find(f".//{mathml}mtable") is not None  # f2, a Piecewise, as a brace of cases
    assert root.find(f".//{mathml}mrow[@class='differs']") is not None  # the differing cell, framed
    assert "symequiv-verdict" in page and "fails" in page
    assert "Piecewise(" not in page and "PointSample" in page


def test_sweep_html_has_the_curve_and_one_row_per_shift():
    D = se.CellAverage(se.Grid(-1, 1, 8))
    result = se.sweep(D, se.Signal("Heaviside(x - 1/8)"), ["1/16", "1/8", "1/4"], se.LinearShift(), progress=False)
    page = sweep_html(result, "Heaviside, linear shift")
    rows = re.findall(r"<tr>.*?</tr>", page)
    assert len(rows) == 1 + 3  # header and one per shift
    assert [("holds" in row, "fails" in row) for row in rows[1:]] == [(False, True), (False, True), (True, False)]
    svg = re.search(r"src='data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)'", page)
    assert svg and base64.b64decode(svg[1]).lstrip().startswith((b"<?xml", b"<svg"))
    parsed_html(page)  # well-formed (the image is a self-closed <img/>)
    assert "Sweep of 3 shifts" in page and "<mfrac>" in page  # the shifts as mathematics
    assert "d = 1/8" not in page  # the claim is shown once, without the shift the sweep varies
    with pytest.raises(InvalidType):
        sweep_html(result, title=3)
