"""Column kernels of the share-count clauses (§4 votes, §5 conversion, §5(h) cash in lieu,
§5(d), §5(j), §2, §3(d), §8) for array calls over thousands of rows.

Each kernel takes its number arguments as :class:`Exact` columns (integer numerators over one
denominator: a column of decimals read from Excel, or one value repeated) and returns a
result per row and whether the row is valid; a row that is not is answered by the per-cell
path, which words its error. Same formulas and the same snapping as the per-cell core
functions, in integers, so every figure is the per-cell one bit for bit (floats are made by
one correctly rounded division, as ``float`` of a ``Fraction`` is). Plain Python, ``map`` over
builtins: no Python bytecode per row (see :mod:`xl_seriesm.core.columns`).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from itertools import repeat
from math import lcm
from operator import add, and_, floordiv, ge, gt, le, mod, mul, sub, truediv
from typing import NamedTuple

from xl_seriesm.core import terms
from xl_seriesm.core.columns import DecimalColumn
from xl_seriesm.core.numbers import SNAP_TOLERANCE

Flags = list[bool]
_SNAP = SNAP_TOLERANCE.denominator  # a share within 1/10^6 of a whole one is that share
_EXACT_INTS = 2**53  # every whole number up to here is exactly a float


class Exact(NamedTuple):
    """``numerators[i] / denominator`` per row (the denominator positive)."""

    numerators: list[int]
    denominator: int
    #: The one value of every row, when the column repeats a single value.
    value: Fraction | None = None

    @classmethod
    def of_column(cls, column: DecimalColumn) -> Exact:
        return cls(column.digits, 10**column.scale)

    @classmethod
    def of_value(cls, value: Fraction, count: int) -> Exact:
        return cls([value.numerator] * count, value.denominator, value)

    @classmethod
    def of_values(cls, values: list[Fraction]) -> Exact:
        """A column of a few distinct values over their least common denominator."""
        distinct = set(values)
        common = lcm(*(value.denominator for value in distinct))
        scaled = {value: value.numerator * (common // value.denominator) for value in distinct}
        return cls(list(map(scaled.__getitem__, values)), common)

    @classmethod
    def of_table(cls, keys: list[float], table: dict[float, Fraction]) -> Exact:
        """A column of a few distinct floats, each read once (``table``), over their least
        common denominator: no ``Fraction`` is built or hashed per row."""
        common = lcm(*(value.denominator for value in table.values()))
        scaled = {key: value.numerator * (common // value.denominator)
                  for key, value in table.items()}
        return cls(list(map(scaled.__getitem__, keys)), common)

    def times(self, other: Exact) -> Exact:
        if self.value is not None and other.value is not None:
            return Exact.of_value(self.value * other.value, len(self.numerators))
        return Exact(list(map(mul, self.numerators, other.numerators)),
                     self.denominator * other.denominator)

    def floats(self) -> list[float]:
        return list(map(truediv, self.numerators, repeat(self.denominator)))

    def at_least(self, other: Exact) -> Flags:
        """self ≥ other per row."""
        if other.value is not None:  # n × q ≥ p × d for the one value p/q
            return list(map(ge, map(mul, self.numerators, repeat(other.value.denominator)),
                            repeat(other.value.numerator * self.denominator)))
        return list(map(ge, map(mul, self.numerators, repeat(other.denominator)),
                        map(mul, other.numerators, repeat(self.denominator))))

    def more_than(self, other: Exact) -> Flags:
        if other.value is not None:
            return list(map(gt, map(mul, self.numerators, repeat(other.value.denominator)),
                            repeat(other.value.numerator * self.denominator)))
        return list(map(gt, map(mul, self.numerators, repeat(other.denominator)),
                        map(mul, other.numerators, repeat(self.denominator))))

    def non_negative(self) -> Flags:
        if self.value is not None:
            return [self.value >= 0] * len(self.numerators)
        if min(self.numerators, default=0) >= 0:  # every row (one pass, no list)
            return [True] * len(self.numerators)
        return list(map(ge, self.numerators, repeat(0)))

    def positive(self) -> Flags:
        if self.value is not None:
            return [self.value > 0] * len(self.numerators)
        if min(self.numerators, default=1) > 0:
            return [True] * len(self.numerators)
        return list(map(gt, self.numerators, repeat(0)))

    def series_m_shares(self) -> Flags:
        """0 ≤ value ≤ the 9,100 designated (§1), as ``checks.series_m_shares``."""
        if self.value is not None:
            return [0 <= self.value <= terms.SHARES_DESIGNATED] * len(self.numerators)
        most = terms.SHARES_DESIGNATED * self.denominator
        if min(self.numerators, default=0) >= 0 and max(self.numerators, default=0) <= most:
            return [True] * len(self.numerators)
        return list(map(le, map(abs, map(sub, map(add, self.numerators, self.numerators),
                                              repeat(most))), repeat(most)))


def all_of(*flags: Flags) -> Flags:
    """Rows where every flag holds (a list of one repeated True adds nothing)."""
    kept = [more for more in flags if not (more and more[0] is True and more.count(True)
                                           == len(more))]
    if not kept:
        return flags[0]
    result = kept[0]
    for more in kept[1:]:
        result = list(map(and_, result, more))
    return result


class Snapped(NamedTuple):
    """A share count split as :func:`~xl_seriesm.core.numbers.split_whole` splits it: the
    whole shares of the snapped count and what is left, ``rest[i] / denominator``."""

    whole: list[int]
    rest: list[int]
    denominator: int

    def exact(self) -> Exact:
        return Exact(list(map(add, map(mul, self.whole, repeat(self.denominator)), self.rest)),
                     self.denominator)


def snapped(value: Exact) -> Snapped:
    """``snap_shares`` per row: a value within a millionth of a whole number is that number.

    With q, r the quotient and remainder of n ÷ d, the nearest whole number is within a
    millionth when r × 10^6 ≤ d (it is q) or (d − r) × 10^6 ≤ d (it is q + 1); otherwise
    the value stays, q whole and r/d over. In one floor division: w = ⌊(10^6 n + d) ÷
    10^6 d⌋ is q + 1 exactly when (d − r) × 10^6 ≤ d, else q (the two cases cannot both
    hold); the row is snapped when e = n − w d has |e| × 10^6 ≤ d, that is |e| ≤ ⌊d ÷
    10^6⌋ (e is whole), and otherwise e = r is what is left.
    """
    if value.value is not None:  # one value: split once
        one = snapped(Exact([value.value.numerator], value.value.denominator))
        count = len(value.numerators)
        return Snapped(one.whole * count, one.rest * count, one.denominator)
    d = value.denominator
    whole = list(map(floordiv, map(add, map(mul, value.numerators, repeat(_SNAP)), repeat(d)),
                     repeat(d * _SNAP)))
    over = list(map(sub, value.numerators, map(mul, whole, repeat(d))))
    # e × (|e| > ⌊d ÷ 10^6⌋): e kept, or 0 when the row snaps.
    kept = list(map(mul, over, map(gt, map(abs, over), repeat(d // _SNAP))))
    return Snapped(whole, kept, d)


def snapped_value(value: Exact) -> Exact:
    """The snapped count itself, ``snapped(value).exact()`` in fewer passes: n − e where
    the row snaps (|e| ≤ ⌊d ÷ 10^6⌋, e = n − w d as in :func:`snapped`), else n; one value
    repeated stays one value."""
    if value.value is not None:
        one = snapped(Exact([value.value.numerator], value.value.denominator)).exact()
        return Exact.of_value(Fraction(one.numerators[0], one.denominator),
                              len(value.numerators))
    d = value.denominator
    if d < _SNAP:  # |e| × 10^6 ≤ d < 10^6 only when e = 0: nothing snaps
        return value
    whole = map(floordiv, map(add, map(mul, value.numerators, repeat(_SNAP)), repeat(d)),
                repeat(d * _SNAP))
    over = list(map(sub, value.numerators, map(mul, whole, repeat(d))))
    near = map(le, map(abs, over), repeat(d // _SNAP))
    return Exact(list(map(sub, value.numerators, map(mul, over, near))), d)


def votes(shares: Exact, number: Exact, none_yet: bool) -> tuple[list[int], Flags]:
    """§4: the whole common each holding could convert into (0 under the "none" reading
    before the anniversary, ``none_yet``)."""
    valid = all_of(shares.series_m_shares(), number.positive())
    if none_yet:
        return [0] * len(valid), valid
    return snapped(shares.times(number)).whole, valid


def cash_in_lieu(shares: Exact, number: Exact, price: Exact) -> tuple[list[float], Flags]:
    """§5(h): the fraction of a common share left by the batch, times the market price,
    rounded half up to the cent: (2 × 100 × rest × p + d × q) // (2 × d × q) cents."""
    valid = all_of(shares.series_m_shares(), number.positive(), price.non_negative())
    split = snapped(shares.times(number))
    d, q = split.denominator, price.denominator
    cents = list(map(floordiv, map(add, map(mul, map(mul, split.rest, price.numerators),
                                            repeat(200)), repeat(d * q)),
                     repeat(2 * d * q)))
    return list(map(truediv, cents, repeat(100))), valid


def reserve_shortfall(unissued: Exact, outstanding: Exact, number: Exact,
                      ) -> tuple[list[float], Flags]:
    """§5(j): max(0, snapped(outstanding × number) − snapped(unissued))."""
    valid = all_of(unissued.non_negative(), outstanding.series_m_shares(), number.positive())
    needed = snapped_value(outstanding.times(number))
    have = snapped_value(unissued)
    top = list(map(sub, map(mul, needed.numerators, repeat(have.denominator)),
                   map(mul, have.numerators, repeat(needed.denominator))))
    top = [gap if gap > 0 else 0 for gap in top]
    return Exact(top, needed.denominator * have.denominator).floats(), valid


def reorganization_value(shares: Exact, consideration: Exact, number: Exact,
                         ) -> tuple[list[float], Flags]:
    """§5(d): snapped(shares × number) × the consideration per common share."""
    valid = all_of(shares.series_m_shares(), number.positive(), consideration.non_negative())
    return snapped_value(shares.times(number)).times(consideration).floats(), valid


def class_vote(shares_for: Exact, outstanding: Exact, at_half: bool,
               ) -> tuple[Flags, Flags]:
    """§8 (more than half; ``at_half``: §3(d), half or more): snapped counts, the shares
    for never more than those outstanding."""
    given, whole = snapped_value(shares_for), snapped_value(outstanding)
    valid = all_of(outstanding.series_m_shares(), outstanding.positive(),
                   shares_for.non_negative(), whole.at_least(given))
    doubled = Exact(list(map(mul, given.numerators, repeat(2))), given.denominator)
    return (doubled.at_least(whole) if at_half else doubled.more_than(whole)), valid


def other_dividend_allowed(arrears: Exact, set_apart: Exact) -> tuple[Flags, Flags]:
    """§2: the arrears paid or a sum set apart for them."""
    return set_apart.at_least(arrears), all_of(arrears.non_negative(),
                                               set_apart.non_negative())


def redeemable(funds: Exact, price: Exact, called: Exact | None, fractional: bool,
               ) -> tuple[list[float], Flags]:
    """§6(b): the shares the funds redeem (see :func:`~xl_seriesm.core.redemption.
    redeemable_shares`), never more than called, nor, with no call, than the 9,100
    designated (§1); a price below the $1,000 Stated Value refused.

    Whole shares: the funds in cents c (a count within a millionth of a dollar of a cent is
    that cent, else rounded down), then w = ⌊(2c + 1) × q ÷ (200 p)⌋ for the price p/q, the
    most with w × price < c/100 + ½ cent; one share less when w × price rounds half up past
    c (a row that would need more than one step goes cell by cell).
    """
    count = len(funds.numerators)
    valid = all_of(funds.non_negative(),
                   price.at_least(Exact.of_value(Fraction(terms.STATED_VALUE), count)))
    designated = terms.SHARES_DESIGNATED  # with no call given, no more than can exist (§1)
    # A price below the Stated Value is refused (per cell): 1 stands in for 0 or less so
    # that nothing divides by zero.
    q = price.denominator
    p: Iterable[int] = (repeat(max(price.numerators[0], 1))
                        if price.value is not None and price.numerators
                        else list(map(max, price.numerators, repeat(1))))
    if fractional:  # funds ÷ price = f q ÷ (10^s p), exactly
        exact_tops = list(map(mul, funds.numerators, repeat(q)))
        exact_bottoms = list(map(mul, p, repeat(funds.denominator, len(funds.numerators))))
        if called is None:
            return [top / bottom if top <= designated * bottom else float(designated)
                    for top, bottom in zip(exact_tops, exact_bottoms, strict=True)], valid
    else:
        scale = funds.denominator
        if 100 % scale == 0:  # at most two decimals: whole cents already
            cents = list(map(mul, funds.numerators, repeat(100 // scale)))
        else:
            hundred = list(map(mul, funds.numerators, repeat(100)))
            whole_cents = map(floordiv, hundred, repeat(scale))  # each used once: not kept
            rest = map(mod, hundred, repeat(scale))
            near_up = map(le, map(mul, map(sub, repeat(scale), rest), repeat(_SNAP // 100)),
                          repeat(scale))
            cents = list(map(add, whole_cents, near_up))
        # 200 p per row: one figure repeated when the price is one value
        per_share: Iterable[int] = (repeat(200 * max(price.numerators[0], 1))
                                    if isinstance(p, repeat) else list(map(mul, p, repeat(200))))
        tops = map(mul, map(add, map(mul, cents, repeat(2)), repeat(1)), repeat(q))
        most = list(map(floordiv, tops, per_share))
        # round_cents(w × p/q) > c ⟺ ⌊(200 w p + q) ÷ 2q⌋ > c
        over = map(gt, map(floordiv, map(add, map(mul, most, per_share), repeat(q)),
                           repeat(2 * q)), cents)
        most = list(map(sub, most, over))
        def still_over() -> Iterable[bool]:
            return map(gt, map(floordiv, map(add, map(mul, most, per_share), repeat(q)),
                               repeat(2 * q)), cents)

        if any(still_over()):  # rarely: rows that would need a second step
            again = list(still_over())
            valid = all_of(valid, [not (late and count > 0)
                                   for late, count in zip(again, most, strict=True)])
        if min(most, default=0) < 0:
            valid = all_of(valid, list(map(ge, most, repeat(0))))
        if called is None:
            return list(map(float, map(min, most, repeat(designated)))), valid
        limit = snapped_value(called)
        valid = all_of(valid, called.series_m_shares())
        if max(map(abs, most), default=0) <= _EXACT_INTS:
            # min(w, n/d) with w whole and exactly a float: Python compares an int with a
            # float exactly, and rounding n/d to a float keeps its order against w (ties go
            # to w, the same number), so the smaller is the exact one's float.
            called_floats = map(truediv, limit.numerators, repeat(limit.denominator))
            return list(map(float, map(min, most, called_floats))), valid
        exact_tops, exact_bottoms = most, [1] * len(most)
    if fractional:
        limit = snapped_value(called)
        valid = all_of(valid, called.series_m_shares())
    d = limit.denominator
    # min(most, called): most = a/b against called = n/d
    below = list(map(le, map(mul, exact_tops, repeat(d)),
                     map(mul, limit.numerators, exact_bottoms)))
    answers = [top / bottom if keep else n / d
               for keep, top, bottom, n in zip(below, exact_tops, exact_bottoms,
                                               limit.numerators, strict=True)]
    return answers, valid
