"""A derivation as one self-contained HTML page: MathML, inline figures, no network.

Math is presentation MathML (which Chromium renders natively), read from the
LaTeX every format writes by :mod:`symequiv.output.latex_mathml`; what that
reader does not know falls back to sympy's MathML printer (display math) or
is shown as its source (prose). Figures are inline SVG (when given; checked
to be static by :func:`svg_for_html`) or a ``data:`` PNG; a small inline
style and a Content-Security-Policy that forbids every fetch and script.
"""

import base64
import html
import re
import xml.etree.ElementTree as ElementTree

import sympy

from ..errors import InvalidArgument, InvalidType, short_repr
from ..judge.mathtext import math_element, mathml_of
from .latex_mathml import Unreadable, inline_mathml, latex_mathml
from .notation import latex_number, sympy_latex
from .prose import paragraphs, plain, segments, unbreakable
from .report_verdict import verdict_heading, verdict_parts
from .steps import numbered

__all__ = ["html_report", "svg_for_html"]


def html_report(title, claim, steps, main, summary):
    """A derivation as one self-contained HTML5 page: MathML, inline figures, no network.

    The arguments are those of :func:`~symequiv.output.report_markdown.markdown_report`.
    """
    body = [f"<h1>{_html_inline(title)}</h1>"]
    if claim is not None:
        body.append(f'<p class="claim"><strong>Claim.</strong> {_html_inline(claim)}</p>')
    for index, step, number in numbered(steps):
        kind = step.kind
        if kind == "text":
            body.extend(f"<p>{_html_inline(p)}</p>" for p in paragraphs(step.text))
        elif kind == "math":
            if step.label is not None:
                body.append(f'<p class="label"><em>{_html_inline(step.label)}:</em></p>')
            body.append(f'<div class="equation">{_mathml_block(step.expr)}</div>')
        elif kind == "verdict":
            heading = _html_inline(verdict_heading(step.label, index == main))
            body.append(_html_verdict(step.verdict, heading, f"step-{index + 1}", statement=step.statement))
        elif kind == "table":
            body.append(_html_table(step, f'<span class="nb">Table {number}.</span>'))
        elif kind == "figure":
            body.append(_html_figure(step, number))
        elif kind == "correction":
            body.append(_html_correction(step, f"step-{index + 1}"))
    if summary is not None:
        body += ['<section class="summary">', "<h2>Summary</h2>", _html_table(summary, None), "</section>"]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "img-src data:; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="symequiv">',
        f"<title>{html.escape(plain(title))}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        *body,
        "</main>",
        "</body>",
        "</html>",
    ]) + "\n"


def _math_element(latex, fallback=None, display=False):
    """LaTeX math as a <math> element; when the reader does not know it, sympy's MathML for ``fallback``."""
    try:
        inner = latex_mathml(latex, display=display)
    except Unreadable:
        if fallback is None or not isinstance(fallback, sympy.Basic):
            inner = f"<mtext>{html.escape(latex, quote=False)}</mtext>"
        else:
            inner = mathml_of(fallback)  # as verdicts render it: H(x), cases, true minus signs
    return math_element(inner, block=display)


def _mathml_block(expr):
    """A display equation: sympy's LaTeX read into MathML (sympy's MathML where the reader gives up)."""
    return _math_element(sympy_latex(expr), fallback=expr, display=True)


def _html_text(text):
    """Plain text as HTML; words joined by an unbreakable space are kept on one line by a span.

    (A no-break space character would do, but many fonts draw it wider than a space.)
    """
    escaped = html.escape(unbreakable(text), quote=False)
    return re.sub("([^\\s\u00a0<>]+)\u00a0([^\\s\u00a0<>]+)", r'<span class="nb">\1 \2</span>', escaped)


def _html_inline(text):
    return "".join(
        _html_text(piece) if kind == "text" else inline_mathml(piece) for kind, piece in segments(text)
    )


def _html_verdict(verdict, heading, anchor, level=2, statement=None):
    parts = verdict_parts(verdict, statement)
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
    return _math_element(latex_number(cell, digits), fallback=cell)


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
        image = svg_for_html(step.svg)
    else:
        data = base64.b64encode(step.png).decode("ascii")
        alt = html.escape(plain(step.caption) if step.caption is not None else step.name)
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


# ------------------------------------------------------------- inline SVG --

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
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


def svg_for_html(svg):
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
