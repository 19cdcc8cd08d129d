"""Tests of symequiv.output.report_latex: a balanced LaTeX document that pdflatex compiles within the page."""

import re
import shutil
import subprocess

import PIL.Image
import pytest
import sympy

from report_examples import NAME, PIECEWISE, build, in_order
from symequiv.output.report import Derivation


@pytest.fixture(scope="module")
def derivation():
    return build()


def test_latex_is_a_balanced_document_with_escaped_text(derivation):
    text = derivation.to_latex()
    assert text.startswith("\\documentclass{article}")
    for package in ("amsmath", "graphicx", "booktabs"):
        assert f"\\usepackage{{{package}}}" in text
    stack = []
    for kind, env in re.findall(r"\\(begin|end)\{([^}]*)\}", text):
        if kind == "begin":
            stack.append(env)
        else:
            assert stack and stack.pop() == env, env
    assert stack == []
    in_order(text, ["\\begin{document}", "\\LARGE\\bfseries A conv layer", "\\end{document}"])
    # Braces balance once escaped braces and line breaks are removed.
    bare = re.sub(r"\\[{}]", "", text.replace("\\\\", ""))
    depth = 0
    for c in bare:
        depth += {"{": 1, "}": -1}.get(c, 0)
        assert depth >= 0
    assert depth == 0
    assert ("Plain \\textless{}script\\textgreater{}alert(1)\\textless{}/script\\textgreater{} \\& 50\\% of "
            "$\\delta = dx/2$ costs \\$5\\_\\#.") in text
    in_order(text, [
        sympy.latex(PIECEWISE), "\\bfseries}l", "Verdict & fails (certified)", "a\\textbar{}b",
        "keepaspectratio]{figure1.png}", "keepaspectratio]{figure2.png}", "\\textbf{The paper says:}",
        "Claim & S\\_1 D[f] = D[f(x - dx)] on cells 1..2",
    ])


# ------------------------------------------------------------------ PDF --

PDFLATEX, PDFFONTS, PDFTOPPM = (shutil.which(tool) for tool in ("pdflatex", "pdffonts", "pdftoppm"))
needs_pdf_tools = pytest.mark.skipif(
    None in (PDFLATEX, PDFFONTS, PDFTOPPM),
    reason="pdflatex, pdffonts or pdftoppm missing (.ci/run installs texlive-latex-recommended, lmodern, poppler-utils)",
)


def compile_pdf(folder, name):
    """Compile NAME.tex in ``folder``: (the PDF path, the log text); fails the test on a LaTeX error."""
    run = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"], cwd=folder,
                         capture_output=True, timeout=180)
    log = (folder / f"{name}.log").read_text(errors="replace")
    assert run.returncode == 0, log[-3000:]
    return folder / f"{name}.pdf", log


def check_pdf(pdf, log):
    """Vector fonts only, no line or table wider than the text, and every page renders."""
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)
    fonts = subprocess.run([PDFFONTS, str(pdf)], capture_output=True, text=True, timeout=60, check=True).stdout
    assert "Type 3" not in fonts, fonts
    pages = subprocess.run([PDFTOPPM, "-r", "40", "-png", str(pdf), str(pdf.with_suffix(""))], capture_output=True,
                           timeout=120)
    assert pages.returncode == 0, pages.stderr
    images = sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))
    assert images
    for image in images:
        with PIL.Image.open(image) as page:
            assert page.convert("L").getextrema()[0] < 128, f"{image.name} is blank"
    return images


@needs_pdf_tools
def test_latex_compiles_with_vector_fonts_and_nothing_too_wide(derivation, tmp_path):
    derivation.write(tmp_path, formats=("tex",))
    pdf, log = compile_pdf(tmp_path, NAME)
    check_pdf(pdf, log)


def wide_prose_table():
    words = "fails (certified); symbolic"
    return Derivation("wide", "T").table(["signal", "linear", "cubic", "Fourier", "Lanczos"],
                                         [["a step inside a cell", words, words, words, words]] * 3)


def test_a_wide_table_of_prose_wraps_instead_of_shrinking():
    tex = wide_prose_table().to_latex()
    assert "\\begin{tabularx}{\\linewidth}" in tex and "\\resizebox" not in tex


@needs_pdf_tools
def test_a_wide_table_of_prose_compiles_within_the_text_width(tmp_path):
    wide_prose_table().write(tmp_path, formats=("tex",))
    check_pdf(*compile_pdf(tmp_path, "wide"))
