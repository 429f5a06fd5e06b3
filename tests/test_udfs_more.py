"""The rest of the certificate's functions as Excel calls them (issue: every computable
clause). Expected values are worked in the comments; core-level tables are in tests/core."""

from __future__ import annotations

from datetime import date

import pytest

from xl_seriesm import udfs

D = date
CLOSING = D(2005, 1, 10)


def test_business_days_over_a_range_with_closures_and_empty_cells() -> None:
    # 24 Dec 2021 open (Saturday Christmas not moved), 25th Saturday, 27th open, 26 Dec 2022
    # closed (Sunday Christmas); a hurricane closure on 27 Dec 2021; empty cells ignored.
    result = udfs.SERIESM_ISBUSDAY([[D(2021, 12, 24)], [D(2021, 12, 25)], [D(2021, 12, 27)],
                                    [D(2022, 12, 26)]], [[D(2021, 12, 27)], [None], [0]])
    assert result == [[True], [False], [False], [False]]


def test_openings_open_a_saturday() -> None:
    assert udfs.SERIESM_ISBUSDAY(D(2021, 12, 25), None, [[D(2021, 12, 25)]]) is True


def test_workday_drops_a_fraction_of_a_day_as_excel() -> None:
    # WORKDAY(23 Dec 2021, 1.7) = one business day on = Friday 24th.
    assert udfs.SERIESM_WORKDAY(D(2021, 12, 23), 1.7) == D(2021, 12, 24)
    assert udfs.SERIESM_WORKDAY(D(2021, 12, 27), -1) == D(2021, 12, 24)


def test_deadline_over_a_column_of_receipts() -> None:
    # §5(f) "ten (10) business days after the receipt": the business days after Monday 20 Dec
    # 2021, whatever the hour: 21, 22, 23, 24, 27, 28, 29, 30, 31 Dec, 3 Jan 2022. Serial
    # 44550.75 is 20 Dec 2021 18:00 (Lite passes date-times as serials).
    result = udfs.SERIESM_DEADLINE([["2021-12-20"], ["2021-12-20 17:30"], [44550.75]])
    assert result == [[D(2022, 1, 3)], [D(2022, 1, 3)], [D(2022, 1, 3)]]
    # Counted from the next business day instead: after 17:00 counts from the 21st, 4 Jan.
    result = udfs.SERIESM_DEADLINE([["2021-12-20"], ["2021-12-20 17:30"], [44550.75]], 10,
                                   None, None, "next business day")
    assert result == [[D(2022, 1, 3)], [D(2022, 1, 4)], [D(2022, 1, 4)]]


def test_deadline_with_a_hurricane() -> None:
    # Closed Wednesday 29 December 2021: the deadline moves one business day, to 4 January.
    assert udfs.SERIESM_DEADLINE(D(2021, 12, 20), 10, [[D(2021, 12, 29)]]) == D(2022, 1, 4)


def test_can_revoke_with_lite_empty_delivered() -> None:
    # xlwings Lite passes an empty `delivered` cell as 0: not delivered.
    assert udfs.SERIESM_CANREVOKE(D(2021, 12, 20), D(2022, 1, 4), 0) is True


def test_conversion_date_after_hours() -> None:
    assert udfs.SERIESM_CONVDATE("2022-11-23 17:30") == D(2022, 11, 25)


def test_votes_readings() -> None:
    assert udfs.SERIESM_VOTES(250, CLOSING, D(2005, 6, 1)) == 1_000_000
    assert udfs.SERIESM_VOTES(250, CLOSING, D(2005, 6, 1), 4000, "none") == 0
    assert udfs.SERIESM_VOTES(250, CLOSING, D(2005, 6, 1), 4000, "sometimes") == (
        '#NUM! before_anniversary = "sometimes": unknown; use one of "as-converted", "none".')


def test_deemed_liquidation_explained() -> None:
    assert udfs.SERIESM_DEEMEDLIQ("asset sale", 4549, 9100, None, True, True, False, False,
                                  True) == (
        "no: a sale, transfer or lease of substantially all the assets (§3(c)(ii)) qualifies, "
        "but holders of only 49.99% of the Series M elect; 50% is needed (§3(c))")
    assert udfs.SERIESM_DEEMEDLIQ("merger", 4550, 9100) == (
        "#VALUE! voting_power_kept = (empty): required; give a value.")


def test_schedule_from_closing() -> None:
    # 100 shares from 31 Jan 2005: 30 Apr (90 days, $1,250), 31 Jul (180 days), nothing paid.
    assert udfs.SERIESM_SCHEDULE(100, D(2005, 1, 31), D(2005, 8, 15)) == [
        ["Payment date", "Dividend due", "Paid", "Arrears"],
        [D(2005, 4, 30), 1250.0, 0.0, 1250.0],
        [D(2005, 7, 31), 1250.0, 0.0, 2500.0],
    ]


def test_schedule_before_the_first_payment_is_just_the_header() -> None:
    assert udfs.SERIESM_SCHEDULE(100, CLOSING, D(2005, 2, 1)) == [
        ["Payment date", "Dividend due", "Paid", "Arrears"]]


def test_allocate_keeps_the_shape_of_a_row() -> None:
    assert udfs.SERIESM_ALLOCATE(100, [[1, 1, 1]]) == [[33.34, 33.33, 33.33]]


def test_allocate_error() -> None:
    assert udfs.SERIESM_ALLOCATE(100, [[1], ["x"]]) == (
        '#VALUE! weights row 2 = "x": not a number; use a number.')


@pytest.mark.parametrize(("call", "expected"), [
    # §6(b): $2,050,000 lawfully available at $1,025 a share: 2,000 shares.
    (lambda: udfs.SERIESM_REDEEMABLE(2_050_000, 1025), 2000.0),
    # §5(j), §9(a), §4/§8 over columns.
    (lambda: udfs.SERIESM_RESERVE([[30e6], [40e6]], 9100), [[6_400_000.0], [0.0]]),
    (lambda: udfs.SERIESM_PAROK([[4000], [20000], [25000]]), [[True], [True], [False]]),
    (lambda: udfs.SERIESM_CLASSVOTE(4551, 9100), True),
    # §5(c): a cell holds 30,000/7 as 4285.714285714285, which the function reads as that
    # decimal; × 3/2 = 6,428.5714285714275 exactly (not 45,000/7).
    (lambda: udfs.SERIESM_SPLIT(30000 / 7, 3, 2), 6428.5714285714275),
    (lambda: udfs.SERIESM_SPLIT(4000, 3, 2), 6000.0),
    (lambda: udfs.SERIESM_CONVERTFROM(D(2008, 2, 29)), D(2009, 2, 28)),
    (lambda: udfs.SERIESM_REDEEMDATE(D(2007, 12, 20)), D(2008, 1, 4)),
])
def test_more_functions(call: object, expected: object) -> None:
    assert call() == expected  # type: ignore[operator]


def test_zero_is_false_as_in_excel() -> None:
    # Excel reads 0 as FALSE. Reference case of tests/core/test_liquidation.py: 9,100 shares,
    # 36,400,000 common, $100,000 accrued, breakpoint 18,300,000 (18,400,000 forfeited).
    # convertible 0: not yet convertible, so past the breakpoint the Series M still takes only
    # its preference, 9,100 × 1,000 + 100,000 = 9,200,000 (§5(a), §3(a)).
    assert udfs.SERIESM_WATERFALL(30e6, 9100, 36.4e6, 1e5, 4000, 0, True,
                                  "Series M total") == 9_200_000.0
    # dividends_on_conversion 0: forfeited, (9,100,000 + 100,000) × 2 = 18,400,000.
    assert udfs.SERIESM_BREAKPOINT(9100, 36.4e6, 1e5, 4000, 0) == 18_400_000.0
    # shares_exchanged 0: no exchange of the Company's shares, no deemed liquidation (§3(c)(i)).
    assert udfs.SERIESM_DEEMEDLIQ("merger", 9100, 9100, 0.2, 0) is False
    # 1 is TRUE; leaving the argument out takes the default (TRUE here).
    assert udfs.SERIESM_DEEMEDLIQ("merger", 9100, 9100, 0.2, 1) is True
    assert udfs.SERIESM_DEEMEDLIQ("merger", 9100, 9100, 0.2) is True
    assert udfs.SERIESM_WATERFALL(20.1e6, 9100, 36.4e6, 1e5, 4000, 1, 1,
                                  "Series M total") == 10_100_000.0
    # explain 0 is FALSE: the verdict, not the reason.
    assert udfs.SERIESM_DEEMEDLIQ("merger", 9100, 9100, 0.2, True, True, False, False, 0) is True
    # A typed 0 is never "empty" where 0 has a meaning: 0 shares called redeems 0 (§6(a)).
    assert udfs.SERIESM_REDEEMABLE(1_000_000, 1025, 0) == 0.0


def test_lite_empty_cells_take_the_defaults_where_zero_means_nothing() -> None:
    # Lite on the desktop passes an empty cell as 0; for a choice (votes reading) or a holding
    # 0 means nothing, so it counts as not given: as-converted votes, 250 × 4,000 (§4).
    assert udfs.SERIESM_VOTES(250, CLOSING, D(2005, 6, 1), 4000, 0) == 1_000_000


def test_redeemable_snaps_float_noise_before_taking_whole_shares() -> None:
    # Funds typed as =3*1000.01 are 3000.0299999999997 in a cell: still 3 shares (§6(b)).
    assert udfs.SERIESM_REDEEMABLE(3 * 1000.01, 1000.01) == 3.0
    assert udfs.SERIESM_REDEEMABLE(10 * 1000.06, 1000.06) == 10.0


def test_dividends_paid_are_whole_cents() -> None:
    # A sum of payments carries float noise (0.1 + 0.2 + 0.67 is 0.9700000000000001): taken
    # as $0.97. One year on 1 share accrues $50.00, so $49.03 is left (§2).
    assert udfs.SERIESM_ACCRUED(1, CLOSING, D(2006, 1, 10), 0.1 + 0.2 + 0.67) == 49.03
    assert udfs.SERIESM_ACCRUED(100, CLOSING, D(2006, 1, 10), 1250.005) == (
        "#NUM! dividends_paid = 1250.005: not a whole number of cents; cash is paid in cents.")
    assert udfs.SERIESM_SCHEDULE(100, CLOSING, D(2005, 7, 10), 1250.005) == (
        "#NUM! dividends_paid = 1250.005: not a whole number of cents; cash is paid in cents.")
