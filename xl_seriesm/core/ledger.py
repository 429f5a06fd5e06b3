"""The cap table as a ledger of dated events, and its state at any date.

Real cap tables are kept as dated transactions (Series M issued, transferred, converted,
redeemed; dividends paid; common issued, split, stated). Every figure the certificate defines
is then a function of the ledger and a date: :func:`state_at` replays the events dated on or
before the as-of date and nothing after it, so no later event can change a figure at that
date. :func:`check` replays the whole ledger when it is read, and refuses the first event the
certificate does not allow, naming where it came from (file, line, column) and the section.

Readings (DOMAIN.md, and where the text is silent, the choice said here):

- A Series M share accrues its 5% (§2) from the day it is issued (the Closing Date for the
  first issue) to the as-of date, by the core's accrual (:func:`dividends.gross_accrual`),
  taken as the difference of the accrual from the Closing Date to the two ends of each
  holding period, so every setting of the core (basis, accrual reading) applies unchanged.
- Accrued and unpaid dividends attach to the shares (§3(a): "dividends accrued ... on such
  shares"): a transfer moves the transferred shares' pro rata part of the arrears with them;
  a conversion pays that part in cash on the Conversion Date (§2, "immediately due and
  payable"); a redemption pays it in the price (§6(a)). Cash is rounded to the cent, half up,
  where it is paid; the exact arrears are kept otherwise.
- A dividend paid to the class is shared pro rata to each holder's unpaid dividends (equal to
  pro rata to shares when every share has been out as long), in whole cents adding up exactly.
- "In arrears" is what fell due on a payment date on or before the as-of date and is unpaid.
- Common outstanding: the first ``outstanding`` statement fixes the common held by everyone
  the ledger does not name ("everyone else"); conversions and issuances add to it, splits
  multiply it; every later statement is a checkpoint the ledger must reconcile to, and a
  checkpoint that does not is reported as a failing :class:`Reconciliation`, not hidden.
- §5(e)(i) A is the ledger's common outstanding just before the issuance, so a §5(e) issuance
  needs an ``outstanding`` statement on or before its date.
- Conversion (§5(a), (b), (h)): from the first anniversary, in lots of 100 or the whole
  holding, at the conversion number in force that day; with a market price the fraction of a
  common share is paid in cash, otherwise the fraction is issued (the Company may elect
  either).
- Redemption (§6(a)): on or after the 15th day after the Closing Date (fifteen days' notice,
  given at the earliest on the Closing Date).

Pure: no openpyxl, pandas or xlwings here. Exact fractions for shares and the conversion
number; Decimal cents for money reported.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from xl_seriesm.core import terms
from xl_seriesm.core.allocation import allocate
from xl_seriesm.core.conversion import (
    CONVERSION_DECIMALS,
    VotesBeforeAnniversary,
    cash_in_lieu,
    common_on_conversion,
    conversion_opens,
    dilute,
    split_adjust,
    votes,
)
from xl_seriesm.core.daycount import Basis
from xl_seriesm.core.dividends import PaymentSchedule, gross_accrual, payment_dates
from xl_seriesm.core.errors import SeriesMError, echo
from xl_seriesm.core.numbers import round_cents, split_whole
from xl_seriesm.core.redemption import earliest_redemption_date

#: The name of the row that holds the common of everyone the ledger does not name.
EVERYONE_ELSE = "Everyone else (not listed)"


class EventKind(Enum):
    """What happened on a date; the value is the word of the ledger's ``event`` column."""

    #: Series M issued to ``holder`` (§1); the first one's date is the Closing Date.
    ISSUE = "issue"
    #: Series M and/or common moved from ``holder`` to ``to_holder``.
    TRANSFER = "transfer"
    #: A cash dividend paid (§2) to ``holder``, or to the class pro rata when none is named.
    DIVIDEND = "dividend"
    #: Series M converted into common (§5).
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


@dataclass(frozen=True)
class Place:
    """Where an event came from, for messages: a file and line, or any label."""

    source: str = "ledger"
    line: int = 0

    def at(self, column: str | None = None) -> str:
        where = f"{self.source} line {self.line}" if self.line else self.source
        return f"{where}, column {column}" if column else where


@dataclass(frozen=True)
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
    place: Place = field(default_factory=Place)


@dataclass(frozen=True)
class Terms:
    """The open readings a ledger's figures depend on (DOMAIN.md), with their defaults."""

    basis: Basis = Basis.US_30_360
    schedule: PaymentSchedule = PaymentSchedule.FROM_CLOSING
    threshold_price: Fraction = terms.DILUTION_PRICE
    votes_before_anniversary: VotesBeforeAnniversary = VotesBeforeAnniversary.AS_CONVERTED
    #: Decimals the conversion number is carried to once it is no longer exact in that many.
    conversion_decimals: int = CONVERSION_DECIMALS


class LedgerError(ValueError):
    """An event the certificate does not allow, said with its place and section."""

    def __init__(self, place: Place, column: str | None, message: str, section: str) -> None:
        super().__init__(f"{place.at(column)}: {message} ({section})")
        self.place, self.column, self.section = place, column, section


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
    #: §4: votes at the as-of date (whole common the Series M could convert into).
    votes: int
    #: Common held plus the common the Series M converts into at the conversion number.
    fully_diluted_common: Fraction
    #: ``fully_diluted_common`` over the whole fully diluted common.
    fully_diluted_share: Fraction


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
class Effect:
    """What an applied event did: common issued (conversion, §5(e) issuance), cash paid
    (dividend, the dividends due on conversion, the redemption price) and the conversion
    number after it."""

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

    @property
    def reconciled(self) -> bool:
        return all(r.ok for r in self.reconciliations)

    def holder(self, name: str) -> HolderState:
        for state in self.holders:
            if state.holder == name:
                return state
        raise KeyError(name)


@dataclass
class _Position:
    series_m: Fraction = Fraction(0)
    common: Fraction = Fraction(0)
    #: Exact accrued and unpaid dividends on the Series M held.
    unpaid: Fraction = Fraction(0)
    #: Exact part of ``unpaid`` accrued since the last payment date.
    since_due: Fraction = Fraction(0)
    paid: Fraction = Fraction(0)
    #: The date the accrual has been carried to.
    settled_to: date = date.min


class _Book:
    """The running ledger: positions, the conversion number and the common outstanding.

    A position accrues lazily: it is brought to the date of the event being applied
    (``now``) when an event touches it, so a ledger of many events over many holders costs
    the events, not events × holders."""

    def __init__(self, closing: date, ledger_terms: Terms, due_dates: list[date]) -> None:
        self.closing = closing
        self.terms = ledger_terms
        self.now = closing
        self._positions: dict[str, _Position] = {}
        self.everyone_else: Fraction | None = None
        self.number = terms.CONVERSION_NUMBER
        self.issuances: list[AppliedIssuance] = []
        self.reconciliations: list[Reconciliation] = []
        self.effects: list[Effect] = []
        self.series_m_outstanding = Fraction(0)
        self.named_common = Fraction(0)
        self._due_dates = due_dates
        self._unit: dict[date, Fraction] = {}

    # Accrual -------------------------------------------------------------------------
    def _per_share(self, day: date) -> Fraction:
        """Exact dividends accrued on one share from the Closing Date to ``day``."""
        if day not in self._unit:
            self._unit[day] = gross_accrual(Fraction(1), self.closing, day, self.terms.basis)
        return self._unit[day]

    def _settle(self, position: _Position) -> _Position:
        """Carry the position's accrual to ``now``; a payment date passed makes what accrued
        before it due."""
        start, now = position.settled_to, self.now
        if now <= start:
            return position
        accrued = position.series_m * (self._per_share(now) - self._per_share(start))
        position.unpaid += accrued
        passed = bisect_right(self._due_dates, now)
        last_due = self._due_dates[passed - 1] if passed else None
        if last_due is not None and last_due > start:
            position.since_due = position.series_m * (self._per_share(now)
                                                      - self._per_share(last_due))
        else:
            position.since_due += accrued
        position.settled_to = now
        return position

    # Positions -----------------------------------------------------------------------
    def get(self, name: str) -> _Position | None:
        position = self._positions.get(name)
        return self._settle(position) if position is not None else None

    def position(self, name: str) -> _Position:
        if name not in self._positions:
            self._positions[name] = _Position(settled_to=self.now)
        return self._settle(self._positions[name])

    def all(self) -> dict[str, _Position]:
        """Every position, carried to ``now``, in the order holders first appeared."""
        for position in self._positions.values():
            self._settle(position)
        return self._positions

    def add_series_m(self, name: str, shares: Fraction) -> _Position:
        position = self.position(name)
        position.series_m += shares
        self.series_m_outstanding += shares
        return position

    @property
    def common_outstanding(self) -> Fraction:
        return self.named_common + (self.everyone_else or Fraction(0))

    def take_series_m(self, event: Event, name: str) -> tuple[_Position, Fraction, Fraction]:
        """Take ``event.series_m_shares`` off ``name``; returns the position and the exact
        unpaid dividends (all, and those since the last payment date) that go with them."""
        position = self.get(name)
        held = position.series_m if position else Fraction(0)
        if event.series_m_shares > held:
            raise LedgerError(event.place, "series_m_shares",
                              f"{name} holds {echo(held)} Series M on {event.date}, fewer than "
                              f"the {echo(event.series_m_shares)} of this {event.kind.value}; a "
                              "holding cannot go negative", "§1")
        assert position is not None
        share = event.series_m_shares / held
        unpaid, since = position.unpaid * share, position.since_due * share
        position.series_m -= event.series_m_shares
        self.series_m_outstanding -= event.series_m_shares
        position.unpaid -= unpaid
        position.since_due -= since
        return position, unpaid, since

    def add_common(self, name: str, shares: Fraction) -> None:
        if name:
            self.position(name).common += shares
            self.named_common += shares
        elif self.everyone_else is not None:
            self.everyone_else += shares
        else:
            self.everyone_else = shares


def _refuse(event: Event, column: str | None, error: Exception, section: str) -> LedgerError:
    message = error.message if isinstance(error, SeriesMError) else str(error)
    return LedgerError(event.place, column, message, section)


def _apply(book: _Book, event: Event) -> tuple[Fraction, Fraction]:
    """One event on the book, checked against the certificate; returns the common it
    issued and the cash it paid."""
    kind, place = event.kind, event.place
    if kind is EventKind.ISSUE:
        total = book.series_m_outstanding + event.series_m_shares
        if total > terms.SHARES_DESIGNATED:
            raise LedgerError(place, "series_m_shares",
                              f"issuing {echo(event.series_m_shares)} makes {echo(total)} Series M "
                              f"outstanding, more than the {terms.SHARES_DESIGNATED:,} designated",
                              "§1")
        book.add_series_m(event.holder, event.series_m_shares)
    elif kind is EventKind.TRANSFER:
        if event.series_m_shares:
            _, unpaid, since = book.take_series_m(event, event.holder)
            target = book.add_series_m(event.to_holder, event.series_m_shares)
            target.unpaid += unpaid
            target.since_due += since
        if event.common_shares:
            source = book.get(event.holder)
            held = source.common if source else Fraction(0)
            if event.common_shares > held:
                raise LedgerError(place, "common_shares",
                                  f"{event.holder} holds {echo(held)} common on {event.date}, "
                                  f"fewer than the {echo(event.common_shares)} transferred; a "
                                  "holding cannot go negative", "§5(e)")
            assert source is not None
            book.add_common(event.holder, -event.common_shares)
            book.add_common(event.to_holder, event.common_shares)
    elif kind is EventKind.DIVIDEND:
        _pay_dividend(book, event)
        return Fraction(0), event.amount
    elif kind is EventKind.CONVERT:
        return _convert(book, event)
    elif kind is EventKind.REDEEM:
        earliest = earliest_redemption_date(book.closing)
        if event.date < earliest:
            raise LedgerError(place, "date",
                              f"a redemption on {event.date} is less than "
                              f"{terms.REDEMPTION_NOTICE_DAYS} days after the Closing Date "
                              f"{book.closing}; the earliest is {earliest}", "§6(a)")
        position, unpaid, _ = book.take_series_m(event, event.holder)
        dividends = Fraction(round_cents(unpaid))
        position.paid += dividends
        return Fraction(0), event.series_m_shares * terms.STATED_VALUE + dividends
    elif kind is EventKind.COMMON:
        _issue_common(book, event)
        return event.common_shares, Fraction(0)
    elif kind is EventKind.SPLIT:
        new, old = event.ratio
        factor = new / old
        book.number = split_adjust(book.number, new, old, book.terms.conversion_decimals)
        for position in book.all().values():
            position.common *= factor
        book.named_common *= factor
        if book.everyone_else is not None:
            book.everyone_else *= factor
    elif kind is EventKind.OUTSTANDING:
        _state_outstanding(book, event)
    elif kind is EventKind.CONVERSION_NUMBER:
        book.reconciliations.append(Reconciliation(
            event.date, "conversion number", event.amount, book.number, event.place,
            book.number * Fraction(1, 10**9)))
    elif kind is EventKind.HOLDING:
        position = book.position(event.holder)
        moved = event.common_shares - position.common
        if book.everyone_else is not None:
            if moved > book.everyone_else:
                raise LedgerError(place, "common_shares",
                                  f"{event.holder} holding {echo(event.common_shares)} common "
                                  f"leaves everyone else {echo(book.everyone_else - moved)}; "
                                  "the common outstanding stated earlier is too small", "§5(e)")
            book.everyone_else -= moved
        position.common = event.common_shares
        book.named_common += moved
    return Fraction(0), Fraction(0)


def _pay_dividend(book: _Book, event: Event) -> None:
    positions = book.all()
    names = [event.holder] if event.holder else [n for n, p in positions.items() if p.unpaid > 0]
    unpaid = [positions[n].unpaid if n in positions else Fraction(0) for n in names]
    owed = sum((Fraction(round_cents(u)) for u in unpaid), Fraction(0))
    if event.amount > owed:
        whom = event.holder or "the class"
        raise LedgerError(event.place, "amount",
                          f"{echo(event.amount)} paid to {whom} on {event.date} is more than the "
                          f"{round_cents(owed):,} accrued and unpaid", "§2")
    shares = allocate(event.amount, [Fraction(round_cents(u)) for u in unpaid])
    for name, paid in zip(names, shares, strict=True):
        position = positions[name]
        position.unpaid -= paid
        position.since_due = min(position.since_due, max(position.unpaid, Fraction(0)))
        position.paid += paid


def _convert(book: _Book, event: Event) -> tuple[Fraction, Fraction]:
    position = book.get(event.holder)
    holding = position.series_m if position else Fraction(0)
    if event.series_m_shares > holding:
        book.take_series_m(event, event.holder)  # raises: the holding cannot go negative
    try:
        common = common_on_conversion(event.series_m_shares, book.closing, event.date,
                                      book.number, holding)
    except SeriesMError as error:
        column = "date" if event.date < conversion_opens(book.closing) else "series_m_shares"
        raise _refuse(event, column, error, "§5(a)") from None
    in_lieu = Fraction(0)
    if event.market_price is not None:
        whole, _ = split_whole(common)
        in_lieu = Fraction(cash_in_lieu(event.series_m_shares, book.number, event.market_price))
        common = Fraction(whole)
    position, unpaid, _ = book.take_series_m(event, event.holder)
    dividends = Fraction(round_cents(unpaid))  # §2: due in cash on the Conversion Date
    position.paid += dividends
    book.add_common(event.holder, common)
    return common, dividends + in_lieu


def _issue_common(book: _Book, event: Event) -> None:
    if book.everyone_else is None:
        raise LedgerError(event.place, "event",
                          f"a common issuance on {event.date} needs the common outstanding just "
                          "before it (A of §5(e)(i)); add an `outstanding` row on or before "
                          "that date", "§5(e)(i)")
    before = book.common_outstanding
    try:
        after = dilute(book.number, before, event.common_shares, event.amount, event.exempt,
                       book.terms.threshold_price, book.terms.conversion_decimals)
    except SeriesMError as error:
        raise _refuse(event, "common_shares", error, "§5(e)(i)") from None
    book.issuances.append(AppliedIssuance(event.date, before, event.common_shares,
                                          event.amount, event.exempt, after))
    book.number = after
    book.add_common(event.holder, event.common_shares)


def _state_outstanding(book: _Book, event: Event) -> None:
    if book.everyone_else is None:
        rest = event.common_shares - book.named_common
        if rest < 0:
            raise LedgerError(event.place, "common_shares",
                              f"{echo(event.common_shares)} common outstanding on {event.date} is "
                              f"less than the {echo(book.named_common)} the named holders hold; "
                              "everyone else cannot hold a negative number", "§5(e)")
        book.everyone_else = rest
        return
    book.reconciliations.append(Reconciliation(
        event.date, "common outstanding", event.common_shares, book.common_outstanding,
        event.place))


def closing_date_of(events: Sequence[Event], closing_date: date | None = None) -> date:
    """The Closing Date: given, or the date of the first Series M issue (§1)."""
    if closing_date is not None:
        return closing_date
    issues = [e for e in events if e.kind is EventKind.ISSUE]
    if not issues:
        raise LedgerError(events[0].place if events else Place(), "event",
                          "no `issue` event: the Closing Date is the day the Series M is first "
                          "issued; add the first issue or give the Closing Date", "§1")
    return min(e.date for e in issues)


def _in_order(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda e: e.date)  # stable: same-day events keep their order


def _replay(events: Sequence[Event], closing: date, through: date,
            ledger_terms: Terms) -> _Book:
    book = _Book(closing, ledger_terms,
                 payment_dates(closing, max(through, closing), ledger_terms.schedule))
    for event in events:
        if event.date < closing:
            raise LedgerError(event.place, "date",
                              f"{event.date} is before the Closing Date {closing}; nothing of "
                              "the Series M happens before it", "§1")
        book.now = event.date
        common, cash = _apply(book, event)
        book.effects.append(Effect(event, common, round_cents(cash), book.number,
                                   book.common_outstanding))
    book.now = through
    book.all()
    return book


def check(events: Sequence[Event], closing_date: date | None = None,
          ledger_terms: Terms = Terms()) -> date:
    """Replay the whole ledger; raise :class:`LedgerError` at the first event the certificate
    does not allow. Returns the Closing Date."""
    closing = closing_date_of(events, closing_date)
    ordered = _in_order(events)
    last = ordered[-1].date if ordered else closing
    _replay(ordered, closing, last, ledger_terms)
    return closing


def state_at(events: Sequence[Event], as_of: date, closing_date: date | None = None,
             ledger_terms: Terms = Terms()) -> CapTableState:
    """The cap table at ``as_of``: the events dated on or before it applied, in date order
    (same-day events in ledger order), the later ones only listed.

    Two holders, 100 Series M each from a 2005-01-10 closing; half a year later (30/360) each
    has accrued 100 × $1,000 × 5% × 180/360 = $2,500:

    >>> from datetime import date
    >>> ev = [Event(date(2005, 1, 10), EventKind.ISSUE, "A", series_m_shares=Fraction(100)),
    ...       Event(date(2005, 1, 10), EventKind.ISSUE, "B", series_m_shares=Fraction(100))]
    >>> s = state_at(ev, date(2005, 7, 10))
    >>> [(h.holder, str(h.accrued_dividends)) for h in s.holders], s.conversion_number
    ([('A', '2500.00'), ('B', '2500.00')], Fraction(4000, 1))
    """
    closing = check(events, closing_date, ledger_terms)
    if as_of < closing:
        raise LedgerError(Place("--as-of"), None,
                          f"{as_of} is before the Closing Date {closing}", "§1")
    ordered = _in_order(events)
    applied = tuple(e for e in ordered if e.date <= as_of)
    pending = tuple(e for e in ordered if e.date > as_of)
    book = _replay(applied, closing, as_of, ledger_terms)
    number = book.number
    series_m = book.series_m_outstanding
    outstanding = book.common_outstanding
    fully_diluted = outstanding + series_m * number
    holders = []
    for name, p in book.all().items():
        diluted = p.common + p.series_m * number
        holders.append(HolderState(
            holder=name, series_m_shares=p.series_m, common_shares=p.common,
            accrued_dividends=round_cents(p.unpaid), dividends_paid=round_cents(p.paid),
            dividends_in_arrears=round_cents(max(p.unpaid - p.since_due, Fraction(0))),
            votes=votes(p.series_m, closing, as_of, number,
                        ledger_terms.votes_before_anniversary),
            fully_diluted_common=diluted,
            fully_diluted_share=diluted / fully_diluted if fully_diluted else Fraction(0)))
    return CapTableState(
        as_of=as_of, closing_date=closing, conversion_number=number,
        common_outstanding=outstanding, series_m_outstanding=series_m,
        holders=tuple(holders), everyone_else=book.everyone_else,
        issuances=tuple(book.issuances), reconciliations=tuple(book.reconciliations),
        applied=tuple(book.effects), pending=pending, fully_diluted_common=fully_diluted)
