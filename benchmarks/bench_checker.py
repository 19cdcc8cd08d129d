"""Benchmark of the checker's fast path. Run by hand: ``python benchmarks/bench_checker.py``.

Prints, in one run (so that ratios compare like with like on a shared,
noisy machine):

1. the time of a sweep of N = 256 cells x 64 shifts at 50 digits with
   ``Conv >> ReLU`` and ``LinearShift``, for a sine, a Gaussian and a Heaviside
   step, and the microseconds per certified (cell, shift) residual;
2. the closed-form stage done the naive way (sympy ``integrate`` per cell per
   shift) on a subset, against the fast stage on the same subset: the ratio;
3. the ratio of sweep times at N and 2N;
4. float64 numpy's time at N = 2^20 and the digits it loses against the
   50-digit answer (and how many residual signs it gets wrong).

Targets on a 2-core machine: naive/fast >= 1000x for the closed-form stage,
<= 15 us per certified cell-residual at 50 digits, N -> 2N ratio 1.9-2.1.
"""

import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import mpmath  # noqa: E402
import numpy  # noqa: E402
import sympy  # noqa: E402

import symequiv as se  # noqa: E402
from symequiv.numeric.backends import MPMATH
from symequiv.numeric.balls import working_precision  # noqa: E402
from symequiv.discrete.fast import compiled  # noqa: E402

SIGNALS = {
    "sin": "sin(2*pi*x)",
    "gaussian": "exp(-40*(x - 1/3)**2)",
    "heaviside": "Heaviside(x - 1/3)",
}
# A difference detector whose bias is small enough that the ReLU passes part of each signal.
LAYER = se.Conv([1, -1], origin=1, bias="-1/1000") >> se.ReLU()
SHIFTS = [Fraction(k, 64 * 256) + Fraction(1, 997) for k in range(64)]  # sub-cell, never whole cells


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def sweep_time(expression, n, shifts=SHIFTS):
    D = se.CellAverage(se.Grid(-1, 1, n))
    signal = se.Signal(expression)
    se.check_commutation(D, signal, shifts[0], se.LinearShift(), op=LAYER)  # derive and compile once
    seconds, result = timed(lambda: se.sweep(D, signal, shifts, se.LinearShift(), op=LAYER, dps=50, progress=False))
    return seconds, result


def naive_stage(expression, n, shifts):
    """Cell averages by sympy.integrate per cell per shift (the slow way)."""
    x = sympy.Symbol("x", real=True)
    grid = se.Grid(-1, 1, n)
    f = se.Signal(expression).expr.subs(se.x, x)
    out = []
    for d in shifts:
        d = sympy.Rational(d.numerator, d.denominator)
        for a, b in zip(grid.edges, grid.edges[1:]):
            out.append(sympy.integrate(f.subs(x, x - d), (x, a, b)) / grid.dx)
    return out


def fast_stage(expression, n, shifts):
    fast = compiled(se.CellAverage(se.Grid(-1, 1, n)), se.Signal(expression))
    with working_precision(50):
        return [fast.values(d, MPMATH) for d in shifts]


def float64_digits(n):
    """float64 (F(b) - F(a))/dx for sin against 50 digits: time, digits lost, sign errors.

    The residual is that of linear interpolation by a third of a cell.
    """
    third = Fraction(2, 3 * n)  # d = dx/3 on Grid(-1, 1, n)
    edges = numpy.linspace(-1.0, 1.0, n + 1)
    start = time.perf_counter()
    primitive = -numpy.cos(2 * numpy.pi * (edges - float(third))) / (2 * numpy.pi)
    values = (primitive[1:] - primitive[:-1]) / (2.0 / n)
    base_primitive = -numpy.cos(2 * numpy.pi * edges) / (2 * numpy.pi)
    base = (base_primitive[1:] - base_primitive[:-1]) / (2.0 / n)
    residual = values - ((2 / 3) * base + (1 / 3) * numpy.roll(base, 1))
    seconds = time.perf_counter() - start
    sample = numpy.linspace(1, n - 1, 201).astype(int)
    fast = compiled(se.CellAverage(se.Grid(-1, 1, n)), se.Signal("sin(2*pi*x)"))
    with working_precision(50):
        exact_at = fast.values(third, MPMATH)
        exact_base = fast.values(0, MPMATH)
        worst, wrong = -50.0, 0
        for j in sample:
            truth = exact_at[j] - (2 * exact_base[j] + exact_base[j - 1]) / 3
            relative = abs(mpmath.mpf(float(residual[j])) - truth) / abs(truth)
            worst = max(worst, float(mpmath.log10(relative)))
            wrong += (residual[j] > 0) != (truth > 0)
    return seconds, worst, wrong, len(sample)


def quadrature_reference(expression, n, shifts):
    """The same cell averages by mpmath.quad at 40 digits: a judge independent of both routes."""
    function = sympy.lambdify(se.x, se.Signal(expression).expr, "mpmath")
    grid = se.Grid(-1, 1, n)
    out = []
    with mpmath.workdps(40):
        for d in shifts:
            d = mpmath.mpf(d.numerator) / d.denominator
            for a, b in zip(grid.edges, grid.edges[1:]):
                a, b = mpmath.mpf(a.p) / a.q, mpmath.mpf(b.p) / b.q
                # split at 1/3 + d, the step's edge (harmless for the smooth signals)
                split = [a, b] if not a < mpmath.mpf(1) / 3 + d < b else [a, mpmath.mpf(1) / 3 + d, b]
                out.append(mpmath.quad(lambda t: function(t - d), split) * n / 2)
    return out


def main():
    print("symequiv checker benchmark (one run; ratios compare like with like)\n")
    cells_shifts = 256 * len(SHIFTS)
    print(f"1. sweep of N=256 cells x {len(SHIFTS)} shifts at 50 digits, Conv >> ReLU, LinearShift")
    for name, expression in SIGNALS.items():
        seconds, result = sweep_time(expression, 256)
        methods = sorted({v.method for v in result})
        failed = sum(v.holds is False for v in result)
        print(
            f"   {name:10s} {seconds:7.3f} s  {seconds / cells_shifts * 1e6:6.2f} us per certified cell-residual"
            f"  (verdicts: {failed}/{len(result)} certified unequal, methods {methods})"
        )

    print("\n2. closed-form stage, naive (sympy integrate per cell per shift) vs fast, same subset")
    print("   (fast: the closed form derived and compiled once beforehand; both judged by mpmath.quad)")
    subset_cells, subset_shifts = 16, SHIFTS[:2]
    for name, expression in SIGNALS.items():
        naive, slow_values = timed(lambda: naive_stage(expression, subset_cells, subset_shifts))
        fast_stage(expression, subset_cells, subset_shifts)  # derive and compile once, outside the timing
        fast, fast_values = timed(lambda: fast_stage(expression, subset_cells, subset_shifts))
        reference = quadrature_reference(expression, subset_cells, subset_shifts)
        with mpmath.workdps(40):
            naive_error = max(abs(mpmath.mpf(sympy.N(s, 40)) - r) for s, r in zip(slow_values, reference))
            fast_error = max(abs(v - r) for v, r in zip([v for row in fast_values for v in row], reference))
        print(f"   {name:10s} naive {naive:8.3f} s  fast {fast * 1e3:7.3f} ms  ratio {naive / fast:9.0f}x"
              f"  max error vs quad: naive {mpmath.nstr(naive_error, 3)}, fast {mpmath.nstr(fast_error, 3)}")

    # Measured before the 2^20-cell grid of section 4 exists: its million cached
    # exact points would slow every later allocation (garbage collection).
    print("\n3. scaling: sweep time at N and 2N (sin, 16 shifts)")
    shifts = SHIFTS[:16]
    for n in (256, 1024):
        t1, _ = sweep_time(SIGNALS["sin"], n, shifts)
        t2, _ = sweep_time(SIGNALS["sin"], 2 * n, shifts)
        print(f"   N={n} {t1:.3f} s, N={2 * n} {t2:.3f} s, ratio {t2 / t1:.2f}")
    print("\n4. float64 numpy at N = 2^20 (sin, linear-interpolation residual at d = dx/3)")
    seconds, worst, wrong, sampled = float64_digits(1 << 20)
    kept = max(0.0, -worst)
    print(f"   time {seconds * 1e3:.1f} ms; worst |float64 - true| / |true residual| = 1e{worst:.1f}, "
          f"so float64 keeps {kept:.0f} correct digits there against 50; "
          f"wrong sign in {wrong} of {sampled} sampled cells")

    return 0


if __name__ == "__main__":
    sys.exit(main())
