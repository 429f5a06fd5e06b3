"""The one catalogue of error messages.

Every message reads well in a spreadsheet cell: it names the argument, echoes the value it
was given and says what is allowed, in one sentence whose start fits on a screen. The Excel
adapters show it after an Excel error code (``#VALUE! shares = -5: must be 0 or more.``).

Codes follow Excel's own habits: ``#VALUE!`` for a value of the wrong kind (text where a
number belongs, ranges that do not line up), ``#NUM!`` for a number or date outside what is
allowed, ``#N/A`` for an answer the certificate does not give (no conversion right yet, an
unknown output label).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from xl_seriesm.core import terms


class ErrorCode(StrEnum):
    VALUE = "#VALUE!"
    NUM = "#NUM!"
    NA = "#N/A"
    # Excel's other errors, passed on when an argument's cell holds one.
    DIV0 = "#DIV/0!"
    REF = "#REF!"
    NAME = "#NAME?"
    NULL = "#NULL!"


_ERROR_PREFIXES = tuple(f"{code.value} " for code in ErrorCode)


def is_error_text(value: object) -> bool:
    """Whether a value is an error text of this package (``#NUM! shares = ...``), which is
    how a classic add-in cell shows an error.

    >>> is_error_text("#NUM! shares = -5: must be 0 or more."), is_error_text("#N/A")
    (True, False)
    """
    return isinstance(value, str) and value.startswith(_ERROR_PREFIXES)


def error_code(value: object) -> str | None:
    """The Excel error code an error text starts with."""
    if isinstance(value, str) and is_error_text(value):
        return value.split(" ", 1)[0]
    return None


class SeriesMError(ValueError):
    """A rejected input or a question the certificate gives no answer to.

    >>> e = negative("shares", -5)
    >>> e.excel_text()
    '#NUM! shares = -5: must be 0 or more.'
    """

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def excel_text(self) -> str:
        return f"{self.code} {self.message}"

    def __str__(self) -> str:
        return self.excel_text()


def echo(value: object) -> str:
    """Show a value the way a spreadsheet user typed it.

    >>> echo(9101.0), echo("abc"), echo(None), echo(True), echo(Fraction(30000, 7))
    ('9101', '"abc"', '(empty)', 'TRUE', '4285.714285714285')
    """
    if value is None:
        return "(empty)"
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'"{shown}"'
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "infinity" if value > 0 else "-infinity"
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, (int, Fraction)) and _huge(value):
        return f"{float(value):.6g}" if _huge(value, 308) is False else "a number past 1e308"
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        return repr(float(value))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return f"(a range of {_count_cells(value)} cells)"
    return repr(value)


def _huge(value: int | Fraction, digits: int = 16) -> bool:
    """Too many digits to echo in full."""
    if isinstance(value, int):
        return bool(abs(value) >= 10**digits)
    return bool(abs(value.numerator) >= 10**digits * value.denominator)


def _count_cells(value: list[object] | tuple[object, ...]) -> int:
    return sum(len(row) if isinstance(row, (list, tuple)) else 1 for row in value)


def _fail(code: ErrorCode, message: str) -> SeriesMError:
    return SeriesMError(code, message)


# --- kinds of value --------------------------------------------------------------------------

def not_a_number(arg: str, value: object) -> SeriesMError:
    return _fail(ErrorCode.VALUE, f"{arg} = {echo(value)}: not a number; use a number.")


def not_finite(arg: str, value: object) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: must be a finite number.")


def not_a_date(arg: str, value: object) -> SeriesMError:
    return _fail(ErrorCode.VALUE, f"{arg} = {echo(value)}: not a date; use a date, "
                 "an Excel date serial or text YYYY-MM-DD.")


def not_a_boolean(arg: str, value: object) -> SeriesMError:
    return _fail(ErrorCode.VALUE, f"{arg} = {echo(value)}: use TRUE or FALSE.")


def not_a_text(arg: str, value: object, allowed: Iterable[str]) -> SeriesMError:
    return _fail(ErrorCode.VALUE, f"{arg} = {echo(value)}: use one of {_choices(allowed)}.")


def error_in_cell(arg: str, code: str) -> SeriesMError:
    """An argument whose cell holds an Excel error: the same error comes out, named."""
    return _fail(ErrorCode(code), f"{arg} = {code}: the cell holds an error; correct it first.")


def required(arg: str) -> SeriesMError:
    return _fail(ErrorCode.VALUE, f"{arg} = (empty): required; give a value.")


def needed_with(arg: str, other: str, why: str) -> SeriesMError:
    """An optional argument another one needs (SERIESM_DILUTE's `dates` with `splits`)."""
    return _fail(ErrorCode.VALUE, f"{arg} = (empty): required with {other}; {why}.")


def not_single(arg: str, value: object) -> SeriesMError:
    return _fail(ErrorCode.VALUE, f"{arg} = {echo(value)}: must be a single cell, not a range.")


def not_a_column(arg: str, rows: int, columns: int) -> SeriesMError:
    return _fail(ErrorCode.VALUE, f"{arg} = a {rows}x{columns} range: must be one cell, "
                 "one column or one row.")


def bad_range(arg: str, problem: str) -> SeriesMError:
    return _fail(ErrorCode.VALUE, f"{arg} = a range {problem}: give one cell, or a column or "
                 "row of cells.")


def out_of_reach(name: str, error: Exception) -> SeriesMError:
    """A result no cell can hold (a date past 9999-12-31, a number past 1e308)."""
    return _fail(ErrorCode.NUM, f"{name}: the result is beyond what a cell can hold "
                 f"({error}); check the sizes of the numbers and dates given.")


def beyond_calendar(arg: str, value: object, start: date) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: counting business days from "
                 f"{start.isoformat()} leaves the Federal Reserve calendar (1999 to 2100).")


def unequal_lengths(sizes: dict[str, int]) -> SeriesMError:
    shown = ", ".join(f"{arg} has {n}" for arg, n in sizes.items())
    return _fail(ErrorCode.VALUE, f"ranges of unequal length ({shown} cells): "
                 "give ranges of the same length, or single values.")


def table_cell(where: str, column: str, value: object, allowed: str,
               code: ErrorCode = ErrorCode.NUM) -> SeriesMError:
    """A bad cell of a table (the stack table): where it is, its column, the value, and what
    is allowed."""
    return _fail(code, f"{where}, {column} = {echo(value)}: {allowed}.")


def not_a_table(arg: str, value: object, columns: Iterable[str]) -> SeriesMError:
    return _fail(ErrorCode.VALUE, f"{arg} = {echo(value)}: must be a range with its header "
                 f"row, the columns {_choices(columns)}.")


# --- numbers ---------------------------------------------------------------------------------

def negative(arg: str, value: object) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: must be 0 or more.")


def not_positive(arg: str, value: object) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: must be more than 0.")


def not_cents(arg: str, value: object) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: not a whole number of cents; cash "
                 "is paid in cents.")


def not_whole(arg: str, value: object) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: must be a whole number.")


def out_of_range(arg: str, value: object, allowed: str) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: must be {allowed}.")


def over_designated(arg: str, value: object) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: more than the "
                 f"{terms.SHARES_DESIGNATED:,} Series M shares designated (§1); "
                 f"use at most {terms.SHARES_DESIGNATED:,}.")


def more_than(arg: str, value: object, other_arg: str, other: object) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: more than {other_arg} = "
                 f"{echo(other)}; must be at most that.")


def overpaid(arg: str, paid: object, accrued: object) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(paid)}: more than the {echo(accrued)} "
                 "accrued (§2); must be at most that.")


def unknown_choice(arg: str, value: object, allowed: Iterable[str]) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: unknown; use one of {_choices(allowed)}.")


def unknown_label(arg: str, value: object, allowed: Iterable[str]) -> SeriesMError:
    return _fail(ErrorCode.NA,
                 f"{arg} = {echo(value)}: no such row; use one of {_choices(allowed)}.")


def unknown_function(arg: str, value: object, allowed: Iterable[str]) -> SeriesMError:
    return _fail(ErrorCode.NAME, f"{arg} = {echo(value)}: no such function; use one of "
                 f"{_choices(allowed)}.")


def zero_denominator(message: str) -> SeriesMError:
    return _fail(ErrorCode.NUM, message)


def _choices(allowed: Iterable[str]) -> str:
    return ", ".join(allowed)


# --- dates -----------------------------------------------------------------------------------

def phantom_date(arg: str, value: object) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: Excel's serial 60 is 1900-02-29, a day "
                 "that never existed; use a real date.")


def date_out_of_range(arg: str, value: object, first: date, last: date) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: must be a date from "
                 f"{first.isoformat()} to {last.isoformat()}.")


def dates_out_of_order(arg: str, value: object, other_arg: str, other: object) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: before {other_arg} = {echo(other)}; "
                 "must be on or after it.")


def no_conversion_right(arg: str, value: object, opens: date) -> SeriesMError:
    return _fail(ErrorCode.NA, f"{arg} = {echo(value)}: before {opens.isoformat()}, the 1-year "
                 "anniversary when conversion opens (§5(a)); use that date or later.")


def not_a_lot(arg: str, value: object, holding_arg: str) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: not a multiple of "
                 f"{terms.CONVERSION_LOT} (§5(a)); use a multiple of {terms.CONVERSION_LOT}, "
                 f"or the whole holding given as {holding_arg}.")


def conflicting_dates(arg: str, value: object, other_arg: str) -> SeriesMError:
    return _fail(ErrorCode.VALUE, f"{arg} = {echo(value)}: also listed in {other_arg}; "
                 "a day is either closed or open, not both.")


def too_early_to_redeem(arg: str, value: object, earliest: date) -> SeriesMError:
    return _fail(ErrorCode.NUM, f"{arg} = {echo(value)}: earlier than {earliest.isoformat()}, "
                 "15 days after the Closing Date (§6(a): after the Closing Date, upon fifteen "
                 "days' notice); use that date or later.")

