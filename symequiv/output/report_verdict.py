"""A verdict as a report describes it: one description that every format writes.

A :class:`~symequiv.judge.verdict.Verdict` added to a
:class:`~symequiv.output.report.Derivation` is written in every format from
:func:`verdict_parts`: fields of prose (inline math between dollar signs),
its residual table, closing lines and notes. It says what was found ("holds
(proved)", "fails (certified)", "numerically unequal (not certified)" for a
black box far above its tolerance, ...), the method, the precision ("exact"
for a symbolic proof: a proof has no precision), the shift, the cells, the
bound or certificate.

>>> from symequiv.judge.verdict import Verdict
>>> parts = verdict_parts(Verdict("A = B", True, "symbolic", [0], cells=(0,)), statement=None)
>>> parts.fields[:2], parts.table.header
([('Claim', 'A = B'), ('Verdict', 'holds (proved)')], ('cell', 'residual', 'error bound'))
"""

import mpmath
import sympy

from ..judge.mathtext import shift_expr
from ..judge.verdict_words import METHOD_WORDS, ranges
from .notation import mp_text, sympy_latex, tex_number
from .prose import literal
from .steps import TABLE_DIGITS, Step

__all__ = ["MAX_TABLE_ROWS", "outcome_words", "verdict_heading", "verdict_parts"]

#: Rows of a verdict's residual table before the rest is summarized.
MAX_TABLE_ROWS = 24
# Exact values whose LaTeX is longer than this are shown by their decimal value
# in tables (the JSON report keeps them exactly).
_LONGEST_EXACT = 90
# Significant digits of the numbers a verdict shows (JSON keeps them all).
_SHOWN_DIGITS = 6
_PROSE = {True: "holds (proved)", False: "fails (certified)", None: "undecided"}
_NUMERIC_PROSE = {"unequal": "numerically unequal (not certified)", "equal": "numerically equal (not proved)"}


def verdict_heading(label, main):
    """The heading of a verdict step: ``Verdict: LABEL (main)``."""
    label = f": {label}" if label is not None else ""
    return f"Verdict{label}{' (main)' if main else ''}"


def outcome_words(verdict):
    """What a verdict found, in words: "holds (proved)", "fails (certified)", "numerically unequal (not certified)", ..."""
    outcome = verdict.numeric_outcome
    return _NUMERIC_PROSE[outcome] if outcome is not None else _PROSE[verdict.holds]


class _VerdictParts:
    """What a report shows of a verdict: (name, prose) fields, a residual table step or None, lines, notes."""

    __slots__ = ("fields", "table", "after", "notes")

    def __init__(self, fields, table, after, notes):
        self.fields, self.table, self.after, self.notes = fields, table, after, notes


def _decimal_latex(text):
    """A decimal string (``-1.5e-7``) as math: ``-1.5 \\times 10^{-7}``."""
    return tex_number(text.replace("E", "e").lstrip("+"))


def _approximately(value, digits=6):
    """An exact sympy number to ``digits`` digits, or None when it is an integer or not a number."""
    if not isinstance(value, sympy.Basic) or value.is_Integer:
        return None
    try:
        approximation = value.evalf(digits + 10)
    except (TypeError, ValueError, ArithmeticError):  # pragma: no cover - sympy's evalf on odd objects
        return None
    if not approximation.is_Float:
        return None
    return mpmath.libmp.to_str(approximation._mpf_, digits)


def _exact_latex(value, approximate=True):
    """An exact value as math: ``\\frac{1}{2} \\approx 0.5``; a long one by its decimal value only."""
    text = sympy_latex(value)
    decimal = _approximately(value, _SHOWN_DIGITS) if approximate else None
    if len(text) > _LONGEST_EXACT:
        if decimal is None:
            return None
        return f"\\approx {_decimal_latex(decimal)}"
    return text if decimal is None else f"{text} \\approx {_decimal_latex(decimal)}"


def _precision_words(verdict):
    if verdict.method == "symbolic" or verdict.dps is None:
        return "exact"
    if verdict.method == "interval":
        return f"{verdict.dps} digits, with rigorous error radii"
    return f"{verdict.dps} digits"


def verdict_parts(verdict, statement):
    """What every format shows of a verdict; ``statement`` (prose) typesets its claim, else the claim is literal."""
    written = verdict.to_dict()
    claim = statement if statement is not None else literal(verdict.claim)
    fields = [("Claim", claim), ("Verdict", f"{outcome_words(verdict)}"), ("Method", METHOD_WORDS[verdict.method]),
              ("Precision", _precision_words(verdict))]
    if verdict.shift is not None:
        fields.append(("Shift", f"$d = {sympy_latex(shift_expr(verdict.shift))}$"))
    total = getattr(verdict, "total_cells", None)
    covered = f"{len(verdict.cells)} of {total}" if isinstance(total, int) else f"{len(verdict.cells)}"
    fields.append(("Compared cells", f"{ranges(verdict.cells)} ({covered})"))
    boundary = ranges(verdict.boundary_cells)
    fields.append(("Boundary cells", f"{boundary} (left out: boundary data affects them)"
                   if verdict.boundary_cells else boundary))
    if written.get("bound") is not None:
        words = (f"$|\\mathrm{{lhs}} - \\mathrm{{rhs}}| \\le {_decimal_latex(written['bound'])}$ on every "
                 "compared cell, numerically (not proved)")
        tolerance = written.get("tolerance")
        if tolerance is not None:
            side = {"unequal": "above", "equal": "within"}.get(verdict.numeric_outcome, "against")
            words += f"; {side} the tolerance ${_decimal_latex(tolerance)}$"
        fields.append(("Bound", words))
    certificate = verdict.certificate
    if certificate is not None:
        cell = certificate["cell"]
        if certificate["kind"] == "exact":
            shown = _exact_latex(certificate["value"], approximate=False)
            value = f"exactly ${shown}$" if shown is not None else "exactly the value in the JSON report"
            words = f"the residual of cell {cell} is {value}, which is nonzero"
        else:
            value = _decimal_latex(mp_text(certificate["value"], _SHOWN_DIGITS))
            radius = _decimal_latex(written["certificate"]["radius"])
            words = (f"the residual of cell {cell} is ${value}$ (to {_SHOWN_DIGITS} digits), enclosed in a ball of "
                     f"radius at most ${radius}$ that excludes 0")
        fields.append(("Certificate", words))
    table, after = None, []
    if verdict.cells:
        rows = []
        shown = min(len(verdict.cells), MAX_TABLE_ROWS)
        for i in range(shown):
            residual, entry = verdict.residual[i], written["residual"][i]
            if "exact" in entry:
                math = _exact_latex(residual)
                value = f"${math}$" if math is not None else "exact (in the JSON report)"
                error = "exact"
            else:
                value = f"${_decimal_latex(mp_text(residual, _SHOWN_DIGITS))}$"
                error = "unknown" if entry["error"] is None else f"$\\le {_decimal_latex(entry['error'])}$"
            rows.append((str(verdict.cells[i]), value, error))
        table = Step("table", header=("cell", "residual", "error bound"), rows=tuple(rows),
                     caption="Residual (lhs − rhs) per compared cell", digits=TABLE_DIGITS)
        more = len(verdict.cells) - shown
        if more:
            largest = _decimal_latex(mp_text(verdict.max_residual, _SHOWN_DIGITS))
            after.append(f"… and {more} more cell{'s' if more > 1 else ''} not shown; the largest $|r|$ is "
                         f"${largest}$, in cell {verdict.worst_cell}.")
    else:
        after.append("No cells were compared.")
    return _VerdictParts(fields, table, after, [literal(note) for note in verdict.notes])
