"""A template's cap table from a ledger of events, as of a date.

The Holders sheet takes each holder's Series M and common at the as-of date. Its dividend
formula accrues on the shares held now from their "Accrues from" date (the issue of the
holder's shares, whoever held them since; the Closing Date for the first issue), less the
"Dividends paid": the cash paid on the shares the holder holds now (to it, or to whoever held
them before a transfer). Nothing there is a payment that never happened. A holder whose
shares come from issues of different days cannot be shown yet (refused, naming it).
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
                         settings.votes_before_anniversary,
                         threshold_after_split=settings.threshold_after_split,
                         dividend_allocation=settings.dividend_allocation)
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
        start = h.accrues_from
        if start is None:
            raise InputError(f"{h.holder}: its Series M began accruing on different days "
                             "(shares of more than one issue); the template cannot show that "
                             "yet (one 'Accrues from' date a holder); `seriesm captable` "
                             "computes it (§2)")
        # Accrued from the shares' issue, less the cash paid on them: the cash is what the
        # gross from the issue, rounded once, leaves above the ledger's accrued.
        gross = (gross_accrual(h.series_m_shares, closing, as_of, settings.basis)
                 - gross_accrual(h.series_m_shares, closing, start, settings.basis))
        paid_on_held = Fraction(round_cents(gross)) - Fraction(h.accrued_dividends)
        holders.append(Holder(h.holder, h.series_m_shares, h.common_shares,
                              max(paid_on_held, Fraction(0)),
                              start if start > closing else None))
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
