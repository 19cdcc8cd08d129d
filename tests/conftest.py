"""Fixtures that the tests of the figures (symequiv.output.figures) and of the residual curve (judge.curve) share."""

import matplotlib
import matplotlib.figure
import matplotlib.style
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import symequiv as se
from symequiv.judge import curve
from symequiv.output import figures


@pytest.fixture(scope="module")
def wave_sweep():
    grid = se.Grid(0, 1, 8, periodic=True)
    wave = se.Signal("sin(2*pi*x)", period=1)
    return se.sweep(se.CellAverage(grid), wave, ["1/64", "1/32", "1/16"], se.LinearShift())


@pytest.fixture
def drawn(monkeypatch):
    """draw(make): the matplotlib Figure a figure function draws (its drawing code run, not rendered to bytes)."""

    def draw(make):
        kept = {}

        def keep(name, caption, data, size, draw):
            with matplotlib.style.context("default"), matplotlib.rc_context(curve._RC):
                figure = matplotlib.figure.Figure(figsize=size, dpi=100, layout="constrained")
                FigureCanvasAgg(figure)
                draw(figure)
                figure.canvas.draw()
            kept["figure"] = figure
            return curve.Image(name, b"", b"", caption, data)

        monkeypatch.setattr(figures, "render_image", keep)
        monkeypatch.setattr(curve, "render_image", keep)
        make()
        return kept["figure"]

    return draw
