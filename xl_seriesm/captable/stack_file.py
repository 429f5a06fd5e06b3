"""The stack table from a CSV file (``--stack stack.csv``), and each class's and holder's
payout at an exit value (``seriesm captable --exit AMOUNT``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xl_seriesm.core import stack as core_stack
from xl_seriesm.core import stack_table, stack_waterfall
from xl_seriesm.core.conversion import conversion_opens
from xl_seriesm.core.errors import SeriesMError
from xl_seriesm.core.ledger import EVERYONE_ELSE, CapTableState
from xl_seriesm.core.numbers import round_cents
from xl_seriesm.core.payouts import payouts
from xl_seriesm.workbook.csvnumbers import NumberFormat, detect_number_format, reading
from xl_seriesm.workbook.inputs import DELIMITERS, InputError, _decode, _delimiter

if TYPE_CHECKING:
    from rich.console import Console


#: The stack table's columns that hold numbers.
NUMERIC_COLUMNS = frozenset({"shares", "preference", "seniority", "cap", "conversion_ratio",
                             "strike"})


def read_stack_csv(path: Path, number_format: NumberFormat | None = None) -> core_stack.Stack:
    """The stack table of a CSV file, read as the other CSV inputs are (comma, semicolon or
    tab; UTF-8 with or without a byte-order mark, UTF-16 with one; its numbers one way for
    the whole file, ``number_format`` or detected: 1,234.56, 1.234,56 or 1234.56); a bad
    cell is named by file, line and column."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    text = _decode(path, raw)
    delimiter = _delimiter(text, stack_table.COLUMNS)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise InputError(f"{path}: not readable CSV ({error}; read as "
                         f"{DELIMITERS[delimiter]}-separated)") from None
    rows = _numbers_read(path, rows, number_format)
    try:
        return stack_table.parse_stack(rows, source=str(path), row_word="line")
    except SeriesMError as error:
        raise InputError(error.message.rstrip(".")) from None


def _numbers_read(path: Path, rows: list[list[str]], given: NumberFormat | None,
                  ) -> list[list[Any]]:
    """The rows with each number of a numeric column read the file's one way (a European
    1.234,56 as 1234.56); the header row, text and what no format reads left as they are,
    for the table's reader to take or refuse by line and column."""
    first = next((i for i, row in enumerate(rows) if any(cell.strip() for cell in row)), None)
    if first is None:
        return list(rows)
    numeric = {i: cell.strip() for i, cell in enumerate(rows[first])
               if stack_table.column_key(cell) in NUMERIC_COLUMNS}
    cells = [(line, numeric[i], row[i].strip())
             for line, row in enumerate(rows[first + 1:], start=first + 2)
             for i in numeric if i < len(row)]
    found = detect_number_format(path, cells, given)
    out: list[list[Any]] = [list(row) for row in rows]
    for row in out[first + 1:]:
        for i in numeric:
            if i < len(row) and row[i].strip():
                number = reading(row[i].strip(), found)
                if number is not None:
                    row[i] = number
    return out


@dataclass(frozen=True)
class ExitPayouts:
    """Every class's and every holder's payout at one exit value."""

    proceeds: Fraction
    classes: list[tuple[str, Fraction, Fraction, bool]]  # name, total, per share, converts
    holders: list[dict[str, Any]]
    common_per_share: Fraction
    #: Each holder's payout of each other class a ledger carries (holder, class, shares,
    #: payout): :func:`xl_seriesm.captable.ledger_stack.with_class_holders`.
    class_holders: list[dict[str, Any]] = field(default_factory=list)


def exit_payouts(state: CapTableState, stack: core_stack.Stack, proceeds: Fraction,
                 dividends_on_conversion: bool = True) -> ExitPayouts:
    """The exit at the state's as-of date: the Series M (converting from the first
    anniversary, §5(a)), the stack's classes and the common, by class (rounded as the stack
    rounds) and by holder (each Series M holder deciding for itself, SERIESM_PAYOUTS; a
    holder's common at the common's value per share, rounded to the cent for the report)."""
    if proceeds < 0:
        raise InputError(f"--exit {proceeds}: must be 0 or more")
    if state.common_outstanding <= 0:
        raise InputError("--exit: the ledger states no common outstanding at the date; add an "
                         "'outstanding' event")
    convertible = state.as_of >= conversion_opens(state.closing_date)
    named = [h for h in state.holders if h.series_m_shares > 0]
    shares = [h.series_m_shares for h in named]
    accrued = [Fraction(h.accrued_dividends) for h in named]
    holders = [core_stack.Holder(s * 1000 + a, a if dividends_on_conversion else Fraction(0),
                                 s * state.conversion_number)
               for s, a in zip(shares, accrued, strict=True)]
    built = core_stack.Structure(holders, stack, state.common_outstanding, convertible)
    result = built.pay(proceeds)
    count = len(holders)
    exact = [sum(result.exact[:count], Fraction(0)), *result.exact[count:]]
    totals = stack_waterfall.rounded(proceeds, exact)
    by_holder = payouts(proceeds, shares, accrued, state.common_outstanding,
                        state.conversion_number, convertible, dividends_on_conversion, stack)
    common_price = totals[-1] / state.common_outstanding
    class_shares = [state.series_m_outstanding, *(c.shares for c in stack),
                    state.common_outstanding]
    names = core_stack.class_names(stack)
    chooses = [any(result.chooses[:count]), *result.chooses[count:]]
    classes = [(name, total, total / count_ if count_ else Fraction(0), choice)
               for name, total, count_, choice in zip(names, totals, class_shares, chooses,
                                                      strict=True)]
    amount = dict(zip((h.holder for h in named), by_holder.amounts, strict=True))
    converts = dict(zip((h.holder for h in named), by_holder.converts, strict=True))
    rows = []
    for h in state.holders:
        common = round_cents(h.common_shares * common_price)
        series_m = amount.get(h.holder, Decimal("0.00"))
        rows.append({"holder": h.holder, "series_m": series_m,
                     "converts": converts.get(h.holder, False), "common": common,
                     "total": series_m + common})
    if state.everyone_else:
        common = round_cents(state.everyone_else * common_price)
        rows.append({"holder": EVERYONE_ELSE, "series_m": Decimal("0.00"), "converts": False,
                     "common": common, "total": common})
    return ExitPayouts(proceeds, classes, rows, common_price)


def to_json(found: ExitPayouts) -> dict[str, Any]:
    return {
        "exit_value": float(found.proceeds),
        "common_per_share": float(found.common_per_share),
        "classes": [{"class": name, "total": float(total), "per_share": float(per_share),
                     "converts": choice} for name, total, per_share, choice in found.classes],
        "holders": [{"holder": row["holder"], "series_m": float(row["series_m"]),
                     "converts": row["converts"], "common": float(row["common"]),
                     **({"other_classes": float(row["other_classes"])}
                        if "other_classes" in row else {}),
                     "total": float(row["total"])} for row in found.holders],
        **({"class_holders": [{"holder": row["holder"], "class": row["class"],
                               "shares": float(row["shares"]), "payout": float(row["payout"])}
                              for row in found.class_holders]}
           if found.class_holders else {}),
    }


def print_exit(found: ExitPayouts, console: Console) -> None:
    from rich.table import Table  # noqa: PLC0415

    table = Table(title=f"At an exit of ${float(found.proceeds):,.2f}: by class (§3)")
    for column in ("class", "total", "per share", "converts or exercises"):
        table.add_column(column, justify="left" if column == "class" else "right")
    for name, total, per_share, choice in found.classes:
        table.add_row(name, f"{float(total):,.2f}", f"{float(per_share):,.6f}",
                      "yes" if choice else "no")
    console.print(table)
    table = Table(title="By holder (the Series M holder by holder, SERIESM_PAYOUTS; common at "
                        f"${float(found.common_per_share):,.6f} a share)")
    others = any("other_classes" in row for row in found.holders)
    for column in ("holder", "Series M", "converts", "common",
                   *(("other classes",) if others else ()), "total"):
        table.add_column(column, justify="left" if column == "holder" else "right")
    for row in found.holders:
        table.add_row(row["holder"], f"{row['series_m']:,}", "yes" if row["converts"] else "no",
                      f"{row['common']:,}",
                      *((f"{row['other_classes']:,}",) if others else ()), f"{row['total']:,}")
    console.print(table)
    if found.class_holders:
        table = Table(title="The other classes by holder (pro rata within each class)")
        for column in ("holder", "class", "shares", "payout"):
            table.add_column(column, justify="right" if column in ("shares", "payout")
                             else "left")
        for row in found.class_holders:
            table.add_row(row["holder"], row["class"],
                          f"{float(row['shares']):,.4f}".rstrip("0").rstrip("."),
                          f"{row['payout']:,}")
        console.print(table)
