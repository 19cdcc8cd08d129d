"""A claim's text read as mathematics: its statement, its ``name = value`` list, formulas in prose.

A claim is typeset as mathematics, not shown as Python text: the statement
(``D[f(x - d)] = g(D[f], d)``) with its letters and brackets, and each
``name = value`` after ``for``: exact numbers and signals through sympy's
printers (``H(x)`` for the paper's Heaviside with H(0) = 0, ``H_c(x)`` when
H(0) = c), constructor reprs such as ``Sequential(Conv([2, -2], origin=1),
ReLU())`` as ``ReLU ∘ Conv([2, -2], origin = 1)`` (read with :mod:`ast`,
never evaluated; ``S(1)/4`` and ``'1/4'`` are the exact 1/4). A claim in
another form (a witness's) is set as prose, its formulas typeset.

>>> claim = "D[f(x - d)] = g(D[f], d) for D = CellAverage(Grid(-1, 1, 8)), f = Heaviside(x, 0), d = 1/8"
>>> print(claim_latex(claim))
$D[f(x-d)] = g(D[f], d)$ for $D = \\mathrm{CellAverage}(\\mathrm{Grid}(-1,\\allowbreak 1,\\allowbreak 8))$, \
$f = H\\left(x\\right)$, $d = \\frac{1}{8}$

Every piece of mathematics is made in both notations at once, a pair
(LaTeX, MathML content), so the LaTeX and HTML renderings of
:mod:`symequiv.judge.render` show the same formula.
"""

import ast
import re

import sympy

from ..continuous.symbols import x
from ..errors import SymequivError
from ..numeric.parsing import parse_expression
from .mathtext import html_escape, latex_escape, latex_of, latex_text_in_math, markdown_escape, math_element, mathml_of

__all__ = [
    "assignment", "claim_html", "claim_latex", "claim_layout", "claim_markdown", "claim_math_lines", "expr_piece",
    "fence", "prose_segments", "repr_piece", "top_level_split",
]

# Longest claim part typeset as mathematics; longer ones are set as text.
_LONGEST_MATH = 2000
# Longest prose searched for formulas (a claim not of the checker's form).
_LONGEST_PROSE = 1000
# Characters per line of a claim set as text in _repr_latex_.
_TEXT_LINE = 64


# ------------------------------------------------------ math of claim text --
# A piece of mathematics in both notations: (LaTeX, MathML content).


def _ident(name):
    if name in ("dx", "dy"):  # a cell's width and height
        return f"\\Delta {name[1]}", f"<mi>&#x394;</mi><mi>{name[1]}</mi>"
    if len(name) == 1:
        return name, f"<mi>{html_escape(name)}</mi>"
    return f"\\mathrm{{{latex_escape(name)}}}", f'<mi mathvariant="normal">{html_escape(name)}</mi>'


def _operator(symbol):
    tex = {"*": "\\,", "=": " = ", ",": ", ", "~": "\\sim ", "#": "\\#", "%": "\\%", "&": "\\&", "$": "\\$",
           "{": "\\{", "}": "\\}", "\\": "\\backslash ", "^": "\\hat{}", "_": "\\_",
           "∘": "\\circ "}.get(symbol, symbol)
    mml = {"*": "&#x2062;", "-": "&#x2212;", "∘": "&#x2218;"}.get(symbol, html_escape(symbol))
    return tex, f"<mo>{mml}</mo>"


def _text_piece(text):
    return latex_text_in_math(text), f"<mtext>{html_escape(text)}</mtext>"


def expr_piece(expr):
    """An exact sympy value as a piece of mathematics."""
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
    return tex, f"<mrow>{fence(opening, tall)}{inner[1]}{fence(closing, tall)}</mrow>"


def fence(symbol, tall=False):
    """A bracket as MathML, stretched only around ``tall`` content."""
    # Explicit: a stretchy fence around short content leaves gaps in some browsers' MathML.
    return f'<mo lspace="0em" rspace="0em" stretchy="{"true" if tall else "false"}">{html_escape(symbol)}</mo>'


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


def repr_piece(text):
    """A constructor repr such as ``Conv([2, -2], origin=1)`` as mathematics (read by ast, never run)."""
    if len(text) > _LONGEST_MATH:
        return _text_piece(text)
    try:
        tree = ast.parse(text.strip(), mode="eval").body
        return _ast_piece(tree, text.strip())
    except (SyntaxError, ValueError, RecursionError, MemoryError, _NotMath):
        return _text_piece(text)


class _NotMath(Exception):
    """A piece of claim text that is not mathematics: it is set as text."""


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
        return expr_piece(number)
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
            return expr_piece(exact) if exact is not None else _text_piece(f"“{value}”")
        if isinstance(value, bool) or value is None:
            return _ident(repr(value))
        return _text_piece(repr(value))
    segment = ast.get_source_segment(source, node)
    exact = _exact_of(segment) if segment else None
    if exact is None:
        raise _NotMath(segment)
    return expr_piece(exact)


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
                small = expr_piece(sympy.Integer(script)) if re.fullmatch(r"-?\d+", script) else _ident(script)
                base = (f"{{{base[0]}}}{mark}{{{small[0]}}}", f"<{tag}><mrow>{base[1]}</mrow>{small[1]}</{tag}>")
            pieces.append(base)
        elif match["number"]:
            pieces.append(expr_piece(sympy.Rational(match["number"])))
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


def top_level_split(text, separator):
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
    for part in top_level_split(tail, ", "):
        name, equals, value = part.partition(" = ")
        if not equals or not _NAME.fullmatch(name) or not value.strip():
            return None
        exact = _exact_of(value) if len(value) <= _LONGEST_MATH else None
        assignments.append((name, expr_piece(exact) if exact is not None else repr_piece(value)))
    return _statement_piece(head), prose, assignments


def assignment(name, piece):
    """``name = piece`` as a piece of mathematics."""
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
                return end, repr_piece(formula)
            return end, _statement_piece(formula)
    match = _NUMBER_ASSIGNMENT.match(text, i) or _CARET.match(text, i)
    if match:
        if match.re is _NUMBER_ASSIGNMENT:
            return match.end(), assignment(match[1], expr_piece(sympy.Rational(match[2])))
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
        segments.append(("math", assignment(name, piece)))
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
    where = ", ".join(f"${_tex(assignment(name, piece)[0], breaks=breaks)}$" for name, piece in assignments)
    return f"${_tex(statement[0], breaks=breaks)}${escape(prose)} for {where}"


def claim_math_lines(claim):
    """The claim as lines of math-mode LaTeX (for an array in ``_repr_latex_``)."""
    layout = claim_layout(claim)
    if layout is None:  # prose with formulas, in lines short enough for a notebook
        lines = []
        for part in top_level_split(claim, ", "):
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
        lines.append(lead + _tex(assignment(name, piece)[0]) + ("," if i < len(assignments) - 1 else ""))
    return lines


def claim_html(claim):
    """A claim as HTML: the statement as display math, then its ``name = value`` list."""
    layout = claim_layout(claim)
    if layout is None:
        return "<p class='claim'>" + "".join(html_escape(value) if kind == "text" else math_element(value[1])
                                             for kind, value in _segments(claim)) + "</p>"
    statement, prose, assignments = layout
    where = ", ".join(math_element(assignment(name, piece)[1]) for name, piece in assignments)
    return (f"<div class='claim'>{math_element(statement[1], block=True)}"
            f"<p>{html_escape(prose.strip()) + ', ' if prose else ''}for {where}</p></div>")
