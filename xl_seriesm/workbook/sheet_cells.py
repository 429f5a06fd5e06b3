"""The cells of one template sheet in one flavor, read from the model as the sheet's XML is
written (:class:`xl_seriesm.xlsx.sheetxml.Source`): what each cell holds in that flavor, its
style (that of its look) and its cached value (the core's figure).

Nothing is kept per cell but what the model and :mod:`xl_seriesm.workbook.placed` hold
already: a 50,000-holder book has 1.35 million cells, and an entry per cell in each flavor
took as much memory as the model itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterator

from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.formula import ArrayFormula

from xl_seriesm.core.dates import to_serial
from xl_seriesm.workbook.base import Cell, Role, Sheet
from xl_seriesm.workbook.placed import Placed
from xl_seriesm.xlsx import cellrefs
from xl_seriesm.xlsx.sheetxml import DeferredSheet, Written, plain_text

#: An add-in array formula: its range (first and last column, first and last row) and its
#: anchor (row, column).
_Array = tuple[int, int, int, int, tuple[int, int]]


def cached_value(value: object) -> object:
    """A core figure as a cell's cached value (a date as its serial number)."""
    if isinstance(value, dt.date):
        return float(to_serial(value))
    return value


def _arrays(sheet: Sheet) -> dict[int, list[_Array]]:
    """The add-in array formulas of ``sheet`` by each column they touch, in model order."""
    by_column: dict[int, list[_Array]] = {}
    for cell in sheet.cells:
        if cell.array:
            first, _, last = cell.array.partition(":")
            column1, row1 = cellrefs.split(first)
            column2, row2 = cellrefs.split(last or first)
            anchor = cellrefs.split(cell.ref)[::-1]
            found = (column1, column2, row1, row2, anchor)
            for column in {*range(column1, column2 + 1), anchor[1]}:
                by_column.setdefault(column, []).append(found)
    return by_column


class SheetCells:
    """A sheet's cells in one flavor (``udf``: the add-in's), with their cached values
    when ``cache``; styled by look once :attr:`styles` is filled (by the writer)."""

    def __init__(self, ws: DeferredSheet, sheet: Sheet, where: Placed, udf: bool,
                 cache: bool) -> None:
        self.ws, self.sheet, self.where, self.udf, self.cache = ws, sheet, where, udf, cache
        self.arrays = _arrays(sheet) if udf else {}
        self.styles: list[StyleArray] = []

    def _inside(self, row: int, column: int) -> tuple[bool, bool]:
        """Whether the cell is inside an add-in array formula, and whether that formula
        fills it (inside and not its anchor; the last formula to reach it decides)."""
        arrays = self.arrays.get(column, ())
        anywhere = any(column1 <= column <= column2 and row1 <= row <= row2
                       for column1, column2, row1, row2, _ in arrays)
        for column1, column2, row1, row2, anchor in reversed(arrays):
            inside = column1 <= column <= column2 and row1 <= row <= row2
            if inside or anchor == (row, column):
                return anywhere, inside and anchor != (row, column)
        return anywhere, False

    def value(self, cell: Cell, row: int, column: int) -> tuple[object, bool]:
        """What the cell holds in this flavor, and whether a string is text (a holder
        named "=1+1" is a name, not a formula). A cell an array formula fills holds nothing:
        Excel fills it."""
        if self.arrays and self._inside(row, column)[1]:
            return None, False
        if self.udf and cell.udf:
            return (ArrayFormula(cell.array, cell.udf) if cell.array else cell.udf), False
        if not self.udf and cell.native:
            return cell.native, False
        value = cell.value
        return value, isinstance(value, str) and value.startswith("=")

    def _cached(self, cell: Cell, row: int, column: int) -> tuple[bool, object]:
        """Whether the cell has a cached value, and that value: the core's figure for a
        computed cell (not a built-ins helper the add-in leaves empty), the text of a cell
        with a formula or filled by an array formula."""
        if not self.cache:
            return False, None
        computed = cell.role is Role.COMPUTED
        if self.udf:
            if cell.udf or (self.arrays and self._inside(row, column)[0]):
                return True, cached_value(cell.expected) if computed else cell.value
            return False, None
        if computed:
            return True, cached_value(cell.expected)
        return (True, cell.value) if cell.native else (False, None)

    def bounds(self) -> list[tuple[int, int]]:
        rows, columns = self.where.rows, self.where.columns
        return [(min(rows), min(columns)), (max(rows), max(columns))] if rows else []

    def first_places(self, held: Container[tuple[int, int]],
                     ) -> Iterator[tuple[int, int, StyleArray]]:
        where, styles = self.where, self.styles
        rows, columns, looks = where.rows, where.columns, where.looks
        seen: set[int] = set()
        for index in where.order:
            look = looks[index]
            if look not in seen and (rows[index], columns[index]) not in held:
                seen.add(look)
                yield rows[index], columns[index], styles[look]
                if len(seen) == len(styles):
                    return

    def cells(self) -> Iterator[Written]:
        # value and _cached, inlined: this runs once per cell of the book.
        where, styles, cells = self.where, self.styles, self.sheet.cells
        rows, columns, looks = where.rows, where.columns, where.looks
        typed, arrays, udf, cache = self.ws.typed, self.arrays, self.udf, self.cache
        inside_of, computed_role, date_type = self._inside, Role.COMPUTED, dt.date
        for index in where.order:
            cell, row, column = cells[index], rows[index], columns[index]
            anywhere = filled = False
            if arrays and column in arrays:
                anywhere, filled = inside_of(row, column)
            # What the cell holds in this flavor, typed as openpyxl types it.
            formula = cell.udf if udf else cell.native
            as_text = False
            if filled:
                value: object = None
            elif formula:
                value = ArrayFormula(cell.array, formula) if udf and cell.array else formula
            else:
                value = cell.value
                as_text = type(value) is str and value.startswith("=")
            kind = type(value)
            if kind is float or value is None:
                data_type = "n"
            elif (isinstance(value, str) and kind is str and not as_text
                  and value.startswith("=") and plain_text(value)):
                data_type = "f" if len(value) > 1 else "s"
            else:
                data_type, value = typed(value, as_text)
            # Its cached value: the core's figure of a computed cell (not a built-ins helper
            # the add-in leaves empty), the text of a cell with a formula or one an array
            # formula fills.
            if not cache or (udf and not (formula or anywhere)):
                is_cached, figure = False, None
            elif cell.role is computed_role:
                is_cached, figure = True, cell.expected
                if isinstance(figure, date_type):
                    figure = cached_value(figure)
            elif udf or formula:
                is_cached, figure = True, cell.value
            else:
                is_cached, figure = False, None
            yield row, column, data_type, value, styles[looks[index]], is_cached, figure

    def at(self, row: int, column: int) -> Written | None:
        index = self.where.index(row, column)
        if index is None:
            return None
        cell = self.sheet.cells[index]
        data_type, value = self.ws.typed(*self.value(cell, row, column))
        return (row, column, data_type, value, self.styles[self.where.looks[index]],
                *self._cached(cell, row, column))

