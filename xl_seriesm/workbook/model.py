"""The template, cell by cell, in both flavors, with the figure the core computes for each.

One model describes the workbook: every cell's place, role, number format, its formula in
the add-in flavor (calling ``SERIESM_*``, as one array formula over a column where that cuts
the number of calls) and in the built-ins flavor (only functions LibreOffice 7.4 computes
too), and the value the core computes for it from the cap table, independently of either
formula. The writer renders the model; the tests recalculate the rendered workbooks with a
real spreadsheet engine and compare with those figures.

Each sheet is built by its own module in :mod:`xl_seriesm.workbook.sheets` (both flavors of a
sheet side by side), from the building blocks of :mod:`xl_seriesm.workbook.base` and the
core's figures of :mod:`xl_seriesm.workbook.figures`; this module assembles the book and
re-exports the names its readers (the writer's tests, the cap-table report) use.

Pure: no openpyxl here.
"""

from __future__ import annotations

from datetime import date

from xl_seriesm.workbook import error_check
from xl_seriesm.workbook.base import (
    ABOUT,
    CHECKS,
    DIVIDENDS,
    EVENTS,
    HOLDERS,
    ISSUANCES,
    LEDGER_COMMON_CELL,
    OPENING_COMMON_CELL,
    TERMS,
    VALUATION,
    WATERFALL,
    Cell,
    Chart,
    Check,
    Kind,
    Role,
    Sheet,
    Validation,
    Workbook,
)
from xl_seriesm.workbook.figures import EXIT_ROWS, Figures, Rows, figures, with_everyone_else
from xl_seriesm.workbook.inputs import CapTable
from xl_seriesm.workbook.sheets import (
    about,
    checks,
    dividends,
    events,
    holders,
    issuances,
    payouts,
    stack,
    terms,
    valuation,
    waterfall,
)
from xl_seriesm.workbook.sheets.checks import ALL_OK, FIRST_CHECK_ROW, check_formula, overall_status
from xl_seriesm.workbook.sheets.valuation import (
    VALUATION_RISK_FREE_RATE,
    VALUATION_TERM_YEARS,
    VALUATION_VOLATILITY,
    starting_equity_value,
)
from xl_seriesm.xlsx import cellrefs

__all__ = [
    "ABOUT", "ALL_OK", "CHECKS", "DIVIDENDS", "EVENTS", "EXIT_ROWS", "FIRST_CHECK_ROW",
    "HOLDERS", "ISSUANCES", "LEDGER_COMMON_CELL", "OPENING_COMMON_CELL", "TERMS",
    "VALUATION", "VALUATION_RISK_FREE_RATE", "VALUATION_TERM_YEARS", "VALUATION_VOLATILITY",
    "WATERFALL", "Cell", "Chart", "Check", "Figures", "Kind", "Role", "Rows", "Sheet",
    "Validation", "Workbook", "build", "check_formula", "figures", "overall_status",
    "starting_equity_value", "with_everyone_else",
]


def build(cap: CapTable) -> Workbook:
    """The whole template for ``cap``: both flavors and the core's figure for every cell."""
    f = figures(cap)
    rows = Rows.of(f)
    names: dict[str, str] = {}
    sheets = [about.sheet(), terms.sheet(f, rows, names), holders.sheet(f, rows, names),
              issuances.sheet(f, rows, names), events.sheet(f, rows),
              dividends.sheet(f, rows, names),
              waterfall.sheet(f, rows, names), valuation.sheet(f, names),
              checks.sheet(f, rows, names),
              payouts.sheet(f, rows.first, rows.last, names)]
    if cap.stack:
        sheets.append(stack.sheet(f, names))
    results = error_check.add_check(sheets, f.checks)
    _status(sheets, cap.as_of_date, overall_status(results))
    return Workbook(sheets, names, cap.as_of_date)


def _status(sheets: list[Sheet], as_of: date, status: str) -> None:
    """Every sheet's header shows the as-of date and the overall status of the Checks, at
    the right end of its first row (the title's row)."""
    for sheet in sheets:
        letters = {c.ref.rstrip("0123456789") for c in sheet.cells}
        right = max(max(cellrefs.split(f"{c}1")[0] for c in letters
                        if c not in sheet.helper_columns), 3)
        sheet.same(f"{cellrefs.letters(right - 1)}1", Kind.DATE, "=AsOfDate", as_of)
        # The add-in flavor asks the functions itself, in an array formula: LibreOffice,
        # unless set to recalculate on opening, recomputes array formulas but shows the
        # cached value of the others, so a plain status would keep "All checks OK" beside
        # the #NAME? of the array columns.
        ref = f"{cellrefs.letters(right)}1"
        sheet.add(ref, Role.COMPUTED, Kind.TEXT, expected=status, array=ref,
                  udf=error_check.status_formula("OverallStatus"), native="=OverallStatus")
