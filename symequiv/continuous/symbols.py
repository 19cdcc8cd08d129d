"""The symbols every closed form is written in.

>>> from symequiv.continuous.symbols import x, y, delta, delta_x, delta_y
>>> x.is_real, delta.is_real, y.is_real, delta_x.is_real
(True, True, True, True)
"""

import sympy

__all__ = ["x", "y", "delta", "delta_x", "delta_y"]

#: The continuous coordinate of a signal f(x), the first of a scene f(x, y).
x = sympy.Symbol("x", real=True)
#: The second coordinate of a scene f(x, y).
y = sympy.Symbol("y", real=True)
#: The shift of a translation x -> f(x - delta).
delta = sympy.Symbol("delta", real=True)
#: The shifts of a translation of a scene (x, y) -> f(x - delta_x, y - delta_y).
delta_x = sympy.Symbol("delta_x", real=True)
delta_y = sympy.Symbol("delta_y", real=True)
