"""Inequality (5): no discrete shift commutes with the discretization.

The certificate is a witness: two signals with equal pixels whose translations
have different pixels, for cell averages and point samples, at a sub-cell
shift and at an irrational one. Then a table over shift families and signal
families says, honestly, where D and g commute at a sub-cell shift and where
they do not: (5) is a statement about all signals at once, and for some single
signals a discrete shift does reproduce the translated pixels exactly.
"""

import sys

import sympy

import symequiv as se
from symequiv.proving import run_script
from symequiv.report import Derivation

NAME = "ineq5_no_discrete_shift"
TITLE = "No discrete shift commutes with the discretization (ineq. 5)"

WORDS = {True: "holds (proved)", False: "fails (certified)", None: "undecided"}


def build():
    """Witnesses of (5), and the table of shift families against signal families."""
    d = Derivation(NAME, TITLE, claim="for d not a whole number of cells, no g^h satisfies D[f(x - d)] = g^h D[f] "
                                      "for every f (ineq. 5)")
    grid = se.Grid(-1, 1, 4)
    for D, d_value in ((se.CellAverage(grid), grid.dx / 2), (se.PointSample(grid), grid.dx / 3),
                       (se.CellAverage(se.Grid(0, 1, 5, periodic=True)), sympy.sqrt(2) / 10)):
        witness = se.witness(D, d_value)
        d.text(f"Witness for {D!r} at d = {d_value}: $f_1 = {sympy.latex(witness.f1.expr)}$, "
               f"$f_2 = {sympy.latex(witness.f2.expr)}$. Both have pixels {list(witness.before[0])}; "
               f"translated, cell {witness.cell} differs: {witness.after[0][witness.cell]} against "
               f"{witness.after[1][witness.cell]}.")
        d.verdict(witness.verify(), label=f"witness, {type(D).__name__}, d = {d_value}",
                  main=(d_value == grid.dx / 2))

    d.correction(
        paper="D^h[f(g x)] != g^h D^h[f(x)] (5), read as: for every signal f.",
        corrected="For every discrete shift g^h there is a signal f (a witness) with D^h[f(x - d)] != g^h D^h[f]; "
                  "for particular signals equality can hold at sub-cell shifts (table below).",
        check=se.check_commutation(se.CellAverage(se.Grid(0, 1, 8, periodic=True)),
                                   se.Signal("sin(2*pi*x)", period=1), "1/16", se.FourierShift()),
    )

    ring = se.Grid(0, 1, 8, periodic=True)
    D = se.CellAverage(ring)
    shift_value = ring.dx / 2
    signals = [
        ("step on a cell edge", se.Signal("Heaviside(x - 1/4) - Heaviside(x - 3/4)")),
        ("step inside a cell", se.Signal("Heaviside(x - 5/16) - Heaviside(x - 3/4)")),
        ("sin(2 pi x)", se.Signal("sin(2*pi*x)", period=1)),
        ("Gaussian", se.Signal("exp(-40*(x - 1/2)**2)")),
        ("x(1 - x)", se.Signal("x*(1 - x)")),
    ]
    shifts = [("integer", se.IntegerShift()), ("linear", se.LinearShift()), ("cubic", se.CubicShift()),
              ("Fourier", se.FourierShift())]
    rows = []
    for label, signal in signals:
        row = [label]
        for name, shift in shifts:
            try:
                verdict = se.check_commutation(D, signal, shift_value, shift)
            except se.InvalidArgument:
                row.append("not defined at a sub-cell shift")
                continue
            row.append(f"{WORDS[verdict.holds]}, {verdict.method}")
        rows.append(row)
    d.table(["signal"] + [name for name, _ in shifts], rows,
            caption=f"D[f(x - d)] = g(D[f], d) on {ring!r} (cell averages), d = dx/2")
    return d


def main(argv=None):
    return run_script(build, argv)


if __name__ == "__main__":
    sys.exit(main())
