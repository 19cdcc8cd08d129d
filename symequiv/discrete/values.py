"""Value arrays: what discretizers, shifts and layers return.

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

On a two-dimensional grid the values are an array of shape (nx, ny), entry
``[i, j]`` the value of x-cell i and y-cell j; with channels, of shape
(C, nx, ny). Such an array iterates over its first axis (as numpy does), so
it equals the nested lists with the same entries:

>>> image = Values([[0, 1], [1, 1]])
>>> image.shape, image[1, 0], image[0]
((2, 2), 1, Values([0, 1]))
>>> image == [[0, 1], [1, 1]]
True
"""

import math
from collections.abc import Sequence

import mpmath
import sympy

from ..numeric.backends import backend_of
from ..errors import InvalidArgument, InvalidType, UnsupportedSignal, short_repr
from ..numeric.numbers import exact_value
from ..continuous.symbols import delta, delta_x, delta_y

__all__ = ["Values", "ClosedForm", "is_mpmath_vector", "is_vector_like", "read_values", "read_array"]

# Names a value given as a string may use: closed forms are written in delta.
_VALUE_NAMES = {"delta": delta}


def is_mpmath_vector(items):
    """True when any entry is an mpmath number: the fast numeric path applies."""
    return any(isinstance(v, (mpmath.mpf, mpmath.mpc)) for v in items)


class Values(Sequence):
    """An immutable array of cell values (sympy expressions or mpmath numbers).

    ``items`` is a flat sequence (with ``shape`` giving the array's shape) or
    nested lists, one level per axis.
    """

    __slots__ = ("_items", "_shape")

    def __init__(self, items, shape=None):
        if shape is None:
            items, shape = _flattened(items)
        else:
            items, shape = tuple(items), tuple(shape)
            if math.prod(shape) != len(items):
                raise InvalidArgument(f"{len(items)} values do not fill an array of shape {shape}")
        self._items = items
        self._shape = shape

    @property
    def shape(self):
        """The array's shape: ``(n,)``, ``(nx, ny)`` or ``(C, nx, ny)``."""
        return self._shape

    @property
    def ndim(self):
        """The number of axes."""
        return len(self._shape)

    @property
    def flat(self):
        """Every entry, in order (the last index varying fastest)."""
        return self._items

    def __len__(self):
        return self._shape[0]

    def __getitem__(self, index):
        if len(self._shape) == 1:
            if isinstance(index, slice):
                return Values(self._items[index])
            if isinstance(index, tuple) and len(index) == 1:
                index = index[0]
            return self._items[index]
        if isinstance(index, tuple):
            if len(index) != len(self._shape):
                raise IndexError(f"an array of shape {self._shape} takes {len(self._shape)} indices, not {index}")
            return self._items[self._position(index)]
        if isinstance(index, slice):
            return Values([self[k] for k in range(self._shape[0])[index]])
        rows = self._shape[0]
        if not -rows <= index < rows:
            raise IndexError(f"index {index} is out of range for an axis of {rows} entries")
        size = math.prod(self._shape[1:])
        start = (index % rows) * size
        return Values(self._items[start:start + size], self._shape[1:])

    def _position(self, index):
        position = 0
        for i, n in zip(index, self._shape):
            if not -n <= i < n:
                raise IndexError(f"index {index} is out of range for shape {self._shape}")
            position = position * n + (i % n)
        return position

    def __iter__(self):
        if len(self._shape) == 1:
            return iter(self._items)
        return (self[k] for k in range(self._shape[0]))

    def __eq__(self, other):
        if not isinstance(other, Values):
            if isinstance(other, (str, bytes)):
                return NotImplemented
            try:
                items, shape = _flattened(other)
            except (TypeError, InvalidArgument):
                return NotImplemented
        else:
            items, shape = other._items, other._shape
        return shape == self._shape and all(a == b for a, b in zip(self._items, items))

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self):
        return hash((self._items, self._shape))

    def __repr__(self):
        return f"{type(self).__name__}({_nested_text(self._items, self._shape)})"

    def latex(self):
        """The vector as a LaTeX list; a two-dimensional array as a matrix, row i for x-cell i."""
        if len(self._shape) == 2:
            rows, columns = self._shape
            return sympy.latex(sympy.Matrix(rows, columns, [_latex_ready(v) for v in self._items]))
        if len(self._shape) > 2:
            return r",\ ".join(channel.latex() for channel in self)
        return sympy.latex([_latex_ready(v) for v in self._items])

    def _repr_latex_(self):
        return f"$\\displaystyle {self.latex()}$"

    @property
    def is_exact(self):
        """True when every entry is a sympy object (no rounded number)."""
        return all(isinstance(v, sympy.Basic) and not v.atoms(sympy.Float) for v in self._items)


def _nested_text(items, shape):
    if len(shape) == 1:
        return "[" + ", ".join(map(repr, items)) + "]"
    size = math.prod(shape[1:])
    return "[" + ", ".join(_nested_text(items[k * size:(k + 1) * size], shape[1:]) for k in range(shape[0])) + "]"


def _flattened(items):
    """(flat tuple, shape) of a flat or nested sequence (or a numpy array); ragged nesting is refused."""
    if isinstance(items, Values):
        return items._items, items._shape
    shape = getattr(items, "shape", None)
    if shape is not None and hasattr(items, "ravel") and hasattr(items, "ndim"):  # a numpy array
        if items.ndim == 0:
            raise InvalidArgument("Expected an array of values but got a single number")
        return tuple(items.ravel().tolist() if items.dtype != object else items.ravel()), tuple(shape)
    items = tuple(items)
    if not items or not any(_is_nested(v) for v in items):
        return items, (len(items),)
    parts = [_flattened(v) if _is_nested(v) else None for v in items]
    if any(p is None for p in parts) or len({p[1] for p in parts}) != 1:
        raise InvalidArgument("Expected nested lists of one shape (rows of equal length) but got ragged values")
    return tuple(v for p in parts for v in p[0]), (len(items),) + parts[0][1]


def _is_nested(value):
    return isinstance(value, (Values, list, tuple)) or (hasattr(value, "ndim") and getattr(value, "ndim", 0) > 0)


class ClosedForm(Values):
    """Cell values as sympy expressions in :data:`symequiv.delta` (a scene's: in ``delta_x``, ``delta_y``).

    Entry j (entry [i, j] on a two-dimensional grid) is the value of that
    cell of D[f.shifted(delta)], valid for every real delta (every real pair).
    ``at(d)`` substitutes a shift (a pair (dx, dy) in two dimensions) and
    returns exact :class:`Values`.
    """

    __slots__ = ("variable", "label")

    def __init__(self, items, variable, label="D_{j}", shape=None):
        super().__init__(items, shape)
        self.variable = variable
        self.label = label

    def at(self, d):
        """The exact cell values at the shift ``d`` (a number or expression; a pair for a scene)."""
        variables = self.variable if isinstance(self.variable, tuple) else (self.variable,)
        shifts = d if isinstance(d, (tuple, list)) else (d,)
        if len(shifts) != len(variables):
            wanted = "a pair (dx, dy)" if len(variables) == 2 else "one number"
            raise InvalidArgument(f"Expected {wanted} for the shift of this closed form but got d={short_repr(d)}")
        names = {**_VALUE_NAMES, "delta_x": delta_x, "delta_y": delta_y}
        exact = [exact_value(v, "d" if len(shifts) == 1 else f"d[{k}]", names=names) for k, v in enumerate(shifts)]
        substitution = dict(zip(variables, exact))
        try:
            values = [e.subs(substitution, simultaneous=True) for e in self.flat]
        except (TypeError, ValueError) as exc:  # sympy cannot substitute this d (a Piecewise condition, say)
            raise InvalidArgument(f"Cannot evaluate the closed form at d = {short_repr(d)}: {exc}") from None
        for position, value in enumerate(values):
            if value.has(sympy.nan):  # the closed form's mark for a cell that holds a pole at this d
                cell = position if self.ndim == 1 else _index_of(position, self.shape)
                raise UnsupportedSignal(
                    f"Cell {cell} has no value at d = {short_repr(d)}: the signal is not integrable over it"
                )
        return Values(values, self.shape)

    def latex(self):
        """One aligned line per cell: ``D_j(delta) = ...`` (``D_{i,j}(delta_x, delta_y)`` in two dimensions)."""
        variables = self.variable if isinstance(self.variable, tuple) else (self.variable,)
        var = ", ".join(sympy.latex(v) for v in variables)
        rows = []
        for position, e in enumerate(self.flat):
            cell = str(position) if self.ndim == 1 else ",".join(map(str, _index_of(position, self.shape)))
            rows.append(f"{self.label.replace('{j}', '{' + cell + '}')}({var}) &= {sympy.latex(e)}")
        return "\\begin{aligned} " + " \\\\ ".join(rows) + " \\end{aligned}"


def _index_of(position, shape):
    """The index tuple of a flat position in an array of ``shape``."""
    index = []
    for n in reversed(shape):
        position, i = divmod(position, n)
        index.append(i)
    return tuple(reversed(index))


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


def read_array(values):
    """``(entries, shape, backend)``: an array's entries in order (last index fastest), checked and converted.

    A vector is read by :func:`read_values`, with the same checks and
    messages, and has the shape ``(n,)``. Nested lists, a :class:`Values` or an
    n-D array give their shape; an entry is converted as there and named by
    its index in a message (``values[1, 0]``). Ragged nesting and an axis of
    length 0 are refused.

    >>> read_array([[1, "1/2"], [0.25, 0]])
    ((1, 1/2, 1/4, 0), (2, 2), None)
    """
    if not is_vector_like(values):
        raise InvalidType(
            f"Expected a 1-D sequence of values (a list, tuple, Values or array), or nested ones for two "
            f"dimensions or channels, but got {type(values).__name__}: {short_repr(values)}"
        )
    if getattr(values, "ndim", 1) == 0:
        raise InvalidArgument(f"Expected an array of values but got a 0-D array (one number): {short_repr(values)}")
    items, shape = _flattened(values)
    if len(shape) == 1:
        entries, backend = read_values(values)
        return entries, shape, backend
    if 0 in shape:
        raise InvalidArgument(f"Expected at least one value along every axis but got an empty array of shape {shape}")
    names = [", ".join(map(str, _index_of(p, shape))) for p in range(len(items))]
    backend = backend_of(items)
    if backend is not None:
        return tuple(_numeric_entry(v, name, backend) for v, name in zip(items, names)), shape, backend
    return tuple(_exact_entry(v, name) for v, name in zip(items, names)), shape, None


def _exact_entry(value, j):
    if isinstance(value, sympy.Rational):
        return value  # already exact and finite: skip the checks
    if isinstance(value, sympy.Expr) and value.has(sympy.Integral) and _is_definite_integral_value(value):
        # CellAverage's exact value where no antiderivative could be checked: a number, as it is
        return value
    return exact_value(value, f"values[{j}]", names=_VALUE_NAMES)


def _is_definite_integral_value(value):
    """True for a number written with definite integrals (single, or double over a cell) over numeric bounds."""
    if value.free_symbols:
        return False
    return all(
        len(integral.limits) in (1, 2)
        and all(len(limit) == 3 and all(bound.is_number for bound in limit[1:]) for limit in integral.limits)
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
