"""Convolution layers and activations, exact on sympy values, fast on mpmath values.

A layer maps a vector of cell values to a vector of cell values. The discrete
convolution follows the paper's eq. (3),

.. math:: y_j = \\sum_k a_k b_{j-k} + \\text{bias},

with the kernel listed from ``k = -origin``: ``Conv([2, -2], origin=1)`` means
``a_{-1} = 2, a_0 = -2``, so ``y_j = 2 b_{j+1} - 2 b_j``. Layers compose with
``>>`` (``a >> b`` applies ``a`` first). The paper's edge detector finds the
edge of the Heaviside image but not of the image translated by half a cell:

>>> import sympy
>>> from symequiv.discrete.layers import Conv, ReLU
>>> layer = Conv([2, -2], origin=1, bias=-1) >> ReLU()
>>> layer
Sequential(Conv([2, -2], origin=1, bias=-1), ReLU())
>>> layer([0, 0, 1, 1]), layer([0, 0, sympy.Rational(1, 2), 1])
(Values([0, 1, 0, 0]), Values([0, 0, 0, 0]))

Every layer has two paths. On exact input (sympy numbers or expressions, for
example closed forms in :data:`symequiv.continuous.symbols.delta`; Python numbers and
strings are converted exactly) the result is exact. When the input holds
mpmath numbers, the layer computes with mpmath only, at the caller's working
precision, and returns mpf entries (arb balls likewise give balls that enclose
the exact outputs, see :mod:`symequiv.numeric.backends`):

>>> import mpmath
>>> with mpmath.workdps(30):
...     print(Conv(["1/3"])([mpmath.mpf(1)])[0])
0.333333333333333333333333333333
"""

import abc
import numbers

import flint
import sympy

from ..numeric.balls import arb_value
from ..errors import InvalidArgument, InvalidType, SymequivError, short_repr
from ..numeric.numbers import exact_value, number_repr
from .values import Values, is_vector_like, read_values

__all__ = [
    "Layer",
    "Sequential",
    "Conv",
    "ReLU",
    "LeakyReLU",
    "Tanh",
    "Identity",
    "PADDINGS",
    "MODES",
]

#: Boundary treatments a :class:`Conv` accepts.
PADDINGS = ("zeros", "circular", "edge", "valid")
#: Index conventions a :class:`Conv` accepts.
MODES = ("convolution", "correlation")



class Layer(abc.ABC):
    """A map from a vector of cell values to a vector of cell values.

    Calling a layer returns :class:`~symequiv.discrete.values.Values`. ``a >> b`` is the
    layer that applies ``a`` and then ``b`` (a :class:`Sequential`).

    Subclasses implement ``_exact(items)`` (a tuple of sympy expressions in, a
    list out), ``_numeric(items, backend)`` (the same with the numbers of a
    :mod:`~symequiv.numeric.backends` backend: mpmath or arb), ``_key()``
    (what equality compares), ``__repr__`` and ``_latex_step(inner)``.
    """

    __slots__ = ()
    # Lets ``array >> layer`` reach __rrshift__ instead of numpy broadcasting.
    __array_ufunc__ = None

    def __call__(self, values):
        """Apply the layer to a 1-D vector of values.

        Exact input gives exact output; input with any mpmath number is
        computed in mpmath at the current precision.
        """
        items, backend = read_values(values)
        return Values(self._run(items, backend))

    def _run(self, items, backend):
        return self._numeric(items, backend) if backend is not None else self._exact(items)

    def output_positions(self, n):
        """The input positions the outputs belong to, for an input of length ``n``.

        Output ``i`` is the value at input position ``output_positions(n)[i]``.
        Every layer keeps the length except :class:`Conv` with
        ``padding="valid"``.

        >>> from symequiv.discrete.layers import ReLU
        >>> ReLU().output_positions(4)
        range(0, 4)
        """
        return range(_check_length(n))

    def latex(self):
        """The layer's formula for output ``y_j`` in terms of the input ``b``.

        For a :class:`Conv` it is the interior formula; the boundary cells
        follow the padding.

        >>> from symequiv.discrete.layers import Conv, ReLU
        >>> print((Conv([2, -2], origin=1, bias=-1) >> ReLU()).latex())
        y_{j} = \\max\\left(0, 2 b_{j+1} - 2 b_{j} - 1\\right)
        """
        text, _ = self._latex_step(_input_latex)(0)
        return f"y_{{j}} = {text}"

    def _repr_latex_(self):
        return f"$\\displaystyle {self.latex()}$"

    def __rshift__(self, other):
        if not isinstance(other, Layer):
            raise InvalidType(
                f"Expected a symequiv layer on the right of >> but got {type(other).__name__}: {short_repr(other)}; "
                "compose layers such as Conv(...), ReLU(), Tanh()"
            )
        return Sequential(self, other)

    def __rrshift__(self, other):
        # Only reached when the left operand is not a layer.
        raise InvalidType(
            f"Expected a symequiv layer on the left of >> but got {type(other).__name__}: {short_repr(other)}; "
            "to apply a layer to values, call it: layer(values)"
        )

    def __eq__(self, other):
        if not isinstance(other, Layer):
            return NotImplemented
        return type(self) is type(other) and self._key() == other._key()

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self):
        return hash((type(self).__name__, self._key()))

    def _key(self):
        return ()

    @abc.abstractmethod
    def _exact(self, items):
        """The outputs for a tuple of exact sympy values."""

    @abc.abstractmethod
    def _numeric(self, items, backend):
        """The outputs for a tuple of numbers of ``backend``."""

    @abc.abstractmethod
    def _latex_step(self, inner):
        """A function offset -> (LaTeX of this layer's output, needs parentheses)."""


class Sequential(Layer):
    """Layers applied one after the other, first to last.

    Explanation
    ===========

    ``Sequential(a, b)`` is ``a >> b``: ``b(a(values))``. Nested Sequentials
    are flattened, so ``(a >> b) >> c == a >> (b >> c)``. The input is checked
    once, and the exact or mpmath path chosen then is kept throughout.

    Examples
    ========

    >>> from symequiv.discrete.layers import Conv, ReLU, Sequential, Tanh
    >>> Sequential(Conv([1, 1]) >> ReLU(), Tanh()).layers
    (Conv([1, 1]), ReLU(), Tanh())
    >>> Sequential(Conv([-1]), ReLU())([1, -2, 3])
    Values([0, 2, 0])

    Parameters
    ==========

    *layers : Layer
        At least one layer.
    """

    __slots__ = ("_layers",)

    def __init__(self, *layers):
        if not layers:
            raise InvalidArgument("Expected at least one layer but got Sequential() with none")
        flat = []
        for i, layer in enumerate(layers):
            if isinstance(layer, Sequential):
                flat.extend(layer.layers)
            elif isinstance(layer, Layer):
                flat.append(layer)
            else:
                hint = (
                    "; pass the layers as separate arguments: Sequential(*layers)"
                    if isinstance(layer, (list, tuple))
                    else ""
                )
                raise InvalidType(
                    f"Expected symequiv layers but argument {i} is {type(layer).__name__}: {short_repr(layer)}{hint}"
                )
        self._layers = tuple(flat)

    @property
    def layers(self):
        """The layers, first applied first, with no Sequential among them."""
        return self._layers

    def _run(self, items, backend):
        for layer in self._layers:
            items = layer._run(items, backend)
        return items

    def _exact(self, items):
        return self._run(items, None)

    def _numeric(self, items, backend):
        return self._run(items, backend)

    def output_positions(self, n):
        """The input positions of the outputs: each layer's positions composed.

        >>> from symequiv.discrete.layers import Conv
        >>> Conv([1, 1], padding="valid").output_positions(5)
        range(1, 5)
        >>> (Conv([1, 1], padding="valid") >> Conv([1, 1], padding="valid")).output_positions(5)
        range(2, 5)
        """
        positions = range(_check_length(n))
        for layer in self._layers:
            inner = layer.output_positions(len(positions))
            positions = positions[inner.start : inner.stop]
        return positions

    def _latex_step(self, inner):
        for layer in self._layers:
            inner = layer._latex_step(inner)
        return inner

    def _key(self):
        return self._layers

    def __repr__(self):
        return f"Sequential({', '.join(map(repr, self._layers))})"


class Conv(Layer):
    """A discrete convolution with bias, paper eq. (3): y_j = sum_k a_k b_(j-k) + bias.

    Explanation
    ===========

    The kernel is listed from ``k = -origin``: ``kernel[i]`` is
    ``a_(i - origin)``. With ``mode="correlation"`` the kernel slides without
    being flipped, as in deep-learning libraries:
    ``y_j = sum_i kernel[i] b_(j + i - origin) + bias``, which is PyTorch's
    ``Conv1d`` with ``origin`` cells of padding on the left.

    Outside the input (cells other than 0..n-1) the padding decides:
    ``"zeros"`` reads 0, ``"circular"`` wraps the index modulo n, ``"edge"``
    repeats the first or last value. ``"valid"`` keeps only the outputs whose
    taps are all inside, ``n - len(kernel) + 1`` of them;
    :meth:`output_positions` says which input positions they belong to.

    Examples
    ========

    The paper's edge detector, ``y_j = 2 b_(j+1) - 2 b_j - 1``:

    >>> from symequiv.discrete.layers import Conv
    >>> edge = Conv([2, -2], origin=1, bias=-1)
    >>> edge([0, 0, 1, 1])
    Values([-1, 1, -1, -3])
    >>> edge.latex()
    'y_{j} = 2 b_{j+1} - 2 b_{j} - 1'

    Padding and correlation:

    >>> Conv([1, 2, 3], origin=1, padding="circular")([1, 0, 0, 0])
    Values([2, 3, 0, 1])
    >>> Conv([1, 2, 3], origin=1, mode="correlation")([1, 0, 0, 0])
    Values([2, 1, 0, 0])
    >>> valid = Conv([1, 1], padding="valid")
    >>> valid([1, 2, 3]), valid.output_positions(3)
    (Values([3, 5]), range(1, 3))

    Weights are exact; a string or float is read at its exact value:

    >>> Conv(["1/3", 0.25], bias="0.1")
    Conv([S(1)/3, S(1)/4], bias=S(1)/10)

The repr pastes back exactly with sympy's ``S`` (see
:func:`~symequiv.numeric.numbers.number_repr`).

    Parameters
    ==========

    kernel : sequence of numbers or sympy expressions
        The weights, listed from ``k = -origin``. Not empty; no NaN or inf.
        Symbols are allowed (a general kernel) on exact input.
    origin : int
        Index in ``kernel`` of the weight ``a_0``; ``0 <= origin < len(kernel)``.
    bias : number or sympy expression
        Added to every output.
    padding : str
        One of ``"zeros"``, ``"circular"``, ``"edge"``, ``"valid"``.
    mode : str
        ``"convolution"`` (eq. 3) or ``"correlation"``.
    """

    __slots__ = ("_kernel", "_origin", "_bias", "_padding", "_mode", "_taps", "_symbols")

    def __init__(self, kernel, *, origin=0, bias=0, padding="zeros", mode="convolution"):
        self._kernel = _read_kernel(kernel)
        size = len(self._kernel)
        if isinstance(origin, bool) or not isinstance(origin, numbers.Integral):
            raise InvalidType(f"Expected an int for origin but got origin={short_repr(origin)}")
        origin = int(origin)
        if not 0 <= origin < size:
            raise InvalidArgument(
                f"origin={short_repr(origin)} is outside the kernel of length {size}; use 0..{size - 1}"
            )
        self._origin = origin
        self._bias = exact_value(bias, "bias")
        self._padding = _read_choice(padding, "padding", PADDINGS)
        self._mode = _read_choice(mode, "mode", MODES)
        # Each tap reads the input at j + offset.
        sign = -1 if self._mode == "convolution" else 1
        self._taps = tuple((w, sign * (i - origin)) for i, w in enumerate(self._kernel))
        self._symbols = frozenset().union(*(w.free_symbols for w in self._kernel), self._bias.free_symbols)

    @property
    def kernel(self):
        """The exact weights, as listed (``kernel[i]`` is ``a_(i - origin)``)."""
        return self._kernel

    @property
    def origin(self):
        """Index in :attr:`kernel` of the weight ``a_0``."""
        return self._origin

    @property
    def bias(self):
        """The exact bias."""
        return self._bias

    @property
    def padding(self):
        """How values outside the input are read."""
        return self._padding

    @property
    def mode(self):
        """``"convolution"`` or ``"correlation"``."""
        return self._mode

    def output_positions(self, n):
        """The input positions the outputs belong to.

        ``range(n)`` unless the padding is ``"valid"``; then the positions j
        whose taps j + offset all lie in 0..n-1.

        >>> from symequiv.discrete.layers import Conv
        >>> Conv([2, -2], origin=1, padding="valid").output_positions(4)
        range(0, 3)
        """
        n = _check_length(n)
        if self._padding != "valid":
            return range(n)
        if n < len(self._kernel):
            raise InvalidArgument(
                f"padding='valid' needs at least {len(self._kernel)} values (the kernel length) but got {n}; "
                "pass a longer input or use padding='zeros'"
            )
        offsets = [offset for _, offset in self._taps]
        return range(-min(offsets), n - max(offsets))

    def _sources(self, n):
        """For each output, the (weight index, input index) pairs it reads."""
        table = []
        for j in self.output_positions(n):
            row = []
            for t, (_, offset) in enumerate(self._taps):
                i = j + offset
                if self._padding == "circular":
                    i %= n
                elif self._padding == "edge":
                    i = min(max(i, 0), n - 1)
                elif not 0 <= i < n:  # zeros (valid never leaves the input)
                    continue
                row.append((t, i))
            table.append(row)
        return table

    def _exact(self, items):
        weights = self._kernel
        # Binary + is ~3x faster than Add(*terms) on numbers, and equal in result.
        return [sum((weights[t] * items[i] for t, i in row), self._bias) for row in self._sources(len(items))]

    def _numeric(self, items, backend):
        if self._symbols:
            raise InvalidArgument(
                f"{self!r} has the symbols {_names(self._symbols)} in its weights or bias; "
                "substitute numbers for them before applying it to mpmath values, or pass exact values"
            )
        # Converted once per call, at the caller's precision.
        weights = [backend.number(w) for w in self._kernel]
        bias = backend.number(self._bias)
        return [backend.dot([(weights[t], items[i]) for t, i in row], bias) for row in self._sources(len(items))]

    def _latex_step(self, inner):
        def formula(offset):
            terms = [_scaled_latex(w, *inner(offset + tap)) for w, tap in self._taps if w != 0]
            if self._bias != 0:
                terms.append(_scaled_latex(self._bias, "1", False))
            return _join_terms(terms)

        return formula

    def _key(self):
        return (self._kernel, self._origin, self._bias, self._padding, self._mode)

    def __repr__(self):
        parts = [f"[{', '.join(map(_value_repr, self._kernel))}]"]
        if self._origin:
            parts.append(f"origin={self._origin}")
        if self._bias != 0:
            parts.append(f"bias={_value_repr(self._bias)}")
        if self._padding != "zeros":
            parts.append(f"padding={self._padding!r}")
        if self._mode != "convolution":
            parts.append(f"mode={self._mode!r}")
        return f"Conv({', '.join(parts)})"


class _Elementwise(Layer):
    """A layer that maps each value on its own (an activation)."""

    __slots__ = ()

    def _exact(self, items):
        return [self._exact_one(v) for v in items]

    def _numeric(self, items, backend):
        return [self._numeric_one(v, backend) for v in items]

    def __repr__(self):
        return f"{type(self).__name__}()"


class ReLU(_Elementwise):
    """The rectifier max(0, v), applied to each value.

    On an expression whose sign is unknown (one in delta, say) the result is
    ``Max(0, v)``, which evaluates once numbers are substituted.

    >>> from symequiv.discrete.layers import ReLU
    >>> from symequiv.continuous.symbols import delta
    >>> ReLU()([-1, "1/2", delta])
    Values([0, 1/2, Max(0, delta)])
    """

    __slots__ = ()

    def _exact_one(self, v):
        if v.is_Rational:
            return v if v > 0 else sympy.S.Zero  # what Max gives, 20x faster
        sign = _certain_sign(v)
        if sign is not None:
            return v if sign > 0 else sympy.S.Zero
        return sympy.Max(sympy.S.Zero, v)

    def _numeric_one(self, v, backend):
        return backend.relu(v)

    def _latex_step(self, inner):
        return lambda offset: (f"\\max\\left(0, {inner(offset)[0]}\\right)", False)


class LeakyReLU(_Elementwise):
    """v for v >= 0 and a*v below, applied to each value.

    >>> from symequiv.discrete.layers import LeakyReLU
    >>> LeakyReLU("1/10")([-1, 2])
    Values([-1/10, 2])
    >>> LeakyReLU(0.5)
    LeakyReLU(S(1)/2)

    Parameters
    ==========

    a : number or sympy expression
        The slope for negative values, exact (default 1/100, as in PyTorch).
    """

    __slots__ = ("_a",)

    def __init__(self, a="1/100"):
        self._a = exact_value(a, "a")

    @property
    def a(self):
        """The exact slope for negative values."""
        return self._a

    def _exact_one(self, v):
        sign = _certain_sign(v)
        if sign is not None:
            return v if sign > 0 else self._a * v
        return sympy.Piecewise((v, v >= 0), (self._a * v, True))

    def _numeric(self, items, backend):
        if self._a.free_symbols:
            raise InvalidArgument(
                f"{self!r} has the symbols {_names(self._a.free_symbols)} in its slope; "
                "substitute numbers for them before applying it to mpmath values, or pass exact values"
            )
        a = backend.number(self._a)
        return [backend.leaky(v, a) for v in items]

    def _latex_step(self, inner):
        def formula(offset):
            text, compound = inner(offset)
            sign, term = _scaled_latex(self._a, text, compound)
            negative = f"- {term}" if sign == "-" else term
            return (
                f"\\begin{{cases}} {text} & {text} \\geq 0 \\\\ {negative} & \\text{{otherwise}} \\end{{cases}}",
                True,
            )

        return formula

    def _key(self):
        return (self._a,)

    def __repr__(self):
        return f"LeakyReLU({_value_repr(self._a)})"


class Tanh(_Elementwise):
    """The hyperbolic tangent, applied to each value (exact: ``tanh(1/2)`` stays so).

    >>> from symequiv.discrete.layers import Tanh
    >>> Tanh()([0, "1/2"])
    Values([0, tanh(1/2)])
    """

    __slots__ = ()

    def _exact_one(self, v):
        return sympy.tanh(v)

    def _numeric_one(self, v, backend):
        return backend.tanh(v)

    def _latex_step(self, inner):
        return lambda offset: (f"\\tanh\\left({inner(offset)[0]}\\right)", False)


class Identity(_Elementwise):
    """The layer that returns its input (converted exactly, or to mpmath).

    >>> from symequiv.discrete.layers import Identity
    >>> Identity()([1, 0.5, "1/3"])
    Values([1, 1/2, 1/3])
    """

    __slots__ = ()

    def _exact(self, items):
        return list(items)

    def _numeric(self, items, backend):
        return list(items)

    def _latex_step(self, inner):
        return inner


# --- input checks ----------------------------------------------------------


def _read_kernel(kernel):
    if not is_vector_like(kernel):
        raise InvalidType(
            f"Expected a sequence of kernel weights such as [2, -2] but got {type(kernel).__name__}: {short_repr(kernel)}"
        )
    ndim = getattr(kernel, "ndim", 1)
    if ndim != 1:
        raise InvalidArgument(f"Expected a 1-D kernel but got a {ndim}-D array of shape {kernel.shape}")
    weights = tuple(exact_value(w, f"kernel[{i}]") for i, w in enumerate(kernel))
    if not weights:
        raise InvalidArgument("Expected at least one kernel weight but got an empty kernel []")
    return weights


def _read_choice(value, name, allowed):
    listed = ", ".join(map(repr, allowed))
    if not isinstance(value, str):
        raise InvalidType(f"Expected one of {listed} for {name} but got {type(value).__name__}: {short_repr(value)}")
    if value not in allowed:
        raise InvalidArgument(f"Unknown {name}={short_repr(value)}; use one of {listed}")
    return value


def _check_length(n):
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise InvalidType(f"Expected an int for the input length but got n={short_repr(n)}")
    if n <= 0:
        raise InvalidArgument(f"Expected a positive input length but got n={short_repr(n)}")
    return int(n)


def _certain_sign(value):
    """+1 or -1 when a 100-bit ball around the exact number ``value`` excludes 0, else None.

    Much faster than letting sympy compare an irrational number with 0, and
    just as rigorous: the ball contains the exact value.
    """
    if value.free_symbols or not value.is_number:
        return None
    saved = flint.ctx.prec
    flint.ctx.prec = 100
    try:
        ball = arb_value(value)
    except (SymequivError, ValueError, ZeroDivisionError):
        return None
    finally:
        flint.ctx.prec = saved
    if ball > 0:
        return 1
    if ball < 0:
        return -1
    return None


# --- printing --------------------------------------------------------------


def _value_repr(value):
    """Constructor text for an exact value: :func:`~symequiv.numeric.numbers.number_repr`, symbolic ones in srepr form."""
    return sympy.srepr(value) if value.free_symbols else number_repr(value)


def _names(symbols):
    return ", ".join(sorted(map(str, symbols)))


def _input_latex(offset):
    index = "j" if offset == 0 else f"j{offset:+d}"
    return f"b_{{{index}}}", False


def _scaled_latex(weight, text, compound):
    """``weight * text`` as a (sign, term) pair; ``compound`` text gets parentheses."""
    sign, size = ("-", -weight) if weight.could_extract_minus_sign() else ("+", weight)
    if text == "1":
        factor_text = sympy.latex(size)
        return sign, f"\\left({factor_text}\\right)" if isinstance(size, sympy.Add) else factor_text
    body = f"\\left({text}\\right)" if compound else text
    if size == 1:
        return sign, body
    factor = sympy.latex(size)
    if isinstance(size, sympy.Add):
        factor = f"\\left({factor}\\right)"
    return sign, f"{factor} {body}"


def _join_terms(terms):
    """A sum of (sign, term) pairs as text, and whether it needs parentheses as a factor."""
    if not terms:
        return "0", False
    first_sign, first = terms[0]
    text = f"- {first}" if first_sign == "-" else first
    for sign, term in terms[1:]:
        text += f" {sign} {term}"
    return text, len(terms) > 1 or first_sign == "-"
