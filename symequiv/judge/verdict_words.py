"""What a verdict found, in words, and what its residual table shows: shared by every rendering.

Every rendering of :mod:`symequiv.judge.render` starts with the same
headline, which says what was found and how many cells it covers:

>>> from symequiv.judge.verdict import Verdict
>>> v = Verdict("D[f(x - d)] = g(D[f], d) for D = CellAverage(Grid(-1, 1, 8)), f = Heaviside(x, 0), d = 1/8",
...             True, "symbolic", [0] * 5, cells=(1, 2, 3, 4, 5), boundary_cells=(0, 6, 7), total_cells=8)
>>> headline(v)
'holds (proved) on 5 of 8 cells; cells 0, 6..7 reached by the boundary were left out'

The words of the outcome, the precision, the bound and the certificate come
from here, and :func:`table_rows` chooses the rows of the residual table (the
cells that differ, at most :data:`MAX_TABLE_ROWS`) for every format alike.
"""

from ..numeric.decimals import is_exact
from .mathtext import SHOWN_DIGITS, decimal, latex_decimal, latex_of, math_element, mathml_decimal, mathml_of

__all__ = [
    "MAX_TABLE_ROWS", "METHOD_WORDS", "bound_sentence", "bound_words", "certificate_words", "coverage",
    "error_text", "headline", "more_words", "outcome", "precision_words", "ranges", "table_caption", "table_rows",
    "zero_words",
]

#: Rows of the residual table in Markdown, LaTeX and HTML before the rest is summarized.
MAX_TABLE_ROWS = 24
#: How each method reached its verdict, in words.
METHOD_WORDS = {
    "symbolic": "symbolic (exact sympy arithmetic)",
    "interval": "interval (ball arithmetic with rigorous radii)",
    "numeric": "numeric (high-precision evaluation, not a proof)",
}


# ----------------------------------------------------------------- ranges --


def ranges(cells):
    """``0..3, 5, 7..9`` for a tuple of cell indices (in the given order).

    Cells (i, j) of a 2-D grid (or (c, i, j) with channels) are grouped into
    blocks: ``(0..3, 1..3), (4, 0)``.

    >>> ranges((0, 1, 2, 3, 5, 7, 8, 9))
    '0..3, 5, 7..9'
    >>> ranges(((0, 1), (0, 2), (1, 1), (1, 2), (2, 0)))
    '(0..1, 1..2), (2, 0)'
    """
    if not cells:
        return "none"
    if isinstance(cells[0], tuple):
        return _block_ranges(cells)
    parts, start, previous = [], cells[0], cells[0]
    for cell in tuple(cells[1:]) + (None,):
        if cell is not None and cell == previous + 1:
            previous = cell
            continue
        parts.append(str(start) if start == previous else f"{start}..{previous}")
        if cell is not None:
            start = previous = cell
    return ", ".join(parts)


def _block_ranges(cells):
    """Runs of the last index per leading indices, then runs of equal rows merged along the index before it."""
    rows = []  # (leading indices, runs of the last index)
    for cell in cells:
        if rows and rows[-1][0] == cell[:-1]:
            rows[-1][1].append(cell[-1])
        else:
            rows.append((cell[:-1], [cell[-1]]))
    blocks = []  # [first leading, last leading index, runs text]
    for leading, last in rows:
        text = ranges(tuple(last))
        if blocks and blocks[-1][2] == text and blocks[-1][1][:-1] == leading[:-1] and blocks[-1][1][-1] + 1 == leading[-1]:
            blocks[-1][1] = leading
            continue
        blocks.append([leading, leading, text])
    parts = []
    for first, last, text in blocks:
        head = [str(a) if a == b else f"{a}..{b}" for a, b in zip(first, last)]
        parts.append("(" + ", ".join(head + [text]) + ")" if "," not in text else
                     "(" + ", ".join(head + ["{" + text + "}"]) + ")")
    return ", ".join(parts)


def _cells_words(cells):
    return f"cell {cells[0]}" if len(cells) == 1 else f"cells {ranges(cells)}"


# ---------------------------------------------------------------- headline --


def outcome(verdict):
    """(word, detail): ``("holds", "proved")``, ``("numerically unequal", "... ; not certified")``..."""
    if verdict.holds is True:
        return "holds", "proved"
    if verdict.holds is False:
        return "fails", "certified"
    numeric = verdict.numeric_outcome
    if numeric == "unequal":
        return "numerically unequal", (
            f"|lhs - rhs| reaches {decimal(verdict.bound, 3)}, tolerance {decimal(verdict.tolerance, 3)}; "
            "not certified"
        )
    if numeric == "equal":
        return "numerically equal", (
            f"within tolerance: |lhs - rhs| <= {decimal(verdict.bound, 3, up=True)}, "
            f"tolerance {decimal(verdict.tolerance, 3)}; not proved"
        )
    if verdict.bound is not None:
        return "undecided", f"numerically |lhs - rhs| <= {decimal(verdict.bound, up=True)}; not proved"
    return "undecided", "not proved"


def coverage(verdict):
    """``on 5 of 8 cells; cells 0, 6..7 reached by the boundary were left out``."""
    count, total = len(verdict.cells), verdict.total_cells
    plural = "" if count == 1 else "s"
    if total is not None:
        words = f"on {count} of {total} cell{'' if total == 1 else 's'}"
    else:
        words = f"on {count} compared cell{plural}" if count else "on no cells"
    boundary = verdict.boundary_cells
    if boundary:
        verb = "was" if len(boundary) == 1 else "were"
        words += f"; {_cells_words(boundary)} reached by the boundary {verb} left out"
    if total is not None:
        other = total - count - len(boundary)
        if other > 0:
            words += f"; {other} other cell{'' if other == 1 else 's'} not requested"
    return words


def headline(verdict):
    """What a verdict found and how many cells it covers, in one line of text."""
    word, detail = outcome(verdict)
    return f"{word} ({detail}) {coverage(verdict)}"


def precision_words(verdict):
    """How precise the evidence is: a proof has no precision."""
    if verdict.method == "symbolic":
        return "exact (no rounding)"
    return "exact" if verdict.dps is None else f"{verdict.dps} digits"


def bound_words(verdict):
    """The numeric bound a verdict reached and how it meets its tolerance, or None (a decided verdict)."""
    if verdict.holds is None and verdict.bound is not None:
        words = f"|lhs - rhs| <= {decimal(verdict.bound, up=True)} on every compared cell, numerically (not proved)"
        if verdict.tolerance is not None:
            side = "within" if verdict.within_tolerance else "above"
            words += f"; {side} the tolerance {decimal(verdict.tolerance, up=True)}"
        return words
    return None


def bound_sentence(verdict):
    """:func:`bound_words` as a LaTeX sentence (for Markdown with math and for LaTeX)."""
    bound = latex_decimal(verdict.bound, up=True)
    sentence = (f"Bound reached: $|\\mathrm{{lhs}} - \\mathrm{{rhs}}| \\le {bound}$ on every compared cell, "
                "numerically (not proved)")
    if verdict.tolerance is not None:
        side = "within" if verdict.within_tolerance else "above"
        sentence += f"; {side} the tolerance ${latex_decimal(verdict.tolerance, up=True)}$"
    return sentence + "."


def certificate_words(verdict, style="text"):
    """The certificate in words; numbers as text, LaTeX (``style="latex"``) or MathML (``"html"``)."""
    c = verdict.certificate
    if c is None:
        return None
    if c["kind"] == "exact":
        value = {"text": lambda: str(c["value"]), "latex": lambda: f"${latex_of(c['value'])}$",
                 "html": lambda: math_element(mathml_of(c["value"]))}[style]()
        return f"the residual of cell {c['cell']} is exactly {value}, which is nonzero"
    if style == "latex":
        value, radius = f"${latex_decimal(c['value'])}$", f"${latex_decimal(c['radius'], 2, up=True)}$"
    elif style == "html":
        value = math_element(mathml_decimal(c["value"]))
        radius = math_element(mathml_decimal(c["radius"], 2, up=True))
    else:
        value, radius = decimal(c["value"]), decimal(c["radius"], 2, up=True)
    return (
        f"the residual of cell {c['cell']} is {value} (to {SHOWN_DIGITS} digits), enclosed in a ball "
        f"of radius at most {radius} that excludes 0"
    )


# ------------------------------------------------------------- the table --


def _is_zero(value):
    return value == 0


def table_rows(verdict):
    """(rows, left out, zero cells, within-tolerance cells) of a verdict's residual table.

    A proof lists its (zero) residuals. Any other verdict lists the cells
    that differ: a residual that is 0 (exactly, or 0.0 numerically) is not a
    failure and is summarized instead, as is one within a black box's
    tolerance. At most :data:`MAX_TABLE_ROWS` rows, the largest chosen, in
    cell order; ``rows`` are (cell, residual, error bound or None).
    """
    cells, residual, errors = verdict.cells, verdict.residual, verdict.error_bounds
    positions = list(range(len(cells)))
    zero, within = [], []
    if verdict.holds is not True:
        tolerance = verdict.tolerance if verdict.numeric_outcome == "unequal" else None
        sizes = verdict.magnitudes
        listed = []
        for i in positions:
            if _is_zero(residual[i]):
                zero.append(cells[i])
            elif tolerance is not None and sizes[i] <= tolerance:
                within.append(cells[i])
            else:
                listed.append(i)
        if len(listed) > MAX_TABLE_ROWS:
            listed = sorted(sorted(listed, key=lambda i: (-sizes[i], i))[:MAX_TABLE_ROWS])
        more = len(positions) - len(zero) - len(within) - len(listed)
        positions = listed
    else:
        more = max(0, len(positions) - MAX_TABLE_ROWS)
        positions = positions[:MAX_TABLE_ROWS]
    rows = [(cells[i], residual[i], errors[i] if errors else None) for i in positions]
    return rows, more, tuple(zero), tuple(within)


def zero_words(verdict, zero, within):
    """The cells :func:`table_rows` left out as zero or within the tolerance, in a sentence, or None."""
    words = []
    if zero:
        exact = [c for c in zero if is_exact(verdict.residual[verdict.cells.index(c)])]
        numeric = [c for c in zero if c not in exact]
        if exact:
            words.append(f"the residual is exactly 0 on {_cells_words(exact)}")
        if numeric:
            words.append(f"it is 0.0 numerically (not a failure) on {_cells_words(numeric)}")
    if within:
        words.append(f"|residual| is within the tolerance on {_cells_words(within)}")
    if not words:
        return None
    text = "; ".join(words)
    return text[0].upper() + text[1:] + "."


def table_caption(verdict):
    """What the residual table lists."""
    if verdict.holds is True:
        return "Residuals (lhs - rhs), each exactly 0"
    if verdict.numeric_outcome == "unequal":
        return "Cells where |lhs - rhs| exceeds the tolerance"
    if verdict.holds is False:
        return "Cells with a nonzero residual (lhs - rhs)"
    return "Cells with a nonzero residual (lhs - rhs), numerically"


def error_text(residual, error, style):
    """A residual's error bound: "exact", "unknown", or the bound as text, LaTeX or MathML (``style``)."""
    if is_exact(residual):
        return "exact"
    if error is None:
        return "unknown"
    if style == "latex":
        return f"$\\le {latex_decimal(error, 2, up=True)}$"
    if style == "html":
        return math_element(f"<mrow><mo>&#x2264;</mo>{mathml_decimal(error, 2, up=True)}</mrow>")
    return f"<= {decimal(error, 2, up=True)}"


def more_words(verdict, more):
    """How many cells the residual table left out."""
    noun = "cells" if more > 1 else "cell"
    if verdict.holds is True:
        return f"{more} more {noun} not shown"
    return f"{more} more {noun} with a nonzero residual not shown"
