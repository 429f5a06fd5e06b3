"""Values between LibreOffice Calc and the Excel functions, for the Calc add-in.

Calc hands an add-in argument declared ``any`` over as a float (numbers, dates as serial
numbers, TRUE as 1), a string, a tuple of row tuples for a range (an empty cell in it as
``""``), ``None`` for an argument left out, and 0 for a single empty cell (as xlwings Lite on
the desktop does, which the spec's ``zero_is_empty`` arguments already read as "not given").
A cell holding an error never arrives: Calc gives the error itself without calling the
add-in. The functions are then called as classic xlwings calls them (ranges as lists of row
lists, empty cells ``None``).

Calc takes back a table of numbers and strings only: TRUE/FALSE become 1/0 (Calc keeps no
boolean type), a date its serial number, an empty result ``""``; an error stays the text
starting with its code that the functions return in classic Excel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time

_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 0 in the 1900 date system after March 1900

CalcTable = tuple[tuple[float | str, ...], ...]


def argument(value: object, boolean: bool = False) -> object:
    """One argument as the Excel functions expect it from classic xlwings. For a TRUE/FALSE
    argument, Calc's 1 and 0 are TRUE and FALSE (so a FALSE is never read as "left out")."""
    if isinstance(value, tuple):
        return [[None if cell == "" else _truth(cell, boolean) for cell in row]
                for row in value]
    return _truth(value, boolean)


def _truth(value: object, boolean: bool) -> object:
    if boolean and isinstance(value, float) and value in (0.0, 1.0):
        return value == 1.0
    return value


def _cell(value: object) -> float | str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, datetime):
        return (value - _EXCEL_EPOCH).total_seconds() / 86_400
    if isinstance(value, date):
        return float((value - _EXCEL_EPOCH.date()).days)
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86_400
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        return value
    try:
        return float(value)  # type: ignore[arg-type]  # a Fraction, a Decimal, numpy's
    except (TypeError, ValueError):
        return str(value)


def result(value: object) -> CalcTable:
    """A function's result as the table Calc takes (one cell is a table of one)."""
    if isinstance(value, (list, tuple)):
        rows = [row if isinstance(row, (list, tuple)) else [row] for row in value]
        if not rows:
            return (("",),)
        width = max(len(row) for row in rows) or 1
        return tuple(tuple(_cell(row[j]) if j < len(row) else "" for j in range(width))
                     for row in rows)
    return ((_cell(value),),)


def call(name: str, function: Callable[..., object], args: Sequence[object],
         booleans: Sequence[bool] = ()) -> CalcTable:
    """Call ``function`` with Calc's arguments (``booleans``: which are TRUE/FALSE ones);
    never raises (a cell must not crash Calc)."""
    flags = list(booleans) + [False] * (len(args) - len(booleans))
    try:
        return result(function(*(argument(a, b) for a, b in zip(args, flags, strict=False))))
    except Exception as error:  # noqa: BLE001 - shown in the cell, never a traceback
        return ((f"#VALUE! {name}: unexpected {type(error).__name__} ({error}); please report "
                 "it with the arguments used.",),)
