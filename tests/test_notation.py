"""Tests of symequiv.output.notation: sympy objects in the paper's notation in every format."""

import sympy

from symequiv import delta
from symequiv.output.report import Derivation


def test_the_papers_step_is_written_h():
    d = Derivation("n", "T").math(sympy.Heaviside(delta, 0) + sympy.Heaviside(delta - 1))
    assert "H\\left(\\delta\\right)" in d.to_latex() and "H_{\\frac{1}{2}}\\left(\\delta - 1\\right)" in d.to_latex()
    assert "theta" not in d.to_markdown() and "θ" not in d.to_html()


def test_symbol_names_written_in_latex_are_typeset():
    dx = sympy.Symbol("\\Delta x")
    d = Derivation("n", "T").math(sympy.Eq(sympy.Symbol("a_-1"), 2 * dx))
    page = d.to_html()
    assert '<mi mathvariant="normal">Δ</mi><mi>x</mi>' in page and "\\Delta" not in page
    assert '<msub><mi>a</mi><mrow><mo form="prefix">−</mo><mn>1</mn></mrow></msub>' in page
    assert "a_{-1} = 2 \\Delta x" in d.to_latex() and "\\Delta_{x}" not in d.to_latex()
