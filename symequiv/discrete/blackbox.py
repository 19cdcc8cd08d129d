"""Black-box ops: a user's own layer, checked numerically.

Any Python callable that maps a 1-D array of numbers to a 1-D array of the
same length (a numpy layer, a torch module through :func:`torch_op`) can be
the ``op`` of :func:`~symequiv.check_integer_shift`,
:func:`~symequiv.check_commutation` and :func:`~symequiv.sweep`.

It is run in its floating-point dtype (float64 unless it says otherwise:
``BlackBox(f, dtype="float32")``, ``torch_op(module, dtype=torch.float32)``),
and, for a float64 op, in mpmath at the check's ``dps`` digits when it
accepts a numpy array of ``mpmath.mpf`` (``dtype=object``) and returns mpf
numbers. Its verdicts are always **numeric** (``holds=None``): symequiv
cannot see inside the callable, so it can neither prove an equality nor
certify an inequality. Each verdict states the precision used and a
tolerance, 1024 units in the last place (of the op's dtype: 53 bits for
float64, 24 for float32) of the largest magnitude involved; a bound within
the tolerance is numeric evidence of equality, a bound far above it numeric
evidence of inequality, never more. The black box's own boundary cells (its
padding) are unknown to symequiv: restrict the comparison with ``cells=`` on
a non-periodic grid.

>>> import numpy
>>> from symequiv.discrete.blackbox import BlackBox
>>> box = BlackBox(lambda b: 2 * b - numpy.roll(b, 1), name="difference")
>>> box
BlackBox('difference')
>>> box.bits
53
>>> box.run_float([1, 2, 4])
[mpf('-2.0'), mpf('3.0'), mpf('6.0')]
>>> box(numpy.array([1.0, 2.0, 4.0]))  # a black box is itself a callable op
array([-2.,  3.,  6.])
>>> BlackBox(box, dtype="float32")
BlackBox('difference', dtype='float32')
"""

import copy

import mpmath
import numpy

from ..errors import GridMismatch, InvalidArgument, InvalidType, short_repr

__all__ = ["BlackBox", "torch_op", "tolerance", "ULPS", "DTYPE_BITS"]

#: The tolerance of a black-box comparison, in units in the last place of the
#: largest magnitude involved.
ULPS = 1024

#: The floating-point dtypes a black box can run in, and their precision in
#: bits (significand bits, the implicit one included). Half precisions are
#: left out: 1024 units in their last place would be the magnitude itself.
DTYPE_BITS = {"float64": 53, "float32": 24}


def _dtype_name(dtype):
    """The name in DTYPE_BITS of a dtype given as a str, a numpy dtype (or type) or a torch dtype."""
    if isinstance(dtype, str):
        name = dtype
    elif isinstance(dtype, (numpy.dtype, type)):
        try:
            name = numpy.dtype(dtype).name
        except TypeError:
            name = dtype.__name__
    elif type(dtype).__module__ == "torch":  # torch.float32 prints as "torch.float32"
        name = str(dtype).removeprefix("torch.")
    else:
        raise InvalidType(f"Expected a dtype such as 'float32' or torch.float32 but got dtype={short_repr(dtype)}")
    if name not in DTYPE_BITS:
        raise InvalidArgument(
            f"Expected dtype float64 or float32 but got dtype={short_repr(dtype)} (a black box is compared "
            "within 1024 units in the last place of its floating-point dtype; float16 and bfloat16 are too coarse)"
        )
    return name


class BlackBox:
    """A callable op run numerically: in its dtype and, for float64, in mpmath where it can.

    A black box is itself a callable op (``box(array)`` calls the function),
    so it can be passed wherever an ``op`` is expected; wrapping a black box
    again keeps its function, name and dtype.

    Parameters
    ==========

    function : callable
        Maps a 1-D numpy array to a 1-D array of the same length.
    name : str, optional
        How the op is named in verdicts (default: the function's name).
    dtype : str or a numpy or torch dtype, optional
        The floating-point type the function computes in, ``"float64"``
        (default) or ``"float32"``: its input array has that dtype, and the
        tolerance of a check is 1024 units in its last place
        (:attr:`bits`). Only a float64 op is also tried on mpmath numbers.
    """

    __slots__ = ("function", "name", "dtype", "_takes_mpmath")

    def __init__(self, function, *, name=None, dtype=None):
        if isinstance(function, BlackBox):
            function, name, dtype = function.function, name or function.name, dtype or function.dtype
        if not callable(function):
            raise InvalidType(f"Expected a callable op (array -> array) but got {short_repr(function)}")
        if name is not None and not isinstance(name, str):
            raise InvalidType(f"Expected a str name but got {short_repr(name)}")
        self.function = function
        self.name = name or getattr(function, "__name__", type(function).__name__)
        self.dtype = _dtype_name("float64" if dtype is None else dtype)
        self._takes_mpmath = None if self.dtype == "float64" else False

    @property
    def bits(self):
        """The precision of the op's dtype in bits: 53 for float64, 24 for float32."""
        return DTYPE_BITS[self.dtype]

    def __repr__(self):
        if self.dtype == "float64":
            return f"BlackBox({self.name!r})"
        return f"BlackBox({self.name!r}, dtype={self.dtype!r})"

    def __call__(self, array):
        """The function on ``array``, as it is (no conversion, no checks)."""
        return self.function(array)

    def _call(self, array):
        try:
            return self.function(array)
        except Exception as exc:  # the user's code: report it as bad input, with what it raised
            raise InvalidArgument(f"The black-box op {self.name} raised {type(exc).__name__}: {exc}") from None

    def _checked(self, result, n):
        try:
            out = numpy.asarray(result, dtype=object)
        except Exception as exc:  # a ragged or hostile result of the user's code
            raise InvalidArgument(
                f"The black-box op {self.name} returned {short_repr(result)}, not a 1-D array ({type(exc).__name__})"
            ) from None
        if out.ndim != 1:
            raise InvalidArgument(f"The black-box op {self.name} returned an array of shape {out.shape}; expected 1-D")
        if len(out) != n:
            raise GridMismatch(f"The black-box op {self.name} returned {len(out)} values for {n} inputs; "
                               "a black box must keep the length")
        return out

    def run_float(self, values):
        """The op in its dtype (float64 or float32); its outputs as exact mpmath numbers (each float's exact value).

        The inputs are rounded to the dtype, the outputs read as float64
        (exactly, for a float32 output).
        """
        array = numpy.array([float(v) for v in values], dtype=numpy.float64).astype(self.dtype)
        out = self._checked(self._call(array), len(array))
        result = []
        for j, v in enumerate(out):
            try:
                number = float(v)
            except Exception as exc:  # the user's number type: OverflowError for 10**400, anything from __float__
                raise InvalidArgument(f"The black-box op {self.name} returned {short_repr(v)} at index {j}, "
                                      f"which is not a float64 number ({type(exc).__name__})") from None
            if not numpy.isfinite(number):
                raise InvalidArgument(f"The black-box op {self.name} returned {number} at index {j}")
            with mpmath.workprec(53):
                result.append(mpmath.mpf(number))
        return result

    #: The name the checker used before float32 ops existed; the same method.
    run_float64 = run_float

    def run_mpmath(self, values):
        """The op on an object array of mpf at the current precision, or None if it cannot run so.

        It counts as running in mpmath only when every output is an mpf (a
        float among them would mean the precision was lost inside). A
        float32 op is never run so: None.
        """
        if self._takes_mpmath is False:
            return None
        array = numpy.array(list(values), dtype=object)
        try:
            out = self._checked(self.function(array), len(array))
        except (GridMismatch, InvalidArgument):
            raise
        except Exception:  # it does not accept object arrays: float64 only
            self._takes_mpmath = False
            return None
        if not all(isinstance(v, mpmath.mpf) for v in out):
            self._takes_mpmath = False
            return None
        self._takes_mpmath = True
        if not all(mpmath.isfinite(v) for v in out):
            raise InvalidArgument(f"The black-box op {self.name} returned a non-finite value")
        return list(out)


def tolerance(magnitudes, bits):
    """ULPS units in the last place (at ``bits`` of precision) of the largest magnitude.

    ``bits`` is the precision the op ran at: :attr:`BlackBox.bits` (53 for
    float64, 24 for float32) or the working precision of an mpmath run.

    >>> from symequiv.discrete.blackbox import tolerance
    >>> tolerance([2, -3], 53) == 1024 * 3 * 2.0**-52
    True
    >>> float(tolerance([0.5], 24))  # at least 1024 ulps of 1
    0.0001220703125
    """
    largest = max([mpmath.mpf(1)] + [abs(m) for m in magnitudes])
    return ULPS * largest * mpmath.ldexp(mpmath.mpf(1), 1 - bits)


class _TorchModule:
    """A torch module as an array -> array function (module level, so a process pool can pickle it)."""

    def __init__(self, module, dtype, device):
        self.module, self.dtype, self.device = module, dtype, device

    def __call__(self, array):
        import torch

        array = numpy.asarray(array)
        if array.dtype == object:
            raise TypeError("a torch module runs in its dtype, not on mpmath numbers")
        tensor = torch.as_tensor(array, dtype=self.dtype, device=self.device).reshape(1, 1, -1)
        with torch.no_grad():
            out = self.module(tensor)
        return out.detach().to("cpu").reshape(-1).numpy()


def _module_tensors(module):
    """The module's floating-point parameters and buffers (none for a plain function)."""
    tensors = []
    for method in ("parameters", "buffers"):
        try:
            tensors.extend(t for t in getattr(module, method)() if t.is_floating_point())
        except (AttributeError, TypeError):  # not a torch.nn.Module
            pass
    return tensors


def torch_op(module, *, dtype="float64", device=None):
    """A torch module, or any function of a torch tensor, as a :class:`BlackBox`.

    Axis mapping: the n cell values of a 1-D grid go in as one tensor of
    shape (1, 1, n), that is N x C x L with batch N = 1, channels C = 1 and
    length L = n, the layout of ``torch.nn.Conv1d``; cell j is
    ``tensor[0, 0, j]``. The output must have n elements (shape (1, 1, n),
    or any shape with n elements), read back in order.

    Parameters
    ==========

    module : torch.nn.Module or callable
        Run under ``torch.no_grad()`` in its current mode (call
        ``module.eval()`` first if it has dropout or batch norm).
    dtype : torch.float64 (default) or torch.float32
        (or the strings ``"float64"``, ``"float32"``.) The input tensor's
        dtype and the black box's :attr:`~BlackBox.dtype`: a check's
        tolerance is 1024 units in the last place of float64 (53 bits) or
        float32 (24 bits). A module whose parameters are in another dtype is
        run as a converted copy (``copy.deepcopy(module).to(dtype)``); the
        module itself is never changed. The default runs even a float32
        model in float64, so that the test's own rounding is never the error
        source (as e3nn does); float32 checks the model as it runs.
    device : str or torch.device, optional
        Where it runs (``"cpu"``, ``"cuda"``...): default, where its
        parameters are (the CPU for a module without any). A module on
        another device is run as a moved copy.

    Needs torch (``pip install torch``, part of ``symequiv[test]``).

    >>> import torch
    >>> from symequiv.discrete.blackbox import torch_op
    >>> conv = torch.nn.Conv1d(1, 1, 3, padding=1, padding_mode="circular", bias=False)
    >>> with torch.no_grad():
    ...     _ = conv.weight.copy_(torch.tensor([[[1.0, -2.0, 1.0]]]))
    >>> box = torch_op(conv, dtype=torch.float32)
    >>> box, box.bits
    (BlackBox('Conv1d', dtype='float32'), 24)
    >>> box.run_float([0, 1, 4, 9])
    [mpf('10.0'), mpf('2.0'), mpf('2.0'), mpf('-14.0')]
    """
    try:
        import torch
    except ImportError:
        raise InvalidArgument("torch_op needs torch, which is not installed (pip install torch)") from None
    if not callable(module):
        raise InvalidType(f"Expected a torch module (or a function of a tensor) but got {short_repr(module)}")
    name = _dtype_name(dtype)
    torch_dtype = getattr(torch, name)
    tensors = _module_tensors(module)
    if device is None:
        torch_device = tensors[0].device if tensors else torch.device("cpu")
    else:
        try:
            torch_device = torch.device(device)
        except (RuntimeError, TypeError) as exc:
            raise InvalidArgument(f"Expected a torch device such as 'cpu' but got device={short_repr(device)} "
                                  f"({exc})") from None
    if any(t.dtype != torch_dtype or t.device != torch_device for t in tensors):
        try:
            module = copy.deepcopy(module).to(dtype=torch_dtype, device=torch_device)
        except Exception as exc:  # no such device here (no CUDA), or a module that cannot be copied
            raise InvalidArgument(f"Cannot run {type(module).__name__} in {name} on {torch_device}: "
                                  f"{type(exc).__name__}: {exc}") from None
    label = getattr(module, "__name__", None) if not isinstance(module, torch.nn.Module) else None
    return BlackBox(_TorchModule(module, torch_dtype, torch_device), name=label or type(module).__name__, dtype=name)
