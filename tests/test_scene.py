"""Scenes taken apart into terms: each term's kind, the identity behind it, exact areas."""

import pytest
import sympy

from symequiv import x, y
from symequiv.continuous.scene import Edge, Other, Polygon, Separable, linear_form, polygon_area, scene_terms
from symequiv.numeric.parsing import parse_expression

R = sympy.Rational


def terms(text):
    return scene_terms(parse_expression(text, {"x": x, "y": y}))


@pytest.mark.parametrize("text, kinds", [
    ("x**2*y - 3*x*y**2", ["Separable", "Separable"]),
    ("exp(-(x**2 + y**2))", ["Separable"]),
    ("sin(2*pi*(x + 2*y))", ["Separable", "Separable"]),
    ("Heaviside(x - 1/4)*cos(y)", ["Separable"]),
    ("Heaviside(x + 2*y - 1/3)", ["Edge"]),
    ("(x - y)*Heaviside(2*x + y)", ["Edge", "Edge"]),
    ("Heaviside(x + y)*Heaviside(1 - x)*Heaviside(y)", ["Polygon"]),
    ("Heaviside(1 - x**2 - y**2)", ["Other"]),
    ("exp(-(x**2 + x*y + y**2))", ["Other"]),
    ("sin(x*y)", ["Other"]),
    ("exp(x)*Heaviside(x + y)", ["Other"]),
])
def test_each_term_gets_the_route_that_fits_it(text, kinds):
    assert sorted(type(t).__name__ for t in terms(text)) == sorted(kinds)


@pytest.mark.parametrize("text", ["sin(2*pi*(x + 2*y)) + cos(2*pi*(3*x - y))", "exp(-(x - 1)**2 - 2*(y + 1)**2)",
                                  "(x + y)**3", "(x - y + 1/2)*Heaviside(2*x + y - 1/4)"])
def test_the_terms_add_up_to_the_scene(text):
    expr = parse_expression(text, {"x": x, "y": y})
    assert sympy.simplify(sympy.expand(sum(t.expr for t in terms(text)) - expr, trig=True)) == 0


@pytest.mark.parametrize("text", ["Heaviside(x + 2*y - 1/3)", "(x - y + 1/2)*Heaviside(2*x + y - 1/4)",
                                  "x**2*y*Heaviside(sqrt(2)*x - pi*y + 1/7)"])
def test_an_edge_primitive_has_the_term_as_its_mixed_derivative_and_vanishes_on_the_edge(text):
    for term in terms(text):
        assert isinstance(term, Edge)
        inside = term.primitive.args[0][0]
        assert sympy.expand(sympy.diff(inside, x, y) - term.q) == 0  # written out: d2/dxdy of the u > 0 branch
        a, b, c = linear_form(term.u)
        on_edge = {y: -(a * x + c) / b}
        assert sympy.simplify(inside.subs(on_edge)) == 0
        assert sympy.simplify(sympy.diff(inside, x).subs(on_edge)) == 0  # C^1 across the edge


def test_linear_forms():
    assert linear_form(2 * x - sympy.sqrt(3) * y + R(1, 5)) == (2, -sympy.sqrt(3), R(1, 5))
    assert linear_form(x * y) is None and linear_form(sympy.Integer(3)) is None
    assert linear_form(x + sympy.Symbol("k")) is None


def test_polygon_areas_are_exact():
    assert polygon_area([x + y - 1], 0, 1, 0, 1) == R(1, 2)
    assert polygon_area([x - R(1, 4), R(3, 4) - x, y - R(1, 2)], 0, 1, 0, 1) == R(1, 4)
    assert polygon_area([x + y + 5], 0, 1, 0, 1) == 1 and polygon_area([-x - y - 5], 0, 1, 0, 1) == 0
    # below y = sqrt(2) x in the unit square: sqrt(2)/4 for x < 1/sqrt(2), then 1 - 1/sqrt(2)
    area = polygon_area([sympy.sqrt(2) * x - y], 0, 1, 0, 1)
    assert sympy.simplify(area - (1 - sympy.sqrt(2) / 4)) == 0
    # a vertex exactly on an edge is decided exactly, not by rounding
    assert polygon_area([x - y], 0, 1, 0, 1) == R(1, 2)


def test_polygon_and_other_terms_keep_their_parts():
    polygon, = terms("3*Heaviside(x + y)*Heaviside(1 - x)")
    assert isinstance(polygon, Polygon) and polygon.coefficient == 3 and len(polygon.edges) == 2
    other, = terms("sin(x*y)")
    assert isinstance(other, Other) and other.expr == sympy.sin(x * y)
    product, = terms("x*cos(y)")
    assert isinstance(product, Separable) and (product.fx, product.fy) == (x, sympy.cos(y))
