"""The ledger's vocabulary: its events, where they came from, the readings it takes, and the
error it raises. :mod:`xl_seriesm.core.ledger` replays them; every name here is also
importable from there.

Pure: no openpyxl, pandas or xlwings here.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import NamedTuple

from xl_seriesm.core import checks, terms
from xl_seriesm.core.calendar import BankCalendar
from xl_seriesm.core.conversion import CONVERSION_DECIMALS, VotesBeforeAnniversary
from xl_seriesm.core.conversion import ThresholdAfterSplit as ThresholdAfterSplit
from xl_seriesm.core.conversion import (
    parse_threshold_after_split as parse_threshold_after_split,
)
from xl_seriesm.core.daycount import Basis
from xl_seriesm.core.dividends import PaymentSchedule
from xl_seriesm.core.ledger_money import ARREARS_DECIMALS

#: The name of the row that holds the common of everyone the ledger does not name.
EVERYONE_ELSE = "Everyone else (not listed)"


class EventKind(Enum):
    """What happened on a date; the value is the word of the ledger's ``event`` column."""

    #: Series M issued to ``holder`` (§1); the first one's date is the Closing Date.
    ISSUE = "issue"
    #: Series M and/or common moved from ``holder`` to ``to_holder``.
    TRANSFER = "transfer"
    #: A cash dividend paid (§2) to ``holder``, or to the class when none is named.
    DIVIDEND = "dividend"
    #: Series M converted into common (§5); the date is the Conversion Date, a business day.
    CONVERT = "convert"
    #: Series M redeemed by the Company (§6).
    REDEEM = "redeem"
    #: Common issued or sold by the Company (§5(e)), to ``holder`` or to everyone else.
    COMMON = "common"
    #: A split or combination of the common (§5(c)): ``ratio`` new for old, e.g. 3:2.
    SPLIT = "split"
    #: The common outstanding, as stated by the books at the date: a checkpoint.
    OUTSTANDING = "outstanding"
    #: A holder's common as stated at the date; the difference moves to or from everyone else.
    HOLDING = "holding"
    #: The conversion number as another record states it (``amount``): a checkpoint, such
    #: as an OCF conversion-ratio adjustment.
    CONVERSION_NUMBER = "conversion_number"
    #: §6(a): a Notice of Optional Redemption received by ``holder`` on the date, calling
    #: ``series_m_shares``; after it the holder may convert called shares only within ten
    #: days. The called shares are redeemed by a later ``redeem`` event.
    REDEMPTION_NOTICE = "redemption_notice"
    #: §5(f): ``holder`` revokes its latest conversion, the delivery deadline having passed
    #: with the common undelivered; the Series M and its accrued dividends return.
    REVOKE = "revoke"
    #: §3(c): ``holder`` elects (with ``series_m_shares``, default its whole holding) to treat
    #: the transaction effective on ``effective_date`` as a liquidation.
    ELECTION = "election"


class DividendAllocation(Enum):
    """How a dividend paid to the class (no holder named) is shared among the holders; §2
    says only that the dividends are cumulative."""

    #: Default: pro rata to each holder's accrued and unpaid dividends, in whole cents.
    PRO_RATA = "pro rata to unpaid"
    #: As a dividend register pays arrears: the oldest dividend period first (a quarter owed
    #: only to the earlier holders is paid to them first), pro rata within a period.
    OLDEST_FIRST = "oldest period first"


_ALLOCATION_ALIASES = {
    "proratatounpaid": DividendAllocation.PRO_RATA, "prorata": DividendAllocation.PRO_RATA,
    "0": DividendAllocation.PRO_RATA,
    "oldestperiodfirst": DividendAllocation.OLDEST_FIRST,
    "oldestfirst": DividendAllocation.OLDEST_FIRST, "1": DividendAllocation.OLDEST_FIRST,
}


def parse_dividend_allocation(value: object,
                              arg: str = "dividend_allocation") -> DividendAllocation:
    """The class-dividend reading from the words a user types.

    >>> parse_dividend_allocation("oldest period first")
    <DividendAllocation.OLDEST_FIRST: 'oldest period first'>
    """
    return checks.choice(value, DividendAllocation, _ALLOCATION_ALIASES, arg)


@dataclass(frozen=True, slots=True)
class Place:
    """Where an event came from, for messages: a file and line, or any label."""

    source: str = "ledger"
    line: int = 0

    def at(self, column: str | None = None) -> str:
        where = f"{self.source} line {self.line}" if self.line else self.source
        return f"{where}, column {column}" if column else where


_NOWHERE = Place()


@dataclass(frozen=True, slots=True)
class Event:
    """One dated event of the ledger. Fields not used by the kind stay at their defaults."""

    date: date
    kind: EventKind
    holder: str = ""
    to_holder: str = ""
    series_m_shares: Fraction = Fraction(0)
    common_shares: Fraction = Fraction(0)
    #: Dollars: a dividend paid, or the consideration of a common issuance (§5(e)).
    amount: Fraction = Fraction(0)
    exempt: bool = False
    #: §5(h): market price of the common on a Conversion Date, for cash in lieu of fractions.
    market_price: Fraction | None = None
    #: §5(c): (new, old), e.g. (3, 2) for a 3-for-2 split.
    ratio: tuple[Fraction, Fraction] = (Fraction(1), Fraction(1))
    note: str = ""
    place: Place = _NOWHERE
    #: §3(c): an election's transaction, by the date it takes effect.
    effective_date: _dt.date | None = None

    def describe(self) -> str:
        """The event as a message names it: kind, date and holder."""
        who = f" by {self.holder}" if self.holder else ""
        return f"the {self.kind.value} of {self.date}{who}"


class CheckedEvents(tuple[Event, ...]):
    """Events a reader has already checked field by field with at least the checks of
    :func:`xl_seriesm.core.ledger.validate` (the ledger CSV reader's), so a replay does not
    check each again. Only a reader that makes its events itself should return one."""

    __slots__ = ()


@dataclass(frozen=True)
class Terms:
    """The open readings a ledger's figures depend on (DOMAIN.md), with their defaults."""

    basis: Basis = Basis.US_30_360
    schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING
    threshold_price: Fraction = terms.DILUTION_PRICE
    votes_before_anniversary: VotesBeforeAnniversary = VotesBeforeAnniversary.AS_CONVERTED
    #: Decimals the conversion number is carried to once it is no longer exact in that many.
    conversion_decimals: int = CONVERSION_DECIMALS
    #: Decimals of a dollar the part of a holder's unpaid dividends moving with some of its
    #: shares is carried to (:mod:`xl_seriesm.core.ledger_money`).
    arrears_decimals: int = ARREARS_DECIMALS
    #: §5(e) after a split: the threshold literal, or scaled by each split.
    threshold_after_split: ThresholdAfterSplit = ThresholdAfterSplit.LITERAL
    #: §2: a dividend paid to the class, pro rata to unpaid or oldest period first.
    dividend_allocation: DividendAllocation = DividendAllocation.PRO_RATA
    #: §5(f): days banks in Palm Beach County closed, or opened, against the schedule.
    closures: frozenset[date] = frozenset()
    openings: frozenset[date] = frozenset()

    def calendar(self) -> BankCalendar:
        return BankCalendar(self.closures, self.openings)


class LedgerError(ValueError):
    """An event the certificate does not allow, said with its place and section."""

    def __init__(self, place: Place, column: str | None, message: str, section: str) -> None:
        super().__init__(f"{place.at(column)}: {message} ({section})")
        self.place, self.column, self.section = place, column, section
        #: The message without its place and section.
        self.message = message


# What a replay gives -----------------------------------------------------------------
@dataclass(frozen=True)
class HolderState:
    """One holder at the as-of date."""

    holder: str
    series_m_shares: Fraction
    common_shares: Fraction
    #: Accrued and unpaid dividends on the Series M held, rounded to the cent (§2).
    accrued_dividends: Decimal
    #: Cash dividends received to date, including those paid on conversion or redemption.
    dividends_paid: Decimal
    #: The part of ``accrued_dividends`` that fell due on a payment date and is unpaid.
    dividends_in_arrears: Decimal
    #: §4: the Series M's votes at the as-of date: the whole common its Series M could be
    #: converted into (the common it holds votes besides: see ``voting_power``).
    votes: int
    #: Common held plus the common the Series M converts into at the conversion number.
    fully_diluted_common: Fraction
    #: ``fully_diluted_common`` over the whole fully diluted common.
    fully_diluted_share: Fraction
    #: The holder's whole voting power: the Series M's ``votes`` (§4) plus one vote for each
    #: common share held.
    voting_power: Fraction = Fraction(0)
    #: The day its Series M began accruing (§2): the issue of its shares, whoever held them
    #: since (the Closing Date for the first issue; also with no Series M); None when its
    #: shares began accruing on different days.
    accrues_from: date | None = None


@dataclass(frozen=True)
class AppliedIssuance:
    """A §5(e) row: an issuance of common as the ledger applied it."""

    date: date
    #: A: common outstanding just before, per the ledger.
    common_outstanding: Fraction
    new_shares: Fraction
    consideration: Fraction
    exempt: bool
    conversion_number_after: Fraction
    #: The §5(e)(i) threshold in force that day ($0.25, or as scaled by splits).
    threshold_price: Fraction = terms.DILUTION_PRICE


@dataclass(frozen=True)
class Reconciliation:
    """A stated figure against what the ledger computes; ``ok`` when they agree."""

    date: date
    what: str
    stated: Fraction
    computed: Fraction
    place: Place
    #: How far apart they may be: 0 for share counts; a conversion number typed as a
    #: decimal (4077.669902912621 for 420,000/103) may be a billionth off.
    tolerance: Fraction = Fraction(0)

    @property
    def ok(self) -> bool:
        return abs(self.stated - self.computed) <= self.tolerance


@dataclass(frozen=True)
class Election:
    """§3(c): the holders' elections to treat one transaction as a liquidation."""

    effective_date: date
    #: Series M of the holders who elected, by the last day to elect.
    electing_shares: Fraction
    #: Series M outstanding when the last election was made.
    outstanding_shares: Fraction
    holders: tuple[str, ...]

    @property
    def share(self) -> Fraction:
        return (self.electing_shares / self.outstanding_shares if self.outstanding_shares
                else Fraction(0))

    @property
    def treated_as_liquidation(self) -> bool:
        """Holders of at least 50% of the Series M elected (§3(c))."""
        return self.share >= terms.DEEMED_LIQUIDATION_ELECTION_FRACTION


class Effect(NamedTuple):
    """What an applied event did: common issued (conversion, §5(e) issuance; negative when a
    revocation takes it back), cash paid (dividend, the dividends due on conversion, the
    redemption price; negative when a revocation returns it) and the conversion number after
    it. (A named tuple: one is made for every event of a ledger, and a frozen dataclass
    costs five times as much to make.)"""

    event: Event
    common_issued: Fraction
    cash: Decimal
    conversion_number_after: Fraction
    common_outstanding_after: Fraction


@dataclass(frozen=True)
class CapTableState:
    """The cap table at ``as_of``: the figures every other part reads (templates, reports).

    ``holders`` lists the named holders in the order they first appear in the ledger;
    ``everyone_else`` is the common of all others (``None`` when the ledger states no
    common outstanding). ``applied`` are the events dated on or before ``as_of``; ``pending``
    those after it, listed but not applied.
    """

    as_of: date
    closing_date: date
    conversion_number: Fraction
    common_outstanding: Fraction
    series_m_outstanding: Fraction
    holders: tuple[HolderState, ...]
    everyone_else: Fraction | None
    issuances: tuple[AppliedIssuance, ...]
    reconciliations: tuple[Reconciliation, ...]
    applied: tuple[Effect, ...]
    pending: tuple[Event, ...]
    #: Fully diluted common: common outstanding plus the Series M as converted.
    fully_diluted_common: Fraction
    #: §7: the Series M ever issued (never more than the 9,100 of §1).
    series_m_issued: Fraction = Fraction(0)
    #: §3(c): the elections made by the as-of date, one per transaction.
    elections: tuple[Election, ...] = ()
    #: §5(e)(i): the threshold price in force at the as-of date.
    threshold_price: Fraction = terms.DILUTION_PRICE

    @property
    def reconciled(self) -> bool:
        return all(r.ok for r in self.reconciliations)

    def holder(self, name: str) -> HolderState:
        for state in self.holders:
            if state.holder == name:
                return state
        raise KeyError(name)
