"""Convolution layers and activations, exact on sympy values, fast on mpmath values.

A layer maps an array of cell values to an array of cell values: a vector in
one dimension, an image of shape (nx, ny) in two, and with channels an array
of shape (C, n) or (C, nx, ny). One implementation serves every case; the
dimension comes from the kernel and the input's shape. The discrete
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

A kernel's nesting says what it is: nested lists ``a[k1][k2]`` are a 2-D
kernel for an image of shape (nx, ny); weights of shape (C_out, C_in, k) or
(C_out, C_in, k1, k2), PyTorch's layout, have channels:

>>> Conv([[1, 0], [0, -1]])([[1, 2], [3, 4]])
Values([[1, 2], [3, 3]])
>>> Conv([[[1]], [[-1]]], bias=[0, 1])([[1, 2, 3]])
Values([[1, 2, 3], [0, -1, -2]])

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
import collections
import functools
import itertools
import math
import numbers

import flint
import sympy

from ..numeric.balls import arb_value
from ..errors import InvalidArgument, InvalidType, SymequivError, short_repr
from ..numeric.numbers import exact_value, number_repr
from .values import Values, is_vector_like, read_array

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
    """A map from an array of cell values to an array of cell values.

    Calling a layer returns :class:`~symequiv.discrete.values.Values`. ``a >> b`` is the
    layer that applies ``a`` and then ``b`` (a :class:`Sequential`).

    An array is flat inside a layer: its entries in order (the last index
    varying fastest) beside its shape. Subclasses implement
    ``_exact(items, shape)`` (a tuple of sympy expressions in, a list out),
    ``_numeric(items, shape, backend)`` (the same with the numbers of a
    :mod:`~symequiv.numeric.backends` backend: mpmath or arb), ``_key()``
    (what equality compares), ``__repr__`` and ``_latex_step(inner)``; one
    that does not map each position to itself also implements
    ``_out_shape``, ``_ranges`` and :meth:`reads`.
    """

    __slots__ = ()
    # Lets ``array >> layer`` reach __rrshift__ instead of numpy broadcasting.
    __array_ufunc__ = None

    def __call__(self, values):
        """Apply the layer to a vector, an image (nx, ny), or channels (C, n) or (C, nx, ny).

        Exact input gives exact output; input with any mpmath number is
        computed in mpmath at the current precision.
        """
        items, shape, backend = read_array(values)
        return Values(self._run(items, backend, shape), self._out_shape(shape))

    def _run(self, items, backend, shape=None):
        """The flat outputs for flat ``items`` of ``shape`` (a vector's when None)."""
        shape = (len(items),) if shape is None else shape
        return self._numeric(items, shape, backend) if backend is not None else self._exact(items, shape)

    def output_positions(self, n):
        """The input positions the outputs belong to, for an input of length ``n``.

        Output ``i`` is the value at input position ``output_positions(n)[i]``.
        Every layer keeps the length except :class:`Conv` with
        ``padding="valid"``. :meth:`output_ranges` is the same for any shape.

        >>> from symequiv.discrete.layers import ReLU
        >>> ReLU().output_positions(4)
        range(0, 4)
        """
        return self.output_ranges((_check_length(n),))[0]

    def output_ranges(self, shape):
        """Per axis of the output, the input positions the outputs along it belong to.

        For an input of ``shape``, output ``[i, j]`` is the value at input
        position ``(ranges[0][i], ranges[1][j])``. Only ``padding="valid"``
        shrinks an axis. A channel axis gives the output channels,
        ``range(C_out)``.

        >>> from symequiv.discrete.layers import Conv, ReLU
        >>> ReLU().output_ranges((2, 3))
        (range(0, 2), range(0, 3))
        >>> Conv([[1, 1, 1]], padding="valid").output_ranges((2, 5))
        (range(0, 2), range(2, 5))
        """
        shape = _check_shape(shape)
        return self._ranges(tuple(range(n) for n in shape), shape)

    def output_shape(self, shape):
        """The shape of the output for an input of ``shape``.

        >>> from symequiv.discrete.layers import Conv
        >>> Conv([[[1, 1]]] * 4, padding="valid").output_shape((1, 5))
        (4, 4)
        """
        return self._out_shape(_check_shape(shape))

    def reads(self, shape, periodic):
        """Per flat output position: (the flat input positions it reads, whether it reads outside the grid).

        ``shape`` is the input's shape and ``periodic`` says, with one bool
        per spatial axis (or one for all), which axes wrap. An output reads
        outside when a tap with a nonzero weight falls off the grid: the
        padding (zeros, edge values, or a wrap on an axis that does not wrap)
        supplies that value. Circular padding on a periodic axis wraps and is
        not outside. Positions are flat indices in the order of
        :attr:`~symequiv.discrete.values.Values.flat`; an elementwise layer
        reads only its own position.

        >>> from symequiv.discrete.layers import Conv, ReLU
        >>> ReLU().reads((2,), periodic=False)
        [(frozenset({0}), False), (frozenset({1}), False)]
        >>> Conv([1, 1], padding="circular").reads((3,), periodic=True)[0]
        (frozenset({0, 2}), False)
        >>> Conv([1, 1], padding="circular").reads((3,), periodic=False)[0]
        (frozenset({0, 2}), True)
        """
        shape = _check_shape(shape)
        _periodic_axes(periodic, None)
        return [(frozenset((p,)), False) for p in range(math.prod(shape))]

    def _out_shape(self, shape):
        return shape

    def _ranges(self, positions, shape):
        """The output ranges, given those of the input (``positions``) and its ``shape``."""
        return positions

    def _frame(self):
        """(spatial dimension, output channels or None) when the layer fixes them, else None."""
        return None

    def latex(self):
        """The layer's formula for output ``y_j`` (``y_{i,j}`` in 2-D) in terms of the input ``b``.

        For a :class:`Conv` it is the interior formula; the boundary cells
        follow the padding. With channels there is one line per output
        channel, ``y^{(c)}_{i,j}``, reading the input channels ``b^{(c)}``.

        >>> from symequiv.discrete.layers import Conv, ReLU
        >>> print((Conv([2, -2], origin=1, bias=-1) >> ReLU()).latex())
        y_{j} = \\max\\left(0, 2 b_{j+1} - 2 b_{j} - 1\\right)
        >>> print(Conv([[1, 0], [0, -1]], origin=(1, 0)).latex())
        y_{i,j} = b_{i+1,j} - b_{i,j-1}
        """
        dim, channels = self._frame() or (1, None)
        center = (0,) * dim
        formula = self._latex_step(_input_latex)
        index = _index_latex(center)
        if channels is None:
            return f"y_{{{index}}} = {formula((None, center))[0]}"
        lines = [(f"y^{{({c})}}_{{{index}}}", formula((c, center))[0]) for c in range(channels)]
        if len(lines) == 1:
            return " = ".join(lines[0])
        return "\\begin{aligned} " + " \\\\ ".join(f"{y} &= {text}" for y, text in lines) + " \\end{aligned}"

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
    def _exact(self, items, shape):
        """The flat outputs for a tuple of exact sympy values, an array of ``shape``."""

    @abc.abstractmethod
    def _numeric(self, items, shape, backend):
        """The flat outputs for a tuple of numbers of ``backend``, an array of ``shape``."""

    @abc.abstractmethod
    def _latex_step(self, inner):
        """A function site -> (LaTeX of this layer's output there, needs parentheses).

        A site is (channel or None, offsets per spatial axis); ``inner`` is
        the same function for this layer's input.
        """


class Sequential(Layer):
    """Layers applied one after the other, first to last.

    Explanation
    ===========

    ``Sequential(a, b)`` is ``a >> b``: ``b(a(values))``. Nested Sequentials
    are flattened, so ``(a >> b) >> c == a >> (b >> c)``. The input is checked
    once, and the exact or mpmath path chosen then is kept throughout.

    The convolutions must fit together: all of one dimension, and each one's
    input channels the previous one's output channels (or none after none).

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
        _check_chain(flat)
        self._layers = tuple(flat)

    @property
    def layers(self):
        """The layers, first applied first, with no Sequential among them."""
        return self._layers

    def _run(self, items, backend, shape=None):
        shape = (len(items),) if shape is None else shape
        for layer in self._layers:
            items = layer._run(items, backend, shape)
            shape = layer._out_shape(shape)
        return items

    def _exact(self, items, shape):
        return self._run(items, None, shape)

    def _numeric(self, items, shape, backend):
        return self._run(items, backend, shape)

    def output_positions(self, n):
        """The input positions of the outputs: each layer's positions composed.

        >>> from symequiv.discrete.layers import Conv
        >>> Conv([1, 1], padding="valid").output_positions(5)
        range(1, 5)
        >>> (Conv([1, 1], padding="valid") >> Conv([1, 1], padding="valid")).output_positions(5)
        range(2, 5)
        """
        return super().output_positions(n)

    def _out_shape(self, shape):
        for layer in self._layers:
            shape = layer._out_shape(shape)
        return shape

    def _ranges(self, positions, shape):
        for layer in self._layers:
            positions = layer._ranges(positions, shape)
            shape = tuple(map(len, positions))
        return positions

    def reads(self, shape, periodic):
        """What each output reads: the layers' reads composed.

        An axis that a ``"valid"`` padding shrinks no longer wraps for the
        layers after it.

        >>> from symequiv.discrete.layers import Conv, ReLU
        >>> stack = Conv([1, 1]) >> ReLU() >> Conv([1, 1])
        >>> [sorted(inputs) for inputs, _ in stack.reads((4,), periodic=False)]
        [[0], [0, 1], [0, 1, 2], [1, 2, 3]]
        >>> [outside for _, outside in stack.reads((4,), periodic=False)]
        [True, True, False, False]
        """
        frame = self._frame()
        if frame is None:
            return super().reads(shape, periodic)
        shape = _check_shape(shape)
        dim = frame[0]
        periodic = _periodic_axes(periodic, dim)
        reach = None
        for layer in self._layers:
            if isinstance(layer, _Elementwise):
                continue  # output p reads input p
            step = layer.reads(shape, periodic)
            reach = step if reach is None else [
                (frozenset().union(*(reach[i][0] for i in inputs)), outside or any(reach[i][1] for i in inputs))
                for inputs, outside in step
            ]
            out = layer._out_shape(shape)
            periodic = tuple(p and a == b for p, a, b in zip(periodic, shape[-dim:], out[-dim:]))
            shape = out
        return reach

    def _frame(self):
        frame = None
        for layer in self._layers:
            frame = layer._frame() or frame
        return frame

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

    A kernel's nesting says what it is. Nested lists ``a[k1][k2]`` are a 2-D
    kernel, listed from ``(-o1, -o2)`` for ``origin=(o1, o2)``:
    ``y_(i,j) = sum a_(k1,k2) b_(i-k1, j-k2) + bias``, or
    ``b_(i+k1, j+k2)`` in correlation mode, for an image of shape (nx, ny).
    Three levels (C_out, C_in, k) and four (C_out, C_in, k1, k2), PyTorch's
    weight layout, have channels: the input has shape (C_in, n) or
    (C_in, nx, ny), and output channel co is
    ``bias[co] + sum_ci (the convolution of channel ci with w[co][ci])``.

    Outside the input (cells other than 0..n-1 along an axis) the padding
    decides: ``"zeros"`` reads 0, ``"circular"`` wraps the index modulo n,
    ``"edge"`` repeats the first or last value. ``"valid"`` keeps only the
    outputs whose taps are all inside, ``n - len(kernel) + 1`` of them along
    each axis; :meth:`output_positions` (:meth:`output_ranges` for any shape)
    says which input positions they belong to.

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

    In two dimensions, the difference along x (the first axis) of an image
    with circular padding, and its formula:

    >>> diff = Conv([[1], [-1]], origin=(1, 0), padding="circular")
    >>> diff([[0, 1], [2, 3], [4, 5]])
    Values([[2, 2], [2, 2], [-4, -4]])
    >>> diff.latex()
    'y_{i,j} = b_{i+1,j} - b_{i,j}'

    With channels, in PyTorch's layout: two input channels summed into one
    output channel and subtracted in another, each with its own bias:

    >>> mix = Conv([[[[1]], [[1]]], [[[1]], [[-1]]]], bias=[0, "1/2"])
    >>> mix.channels, mix([[[1, 2]], [[3, 4]]])
    ((2, 2), Values([[[4, 6]], [[-3/2, -3/2]]]))
    >>> print(mix.latex())
    \\begin{aligned} y^{(0)}_{i,j} &= b^{(0)}_{i,j} + b^{(1)}_{i,j} \\\\ y^{(1)}_{i,j} &= b^{(0)}_{i,j} - b^{(1)}_{i,j} + \\frac{1}{2} \\end{aligned}

    Parameters
    ==========

    kernel : nested sequences of numbers or sympy expressions, or an array
        The weights: (k), (k1, k2), (C_out, C_in, k) or (C_out, C_in, k1, k2),
        each spatial axis listed from ``-origin``. Not empty or ragged; no NaN
        or inf. Symbols are allowed (a general kernel) on exact input.
    origin : int, or a pair of ints for a 2-D kernel
        Index in ``kernel`` of the weight ``a_0`` (per axis;
        ``0 <= origin < len(kernel)``). An int is used on both axes of a
        2-D kernel.
    bias : number or sympy expression, or one per output channel
        Added to every output (of its channel).
    padding : str, or one per axis for a 2-D kernel
        One of ``"zeros"``, ``"circular"``, ``"edge"``, ``"valid"``.
    mode : str
        ``"convolution"`` (eq. 3) or ``"correlation"``.
    """

    __slots__ = ("_weights", "_shape", "_origins", "_biases", "_paddings", "_mode", "_taps", "_nonzero", "_symbols")

    def __init__(self, kernel, *, origin=0, bias=0, padding="zeros", mode="convolution"):
        self._weights, self._shape = _read_kernel(kernel)
        self._origins = _read_origin(origin, self._size)
        self._biases = _read_bias(bias, self.channels)
        self._paddings = _read_paddings(padding, self.dim)
        self._mode = _read_choice(mode, "mode", MODES)
        # Spatial tap t (a flat index into a k1 x k2 block) reads the input at the output's index + offset.
        sign = self._sign
        self._taps = tuple(
            (t, tuple(sign * (k - o) for k, o in zip(index, self._origins)))
            for t, index in enumerate(itertools.product(*map(range, self._size)))
        )
        self._nonzero = tuple(w != 0 for w in self._weights)
        self._symbols = frozenset().union(*(w.free_symbols for w in self._weights + self._biases))

    @property
    def kernel(self):
        """The exact weights, nested as given (1-D: ``kernel[i]`` is ``a_(i - origin)``)."""
        if len(self._shape) == 1:
            return self._weights
        return _nested(self._weights, self._shape, tuple)

    @property
    def origin(self):
        """Index in :attr:`kernel` of the weight ``a_0``: an int in 1-D, a pair in 2-D."""
        return self._origins[0] if self.dim == 1 else self._origins

    @property
    def bias(self):
        """The exact bias; with channels, a tuple of one per output channel."""
        return self._biases if self.channels else self._biases[0]

    @property
    def padding(self):
        """How values outside the input are read (a pair when the axes differ)."""
        return self._paddings[0] if len(set(self._paddings)) == 1 else self._paddings

    @property
    def mode(self):
        """``"convolution"`` or ``"correlation"``."""
        return self._mode

    @property
    def dim(self):
        """The number of spatial axes, 1 or 2."""
        return 2 - len(self._shape) % 2

    @property
    def channels(self):
        """(C_out, C_in) for a kernel with channels, else None."""
        return self._shape[:2] if len(self._shape) > 2 else None

    @property
    def _size(self):
        """The spatial shape of the kernel, (k,) or (k1, k2)."""
        return self._shape[-self.dim:]

    @property
    def _sign(self):
        return -1 if self._mode == "convolution" else 1

    def output_positions(self, n):
        """The input positions the outputs belong to.

        ``range(n)`` unless the padding is ``"valid"``; then the positions j
        whose taps j + offset all lie in 0..n-1.

        >>> from symequiv.discrete.layers import Conv
        >>> Conv([2, -2], origin=1, padding="valid").output_positions(4)
        range(0, 3)
        """
        return super().output_positions(n)

    def _geometry(self, shape):
        """The tap table for an input of ``shape``, after checking that the shape fits the kernel."""
        dim, channels = self.dim, self.channels
        if len(shape) != dim + (channels is not None) or (channels and shape[0] != channels[1]):
            raise InvalidArgument(self._mismatch(shape))
        spatial, size = shape[-dim:], self._size
        if any(p == "valid" and n < k for p, n, k in zip(self._paddings, spatial, size)):
            if dim == 1:
                raise InvalidArgument(
                    f"padding='valid' needs at least {size[0]} values (the kernel length) but got {spatial[0]}; "
                    "pass a longer input or use padding='zeros'"
                )
            raise InvalidArgument(
                f"padding='valid' needs at least {size} values per axis (the kernel's shape) but got an image of "
                f"shape {spatial}; pass a larger input or use padding='zeros'"
            )
        return _tap_table(size, self._origins, self._paddings, self._sign, channels, shape)

    def _mismatch(self, shape):
        """The message for values whose shape does not fit the kernel: what it takes, and what to change."""
        dim, channels = self.dim, self.channels
        taps = "k" if dim == 1 else "k1, k2"
        if channels is None:
            takes = "a 1-D vector of values" if dim == 1 else "an image of shape (nx, ny)"
        else:
            spatial = "n" if dim == 1 else "nx, ny"
            takes = f"values of shape ({channels[1]}, {spatial}), {_count(channels[1], 'channel')},"
        got = f"{short_repr(self)} takes {takes} but got values of shape {shape}"
        if channels and len(shape) == dim + 1:
            return (
                f"{got}: {_count(shape[0], 'channel')}; give values with {_count(channels[1], 'channel')}, "
                f"or weights of shape (C_out, {shape[0]}, {taps})"
            )
        if len(shape) > 3:
            return f"{got}; a Conv takes at most three axes, (C, nx, ny): apply it to one image of a batch at a time"
        if channels and len(shape) == dim:
            axis = (channels[1],) + tuple(shape)
            return f"{got}; give them a channel axis, shape {axis}, or use {_fitting_kernel(shape)}"
        return f"{got}; for those, use {_fitting_kernel(shape)}"

    def _out_shape(self, shape):
        return self._geometry(shape).shape

    def _ranges(self, positions, shape):
        table = self._geometry(shape)
        head = (range(self.channels[0]),) if self.channels else ()
        spatial = positions[len(positions) - self.dim:]
        return head + tuple(p[r.start:r.stop] for p, r in zip(spatial, table.ranges))

    def reads(self, shape, periodic):
        """What each output reads (see :meth:`Layer.reads`); a tap with a zero weight reads nothing.

        ``y[i, j] = b[i, j-1] + b[i-1, j]`` on a 2 x 2 grid that wraps along y
        only: output (0, 0) reads b[0, 1] through the wrap, and b[-1, 0] is a
        zero of the padding.

        >>> from symequiv.discrete.layers import Conv
        >>> layer = Conv([[0, 1], [1, 0]], padding=("zeros", "circular"))
        >>> layer.reads((2, 2), periodic=(False, True))
        [(frozenset({1}), True), (frozenset({0}), True), (frozenset({0, 3}), False), (frozenset({1, 2}), False)]
        """
        shape = _check_shape(shape)
        table = self._geometry(shape)
        wraps = [p and padding == "circular" for p, padding in zip(_periodic_axes(periodic, self.dim), self._paddings)]
        c_out, c_in = self.channels or (1, 1)
        block, area = len(self._taps), math.prod(shape[-self.dim:])
        result = []
        for co in range(c_out):
            nonzero = [self._nonzero[(co * c_in + ci) * block:(co * c_in + ci + 1) * block] for ci in range(c_in)]
            for taps in table.taps:
                inputs, outside = set(), False
                for ci in range(c_in):
                    for t, position, left in taps:
                        if not nonzero[ci][t]:
                            continue
                        if position is not None:
                            inputs.add(ci * area + position)
                        outside = outside or not all(wraps[axis] for axis in left)
                result.append((frozenset(inputs), outside))
        return result

    def _frame(self):
        return self.dim, self.channels[0] if self.channels else None

    def _apply(self, items, shape, weights, biases, total):
        """Output channel by output channel, ``total(pairs, bias)`` over each row of the tap table."""
        rows = self._geometry(shape).rows
        block = len(weights) // len(biases)  # the weights of one output channel
        out = []
        for co, bias in enumerate(biases):
            own = weights[co * block:(co + 1) * block]
            out.extend(total([(own[t], items[i]) for t, i in row], bias) for row in rows)
        return out

    def _exact(self, items, shape):
        # Binary + is ~3x faster than Add(*terms) on numbers, and equal in result.
        return self._apply(items, shape, self._weights, self._biases, _exact_dot)

    def _numeric(self, items, shape, backend):
        if self._symbols:
            raise InvalidArgument(
                f"{self!r} has the symbols {_names(self._symbols)} in its weights or bias; "
                "substitute numbers for them before applying it to mpmath values, or pass exact values"
            )
        # Converted once per call, at the caller's precision.
        weights = [backend.number(w) for w in self._weights]
        biases = [backend.number(b) for b in self._biases]
        return self._apply(items, shape, weights, biases, backend.dot)

    def _latex_step(self, inner):
        c_in = self.channels[1] if self.channels else 1
        block = len(self._taps)

        def formula(site):
            channel, offsets = site
            co = channel if self.channels else 0
            terms = []
            for ci in range(c_in):
                base = (co * c_in + ci) * block
                source = ci if self.channels else None
                for t, tap in self._taps:
                    w = self._weights[base + t]
                    if w != 0:
                        terms.append(_scaled_latex(w, *inner((source, tuple(map(sum, zip(offsets, tap)))))))
            if self._biases[co] != 0:
                terms.append(_scaled_latex(self._biases[co], "1", False))
            return _join_terms(terms)

        return formula

    def _key(self):
        return (self._weights, self._shape, self._origins, self._biases, self._paddings, self._mode)

    def __repr__(self):
        parts = [_nested([_value_repr(w) for w in self._weights], self._shape, lambda row: f"[{', '.join(row)}]")]
        if any(self._origins):
            parts.append(f"origin={self.origin}")
        if len(set(self._biases)) > 1:
            parts.append(f"bias=[{', '.join(map(_value_repr, self._biases))}]")
        elif self._biases[0] != 0:
            parts.append(f"bias={_value_repr(self._biases[0])}")
        if self.padding != "zeros":
            parts.append(f"padding={self.padding!r}")
        if self._mode != "convolution":
            parts.append(f"mode={self._mode!r}")
        return f"Conv({', '.join(parts)})"


# A Conv's tap table for one input shape: the output shape; per spatial axis the
# input positions the outputs belong to; per flat spatial output position the
# (spatial tap, flat spatial input position or None where zeros are read, axes
# on which the tap left the grid) of every tap; and per flat spatial output
# position the (weight index within an output channel, flat input position)
# pairs the exact path and every backend sum.
_TapTable = collections.namedtuple("_TapTable", "shape ranges taps rows")


@functools.lru_cache(maxsize=32)
def _tap_table(size, origins, paddings, sign, channels, shape):
    """The :data:`_TapTable` of a kernel's geometry (not its weights) for an input of ``shape``."""
    spatial = shape[len(shape) - len(size):]
    axes = [_axis_taps(*axis, sign) for axis in zip(size, origins, paddings, spatial)]
    taps = []
    for per_axis in itertools.product(*(rows for _, rows in axes)):
        row = []
        for parts in itertools.product(*per_axis):
            t, position, left = 0, 0, ()
            for axis, ((k, i, outside), k_size, n) in enumerate(zip(parts, size, spatial)):
                t = t * k_size + k
                position = None if position is None or i is None else position * n + i
                if outside:
                    left += (axis,)
            row.append((t, position, left))
        taps.append(tuple(row))
    c_in = channels[1] if channels else 1
    block, area = math.prod(size), math.prod(spatial)
    rows = tuple(
        tuple(
            (ci * block + t, ci * area + position)
            for ci in range(c_in)
            for t, position, _ in row
            if position is not None
        )
        for row in taps
    )
    ranges = tuple(r for r, _ in axes)
    return _TapTable(((channels[0],) if channels else ()) + tuple(map(len, ranges)), ranges, tuple(taps), rows)


def _axis_taps(size, origin, padding, n, sign):
    """Along one axis of length ``n``: the output range, and per output the taps.

    A tap is (kernel index k, input index or None where the padding reads a
    zero, whether it left the grid).
    """
    offsets = [sign * (k - origin) for k in range(size)]
    outputs = range(-min(offsets), n - max(offsets)) if padding == "valid" else range(n)
    rows = []
    for j in outputs:
        row = []
        for k, offset in enumerate(offsets):
            i = j + offset
            inside = 0 <= i < n
            if padding == "circular":
                i %= n
            elif padding == "edge":
                i = min(max(i, 0), n - 1)
            elif not inside:  # zeros (valid never leaves the input)
                i = None
            row.append((k, i, not inside))
        rows.append(row)
    return outputs, rows


def _exact_dot(pairs, bias):
    """bias + the sum of w * v over the (w, v) pairs, exactly (what a backend's ``dot`` is for numbers)."""
    return sum((w * v for w, v in pairs), bias)


class _Elementwise(Layer):
    """A layer that maps each value on its own (an activation), for an array of any shape."""

    __slots__ = ()

    def _exact(self, items, shape):
        return [self._exact_one(v) for v in items]

    def _numeric(self, items, shape, backend):
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
    >>> ReLU()([[-1, 2], [3, -4]])
    Values([[0, 2], [3, 0]])
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
        return lambda site: (f"\\max\\left(0, {inner(site)[0]}\\right)", False)


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

    def _numeric(self, items, shape, backend):
        if self._a.free_symbols:
            raise InvalidArgument(
                f"{self!r} has the symbols {_names(self._a.free_symbols)} in its slope; "
                "substitute numbers for them before applying it to mpmath values, or pass exact values"
            )
        a = backend.number(self._a)
        return [backend.leaky(v, a) for v in items]

    def _latex_step(self, inner):
        def formula(site):
            text, compound = inner(site)
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
        return lambda site: (f"\\tanh\\left({inner(site)[0]}\\right)", False)


class Identity(_Elementwise):
    """The layer that returns its input (converted exactly, or to mpmath).

    >>> from symequiv.discrete.layers import Identity
    >>> Identity()([1, 0.5, "1/3"])
    Values([1, 1/2, 1/3])
    """

    __slots__ = ()

    def _exact(self, items, shape):
        return list(items)

    def _numeric(self, items, shape, backend):
        return list(items)

    def _latex_step(self, inner):
        return inner


# --- input checks ----------------------------------------------------------

_KERNEL_LEVELS = 4  # (C_out, C_in, k1, k2)


def _read_kernel(kernel):
    """(flat exact weights, shape) of a kernel given as nested sequences or an array."""
    if not is_vector_like(kernel) or getattr(kernel, "ndim", 1) == 0:
        raise InvalidType(
            f"Expected a sequence of kernel weights such as [2, -2] but got {type(kernel).__name__}: {short_repr(kernel)}"
        )
    ndim = getattr(kernel, "ndim", None)
    if ndim is not None and ndim > _KERNEL_LEVELS:
        raise InvalidArgument(
            f"Expected a kernel of shape (k), (k1, k2), (C_out, C_in, k) or (C_out, C_in, k1, k2) but got a "
            f"{ndim}-D array of shape {kernel.shape}"
        )
    weights = []
    shape = _read_level(kernel.tolist() if hasattr(kernel, "tolist") else kernel, "kernel", weights, 1)
    if 0 in shape:
        raise InvalidArgument(f"Expected at least one kernel weight but got an empty kernel {short_repr(kernel)}")
    return tuple(weights), shape


def _read_level(value, name, weights, depth):
    """Append the weights of the nested sequence ``value`` (``name`` in messages) to ``weights``; return its shape."""
    entries = list(value)
    nested = [is_vector_like(v) for v in entries]
    if not any(nested):
        weights.extend(exact_value(v, f"{name}[{i}]") for i, v in enumerate(entries))
        return (len(entries),)
    if depth == _KERNEL_LEVELS:
        i = nested.index(True)
        raise InvalidArgument(
            f"Expected a kernel of at most four levels, (C_out, C_in, k1, k2), but {name}[{i}] is a sequence: "
            f"{short_repr(entries[i])}"
        )
    if not all(nested):
        i = nested.index(not nested[0])
        expected = "a number" if not nested[0] else "a sequence"
        raise InvalidType(
            f"Expected {expected} for {name}[{i}], as {name}[0] is, but got {type(entries[i]).__name__}: "
            f"{short_repr(entries[i])}; every row of a kernel has the same nesting"
        )
    shapes = [_read_level(v, f"{name}[{i}]", weights, depth + 1) for i, v in enumerate(entries)]
    for i, shape in enumerate(shapes):
        if shape != shapes[0]:
            raise InvalidArgument(
                f"Expected a kernel with rows of one length but {name}[{i}] has shape {shape} "
                f"and {name}[0] has shape {shapes[0]}"
            )
    return (len(entries),) + shapes[0]


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _read_origin(origin, size):
    """One origin per spatial axis of a kernel of spatial shape ``size``."""
    if len(size) == 1:
        if not _is_int(origin):
            raise InvalidType(f"Expected an int for origin but got origin={short_repr(origin)}")
        origins = (int(origin),)
    elif _is_int(origin):
        origins = (int(origin),) * len(size)
    elif isinstance(origin, (tuple, list)) and len(origin) == len(size) and all(map(_is_int, origin)):
        origins = tuple(map(int, origin))
    else:
        raise InvalidType(
            f"Expected a pair of ints (o1, o2) for the origin of a 2-D kernel, or one int for both axes, "
            f"but got origin={short_repr(origin)}"
        )
    if not all(0 <= o < k for o, k in zip(origins, size)):
        if len(size) == 1:
            raise InvalidArgument(
                f"origin={short_repr(origin)} is outside the kernel of length {size[0]}; use 0..{size[0] - 1}"
            )
        raise InvalidArgument(
            f"origin={short_repr(origin)} is outside the kernel of shape {size}; "
            f"use 0..{size[0] - 1} on the first axis and 0..{size[1] - 1} on the second"
        )
    return origins


def _read_bias(bias, channels):
    """The exact bias of each output channel (one entry without channels)."""
    if channels is None or not is_vector_like(bias):
        return (exact_value(bias, "bias"),) * (channels[0] if channels else 1)
    entries = list(bias.tolist() if hasattr(bias, "tolist") else bias)
    if len(entries) != channels[0]:
        raise InvalidArgument(
            f"Expected one bias per output channel ({channels[0]}) or one number for all, "
            f"but got {len(entries)}: bias={short_repr(bias)}"
        )
    return tuple(exact_value(b, f"bias[{c}]") for c, b in enumerate(entries))


def _read_paddings(padding, dim):
    """One padding per spatial axis."""
    if dim > 1 and isinstance(padding, (tuple, list)):
        if len(padding) != dim:
            raise InvalidArgument(
                f"Expected one padding for all axes or one per axis ({dim}) but got padding={short_repr(padding)}"
            )
        return tuple(_read_choice(p, f"padding[{axis}]", PADDINGS) for axis, p in enumerate(padding))
    return (_read_choice(padding, "padding", PADDINGS),) * dim


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


def _check_shape(shape):
    if not isinstance(shape, (tuple, list)) or not shape or not all(map(_is_int, shape)):
        raise InvalidType(f"Expected a shape, a tuple of ints such as (4, 4), but got shape={short_repr(shape)}")
    if min(shape) <= 0:
        raise InvalidArgument(f"Expected a positive length on every axis but got shape={short_repr(shape)}")
    return tuple(map(int, shape))


def _periodic_axes(periodic, dim):
    """One bool per spatial axis (``dim`` of them; any number when None)."""
    if isinstance(periodic, bool):
        return (periodic,) * (dim or 1)
    if (
        isinstance(periodic, (tuple, list))
        and (len(periodic) == dim if dim else periodic)
        and all(isinstance(p, bool) for p in periodic)
    ):
        return tuple(periodic)
    axes = f" ({dim})" if dim else ""
    raise InvalidType(
        f"Expected True, False or one bool per spatial axis{axes} for periodic but got periodic={short_repr(periodic)}"
    )


def _fitting_kernel(shape):
    """The kind of kernel that takes values of ``shape``, for a shape-mismatch message."""
    if len(shape) == 1:
        return "a 1-D kernel such as [1, -1]"
    if len(shape) == 2:
        return (
            "a 2-D kernel a[k1][k2] (nested lists such as [[1, 0], [0, -1]]) for an image, "
            f"or weights of shape (C_out, {shape[0]}, k) for {_count(shape[0], 'channel')} of {shape[1]} values"
        )
    return f"weights of shape (C_out, {shape[0]}, k1, k2) for {_count(shape[0], 'channel')} of shape {shape[1:]}"


def _count(n, noun):
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _check_chain(layers):
    """Refuse a Sequential whose convolutions do not fit together (dimension, channels)."""
    previous = None
    for j, layer in enumerate(layers):
        if not isinstance(layer, Conv):
            continue
        if previous is not None:
            i, before = previous
            if before.dim != layer.dim:
                raise InvalidArgument(
                    f"Sequential mixes a {before.dim}-D convolution (layer {i}) with a {layer.dim}-D one "
                    f"(layer {j}, {short_repr(layer)}); every Conv of a Sequential has one dimension"
                )
            gives = before.channels[0] if before.channels else None
            takes = layer.channels[1] if layer.channels else None
            if gives != takes:
                given = _count(gives, "channel") if gives else "values without channels"
                taken = _count(takes, "input channel") if takes else "values without channels"
                raise InvalidArgument(
                    f"Layer {j} of the Sequential, {short_repr(layer)}, takes {taken} but layer {i} gives {given}; "
                    "each Conv's C_in must be the C_out of the Conv before it"
                )
        previous = (j, layer)


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


def _nested(items, shape, make):
    """Flat ``items`` of an array of ``shape`` as nested sequences, each level built by ``make``."""
    if len(shape) == 1:
        return make(items)
    size = len(items) // shape[0]
    return make([_nested(items[k * size:(k + 1) * size], shape[1:], make) for k in range(shape[0])])


def _names(symbols):
    return ", ".join(sorted(map(str, symbols)))


def _index_latex(offsets):
    """``j+1`` in 1-D, ``i-1,j`` in 2-D."""
    names = ("j",) if len(offsets) == 1 else ("i", "j")
    return ",".join(name if offset == 0 else f"{name}{offset:+d}" for name, offset in zip(names, offsets))


def _input_latex(site):
    channel, offsets = site
    name = "b" if channel is None else f"b^{{({channel})}}"
    return f"{name}_{{{_index_latex(offsets)}}}", False


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
