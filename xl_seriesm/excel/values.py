"""Reading what Excel hands over, and writing what Excel can show.

Excel (through classic xlwings or xlwings Lite) passes numbers as floats or ints, dates as
``datetime`` objects or as serial numbers (a date computed by a formula, or any date in Lite),
booleans as ``bool``, empty cells as ``None`` (classic) or ``0`` (Lite on the desktop), and
ranges as lists. Users also type dates as ISO text. Each reader here turns one such value
into the core's type, or raises the catalogue's error naming the argument.
"""

from __future__ import annotations

import math
import numbers
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from xl_seriesm.core import errors
from xl_seriesm.core.dated_dilution import Split, check_splits
from xl_seriesm.core.dates import FIRST_EXCEL_DATE, LAST_EXCEL_DATE, PHANTOM_SERIAL, from_serial
from xl_seriesm.core.numbers import exact
from xl_seriesm.core.stack import StackClass
from xl_seriesm.core.stack_table import COLUMNS, parse_stack

LAST_SERIAL = 2_958_465  # 9999-12-31

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")


def is_empty(value: object) -> bool:
    """An empty cell: ``None`` in classic Excel and in Lite on the web, ``""`` sometimes."""
    return value is None or (isinstance(value, str) and value.strip() == "")


def number(value: object, arg: str) -> Fraction:
    """A number from a cell, exact (a float through its shortest decimal form)."""
    if isinstance(value, bool) or value is None:
        raise errors.not_a_number(arg, value)
    if isinstance(value, (float, int, Fraction, Decimal)):
        return exact(value, arg)
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, numbers.Real):
        return exact(float(value), arg)
    raise errors.not_a_number(arg, value)


def whole_number(value: object, arg: str) -> int:
    exact_value = number(value, arg)
    if exact_value.denominator != 1:
        raise errors.not_whole(arg, value)
    return exact_value.numerator


def moment(value: object, arg: str) -> date | datetime:
    """A date, or a date and time, from a cell.

    Accepts ``date``, ``datetime`` (naive), Excel serial numbers in the 1900 date system
    (the fraction is the time of day, rounded to the second) and ISO text
    (``2005-01-10`` or ``2005-01-10 16:30``). A time of exactly midnight gives a plain date.
    """
    if isinstance(value, date):  # a datetime is a date too
        return _in_excel_range(_plain(value), arg, value)
    if type(value).__name__ == "datetime64":  # numpy's, from a DataFrame column
        return moment(value.astype("datetime64[us]").item(), arg)  # type: ignore[attr-defined]
    if isinstance(value, bool) or value is None:
        raise errors.not_a_date(arg, value)
    if isinstance(value, numbers.Real):
        return _from_serial(float(value), arg, value)
    if isinstance(value, str):
        return _in_excel_range(_from_text(value, arg), arg, value)
    raise errors.not_a_date(arg, value)


def _plain(value: date) -> date | datetime:
    """A date as a date, a datetime without its time zone (a plain date at midnight)."""
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value.replace(tzinfo=None)
    return value


def _in_excel_range(found: date | datetime, arg: str, shown: object) -> date | datetime:
    """Excel's dates run from 1900-01-01 (serial 1): an earlier date, however typed, is
    refused as serial 0 is."""
    day_of = found.date() if isinstance(found, datetime) else found
    if day_of < FIRST_EXCEL_DATE:
        raise errors.date_out_of_range(arg, shown, FIRST_EXCEL_DATE, LAST_EXCEL_DATE)
    return found


def day(value: object, arg: str) -> date:
    """A date from a cell; any time of day is dropped (as Excel's date functions do)."""
    found = moment(value, arg)
    return found.date() if isinstance(found, datetime) else found


def _from_serial(serial: float, arg: str, shown: object) -> date | datetime:
    if not math.isfinite(serial):
        raise errors.not_a_date(arg, shown)
    whole = math.floor(serial)
    if whole == PHANTOM_SERIAL:
        raise errors.phantom_date(arg, shown)
    if not 1 <= whole <= LAST_SERIAL:
        raise errors.date_out_of_range(arg, shown, FIRST_EXCEL_DATE, LAST_EXCEL_DATE)
    the_day = from_serial(whole)
    seconds = round((serial - whole) * 86_400)
    if seconds == 0:
        return the_day
    if seconds >= 86_400:  # a hair below the next midnight
        if whole == LAST_SERIAL:
            raise errors.date_out_of_range(arg, shown, FIRST_EXCEL_DATE, LAST_EXCEL_DATE)
        return the_day + timedelta(days=1)
    return datetime(the_day.year, the_day.month, the_day.day) + timedelta(seconds=seconds)


def _from_text(text: str, arg: str) -> date | datetime:
    match = _ISO.match(text)
    if not match:
        raise errors.not_a_date(arg, text)
    year, month, dom, hour, minute, second = match.groups()
    try:
        if hour is None:
            return date(int(year), int(month), int(dom))
        found = datetime(int(year), int(month), int(dom), int(hour), int(minute),
                         int(second or 0))
    except ValueError:
        raise errors.not_a_date(arg, text) from None
    return found.date() if found.time() == datetime.min.time() else found


def boolean(value: object, arg: str) -> bool:
    """TRUE/FALSE from a cell: a boolean, 1 or 0, or the words TRUE/FALSE (any case)."""
    if isinstance(value, bool):
        return value
    if type(value).__name__ == "bool_":  # numpy's
        return bool(value)
    if isinstance(value, numbers.Real) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().upper() in ("TRUE", "FALSE"):
        return value.strip().upper() == "TRUE"
    raise errors.not_a_boolean(arg, value)


def text(value: object, arg: str) -> str:
    if isinstance(value, str):
        return value.strip()
    raise errors.not_a_text(arg, value, ("text",))


def flatten(value: object) -> list[object]:
    """The cells of a range, row by row (a single value is a range of one)."""
    if isinstance(value, (list, tuple)):
        cells: list[object] = []
        for row in value:
            if isinstance(row, (list, tuple)):
                cells.extend(row)
            else:
                cells.append(row)
        return cells
    return [value]


def date_set(value: object, arg: str) -> frozenset[date]:
    """Dates from a range, empty cells (None, "" or Lite's 0) ignored."""
    found = set()
    for cell in flatten(value):
        if is_empty(cell) or (isinstance(cell, numbers.Real) and not isinstance(cell, bool)
                              and cell == 0):
            continue
        found.add(day(cell, arg))
    return frozenset(found)


def split_rows(value: object, arg: str = "splits") -> tuple[Split, ...]:
    """Splits of the common from a range of rows: date, new shares, old shares (two
    columns: date and new shares for one old share); rows wholly empty are skipped."""
    rows = value if isinstance(value, (list, tuple)) else [value]
    if rows and not isinstance(rows[0], (list, tuple)):
        rows = [rows]
    found = []
    for index, row in enumerate(rows):
        cells = list(row) if isinstance(row, (list, tuple)) else [row]
        if all(is_empty(cell) or (isinstance(cell, numbers.Real) and cell == 0)
               for cell in cells):
            continue
        where = f"{arg} row {index + 1}"
        if len(cells) not in (2, 3):
            raise errors.table_cell(where, "columns", f"{len(cells)} cells",
                                    "give 2 or 3 columns: date, new shares, old shares",
                                    errors.ErrorCode.VALUE)
        new = number(cells[1], f"{where}, new shares")
        old = (number(cells[2], f"{where}, old shares")
               if len(cells) == 3 and not is_empty(cells[2]) else Fraction(1))
        found.append(Split(day(cells[0], f"{where}, date"), new, old))
    return check_splits(found, arg)


def to_excel(value: object) -> object:
    """A core result as a value a cell can hold (floats for exact numbers and for whole
    numbers too large to be exact in a cell)."""
    if isinstance(value, (Fraction, Decimal)) or (
            isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53):
        shown = float(value)  # an int past 1e308 raises OverflowError itself
        if math.isinf(shown):  # a Decimal past 1e308 becomes inf: no cell can hold it
            raise OverflowError("a number past 1e308")
        return shown
    if isinstance(value, (list, tuple)):
        return [to_excel(item) for item in value]
    return value


def stack_table(value: object, arg: str = "stack") -> tuple[StackClass, ...]:
    """The capital stack from a range with its header row (row 1 of the range); a 0 where
    nothing valid is 0 is an empty cell (xlwings Lite on the desktop)."""
    if not isinstance(value, (list, tuple)):
        raise errors.not_a_table(arg, value, COLUMNS)
    rows = value if value and isinstance(value[0], (list, tuple)) else [value]
    return parse_stack(rows, source=arg, zero_is_empty=True)
