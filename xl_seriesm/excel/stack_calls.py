"""The Excel side of the capital stack: the ``stack`` argument (a range with its header row)
read into the core's stack, and the functions that take it (SERIESM_WATERFALL,
SERIESM_BREAKPOINTS, SERIESM_OPM, SERIESM_OPM_BACKSOLVE, SERIESM_PAYOUTS) computed over it.

Thin on purpose: every figure comes from :mod:`xl_seriesm.core.stack` (and
:mod:`xl_seriesm.core.payouts`); this module only reads cells and shapes results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import repeat
from operator import mul, truediv
from typing import Any

from xl_seriesm.core import (
    columns,
    errors,
    payouts,
    stack,
    stack_opm,
    stack_waterfall,
    valuation,
)
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.explain import active as explaining
from xl_seriesm.core.explain import note
from xl_seriesm.core.liquidation import Capital
from xl_seriesm.excel import calls, values
from xl_seriesm.excel.batch_calls import float_cells
from xl_seriesm.excel.spec import Function


def pick(label: object, labels: Sequence[str], arg: str = "output") -> int | None:
    """The index of an output label (case and spacing ignored), or None when omitted."""
    if label is None:
        return None
    return valuation.pick_output(str(label), labels, arg)


# --- SERIESM_WATERFALL -----------------------------------------------------------------------

def waterfall(function: Function, read: Mapping[str, Any], cells: list[object] | None,
              capital: Capital, found: stack.Stack) -> object:
    """SERIESM_WATERFALL with a stack: the table of label and value rows for one exit value,
    or a header row and one row per exit value of a column (``cells``)."""
    labels = stack_waterfall.waterfall_labels(found)
    index = pick(read["output"], labels)
    built = stack.structure(capital, found, read["convertible"])
    if cells is None:
        split = stack_waterfall.stack_waterfall(read["proceeds"], capital, found,
                                                read["convertible"], built)
        row = [values.to_excel(v)
               for v in stack_waterfall.waterfall_values(split, capital, found)]
        if index is not None:
            return note(f"output: {labels[index]}", row[index], "§3")
        return [[label, value] for label, value in zip(labels, row, strict=True)]
    shares = stack.class_shares(capital, found)
    point = values.to_excel(stack_waterfall.series_m_breakpoint(built))
    floats = None if explaining() else float_cells(cells)
    column = None if floats is None else columns.read_floats(floats)
    if column is not None and min(column.digits, default=0) >= 0:
        assert floats is not None
        many = stack_waterfall.Waterfalls(built).rows(column.digits, column.scale)
        tops = [count.denominator for count in shares]
        bottoms = [100 * count.numerator for count in shares]
        xd = 10**column.scale
        table = [[x, *_fast_row(row, xn, xd, tops, bottoms, point)]
                 for x, xn, row in zip(floats, column.digits, many, strict=True)]
    else:
        table = []
        for number, cell in enumerate(cells):
            try:
                amount = calls.read(function.arg("proceeds"), cell)
                checks_proceeds(amount)
                note(f"exit value in row {number + 1}", amount, "§3")
                split = stack_waterfall.stack_waterfall(amount, capital, found,
                                                        read["convertible"], built)
                figures = stack_waterfall.waterfall_values(split, capital, found)
                row = [values.to_excel(amount), *(values.to_excel(v) for v in figures)]
            except SeriesMError as error:
                row = [calls.row_error(error, function, number, 1)] * (1 + len(labels))
            table.append(row)
    if index is not None:
        return [[row[index + 1]] for row in table]
    return [["Exit value", *labels], *table]


def checks_proceeds(amount: Fraction) -> None:
    if amount < 0:
        raise errors.negative("proceeds", amount)


def _fast_row(row: tuple[list[int], int, list[bool]], xn: int, xd: int, tops: list[int],
              bottoms: list[int], point: object) -> list[object]:
    """One exit value's figures (xn ÷ xd) from the integers of
    :meth:`stack_waterfall.Waterfalls.rows`: each float correctly rounded from the exact
    figure (Python divides integers so), as the one-exit path gives it: a class's total is
    cents ÷ 100, its per-share figure cents × shares' denominator ÷ (100 × numerator)."""
    cents, total, chooses = row
    out: list[object] = [None] * (2 * len(cents))
    out[0::2] = map(truediv, cents, repeat(100))
    out[1::2] = map(truediv, map(mul, cents, tops), bottoms)
    common = 100 * xn - total * xd  # the common's dollars × 100 xd
    out += [common / (100 * xd), (common * tops[-1]) / (bottoms[-1] * xd)]
    return [*out, *chooses[1:-1], chooses[0], point]


# --- SERIESM_BREAKPOINTS, SERIESM_OPM, SERIESM_OPM_BACKSOLVE ---------------------------------

def breakpoints(capital: Capital, found: stack.Stack) -> list[list[object]]:
    rows = stack_waterfall.stack_breakpoints(capital, found)
    return [[values.to_excel(cell) for cell in row] for row in rows]


def at_exit(capital: Capital, term_years: Fraction, dividends_to_exit: bool) -> Capital:
    """The Series M the OPM values: its dividends accrued to the exit (the default), or
    frozen at today's (FALSE)."""
    note("dividends to the exit: the preference keeps accruing 5% a year for the term"
         if dividends_to_exit else "dividends frozen at today's accrual", dividends_to_exit,
         "§2")
    return stack_opm.to_exit(capital, term_years) if dividends_to_exit else capital


def opm(equity: Fraction, capital: Capital, market: valuation.Market, found: stack.Stack,
        output: object) -> object:
    """SERIESM_OPM: without a stack today's four rows, with one a total and a per-share row
    for every class."""
    if found:
        labels: Sequence[str] = stack_opm.opm_labels(found)
        figures: Sequence[Fraction | Decimal] = stack_opm.stack_opm(equity, capital, found, market)
    else:
        labels = valuation.OPM_LABELS
        figures = valuation.opm_value(equity, capital, market).values()
    index = pick(output, labels)
    shown = [values.to_excel(v) for v in figures]
    if index is not None:
        return note(f"output: {labels[index]}", shown[index], valuation.SECTION)
    return [[label, value] for label, value in zip(labels, shown, strict=True)]


def backsolve(price: Fraction, capital: Capital, market: valuation.Market,
              found: stack.Stack, target: str) -> object:
    if found:
        return values.to_excel(stack_opm.stack_backsolve(price, capital, found, market, target))
    return values.to_excel(valuation.backsolve(price, capital, market, target))


# --- SERIESM_PAYOUTS -------------------------------------------------------------------------

def payouts_column(read: Mapping[str, Any], share_cells: list[object],
                   accrued_cells: list[object]) -> list[Decimal] | None:
    """SERIESM_PAYOUTS without a stack over columns of plain numbers: read as decimal
    columns and computed on integers; None when a cell is not a plain number (the caller
    then reads cell by cell, naming the bad one)."""
    share_floats, accrued_floats = float_cells(share_cells), float_cells(accrued_cells)
    if share_floats is None or accrued_floats is None:
        return None
    share_column = columns.read_floats(share_floats)
    accrued_column = columns.read_floats(accrued_floats)
    if share_column is None or accrued_column is None:
        return None
    scale = max(share_column.scale, accrued_column.scale)
    share_ints = _rescaled(share_column, scale)
    accrued_ints = _rescaled(accrued_column, scale)
    if min(share_ints, default=0) < 0 or min(accrued_ints, default=0) < 0:
        return None  # the per-cell path names the row
    result = payouts.payouts_scaled(read["proceeds"], share_ints, accrued_ints, 10**scale,
                                    read["common_shares"], read["conversion_number"],
                                    read["convertible"], read["dividends_on_conversion"],
                                    keep_exact=False)
    return result.amounts


def _rescaled(column: columns.DecimalColumn, scale: int) -> list[int]:
    if column.scale == scale:
        return column.digits
    factor = 10 ** (scale - column.scale)
    return [d * factor for d in column.digits]


def payouts_call(function: Function, raw: dict[str, object]) -> object:
    """SERIESM_PAYOUTS: the holders' columns read as decimal integers when they are plain
    numbers (and no stack or explanation is asked for), cell by cell otherwise."""
    holders = ("holder_shares", "holder_accrued")
    read: dict[str, Any] = {a.name: calls.read(a, calls.single(raw[a.name]))
                            for a in function.args if a.name not in holders}
    found: dict[str, list[Any]] = {}
    shape = (1, 1)
    for name in holders:
        given = raw[name]
        cells, rows, width = calls.cells_of(name, given if isinstance(given, (list, tuple))
                                            else [given])
        if name == "holder_shares":
            shape = (rows, width)
        found[name] = cells
    if len(found["holder_shares"]) != len(found["holder_accrued"]):
        raise errors.unequal_lengths({name: len(cells) for name, cells in found.items()})
    amounts = (None if read["stack"] or explaining()
               else payouts_column(read, found["holder_shares"], found["holder_accrued"]))
    if amounts is None:
        columns = {name: [_read_cell(function, name, cell, index, shape[1])
                          for index, cell in enumerate(cells)] for name, cells in found.items()}
        amounts = payouts.payouts(read["proceeds"], columns["holder_shares"],
                                  columns["holder_accrued"], read["common_shares"],
                                  read["conversion_number"], read["convertible"],
                                  read["dividends_on_conversion"], read["stack"] or ()).amounts
    return calls.reshape([float(a) for a in amounts], *shape)


def _read_cell(function: Function, name: str, cell: object, index: int, columns: int) -> Any:
    """One cell of a holder's column, read, and 0 or more: an error names the argument and
    the row."""
    try:
        value = calls.read(function.arg(name), cell)
        if value < 0:
            raise errors.negative(name, value)
        return value
    except SeriesMError as error:
        raise SeriesMError(error.code, calls.row_error(error, function, index, columns)
                           .split(" ", 1)[1]) from None
