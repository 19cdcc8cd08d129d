r"""A derivation as a complete LaTeX ``article`` for pdflatex.

T1 Latin Modern fonts, so the PDF has vector fonts only; amsmath, booktabs,
graphicx, microtype. Figures are included by ``\includegraphics{NAME.pdf}``
when a PDF is given (vector graphics), else the PNG. Tables and figures are
not floats, so they stay where the derivation puts them; a table is shrunk
only if wider than the text, and a column of long prose wraps.
"""

from .notation import latex_number, sympy_latex
from .prose import NBSP, paragraphs, plain, segments, unbreakable
from .report_verdict import verdict_heading, verdict_parts
from .steps import numbered

__all__ = ["latex_report"]

# A LaTeX table column of prose longer than this (in characters) wraps.
_LONGEST_UNWRAPPED_CELL = 24


def latex_report(title, claim, steps, main, summary):
    r"""A derivation as a complete LaTeX document for pdflatex (vector fonts; figures as PDF where given).

    The arguments are those of :func:`~symequiv.output.report_markdown.markdown_report`.
    """
    lines = [
        r"\documentclass{article}",
        r"\usepackage[T1]{fontenc}",
        r"\usepackage[utf8]{inputenc}",
        r"\usepackage{lmodern}",
        r"\usepackage{textcomp}",
        r"\usepackage{amsmath}",
        r"\usepackage{amssymb}",
        r"\usepackage{array}",
        r"\usepackage{graphicx}",
        r"\usepackage{booktabs}",
        r"\usepackage{tabularx}",
        r"\usepackage{microtype}",
        r"\usepackage[a4paper,margin=25mm]{geometry}",
        r"\setlength{\emergencystretch}{3em}",
        r"\setlength{\parindent}{0pt}",
        r"\setlength{\parskip}{0.6\baselineskip}",
        r"\allowdisplaybreaks",
        r"\begin{document}",
        # The title alone (\maketitle would leave room for an author and a date).
        f"\\begin{{center}}\\LARGE\\bfseries {_tex_inline(title)}\\end{{center}}",
        r"\bigskip",
        "",
    ]
    if claim is not None:
        lines += [f"\\textbf{{Claim.}} {_tex_inline(claim)}", ""]
    for index, step, number in numbered(steps):
        kind = step.kind
        if kind == "text":
            for paragraph in paragraphs(step.text):
                lines += [_tex_inline(paragraph), ""]
        elif kind == "math":
            if step.label is not None:
                lines += [f"\\textit{{{_tex_inline(step.label)}:}}", ""]
            lines += _tex_display(step.expr)
        elif kind == "verdict":
            lines += [f"\\subsection*{{{_tex_inline(verdict_heading(step.label, index == main))}}}", ""]
            lines += _tex_verdict(step.verdict, step.statement)
        elif kind == "table":
            lines += _tex_table(step, f"Table~{number}.")
        elif kind == "figure":
            caption = f" {_tex_inline(step.caption)}" if step.caption is not None else ""
            image = f"{step.name}.pdf" if step.pdf is not None else f"{step.name}.png"
            lines += [
                r"\begin{center}",
                f"\\includegraphics[width=\\linewidth,height=0.6\\textheight,keepaspectratio]{{{image}}}\\par",
                r"\smallskip",
                f"\\parbox{{\\linewidth}}{{\\small\\textbf{{Figure~{number}.}}{caption}}}",
                r"\end{center}",
                "",
            ]
        elif kind == "correction":
            lines += _tex_correction(step)
    if summary is not None:
        lines += [r"\subsection*{Summary}", ""] + _tex_table(summary, None)
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


_LATEX_TEXT = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "_": r"\_",
    "%": r"\%", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}",
    ">": r"\textgreater{}", "|": r"\textbar{}", NBSP: "~", "−": r"\textminus{}", "≈": r"$\approx$",
    "≤": r"$\le$", "≥": r"$\ge$", "…": r"\dots{}",
}


def _tex_escape(text):
    """Plain text as LaTeX text: every special character escaped, unbreakable spaces as ``~``."""
    return "".join(_LATEX_TEXT.get(c, c) for c in unbreakable(text))


def _tex_inline(text):
    return "".join(_tex_escape(piece) if kind == "text" else f"${piece}$" for kind, piece in segments(text))


def _tex_display(expr):
    """A display equation (amsmath's ``equation*``)."""
    return [r"\begin{equation*}", sympy_latex(expr), r"\end{equation*}", ""]


def _tex_cell(cell, digits):
    if isinstance(cell, str):
        return _tex_inline(cell) if cell.strip() else ""
    return f"${latex_number(cell, digits)}$"


def _tex_table(step, number):
    """A table: its caption above, at most the line width, then the tabular (shrunk only if wider than the line)."""
    caption = _tex_inline(step.caption) if step.caption is not None else ""
    title = " ".join(part for part in (f"\\textbf{{{number}}}" if number else "", caption) if part)
    header = [f"\\textbf{{{_tex_inline(h)}}}" if h else "" for h in step.header]
    # A minipage keeps the caption on the page of its table.
    lines = [r"\begin{center}", r"\begin{minipage}{\linewidth}", r"\centering"]
    if title:
        lines += [f"{{\\small {title}\\par}}\\smallskip"]
    # Columns of long prose wrap (tabularx's X columns, the table as wide as the text); a table
    # without them keeps its natural width, shrunk only if it is wider than the text.
    wrapping = [all(isinstance(row[c], str) for row in step.rows)
                and max(len(plain(row[c])) for row in step.rows) > _LONGEST_UNWRAPPED_CELL
                for c in range(len(step.header))]
    if any(wrapping):
        spec = "".join(r">{\raggedright\arraybackslash}X" if wraps else "l" for wraps in wrapping)
        begin, end = f"\\begin{{tabularx}}{{\\linewidth}}{{{spec}}}", r"\end{tabularx}"
    else:
        begin = (r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{%" + "\n"
                 + f"\\begin{{tabular}}{{{'l' * len(step.header)}}}")
        end = r"\end{tabular}}"
    lines += [begin, r"\toprule", " & ".join(header) + r" \\", r"\midrule"]
    lines += [" & ".join(_tex_cell(cell, step.digits) for cell in row) + r" \\" for row in step.rows]
    return lines + [r"\bottomrule", end, r"\end{minipage}", r"\end{center}", ""]


def _tex_verdict(verdict, statement):
    parts = verdict_parts(verdict, statement)
    lines = [r"\begin{tabular}{@{}>{\bfseries}l@{\hspace{1em}}p{0.76\linewidth}@{}}"]
    lines += [f"{_tex_escape(name)} & {_tex_inline(value)} \\\\" for name, value in parts.fields]
    lines += [r"\end{tabular}", ""]
    if parts.table is not None:
        lines += _tex_table(parts.table, None)
    for line in parts.after:
        lines += [_tex_inline(line), ""]
    if parts.notes:
        lines.append(r"\begin{itemize}")
        lines += [f"\\item {_tex_inline(note)}" for note in parts.notes]
        lines += [r"\end{itemize}", ""]
    return lines


def _tex_correction(step):
    lines = [
        r"\begin{quote}",
        r"\textbf{Correction.}",
        "",
        f"\\textbf{{The paper says:}} {_tex_inline(step.paper)}",
        "",
        f"\\textbf{{Corrected:}} {_tex_inline(step.corrected)}",
    ]
    if step.check is not None:
        lines += ["", r"\textbf{Check:}", ""] + _tex_verdict(step.check, step.check_statement)
    return lines + [r"\end{quote}", ""]
