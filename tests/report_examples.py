"""A derivation with every kind of step, and what the tests of its formats share."""

import struct
import zlib

import mpmath
import sympy

from symequiv import CellAverage, Grid, LinearShift, Signal, check_commutation, delta
from symequiv.judge.verdict import Verdict
from symequiv.output.report import Derivation

NAME = "eq4_conv_layer"
TEXT = "Plain <script>alert(1)</script> & 50% of $\\delta = dx/2$ costs \\$5_#."
PIECEWISE = sympy.Eq(
    sympy.Function("y")(delta),
    sympy.Piecewise((1, delta <= 0), (1 - 2 * delta, delta <= sympy.Rational(1, 2)), (0, True)),
)
# What matplotlib writes: a prolog, a DOCTYPE and metadata with addresses in them.
SVG = b"""<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="40pt" height="30pt" viewBox="0 0 40 30"
     xmlns="http://www.w3.org/2000/svg" version="1.1">
 <metadata>
  <rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
   <dc:title>Matplotlib, https://matplotlib.org/</dc:title>
  </rdf:RDF>
 </metadata>
 <defs><clipPath id="p1"><rect x="0" y="0" width="40" height="30"/></clipPath></defs>
 <g clip-path="url(#p1)"><path d="M 0 30 L 20 30 L 20 0 L 40 0" style="fill: none; stroke: #1f77b4"/></g>
 <use xlink:href="#p1"/>
</svg>
"""


def tiny_png(rgb=(255, 0, 0)):
    """A valid 1x1 PNG, made by hand."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes([0, *rgb]))) + chunk(b"IEND", b""))


def real_verdict():
    return check_commutation(CellAverage(Grid(-1, 1, 4)), Signal("Heaviside(x - 1/4)"), "1/4", LinearShift())


def proved_verdict():
    return Verdict("S_1 D[f] = D[f(x - dx)] on cells 1..2", True, "symbolic", [0, 0], cells=(1, 2))


def build(verdict=None):
    """A derivation with every kind of step."""
    verdict = real_verdict() if verdict is None else verdict
    d = Derivation(NAME, "A conv layer is not translation equivariant (eq. 4)",
                   claim="N(C[a, D[f(x - delta)]]) != g N(C[a, D[f]]) for some delta")
    d.text(TEXT)
    d.math(PIECEWISE, label="cell 2 in closed form")
    d.verdict(verdict, label="linear shift at $d = 1/4$")
    d.table(["cell", "value"], [[0, sympy.Rational(1, 2)], ["a|b", mpmath.mpf(2) / 3], [sympy.Abs(delta), "-"],
                                ["", [0, sympy.Rational(1, 2), mpmath.mpf(1) / 4]]],
            caption="Cell averages")
    d.figure("figure1", png=tiny_png(), svg=SVG, caption="The step $H$")
    d.figure("figure2", png=tiny_png((0, 0, 255)), caption="PNG only")
    d.correction(paper="D[f(x - dx)] = S_1 D[f] on any grid", corrected="only on a periodic grid",
                 check=proved_verdict())
    return d


def in_order(text, pieces):
    position = -1
    for piece in pieces:
        found = text.find(piece, position + 1)
        assert found > position, f"{piece!r} missing or out of order"
        position = found
