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

Every number on the command line is exact: ``--delta 0.25`` is 1/4, and
numbers and ``--signal`` are read by the safe parser, never by ``eval`` or
``float``. A number may be written 1/8, 0.125, sqrt(2)/10 or pi/4; the
command line has no parameters, so the only names are x (in ``--signal``),
pi and E. Negative values may follow their option (``--delta -1/4``,
``--grid -1 1 4``); ``--delta=-1/4`` works too. On a ``--periodic`` grid the
conv layer's padding defaults to circular (the layer wraps around as the grid
does); give ``--padding`` to choose another.

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


def _add_grid_options(parser):
    """The options that build D and the shift d, shared by check and witness."""
    parser.add_argument(
        "--grid", nargs=3, required=True, metavar=("START", "STOP", "N"),
        help="the domain [START, STOP] in N cells (exact numbers: -1, 1/2, 0.25, pi)",
    )
    parser.add_argument("--periodic", action="store_true", help="the grid wraps around")
    parser.add_argument(
        "--delta", required=True, metavar="D", help="the translation x -> x + D, exact (0.25 is 1/4)"
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
            "Numbers are exact: 0.25 is 1/4."
        ),
    )
    parser.add_argument("--signal", required=True, metavar="EXPR", help='f(x), e.g. "Heaviside(x)" or "sin(2*pi*x)"')
    _add_grid_options(parser)
    parser.add_argument(
        "--shift", required=True, choices=("integer", "linear", "cubic", "fourier"), help="the discrete shift g"
    )
    layer = parser.add_argument_group("layer (eq. 4; without --kernel there is no layer)")
    layer.add_argument("--kernel", metavar="A,B,...", help="conv weights listed from k = -origin, e.g. 2,-2")
    layer.add_argument("--origin", metavar="K", help="index in the kernel of the weight a_0 (default 0)")
    layer.add_argument("--bias", metavar="B", help="added to every output (default 0)")
    layer.add_argument(
        "--padding", choices=("zeros", "circular", "edge", "valid"),
        help="default zeros, or circular with --periodic (the grid wraps around, so does the layer)",
    )
    layer.add_argument("--mode", choices=("convolution", "correlation"), help="default convolution (eq. 3)")
    layer.add_argument(
        "--activation", metavar="NAME", help="relu, leaky:A (leaky alone: A = 1/100), tanh or identity; default none"
    )
    parser.add_argument("--dps", default="50", metavar="DIGITS", help="digits of numeric enclosures (default 50)")
    parser.add_argument("--cells", metavar="I,J,...", help="compare only these output cells")
    parser.add_argument(
        "--expect", choices=tuple(_EXPECT_MET),
        help="exit 1 unless the equality is proved (equal) or its failure certified (unequal)",
    )
    _accept_dash_values(parser)
    return parser


def _run_check(arguments):
    from ..judge.check import check_commutation
    from ..discrete.shifts import CubicShift, FourierShift, IntegerShift, LinearShift

    shifts = {"integer": IntegerShift, "linear": LinearShift, "cubic": CubicShift, "fourier": FourierShift}
    D = _discretizer(arguments)
    d = _exact(arguments.delta, "--delta")
    if arguments.shift == "integer":
        _check_whole_cells(d, D.grid.dx)
    verdict = check_commutation(
        D,
        _signal(arguments.signal),
        d,
        shifts[arguments.shift](),
        op=_layer(arguments),
        dps=_whole_number(arguments.dps, "--dps"),
        cells=_cells(arguments.cells),
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
            "A shift by whole cells has no witness: that input is refused (exit 2)."
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

    found = witness(_discretizer(arguments), _exact(arguments.delta, "--delta"))
    _emit(json.dumps(found.to_dict(), indent=2, sort_keys=True) if arguments.json else found)
    return _expectation(arguments.expect, found.verdict.holds)


def _check_whole_cells(d, dx):
    """Refuse, in the command line's terms, a --delta that --shift integer cannot move by."""
    from ..numeric.exact import sign
    from ..discrete.shifts import split_shift

    _, fraction = split_shift(d, dx)
    if fraction != 0:
        cells = d / dx
        size = f"{cells} of a cell" if sign(abs(cells) - 1) < 0 else f"{cells} cells"
        raise InvalidArgument(
            f"--shift integer moves by whole cells only, but --delta {d} is {size} (dx = {dx}); "
            f"use --shift linear, cubic or fourier, or a --delta that is a multiple of {dx}"
        )


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


def _signal(text):
    """f from --signal, by the safe parser; its errors name the option."""
    from ..errors import ExpressionError
    from ..continuous.signal import Signal

    try:
        return Signal(text)
    except ExpressionError as exc:
        if _is_unknown_name(exc):
            raise ExpressionError(
                f"--signal={text!r}: {exc.token!r} is not a name the command line knows; write f in x with "
                "numbers, pi and E, e.g. \"sin(2*pi*x)\" (parameters can be declared from Python only: "
                "symequiv.Signal(..., parameters=...))",
                exc.token,
            ) from None
        raise ExpressionError(f"--signal={text!r}: {exc}", exc.token) from None


def _discretizer(arguments):
    """D from --grid, --periodic, --discretize and --at."""
    from ..discrete.discretize import CellAverage, PointSample
    from ..errors import InvalidArgument
    from ..continuous.grid import Grid

    start, stop, n = arguments.grid
    grid = Grid(
        _exact(start, "--grid START"), _exact(stop, "--grid STOP"), _whole_number(n, "--grid N"), arguments.periodic
    )
    if arguments.discretize == "sample":
        return PointSample(grid, at=arguments.at or "center")
    if arguments.at is not None:
        raise InvalidArgument(f"--at {arguments.at} chooses where point samples are taken; add --discretize sample")
    return CellAverage(grid)


def _layer(arguments):
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
    layer = Conv(
        _kernel(arguments.kernel),
        origin=_whole_number("0" if arguments.origin is None else arguments.origin, "--origin"),
        bias=_exact("0" if arguments.bias is None else arguments.bias, "--bias"),
        padding=arguments.padding or ("circular" if arguments.periodic else "zeros"),
        mode=arguments.mode or "convolution",
    )
    if arguments.activation is not None:
        layer = layer >> _activation(arguments.activation)
    return layer


def _kernel(text):
    from ..errors import InvalidArgument

    if not text.strip():
        raise InvalidArgument("Expected comma-separated weights for --kernel, e.g. --kernel 2,-2, but got none")
    entries = text.split(",")
    for i, entry in enumerate(entries):
        if not entry.strip():
            raise InvalidArgument(f"--kernel {text!r}: weight {i + 1} is empty; give numbers such as 2,-2 or 1/3,0.5")
    return [_exact(entry, f"--kernel weight {i + 1}") for i, entry in enumerate(entries)]


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


def _cells(text):
    """None, or the cell indices listed in --cells."""
    from ..errors import InvalidArgument

    if text is None:
        return None
    entries = text.split(",")
    if not all(entry.strip() for entry in entries):
        raise InvalidArgument(f"Expected comma-separated cell indices for --cells, e.g. 1,2,3, but got {text!r}")
    return [_whole_number(entry, "--cells") for entry in entries]


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
