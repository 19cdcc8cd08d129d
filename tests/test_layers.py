"""Tests of symequiv.discrete.layers: eq. (3) convolution, padding, activations, both paths."""

import math
from fractions import Fraction

import mpmath
import numpy
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequiv.numeric.backends import MPMATH
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
from symequiv.discrete.values import Values

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
        (numpy.ones((2, 2)), InvalidArgument, "1-D kernel.*shape"),
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
        ([[1, 2], [3, 4]], InvalidArgument, r"1-D vector.*values\[0\] is itself a sequence"),
        (numpy.zeros((2, 3)), InvalidArgument, r"2-D array of shape \(2, 3\)"),
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
