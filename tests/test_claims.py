"""Tests of symequiv.judge.claims: a claim is typeset as mathematics, read and never run."""

import re
import shutil
import subprocess

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symequiv import Grid, PointSample
from symequiv.judge.verdict import Verdict
from symequiv.judge.witness import witness
from verdict_examples import CHECKER_CLAIM, R, braces_balanced, parsed_html, renderings

texts = st.text(min_size=1, max_size=40).filter(lambda t: t.strip())


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


def test_repr_html_typesets_the_claim_and_escapes_text():
    verdict = Verdict(CHECKER_CLAIM, True, "symbolic", [0], cells=(3,), notes=("<script>alert(1)</script>",))
    page = verdict._repr_html_()
    parsed_html(page)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Sequential(" not in page and "&#x2218;" in page and "<mfrac>" in page


def test_a_witness_claim_is_typeset_as_prose_with_formulas():
    verdict = witness(PointSample(Grid(0, 1, 4, periodic=True)), "-1/3").verdict
    latex, markdown, page = verdict.to_latex(), verdict.to_markdown(), verdict._repr_html_()
    for text in (latex, markdown):
        assert r"$\mathrm{PointSample}(\mathrm{Grid}(0," in text and r"$d = - \frac{1}{3}$" in text
        assert "${g}^{h}$" in text and "Grid(0, 1, 4" not in text
    assert "Grid(0, 1, 4" not in page and "some discrete shift" in page
    assert "Grid(0, 1, 4, periodic=True)" in str(verdict)  # text stays text


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
    parsed_html(verdict._repr_html_())


LONG_CLAIM = (
    "op(D[f(x - d)]) = g(op(D[f]), d) for D = PointSample(Grid(-S(1)/2, S(5)/4, 7), at='left'), "
    "f = Heaviside(x - 1/3) + sin(x), op = Sequential(Conv([S(1)/4, S(1)/2, S(1)/4], bias=-S(1)/10), "
    "LeakyReLU(S(1)/10)), g = LinearShift(), d = 1/8"
)


def test_the_latex_of_a_long_claim_compiles_without_overfull_lines(tmp_path):
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
