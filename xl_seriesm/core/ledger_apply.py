"""The ledger's events applied to the book, each checked against the certificate: the
section each answers to, and the refusal it gives. :mod:`xl_seriesm.core.ledger` replays the
events through :func:`apply` in date order.

Pure: no openpyxl, pandas or xlwings here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from xl_seriesm.core import terms
from xl_seriesm.core.allocation import allocate
from xl_seriesm.core.calendar import long_date
from xl_seriesm.core.conversion import (
    cash_in_lieu,
    common_on_conversion,
    conversion_opens,
    dilute,
)
from xl_seriesm.core.dated_dilution import after_split
from xl_seriesm.core.errors import SeriesMError, echo
from xl_seriesm.core.ledger_book import (
    Book,
    Call,
    Conversion,
    Position,
    _pay_periods,
    whole,
)
from xl_seriesm.core.ledger_events import (
    AppliedIssuance,
    DividendAllocation,
    Event,
    EventKind,
    LedgerError,
    Reconciliation,
)
from xl_seriesm.core.ledger_money import allocate_cents
from xl_seriesm.core.notices import conversion_date, delivery_deadline, election_by
from xl_seriesm.core.numbers import round_cents, split_whole
from xl_seriesm.core.redemption import earliest_redemption_date

#: No common issued, no cash paid: the one object (what most events return).
NOTHING = Fraction(0)
#: An event's share counts when its row leaves them empty: the fields' defaults, the very
#: objects (known to be 0 without asking the Fraction).
_NO_SERIES_M = Event.__dataclass_fields__["series_m_shares"].default
_NO_COMMON = Event.__dataclass_fields__["common_shares"].default


def refuse(event: Event, column: str | None, error: Exception, section: str) -> LedgerError:
    message = error.message if isinstance(error, SeriesMError) else str(error)
    return LedgerError(event.place, column, message, section)


def apply(book: Book, event: Event) -> tuple[Fraction, Fraction]:
    """One event on the book, checked against the certificate; returns the common it
    issued and the cash it paid."""
    kind, place = event.kind, event.place
    if kind is EventKind.ISSUE:
        _issue(book, event)
    elif kind is EventKind.TRANSFER:
        _transfer(book, event)
    elif kind is EventKind.DIVIDEND:
        _pay_dividend(book, event)
        return NOTHING, event.amount
    elif kind is EventKind.CONVERT:
        return _convert(book, event)
    elif kind is EventKind.REDEEM:
        earliest = earliest_redemption_date(book.closing)
        if event.date < earliest:
            raise LedgerError(place, "date",
                              f"a redemption on {event.date} is less than "
                              f"{terms.REDEMPTION_NOTICE_DAYS} days after the Closing Date "
                              f"{book.closing}; the earliest is {earliest}", "§6(a)")
        position, owed = book.take_series_m(event, event.holder)
        _uncall(position, event.series_m_shares)
        dividends = Fraction(book.scale.cents(owed.unpaid), 100)  # §6(a): in the price
        position.paid += dividends
        return NOTHING, event.series_m_shares * terms.STATED_VALUE + dividends
    elif kind is EventKind.COMMON:
        _issue_common(book, event)
        return event.common_shares, NOTHING
    elif kind is EventKind.SPLIT:
        new, old = event.ratio
        factor = Fraction(new) / Fraction(old)
        book.number, book.threshold = after_split(
            book.number, book.threshold, Fraction(new), Fraction(old),
            book.terms.threshold_after_split, book.terms.conversion_decimals)
        for position in book.unsettled():
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
        _state_holding(book, event)
    elif kind is EventKind.REDEMPTION_NOTICE:
        _redemption_notice(book, event)
    elif kind is EventKind.REVOKE:
        return _revoke(book, event)
    elif kind is EventKind.ELECTION:
        _elect(book, event)
    return NOTHING, NOTHING


def _issue(book: Book, event: Event) -> None:
    ever = book.series_m_issued + event.series_m_shares
    if ever > terms.SHARES_DESIGNATED:
        gone = book.series_m_issued - book.series_m_outstanding
        reissue = (f", of which {echo(gone)} redeemed or converted and not reissuable"
                   if gone else "")
        raise LedgerError(event.place, "series_m_shares",
                          f"issuing {echo(event.series_m_shares)} makes {echo(ever)} Series M "
                          f"ever issued{reissue}, more than the {terms.SHARES_DESIGNATED:,} "
                          "designated", "§7, §1")
    book.series_m_issued = ever
    book.add_series_m(event.holder, event.series_m_shares)


def _transfer(book: Book, event: Event) -> None:
    if event.series_m_shares is not _NO_SERIES_M and event.series_m_shares:
        source, owed = book.take_series_m(event, event.holder, between_holders=True)
        if source.calls:
            _cap_calls(source)
        book.give_series_m(event.to_holder, event.series_m_shares, owed, between_holders=True)
    if event.common_shares is not _NO_COMMON and event.common_shares:
        shares = whole(event.common_shares)  # an int while whole: int arithmetic
        source_ = book.holding(event.holder)
        if shares > source_.common:
            raise LedgerError(event.place, "common_shares",
                              f"{event.holder} holds {echo(Fraction(source_.common))} common on"
                              f" {event.date}, fewer than the {echo(event.common_shares)} "
                              "transferred; a holding cannot go negative", "§5(e)")
        source_.common -= shares  # between named holders: the total stays
        book.holding(event.to_holder).common += shares


def _pay_dividend(book: Book, event: Event) -> None:
    scale = book.scale
    amount = scale.units(event.amount)
    if event.holder:
        position = book.get(event.holder)
        # The amount, in whole cents, is at most the unpaid rounded to the cent (compared
        # in integers: 100 × n/d ≤ c as 100n ≤ c·d).
        given = event.amount
        if position is not None and 100 * given.numerator <= scale.cents(
                book.unpaid_units(position)) * given.denominator:
            book.pay_units(position, amount)
            if position.periods is not None:
                position.periods = _pay_periods(position.periods, event.amount)
            return
        positions = {event.holder: position} if position is not None else {}
    else:
        positions = {n: p for n, p in book.all().items() if book.unpaid_units(p) > 0}
    names = list(positions)
    cents = [scale.cents(book.unpaid_units(positions[n])) for n in names]
    owed = sum(cents)
    if 100 * event.amount > owed:
        whom = event.holder or "the class"
        raise LedgerError(event.place, "amount",
                          f"{echo(event.amount)} paid to {whom} on {event.date} is more than the "
                          f"{round_cents(Fraction(owed, 100)):,} accrued and unpaid", "§2")
    if event.holder:
        book.pay(positions[event.holder], event.amount)
        return
    if book.terms.dividend_allocation is DividendAllocation.PRO_RATA:
        paid = allocate_cents(int(100 * event.amount), cents)
        per_cent = scale.den // 100
        for name, share in zip(names, paid, strict=True):
            book.pay_units(positions[name], share * per_cent)
        return
    shares = _oldest_period_first(event.amount, [positions[n].periods or {} for n in names])
    for name, share_ in zip(names, shares, strict=True):
        book.pay(positions[name], share_)


def _oldest_period_first(amount: Fraction,
                         owed: Sequence[dict[int, Fraction]]) -> list[Fraction]:
    """A class dividend by period: each holder's exact claim on the oldest periods first
    (pro rata within a period), then in whole cents adding up to ``amount``."""
    claims = [Fraction(0)] * len(owed)
    left = amount
    for key in sorted({k for o in owed for k in o}):
        dues = [o.get(key, Fraction(0)) for o in owed]
        total = sum(dues, Fraction(0))
        if not total:
            continue
        paid = min(left, total)
        for i, due in enumerate(dues):
            claims[i] += paid * due / total
        left -= paid
        if not left:
            break
    return allocate(amount, claims)


def _convert(book: Book, event: Event) -> tuple[Fraction, Fraction]:
    position = book.get(event.holder)
    holding = position.series_m if position else Fraction(0)
    if position is None or event.series_m_shares > holding:
        book.take_series_m(event, event.holder)  # raises: the holding cannot go negative
    assert position is not None
    try:
        common = common_on_conversion(event.series_m_shares, book.closing, event.date,
                                      book.number, holding)
    except SeriesMError as error:
        column = "date" if event.date < conversion_opens(book.closing) else "series_m_shares"
        raise refuse(event, column, error, "§5(a)") from None
    _business_day(book, event)
    _check_calls(position, event)
    in_lieu = Fraction(0)
    if event.market_price is not None:
        whole, _ = split_whole(common)
        in_lieu = Fraction(cash_in_lieu(event.series_m_shares, book.number, event.market_price))
        common = Fraction(whole)
    position, owed = book.take_series_m(event, event.holder)
    dividends = Fraction(book.scale.cents(owed.unpaid), 100)  # §2: due on conversion
    position.paid += dividends
    book.add_common(event.holder, common)
    book.conversions.setdefault(event.holder, []).append(
        Conversion(event, common, dividends, in_lieu, owed))
    return common, dividends + in_lieu


def _business_day(book: Book, event: Event) -> None:
    """§5(f): a Conversion Date is a business day of banks in Palm Beach County."""
    try:
        if book.calendar.is_business_day(event.date):
            return
        why = book.calendar.why(event.date)
        then = conversion_date(event.date, book.calendar)
    except SeriesMError as error:
        raise refuse(event, "date", error, "§5(f)") from None
    raise LedgerError(event.place, "date",
                      f"{long_date(event.date)} is not a business day of banks in Palm Beach "
                      f"County ({why}), so it cannot be a Conversion Date; a Notice of "
                      f"Conversion received that day has the Conversion Date "
                      f"{long_date(then)} (SERIESM_CONVDATE): date the conversion {then}",
                      "§5(f)")


def _check_calls(position: Position, event: Event) -> None:
    """§6(a): shares called for redemption convert only within ten days of the notice."""
    if not position.calls:
        return
    closed = [c for c in position.calls if event.date > c.last_to_convert]
    shut = sum((c.shares for c in closed), Fraction(0))
    free = position.series_m - shut
    if closed and event.series_m_shares > free:
        first = min(closed, key=lambda c: c.received)
        raise LedgerError(event.place, "series_m_shares",
                          f"{event.holder} converts {echo(event.series_m_shares)} Series M on "
                          f"{event.date}, but {echo(shut)} of its {echo(position.series_m)} are "
                          f"called for redemption by the notice received on {first.received}, "
                          f"convertible only until {first.last_to_convert}; "
                          f"{echo(max(free, Fraction(0)))} may be converted", "§6(a)")
    # Within the window the holder converts its called shares first.
    _uncall(position, event.series_m_shares, open_on=event.date)


def _uncall(position: Position, shares: Fraction, open_on: date | None = None) -> None:
    """Shares converted or redeemed leave the calls, the oldest first (a conversion only
    those still open for conversion on ``open_on``)."""
    left = shares
    for call in position.calls:
        if left <= 0:
            break
        if open_on is not None and open_on > call.last_to_convert:
            continue
        taken = min(left, call.shares)
        call.shares -= taken
        left -= taken
    position.calls = [c for c in position.calls if c.shares]


def _cap_calls(position: Position) -> None:
    """After a transfer, no more is called than the holder holds."""
    excess = sum((c.shares for c in position.calls), Fraction(0)) - position.series_m
    if excess > 0:
        _uncall(position, excess)


def _redemption_notice(book: Book, event: Event) -> None:
    position = book.get(event.holder)
    held = position.series_m if position else Fraction(0)
    called = sum((c.shares for c in position.calls), Fraction(0)) if position else Fraction(0)
    if position is None or event.series_m_shares > held - called:
        raise LedgerError(event.place, "series_m_shares",
                          f"a notice calling {echo(event.series_m_shares)} Series M of "
                          f"{event.holder} on {event.date}, which holds {echo(held)}"
                          + (f" ({echo(called)} already called)" if called else "")
                          + "; a notice calls shares the holder holds", "§6(a)")
    position.calls.append(Call(event.date, event.series_m_shares))


def _revoke(book: Book, event: Event) -> tuple[Fraction, Fraction]:
    live = [c for c in book.conversions.get(event.holder, []) if not c.revoked]
    if not live:
        raise LedgerError(event.place, "holder",
                          f"{event.holder} has no conversion to revoke on {event.date}", "§5(f)")
    conversion = live[-1]
    converted = conversion.event
    if event.series_m_shares and event.series_m_shares != converted.series_m_shares:
        raise LedgerError(event.place, "series_m_shares",
                          f"{echo(event.series_m_shares)} Series M, but {event.holder}'s latest "
                          f"conversion ({converted.date}) converted "
                          f"{echo(converted.series_m_shares)}; a revocation undoes it whole",
                          "§5(f)")
    try:
        deadline = delivery_deadline(converted.date, book.calendar)
    except SeriesMError as error:
        raise refuse(event, "date", error, "§5(f)") from None
    if event.date <= deadline:
        raise LedgerError(event.place, "date",
                          f"{event.holder} may revoke its conversion of {converted.date} only "
                          f"after the delivery deadline {deadline} (ten business days) has "
                          "passed with the common undelivered (SERIESM_CANREVOKE)", "§5(f)")
    position = book.position(event.holder)
    if position.common < conversion.common:
        raise LedgerError(event.place, "holder",
                          f"{event.holder} holds {echo(Fraction(position.common))} common on "
                          f"{event.date},"
                          f" fewer than the {echo(conversion.common)} its conversion issued; "
                          "the common must go back", "§5(f)")
    conversion.revoked = True
    book.add_common(event.holder, -conversion.common)
    # The exact dividends the conversion paid in cash are owed again, and go on accruing.
    owed = conversion.dividends
    book.carry(converted.series_m_shares, owed, converted.date, event.date)
    position.paid -= conversion.dividends_cash
    book.give_series_m(event.holder, converted.series_m_shares, owed)
    return -conversion.common, -(conversion.dividends_cash + conversion.in_lieu)


def _elect(book: Book, event: Event) -> None:
    effective = event.effective_date
    assert effective is not None  # validate() refuses an election without it
    last = election_by(effective)
    if event.date > last:
        raise LedgerError(event.place, "date",
                          f"an election on {event.date} for a transaction effective "
                          f"{effective} is late: it is due three days before, by {last}",
                          "§3(c)")
    position = book.get(event.holder)
    held = position.series_m if position else Fraction(0)
    shares = event.series_m_shares or held
    if not shares or shares > held:
        raise LedgerError(event.place, "series_m_shares",
                          f"{event.holder} holds {echo(held)} Series M on {event.date} and "
                          f"elects with {echo(shares)}; a holder elects with shares it holds",
                          "§3(c)")
    book.elections.setdefault(effective, {})[event.holder] = shares
    book.election_base[effective] = book.series_m_outstanding


def _issue_common(book: Book, event: Event) -> None:
    if book.everyone_else is None:
        raise LedgerError(event.place, "event",
                          f"a common issuance on {event.date} needs the common outstanding just "
                          "before it (A of §5(e)(i)); add an `outstanding` row on or before "
                          "that date", "§5(e)(i)")
    before = book.common_outstanding
    if (event.exempt or _at_least(event.amount, book.threshold, event.common_shares)) \
            and before.numerator >= 0:
        after = book.number  # §5(e)(i) adjusts nothing (what dilute() finds, more cheaply)
    else:
        try:
            after = dilute(book.number, before, event.common_shares, event.amount,
                           event.exempt, book.threshold, book.terms.conversion_decimals)
        except SeriesMError as error:
            raise refuse(event, "common_shares", error, "§5(e)(i)") from None
    book.issuances.append(AppliedIssuance(event.date, before, event.common_shares,
                                          event.amount, event.exempt, after, book.threshold))
    book.number = after
    book.add_common(event.holder, event.common_shares)


def _at_least(amount: Fraction, price: Fraction, shares: Fraction) -> bool:
    """``amount >= price × shares``, compared in integers (a/b ≥ p/q × s/t as a·q·t ≥
    p·s·b, the denominators positive): a §5(e) issuance at or above the threshold, asked
    of every issuance of a ledger, at a tenth of Fraction's cost."""
    return (amount.numerator * price.denominator * shares.denominator
            >= price.numerator * shares.numerator * amount.denominator)


def _state_outstanding(book: Book, event: Event) -> None:
    if book.everyone_else is None:
        rest = event.common_shares - book.named_common
        if rest < 0:
            raise LedgerError(event.place, "common_shares",
                              f"{echo(event.common_shares)} common outstanding on {event.date} is "
                              f"less than the {echo(Fraction(book.named_common))} the named "
                              "holders hold; "
                              "everyone else cannot hold a negative number", "§5(e)")
        book.everyone_else = whole(rest)
        return
    book.reconciliations.append(Reconciliation(
        event.date, "common outstanding", event.common_shares, book.common_outstanding,
        event.place))


def _state_holding(book: Book, event: Event) -> None:
    position = book.position(event.holder)
    stated = whole(event.common_shares)
    moved = stated - position.common
    if book.everyone_else is not None:
        if moved > book.everyone_else:
            raise LedgerError(event.place, "common_shares",
                              f"{event.holder} holding {echo(event.common_shares)} common "
                              f"leaves everyone else "
                              f"{echo(Fraction(book.everyone_else - moved))}; "
                              "the common outstanding stated earlier is too small", "§5(e)")
        book.everyone_else -= moved
    position.common = stated
    book.named_common += moved
