"""Eqs. (1)-(2): continuous convolution is translation equivariant.

C[a, b](x) = integral of a(tau) b(x - tau) dtau. Translating b by delta,
C[a, b(. - delta)](x) = integral of a(tau) b(x - tau - delta) dtau
= C[a, b](x - delta): the integrands agree for *every* a and b, so the proof
is a change of variables that needs no property of a or b. Two instances are
then computed exactly and checked the same way.
"""

import sys

import sympy

from symequiv.output.proving import identity_verdict, run_script
from symequiv.output.report import Derivation

NAME = "eq2_continuous_convolution"
TITLE = "Continuous convolution is translation equivariant (eqs. 1-2)"

x, tau, delta = sympy.symbols("x tau delta", real=True)

EQUIVARIANCE = r"$C[a, b(\cdot - \delta)](x) = C[a, b](x - \delta)$"


def build():
    """Continuous convolution commutes with translation: general proof and two instances."""
    d = Derivation(NAME, TITLE, claim=f"{EQUIVARIANCE} for every real $\\delta$ (eq. 2 with eq. 1)")
    a, b = sympy.Function("a"), sympy.Function("b")
    d.text("The convolution of eq. (1) is $C[a,b](x) = \\int a(\\tau)\\, b(x - \\tau)\\, d\\tau$. "
           "Translate $b$ by $\\delta$ (content moves by $+\\delta$) and compare with the translated output.")
    shifted_input = a(tau) * b(x - tau - delta)
    shifted_output = (a(tau) * b(x - tau)).subs(x, x - delta)
    d.math(sympy.Eq(sympy.Integral(shifted_input, (tau, -sympy.oo, sympy.oo)),
                    sympy.Integral(shifted_output, (tau, -sympy.oo, sympy.oo)), evaluate=False),
           label="the two sides, as integrals over $\\tau$")
    d.text("Both integrands are the same expression, for every function $a$ and $b$ and every real $\\delta$: "
           "the difference of the integrands expands to 0, so the integrals are equal wherever they exist.")
    d.verdict(identity_verdict("C[a, b(x - delta)](x) = C[a, b](x - delta) for arbitrary functions a, b "
                                "(integrands identical)", [shifted_input - shifted_output]), main=True,
              statement=f"{EQUIVARIANCE} for arbitrary functions $a$, $b$ (the integrands are identical)")

    instances = [
        ("$a(\\tau) = e^{-\\tau^2}$, $b = H$", sympy.exp(-tau**2), lambda y: sympy.Heaviside(y, 0)),
        ("$a(\\tau) = e^{-\\tau^2}$, $b(y) = e^{-y^2}$", sympy.exp(-tau**2), lambda y: sympy.exp(-y**2)),
    ]
    rows, residuals = [], []
    for label, kernel, signal in instances:
        lhs = sympy.integrate(kernel * signal(x - tau - delta), (tau, -sympy.oo, sympy.oo))
        rhs = sympy.integrate(kernel * signal(x - tau), (tau, -sympy.oo, sympy.oo)).subs(x, x - delta)
        rows.append([label, sympy.simplify(rhs.rewrite(sympy.erf))])
        residuals.append(lhs - rhs)
    d.text("Two instances computed in closed form by sympy ($C[a, b](x - \\delta)$ shown):")
    d.table(["instance", "$C[a, b](x - \\delta)$"], rows, caption="the convolutions in closed form")
    d.verdict(identity_verdict("C[a, b(x - delta)](x) = C[a, b](x - delta) for the two instances, "
                                "as closed forms in x and delta", residuals),
              statement=f"{EQUIVARIANCE} for the two instances of the table, as closed forms in $x$ and $\\delta$")
    return d


def main(argv=None):
    return run_script(build, argv)


if __name__ == "__main__":
    sys.exit(main())
