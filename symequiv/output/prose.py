r"""Prose in a report: plain text with inline math between dollar signs.

Every piece of prose of a :class:`~symequiv.output.report.Derivation` (title,
claim, paragraphs, captions, labels, table text cells, corrections, verdict
statements) is plain text with optional inline math, ``$\delta = dx/2$``;
``\$`` is a literal dollar sign. :func:`segments` splits it (and refuses
unbalanced dollar signs and braces), and each format writes the pieces its
way. A space after an abbreviation such as "eq." (or in "Figure 2") does not
break a line.

>>> segments("The step moves by $\\delta = dx/2$, costs \\$5.")
[('text', 'The step moves by '), ('math', '\\delta = dx/2'), ('text', ', costs $5.')]
>>> plain("The edge of $H(x - \\Delta x/2)$")
'The edge of H(x−Δx/2)'
"""

import re

from ..errors import InvalidArgument, short_repr
from .latex_mathml import math_text

__all__ = ["NBSP", "literal", "paragraphs", "plain", "segments", "unbreakable"]


def paragraphs(text):
    """The paragraphs of prose: the text between blank lines."""
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text.strip()) if p.strip()]


def segments(text, what="text"):
    """Split prose into ("text", str) and ("math", latex) pieces at unescaped dollar signs."""
    pieces, current, in_math, i = [], [], False, 0
    while i < len(text):
        c = text[i]
        if c == "\\" and text.startswith("$", i + 1):
            current.append("\\$" if in_math else "$")
            i += 2
            continue
        if c == "$":
            piece = "".join(current)
            if in_math:
                if not piece.strip():
                    raise InvalidArgument(
                        f"Empty inline math '$$' in {what}: use Derivation.math() for a display equation, "
                        "or write \\$ for a literal dollar sign"
                    )
                _check_braces(piece, what)
                pieces.append(("math", piece))
            elif piece:
                pieces.append(("text", piece))
            current, in_math = [], not in_math
            i += 1
            continue
        current.append(c)
        i += 1
    if in_math:
        raise InvalidArgument(
            f"Unbalanced '$' in {what}={short_repr(text)}: close the inline math, or write \\$ for a literal dollar sign"
        )
    if current:
        pieces.append(("text", "".join(current)))
    return pieces


def _check_braces(latex, what):
    """Refuse inline math whose braces do not balance (it would break every format)."""
    depth = 0
    for token in re.findall(r"\\.|[{}]", latex, flags=re.DOTALL):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                break
    if depth != 0:
        raise InvalidArgument(f"Unbalanced braces in the inline math ${latex}$ of {what}")


NBSP = "\u00a0"
# A space after an abbreviation or before a number that must not break a line: "eq. 4", "Figure 2".
_UNBREAKABLE = re.compile(
    r"\b((?:eqs?|ineqs?|Eqs?|Ineqs?|figs?|Figs?|secs?|Secs?|[Nn]o|cf|vs)\.) (?=[\w(\[])"
    r"|\b(Figures?|Tables?|Sections?|Equations?) (?=\d)"
)


def unbreakable(text):
    """Prose with non-breaking spaces where a line break would separate "eq." from "4"."""
    return _UNBREAKABLE.sub(lambda m: (m.group(1) or m.group(2)) + NBSP, text)


def plain(text):
    """Prose as plain text (a page's <title>, an image's alt text): inline math as the characters it shows."""
    return "".join(piece if kind == "text" else math_text(piece) for kind, piece in segments(text))


def literal(text):
    """Plain text (a verdict's claim, a note) as prose: its dollar signs are literal."""
    return text.replace("$", "\\$")
