"""Business days of banks in Palm Beach County, Florida (§5(f), §10).

§5(f) defines a "business day" as "the hours between 9:00 a.m. and 5:00 p.m. on any day on
which banks are open for business in Palm Beach County, Florida". Banks there keep the
Federal Reserve holiday schedule: a holiday on a Sunday closes the Monday after, a holiday on
a Saturday does not move (the Friday before is open). That differs from the US federal
government calendar (which closes the Friday before a Saturday holiday) and from Florida's
state holidays (the Friday after Thanksgiving is a state holiday; banks are open). The
schedule comes from the ``holidays`` package (``financial_holidays("XFED")``), whose data
cover 1999 to 2100; users add the days a hurricane or a day of mourning closed the banks
(``closures``) and days they opened against the schedule (``openings``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from xl_seriesm.core import errors, terms
from xl_seriesm.core.explain import active, note

#: Where a business day is defined.
SECTION = "§5(f)"

#: The years the Federal Reserve data of the ``holidays`` package cover.
FIRST_YEAR = 1999
LAST_YEAR = 2100


@lru_cache(maxsize=1)
def _federal_reserve() -> Callable[[int], Mapping[date, str]]:
    """The Federal Reserve holidays of a year, by the ``holidays`` package.

    Imported here: building the calendar is paid only by the first date question, never by
    importing the Excel functions. Its module is loaded on its own when the package has it
    where this version keeps it: ``holidays.financial_holidays`` imports every exchange's
    calendar, and one of them every country's (about 90 ms, against a few ms for this one);
    tests/core/test_calendar.py checks both give the same days for every year the data
    cover. Otherwise the package's own lookup is used."""
    import holidays  # noqa: PLC0415

    def by_lookup(year: int) -> Mapping[date, str]:
        return holidays.financial_holidays("XFED", years=year)

    try:
        path = Path(holidays.__file__).parent / "financial" / "federal_reserve.py"
        spec = importlib.util.spec_from_file_location(
            "holidays.financial.federal_reserve", path)
        if spec is None or spec.loader is None:
            return by_lookup
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        calendar: Callable[..., Mapping[date, str]] = module.FederalReserve
    except (OSError, ImportError, AttributeError, SyntaxError):
        return by_lookup
    return lambda year: calendar(years=year)


@lru_cache(maxsize=256)
def _federal_reserve_holidays(year: int) -> frozenset[date]:
    return frozenset(_federal_reserve()(year))


@lru_cache(maxsize=64)
def _holiday_names(year: int) -> dict[date, str]:
    """The Federal Reserve holidays of a year by name (for explanations only)."""
    return dict(_federal_reserve()(year))


def long_date(day: date) -> str:
    """A date as a reader says it: ``Friday 24 Dec 2021``."""
    return f"{day:%A} {day.day} {day:%b %Y}"


class BankCalendar:
    """The days banks in Palm Beach County are open: weekdays except Federal Reserve
    holidays, less ``closures``, plus ``openings``.

    >>> cal = BankCalendar()
    >>> cal.is_business_day(date(2021, 12, 24))  # Christmas on a Saturday: Friday open
    True
    >>> cal.is_business_day(date(2022, 12, 26))  # Christmas on a Sunday: Monday closed
    False
    """

    def __init__(self, closures: Iterable[date] = (), openings: Iterable[date] = ()) -> None:
        self.closures = frozenset(closures)
        self.openings = frozenset(openings)
        both = self.closures & self.openings
        if both:
            raise errors.conflicting_dates("closures", min(both), "openings")

    def check_year(self, day: date, arg: str) -> None:
        """Refuse a day outside the years the Federal Reserve data cover."""
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise errors.date_out_of_range(
                arg, day, date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31))

    def is_business_day(self, day: date, arg: str = "date") -> bool:
        if day in self.closures:
            return False
        if day in self.openings:
            return True
        if day.weekday() >= 5:
            return False
        self.check_year(day, arg)
        return day not in _federal_reserve_holidays(day.year)

    def why(self, day: date) -> str:
        """Why banks are open or closed on ``day``, in words (for explanations)."""
        if day in self.closures:
            return "closed (listed in closures)"
        if day in self.openings:
            return "open (listed in openings)"
        name = (_holiday_names(day.year).get(day)
                if FIRST_YEAR <= day.year <= LAST_YEAR else None)
        if day.weekday() >= 5:
            moved = f"; {name}, which the Federal Reserve does not move" if name else ""
            return f"closed ({day:%A}{moved})"
        return f"closed ({name})" if name else "open"

    def is_open(self, day: date, arg: str = "date") -> bool:
        """:meth:`is_business_day`, with the reason noted for an explanation."""
        note("the day asked about", day, SECTION)
        open_ = self.is_business_day(day, arg)
        return note(f"{long_date(day)}: {self.why(day)}", open_, SECTION)

    def next_business_day(self, day: date, arg: str = "date") -> date:
        """``day`` itself when banks are open, else the next day they are."""
        while not self.is_business_day(day, arg):
            if active():
                note(f"{long_date(day)}: {self.why(day)}", day, SECTION)
            day += timedelta(days=1)
        return note(f"{long_date(day)}: open, the business day it counts on", day, SECTION)

    def workday(self, start: date, days: int, arg: str = "days",
                value: object | None = None) -> date:
        """Excel's WORKDAY on this calendar: ``days`` business days after ``start``
        (before it when negative), not counting ``start``; ``start`` itself when 0.
        Counting past the calendar's years is an error said of ``arg`` (shown as ``value``,
        by default ``days``).

        >>> BankCalendar().workday(date(2021, 12, 23), 1)  # Friday 24 Dec 2021 is open
        datetime.date(2021, 12, 24)
        """
        step = timedelta(days=1 if days >= 0 else -1)
        remaining = abs(days)
        day = note(f"start: {long_date(start)} (not counted); "
                   f"{abs(days)} business days {'after' if days >= 0 else 'before'}",
                   start, SECTION) if active() else start
        while remaining:
            day += step
            if not FIRST_YEAR <= day.year <= LAST_YEAR and day not in self.openings:
                raise errors.beyond_calendar(arg, days if value is None else value, start)
            if self.is_business_day(day):
                remaining -= 1
                if active():
                    note(f"{long_date(day)}: open, business day {abs(days) - remaining} of "
                         f"{abs(days)}", day, SECTION)
            elif active():
                note(f"{long_date(day)}: {self.why(day)}", day, SECTION)
        return day

    def workdays(self, starts: Sequence[int], days: Sequence[int],
                 ) -> tuple[list[int], list[bool]]:
        """:meth:`workday` down a column: the day ordinal of ``days[i]`` business days from
        ``starts[i]`` (day ordinals), and whether the row is answered. The business days of
        the column's span are listed once; each row is then one look-up in that list: with
        ``r`` the number of business days on or before the start, ``n`` days on is the
        ``(r + n)``-th business day, ``n`` days back the ``(r' + n + 1)``-th, ``r'`` counting
        those before the start (the start is never counted, open or not). A row whose count
        would leave the listed span (the calendar's years, or a span too short for many
        closures) is not answered; the caller asks :meth:`workday`, which words its error.
        """
        first = date(FIRST_YEAR, 1, 1).toordinal()
        last = date(LAST_YEAR, 12, 31).toordinal()
        moving = [start for start, count in zip(starts, days, strict=True)
                  if count and first <= start <= last]
        if not moving:
            return list(starts), [not count for count in days]
        most = max(map(abs, days))
        # Five business days a week, less at most a dozen holidays a year and the closures.
        pad = most * 3 // 2 + 14 + len(self.closures)
        low, high = max(first, min(moving) - pad), min(last, max(moving) + pad)
        business: list[int] = []  # the open days of the span, in order
        on_or_before = [0]  # [o - low + 1]: how many of them fall on or before day o
        for o in range(low, high + 1):
            if self.is_business_day(date.fromordinal(o)):
                business.append(o)
            on_or_before.append(len(business))
        results, answered = list(starts), [True] * len(starts)
        size = len(business)
        for row, (start, step) in enumerate(zip(starts, days, strict=True)):
            if not step:
                continue
            if not low <= start <= high:
                answered[row] = False
                continue
            # The index in ``business`` of the day the count lands on.
            index = (on_or_before[start - low + 1] + step - 1 if step > 0
                     else on_or_before[start - low] + step)
            if 0 <= index < size:
                results[row] = business[index]
            else:
                answered[row] = False
        return results, answered

    def receipt_day(self, received: date | datetime, arg: str = "received") -> date:
        """The business day on which something received at ``received`` counts.

        §5(f): business hours are 9:00 to 17:00. A receipt after 17:00, or on a day banks
        are closed, counts on the next business day; one before 9:00 on a business day
        counts that day (the hours have not begun, so nothing has been missed). A bare date
        counts as received within business hours.
        """
        if isinstance(received, datetime):
            day = received.date()
            if received.time() > terms.BUSINESS_HOURS_CLOSE and self.is_business_day(day, arg):
                note(f"received at {received:%H:%M}, after 17:00: counts on the next business "
                     "day", received, SECTION)
                day += timedelta(days=1)
            return self.next_business_day(day, arg)
        return self.next_business_day(received, arg)
