"""Black-box ops: a user's numpy layer checked numerically, against the same layer built from Conv."""

import mpmath
import numpy
import pytest

import symequiv as se
from symequiv.blackbox import BlackBox, torch_op
from symequiv.errors import GridMismatch, InvalidArgument, InvalidType


def numpy_edge_layer(b):
    """The paper's edge detector, circular padding, in plain numpy float64: y_j = relu(2 b_(j+1) - 2 b_j - 1)."""
    return numpy.maximum(0.0, 2 * numpy.roll(b, -1) - 2 * b - 1)


def generic_edge_layer(b):
    """The same layer written so it also runs on object arrays of mpmath numbers."""
    y = 2 * numpy.roll(b, -1) - 2 * b - 1
    return numpy.array([v if v > 0 else 0 * v for v in y], dtype=object)


EXACT_LAYER = se.Conv([2, -2], origin=1, bias=-1, padding="circular") >> se.ReLU()
GRID = se.Grid(0, 1, 8, periodic=True)
SIGNAL = se.Signal("2*sin(2*pi*x)", period=1)


def test_numpy_layer_passes_integer_shifts_in_float64():
    verdict = se.check_integer_shift(se.CellAverage(GRID), SIGNAL, 3, numpy_edge_layer)
    assert verdict.holds is None and verdict.method == "numeric"
    assert verdict.within_tolerance is True
    assert verdict.dps == 15 and any("float64" in note for note in verdict.notes)
    exact = se.check_integer_shift(se.CellAverage(GRID), SIGNAL, 3, EXACT_LAYER)
    assert exact.holds is True  # the same layer from Conv: proved


def test_numpy_layer_fails_sub_pixel_shifts_like_the_exact_layer():
    D = se.CellAverage(GRID)
    box = se.check_commutation(D, SIGNAL, "1/16", se.LinearShift(), op=numpy_edge_layer)
    exact = se.check_commutation(D, SIGNAL, "1/16", se.LinearShift(), op=EXACT_LAYER)
    assert exact.holds is False
    assert box.holds is None and box.within_tolerance is False
    # the black box's residuals agree with the exact verdict's to float64 accuracy
    for a, b in zip(box.residual, exact.residual):
        assert abs(a - b) < 1e-12


def test_a_layer_that_takes_mpmath_arrays_runs_at_full_precision():
    D = se.CellAverage(GRID)
    verdict = se.check_integer_shift(D, SIGNAL, 2, generic_edge_layer, dps=60)
    assert verdict.dps == 60 and any("mpmath at 60 digits" in note for note in verdict.notes)
    assert verdict.within_tolerance is True and verdict.tolerance < mpmath.mpf(10) ** -50
    box = se.check_commutation(D, SIGNAL, "1/16", se.LinearShift(), op=generic_edge_layer, dps=60)
    exact = se.check_commutation(D, SIGNAL, "1/16", se.LinearShift(), op=EXACT_LAYER, dps=60)
    with mpmath.workdps(60):
        for a, b in zip(box.residual, exact.residual):
            assert abs(a - b) < mpmath.mpf(10) ** -55


def test_sweep_with_a_black_box():
    result = se.sweep(se.CellAverage(GRID), SIGNAL, ["0", "1/32", "1/8"], se.LinearShift(), op=numpy_edge_layer,
                      progress=False)
    assert [v.within_tolerance for v in result] == [True, False, True]


def test_non_periodic_grids_say_the_black_boxs_boundary_is_unknown():
    verdict = se.check_integer_shift(se.CellAverage(se.Grid(-1, 1, 4)), se.Signal("Heaviside(x)"), 1,
                                     lambda b: numpy.maximum(0.0, 2 * numpy.append(b[1:], 0.0) - 2 * b - 1),
                                     cells=[1, 2])
    assert verdict.within_tolerance is True and verdict.cells == (1, 2)
    assert any("restrict the comparison with cells=" in note for note in verdict.notes)


def test_bad_black_boxes():
    D = se.CellAverage(GRID)
    with pytest.raises(GridMismatch, match="keep the length"):
        se.check_integer_shift(D, SIGNAL, 1, lambda b: b[:-1])
    with pytest.raises(InvalidArgument, match="shape"):
        se.check_integer_shift(D, SIGNAL, 1, lambda b: numpy.stack([b, b]))
    with pytest.raises(InvalidArgument, match="raised ZeroDivisionError"):
        se.check_integer_shift(D, SIGNAL, 1, lambda b: 1 / 0)
    with pytest.raises(InvalidArgument, match="nan"):
        se.check_integer_shift(D, SIGNAL, 1, lambda b: b * numpy.nan)
    with pytest.raises(InvalidType, match="callable"):
        se.check_integer_shift(D, SIGNAL, 1, "relu")
    assert repr(BlackBox(numpy_edge_layer)) == "BlackBox('numpy_edge_layer')"


def test_torch_adapter():
    torch = pytest.importorskip("torch", reason="torch is not installed; the adapter is tested where it is")
    conv = torch.nn.Conv1d(1, 1, 2, bias=False, padding=0, dtype=torch.float64)
    with torch.no_grad():
        conv.weight[:] = torch.tensor([[[-2.0, 2.0]]], dtype=torch.float64)

    class Edge(torch.nn.Module):
        def forward(self, x):
            return torch.relu(conv(torch.nn.functional.pad(x, (0, 1), mode="circular")) - 1)

    verdict = se.check_integer_shift(se.CellAverage(GRID), SIGNAL, 3, torch_op(Edge()))
    assert verdict.within_tolerance is True


class _NoFloat(float):
    def __float__(self):
        raise ZeroDivisionError("no float for you")


@pytest.mark.parametrize(
    "op, match",
    [
        (lambda b: [10**400] * len(b), "not a float64 number"),
        (lambda b: [_NoFloat(1.0)] * len(b), "not a float64 number"),
        (lambda b: [[1.0, 2.0], [3.0]] * (len(b) // 2), "not a float64 number"),
    ],
    ids=["huge int", "hostile __float__", "ragged"],
)
def test_a_black_box_returning_unusable_numbers_is_bad_input(op, match):
    D = se.CellAverage(se.Grid(0, 1, 4, periodic=True))
    with pytest.raises(InvalidArgument, match=match):
        se.check_integer_shift(D, se.Signal("sin(2*pi*x)", period=1), 1, op=op)
