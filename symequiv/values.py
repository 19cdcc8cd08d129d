"""Value vectors: what discretizers, shifts and layers return.

A :class:`Values` is an immutable sequence, one entry per cell. It compares
equal to any sequence with equal entries, prints in constructor form and
renders to LaTeX in a notebook:

>>> import sympy
>>> v = Values([0, 0, sympy.Rational(1, 2), 1])
>>> v
Values([0, 0, 1/2, 1])
>>> v == [0, 0, sympy.Rational(1, 2), 1]
True
>>> v._repr_latex_()
'$\\\\displaystyle \\\\left[ 0, \\\\  0, \\\\  \\\\frac{1}{2}, \\\\  1\\\\right]$'
"""

from collections.abc import Sequence

import mpmath
import sympy

__all__ = ["Values", "ClosedForm", "is_mpmath_vector"]


def is_mpmath_vector(items):
    """True when any entry is an mpmath number: the fast numeric path applies."""
    return any(isinstance(v, (mpmath.mpf, mpmath.mpc)) for v in items)


class Values(Sequence):
    """An immutable vector of cell values (sympy expressions or mpmath numbers)."""

    __slots__ = ("_items",)

    def __init__(self, items):
        self._items = tuple(items)

    def __len__(self):
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Values(self._items[index])
        return self._items[index]

    def __iter__(self):
        return iter(self._items)

    def __eq__(self, other):
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            try:
                other = list(other)  # numpy arrays and other iterables
            except TypeError:
                return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self._items, other))

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self):
        return hash(self._items)

    def __repr__(self):
        return f"{type(self).__name__}([{', '.join(map(repr, self._items))}])"

    def latex(self):
        """The vector as a LaTeX list."""
        return sympy.latex([_latex_ready(v) for v in self._items])

    def _repr_latex_(self):
        return f"$\\displaystyle {self.latex()}$"

    @property
    def is_exact(self):
        """True when every entry is a sympy object (no rounded number)."""
        return all(isinstance(v, sympy.Basic) and not v.atoms(sympy.Float) for v in self._items)


class ClosedForm(Values):
    """Cell values as sympy expressions in :data:`symequiv.delta`.

    Entry j is the value of cell j of D[f.shifted(delta)], valid for every
    real delta. ``at(d)`` substitutes a shift and returns exact :class:`Values`.
    """

    __slots__ = ("variable", "label")

    def __init__(self, items, variable, label="D_{j}"):
        super().__init__(items)
        self.variable = variable
        self.label = label

    def at(self, d):
        """The exact cell values at the shift ``d`` (a number or expression)."""
        from .numbers import exact_value

        d = exact_value(d, "d")
        return Values(e.subs(self.variable, d) for e in self)

    def latex(self):
        """One aligned line per cell: ``D_j(delta) = ...``."""
        var = sympy.latex(self.variable)
        rows = [
            f"{self.label.replace('{j}', '{' + str(j) + '}')}({var}) &= {sympy.latex(e)}"
            for j, e in enumerate(self)
        ]
        return "\\begin{aligned} " + " \\\\ ".join(rows) + " \\end{aligned}"


def _latex_ready(value):
    if isinstance(value, mpmath.mpf):
        return sympy.Float(value._mpf_, mpmath.mp.dps)
    return value
