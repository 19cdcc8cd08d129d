"""The paper's notation in LaTeX: sympy objects and the numbers of table cells, as every report writes them.

Every format of a :class:`~symequiv.output.report.Derivation` writes its math
as LaTeX first (Markdown and LaTeX keep it; HTML reads it into MathML):
sympy objects through sympy's printer with the step with H(0) = 0 as ``H(x)``,
mpmath numbers to a given number of significant digits, whatever the global
precision.

>>> import mpmath, sympy
>>> print(sympy_latex(sympy.Heaviside(sympy.Symbol("x"), 0) / 2))
\\frac{H\\left(x\\right)}{2}
>>> print(latex_number(mpmath.mpf("-1.5e-7"), 15))
-1.5 \\times 10^{-7}
"""

import mpmath
import sympy
from sympy.printing.latex import LatexPrinter

from .steps import Vector

__all__ = ["latex_number", "mp_text", "sympy_latex", "tex_number"]


class _LatexPrinter(LatexPrinter):
    """sympy's LaTeX printer with the paper's notation: H(x) for the step with H(0) = 0."""

    def _print_Heaviside(self, expr, exp=None):
        argument = self._print(expr.args[0])
        value = expr.args[1] if len(expr.args) > 1 else sympy.Rational(1, 2)
        name = "H" if value == 0 else f"H_{{{self._print(value)}}}"
        tex = f"{name}\\left({argument}\\right)"
        return f"\\left({tex}\\right)^{{{exp}}}" if exp else tex


def sympy_latex(expr):
    """A sympy object as LaTeX math, in the reports' notation."""
    return _LatexPrinter().doprint(expr)


def tex_number(text):
    """A decimal string such as ``-1.5e-7`` as LaTeX math."""
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def latex_number(cell, digits):
    """A number, sympy object or vector of them as LaTeX math."""
    if isinstance(cell, Vector):
        return "\\left[" + ", ".join(latex_number(v, digits) for v in cell) + "\\right]"
    if isinstance(cell, mpmath.mpf):
        return tex_number(mp_text(cell, digits))
    if isinstance(cell, mpmath.mpc):
        real = tex_number(mpmath.libmp.to_str(cell.real._mpf_, digits))
        imag = tex_number(mpmath.libmp.to_str(abs(cell.imag)._mpf_, digits))
        return f"{real} {'-' if cell.imag < 0 else '+'} {imag}\\, i"
    return sympy_latex(cell)


def mp_text(value, digits):
    """An mpmath number to ``digits`` significant digits, independent of the global precision."""
    if isinstance(value, mpmath.mpf):
        return mpmath.libmp.to_str(value._mpf_, digits)
    real = mpmath.libmp.to_str(value.real._mpf_, digits)
    imag = mpmath.libmp.to_str(value.imag._mpf_, digits)
    sign = "-" if imag.startswith("-") else "+"
    return f"{real} {sign} {imag.lstrip('-')}j"
