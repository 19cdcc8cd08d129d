"""Eq. (3): discrete convolution, and a conv layer with a nonlinearity, are shift equivariant.

For integer shifts the claim is proved three ways: for a general kernel and
general data (symbols), for a conv layer with nonlinearities on discretized
signals (symequiv's exact check), and, on a non-periodic grid with zero
padding, the boundary cells where it breaks are named.
"""

import sys

import sympy

import symequiv as se
from symequiv.output.proving import identity_verdict, run_script
from symequiv.output.report import Derivation, outcome_words

NAME = "eq3_integer_shifts"
TITLE = "Discrete convolution and conv layers are shift equivariant for integer shifts (eq. 3)"

DISCRETIZERS = {"CellAverage": "cell averages", "PointSample": "point samples"}


def _general_identity(n=5, shift=2):
    """Circular convolution with a symbolic kernel commutes with a roll of symbolic data."""
    kernel = sympy.symbols("a_-1 a_0 a_1", real=True)
    data = sympy.symbols(f"b_0:{n}", real=True)
    conv = se.Conv(list(kernel), origin=1, padding="circular")
    rolled = [data[(j - shift) % n] for j in range(n)]
    left = conv(rolled)
    right = [conv(data)[(j - shift) % n] for j in range(n)]
    residual = [sympy.expand(l - r) for l, r in zip(left, right)]
    return conv, data, left, residual


def _layer_math(layer, padding):
    return f"${layer.latex()}$ ({padding} padding)"


def build():
    """Integer-shift equivariance: general identity, checked layers, and the boundary of zero padding."""
    d = Derivation(NAME, TITLE, claim="$N(C[a, S_n b]) = S_n N(C[a, b])$ for every integer $n$ "
                                      "(eq. 3, away from the boundary)")
    conv, data, left, residual = _general_identity()
    d.text("Eq. (3): $y_j = \\sum_k a_k b_{j-k}$. Shifting the data by $n$ cells, $(S_n b)_j = b_{j-n}$, gives "
           "$\\sum_k a_k b_{j-n-k} = y_{j-n}$. Checked below for a general three-tap kernel "
           "$(a_{-1}, a_0, a_1)$ on 5 cells with circular padding (every $a_k$ and $b_j$ a symbol), "
           "shift by 2 cells:")
    d.math(sympy.Eq(sympy.Symbol("y_0"), left[0], evaluate=False), label="output 0 of the shifted data")
    d.verdict(identity_verdict("Conv(a, circular) applied to S_2 b equals S_2 applied to Conv(a, circular) b, "
                               "for symbolic a_k and b_j (5 cells)", residual), main=True,
              statement="$C[a, S_2 b] = S_2\\, C[a, b]$ with circular padding, for symbolic $a_k$ and $b_j$ "
                        "on 5 cells")
    d.text("A nonlinearity acts cell by cell, so it commutes with any permutation of cells, shifts included. "
           "symequiv checks whole layers on discretized signals exactly:")

    grid = se.Grid(0, 1, 8, periodic=True)
    signals = [se.Signal("sin(2*pi*x)", period=1), se.Signal("exp(-30*(x - 1/3)**2)"), se.Signal("Heaviside(x - 1/3)")]
    layers = [se.Conv([2, -2], origin=1, bias=-1, padding="circular") >> se.ReLU(),
              se.Conv([1, -2, 1], origin=1, padding="circular") >> se.Tanh()]
    rows = []
    for D in (se.CellAverage(grid), se.PointSample(grid)):
        for signal in signals:
            for layer in layers:
                verdict = se.check_integer_shift(D, signal, 3, layer)
                sampling = DISCRETIZERS[type(D).__name__]
                rows.append([sampling, signal.expr, f"${layer.latex()}$", f"{outcome_words(verdict)}; {verdict.method}"])
                if verdict.holds is not True:
                    d.verdict(verdict, statement=f"$N(D[f(x - 3\\Delta x)]) = S_3 N(D[f])$ for $D$ the {sampling}, "
                                                 f"$f = {sympy.latex(signal.expr)}$, $N$: {_layer_math(layer, 'circular')}")
    d.table(["$D$", "$f$", "layer $N$", "result; method"], rows,
            caption="$N(D[f(x - 3\\Delta x)]) = S_3 N(D[f])$ on a periodic grid of 8 cells on $[0, 1]$, every "
                    "layer with circular padding")
    sample = se.check_integer_shift(se.CellAverage(grid), signals[0], 3, layers[1])
    d.verdict(sample, label="one of the table's proofs in full",
              statement="$N(D[f(x - 3\\Delta x)]) = S_3 N(D[f])$ for $D$ the cell averages over 8 periodic cells "
                        f"on $[0, 1]$, $f = \\sin(2\\pi x)$, $N$: {_layer_math(layers[1], 'circular')}")

    d.text("Ignoring boundaries matters. On a non-periodic grid with zero padding, the paper's edge detector "
           "reads beyond the image: the checker names those cells and compares the rest.")
    plain = se.Grid(-1, 1, 4)
    edge = se.Conv([2, -2], origin=1, bias=-1) >> se.ReLU()
    verdict = se.check_integer_shift(se.CellAverage(plain), se.Signal("Heaviside(x)"), 1, edge)
    d.verdict(verdict, label="zero padding, shift by one cell",
              statement="$N(D[H(x - \\Delta x)]) = S_1 N(D[H])$ for $D$ the cell averages over 4 cells on "
                        f"$[-1, 1]$ and the edge detector $N$: {_layer_math(edge, 'zero')}")
    D = se.CellAverage(plain)
    moved = edge(D(se.Signal("Heaviside(x)").shifted(plain.dx)))
    rolled = se.IntegerShift()(edge(D(se.Signal("Heaviside(x)"))), plain.dx, plain)
    d.table(["cell $j$", "$N(D[H(x - \\Delta x)])_j$", "$(S_1 N(D[H]))_j$", "boundary cell?"],
            [[j, moved[j], rolled[j], "yes" if j in verdict.boundary_cells else "no"] for j in range(plain.n)],
            caption="all cells, boundary cells included")
    return d


def main(argv=None):
    return run_script(build, argv)


if __name__ == "__main__":
    sys.exit(main())
