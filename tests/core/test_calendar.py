"""§5(f) business days: banks in Palm Beach County on the Federal Reserve schedule.

Each case says how the Federal Reserve schedule differs from the US federal government's
calendar (which moves a Saturday holiday to the Friday) and from Florida's state holidays.
"""

from __future__ import annotations

from datetime import date, datetime

import holidays
import pytest

from xl_seriesm.core.calendar import BankCalendar
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.notices import (
    DeadlineCount,
    conversion_date,
    deemed_liquidation_notice_by,
    delivery_deadline,
    election_by,
    may_revoke,
    record_notice_by,
)

D = date
CAL = BankCalendar()


@pytest.mark.parametrize(("day", "banks_open", "federal_closed", "florida_closed", "why"), [
    (D(2021, 12, 24), True, True, True,
     "Christmas 2021 fell on a Saturday: the Fed does not move it; the federal calendar "
     "closes Friday 24 December"),
    (D(2021, 12, 31), True, True, True,
     "New Year's Day 2022 fell on a Saturday: banks open on Friday 31 December 2021"),
    (D(2023, 11, 10), True, True, True, "Veterans Day 2023 on a Saturday: Friday open"),
    (D(2021, 6, 18), True, True, True, "Juneteenth 2021 on a Saturday: Friday open"),
    (D(2022, 11, 25), True, False, True,
     "the Friday after Thanksgiving is a Florida state holiday, not a bank holiday"),
    (D(2023, 10, 9), False, True, False,
     "Columbus Day: banks closed, though not a Florida state holiday"),
    (D(2022, 12, 26), False, True, True, "Christmas 2022 on a Sunday: Monday closed"),
    (D(2022, 6, 20), False, True, True, "Juneteenth 2022 on a Sunday: Monday closed"),
    (D(2022, 4, 15), True, False, False, "Good Friday: banks open"),
    (D(2022, 11, 24), False, True, True, "Thanksgiving Day"),
    (D(2022, 11, 26), False, False, False, "a Saturday"),
])
def test_bank_days_against_other_calendars(day: date, banks_open: bool, federal_closed: bool,
                                           florida_closed: bool, why: str) -> None:
    assert CAL.is_business_day(day) is banks_open, why
    # The contrast, from the same package: these calendars would give a different answer.
    assert (day in holidays.US(years=day.year)) is federal_closed, why
    assert (day in holidays.US(subdiv="FL", years=day.year)) is florida_closed, why


def test_closures_and_openings() -> None:
    hurricane = D(2004, 9, 27)  # a Monday
    assert CAL.is_business_day(hurricane)
    assert not BankCalendar(closures=[hurricane]).is_business_day(hurricane)
    saturday = D(2004, 9, 25)
    assert BankCalendar(openings=[saturday]).is_business_day(saturday)


def test_a_day_both_closed_and_open_is_refused() -> None:
    with pytest.raises(SeriesMError, match="closures = 2004-09-27: also listed in openings"):
        BankCalendar(closures=[D(2004, 9, 27)], openings=[D(2004, 9, 27)])


@pytest.mark.parametrize("day", [D(1998, 12, 31), D(2101, 1, 3)])
def test_outside_the_calendar(day: date) -> None:
    with pytest.raises(SeriesMError, match="must be a date from 1999-01-01 to 2100-12-31"):
        CAL.is_business_day(day)


@pytest.mark.parametrize(("start", "days", "expected", "why"), [
    (D(2021, 12, 23), 1, D(2021, 12, 24), "Friday 24 December 2021 is open"),
    (D(2021, 12, 23), 2, D(2021, 12, 27), "then the weekend"),
    (D(2021, 12, 24), -1, D(2021, 12, 23), "backwards"),
    (D(2022, 12, 23), 1, D(2022, 12, 27), "Monday 26 December 2022 is closed"),
    (D(2022, 12, 24), 0, D(2022, 12, 24), "0 days: the start itself, as Excel's WORKDAY"),
])
def test_workday(start: date, days: int, expected: date, why: str) -> None:
    assert CAL.workday(start, days) == expected, why


@pytest.mark.parametrize(("received", "expected", "why"), [
    (D(2021, 12, 20), D(2022, 1, 3),
     "Mon 20 Dec + 10 business days: 21, 22, 23, 24 (open), 27, 28, 29, 30, 31 (open), 3 Jan; "
     "the federal calendar would close 24 and 31 December and give 5 January"),
    (datetime(2021, 12, 20, 17, 0), D(2022, 1, 3), "at 17:00 exactly: still within hours"),
    (datetime(2021, 12, 20, 17, 1), D(2022, 1, 4), "after 17:00: counts from Tuesday 21st"),
    (datetime(2021, 12, 20, 8, 30), D(2022, 1, 3), "before 9:00 counts that business day"),
    (D(2021, 12, 25), D(2022, 1, 10),
     "a Saturday: counts from Monday 27th; 28, 29, 30, 31, 3, 4, 5, 6, 7, 10 January"),
    (D(2022, 6, 18), D(2022, 7, 6),
     "Saturday 18 June 2022: Monday 20th closed (Juneteenth observed), counts from Tuesday "
     "21st: 22, 23, 24, 27, 28, 29, 30 June, 1, 5 (4 July closed), 6 July"),
])
def test_delivery_deadline_from_next_business_day(received: date, expected: date,
                                                  why: str) -> None:
    """The setting that first moves the receipt to the business day it counts on."""
    assert delivery_deadline(received, CAL, count_from=DeadlineCount.NEXT_BUSINESS_DAY) \
        == expected, why


@pytest.mark.parametrize(("received", "expected", "why"), [
    (D(2022, 6, 18), D(2022, 7, 5),
     "§5(f) \"ten (10) business days after the receipt\": received Saturday 18 June 2022, "
     "the business days after it are 21 (20th closed, Juneteenth observed), 22, 23, 24, 27, "
     "28, 29, 30 June, 1 July, then 5 July (4th closed): the tenth is 5 July"),
    (datetime(2021, 12, 20, 17, 1), D(2022, 1, 3),
     "after 17:00 on Monday 20 December 2021: the days after the receipt day are counted, "
     "whatever the hour: 21, 22, 23, 24, 27, 28, 29, 30, 31 December, 3 January"),
    (D(2021, 12, 20), D(2022, 1, 3), "a business day: the same as the other reading"),
    (D(2021, 12, 25), D(2022, 1, 7),
     "Saturday 25 December 2021 (Christmas on a Saturday does not close Monday under the "
     "Federal Reserve schedule): 27, 28, 29, 30, 31 December, 3, 4, 5, 6, 7 January"),
])
def test_delivery_deadline(received: date, expected: date, why: str) -> None:
    """Default: the ten business days that follow the day of receipt itself."""
    assert delivery_deadline(received, CAL) == expected, why


def test_delivery_deadline_with_a_closure() -> None:
    # A hurricane closes the banks on Wednesday 29 December 2021: one more day.
    cal = BankCalendar(closures=[D(2021, 12, 29)])
    assert delivery_deadline(D(2021, 12, 20), cal) == D(2022, 1, 4)


@pytest.mark.parametrize(("received", "expected"), [
    (datetime(2022, 11, 23, 16, 59), D(2022, 11, 23)),
    (datetime(2022, 11, 23, 17, 30), D(2022, 11, 25)),  # Thanksgiving closed; Friday open
    (D(2022, 11, 24), D(2022, 11, 25)),
])
def test_conversion_date(received: date, expected: date) -> None:
    assert conversion_date(received, CAL) == expected


@pytest.mark.parametrize(("as_of", "delivered", "expected", "why"), [
    (D(2022, 1, 3), None, False, "the deadline day itself: not late yet"),
    (D(2022, 1, 4), None, True, "the day after the deadline, nothing delivered"),
    (D(2022, 1, 4), D(2022, 1, 3), False, "delivered on the deadline: on time"),
    (D(2022, 1, 6), D(2022, 1, 5), False, "delivered late, but delivered: no more revoking"),
    (D(2022, 1, 4), D(2022, 1, 5), True, "to be delivered later: still revocable today"),
])
def test_may_revoke(as_of: date, delivered: date | None, expected: bool, why: str) -> None:
    assert may_revoke(D(2021, 12, 20), as_of, CAL, delivered) is expected, why


def test_notice_deadlines() -> None:
    # §3(c): 20 days before the earlier of vote (30 June) and closing (15 July).
    assert deemed_liquidation_notice_by(D(2007, 6, 30), D(2007, 7, 15)) == D(2007, 6, 10)
    # §3(c) with no vote (written consent): 20 days before the closing, 15 July − 20 = 25 June.
    assert deemed_liquidation_notice_by(None, D(2007, 7, 15)) == D(2007, 6, 25)
    # §3(c): the holders' election at least three days before the effective date.
    assert election_by(D(2007, 7, 15)) == D(2007, 7, 12)
    # §10: ten business days before Friday 7 January 2022, counting back 6, 5, 4, 3 January,
    # 31 (open), 30, 29, 28, 27, 24 (open) December.
    assert record_notice_by(D(2022, 1, 7), CAL) == D(2021, 12, 24)


def test_the_federal_reserve_module_loaded_alone_gives_the_packages_days() -> None:
    # The calendar loads the package's Federal Reserve module on its own (not every
    # exchange's and country's): the same days, by the same names, in every year covered.
    from xl_seriesm.core.calendar import (  # noqa: PLC0415
        FIRST_YEAR,
        LAST_YEAR,
        _federal_reserve,
        _holiday_names,
    )

    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        assert _holiday_names(year) == dict(holidays.financial_holidays("XFED", years=year))
    assert _federal_reserve().__name__ == "<lambda>"  # loaded alone, not the lookup


def test_a_business_day_question_imports_no_country_calendar() -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = ("import sys; from datetime import date; "
            "from xl_seriesm.core.calendar import BankCalendar; "
            "assert not BankCalendar().is_business_day(date(2010, 1, 1)); "
            "print(sorted(m for m in sys.modules if m.startswith('holidays.countries')))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    assert out.strip() == "[]"
