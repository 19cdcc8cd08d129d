"""symequiv: exact checks of shift and translation equivariance.

Discrete convolution layers are equivariant to whole-cell shifts but not to
continuous translations, because a discretization loses information. symequiv
represents signals, discretizations, discrete shifts and layers exactly (sympy)
and evaluates them at high precision (mpmath).

>>> import symequiv as se
>>> D = se.CellAverage(se.Grid(-1, 1, 4))
>>> H = se.Signal("Heaviside(x)")
>>> D(H), D(H.shifted(D.grid.dx / 2))
(Values([0, 0, 1, 1]), Values([0, 0, 1/2, 1]))
"""

__version__ = "0.1.0"

from .errors import (
    ExpressionError,
    GridMismatch,
    InvalidArgument,
    InvalidType,
    SymequivError,
    UnsupportedSignal,
)
from .discretize import CellAverage, Discretizer, PointSample
from .grid import Grid
from .signal import Signal
from .symbols import delta, x
from .values import ClosedForm, Values

__all__ = [
    "CellAverage",
    "ClosedForm",
    "Discretizer",
    "PointSample",
    "Signal",
    "ExpressionError",
    "Grid",
    "GridMismatch",
    "InvalidArgument",
    "InvalidType",
    "SymequivError",
    "UnsupportedSignal",
    "Values",
    "delta",
    "x",
]
