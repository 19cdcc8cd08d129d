"""A derivation as Markdown: math as ``$...$`` and ``$$...$$``, figures as ``![caption](NAME.png)``.

Plain text is escaped (so is a line start that Markdown would read as a list,
a quote or a heading), inline math is kept as LaTeX, and a table cell's math
cannot end the cell with a ``|``.
"""

import re

from .notation import latex_number, sympy_latex
from .prose import NBSP, paragraphs, plain, segments, unbreakable
from .report_verdict import verdict_heading, verdict_parts
from .steps import numbered

__all__ = ["markdown_report"]


def markdown_report(title, claim, steps, main, summary):
    """A derivation as Markdown (figures as ``![caption](NAME.png)``).

    ``title`` and ``claim`` are prose (the claim may be None), ``steps`` the
    derivation's steps in order, ``main`` the index of its main verdict's step
    (or None) and ``summary`` the summary table step (or None).
    """
    blocks = [f"# {_md_inline(title, line_start=False)}"]
    if claim is not None:
        blocks.append(f"**Claim.** {_md_inline(claim, line_start=False)}")
    for index, step, number in numbered(steps):
        kind = step.kind
        if kind == "text":
            blocks.extend(_md_inline(p) for p in paragraphs(step.text))
        elif kind == "math":
            if step.label is not None:
                blocks.append(f"*{_md_inline(step.label)}:*")
            blocks.append(f"$$\n{sympy_latex(step.expr)}\n$$")
        elif kind == "verdict":
            blocks.append(f"## {_md_inline(verdict_heading(step.label, index == main), line_start=False)}")
            blocks.append(_md_verdict(step.verdict, step.statement))
        elif kind == "table":
            caption = f" {_md_inline(step.caption, line_start=False)}" if step.caption is not None else ""
            blocks.append(f"**Table{NBSP}{number}.**{caption}")
            blocks.append(_md_table(step))
        elif kind == "figure":
            alt = _md_alt(step.caption if step.caption is not None else step.name)
            blocks.append(f"![{alt}]({step.name}.png)")
            caption = f" {_md_inline(step.caption, line_start=False)}" if step.caption is not None else ""
            blocks.append(f"**Figure{NBSP}{number}.**{caption}")
        elif kind == "correction":
            blocks.append(_md_correction(step))
    if summary is not None:
        blocks += ["## Summary", _md_table(summary)]
    return "\n\n".join(blocks) + "\n"


def _md_math(latex, table=False):
    if table:
        # A '|' ends a pipe-table cell, even inside math.
        latex = latex.replace("\\|", "\\Vert ").replace("|", "\\vert ").replace("\n", " ")
    return f"${latex}$"


_MD_SPECIAL = set("\\`*_[]<>|$#~&")


def _md_escape(text, table=False, line_start=True):
    """Plain text as Markdown; ``line_start`` when the text begins a line (a piece after math does not)."""
    escaped = "".join("\\" + c if c in _MD_SPECIAL else c for c in unbreakable(text))
    # Line starts that Markdown reads as lists, quotes, headings or rules.
    start = r"(?:\A|(?<=\n))" if line_start else r"(?<=\n)"
    escaped = re.sub(start + r"(\s*)([-+>=])", r"\1\\\2", escaped)
    escaped = re.sub(start + r"(\s*\d+)([.)])", r"\1\\\2", escaped)
    return escaped.replace("\n", " ") if table else escaped


def _md_inline(text, table=False, line_start=None):
    """Prose as Markdown; ``line_start`` (default: not in a table) when it begins a line."""
    line_start = not table if line_start is None else line_start
    return "".join(
        _md_escape(piece, table, line_start=line_start and index == 0) if kind == "text" else _md_math(piece, table)
        for index, (kind, piece) in enumerate(segments(text))
    )


def _md_alt(text):
    return re.sub(r"\s+", " ", plain(text)).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _md_cell(cell, digits):
    if isinstance(cell, str):
        return _md_inline(cell, table=True) if cell.strip() else " "
    return _md_math(latex_number(cell, digits), table=True)


def _md_table(step):
    lines = ["| " + " | ".join(_md_inline(h, table=True) if h else " " for h in step.header) + " |"]
    lines.append("|" + "|".join(":---" for _ in step.header) + "|")
    for row in step.rows:
        lines.append("| " + " | ".join(_md_cell(cell, step.digits) for cell in row) + " |")
    return "\n".join(lines)


def _md_verdict(verdict, statement):
    parts = verdict_parts(verdict, statement)
    blocks = ["\n".join(f"- **{name}:** {_md_inline(value, line_start=False)}" for name, value in parts.fields)]
    if parts.table is not None:
        blocks += [f"*{_md_inline(parts.table.caption)}*", _md_table(parts.table)]
    blocks += [_md_inline(line) for line in parts.after]
    if parts.notes:
        blocks.append("Notes:\n\n" + "\n".join(f"- {_md_inline(note)}" for note in parts.notes))
    return "\n\n".join(blocks)


def _md_correction(step):
    parts = ["**Correction.**", f"**The paper says:** {_md_inline(step.paper, line_start=False)}",
             f"**Corrected:** {_md_inline(step.corrected, line_start=False)}"]
    if step.check is not None:
        parts += ["**Check:**", _md_verdict(step.check, step.check_statement)]
    text = "\n\n".join(parts)
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
