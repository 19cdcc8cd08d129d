"""Derivation reports: every step kind in every format, deterministic, written atomically."""

import html
import html.parser
import json
import os
import pickle
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
import zlib

import mpmath
import PIL.Image
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequiv import CellAverage, Grid, LinearShift, Signal, check_commutation, delta
from symequiv.errors import InvalidArgument, InvalidType, SymequivError
from symequiv.output import report
from symequiv.output.report import Derivation
from symequiv.judge.verdict import Verdict

NAME = "eq4_conv_layer"
TEXT = "Plain <script>alert(1)</script> & 50% of $\\delta = dx/2$ costs \\$5_#."
PIECEWISE = sympy.Eq(
    sympy.Function("y")(delta),
    sympy.Piecewise((1, delta <= 0), (1 - 2 * delta, delta <= sympy.Rational(1, 2)), (0, True)),
)
# What matplotlib writes: a prolog, a DOCTYPE and metadata with addresses in them.
SVG = b"""<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="40pt" height="30pt" viewBox="0 0 40 30"
     xmlns="http://www.w3.org/2000/svg" version="1.1">
 <metadata>
  <rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
   <dc:title>Matplotlib, https://matplotlib.org/</dc:title>
  </rdf:RDF>
 </metadata>
 <defs><clipPath id="p1"><rect x="0" y="0" width="40" height="30"/></clipPath></defs>
 <g clip-path="url(#p1)"><path d="M 0 30 L 20 30 L 20 0 L 40 0" style="fill: none; stroke: #1f77b4"/></g>
 <use xlink:href="#p1"/>
</svg>
"""
ALLOWED_NAMESPACES = re.compile(
    r"""\sxmlns(?::xlink)?="(?:http://www\.w3\.org/1998/Math/MathML|http://www\.w3\.org/2000/svg"""
    r"""|http://www\.w3\.org/1999/xlink)\""""
)


def tiny_png(rgb=(255, 0, 0)):
    """A valid 1x1 PNG, made by hand."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes([0, *rgb]))) + chunk(b"IEND", b""))


def real_verdict():
    return check_commutation(CellAverage(Grid(-1, 1, 4)), Signal("Heaviside(x - 1/4)"), "1/4", LinearShift())


def proved_verdict():
    return Verdict("S_1 D[f] = D[f(x - dx)] on cells 1..2", True, "symbolic", [0, 0], cells=(1, 2))


def build(verdict=None):
    """A derivation with every kind of step."""
    verdict = real_verdict() if verdict is None else verdict
    d = Derivation(NAME, "A conv layer is not translation equivariant (eq. 4)",
                   claim="N(C[a, D[f(x - delta)]]) != g N(C[a, D[f]]) for some delta")
    d.text(TEXT)
    d.math(PIECEWISE, label="cell 2 in closed form")
    d.verdict(verdict, label="linear shift at $d = 1/4$")
    d.table(["cell", "value"], [[0, sympy.Rational(1, 2)], ["a|b", mpmath.mpf(2) / 3], [sympy.Abs(delta), "-"],
                                ["", [0, sympy.Rational(1, 2), mpmath.mpf(1) / 4]]],
            caption="Cell averages")
    d.figure("figure1", png=tiny_png(), svg=SVG, caption="The step $H$")
    d.figure("figure2", png=tiny_png((0, 0, 255)), caption="PNG only")
    d.correction(paper="D[f(x - dx)] = S_1 D[f] on any grid", corrected="only on a periodic grid",
                 check=proved_verdict())
    return d


@pytest.fixture(scope="module")
def verdict():
    return real_verdict()


@pytest.fixture(scope="module")
def derivation(verdict):
    return build(verdict)


def in_order(text, pieces):
    position = -1
    for piece in pieces:
        found = text.find(piece, position + 1)
        assert found > position, f"{piece!r} missing or out of order"
        position = found


# --------------------------------------------------------------- contents --


def test_steps_are_ordered_and_read_only(derivation, verdict):
    kinds = [step.kind for step in derivation.steps]
    assert kinds == ["text", "math", "verdict", "table", "figure", "figure", "correction"]
    assert isinstance(derivation.steps, tuple)
    assert derivation.steps[2].verdict is verdict
    with pytest.raises(AttributeError):
        derivation.steps[0].text = "changed"
    with pytest.raises(AttributeError):
        derivation.steps = ()


def test_summary_lists_every_verdict_main_first(derivation, verdict):
    assert derivation.main_verdict is verdict
    assert derivation.summary() == [
        {"claim": verdict.claim, "holds": False, "method": "symbolic"},
        {"claim": proved_verdict().claim, "holds": True, "method": "symbolic"},
    ]
    d = Derivation("n", "T").verdict(verdict).verdict(proved_verdict(), main=True)
    assert d.main_verdict == proved_verdict()
    assert [s["holds"] for s in d.summary()] == [True, False]
    with pytest.raises(InvalidArgument, match="only one verdict"):
        d.verdict(verdict, main=True)


def test_markdown_has_every_piece_in_order(derivation, verdict):
    text = derivation.to_markdown()
    in_order(text, [
        "# A conv layer is not translation equivariant (eq.\u00a04)",  # the number stays with "eq."
        "**Claim.** N(C\\[a, D\\[f(x - delta)\\]\\])",
        "\\<script\\>alert(1)\\</script\\>",
        "$\\delta = dx/2$",
        "costs \\$5\\_\\#.",
        "*cell 2 in closed form:*",
        "$$\n" + sympy.latex(PIECEWISE) + "\n$$",
        "## Verdict: linear shift at $d = 1/4$ (main)",
        "- **Claim:** " + verdict.claim.replace("$", "\\$").replace("*", "\\*").replace("_", "\\_")
        .replace("[", "\\[").replace("]", "\\]"),
        "- **Verdict:** fails (certified)",
        "- **Method:** symbolic (exact sympy arithmetic)",
        "- **Precision:** exact",
        "- **Shift:** $d = \\frac{1}{4}$",
        "*Residual (lhs − rhs) per compared cell*",
        "| cell | residual | error bound |",
        "**Table\u00a01.** Cell averages",
        "| cell | value |",
        "| $0$ | $\\frac{1}{2}$ |",
        "| a\\|b | $0.666666666666667$ |",
        "|   | $\\left[0, \\frac{1}{2}, 0.25\\right]$ |",
        "![The step H](figure1.png)",
        "![PNG only](figure2.png)",
        "> **The paper says:** D\\[f(x - dx)\\] = S\\_1 D\\[f\\] on any grid",
        "> **Corrected:** only on a periodic grid",
        "> **Check:**",
        "> - **Claim:** S\\_1 D\\[f\\] = D\\[f(x - dx)\\] on cells 1..2",
        "## Summary",
    ])
    assert "<script>" not in text


def test_latex_is_a_balanced_document_with_escaped_text(derivation, verdict):
    text = derivation.to_latex()
    assert text.startswith("\\documentclass{article}")
    for package in ("amsmath", "graphicx", "booktabs"):
        assert f"\\usepackage{{{package}}}" in text
    stack = []
    for kind, env in re.findall(r"\\(begin|end)\{([^}]*)\}", text):
        if kind == "begin":
            stack.append(env)
        else:
            assert stack and stack.pop() == env, env
    assert stack == []
    in_order(text, ["\\begin{document}", "\\LARGE\\bfseries A conv layer", "\\end{document}"])
    # Braces balance once escaped braces and line breaks are removed.
    bare = re.sub(r"\\[{}]", "", text.replace("\\\\", ""))
    depth = 0
    for c in bare:
        depth += {"{": 1, "}": -1}.get(c, 0)
        assert depth >= 0
    assert depth == 0
    assert ("Plain \\textless{}script\\textgreater{}alert(1)\\textless{}/script\\textgreater{} \\& 50\\% of "
            "$\\delta = dx/2$ costs \\$5\\_\\#.") in text
    in_order(text, [
        sympy.latex(PIECEWISE), "\\bfseries}l", "Verdict & fails (certified)", "a\\textbar{}b",
        "keepaspectratio]{figure1.png}", "keepaspectratio]{figure2.png}", "\\textbf{The paper says:}",
        "Claim & S\\_1 D[f] = D[f(x - dx)] on cells 1..2",
    ])


class _TagChecker(html.parser.HTMLParser):
    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.tags, self.errors = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def test_html_is_self_contained_and_escaped(derivation, verdict):
    page = derivation.to_html()
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert '<meta charset="utf-8">' in page
    # No address anywhere but the MathML, SVG and XLink namespace names.
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]", ALLOWED_NAMESPACES.sub("", page), re.IGNORECASE)
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in page
    assert "<mtext>otherwise</mtext>" in page and '<mtable class="cases">' in page  # Piecewise: a brace of cases
    assert ('<mi>δ</mi><mo>=</mo><mi>d</mi><mi>x</mi><mo lspace="0" rspace="0" stretchy="false">/</mo><mn>2</mn>'
            in page)  # inline $\delta = dx/2$
    # user text escaped: no script element at all
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 50% of" in page
    assert "<script" not in page.lower()
    # figures: inline SVG without its metadata, else a data: PNG
    assert "<svg" in page and "<metadata" not in page and "matplotlib.org" not in page
    assert 'src="data:image/png;base64,' in page
    # the verdict's fields
    assert ('<mo form="prefix" stretchy="true">[</mo><mrow><mn>0</mn><mo>,</mo><mfrac><mn>1</mn><mn>2</mn></mfrac>'
            '<mo>,</mo><mn>0.25</mn></mrow><mo form="postfix" stretchy="true">]</mo>') in page
    for piece in (html.escape(verdict.claim, quote=False), "fails", "symbolic (exact sympy arithmetic)",
                  "<th>residual</th>"):
        assert piece in page
    # the compared cells, and of how many when the verdict knows the grid's size
    assert re.search(r"<dt>Compared cells</dt><dd>1\.\.3 \(3( of 4)?\)</dd>", page)
    checker = _TagChecker()
    checker.feed(page)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    for tag, attrs in checker.tags:
        for key in ("src", "href", "xlink:href"):
            value = attrs.get(key)
            assert value is None or value.startswith(("data:", "#")), (tag, key, value)
        assert tag not in ("script", "link", "iframe", "object")


def test_html_math_from_sympy_is_escaped():
    page = Derivation("n", "T").math(sympy.Symbol("<script>") + 1).to_html()
    assert "<script" not in page and "<mo>&lt;</mo>" in page and "<mo>&gt;</mo>" in page


def test_inline_math_in_html_renders_simple_latex_and_shows_the_rest_as_text():
    page = Derivation("n", "T").text("$\\frac{a}{b} x_j^2 \\le \\sqrt{\\alpha}$ and $\\weird{<b>}$").to_html()
    assert "<mfrac><mi>a</mi><mi>b</mi></mfrac>" in page
    assert "<msubsup><mi>x</mi><mi>j</mi><mn>2</mn></msubsup><mo>≤</mo><msqrt><mi>α</mi></msqrt>" in page
    assert "<mtext>\\weird{&lt;b&gt;}</mtext>" in page and "<b>" not in page


def test_json_holds_every_step_and_verdict(derivation, verdict):
    text = derivation.to_json()
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert (data["name"], data["claim"]) == (NAME, derivation.claim)
    steps = data["steps"]
    assert [s["kind"] for s in steps] == [s.kind for s in derivation.steps]
    assert steps[0]["text"] == TEXT
    assert steps[1] == {"kind": "math", "label": "cell 2 in closed form", "latex": sympy.latex(PIECEWISE),
                        "sympy": str(PIECEWISE)}
    assert steps[2]["verdict"] == verdict.to_dict() and steps[2]["main"] is True
    assert steps[3]["rows"] == [["0", "1/2"], ["a|b", "0.666666666666667"], ["Abs(delta)", "-"],
                                ["", "[0, 1/2, 0.25]"]]
    assert (steps[4]["png"], steps[4]["svg"], steps[5]["svg"]) == ("figure1.png", "figure1.svg", None)
    assert steps[6]["check"] == proved_verdict().to_dict()
    assert Verdict.from_dict(steps[2]["verdict"]) == verdict
    assert data["summary"] == derivation.summary()


# ------------------------------------------------------------ determinism --


def test_rendering_is_deterministic(derivation, verdict):
    again = build(verdict)
    for method in ("to_markdown", "to_latex", "to_html", "to_json"):
        first = getattr(derivation, method)()
        assert first == getattr(derivation, method)() == getattr(again, method)()
    assert pickle.loads(pickle.dumps(derivation)).to_json() == derivation.to_json()


def test_rendering_is_the_same_in_another_process(derivation):
    script = (
        "import runpy, sys; ns = runpy.run_path(sys.argv[1]); d = ns['build']();"
        "sys.stdout.buffer.write((d.to_html() + d.to_latex() + d.to_markdown() + d.to_json()).encode())"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", script, os.path.abspath(__file__)], capture_output=True, env=env,
                         cwd=root, check=True).stdout
    expected = derivation.to_html() + derivation.to_latex() + derivation.to_markdown() + derivation.to_json()
    assert out == expected.encode()


# ----------------------------------------------------------------- write --


def snapshot(folder):
    result = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as stream:
            result[name] = (stream.read(), os.stat(os.path.join(folder, name)).st_mtime_ns)
    return result


def test_write_creates_exactly_the_report_files(derivation, tmp_path):
    folder = tmp_path / "out" / "reports"
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    paths = derivation.write(folder)
    names = ["eq4_conv_layer.md", "eq4_conv_layer.tex", "eq4_conv_layer.html", "eq4_conv_layer.json",
             "figure1.png", "figure1.svg", "figure2.png"]
    assert paths == [os.path.join(str(folder), n) for n in names]
    assert sorted(os.listdir(folder)) == sorted(names)
    assert (folder / "eq4_conv_layer.md").read_bytes() == derivation.to_markdown().encode()
    assert (folder / "eq4_conv_layer.tex").read_bytes() == derivation.to_latex().encode()
    assert (folder / "eq4_conv_layer.html").read_bytes() == derivation.to_html().encode()
    assert (folder / "eq4_conv_layer.json").read_bytes() == derivation.to_json().encode()
    assert (folder / "figure1.png").read_bytes() == tiny_png()
    assert (folder / "figure1.svg").read_bytes() == SVG
    assert (tmp_path / "out" / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("formats, names", [
    (("html",), ["eq4_conv_layer.html"]),
    (("json",), ["eq4_conv_layer.json"]),
    (["tex", "tex"], ["eq4_conv_layer.tex", "figure1.png", "figure1.svg", "figure2.png"]),
])
def test_write_only_the_formats_asked(derivation, tmp_path, formats, names):
    derivation.write(str(tmp_path), formats=formats)
    assert sorted(os.listdir(tmp_path)) == sorted(names)


def test_write_replaces_its_own_files_and_touches_no_other(derivation, tmp_path):
    (tmp_path / "eq4_conv_layer.md").write_text("old report")
    (tmp_path / "notes.md").write_text("mine")
    before = snapshot(tmp_path)["notes.md"]
    derivation.write(tmp_path, formats=("md",))
    assert (tmp_path / "eq4_conv_layer.md").read_text(encoding="utf-8") == derivation.to_markdown()
    assert snapshot(tmp_path)["notes.md"] == before


def test_a_failing_render_writes_nothing(derivation, tmp_path, monkeypatch):
    def explode(expr):
        raise RuntimeError("cannot print as MathML")

    monkeypatch.setattr(report, "_mathml_block", explode)  # Markdown and LaTeX render, HTML does not
    d = build(derivation.main_verdict).math(sympy.Symbol("e"))
    (tmp_path / NAME).mkdir()
    folder = tmp_path / NAME
    (folder / "eq4_conv_layer.md").write_text("old report")
    (folder / "keep.txt").write_text("mine")
    before = snapshot(folder)
    with pytest.raises(RuntimeError, match="MathML"):
        d.write(folder)
    assert snapshot(folder) == before
    missing = tmp_path / "missing"
    with pytest.raises(RuntimeError):
        d.write(missing)
    assert not missing.exists()


def test_a_failing_rename_leaves_no_new_or_temporary_file(derivation, tmp_path, monkeypatch):
    (tmp_path / "keep.txt").write_text("mine")
    before = snapshot(tmp_path)
    calls = []
    real_replace = os.replace

    def replace(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise OSError("disk full")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="disk full"):
        derivation.write(tmp_path)
    assert snapshot(tmp_path) == before


# ------------------------------------------------------------ validation --


@pytest.mark.parametrize("name", ["../etc", "a/b", "..", "a b", "", "x" * 101, "a\\b"])
def test_names_that_are_not_file_names_are_refused(name):
    with pytest.raises(InvalidArgument, match="letters, digits"):
        Derivation(name, "T")


def test_bad_arguments_get_clear_errors(verdict):
    d = Derivation("n", "T")
    cases = [
        (lambda: Derivation(3, "T"), InvalidType, "str name"),
        (lambda: Derivation("n", None), InvalidType, "title"),
        (lambda: d.text(3), InvalidType, "text"),
        (lambda: d.text("costs $5"), InvalidArgument, "Unbalanced"),
        (lambda: d.text("$x{$"), InvalidArgument, "braces"),
        (lambda: d.math("x = 1"), InvalidType, "strings are not parsed"),
        (lambda: d.math(1.5), InvalidType, "sympy object"),
        (lambda: d.math(delta, label=3), InvalidType, "label"),
        (lambda: d.verdict("holds"), InvalidType, "Verdict"),
        (lambda: d.verdict(verdict, main="yes"), InvalidType, "main"),
        (lambda: d.table("ab", [[1, 2]]), InvalidType, "header"),
        (lambda: d.table(["a"], []), InvalidArgument, "at least one row"),
        (lambda: d.table(["a", "b"], [[1]]), InvalidArgument, "2 cells per row"),
        (lambda: d.table(["a"], [[0.5]]), InvalidType, "float"),
        (lambda: d.table(["a"], [[True]]), InvalidType, "bool"),
        (lambda: d.table(["a"], [[None]]), InvalidType, "rows\\[0\\]\\[0\\]"),
        (lambda: d.table(["a"], [[[1, 0.5]]]), InvalidType, "rows\\[0\\]\\[0\\]\\[1\\]"),
        (lambda: d.table(["a"], [[[1, [2]]]]), InvalidType, "sympy object or mpmath number"),
        (lambda: d.table(["a"], [[1]], digits=0), InvalidArgument, "digits"),
        (lambda: d.figure("f", png="not bytes"), InvalidType, "bytes"),
        (lambda: d.figure("f", png=b"GIF89a"), InvalidArgument, "PNG"),
        (lambda: d.figure("f/g", png=tiny_png()), InvalidArgument, "figure name"),
        (lambda: d.figure("f", png=tiny_png(), svg="<svg/>"), InvalidType, "SVG"),
        (lambda: d.correction(paper="a", corrected="b", check="c"), InvalidType, "check"),
        (lambda: d.correction(paper="", corrected="b"), InvalidArgument, "paper"),
        (lambda: d.write(3), InvalidType, "out_dir"),
        (lambda: d.write(".", formats="md"), InvalidType, "formats=\\('md',\\)"),
        (lambda: d.write(".", formats=("md", "pdf")), InvalidArgument, "'md', 'tex', 'html', 'json'"),
        (lambda: d.write(".", formats=()), InvalidArgument, "at least one format"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
        assert issubclass(error, SymequivError)
    assert d.steps == ()


@pytest.mark.parametrize("svg, message", [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "script"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handler"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
     b'<image xlink:href="https://example.com/a.png"/></svg>', "refers outside"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(//example.com/x)"/></svg>', "refers outside"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "foreignobject"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><p><img src="x.png"/></p></svg>', "<p>"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><animate attributeName="href" to="x"/></svg>', "animate"),
    (b'<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', "entity"),
    (b"<html/>", "<svg> root"),
    (b"<svg", "well-formed"),
])
def test_svg_that_would_not_be_static_is_refused(svg, message):
    with pytest.raises(InvalidArgument, match=message):
        Derivation("n", "T").figure("f", png=tiny_png(), svg=svg)


def test_single_line_fields_lose_their_line_breaks():
    d = Derivation("n", "Two\n\nlines").table(["a\n\nb"], [["c\n\nd $x$"]], caption="e\n\n f")
    assert d.title == "Two lines" and d.steps[0].header == ("a b",) and d.steps[0].rows == (("c d $x$",),)
    tabular = d.to_latex().split("\\begin{tabular}")[1].split("\\end{tabular}")[0]
    assert "\\bfseries Two lines\\end{center}" in d.to_latex() and "\n\n" not in tabular and "c d $x$" in tabular


def test_duplicate_figure_names_are_refused():
    d = Derivation("n", "T").figure("f", png=tiny_png())
    with pytest.raises(InvalidArgument, match="already added"):
        d.figure("f", png=tiny_png())


class _HostileRepr:
    def __repr__(self):
        raise RuntimeError("a repr that raises")


@pytest.mark.parametrize(
    "call",
    [
        lambda: Derivation("n", "T").text(_HostileRepr()),
        lambda: Derivation("n", "T").math(_HostileRepr()),
        lambda: Derivation("n", "T").table(["a"], [[_HostileRepr()]]),
        lambda: Derivation("n", "T").table(["a"], [[1.5]]),
        lambda: Derivation("n", "T").write("out", formats=_HostileRepr()),
    ],
    ids=["text", "math", "table cell", "float cell", "formats"],
)
def test_hostile_values_give_one_symequiv_error(call, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SymequivError) as caught:
        call()
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------- typesetting --

def visible_text(page):
    """The text an HTML page shows: no style sheet, no tags."""
    return html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", "", page, flags=re.DOTALL))


def mtext_with_latex(page):
    """Every <mtext> that shows LaTeX source instead of mathematics."""
    return [t for t in re.findall(r"<mtext>([^<]*)</mtext>", page) if "\\" in t]


EXPRESSIONS = [
    PIECEWISE.rhs,
    sympy.Matrix([[1, delta], [sympy.Rational(1, 2), 0]]),
    sympy.Integral(sympy.Function("a")(sympy.Symbol("tau")) * sympy.exp(-delta), (sympy.Symbol("tau"), -sympy.oo, sympy.oo)),
    sympy.Sum(delta**2, (sympy.Symbol("k"), 1, 10)),
    sympy.Limit(sympy.sin(delta) / delta, delta, 0),
    sympy.sqrt(2) / 10 + sympy.root(3, 3),
    sympy.Abs(delta - 1) + sympy.Max(0, delta) + sympy.floor(delta),
    sympy.Heaviside(delta, 0) - sympy.Heaviside(delta - 1, sympy.Rational(1, 2)),
    sympy.binomial(sympy.Symbol("n"), 2) * sympy.exp(-40 * (delta - sympy.Rational(1, 2)) ** 2),
    sympy.Eq(sympy.Symbol("f^h_j"), sympy.Symbol("L") * sympy.cos(2 * sympy.pi * delta) / sympy.Symbol("\\Delta x")),
    sympy.Ne(delta, 0) & (delta < 1),
]


@pytest.mark.parametrize("expr", EXPRESSIONS, ids=lambda e: type(e).__name__)
def test_every_form_sympy_writes_becomes_mathematics_in_html(expr):
    latex = report._latex(expr)
    page = Derivation("n", "T").text(f"Inline: $f = {latex}$.").math(expr).table(["a"], [[expr]]).to_html()
    assert mtext_with_latex(page) == [], latex  # prose math, display math and table cells


def test_functions_stand_apart_and_minus_is_a_minus_sign():
    L, x = sympy.symbols("L x")
    page = Derivation("n", "T").math(L * sympy.cos(2 * sympy.pi * x / L) - 1).to_html()
    assert '<mi>L</mi><mspace width="0.1667em"></mspace><mi>cos</mi>' in page  # not "Lcos"
    assert "<mo>−</mo><mn>1</mn>" in page and "<mo>-</mo>" not in page


def test_a_sign_is_not_spaced_as_a_binary_minus():
    page = Derivation("n", "T").text("$x \\le -\\frac{3}{4}$").to_html()
    assert '<mo>≤</mo><mo form="prefix">−</mo><mfrac>' in page


def test_symbol_names_written_in_latex_are_typeset():
    dx = sympy.Symbol("\\Delta x")
    d = Derivation("n", "T").math(sympy.Eq(sympy.Symbol("a_-1"), 2 * dx))
    page = d.to_html()
    assert '<mi mathvariant="normal">Δ</mi><mi>x</mi>' in page and "\\Delta" not in page
    assert '<msub><mi>a</mi><mrow><mo form="prefix">−</mo><mn>1</mn></mrow></msub>' in page
    assert "a_{-1} = 2 \\Delta x" in d.to_latex() and "\\Delta_{x}" not in d.to_latex()


def test_the_papers_step_is_written_h():
    d = Derivation("n", "T").math(sympy.Heaviside(delta, 0) + sympy.Heaviside(delta - 1))
    assert "H\\left(\\delta\\right)" in d.to_latex() and "H_{\\frac{1}{2}}\\left(\\delta - 1\\right)" in d.to_latex()
    assert "theta" not in d.to_markdown() and "θ" not in d.to_html()


def test_a_statement_typesets_the_verdicts_claim_in_every_format(verdict):
    statement = "$D[H(x - \\delta)] = g(D[H], \\delta)$ at $\\delta = \\frac{1}{4}$"
    d = Derivation("n", "T").verdict(verdict, statement=statement)
    assert f"- **Claim:** {statement}" in d.to_markdown()
    assert f"Claim & {statement}" in d.to_latex()
    assert "<dt>Claim</dt><dd><math" in d.to_html() and "Grid(" not in d.to_html().split("<h2>Summary")[0]
    data = json.loads(d.to_json())
    assert data["steps"][0]["statement"] == statement and data["steps"][0]["verdict"]["claim"] == verdict.claim
    with pytest.raises(InvalidArgument, match="check="):
        Derivation("n", "T").correction(paper="a", corrected="b", check_statement="$x$")


def test_a_symbolic_proof_states_no_precision():
    proof = Verdict("S D[f] = D[f(x - d)]", True, "symbolic", [0, 0], cells=(0, 1), dps=50)
    d = Derivation("n", "T").verdict(proof)
    assert "- **Precision:** exact" in d.to_markdown() and "50 digits" not in d.to_markdown()
    assert "Precision & exact" in d.to_latex() and "50 digits" not in d.to_latex()
    assert "<dt>Precision</dt><dd>exact</dd>" in d.to_html() and "50 digits" not in d.to_html()


def test_a_black_box_verdict_says_numerically_unequal_not_undecided():
    unequal = Verdict("op(D[f(x - d)]) = g(op(D[f]), d)", None, "numeric", [mpmath.mpf("0.032")], cells=(0,),
                      dps=15, bound=mpmath.mpf("0.032"), tolerance=mpmath.mpf("2.3e-13"))
    equal = Verdict("op(D[f(x - d)]) = g(op(D[f]), d)", None, "numeric", [mpmath.mpf("1e-15")], cells=(0,),
                    dps=15, bound=mpmath.mpf("1e-15"), tolerance=mpmath.mpf("2.3e-13"))
    d = Derivation("n", "T").verdict(unequal, label="far above").verdict(equal, label="within")
    for text in (d.to_markdown(), d.to_latex(), visible_text(d.to_html())):
        assert "numerically unequal (not certified)" in text and "numerically equal (not proved)" in text
        assert "undecided" not in text
    assert "above the tolerance" in d.to_markdown() and "within the tolerance" in d.to_markdown()


def test_a_long_exact_residual_is_shown_by_its_value():
    long_value = sum(sympy.cos(sympy.pi * k / 997) for k in range(1, 9))
    v = Verdict("A = B", False, "symbolic", [long_value], cells=(0,),
                certificate={"cell": 0, "kind": "exact", "value": long_value})
    md = Derivation("n", "T").verdict(v).to_markdown()
    assert "| 0 | $\\approx " in md and "\\cos" not in md.split("| cell |")[1]


def test_titles_keep_an_abbreviation_with_its_number():
    d = Derivation("n", "A conv layer is not equivariant (eq. 4); see Figure 2")
    assert "\\bfseries A conv layer is not equivariant (eq.~4); see Figure~2\\end{center}" in d.to_latex()
    assert '<span class="nb">(eq. 4);</span>' in d.to_html() and '<span class="nb">Figure 2</span>' in d.to_html()
    assert "(eq.\u00a04)" in d.to_markdown()


def test_pdf_figures_go_into_the_latex_report(tmp_path):
    from symequiv.output.figures import edge_response_curve

    image = edge_response_curve(samples=3)
    d = Derivation("n", "T").figure("curve", png=image.png, svg=image.svg, pdf=image.pdf, caption="A curve.")
    assert "keepaspectratio]{curve.pdf}" in d.to_latex()
    assert json.loads(d.to_json())["steps"][0]["pdf"] == "curve.pdf"
    d.write(tmp_path, formats=("tex",))
    assert (tmp_path / "curve.pdf").read_bytes() == image.pdf
    d.write(tmp_path / "md", formats=("md",))
    assert sorted(os.listdir(tmp_path / "md")) == ["curve.png", "curve.svg", "n.md"]  # no PDF beside Markdown
    with pytest.raises(InvalidArgument, match="%PDF-"):
        Derivation("n", "T").figure("f", png=tiny_png(), pdf=b"GIF89a")
    with pytest.raises(InvalidArgument, match="named like its report"):
        Derivation("same", "T").figure("same", png=tiny_png())


def test_figure_numbers_are_not_doubled(derivation):
    for text in (derivation.to_markdown(), derivation.to_latex(), derivation.to_html()):
        assert not re.search(r"Figure.\d\.(?:\*\*|}|</strong>)\s*Figure", text)


# ------------------------------------------------------------------ PDF --

PDFLATEX, PDFFONTS, PDFTOPPM = (shutil.which(tool) for tool in ("pdflatex", "pdffonts", "pdftoppm"))
needs_pdf_tools = pytest.mark.skipif(
    None in (PDFLATEX, PDFFONTS, PDFTOPPM),
    reason="pdflatex, pdffonts or pdftoppm missing (.ci/run installs texlive-latex-recommended, lmodern, poppler-utils)",
)


def compile_pdf(folder, name):
    """Compile NAME.tex in ``folder``: (the PDF path, the log text); fails the test on a LaTeX error."""
    run = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"], cwd=folder,
                         capture_output=True, timeout=180)
    log = (folder / f"{name}.log").read_text(errors="replace")
    assert run.returncode == 0, log[-3000:]
    return folder / f"{name}.pdf", log


def check_pdf(pdf, log):
    """Vector fonts only, no line or table wider than the text, and every page renders."""
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)
    fonts = subprocess.run([PDFFONTS, str(pdf)], capture_output=True, text=True, timeout=60, check=True).stdout
    assert "Type 3" not in fonts, fonts
    pages = subprocess.run([PDFTOPPM, "-r", "40", "-png", str(pdf), str(pdf.with_suffix(""))], capture_output=True,
                           timeout=120)
    assert pages.returncode == 0, pages.stderr
    images = sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))
    assert images
    for image in images:
        with PIL.Image.open(image) as page:
            assert page.convert("L").getextrema()[0] < 128, f"{image.name} is blank"
    return images


@needs_pdf_tools
def test_latex_compiles_with_vector_fonts_and_nothing_too_wide(derivation, tmp_path):
    derivation.write(tmp_path, formats=("tex",))
    pdf, log = compile_pdf(tmp_path, NAME)
    check_pdf(pdf, log)


def test_the_page_title_shows_what_its_math_shows():
    page = Derivation("n", "The edge of $H(x - \\Delta x/2)$").to_html()
    assert "<title>The edge of H(x−Δx/2)</title>" in page


def test_markdown_escapes_line_starts_only_where_a_line_starts():
    d = Derivation("n", "T").verdict(proved_verdict(), label="$g$ = linear").text("- not a list, and $x$ = 1. 2")
    text = d.to_markdown()
    assert "## Verdict: $g$ = linear (main)" in text and "- **Compared cells:** 1..2 (2)" in text
    assert "\\- not a list, and $x$ = 1. 2" in text


def wide_prose_table():
    words = "fails (certified); symbolic"
    return Derivation("wide", "T").table(["signal", "linear", "cubic", "Fourier", "Lanczos"],
                                         [["a step inside a cell", words, words, words, words]] * 3)


def test_a_wide_table_of_prose_wraps_instead_of_shrinking():
    tex = wide_prose_table().to_latex()
    assert "\\begin{tabularx}{\\linewidth}" in tex and "\\resizebox" not in tex


@needs_pdf_tools
def test_a_wide_table_of_prose_compiles_within_the_text_width(tmp_path):
    wide_prose_table().write(tmp_path, formats=("tex",))
    check_pdf(*compile_pdf(tmp_path, "wide"))


LATEX_PIECES = ["\\frac", "\\sqrt", "[", "]", "{", "}", "^", "_", "\\left(", "\\right)", "\\left.", "\\right|", "x",
                "2", "-", "+", "&", "\\\\", "\\begin{cases}", "\\end{cases}", "\\begin{matrix}", "\\end{pmatrix}",
                "\\text{a b}", "\\mathrm{d}", "\\cos", "\\sum", "\\int\\limits", "\\alpha", "\\Delta", "'", "\\,",
                "\\unknown", "<", "\\{", "\\}", "\\|", "\\left", "\\right", "\\bigl(", "\\not", "=", "\\limits"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LATEX_PIECES), max_size=30))
def test_any_inline_latex_becomes_well_formed_mathml_or_its_source(pieces):
    latex = " ".join(pieces)
    markup = report._inline_latex_mathml(latex)
    ElementTree.fromstring(markup)  # well-formed: every element closed, text escaped


def test_deeply_nested_latex_is_shown_as_source_not_a_crash():
    for latex in ("\\frac" * 2000 + "12", "{" * 500 + "x" + "}" * 500, "\\sqrt" * 3000 + "x"):
        markup = report._inline_latex_mathml(latex)
        assert markup.startswith("<math") and ("<mtext>" in markup or "<mfrac>" in markup)
