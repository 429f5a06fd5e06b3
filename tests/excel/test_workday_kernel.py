"""SERIESM_WORKDAY's column kernel (issue 22, item 2) gives, bit for bit, what one call per
cell gives: the dates, their types, and each refused row's error text, for counts forward,
back and of zero, starts on closed days, closures and openings, and the calendar's ends."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_seriesm.core.calendar import BankCalendar
from xl_seriesm.excel import batch_calls, udfs
from xl_seriesm.excel.batch_calls import MIN_ROWS

D = date


def _per_cell(*args: object) -> object:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch_calls, "ROW_PLANS", {})
        return udfs.SERIESM_WORKDAY(*args)


def _same(*args: object) -> object:
    """The call with the kernel, checked against the call cell by cell."""
    together, alone = udfs.SERIESM_WORKDAY(*args), _per_cell(*args)
    assert together == alone
    if not isinstance(together, list):  # a single bad argument: the call's one error text
        assert type(together) is type(alone)
        return together
    assert isinstance(alone, list)
    for mine, theirs in zip(together, alone, strict=True):
        assert type(mine[0]) is type(theirs[0])
    return together


# Days around Christmas and Thanksgiving 2005 and the calendar's first and last years (1999,
# 2100), as Excel hands them over: dates, datetimes with a time, serial numbers, and cells
# that are no date.
_days = st.one_of(st.dates(D(2005, 11, 1), D(2006, 1, 31)),
                  st.dates(D(1998, 12, 1), D(1999, 2, 15)),
                  st.dates(D(2100, 11, 15), D(2101, 1, 31)))
starts = st.one_of(
    _days,
    _days.map(lambda d: datetime(d.year, d.month, d.day, 16, 30)),
    st.integers(38_650, 38_750).map(float),  # serials: 26 Oct 2005 to 3 Feb 2006
    st.sampled_from(["x", None, "#N/A", 60.0, 0.0, -3.0, "2005-12-25"]),
)
counts = st.one_of(
    st.integers(-40, 40).map(float),
    st.integers(-40, 40),
    st.sampled_from([1.7, -1.7, 0.4, -0.4, 0.0, 1e6, -1e6, 1e300, "x", None, "#DIV/0!",
                     float("nan"), float("inf")]),
)
special = st.sampled_from([D(2005, 12, 26), D(2005, 12, 24), D(2005, 11, 25), D(2005, 12, 27),
                           D(2006, 1, 2), D(1998, 12, 31), D(2101, 1, 3), D(1999, 1, 4),
                           D(2100, 12, 31), D(2005, 12, 30)])


@settings(max_examples=60, deadline=None)
@given(st.integers(MIN_ROWS, 3 * MIN_ROWS).flatmap(lambda n: st.tuples(
    st.lists(starts, min_size=n, max_size=n), st.lists(counts, min_size=n, max_size=n))),
    starts, counts, st.sets(special, max_size=4), st.sets(special, max_size=4))
def test_the_kernel_is_the_per_cell_path(columns: tuple[list[object], list[object]],
                                         start: object, count: object,
                                         closures: set[date], openings: set[date]) -> None:
    firsts, days = ([[cell] for cell in column] for column in columns)
    shut = [[d] for d in sorted(closures)] or None
    opened = [[d] for d in sorted(openings)] or None
    _same(firsts, days)
    _same(firsts, count)
    _same(start, days)
    # Closures and openings (both at once may name the same day: refused in every row).
    _same(firsts, days, shut, opened)


def test_by_hand() -> None:
    rows = MIN_ROWS
    fri, tue = D(2005, 12, 23), D(2005, 12, 27)
    # §5(f), Federal Reserve schedule: Christmas 2005 fell on Sunday 25 December, so banks
    # closed on Monday 26th. Friday 23rd + 1 business day is Tuesday 27th, and back.
    assert _same([[fri]] * rows, 1)[0] == [tue]
    assert _same([[tue]] * rows, -1)[0] == [fri]
    # A start on a closed day is not counted, whichever way: Sunday 25th + 1 is Tuesday
    # 27th (Monday closed), − 1 is Friday 23rd; 0 days is the start itself, closed or not.
    sunday = D(2005, 12, 25)
    assert _same([[sunday]] * rows, [[1.0], [-1.0], [0.0], [2.9]] * (rows // 4))[:4] == [
        [tue], [fri], [sunday], [D(2005, 12, 28)]]  # 2.9 is 2: Tue 27th (1), Wed 28th (2)
    # Thanksgiving 2005 was Thursday 24 November; the Friday after is a Florida holiday but
    # banks open: Wednesday 23rd + 1 is Friday 25th. Over New Year: Friday 30 December
    # 2005 + 1 is Tuesday 3 January 2006 (New Year's Day on Sunday 1st, Monday 2nd closed).
    assert _same([[D(2005, 11, 23)], [D(2005, 12, 30)]] * (rows // 2), 1)[:2] == [
        [D(2005, 11, 25)], [D(2006, 1, 3)]]
    # Christmas 2021 fell on a Saturday: the Fed does not move it, Friday 24th is open, so
    # Thursday 23rd + 2 is Monday 27th (the function's worked example).
    assert _same([[D(2021, 12, 23)]] * rows, 2)[0] == [D(2021, 12, 27)]
    # A closure on Tuesday 27 December 2005 pushes Friday 23rd + 1 to Wednesday 28th; an
    # opening on Monday 26th brings it to Monday.
    assert _same([[fri]] * rows, 1, [[tue]])[0] == [D(2005, 12, 28)]
    assert _same([[fri]] * rows, 1, None, [[D(2005, 12, 26)]])[0] == [D(2005, 12, 26)]
    # Refused rows keep the per-cell path's words, said of their row: days as text, and a
    # count past the calendar's last year (2100).
    answer = _same([[fri]] * (rows - 1) + [[D(2100, 12, 30)]],
                   [[1.0], ["x"]] + [[1.0]] * (rows - 3) + [[5.0]])
    assert isinstance(answer, list)
    assert answer[1][0] == '#VALUE! days row 2 = "x": not a number; use a number.'
    assert str(answer[-1][0]).startswith("#NUM! days row 16 = 5")
    # A row of a range, and cells the kernel cannot key (a nested range, True beside 1).
    assert _same([[fri] * rows], 1) == [[tue] * rows]
    _same([[fri]] * rows, [[[1.0]]] * rows)
    _same([[fri]] * rows, [[True], [1.0]] * (rows // 2))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(D(2004, 1, 1).toordinal(), D(2007, 12, 31).toordinal()),
                          st.integers(-300, 300)), min_size=1, max_size=40),
       st.sets(st.dates(D(2004, 1, 1), D(2007, 12, 31)), max_size=30))
def test_every_answered_row_is_workday(rows: list[tuple[int, int]],
                                       closures: set[date]) -> None:
    """The core kernel alone: each row it answers is :meth:`BankCalendar.workday`'s date;
    here every row is answered (a span well inside the calendar's years)."""
    calendar = BankCalendar(closures)
    starts, days = [start for start, _ in rows], [count for _, count in rows]
    found, answered = calendar.workdays(starts, days)
    assert all(answered)
    for start, count, result in zip(starts, days, found, strict=True):
        day = D.fromordinal(start)
        assert calendar.workday(day, count) == D.fromordinal(result)
        assert result - start == 0 if count == 0 else abs(result - start) >= abs(count)
        assert (result > start) == (count > 0) or count == 0


def test_the_kernel_answers_the_plain_rows() -> None:
    """The column of the benchmark's shape is answered by the kernel, not cell by cell:
    with the per-cell count disabled, every plain row still gets its date."""
    def refuse(*args: object, **kwargs: object) -> date:
        raise AssertionError("counted cell by cell")

    starts = [[D(2005, 12, 19 + k)] for k in range(8)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BankCalendar, "workday", refuse)
        answer = udfs.SERIESM_WORKDAY(starts * 2, [[1.0]] * 8 + [[-1.0]] * 8)
    # Monday 19 to Monday 26 December 2005 (Christmas Sunday 25th, Monday 26th closed):
    # one business day on from Mon 19 is Tue 20; from Fri 23, Sat 24, Sun 25 or Mon 26 it is
    # Tue 27. One back from Tue 20 is Mon 19; from Sat 24 to Tue 27 (not counted) it is
    # Fri 23; from Mon 19 it is Fri 16.
    on = [20, 21, 22, 23, 27, 27, 27, 27]
    back = [16, 19, 20, 21, 22, 23, 23, 23]
    assert answer == [[D(2005, 12, day)] for day in on + back]
