"""Every figure explained: each worked example of the spec, run with its derivation
recorded, gives the same result, and the derivation ends with that result."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_seriesm import udfs
from xl_seriesm.core import errors
from xl_seriesm.core.calendar import BankCalendar
from xl_seriesm.excel.explain import EXPLAIN, cell_value, function_named
from xl_seriesm.excel.spec import FUNCTIONS, Example, Function
from xl_seriesm.excel.udfs import explain_call

EXPLAINED = [(f, e) for f in FUNCTIONS if f.name != EXPLAIN for e in f.examples]


def result_cells(result: object) -> list[object]:
    """The figures a result shows: a value; a table's values (a label-value table's second
    column; below a header row, every cell)."""
    if not isinstance(result, list):
        return [result]
    if all(len(row) == 2 and isinstance(row[0], str) for row in result):
        return [row[1] for row in result]
    body = result[1:] if all(isinstance(c, str) for c in result[0]) else result
    return [cell for row in body for cell in row]


def in_order(wanted: list[object], found: list[object]) -> bool:
    """Whether ``wanted`` appears in ``found`` in the same order (not necessarily together)."""
    position = iter(found)
    return all(any(_same(w, f) for f in position) for w in wanted)


def _same(expected: object, found: object) -> bool:
    if expected is None:
        return found in ("", None)
    if isinstance(expected, dt.datetime) or isinstance(found, dt.datetime):
        return expected == found
    return (type(expected) is type(found) and expected == found) or (
        isinstance(expected, (int, float)) and not isinstance(expected, bool)
        and isinstance(found, (int, float)) and not isinstance(found, bool)
        and float(expected) == float(found))


@pytest.mark.parametrize(("function", "example"), EXPLAINED,
                         ids=[f"{f.name}-{i}" for f in FUNCTIONS if f.name != EXPLAIN
                              for i, _ in enumerate(f.examples)])
def test_every_worked_example_is_explained_and_ends_with_its_result(
        function: Function, example: Example) -> None:
    explanation = explain_call(function.name, example.args)
    # Recording changes nothing: the result is the worked example's.
    assert explanation.result == example.result, example.derivation
    steps = [cell_value(s.value) for s in explanation.steps]
    assert all(s.step and isinstance(s.step, str) for s in explanation.steps)
    if explanation.failed:
        return  # the table ends with the error row (test_a_failing_call_ends_with_its_error)
    assert len(steps) >= 2, f"{function.name}: a derivation, not only the answer"
    cells = result_cells(explanation.result)
    assert _same(cells[-1], steps[-1]), (function.name, explanation.steps[-1])
    assert in_order(cells, steps), (function.name, cells, steps)


def test_every_function_has_a_sectioned_derivation() -> None:
    for function in FUNCTIONS:
        if function.name == EXPLAIN:
            continue
        example = next(e for e in function.examples if not errors.is_error_text(e.result))
        steps = explain_call(function.name, example.args).steps
        assert any(s.section.startswith("§") for s in steps), function.name


def test_the_excel_function_returns_the_table() -> None:
    table = udfs.SERIESM_EXPLAIN("accrued", 9100, dt.date(2005, 1, 10), dt.date(2005, 4, 10))
    assert table[0] == ["Step", "Value", "Section"]
    assert table[-1][1] == udfs.SERIESM_ACCRUED(9100, dt.date(2005, 1, 10), dt.date(2005, 4, 10))
    # Unused argument slots (None) take the explained function's defaults.
    assert udfs.SERIESM_EXPLAIN("SERIESM_WORKDAY", "2021-12-23", 2, None, None)[-1][1] == \
        dt.date(2021, 12, 27)


def test_a_failing_call_ends_with_its_error() -> None:
    table = udfs.SERIESM_EXPLAIN("CONVERT", 100, dt.date(2005, 1, 10), dt.date(2006, 1, 9))
    assert table[-1][0] == "error"
    assert table[-1][1].startswith("#N/A conversion_date = 2006-01-09")


def test_bad_names_and_too_many_arguments_are_refused() -> None:
    assert udfs.SERIESM_EXPLAIN("NOPE").startswith(
        '#NAME? function_name = "NOPE": no such function; use one of ACCRUED')
    assert udfs.SERIESM_EXPLAIN("EXPLAIN", "ACCRUED").startswith("#NAME? function_name")
    assert udfs.SERIESM_EXPLAIN("REDEEMDATE", 1, 2).startswith(
        "#NUM! arguments = 2: must be at most 1 for SERIESM_REDEEMDATE(notice_date)")
    assert function_named("=seriesm_accrued(").name == "SERIESM_ACCRUED"


def test_recording_is_off_outside_explanations() -> None:
    from xl_seriesm.core import explain  # noqa: PLC0415

    assert not explain.active()
    udfs.SERIESM_WORKDAY(dt.date(2021, 12, 23), 2)
    with explain.recording() as steps:
        pass
    assert steps == []


# --- what each derivation shows (the list), worked by hand ----------------------------

def _steps(name: str, *args: object) -> dict[str, object]:
    return {s.step: s.value for s in explain_call(name, args).steps}


def test_accrued_shows_the_day_count_and_the_year_fraction() -> None:
    # "From closing": 10 January to 10 April 2005 in 30/360 is 90 days, 1/4 of a year (§2).
    steps = _steps("ACCRUED", 9100, dt.date(2005, 1, 10), dt.date(2005, 4, 10), 0, 0,
                   "from closing")
    assert steps["annual dividend: shares × $1,000 × 5%"] == 455_000
    assert 90 in steps.values()
    assert steps["year fraction, Excel's YEARFRAC basis 0"] == Fraction(1, 4)


def test_accrued_per_period_shows_the_periods_and_the_running_period() -> None:
    # "Per period" (the default), 28 February 2005 to 27 May 2005, basis 0: no full period
    # yet; the first runs to 28 May, 88 days in YEARFRAC's 30/360 (28 February counts as the
    # 30th), of which 87 have passed: 87/88 of a period, 87/352 of a year (§2).
    steps = _steps("ACCRUED", 100, dt.date(2005, 2, 28), dt.date(2005, 5, 27))
    assert steps["per period: full dividend periods since the Closing Date, each a quarter "
                 "of the annual dividend"] == 0
    assert steps["of the period's days"] == 88
    assert steps["periods accrued, exactly"] == Fraction(87, 88)
    assert steps["years of dividend: periods ÷ 4"] == Fraction(87, 352)


def test_convert_shows_the_anniversary_the_lot_check_and_the_product() -> None:
    steps = _steps("CONVERT", 500, dt.date(2005, 1, 10), dt.date(2006, 1, 10))
    assert steps["conversion opens: the Closing Date's first anniversary"] == dt.date(2006, 1, 10)
    assert steps["Series M shares converted: a multiple of 100"] == 500
    assert steps["common issuable: shares × conversion number"] == 2_000_000


def test_dilute_shows_a_b_c_and_the_factor_of_each_issuance() -> None:
    # Row 1: A 1,000,000, B 200,000, C 30,000 ÷ 0.25 = 120,000, factor 1.2M/1.12M = 15/14.
    # Row 2: A 1,200,000, B 100,000, C 10,000 ÷ 0.25 = 40,000, factor 1.3M/1.24M = 65/62.
    steps = explain_call("DILUTE", (4000, [[1e6], [1.2e6]], [[2e5], [1e5]],
                                    [[3e4], [1e4]])).steps
    factors = [s.value for s in steps if s.step == "factor (A + B) ÷ (A + C)"]
    assert factors == [Fraction(15, 14), Fraction(65, 62)]
    assert [s.value for s in steps if s.step.startswith("C: ")] == [120_000, 40_000]
    assert [s.value for s in steps if s.step.startswith("A: ")] == [1_000_000, 1_200_000]


def test_waterfall_shows_the_preference_the_fraction_both_alternatives_and_the_choice() -> None:
    # L = 9,200,000; f = 1/2; at 20,100,000 not converting pays 9,200,000, converting
    # 100,000 + 20,000,000 / 2 = 10,100,000, and the breakpoint 18,300,000 is passed (§3).
    steps = _steps("WATERFALL", 20_100_000, 9100, 36_400_000, 100_000)
    assert steps["Liquidation Value: shares × $1,000 + accrued dividends"] == 9_200_000
    assert steps["f: the converted class's share of all common"] == Fraction(1, 2)
    assert steps["not converting: min(proceeds, Liquidation Value)"] == 9_200_000
    assert steps["converting: accrued dividends + (proceeds − them) × f"] == 10_100_000
    assert steps["the Series M converts: allowed and proceeds past the breakpoint"] is True


def test_deadline_counts_each_business_day_and_names_each_closed_day() -> None:
    steps = explain_call("DEADLINE", ("2021-12-20",)).steps
    counted = [s.value for s in steps if "business day" in s.step and " of 10" in s.step]
    assert len(counted) == 10
    assert counted[-1] == dt.date(2022, 1, 3)
    closed = [s.step for s in steps if "closed" in s.step]
    assert ("Saturday 25 Dec 2021: closed (Saturday; Christmas Day, which the Federal Reserve "
            "does not move)") in closed
    assert ("Saturday 1 Jan 2022: closed (Saturday; New Year's Day, which the Federal Reserve "
            "does not move)") in closed
    observed = _steps("WORKDAY", dt.date(2022, 12, 23), 1)
    assert observed["Monday 26 Dec 2022: closed (Christmas Day (observed))"] == dt.date(
        2022, 12, 26)


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(1999, 1, 1), dt.date(2100, 12, 31)),
       st.sets(st.dates(dt.date(1999, 1, 1), dt.date(2100, 12, 31)), max_size=3))
def test_the_reason_given_agrees_with_the_calendar(day: dt.date,
                                                   closures: set[dt.date]) -> None:
    calendar = BankCalendar(closures)
    assert calendar.why(day).startswith("open") == calendar.is_business_day(day)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 9100), st.dates(dt.date(2000, 1, 1), dt.date(2050, 1, 1)),
       st.integers(0, 3000), st.integers(0, 4))
def test_explaining_never_changes_a_result(shares: int, closing: dt.date, days: int,
                                           basis: int) -> None:
    as_of = closing + dt.timedelta(days=days)
    for name in ("ACCRUED", "LIQVALUE", "REDEEM"):
        direct = getattr(udfs, f"SERIESM_{name}")(shares, closing, as_of, 0, basis)
        explanation = explain_call(name, (shares, closing, as_of, 0, basis))
        assert explanation.result == direct
        if explanation.failed:  # REDEEM before closing + 15 days (§6(a)): the error row
            continue
        assert cell_value(explanation.steps[-1].value) == direct


def test_the_short_first_period_of_quarter_ends_is_a_step_of_its_own() -> None:
    # Closing 10 January 2005, quarter ends, actual days, as of 15 May 2005: the first period
    # (31 December to 31 March, 90 days) accrues its 80 days from the Closing Date; no full
    # period after it; then 45 of the next 91 days. 80/90 + 0 + 45/91 = 1133/819 periods
    # (§2). The steps used to call the short first period a full one (1 + 45/91 ≠ 1133/819).
    from xl_seriesm.excel.udfs import explain_call  # noqa: PLC0415

    e = explain_call("ACCRUED", [1000, dt.date(2005, 1, 10), dt.date(2005, 5, 15), 0, 1,
                                 "per period", "quarter ends"])
    values = [step.value for step in e.steps]
    words = [step.step for step in e.steps]
    first = next(i for i, w in enumerate(words) if w.startswith("first period 2004-12-31"))
    assert values[first:first + 5] == [80, 90, 0, 45, 91]
    assert Fraction(1133, 819) in values
    assert e.result == 17292.43


def test_an_as_of_date_whose_period_ends_past_9999_names_the_last_day() -> None:
    # From a 10 January 2005 closing the periods end on EDATE(closing, 3k): the last that
    # exists is 10 October 9999 (k = 31,979); the period from it would end on 10 January
    # 10000, which no date holds. So 9 October 9999 is the last day that accrues (§2), and
    # 31 December 9999 is refused naming the argument and that day.
    from xl_seriesm.excel.udfs import SERIESM_ACCRUED  # noqa: PLC0415

    assert isinstance(SERIESM_ACCRUED(100, dt.date(2005, 1, 10), dt.date(9999, 10, 9)), float)
    said = str(SERIESM_ACCRUED(100, dt.date(2005, 1, 10), dt.date(9999, 12, 31)))
    assert said.startswith("#NUM! as_of_date = 9999-12-31: must be on or before 9999-10-09")
