"""Eq. (4): a conv layer is not translation equivariant, a certified counterexample.

The paper's edge detector on its Heaviside image, translated by half a pixel.
The right-hand side of eq. (4) needs a discrete translation g of the layer's
output by half a pixel; whichever g is chosen, the checker compares. For the
natural choices (linear, cubic interpolation) the inequality is certified
exactly; inequality (5)'s witness shows that no g at all can work.
"""

import sys

import symequiv as se
from symequiv.figures import residual_curve
from symequiv.proving import run_script
from symequiv.report import Derivation

NAME = "eq4_conv_layer"
TITLE = "A conv layer is not translation equivariant (eq. 4)"


def build():
    """The edge detector against half-pixel translations: certified counterexamples and the residual curve."""
    d = Derivation(NAME, TITLE,
                   claim="N(C[a, D[f(x - delta)]]) = g N(C[a, D[f]]) fails for delta = dx/2, whatever g (eq. 4)")
    grid = se.Grid(-1, 1, 4)
    D = se.CellAverage(grid)
    H = se.Signal("Heaviside(x)")
    layer = se.Conv([2, -2], origin=1, bias=-1) >> se.ReLU()
    half = grid.dx / 2
    d.text(f"Image $H(x)$ on {grid!r}, pixels by cell averages, layer {layer!r}: "
           "$y_j = \\max(0, 2 b_{j+1} - 2 b_j - 1)$ with zero padding. Translation by $\\delta = dx/2$.")
    d.table(["", "pixels", "layer output"],
            [["H(x)", list(D(H)), list(layer(D(H)))],
             ["H(x - dx/2)", list(D(H.shifted(half))), list(layer(D(H.shifted(half))))]],
            caption="exact values")
    main = se.check_commutation(D, H, half, se.LinearShift(), op=layer)
    d.verdict(main, label="g = linear interpolation", main=True)
    wide = se.CellAverage(se.Grid(-2, 2, 8))  # the same pixels, wider: cubic interpolation reads 2 cells each way
    d.verdict(se.check_commutation(wide, H, half, se.CubicShift(), op=layer),
              label="g = Keys cubic interpolation, on 8 pixels of the same size")
    d.text("Cells 0 and 3 read beyond the image (zero padding, zero fill) and are reported apart; "
           "the certificate is an interior cell. No discrete g can repair this: inequality (5)'s witness "
           "gives two images with the same pixels whose half-pixel translations have different pixels.")
    witness = se.witness(D, half)
    d.verdict(witness.verify(), label="witness: no discrete shift commutes with D at dx/2")

    deltas = [grid.dx * k / 16 for k in range(17)]
    curve = se.sweep(D, H, deltas, se.LinearShift(), op=layer, progress=False)
    d.table(["delta", "verdict", "max |residual|"],
            [[delta, {True: "holds", False: "fails", None: "undecided"}[v.holds], v.max_residual]
             for delta, v in zip(curve.deltas, curve)],
            caption="eq. (4) with g = linear interpolation as the shift goes from 0 to one pixel")
    image = residual_curve(curve, "eq. (4), edge detector, g = linear interpolation")
    d.figure("eq4_residual_curve", png=image.png, svg=image.svg, caption=image.caption)
    return d


def main(argv=None):
    return run_script(build, argv)


if __name__ == "__main__":
    sys.exit(main())
