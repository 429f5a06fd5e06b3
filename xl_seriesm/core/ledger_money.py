"""The ledger's dividends in whole units: integers instead of fractions on the replay's hot
path, with the one reading that makes that possible.

Every accrual of the ledger is an exact multiple of one small unit: a Series M holding is a
whole number of ``1/S`` of a share (``S``: the common denominator of the ledger's share
counts) and one share's accrual from the Closing Date to any date of the ledger is a whole
number of ``1/Q`` of a dollar (``Q``: the common denominator of those accruals, 36 on US
30/360). So with ``D = S × Q × 10^N``, each holder's accrued and unpaid dividends, what it
has been paid and what is not yet due are whole numbers of ``1/D`` of a dollar, and every
accrual, payment and dividend in cents is exact in them.

Only one figure is not: the pro rata part of a holder's unpaid dividends that moves with
some of its shares (a transfer, a conversion or redemption of part of a holding; README:
"Readings of the text"). Exactly it is ``unpaid × moved / held``, whose denominator grows
with every such move (hundreds of digits after a few thousand transfers of odd lots). The
ledger carries it to ``N`` decimal places of a dollar (``arrears_decimals``, default
:data:`ARREARS_DECIMALS`), rounded half up, exact when it has no more; the holder keeps the
rest, so the class's total stays exact and each holder's figure is within half of
``10^-N`` per move of the exact one. Cash is still rounded to the cent only where it is
paid.

Exact figures often lie on half a cent (30/360 accrues $0.125 on 0.9 of a share in a day),
where a carried figure a hair below would round down. So a figure within ``10^(6−N)`` of a
dollar of half a cent (what a million moves can carry it off by, at most) is taken as that
half cent when it is rounded to the cent; an exact figure that close to a half cent without
being on it has a denominator above ``10^(N-6)``, which only a long history of moves makes.

Pure: no openpyxl, pandas or xlwings here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from fractions import Fraction

from xl_seriesm.core import errors

#: Decimal places of a dollar the moving part of a holder's unpaid dividends is carried to.
ARREARS_DECIMALS = 20
#: The setting's range: from 12 a figure is read to a millionth of a dollar at worst (see
#: :meth:`Scale.cents`); 1,000 keeps every figure printable.
MIN_ARREARS_DECIMALS, MAX_ARREARS_DECIMALS = 12, 1000
#: Moves a figure may take before its carrying error could reach the half-cent window.
_MOVES = 10**6
#: Share counts kept by identity at most (a ledger has a few hundred distinct ones).
_SEEN = 1 << 16


def check_decimals(decimals: object, arg: str = "arrears_decimals") -> int:
    """``decimals`` if it is a whole number in the setting's range, else a clear error."""
    if (isinstance(decimals, bool) or not isinstance(decimals, int)
            or not MIN_ARREARS_DECIMALS <= decimals <= MAX_ARREARS_DECIMALS):
        raise errors.out_of_range(arg, decimals, f"a whole number from {MIN_ARREARS_DECIMALS}"
                                  f" to {MAX_ARREARS_DECIMALS:,}")
    return decimals


def common_denominator(denominators: Iterable[int]) -> int:
    """The least common multiple of ``denominators`` (1 for none)."""
    found = 1
    for denominator in set(denominators):
        found = math.lcm(found, denominator)
    return found


class Scale:
    """The units of one replay: Series M in ``1/share_den`` of a share, dollars in
    ``1/den``; ``per_share[day]`` is one share unit's accrual from the Closing Date to
    ``day`` in dollar units."""

    def __init__(self, share_den: int, accruals: dict[date, Fraction], decimals: int) -> None:
        check_decimals(decimals)
        self.share_den = share_den
        self.decimals = decimals
        accrual_den = common_denominator(u.denominator for u in accruals.values())
        #: Dollar units in one 10^-decimals of a dollar, the grid a moving part is put on.
        self.step: int = share_den * accrual_den
        self.den: int = self.step * 10**decimals
        self._shares_seen: dict[int, tuple[Fraction, int]] = {}
        #: Half a cent, and how near to a multiple of it a figure is taken as on it.
        self._half_cent = self.den // 200
        self._window = self.step * _MOVES
        per_unit: int = accrual_den * 10**decimals  # units of one share unit per dollar of U
        self.per_share: dict[date, int] = {
            day: u.numerator * (per_unit // u.denominator) for day, u in accruals.items()}

    def units(self, dollars: Fraction) -> int:
        """``dollars`` in whole units (cents, or a sum of the ledger's accruals)."""
        top: int = dollars.numerator
        bottom: int = dollars.denominator
        whole, rest = divmod(self.den * top, bottom)
        if rest:
            raise ValueError(f"{dollars} is not a whole number of 1/{self.den} of a dollar")
        return whole

    def shares(self, shares: Fraction) -> int:
        """Series M shares in whole share units."""
        # A ledger read from a file repeats a few share counts, one object each (the reader
        # parses each text once): kept by identity, with the object, so no id is reused.
        known = self._shares_seen.get(id(shares))
        if known is not None and known[0] is shares:
            return known[1]
        top: int = shares.numerator
        bottom: int = shares.denominator
        whole, rest = divmod(self.share_den * top, bottom)
        if rest:
            raise ValueError(f"{shares} is not a whole number of 1/{self.share_den} of a share")
        if len(self._shares_seen) < _SEEN:
            self._shares_seen[id(shares)] = (shares, whole)
        return whole

    def dollars(self, units: int) -> Fraction:
        return Fraction(units, self.den)

    def cents(self, units: int) -> int:
        """Whole cents, half up: floor(units / den × 100 + ½), a figure within
        ``10^(6−N)`` of a dollar of a multiple of half a cent being taken as on it."""
        off = units % self._half_cent
        if off <= self._window:
            units -= off
        elif self._half_cent - off <= self._window:
            units += self._half_cent - off
        return (200 * units + self.den) // (2 * self.den)

    def moved(self, unpaid: int, moved: int, held: int) -> int:
        """``unpaid × moved / held`` carried to the decimals, half up (exact when it has no
        more decimals)."""
        grid = self.step * held
        return (2 * unpaid * moved + grid) // (2 * grid) * self.step

    def moved_dollars(self, owed: Fraction, moved: int, held: int) -> Fraction:
        """The same for an amount kept in dollars (a dividend period's unpaid)."""
        scale = 10**self.decimals
        exact = owed * moved / held
        return Fraction((2 * exact.numerator * scale + exact.denominator)
                        // (2 * exact.denominator), scale)


def allocate_cents(amount: int, weights: Sequence[int]) -> list[int]:
    """``amount`` cents pro rata to ``weights`` (cents), in whole cents adding up exactly:
    :func:`xl_seriesm.core.allocation.allocate` on integers (each weight's whole quota, then
    one cent each to the largest remainders, the earlier first on a tie)."""
    total = sum(weights)
    if not total:
        return [0] * len(weights)
    whole, remainders = [], []
    for weight in weights:
        quota, remainder = divmod(amount * weight, total)
        whole.append(quota)
        remainders.append(remainder)
    left = amount - sum(whole)
    for index in sorted(range(len(weights)), key=remainders.__getitem__, reverse=True)[:left]:
        whole[index] += 1
    return whole
