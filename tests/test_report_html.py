"""Tests of symequiv.output.report_html: one self-contained page, every text escaped, no address."""

import html
import html.parser
import re

import pytest
import sympy

from report_examples import build
from symequiv.output.report import Derivation

ALLOWED_NAMESPACES = re.compile(
    r"""\sxmlns(?::xlink)?="(?:http://www\.w3\.org/1998/Math/MathML|http://www\.w3\.org/2000/svg"""
    r"""|http://www\.w3\.org/1999/xlink)\""""
)


@pytest.fixture(scope="module")
def derivation():
    return build()


class _TagChecker(html.parser.HTMLParser):
    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.tags, self.errors = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def test_html_is_self_contained_and_escaped(derivation):
    verdict = derivation.main_verdict
    page = derivation.to_html()
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert '<meta charset="utf-8">' in page
    # No address anywhere but the MathML, SVG and XLink namespace names.
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]", ALLOWED_NAMESPACES.sub("", page), re.IGNORECASE)
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in page
    assert "<mtext>otherwise</mtext>" in page and '<mtable class="cases">' in page  # Piecewise: a brace of cases
    assert ('<mi>δ</mi><mo>=</mo><mi>d</mi><mi>x</mi><mo lspace="0" rspace="0" stretchy="false">/</mo><mn>2</mn>'
            in page)  # inline $\delta = dx/2$
    # user text escaped: no script element at all
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 50% of" in page
    assert "<script" not in page.lower()
    # figures: inline SVG without its metadata, else a data: PNG
    assert "<svg" in page and "<metadata" not in page and "matplotlib.org" not in page
    assert 'src="data:image/png;base64,' in page
    # the verdict's fields
    assert ('<mo form="prefix" stretchy="true">[</mo><mrow><mn>0</mn><mo>,</mo><mfrac><mn>1</mn><mn>2</mn></mfrac>'
            '<mo>,</mo><mn>0.25</mn></mrow><mo form="postfix" stretchy="true">]</mo>') in page
    for piece in (html.escape(verdict.claim, quote=False), "fails", "symbolic (exact sympy arithmetic)",
                  "<th>residual</th>"):
        assert piece in page
    # the compared cells, and of how many when the verdict knows the grid's size
    assert re.search(r"<dt>Compared cells</dt><dd>1\.\.3 \(3( of 4)?\)</dd>", page)
    checker = _TagChecker()
    checker.feed(page)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    for tag, attrs in checker.tags:
        for key in ("src", "href", "xlink:href"):
            value = attrs.get(key)
            assert value is None or value.startswith(("data:", "#")), (tag, key, value)
        assert tag not in ("script", "link", "iframe", "object")


def test_html_math_from_sympy_is_escaped():
    page = Derivation("n", "T").math(sympy.Symbol("<script>") + 1).to_html()
    assert "<script" not in page and "<mo>&lt;</mo>" in page and "<mo>&gt;</mo>" in page
