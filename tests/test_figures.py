"""Tests of symequiv.output.figures: valid, deterministic images of exactly computed values."""

import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import matplotlib
import mpmath
import pytest
import sympy

import symequiv as se
from symequiv.output import figures
from symequiv.output.figures import Image, edge_response_curve, figure1_edge_detector, figure2_advection, residual_curve

R = sympy.Rational
LAYER = se.Conv([2, -2], origin=1, bias=-1) >> se.ReLU()


@pytest.fixture(scope="module")
def drawings(wave_sweep):
    """Each figure function with its arguments, drawn once for the module."""
    makers = {
        "figure1_edge_detector": lambda: figure1_edge_detector(),
        "edge_response_curve": lambda: edge_response_curve(),
        "figure2_advection": lambda: figure2_advection(),
        "residual_curve": lambda: residual_curve(wave_sweep, "sin(2 pi x), linear shift"),
    }
    return {name: (make, make()) for name, make in makers.items()}


def png_size(data):
    """(width, height) from a PNG's IHDR chunk."""
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# ------------------------------------------------------------ every figure --


@pytest.mark.parametrize(
    "name", ["figure1_edge_detector", "edge_response_curve", "figure2_advection", "residual_curve"]
)
def test_figure_is_a_valid_png_and_svg(drawings, name):
    _, image = drawings[name]
    assert isinstance(image, Image)
    assert image.name == name
    assert image.png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = png_size(image.png)
    assert width > 100 and height > 100
    assert b"<svg" in image.svg
    root = ElementTree.fromstring(image.svg)  # well-formed XML
    assert root.tag.endswith("svg")
    assert isinstance(image.caption, str) and image.caption
    assert image.data


@pytest.mark.parametrize(
    "name", ["figure1_edge_detector", "edge_response_curve", "figure2_advection", "residual_curve"]
)
def test_figure_bytes_are_deterministic(drawings, name):
    make, first = drawings[name]
    second = make()
    assert second.png == first.png
    assert second.svg == first.svg
    assert second.pdf == first.pdf
    assert second.caption == first.caption
    assert second == first


def test_no_dates_or_versions_in_the_files(drawings):
    _, image = drawings["figure1_edge_detector"]
    assert matplotlib.__version__.encode() not in image.png
    assert matplotlib.__version__.encode() not in image.svg
    assert matplotlib.__version__.encode() not in image.pdf
    assert b"<dc:date>" not in image.svg and b"/CreationDate" not in image.pdf


def test_the_users_style_does_not_change_the_bytes_and_is_restored(drawings):
    _, reference = drawings["figure1_edge_detector"]
    user = {"lines.linewidth": 7.0, "font.size": 20.0, "axes.facecolor": "#ffeeee", "svg.hashsalt": None}
    with matplotlib.rc_context(user):
        image = figure1_edge_detector()
        assert matplotlib.rcParams["lines.linewidth"] == 7.0
        assert matplotlib.rcParams["axes.facecolor"] == "#ffeeee"
        assert matplotlib.rcParams["svg.hashsalt"] is None
    assert image.png == reference.png
    assert image.svg == reference.svg


def test_image_repr_and_notebook_display(drawings):
    _, image = drawings["figure2_advection"]
    text = repr(image)
    assert text.startswith("<Image 'figure2_advection': ")
    assert f"{len(image.png)}-byte PNG" in text and f"{len(image.svg)}-byte SVG" in text
    assert image._repr_png_() is image.png


def test_all_is_explicit_and_complete():
    assert sorted(figures.__all__) == sorted(
        ["Image", "figure1_edge_detector", "edge_response_curve", "figure2_advection", "residual_curve",
         "detector_2d", "edge_detector_2d", "edge_response_map"]
    )
    for name in figures.__all__:
        assert getattr(figures, name) is not None


# ----------------------------------------------------------------- backend --


def test_drawing_does_not_change_the_backend():
    before = matplotlib.get_backend()
    edge_response_curve(samples=3)
    assert matplotlib.get_backend() == before


def test_importing_and_drawing_in_a_fresh_process_keeps_the_users_backend():
    code = (
        "import sys, matplotlib\n"
        "import symequiv.output.figures as f\n"
        "f.figure2_advection(n=4)\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
        "print(matplotlib.get_backend())\n"
    )
    env = dict(os.environ, MPLBACKEND="pdf")
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "pdf"


# --------------------------------------------------------------- figure 1 --


def test_figure1_plots_the_papers_exact_values(drawings):
    _, image = drawings["figure1_edge_detector"]
    original, translated = image.data["original"], image.data["translated"]
    assert original["shift"] == 0
    assert translated["shift"] == R(1, 4)  # dx/2 with dx = 1/2
    assert original["pixels"] == [0, 0, 1, 1]
    assert original["outputs"] == [0, 1, 0, 0]
    assert translated["pixels"] == [0, 0, R(1, 2), 1]
    assert translated["outputs"] == [0, 0, 0, 0]
    for row in (original, translated):
        assert all(isinstance(v, sympy.Rational) for v in (*row["pixels"], *row["outputs"]))
    assert image.data["grid"] == se.Grid(-1, 1, 4)
    assert image.data["layer"] == LAYER
    assert "\\left[0, 1, 0, 0\\right]" in image.caption and "\\left[0, 0, \\frac{1}{2}, 1\\right]" in image.caption


def test_figure1_values_agree_with_an_independent_computation(drawings):
    _, image = drawings["figure1_edge_detector"]
    D = se.CellAverage(se.Grid(-1, 1, 4))
    for row in (image.data["original"], image.data["translated"]):
        pixels = D(se.Signal("Heaviside(x)").shifted(row["shift"]))
        assert row["pixels"] == pixels
        assert row["outputs"] == LAYER(pixels)


# ------------------------------------------------------- edge response curve --


def test_edge_response_at_no_shift_and_at_half_a_pixel(drawings):
    _, image = drawings["edge_response_curve"]
    deltas, outputs = image.data["deltas"], image.data["outputs"]
    assert len(deltas) == len(outputs) == 65
    assert deltas[0] == 0 and deltas[-1] == R(1, 2)
    assert all(isinstance(d, sympy.Rational) for d in deltas)
    assert outputs[0] == [0, 1, 0, 0]
    assert outputs[deltas.index(R(1, 4))] == [0, 0, 0, 0]
    assert outputs[-1] == [0, 0, 1, 0]  # one whole pixel later the edge is found one pixel on


def test_edge_response_matches_the_exact_route_at_every_sampled_shift():
    image = edge_response_curve(samples=9)
    D = se.CellAverage(se.Grid(-1, 1, 4))
    H = se.Signal("Heaviside(x)")
    for d, out in zip(image.data["deltas"], image.data["outputs"]):
        assert out == LAYER(D(H.shifted(d)))
        assert all(v.is_Rational for v in out)
    assert image.data["closed_form"] == LAYER(D.closed_form(H))


@pytest.mark.parametrize("samples", [1, 0, -3])
def test_edge_response_needs_two_samples(samples):
    with pytest.raises(se.InvalidArgument, match=f"samples={samples}"):
        edge_response_curve(samples=samples)


@pytest.mark.parametrize("samples", [2.0, "65", True])
def test_edge_response_needs_an_int(samples):
    with pytest.raises(se.InvalidType, match="samples="):
        edge_response_curve(samples=samples)


# --------------------------------------------------------------- figure 2 --


def test_figure2_data_are_the_exact_cell_averages(drawings):
    _, image = drawings["figure2_advection"]
    grid = se.Grid(0, 1, 8, periodic=True)
    D = se.CellAverage(grid)
    wave = se.Signal("sin(2*pi*x)", period=1)
    assert image.data["grid"] == grid
    assert image.data["times"] == (0, R(1, 16))
    assert image.data["averages"][0] == D(wave)
    assert image.data["averages"][R(1, 16)] == D(wave.shifted(R(1, 16)))
    first = image.data["averages"][0]
    assert first[0] == 4 / sympy.pi - 2 * sympy.sqrt(2) / sympy.pi  # 8 * (1 - cos(pi/4)) / (2 pi), exact


@pytest.mark.parametrize("n, L, c", [(8, 1, 1), (6, "2*pi", 2), (5, 3, "-1/2")])
def test_figure2_agrees_with_the_papers_formula(n, L, c):
    """f_j^h(t) = L/(pi dx) sin(2 pi (x_j - c t)/L) sin(pi dx/L), at 50 digits."""
    image = figure2_advection(n=n, L=L, c=c)
    grid = image.data["grid"]
    length, dx, speed = grid.length, grid.dx, sympy.sympify(c)
    assert image.data["times"][1] == dx / (2 * speed)
    for t in image.data["times"]:
        for j, value in enumerate(image.data["averages"][t]):
            xj = (j + R(1, 2)) * dx
            paper = length / (sympy.pi * dx) * sympy.sin(2 * sympy.pi * (xj - speed * t) / length) * sympy.sin(
                sympy.pi * dx / length
            )
            assert abs(sympy.N(value - paper, 50)) < sympy.Float("1e-45")


def test_figure2_cell_averages_change_shape(drawings):
    _, image = drawings["figure2_advection"]
    before, after = (image.data["averages"][t] for t in image.data["times"])
    with mpmath.workdps(30):
        assert max(map(sympy.N, before)) != max(map(sympy.N, after))


def test_figure2_rejects_a_zero_speed():
    with pytest.raises(se.InvalidArgument, match="c=0"):
        figure2_advection(c=0)


def test_figure2_rejects_a_bad_grid():
    with pytest.raises(se.InvalidArgument, match="n=0"):
        figure2_advection(n=0)


# ---------------------------------------------------------- hostile values --


class _HostileRepr:
    def __repr__(self):
        raise RuntimeError("a repr that raises")


def test_a_hostile_value_gives_one_symequiv_error():
    with pytest.raises(se.InvalidType):
        edge_response_curve(samples=_HostileRepr())


# ------------------------------------------------- publication-grade output --

FIGURES = ["figure1_edge_detector", "edge_response_curve", "figure2_advection", "residual_curve"]


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_has_a_vector_pdf_with_truetype_fonts(drawings, name):
    _, image = drawings[name]
    assert image.pdf.startswith(b"%PDF-")
    assert b"/Type3" not in image.pdf and b"/CIDFontType2" in image.pdf  # TrueType outlines, not Type 3
    assert not re.search(rb"/Subtype\s*/Image", image.pdf)  # drawn, not a bitmap


@pytest.mark.parametrize("name", FIGURES)
def test_png_is_drawn_at_200_dpi(drawings, name):
    _, image = drawings[name]
    width, _ = png_size(image.png)
    svg_width = float(ElementTree.fromstring(image.svg).get("width").removesuffix("pt"))  # points: 72 per inch
    assert width == pytest.approx(svg_width / 72 * 200, abs=2)


@pytest.mark.parametrize("name", FIGURES)
def test_captions_carry_no_figure_number_and_no_python_reprs(drawings, name):
    _, image = drawings[name]
    assert not image.caption.lower().startswith("figure")  # a report numbers its figures
    for repr_text in ("Grid(", "Conv(", "ReLU(", ">>", "Sequential(", "dx/2", "delta"):
        assert repr_text not in image.caption.replace("\\delta", ""), repr_text


def test_edge_response_legend_covers_no_curve(drawn):
    figure = drawn(edge_response_curve)
    ax = figure.axes[0]
    legend = ax.get_legend().get_window_extent()
    for line in ax.get_lines():
        points = ax.transData.transform(line.get_xydata())
        inside = [(x, y) for x, y in points if legend.contains(x, y)]
        assert not inside, f"the legend covers {line.get_label()!r}"


def test_edge_response_draws_no_curve_over_another(drawn):
    figure = drawn(edge_response_curve)
    curves = [tuple(map(tuple, line.get_xydata())) for line in figure.axes[0].get_lines() if line.get_marker() == "o"]
    assert len(curves) == len(set(curves)), "two curves coincide: one hides the other"
    lines = [line for line in figure.axes[0].get_lines() if line.get_marker() == "o"]
    assert [line.get_label() for line in lines] == ["output pixels 0 and 3 (0 at every shift)", "output pixel 1",
                                                    "output pixel 2"]
    # where curves coincide on part of the range (every output is 0 somewhere), the one drawn later is
    # thinner, so the one under it still shows
    widths = [line.get_linewidth() for line in lines]
    assert widths == sorted(widths, reverse=True) and len(set(widths)) == len(widths)


def test_figure1_value_labels_stay_off_the_image_line(drawn):
    figure = drawn(figure1_edge_detector)
    renderer = figure.canvas.get_renderer()
    for ax in figure.axes:
        black = [line for line in ax.get_lines() if line.get_color() == "black"]
        for text in ax.texts:
            box = text.get_window_extent(renderer)
            for line in black:
                points = ax.transData.transform(line.get_xydata())
                # every segment, finely sampled (a jump is one vertical segment)
                for (x0, y0), (x1, y1) in zip(points, points[1:]):
                    for t in [k / 40 for k in range(41)]:
                        x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                        assert not box.contains(x, y), f"label {text.get_text()!r} sits on the image's line"


# ------------------------------------------------------------ two dimensions --


def _slanted_edge_average(x0, x1, y0, y1, ox=0, oy=0):
    """Average of H((x - ox) - (y - oy)/8) over a cell, by quadrature of the chord length in x (written out here)."""
    def chord(t):
        edge = ox + (t - oy) / 8  # x where the edge crosses height t
        return max(mpmath.mpf(0), mpmath.mpf(x1) - max(mpmath.mpf(x0), edge))

    return mpmath.quad(chord, [y0, y1]) / ((x1 - x0) * (y1 - y0))


def test_the_2d_edge_detector_figure_matches_quadrature_and_the_detector_formula():
    from symequiv.output.figures import edge_detector_2d

    image = edge_detector_2d()
    edges = [sympy.Rational(k - 4, 2) for k in range(0, 9, 2)]  # -1, -1/2, 0, 1/2, 1 ... every other
    edges = [sympy.Rational(-1) + sympy.Rational(k, 2) for k in range(5)]
    for key, ox in (("original", 0), ("translated", sympy.Rational(1, 4))):
        pixels, outputs = image.data[key]["pixels"], image.data[key]["outputs"]
        with mpmath.workdps(30):
            for i in range(4):
                for j in range(4):
                    expected = _slanted_edge_average(edges[i], edges[i + 1], edges[j], edges[j + 1], ox=ox)
                    assert abs(mpmath.mpf(sympy.N(pixels[i, j], 30)) - expected) < mpmath.mpf(10) ** -20
        for i in range(4):
            for j in range(4):
                def b(p, q):
                    return pixels[p, q] if 0 <= p < 4 and 0 <= q < 4 else 0
                smoothed = sum(c * (b(i + 1, j + k) - b(i, j + k)) for k, c in ((-1, sympy.S.Half), (0, 1), (1, sympy.S.Half)))
                assert outputs[i, j] == max(0, smoothed - sympy.Rational(5, 4))
    assert any(v != 0 for v in image.data["original"]["outputs"].flat)
    assert all(v == 0 for v in image.data["translated"]["outputs"].flat)
    assert image.png[1:4] == b"PNG" and b"<svg" in image.svg


def test_the_2d_response_map_is_the_closed_form_at_each_shift():
    from symequiv.output.figures import edge_response_map

    image = edge_response_map(samples=5)
    grid, layer = image.data["grid"], image.data["layer"]
    D = se.CellAverage(grid)
    for a in (0, 2, 4):
        for b in (1, 3):
            shift = (image.data["deltas"][0][a], image.data["deltas"][1][b])
            direct = layer(D(se.Signal("Heaviside(x - y/8)").shifted(shift)))
            assert image.data["response"][a][b] == max(direct.flat)
    assert image.data["response"][2][0] == 0  # half a pixel along x: no edge seen
    with pytest.raises(se.InvalidArgument, match="at least 2"):
        edge_response_map(samples=1)
