"""Exact arithmetic over whole columns, for array calls over thousands of rows.

A column of floats from Excel is read as decimals (each float's shortest decimal form, as
:func:`xl_seriesm.core.numbers.exact` reads one) and held as integers over one power of ten.
A formula that is linear in the columns, with rational coefficients, then becomes integer
arithmetic over a common denominator: per row one multiply-add and one floor division of
Python integers, with no ``Fraction`` to normalise, so a column of 100,000 rows takes a
fraction of a second. Results are the same, bit for bit, as the per-cell ``Fraction`` path.

Plain Python on purpose: xlwings Lite runs the functions in Pyodide, where numpy is not
available offline, and one implementation is one thing to prove exact. The loops over a
column are chains of ``map`` over builtins (``map(mul, digits, repeat(factor))``), which run
without a Python bytecode per row: in Pyodide several times faster than comprehensions.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import repeat
from math import isfinite, lcm
from operator import add, eq, floordiv, mul, truediv

#: The most decimals a float may carry to be read as a decimal column.
MAX_DECIMALS = 9
#: Below this magnitude (x × 10^k), the k-decimal number that round-trips to a float is
#: unique and rounding the scaled float finds it: it is the float's shortest decimal form.
_UNIQUE_BELOW = 2.0**50
#: The rows tried at a scale before the whole column is.
_PROBE = 64


@dataclass(frozen=True)
class DecimalColumn:
    """Exact decimals: ``digits[i] / 10**scale``."""

    digits: list[int]
    scale: int

    def __len__(self) -> int:
        return len(self.digits)

    def compare(self, other: Fraction) -> list[int]:
        """-1, 0 or 1 per row as the value is below, at or above ``other``."""
        right = other.numerator * 10**self.scale
        times = other.denominator
        return [(x * times > right) - (x * times < right) for x in self.digits]


def read_floats(values: Sequence[float]) -> DecimalColumn | None:
    """The exact decimal column of ``values``, or None when a value is not finite, needs
    more than :data:`MAX_DECIMALS` decimals or is too large to be read this way (the caller
    then reads cell by cell).

    Each float is read as its shortest decimal form, as the per-cell path reads it through
    ``repr``: at the first scale 10^k where every ``round(v × 10^k) / 10^k == v``, a
    k-decimal number rounds to each v, and below 2^50 (in units of 10^-k) that number is
    unique, so it is the shortest form (scaled to k decimals). A few passes of float
    arithmetic over the column, no strings: in Pyodide this is several times faster.

    >>> read_floats([0.1, 9100.0, 4285.714285714285]) is None
    True
    >>> column = read_floats([0.1, 9100.0, 1.25, 2e-05])
    >>> column.digits, column.scale
    ([10000, 910000000, 125000, 2], 5)
    """
    if not all(map(isfinite, values)):
        return None
    largest = max(map(abs, values), default=0.0)
    for scale in range(MAX_DECIMALS + 1):
        power = repeat(10.0**scale)
        if largest * 10.0**scale >= _UNIQUE_BELOW:
            return None
        # all(round(v × 10^k) / 10^k == v): first over a few rows, so that a scale too
        # small is given up at once, then over the column, its scaled integers made once.
        head = values[:_PROBE]
        if not all(map(eq, map(truediv, map(round, map(mul, head, power)), power), head)):
            continue
        digits = list(map(round, map(mul, values, power)))
        if all(map(eq, map(truediv, digits, power), values)):
            return DecimalColumn(digits, scale)
    return None


def constant(value: Fraction, length: int) -> DecimalColumn | None:
    """A column repeating one value, when that value is a decimal."""
    for scale in range(MAX_DECIMALS + 1):
        scaled = value * 10**scale
        if scaled.denominator == 1:
            return DecimalColumn([scaled.numerator] * length, scale)
    return None


def linear_floor(terms: list[tuple[Fraction, DecimalColumn]], constant_term: Fraction,
                 half: bool = True) -> list[int]:
    """``floor(Σ coefficient × column + constant + ½)`` per row, exactly: the sum rounded
    half up to a whole unit (cents, when the coefficients carry the factor 100); with
    ``half=False`` a plain floor.

    >>> shares = DecimalColumn([100, 1], 0)
    >>> linear_floor([(Fraction(5000, 3), shares)], Fraction(0))  # 100/3 dollars, in cents
    [166667, 1667]
    """
    # Σ cᵢ·dᵢ/10^sᵢ + k + ½ over the common denominator D: (Σ 2·Fᵢ·dᵢ + 2·K + D) // 2D.
    if not terms or len({len(column) for _, column in terms}) != 1:
        raise ValueError("linear_floor: one or more columns, all of one length")
    denominators = [c.denominator * 10**column.scale for c, column in terms]
    common = lcm(constant_term.denominator, *denominators)
    factors = [2 * c.numerator * (common // d)
               for (c, _), d in zip(terms, denominators, strict=True)]
    offset = 2 * constant_term.numerator * (common // constant_term.denominator)
    offset += common if half else 0
    total: Iterator[int] = repeat(offset)
    for factor, (_, column) in zip(factors, terms, strict=True):
        total = map(add, total, map(mul, column.digits, repeat(factor)))
    return list(map(floordiv, total, repeat(2 * common)))


def ratio_floats(numerators: list[int], denominator: Fraction) -> list[float]:
    """``float(numerators[i] / denominator)`` per row, correctly rounded (as ``float`` of
    the exact ``Fraction`` would be: Python's division of two integers rounds correctly,
    however large they are)."""
    top, bottom = denominator.denominator, denominator.numerator
    return list(map(truediv, map(mul, numerators, repeat(top)), repeat(bottom)))
