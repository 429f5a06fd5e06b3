"""An array call computes each distinct row once (issue 21, item 6): the same results and
error texts as one call per cell, and a refused value costs one check, not one per row."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tests import strategies
from xl_seriesm.core import dividends
from xl_seriesm.core.dividends import PaymentSchedule, period_boundary
from xl_seriesm.excel import udfs

# Cells as Excel hands them over, with repeats, and values that are equal in Python but not
# to the functions: True is not 1 (a boolean is no share count), 100 and 100.0 are the same.
repeating_cells = st.lists(st.sampled_from(
    [100.0, 100, True, 1.0, 1, -5.0, 250.0, 0.0, None, "", "300", 9100.0, 9100.5]),
    min_size=2, max_size=40)


def _one_by_one(call, cells, *rest):  # type: ignore[no-untyped-def]
    return [call(cell, *rest) for cell in cells]


@given(repeating_cells)
def test_repeated_rows_answer_as_single_calls(cells: list[object]) -> None:
    closing, when = date(2005, 1, 10), date(2007, 6, 30)
    for call, rest in ((udfs.SERIESM_CONVERT, (closing, when, 30000 / 7)),
                       (udfs.SERIESM_VOTES, (closing, when)),
                       (udfs.SERIESM_CASHINLIEU, (30000 / 7, 0.14))):
        together = call([[c] for c in cells], *rest)
        alone = _one_by_one(call, cells, *rest)
        for index, (row, single) in enumerate(zip(together, alone, strict=True)):
            if isinstance(single, str):  # the error said of its row
                code, message = single.split(" ", 1)
                assert row[0].startswith(code)
                assert f"row {index + 1}" in row[0]
                assert row[0].endswith(message.split(" = ", 1)[-1])
            else:
                assert row == [single]
                assert type(row[0]) is type(single)


def test_true_is_not_one_in_a_range() -> None:
    # SERIESM_CASHINLIEU(1, 30000/7, 0.14) is 5/7 × 0.14 = 0.10 (§5(h)); TRUE is no number.
    rows = udfs.SERIESM_CASHINLIEU([[1.0], [True], [1], [True]], 30000 / 7, 0.14)
    assert rows[0] == [0.1]
    assert rows[2] == [0.1]
    assert rows[1][0].startswith("#VALUE! shares row 2 = TRUE")
    assert rows[3][0].startswith("#VALUE! shares row 4 = TRUE")


def test_a_date_past_9999_is_checked_once() -> None:
    # Issue 21: 400 closing dates with an as-of date of 9999-12-31 took 10 to 30 s, counting
    # every dividend period to the year 9999 for every row. Each row is refused (the next
    # payment date after 9999-12-31 does not exist) with its own closing date named.
    closings = [[datetime(2005, 1, 1) + timedelta(days=i % 400)] for i in range(20_000)]
    rows = udfs.SERIESM_LIQVALUE([[100.0]] * 20_000, closings, datetime(9999, 12, 31))
    assert len(rows) == 20_000
    # From a 1 January 2005 closing the last period that ends by 9999-12-31 is the one to
    # 1 October 9999, so 30 September 9999 is the last day that accrues; from 4 February
    # 2006 (day 19,999 % 400 = 399) the one to 4 November 9999: 3 November.
    assert rows[0][0].startswith("#NUM! as_of_date row 1 = 9999-12-31: must be on or "
                                 "before 9999-09-30")
    assert rows[19_999][0].startswith("#NUM! as_of_date row 20000 = 9999-12-31: must be on "
                                      "or before 9999-11-03")


def _periods_done_step_by_step(closing: date, as_of: date, schedule: PaymentSchedule) -> int:
    done = 0
    while period_boundary(closing, done + 1, schedule) <= as_of:
        done += 1
    return done


@given(strategies.dates, st.integers(-120, 20_000), st.sampled_from(list(PaymentSchedule)))
def test_periods_done_jumps_to_the_count_of_the_step_by_step_loop(
        closing: date, days: int, schedule: PaymentSchedule) -> None:
    as_of = closing + timedelta(days=days)
    assert dividends.periods_done(closing, as_of, schedule) == _periods_done_step_by_step(
        closing, as_of, schedule)


def test_periods_done_by_hand() -> None:
    # §2, payments every 3 months from the Closing Date 2005-01-10: 2005-04-10, 07-10, 10-10,
    # 2006-01-10, ... 2007-04-10 is the 9th; 2007-06-30 falls before the 10th (2007-07-10).
    assert dividends.periods_done(date(2005, 1, 10), date(2007, 6, 30)) == 9
    assert dividends.periods_done(date(2005, 1, 10), date(2007, 7, 10)) == 10
    # 9999-01-10 is payment (9999 - 2005) × 4 = 31,976; 9999-04-10 and 07-10 follow, and
    # 9999-10-10 (the 31,979th) is after 9999-09-30.
    assert dividends.periods_done(date(2005, 1, 10), date(9999, 9, 30)) == 31_978


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_enters_as_its_shortest_decimal(value: float) -> None:
    from fractions import Fraction  # noqa: PLC0415

    from xl_seriesm.core.numbers import exact  # noqa: PLC0415

    assert exact(value) == Fraction(repr(value))


def test_a_column_of_one_type_is_keyed_by_its_values() -> None:
    # A column of floats only: -0.0 and 0.0 are one value (0 shares, 0 common, §5(b)), a NaN
    # is refused in its own row, and 7.0 (§5(b): 7 × 30,000/7 = 30,000) is 30,000 every time.
    nan = float("nan")
    cells = [7.0, -0.0, 0.0, nan, 7.0, float("nan")] * 4
    together = udfs.SERIESM_VOTES([[c] for c in cells], date(2005, 1, 10), date(2007, 6, 30),
                                  30000 / 7)
    alone = [udfs.SERIESM_VOTES(c, date(2005, 1, 10), date(2007, 6, 30), 30000 / 7)
             for c in cells]
    for index, (row, single) in enumerate(zip(together, alone, strict=True)):
        if isinstance(single, str):
            assert row[0] == single.replace("shares = ", f"shares row {index + 1} = ")
        else:
            assert row == [single]
    assert together[0] == [30000]
