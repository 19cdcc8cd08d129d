"""The public contract of DESIGN.md: every name exists and __all__ is honest."""

import ast
import pathlib

import sympy

import symequiv as se

CONTRACT = [
    "x", "delta", "Signal", "Grid", "CellAverage", "PointSample", "Conv", "ReLU", "LeakyReLU", "Tanh",
    "Identity", "Sequential", "IntegerShift", "LinearShift", "CubicShift", "LanczosShift", "FourierShift",
    "SymequivError",
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


# The layers of the package, bottom to top (README, "Architecture"): a module may
# import from its own layer and those below it, never from a layer above.
LAYERS = ["errors", "numeric", "continuous", "discrete", "judge", "output", "testing|strategies"]


def _layer_of(module):
    """The layer index of a module path below ``symequiv`` such as 'judge.check', or None."""
    head = module.split(".")[0]
    for index, names in enumerate(LAYERS):
        if head in names.split("|"):
            return index
    return None


def _imports(path):
    """Every symequiv module a source file imports, function-local imports included."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] if node.module else [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith("symequiv."):
                yield name[len("symequiv."):], node.lineno


PACKAGE = pathlib.Path(se.__file__).parent


def test_no_module_imports_from_a_layer_above_it():
    violations = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _layer_of(".".join(path.relative_to(PACKAGE).with_suffix("").parts))
        if here is None:
            continue  # symequiv/__init__.py and __main__.py gather every layer
        for target, line in _imports(path):
            there = _layer_of(target)
            if there is not None and there > here:
                violations.append(f"{path.relative_to(PACKAGE)}:{line} imports {target}")
    assert violations == []


def test_the_layer_test_sees_relative_and_local_imports(tmp_path):
    # The checker above must not pass because it reads nothing: it finds the imports of a real module.
    found = dict(_imports(PACKAGE / "judge" / "check.py"))
    assert "judge.verdict" in found and "discrete.fast" in found and "numeric.balls" in found


def test_every_subpackage_follows_the_data_flow():
    subpackages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    assert subpackages == ["continuous", "discrete", "judge", "numeric", "output"]
