"""How a user tests their own layer with symequiv: the example README.rst shows.

The layer is plain numpy (a circular-padded convolution and a ReLU), written
the way one writes a model, not with symequiv's Conv.
"""

import numpy

import symequiv as se
from symequiv.testing import assert_commutes, assert_not_commutes, assert_shift_equivariant


def my_layer(b):
    """A 3-tap circular convolution followed by a ReLU: numpy float64, a black box to symequiv."""
    kernel = numpy.array([0.25, 0.5, 0.25])
    y = kernel[0] * numpy.roll(b, 1) + kernel[1] * b + kernel[2] * numpy.roll(b, -1) - 0.1
    return numpy.maximum(y, 0.0)


IMAGE = se.CellAverage(se.Grid(0, 1, 16, periodic=True))  # a 16-pixel periodic camera
SCENE = se.Signal("exp(-40*(x - 1/2)**2)")                  # a Gaussian blob


def test_my_layer_is_equivariant_to_whole_pixel_shifts():
    assert_shift_equivariant(IMAGE, SCENE, op=my_layer, n=(1, 3, -5))  # n: whole pixels


def test_my_layer_is_not_equivariant_to_sub_pixel_translations():
    # a black box cannot be certified, only shown numerically: numeric_ok=True says we accept that
    assert_not_commutes(IMAGE, SCENE, ["1/64", "1/40"], se.LinearShift(), op=my_layer, numeric_ok=True)


def test_the_same_layer_built_from_symequiv_parts_gets_proofs_and_certificates():
    exact = se.Conv(["1/4", "1/2", "1/4"], origin=1, bias="-1/10", padding="circular") >> se.ReLU()
    assert_shift_equivariant(IMAGE, SCENE, op=exact, n=(1, 3))
    assert_not_commutes(IMAGE, SCENE, ["1/64"], se.LinearShift(), op=exact)  # certified, no numeric_ok needed
    # and whole-pixel translations commute with every discrete shift, here linear interpolation
    assert_commutes(IMAGE, SCENE, ["1/16"], se.LinearShift(), op=exact)


# A property test with symequiv's strategies: any periodic grid, any smooth periodic scene,
# any whole-pixel shift.
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from symequiv.strategies import grids, shifts, signals  # noqa: E402


@settings(max_examples=15, deadline=None)
@given(grid=grids(periodic=True, min_cells=3, max_cells=12), data=st.data())
def test_my_layer_commutes_with_every_whole_pixel_shift(grid, data):
    scene = data.draw(signals(periodic_period=grid.length), label="scene")
    d = data.draw(shifts(grid, kind="whole-cell"), label="shift")  # a translation, in units of x
    assert_shift_equivariant(se.CellAverage(grid), scene, op=my_layer, n=int(grid.cells_of_shift(d)))


class MyFloat32Blur:
    """A circular 3-tap blur computed in float32, as a float32 model would; ``dtype`` says so."""

    dtype = "float32"

    def __call__(self, b):
        b = numpy.asarray(b, dtype=numpy.float32)
        kernel = numpy.array([0.25, 0.5, 0.25], dtype=numpy.float32)
        return kernel[0] * numpy.roll(b, 1) + kernel[1] * b + kernel[2] * numpy.roll(b, -1)


def test_a_float32_layer_is_judged_at_float32_precision():
    # A circular convolution commutes exactly with trigonometric interpolation of a band-limited
    # wave, at every translation: what remains is float32 rounding, within the float32 tolerance
    # that the layer's dtype selects (and far above float64's).
    wave = se.Signal("sin(2*pi*x)", period=1)
    (verdict,) = assert_commutes(IMAGE, wave, ["1/40"], se.FourierShift(), op=MyFloat32Blur())
    assert 1e-10 < verdict.bound < 1e-5
    assert_shift_equivariant(IMAGE, wave, op=MyFloat32Blur(), n=(1, -5))
