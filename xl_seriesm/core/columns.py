"""Exact arithmetic over whole columns, for array calls over thousands of rows.

A column of floats from Excel is read as decimals (each float's shortest decimal form, as
:func:`xl_seriesm.core.numbers.exact` reads one) and held as integers over one power of ten.
A formula that is linear in the columns, with rational coefficients, then becomes integer
arithmetic over a common denominator, which numpy does for a whole column at once: int64
when the bounds allow it, Python integers in an object array when they do not. Results are
the same, bit for bit, as the per-cell ``Fraction`` path; only the speed differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import numpy as np
import numpy.typing as npt

#: The most decimals a float may carry to be read as a decimal column.
MAX_DECIMALS = 9
#: Below this magnitude (x × 10^k), the k-decimal number that round-trips to a float is
#: unique and rounding the scaled float finds it: it is the float's shortest decimal form.
_UNIQUE_BELOW = 2.0**50
_INT64_LIMIT = 2**62  # headroom under 2^63 for one more addition

IntArray = npt.NDArray[np.int64] | npt.NDArray[np.object_]


@dataclass(frozen=True)
class DecimalColumn:
    """Exact decimals: ``digits[i] / 10**scale``."""

    digits: IntArray
    scale: int

    def __len__(self) -> int:
        return len(self.digits)

    @property
    def largest(self) -> int:
        return int(np.max(np.abs(self.digits))) if len(self.digits) else 0

    def compare(self, other: Fraction) -> npt.NDArray[np.int64]:
        """-1, 0 or 1 per row as the value is below, at or above ``other``."""
        right = other.numerator * 10**self.scale
        wide = max(self.largest * other.denominator, abs(right)) >= _INT64_LIMIT
        left = _digits(self, wide) * other.denominator
        return np.sign(left - right).astype(np.int64)  # type: ignore[no-any-return]


def _digits(column: DecimalColumn, wide: bool) -> IntArray:
    """The column's digits as int64, or as Python integers when ``wide``."""
    if wide and column.digits.dtype != object:
        return column.digits.astype(object)
    return column.digits


def read_floats(values: npt.NDArray[np.float64]) -> DecimalColumn | None:
    """The exact decimal column of ``values``, or None when a value is not finite or needs
    more than :data:`MAX_DECIMALS` decimals (the caller then reads cell by cell).

    >>> column = read_floats(np.array([0.1, 9100.0, 4285.714285714285]))
    >>> column is None
    True
    >>> column = read_floats(np.array([0.1, 9100.0, 1.25]))
    >>> column.digits.tolist(), column.scale
    ([10, 910000, 125], 2)
    """
    if not np.all(np.isfinite(values)):
        return None
    if len(values) and float(np.max(np.abs(values))) >= _UNIQUE_BELOW:
        return None  # past the exactly representable: the per-cell path reads these
    found = np.zeros(len(values), dtype=bool)
    digits = np.zeros(len(values), dtype=np.int64)
    decimals = np.zeros(len(values), dtype=np.int64)
    for k in range(MAX_DECIMALS + 1):
        power = 10.0**k
        candidate = np.rint(values * power)
        ok = ~found & (np.abs(candidate) < _UNIQUE_BELOW) & (candidate / power == values)
        digits[ok] = candidate[ok].astype(np.int64)
        decimals[ok] = k
        found |= ok
        if found.all():
            break
    else:
        return None
    scale = int(decimals.max()) if len(values) else 0
    widen = 10 ** (scale - decimals)
    if len(values) and int(np.max(np.abs(digits))) * 10**scale >= _INT64_LIMIT:
        return DecimalColumn(digits.astype(object) * widen.astype(object), scale)
    return DecimalColumn(digits * widen, scale)


def constant(value: Fraction, length: int) -> DecimalColumn | None:
    """A column repeating one value, when that value is a decimal."""
    for scale in range(MAX_DECIMALS + 1):
        scaled = value * 10**scale
        if scaled.denominator == 1:
            digits = scaled.numerator
            if abs(digits) < _INT64_LIMIT:
                return DecimalColumn(np.full(length, digits, dtype=np.int64), scale)
            return DecimalColumn(np.full(length, digits, dtype=object), scale)
    return None


def linear_floor(terms: list[tuple[Fraction, DecimalColumn]], constant_term: Fraction,
                 half: bool = True) -> IntArray:
    """``floor(Σ coefficient × column + constant + ½)`` per row, exactly: the sum rounded
    half up to a whole unit (cents, when the coefficients carry the factor 100); with
    ``half=False`` a plain floor.

    >>> shares = DecimalColumn(np.array([100, 1], dtype=np.int64), 0)
    >>> linear_floor([(Fraction(5000, 3), shares)], Fraction(0)).tolist()  # 100/3 dollars, in cents
    [166667, 1667]
    """
    denominators = [c.denominator * 10**column.scale for c, column in terms]
    common = lcm(constant_term.denominator, *denominators)
    factors = [2 * c.numerator * (common // d)
               for (c, _), d in zip(terms, denominators, strict=True)]
    offset = 2 * constant_term.numerator * (common // constant_term.denominator)
    offset += common if half else 0
    bound = sum(abs(f) * column.largest for f, (_, column) in zip(factors, terms, strict=True))
    wide = bound + abs(offset) + 2 * common >= _INT64_LIMIT
    total: IntArray | int = 0
    for factor, (_, column) in zip(factors, terms, strict=True):
        total = total + _digits(column, wide) * factor
    return (total + offset) // (2 * common)  # type: ignore[return-value]


def ratio_floats(numerators: IntArray, denominator: Fraction) -> npt.NDArray[np.float64]:
    """``float(numerators[i] / denominator)`` per row, correctly rounded (as ``float`` of
    the exact ``Fraction`` would be)."""
    limit = 2**53
    largest = int(np.max(np.abs(numerators))) if len(numerators) else 0
    top_largest = largest * denominator.denominator
    if numerators.dtype != object and top_largest < limit and abs(denominator.numerator) < limit:
        # Both exactly representable: IEEE division rounds the exact quotient correctly.
        top = (numerators * denominator.denominator).astype(np.float64)
        return top / float(denominator.numerator)
    return np.array([int(n) * denominator.denominator / denominator.numerator
                     for n in numerators], dtype=np.float64)
