"""End to end: every proof script runs, its verdicts are the computed ones, its reports are well formed."""

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import PIL.Image
import pytest

from symequiv.output.proving import load_proof, proof_names, prove
from symequiv.output.report import Derivation

ROOT = Path(__file__).resolve().parent.parent

# The main verdict each proof must reach (computed by the proof, asserted here).
EXPECTED_MAIN = {
    "eq2_continuous_convolution": True,
    "eq3_integer_shifts": True,
    "eq4_conv_layer": False,
    "ineq5_no_discrete_shift": False,
    "figure1_edge_detector": True,
    "figure1_edge_detector_2d": True,
    "figure2_advection": True,
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    (out / "keep.txt").write_text("not ours")
    results = prove(list(proof_names()), ["md", "tex", "html", "json"], out, progress=False)
    return out, {name: (summary, paths) for name, summary, paths in results}


def test_every_proof_in_the_paper_order_is_registered():
    assert tuple(EXPECTED_MAIN) == proof_names()
    for name in proof_names():
        module = load_proof(name)
        assert module.NAME == name and module.TITLE and callable(module.build)


@pytest.mark.parametrize("name", list(EXPECTED_MAIN))
def test_main_verdicts(reports, name):
    _, results = reports
    summary, paths = results[name]
    assert summary[0]["holds"] is EXPECTED_MAIN[name], summary[0]
    assert {Path(p).suffix for p in paths} >= {".md", ".tex", ".html", ".json"}


# Every verdict of a proof, in the report's order (main first), as (holds, method).
EXPECTED_ALL = {
    # formula = (1/dx) integral; eq. (7) as printed (no 1/dx) is wrong; symequiv = formula;
    # no roll of f^h(0) is f^h(dx/2c); linear g fails; Fourier g holds (band-limited)
    "figure2_advection": [(True, "symbolic"), (False, "symbolic"), (True, "symbolic"), (False, "interval"),
                          (False, "interval"), (True, "symbolic")],
    # both layer outputs, and the checks of both corrected statements
    "figure1_edge_detector": [(True, "symbolic")] * 4,
    # silent after half a pixel (proved), fires before it (an exact nonzero output), whole-pixel
    # shifts proved on the periodic camera, bilinear shift certified unequal, the 2-D witness
    "figure1_edge_detector_2d": [(True, "symbolic"), (False, "symbolic"), (True, "symbolic"), (False, "symbolic"),
                                 (False, "symbolic")],
    # witnesses at dx/2 (cell averages), dx/3 (point samples), sqrt(2)/10 (periodic, a ball);
    # the correction's check: Fourier interpolation commutes for the band-limited sine
    "ineq5_no_discrete_shift": [(False, "symbolic"), (False, "symbolic"), (False, "interval"), (True, "symbolic")],
}


@pytest.mark.parametrize("name", list(EXPECTED_ALL))
def test_every_verdict_of_a_proof(reports, name):
    _, results = reports
    summary, _ = results[name]
    assert [(item["holds"], item["method"]) for item in summary] == EXPECTED_ALL[name]


@pytest.mark.parametrize("name", list(EXPECTED_MAIN))
def test_json_reports_hold_every_verdict(reports, name):
    out, results = reports
    data = json.loads((out / f"{name}.json").read_text())
    summary, _ = results[name]
    text = json.dumps(data)
    assert len(summary) >= 1
    for item in summary:
        assert json.dumps(item["claim"])[1:-1] in text


@pytest.mark.parametrize("name", list(EXPECTED_MAIN))
def test_latex_and_html_are_well_formed(reports, name):
    out, _ = reports
    tex = (out / f"{name}.tex").read_text()
    assert tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")
    begins = re.findall(r"\\begin\{(\w+\*?)\}", tex)
    ends = re.findall(r"\\end\{(\w+\*?)\}", tex)
    assert sorted(begins) == sorted(ends)
    html = (out / f"{name}.html").read_text()
    urls = re.findall(r"https?://[^\s\"'<>]+", html)
    allowed = {"http://www.w3.org/1998/Math/MathML", "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink",
               "http://www.w3.org/1999/xhtml", "http://purl.org/dc/elements/1.1/", "http://creativecommons.org/ns#",
               "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    assert set(urls) <= allowed, set(urls) - allowed
    assert "<math" in html


def test_figures_are_written_beside_the_reports(reports):
    out, _ = reports
    pngs = {p.name for p in out.glob("*.png")}
    assert {"fig1_pixels_and_outputs.png", "fig1_edge_response.png", "fig2_cell_averages.png",
            "eq4_residual_curve.png"} <= pngs
    pdfs = {p.name for p in out.glob("*.pdf")}
    assert {"fig1_pixels_and_outputs.pdf", "fig1_edge_response.pdf", "fig2_cell_averages.pdf",
            "eq4_residual_curve.pdf"} <= pdfs  # vector figures for the LaTeX reports
    assert (out / "keep.txt").read_text() == "not ours"  # nothing else in the folder is touched


def run(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(list(args), capture_output=True, text=True, timeout=300, env=env, cwd=cwd)


def test_a_proof_script_runs_on_its_own(tmp_path):
    result = run(sys.executable, str(ROOT / "proofs" / "eq4_conv_layer.py"), "--out", str(tmp_path), "--format", "md")
    assert result.returncode == 0, result.stderr
    assert "fails (certified)" in result.stdout
    assert (tmp_path / "eq4_conv_layer.md").is_file() and not (tmp_path / "eq4_conv_layer.json").exists()


def test_the_prove_command(tmp_path):
    result = run(sys.executable, "-m", "symequiv", "prove", "eq3_integer_shifts", "figure1_edge_detector",
                 "--format", "md,json", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "eq3_integer_shifts" in result.stdout and "holds (proved)" in result.stdout
    assert sorted(p.suffix for p in tmp_path.iterdir() if p.stem == "eq3_integer_shifts") == [".json", ".md"]
    listed = run(sys.executable, "-m", "symequiv", "prove", "--list")
    assert listed.stdout.split() == list(proof_names())


@pytest.mark.parametrize(
    "args, words",
    [(["prove"], "names or --all"), (["prove", "nonsense"], "Unknown proof"),
     (["prove", "--all", "--format", "pdf"], "Unknown format"), (["prove", "--all", "--jobs", "0"], "--jobs")],
)
def test_bad_prove_input(tmp_path, args, words):
    result = run(sys.executable, "-m", "symequiv", *args, "--out", str(tmp_path))
    assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it where it can)"
)
BROWSER = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@needs_chromium
@pytest.mark.parametrize("name", list(EXPECTED_MAIN))
def test_the_html_report_renders_in_headless_chromium(reports, tmp_path, name):
    out, _ = reports
    screenshot = tmp_path / "shot.png"
    result = subprocess.run(
        [*BROWSER, f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={screenshot}", "--window-size=1000,1400",
         (out / f"{name}.html").as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert screenshot.is_file(), result.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a page with text and math, not a blank one


# What the browser measures on a report page: the report itself runs no script (its
# Content-Security-Policy forbids it), so the test loads a copy without the policy
# and with this probe appended, and reads the problems it writes into the page.
LAYOUT_PROBE = r"""
(function () {
  var main = document.querySelector("main"), problems = [];
  var right = main.getBoundingClientRect().right + 1;
  function describe(el) {
    return el.tagName.toLowerCase() + ": " + (el.textContent || "").replace(/\s+/g, " ").slice(0, 60);
  }
  var all = main.querySelectorAll("*");
  for (var i = 0; i < all.length; i++) {
    var el = all[i], box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (box.width > 0 && box.right > right) {
      problems.push("past the right edge by " + Math.round(box.right - right) + "px: " + describe(el));
    }
    var scrolls = /auto|scroll/.test(style.overflowX + style.overflowY);
    if (scrolls && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
      problems.push("scroll bars: " + describe(el));
    }
  }
  var captions = main.querySelectorAll("caption, p.caption, figcaption");
  for (var j = 0; j < captions.length; j++) {
    var range = document.createRange(), lines = {};
    range.selectNodeContents(captions[j]);
    var rects = range.getClientRects();
    for (var k = 0; k < rects.length; k++) { lines[Math.round(rects[k].bottom / 6)] = true; }
    var width = captions[j].getBoundingClientRect().width;
    if (Object.keys(lines).length > 1 && width < 0.9 * main.clientWidth) {
      problems.push("caption squeezed to " + Math.round(width) + "px: " + describe(captions[j]));
    }
  }
  var texts = main.querySelectorAll("mtext");
  for (var m = 0; m < texts.length; m++) {
    if (texts[m].textContent.indexOf("\\") >= 0) { problems.push("LaTeX shown as text: " + describe(texts[m])); }
  }
  var out = document.createElement("pre");
  out.id = "layout-problems";
  out.textContent = JSON.stringify(problems);
  document.body.appendChild(out);
})();
"""


def layout_problems(page, folder, width=1000):
    """What is wrong with how Chromium lays out an HTML report page (an empty list when nothing)."""
    probe = folder / "probe.html"
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    probe.write_text(page.replace("</body>", f"<script>{LAYOUT_PROBE}</script></body>"), encoding="utf-8")
    result = subprocess.run(
        [*BROWSER, f"--user-data-dir={folder / 'profile'}", f"--window-size={width},1400",
         "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    found = re.search(r'<pre id="layout-problems">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found, result.stderr[-2000:]
    return json.loads(html.unescape(found.group(1)))


@needs_chromium
@pytest.mark.parametrize("name", list(EXPECTED_MAIN))
def test_every_html_report_lays_out_as_a_page(reports, tmp_path, name):
    """Every equation is mathematics, nothing scrolls or sticks out, captions are not squeezed."""
    out, _ = reports
    assert layout_problems((out / f"{name}.html").read_text(encoding="utf-8"), tmp_path) == []


@needs_chromium
def test_a_table_caption_is_not_squeezed_to_a_narrow_table(tmp_path):
    d = Derivation("n", "T").table(["a", "b"], [[1, 2]], caption="a caption a good deal wider than its two-column table")
    assert layout_problems(d.to_html(), tmp_path) == []


def visible_text(page):
    """What an HTML report shows as prose: no style, no mathematics, no figures, no tags."""
    page = re.sub(r"<style>.*?</style>|<math\b.*?</math>|<svg\b.*?</svg>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


# Python that a report must typeset as mathematics instead of showing.
PYTHON_TEXT = re.compile(r"Grid\(|Conv\(|ReLU\(|Sequential\(|CellAverage\(|PointSample\(|Heaviside\(|sqrt\(|exp\("
                         r"|\*\*|\*pi|\bpi\b|\bdelta\b|\bdx\b|\^h|a_m1|\*")


@pytest.mark.parametrize("name", list(EXPECTED_MAIN))
def test_reports_typeset_mathematics_not_python(reports, name):
    out, _ = reports
    shown = visible_text((out / f"{name}.html").read_text(encoding="utf-8"))
    assert PYTHON_TEXT.findall(shown) == [], [line for line in shown.splitlines() if PYTHON_TEXT.search(line)][:5]


@pytest.mark.parametrize("name", list(EXPECTED_MAIN))
def test_figure_numbers_are_written_once(reports, name):
    out, _ = reports
    for suffix in (".md", ".tex", ".html"):
        text = (out / f"{name}{suffix}").read_text(encoding="utf-8")
        assert not re.search(r"Figure.\d\.(?:\*\*|}|</strong>)\s*Figure", text), suffix


def test_the_kernel_index_minus_one_and_the_cell_width_are_typeset(reports):
    out, _ = reports
    eq3 = (out / "eq3_integer_shifts.html").read_text(encoding="utf-8")
    assert '<msub><mi>a</mi><mrow><mo form="prefix">−</mo><mn>1</mn></mrow></msub>' in eq3 and "m1" not in eq3
    advection = (out / "figure2_advection.tex").read_text(encoding="utf-8")
    assert "\\Delta x" in advection and "\\Delta_{x}" not in advection  # the cell width, not Delta with index x


@pytest.mark.parametrize("name", list(EXPECTED_MAIN))
def test_a_proof_by_symbolic_computation_states_no_precision(reports, name):
    out, _ = reports
    text = (out / f"{name}.md").read_text(encoding="utf-8")
    methods = re.findall(r"- \*\*Method:\*\* (\w+).*\n(?:> )?- \*\*Precision:\*\* ([^\n]*)", text)
    assert methods
    for method, precision in methods:
        assert (precision == "exact") == (method == "symbolic"), (method, precision)


PDF_TOOLS = [shutil.which(tool) for tool in ("pdflatex", "pdffonts", "pdftoppm")]


@pytest.mark.skipif(None in PDF_TOOLS, reason="pdflatex, pdffonts or pdftoppm missing (.ci/run installs them)")
@pytest.mark.parametrize("name", list(EXPECTED_MAIN))
def test_every_latex_report_compiles_to_a_clean_pdf(reports, tmp_path, name):
    """pdflatex compiles it; vector fonts only; nothing wider than the text; vector figures; pages render."""
    pdflatex, pdffonts, pdftoppm = PDF_TOOLS
    out, _ = reports
    for path in out.glob(f"*"):
        if path.suffix in (".tex", ".pdf", ".png") and (path.stem == name or path.suffix != ".tex"):
            shutil.copy(path, tmp_path / path.name)
    tex = (tmp_path / f"{name}.tex").read_text(encoding="utf-8")
    assert not re.search(r"\\includegraphics[^{]*\{[^}]*\.png\}", tex)  # figures as vector PDF, not bitmaps
    run = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"], cwd=tmp_path,
                         capture_output=True, timeout=180)
    log = (tmp_path / f"{name}.log").read_text(errors="replace")
    assert run.returncode == 0, log[-3000:]
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*", log)
    fonts = subprocess.run([pdffonts, f"{name}.pdf"], cwd=tmp_path, capture_output=True, text=True, timeout=60).stdout
    assert "Type 3" not in fonts, fonts
    rendered = subprocess.run([pdftoppm, "-r", "40", "-png", f"{name}.pdf", "page"], cwd=tmp_path,
                              capture_output=True, timeout=180)
    assert rendered.returncode == 0, rendered.stderr
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages
    for page in pages:
        with PIL.Image.open(page) as image:
            assert image.convert("L").getextrema()[0] < 128, f"{page.name} is blank"
