"""The two symbols every closed form is written in.

>>> from symequiv.continuous.symbols import x, delta
>>> x.is_real, delta.is_real
(True, True)
"""

import sympy

__all__ = ["x", "delta"]

#: The continuous coordinate of a signal f(x).
x = sympy.Symbol("x", real=True)
#: The shift of a translation x -> f(x - delta).
delta = sympy.Symbol("delta", real=True)
