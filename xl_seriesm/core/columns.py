"""Exact arithmetic over whole columns, for array calls over thousands of rows.

A column of floats from Excel is read as decimals (each float's shortest decimal form, as
:func:`xl_seriesm.core.numbers.exact` reads one) and held as integers over one power of ten.
A formula that is linear in the columns, with rational coefficients, then becomes integer
arithmetic over a common denominator: per row one multiply-add and one floor division of
Python integers, with no ``Fraction`` to normalise, so a column of 100,000 rows takes a
fraction of a second. Results are the same, bit for bit, as the per-cell ``Fraction`` path.

Plain Python on purpose: xlwings Lite runs the functions in Pyodide, where numpy is not
available offline, and one implementation is one thing to prove exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import isfinite, lcm

#: The most decimals a float may carry to be read as a decimal column.
MAX_DECIMALS = 9


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


def shortest_decimal(value: float) -> tuple[int, int] | None:
    """``(digits, decimals)`` with ``value`` = digits / 10**decimals, read from the float's
    shortest decimal form (its ``repr``, as the per-cell path reads it); None when the value
    is not finite or needs more than :data:`MAX_DECIMALS` decimals.

    >>> shortest_decimal(0.1), shortest_decimal(9100.0), shortest_decimal(1e-05)
    ((1, 1), (9100, 0), (1, 5))
    >>> shortest_decimal(1 / 3) is None, shortest_decimal(float("nan")) is None
    (True, True)
    """
    text = repr(value)
    if "e" in text or "n" in text:  # exponent form (1e-05, 1e+16), inf or nan
        if not isfinite(value):
            return None
        sign, figures, exponent = Decimal(text).as_tuple()
        assert isinstance(exponent, int)  # finite
        digits = int("".join(map(str, figures))) * (-1 if sign else 1)
        if exponent >= 0:
            return digits * 10**exponent, 0
        return (digits, -exponent) if -exponent <= MAX_DECIMALS else None
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    if len(fraction) > MAX_DECIMALS:
        return None
    return int(whole + fraction), len(fraction)


def read_floats(values: Sequence[float]) -> DecimalColumn | None:
    """The exact decimal column of ``values``, or None when a value is not finite or needs
    more than :data:`MAX_DECIMALS` decimals (the caller then reads cell by cell).

    >>> read_floats([0.1, 9100.0, 4285.714285714285]) is None
    True
    >>> column = read_floats([0.1, 9100.0, 1.25, 2e-05])
    >>> column.digits, column.scale
    ([10000, 910000000, 125000, 2], 5)
    """
    digits: list[int] = []
    decimals: list[int] = []
    for text in map(repr, values):
        # The common form, "1234.5", read inline (this loop is most of an array call's time).
        whole, _, fraction = text.partition(".")
        if fraction.isdigit() and len(fraction) <= MAX_DECIMALS:
            fraction = fraction.rstrip("0")
            digits.append(int(whole + fraction))
            decimals.append(len(fraction))
            continue
        read = shortest_decimal(float(text))
        if read is None:
            return None
        digits.append(read[0])
        decimals.append(read[1])
    scale = max(decimals, default=0)
    if min(decimals, default=0) == scale:
        return DecimalColumn(digits, scale)
    powers = [10**k for k in range(scale + 1)]
    return DecimalColumn([d * powers[scale - k] for d, k in zip(digits, decimals, strict=True)],
                         scale)


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
    denominators = [c.denominator * 10**column.scale for c, column in terms]
    common = lcm(constant_term.denominator, *denominators)
    factors = [2 * c.numerator * (common // d)
               for (c, _), d in zip(terms, denominators, strict=True)]
    offset = 2 * constant_term.numerator * (common // constant_term.denominator)
    offset += common if half else 0
    divisor = 2 * common
    digits = [column.digits for _, column in terms]
    if len(terms) == 1:  # the common shapes, written out: about twice as fast as the general
        (factor,), (first,) = factors, digits
        return [(factor * x + offset) // divisor for x in first]
    if len(terms) == 2:
        (f1, f2), (first, second) = factors, digits
        return [(f1 * x + f2 * y + offset) // divisor
                for x, y in zip(first, second, strict=True)]
    return [(sum(f * x for f, x in zip(factors, row, strict=True)) + offset) // divisor
            for row in zip(*digits, strict=True)]


def ratio_floats(numerators: list[int], denominator: Fraction) -> list[float]:
    """``float(numerators[i] / denominator)`` per row, correctly rounded (as ``float`` of
    the exact ``Fraction`` would be: Python's division of two integers rounds correctly,
    however large they are)."""
    top, bottom = denominator.denominator, denominator.numerator
    return [n * top / bottom for n in numerators]
