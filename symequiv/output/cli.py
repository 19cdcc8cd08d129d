"""The ``symequiv`` command line.

``symequiv example`` prints the paper's edge-detector derivation (Section 3,
Figure 1): the pixels of H(x) and of H(x - dx/2), the conv layer's outputs on
both, and every pixel and output as an exact function of the shift delta.

``symequiv check`` prints the :class:`~symequiv.judge.verdict.Verdict` of
:func:`symequiv.check_commutation`: eq. (5) without ``--kernel``, eq. (4) with
the layer Conv(...) >> activation. The paper's edge detector, with the image
translated by half a cell (dx = 1/2)::

    symequiv check --signal "Heaviside(x)" --grid -1 1 4 --delta 1/4 --shift linear \
        --kernel 2,-2 --origin 1 --bias -1 --activation relu --expect unequal

``symequiv witness`` prints :func:`symequiv.judge.witness`: two signals that D
cannot tell apart but whose translations by d it can.

Two dimensions: give each of ``--grid``'s START, STOP and N as a pair x,y
(``--grid 0,0 1,1 4,4`` is ``Grid((0, 0), (1, 1), (4, 4))``; ``(0,0)`` with
parentheses works too) and ``--delta`` as a pair DX,DY, and write the scene
in x and y. ``--periodic`` alone wraps every axis, ``--periodic x`` (or
``y``) one. On a 2-D grid ``--kernel`` is a 2-D kernel a[k1][k2]: rows (k1,
along x) separated by ``;``, the weights of a row (k2, along y) by commas;
``--origin`` is O1,O2 (or one number for both) and ``--cells`` lists cells
I,J separated by ``;``. An oriented edge, translated by (1/8, 1/3), through
a 2-D difference layer::

    symequiv check --signal "Heaviside(x + 2*y - 1/3)" --grid 0,0 1,1 4,4 --periodic \
        --delta 1/8,1/3 --shift linear --kernel "1,0;0,-1" --expect unequal

A ``--grid`` that mixes numbers and pairs, or a ``--delta``, ``--signal``,
``--kernel``, ``--origin`` or ``--cells`` whose dimension does not match the
grid's, is refused (exit code 2) with one line that says which option to
change.

Every number on the command line is exact: ``--delta 0.25`` is 1/4, and
numbers and ``--signal`` are read by the safe parser, never by ``eval`` or
``float``. A number may be written 1/8, 0.125, sqrt(2)/10 or pi/4; the
command line has no parameters, so the only names are x and y (in
``--signal``), pi and E. Negative values may follow their option (``--delta -1/4``,
``--grid -1 1 4``, ``--grid -1,-1 1,1 4,4``); ``--delta=-1/4`` works too. On a
``--periodic`` grid the conv layer's padding defaults to circular (the layer
wraps around as the grid does; per axis in 2-D); give ``--padding`` to
choose another.

Exit codes:

* 0: done (and the ``--expect`` expectation met, if one was given);
* 1: ``--expect equal|unequal`` was given and not met (``equal`` is met only
  by a proved equality, ``unequal`` only by a certified inequality; an
  undecided verdict meets neither);
* 2: bad input: a usage error, or an input symequiv refuses (any
  :class:`~symequiv.errors.SymequivError`); one line on stderr, no traceback.
  An internal error (a bug) is reported the same way, on one line naming the
  exception; ``SYMEQUIV_TRACEBACK=1`` shows its traceback instead;
* 130: interrupted (Ctrl-C); one line on stderr;
* 141: the output was cut short by a closed pipe (``| head``); nothing more
  is printed.
"""

import argparse
import os
import re
import sys

from .. import __version__
from ..errors import InvalidArgument, SymequivError

__all__ = ["main", "edge_detector_report"]

EXIT_OK = 0
EXIT_EXPECTATION_NOT_MET = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a writer whose reader closed the pipe

# An error line shows at most _SHOWN_LIMIT characters of an argument it quotes,
# and is cut at _LINE_LIMIT: the library's messages may quote an input whole.
_SHOWN_LIMIT = 200
_LINE_LIMIT = 1000

EXIT_CODES_HELP = """exit codes:
  0    done (and the --expect expectation met, if one was given)
  1    --expect was given and not met (an undecided verdict meets neither)
  2    bad input: a usage error or an input symequiv refuses (one line on stderr)
  130  interrupted
  141  output cut short by a closed pipe (| head)"""

# For the subcommands without --expect (example, prove): exit code 1 never happens there.
_EXIT_CODES_WITHOUT_EXPECT_HELP = """exit codes:
  0    done
  2    bad input: a usage error or an input symequiv refuses (one line on stderr)
  130  interrupted
  141  output cut short by a closed pipe (| head)"""

# What a number on the command line may be; named in the errors about one.
_NUMBER_EXAMPLES = "an exact number such as 1/8, 0.125, sqrt(2)/10 or pi/4"


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

    from ..discrete.discretize import CellAverage
    from ..continuous.grid import Grid
    from ..discrete.layers import Conv, ReLU
    from ..continuous.piecewise import PiecewiseFunction
    from ..continuous.signal import Signal
    from ..continuous.symbols import delta

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
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _one_line_usage_errors(parser)
    parser.add_argument("--version", action="version", version=f"symequiv {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _subcommand_parser(
        commands,
        "example",
        epilog=_EXIT_CODES_WITHOUT_EXPECT_HELP,
        help="print the paper's edge-detector derivation",
        description=(
            "Print the paper's edge-detector example (Section 3, Figure 1), every number computed exactly: "
            "the pixels of H(x) and of H(x - dx/2) on Grid(-1, 1, 4), the outputs of "
            "Conv([2, -2], origin=1, bias=-1) >> ReLU() on both, and every pixel and output as a function "
            "of the shift delta."
        ),
    )
    _add_prove_parser(commands)
    _add_check_parser(commands)
    _add_witness_parser(commands)
    return parser


def _subcommand_parser(commands, name, *, epilog=EXIT_CODES_HELP, **kwargs):
    """A subcommand parser whose usage errors are one line, ``symequiv: error: NAME: ...``."""
    parser = commands.add_parser(
        name,
        allow_abbrev=False,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        **kwargs,
    )
    _one_line_usage_errors(parser, name)
    return parser


def _one_line_usage_errors(parser, command=None):
    """Make parser report usage errors as main reports bad input: one line (naming command, if given), no usage."""
    where = f"{command}: " if command else ""

    def error(message):
        _print_error(f"{where}{message} (see '{parser.prog} --help')")
        parser.exit(EXIT_BAD_INPUT)

    parse_known_args = parser.parse_known_args

    def parse_with_no_leftovers(args=None, namespace=None):
        # Left to itself, a subcommand hands its unknown arguments to the
        # top-level parser, whose message would not name the subcommand.
        namespace, extras = parse_known_args(args, namespace)
        if extras:
            error(f"unrecognized arguments: {' '.join(_shown(extra) for extra in extras)}")
        return namespace, extras

    parser.error = error
    parser.parse_known_args = parse_with_no_leftovers


def _shown(text, limit=_SHOWN_LIMIT):
    r"""text for an error line: line breaks and other unprintable characters escaped as by repr, cut after limit.

    >>> print(_shown("a\nb\u2028c"))
    a\nb\u2028c
    >>> _shown("x" * 300, limit=5)
    'xxxxx...'
    """
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[:limit] + "..."


def _print_error(message):
    """Print the one line on stderr that reports bad input."""
    print(f"symequiv: error: {_shown(message, _LINE_LIMIT)}", file=sys.stderr)


# ------------------------------------------------------------------ prove --


def _add_prove_parser(commands):
    parser = _subcommand_parser(
        commands,
        "prove",
        epilog=_EXIT_CODES_WITHOUT_EXPECT_HELP,
        help="run the proof scripts and write their derivation reports",
        description="Run the proofs of the paper's claims (see proofs/) and write their reports.",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="proofs to run (default with --all: every proof)")
    parser.add_argument("--all", action="store_true", help="run every proof")
    parser.add_argument("--format", action="append", default=None, metavar="FORMAT",
                        help="md, tex, html or json; repeat or separate with commas (default: all four)")
    parser.add_argument("--out", default="reports", help="folder for the reports (default: reports)")
    parser.add_argument("--jobs", type=int, default=1, help="run proofs in this many processes (default: 1)")
    parser.add_argument("--list", action="store_true", help="list the proofs and exit")


def _run_prove(arguments):
    from .proving import FORMATS, proof_names, prove, summary_table

    if arguments.list:
        print("\n".join(proof_names()))
        return EXIT_OK
    if arguments.all == bool(arguments.names):
        raise InvalidArgument("give proof names or --all (not both); 'symequiv prove --list' lists them")
    names = list(proof_names()) if arguments.all else arguments.names
    formats = [f.strip() for spec in (arguments.format or [",".join(FORMATS)]) for f in spec.split(",") if f.strip()]
    if arguments.jobs < 1:
        raise InvalidArgument(f"--jobs must be at least 1 but got {arguments.jobs}")
    if arguments.jobs == 1:
        results = prove(names, formats, arguments.out)
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=arguments.jobs) as pool:
            results = prove(names, formats, arguments.out, executor=pool)
    print(summary_table([(name, summary[0]) for name, summary, _ in results]))
    written = sum(len(paths) for _, _, paths in results)
    print(f"\nwrote {written} files to {arguments.out}")
    return EXIT_OK


# ------------------------------------------------------ check and witness --

# A token that starts with one dash, other than -h, is a value (-1/4, -pi, -x),
# never an option: these subcommands have no other single-dash options.
_DASH_VALUE = re.compile(r"-(?!-|h$).")

_EXPECT_MET = {"equal": True, "unequal": False}
_VERDICT_WORDS = {True: "holds (proved)", False: "fails (certified)", None: "undecided"}


def _accept_dash_values(parser):
    """Let option values start with a dash (``--delta -1/4``, ``--grid -1/2 1/2 4``).

    argparse reads ``-1/4`` as an unknown option: only plain integers and
    decimals count as negative numbers. Called after every option is added,
    since argparse also consults this pattern when options are added.
    """
    parser._negative_number_matcher = _DASH_VALUE


# What --periodic alone stands for (argparse's const: never what a user types).
_EVERY_AXIS = object()


def _add_grid_options(parser):
    """The options that build D and the shift d, shared by check and witness."""
    parser.add_argument(
        "--grid", nargs=3, required=True, metavar=("START", "STOP", "N"),
        help="the domain [START, STOP] in N cells (exact numbers: -1, 1/2, 0.25, pi); a 2-D grid gives each "
             "as a pair x,y: --grid 0,0 1,1 4,4",
    )
    parser.add_argument(
        "--periodic", nargs="?", const=_EVERY_AXIS, default=None, metavar="AXES",
        help="the grid wraps around: alone, along every axis; --periodic x or y, along one axis of a 2-D grid",
    )
    parser.add_argument(
        "--delta", required=True, metavar="D",
        help="the translation x -> x + D, exact (0.25 is 1/4); on a 2-D grid a pair DX,DY (1/8,1/3)",
    )
    parser.add_argument(
        "--discretize", choices=("average", "sample"), default="average",
        help="D: cell averages (default) or point samples",
    )
    parser.add_argument(
        "--at", choices=("center", "left"), default=None,
        help="where --discretize sample samples each cell (default center)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _add_check_parser(commands):
    parser = _subcommand_parser(
        commands,
        "check",
        help="does a discrete shift commute with D (eq. 5), or with a conv layer after D (eq. 4)?",
        description=(
            "Print the verdict of symequiv.check_commutation: D[f(x - d)] against g(D[f], d) (eq. 5), or, "
            "with --kernel, op(D[f(x - d)]) against g(op(D[f]), d) with op = Conv(...) >> activation (eq. 4). "
            "Numbers are exact: 0.25 is 1/4.\n\n"
            "In two dimensions --grid, --delta, --origin and the cells are pairs x,y, the scene is written in "
            "x and y, and the kernel's rows (along x) are separated by ';', e.g.\n\n"
            "  symequiv check --signal \"Heaviside(x + 2*y - 1/3)\" --grid 0,0 1,1 4,4 --periodic \\\n"
            "      --delta 1/8,1/3 --shift linear --kernel \"1,0;0,-1\""
        ),
    )
    parser.add_argument(
        "--signal", required=True, metavar="EXPR",
        help='f(x), e.g. "Heaviside(x)" or "sin(2*pi*x)"; on a 2-D grid f(x, y), e.g. "Heaviside(x + 2*y - 1/3)"',
    )
    _add_grid_options(parser)
    parser.add_argument(
        "--shift", required=True, choices=("integer", "linear", "cubic", "lanczos", "fourier"),
        help="the discrete shift g (lanczos: LanczosShift(a=3))",
    )
    layer = parser.add_argument_group("layer (eq. 4; without --kernel there is no layer)")
    layer.add_argument(
        "--kernel", metavar="A,B,...",
        help="conv weights listed from k = -origin, e.g. 2,-2; on a 2-D grid rows a[k1] (along x) separated by "
             "';', each row's weights (along y) by commas, e.g. \"1,0;0,-1\"",
    )
    layer.add_argument(
        "--origin", metavar="K", help="index in the kernel of the weight a_0 (default 0); K1,K2 on a 2-D grid"
    )
    layer.add_argument("--bias", metavar="B", help="added to every output (default 0)")
    layer.add_argument(
        "--padding", choices=("zeros", "circular", "edge", "valid"),
        help="default zeros, or circular with --periodic (the grid wraps around, so does the layer; "
             "on a 2-D grid per axis)",
    )
    layer.add_argument("--mode", choices=("convolution", "correlation"), help="default convolution (eq. 3)")
    layer.add_argument(
        "--activation", metavar="NAME", help="relu, leaky:A (leaky alone: A = 1/100), tanh or identity; default none"
    )
    parser.add_argument("--dps", default="50", metavar="DIGITS", help="digits of numeric enclosures (default 50)")
    parser.add_argument(
        "--cells", metavar="I,J,...",
        help="compare only these output cells; on a 2-D grid cells I,J separated by ';', e.g. \"0,1;2,3\"",
    )
    parser.add_argument(
        "--expect", choices=tuple(_EXPECT_MET),
        help="exit 1 unless the equality is proved (equal) or its failure certified (unequal)",
    )
    _accept_dash_values(parser)
    return parser


def _run_check(arguments):
    from ..judge.check import check_commutation
    from ..discrete.shifts import CubicShift, FourierShift, IntegerShift, LanczosShift, LinearShift

    shifts = {"integer": IntegerShift, "linear": LinearShift, "cubic": CubicShift, "lanczos": LanczosShift,
              "fourier": FourierShift}
    D = _discretizer(arguments)
    d = _shift(arguments.delta, D.grid)
    if arguments.shift == "integer":
        _check_whole_cells(arguments.delta, d, D.grid)
    verdict = check_commutation(
        D,
        _signal(arguments.signal, D.grid),
        d,
        shifts[arguments.shift](),
        op=_layer(arguments, D.grid),
        dps=_whole_number(arguments.dps, "--dps"),
        cells=_cells(arguments.cells, D.grid),
    )
    _emit(verdict.to_json(indent=2) if arguments.json else verdict)
    return _expectation(arguments.expect, verdict.holds)


def _add_witness_parser(commands):
    parser = _subcommand_parser(
        commands,
        "witness",
        help="two signals D cannot tell apart whose translations it can (inequality 5)",
        description=(
            "Print symequiv.judge.witness(D, d): signals f1, f2 with D[f1] = D[f2] exactly but "
            "D[f1(x - d)] != D[f2(x - d)], certified, so no discrete shift commutes with D at d. "
            "A shift by whole cells (along every axis) has no witness: that input is refused (exit 2). "
            "On a 2-D grid (--grid 0,0 1,1 4,4) the shift is a pair: --delta 1/8,0."
        ),
    )
    _add_grid_options(parser)
    parser.add_argument(
        "--expect", choices=("unequal",), help="exit 1 unless the witness's inequality is certified"
    )
    _accept_dash_values(parser)
    return parser


def _run_witness(arguments):
    import json

    from ..judge.witness import witness

    D = _discretizer(arguments)
    found = witness(D, _shift(arguments.delta, D.grid))
    _emit(json.dumps(found.to_dict(), indent=2, sort_keys=True) if arguments.json else found)
    return _expectation(arguments.expect, found.verdict.holds)


def _check_whole_cells(text, d, grid):
    """Refuse, in the command line's terms, a --delta that --shift integer cannot move by."""
    from ..numeric.exact import sign
    from ..discrete.shifts import split_shift

    for axis, name, component, dx in zip(range(grid.dim), "xy", _per_axis(d), _per_axis(grid.dx)):
        _, fraction = split_shift(component, dx)
        if fraction != 0:
            cells = component / dx
            size = f"{cells} of a cell" if sign(abs(cells) - 1) < 0 else f"{cells} cells"
            if grid.dim == 1:
                raise InvalidArgument(
                    f"--shift integer moves by whole cells only, but --delta {d} is {size} (dx = {dx}); "
                    f"use --shift linear, cubic or fourier, or a --delta that is a multiple of {dx}"
                )
            raise InvalidArgument(
                f"--shift integer moves by whole cells only, but --delta {text} is {size} along {name} "
                f"(d{name} = {dx}); use --shift linear, cubic or fourier, or a --delta whose {name} is a multiple "
                f"of {dx}"
            )


def _per_axis(value):
    return value if isinstance(value, tuple) else (value,)


def _exact(text, name, expected=_NUMBER_EXAMPLES):
    """An exact number from an option's text; errors say what the option takes (``expected``)."""
    from ..errors import ExpressionError
    from ..numeric.numbers import exact_number

    if not text.strip():  # the parser would suggest a signal, 'sin(2*pi*x)', for an empty number
        raise InvalidArgument(f"Expected {expected} for {name} but got {text!r}")
    try:
        return exact_number(text, name)
    except ExpressionError as exc:
        if _is_unknown_name(exc):
            # The parser suggests declaring parameters, which the command line cannot do.
            raise ExpressionError(
                f"{name}={text!r}: {exc.token!r} is not a number; give {expected} "
                "(the only names a number may use are pi and E)",
                exc.token,
            ) from None
        raise ExpressionError(f"{exc}; give {expected}", exc.token) from None


def _is_unknown_name(error):
    """True when the safe parser refused a name it does not know (not a syntax error)."""
    return error.token is not None and error.token.isidentifier() and "unknown name" in str(error)


def _signal(text, grid):
    """f from --signal, by the safe parser; its errors name the option."""
    from ..errors import ExpressionError
    from ..continuous.signal import Signal

    try:
        signal = Signal(text)
    except ExpressionError as exc:
        if _is_unknown_name(exc):
            raise ExpressionError(
                f"--signal={text!r}: {exc.token!r} is not a name the command line knows; write f in x (and y, "
                "on a 2-D grid) with numbers, pi and E, e.g. \"sin(2*pi*x)\" (parameters can be declared from "
                "Python only: symequiv.Signal(..., parameters=...))",
                exc.token,
            ) from None
        raise ExpressionError(f"--signal={text!r}: {exc}", exc.token) from None
    if signal.dim == 2 and grid.dim == 1:
        raise InvalidArgument(
            f"--signal={text!r} depends on y but --grid is one-dimensional; give START, STOP and N as pairs x,y "
            "for a 2-D grid, e.g. --grid 0,0 1,1 4,4"
        )
    return signal


def _parts(text, separator=","):
    """The parts of ``text`` between top-level separators (outside parentheses); '(0,1)' gives '0' and '1'.

    >>> _parts("(0, 1)"), _parts("atan2(1,2),3"), _parts("(1+2)")
    (['0', ' 1'], ['atan2(1,2)', '3'], ['(1+2)'])
    """
    inner = text.strip()
    if inner.startswith("(") and inner.endswith(")") and _closing(inner, 0) == len(inner) - 1:
        inner = inner[1:-1]
    parts, depth, start = [], 0, 0
    for i, c in enumerate(inner):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == separator and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return parts if len(parts) > 1 else [text]


def _closing(text, opening):
    """The index of the parenthesis that closes the one at ``opening`` (None if none does)."""
    depth = 0
    for i in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return None


def _pair(text, name, read):
    """``text`` read by ``read(part, part_name)`` as one value or a pair x,y: (values, 1 or 2)."""
    parts = _parts(text)
    if len(parts) > 2:
        raise InvalidArgument(f"Expected one value, or a pair x,y, for {name} but got {len(parts)} values: {text!r}")
    if len(parts) == 1:
        return read(text, name), 1
    for axis, part in zip("xy", parts):
        if not part.strip():
            raise InvalidArgument(f"{name} {text!r}: its {axis} value is empty; write a pair as x,y, e.g. 1/8,0")
    return tuple(read(part, f"{name}[{axis}]") for axis, part in zip("xy", parts)), 2


def _grid(arguments):
    """The grid from --grid and --periodic: one number per field in 1-D, pairs x,y in 2-D."""
    from ..continuous.grid import Grid

    fields = [
        _pair(text, f"--grid {field}", read)
        for text, field, read in zip(arguments.grid, ("START", "STOP", "N"), (_exact, _exact, _whole_number))
    ]
    dims = [dim for _, dim in fields]
    if len(set(dims)) > 1:
        given = ", ".join(f"{field}={text!r}" for field, text in zip(("START", "STOP", "N"), arguments.grid))
        raise InvalidArgument(
            f"--grid: give START, STOP and N all as single numbers (a 1-D grid) or all as pairs x,y (a 2-D grid, "
            f"e.g. --grid 0,0 1,1 4,4), but got {given}"
        )
    (start, _), (stop, _), (n, _) = fields
    return Grid(start, stop, n, _periodic(arguments.periodic, dims[0]))


def _periodic(text, dim):
    """--periodic: absent (False), alone (every axis), or the axes x, y or x,y that wrap."""
    if text is None or text is _EVERY_AXIS:
        wraps = text is _EVERY_AXIS
        return wraps if dim == 1 else (wraps, wraps)
    axes = [part.strip().lower() for part in text.split(",")]
    allowed = ("x",) if dim == 1 else ("x", "y")
    if not axes or any(axis not in allowed for axis in axes):
        if dim == 1:
            raise InvalidArgument(
                f"--periodic {text!r}: a 1-D grid has the one axis x; write --periodic alone (or for a 2-D grid "
                "give --grid as pairs x,y)"
            )
        raise InvalidArgument(f"Expected --periodic alone, or the axes that wrap, x, y or x,y, but got {text!r}")
    return True if dim == 1 else ("x" in axes, "y" in axes)


def _shift(text, grid):
    """d from --delta: a number on a 1-D grid, a pair DX,DY on a 2-D one."""
    d, dim = _pair(text, "--delta", _exact)
    if dim != grid.dim:
        if grid.dim == 2:
            raise InvalidArgument(
                f"--delta {text} is one number but --grid is two-dimensional; give one per axis, --delta DX,DY "
                f"(e.g. {text},0)"
            )
        raise InvalidArgument(
            f"--delta {text} is a pair but --grid is one-dimensional; give one number, or --grid as pairs x,y "
            "for a 2-D grid"
        )
    return d


def _discretizer(arguments):
    """D from --grid, --periodic, --discretize and --at."""
    from ..discrete.discretize import CellAverage, PointSample
    from ..errors import InvalidArgument

    grid = _grid(arguments)
    if arguments.discretize == "sample":
        return PointSample(grid, at=arguments.at or "center")
    if arguments.at is not None:
        raise InvalidArgument(f"--at {arguments.at} chooses where point samples are taken; add --discretize sample")
    return CellAverage(grid)


def _layer(arguments, grid):
    """None, or Conv(...) >> activation from the layer options."""
    from ..errors import InvalidArgument
    from ..discrete.layers import Conv

    options = {
        "--origin": arguments.origin,
        "--bias": arguments.bias,
        "--padding": arguments.padding,
        "--mode": arguments.mode,
        "--activation": arguments.activation,
    }
    if arguments.kernel is None:
        given = [name for name, value in options.items() if value is not None]
        if given:
            what = "this option describes" if len(given) == 1 else "these options describe"
            raise InvalidArgument(
                f"{', '.join(given)}: {what} a conv layer; give its weights with --kernel, e.g. --kernel 2,-2"
            )
        return None
    periodic = _per_axis(grid.periodic)
    default_padding = tuple("circular" if wraps else "zeros" for wraps in periodic)
    layer = Conv(
        _kernel(arguments.kernel, grid.dim),
        origin=_origin("0" if arguments.origin is None else arguments.origin, grid.dim),
        bias=_exact("0" if arguments.bias is None else arguments.bias, "--bias"),
        padding=arguments.padding or (default_padding[0] if grid.dim == 1 else default_padding),
        mode=arguments.mode or "convolution",
    )
    if arguments.activation is not None:
        layer = layer >> _activation(arguments.activation)
    return layer


def _kernel(text, dim=1):
    """The weights from --kernel: a list in 1-D; on a 2-D grid rows (along x) separated by ';'."""
    from ..errors import InvalidArgument

    if not text.strip():
        raise InvalidArgument("Expected comma-separated weights for --kernel, e.g. --kernel 2,-2, but got none")
    rows = _parts(text, ";")
    if dim == 1:
        if len(rows) > 1:
            raise InvalidArgument(
                f"--kernel {text!r} has rows separated by ';', a 2-D kernel, but --grid is one-dimensional; "
                "give comma-separated weights such as 2,-2, or --grid as pairs x,y for a 2-D grid"
            )
        return _kernel_row(text, text, "weight")
    kernel = [_kernel_row(row, text, f"row {r + 1} weight") for r, row in enumerate(rows)]
    for r, row in enumerate(kernel):
        if len(row) != len(kernel[0]):
            raise InvalidArgument(
                f"--kernel {text!r}: row {r + 1} has {_count(len(row), 'weight')} and row 1 has "
                f"{_count(len(kernel[0]), 'weight')}; every row (a[k1], along x) has one weight per k2 (along y)"
            )
    return kernel


def _kernel_row(row, text, what):
    from ..errors import InvalidArgument

    entries = _parts(row)
    for i, entry in enumerate(entries):
        if not entry.strip():
            raise InvalidArgument(
                f"--kernel {text!r}: {what} {i + 1} is empty; give numbers such as 2,-2 or 1/3,0.5"
                + ("" if what == "weight" else ", rows separated by ';' (\"1,0;0,-1\")")
            )
    return [_exact(entry, f"--kernel {what} {i + 1}") for i, entry in enumerate(entries)]


def _count(n, noun):
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _origin(text, dim):
    """--origin: an int, or on a 2-D grid a pair K1,K2 (one int is used on both axes)."""
    origin, given = _pair(text, "--origin", _whole_number)
    if given == 2 and dim == 1:
        raise InvalidArgument(f"--origin {text} is a pair but the kernel is 1-D (--grid is one-dimensional); give one index")
    return origin


def _activation(text):
    from ..errors import InvalidArgument
    from ..discrete.layers import Identity, LeakyReLU, ReLU, Tanh

    name, colon, slope = text.partition(":")
    name = name.strip().lower()
    plain = {"relu": ReLU, "tanh": Tanh, "identity": Identity}
    if name in plain and not colon:
        return plain[name]()
    if name == "leaky":
        return LeakyReLU(_exact(slope, "--activation leaky:A")) if colon else LeakyReLU()
    raise InvalidArgument(f"Expected --activation relu, leaky:A (e.g. leaky:1/10), tanh or identity but got {text!r}")


def _whole_number(text, name):
    """An int option, read exactly (``8``, ``8.0`` and ``16/2`` are 8)."""
    from ..errors import InvalidArgument

    value = _exact(text, name, "a whole number such as 8")
    if not value.is_Integer:
        raise InvalidArgument(f"Expected a whole number for {name} but got {value}")
    return int(value)


def _cells(text, grid):
    """None, or the cells listed in --cells: indices I,J,... in 1-D, pairs I,J separated by ';' in 2-D."""
    from ..errors import InvalidArgument

    if text is None:
        return None
    if grid.dim == 1:
        if len(_parts(text, ";")) > 1:
            raise InvalidArgument(
                f"--cells {text!r} lists pairs separated by ';', cells of a 2-D grid, but --grid is one-dimensional; "
                "give comma-separated indices such as 1,2,3"
            )
        entries = text.split(",")
        if not all(entry.strip() for entry in entries):
            raise InvalidArgument(f"Expected comma-separated cell indices for --cells, e.g. 1,2,3, but got {text!r}")
        return [_whole_number(entry, "--cells") for entry in entries]
    cells, entries = [], _parts(text, ";")
    for entry in entries:
        parts = _parts(entry)
        if len(parts) != 2 or not all(part.strip() for part in parts):
            where = f" in {text!r}" if len(entries) > 1 else ""
            raise InvalidArgument(
                f"Expected cells I,J of the 2-D grid separated by ';' for --cells, e.g. \"0,1;2,3\", but got "
                f"{entry.strip()!r}{where}"
            )
        cells.append(tuple(_whole_number(part, "--cells") for part in parts))
    return cells


def _emit(result):
    """Print a result, flushed now so that a closed pipe is reported while main can still handle it."""
    print(result)
    sys.stdout.flush()


def _expectation(expect, holds):
    """The exit code: 0 unless an --expect is given and the verdict does not meet it."""
    if expect is None or holds is _EXPECT_MET[expect]:
        return EXIT_OK
    print(f"symequiv: expected {expect}, but the verdict is: {_VERDICT_WORDS[holds]}", file=sys.stderr)
    return EXIT_EXPECTATION_NOT_MET


def main(argv=None):
    """Run the command line; returns the exit code."""
    parser = _parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed on one line
        return EXIT_OK if exc.code in (0, None) else EXIT_BAD_INPUT
    try:
        if arguments.command == "example":
            print(edge_detector_report())
            return EXIT_OK
        if arguments.command == "prove":
            return _run_prove(arguments)
        if arguments.command == "check":
            return _run_check(arguments)
        if arguments.command == "witness":
            return _run_witness(arguments)
        parser.print_help()
        return EXIT_OK
    except SymequivError as exc:
        _print_error(str(exc))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("symequiv: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as on SIGPIPE
        try:  # so that the interpreter's final flush cannot fail again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass  # stdout is not a file (an in-process caller's buffer)
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # a bug in symequiv: still one line, not a traceback, unless asked for
        if os.environ.get("SYMEQUIV_TRACEBACK"):
            raise
        _print_error(
            f"internal error ({type(exc).__name__}: {exc}); this is a bug in symequiv, please report it with "
            "the command line (SYMEQUIV_TRACEBACK=1 shows the traceback)"
        )
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
