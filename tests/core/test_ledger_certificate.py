"""The ledger obeys the whole certificate: §7 no reissue, business-day Conversion Dates,
redemption notices, revocations, elections, and the readings that are settings.

Every expected figure is worked by hand from the certificate in the comment beside it.
Accrual is 30/360 (basis 0) from a Closing Date of 2005-01-10 unless said otherwise; one
share accrues $1,000 × 5% = $50 a year, so $50 × days/360.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import strategies
from xl_seriesm.core.ledger import (
    DEFAULT_TERMS,
    DividendAllocation,
    Event,
    EventKind,
    LedgerError,
    Place,
    Terms,
    ThresholdAfterSplit,
    state_at,
)

F = Fraction
CLOSING = date(2005, 1, 10)


def _issue(day: date, holder: str, shares: int) -> Event:
    return Event(day, EventKind.ISSUE, holder, series_m_shares=F(shares))


def _refused(events: list[Event], as_of: date, terms: Terms = DEFAULT_TERMS) -> LedgerError:
    with pytest.raises(LedgerError) as caught:
        state_at(events, as_of, ledger_terms=terms)
    return caught.value


# §7 -------------------------------------------------------------------------------------
def test_redeemed_series_m_is_not_reissued() -> None:
    # §1: 9,100 shares constitute the Series M; §7: shares redeemed "shall not be reissuable
    # ... as Series M Preferred Stock". 9,100 issued, 100 redeemed on 2005-02-10 (after the
    # earliest redemption date 2005-01-25), 100 issued again on 2005-03-01: 9,200 ever issued.
    events = [_issue(CLOSING, "A", 9100),
              Event(date(2005, 2, 10), EventKind.REDEEM, "A", series_m_shares=F(100)),
              Event(date(2005, 3, 1), EventKind.ISSUE, "B", series_m_shares=F(100),
                    place=Place("l.csv", 4))]
    error = _refused(events, date(2005, 3, 1))
    assert str(error).startswith("l.csv line 4, column series_m_shares: issuing 100 makes "
                                 "9200 Series M ever issued, of which 100 redeemed or "
                                 "converted and not reissuable")
    assert error.section == "§7, §1"


def test_converted_series_m_is_not_reissued() -> None:
    # The same after a conversion on Wednesday 2006-02-01 (after the anniversary 2006-01-10).
    events = [_issue(CLOSING, "A", 9100),
              Event(date(2006, 2, 1), EventKind.CONVERT, "A", series_m_shares=F(100)),
              Event(date(2006, 3, 1), EventKind.ISSUE, "B", series_m_shares=F(100))]
    assert _refused(events, date(2006, 3, 1)).section == "§7, §1"
    # Up to 9,100 ever issued is allowed, the issue dates apart.
    state = state_at([_issue(CLOSING, "A", 9000), _issue(date(2005, 3, 1), "B", 100)],
                     date(2005, 3, 1))
    assert state.series_m_issued == 9100


# §5(f) business days ----------------------------------------------------------------------
def test_a_conversion_on_a_saturday_is_refused_naming_the_conversion_date() -> None:
    # Saturday 2006-01-14: banks closed. A notice received that day counts on the next
    # business day (§5(f), SERIESM_CONVDATE): Sunday 15th closed, Monday 16th is Martin Luther
    # King Jr. Day (third Monday of January, a Federal Reserve holiday), so Tuesday 17th.
    events = [_issue(CLOSING, "A", 500),
              Event(date(2006, 1, 14), EventKind.CONVERT, "A", series_m_shares=F(100),
                    place=Place("l.csv", 3))]
    error = _refused(events, date(2006, 2, 1))
    assert str(error).startswith("l.csv line 3, column date: Saturday 14 Jan 2006 is not a "
                                 "business day")
    assert "Conversion Date Tuesday 17 Jan 2006 (SERIESM_CONVDATE)" in str(error)
    assert error.section == "§5(f)"


def test_the_users_closures_and_openings_decide_the_business_day() -> None:
    convert = Event(date(2006, 2, 1), EventKind.CONVERT, "A", series_m_shares=F(100))
    events = [_issue(CLOSING, "A", 500), convert]
    # Wednesday 2006-02-01 closed by the user (a hurricane): the next day, Thursday 2nd.
    error = _refused(events, date(2006, 2, 2), Terms(closures=frozenset({convert.date})))
    assert "Conversion Date Thursday 2 Feb 2006" in str(error)
    # Saturday 2006-01-14 opened by the user: the conversion stands; dividends accrue to it
    # (§2): 100 × $50 × 364/360 (2005-01-10 to 2006-01-14 is 360 + 4 days) = $5,055.56.
    saturday = Event(date(2006, 1, 14), EventKind.CONVERT, "A", series_m_shares=F(100))
    state = state_at([_issue(CLOSING, "A", 500), saturday], date(2006, 1, 14),
                     ledger_terms=Terms(openings=frozenset({saturday.date})))
    assert state.applied[-1].cash == Decimal("5055.56")
    assert state.holder("A").series_m_shares == 400


# §5(e) after a split ----------------------------------------------------------------------
SPLIT_LEDGER = [
    _issue(CLOSING, "A", 100),
    Event(CLOSING, EventKind.OUTSTANDING, common_shares=F(1_000_000)),
    # $20,000 for 100,000 common: $0.20 a share, below $0.25.
    Event(date(2005, 3, 1), EventKind.COMMON, common_shares=F(100_000), amount=F(20_000)),
    # 2-for-1 (§5(c)).
    Event(date(2005, 5, 2), EventKind.SPLIT, ratio=(F(2), F(1))),
]


@pytest.mark.parametrize("reading", list(ThresholdAfterSplit))
def test_a_sale_before_a_split_counts_under_both_readings(reading: ThresholdAfterSplit) -> None:
    # §5(e)(i) on 2005-03-01: A = 1,000,000, B = 100,000, C = $20,000 / $0.25 = 80,000;
    # 4,000 × 1,100,000 / 1,080,000 = 4,000 × 55/54; §5(c) 2-for-1: × 2 = 220,000/27.
    state = state_at(SPLIT_LEDGER, date(2005, 7, 1),
                     ledger_terms=Terms(threshold_after_split=reading))
    assert state.conversion_number == F(220_000, 27)
    # Scaled, the threshold is $0.25 × 1/2 = $0.125 from the split's date on.
    assert state.threshold_price == (F(1, 8) if reading is ThresholdAfterSplit.SCALED
                                     else F(1, 4))


def test_one_figure_for_the_whole_ledger_loses_the_pre_split_sale() -> None:
    # The old workaround, threshold_price $0.125 for the whole ledger: $0.20 is not below it,
    # so no adjustment, and the split alone gives 4,000 × 2 = 8,000.
    state = state_at(SPLIT_LEDGER, date(2005, 7, 1),
                     ledger_terms=Terms(threshold_price=F(1, 8)))
    assert state.conversion_number == 8000


def test_after_the_split_the_scaled_threshold_is_trigger_and_divisor() -> None:
    events = [*SPLIT_LEDGER,
              # $30,000 for 200,000: $0.15, below $0.25 but not below $0.125.
              Event(date(2005, 6, 1), EventKind.COMMON, common_shares=F(200_000),
                    amount=F(30_000)),
              # $10,000 for 100,000: $0.10, below both.
              Event(date(2005, 6, 15), EventKind.COMMON, common_shares=F(100_000),
                    amount=F(10_000))]
    # Common after the split: 1,100,000 × 2 = 2,200,000.
    # Literal: 06-01 A = 2,200,000, B = 200,000, C = 30,000/0.25 = 120,000: × 2,400,000/
    # 2,320,000 = 30/29; 06-15 A = 2,400,000, B = 100,000, C = 10,000/0.25 = 40,000:
    # × 2,500,000/2,440,000 = 125/122.
    literal = state_at(events, date(2005, 7, 1))
    assert literal.conversion_number == F(220_000, 27) * F(30, 29) * F(125, 122)
    # Scaled ($0.125): 06-01 unchanged; 06-15 C = 10,000/0.125 = 80,000: × 2,500,000/
    # 2,480,000 = 125/124.
    scaled = state_at(events, date(2005, 7, 1),
                      ledger_terms=Terms(threshold_after_split=ThresholdAfterSplit.SCALED))
    assert scaled.conversion_number == F(220_000, 27) * F(125, 124)
    assert [i.threshold_price for i in scaled.issuances] == [F(1, 4), F(1, 8), F(1, 8)]


# Accrual from the issue date ------------------------------------------------------------
def test_a_later_issue_accrues_from_its_date_and_was_paid_nothing() -> None:
    # A 100 from the Closing Date; B 100 issued 2005-07-10; A transfers 50 to C on
    # 2005-10-10; no dividend ever paid. At 2006-06-30:
    events = [_issue(CLOSING, "A", 100), _issue(date(2005, 7, 10), "B", 100),
              Event(date(2005, 10, 10), EventKind.TRANSFER, "A", "C", series_m_shares=F(50))]
    state = state_at(events, date(2006, 6, 30))
    b = state.holder("B")
    # B: three full quarters (07-10 to 04-10) at 1.25% of $100,000 = $3,750, then 04-10 to
    # 06-30 = 80 days: $5,000 × 80/360 = $1,111.11; $4,861.11 (= $5,000 × 350/360).
    assert (b.dividends_paid, b.accrued_dividends) == (Decimal("0.00"), Decimal("4861.11"))
    # In arrears: what fell due by 2006-04-10, the three quarters: $3,750.
    assert b.dividends_in_arrears == Decimal("3750.00")
    # A and C: 50 shares each from the Closing Date (C's came with their arrears):
    # $2,500 × 530/360 = $3,680.56 each.
    assert state.holder("A").accrued_dividends == Decimal("3680.56")
    assert state.holder("C").accrued_dividends == Decimal("3680.56")
    # Each holder's shares began accruing on their issue: C's came from A's Closing Date lot.
    assert [h.accrues_from for h in state.holders] == [CLOSING, date(2005, 7, 10), CLOSING]
    # B buying 10 of A's lot mixes two starts: no single day.
    mixed = state_at([*events, Event(date(2005, 11, 1), EventKind.TRANSFER, "A", "B",
                                     series_m_shares=F(10))], date(2006, 6, 30))
    assert mixed.holder("B").accrues_from is None


# Class dividends ------------------------------------------------------------------------
CLASS_DIVIDEND = [_issue(CLOSING, "A", 100), _issue(date(2005, 4, 10), "B", 100),
                  Event(date(2005, 7, 10), EventKind.DIVIDEND, amount=F(1250))]


def test_a_class_dividend_pro_rata_to_unpaid() -> None:
    # At 2005-07-10 A owes two quarters, $1,250 + $1,250 = $2,500; B one, $1,250.
    # $1,250 × 2,500/3,750 = $833.33 1/3 and × 1,250/3,750 = $416.66 2/3: in cents 833.33
    # and 416.67 (the larger remainder takes the last cent).
    state = state_at(CLASS_DIVIDEND, date(2005, 7, 10))
    assert [h.dividends_paid for h in state.holders] == [Decimal("833.33"), Decimal("416.67")]


def test_a_class_dividend_oldest_period_first() -> None:
    # The first quarter (2005-01-10 to 04-10) is owed only to A: $1,250 pays it whole; B's
    # quarter is unpaid. Both then owe $1,250, all of it fallen due on 2005-07-10.
    state = state_at(CLASS_DIVIDEND, date(2005, 7, 10), ledger_terms=Terms(
        dividend_allocation=DividendAllocation.OLDEST_FIRST))
    a, b = state.holders
    assert (a.dividends_paid, b.dividends_paid) == (Decimal("1250.00"), Decimal("0.00"))
    assert (a.accrued_dividends, b.accrued_dividends) == (Decimal("1250.00"),
                                                          Decimal("1250.00"))
    assert (a.dividends_in_arrears, b.dividends_in_arrears) == (Decimal("1250.00"),
                                                                Decimal("1250.00"))


def test_oldest_period_first_shares_a_period_pro_rata() -> None:
    # $1,875 on 2005-07-10: the first quarter $1,250 to A, then $625 of the second quarter
    # (A $1,250, B $1,250 owed) half each: A $1,562.50, B $312.50.
    events = [*CLASS_DIVIDEND[:2], Event(date(2005, 7, 10), EventKind.DIVIDEND,
                                         amount=F(1875))]
    state = state_at(events, date(2005, 7, 10), ledger_terms=Terms(
        dividend_allocation=DividendAllocation.OLDEST_FIRST))
    assert [h.dividends_paid for h in state.holders] == [Decimal("1562.50"),
                                                          Decimal("312.50")]


# §6(a) Notice of Optional Redemption ------------------------------------------------------
NOTICE = [_issue(CLOSING, "A", 500),
          # Received 2006-03-01, calling 200 of A's 500: A may convert them until 03-11.
          Event(date(2006, 3, 1), EventKind.REDEMPTION_NOTICE, "A", series_m_shares=F(200))]


def test_called_shares_convert_within_ten_days_of_the_notice() -> None:
    # Friday 2006-03-10, within the ten days: all 500 may convert (a whole holding).
    ok = state_at([*NOTICE, Event(date(2006, 3, 10), EventKind.CONVERT, "A",
                                  series_m_shares=F(500))], date(2006, 3, 10))
    assert ok.holder("A").common_shares == 500 * 4000


def test_called_shares_do_not_convert_after_ten_days() -> None:
    # Monday 2006-03-13, twelve days after: only the 300 not called may convert.
    late = Event(date(2006, 3, 13), EventKind.CONVERT, "A", series_m_shares=F(400),
                 place=Place("l.csv", 5))
    error = _refused([*NOTICE, late], date(2006, 3, 31))
    assert str(error).startswith("l.csv line 5, column series_m_shares: A converts 400 "
                                 "Series M on 2006-03-13, but 200 of its 500 are called")
    assert "convertible only until 2006-03-11; 300 may be converted" in str(error)
    assert error.section == "§6(a)"
    fine = Event(date(2006, 3, 13), EventKind.CONVERT, "A", series_m_shares=F(300))
    redeem = Event(date(2006, 3, 20), EventKind.REDEEM, "A", series_m_shares=F(200))
    state = state_at([*NOTICE, fine, redeem], date(2006, 3, 31))
    assert state.holder("A").series_m_shares == 0


def test_a_notice_calls_only_shares_held() -> None:
    too_many = Event(date(2006, 3, 1), EventKind.REDEMPTION_NOTICE, "A",
                     series_m_shares=F(501))
    assert _refused([_issue(CLOSING, "A", 500), too_many], date(2006, 3, 1)).section == "§6(a)"


# §5(f) revocation ------------------------------------------------------------------------
# A converts 100 on Wednesday 2006-02-01. Ten business days after: Feb 2, 3, 6, 7, 8, 9, 10,
# 13, 14, 15 (no holiday; Presidents Day is 20 Feb): the deadline is 2006-02-15.
REVOCABLE = [_issue(CLOSING, "A", 500),
             Event(date(2006, 2, 1), EventKind.CONVERT, "A", series_m_shares=F(100))]


def test_no_revocation_before_the_delivery_deadline_has_passed() -> None:
    early = Event(date(2006, 2, 15), EventKind.REVOKE, "A")
    error = _refused([*REVOCABLE, early], date(2006, 3, 1))
    assert "only after the delivery deadline 2006-02-15" in str(error)
    assert error.section == "§5(f)"


def test_a_revocation_returns_both_parties_to_their_positions() -> None:
    # On 2006-02-16 the deadline has passed undelivered. The conversion had paid 100 × $50 ×
    # 381/360 = $5,291.67 (2005-01-10 to 2006-02-01 is 360 + 21 days) and issued 400,000
    # common; both go back, and the 100 shares accrue as if never converted.
    revoke = Event(date(2006, 2, 16), EventKind.REVOKE, "A")
    state = state_at([*REVOCABLE, revoke], date(2006, 6, 30))
    undone = state.applied[-1]
    assert (undone.common_issued, undone.cash) == (-400_000, Decimal("-5291.67"))
    a = state.holder("A")
    # 500 × $50 × 530/360 = $36,805.56 accrued at 2006-06-30, nothing paid, no common.
    assert (a.series_m_shares, a.common_shares) == (500, 0)
    assert (a.accrued_dividends, a.dividends_paid) == (Decimal("36805.56"), Decimal("0.00"))
    # Every holder figure is the ledger's without the conversion.
    assert state.holders == state_at(REVOCABLE[:1], date(2006, 6, 30)).holders


# §3(c) elections ---------------------------------------------------------------------------
def test_holders_of_half_the_series_m_elect_a_liquidation() -> None:
    # Effective 2006-07-15: elections due three days before, by 2006-07-12. A's 500 of the
    # 650 outstanding elect: 76.9% ≥ 50%, treated as a liquidation.
    events = [_issue(CLOSING, "A", 500), _issue(CLOSING, "B", 150),
              Event(date(2006, 7, 10), EventKind.ELECTION, "A",
                    effective_date=date(2006, 7, 15))]
    (election,) = state_at(events, date(2006, 7, 15)).elections
    assert (election.electing_shares, election.outstanding_shares) == (500, 650)
    assert election.treated_as_liquidation
    # B's 150 alone: 150/650 = 23.1%, not a liquidation.
    only_b = [*events[:2], Event(date(2006, 7, 12), EventKind.ELECTION, "B",
                                 effective_date=date(2006, 7, 15))]
    assert not state_at(only_b, date(2006, 7, 15)).elections[0].treated_as_liquidation


def test_a_late_election_is_refused() -> None:
    late = Event(date(2006, 7, 13), EventKind.ELECTION, "A", effective_date=date(2006, 7, 15))
    error = _refused([_issue(CLOSING, "A", 500), late], date(2006, 7, 15))
    assert "due three days before, by 2006-07-12" in str(error)
    assert error.section == "§3(c)"


# §4 votes ------------------------------------------------------------------------------------
def test_votes_are_the_series_m_and_voting_power_adds_the_common() -> None:
    # 100 Series M at 4,000: 400,000 votes (§4); with 1,000 common held, 401,000 in all.
    events = [_issue(CLOSING, "A", 100), Event(CLOSING, EventKind.OUTSTANDING,
                                               common_shares=F(10_000)),
              Event(CLOSING, EventKind.HOLDING, "A", common_shares=F(1000))]
    a = state_at(events, date(2006, 6, 30)).holder("A")
    assert (a.votes, a.voting_power) == (400_000, 401_000)


# The Python API refuses, never crashes ----------------------------------------------------
@pytest.mark.parametrize(("bad", "column"), [
    # A zero-share redemption by a holder who holds nothing (was an AssertionError).
    (Event(date(2005, 3, 1), EventKind.REDEEM, "Nobody"), "series_m_shares"),
    # A zero dividend to an unknown holder (was a KeyError).
    (Event(date(2005, 3, 1), EventKind.DIVIDEND, "Nobody"), "amount"),
    # A dividend to an unknown holder, who has accrued $0.00.
    (Event(date(2005, 3, 1), EventKind.DIVIDEND, "Nobody", amount=F(10)), "amount"),
    # A split with a zero ratio.
    (Event(date(2005, 3, 1), EventKind.SPLIT, ratio=(F(0), F(1))), "ratio"),
])
def test_bad_events_are_refused_naming_index_date_and_kind(bad: Event, column: str) -> None:
    error = _refused([_issue(CLOSING, "A", 100), bad], date(2005, 3, 1))
    assert str(error).startswith(f"ledger event 1 ({bad.kind.value} of 2005-03-01), "
                                 f"column {column}: ")


@settings(max_examples=300, deadline=None)
@given(events=strategies.ledger_events(),
       as_of=strategies.dates.filter(lambda d: d >= CLOSING))
def test_random_ledgers_give_a_state_or_a_ledger_error(events: list[Event],
                                                       as_of: date) -> None:
    """Whatever the events, the answer is a state or a LedgerError, never another
    exception."""
    for terms in (Terms(), Terms(dividend_allocation=DividendAllocation.OLDEST_FIRST,
                                 threshold_after_split=ThresholdAfterSplit.SCALED)):
        try:
            state = state_at(events, as_of, ledger_terms=terms)
        except LedgerError:
            continue
        assert state.series_m_issued <= 9100
        assert all(h.series_m_shares >= 0 and h.accrued_dividends >= 0
                   for h in state.holders)


@settings(max_examples=300, deadline=None)
@given(events=strategies.plausible_ledger_events(),
       as_of=st.dates(date(2006, 6, 1), date(2008, 1, 1)))
def test_well_formed_events_keep_the_books_whole(events: list[Event], as_of: date) -> None:
    """Events well formed on their own: a state whose holders add up to the class, or a
    LedgerError; both readings of class dividends."""
    for terms in (Terms(), Terms(dividend_allocation=DividendAllocation.OLDEST_FIRST)):
        try:
            state = state_at(events, as_of, ledger_terms=terms)
        except LedgerError:
            continue
        assert sum((h.series_m_shares for h in state.holders), F(0)) == (
            state.series_m_outstanding)
        assert state.series_m_outstanding <= state.series_m_issued <= 9100
        for h in state.holders:
            assert 0 <= h.dividends_in_arrears <= h.accrued_dividends
