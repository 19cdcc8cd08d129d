"""The public contract of DESIGN.md: every name exists and __all__ is honest."""

import sympy

import symequiv as se

CONTRACT = [
    "x", "delta", "Signal", "Grid", "CellAverage", "PointSample", "Conv", "ReLU", "LeakyReLU", "Tanh",
    "Identity", "Sequential", "IntegerShift", "LinearShift", "CubicShift", "FourierShift", "SymequivError",
]


def test_contract_names_exist_and_are_exported():
    for name in CONTRACT:
        assert hasattr(se, name), name
        assert name in se.__all__, name


def test_all_is_exactly_what_the_package_exports():
    assert len(set(se.__all__)) == len(se.__all__)
    for name in se.__all__:
        assert getattr(se, name) is not None


def test_symbols_are_real():
    assert isinstance(se.x, sympy.Symbol) and se.x.is_real
    assert isinstance(se.delta, sympy.Symbol) and se.delta.is_real


def test_every_error_is_a_symequiv_error_and_a_builtin():
    for name in ["InvalidArgument", "InvalidType", "ExpressionError", "UnsupportedSignal", "GridMismatch", "BudgetExceeded"]:
        error = getattr(se, name)
        assert issubclass(error, se.SymequivError)
        assert issubclass(error, (ValueError, TypeError, TimeoutError))


def test_the_papers_example_end_to_end():
    grid = se.Grid(-1, 1, 4)
    D = se.CellAverage(grid)
    H = se.Signal("Heaviside(x)")
    layer = se.Conv([2, -2], origin=1, bias=-1) >> se.ReLU()
    original, translated = D(H), D(H.shifted(grid.dx / 2))
    assert original == [0, 0, 1, 1]
    assert translated == [0, 0, sympy.Rational(1, 2), 1]
    assert layer(original) == [0, 1, 0, 0]
    assert layer(translated) == [0, 0, 0, 0]
    assert all(isinstance(v, sympy.Integer) for v in layer(translated))
    # the layer applied to the closed form, then evaluated, gives the same outputs
    assert layer(D.closed_form(H)).__class__ is se.Values
    assert [v.subs(se.delta, grid.dx / 2) for v in layer(D.closed_form(H))] == [0, 0, 0, 0]
