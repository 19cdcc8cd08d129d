"""Discrete shifts g^h: moving cell values by any real number of cells.

A discrete shift takes the values b_0, ..., b_(n-1) of a grid and a shift ``d``
in units of x, and returns the values moved by s = d / dx cells. Content moves
by +s cells, as a translation does: (S_s b)_j = b(j - s), and for a whole
number m of cells (S_m b)_j = b_(j-m).

Every shift except :class:`IntegerShift` interpolates. With an interpolation
kernel w,

    out_j = sum over k of b_k w(j - k - s).

*Boundary rule.* On a periodic grid the data repeat with period n, so the sum
runs over every periodic image of the grid. On a non-periodic grid the data are
extended by zeros: b_k = 0 for k < 0 and k >= n, the same as a ``Conv`` with
``padding="zeros"``. Cells near the edges therefore take in zeros; they are
boundary effects, not translation effects.

Every kernel has w(0) = 1 and w(k) = 0 at the other integers, so at a whole
number of cells each shift *is* the integer shift, exactly: a roll on a periodic
grid, a shift with zero fill on a non-periodic one. The one exception is
``FourierShift(nyquist="keep")``, which leaves the Nyquist mode of an even grid
in place, so at an odd number of cells it is not a roll (as in LPSDA). Whole
cells are decided exactly, not by the look of the number: :func:`split_shift`
splits d / dx into floor and fraction rigorously, so
``"sqrt(3+2*sqrt(2)) - sqrt(2)"`` (which is 1) is a whole cell for every
shift; :meth:`DiscreteShift.footprint` says which input cells each output
reads, and :meth:`DiscreteShift.weights` gives the weights themselves, for one
axis of n cells, so that a shift can be applied along any axis of an array.

>>> from symequiv.continuous.grid import Grid
>>> grid = Grid(-1, 1, 4)
>>> IntegerShift()([0, 0, 1, 1], grid.dx, grid)
Values([0, 0, 0, 1])
>>> LinearShift()([0, 0, 1, 1], grid.dx / 2, grid)
Values([0, 0, 1/2, 1])
>>> CubicShift()([0, 0, 1, 1], "1/4", grid)
Values([0, -1/16, 1/2, 9/8])
>>> LanczosShift()([0, 0, 1, 1], "1/4", grid)
Values([9/368, -41/368, 175/368, 225/184])

The shift may be symbolic. Then each cell is an expression valid for every
real value of the symbol, a ``Piecewise`` on intervals of whole cells:

>>> from symequiv.continuous.symbols import delta
>>> cell = LinearShift()([0, 0, 1, 1], "delta", grid)[2]
>>> cell
Piecewise((0, delta < -1), (2*delta + 2, delta < -1/2), (1, delta < 0), (1 - 2*delta, delta < 1/2), (0, True))
>>> cell.subs(delta, grid.dx / 2)
1/2

Inputs: exact values (sympy numbers or expressions; ints, fractions, decimal
strings and floats at their exact binary value) give exact results. Values that
are mpmath numbers are shifted in mpmath at the caller's working precision,
with the few interpolation weights converted once per call.
"""

import abc
from math import comb

import flint
import mpmath
import sympy

from ..numeric import exact
from ..numeric.backends import ARB, MPMATH
from ..numeric.balls import mpf_of
from ..errors import GridMismatch, InvalidArgument, InvalidType, short_repr, short_str
from ..continuous.grid import Grid
from ..numeric.numbers import exact_number, exact_value, number_repr
from ..continuous.symbols import delta
from .values import Values, read_array

__all__ = [
    "DiscreteShift", "IntegerShift", "LinearShift", "CubicShift", "LanczosShift", "FourierShift", "split_shift",
]

# Names a string shift (or kernel argument) may use.
_NAMES = {"delta": delta}

# The shifts that move by a fraction of a cell, named in IntegerShift's messages.
_FRACTIONAL = "LinearShift, CubicShift, LanczosShift or FourierShift"


class DiscreteShift(abc.ABC):
    """A discrete translation g^h of grid values by a real shift.

    Call an instance as ``g(values, d, grid)``: it returns the :class:`Values`
    moved by d / grid.dx cells. Subclasses differ in how they fill in values
    between grid points; see the module docstring for the conventions and the
    boundary rule.

    Examples
    ========

    >>> from symequiv.continuous.grid import Grid
    >>> shift = LinearShift()
    >>> isinstance(shift, DiscreteShift), shift.radius
    (True, 1)
    >>> shift([0, 0, 6], "1/3", Grid(0, 3, 3, periodic=True))
    Values([2, 0, 4])

    Parameters
    ==========

    values : sequence
        One value per cell of ``grid`` (a list, tuple, :class:`Values` or 1-D
        numpy array). Exact entries give exact results; mpmath entries are
        computed in mpmath at the current precision.
    d : number, string or sympy expression
        The shift in units of x. ``"0.25"`` is 1/4, a float is taken at its
        binary value, and an expression such as ``delta`` gives a closed form.
    grid : Grid
        The grid the values live on.
    """

    __slots__ = ()

    #: w(u) = 0 whenever |u| >= radius (in cells); None if every cell contributes.
    radius = None

    def __call__(self, values, d, grid):
        grid = _checked_grid(grid)
        self._check_grid(grid)
        if grid.dim == 1:
            if isinstance(d, (tuple, list)):
                raise InvalidType(
                    f"Expected one number for d on the one-dimensional {grid!r} but got d={short_repr(d)}; "
                    "a pair (dx, dy) shifts values on a two-dimensional grid"
                )
            b, shape, backend = read_array(values)
            if shape[-1:] != (grid.n,) or len(shape) > 2:
                got = f"{shape[0]} values" if len(shape) == 1 else f"values of shape {shape}"
                raise GridMismatch(f"Expected {grid.n} values, one per cell of {grid!r} (or one row of them per "
                                   f"channel), but got {got}")
            d = exact_value(d, "d", names=_NAMES)
            rows = [b[k:k + grid.n] for k in range(0, len(b), grid.n)]
            return Values([v for row in rows for v in self._apply(row, d, grid, backend)], shape)
        return self._separable(values, d, grid)

    def _separable(self, values, d, grid):
        """The shift on a 2-D grid: the 1-D shift along x (each column), then along y (each row), per channel.

        The two 1-D shifts are linear maps along different axes, so their
        product is the tensor product of the 1-D shift with itself: the
        separable 2-D shift, the same in either order.
        """
        if not isinstance(d, (tuple, list)) or len(d) != 2:
            raise InvalidArgument(
                f"Expected a shift (dx, dy), one number per axis, for the two-dimensional {grid!r} but got "
                f"d={short_repr(d)}"
            )
        shifts = [exact_value(v, f"d[{axis}]", names=_NAMES) for axis, v in enumerate(d)]
        b, shape, backend = read_array(values)
        if shape[-2:] != grid.shape or len(shape) not in (2, 3):
            raise GridMismatch(
                f"Expected values of shape {grid.shape}, one per cell of {grid!r} (or (C, {grid.shape[0]}, "
                f"{grid.shape[1]}) with channels), but got values of shape {shape}"
            )
        return Values(self._apply_separable(b, shifts, grid, backend), shape)

    def _apply_separable(self, b, shifts, grid, backend):
        """The entries of the already checked array ``b`` (flat, channels first) moved by ``shifts`` on a 2-D grid."""
        nx, ny = grid.shape
        out = []
        for start in range(0, len(b), nx * ny):
            image = b[start:start + nx * ny]
            columns = [self._apply(image[j::ny], shifts[0], grid.axes[0], backend) for j in range(ny)]
            moved = [columns[j][i] for i in range(nx) for j in range(ny)]
            for i in range(nx):
                out.extend(self._apply(moved[i * ny:(i + 1) * ny], shifts[1], grid.axes[1], backend))
        return out

    def _apply(self, b, d, grid, backend):
        """The shifted entries of the already checked values ``b`` (``backend`` None: exact).

        The checker calls this directly to choose the backend itself.
        """
        s = d / grid.dx  # d may also be a Fraction (the checker's rational backend)
        if s.free_symbols:
            return self._symbolic(b, d, grid, backend)
        m, t = _split(s, "d/dx")
        if t == 0 and self._rolls(m, grid.n):
            return _whole_cells(b, m, grid, backend.zero() if backend else sympy.S.Zero)
        return self._fraction(b, m, t, grid, backend)

    def footprint(self, d, grid):
        """(m, offsets): which input cells each output cell reads at the shift ``d``.

        Output j of ``self(values, d, grid)`` combines the inputs b_(j - m - r),
        r in ``offsets``, each with a nonzero weight; the index is taken mod n on
        a periodic grid, and off a non-periodic grid it reads the zero extension.
        m = floor(d / dx), and a whole number of cells (in any exact form) has
        the single offset 0; see :func:`split_shift`.

        >>> from symequiv.continuous.grid import Grid
        >>> grid = Grid(0, 4, 4)
        >>> LinearShift().footprint("5/4", grid), CubicShift().footprint("sqrt(3+2*sqrt(2)) - sqrt(2)", grid)
        ((1, (0, 1)), (1, (0,)))
        """
        grid = _checked_grid(grid)
        self._check_grid(grid)
        m, t = split_shift(d, grid.dx)
        return (m, (0,)) if t == 0 and self._rolls(m, grid.n) else (m, self._offsets(m, t, grid))

    def weights(self, s, n, periodic=False):
        """The shift by ``s`` cells along one axis of ``n`` cells, as weights: (m, ((r, w), ...)).

        Output j is the sum over the pairs of w * b_(j - m - r), with m =
        floor(s): the index is taken mod n when ``periodic``, and a term whose
        index is off a non-periodic axis reads the zero extension (drop it).
        The weights depend on the fraction s - m only (and on n for
        :class:`FourierShift`, whose kept Nyquist mode also sees the parity of
        m). On a periodic axis the offsets are reduced mod n and their weights
        added; a whole number of cells is the single pair (0, 1). Exact: s is
        a number in cells (d / dx), split rigorously by :func:`split_shift`.

        Applied along one axis of an array (here 1-D), it is the shift itself:

        >>> from symequiv.continuous.grid import Grid
        >>> b, grid = [4, 0, 0, 8], Grid(0, 4, 4, periodic=True)
        >>> m, pairs = LinearShift().weights("5/4", 4, periodic=True)
        >>> m, pairs
        (1, ((0, 3/4), (1, 1/4)))
        >>> [sum(w * b[(j - m - r) % 4] for r, w in pairs) for j in range(4)] == LinearShift()(b, "5/4", grid)
        True
        >>> LanczosShift(a=2).weights("1/2", 8)
        (0, ((-1, -1/16), (0, 9/16), (1, 9/16), (2, -1/16)))
        >>> CubicShift().weights("1/2", 2, periodic=True)
        (0, ((0, 1/2), (1, 1/2)))
        """
        n = _cell_count(n)
        if not isinstance(periodic, bool):
            raise InvalidType(f"Expected True or False for periodic but got periodic={short_repr(periodic)}")
        self._check_axis(periodic, f"periodic={periodic}")
        m, t = _split(exact_number(s, "s"), "s")
        if t == 0 and self._rolls(m, n):
            return m, ((0, sympy.S.One),)
        pairs = self._taps(m, t, n, None)
        if periodic:
            folded = {}
            for r, w in pairs:
                folded[r % n] = folded.get(r % n, sympy.S.Zero) + w
            pairs = sorted(folded.items())
        return m, tuple(pairs)

    def _offsets(self, m, t, grid):
        """The offsets r with a nonzero weight for a shift by m + t cells (0 < t < 1, or where not a roll)."""
        return tuple(range(grid.n))

    def _rolls(self, m, n):
        """Whether the shift by the whole number m of cells, on n cells, is the integer shift."""
        return True

    def _check_grid(self, grid):
        """Refuse a grid this shift cannot work on (the checker asks this too); a 2-D grid axis by axis."""
        for axis, name in zip(grid.axes, "xy"):
            self._check_axis(axis.periodic, repr(grid) if grid.dim == 1 else f"the {name} axis of {grid!r}")

    def _check_axis(self, periodic, where):
        """Refuse an axis, periodic or not (``where`` names it), this shift cannot work on."""

    @abc.abstractmethod
    def _taps(self, m, t, n, backend):
        """(r, w) pairs: out_j = sum of w * b_(j - m - r) for the shift by m + t cells on n cells.

        0 < t < 1 exact (t = 0 where :meth:`_rolls` is False); the weights are
        exact (``backend`` None) or numbers of ``backend``. The index j - m - r
        is not yet reduced: mod n on a periodic grid, zero extension otherwise.
        """

    def _fraction(self, b, m, t, grid, backend):
        """Shift by m + t cells, m an int and 0 < t < 1 exact (or t = 0 where not a roll)."""
        taps = self._taps(m, t, grid.n, backend)
        return [_cell(b, j - m, taps, grid, backend) for j in range(grid.n)]

    @abc.abstractmethod
    def _symbolic(self, b, d, grid, backend):
        """One expression per cell, valid for every real value of d's symbols."""

    def _params(self):
        """The constructor arguments that differ from their defaults, as (name, value)."""
        return ()

    def __eq__(self, other):
        if not isinstance(other, DiscreteShift):
            return NotImplemented
        return type(self) is type(other) and self._params() == other._params()

    def __hash__(self):
        return hash((type(self).__name__, self._params()))

    def __repr__(self):
        args = ", ".join(
            f"{name}={value!r}" if isinstance(value, str) else f"{name}={number_repr(value)}"
            for name, value in self._params()
        )
        return f"{type(self).__name__}({args})"


class IntegerShift(DiscreteShift):
    """The shift by a whole number of cells, g(b)_j = b_(j-m) with m = d / dx.

    It is the one discrete shift that needs no interpolation: on a periodic
    grid it is a roll, on a non-periodic grid it fills the cells it uncovers
    with zeros. A shift that is not a whole number of cells is refused.

    Examples
    ========

    >>> from symequiv.continuous.grid import Grid
    >>> g = IntegerShift()
    >>> g([1, 2, 3, 4], 1, Grid(0, 4, 4, periodic=True))
    Values([4, 1, 2, 3])
    >>> g([1, 2, 3, 4], "-0.5", Grid(0, 2, 4))
    Values([2, 3, 4, 0])
    >>> g([1, 2, 3, 4], "sqrt(3+2*sqrt(2)) - sqrt(2)", Grid(0, 4, 4))
    Values([0, 1, 2, 3])
    >>> g([1, 2, 3, 4], "3/5", Grid(0, 4, 4))
    Traceback (most recent call last):
        ...
    symequiv.errors.InvalidArgument: IntegerShift moves by whole cells only, but d = 3/5 is 3/5 of a cell (dx = 1); ...
    """

    __slots__ = ()
    radius = 1

    def kernel(self, u):
        """The weight w(u) at a whole number ``u``: 1 at u = 0, else 0.

        Whole numbers in any exact form count (``sqrt(3 + 2*sqrt(2)) - sqrt(2)``
        is 1); the kernel has no value between whole numbers.

        >>> g = IntegerShift()
        >>> g.kernel(0), g.kernel(-3), g.kernel("sqrt(3+2*sqrt(2)) - sqrt(2) - 1")
        (1, 0, 1)
        """
        u = exact_number(u, "u")
        m, t = _split(u, "u")
        if t != 0:
            raise InvalidArgument(
                f"IntegerShift's kernel w(u) is defined at whole numbers u only but got u={u}; "
                f"it moves by whole cells: use {_FRACTIONAL} to move by a fraction of a cell"
            )
        return sympy.S.One if m == 0 else sympy.S.Zero

    def _offsets(self, m, t, grid):
        raise InvalidArgument(_not_whole(m + t, grid.dx))

    def _fraction(self, b, m, t, grid, backend):
        raise InvalidArgument(_not_whole(m + t, grid.dx))

    def _taps(self, m, t, n, backend):
        raise InvalidArgument(
            f"IntegerShift moves by whole cells only, but s = {m + t} cells is not whole; "
            f"use {_FRACTIONAL}, or a whole number of cells"
        )

    def _symbolic(self, b, d, grid, backend):
        raise InvalidArgument(
            f"IntegerShift needs a number for d but got the expression d={d}; give a whole number of cells "
            f"times dx, or use {_FRACTIONAL} for a closed form in d"
        )


def _not_whole(s, dx):
    """IntegerShift's message for the shift by s cells of width dx, s not whole."""
    d = s * dx
    size = f"{s} of a cell" if exact.sign(abs(s) - 1) < 0 else f"{s} cells"
    return (
        f"IntegerShift moves by whole cells only, but d = {d} is {size} (dx = {dx}); "
        f"use {_FRACTIONAL}, or a d that is a multiple of dx"
    )


class _PiecewiseKernelShift(DiscreteShift):
    """A shift by a kernel of finite support, polynomial between integers.

    Subclasses list ``_pieces()``: polynomial p_i(v) giving w(u) for
    i <= |u| <= i + 1, i = 0 .. radius - 1; w(u) = 0 for |u| >= radius.
    """

    __slots__ = ()

    @abc.abstractmethod
    def _pieces(self):
        """The polynomials p_0 .. p_(radius-1) of the kernel, as functions of |u|."""

    def kernel(self, u):
        """The exact interpolation weight w(u), ``u`` in cells.

        A number gives an exact number; an expression gives a ``Piecewise``
        in it. A whole number in any exact form gives 1 at 0 and 0 elsewhere:

        >>> LinearShift().kernel("sqrt(3+2*sqrt(2)) - sqrt(2) - 1"), CubicShift().kernel("sqrt(3+2*sqrt(2)) - sqrt(2)")
        (1, 0)
        """
        u = exact_value(u, "u", names=_NAMES)
        pieces = self._pieces()
        if u.free_symbols:
            v = sympy.Abs(u)
            last = len(pieces) - 1
            return sympy.Piecewise(
                *[(p(v), v <= i + 1 if i < last else v < i + 1) for i, p in enumerate(pieces)],
                (sympy.S.Zero, True),
            )
        v = u if exact.sign(u) >= 0 else -u
        i, fraction = _split(v, "|u|")
        if i >= len(pieces):
            return sympy.S.Zero
        # A whole number in disguise is evaluated as the integer it is: w = 1 at 0, 0 at the others.
        return sympy.expand(pieces[i](sympy.Integer(i) if fraction == 0 else v))

    def _offsets(self, m, t, grid):
        return tuple(r for r, w in self._weights(t) if w != 0 and exact.is_zero(w) is not True)

    def _weights(self, t):
        """(r, w(r - t)) for every r where w(r - t) can be nonzero, 0 <= t < 1.

        ``t`` may be an expression (known to lie in [0, 1)): each weight is
        then the polynomial of the piece that r - t falls in.
        """
        pieces = self._pieces()
        radius = len(pieces)
        # For r >= 1, |r - t| = r - t lies in piece r - 1; for r <= 0, |r - t| = t - r in piece -r.
        return [
            (r, sympy.expand(pieces[r - 1](r - t) if r >= 1 else pieces[-r](t - r)))
            for r in range(1 - radius, radius + 1)
        ]

    def _taps(self, m, t, n, backend):
        weights = self._weights(t)
        return [(r, backend.number(c)) for r, c in weights] if backend else weights

    def _symbolic(self, b, d, grid, backend):
        _require_exact(backend, d)
        t = sympy.Dummy("t")
        polynomials = [(r, sympy.Poly(w, t).all_coeffs()[::-1]) for r, w in self._weights(t)]
        degree = max(len(c) for _, c in polynomials) - 1
        # by_power[i] lists (r, coefficient of t**i in w(r - t)).
        by_power = [[(r, c[i]) for r, c in polynomials if i < len(c)] for i in range(degree + 1)]

        def piece(j, m, variable, scale, base):
            # A polynomial in t = scale * variable + base, collected by powers of the variable.
            e = [_cell(b, j - m, weights, grid, False) for weights in by_power]
            return sympy.Add(
                *[
                    sympy.Add(*[e[i] * comb(i, k) * base ** (i - k) for i in range(k, degree + 1)])
                    * scale**k
                    * variable**k
                    for k in range(degree + 1)
                ]
            )

        return _by_whole_cells(d, grid, self.radius, piece)


class LinearShift(_PiecewiseKernelShift):
    """Shift by linear interpolation between neighbouring cells.

    The kernel is the hat function w(u) = max(0, 1 - |u|): a shift by m + t
    cells (0 <= t < 1) gives out_j = (1 - t) b_(j-m) + t b_(j-m-1).

    Examples
    ========

    >>> from symequiv.continuous.grid import Grid
    >>> g = LinearShift()
    >>> g([4, 0, 0, 8], "1/4", Grid(0, 4, 4, periodic=True))
    Values([5, 1, 0, 6])
    >>> g.kernel("1/4"), g.kernel(-1), g.kernel("delta")
    (3/4, 0, Piecewise((1 - Abs(delta), Abs(delta) < 1), (0, True)))
    """

    __slots__ = ()
    radius = 1

    def _pieces(self):
        return (lambda v: 1 - v,)


class CubicShift(_PiecewiseKernelShift):
    """Shift by Keys' cubic convolution.

    The kernel, with parameter a, is

        w(u) = (a + 2)|u|^3 - (a + 3)|u|^2 + 1      for |u| <= 1,
        w(u) = a|u|^3 - 5a|u|^2 + 8a|u| - 4a         for 1 < |u| < 2,
        w(u) = 0                                     otherwise.

    a = -1/2 (the default, as in image libraries) makes the interpolant
    reproduce quadratics; the kernel takes negative values, so a shifted step
    overshoots.

    Examples
    ========

    >>> from symequiv.continuous.grid import Grid
    >>> g = CubicShift()
    >>> g.kernel("1/2"), g.kernel("3/2"), g.kernel(2)
    (9/16, -1/16, 0)
    >>> g([0, 1, 4, 9, 16, 25], "1/2", Grid(0, 6, 6))[2:4]
    Values([9/4, 25/4])
    >>> CubicShift(a="-0.75")
    CubicShift(a=-S(3)/4)

    Parameters
    ==========

    a : number or string
        The Keys parameter, converted exactly (``-0.75`` is -3/4).
    """

    __slots__ = ("_a",)
    radius = 2

    def __init__(self, a=sympy.Rational(-1, 2)):
        self._a = exact_number(a, "a")

    @property
    def a(self):
        """The Keys parameter, exact."""
        return self._a

    def _pieces(self):
        a = self._a
        return (
            lambda v: (a + 2) * v**3 - (a + 3) * v**2 + 1,
            lambda v: a * v**3 - 5 * a * v**2 + 8 * a * v - 4 * a,
        )

    def _params(self):
        return () if self._a == sympy.Rational(-1, 2) else (("a", self._a),)


class LanczosShift(DiscreteShift):
    """StyleGAN3's fractional translation: Lanczos interpolation with normalised taps.

    The Lanczos kernel with ``a`` lobes is L(u) = sinc(u) sinc(u / a) for
    |u| < a and 0 otherwise, sinc(u) = sin(pi u) / (pi u). A shift by m + t
    cells (m = floor, 0 <= t < 1) uses the 2a taps r = 1 - a .. a,

        out_j = sum over r of w_r b_(j-m-r),   w_r = L(r - t) / sum over q of L(q - t),

    normalised so that they sum to 1, which is the kernel
    w(u) = L(u) / sum over integers k of L(u - k). At t = 0 the taps are
    sinc(r) = 1 at r = 0 and 0 at the other integers, so a whole number of
    cells is exactly the integer shift.

    *Anchor.* This is ``apply_fractional_translation(x, tx, ty, a=3)`` in
    NVlabs/stylegan3 ``metrics/equivariance.py`` (its operator for EQ-T_frac),
    along one axis: ``ix = floor(tx * W)``, ``fx = tx * W - ix``, taps
    ``arange(2a) - (a - 1)``, filter ``sinc(taps - fx) * sinc((taps - fx) / a)``
    divided by its sum, applied with ``upfirdn2d.filter2d`` (a convolution;
    pixels outside the image are zeros) and placed so that output j reads
    x[j - ix - r]. Its ``tx`` is a fraction of the image width, so s = d / dx
    = tx * W, and its content moves by +s, as here. (Its ``lanczos_window`` is
    used for rotations, not for this translation.)

    *Boundary.* On a non-periodic grid the data are extended by zeros, as
    StyleGAN3 does. StyleGAN3's mask keeps the cells m + a <= j < n + m + 1 - a,
    those whose 2a taps all read inside the image: by :meth:`footprint` these
    are exactly the cells the checker compares, and it reports the others as
    boundary cells. On a periodic grid the taps wrap around (circular padding,
    which StyleGAN3 does not have).

    *Exact values.* With q_r = (-1)^(r+1) sin(pi (r - t) / a) / (r - t)^2,
    L(r - t) = q_r a sin(pi t) / pi^2, and the common factor cancels in the
    normalisation: w_r = q_r / sum q, exact for exact t (rational t give
    sines of rational multiples of pi). A symbolic shift gives, per whole
    cell, the same weights written with sympy's ``sinc`` so that they hold at
    t = 0 too. mpmath and arb values get the weights from one rounding of t.

    Examples
    ========

    >>> from symequiv.continuous.grid import Grid
    >>> g = LanczosShift()
    >>> g.kernel("1/2"), g.kernel("3/2"), g.kernel("5/2"), g.kernel(3)
    (225/368, -25/184, 9/368, 0)
    >>> g([0, 0, 6, 0, 0, 0], "1/2", Grid(0, 6, 6, periodic=True))
    Values([27/184, -75/92, 675/184, 675/184, -75/92, 27/184])
    >>> g([1, 2, 3, 4], 2, Grid(0, 4, 4)), LanczosShift(a=2)
    (Values([0, 0, 1, 2]), LanczosShift(a=2))

    Parameters
    ==========

    a : int
        The number of lobes (StyleGAN3 uses 3): 2a taps, w(u) = 0 for |u| >= a.
    """

    __slots__ = ("_a",)

    def __init__(self, a=3):
        value = exact_number(a, "a")
        if not value.is_Integer or value <= 0:
            raise InvalidArgument(f"Expected a positive whole number of lobes for a but got a={short_repr(a)}")
        self._a = int(value)

    @property
    def a(self):
        """The number of lobes, an int."""
        return self._a

    @property
    def radius(self):
        """a: w(u) = 0 whenever |u| >= a."""
        return self._a

    def _params(self):
        return () if self._a == 3 else (("a", self._a),)

    def kernel(self, u):
        """The exact normalised weight w(u) at a number ``u``, in cells.

        The weight of tap r at the fraction t is w(r - t); w(0) = 1, and
        w(u) = 0 at the other whole numbers and for |u| >= a.

        >>> LanczosShift(a=2).kernel("1/2"), LanczosShift().kernel("sqrt(3+2*sqrt(2)) - sqrt(2)")
        (9/16, 0)
        """
        u = exact_value(u, "u", names=_NAMES)
        if u.free_symbols:
            raise InvalidArgument(
                f"LanczosShift's kernel needs a number for u but got the expression u={u}: the normalisation "
                "depends on the cell u falls in; give u as a number, or shift values by a symbolic d"
            )
        whole, fraction = _split(u, "u")
        if fraction == 0:
            return sympy.S.One if whole == 0 else sympy.S.Zero
        if exact.sign(abs(u) - self._a) >= 0:
            return sympy.S.Zero
        # u = r - t with the tap r = floor(u) + 1 and 0 < t = r - u < 1.
        return dict(self._taps(0, 1 - fraction, 1, None))[whole + 1]

    def _offsets(self, m, t, grid):
        return tuple(range(1 - self._a, self._a + 1))

    def _taps(self, m, t, n, backend):
        q, total = _lanczos_q(t, self._a, backend)
        return [(r, v / total) for r, v in q]

    def _fraction(self, b, m, t, grid, backend):
        if backend:
            return super()._fraction(b, m, t, grid, backend)
        # Exact: one fraction per cell, (sum of q_r b_(j-m-r)) / sum q, reads better than a sum of ratios.
        q, total = _lanczos_q(t, self._a, None)
        return [_cell(b, j - m, q, grid, None) / total for j in range(grid.n)]

    def _symbolic(self, b, d, grid, backend):
        _require_exact(backend, d)
        a, taps = self._a, range(1 - self._a, self._a + 1)
        lanczos = {}

        def piece(j, m, variable, scale, base):
            if m not in lanczos:
                # sinc(0) = 1 and sinc(k pi) = 0 make these hold at t = 0, the left end of the piece.
                t = scale * variable + base
                lanczos[m] = [(r, sympy.sinc(sympy.pi * (r - t)) * sympy.sinc(sympy.pi * (r - t) / a)) for r in taps]
            weights = lanczos[m]
            return _cell(b, j - m, weights, grid, False) / sympy.Add(*[w for _, w in weights])

        return _by_whole_cells(d, grid, self._a, piece)


def _lanczos_q(t, a, backend):
    """The Lanczos taps of a shift by t cells (0 < t < 1) before normalising: ([(r, q_r)], sum q).

    q_r = (-1)^(r+1) sin(pi (r - t) / a) / (r - t)^2 for r = 1 - a .. a is
    sinc(r - t) sinc((r - t) / a) divided by a sin(pi t) / pi^2 > 0, which
    every tap shares, so q_r / sum q are StyleGAN3's normalised weights. Exact
    for ``backend`` None, else from one number of the backend for t (r - t is
    never 0, so no ball straddles a pole).
    """
    taps = range(1 - a, a + 1)
    if backend:
        u = backend.number(t)
        q = [backend.sinpi((r - u) / a) / ((r - u) * (r - u)) for r in taps]
    else:
        q = [sympy.sin(sympy.pi * (r - t) / a) / (r - t) ** 2 for r in taps]
    q = [(r, v if r % 2 else -v) for r, v in zip(taps, q)]  # the sign (-1)^(r+1)
    return q, _total([v for _, v in q], backend)


class FourierShift(DiscreteShift):
    """Shift by trigonometric (band-limited) interpolation on a periodic grid.

    The values are taken as samples of the trigonometric polynomial of lowest
    degree through them, which is then translated and sampled again:

        out_j = sum over m of b_m K(j - m - s),
        K(u) = (1/n) [1 + 2 sum_(k=1)^(ceil(n/2)-1) cos(2 pi k u / n) + c(u)],

    with c(u) = cos(pi u) for even n and 0 for odd n. Samples of a signal
    band-limited below the Nyquist frequency are shifted exactly.

    *The Nyquist mode* of an even grid, B (-1)^j / n with B = sum_m (-1)^m
    b_m, has no unique translate; ``nyquist`` chooses what it becomes:

    * ``"split"`` (the default): the Nyquist frequency is split evenly between
      +n/2 and -n/2 (the real part of the phase-shifted spectrum is kept), so
      it becomes B cos(pi (j - s)) / n, real values give real results, and a
      whole number of cells is exactly a roll.
    * ``"keep"``: the Nyquist mode is not shifted at all, it stays B (-1)^j / n,
      as in LPSDA's data augmentation (``fourier_shift`` in
      ``common/augmentation.py`` of brandstetter-johannes/LPSDA: the shift
      theorem on ``torch.fft.rfft`` with the Fourier modes
      ``arange(n // 2 + 1)`` and, for even n, the last mode set to 0; its
      shift ``eps`` is in units of the domain length, so eps = s / n, and
      its content moves by +eps, as here). Then out_j is the "split" value
      plus (1 - cos(pi s)) B (-1)^j / n, so at an odd number of cells
      it is not a roll (it is one at an even number). On an odd grid the two
      agree.

    At a number u, K(u) is used in closed form: sin(pi u) / (n sin(pi u / n))
    for odd n, sin(pi u) cot(pi u / n) / n for even n. On arb balls and mpmath
    numbers the circular sum is one polynomial product in flint, O(n log n)
    (rigorous for balls; mpmath values are multiplied as exact balls with 30
    guard bits and rounded once); exact values take O(n^2) sympy operations.

    Examples
    ========

    >>> from symequiv.continuous.grid import Grid
    >>> g = FourierShift()
    >>> g([1, 0], "1/2", Grid(0, 2, 2, periodic=True))
    Values([1/2, 1/2])
    >>> g([2, 0, 1, 0], 1, Grid(0, 4, 4, periodic=True))
    Values([0, 2, 0, 1])
    >>> g.kernel("1/2", 4)
    1/4 + sqrt(2)/4

    The Nyquist mode (-1)^j of four cells, moved by one cell: "split" turns
    it over, as a roll does; "keep" leaves it where it is:

    >>> ring = Grid(0, 4, 4, periodic=True)
    >>> g([1, -1, 1, -1], 1, ring), FourierShift(nyquist="keep")([1, -1, 1, -1], 1, ring)
    (Values([-1, 1, -1, 1]), Values([1, -1, 1, -1]))
    >>> FourierShift(nyquist="keep")([3, 1, 3, 1], "1/2", ring)
    Values([3, 1, 3, 1])

    The grid must be periodic:

    >>> g([1, 0], "1/2", Grid(0, 2, 2))
    Traceback (most recent call last):
        ...
    symequiv.errors.InvalidArgument: FourierShift needs a periodic grid but got Grid(0, 2, 2); use ...

    Parameters
    ==========

    nyquist : "split" or "keep"
        What becomes of the Nyquist mode of an even grid (keyword-only).
    """

    __slots__ = ("_nyquist",)

    def __init__(self, *, nyquist="split"):
        if not isinstance(nyquist, str) or nyquist not in ("split", "keep"):
            raise InvalidArgument(
                f"Expected nyquist='split' or nyquist='keep' but got nyquist={short_repr(nyquist)}"
            )
        self._nyquist = nyquist

    @property
    def nyquist(self):
        """``"split"`` or ``"keep"``: what the shift does with the Nyquist mode."""
        return self._nyquist

    def _params(self):
        return () if self._nyquist == "split" else (("nyquist", self._nyquist),)

    def _check_axis(self, periodic, where):
        if not periodic:
            raise InvalidArgument(
                f"FourierShift needs a periodic grid but got {where}; use Grid(..., periodic=True), "
                "or LinearShift, CubicShift or LanczosShift (zero extension) on a non-periodic grid"
            )

    def _keeps(self, n):
        """Whether a Nyquist mode is kept in place on n cells."""
        return self._nyquist == "keep" and n % 2 == 0

    def _rolls(self, m, n):
        return not (self._keeps(n) and m % 2)

    def kernel(self, u, n):
        """The exact weight K(u) of a grid of ``n`` cells, ``u`` in cells.

        A number gives a closed form; an expression gives the cosine sum.

        >>> FourierShift().kernel(3, 3), FourierShift().kernel(2, 3), FourierShift().kernel("1/2", 1)
        (1, 0, 1)

        With ``nyquist="keep"`` an even grid has no such kernel (the kept
        mode makes the weights depend on s, not on u = j - m - s alone); use
        :meth:`weights` there.
        """
        n = _cell_count(n)
        if self._keeps(n):
            raise InvalidArgument(
                f"FourierShift(nyquist='keep') has no kernel K(u) on an even grid (n={n}): the Nyquist mode it "
                "keeps in place makes the weights depend on the shift s, not on u = j - m - s alone; "
                "use weights(s, n, periodic=True)"
            )
        u = exact_value(u, "u", names=_NAMES)
        if u.free_symbols:
            return _cosine_kernel(u, n)
        return _dirichlet(u, n)

    def _taps(self, m, t, n, backend):
        # K has period n, so K(j - k - m - t) = K(r - t) with r = (j - m - k) mod n.
        exact_weights = not backend or t == 0
        if exact_weights:
            weights = [_dirichlet_closed(r - t, n) if t != 0 else sympy.S(int(r == 0)) for r in range(n)]
        else:
            weights = [_dirichlet_numeric(r - t, n, backend) for r in range(n)]
        if self._keeps(n):
            cos_t = sympy.cos(sympy.pi * t) if exact_weights else backend.cospi(backend.number(t))
            weights = _nyquist_kept(weights, m, cos_t, n)
        if exact_weights and backend:
            weights = [backend.number(w) for w in weights]
        return list(enumerate(weights))

    def _fraction(self, b, m, t, grid, backend):
        n = grid.n
        finite = backend is MPMATH and all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in b)
        fast = backend is ARB or finite
        if t == 0 or not fast:
            return super()._fraction(b, m, t, grid, backend)
        circular = _fast_circular(b, m, t, n, backend, self._keeps(n))
        return [circular[(j - m) % n] for j in range(n)]

    def _symbolic(self, b, d, grid, backend):
        _require_exact(backend, d)
        n = grid.n
        s = d / grid.dx
        # Expand K(j - m - s) by the angle-difference formula: each frequency k
        # then needs its two sums over the data once, not once per cell.
        frequencies = range(1, (n + 1) // 2)
        cosines, sines = {}, {}
        for k in frequencies:
            cosines[k] = sympy.Add(*[bm * sympy.cos(2 * sympy.pi * k * m / n) for m, bm in enumerate(b)])
            sines[k] = sympy.Add(*[bm * sympy.sin(2 * sympy.pi * k * m / n) for m, bm in enumerate(b)])
        mean = sympy.Add(*b) / n
        nyquist = sympy.Add(*[bm if m % 2 == 0 else -bm for m, bm in enumerate(b)]) / n
        out = []
        for j in range(n):
            terms = [mean]
            for k in frequencies:
                angle = 2 * sympy.pi * k * (j - s) / n
                terms.append(sympy.Rational(2, n) * (cosines[k] * sympy.cos(angle) + sines[k] * sympy.sin(angle)))
            if n % 2 == 0:
                terms.append(nyquist * (-1) ** j if self._keeps(n) else nyquist * sympy.cos(sympy.pi * (j - s)))
            out.append(sympy.Add(*terms))
        return out


def _nyquist_kept(weights, m, cos_t, n):
    """The weights w_r (r = 0..n-1, n even) of the shift by m + t cells with its Nyquist mode kept in place.

    Keeping the mode B (-1)^j / n instead of moving it to B cos(pi (j - s)) / n
    adds (1 - cos(pi s)) (-1)^(j - k) / n to the weight of b_k, and
    j - k = m + r mod n (n even keeps the parity); cos(pi s) = (-1)^m cos(pi t).
    """
    gap = ((1 - cos_t) if m % 2 == 0 else (1 + cos_t)) / n
    return [w + gap if (m + r) % 2 == 0 else w - gap for r, w in enumerate(weights)]


def _dirichlet(u, n):
    """K(u) on n cells at a number u, exact."""
    whole, fraction = _split(u, "u")
    if fraction == 0:
        # An exact identity of this kernel: K(u) = 1 if u = 0 mod n, else 0.
        # It is what makes a whole-cell Fourier shift exactly a roll.
        return sympy.S.One if whole % n == 0 else sympy.S.Zero
    return _dirichlet_closed(u, n)


def _dirichlet_closed(u, n):
    """K(u) on n cells at a number u that is not whole, exact."""
    if n % 2:
        return sympy.sin(sympy.pi * u) / (n * sympy.sin(sympy.pi * u / n))
    return sympy.sin(sympy.pi * u) * sympy.cot(sympy.pi * u / n) / n


def _dirichlet_numeric(u, n, backend):
    """K(u) on n cells at a non-integer number u, in a numeric backend."""
    # u and u/n are rounded once each from their exact values.
    ratio = backend.number(u / n)
    value = backend.sinpi(backend.number(u)) / (n * backend.sinpi(ratio))
    return value if n % 2 else value * backend.cospi(ratio)


def _ball_weights(m, t, n, keep):
    """The weights w_r (r = 0..n-1) of the shift by m + t cells as arb balls, from one ball of t."""
    ball = ARB.number(t)
    weights = _dirichlet_balls(ball, n)
    return _nyquist_kept(weights, m, ball.cos_pi(), n) if keep else weights


def _dirichlet_balls(ball, n):
    """K(r - t) for r = 0..n-1 as arb balls at flint's precision, 0 < t < 1 given as a ball.

    sin(pi (r - t)) = (-1)**(r + 1) sin(pi t): one sine for all n weights.
    """
    sine = ball.sin_pi() / n
    weights = []
    for r in range(n):
        ratio = (r - ball) / n  # in (-1/n, 1): never a whole number, so sin(pi ratio) != 0
        w = sine / ratio.sin_pi() if n % 2 else sine * ratio.cot_pi()
        weights.append(w if r % 2 else -w)
    return weights


def _fast_circular(b, m, t, n, backend, keep):
    """c_i = sum_k w_((i - k) mod n) b_k for balls or finite mpmath numbers, in O(n log n).

    w_r = K(r - t), with the Nyquist mode kept in place when ``keep``.

    The circular convolution is one product of polynomials in flint (rigorous
    for balls), folded mod x**n - 1. mpmath numbers are taken as exact balls
    and multiplied with 30 guard bits beyond mpmath's precision; each result
    is rounded once.
    """
    if backend is ARB:
        return _circular(_ball_weights(m, t, n, keep), [v if isinstance(v, flint.arb) else ARB.number(v) for v in b])
    saved = flint.ctx.prec
    flint.ctx.prec = mpmath.mp.prec + 30
    try:
        balls = [_exact_ball(v) for v in b]
        return [+mpf_of(c) for c in _circular(_ball_weights(m, t, n, keep), balls)]
    finally:
        flint.ctx.prec = saved


def _circular(w, b):
    """The circular convolution of two lists of n balls: sum_k w_((i - k) mod n) b_k."""
    n = len(b)
    product = (flint.arb_poly(w) * flint.arb_poly(b)).coeffs()
    product += [flint.arb(0)] * (2 * n - 1 - len(product))  # flint drops exact zero leading coefficients
    return [product[i] + product[i + n] if i + n < 2 * n - 1 else product[i] for i in range(n)]


def _exact_ball(value):
    """A finite mpmath number as an arb ball of radius 0."""
    sign, mantissa, exponent, _ = value._mpf_
    mantissa = int(mantissa)
    return flint.arb(flint.arf((-mantissa if sign else mantissa, int(exponent))))


def _total(terms, backend):
    """The sum of terms: sympy's Add on exact values, left to right in a backend."""
    if not backend:
        return sympy.Add(*terms)
    total = backend.zero()
    for term in terms:
        total += term
    return total


def _cosine_kernel(u, n):
    """K(u) on n cells as the cosine sum, valid for every real u."""
    terms = [sympy.S.One] + [2 * sympy.cos(2 * sympy.pi * k * u / n) for k in range(1, (n + 1) // 2)]
    if n % 2 == 0:
        terms.append(sympy.cos(sympy.pi * u))
    return sympy.Add(*terms) / n


def _cell_count(n):
    """``n`` checked as a number of cells: a positive int."""
    if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
        raise InvalidArgument(f"Expected a positive int for the number of cells but got n={short_repr(n)}")
    return n


def _cell(b, origin, weights, grid, backend):
    """sum over (r, c) in weights of c * b[origin - r], with the grid's boundary rule."""
    n = grid.n
    terms = []
    for r, c in weights:
        k = origin - r
        if grid.periodic:
            k %= n
        elif not 0 <= k < n:
            continue  # zero extension
        terms.append(c * b[k])
    return _total(terms, backend)


def _whole_cells(b, m, grid, zero):
    """The shift by the int m: a roll, or a shift with zero fill."""
    n = grid.n
    if grid.periodic:
        return [b[(j - m) % n] for j in range(n)]
    return [b[j - m] if 0 <= j - m < n else zero for j in range(n)]


def split_shift(d, dx):
    """The shift ``d`` in cells of width ``dx``, split: (m, t) with d / dx = m + t.

    m = floor(d / dx) is a Python int and t is exact with 0 <= t < 1, both
    decided rigorously (:func:`symequiv.numeric.exact.floor` and
    :func:`symequiv.numeric.exact.sign`), not read off a float. A shift that is a whole
    number of cells, in whatever exact form it is written, gives t =
    ``sympy.S.Zero`` itself, so ``t == 0`` tells whole from fractional shifts.

    >>> import sympy
    >>> split_shift(sympy.Rational(5, 4), sympy.Rational(1, 2))
    (2, 1/2)
    >>> split_shift("sqrt(3+2*sqrt(2)) - sqrt(2)", 1)
    (1, 0)
    >>> split_shift(-sympy.sqrt(2), 1)
    (-2, 2 - sqrt(2))

    Raises :class:`~symequiv.errors.InvalidArgument` for a symbolic d, a dx
    that is not positive, or a shift whose whole-cell part cannot be decided.
    """
    d = exact_value(d, "d", names=_NAMES)
    dx = exact_number(dx, "dx")
    if exact.sign(dx) <= 0:
        raise InvalidArgument(f"Expected a positive cell width but got dx={dx}")
    if d.free_symbols:
        raise InvalidArgument(f"Cannot tell which cell the shift d = {d} falls in; give d as a number")
    return _split(d / dx, "d/dx")


def _split(s, name):
    """(floor(s), s - floor(s)) for an exact number s, the fraction S.Zero when s is whole."""
    if s.free_symbols:
        raise InvalidArgument(f"Cannot tell which cell the shift {name} = {s} falls in; give d as a number")
    if s.is_Rational:
        m = int(sympy.floor(s))
        return m, s - m
    m = exact.floor(s)
    t = s - m
    try:
        whole = exact.sign(t) == 0
    except InvalidArgument:
        raise InvalidArgument(
            f"Cannot decide whether {name} = {short_str(s)} is a whole number of cells; "
            "give the shift as a rational multiple of dx"
        ) from None
    return m, (sympy.S.Zero if whole else t)


def _by_whole_cells(d, grid, radius, piece):
    """One ``Piecewise`` per cell for a symbolic shift d, in pieces of whole cells.

    While m <= s < m + 1 (s = d / dx), cell j is ``piece(j, m, variable,
    scale, base)``, where t = s - m = scale * variable + base is written in a
    variable that makes the conditions clean intervals. On a periodic grid s
    is first reduced to [0, n); on a non-periodic one, outside the
    ``radius`` cells around the grid, cell j reads only zeros.
    """
    n = grid.n
    if grid.periodic:
        # The result has period n cells in s: reduce d to [0, length) once.
        variable, slope, offset = sympy.Mod(d, grid.length), sympy.S.One, sympy.S.Zero
    else:
        variable, slope, offset = _linear_form(d)
    # s = d / dx = scale * variable + start, with numbers scale != 0 and start.
    scale, start = slope / grid.dx, offset / grid.dx

    def below(m):
        # s < m, solved for the variable.
        edge = (m - start) / scale
        return variable < edge if exact.sign(scale) > 0 else variable > edge

    def cell(j, m):
        return piece(j, m, variable, scale, start - m)

    if grid.periodic:
        return [
            _piecewise([(cell(j, m), below(m + 1)) for m in range(n - 1)] + [(cell(j, n - 1), True)])
            for j in range(n)
        ]
    out = []
    for j in range(n):
        # Outside first <= s < last + 1, cell j only sees the zeros beyond the edges.
        first, last = j - n + 1 - radius, j + radius - 1
        pieces = [(sympy.S.Zero, below(first))]
        pieces += [(cell(j, m), below(m + 1)) for m in range(first, last + 1)]
        out.append(_piecewise(pieces + [(sympy.S.Zero, True)]))
    return out


def _linear_form(d):
    """(variable, slope, offset) with d = slope * variable + offset, slope and offset numbers.

    The variable is d's symbol when d is linear in one symbol (so that
    conditions come out as clean intervals in it), else d itself.
    """
    if len(d.free_symbols) == 1:
        (symbol,) = d.free_symbols
        slope = d.diff(symbol)
        offset = sympy.expand(d - slope * symbol)
        if slope.is_number and not offset.free_symbols and exact.is_zero(slope) is False:
            return symbol, slope, offset
    return d, sympy.S.One, sympy.S.Zero


def _piecewise(pieces):
    """A Piecewise from (expr, condition) pairs, merging neighbours with equal expressions."""
    merged = []
    for expr, condition in pieces:
        if merged and merged[-1][0] == expr:
            merged[-1] = (expr, condition)  # the later, wider condition covers both
        else:
            merged.append((expr, condition))
    return sympy.Piecewise(*merged)


def _require_exact(backend, d):
    if backend is not None:
        raise InvalidArgument(
            f"A symbolic shift d={d} needs exact values but got mpmath numbers; "
            "pass sympy numbers (or ints, fractions, strings), or give d as a number"
        )


def _checked_grid(grid):
    if not isinstance(grid, Grid):
        raise InvalidType(
            f"Expected a symequiv Grid for grid but got {type(grid).__name__}: {short_repr(grid)}; "
            "build one with Grid(start, stop, n)"
        )
    return grid
