"""Array calls over many rows, computed a column at a time.

Used by SERIESM_ACCRUED, SERIESM_LIQVALUE, SERIESM_WATERFALL and SERIESM_DILUTE when a range
of plain numbers is given: the exact column kernels of :mod:`xl_seriesm.core.batch` answer
every valid row at once, and any row they flag is answered by the per-cell path, so that
results and error texts are exactly those of a cell-by-cell call. Returns None (use the
per-cell path) whenever the call is not of that shape. SERIESM_WORKDAY over columns of dates
and day counts looks each row up in the bank calendar's business days of the column's span.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from xl_seriesm.core import batch, columns, conversion, kernels, liquidation, terms
from xl_seriesm.core.calendar import BankCalendar
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.numbers import exact
from xl_seriesm.excel import calls, values
from xl_seriesm.excel.spec import Function, Kind

#: Below this many rows the per-cell path is as fast.
MIN_ROWS = 16
_EXACT_INTS = 2**53


def float_cells(cells: list[object]) -> list[float] | None:
    """The cells as floats when every one is a plain number (no text, empty or boolean)."""
    kinds = set(map(type, cells))
    if not kinds <= {float, int}:
        return None
    if int in kinds and any(type(c) is int and abs(c) >= _EXACT_INTS for c in cells):
        return None
    if kinds == {float}:
        return cells  # type: ignore[return-value]  # every cell a float, checked above
    return [float(c) for c in cells]  # type: ignore[arg-type]  # float or int, checked above


def decimal_column(cells: list[object] | None, scalar: object,
                   length: int) -> columns.DecimalColumn | None:
    if cells is not None:
        floats = float_cells(cells)
        return None if floats is None else columns.read_floats(floats)
    return columns.constant(scalar, length)  # type: ignore[arg-type]


def _refused(valid: list[bool]) -> list[int]:
    if all(valid):  # the usual case: one pass in C
        return []
    return [index for index, ok in enumerate(valid) if not ok]


def _finish(function: Function, raw: Mapping[str, object], kernel: Callable[..., object],
            scalars: Mapping[str, Any], found: Mapping[str, list[object]],
            results: list[object], valid: list[bool]) -> calls.Grid:
    rows, width = calls.output_shape(function, raw)
    seen = calls.Seen(function, kernel, scalars, found, width)  # each distinct row once
    for index in _refused(valid):
        results[index] = seen.cell(index)
    return calls.reshape(results, rows, width)


def accrual(function: Function, raw: Mapping[str, object], kernel: Callable[..., object],
            with_stated_value: bool = False) -> calls.Grid | None:
    """SERIESM_ACCRUED (or SERIESM_LIQVALUE, ``with_stated_value``) over columns of shares
    and payments with one Closing Date, as-of date and basis."""
    found = calls.ranges_of(function, raw)
    if not found or set(found) - {"shares", "dividends_paid"}:  # dates in ranges: per cell
        return None
    count = len(next(iter(found.values())))
    if count < MIN_ROWS:
        return None
    scalars = {a.name: calls.read(a, calls.single(raw[a.name])) for a in function.args
               if a.name not in found}
    end = function.args[2].name  # the as-of or redemption date
    earliest = scalars["closing_date"] + timedelta(
        days=terms.REDEMPTION_NOTICE_DAYS if end == "redemption_date" else 0)
    if scalars[end] < earliest:
        return None  # every row is refused; the per-cell path words it
    shares = decimal_column(found.get("shares"), scalars.get("shares"), count)
    paid = decimal_column(found.get("dividends_paid"), scalars.get("dividends_paid"), count)
    if shares is None or paid is None:
        return None
    dollars, valid = batch.accrued_cents(shares, paid, scalars["closing_date"], scalars[end],
                                         scalars["basis"], with_stated_value,
                                         scalars["accrual"], scalars["schedule"])
    return _finish(function, raw, kernel, scalars, found, list(dollars), valid)


def waterfall(function: Function, raw: Mapping[str, object], pick: int | None,
              capital: liquidation.Capital, convertible: bool) -> calls.Grid | None:
    """SERIESM_WATERFALL over a column of exit values: the table, or one output column."""
    found = calls.ranges_of(function, raw)
    cells = found.get("proceeds")
    if cells is None or len(cells) < MIN_ROWS:
        return None
    floats = float_cells(cells)
    proceeds = None if floats is None else columns.read_floats(floats)
    if floats is None or proceeds is None:
        return None
    split = batch.waterfall_columns(proceeds, capital, convertible)
    point = float(capital.breakpoint())
    table = [floats, split.series_m_total, split.series_m_per_share, split.common_total,
             split.common_per_share, split.series_m_converts, [point] * len(cells)]
    rows: list[list[object]] = [list(row) for row in zip(*table, strict=True)]
    for index in _refused(split.valid):
        try:
            liquidation.waterfall(calls.read(function.arg("proceeds"), cells[index]), capital,
                                  convertible)
        except SeriesMError as error:
            rows[index] = [calls.row_error(error, function, index, 1)] * len(table)
    if pick is not None:
        return [[row[pick + 1]] for row in rows]
    return [["Exit value", *liquidation.WATERFALL_LABELS], *rows]


_LEDGER = ("common_outstanding", "new_shares", "consideration")


def dilution(function: Function, found: Mapping[str, list[object]],
             fixed: Mapping[str, Any], number: Any,
             count: int) -> batch.RunningNumbers | None:
    """SERIESM_DILUTE down a ledger of columns: the running number row by row in integers,
    as far as every row is plain (the caller goes on cell by cell from where it stops)."""
    if count < MIN_ROWS or number <= 0 or fixed["threshold_price"] <= 0:
        return None
    ledger: list[columns.DecimalColumn] = []
    holes = [False] * count
    for name in _LEDGER:
        if name not in found:
            column = columns.constant(fixed[name], count)
        else:
            cells = found[name]
            if not set(map(type, cells)) <= {float, int}:  # empty cells beside figures
                gaps = [values.is_empty(cell) for cell in cells]
                holes = [hole or gap for hole, gap in zip(holes, gaps, strict=True)]
                cells = [0.0 if gap else cell for cell, gap in zip(cells, gaps, strict=True)]
            floats = float_cells(cells)
            column = None if floats is None else columns.read_floats(floats)
        if column is None:
            return None
        ledger.append(column)
    if "exempt" in found:
        try:
            exempt = [calls.read(function.arg("exempt"), cell) for cell in found["exempt"]]
        except SeriesMError:
            return None  # the per-cell path words it, on the first row that reads it
    else:
        exempt = [fixed["exempt"]] * count
    outstanding, new_shares, consideration = ledger
    return batch.running_conversion_numbers(number, outstanding, new_shares, consideration,
                                            exempt, holes, fixed["threshold_price"])


Plan = Callable[[Mapping[str, kernels.Exact], Mapping[str, Any]],
                tuple[list[Any], list[bool]] | None]


def _votes(x: Mapping[str, kernels.Exact], s: Mapping[str, Any],
           ) -> tuple[list[Any], list[bool]] | None:
    if s["record_date"] < s["closing_date"]:
        return None  # every row refused: the per-cell path words it
    none_yet = (s["before_anniversary"] is conversion.VotesBeforeAnniversary.NONE
                and s["record_date"] < conversion.conversion_opens(s["closing_date"],
                                                                   s["leap_anniversary"]))
    counts, valid = kernels.votes(x["shares"], x["conversion_number"], none_yet)
    # A count past 2^53 becomes a float in a cell (values.to_excel): the per-cell path's.
    if max(counts, default=0) <= _EXACT_INTS:
        return counts, valid
    return counts, [ok and count <= _EXACT_INTS for ok, count in zip(valid, counts, strict=True)]


#: The functions answered a column at a time when their number arguments are columns of
#: plain numbers (and their other arguments single values).
PLANS: dict[str, Plan] = {
    "SERIESM_VOTES": _votes,
    "SERIESM_CASHINLIEU": lambda x, s: kernels.cash_in_lieu(
        x["shares"], x["conversion_number"], x["market_price"]),
    "SERIESM_RESERVE": lambda x, s: kernels.reserve_shortfall(
        x["authorized_unissued"], x["series_m_outstanding"], x["conversion_number"]),
    "SERIESM_REORGVALUE": lambda x, s: kernels.reorganization_value(
        x["shares"], x["consideration_per_common"], x["conversion_number"]),
    "SERIESM_CLASSVOTE": lambda x, s: kernels.class_vote(
        x["shares_for"], x["outstanding_shares"], at_half=False),
    "SERIESM_APPRAISER": lambda x, s: kernels.class_vote(
        x["requesting_shares"], x["outstanding_shares"], at_half=True),
    "SERIESM_OTHERDIVOK": lambda x, s: kernels.other_dividend_allowed(
        x["series_m_arrears"], x["set_apart"]),
    "SERIESM_REDEEMABLE": lambda x, s: kernels.redeemable(
        x["available_funds"], x["price_per_share"], x.get("shares_called"), s["fractional"]),
}


def by_columns(function: Function, raw: Mapping[str, object],
               kernel: Callable[..., object]) -> calls.Grid | None:
    """An array call of a function in :data:`PLANS`, a column at a time: its kernel answers
    every row it vouches for, the per-cell ``kernel`` the rest (each distinct row once)."""
    by_rows = ROW_PLANS.get(function.name)
    if by_rows is not None:
        return by_rows(function, raw, kernel)
    plan = PLANS.get(function.name)
    if plan is None:
        return None
    found = calls.ranges_of(function, raw)
    if not found:
        return None
    count = len(next(iter(found.values())))
    numbers = {a.name: a for a in function.args if a.kind is Kind.NUMBER
               and not a.zero_is_empty and not a.may_be_empty}
    if count < MIN_ROWS or set(found) - set(numbers):
        return None
    scalars = {a.name: calls.read(a, calls.single(raw[a.name])) for a in function.args
               if a.name not in found}
    exact: dict[str, kernels.Exact] = {}
    for name in numbers:
        if name in found:
            column = _exact_column(found[name])
            if column is None:
                return None
            exact[name] = column
        elif isinstance(scalars[name], Fraction):
            exact[name] = kernels.Exact.of_value(scalars[name], count)
        elif scalars[name] is not None or not numbers[name].optional:
            return None  # an optional number left out is left out of ``exact``
    answer = plan(exact, scalars)
    if answer is None:
        return None
    results, valid = answer
    return _finish(function, raw, kernel, scalars, found, list(results), valid)


#: At most this many distinct values that are not short decimals (conversion numbers read
#: back from cells, 4285.714285714285) are put over one common denominator.
MAX_DISTINCT = 64


def _exact_column(cells: list[object]) -> kernels.Exact | None:
    """A column of plain numbers exactly: decimals as scaled integers, or a few distinct
    values over their common denominator (each read as the per-cell path reads it)."""
    floats = float_cells(cells)
    if floats is None:
        return None
    column = columns.read_floats(floats)
    if column is not None:
        return kernels.Exact.of_column(column)
    distinct = set(floats)
    if len(distinct) > MAX_DISTINCT or not all(map(math.isfinite, distinct)):
        return None
    table = {value: exact(value) for value in distinct}
    return kernels.Exact.of_table(floats, table)


def _read_column(function: Function, name: str, cells: list[object],
                 convert: Callable[[Any], int]) -> tuple[list[int], list[bool]] | None:
    """A column read as the per-cell path reads each cell, each distinct cell once: the
    converted value per row and whether it read (a cell that does not is left to the
    per-cell path, which words its error). None when equal cells could read differently
    (``True`` equals ``1`` but is no number and no date)."""
    if bool in set(map(type, cells)):
        return None
    try:
        distinct = set(cells)
    except TypeError:  # an unhashable cell: the per-cell path takes it as it comes
        return None
    arg = function.arg(name)
    table: dict[object, int | None] = {}
    for cell in distinct:
        try:
            table[cell] = convert(calls.read(arg, cell))
        except SeriesMError:
            table[cell] = None
    read = list(map(table.__getitem__, cells))
    if None not in table.values():
        return read, [True] * len(read)  # type: ignore[return-value]  # no None, checked
    # A row that did not read holds 1 (day 1 of year 1, one day on: a row never answered).
    return [1 if value is None else value for value in read], [value is not None
                                                               for value in read]


def _whole_days(days: Any) -> int:
    return int(days)  # Excel's WORKDAY drops a fraction of a day, as the per-cell path does


def workday(function: Function, raw: Mapping[str, object],
            kernel: Callable[..., object]) -> calls.Grid | None:
    """SERIESM_WORKDAY over columns of start dates and day counts: the bank calendar's
    business days over the column's span listed once, each row one look-up
    (:meth:`BankCalendar.workdays`); rows it does not answer go cell by cell."""
    found = calls.ranges_of(function, raw)
    if not found or set(found) - {"start_date", "days"}:
        return None
    count = len(next(iter(found.values())))
    if count < MIN_ROWS:
        return None
    scalars = {a.name: calls.read(a, calls.single(raw[a.name])) for a in function.args
               if a.name not in found}
    try:
        calendar = BankCalendar(scalars["closures"] or (), scalars["openings"] or ())
    except SeriesMError:
        return None  # refused in every row: the per-cell path words it
    readers: dict[str, Callable[[Any], int]] = {"start_date": date.toordinal,
                                                "days": _whole_days}
    read: dict[str, tuple[list[int], list[bool]]] = {}
    for name, convert in readers.items():
        if name in found:
            column = _read_column(function, name, found[name], convert)
            if column is None:
                return None
            read[name] = column
        else:
            read[name] = [convert(scalars[name])] * count, [True] * count
    (starts, starts_ok), (days, days_ok) = read["start_date"], read["days"]
    ordinals, answered = calendar.workdays(starts, days)
    valid = kernels.all_of(starts_ok, days_ok, answered)
    results: list[object] = list(map(date.fromordinal, ordinals))
    return _finish(function, raw, kernel, scalars, found, results, valid)


#: The functions answered a column at a time by a call of their own (dates, not numbers).
ROW_PLANS: dict[str, Callable[[Function, Mapping[str, object], Callable[..., object]],
                              calls.Grid | None]] = {"SERIESM_WORKDAY": workday}
