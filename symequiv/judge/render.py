"""Renderings of verdicts, witnesses and sweeps: text, Markdown, LaTeX and HTML.

A :class:`~symequiv.judge.verdict.Verdict` holds data and obeys the rules;
this module writes it in each format (``str``, ``to_markdown``, ``to_latex``,
``_repr_latex_``, ``_repr_html_`` call it), and so for a
:class:`~symequiv.judge.witness.Witness` and a
:class:`~symequiv.judge.check.Sweep` in a notebook. What it writes is made of
the pieces below it:

* :mod:`symequiv.judge.verdict_words`: the headline, the outcome and the other
  facts in words, and the rows of the residual table;
* :mod:`symequiv.judge.claims`: the claim's text read as mathematics;
* :mod:`symequiv.judge.mathtext`: numbers, escaped text, and sympy's LaTeX and
  MathML.

HTML uses MathML (no script needed, so it reads in a browser, a notebook
and a saved page alike); LaTeX is for documents and for notebooks
(``_repr_latex_``, MathJax).
"""

import base64
import re

from ..errors import InvalidType, short_repr
from ..numeric.decimals import approximate, is_exact, nstr
from .claims import (
    assignment,
    claim_html,
    claim_latex,
    claim_markdown,
    claim_math_lines,
    expr_piece,
    fence,
    repr_piece,
    top_level_split,
)
from .mathtext import (
    SHOWN_DIGITS,
    exact_is_short,
    html_escape,
    latex_decimal,
    latex_escape,
    latex_of,
    latex_residual,
    latex_text_in_math,
    markdown_escape,
    math_element,
    mathml_decimal,
    mathml_of,
    mathml_residual,
    shift_expr,
)
from .verdict_words import (
    METHOD_WORDS,
    bound_sentence,
    bound_words,
    certificate_words,
    coverage,
    error_text,
    headline,
    more_words,
    outcome,
    precision_words,
    ranges,
    table_caption,
    table_rows,
    zero_words,
)

__all__ = ["sweep_html", "verdict_html", "verdict_latex", "verdict_markdown", "verdict_repr_latex", "verdict_text",
           "witness_html"]

#: Rows of a sweep's HTML table before the rest is summarized.
MAX_SWEEP_ROWS = 60
_DEFAULT_DPS = 50
_COLORS = {"holds": "#175", "fails": "#a11", "unequal": "#a11", "equal": "#175", "undecided": "#850"}


def _dps(verdict):
    return verdict.dps or _DEFAULT_DPS


def _kind(verdict):
    """The CSS word of a verdict's outcome."""
    if verdict.holds is not None:
        return "holds" if verdict.holds else "fails"
    return verdict.numeric_outcome or "undecided"


# --------------------------------------------------------------- renderings --


def verdict_text(verdict):
    """``str(verdict)``: the headline, then one line per fact."""
    lines = [f"Verdict: {headline(verdict)}", f"  claim: {verdict.claim}"]
    lines.append(f"  method: {METHOD_WORDS[verdict.method]}; precision: {precision_words(verdict)}")
    if verdict.shift is not None:
        lines.append(f"  shift: d = {verdict.shift}")
    lines.append(
        f"  compared cells: {ranges(verdict.cells)} ({len(verdict.cells)}); "
        f"boundary cells: {ranges(verdict.boundary_cells)}"
    )
    worst = verdict.worst_cell
    if worst is not None:
        value = verdict.residual[verdict.cells.index(worst)]
        shown = str(value) if is_exact(value) and value.is_Rational else nstr(verdict.max_residual, SHOWN_DIGITS)
        lines.append(f"  largest |residual|: {shown.lstrip('-')} in cell {worst}")
    if bound_words(verdict):
        lines.append(f"  bound: {bound_words(verdict)}")
    if verdict.certificate is not None:
        lines.append(f"  certificate: {certificate_words(verdict)}")
    lines.extend(f"  note: {note}" for note in verdict.notes)
    return "\n".join(lines)


def _markdown_bold(word):
    return f"**{word}**"


def _latex_bold(word):
    return f"\\textbf{{{word}}}"


def _outcome_marked(verdict, bold):
    word, detail = outcome(verdict)
    return f"{bold(word)} ({detail})"


def verdict_markdown(verdict):
    """A readable Markdown block: headline, claim, evidence table, certificate, notes."""
    head = (f"**Verdict:** {_outcome_marked(verdict, _markdown_bold)} "
            f"{markdown_escape(coverage(verdict))}.")
    facts = f"Method: {METHOD_WORDS[verdict.method]}. Precision: {precision_words(verdict)}."
    if verdict.shift is not None:
        facts += f" Shift: $d = {latex_of(shift_expr(verdict.shift))}$."
    blocks = [f"**Claim.** {claim_markdown(verdict.claim)}", head + " " + facts]
    if bound_words(verdict):
        blocks.append(bound_sentence(verdict))
    rows, more, zero, within = table_rows(verdict)
    if rows:
        table = [f"{table_caption(verdict)}:", "", "| cell | residual | error bound |", "|---:|:---|:---|"]
        for cell, r, error in rows:
            table.append(f"| {cell} | ${latex_residual(r, _dps(verdict))}$ | {error_text(r, error, 'latex')} |")
        blocks.append("\n".join(table))
        if more:
            blocks.append(f"... and {more_words(verdict, more)}. Largest $|r|$: "
                          f"${latex_decimal(verdict.max_residual)}$ in cell {verdict.worst_cell}.")
    elif not verdict.cells:
        blocks.append("No cells were compared.")
    if zero_words(verdict, zero, within):
        blocks.append(zero_words(verdict, zero, within))
    blocks.append(f"Boundary cells (left out, boundary data affects them): {ranges(verdict.boundary_cells)}.")
    if verdict.certificate is not None:
        blocks.append(f"Certificate: {certificate_words(verdict, 'latex')}.")
    if verdict.notes:
        blocks.append("Notes:\n\n" + "\n".join(f"- {markdown_escape(note)}" for note in verdict.notes))
    return "\n\n".join(blocks)


def verdict_latex(verdict):
    """A LaTeX fragment (no preamble): headline, claim, a tabular of residuals, notes."""
    head = (f"\\textbf{{Verdict:}} {_outcome_marked(verdict, _latex_bold)} "
            f"{latex_escape(coverage(verdict))}. ")
    head += (f"Method: {latex_escape(METHOD_WORDS[verdict.method])}. "
             f"Precision: {latex_escape(precision_words(verdict))}.")
    if verdict.shift is not None:
        head += f" Shift: $d = {latex_of(shift_expr(verdict.shift))}$."
    lines = [f"\\textbf{{Claim.}} {claim_latex(verdict.claim)}", "", head, ""]
    if bound_words(verdict):
        lines += [bound_sentence(verdict), ""]
    rows, more, zero, within = table_rows(verdict)
    if rows:
        lines += [f"{latex_escape(table_caption(verdict))}:", "",
                  r"\begin{tabular}{rll}", r"\hline", r"cell & residual & error bound \\", r"\hline"]
        for cell, r, error in rows:
            lines.append(f"{cell} & ${latex_residual(r, _dps(verdict))}$ & {error_text(r, error, 'latex')} \\\\")
        if more:
            lines.append(f"\\multicolumn{{3}}{{l}}{{\\ldots\\ and {more_words(verdict, more)}}} \\\\")
        lines += [r"\hline", r"\end{tabular}", ""]
        if more:
            lines += [f"Largest $|r|$: ${latex_decimal(verdict.max_residual)}$ in cell {verdict.worst_cell}.", ""]
    elif not verdict.cells:
        lines += ["No cells were compared.", ""]
    if zero_words(verdict, zero, within):
        lines += [latex_escape(zero_words(verdict, zero, within)), ""]
    lines += [f"Boundary cells (left out, boundary data affects them): {ranges(verdict.boundary_cells)}.", ""]
    if verdict.certificate is not None:
        lines += [f"Certificate: {certificate_words(verdict, 'latex')}.", ""]
    if verdict.notes:
        lines.append(r"\begin{itemize}")
        lines += [f"\\item {latex_escape(note)}" for note in verdict.notes]
        lines.append(r"\end{itemize}")
    return "\n".join(lines).rstrip("\n")


def verdict_repr_latex(verdict):
    """For notebooks: the headline, the claim typeset line by line, and the largest residual."""
    word, detail = outcome(verdict)
    first, *rest = top_level_split(f"({detail}) {coverage(verdict)}", "; ")
    lines = [f"\\textbf{{{word}}}\\ {latex_text_in_math(first + (';' if rest else ''))}"]
    lines += [f"\\quad {latex_text_in_math(part + (';' if i < len(rest) - 1 else ''))}" for i, part in enumerate(rest)]
    lines += claim_math_lines(verdict.claim)
    if verdict.cells:
        worst = verdict.max_residual
        where = "" if worst == 0 else f"\\ \\text{{at cell {verdict.worst_cell}}}"
        lines.append(f"\\max_j |r_j| = {'0' if worst == 0 else latex_decimal(worst)}{where}")
    return "$\\displaystyle \\begin{array}{l} " + " \\\\ ".join(lines) + " \\end{array}$"


_STYLE = (
    "border-left:4px solid {color};padding:0.3em 0.8em;margin:0.4em 0;"
    "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.45;max-width:60em"
)


def _html_table(header, rows, caption=None):
    parts = [f"<p style='margin:0.4em 0 0.1em 0'>{html_escape(caption)}:</p>"] if caption else []
    parts.append("<table style='border-collapse:collapse;margin:0.3em 0'>")
    parts.append("<thead><tr>" + "".join(
        f"<th style='text-align:left;border-bottom:1px solid #999;padding:0.1em 0.6em;white-space:nowrap'>"
        f"{html_escape(h)}</th>"
        for h in header
    ) + "</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td style='padding:0.1em 0.6em'>{cell}</td>" for cell in row) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _largest_mml(verdict):
    value = verdict.residual[verdict.cells.index(verdict.worst_cell)]
    if is_exact(value) and value.is_Rational:
        return mathml_of(abs(value))
    return mathml_decimal(verdict.max_residual)


def verdict_html(verdict):
    """A self-contained HTML block (MathML for the mathematics) for notebooks and pages."""
    kind = _kind(verdict)
    color = _COLORS[kind]
    word, detail = outcome(verdict)
    parts = [f"<div class='symequiv-verdict {kind}' style=\"{_STYLE.format(color=color)}\">"]
    parts.append(f"<p><strong style='color:{color}'>{html_escape(word)}</strong> ({html_escape(detail)}) "
                 f"{html_escape(coverage(verdict))}</p>")
    parts.append(claim_html(verdict.claim))
    facts = [("Method", html_escape(METHOD_WORDS[verdict.method])),
             ("Precision", html_escape(precision_words(verdict)))]
    if verdict.shift is not None:
        facts.append(("Shift", math_element(f"<mrow><mi>d</mi><mo>=</mo>{mathml_of(shift_expr(verdict.shift))}</mrow>")))
    facts.append(("Compared cells", f"{html_escape(ranges(verdict.cells))} ({len(verdict.cells)})"))
    facts.append(("Boundary cells", html_escape(ranges(verdict.boundary_cells))
                  + (" (left out: boundary data affects them)" if verdict.boundary_cells else "")))
    if verdict.worst_cell is not None:
        facts.append(("Largest |residual|", f"{math_element(_largest_mml(verdict))} in cell {verdict.worst_cell}"))
    if bound_words(verdict):
        facts.append(("Bound", html_escape(bound_words(verdict))))
    if verdict.certificate is not None:
        facts.append(("Certificate", certificate_words(verdict, "html")))
    parts.append("<table style='border-collapse:collapse'>" + "".join(
        f"<tr><th style='text-align:left;padding:0.05em 0.8em 0.05em 0;vertical-align:top;white-space:nowrap'>"
        f"{name}</th>"
        f"<td>{value}</td></tr>" for name, value in facts
    ) + "</table>")
    rows, more, zero, within = table_rows(verdict)
    if rows:
        body = [(str(cell), math_element(mathml_residual(r, _dps(verdict))), error_text(r, error, "html"))
                for cell, r, error in rows]
        parts.append(_html_table(("cell", "residual", "error bound"), body, table_caption(verdict)))
        if more:
            parts.append(f"<p>… and {html_escape(more_words(verdict, more))}.</p>")
    if zero_words(verdict, zero, within):
        parts.append(f"<p>{html_escape(zero_words(verdict, zero, within))}</p>")
    if verdict.notes:
        parts.append("<ul>" + "".join(f"<li>{html_escape(note)}</li>" for note in verdict.notes) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


# ----------------------------------------------------------------- witness --


def _value_mml(value, framed):
    content = mathml_of(value) if exact_is_short(value) else mathml_decimal(approximate(value, _DEFAULT_DPS))
    if framed:
        content = f"<mrow class='differs' style='color:#a11;outline:1px solid #a11'>{content}</mrow>"
    return content


def _values_mml(values, highlight=None):
    """Cell values as MathML: a bracketed list, or in two dimensions a matrix (row i for x-cell i)."""
    if values.ndim == 2:
        rows = "".join(
            "<mtr>" + "".join(f"<mtd>{_value_mml(v, (i, j) == highlight)}</mtd>" for j, v in enumerate(row)) + "</mtr>"
            for i, row in enumerate(values)
        )
        return f"<mrow>{fence('[', tall=True)}<mtable>{rows}</mtable>{fence(']', tall=True)}</mrow>"
    items = [_value_mml(v, j == highlight) for j, v in enumerate(values)]
    return "<mrow><mo>[</mo>" + "<mo>,</mo>".join(items) + "<mo>]</mo></mrow>"


def _signal_name_mml(k, arguments):
    variables = "<mo>,</mo>".join(f"<mi>{v}</mi>" for v in arguments)
    return f"<mrow><msub><mi>f</mi><mn>{k}</mn></msub>{fence('(')}{variables}{fence(')')}</mrow>"


def witness_html(witness):
    """A :class:`~symequiv.judge.witness.Witness` as HTML: the two signals, their discretizations, the verdict.

    In two dimensions the discretizations are matrices, row i for x-cell i, and the signals read f(x, y).
    """
    D, d, cell = witness.discretizer, witness.shift, witness.cell
    (b1, b2), (a1, a2) = witness.before, witness.after
    two = isinstance(d, tuple)
    arguments, moved = (("x", "y"), "x − d<sub>x</sub>, y − d<sub>y</sub>") if two else (("x",), "x − d")
    title = (f"<strong>Witness of inequality (5)</strong> for {math_element(repr_piece(repr(D))[1])} at "
             f"{math_element(assignment('d', expr_piece(shift_expr(d)))[1])}")
    rows = [
        (math_element(_signal_name_mml(1, arguments)), math_element(mathml_of(witness.f1.expr))),
        (math_element(_signal_name_mml(2, arguments)), math_element(mathml_of(witness.f2.expr))),
    ]
    if b1 == b2:
        rows.append(("D[f<sub>1</sub>] = D[f<sub>2</sub>]", math_element(_values_mml(b1))))
    else:
        rows += [("D[f<sub>1</sub>]", math_element(_values_mml(b1))),
                 ("D[f<sub>2</sub>]", math_element(_values_mml(b2)))]
    rows += [(f"D[f<sub>1</sub>({moved})]", math_element(_values_mml(a1, cell))),
             (f"D[f<sub>2</sub>({moved})]", math_element(_values_mml(a2, cell)))]
    where = f"cell {html_escape(str(cell))}" + (" (rows are x-cells)" if two else "")
    parts = [f"<div class='symequiv-witness' style=\"{_STYLE.format(color='#555')}\">",
             f"<p>{title}</p>",
             "<table style='border-collapse:collapse'>" + "".join(
                 f"<tr><th style='text-align:left;padding:0.1em 0.8em 0.1em 0;font-weight:normal'>{name}</th>"
                 f"<td>{value}</td></tr>" for name, value in rows) + "</table>",
             f"<p>D cannot tell f<sub>1</sub> from f<sub>2</sub>, but their translations differ at {where} "
             f"(framed): no discrete shift g<sup>h</sup>, linear or not, can commute with D at d.</p>"]
    if witness.notes:
        parts.append("<ul>" + "".join(f"<li>{html_escape(note)}</li>" for note in witness.notes) + "</ul>")
    if witness.verdict is not None:
        parts.append(verdict_html(witness.verdict))
    parts.append("</div>")
    return "".join(parts)


# ------------------------------------------------------------------- sweep --


def sweep_html(sweep, title=None):
    """A :class:`~symequiv.judge.check.Sweep` as HTML: its residual curve (SVG) and a table, one row per shift.

    The curve is :func:`symequiv.judge.curve.residual_curve`, embedded as an SVG
    data URI (vector, and no element ids that could clash with other
    outputs on the page). Intended as ``Sweep._repr_html_``.

    >>> import symequiv as se
    >>> D = se.CellAverage(se.Grid(-1, 1, 8))
    >>> result = se.sweep(D, se.Signal("Heaviside(x - 1/8)"), ["1/16", "1/8"], se.LinearShift(), progress=False)
    >>> page = sweep_html(result)
    >>> page.count("<tr>"), "data:image/svg+xml;base64," in page
    (3, True)
    """
    from .curve import residual_curve  # drawn with matplotlib: imported only when a notebook asks

    verdicts = list(sweep)
    if title is None:
        title = "Largest |residual| per shift"
    if not isinstance(title, str):
        raise InvalidType(f"Expected a str title but got {short_repr(title)}")
    image = residual_curve(sweep, title)
    svg = base64.b64encode(image.svg).decode("ascii")
    counts = {kind: sum(_kind(v) == kind for v in verdicts) for kind in _COLORS}
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    parts = [f"<div class='symequiv-sweep' style=\"{_STYLE.format(color='#555')}\">",
             f"<p><strong>Sweep of {len(verdicts)} shift{'s' if len(verdicts) != 1 else ''}</strong>: "
             f"{html_escape(summary)}</p>"]
    if verdicts:
        parts.append(claim_html(_without_shift(verdicts[0].claim)))
    parts.append(f"<img alt='{html_escape(image.caption)}' style='max-width:100%;height:auto' "
                 f"src='data:image/svg+xml;base64,{svg}'/>")
    rows = []
    for d, v in list(zip(sweep.deltas, verdicts))[:MAX_SWEEP_ROWS]:
        kind = _kind(v)
        word, detail = outcome(v)
        worst = "" if v.worst_cell is None or v.max_residual == 0 else f" (cell {v.worst_cell})"
        largest = "–" if v.max_residual is None else math_element(mathml_decimal(v.max_residual)) + worst
        rows.append((
            math_element(f"<mrow><mi>d</mi><mo>=</mo>{mathml_of(d)}</mrow>"),
            f"<span style='color:{_COLORS[kind]}' title='{html_escape(detail)}'>{html_escape(word)}</span>",
            html_escape(v.method),
            largest,
            html_escape(coverage(v)),
        ))
    parts.append(_html_table(("shift", "outcome", "method", "max |residual|", "cells"), rows))
    if len(verdicts) > MAX_SWEEP_ROWS:
        parts.append(f"<p>… and {len(verdicts) - MAX_SWEEP_ROWS} more shifts (see the curve).</p>")
    parts.append("</div>")
    return "".join(parts)


def _without_shift(claim):
    """The claim of a sweep's verdicts without its last ``, d = ...`` (the sweep varies it)."""
    return re.sub(r", d = [^,]*$", "", claim)
