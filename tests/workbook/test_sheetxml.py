"""The sheet XML written directly is the XML openpyxl writes, cached values stored after it
as the cache pass stores them: the same bytes, for every kind of cell, in both of the
cache pass's ways (in place, or through lxml when a cached cell is missing)."""

from __future__ import annotations

import datetime as dt
from copy import copy

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.formula import ArrayFormula

from xl_seriesm.workbook.writer import to_bytes, with_values
from xl_seriesm.xlsx.sheetxml import DeferredSheet

# (ref, value, as text): numbers, text needing escapes and xml:space, non-ASCII, a name that
# looks like a formula, an error code, formulas, an array formula, a date, a boolean, empty.
CELLS: list[tuple[str, object, bool]] = [
    ("A1", 1.25, False), ("B1", 3, False), ("C1", "a & <b> > \"c\"\r\nd", False),
    ("D1", " padded ", False), ("E1", "§ é – €", False), ("F1", "=1+1", True),
    ("G1", "#N/A", False), ("A2", '=A1&"é"', False),
    ("B2", ArrayFormula("B2:B3", "=SUM(A1:A2)"), False), ("C2", dt.date(2005, 1, 10), False),
    ("D2", True, False), ("E2", None, False), ("F3", None, False), ("A4", float("nan"), False),
]
CACHED = {"A2": "1.25é", "B2": 4.5, "B3": "header", "E2": False, "C2": 38362.0}


def _style(cell: object, index: int) -> None:
    cell.font = Font(bold=index % 2 == 0)  # type: ignore[attr-defined]
    if index % 3 == 0:
        cell.fill = PatternFill("solid", fgColor="FFF2CC")  # type: ignore[attr-defined]


def _plain_book() -> Workbook:
    wb = Workbook()
    ws = wb.active
    for index, (ref, value, as_text) in enumerate(CELLS):
        cell = ws[ref]
        cell.value = value
        if as_text:
            cell.data_type = "s"
        _style(cell, index)
    ws["B3"].font = Font(bold=True)  # inside the array formula: styled, no value
    ws.row_dimensions[6].height = 30  # a row with a height and no cells
    _layout(ws)
    return wb


def _deferred_book() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    ws = DeferredSheet(wb, "Sheet")
    wb._add_sheet(ws)
    for index, (ref, value, as_text) in enumerate(CELLS):
        column, row = ws[ref].column, ws[ref].row  # then dropped: kept as an entry below
        del ws._cells[(row, column)]
        target = ws.stand_in(value, as_text)
        _style(target, index)
        ws.put(row, column, value, copy(target._style), as_text)
    styled = ws.stand_in(None)
    styled.font = Font(bold=True)
    ws.put(3, 2, None, styled._style)
    ws.row_dimensions[6].height = 30
    _layout(ws)
    return wb


def _layout(ws: object) -> None:
    """What the layout does to a few cells: a rich text, a merge, a changed style."""
    ws["A5"].value = CellRichText(  # type: ignore[index]
        TextBlock(InlineFont(b=True), "Bold é\n"), TextBlock(InlineFont(), "rest"))
    ws.merge_cells("A5:C5")  # type: ignore[attr-defined]
    ws["D1"].font = Font(italic=True)  # type: ignore[index]


@pytest.mark.parametrize("cached", [None, CACHED, {**CACHED, "H9": "a cell not there"}],
                         ids=["no cache", "cached in place", "a cached cell added"])
def test_same_bytes_as_openpyxl_and_the_cache_pass(cached: dict[str, object] | None) -> None:
    def expected() -> bytes:
        data = to_bytes(_plain_book())
        return data if cached is None else with_values(
            data, {("Sheet", ref): value for ref, value in cached.items()})

    written = to_bytes(_deferred_book(), None if cached is None else {"Sheet": cached})
    assert written == expected()
