"""Black-box ops: a user's numpy layer checked numerically, against the same layer built from Conv."""

import os
import pickle

import mpmath
import numpy
import pytest

import symequiv as se
from symequiv.discrete.blackbox import BlackBox, tolerance, torch_op
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


# ------------------------------------------------------------- dtype, calls --


def test_a_black_box_is_itself_a_callable_op():
    box = BlackBox(numpy_edge_layer)
    assert numpy.array_equal(box(numpy.arange(4.0)), numpy_edge_layer(numpy.arange(4.0)))
    verdict = se.check_integer_shift(se.CellAverage(GRID), SIGNAL, 3, box)  # was refused: "not callable"
    assert verdict.within_tolerance is True and "BlackBox('numpy_edge_layer')" in verdict.claim
    verdict = se.check_commutation(se.CellAverage(GRID), SIGNAL, "1/16", se.LinearShift(), op=box)
    assert verdict.within_tolerance is False


def test_a_black_box_runs_in_its_dtype():
    seen = []

    def spy(b):
        seen.append(b.dtype)
        return b

    assert BlackBox(spy).bits == 53 and BlackBox(spy).dtype == "float64"
    box = BlackBox(spy, dtype="float32")
    assert box.bits == 24 and repr(box) == "BlackBox('spy', dtype='float32')"
    assert BlackBox(box).dtype == "float32" and BlackBox(box, name="again").bits == 24  # re-wrapping keeps it
    assert box.run_float(["0.1"]) == [mpmath.mpf(float(numpy.float32(0.1)))]  # rounded to float32, read exactly
    assert box.run_mpmath([mpmath.mpf(1)]) is None and seen == [numpy.float32]  # a float32 op never sees mpf
    for dtype in (numpy.float32, numpy.dtype("float32"), "float32"):
        assert BlackBox(spy, dtype=dtype).bits == 24
    assert BlackBox(spy, dtype=float).bits == 53
    with pytest.raises(InvalidArgument, match="float64 or float32 but got dtype='float16'"):
        BlackBox(spy, dtype="float16")
    with pytest.raises(InvalidType, match="dtype=3"):
        BlackBox(spy, dtype=3)


def test_the_tolerance_function_follows_the_bits():
    assert tolerance([3], 53) == 1024 * 3 * mpmath.mpf(2) ** -52
    assert tolerance([3], 24) == 1024 * 3 * mpmath.mpf(2) ** -23
    assert tolerance([mpmath.mpf("0.001")], 24) == 1024 * mpmath.mpf(2) ** -23  # never below 1024 ulps of 1


# ------------------------------------------------------------------ torch --


@pytest.fixture(scope="module")
def torch():
    """torch, part of the test extra: it must be there in CI, where a missing torch fails instead of skipping."""
    try:
        import torch
    except ImportError:
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail("torch is not installed in CI: the test command installs it, python -m pip install '.[test]'")
        pytest.skip("torch is not installed (python -m pip install '.[test]' installs it; CI runs these tests)")
    return torch


DTYPES = ["float32", "float64"]
WEIGHTS, BIAS = [0.25, 0.5, -0.75], 0.125  # binary fractions: exact in float32 and float64
#: The same layer, exact: torch's Conv1d is a correlation, padding 1 = origin 1.
EXACT_CONV = se.Conv(WEIGHTS, origin=1, bias=BIAS, mode="correlation", padding="circular")


def circular_conv1d(torch, dtype):
    """torch.nn.Conv1d(1, 1, 3) with circular padding, in ``dtype``, with WEIGHTS and BIAS."""
    conv = torch.nn.Conv1d(1, 1, 3, padding=1, padding_mode="circular", dtype=getattr(torch, dtype))
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([[WEIGHTS]]))
        conv.bias.fill_(BIAS)
    return conv


@pytest.mark.parametrize("dtype", DTYPES)
def test_torch_conv1d_with_circular_padding_is_equivariant_to_integer_shifts(torch, dtype):
    box = torch_op(circular_conv1d(torch, dtype), dtype=getattr(torch, dtype))  # torch.float32 was a TypeError
    assert box.dtype == dtype and box.bits == {"float32": 24, "float64": 53}[dtype]
    for n in (1, 3, -2):
        verdict = se.check_integer_shift(se.CellAverage(GRID), SIGNAL, n, box)
        assert verdict.holds is None and verdict.method == "numeric"
        assert verdict.within_tolerance is True and verdict.bound <= verdict.tolerance
    assert se.check_integer_shift(se.CellAverage(GRID), SIGNAL, 3, EXACT_CONV).holds is True


@pytest.mark.parametrize("dtype", DTYPES)
def test_torch_conv1d_does_not_commute_with_a_third_of_a_cell_linear_shift(torch, dtype):
    D, d = se.CellAverage(GRID), GRID.dx / 3
    box = torch_op(circular_conv1d(torch, dtype), dtype=dtype)
    verdict = se.check_commutation(D, SIGNAL, d, se.LinearShift(), op=box)
    assert verdict.holds is None and verdict.within_tolerance is False
    assert verdict.bound > 100 * verdict.tolerance  # numerically unequal, far above the tolerance
    exact = se.check_commutation(D, SIGNAL, d, se.LinearShift(), op=EXACT_CONV)
    assert exact.holds is False  # certified for the same layer built from se.Conv
    accuracy = {"float32": 1e-5, "float64": 1e-12}[dtype]
    for a, b in zip(verdict.residual, exact.residual):
        assert abs(a - b) < accuracy


def test_torch_op_in_a_sweep(torch):
    box = torch_op(circular_conv1d(torch, "float32"), dtype=torch.float32)
    result = se.sweep(se.CellAverage(GRID), SIGNAL, [0, GRID.dx / 3, GRID.dx, -2 * GRID.dx], se.LinearShift(),
                      op=box, progress=False)
    assert [v.within_tolerance for v in result] == [True, False, True, True]


class FourierConv:
    """Circular convolution by WEIGHTS through the FFT: exactly shift-equivariant, but its rounding is not."""

    def __init__(self, torch):
        self.torch = torch

    def __call__(self, x):
        torch = self.torch
        kernel = torch.zeros(x.shape[-1], dtype=x.dtype)
        kernel[[-1, 0, 1]] = torch.tensor(WEIGHTS[::-1], dtype=x.dtype)  # y_j = sum_i w_i x_(j+i-1)
        spectrum = torch.fft.rfft(x) * torch.fft.rfft(kernel)
        return torch.fft.irfft(spectrum, n=x.shape[-1]) + BIAS


@pytest.mark.parametrize("dtype", DTYPES)
def test_the_tolerance_follows_the_ops_dtype(torch, dtype):
    D = se.CellAverage(se.Grid(0, 1, 12, periodic=True))
    box = torch_op(FourierConv(torch), dtype=dtype)
    verdict = se.check_integer_shift(D, SIGNAL, 5, box)
    epsilon = {"float32": 2.0**-23, "float64": 2.0**-52}[dtype]
    # 1024 units in the last place of the op's dtype, of the largest magnitude (about 2.7 here)
    assert 1024 * epsilon <= verdict.tolerance <= 1024 * epsilon * 4
    assert 0 < verdict.bound <= verdict.tolerance  # FFT rounding: nonzero, within the dtype's tolerance
    assert any(f"run in {dtype}" in note for note in verdict.notes)
    values = [mpmath.mpf(float(v)) for v in D(SIGNAL)]
    exact = EXACT_CONV(values)  # the FFT layer is the same convolution, to rounding
    assert max(abs(a - b) for a, b in zip(box.run_float(values), exact)) < 100 * epsilon


def test_torch_op_axis_mapping_dtype_and_device(torch):
    seen = []

    class Ramp(torch.nn.Module):
        def forward(self, x):
            seen.append((tuple(x.shape), x.dtype, x.device.type))
            return x * torch.arange(x.shape[-1], dtype=x.dtype)

    box = torch_op(Ramp(), dtype=torch.float32, device="cpu")
    assert box.run_float([1, 2, 3, 4]) == [0, 2, 6, 12]  # cell j is tensor[0, 0, j]
    assert seen == [((1, 1, 4), torch.float32, "cpu")]
    assert repr(box) == "BlackBox('Ramp', dtype='float32')"
    assert torch_op(Ramp(), device=torch.device("cpu")).dtype == "float64"


def test_torch_op_runs_a_converted_copy_and_leaves_the_module_alone(torch):
    conv = circular_conv1d(torch, "float32")
    box = torch_op(conv)  # float64 by default, as e3nn runs a float32 model
    assert conv.weight.dtype == torch.float32  # not converted in place
    with torch.no_grad():
        conv.weight.fill_(100.0)  # the box runs its own copy
    assert box.run_float([1, 1, 1]) == [mpmath.mpf(BIAS)] * 3
    same = torch_op(circular_conv1d(torch, "float64"))
    assert same.run_float([1, 1, 1]) == [mpmath.mpf(BIAS)] * 3


def test_torch_op_bad_arguments(torch):
    conv = circular_conv1d(torch, "float32")
    with pytest.raises(InvalidArgument, match="float64 or float32 but got dtype=torch.float16"):
        torch_op(conv, dtype=torch.float16)
    with pytest.raises(InvalidType, match="dtype"):
        torch_op(conv, dtype=[32])
    with pytest.raises(InvalidArgument, match="device="):
        torch_op(conv, device="no such device")
    with pytest.raises(InvalidType, match="torch module"):
        torch_op("conv")
    with pytest.raises(InvalidArgument, match="raised RuntimeError"):  # a module for 2 channels gets 1
        torch_op(torch.nn.Conv1d(2, 1, 1)).run_float([1, 2, 3])


def test_torch_op_pickles_so_a_process_pool_can_run_it(torch):
    box = pickle.loads(pickle.dumps(torch_op(circular_conv1d(torch, "float32"), dtype=torch.float32)))
    assert box.dtype == "float32" and box.run_float([1, 1, 1]) == [mpmath.mpf(BIAS)] * 3


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
