"""Tests of symequiv.judge.curve: a sweep's residual curve shows and says what each shift found."""

import mpmath
import pytest
import sympy

import symequiv as se
from symequiv.judge.curve import residual_curve

R = sympy.Rational


@pytest.fixture(scope="module")
def mixed_sweep():
    """Whole-cell shifts (proved zero) among sub-cell ones (certified nonzero)."""
    grid = se.Grid(0, 1, 8, periodic=True)
    wave = se.Signal("sin(2*pi*x)", period=1)
    return se.sweep(se.CellAverage(grid), wave, ["1/8", "0", "1/16"], se.LinearShift())


def test_residual_curve_of_a_real_sweep(wave_sweep):
    image = residual_curve(wave_sweep, "sin(2 pi x), linear shift")
    assert image.data["deltas"] == wave_sweep.deltas == (R(1, 64), R(1, 32), R(1, 16))
    assert image.data["max_residuals"] == wave_sweep.max_residuals
    assert image.data["holds"] == (False, False, False)
    assert image.data["log_scale"] is True
    assert image.data["outcomes"] == ("certified nonzero (fails)",) * 3
    assert image.caption == ("sin(2 pi x), linear shift: the largest $|r|$ at each of 3 shifts; "
                             "3 certified nonzero (fails) (logarithmic scale).")


def test_residual_curve_with_proved_zeros_uses_a_linear_scale(mixed_sweep):
    image = residual_curve(mixed_sweep, "mixed", name="mixed_residuals")
    assert image.name == "mixed_residuals"
    assert image.data["holds"] == (True, True, False)
    assert image.data["log_scale"] is False
    assert "2 proved zero (holds), 1 certified nonzero (fails)." in image.caption
    assert image.png.startswith(b"\x89PNG")


def test_residual_curve_checks_its_arguments(wave_sweep):
    with pytest.raises(se.InvalidType, match="Sweep"):
        residual_curve(list(wave_sweep), "title")
    with pytest.raises(se.InvalidType, match="title="):
        residual_curve(wave_sweep, None)
    with pytest.raises(se.InvalidType, match="name="):
        residual_curve(wave_sweep, "title", name=3)


class _HostileRepr:
    def __repr__(self):
        raise RuntimeError("a repr that raises")


def test_a_hostile_sweep_gives_one_symequiv_error():
    with pytest.raises(se.InvalidType):
        residual_curve(_HostileRepr(), "title")


def numeric_sweep():
    """A black box's sweep: one residual far above its tolerance, one within it (holds=None both)."""
    tolerance = mpmath.mpf("2.3e-13")
    verdicts = [
        se.Verdict("op(D[f(x - d)]) = g(op(D[f]), d)", None, "numeric", [mpmath.mpf("0.032")], cells=(0,), dps=15,
                   bound=mpmath.mpf("0.032"), tolerance=tolerance),
        se.Verdict("op(D[f(x - d)]) = g(op(D[f]), d)", None, "numeric", [mpmath.mpf("1e-15")], cells=(0,), dps=15,
                   bound=mpmath.mpf("1e-15"), tolerance=tolerance),
    ]
    return se.Sweep([R(1, 8), R(1, 4)], verdicts)


def test_residual_curve_says_what_a_black_box_found(drawn):
    image = residual_curve(numeric_sweep(), "black box")
    assert image.data["holds"] == (None, None)
    assert image.data["outcomes"] == ("numerically unequal (not certified)", "numerically equal (not proved)")
    assert "undecided" not in image.caption
    assert "1 numerically unequal (not certified), 1 numerically equal (not proved)" in image.caption
    figure = drawn(lambda: residual_curve(numeric_sweep(), "black box"))
    labels = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert labels == ["numerically unequal (not certified)", "numerically equal (not proved)"]


def test_residual_curve_caption_counts_only_what_occurs(mixed_sweep):
    caption = residual_curve(mixed_sweep, "mixed").caption
    assert "undecided" not in caption and " 0 " not in caption and "at 0" not in caption


def test_a_2d_sweep_is_drawn_against_the_shift_number():
    import symequiv as se
    from symequiv.judge.curve import residual_curve

    grid = se.Grid((0, 0), (1, 1), (2, 2), periodic=True)
    result = se.sweep(se.CellAverage(grid), "x**2*y", [("1/8", 0), (0, "1/4")], se.LinearShift(), progress=False)
    image = residual_curve(result, "a 2-D sweep")
    assert image.data["deltas"][0] == (sympy.Rational(1, 8), 0) and len(image.data["holds"]) == 2
    assert b"shift number" in image.svg or "shift number" in image.svg.decode("utf-8", "replace")
    assert "<svg" in result._repr_html_() or "data:image/svg+xml" in result._repr_html_()
