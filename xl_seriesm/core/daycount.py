"""Excel's day-count bases, with Excel's own YEARFRAC and DAYS360 rules, exactly.

The §2 dividend accrues "at the annual rate of five percent", and the certificate names no
day count; spreadsheet users know Excel's ``basis`` codes, so those are the choices here.
The rules below reproduce what Excel computes (checked against 370 date pairs in all five
bases saved by Microsoft Excel, ``shared/data/excel-yearfrac.csv``), including two traps:

* YEARFRAC basis 0 treats the last day of February as the 30th; DAYS360 does not, so the
  two disagree near February's end.
* YEARFRAC basis 1 is not ISDA actual/actual: over more than a year it divides by the
  average length of the calendar years the period touches.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from fractions import Fraction

from xl_seriesm.core import errors
from xl_seriesm.core.dates import days_in_month


class Basis(IntEnum):
    """Excel's ``basis`` codes for YEARFRAC and friends."""

    US_30_360 = 0
    ACTUAL_ACTUAL = 1
    ACTUAL_360 = 2
    ACTUAL_365 = 3
    EUROPEAN_30_360 = 4

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Basis.US_30_360: "US 30/360",
    Basis.ACTUAL_ACTUAL: "Actual/Actual",
    Basis.ACTUAL_360: "Actual/360",
    Basis.ACTUAL_365: "Actual/365",
    Basis.EUROPEAN_30_360: "European 30/360",
}

# Spellings users type, after _normalise (lower case, no spaces, "actual" -> "act").
_ALIASES: dict[str, Basis] = {
    "0": Basis.US_30_360, "us30/360": Basis.US_30_360, "30/360": Basis.US_30_360,
    "30u/360": Basis.US_30_360, "nasd": Basis.US_30_360, "nasd30/360": Basis.US_30_360,
    "1": Basis.ACTUAL_ACTUAL, "act/act": Basis.ACTUAL_ACTUAL,
    "2": Basis.ACTUAL_360, "act/360": Basis.ACTUAL_360,
    "3": Basis.ACTUAL_365, "act/365": Basis.ACTUAL_365, "act/365f": Basis.ACTUAL_365,
    "act/365fixed": Basis.ACTUAL_365,
    "4": Basis.EUROPEAN_30_360, "european30/360": Basis.EUROPEAN_30_360,
    "30e/360": Basis.EUROPEAN_30_360, "30/360european": Basis.EUROPEAN_30_360,
    "eur30/360": Basis.EUROPEAN_30_360,
}

#: What the error message and the documentation offer.
BASIS_CHOICES = tuple(f"{b.value} ({b.label})" for b in Basis)


def _normalise(text: str) -> str:
    return text.strip().lower().replace(" ", "").replace("actual", "act")


def parse_basis(value: object, arg: str = "basis") -> Basis:
    """A basis from an Excel code (0 to 4) or a name a user would type.

    >>> parse_basis(0), parse_basis(4.0), parse_basis("Actual/360"), parse_basis("30E/360")
    (<Basis.US_30_360: 0>, <Basis.EUROPEAN_30_360: 4>, <Basis.ACTUAL_360: 2>, \
<Basis.EUROPEAN_30_360: 4>)
    """
    if isinstance(value, Basis):
        return value
    if isinstance(value, (int, float, Fraction)) and not isinstance(value, bool):
        # Excel truncates a fractional basis (YEARFRAC(a, b, 1.7) is basis 1).
        if 0 <= value < 5:
            return Basis(int(value))
        raise errors.unknown_choice(arg, value, BASIS_CHOICES)
    if isinstance(value, str) and _normalise(value) in _ALIASES:
        return _ALIASES[_normalise(value)]
    raise errors.unknown_choice(arg, value, BASIS_CHOICES)


def _is_last_of_february(day: date) -> bool:
    return day.month == 2 and day.day == days_in_month(day.year, 2)


def _days_30_360(y1: int, m1: int, d1: int, y2: int, m2: int, d2: int) -> int:
    return (y2 - y1) * 360 + (m2 - m1) * 30 + (d2 - d1)


def _us_30_360_yearfrac_days(start: date, end: date) -> int:
    """Day count of YEARFRAC basis 0 (start <= end), February's end included."""
    d1, d2 = start.day, end.day
    if d1 == 31 and d2 == 31:
        d1 = d2 = 30
    elif d1 == 31:
        d1 = 30
    elif d1 == 30 and d2 == 31:
        d2 = 30
    elif _is_last_of_february(start) and _is_last_of_february(end):
        d1 = d2 = 30
    elif _is_last_of_february(start):
        d1 = 30
    return _days_30_360(start.year, start.month, d1, end.year, end.month, d2)


def _european_30_360_days(start: date, end: date) -> int:
    return _days_30_360(start.year, start.month, min(start.day, 30),
                        end.year, end.month, min(end.day, 30))


def _actual_actual(start: date, end: date) -> Fraction:
    """YEARFRAC basis 1 (start <= end)."""
    actual = (end - start).days
    within_a_year = start.year == end.year or (
        start.year + 1 == end.year and (start.month, start.day) >= (end.month, end.day)
    )
    if within_a_year:
        same_year = start.year == end.year
        leap = _is_leap(start.year) if same_year else _february_29_between(start, end)
        return Fraction(actual, 366 if leap else 365)
    years = end.year - start.year + 1
    days_in_years = (date(end.year + 1, 1, 1) - date(start.year, 1, 1)).days
    # Excel holds the average year length as a double before dividing; doing the same keeps
    # every result bit-for-bit equal to Excel's (the exact ratio differs in the last place).
    average_year = Fraction(days_in_years / years)
    return actual / average_year


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _february_29_between(start: date, end: date) -> bool:
    return any(
        _is_leap(year) and start <= date(year, 2, 29) <= end
        for year in range(start.year, end.year + 1)
    )


def yearfrac(start: date, end: date, basis: Basis = Basis.US_30_360) -> Fraction:
    """Excel's YEARFRAC(start, end, basis), exactly. Dates in either order, as in Excel.

    >>> yearfrac(date(2005, 1, 10), date(2005, 4, 10))
    Fraction(1, 4)
    >>> yearfrac(date(2004, 2, 29), date(2005, 2, 28), Basis.US_30_360)
    Fraction(1, 1)
    >>> yearfrac(date(2001, 1, 31), date(2001, 3, 31), Basis.ACTUAL_365)
    Fraction(59, 365)
    """
    if start > end:
        start, end = end, start
    if basis == Basis.US_30_360:
        return Fraction(_us_30_360_yearfrac_days(start, end), 360)
    if basis == Basis.ACTUAL_ACTUAL:
        return _actual_actual(start, end)
    if basis == Basis.ACTUAL_360:
        return Fraction((end - start).days, 360)
    if basis == Basis.ACTUAL_365:
        return Fraction((end - start).days, 365)
    return Fraction(_european_30_360_days(start, end), 360)


def day_count(start: date, end: date, basis: Basis = Basis.US_30_360) -> Fraction:
    """The days YEARFRAC counts between two dates: 30/360 days for bases 0 and 4, actual
    days otherwise (basis 1 divides them by the average length of the years spanned).

    >>> day_count(date(2005, 1, 10), date(2005, 4, 10)), day_count(date(2005, 1, 10),
    ...                                                            date(2005, 3, 1), Basis(3))
    (Fraction(90, 1), Fraction(50, 1))
    """
    if basis in (Basis.US_30_360, Basis.EUROPEAN_30_360):
        return yearfrac(start, end, basis) * 360
    return Fraction(abs((end - start).days))


def days360(start: date, end: date, european: bool = False) -> int:
    """Excel's DAYS360(start, end, method); negative when ``end`` is before ``start``.

    US method (FALSE): a start on the 31st becomes the 30th; an end on the 31st becomes the
    30th only if the start is then the 30th. Unlike YEARFRAC basis 0, February's last day
    is left alone.

    >>> days360(date(2005, 1, 31), date(2005, 3, 31)), days360(date(2005, 2, 28), date(2005, 3, 31))
    (60, 33)
    """
    if european:
        return _european_30_360_days(start, end)
    d1, d2 = start.day, end.day
    if d1 == 31:
        d1 = 30
    if d2 == 31 and d1 == 30:
        d2 = 30
    return _days_30_360(start.year, start.month, d1, end.year, end.month, d2)
