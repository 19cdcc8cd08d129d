"""Tests of symequiv.output.latex_mathml: every form of LaTeX sympy writes becomes MathML, spaced as TeX would."""

import re
import xml.etree.ElementTree as ElementTree

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from report_examples import PIECEWISE
from symequiv import delta
from symequiv.output.latex_mathml import inline_mathml
from symequiv.output.notation import sympy_latex
from symequiv.output.report import Derivation


def mtext_with_latex(page):
    """Every <mtext> that shows LaTeX source instead of mathematics."""
    return [t for t in re.findall(r"<mtext>([^<]*)</mtext>", page) if "\\" in t]


EXPRESSIONS = [
    PIECEWISE.rhs,
    sympy.Matrix([[1, delta], [sympy.Rational(1, 2), 0]]),
    sympy.Integral(sympy.Function("a")(sympy.Symbol("tau")) * sympy.exp(-delta), (sympy.Symbol("tau"), -sympy.oo, sympy.oo)),
    sympy.Sum(delta**2, (sympy.Symbol("k"), 1, 10)),
    sympy.Limit(sympy.sin(delta) / delta, delta, 0),
    sympy.sqrt(2) / 10 + sympy.root(3, 3),
    sympy.Abs(delta - 1) + sympy.Max(0, delta) + sympy.floor(delta),
    sympy.Heaviside(delta, 0) - sympy.Heaviside(delta - 1, sympy.Rational(1, 2)),
    sympy.binomial(sympy.Symbol("n"), 2) * sympy.exp(-40 * (delta - sympy.Rational(1, 2)) ** 2),
    sympy.Eq(sympy.Symbol("f^h_j"), sympy.Symbol("L") * sympy.cos(2 * sympy.pi * delta) / sympy.Symbol("\\Delta x")),
    sympy.Ne(delta, 0) & (delta < 1),
]


@pytest.mark.parametrize("expr", EXPRESSIONS, ids=lambda e: type(e).__name__)
def test_every_form_sympy_writes_becomes_mathematics_in_html(expr):
    latex = sympy_latex(expr)
    page = Derivation("n", "T").text(f"Inline: $f = {latex}$.").math(expr).table(["a"], [[expr]]).to_html()
    assert mtext_with_latex(page) == [], latex  # prose math, display math and table cells


def test_inline_math_in_html_renders_simple_latex_and_shows_the_rest_as_text():
    page = Derivation("n", "T").text("$\\frac{a}{b} x_j^2 \\le \\sqrt{\\alpha}$ and $\\weird{<b>}$").to_html()
    assert "<mfrac><mi>a</mi><mi>b</mi></mfrac>" in page
    assert "<msubsup><mi>x</mi><mi>j</mi><mn>2</mn></msubsup><mo>≤</mo><msqrt><mi>α</mi></msqrt>" in page
    assert "<mtext>\\weird{&lt;b&gt;}</mtext>" in page and "<b>" not in page


def test_functions_stand_apart_and_minus_is_a_minus_sign():
    L, x = sympy.symbols("L x")
    page = Derivation("n", "T").math(L * sympy.cos(2 * sympy.pi * x / L) - 1).to_html()
    assert '<mi>L</mi><mspace width="0.1667em"></mspace><mi>cos</mi>' in page  # not "Lcos"
    assert "<mo>−</mo><mn>1</mn>" in page and "<mo>-</mo>" not in page


def test_a_sign_is_not_spaced_as_a_binary_minus():
    page = Derivation("n", "T").text("$x \\le -\\frac{3}{4}$").to_html()
    assert '<mo>≤</mo><mo form="prefix">−</mo><mfrac>' in page


LATEX_PIECES = ["\\frac", "\\sqrt", "[", "]", "{", "}", "^", "_", "\\left(", "\\right)", "\\left.", "\\right|", "x",
                "2", "-", "+", "&", "\\\\", "\\begin{cases}", "\\end{cases}", "\\begin{matrix}", "\\end{pmatrix}",
                "\\text{a b}", "\\mathrm{d}", "\\cos", "\\sum", "\\int\\limits", "\\alpha", "\\Delta", "'", "\\,",
                "\\unknown", "<", "\\{", "\\}", "\\|", "\\left", "\\right", "\\bigl(", "\\not", "=", "\\limits"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LATEX_PIECES), max_size=30))
def test_any_inline_latex_becomes_well_formed_mathml_or_its_source(pieces):
    latex = " ".join(pieces)
    markup = inline_mathml(latex)
    ElementTree.fromstring(markup)  # well-formed: every element closed, text escaped


def test_deeply_nested_latex_is_shown_as_source_not_a_crash():
    for latex in ("\\frac" * 2000 + "12", "{" * 500 + "x" + "}" * 500, "\\sqrt" * 3000 + "x"):
        markup = inline_mathml(latex)
        assert markup.startswith("<math") and ("<mtext>" in markup or "<mfrac>" in markup)
