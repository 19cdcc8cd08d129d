r"""Reports: the ordered derivation behind one claim of the paper.

A :class:`Derivation` collects the steps of an argument in order (prose,
display equations, verdicts, tables, figures and corrections of the paper)
and renders them as Markdown, LaTeX, a self-contained HTML page, or JSON.
Every rendering is deterministic: the same steps give byte-identical output.

>>> import sympy
>>> from symequiv.output.report import Derivation
>>> from symequiv.judge.verdict import Verdict
>>> d = Derivation("half_cell", "Half a cell", claim="D[H(x - dx/2)] = LinearShift(D[H], dx/2)")
>>> d = d.text("The step moves by $\\delta = dx/2$.")
>>> d = d.math(sympy.Eq(sympy.Symbol("y_2"), sympy.Rational(1, 2)), label="cell 2")
>>> d = d.verdict(Verdict("D S = S D on cell 2", True, "symbolic", [0], cells=(2,)), label="cell 2")
>>> print(d.to_markdown())
# Half a cell
<BLANKLINE>
**Claim.** D\[H(x - dx/2)\] = LinearShift(D\[H\], dx/2)
<BLANKLINE>
The step moves by $\delta = dx/2$.
<BLANKLINE>
*cell 2:*
<BLANKLINE>
$$
y_{2} = \frac{1}{2}
$$
<BLANKLINE>
## Verdict: cell 2 (main)
<BLANKLINE>
- **Claim:** D S = S D on cell 2
- **Verdict:** holds (proved)
...
## Summary
<BLANKLINE>
| \# | verdict | result | method |
|:---|:---|:---|:---|
| 1 | cell 2 (main) | holds (proved) | symbolic |
>>> d.summary()
[{'claim': 'D S = S D on cell 2', 'holds': True, 'method': 'symbolic'}]

Text
----
Every piece of prose (title, claim, paragraphs, captions, labels, table text
cells, corrections, verdict statements) is plain text with optional inline
math between dollar signs, ``$\delta = dx/2$``; write ``\$`` for a literal
dollar sign. Plain text is escaped in every format, and a space after an
abbreviation such as "eq." (or in "Figure 2") does not break a line. Inline
math is kept as LaTeX in Markdown and LaTeX. In HTML, one reader turns every
piece of math into presentation MathML, the LaTeX that sympy's printer writes
(display equations, table cells, verdict values: cases, matrices, integrals,
sums, fences, function names) and the LaTeX people write in prose alike; it
never evaluates anything, and what it does not know is shown as its source in
``<mtext>``. sympy objects are printed in the paper's notation: the step with
H(0) = 0 is H(x), and a symbol whose name is LaTeX (``Symbol("\\Delta x")``) is
typeset as that LaTeX.

Verdicts
--------
A verdict is rendered in every format from one description: its claim (or the
``statement`` given with it, typeset), what it found ("holds (proved)",
"fails (certified)", "numerically unequal (not certified)" for a black box far
above its tolerance, ...), the method, the precision ("exact" for a symbolic
proof: a proof has no precision), the shift, the cells, the bound or
certificate, a residual table and the notes.

Formats
-------
* Markdown: math as ``$...$`` and ``$$...$$``, figures as
  ``![caption](NAME.png)`` with the PNG (200 dpi) written beside the file.
* LaTeX: a complete ``article`` for pdflatex (T1 Latin Modern fonts, so the
  PDF has vector fonts only; amsmath, booktabs, graphicx, microtype);
  figures by ``\includegraphics{NAME.pdf}`` when a PDF is given (vector
  graphics), else the PNG. Tables and figures are not floats, so they stay
  where the derivation puts them; a table is shrunk only if wider than the
  text.
* HTML: one file that needs no network: math as presentation MathML (which
  Chromium renders natively), figures as inline SVG (when given) or a
  ``data:`` PNG, a small inline style and a Content-Security-Policy that
  forbids every fetch and script.
* JSON: sorted keys, every verdict as :meth:`~symequiv.judge.verdict.Verdict.to_dict`.
"""

import base64
import hashlib
import html
import json
import os
import re
import secrets
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping, Sequence

import mpmath
import sympy
from sympy.matrices import MatrixBase
from sympy.printing.latex import LatexPrinter

from ..errors import InvalidArgument, InvalidType, short_repr
from ..judge.mathtext import mathml_of
from ..judge.verdict import Verdict

__all__ = ["Derivation", "outcome_words"]

#: The formats :meth:`Derivation.write` knows; each is also its file's extension.
FORMATS = ("md", "tex", "html", "json")
#: Significant digits of mpmath numbers in tables (unless ``digits=`` says otherwise).
TABLE_DIGITS = 15
_NAME = re.compile(r"[A-Za-z0-9_-]+")
_MAX_NAME = 100
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PDF_SIGNATURE = b"%PDF-"
#: Rows of a verdict's residual table before the rest is summarized.
MAX_TABLE_ROWS = 24
# Exact values whose LaTeX is longer than this are shown by their decimal value
# in tables (the JSON report keeps them exactly).
_LONGEST_EXACT = 90
# A LaTeX table column of prose longer than this (in characters) wraps.
_LONGEST_UNWRAPPED_CELL = 24
# Significant digits of the numbers a verdict shows (JSON keeps them all).
_SHOWN_DIGITS = 6
_MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_JSON_FORMAT = "symequiv-derivation"
_JSON_VERSION = 1
_PROSE = {True: "holds (proved)", False: "fails (certified)", None: "undecided"}
_NUMERIC_PROSE = {"unequal": "numerically unequal (not certified)", "equal": "numerically equal (not proved)"}
_HOW = {
    "symbolic": "symbolic (exact sympy arithmetic)",
    "interval": "interval (ball arithmetic with rigorous radii)",
    "numeric": "numeric (high-precision evaluation, not a proof)",
}


# ------------------------------------------------------------- validation --


def _check_name(value, what):
    if not isinstance(value, str):
        raise InvalidType(f"Expected a str {what} but got {type(value).__name__}: {short_repr(value)}")
    if not _NAME.fullmatch(value) or len(value) > _MAX_NAME:
        raise InvalidArgument(
            f"Expected a {what} of 1 to {_MAX_NAME} letters, digits, '_' or '-' (it names files) "
            f"but got {what}={short_repr(value)}"
        )
    return value


def _check_text(value, what, *, optional=False, one_line=False):
    """A str of prose with balanced inline math, or None when ``optional``.

    ``one_line`` text (titles, labels, captions, table cells) has every run of
    whitespace, newlines included, made one space: it goes where a paragraph
    break cannot (a heading, a tabular cell).
    """
    if value is None and optional:
        return None
    if not isinstance(value, str):
        expected = "a str or None" if optional else "a str"
        raise InvalidType(f"Expected {what} to be {expected} but got {type(value).__name__}: {short_repr(value)}")
    if not value.strip():
        raise InvalidArgument(f"Expected a non-empty {what} but got {what}={short_repr(value)}")
    for paragraph in _paragraphs(value):
        _segments(paragraph, what)
    return " ".join(value.split()) if one_line else value


def _paragraphs(text):
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text.strip()) if p.strip()]


def _segments(text, what="text"):
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


def _check_expression(expr, what):
    if isinstance(expr, bool) or expr is None:
        raise InvalidType(f"Expected a sympy object for {what} but got {short_repr(expr)}")
    if isinstance(expr, int):
        return sympy.Integer(expr)
    if isinstance(expr, MatrixBase):
        return sympy.ImmutableMatrix(expr)
    if isinstance(expr, sympy.Basic):
        return expr
    hint = "; strings are not parsed: build the sympy object (sympy.Eq(lhs, rhs), ...)" if isinstance(expr, str) else ""
    raise InvalidType(
        f"Expected a sympy object (Expr, Eq, Piecewise, Matrix, ...) for {what} but got "
        f"{type(expr).__name__}: {short_repr(expr)}{hint}"
    )


def _check_verdict(value, what, *, optional=False):
    if value is None and optional:
        return None
    if not isinstance(value, Verdict):
        expected = "a symequiv Verdict or None" if optional else "a symequiv Verdict"
        raise InvalidType(f"Expected {what} to be {expected} but got {type(value).__name__}: {short_repr(value)}")
    return value


class _Vector(tuple):
    """A table cell that holds a sequence of numbers, shown as ``[a, b, ...]``."""


def _check_number(value, where):
    """An int, a sympy object (not a matrix) or an mpmath number, as stored in a table."""
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidType(
            f"Expected an int, sympy object or mpmath number for {where} but got the "
            f"{type(value).__name__} {short_repr(value)}; use an exact sympy number or an mpmath.mpf"
        )
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, (mpmath.mpf, mpmath.mpc, sympy.Basic)):
        return value
    raise InvalidType(
        f"Expected an int, sympy object or mpmath number for {where} but got {type(value).__name__}: {short_repr(value)}"
    )


def _check_cell(value, where):
    """A table cell: str (prose), int, a sympy object, an mpmath number, or a sequence of numbers."""
    if isinstance(value, str):
        return _check_text(value, where, one_line=True) if value.strip() else ""
    if isinstance(value, (list, tuple)) or (isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray))):
        return _Vector(_check_number(v, f"{where}[{i}]") for i, v in enumerate(value))
    if isinstance(value, bool):
        raise InvalidType(f"Expected a table cell but got the bool {where}={short_repr(value)}; write it as a str")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, (mpmath.mpf, mpmath.mpc)):
        return value
    if isinstance(value, float):
        raise InvalidType(
            f"Expected a str, int, sympy object or mpmath number for {where} but got the float {short_repr(value)}; "
            "use an exact sympy number, an mpmath.mpf, or a str"
        )
    if isinstance(value, (sympy.Basic, MatrixBase)):
        return _check_expression(value, where)
    raise InvalidType(
        f"Expected a str, int, sympy object, mpmath number or a sequence of numbers for {where} but got "
        f"{type(value).__name__}: {short_repr(value)}"
    )


def _check_pdf(pdf):
    if not isinstance(pdf, (bytes, bytearray)):
        raise InvalidType(f"Expected the PDF image as bytes or None for pdf but got {type(pdf).__name__}: {short_repr(pdf)}")
    pdf = bytes(pdf)
    if not pdf.startswith(_PDF_SIGNATURE):
        raise InvalidArgument(f"Expected PDF data (starting with %PDF-) for pdf but got {short_repr(pdf[:16])}")
    return pdf


def _check_png(png):
    if not isinstance(png, (bytes, bytearray)):
        raise InvalidType(f"Expected the PNG image as bytes for png but got {type(png).__name__}: {short_repr(png)}")
    png = bytes(png)
    if not png.startswith(_PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise InvalidArgument(f"Expected PNG data (signature and IHDR chunk) for png but got {short_repr(png[:16])}")
    return png


# What inline SVG may not contain: it runs inside the report page.
_SVG_FORBIDDEN_TEXT = re.compile(r"<\s*script|javascript\s*:|<!ENTITY|@import|expression\s*\(", re.IGNORECASE)
# Static SVG elements (what plotting libraries write). An allowlist, because an
# HTML tag such as <img> or <p> inside inline SVG makes the browser leave SVG.
_SVG_ELEMENTS = {
    "svg", "g", "defs", "style", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "text", "tspan", "textpath", "use", "image", "symbol", "marker", "clippath", "mask", "pattern",
    "lineargradient", "radialgradient", "stop", "filter", "feblend", "fecolormatrix", "fecomponenttransfer",
    "fecomposite", "feconvolvematrix", "fediffuselighting", "fedisplacementmap", "fedistantlight", "feflood",
    "fefunca", "fefuncb", "fefuncg", "fefuncr", "fegaussianblur", "femerge", "femergenode", "femorphology",
    "feoffset", "fepointlight", "fespecularlighting", "fespotlight", "fetile", "feturbulence",
}
_SVG_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE[^>\[]*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
_SVG_METADATA = re.compile(
    r"<(?:\w+:)?metadata\b[^>]*/>|<((?:\w+:)?metadata)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE
)
_URL_FUNCTION = re.compile(r"url\(\s*(['\"]?)\s*([^)'\"]*)", re.IGNORECASE)
_ANY_URL = re.compile(r"https?://[^\s\"'<>)]*|//[A-Za-z0-9.-]+\.[A-Za-z]", re.IGNORECASE)
_NAMESPACE_DECLARATION = re.compile(
    r"""\sxmlns(?::xlink)?\s*=\s*(["'])(?:%s|%s)\1""" % (re.escape(_SVG_NS), re.escape(_XLINK_NS))
)


def _local(name):
    return name.rsplit("}", 1)[-1].lower()


def _svg_for_html(svg):
    """The SVG as static markup to inline in HTML, or InvalidArgument saying what is unsafe.

    The XML prolog, comments and ``<metadata>`` (which holds URLs) are removed;
    what remains must be one ``<svg>`` element made of static SVG elements (no
    scripts, animations or HTML), with no event handlers and no references
    outside the image itself.
    """
    if not isinstance(svg, (bytes, bytearray)):
        raise InvalidType(f"Expected the SVG image as bytes or None for svg but got {type(svg).__name__}")
    try:
        text = bytes(svg).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidArgument("Expected UTF-8 encoded SVG for svg") from None
    if _SVG_FORBIDDEN_TEXT.search(text) or re.search(r"<!DOCTYPE[^>]*\[", text, re.IGNORECASE):
        raise InvalidArgument("svg contains a script, an entity declaration or an import; the inline SVG must be static")
    text = _SVG_METADATA.sub("", _SVG_PROLOG.sub("", text)).strip()
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise InvalidArgument(f"svg is not well-formed XML ({exc})") from None
    if root.tag != f"{{{_SVG_NS}}}svg":
        raise InvalidArgument(f"Expected an <svg> root element in the SVG namespace but got {root.tag!r}")
    for element in root.iter():
        name = _local(element.tag)
        if name not in _SVG_ELEMENTS or not element.tag.startswith(f"{{{_SVG_NS}}}"):
            raise InvalidArgument(
                f"svg contains a <{name}> element, which is not a static SVG element; the inline SVG must be static"
            )
        for attribute, value in element.attrib.items():
            attribute = _local(attribute)
            if attribute.startswith("on"):
                raise InvalidArgument(f"svg has an event handler attribute {attribute!r}; the inline SVG must be static")
            if attribute == "href" and not (value.startswith("#") or re.match(r"data:image/(png|jpeg);", value)):
                raise InvalidArgument(f"svg refers outside itself (href={short_repr(value)}); embed the data instead")
        for value in list(element.attrib.values()) + [element.text or ""]:
            for _, target in _URL_FUNCTION.findall(value):
                if not target.strip().startswith("#"):
                    raise InvalidArgument(f"svg refers outside itself (url({short_repr(target)})); embed the data instead")
    outside = _ANY_URL.search(_NAMESPACE_DECLARATION.sub("", text))
    if outside:
        raise InvalidArgument(f"svg contains the address {short_repr(outside.group())}; the HTML report needs no network")
    return text


# ------------------------------------------------------------------ steps --


class Step:
    """One step of a :class:`Derivation`: its ``kind`` and its fields as attributes.

    The kinds and their fields: ``"text"`` (text), ``"math"`` (expr, label),
    ``"verdict"`` (verdict, label, statement), ``"table"`` (header, rows,
    caption, digits), ``"figure"`` (name, png, svg, pdf, caption) and
    ``"correction"`` (paper, corrected, check, check_statement). Steps are
    read-only.

    >>> from symequiv.output.report import Derivation
    >>> step = Derivation("n", "T").text("Hello.").steps[0]
    >>> step.kind, step.text
    ('text', 'Hello.')
    >>> step
    Step('text', text='Hello.')
    """

    __slots__ = ("_kind", "_fields")

    def __init__(self, kind, **fields):
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_fields", dict(fields))

    @property
    def kind(self):
        """``"text"``, ``"math"``, ``"verdict"``, ``"table"``, ``"figure"`` or ``"correction"``."""
        return self._kind

    @property
    def fields(self):
        """The step's fields as a new dict."""
        return dict(self._fields)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(f"a {self._kind!r} step has no field {name!r}") from None

    def __setattr__(self, name, value):
        raise AttributeError("Step is read-only")

    def __reduce__(self):
        return _step, (self._kind, self._fields)

    def __repr__(self):
        fields = ", ".join(f"{k}={'<%d bytes>' % len(v) if isinstance(v, bytes) else repr(v)}"
                           for k, v in self._fields.items())
        return f"Step({self._kind!r}, {fields})"


def _step(kind, fields):
    return Step(kind, **fields)


# --------------------------------------------------------------- the report --


class Derivation:
    r"""An ordered report of one claim of the paper.

    Explanation
    ===========

    Steps are added in the order a reader should see them; each adding method
    validates its arguments and returns the derivation, so calls chain.
    Nothing is rendered until :meth:`to_markdown`, :meth:`to_latex`,
    :meth:`to_html`, :meth:`to_json` or :meth:`write` is called.

    Parameters
    ==========

    name : str
        Names the files :meth:`write` creates: letters, digits, ``_`` and ``-``.
    title : str
        The report's heading (prose; inline ``$...$`` math allowed).
    claim : str or None
        The paper's claim in words.

    Titles, claims, labels, captions and table cells are single lines (runs
    of whitespace become one space); :meth:`text` and corrections keep their
    paragraphs.

    Examples
    ========

    >>> import sympy
    >>> from symequiv.output.report import Derivation
    >>> d = Derivation("eq5", "Inequality (5)", claim="D[f(x - delta)] != g D[f]")
    >>> d.text("Cell averages of the step $H$.").table(["cell", "value"], [[0, 0], [1, sympy.Rational(1, 2)]])
    Derivation('eq5', 'Inequality (5)', claim='D[f(x - delta)] != g D[f]')
    >>> [step.kind for step in d.steps]
    ['text', 'table']
    >>> d.to_json() == d.to_json()
    True
    >>> Derivation("../etc", "T")
    Traceback (most recent call last):
        ...
    symequiv.errors.InvalidArgument: Expected a name of 1 to 100 letters, digits, '_' or '-' (it names files) but got name='../etc'
    """

    def __init__(self, name, title, *, claim=None):
        self._name = _check_name(name, "name")
        self._title = _check_text(title, "title", one_line=True)
        self._claim = _check_text(claim, "claim", optional=True, one_line=True)
        self._steps = []
        self._main = None  # index into _steps of the main verdict
        self._main_explicit = False

    def __repr__(self):
        claim = "" if self._claim is None else f", claim={self._claim!r}"
        return f"Derivation({self._name!r}, {self._title!r}{claim})"

    # ---------------------------------------------------------- properties --

    @property
    def name(self):
        """The name the written files carry."""
        return self._name

    @property
    def title(self):
        """The report's title."""
        return self._title

    @property
    def claim(self):
        """The paper's claim in words, or None."""
        return self._claim

    @property
    def steps(self):
        """The steps in order, as a tuple of :class:`Step`."""
        return tuple(self._steps)

    @property
    def main_verdict(self):
        """The report's main verdict: the first one added, or the one added with ``main=True``; or None."""
        return None if self._main is None else self._steps[self._main].verdict

    # -------------------------------------------------------------- adding --

    def text(self, text):
        r"""Add a paragraph of prose (blank lines separate paragraphs; ``$...$`` is inline math).

        >>> from symequiv.output.report import Derivation
        >>> Derivation("n", "T").text("costs $5")
        Traceback (most recent call last):
            ...
        symequiv.errors.InvalidArgument: Unbalanced '$' in text='costs $5': close the inline math, or write \$ for a literal dollar sign
        """
        self._steps.append(Step("text", text=_check_text(text, "text")))
        return self

    def math(self, expr, label=None):
        """Add a display equation: a sympy object (Expr, Eq, Piecewise, Matrix, ...).

        >>> import sympy
        >>> from symequiv.output.report import Derivation
        >>> d = Derivation("n", "T").math(sympy.Eq(sympy.Symbol("a"), 2), label="eq. 1")
        >>> d.steps[0]
        Step('math', expr=Eq(a, 2), label='eq. 1')
        >>> Derivation("n", "T").math("a = 2")
        Traceback (most recent call last):
            ...
        symequiv.errors.InvalidType: Expected a sympy object (Expr, Eq, Piecewise, Matrix, ...) for expr but got str: 'a = 2'; strings are not parsed: build the sympy object (sympy.Eq(lhs, rhs), ...)
        """
        expr = _check_expression(expr, "expr")
        self._steps.append(Step("math", expr=expr, label=_check_text(label, "label", optional=True, one_line=True)))
        return self

    def verdict(self, verdict, label=None, *, main=False, statement=None):
        r"""Add a :class:`~symequiv.judge.verdict.Verdict`.

        The first verdict added is the report's main verdict, unless another
        is added with ``main=True`` (only one may be).

        ``statement`` is the verdict's claim as the report should typeset it
        (one line of prose with inline ``$...$`` math); the reports show it
        in place of the verdict's own plain-text claim, which the JSON report
        keeps.

        >>> from symequiv.output.report import Derivation
        >>> from symequiv.judge.verdict import Verdict
        >>> v = Verdict("S_1 D[f] = D[f(x - dx)]", True, "symbolic", [0], cells=(0,))
        >>> d = Derivation("n", "T").verdict(v, statement="$S_1 D[f] = D[f(x - \\Delta x)]$")
        >>> print(d.to_markdown().splitlines()[4])
        - **Claim:** $S_1 D[f] = D[f(x - \Delta x)]$
        """
        verdict = _check_verdict(verdict, "verdict")
        label = _check_text(label, "label", optional=True, one_line=True)
        statement = _check_text(statement, "statement", optional=True, one_line=True)
        if not isinstance(main, bool):
            raise InvalidType(f"Expected main=True or False but got main={short_repr(main)}")
        if main and self._main_explicit:
            raise InvalidArgument(
                f"A main verdict was already given (step {self._main}); only one verdict can have main=True"
            )
        self._steps.append(Step("verdict", verdict=verdict, label=label, statement=statement))
        if main or self._main is None:
            self._main = len(self._steps) - 1
            self._main_explicit = main
        return self

    def table(self, header, rows, *, caption=None, digits=TABLE_DIGITS):
        """Add a table: a header of str and rows of cells.

        A cell is a str (prose), an int, a sympy object or an mpmath number
        (shown as math; mpmath numbers to ``digits`` significant digits), or a
        list, tuple or :class:`~symequiv.discrete.values.Values` of such numbers (shown
        as ``[a, b, ...]``).

        >>> from symequiv.output.report import Derivation
        >>> Derivation("n", "T").table(["a", "b"], [[1, 2, 3]])
        Traceback (most recent call last):
            ...
        symequiv.errors.InvalidArgument: Expected 2 cells per row (one per header entry) but rows[0] has 3
        """
        if isinstance(header, (str, bytes, Mapping)) or not isinstance(header, Sequence):
            raise InvalidType(f"Expected a sequence of str for header but got {short_repr(header)}")
        if not header:
            raise InvalidArgument("Expected at least one column in header but got an empty header")
        header = tuple(
            _check_text(h, f"header[{i}]", one_line=True) if h != "" else h for i, h in enumerate(header)
        )
        if isinstance(rows, (str, bytes, Mapping)) or not hasattr(rows, "__iter__"):
            raise InvalidType(f"Expected a sequence of rows but got rows={short_repr(rows)}")
        checked = []
        for r, row in enumerate(rows):
            if isinstance(row, (str, bytes, Mapping)) or not hasattr(row, "__iter__"):
                raise InvalidType(f"Expected each row to be a sequence of cells but got rows[{r}]={short_repr(row)}")
            row = tuple(row)
            if len(row) != len(header):
                raise InvalidArgument(
                    f"Expected {len(header)} cells per row (one per header entry) but rows[{r}] has {len(row)}"
                )
            checked.append(tuple(_check_cell(cell, f"rows[{r}][{c}]") for c, cell in enumerate(row)))
        if not checked:
            raise InvalidArgument("Expected at least one row in rows but got none")
        if isinstance(digits, bool) or not isinstance(digits, int):
            raise InvalidType(f"Expected an int number of digits but got digits={short_repr(digits)}")
        if not 1 <= digits <= 1000:
            raise InvalidArgument(f"Expected 1 <= digits <= 1000 but got digits={digits}")
        caption = _check_text(caption, "caption", optional=True, one_line=True)
        self._steps.append(Step("table", header=header, rows=tuple(checked), caption=caption, digits=digits))
        return self

    def figure(self, name, *, png, svg=None, pdf=None, caption=None):
        """Add a figure: PNG bytes (and optionally SVG and PDF bytes) made elsewhere, e.g. by matplotlib.

        ``name`` names the files ``NAME.png`` (and ``NAME.svg``, ``NAME.pdf``)
        that :meth:`write` puts beside the Markdown and LaTeX reports. The
        HTML report inlines the SVG when given (it must be static: no
        scripts, event handlers or outside references; its ``<metadata>`` is
        dropped), else the PNG as a ``data:`` URI. The LaTeX report includes
        the PDF when given (vector graphics, its fonts embedded), else the
        PNG. The caption is prose: the reports number the figure themselves
        ("Figure 1."), so it should not start with its own number.
        """
        name = _check_name(name, "figure name")
        if name == self._name:
            raise InvalidArgument(
                f"A figure cannot be named like its report ({short_repr(name)}): compiling {name}.tex writes "
                f"{name}.pdf, which would overwrite the figure's PDF; name the figure differently"
            )
        if any(s.kind == "figure" and s.name == name for s in self._steps):
            raise InvalidArgument(f"A figure named {short_repr(name)} was already added; figure names name files, so they must differ")
        png = _check_png(png)
        if svg is not None:
            _svg_for_html(svg)  # refuse now what the HTML report could not inline
            svg = bytes(svg)
        if pdf is not None:
            pdf = _check_pdf(pdf)
        caption = _check_text(caption, "caption", optional=True, one_line=True)
        self._steps.append(Step("figure", name=name, png=png, svg=svg, pdf=pdf, caption=caption))
        return self

    def correction(self, *, paper, corrected, check=None, check_statement=None):
        """Add a correction: what the paper says, the corrected statement, and optionally the verdict that checks it.

        ``check_statement`` typesets the check's claim, as ``statement`` does for :meth:`verdict`.
        """
        paper = _check_text(paper, "paper")
        corrected = _check_text(corrected, "corrected")
        check = _check_verdict(check, "check", optional=True)
        check_statement = _check_text(check_statement, "check_statement", optional=True, one_line=True)
        if check_statement is not None and check is None:
            raise InvalidArgument("check_statement typesets the check's claim: pass check= too")
        self._steps.append(Step("correction", paper=paper, corrected=corrected, check=check,
                                check_statement=check_statement))
        return self

    # ------------------------------------------------------------- summary --

    def _verdicts(self):
        """(step index, label, verdict, is main, statement) of every verdict, main first, then in step order."""
        found = []
        for i, step in enumerate(self._steps):
            if step.kind == "verdict":
                found.append((i, step.label, step.verdict, i == self._main, step.statement))
            elif step.kind == "correction" and step.check is not None:
                found.append((i, "correction", step.check, False, step.check_statement))
        found.sort(key=lambda item: not item[3])  # stable: main first, the rest in order
        return found

    def summary(self):
        """One dict per verdict (those of :meth:`verdict` and of corrections), the main verdict first.

        >>> from symequiv.output.report import Derivation
        >>> from symequiv.judge.verdict import Verdict
        >>> d = Derivation("n", "T").verdict(Verdict("A = A", True, "symbolic", [0], cells=(0,)))
        >>> d.summary()
        [{'claim': 'A = A', 'holds': True, 'method': 'symbolic'}]
        """
        return [{"claim": v.claim, "holds": v.holds, "method": v.method} for _, _, v, _, _ in self._verdicts()]

    def _summary_step(self):
        """The summary as a table step (label, or statement, or claim as text), or None without verdicts."""
        rows = []
        for number, (_, label, verdict, main, statement) in enumerate(self._verdicts(), 1):
            shown = label if label is not None else statement if statement is not None else _literal(verdict.claim)
            rows.append((str(number), shown + (" (main)" if main else ""), outcome_words(verdict),
                         verdict.method))
        if not rows:
            return None
        return Step("table", header=("#", "verdict", "result", "method"), rows=tuple(rows), caption=None,
                    digits=TABLE_DIGITS)

    def _verdict_heading(self, index, step):
        label = f": {step.label}" if step.label is not None else ""
        return f"Verdict{label}{' (main)' if index == self._main else ''}"

    # ------------------------------------------------------------ Markdown --

    def to_markdown(self):
        """The report as Markdown (figures as ``![caption](NAME.png)``)."""
        blocks = [f"# {_md_inline(self._title, line_start=False)}"]
        if self._claim is not None:
            blocks.append(f"**Claim.** {_md_inline(self._claim, line_start=False)}")
        tables = figures = 0
        for index, step in enumerate(self._steps):
            kind = step.kind
            if kind == "text":
                blocks.extend(_md_inline(p) for p in _paragraphs(step.text))
            elif kind == "math":
                if step.label is not None:
                    blocks.append(f"*{_md_inline(step.label)}:*")
                blocks.append(f"$$\n{_latex(step.expr)}\n$$")
            elif kind == "verdict":
                blocks.append(f"## {_md_inline(self._verdict_heading(index, step), line_start=False)}")
                blocks.append(_md_verdict(step.verdict, step.statement))
            elif kind == "table":
                tables += 1
                caption = f" {_md_inline(step.caption, line_start=False)}" if step.caption is not None else ""
                blocks.append(f"**Table{_NBSP}{tables}.**{caption}")
                blocks.append(_md_table(step))
            elif kind == "figure":
                figures += 1
                alt = _md_alt(step.caption if step.caption is not None else step.name)
                blocks.append(f"![{alt}]({step.name}.png)")
                caption = f" {_md_inline(step.caption, line_start=False)}" if step.caption is not None else ""
                blocks.append(f"**Figure{_NBSP}{figures}.**{caption}")
            elif kind == "correction":
                blocks.append(_md_correction(step))
        summary = self._summary_step()
        if summary is not None:
            blocks += ["## Summary", _md_table(summary)]
        return "\n\n".join(blocks) + "\n"

    # --------------------------------------------------------------- LaTeX --

    def to_latex(self):
        r"""The report as a complete LaTeX document for pdflatex (vector fonts; figures as PDF where given)."""
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
            f"\\begin{{center}}\\LARGE\\bfseries {_tex_inline(self._title)}\\end{{center}}",
            r"\bigskip",
            "",
        ]
        if self._claim is not None:
            lines += [f"\\textbf{{Claim.}} {_tex_inline(self._claim)}", ""]
        tables = figures = 0
        for index, step in enumerate(self._steps):
            kind = step.kind
            if kind == "text":
                for paragraph in _paragraphs(step.text):
                    lines += [_tex_inline(paragraph), ""]
            elif kind == "math":
                if step.label is not None:
                    lines += [f"\\textit{{{_tex_inline(step.label)}:}}", ""]
                lines += _tex_display(step.expr)
            elif kind == "verdict":
                lines += [f"\\subsection*{{{_tex_inline(self._verdict_heading(index, step))}}}", ""]
                lines += _tex_verdict(step.verdict, step.statement)
            elif kind == "table":
                tables += 1
                lines += _tex_table(step, f"Table~{tables}.")
            elif kind == "figure":
                figures += 1
                caption = f" {_tex_inline(step.caption)}" if step.caption is not None else ""
                image = f"{step.name}.pdf" if step.pdf is not None else f"{step.name}.png"
                lines += [
                    r"\begin{center}",
                    f"\\includegraphics[width=\\linewidth,height=0.6\\textheight,keepaspectratio]{{{image}}}\\par",
                    r"\smallskip",
                    f"\\parbox{{\\linewidth}}{{\\small\\textbf{{Figure~{figures}.}}{caption}}}",
                    r"\end{center}",
                    "",
                ]
            elif kind == "correction":
                lines += _tex_correction(step)
        summary = self._summary_step()
        if summary is not None:
            lines += [r"\subsection*{Summary}", ""] + _tex_table(summary, None)
        lines.append(r"\end{document}")
        return "\n".join(lines) + "\n"

    # ---------------------------------------------------------------- HTML --

    def to_html(self):
        """The report as one self-contained HTML5 page: MathML, inline figures, no network."""
        body = [f"<h1>{_html_inline(self._title)}</h1>"]
        if self._claim is not None:
            body.append(f'<p class="claim"><strong>Claim.</strong> {_html_inline(self._claim)}</p>')
        tables = figures = 0
        for index, step in enumerate(self._steps):
            kind = step.kind
            if kind == "text":
                body.extend(f"<p>{_html_inline(p)}</p>" for p in _paragraphs(step.text))
            elif kind == "math":
                if step.label is not None:
                    body.append(f'<p class="label"><em>{_html_inline(step.label)}:</em></p>')
                body.append(f'<div class="equation">{_mathml_block(step.expr)}</div>')
            elif kind == "verdict":
                heading = _html_inline(self._verdict_heading(index, step))
                body.append(_html_verdict(step.verdict, heading, f"step-{index + 1}", statement=step.statement))
            elif kind == "table":
                tables += 1
                body.append(_html_table(step, f'<span class="nb">Table {tables}.</span>'))
            elif kind == "figure":
                figures += 1
                body.append(_html_figure(step, figures))
            elif kind == "correction":
                body.append(_html_correction(step, f"step-{index + 1}"))
        summary = self._summary_step()
        if summary is not None:
            body += ['<section class="summary">', "<h2>Summary</h2>", _html_table(summary, None), "</section>"]
        title = html.escape(_plain(self._title))
        return "\n".join([
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "img-src data:; style-src 'unsafe-inline'\">",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="symequiv">',
            f"<title>{title}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            "</main>",
            "</body>",
            "</html>",
        ]) + "\n"

    # ---------------------------------------------------------------- JSON --

    def _data(self):
        steps = []
        for index, step in enumerate(self._steps):
            kind = step.kind
            if kind == "text":
                entry = {"text": step.text}
            elif kind == "math":
                entry = {"latex": _latex(step.expr), "sympy": str(step.expr), "label": step.label}
            elif kind == "verdict":
                entry = {"label": step.label, "main": index == self._main, "verdict": step.verdict.to_dict()}
                if step.statement is not None:
                    entry["statement"] = step.statement
            elif kind == "table":
                entry = {
                    "header": list(step.header),
                    "rows": [[_cell_string(cell, step.digits) for cell in row] for row in step.rows],
                    "caption": step.caption,
                }
            elif kind == "figure":
                entry = {
                    "name": step.name,
                    "png": f"{step.name}.png",
                    "png_sha256": hashlib.sha256(step.png).hexdigest(),
                    "svg": None if step.svg is None else f"{step.name}.svg",
                    "caption": step.caption,
                }
                if step.pdf is not None:
                    entry["pdf"] = f"{step.name}.pdf"
            else:
                entry = {
                    "paper": step.paper,
                    "corrected": step.corrected,
                    "check": None if step.check is None else step.check.to_dict(),
                }
                if step.check_statement is not None:
                    entry["check_statement"] = step.check_statement
            entry["kind"] = kind
            steps.append(entry)
        return {
            "format": _JSON_FORMAT,
            "version": _JSON_VERSION,
            "name": self._name,
            "title": self._title,
            "claim": self._claim,
            "steps": steps,
            "summary": self.summary(),
        }

    def to_json(self):
        """The report as JSON text: sorted keys, verdicts as ``Verdict.to_dict()``, table cells as str.

        >>> import json
        >>> from symequiv.output.report import Derivation
        >>> data = json.loads(Derivation("n", "T", claim="C").text("Hi.").to_json())
        >>> data["steps"], data["summary"]
        ([{'kind': 'text', 'text': 'Hi.'}], [])
        """
        return json.dumps(self._data(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    # --------------------------------------------------------------- files --

    def write(self, out_dir, formats=FORMATS):
        """Write ``NAME.md``, ``NAME.tex``, ``NAME.html``, ``NAME.json`` (as asked) into ``out_dir``.

        Figures are written beside the Markdown and LaTeX reports as
        ``FIGURE.png`` (and ``FIGURE.svg`` when given); the HTML report embeds
        them and the JSON report names them. ``out_dir`` is created if missing.

        Everything is rendered before anything is written, and every file goes
        to a temporary file in ``out_dir`` that is then renamed over its name
        (``os.replace``): when rendering or writing fails, no file is created,
        and other files in ``out_dir`` are never touched. Returns the paths
        written, as str.

        >>> import os, tempfile
        >>> from symequiv.output.report import Derivation
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     paths = Derivation("n", "T").text("Hi.").write(folder, formats=("md", "json"))
        ...     [os.path.basename(p) for p in paths], sorted(os.listdir(folder))
        (['n.md', 'n.json'], ['n.json', 'n.md'])
        >>> Derivation("n", "T").write(".", formats=("pdf",))
        Traceback (most recent call last):
            ...
        symequiv.errors.InvalidArgument: Expected formats among 'md', 'tex', 'html', 'json' but got 'pdf'
        """
        if not isinstance(out_dir, (str, os.PathLike)):
            raise InvalidType(f"Expected a folder path (str or os.PathLike) for out_dir but got {short_repr(out_dir)}")
        formats = _check_formats(formats)
        renderers = {"md": self.to_markdown, "tex": self.to_latex, "html": self.to_html, "json": self.to_json}
        files = [(f"{self._name}.{fmt}", renderers[fmt]().encode("utf-8")) for fmt in formats]
        if "md" in formats or "tex" in formats:
            for step in self._steps:
                if step.kind == "figure":
                    files.append((f"{step.name}.png", step.png))
                    if step.svg is not None:
                        files.append((f"{step.name}.svg", step.svg))
                    if step.pdf is not None and "tex" in formats:
                        files.append((f"{step.name}.pdf", step.pdf))
        return _write_all(os.fspath(out_dir), files)


def _check_formats(formats):
    if isinstance(formats, str):
        raise InvalidType(f"Expected a sequence of format names such as ('md', 'html') but got the str {short_repr(formats)}; "
                          f"write formats=({short_repr(formats)},)")
    if not hasattr(formats, "__iter__"):
        raise InvalidType(f"Expected a sequence of format names but got formats={short_repr(formats)}")
    checked = []
    for fmt in formats:
        if fmt not in FORMATS or not isinstance(fmt, str):
            allowed = ", ".join(map(repr, FORMATS))
            raise InvalidArgument(f"Expected formats among {allowed} but got {short_repr(fmt)}")
        if fmt not in checked:
            checked.append(fmt)
    if not checked:
        raise InvalidArgument("Expected at least one format in formats but got none")
    return checked


def _write_all(folder, files):
    """Stage every file as a temporary file in ``folder``, then rename each over its name."""
    made = not os.path.isdir(folder)
    os.makedirs(folder, exist_ok=True)
    staged, created, written = [], [], []
    try:
        for name, data in files:
            temporary = os.path.join(folder, f".{name}.{secrets.token_hex(8)}.tmp")
            # O_EXCL: never reuse a file that exists; mode 0o666 lets the umask decide.
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            staged.append((temporary, os.path.join(folder, name)))
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        for temporary, final in staged:
            existed = os.path.lexists(final)
            os.replace(temporary, final)
            written.append(final)
            if not existed:
                created.append(final)
    except BaseException:
        # Leave nothing of this call behind: its temporary files, the files it
        # created (a rename failing after others succeeded is rare), its folder.
        for path in [t for t, _ in staged] + created:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
        if made:
            try:
                os.rmdir(folder)
            except OSError:
                pass
        raise
    return written


# ------------------------------------------------------------ text helpers --

_NBSP = "\u00a0"
# A space after an abbreviation or before a number that must not break a line: "eq. 4", "Figure 2".
_UNBREAKABLE = re.compile(
    r"\b((?:eqs?|ineqs?|Eqs?|Ineqs?|figs?|Figs?|secs?|Secs?|[Nn]o|cf|vs)\.) (?=[\w(\[])"
    r"|\b(Figures?|Tables?|Sections?|Equations?) (?=\d)"
)


def _unbreakable(text):
    """Prose with non-breaking spaces where a line break would separate "eq." from "4"."""
    return _UNBREAKABLE.sub(lambda m: (m.group(1) or m.group(2)) + _NBSP, text)


def _plain(text):
    """Prose as plain text (a page's <title>, an image's alt text): inline math as the characters it shows."""
    return "".join(piece if kind == "text" else _math_text(piece) for kind, piece in _segments(text))


def _math_text(latex):
    """What inline LaTeX shows, as plain characters (``H(x−Δx/2)``); its source when it cannot be read."""
    try:
        markup = _latex_mathml(latex)
    except _Unreadable:
        return latex
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _literal(text):
    """Plain text (a verdict's claim, a note) as prose: its dollar signs are literal."""
    return text.replace("$", "\\$")


# ------------------------------------------------------------------ LaTeX --


class _LatexPrinter(LatexPrinter):
    """sympy's LaTeX printer with the paper's notation: H(x) for the step with H(0) = 0."""

    def _print_Heaviside(self, expr, exp=None):
        argument = self._print(expr.args[0])
        value = expr.args[1] if len(expr.args) > 1 else sympy.Rational(1, 2)
        name = "H" if value == 0 else f"H_{{{self._print(value)}}}"
        tex = f"{name}\\left({argument}\\right)"
        return f"\\left({tex}\\right)^{{{exp}}}" if exp else tex


def _latex(expr):
    """A sympy object as LaTeX math, in the reports' notation."""
    return _LatexPrinter().doprint(expr)


def _md_math(latex, table=False):
    if table:
        # A '|' ends a pipe-table cell, even inside math.
        latex = latex.replace("\\|", "\\Vert ").replace("|", "\\vert ").replace("\n", " ")
    return f"${latex}$"


_MD_SPECIAL = set("\\`*_[]<>|$#~&")


def _md_escape(text, table=False, line_start=True):
    """Plain text as Markdown; ``line_start`` when the text begins a line (a piece after math does not)."""
    escaped = "".join("\\" + c if c in _MD_SPECIAL else c for c in _unbreakable(text))
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
        for index, (kind, piece) in enumerate(_segments(text))
    )


def _md_alt(text):
    return re.sub(r"\s+", " ", _plain(text)).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _md_cell(cell, digits):
    if isinstance(cell, str):
        return _md_inline(cell, table=True) if cell.strip() else " "
    return _md_math(_latex_number(cell, digits), table=True)


def _md_table(step):
    lines = ["| " + " | ".join(_md_inline(h, table=True) if h else " " for h in step.header) + " |"]
    lines.append("|" + "|".join(":---" for _ in step.header) + "|")
    for row in step.rows:
        lines.append("| " + " | ".join(_md_cell(cell, step.digits) for cell in row) + " |")
    return "\n".join(lines)


def _md_verdict(verdict, statement):
    parts = _verdict_parts(verdict, statement)
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


_LATEX_TEXT = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "_": r"\_",
    "%": r"\%", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}",
    ">": r"\textgreater{}", "|": r"\textbar{}", _NBSP: "~", "−": r"\textminus{}", "≈": r"$\approx$",
    "≤": r"$\le$", "≥": r"$\ge$", "…": r"\dots{}",
}


def _tex_escape(text):
    """Plain text as LaTeX text: every special character escaped, unbreakable spaces as ``~``."""
    return "".join(_LATEX_TEXT.get(c, c) for c in _unbreakable(text))


def _tex_inline(text):
    return "".join(_tex_escape(piece) if kind == "text" else f"${piece}$" for kind, piece in _segments(text))


def _tex_display(expr):
    """A display equation (amsmath's ``equation*``)."""
    return [r"\begin{equation*}", _latex(expr), r"\end{equation*}", ""]


def _tex_number(text):
    """A decimal string such as ``-1.5e-7`` as LaTeX math."""
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def _latex_number(cell, digits):
    """A number, sympy object or vector of them as LaTeX math."""
    if isinstance(cell, _Vector):
        return "\\left[" + ", ".join(_latex_number(v, digits) for v in cell) + "\\right]"
    if isinstance(cell, mpmath.mpf):
        return _tex_number(_mp_text(cell, digits))
    if isinstance(cell, mpmath.mpc):
        real = _tex_number(mpmath.libmp.to_str(cell.real._mpf_, digits))
        imag = _tex_number(mpmath.libmp.to_str(abs(cell.imag)._mpf_, digits))
        return f"{real} {'-' if cell.imag < 0 else '+'} {imag}\\, i"
    return _latex(cell)


def _tex_cell(cell, digits):
    if isinstance(cell, str):
        return _tex_inline(cell) if cell.strip() else ""
    return f"${_latex_number(cell, digits)}$"


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
                and max(len(_plain(row[c])) for row in step.rows) > _LONGEST_UNWRAPPED_CELL
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
    parts = _verdict_parts(verdict, statement)
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


def _mp_text(value, digits):
    """An mpmath number to ``digits`` significant digits, independent of the global precision."""
    if isinstance(value, mpmath.mpf):
        return mpmath.libmp.to_str(value._mpf_, digits)
    real = mpmath.libmp.to_str(value.real._mpf_, digits)
    imag = mpmath.libmp.to_str(value.imag._mpf_, digits)
    sign = "-" if imag.startswith("-") else "+"
    return f"{real} {sign} {imag.lstrip('-')}j"


def _cell_string(cell, digits):
    if isinstance(cell, str):
        return cell
    if isinstance(cell, _Vector):
        return "[" + ", ".join(_cell_string(v, digits) for v in cell) + "]"
    if isinstance(cell, (mpmath.mpf, mpmath.mpc)):
        return _mp_text(cell, digits)
    return str(cell)


# --------------------------------------------------------------- verdicts --
# A verdict is rendered from one description in every format: fields of prose
# (inline math between dollar signs), a residual table, closing lines, notes.


def outcome_words(verdict):
    """What a verdict found, in words: "holds (proved)", "fails (certified)", "numerically unequal (not certified)", ..."""
    outcome = verdict.numeric_outcome
    return _NUMERIC_PROSE[outcome] if outcome is not None else _PROSE[verdict.holds]


class _VerdictParts:
    __slots__ = ("fields", "table", "after", "notes")

    def __init__(self, fields, table, after, notes):
        self.fields, self.table, self.after, self.notes = fields, table, after, notes


def _ranges(cells):
    """``0..3, 5`` for cell indices (pairs in 2-D as written)."""
    if not cells:
        return "none"
    if not all(isinstance(c, int) for c in cells):
        return ", ".join(str(c) for c in cells)
    parts, start = [], 0
    for i in range(1, len(cells) + 1):
        if i == len(cells) or cells[i] != cells[i - 1] + 1:
            first, last = cells[start], cells[i - 1]
            parts.append(str(first) if first == last else f"{first}..{last}")
            start = i
    return ", ".join(parts)


def _decimal_latex(text):
    """A decimal string (``-1.5e-7``) as math: ``-1.5 \\times 10^{-7}``."""
    return _tex_number(text.replace("E", "e").lstrip("+"))


def _exact_latex(value, approximate=True):
    """An exact value as math: ``\\frac{1}{2} \\approx 0.5``; a long one by its decimal value only."""
    text = _latex(value)
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


def _verdict_parts(verdict, statement):
    written = verdict.to_dict()
    claim = statement if statement is not None else _literal(verdict.claim)
    fields = [("Claim", claim), ("Verdict", f"{outcome_words(verdict)}"), ("Method", _HOW[verdict.method]),
              ("Precision", _precision_words(verdict))]
    if verdict.shift is not None:
        fields.append(("Shift", f"$d = {_latex(verdict.shift)}$"))
    total = getattr(verdict, "total_cells", None)
    covered = f"{len(verdict.cells)} of {total}" if isinstance(total, int) else f"{len(verdict.cells)}"
    fields.append(("Compared cells", f"{_ranges(verdict.cells)} ({covered})"))
    boundary = _ranges(verdict.boundary_cells)
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
            value = _decimal_latex(_mp_text(certificate["value"], _SHOWN_DIGITS))
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
                value = f"${_decimal_latex(_mp_text(residual, _SHOWN_DIGITS))}$"
                error = "unknown" if entry["error"] is None else f"$\\le {_decimal_latex(entry['error'])}$"
            rows.append((str(verdict.cells[i]), value, error))
        table = Step("table", header=("cell", "residual", "error bound"), rows=tuple(rows),
                     caption="Residual (lhs − rhs) per compared cell", digits=TABLE_DIGITS)
        more = len(verdict.cells) - shown
        if more:
            largest = _decimal_latex(_mp_text(verdict.max_residual, _SHOWN_DIGITS))
            after.append(f"… and {more} more cell{'s' if more > 1 else ''} not shown; the largest $|r|$ is "
                         f"${largest}$, in cell {verdict.worst_cell}.")
    else:
        after.append("No cells were compared.")
    return _VerdictParts(fields, table, after, [_literal(note) for note in verdict.notes])


# ---------------------------------------------------------------- MathML --


def _mathml(expr):
    """sympy's MathML of an exact expression, as verdicts render it (H(x), cases, true minus signs)."""
    return mathml_of(expr)


def _math_element(latex, fallback=None, display=False):
    """LaTeX math as a <math> element; when the reader does not know it, sympy's MathML for ``fallback``."""
    block = ' display="block"' if display else ""
    try:
        inner = _latex_mathml(latex, display=display)
    except _Unreadable:
        if fallback is None or not isinstance(fallback, sympy.Basic):
            inner = f"<mtext>{html.escape(latex, quote=False)}</mtext>"
        else:
            inner = _mathml(fallback)
    return f'<math xmlns="{_MATHML_NS}"{block}>{inner}</math>'


def _mathml_block(expr):
    return _math_element(_latex(expr), fallback=expr, display=True)


# --------------------------------------------------- LaTeX -> MathML --
# One reader for every piece of math in the HTML report: the LaTeX that
# sympy's printer writes (display equations, table cells, verdict values) and
# the simple LaTeX people write in prose. It never evaluates anything; what it
# does not know raises _Unreadable (display math then falls back to sympy's
# MathML printer, prose math to its source text).

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "infty": "∞", "partial": "∂", "nabla": "∇", "ell": "ℓ", "hbar": "ℏ", "emptyset": "∅", "aleph": "ℵ",
    "Re": "ℜ", "Im": "ℑ", "imath": "ı", "jmath": "ȷ",
}
# Capital Greek letters are upright in TeX.
_UPRIGHT_GREEK = {
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
_RELATIONS = {
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "equiv": "≡",
    "sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝", "ll": "≪", "gg": "≫", "in": "∈", "notin": "∉",
    "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐", "iff": "⟺", "implies": "⟹", "mapsto": "↦",
    "longrightarrow": "⟶", "mid": "∣", "perp": "⊥", "parallel": "∥", "coloneqq": "≔",
}
_BINARY = {
    "cdot": "⋅", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "cup": "∪", "cap": "∩", "setminus": "∖",
    "circ": "∘", "star": "⋆", "ast": "∗", "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨", "oplus": "⊕",
    "otimes": "⊗", "bullet": "∙",
}
_ORDINARY = {
    "ldots": "…", "cdots": "⋯", "dots": "…", "vdots": "⋮", "ddots": "⋱", "forall": "∀", "exists": "∃",
    "neg": "¬", "lnot": "¬", "prime": "′", "angle": "∠", "top": "⊤", "bot": "⊥", "%": "%", "#": "#",
    "$": "$", "&": "&", "_": "_", "backslash": "∖",
}
_OPEN = {"(": "(", "[": "[", "{": "{", "lfloor": "⌊", "lceil": "⌈", "langle": "⟨", "lvert": "|", "lVert": "‖"}
_CLOSE = {")": ")", "]": "]", "}": "}", "rfloor": "⌋", "rceil": "⌉", "rangle": "⟩", "rvert": "|", "rVert": "‖"}
_FENCES = {**_OPEN, **_CLOSE, "|": "|", "vert": "|", "Vert": "‖", "|_": "‖", ".": ""}
_LARGE = {"sum": "∑", "prod": "∏", "coprod": "∐", "bigcup": "⋃", "bigcap": "⋂", "int": "∫", "iint": "∬",
          "oint": "∮"}
_LIMIT_NAMES = {"lim", "max", "min", "sup", "inf", "limsup", "liminf", "det", "Pr", "gcd", "argmax", "argmin"}
_FUNCTION_NAMES = {
    "sin", "cos", "tan", "cot", "sec", "csc", "exp", "log", "ln", "lg", "arg", "deg", "dim", "ker", "hom",
    "sinh", "cosh", "tanh", "coth", "arcsin", "arccos", "arctan", "sgn",
} | _LIMIT_NAMES
_IGNORED = {"displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "mathstrut", "strut", "nonumber",
            "notag", "relax", "allowbreak"}
_SIZED = {"big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr",
          "bigm", "Bigm"}
_SPACES = {",": "0.1667em", ":": "0.2222em", ">": "0.2222em", ";": "0.2778em", " ": "0.25em", "quad": "1em",
           "qquad": "2em", "enspace": "0.5em", "thinspace": "0.1667em", "medspace": "0.2222em",
           "thickspace": "0.2778em", "!": None, "negthinspace": None}
_FONTS = {"mathrm": "normal", "operatorname": "normal", "mathit": "italic", "mathbf": "bold",
          "boldsymbol": "bold", "mathsf": "sans-serif", "mathtt": "monospace", "mathbb": "double-struck",
          "mathcal": "script", "mathscr": "script", "mathfrak": "fraktur"}
_DOUBLE_STRUCK = {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"}
_ACCENTS = {"hat": "^", "widehat": "^", "bar": "¯", "overline": "‾", "tilde": "~", "widetilde": "~",
            "vec": "→", "dot": "˙", "ddot": "¨", "check": "ˇ", "breve": "˘", "acute": "´", "grave": "`"}
_MATRICES = {"matrix": ("", ""), "pmatrix": ("(", ")"), "bmatrix": ("[", "]"), "Bmatrix": ("{", "}"),
             "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"), "smallmatrix": ("", ""), "array": ("", ""),
             "aligned": ("", ""), "gathered": ("", ""), "cases": ("{", ""), "dcases": ("{", ""),
             "rcases": ("", "}")}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|\s+|.", re.DOTALL)
_MAX_DEPTH = 60
_MAX_TOKENS = 200_000


_BASIC_KIND = {"op-limits": "op", "func-limits": "func"}
_TALL = re.compile(r"<(?:mfrac|mtable|munderover|munder|mover|mroot|msqrt)\b")
_THIN = '<mspace width="0.1667em"></mspace>'


class _Unreadable(Exception):
    """The LaTeX uses something the reader does not know."""


def _mo(char, **attributes):
    attrs = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in sorted(attributes.items()))
    return f"<mo{attrs}>{html.escape(char, quote=False)}</mo>"


class _LatexReader:
    """LaTeX math to presentation MathML.

    Items are (kind, markup) pairs; the kind (TeX's atom classes: "ord",
    "op", "bin", "rel", "open", "close", "punct", "func", "space") decides the
    spacing and the form of each operator, as TeX would.
    """

    def __init__(self, latex, display=False):
        self.tokens = [t for t in _TOKEN.findall(latex) if not t.isspace()]
        if len(self.tokens) > _MAX_TOKENS:
            raise _Unreadable("too long")
        self.position = 0
        self.depth = 0
        self.display = display

    # -- tokens --

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self):
        token = self.peek()
        if token is None:
            raise _Unreadable("unexpected end")
        self.position += 1
        return token

    def expect(self, token):
        if self.take() != token:
            raise _Unreadable(f"expected {token}")

    def deeper(self):
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Unreadable("too deep")

    # -- sequences --

    def read(self):
        items = self.sequence(stops=())
        if self.peek() is not None:
            raise _Unreadable(f"unexpected {self.peek()}")
        return self.join(items)

    def sequence(self, stops):
        """Items up to (not including) a token in ``stops``, or the end; a stray } is an error."""
        items = []
        while True:
            token = self.peek()
            if token is None or token in stops:
                return items
            if token == "}":
                raise _Unreadable("unmatched }")
            if token == "\\right" and "\\right" not in stops:
                raise _Unreadable("unmatched \\right")
            if token.startswith("\\end") and "\\end" in stops:
                return items
            item = self.scripted(items)
            if item is not None:
                items.append(item)

    @staticmethod
    def join(items):
        """The items as one MathML row, with TeX's spacing around function names and unary minus."""
        kinds = [_BASIC_KIND.get(kind, kind) for kind, _ in items]
        out, previous = [], None
        for index, (_, markup) in enumerate(items):
            kind = kinds[index]
            following = next((k for k in kinds[index + 1:] if k != "space"), None)
            if kind == "func" and previous in ("ord", "fenced", "close", "func"):
                out.append(_THIN)
            if kind == "bin" and previous in (None, "bin", "rel", "open", "punct", "op", "func"):
                markup = markup.replace("<mo", '<mo form="prefix"', 1)  # a sign, not an operation
                kind = "ord"
            out.append(markup)
            if kind == "func" and following == "ord":
                out.append(_THIN)
            if kind != "space":
                previous = kind
        if len(out) == 1:
            return out[0]
        return "<mrow>" + "".join(out) + "</mrow>"

    # -- atoms with scripts --

    def scripted(self, before):
        token = self.peek()
        if token in ("^", "_"):
            base = ("ord", "<mrow></mrow>")
        else:
            base = self.atom()
            if base is None:
                return None
        while self.peek() in ("\\limits", "\\nolimits"):
            self.take()
        scripts = {}
        while self.peek() in ("^", "_", "'"):
            which = self.take()
            if which == "'":
                primes = "′"
                while self.peek() == "'":
                    self.take()
                    primes += "′"
                scripts["^"] = f"<mo>{primes}</mo>" if "^" not in scripts else scripts["^"]
                continue
            if which in scripts:
                raise _Unreadable("double script")
            scripts[which] = self.join([self.argument()])
        if not scripts:
            return base
        kind, markup = base
        if kind in ("op-limits", "func-limits") and self.display:
            tags = ("munderover", "munder", "mover")
        else:
            tags = ("msubsup", "msub", "msup")
        if "_" in scripts and "^" in scripts:
            return kind, f"<{tags[0]}>{markup}{scripts['_']}{scripts['^']}</{tags[0]}>"
        if "_" in scripts:
            return kind, f"<{tags[1]}>{markup}{scripts['_']}</{tags[1]}>"
        return kind, f"<{tags[2]}>{markup}{scripts['^']}</{tags[2]}>"

    def argument(self):
        """One required argument: a braced group or a single atom, as an item."""
        while True:
            if self.peek() in (None, "}", "&", "\\\\"):
                raise _Unreadable("missing argument")
            item = self.atom()
            if item is not None:
                return item

    def group(self):
        """A braced group as one ord item."""
        self.expect("{")
        self.deeper()
        items = self.sequence(stops=("}",))
        self.expect("}")
        self.depth -= 1
        if not items:
            return "ord", "<mrow></mrow>"
        if len(items) == 1:
            kind, markup = items[0]
            return (kind if kind in ("ord", "fenced", "op", "op-limits", "func", "func-limits") else "ord"), markup
        return "ord", self.join(items)

    def braced_text(self):
        """The raw text of a braced group (for \\text{...}), nested braces allowed."""
        self.expect("{")
        parts, depth = [], 0
        while True:
            token = self.take()
            if token == "{":
                depth += 1
            elif token == "}":
                if depth == 0:
                    break
                depth -= 1
            else:
                parts.append(token[1:] if token.startswith("\\") and len(token) == 2 else token)
        return parts

    def atom(self):
        """One atom as an item, or None for something that shows nothing."""
        self.deeper()  # commands nest through their arguments (\\frac\\frac...) as groups do
        try:
            return self._atom()
        finally:
            self.depth -= 1

    def _atom(self):
        token = self.peek()
        if token == "{":
            return self.group()
        self.take()
        if token[0].isdigit():
            return "ord", f"<mn>{token}</mn>"
        if token.startswith("\\"):
            return self.command(token[1:])
        if token.isalpha():
            return "ord", f"<mi>{html.escape(token)}</mi>"
        simple = {
            "+": ("bin", "+"), "-": ("bin", "−"), "*": ("bin", "∗"), "=": ("rel", "="), "<": ("rel", "<"),
            ">": ("rel", ">"), ":": ("rel", ":"), ",": ("punct", ","), ";": ("punct", ";"),
            "(": ("open", "("), "[": ("open", "["), ")": ("close", ")"), "]": ("close", "]"),
        }
        if token in simple:
            kind, char = simple[token]
            if kind == "open":
                return kind, _mo(char, form="prefix", stretchy="false")
            if kind == "close":
                return kind, _mo(char, form="postfix", stretchy="false")
            return kind, _mo(char)
        if token in ("/", "|", ".", "!", "?", "@", '"'):
            return "ord", _mo(token, lspace="0", rspace="0", stretchy="false")
        if token == "~":
            return "space", '<mspace width="0.25em"></mspace>'
        raise _Unreadable(token)

    def fence(self):
        """The delimiter after \\left, \\right, \\big...: its character ('' for '.')."""
        token = self.take()
        name = token[1:] if token.startswith("\\") and len(token) > 2 else token
        if token == "\\|":
            name = "|_"
        elif token in ("\\{", "\\}"):
            name = token[1]
        if name not in _FENCES:
            raise _Unreadable(f"unknown delimiter {token}")
        return _FENCES[name]

    def command(self, name):
        if name in _GREEK:
            return "ord", f"<mi>{_GREEK[name]}</mi>"
        if name in _UPRIGHT_GREEK:
            return "ord", f'<mi mathvariant="normal">{_UPRIGHT_GREEK[name]}</mi>'
        if name in _RELATIONS:
            return "rel", _mo(_RELATIONS[name])
        if name in _BINARY:
            return "bin", _mo(_BINARY[name])
        if name in _ORDINARY:
            return "ord", _mo(_ORDINARY[name], lspace="0", rspace="0")
        if name in ("{", "}") or name in _OPEN or name in _CLOSE:
            char = _FENCES[name]
            opening = name == "{" or name in _OPEN
            return ("open", _mo(char, form="prefix", stretchy="false")) if opening else \
                ("close", _mo(char, form="postfix", stretchy="false"))
        if name in ("|", "Vert", "vert"):
            return "ord", _mo("‖" if name != "vert" else "|", lspace="0", rspace="0", stretchy="false")
        if name in _LARGE:
            large = ' largeop="true"' if self.display else ""
            kind = "op" if name.endswith("int") else "op-limits"
            return kind, f"<mo{large}>{_LARGE[name]}</mo>"
        if name in _FUNCTION_NAMES:
            return ("func-limits" if name in _LIMIT_NAMES else "func"), f"<mi>{name}</mi>"
        if name in _SPACES:
            width = _SPACES[name]
            return None if width is None else ("space", f'<mspace width="{width}"></mspace>')
        if name in _IGNORED:
            return None
        if name == "left":
            return self.left_right()
        if name in ("right", "middle"):
            raise _Unreadable(f"unmatched \\{name}")
        if name in _SIZED:
            char = self.fence()
            kind = "open" if name.endswith("l") else "close" if name.endswith("r") else "ord"
            return kind, _mo(char, stretchy="false", lspace="0", rspace="0") if char else None
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            numerator, denominator = self.argument(), self.argument()
            return "ord", f"<mfrac>{numerator[1]}{denominator[1]}</mfrac>"
        if name in ("binom", "dbinom", "tbinom"):
            top, bottom = self.argument(), self.argument()
            return "ord", (f'<mrow>{_mo("(", form="prefix")}<mfrac linethickness="0">{top[1]}{bottom[1]}</mfrac>'
                           f'{_mo(")", form="postfix")}</mrow>')
        if name == "sqrt":
            if self.peek() == "[":
                self.take()
                index = self.join(self.sequence(stops=("]",)))
                self.expect("]")
                return "ord", f"<mroot>{self.argument()[1]}{index}</mroot>"
            return "ord", f"<msqrt>{self.argument()[1]}</msqrt>"
        if name in _ACCENTS:
            body = self.argument()[1]
            stretchy = "true" if name in ("overline", "widehat", "widetilde") else "false"
            return "ord", f'<mover accent="true">{body}{_mo(_ACCENTS[name], stretchy=stretchy)}</mover>'
        if name == "underline":
            return "ord", f'<munder accentunder="true">{self.argument()[1]}{_mo("_", stretchy="true")}</munder>'
        if name in ("text", "textrm", "mbox", "textit", "textbf", "textnormal", "mathnormal"):
            text = "".join(self.braced_text())
            return "ord", f"<mtext>{html.escape(text, quote=False)}</mtext>"
        if name in _FONTS:
            return self.font(name)
        if name == "not":
            kind, markup = self.argument()
            return "rel", markup.replace("</mo>", "\u0338</mo>", 1) if "<mo" in markup else markup
        if name == "begin":
            return self.environment()
        if name == "\\":
            raise _Unreadable("line break outside an environment")
        raise _Unreadable(name)

    def font(self, name):
        parts = self.braced_text()
        text = "".join(parts)
        variant = _FONTS[name]
        if not re.fullmatch(r"[A-Za-z0-9 .,'-]*", text) or not text.strip():
            raise _Unreadable("font command on something other than letters")
        text = text.strip()
        if variant == "double-struck" and all(c in _DOUBLE_STRUCK for c in text):
            return "ord", f"<mi>{''.join(_DOUBLE_STRUCK[c] for c in text)}</mi>"
        kind = "func" if name == "operatorname" else "ord"
        if variant == "bold":
            return kind, f'<mi mathvariant="normal" style="font-weight:bold">{html.escape(text)}</mi>' \
                if len(text) > 1 or name == "mathbf" else f'<mi style="font-weight:bold">{html.escape(text)}</mi>'
        if variant in ("normal", "italic", "sans-serif", "monospace", "script", "fraktur", "double-struck"):
            if re.fullmatch(r"\d+", text):
                return kind, f"<mn>{text}</mn>"
            attribute = ' mathvariant="normal"' if variant == "normal" and len(text) == 1 else ""
            if variant == "italic" and len(text) > 1:
                return kind, f'<mi style="font-style:italic">{html.escape(text)}</mi>'
            return kind, f"<mi{attribute}>{html.escape(text)}</mi>"
        raise _Unreadable(name)  # pragma: no cover

    def left_right(self):
        opening = self.fence()
        self.deeper()
        items = self.sequence(stops=("\\right",))
        self.expect("\\right")
        closing = self.fence()
        self.depth -= 1
        inner = self.join(items) if items else "<mrow></mrow>"
        # Chromium sets a stretched delimiter apart from its content: stretch only around tall content.
        stretchy = "true" if _TALL.search(inner) else "false"
        left = _mo(opening, form="prefix", stretchy=stretchy) if opening else ""
        right = _mo(closing, form="postfix", stretchy=stretchy) if closing else ""
        return "fenced", f"<mrow>{left}{inner}{right}</mrow>"

    def environment(self):
        name = "".join(self.braced_text())
        if name not in _MATRICES:
            raise _Unreadable(f"environment {name}")
        if name == "array":
            self.braced_text()  # the column specification
        self.deeper()
        rows, cells = [], []
        while True:
            items = self.sequence(stops=("&", "\\\\", "\\end"))
            cells.append(self.join(items) if items else "<mrow></mrow>")
            token = self.take()
            if token == "&":
                continue
            rows.append(cells)
            cells = []
            if token == "\\end":
                if "".join(self.braced_text()) != name:
                    raise _Unreadable("mismatched \\end")
                break
        self.depth -= 1
        if rows and rows[-1] == ["<mrow></mrow>"]:
            rows.pop()  # a trailing \\ before \end
        cases = name in ("cases", "dcases", "rcases")
        aligned = name in ("aligned",)
        css = ' class="cases"' if cases else ' class="aligned"' if aligned else ""
        table = f"<mtable{css}>" + "".join(
            "<mtr>" + "".join(f"<mtd>{cell}</mtd>" for cell in row) + "</mtr>" for row in rows
        ) + "</mtable>"
        left, right = _MATRICES[name]
        if name == "smallmatrix":
            table = table.replace("<mtable", '<mtable class="small"', 1)
        if left or right:
            table = (f"<mrow>{_mo(left, form='prefix', stretchy='true') if left else ''}{table}"
                     f"{_mo(right, form='postfix', stretchy='true') if right else ''}</mrow>")
        return "ord", table


def _latex_mathml(latex, display=False):
    """LaTeX math as the inside of a <math> element, or _Unreadable."""
    try:
        return _LatexReader(latex, display=display).read()
    except RecursionError:  # nesting below the depth limit, called from a deep stack
        raise _Unreadable("too deep") from None


def _inline_latex_mathml(latex):
    """Inline LaTeX from prose as a <math> element; what the reader does not know, as its source text."""
    try:
        inner = _latex_mathml(latex) if latex.strip() else ""
    except _Unreadable:
        inner = f"<mtext>{html.escape(latex, quote=False)}</mtext>"
    return f'<math xmlns="{_MATHML_NS}">{inner}</math>'


def _html_text(text):
    """Plain text as HTML; words joined by an unbreakable space are kept on one line by a span.

    (A no-break space character would do, but many fonts draw it wider than a space.)
    """
    escaped = html.escape(_unbreakable(text), quote=False)
    return re.sub("([^\\s\u00a0<>]+)\u00a0([^\\s\u00a0<>]+)", r'<span class="nb">\1 \2</span>', escaped)


def _html_inline(text):
    return "".join(
        _html_text(piece) if kind == "text" else _inline_latex_mathml(piece) for kind, piece in _segments(text)
    )


# ---------------------------------------------------------- HTML pieces --


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


def _html_verdict(verdict, heading, anchor, level=2, statement=None):
    parts = _verdict_parts(verdict, statement)
    css = {True: "holds", False: "fails", None: "undecided"}[verdict.holds]
    lines = [f'<section class="verdict {css}" id="{anchor}">', f"<h{level}>{heading}</h{level}>", "<dl>"]
    for name, value in parts.fields:
        shown = _html_inline(value)
        if name == "Verdict":
            shown = f'<strong class="{css}">{shown}</strong>'
        lines.append(f"<dt>{html.escape(name)}</dt><dd>{shown}</dd>")
    lines.append("</dl>")
    if parts.table is not None:
        lines.append(_html_table(parts.table, None, css="residuals"))
    lines += [f"<p>{_html_inline(line)}</p>" for line in parts.after]
    if parts.notes:
        lines.append('<ul class="notes">')
        lines += [f"<li>{_html_inline(note)}</li>" for note in parts.notes]
        lines.append("</ul>")
    lines.append("</section>")
    return "\n".join(lines)


def _html_cell(cell, digits):
    if isinstance(cell, str):
        return _html_inline(cell) if cell.strip() else ""
    return _math_element(_latex_number(cell, digits), fallback=cell)


def _html_table(step, number, css=None):
    """A table with its caption above it, as wide as the text (not squeezed to the table's width)."""
    caption = _html_inline(step.caption) if step.caption is not None else ""
    title = " ".join(part for part in (f"<strong>{number}</strong>" if number else "", caption) if part)
    lines = [f'<div class="table{" " + css if css else ""}">']
    if title:
        lines.append(f'<p class="caption">{title}</p>')
    lines += ["<table>", "<thead><tr>"]
    lines += [f"<th>{_html_inline(h) if h else ''}</th>" for h in step.header]
    lines += ["</tr></thead>", "<tbody>"]
    for row in step.rows:
        lines.append("<tr>" + "".join(f"<td>{_html_cell(cell, step.digits)}</td>" for cell in row) + "</tr>")
    return "\n".join(lines + ["</tbody>", "</table>", "</div>"])


def _html_figure(step, number):
    if step.svg is not None:
        image = _svg_for_html(step.svg)
    else:
        data = base64.b64encode(step.png).decode("ascii")
        alt = html.escape(_plain(step.caption) if step.caption is not None else step.name)
        image = f'<img src="data:image/png;base64,{data}" alt="{alt}">'
    caption = f" {_html_inline(step.caption)}" if step.caption is not None else ""
    return (f'<figure id="figure-{step.name}">\n{image}\n'
            f'<figcaption><strong class="nb">Figure {number}.</strong>{caption}</figcaption>\n</figure>')


def _html_correction(step, anchor):
    lines = [
        f'<section class="correction" id="{anchor}">',
        "<h2>Correction</h2>",
        f"<p><strong>The paper says:</strong> {_html_inline(step.paper)}</p>",
        f"<p><strong>Corrected:</strong> {_html_inline(step.corrected)}</p>",
    ]
    if step.check is not None:
        lines.append(_html_verdict(step.check, "Check", f"{anchor}-check", level=3, statement=step.check_statement))
    lines.append("</section>")
    return "\n".join(lines)


_CSS = (
    "body{font-family:'Latin Modern Roman','CMU Serif',Georgia,serif;font-size:18px;line-height:1.5;margin:0;"
    "color:#111;background:#fff}"
    "math{font-family:'Latin Modern Math','STIX Two Math',math;font-size:1.05em}"
    "main{max-width:48rem;margin:2rem auto;padding:0 1rem}"
    "h1{font-size:1.9rem;line-height:1.25}h2{font-size:1.35rem}h3{font-size:1.15rem}"
    # On a narrow screen a wide table or equation scrolls sideways instead of leaving the page;
    # at a normal width nothing overflows, so no scroll bar shows.
    "div.table{margin:1rem 0;max-width:100%;overflow-x:auto}"
    "div.table p.caption{margin:0 0 .35rem 0}"
    "table{border-collapse:collapse}"
    "th,td{border-top:1px solid #bbb;border-bottom:1px solid #bbb;padding:.25rem .7rem;text-align:left;"
    "vertical-align:middle}"
    "thead th{border-top:2px solid #333;border-bottom:1px solid #333}tbody tr:last-child td{border-bottom:2px solid #333}"
    "dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2rem 1rem}"
    "dt{font-weight:bold}dd{margin:0}"
    ".verdict,.correction{border-left:4px solid #888;padding:.1rem 1rem;margin:1.5rem 0}"
    ".verdict.holds{border-color:#2a7}.verdict.fails{border-color:#c33}.verdict.undecided{border-color:#d90}"
    ".correction{background:#fff8e6;border-color:#d90}"
    "strong.holds{color:#175}strong.fails{color:#a11}strong.undecided{color:#850}"
    "figure{margin:1.5rem 0}figure svg,figure img{display:block;max-width:100%;height:auto;margin:0 auto}"
    "figcaption{margin-top:.4rem}"
    ".equation{margin:.8rem 0;padding:.3rem 0;overflow-x:auto;overflow-y:hidden}.nb{white-space:nowrap}"
    "mtable.cases>mtr>mtd{text-align:left;padding:.15em 1.2em .15em 0}"
    "mtable.cases>mtr>mtd:last-child{padding-right:0}"
)
