"""Figure 1: the Heaviside edge detector, original and translated image.

Pixels and layer outputs for H(x) and H(x - dx/2), exactly; every pixel and
output as a function of the shift; and two places where the paper's text does
not match its own definitions, corrected and checked.
"""

import sys

import sympy

import symequiv as se
from symequiv import Verdict
from symequiv.output.figures import edge_response_curve, figure1_edge_detector
from symequiv.continuous.piecewise import PiecewiseFunction
from symequiv.output.proving import run_script
from symequiv.output.report import Derivation

NAME = "figure1_edge_detector"
TITLE = "Figure 1: the edge detector sees the edge of $H(x)$ but not of $H(x - \\Delta x/2)$"


def _equality(claim, got, expected):
    """An exact comparison of two vectors of exact numbers: proved equal, or certified different."""
    residual = [sympy.nsimplify(g) - sympy.nsimplify(e) for g, e in zip(got, expected)]
    cells = tuple(range(len(residual)))
    nonzero = [i for i, r in enumerate(residual) if r != 0]
    if not nonzero:
        return Verdict(claim, True, "symbolic", residual, cells=cells)
    i = nonzero[0]
    return Verdict(claim, False, "symbolic", residual, cells=cells,
                   certificate={"cell": i, "kind": "exact", "value": residual[i]})


def _vector(values):
    return "\\left[" + ", ".join(sympy.latex(v) for v in values) + "\\right]"


def build():
    """The paper's Figure 1 recomputed: pixels, outputs, curves, and the text's slips corrected."""
    d = Derivation(NAME, TITLE, claim="the layer outputs $[0, 1, 0, 0]$ on $H(x)$ and $[0, 0, 0, 0]$ on "
                                      "$H(x - \\Delta x/2)$")
    grid = se.Grid(-1, 1, 4)
    D = se.CellAverage(grid)
    H = se.Signal("Heaviside(x)")
    layer = se.Conv([2, -2], origin=1, bias=-1) >> se.ReLU()
    moved = H.shifted(grid.dx / 2)
    d.text(f"Four cells on $[-1, 1]$, $\\Delta x = {sympy.latex(grid.dx)}$; the pixels are the cell averages "
           "$D_j[f] = \\frac{1}{\\Delta x}\\int_{x_j}^{x_{j+1}} f\\,dx$, and the layer is the edge detector "
           f"${layer.latex()}$ with zero padding.")
    d.table(["image", "pixels $D[f]$", "layer output"],
            [["$H(x)$", list(D(H)), list(layer(D(H)))],
             ["$H(x - \\Delta x/2)$", list(D(moved)), list(layer(D(moved)))]],
            caption="Figure 1 of the paper, exactly")
    d.verdict(_equality("layer(D[H]) = [0, 1, 0, 0] (an edge in pixel 1)", layer(D(H)), [0, 1, 0, 0]), main=True,
              statement="$N(D[H]) = [0, 1, 0, 0]$ (an edge in pixel 1)")
    d.verdict(_equality("layer(D[H(x - dx/2)]) = [0, 0, 0, 0] (no edge)", layer(D(moved)), [0, 0, 0, 0]),
              statement="$N(D[H(x - \\Delta x/2)]) = [0, 0, 0, 0]$ (no edge)")

    closed = D.closed_form(H)
    outputs = [PiecewiseFunction.from_expr(e, se.delta).to_expr() for e in layer(closed)]
    d.text("Every pixel and output as an exact function of the shift $\\delta$ (image $H(x - \\delta)$):")
    d.table(["cell $j$", "pixel $D_j[H(x - \\delta)]$", "layer output $N_j$"],
            [[j, closed[j], outputs[j]] for j in range(grid.n)],
            caption="closed forms, valid for every real $\\delta$")
    for name, image in (("fig1_pixels_and_outputs", figure1_edge_detector()), ("fig1_edge_response", edge_response_curve())):
        d.figure(name, png=image.png, svg=image.svg, pdf=image.pdf, caption=image.caption)

    unnormalized = [sympy.integrate(sympy.Heaviside(se.x, 0), (se.x, a, b)) for a, b in zip(grid.edges, grid.edges[1:])]
    d.correction(
        paper="$H_j = \\int_{x_j}^{x_{j+1}} H(x)\\,dx$ (no factor $1/\\Delta x$), with pixels $[0, 0, 1, 1]$.",
        corrected="$H_j = \\frac{1}{\\Delta x}\\int_{x_j}^{x_{j+1}} H(x)\\,dx$: without the factor $1/\\Delta x$ "
                  f"the pixels are ${_vector(unnormalized)}$, not $[0, 0, 1, 1]$.",
        check=_equality("the pixels are the averages (1/dx) * integral", D(H), [v / grid.dx for v in unnormalized]),
        check_statement="the pixels are the averages $\\frac{1}{\\Delta x}\\int_{x_j}^{x_{j+1}} H(x)\\,dx$",
    )
    d.correction(
        paper="the output of the convolutional layer on the translated image is $[0, 0, 0.5, 1]$.",
        corrected="$[0, 0, \\frac{1}{2}, 1]$ are the translated image's pixels; the layer's output on them is "
                  "$[0, 0, 0, 0]$, as the paper's next sentence says.",
        check=_equality("D[H(x - dx/2)] = [0, 0, 1/2, 1]", D(moved), [0, 0, sympy.Rational(1, 2), 1]),
        check_statement="$D[H(x - \\Delta x/2)] = [0, 0, \\frac{1}{2}, 1]$",
    )
    d.correction(
        paper="$g$ is the transformation $x \\mapsto x + \\delta$, and the left side discretizes $f(x + \\delta)$.",
        corrected="the example translates the image to $H(x - \\Delta x/2)$, i.e. content moves by "
                  "$+\\Delta x/2$; symequiv writes every translation as $f(x - \\delta)$, so the paper's "
                  "$f(x + \\delta)$ is symequiv's shift by $-\\delta$.",
        check=None,
    )
    return d


def main(argv=None):
    return run_script(build, argv)


if __name__ == "__main__":
    sys.exit(main())
