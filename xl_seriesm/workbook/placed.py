"""Where each cell of a template sheet sits, its number format and its look, worked out once
for both flavors and kept compactly (a sheet of 50,000 holders has 300,000 cells).

The look of a cell is its role, kind and number format, numbered in the order the cells
come: the writer styles the first cell of each look through openpyxl and lets every other
cell share that style. ``order`` lists the cells by row, then column (a cell written twice
keeps the later one), the order the sheet's XML wants them in.

Pure: no openpyxl here.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass

from xl_seriesm.workbook.base import Cell, Kind, Role, Sheet
from xl_seriesm.xlsx import cellrefs

#: Columns per row in a row-major cell key (Excel has 16,384).
_WIDE = 1 << 14
_SHARE_KINDS = (Kind.SHARES, Kind.COMMON)
_DIGITS = "0123456789"


@dataclass(frozen=True)
class Placed:
    """The cells of one sheet: row, column, number format and look, index for index with
    ``sheet.cells``; the looks; and the cells in row-major order."""

    rows: array[int]
    columns: array[int]
    number_formats: list[str]
    looks: array[int]
    #: (role, kind, number format) of each look, by its number.
    look_keys: list[tuple[Role, Kind, str]]
    #: Indexes into ``sheet.cells`` by row, then column, each place once.
    order: array[int]
    #: The row-major key of each cell of ``order`` (row × 16384 + column), ascending.
    keys: array[int]

    def index(self, row: int, column: int) -> int | None:
        """The index of the cell at ``row``, ``column`` (the later of two), or None."""
        key = row * _WIDE + column
        at = bisect_left(self.keys, key)
        if at < len(self.keys) and self.keys[at] == key:
            return self.order[at]
        return None


def _format(cell: Cell) -> str:
    return cell.kind.format_for(cell.expected if cell.computed else cell.value)


#: Sheets placed lately, keyed by identity: both flavors of a sheet share the placing.
_PLACED: dict[int, tuple[Sheet, Placed]] = {}


def placed(sheet: Sheet) -> Placed:
    """Where each cell of ``sheet`` sits, its number format and its look."""
    known = _PLACED.get(id(sheet))
    if known is not None and known[0] is sheet:
        return known[1]
    rows, columns = array("l"), array("l")
    column_of: dict[str, int] = {}
    # One number format per column: share counts show, in every row of a column, the
    # decimals of the row that needs the most (3,500 beside 4,285.7143 reads 3,500.0000).
    # (Enum members hash in Python: the dictionaries below key them by identity.)
    widest: dict[tuple[int, int], str] = {}
    own: list[str] = []
    fixed = {id(kind): kind.number_format for kind in Kind if kind not in _SHARE_KINDS}
    for cell in sheet.cells:
        ref = cell.ref
        letters = ref.rstrip(_DIGITS)
        column = column_of.get(letters)
        if column is None:
            column = column_of[letters] = cellrefs.split(ref)[0]
        rows.append(int(ref[len(letters):]))
        columns.append(column)
        number_format = fixed.get(id(cell.kind))
        if number_format is None:  # a share count: the decimals it has
            number_format = _format(cell)
            where = (column, id(cell.kind))
            widest[where] = max(widest.get(where, "#,##0"), number_format, key=len)
        own.append(number_format)
    looks = array("l")
    numbered: dict[tuple[int, int, str], int] = {}
    look_keys: list[tuple[Role, Kind, str]] = []
    if widest:
        number_formats = [widest.get((column, id(cell.kind))) or number_format
                          for cell, column, number_format in zip(sheet.cells, columns, own,
                                                                 strict=True)]
    else:
        number_formats = own
    for cell, number_format in zip(sheet.cells, number_formats, strict=True):
        look = numbered.setdefault((id(cell.role), id(cell.kind), number_format), len(numbered))
        if look == len(look_keys):
            look_keys.append((cell.role, cell.kind, number_format))
        looks.append(look)
    all_keys = [row * _WIDE + column for row, column in zip(rows, columns, strict=True)]
    by_place = sorted(range(len(all_keys)), key=all_keys.__getitem__)
    if len(set(all_keys)) == len(all_keys):  # each place once, as the sheets have it
        order, keys = array("l", by_place), array("l", sorted(all_keys))
    else:
        order, keys = array("l"), array("l")
        for index in by_place:  # a stable sort: of two cells in one place, the later wins
            key = all_keys[index]
            if keys and keys[-1] == key:
                order[-1] = index
            else:
                order.append(index)
                keys.append(key)
    found = Placed(rows, columns, number_formats, looks, look_keys, order, keys)
    if len(_PLACED) > 32:
        _PLACED.clear()
    _PLACED[id(sheet)] = (sheet, found)
    return found
