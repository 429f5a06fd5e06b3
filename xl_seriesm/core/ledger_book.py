"""The running book of a ledger replay: each holder's position and the accrual of its
dividends (§2), exact.

A position's accrued and unpaid dividends are kept as ``base + series_m × U(t)``, where
``U(t)`` is what one share has accrued from the Closing Date to ``t`` (the core's accrual,
every setting applying unchanged). Accrual then costs nothing until a figure is read: a
holder is touched only by the events that name it, never by the passing of time, and a
ledger of many events over many holders costs the events, not events × holders. When the
shares change, ``base`` absorbs ``−Δ × U(t)`` so that the new shares accrue from ``t`` on.

What is not yet due (accrued since the last payment date, ``since``) matters only at the
as-of date, so it is kept only from the last payment date on or before it: ``since(t) =
series_m × (U(t) − U(L)) + sbase`` with ``L`` that payment date.

With "oldest period first" class dividends, each position also keeps its unpaid dividends by
dividend period (carried eagerly, period by period).

Common share counts are kept as ints while they are whole (every common count of most
ledgers), as Fractions once a fraction of a share is issued or a split makes one: int
arithmetic costs a tenth of Fraction's, and each figure goes out as a Fraction
(:func:`whole`, :attr:`Book.common_outstanding`, the state), so callers see the same values.

The sums are integers (:mod:`xl_seriesm.core.ledger_money`): shares in units of ``1/S`` of a
share, dollars in units of ``1/D`` of a dollar, every accrual exact in them; the part of a
holder's unpaid dividends that moves with some of its shares is carried to
``arrears_decimals`` places of a dollar, the one figure that is not exact.

Pure: no openpyxl, pandas or xlwings here.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from xl_seriesm.core import terms
from xl_seriesm.core.calendar import BankCalendar
from xl_seriesm.core.dividends import PaymentSchedule, accruals_per_share, gross_accrual
from xl_seriesm.core.errors import echo
from xl_seriesm.core.ledger_events import (
    AppliedIssuance,
    DividendAllocation,
    Effect,
    Event,
    LedgerError,
    Reconciliation,
    Terms,
)
from xl_seriesm.core.ledger_money import Scale

ZERO = Fraction(0)

#: A common share count inside the replay: an int while it is whole, else a Fraction.
Count = int | Fraction


def whole(shares: Fraction) -> Count:
    """``shares`` as the replay keeps a common count: its int when it is whole."""
    return shares.numerator if shares.denominator == 1 else shares


@dataclass(slots=True)
class Dividends:
    """Accrued and unpaid dividends moving with some Series M (a transfer, a conversion), in
    the replay's dollar units."""

    #: All of it.
    unpaid: int = 0
    #: The part accrued since the last payment date (not yet due), where it is kept.
    since_due: int = 0
    #: With "oldest period first" only: the unpaid by period in dollars, keyed by the index
    #: of the payment date that ends the period.
    periods: dict[int, Fraction] | None = None
    #: The day the shares began accruing (their issue), or :data:`MIXED`.
    start: date | None = None


#: The start of shares that began accruing on different days.
MIXED = date.max


def _merge(start: date | None, other: date | None) -> date | None:
    """The accrual start of two lots of shares put together."""
    return other if start is None or start == other else (start if other is None else MIXED)


def _part_periods(periods: dict[int, Fraction], scale: Scale, moved: int,
                  held: int) -> dict[int, Fraction]:
    taken = {}
    for key, owed in periods.items():
        taken[key] = scale.moved_dollars(owed, moved, held)
        periods[key] = owed - taken[key]
    return taken


def _add_periods(periods: dict[int, Fraction], more: dict[int, Fraction] | None) -> None:
    for key, owed in (more or {}).items():
        periods[key] = periods.get(key, ZERO) + owed


def _pay_periods(periods: dict[int, Fraction], amount: Fraction) -> dict[int, Fraction]:
    """A payment pays the oldest periods first."""
    left = amount
    for key in sorted(periods):
        if left <= 0:
            break
        paid = min(left, periods[key])
        periods[key] -= paid
        left -= paid
    return {k: v for k, v in periods.items() if v}


@dataclass
class Call:
    """A Notice of Optional Redemption received, and the shares it still calls (§6(a))."""

    received: date
    shares: Fraction

    @property
    def last_to_convert(self) -> date:
        return self.received + timedelta(days=terms.CONVERT_AFTER_REDEMPTION_NOTICE_DAYS)


@dataclass(eq=False, slots=True)
class Position:
    """A holder's position; money in the replay's dollar units, Series M in share units."""

    scale: Scale
    #: Series M held, in share units.
    units: int = 0
    #: Common held (an int while whole, :data:`Count`).
    common: Count = 0
    #: Unpaid dividends at ``t``: ``base + units × W(t)``.
    base: int = 0
    #: Not yet due at ``t``: ``units × (W(t) − W(L)) + sbase``, for the period ``epoch``.
    sbase: int = 0
    epoch: int = -1
    #: "Oldest period first" only: unpaid by period (dollars), carried to ``settled_to``.
    periods: dict[int, Fraction] | None = None
    settled_to: date = date.min
    #: Cash dividends received, in dollar units.
    paid_units: int = 0
    #: The day its Series M began accruing (the issue of its shares, whoever holds them),
    #: :data:`MIXED` when they began on different days, None with no Series M.
    start: date | None = None
    #: §6(a): live Notices of Optional Redemption.
    calls: list[Call] = field(default_factory=list)

    @property
    def series_m(self) -> Fraction:
        return Fraction(self.units, self.scale.share_den)

    @property
    def paid(self) -> Fraction:
        """Cash dividends received, in dollars."""
        return self.scale.dollars(self.paid_units)

    @paid.setter
    def paid(self, dollars: Fraction) -> None:
        self.paid_units = self.scale.units(dollars)


@dataclass
class Conversion:
    """A conversion as applied, for a later revocation (§5(f))."""

    event: Event
    common: Fraction
    dividends_cash: Fraction
    in_lieu: Fraction
    dividends: Dividends
    revoked: bool = False


def accruals(closing: date, ledger_terms: Terms, due_dates: list[date],
             dates: Iterable[date]) -> dict[date, Fraction]:
    """U(day), one share's exact accrual from the Closing Date, for every day a replay reads
    it at: the Closing Date, the ``dates`` of its events and as-of date, and its payment
    dates (from the Closing Date: the first's, the others being k quarters more)."""
    wanted = {closing, *dates}
    if due_dates:
        wanted.update(due_dates[:1] if ledger_terms.schedule is PaymentSchedule.FROM_CLOSING
                      else due_dates)
    return accruals_per_share(closing, wanted, ledger_terms.basis, ledger_terms.schedule)


class Book:
    """The running ledger: positions, the conversion number and the common outstanding."""

    def __init__(self, closing: date, ledger_terms: Terms, due_dates: list[date],
                 as_of: date, dates: Iterable[date] = (), share_den: int = 1) -> None:
        """``dates``: every date of the events replayed; ``share_den``: the common
        denominator of their Series M counts (they fix the units, :class:`Scale`)."""
        self.closing = closing
        self.terms = ledger_terms
        self.calendar: BankCalendar = ledger_terms.calendar()
        self.now = closing
        self._positions: dict[str, Position] = {}
        #: Common counts kept as :data:`Count` (ints while whole).
        self.everyone_else: Count | None = None
        self.number = terms.CONVERSION_NUMBER
        self.threshold = ledger_terms.threshold_price
        self.issuances: list[AppliedIssuance] = []
        self.reconciliations: list[Reconciliation] = []
        self.effects: list[Effect] = []
        self.series_m_outstanding = ZERO
        self.series_m_issued = ZERO
        self.named_common: Count = 0
        #: The last sum of the common outstanding, and what it summed.
        self._summed: tuple[Count, Count | None, Fraction] = (0, None, ZERO)
        self.conversions: dict[str, list[Conversion]] = {}
        #: §3(c): effective date -> holder -> shares electing; and the outstanding then.
        self.elections: dict[date, dict[str, Fraction]] = {}
        self.election_base: dict[date, Fraction] = {}
        self._due = due_dates
        self._unit = accruals(closing, ledger_terms, due_dates, (as_of, *dates))
        self.scale = Scale(share_den, self._unit, ledger_terms.arrears_decimals)
        self._w = self.scale.per_share
        if due_dates and ledger_terms.schedule is PaymentSchedule.FROM_CLOSING:
            # Each full dividend period accrues exactly a quarter of the 5% (§2, the accrual
            # per period), so U at the k-th payment date is U at the first plus k quarters:
            # no accrual from the Closing Date recomputed for each (a ledger to 9998 has
            # 32,000 payment dates).
            quarter = terms.STATED_VALUE * terms.DIVIDEND_RATE / terms.DIVIDEND_PAYMENTS_PER_YEAR
            first = self._unit[due_dates[0]]
            first_w = self._w[due_dates[0]]
            quarter_w = self.scale.units(quarter / self.scale.share_den)
            for k, day in enumerate(due_dates[1:], start=1):
                self._unit.setdefault(day, first + k * quarter)
                self._w.setdefault(day, first_w + k * quarter_w)
        self._epochs: dict[date, tuple[int, int]] = {}
        self.by_period = ledger_terms.dividend_allocation is DividendAllocation.OLDEST_FIRST
        passed = bisect_right(due_dates, as_of)
        #: ``since`` is kept from this payment date on (the last on or before the as-of).
        self.since_after = due_dates[passed - 1] if passed else closing

    # Accrual -------------------------------------------------------------------------
    def per_share(self, day: date) -> Fraction:
        """U(day): exact dividends accrued on one share from the Closing Date to ``day``."""
        unit = self._unit.get(day)
        if unit is None:  # not a day of the ledger: every day it reads was found beforehand
            unit = self._unit[day] = gross_accrual(Fraction(1), self.closing, day,
                                                   self.terms.basis,
                                                   schedule=self.terms.schedule)
        return unit

    def _epoch(self) -> tuple[int, int]:
        """The period ``now`` is in (payment dates passed) and W(now) − W(its start)."""
        found = self._epochs.get(self.now)
        if found is None:
            passed = bisect_right(self._due, self.now)
            start = self._due[passed - 1] if passed else self.closing
            found = self._epochs[self.now] = (passed, self._w[self.now] - self._w[start])
        return found

    @property
    def tracking(self) -> bool:
        return self.now >= self.since_after

    def unpaid_units(self, p: Position) -> int:
        return p.base + p.units * self._w[self.now] if p.units else p.base

    def unpaid(self, p: Position) -> Fraction:
        """The position's exact accrued and unpaid dividends now, in dollars."""
        return self.scale.dollars(self.unpaid_units(p))

    def _since(self, p: Position) -> int:
        epoch, accrued = self._epoch()
        extra = p.sbase if p.epoch == epoch else 0
        return p.units * accrued + extra if p.units else extra

    def _set_since(self, p: Position, value: int) -> None:
        epoch, accrued = self._epoch()
        p.epoch, p.sbase = epoch, value - p.units * accrued

    def arrears_units(self, p: Position) -> int:
        """What fell due on a payment date and is unpaid (read at the as-of date)."""
        return max(self.unpaid_units(p) - self._since(p), 0)

    def arrears(self, p: Position) -> Fraction:
        return self.scale.dollars(self.arrears_units(p))

    def cents(self, units: int) -> Decimal:
        """A figure in dollar units to the cent, half up (:meth:`Scale.cents`)."""
        return Decimal(self.scale.cents(units)).scaleb(-2)

    def carry(self, shares: Fraction, owed: Dividends, start: date, now: date) -> None:
        """Accrue ``shares``' dividends from ``start`` to ``now`` into a detached ``owed``;
        a payment date passed makes what accrued before it due."""
        if now <= start or not shares:
            return
        due, w = self._due, self._w
        units = self.scale.shares(shares)
        accrued = units * (w[now] - w[start])
        owed.unpaid += accrued
        passed = bisect_right(due, now)
        if now >= self.since_after:
            last_due = due[passed - 1] if passed else None
            if last_due is not None and last_due > start:
                owed.since_due = units * (w[now] - w[last_due])
            else:
                owed.since_due += accrued
        if owed.periods is not None:
            self._carry_periods(owed.periods, shares, start, now)

    def _carry_periods(self, periods: dict[int, Fraction], shares: Fraction, start: date,
                       now: date) -> None:
        due = self._due
        begin = start
        for index in range(bisect_right(due, start), bisect_right(due, now)):
            self._add_period(periods, index, shares, begin, due[index])
            begin = due[index]
        self._add_period(periods, bisect_left(due, now), shares, begin, now)

    def _add_period(self, periods: dict[int, Fraction], key: int, shares: Fraction,
                    start: date, end: date) -> None:
        if end > start:
            periods[key] = periods.get(key, ZERO) + shares * (
                self.per_share(end) - self.per_share(start))

    def _settle_periods(self, p: Position) -> Position:
        if p.periods is not None and p.settled_to < self.now:
            if p.units:
                self._carry_periods(p.periods, p.series_m, p.settled_to, self.now)
            p.settled_to = self.now
        return p

    # Positions -----------------------------------------------------------------------
    def get(self, name: str) -> Position | None:
        p = self._positions.get(name)
        return self._settle_periods(p) if p is not None and self.by_period else p

    def position(self, name: str) -> Position:
        p = self._positions.get(name)
        if p is None:
            p = self._positions[name] = Position(self.scale,
                                                 periods={} if self.by_period else None,
                                                 settled_to=self.now)
        return self._settle_periods(p) if self.by_period else p

    def holding(self, name: str) -> Position:
        """A position for its common (common accrues nothing)."""
        p = self._positions.get(name)
        if p is None:
            p = self._positions[name] = Position(self.scale,
                                                 periods={} if self.by_period else None,
                                                 settled_to=self.now)
        return p

    def all(self) -> dict[str, Position]:
        """Every position, in the order holders first appeared."""
        if self.by_period:
            for p in self._positions.values():
                self._settle_periods(p)
        return self._positions

    def unsettled(self) -> Iterator[Position]:
        return iter(self._positions.values())

    def _shares(self, p: Position, change: int) -> None:
        """The position's Series M changes by ``change`` share units now: the new shares
        accrue from now, the shares gone take nothing of what is to come."""
        p.base -= change * self._w[self.now]
        if self.now >= self.since_after:
            epoch, accrued = self._epoch()
            if p.epoch != epoch:
                p.epoch, p.sbase = epoch, 0
            p.sbase -= change * accrued
        p.units += change

    def add_series_m(self, name: str, shares: Fraction,
                     between_holders: bool = False) -> Position:
        """Series M issued to ``name`` (§1), or (``between_holders``) moved to it."""
        p = self.position(name)
        self._shares(p, self.scale.shares(shares))
        if not between_holders:
            self.series_m_outstanding += shares
            p.start = _merge(p.start, self.now)
        return p

    def take_series_m(self, event: Event, name: str,
                      between_holders: bool = False) -> tuple[Position, Dividends]:
        """Take ``event.series_m_shares`` off ``name``; returns the position and the unpaid
        dividends that go with them (pro rata to the shares, carried to the decimals). Between
        holders the Series M outstanding stays."""
        p = self.get(name)
        held = p.units if p else 0
        shares = event.series_m_shares
        units = self.scale.shares(shares)
        if p is None or units > held or not held:
            raise LedgerError(event.place, "series_m_shares",
                              f"{name} holds {echo(Fraction(held, self.scale.share_den))} "
                              f"Series M on {event.date}, fewer than the {echo(shares)} of "
                              f"this {event.kind.value}; a holding cannot go negative", "§1")
        tracking = self.now >= self.since_after
        owed = Dividends(self.unpaid_units(p), self._since(p) if tracking else 0,
                         start=p.start)
        if units == held:
            p.units, p.base, p.sbase, p.start = 0, 0, 0, None
            if p.periods is not None:
                owed.periods, p.periods = p.periods, {}
        else:
            owed.unpaid = self.scale.moved(owed.unpaid, units, held)
            p.base -= owed.unpaid
            if tracking and owed.since_due:
                owed.since_due = self.scale.moved(owed.since_due, units, held)
                epoch, _ = self._epoch()
                if p.epoch != epoch:
                    p.epoch, p.sbase = epoch, 0
                p.sbase -= owed.since_due
            if p.periods is not None:
                owed.periods = _part_periods(p.periods, self.scale, units, held)
            self._shares(p, -units)
        if not between_holders:
            self.series_m_outstanding -= shares
        return p, owed

    def give_series_m(self, name: str, shares: Fraction, owed: Dividends,
                      between_holders: bool = False) -> Position:
        """``shares`` arrive at ``name`` with the dividends ``owed`` on them."""
        p = self.add_series_m(name, shares, True)
        if not between_holders:
            self.series_m_outstanding += shares
        p.start = _merge(p.start, owed.start)
        p.base += owed.unpaid
        if owed.since_due and self.now >= self.since_after:
            epoch, _ = self._epoch()
            if p.epoch != epoch:
                p.epoch, p.sbase = epoch, 0
            p.sbase += owed.since_due
        if p.periods is not None:
            _add_periods(p.periods, owed.periods)
        return p

    def pay(self, p: Position, amount: Fraction) -> None:
        """Dividends paid to the holder; they pay its oldest arrears first."""
        self.pay_units(p, self.scale.units(amount))
        if p.periods is not None:
            p.periods = _pay_periods(p.periods, amount)

    def pay_units(self, p: Position, amount: int) -> None:
        p.base -= amount
        p.paid_units += amount
        if self.now >= self.since_after:
            left = max(self.unpaid_units(p), 0)
            if self._since(p) > left:
                self._set_since(p, left)

    @property
    def common_outstanding(self) -> Fraction:
        """The common outstanding now, a Fraction (summed again only when it changed)."""
        named, others = self.named_common, self.everyone_else
        if named is not self._summed[0] or others is not self._summed[1]:
            self._summed = (named, others, Fraction(named + (others or 0)))
        return self._summed[2]

    def add_common(self, name: str, shares: Count) -> None:
        if shares.denominator == 1:
            shares = shares.numerator
        if name:
            self.holding(name).common += shares
            self.named_common += shares
        elif self.everyone_else is not None:
            self.everyone_else += shares
        else:
            self.everyone_else = shares

