"""Renderings of verdicts, witnesses and sweeps: text, Markdown, LaTeX and HTML.

A :class:`~symequiv.judge.verdict.Verdict` holds data and obeys the rules; this
module says it in words and typesets it. Every rendering starts with the same
headline, which says what was found and how many cells it covers:

>>> import sympy
>>> from symequiv.judge.verdict import Verdict
>>> v = Verdict("D[f(x - d)] = g(D[f], d) for D = CellAverage(Grid(-1, 1, 8)), f = Heaviside(x, 0), d = 1/8",
...             True, "symbolic", [0] * 5, cells=(1, 2, 3, 4, 5), boundary_cells=(0, 6, 7), total_cells=8)
>>> headline(v)
'holds (proved) on 5 of 8 cells; cells 0, 6..7 reached by the boundary were left out'

Claims are typeset as mathematics, not shown as Python text: the statement
(``D[f(x - d)] = g(D[f], d)``) with its letters and brackets, and each
``name = value`` after ``for``: exact numbers and signals through sympy's
printers (``H(x)`` for the paper's Heaviside with H(0) = 0, ``H_c(x)`` when
H(0) = c), constructor reprs such as ``Sequential(Conv([2, -2], origin=1),
ReLU())`` as ``ReLU ∘ Conv([2, -2], origin = 1)`` (read with :mod:`ast`,
never evaluated; ``S(1)/4`` and ``'1/4'`` are the exact 1/4). A claim in
another form (a witness's) is set as prose, its formulas typeset.

>>> print(claim_latex(v.claim))
$D[f(x-d)] = g(D[f], d)$ for $D = \\mathrm{CellAverage}(\\mathrm{Grid}(-1,\\allowbreak 1,\\allowbreak 8))$, \
$f = H\\left(x\\right)$, $d = \\frac{1}{8}$

HTML uses MathML (no script needed, so it reads in a browser, a notebook
and a saved page alike); LaTeX is for documents and for notebooks
(``_repr_latex_``, MathJax).
"""

import ast
import base64
import html
import re

import sympy
from sympy.printing.mathml import MathMLPresentationPrinter

from ..numeric.decimals import approximate, is_exact, nstr, upper_text
from ..errors import InvalidArgument, InvalidType, SymequivError, short_repr
from ..numeric.parsing import parse_expression
from ..continuous.signal import signal_latex
from ..continuous.symbols import x

__all__ = [
    "claim_latex", "claim_markdown", "headline", "latex_escape", "sweep_html", "verdict_html", "verdict_latex",
    "verdict_markdown", "verdict_repr_latex", "verdict_text", "witness_html",
]

#: Rows of the residual table in Markdown, LaTeX and HTML before the rest is summarized.
MAX_TABLE_ROWS = 24
#: Rows of a sweep's HTML table before the rest is summarized.
MAX_SWEEP_ROWS = 60
# Significant digits of numbers shown in reports (JSON keeps dps digits).
SHOWN_DIGITS = 6
# Exact values longer than this (as text) are shown by their decimal value only.
_LONGEST_EXACT = 160
# Longest claim part typeset as mathematics; longer ones are set as text.
_LONGEST_MATH = 2000
# Longest prose searched for formulas (a claim not of the checker's form).
_LONGEST_PROSE = 1000
_DEFAULT_DPS = 50
# Characters per line of a claim set as text in _repr_latex_.
_TEXT_LINE = 64
_MATHML_NS = "http://www.w3.org/1998/Math/MathML"

_HOW = {
    "symbolic": "symbolic (exact sympy arithmetic)",
    "interval": "interval (ball arithmetic with rigorous radii)",
    "numeric": "numeric (high-precision evaluation, not a proof)",
}
_COLORS = {"holds": "#175", "fails": "#a11", "unequal": "#a11", "equal": "#175", "undecided": "#850"}


# ---------------------------------------------------------------- numbers --


def _dps(verdict):
    return verdict.dps or _DEFAULT_DPS


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


def _mml_decimal(value, digits=SHOWN_DIGITS, up=False):
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


def _exact_is_short(value):
    return len(str(value)) <= _LONGEST_EXACT


def _residual_in(value, dps, decimal_of, exact_of, approx, both):
    """A residual in one notation: its decimal, or the exact value with its decimal when that is short."""
    if not is_exact(value):
        return decimal_of(value)
    if value.is_Integer:
        return exact_of(value)
    shown = decimal_of(approximate(value, dps))
    return both(exact_of(value), shown) if _exact_is_short(value) else approx(shown)


def _latex_residual(value, dps):
    return _residual_in(
        value, dps, latex_decimal, lambda v: sympy.latex(v) if v.is_Integer else latex_of(v),
        lambda shown: f"\\approx {shown}", lambda exact, shown: f"{exact} \\approx {shown}",
    )


def _mml_residual(value, dps):
    return _residual_in(
        value, dps, _mml_decimal, mathml_of,
        lambda shown: f"<mrow><mo>&#x2248;</mo>{shown}</mrow>",
        lambda exact, shown: f"<mrow>{exact}<mo>&#x2248;</mo>{shown}</mrow>",
    )


def _text_residual(value, dps):
    if not is_exact(value):
        return decimal(value)
    if value.is_Rational:
        return str(value)
    shown = decimal(approximate(value, dps))
    return f"{shown} (exactly {value})" if _exact_is_short(value) else f"{shown} (exact)"


# ----------------------------------------------------------------- ranges --


def ranges(cells):
    """``0..3, 5, 7..9`` for a tuple of cell indices (in the given order)."""
    if not cells:
        return "none"
    parts, start, previous = [], cells[0], cells[0]
    for cell in tuple(cells[1:]) + (None,):
        if cell is not None and cell == previous + 1:
            previous = cell
            continue
        parts.append(str(start) if start == previous else f"{start}..{previous}")
        if cell is not None:
            start = previous = cell
    return ", ".join(parts)


def _cells_words(cells):
    return f"cell {cells[0]}" if len(cells) == 1 else f"cells {ranges(cells)}"


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


def _h(text):
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


def _math(content, block=False):
    display = ' display="block"' if block else ""
    return f'<math xmlns="{_MATHML_NS}"{display}>{content}</math>'


# ------------------------------------------------------ math of claim text --
# A piece of mathematics in both notations: (LaTeX, MathML content).


def _ident(name):
    if name == "dx":
        return "\\Delta x", "<mi>&#x394;</mi><mi>x</mi>"
    if len(name) == 1:
        return name, f"<mi>{_h(name)}</mi>"
    return f"\\mathrm{{{latex_escape(name)}}}", f'<mi mathvariant="normal">{_h(name)}</mi>'


def _operator(symbol):
    tex = {"*": "\\,", "=": " = ", ",": ", ", "~": "\\sim ", "#": "\\#", "%": "\\%", "&": "\\&", "$": "\\$",
           "{": "\\{", "}": "\\}", "\\": "\\backslash ", "^": "\\hat{}", "_": "\\_",
           "∘": "\\circ "}.get(symbol, symbol)
    mml = {"*": "&#x2062;", "-": "&#x2212;", "∘": "&#x2218;"}.get(symbol, _h(symbol))
    return tex, f"<mo>{mml}</mo>"


def _text_piece(text):
    return latex_text_in_math(text), f"<mtext>{_h(text)}</mtext>"


def _expr_piece(expr):
    return latex_of(expr), mathml_of(expr)


def _join(pieces, separator=None):
    texs, mmls = [], []
    for i, (tex, mml) in enumerate(pieces):
        if i and separator is not None:
            sep_tex, sep_mml = separator
            texs.append(sep_tex)
            mmls.append(sep_mml)
        texs.append(tex)
        mmls.append(mml)
    return "".join(texs), "<mrow>" + "".join(mmls) + "</mrow>"


def _fenced(opening, inner, closing, stretch=True):
    tall = "<mfrac" in inner[1]
    if stretch and opening == "(":
        tex = f"\\left({inner[0]}\\right)"
    elif tall:  # \bigl( is a delimiter, not a group: the formula may still break inside
        tex = f"\\bigl{opening}{inner[0]}\\bigr{closing}"
    else:
        tex = f"{opening}{inner[0]}{closing}"
    return tex, f"<mrow>{_fence(opening, tall)}{inner[1]}{_fence(closing, tall)}</mrow>"


def _fence(symbol, tall=False):
    # Explicit: a stretchy fence around short content leaves gaps in some browsers' MathML.
    return f'<mo lspace="0em" rspace="0em" stretchy="{"true" if tall else "false"}">{_h(symbol)}</mo>'



# Where a long inline formula may break in a LaTeX document (after the commas of a repr's arguments);
# replaced by \allowbreak there and by nothing elsewhere (MathJax, Markdown).
_BREAK = "\x1e"
_COMMA = (f",{_BREAK} ", "<mo>,</mo>")


def _tex(text, breaks=False):
    return text.replace(_BREAK, "\\allowbreak" if breaks else "")


# The names a signal in a claim may use (y: the second variable of a 2-D scene).
_SIGNAL_NAMES = {"x": x, "y": sympy.Symbol("y", real=True)}


def _exact_of(text):
    """An exact sympy value of a number or signal text in x (and y), or None (read by the safe parser)."""
    try:
        return parse_expression(text, _SIGNAL_NAMES)
    except (SymequivError, RecursionError, ValueError, TypeError):
        return None


def _repr_piece(text):
    """A constructor repr such as ``Conv([2, -2], origin=1)`` as mathematics (read by ast, never run)."""
    if len(text) > _LONGEST_MATH:
        return _text_piece(text)
    try:
        tree = ast.parse(text.strip(), mode="eval").body
        return _ast_piece(tree, text.strip())
    except (SyntaxError, ValueError, RecursionError, MemoryError, _NotMath):
        return _text_piece(text)


class _NotMath(Exception):
    pass


_NUMBER_CALLS = {"S": sympy.Integer, "Integer": sympy.Integer, "Rational": sympy.Rational}
_NUMBER_FUNCTIONS = {"sqrt": sympy.sqrt, "exp": sympy.exp, "log": sympy.log, "sin": sympy.sin, "cos": sympy.cos,
                     "tan": sympy.tan, "atan": sympy.atan}
_NUMBER_NAMES = {"pi": sympy.pi, "E": sympy.E}
_BINARY = {ast.Add: sympy.Add, ast.Sub: lambda a, b: a - b, ast.Mult: sympy.Mul, ast.Div: lambda a, b: a / b}
# Exponents of a number written as code stay small (2**(S(1)/3)); a huge one is shown as text.
_LARGEST_EXPONENT = 64


def _ast_number(node):
    """An exact number written as code (``S(1)/4``, ``Rational(1, 4)``, ``-3``, ``'1/4'``), or None."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return None
        if isinstance(node.value, int):
            return sympy.Integer(node.value)
        if isinstance(node.value, str) and len(node.value) <= _LONGEST_MATH:
            exact = _exact_of(node.value)
            return exact if exact is not None and exact.is_number else None
        return None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _ast_number(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.Name) and node.id in _NUMBER_NAMES:
        return _NUMBER_NAMES[node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        base, exponent = _ast_number(node.left), _ast_number(node.right)
        if base is None or exponent is None or not exponent.is_Rational or abs(exponent) > _LARGEST_EXPONENT:
            return None
        # Unevaluated: nested powers written as code must not be computed (they can be astronomically large).
        return None if base == 0 and exponent < 0 else sympy.Pow(base, exponent, evaluate=False)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _NUMBER_FUNCTIONS
            and len(node.args) == 1 and not node.keywords):
        argument = _ast_number(node.args[0])
        if argument is None or (node.func.id == "log" and not argument.is_positive):
            return None
        return _NUMBER_FUNCTIONS[node.func.id](argument)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _ast_number(node.left), _ast_number(node.right)
        if left is None or right is None or (isinstance(node.op, ast.Div) and right == 0):
            return None
        return _BINARY[type(node.op)](left, right)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _NUMBER_CALLS
            and not node.keywords and 1 <= len(node.args) <= 2):
        arguments = [_ast_number(a) for a in node.args]
        if all(a is not None and a.is_Integer for a in arguments) and not (len(arguments) == 2 and arguments[1] == 0):
            return _NUMBER_CALLS[node.func.id](*arguments) if node.func.id != "S" or len(arguments) == 1 else None
    return None


def _ast_piece(node, source):
    number = _ast_number(node)
    if number is not None:
        return _expr_piece(number)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        arguments = [_ast_piece(a, source) for a in node.args]
        arguments += [_join([_ident(k.arg or "**"), _operator("="), _ast_piece(k.value, source)])
                      for k in node.keywords]
        if name == "Sequential" and arguments and not node.keywords:
            # Applied first to last: the composition reads right to left.
            return _join(arguments[::-1], _operator("∘"))
        if not arguments:
            return _ident(name)
        return _join([_ident(name), _fenced("(", _join(arguments, _COMMA), ")", stretch=False)])
    if isinstance(node, (ast.List, ast.Tuple)):
        opening, closing = ("[", "]") if isinstance(node, ast.List) else ("(", ")")
        return _fenced(opening, _join([_ast_piece(e, source) for e in node.elts], _COMMA), closing, stretch=False)
    if isinstance(node, ast.Name):
        return _ident(node.id)
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, str):
            exact = _exact_of(value) if len(value) <= _LONGEST_MATH else None
            return _expr_piece(exact) if exact is not None else _text_piece(f"“{value}”")
        if isinstance(value, bool) or value is None:
            return _ident(repr(value))
        return _text_piece(repr(value))
    segment = ast.get_source_segment(source, node)
    exact = _exact_of(segment) if segment else None
    if exact is None:
        raise _NotMath(segment)
    return _expr_piece(exact)


_TOKEN = re.compile(
    r"\s+|(?P<word>[A-Za-z]+)(?:_(?P<sub>-?\w+)|\^(?P<sup>\w+))?|(?P<number>\d+(?:/\d+)?)|(?P<other>\S)"
)


def _statement_piece(text):
    """A statement such as ``op(D[f(x - d)]) = S_1(op(D[f]))`` as mathematics."""
    stack, pieces = [], []
    for match in _TOKEN.finditer(text):
        if match["word"]:
            base = _ident(match["word"])
            if match["sub"] or match["sup"]:
                script = match["sub"] or match["sup"]
                tag, mark = ("msub", "_") if match["sub"] else ("msup", "^")
                small = _expr_piece(sympy.Integer(script)) if re.fullmatch(r"-?\d+", script) else _ident(script)
                base = (f"{{{base[0]}}}{mark}{{{small[0]}}}", f"<{tag}><mrow>{base[1]}</mrow>{small[1]}</{tag}>")
            pieces.append(base)
        elif match["number"]:
            pieces.append(_expr_piece(sympy.Rational(match["number"])))
        elif match["other"] in ("(", "["):
            stack.append((match["other"], pieces))
            pieces = []
        elif match["other"] in (")", "]") and stack and _CLOSING[stack[-1][0]] == match["other"]:
            opening, outer = stack.pop()
            outer.append(_fenced(opening, _join(pieces), match["other"], stretch=False))
            pieces = outer
        elif match["other"]:
            pieces.append(_operator(match["other"]))
        # whitespace: math sets its own spacing
    while stack:  # an unclosed bracket: shown as written
        opening, outer = stack.pop()
        pieces = outer + [_operator(opening)] + pieces
    return _join(pieces)


_CLOSING = {"(": ")", "[": "]"}


# Two words in a row: prose begins (e.g. "... on the compared cells").
_PROSE = re.compile(r"\s+(?=[A-Za-z]{2,}\s+[A-Za-z]{2,}\b)")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _top_level_split(text, separator):
    """``text`` split at ``separator`` outside brackets and quotes."""
    parts, depth, quote, start, i = [], 0, None, 0, 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(separator, i):
            parts.append(text[start:i])
            i += len(separator)
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return parts


def claim_layout(claim):
    """(statement, prose after it, [(name, value)]) as mathematics, or None when the claim has another form.

    A statement of the checker's form ``lhs = rhs for D = ..., f = ..., d = ...``.
    """
    head, separator, tail = claim.partition(" for ")
    if not separator or len(claim) > 4 * _LONGEST_MATH:
        return None
    prose = ""
    found = _PROSE.search(head)
    if found:
        head, prose = head[:found.start()], head[found.start():]
    assignments = []
    for part in _top_level_split(tail, ", "):
        name, equals, value = part.partition(" = ")
        if not equals or not _NAME.fullmatch(name) or not value.strip():
            return None
        exact = _exact_of(value) if len(value) <= _LONGEST_MATH else None
        assignments.append((name, _expr_piece(exact) if exact is not None else _repr_piece(value)))
    return _statement_piece(head), prose, assignments


def _assignment(name, piece):
    return _join([_ident(name), _operator("="), piece])


# Prose with formulas in it (a witness's claim): f(...), D[...], reprs, g^h, "d = 1/4".
_FORMULA_START = re.compile(r"[A-Za-z]\w*(?:\^\w+)?(?=[\[(])")
_CARET = re.compile(r"[A-Za-z]\^[A-Za-z0-9]+\b")
_NUMBER_ASSIGNMENT = re.compile(r"([A-Za-z])\s=\s(-?\d+(?:/\d+)?)(?![\w/.])")


def _bracket_end(text, start):
    """The index after the bracket groups that begin at ``start`` (``f(x)[0]``), or None if unbalanced."""
    depth, quote, i, end = 0, None, start, None
    while i < len(text):
        c = text[i]
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
            if depth < 0:
                return end
            if depth == 0:
                end = i + 1
                if i + 1 >= len(text) or text[i + 1] not in "([":
                    return end
        elif depth == 0:
            return end
        i += 1
    return end if depth == 0 else None


def _formula_at(text, i):
    """(end, piece) of a formula starting at ``i``, or None."""
    start = _FORMULA_START.match(text, i)
    if start:
        end = _bracket_end(text, start.end())
        if end is not None:
            # "lhs = rhs": one statement
            if text.startswith(" = ", end):
                other = _FORMULA_START.match(text, end + 3)
                other_end = _bracket_end(text, other.end()) if other else None
                if other_end is not None:
                    return other_end, _statement_piece(text[i:other_end])
            formula = text[i:end]
            if formula[0].isupper() and "^" not in formula:
                return end, _repr_piece(formula)
            return end, _statement_piece(formula)
    match = _NUMBER_ASSIGNMENT.match(text, i) or _CARET.match(text, i)
    if match:
        if match.re is _NUMBER_ASSIGNMENT:
            return match.end(), _assignment(match[1], _expr_piece(sympy.Rational(match[2])))
        return match.end(), _statement_piece(match[0])
    return None


def prose_segments(text):
    """Text with formulas in it as segments: ("text", str) or ("math", (LaTeX, MathML))."""
    segments, run, i = [], [], 0
    while i < len(text):
        found = _formula_at(text, i) if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")) else None
        if found is None:
            run.append(text[i])
            i += 1
            continue
        if run:
            segments.append(("text", "".join(run)))
            run = []
        i, piece = found
        segments.append(("math", piece))
    if run:
        segments.append(("text", "".join(run)))
    return segments


def _segments(claim):
    """A claim in any form as segments (see :func:`prose_segments`)."""
    layout = claim_layout(claim)
    if layout is None:
        if len(claim) > _LONGEST_PROSE:  # the scan for formulas is quadratic at worst
            return [("text", claim)]
        return prose_segments(claim)
    statement, prose, assignments = layout
    segments = [("math", statement), ("text", prose + " for ")]
    for i, (name, piece) in enumerate(assignments):
        if i:
            segments.append(("text", ", "))
        segments.append(("math", _assignment(name, piece)))
    return segments


def claim_latex(claim):
    """A claim as LaTeX text with inline math (for a document or a Markdown renderer with math)."""
    return _claim_inline(claim, latex_escape, breaks=True)


def claim_markdown(claim):
    """A claim as Markdown with inline ``$...$`` math."""
    return _claim_inline(claim, markdown_escape, breaks=False)


def _claim_inline(claim, escape, breaks):
    """A claim as text escaped by ``escape`` with inline ``$...$`` math (line breaks allowed in LaTeX)."""
    layout = claim_layout(claim)
    if layout is None:
        return "".join(escape(value) if kind == "text" else f"${_tex(value[0], breaks=breaks)}$"
                       for kind, value in _segments(claim))
    statement, prose, assignments = layout
    where = ", ".join(f"${_tex(_assignment(name, piece)[0], breaks=breaks)}$" for name, piece in assignments)
    return f"${_tex(statement[0], breaks=breaks)}${escape(prose)} for {where}"


def _claim_math_lines(claim):
    """The claim as lines of math-mode LaTeX (for an array in ``_repr_latex_``)."""
    layout = claim_layout(claim)
    if layout is None:  # prose with formulas, in lines short enough for a notebook
        lines = []
        for part in _top_level_split(claim, ", "):
            line, width = [], 0
            for kind, value in _segments(part):
                if kind == "math":
                    line.append(_tex(value[0]))
                    width += len(value[0]) // 3
                    continue
                for word in filter(None, re.split(r"(\s+)", value)):
                    if width + len(word) > _TEXT_LINE and line and word.strip():
                        lines.append("".join(line))
                        line, width = [], 0
                    line.append(latex_text_in_math(word) if word.strip() else "\\ ")
                    width += len(word)
            lines.append("".join(line) + ",")
        lines[-1] = lines[-1][:-1]
        return lines
    statement, prose, assignments = layout
    lines = [_tex(statement[0]) + (latex_text_in_math(prose) if prose else "")]
    for i, (name, piece) in enumerate(assignments):
        lead = "\\quad\\text{for } " if i == 0 else "\\quad "
        lines.append(lead + _tex(_assignment(name, piece)[0]) + ("," if i < len(assignments) - 1 else ""))
    return lines


def claim_html(claim):
    """A claim as HTML: the statement as display math, then its ``name = value`` list."""
    layout = claim_layout(claim)
    if layout is None:
        return "<p class='claim'>" + "".join(_h(value) if kind == "text" else _math(value[1])
                                             for kind, value in _segments(claim)) + "</p>"
    statement, prose, assignments = layout
    where = ", ".join(_math(_assignment(name, piece)[1]) for name, piece in assignments)
    return (f"<div class='claim'>{_math(statement[1], block=True)}"
            f"<p>{_h(prose.strip()) + ', ' if prose else ''}for {where}</p></div>")


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


def _kind(verdict):
    """The CSS word of a verdict's outcome."""
    if verdict.holds is not None:
        return "holds" if verdict.holds else "fails"
    return verdict.numeric_outcome or "undecided"


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


def _bound_words(verdict):
    if verdict.holds is None and verdict.bound is not None:
        words = f"|lhs - rhs| <= {decimal(verdict.bound, up=True)} on every compared cell, numerically (not proved)"
        if verdict.tolerance is not None:
            side = "within" if verdict.within_tolerance else "above"
            words += f"; {side} the tolerance {decimal(verdict.tolerance, up=True)}"
        return words
    return None


def _bound_sentence(verdict):
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
                 "html": lambda: _math(mathml_of(c["value"]))}[style]()
        return f"the residual of cell {c['cell']} is exactly {value}, which is nonzero"
    if style == "latex":
        value, radius = f"${latex_decimal(c['value'])}$", f"${latex_decimal(c['radius'], 2, up=True)}$"
    elif style == "html":
        value, radius = _math(_mml_decimal(c["value"])), _math(_mml_decimal(c["radius"], 2, up=True))
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


def _zero_words(verdict, zero, within):
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


def _table_caption(verdict):
    if verdict.holds is True:
        return "Residuals (lhs - rhs), each exactly 0"
    if verdict.numeric_outcome == "unequal":
        return "Cells where |lhs - rhs| exceeds the tolerance"
    if verdict.holds is False:
        return "Cells with a nonzero residual (lhs - rhs)"
    return "Cells with a nonzero residual (lhs - rhs), numerically"


def _error_text(residual, error, style):
    if is_exact(residual):
        return "exact"
    if error is None:
        return "unknown"
    if style == "latex":
        return f"$\\le {latex_decimal(error, 2, up=True)}$"
    if style == "html":
        return _math(f"<mrow><mo>&#x2264;</mo>{_mml_decimal(error, 2, up=True)}</mrow>")
    return f"<= {decimal(error, 2, up=True)}"


def _more_words(verdict, more):
    noun = "cells" if more > 1 else "cell"
    if verdict.holds is True:
        return f"{more} more {noun} not shown"
    return f"{more} more {noun} with a nonzero residual not shown"


# --------------------------------------------------------------- renderings --


def verdict_text(verdict):
    """``str(verdict)``: the headline, then one line per fact."""
    lines = [f"Verdict: {headline(verdict)}", f"  claim: {verdict.claim}"]
    lines.append(f"  method: {_HOW[verdict.method]}; precision: {precision_words(verdict)}")
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
    if _bound_words(verdict):
        lines.append(f"  bound: {_bound_words(verdict)}")
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
    facts = f"Method: {_HOW[verdict.method]}. Precision: {precision_words(verdict)}."
    if verdict.shift is not None:
        facts += f" Shift: $d = {latex_of(verdict.shift)}$."
    blocks = [f"**Claim.** {claim_markdown(verdict.claim)}", head + " " + facts]
    if _bound_words(verdict):
        blocks.append(_bound_sentence(verdict))
    rows, more, zero, within = table_rows(verdict)
    if rows:
        table = [f"{_table_caption(verdict)}:", "", "| cell | residual | error bound |", "|---:|:---|:---|"]
        for cell, r, error in rows:
            table.append(f"| {cell} | ${_latex_residual(r, _dps(verdict))}$ | {_error_text(r, error, 'latex')} |")
        blocks.append("\n".join(table))
        if more:
            blocks.append(f"... and {_more_words(verdict, more)}. Largest $|r|$: "
                          f"${latex_decimal(verdict.max_residual)}$ in cell {verdict.worst_cell}.")
    elif not verdict.cells:
        blocks.append("No cells were compared.")
    if _zero_words(verdict, zero, within):
        blocks.append(_zero_words(verdict, zero, within))
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
    head += f"Method: {latex_escape(_HOW[verdict.method])}. Precision: {latex_escape(precision_words(verdict))}."
    if verdict.shift is not None:
        head += f" Shift: $d = {latex_of(verdict.shift)}$."
    lines = [f"\\textbf{{Claim.}} {claim_latex(verdict.claim)}", "", head, ""]
    if _bound_words(verdict):
        lines += [_bound_sentence(verdict), ""]
    rows, more, zero, within = table_rows(verdict)
    if rows:
        lines += [f"{latex_escape(_table_caption(verdict))}:", "",
                  r"\begin{tabular}{rll}", r"\hline", r"cell & residual & error bound \\", r"\hline"]
        for cell, r, error in rows:
            lines.append(f"{cell} & ${_latex_residual(r, _dps(verdict))}$ & {_error_text(r, error, 'latex')} \\\\")
        if more:
            lines.append(f"\\multicolumn{{3}}{{l}}{{\\ldots\\ and {_more_words(verdict, more)}}} \\\\")
        lines += [r"\hline", r"\end{tabular}", ""]
        if more:
            lines += [f"Largest $|r|$: ${latex_decimal(verdict.max_residual)}$ in cell {verdict.worst_cell}.", ""]
    elif not verdict.cells:
        lines += ["No cells were compared.", ""]
    if _zero_words(verdict, zero, within):
        lines += [latex_escape(_zero_words(verdict, zero, within)), ""]
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
    first, *rest = _top_level_split(f"({detail}) {coverage(verdict)}", "; ")
    lines = [f"\\textbf{{{word}}}\\ {latex_text_in_math(first + (';' if rest else ''))}"]
    lines += [f"\\quad {latex_text_in_math(part + (';' if i < len(rest) - 1 else ''))}" for i, part in enumerate(rest)]
    lines += _claim_math_lines(verdict.claim)
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
    parts = [f"<p style='margin:0.4em 0 0.1em 0'>{_h(caption)}:</p>"] if caption else []
    parts.append("<table style='border-collapse:collapse;margin:0.3em 0'>")
    parts.append("<thead><tr>" + "".join(
        f"<th style='text-align:left;border-bottom:1px solid #999;padding:0.1em 0.6em;white-space:nowrap'>{_h(h)}</th>"
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
    return _mml_decimal(verdict.max_residual)


def verdict_html(verdict):
    """A self-contained HTML block (MathML for the mathematics) for notebooks and pages."""
    kind = _kind(verdict)
    color = _COLORS[kind]
    word, detail = outcome(verdict)
    parts = [f"<div class='symequiv-verdict {kind}' style=\"{_STYLE.format(color=color)}\">"]
    parts.append(f"<p><strong style='color:{color}'>{_h(word)}</strong> ({_h(detail)}) {_h(coverage(verdict))}</p>")
    parts.append(claim_html(verdict.claim))
    facts = [("Method", _h(_HOW[verdict.method])), ("Precision", _h(precision_words(verdict)))]
    if verdict.shift is not None:
        facts.append(("Shift", _math(f"<mrow><mi>d</mi><mo>=</mo>{mathml_of(verdict.shift)}</mrow>")))
    facts.append(("Compared cells", f"{_h(ranges(verdict.cells))} ({len(verdict.cells)})"))
    facts.append(("Boundary cells", _h(ranges(verdict.boundary_cells))
                  + (" (left out: boundary data affects them)" if verdict.boundary_cells else "")))
    if verdict.worst_cell is not None:
        facts.append(("Largest |residual|", f"{_math(_largest_mml(verdict))} in cell {verdict.worst_cell}"))
    if _bound_words(verdict):
        facts.append(("Bound", _h(_bound_words(verdict))))
    if verdict.certificate is not None:
        facts.append(("Certificate", certificate_words(verdict, "html")))
    parts.append("<table style='border-collapse:collapse'>" + "".join(
        f"<tr><th style='text-align:left;padding:0.05em 0.8em 0.05em 0;vertical-align:top;white-space:nowrap'>"
        f"{name}</th>"
        f"<td>{value}</td></tr>" for name, value in facts
    ) + "</table>")
    rows, more, zero, within = table_rows(verdict)
    if rows:
        body = [(str(cell), _math(_mml_residual(r, _dps(verdict))), _error_text(r, error, "html"))
                for cell, r, error in rows]
        parts.append(_html_table(("cell", "residual", "error bound"), body, _table_caption(verdict)))
        if more:
            parts.append(f"<p>… and {_h(_more_words(verdict, more))}.</p>")
    if _zero_words(verdict, zero, within):
        parts.append(f"<p>{_h(_zero_words(verdict, zero, within))}</p>")
    if verdict.notes:
        parts.append("<ul>" + "".join(f"<li>{_h(note)}</li>" for note in verdict.notes) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


# ----------------------------------------------------------------- witness --


def _values_mml(values, highlight=None):
    items = []
    for j, value in enumerate(values):
        content = mathml_of(value) if _exact_is_short(value) else _mml_decimal(approximate(value, _DEFAULT_DPS))
        if j == highlight:
            content = f"<mrow class='differs' style='color:#a11;outline:1px solid #a11'>{content}</mrow>"
        items.append(content)
    return "<mrow><mo>[</mo>" + "<mo>,</mo>".join(items) + "<mo>]</mo></mrow>"


def witness_html(witness):
    """A :class:`~symequiv.judge.witness.Witness` as HTML: the two signals, their discretizations, the verdict."""
    D, d, j = witness.discretizer, witness.shift, witness.cell
    (b1, b2), (a1, a2) = witness.before, witness.after
    title = (f"<strong>Witness of inequality (5)</strong> for {_math(_repr_piece(repr(D))[1])} at "
             f"{_math(_assignment('d', _expr_piece(d))[1])}")
    rows = [
        (_math(f"<mrow><msub><mi>f</mi><mn>1</mn></msub>{_fence('(')}<mi>x</mi>{_fence(')')}</mrow>"),
         _math(mathml_of(witness.f1.expr))),
        (_math(f"<mrow><msub><mi>f</mi><mn>2</mn></msub>{_fence('(')}<mi>x</mi>{_fence(')')}</mrow>"),
         _math(mathml_of(witness.f2.expr))),
    ]
    if b1 == b2:
        rows.append(("D[f<sub>1</sub>] = D[f<sub>2</sub>]", _math(_values_mml(b1))))
    else:
        rows += [("D[f<sub>1</sub>]", _math(_values_mml(b1))), ("D[f<sub>2</sub>]", _math(_values_mml(b2)))]
    rows += [("D[f<sub>1</sub>(x − d)]", _math(_values_mml(a1, j))),
             ("D[f<sub>2</sub>(x − d)]", _math(_values_mml(a2, j)))]
    parts = [f"<div class='symequiv-witness' style=\"{_STYLE.format(color='#555')}\">",
             f"<p>{title}</p>",
             "<table style='border-collapse:collapse'>" + "".join(
                 f"<tr><th style='text-align:left;padding:0.1em 0.8em 0.1em 0;font-weight:normal'>{name}</th>"
                 f"<td>{value}</td></tr>" for name, value in rows) + "</table>",
             f"<p>D cannot tell f<sub>1</sub> from f<sub>2</sub>, but their translations differ at cell {j} "
             f"(framed): no discrete shift g<sup>h</sup>, linear or not, can commute with D at d.</p>"]
    if witness.notes:
        parts.append("<ul>" + "".join(f"<li>{_h(note)}</li>" for note in witness.notes) + "</ul>")
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
             f"{_h(summary)}</p>"]
    if verdicts:
        parts.append(claim_html(_without_shift(verdicts[0].claim)))
    parts.append(f"<img alt='{_h(image.caption)}' style='max-width:100%;height:auto' "
                 f"src='data:image/svg+xml;base64,{svg}'/>")
    rows = []
    for d, v in list(zip(sweep.deltas, verdicts))[:MAX_SWEEP_ROWS]:
        kind = _kind(v)
        word, detail = outcome(v)
        worst = "" if v.worst_cell is None or v.max_residual == 0 else f" (cell {v.worst_cell})"
        largest = "–" if v.max_residual is None else _math(_mml_decimal(v.max_residual)) + worst
        rows.append((
            _math(f"<mrow><mi>d</mi><mo>=</mo>{mathml_of(d)}</mrow>"),
            f"<span style='color:{_COLORS[kind]}' title='{_h(detail)}'>{_h(word)}</span>",
            _h(v.method),
            largest,
            _h(coverage(v)),
        ))
    parts.append(_html_table(("shift", "outcome", "method", "max |residual|", "cells"), rows))
    if len(verdicts) > MAX_SWEEP_ROWS:
        parts.append(f"<p>… and {len(verdicts) - MAX_SWEEP_ROWS} more shifts (see the curve).</p>")
    parts.append("</div>")
    return "".join(parts)


def _without_shift(claim):
    """The claim of a sweep's verdicts without its last ``, d = ...`` (the sweep varies it)."""
    return re.sub(r", d = [^,]*$", "", claim)
