"""The paper's figures, drawn from symequiv's exact values, as PNG and SVG bytes.

Each function computes what it plots with symequiv (cell averages, layer
outputs, closed forms, sweeps), keeps those exact values in ``image.data``,
and converts them to floats only to draw them. The result is an
:class:`Image`: its ``png`` and ``svg`` bytes, a ``name`` to save it under
and a ``caption`` written from the computed values.

>>> from symequiv.figures import figure1_edge_detector
>>> image = figure1_edge_detector()
>>> image.data["original"]["outputs"], image.data["translated"]["outputs"]
(Values([0, 1, 0, 0]), Values([0, 0, 0, 0]))
>>> image.png[1:4], b"<svg" in image.svg
(b'PNG', True)

Drawing never goes through ``pyplot``: each figure is a
:class:`matplotlib.figure.Figure` on its own Agg canvas, so the user's
backend and open figures are untouched. The figures are deterministic: the
same arguments give byte-identical PNG and SVG, whatever the user's
``rcParams`` (matplotlib's default style is applied for the drawing and
restored after; dates, software versions and SVG ids are kept out of the
files). As with any change of ``rcParams``, do not draw from two threads at
once.
"""

import dataclasses
import io

import matplotlib
import matplotlib.style
import mpmath
import sympy
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .backends import MPMATH, compile_function
from .check import Sweep
from .discretize import CellAverage
from .errors import InvalidArgument, InvalidType, short_repr
from .grid import Grid
from .layers import Conv, ReLU
from .numbers import exact_number, to_mpmath
from .piecewise import PiecewiseFunction
from .signal import Signal
from .symbols import delta, x
from .values import Values

__all__ = ["Image", "figure1_edge_detector", "edge_response_curve", "figure2_advection", "residual_curve"]

# Resolution of the PNG files, in dots per inch.
_DPI = 100
# Digits at which exact values are evaluated before rounding to float.
_PLOT_DPS = 30
# Points per continuous curve (spread over its smooth pieces).
_CURVE_POINTS = 256
# Settings applied on top of matplotlib's default style while drawing.
_RC = {"svg.hashsalt": "symequiv", "svg.fonttype": "path", "font.size": 9}
_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None}

_BLUE, _ORANGE, _GREEN, _RED, _GREY = "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#7f7f7f"
_PIXEL_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")


@dataclasses.dataclass(frozen=True, repr=False)
class Image:
    """A drawn figure: PNG and SVG bytes, a file name stem, a caption and its data.

    Explanation
    ===========

    ``data`` holds the exact values that were plotted (sympy numbers, symequiv
    :class:`~symequiv.values.Values`, grids), so a report or a test can state
    or check them without reading pixels. Two images are equal when their
    name, bytes and caption are.

    Examples
    ========

    >>> from symequiv.figures import edge_response_curve
    >>> image = edge_response_curve(samples=5)
    >>> image
    <Image 'edge_response_curve': ...-byte PNG, ...-byte SVG>
    >>> image.data["deltas"]
    (0, 1/8, 1/4, 3/8, 1/2)

    Parameters
    ==========

    name : str
        A file name stem, such as ``"figure1_edge_detector"``.
    png, svg : bytes
        The figure in both formats.
    caption : str
        One or two sentences saying what the figure shows, with its numbers.
    data : dict
        The exact values plotted (not compared by ``==``).
    """

    name: str
    png: bytes
    svg: bytes
    caption: str
    data: dict = dataclasses.field(default_factory=dict, compare=False)

    def __repr__(self):
        return f"<Image {self.name!r}: {len(self.png)}-byte PNG, {len(self.svg)}-byte SVG>"

    def _repr_png_(self):
        return self.png


# ------------------------------------------------------------------ figures --


def figure1_edge_detector():
    """The paper's Figure 1: the edge detector finds the edge of H(x), not of H(x - dx/2).

    Explanation
    ===========

    Two rows: the image H(x) and the translated image H(x - dx/2) on
    [-1, 1]. Each row shows the continuous image with its four pixel values
    D[f] (:class:`~symequiv.CellAverage` on ``Grid(-1, 1, 4)``), and the
    output of the layer ``Conv([2, -2], origin=1, bias=-1) >> ReLU()`` on
    those pixels. Every number is computed by symequiv.

    ``image.data`` maps ``"original"`` and ``"translated"`` to dicts with the
    exact ``"shift"``, ``"pixels"`` and ``"outputs"``; it also holds the
    ``"grid"`` and the ``"layer"``.

    Examples
    ========

    >>> from symequiv.figures import figure1_edge_detector
    >>> image = figure1_edge_detector()
    >>> image.data["translated"]["pixels"]
    Values([0, 0, 1/2, 1])
    >>> print(image.caption)
    Figure 1: the layer Conv([2, -2], origin=1, bias=-1) >> ReLU() on the pixels ...

    References
    ==========

    The paper, section 3, "Deep Learning for Images", and its Figure 1.
    """
    grid = Grid(-1, 1, 4)
    D = CellAverage(grid)
    layer = Conv([2, -2], origin=1, bias=-1) >> ReLU()
    H = Signal("Heaviside(x)")
    rows = {}
    for key, shift in (("original", sympy.Integer(0)), ("translated", grid.dx / 2)):
        signal = H.shifted(shift)
        pixels = D(signal)
        rows[key] = {"shift": shift, "signal": signal, "pixels": pixels, "outputs": layer(pixels)}
    data = {"grid": grid, "layer": layer, **rows}
    layer_text = _layer_text(layer)
    caption = (
        f"Figure 1: the layer {layer_text} on the pixels (cell averages on {grid!r}) of H(x), "
        f"{_vector_text(rows['original']['pixels'])}, gives {_vector_text(rows['original']['outputs'])}: "
        f"an edge is detected. On the image translated by dx/2 = {rows['translated']['shift']}, pixels "
        f"{_vector_text(rows['translated']['pixels'])}, it gives {_vector_text(rows['translated']['outputs'])}: "
        "no edge."
    )

    def draw(figure):
        axes = figure.subplots(2, 2, sharex=True, sharey=True)
        titles = {"original": "$H(x)$", "translated": r"$H(x - \Delta x/2)$"}
        for (left, right), key in zip(axes, ("original", "translated")):
            row = rows[key]
            xs, ys = _curve(row["signal"], grid.start, grid.stop)
            left.plot(xs, ys, color="black", linewidth=1.5, label="image")
            _pixels(left, grid, row["pixels"], _BLUE, "pixels $D^h[f]$")
            left.set_title(f"{titles[key]}: image and pixels")
            _pixels(right, grid, row["outputs"], _ORANGE, "layer output")
            right.set_title(f"{titles[key]}: layer output")
            for ax in (left, right):
                ax.set_ylim(-0.15, 1.3)
                ax.set_xlim(_float(grid.start), _float(grid.stop))
                ax.set_xticks([_float(e) for e in grid.edges])
                ax.grid(axis="x", color=_GREY, linewidth=0.5, linestyle=":")
            left.legend(loc="upper left", frameon=False)
        for ax in axes[-1]:
            ax.set_xlabel("$x$")
        figure.suptitle(f"Edge detector ${layer.latex()}$ on $N = {grid.n}$ pixels")

    return _render("figure1_edge_detector", caption, data, (8, 5), draw)


def edge_response_curve(samples=65):
    """The edge detector's four outputs as the image H(x - delta) moves by one pixel.

    Explanation
    ===========

    The exact closed form ``layer(D.closed_form(H))`` (piecewise linear in
    delta) is evaluated at ``samples`` equally spaced rational shifts from 0
    to dx = 1/2, with ``D = CellAverage(Grid(-1, 1, 4))`` and the layer of
    :func:`figure1_edge_detector`. At delta = 0 pixel 1 fires; at
    delta = dx/2 no pixel does.

    ``image.data`` holds ``"deltas"`` (exact shifts), ``"outputs"`` (one
    :class:`~symequiv.values.Values` per shift), ``"closed_form"`` (the
    layer's output as expressions in delta), ``"grid"`` and ``"layer"``.

    Examples
    ========

    >>> from symequiv.figures import edge_response_curve
    >>> image = edge_response_curve(samples=3)
    >>> image.data["deltas"], image.data["outputs"]
    ((0, 1/4, 1/2), (Values([0, 1, 0, 0]), Values([0, 0, 0, 0]), Values([0, 0, 1, 0])))

    Parameters
    ==========

    samples : int
        Number of shifts, at least 2, both ends included. When it is odd,
        delta = dx/2 is among them.
    """
    if isinstance(samples, bool) or not isinstance(samples, int):
        raise InvalidType(f"Expected an int number of samples but got samples={short_repr(samples)}")
    if samples < 2:
        raise InvalidArgument(f"Expected at least 2 samples (both ends of the pixel) but got samples={samples}")
    grid = Grid(-1, 1, 4)
    D = CellAverage(grid)
    layer = Conv([2, -2], origin=1, bias=-1) >> ReLU()
    closed = layer(D.closed_form(Signal("Heaviside(x)")))
    deltas = tuple(grid.dx * sympy.Rational(k, samples - 1) for k in range(samples))
    outputs = tuple(Values(e.xreplace({delta: d}) for e in closed) for d in deltas)
    data = {"grid": grid, "layer": layer, "closed_form": closed, "deltas": deltas, "outputs": outputs}
    fired = [j for j in range(grid.n) if any(out[j] != 0 for out in outputs)]
    caption = (
        f"Output of {_layer_text(layer)} on the pixels of H(x - delta), {grid!r}, at {samples} exact shifts "
        f"delta from 0 to dx = {grid.dx}: {_vector_text(outputs[0])} at delta = 0, "
        f"{_vector_text(outputs[-1])} at delta = dx. Pixels that respond at some shift: {fired}."
    )
    halfway = grid.dx / 2
    if halfway in deltas:
        caption += f" At delta = dx/2: {_vector_text(outputs[deltas.index(halfway)])}."

    def draw(figure):
        ax = figure.subplots()
        xs = [_float(d / grid.dx) for d in deltas]
        for j in range(grid.n):
            ax.plot(xs, [_float(out[j]) for out in outputs], color=_PIXEL_COLORS[j % len(_PIXEL_COLORS)],
                    marker="o", markersize=2.5, linewidth=1.2, label=f"output pixel {j}")
        ax.axvline(0.5, color=_GREY, linestyle="--", linewidth=0.8)
        ax.text(0.5, 1.05, r" $\delta = \Delta x/2$", color=_GREY, va="bottom")
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.05, 1.2)
        ax.set_xlabel(r"shift $\delta / \Delta x$ of the image $H(x - \delta)$")
        ax.set_ylabel("layer output")
        ax.set_title(f"Edge detector output while the edge moves by one pixel ($\\Delta x = {sympy.latex(grid.dx)}$)")
        ax.legend(loc="upper right", frameon=False)

    return _render("edge_response_curve", caption, data, (6.5, 4), draw)


def figure2_advection(n=8, L=1, c=1):
    """The paper's Figure 2: the cell averages of a translating sine change shape.

    Explanation
    ===========

    The exact solution of the advection equation (paper eq. 6) with
    f(x, 0) = sin(2 pi x / L) is f(x, t) = sin(2 pi (x - c t) / L). Its cell
    averages f^h(t) (eq. 7, :class:`~symequiv.CellAverage` on
    ``Grid(0, L, n, periodic=True)``) are computed exactly at t = 0 and
    t = dx/(2c), as ``D(f0.shifted(c*t))``, and drawn as steps under the
    continuous solution.

    ``image.data`` holds ``"grid"``, ``"signal"`` (f at t = 0), ``"times"``
    (the two exact times) and ``"averages"`` (a dict from each time to its
    exact :class:`~symequiv.values.Values`).

    Examples
    ========

    >>> from symequiv.figures import figure2_advection
    >>> image = figure2_advection(n=4)
    >>> image.data["times"]
    (0, 1/8)
    >>> image.data["averages"][0]
    Values([2/pi, 2/pi, -2/pi, -2/pi])

    Parameters
    ==========

    n : int
        Number of cells.
    L : number
        Length of the periodic domain [0, L] (exact; ``"2*pi"`` works).
    c : number
        Advection speed, not zero.

    References
    ==========

    The paper, section 3, "Deep Learning for PDEs", eqs. (6) and (7) and
    Figure 2.
    """
    grid = Grid(0, L, n, periodic=True)
    length = grid.length
    speed = exact_number(c, "c")
    if speed == 0:
        raise InvalidArgument("Expected a nonzero advection speed but got c=0; t = dx/(2c) needs c != 0")
    D = CellAverage(grid)
    f0 = Signal(sympy.sin(2 * sympy.pi * x / length), period=length)
    times = (sympy.Integer(0), grid.dx / (2 * speed))
    solutions = {t: f0.shifted(speed * t) for t in times}
    averages = {t: D(solutions[t]) for t in times}
    data = {"grid": grid, "signal": f0, "speed": speed, "times": times, "averages": averages}
    caption = (
        f"Figure 2: f(x, t) = sin(2 pi (x - c t)/L) with L = {length}, c = {speed}, "
        f"and its exact cell averages f^h(t) on {grid!r} at t = 0 and t = dx/(2c) = {times[1]}. "
        "The continuous solution only translates, while the cell averages change shape: "
        f"at t = 0 the largest average is {_decimal(max(averages[times[0]], key=_float))}, "
        f"at t = dx/(2c) it is {_decimal(max(averages[times[1]], key=_float))}."
    )

    def draw(figure):
        axes = figure.subplots(2, 1, sharex=True, sharey=True)
        labels = ("$t = 0$", r"$t = \Delta x / (2c) = " + sympy.latex(times[1]) + "$")
        for ax, t, label in zip(axes, times, labels):
            xs, ys = _curve(solutions[t], grid.start, grid.stop)
            ax.plot(xs, ys, color="black", linewidth=1.5, label="$f(x, t)$")
            _pixels(ax, grid, averages[t], _BLUE, "cell averages $f^h(t)$", annotate=False)
            ax.axhline(0, color=_GREY, linewidth=0.5)
            ax.set_xticks([_float(e) for e in grid.edges], minor=True)
            ax.grid(axis="x", which="minor", color=_GREY, linewidth=0.5, linestyle=":")
            ax.set_xlim(_float(grid.start), _float(grid.stop))
            ax.set_ylim(-1.2, 1.45)
            ax.set_title(label)
            ax.legend(loc="upper right", ncols=2, frameon=False)
        axes[-1].set_xlabel("$x$")
        figure.suptitle(f"Advection of a sine: $N = {grid.n}$ cells, $L = {sympy.latex(length)}$, "
                        f"$c = {sympy.latex(speed)}$")

    return _render("figure2_advection", caption, data, (7, 5), draw)


def residual_curve(sweep_result, title, *, name="residual_curve"):
    """The largest |residual| at each shift of a :func:`~symequiv.sweep`.

    Explanation
    ===========

    One point per shift: x is the shift delta, y the verdict's
    ``max_residual``. Shifts where commutation is proved (``holds=True``),
    certified false (``holds=False``) and undecided (``holds=None``) get
    different markers. The y axis is logarithmic when every residual is
    positive, linear otherwise (a proved zero has no place on a log scale).
    Shifts whose verdict has no residual are left out of the plot.

    ``image.data`` holds ``"deltas"`` (exact), ``"max_residuals"`` (mpmath
    numbers or None), ``"holds"`` and ``"log_scale"``.

    Examples
    ========

    >>> import symequiv as se
    >>> from symequiv.figures import residual_curve
    >>> D = se.CellAverage(se.Grid(-1, 1, 8))
    >>> result = se.sweep(D, se.Signal("Heaviside(x - 1/8)"), ["1/16", "1/8", "1/4"], se.LinearShift())
    >>> image = residual_curve(result, "Heaviside, linear shift")
    >>> image.data["holds"], image.data["log_scale"]
    ((False, False, True), False)

    Parameters
    ==========

    sweep_result : Sweep
        What :func:`symequiv.sweep` returned.
    title : str
        The plot's title.
    name : str
        The image's file name stem.
    """
    if not isinstance(sweep_result, Sweep):
        raise InvalidType(
            f"Expected the symequiv.Sweep that symequiv.sweep returns but got {type(sweep_result).__name__}: "
            f"{short_repr(sweep_result)}"
        )
    for argument, value in (("title", title), ("name", name)):
        if not isinstance(value, str):
            raise InvalidType(f"Expected a str for {argument} but got {argument}={short_repr(value)}")
    deltas = sweep_result.deltas
    residuals = sweep_result.max_residuals
    holds = tuple(v.holds for v in sweep_result)
    points = sorted(
        ((_float(d), float(r), h) for d, r, h in zip(deltas, residuals, holds) if r is not None),
        key=lambda point: point[0],
    )
    log_scale = bool(points) and all(r > 0 for _, r, _ in points)
    data = {"deltas": deltas, "max_residuals": residuals, "holds": holds, "log_scale": log_scale}
    counts = {kind: sum(h is kind for h in holds) for kind in (True, False, None)}
    caption = (
        f"{title}: largest |residual| at each of {len(holds)} shifts; commutation proved at {counts[True]}, "
        f"certified false at {counts[False]}, undecided at {counts[None]}"
        + (" (logarithmic scale)." if log_scale else ".")
    )
    kinds = (
        (True, "proved zero (holds)", "s", _GREEN, "none"),
        (False, "certified nonzero (fails)", "o", _RED, _RED),
        (None, "undecided", "^", _GREY, _GREY),
    )

    def draw(figure):
        ax = figure.subplots()
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], color=_GREY, linewidth=0.8, zorder=1)
        for kind, label, marker, edge, face in kinds:
            chosen = [p for p in points if p[2] is kind]
            if chosen:
                ax.plot([p[0] for p in chosen], [p[1] for p in chosen], linestyle="none", marker=marker,
                        markersize=5, markeredgecolor=edge, markerfacecolor=face, label=label, zorder=2)
        if log_scale:
            ax.set_yscale("log")
        ax.set_xlabel(r"shift $\delta$")
        ax.set_ylabel("max |residual|")
        ax.set_title(title)
        if points:
            ax.legend(loc="best", frameon=False)

    return _render(name, caption, data, (6.5, 4), draw)


# ---------------------------------------------------------------- drawing --


def _render(name, caption, data, size, draw):
    """Draw with ``draw(figure)`` on a fresh Agg figure and return its PNG and SVG bytes."""
    with matplotlib.style.context("default"), matplotlib.rc_context(_RC):
        figure = Figure(figsize=size, dpi=_DPI, layout="constrained")
        FigureCanvasAgg(figure)
        draw(figure)
        png, svg = io.BytesIO(), io.BytesIO()
        figure.savefig(png, format="png", dpi=_DPI, metadata=_PNG_METADATA)
        figure.savefig(svg, format="svg", metadata=_SVG_METADATA)
    return Image(name, png.getvalue(), svg.getvalue(), caption, data)


def _pixels(ax, grid, values, color, label, annotate=True):
    """Cell values as a filled step over the grid's cells, each labelled with its exact value."""
    heights = [_float(v) for v in values]
    edges = [_float(e) for e in grid.edges]
    ax.stairs(heights, edges, baseline=0, fill=True, color=color, alpha=0.25)
    ax.stairs(heights, edges, baseline=None, color=color, linewidth=2, label=label)
    if annotate:
        for center, value, height in zip(grid.centers, values, heights):
            ax.text(_float(center), max(height, 0) + 0.04, sympy.sstr(value), ha="center", va="bottom", color=color,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})


def _curve(signal, start, stop, count=_CURVE_POINTS):
    """(xs, ys) floats of the signal on [start, stop], exact at every jump.

    Each smooth piece is sampled up to its ends (its one-sided limits there),
    so a jump is drawn as a vertical segment at its exact place.
    """
    function = PiecewiseFunction.from_expr(signal.expr, x)
    inner = [c for c in function.breakpoints if bool(start < c) and bool(c < stop)]
    cuts = [start, *inner, stop]
    xs, ys = [], []
    with mpmath.workdps(_PLOT_DPS):
        for lo, hi in zip(cuts, cuts[1:]):
            piece = compile_function(function.piece_at((lo + hi) / 2), x, MPMATH)
            steps = max(2, int(sympy.ceiling(count * (hi - lo) / (stop - start))))
            for k in range(steps + 1):
                at = to_mpmath(lo + (hi - lo) * sympy.Rational(k, steps))
                xs.append(float(at))
                ys.append(float(piece(at)))
    return xs, ys


def _float(value):
    """An exact value (or mpmath number) as the nearest float, for drawing only."""
    with mpmath.workdps(_PLOT_DPS):
        return float(to_mpmath(value))


def _decimal(value, digits=6):
    with mpmath.workdps(_PLOT_DPS):
        return mpmath.nstr(to_mpmath(value), digits)


def _vector_text(values):
    return "[" + ", ".join(sympy.sstr(v) for v in values) + "]"


def _layer_text(layer):
    return " >> ".join(map(repr, layer.layers))
