"""Tests of symequiv.output.prose: prose keeps "eq. 4" on one line, and shows its math as plain text."""

from symequiv.output.report import Derivation


def test_titles_keep_an_abbreviation_with_its_number():
    d = Derivation("n", "A conv layer is not equivariant (eq. 4); see Figure 2")
    assert "\\bfseries A conv layer is not equivariant (eq.~4); see Figure~2\\end{center}" in d.to_latex()
    assert '<span class="nb">(eq. 4);</span>' in d.to_html() and '<span class="nb">Figure 2</span>' in d.to_html()
    assert "(eq.\u00a04)" in d.to_markdown()


def test_the_page_title_shows_what_its_math_shows():
    page = Derivation("n", "The edge of $H(x - \\Delta x/2)$").to_html()
    assert "<title>The edge of H(x−Δx/2)</title>" in page
