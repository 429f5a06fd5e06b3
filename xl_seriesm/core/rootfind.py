"""Brent's method: the root finder of the OPM backsolve (SERIESM_OPM_BACKSOLVE, with and
without a capital stack). Pure Python, so it runs in Pyodide (xlwings Lite) where scipy is
not at hand; the tests check it against scipy's ``brentq``."""

from __future__ import annotations

import math
from collections.abc import Callable

#: The backsolve stops when the bracket holding the root is narrower than this (dollars).
BACKSOLVE_TOLERANCE = 0.001
#: Brent's method halves the bracket at least every other step, so this is never reached
#: for a bracket under 2**100 dollars; it only guards against a pathological function.
_MAX_ITERATIONS = 500


def brent(func: Callable[[float], float], low: float, high: float,
          tolerance: float = BACKSOLVE_TOLERANCE) -> float:
    """A root of ``func`` in [low, high], where func(low) and func(high) differ in sign, by
    Brent's method (inverse quadratic interpolation, secant and bisection; R. P. Brent,
    *Algorithms for Minimization without Derivatives*, 1973, ch. 4), to within ``tolerance``.

    >>> round(brent(lambda x: x * x - 2, 0.0, 2.0, 1e-12), 10)
    1.4142135624
    """
    f_low, f_high = func(low), func(high)
    if f_low == 0:
        return low
    if f_high == 0:
        return high
    if (f_low > 0) == (f_high > 0):
        raise ValueError("the bracket does not hold a root")
    a, b, fa, fb = low, high, f_low, f_high
    c, fc = a, fa
    d = e = b - a
    for _ in range(_MAX_ITERATIONS):
        if (fb > 0) == (fc > 0):
            c, fc = a, fa
            d = e = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol = 2 * 2.2e-16 * abs(b) + tolerance / 2
        half = (c - b) / 2
        if abs(half) <= tol or fb == 0:
            return b
        if abs(e) >= tol and abs(fa) > abs(fb):
            s = fb / fa
            if a == c:  # secant
                p, q = 2 * half * s, 1 - s
            else:  # inverse quadratic interpolation
                q, r = fa / fc, fb / fc
                p = s * (2 * half * q * (q - r) - (b - a) * (r - 1))
                q = (q - 1) * (r - 1) * (s - 1)
            if p > 0:
                q = -q
            p = abs(p)
            if 2 * p < min(3 * half * q - abs(tol * q), abs(e * q)):
                e, d = d, p / q
            else:
                d = e = half
        else:
            d = e = half
        a, fa = b, fb
        b += d if abs(d) > tol else math.copysign(tol, half)
        fb = func(b)
    return b  # pragma: no cover - see _MAX_ITERATIONS
