r"""Reports: the ordered derivation behind one claim of the paper.

A :class:`Derivation` collects the steps of an argument in order (prose,
display equations, verdicts, tables, figures and corrections of the paper)
and renders them as Markdown, LaTeX, a self-contained HTML page, or JSON.
Every rendering is deterministic: the same steps give byte-identical output.

>>> import sympy
>>> from symequiv.report import Derivation
>>> from symequiv.verdict import Verdict
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
**Claim.** D S = S D on cell 2
...
## Summary
<BLANKLINE>
| # | verdict | result | method |
|---:|:---|:---|:---|
| 1 | cell 2 (main) | holds (proved) | symbolic |
>>> d.summary()
[{'claim': 'D S = S D on cell 2', 'holds': True, 'method': 'symbolic'}]

Text
----
Every piece of prose (title, claim, paragraphs, captions, labels, table text
cells, corrections) is plain text with optional inline math between dollar
signs, ``$\delta = dx/2$``; write ``\$`` for a literal dollar sign. Plain
text is escaped in every format. Inline math is kept as LaTeX in Markdown and
LaTeX; in HTML it is never evaluated: simple LaTeX (letters, numbers,
operators, Greek letters, ``\frac``, ``\sqrt``, sub- and superscripts, ...)
becomes MathML, anything else is shown as its source text in ``<mtext>``.

Formats
-------
* Markdown: math as ``$...$`` and ``$$...$$``, verdicts by
  :meth:`~symequiv.verdict.Verdict.to_markdown`, figures as
  ``![caption](NAME.png)`` with the PNG written beside the file.
* LaTeX: a complete ``article`` (amsmath, amssymb, graphicx, booktabs);
  figures by ``\includegraphics{NAME.png}``. Tables and figures are not
  floats, so they stay where the derivation puts them. Non-ASCII text needs
  a Unicode engine (lualatex, xelatex).
* HTML: one file that needs no network: math as presentation MathML,
  figures as inline SVG (when given) or a ``data:`` PNG, a small inline style
  and a Content-Security-Policy that forbids every fetch and script.
* JSON: sorted keys, every verdict as :meth:`~symequiv.verdict.Verdict.to_dict`.
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
from sympy.printing.mathml import MathMLPresentationPrinter

from .errors import InvalidArgument, InvalidType, short_repr
from .verdict import MAX_TABLE_ROWS, Verdict, latex_escape

__all__ = ["Derivation"]

#: The formats :meth:`Derivation.write` knows; each is also its file's extension.
FORMATS = ("md", "tex", "html", "json")
#: Significant digits of mpmath numbers in tables (unless ``digits=`` says otherwise).
TABLE_DIGITS = 15
_NAME = re.compile(r"[A-Za-z0-9_-]+")
_MAX_NAME = 100
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_JSON_FORMAT = "symequiv-derivation"
_JSON_VERSION = 1
_PROSE = {True: "holds (proved)", False: "fails (certified)", None: "undecided"}
_WORD = {True: "holds", False: "fails", None: "undecided"}
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
    ``"verdict"`` (verdict, label), ``"table"`` (header, rows, caption, digits),
    ``"figure"`` (name, png, svg, caption) and ``"correction"`` (paper,
    corrected, check). Steps are read-only.

    >>> from symequiv.report import Derivation
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
    >>> from symequiv.report import Derivation
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

        >>> from symequiv.report import Derivation
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
        >>> from symequiv.report import Derivation
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

    def verdict(self, verdict, label=None, *, main=False):
        """Add a :class:`~symequiv.verdict.Verdict`.

        The first verdict added is the report's main verdict, unless another
        is added with ``main=True`` (only one may be).
        """
        verdict = _check_verdict(verdict, "verdict")
        label = _check_text(label, "label", optional=True, one_line=True)
        if not isinstance(main, bool):
            raise InvalidType(f"Expected main=True or False but got main={short_repr(main)}")
        if main and self._main_explicit:
            raise InvalidArgument(
                f"A main verdict was already given (step {self._main}); only one verdict can have main=True"
            )
        self._steps.append(Step("verdict", verdict=verdict, label=label))
        if main or self._main is None:
            self._main = len(self._steps) - 1
            self._main_explicit = main
        return self

    def table(self, header, rows, *, caption=None, digits=TABLE_DIGITS):
        """Add a table: a header of str and rows of cells.

        A cell is a str (prose), an int, a sympy object or an mpmath number
        (shown as math; mpmath numbers to ``digits`` significant digits), or a
        list, tuple or :class:`~symequiv.values.Values` of such numbers (shown
        as ``[a, b, ...]``).

        >>> from symequiv.report import Derivation
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

    def figure(self, name, *, png, svg=None, caption=None):
        """Add a figure: PNG bytes (and optionally SVG bytes) made elsewhere, e.g. by matplotlib.

        ``name`` names the files ``NAME.png`` (and ``NAME.svg``) that :meth:`write`
        puts beside the Markdown and LaTeX reports. The HTML report inlines the
        SVG when given (it must be static: no scripts, event handlers or
        outside references; its ``<metadata>`` is dropped), else the PNG as a
        ``data:`` URI.
        """
        name = _check_name(name, "figure name")
        if any(s.kind == "figure" and s.name == name for s in self._steps):
            raise InvalidArgument(f"A figure named {short_repr(name)} was already added; figure names name files, so they must differ")
        png = _check_png(png)
        if svg is not None:
            _svg_for_html(svg)  # refuse now what the HTML report could not inline
            svg = bytes(svg)
        caption = _check_text(caption, "caption", optional=True, one_line=True)
        self._steps.append(Step("figure", name=name, png=png, svg=svg, caption=caption))
        return self

    def correction(self, *, paper, corrected, check=None):
        """Add a correction: what the paper says, the corrected statement, and optionally the verdict that checks it."""
        paper = _check_text(paper, "paper")
        corrected = _check_text(corrected, "corrected")
        check = _check_verdict(check, "check", optional=True)
        self._steps.append(Step("correction", paper=paper, corrected=corrected, check=check))
        return self

    # ------------------------------------------------------------- summary --

    def _verdicts(self):
        """(step index, label, verdict, is main) of every verdict, main first, then in step order."""
        found = []
        for i, step in enumerate(self._steps):
            if step.kind == "verdict":
                found.append((i, step.label, step.verdict, i == self._main))
            elif step.kind == "correction" and step.check is not None:
                found.append((i, "correction", step.check, False))
        found.sort(key=lambda item: not item[3])  # stable: main first, the rest in order
        return found

    def summary(self):
        """One dict per verdict (those of :meth:`verdict` and of corrections), the main verdict first.

        >>> from symequiv.report import Derivation
        >>> from symequiv.verdict import Verdict
        >>> d = Derivation("n", "T").verdict(Verdict("A = A", True, "symbolic", [0], cells=(0,)))
        >>> d.summary()
        [{'claim': 'A = A', 'holds': True, 'method': 'symbolic'}]
        """
        return [{"claim": v.claim, "holds": v.holds, "method": v.method} for _, _, v, _ in self._verdicts()]

    def _summary_rows(self):
        """(label or claim, is main, result words, method, is a label) per verdict, for the summary tables."""
        rows = []
        for _, label, verdict, main in self._verdicts():
            shown = label if label is not None else verdict.claim
            rows.append((shown, main, _PROSE[verdict.holds], verdict.method, label is not None))
        return rows

    # ------------------------------------------------------------ Markdown --

    def to_markdown(self):
        """The report as Markdown (figures as ``![caption](NAME.png)``)."""
        blocks = [f"# {_md_inline(self._title)}"]
        if self._claim is not None:
            blocks.append(f"**Claim.** {_md_inline(self._claim)}")
        tables = figures = 0
        for index, step in enumerate(self._steps):
            kind = step.kind
            if kind == "text":
                blocks.extend(_md_inline(p) for p in _paragraphs(step.text))
            elif kind == "math":
                if step.label is not None:
                    blocks.append(f"*{_md_inline(step.label)}:*")
                blocks.append(f"$$\n{sympy.latex(step.expr)}\n$$")
            elif kind == "verdict":
                blocks.append(f"## {self._verdict_heading(index, step, _md_inline)}")
                blocks.append(step.verdict.to_markdown())
            elif kind == "table":
                tables += 1
                caption = f" {_md_inline(step.caption)}" if step.caption is not None else ""
                blocks.append(f"**Table {tables}.**{caption}")
                blocks.append(_md_table(step))
            elif kind == "figure":
                figures += 1
                alt = _md_alt(step.caption if step.caption is not None else step.name)
                blocks.append(f"![{alt}]({step.name}.png)")
                caption = f" {_md_inline(step.caption)}" if step.caption is not None else ""
                blocks.append(f"**Figure {figures}.**{caption}")
            elif kind == "correction":
                blocks.append(_md_correction(step))
        blocks += self._md_summary()
        return "\n\n".join(blocks) + "\n"

    def _verdict_heading(self, index, step, inline):
        label = f": {inline(step.label)}" if step.label is not None else ""
        return f"Verdict{label}{' (main)' if index == self._main else ''}"

    def _md_summary(self):
        rows = self._summary_rows()
        if not rows:
            return []
        lines = ["| # | verdict | result | method |", "|---:|:---|:---|:---|"]
        for number, (shown, main, result, method, is_label) in enumerate(rows, 1):
            shown = _md_inline(shown, table=True) if is_label else _md_escape(shown, table=True)
            lines.append(f"| {number} | {shown}{' (main)' if main else ''} | {result} | {method} |")
        return ["## Summary", "\n".join(lines)]

    # --------------------------------------------------------------- LaTeX --

    def to_latex(self):
        r"""The report as a complete LaTeX document (figures by ``\includegraphics{NAME.png}``)."""
        lines = [
            r"\documentclass{article}",
            r"\usepackage[T1]{fontenc}",
            r"\usepackage{amsmath}",
            r"\usepackage{amssymb}",
            r"\usepackage{graphicx}",
            r"\usepackage{booktabs}",
            f"\\title{{{_tex_inline(self._title)}}}",
            r"\author{}",
            r"\date{}",
            r"\begin{document}",
            r"\maketitle",
            "",
        ]
        if self._claim is not None:
            lines += [f"\\noindent\\textbf{{Claim.}} {_tex_inline(self._claim)}", ""]
        tables = figures = 0
        for index, step in enumerate(self._steps):
            kind = step.kind
            if kind == "text":
                for paragraph in _paragraphs(step.text):
                    lines += [_tex_inline(paragraph), ""]
            elif kind == "math":
                if step.label is not None:
                    lines += [f"\\noindent\\textit{{{_tex_inline(step.label)}:}}", ""]
                lines += [r"\begin{equation*}", sympy.latex(step.expr), r"\end{equation*}", ""]
            elif kind == "verdict":
                lines += [f"\\subsection*{{{self._verdict_heading(index, step, _tex_inline)}}}", ""]
                lines += [step.verdict.to_latex(), ""]
            elif kind == "table":
                tables += 1
                lines += _tex_table(step, tables)
            elif kind == "figure":
                figures += 1
                caption = f" {_tex_inline(step.caption)}" if step.caption is not None else ""
                lines += [
                    r"\begin{center}",
                    f"\\includegraphics[width=0.8\\linewidth]{{{step.name}.png}}\\par",
                    f"\\textbf{{Figure {figures}.}}{caption}",
                    r"\end{center}",
                    "",
                ]
            elif kind == "correction":
                lines += _tex_correction(step)
        lines += self._tex_summary()
        lines.append(r"\end{document}")
        return "\n".join(lines) + "\n"

    def _tex_summary(self):
        rows = self._summary_rows()
        if not rows:
            return []
        lines = [
            r"\subsection*{Summary}",
            "",
            r"\noindent\begin{tabular}{rp{0.45\linewidth}ll}",
            r"\toprule",
            r"\# & verdict & result & method \\",
            r"\midrule",
        ]
        for number, (shown, main, result, method, is_label) in enumerate(rows, 1):
            shown = _tex_inline(shown) if is_label else _tex_escape(shown)
            lines.append(f"{number} & {shown}{' (main)' if main else ''} & {result} & {method} \\\\")
        return lines + [r"\bottomrule", r"\end{tabular}", ""]

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
                heading = self._verdict_heading(index, step, _html_inline)
                body.append(_html_verdict(step.verdict, heading, f"step-{index + 1}"))
            elif kind == "table":
                tables += 1
                body.append(_html_table(step, tables))
            elif kind == "figure":
                figures += 1
                body.append(_html_figure(step, figures))
            elif kind == "correction":
                body.append(_html_correction(step, f"step-{index + 1}"))
        body += self._html_summary()
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

    def _html_summary(self):
        rows = self._summary_rows()
        if not rows:
            return []
        lines = [
            '<section class="summary">',
            "<h2>Summary</h2>",
            "<table>",
            "<thead><tr><th>#</th><th>verdict</th><th>result</th><th>method</th></tr></thead>",
            "<tbody>",
        ]
        for number, (shown, main, result, method, is_label) in enumerate(rows, 1):
            shown = _html_inline(shown) if is_label else html.escape(shown)
            lines.append(
                f"<tr><td>{number}</td><td>{shown}{' (main)' if main else ''}</td>"
                f'<td class="{result.split()[0]}">{result}</td><td>{method}</td></tr>'
            )
        return lines + ["</tbody>", "</table>", "</section>"]

    # ---------------------------------------------------------------- JSON --

    def _data(self):
        steps = []
        for index, step in enumerate(self._steps):
            kind = step.kind
            if kind == "text":
                entry = {"text": step.text}
            elif kind == "math":
                entry = {"latex": sympy.latex(step.expr), "sympy": str(step.expr), "label": step.label}
            elif kind == "verdict":
                entry = {"label": step.label, "main": index == self._main, "verdict": step.verdict.to_dict()}
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
            else:
                entry = {
                    "paper": step.paper,
                    "corrected": step.corrected,
                    "check": None if step.check is None else step.check.to_dict(),
                }
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
        >>> from symequiv.report import Derivation
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
        >>> from symequiv.report import Derivation
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


def _plain(text):
    """Prose with the inline math markers removed, for a <title>."""
    return "".join(piece for _, piece in _segments(text))


_MD_SPECIAL = set("\\`*_[]<>|$#~&")


def _md_escape(text, table=False):
    escaped = "".join("\\" + c if c in _MD_SPECIAL else c for c in text)
    # Line starts that Markdown reads as lists, quotes, headings or rules.
    escaped = re.sub(r"(?m)^(\s*)([-+>=])", r"\1\\\2", escaped)
    escaped = re.sub(r"(?m)^(\s*\d+)([.)])", r"\1\\\2", escaped)
    return escaped.replace("\n", " ") if table else escaped


def _md_math(latex, table=False):
    if table:
        # A '|' ends a pipe-table cell, even inside math.
        latex = latex.replace("\\|", "\\Vert ").replace("|", "\\vert ").replace("\n", " ")
    return f"${latex}$"


def _md_inline(text, table=False):
    return "".join(
        _md_escape(piece, table) if kind == "text" else _md_math(piece, table) for kind, piece in _segments(text)
    )


def _md_alt(text):
    return re.sub(r"\s+", " ", _plain(text)).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _md_cell(cell, digits):
    if isinstance(cell, str):
        return _md_inline(cell, table=True) if cell.strip() else " "
    if isinstance(cell, (mpmath.mpf, mpmath.mpc)):
        return _mp_text(cell, digits)
    return _md_math(_latex_number(cell, digits), table=True)


def _md_table(step):
    lines = ["| " + " | ".join(_md_inline(h, table=True) for h in step.header) + " |"]
    lines.append("|" + "|".join(":---" for _ in step.header) + "|")
    for row in step.rows:
        lines.append("| " + " | ".join(_md_cell(cell, step.digits) for cell in row) + " |")
    return "\n".join(lines)


def _md_correction(step):
    parts = ["**Correction.**", f"**The paper says:** {_md_inline(step.paper)}",
             f"**Corrected:** {_md_inline(step.corrected)}"]
    if step.check is not None:
        parts += ["**Check:**", step.check.to_markdown()]
    text = "\n\n".join(parts)
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def _tex_escape(text):
    return latex_escape(text)  # the same escaping as the verdicts' LaTeX


def _tex_inline(text):
    return "".join(_tex_escape(piece) if kind == "text" else f"${piece}$" for kind, piece in _segments(text))


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
        return _mp_text(cell, digits)
    return sympy.latex(cell)


def _tex_cell(cell, digits):
    if isinstance(cell, str):
        return _tex_inline(cell) if cell.strip() else ""
    return f"${_latex_number(cell, digits)}$"


def _tex_table(step, number):
    caption = f" {_tex_inline(step.caption)}" if step.caption is not None else ""
    lines = [
        r"\begin{center}",
        f"\\textbf{{Table {number}.}}{caption}\\par\\smallskip",
        # Shrunk to the line width only when wider (\width is the tabular's natural width).
        r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{%",
        f"\\begin{{tabular}}{{{'l' * len(step.header)}}}",
        r"\toprule",
        " & ".join(_tex_inline(h) for h in step.header) + r" \\",
        r"\midrule",
    ]
    lines += [" & ".join(_tex_cell(cell, step.digits) for cell in row) + r" \\" for row in step.rows]
    return lines + [r"\bottomrule", r"\end{tabular}}", r"\end{center}", ""]


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
        lines += ["", r"\textbf{Check:}", "", step.check.to_latex()]
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


# ---------------------------------------------------------------- MathML --


class _MathMLPrinter(MathMLPresentationPrinter):
    """sympy's presentation printer, with Piecewise as a brace of cases."""

    def _print_Piecewise(self, expr):
        row = self.dom.createElement("mrow")
        brace = self.dom.createElement("mo")
        brace.appendChild(self.dom.createTextNode("{"))
        row.appendChild(brace)
        table = self.dom.createElement("mtable")
        table.setAttribute("columnalign", "left left")
        for value, condition in expr.args:
            line = self.dom.createElement("mtr")
            first, second = self.dom.createElement("mtd"), self.dom.createElement("mtd")
            first.appendChild(self._print(value))
            words = self.dom.createElement("mtext")
            if condition is sympy.true:
                words.appendChild(self.dom.createTextNode("otherwise"))
                second.appendChild(words)
            else:
                words.appendChild(self.dom.createTextNode("if\u00a0"))
                second.appendChild(words)
                second.appendChild(self._print(condition))
            line.appendChild(first)
            line.appendChild(second)
            table.appendChild(line)
        row.appendChild(table)
        return row


# sympy writes some characters as entity references in text nodes (&#x2264;, &dd;).
_ENTITIES_ONLY = re.compile(r"(?:&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);)+")
_TAG = re.compile(r"[a-z][a-z0-9]*")


def _serialize(node, out):
    """Write a minidom node as escaped markup (sympy's own writer leaves text unescaped)."""
    if node.nodeType == node.TEXT_NODE:
        data = node.data
        if _ENTITIES_ONLY.fullmatch(data):
            data = html.unescape(data)
        out.append(html.escape(data, quote=False))
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
    out.append(f"<{tag}{attributes}>")
    for child in node.childNodes:
        _serialize(child, out)
    out.append(f"</{tag}>")


def _mathml(expr):
    out = []
    _serialize(_MathMLPrinter()._print(expr), out)
    return "".join(out)


def _mathml_block(expr):
    return f'<math xmlns="{_MATHML_NS}" display="block">{_mathml(expr)}</math>'


def _mathml_inline_expr(expr):
    return f'<math xmlns="{_MATHML_NS}">{_mathml(expr)}</math>'


# --------------------------------------------------- inline LaTeX -> MathML --
# A small reader for the simple LaTeX people write in prose. It never
# evaluates anything; what it does not know is shown as source text.

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "infty": "∞", "partial": "∂", "nabla": "∇", "ell": "ℓ", "hbar": "ℏ", "emptyset": "∅",
}
_OPERATORS = {
    "cdot": "⋅", "times": "×", "div": "÷", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠",
    "neq": "≠", "pm": "±", "mp": "∓", "approx": "≈", "equiv": "≡", "sim": "∼", "propto": "∝", "ll": "≪",
    "gg": "≫", "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩",
    "setminus": "∖", "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "iff": "⇔",
    "mapsto": "↦", "sum": "∑", "prod": "∏", "int": "∫", "circ": "∘", "star": "⋆", "ast": "∗",
    "ldots": "…", "cdots": "⋯", "dots": "…", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉",
    "langle": "⟨", "rangle": "⟩", "vert": "|", "lvert": "|", "rvert": "|", "Vert": "‖", "mid": "∣",
    "forall": "∀", "exists": "∃", "neg": "¬", "land": "∧", "lor": "∨", "wedge": "∧", "vee": "∨",
}
_FUNCTION_NAMES = {
    "sin", "cos", "tan", "exp", "log", "ln", "max", "min", "sup", "inf", "lim", "arg", "det", "sinh",
    "cosh", "tanh", "arcsin", "arccos", "arctan", "sgn", "deg", "dim", "ker",
}
_IGNORED = {"left", "right", "displaystyle", "big", "Big", "bigl", "bigr", "Bigl", "Bigr", "bigg", "Bigg"}
_SPACES = {",", ";", ":", "!", " ", "quad", "qquad"}
_FONTS = {
    "mathrm": "normal", "operatorname": "normal", "mathbf": "bold", "mathit": "italic",
    "mathbb": "double-struck", "mathcal": "script", "mathsf": "sans-serif",
}
_ACCENTS = {"hat": "^", "bar": "¯", "tilde": "~", "vec": "→", "dot": "˙", "overline": "¯"}
_ESCAPED = set("{}|$%#&_")
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|\s+|.", re.DOTALL)
_MAX_DEPTH = 40


class _Unreadable(Exception):
    """The inline LaTeX uses something the reader does not know."""


class _InlineReader:
    def __init__(self, latex):
        self.tokens = [t for t in _TOKEN.findall(latex) if not t.isspace()]
        self.position = 0
        self.depth = 0

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self):
        token = self.peek()
        if token is None:
            raise _Unreadable("unexpected end")
        self.position += 1
        return token

    def sequence(self, closing=None):
        items = []
        while True:
            token = self.peek()
            if token is None:
                if closing is not None:
                    raise _Unreadable("missing }")
                return items
            if token == "}":
                if closing is None:
                    raise _Unreadable("unmatched }")
                self.position += 1
                return items
            item = self.scripted()
            if item is not None:
                items.append(item)

    def group(self, items):
        return items[0] if len(items) == 1 else "<mrow>" + "".join(items) + "</mrow>"

    def scripted(self):
        token = self.peek()
        base = "<mrow></mrow>" if token in ("^", "_") else self.atom()
        if base is None:
            return None
        scripts = {}
        while self.peek() in ("^", "_") and self.peek() not in scripts:
            which = self.take()
            argument = self.argument()
            scripts[which] = argument
        if "_" in scripts and "^" in scripts:
            return f"<msubsup>{base}{scripts['_']}{scripts['^']}</msubsup>"
        if "_" in scripts:
            return f"<msub>{base}{scripts['_']}</msub>"
        if "^" in scripts:
            return f"<msup>{base}{scripts['^']}</msup>"
        return base

    def argument(self):
        """One required argument: a braced group or a single atom."""
        while True:
            item = self.atom()
            if item is not None:
                return item

    def braced_raw(self):
        """The raw text of a braced group without nested braces (for \\text{...})."""
        if self.take() != "{":
            raise _Unreadable("expected {")
        parts = []
        while True:
            token = self.take()
            if token == "}":
                return "".join(parts)
            if token == "{":
                raise _Unreadable("nested braces in text")
            parts.append(token[1:] if token.startswith("\\") and len(token) == 2 else token)

    def atom(self):
        """One atom as MathML, or None for something that shows nothing (a space)."""
        token = self.take()
        if token == "{":
            self.depth += 1
            if self.depth > _MAX_DEPTH:
                raise _Unreadable("too deep")
            items = self.sequence(closing="}")
            self.depth -= 1
            return self.group(items) if items else "<mrow></mrow>"
        if token[0].isdigit():
            return f"<mn>{token}</mn>"
        if token.startswith("\\"):
            return self.command(token[1:])
        if token.isalpha():
            return f"<mi>{html.escape(token)}</mi>"
        if token in "+-=<>()[]|,./:;!'*?":
            shown = {"-": "−", "'": "′", "*": "∗"}.get(token, token)
            return f"<mo>{html.escape(shown)}</mo>"
        if token == "~":
            return None
        raise _Unreadable(token)

    def command(self, name):
        if name in _GREEK:
            return f"<mi>{_GREEK[name]}</mi>"
        if name in _OPERATORS:
            return f"<mo>{_OPERATORS[name]}</mo>"
        if name in _FUNCTION_NAMES:
            return f"<mi>{name}</mi>"
        if name in _SPACES:
            return None
        if name in _ESCAPED:
            return f"<mo>{html.escape({'|': '‖'}.get(name, name))}</mo>"
        if name in _IGNORED:
            if name in ("left", "right") and self.peek() == ".":
                self.position += 1
            return None
        if name in ("frac", "dfrac", "tfrac"):
            return f"<mfrac>{self.argument()}{self.argument()}</mfrac>"
        if name == "sqrt":
            if self.peek() == "[":
                raise _Unreadable("root with an index")
            return f"<msqrt>{self.argument()}</msqrt>"
        if name in _ACCENTS:
            return f'<mover accent="true">{self.argument()}<mo>{_ACCENTS[name]}</mo></mover>'
        if name in ("text", "textrm", "mbox"):
            return f"<mtext>{html.escape(self.braced_raw())}</mtext>"
        if name in _FONTS:
            inner = self.braced_raw()
            if not re.fullmatch(r"[A-Za-z0-9]+", inner):
                raise _Unreadable("font command on something other than letters")
            return f'<mi mathvariant="{_FONTS[name]}">{inner}</mi>'
        raise _Unreadable(name)


def _inline_latex_mathml(latex):
    """Simple inline LaTeX as MathML; anything else as its source in <mtext>."""
    try:
        reader = _InlineReader(latex)
        inner = reader.group(reader.sequence()) if reader.tokens else ""
    except _Unreadable:
        inner = f"<mtext>{html.escape(latex, quote=False)}</mtext>"
    return f'<math xmlns="{_MATHML_NS}">{inner}</math>'


def _html_inline(text):
    return "".join(
        html.escape(piece, quote=False) if kind == "text" else _inline_latex_mathml(piece)
        for kind, piece in _segments(text)
    )


# ---------------------------------------------------------- HTML pieces --


def _ranges(cells):
    """``0..3, 5`` for cell indices."""
    if not cells:
        return "none"
    parts, start = [], 0
    for i in range(1, len(cells) + 1):
        if i == len(cells) or cells[i] != cells[i - 1] + 1:
            first, last = cells[start], cells[i - 1]
            parts.append(str(first) if first == last else f"{first}..{last}")
            start = i
    return ", ".join(parts)


def _approximately(value, digits=6):
    """An exact sympy number to ``digits`` digits, or None when it is an integer or not a number."""
    if value.is_Integer:
        return None
    approximation = value.evalf(digits + 10)
    if not approximation.is_Float:
        return None
    return mpmath.libmp.to_str(approximation._mpf_, digits)


def _html_exact(value):
    shown = _mathml_inline_expr(value)
    approximation = _approximately(value)
    return shown if approximation is None else f"{shown} ≈ {approximation}"


def _html_verdict(verdict, heading, anchor, level=2):
    written = verdict.to_dict()
    result = _WORD[verdict.holds]
    how = {True: "proved", False: "certified", None: "not proved"}[verdict.holds]
    fields = [
        ("Claim", html.escape(verdict.claim)),
        ("Verdict", f'<strong class="{result}">{result}</strong> ({how})'),
        ("Method", html.escape(_HOW[verdict.method])),
        ("Precision", "exact" if verdict.dps is None else f"{verdict.dps} digits"),
    ]
    if verdict.shift is not None:
        fields.append(("Shift", _mathml_inline_expr(sympy.Eq(sympy.Symbol("d"), verdict.shift, evaluate=False))))
    fields.append(("Compared cells", f"{_ranges(verdict.cells)} ({len(verdict.cells)})"))
    boundary = _ranges(verdict.boundary_cells)
    fields.append(("Boundary cells", f"{boundary} (left out: boundary data affects them)" if verdict.boundary_cells else boundary))
    if written["bound"] is not None:
        fields.append(("Bound", f"|lhs − rhs| ≤ {html.escape(written['bound'])} on every compared cell, "
                                "numerically (not proved)"))
    certificate = verdict.certificate
    if certificate is not None:
        cell = certificate["cell"]
        if certificate["kind"] == "exact":
            words = f"the residual of cell {cell} is exactly {_mathml_inline_expr(certificate['value'])}, which is nonzero"
        else:
            value = _mp_text(certificate["value"], 6)
            radius = html.escape(written["certificate"]["radius"])
            words = (f"the residual of cell {cell} is {value} (to 6 digits), enclosed in a ball of radius at most "
                     f"{radius} that excludes 0")
        fields.append(("Certificate", words))
    lines = [f'<section class="verdict {result}" id="{anchor}">', f"<h{level}>{heading}</h{level}>", "<dl>"]
    lines += [f"<dt>{name}</dt><dd>{value}</dd>" for name, value in fields]
    lines.append("</dl>")
    if verdict.cells:
        lines += [
            '<table class="residuals">',
            "<caption>Residual (lhs − rhs) per compared cell</caption>",
            "<thead><tr><th>cell</th><th>residual</th><th>error bound</th></tr></thead>",
            "<tbody>",
        ]
        shown = min(len(verdict.cells), MAX_TABLE_ROWS)
        for i in range(shown):
            residual, entry = verdict.residual[i], written["residual"][i]
            if "exact" in entry:
                value, error = _html_exact(residual), "exact"
            else:
                value = _mp_text(residual, 6)
                error = "unknown" if entry["error"] is None else f"≤ {html.escape(entry['error'])}"
            lines.append(f"<tr><td>{verdict.cells[i]}</td><td>{value}</td><td>{error}</td></tr>")
        lines += ["</tbody>", "</table>"]
        more = len(verdict.cells) - shown
        if more:
            lines.append(f"<p>… and {more} more cell{'s' if more > 1 else ''} not shown; largest |r| "
                         f"{_mp_text(verdict.max_residual, 6)} in cell {verdict.worst_cell}.</p>")
    else:
        lines.append("<p>No cells were compared.</p>")
    if verdict.notes:
        lines.append('<ul class="notes">')
        lines += [f"<li>{html.escape(note)}</li>" for note in verdict.notes]
        lines.append("</ul>")
    lines.append("</section>")
    return "\n".join(lines)


def _html_cell(cell, digits):
    if isinstance(cell, str):
        return _html_inline(cell) if cell.strip() else ""
    if isinstance(cell, (mpmath.mpf, mpmath.mpc)):
        return html.escape(_mp_text(cell, digits))
    if isinstance(cell, _Vector):
        entries = "<mo>,</mo>".join(
            f"<mn>{html.escape(_mp_text(v, digits))}</mn>" if isinstance(v, (mpmath.mpf, mpmath.mpc)) else _mathml(v)
            for v in cell
        )
        return f'<math xmlns="{_MATHML_NS}"><mrow><mo>[</mo>{entries}<mo>]</mo></mrow></math>'
    return _mathml_inline_expr(cell)


def _html_table(step, number):
    caption = f" {_html_inline(step.caption)}" if step.caption is not None else ""
    lines = ["<table>", f"<caption><strong>Table {number}.</strong>{caption}</caption>", "<thead><tr>"]
    lines += [f"<th>{_html_inline(h)}</th>" for h in step.header]
    lines += ["</tr></thead>", "<tbody>"]
    for row in step.rows:
        lines.append("<tr>" + "".join(f"<td>{_html_cell(cell, step.digits)}</td>" for cell in row) + "</tr>")
    return "\n".join(lines + ["</tbody>", "</table>"])


def _html_figure(step, number):
    if step.svg is not None:
        image = _svg_for_html(step.svg)
    else:
        data = base64.b64encode(step.png).decode("ascii")
        alt = html.escape(_plain(step.caption) if step.caption is not None else step.name)
        image = f'<img src="data:image/png;base64,{data}" alt="{alt}">'
    caption = f" {_html_inline(step.caption)}" if step.caption is not None else ""
    return f'<figure id="figure-{step.name}">\n{image}\n<figcaption><strong>Figure {number}.</strong>{caption}</figcaption>\n</figure>'


def _html_correction(step, anchor):
    lines = [
        f'<section class="correction" id="{anchor}">',
        "<h2>Correction</h2>",
        f"<p><strong>The paper says:</strong> {_html_inline(step.paper)}</p>",
        f"<p><strong>Corrected:</strong> {_html_inline(step.corrected)}</p>",
    ]
    if step.check is not None:
        lines.append(_html_verdict(step.check, "Check", f"{anchor}-check", level=3))
    lines.append("</section>")
    return "\n".join(lines)


_CSS = (
    "body{font-family:Georgia,serif;line-height:1.5;margin:0;color:#111;background:#fff}"
    "main{max-width:52rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse;margin:1rem 0}"
    "th,td{border:1px solid #bbb;padding:.25rem .6rem;text-align:left;vertical-align:top}"
    "caption{text-align:left;padding:.25rem 0}"
    "dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}"
    "dt{font-weight:bold}dd{margin:0}"
    ".verdict,.correction{border-left:4px solid #888;padding:.1rem 1rem;margin:1.5rem 0}"
    ".verdict.holds{border-color:#2a7}.verdict.fails{border-color:#c33}.verdict.undecided{border-color:#d90}"
    ".correction{background:#fff8e6;border-color:#d90}"
    "strong.holds,td.holds{color:#175}strong.fails,td.fails{color:#a11}strong.undecided,td.undecided{color:#850}"
    "figure{margin:1rem 0}figure svg,figure img{max-width:100%;height:auto}"
    ".equation{overflow-x:auto}"
)
