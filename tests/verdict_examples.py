"""Verdicts of every kind, and the checks that the tests of verdicts and their renderings share."""

import re
import xml.etree.ElementTree as ElementTree

import mpmath
import sympy

from symequiv.judge.verdict import Verdict

CLAIM = "D[f(x - d)] = LinearShift(D[f], d) on the compared cells"
CHECKER_CLAIM = (
    "op(D[f(x - d)]) = g(op(D[f]), d) for D = CellAverage(Grid(-1, 1, 8)), f = Heaviside(x, 0), "
    "op = Sequential(Conv(['1/4', '1/2', '1/4'], bias='-1/10'), ReLU()), g = LinearShift(), d = 1/8"
)
R = sympy.Rational
mpf = mpmath.mpf


def at(dps, text):
    with mpmath.workdps(dps):
        return mpf(text)


def proved(**extra):
    return Verdict(CLAIM, True, "symbolic", [0, 0, 0], cells=(1, 2, 3), boundary_cells=(0, 4), **extra)


def fails_exactly():
    residual = [sympy.Integer(0), sympy.sqrt(2) / 4 - R(1, 8)]
    certificate = {"cell": 2, "kind": "exact", "value": residual[1]}
    return Verdict(CLAIM, False, "symbolic", residual, cells=(1, 2), certificate=certificate, shift=R(1, 3))


def fails_by_ball():
    residual = [at(50, "0"), at(50, "0.03125"), at(50, "-1e-20")]
    errors = [None, at(50, "1e-45"), at(50, "1e-45")]
    certificate = {"cell": 6, "kind": "ball", "value": residual[1], "radius": at(50, "1e-45")}
    return Verdict(CLAIM, False, "interval", residual, cells=(5, 6, 7), dps=50, error_bounds=errors,
                   certificate=certificate, notes=("grid is periodic",))


def undecided():
    residual = [at(50, "1e-60"), at(50, "-3e-55")]
    errors = [at(50, "1e-70"), at(50, "1e-70")]
    return Verdict(CLAIM, None, "numeric", residual, cells=(0, 1), dps=50, error_bounds=errors,
                   bound=at(50, "3.1e-55"))


def black_box(bound, tolerance="2.3e-13", cells=(1, 2, 3), residual=None):
    residual = residual or [at(15, bound)] + [at(15, "0")] * (len(cells) - 1)
    return Verdict(CLAIM, None, "numeric", residual, cells=cells, dps=15, bound=at(15, bound),
                   tolerance=at(15, tolerance))


def renderings(verdict):
    """Every rendering of a verdict, by name."""
    return {
        "str": str(verdict), "markdown": verdict.to_markdown(), "latex": verdict.to_latex(),
        "repr_latex": verdict._repr_latex_(), "html": verdict._repr_html_(),
    }


def data_rows(markdown):
    return [line for line in markdown.splitlines() if re.match(r"\| \d+ \|", line)]


def environments(text):
    begins = re.findall(r"\\begin\{(\w+)\}", text)
    ends = re.findall(r"\\end\{(\w+)\}", text)
    return begins, ends


def braces_balanced(text):
    depth = 0
    for piece in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(piece, 0)
        if depth < 0:
            return False
    return depth == 0


def parsed_html(text):
    """HTML as XML: raises unless every element is closed and all text is escaped."""
    return ElementTree.fromstring(f"<root>{text}</root>")
