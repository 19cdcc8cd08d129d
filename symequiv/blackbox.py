"""Black-box ops: a user's own layer, checked numerically.

Any Python callable that maps a 1-D array of numbers to a 1-D array of the
same length (a numpy layer, a torch module through :func:`torch_op`) can be
the ``op`` of :func:`~symequiv.check_integer_shift`,
:func:`~symequiv.check_commutation` and :func:`~symequiv.sweep`.

It is run in float64, and in mpmath at the check's ``dps`` digits when it
accepts a numpy array of ``mpmath.mpf`` (``dtype=object``) and returns mpf
numbers. Its verdicts are always **numeric** (``holds=None``): symequiv
cannot see inside the callable, so it can neither prove an equality nor
certify an inequality. Each verdict states the precision used and a
tolerance, 1024 units in the last place of the largest magnitude involved;
a bound within the tolerance is numeric evidence of equality, a bound far
above it numeric evidence of inequality, never more. The black box's own
boundary cells (its padding) are unknown to symequiv: restrict the comparison
with ``cells=`` on a non-periodic grid.

>>> import numpy
>>> from symequiv.blackbox import BlackBox
>>> box = BlackBox(lambda b: 2 * b - numpy.roll(b, 1), name="difference")
>>> box
BlackBox('difference')
>>> box.run_float64([1, 2, 4])
[mpf('-2.0'), mpf('3.0'), mpf('6.0')]
"""

import mpmath
import numpy

from .errors import GridMismatch, InvalidArgument, InvalidType, short_repr

__all__ = ["BlackBox", "torch_op", "ULPS"]

#: The tolerance of a black-box comparison, in units in the last place of the
#: largest magnitude involved.
ULPS = 1024


class BlackBox:
    """A callable op run numerically, in float64 and, where it can, in mpmath.

    Parameters
    ==========

    function : callable
        Maps a 1-D numpy array to a 1-D array of the same length.
    name : str, optional
        How the op is named in verdicts (default: the function's name).
    """

    __slots__ = ("function", "name", "_takes_mpmath")

    def __init__(self, function, *, name=None):
        if isinstance(function, BlackBox):
            function, name = function.function, name or function.name
        if not callable(function):
            raise InvalidType(f"Expected a callable op (array -> array) but got {short_repr(function)}")
        if name is not None and not isinstance(name, str):
            raise InvalidType(f"Expected a str name but got {short_repr(name)}")
        self.function = function
        self.name = name or getattr(function, "__name__", type(function).__name__)
        self._takes_mpmath = None

    def __repr__(self):
        return f"BlackBox({self.name!r})"

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

    def run_float64(self, values):
        """The op in float64; its outputs as exact mpmath numbers (each float's exact value)."""
        array = numpy.array([float(v) for v in values], dtype=numpy.float64)
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

    def run_mpmath(self, values):
        """The op on an object array of mpf at the current precision, or None if it cannot run so.

        It counts as running in mpmath only when every output is an mpf (a
        float among them would mean the precision was lost inside).
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
    """ULPS units in the last place (at ``bits`` of precision) of the largest magnitude."""
    largest = max([mpmath.mpf(1)] + [abs(m) for m in magnitudes])
    return ULPS * largest * mpmath.ldexp(mpmath.mpf(1), 1 - bits)


def torch_op(module, *, dtype="float64"):
    """A torch module (input shaped (batch, channels, n)) as a :class:`BlackBox`.

    The cell values go in as a float64 tensor of shape (1, 1, n); the output
    must have n values. Needs torch (``pip install torch``); float64 only.
    """
    try:
        import torch
    except ImportError:
        raise InvalidArgument("torch_op needs torch, which is not installed") from None
    torch_dtype = getattr(torch, dtype)

    def run(array):
        tensor = torch.as_tensor(numpy.asarray(array, dtype=numpy.float64), dtype=torch_dtype).reshape(1, 1, -1)
        with torch.no_grad():
            return module(tensor).reshape(-1).detach().cpu().numpy()

    return BlackBox(run, name=type(module).__name__)
