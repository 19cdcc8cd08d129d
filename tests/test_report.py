"""Tests of symequiv.output.report: the derivation's steps, its JSON, determinism, and files written atomically."""

import json
import os
import pickle
import re
import subprocess
import sys

import pytest
import sympy

from report_examples import NAME, PIECEWISE, SVG, TEXT, build, proved_verdict, real_verdict, tiny_png
from symequiv import delta
from symequiv.errors import InvalidArgument, InvalidType, SymequivError
from symequiv.judge.verdict import Verdict
from symequiv.output import report_html
from symequiv.output.report import Derivation


@pytest.fixture(scope="module")
def verdict():
    return real_verdict()


@pytest.fixture(scope="module")
def derivation(verdict):
    return build(verdict)


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
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run([sys.executable, "-c", script, os.path.join(here, "report_examples.py")], capture_output=True,
                         env=env, cwd=os.path.dirname(here), check=True).stdout
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

    monkeypatch.setattr(report_html, "_mathml_block", explode)  # Markdown and LaTeX render, HTML does not
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


# ---------------------------------------------------------- every format --


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
