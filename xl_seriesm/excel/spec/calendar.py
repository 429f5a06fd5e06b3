"""The spec of the functions of §5(f): the business day of banks in Palm Beach County."""

from __future__ import annotations

from xl_seriesm.excel.spec.base import (
    BANK_READING,
    BOOL_RESULT,
    CAL_ERRORS,
    CALENDAR_ARGS,
    DATE_RESULT,
    DATES_ERRORS,
    Arg,
    Example,
    Function,
    Kind,
    ymd,
)

SERIESM_ISBUSDAY = Function(
    name="SERIESM_ISBUSDAY",
    description="Whether banks in Palm Beach County, Florida are open on a date, the "
                "certificate's business day (§5(f)), on the Federal Reserve holiday "
                "schedule.",
    section="§5(f), §10",
    args=(Arg("test_date", "The date to test, or a range of dates.", Kind.DATE, array=True),
          *CALENDAR_ARGS),
    returns="TRUE on a business day.",
    formula="Monday to Friday, not a Federal Reserve holiday, not in `closures`; or in "
            "`openings`",
    rounding=BOOL_RESULT,
    reading=BANK_READING,
    errors=(DATES_ERRORS, CAL_ERRORS),
    examples=(
        Example((ymd("2021-12-24"),), True,
                "Christmas 2021 fell on a Saturday: the Federal Reserve does not move it, so "
                "banks open on Friday 24 December (the federal calendar closes that day).",
                "=SERIESM_ISBUSDAY(DATE(2021,12,24))"),
        Example((ymd("2022-12-26"),), False,
                "Christmas 2022 fell on a Sunday: closed Monday 26 December.",
                "=SERIESM_ISBUSDAY(DATE(2022,12,26))"),
        Example((ymd("2022-11-25"),), True,
                "The Friday after Thanksgiving is a Florida state holiday, but banks open.",
                "=SERIESM_ISBUSDAY(DATE(2022,11,25))"),
    ),
    array="`test_date` takes a range; `closures` and `openings` are ranges of dates.",
    settings=("closures, openings: days the schedule gets wrong",),
)


SERIESM_WORKDAY = Function(
    name="SERIESM_WORKDAY",
    description="The date a number of business days before or after a start date, like "
                "Excel's WORKDAY on the calendar of banks in Palm Beach County (§5(f)).",
    section="§5(f), §10",
    args=(Arg("start_date", "The day to count from (not counted).", Kind.DATE, array=True),
          Arg("days", "Business days to move: positive forward, negative back (a fraction "
              "is dropped, as in Excel).", array=True),
          *CALENDAR_ARGS),
    returns="A date.",
    formula="WORKDAY(start_date, days, holidays) with this calendar's holidays",
    rounding=DATE_RESULT,
    reading=BANK_READING + " As Excel's WORKDAY, 0 days returns the start date itself, "
            "even on a day banks are closed.",
    errors=(DATES_ERRORS, CAL_ERRORS, "#VALUE! `days` given as text"),
    examples=(Example((ymd("2021-12-23"), 2), ymd("2021-12-27"),
                      "Friday 24 December 2021 is open (1), then the weekend: Monday 27th "
                      "(2).", "=SERIESM_WORKDAY(DATE(2021,12,23), 2)"),),
    array="`start_date` and `days` take ranges.",
    settings=("closures, openings: days the schedule gets wrong",),
)
