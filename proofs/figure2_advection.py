"""Figure 2 and eqs. (6)-(7): the cell averages of an advected sine change shape.

The exact solution of f_t + c f_x = 0 is f(x, t) = f0(x - c t), a translation
by delta = c t. Its cell averages f^h(t) are derived in closed form (for
general L, dx, x_j, c, t), the paper's formula is checked against them, and the
shape change of f^h between t = 0 and t = dx/(2c) is shown.
"""

import sys

import sympy

import symequiv as se
from symequiv import Verdict
from symequiv.output.figures import figure2_advection
from symequiv.output.proving import identity_verdict, run_script
from symequiv.output.report import Derivation

NAME = "figure2_advection"
TITLE = "Figure 2: the discrete solution of the advection equation changes shape (eqs. 6-7)"


FORMULA = ("$f^h_j(t) = \\frac{L}{\\pi \\Delta x} \\sin\\left(\\frac{2\\pi (x_j - ct)}{L}\\right) "
           "\\sin\\left(\\frac{\\pi \\Delta x}{L}\\right)$")


def build():
    """Advection of sin(2 pi x / L): exact cell averages, the paper's formula, and the shape change."""
    d = Derivation(NAME, TITLE, claim=f"{FORMULA}, and $f^h$ changes shape as $f$ translates (eqs. 6-7)")
    L, xj, c, t = sympy.symbols("L x_j c t", positive=True)
    dx = sympy.Symbol("\\Delta x", positive=True)  # a LaTeX name: the reports typeset it as the cell width
    X = sympy.Symbol("x", real=True)
    solution = sympy.sin(2 * sympy.pi * (X - c * t) / L)
    d.text("With $f_0(x) = \\sin(2\\pi x/L)$ the exact solution is $f(x, t) = f_0(x - ct)$. Integrating over "
           "cell $j$, $[x_j - \\Delta x/2, x_j + \\Delta x/2]$:")
    integral = sympy.integrate(solution, (X, xj - dx / 2, xj + dx / 2))
    paper = L / (sympy.pi * dx) * sympy.sin(2 * sympy.pi * (xj - c * t) / L) * sympy.sin(sympy.pi * dx / L)
    d.math(sympy.Eq(sympy.Symbol("I_j"), integral, evaluate=False), label="the integral of eq. (7)")
    d.math(sympy.Eq(sympy.Symbol("f^h_j"), paper, evaluate=False), label="the paper's formula")
    average = identity_verdict("the paper's formula equals (1/dx) * integral over cell j, for all L, dx, x_j, c, t",
                               [sympy.expand_trig(integral / dx - paper)])
    d.verdict(average, main=True, statement="the paper's formula $f^h_j$ equals $I_j/\\Delta x$, the average over "
                                            "cell $j$, for all $L$, $\\Delta x$, $x_j$, $c$ and $t$")
    point = {L: 1, dx: sympy.Rational(1, 2), xj: sympy.Rational(1, 4), c: 1, t: 0}
    difference = sympy.nsimplify(sympy.simplify((integral - paper).subs(point)))
    d.correction(
        paper="$f_j^h(t) = \\int_{x_j - \\Delta x/2}^{x_j + \\Delta x/2} f(x, t)\\,dx$ (eq. 7), and the formula "
              "with the factor $L/(\\pi \\Delta x)$.",
        corrected="the formula is the cell average, $f_j^h(t) = \\frac{1}{\\Delta x}\\int_{x_j - \\Delta x/2}"
                  "^{x_j + \\Delta x/2} f(x, t)\\,dx$; the integral $I_j$ itself is $\\Delta x$ times the formula. "
                  f"At $L = 1$, $\\Delta x = \\frac{{1}}{{2}}$, $x_j = \\frac{{1}}{{4}}$, $c = 1$, $t = 0$ they differ "
                  f"by $I_j - f^h_j = {sympy.latex(difference)}$.",
        check=_difference_verdict("the integral of eq. (7) equals the paper's formula (without 1/dx), at L = 1, "
                                  "dx = 1/2, x_j = 1/4, c = 1, t = 0", difference),
        check_statement="$I_j = f^h_j$ (the integral of eq. 7 equals the formula) at $L = 1$, "
                        "$\\Delta x = \\frac{1}{2}$, $x_j = \\frac{1}{4}$, $c = 1$, $t = 0$",
    )

    n, length, speed = 8, 1, 1
    grid = se.Grid(0, length, n, periodic=True)
    D = se.CellAverage(grid)
    f0 = se.Signal("sin(2*pi*x)", period=1)
    half = grid.dx / (2 * speed)
    at_zero, at_half = D(f0), D(f0.shifted(speed * half))
    d.text(f"Concretely, $L = {length}$, $N = {n}$ cells, $c = {speed}$: symequiv's exact cell averages at $t = 0$ "
           f"and $t = \\Delta x/(2c) = {sympy.latex(half)}$:")
    d.table(["cell $j$", "$f^h_j(0)$", "$f^h_j(\\Delta x/(2c))$"], [[j, at_zero[j], at_half[j]] for j in range(n)],
            caption="exact cell averages")
    centers = grid.centers
    formula = [paper.subs({L: length, dx: grid.dx, xj: centers[j], c: speed, t: half}) for j in range(n)]
    d.verdict(_vector_equality("symequiv's cell averages at t = dx/(2c) equal the paper's formula", at_half, formula),
              statement="symequiv's cell averages at $t = \\Delta x/(2c)$ equal the paper's formula, cell by cell")

    rolls = [[at_zero[(j - m) % n] for j in range(n)] for m in range(n)]
    shared, total = _shared_values(at_zero, at_half)
    d.text("A translation of $f$ by a whole number of cells would roll $f^h$. At $t = \\Delta x/(2c)$ no roll of "
           f"$f^h(0)$ gives $f^h$: the two vectors do not even share their values ({shared} of the {total} values "
           "of $f^h(0)$ occur in $f^h(\\Delta x/(2c))$).")
    d.verdict(_no_roll("f^h(dx/(2c)) is some roll of f^h(0)", at_half, rolls),
              statement="$f^h(\\Delta x/(2c)) = S_m f^h(0)$ for some integer $m$ (a roll)")
    setting = f"for the cell averages over {n} periodic cells of $[0, 1]$, $f_0 = \\sin(2\\pi x)$"
    equation = f"$D[f_0(x - \\delta)] = g(D[f_0], \\delta)$ at $\\delta = c\\,t = {sympy.latex(half)}$"
    d.verdict(se.check_commutation(D, f0, half, se.LinearShift()), label="$g$ = linear interpolation",
              statement=f"{equation} with $g$ the linear interpolation, {setting}")
    d.verdict(se.check_commutation(D, f0, half, se.FourierShift()), label="$g$ = Fourier interpolation",
              statement=f"{equation} with $g$ the Fourier (trigonometric) interpolation, {setting}")
    d.text("Trigonometric interpolation reproduces $f^h$ exactly here because this solution is band-limited; "
           "inequality (5)'s witness shows it cannot do so for every initial condition.")
    image = figure2_advection(n=n, L=length, c=speed)
    d.figure("fig2_cell_averages", png=image.png, svg=image.svg, pdf=image.pdf, caption=image.caption)
    return d


def _difference_verdict(claim, difference):
    """Two exact numbers compared: their difference is provably nonzero (certified), or zero (proved)."""
    from symequiv.numeric.exact import is_zero

    if is_zero(difference) is True:
        return Verdict(claim, True, "symbolic", [sympy.S.Zero], cells=(0,))
    return Verdict(claim, False, "symbolic", [difference], cells=(0,),
                   certificate={"cell": 0, "kind": "exact", "value": difference})


def _vector_equality(claim, got, expected):
    """Proved equal cell by cell, or undecided (numeric) with the largest difference."""
    from symequiv.numeric.exact import is_zero

    residual = [g - e for g, e in zip(got, expected)]
    cells = tuple(range(len(residual)))
    if all(is_zero(r) is True for r in residual):
        return Verdict(claim, True, "symbolic", [sympy.S.Zero] * len(residual), cells=cells)
    return _balls(claim, residual, require_all=False)


def _shared_values(a, b):
    """How many values of ``a`` occur (exactly) in ``b``, and how many values ``a`` has."""
    from symequiv.numeric.exact import is_zero

    return sum(1 for u in a if any(is_zero(u - v) is True for v in b)), len(a)


def _no_roll(claim, target, rolls):
    """Entry m compares cell 0 of the target with cell 0 of roll m; all must be nonzero to refute every roll."""
    return _balls(claim, [target[0] - rolled[0] for rolled in rolls], require_all=True)


def _balls(claim, residual, require_all):
    """Enclose each residual in a ball at 50 digits; certified only if the needed balls exclude 0."""
    from symequiv.numeric.balls import (
        arb_value,
        ball_excludes_zero,
        mpf_of,
        radius_of,
        working_precision,
    )

    with working_precision(50):
        balls = [arb_value(sympy.expand(r)) for r in residual]
        mids, radii = [mpf_of(b) for b in balls], [radius_of(b) for b in balls]
        certified = [i for i, b in enumerate(balls) if ball_excludes_zero(b)]
    cells = tuple(range(len(residual)))
    if certified and (len(certified) == len(balls) or not require_all):
        best = max(certified, key=lambda i: abs(mids[i]))
        note = "every entry is certified nonzero, so no roll matches" if require_all else "certified at one cell"
        return Verdict(claim, False, "interval", mids, cells=cells, dps=50, error_bounds=radii, notes=(note,),
                       certificate={"cell": best, "kind": "ball", "value": mids[best], "radius": radii[best]})
    bound = max(abs(m) + r for m, r in zip(mids, radii))
    return Verdict(claim, None, "numeric", mids, cells=cells, dps=50, error_bounds=radii, bound=bound)


def main(argv=None):
    return run_script(build, argv)


if __name__ == "__main__":
    sys.exit(main())
