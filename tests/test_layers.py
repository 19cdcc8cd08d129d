"""Tests of symequiv.discrete.layers: eq. (3) convolution, padding, activations, both paths; 1-D, 2-D, channels."""

import math
from fractions import Fraction

import flint
import mpmath
import numpy
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequiv.numeric.backends import ARB, MPMATH, RATIONAL
from symequiv.errors import ExpressionError, InvalidArgument, InvalidType, SymequivError
from symequiv.discrete.layers import (
    MODES,
    PADDINGS,
    Conv,
    Identity,
    Layer,
    LeakyReLU,
    ReLU,
    Sequential,
    Tanh,
)
from symequiv.numeric.numbers import to_mpmath
from symequiv.strategies import grids, layers, shifts
from symequiv.continuous.symbols import delta
from symequiv.discrete.values import Values, read_array

R = sympy.Rational
ACTIVATIONS = [ReLU(), LeakyReLU("1/10"), Tanh(), Identity()]


def roll(seq, m):
    """The discrete shift S_m: (S_m b)_j = b_(j-m), as numpy.roll."""
    n = len(seq)
    return [seq[(j - m) % n] for j in range(n)]


def padded(b, i, padding):
    """b_i under a padding, written independently of the library."""
    n = len(b)
    if 0 <= i < n:
        return b[i]
    if padding == "zeros":
        return 0
    if padding == "circular":
        return b[i % n]
    if padding == "edge":
        return b[0] if i < 0 else b[-1]
    raise AssertionError("valid padding never reads outside")


def reference_conv(kernel, origin, bias, padding, mode, b):
    """Eq. (3) by the book: y_j = sum_k a_k b_(j-k) + bias with a_k = kernel[k + origin]."""
    n, size = len(b), len(kernel)
    a = {k: kernel[k + origin] for k in range(-origin, size - origin)}
    if mode == "convolution":
        reads = {k: -k for k in a}  # a_k multiplies b_(j-k)
    else:
        reads = {k: k for k in a}  # correlation: a_k multiplies b_(j+k)
    positions = range(n)
    if padding == "valid":
        positions = [j for j in range(n) if all(0 <= j + r < n for r in reads.values())]
    out = [sum((a[k] * padded(b, j + reads[k], padding) for k in a), sympy.S.Zero) + bias for j in positions]
    return list(positions), out


def has_float(values):
    return any(isinstance(v, sympy.Basic) and v.atoms(sympy.Float) for v in values)


# --- the paper's example -----------------------------------------------------


def test_paper_edge_detector_detects_the_edge_of_h():
    layer = Conv([2, -2], origin=1, bias=-1) >> ReLU()
    out = layer([0, 0, 1, 1])
    assert list(out) == [0, 1, 0, 0]
    assert all(isinstance(v, sympy.Integer) for v in out)


def test_paper_edge_detector_misses_the_translated_edge():
    conv = Conv([2, -2], origin=1, bias=-1)
    shifted_image = [0, 0, R(1, 2), 1]
    assert list(conv(shifted_image)) == [-1, 0, 0, -3]
    out = (conv >> ReLU())(shifted_image)
    assert list(out) == [0, 0, 0, 0]
    assert all(isinstance(v, sympy.Integer) for v in out)
    assert out.is_exact and not has_float(out)


def test_paper_example_accepts_the_half_as_fraction_or_string():
    layer = Conv([2, -2], origin=1, bias=-1) >> ReLU()
    assert layer([0, 0, Fraction(1, 2), 1]) == [0, 0, 0, 0]
    assert layer(["0", "0", "0.5", "1"]) == [0, 0, 0, 0]
    # Just below the half a faint edge reappears: the output is exact, not rounded.
    assert layer([0, 0, R(1, 2) - R(1, 10**30), 1]) == [0, 0, R(2, 10**30), 0]


def test_edge_detector_formula():
    assert Conv([2, -2], origin=1, bias=-1).latex() == "y_{j} = 2 b_{j+1} - 2 b_{j} - 1"


# --- padding -----------------------------------------------------------------

B = [1, 10, 100, 1000]


@pytest.mark.parametrize(
    "padding, expected",
    [
        # y_j = b_(j+1) + 2 b_j + 3 b_(j-1)
        ("zeros", [12, 123, 1230, 2300]),
        ("circular", [3012, 123, 1230, 2301]),
        ("edge", [15, 123, 1230, 3300]),
        ("valid", [123, 1230]),
    ],
)
def test_padding_by_hand(padding, expected):
    conv = Conv([1, 2, 3], origin=1, padding=padding)
    assert list(conv(B)) == expected
    assert len(conv.output_positions(4)) == len(expected)


@pytest.mark.parametrize(
    "origin, positions, expected",
    [
        (0, range(2, 4), [123, 1230]),  # y_j = b_j + 2 b_(j-1) + 3 b_(j-2)
        (1, range(1, 3), [123, 1230]),
        (2, range(0, 2), [123, 1230]),  # y_j = b_(j+2) + 2 b_(j+1) + 3 b_j
    ],
)
def test_valid_output_positions_follow_the_origin(origin, positions, expected):
    conv = Conv([1, 2, 3], origin=origin, padding="valid")
    assert conv.output_positions(4) == positions
    assert list(conv(B)) == expected
    # Each output is the zero-padded output at the position it belongs to.
    full = Conv([1, 2, 3], origin=origin)(B)
    assert [full[j] for j in positions] == expected


def test_valid_with_input_as_long_as_the_kernel_gives_one_output():
    conv = Conv([1, -1], padding="valid")
    assert conv([3, 5]) == [2]
    assert conv.output_positions(2) == range(1, 2)


def test_valid_correlation_positions():
    conv = Conv([1, 2, 3], origin=0, mode="correlation", padding="valid")
    # y_j = b_j + 2 b_(j+1) + 3 b_(j+2), defined for j = 0, 1
    assert conv.output_positions(4) == range(0, 2)
    assert list(conv(B)) == [321, 3210]


def test_valid_input_shorter_than_kernel_is_refused():
    conv = Conv([1, 2, 3], padding="valid")
    with pytest.raises(InvalidArgument, match=r"at least 3 values.*got 2"):
        conv([1, 2])
    with pytest.raises(InvalidArgument, match="at least 3"):
        conv.output_positions(2)


def test_kernel_longer_than_input_wraps_or_clamps_repeatedly():
    # Circular: every tap wraps; y_0 = 1*b_0 + 1*b_(-1) + 1*b_(-2) = b0 + b1 + b0.
    assert Conv([1, 1, 1], padding="circular")([1, 10]) == [12, 21]
    assert Conv([1, 1, 1], padding="edge")([1, 10]) == [3, 12]
    assert Conv([1, 1, 1], padding="zeros")([1, 10]) == [1, 11]


def test_zero_padding_reads_nothing_outside():
    # Only the bias is left where every tap falls outside the input.
    assert Conv([5, 0, 0], origin=0, bias=7)([1, 2]) == [12, 17]
    assert Conv([0, 0, 5], origin=0, bias=7)([1, 2]) == [7, 7]


def test_other_layers_keep_positions():
    for layer in ACTIVATIONS + [Conv([1, 2], padding="edge")]:
        assert layer.output_positions(7) == range(7)


# --- origin and mode ------------------------------------------------------------


@pytest.mark.parametrize("origin", [0, 1, 2, 3])
def test_origin_shifts_the_output(origin):
    kernel = [3, -1, R(1, 2), 5]
    b = [R(1, 3), -2, 7, 0, 1, R(-5, 4)]
    base = Conv(kernel, bias=1, padding="circular")(b)
    # Convolution: a larger origin reads further right, y'_j = y_(j+origin).
    assert Conv(kernel, origin=origin, bias=1, padding="circular")(b) == roll(base, -origin)
    base_corr = Conv(kernel, bias=1, padding="circular", mode="correlation")(b)
    assert Conv(kernel, origin=origin, bias=1, padding="circular", mode="correlation")(b) == roll(base_corr, origin)


def test_origin_changes_the_result():
    b = [0, 0, 1, 0, 0]
    assert Conv([1, 2])(b) == [0, 0, 1, 2, 0]
    assert Conv([1, 2], origin=1)(b) == [0, 1, 2, 0, 0]


@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("origin", [0, 1, 2])
def test_correlation_is_convolution_with_the_reversed_kernel(padding, origin):
    kernel = [2, R(-1, 3), 5]
    b = [1, R(1, 2), -3, 4, 0, 2]
    correlation = Conv(kernel, origin=origin, bias=-1, padding=padding, mode="correlation")
    convolution = Conv(kernel[::-1], origin=len(kernel) - 1 - origin, bias=-1, padding=padding)
    assert correlation(b) == convolution(b)
    assert correlation.output_positions(len(b)) == convolution.output_positions(len(b))
    # ... and it is not the convolution with the same kernel.
    assert correlation(b) != Conv(kernel, origin=origin, bias=-1, padding=padding)(b)


@pytest.mark.parametrize("origin", [0, 1, 2, 3])
def test_convolution_matches_numpy_convolve(origin):
    kernel = [3, -1, 4, 2]
    b = [5, 0, -2, 7, 1, 1, 8]
    full = numpy.convolve(b, kernel, mode="full")
    assert Conv(kernel, origin=origin)(b) == list(full[origin : origin + len(b)])
    assert Conv(kernel, origin=origin, padding="valid")(b) == list(numpy.convolve(b, kernel, mode="valid"))


def test_correlation_matches_pytorch_convention():
    # PyTorch Conv1d (no flip) with `origin` zeros of left padding: y_j = sum_i w_i x_(j+i-origin).
    w = [1, 2, 3]
    x = [4, 5, 6, 7]
    expected = [sum(w[i] * padded(x, j + i - 1, "zeros") for i in range(3)) for j in range(4)]
    assert expected == [23, 32, 38, 20]
    assert Conv(w, origin=1, mode="correlation")(x) == expected


rationals = st.fractions(min_value=-10, max_value=10, max_denominator=12)


@st.composite
def conv_cases(draw):
    kernel = draw(st.lists(rationals, min_size=1, max_size=4))
    origin = draw(st.integers(0, len(kernel) - 1))
    padding = draw(st.sampled_from(PADDINGS))
    mode = draw(st.sampled_from(MODES))
    bias = draw(rationals)
    min_size = len(kernel) if padding == "valid" else 1
    b = draw(st.lists(rationals, min_size=min_size, max_size=7))
    return kernel, origin, bias, padding, mode, b


@settings(max_examples=60, deadline=None)
@given(conv_cases())
def test_conv_matches_the_reference_formula(case):
    kernel, origin, bias, padding, mode, b = case
    conv = Conv(kernel, origin=origin, bias=bias, padding=padding, mode=mode)
    positions, expected = reference_conv(
        [R(k.numerator, k.denominator) for k in kernel],
        origin,
        R(bias.numerator, bias.denominator),
        padding,
        mode,
        [R(v.numerator, v.denominator) for v in b],
    )
    out = conv(b)
    assert list(out) == expected
    assert list(conv.output_positions(len(b))) == positions
    assert not has_float(out)


# --- composition -------------------------------------------------------------


def test_rshift_builds_a_flat_sequential():
    conv, relu, tanh = Conv([1, -1]), ReLU(), Tanh()
    left = (conv >> relu) >> tanh
    right = conv >> (relu >> tanh)
    assert isinstance(left, Sequential)
    assert left.layers == (conv, relu, tanh)
    assert left == right == Sequential(conv, relu, tanh)
    assert Sequential(Sequential(conv), Sequential(relu, tanh)).layers == (conv, relu, tanh)


def test_sequential_applies_first_layer_first():
    negate = Conv([-1])
    b = [1, -2, 3]
    assert (negate >> ReLU())(b) == [0, 2, 0]
    assert (ReLU() >> negate)(b) == [-1, 0, -3]
    assert (negate >> ReLU())(b) == ReLU()(negate(b))


def test_sequential_of_one_layer_equals_the_layer():
    conv = Conv([2, -2], origin=1, bias=-1)
    b = [0, R(1, 3), 1, 2]
    assert Sequential(conv)(b) == conv(b)


def test_sequential_composes_output_positions():
    valid = Conv([1, 1, 1], origin=1, padding="valid")
    assert valid.output_positions(6) == range(1, 5)
    stack = valid >> ReLU() >> valid
    assert stack.output_positions(6) == range(2, 4)
    out = stack(list(range(6)))
    # First layer: [3, 6, 9, 12] at positions 1..4; second: sums of three of them.
    assert list(out) == [18, 27]
    assert len(out) == len(stack.output_positions(6))
    with pytest.raises(InvalidArgument, match="at least 3"):
        stack([1, 2, 3, 4])


# --- properties -------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(grid=grids(periodic=True, max_cells=7), layer=layers(padding="circular", max_kernel_size=4), data=st.data())
def test_circular_layers_are_exactly_shift_equivariant(grid, layer, data):
    # b holds the grid's cell values; the shift is m whole cells, also past the domain.
    b = data.draw(st.lists(rationals, min_size=grid.n, max_size=grid.n), label="b")
    m = int(grid.cells_of_shift(data.draw(shifts(grid, kind="whole-cell"), label="d")))
    assert layer(roll(b, m)) == roll(layer(b), m)


def test_zero_padding_breaks_shift_equivariance_at_the_boundary():
    # The property above is not vacuous: without wrap-around it fails.
    b = [0, 0, 0, 1]
    zeros = Conv([1, 2]) >> ReLU()
    assert zeros(b) == [0, 0, 0, 1]
    assert zeros(roll(b, 1)) == [1, 2, 0, 0] != roll(zeros(b), 1)
    circular = Conv([1, 2], padding="circular") >> ReLU()
    assert circular(roll(b, 1)) == roll(circular(b), 1) == [1, 2, 0, 0]


# --- symbolic input ------------------------------------------------------------


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_symbolic_input_passes_through_and_substitutes(activation):
    layer = Conv([2, -2], origin=1, bias=-1) >> activation
    b = [0, delta / 2, 1 - delta, 1]
    out = layer(b)
    assert out[0].has(delta) and out[1].has(delta)
    for d in [R(-1, 3), 0, R(1, 4), R(1, 2), R(3, 4), 2]:
        numeric = layer([v.subs(delta, d) if isinstance(v, sympy.Basic) else v for v in b])
        assert [v.subs(delta, d) for v in out] == list(numeric)


def test_relu_of_an_expression_stays_symbolic():
    out = ReLU()([delta - 1])
    assert out[0] == sympy.Max(0, delta - 1)
    assert out[0].subs(delta, 3) == 2 and out[0].subs(delta, 0) == 0


def test_relu_on_numbers_is_max():
    numbers = [R(-3, 7), 0, R(1, 9), 5, -1]
    assert ReLU()(numbers) == [sympy.Max(0, v) for v in numbers] == [0, 0, R(1, 9), 5, 0]
    assert ReLU()([sympy.sqrt(2) - 2, sympy.pi - 3]) == [0, sympy.pi - 3]


def test_leaky_relu_of_an_expression_is_piecewise():
    out = LeakyReLU("1/10")([delta])[0]
    assert isinstance(out, sympy.Piecewise)
    assert out.subs(delta, -5) == R(-1, 2)
    assert out.subs(delta, 5) == 5


def test_string_values_may_use_delta():
    assert Conv([1, 1])(["delta", "1/2"]) == [delta, delta + R(1, 2)]


def test_symbolic_kernel_gives_the_general_formula():
    a0, a1, c = sympy.symbols("a0 a1 c", real=True)
    b0, b1, b2 = sympy.symbols("b0 b1 b2", real=True)
    conv = Conv([a0, a1], origin=1, bias=c)
    # a_(-1) = a0 multiplies b_(j+1), a_0 = a1 multiplies b_j.
    assert conv([b0, b1, b2]) == [a0 * b1 + a1 * b0 + c, a0 * b2 + a1 * b1 + c, a1 * b2 + c]
    numeric = Conv([2, -2], origin=1, bias=-1)([3, 5, 7])
    general = conv([3, 5, 7])
    assert [v.subs({a0: 2, a1: -2, c: -1}) for v in general] == list(numeric)


# --- mpmath path ------------------------------------------------------------------


def mp_vector(exact):
    return [to_mpmath(R(v)) for v in exact]


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("padding", PADDINGS)
def test_mpmath_path_agrees_with_exact_path(activation, padding):
    exact_in = [R(1, 3), R(-2, 7), 1, R(5, 11), 0, R(-9, 13)]
    layer = Conv(["1/3", -2, "0.25"], origin=1, bias="-1/7", padding=padding) >> activation
    exact_out = layer(exact_in)
    with mpmath.workdps(50):
        numeric_out = layer(mp_vector(exact_in))
        assert mpmath.mp.dps == 50
        assert len(numeric_out) == len(exact_out)
        assert all(type(v) is mpmath.mpf for v in numeric_out)
        for v, e in zip(numeric_out, exact_out):
            assert abs(v - to_mpmath(e)) < mpmath.mpf("1e-45")


def test_mpmath_path_keeps_sixty_digits_of_a_rational_kernel():
    with mpmath.workdps(60):
        one_third = mpmath.mpf(1) / 3
        out = Conv(["1/3"], bias="1/3")([mpmath.mpf(1), mpmath.mpf(0)])
        assert out[1] == one_third
        assert out[0] == 2 * one_third
        assert out[1] != mpmath.mpf(1 / 3)  # a float kernel would be wrong after digit 17
        assert abs(out[1] - one_third) < mpmath.mpf(10) ** -59


def test_mpmath_path_uses_the_callers_precision_and_restores_nothing():
    before = mpmath.mp.dps
    conv = Conv(["1/3"])
    with mpmath.workdps(20):
        low = conv([mpmath.mpf(1)])[0]
    with mpmath.workdps(80):
        high = conv([mpmath.mpf(1)])[0]
        assert abs(high - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -79
        assert abs(low - mpmath.mpf(1) / 3) > mpmath.mpf(10) ** -30
    assert mpmath.mp.dps == before


def test_mpmath_path_converts_the_kernel_once_per_call(monkeypatch):
    calls = []
    real = MPMATH.number

    def counting(value):
        calls.append(value)
        return real(value)

    monkeypatch.setattr(MPMATH, "number", counting)
    conv = Conv([1, "1/3", 2], origin=1, bias=5)
    with mpmath.workdps(50):
        out = conv([mpmath.mpf(v) for v in range(40)])
    assert len(out) == 40
    assert len(calls) == 4  # three weights and the bias, not one per entry


def test_mixed_input_with_one_mpmath_number_goes_numeric():
    with mpmath.workdps(50):
        out = Conv([1, 1])([mpmath.mpf(1), 2, Fraction(1, 3), "1/3", R(1, 3), 0.5])
        assert all(type(v) is mpmath.mpf for v in out)
        assert out[2] == 2 + mpmath.mpf(1) / 3
        assert out[5] == mpmath.mpf(1) / 3 + mpmath.mpf("0.5")


def test_mpmath_activations_return_mpf():
    with mpmath.workdps(50):
        values = [mpmath.mpf(-2), mpmath.mpf(0), mpmath.mpf(3)]
        assert ReLU()(values) == [0, 0, 3]
        assert all(type(v) is mpmath.mpf for v in ReLU()(values))
        assert LeakyReLU("1/10")(values) == [mpmath.mpf(-2) / 10, 0, 3]
        assert Tanh()(values)[2] == mpmath.tanh(3)
        assert Identity()(values) == values


def test_symbolic_kernel_refuses_mpmath_input():
    a = sympy.Symbol("a", real=True)
    with pytest.raises(InvalidArgument, match=r"symbols a\b.*substitute numbers"):
        Conv([a, 1])([mpmath.mpf(1), mpmath.mpf(2)])
    with pytest.raises(InvalidArgument, match="symbols a"):
        LeakyReLU(a)([mpmath.mpf(-1)])
    # The exact path works with the same layer.
    assert Conv([a, 1])([1, 2]) == [a, 2 * a + 1]


def test_symbolic_entry_among_mpmath_numbers_is_refused():
    with pytest.raises(InvalidArgument, match=r"values\[1\]=delta"):
        Identity()([mpmath.mpf(1), delta])


# --- exactness -----------------------------------------------------------------


@pytest.mark.parametrize("activation", [ReLU(), LeakyReLU("1/10"), Identity()])
def test_no_float_in_outputs_for_rational_input(activation):
    layer = Conv([R(1, 3), "0.1", 0.5], origin=2, bias=Fraction(-1, 7), padding="edge") >> activation
    out = layer([R(1, 2), 3, R(-7, 5), 0.25, "2/9"])
    assert out.is_exact
    assert not has_float(out)
    assert all(isinstance(v, sympy.Rational) for v in out)


def test_float_weights_are_taken_at_their_binary_value():
    conv = Conv([0.1])
    assert conv.kernel[0] == R(*(0.1).as_integer_ratio())
    assert conv.kernel[0] != R(1, 10)
    assert Conv(["0.1"]).kernel[0] == R(1, 10)
    assert Conv([sympy.Float("0.5")]).kernel == (R(1, 2),)


def test_tanh_of_a_rational_stays_exact():
    out = Tanh()([R(1, 2)])
    assert out[0] == sympy.tanh(R(1, 2))
    assert not has_float(out)


# --- printing and equality ---------------------------------------------------------

# What a user has after `from symequiv import *` and the sympy names reprs use
# (S for fractions; srepr's constructors for symbolic weights).
NAMESPACE = {}
exec("from symequiv import *\nfrom sympy import S, pi, sqrt, Symbol, Integer, Mul, Add", NAMESPACE)


@pytest.mark.parametrize(
    "layer, text",
    [
        (Conv([2, -2], origin=1, bias=-1), "Conv([2, -2], origin=1, bias=-1)"),
        (Conv([1]), "Conv([1])"),
        (Conv(["1/3", 0.25], padding="circular"), "Conv([S(1)/3, S(1)/4], padding='circular')"),
        (Conv(["1/4", "1/2", "1/4"], bias="-1/10"), "Conv([S(1)/4, S(1)/2, S(1)/4], bias=-S(1)/10)"),
        (Conv(["sqrt(2)/10", "pi/4"], bias="1/2 + sqrt(2)"), "Conv([sqrt(2)/10, pi/4], bias=S(1)/2 + sqrt(2))"),
        (Conv([1, 2], mode="correlation", padding="valid"), "Conv([1, 2], padding='valid', mode='correlation')"),
        (ReLU(), "ReLU()"),
        (LeakyReLU("0.1"), "LeakyReLU(S(1)/10)"),
        (
            Conv(["1/4", "1/2", "1/4"], bias="-1/10") >> LeakyReLU("1/100"),
            "Sequential(Conv([S(1)/4, S(1)/2, S(1)/4], bias=-S(1)/10), LeakyReLU(S(1)/100))",
        ),
        (Tanh(), "Tanh()"),
        (Identity(), "Identity()"),
        (
            Conv([2, -2], origin=1, bias=-1) >> ReLU(),
            "Sequential(Conv([2, -2], origin=1, bias=-1), ReLU())",
        ),
        # two dimensions and channels
        (Conv([[1, 0], [0, -1]]), "Conv([[1, 0], [0, -1]])"),
        (Conv([[2, -2]], origin=(0, 1), bias=-1), "Conv([[2, -2]], origin=(0, 1), bias=-1)"),
        (Conv([[1, 2], [3, 4]], origin=1), "Conv([[1, 2], [3, 4]], origin=(1, 1))"),
        (Conv([["1/3", 0.25]], padding=("circular", "zeros")), "Conv([[S(1)/3, S(1)/4]], padding=('circular', 'zeros'))"),
        (Conv([[1]], padding=("edge", "edge"), mode="correlation"), "Conv([[1]], padding='edge', mode='correlation')"),
        (Conv([[[1, 2]], [[3, 4]]], origin=1, bias=[1, "1/2"]), "Conv([[[1, 2]], [[3, 4]]], origin=1, bias=[1, S(1)/2])"),
        (Conv(numpy.ones((2, 1, 1, 1), dtype=int), bias=[3, 3]), "Conv([[[[1]]], [[[1]]]], bias=3)"),
        (Conv([[[[1]]]], bias=numpy.array([0.5])), "Conv([[[[1]]]], bias=S(1)/2)"),
    ],
)
def test_repr_is_constructor_form_and_pastes_back(layer, text):
    assert repr(layer) == text
    again = eval(text, dict(NAMESPACE))
    assert again == layer and hash(again) == hash(layer)


def test_repr_of_symbolic_kernel_pastes_back():
    a = sympy.Symbol("a", real=True)
    conv = Conv([a, 2 * a + 1], bias=sympy.pi)
    assert eval(repr(conv), dict(NAMESPACE)) == conv


def test_equality_compares_every_option():
    base = Conv([2, -2], origin=1, bias=-1)
    assert base == Conv((2, -2), origin=1, bias="-1")
    assert len({base, Conv([2, -2], origin=1, bias=-1)}) == 1
    for other in [
        Conv([2, -2], bias=-1),
        Conv([2, -2], origin=1),
        Conv([2, -3], origin=1, bias=-1),
        Conv([2, -2], origin=1, bias=-1, padding="edge"),
        Conv([2, -2], origin=1, bias=-1, mode="correlation"),
        ReLU(),
    ]:
        assert base != other
    assert ReLU() == ReLU() and ReLU() != Tanh() and ReLU() != Identity()
    assert LeakyReLU("1/10") == LeakyReLU(Fraction(1, 10)) != LeakyReLU("1/5")
    assert LeakyReLU() == LeakyReLU("1/100")
    assert (ReLU() >> Tanh()) != (Tanh() >> ReLU())
    assert ReLU() != "ReLU()"


def test_layers_are_layers():
    for layer in ACTIVATIONS + [Conv([1]), Sequential(ReLU())]:
        assert isinstance(layer, Layer)
        assert isinstance(layer([1, 2]), Values)


@pytest.mark.parametrize(
    "layer, text",
    [
        (Conv([2, -2], origin=1, bias=-1) >> ReLU(), r"y_{j} = \max\left(0, 2 b_{j+1} - 2 b_{j} - 1\right)"),
        (Conv([1, 2, 3], origin=1, mode="correlation"), "y_{j} = b_{j-1} + 2 b_{j} + 3 b_{j+1}"),
        (Conv(["1/3", "-1/2"], bias="1/4"), r"y_{j} = \frac{1}{3} b_{j} - \frac{1}{2} b_{j-1} + \frac{1}{4}"),
        (Conv([-1, 0, 1]), "y_{j} = - b_{j} + b_{j-2}"),
        (Conv([0]), "y_{j} = 0"),
        (Tanh(), r"y_{j} = \tanh\left(b_{j}\right)"),
        (Identity(), "y_{j} = b_{j}"),
        (
            LeakyReLU("1/10"),
            r"y_{j} = \begin{cases} b_{j} & b_{j} \geq 0 \\ \frac{1}{10} b_{j} & \text{otherwise} \end{cases}",
        ),
        (
            Conv([1, -1]) >> Conv([1, -1]),
            r"y_{j} = \left(b_{j} - b_{j-1}\right) - \left(b_{j-1} - b_{j-2}\right)",
        ),
        # two dimensions and channels
        (Conv([[1, 0], [0, -1]]), "y_{i,j} = b_{i,j} - b_{i-1,j-1}"),
        (Conv([[1, 0], [0, -1]], mode="correlation"), "y_{i,j} = b_{i,j} - b_{i+1,j+1}"),
        (Conv([[2, -2]], origin=(0, 1), bias=-1) >> ReLU(), r"y_{i,j} = \max\left(0, 2 b_{i,j+1} - 2 b_{i,j} - 1\right)"),
        (Conv([[[1, -1]]], origin=1, bias=[2]), "y^{(0)}_{j} = b^{(0)}_{j+1} - b^{(0)}_{j} + 2"),
        (
            Conv([[[["1/2"]], [[0]]], [[[0]], [[-1]]]]) >> Tanh(),
            r"\begin{aligned} y^{(0)}_{i,j} &= \tanh\left(\frac{1}{2} b^{(0)}_{i,j}\right) \\ "
            r"y^{(1)}_{i,j} &= \tanh\left(- b^{(1)}_{i,j}\right) \end{aligned}",
        ),
        (
            Conv([[[[1]]], [[[2]]]]) >> Conv([[[[1]], [[-1]]]]),
            r"y^{(0)}_{i,j} = b^{(0)}_{i,j} - 2 b^{(0)}_{i,j}",
        ),
        (
            Conv([[1], [1]]) >> Conv([[1, -1]]),
            r"y_{i,j} = \left(b_{i,j} + b_{i-1,j}\right) - \left(b_{i,j-1} + b_{i-1,j-1}\right)",
        ),
    ],
)
def test_latex_formula(layer, text):
    assert layer.latex() == text
    assert layer._repr_latex_() == f"$\\displaystyle {text}$"


def test_latex_of_symbolic_weights():
    a, c = sympy.symbols("a c", real=True)
    assert Conv([a + 1, -a], origin=1, bias=-c).latex() == r"y_{j} = \left(a + 1\right) b_{j+1} - a b_{j} - c"


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "kernel, error, words",
    [
        ([], InvalidArgument, "empty kernel"),
        (5, InvalidType, "sequence of kernel weights.*int: 5"),
        ("2-2", InvalidType, "sequence of kernel weights.*str: '2-2'"),
        (None, InvalidType, "NoneType"),
        ({1, 2}, InvalidType, "set"),
        ([1, math.nan], InvalidArgument, r"finite.*kernel\[1\]=nan"),
        ([math.inf, 1], InvalidArgument, r"finite.*kernel\[0\]=inf"),
        ([sympy.oo], InvalidArgument, r"finite.*kernel\[0\]"),
        ([sympy.nan], InvalidArgument, r"finite.*kernel\[0\]"),
        ([1, [2, 3]], InvalidType, r"kernel\[1\].*\[2, 3\]"),
        ([1, sympy.I], InvalidArgument, r"real.*kernel\[1\]"),
        (numpy.ones((1, 1, 1, 1, 2)), InvalidArgument, r"\(C_out, C_in, k1, k2\).*5-D array of shape \(1, 1, 1, 1, 2\)"),
    ],
)
def test_bad_kernels(kernel, error, words):
    with pytest.raises(error, match=words) as info:
        Conv(kernel)
    assert isinstance(info.value, SymequivError)


def test_malicious_string_weight_is_refused_by_the_safe_parser():
    with pytest.raises(ExpressionError, match="__import__"):
        Conv(["__import__('os').system('true')"])
    with pytest.raises(ExpressionError, match="__class__"):
        Identity()(["().__class__"])


def test_origin_outside_the_kernel():
    with pytest.raises(InvalidArgument) as info:
        Conv([2, -2], origin=5)
    assert str(info.value) == "origin=5 is outside the kernel of length 2; use 0..1"
    with pytest.raises(InvalidArgument, match="origin=-1 is outside"):
        Conv([2, -2], origin=-1)


@pytest.mark.parametrize("origin", [1.0, True, "1", None])
def test_origin_must_be_an_int(origin):
    with pytest.raises(InvalidType, match=f"int for origin but got origin={origin!r}"):
        Conv([2, -2], origin=origin)


def test_origin_accepts_numpy_integers():
    assert Conv([2, -2], origin=numpy.int64(1)) == Conv([2, -2], origin=1)


def test_bad_bias():
    with pytest.raises(InvalidArgument, match="finite.*bias=nan"):
        Conv([1], bias=math.nan)
    with pytest.raises(InvalidType, match="bias"):
        Conv([1], bias=[1])


@pytest.mark.parametrize(
    "option, value, error, words",
    [
        (
            "padding",
            "reflect",
            InvalidArgument,
            "Unknown padding='reflect'; use one of 'zeros', 'circular', 'edge', 'valid'",
        ),
        ("padding", "same", InvalidArgument, "use one of 'zeros'"),
        ("padding", None, InvalidType, "one of 'zeros', 'circular', 'edge', 'valid' for padding but got NoneType"),
        ("mode", "conv", InvalidArgument, "Unknown mode='conv'; use one of 'convolution', 'correlation'"),
        ("mode", 1, InvalidType, "for mode but got int: 1"),
    ],
)
def test_bad_options(option, value, error, words):
    with pytest.raises(error) as info:
        Conv([1, 2], **{option: value})
    assert words in str(info.value)


@pytest.mark.parametrize("layer", [Conv([1, 2]), ReLU(), Conv([1]) >> Tanh()])
@pytest.mark.parametrize(
    "values, error, words",
    [
        ([], InvalidArgument, "at least one value.*empty"),
        (numpy.array(1.0), InvalidArgument, "0-D array"),
        (3, InvalidType, "1-D sequence of values.*int: 3"),
        ("0011", InvalidType, "str: '0011'"),
        ([1, math.nan], InvalidArgument, r"finite.*values\[1\]=nan"),
        ([-math.inf, 1], InvalidArgument, r"finite.*values\[0\]=-inf"),
        ([1, sympy.zoo], InvalidArgument, r"finite.*values\[1\]"),
        ([mpmath.mpf(1), mpmath.nan], InvalidArgument, r"finite.*values\[1\]=nan"),
        ([mpmath.inf], InvalidArgument, r"finite.*values\[0\]=\+inf"),
        ([mpmath.mpc(1, 2)], InvalidArgument, r"real.*values\[0\]"),
        ([1, None], InvalidType, r"values\[1\]"),
    ],
)
def test_bad_values(layer, values, error, words):
    with pytest.raises(error, match=words) as info:
        layer(values)
    assert isinstance(info.value, SymequivError)


def test_rshift_with_a_non_layer():
    with pytest.raises(InvalidType, match=r"layer on the right of >> but got builtin_function_or_method"):
        Conv([1]) >> abs
    with pytest.raises(InvalidType, match=r"layer on the left of >> but got list.*call it: layer\(values\)"):
        [1, 2] >> ReLU()
    with pytest.raises(InvalidType, match=r"layer on the right of >> but got int: 3"):
        ReLU() >> 3


def test_rshift_with_a_numpy_array_on_the_left():
    with pytest.raises(InvalidType, match=r"left of >> but got ndarray.*call it"):
        numpy.array([1, 2]) >> ReLU()


def test_long_input_is_cut_in_the_message():
    with pytest.raises(InvalidType) as info:
        Conv({v: v for v in range(1000)})
    assert "..." in str(info.value) and len(str(info.value)) < 200


def test_bad_sequential():
    with pytest.raises(InvalidArgument, match="at least one layer"):
        Sequential()
    with pytest.raises(InvalidType, match=r"argument 1 is str.*'relu'"):
        Sequential(Conv([1]), "relu")
    with pytest.raises(InvalidType, match=r"Sequential\(\*layers\)"):
        Sequential([Conv([1]), ReLU()])


@pytest.mark.parametrize("n, error", [(0, InvalidArgument), (-3, InvalidArgument), (2.0, InvalidType), ("4", InvalidType)])
def test_bad_output_positions_length(n, error):
    with pytest.raises(error, match="input length"):
        ReLU().output_positions(n)


def test_errors_are_also_builtin_errors():
    with pytest.raises(ValueError):
        Conv([])
    with pytest.raises(TypeError):
        Conv("12")


# =============================================================================
# Two dimensions and channels: one implementation, the dimension from the shape
# =============================================================================

def padded2(b, i, j, paddings):
    """b[i][j] of an image (nested lists) under one padding per axis, by the book."""
    row = padded(b, i, paddings[0])
    return padded(row, j, paddings[1]) if isinstance(row, list) else 0


def reference_conv2d(kernel, origin, bias, paddings, mode, b):
    """Eq. (3) in 2-D by explicit loops: y[i, j] = sum_k a[k1, k2] b[i - k1, j - k2] + bias, a[k] = kernel[k + origin].

    Correlation reads b[i + k1, j + k2]. Returns (rows, columns) kept and the output as nested lists.
    """
    (o1, o2), nx, ny = origin, len(b), len(b[0])
    terms = []
    for k1 in range(-o1, len(kernel) - o1):
        for k2 in range(-o2, len(kernel[0]) - o2):
            a = kernel[k1 + o1][k2 + o2]
            terms.append((a, -k1, -k2) if mode == "convolution" else (a, k1, k2))
    rows = [i for i in range(nx) if paddings[0] != "valid" or all(0 <= i + di < nx for _, di, _ in terms)]
    columns = [j for j in range(ny) if paddings[1] != "valid" or all(0 <= j + dj < ny for _, _, dj in terms)]
    out = [
        [sum((a * padded2(b, i + di, j + dj, paddings) for a, di, dj in terms), sympy.S.Zero) + bias for j in columns]
        for i in rows
    ]
    return (rows, columns), out


def reference_channels(weights, origin, biases, paddings, mode, b):
    """out[co] = bias[co] + sum_ci (the 2-D reference of w[co][ci] on channel ci), by explicit loops."""
    out = []
    for co, bias in enumerate(biases):
        total = None
        for ci, image in enumerate(b):
            _, y = reference_conv2d(weights[co][ci], origin, 0, paddings, mode, image)
            total = y if total is None else [[u + v for u, v in zip(r, s)] for r, s in zip(total, y)]
        out.append([[v + bias for v in row] for row in total])
    return out


def exact(fraction):
    return R(fraction.numerator, fraction.denominator)


def nested_exact(values):
    return [nested_exact(v) for v in values] if isinstance(values, list) else exact(values)


def as_array(values):
    """A Values array as a numpy object array of its shape."""
    return numpy.array(values.flat, dtype=object).reshape(values.shape)


def matrices(rows, columns):
    return st.lists(st.lists(rationals, min_size=columns, max_size=columns), min_size=rows, max_size=rows)


@st.composite
def conv2d_cases(draw, paddings=PADDINGS):
    k1, k2 = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kernel = draw(matrices(k1, k2))
    origin = (draw(st.integers(0, k1 - 1)), draw(st.integers(0, k2 - 1)))
    padding = (draw(st.sampled_from(paddings)), draw(st.sampled_from(paddings)))
    mode = draw(st.sampled_from(MODES))
    nx = draw(st.integers(k1 if padding[0] == "valid" else 1, 5))
    ny = draw(st.integers(k2 if padding[1] == "valid" else 1, 5))
    return kernel, origin, draw(rationals), padding, mode, draw(matrices(nx, ny))


@settings(max_examples=60, deadline=None)
@given(conv2d_cases())
def test_2d_conv_matches_the_formula_written_out(case):
    kernel, origin, bias, padding, mode, b = case
    conv = Conv(kernel, origin=origin, bias=bias, padding=padding, mode=mode)
    (rows, columns), expected = reference_conv2d(
        nested_exact(kernel), origin, exact(bias), padding, mode, nested_exact(b)
    )
    out = conv(b)
    assert out == expected and out.shape == (len(rows), len(columns)) and out.is_exact
    assert conv.output_ranges((len(b), len(b[0]))) == (range(rows[0], rows[-1] + 1), range(columns[0], columns[-1] + 1))
    assert conv.output_shape((len(b), len(b[0]))) == out.shape


def test_2d_conv_by_hand():
    b = [[1, 2, 3], [4, 5, 6]]
    # y[i, j] = b[i, j] - b[i-1, j-1] (convolution) and b[i, j] - b[i+1, j+1] (correlation), zeros outside.
    assert Conv([[1, 0], [0, -1]])(b) == [[1, 2, 3], [4, 4, 4]]
    assert Conv([[1, 0], [0, -1]], mode="correlation")(b) == [[-4, -4, 3], [4, 5, 6]]
    # The origin moves a_0: a_(-1, 0) = 1, a_(0, 0) = -1, so y[i, j] = b[i+1, j] - b[i, j].
    assert Conv([[1], [-1]], origin=(1, 0), padding="circular")(b) == [[3, 3, 3], [-3, -3, -3]]
    assert Conv([[1], [-1]], origin=(1, 0), padding="edge")(b) == [[3, 3, 3], [0, 0, 0]]
    assert Conv([[1, 1]], padding="valid")(b) == [[3, 5], [9, 11]]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("origin", [(0, 0), (1, 2), (2, 1)])
def test_circular_2d_conv_is_a_sum_of_numpy_rolls(mode, origin):
    kernel = [[R(1, 3), -2, 0], [5, R(-1, 4), 1], [0, 3, R(7, 5)]]
    b = numpy.array([[R(3 * i - j, 1 + i + j) for j in range(5)] for i in range(4)], dtype=object)
    # numpy.roll(b, s)[i] = b[i - s]: convolution's a_k b[i - k] is roll(b, k), correlation's b[i + k] is roll(b, -k).
    expected = numpy.full(b.shape, R(1, 2), dtype=object)
    for p in range(3):
        for q in range(3):
            k = (p - origin[0], q - origin[1])
            step = k if mode == "convolution" else (-k[0], -k[1])
            expected = expected + kernel[p][q] * numpy.roll(b, step, axis=(0, 1))
    assert Conv(kernel, origin=origin, bias="1/2", padding="circular", mode=mode)(b) == expected.tolist()


@pytest.mark.parametrize("padding, mode", [("zeros", "constant"), ("edge", "edge"), ("circular", "wrap")])
def test_a_padding_is_valid_convolution_of_the_numpy_padded_image(padding, mode):
    kernel = [[2, R(-1, 3)], [R(1, 2), 4], [-1, 1]]
    origin = (2, 0)
    b = numpy.array([[R(i * i - 2 * j, 3 + j) for j in range(4)] for i in range(3)], dtype=object)
    for conv_mode in MODES:
        # Output i reads b[i + offset]: pad -min(offset) cells before an axis and max(offset) after.
        sign = -1 if conv_mode == "convolution" else 1
        offsets = [[sign * (p - origin[0]) for p in range(3)], [sign * (q - origin[1]) for q in range(2)]]
        widths = [(max(0, -min(o)), max(0, max(o))) for o in offsets]
        extended = numpy.pad(b, widths, mode=mode)
        valid = Conv(kernel, origin=origin, padding="valid", mode=conv_mode)
        assert Conv(kernel, origin=origin, padding=padding, mode=conv_mode)(b) == valid(extended)
        assert valid.output_shape(extended.shape) == b.shape


@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("mode", MODES)
def test_channels_match_the_formula_written_out(padding, mode):
    rng = numpy.random.default_rng(7)
    c_out, c_in, k1, k2 = 3, 2, 2, 3
    w = (rng.integers(-8, 9, (c_out, c_in, k1, k2)) * R(1, 4)).tolist()
    b = (rng.integers(-9, 10, (c_in, 4, 5)) * R(1, 3)).tolist()
    biases = [R(1, 2), -1, 0]
    conv = Conv(w, origin=(1, 2), bias=biases, padding=padding, mode=mode)
    out = conv(b)
    assert out == reference_channels(w, (1, 2), biases, (padding, padding), mode, b)
    assert out.shape == conv.output_shape((c_in, 4, 5)) == ((3, 3, 3) if padding == "valid" else (3, 4, 5))
    assert conv.channels == (3, 2) and conv.dim == 2 and conv.bias == tuple(biases)


def test_one_dimensional_channels_match_the_formula_written_out():
    w = [[[1, 2], [0, -1]], [[R(1, 2), 0], [3, 1]]]  # (C_out, C_in, k)
    b = [[1, 2, 3, 4], [5, 6, 7, 8]]
    conv = Conv(w, origin=1, bias=[1, -1], mode="correlation")
    # out[co, j] = bias[co] + sum_ci sum_i w[co][ci][i] b[ci][j + i - 1]
    expected = [
        [
            bias + sum(w[co][ci][i] * padded(b[ci], j + i - 1, "zeros") for ci in range(2) for i in range(2))
            for j in range(4)
        ]
        for co, bias in enumerate([1, -1])
    ]
    assert conv(b) == expected and conv(b).shape == (2, 4)


def float_case(seed, c_out, c_in, kernel, image):
    rng = numpy.random.default_rng(seed)
    return rng.normal(size=(c_out, c_in) + kernel), rng.normal(size=(c_out,)), rng.normal(size=(c_in,) + image)


@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("origin", [(0, 0), (1, 1), (2, 0)])
def test_correlation_with_channels_is_torch_conv2d(padding, origin):
    import torch
    import torch.nn.functional as F

    weight, bias, image = float_case(3, 4, 3, (3, 2), (5, 6))
    conv = Conv(weight, origin=origin, bias=bias, padding=padding, mode="correlation")
    o1, o2 = origin
    # Our tap k reads b[i + k - origin]: pad origin cells before each axis and k - 1 - origin after.
    widths = (o2, 1 - o2, o1, 2 - o1)
    x = torch.tensor(image[None])
    if padding != "valid":
        x = F.pad(x, widths, mode={"zeros": "constant", "circular": "circular", "edge": "replicate"}[padding])
    expected = F.conv2d(x, torch.tensor(weight), torch.tensor(bias))[0].numpy()
    out = conv(image)
    assert out.shape == expected.shape
    assert numpy.allclose(numpy.array(out.flat, dtype=float).reshape(out.shape), expected, rtol=0, atol=1e-12)


def test_a_centred_kernel_is_torch_conv2d_with_same_padding_and_torch_conv1d():
    import torch
    import torch.nn.functional as F

    weight, bias, image = float_case(5, 2, 3, (3, 3), (4, 7))
    out = Conv(weight, origin=(1, 1), bias=bias, mode="correlation")(image)
    expected = F.conv2d(torch.tensor(image[None]), torch.tensor(weight), torch.tensor(bias), padding=1)[0].numpy()
    assert numpy.allclose(numpy.array(out.flat, dtype=float).reshape(out.shape), expected, rtol=0, atol=1e-12)
    module = torch.nn.Conv2d(3, 2, 3, padding=1, padding_mode="circular", dtype=torch.float64)
    with torch.no_grad():
        module.weight.copy_(torch.tensor(weight))
        module.bias.copy_(torch.tensor(bias))
        expected = module(torch.tensor(image[None]))[0].numpy()
    out = Conv(weight, origin=1, bias=bias, padding="circular", mode="correlation")(image)
    assert numpy.allclose(numpy.array(out.flat, dtype=float).reshape(out.shape), expected, rtol=0, atol=1e-12)
    weight, bias, signal = float_case(6, 2, 3, (3,), (9,))
    out = Conv(weight, origin=1, bias=bias, mode="correlation")(signal)
    expected = F.conv1d(torch.tensor(signal[None]), torch.tensor(weight), torch.tensor(bias), padding=1)[0].numpy()
    assert numpy.allclose(numpy.array(out.flat, dtype=float).reshape(out.shape), expected, rtol=0, atol=1e-12)


def test_float_arrays_are_taken_at_their_binary_value():
    weight, bias, image = float_case(8, 1, 1, (1, 2), (2, 2))
    out = Conv(weight, bias=bias)(image)
    w, c, b = weight[0, 0, 0], bias[0], image[0]
    expected = [
        [R(c) + R(w[0]) * R(b[i, j]) + (R(w[1]) * R(b[i, j - 1]) if j else 0) for j in range(2)] for i in range(2)
    ]
    assert out == [expected] and out.is_exact


@settings(max_examples=40, deadline=None)
@given(
    case=conv2d_cases(paddings=["circular"]),
    shift=st.tuples(st.integers(-7, 7), st.integers(-7, 7)),
    activation=st.sampled_from(ACTIVATIONS),
)
def test_circular_2d_conv_commutes_exactly_with_integer_rolls(case, shift, activation):
    kernel, origin, bias, _, mode, b = case
    layer = Conv(kernel, origin=origin, bias=bias, padding="circular", mode=mode) >> activation
    image = numpy.array(nested_exact(b), dtype=object)
    rolled = numpy.roll(image, shift, axis=(0, 1))
    assert layer(rolled) == numpy.roll(as_array(layer(image)), shift, axis=(0, 1)).tolist()


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(data=st.data(), shift=st.tuples(st.integers(-9, 9), st.integers(-9, 9)))
def test_circular_channel_stacks_commute_exactly_with_integer_rolls(data, shift):
    c_in, c_mid = data.draw(st.integers(1, 2)), data.draw(st.integers(1, 2))
    nx, ny = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    first = data.draw(st.lists(st.lists(matrices(2, 2), min_size=c_in, max_size=c_in), min_size=c_mid, max_size=c_mid))
    second = data.draw(st.lists(st.lists(matrices(1, 3), min_size=c_mid, max_size=c_mid), min_size=1, max_size=1))
    layer = (
        Conv(first, origin=(1, 0), bias=data.draw(rationals), padding="circular")
        >> ReLU()
        >> Conv(second, origin=(0, 1), padding="circular", mode="correlation")
    )
    b = numpy.array(nested_exact(data.draw(st.lists(matrices(nx, ny), min_size=c_in, max_size=c_in))), dtype=object)
    assert layer(numpy.roll(b, shift, axis=(1, 2))) == numpy.roll(as_array(layer(b)), shift, axis=(1, 2)).tolist()


def test_zero_padding_breaks_2d_roll_equivariance():
    # The property above is not vacuous.
    b = numpy.array([[0, 0, 0], [0, 0, 1]], dtype=object)
    zeros, circular = Conv([[1, 2]]), Conv([[1, 2]], padding="circular")
    assert zeros(numpy.roll(b, 1, axis=1)) != numpy.roll(as_array(zeros(b)), 1, axis=1).tolist()
    assert circular(numpy.roll(b, 1, axis=1)) == numpy.roll(as_array(circular(b)), 1, axis=1).tolist()


# --- elementwise layers and composition on any shape ----------------------------


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("shape", [(5,), (2, 3), (2, 2, 3)])
def test_elementwise_layers_keep_any_shape(activation, shape):
    flat = [R(k - 5, 3) for k in range(math.prod(shape))]
    values = Values(flat, shape)
    out = activation(values)
    assert out.shape == shape and list(out.flat) == list(activation(flat))
    assert activation(numpy.array(flat, dtype=object).reshape(shape)) == out
    assert activation.output_shape(shape) == shape and activation.output_ranges(shape) == tuple(map(range, shape))
    with mpmath.workdps(30):
        numeric = activation(Values([to_mpmath(v) for v in flat], shape))
    assert numeric.shape == shape and all(type(v) is mpmath.mpf for v in numeric.flat)


def test_sequential_composes_in_2d_and_with_channels():
    image = [[0, 0, 1], [0, 1, 1], [1, 1, 1]]
    gx, gy = Conv([[1], [-1]], origin=(1, 0)), Conv([[1, -1]], origin=(0, 1))
    stack = gx >> ReLU() >> gy
    assert stack(image) == gy(ReLU()(gx(image)))
    # Channels: one channel in, two out (the two differences), then summed into one.
    both = Conv([[[[1], [-1]]], [[[0], [0]]]], origin=(1, 0)) >> ReLU() >> Conv([[[[1]], [[1]]]])
    out = both([image])
    assert out.shape == (1, 3, 3) and out == [ReLU()(gx(image))]


def test_valid_padding_shrinks_2d_outputs_and_ranges_compose():
    valid = Conv([[1, 1, 1], [1, 1, 1]], origin=(1, 1), padding="valid")
    assert valid.output_ranges((4, 5)) == (range(0, 3), range(1, 4))
    stack = valid >> ReLU() >> Conv([[1, 1]], padding=("zeros", "valid"))
    assert stack.output_ranges((4, 5)) == (range(0, 3), range(2, 4))
    assert stack.output_shape((4, 5)) == (3, 2) == stack(numpy.ones((4, 5), dtype=int)).shape
    channels = Conv(numpy.ones((3, 2, 2, 2), dtype=int), padding="valid")
    assert channels.output_ranges((2, 4, 4)) == (range(0, 3), range(1, 4), range(1, 4))
    assert channels.output_shape((2, 4, 4)) == (3, 3, 3)
    with pytest.raises(InvalidArgument, match=r"needs at least \(2, 3\) values per axis.*shape \(1, 5\)"):
        valid([[1, 2, 3, 4, 5]])


# --- reads: what the checker asks ------------------------------------------------


def test_reads_of_a_2d_conv_on_a_known_case():
    # y[i, j] = b[i+1, j] - b[i, j] on a 3 x 2 grid; flat position p = 2 i + j.
    conv = Conv([[1], [-1]], origin=(1, 0), padding="circular")
    periodic = conv.reads((3, 2), periodic=(True, False))
    assert periodic == [
        (frozenset({0, 2}), False),
        (frozenset({1, 3}), False),
        (frozenset({2, 4}), False),
        (frozenset({3, 5}), False),
        (frozenset({4, 0}), False),  # wraps along x, which is periodic
        (frozenset({5, 1}), False),
    ]
    # On an axis that does not wrap, the wrapped read is outside the grid.
    assert [outside for _, outside in conv.reads((3, 2), periodic=False)] == [False] * 4 + [True] * 2
    zeros = Conv([[1], [-1]], origin=(1, 0))
    assert zeros.reads((3, 2), periodic=True)[4:] == [(frozenset({4}), True), (frozenset({5}), True)]
    edge = Conv([[1], [-1]], origin=(1, 0), padding="edge")
    assert edge.reads((3, 2), periodic=True)[4] == (frozenset({4}), True)
    # A zero weight reads nothing, so it cannot reach outside.
    assert Conv([[0], [-1]], origin=(1, 0)).reads((3, 2), periodic=False)[4] == (frozenset({4}), False)


def test_reads_with_channels_use_flat_positions_of_the_channel_array():
    # Two input channels of 1 x 2, one output channel: out[0, 0, j] = b[0, 0, j] + b[1, 0, j - 1].
    conv = Conv([[[[1, 0]], [[0, 1]]]])
    assert conv.reads((2, 1, 2), periodic=False) == [(frozenset({0}), True), (frozenset({1, 2}), False)]
    assert conv.output_shape((2, 1, 2)) == (1, 1, 2)


def test_sequential_reads_compose_and_a_valid_axis_stops_wrapping():
    step = Conv([1, 1], padding="circular")  # y_j = b_j + b_(j-1)
    stack = step >> Tanh() >> step
    reads = stack.reads((4,), periodic=True)
    assert reads[0] == (frozenset({0, 3, 2}), False) and not any(outside for _, outside in reads)
    # After a valid layer the three outputs no longer wrap: the circular wrap of the next layer is outside.
    shrunk = Conv([1, 1], padding="valid") >> step
    reads = shrunk.reads((4,), periodic=True)
    assert [outside for _, outside in reads] == [True, False, False]
    assert reads[0][0] == frozenset({0, 1, 2, 3})
    assert stack.reads((4,), True) == stack.reads((4,), (True,))
    assert ReLU().reads((2, 2), periodic=(True, False)) == [(frozenset({p}), False) for p in range(4)]


@pytest.mark.parametrize(
    "layer, shape, periodic, error, words",
    [
        (Conv([[1, 1]]), (2, 2), (True,), InvalidType, r"one bool per spatial axis \(2\).*periodic=\(True,\)"),
        (Conv([1, 1]), (3,), "yes", InvalidType, "periodic='yes'"),
        (Conv([[1, 1]]), (3,), True, InvalidArgument, "takes an image of shape"),
        (ReLU(), (0, 2), True, InvalidArgument, r"positive length.*shape=\(0, 2\)"),
        (ReLU(), 4, True, InvalidType, "shape=4"),
        (ReLU() >> Conv([1]), (2,), None, InvalidType, "periodic=None"),
    ],
)
def test_bad_reads_arguments(layer, shape, periodic, error, words):
    with pytest.raises(error, match=words) as info:
        layer.reads(shape, periodic)
    assert isinstance(info.value, SymequivError)


# --- exact, mpmath and arb agree -----------------------------------------------------


def encloses(ball, value):
    """True when the arb ``ball`` contains the exact rational ``value`` (checked exactly)."""
    low, high = (R(int(m)) * R(2) ** int(e) for m, e in (ball.lower().man_exp(), ball.upper().man_exp()))
    return low <= value <= high


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("padding", PADDINGS)
def test_mpmath_and_arb_agree_with_exact_in_2d_with_channels(activation, padding):
    w = [[[[R(1, 3), -2], [R(1, 4), 1]], [[0, R(5, 7)], [-1, R(1, 9)]]]]  # (1, 2, 2, 2)
    b = [[[R(i - j, 3 + i) for j in range(4)] for i in range(3)], [[R(i * j - 1, 7) for j in range(4)] for i in range(3)]]
    layer = Conv(w, origin=(1, 0), bias="-1/7", padding=padding) >> activation
    exact_out = layer(b)
    with mpmath.workdps(50):
        numeric = layer([[[to_mpmath(v) for v in row] for row in image] for image in b])
        assert numeric.shape == exact_out.shape and all(type(v) is mpmath.mpf for v in numeric.flat)
        assert all(abs(v - to_mpmath(e)) < mpmath.mpf("1e-45") for v, e in zip(numeric.flat, exact_out.flat))
    saved = flint.ctx.prec
    flint.ctx.prec = 120
    try:
        balls = layer([[[ARB.number(v) for v in row] for row in image] for image in b])
    finally:
        flint.ctx.prec = saved
    assert balls.shape == exact_out.shape and all(isinstance(v, flint.arb) for v in balls.flat)
    if not isinstance(activation, Tanh):  # tanh of a rational is not rational: compare numerically
        assert all(encloses(v, e) for v, e in zip(balls.flat, exact_out.flat))
        # The checker's exact-rational backend runs the same table on flint rationals.
        flat = tuple(RATIONAL.number(v) for image in b for row in image for v in row)
        assert layer._run(flat, RATIONAL, (2, 3, 4)) == [flint.fmpq(int(e.p), int(e.q)) for e in exact_out.flat]
    else:
        assert all(abs(float(v.mid()) - float(e)) < 1e-15 for v, e in zip(balls.flat, exact_out.flat))


def test_a_flat_vector_without_a_shape_runs_as_in_one_dimension():
    # What the 1-D checker calls: layer._run(values, backend).
    layer = Conv([2, -2], origin=1, bias=-1) >> ReLU()
    assert layer._run((0, 0, 1, 1), None) == [0, 1, 0, 0]
    with mpmath.workdps(20):
        assert layer._run(tuple(map(mpmath.mpf, (0, 0, 1, 1))), MPMATH) == [0, 1, 0, 0]


def test_one_tap_table_serves_every_path_and_equal_shapes(monkeypatch):
    from symequiv.discrete import layers as module

    calls = []
    real = module._axis_taps

    def counting(*args):
        calls.append(args)
        return real(*args)

    module._tap_table.cache_clear()
    monkeypatch.setattr(module, "_axis_taps", counting)
    conv = Conv([[1, 2], [3, 4]], padding="edge")
    b = [[R(1, 3), 2, 0], [1, 1, R(-1, 2)]]
    with mpmath.workdps(30):
        conv(b), conv([[to_mpmath(R(v)) for v in row] for row in b]), conv.reads((2, 3), True)
    Conv([[5, 6], [7, 8]], padding="edge")(b)  # other weights, same geometry
    assert len(calls) == 2  # one per axis, once
    module._tap_table.cache_clear()


def test_a_symbolic_2d_kernel_is_exact_and_refuses_mpmath():
    a = sympy.Symbol("a", real=True)
    conv = Conv([[a, 1]], origin=(0, 1))  # y[i, j] = a b[i, j+1] + b[i, j]
    assert conv([[1, 2]]) == [[2 * a + 1, 2]]
    with pytest.raises(InvalidArgument, match=r"symbols a\b.*substitute numbers"):
        conv([[mpmath.mpf(1), mpmath.mpf(2)]])
    channels = Conv([[[a]], [[1]]], bias=[0, a])
    assert channels([[3]]) == [[3 * a], [3 + a]]
    with pytest.raises(InvalidArgument, match="symbols a"):
        channels([[mpmath.mpf(3)]])


# --- printing --------------------------------------------------------------------------


def test_2d_equality_compares_shape_origin_and_padding_per_axis():
    assert Conv([[1, 2]]) != Conv([1, 2]) and Conv([[1, 2]]) != Conv([[1], [2]])
    assert Conv([[1, 2], [3, 4]], origin=1) == Conv(((1, 2), (3, 4)), origin=(1, 1))
    assert Conv([[1, 2]], padding="edge") == Conv([[1, 2]], padding=["edge", "edge"])
    assert Conv([[1, 2]], padding=("edge", "zeros")) != Conv([[1, 2]], padding=("zeros", "edge"))
    assert Conv(numpy.array([[0.5, 1]])) == Conv([["1/2", 1]])
    assert Conv(numpy.array([[R(1, 3)]], dtype=object)) == Conv([["1/3"]])
    w = [[[1]], [[2]]]
    assert Conv(w, bias=2) == Conv(w, bias=[2, 2]) != Conv(w, bias=[2, 1])


def test_2d_and_channel_properties():
    conv = Conv([[1, 2, 3], [4, 5, 6]], origin=(1, 2), padding=("circular", "edge"), mode="correlation")
    assert conv.kernel == ((1, 2, 3), (4, 5, 6)) and conv.origin == (1, 2) and conv.bias == 0
    assert conv.padding == ("circular", "edge") and conv.dim == 2 and conv.channels is None
    one_d = Conv([[[1, 2]], [[3, 4]]], bias=[1, 2])
    assert one_d.kernel == (((1, 2),), ((3, 4),)) and one_d.dim == 1 and one_d.channels == (2, 1)
    assert one_d.origin == 0 and one_d.bias == (1, 2) and one_d.padding == "zeros"


# --- bad input in 2-D and with channels ------------------------------------------------


@pytest.mark.parametrize(
    "kernel, options, error, words",
    [
        ([[1, 2], [3]], {}, InvalidArgument, r"rows of one length.*kernel\[1\] has shape \(1,\).*kernel\[0\] has shape \(2,\)"),
        ([[1, 2], 3], {}, InvalidType, r"a sequence for kernel\[1\], as kernel\[0\] is, but got int: 3"),
        ([[]], {}, InvalidArgument, r"empty kernel \[\[\]\]"),
        (numpy.zeros((2, 0)), {}, InvalidArgument, "empty kernel"),
        ([[1, math.nan]], {}, InvalidArgument, r"finite.*kernel\[0\]\[1\]=nan"),
        (numpy.array([[1.0], [math.inf]]), {}, InvalidArgument, r"finite.*kernel\[1\]\[0\]=inf"),
        (numpy.array([[[[[1]]]]], dtype=object), {}, InvalidArgument, "5-D array"),
        ([[[[[1]]]]], {}, InvalidArgument, r"at most four levels.*kernel\[0\]\[0\]\[0\]\[0\] is a sequence"),
        ([[1, 2]], {"origin": (0, 2)}, InvalidArgument, r"origin=\(0, 2\) is outside the kernel of shape \(1, 2\).*0..1 on the second"),
        ([[1, 2]], {"origin": (0,)}, InvalidType, r"pair of ints \(o1, o2\).*origin=\(0,\)"),
        ([[1, 2]], {"origin": (0, 1.0)}, InvalidType, r"origin=\(0, 1.0\)"),
        ([[[1, 2]]], {"origin": (0, 1)}, InvalidType, r"int for origin but got origin=\(0, 1\)"),
        ([[1, 2]], {"padding": ("zeros",)}, InvalidArgument, r"one per axis \(2\).*padding=\('zeros',\)"),
        ([[1, 2]], {"padding": ("zeros", "mirror")}, InvalidArgument, r"Unknown padding\[1\]='mirror'"),
        ([1, 2], {"padding": ("zeros",)}, InvalidType, "for padding but got tuple"),
        ([[[1, 2]], [[3, 4]]], {"bias": [1, 2, 3]}, InvalidArgument, r"one bias per output channel \(2\).*got 3"),
        ([[[1, 2]], [[3, 4]]], {"bias": [1, math.nan]}, InvalidArgument, r"finite.*bias\[1\]=nan"),
        ([[1, 2]], {"bias": [1]}, InvalidType, "bias"),
    ],
)
def test_bad_2d_and_channel_kernels(kernel, options, error, words):
    with pytest.raises(error, match=words) as info:
        Conv(kernel, **options)
    assert isinstance(info.value, SymequivError)


@pytest.mark.parametrize(
    "layer, values, words",
    [
        (Conv([1, 2]), [[1, 2], [3, 4]], r"Conv\(\[1, 2\]\) takes a 1-D vector.*shape \(2, 2\); for those, use a 2-D kernel"),
        (Conv([1]) >> Tanh(), numpy.zeros((2, 3)), r"takes a 1-D vector.*\(2, 3\).*\(C_out, 2, k\) for 2 channels of 3"),
        (Conv([[1, 2]]), [1, 2, 3], r"takes an image of shape \(nx, ny\).*shape \(3,\); for those, use a 1-D kernel"),
        (Conv([[1, 2]]), numpy.zeros((3, 2, 2)), r"image.*\(3, 2, 2\).*\(C_out, 3, k1, k2\) for 3 channels"),
        (Conv([[[[1]], [[1]]]]), numpy.zeros((3, 2, 2)), r"\(2, nx, ny\), 2 channels, but got.*\(3, 2, 2\): 3 channels; give values with 2"),
        (Conv([[[[1]], [[1]]]]), numpy.zeros((2, 2)), r"give them a channel axis, shape \(2, 2, 2\)"),
        (Conv([[[1]]]), numpy.zeros((2, 5)), r"\(1, n\), 1 channel, but got .*\(2, 5\): 2 channels.*\(C_out, 2, k\)"),
        (Conv([[1]]), numpy.zeros((1, 1, 2, 2)), "at most three axes.*one image of a batch at a time"),
        (ReLU(), [[1, 2], [3]], "ragged"),
        (ReLU(), [[1, 2], [3, math.nan]], r"finite.*values\[1, 1\]=nan"),
        (ReLU(), [[1, 2], [3, None]], r"values\[1, 1\]"),
        (ReLU(), [[]], r"every axis.*shape \(1, 0\)"),
        (Identity(), [[mpmath.mpf(1), delta]], r"values\[0, 1\]=delta"),
    ],
)
def test_values_that_do_not_fit_get_one_clear_error(layer, values, words):
    with pytest.raises(SymequivError, match=words) as info:
        layer(values)
    assert isinstance(info.value, (InvalidArgument, InvalidType))


@pytest.mark.parametrize(
    "layers, words",
    [
        ((Conv([1, 1]), ReLU(), Conv([[1, 1]])), r"mixes a 1-D convolution \(layer 0\) with a 2-D one \(layer 2"),
        ((Conv([[[1]], [[1]]]), Conv([[[1]]])), r"Layer 1.*takes 1 input channel but layer 0 gives 2 channels"),
        ((Conv([[1]]), Conv([[[[1]]]])), "takes 1 input channel but layer 0 gives values without channels"),
        ((Conv([[[[1]]]]), Tanh(), Conv([[1]])), "Layer 2.*takes values without channels but layer 0 gives 1 channel;"),
    ],
)
def test_sequentials_whose_convolutions_do_not_fit_are_refused(layers, words):
    with pytest.raises(InvalidArgument, match=words):
        Sequential(*layers)
    with pytest.raises(InvalidArgument, match=words):
        chained = layers[0]
        for layer in layers[1:]:
            chained = chained >> layer


def test_read_array_gives_entries_shape_and_backend():
    assert read_array([[1, "1/2"], [0.25, "delta"]]) == ((1, R(1, 2), R(1, 4), delta), (2, 2), None)
    assert read_array([1, 2]) == ((1, 2), (2,), None)
    with mpmath.workdps(20):
        entries, shape, backend = read_array(numpy.array([[[mpmath.mpf(1), 2]]], dtype=object))
    assert shape == (1, 1, 2) and backend is MPMATH and all(type(v) is mpmath.mpf for v in entries)
