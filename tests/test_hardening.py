"""Malformed and hostile input at every public entry point of symequiv.

Every call in this file goes through :func:`attempt`, which holds it to three
promises:

1. **Only SymequivError escapes.** Whatever the argument (None, nested lists,
   dicts, bytes, numpy arrays of any shape, NaN and infinities of float,
   numpy, mpmath, decimal and sympy, complex numbers, huge, zero or negative
   sizes, absurd dps, malicious strings), a call returns or raises a
   :class:`symequiv.SymequivError` subclass: never a TypeError, ValueError,
   ZeroDivisionError, RecursionError, AttributeError or sympy exception from
   deep inside. (Under this project's pytest settings a warning is an
   exception too, and counts as an escape.)
2. **No string runs code.** The working directory is an empty sandbox folder
   for the whole module, and the payloads would create a file ``MARKER`` in it
   (``__import__('os').system('touch MARKER')``, ``open('MARKER', 'w')``,
   lambdas, f-strings, comprehensions, walks to ``__subclasses__``, Unicode
   look-alikes that Python folds to ``open`` or ``exec``, ...). The folder
   must still be empty after every call.
3. **Time budgets**, enforced with ``signal.setitimer`` around each call:

   * ``REFUSAL_SECONDS`` = 5 s: input that is refused as malformed
     (InvalidType, InvalidArgument, ExpressionError, GridMismatch) is refused
     within 5 s;
   * ``CALL_SECONDS`` = 30 s: every single call, including accepted input
     that is merely expensive (a 1000th power, dps=5000, 10**5 cells),
     returns or raises (BudgetExceeded, say) within 30 s;
   * the budgets of the library itself (README.rst, "Time budgets") are
     checked last, with the budgets shortened so that the file stays fast.

The command line, ``symequiv.output.cli.main([...])`` run in-process, is held to its
documented contract on top: bad input exits with code 2 and prints exactly
one line on stderr, ``symequiv: error: ...``; main never raises.
"""

import contextlib
import decimal
import fractions
import re
import json
import os
import shutil
import signal
import time

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import symequiv as se
from symequiv import SymequivError
from symequiv.output.cli import main
from symequiv.numeric.parsing import MAX_EXPRESSION_LENGTH

# Hypothesis warns when it prints an example this file makes large on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

#: Malformed input is refused within this many seconds.
REFUSAL_SECONDS = 5.0
#: No single call runs longer than this many seconds.
CALL_SECONDS = 30.0
#: Errors that say "this input is malformed", held to REFUSAL_SECONDS.
VALIDATION_ERRORS = (se.InvalidType, se.InvalidArgument, se.ExpressionError, se.GridMismatch)

# ------------------------------------------------------------------ guard --


class Escaped(AssertionError):
    """An exception other than a SymequivError left symequiv."""


class Overran(AssertionError):
    """A call ran past its time budget."""


class Executed(AssertionError):
    """A string ran code: something appeared in the sandbox."""


class _Deadline(BaseException):
    """Raised by the timer; a BaseException so that no ``except Exception`` on the way swallows it."""


@contextlib.contextmanager
def _alarm(seconds):
    def expire(signum, frame):
        raise _Deadline

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _describe(exc):
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - the description must not fail in turn
        text = "<unprintable>"
    return f"{type(exc).__module__}.{type(exc).__qualname__}: {text[:300]}"


def _outcome(thunk):
    """(kind, payload, seconds) of one call: kind is returned, refused, escaped or overran."""
    started = time.monotonic()
    try:
        with _alarm(CALL_SECONDS):
            result = thunk()
    except SymequivError as exc:
        return "refused", exc, time.monotonic() - started
    except _Deadline:
        return "overran", None, time.monotonic() - started
    except (Exception, SystemExit) as exc:  # a warning turned into an error included
        return "escaped", exc, time.monotonic() - started
    return "returned", result, time.monotonic() - started


SANDBOX = None


def _sandbox_contents():
    # Hypothesis keeps its Unicode tables in .hypothesis under the working directory.
    return sorted(p.name for p in SANDBOX.iterdir() if p.name != ".hypothesis") if SANDBOX else []


def _clear_sandbox():
    """The names a call created in the sandbox, removed so that the next call is judged on its own."""
    created = _sandbox_contents()
    for name in created:
        path = SANDBOX / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return created


def _judge(what, kind, shown, seconds, created):
    """Raise the failure an outcome is; ``shown`` is the escape's description or the refusal's class."""
    if created:
        raise Executed(f"{what} created {created} in the sandbox")
    if kind == "escaped":
        raise Escaped(f"{what} raised {shown}")
    if kind == "overran":
        raise Overran(f"{what} ran past its budget of {CALL_SECONDS:g} s")
    if kind == "refused" and issubclass(shown, VALIDATION_ERRORS) and seconds > REFUSAL_SECONDS:
        raise Overran(f"{what} took {seconds:.1f} s to refuse its input; the budget is {REFUSAL_SECONDS:g} s")


def _shown(kind, payload):
    return _describe(payload) if kind == "escaped" else type(payload) if kind == "refused" else None


def attempt(what, thunk):
    """Run ``thunk()`` under the guard: its result, or the SymequivError it raised."""
    kind, payload, seconds = _outcome(thunk)
    created = _clear_sandbox()
    try:
        _judge(what, kind, _shown(kind, payload), seconds, created)
    except Escaped as failure:
        raise failure from payload
    return payload


def refused(what, thunk):
    """Run ``thunk()`` under the guard and insist that it refuses its input."""
    result = attempt(what, thunk)
    assert isinstance(result, SymequivError), f"{what} accepted its input and returned {result!r:.200}"
    return result


def run_cli(argv, capsys):
    """(exit code, stdout, stderr) of ``main(argv)`` under the guard; main must not raise."""
    capsys.readouterr()
    code = attempt(f"main({argv!r:.300})", lambda: main(list(argv)))
    out, err = capsys.readouterr()
    assert not isinstance(code, SymequivError), f"main({argv!r:.300}) raised {code!r}"
    assert "Traceback" not in err, err
    return code, out, err


def assert_bad_input(argv, capsys):
    """main(argv) exits 2 with one line on stderr, ``symequiv: error: ...``."""
    code, _, err = run_cli(argv, capsys)
    assert code == 2, f"main({argv!r:.300}) returned {code}; stderr: {err!r:.300}"
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), f"main({argv!r:.300}) printed {len(lines)} lines: {err!r:.500}"
    assert lines[0].startswith("symequiv: error: "), lines[0]


@pytest.fixture(scope="module", autouse=True)
def sandbox(tmp_path_factory):
    """The working directory of the whole module: an empty folder a payload would write MARKER into."""
    global SANDBOX
    folder = tmp_path_factory.mktemp("sandbox")
    previous = os.getcwd()
    os.chdir(folder)
    SANDBOX = folder
    try:
        yield folder
    finally:
        SANDBOX = None
        os.chdir(previous)


def test_the_guard_sees_each_failure():
    assert attempt("a sum", lambda: 1 + 1) == 2
    assert isinstance(attempt("a refusal", lambda: se.Grid(0, 1, 0)), se.InvalidArgument)
    with pytest.raises(Escaped, match="ZeroDivisionError"):
        attempt("a division", lambda: 1 / 0)
    with pytest.raises(Executed, match="MARKER"):
        attempt("a payload", lambda: open("MARKER", "w").close())  # noqa: SIM115 - the payload itself
    assert _sandbox_contents() == []


# --------------------------------------------------------------- partners --

GRID = se.Grid(-1, 1, 4)
RING = se.Grid(0, 1, 4, periodic=True)
D = se.CellAverage(GRID)
D_RING = se.CellAverage(RING)
SAMPLES = se.PointSample(RING)
STEP = se.Signal("Heaviside(x)")
WAVE = se.Signal("sin(2*pi*x)", period=1)
EDGE = se.Conv([2, -2], origin=1, bias=-1) >> se.ReLU()
STEP_FORM = D.closed_form(STEP)

SHIFTS = {
    "IntegerShift": se.IntegerShift(),
    "LinearShift": se.LinearShift(),
    "CubicShift": se.CubicShift(),
    "FourierShift": se.FourierShift(),
}
# A shift each accepts on RING: IntegerShift only moves whole cells.
SHIFT_D = {"IntegerShift": "1/4", "LinearShift": "1/8", "CubicShift": "1/8", "FourierShift": "1/8"}

LAYERS = {
    "Conv": se.Conv([1, -1]),
    "Conv(valid)": se.Conv([1, 2, 1], origin=1, padding="valid"),
    "Conv(circular, correlation)": se.Conv(["1/3", 1], padding="circular", mode="correlation", bias="1/7"),
    "Conv(edge, symbolic)": se.Conv([sympy.Symbol("w"), 1], padding="edge"),
    "ReLU": se.ReLU(),
    "LeakyReLU": se.LeakyReLU(),
    "Tanh": se.Tanh(),
    "Identity": se.Identity(),
    "Sequential": EDGE >> se.Tanh(),
}

VERDICTS = {
    "exact": se.check_commutation(D, STEP, "1/4", se.LinearShift(), op=EDGE),
    "ball": se.check_commutation(D_RING, WAVE, "1/16", se.LinearShift()),
}


def verdict_json(kind, *path_and_value):
    """A verdict's JSON with the entry at ``path`` replaced: ``verdict_json("exact", ("shift",), text)``."""
    data = VERDICTS[kind].to_dict()
    for path, value in zip(path_and_value[::2], path_and_value[1::2]):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return json.dumps(data)


# ---------------------------------------------------------- entry points --


def _value_slots():
    """Every argument of every entry point, as a function of the value put there."""
    slots = {
        "Grid(start)": lambda v: se.Grid(v, 1, 4),
        "Grid(stop)": lambda v: se.Grid(-1, v, 4),
        "Grid(n)": lambda v: se.Grid(-1, 1, v),
        "Grid(periodic)": lambda v: se.Grid(-1, 1, 4, periodic=v),
        "Signal(expr)": lambda v: se.Signal(v),
        "Signal(period)": lambda v: se.Signal("sin(2*pi*x)", period=v),
        "Signal(parameters)": lambda v: se.Signal("k*x", parameters=v),
        "Signal(parameters value)": lambda v: se.Signal("k*x", parameters={"k": v}),
        "Signal.shifted(d)": lambda v: STEP.shifted(v),
        "Signal(at)": lambda v: STEP(v),
        "CellAverage(grid)": lambda v: se.CellAverage(v),
        "PointSample(grid)": lambda v: se.PointSample(v),
        "PointSample(at)": lambda v: se.PointSample(GRID, at=v),
        "Conv(kernel)": lambda v: se.Conv(v),
        "Conv(kernel entry)": lambda v: se.Conv([1, v]),
        "Conv(origin)": lambda v: se.Conv([1, 2], origin=v),
        "Conv(bias)": lambda v: se.Conv([1, 2], bias=v),
        "Conv(padding)": lambda v: se.Conv([1, 2], padding=v),
        "Conv(mode)": lambda v: se.Conv([1, 2], mode=v),
        "LeakyReLU(a)": lambda v: se.LeakyReLU(v),
        "Sequential(layers)": lambda v: se.Sequential(se.ReLU(), v),
        "layer >> value": lambda v: EDGE >> v,
        "CubicShift(a)": lambda v: se.CubicShift(v),
        "D(f)": lambda v: D(v),
        "D.closed_form(f)": lambda v: D.closed_form(v),
        "PointSample(f)": lambda v: SAMPLES(v),
        "ClosedForm.at(d)": lambda v: STEP_FORM.at(v),
        "check_integer_shift(D)": lambda v: se.check_integer_shift(v, STEP, 1),
        "check_integer_shift(f)": lambda v: se.check_integer_shift(D_RING, v, 1),
        "check_integer_shift(n)": lambda v: se.check_integer_shift(D_RING, WAVE, v),
        "check_integer_shift(op)": lambda v: se.check_integer_shift(D_RING, WAVE, 1, v),
        "check_integer_shift(dps)": lambda v: se.check_integer_shift(D_RING, WAVE, 1, dps=v),
        "check_integer_shift(cells)": lambda v: se.check_integer_shift(D_RING, WAVE, 1, cells=v),
        "check_commutation(D)": lambda v: se.check_commutation(v, STEP, "1/4", se.LinearShift()),
        "check_commutation(f)": lambda v: se.check_commutation(D, v, "1/4", se.LinearShift()),
        "check_commutation(d)": lambda v: se.check_commutation(D, STEP, v, se.LinearShift()),
        "check_commutation(shift)": lambda v: se.check_commutation(D, STEP, "1/4", v),
        "check_commutation(op)": lambda v: se.check_commutation(D, STEP, "1/4", se.LinearShift(), op=v),
        "check_commutation(dps)": lambda v: se.check_commutation(D_RING, WAVE, "1/16", se.LinearShift(), dps=v),
        "check_commutation(cells)": lambda v: se.check_commutation(D, STEP, "1/4", se.LinearShift(), cells=v),
        "sweep(D)": lambda v: se.sweep(v, STEP, ["1/4"], se.LinearShift()),
        "sweep(f)": lambda v: se.sweep(D, v, ["1/4"], se.LinearShift()),
        "sweep(deltas)": lambda v: se.sweep(D, STEP, v, se.LinearShift()),
        "sweep(deltas entry)": lambda v: se.sweep(D, STEP, ["1/8", v], se.LinearShift()),
        "sweep(shift)": lambda v: se.sweep(D, STEP, ["1/4"], v),
        "sweep(op)": lambda v: se.sweep(D, STEP, ["1/4"], se.LinearShift(), op=v),
        "sweep(dps)": lambda v: se.sweep(D_RING, WAVE, ["1/16"], se.LinearShift(), dps=v),
        "sweep(executor)": lambda v: se.sweep(D, STEP, ["1/4"], se.LinearShift(), executor=v),
        "witness(D)": lambda v: se.witness(v, "1/8"),
        "witness(d)": lambda v: se.witness(D, v),
        "witness(d, PointSample)": lambda v: se.witness(SAMPLES, v),
        "Verdict.from_json": lambda v: se.Verdict.from_json(v),
    }
    for name, g in SHIFTS.items():
        d = SHIFT_D[name]
        slots[f"{name}(values)"] = lambda v, g=g, d=d: g(v, d, RING)
        slots[f"{name}(values entry)"] = lambda v, g=g, d=d: g([0, 1, v, 1], d, RING)
        slots[f"{name}(mpmath values entry)"] = lambda v, g=g, d=d: g([mpmath.mpf(0), 1, v, 1], d, RING)
        slots[f"{name}(d)"] = lambda v, g=g: g([0, 1, 0, 1], v, RING)
        slots[f"{name}(grid)"] = lambda v, g=g, d=d: g([0, 1, 0, 1], d, v)
    for name, layer in LAYERS.items():
        slots[f"{name}(values)"] = lambda v, layer=layer: layer(v)
        slots[f"{name}(values entry)"] = lambda v, layer=layer: layer([1, v, 0])
        slots[f"{name}(mpmath values entry)"] = lambda v, layer=layer: layer([mpmath.mpf(1), v, 0])
    return slots


VALUE_SLOTS = _value_slots()

# The slots where a string is read as an expression: hostile strings must be refused there.
EXPRESSION_SLOTS = {
    name: call
    for name, call in VALUE_SLOTS.items()
    if name
    in {
        "Grid(start)", "Grid(stop)", "Signal(expr)", "Signal(period)", "Signal(parameters value)",
        "Signal.shifted(d)", "Signal(at)", "Conv(kernel entry)", "Conv(bias)", "LeakyReLU(a)", "CubicShift(a)",
        "D(f)", "D.closed_form(f)", "PointSample(f)", "ClosedForm.at(d)", "check_integer_shift(f)",
        "check_commutation(f)", "check_commutation(d)", "sweep(f)", "sweep(deltas entry)", "witness(d)",
        "witness(d, PointSample)", "Verdict.from_json",
    }
    or name.endswith(("(d)", "(values entry)", "(mpmath values entry)"))
}
EXPRESSION_SLOTS.update(
    {
        "Signal(parameters name)": lambda s: se.Signal("x", parameters=[s]),
        "Verdict.from_json(exact residual)": lambda s: se.Verdict.from_json(
            verdict_json("exact", ("residual", 0, "exact"), s)
        ),
        "Verdict.from_json(shift)": lambda s: se.Verdict.from_json(verdict_json("exact", ("shift",), s)),
        "Verdict.from_json(exact certificate)": lambda s: se.Verdict.from_json(
            verdict_json("exact", ("certificate", "value"), s)
        ),
        "Verdict.from_json(ball value)": lambda s: se.Verdict.from_json(
            verdict_json("ball", ("residual", 0, "value"), s)
        ),
        "Verdict.from_json(ball radius)": lambda s: se.Verdict.from_json(
            verdict_json("ball", ("certificate", "radius"), s)
        ),
        "Verdict.from_json(bound)": lambda s: se.Verdict.from_json(verdict_json("ball", ("bound",), s)),
    }
)
# Free text: anything may be accepted there, but nothing may run.
TEXT_SLOTS = {
    "Verdict.from_json(claim)": lambda s: se.Verdict.from_json(verdict_json("exact", ("claim",), s)),
    "Verdict.from_json(notes)": lambda s: se.Verdict.from_json(verdict_json("exact", ("notes",), [s])),
    "Conv(padding)": VALUE_SLOTS["Conv(padding)"],
    "Conv(mode)": VALUE_SLOTS["Conv(mode)"],
    "PointSample(at)": VALUE_SLOTS["PointSample(at)"],
}

# The command line: a valid invocation, and one argument replaced by the value.
CHECK = ["check", "--signal", "Heaviside(x)", "--grid", "-1", "1", "4", "--delta", "1/4", "--shift", "linear"]
WITNESS = ["witness", "--grid", "0", "1", "4", "--delta", "1/8"]


def _replaced(argv, index, value):
    argv = list(argv)
    argv[index] = value
    return argv


CLI_SLOTS = {
    "check --signal": lambda v: _replaced(CHECK, 2, v),
    "check --grid START": lambda v: _replaced(CHECK, 4, v),
    "check --grid STOP": lambda v: _replaced(CHECK, 5, v),
    "check --grid N": lambda v: _replaced(CHECK, 6, v),
    "check --delta": lambda v: _replaced(CHECK, 8, v),
    "check --shift": lambda v: _replaced(CHECK, 10, v),
    "check --kernel": lambda v: CHECK + ["--kernel", v],
    "check --kernel weight": lambda v: CHECK + ["--kernel", f"2,{v}"],
    "check --origin": lambda v: CHECK + ["--kernel", "2,-2", "--origin", v],
    "check --bias": lambda v: CHECK + ["--kernel", "2,-2", "--bias", v],
    "check --padding": lambda v: CHECK + ["--kernel", "2,-2", "--padding", v],
    "check --mode": lambda v: CHECK + ["--kernel", "2,-2", "--mode", v],
    "check --activation": lambda v: CHECK + ["--kernel", "2,-2", "--activation", v],
    "check --activation leaky:A": lambda v: CHECK + ["--kernel", "2,-2", "--activation", f"leaky:{v}"],
    "check --dps": lambda v: CHECK + ["--dps", v],
    "check --cells": lambda v: CHECK + ["--cells", v],
    "check --discretize": lambda v: CHECK + ["--discretize", v],
    "check --at": lambda v: CHECK + ["--discretize", "sample", "--at", v],
    "check --expect": lambda v: CHECK + ["--expect", v],
    "check extra argument": lambda v: CHECK + [v],
    "witness --grid START": lambda v: _replaced(WITNESS, 2, v),
    "witness --grid STOP": lambda v: _replaced(WITNESS, 3, v),
    "witness --grid N": lambda v: _replaced(WITNESS, 4, v),
    "witness --delta": lambda v: _replaced(WITNESS, 6, v),
    "witness --discretize": lambda v: WITNESS + ["--discretize", v],
    "witness extra argument": lambda v: WITNESS + [v],
    "prove NAME": lambda v: ["prove", v],
    "prove --format": lambda v: ["prove", "--all", "--format", v],
}


# ------------------------------------------------------------ the inputs --


class _BadRepr:
    """An argument whose repr raises."""

    def __repr__(self):
        raise RuntimeError("repr of a hostile object")


class _HugeRepr:
    """An argument whose repr is 100 000 characters long."""

    def __repr__(self):
        return "r" * 100_000


X = se.x

#: Strings that must be refused wherever an expression is read, without running anything.
HOSTILE = [
    # running code
    "__import__('os').system('touch MARKER')",
    "__import__('os').mkdir('MARKER')",
    "__builtins__.open('MARKER', 'w')",
    "__builtins__['open']('MARKER', 'w')",
    "open('MARKER', 'w')",
    "open('MARKER', 'w').write('pwned')",
    "exec(\"open('MARKER', 'w')\")",
    "eval(\"open('MARKER', 'w')\")",
    "compile('1', 'MARKER', 'eval')",
    "getattr(__import__('os'), 'system')('touch MARKER')",
    "globals()['__builtins__']",
    "vars()",
    "locals()",
    "breakpoint()",
    "input()",
    "exit()",
    "(lambda: open('MARKER', 'w'))()",
    "(lambda f=open: f('MARKER', 'w'))()",
    "lambda: 0",
    "[open('MARKER', 'w') for _ in (1,)]",
    "{open('MARKER', 'w')}",
    "{'k': open('MARKER', 'w')}",
    "(open('MARKER', 'w') for _ in (1,))",
    "f\"{open('MARKER', 'w')}\"",
    "f'{x}'",
    "f'{x!r:>{x}}'",
    "'%s' % open('MARKER', 'w')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__.__mro__[-1].__subclasses__()",
    "x.__class__",
    "x.func",
    "x.subs(x, 1)",
    "sin.__globals__['__builtins__']['open']('MARKER', 'w')",
    "Heaviside.__call__(x)",
    "x[0]",
    "x[open('MARKER', 'w')]",
    "(y := open('MARKER', 'w'))",
    "Heaviside(x) if open('MARKER', 'w') else x",
    "x; open('MARKER', 'w')",
    "x\nopen('MARKER', 'w')",
    "x # \nopen('MARKER', 'w')",
    "await x",
    "(yield x)",
    "sympify(\"open('MARKER', 'w')\")",
    "S(\"open('MARKER', 'w')\")",
    "parse_expr(\"open('MARKER', 'w')\")",
    "Symbol('MARKER')",
    "Function('open')('MARKER', 'w')",
    "Lambda(x, open('MARKER', 'w'))",
    "Piecewise((open('MARKER', 'w'), True))",
    "Heaviside(open('MARKER', 'w'))",
    "sin(*[open('MARKER', 'w')])",
    "sin(**{'x': 1})",
    "sin(x=1)",
    "Max(x, key=open)",
    "sin(x, open('MARKER', 'w'))",
    # look-alikes: Python folds the first four (NFKC) to open, __import__, exec and x
    "ｏｐｅｎ('MARKER', 'w')",
    "__ｉｍｐｏｒｔ__('os').system('touch MARKER')",
    "\u2147xec(\"open('MARKER', 'w')\")",
    "ｘ + open('MARKER', 'w')",
    "\u0435xec(\"open('MARKER', 'w')\")",
    "Heavisid\u0435(x)",
    "\u202eopen('MARKER', 'w')",
    "x\u200b",
    "\ufeffopen('MARKER', 'w')",
    "\ud800",
    # NUL and control characters
    "\x00",
    "x\x00",
    "\x00open('MARKER', 'w')",
    "Heaviside(x)\x00; open('MARKER', 'w')",
    "\x1b[2J",
    # not an arithmetic expression
    "",
    "   ",
    "\t\n",
    "#",
    "...",
    "None",
    "True",
    "'abc'",
    "b'x'",
    "1j",
    "x < 1",
    "x == x",
    "not x",
    "x and 1",
    "[x]",
    "(x, x)",
    "{x}",
    "x,",
    "x @ x",
    "x // 2",
    "x % 2",
    "x << 1",
    "~x",
    "Heaviside(x",
    "sin()",
    "Heaviside(x, 1, 2)",
    # too long, too deep
    "x" * (MAX_EXPRESSION_LENGTH + 1),
    "1" * 100_000,
    "(" * 10_000 + "x" + ")" * 10_000,
    "-" * 1999 + "x",
    "sin(" * 100 + "x" + ")" * 100,
    "[" * 5000,
    # numbers past the limits, or not finite, or not real
    "9**9**9",
    "9**9**9**9",
    "(9**9)**(9**9)",
    "10**10**10",
    "2**-(10**10)",
    "(1/3)**(10**400)",
    "x**(10**400)",
    "pi**(10**6)",
    "E**(10**6)",
    "1/0",
    "0**-1",
    "log(0)",
    "zoo",
    "oo",
    "nan",
    "inf",
    "I",
    "sqrt(-1)",
    "acos(2)",
    "Min()",
]

#: Non-string values that no entry point can use (each is refused or, where valid, used).
BAD_VALUES = [
    None,
    True,
    [],
    (),
    {},
    [[1, 2], [3]],
    [[1, 2], [3, 4]],
    [None],
    {"a": 1},
    {1, 2},
    object(),
    _HugeRepr(),
    b"1/2",
    bytearray(b"x"),
    range(3),
    int,
    print,
    np.zeros((2, 2)),
    np.zeros((2, 0)),
    np.array([]),
    np.array(1.0),
    np.array(["center"]),
    np.array([1.0, np.nan]),
    np.array([1 + 1j, 2]),
    np.float64("nan"),
    np.float32("inf"),
    np.complex128(1j),
    np.int64(-3),
    np.bool_(True),
    float("nan"),
    float("inf"),
    float("-inf"),
    -0.0,
    5e-324,
    1e308,
    1j,
    complex(1, 2),
    decimal.Decimal("nan"),
    decimal.Decimal("-inf"),
    decimal.Decimal("sNaN"),
    fractions.Fraction(-1, 3),
    mpmath.mpf("nan"),
    mpmath.inf,
    mpmath.mpc(1, 1),
    mpmath.mpf("1e-400"),
    sympy.nan,
    sympy.oo,
    -sympy.oo,
    sympy.zoo,
    sympy.I,
    1 + sympy.I,
    sympy.Float("nan"),
    sympy.Float("inf"),
    sympy.true,
    sympy.Symbol("y"),
    se.delta,
    X,
    X + sympy.nan,
    sympy.I * X,
    sympy.Eq(X, 1),
    sympy.Matrix([[1]]),
    sympy.Tuple(1, 2),
    sympy.Interval(0, 1),
    sympy.Function("f")(X),
    sympy.Piecewise((1, X > 0)),
    sympy.Lambda(X, X),
    0,
    -1,
    10**9,
    2**64,
    -(2**64),
    2**1000,
    GRID,
    D,
    STEP,
    EDGE,
    se.LinearShift,
    se.LinearShift(),
    VERDICTS["exact"],
]


def _id(value):
    text = value if isinstance(value, str) else repr(value)
    # An address differs between processes: ids must be the same in every pytest-xdist worker.
    return ascii(re.sub(r" at 0x[0-9a-fA-F]+", "", text)[:40])


# ----------------------------------------------------------- strategies --

PYTHONISH = "0123456789.eEx+-*/^()[]{},:;'\"_ =<>!~&|%@#\\\n\t\x00πｘ"

numbers = st.one_of(
    st.integers(),
    st.sampled_from([0, -1, 1, 10**9, 2**64, -(2**64), 2**1000]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.fractions(),
    st.builds(mpmath.mpf, st.floats(allow_nan=True, allow_infinity=True)),
    st.builds(mpmath.mpc, st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True)),
    st.builds(np.float64, st.floats(allow_nan=True, allow_infinity=True)),
    st.builds(np.float32, st.floats(width=32, allow_nan=True, allow_infinity=True)),
    st.builds(lambda n, d: sympy.Rational(n, d), st.integers(), st.integers(min_value=1)),
)
texts = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=10), st.text(alphabet=PYTHONISH, max_size=12))
arrays = hnp.arrays(
    dtype=st.sampled_from([np.float64, np.complex128, np.int64, np.bool_, np.dtype("U3")]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts, st.binary(max_size=6))
bad_values = st.one_of(
    st.sampled_from(BAD_VALUES),
    scalars,
    arrays,
    st.lists(scalars, max_size=5),
    st.lists(st.lists(numbers, max_size=3), max_size=3),
    st.tuples(scalars, scalars),
    st.dictionaries(st.text(max_size=3), scalars, max_size=3),
)

FAST = settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))


# ------------------------------------------------------- property tests --


@pytest.mark.parametrize("slot", sorted(VALUE_SLOTS))
@FAST
@given(value=bad_values)
def test_any_value_in_any_argument(slot, value):
    """Whatever is passed in any argument: a result or a SymequivError, in time, running nothing."""
    attempt(f"{slot} with {_id(value)}", lambda: VALUE_SLOTS[slot](value))


def _injected(template, payload):
    return template.replace("@", payload)


# Valid surroundings for a hostile piece: refused however it is wrapped.
TEMPLATES = ["@", "Heaviside(x) + @", "sin(2*pi*x)*(@)", "Piecewise((@, x > 0), (0, True))", "Max(0, @)", "-(@)"]


@pytest.mark.parametrize("slot", sorted(EXPRESSION_SLOTS))
@settings(FAST, max_examples=15)
@given(template=st.sampled_from(TEMPLATES), payload=st.sampled_from(HOSTILE))
def test_hostile_strings_are_refused(slot, template, payload):
    # Blank or comma-ended payloads complete "Max(0, @)" into a valid call.
    assume(template == "@" or payload.strip() and not payload.rstrip().endswith(","))
    text = _injected(template, payload)
    refused(f"{slot} with {_id(text)}", lambda: EXPRESSION_SLOTS[slot](text))


@pytest.mark.parametrize("slot", sorted({**EXPRESSION_SLOTS, **TEXT_SLOTS}))
@settings(FAST, max_examples=10)
@given(text=texts)
def test_any_string_in_any_string_argument(slot, text):
    attempt(f"{slot} with {_id(text)}", lambda: {**EXPRESSION_SLOTS, **TEXT_SLOTS}[slot](text))


def _values(n):
    entries = st.one_of(
        st.integers(-3, 3),
        st.fractions(min_value=-9, max_value=9, max_denominator=7),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(["1/3", "0.25", "delta", "-delta/2", "sqrt(2)", "pi", "x", "nan", "", sympy.nan, sympy.I]),
        st.builds(mpmath.mpf, st.floats(-4, 4)),
        st.sampled_from([mpmath.mpf("nan"), mpmath.inf, mpmath.mpc(0, 1)]),
    )
    return st.lists(entries, min_size=max(n - 2, 0), max_size=n + 2)


layers = st.recursive(
    st.one_of(
        st.builds(
            lambda kernel, origin, bias, padding, mode: (kernel, origin, bias, padding, mode),
            st.lists(st.one_of(st.integers(-2, 2), st.sampled_from(["1/3", "-0.5", "sqrt(2)"])), min_size=0, max_size=4),
            st.integers(-1, 4),
            st.sampled_from([0, 1, "-1/2", "pi"]),
            st.sampled_from(["zeros", "circular", "edge", "valid", "mirror"]),
            st.sampled_from(["convolution", "correlation", "cross"]),
        ),
        st.sampled_from(["relu", "leaky", "tanh", "identity"]),
    ),
    lambda inner: st.lists(inner, min_size=1, max_size=3),
    max_leaves=4,
)


def _build(spec):
    """A layer from a drawn spec; building may itself refuse the spec."""
    if isinstance(spec, list):
        return se.Sequential(*[_build(s) for s in spec])
    if isinstance(spec, tuple):
        kernel, origin, bias, padding, mode = spec
        return se.Conv(kernel, origin=origin, bias=bias, padding=padding, mode=mode)
    return {"relu": se.ReLU, "leaky": se.LeakyReLU, "tanh": se.Tanh, "identity": se.Identity}[spec]()


grids = st.builds(
    lambda n, periodic, start: se.Grid(start, start + 1, n, periodic=periodic),
    st.integers(1, 6),
    st.booleans(),
    st.sampled_from([0, -1, sympy.Rational(-1, 3)]),
)
signals = st.sampled_from(
    [STEP, WAVE, se.Signal("Heaviside(x - 1/3)"), se.Signal("x**2 - x"), se.Signal("exp(-x**2)"), "Abs(x - 1/5)"]
)
shift_amounts = st.one_of(
    st.fractions(min_value=-3, max_value=3, max_denominator=12),
    st.sampled_from(["0", "1/2", "-7/3", "sqrt(2)/10", "pi/7", 0.1, -0.25, "1e-30", "10**9 + 1/3"]),
)


@settings(FAST, max_examples=60)
@given(layer=layers, n=st.integers(1, 6), data=st.data())
def test_layers_on_any_vector(layer, n, data):
    """Random layers (valid or not) on random vectors: exact, mpmath, mismatched, empty, NaN."""
    built = attempt(f"building {layer!r:.200}", lambda: _build(layer))
    if isinstance(built, SymequivError):
        return
    values = data.draw(_values(n), label="values")
    attempt(f"{built!r:.200}({values!r:.200})", lambda: built(values))


@settings(FAST, max_examples=60)
@given(grid=grids, shift=st.sampled_from(sorted(SHIFTS)), d=shift_amounts, data=st.data())
def test_shifts_on_any_vector(grid, shift, d, data):
    """Each discrete shift, any grid, any vector (wrong length included), any shift amount."""
    values = data.draw(_values(grid.n), label="values")
    attempt(f"{shift}({values!r:.200}, {d!r}, {grid!r})", lambda: SHIFTS[shift](values, d, grid))


@settings(FAST, max_examples=40)
@given(
    grid=grids,
    sample=st.booleans(),
    signal=signals,
    d=shift_amounts,
    shift=st.sampled_from(sorted(SHIFTS)),
    layer=st.none() | layers,
    dps=st.sampled_from([15, 50, 14, 5001, 0, -50]),
    cells=st.none() | st.lists(st.integers(-2, 7), max_size=3),
)
def test_checker_on_any_combination(grid, sample, signal, d, shift, layer, dps, cells):
    """check_commutation, check_integer_shift and witness on mismatched combinations."""
    D_ = se.PointSample(grid) if sample else se.CellAverage(grid)
    op = None if layer is None else attempt(f"building {layer!r:.200}", lambda: _build(layer))
    if isinstance(op, SymequivError):
        return
    what = f"D={D_!r}, f={signal!r}, d={d!r}, g={shift}, op={op!r:.200}, dps={dps}, cells={cells}"
    attempt(f"check_commutation({what})", lambda: se.check_commutation(D_, signal, d, SHIFTS[shift], op, dps, cells))
    attempt(f"check_integer_shift({what})", lambda: se.check_integer_shift(D_, signal, 1, op, dps=dps, cells=cells))
    attempt(f"witness({D_!r}, {d!r})", lambda: se.witness(D_, d))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), texts),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


@settings(FAST, max_examples=150)
@given(
    kind=st.sampled_from(sorted(VERDICTS)),
    path=st.sampled_from(
        [
            ("claim",), ("holds",), ("method",), ("dps",), ("shift",), ("cells",), ("boundary_cells",),
            ("residual",), ("residual", 0), ("residual", 0, "exact"), ("residual", 0, "value"), ("bound",),
            ("certificate",), ("certificate", "cell"), ("certificate", "kind"), ("certificate", "value"),
            ("certificate", "radius"), ("notes",), ("tolerance",), ("unknown key",),
        ]
    ),
    value=json_values,
)
def test_verdict_from_json_with_any_field(kind, path, value):
    data = VERDICTS[kind].to_dict()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    text = json.dumps(data)
    attempt(f"Verdict.from_json with {path}={value!r:.200}", lambda: se.Verdict.from_json(text))


@settings(FAST, max_examples=60)
@given(raw=st.one_of(st.binary(max_size=40), st.text(max_size=40), st.sampled_from(["[" * 100_000, '{"a":' * 10_000])))
def test_verdict_from_json_with_any_text(raw):
    refused(f"Verdict.from_json({raw!r:.200})", lambda: se.Verdict.from_json(raw))


def _asks_for_help(value):
    return value.strip() in ("-h", "--help")


@pytest.mark.parametrize("slot", sorted(CLI_SLOTS))
@settings(FAST, max_examples=12)
@given(value=st.sampled_from(HOSTILE))
def test_cli_refuses_hostile_arguments(slot, value, capsys):
    assume(not _asks_for_help(value))
    assert_bad_input(CLI_SLOTS[slot](value), capsys)


@pytest.mark.parametrize("slot", sorted(CLI_SLOTS))
@settings(FAST, max_examples=10)
@given(value=st.one_of(st.text(max_size=10), st.text(alphabet=PYTHONISH, max_size=12)))
def test_cli_with_any_argument(slot, value, capsys):
    """Any text in any argument: exit 0, or exit 2 with one line on stderr; nothing runs, nothing raises."""
    assume(not _asks_for_help(value))
    if slot == "prove --format":  # a valid format would run every proof
        parts = [p.strip() for p in value.split(",")]
        assume(any(parts) and not any(p in ("md", "tex", "html", "json") for p in parts))
    argv = CLI_SLOTS[slot](value)
    code, _, err = run_cli(argv, capsys)
    assert code in ((0, 1, 2) if "--expect" in argv else (0, 2)), f"main({argv!r}) returned {code}"
    if code == 2:
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("symequiv: error: "), err


# ---------------------------------------------------- the nastiest cases --


@pytest.mark.parametrize("text", HOSTILE, ids=_id)
def test_each_hostile_string_is_refused_everywhere(text):
    for slot, call in EXPRESSION_SLOTS.items():
        refused(f"{slot} with {_id(text)}", lambda: call(text))
    for slot, call in TEXT_SLOTS.items():
        attempt(f"{slot} with {_id(text)}", lambda: call(text))


def test_payloads_with_an_absolute_path_run_nothing():
    marker = str(SANDBOX / "MARKER")
    for text in (f"open({marker!r}, 'w')", f"__import__('os').system('touch {marker}')"):
        for slot, call in EXPRESSION_SLOTS.items():
            refused(f"{slot} with {text}", lambda: call(text))


@pytest.mark.parametrize("value", BAD_VALUES, ids=_id)
def test_each_bad_value_everywhere(value):
    for slot, call in VALUE_SLOTS.items():
        attempt(f"{slot} with {_id(value)}", lambda: call(value))


@pytest.mark.parametrize(
    "what, call",
    [
        ("Grid(0, 1, 0)", lambda: se.Grid(0, 1, 0)),
        ("Grid(0, 1, -3)", lambda: se.Grid(0, 1, -3)),
        ("Grid(0, 1, 10**9)", lambda: se.Grid(0, 1, 10**9)),
        ("Grid(0, 1, 2**64)", lambda: se.Grid(0, 1, 2**64)),
        ("Grid(1, 1, 4)", lambda: se.Grid(1, 1, 4)),
        ("Grid(1, 0, 4)", lambda: se.Grid(1, 0, 4)),
        ("Grid(0, 1, 4.0)", lambda: se.Grid(0, 1, 4.0)),
        ("Grid('nan', 1, 4)", lambda: se.Grid("nan", 1, 4)),
        ("Grid(0, sympy.oo, 4)", lambda: se.Grid(0, sympy.oo, 4)),
        ("Grid(0, mpmath.inf, 4)", lambda: se.Grid(0, mpmath.inf, 4)),
        ("Grid(0, Decimal('Infinity'), 4)", lambda: se.Grid(0, decimal.Decimal("Infinity"), 4)),
        ("Grid(0, 1j, 4)", lambda: se.Grid(0, 1j, 4)),
        ("Grid(0, 'x', 4)", lambda: se.Grid(0, "x", 4)),
        ("Signal('')", lambda: se.Signal("")),
        ("Signal(period=0)", lambda: se.Signal("sin(x)", period=0)),
        ("Signal(period=-1)", lambda: se.Signal("sin(x)", period=-1)),
        ("Signal(period=1) wrong", lambda: se.Signal("sin(x)", period=1)),
        ("Signal(period=nan)", lambda: se.Signal("sin(x)", period=float("nan"))),
        ("Signal(parameters=[...] not names)", lambda: se.Signal("k*x", parameters=["__class__"])),
        ("Signal(parameters={'x': 1})", lambda: se.Signal("x", parameters={"x": 1})),
        ("Signal(parameters={'k': nan})", lambda: se.Signal("k*x", parameters={"k": float("nan")})),
        ("Signal with a stray symbol", lambda: se.Signal("k*x")),
        ("Signal with delta", lambda: se.Signal(se.delta * X)),
        ("Signal(1/x) averaged", lambda: D(se.Signal("1/x"))),
        ("Signal(log(x)) sampled", lambda: se.PointSample(GRID, at="left")(se.Signal("log(x)"))),
        ("Signal(sqrt(x)) on [-1, 1]", lambda: D(se.Signal("sqrt(x)"))),
        ("Signal(tan(x)) on [0, 4]", lambda: se.CellAverage(se.Grid(0, 4, 4))(se.Signal("tan(x)"))),
        ("Signal(Piecewise without True)", lambda: D(se.Signal(sympy.Piecewise((1, X > 0))))),
        ("Signal(f(x)) of an undefined f", lambda: D(se.Signal(sympy.Function("f")(X)))),
        ("Signal(zeta(x))", lambda: D(se.Signal(sympy.zeta(X)))),
        ("Signal(gamma(x)) at its poles", lambda: D(se.Signal(sympy.gamma(X)))),
        ("Signal(DiracDelta(x))", lambda: D(se.Signal(sympy.DiracDelta(X)))),
        ("Signal(floor(x))", lambda: D(se.Signal(sympy.floor(X)))),
        ("Signal(Integral)", lambda: D(se.Signal(sympy.Integral(X, X)))),
        ("Signal(Heaviside(x, x))", lambda: D(se.Signal("Heaviside(x, x)"))),
        ("Signal(sin(1/x))", lambda: D(se.Signal("sin(1/x)"))),
        ("Signal(x**x) checked", lambda: se.check_commutation(D, "x**x", "1/8", se.LinearShift())),
        ("Signal('1e-300') checked", lambda: se.check_commutation(D, "1e-300*x", "1/8", se.CubicShift())),
        ("Conv([])", lambda: se.Conv([])),
        ("Conv([nan])", lambda: se.Conv([float("nan")])),
        ("Conv([1], origin=1)", lambda: se.Conv([1], origin=1)),
        ("Conv([1], origin=-1)", lambda: se.Conv([1], origin=-1)),
        ("Conv(np.ones((2, 2)))", lambda: se.Conv(np.ones((2, 2)))),
        ("Conv(kernel=[mpc])", lambda: se.Conv([mpmath.mpc(1, 1)])),
        ("Conv valid on a shorter input", lambda: se.Conv([1, 1, 1], padding="valid")([1, 2])),
        ("valid twice to nothing", lambda: (se.Conv([1, 1], padding="valid") >> se.Conv([1, 1], padding="valid"))([1, 2])),
        ("symbolic Conv on mpmath", lambda: LAYERS["Conv(edge, symbolic)"]([mpmath.mpf(1), 2])),
        ("LeakyReLU(symbol) on mpmath", lambda: se.LeakyReLU(sympy.Symbol("a"))([mpmath.mpf(-1)])),
        ("Sequential()", lambda: se.Sequential()),
        ("Sequential([ReLU()])", lambda: se.Sequential([se.ReLU()])),
        ("ReLU() >> 3", lambda: se.ReLU() >> 3),
        ("np.array >> ReLU()", lambda: np.ones(3) >> se.ReLU()),
        ("shift of 3 values on 4 cells", lambda: se.LinearShift()([1, 2, 3], "1/8", RING)),
        ("shift of no values", lambda: se.LinearShift()([], "1/8", RING)),
        ("IntegerShift by half a cell", lambda: se.IntegerShift()([1, 2, 3, 4], "1/8", RING)),
        ("FourierShift on a non-periodic grid", lambda: se.FourierShift()([1, 2, 3, 4], "1/8", GRID)),
        ("symbolic shift of mpmath values", lambda: se.LinearShift()([mpmath.mpf(1), 2, 3, 4], "delta", RING)),
        ("shift by x", lambda: se.LinearShift()([1, 2, 3, 4], "x", RING)),
        ("shift by 10**9 cells", lambda: se.CubicShift()([1, 2, 3, 4], 10**9, RING)),
        ("shift by -2**64", lambda: se.LinearShift()([1, 2, 3, 4], -(2**64), GRID)),
        ("kernel at nan", lambda: se.LinearShift().kernel(float("nan"))),
        ("FourierShift kernel n=0", lambda: se.FourierShift().kernel("1/2", 0)),
        ("FourierShift kernel n=2**64", lambda: se.FourierShift().kernel("1/2", 2**64)),
        ("check_integer_shift n=0", lambda: se.check_integer_shift(D_RING, WAVE, 0)),
        ("check_integer_shift n=10**9", lambda: se.check_integer_shift(D_RING, WAVE, 10**9)),
        ("check_integer_shift n=-2**64", lambda: se.check_integer_shift(D_RING, WAVE, -(2**64))),
        ("check_integer_shift n=2**64 non-periodic", lambda: se.check_integer_shift(D, STEP, 2**64)),
        ("check_integer_shift n=1.0", lambda: se.check_integer_shift(D_RING, WAVE, 1.0)),
        ("check_commutation d=10**9 + 1/3", lambda: se.check_commutation(D_RING, WAVE, 10**9 + sympy.Rational(1, 3), se.LinearShift())),
        ("check_commutation d=nan", lambda: se.check_commutation(D, STEP, float("nan"), se.LinearShift())),
        ("check_commutation d=delta", lambda: se.check_commutation(D, STEP, se.delta, se.LinearShift())),
        ("check_commutation dps=14", lambda: se.check_commutation(D, STEP, "1/8", se.LinearShift(), dps=14)),
        ("check_commutation dps=10**9", lambda: se.check_commutation(D, STEP, "1/8", se.LinearShift(), dps=10**9)),
        ("check_commutation dps=50.0", lambda: se.check_commutation(D, STEP, "1/8", se.LinearShift(), dps=50.0)),
        ("check_commutation dps=5000 ball", lambda: se.check_commutation(D_RING, WAVE, "1/16", se.LinearShift(), dps=5000)),
        ("check_commutation cells=[]", lambda: se.check_commutation(D, STEP, "1/8", se.LinearShift(), cells=[])),
        ("check_commutation cells=[99]", lambda: se.check_commutation(D, STEP, "1/8", se.LinearShift(), cells=[99])),
        ("check_commutation cells=[np.int64]", lambda: se.check_commutation(D, STEP, "1/8", se.LinearShift(), cells=[np.int64(1)])),
        ("check_commutation of the whole boundary", lambda: se.check_commutation(D, STEP, 5, se.LinearShift())),
        ("check_commutation valid Conv and FourierShift", lambda: se.check_commutation(D_RING, WAVE, "1/8", se.FourierShift(), op=se.Conv([1, 1], padding="valid"))),
        ("check_commutation with parameters", lambda: se.check_commutation(D, se.Signal("k*x", parameters=["k"]), "1/8", se.LinearShift())),
        ("check_commutation shift=class", lambda: se.check_commutation(D, STEP, "1/8", se.LinearShift)),
        ("black box returning nan", lambda: se.check_commutation(D_RING, WAVE, "1/16", se.LinearShift(), op=lambda b: b * np.nan)),
        ("black box returning 2-D", lambda: se.check_commutation(D_RING, WAVE, "1/16", se.LinearShift(), op=lambda b: np.outer(b, b))),
        ("black box returning fewer", lambda: se.check_commutation(D_RING, WAVE, "1/16", se.LinearShift(), op=lambda b: b[:-1])),
        ("black box returning None", lambda: se.check_commutation(D_RING, WAVE, "1/16", se.LinearShift(), op=lambda b: None)),
        ("black box returning text", lambda: se.check_commutation(D_RING, WAVE, "1/16", se.LinearShift(), op=lambda b: "abc")),
        ("black box returning complex", lambda: se.check_commutation(D_RING, WAVE, "1/16", se.LinearShift(), op=lambda b: b + 1j)),
        ("black box raising ZeroDivisionError", lambda: se.check_commutation(D_RING, WAVE, "1/16", se.LinearShift(), op=lambda b: 1 / 0)),
        ("black box raising RecursionError", lambda: se.check_integer_shift(D_RING, WAVE, 1, op=lambda b: _recurse(b))),
        ("black box of no arguments", lambda: se.sweep(D_RING, WAVE, ["1/16"], se.LinearShift(), op=lambda: 0)),
        ("black box print", lambda: se.check_commutation(D_RING, WAVE, "1/16", se.LinearShift(), op=print)),
        ("sweep over no shifts", lambda: se.sweep(D, STEP, [], se.LinearShift())),
        ("sweep over a string", lambda: se.sweep(D, STEP, "1/8", se.LinearShift())),
        ("sweep chunk_size=0", lambda: se.sweep(D, STEP, ["1/8"], se.LinearShift(), chunk_size=0)),
        ("sweep over a generator with nan", lambda: se.sweep(D, STEP, (d for d in ["1/8", float("nan")]), se.LinearShift())),
        ("witness at 0", lambda: se.witness(D, 0)),
        ("witness at a whole cell", lambda: se.witness(D_RING, "1/4")),
        ("witness on one periodic cell", lambda: se.witness(se.CellAverage(se.Grid(0, 1, 1, periodic=True)), "1/3")),
        ("witness at 10**9 + 1/16", lambda: se.witness(D_RING, 10**9 + sympy.Rational(1, 16))),
        ("witness at 2**-3000", lambda: se.witness(D_RING, sympy.Rational(1, 2**3000))),
        ("witness at pi/10**3000", lambda: se.witness(D_RING, sympy.pi / 10**3000)),
        ("witness at 1/8 + pi/10**3000", lambda: se.witness(D_RING, sympy.Rational(1, 8) + sympy.pi / 10**3000)),
        ("Verdict.from_json of bytes that are not UTF-8", lambda: se.Verdict.from_json(b"\xff\xfe\x00")),
        ("Verdict.from_json of a deep list", lambda: se.Verdict.from_json("[" * 100_000 + "]" * 100_000)),
        ("Verdict.from_json of NaN", lambda: se.Verdict.from_json("NaN")),
        ("Verdict.from_json of a 100 000 digit number", lambda: se.Verdict.from_json("1" * 100_000)),
        ("Verdict.from_json with a 100 000 digit residual", lambda: se.Verdict.from_json(verdict_json("ball", ("residual", 0, "value"), "1" * 100_000))),
        ("Verdict.from_json with dps=10**9", lambda: se.Verdict.from_json(verdict_json("ball", ("dps",), 10**9))),
        ("Verdict.from_json with holds='yes'", lambda: se.Verdict.from_json(verdict_json("exact", ("holds",), "yes"))),
        ("Verdict.from_json claiming a proof of a nonzero residual", lambda: se.Verdict.from_json(verdict_json("exact", ("holds",), True))),
        ("Verdict.from_json with a ball of radius nan", lambda: se.Verdict.from_json(verdict_json("ball", ("certificate", "radius"), "nan"))),
        ("Verdict.from_json with cell 10**9", lambda: se.Verdict.from_json(verdict_json("exact", ("certificate", "cell"), 10**9))),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_nasty_case(what, call):
    attempt(what, call)


def _recurse(value):
    return _recurse(value)


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["witness"],
        CHECK + ["--dps", "99999999"],
        CHECK + ["--dps", "1"],
        CHECK + ["--dps", "5001"],
        CHECK + ["--dps", "50.5"],
        CHECK + ["--cells", "1,,2"],
        CHECK + ["--cells", "9"],
        CHECK + ["--kernel", ""],
        CHECK + ["--kernel", ",,"],
        CHECK + ["--kernel", "nan"],
        CHECK + ["--origin", "1"],
        CHECK + ["--kernel", "2,-2", "--origin", "5"],
        CHECK + ["--kernel", "2,-2", "--activation", "leaky"] + ["--activation", "sigmoid"],
        CHECK + ["--kernel", "2,-2", "--activation", "leaky:"],
        CHECK + ["--at", "left"],
        _replaced(CHECK, 6, "0"),
        _replaced(CHECK, 6, "-4"),
        _replaced(CHECK, 6, "1000000000"),
        _replaced(CHECK, 6, "18446744073709551616"),
        _replaced(CHECK, 6, "4.5"),
        _replaced(CHECK, 5, "-1"),
        _replaced(CHECK, 8, "nan"),
        _replaced(CHECK, 8, "x"),
        _replaced(CHECK, 8, "delta"),
        _replaced(CHECK, 10, "fourier"),
        _replaced(CHECK, 2, "1/x"),
        _replaced(CHECK, 2, "k*x"),
        WITNESS[:-1] + ["1/4"],
        WITNESS[:-1] + ["0"],
        ["witness", "--grid", "0", "1", "1", "--periodic", "--delta", "1/3"],
        ["prove", "no_such_proof"],
        ["prove"],
        ["prove", "--all", "eq3_integer_shifts"],
        ["prove", "--all", "--format", "pdf"],
        ["prove", "--all", "--jobs", "0"],
        ["prove", "--all", "--jobs", "-1"],
    ],
    ids=lambda argv: ascii(" ".join(argv))[:80],
)
def test_cli_bad_input_case(argv, capsys):
    assert_bad_input(argv, capsys)


# ------------------------------------------------- once broken, now fixed --

# Each of these escaped, hung or broke the CLI contract before the fixes that
# came with this file; they stay as regression cases.


@pytest.mark.parametrize(
    "what, call",
    [
        ("Grid(0, 1, 10**5000)", lambda: se.Grid(0, 1, 10**5000)),
        ("Grid('10**20000', 1, 4)", lambda: se.Grid("10**20000", 1, 4)),
        ("Grid('1e5000', 1, 4)", lambda: se.Grid("1e5000", 1, 4)),
        ("repr(Conv(['10**20000']))", lambda: repr(se.Conv(["10**20000"]))),
        ("check_commutation(d='10**20000')", lambda: se.check_commutation(D, STEP, "10**20000", se.LinearShift())),
        ("Conv(origin=10**5000)", lambda: se.Conv([1], origin=10**5000)),
        ("Grid(n=<bad repr>)", lambda: se.Grid(0, 1, _BadRepr())),
        ("Signal(<bad repr>)", lambda: se.Signal(_BadRepr())),
        ("check_commutation(op=<bad repr>)", lambda: se.check_commutation(D, STEP, "1/8", se.LinearShift(), op=_BadRepr())),
        ("check_commutation(d='exp(exp(exp(100)))')", lambda: se.check_commutation(D, STEP, "exp(exp(exp(100)))", se.LinearShift())),
        ("IntegerShift(d='exp(exp(exp(100)))')", lambda: se.IntegerShift()([1, 2, 3, 4], "exp(exp(exp(100)))", RING)),
        ("check_commutation(op=Conv(['exp(exp(exp(100)))']))", lambda: se.check_commutation(D, STEP, "1/8", se.LinearShift(), op=se.Conv(["exp(exp(exp(100)))"]))),
        ("check_commutation(d=exp(1000))", lambda: se.check_commutation(D, STEP, sympy.exp(1000), se.LinearShift())),
        ("check_commutation(d='pi**1000')", lambda: se.check_commutation(D, STEP, "pi**1000", se.LinearShift())),
        ("check_commutation(d='exp(exp(7))')", lambda: se.check_commutation(D, STEP, "exp(exp(7))", se.LinearShift())),
        ("check_commutation(sqrt(x) on [1, 2])", lambda: se.check_commutation(se.CellAverage(se.Grid(1, 2, 4)), "sqrt(x)", "1/8", se.LinearShift())),
        ("check_commutation(exp(exp(x)))", lambda: se.check_commutation(D, "exp(exp(x))", "1/8", se.LinearShift())),
        ("check_commutation(sqrt(1 + x**3))", lambda: se.check_commutation(se.CellAverage(se.Grid(0, 1, 8)), "sqrt(1 + x**3)", "1/16", se.CubicShift())),
        ("check_commutation(op=Conv(['1e100']) >> Tanh())", lambda: se.check_commutation(D_RING, WAVE, "1/16", se.LinearShift(), op=se.Conv(["1e100"]) >> se.Tanh())),
        ("Signal(parameters=1)", lambda: se.Signal("k*x", parameters=1)),
        ("Signal(parameters=object())", lambda: se.Signal("x", parameters=object())),
        ("sweep(executor=1)", lambda: se.sweep(D, STEP, ["1/8"], se.LinearShift(), executor=1)),
        ("PointSample(at=np.array(['center', 'left']))", lambda: se.PointSample(GRID, at=np.array(["center", "left"]))),
        ("check_commutation(cells=np.array(1))", lambda: se.check_commutation(D, STEP, "1/8", se.LinearShift(), cells=np.array(1))),
        ("sweep(deltas=np.array(0.5))", lambda: se.sweep(D, STEP, np.array(0.5), se.LinearShift())),
        ("black box returning 10**400", lambda: se.check_commutation(D_RING, WAVE, "1/16", se.LinearShift(), op=lambda b: [10**400] * len(b))),
        ("black box returning numbers whose float() raises", lambda: se.check_integer_shift(D_RING, WAVE, 1, op=lambda b: [_BadFloat(1.0)] * len(b))),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_once_broken_case(what, call):
    attempt(what, call)


class _BadFloat(float):
    def __float__(self):
        raise ZeroDivisionError("a number that cannot be a float")


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        [""],
        ["--no-such-option"],
        ["prove", "--jobs", "x", "--all"],
        ["prove", "--no-such-option"],
        WITNESS + ["a\nb"],
        CHECK + ["--kernel", "2,-2", "--origin", ""],
        CHECK + ["--kernel", "2,-2", "--bias", ""],
        _replaced(CHECK, 8, "1e999999"),
        _replaced(CHECK, 8, "exp(exp(exp(100)))"),
        CHECK + ["--kernel", "exp(exp(exp(100)))"],
    ],
    ids=lambda argv: ascii(" ".join(argv))[:80],
)
def test_cli_once_broken_case(argv, capsys):
    assert_bad_input(argv, capsys)




# ---------------------------------------------------------------- budgets --

# Calls that run long on purpose, each stopped by one of the library's budgets.
# The budgets are shortened to SHORT_BUDGET seconds here (README.rst gives their
# real values); test_a_real_budget_stops_a_call runs one at its real value.
SHORT_BUDGET = 1.0
OVER_BUDGET = {
    "D((x + 1)**1000), the exact discretization": lambda: se.CellAverage(se.Grid(0, 1, 2))("(x+1)**1000"),
    "D(x) on 10**5 cells": lambda: se.CellAverage(se.Grid(0, 1, 10**5))("x"),
    "D.closed_form((x + 1)**1000)": lambda: se.CellAverage(se.Grid(0, 1, 2)).closed_form("(x+1)**1000"),
    "check_commutation by quadrature at dps=5000": lambda: se.check_commutation(
        se.CellAverage(se.Grid(0, 1, 8)), "tan(sin(x))", "1/16", se.CubicShift(), dps=5000
    ),
}


@pytest.fixture
def short_budgets(monkeypatch):
    """Every budget of the library shortened to SHORT_BUDGET seconds."""
    from symequiv.discrete import discretize
    from symequiv.judge import check
    from symequiv.numeric import budget

    for module in (budget, check, discretize):
        monkeypatch.setattr(module, "SYMPY_BUDGET_SECONDS", SHORT_BUDGET)
    monkeypatch.setattr(discretize, "PERIOD_BUDGET_SECONDS", SHORT_BUDGET)
    monkeypatch.setattr(check, "ZERO_PROOF_BUDGET_SECONDS", SHORT_BUDGET)
    discretize._antiderivative.cache_clear()  # a cached result would skip the work
    discretize._signal_function.cache_clear()


# An expiry can land in hypothesis's garbage-collection callback, where Python
# reports it as unraisable and goes on; the budget's timer then fires again and
# stops the call, which is what these tests assert.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("what", sorted(OVER_BUDGET))
def test_a_budget_stops_each_long_call(what, short_budgets):
    started = time.monotonic()
    error = attempt(what, OVER_BUDGET[what])
    seconds = time.monotonic() - started
    assert isinstance(error, se.BudgetExceeded), f"{what} returned {error!r:.200}"
    assert error.seconds == SHORT_BUDGET and error.what in str(error)
    assert seconds < SHORT_BUDGET + 5, f"{what} took {seconds:.1f} s past a budget of {SHORT_BUDGET} s"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.slow
def test_a_real_budget_stops_a_call():
    from symequiv.numeric.budget import SYMPY_BUDGET_SECONDS

    started = time.monotonic()
    error = attempt("D((x + 1)**1000)", OVER_BUDGET["D((x + 1)**1000), the exact discretization"])
    seconds = time.monotonic() - started
    assert isinstance(error, se.BudgetExceeded) and error.seconds == SYMPY_BUDGET_SECONDS
    assert SYMPY_BUDGET_SECONDS <= seconds < SYMPY_BUDGET_SECONDS + 5
