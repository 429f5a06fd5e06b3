"""A template's cap table from a ledger of events, as of a date.

The Holders sheet takes each holder's Series M and common at the as-of date. Its dividend
formula accrues on the shares held now from the Closing Date, so the "Dividends paid" input
is the figure that makes that formula give the ledger's accrued and unpaid dividends: the
dividends paid on the shares the holder holds now (by whoever held them), plus, for shares
issued after the Closing Date, what they did not accrue before their issue. For a holder
whose shares were all issued at the Closing Date and never moved, it is what it was paid.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from xl_seriesm.core.dividends import gross_accrual
from xl_seriesm.core.ledger import (
    EVERYONE_ELSE,
    Event,
    EventKind,
    LedgerError,
    Terms,
    state_at,
)
from xl_seriesm.core.numbers import round_cents
from xl_seriesm.workbook.inputs import CapTable, Holder, InputError, IssuanceRow, Settings


def cap_table(events: tuple[Event, ...], as_of: date, closing_date: date | None,
              settings: Settings) -> CapTable:
    """The cap table of ``events`` at ``as_of``, with every event listed (those after it
    marked not applied on the Events sheet)."""
    ledger_terms = Terms(settings.basis, settings.schedule, settings.threshold_price,
                         settings.votes_before_anniversary)
    splits = [e for e in events if e.kind is EventKind.SPLIT]
    if splits:
        raise InputError(f"{splits[0].place.at('event')}: the template cannot show a split of "
                         "the common (§5(c)) yet; `seriesm captable` computes the ledger with it")
    revoked = [e for e in events if e.kind is EventKind.REVOKE]
    if revoked:
        raise InputError(f"{revoked[0].place.at('event')}: the template cannot show a revoked "
                         "conversion (§5(f)) yet; `seriesm captable` computes the ledger with it")
    try:
        state = state_at(events, as_of, closing_date, ledger_terms)
        last = max(e.date for e in events)
        everything = state_at(events, max(last, as_of), closing_date, ledger_terms)
    except LedgerError as error:
        raise InputError(str(error)) from None
    closing = state.closing_date
    holders = []
    for h in state.holders:
        simple = round_cents(gross_accrual(h.series_m_shares, closing, as_of, settings.basis))
        paid_on_held = Fraction(simple) - Fraction(h.accrued_dividends)
        holders.append(Holder(h.holder, h.series_m_shares, h.common_shares,
                              max(paid_on_held, Fraction(0))))
    if state.everyone_else is not None:
        holders.append(Holder(EVERYONE_ELSE, Fraction(0), state.everyone_else, Fraction(0)))
    issuances = tuple(IssuanceRow(i.date, i.common_outstanding, i.new_shares, i.consideration,
                                  i.exempt) for i in everything.issuances)
    conversions_to_first = sum(
        (e.common_issued for e in everything.applied if e.event.kind is EventKind.CONVERT
         and (not issuances or e.event.date <= issuances[0].date)), Fraction(0))
    if issuances:
        opening = issuances[0].common_outstanding - conversions_to_first
    else:
        opening = state.common_outstanding - sum(
            (e.common_issued for e in state.applied if e.event.kind is EventKind.CONVERT),
            Fraction(0))
    return CapTable(closing, as_of, tuple(holders), issuances, settings,
                    events=everything.applied, opening_common=opening)
