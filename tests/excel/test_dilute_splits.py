"""SERIESM_DILUTE over dated issuances and splits (§5(c), §5(e)(i)) and the
``threshold_after_split`` reading, with the same words and the same figures as the ledger.

Every expected figure is worked by hand from the certificate in the comment beside it.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import strategies
from xl_seriesm.core.dated_dilution import DatedRun, Split
from xl_seriesm.core.dates import to_serial
from xl_seriesm.core.ledger import Event, EventKind, Terms, ThresholdAfterSplit, state_at
from xl_seriesm.excel.udfs import SERIESM_DILUTE

F = Fraction
CLOSING = date(2005, 1, 10)


def _serial(day: date) -> float:
    return float(to_serial(day))


def _column(values: list[object]) -> list[list[object]]:
    return [[v] for v in values]


# The issue's history: 1,000,000 common outstanding; 2005-03-01 100,000 common sold for
# $20,000 ($0.20 a share); 2005-05-02 a 2-for-1 split; then 2005-06-01 200,000 for $30,000
# ($0.15) and 2005-06-15 100,000 for $10,000 ($0.10). After the split 1,100,000 × 2 =
# 2,200,000 common are outstanding.
DATES = [date(2005, 3, 1), date(2005, 6, 1), date(2005, 6, 15)]
OUTSTANDING = [1_000_000, 2_200_000, 2_400_000]
NEW = [100_000, 200_000, 100_000]
PAID = [20_000, 30_000, 10_000]
SPLIT = [[_serial(date(2005, 5, 2)), 2, 1]]


def _dilute(reading: object = "literal", splits: object = SPLIT, dates: object = None,
            outstanding: object = None) -> object:
    return SERIESM_DILUTE(4000, _column(outstanding or OUTSTANDING), _column(NEW),
                            _column(PAID), False, 0.25,
                            dates if dates is not None else _column(list(map(_serial, DATES))),
                            splits, reading)


def test_a_sale_before_a_split_then_the_readings_part() -> None:
    # 2005-03-01, §5(e)(i): $20,000 / 100,000 = $0.20 < $0.25; C = 20,000 / 0.25 = 80,000;
    # 4,000 × (1,000,000 + 100,000) / (1,000,000 + 80,000) = 4,000 × 55/54 = 110,000/27,
    # under both readings (no split yet).
    # 2005-05-02, §5(c) 2-for-1: × 2 = 220,000/27 under both readings; "scaled" makes the
    # threshold $0.25 × 1/2 = $0.125 from that day on.
    # 2005-06-01 ($0.15): literal, below $0.25: C = 30,000 / 0.25 = 120,000, × 2,400,000 /
    # 2,320,000 = 30/29; scaled, not below $0.125: unchanged, 220,000/27.
    # 2005-06-15 ($0.10): literal C = 40,000, × 2,500,000 / 2,440,000 = 125/122; scaled
    # C = 10,000 / 0.125 = 80,000, × 2,500,000 / 2,480,000 = 125/124.
    scaled = [F(110_000, 27), F(220_000, 27), F(220_000, 27) * F(125, 124)]
    literal = [F(110_000, 27), F(220_000, 27) * F(30, 29),
               F(220_000, 27) * F(30, 29) * F(125, 122)]
    assert _dilute("scaled") == _column([float(x) for x in scaled])
    assert _dilute("literal") == _column([float(x) for x in literal])
    assert _dilute(None) == _dilute("literal")  # omitted: the default, "literal"


def test_the_issue_case_at_2005_07_01_one_row() -> None:
    # The issue's case alone: the $0.20 sale, then the 2-for-1 split; a blank ledger row
    # dated 2005-07-01 reads the number there. 110,000/27 × 2 = 220,000/27 under both
    # readings (the sale came before the split, when the threshold was $0.25 either way).
    # The old workaround, threshold_price $0.125 for the whole ledger, loses the sale:
    # $0.20 is not below $0.125, so only the split: 4,000 × 2 = 8,000.
    days = _column([_serial(date(2005, 3, 1)), _serial(date(2005, 7, 1))])
    for reading in ("literal", "scaled"):
        got = SERIESM_DILUTE(4000, [[1_000_000], [None]], [[100_000], [None]],
                             [[20_000], [None]], False, 0.25, days, SPLIT, reading)
        assert got == [[110_000 / 27], [220_000 / 27]]
    workaround = SERIESM_DILUTE(4000, [[1_000_000], [None]], [[100_000], [None]],
                                [[20_000], [None]], False, 0.125, days, SPLIT)
    assert workaround == [[4000.0], [8000.0]]


@pytest.mark.parametrize("reading", list(ThresholdAfterSplit))
def test_dilute_matches_the_ledger(reading: ThresholdAfterSplit) -> None:
    # The same history as a ledger: the conversion number the ledger reports after each
    # issuance is what SERIESM_DILUTE gives on that row (one core step for the split).
    events = [Event(CLOSING, EventKind.ISSUE, "A", series_m_shares=F(100)),
              Event(CLOSING, EventKind.OUTSTANDING, common_shares=F(1_000_000)),
              Event(date(2005, 5, 2), EventKind.SPLIT, ratio=(F(2), F(1)))]
    events += [Event(day, EventKind.COMMON, common_shares=F(new), amount=F(paid))
               for day, new, paid in zip(DATES, NEW, PAID, strict=True)]
    terms = Terms(threshold_after_split=reading)
    ledger = [state_at(events, day, ledger_terms=terms).conversion_number for day in DATES]
    # The ledger's own common outstanding before each issuance is the A of the rows above.
    assert [i.common_outstanding for i in
            state_at(events, DATES[-1], ledger_terms=terms).issuances] == OUTSTANDING
    assert _dilute(reading.value) == _column([float(x) for x in ledger])
    run = DatedRun(F(4000), [Split(date(2005, 5, 2), F(2))], reading=reading)
    exact = [run.issue(day, row, F(a), F(b), F(c)) for row, (day, a, b, c) in
             enumerate(zip(DATES, OUTSTANDING, NEW, PAID, strict=True), start=1)]
    assert exact == ledger


def test_without_the_new_arguments_nothing_changes() -> None:
    # The spec's two-row example (§5(e)(i)): 30,000/7 then 975,000/217, with and without
    # dates when there are no splits.
    plain = SERIESM_DILUTE(4000, [[1_000_000], [1_200_000]], [[200_000], [100_000]],
                           [[30_000], [10_000]])
    assert plain == [[30_000 / 7], [975_000 / 217]]
    dated = SERIESM_DILUTE(4000, [[1_000_000], [1_200_000]], [[200_000], [100_000]],
                           [[30_000], [10_000]], False, 0.25,
                           _column([_serial(DATES[0]), _serial(DATES[1])]), None, "scaled")
    assert dated == plain


def test_a_single_dated_issuance_takes_the_splits_before_it() -> None:
    # 2005-06-01 after the 2-for-1 split: 4,000 × 2 = 8,000; scaled threshold $0.125, and
    # $20,000 / 100,000 = $0.20 is not below it: 8,000. Literal: $0.20 < $0.25, C = 80,000,
    # 8,000 × 1,100,000 / 1,080,000 = 8,000 × 55/54 = 220,000/27.
    args = (4000, 1_000_000, 100_000, 20_000, False, 0.25, _serial(date(2005, 6, 1)), SPLIT)
    assert SERIESM_DILUTE(*args, "scaled") == 8000.0
    assert SERIESM_DILUTE(*args, "literal") == 220_000 / 27


def test_a_split_on_an_issuance_date_comes_first() -> None:
    # "From the split's date on": an issuance on 2005-05-02 itself sees the split. Scaled:
    # 8,000, $0.20 not below $0.125: 8,000 (literal would give 220,000/27 as above).
    got = SERIESM_DILUTE(4000, 1_000_000, 100_000, 20_000, False, 0.25,
                         _serial(date(2005, 5, 2)), SPLIT, "scaled")
    assert got == 8000.0


def test_two_column_splits_and_a_combination() -> None:
    # Two columns: date and new shares for one old share; 3 for 1 on 2005-05-02, then a
    # 1-for-2 combination (new 1, old 2) on 2005-05-20: 4,000 × 3 × 1/2 = 6,000; scaled
    # threshold $0.25 × 1/3 × 2 = $1/6. 2005-06-01: $0.15, below $1/6: C = 30,000 × 6 =
    # 180,000; 6,000 × (2,200,000 + 200,000) / (2,200,000 + 180,000) = 6,000 × 120/119
    # = 720,000/119.
    splits = [[_serial(date(2005, 5, 2)), 3, None], [_serial(date(2005, 5, 20)), 1, 2]]
    got = SERIESM_DILUTE(4000, 2_200_000, 200_000, 30_000, False, 0.25,
                         _serial(date(2005, 6, 1)), splits, "scaled")
    assert got == 720_000 / 119
    two = [[_serial(date(2005, 5, 2)), 3], [_serial(date(2005, 5, 20)), 0.5]]
    assert SERIESM_DILUTE(4000, 2_200_000, 200_000, 30_000, False, 0.25,
                          _serial(date(2005, 6, 1)), two, "scaled") == got


# Refusals: the argument named, the value echoed, what is allowed -------------------------
def test_dates_out_of_order_are_refused_from_that_row_on() -> None:
    days = _column([_serial(date(2005, 3, 1)), _serial(date(2005, 2, 1)),
                    _serial(date(2005, 6, 15))])
    got = _dilute("scaled", dates=days)
    assert isinstance(got, list)
    assert got[0] == [110_000 / 27]
    message = ("#NUM! dates row 2 = 2005-02-01: before dates row 1 = 2005-03-01; must be on "
               "or after it.")
    assert got[1:] == [[message], [message]]  # each row depends on the one before


@pytest.mark.parametrize(("row", "shown"), [
    ([_serial(date(2005, 5, 2)), 0, 1], "#NUM! splits row 1, new shares = 0: must be more "
                                        "than 0."),
    ([_serial(date(2005, 5, 2)), 2, -1], "#NUM! splits row 1, old shares = -1: must be more "
                                         "than 0."),
])
def test_a_split_with_a_non_positive_share_count(row: list[object], shown: str) -> None:
    assert _dilute("scaled", splits=[row]) == shown


def test_splits_out_of_order_and_of_the_wrong_width() -> None:
    late, early = _serial(date(2005, 5, 2)), _serial(date(2005, 4, 1))
    assert _dilute(splits=[[late, 2, 1], [early, 2, 1]]) == (
        "#NUM! splits row 2, date = 2005-04-01: before splits row 1, date = 2005-05-02; must "
        "be on or after it.")
    assert _dilute(splits=[[late, 2, 1, 7]]) == (
        '#VALUE! splits row 1, columns = "4 cells": give 2 or 3 columns: date, new shares, '
        "old shares.")


def test_ranges_of_different_lengths_and_splits_without_dates() -> None:
    short = _column(list(map(_serial, DATES[:2])))
    assert _dilute(dates=short) == (
        "#VALUE! ranges of unequal length (common_outstanding has 3, new_shares has 3, "
        "consideration has 3, dates has 2 cells): give ranges of the same length, or single "
        "values.")
    assert SERIESM_DILUTE(4000, _column(OUTSTANDING), _column(NEW), _column(PAID), False,
                          0.25, None, SPLIT) == (
        "#VALUE! dates = (empty): required with splits; each issuance's date, a column "
        "beside the ledger, places it among the splits.")
    assert _dilute("halved") == ('#NUM! threshold_after_split = "halved": unknown; use one '
                                 'of "literal", "scaled".')


@settings(max_examples=60, deadline=None)
@given(strategies.split_rows(), st.sampled_from(list(ThresholdAfterSplit)))
def test_splits_alone_multiply_by_their_ratios(splits: list[tuple[int, int, int]],
                                               reading: ThresholdAfterSplit) -> None:
    # §5(c) alone (no issuance below the threshold: $1,000 a share, above any threshold
    # these splits can make, at most $0.25 × 5 × 5 × 5 × 5 = $156.25): the number after
    # the splits is 4,000 × Π new/old, under either reading.
    days = sorted(date.fromordinal(CLOSING.toordinal() + d) for d, _, _ in splits)
    rows = [Split(day, F(new), F(old)) for day, (_, new, old) in
            zip(days, splits, strict=True)]
    run = DatedRun(F(4000), rows, reading=reading)
    got = run.issue(date(2006, 12, 31), 1, F(10**6), F(100), F(100_000))
    expected = F(4000)
    for _, new, old in splits:
        expected *= F(new, old)
    assert got == expected


def test_a_zero_for_dates_is_an_empty_cell() -> None:
    # xlwings Lite on the desktop and Calc pass an empty cell as 0: `dates` 0 is not given,
    # so no splits apply and §5(e)(i) alone gives 110,000/27 (4,000 × 55/54, as above).
    assert SERIESM_DILUTE(4000, 1_000_000, 100_000, 20_000, False, 0.25, 0) == 110_000 / 27
    assert SERIESM_DILUTE(4000, 1_000_000, 100_000, 20_000, False, 0.25, 0, [[0, 0, 0]],
                          0) == 110_000 / 27
