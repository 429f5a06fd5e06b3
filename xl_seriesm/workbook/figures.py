"""The core's figures for one cap table, computed once, which every sheet's cells carry
beside their formulas; and the row layout the sheets share.

Pure: no openpyxl here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

from xl_seriesm.core import terms
from xl_seriesm.core.conversion import (
    Issuance,
    cash_in_lieu,
    common_on_conversion,
    conversion_opens,
    dilution_ledger,
    votes,
)
from xl_seriesm.core.dividends import (
    ScheduleRow,
    accrued_dividends,
    dividend_schedule,
    gross_accrual,
    periods_done,
)
from xl_seriesm.core.ledger import EVERYONE_ELSE, EventKind
from xl_seriesm.core.liquidation import Capital, liquidation_value
from xl_seriesm.core.numbers import round_cents
from xl_seriesm.workbook.base import (
    BY_CONSTRUCTION,
    EVENTS,
    FAILS,
    stack_checks,
    valuation_checks,
    whole_off_by,
)
from xl_seriesm.workbook.inputs import CapTable, Holder

_T = TypeVar("_T")


EXIT_ROWS = 41


@dataclass(frozen=True)
class Running:
    """The Series M class at the as-of date past its last payment date (§2): accrued in the
    running period (to the as-of date, less to the last payment date, each rounded to the
    cent as the schedule's rows are), the payments left over from the schedule applied to
    it, and what stays accrued and unpaid: the class's figure, rounded once."""

    due: Decimal
    paid: Decimal
    unpaid: Decimal


def running(cap: CapTable, schedule: list[ScheduleRow], paid: Fraction) -> Running:
    """:class:`Running` for the class of ``cap`` with its ``schedule`` and ``paid`` in all
    (dividends paid and not accrued before later issues, as the schedule takes them)."""
    settings = cap.settings

    def accrued_to(when: date) -> Decimal:
        return round_cents(gross_accrual(cap.series_m_total, cap.closing_date, when,
                                         settings.basis, settings.accrual, settings.schedule))
    last = schedule[-1] if schedule else None
    due = accrued_to(cap.as_of_date) - (accrued_to(last.payment_date) if last
                                        else Decimal("0.00"))
    owed = (last.arrears if last else Decimal("0.00")) + due
    left = paid - sum((Fraction(r.paid) for r in schedule), Fraction(0))
    applied = round_cents(min(Fraction(owed), max(left, Fraction(0))))
    return Running(due, applied, owed - applied)


#: The Holders sheet rounds each holder's accrual (and what it did not accrue) to the cent,
#: the Dividends sheet the class once: they may differ by a cent a holder, and one more.
def rounding_allowed(holders: int) -> Decimal:
    return Decimal("0.01") * (holders + 1)


@dataclass(frozen=True)
class Figures:
    """The core's figures for a cap table, computed from the cap table alone."""

    cap: CapTable
    opens: date
    convertible: bool
    conversion_day: date
    ledger: list[Fraction]
    number: Fraction
    accrued: list[Decimal]
    liquidation: list[Decimal]
    converted: list[Fraction]
    votes: list[int]
    cash: list[Decimal]
    diluted: list[Fraction]
    #: Per holder: dividend periods ended before its accrual start, and what its shares
    #: would have accrued from the Closing Date to that start (not owed: §2 accrues from
    #: the issue); the total.
    periods_before: list[int]
    not_accrued: list[Fraction]
    total_not_accrued: Fraction
    total_paid: Fraction
    total_accrued: Decimal
    total_diluted: Fraction
    capital: Capital
    breakpoint: Fraction
    schedule: list[ScheduleRow]
    #: Common outstanding at the Closing Date, and at the as-of date per the §5(e) ledger
    #: plus the conversions on the Events sheet.
    opening_common: Fraction
    ledger_common: Fraction
    #: Each §5(e) row's common outstanding before it, per the row above (A + B) plus the
    #: conversions in between.
    outstanding_per_ledger: list[Fraction]
    #: The Checks sheet's results, in its order: "OK" or the difference found.
    checks: list[object]
    #: The running period past the schedule's last row, to the as-of date.
    running: Running


def _converted(cap: CapTable, after: date, through: date, from_closing: bool = False,
               ) -> Fraction:
    """Common issued on conversion (Events sheet) after ``after`` up to ``through``."""
    return sum((e.common_issued for e in cap.events if e.event.kind is EventKind.CONVERT
                and (after <= e.event.date if from_closing else after < e.event.date)
                and e.event.date <= through), Fraction(0))


def with_everyone_else(cap: CapTable) -> tuple[CapTable, Fraction, Fraction]:
    """The cap table with the row for everyone the holders do not name (its common: the
    ledger's common outstanding at the as-of date less the holders', never below 0; a
    shortfall is then a failing Check), the opening and the ledger's common outstanding."""
    applied = [r for r in cap.issuances if r.date <= cap.as_of_date]
    named = [h for h in cap.holders if h.name != EVERYONE_ELSE]
    named_common = sum((h.common_shares for h in named), Fraction(0))
    if cap.opening_common is not None:
        opening = cap.opening_common
    elif cap.issuances:
        first = cap.issuances[0]
        opening = first.common_outstanding - _converted(cap, cap.closing_date, first.date, True)
    else:
        opening = cap.common_total - _converted(cap, cap.closing_date, cap.as_of_date, True)
    if applied:
        last = applied[-1]
        ledger_common = (last.common_outstanding + last.new_shares
                         + _converted(cap, last.date, cap.as_of_date))
    else:
        ledger_common = opening + _converted(cap, cap.closing_date, cap.as_of_date, True)
    if len(named) == len(cap.holders):
        rest = max(ledger_common - named_common, Fraction(0))
        cap = replace(cap, holders=(*cap.holders, Holder(EVERYONE_ELSE, Fraction(0), rest,
                                                         Fraction(0))))
    return cap, opening, ledger_common


def figures(cap: CapTable) -> Figures:
    cap, opening, ledger_common = with_everyone_else(cap)
    settings = cap.settings
    opens = conversion_opens(cap.closing_date, settings.leap_anniversary)
    conversion_day = max(cap.as_of_date, opens)
    # An issuance after the as-of date is listed but not counted: it has not happened yet.
    ledger = dilution_ledger(terms.CONVERSION_NUMBER, [
        Issuance(r.common_outstanding, r.new_shares, r.consideration,
                 r.exempt or r.date > cap.as_of_date)
        for r in cap.issuances], settings.threshold_price)
    number = ledger[-1] if ledger else terms.CONVERSION_NUMBER
    per_ledger = []
    for index, row in enumerate(cap.issuances):
        if index == 0:
            per_ledger.append(opening + _converted(cap, cap.closing_date, row.date, True))
        else:
            above = cap.issuances[index - 1]
            per_ledger.append(above.common_outstanding + above.new_shares
                              + _converted(cap, above.date, row.date))
    holders = cap.holders
    starts = [h.accrues_from or cap.closing_date for h in holders]
    periods_before = [periods_done(cap.closing_date, start, settings.schedule)
                      for start in starts]
    not_accrued = [gross_accrual(h.series_m_shares, cap.closing_date, start, settings.basis,
                                 settings.accrual, settings.schedule)
                   if start > cap.closing_date else Fraction(0)
                   for h, start in zip(holders, starts, strict=True)]
    deducted = {id(h): h.dividends_paid + n for h, n in zip(holders, not_accrued, strict=True)}
    # Holders with the same shares (all those with common only, say) have the same figures:
    # each is worked out once per distinct input.
    accrued = _each(holders, lambda h: (h.series_m_shares, deducted[id(h)]),
                    lambda shares, paid: accrued_dividends(
                        shares, cap.closing_date, cap.as_of_date, paid, settings.basis,
                        settings.accrual, settings.schedule))
    converted = _each(holders, lambda h: (h.series_m_shares,),
                      lambda shares: common_on_conversion(
                          shares, cap.closing_date, conversion_day, number, shares,
                          settings.leap_anniversary))
    diluted = [h.common_shares + c for h, c in zip(holders, converted, strict=True)]
    total_paid = sum((h.dividends_paid for h in holders), Fraction(0))
    total_not_accrued = sum(not_accrued, Fraction(0))
    total_accrued = sum(accrued, Decimal(0))
    capital = Capital(cap.series_m_total, cap.common_total, Fraction(total_accrued), number,
                      settings.dividends_on_conversion)
    schedule = dividend_schedule(cap.series_m_total, cap.closing_date, cap.as_of_date,
                                 total_paid + total_not_accrued, settings.basis,
                                 settings.schedule, settings.accrual)
    past = running(cap, schedule, total_paid + total_not_accrued)
    checks = _check_results(cap, ledger_common, per_ledger, total_accrued - past.unpaid)
    return Figures(
        cap=cap, opens=opens, convertible=cap.as_of_date >= opens,
        conversion_day=conversion_day, ledger=ledger, number=number, accrued=accrued,
        liquidation=_each(holders, lambda h: (h.series_m_shares, deducted[id(h)]),
                          lambda shares, paid: liquidation_value(
                              shares, cap.closing_date, cap.as_of_date, paid, settings.basis,
                              settings.accrual, settings.schedule)),
        converted=converted,
        votes=_each(holders, lambda h: (h.series_m_shares,),
                    lambda shares: votes(shares, cap.closing_date, cap.as_of_date, number,
                                         settings.votes_before_anniversary,
                                         settings.leap_anniversary)),
        cash=_each(holders, lambda h: (h.series_m_shares,),
                   lambda shares: cash_in_lieu(shares, number, settings.market_price)),
        diluted=diluted, periods_before=periods_before, not_accrued=not_accrued,
        total_not_accrued=total_not_accrued, total_paid=total_paid,
        total_accrued=total_accrued,
        total_diluted=sum(diluted, Fraction(0)), capital=capital,
        breakpoint=capital.breakpoint(),
        schedule=schedule, opening_common=opening, ledger_common=ledger_common,
        outstanding_per_ledger=per_ledger, checks=checks, running=past)


def _each(holders: tuple[Holder, ...], inputs: Callable[[Holder], tuple[Any, ...]],
          figure: Callable[..., _T]) -> list[_T]:
    """``figure`` of each holder's ``inputs``, computed once for each distinct inputs (the
    core's functions are pure, so equal inputs give the equal figure)."""
    known: dict[tuple[Any, ...], _T] = {}
    out = []
    for holder in holders:
        key = inputs(holder)
        if key not in known:
            known[key] = figure(*key)
        out.append(known[key])
    return out


def _check_results(cap: CapTable, ledger_common: Fraction, per_ledger: list[Fraction],
                   rounding: Decimal) -> list[object]:
    """What each Check shows for this cap table: the eight that hold by construction, then
    the reconciliations of the common, which hold only when the inputs agree."""
    results: list[object] = ["OK"] * BY_CONSTRUCTION
    results.append(whole_off_by(cap.common_total - ledger_common))
    gap = sum((abs(row.common_outstanding - before) for row, before
               in zip(cap.issuances, per_ledger, strict=True) if row.date <= cap.as_of_date),
              Fraction(0))
    results.append(whole_off_by(gap))
    stated = sum((abs(e.event.common_shares - e.common_outstanding_after) for e in cap.events
                  if e.event.kind is EventKind.OUTSTANDING and e.event.date <= cap.as_of_date),
                 Fraction(0))
    results.append(whole_off_by(stated))
    results.append("OK" if abs(rounding) <= rounding_allowed(len(cap.holders))
                   else f"{FAILS}{'-' if rounding < 0 else ''}{abs(rounding):,.2f}")
    # The Valuation sheet's checks compare the add-in's figure with the sheet's own
    # built-in formulas: they hold by construction.
    results += ["OK"] * len(valuation_checks(cap.stack))
    results += ["OK"] * len(stack_checks(cap.stack))
    return results


@dataclass(frozen=True)
class Rows:
    """Where the tables sit, which formulas on other sheets refer to."""

    first: int  # first holder row
    last: int
    total_row: int
    ledger_first: int
    ledger_last: int
    top: int  # the Dividends header row
    bottom: int
    exit_first: int
    exit_last: int
    events_first: int
    events_last: int  # the first row when there are no events (it holds a note)

    @classmethod
    def of(cls, f: Figures) -> Rows:
        n = len(f.cap.holders)
        return cls(first=4, last=3 + n, total_row=5 + n, ledger_first=4,
                   ledger_last=3 + len(f.cap.issuances), top=4, bottom=4 + len(f.schedule),
                   exit_first=5, exit_last=4 + EXIT_ROWS, events_first=4,
                   events_last=3 + max(len(f.cap.events) + len(f.cap.class_events), 1))

    def converted(self, after: str, through: str) -> str:
        """Formula: the common issued on conversion (Events sheet) with a date ``after``
        (a criterion such as '">"&A4') up to ``through``."""
        span = f"{self.events_first}:${{c}}${self.events_last}"
        col = {c: f"{EVENTS}!${c}${span.format(c=c)}" for c in "ABN"}  # N: common issued
        return (f'SUMIFS({col["N"]},{col["B"]},"convert",{col["A"]},{after},'
                f'{col["A"]},"<="&{through})')
