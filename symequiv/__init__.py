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

The subpackages follow the data flow of a check, and a module imports only
from its own layer and those below it:

* :mod:`symequiv.numeric`: exact numbers, the safe parser, balls, backends, budgets;
* :mod:`symequiv.continuous`: grids, signals, checked antiderivatives, piecewise functions;
* :mod:`symequiv.discrete`: discretizers, values, discrete shifts, layers, black boxes;
* :mod:`symequiv.judge`: checks, witnesses, verdicts, their rules and renderings;
* :mod:`symequiv.output`: reports, figures, the proofs runner, the command line;
* :mod:`symequiv.testing` and :mod:`symequiv.strategies`: for users' test suites.

Every public name is importable from ``symequiv`` itself.
"""

__version__ = "0.1.0"

from .discrete.blackbox import BlackBox, torch_op
from .judge.check import Sweep, check_commutation, check_integer_shift, sweep
from .discrete.discretize import CellAverage, Discretizer, PointSample
from .errors import (
    BudgetExceeded,
    ExpressionError,
    GridMismatch,
    InvalidArgument,
    InvalidType,
    SymequivError,
    UnsupportedSignal,
)
from .continuous.grid import Grid
from .discrete.layers import Conv, Identity, Layer, LeakyReLU, ReLU, Sequential, Tanh
from .discrete.shifts import CubicShift, DiscreteShift, FourierShift, IntegerShift, LanczosShift, LinearShift
from .continuous.signal import Signal
from .continuous.symbols import delta, delta_x, delta_y, x, y
from .discrete.values import ClosedForm, Values
from .judge.verdict import Verdict
from .judge.witness import Witness, witness

__all__ = [
    # continuous side
    "Grid",
    "Signal",
    "x",
    "y",
    "delta",
    "delta_x",
    "delta_y",
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
    "LanczosShift",
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
