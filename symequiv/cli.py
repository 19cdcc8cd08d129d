"""The ``symequiv`` command line.

``symequiv example`` prints the paper's edge-detector derivation (Section 3,
Figure 1): the pixels of H(x) and of H(x - dx/2), the conv layer's outputs on
both, and every pixel and output as an exact function of the shift delta.

Exit codes: 0 done; 2 bad input (one line on stderr, no traceback).
"""

import argparse
import sys

from . import __version__
from .errors import SymequivError

__all__ = ["main", "edge_detector_report"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def edge_detector_report():
    """The text of the paper's edge-detector example, every number computed.

    >>> print(edge_detector_report())  # doctest: +ELLIPSIS
    The paper's edge detector (Section 3, Figure 1)
    ...
      pixels D[f]          = [0, 0, 1, 1]
      layer output         = [0, 1, 0, 0]
    ...
      pixels D[f]          = [0, 0, 1/2, 1]
      layer output         = [0, 0, 0, 0]
    ...
    """
    import sympy

    from .discretize import CellAverage
    from .grid import Grid
    from .layers import Conv, ReLU
    from .piecewise import PiecewiseFunction
    from .signal import Signal
    from .symbols import delta

    grid = Grid(-1, 1, 4)
    D = CellAverage(grid)
    layer = Conv([2, -2], origin=1, bias=-1) >> ReLU()
    step = Signal("Heaviside(x)")
    images = [("f(x) = H(x)", step), (f"f(x - dx/2) = H(x - {grid.dx / 2})", step.shifted(grid.dx / 2))]

    lines = [
        "The paper's edge detector (Section 3, Figure 1)",
        "",
        f"grid      {grid!r}: pixels j = 0..{grid.n - 1} over [{grid.start}, {grid.stop}], dx = {grid.dx}",
        f"camera    {D!r}: pixel j = (1/dx) * integral of f over [x_j, x_j+1]",
        f"layer     {layer!r}",
        "          y_j = ReLU(2*b_(j+1) - 2*b_j - 1), zero padding",
        "",
    ]
    for title, image in images:
        pixels = D(image)
        lines += [
            f"image     {title}",
            f"  pixels D[f]          = {_vector(pixels)}",
            f"  layer output         = {_vector(layer(pixels))}",
            "",
        ]

    closed = D.closed_form(step)
    outputs = layer(closed)
    lines.append("as exact functions of the shift delta (image H(x - delta), valid for every real delta):")
    for j, (pixel, output) in enumerate(zip(closed, outputs)):
        readable = PiecewiseFunction.from_expr(output, delta).to_expr()
        lines.append(f"  pixel {j}:  {sympy.sstr(pixel)}")
        lines.append(f"  output {j}: {sympy.sstr(readable)}")
    lines += [
        "",
        "The layer sees an edge (output 1 in pixel 1) at delta = 0 and none at delta = dx/2:",
        "a translation of the image by half a pixel is not a shift of the layer's output.",
    ]
    return "\n".join(lines)


def _vector(values):
    return "[" + ", ".join(str(v) for v in values) + "]"


def _parser():
    parser = argparse.ArgumentParser(
        prog="symequiv",
        description="Exact checks of shift and translation equivariance of discretizations and conv layers.",
    )
    parser.add_argument("--version", action="version", version=f"symequiv {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("example", help="print the paper's edge-detector derivation")
    return parser


def main(argv=None):
    """Run the command line; returns the exit code."""
    parser = _parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its one-line usage error
        return EXIT_OK if exc.code in (0, None) else EXIT_BAD_INPUT
    try:
        if arguments.command == "example":
            print(edge_detector_report())
            return EXIT_OK
        parser.print_help()
        return EXIT_OK
    except SymequivError as exc:
        print(f"symequiv: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
