"""The ledger of events and its state at a date (core/ledger.py), against hand figures.

The worked example is docs/example-ledger.csv (the README's): Closing Date 2005-01-10; five
holders issued 3,500 + 2,500 + 1,850 + 1,000 + 250 = 9,100 Series M (§1); 100,000,000 common
outstanding at the closing, of which the named holders hold 1,200,000 + 500,000 + 125,000 =
1,825,000. Accrual in 30/360 (basis 0): from 2005-01-10 to 2006-06-30 is 360 + 5 × 30 + 20 =
530 days, so one share accrues $1,000 × 5% × 530/360 = $73.6111….
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from xl_seriesm.captable.events import read_events
from xl_seriesm.core.ledger import (
    Event,
    EventKind,
    LedgerError,
    Place,
    state_at,
)

EXAMPLE = ROOT / "docs" / "example-ledger.csv"
CLOSING = date(2005, 1, 10)
F = Fraction


@pytest.fixture(scope="module")
def events() -> tuple[Event, ...]:
    return read_events(EXAMPLE)


def test_the_issue_example_conversion_number_at_30_june_2006(events: tuple[Event, ...]) -> None:
    # §5(e)(i): 2005-09-30, 5,000,000 new shares for $750,000 ($0.15 < $0.25):
    # A = 100,000,000, B = 5,000,000, C = 750,000 / 0.25 = 3,000,000;
    # 4,000 × 105,000,000 / 103,000,000 = 4,000 × 105/103 = 420,000/103 = 4,077.67.
    # 2006-02-15 is exempt (employee options); 2006-08-01 is after the as-of date.
    state = state_at(events, date(2006, 6, 30))
    assert state.conversion_number == F(4000) * F(105, 103)
    assert round(float(state.conversion_number), 2) == 4077.67
    assert [i.date for i in state.issuances] == [date(2005, 9, 30), date(2006, 2, 15)]
    assert [e.date for e in state.pending] == [date(2006, 8, 1), date(2006, 9, 15)]


def test_state_at_30_june_2006_by_hand(events: tuple[Event, ...]) -> None:
    state = state_at(events, date(2006, 6, 30))
    # Series M: 9,100 less M. Rivera's 1,000 converted on 2006-04-03.
    assert state.series_m_outstanding == 8100
    # Rivera converts 1,000 × 420,000/103 = 4,077,669 93/103 common; with a market price the
    # fraction is paid in cash (§5(h)): 4,077,669 whole shares.
    # Common: 100,000,000 + 5,000,000 + 1,000,000 + 4,077,669 = 110,077,669.
    assert state.common_outstanding == 110_077_669
    assert state.everyone_else == 110_077_669 - (1_200_000 + 500_000 + 125_000 + 4_077_669)
    palm = state.holder("Palm Fund LP")
    # 3,500 × $73.6111… = $257,638.888…, less its share of the class dividend of 2005-04-10:
    # $113,750 (= 9,100 × $1,000 × 5% × 90/360) × 3,500/9,100 = $43,750: $213,888.89.
    assert palm.accrued_dividends == Decimal("213888.89")
    assert palm.dividends_paid == Decimal("43750.00")
    # Fallen due by the last payment date, 2006-04-10 (450 days): 3,500 × 50 × 450/360
    # = $218,750, less $43,750 paid: $175,000 in arrears.
    assert palm.dividends_in_arrears == Decimal("175000.00")
    # §4: 3,500 × 420,000/103 = 14,271,844.66 → 14,271,844 votes.
    assert palm.votes == 14_271_844
    forum = state.holder("Forum Partners")
    # Forum sold 500 of its 2,500 to J. Chen on 2006-03-01; the arrears go with the shares.
    # Its 2,000 shares: 2,000 × $73.6111… = $147,222.22 less 4/5 of its $31,250: $122,222.22.
    assert forum.series_m_shares == 2000
    assert forum.accrued_dividends == Decimal("122222.22")
    chen = state.holder("J. Chen")
    # 750 shares: 750 × $73.6111… = $55,208.33, less what was paid on them: its own $3,125
    # and 1/5 of Forum's $31,250 = $6,250: $45,833.33. Cash received is its own $3,125.
    assert chen.accrued_dividends == Decimal("45833.33")
    assert chen.dividends_paid == Decimal("3125.00")
    rivera = state.holder("M. Rivera")
    # §2: on conversion (2006-04-03, 443 days) the accrued dividends are paid in cash:
    # 1,000 × 50 × 443/360 = $61,527.78 less $12,500 paid = $49,027.78; total $61,527.78.
    assert rivera.series_m_shares == 0
    assert rivera.common_shares == 125_000 + 4_077_669
    assert rivera.dividends_paid == Decimal("61527.78")
    assert rivera.accrued_dividends == 0
    lakeside = state.holder("Lakeside Capital")
    # 1,850 × $73.6111… = $136,180.56 less $23,125 = $113,055.56.
    assert lakeside.accrued_dividends == Decimal("113055.56")
    # The stated 110,077,669 on 2006-06-30 reconciles.
    assert state.reconciled
    assert [r.stated for r in state.reconciliations] == [110_077_669]
    # Fully diluted: 110,077,669 + 8,100 × 420,000/103.
    assert state.fully_diluted_common == 110_077_669 + 8100 * F(420_000, 103)
    assert sum((h.fully_diluted_share for h in state.holders), F(0)) + (
        state.everyone_else / state.fully_diluted_common) == 1


def test_conversion_pays_cash_in_lieu(events: tuple[Event, ...]) -> None:
    state = state_at(events, date(2006, 6, 30))
    conversion = next(e for e in state.applied if e.event.kind is EventKind.CONVERT)
    # Fraction 93/103 of a share at $0.20 = $0.1806 → $0.18, with the $49,027.78 of dividends.
    assert conversion.common_issued == 4_077_669
    assert conversion.cash == Decimal("49027.96")


def test_redemption_price_and_later_issuance(events: tuple[Event, ...]) -> None:
    state = state_at(events, date(2006, 12, 31))
    # 2006-08-01: A = 110,077,669, B = 5,000,000, C = 500,000 / 0.25 = 2,000,000.
    assert state.conversion_number == F(420_000, 103) * F(115_077_669, 112_077_669)
    redemption = next(e for e in state.applied if e.event.kind is EventKind.REDEEM)
    # §6(a) 2006-09-15 (605 days): Lakeside's unpaid on 1,850 shares is 1,850 × 50 × 605/360
    # − 23,125 = 155,451.389 − 23,125 = 132,326.389; on 850 of them 850/1,850 of it:
    # 60,798.61; price 850 × 1,000 + 60,798.61 = $910,798.61.
    assert redemption.cash == Decimal("910798.61")
    assert state.holder("Lakeside Capital").series_m_shares == 1000


def _issue(day: date, holder: str, shares: int, line: int = 2) -> Event:
    return Event(day, EventKind.ISSUE, holder, series_m_shares=F(shares),
                 place=Place("t.csv", line))


BASE = (_issue(CLOSING, "A", 500), _issue(CLOSING, "B", 150))


@pytest.mark.parametrize(("event", "column", "section"), [
    # §5(a): no conversion before the first anniversary (2006-01-10).
    (Event(date(2006, 1, 9), EventKind.CONVERT, "A", series_m_shares=F(100)), "date", "§5(a)"),
    # §5(a): lots of 100, unless the whole holding.
    (Event(date(2006, 2, 1), EventKind.CONVERT, "A", series_m_shares=F(150)),
     "series_m_shares", "§5(a)"),
    # §1, §7: more than 9,100 Series M ever issued (650 + 8,451 = 9,101).
    (Event(CLOSING, EventKind.ISSUE, "C", series_m_shares=F(8451)), "series_m_shares",
     "§7, §1"),
    # §6(a): a redemption within 15 days of the Closing Date (earliest 2005-01-25).
    (Event(date(2005, 1, 24), EventKind.REDEEM, "A", series_m_shares=F(10)), "date", "§6(a)"),
    # §2: 650 shares accrue 650 × 50 × 90/360 = $8,125 by 2005-04-10; $8,125.01 is too much.
    (Event(date(2005, 4, 10), EventKind.DIVIDEND, amount=F("8125.01")), "amount", "§2"),
    # A holder going negative.
    (Event(date(2006, 2, 1), EventKind.TRANSFER, "B", "A", series_m_shares=F(151)),
     "series_m_shares", "§1"),
    # An event before the Closing Date.
    (Event(date(2005, 1, 9), EventKind.OUTSTANDING, common_shares=F(10)), "date", "§1"),
    # §5(e) needs A.
    (Event(date(2005, 3, 1), EventKind.COMMON, common_shares=F(10), amount=F(1)), "event",
     "§5(e)(i)"),
])
def test_refused_with_place_and_section(event: Event, column: str, section: str) -> None:
    bad = replace(event, place=Place("t.csv", 9))
    with pytest.raises(LedgerError) as caught:
        state_at((*BASE, bad), date(2007, 1, 1), CLOSING)
    assert str(caught.value).startswith(f"t.csv line 9, column {column}: ")
    assert str(caught.value).endswith(f"({section})")
    assert caught.value.section == section


def test_whole_holding_not_a_lot_converts() -> None:
    # §5(a) "in whole or in part": B's whole 150 converts, 150 × 4,000 = 600,000 common.
    ok = Event(date(2006, 2, 1), EventKind.CONVERT, "B", series_m_shares=F(150))
    state = state_at((*BASE, ok), date(2006, 2, 1))
    assert state.holder("B").common_shares == 600_000


def test_the_exact_dividend_accrued_is_allowed() -> None:
    exact = Event(date(2005, 4, 10), EventKind.DIVIDEND, amount=F(8125))
    state = state_at((*BASE, exact), date(2005, 4, 10))
    # Pro rata to unpaid: A 500/650 × 8,125 = 6,250; B 1,875.
    assert [h.dividends_paid for h in state.holders] == [Decimal("6250.00"),
                                                          Decimal("1875.00")]
    assert all(h.accrued_dividends == 0 for h in state.holders)


def test_split_multiplies_the_number_and_the_common() -> None:
    # §5(c): a 3-for-2 split: 4,000 × 3/2 = 6,000; 1,000,000 common become 1,500,000.
    events = (*BASE, Event(CLOSING, EventKind.OUTSTANDING, common_shares=F(1_000_000)),
              Event(date(2005, 6, 1), EventKind.SPLIT, ratio=(F(3), F(2))))
    state = state_at(events, date(2005, 6, 1))
    assert state.conversion_number == 6000
    assert state.common_outstanding == 1_500_000


def test_a_checkpoint_that_does_not_reconcile_fails() -> None:
    events = (*BASE, Event(CLOSING, EventKind.OUTSTANDING, common_shares=F(1_000_000)),
              Event(date(2005, 6, 1), EventKind.OUTSTANDING, common_shares=F(1_000_001)))
    state = state_at(events, date(2005, 6, 1))
    assert not state.reconciled
    assert (state.reconciliations[0].stated, state.reconciliations[0].computed) == (
        1_000_001, 1_000_000)


@settings(max_examples=40, deadline=None)
@given(as_of=st.dates(date(2005, 1, 10), date(2007, 12, 31)),
       later=st.integers(1, 400), shares=st.integers(1, 20))
def test_nothing_after_the_as_of_date_changes_a_figure(events: tuple[Event, ...],
                                                       as_of: date, later: int,
                                                       shares: int) -> None:
    """Adding events after the as-of date changes no figure at the as-of date."""
    before = state_at(events, as_of)
    extra = (Event(as_of + timedelta(days=later), EventKind.ISSUE, "New holder",
                   series_m_shares=F(shares)),
             Event(as_of + timedelta(days=later), EventKind.OUTSTANDING,
                   common_shares=F(1)))
    after = state_at((*events, *extra), as_of) if _valid(events, extra) else before
    assert after.holders == before.holders
    assert after.conversion_number == before.conversion_number
    assert after.common_outstanding == before.common_outstanding
    assert after.reconciliations == before.reconciliations


def _valid(events: tuple[Event, ...], extra: tuple[Event, ...]) -> bool:
    try:
        state_at((*events, *extra), max(e.date for e in (*events, *extra)))
    except LedgerError:
        return False
    return True


def test_example_is_the_readme_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert EXAMPLE.read_text(encoding="utf-8").strip() in readme
    assert Path(EXAMPLE).exists()


def test_common_counts_whole_and_fractional_come_out_as_fractions() -> None:
    # The replay keeps a whole common count as an int; what it hands back is a Fraction
    # either way. §5(c): a 3-for-2 split makes A's 1 common 3/2 and B's 2 common 3; A then
    # transfers 1 to B: A 1/2, B 4; 3/2 + 3 = 9/2 named in all, before and after.
    events = (*BASE,
              Event(CLOSING, EventKind.HOLDING, "A", common_shares=F(1)),
              Event(CLOSING, EventKind.HOLDING, "B", common_shares=F(2)),
              Event(date(2005, 6, 1), EventKind.SPLIT, ratio=(F(3), F(2))),
              Event(date(2005, 6, 2), EventKind.TRANSFER, "A", "B", common_shares=F(1)))
    state = state_at(events, date(2005, 6, 2))
    assert [(h.holder, h.common_shares) for h in state.holders] == [("A", F(1, 2)),
                                                                    ("B", F(4))]
    assert all(type(h.common_shares) is Fraction for h in state.holders)
    # A's 1/2 cannot give 1 more; the message shows the 1/2 as the user would type it.
    more = Event(date(2005, 6, 3), EventKind.TRANSFER, "A", "B", common_shares=F(1),
                 place=Place("t.csv", 7))
    with pytest.raises(LedgerError, match=r"A holds 0\.5 common on 2005-06-03, fewer than "
                                          r"the 1 transferred"):
        state_at((*events, more), date(2005, 6, 3))


@settings(max_examples=60, deadline=None)
@given(shares=st.integers(1, 10**7), cents=st.integers(1, 10**9))
@example(shares=1000, cents=25_000)  # exactly $0.25 a share: not less, nothing adjusts
@example(shares=1000, cents=24_999)  # a hundredth of a cent a share less: adjusts
def test_an_issuance_adjusts_only_below_the_threshold(shares: int, cents: int) -> None:
    # §5(e)(i) adjusts for common issued "for a consideration per share less than" $0.25:
    # `cents` cents for `shares` shares is below it exactly when cents/100 < shares/4, i.e.
    # 4 × cents < 100 × shares; then N = 4,000 × (A + B) / (A + C), C = consideration / 0.25
    # (A = 1,000,000 stated, B = shares).
    events = (*BASE, Event(CLOSING, EventKind.OUTSTANDING, common_shares=F(1_000_000)),
              Event(date(2005, 3, 1), EventKind.COMMON, "A", common_shares=F(shares),
                    amount=F(cents, 100)))
    state = state_at(events, date(2005, 3, 1))
    if 4 * cents < 100 * shares:
        c = F(cents, 100) / F(1, 4)
        assert state.conversion_number == F(4000) * (1_000_000 + shares) / (1_000_000 + c)
    else:
        assert state.conversion_number == 4000
    assert state.common_outstanding == 1_000_000 + shares


def test_the_ledger_accrues_on_the_payment_schedule_it_is_given(tmp_path: Path) -> None:
    # Terms(schedule=quarter ends, basis 1, actual days): 1,000 Series M issued at the
    # Closing Date, 10 January 2005. The first dividend period runs from 31 December 2004
    # to 31 March 2005 (90 days), of which the 80 from the Closing Date accrue; the next to
    # 30 June (91 days), 45 of them passed on 15 May. Accrued: 1,000 × $12.50 × (80/90 +
    # 45/91) = 12,500 × 1133/819 = $17,292.43 (§2, per period, half up), of which the
    # 31 March payment, 12,500 × 8/9 = $11,111.11, is in arrears. The schedule from the
    # Closing Date would accrue 12,500 × (1 + 35/91) = $17,307.69: the ledger used that
    # one whatever its schedule, against SERIESM_ACCRUED's.
    from xl_seriesm.core.daycount import Basis  # noqa: PLC0415
    from xl_seriesm.core.dividends import PaymentSchedule  # noqa: PLC0415
    from xl_seriesm.core.ledger import Terms  # noqa: PLC0415

    path = tmp_path / "ledger.csv"
    path.write_text("date,event,holder,series_m_shares\n2005-01-10,issue,Fund,1000\n",
                    encoding="utf-8")
    state = state_at(read_events(path), date(2005, 5, 15), None,
                     Terms(basis=Basis.ACTUAL_ACTUAL, schedule=PaymentSchedule.QUARTER_ENDS))
    (fund,) = state.holders
    assert fund.accrued_dividends == Decimal("17292.43")
    assert fund.dividends_in_arrears == Decimal("11111.11")
