"""§2 dividends, worked by hand: 5% a year on the $1,000 Stated Value ($50 a share)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given

from tests import strategies
from xl_seriesm.core.daycount import Basis
from xl_seriesm.core.dividends import (
    Accrual,
    PaymentSchedule,
    accrued_dividends,
    dividend_schedule,
    gross_accrual,
    parse_accrual,
    parse_schedule,
    payment_dates,
)
from xl_seriesm.core.errors import SeriesMError

D = date


@pytest.mark.parametrize(("shares", "start", "end", "paid", "basis", "expected", "working"), [
    (9100, D(2005, 1, 10), D(2005, 4, 10), 0, 0, "113750.00",
     "90/360 × 9,100 × $50 = $113,750"),
    (1, D(2005, 1, 10), D(2006, 1, 10), 0, 0, "50.00", "one year × $50"),
    (100, D(2005, 1, 31), D(2005, 3, 31), 0, 0, "833.33",
     "31st to 31st: 60/360 × $5,000 = $833.333…"),
    (100, D(2005, 2, 28), D(2005, 5, 28), 0, 0, "1222.22",
     "YEARFRAC basis 0 counts February's last day as the 30th: 88/360 × $5,000 = $1,222.22 "
     "(DAYS360 would give 90 days, $1,250)"),
    (250, D(2005, 1, 10), D(2005, 3, 1), 0, 3, "1712.33",
     "actual/365: 50 days × $12,500 / 365 = $1,712.3287…"),
    (1000, D(2005, 1, 10), D(2005, 7, 10), 0, 2, "25138.89",
     "actual/360: 181 days × $50,000 / 360 = $25,138.888…"),
    (1000, D(2005, 1, 10), D(2005, 7, 10), 0, 1, "24794.52",
     "actual/actual in 2005: 181/365 × $50,000 = $24,794.520…"),
    (1000, D(2004, 1, 10), D(2004, 7, 10), 0, 1, "24863.39",
     "actual/actual in leap 2004: 182/366 × $50,000 = $24,863.387…"),
    (100, D(2005, 2, 28), D(2005, 3, 31), 0, 4, "444.44",
     "European 30/360: 28 Feb to 30 Mar is 32 days: 32/360 × $5,000 = $444.444…"),
    (100, D(2005, 1, 10), D(2006, 1, 10), 1250, 0, "3750.00", "$5,000 less $1,250 paid"),
    (100, D(2005, 1, 31), D(2005, 3, 31), "833.33", 0, "0.00",
     "paying the accrual rounded to the cent leaves nothing, not -$0.01"),
    (Fraction(1, 3), D(2005, 1, 10), D(2006, 1, 10), 0, 0, "16.67",
     "a third of a share (fractional shares, §1): $50/3 = $16.666…"),
    (9100, D(2005, 1, 10), D(2005, 1, 10), 0, 0, "0.00", "nothing accrues on the Closing Date"),
])
def test_accrued_from_closing_by_hand(shares: object, start: date, end: date, paid: object,
                                      basis: int, expected: str, working: str) -> None:
    """The "from closing" reading: one Excel YEARFRAC from the Closing Date (§2)."""
    result = accrued_dividends(Fraction(shares), start, end, Fraction(paid), Basis(basis),
                               Accrual.FROM_CLOSING)
    assert result == Decimal(expected), working


@pytest.mark.parametrize(("shares", "start", "end", "basis", "schedule", "expected", "working"), [
    (100, D(2007, 2, 28), D(2008, 2, 28), 0, "from closing", "5000.00",
     "§2 'the annual rate of five percent ... payable quarterly': four full quarters to 28 May, "
     "28 Aug, 28 Nov 2007 and 28 Feb 2008, each Q = 100 × $1,000 × 5% ÷ 4 = $1,250: $5,000.00 "
     "(from closing: YEARFRAC counts 28 Feb 2007 as the 30th and 28 Feb 2008 as the 28th, "
     "358/360 × $5,000 = $4,972.22)"),
    (100, D(2005, 2, 28), D(2005, 5, 27), 0, "from closing", "1235.80",
     "the first period runs 28 Feb to 28 May 2005, dc = 88 (28 Feb counts as the 30th); 87 of "
     "those days have passed: $1,250 × 87/88 = $1,235.795…"),
    (250, D(2005, 1, 10), D(2005, 3, 1), 3, "from closing", "1736.11",
     "actual days inside the period: 10 Jan to 10 Apr is 90 days, 50 of them passed; "
     "Q = 250 × $12.50 = $3,125 × 50/90 = $1,736.111…"),
    (1000, D(2004, 1, 10), D(2004, 7, 10), 1, "from closing", "25000.00",
     "two full periods (10 Apr, 10 Jul 2004): 2 × 1,000 × $12.50; the basis matters only inside "
     "a period (from closing: 182/366 × $50,000 = $24,863.39)"),
    (1000, D(2005, 1, 10), D(2005, 7, 10), 2, "from closing", "25000.00",
     "two full periods; actual/360 from closing would pay 181/360 × $50,000 = $25,138.89"),
    (100, D(2005, 1, 31), D(2005, 3, 31), 0, "from closing", "833.33",
     "the period runs 31 Jan to 30 Apr: dc = 90 (31st as the 30th); 60 days passed: "
     "$1,250 × 60/90 = $833.333…"),
    (100, D(2005, 1, 10), D(2005, 5, 25), 0, "from closing", "1875.00",
     "one full period to 10 Apr, then 45 of the 90 days to 10 Jul: $1,250 × 1.5"),
    (100, D(2005, 1, 10), D(2005, 2, 10), 0, "quarter ends", "416.67",
     "the short first period of the quarter-end schedule runs 31 Dec 2004 to 31 Mar 2005 "
     "(dc 90); from the Closing Date 10 Jan to 10 Feb is 30 days: $1,250 × 30/90 = $416.666…"),
    (100, D(2005, 1, 10), D(2005, 12, 31), 0, "quarter ends", "4875.00",
     "first period 10 Jan to 31 Mar: dc(10 Jan, 31 Mar) = 81 of dc(31 Dec, 31 Mar) = 90, then "
     "three full quarters: $1,250 × (0.9 + 3)"),
    (9100, D(2005, 1, 10), D(2005, 1, 10), 0, "from closing", "0.00",
     "nothing accrues on the Closing Date"),
])
def test_accrued_per_period_by_hand(shares: int, start: date, end: date, basis: int,
                                    schedule: str, expected: str, working: str) -> None:
    """The default reading, "per period": each full dividend period accrues exactly Q."""
    result = accrued_dividends(Fraction(shares), start, end, Fraction(0), Basis(basis),
                               schedule=parse_schedule(schedule))
    assert result == Decimal(expected), working


def test_a_full_quarter_is_exactly_a_quarter_of_the_annual_dividend_in_every_basis() -> None:
    # §2: whatever the basis, 10 Jan to 10 Apr 2005 is one full period: 9,100 × $12.50.
    for basis in Basis:
        assert accrued_dividends(Fraction(9100), D(2005, 1, 10), D(2005, 4, 10),
                                 basis=basis) == Decimal("113750.00")


def test_parse_accrual() -> None:
    assert parse_accrual("Per Period") is Accrual.PER_PERIOD
    assert parse_accrual("from-closing") is Accrual.FROM_CLOSING
    with pytest.raises(SeriesMError, match='accrual = "daily": unknown; use one of'):
        parse_accrual("daily")


@given(strategies.series_m_shares, strategies.dates, strategies.dates)
def test_per_period_accrual_after_k_periods_is_k_quarters(shares: Fraction, a: date,
                                                          b: date) -> None:
    # At each payment date of the default schedule, the accrual is exactly k × Q (§2).
    a, b = sorted((a, b))
    for k, due in enumerate(payment_dates(a, b), start=1):
        assert gross_accrual(shares, a, due) == shares * 50 * Fraction(k, 4)


def test_paying_more_than_accrued_is_an_error() -> None:
    # 60/360 × $5,000 = $833.33 when rounded; $833.34 is a cent too much.
    with pytest.raises(SeriesMError) as caught:
        accrued_dividends(Fraction(100), D(2005, 1, 31), D(2005, 3, 31), Fraction("833.34"))
    assert caught.value.code == "#NUM!"
    assert caught.value.message == ("dividends_paid = 833.34: more than the 833.33 accrued "
                                    "(§2); must be at most that.")


@pytest.mark.parametrize(("args", "start_of_message"), [
    ((Fraction(-1), D(2005, 1, 10), D(2006, 1, 10)), "shares = -1: must be 0 or more"),
    ((Fraction(9101), D(2005, 1, 10), D(2006, 1, 10)),
     "shares = 9101: more than the 9,100 Series M shares designated (§1)"),
    ((Fraction(1), D(2006, 1, 10), D(2005, 1, 10)),
     "as_of_date = 2005-01-10: before closing_date = 2006-01-10"),
    ((Fraction(1), D(2005, 1, 10), D(2006, 1, 10), Fraction(-5)),
     "dividends_paid = -5: must be 0 or more"),
])
def test_bad_input(args: tuple[object, ...], start_of_message: str) -> None:
    with pytest.raises(SeriesMError) as caught:
        accrued_dividends(*args)  # type: ignore[arg-type]
    assert caught.value.message.startswith(start_of_message)


@given(strategies.series_m_shares, strategies.plain_dates, strategies.plain_dates,
       strategies.plain_dates)
def test_accrual_is_additive_over_adjacent_periods_in_30_360(
        shares: Fraction, a: date, b: date, c: date) -> None:
    # Exact accruals add up across adjacent periods (days of the month up to the 27th, where
    # no end-of-month rule applies; test_daycount shows why month ends are excluded).
    a, b, c = sorted((a, b, c))
    assert gross_accrual(shares, a, b) + gross_accrual(shares, b, c) == gross_accrual(shares, a, c)


@given(strategies.series_m_shares, strategies.dates, strategies.dates)
def test_accrual_never_negative_and_grows_with_time(shares: Fraction, a: date, b: date) -> None:
    a, b = sorted((a, b))
    for basis in Basis:
        assert gross_accrual(shares, a, a, basis) == 0
        assert gross_accrual(shares, a, b, basis) >= 0


def test_payment_dates_from_closing_follow_edate_from_the_closing_date() -> None:
    # 31 January: 30 April, then 31 July (EDATE from the Closing Date, not from 30 April).
    assert payment_dates(D(2005, 1, 31), D(2006, 1, 31)) == [
        D(2005, 4, 30), D(2005, 7, 31), D(2005, 10, 31), D(2006, 1, 31)]


def test_payment_dates_at_quarter_ends_skip_a_closing_on_a_quarter_end() -> None:
    assert payment_dates(D(2005, 3, 31), D(2005, 12, 31), PaymentSchedule.QUARTER_ENDS) == [
        D(2005, 6, 30), D(2005, 9, 30), D(2005, 12, 31)]


def test_schedule_at_quarter_ends_per_period_by_hand() -> None:
    # 100 shares, Closing 10 January 2005, 30/360, $2,000 paid in all, per period (default).
    # The short first period 31 Dec to 31 Mar: 81 of its 90 days -> $1,250 × 0.9 = $1,125.00;
    # each later quarter exactly $1,250.00 (§2). $2,000 pays $1,125.00, then $875.00 of June.
    rows = dividend_schedule(Fraction(100), D(2005, 1, 10), D(2005, 12, 31), Fraction(2000),
                             schedule=PaymentSchedule.QUARTER_ENDS)
    table = [(r.payment_date, str(r.due), str(r.paid), str(r.arrears)) for r in rows]
    assert table == [
        (D(2005, 3, 31), "1125.00", "1125.00", "0.00"),
        (D(2005, 6, 30), "1250.00", "875.00", "375.00"),
        (D(2005, 9, 30), "1250.00", "0.00", "1625.00"),
        (D(2005, 12, 31), "1250.00", "0.00", "2875.00"),
    ]


def test_schedule_at_quarter_ends_from_closing_by_hand() -> None:
    # 100 shares, Closing 10 January 2005, 30/360, $2,000 paid in all, "from closing".
    # Accrued to 31 Mar: 81 days (the 31st stays 31 after a 10th) -> $1,125.00
    #          to 30 Jun: 170 days -> $2,361.11; due $1,236.11
    #          to 30 Sep: 260 days -> $3,611.11; due $1,250.00
    #          to 31 Dec: 351 days -> $4,875.00; due $1,263.89
    # $2,000 pays the oldest first: $1,125.00, then $875.00 of June's $1,236.11.
    rows = dividend_schedule(Fraction(100), D(2005, 1, 10), D(2005, 12, 31), Fraction(2000),
                             schedule=PaymentSchedule.QUARTER_ENDS,
                             accrual=Accrual.FROM_CLOSING)
    table = [(r.payment_date, str(r.due), str(r.paid), str(r.arrears)) for r in rows]
    assert table == [
        (D(2005, 3, 31), "1125.00", "1125.00", "0.00"),
        (D(2005, 6, 30), "1236.11", "875.00", "361.11"),
        (D(2005, 9, 30), "1250.00", "0.00", "1611.11"),
        (D(2005, 12, 31), "1263.89", "0.00", "2875.00"),
    ]


def test_schedule_overpaid_is_an_error() -> None:
    with pytest.raises(SeriesMError, match="dividends_paid = 1251"):
        dividend_schedule(Fraction(100), D(2005, 1, 10), D(2005, 4, 10), Fraction(1251))


@given(strategies.series_m_shares, strategies.dates, strategies.dates)
def test_schedule_dues_add_up_to_the_accrual_at_each_date(shares: Fraction, a: date,
                                                         b: date) -> None:
    a, b = sorted((a, b))
    total = Decimal("0.00")
    for row in dividend_schedule(shares, a, b):
        total += row.due
        assert total == accrued_dividends(shares, a, row.payment_date)
        assert row.arrears == total


@pytest.mark.parametrize(("typed", "expected"), [
    ("from closing", PaymentSchedule.FROM_CLOSING), ("Quarter ends", PaymentSchedule.QUARTER_ENDS),
    ("quarter-ends", PaymentSchedule.QUARTER_ENDS), (1.0, PaymentSchedule.QUARTER_ENDS),
    (0, PaymentSchedule.FROM_CLOSING),
])
def test_parse_schedule(typed: object, expected: PaymentSchedule) -> None:
    assert parse_schedule(typed) is expected


def test_parse_schedule_rejects_unknown_words() -> None:
    with pytest.raises(SeriesMError, match='schedule = "monthly": unknown; use one of'):
        parse_schedule("monthly")
