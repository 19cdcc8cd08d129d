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
from symequiv.output.proving import run_script
from symequiv.output.report import Derivation, outcome_words

NAME = "ineq5_no_discrete_shift"
TITLE = "No discrete shift commutes with the discretization (ineq. 5)"

DISCRETIZERS = {"CellAverage": "cell averages", "PointSample": "point samples"}


def _grid_words(grid):
    return (f"{grid.n}{' periodic' if grid.periodic else ''} cells of "
            f"$[{sympy.latex(grid.start)}, {sympy.latex(grid.stop)}]$")


def _vector(values):
    return "\\left[" + ", ".join(sympy.latex(v) for v in values) + "\\right]"


def build():
    """Witnesses of (5), and the table of shift families against signal families."""
    d = Derivation(NAME, TITLE, claim="for $d$ not a whole number of cells, no discrete shift $g^h$ satisfies "
                                      "$D[f(x - d)] = g^h D[f]$ for every $f$ (ineq. 5)")
    grid = se.Grid(-1, 1, 4)
    for D, d_value in ((se.CellAverage(grid), grid.dx / 2), (se.PointSample(grid), grid.dx / 3),
                       (se.CellAverage(se.Grid(0, 1, 5, periodic=True)), sympy.sqrt(2) / 10)):
        witness = se.witness(D, d_value)
        sampling, where = DISCRETIZERS[type(D).__name__], _grid_words(D.grid)
        shift = sympy.latex(d_value)
        d.text(f"A witness for the {sampling} over {where} at $d = {shift}$: two signals $f_1$ and $f_2$ with the "
               f"same pixels ${_vector(witness.before[0])}$,")
        d.math(sympy.Eq(sympy.Symbol("f_1"), witness.f1.expr, evaluate=False), label="the first signal")
        d.math(sympy.Eq(sympy.Symbol("f_2"), witness.f2.expr, evaluate=False), label="the second signal")
        d.text(f"whose translations by $d$ differ in cell {witness.cell}: "
               f"${sympy.latex(witness.after[0][witness.cell])}$ against "
               f"${sympy.latex(witness.after[1][witness.cell])}$. A discrete shift sees only the pixels, so it "
               "cannot give both.")
        d.verdict(witness.verify(), label=f"witness, {sampling}, $d = {shift}$",
                  main=(d_value == grid.dx / 2),
                  statement=f"some discrete shift $g^h$ satisfies $D[f(x - d)] = g^h(D[f], d)$ for every $f$, at "
                            f"$d = {shift}$, for the {sampling} $D$ over {where}")

    ring = se.Grid(0, 1, 8, periodic=True)
    d.correction(
        paper="$D^h[f(g x)] \\ne g^h D^h[f(x)]$ (5), read as: for every signal $f$.",
        corrected="For every discrete shift $g^h$ there is a signal $f$ (a witness) with "
                  "$D^h[f(x - d)] \\ne g^h D^h[f]$; for particular signals equality can hold at sub-cell shifts "
                  "(table below).",
        check=se.check_commutation(se.CellAverage(ring), se.Signal("sin(2*pi*x)", period=1), "1/16",
                                   se.FourierShift()),
        check_statement="$D[f(x - d)] = g(D[f], d)$ at $d = \\frac{1}{16}$ for $f = \\sin(2\\pi x)$, $g$ the "
                        f"Fourier interpolation and $D$ the cell averages over {_grid_words(ring)}",
    )

    D = se.CellAverage(ring)
    shift_value = ring.dx / 2
    signals = [
        ("a step on a cell edge", se.Signal("Heaviside(x - 1/4) - Heaviside(x - 3/4)")),
        ("a step inside a cell", se.Signal("Heaviside(x - 5/16) - Heaviside(x - 3/4)")),
        ("a sine", se.Signal("sin(2*pi*x)", period=1)),
        ("a Gaussian", se.Signal("exp(-40*(x - 1/2)**2)")),
        ("a parabola", se.Signal("x*(1 - x)")),
    ]
    shifts = [("linear", se.LinearShift()), ("cubic", se.CubicShift()), ("Fourier", se.FourierShift())]
    rows = []
    for label, signal in signals:
        row = [label, signal.expr]
        for name, shift in shifts:
            verdict = se.check_commutation(D, signal, shift_value, shift)
            row.append(f"{outcome_words(verdict)}; {verdict.method}")
        rows.append(row)
    try:
        se.check_commutation(D, signals[0][1], shift_value, se.IntegerShift())
        integer = "IntegerShift was accepted at this shift (unexpected: it is defined at whole cells only)."
    except se.InvalidArgument:
        integer = ("The integer shift is defined at whole numbers of cells only: at $d = \\Delta x/2$ it refuses "
                   "every signal, so it has no column.")
    d.text(f"Where a discrete shift and the discretization commute at a sub-cell shift, for single signals. "
           f"{integer}")
    d.table(["signal", "$f$"] + [f"$g$: {name}" for name, _ in shifts], rows,
            caption=f"$D[f(x - d)] = g(D[f], d)$ for the cell averages $D$ over {_grid_words(ring)}, at "
                    f"$d = \\Delta x/2 = {sympy.latex(shift_value)}$")
    return d


def main(argv=None):
    return run_script(build, argv)


if __name__ == "__main__":
    sys.exit(main())
