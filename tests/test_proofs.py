"""End to end: every proof script runs, its verdicts are the computed ones, its reports are well formed."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from symequiv.proving import load_proof, proof_names, prove

ROOT = Path(__file__).resolve().parent.parent

# The main verdict each proof must reach (computed by the proof, asserted here).
EXPECTED_MAIN = {
    "eq2_continuous_convolution": True,
    "eq3_integer_shifts": True,
    "eq4_conv_layer": False,
    "ineq5_no_discrete_shift": False,
    "figure1_edge_detector": True,
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


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it where it can)")
def test_the_html_report_renders_in_headless_chromium(reports, tmp_path):
    out, _ = reports
    screenshot = tmp_path / "shot.png"
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={screenshot}", "--window-size=1200,1600",
         (out / "figure1_edge_detector.html").as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert screenshot.is_file(), result.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a page with text and figures, not a blank one
