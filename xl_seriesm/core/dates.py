"""Calendar arithmetic as Excel does it: serial numbers, EDATE, month ends.

Excel's 1900 date system counts 1900-01-01 as serial 1 and, to stay compatible with Lotus
1-2-3, believes in a 29 February 1900 (serial 60). Every serial from 61 on is therefore one
more than the true count of days since 1899-12-31.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

#: Serial 60 is Excel's phantom 1900-02-29.
PHANTOM_SERIAL = 60
#: The first and last days Excel can show (serials 1 and 2958465).
FIRST_EXCEL_DATE = date(1900, 1, 1)
LAST_EXCEL_DATE = date(9999, 12, 31)
_EPOCH = date(1899, 12, 30)  # serial 0 for every day from 1900-03-01 on


def to_serial(day: date) -> int:
    """Excel's serial number of a day.

    >>> to_serial(date(1900, 1, 1)), to_serial(date(1900, 2, 28)), to_serial(date(1900, 3, 1))
    (1, 59, 61)
    >>> to_serial(date(2005, 1, 10))
    38362
    """
    serial = (day - _EPOCH).days
    return serial if serial >= PHANTOM_SERIAL + 1 else serial - 1


def from_serial(serial: int) -> date:
    """The day of an Excel serial number (1 to 2958465, never 60).

    >>> from_serial(1), from_serial(59), from_serial(61), from_serial(38362)
    (datetime.date(1900, 1, 1), datetime.date(1900, 2, 28), datetime.date(1900, 3, 1), \
datetime.date(2005, 1, 10))
    """
    if serial == PHANTOM_SERIAL:
        raise ValueError("serial 60 is Excel's phantom 1900-02-29")
    if serial < PHANTOM_SERIAL:
        return _EPOCH + timedelta(days=serial + 1)
    return _EPOCH + timedelta(days=serial)


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: date, months: int) -> date:
    """Excel's EDATE: the same day ``months`` later, or that month's last day if shorter.

    >>> add_months(date(2005, 1, 31), 1), add_months(date(2004, 2, 29), 12)
    (datetime.date(2005, 2, 28), datetime.date(2005, 2, 28))
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise OverflowError(f"{months} months from {day.isoformat()} is past 9999-12-31")
    return date(year, month, min(day.day, days_in_month(year, month)))


def anniversary(closing_date: date, years: int = 1) -> date:
    """The ``years``-th anniversary, by EDATE rules (29 February gives 28 February).

    >>> anniversary(date(2005, 1, 10)), anniversary(date(2008, 2, 29))
    (datetime.date(2006, 1, 10), datetime.date(2009, 2, 28))
    """
    return add_months(closing_date, 12 * years)


def month_end(day: date) -> date:
    """Excel's EOMONTH(day, 0): the last day of the month.

    >>> month_end(date(2004, 2, 3))
    datetime.date(2004, 2, 29)
    """
    return date(day.year, day.month, days_in_month(day.year, day.month))


def quarter_end_on_or_after(day: date) -> date:
    """The calendar quarter end (31 Mar, 30 Jun, 30 Sep, 31 Dec) on or after ``day``."""
    month = ((day.month - 1) // 3 + 1) * 3
    return date(day.year, month, days_in_month(day.year, month))
