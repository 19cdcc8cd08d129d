"""The paper's figures, drawn from symequiv's exact values, as PNG and SVG bytes.

Each function computes what it plots with symequiv (cell averages, layer
outputs, closed forms, sweeps), keeps those exact values in ``image.data``,
and converts them to floats only to draw them. The result is an
:class:`Image`: its ``png`` (200 dpi), ``svg`` and ``pdf`` bytes (vector
graphics with embedded TrueType fonts, for LaTeX), a ``name`` to save it
under and a ``caption`` written from the computed values. Captions are prose
in the convention of :class:`~symequiv.output.report.Derivation` (inline math between
dollar signs) and carry no figure number: a report numbers its figures.

>>> from symequiv.output.figures import figure1_edge_detector
>>> image = figure1_edge_detector()
>>> image.data["original"]["outputs"], image.data["translated"]["outputs"]
(Values([0, 1, 0, 0]), Values([0, 0, 0, 0]))
>>> image.png[1:4], b"<svg" in image.svg, image.pdf[:5]
(b'PNG', True, b'%PDF-')

Every figure is drawn by :func:`symequiv.judge.curve.render_image`: on its own
Agg canvas (never ``pyplot``), byte-identical for the same arguments.
"""

import mpmath
import sympy

from ..continuous.grid import Grid
from ..continuous.piecewise import PiecewiseFunction
from ..continuous.signal import Signal
from ..continuous.symbols import delta, delta_x, delta_y, x
from ..discrete.discretize import CellAverage
from ..discrete.layers import Conv, ReLU
from ..discrete.values import Values
from ..errors import InvalidArgument, InvalidType, short_repr
from ..judge.curve import BLUE, GREY, ORANGE, Image, float_of, render_image, residual_curve
from ..numeric.backends import MPMATH, compile_function
from ..numeric.exact import settled as exact_settled
from ..numeric.numbers import exact_number, to_mpmath

__all__ = ["Image", "figure1_edge_detector", "edge_response_curve", "edge_detector_2d", "edge_response_map", "detector_2d", "figure2_advection", "residual_curve"]

# Digits at which exact values are evaluated before rounding to float.
_PLOT_DPS = 30
# Points per continuous curve (spread over its smooth pieces).
_CURVE_POINTS = 256
_PIXEL_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")


# ------------------------------------------------------------------ figures --


def figure1_edge_detector():
    r"""The paper's Figure 1: the edge detector finds the edge of H(x), not of H(x - dx/2).

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

    >>> from symequiv.output.figures import figure1_edge_detector
    >>> image = figure1_edge_detector()
    >>> image.data["translated"]["pixels"]
    Values([0, 0, 1/2, 1])
    >>> print(image.caption)
    The edge detector $y_{j} = \max\left(0, 2 b_{j+1} - 2 b_{j} - 1\right)$ on the pixels ...

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
    caption = (
        f"The edge detector ${layer.latex()}$ on the pixels of $H(x)$ (cell averages over {_grid_words(grid)}), "
        f"${_vector_latex(rows['original']['pixels'])}$, gives ${_vector_latex(rows['original']['outputs'])}$: "
        "an edge is detected. On the image translated by "
        f"$\\Delta x/2 = {sympy.latex(rows['translated']['shift'])}$, with pixels "
        f"${_vector_latex(rows['translated']['pixels'])}$, it gives "
        f"${_vector_latex(rows['translated']['outputs'])}$: no edge."
    )

    def draw(figure):
        axes = figure.subplots(2, 2, sharex=True, sharey=True)
        titles = {"original": "$H(x)$", "translated": r"$H(x - \Delta x/2)$"}
        for (left, right), key in zip(axes, ("original", "translated")):
            row = rows[key]
            xs, ys = _curve(row["signal"], grid.start, grid.stop)
            left.plot(xs, ys, color="black", linewidth=1.5, label="image")
            _pixels(left, grid, row["pixels"], BLUE, "pixels $D^h[f]$", avoid=_jumps(row["signal"], grid))
            left.set_title(f"{titles[key]}: image and pixels")
            _pixels(right, grid, row["outputs"], ORANGE, "layer output")
            right.set_title(f"{titles[key]}: layer output")
            for ax in (left, right):
                ax.set_ylim(-0.15, 1.3)
                ax.set_xlim(float_of(grid.start), float_of(grid.stop))
                ax.set_xticks([float_of(e) for e in grid.edges])
                ax.grid(axis="x", color=GREY, linewidth=0.5, linestyle=":")
            left.legend(loc="upper left", frameon=False)
        for ax in axes[-1]:
            ax.set_xlabel("$x$")
        figure.suptitle(f"Edge detector ${layer.latex()}$ on $N = {grid.n}$ pixels")

    return render_image("figure1_edge_detector", caption, data, (8, 5), draw)


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
    :class:`~symequiv.discrete.values.Values` per shift), ``"closed_form"`` (the
    layer's output as expressions in delta), ``"grid"``, ``"layer"`` and
    ``"curves"``: the drawn curves as (output pixels, legend label) pairs.
    Pixels whose outputs agree at every shift are one curve with one label
    (drawn apart, one would hide the other).

    Examples
    ========

    >>> from symequiv.output.figures import edge_response_curve
    >>> image = edge_response_curve(samples=3)
    >>> image.data["deltas"], image.data["outputs"]
    ((0, 1/4, 1/2), (Values([0, 1, 0, 0]), Values([0, 0, 0, 0]), Values([0, 0, 1, 0])))
    >>> image.data["curves"]
    (((0, 3), 'output pixels 0 and 3 (0 at every shift)'), ((1,), 'output pixel 1'), ((2,), 'output pixel 2'))

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
    curves = _identical_curves([tuple(out[j] for out in outputs) for j in range(grid.n)])
    data = {"grid": grid, "layer": layer, "closed_form": closed, "deltas": deltas, "outputs": outputs,
            "curves": curves}
    silent = [j for j in range(grid.n) if all(out[j] == 0 for out in outputs)]
    caption = (
        f"Output of the edge detector ${layer.latex()}$ on the pixels of $H(x - \\delta)$ (cell averages over "
        f"{_grid_words(grid)}) at {samples} exact shifts from $\\delta = 0$ to "
        f"$\\delta = \\Delta x = {sympy.latex(grid.dx)}$: ${_vector_latex(outputs[0])}$ at $\\delta = 0$ and "
        f"${_vector_latex(outputs[-1])}$ at $\\delta = \\Delta x$."
    )
    halfway = grid.dx / 2
    if halfway in deltas:
        caption += f" At $\\delta = \\Delta x/2$ the output is ${_vector_latex(outputs[deltas.index(halfway)])}$."
    if silent:
        caption += f" Output {_pixel_words(silent)} {'is' if len(silent) == 1 else 'are'} 0 at every shift."

    def draw(figure):
        ax = figure.subplots()
        xs = [float_of(d / grid.dx) for d in deltas]
        # Curves that coincide on part of the range stay visible: each is drawn thinner than the
        # one before it, so the earlier one shows around it.
        widths = [1.2 + 1.5 * (len(curves) - 1 - k) for k in range(len(curves))]
        for number, (pixels, label) in enumerate(curves):
            ax.plot(xs, [float_of(out[pixels[0]]) for out in outputs], color=_PIXEL_COLORS[number % len(_PIXEL_COLORS)],
                    marker="o", markersize=2.2, linewidth=widths[number], label=label, solid_capstyle="butt")
        ax.axvline(0.5, color=GREY, linestyle="--", linewidth=0.8)
        ax.text(0.5, 1.05, r" $\delta = \Delta x/2$", color=GREY, va="bottom")
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.05, 1.2)
        ax.set_xlabel(r"shift $\delta / \Delta x$ of the image $H(x - \delta)$")
        ax.set_ylabel("layer output")
        ax.set_title(f"Edge detector output while the edge moves by one pixel ($\\Delta x = {sympy.latex(grid.dx)}$)")
        # Below the axes, not over them: inside, the legend would cover a curve.
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=len(curves), borderaxespad=0,
                  frameon=False)

    return render_image("edge_response_curve", caption, data, (7, 4.4), draw)


# The 2-D Figure 1: an oriented edge, a Sobel-type detector (difference along x, smoothed along y).
_EDGE_2D = "Heaviside(x - y/8)"
_SOBEL = (((-sympy.S.Half, -1, -sympy.S.Half), (sympy.S.Half, 1, sympy.S.Half)))


def detector_2d():
    """(grid, D, scene, layer) of the 2-D edge detector: a 4 x 4 camera, H(x - y/8), the Sobel-type detector."""
    grid = Grid((-1, -1), (1, 1), (4, 4))
    layer = Conv(_SOBEL, origin=(0, 1), mode="correlation", bias="-5/4") >> ReLU()
    return grid, CellAverage(grid), Signal(_EDGE_2D), layer


def edge_detector_2d():
    """Figure 1 in two dimensions: an oriented edge, its pixels, and the detector's outputs, exact.

    Explanation
    ===========

    The scene H(x - y/8) (an edge slanted by 1/8 from the vertical) is
    photographed by a 4 x 4 camera on [-1, 1]^2 (cell averages), and a
    Sobel-type detector (the difference of the next pixel along x, smoothed
    1/2, 1, 1/2 along y) with bias -5/4 and a ReLU fires on the edge. Under the
    sub-pixel translation (dx/2, 0) the pixels change shape and the detector
    stops firing. ``image.data`` holds, for ``"original"`` and
    ``"translated"``, the exact ``"shift"``, ``"pixels"`` and ``"outputs"``
    (arrays indexed [i, j], i along x), and the ``"grid"`` and ``"layer"``.

    >>> from symequiv.output.figures import edge_detector_2d
    >>> image = edge_detector_2d()
    >>> image.data["original"]["outputs"][1]
    Values([1/32, 9/16, 9/16, 1/32])
    >>> image.data["translated"]["outputs"] == [[0] * 4] * 4
    True
    """
    grid, D, scene, layer = detector_2d()
    rows = {}
    for key, shift in (("original", (sympy.Integer(0), sympy.Integer(0))), ("translated", (grid.dx[0] / 2, 0))):
        moved = scene.shifted(shift)
        pixels = D(moved)
        rows[key] = {"shift": shift, "signal": moved, "pixels": pixels, "outputs": layer(pixels)}
    data = {"grid": grid, "layer": layer, **rows}
    fired = [rows[key]["outputs"].flat for key in ("original", "translated")]
    caption = (
        f"The edge $H(x - y/8)$ photographed by {grid.shape[0]} x {grid.shape[1]} pixels (cell averages over "
        f"$[-1, 1]^2$) and a Sobel-type detector (bias $-5/4$, ReLU): it fires on {sum(v != 0 for v in fired[0])} pixels. "
        f"On the scene translated by $(\\Delta x/2, 0) = ({sympy.latex(grid.dx[0] / 2)}, 0)$ it fires on "
        f"{sum(v != 0 for v in fired[1])}."
    )

    def draw(figure):
        axes = figure.subplots(2, 2)
        titles = {"original": "$H(x - y/8)$", "translated": r"translated by $(\Delta x/2, 0)$"}
        for (left, right), key in zip(axes, ("original", "translated")):
            row = rows[key]
            _pixel_image(left, grid, row["pixels"], "Greys", f"{titles[key]}: pixels", (0, 1))
            _pixel_image(right, grid, row["outputs"], "Oranges", f"{titles[key]}: detector output", (0, 1))
        figure.suptitle("A 2-D edge detector sees the edge, but not the edge moved by half a pixel")

    return render_image("fig1_2d_pixels_and_outputs", caption, data, (7, 6.5), draw)


def edge_response_map(samples=17):
    """The 2-D detector's strongest output as an exact function of the translation (d_x, d_y), as a heat map.

    Explanation
    ===========

    ``layer(D.closed_form(f))`` gives every output as an exact expression in
    ``delta_x``, ``delta_y``, valid for every real pair; the map shows the
    largest output over the pixels at ``samples`` x ``samples`` shifts of one
    pixel in each direction, evaluated from those expressions. ``image.data``
    holds the exact ``"closed_form"`` of the outputs, the ``"deltas"`` per axis
    and the ``"response"`` (exact, [a][b] at (deltas[0][a], deltas[1][b])).

    >>> from symequiv.output.figures import edge_response_map
    >>> image = edge_response_map(samples=3)
    >>> image.data["response"]
    ((9/16, 19/32, 9/16), (0, 0, 1/8), (9/16, 19/32, 9/16))
    """
    if isinstance(samples, bool) or not isinstance(samples, int):
        raise InvalidType(f"Expected an int number of samples but got samples={short_repr(samples)}")
    if samples < 2:
        raise InvalidArgument(f"Expected at least 2 samples per axis (both ends of the pixel) but got samples={samples}")
    grid, D, scene, layer = detector_2d()
    closed = layer(D.closed_form(scene))
    deltas = tuple(tuple(dx * sympy.Rational(k, samples - 1) for k in range(samples)) for dx in grid.dx)
    response = tuple(
        tuple(max(exact_settled(e.xreplace({delta_x: a, delta_y: b})) for e in closed.flat) for b in deltas[1])
        for a in deltas[0]
    )
    data = {"grid": grid, "layer": layer, "closed_form": closed, "deltas": deltas, "response": response}
    quiet = sum(r == 0 for row in response for r in row)
    caption = (
        "The strongest output of the Sobel-type detector (bias $-5/4$, ReLU) on the pixels of $H(x - y/8)$ translated by "
        f"$(\\delta_x, \\delta_y)$, over one pixel in each direction ({samples} x {samples} exact shifts, from the "
        f"closed forms in $\\delta_x, \\delta_y$): it is 0 (no edge seen) at {quiet} of them."
    )

    def draw(figure):
        ax = figure.subplots()
        extent = (0, 1, 0, 1)
        values = [[float_of(response[a][b]) for a in range(samples)] for b in range(samples)]
        shown = ax.imshow(values, origin="lower", extent=extent, cmap="magma", aspect="equal")
        figure.colorbar(shown, ax=ax, label="largest output")
        ax.set_xlabel(r"$\delta_x / \Delta x$")
        ax.set_ylabel(r"$\delta_y / \Delta y$")
        ax.set_title("2-D edge detector: response to sub-pixel translations")

    return render_image("edge_response_map", caption, data, (5.5, 4.5), draw)


def _pixel_image(ax, grid, values, colormap, title, limits):
    """A 2-D array of exact values as an image: x to the right, y up, each pixel labelled."""
    (x0, x1), (y0, y1) = ((float_of(a.start), float_of(a.stop)) for a in grid.axes)
    nx, ny = grid.shape
    columns = [[float_of(values[i, j]) for i in range(nx)] for j in range(ny)]
    ax.imshow(columns, origin="lower", extent=(x0, x1, y0, y1), cmap=colormap, vmin=limits[0], vmax=limits[1])
    for i in range(nx):
        for j in range(ny):
            cx, cy = (float_of(c) for c in (grid.centers[0][i], grid.centers[1][j]))
            ax.text(cx, cy, _short(values[i, j]), ha="center", va="center", fontsize=7,
                    color="white" if columns[j][i] > 0.6 * limits[1] else "black")
    ax.set_title(title, fontsize=9)
    ax.set_xticks([float_of(e) for e in grid.edges[0]])
    ax.set_yticks([float_of(e) for e in grid.edges[1]])


def _short(value):
    text = str(value)
    return text if len(text) <= 7 else _decimal(value, 3)


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
    exact :class:`~symequiv.discrete.values.Values`).

    Examples
    ========

    >>> from symequiv.output.figures import figure2_advection
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
        f"The solution $f(x, t) = \\sin(2\\pi (x - ct)/L)$ with $L = {sympy.latex(length)}$, "
        f"$c = {sympy.latex(speed)}$, and its exact cell averages $f^h(t)$ over {_grid_words(grid)} at $t = 0$ "
        f"and $t = \\Delta x/(2c) = {sympy.latex(times[1])}$. The continuous solution only translates, while "
        f"the cell averages change shape: the largest average is ${_decimal(max(averages[times[0]], key=float_of))}$ "
        f"at $t = 0$ and ${_decimal(max(averages[times[1]], key=float_of))}$ at $t = \\Delta x/(2c)$."
    )

    def draw(figure):
        axes = figure.subplots(2, 1, sharex=True, sharey=True)
        labels = ("$t = 0$", r"$t = \Delta x / (2c) = " + sympy.latex(times[1]) + "$")
        for ax, t, label in zip(axes, times, labels):
            xs, ys = _curve(solutions[t], grid.start, grid.stop)
            ax.plot(xs, ys, color="black", linewidth=1.5, label="$f(x, t)$")
            _pixels(ax, grid, averages[t], BLUE, "cell averages $f^h(t)$", annotate=False)
            ax.axhline(0, color=GREY, linewidth=0.5)
            ax.set_xticks([float_of(e) for e in grid.edges], minor=True)
            ax.grid(axis="x", which="minor", color=GREY, linewidth=0.5, linestyle=":")
            ax.set_xlim(float_of(grid.start), float_of(grid.stop))
            ax.set_ylim(-1.2, 1.45)
            ax.set_title(label)
            ax.legend(loc="upper right", ncols=2, frameon=False)
        axes[-1].set_xlabel("$x$")
        figure.suptitle(f"Advection of a sine: $N = {grid.n}$ cells, $L = {sympy.latex(length)}$, "
                        f"$c = {sympy.latex(speed)}$")

    return render_image("figure2_advection", caption, data, (7, 5), draw)


# ---------------------------------------------------------------- drawing --


def _pixels(ax, grid, values, color, label, annotate=True, avoid=()):
    """Cell values as a filled step over the grid's cells, each labelled with its exact value.

    A label sits above its cell's center, unless a jump of the drawn signal
    (``avoid``) passes near the center: then it moves to the middle of the
    wider part of the cell on either side of the jump, off the jump's line.
    """
    heights = [float_of(v) for v in values]
    edges = [float_of(e) for e in grid.edges]
    ax.stairs(heights, edges, baseline=0, fill=True, color=color, alpha=0.25)
    ax.stairs(heights, edges, baseline=None, color=color, linewidth=2, label=label)
    if annotate:
        jumps = [float_of(a) for a in avoid]
        for j, (value, height) in enumerate(zip(values, heights)):
            ax.text(_label_position(edges[j], edges[j + 1], jumps), max(height, 0) + 0.04, sympy.sstr(value),
                    ha="center", va="bottom", color=color, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})


def _label_position(left, right, jumps):
    """Where a cell's label goes: its center, or the middle of the wider side of a jump near the center."""
    center, width = (left + right) / 2, right - left
    near = [a for a in jumps if abs(a - center) < 0.3 * width]
    if not near:
        return center
    cut = near[0]
    return (left + cut) / 2 if cut - left >= right - cut else (cut + right) / 2


def _jumps(signal, grid):
    """The breakpoints of a signal inside the grid's span (where its drawn line may be vertical)."""
    function = PiecewiseFunction.from_expr(signal.expr, x)
    return tuple(c for c in function.breakpoints if bool(grid.start < c) and bool(c < grid.stop))


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


def _decimal(value, digits=6):
    with mpmath.workdps(_PLOT_DPS):
        return mpmath.nstr(to_mpmath(value), digits)


def _vector_latex(values):
    """Exact values as LaTeX math: ``[0, 0, \\frac{1}{2}, 1]``."""
    return "\\left[" + ", ".join(sympy.latex(v) for v in values) + "\\right]"


def _grid_words(grid):
    """A grid in words and math: ``4 cells on $[-1, 1]$`` (", periodic" when it is)."""
    span = f"$[{sympy.latex(grid.start)}, {sympy.latex(grid.stop)}]$"
    return f"{grid.n} cells on {span}{', periodic' if grid.periodic else ''}"


def _pixel_words(pixels):
    """``pixel 1``, ``pixels 0 and 3``, ``pixels 0, 2 and 3``."""
    if len(pixels) == 1:
        return f"pixel {pixels[0]}"
    return f"pixels {', '.join(map(str, pixels[:-1]))} and {pixels[-1]}"


def _identical_curves(sequences):
    """Indices grouped by equal sequences, in order of first index, each with its legend label."""
    groups = []
    for j, sequence in enumerate(sequences):
        for group in groups:
            if sequences[group[0]] == sequence:
                group.append(j)
                break
        else:
            groups.append([j])
    curves = []
    for group in groups:
        label = f"output {_pixel_words(group)}"
        if len(group) > 1 and len(set(sequences[group[0]])) == 1:
            label += f" ({sympy.latex(sequences[group[0]][0])} at every shift)"
        elif len(group) > 1:
            label += " (equal at every shift)"
        curves.append((tuple(group), label))
    return tuple(curves)
