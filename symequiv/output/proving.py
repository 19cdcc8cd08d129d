"""Running the proof scripts of ``proofs/``: the registry, the runner, the summary.

Each script in ``proofs/`` builds a :class:`~symequiv.output.report.Derivation` for
one claim of the paper (a function ``build()``) and can run on its own::

    python proofs/eq4_conv_layer.py --out reports --format md

The scripts are installed with the package as ``symequiv.proofs`` (setup.cfg
maps the ``proofs/`` folder there); in a source checkout they are read from
the ``proofs/`` folder beside the package. ``symequiv prove`` runs them.
"""

import argparse
import importlib
import importlib.util
import sys
from pathlib import Path

import mpmath
import sympy

from ..numeric.budget import time_budget
from ..errors import BudgetExceeded, InvalidArgument, SymequivError, short_repr

__all__ = [
    "proof_names",
    "load_proof",
    "prove",
    "run_script",
    "summary_table",
    "symbolic_zero",
    "identity_verdict",
    "FORMATS",
]

FORMATS = ("md", "tex", "html", "json")
_SOURCE_PROOFS = Path(__file__).resolve().parents[2] / "proofs"  # symequiv/output/ -> the checkout


def _registry():
    """The proofs package: installed as symequiv.proofs, or the source folder."""
    try:
        return importlib.import_module("symequiv.proofs")
    except ModuleNotFoundError:
        pass
    init = _SOURCE_PROOFS / "__init__.py"
    if not init.is_file():
        raise SymequivError("The proof scripts are missing: neither symequiv.proofs nor a proofs/ folder was found")
    if "symequiv.proofs" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "symequiv.proofs", init, submodule_search_locations=[str(_SOURCE_PROOFS)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules["symequiv.proofs"] = module
        spec.loader.exec_module(module)
    return sys.modules["symequiv.proofs"]


def proof_names():
    """The names of every proof script, in the paper's order."""
    return tuple(_registry().ORDER)


def load_proof(name):
    """The proof module called ``name`` (it has ``NAME``, ``TITLE`` and ``build()``)."""
    names = proof_names()
    if name not in names:
        raise InvalidArgument(f"Unknown proof {short_repr(name)}; the proofs are {', '.join(names)}")
    _registry()
    return importlib.import_module(f"symequiv.proofs.{name}")


def _prove_one(name, formats, out):
    """Build and write one proof's report; (name, summary, written paths). Module level: it pickles."""
    derivation = load_proof(name).build()
    paths = derivation.write(out, formats)
    return name, derivation.summary(), [str(p) for p in paths]


def prove(names, formats, out, *, executor=None, progress=None):
    """Run the proofs ``names``, writing their reports in ``formats`` to ``out``.

    Returns ``[(name, summary, paths)]`` in the order given. With an
    ``executor`` (a process pool, say) the proofs run there. A line per proof
    goes to standard error when it is a terminal (``progress`` forces it).
    """
    known = proof_names()
    for name in names:
        if name not in known:
            raise InvalidArgument(f"Unknown proof {short_repr(name)}; the proofs are {', '.join(known)}")
    for fmt in formats:
        if fmt not in FORMATS:
            raise InvalidArgument(f"Unknown format {short_repr(fmt)}; use {', '.join(FORMATS)}")
    show = sys.stderr.isatty() if progress is None else progress
    results = []
    if executor is None:
        for i, name in enumerate(names, 1):
            if show:
                print(f"[{i}/{len(names)}] proving {name} ...", file=sys.stderr, flush=True)
            results.append(_prove_one(name, formats, out))
    else:
        futures = [executor.submit(_prove_one, name, formats, out) for name in names]
        for i, future in enumerate(futures, 1):
            results.append(future.result())
            if show:
                print(f"[{i}/{len(names)}] proved {results[-1][0]}", file=sys.stderr, flush=True)
    return results


def summary_table(rows):
    """A plain-text table of (proof, claim, verdict, method) rows."""
    words = {True: "holds (proved)", False: "fails (certified)", None: "undecided"}
    lines = [("proof", "claim", "verdict", "method")]
    for name, item in rows:
        claim = item["claim"] if len(item["claim"]) <= 70 else item["claim"][:67] + "..."
        lines.append((name, claim, words[item["holds"]], item["method"]))
    widths = [max(len(row[i]) for row in lines) for i in range(4)]
    text = [" | ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in lines]
    text.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(text)


def run_script(build, argv=None):
    """The command line of one proof script: ``--out DIR --format md|tex|html|json``."""
    parser = argparse.ArgumentParser(description=(build.__doc__ or "").strip().splitlines()[0] if build.__doc__ else None)
    parser.add_argument("--out", default="reports", help="folder for the report (default: reports)")
    parser.add_argument("--format", action="append", choices=FORMATS, help="report format (repeatable; default: all)")
    arguments = parser.parse_args(argv)
    try:
        derivation = build()
        paths = derivation.write(arguments.out, tuple(arguments.format or FORMATS))
    except SymequivError as exc:
        print(f"symequiv: error: {exc}", file=sys.stderr)
        return 2
    print(summary_table([(derivation.name, item) for item in derivation.summary()]))
    for path in paths:
        print(f"wrote {path}")
    return 0


def symbolic_zero(expr, seconds=20.0):
    """True if sympy shows ``expr`` (with free symbols) is identically 0 within ``seconds``, else None.

    Tries expansion, then simplification after rewriting erfc as erf and
    expanding trigonometric functions. A True is a proof (sympy's rewriting is
    exact); a None only means no proof was found.
    """
    if expr == 0 or sympy.expand(expr) == 0:
        return True
    try:
        with time_budget(seconds, "simplifying an identity"):
            for attempt in (
                lambda e: sympy.simplify(e),
                lambda e: sympy.simplify(e.rewrite(sympy.erf)),
                lambda e: sympy.simplify(sympy.expand_trig(e)),
            ):
                if attempt(expr) == 0:
                    return True
    except BudgetExceeded:
        return None
    return None


def identity_verdict(claim, residuals):
    """The verdict on "every residual is identically 0" for expressions in free symbols.

    * holds=True when each residual is proved 0 (:func:`symbolic_zero`);
    * holds=False with an exact certificate when substituting exact rationals
      for the symbols makes a residual a provably nonzero number;
    * otherwise holds=None: the residuals were evaluated at those points and
      the largest value is the bound reached.
    """
    from ..numeric.exact import is_zero
    from ..judge.verdict import Verdict

    cells = tuple(range(len(residuals)))
    if all(symbolic_zero(r) for r in residuals):
        return Verdict(claim, True, "symbolic", [sympy.S.Zero] * len(residuals), cells=cells)
    symbols = sorted(set().union(*(r.free_symbols for r in residuals)), key=str)
    points = [{s: sympy.Rational(2 * i + k, 3 * i + 5) for i, s in enumerate(symbols)} for k in (1, -7, 11)]
    for point in points:
        values = [r.subs(point) for r in residuals]
        for i, value in enumerate(values):
            if value.is_number and is_zero(value) is False:
                exact = [v if v.is_number and not v.free_symbols else sympy.S.Zero for v in values]
                if all(v.is_number for v in values):
                    return Verdict(
                        claim, False, "symbolic", exact, cells=cells,
                        certificate={"cell": i, "kind": "exact", "value": value},
                        notes=(f"at {', '.join(f'{k} = {v}' for k, v in point.items())} residual {i} is {value}",),
                    )
    with mpmath.workdps(30):
        reached = [max(abs(mpmath.mpf(sympy.N(r.subs(point), 30))) for point in points) for r in residuals]
    return Verdict(claim, None, "numeric", reached, cells=cells, dps=30, bound=max(reached),
                   notes=("no symbolic proof was found; the residuals were evaluated at 3 points",))
