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

from .blackbox import BlackBox, torch_op
from .check import Sweep, check_commutation, check_integer_shift, sweep
from .discretize import CellAverage, Discretizer, PointSample
from .errors import (
    BudgetExceeded,
    ExpressionError,
    GridMismatch,
    InvalidArgument,
    InvalidType,
    SymequivError,
    UnsupportedSignal,
)
from .grid import Grid
from .layers import Conv, Identity, Layer, LeakyReLU, ReLU, Sequential, Tanh
from .shifts import CubicShift, DiscreteShift, FourierShift, IntegerShift, LinearShift
from .signal import Signal
from .symbols import delta, x
from .values import ClosedForm, Values
from .verdict import Verdict
from .witness import Witness, witness

__all__ = [
    # continuous side
    "Grid",
    "Signal",
    "x",
    "delta",
    # discretizations
    "Discretizer",
    "CellAverage",
    "PointSample",
    "Values",
    "ClosedForm",
    # discrete shifts g^h
    "DiscreteShift",
    "IntegerShift",
    "LinearShift",
    "CubicShift",
    "FourierShift",
    # layers
    "Layer",
    "Conv",
    "ReLU",
    "LeakyReLU",
    "Tanh",
    "Identity",
    "Sequential",
    # a user's own layer (numpy callables, torch modules)
    "BlackBox",
    "torch_op",
    # the checker
    "Verdict",
    "check_integer_shift",
    "check_commutation",
    "sweep",
    "Sweep",
    "witness",
    "Witness",
    # errors
    "SymequivError",
    "InvalidArgument",
    "InvalidType",
    "ExpressionError",
    "UnsupportedSignal",
    "GridMismatch",
    "BudgetExceeded",
]
