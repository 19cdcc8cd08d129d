"""Eq. (4): a conv layer is not translation equivariant, a certified counterexample.

The paper's edge detector on its Heaviside image, translated by half a pixel.
The right-hand side of eq. (4) needs a discrete translation g of the layer's
output by half a pixel; whichever g is chosen, the checker compares. For the
natural choices (linear, cubic interpolation) the inequality is certified
exactly; inequality (5)'s witness shows that no g at all can work.
"""

import sys

import sympy

import symequiv as se
from symequiv.output.figures import residual_curve
from symequiv.output.proving import run_script
from symequiv.output.report import Derivation, outcome_words

NAME = "eq4_conv_layer"
TITLE = "A conv layer is not translation equivariant (eq. 4)"

EQ4 = "$N(C[a, D[f(x - \\delta)]]) = g\\, N(C[a, D[f]])$"


def build():
    """The edge detector against half-pixel translations: certified counterexamples and the residual curve."""
    d = Derivation(NAME, TITLE, claim=f"{EQ4} fails at $\\delta = \\Delta x/2$, whatever the discrete shift $g$ (eq. 4)")
    grid = se.Grid(-1, 1, 4)
    D = se.CellAverage(grid)
    H = se.Signal("Heaviside(x)")
    layer = se.Conv([2, -2], origin=1, bias=-1) >> se.ReLU()
    half = grid.dx / 2
    d.text(f"The image $H(x)$ on 4 cells of $[-1, 1]$ ($\\Delta x = {sympy.latex(grid.dx)}$), its pixels the cell "
           f"averages $D[f]$, and the edge detector $N$: ${layer.latex()}$ with zero padding. "
           f"The image is translated by $\\delta = \\Delta x/2 = {sympy.latex(half)}$.")
    d.table(["image", "pixels $D[f]$", "layer output $N(D[f])$"],
            [["$H(x)$", list(D(H)), list(layer(D(H)))],
             ["$H(x - \\Delta x/2)$", list(D(H.shifted(half))), list(layer(D(H.shifted(half))))]],
            caption="exact values")
    setting = "for the edge detector $N$ on the cell averages over 4 cells of $[-1, 1]$"
    main = se.check_commutation(D, H, half, se.LinearShift(), op=layer)
    d.verdict(main, label="$g$ = linear interpolation", main=True,
              statement=f"$N(D[H(x - \\delta)]) = g(N(D[H]), \\delta)$ at $\\delta = {sympy.latex(half)}$ "
                        f"with $g$ the linear interpolation, {setting}")
    wide = se.CellAverage(se.Grid(-2, 2, 8))  # the same pixels, wider: cubic interpolation reads 2 cells each way
    d.verdict(se.check_commutation(wide, H, half, se.CubicShift(), op=layer),
              label="$g$ = Keys cubic interpolation, on 8 pixels of the same size",
              statement=f"$N(D[H(x - \\delta)]) = g(N(D[H]), \\delta)$ at $\\delta = {sympy.latex(half)}$ "
                        "with $g$ the Keys cubic interpolation, for the edge detector $N$ on the cell averages "
                        "over 8 cells of $[-2, 2]$")
    d.text("Cells 0 and 3 read beyond the image (zero padding, zero fill) and are reported apart; "
           "the certificate is an interior cell. No discrete $g$ can repair this: inequality (5)'s witness "
           "gives two images with the same pixels whose half-pixel translations have different pixels.")
    witness = se.witness(D, half)
    d.verdict(witness.verify(), label="witness: no discrete shift commutes with $D$ at $\\Delta x/2$",
              statement=f"some discrete shift $g^h$ satisfies $D[f(x - d)] = g^h(D[f], d)$ for every $f$, at "
                        f"$d = {sympy.latex(half)}$, for the cell averages $D$ over 4 cells of $[-1, 1]$")

    deltas = [grid.dx * k / 16 for k in range(17)]
    curve = se.sweep(D, H, deltas, se.LinearShift(), op=layer, progress=False)
    d.table(["$\\delta$", "verdict", "$\\max_j |r_j|$"],
            [[delta, outcome_words(v), v.max_residual] for delta, v in zip(curve.deltas, curve)],
            caption=f"eq. (4) with $g$ the linear interpolation as the shift goes from 0 to one pixel "
                    f"($\\Delta x = {sympy.latex(grid.dx)}$)")
    image = residual_curve(curve, "Eq. (4), edge detector, $g$ = linear interpolation")
    d.figure("eq4_residual_curve", png=image.png, svg=image.svg, pdf=image.pdf, caption=image.caption)
    return d


def main(argv=None):
    return run_script(build, argv)


if __name__ == "__main__":
    sys.exit(main())
