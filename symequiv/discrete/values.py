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

from ..numeric.backends import backend_of
from ..errors import InvalidArgument, InvalidType, UnsupportedSignal, short_repr
from ..numeric.numbers import exact_value
from ..continuous.symbols import delta

__all__ = ["Values", "ClosedForm", "is_mpmath_vector", "is_vector_like", "read_values"]

# Names a value given as a string may use: closed forms are written in delta.
_VALUE_NAMES = {"delta": delta}


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
        d = exact_value(d, "d", names=_VALUE_NAMES)
        try:
            values = [e.subs(self.variable, d) for e in self]
        except (TypeError, ValueError) as exc:  # sympy cannot substitute this d (a Piecewise condition, say)
            raise InvalidArgument(f"Cannot evaluate the closed form at d = {short_repr(d)}: {exc}") from None
        for j, value in enumerate(values):
            if value.has(sympy.nan):  # the closed form's mark for a cell that holds a pole at this d
                raise UnsupportedSignal(
                    f"Cell {j} has no value at d = {short_repr(d)}: the signal is not integrable over it"
                )
        return Values(values)

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


def is_vector_like(value):
    """True for a sequence or array (not a string) that could hold cell values."""
    if isinstance(value, (str, bytes)):
        return False
    return isinstance(value, Sequence) or (hasattr(value, "ndim") and hasattr(value, "__iter__"))


def read_values(values):
    """``(entries, backend)``: a 1-D input's entries, checked and converted.

    If any entry is an mpmath number (or an arb ball), every entry becomes one
    and ``backend`` is :data:`~symequiv.numeric.backends.MPMATH` (or ``ARB``): the fast
    numeric path. Otherwise ``backend`` is None and every entry becomes an
    exact sympy value (floats at their binary value, strings parsed safely and
    allowed to use ``delta``). NaN, infinities, complex numbers, empty and
    nested inputs raise a :class:`~symequiv.errors.SymequivError`.

    >>> read_values([1, "1/2", 0.25])
    ((1, 1/2, 1/4), None)
    """
    if not is_vector_like(values):
        raise InvalidType(
            f"Expected a 1-D sequence of values (a list, tuple, Values or 1-D array) "
            f"but got {type(values).__name__}: {short_repr(values)}"
        )
    ndim = getattr(values, "ndim", 1)
    if ndim != 1:
        hint = "; apply it to one row at a time" if ndim > 1 else ""
        raise InvalidArgument(
            f"Expected a 1-D vector of values but got a {ndim}-D array of shape {getattr(values, 'shape', '?')}{hint}"
        )
    items = tuple(values)
    if not items:
        raise InvalidArgument("Expected at least one value but got an empty vector []")
    for j, v in enumerate(items):
        if is_vector_like(v):
            raise InvalidArgument(
                f"Expected a 1-D vector of values but values[{j}] is itself a sequence: {short_repr(v)}; "
                "apply it to one row at a time"
            )
    backend = backend_of(items)
    if backend is not None:
        return tuple(_numeric_entry(v, j, backend) for j, v in enumerate(items)), backend
    return tuple(_exact_entry(v, j) for j, v in enumerate(items)), None


def _exact_entry(value, j):
    if isinstance(value, sympy.Rational):
        return value  # already exact and finite: skip the checks
    if isinstance(value, sympy.Expr) and value.has(sympy.Integral) and _is_definite_integral_value(value):
        # CellAverage's exact value where no antiderivative could be checked: a number, as it is
        return value
    return exact_value(value, f"values[{j}]", names=_VALUE_NAMES)


def _is_definite_integral_value(value):
    """True for a number written with definite integrals over numeric bounds (no free symbols)."""
    if value.free_symbols:
        return False
    return all(
        len(integral.limits) == 1 and len(integral.limits[0]) == 3
        and all(bound.is_number for bound in integral.limits[0][1:])
        for integral in value.atoms(sympy.Integral)
    )


def _numeric_entry(value, j, backend):
    """One entry as a number of ``backend``, without a sympy object for the usual types."""
    name = f"values[{j}]"
    if isinstance(value, backend.types):
        if not backend.is_finite(value):
            raise InvalidArgument(f"Expected a finite number for {name} but got {name}={value}")
        return value
    if isinstance(value, mpmath.mpc):
        raise InvalidArgument(f"Expected a real number for {name} but got the complex {name}={value}")
    if isinstance(value, sympy.Basic) and value.free_symbols:
        raise InvalidArgument(
            f"Expected numbers only in a vector with {backend.name} entries but got the expression {name}={value}; "
            "substitute numbers first, or pass exact (sympy) values"
        )
    if isinstance(value, (mpmath.mpf, *backend.types)):
        raise InvalidArgument(
            f"Expected {backend.name} numbers only but {name}={short_repr(value)} is another kind of number"
        )
    return backend.number(exact_value(value, name))
