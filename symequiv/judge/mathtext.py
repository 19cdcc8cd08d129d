r"""Numbers, escaped text and sympy's mathematics in every notation a verdict is written in.

The pieces every rendering of :mod:`symequiv.judge.render` is made of:
decimal numbers (a bound rounded up, so it stays one), plain text escaped for
Markdown, LaTeX and HTML, and exact sympy values as LaTeX and as MathML
(``H(x)`` for the paper's Heaviside with H(0) = 0, ``Piecewise`` as a brace of
cases, true minus signs):

>>> import mpmath, sympy
>>> latex_decimal(mpmath.mpf("-3.2e-5"))
'-3.2 \\times 10^{-5}'
>>> latex_escape("50% of f_1")
'50\\% of f\\_1'
>>> mathml_of(sympy.Rational(-1, 2))
'<mrow><mo>&#x2212;</mo><mfrac><mn>1</mn><mn>2</mn></mfrac></mrow>'
"""

import html
import re

import sympy
from sympy.printing.mathml import MathMLPresentationPrinter

from ..continuous.signal import signal_latex
from ..errors import InvalidArgument
from ..numeric.decimals import approximate, is_exact, nstr, upper_text

__all__ = [
    "SHOWN_DIGITS", "decimal", "exact_is_short", "html_escape", "latex_decimal", "latex_escape", "latex_of",
    "latex_residual", "latex_text_in_math", "markdown_escape", "math_element", "mathml_decimal", "mathml_of",
    "mathml_residual", "shift_expr",
]

# Significant digits of numbers shown in reports (JSON keeps dps digits).
SHOWN_DIGITS = 6
# Exact values longer than this (as text) are shown by their decimal value only.
_LONGEST_EXACT = 160
_MATHML_NS = "http://www.w3.org/1998/Math/MathML"


# ---------------------------------------------------------------- numbers --


def decimal(value, digits=SHOWN_DIGITS, up=False):
    """An mpf to ``digits`` digits; rounded up when ``up`` (for a bound, which must stay one)."""
    return upper_text(value, digits + 15, digits) if up else nstr(value, digits)


def _split_decimal(text):
    """(mantissa, exponent or None) of a decimal string such as ``-3.2e-5``."""
    if "e" not in text:
        return text, None
    mantissa, exponent = text.split("e")
    return mantissa, int(exponent)


def latex_decimal(value, digits=SHOWN_DIGITS, up=False):
    """An mpf as LaTeX, ``-3.2 \\times 10^{-5}`` rather than ``-3.2e-5``."""
    mantissa, exponent = _split_decimal(decimal(value, digits, up))
    if exponent is None:
        return mantissa
    if mantissa in ("1.0", "1"):
        return f"10^{{{exponent}}}"
    if mantissa in ("-1.0", "-1"):
        return f"-10^{{{exponent}}}"
    return f"{mantissa} \\times 10^{{{exponent}}}"


def mathml_decimal(value, digits=SHOWN_DIGITS, up=False):
    """An mpf as MathML content (no <math> wrapper)."""
    mantissa, exponent = _split_decimal(decimal(value, digits, up))
    sign = ""
    if mantissa.startswith("-"):
        sign, mantissa = "<mo>&#x2212;</mo>", mantissa[1:]
    if exponent is None:
        return f"<mrow>{sign}<mn>{mantissa}</mn></mrow>"
    power = f"<msup><mn>10</mn><mn>{exponent}</mn></msup>" if exponent >= 0 else (
        f"<msup><mn>10</mn><mrow><mo>&#x2212;</mo><mn>{-exponent}</mn></mrow></msup>"
    )
    if mantissa in ("1.0", "1"):
        return f"<mrow>{sign}{power}</mrow>"
    return f"<mrow>{sign}<mn>{mantissa}</mn><mo>&#xd7;</mo>{power}</mrow>"


def exact_is_short(value):
    """Whether an exact value is short enough to show as it is, beside its decimal value."""
    return len(str(value)) <= _LONGEST_EXACT


def _residual_in(value, dps, decimal_of, exact_of, approx, both):
    """A residual in one notation: its decimal, or the exact value with its decimal when that is short."""
    if not is_exact(value):
        return decimal_of(value)
    if value.is_Integer:
        return exact_of(value)
    shown = decimal_of(approximate(value, dps))
    return both(exact_of(value), shown) if exact_is_short(value) else approx(shown)


def latex_residual(value, dps):
    """A residual as LaTeX math: ``\\frac{1}{8} \\approx 0.125``, or its decimal value."""
    return _residual_in(
        value, dps, latex_decimal, lambda v: sympy.latex(v) if v.is_Integer else latex_of(v),
        lambda shown: f"\\approx {shown}", lambda exact, shown: f"{exact} \\approx {shown}",
    )


def mathml_residual(value, dps):
    """A residual as MathML content, as :func:`latex_residual` writes it."""
    return _residual_in(
        value, dps, mathml_decimal, mathml_of,
        lambda shown: f"<mrow><mo>&#x2248;</mo>{shown}</mrow>",
        lambda exact, shown: f"<mrow>{exact}<mo>&#x2248;</mo>{shown}</mrow>",
    )


# --------------------------------------------------------------- escaping --

_MARKDOWN_SPECIAL = set("\\`*_<>|$#")


def markdown_escape(text):
    """Plain text as Markdown text: every special character escaped."""
    escaped = "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in _CONTROL.sub("", text))
    return escaped.replace("](", "]\\(")


_LATEX_TEXT = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "_": r"\_",
    "%": r"\%", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}",
    ">": r"\textgreater{}", "|": r"\textbar{}",
}

# In math mode (for _repr_latex_, read by both LaTeX and MathJax), the
# characters \text{} would mangle are written as math symbols instead.
_LATEX_MATH = {
    "\\": r"\backslash ", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "_": r"\_", "%": r"\%",
    "~": r"\sim ", "^": r"\hat{}", "<": "<", ">": ">", "|": "|",
}


def latex_escape(text):
    """Plain text as LaTeX text: every special character escaped."""
    return "".join(_LATEX_TEXT.get(c, c) for c in _CONTROL.sub("", text))


def latex_text_in_math(text):
    """Plain text inside math mode: ``\\text{...}`` runs and escaped symbols."""
    parts, run = [], []
    for c in _CONTROL.sub("", text):
        if c in _LATEX_MATH:
            if run:
                parts.append("\\text{" + "".join(run) + "}")
                run = []
            parts.append(_LATEX_MATH[c])
        else:
            run.append(c)
    if run:
        parts.append("\\text{" + "".join(run) + "}")
    return "".join(parts)


# Control characters are not allowed in HTML or XML text (a claim read from JSON may hold any).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def html_escape(text):
    """Any value's text as HTML text or an attribute value (control characters become U+FFFD)."""
    return html.escape(_CONTROL.sub("\ufffd", str(text)), quote=True)


# --------------------------------------------------------- sympy printers --


class _MathMLPrinter(MathMLPresentationPrinter):
    """sympy's presentation MathML, with H(x) for Heaviside and Piecewise as a brace of cases."""

    def _element(self, tag, text=None):
        node = self.dom.createElement(tag)
        if text is not None:
            node.appendChild(self.dom.createTextNode(text))
        return node

    def _print_Heaviside(self, expr):
        # As the reports write it: H(x) for the paper's step (H(0) = 0), H_c(x) for H(0) = c.
        argument, value_at_0 = expr.args[0], (expr.args[1] if len(expr.args) > 1 else sympy.S.Half)
        row = self._element("mrow")
        if value_at_0 == 0:
            row.appendChild(self._element("mi", "H"))
        else:
            name = self._element("msub")
            name.appendChild(self._element("mi", "H"))
            name.appendChild(self._print(value_at_0))
            row.appendChild(name)
        row.appendChild(self._paren_comma_separated(argument))
        return row

    def _print_Piecewise(self, expr):
        row = self._element("mrow")
        row.appendChild(self._element("mo", "{"))
        table = self._element("mtable")
        table.setAttribute("columnalign", "left left")
        for value, condition in expr.args:
            line, first, second = self._element("mtr"), self._element("mtd"), self._element("mtd")
            first.appendChild(self._print(value))
            if condition is sympy.true:
                second.appendChild(self._element("mtext", "otherwise"))
            else:
                second.appendChild(self._element("mtext", "if\u00a0"))
                second.appendChild(self._print(condition))
            line.appendChild(first)
            line.appendChild(second)
            table.appendChild(line)
        row.appendChild(table)
        return row


def shift_expr(shift):
    """A verdict's shift as a sympy object to print: the number d, or the tuple (dx, dy) on a 2-D grid."""
    return sympy.Tuple(*shift) if isinstance(shift, tuple) else shift


def latex_of(expr):
    """An exact sympy expression as LaTeX (math mode content), Heaviside steps as the reports write them."""
    return signal_latex(expr)


# sympy writes some characters as entity references in text nodes (&#x2264;, &pi;).
_ENTITIES_ONLY = re.compile(r"(?:&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);)+")
_TAG = re.compile(r"[a-z][a-z0-9]*")


def _serialize(node, out):
    """Write a minidom node as escaped markup (sympy's own writer leaves text such as ``<`` unescaped)."""
    if node.nodeType == node.TEXT_NODE:
        data = node.data
        if _ENTITIES_ONLY.fullmatch(data):
            data = html.unescape(data)
        out.append(html.escape(_CONTROL.sub("\ufffd", data), quote=False))
        return
    if node.nodeType != node.ELEMENT_NODE:
        return
    tag = node.tagName
    if not _TAG.fullmatch(tag):  # pragma: no cover - sympy only makes MathML elements
        raise InvalidArgument(f"unexpected MathML element {tag!r} from sympy's printer")
    attributes = "".join(
        f' {html.escape(k)}="{html.escape(html.unescape(v) if _ENTITIES_ONLY.fullmatch(v) else v)}"'
        for k, v in sorted(node.attributes.items())
    )
    text = node.firstChild.data if tag == "mo" and len(node.childNodes) == 1 and node.firstChild.nodeType == \
        node.TEXT_NODE else None
    if text in _FENCES and not attributes:
        tall = node.parentNode is not None and node.parentNode.getElementsByTagName("mfrac")
        attributes = f' lspace="0em" rspace="0em" stretchy="{"true" if tall else "false"}"'
    if text == "-":
        out.append(f"<mo{attributes}>&#x2212;</mo>")
        return
    if tag == "mn" and len(node.childNodes) == 1 and node.firstChild.nodeType == node.TEXT_NODE \
            and node.firstChild.data.startswith("-"):
        out.append(f"<mo>&#x2212;</mo><mn{attributes}>{html.escape(node.firstChild.data[1:], quote=False)}</mn>")
        return
    out.append(f"<{tag}{attributes}>")
    for child in node.childNodes:
        _serialize(child, out)
    out.append(f"</{tag}>")


_FENCES = set("()[]{}")


def mathml_of(expr):
    """An exact sympy expression as MathML content (no <math> wrapper)."""
    out = []
    _serialize(_MathMLPrinter()._print(expr), out)
    return "".join(out)


def math_element(content, block=False):
    """MathML content in a ``<math>`` element, inline or (``block``) displayed."""
    display = ' display="block"' if block else ""
    return f'<math xmlns="{_MATHML_NS}"{display}>{content}</math>'
