"""The Series M inside the whole capital stack: junior preferred classes, options, warrants.

The certificate fixes only the Series M's place in the stack. It is paid "first ... before any
distribution or payment is made to any holders of any shares of Common Stock or any other
class or series of capital stock" (§3(a)), so every other class is junior to it; a shortfall
is shared pro rata among the Series M only (§3(b)); a converting holder's accrued dividends
fall due in cash on conversion (§2), so they too come before any junior class. The junior
classes come from a stack table (:func:`xl_seriesm.core.stack_table.parse_stack`), whose
terms are the user's, not the certificate's:

- **preferred** classes are paid their preference (shares × preference per share) by
  seniority, 1 first after the Series M; equal seniorities are pari passu and share a
  shortfall pro rata to their preferences. A class that does not participate (``none``) takes
  its preference or converts into shares × conversion ratio common; ``full`` takes its
  preference and then shares as converted; ``capped`` does too until its total per share
  reaches ``cap`` × the preference, and converts when converting pays more than the cap;
- **options** and **warrants** on common at a strike are exercised when the common's value per
  share exceeds the strike; the strikes join the proceeds, and a class's payout is net of them.

Everything left is the common's, with the converted and exercised classes. Each class (and, in
:func:`~xl_seriesm.core.payouts.payouts`, each Series M holder) converts or exercises when that
pays it more given what the others do: a fixed point, found exactly. Let p be the value of a
common share. Given p every class's best payout is a piecewise linear function of p (the Series
M holder max(L, kept + shares × conversion number × p), a non-participating class max(P, n·p),
an option max(0, n·(p − strike)), the common N·p, ...), and the sum of them all, T(p), is
continuous and strictly increasing (the common has shares). An exit value X at or above T(0),
every preference paid, has exactly one p with T(p) = X, and every class's choice at that p is
its best: no class is better off with the other choice (the tests check each one). Ties do not
convert. The equity values T(p) at the prices where some class's share of the next dollar
changes (a conversion price, a strike, a cap) are the breakpoints; below T(0) the preferences
are paid by seniority.

Numbers are exact (``Fraction``); this module pays out exact amounts (:class:`Structure`).
Rounding to the cent, at one point, and the rows of the Excel functions:
:mod:`xl_seriesm.core.stack_waterfall`; the option pricing model over the stack:
:mod:`xl_seriesm.core.stack_opm`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from enum import Enum
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core import checks
from xl_seriesm.core.liquidation import Capital
from xl_seriesm.core.valuation import Tranche

#: The name the Series M goes by in stack results, and the common's.
SERIES_M = "Series M"
COMMON = "Common"


class Kind(Enum):
    """What a row of the stack table is."""

    PREFERRED = "preferred"
    OPTION = "option"
    WARRANT = "warrant"




class Participation(Enum):
    """How a preferred class shares beyond its preference."""

    NONE = "none"
    FULL = "full"
    CAPPED = "capped"




class StackClass(NamedTuple):
    """One class of the stack besides the Series M and the common.

    ``preference`` is dollars per share (preferred only); ``cap`` the total per share a
    capped class may take, as a multiple of its preference; ``conversion_ratio`` common per
    share; ``strike`` dollars per common share (options and warrants, one common each).
    """

    name: str
    kind: Kind
    shares: Fraction
    preference: Fraction = Fraction(0)
    seniority: int = 1
    participation: Participation = Participation.NONE
    cap: Fraction | None = None
    conversion_ratio: Fraction = Fraction(1)
    strike: Fraction = Fraction(0)

    @property
    def is_preferred(self) -> bool:
        return self.kind is Kind.PREFERRED

    @property
    def total_preference(self) -> Fraction:
        return self.shares * self.preference if self.is_preferred else Fraction(0)

    @property
    def as_converted(self) -> Fraction:
        """Common the whole class holds once converted (or exercised)."""
        return self.shares * self.conversion_ratio if self.is_preferred else self.shares


Stack = tuple[StackClass, ...]

# --- the structure ---------------------------------------------------------------------------

class Holder(NamedTuple):
    """A Series M position: its Liquidation Value L (§3(a)), what it keeps in cash on
    converting (its accrued dividends, §2, unless forfeited) and the common it converts into."""

    preference: Fraction
    kept: Fraction
    as_converted: Fraction

    @property
    def threshold(self) -> Fraction | None:
        """The common's value per share above which converting pays it more."""
        if self.as_converted <= 0:
            return None
        return (self.preference - self.kept) / self.as_converted


def holder_of(capital: Capital) -> Holder:
    """The whole Series M class as one position."""
    kept = capital.accrued_dividends if capital.dividends_on_conversion else Fraction(0)
    return Holder(capital.preference, kept, capital.as_converted)


# The parts of the stack a structure pays: Series M holders, the stack's classes, the common.
#: The kinds of part (:meth:`Structure.kind`).
PART_HOLDER, PART_CLASS, PART_COMMON = 0, 1, 2


class Result(NamedTuple):
    """One exit value paid out, exactly, to every part of a structure."""

    proceeds: Fraction
    #: The common's value per share (None when the preferences are not all paid).
    price: Fraction | None
    #: Exact payout to each part (Series M holders, then the stack's classes, then the
    #: common), net of strikes paid.
    exact: list[Fraction]
    #: Whether each part converts (holders, preferred) or exercises (options, warrants).
    chooses: list[bool]


class Structure:
    """The Series M (as one or more holders), the stack and the common, ready to pay out
    any exit value: the breakpoints are worked out once.

    The parts are numbered: the Series M holders first, then the stack's classes in the
    table's order, then the common last.
    """

    def __init__(self, holders: Sequence[Holder], stack: Stack, common_shares: Fraction,
                 convertible: bool = True) -> None:
        checks.positive(common_shares, "common_shares")
        self.holders = list(holders)
        self.stack = tuple(stack)
        self.common_shares = common_shares
        self.convertible = convertible
        count = len(self.holders) + len(self.stack) + 1
        self.count = count
        # Preferences by rank: rank 0 the Series M (§3(a), §3(b)), then the seniorities.
        ranks: dict[int, list[int]] = {0: list(range(len(self.holders)))}
        self.claim = [h.preference for h in self.holders]
        for offset, c in enumerate(self.stack):
            self.claim.append(c.total_preference)
            if c.is_preferred:
                ranks.setdefault(c.seniority, []).append(len(self.holders) + offset)
        self.claim.append(Fraction(0))
        self.ranks = [ranks[r] for r in sorted(ranks)]
        self.preferences = sum(self.claim, Fraction(0))
        # Each part's slope changes (shares joining or leaving the common's price) by price.
        changes: dict[Fraction, list[tuple[int, Fraction]]] = {}

        def change(price: Fraction, part: int, slope: Fraction) -> None:
            changes.setdefault(price, []).append((part, slope))

        for i, h in enumerate(self.holders):
            t = h.threshold
            if convertible and t is not None:
                change(t, i, h.as_converted)
        for offset, c in enumerate(self.stack):
            i = len(self.holders) + offset
            n = c.as_converted
            if not c.is_preferred:
                change(c.strike, i, n)
            elif c.participation is Participation.NONE:
                change(c.total_preference / n, i, n)
            elif c.participation is Participation.FULL:
                change(Fraction(0), i, n)
            else:
                assert c.cap is not None
                change(Fraction(0), i, n)
                change((c.cap - 1) * c.total_preference / n, i, -n)
                change(c.cap * c.total_preference / n, i, n)
        change(Fraction(0), count - 1, common_shares)
        self.prices = sorted(changes)
        self.changes = [changes[p] for p in self.prices]
        # T at each price, and the slope (shares sharing the next dollar) just above it.
        self.values: list[Fraction] = []
        self.slopes: list[Fraction] = []
        value, slope, last = self.preferences, Fraction(0), Fraction(0)
        for price, moves in zip(self.prices, self.changes, strict=True):
            value += slope * (price - last)
            slope += sum((s for _, s in moves), Fraction(0))
            self.values.append(value)
            self.slopes.append(slope)
            last = price

    # -- the common's price and each part's payout at it --

    def total_at(self, price: Fraction) -> Fraction:
        """T(p): the exit value at which the common is worth ``price`` a share."""
        k = bisect.bisect_right(self.prices, price) - 1
        return self.values[k] + self.slopes[k] * (price - self.prices[k])

    def price_at(self, proceeds: Fraction) -> Fraction | None:
        """The p with T(p) = proceeds, or None below T(0) (the preferences not all paid)."""
        if proceeds < self.preferences:
            return None
        k = bisect.bisect_right(self.values, proceeds) - 1
        return self.prices[k] + (proceeds - self.values[k]) / self.slopes[k]

    def kind(self, part: int) -> int:
        if part < len(self.holders):
            return PART_HOLDER
        return PART_COMMON if part == self.count - 1 else PART_CLASS

    def chooses(self, part: int, price: Fraction) -> bool:
        """Whether a part converts (or exercises) when the common is worth ``price``: only
        when that pays it strictly more."""
        kind = self.kind(part)
        if kind == PART_HOLDER:
            t = self.holders[part].threshold
            return self.convertible and t is not None and price > t
        if kind == PART_COMMON:
            return False
        c = self.stack[part - len(self.holders)]
        if not c.is_preferred:
            return price > c.strike
        n = c.as_converted
        if c.participation is Participation.NONE:
            return n * price > c.total_preference
        if c.participation is Participation.CAPPED:
            assert c.cap is not None
            return n * price > c.cap * c.total_preference
        return False  # full participation: converting never pays more

    def payout(self, part: int, price: Fraction, converts: bool) -> Fraction:
        """What a part receives when the common is worth ``price`` and every preference
        not given up is paid (net of any strike)."""
        kind = self.kind(part)
        if kind == PART_COMMON:
            return self.common_shares * price
        if kind == PART_HOLDER:
            h = self.holders[part]
            return h.kept + h.as_converted * price if converts else h.preference
        c = self.stack[part - len(self.holders)]
        n = c.as_converted
        if not c.is_preferred:
            return n * (price - c.strike) if converts else Fraction(0)
        if converts:
            return n * price
        if c.participation is Participation.NONE:
            return c.total_preference
        if c.participation is Participation.FULL:
            return c.total_preference + n * price
        assert c.cap is not None
        return min(c.total_preference + n * price, c.cap * c.total_preference)

    def pay(self, proceeds: Fraction) -> Result:
        """Every part's payout at one exit value: the fixed point, exactly."""
        checks.non_negative(proceeds, "proceeds")
        price = self.price_at(proceeds)
        if price is None:
            return Result(proceeds, None, self.by_seniority(proceeds, self.claim),
                          [False] * self.count)
        chooses = [self.chooses(i, price) for i in range(self.count)]
        paid = [self.payout(i, price, chooses[i]) for i in range(self.count)]
        return Result(proceeds, price, paid, chooses)

    def by_seniority(self, proceeds: Fraction, claims: Sequence[Fraction]) -> list[Fraction]:
        """Claims paid rank by rank, a rank short shared pro rata to its claims (§3(b))."""
        paid = [Fraction(0)] * self.count
        left = proceeds
        for rank in self.ranks:
            owed = sum((claims[i] for i in rank), Fraction(0))
            if owed <= 0:
                continue
            share = min(left, owed)
            for i in rank:
                paid[i] = share * claims[i] / owed
            left -= share
        return paid

    # -- any choices, for checking that none pays better --

    def settle(self, proceeds: Fraction, chooses: Sequence[bool]) -> list[Fraction]:
        """Every part's payout when the parts choose as given, whether or not that is best:
        the strikes of the exercising classes join the proceeds, the preferences not given
        up are paid by seniority (a converting holder's kept dividends with the Series M),
        and the rest is shared by the common with the converted, exercised and participating
        classes (a capped class only up to its cap). Net of strikes paid."""
        strikes = Fraction(0)
        claims = list(self.claim)
        for i in range(self.count):
            kind = self.kind(i)
            if kind == PART_HOLDER and chooses[i]:
                claims[i] = self.holders[i].kept
            elif kind == PART_CLASS and chooses[i]:
                c = self.stack[i - len(self.holders)]
                if c.is_preferred:
                    claims[i] = Fraction(0)
                else:
                    strikes += c.strike * c.shares
        pot = proceeds + strikes
        paid = self.by_seniority(pot, claims)
        left = pot - sum(paid, Fraction(0))
        sharing: dict[int, Fraction] = {self.count - 1: self.common_shares}
        capped: list[tuple[Fraction, int, Fraction]] = []  # (price at the cap, part, shares)
        for i in range(self.count - 1):
            kind = self.kind(i)
            if kind == PART_HOLDER:
                if chooses[i]:
                    sharing[i] = self.holders[i].as_converted
                continue
            c = self.stack[i - len(self.holders)]
            n = c.as_converted
            if chooses[i] or c.participation is Participation.FULL:
                sharing[i] = n
            elif c.participation is Participation.CAPPED:
                assert c.cap is not None
                capped.append(((c.cap - 1) * c.total_preference / n, i, n))
        # The common's price: the sharing shares, and each capped class until its cap.
        capped.sort()
        shares = sum(sharing.values(), Fraction(0)) + sum((n for _, _, n in capped),
                                                          Fraction(0))
        price, base, spent = Fraction(0), Fraction(0), Fraction(0)
        for cap_price, _, n in capped:
            if spent + shares * (cap_price - base) >= left:
                break
            spent += shares * (cap_price - base)
            base = cap_price
            shares -= n
        price = base + (left - spent) / shares
        for i, n in sharing.items():
            paid[i] += n * price
        for cap_price, i, n in capped:
            paid[i] += n * min(price, cap_price)
        for i in range(len(self.holders), self.count - 1):
            c = self.stack[i - len(self.holders)]
            if chooses[i] and not c.is_preferred:
                paid[i] -= c.strike * c.shares
        return paid

    # -- the breakpoints --

    def class_slopes(self) -> list[list[Fraction]]:
        """For each price, each class's shares sharing the next dollar just above it (the
        Series M holders summed as one class)."""
        width = len(self.stack) + 2
        current = [Fraction(0)] * width
        found = []
        for moves in self.changes:
            for part, slope in moves:
                current[self.class_of(part)] += slope
            found.append(list(current))
        return found

    def class_of(self, part: int) -> int:
        """The class a part belongs to: 0 the Series M, then the stack's, the common last."""
        if part < len(self.holders):
            return 0
        return part - len(self.holders) + 1

    def tranches(self) -> list[Tranche]:
        """The tranches between breakpoints, each with every class's share of a dollar in it
        (the Series M, the stack's classes in order, the common); adjacent tranches that
        share a dollar alike are one."""
        width = len(self.stack) + 2
        found: list[Tranche] = []
        lower = Fraction(0)
        for rank in self.ranks:
            owed = sum((self.claim[i] for i in rank), Fraction(0))
            if owed <= 0:
                continue
            shares = [Fraction(0)] * width
            for i in rank:
                shares[self.class_of(i)] += self.claim[i] / owed
            found.append(Tranche(lower, lower + owed, tuple(shares)))
            lower += owed
        slopes = self.class_slopes()
        for k, value in enumerate(self.values):
            total = self.slopes[k]
            allocation = tuple(s / total for s in slopes[k])
            upper = self.values[k + 1] if k + 1 < len(self.values) else None
            if found and found[-1].allocation == allocation and found[-1].upper == value:
                found[-1] = Tranche(found[-1].lower, upper, allocation)
            else:
                found.append(Tranche(value, upper, allocation))
        return found


def structure(capital: Capital, stack: Stack, convertible: bool = True) -> Structure:
    """The Series M (one class), the stack and the common."""
    return Structure([holder_of(capital)], stack, capital.common_shares, convertible)


def class_names(stack: Stack) -> list[str]:
    """The classes of a stack result, in order: the Series M, the stack's, the common."""
    return [SERIES_M, *(c.name for c in stack), COMMON]


def class_shares(capital: Capital, stack: Stack) -> list[Fraction]:
    """Each class's shares (options and warrants: common under option)."""
    return [capital.pref_shares, *(c.shares for c in stack), capital.common_shares]


