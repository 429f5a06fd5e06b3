"""Pro rata allocation in whole units: §3(b) shortfalls and §6(b) partial redemptions.

§3(b) shares a shortfall "pro rata, in proportion to the full preferential amounts"; §6(b)
redeems "the greatest number of shares ... possible" and names no rule for splitting them
among holders (DOMAIN.md default: pro rata to holdings). Both must hand out a whole number of
units (cents, or whole shares) that adds up exactly to the amount: each holder first gets the
whole units of its exact quota, and the units left over go one each to the largest
remainders, the earlier row first on a tie (the largest-remainder, or Hamilton, method).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from xl_seriesm.core import checks, errors
from xl_seriesm.core.explain import active, note
from xl_seriesm.core.numbers import snap_shares


def allocate(amount: Fraction, weights: Sequence[Fraction],
             unit: Fraction = Fraction(1, 100)) -> list[Fraction]:
    """Split ``amount`` pro rata to ``weights`` in multiples of ``unit``, adding up exactly.

    $100.00 among three equal holders: 33.34, 33.33, 33.33 (the first remainder wins the tie).

    >>> [str(x) for x in allocate(Fraction(100), [Fraction(1)] * 3)]
    ['1667/50', '3333/100', '3333/100']
    >>> allocate(Fraction(10), [Fraction(5), Fraction(3), Fraction(2)], unit=Fraction(1))
    [Fraction(5, 1), Fraction(3, 1), Fraction(2, 1)]
    """
    checks.non_negative(amount, "amount")
    checks.positive(unit, "unit")
    units = snap_shares(amount / unit)  # 975 shares typed as a sum: 974.9999999999999
    if units.denominator != 1:
        raise errors.out_of_range("amount", amount, f"a whole number of units of {unit}")
    for weight in weights:
        checks.non_negative(weight, "weights")
    total = sum(weights, Fraction(0))
    if total == 0:
        if units == 0:
            return [Fraction(0)] * len(weights)
        raise errors.out_of_range("weights", total, "more than 0 in total")
    note("units to share out: amount ÷ unit", units, "§3(b), §6(b)")
    note("total of the weights", total, "§3(b), §6(b)")
    quotas = [units.numerator * w / total for w in weights]
    whole = apportion(units.numerator, quotas)
    if active():
        for number, (quota, share) in enumerate(zip(quotas, whole, strict=True), start=1):
            note(f"row {number}: exact share {float(quota):,.6f} units", quota, "§3(b), §6(b)")
            note(f"row {number}: allocated", share * unit, "§3(b), §6(b)")
    return [w * unit for w in whole]


def apportion(units: int, quotas: Sequence[Fraction]) -> list[int]:
    """Whole units adding up to ``units``: each quota's whole part, and the units left over
    one each to the largest remainders, the earlier row first on a tie. The quotas must add
    up to within one unit per row of ``units``, at or below it for their whole parts.

    >>> apportion(3, [Fraction(4, 3), Fraction(5, 3)])
    [1, 2]
    """
    whole = [math.floor(q) for q in quotas]
    left = units - sum(whole)
    if not 0 <= left <= len(quotas):
        raise ValueError(f"{units} units cannot be apportioned to quotas adding up to "
                         f"{float(sum(quotas, Fraction(0)))}")
    # Largest remainder first; on a tie the earlier row (sorted() is stable).
    by_remainder = sorted(range(len(quotas)), key=lambda i: quotas[i] - whole[i], reverse=True)
    note("units left after the whole parts, one each to the largest remainders", left,
         "§3(b), §6(b)")
    for index in by_remainder[:left]:
        whole[index] += 1
    return whole
