import mpmath
import pytest
import sympy
from hypothesis import given, settings

import symequiv as se
from symequiv import Signal, delta, x
from symequiv.errors import ExpressionError, InvalidArgument, InvalidType
from symequiv.numeric.parsing import parse_expression
from symequiv.continuous.signal import signal_latex, signal_text
from symequiv.strategies import signals

R = sympy.Rational


def test_paper_heaviside_is_zero_at_zero():
    assert Signal("Heaviside(x)")(0) == 0
    assert Signal(sympy.Heaviside(x, 0))(0) == 0
    assert Signal("Heaviside(x, 1/2)")(0) == R(1, 2)
    assert Signal(sympy.Heaviside(x, 1))(0) == 1


def test_a_sympy_heaviside_keeps_the_value_sympy_gives_it():
    # sympy stores Heaviside(x) as Heaviside(x, 1/2): one object, so the only rule that
    # keeps Signal(signal.expr) equal to signal is to take sympy's value as it is.
    assert sympy.Heaviside(x) is sympy.Heaviside(x, R(1, 2))
    assert Signal(sympy.Heaviside(x))(0) == R(1, 2) == sympy.Heaviside(x).subs(x, 0)


@pytest.mark.parametrize("at_zero", ["0", "1/2", "1", "1/3"])
def test_the_value_at_a_jump_survives_printing_rewrapping_and_parsing(at_zero):
    value = R(at_zero)
    signal = Signal(f"3*Heaviside(x - 1/4, {at_zero}) + x").shifted("1/8")
    jump = R(3, 8)  # f(jump) = 3 H(0) + (jump - 1/8)
    assert signal(jump) == 3 * value + R(1, 4)
    assert f"Heaviside(x - 3/8, {at_zero})" in repr(signal)
    assert eval(repr(signal)) == signal
    for rebuilt in (Signal(signal), Signal(signal.expr), Signal(str(signal)), Signal(signal_text(signal))):
        assert rebuilt == signal and rebuilt(jump) == 3 * value + R(1, 4)
    assert parse_expression(signal_text(signal), {"x": x}) == signal.expr


def test_a_signal_given_a_signal_keeps_its_period_and_parameters():
    wave = Signal("sin(2*pi*x)", period=1)
    assert Signal(wave).period == 1 and Signal(wave, period=2).period == 2
    scaled = Signal("k*Heaviside(x, 1/2)", parameters=["k"])
    assert Signal(scaled) == scaled and Signal(scaled).parameters == scaled.parameters


def test_signal_text_writes_what_the_parser_reads_back():
    assert signal_text(sympy.Heaviside(x)) == "Heaviside(x, 1/2)"
    assert str(Signal("Heaviside(x - 1)")) == "Heaviside(x - 1, 0)"
    conditions = [sympy.Ne(x, 0), sympy.Eq(x, 1), sympy.Or(x < -1, sympy.Ne(x, 3)), sympy.Not((x > 0) & (x < 1))]
    for condition in conditions:
        signal = Signal(sympy.Piecewise((1, condition), (0, True)))
        assert eval(repr(signal)) == signal, repr(signal)
    with pytest.raises(InvalidType, match="Signal or a sympy expression"):
        signal_text("Heaviside(x)")


@settings(max_examples=60, deadline=None)
@given(signal=signals())
def test_drawn_signals_paste_back(signal):
    assert eval(repr(signal)) == signal
    assert Signal(str(signal)) == signal


def test_latex_writes_the_step_as_the_reports_do():
    assert Signal("Heaviside(x)")._repr_latex_() == "$\\displaystyle f(x) = H\\left(x\\right)$"
    assert "theta" not in Signal("2*Heaviside(x - 1/4)**2")._repr_latex_()
    half = Signal("Heaviside(x, 1/2) - Heaviside(x - 1)")._repr_latex_()
    assert "H_{1/2}\\left(x\\right)" in half and "- H\\left(x - 1\\right)" in half
    assert half.endswith("\\quad \\text{where } H_{1/2}(0) = \\frac{1}{2}$")
    assert signal_latex(sympy.Heaviside(x, R(-1, 3))) == "H_{-1/3}\\left(x\\right)"


def test_shifted_moves_content_right():
    step = Signal("Heaviside(x)")
    moved = step.shifted("1/4")
    assert moved("1/8") == 0 and moved("3/8") == 1
    assert moved.expr == sympy.Heaviside(x - sympy.Rational(1, 4), 0)
    assert step.shifted(1).shifted(-1) == step
    assert Signal("x**2").shifted(delta).expr == (x - delta) ** 2
    assert Signal("x").shifted("2*delta")(0) == -2 * delta


def test_symbols_of_a_users_sympy_expression_are_adopted():
    plain_x = sympy.Symbol("x")
    assert Signal(sympy.sin(plain_x)).expr == sympy.sin(x)


def test_parameters():
    assert Signal("exp(-x**2/s)", parameters={"s": "1/2"}).expr == sympy.exp(-2 * x**2)
    kept = Signal("sin(k*x)", parameters=["k"])
    k = sympy.Symbol("k", real=True)
    assert kept.expr == sympy.sin(k * x)
    with pytest.raises(ExpressionError, match="'k'.*declare parameters"):
        Signal("sin(k*x)")
    with pytest.raises(InvalidArgument, match="free symbol.*k.*parameters="):
        Signal(sympy.sin(k * x))
    with pytest.raises(InvalidArgument, match="free symbol.*delta.*shifted"):
        Signal(sympy.sin(x - delta))
    with pytest.raises(InvalidArgument, match="parameter name"):
        Signal("x", parameters={"__class__": 1})
    with pytest.raises(InvalidType):
        Signal("x", parameters="k")
    with pytest.raises(InvalidArgument, match="finite"):
        Signal("a*x", parameters={"a": float("nan")})


def test_period_is_checked():
    assert Signal("sin(2*pi*x)", period=1).period == 1
    assert Signal("sin(2*pi*x)", period=2).period == 2
    with pytest.raises(InvalidArgument, match="not periodic"):
        Signal("sin(2*pi*x)", period="1/3")
    with pytest.raises(InvalidArgument, match="positive period"):
        Signal("sin(2*pi*x)", period=-1)


def test_bad_signals():
    with pytest.raises(ExpressionError):
        Signal("__import__('os')")
    with pytest.raises(InvalidType):
        Signal(["x"])
    with pytest.raises(InvalidType):
        Signal(None)


def test_printing_is_constructor_form():
    for signal in [Signal("Heaviside(x)"), Signal("Heaviside(x, 1/2)"), Signal("sin(2*pi*x)", period=1), Signal("x**2/3")]:
        assert eval(repr(signal)) == signal  # repr is constructor form
    assert Signal("x").shifted("1/2")._repr_latex_() == "$\\displaystyle f(x) = x - \\frac{1}{2}$"


def test_numeric_value():
    value = Signal("exp(x)").numeric("1/3", dps=40)
    with mpmath.workdps(40):
        assert abs(value - mpmath.exp(mpmath.mpf(1) / 3)) < mpmath.mpf(10) ** -38


# ---------------------------------------------------------------- scenes --


def test_a_scene_uses_x_and_y_and_moves_by_a_pair():
    scene = Signal("Heaviside(x + 2*y - 1/3)")
    assert scene.dim == 2 and Signal("x").dim == 1
    moved = scene.shifted(("1/4", "-1/8"))
    # (x, y) -> f(x - 1/4, y + 1/8): x - 1/4 + 2*(y + 1/8) - 1/3 = x + 2y - 1/3
    assert moved.expr == sympy.Heaviside(se.x + 2 * se.y - sympy.Rational(1, 3), 0)
    assert moved(("1/3", 0)) == 0 and moved(("1/3", "1/100")) == 1
    assert scene.shifted((se.delta_x, se.delta_y)).expr.free_symbols == {se.x, se.y, se.delta_x, se.delta_y}


def test_a_signal_in_x_alone_moves_by_a_pair_too():
    signal = Signal("x**2").shifted((1, 2))
    assert signal.expr == (se.x - 1) ** 2 and signal.dim == 2  # moved along y: a scene on a 2-D grid


def test_a_scene_refuses_one_number_where_it_needs_a_pair():
    with pytest.raises(InvalidArgument, match=r"pair \(dx, dy\)"):
        Signal("x*y").shifted("1/2")
    with pytest.raises(InvalidArgument, match=r"point \(x, y\)"):
        Signal("x*y")(1)
    with pytest.raises(InvalidArgument, match="one entry per axis"):
        Signal("x*y").shifted((1, 2, 3))


def test_a_scene_period_is_checked_per_axis():
    scene = Signal("sin(2*pi*x) * cos(4*pi*y)", period=(1, "1/2"))
    assert scene.period == (1, sympy.Rational(1, 2))
    assert Signal("sin(2*pi*x) * y", period=(1, None)).period == (1, None)
    with pytest.raises(InvalidArgument, match=r"not periodic with period\[1\]=1/3"):
        Signal("sin(2*pi*x) * cos(4*pi*y)", period=(1, "1/3"))
    with pytest.raises(InvalidArgument, match="period per axis"):
        Signal("sin(2*pi*x) * cos(4*pi*y)", period=1)
    assert eval(repr(scene), {"Signal": Signal, "S": sympy.S}) == scene


def test_y_and_the_shift_names_are_not_parameters():
    for name in ("y", "delta_x", "delta_y"):
        with pytest.raises(InvalidArgument, match="parameter name"):
            Signal("x", parameters={name: 1})
    with pytest.raises(InvalidArgument, match="delta_x.*shifted"):
        Signal(se.x - se.delta_x)
