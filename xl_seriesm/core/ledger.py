"""The cap table as a ledger of dated events, and its state at any date.

Real cap tables are kept as dated transactions (Series M issued, transferred, converted,
redeemed; dividends paid; common issued, split, stated). Every figure the certificate defines
is then a function of the ledger and a date: :func:`state_at` replays the events dated on or
before the as-of date and nothing after it, so no later event can change a figure at that
date. The whole ledger is checked in the same replay: the first event the certificate does
not allow is refused with :class:`LedgerError`, naming where it came from (file, line,
column; or, from Python, the event's index, date and kind) and the section.

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
  pro rata to shares when every share has been out as long), in whole cents adding up
  exactly; setting ``dividend_allocation``: oldest dividend period first, as a register pays
  arrears. A holder's own payments pay its oldest arrears first.
- "In arrears" is what fell due on a payment date on or before the as-of date and is unpaid.
- §7: Series M redeemed or converted is not reissued, so the 9,100 of §1 caps the Series M
  ever issued, not only the Series M outstanding.
- Common outstanding: the first ``outstanding`` statement fixes the common held by everyone
  the ledger does not name ("everyone else"); conversions and issuances add to it, splits
  multiply it; every later statement is a checkpoint the ledger must reconcile to, and a
  checkpoint that does not is reported as a failing :class:`Reconciliation`, not hidden.
- §5(e)(i) A is the ledger's common outstanding just before the issuance, so a §5(e) issuance
  needs an ``outstanding`` statement on or before its date. The $0.25 stays literal after a
  split unless ``threshold_after_split`` is "scaled" (× old/new at each split).
- Conversion (§5(a), (b), (f), (h)): from the first anniversary, in lots of 100 or the whole
  holding, at the conversion number in force that day; the date is the Conversion Date, a
  business day of banks in Palm Beach County (§5(f)); with a market price the fraction of a
  common share is paid in cash, otherwise the fraction is issued (the Company may elect
  either). After a Notice of Optional Redemption the called shares convert only within ten
  days of its receipt (§6(a)).
- Revocation (§5(f)): a holder revokes its latest conversion, only after the delivery
  deadline (ten business days after the Conversion Date, SERIESM_CANREVOKE's rule; the ledger
  records no delivery, so a ``revoke`` says the common was not delivered). Both return to
  their positions: the Series M comes back with its dividends, which accrue as if it had
  never been converted; the common and the cash paid on conversion go back.
- Redemption (§6(a)): on or after the 15th day after the Closing Date (fifteen days' notice,
  given at the earliest on the Closing Date).
- Election (§3(c)): holders' written elections at least three days before the transaction's
  effective date; the transaction is treated as a liquidation when holders of at least 50% of
  the Series M outstanding elect (whether it qualifies under §3(c)(i) or (ii) is
  SERIESM_DEEMEDLIQ's question, not the ledger's).

Pure: no openpyxl, pandas or xlwings here. Exact fractions for shares and the conversion
number; Decimal cents for money reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from numbers import Rational

from xl_seriesm.core import terms
from xl_seriesm.core.conversion import votes
from xl_seriesm.core.dividends import payment_dates
from xl_seriesm.core.errors import SeriesMError, echo
from xl_seriesm.core.ledger_apply import NOTHING, apply, refuse
from xl_seriesm.core.ledger_book import MIXED, Book
from xl_seriesm.core.ledger_events import (
    EVERYONE_ELSE,
    AppliedIssuance,
    CapTableState,
    CheckedEvents,
    DividendAllocation,
    Effect,
    Election,
    Event,
    EventKind,
    HolderState,
    LedgerError,
    Place,
    Reconciliation,
    Terms,
    ThresholdAfterSplit,
    parse_dividend_allocation,
    parse_threshold_after_split,
)
from xl_seriesm.core.ledger_money import common_denominator
from xl_seriesm.core.numbers import round_cents

__all__ = [
    "DEFAULT_TERMS", "EVERYONE_ELSE", "AppliedIssuance", "CapTableState", "CheckedEvents",
    "DividendAllocation",
    "Effect", "Election", "Event", "EventKind", "HolderState", "LedgerError", "Place",
    "Reconciliation", "Terms", "ThresholdAfterSplit", "check", "closing_date_of",
    "parse_dividend_allocation", "parse_threshold_after_split", "state_at",
]

_ZERO = Fraction(0)
_NO_CASH = round_cents(_ZERO)
_ONE_FOR_ONE = Event(date(2005, 1, 10), EventKind.SPLIT).ratio
#: The dates a ledger may hold, as its CSV reader allows them (Excel's serial dates).
FIRST_DATE, LAST_DATE = date(1900, 3, 1), date(9998, 12, 31)


# Each event on its own ------------------------------------------------------------------
_NEEDS_HOLDER = {EventKind.ISSUE, EventKind.TRANSFER, EventKind.CONVERT, EventKind.REDEEM,
                 EventKind.HOLDING, EventKind.REDEMPTION_NOTICE, EventKind.REVOKE,
                 EventKind.ELECTION}
_NEEDS_SERIES_M = {EventKind.ISSUE, EventKind.CONVERT, EventKind.REDEEM,
                   EventKind.REDEMPTION_NOTICE}
_SECTION = {
    EventKind.ISSUE: "§1", EventKind.TRANSFER: "§1", EventKind.DIVIDEND: "§2",
    EventKind.CONVERT: "§5(a)", EventKind.REDEEM: "§6(a)", EventKind.COMMON: "§5(e)",
    EventKind.SPLIT: "§5(c)", EventKind.OUTSTANDING: "§5(e)", EventKind.HOLDING: "§5(e)",
    EventKind.CONVERSION_NUMBER: "§5(b)", EventKind.REDEMPTION_NOTICE: "§6(a)",
    EventKind.REVOKE: "§5(f)", EventKind.ELECTION: "§3(c)",
}


def _number(event: Event, column: str, value: object, section: str,
            positive: bool = False) -> None:
    kind = type(value)
    if kind is Fraction or kind is int:  # the usual case, without the ABC check
        sign = value.numerator  # type: ignore[attr-defined]
        if sign > 0 or (sign == 0 and not positive):
            return
    elif isinstance(value, bool) or not isinstance(value, Rational):
        raise LedgerError(event.place, column, f"{echo(value)} is not a number; give a "
                          "fractions.Fraction or an int", section)
    if Fraction(value) < 0 or (positive and value == 0):  # type: ignore[call-overload]
        allowed = "above 0" if positive else "0 or more"
        raise LedgerError(event.place, column, f"{echo(value)} for {event.describe()}: must "
                          f"be {allowed}", section)

#: By the word of each kind (a str hashes faster than an Enum): its section, and whether it
#: needs a holder, Series M shares above 0 and an amount above 0.
_RULES = {kind.value: (_SECTION[kind], kind in _NEEDS_HOLDER, kind in _NEEDS_SERIES_M,
                       kind in (EventKind.DIVIDEND, EventKind.CONVERSION_NUMBER))
          for kind in EventKind}


def validate(event: Event) -> None:
    """Refuse an event whose own fields the certificate or the ledger cannot take (what the
    CSV reader checks of a row), with :class:`LedgerError`; the checks that need the rest of
    the ledger come when it is replayed."""
    if not isinstance(event.kind, EventKind):
        raise LedgerError(event.place, "event", f"{echo(event.kind)} is not an event; use one "
                          f"of {', '.join(k.value for k in EventKind)}", "§1")
    kind = event.kind
    section, needs_holder, needs_series_m, positive_amount = _RULES[kind._value_]
    if not isinstance(event.date, date) or not FIRST_DATE <= event.date <= LAST_DATE:
        raise LedgerError(event.place, "date", f"{echo(event.date)} for the {event.kind.value}:"
                          f" give a date from {FIRST_DATE} to {LAST_DATE}", section)
    if not (type(event.holder) is str and type(event.to_holder) is str  # the usual case
            and type(event.note) is str):
        for column in ("holder", "to_holder", "note"):
            if not isinstance(getattr(event, column), str):
                raise LedgerError(event.place, column, f"{echo(getattr(event, column))} for "
                                  f"{event.describe()}: give a text", section)
    if needs_holder and not event.holder:
        raise LedgerError(event.place, "holder", f"empty; {event.describe()} needs the holder",
                          section)
    _number(event, "series_m_shares", event.series_m_shares, section, positive=needs_series_m)
    shares = event.series_m_shares  # a Fraction or an int now: compared without Fraction's
    if shares.numerator > terms.SHARES_DESIGNATED * shares.denominator:  # slow comparison
        raise LedgerError(event.place, "series_m_shares", f"{echo(event.series_m_shares)} is "
                          f"more than the {terms.SHARES_DESIGNATED:,} designated", "§1")
    _number(event, "common_shares", event.common_shares, section,
            positive=kind is EventKind.COMMON)
    _number(event, "amount", event.amount, section, positive=positive_amount)
    if kind is EventKind.DIVIDEND and 100 % event.amount.denominator:  # not whole cents
        raise LedgerError(event.place, "amount", f"{echo(event.amount)} for "
                          f"{event.describe()}: give dollars in whole cents", section)
    if event.market_price is not None:
        _number(event, "market_price", event.market_price, section)
    if not isinstance(event.exempt, bool):
        raise LedgerError(event.place, "exempt", f"{echo(event.exempt)}: give TRUE or FALSE",
                          section)
    ratio = event.ratio
    if ratio is not _ONE_FOR_ONE and (not isinstance(ratio, tuple) or len(ratio) != 2
            or any(isinstance(r, bool) or not isinstance(r, Rational) or r <= 0
                   for r in ratio)):
        raise LedgerError(event.place, "ratio", f"{echo(str(ratio))} for {event.describe()}: "
                          "give (new, old), both above 0", "§5(c)")
    if kind is EventKind.TRANSFER:
        if not event.to_holder or event.to_holder == event.holder:
            raise LedgerError(event.place, "to_holder", f"{echo(event.to_holder)}: a transfer "
                              "needs a receiving holder other than the holder", section)
        if not (event.series_m_shares or event.common_shares):
            raise LedgerError(event.place, "series_m_shares", "empty; a transfer moves "
                              "series_m_shares, common_shares or both", section)
    if kind is EventKind.ELECTION:
        effective = event.effective_date
        if not isinstance(effective, date) or not FIRST_DATE <= effective <= LAST_DATE:
            raise LedgerError(event.place, "effective_date", f"{echo(effective)}: an election "
                              "needs the transaction's effective date", section)


# The replay -------------------------------------------------------------------------------
def closing_date_of(events: Sequence[Event], closing_date: date | None = None) -> date:
    """The Closing Date: given, or the date of the first Series M issue (§1)."""
    if closing_date is not None:
        return closing_date
    issues = [e for e in events if isinstance(e, Event) and e.kind is EventKind.ISSUE
              and isinstance(e.date, date)]
    if not issues:
        raise LedgerError(events[0].place if events else Place(), "event",
                          "no `issue` event: the Closing Date is the day the Series M is first "
                          "issued; add the first issue or give the Closing Date", "§1")
    return min(e.date for e in issues)


def _named(index: int, event: Event) -> Place:
    """Where an event is: its file and line, or (from Python) its index, kind and date."""
    if event.place.line:
        return event.place
    kind = event.kind.value if isinstance(event.kind, EventKind) else echo(event.kind)
    return Place(f"{event.place.source} event {index} ({kind} of {event.date})")


def _in_order(events: Sequence[Event]) -> list[tuple[int, Event]]:
    for index, event in enumerate(() if type(events) is CheckedEvents else events):
        if not isinstance(event, Event):
            raise LedgerError(Place(f"ledger event {index}"), None,
                              f"{echo(str(event))} is not an Event", "§1")
        try:
            validate(event)
        except LedgerError as error:
            raise _placed(error, index, event) from None
    # Stable: same-day events keep their order. A ledger is usually kept in date order
    # already: that is checked in C, not with a key call per event.
    dates = [event.date for event in events]
    if dates == sorted(dates):
        return list(enumerate(events))
    return sorted(enumerate(events), key=lambda pair: pair[1].date)


def _placed(error: LedgerError, index: int, event: Event) -> LedgerError:
    if error.place.line:
        return error
    return LedgerError(_named(index, event), error.column, error.message, error.section)


def _replay(events: Sequence[tuple[int, Event]], closing: date, as_of: date,
            ledger_terms: Terms) -> tuple[Book, CapTableState]:
    """Every event once, in date order; the state is taken at ``as_of`` on the way."""
    last = events[-1][1].date if events else closing
    due = payment_dates(closing, max(last, as_of, closing), ledger_terms.schedule)
    book = Book(closing, ledger_terms, due, as_of,
                {e.date for _, e in events if e.date >= closing},
                common_denominator({e.series_m_shares.denominator for _, e in events}))
    state: CapTableState | None = None
    effect = book.effects.append
    new_effect = tuple.__new__  # Effect(...) without the named tuple's own __new__
    for index, event in events:
        day = event.date
        if state is None and day > as_of:
            state = _state(book, as_of, [e for _, e in events if e.date > as_of])
        if day < closing:
            raise _placed(LedgerError(event.place, "date",
                                      f"{day} is before the Closing Date {closing}; "
                                      "nothing of the Series M happens before it", "§1"),
                          index, event)
        book.now = day
        try:
            common, cash = apply(book, event)
        except LedgerError as error:
            raise _placed(error, index, event) from None
        except SeriesMError as error:  # a figure out of every range the core computes
            raise _placed(refuse(event, None, error, _SECTION[event.kind]), index,
                          event) from None
        effect(new_effect(Effect, (event, common, _NO_CASH if cash is NOTHING or not cash
                                   else round_cents(cash), book.number,
                                   book.common_outstanding)))
    if state is None:
        state = _state(book, as_of, [])
    return book, state


def _state(book: Book, as_of: date, pending: list[Event]) -> CapTableState:
    """The figures at ``as_of``, before any later event is applied."""
    book.now = as_of
    closing, number = book.closing, book.number
    series_m = book.series_m_outstanding
    outstanding = book.common_outstanding
    fully_diluted = outstanding + series_m * number
    reading = book.terms.votes_before_anniversary
    holders = []
    for name, p in book.all().items():
        common = Fraction(p.common)  # an int inside the replay while whole
        diluted = common + p.series_m * number
        held_votes = votes(p.series_m, closing, as_of, number, reading)
        holders.append(HolderState(
            holder=name, series_m_shares=p.series_m, common_shares=common,
            accrued_dividends=book.cents(book.unpaid_units(p)),
            dividends_paid=round_cents(p.paid),
            dividends_in_arrears=book.cents(book.arrears_units(p)),
            votes=held_votes,
            fully_diluted_common=diluted,
            fully_diluted_share=diluted / fully_diluted if fully_diluted else Fraction(0),
            voting_power=held_votes + common,
            accrues_from=(closing if p.start is None else
                          None if p.start == MIXED else p.start)))
    elections = tuple(
        Election(effective, sum(chosen.values(), Fraction(0)), book.election_base[effective],
                 tuple(chosen))
        for effective, chosen in sorted(book.elections.items()))
    return CapTableState(
        as_of=as_of, closing_date=closing, conversion_number=number,
        common_outstanding=outstanding, series_m_outstanding=series_m,
        holders=tuple(holders),
        everyone_else=None if book.everyone_else is None else Fraction(book.everyone_else),
        issuances=tuple(book.issuances), reconciliations=tuple(book.reconciliations),
        applied=tuple(book.effects), pending=tuple(pending),
        fully_diluted_common=fully_diluted, series_m_issued=book.series_m_issued,
        elections=elections, threshold_price=book.threshold)


#: The readings a ledger takes when none are given.
DEFAULT_TERMS = Terms()


def check(events: Sequence[Event], closing_date: date | None = None,
          ledger_terms: Terms = DEFAULT_TERMS) -> date:
    """Replay the whole ledger; raise :class:`LedgerError` at the first event the certificate
    does not allow. Returns the Closing Date."""
    ordered = _in_order(events)
    closing = closing_date_of(events, closing_date)
    last = ordered[-1][1].date if ordered else closing
    _replay(ordered, closing, max(last, closing), ledger_terms)
    return closing


def state_at(events: Sequence[Event], as_of: date, closing_date: date | None = None,
             ledger_terms: Terms = DEFAULT_TERMS) -> CapTableState:
    """The cap table at ``as_of``: the events dated on or before it applied, in date order
    (same-day events in ledger order), the later ones only listed. The whole ledger is
    checked in the same single replay.

    Two holders, 100 Series M each from a 2005-01-10 closing; half a year later (30/360) each
    has accrued 100 × $1,000 × 5% × 180/360 = $2,500:

    >>> from datetime import date
    >>> ev = [Event(date(2005, 1, 10), EventKind.ISSUE, "A", series_m_shares=Fraction(100)),
    ...       Event(date(2005, 1, 10), EventKind.ISSUE, "B", series_m_shares=Fraction(100))]
    >>> s = state_at(ev, date(2005, 7, 10))
    >>> [(h.holder, str(h.accrued_dividends)) for h in s.holders], s.conversion_number
    ([('A', '2500.00'), ('B', '2500.00')], Fraction(4000, 1))
    """
    ordered = _in_order(events)
    closing = closing_date_of(events, closing_date)
    if not isinstance(as_of, date) or not FIRST_DATE <= as_of <= LAST_DATE:
        raise LedgerError(Place("--as-of"), None, f"{echo(as_of)}: give a date from "
                          f"{FIRST_DATE} to {LAST_DATE}", "§1")
    if as_of < closing:
        raise LedgerError(Place("--as-of"), None,
                          f"{as_of} is before the Closing Date {closing}", "§1")
    _, state = _replay(ordered, closing, as_of, ledger_terms)
    return state
