"""Figure 1 in two dimensions: an oriented edge, a 2-D camera and a Sobel-type edge detector.

The scene H(x - y/8) is photographed by a 4 x 4 camera (cell averages). The
detector fires on the edge; translated by half a pixel along x, the pixels
change shape and it stops firing. Every pixel and output is exact, and so is
the detector's response as a function of the translation (d_x, d_y). The
layer is equivariant to whole-pixel shifts on a periodic camera (proved),
not to the sub-pixel one (certified), and no discrete shift could fix that:
the 2-D witness of inequality (5).
"""

import sys

import sympy

import symequiv as se
from symequiv import Verdict
from symequiv.output.figures import detector_2d, edge_detector_2d, edge_response_map
from symequiv.output.proving import run_script
from symequiv.output.report import Derivation

NAME = "figure1_edge_detector_2d"
TITLE = "Figure 1 in 2-D: the detector sees the oriented edge, but not the edge moved by half a pixel"


def _silent(claim, outputs):
    """An exact verdict on "every output is 0": the outputs are the residual; the largest nonzero one certifies."""
    cells = tuple((i, j) for i in range(outputs.shape[0]) for j in range(outputs.shape[1]))
    residual = [outputs[cell] for cell in cells]
    nonzero = [k for k, r in enumerate(residual) if r != 0]
    if not nonzero:
        return Verdict(claim, True, "symbolic", residual, cells=cells)
    k = max(nonzero, key=lambda index: residual[index])
    return Verdict(claim, False, "symbolic", residual, cells=cells,
                   certificate={"cell": cells[k], "kind": "exact", "value": residual[k]})


def _rows(values):
    return [[i] + [values[i, j] for j in range(values.shape[1])] for i in range(values.shape[0])]


def build():
    """The 2-D Figure 1 recomputed: pixels, outputs, the response map, the checks and the witness."""
    d = Derivation(NAME, TITLE, claim="the detector fires on $H(x - y/8)$ and not on its translation by "
                                      "$(\\Delta x/2, 0)$, whatever discrete shift one tries")
    grid, D, scene, layer = detector_2d()
    moved = scene.shifted((grid.dx[0] / 2, 0))
    pixels, shifted_pixels = D(scene), D(moved)
    outputs, shifted_outputs = layer(pixels), layer(shifted_pixels)
    d.text(f"A camera of $4 \\times 4$ pixels on $[-1, 1]^2$, $\\Delta x = \\Delta y = {sympy.latex(grid.dx[0])}$; "
           "pixel $(i, j)$ is the average of the scene over $[x_i, x_{i+1}] \\times [y_j, y_{j+1}]$. The "
           f"detector is ${layer.latex()}$, with zero padding: a difference along $x$, smoothed along $y$.")
    header = ["$i$"] + [f"$j = {j}$" for j in range(4)]
    d.table(header, _rows(pixels), caption="pixels of $H(x - y/8)$")
    d.table(header, _rows(outputs), caption="detector outputs on them")
    d.table(header, _rows(shifted_pixels), caption="pixels of the scene translated by $(\\Delta x/2, 0)$")
    d.table(header, _rows(shifted_outputs), caption="detector outputs on them")
    d.verdict(_silent("the detector's outputs on D[H(x - 1/4 - y/8)] are all 0", shifted_outputs), main=True,
              statement="the detector is silent on the scene translated by $(\\Delta x/2, 0)$")
    d.verdict(_silent("the detector's outputs on D[H(x - y/8)] are all 0", outputs),
              statement="the detector is silent on $H(x - y/8)$ (it is not: it fires)")

    for image in (edge_detector_2d(), edge_response_map()):
        d.figure(image.name, png=image.png, svg=image.svg, pdf=image.pdf, caption=image.caption)

    ring = se.Grid((-1, -1), (1, 1), (4, 4), periodic=True)
    circular = se.Conv(layer.layers[0].kernel, origin=(0, 1), mode="correlation", bias="-5/4",
                       padding="circular") >> se.ReLU()
    d.text("On a periodic camera with circular padding, shifting the scene by whole pixels shifts the outputs "
           "by whole pixels (eq. 3 in 2-D), proved exactly:")
    d.verdict(se.check_integer_shift(se.CellAverage(ring), scene, (1, 2), op=circular),
              statement="$N(D[f(x - \\Delta x, y - 2\\Delta y)]) = S_{(1, 2)} N(D[f])$")
    d.text("At half a pixel no such equality holds for the bilinear shift of the outputs (eq. 4 in 2-D), "
           "certified:")
    d.verdict(se.check_commutation(se.CellAverage(ring), scene, (grid.dx[0] / 2, 0), se.LinearShift(), op=circular),
              statement="$N(D[f(x - \\Delta x/2, y)]) = g^h(N(D[f]), (\\Delta x/2, 0))$ for the bilinear $g^h$")
    witness = se.witness(D, (grid.dx[0] / 2, 0))
    d.text("Nor for any other discrete shift: two scenes with the same pixels whose translations by "
           f"$(\\Delta x/2, 0)$ differ in pixel ${witness.cell}$ (inequality (5) in 2-D):")
    d.math(sympy.Eq(sympy.Symbol("f_2"), witness.f2.expr, evaluate=False), label="the second scene ($f_1 = 0$)")
    d.verdict(witness.verify(), statement="some discrete shift $g^h$ satisfies $D[f(x - d)] = g^h(D[f], d)$ "
                                          "for every scene $f$, at $d = (\\Delta x/2, 0)$")
    return d


def main(argv=None):
    return run_script(build, argv)


if __name__ == "__main__":
    sys.exit(main())
