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
math between dollar signs, ``$\delta = dx/2$`` (:mod:`symequiv.output.prose`);
write ``\$`` for a literal dollar sign. Plain text is escaped in every format,
and a space after an abbreviation such as "eq." (or in "Figure 2") does not
break a line. Inline math is kept as LaTeX in Markdown and LaTeX. In HTML,
one reader (:mod:`symequiv.output.latex_mathml`) turns every piece of math
into presentation MathML, the LaTeX that sympy's printer writes (display
equations, table cells, verdict values: cases, matrices, integrals, sums,
fences, function names) and the LaTeX people write in prose alike; it never
evaluates anything, and what it does not know is shown as its source in
``<mtext>``. sympy objects are printed in the paper's notation
(:mod:`symequiv.output.notation`): the step with H(0) = 0 is H(x), and a
symbol whose name is LaTeX (``Symbol("\\Delta x")``) is typeset as that LaTeX.

Verdicts
--------
A verdict is rendered in every format from one description
(:mod:`symequiv.output.report_verdict`): its claim (or the ``statement``
given with it, typeset), what it found ("holds (proved)", "fails
(certified)", "numerically unequal (not certified)" for a black box far above
its tolerance, ...), the method, the precision ("exact" for a symbolic proof:
a proof has no precision), the shift, the cells, the bound or certificate, a
residual table and the notes.

Formats
-------
Each format is written by its own module
(:mod:`symequiv.output.report_markdown`, :mod:`symequiv.output.report_latex`,
:mod:`symequiv.output.report_html`); this one holds the derivation, the
checks of what goes into it, its JSON and the writing of its files.

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

import hashlib
import json
import os
import re
import secrets
from collections.abc import Mapping, Sequence

import mpmath
import sympy
from sympy.matrices import MatrixBase

from ..errors import InvalidArgument, InvalidType, short_repr
from ..judge.verdict import Verdict
from .notation import mp_text, sympy_latex
from .prose import literal, paragraphs, segments
from .report_html import html_report, svg_for_html
from .report_latex import latex_report
from .report_markdown import markdown_report
from .report_verdict import MAX_TABLE_ROWS, outcome_words  # noqa: F401 - MAX_TABLE_ROWS stays importable here
from .steps import TABLE_DIGITS, Step, Vector

__all__ = ["Derivation", "outcome_words"]

#: The formats :meth:`Derivation.write` knows; each is also its file's extension.
FORMATS = ("md", "tex", "html", "json")
_NAME = re.compile(r"[A-Za-z0-9_-]+")
_MAX_NAME = 100
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PDF_SIGNATURE = b"%PDF-"
_JSON_FORMAT = "symequiv-derivation"
_JSON_VERSION = 1


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
    for paragraph in paragraphs(value):
        segments(paragraph, what)
    return " ".join(value.split()) if one_line else value


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
        return Vector(_check_number(v, f"{where}[{i}]") for i, v in enumerate(value))
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
            svg_for_html(svg)  # refuse now what the HTML report could not inline
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
            shown = label if label is not None else statement if statement is not None else literal(verdict.claim)
            rows.append((str(number), shown + (" (main)" if main else ""), outcome_words(verdict),
                         verdict.method))
        if not rows:
            return None
        return Step("table", header=("#", "verdict", "result", "method"), rows=tuple(rows), caption=None,
                    digits=TABLE_DIGITS)

    # ------------------------------------------------------------- formats --

    def _contents(self):
        """What every format writes: title, claim, steps, the main verdict's step index and the summary table."""
        return self._title, self._claim, tuple(self._steps), self._main, self._summary_step()

    def to_markdown(self):
        """The report as Markdown (figures as ``![caption](NAME.png)``)."""
        return markdown_report(*self._contents())

    def to_latex(self):
        r"""The report as a complete LaTeX document for pdflatex (vector fonts; figures as PDF where given)."""
        return latex_report(*self._contents())

    def to_html(self):
        """The report as one self-contained HTML5 page: MathML, inline figures, no network."""
        return html_report(*self._contents())

    # ---------------------------------------------------------------- JSON --

    def _data(self):
        steps = []
        for index, step in enumerate(self._steps):
            kind = step.kind
            if kind == "text":
                entry = {"text": step.text}
            elif kind == "math":
                entry = {"latex": sympy_latex(step.expr), "sympy": str(step.expr), "label": step.label}
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


def _cell_string(cell, digits):
    """A table cell as the JSON report writes it: prose as it is, numbers as text."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Vector):
        return "[" + ", ".join(_cell_string(v, digits) for v in cell) + "]"
    if isinstance(cell, (mpmath.mpf, mpmath.mpc)):
        return mp_text(cell, digits)
    return str(cell)
