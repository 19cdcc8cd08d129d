"""The picture of a sweep's residuals, and the :class:`Image` every figure is drawn as.

A sweep's residual curve belongs to the judge (a notebook shows it with the
sweep's verdicts, ``Sweep._repr_html_``); the paper's figures in
:mod:`symequiv.output.figures` are drawn the same way, with :func:`render_image`.

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
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..errors import InvalidType, short_repr
from ..numeric.numbers import to_mpmath
from .check import Sweep

__all__ = ["Image", "render_image", "residual_curve", "float_of", "BLUE", "ORANGE", "GREEN", "RED", "GREY"]

BLUE, ORANGE, GREEN, RED, GREY = "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#7f7f7f"
# Resolution of the PNG files, in dots per inch (the layout is the same at every resolution).
_DPI = 200
# Digits at which exact values are evaluated before rounding to float.
_PLOT_DPS = 30
# Settings applied on top of matplotlib's default style while drawing.
# TrueType fonts in the PDF ("pdf.fonttype": 42): matplotlib's default (3) writes Type 3 fonts.
_RC = {"svg.hashsalt": "symequiv", "svg.fonttype": "path", "font.size": 9, "pdf.fonttype": 42,
       "mathtext.fontset": "dejavusans"}
_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None}
_PDF_METADATA = {"CreationDate": None, "Creator": None, "Producer": None}


@dataclasses.dataclass(frozen=True, repr=False)
class Image:
    """A drawn figure: PNG, SVG and PDF bytes, a file name stem, a caption and its data.

    Explanation
    ===========

    ``data`` holds the exact values that were plotted (sympy numbers, symequiv
    :class:`~symequiv.discrete.values.Values`, grids), so a report or a test can state
    or check them without reading pixels. Two images are equal when their
    name, bytes and caption are.

    Examples
    ========

    >>> from symequiv.output.figures import edge_response_curve
    >>> image = edge_response_curve(samples=5)
    >>> image
    <Image 'edge_response_curve': ...-byte PNG, ...-byte SVG, ...-byte PDF>
    >>> image.data["deltas"]
    (0, 1/8, 1/4, 3/8, 1/2)

    Parameters
    ==========

    name : str
        A file name stem, such as ``"figure1_edge_detector"``.
    png, svg, pdf : bytes
        The figure in three formats (``pdf`` may be None for an image made elsewhere).
    caption : str
        One or two sentences saying what the figure shows, with its numbers
        (prose with inline ``$...$`` math, without a figure number).
    data : dict
        The exact values plotted (not compared by ``==``).
    """

    name: str
    png: bytes
    svg: bytes
    caption: str
    data: dict = dataclasses.field(default_factory=dict, compare=False)
    pdf: bytes = None

    def __repr__(self):
        pdf = "" if self.pdf is None else f", {len(self.pdf)}-byte PDF"
        return f"<Image {self.name!r}: {len(self.png)}-byte PNG, {len(self.svg)}-byte SVG{pdf}>"

    def _repr_png_(self):
        return self.png


def render_image(name, caption, data, size, draw):
    """Draw with ``draw(figure)`` on a fresh Agg figure and return it as an :class:`Image` (PNG, SVG, PDF)."""
    with matplotlib.style.context("default"), matplotlib.rc_context(_RC):
        figure = Figure(figsize=size, dpi=100, layout="constrained")
        FigureCanvasAgg(figure)
        draw(figure)
        png, svg, pdf = io.BytesIO(), io.BytesIO(), io.BytesIO()
        figure.savefig(png, format="png", dpi=_DPI, metadata=_PNG_METADATA)
        figure.savefig(svg, format="svg", metadata=_SVG_METADATA)
        figure.savefig(pdf, format="pdf", metadata=_PDF_METADATA)
    return Image(name, png.getvalue(), svg.getvalue(), caption, data, pdf.getvalue())



def float_of(value):
    """An exact value (or mpmath number) as the nearest float, for drawing only."""
    with mpmath.workdps(_PLOT_DPS):
        return float(to_mpmath(value))




def residual_curve(sweep_result, title, *, name="residual_curve"):
    """The largest |residual| at each shift of a :func:`~symequiv.sweep`.

    Explanation
    ===========

    One point per shift: x is the shift delta, y the verdict's
    ``max_residual``. Shifts where commutation is proved (``holds=True``),
    certified false (``holds=False``) and undecided (``holds=None``) get
    different markers; an undecided black-box verdict (method "numeric" with
    a tolerance) is "numerically unequal (not certified)" when its residual
    exceeds the tolerance and "numerically equal (not proved)" when not. The
    y axis is logarithmic when every residual is positive, linear otherwise
    (a proved zero has no place on a log scale).
    Shifts whose verdict has no residual are left out of the plot.

    ``image.data`` holds ``"deltas"`` (exact), ``"max_residuals"`` (mpmath
    numbers or None), ``"holds"``, ``"outcomes"`` (the legend's word for each
    shift) and ``"log_scale"``.

    Examples
    ========

    >>> import symequiv as se
    >>> from symequiv.output.figures import residual_curve
    >>> D = se.CellAverage(se.Grid(-1, 1, 8))
    >>> result = se.sweep(D, se.Signal("Heaviside(x - 1/8)"), ["1/16", "1/8", "1/4"], se.LinearShift())
    >>> image = residual_curve(result, "Heaviside, linear shift")
    >>> image.data["holds"], image.data["log_scale"]
    ((False, False, True), False)
    >>> image.data["outcomes"]
    ('certified nonzero (fails)', 'certified nonzero (fails)', 'proved zero (holds)')
    >>> print(image.caption)
    Heaviside, linear shift: the largest $|r|$ at each of 3 shifts; 1 proved zero (holds), 2 certified nonzero (fails).

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
    outcomes = tuple(_outcome(v) for v in sweep_result)
    pairs = any(isinstance(d, tuple) for d in deltas)  # a 2-D sweep: shifts (dx, dy) in the order given
    points = sorted(
        ((k if pairs else float_of(d), float(r), o)
         for k, (d, r, o) in enumerate(zip(deltas, residuals, outcomes)) if r is not None),
        key=lambda point: point[0],
    )
    log_scale = bool(points) and all(r > 0 for _, r, _ in points)
    data = {"deltas": deltas, "max_residuals": residuals, "holds": holds, "outcomes": outcomes,
            "log_scale": log_scale}
    counts = [(sum(o == label for o in outcomes), label) for label, *_ in _OUTCOME_STYLES]
    shifts = f"{len(holds)} shift{'s' if len(holds) != 1 else ''}"
    caption = (
        f"{title}: the largest $|r|$ at each of {shifts}; "
        + ", ".join(f"{count} {label}" for count, label in counts if count)
        + (" (logarithmic scale)." if log_scale else ".")
    )

    def draw(figure):
        ax = figure.subplots()
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], color=GREY, linewidth=0.8, zorder=1)
        for label, marker, edge, face in _OUTCOME_STYLES:
            chosen = [p for p in points if p[2] == label]
            if chosen:
                ax.plot([p[0] for p in chosen], [p[1] for p in chosen], linestyle="none", marker=marker,
                        markersize=5, markeredgecolor=edge, markerfacecolor=face, label=label, zorder=2)
        if log_scale:
            ax.set_yscale("log")
        ax.set_xlabel("shift number (the pairs in the order given)" if pairs else r"shift $\delta$")
        ax.set_ylabel(r"$\max_j |r_j|$")
        ax.set_title(title)
        if points:
            ax.legend(loc="best", frameon=False)

    return render_image(name, caption, data, (6.5, 4), draw)


# What a shift's point says, and how it is drawn: (label, marker, edge colour, face colour).
_OUTCOME_STYLES = (
    ("proved zero (holds)", "s", GREEN, "none"),
    ("certified nonzero (fails)", "o", RED, RED),
    ("numerically unequal (not certified)", "v", ORANGE, ORANGE),
    ("numerically equal (not proved)", "D", BLUE, "none"),
    ("undecided", "^", GREY, GREY),
)


def _outcome(verdict):
    """The legend's word for one verdict of a sweep."""
    if verdict.holds is True:
        return "proved zero (holds)"
    if verdict.holds is False:
        return "certified nonzero (fails)"
    outcome = verdict.numeric_outcome
    if outcome == "unequal":
        return "numerically unequal (not certified)"
    if outcome == "equal":
        return "numerically equal (not proved)"
    return "undecided"
