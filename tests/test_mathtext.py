"""Tests of symequiv.judge.mathtext: text is escaped for Markdown, LaTeX and LaTeX's math mode."""

from symequiv.judge.verdict import Verdict
from verdict_examples import braces_balanced, environments, mpf


def test_markdown_escapes_the_claim():
    text = Verdict("f_1 | *g* [a](b) $x$", True, "symbolic", [0], cells=(0,)).to_markdown()
    assert r"f\_1 \| \*g\* [a]\(b) \$x\$" in text


def test_latex_escapes_special_characters():
    claim = r"50% of f_1 & g_2 costs $3 #1 {a} ~b^c \d"
    text = Verdict(claim, None, "numeric", [mpf(1)], cells=(0,), dps=20, notes=("a_b & 100%",)).to_latex()
    assert r"50\% of f\_1 \& g\_2 costs \$3 \#1 \{a\} \textasciitilde{}${b}^{c}$ \textbackslash{}d" in text
    assert r"\item a\_b \& 100\%" in text
    begins, ends = environments(text)
    assert begins.count("itemize") == ends.count("itemize") == 1
    assert braces_balanced(text)


def test_repr_latex_keeps_special_characters_out_of_text_mode():
    text = Verdict("a_b {c} $d & 50%", True, "symbolic", [0], cells=(0,))._repr_latex_()
    assert r"\_" in text and r"\{" in text and r"\$" in text and r"\&" in text and r"\%" in text
    assert braces_balanced(text) and text.count("$") - text.count(r"\$") == 2
