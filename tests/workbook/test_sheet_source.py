"""Property: a sheet whose cells come from a Source (read as they are written, as the
template's do) gives the bytes of the same cells kept as plain entries with a mapping of
cached values (the general path, which tests/workbook/test_sheetxml.py holds to openpyxl's
own bytes), whatever the cells, their cached values, the cells the layout then touches and
a merge over them."""

from __future__ import annotations

from collections.abc import Container, Iterator
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.formula import ArrayFormula

from tests.strategies import sheet_cells
from xl_seriesm.workbook.writer import to_bytes
from xl_seriesm.xlsx import cellrefs
from xl_seriesm.xlsx.sheetxml import DeferredSheet, Written

Cells = dict[tuple[int, int], tuple[object, bool, int, bool, object]]
_PLAIN = (type(None), float, int, bool, str, ArrayFormula)


class _Listed:
    """A Source over a dictionary of cells."""

    def __init__(self, ws: DeferredSheet, cells: Cells, styles: list[StyleArray]) -> None:
        self.ws, self.cells_, self.styles = ws, cells, styles

    def _written(self, row: int, column: int) -> Written:
        value, as_text, style, is_cached, cached = self.cells_[(row, column)]
        data_type, typed = self.ws.typed(value, as_text)
        return (row, column, data_type, typed, self.styles[style], is_cached,
                cached if is_cached else None)

    def bounds(self) -> list[tuple[int, int]]:
        if not self.cells_:
            return []
        rows = [row for row, _ in self.cells_]
        columns = [column for _, column in self.cells_]
        return [(min(rows), min(columns)), (max(rows), max(columns))]

    def first_places(self, held: Container[tuple[int, int]],
                     ) -> Iterator[tuple[int, int, StyleArray]]:
        seen = set()
        for row, column in sorted(self.cells_):
            style = self.cells_[(row, column)][2]
            if style not in seen and (row, column) not in held:
                seen.add(style)
                yield row, column, self.styles[style]

    def cells(self) -> Iterator[Written]:
        for row, column in sorted(self.cells_):
            yield self._written(row, column)

    def at(self, row: int, column: int) -> Written | None:
        return self._written(row, column) if (row, column) in self.cells_ else None


def _book(cells: Cells, touched: list[tuple[int, int]], merge: str | None,
          source: bool) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    ws = DeferredSheet(wb, "Sheet")
    wb._add_sheet(ws)
    styles = []
    for number in range(4):  # styled in the same order in both books
        target = ws.stand_in(None)
        target.font = Font(bold=number % 2 == 0, italic=number > 1)
        if number == 3:
            target.fill = PatternFill("solid", fgColor="FFF2CC")
        styles.append(target._style)
    cached: dict[str, Any] = {}
    if source:
        for value, *_ in cells.values():  # what the writer's first pass does
            if not isinstance(value, _PLAIN):
                ws.typed(value)
        ws.source = _Listed(ws, cells, styles)
    else:
        for (row, column), (value, as_text, style, is_cached, value_cached) in cells.items():
            ws.put(row, column, value, styles[style], as_text)
            if is_cached:
                cached[cellrefs.letters(column) + str(row)] = value_cached
    for row, column in touched:  # the layout: wrapped headers, status cells
        ws.cell(row, column).font = Font(underline="single")
    if merge:
        ws.merge_cells(merge)
    return to_bytes(wb, {"Sheet": cached} if cached else None)


@settings(max_examples=100, deadline=None)
@given(sheet_cells(), st.lists(st.tuples(st.integers(1, 13), st.integers(1, 7)), max_size=4),
       st.sampled_from([None, "A2:C2", "B3:B5"]))
def test_a_source_writes_what_plain_entries_write(
        cells: Cells, touched: list[tuple[int, int]], merge: str | None) -> None:
    assert _book(cells, touched, merge, source=True) == _book(cells, touched, merge,
                                                                source=False)
