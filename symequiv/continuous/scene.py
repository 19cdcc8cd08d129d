"""Scenes f(x, y) taken apart into terms whose cell averages are exact.

The average of a scene over the rectangle [x0, x1] x [y0, y1] is found term by
term, each term by the route that fits it:

* :class:`Separable`: g(x) * h(y). Its average is the product of the
  one-dimensional averages of g along x and of h along y, so every rule of the
  one-dimensional antiderivatives (checked, continuous, poles refused) applies
  to it unchanged. Polynomials in x and y, axis-aligned Gaussians, and
  trigonometric polynomials in x and y are sums of such terms once the
  arguments of sin, cos and exp are split (sin(A + B) = sin A cos B + cos A sin B).
* :class:`Edge`: q(x, y) * H(u) with u = a*x + b*y + c (a, b nonzero) and q a
  polynomial: an oriented edge, or a ramp. Its double primitive is the
  truncated polynomial F = u**2 * R(x, y) for u > 0 and 0 otherwise, with R
  solved so that d^2/dxdy (u**2 R) = q; F is continuously differentiable (it
  vanishes to second order on the edge), so the integral over a rectangle is
  F at its four corners by inclusion-exclusion. The identity for R is checked
  by exact polynomial arithmetic.
* :class:`Polygon`: c * H(u_1) * ... * H(u_k), half-planes of which at least
  one is oblique: a convex polygon (or an unbounded convex region). Its
  average over a rectangle is the exact area of the clipped polygon.
* :class:`Other`: everything else (a disk Heaviside(r**2 - x**2 - y**2), a
  rotated Gaussian, sin(x*y)); averaged by quadrature, and said so.

>>> from symequiv.continuous.symbols import x, y
>>> import sympy
>>> [type(t).__name__ for t in scene_terms(sympy.sin(2*sympy.pi*(x + y)) + x*y)]
['Separable', 'Separable', 'Separable']
>>> edge, = scene_terms(sympy.Heaviside(x + 2*y - sympy.Rational(1, 3)))
>>> edge.primitive
Piecewise(((3*x + 6*y - 1)**2/36, x + 2*y > 1/3), (0, True))

Heaviside's value at 0 does not matter here: the terms are equal to the scene
almost everywhere, which is all an average sees (point samples never use them).
"""

import functools

import sympy

from ..errors import UnsupportedSignal, short_str
from ..numeric import exact
from ..numeric.budget import SYMPY_BUDGET_SECONDS, time_budget
from ..numeric.numbers import exact_number
from .antiderivative import is_identically_zero
from .symbols import x, y

__all__ = ["Separable", "Edge", "Polygon", "Other", "scene_terms", "linear_form", "polygon_area"]


class Separable:
    """The term ``fx(x) * fy(y)``."""

    __slots__ = ("fx", "fy")

    def __init__(self, fx, fy):
        self.fx, self.fy = fx, fy

    @property
    def expr(self):
        return self.fx * self.fy

    def __repr__(self):
        return f"Separable({self.fx}, {self.fy})"


class Edge:
    """The term ``q(x, y) * H(u)``, u linear with both coefficients nonzero; ``primitive`` its double primitive."""

    __slots__ = ("q", "u", "primitive")

    def __init__(self, q, u, primitive):
        self.q, self.u, self.primitive = q, u, primitive

    @property
    def expr(self):
        return self.q * sympy.Heaviside(self.u, 0)

    def __repr__(self):
        return f"Edge({self.q}, {self.u})"


class Polygon:
    """The term ``coefficient * H(u_1) * ... * H(u_k)``: a constant on a convex region."""

    __slots__ = ("coefficient", "edges")

    def __init__(self, coefficient, edges):
        self.coefficient, self.edges = coefficient, tuple(edges)

    @property
    def expr(self):
        return self.coefficient * sympy.Mul(*[sympy.Heaviside(u, 0) for u in self.edges])

    def __repr__(self):
        return f"Polygon({self.coefficient}, {list(self.edges)})"


class Other:
    """A term without an exact route: averaged by quadrature."""

    __slots__ = ("expr",)

    def __init__(self, expr):
        self.expr = expr

    def __repr__(self):
        return f"Other({self.expr})"


@functools.lru_cache(maxsize=256)
def scene_terms(expr):
    """The terms of the scene ``expr`` (in x and y), their sum shown equal to it almost everywhere.

    Raises :class:`~symequiv.errors.UnsupportedSignal` when the rewriting into
    terms cannot be shown to be an identity.
    """
    with time_budget(SYMPY_BUDGET_SECONDS, f"taking the scene {short_str(expr)} apart into terms"):
        rewritten = sympy.expand(_split_arguments(sympy.expand(expr)))
        # The rewriting is sympy's algebra: checked, not trusted (Heaviside powers are kept here).
        if not is_identically_zero(rewritten - expr):
            raise UnsupportedSignal(f"The rewriting of the scene {short_str(expr)} into terms could not be checked",
                                    expr)
        return tuple(_term(t) for t in sympy.Add.make_args(rewritten) if t != 0)


def _split_arguments(expr):
    """sin, cos and exp of a sum A(x) + B(y) written as products of functions of x alone and y alone."""

    def splittable(node):
        if not isinstance(node, (sympy.sin, sympy.cos, sympy.exp)):
            return False
        along_x, along_y = sympy.expand(node.args[0]).as_independent(y, as_Add=True)
        return along_x.has(x) and along_y != 0 and not along_y.has(x)

    def split(node):
        along_x, along_y = sympy.expand(node.args[0]).as_independent(y, as_Add=True)
        if isinstance(node, sympy.exp):
            return sympy.exp(along_x) * sympy.exp(along_y)
        sx, cx, sy, cy = sympy.sin(along_x), sympy.cos(along_x), sympy.sin(along_y), sympy.cos(along_y)
        return sx * cy + cx * sy if isinstance(node, sympy.sin) else cx * cy - sx * sy

    return expr.replace(splittable, split)


def _term(term):
    along_x, along_y = term.as_independent(y, as_Add=False)
    if not along_y.has(x):
        # exp(x)*exp(-x**2) back to exp(x - x**2): sympy integrates the one, not the other
        return Separable(sympy.powsimp(along_x), sympy.powsimp(along_y))
    edges, cofactor = [], sympy.Integer(1)
    for factor in sympy.Mul.make_args(term):
        base = factor.base if factor.is_Pow and factor.exp.is_Integer and factor.exp > 0 else factor
        if isinstance(base, sympy.Heaviside) and linear_form(base.args[0]) is not None:
            edges.append(base.args[0])  # H(u)**k = H(u) almost everywhere
        else:
            cofactor *= factor
    edges = list(dict.fromkeys(edges))
    oblique = [u for u in edges if all(c != 0 for c in linear_form(u)[:2])]
    if len(edges) == 1 and oblique and cofactor.is_polynomial(x, y) and not cofactor.free_symbols - {x, y}:
        primitive = _edge_primitive(cofactor, edges[0])
        if primitive is not None:
            return Edge(cofactor, edges[0], primitive)
    if len(edges) >= 2 and oblique and cofactor.is_number:
        return Polygon(cofactor, edges)
    return Other(term)


def linear_form(u):
    """(a, b, c) when ``u`` is a*x + b*y + c with real number coefficients, else None."""
    if not u.free_symbols or u.free_symbols - {x, y}:
        return None
    try:
        poly = sympy.Poly(u, x, y)
    except sympy.PolynomialError:
        return None
    if poly.total_degree() != 1 or not all(c.is_number and c.is_real for c in poly.coeffs()):
        return None
    return poly.coeff_monomial(x), poly.coeff_monomial(y), poly.coeff_monomial(1)


def _edge_primitive(q, u):
    """The double primitive of q * H(u): Piecewise((u**2 * R, u > 0), (0, True)), or None if R is not found."""
    degree = sympy.Poly(q, x, y).total_degree() if q.has(x, y) else 0
    unknowns, R = [], sympy.Integer(0)
    for i in range(degree + 1):
        for j in range(degree + 1 - i):
            r = sympy.Dummy(f"r{i}{j}")
            unknowns.append(r)
            R += r * x**i * y**j
    equations = sympy.Poly(sympy.expand(sympy.diff(u**2 * R, x, y) - q), x, y).coeffs()
    solutions = sympy.linsolve(equations, unknowns)
    if not solutions:
        return None
    solution = next(iter(solutions))
    R = sympy.expand(R.xreplace(dict(zip(unknowns, (s.xreplace({r: 0 for r in unknowns}) for s in solution)))))
    if R.free_symbols - {x, y} or not is_identically_zero(sympy.diff(u**2 * R, x, y) - q):
        return None
    return sympy.Piecewise((sympy.factor(u**2 * R), u > 0), (0, True))


def polygon_area(edges, x0, x1, y0, y1):
    """The exact area of {u > 0 for every u in edges} within the rectangle [x0, x1] x [y0, y1].

    Sutherland-Hodgman clipping of the rectangle by each half-plane, every
    side of a vertex decided by :func:`symequiv.numeric.exact.sign`, then the
    shoelace formula.

    >>> import sympy
    >>> polygon_area([x + y, 1 - x - y], 0, 1, 0, 1)  # the band 0 < x + y < 1: a triangle
    1/2
    """
    x0, x1, y0, y1 = (exact_number(v, name) for v, name in zip((x0, x1, y0, y1), ("x0", "x1", "y0", "y1")))
    polygon = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    for u in edges:
        a, b, c = linear_form(u)
        values = [a * px + b * py + c for px, py in polygon]
        signs = [exact.sign(v) for v in values]
        clipped = []
        for k, (point, value, side) in enumerate(zip(polygon, values, signs)):
            following = (k + 1) % len(polygon)
            if side >= 0:
                clipped.append(point)
            if side * signs[following] < 0:
                t = value / (value - values[following])
                (px, py), (qx, qy) = point, polygon[following]
                clipped.append((sympy.expand(px + t * (qx - px)), sympy.expand(py + t * (qy - py))))
        polygon = clipped
        if len(polygon) < 3:
            return sympy.Integer(0)
    twice = sum(px * qy - qx * py for (px, py), (qx, qy) in zip(polygon, polygon[1:] + polygon[:1]))
    return sympy.radsimp(sympy.expand(twice / 2))
