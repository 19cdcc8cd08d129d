r"""LaTeX math to presentation MathML: one reader for every piece of math in the HTML report.

It reads the LaTeX that sympy's printer writes (display equations, table
cells, verdict values: cases, matrices, integrals, sums, fences, function
names) and the simple LaTeX people write in prose, as TeX would space it. It
never evaluates anything; what it does not know raises :class:`Unreadable`
(the HTML report then falls back to sympy's MathML printer for display math,
and shows prose math as its source text).

>>> latex_mathml("\\frac{a}{2}")
'<mfrac><mi>a</mi><mn>2</mn></mfrac>'
>>> math_text("H(x - \\Delta x/2)")
'H(x−Δx/2)'
>>> inline_mathml("\\weird{x}")
'<math xmlns="http://www.w3.org/1998/Math/MathML"><mtext>\\weird{x}</mtext></math>'
"""

import html
import re

from ..judge.mathtext import math_element

__all__ = ["Unreadable", "inline_mathml", "latex_mathml", "math_text"]

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


class Unreadable(Exception):
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
            raise Unreadable("too long")
        self.position = 0
        self.depth = 0
        self.display = display

    # -- tokens --

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self):
        token = self.peek()
        if token is None:
            raise Unreadable("unexpected end")
        self.position += 1
        return token

    def expect(self, token):
        if self.take() != token:
            raise Unreadable(f"expected {token}")

    def deeper(self):
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise Unreadable("too deep")

    # -- sequences --

    def read(self):
        items = self.sequence(stops=())
        if self.peek() is not None:
            raise Unreadable(f"unexpected {self.peek()}")
        return self.join(items)

    def sequence(self, stops):
        """Items up to (not including) a token in ``stops``, or the end; a stray } is an error."""
        items = []
        while True:
            token = self.peek()
            if token is None or token in stops:
                return items
            if token == "}":
                raise Unreadable("unmatched }")
            if token == "\\right" and "\\right" not in stops:
                raise Unreadable("unmatched \\right")
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
                raise Unreadable("double script")
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
                raise Unreadable("missing argument")
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
        raise Unreadable(token)

    def fence(self):
        """The delimiter after \\left, \\right, \\big...: its character ('' for '.')."""
        token = self.take()
        name = token[1:] if token.startswith("\\") and len(token) > 2 else token
        if token == "\\|":
            name = "|_"
        elif token in ("\\{", "\\}"):
            name = token[1]
        if name not in _FENCES:
            raise Unreadable(f"unknown delimiter {token}")
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
            raise Unreadable(f"unmatched \\{name}")
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
            raise Unreadable("line break outside an environment")
        raise Unreadable(name)

    def font(self, name):
        parts = self.braced_text()
        text = "".join(parts)
        variant = _FONTS[name]
        if not re.fullmatch(r"[A-Za-z0-9 .,'-]*", text) or not text.strip():
            raise Unreadable("font command on something other than letters")
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
        raise Unreadable(name)  # pragma: no cover

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
            raise Unreadable(f"environment {name}")
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
                    raise Unreadable("mismatched \\end")
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



def latex_mathml(latex, display=False):
    """LaTeX math as the inside of a <math> element, or :class:`Unreadable`."""
    try:
        return _LatexReader(latex, display=display).read()
    except RecursionError:  # nesting below the depth limit, called from a deep stack
        raise Unreadable("too deep") from None


def inline_mathml(latex):
    """Inline LaTeX from prose as a <math> element; what the reader does not know, as its source text."""
    try:
        inner = latex_mathml(latex) if latex.strip() else ""
    except Unreadable:
        inner = f"<mtext>{html.escape(latex, quote=False)}</mtext>"
    return math_element(inner)


def math_text(latex):
    """What inline LaTeX shows, as plain characters (``H(x−Δx/2)``); its source when it cannot be read."""
    try:
        markup = latex_mathml(latex)
    except Unreadable:
        return latex
    return html.unescape(re.sub(r"<[^>]+>", "", markup))
